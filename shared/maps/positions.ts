/**
 * Where each case stands between cathedral and bazaar in each lifecycle stage, computed from
 * coded evidence by one formula that the app shows beside every position.
 *
 * Evidence. Only codings that pass the filters count (`filterCodings`, the same rules as the
 * comparison matrices), and only codes of that stage: a cross-stage code, or a code of
 * another stage, never places a case in a stage. A code is
 *   - bazaar evidence when its mode is "bazaar", or its mode is "neutral" and its kind is "on-ramp";
 *   - cathedral evidence when its mode is "cathedral", or its mode is "neutral" and its kind is "challenge";
 *   - no evidence otherwise (neutral descriptive codes).
 * A coded segment of a case's document counts once per side per (case, stage), however many
 * such codes (or coders) it carries; a segment with codes of both sides counts on both.
 *
 * Position. With b bazaar and c cathedral segments, n = b + c and
 *   position = (b − c) ÷ (b + c)  ∈ [−1, +1]   (−1 = cathedral, +1 = bazaar).
 * n = 0 is "no evidence" (position null), which is not "balanced" (0 with n > 0).
 *
 * Overrides. A researcher may set a position for one (case, stage) with a justification (and
 * a memo). The computed value stays beside it: `position` is the override when there is one,
 * else the computed value. Invalid overrides are not applied; they come back with their problems.
 *
 * Summary per stage: median and quartiles of the positions of the cases that have one,
 * by linear interpolation between order statistics (h = (count − 1) · p, the method of
 * spreadsheets' QUARTILE.INC, R's type 7 and NumPy's default).
 */
import { filterCodings } from '../analysis/matrix-filters.ts';
import type { MatrixFilters, MatrixSource } from '../analysis/matrix-types.ts';
import type { CodeKind, CollaborationMode, Guid } from '../model/types.ts';
import { compareText } from './text.ts';

/** The formula, in the words the app shows beside every position. */
export const POSITION_FORMULA = 'position = (bazaar − cathedral) ÷ (bazaar + cathedral); −1 = cathedral, +1 = bazaar';

/** What counts as evidence, in words (shown with the formula). */
export const EVIDENCE_RULE =
  'Bazaar evidence: coded segments with a code of that stage whose mode is bazaar, or neutral on-ramps. ' +
  'Cathedral evidence: coded segments with a code of that stage whose mode is cathedral, or neutral challenges. ' +
  'A segment counts once per side; a segment with both counts on both. Cross-stage codes place no case in a stage. ' +
  'n = bazaar + cathedral; n = 0 means no evidence (not plotted), which is not balanced (0).';

/** The smallest and largest position. */
export const POSITION_MIN = -1;
export const POSITION_MAX = 1;

export type EvidenceSide = 'bazaar' | 'cathedral';

/** A code as the maps read it: a matrix source's code with its collaboration mode. */
export type MapCode = Pick<MatrixSource['codes'][number], 'id' | 'name' | 'stageId' | 'kind'> & { mode: CollaborationMode };

/**
 * The plain records positions are computed from: the shape of `MatrixSource` (so the
 * renderer's matrix source serves, with each code's `mode`), of which only these are read.
 */
export interface PositionSource {
  stages: MatrixSource['stages'];
  codes: readonly MapCode[];
  cases: readonly Pick<MatrixSource['cases'][number], 'id' | 'name'>[];
  participants: MatrixSource['participants'];
  documents: MatrixSource['documents'];
  segments: MatrixSource['segments'];
  codings: MatrixSource['codings'];
}

export interface PositionOverride {
  caseId: Guid;
  stageId: Guid;
  /** −1 (cathedral) … +1 (bazaar). */
  value: number;
  /** Why the researcher places the case here: required, shown beside the position. */
  justification: string;
  /** A memo that argues the placement. */
  memoId?: Guid | null;
}

export interface PositionEvidence {
  segmentId: Guid;
  side: EvidenceSide | 'both';
  /** The codes of the stage that make the segment evidence (ordered by name, then id). */
  codeIds: Guid[];
}

export interface CasePosition {
  caseId: Guid;
  stageId: Guid;
  /** (bazaar − cathedral) ÷ n, or null when n = 0. */
  computed: number | null;
  bazaar: number;
  cathedral: number;
  n: number;
  override: { value: number; justification: string; memoId: Guid | null } | null;
  /** The override's value when there is one, else `computed`. */
  position: number | null;
  /** The segments behind the position, ordered by document title, start offset, then id. */
  evidence: PositionEvidence[];
}

export interface StagePositionSummary {
  stageId: Guid;
  /** Median of the positions of the cases that have one (overrides included); null when none has. */
  median: number | null;
  /** How many cases have a position in the stage. */
  count: number;
  q1: number | null;
  q3: number | null;
}

