/**
 * `cartography report IN -o OUT`: the codebook report, built by the same function as the
 * app's Reports screen (shared/reports/report-model.ts) with the same options, and written
 * as HTML, Markdown or Word. Exemplars pinned in the app travel in the study file's settings
 * and come first, as in the app; the other options are the command's, never the settings'.
 */
import { CROSS_STAGE_LABEL } from '../../../shared/codebook/operations.ts';
import type { Guid } from '../../../shared/model/types.ts';
import { reportToDocx } from '../../../shared/reports/report-docx.ts';
import { reportToHtml } from '../../../shared/reports/report-html.ts';
import { reportToMarkdown } from '../../../shared/reports/report-markdown.ts';
import { buildCodebookReport, MAX_EXEMPLARS, type CodebookReport } from '../../../shared/reports/report-model.ts';
import { cleanReportPins, REPORT_PINS_SETTING } from '../../../shared/reports/report-pins.ts';
import { normaliseText } from '../../../shared/text/normalise.ts';
import { expectPositionals, parseCommandArgs, stringOption } from '../args.ts';
import { CliError, q, UsageError } from '../errors.ts';
import type { CliIo } from '../io.ts';
import { readInput } from '../input.ts';
import { parseTerms } from '../../../shared/reports/terms.ts';

export const REPORT_FORMATS = ['html', 'md', 'docx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
/** As on the Reports screen. */
export const DEFAULT_EXEMPLARS = 2;
const CROSS_STAGE_NAMES = ['cross-stage', CROSS_STAGE_LABEL.toLowerCase()];

export function reportFormatOf(path: string): ReportFormat | null {
  const ext = /\.([^.\\/]+)$/.exec(path.toLowerCase())?.[1];
  if (ext === 'html' || ext === 'htm') return 'html';
  if (ext === 'md' || ext === 'markdown') return 'md';
  if (ext === 'docx') return 'docx';
  return null;
}

export function writeReport(report: CodebookReport, format: ReportFormat): Uint8Array {
  switch (format) {
    case 'html':
      return new TextEncoder().encode(reportToHtml(report));
    case 'md':
      return new TextEncoder().encode(reportToMarkdown(report));
    case 'docx':
      return reportToDocx(report);
  }
}

/** Stage names (any case) to the stage ids a report takes; null stands for the cross-stage codes. */
export function stageSelection(list: string, stages: readonly { id: Guid; name: string }[], inputPath: string): (Guid | null)[] {
  const names = list.split(',').map((n) => n.trim()).filter((n) => n !== '');
  if (names.length === 0) throw new UsageError('report: --stages needs at least one stage name.', 'report');
  const unknown: string[] = [];
  const ids = names.map((name) => {
    if (CROSS_STAGE_NAMES.includes(name.toLowerCase())) return null;
    const stage = stages.find((s) => s.name.toLowerCase() === name.toLowerCase());
    if (!stage) unknown.push(name);
    return stage?.id ?? null;
  });
  if (unknown.length > 0) {
    const known = [...stages.map((s) => s.name), 'cross-stage'].map(q).join(', ');
    throw new CliError(`${q(inputPath)} has no stage named ${unknown.map(q).join(' or ')}. Its stages: ${known}.`);
  }
  return [...new Set(ids)];
}

function decodeTerms(path: string, bytes: Uint8Array): string {
  try {
    return normaliseText(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new CliError(`${q(path)} is not UTF-8 text: a terms file holds one “term => replacement” per line. Save it as UTF-8 text.`);
  }
}

export async function reportCommand(args: readonly string[], io: CliIo): Promise<void> {
  const { positionals, values } = parseCommandArgs('report', args, {
    output: { type: 'string', short: 'o' },
    format: { type: 'string' },
    exemplars: { type: 'string' },
    anonymise: { type: 'boolean' },
    terms: { type: 'string' },
    stages: { type: 'string' },
    matrix: { type: 'boolean' },
  });
  const [inPath] = expectPositionals('report', positionals, ['IN']) as [string];
  const outPath = stringOption(values, 'output');
  if (outPath === undefined) throw new UsageError('report: missing -o OUT, the file to write.', 'report');
  // "markdown" as the app's Reports screen names it, "md" as the file's extension
  const asked = stringOption(values, 'format')?.replace(/^markdown$/i, 'md');
  if (asked !== undefined && !(REPORT_FORMATS as readonly string[]).includes(asked)) throw new UsageError(`report: --format must be html, md or docx, not ${q(asked)}.`, 'report');
  const named = reportFormatOf(outPath);
  if (asked !== undefined && named !== null && named !== asked) throw new UsageError(`report: --format ${asked} does not match the name ${q(outPath)}, which says ${named}: give one or the other, or make them agree.`, 'report');
  const format = (asked as ReportFormat | undefined) ?? named;
  if (format === null) throw new UsageError(`report: cannot tell the format of ${q(outPath)} from its name: give --format html, md or docx, or end it in .html, .md or .docx.`, 'report');
  const exemplarText = stringOption(values, 'exemplars');
  const exemplars = exemplarText === undefined ? DEFAULT_EXEMPLARS : Number(exemplarText);
  if (!/^\d+$/.test(exemplarText ?? '0') || exemplars > MAX_EXEMPLARS) throw new UsageError(`report: --exemplars must be a whole number from 0 to ${MAX_EXEMPLARS}, not ${q(exemplarText!)}.`, 'report');

  const termsPath = stringOption(values, 'terms');
  const terms = termsPath === undefined ? [] : parseTerms(decodeTerms(termsPath, await io.readFile(termsPath)));
  const input = await readInput(inPath, io);
  const stagesList = stringOption(values, 'stages');
  const report = buildCodebookReport(input.records, {
    exemplars,
    pinned: cleanReportPins(input.settings[REPORT_PINS_SETTING]),
    stageIds: stagesList === undefined ? 'all' : stageSelection(stagesList, input.records.stages, inPath),
    anonymise: { participants: values['anonymise'] === true, terms },
    includeMatrix: values['matrix'] === true,
    now: io.now(),
  });
  await io.writeFile(outPath, writeReport(report, format));
}
