/**
 * Inter-coder agreement: how far two or more coders applied the same codes to the same text.
 * The same rules serve the Agreement screen, the review of disagreements, the command line
 * (`cartography agreement`) and the benchmark.
 *
 * Every unit below is binary: a coder gives it 1 (applied the code there) or 0. Coders are
 * assumed to have coded every chosen document, so a coder without a single coding in a
 * document still gives 0 to its units (not "missing"): choosing the documents a coder
 * actually worked on is the caller's job. No unit therefore has a missing value; the general
 * `krippendorffAlphaNominal` below accepts missing values all the same.
 *
 * Units, per code:
 * - `document`: one unit per (code, document): does the coder have a coding of the code in the
 *   document; documents nobody coded with the code count too (all coders give 0).
 * - `character`: one unit per (code, document, character), as NVivo and QualCoder compare
 *   coding: is the character inside one of the coder's codings of the code. Characters nobody
 *   coded count as agreement on 0, so a long, sparsely coded text reads as high percent
 *   agreement: kappa and alpha correct for that. Computed by sweeping the sorted boundaries of
 *   each (code, document)'s codings and adding up the length of every pattern (which coders
 *   cover the stretch), never character by character.
 * - `segment` (after MAXQDA): per code and document, two codings of different coders match
 *   when their overlap is at least `overlap` (default 0.5) of their union. Candidate pairs are
 *   taken greedily, best ratio first (ties: earlier codings first); a pair joins the two
 *   codings' groups only when the joined group would still hold at most one coding per coder
 *   and every two codings in it match (so with two coders the matching is one-to-one). Each
 *   group, matched or a single unmatched coding, is one unit; a coder gives it 1 when one of
 *   its codings is in the group. Text nobody coded is no unit, so a code everyone applied
 *   identically has no variation and only percent agreement is defined.
 *
 * Statistics, per code and overall (overall pools the units of every code):
 * - percent: the share of units on which every coder gives the same value;
 * - Cohen's kappa (exactly two coders): (pₒ − pₑ) ÷ (1 − pₑ) from the 2 × 2 table;
 * - Krippendorff's alpha, nominal: 1 − (n − 1)·Σ_{c≠k} o_ck ÷ Σ_{c≠k} n_c·n_k from the
 *   coincidence matrix (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability").
 * A value that is undefined (no units, no variation, fewer than two pairable values) is null,
 * and `notes` says why.
 *
 * Codings whose document, code or coder is not among the chosen ones are left out; an empty
 * coding (start = end) codes no text and is left out too. Offsets are UTF-16 code units, end
 * exclusive, as everywhere in Cartography.
 */
import type { Guid } from '../model/types.ts';

export type AgreementUnit = 'document' | 'character' | 'segment';

export const AGREEMENT_UNITS: readonly AgreementUnit[] = ['document', 'character', 'segment'];

/** The segment unit's default threshold: overlap ÷ union of two codings. */
export const DEFAULT_OVERLAP = 0.5;

export interface AgreementCoding {
  id: Guid;
  documentId: Guid;
  codeId: Guid;
  coderId: Guid;
  start: number;
  end: number;
}

export interface AgreementInput {
  /** Text length in UTF-16 units. */
  documents: readonly { id: Guid; length: number }[];
  /** Already restricted to the chosen codes and documents (others are left out anyway). */
  codings: readonly AgreementCoding[];
  /** Two or more. */
  coderIds: readonly Guid[];
  codeIds: readonly Guid[];
}

export interface AgreementOptions {
  unit: AgreementUnit;
  /** Segment unit: the share of their union two codings must overlap to match (0 < overlap ≤ 1), default 0.5. */
  overlap?: number;
}

export interface AgreementStatistic {
  /** Share of units on which all coders agree (0–1). */
  percent: number | null;
  /** Cohen's kappa, only with exactly two coders. */
  kappa: number | null;
  /** Krippendorff's alpha, nominal. */
  alpha: number | null;
  /** Units compared (characters, documents or matched segments). */
  units: number;
  /**
   * Why a value is null. Per code, kappa is null without a note when more than two coders
   * are compared; `overall` says so once.
   */
  notes: string[];
}

