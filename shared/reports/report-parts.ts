/**
 * What every report writer lays out the same way: a code's facts (mode, status, frequencies)
 * and its non-blank examples, the study summary as label/value facts, the interview dates in
 * words, the map images the renderer hands over, and the case × code matrix cut into tables
 * narrow enough for a page.
 * Keeping them here means HTML, Markdown, DOCX and PDF never disagree on a word.
 */
import type { Matrix } from '../analysis/matrix-types.ts';
import type { CodeStatus, CollaborationMode } from '../model/types.ts';
import type { CodebookReport, ReportCode } from './report-model.ts';

const MODE_LABELS: Record<CollaborationMode, string> = { cathedral: 'Cathedral', bazaar: 'Bazaar', neutral: 'Neutral' };
const STATUS_LABELS: Record<CodeStatus, string> = { draft: 'Draft', active: 'Active', retired: 'Retired' };

/**
 * A map drawn for the report (the lifecycle map of the chosen stages). `png` is always there,
 * for formats that embed raster images; `width` and `height` are the picture's size in CSS px
 * (the PNG may hold more pixels, for print), which writers scale down to the page width.
 * `svg`, when given, is the same picture as a standalone SVG document made by shared/maps.
 */
export interface ReportImage {
  title: string;
  caption?: string;
  png: Uint8Array;
  width: number;
  height: number;
  svg?: string;
}

export interface ReportWriterOptions {
  images?: readonly ReportImage[];
}

/** The interview dates in words ("2024-03-01 to 2024-05-10", one date, or "dates not recorded"). */
function interviewDatesText(report: CodebookReport): string {
  const d = report.summary.interviewDates;
  if (!d) return 'dates not recorded';
  return d.first === d.last ? d.first : `${d.first} to ${d.last}`;
}

/** The study summary as label → value pairs, in the order every format shows them. */
export function summaryFacts(report: CodebookReport): [string, string][] {
  const s = report.summary;
  return [
    ['Cases', String(s.cases)],
    ['Participants', String(s.participants)],
    ['Documents', String(s.documents)],
    ['Coders', String(s.coders)],
    ['Codings', String(s.codings)],
    ['Interviews', interviewDatesText(report)],
  ];
}

/** A code's mode, status and frequencies as label → value pairs (the frequency table). */
export function codeFacts(code: ReportCode): [string, string][] {
  const f = code.frequencies;
  return [
    ['Mode', MODE_LABELS[code.mode]],
    ['Status', STATUS_LABELS[code.status]],
    ['Segments', String(f.segments)],
    ['Cases', String(f.cases)],
    ['Participants', String(f.participants)],
  ];
}

/** The same facts on one line, for formats that show them as text ("Mode: Bazaar · Status: Active · …"). */
export const codeFactsText = (code: ReportCode): string => codeFacts(code).map(([label, value]) => `${label}: ${value}`).join(' · ');

/** The code's typical and atypical examples that are not blank, each list with its label; lists left empty are left out. */
export function exampleLists(code: ReportCode): [label: string, items: string[]][] {
  const lists: [string, string[]][] = [
    ['Typical examples', code.typicalExamples.filter((t) => t.trim() !== '')],
    ['Atypical examples', code.atypicalExamples.filter((t) => t.trim() !== '')],
  ];
  return lists.filter(([, items]) => items.length > 0);
}

/** "Figure 2. Title: caption" (no caption: just the title). */
export function figureCaption(image: ReportImage, index: number): string {
  const caption = image.caption?.trim() ?? '';
  return `Figure ${index + 1}. ${image.title.trim()}${caption === '' ? '' : `: ${caption}`}`;
}

export interface MatrixPart {
  /** "Codes 1–6 of 27", or '' when the matrix fits in one table. */
  label: string;
  header: string[];
  /** One row per case, then the totals row; every cell as text. */
  rows: string[][];
}

/**
 * The matrix as tables of at most `perTable` code columns, each repeating the row header
 * column; the last also carries the row totals. A page cannot hold 27 code columns legibly,
 * and a table cut this way still reads row by row.
 */
export function matrixParts(matrix: Matrix, perTable: number): MatrixPart[] {
  const size = Math.max(1, Math.floor(perTable));
  const count = matrix.columns.length;
  const parts: MatrixPart[] = [];
  for (let from = 0; from < Math.max(count, 1); from += size) {
    const to = Math.min(count, from + size);
    const last = to >= count;
    const columns = matrix.columns.slice(from, to);
    const header = [matrix.rowHeader, ...columns.map((c) => c.namePath.join(' › ')), ...(last ? ['Total'] : [])];
    const rows = matrix.rows.map((row, r) => [row.label, ...matrix.cells[r]!.slice(from, to).map((v) => `${v}${matrix.unit}`), ...(last ? [String(matrix.rowTotals[r]!)] : [])]);
    rows.push(['Total', ...matrix.columnTotals.slice(from, to).map(String), ...(last ? [String(matrix.grandTotal)] : [])]);
    parts.push({ label: count > size ? `Codes ${from + 1}–${to} of ${count}` : '', header, rows });
  }
  return parts;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 (with padding), for data: URLs; shared/ has no btoa. */
export function base64(bytes: Uint8Array): string {
  const out: string[] = [];
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out.push(BASE64[n >> 18]! + BASE64[(n >> 12) & 63]! + BASE64[(n >> 6) & 63]! + BASE64[n & 63]!);
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out.push(`${BASE64[n >> 18]!}${BASE64[(n >> 12) & 63]!}==`);
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out.push(`${BASE64[n >> 18]!}${BASE64[(n >> 12) & 63]!}${BASE64[(n >> 6) & 63]!}=`);
  }
  return out.join('');
}

/** The eight bytes every PNG file starts with. */
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Whether the bytes start like a PNG file: writers refuse anything else rather than embed it. */
const isPng = (bytes: Uint8Array): boolean => PNG_SIGNATURE.every((b, i) => bytes[i] === b);

/** Checks the images before anything is written, so a bad one stops the export with a message. */
export function checkImages(images: readonly ReportImage[]): void {
  images.forEach((image, i) => {
    const name = `Map image ${i + 1} (“${image.title}”)`;
    if (!isPng(image.png)) throw new Error(`${name} is not a PNG image; draw the map again and export once more.`);
    if (!(image.width > 0 && image.height > 0 && Number.isFinite(image.width) && Number.isFinite(image.height))) throw new Error(`${name} has no size (width ${image.width}, height ${image.height}).`);
  });
}
