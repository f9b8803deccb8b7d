/**
 * `cartography agreement FILE --unit document|character|segment`: inter-coder agreement per
 * code and overall, computed by `shared/analysis/agreement.ts`, the engine the app's
 * Agreement screen uses: percent agreement, Cohen's kappa (two coders) and Krippendorff's
 * alpha, with the number of units and a note wherever a value is undefined.
 *
 * What is compared, by default:
 * - coders: every coder with at least one coding (`--coders` names them: a name, matched
 *   exactly but case-insensitively, or a coder's GUID when two share a name);
 * - codes: every code, in codebook order (`--codes` names them: a name or a path
 *   "Parent > Child");
 * - documents: those in which every compared coder has at least one coding. The engine
 *   treats a coder without codings in a document as having coded it and found nothing, so a
 *   document one coder never opened would count against agreement; `--all-documents`
 *   compares over every document anyway. Standard error says how many were left out.
 */
import { AGREEMENT_THRESHOLDS, AGREEMENT_UNITS, computeAgreement, DEFAULT_OVERLAP, type AgreementInput, type AgreementStatistic, type AgreementUnit } from '../../../shared/analysis/agreement.ts';
import { codePathIn } from '../../../shared/codebook/operations.ts';
import type { Code, Coder, Guid, StudyRecords } from '../../../shared/model/types.ts';
import { expectPositionals, parseCommandArgs, stringOption } from '../args.ts';
import { CliError, q, UsageError } from '../errors.ts';
import type { CliIo } from '../io.ts';
import { FORMAT_NAMES, readInput } from '../input.ts';

export interface AgreementRequest {
  unit: AgreementUnit;
  /** Segment unit only. */
  overlap?: number;
  /** Names or GUIDs; undefined: every coder with codings. */
  coders?: readonly string[];
  /** Names or paths; undefined: every code. */
  codes?: readonly string[];
  allDocuments: boolean;
}

type Numbers = Pick<AgreementStatistic, 'percent' | 'kappa' | 'alpha' | 'units' | 'notes'>;

/** What `--json` prints, keys in this order. */
export interface AgreementReport {
  unit: AgreementUnit;
  overlap?: number;
  coders: { id: Guid; name: string }[];
  overall: Numbers;
  codes: ({ id: Guid; name: string; path: string } & Numbers)[];
}

export interface StudyAgreement {
  report: AgreementReport;
  /** The engine's input, as computed on (for tests and notes). */
  input: AgreementInput;
  /** Documents left out because a compared coder has no coding in them. */
  leftOut: number;
}

const PATH_SEPARATOR = ' > ';
const fold = (text: string) => text.trim().toLowerCase();

/** Codes in codebook order: top codes, each followed by its subcodes, siblings by their order then name. */
function treeOrder(codes: readonly Code[]): Code[] {
  const ids = new Set(codes.map((c) => c.id));
  const children = new Map<Guid | null, Code[]>();
  for (const c of codes) {
    const parent = c.parentId !== null && ids.has(c.parentId) ? c.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), c]);
  }
  const ordered: Code[] = [];
  const seen = new Set<Guid>();
  const visit = (parent: Guid | null) => {
    const siblings = [...(children.get(parent) ?? [])].sort((a, b) => a.order - b.order || a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1));
    for (const c of siblings) {
      if (seen.has(c.id)) continue;
      seen.add(c.id);
      ordered.push(c);
      visit(c.id);
    }
  };
  visit(null);
  // Codes caught in a loop of parents (never in a checked study) still come last.
  for (const c of codes) if (!seen.has(c.id)) ordered.push(c);
  return ordered;
}

const listOf = (items: readonly string[], limit = 30): string => {
  const shown = items.slice(0, limit).map(q).join(', ');
  return items.length > limit ? `${shown} and ${items.length - limit} more` : shown;
};

function chooseCoders(records: StudyRecords, names: readonly string[] | undefined, path: string): Coder[] {
  const coding = new Set(records.codings.map((c) => c.coderId));
  const describe = (c: Coder) => `${q(c.name)} (${c.id}${coding.has(c.id) ? '' : ', no codings'})`;
  const all = records.coders.map(describe).join(', ');
  if (names === undefined) {
    const active = records.coders.filter((c) => coding.has(c.id));
    if (records.codings.length === 0) throw new CliError(`${q(path)} has no codings: agreement compares the codings of two or more coders. Its coders: ${all === '' ? 'none' : all}.`);
    if (active.length < 2) {
      throw new CliError(`${q(path)} has codings by one coder only (${q(active[0]!.name)}): agreement compares two or more coders. Its coders: ${all}.`);
    }
    return active;
  }
  const chosen: Coder[] = [];
  for (const name of names) {
    const byId = records.coders.find((c) => c.id === name.trim());
    const matches = byId ? [byId] : records.coders.filter((c) => fold(c.name) === fold(name));
    if (matches.length === 0) throw new CliError(`${q(path)} has no coder named ${q(name)}. Its coders: ${all === '' ? 'none' : all}.`);
    if (matches.length > 1) throw new CliError(`${q(path)} has ${matches.length} coders named ${q(name)}: ${matches.map(describe).join(', ')}. Name one by its GUID in --coders.`);
    if (chosen.includes(matches[0]!)) throw new CliError(`--coders names ${q(matches[0]!.name)} twice: name each coder once.`);
    chosen.push(matches[0]!);
  }
  return chosen;
}

