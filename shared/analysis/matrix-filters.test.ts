import { describe, expect, it } from 'vitest';
import { codesOfSegment, describeFilters, documentFilter, filterCodings, hasFilters, indexCodings } from './matrix-filters.ts';
import type { MatrixSource } from './matrix-types.ts';

const T = '2026-01-01T00:00:00.000Z';

function source(): MatrixSource {
  return {
    stages: [],
    codes: [
      { id: 'a', parentId: null, name: 'A', color: '#000000', stageId: null, kind: 'other', order: 0 },
      { id: 'b', parentId: null, name: 'B', color: '#000000', stageId: null, kind: 'other', order: 1 },
    ],
    cases: [
      { id: 'norway', name: 'Norway', attributes: {}, openness: {} },
      { id: 'masakhane', name: 'Masakhane', attributes: {}, openness: {} },
    ],
    attributes: [],
    participants: [
      { id: 'p1', pseudonym: 'Ana', caseId: 'norway', interviewDate: '2026-01-10' },
      { id: 'p2', pseudonym: 'Ben', caseId: 'norway', interviewDate: '2026-02-20' },
      { id: 'p3', pseudonym: 'Chi', caseId: 'masakhane', interviewDate: '2026-03-05' },
      { id: 'p4', pseudonym: 'Dee', caseId: null, interviewDate: '' },
      { id: 'p5', pseudonym: 'Eve', caseId: null, interviewDate: 'March 2026' },
    ],
    documents: [
      { id: 'd1', title: 'Interview Ana', caseId: 'norway', participantIds: ['p1'] },
      { id: 'd2', title: 'Group Ana and Ben', caseId: 'norway', participantIds: ['p1', 'p2'] },
      { id: 'd3', title: 'Interview Chi', caseId: 'masakhane', participantIds: ['p3'] },
      { id: 'd4', title: 'Notes', caseId: null, participantIds: [] },
      { id: 'd5', title: 'Interview Dee and Eve', caseId: null, participantIds: ['p4', 'p5'] },
    ],
    segments: ['d1', 'd2', 'd3', 'd4', 'd5'].map((d, i) => ({ id: `s${i + 1}`, documentId: d, start: 0, end: 4, text: 'text' })),
    codings: [
      { id: 'c1', segmentId: 's1', codeId: 'a', coderId: 'k1', documentId: 'd1', createdAt: T },
      { id: 'c2', segmentId: 's1', codeId: 'a', coderId: 'k2', documentId: 'd1', createdAt: T },
      { id: 'c3', segmentId: 's2', codeId: 'b', coderId: 'k1', documentId: 'd2', createdAt: T },
      { id: 'c4', segmentId: 's3', codeId: 'a', coderId: 'k2', documentId: 'd3', createdAt: T },
      { id: 'c5', segmentId: 's4', codeId: 'a', coderId: 'k1', documentId: 'd4', createdAt: T },
      { id: 'c6', segmentId: 's5', codeId: 'b', coderId: 'k1', documentId: 'd5', createdAt: T },
      { id: 'c7', segmentId: 's1', codeId: 'b', coderId: 'k2', documentId: 'd1', createdAt: T },
      { id: 'c8', segmentId: 'gone', codeId: 'a', coderId: 'k1', documentId: 'd1', createdAt: T },
      { id: 'c9', segmentId: 's3', codeId: 'deleted', coderId: 'k1', documentId: 'd3', createdAt: T },
    ],
    coders: [
      { id: 'k1', name: 'Kim' },
      { id: 'k2', name: 'Lou' },
    ],
  };
}

const ids = (codings: readonly { id: string }[]) => codings.map((c) => c.id);

