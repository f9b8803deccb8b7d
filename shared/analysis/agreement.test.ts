import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AGREEMENT_THRESHOLDS,
  alphaBand,
  cohensKappa,
  computeAgreement,
  findDisagreements,
  kappaBand,
  krippendorffAlphaNominal,
  overlapRatio,
  type AgreementCoding,
  type AgreementInput,
  type AgreementUnit,
} from './agreement.ts';

const A = 'coder-a';
const B = 'coder-b';
const C = 'coder-c';
const X = 'code-x';
const Y = 'code-y';

let next = 0;
/** A coding of `code` by `coder` in `doc` over [start, end). */
const coding = (coderId: string, start: number, end: number, codeId = X, documentId = 'd1'): AgreementCoding => ({ id: `c${(next += 1).toString().padStart(4, '0')}`, documentId, codeId, coderId, start, end });

const input = (codings: AgreementCoding[], options: Partial<AgreementInput> = {}): AgreementInput => ({
  documents: [{ id: 'd1', length: 100 }],
  codings,
  coderIds: [A, B],
  codeIds: [X],
  ...options,
});

describe('krippendorffAlphaNominal', () => {
  it('gives 0.743 on Krippendorff’s published nominal example: 4 observers, 12 units, missing values', () => {
    // Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C. Rows are
    // the observers A–D, columns the units 1–12, null = the observer gave no value. Unit 12
    // has a single value, so it cannot be paired: 40 pairable values remain.
    const _ = null;
    const observers = [
      [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
      [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
      [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
      [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
    ];
    const units = observers[0]!.map((_value, u) => observers.map((o) => o[u]!));
    const result = krippendorffAlphaNominal(units);
    expect(result.pairable).toBe(40);
    expect(result.alpha!).toBeCloseTo(0.743, 3);
    // By hand: units 2, 6 and 8 hold different values; they add (4² − 3² − 1²)/3 = 2, (4² − 4·1²)/3 = 4
    // and 2 to Σ_{c≠k} o_ck = 8. Pairable values per value: n₁ = 9, n₂ = 13, n₃ = 10, n₄ = 5, n₅ = 3.
    // α = 1 − (40 − 1) · 8 / (40² − (9² + 13² + 10² + 5² + 3²)) = 1 − 312/1216 = 0.7434.
    expect(result.alpha).toBeCloseTo(1 - 312 / 1216, 12);
    expect(result.note).toBeNull();
  });

  it('gives 0.095 on Krippendorff’s binary example for two observers without missing values', () => {
    // Krippendorff (2011), section A: 10 units; o₀₀ = 10, o₀₁ = o₁₀ = 4, o₁₁ = 2; n₀ = 14, n₁ = 6.
    // α = 1 − (20 − 1) · 4 / (14 · 6) = 1 − 76/84 = 0.0952.
    const first = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0];
    const second = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0];
    const result = krippendorffAlphaNominal(first.map((v, u) => [v, second[u]!]));
    expect(result.alpha).toBeCloseTo(1 - 76 / 84, 12);
    expect(result.alpha!).toBeCloseTo(0.095, 3);
  });

  it('is 1 when every pair agrees and values vary, and undefined without variation or pairs', () => {
    expect(krippendorffAlphaNominal([['a', 'a'], ['b', 'b', null]]).alpha).toBe(1);
    const same = krippendorffAlphaNominal([[1, 1], [1, 1, 1]]);
    expect(same.alpha).toBeNull();
    expect(same.note).toMatch(/no variation/);
    const lonely = krippendorffAlphaNominal([[1, null], [null, 2], []]);
    expect(lonely).toEqual({ alpha: null, pairable: 0, note: expect.stringMatching(/fewer than two pairable values/) });
  });
});

describe('cohensKappa', () => {
  it('gives 0.4 on the textbook table of 50 units', () => {
    // Both coders said yes to 20 units, only the first to 5, only the second to 10, neither to 15.
    // pₒ = (20 + 15) / 50 = 0.70. First says yes to 25/50 = 0.5, second to 30/50 = 0.6.
    // pₑ = 0.5 · 0.6 + 0.5 · 0.4 = 0.30 + 0.20 = 0.50. κ = (0.70 − 0.50) / (1 − 0.50) = 0.4.
    expect(cohensKappa({ both: 20, firstOnly: 5, secondOnly: 10, neither: 15 })).toBeCloseTo(0.4, 12);
  });

  it('is 0 when one coder coded nothing, and undefined when both gave one and the same value throughout', () => {
    expect(cohensKappa({ both: 0, firstOnly: 7, secondOnly: 0, neither: 3 })).toBe(0);
    expect(cohensKappa({ both: 0, firstOnly: 0, secondOnly: 0, neither: 9 })).toBeNull();
    expect(cohensKappa({ both: 0, firstOnly: 0, secondOnly: 0, neither: 0 })).toBeNull();
  });
});

describe('computeAgreement, document unit', () => {
  it('reproduces the textbook kappa table with one document per unit', () => {
    // 50 documents: 20 both coded, 5 only A, 10 only B, 15 neither (see cohensKappa above).
    const documents = Array.from({ length: 50 }, (_, i) => ({ id: `d${i}`, length: 10 }));
    const codings: AgreementCoding[] = [];
    documents.forEach((d, i) => {
      if (i < 25) codings.push(coding(A, 0, 5, X, d.id));
      if (i < 20 || (i >= 25 && i < 35)) codings.push(coding(B, 2, 8, X, d.id));
    });
    const result = computeAgreement(input(codings, { documents }), { unit: 'document' });
    const x = result.perCode[0]!;
    expect(x.units).toBe(50);
    expect(x.percent).toBeCloseTo(0.7, 12);
    expect(x.kappa).toBeCloseTo(0.4, 12);
    // α: 100 values, n₁ = 55, n₀ = 45; 15 split units add 2·1·1/1 each: 30. α = 1 − 99·30/(2·45·55) = 0.4.
    expect(x.alpha).toBeCloseTo(1 - (99 * 30) / (2 * 45 * 55), 12);
    expect(x.notes).toEqual([]);
  });

  it('counts documents nobody coded as agreement on 0, and pools codes overall', () => {
    const documents = [{ id: 'd1', length: 10 }, { id: 'd2', length: 10 }, { id: 'd3', length: 10 }];
    const codings = [coding(A, 0, 3, X, 'd1'), coding(A, 4, 6, X, 'd1'), coding(B, 1, 2, X, 'd1'), coding(A, 0, 1, X, 'd2'), coding(B, 0, 1, X, 'd3')];
    const result = computeAgreement(input(codings, { documents, codeIds: [X, Y] }), { unit: 'document' });
    const [x, y] = result.perCode;
    expect(x).toMatchObject({ codeId: X, units: 3, percent: 1 / 3 });
    // Units (A, B): (1,1), (1,0), (0,1). pₒ = 1/3; pA = pB = 2/3; pₑ = 4/9 + 1/9 = 5/9; κ = (3/9 − 5/9)/(4/9) = −0.5.
    expect(x!.kappa).toBeCloseTo(-0.5, 12);
    // Y: nobody coded it, every unit is (0, 0).
    expect(y).toMatchObject({ codeId: Y, units: 3, percent: 1, kappa: null, alpha: null });
    expect(y!.notes).toEqual([expect.stringMatching(/^Cohen’s kappa and Krippendorff’s alpha are undefined: no variation \(no coder applied the code to any unit\)/)]);
    expect(result.overall.units).toBe(6);
    expect(result.overall.percent).toBeCloseTo(4 / 6, 12);
    // Overall (A, B): 1 both, 1 only A, 1 only B, 3 neither. pₒ = 4/6; pA = pB = 2/6; pₑ = 1/9 + 4/9 = 5/9; κ = (6/9 − 5/9)/(4/9) = 0.25.
    expect(result.overall.kappa).toBeCloseTo(0.25, 12);
  });
});

describe('computeAgreement, character unit', () => {
  it('counts each character once per coder, whatever overlaps the coder’s own codings have', () => {
    // A covers 10–30 (twice over 15–25), B covers 20–40, in 100 characters:
    // A only 10, both 10, B only 10, neither 70.
    const result = computeAgreement(input([coding(A, 10, 30), coding(A, 15, 25), coding(B, 20, 40)]), { unit: 'character' });
    const x = result.perCode[0]!;
    expect(x.units).toBe(100);
    expect(x.percent).toBeCloseTo(0.8, 12);
    // pₒ = 0.8; pA = pB = 0.2; pₑ = 0.04 + 0.64 = 0.68; κ = 0.12 / 0.32 = 0.375.
    expect(x.kappa).toBeCloseTo(0.375, 12);
    // 200 values, n₁ = 40, n₀ = 160; 20 split characters add 2 each: 40. α = 1 − 199·40/(2·160·40) = 0.378125.
    expect(x.alpha).toBeCloseTo(0.378125, 12);
  });

  it('one coder coded nothing: kappa 0, alpha below 0', () => {
    const x = computeAgreement(input([coding(A, 0, 50)]), { unit: 'character' }).perCode[0]!;
    expect(x.percent).toBe(0.5);
    // pₒ = 0.5; pA = 0.5, pB = 0; pₑ = 0 + 0.5 · 1 = 0.5; κ = 0.
    expect(x.kappa).toBe(0);
    // 200 values, n₁ = 50, n₀ = 150; D = 50 · 2 = 100. α = 1 − 199·100/(2·150·50) = −0.32667.
    expect(x.alpha).toBeCloseTo(1 - 19900 / 15000, 12);
  });

  it('perfect agreement gives 1 for every statistic', () => {
    const x = computeAgreement(input([coding(A, 5, 25), coding(B, 5, 15), coding(B, 15, 25)]), { unit: 'character' }).perCode[0]!;
    expect(x).toEqual({ codeId: X, percent: 1, kappa: 1, alpha: 1, units: 100, notes: [] });
  });

  it('all units identical (every character coded by both): only percent agreement is defined', () => {
    const x = computeAgreement(input([coding(A, 0, 100), coding(B, 0, 100)]), { unit: 'character' }).perCode[0]!;
    expect(x).toMatchObject({ percent: 1, kappa: null, alpha: null, units: 100 });
    expect(x.notes).toEqual([expect.stringContaining('no variation (every coder applied the code to every unit)')]);
  });

  it('with three coders gives no kappa, says why once overall, and pools characters over codes and documents', () => {
    const documents = [{ id: 'd1', length: 10 }, { id: 'd2', length: 20 }];
    const codings = [coding(A, 0, 4, X, 'd1'), coding(B, 0, 4, X, 'd1'), coding(C, 2, 4, X, 'd1'), coding(A, 0, 20, Y, 'd2'), coding(B, 0, 20, Y, 'd2'), coding(C, 0, 20, Y, 'd2')];
    const result = computeAgreement(input(codings, { documents, coderIds: [A, B, C], codeIds: [X, Y] }), { unit: 'character' });
    expect(result.perCode.map((r) => [r.units, r.kappa])).toEqual([[30, null], [30, null]]);
    expect(result.perCode[0]!.notes).toEqual([]);
    // X: 2 characters with (1,1,0), 2 with (1,1,1), 26 with (0,0,0): percent 28/30.
    expect(result.perCode[0]!.percent).toBeCloseTo(28 / 30, 12);
    // Overall: X's 30 and Y's 30 characters (Y: 20 × (1,1,1), 10 × (0,0,0)).
    expect(result.overall.units).toBe(60);
    expect(result.overall.percent).toBeCloseTo(58 / 60, 12);
    expect(result.overall.notes).toEqual(['Cohen’s kappa compares exactly two coders; 3 are compared: read Krippendorff’s alpha.']);
    // α by the general function on the same 60 units.
    const units = [...Array(2).fill([1, 1, 0]), ...Array(22).fill([1, 1, 1]), ...Array(36).fill([0, 0, 0])];
    expect(result.overall.alpha).toBeCloseTo(krippendorffAlphaNominal(units).alpha!, 12);
  });

  it('a code nobody applied, and documents without text', () => {
    const none = computeAgreement(input([]), { unit: 'character' }).perCode[0]!;
    expect(none).toMatchObject({ percent: 1, kappa: null, alpha: null, units: 100 });
    const empty = computeAgreement(input([], { documents: [{ id: 'd1', length: 0 }] }), { unit: 'character' });
    expect(empty.perCode[0]).toEqual({ codeId: X, percent: null, kappa: null, alpha: null, units: 0, notes: ['no units: the chosen documents hold no text'] });
  });
});

describe('computeAgreement, segment unit', () => {
  it('matches codings whose overlap reaches half their union, the threshold included', () => {
    expect(overlapRatio({ start: 0, end: 10 }, { start: 5, end: 15 })).toBeCloseTo(1 / 3, 12);
    const codings = [
      coding(A, 0, 10), coding(B, 2, 10), // 8/10: matched
      coding(A, 20, 30), coding(B, 26, 40), // 4/20: not matched, two units
      coding(A, 50, 60), // A alone
      coding(A, 70, 80), coding(B, 75, 80), // 5/10 = 0.5: matched
    ];
    const x = computeAgreement(input(codings), { unit: 'segment' }).perCode[0]!;
    // Units (A, B): (1,1), (1,0), (0,1), (1,0), (1,1).
    expect(x.units).toBe(5);
    expect(x.percent).toBeCloseTo(2 / 5, 12);
    // pₒ = 0.4; pA = 4/5, pB = 3/5; pₑ = 12/25 + 2/25 = 14/25; κ = (10/25 − 14/25)/(11/25) = −4/11.
    expect(x.kappa).toBeCloseTo(-4 / 11, 12);
    // 10 values, n₁ = 7, n₀ = 3; 3 split units add 2 each: 6. α = 1 − 9·6/(2·3·7) = −2/7.
    expect(x.alpha).toBeCloseTo(1 - 54 / 42, 12);
    const stricter = computeAgreement(input(codings), { unit: 'segment', overlap: 0.9 }).perCode[0]!;
    expect(stricter.units).toBe(7);
    expect(stricter.percent).toBe(0);
  });

  it('takes the best match first, one coding per coder', () => {
    // A1 overlaps B1 by 6/10 and B2 by 9/10: A1 goes with B2, B1 stays alone.
    const codings = [coding(A, 0, 10), coding(B, 0, 6), coding(B, 0, 9)];
    const [d] = findDisagreements(input(codings), { unit: 'segment' });
    expect(computeAgreement(input(codings), { unit: 'segment' }).perCode[0]!.units).toBe(2);
    // The disagreement is B1's unit; every coding overlapping its span is shown.
    expect(d).toMatchObject({ start: 0, end: 6 });
    expect(d!.byCoder[A]!.map((c) => [c.start, c.end])).toEqual([[0, 10]]);
    expect(d!.byCoder[B]!.map((c) => [c.start, c.end])).toEqual([[0, 6], [0, 9]]);
  });

  it('with three coders, a group holds only codings that all match each other', () => {
    // A–B 8/10, A–C 8/10, B–C 6/10.
    const codings = [coding(A, 0, 10), coding(B, 0, 8), coding(C, 2, 10)];
    const three = { coderIds: [A, B, C] };
    expect(computeAgreement(input(codings, three), { unit: 'segment' }).perCode[0]).toMatchObject({ units: 1, percent: 1, alpha: null });
    const strict = computeAgreement(input(codings, three), { unit: 'segment', overlap: 0.7 }).perCode[0]!;
    // {A, B} (the earlier of the two best pairs) and {C}.
    expect(strict.units).toBe(2);
    expect(strict.percent).toBe(0);
  });

  it('perfect agreement leaves no variation: percent 1, kappa and alpha undefined', () => {
    const x = computeAgreement(input([coding(A, 0, 10), coding(B, 0, 10), coding(A, 20, 30), coding(B, 21, 30)]), { unit: 'segment' }).perCode[0]!;
    expect(x).toMatchObject({ units: 2, percent: 1, kappa: null, alpha: null });
    expect(x.notes).toEqual([expect.stringContaining('every coder applied the code to every unit')]);
  });

  it('a code nobody applied has no units', () => {
    const result = computeAgreement(input([coding(A, 0, 10)], { codeIds: [X, Y] }), { unit: 'segment' });
    expect(result.perCode[1]).toEqual({ codeId: Y, percent: null, kappa: null, alpha: null, units: 0, notes: ['no units: no coder applied this code in the chosen documents'] });
    expect(result.perCode[0]).toMatchObject({ units: 1, percent: 0, kappa: 0 });
  });
});

describe('findDisagreements', () => {
  it('character unit: stretches covered by some coders only, merged where they touch', () => {
    const a = coding(A, 10, 30);
    const b = coding(B, 20, 40);
    const found = findDisagreements(input([a, b]), { unit: 'character' });
    expect(found).toEqual([
      { documentId: 'd1', codeId: X, start: 10, end: 20, byCoder: { [A]: [a], [B]: [] } },
      { documentId: 'd1', codeId: X, start: 30, end: 40, byCoder: { [A]: [], [B]: [b] } },
    ]);
    const left = coding(A, 0, 10);
    const right = coding(B, 10, 20);
    expect(findDisagreements(input([left, right]), { unit: 'character' })).toEqual([{ documentId: 'd1', codeId: X, start: 0, end: 20, byCoder: { [A]: [left], [B]: [right] } }]);
  });

  it('document unit: the extent of the code’s codings where not every coder applied it', () => {
    const documents = [{ id: 'd1', length: 50 }, { id: 'd2', length: 50 }];
    const a1 = coding(A, 5, 10, X, 'd1');
    const a2 = coding(A, 30, 40, X, 'd1');
    const shared = [coding(A, 0, 5, X, 'd2'), coding(B, 40, 45, X, 'd2')];
    expect(findDisagreements(input([a1, a2, ...shared], { documents }), { unit: 'document' })).toEqual([{ documentId: 'd1', codeId: X, start: 5, end: 40, byCoder: { [A]: [a1, a2], [B]: [] } }]);
  });

  it('lists documents in the input’s order, then codes in the input’s order', () => {
    const documents = [{ id: 'd2', length: 50 }, { id: 'd1', length: 50 }];
    const codings = [coding(A, 0, 5, Y, 'd1'), coding(A, 0, 5, X, 'd1'), coding(B, 0, 5, Y, 'd2')];
    const found = findDisagreements(input(codings, { documents, codeIds: [X, Y] }), { unit: 'segment' });
    expect(found.map((d) => `${d.documentId}/${d.codeId}`)).toEqual(['d2/code-y', 'd1/code-x', 'd1/code-y']);
  });

  it('finds nothing when the coders agree', () => {
    for (const unit of ['document', 'character', 'segment'] as const) {
      expect(findDisagreements(input([coding(A, 0, 10), coding(B, 0, 10)]), { unit })).toEqual([]);
    }
  });
});

describe('bad input', () => {
  it('refuses fewer than two coders, a coder chosen twice, a bad overlap and codings outside their document', () => {
    expect(() => computeAgreement(input([], { coderIds: [A] }), { unit: 'document' })).toThrow('Agreement compares two or more coders; only one is chosen.');
    expect(() => computeAgreement(input([], { coderIds: [A, A] }), { unit: 'document' })).toThrow(/chosen twice/);
    expect(() => computeAgreement(input([]), { unit: 'segment', overlap: 0 })).toThrow(/greater than 0 and at most 1/);
    expect(() => computeAgreement(input([]), { unit: 'segment', overlap: 1.5 })).toThrow(/greater than 0 and at most 1/);
    const outside = { ...coding(A, 90, 120), id: 'too-long' };
    expect(() => findDisagreements(input([outside]), { unit: 'character' })).toThrow('Coding too-long spans 90–120, outside its document d1 (100 characters).');
  });

  it('leaves out codings of other coders, codes or documents, and empty codings', () => {
    const kept = computeAgreement(input([coding(A, 0, 10), coding(B, 0, 10)]), { unit: 'segment' });
    const noise = [coding(C, 50, 60), coding(A, 50, 60, Y), coding(A, 0, 10, X, 'elsewhere'), coding(B, 70, 70)];
    expect(computeAgreement(input([coding(A, 0, 10), coding(B, 0, 10), ...noise]), { unit: 'segment' })).toEqual(kept);
  });
});

describe('thresholds', () => {
  it('explains kappa and alpha, and names the bands', () => {
    expect(AGREEMENT_THRESHOLDS.some((t) => t.statistic === 'kappa' && t.text.includes('Landis & Koch'))).toBe(true);
    expect(AGREEMENT_THRESHOLDS.some((t) => t.statistic === 'alpha' && t.text.includes('0.800') && t.text.includes('0.667'))).toBe(true);
    expect([-0.1, 0.2, 0.4, 0.6, 0.8, 0.81].map(kappaBand)).toEqual(['poor', 'slight', 'fair', 'moderate', 'substantial', 'almost perfect']);
    expect([0.8, 0.7, 0.6].map(alphaBand)).toEqual(['reliable', 'tentative', 'unreliable']);
  });
});

// --- Properties -------------------------------------------------------------------------

const CODERS = [A, B, C];
const CODES = [X, Y];

/** Small random studies: 1–3 documents of 0–30 characters, 2–3 coders, 2 codes, up to 12 codings. */
const smallStudy = fc
  .record({
    lengths: fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 3 }),
    coders: fc.integer({ min: 2, max: 3 }),
    raw: fc.array(fc.record({ doc: fc.nat(), coder: fc.nat(), code: fc.nat(), a: fc.nat(), b: fc.nat() }), { maxLength: 12 }),
  })
  .map(({ lengths, coders, raw }): AgreementInput => {
    const documents = lengths.map((length, i) => ({ id: `d${i}`, length }));
    const codings = raw.map((r, i) => {
      const d = documents[r.doc % documents.length]!;
      const x = r.a % (d.length + 1);
      const y = r.b % (d.length + 1);
      return { id: `k${i}`, documentId: d.id, codeId: CODES[r.code % 2]!, coderId: CODERS[r.coder % coders]!, start: Math.min(x, y), end: Math.max(x, y) };
    });
    return { documents, codings, coderIds: CODERS.slice(0, coders), codeIds: CODES };
  });