export interface RejectedOverride {
  override: PositionOverride;
  problems: string[];
}

export interface PositionMap {
  /** Stages in lifecycle order (by `order`, then name, then id). */
  stages: { id: Guid; name: string; order: number }[];
  /** Cases by name (then id). */
  cases: { id: Guid; name: string }[];
  /** One per stage × case, stage-major, in the order of `stages` and `cases`. */
  positions: CasePosition[];
  /** One per stage, in order. */
  summaries: StagePositionSummary[];
  /** Overrides that were not applied, with why. */
  rejectedOverrides: RejectedOverride[];
}

export interface PositionOptions {
  filters?: MatrixFilters;
  overrides?: readonly PositionOverride[];
}

/** The side a code's codings count on, or null when they are no evidence (see the file comment). */
export function sideOfCode(code: { mode: CollaborationMode; kind: CodeKind }): EvidenceSide | null {
  if (code.mode === 'bazaar') return 'bazaar';
  if (code.mode === 'cathedral') return 'cathedral';
  if (code.kind === 'on-ramp') return 'bazaar';
  if (code.kind === 'challenge') return 'cathedral';
  return null;
}

/** The formula: (bazaar − cathedral) ÷ (bazaar + cathedral), null when there is no evidence. */
export function positionFromCounts(bazaar: number, cathedral: number): number | null {
  const n = bazaar + cathedral;
  return n > 0 ? (bazaar - cathedral) / n : null;
}

/** Lifecycle order: by `order`, then name, then id. */
export function compareStages(a: { id: Guid; name: string; order: number }, b: { id: Guid; name: string; order: number }): number {
  return a.order - b.order || compareText(a.name, b.name) || compareText(a.id, b.id);
}

/** Cases by name, then id. */
export function compareCases(a: { id: Guid; name: string }, b: { id: Guid; name: string }): number {
  return compareText(a.name, b.name) || compareText(a.id, b.id);
}

/** A position with two decimals and a true minus sign: "0.43", "−1.00", "0.00". */
export function formatPosition(value: number): string {
  const text = Math.abs(value).toFixed(2);
  return value < 0 && text !== '0.00' ? `−${text}` : text;
}

/** Words for a position, the same on every screen and slide. */
export const POSITION_WORDS = {
  none: 'no evidence',
  balanced: 'balanced',
  strongCathedral: 'strongly cathedral',
  cathedral: 'leaning cathedral',
  mixed: 'mixed',
  bazaar: 'leaning bazaar',
  strongBazaar: 'strongly bazaar',
} as const;

/**
 * A position in words: null → "no evidence"; exactly 0 → "balanced"; ≤ −0.6 "strongly
 * cathedral"; < −0.2 "leaning cathedral"; −0.2 … 0.2 "mixed"; < 0.6 "leaning bazaar";
 * ≥ 0.6 "strongly bazaar".
 */
export function positionInWords(position: number | null): string {
  if (position === null) return POSITION_WORDS.none;
  if (position === 0) return POSITION_WORDS.balanced;
  if (position <= -0.6) return POSITION_WORDS.strongCathedral;
  if (position < -0.2) return POSITION_WORDS.cathedral;
  if (position <= 0.2) return POSITION_WORDS.mixed;
  if (position < 0.6) return POSITION_WORDS.bazaar;
  return POSITION_WORDS.strongBazaar;
}

/**
 * One position in words, for beside the point and in tooltips:
 * "0.43 (bazaar 10, cathedral 4; n = 14)", "0.00 (balanced: bazaar 2, cathedral 2; n = 4)",
 * "no evidence (n = 0)", and with an override
 * "0.80 set by the researcher: “reason” (computed 0.43: bazaar 10, cathedral 4; n = 14)".
 */
export function describePosition(p: Pick<CasePosition, 'computed' | 'bazaar' | 'cathedral' | 'n' | 'override'>): string {
  const counts = `bazaar ${p.bazaar}, cathedral ${p.cathedral}; n = ${p.n}`;
  const computed =
    p.computed === null ? 'no evidence (n = 0)' : p.computed === 0 ? `0.00 (balanced: ${counts})` : `${formatPosition(p.computed)} (${counts})`;
  if (!p.override) return computed;
  const basis = p.computed === null ? 'computed: no evidence, n = 0' : `computed ${formatPosition(p.computed)}: ${counts}`;
  return `${formatPosition(p.override.value)} set by the researcher: “${p.override.justification.trim()}” (${basis})`;
}

/**
 * What is wrong with an override, in words (empty when it may be applied): the value must be
 * a number from −1 to +1 and the justification must not be blank; when `known` is given, the
 * case and stage must be in the study.
 */