export interface AgreementResult {
  unit: AgreementUnit;
  coderIds: Guid[];
  perCode: ({ codeId: Guid } & AgreementStatistic)[];
  overall: AgreementStatistic;
}

export interface Disagreement {
  documentId: Guid;
  codeId: Guid;
  /** The span the disagreement covers (union of the codings involved). */
  start: number;
  end: number;
  /** Each coder's codings of this code overlapping the span (empty = that coder did not code it). */
  byCoder: Record<Guid, AgreementCoding[]>;
}

// --- How to read the values -------------------------------------------------------------

/**
 * How to read kappa (Landis & Koch, 1977) and alpha (Krippendorff, 2004: conventions, not
 * laws of nature; the stakes of the study decide what is good enough).
 */
export const AGREEMENT_THRESHOLDS: { statistic: 'kappa' | 'alpha'; text: string }[] = [
  { statistic: 'kappa', text: 'Cohen’s kappa (Landis & Koch, 1977): below 0 poor, 0.00–0.20 slight, 0.21–0.40 fair, 0.41–0.60 moderate, 0.61–0.80 substantial, 0.81–1.00 almost perfect agreement.' },
  { statistic: 'kappa', text: 'Kappa corrects percent agreement for the agreement two coders would reach by chance with their own rates of applying the code; 1 is perfect agreement, 0 no better than chance.' },
  { statistic: 'alpha', text: 'Krippendorff’s alpha: α ≥ 0.800 reliable; 0.667 ≤ α < 0.800 allows tentative conclusions only; below 0.667 the coding is not reliable enough to draw conclusions from (Krippendorff, 2004).' },
  { statistic: 'alpha', text: 'Alpha works for any number of coders and corrects for chance like kappa; 1 is perfect agreement, 0 agreement at chance level, below 0 systematic disagreement.' },
];

/** The Landis & Koch band of a kappa value. */
export function kappaBand(kappa: number): string {
  if (kappa < 0) return 'poor';
  if (kappa <= 0.2) return 'slight';
  if (kappa <= 0.4) return 'fair';
  if (kappa <= 0.6) return 'moderate';
  if (kappa <= 0.8) return 'substantial';
  return 'almost perfect';
}

/** Krippendorff's reading of an alpha value. */
export function alphaBand(alpha: number): string {
  if (alpha >= 0.8) return 'reliable';
  if (alpha >= 0.667) return 'tentative';
  return 'unreliable';
}

// --- The statistics in general ----------------------------------------------------------

export interface AlphaResult {
  alpha: number | null;
  /** Values in units with at least two values (the only ones that can be paired). */
  pairable: number;
  note: string | null;
}

/**
 * Krippendorff's alpha for nominal data, any number of coders, missing values (null)
 * allowed: `units[u]` holds each coder's value for unit u. Values are compared with `===`.
 * From the coincidence matrix: a unit with m ≥ 2 values adds 1/(m − 1) for each ordered pair
 * of its values, so Σ_{c≠k} o_ck = Σ_u (m_u² − Σ_c count_uc²)/(m_u − 1) and n_c = Σ_u count_uc.
 */
export function krippendorffAlphaNominal(units: readonly (readonly (string | number | null)[])[]): AlphaResult {
  const totals = new Map<string | number, number>();
  let disagreement = 0;
  let pairable = 0;
  for (const unit of units) {
    const counts = new Map<string | number, number>();
    let m = 0;
    for (const value of unit) {
      if (value === null) continue;
      counts.set(value, (counts.get(value) ?? 0) + 1);
      m += 1;
    }
    if (m < 2) continue;
    pairable += m;
    let same = 0;
    for (const [value, count] of counts) {
      same += count * count;
      totals.set(value, (totals.get(value) ?? 0) + count);
    }
    disagreement += (m * m - same) / (m - 1);
  }
  if (pairable < 2) return { alpha: null, pairable, note: 'fewer than two pairable values: no unit has values from two coders' };
  let squares = 0;
  for (const n of totals.values()) squares += n * n;
  const expected = pairable * pairable - squares;
  if (expected === 0) return { alpha: null, pairable, note: 'no variation: every value is the same, so no disagreement can be expected by chance' };
  return { alpha: 1 - ((pairable - 1) * disagreement) / expected, pairable, note: null };
}