function chooseCodes(ordered: readonly Code[], paths: ReadonlyMap<Guid, string>, names: readonly string[] | undefined, path: string): Code[] {
  if (ordered.length === 0) throw new CliError(`${q(path)} has no codes: there is no agreement to measure.`);
  if (names === undefined) return [...ordered];
  const chosen = new Set<Guid>();
  for (const name of names) {
    const wanted = name.split('>').map(fold).join(PATH_SEPARATOR);
    const byPath = ordered.filter((c) => fold(paths.get(c.id)!).split('>').map(fold).join(PATH_SEPARATOR) === wanted);
    const matches = byPath.length > 0 ? byPath : ordered.filter((c) => fold(c.name) === fold(name));
    if (matches.length === 0) throw new CliError(`${q(path)} has no code named ${q(name)}. Its codes: ${listOf(ordered.map((c) => paths.get(c.id)!))}.`);
    if (matches.length > 1) throw new CliError(`${q(path)} has ${matches.length} codes named ${q(name)}: ${listOf(matches.map((c) => paths.get(c.id)!))}. Give the code's path, e.g. ${q(paths.get(matches[0]!.id)!)}.`);
    chosen.add(matches[0]!.id);
  }
  return ordered.filter((c) => chosen.has(c.id));
}

const numbers = (s: AgreementStatistic): Numbers => ({ percent: s.percent, kappa: s.kappa, alpha: s.alpha, units: s.units, notes: s.notes });

/** The agreement of a study's coders, as `cartography agreement` prints it. */
export function studyAgreement(records: StudyRecords, request: AgreementRequest, path: string): StudyAgreement {
  const coders = chooseCoders(records, request.coders, path);
  const byId = new Map(records.codes.map((c) => [c.id, c]));
  const ordered = treeOrder(records.codes);
  const paths = new Map(ordered.map((c) => [c.id, codePathIn(byId, c.id).join(PATH_SEPARATOR)]));
  const codes = chooseCodes(ordered, paths, request.codes, path);

  const coderIds = coders.map((c) => c.id);
  const codedBy = new Map<Guid, Set<Guid>>();
  for (const c of records.codings) codedBy.set(c.documentId, (codedBy.get(c.documentId) ?? new Set()).add(c.coderId));
  const documents = request.allDocuments ? records.documents : records.documents.filter((d) => coderIds.every((id) => codedBy.get(d.id)?.has(id)));
  if (documents.length === 0) {
    const names = coders.map((c) => q(c.name)).join(', ');
    throw new CliError(
      records.documents.length === 0
        ? `${q(path)} has no documents: there is no agreement to measure.`
        : `No document of ${q(path)} has codings by every compared coder (${names}): agreement compares coders on the same documents. Choose other coders with --coders, or compare over every document with --all-documents.`,
    );
  }

  const segments = new Map(records.segments.map((s) => [s.id, s]));
  const codeIds = new Set(codes.map((c) => c.id));
  const documentIds = new Set(documents.map((d) => d.id));
  const input: AgreementInput = {
    documents: documents.map((d) => ({ id: d.id, length: d.length })),
    codings: records.codings
      .filter((c) => codeIds.has(c.codeId) && documentIds.has(c.documentId))
      .map((c) => {
        const segment = segments.get(c.segmentId)!;
        return { id: c.id, documentId: c.documentId, codeId: c.codeId, coderId: c.coderId, start: segment.start, end: segment.end };
      }),
    coderIds,
    codeIds: codes.map((c) => c.id),
  };
  const overlap = request.unit === 'segment' ? (request.overlap ?? DEFAULT_OVERLAP) : undefined;
  const result = computeAgreement(input, { unit: request.unit, ...(overlap === undefined ? {} : { overlap }) });
  const report: AgreementReport = {
    unit: request.unit,
    ...(overlap === undefined ? {} : { overlap }),
    coders: coders.map((c) => ({ id: c.id, name: c.name })),
    overall: numbers(result.overall),
    codes: result.perCode.map((row) => {
      const code = byId.get(row.codeId)!;
      return { id: code.id, name: code.name, path: paths.get(code.id)!, ...numbers(row) };
    }),
  };
  return { report, input, leftOut: records.documents.length - documents.length };
}

// --- Output -----------------------------------------------------------------------------

const UNIT_WORDS: Record<AgreementUnit, string> = {
  document: 'unit: document (does the code occur in the document)',
  character: 'unit: character (is each character coded)',
  segment: 'unit: segment',
};

