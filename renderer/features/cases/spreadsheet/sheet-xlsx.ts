/**
 * The case or participant table as an Excel workbook (ExcelJS): one sheet, the header row in
 * bold and frozen, columns as wide as their text. ExcelJS is large, so it is imported only
 * when a workbook is written, as the matrices do (renderer/features/matrices/xlsx.ts).
 *
 * Cells are strings, which spreadsheets never evaluate, so unlike CSV they need no guard
 * against formulas; only the columns named in `numeric` become numbers, so a spreadsheet can
 * sum and sort them.
 */

const widthFor = (texts: readonly string[], min: number, max: number): number =>
  Math.min(max, Math.max(min, ...texts.map((t) => Math.max(0, ...t.split('\n').map((line) => [...line].length)) + 2)));

/** A cell of a numeric column: a number when the text is one, else the text as it is (an empty cell stays empty). */
export function numericCell(text: string): number | string | null {
  if (text.trim() === '') return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : text;
}

/** Writes `rows` (header first) as a one-sheet workbook; resolves to the bytes of an .xlsx file. */
export async function rowsToXlsx(rows: readonly (readonly string[])[], sheetName: string, numeric: ReadonlySet<number> = new Set()): Promise<Uint8Array> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Cartography';
  workbook.created = new Date();
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2', activeCell: 'A2' }] });
  rows.forEach((row, r) => sheet.addRow(r === 0 ? [...row] : row.map((cell, c) => (numeric.has(c) ? numericCell(cell) : cell))));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.alignment = { vertical: 'bottom', wrapText: true };
  const columns = Math.max(0, ...rows.map((r) => r.length));
  for (let c = 0; c < columns; c++) sheet.getColumn(c + 1).width = widthFor(rows.map((r) => r[c] ?? ''), 8, c === 0 ? 40 : 30);
  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer);
}
