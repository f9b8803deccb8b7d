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
    // Streamed: PapaParse hands over one row at a time (no array of every row is built),
    // and stops at the first row whose quotes do not balance.
    let rowInChunk = 0;
    let broken: { row: number; index: number } | null = null;
    const chunk = rest;
    Papa.parse<string[]>(chunk, {
      delimiter,
      newline: '\n',
      skipEmptyLines: false,
      step: (result, parser) => {
        delimiter ||= result.meta.delimiter;
        const quoteError = result.errors.find((e) => e.type === 'Quotes');
        if (quoteError) {
          broken = { row: rowInChunk, index: quoteError.index ?? lineStartOf(chunk, rowInChunk) };
          parser.abort();
          return;
        }
        all.push({ row: nextRow + rowInChunk, cells: result.data });
        rowInChunk += 1;
      },
    });
    if (!broken) break;
    const { row: brokenRow, index } = broken as { row: number; index: number };
    const row = nextRow + brokenRow;
    const lineEnd = chunk.indexOf('\n', index);
    problems.push({
      file: fileName,
      row,
      message: `“${fileName}”, row ${row}: the quotes in this row do not balance (a cell opens a double quote that is not closed properly), so the row was skipped.`,
      hint: `A cell that starts with " must end with ", and a double quote inside a cell is written twice (""). Correct row ${row} in a spreadsheet program or text editor and import the file again.`,
    });
    nextRow = row + 1;
    rest = lineEnd === -1 ? '' : chunk.slice(lineEnd + 1);
  }
  const header = all[0]?.row === 1 ? all.shift()!.cells : [];
  return {
    columns: columnNames(header),
    records: all.filter((r) => r.cells.some((c) => c.trim() !== '')),
    delimiter: delimiter || ',',
    problems,
  };
}

/** Where the n-th line of a chunk starts (a fallback when PapaParse gives no index). */
function lineStartOf(chunk: string, n: number): number {
  let at = 0;
  for (let i = 0; i < n && at !== -1; i += 1) at = chunk.indexOf('\n', at) + 1;
  return Math.max(0, at);
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
