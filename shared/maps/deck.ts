/**
 * A workshop presentation generated from the study: plain data per slide (no markup) and
 * speaker notes written from the same data, so the renderer only draws.
 *
 * Default order: `overview`; then for each stage in lifecycle order `stage-map:<stageId>` and
 * `stage-codes:<stageId>`; then `network`; then `summary`. Slide ids depend only on the
 * study's stage ids, so a researcher's order, hidden slides and quote picks survive edits.
 *
 * Top codes of a stage: its codes of kind "challenge" and of kind "on-ramp" with at least one
 * coded segment (after the filters), most segments first (then the codebook order, name,
 * id), up to three of each. Each carries one quote, chosen by the first rule that gives one:
 *   1. "pick": the researcher's pick (`settings.quotes[codeId]`), when that segment still
 *      exists and is coded with the code;
 *   2. "example": the segment of the code's first typical example that links to an existing segment;
 *   3. "shortest": the shortest coded segment of the code between 40 and 300 characters
 *      (characters = code points), ties in reading order;
 *   4. "first": the code's first coded segment in reading order.
 * Reading order: document title, then start offset, then segment id. Quotes are attributed to
 * their case and the document's participants by pseudonym, never by any other name.
 */
import type { MatrixFilters } from '../analysis/matrix-types.ts';
import { filterCodings } from '../analysis/matrix-filters.ts';
import type { Guid } from '../model/types.ts';
import type { NetworkInput } from './network-layout.ts';
import { compareActors } from './network-layout.ts';
import {
  compareCases,
  computePositions,
  describePosition,
  formatPosition,
  POSITION_FORMULA,
  positionInWords,
  pseudonymsOf,
  quoteAttribution,
  type CasePosition,
  type MapCode,
  type PositionMap,
  type PositionOverride,
  type PositionSource,
  type StagePositionSummary,
} from './positions.ts';
import { compareText, oneLine } from './text.ts';

export type DeckCode = MapCode & {
  order: number;
  examples?: readonly { text: string; typical: boolean; segmentId: Guid | null }[];
};

/** What a deck is generated from: the positions' source plus the study's name, codes' examples, actors and ties. */
export interface DeckSource extends Omit<PositionSource, 'codes'> {
  study: { name: string };
  codes: readonly DeckCode[];
  actors: NetworkInput['actors'];
  ties: NetworkInput['ties'];
}

/** The researcher's choices, kept in settings: slide ids in their order, hidden slide ids, and a chosen quote (segment) per code. */
export interface DeckSettings {
  order?: readonly string[];
  hidden?: readonly string[];
  quotes?: Readonly<Record<Guid, Guid>>;
}

export const QUOTE_MIN_CHARS = 40;
export const QUOTE_MAX_CHARS = 300;
export const TOP_CODES = 3;

export const OVERVIEW_SLIDE = 'overview';
export const NETWORK_SLIDE = 'network';
export const SUMMARY_SLIDE = 'summary';
export const stageMapSlideId = (stageId: Guid) => `stage-map:${stageId}`;
export const stageCodesSlideId = (stageId: Guid) => `stage-codes:${stageId}`;

export type QuoteRule = 'pick' | 'example' | 'shortest' | 'first';

export interface DeckQuote {
  segmentId: Guid;
  text: string;
  caseId: Guid | null;
  caseName: string | null;
  pseudonyms: string[];
  /** "P05 (BLOOM)": pseudonyms and case only. */
  attribution: string;
  rule: QuoteRule;
}

export interface CodeHighlight {
  codeId: Guid;
  name: string;
  mode: DeckCode['mode'];
  /** Coded segments (after the filters). */
  segments: number;
  /** Cases with a coded segment. */
  cases: number;
  quote: DeckQuote | null;
}

export interface StageMapCase {
  caseId: Guid;
  caseName: string;
  position: number;
  computed: number | null;
  n: number;
  overridden: boolean;
  /** describePosition's words. */
  description: string;
}