export function validateOverride(
  override: PositionOverride,
  known?: { caseIds?: Iterable<Guid>; stageIds?: Iterable<Guid> },
): string[] {
  const problems: string[] = [];
  const value: unknown = override.value;
  if (typeof value !== 'number' || !Number.isFinite(value)) problems.push('The position must be a number from −1 (cathedral) to +1 (bazaar).');
  else if (value < POSITION_MIN || value > POSITION_MAX)
    problems.push(`The position must lie between −1 (cathedral) and +1 (bazaar); ${String(value)} is outside.`);
  if (typeof override.justification !== 'string' || override.justification.trim() === '')
    problems.push('Give a justification: it is shown beside the position, so readers know why it differs from the computed one.');
  if (known?.caseIds && !new Set(known.caseIds).has(override.caseId)) problems.push('The case of this override is not in the study.');
  if (known?.stageIds && !new Set(known.stageIds).has(override.stageId)) problems.push('The stage of this override is not in the study.');
  return problems;
}

/**
 * The value at proportion p (0 … 1) of sorted values, interpolating linearly between order
 * statistics (h = (count − 1) · p); null for no values.
 */
export function quantile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * Math.min(1, Math.max(0, p));
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (h - lo);
}

/** Median and quartiles of some positions (nulls ignored). */
export function summarisePositions(stageId: Guid, positions: readonly (number | null)[]): StagePositionSummary {
  const values = positions.filter((v): v is number => v !== null).sort((a, b) => a - b);
  return { stageId, median: quantile(values, 0.5), count: values.length, q1: quantile(values, 0.25), q3: quantile(values, 0.75) };
}

const keyOf = (caseId: Guid, stageId: Guid) => `${caseId}\u0000${stageId}`;

interface Accumulating {
  bazaar: boolean;
  cathedral: boolean;
  codeIds: Set<Guid>;
}

/** Every case's position in every stage, the stage summaries and the rejected overrides (see the file comment). */
export function computePositions(source: PositionSource, options: PositionOptions = {}): PositionMap {
  const stages = source.stages.map((s) => ({ id: s.id, name: s.name, order: s.order })).sort(compareStages);
  const cases = source.cases.map((c) => ({ id: c.id, name: c.name })).sort(compareCases);
  const stageIds = new Set(stages.map((s) => s.id));
  const caseIds = new Set(cases.map((c) => c.id));

  const codeById = new Map<Guid, { side: EvidenceSide; stageId: Guid; name: string }>();
  for (const code of source.codes) {
    const side = sideOfCode(code);
    if (side !== null && code.stageId !== null && stageIds.has(code.stageId)) codeById.set(code.id, { side, stageId: code.stageId, name: code.name });
  }
  const segmentById = new Map(source.segments.map((s) => [s.id, s]));
  const documentById = new Map(source.documents.map((d) => [d.id, d]));

  // (case, stage) → segment → which sides and which codes.
  const cells = new Map<string, Map<Guid, Accumulating>>();
  for (const coding of filterCodings(source, options.filters)) {
    const code = codeById.get(coding.codeId);
    const segment = segmentById.get(coding.segmentId);
    if (!code || !segment) continue;
    const caseId = documentById.get(segment.documentId)?.caseId;
    if (caseId === null || caseId === undefined || !caseIds.has(caseId)) continue;
    const key = keyOf(caseId, code.stageId);
    let cell = cells.get(key);
    if (!cell) cells.set(key, (cell = new Map()));
    let acc = cell.get(segment.id);
    if (!acc) cell.set(segment.id, (acc = { bazaar: false, cathedral: false, codeIds: new Set() }));
    acc[code.side] = true;
    acc.codeIds.add(coding.codeId);
  }

  // Overrides: the valid ones, the last for a (case, stage) winning.
  const rejectedOverrides: RejectedOverride[] = [];
  const overrides = new Map<string, PositionOverride>();
  for (const override of options.overrides ?? []) {
    const problems = validateOverride(override, { caseIds, stageIds });
    if (problems.length > 0) {
      rejectedOverrides.push({ override, problems });
      continue;
    }
    const key = keyOf(override.caseId, override.stageId);
    const earlier = overrides.get(key);
    if (earlier) rejectedOverrides.push({ override: earlier, problems: ['A later override for the same case and stage replaces this one.'] });
    overrides.set(key, override);
  }

  const evidenceOrder = (a: Guid, b: Guid): number => {
    const sa = segmentById.get(a)!;
    const sb = segmentById.get(b)!;
    const ta = documentById.get(sa.documentId)?.title ?? '';
    const tb = documentById.get(sb.documentId)?.title ?? '';
    return compareText(ta, tb) || compareText(sa.documentId, sb.documentId) || sa.start - sb.start || sa.end - sb.end || compareText(a, b);
  };
  const codeOrder = (a: Guid, b: Guid): number => compareText(codeById.get(a)!.name, codeById.get(b)!.name) || compareText(a, b);

  const positions: CasePosition[] = [];
  for (const stage of stages) {
    for (const c of cases) {
      const key = keyOf(c.id, stage.id);
      const cell = cells.get(key);
      let bazaar = 0;
      let cathedral = 0;
      const evidence: PositionEvidence[] = [];
      if (cell) {
        for (const segmentId of [...cell.keys()].sort(evidenceOrder)) {
          const acc = cell.get(segmentId)!;
          if (acc.bazaar) bazaar += 1;
          if (acc.cathedral) cathedral += 1;
          evidence.push({ segmentId, side: acc.bazaar && acc.cathedral ? 'both' : acc.bazaar ? 'bazaar' : 'cathedral', codeIds: [...acc.codeIds].sort(codeOrder) });
        }
      }
      const computed = positionFromCounts(bazaar, cathedral);
      const o = overrides.get(key);
      const override = o ? { value: o.value, justification: o.justification.trim(), memoId: o.memoId ?? null } : null;
      positions.push({ caseId: c.id, stageId: stage.id, computed, bazaar, cathedral, n: bazaar + cathedral, override, position: override ? override.value : computed, evidence });
    }
  }

  const summaries = stages.map((stage) => summarisePositions(stage.id, positions.filter((p) => p.stageId === stage.id).map((p) => p.position)));
  return { stages, cases, positions, summaries, rejectedOverrides };
}

