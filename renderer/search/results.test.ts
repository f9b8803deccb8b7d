import { describe, expect, it } from 'vitest';
import { SearchEngine } from '../../shared/search/index.ts';
import { CROSS_STAGE, codeAllPlan, codeWithDescendants, codedSpans, codesOfStage, codingAround, filterSources, groupResult, sourceRoute, type SourceMeta } from './results.ts';

const doc = (id: string, caseId: string | null, participantIds: string[] = []): SourceMeta => ({ id, kind: 'document', title: `Interview ${id}`, documentId: id, caseId, participantIds });
const memo = (id: string, target: SourceMeta['target'], documentId: string | null, caseId: string | null, participantIds: string[] = []): SourceMeta => ({
  id,
  kind: 'memo',
  title: '',
  documentId,
  caseId,
  participantIds,
  ...(target ? { target } : {}),
});

const SOURCES: SourceMeta[] = [
  doc('d1', 'olmo', ['p1']),
  doc('d2', 'bloom', ['p2', 'p3']),
  memo('m-doc', { type: 'document', id: 'd2' }, 'd2', 'bloom', ['p2', 'p3']),
  memo('m-case', { type: 'case', id: 'olmo' }, null, 'olmo'),
  memo('m-study', { type: 'study', id: 's' }, null, null),
];

describe('filterSources', () => {
  it('keeps everything (undefined) without a filter', () => {
    expect(filterSources(SOURCES, {})).toBeUndefined();
  });
  it('keeps the transcripts of a case and the memos on them or on the case', () => {
    expect(filterSources(SOURCES, { caseId: 'olmo' })).toEqual(['d1', 'm-case']);
    expect(filterSources(SOURCES, { caseId: 'bloom' })).toEqual(['d2', 'm-doc']);
  });
  it('keeps the transcripts of a participant and the memos on them', () => {
    expect(filterSources(SOURCES, { participantId: 'p3' })).toEqual(['d2', 'm-doc']);
  });
  it('keeps one kind, combined with a case', () => {
    expect(filterSources(SOURCES, { kind: 'memo' })).toEqual(['m-doc', 'm-case', 'm-study']);
    expect(filterSources(SOURCES, { kind: 'document', caseId: 'bloom' })).toEqual(['d2']);
  });
});

describe('code and stage filters', () => {
  const codes = [
    { id: 'a', parentId: null, stageId: 's1' },
    { id: 'a1', parentId: 'a', stageId: 's1' },
    { id: 'a11', parentId: 'a1', stageId: 's1' },
    { id: 'b', parentId: null, stageId: 's2' },
    { id: 'x', parentId: null, stageId: null },
  ];
  it('a code means the code and every code below it', () => {
    expect(codeWithDescendants(codes, 'a')).toEqual(['a', 'a1', 'a11']);
    expect(codeWithDescendants(codes, 'a1')).toEqual(['a1', 'a11']);
    expect(codeWithDescendants(codes, 'b')).toEqual(['b']);
  });
  it('a stage means its codes; cross-stage the codes without a stage', () => {
    expect(codesOfStage(codes, 's1')).toEqual(['a', 'a1', 'a11']);
    expect(codesOfStage(codes, CROSS_STAGE)).toEqual(['x']);
  });
  it('turns the segments carrying the codes into sorted spans per document', () => {
    const segments = [
      { documentId: 'd1', start: 50, end: 60, codeIds: ['a'] },
      { documentId: 'd1', start: 10, end: 20, codeIds: ['b', 'a1'] },
      { documentId: 'd2', start: 0, end: 5, codeIds: ['b'] },
      { documentId: 'd2', start: 7, end: 9, codeIds: [] },
    ];
    expect(codedSpans(segments, ['a', 'a1'])).toEqual({ d1: [{ start: 10, end: 20 }, { start: 50, end: 60 }] });
    expect(codedSpans(segments, new Set(['b']))).toEqual({ d1: [{ start: 10, end: 20 }], d2: [{ start: 0, end: 5 }] });
  });
  it('restricts the engine to coded text: hits outside the spans are not counted', () => {
    const engine = new SearchEngine();
    engine.addSource({ id: 'd1', kind: 'document', text: 'open data is open work' });
    engine.addSource({ id: 'm1', kind: 'memo', text: 'open memo' });
    const within = codedSpans([{ documentId: 'd1', start: 0, end: 9, codeIds: ['a'] }], ['a']);
    const result = engine.search('open', { within });
    expect(result.sources.map((s) => [s.sourceId, s.hits.map((h) => [h.start, h.end])])).toEqual([['d1', [[0, 4]]]]);
  });
});

