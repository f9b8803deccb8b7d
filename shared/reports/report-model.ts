/**
 * The codebook report as plain data: a study summary, the codebook by stage → kind → code
 * with every definition field, frequencies per code, exemplar quotes attributed in the
 * reference study's style ("code, then a quote, then who said it"), and optionally the
 * case × code matrix. Writers (`report-html.ts`, `report-markdown.ts`, later DOCX and PDF)
 * only lay this out: every choice (which codes, which quotes, what is anonymised) is made
 * here, once, and said in `notes`.
 *
 * Texts in the report are the researcher's and participants' words, unescaped: each writer
 * escapes them for its format.
 */
import { caseByCodeMatrix, codeColumns, KIND_GROUP_LABELS, UNKNOWN_STAGE_LABEL } from '../analysis/matrix.ts';
import type { Matrix } from '../analysis/matrix-types.ts';
import { codeCounts } from '../codebook/counts.ts';
import { CROSS_STAGE_LABEL } from '../codebook/operations.ts';
import { pseudonymsOf, quoteAttribution } from '../maps/positions.ts';
import type { CodeKind, CodeStatus, CollaborationMode, Guid, IsoDate, StudyRecords } from '../model/types.ts';

/** The records a report is built from (a whole `StudyRecords` will do). */
export type ReportSource = Pick<StudyRecords, 'study' | 'coders' | 'stages' | 'attributes' | 'cases' | 'participants' | 'documents' | 'segments' | 'codes' | 'codings'>;

export interface ReportTerm {
  term: string;
  replacement: string;
}

export interface ReportOptions {
  /** Stages to include: 'all' (or missing), or a list where null stands for the cross-stage codes. */
  stageIds?: readonly (Guid | null)[] | 'all';
  /** Codes to include (within the chosen stages): 'all' (or missing) or a list. */
  codeIds?: readonly Guid[] | 'all';
  /** Exemplar quotes per code, 0–10 (rounded down and clamped). */
  exemplars: number;
  /** Segments the researcher pinned as exemplars of a code, in the order to show them. */
  pinned?: Readonly<Record<Guid, readonly Guid[]>>;
  anonymise?: { participants: boolean; terms: readonly ReportTerm[] };
  includeMatrix?: boolean;
  now: IsoDate;
}

export type ExemplarRule = 'pinned' | 'example' | 'automatic';

export interface ReportExemplar {
  segmentId: Guid;
  /** The quote, anonymised when asked. */
  text: string;
  /** Pseudonyms and case, e.g. "P2 · BLOOM" ("Unattributed" when neither is known). */
  attribution: string;
  rule: ExemplarRule;
}

export interface ReportFrequencies {
  /** Distinct coded segments (several coders on one segment count once). */
  segments: number;
  cases: number;
  participants: number;
}

export interface ReportCode {
  id: Guid;
  /** Names from the top code down to this one. */
  path: string[];
  name: string;
  color: string;
  status: CodeStatus;
  mode: CollaborationMode;
  shortDefinition: string;
  definition: string;
  useWhen: string;
  doNotUseWhen: string;
  /** The code's own examples (anonymised when asked). */
  typicalExamples: string[];
  atypicalExamples: string[];
  frequencies: ReportFrequencies;
  exemplars: ReportExemplar[];
}

export interface ReportKind {
  kind: CodeKind;
  label: string;
  codes: ReportCode[];
}

export interface ReportSection {
  stageId: Guid | null;
  /** The stage's name, "Cross-stage", or "Unknown stage". */
  stage: string;
  kinds: ReportKind[];
}

export interface ReportSummary {
  cases: number;
  participants: number;
  documents: number;
  coders: number;
  codings: number;
  /** The earliest and latest interview dates (yyyy-mm-dd) of the participants, or null when none is known. */
  interviewDates: { first: string; last: string } | null;
}

