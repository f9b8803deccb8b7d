import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CodeKind, CollaborationMode } from '../model/types.ts';
import {
  computePositions,
  describePosition,
  findPosition,
  formatPosition,
  POSITION_FORMULA,
  positionEvidence,
  positionFromCounts,
  positionInWords,
  quantile,
  quoteAttribution,
  sideOfCode,
  summarisePositions,
  validateOverride,
  type PositionSource,
} from './positions.ts';

const T = '2026-01-01T00:00:00.000Z';

const code = (id: string, name: string, stageId: string | null, kind: CodeKind, mode: CollaborationMode) => ({ id, name, stageId, kind, mode });

/**
 * Stages pre, post, rel. Cases Alpha (a), Beta (b), Gamma (c) and Delta (d, no documents).
 *
 *   Alpha pre:  s1 secrecy + lock-in (cathedral, once) · s2 datasets (bazaar) · s3 neutral on-ramp (bazaar)
 *               s4 secrecy + datasets (both) · s5 neutral other (none) · s6 cross-stage (none)
 *               → bazaar 3, cathedral 2, n 5, position 0.2
 *   Alpha rel:  s7 feedback → bazaar 1, position +1
 *   Beta pre:   s8 neutral challenge (cathedral) · s9 bazaar-mode "other" (bazaar) → 0, balanced
 *   Beta rel:   s13 cross-stage bazaar on-ramp only → no evidence
 *   Gamma pre:  s10 secrecy, s11 lock-in (coder k2 only) → −1
 *   d4 (no case): s12 secrecy → ignored
 */
function source(): PositionSource {
  const seg = (id: string, documentId: string, start: number, text: string) => ({ id, documentId, start, end: start + text.length, text });
  let n = 0;
  const coding = (segmentId: string, codeId: string, documentId: string, coderId = 'k1') => ({ id: `c${++n}`, segmentId, codeId, coderId, documentId, createdAt: T });
  return {
    stages: [
      { id: 'rel', name: 'Post-release', order: 2 },
      { id: 'pre', name: 'Pre-training', order: 0 },
      { id: 'post', name: 'Post-training', order: 1 },
    ],
    codes: [
      code('secrecy', 'Secrecy', 'pre', 'challenge', 'cathedral'),
      code('lockin', 'Lock-in', 'pre', 'challenge', 'cathedral'),
      code('datasets', 'Open datasets', 'pre', 'on-ramp', 'bazaar'),
      code('neutralRamp', 'Shared tooling', 'pre', 'on-ramp', 'neutral'),
      code('neutralChallenge', 'Hard to hire', 'pre', 'challenge', 'neutral'),
      code('neutralOther', 'Team size', 'pre', 'other', 'neutral'),
      code('bazaarOther', 'Open chat', 'pre', 'other', 'bazaar'),
      code('feedback', 'Community feedback', 'rel', 'on-ramp', 'bazaar'),
      code('governance', 'Governance', null, 'other', 'cathedral'),
      code('crossBazaar', 'Openness', null, 'on-ramp', 'bazaar'),
    ],
    cases: [
      { id: 'c', name: 'Gamma' },
      { id: 'a', name: 'Alpha' },
      { id: 'd', name: 'Delta' },
      { id: 'b', name: 'Beta' },
    ],
    participants: [
      { id: 'p1', pseudonym: 'P01', caseId: 'a', interviewDate: '2025-01-10' },
      { id: 'p2', pseudonym: 'P02', caseId: 'b', interviewDate: '2025-02-10' },
      { id: 'p3', pseudonym: 'P03', caseId: 'c', interviewDate: '2025-03-10' },
    ],
    documents: [
      { id: 'd1', title: 'Interview P01', caseId: 'a', participantIds: ['p1'] },
      { id: 'd2', title: 'Interview P02', caseId: 'b', participantIds: ['p2'] },
      { id: 'd3', title: 'Interview P03', caseId: 'c', participantIds: ['p3'] },
      { id: 'd4', title: 'Notes', caseId: null, participantIds: [] },
    ],
    segments: [
      seg('s4', 'd1', 300, 'We share the data but keep the recipe.'),
      seg('s1', 'd1', 0, 'Nobody outside the team sees the recipe.'),
      seg('s2', 'd1', 100, 'We released the corpus.'),
      seg('s3', 'd1', 200, 'Tooling is shared.'),
      seg('s5', 'd1', 400, 'We are eight people.'),
      seg('s6', 'd1', 500, 'A board decides.'),
      seg('s7', 'd1', 600, 'Users tell us what breaks.'),
      seg('s8', 'd2', 0, 'Hiring is hard.'),
      seg('s9', 'd2', 50, 'We chat in the open.'),
      seg('s13', 'd2', 100, 'Everything is open.'),
      seg('s10', 'd3', 0, 'Secret.'),
      seg('s11', 'd3', 50, 'Locked in.'),
      seg('s12', 'd4', 0, 'Secret too.'),
    ],
    codings: [
      coding('s1', 'secrecy', 'd1'),
      coding('s1', 'secrecy', 'd1', 'k2'),
      coding('s1', 'lockin', 'd1'),
      coding('s2', 'datasets', 'd1'),
      coding('s3', 'neutralRamp', 'd1'),
      coding('s4', 'secrecy', 'd1'),
      coding('s4', 'datasets', 'd1'),
      coding('s5', 'neutralOther', 'd1'),
      coding('s6', 'governance', 'd1'),
      coding('s7', 'feedback', 'd1'),
      coding('s8', 'neutralChallenge', 'd2'),
      coding('s9', 'bazaarOther', 'd2'),
      coding('s13', 'crossBazaar', 'd2'),
      coding('s10', 'secrecy', 'd3'),
      coding('s11', 'lockin', 'd3', 'k2'),
      coding('s12', 'secrecy', 'd4'),
      coding('missing-segment', 'secrecy', 'd1'),
      coding('s2', 'missing-code', 'd1'),
    ],
  };
}

