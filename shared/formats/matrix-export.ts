/**
 * A comparison matrix out of Cartography: CSV for statistics tools, tab-separated text for
 * pasting into a spreadsheet, and a standalone SVG heatmap for papers and slides (the
 * renderer turns it into PNG). The on-screen table shades its cells with the same
 * `heatColor` and `textColorOn`, so what is exported looks like what was seen.
 *
 * Numbers are written plainly: no thousands separators, "." as the decimal mark, at most six
 * decimals, no unit (the unit is in the settings and, for images, after each number).
 *
 * Formula injection: a spreadsheet runs a cell that starts with = + - @, a tab or a carriage
 * return as a formula, and row and column labels are names researchers typed (or imported).
 * Following OWASP, such a label is written after an apostrophe, which spreadsheets show as
 * text; a label that already starts with apostrophes before such a character gets one more,
 * so a reader can always take exactly one away (the same rule as the codebook CSV,
 * shared/codebook/csv.ts). The price is that such a name does not come back byte for byte from
 * a plain CSV reader: `=x` reads as `'=x`. Numbers are never guarded: they are numbers.
 */
import Papa from 'papaparse';
import type { Matrix, MatrixColumn, MatrixMetric } from '../analysis/matrix-types.ts';
import { METRIC_LABELS } from '../analysis/matrix-types.ts';
import { CODE_KIND_LABELS } from '../model/types.ts';
import { fitText, textWidth } from '../maps/text.ts';

/** Separates the levels of a column's name path in headers. */
export const NAME_PATH_SEPARATOR = ' > ';
export const TOTAL_LABEL = 'Total';

const FORMULA_START = /^'*[=+\-@\t\r]/;

/** A label as a spreadsheet must see it: text, never a formula (see the file comment). */
export function guardFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/** A number as plain text: "." decimal mark, no separators, no exponent, at most six decimals; "" for NaN and infinities. */
export function plainNumber(value: number): string {
  if (!Number.isFinite(value)) return '';
  const rounded = Number(value.toFixed(6));
  if (rounded === 0) return '0';
  if (Math.abs(rounded) < 1e21) return String(rounded);
  return BigInt(Math.round(rounded)).toString();
}

/** The header of a column in CSV, TSV and XLSX: the code's name path joined with " > ". */
export function columnHeader(column: MatrixColumn): string {
  return (column.namePath.length > 0 ? column.namePath : [column.label]).join(NAME_PATH_SEPARATOR);
}

export interface MatrixTableOptions {
  /** Adds a "Total" column (row totals) and a "Total" row (column totals and the grand total). */
  totals?: boolean;
}

/** The matrix as a grid of text cells (labels unguarded), header first. */
function grid(matrix: Matrix, options: MatrixTableOptions): { header: string[]; rows: string[][] } {
  const totals = options.totals === true;
  const header = [matrix.rowHeader, ...matrix.columns.map(columnHeader), ...(totals ? [TOTAL_LABEL] : [])];
  const rows = matrix.rows.map((row, r) => {
    const cells = matrix.columns.map((_, c) => plainNumber(matrix.cells[r]?.[c] ?? 0));
    return [row.label, ...cells, ...(totals ? [plainNumber(matrix.rowTotals[r] ?? 0)] : [])];
  });
  if (totals) rows.push([TOTAL_LABEL, ...matrix.columns.map((_, c) => plainNumber(matrix.columnTotals[c] ?? 0)), plainNumber(matrix.grandTotal)]);
  return { header, rows };
}

/**
 * CSV (RFC 4180, CRLF, quotes where needed): the row header, then one column per code headed
 * by its name path; cells are the matrix's metric as plain numbers.
 */
export function matrixToCsv(matrix: Matrix, options: MatrixTableOptions = {}): string {
  const { header, rows } = grid(matrix, options);
  const labelsGuarded = rows.map(([label = '', ...cells]) => [guardFormula(label), ...cells]);
  return Papa.unparse({ fields: header.map(guardFormula), data: labelsGuarded }, { newline: '\r\n', quotes: false });
}

/**
 * Tab-separated text for the clipboard, as spreadsheets paste it: one line per row (LF),
 * tabs and line breaks inside labels turned into spaces, labels guarded against formulas, and
 * a label that starts with a double quote written quoted (spreadsheets would otherwise read
 * the quote as the start of a quoted cell).
 */
export function matrixToTsv(matrix: Matrix, options: MatrixTableOptions = {}): string {
  const { header, rows } = grid(matrix, options);
  const label = (text: string): string => {
    const flat = guardFormula(text.replace(/[\t\r\n]+/g, ' '));
    return flat.startsWith('"') ? `"${flat.replace(/"/g, '""')}"` : flat;
  };
  return [header.map(label), ...rows.map(([first = '', ...cells]) => [label(first), ...cells])].map((line) => line.join('\t')).join('\n');
}