/** Two coders' binary values: units both gave 1, only the first, only the second, neither. */
export interface TwoByTwo {
  both: number;
  firstOnly: number;
  secondOnly: number;
  neither: number;
}

/** Cohen's kappa of a 2 × 2 table; null when expected agreement is 1 (both coders gave one and the same value throughout) or the table is empty. */
export function cohensKappa(table: TwoByTwo): number | null {
  const { both, firstOnly, secondOnly, neither } = table;
  const total = both + firstOnly + secondOnly + neither;
  // κ = (pₒ − pₑ)/(1 − pₑ), multiplied through by total² so that whole counts stay exact.
  const chance = (both + firstOnly) * (both + secondOnly) + (secondOnly + neither) * (firstOnly + neither);
  const possible = total * total - chance;
  if (total === 0 || possible <= 0) return null;
  return (total * (both + neither) - chance) / possible;
}

// --- Binary units, summarised -----------------------------------------------------------

/**
 * Binary units where every coder gives a value, summarised by how many coders gave 1:
 * that is all percent agreement and alpha need; `firstAlone` splits the one-coder units for
 * Cohen's kappa. Weights are unit counts (characters, for the character unit).
 */
interface Tally {
  byOnes: Float64Array;
  firstAlone: number;
}

const newTally = (coders: number): Tally => ({ byOnes: new Float64Array(coders + 1), firstAlone: 0 });

function addTo(target: Tally, source: Tally): void {
  for (let k = 0; k < source.byOnes.length; k += 1) target.byOnes[k]! += source.byOnes[k]!;
  target.firstAlone += source.firstAlone;
}

type Scope = { kind: 'code'; unit: AgreementUnit } | { kind: 'overall'; unit: AgreementUnit; coders: number };

const NO_UNITS: Record<AgreementUnit, string> = {
  document: 'no units: no documents are chosen',
  character: 'no units: the chosen documents hold no text',
  segment: 'no units: no coder applied this code in the chosen documents',
};

function statisticOf(tally: Tally, scope: Scope): AgreementStatistic {
  const n = tally.byOnes.length - 1;
  let units = 0;
  let ones = 0;
  let disagreement = 0;
  for (let k = 0; k <= n; k += 1) {
    const w = tally.byOnes[k]!;
    units += w;
    ones += k * w;
    disagreement += (w * 2 * k * (n - k)) / (n - 1);
  }
  const notes: string[] = [];
  const twoCoders = n === 2;
  if (scope.kind === 'overall' && !twoCoders) notes.push(`Cohen’s kappa compares exactly two coders; ${scope.coders} are compared: read Krippendorff’s alpha.`);
  if (units === 0) {
    notes.push(scope.kind === 'overall' && scope.unit === 'segment' ? 'no units: no coder applied any of the chosen codes in the chosen documents' : NO_UNITS[scope.unit]);
    return { percent: null, kappa: null, alpha: null, units: 0, notes };
  }
  const percent = (tally.byOnes[0]! + tally.byOnes[n]!) / units;
  const values = n * units;
  const zeros = values - ones;
  if (ones === 0 || zeros === 0) {
    const which = twoCoders ? 'Cohen’s kappa and Krippendorff’s alpha are' : 'Krippendorff’s alpha is';
    const why = ones === 0 ? 'no coder applied the code to any unit' : 'every coder applied the code to every unit';
    notes.push(`${which} undefined: no variation (${scope.kind === 'overall' ? why.replace('the code', 'a code') : why}), so there is no disagreement to expect by chance; percent agreement still applies.`);
    return { percent, kappa: null, alpha: null, units, notes };
  }
  // Binary case of krippendorffAlphaNominal: Σ_{c≠k} n_c·n_k = 2·n₀·n₁.
  const alpha = 1 - ((values - 1) * disagreement) / (2 * zeros * ones);
  const kappa = twoCoders ? cohensKappa({ both: tally.byOnes[2]!, firstOnly: tally.firstAlone, secondOnly: tally.byOnes[1]! - tally.firstAlone, neither: tally.byOnes[0]! }) : null;
  return { percent, kappa, alpha, units, notes };
}