interface SlideBase {
  id: string;
  title: string;
  /** Speaker notes, plain text, paragraphs separated by blank lines. */
  notes: string;
}

export interface OverviewSlide extends SlideBase {
  kind: 'overview';
  body: { studyName: string; caseCount: number; interviewCount: number; participantCount: number; stages: { id: Guid; name: string }[] };
}

export interface StageMapSlide extends SlideBase {
  kind: 'stage-map';
  body: {
    stageId: Guid;
    stageName: string;
    /** 1-based. */
    stageNumber: number;
    stageCount: number;
    summary: StagePositionSummary;
    /** The median in words ("leaning cathedral", "no evidence", …). */
    summaryWords: string;
    /** Cases with a position, most bazaar first (then name). */
    cases: StageMapCase[];
    noEvidence: { caseId: Guid; caseName: string }[];
  };
}

export interface StageCodesSlide extends SlideBase {
  kind: 'stage-codes';
  body: { stageId: Guid; stageName: string; challenges: CodeHighlight[]; onRamps: CodeHighlight[] };
}

export interface NetworkSlide extends SlideBase {
  kind: 'network';
  body: {
    actorCount: number;
    tieCount: number;
    byStage: { stageId: Guid; stageName: string; ties: number; evidence: number }[];
    /** Up to three actors with most ties. */
    mostConnected: { actorId: Guid; name: string; ties: number }[];
    actorsWithoutTies: number;
  };
}

export type MoveDirection = 'towards-bazaar' | 'towards-cathedral' | 'unchanged';

export interface MedianMove {
  fromStageId: Guid;
  toStageId: Guid;
  from: number;
  to: number;
  /** to − from, rounded to two decimals. */
  change: number;
  direction: MoveDirection;
  text: string;
}

export interface SummarySlide extends SlideBase {
  kind: 'summary';
  body: {
    stages: { stageId: Guid; stageName: string; median: number | null; q1: number | null; q3: number | null; count: number; words: string }[];
    /** Between consecutive stages that have a median. */
    steps: MedianMove[];
    /** From the first to the last stage with a median; null with fewer than two. */
    overall: MedianMove | null;
  };
}

export type Slide = OverviewSlide | StageMapSlide | StageCodesSlide | NetworkSlide | SummarySlide;
export type SlideKind = Slide['kind'];

export interface DeckOptions {
  filters?: MatrixFilters;
  overrides?: readonly PositionOverride[];
}

export interface Deck {
  /** Every slide in presentation order, hidden ones flagged. */
  slides: { slide: Slide; hidden: boolean }[];
  /** The slides to present, in order. */
  visible: Slide[];
  /** Quote picks that could not be used, in words. */
  problems: string[];
  positions: PositionMap;
}

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
const list = (items: readonly string[]) => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);

/** The move of the median between two stages, in words. */
export function describeMove(fromName: string, toName: string, from: number, to: number): { change: number; direction: MoveDirection; text: string } {
  const change = Math.round((to - from) * 100) / 100 || 0;
  const direction: MoveDirection = change > 0 ? 'towards-bazaar' : change < 0 ? 'towards-cathedral' : 'unchanged';
  const fromText = `${formatPosition(from)} (${positionInWords(from)})`;
  const toText = `${formatPosition(to)} (${positionInWords(to)})`;
  const text =
    direction === 'unchanged'
      ? `From ${fromName} to ${toName} the median stays at ${fromText}.`
      : `From ${fromName} to ${toName} the median moves towards the ${direction === 'towards-bazaar' ? 'bazaar' : 'cathedral'} by ${formatPosition(Math.abs(change))}: from ${fromText} to ${toText}.`;
  return { change, direction, text };
}

/**
 * Slides in the researcher's order: ids from `settings.order` that exist, in that order; a
 * slide the order does not list (a new stage's, say) goes right after the slide that precedes
 * it by default (or first). Ids that no slide has are ignored; `settings.hidden` flags slides.
 */