const pick = (p: { computed: number | null; bazaar: number; cathedral: number; n: number; position: number | null }) => ({
  computed: p.computed,
  bazaar: p.bazaar,
  cathedral: p.cathedral,
  n: p.n,
  position: p.position,
});

describe('the evidence rule', () => {
  it('puts codes on a side by mode, and neutral ones by kind', () => {
    expect(sideOfCode({ mode: 'bazaar', kind: 'challenge' })).toBe('bazaar');
    expect(sideOfCode({ mode: 'bazaar', kind: 'other' })).toBe('bazaar');
    expect(sideOfCode({ mode: 'cathedral', kind: 'on-ramp' })).toBe('cathedral');
    expect(sideOfCode({ mode: 'neutral', kind: 'on-ramp' })).toBe('bazaar');
    expect(sideOfCode({ mode: 'neutral', kind: 'challenge' })).toBe('cathedral');
    expect(sideOfCode({ mode: 'neutral', kind: 'other' })).toBeNull();
  });

  it('computes the formula, with no evidence distinct from balanced', () => {
    expect(positionFromCounts(0, 0)).toBeNull();
    expect(positionFromCounts(3, 3)).toBe(0);
    expect(positionFromCounts(4, 0)).toBe(1);
    expect(positionFromCounts(0, 2)).toBe(-1);
    expect(positionFromCounts(10, 4)).toBeCloseTo(6 / 14, 12);
    expect(POSITION_FORMULA).toBe('position = (bazaar − cathedral) ÷ (bazaar + cathedral); −1 = cathedral, +1 = bazaar');
  });
});