export interface CodebookReport {
  title: string;
  studyName: string;
  generatedAt: IsoDate;
  summary: ReportSummary;
  sections: ReportSection[];
  /** Cases × the included codes, coded segments per cell. */
  matrix?: Matrix;
  /** How the report was made: selection, exemplar rule, anonymisation. */
  notes: string[];
}

export const MAX_EXEMPLARS = 10;
/** The automatic rule prefers quotes of about this many characters, within the bounds below. */
export const IDEAL_QUOTE_LENGTH = 160;
export const MIN_QUOTE_LENGTH = 40;
export const MAX_QUOTE_LENGTH = 400;

export const AUTOMATIC_RULE_NOTE =
  `Exemplars chosen automatically: segments of ${MIN_QUOTE_LENGTH}–${MAX_QUOTE_LENGTH} characters come before shorter or longer ones, ` +
  `then the length closest to ${IDEAL_QUOTE_LENGTH} characters, then document title, then position in the document; ` +
  'one quote per case first (a case not yet quoted for the code), then the rest in the same order.';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

// ---------------------------------------------------------------------------------------------
// Anonymisation

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * A function replacing every term, whole-word and case-insensitively, by its replacement, in
 * one pass (a replacement is never replaced again). Longer terms win over shorter ones they
 * contain; blank terms are ignored, and of two equal terms (ignoring case) the first counts.
 * "Whole word": the match is not preceded or followed by a letter, digit or underscore.
 */
