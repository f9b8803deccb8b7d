/**
 * CSV text to numbered records with PapaParse. Row numbers are the ones a spreadsheet
 * shows (header = row 1; a quoted cell spanning lines stays one row). A row whose quotes
 * do not balance is reported and skipped, and reading goes on from the next line, so one
 * stray quote does not swallow the rest of the file.
 */
import Papa from 'papaparse';
import type { ImportProblem } from './types.ts';

export interface CsvRecord {
  /** Spreadsheet row: header = 1. */
  row: number;
  cells: string[];
}

export interface CsvRecords {
  /** Display names of the columns: the header cell, or "Column N" when it is empty; repeats get " (2)". */
  columns: string[];
  /** Data rows (header excluded), blank rows left out. */
  records: CsvRecord[];
  delimiter: string;
  problems: ImportProblem[];
}

export function readCsvRecords(text: string, fileName: string): CsvRecords {
  const problems: ImportProblem[] = [];
  const all: CsvRecord[] = [];
  let delimiter = '';
  let rest = text;
  let nextRow = 1;
  while (rest !== '') {
    const parsed = Papa.parse<string[]>(rest, { delimiter, newline: '\n', skipEmptyLines: false });
    delimiter = parsed.meta.delimiter;
    const broken = parsed.errors.filter((e) => e.type === 'Quotes' && e.row !== undefined).sort((a, b) => a.row! - b.row! || (a.index ?? 0) - (b.index ?? 0))[0];
    const good = broken ? parsed.data.slice(0, broken.row) : parsed.data;
    good.forEach((cells, i) => all.push({ row: nextRow + i, cells }));
    if (!broken) break;
    const row = nextRow + broken.row!;
    const lineEnd = rest.indexOf('\n', broken.index ?? 0);
    problems.push({
      file: fileName,
      row,
      message: `“${fileName}”, row ${row}: the quotes in this row do not balance (a cell opens a double quote that is not closed properly), so the row was skipped.`,
      hint: `A cell that starts with " must end with ", and a double quote inside a cell is written twice (""). Correct row ${row} in a spreadsheet program or text editor and import the file again.`,
    });
    nextRow = row + 1;
    rest = lineEnd === -1 ? '' : rest.slice(lineEnd + 1);
  }
  const header = all[0]?.row === 1 ? all.shift()!.cells : [];
  return {
    columns: columnNames(header),
    records: all.filter((r) => r.cells.some((c) => c.trim() !== '')),
    delimiter: delimiter || ',',
    problems,
  };
}

function columnNames(header: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return header.map((cell, i) => {
    const name = cell.trim() === '' ? `Column ${i + 1}` : cell.trim();
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count === 1 ? name : `${name} (${count})`;
  });
}
