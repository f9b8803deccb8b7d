/**
 * Comparison matrices as an Excel workbook (ExcelJS): one sheet per matrix (the row header,
 * then one column per code headed by its name path, cells as numbers), header row in bold,
 * first row and column frozen, and a last "Settings" sheet with each matrix's settings.
 *
 * ExcelJS is large, so it is imported only when a workbook is written: the app's first load
 * never carries it (Vite puts it in a chunk of its own).
 *
 * Labels go into string cells, which spreadsheets never evaluate, so unlike CSV they need no
 * guard against formulas and come back exactly.
 */
import type { Matrix } from '../../../shared/analysis/matrix-types.ts';
import { columnHeader, plainNumber } from '../../../shared/formats/matrix-export.ts';

export interface MatrixSheet {
  name: string;
  matrix: Matrix;
}

export const SETTINGS_SHEET = 'Settings';
const MAX_SHEET_NAME = 31;

/**
 * Sheet names Excel accepts: none of []:*?/\, no apostrophe at either end, at most 31
 * characters, not empty, not "History" (reserved), unique without regard to case (also
 * against the Settings sheet). Clashes get " (2)", " (3)", … within the 31 characters.
 */
export function sheetNames(names: readonly string[], reserved: readonly string[] = [SETTINGS_SHEET]): string[] {
  const taken = new Set(reserved.map((r) => r.toLocaleLowerCase()));
  const truncate = (text: string, length: number) => {
    const chars = [...text];
    return chars.length <= length ? text : chars.slice(0, length).join('');
  };
  return names.map((raw) => {
    let base = raw
      // eslint-disable-next-line no-control-regex
      .replace(/[[\]:*?/\\\u0000-\u001f]/g, ' ')
      .replace(/\s+/g, ' ')
      .replace(/^[\s']+|[\s']+$/g, '');
    if (base === '' || base.toLocaleLowerCase() === 'history') base = base === '' ? 'Matrix' : `${base} matrix`;
    base = truncate(base, MAX_SHEET_NAME).replace(/[\s']+$/, '');
    let name = base;
    for (let i = 2; taken.has(name.toLocaleLowerCase()); i++) {
      const suffix = ` (${i})`;
      name = `${truncate(base, MAX_SHEET_NAME - suffix.length).replace(/[\s']+$/, '')}${suffix}`;
    }
    taken.add(name.toLocaleLowerCase());
    return name;
  });
}

/** A cell's number as the workbook stores it: at most six decimals, like the CSV. */
const cellNumber = (value: number): number | null => {
  const text = plainNumber(value);
  return text === '' ? null : Number(text);
};

const widthFor = (texts: readonly string[], min: number, max: number): number =>
  Math.min(max, Math.max(min, ...texts.map((t) => Math.max(0, ...t.split('\n').map((line) => [...line].length)) + 2)));

/** Writes the workbook; resolves to the bytes of an .xlsx file. */
export async function matricesToXlsx(sheets: readonly MatrixSheet[]): Promise<Uint8Array> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Cartography';
  workbook.created = new Date();
  const names = sheetNames(sheets.map((s) => s.name));

  sheets.forEach(({ matrix }, index) => {
    const sheet = workbook.addWorksheet(names[index], { views: [{ state: 'frozen', xSplit: 1, ySplit: 1, topLeftCell: 'B2', activeCell: 'B2' }] });
    const headers = matrix.columns.map(columnHeader);
    sheet.addRow([matrix.rowHeader, ...headers]);
    matrix.rows.forEach((row, r) => sheet.addRow([row.label, ...matrix.columns.map((_, c) => cellNumber(matrix.cells[r]?.[c] ?? 0))]));
    const header = sheet.getRow(1);
    header.font = { bold: true };
    header.alignment = { vertical: 'bottom', wrapText: true };
    sheet.getColumn(1).width = widthFor([matrix.rowHeader, ...matrix.rows.map((r) => r.label)], 10, 50);
    headers.forEach((text, c) => {
      sheet.getColumn(c + 2).width = widthFor([text], 8, 24);
    });
  });

  const settings = workbook.addWorksheet(SETTINGS_SHEET, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2', activeCell: 'A2' }] });
  settings.addRow(['Sheet', 'Setting']);
  settings.getRow(1).font = { bold: true };
  sheets.forEach(({ matrix }, index) => {
    for (const line of matrix.settings) settings.addRow([names[index], line]);
  });
  settings.getColumn(1).width = widthFor(['Sheet', ...names], 10, 34);
  settings.getColumn(2).width = widthFor(['Setting', ...sheets.flatMap((s) => s.matrix.settings)], 20, 100);

  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer);
}
