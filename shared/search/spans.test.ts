import { describe, expect, it } from 'vitest';
import { mergeSpans, restrictToSpans } from './spans.ts';

describe('restrictToSpans', () => {
  const hits = [
    { sourceId: 'a', start: 0, end: 4 },
    { sourceId: 'a', start: 10, end: 14 },
    { sourceId: 'a', start: 18, end: 25 },
    { sourceId: 'b', start: 0, end: 4 },
    { sourceId: 'c', start: 5, end: 9 },
  ];

  it('keeps the hits wholly inside a span of their source, in their order', () => {
    const spans = { a: [{ start: 8, end: 20 }], c: [{ start: 0, end: 100 }] };
    expect(restrictToSpans(hits, spans)).toEqual([
      { sourceId: 'a', start: 10, end: 14 },
      { sourceId: 'c', start: 5, end: 9 },
    ]);
  });

  it('lets a hit cross from one span into an adjoining or overlapping one, and takes a Map too', () => {
    const spans = new Map([['a', [{ start: 22, end: 30 }, { start: 15, end: 22 }, { start: 0, end: 2 }]]]);
    expect(restrictToSpans(hits, spans)).toEqual([{ sourceId: 'a', start: 18, end: 25 }]);
  });

  it('drops every hit when no source has spans', () => {
    expect(restrictToSpans(hits, {})).toEqual([]);
  });
});

describe('mergeSpans', () => {
  it('sorts, joins overlapping and touching spans and drops empty ones, without changing its input', () => {
    const spans = [
      { start: 10, end: 12 },
      { start: 0, end: 5 },
      { start: 3, end: 8 },
      { start: 8, end: 9 },
      { start: 20, end: 20 },
    ];
    expect(mergeSpans(spans)).toEqual([
      { start: 0, end: 9 },
      { start: 10, end: 12 },
    ]);
    expect(spans[1]).toEqual({ start: 0, end: 5 });
  });
});