describe('results for display and for "code all"', () => {
  const engine = new SearchEngine();
  engine.addSource({ id: 'd1', kind: 'document', text: 'The licence. Another licence, and a licensing note.' });
  engine.addSource({ id: 'd2', kind: 'document', text: 'No match here.' });
  engine.addSource({ id: 'd3', kind: 'document', text: 'Licence terms.' });
  engine.addSource({ id: 'm-doc', kind: 'memo', text: 'Check the licence of d2.' });
  const metaById = new Map(SOURCES.map((s) => [s.id, s]));

  it('groups hits by source with counts per kind, in the engine order', () => {
    const grouped = groupResult(engine.search('licen*', { limit: 2, context: 10 }), metaById);
    expect(grouped.groups.map((g) => [g.sourceId, g.count, g.hits.length, g.meta?.title])).toEqual([
      ['d1', 3, 2, 'Interview d1'],
      ['d3', 1, 0, undefined],
      ['m-doc', 1, 0, ''],
    ]);
    expect([grouped.total, grouped.documentHits, grouped.memoHits, grouped.documents, grouped.memos, grouped.shown]).toEqual([5, 4, 1, 2, 1, 2]);
    expect(grouped.groups[0]!.hits[0]!.snippet).toEqual({ before: 'The ', match: 'licence', after: '. Another…' });
  });

  it('plans one request per transcript hit, skipping memo hits', () => {
    const plan = codeAllPlan(engine.search('licen*'), 'code', 'coder');
    expect([...plan.byDocument]).toEqual([
      [
        'd1',
        [
          { start: 4, end: 11, codeId: 'code', coderId: 'coder' },
          { start: 21, end: 28, codeId: 'code', coderId: 'coder' },
          { start: 36, end: 45, codeId: 'code', coderId: 'coder' },
        ],
      ],
      ['d3', [{ start: 0, end: 7, codeId: 'code', coderId: 'coder' }]],
    ]);
    expect([plan.results, plan.documents, plan.skippedMemoHits]).toEqual([4, 2, 1]);
  });

  it('refuses a result cut by a limit, so nothing is coded in part', () => {
    expect(() => codeAllPlan(engine.search('licen*', { limit: 2 }), 'code', 'coder')).toThrow(/every hit/);
  });
});

describe('opening a hit', () => {
  const segments = [
    { start: 0, end: 100, codings: [{ id: 'wide' }] },
    { start: 10, end: 30, codings: [{ id: 'narrow' }, { id: 'narrow-2' }] },
    { start: 12, end: 20, codings: [] },
  ];
  it('lands on the smallest coding around the hit, or none', () => {
    expect(codingAround(segments, { start: 12, end: 18 })).toBe('narrow');
    expect(codingAround(segments, { start: 25, end: 40 })).toBe('wide');
    expect(codingAround(segments, { start: 120, end: 125 })).toBeNull();
  });
  it('opens transcripts and memos on them in the Coding view; other memos where their target lives', () => {
    expect(sourceRoute('s', SOURCES[0]!, 'c1')).toEqual({ screen: 'study', studyId: 's', area: 'coding', item: 'd1', focus: 'c1' });
    expect(sourceRoute('s', SOURCES[2]!)).toEqual({ screen: 'study', studyId: 's', area: 'coding', item: 'd2', focus: null });
    expect(sourceRoute('s', SOURCES[3]!)).toEqual({ screen: 'study', studyId: 's', area: 'cases', item: null });
    expect(sourceRoute('s', memo('m-code', { type: 'code', id: 'k' }, null, null))).toEqual({ screen: 'study', studyId: 's', area: 'codebook', item: 'k' });
    expect(sourceRoute('s', SOURCES[4]!)).toEqual({ screen: 'study', studyId: 's', area: 'overview', item: null });
  });
});