// ---------------------------------------------------------------------------------------------
// Shading

/** The darkest shade (the largest value): a deep blue in the app's accent family. */
export const HEAT_HIGH = '#0f3d6e';
export const HEAT_LOW = '#ffffff';

const parseHex = (hex: string): [number, number, number] | null => {
  const m = /^#([0-9a-f]{6})$/i.exec(hex.trim());
  if (!m?.[1]) return null;
  const n = Number.parseInt(m[1], 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
};
const toHex = (rgb: readonly number[]): string => `#${rgb.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;

/**
 * The shade of a cell: white for 0 (or when nothing is above 0) to HEAT_HIGH for `max`,
 * linear in value/max (clamped). Always `#rrggbb`; darker for larger values.
 */
export function heatColor(value: number, max: number): string {
  const t = max > 0 && Number.isFinite(value) && Number.isFinite(max) ? Math.min(1, Math.max(0, value / max)) : 0;
  const low = parseHex(HEAT_LOW) ?? [255, 255, 255];
  const high = parseHex(HEAT_HIGH) ?? [0, 0, 0];
  return toHex(low.map((l, i) => l + ((high[i] ?? 0) - l) * t));
}

/** WCAG 2 relative luminance of a `#rrggbb` colour (0 black … 1 white). */
export function relativeLuminance(hex: string): number {
  const rgb = parseHex(hex);
  if (!rgb) throw new Error(`Not a #rrggbb colour: ${hex}`);
  const [r = 0, g = 0, b = 0] = rgb.map((v) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2 contrast ratio of two `#rrggbb` colours (1 … 21). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * Black or white, whichever contrasts more with the background. Pure black and pure white
 * keep every background at 4.58:1 or better (the worst case is a background of luminance
 * ≈ 0.18), so numbers in cells meet WCAG AA for normal text on every shade.
 */
export function textColorOn(background: string): '#000000' | '#ffffff' {
  return contrastRatio(background, '#000000') >= contrastRatio(background, '#ffffff') ? '#000000' : '#ffffff';
}

const METRIC_NAMES: Record<MatrixMetric | 'count' | 'jaccard', string> = {
  ...METRIC_LABELS,
  count: 'Co-occurring segments',
  jaccard: 'Jaccard similarity',
};

/** The name of what a matrix's cells count ("Coded segments", "Jaccard similarity", …). */
export function metricName(matrix: Pick<Matrix, 'metric'>): string {
  return METRIC_NAMES[matrix.metric];
}

/** A value as people read it in a cell: integers as they are, Jaccard with two decimals, other fractions with one, then the unit. */
export function formatMatrixValue(value: number, matrix: Pick<Matrix, 'metric' | 'unit'>): string {
  if (!Number.isFinite(value)) return '';
  const text = matrix.metric === 'jaccard' ? value.toFixed(2) : Number.isInteger(value) ? String(value) : value.toFixed(1);
  return `${text}${matrix.unit}`;
}

// ---------------------------------------------------------------------------------------------
// SVG

export interface MatrixSvgOptions {
  /** The first line of the image. */
  title: string;
  /** Draws the min → max colour scale under the grid (default true). */
  legend?: boolean;
  /** Height of a cell and smallest width, in px (default 28). Cells widen to fit their numbers. */
  cellSize?: number;
  /** A cell's fill (`#rrggbb`); heatColor by default. Anything else falls back to heatColor. */
  colorFor?: (value: number, max: number) => string;
  /** Names the stages of code columns for the grouped header band; kind and stage columns name their own stage. */
  stageName?: (stageId: string) => string | undefined;
}

/** Characters XML 1.0 does not allow (C0 controls except tab and line breaks, lone surrogates, U+FFFE/U+FFFF). */
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text or attribute content, escaped for XML; line breaks and tabs become spaces (SVG text is one line). */
export function xmlText(text: string): string {
  return text
    .replace(XML_INVALID, '\ufffd')
    .replace(/[\t\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const n = (value: number): string => String(Math.round(value * 100) / 100);

interface Band {
  label: string;
  start: number;
  count: number;
}

/** Consecutive columns with the same key, as header bands; none when no column has a key. */
function bands(columns: readonly MatrixColumn[], keyOf: (c: MatrixColumn) => string | null, labelOf: (c: MatrixColumn) => string): Band[] {
  if (!columns.some((c) => keyOf(c) !== null)) return [];
  const out: (Band & { key: string | null })[] = [];
  columns.forEach((column, index) => {
    const key = keyOf(column);
    const last = out[out.length - 1];
    if (last && last.key === key) last.count += 1;
    else out.push({ key, label: key === null ? '' : labelOf(column), start: index, count: 1 });
  });
  return out;
}

const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
const INK = '#1f2328';
const MUTED = '#545b64';
const GRID_LINE = '#c9ced6';
const BAND_FILL = '#eef1f5';
const COLOR_HEX = /^#[0-9a-f]{6}$/i;

/**
 * The matrix as a standalone SVG 1.1 heatmap: the title, grouped header bands (stage, then
 * kind) when the columns carry them, column labels turned upright above the grid, row labels
 * on the left, every cell shaded by value/max with its number (and unit) in black or white,
 * the colour scale, and the settings in small lines at the bottom.
 */
export function matrixToSvg(matrix: Matrix, options: MatrixSvgOptions): string {
  const cellHeight = Math.max(16, options.cellSize ?? 28);
  const cellFont = 11;
  const labelFont = 12;
  const smallFont = 10;
  const margin = 16;
  const max = matrix.max;
  const fill = (value: number): string => {
    const custom = options.colorFor?.(value, max);
    return custom !== undefined && COLOR_HEX.test(custom) ? custom.toLowerCase() : heatColor(value, max);
  };
  const values = matrix.rows.map((_, r) => matrix.columns.map((_, c) => matrix.cells[r]?.[c] ?? 0));
  const widestValue = Math.max(0, ...values.flat().map((v) => textWidth(formatMatrixValue(v, matrix), cellFont)));
  const valueWidth = Math.max(cellHeight, Math.ceil(widestValue + 8));

  // Stage bands: code columns by their stage (named by options.stageName, or by the name a
  // kind column of the same stage carries); kind bands: code columns by their kind.
  const stageNames = new Map<string, string>();
  for (const c of matrix.columns) if (c.level === 'kind' && c.stageId !== null && c.namePath[0] !== undefined) stageNames.set(c.stageId, c.namePath[0]);
  const stageBands = bands(
    matrix.columns,
    (c) => (c.level === 'stage' ? null : c.stageId),
    (c) => (c.stageId === null ? '' : (options.stageName?.(c.stageId) ?? stageNames.get(c.stageId) ?? '')),
  );
  const kindBands = bands(
    matrix.columns,
    (c) => (c.level === 'code' && c.kind !== null ? `${c.stageId ?? ''}\u0000${c.kind}` : null),
    (c) => (c.kind === null ? '' : CODE_KIND_LABELS[c.kind]),
  );
  const bandRows = [stageBands, kindBands].filter((row) => row.some((b) => b.label !== ''));
  const bandHeight = 20;
  // Cells widen (up to twice their height) so that band names fit; longer ones are shortened.
  const bandNeed = Math.max(0, ...bandRows.flat().map((b) => (textWidth(b.label, smallFont) + 8) / b.count));
  const cellWidth = Math.max(valueWidth, Math.min(Math.ceil(bandNeed), 2 * cellHeight));

  const rowHeaderWidth = Math.max(
    textWidth(matrix.rowHeader, labelFont),
    ...matrix.rows.map((r) => textWidth(r.label.replace(/[\t\r\n]+/g, ' '), labelFont)),
    40,
  );
  const columnLabelHeight = Math.max(40, ...matrix.columns.map((c) => textWidth(c.label.replace(/[\t\r\n]+/g, ' '), labelFont))) + 14;
  const gridLeft = margin + Math.ceil(rowHeaderWidth) + 10;
  const gridWidth = matrix.columns.length * cellWidth;
  const titleHeight = 28;
  const bandsTop = margin + titleHeight;
  const labelsTop = bandsTop + bandRows.length * bandHeight;
  const stripTop = labelsTop + columnLabelHeight;
  const stripHeight = 4;
  const gridTop = stripTop + stripHeight;
  const gridHeight = matrix.rows.length * cellHeight;
  const legend = options.legend !== false;
  const legendTop = gridTop + gridHeight + 20;
  const legendWidth = 200;
  const legendHeight = legend ? 12 + 4 + smallFont + 8 : 0;
  const settingsTop = legendTop + legendHeight + (legend ? 8 : 0);
  const settingsLine = 14;
  const settingsLines = matrix.settings;
  const textRight = (lines: readonly string[], font: number) => Math.max(0, ...lines.map((l) => textWidth(l, font)));

  const width = Math.ceil(
    Math.max(gridLeft + gridWidth, margin + textWidth(options.title, 16), margin + (legend ? legendWidth + 10 + textWidth(metricName(matrix), smallFont) : 0), margin + textRight(settingsLines, smallFont)) + margin,
  );
  const height = Math.ceil(settingsTop + settingsLines.length * settingsLine + margin);

  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${xmlText(FONT)}">`,
  );
  out.push(`<title>${xmlText(options.title)}</title>`);
  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="${margin}" y="${margin + 16}" font-size="16" font-weight="bold" fill="${INK}">${xmlText(options.title)}</text>`);

  // Header bands.
  bandRows.forEach((row, level) => {
    const y = bandsTop + level * bandHeight;
    out.push('<g class="band">');
    for (const band of row) {
      if (band.label === '') continue;
      const x = gridLeft + band.start * cellWidth;
      const w = band.count * cellWidth;
      out.push(`<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${bandHeight - 2}" fill="${BAND_FILL}" stroke="#ffffff"/>`);
      const shown = fitText(band.label, w - 6, smallFont);
      if (shown !== '') {
        out.push(
          `<text x="${n(x + w / 2)}" y="${n(y + bandHeight / 2 + 2)}" font-size="${smallFont}" text-anchor="middle" fill="${INK}"><title>${xmlText(band.label)}</title>${xmlText(shown)}</text>`,
        );
      }
    }
    out.push('</g>');
  });

  // Row header, column labels (upright, reading upwards) and the codes' colour strip.
  out.push(
    `<text x="${n(gridLeft - 8)}" y="${n(stripTop - 6)}" font-size="${labelFont}" font-weight="bold" text-anchor="end" fill="${INK}">${xmlText(matrix.rowHeader)}</text>`,
  );
  out.push('<g class="column-labels">');
  matrix.columns.forEach((column, c) => {
    const x = gridLeft + c * cellWidth + cellWidth / 2 + labelFont * 0.35;
    const y = stripTop - 4;
    const path = columnHeader(column);
    const tip = path !== column.label ? `<title>${xmlText(path)}</title>` : '';
    out.push(`<text x="${n(x)}" y="${n(y)}" font-size="${labelFont}" fill="${INK}" transform="rotate(-90 ${n(x)} ${n(y)})">${tip}${xmlText(column.label)}</text>`);
    if (column.color !== null && COLOR_HEX.test(column.color)) {
      out.push(`<rect x="${n(gridLeft + c * cellWidth)}" y="${n(stripTop)}" width="${n(cellWidth)}" height="${stripHeight}" fill="${column.color.toLowerCase()}"/>`);
    }
  });
  out.push('</g>');

  // Rows: label and cells.
  out.push('<g class="rows">');
  matrix.rows.forEach((row, r) => {
    const y = gridTop + r * cellHeight;
    out.push(
      `<text x="${n(gridLeft - 8)}" y="${n(y + cellHeight / 2 + labelFont * 0.35)}" font-size="${labelFont}" text-anchor="end" fill="${INK}">${xmlText(row.label)}</text>`,
    );
    values[r]?.forEach((value, c) => {
      const x = gridLeft + c * cellWidth;
      const shade = fill(value);
      out.push(`<rect x="${n(x)}" y="${n(y)}" width="${n(cellWidth)}" height="${n(cellHeight)}" fill="${shade}" stroke="${GRID_LINE}" stroke-width="0.5"/>`);
      out.push(
        `<text x="${n(x + cellWidth / 2)}" y="${n(y + cellHeight / 2 + cellFont * 0.35)}" font-size="${cellFont}" text-anchor="middle" fill="${textColorOn(shade)}">${xmlText(formatMatrixValue(value, matrix))}</text>`,
      );
    });
  });
  out.push('</g>');

  if (legend) {
    const stops = Array.from({ length: 11 }, (_, i) => i / 10);
    out.push('<g class="legend">');
    out.push(`<defs><linearGradient id="cartography-matrix-scale" x1="0" y1="0" x2="1" y2="0">`);
    for (const t of stops) out.push(`<stop offset="${t}" stop-color="${fill(t * max)}"/>`);
    out.push('</linearGradient></defs>');
    out.push(`<rect x="${margin}" y="${n(legendTop)}" width="${legendWidth}" height="12" fill="url(#cartography-matrix-scale)" stroke="${GRID_LINE}" stroke-width="0.5"/>`);
    const labelY = legendTop + 12 + 4 + smallFont;
    out.push(`<text x="${margin}" y="${n(labelY)}" font-size="${smallFont}" fill="${MUTED}">${xmlText(formatMatrixValue(0, matrix))}</text>`);
    out.push(
      `<text x="${margin + legendWidth}" y="${n(labelY)}" font-size="${smallFont}" text-anchor="end" fill="${MUTED}">${xmlText(formatMatrixValue(max, matrix))}</text>`,
    );
    out.push(`<text x="${margin + legendWidth + 10}" y="${n(legendTop + 10)}" font-size="${smallFont}" fill="${MUTED}">${xmlText(metricName(matrix))}</text>`);
    out.push('</g>');
  }

  out.push('<g class="settings">');
  settingsLines.forEach((line, i) => {
    out.push(`<text x="${margin}" y="${n(settingsTop + (i + 1) * settingsLine - 3)}" font-size="${smallFont}" fill="${MUTED}">${xmlText(line)}</text>`);
  });
  out.push('</g>');
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