/** The character unit, one character at a time: each (code, document, character) a unit of 0/1 per coder. */
function naiveCharacterUnits(study: AgreementInput, codeId: string): number[][] {
  const units: number[][] = [];
  for (const d of study.documents) {
    for (let at = 0; at < d.length; at += 1) {
      units.push(study.coderIds.map((coder) => (study.codings.some((c) => c.coderId === coder && c.codeId === codeId && c.documentId === d.id && c.start <= at && at < c.end) ? 1 : 0)));
    }
  }
  return units;
}

function naiveStatistics(units: number[][]) {
  const percent = units.length === 0 ? null : units.filter((u) => u.every((v) => v === u[0])).length / units.length;
  const kappa =
    units.length === 0 || units[0]!.length !== 2
      ? null
      : cohensKappa({
          both: units.filter(([a, b]) => a === 1 && b === 1).length,
          firstOnly: units.filter(([a, b]) => a === 1 && b === 0).length,
          secondOnly: units.filter(([a, b]) => a === 0 && b === 1).length,
          neither: units.filter(([a, b]) => a === 0 && b === 0).length,
        });
  return { percent, kappa, alpha: krippendorffAlphaNominal(units).alpha, units: units.length };
}

const close = (actual: number | null, expected: number | null) => {
  if (expected === null) expect(actual).toBeNull();
  else expect(actual).toBeCloseTo(expected, 9);
};