export function arrangeSlides<T extends { id: string }>(slides: readonly T[], settings: Pick<DeckSettings, 'order' | 'hidden'> = {}): { slide: T; hidden: boolean }[] {
  const byId = new Map(slides.map((s) => [s.id, s]));
  const order: string[] = [];
  const seen = new Set<string>();
  for (const id of settings.order ?? []) {
    if (byId.has(id) && !seen.has(id)) {
      seen.add(id);
      order.push(id);
    }
  }
  slides.forEach((slide, i) => {
    if (seen.has(slide.id)) return;
    seen.add(slide.id);
    const before = i > 0 ? order.indexOf(slides[i - 1]!.id) : -1;
    order.splice(before + 1, 0, slide.id);
  });
  const hidden = new Set(settings.hidden ?? []);
  return order.map((id) => ({ slide: byId.get(id)!, hidden: hidden.has(id) }));
}

/** Settings after moving one slide to a new place in the arranged order (every current id listed, unknown ones dropped). */
export function moveSlide(slides: readonly { id: string }[], settings: DeckSettings, id: string, toIndex: number): DeckSettings {
  const ids = arrangeSlides(slides, settings).map((e) => e.slide.id);
  const from = ids.indexOf(id);
  if (from < 0) return { ...settings, order: ids };
  ids.splice(from, 1);
  ids.splice(Math.max(0, Math.min(ids.length, Math.round(toIndex))), 0, id);
  return { ...settings, order: ids };
}

/** Settings with one slide hidden or shown (ids of slides that no longer exist dropped). */
export function setSlideHidden(slides: readonly { id: string }[], settings: DeckSettings, id: string, hidden: boolean): DeckSettings {
  const known = new Set(slides.map((s) => s.id));
  const next = new Set((settings.hidden ?? []).filter((h) => known.has(h)));
  if (hidden && known.has(id)) next.add(id);
  else next.delete(id);
  return { ...settings, hidden: slides.map((s) => s.id).filter((s) => next.has(s)) };
}

