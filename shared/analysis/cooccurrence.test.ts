import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeCooccurrence, cooccurrenceSegments, type CooccurrenceMode, type CooccurrenceRequest } from './cooccurrence.ts';
import type { MatrixFilters, MatrixSource } from './matrix-types.ts';

const T = '2026-01-01T00:00:00.000Z';

const TEXTS: Record<string, string> = {
  d1: 'Secrecy rules everything. The lawyers decided. We got compute.',
  d2: 'Feedback from users mattered. Governance was shared.',
  d3: 'Secrecy was not a problem; compute was.',
  d4: 'Loose notes on secrecy.',
};

function segment(id: string, documentId: string, from: string, to: string) {
  const text = TEXTS[documentId]!;
  const start = text.indexOf(from);
  const end = text.indexOf(to, start) + to.length;
  return { id, documentId, start, end, text: text.slice(start, end) };
}

/**
 *   s1 d1 "Secrecy rules everything."  secrecy (Kim and Lou), legal
 *   s8 d1 "rules"                      expertise (Lou)      — inside s1
 *   s2 d1 "thing. The lawyers"         expertise            — overlaps the end of s1
 *   s3 d1 "We got compute."            compute (Lou)
 *   s4 d2 "Feedback … mattered."       feedback, governance
 *   s5 d2 "Governance was shared."     governance
 *   s6 d3 whole                        secrecy, compute
 *   s7 d4 whole                        secrecy
 */
function study(): MatrixSource {
  let n = 0;
  const coding = (segmentId: string, codeId: string, coderId = 'kim') => ({ id: `c${++n}`, segmentId, codeId, coderId, documentId: segmentId === 's7' ? 'd4' : segmentId === 's6' ? 'd3' : segmentId === 's4' || segmentId === 's5' ? 'd2' : 'd1', createdAt: T });
  return {
    stages: [{ id: 'pre', name: 'Pre-training', order: 0 }, { id: 'post', name: 'Post-training', order: 1 }],
    codes: [
      { id: 'secrecy', parentId: null, name: 'Secrecy', color: '#333333', stageId: 'pre', kind: 'challenge', order: 0 },
      { id: 'legal', parentId: 'secrecy', name: 'Legal', color: '#111111', stageId: 'pre', kind: 'challenge', order: 0 },
      { id: 'expertise', parentId: null, name: 'Expertise', color: '#222222', stageId: 'pre', kind: 'challenge', order: 1 },
      { id: 'compute', parentId: null, name: 'Compute', color: '#444444', stageId: 'pre', kind: 'on-ramp', order: 0 },
      { id: 'feedback', parentId: null, name: 'Feedback', color: '#555555', stageId: 'post', kind: 'on-ramp', order: 0 },
      { id: 'governance', parentId: null, name: 'Governance', color: '#666666', stageId: null, kind: 'other', order: 0 },
    ],
    cases: [],
    attributes: [],
    participants: [],
    documents: ['d1', 'd2', 'd3', 'd4'].map((id, i) => ({ id, title: `Document ${i + 1}`, caseId: null, participantIds: [] })),
    segments: [
      segment('s1', 'd1', 'Secrecy', 'everything.'),
      segment('s2', 'd1', 'thing.', 'lawyers'),
      segment('s3', 'd1', 'We', 'compute.'),
      segment('s4', 'd2', 'Feedback', 'mattered.'),
      segment('s5', 'd2', 'Governance', 'shared.'),
      segment('s6', 'd3', 'Secrecy', 'was.'),
      segment('s7', 'd4', 'Loose', 'secrecy.'),
      segment('s8', 'd1', 'rules', 'rules'),
    ],
    codings: [
      coding('s1', 'secrecy'),
      coding('s1', 'secrecy', 'lou'),
      coding('s1', 'legal'),
      coding('s8', 'expertise', 'lou'),
      coding('s2', 'expertise'),
      coding('s3', 'compute', 'lou'),
      coding('s4', 'feedback'),
      coding('s4', 'governance'),
      coding('s5', 'governance'),
      coding('s6', 'secrecy'),
      coding('s6', 'compute'),
      coding('s7', 'secrecy'),
    ],
    coders: [{ id: 'kim', name: 'Kim' }, { id: 'lou', name: 'Lou' }],
  };
}

const run = (mode: CooccurrenceMode, measure: 'count' | 'jaccard' = 'count', extra: Partial<CooccurrenceRequest> = {}, source = study()) => codeCooccurrence(source, { mode, measure, ...extra });
const ids = (items: readonly { segmentId: string }[]) => items.map((i) => i.segmentId);

