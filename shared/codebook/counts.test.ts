import { describe, expect, it } from 'vitest';
import { codeCounts, type CountedCode, type CountedCoding, type CountedDocument } from './counts.ts';

const documents: CountedDocument[] = [
  { id: 'd1', caseId: 'case-a', participantIds: ['p1'] },
  { id: 'd2', caseId: 'case-a', participantIds: ['p1', 'p2'] },
  { id: 'd3', caseId: null, participantIds: [] },
  { id: 'd4', caseId: 'case-b', participantIds: ['p3'] },
];
const c = (codeId: string, segmentId: string, documentId: string): CountedCoding => ({ codeId, segmentId, documentId });

/* Access > Compute > GPUs; Funding. */
const codes: CountedCode[] = [
  { id: 'access', parentId: null },
  { id: 'compute', parentId: 'access' },
  { id: 'gpu', parentId: 'compute' },
  { id: 'funding', parentId: null },
];
const codings = [
  c('access', 's1', 'd1'),
  c('access', 's1', 'd1'), // a second coder on the same segment
  c('compute', 's1', 'd1'), // the same segment as its parent
  c('compute', 's2', 'd2'),
  c('gpu', 's3', 'd3'),
  c('funding', 's4', 'd4'),
  c('funding', 's5', 'd9'), // a document not given: counts as a document, adds no case
];

describe('codeCounts', () => {
  it('counts codings and distinct segments, documents, cases and participants per code', () => {
    expect(codeCounts(codings, documents)).toEqual(
      new Map([
        ['access', { codings: 2, segments: 1, documents: 1, cases: 1, participants: 1 }],
        ['compute', { codings: 2, segments: 2, documents: 2, cases: 1, participants: 2 }],
        ['gpu', { codings: 1, segments: 1, documents: 1, cases: 0, participants: 0 }],
        ['funding', { codings: 2, segments: 2, documents: 2, cases: 1, participants: 1 }],
      ]),
    );
  });

  it('gives every code of the codebook an entry, zeros when unused', () => {
    const counts = codeCounts([c('funding', 's4', 'd4')], documents, { codes });
    expect([...counts.keys()]).toEqual(['access', 'compute', 'gpu', 'funding']);
    expect(counts.get('gpu')).toEqual({ codings: 0, segments: 0, documents: 0, cases: 0, participants: 0 });
  });

  it('with sub-codes, counts distinct things rather than sums', () => {
    const counts = codeCounts(codings, documents, { codes, includeDescendants: true });
    expect(counts.get('access')).toEqual({ codings: 5, segments: 3, documents: 3, cases: 1, participants: 2 });
    expect(counts.get('compute')).toEqual({ codings: 3, segments: 3, documents: 3, cases: 1, participants: 2 });
    expect(counts.get('gpu')).toEqual({ codings: 1, segments: 1, documents: 1, cases: 0, participants: 0 });
    expect(counts.get('funding')).toEqual({ codings: 2, segments: 2, documents: 2, cases: 1, participants: 1 });
  });

  it('survives a loop in the hierarchy and codes missing from the codebook', () => {
    const loop: CountedCode[] = [
      { id: 'a', parentId: 'b' },
      { id: 'b', parentId: 'a' },
    ];
    const counts = codeCounts([c('a', 's1', 'd1'), c('b', 's2', 'd2'), c('stray', 's3', 'd3')], documents, { codes: loop, includeDescendants: true });
    expect(counts.get('a')).toMatchObject({ codings: 2, segments: 2 });
    expect(counts.get('b')).toMatchObject({ codings: 2, segments: 2 });
    expect(counts.get('stray')).toMatchObject({ codings: 1, segments: 1 });
  });

  it('handles a large study in one pass (50,000 codings, 200 codes)', () => {
    const many: CountedCode[] = Array.from({ length: 200 }, (_, i) => ({ id: `k${i}`, parentId: i < 20 ? null : `k${i % 20}` }));
    const docs: CountedDocument[] = Array.from({ length: 500 }, (_, i) => ({ id: `d${i}`, caseId: `case${i % 25}`, participantIds: [`p${i}`] }));
    const big: CountedCoding[] = Array.from({ length: 50_000 }, (_, i) => c(`k${(i * 7) % 200}`, `s${i % 20_000}`, `d${i % 500}`));
    const own = codeCounts(big, docs, { codes: many });
    const total = codeCounts(big, docs, { codes: many, includeDescendants: true });
    expect([...own.values()].reduce((sum, n) => sum + n.codings, 0)).toBe(50_000);
    // The 20 roots together hold every coding once.
    expect(many.filter((k) => k.parentId === null).reduce((sum, k) => sum + total.get(k.id)!.codings, 0)).toBe(50_000);
  });
});
