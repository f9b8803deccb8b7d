/**
 * Transcripts and coded excerpts from CSV: one row is one turn (speaker, time, words,
 * codes). Rows are grouped into documents by a document column, or make one document
 * when there is none. The researcher confirms which column means what: previewCsv
 * guesses, parseCsvTranscripts takes the confirmed mapping.
 */
import { parseTimestamp } from '../text/turns.ts';
import { readCsvRecords, type CsvRecord } from './csv-records.ts';
import { assembleText, speakersOf, titleFromFileName, type Utterance } from './transcript.ts';
import type { ImportProblem, ImportResult, ParsedCoding, ParsedTranscript } from './types.ts';
import { refused } from './types.ts';

export const CSV_FIELDS = ['text', 'speaker', 'time', 'document', 'case', 'participant', 'codes'] as const;
export type CsvField = (typeof CSV_FIELDS)[number];
/** For each field, the column (display name from previewCsv) that holds it, or null. Only text is required. */
export type CsvMapping = Record<CsvField, string | null>;

export interface CsvPreview {
  columns: string[];
  /** The first 20 data rows. */
  rows: string[][];
  /** Data rows in the file (header and blank rows not counted). */
  rowCount: number;
  guessedMapping: CsvMapping;
  delimiter: string;
  problems: ImportProblem[];
}

const PREVIEW_ROWS = 20;

// Header names (lower case, letters and digits only) that usually mean each field.
const SYNONYMS: Record<CsvField, readonly string[]> = {
  text: ['text', 'words', 'transcript', 'transcription', 'utterance', 'content', 'excerpt', 'quote', 'quotation', 'segment', 'freetext', 'answer', 'response', 'comment', 'comments', 'body', 'speech', 'dialogue'],
  speaker: ['speaker', 'speakername', 'who', 'voice', 'name'],
  time: ['timestamp', 'time', 'start', 'starttime', 'timecode', 'begin'],
  document: ['document', 'documentname', 'doc', 'file', 'filename', 'interview', 'interviewid', 'transcriptid', 'source', 'session'],
  case: ['case', 'caseid', 'casename', 'project', 'site', 'community'],
  participant: ['participant', 'participantid', 'pseudonym', 'respondent', 'interviewee', 'informant'],
  codes: ['codes', 'code', 'tags', 'tag', 'themes', 'theme', 'categories', 'category', 'labels', 'label', 'keywords', 'nodes'],
};

export function emptyCsvMapping(): CsvMapping {
  return byField(null);
}

function byField<T>(value: T): Record<CsvField, T> {
  return { text: value, speaker: value, time: value, document: value, case: value, participant: value, codes: value };
}

export function previewCsv(text: string, fileName = 'CSV file'): CsvPreview {
  const { columns, records, delimiter, problems } = readCsvRecords(text, fileName);
  const rows = records.slice(0, PREVIEW_ROWS).map((r) => r.cells);
  return { columns, rows, rowCount: records.length, guessedMapping: guessCsvMapping(columns, rows), delimiter, problems };
}

/**
 * Each field gets the column whose name fits it best (whole name over one word of it);
 * with no name that fits, the text is the column with the longest cells.
 */
export function guessCsvMapping(columns: readonly string[], rows: readonly (readonly string[])[] = []): CsvMapping {
  const mapping = emptyCsvMapping();
  const candidates: { field: CsvField; column: number; score: number }[] = [];
  columns.forEach((name, column) => {
    const whole = name.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
    const words = name.replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    CSV_FIELDS.forEach((field) => {
      const synonyms = SYNONYMS[field];
      const score = synonyms.includes(whole) ? 3 : words[0] !== undefined && synonyms.includes(words[0]) ? 2 : words.some((w) => synonyms.includes(w)) ? 1 : 0;
      if (score > 0) candidates.push({ field, column, score });
    });
  });
  candidates.sort((a, b) => b.score - a.score || CSV_FIELDS.indexOf(a.field) - CSV_FIELDS.indexOf(b.field) || a.column - b.column);
  const used = new Set<number>();
  for (const c of candidates) {
    if (mapping[c.field] !== null || used.has(c.column)) continue;
    mapping[c.field] = columns[c.column]!;
    used.add(c.column);
  }
  if (mapping.text === null && rows.length > 0) {
    const lengths = columns.map((_, i) => (used.has(i) ? -1 : rows.reduce((sum, r) => sum + (r[i]?.length ?? 0), 0)));
    const longest = lengths.indexOf(Math.max(...lengths));
    if (longest !== -1 && lengths[longest]! > 0) mapping.text = columns[longest]!;
  }
  return mapping;
}

export interface CsvSource {
  fileName: string;
  /** From decodeText. */
  encoding?: string;
  notes?: readonly string[];
}

interface Row {
  record: CsvRecord;
  utterance: Utterance;
  codes: string[];
}

