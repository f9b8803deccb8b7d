/**
 * A PDF's text layer, as pdf.js gives it (positioned runs of text per page), turned into
 * lines and paragraphs. Pure: the pdf.js calls live in pdf.ts.
 *
 * Lines: pdf.js marks the end of a line (hasEOL); a run lower or higher on the page than
 * the line so far also starts a new one. Paragraphs: the usual gap between lines is the
 * most frequent one in the document; a clearly larger gap, a speaker label at the start of
 * a line, or a new page starts a new paragraph (a page only when the line before ends a
 * sentence or the next begins in upper case).
 */
import { matchTurnLine } from '../text/turns.ts';

/** The fields of a pdf.js TextItem used here. */
export interface PdfTextItem {
  str: string;
  /** [a, b, c, d, x, y]: x and y place the run's baseline, y grows upwards. */
  transform: readonly number[];
  width: number;
  height: number;
  hasEOL: boolean;
}

/** pdf.js's TextMarkedContent: marks the start or end of tagged content, carries no text. */
export interface PdfMarkedContent {
  type: string;
}

export type PdfTextContentItem = PdfTextItem | PdfMarkedContent;

interface Line {
  text: string;
  x: number;
  y: number;
  height: number;
  page: number;
}

/** Paragraphs of the text layer, in reading order as pdf.js gives it, joined by blank lines. */
export function pdfPagesToText(pages: readonly (readonly PdfTextContentItem[])[]): string {
  const lines = pages.flatMap((items, page) => pageLines(items, page));
  const spacing = usualLineSpacing(lines);
  let text = '';
  lines.forEach((line, i) => {
    const before = lines[i - 1];
    if (!before) {
      text = line.text;
      return;
    }
    const sameParagraph =
      matchTurnLine(line.text) === null &&
      (before.page === line.page
        ? before.y - line.y > 0 && before.y - line.y <= spacing * 1.3
        : !/[.?!:;"”’)\]]$/.test(before.text) && /^\p{Ll}/u.test(line.text));
    // A word hyphenated at the end of a line goes on without a space ("fine-" + "tuned").
    const joiner = !sameParagraph ? '\n\n' : /\p{L}-$/u.test(before.text) ? '' : ' ';
    text += joiner + line.text;
  });
  return text;
}

function pageLines(items: readonly PdfTextContentItem[], page: number): Line[] {
  const lines: Line[] = [];
  let current: Line | null = null;
  let lastEnd = 0;
  for (const item of items) {
    if (!('str' in item)) continue;
    const x = item.transform[4] ?? 0;
    const y = item.transform[5] ?? 0;
    const { height } = item;
    if (current && Math.abs(current.y - y) > Math.max(current.height, height, 1) / 2 && item.str !== '') {
      lines.push(current);
      current = null;
    }
    if (item.str !== '') {
      if (!current) {
        current = { text: '', x, y, height, page };
      } else if (x - lastEnd > Math.max(height, current.height) * 0.15 && !/\s$/.test(current.text) && !/^\s/.test(item.str)) {
        // Runs placed apart without a space between them are separate words.
        current.text += ' ';
      }
      current.text += item.str;
      current.height = Math.max(current.height, height);
      lastEnd = x + item.width;
    }
    if (item.hasEOL && current) {
      lines.push(current);
      current = null;
    }
  }
  if (current) lines.push(current);
  return lines.map((l) => ({ ...l, text: l.text.trim() })).filter((l) => l.text !== '');
}

/** The most frequent gap between consecutive lines of a page (the smaller one on a tie). */
function usualLineSpacing(lines: readonly Line[]): number {
  const counts = new Map<number, number>();
  lines.forEach((line, i) => {
    const before = lines[i - 1];
    if (!before || before.page !== line.page) return;
    const gap = Math.round((before.y - line.y) * 2) / 2;
    if (gap > 0) counts.set(gap, (counts.get(gap) ?? 0) + 1);
  });
  let best = Infinity;
  let bestCount = 0;
  for (const [gap, count] of counts) {
    if (count > bestCount || (count === bestCount && gap < best)) {
      best = gap;
      bestCount = count;
    }
  }
  // With no two lines on one page, any gap is a paragraph gap.
  return bestCount === 0 ? 0 : best;
}