/** The slides in their default order, and quote picks that could not be used. */
export function defaultSlides(source: DeckSource, settings: Pick<DeckSettings, 'quotes'> = {}, options: DeckOptions = {}): { slides: Slide[]; problems: string[]; positions: PositionMap } {
  const positions = computePositions(source, options);
  const problems: string[] = [];
  const stages = positions.stages;
  const caseName = new Map(source.cases.map((c) => [c.id, c.name]));
  const segmentById = new Map(source.segments.map((s) => [s.id, s]));
  const documentById = new Map(source.documents.map((d) => [d.id, d]));

  // Counted coded segments per code (after the filters), and every code's segments (for picks).
  const countedByCode = new Map<Guid, Set<Guid>>();
  const anyByCode = new Map<Guid, Set<Guid>>();
  const add = (map: Map<Guid, Set<Guid>>, codeId: Guid, segmentId: Guid) => {
    let set = map.get(codeId);
    if (!set) map.set(codeId, (set = new Set()));
    set.add(segmentId);
  };
  for (const c of source.codings) if (segmentById.has(c.segmentId)) add(anyByCode, c.codeId, c.segmentId);
  for (const c of filterCodings(source, options.filters)) if (segmentById.has(c.segmentId)) add(countedByCode, c.codeId, c.segmentId);

  const readingOrder = (a: Guid, b: Guid): number => {
    const sa = segmentById.get(a)!;
    const sb = segmentById.get(b)!;
    const ta = documentById.get(sa.documentId)?.title ?? '';
    const tb = documentById.get(sb.documentId)?.title ?? '';
    return compareText(ta, tb) || compareText(sa.documentId, sb.documentId) || sa.start - sb.start || sa.end - sb.end || compareText(a, b);
  };
  const quoteOf = (segmentId: Guid, rule: QuoteRule): DeckQuote => {
    const segment = segmentById.get(segmentId)!;
    const document = documentById.get(segment.documentId);
    const caseId = document?.caseId ?? null;
    const name = caseId !== null ? (caseName.get(caseId) ?? null) : null;
    const pseudonyms = pseudonymsOf(source, document);
    return { segmentId, text: segment.text, caseId, caseName: name, pseudonyms, attribution: quoteAttribution(pseudonyms, name), rule };
  };
  const chooseQuote = (code: DeckCode, segments: readonly Guid[]): DeckQuote | null => {
    const pick = settings.quotes?.[code.id];
    if (pick !== undefined) {
      if (anyByCode.get(code.id)?.has(pick)) return quoteOf(pick, 'pick');
      problems.push(`The quote chosen for “${oneLine(code.name)}” is no longer coded with it; the default quote is shown.`);
    }
    const example = (code.examples ?? []).find((e) => e.typical && e.segmentId !== null && segmentById.has(e.segmentId));
    if (example) return quoteOf(example.segmentId!, 'example');
    const ordered = [...segments].sort(readingOrder);
    const chars = (id: Guid) => [...segmentById.get(id)!.text].length;
    const fitting = ordered.filter((id) => chars(id) >= QUOTE_MIN_CHARS && chars(id) <= QUOTE_MAX_CHARS);
    if (fitting.length > 0) {
      const shortest = fitting.reduce((best, id) => (chars(id) < chars(best) ? id : best));
      return quoteOf(shortest, 'shortest');
    }
    return ordered.length > 0 ? quoteOf(ordered[0]!, 'first') : null;
  };
  const highlights = (stageId: Guid, kind: 'challenge' | 'on-ramp'): CodeHighlight[] =>
    source.codes
      .filter((c) => c.stageId === stageId && c.kind === kind && (countedByCode.get(c.id)?.size ?? 0) > 0)
      .map((code) => ({ code, segments: [...countedByCode.get(code.id)!] }))
      .sort((a, b) => b.segments.length - a.segments.length || a.code.order - b.code.order || compareText(a.code.name, b.code.name) || compareText(a.code.id, b.code.id))
      .slice(0, TOP_CODES)
      .map(({ code, segments }) => ({
        codeId: code.id,
        name: code.name,
        mode: code.mode,
        segments: segments.length,
        cases: new Set(segments.map((id) => documentById.get(segmentById.get(id)!.documentId)?.caseId).filter((c) => c !== null && c !== undefined)).size,
        quote: chooseQuote(code, segments),
      }));

  const slides: Slide[] = [];

  // Overview.
  const stageNames = stages.map((s) => oneLine(s.name));
  slides.push({
    id: OVERVIEW_SLIDE,
    kind: 'overview',
    title: oneLine(source.study.name),
    body: {
      studyName: source.study.name,
      caseCount: source.cases.length,
      interviewCount: source.documents.length,
      participantCount: source.participants.length,
      stages: stages.map((s) => ({ id: s.id, name: s.name })),
    },
    notes: [
      `${oneLine(source.study.name)}: ${plural(source.cases.length, 'case')}, ${plural(source.documents.length, 'interview')}, ${plural(stages.length, 'lifecycle stage')}${stages.length > 0 ? ` (${list(stageNames)})` : ''}.`,
      'In each stage every case is placed between cathedral (−1: small expert teams, closely held work) and bazaar (+1: open exchange — derivatives, feedback, benchmarks) from its coded evidence.',
      `${POSITION_FORMULA}.`,
    ].join('\n\n'),
  });

  // Per stage.
  stages.forEach((stage, index) => {
    const name = oneLine(stage.name);
    const summary = positions.summaries.find((s) => s.stageId === stage.id)!;
    const own = positions.positions.filter((p) => p.stageId === stage.id);
    const placed = own.filter((p): p is CasePosition & { position: number } => p.position !== null);
    const cases: StageMapCase[] = placed
      .map((p) => ({ caseId: p.caseId, caseName: caseName.get(p.caseId) ?? '', position: p.position, computed: p.computed, n: p.n, overridden: p.override !== null, description: describePosition(p) }))
      .sort((a, b) => b.position - a.position || compareCases({ id: a.caseId, name: a.caseName }, { id: b.caseId, name: b.caseName }));
    const noEvidence = own.filter((p) => p.position === null).map((p) => ({ caseId: p.caseId, caseName: caseName.get(p.caseId) ?? '' }));
    const notes: string[] = [`${name} (stage ${index + 1} of ${stages.length}). ${summary.count} of ${plural(own.length, 'case')} ${summary.count === 1 ? 'has' : 'have'} a position.`];
    if (summary.median !== null) {
      notes.push(
        `Median ${formatPosition(summary.median)} (${positionInWords(summary.median)}); the middle half of the cases lies between ${formatPosition(summary.q1!)} and ${formatPosition(summary.q3!)}.`,
      );
      const top = cases[0]!.position;
      const bottom = cases[cases.length - 1]!.position;
      const at = (v: number) => list(cases.filter((c) => c.position === v).map((c) => oneLine(c.caseName)));
      notes.push(top === bottom ? `All at ${formatPosition(top)}: ${at(top)}.` : `Most bazaar: ${at(top)} (${formatPosition(top)}). Most cathedral: ${at(bottom)} (${formatPosition(bottom)}).`);
    } else notes.push('No case has coded evidence in this stage yet.');
    const overridden = placed.filter((p) => p.override !== null);
    if (overridden.length > 0)
      notes.push(`Set by the researcher: ${overridden.map((p) => `${oneLine(caseName.get(p.caseId) ?? '')} at ${formatPosition(p.position)} — ${oneLine(p.override!.justification)}`).join('; ')}.`);
    if (noEvidence.length > 0) notes.push(`No evidence: ${list(noEvidence.map((c) => oneLine(c.caseName)))}.`);
    slides.push({
      id: stageMapSlideId(stage.id),
      kind: 'stage-map',
      title: `${name}: cathedral or bazaar?`,
      body: { stageId: stage.id, stageName: stage.name, stageNumber: index + 1, stageCount: stages.length, summary, summaryWords: positionInWords(summary.median), cases, noEvidence },
      notes: notes.join('\n\n'),
    });

    const challenges = highlights(stage.id, 'challenge');
    const onRamps = highlights(stage.id, 'on-ramp');
    const describe = (heading: string, items: readonly CodeHighlight[]) => {
      if (items.length === 0) return `${heading}: none coded in this stage.`;
      const lines = items.map((h) => {
        const quote = h.quote ? ` “${oneLine(h.quote.text)}” — ${h.quote.attribution}` : '';
        return `${oneLine(h.name)}: ${plural(h.segments, 'coded segment')} in ${plural(h.cases, 'case')}.${quote}`;
      });
      return [`${heading}:`, ...lines.map((l) => `- ${l}`)].join('\n');
    };
    slides.push({
      id: stageCodesSlideId(stage.id),
      kind: 'stage-codes',
      title: `${name}: challenges and on-ramps`,
      body: { stageId: stage.id, stageName: stage.name, challenges, onRamps },
      notes: [describe(`Top challenges in ${name}`, challenges), describe(`Top on-ramps in ${name}`, onRamps)].join('\n\n'),
    });
  });

  // Network.
  const stageIds = new Set(stages.map((s) => s.id));
  const actorIds = new Set(source.actors.map((a) => a.id));
  const ties = source.ties.filter((t) => stageIds.has(t.stageId) && actorIds.has(t.fromId) && actorIds.has(t.toId) && t.fromId !== t.toId);
  const tieCount = new Map<Guid, number>();
  for (const t of ties) for (const id of [t.fromId, t.toId]) tieCount.set(id, (tieCount.get(id) ?? 0) + 1);
  const byStage = stages.map((s) => {
    const own = ties.filter((t) => t.stageId === s.id);
    return { stageId: s.id, stageName: s.name, ties: own.length, evidence: own.reduce((sum, t) => sum + new Set(t.evidenceSegmentIds).size, 0) };
  });
  const mostConnected = source.actors
    .filter((a) => (tieCount.get(a.id) ?? 0) > 0)
    .sort((a, b) => tieCount.get(b.id)! - tieCount.get(a.id)! || compareActors(a, b))
    .slice(0, 3)
    .map((a) => ({ actorId: a.id, name: a.name, ties: tieCount.get(a.id)! }));
  const actorsWithoutTies = source.actors.filter((a) => !tieCount.has(a.id)).length;
  const networkNotes = [`The collaboration network: ${plural(source.actors.length, 'actor')} and ${plural(ties.length, 'tie')}.`];
  if (ties.length > 0) {
    networkNotes.push(`By stage: ${byStage.map((b) => `${oneLine(b.stageName)} ${plural(b.ties, 'tie')} (${plural(b.evidence, 'evidence segment')})`).join('; ')}.`);
    networkNotes.push(`Most connected: ${list(mostConnected.map((m) => `${oneLine(m.name)} (${plural(m.ties, 'tie')})`))}.`);
  }
  if (actorsWithoutTies > 0) networkNotes.push(`${plural(actorsWithoutTies, 'actor has', 'actors have')} no ties yet.`);
  slides.push({
    id: NETWORK_SLIDE,
    kind: 'network',
    title: 'Collaboration network',
    body: { actorCount: source.actors.length, tieCount: ties.length, byStage, mostConnected, actorsWithoutTies },
    notes: networkNotes.join('\n\n'),
  });

  // Summary.
  const summaryStages = stages.map((s) => {
    const sum = positions.summaries.find((x) => x.stageId === s.id)!;
    return { stageId: s.id, stageName: s.name, median: sum.median, q1: sum.q1, q3: sum.q3, count: sum.count, words: positionInWords(sum.median) };
  });
  const withMedian = summaryStages.filter((s): s is typeof s & { median: number } => s.median !== null);
  const move = (a: (typeof withMedian)[number], b: (typeof withMedian)[number]): MedianMove => ({
    fromStageId: a.stageId,
    toStageId: b.stageId,
    from: a.median,
    to: b.median,
    ...describeMove(oneLine(a.stageName), oneLine(b.stageName), a.median, b.median),
  });
  const steps = withMedian.slice(1).map((b, i) => move(withMedian[i]!, b));
  const overall = withMedian.length >= 2 ? move(withMedian[0]!, withMedian[withMedian.length - 1]!) : null;
  const summaryNotes = [
    summaryStages.map((s) => (s.median === null ? `${oneLine(s.stageName)}: no evidence.` : `${oneLine(s.stageName)}: median ${formatPosition(s.median)} (${s.words}), ${plural(s.count, 'case')}.`)).join('\n'),
    ...(steps.length > 1 ? [steps.map((s) => s.text).join('\n')] : []),
    overall === null
      ? 'Fewer than two stages have evidence, so there is no move across the lifecycle to describe.'
      : `Across the lifecycle: ${overall.direction === 'towards-bazaar' ? 'from cathedral towards bazaar. ' : overall.direction === 'towards-cathedral' ? 'from bazaar towards cathedral. ' : 'no overall move. '}${overall.text}`,
  ];
  slides.push({
    id: SUMMARY_SLIDE,
    kind: 'summary',
    title: 'Cathedral or bazaar across the lifecycle',
    body: { stages: summaryStages, steps, overall },
    notes: summaryNotes.join('\n\n'),
  });

  return { slides, problems, positions };
}

/** The deck: default slides arranged by the researcher's settings (see `arrangeSlides`). */
export function buildDeck(source: DeckSource, settings: DeckSettings = {}, options: DeckOptions = {}): Deck {
  const { slides, problems, positions } = defaultSlides(source, settings, options);
  const arranged = arrangeSlides(slides, settings);
  return { slides: arranged, visible: arranged.filter((e) => !e.hidden).map((e) => e.slide), problems, positions };
}