describe('computePositions', () => {
  const map = computePositions(source());
  const at = (caseId: string, stageId: string) => findPosition(map, caseId, stageId)!;

  it('orders stages by lifecycle and cases by name, and gives every pair a position', () => {
    expect(map.stages.map((s) => s.id)).toEqual(['pre', 'post', 'rel']);
    expect(map.cases.map((c) => c.name)).toEqual(['Alpha', 'Beta', 'Delta', 'Gamma']);
    expect(map.positions.map((p) => `${p.stageId}:${p.caseId}`)).toEqual([
      'pre:a', 'pre:b', 'pre:d', 'pre:c',
      'post:a', 'post:b', 'post:d', 'post:c',
      'rel:a', 'rel:b', 'rel:d', 'rel:c',
    ]);
  });

  it('counts a segment once per side, both sides for a mixed segment, and ignores cross-stage and neutral-other codes', () => {
    expect(pick(at('a', 'pre'))).toEqual({ computed: 0.2, bazaar: 3, cathedral: 2, n: 5, position: 0.2 });
    expect(at('a', 'pre').evidence).toEqual([
      { segmentId: 's1', side: 'cathedral', codeIds: ['lockin', 'secrecy'] },
      { segmentId: 's2', side: 'bazaar', codeIds: ['datasets'] },
      { segmentId: 's3', side: 'bazaar', codeIds: ['neutralRamp'] },
      { segmentId: 's4', side: 'both', codeIds: ['datasets', 'secrecy'] },
    ]);
  });

  it('gives one-sided evidence ±1 and balanced evidence 0', () => {
    expect(pick(at('a', 'rel'))).toEqual({ computed: 1, bazaar: 1, cathedral: 0, n: 1, position: 1 });
    expect(pick(at('c', 'pre'))).toEqual({ computed: -1, bazaar: 0, cathedral: 2, n: 2, position: -1 });
    expect(pick(at('b', 'pre'))).toEqual({ computed: 0, bazaar: 1, cathedral: 1, n: 2, position: 0 });
  });

  it('reports no evidence as null: no codings, only cross-stage codes, or a case without documents', () => {
    for (const [c, s] of [['c', 'post'], ['b', 'rel'], ['d', 'pre'], ['a', 'post']] as const) {
      expect(pick(at(c, s))).toEqual({ computed: null, bazaar: 0, cathedral: 0, n: 0, position: null });
      expect(at(c, s).evidence).toEqual([]);
    }
  });

  it('summarises each stage by median and quartiles of the positions', () => {
    // pre: −1, 0, 0.2 → median 0, q1 = −0.5 (h = 0.5), q3 = 0.1 (h = 1.5)
    expect(map.summaries).toEqual([
      { stageId: 'pre', median: 0, count: 3, q1: -0.5, q3: expect.closeTo(0.1, 12) as unknown as number },
      { stageId: 'post', median: null, count: 0, q1: null, q3: null },
      { stageId: 'rel', median: 1, count: 1, q1: 1, q3: 1 },
    ]);
  });

  it('applies filters with the matrices’ rules', () => {
    const byCoder = computePositions(source(), { filters: { coderIds: ['k2'] } });
    expect(pick(findPosition(byCoder, 'a', 'pre')!)).toEqual({ computed: -1, bazaar: 0, cathedral: 1, n: 1, position: -1 });
    expect(findPosition(byCoder, 'a', 'pre')!.evidence).toEqual([{ segmentId: 's1', side: 'cathedral', codeIds: ['secrecy'] }]);
    expect(pick(findPosition(byCoder, 'c', 'pre')!)).toEqual({ computed: -1, bazaar: 0, cathedral: 1, n: 1, position: -1 });
    expect(findPosition(byCoder, 'b', 'pre')!.position).toBeNull();
    expect(byCoder.summaries[0]).toEqual({ stageId: 'pre', median: -1, count: 2, q1: -1, q3: -1 });

    const byCase = computePositions(source(), { filters: { caseIds: ['b'] } });
    expect(byCase.positions.filter((p) => p.position !== null).map((p) => `${p.caseId}:${p.stageId}=${p.position}`)).toEqual(['b:pre=0']);

    const byDate = computePositions(source(), { filters: { from: '2025-02-01' } });
    expect(findPosition(byDate, 'a', 'pre')!.position).toBeNull();
    expect(findPosition(byDate, 'c', 'pre')!.position).toBe(-1);
  });

  it('lets an override set the position while the computed value stays beside it', () => {
    const withOverrides = computePositions(source(), {
      overrides: [
        { caseId: 'a', stageId: 'pre', value: -0.4, justification: '  The released corpus was a one-off.  ', memoId: 'm1' },
        { caseId: 'c', stageId: 'post', value: 0.5, justification: 'Described in the follow-up call.' },
      ],
    });
    const a = findPosition(withOverrides, 'a', 'pre')!;
    expect(pick(a)).toEqual({ computed: 0.2, bazaar: 3, cathedral: 2, n: 5, position: -0.4 });
    expect(a.override).toEqual({ value: -0.4, justification: 'The released corpus was a one-off.', memoId: 'm1' });
    const c = findPosition(withOverrides, 'c', 'post')!;
    expect(pick(c)).toEqual({ computed: null, bazaar: 0, cathedral: 0, n: 0, position: 0.5 });
    expect(c.override).toEqual({ value: 0.5, justification: 'Described in the follow-up call.', memoId: null });
    // pre: −1, −0.4, 0 → median −0.4, q1 −0.7, q3 −0.2; post: 0.5 alone.
    expect(withOverrides.summaries[0]!.median).toBe(-0.4);
    expect(withOverrides.summaries[0]!.q1).toBeCloseTo(-0.7, 12);
    expect(withOverrides.summaries[0]!.q3).toBeCloseTo(-0.2, 12);
    expect(withOverrides.summaries[1]).toEqual({ stageId: 'post', median: 0.5, count: 1, q1: 0.5, q3: 0.5 });
    expect(withOverrides.rejectedOverrides).toEqual([]);
  });

  it('rejects invalid overrides with reasons, and keeps the last of two for one pair', () => {
    const bad = [
      { caseId: 'a', stageId: 'pre', value: 1.5, justification: 'Too far' },
      { caseId: 'a', stageId: 'pre', value: 0.5, justification: '   ' },
      { caseId: 'zzz', stageId: 'pre', value: 0.5, justification: 'Unknown case' },
      { caseId: 'a', stageId: 'pre', value: Number.NaN, justification: 'Not a number' },
    ];
    const first = { caseId: 'b', stageId: 'pre', value: 0.1, justification: 'First' };
    const second = { caseId: 'b', stageId: 'pre', value: 0.3, justification: 'Second' };
    const result = computePositions(source(), { overrides: [...bad, first, second] });
    expect(findPosition(result, 'a', 'pre')!.position).toBe(0.2);
    expect(findPosition(result, 'b', 'pre')!.position).toBe(0.3);
    expect(result.rejectedOverrides.map((r) => r.override)).toEqual([...bad, first]);
    expect(result.rejectedOverrides[0]!.problems).toEqual(['The position must lie between −1 (cathedral) and +1 (bazaar); 1.5 is outside.']);
    expect(result.rejectedOverrides[1]!.problems[0]).toMatch(/^Give a justification/);
    expect(result.rejectedOverrides[2]!.problems).toEqual(['The case of this override is not in the study.']);
    expect(result.rejectedOverrides[3]!.problems).toEqual(['The position must be a number from −1 (cathedral) to +1 (bazaar).']);
    expect(result.rejectedOverrides[4]!.problems).toEqual(['A later override for the same case and stage replaces this one.']);
  });

  it('gives the same result whatever the order of the records', () => {
    const s = source();
    const reversed: PositionSource = {
      stages: [...s.stages].reverse(),
      codes: [...s.codes].reverse(),
      cases: [...s.cases].reverse(),
      participants: [...s.participants].reverse(),
      documents: [...s.documents].reverse(),
      segments: [...s.segments].reverse(),
      codings: [...s.codings].reverse(),
    };
    expect(computePositions(reversed)).toEqual(computePositions(s));
  });

  it('keeps every position within [−1, 1] and consistent with its evidence (property)', () => {
    const stages = [{ id: 'pre', name: 'Pre', order: 0 }];
    const codes = [
      code('cat', 'Cat', 'pre', 'challenge', 'cathedral'),
      code('baz', 'Baz', 'pre', 'on-ramp', 'bazaar'),
      code('nc', 'NC', 'pre', 'challenge', 'neutral'),
      code('no', 'NO', 'pre', 'other', 'neutral'),
    ];
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.constantFrom('cat', 'baz', 'nc', 'no')), { maxLength: 40 }), (pairs) => {
        const src: PositionSource = {
          stages,
          codes,
          cases: [{ id: 'x', name: 'X' }],
          participants: [],
          documents: [{ id: 'd', title: 'D', caseId: 'x', participantIds: [] }],
          segments: Array.from({ length: 10 }, (_, i) => ({ id: `s${i}`, documentId: 'd', start: i * 10, end: i * 10 + 5, text: 'words' })),
          codings: pairs.map(([s, c], i) => ({ id: `k${i}`, segmentId: `s${s}`, codeId: c, coderId: 'r', documentId: 'd', createdAt: T })),
        };
        const p = computePositions(src).positions[0]!;
        const bazaarSegs = new Set(pairs.filter(([, c]) => c === 'baz').map(([s]) => s));
        const cathedralSegs = new Set(pairs.filter(([, c]) => c === 'cat' || c === 'nc').map(([s]) => s));
        expect(p.bazaar).toBe(bazaarSegs.size);
        expect(p.cathedral).toBe(cathedralSegs.size);
        expect(p.evidence.filter((e) => e.side !== 'cathedral').length).toBe(p.bazaar);
        expect(p.evidence.filter((e) => e.side !== 'bazaar').length).toBe(p.cathedral);
        if (p.n === 0) expect(p.position).toBeNull();
        else {
          expect(p.position).toBeGreaterThanOrEqual(-1);
          expect(p.position).toBeLessThanOrEqual(1);
          expect(p.position).toBe((p.bazaar - p.cathedral) / p.n);
        }
      }),
    );
  });
});

