/**
 * The codebook report as Markdown. Every text is escaped with the codebook export's
 * `escapeMarkdown`, so `**bold**`, `[link](…)`, `# heading` or `<script>` in a quote show as
 * written. Each code: heading, definitions, frequencies, then its exemplars as `> …` quotes,
 * each followed by "— who said it". Markdown refers to nothing outside the file, so map images
 * are listed by title with a note saying which formats carry them.
 */
import type { Matrix } from '../analysis/matrix-types.ts';
import { escapeMarkdown } from '../codebook/markdown.ts';
import type { CodebookReport, ReportCode } from './report-model.ts';
import { codeFactsText, exampleLists, figureCaption, summaryFacts, type ReportWriterOptions } from './report-parts.ts';

export const MARKDOWN_MAPS_NOTE = 'The maps are not embedded in the Markdown report, which links to nothing outside itself: the HTML, Word and PDF reports show them.';

/** One line: line breaks become spaces. */
const inline = (text: string): string => escapeMarkdown(text.replace(/\s*\n\s*/g, ' ').trim());

/** Escaped lines of a text with several lines (blank lines kept as paragraph breaks, as ''). */
function escapedLines(text: string): string[] {
  return text
    .trim()
    .split(/\n\s*\n/)
    .flatMap((p, i) => [
      ...(i > 0 ? [''] : []),
      ...p
        .split('\n')
        .map((line) => escapeMarkdown(line.trim()))
        .filter((line) => line !== ''),
    ]);
}

/** Paragraphs of user text, lines joined by hard breaks. */
const block = (text: string): string => escapedLines(text).join('\\\n').replace(/\\\n\\\n/g, '\n\n');

function codeMarkdown(code: ReportCode, out: string[]): void {
  out.push(`#### ${code.path.map(inline).join(' › ')}`);
  if (code.shortDefinition.trim() !== '') out.push(`*${inline(code.shortDefinition)}*`);
  if (code.definition.trim() !== '') out.push(block(code.definition));
  if (code.useWhen.trim() !== '') out.push(`**Use when:** ${block(code.useWhen)}`);
  if (code.doNotUseWhen.trim() !== '') out.push(`**Do not use when:** ${block(code.doNotUseWhen)}`);
  for (const [label, items] of exampleLists(code)) out.push(`**${label}:**`, items.map((t) => `- ${inline(t)}`).join('\n'));
  out.push(codeFactsText(code));
  for (const e of code.exemplars) {
    // Lines of one paragraph end in a backslash (a hard line break), as in `block`.
    const lines = escapedLines(e.text);
    const quote = lines.map((line, i) => (line === '' ? '>' : `> ${line}${lines[i + 1] !== undefined && lines[i + 1] !== '' ? '\\' : ''}`));
    out.push(`${quote.join('\n')}\n\n— ${inline(e.attribution)}`);
  }
}

function matrixMarkdown(matrix: Matrix, out: string[]): void {
  out.push('## Cases × codes');
  const header = [inline(matrix.rowHeader), ...matrix.columns.map((c) => c.namePath.map(inline).join(' › ')), 'Total'];
  const rows = [
    `| ${header.join(' | ')} |`,
    `| ${header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...matrix.rows.map((row, r) => `| ${[inline(row.label), ...matrix.cells[r]!.map((v) => `${v}${inline(matrix.unit)}`), String(matrix.rowTotals[r]!)].join(' | ')} |`),
    `| ${['Total', ...matrix.columnTotals.map(String), String(matrix.grandTotal)].join(' | ')} |`,
  ];
  out.push(rows.join('\n'));
  if (matrix.settings.length > 0) out.push(matrix.settings.map((s) => `- ${inline(s)}`).join('\n'));
}

export function reportToMarkdown(report: CodebookReport, options: ReportWriterOptions = {}): string {
  const images = options.images ?? [];
  const out: string[] = [`# ${inline(report.title)}`, `Generated ${inline(report.generatedAt)}`];
  out.push('## Study summary', summaryFacts(report).map(([label, value]) => `- ${label}: ${inline(value)}`).join('\n'));
  if (report.notes.length > 0) out.push('### About this report', report.notes.map((n) => `- ${inline(n)}`).join('\n'));
  for (const section of report.sections) {
    out.push(`## ${inline(section.stage)}`);
    for (const kind of section.kinds) {
      out.push(`### ${inline(kind.label)}`);
      for (const code of kind.codes) codeMarkdown(code, out);
    }
  }
  if (report.sections.length === 0) out.push('No codes were selected.');
  if (images.length > 0) out.push('## Maps', MARKDOWN_MAPS_NOTE, images.map((image, i) => `- ${inline(figureCaption(image, i))}`).join('\n'));
  if (report.matrix) matrixMarkdown(report.matrix, out);
  return `${out.join('\n\n')}\n`;
}
