/**
 * A study's codings as a CSV table, one row per coding, for statistics tools and for
 * people who check codings in a spreadsheet:
 *
 *   document,case,start,end,text,code path,coder
 *
 * `start` and `end` are UTF-16 code units into the document's stored (normalised) text, end
 * exclusive, as everywhere in Cartography (docs/ARCHITECTURE.md): `text` is exactly
 * `storedText.slice(start, end)`. A program that counts code points (Python's `str`, R's
 * `substr`) sees the same offsets only while the text has no character beyond U+FFFF.
 * `code path` is the code's name path from the top code down, joined with " > " as in the
 * matrix CSV; `case` is empty for a document without a case, `coder` is the coder's name.
 *
 * Rows follow the documents' order, then start, end, code path and coder. Two codings of one
 * segment (two codes, or two coders) are two rows with the same span.
 *
 * Formula injection: text cells that start with = + - @, a tab or a carriage return are
 * written after an apostrophe, by the same rule as the matrix CSV (`guardFormula`), so a
 * quote such as "-- we never did" stays text in a spreadsheet; take exactly one leading
 * apostrophe away before such a character to get the stored text back. Numbers are never
 * guarded. A coding whose segment, document or code is missing has nothing to point at and
 * is left out (study files and projects are checked before they get here, so it has none).
 */
import Papa from 'papaparse';
import type { StudyRecords } from '../model/types.ts';
import { guardFormula, NAME_PATH_SEPARATOR } from './matrix-export.ts';
import { codePathIn } from '../codebook/operations.ts';

export const CODINGS_CSV_COLUMNS = ['document', 'case', 'start', 'end', 'text', 'code path', 'coder'] as const;

export type CodingsSource = Pick<StudyRecords, 'documents' | 'texts' | 'cases' | 'segments' | 'codes' | 'codings' | 'coders'>;

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The codings table as CSV (RFC 4180, CRLF line ends, quotes where needed), header first. */
export function codingsToCsv(records: CodingsSource): string {
  const documentOrder = new Map(records.documents.map((d, i) => [d.id, i]));
  const documents = new Map(records.documents.map((d) => [d.id, d]));
  const texts = new Map(records.texts.map((t) => [t.id, t.text]));
  const caseNames = new Map(records.cases.map((c) => [c.id, c.name]));
  const segments = new Map(records.segments.map((s) => [s.id, s]));
  const codes = new Map(records.codes.map((c) => [c.id, c]));
  const coderNames = new Map(records.coders.map((c) => [c.id, c.name]));

  const rows: { order: number; start: number; end: number; cells: string[] }[] = [];
  for (const coding of records.codings) {
    const segment = segments.get(coding.segmentId);
    const doc = segment ? documents.get(segment.documentId) : undefined;
    const code = codes.get(coding.codeId);
    if (!segment || !doc || !code) continue;
    const stored = texts.get(doc.id);
    const text = stored === undefined ? segment.text : stored.slice(segment.start, segment.end);
    const caseName = doc.caseId === null ? '' : (caseNames.get(doc.caseId) ?? '');
    rows.push({
      order: documentOrder.get(doc.id)!,
      start: segment.start,
      end: segment.end,
      cells: [doc.title, caseName, String(segment.start), String(segment.end), text, codePathIn(codes, code.id).join(NAME_PATH_SEPARATOR), coderNames.get(coding.coderId) ?? ''],
    });
  }
  rows.sort((a, b) => a.order - b.order || a.start - b.start || a.end - b.end || compareText(a.cells[5]!, b.cells[5]!) || compareText(a.cells[6]!, b.cells[6]!));

  const guarded = rows.map(({ cells: [docTitle = '', caseName = '', start = '', end = '', text = '', path = '', coder = ''] }) => [
    guardFormula(docTitle),
    guardFormula(caseName),
    start,
    end,
    guardFormula(text),
    guardFormula(path),
    guardFormula(coder),
  ]);
  // PapaParse ends a header-only table with a line break; the header alone is the same table without it.
  if (guarded.length === 0) return CODINGS_CSV_COLUMNS.join(',');
  return Papa.unparse({ fields: [...CODINGS_CSV_COLUMNS], data: guarded }, { newline: '\r\n', quotes: false });
}
