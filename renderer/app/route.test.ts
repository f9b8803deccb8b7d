import { describe, expect, it } from 'vitest';
import { parseRoute, routeHash, type Route } from './route.ts';

describe('parseRoute and routeHash', () => {
  it('reads the study list, a study area, an item and a focus', () => {
    expect(parseRoute('')).toEqual({ screen: 'studies' });
    expect(parseRoute('#/')).toEqual({ screen: 'studies' });
    expect(parseRoute('#/study/s1/maps')).toEqual({ screen: 'study', studyId: 's1', area: 'maps', item: null, focus: null });
    expect(parseRoute('#/study/s1/coding/d%201/c1')).toEqual({ screen: 'study', studyId: 's1', area: 'coding', item: 'd 1', focus: 'c1' });
    expect(parseRoute('#/study/s1/nowhere')).toEqual({ screen: 'study', studyId: 's1', area: 'overview', item: null, focus: null });
  });

  it('reads the speaker notes screen, and only its exact hash', () => {
    expect(parseRoute('#/presenter-notes')).toEqual({ screen: 'presenter-notes' });
    expect(parseRoute('#presenter-notes')).toEqual({ screen: 'presenter-notes' });
    expect(parseRoute('#/presenter-notes/')).toEqual({ screen: 'presenter-notes' });
    expect(parseRoute('#/presenter-notes/extra')).toEqual({ screen: 'studies' });
    expect(parseRoute('#/Presenter-Notes')).toEqual({ screen: 'studies' });
    expect(parseRoute('#/study/presenter-notes')).toEqual({ screen: 'study', studyId: 'presenter-notes', area: 'overview', item: null, focus: null });
  });

  it('writes the hash each route is read back from', () => {
    const routes: Route[] = [
      { screen: 'studies' },
      { screen: 'presenter-notes' },
      { screen: 'study', studyId: 'a/b c', area: 'coding', item: 'd?1', focus: 'c#1' },
      { screen: 'study', studyId: 's', area: 'maps', item: null, focus: null },
    ];
    expect(routeHash({ screen: 'presenter-notes' })).toBe('#/presenter-notes');
    for (const route of routes) expect(parseRoute(routeHash(route))).toEqual(route);
  });

  it('keeps a malformed escape as text instead of throwing', () => {
    expect(parseRoute('#/study/100%/maps')).toEqual({ screen: 'study', studyId: '100%', area: 'maps', item: null, focus: null });
  });
});