export function parseCsvTranscripts(text: string, mapping: CsvMapping, source: CsvSource): ImportResult {
  const { fileName } = source;
  const { columns, records, problems } = readCsvRecords(text, fileName);
  if (columns.length === 0) {
    return { file: fileName, documents: [], problems: [...problems, { file: fileName, row: 1, message: `“${fileName}” has no header row that can be read.`, hint: 'The first row of the file must name the columns (for example speaker, text, codes). Add or correct it and import the file again.' }] };
  }
  if (mapping.text === null) {
    return refused(fileName, `“${fileName}”: no column is chosen as the text column, so there is nothing to import.`, `Choose the column that holds the words spoken (the file has: ${columns.join(', ')}).`);
  }
  const index = byField<number | null>(null);
  for (const field of CSV_FIELDS) {
    const name = mapping[field];
    const at = name === null ? -1 : columns.indexOf(name);
    if (name !== null && at === -1) {
      return refused(fileName, `“${fileName}” has no column “${name}”, which was chosen as the ${field} column.`, `Choose one of the file's columns: ${columns.join(', ')}.`);
    }
    index[field] = at === -1 ? null : at;
  }
  const textColumn = index.text!;
  const widest = Math.max(...CSV_FIELDS.map((f) => index[f] ?? -1));

  const groups = new Map<string, Row[]>();
  // Documents that took rows with an empty document cell (filled down from the row above).
  const filledDown = new Set<string>();
  let currentDocument = titleFromFileName(fileName);
  for (const record of records) {
    const cell = (field: CsvField) => {
      const i = index[field];
      return i === null ? '' : (record.cells[i] ?? '').trim();
    };
    if (record.cells.length <= widest) {
      const missing = CSV_FIELDS.filter((f) => index[f] !== null && index[f]! >= record.cells.length).map((f) => `“${mapping[f]}”`);
      problems.push({
        file: fileName,
        row: record.row,
        message: `“${fileName}”, row ${record.row}: the row has ${record.cells.length} ${record.cells.length === 1 ? 'cell' : 'cells'} and no cell for the column ${missing.join(', ')}, so it was skipped.`,
        hint: `Check row ${record.row} in a spreadsheet program: a missing separator, or a line break in a cell that is not in quotes, splits or shortens a row.`,
      });
      continue;
    }
    const words = cell('text');
    if (words === '') {
      problems.push({
        file: fileName,
        row: record.row,
        message: `“${fileName}”, row ${record.row}: the text cell (column “${columns[textColumn]}”) is empty, so the row was skipped.`,
        hint: `Fill in the words of row ${record.row} or delete the row, then import the file again if it matters.`,
      });
      continue;
    }
    if (index.document !== null) {
      if (cell('document') !== '') currentDocument = cell('document');
      else filledDown.add(currentDocument);
    }
    const rawTime = cell('time');
    const time = rawTime === '' ? null : readTime(rawTime);
    if (rawTime !== '' && time === null) {
      problems.push({
        file: fileName,
        row: record.row,
        message: `“${fileName}”, row ${record.row}: the time “${rawTime}” cannot be read, so the row was imported without a time.`,
        hint: 'Times are read as 1:02, 01:02:03, [00:01:02] or a number of seconds. Correct the cell and import the file again if the time matters.',
      });
    }
    const speaker = cell('speaker').replace(/:$/, '').trim();
    const row: Row = { record, utterance: { speaker: speaker === '' ? null : speaker, time, words }, codes: splitCodes(cell('codes')) };
    const group = groups.get(currentDocument);
    if (group) group.push(row);
    else groups.set(currentDocument, [row]);
  }

  const documents = [...groups].map(([title, rows]) => csvDocument(title, rows, index, source, filledDown.has(title)));
  if (documents.length === 0) {
    problems.push({ file: fileName, message: `“${fileName}” has no rows with text to import.`, hint: 'Check that the text column is the right one and that the file has rows below its header.' });
  }
  return { file: fileName, documents, problems };
}

function csvDocument(title: string, rows: readonly Row[], index: Record<CsvField, number | null>, source: CsvSource, filledDown: boolean): ParsedTranscript {
  const { text, turns, words } = assembleText(rows.map((r) => r.utterance));
  const codings: ParsedCoding[] = [];
  rows.forEach((r, turn) => {
    if (r.codes.length > 0) codings.push({ turn, start: words[turn]!.start, end: words[turn]!.end, codeNames: r.codes, row: r.record.row });
  });
  const notes = [...(source.notes ?? [])];
  const values = (field: CsvField) => {
    const i = index[field];
    return i === null ? [] : [...new Set(rows.map((r) => (r.record.cells[i] ?? '').trim()).filter((v) => v !== ''))];
  };
  const cases = values('case');
  if (cases.length > 1) {
    notes.push(`The rows of this document name ${cases.length} cases (${cases.join(', ')}), so no case was chosen; assign one by hand, or choose a document column that separates them.`);
  }
  if (filledDown) notes.push('Rows with an empty document cell were put in the document of the row above them.');
  if (/&(?:#\d+|#x[0-9a-f]+|[a-z]+);/i.test(text)) {
    notes.push('The text contains HTML character references such as &#8212; or &amp;; they were kept as written.');
  }
  return {
    title,
    text,
    turns,
    speakers: speakersOf(turns),
    sourceFormat: 'csv',
    encoding: source.encoding ?? 'utf-8',
    notes,
    caseName: cases.length === 1 ? cases[0]! : null,
    participantNames: values('participant'),
    codings,
  };
}

/** "[00:03:43]", "0:00:45", "01:02.5", or plain seconds ("75", "75.5"). */
function readTime(value: string): number | null {
  const bare = value.replace(/^[[(]\s*|\s*[\])]$/g, '');
  if (/^\d+(?:[.,]\d+)?$/.test(bare)) return Number(bare.replace(',', '.'));
  if (!/^\d{1,2}(?::\d{1,2}){1,2}(?:[.,]\d+)?$/.test(bare)) return null;
  return parseTimestamp(bare);
}

/** "career; yale younger" or "career, yale younger": semicolons win when there are any. */
function splitCodes(value: string): string[] {
  if (value === '') return [];
  const parts = value.split(value.includes(';') ? ';' : ',');
  return [...new Set(parts.map((p) => p.trim()).filter((p) => p !== ''))];
}