describe('positions in words', () => {
  it('describes a position with its counts', () => {
    expect(describePosition({ computed: 6 / 14, bazaar: 10, cathedral: 4, n: 14, override: null })).toBe('0.43 (bazaar 10, cathedral 4; n = 14)');
    expect(describePosition({ computed: -1, bazaar: 0, cathedral: 3, n: 3, override: null })).toBe('−1.00 (bazaar 0, cathedral 3; n = 3)');
    expect(describePosition({ computed: 0, bazaar: 2, cathedral: 2, n: 4, override: null })).toBe('0.00 (balanced: bazaar 2, cathedral 2; n = 4)');
    expect(describePosition({ computed: null, bazaar: 0, cathedral: 0, n: 0, override: null })).toBe('no evidence (n = 0)');
    expect(describePosition({ computed: 6 / 14, bazaar: 10, cathedral: 4, n: 14, override: { value: 0.8, justification: 'Hub for derivatives', memoId: null } })).toBe(
      '0.80 set by the researcher: “Hub for derivatives” (computed 0.43: bazaar 10, cathedral 4; n = 14)',
    );
    expect(describePosition({ computed: null, bazaar: 0, cathedral: 0, n: 0, override: { value: -0.5, justification: 'Memo', memoId: 'm' } })).toBe(
      '−0.50 set by the researcher: “Memo” (computed: no evidence, n = 0)',
    );
  });

  it('formats numbers with a true minus and no negative zero', () => {
    expect(formatPosition(-0.001)).toBe('0.00');
    expect(formatPosition(-0.005)).toBe('−0.01');
    expect(formatPosition(1)).toBe('1.00');
  });

  it('names bands of positions', () => {
    expect([null, -1, -0.6, -0.4, -0.2, 0, 0.1, 0.2, 0.3, 0.6, 1].map(positionInWords)).toEqual([
      'no evidence',
      'strongly cathedral',
      'strongly cathedral',
      'leaning cathedral',
      'mixed',
      'balanced',
      'mixed',
      'mixed',
      'leaning bazaar',
      'strongly bazaar',
      'strongly bazaar',
    ]);
  });
});