const formatShare = (value: number | null) => (value === null ? '—' : `${(value * 100).toFixed(1)} %`);
const formatValue = (value: number | null) => (value === null ? '—' : value.toFixed(3));
const formatCount = (value: number) => value.toLocaleString('en-GB');

/** The report as a table for people: one line per code, then overall, notes and how to read the values. */
export function agreementTable(report: AgreementReport, documents: number): string {
  const two = report.coders.length === 2;
  const header = ['code', 'units', 'percent', ...(two ? ['kappa'] : []), 'alpha'];
  const line = (label: string, s: Numbers) => [label, formatCount(s.units), formatShare(s.percent), ...(two ? [formatValue(s.kappa)] : []), formatValue(s.alpha)];
  const rows = [...report.codes.map((c) => line(c.path, c)), line('Overall', report.overall)];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const format = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  const unit = report.unit === 'segment' ? `${UNIT_WORDS.segment} (codings matched when they overlap by at least ${report.overlap} of their union)` : UNIT_WORDS[report.unit];
  const out = [
    `Agreement of ${report.coders.map((c) => c.name).join(', ')}`,
    `${unit}; ${documents} document${documents === 1 ? '' : 's'}, ${report.codes.length} code${report.codes.length === 1 ? '' : 's'}`,
    '',
    format(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.slice(0, -1).map(format),
    widths.map((w) => '-'.repeat(w)).join('  '),
    format(rows.at(-1)!),
  ];
  const notes = [...report.codes.flatMap((c) => c.notes.map((n) => `  ${c.path}: ${n}`)), ...report.overall.notes.map((n) => `  Overall: ${n}`)];
  if (notes.length > 0) out.push('', 'Notes:', ...notes);
  out.push('', 'Reading the values:', ...AGREEMENT_THRESHOLDS.filter((t) => two || t.statistic === 'alpha').map((t) => `  ${t.text}`));
  return `${out.join('\n')}\n`;
}

function parseOverlap(value: string): number {
  const overlap = Number(value);
  if (value.trim() === '' || !Number.isFinite(overlap) || overlap <= 0 || overlap > 1) {
    throw new UsageError(`agreement: --overlap is the share of their union two codings must overlap, greater than 0 and at most 1 (e.g. 0.5), not ${q(value)}.`, 'agreement');
  }
  return overlap;
}

function parseList(option: string, value: string | undefined, least: number): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.length < least) throw new UsageError(`agreement: --${option} needs ${least === 1 ? 'at least one name' : `${least} or more names`}, separated by commas${items.length === 0 ? '' : `, not only ${q(items[0]!)}`}.`, 'agreement');
  return items;
}

/** The command line's options as a request; every mistake is a UsageError (exit code 2). */
export function parseAgreementArgs(args: readonly string[]): { path: string; request: AgreementRequest; json: boolean } {
  const { positionals, values } = parseCommandArgs('agreement', args, {
    unit: { type: 'string' },
    overlap: { type: 'string' },
    coders: { type: 'string' },
    codes: { type: 'string' },
    'all-documents': { type: 'boolean' },
    json: { type: 'boolean' },
  });
  const [path] = expectPositionals('agreement', positionals, ['FILE']) as [string];
  const unit = stringOption(values, 'unit');
  if (unit === undefined) throw new UsageError('agreement: missing --unit document|character|segment, the units to compare.', 'agreement');
  if (!(AGREEMENT_UNITS as readonly string[]).includes(unit)) throw new UsageError(`agreement: --unit must be document, character or segment, not ${q(unit)}.`, 'agreement');
  const overlapText = stringOption(values, 'overlap');
  if (overlapText !== undefined && unit !== 'segment') throw new UsageError('agreement: --overlap applies to --unit segment only.', 'agreement');
  const coders = parseList('coders', stringOption(values, 'coders'), 2);
  const codes = parseList('codes', stringOption(values, 'codes'), 1);
  const request: AgreementRequest = {
    unit: unit as AgreementUnit,
    ...(overlapText === undefined ? {} : { overlap: parseOverlap(overlapText) }),
    ...(coders === undefined ? {} : { coders }),
    ...(codes === undefined ? {} : { codes }),
    allDocuments: values['all-documents'] === true,
  };
  return { path, request, json: values['json'] === true };
}

export async function agreementCommand(args: readonly string[], io: CliIo): Promise<void> {
  const { path, request, json } = parseAgreementArgs(args);
  const input = await readInput(path, io);
  if (input.codebookOnly) throw new CliError(`${q(path)} is ${FORMAT_NAMES[input.format]}: it has no coders and no codings to compare. Give the study file or .qdpx project that holds them.`);
  const { report, input: compared, leftOut } = studyAgreement(input.records, request, path);
  if (leftOut > 0) {
    io.stderr(`note: compared on the ${compared.documents.length} documents every compared coder has coded; ${leftOut} other${leftOut === 1 ? ' is' : 's are'} left out (--all-documents includes them).\n`);
  }
  io.stdout(json ? `${JSON.stringify(report, null, 2)}\n` : agreementTable(report, compared.documents.length));
}