describe('properties', () => {
  it('character unit: the sweep gives what counting every character gives, per code and pooled', () => {
    fc.assert(
      fc.property(smallStudy, (study) => {
        const result = computeAgreement(study, { unit: 'character' });
        const pooled: number[][] = [];
        result.perCode.forEach((row) => {
          const units = naiveCharacterUnits(study, row.codeId);
          pooled.push(...units);
          const expected = naiveStatistics(units);
          expect(row.units).toBe(expected.units);
          close(row.percent, expected.percent);
          close(row.kappa, expected.kappa);
          close(row.alpha, expected.alpha);
        });
        const expected = naiveStatistics(pooled);
        close(result.overall.percent, expected.percent);
        close(result.overall.kappa, expected.kappa);
        close(result.overall.alpha, expected.alpha);
      }),
      { numRuns: 300 },
    );
  });

  it('document unit: what one 0/1 per coder and document gives', () => {
    fc.assert(
      fc.property(smallStudy, (study) => {
        const result = computeAgreement(study, { unit: 'document' });
        result.perCode.forEach((row) => {
          const units = study.documents.map((d) => study.coderIds.map((coder) => (study.codings.some((c) => c.coderId === coder && c.codeId === row.codeId && c.documentId === d.id && c.end > c.start) ? 1 : 0)));
          const expected = naiveStatistics(units);
          close(row.percent, expected.percent);
          close(row.kappa, expected.kappa);
          close(row.alpha, expected.alpha);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('the order of the coders changes no statistic and no disagreement', () => {
    fc.assert(
      fc.property(smallStudy, fc.constantFrom<AgreementUnit>('document', 'character', 'segment'), (study, unit) => {
        const reversed = { ...study, coderIds: [...study.coderIds].reverse() };
        const one = computeAgreement(study, { unit });
        const other = computeAgreement(reversed, { unit });
        [...one.perCode, one.overall].forEach((row, i) => {
          const twin = [...other.perCode, other.overall][i]!;
          expect(twin.units).toBe(row.units);
          close(twin.percent, row.percent);
          close(twin.kappa, row.kappa);
          close(twin.alpha, row.alpha);
        });
        const spans = (found: ReturnType<typeof findDisagreements>) => found.map((d) => [d.documentId, d.codeId, d.start, d.end]);
        expect(spans(findDisagreements(reversed, { unit }))).toEqual(spans(findDisagreements(study, { unit })));
      }),
      { numRuns: 200 },
    );
  });

  it('identical coders agree on every unit and disagree nowhere', () => {
    fc.assert(
      fc.property(smallStudy, fc.constantFrom<AgreementUnit>('document', 'character', 'segment'), (study, unit) => {
        const first = study.codings.filter((c) => c.coderId === A);
        const copies = study.coderIds.flatMap((coder) => first.map((c) => ({ ...c, id: `${c.id}-${coder}`, coderId: coder })));
        const same = { ...study, codings: copies };
        const result = computeAgreement(same, { unit });
        for (const row of [...result.perCode, result.overall]) {
          // Only a code nobody applied, at the segment unit, or text-less documents have no units.
          if (row.units === 0) expect(row.percent).toBeNull();
          else expect(row.percent).toBe(1);
        }
        expect(findDisagreements(same, { unit })).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