describe('codeCooccurrence', () => {
  it('segment mode: segments carrying both codes; the diagonal a code’s own segments', () => {
    const m = run('segment');
    expect(m.rowHeader).toBe('code');
    expect(m.metric).toBe('count');
    expect(m.rows.map((r) => r.key)).toEqual(['code:secrecy', 'code:legal', 'code:expertise', 'code:compute', 'code:feedback', 'code:governance']);
    expect(m.columns.map((c) => c.key)).toEqual(m.rows.map((r) => r.key));
    expect(m.cells).toEqual([
      [3, 1, 0, 1, 0, 0],
      [1, 1, 0, 0, 0, 0],
      [0, 0, 2, 0, 0, 0],
      [1, 0, 0, 2, 0, 0],
      [0, 0, 0, 0, 1, 1],
      [0, 0, 0, 0, 1, 2],
    ]);
    expect(m.max).toBe(1);
    expect(m.rowTotals).toEqual([2, 1, 0, 1, 1, 1]);
    expect(m.columnTotals).toEqual(m.rowTotals);
    expect(m.grandTotal).toBe(3);
  });

  it('segment mode, jaccard: both ÷ either, three decimals', () => {
    const m = run('segment', 'jaccard');
    expect(m.metric).toBe('jaccard');
    expect(m.cells[0]).toEqual([1, 0.333, 0, 0.25, 0, 0]);
    expect(m.cells[4]).toEqual([0, 0, 0, 0, 1, 0.5]);
    expect(m.rowTotals).toEqual([0.667, 1, 0, 0.5, 1, 0.5]);
    // 3 segments with two codes of 8 coded segments.
    expect(m.grandTotal).toBe(0.375);
  });

  it('overlap mode: distinct segments of either code that overlap a segment of the other (a segment overlaps itself)', () => {
    const m = run('overlap');
    // Secrecy × expertise: s1 overlaps s8 and s2, so s1, s8 and s2 count: 3.
    expect(m.cells).toEqual([
      [3, 1, 3, 1, 0, 0],
      [1, 1, 3, 0, 0, 0],
      [3, 3, 2, 0, 0, 0],
      [1, 0, 0, 2, 0, 0],
      [0, 0, 0, 0, 1, 1],
      [0, 0, 0, 0, 1, 2],
    ]);
    expect(m.max).toBe(3);
    expect(m.rowTotals).toEqual([2, 1, 2, 1, 1, 1]);
    expect(m.grandTotal).toBe(5);
    const j = run('overlap', 'jaccard');
    // 3 ÷ segments with secrecy or expertise {s1, s6, s7, s2, s8}; legal × expertise: 3 ÷ {s1, s2, s8}.
    expect(j.cells[0]![2]).toBe(0.6);
    expect(j.cells[1]![2]).toBe(1);
    expect(j.cells[0]![1]).toBe(0.333);
  });

  it('document mode: documents where both occur', () => {
    const m = run('document');
    expect(m.cells).toEqual([
      [3, 1, 1, 2, 0, 0],
      [1, 1, 1, 1, 0, 0],
      [1, 1, 1, 1, 0, 0],
      [2, 1, 1, 2, 0, 0],
      [0, 0, 0, 0, 1, 1],
      [0, 0, 0, 0, 1, 1],
    ]);
    expect(m.rowTotals).toEqual([2, 1, 1, 2, 1, 1]);
    expect(m.grandTotal).toBe(3);
    expect(run('document', 'jaccard').cells[0]![3]).toBe(0.667);
    expect(m.settings).toContain('Diagonal: each code’s own documents');
  });

  it('applies filters and keeps only the chosen stage, kind or codes (in tree order)', () => {
    const lou = run('overlap', 'count', { filters: { coderIds: ['lou'] } });
    expect(lou.cells[0]).toEqual([1, 0, 2, 0, 0, 0]);
    expect(lou.settings).toContain('Filter: Coders: Lou');
    expect(run('segment', 'count', { filters: { coderIds: ['lou'] } }).grandTotal).toBe(0);
    expect(run('segment', 'count', { stageId: 'pre' }).rows.map((r) => r.label)).toEqual(['Secrecy', 'Legal', 'Expertise', 'Compute']);
    expect(run('segment', 'count', { kind: 'challenge' }).rows.map((r) => r.label)).toEqual(['Secrecy', 'Legal', 'Expertise']);
    const two = run('segment', 'count', { codeIds: ['compute', 'secrecy'] });
    expect(two.rows.map((r) => r.label)).toEqual(['Secrecy', 'Compute']);
    expect(two.cells).toEqual([
      [3, 1],
      [1, 2],
    ]);
  });
});