export function termReplacer(terms: readonly ReportTerm[]): (text: string) => string {
  const byKey = new Map<string, ReportTerm>();
  for (const t of terms) {
    const term = t.term.trim();
    if (term === '') continue;
    const key = term.toLocaleLowerCase('en');
    if (!byKey.has(key)) byKey.set(key, { term, replacement: t.replacement });
  }
  if (byKey.size === 0) return (text) => text;
  const list = [...byKey.values()].sort((a, b) => b.term.length - a.term.length || compareText(a.term, b.term));
  // One group per term, so the replacement is found by which group matched, whatever the case folding.
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${list.map((t) => `(${escapeRegExp(t.term)})`).join('|')})(?![\\p{L}\\p{N}_])`, 'giu');
  return (text) =>
    text.replace(pattern, (...args: unknown[]) => {
      const index = args.slice(1, list.length + 1).findIndex((g) => g !== undefined);
      return list[index]!.replacement;
    });
}

// ---------------------------------------------------------------------------------------------
// Exemplars

export interface ExemplarCandidate {
  segmentId: Guid;
  text: string;
  documentId: Guid;
  documentTitle: string;
  start: number;
  /** The case, or the document when it has none: quotes are spread across these. */
  spreadKey: string;
}

const lengthRank = (text: string): [number, number] => {
  const n = text.length;
  return [n >= MIN_QUOTE_LENGTH && n <= MAX_QUOTE_LENGTH ? 0 : 1, Math.abs(n - IDEAL_QUOTE_LENGTH)];
};

function compareExemplarCandidates(a: ExemplarCandidate, b: ExemplarCandidate): number {
  const [ra, da] = lengthRank(a.text);
  const [rb, db] = lengthRank(b.text);
  return ra - rb || da - db || compareText(a.documentTitle, b.documentTitle) || a.start - b.start || compareText(a.segmentId, b.segmentId);
}

/**
 * Up to `count` exemplars of one code: pinned segments first (in the researcher's order),
 * then the code's typical examples taken from a coded segment, then the automatic rule.
 * Only segments that exist and carry the code qualify; each segment appears once.
 */
export function chooseExemplars(candidates: readonly ExemplarCandidate[], count: number, pinned: readonly Guid[], examples: readonly Guid[]): { segment: ExemplarCandidate; rule: ExemplarRule }[] {
  const byId = new Map(candidates.map((c) => [c.segmentId, c]));
  const chosen: { segment: ExemplarCandidate; rule: ExemplarRule }[] = [];
  const used = new Set<Guid>();
  const take = (id: Guid, rule: ExemplarRule): void => {
    const c = byId.get(id);
    if (!c || used.has(id) || chosen.length >= count) return;
    used.add(id);
    chosen.push({ segment: c, rule });
  };
  for (const id of pinned) take(id, 'pinned');
  for (const id of examples) take(id, 'example');
  const rest = candidates.filter((c) => !used.has(c.segmentId)).sort(compareExemplarCandidates);
  const quoted = new Set(chosen.map((c) => c.segment.spreadKey));
  for (const c of rest) {
    if (quoted.has(c.spreadKey)) continue;
    quoted.add(c.spreadKey);
    take(c.segmentId, 'automatic');
  }
  for (const c of rest) take(c.segmentId, 'automatic');
  return chosen;
}

// ---------------------------------------------------------------------------------------------
// The report

export function buildCodebookReport(source: ReportSource, options: ReportOptions): CodebookReport {
  const exemplarCount = Math.max(0, Math.min(MAX_EXEMPLARS, Math.floor(Number.isFinite(options.exemplars) ? options.exemplars : 0)));
  const notes: string[] = [];

  // Selection: codes in tree order, by stage → kind.
  const stageScope = options.stageIds === undefined || options.stageIds === 'all' ? null : new Set(options.stageIds);
  const codeScope = options.codeIds === undefined || options.codeIds === 'all' ? null : new Set(options.codeIds);
  const columns = codeColumns(source).filter((col) => {
    const id = col.codeIds[0]!;
    return (stageScope === null || stageScope.has(col.stageId)) && (codeScope === null || codeScope.has(id));
  });
  const totalCodes = source.codes.length;
  notes.push(
    columns.length === totalCodes
      ? `Codes: all ${plural(totalCodes, 'code')} of the codebook.`
      : `Codes: ${columns.length} of the codebook's ${plural(totalCodes, 'code')} (selected by stage${codeScope ? ' and code' : ''}).`,
  );

  // Anonymisation.
  const anonymise = options.anonymise;
  const terms: ReportTerm[] = [...(anonymise?.terms ?? [])];
  if (anonymise?.participants) {
    for (const p of source.participants) {
      if (p.organisation.trim() !== '') terms.push({ term: p.organisation, replacement: '[organisation]' });
    }
  }
  const replace = termReplacer(terms);
  const researcherTerms = (anonymise?.terms ?? []).filter((t) => t.term.trim() !== '').length;
  if (anonymise && (anonymise.participants || researcherTerms > 0)) {
    const what: string[] = [];
    if (researcherTerms > 0) what.push(`${plural(researcherTerms, 'identifying term')} listed by the researcher, each by its replacement`);
    if (anonymise.participants) what.push('the organisations of participants by “[organisation]”');
    notes.push(
      `Anonymised: in every quote, example and attribution, ${what.join(', and ')} (whole words, ignoring case, longest first). ` +
        'Participants are named by their pseudonyms only; the study stores no real names, so names that appear in quotes are replaced only when listed as terms.',
    );
  } else notes.push('Not anonymised: quotes appear as coded. Participants are named by their pseudonyms.');

  // Frequencies.
  const counts = codeCounts(source.codings, source.documents, { codes: source.codes });

  // Exemplar candidates per code.
  const documentById = new Map(source.documents.map((d) => [d.id, d]));
  const caseById = new Map(source.cases.map((c) => [c.id, c]));
  const segmentById = new Map(source.segments.map((s) => [s.id, s]));
  const segmentsOfCode = new Map<Guid, Set<Guid>>();
  for (const coding of source.codings) {
    if (!segmentById.has(coding.segmentId)) continue;
    let set = segmentsOfCode.get(coding.codeId);
    if (!set) segmentsOfCode.set(coding.codeId, (set = new Set()));
    set.add(coding.segmentId);
  }
  const candidateOf = (segmentId: Guid): ExemplarCandidate => {
    const s = segmentById.get(segmentId)!;
    const d = documentById.get(s.documentId);
    return { segmentId, text: s.text, documentId: s.documentId, documentTitle: d?.title ?? '', start: s.start, spreadKey: d?.caseId != null ? `case:${d.caseId}` : `document:${s.documentId}` };
  };
  const attributionOf = (documentId: Guid): string => {
    const d = documentById.get(documentId);
    const caseName = d?.caseId != null ? (caseById.get(d.caseId)?.name ?? null) : null;
    return quoteAttribution(pseudonymsOf(source, d), caseName === null ? null : replace(caseName));
  };

  const codeById = new Map(source.codes.map((c) => [c.id, c]));
  const stageNames = new Map(source.stages.map((s) => [s.id, s.name]));
  let missingPins = 0;
  const sections: ReportSection[] = [];
  for (const col of columns) {
    const code = codeById.get(col.codeIds[0]!)!;
    const stageName = col.stageId === null ? CROSS_STAGE_LABEL : (stageNames.get(col.stageId) ?? UNKNOWN_STAGE_LABEL);
    let section = sections.at(-1);
    if (!section || section.stageId !== col.stageId) sections.push((section = { stageId: col.stageId, stage: stageName, kinds: [] }));
    let kind = section.kinds.at(-1);
    if (!kind || kind.kind !== code.kind) section.kinds.push((kind = { kind: code.kind, label: KIND_GROUP_LABELS[code.kind], codes: [] }));

    const own = segmentsOfCode.get(code.id) ?? new Set<Guid>();
    const pinned = options.pinned?.[code.id] ?? [];
    missingPins += pinned.filter((id) => !own.has(id)).length;
    const exampleSegments = code.examples.filter((e) => e.typical && e.segmentId !== null).map((e) => e.segmentId!);
    const picks = exemplarCount === 0 ? [] : chooseExemplars([...own].map(candidateOf), exemplarCount, pinned, exampleSegments);
    const count = counts.get(code.id);
    kind.codes.push({
      id: code.id,
      path: col.namePath,
      name: code.name,
      color: code.color,
      status: code.status,
      mode: code.mode,
      shortDefinition: code.shortDefinition,
      definition: code.definition,
      useWhen: code.useWhen,
      doNotUseWhen: code.doNotUseWhen,
      typicalExamples: code.examples.filter((e) => e.typical).map((e) => replace(e.text)),
      atypicalExamples: code.examples.filter((e) => !e.typical).map((e) => replace(e.text)),
      frequencies: { segments: count?.segments ?? 0, cases: count?.cases ?? 0, participants: count?.participants ?? 0 },
      exemplars: picks.map(({ segment, rule }) => ({ segmentId: segment.segmentId, text: replace(segment.text), attribution: attributionOf(segment.documentId), rule })),
    });
  }

  if (exemplarCount === 0) notes.push('Exemplars: none asked for.');
  else {
    notes.push(`Exemplars: up to ${exemplarCount} per code. Segments pinned by the researcher come first, then the code's typical examples taken from a coded segment, then automatic choices.`);
    notes.push(AUTOMATIC_RULE_NOTE);
    if (missingPins > 0) notes.push(`Left out: ${plural(missingPins, 'pinned segment')} that no longer exist or no longer carry the code.`);
  }
  notes.push('Frequencies: distinct coded segments, cases and participants per code (sub-codes counted on their own).');

  const dates = source.participants.map((p) => p.interviewDate).filter((d) => DATE.test(d)).sort();
  const report: CodebookReport = {
    title: `Codebook report: ${source.study.name}`,
    studyName: source.study.name,
    generatedAt: options.now,
    summary: {
      cases: source.cases.length,
      participants: source.participants.length,
      documents: source.documents.length,
      coders: source.coders.length,
      codings: source.codings.length,
      interviewDates: dates.length > 0 ? { first: dates[0]!, last: dates.at(-1)! } : null,
    },
    sections,
    notes,
  };
  if (options.includeMatrix) {
    report.matrix = caseByCodeMatrix(source, { rows: 'case', metric: 'segments', columns });
    notes.push('Matrix: coded segments per case and code.');
  }
  return report;
}