describe('filterCodings', () => {
  it('keeps every coding without filters, and with empty lists', () => {
    expect(filterCodings(source())).toHaveLength(9);
    expect(filterCodings(source(), { coderIds: [], documentIds: [], caseIds: [], participantIds: [], from: '', to: ' ' })).toHaveLength(9);
    expect(hasFilters({ coderIds: [], from: '' })).toBe(false);
    expect(hasFilters({ to: '2026-01-01' })).toBe(true);
  });

  it('filters by coder', () => {
    expect(ids(filterCodings(source(), { coderIds: ['k2'] }))).toEqual(['c2', 'c4', 'c7']);
  });

  it('filters by document and by case (a document without a case fails)', () => {
    expect(ids(filterCodings(source(), { documentIds: ['d2', 'd4'] }))).toEqual(['c3', 'c5']);
    expect(ids(filterCodings(source(), { caseIds: ['masakhane'] }))).toEqual(['c4', 'c9']);
  });

  it('keeps a document when any of its participants is listed', () => {
    expect(ids(filterCodings(source(), { participantIds: ['p2'] }))).toEqual(['c3']);
    expect(ids(filterCodings(source(), { participantIds: ['p1'] }))).toEqual(['c1', 'c2', 'c3', 'c7', 'c8']);
  });

  it('keeps a document when any participant’s interview date is within the inclusive bounds; undated documents go once a bound is set', () => {
    // d1: 01-10; d2: 01-10 and 02-20; d3: 03-05; d4: no participants; d5: empty and malformed dates.
    expect(ids(filterCodings(source(), { from: '2026-02-01' }))).toEqual(['c3', 'c4', 'c9']);
    expect(ids(filterCodings(source(), { to: '2026-01-10' }))).toEqual(['c1', 'c2', 'c3', 'c7', 'c8']);
    expect(ids(filterCodings(source(), { from: '2026-02-01', to: '2026-02-28' }))).toEqual(['c3']);
    expect(ids(filterCodings(source(), { from: '2026-02-20', to: '2026-02-20' }))).toEqual(['c3']);
  });

  it('combines filters (all must pass)', () => {
    expect(ids(filterCodings(source(), { coderIds: ['k1'], caseIds: ['norway'], from: '2026-02-01' }))).toEqual(['c3']);
  });

  it('documentFilter is null without document filters', () => {
    expect(documentFilter(source(), { coderIds: ['k1'] })).toBeNull();
    expect(documentFilter(source(), { caseIds: ['norway'] })?.('d2')).toBe(true);
  });
});

describe('describeFilters', () => {
  it('names every filter, not its ids', () => {
    expect(
      describeFilters(source(), { coderIds: ['k1', 'k9'], documentIds: ['d4'], participantIds: ['p1', 'p3'], caseIds: ['masakhane'], from: '2026-01-01', to: '2026-03-31' }),
    ).toEqual(['Coders: Kim, unknown coder', 'Documents: Notes', 'Participants: Ana, Chi', 'Cases: Masakhane', 'Interview dates: 2026-01-01 to 2026-03-31']);
  });

  it('says one-sided date bounds, and nothing when nothing is filtered', () => {
    expect(describeFilters(source(), { from: '2026-01-01' })).toEqual(['Interview dates: from 2026-01-01']);
    expect(describeFilters(source(), { to: '2026-01-01' })).toEqual(['Interview dates: until 2026-01-01']);
    expect(describeFilters(source(), {})).toEqual([]);
    expect(describeFilters(source(), undefined)).toEqual([]);
  });
});

describe('indexCodings', () => {
  it('gathers each coded segment’s distinct codes, skipping unknown segments and codes', () => {
    const s = source();
    const index = indexCodings(s);
    expect(index.size).toBe(5);
    const byId = new Map(Array.from(index.segmentAt, (at, o) => [s.segments[at]!.id, [...codesOfSegment(index, o)].map((c) => s.codes[c]!.id)]));
    // s1: a by two coders and b: the pair (s1, a) once.
    expect(byId.get('s1')).toEqual(['a', 'b']);
    expect(byId.get('s3')).toEqual(['a']);
    expect(Array.from(index.counted)).toEqual([1, 1, 1, 1, 1, 1, 1, 0, 0]);
  });

  it('applies the filters and is not fooled by its cache', () => {
    const s = source();
    expect(indexCodings(s).size).toBe(5);
    expect(indexCodings(s, { coderIds: ['k2'] }).size).toBe(2);
    const fewer = { ...s, codings: s.codings.slice(0, 2) };
    expect(indexCodings(fewer).size).toBe(1);
    expect(indexCodings(s).size).toBe(5);
  });
});