describe('cooccurrenceSegments', () => {
  const request = (mode: CooccurrenceMode): CooccurrenceRequest => ({ mode, measure: 'count' });

  it('lists the segments behind a cell', () => {
    const s = study();
    expect(ids(cooccurrenceSegments(s, request('segment'), 'code:secrecy', 'code:compute'))).toEqual(['s6']);
    expect(ids(cooccurrenceSegments(s, request('overlap'), 'code:secrecy', 'code:expertise'))).toEqual(['s1', 's8', 's2']);
    const overlap = cooccurrenceSegments(s, request('overlap'), 'secrecy', 'expertise');
    expect(overlap.map((i) => i.codeIds)).toEqual([['secrecy'], ['expertise'], ['expertise']]);
    expect(overlap[0]!.coderIds).toEqual(['kim', 'lou']);
    expect(ids(cooccurrenceSegments(s, request('document'), 'code:secrecy', 'code:compute'))).toEqual(['s1', 's3', 's6']);
    expect(ids(cooccurrenceSegments(s, request('document'), 'code:secrecy', 'code:secrecy'))).toEqual(['s1', 's6', 's7']);
    expect(cooccurrenceSegments(s, { ...request('segment'), stageId: 'post' }, 'code:secrecy', 'code:compute')).toEqual([]);
  });

  it('agrees with every cell (segments, or their distinct documents in document mode)', () => {
    const s = study();
    for (const mode of ['segment', 'overlap', 'document'] as const) {
      for (const filters of [{}, { coderIds: ['lou'] }] as MatrixFilters[]) {
        const m = codeCooccurrence(s, { mode, measure: 'count', filters });
        m.rows.forEach((row, a) =>
          m.columns.forEach((column, b) => {
            const items = cooccurrenceSegments(s, { mode, measure: 'count', filters }, row.key, column.key);
            const units = mode === 'document' ? new Set(items.map((i) => i.documentId)).size : items.length;
            expect(units).toBe(m.cells[a]![b]);
          }),
        );
      }
    }
  });
});

describe('properties', () => {
  const arbitrarySource = fc
    .record({
      codes: fc.integer({ min: 1, max: 5 }),
      segments: fc.array(fc.record({ doc: fc.nat(2), start: fc.nat(20), length: fc.integer({ min: 1, max: 8 }) }), { maxLength: 14 }),
      codings: fc.array(fc.record({ segment: fc.nat(13), code: fc.nat(4), coder: fc.constantFrom('kim', 'lou') }), { maxLength: 30 }),
    })
    .map(({ codes, segments, codings }): MatrixSource => {
      const segs = segments.map((s, i) => ({ id: `s${i}`, documentId: `d${s.doc}`, start: s.start, end: s.start + s.length, text: 'x'.repeat(s.length) }));
      return {
        stages: [],
        codes: Array.from({ length: codes }, (_, i) => ({ id: `k${i}`, parentId: null, name: `Code ${i}`, color: '#000000', stageId: null, kind: 'other' as const, order: i })),
        cases: [],
        attributes: [],
        participants: [],
        documents: [0, 1, 2].map((i) => ({ id: `d${i}`, title: `Document ${i}`, caseId: null, participantIds: [] })),
        segments: segs,
        codings: segs.length === 0 ? [] : codings.map((c, i) => {
          const s = segs[c.segment % segs.length]!;
          return { id: `c${i}`, segmentId: s.id, codeId: `k${c.code % codes}`, coderId: c.coder, documentId: s.documentId, createdAt: T };
        }),
      };
    });

  it('is symmetric, and the overlap count matches its definition computed by brute force', () => {
    fc.assert(
      fc.property(arbitrarySource, (source) => {
        for (const mode of ['segment', 'overlap', 'document'] as const) {
          const m = codeCooccurrence(source, { mode, measure: 'count' });
          m.cells.forEach((line, a) => line.forEach((v, b) => expect(v).toBe(m.cells[b]![a])));
        }
        const m = codeCooccurrence(source, { mode: 'overlap', measure: 'count' });
        const codesOf = new Map<string, Set<string>>();
        for (const c of source.codings) {
          const set = codesOf.get(c.segmentId) ?? new Set();
          set.add(c.codeId);
          codesOf.set(c.segmentId, set);
        }
        const coded = source.segments.filter((s) => codesOf.has(s.id));
        const overlaps = (s: (typeof coded)[number], t: (typeof coded)[number]) => s === t || (s.documentId === t.documentId && Math.max(s.start, t.start) < Math.min(s.end, t.end));
        const touches = (s: (typeof coded)[number], own: string, other: string) => codesOf.get(s.id)!.has(own) && coded.some((t) => codesOf.get(t.id)!.has(other) && overlaps(s, t));
        source.codes.forEach((A, a) =>
          source.codes.forEach((B, b) => {
            const expected = a === b ? coded.filter((s) => codesOf.get(s.id)!.has(A.id)).length : coded.filter((s) => touches(s, A.id, B.id) || touches(s, B.id, A.id)).length;
            expect(m.cells[a]![b]).toBe(expected);
          }),
        );
      }),
    );
  });
});