describe('medians and quartiles', () => {
  it('interpolates between order statistics', () => {
    expect(quantile([], 0.5)).toBeNull();
    expect(quantile([0.4], 0.25)).toBe(0.4);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantile([1, 2, 3, 4], 0.75)).toBe(3.25);
    expect(summarisePositions('s', [null, 1, -1, null, 0, 0.5, -0.5])).toEqual({ stageId: 's', median: 0, count: 5, q1: -0.5, q3: 0.5 });
    expect(summarisePositions('s', [null])).toEqual({ stageId: 's', median: null, count: 0, q1: null, q3: null });
  });
});

describe('validateOverride', () => {
  it('accepts a value in range with a justification and explains every problem', () => {
    expect(validateOverride({ caseId: 'a', stageId: 'pre', value: -1, justification: 'x' })).toEqual([]);
    expect(validateOverride({ caseId: 'a', stageId: 'pre', value: 1, justification: 'x' }, { caseIds: ['a'], stageIds: ['pre'] })).toEqual([]);
    expect(validateOverride({ caseId: 'a', stageId: 'zz', value: -1.01, justification: '' }, { caseIds: ['a'], stageIds: ['pre'] })).toEqual([
      'The position must lie between −1 (cathedral) and +1 (bazaar); -1.01 is outside.',
      'Give a justification: it is shown beside the position, so readers know why it differs from the computed one.',
      'The stage of this override is not in the study.',
    ]);
  });
});

describe('positionEvidence', () => {
  it('turns a position’s evidence into attributed quotes', () => {
    const s = source();
    const map = computePositions(s);
    const quotes = positionEvidence(s, findPosition(map, 'a', 'pre')!);
    expect(quotes.map((q) => [q.segmentId, q.side, q.text, q.codeNames.join(' + ')])).toEqual([
      ['s1', 'cathedral', 'Nobody outside the team sees the recipe.', 'Lock-in + Secrecy'],
      ['s2', 'bazaar', 'We released the corpus.', 'Open datasets'],
      ['s3', 'bazaar', 'Tooling is shared.', 'Shared tooling'],
      ['s4', 'both', 'We share the data but keep the recipe.', 'Open datasets + Secrecy'],
    ]);
    expect(quotes[0]).toMatchObject({ documentId: 'd1', documentTitle: 'Interview P01', caseId: 'a', caseName: 'Alpha', participantPseudonyms: ['P01'], attribution: 'P01 · Alpha' });
  });

  it('attributes by pseudonym and case only', () => {
    expect(quoteAttribution(['P03', ' ', 'P04'], 'Masakhane')).toBe('P03, P04 · Masakhane');
    expect(quoteAttribution([], 'Masakhane')).toBe('Masakhane');
    expect(quoteAttribution(['P01'], null)).toBe('P01');
    expect(quoteAttribution([], null)).toBe('Unattributed');
  });
});