/** The position of one case in one stage (every pair of the study has one, possibly without evidence). */
export function findPosition(map: Pick<PositionMap, 'positions'>, caseId: Guid, stageId: Guid): CasePosition | undefined {
  return map.positions.find((p) => p.caseId === caseId && p.stageId === stageId);
}

/** One coded segment behind a position, as a quote a reader can attribute. */
export interface EvidenceQuote {
  segmentId: Guid;
  side: EvidenceSide | 'both';
  codeIds: Guid[];
  codeNames: string[];
  /** The segment's own text. */
  text: string;
  documentId: Guid;
  documentTitle: string;
  caseId: Guid | null;
  caseName: string | null;
  /** The pseudonyms of the document's participants (never another name). */
  participantPseudonyms: string[];
  /** e.g. "P05 (BLOOM)", "P03, P04 (Masakhane)", "Masakhane", "Unattributed". */
  attribution: string;
}

/** Who said it, by pseudonym and case only: "P05 (BLOOM)", "P03, P04 (Masakhane)", "Masakhane", "Unattributed". */
export function quoteAttribution(pseudonyms: readonly string[], caseName: string | null): string {
  const who = pseudonyms.map((p) => p.trim()).filter((p) => p !== '').join(', ');
  const where = caseName?.trim() ?? '';
  if (who !== '' && where !== '') return `${who} · ${where}`;
  if (who !== '') return who;
  if (where !== '') return where;
  return 'Unattributed';
}

type QuoteSource = Pick<PositionSource, 'codes' | 'cases' | 'participants' | 'documents' | 'segments'>;

/** The pseudonyms of a document's participants, in the document's order (blank ones left out). */
export function pseudonymsOf(source: Pick<PositionSource, 'participants'>, doc: { participantIds: readonly Guid[] } | undefined): string[] {
  if (!doc) return [];
  const byId = new Map(source.participants.map((p) => [p.id, p.pseudonym.trim()]));
  return doc.participantIds.map((id) => byId.get(id) ?? '').filter((p) => p !== '');
}

/**
 * The segments behind one position as attributed quotes, in the position's evidence order.
 * Segments the source no longer has are left out.
 */
export function positionEvidence(source: QuoteSource, position: Pick<CasePosition, 'evidence'>): EvidenceQuote[] {
  const segmentById = new Map(source.segments.map((s) => [s.id, s]));
  const documentById = new Map(source.documents.map((d) => [d.id, d]));
  const caseById = new Map(source.cases.map((c) => [c.id, c]));
  const codeById = new Map(source.codes.map((c) => [c.id, c]));
  const quotes: EvidenceQuote[] = [];
  for (const item of position.evidence) {
    const segment = segmentById.get(item.segmentId);
    if (!segment) continue;
    const document = documentById.get(segment.documentId);
    const caseId = document?.caseId ?? null;
    const caseName = caseId !== null ? (caseById.get(caseId)?.name ?? null) : null;
    const participantPseudonyms = pseudonymsOf(source, document);
    quotes.push({
      segmentId: segment.id,
      side: item.side,
      codeIds: [...item.codeIds],
      codeNames: item.codeIds.map((id) => codeById.get(id)?.name ?? 'unknown code'),
      text: segment.text,
      documentId: segment.documentId,
      documentTitle: document?.title ?? '',
      caseId,
      caseName,
      participantPseudonyms,
      attribution: quoteAttribution(participantPseudonyms, caseName),
    });
  }
  return quotes;
}