// --- Input, checked and grouped ---------------------------------------------------------

interface Placed {
  coding: AgreementCoding;
  coder: number;
}

/** The codings of one code in one document, sorted by start, end, id (never by coder, so the order of the coders changes nothing). */
interface Group {
  code: number;
  doc: number;
  codings: Placed[];
}

interface Prepared {
  coderIds: Guid[];
  documents: { id: Guid; length: number }[];
  codeIds: Guid[];
  totalLength: number;
  /** By code, then document, in the input's orders. */
  groups: Group[];
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function prepare(input: AgreementInput, options: AgreementOptions): Prepared {
  if (!AGREEMENT_UNITS.includes(options.unit)) throw new RangeError(`Unknown agreement unit “${String(options.unit)}”: use document, character or segment.`);
  if (options.overlap !== undefined && !(Number.isFinite(options.overlap) && options.overlap > 0 && options.overlap <= 1)) {
    throw new RangeError(`The segment overlap must be a share greater than 0 and at most 1 (0.5 = half of the two codings’ union), not ${options.overlap}.`);
  }
  const coderIds = [...input.coderIds];
  const coderIndex = new Map<Guid, number>();
  for (const id of coderIds) {
    if (coderIndex.has(id)) throw new RangeError(`Coder ${id} is chosen twice: choose each coder once.`);
    coderIndex.set(id, coderIndex.size);
  }
  if (coderIds.length < 2) throw new RangeError(`Agreement compares two or more coders; ${coderIds.length === 0 ? 'none is' : 'only one is'} chosen.`);
  const docIndex = new Map<Guid, number>();
  const documents: { id: Guid; length: number }[] = [];
  let totalLength = 0;
  for (const d of input.documents) {
    if (docIndex.has(d.id)) continue;
    if (!Number.isInteger(d.length) || d.length < 0) throw new RangeError(`Document ${d.id} has length ${d.length}: a length is a whole number of characters, 0 or more.`);
    docIndex.set(d.id, documents.length);
    documents.push({ id: d.id, length: d.length });
    totalLength += d.length;
  }
  const codeIndex = new Map<Guid, number>();
  const codeIds: Guid[] = [];
  for (const id of input.codeIds) {
    if (codeIndex.has(id)) continue;
    codeIndex.set(id, codeIds.length);
    codeIds.push(id);
  }
  const byKey = new Map<number, Group>();
  for (const coding of input.codings) {
    const doc = docIndex.get(coding.documentId);
    const code = codeIndex.get(coding.codeId);
    const coder = coderIndex.get(coding.coderId);
    if (doc === undefined || code === undefined || coder === undefined) continue;
    const length = documents[doc]!.length;
    if (!Number.isInteger(coding.start) || !Number.isInteger(coding.end) || coding.start < 0 || coding.end < coding.start || coding.end > length) {
      throw new RangeError(`Coding ${coding.id} spans ${coding.start}–${coding.end}, outside its document ${coding.documentId} (${length} characters).`);
    }
    if (coding.start === coding.end) continue;
    const key = code * documents.length + doc;
    let group = byKey.get(key);
    if (!group) byKey.set(key, (group = { code, doc, codings: [] }));
    group.codings.push({ coding, coder });
  }
  const groups = [...byKey.entries()].sort((a, b) => a[0] - b[0]).map(([, g]) => g);
  for (const g of groups) g.codings.sort((a, b) => a.coding.start - b.coding.start || a.coding.end - b.coding.end || compareText(a.coding.id, b.coding.id));
  return { coderIds, documents, codeIds, totalLength, groups };
}

// --- Character unit: a sweep over boundaries --------------------------------------------

/**
 * Visits the stretches of a group's text that at least one coder covers, with how many
 * coders cover each and whether the first coder does. Boundaries are packed into numbers
 * (position × 2n + coder × 2 + opens) so one numeric sort orders them.
 */
function sweep(group: Group, coders: number, visit: (start: number, end: number, covered: number, first: boolean) => void): void {
  const width = 2 * coders;
  const events = new Float64Array(group.codings.length * 2);
  let i = 0;
  for (const { coding, coder } of group.codings) {
    events[i++] = coding.start * width + coder * 2 + 1;
    events[i++] = coding.end * width + coder * 2;
  }
  events.sort();
  const depth = new Int32Array(coders);
  let covered = 0;
  let at = 0;
  for (const event of events) {
    const position = Math.floor(event / width);
    if (position > at && covered > 0) visit(at, position, covered, depth[0]! > 0);
    at = position;
    const rest = event - position * width;
    const coder = rest >> 1;
    if ((rest & 1) === 1) {
      if (depth[coder]!++ === 0) covered += 1;
    } else if (--depth[coder]! === 0) covered -= 1;
  }
}

// --- Segment unit -----------------------------------------------------------------------

/** Overlap ÷ union of two non-empty spans; 0 when they do not overlap. */
export function overlapRatio(a: { start: number; end: number }, b: { start: number; end: number }): number {
  const overlap = Math.min(a.end, b.end) - Math.max(a.start, b.start);
  if (overlap <= 0) return 0;
  return overlap / (Math.max(a.end, b.end) - Math.min(a.start, b.start));
}

/** A group's codings in matched groups (see the header): each inner array is one unit. */
function matchSegments(group: Group, threshold: number): Placed[][] {
  const items = group.codings;
  const pairs: { ratio: number; i: number; j: number }[] = [];
  for (let i = 0; i < items.length; i += 1) {
    const a = items[i]!;
    for (let j = i + 1; j < items.length && items[j]!.coding.start < a.coding.end; j += 1) {
      const b = items[j]!;
      if (a.coder === b.coder) continue;
      const ratio = overlapRatio(a.coding, b.coding);
      if (ratio >= threshold) pairs.push({ ratio, i, j });
    }
  }
  pairs.sort((x, y) => y.ratio - x.ratio || x.i - y.i || x.j - y.j);
  const groupOf = items.map((_, i) => i);
  const members = items.map((_, i) => [i]);
  for (const { i, j } of pairs) {
    const gi = groupOf[i]!;
    const gj = groupOf[j]!;
    if (gi === gj) continue;
    const left = members[gi]!;
    const right = members[gj]!;
    const fits = left.every((x) => right.every((y) => items[x]!.coder !== items[y]!.coder && overlapRatio(items[x]!.coding, items[y]!.coding) >= threshold));
    if (!fits) continue;
    for (const y of right) groupOf[y] = gi;
    left.push(...right);
    members[gj] = [];
  }
  return members.filter((m) => m.length > 0).map((m) => m.sort((x, y) => x - y).map((x) => items[x]!));
}

// --- Units of every kind ----------------------------------------------------------------

interface Span {
  start: number;
  end: number;
}

/** The extent of some codings: from the first start to the last end. */
function extentOf(placed: readonly Placed[]): Span {
  let start = Infinity;
  let end = -Infinity;
  for (const { coding } of placed) {
    if (coding.start < start) start = coding.start;
    if (coding.end > end) end = coding.end;
  }
  return { start, end };
}

/**
 * Visits every unit of a group to which at least one coder gives 1, by the unit's rules (see
 * the header): its extent, its weight (characters for the character unit, else 1), how many
 * coders give it 1, and whether the first coder alone does. Units every coder gives 0 are
 * left to the caller: they are the text or the documents no visited unit covers.
 */
function visitUnits(group: Group, coders: number, options: AgreementOptions, visit: (span: Span, weight: number, ones: number, firstAlone: boolean) => void): void {
  if (options.unit === 'character') {
    sweep(group, coders, (start, end, covered, first) => visit({ start, end }, end - start, covered, covered === 1 && first));
  } else if (options.unit === 'document') {
    const ids = new Set(group.codings.map((c) => c.coder));
    visit(extentOf(group.codings), 1, ids.size, ids.size === 1 && ids.has(0));
  } else {
    for (const unit of matchSegments(group, options.overlap ?? DEFAULT_OVERLAP)) visit(extentOf(unit), 1, unit.length, unit.length === 1 && unit[0]!.coder === 0);
  }
}

/** Per code, its units summarised; text or documents no coder coded with the code count as units everyone gives 0 (not for the segment unit). */
function tallies(p: Prepared, options: AgreementOptions): Tally[] {
  const n = p.coderIds.length;
  const out = p.codeIds.map(() => newTally(n));
  for (const group of p.groups) {
    const tally = out[group.code]!;
    visitUnits(group, n, options, (_span, weight, ones, firstAlone) => {
      tally.byOnes[ones]! += weight;
      if (firstAlone) tally.firstAlone += weight;
    });
  }
  const all = options.unit === 'character' ? p.totalLength : options.unit === 'document' ? p.documents.length : null;
  if (all !== null) for (const t of out) t.byOnes[0] = all - t.byOnes.reduce((sum, w) => sum + w, 0);
  return out;
}

// --- The API ----------------------------------------------------------------------------

/** Per code (in the order of `codeIds`) and overall (every code's units pooled). */
export function computeAgreement(input: AgreementInput, options: AgreementOptions): AgreementResult {
  const p = prepare(input, options);
  const perCode = tallies(p, options);
  const pooled = newTally(p.coderIds.length);
  for (const t of perCode) addTo(pooled, t);
  return {
    unit: options.unit,
    coderIds: p.coderIds,
    perCode: perCode.map((t, code) => ({ codeId: p.codeIds[code]!, ...statisticOf(t, { kind: 'code', unit: options.unit }) })),
    overall: statisticOf(pooled, { kind: 'overall', unit: options.unit, coders: p.coderIds.length }),
  };
}

/** Spans merged where they overlap or touch; input sorted by start. */
function mergeTouching(spans: readonly Span[]): Span[] {
  const merged: Span[] = [];
  for (const s of spans) {
    const last = merged.at(-1);
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else merged.push({ ...s });
  }
  return merged;
}

/** The spans of a group where coders differ, by the unit's rules: the extents of the units not every coder gives 1. */
function disagreeingSpans(group: Group, coders: number, options: AgreementOptions): Span[] {
  const spans: Span[] = [];
  visitUnits(group, coders, options, (span, _weight, ones) => {
    if (ones < coders) spans.push(span);
  });
  return mergeTouching(spans.sort((a, b) => a.start - b.start || a.end - b.end));
}

/**
 * Where the coders differ, per document (in the input's order), code and span: for the
 * document unit, the extent of the code's codings in a document not every coder coded with
 * it; for the character unit, the stretches some but not all coders cover, merged where they
 * touch; for the segment unit, the extent of every unit not all coders share, merged where
 * they overlap or touch. Each lists every coder's codings of the code overlapping the span.
 */
export function findDisagreements(input: AgreementInput, options: AgreementOptions): Disagreement[] {
  const p = prepare(input, options);
  const n = p.coderIds.length;
  const found: (Disagreement & { order: [number, number] })[] = [];
  for (const group of p.groups) {
    for (const span of disagreeingSpans(group, n, options)) {
      const byCoder: Record<Guid, AgreementCoding[]> = {};
      for (const id of p.coderIds) byCoder[id] = [];
      for (const { coding, coder } of group.codings) {
        if (options.unit === 'document' || (coding.start < span.end && coding.end > span.start)) byCoder[p.coderIds[coder]!]!.push(coding);
      }
      found.push({ documentId: p.documents[group.doc]!.id, codeId: p.codeIds[group.code]!, start: span.start, end: span.end, byCoder, order: [group.doc, group.code] });
    }
  }
  found.sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1] || a.start - b.start);
  return found.map(({ order: _order, ...d }) => d);
}

/**
 * A disagreement's span widened to every coding listed with it: a character-unit span can be
 * a sliver of the codings it stands for, and reading or deciding it concerns them whole.
 */
export function disagreementExtent(disagreement: Disagreement): { start: number; end: number } {
  const listed = Object.values(disagreement.byCoder).flat();
  return { start: Math.min(disagreement.start, ...listed.map((c) => c.start)), end: Math.max(disagreement.end, ...listed.map((c) => c.end)) };
}
