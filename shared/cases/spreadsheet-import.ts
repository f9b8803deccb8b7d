/**
 * Case attributes and participants from a spreadsheet (CSV), as plain data, before anything
 * is written: readSheet turns the file into a table and guesses each column's type,
 * defaultMappings proposes what each column fills, and planSheetImport says, row by row, what
 * the import would create or change and what stops it.
 *
 * Rows are matched to the study's cases (or participants) by name, ignoring letter case and
 * surrounding spaces. Every cell of a mapped column is taken as it is: an empty cell means no
 * value, so it clears a value the case had (the preview shows it as a change). A plan with
 * problems writes nothing: its `put` is empty, while its `changes` still show what the rows
 * would do once the problems are fixed.
 *
 * Row numbers are the ones a spreadsheet shows (header = row 1, blank rows counted), so that
 * “row 7” is the row the researcher finds in Excel or LibreOffice.
 */
import Papa from 'papaparse';
import { startsWith } from '../import/decode.ts';
import {
  OPENNESS_COMPONENTS,
  OPENNESS_LABELS,
  type AttributeDef,
  type AttributeType,
  type AttributeValue,
  type Case,
  type Guid,
  type IsoDate,
  type OpennessComponent,
  type OpennessLevel,
  type Participant,
  unknownOpenness,
} from '../model/types.ts';
import { detectType, formatAttributeValue, parseAttributeValue, slashDateOrder, type Detection } from './attribute-values.ts';

// TextDecoder is a standard global in browsers and Node; declared because shared/ compiles without the DOM library.
declare const TextDecoder: new (label?: string, options?: { fatal?: boolean }) => { decode(input?: Uint8Array): string };

export type SheetKind = 'cases' | 'participants';

export interface SheetColumn {
  index: number;
  header: string;
  /** Up to five distinct filled cells, in the order they come. */
  samples: string[];
  detected: Detection;
}

export interface SheetProblem {
  /** The spreadsheet row (header = 1); null for the whole file or a whole column. */
  row: number | null;
  /** The column's header, when the problem is about one column or cell. */
  column: string | null;
  message: string;
}

export interface ReadSheet {
  fileName: string;
  kind: SheetKind;
  /** The column that names the case (or participant) of each row. */
  keyColumn: number;
  columns: SheetColumn[];
  /** Data rows without the header and without blank rows, each as long as `columns`. */
  rows: string[][];
  /** The spreadsheet row of each entry of `rows`. */
  rowNumbers: number[];
  delimiter: string;
  /** Rows that could not be read as they are (unbalanced quotes, cells beyond the last column). */
  problems: SheetProblem[];
}

/** A file that cannot be read as a table at all. The message names the file, what is wrong and what to do. */
export class SheetError extends Error {
  constructor(
    readonly fileName: string,
    message: string,
  ) {
    super(message);
    this.name = 'SheetError';
  }
}

export type ColumnMapping = {
  column: number;
  target:
    | { kind: 'skip' }
    | { kind: 'existing'; attributeId: Guid }
    | { kind: 'new'; name: string; type: AttributeType; values: string[] }
    | { kind: 'field'; field: string };
};

/** The record fields a column can fill besides attributes. `name` and `pseudonym` are the row's key. */
export const SHEET_FIELDS: Record<SheetKind, readonly { field: string; label: string }[]> = {
  cases: [
    { field: 'name', label: 'Case name' },
    { field: 'description', label: 'Description' },
    ...OPENNESS_COMPONENTS.map((c) => ({ field: opennessField(c), label: `Openness: ${OPENNESS_LABELS[c]}` })),
  ],
  participants: [
    { field: 'pseudonym', label: 'Pseudonym' },
    { field: 'role', label: 'Role' },
    { field: 'organisation', label: 'Organisation' },
    { field: 'case', label: 'Case' },
    { field: 'interviewDate', label: 'Interview date' },
  ],
};

/** The field of one openness component: "openness.weights". */
function opennessField(component: OpennessComponent): string {
  return `openness.${component}`;
}

const KEY_FIELD: Record<SheetKind, string> = { cases: 'name', participants: 'pseudonym' };

const q = (s: string) => `“${s}”`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
/** Header names compared as letters and digits only, lower case: "Interview date" = "interview_date". */
const simple = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
/** Names compared as a researcher means them: letter case and surrounding spaces ignored. */
const nameKey = (s: string) => s.trim().toLowerCase();

// ─── Reading the file ──────────────────────────────────────────────────────────────────────

const SAVE_AS_CSV = 'Open it in your spreadsheet program, save the sheet as “CSV UTF-8 (comma delimited)” and import that file.';

const SIGNATURES: readonly { bytes: readonly number[]; what: string }[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'an Excel workbook or another ZIP package (.xlsx, .ods and .zip files are)' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], what: 'an old Excel workbook (.xls)' },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
];

/** Header names (see `simple`) that name the row's case or participant. */
const KEY_HEADERS: Record<SheetKind, readonly string[]> = {
  cases: ['case', 'casename', 'name', 'project', 'projectname'],
  participants: ['pseudonym', 'participant', 'participantid'],
};

/**
 * A spreadsheet runs a cell that starts with = + - @ or a tab as a formula, so Cartography's
 * exports (and the codebook CSV) write such cells after an apostrophe; reading takes exactly
 * one away (see shared/formats/matrix-export.ts guardFormula).
 */
const GUARDED_FORMULA = /^'+[=+\-@\t\r]/;
const unguard = (cell: string) => (GUARDED_FORMULA.test(cell) ? cell.slice(1) : cell);

function decode(fileName: string, bytes: Uint8Array): string {
  if (bytes.length === 0) throw new SheetError(fileName, `${q(fileName)} is empty (0 bytes): there is no table in it. Check that you picked the right file and that it was saved completely.`);
  const known = SIGNATURES.find((s) => startsWith(bytes, s.bytes));
  if (known) throw new SheetError(fileName, `${q(fileName)} is ${known.what}, not a CSV file. ${SAVE_AS_CSV}`);
  if (startsWith(bytes, [0xff, 0xfe])) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (startsWith(bytes, [0xfe, 0xff])) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const zero = bytes.subarray(0, 8192).indexOf(0);
  if (zero !== -1) throw new SheetError(fileName, `${q(fileName)} is not a CSV file: it contains binary data (a zero byte at byte ${zero + 1}). ${SAVE_AS_CSV}`);
  const body = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? bytes.subarray(3) : bytes;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    const bad = firstNonUtf8(body);
    throw new SheetError(
      fileName,
      `${q(fileName)} is not UTF-8 text (byte ${bad + 1} is 0x${(body[bad] ?? 0).toString(16).toUpperCase().padStart(2, '0')}); it was probably saved in an older encoding such as Windows-1252, which would garble accented letters. ${SAVE_AS_CSV}`,
    );
  }
}

/** The offset of the first byte that breaks UTF-8 (for the message). */
function firstNonUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const length = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (length === 0) return i;
    for (let k = 1; k < length; k += 1) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += length;
  }
  return 0;
}

interface SheetRecord {
  row: number;
  cells: string[];
}

/**
 * The file's rows with PapaParse. A row whose quotes do not balance is reported and skipped,
 * and reading goes on from the next line (as shared/import/csv-records.ts does), so one stray
 * quote does not swallow the rest of the file.
 */
function parseRecords(text: string, delimiter: string): { records: SheetRecord[]; broken: number[] } {
  const records: SheetRecord[] = [];
  const broken: number[] = [];
  let rest = text;
  let nextRow = 1;
  while (rest !== '') {
    let inChunk = 0;
    let quoteErrorAt: number | null = null;
    const chunk = rest;
    Papa.parse<string[]>(chunk, {
      delimiter,
      newline: '\n',
      skipEmptyLines: false,
      step: (result, parser) => {
        const error = result.errors.find((e) => e.type === 'Quotes');
        if (error) {
          quoteErrorAt = error.index ?? lineStart(chunk, inChunk);
          parser.abort();
          return;
        }
        records.push({ row: nextRow + inChunk, cells: result.data });
        inChunk += 1;
      },
    });
    if (quoteErrorAt === null) break;
    broken.push(nextRow + inChunk);
    nextRow += inChunk + 1;
    const lineEnd = chunk.indexOf('\n', quoteErrorAt);
    rest = lineEnd === -1 ? '' : chunk.slice(lineEnd + 1);
  }
  return { records, broken };
}

function lineStart(chunk: string, n: number): number {
  let at = 0;
  for (let i = 0; i < n && at !== -1; i += 1) at = chunk.indexOf('\n', at) + 1;
  return Math.max(0, at);
}

const isBlank = (cells: readonly string[]) => cells.every((c) => c.trim() === '');

/**
 * Reads a CSV file (comma, semicolon or tab separated; UTF-8 with or without BOM, or UTF-16
 * with BOM) into a table. The first row that is not blank must name the columns. Throws a
 * SheetError for a file that is not a table: empty, binary, not UTF-8, no header, two columns
 * with one name, no rows of data.
 */
export function readSheet(fileName: string, bytes: Uint8Array, kind: SheetKind): ReadSheet {
  const decoded = decode(fileName, bytes);
  const text = (decoded.charCodeAt(0) === 0xfeff ? decoded.slice(1) : decoded).replace(/\r\n?/g, '\n');
  if (text.trim() === '') throw new SheetError(fileName, `${q(fileName)} contains only blank space: there is no table in it. Check that you picked the right file.`);

  const guess = Papa.parse<string[]>(text.slice(0, 65536), { preview: 10, newline: '\n', skipEmptyLines: true, delimitersToGuess: [',', ';', '\t'] });
  const delimiter = [',', ';', '\t'].includes(guess.meta.delimiter) ? guess.meta.delimiter : ',';
  const { records, broken } = parseRecords(text, delimiter);
  const problems: SheetProblem[] = broken.map((row) => ({
    row,
    column: null,
    message: `row ${row}: the quotes in this row do not balance (a cell opens a double quote that is not closed properly), so the row cannot be read. A cell that starts with " must end with ", and a double quote inside a cell is written twice (""). Correct the row and import the file again.`,
  }));

  const headerAt = records.findIndex((r) => !isBlank(r.cells));
  if (headerAt === -1) throw new SheetError(fileName, `${q(fileName)} has no row that can be read as column names. The first row must name the columns (for example Case, Region, Licence); correct the file and import it again.`);
  const headerRecord = records[headerAt]!;
  const dataRecords = records.slice(headerAt + 1).filter((r) => !isBlank(r.cells));
  const rawHeader = headerRecord.cells.map((c) => unguard(c).trim());

  // Columns without a header and without any value (trailing separators) are dropped; a column with values needs a name.
  const width = rawHeader.length;
  const hasValues = (i: number) => dataRecords.some((r) => (r.cells[i] ?? '').trim() !== '');
  const kept: number[] = [];
  for (let i = 0; i < width; i += 1) {
    if (rawHeader[i] !== '') kept.push(i);
    else if (hasValues(i)) {
      throw new SheetError(fileName, `${q(fileName)}: column ${i + 1} has values but no name in the header row (row ${headerRecord.row}). Give every column a name in the first row, or delete the column, and import the file again.`);
    }
  }
  if (kept.length === 0) throw new SheetError(fileName, `${q(fileName)} has no column names in its first row. The first row must name the columns (for example Case, Region, Licence).`);
  const seen = new Map<string, number>();
  for (const i of kept) {
    const key = nameKey(rawHeader[i]!);
    const first = seen.get(key);
    if (first !== undefined) {
      throw new SheetError(fileName, `${q(fileName)} has two columns named ${q(rawHeader[i]!)} (columns ${first + 1} and ${i + 1}), so Cartography cannot tell which one to take. Rename or delete one of them and import the file again.`);
    }
    seen.set(key, i);
  }
  if (dataRecords.length === 0) {
    throw new SheetError(fileName, `${q(fileName)} has column names (${kept.map((i) => rawHeader[i]!).join(', ')}) but no rows of data. Add one row per ${kind === 'cases' ? 'case' : 'participant'} and import the file again.`);
  }
  if (looksLikeData(kept.map((i) => rawHeader[i]!))) {
    throw new SheetError(fileName, `${q(fileName)} seems to have no header row: its first row (${kept.map((i) => q(rawHeader[i]!)).join(', ')}) holds numbers or dates rather than column names. Add a first row that names the columns and import the file again.`);
  }

  const headers = kept.map((i) => rawHeader[i]!);
  const rows: string[][] = [];
  const rowNumbers: number[] = [];
  for (const record of dataRecords) {
    // (Cells under an unnamed header are empty: a column with values needs a name, checked above.)
    const beyond = record.cells.slice(width).filter((c) => c.trim() !== '');
    if (beyond.length > 0) {
      problems.push({
        row: record.row,
        column: null,
        message: `row ${record.row} has ${plural(record.cells.length, 'cell')}, more than the ${plural(headers.length, 'named column')}, and the extra ${beyond.length === 1 ? 'cell holds' : 'cells hold'} ${q(beyond[0]!)}. A separator inside a cell may have split it: put such a cell in double quotes, or delete the extra cells.`,
      });
    }
    rows.push(kept.map((i) => unguard(record.cells[i] ?? '')));
    rowNumbers.push(record.row);
  }

  const columns: SheetColumn[] = headers.map((header, index) => {
    const values = rows.map((r) => r[index]!);
    const samples = [...new Set(values.map((v) => v.trim()).filter((v) => v !== ''))].slice(0, 5);
    return { index, header, samples, detected: detectType(values) };
  });
  const simpleHeaders = headers.map(simple);
  // The leftmost column that names the record (an attribute called “Case” may come after “Case name”).
  const keyColumn = Math.max(0, simpleHeaders.findIndex((h) => KEY_HEADERS[kind].includes(h)));
  return { fileName, kind, keyColumn, columns, rows, rowNumbers, delimiter, problems };
}

/** A first row of only numbers and dates is data, not a header. */
function looksLikeData(cells: readonly string[]): boolean {
  return cells.every((c) => /^[-+]?\d[\d.,/ -]*$/.test(c));
}

// ─── Proposing mappings ──────────────────────────────────────────────────────────────────

/** Header names (see `simple`) of the participant fields. */
const PARTICIPANT_HEADERS: Record<string, readonly string[]> = {
  role: ['role', 'position', 'jobtitle'],
  organisation: ['organisation', 'organization', 'org', 'affiliation', 'institution'],
  case: ['case', 'casename', 'project'],
  interviewDate: ['interviewdate', 'dateofinterview', 'interviewed', 'date'],
};

/** The openness component a header names: its label or key, alone or with "openness" before or after. */
function opennessComponentOf(header: string): OpennessComponent | null {
  const h = simple(header);
  const bare = h.startsWith('openness') ? h.slice('openness'.length) : h.endsWith('openness') ? h.slice(0, -'openness'.length) : h;
  for (const c of OPENNESS_COMPONENTS) {
    if (bare === simple(OPENNESS_LABELS[c])) return c;
    if (bare !== h && bare === simple(c)) return c;
  }
  return null;
}

/**
 * What each column fills, as a first proposal the researcher can change: the key column is
 * the name; a header that names an existing attribute (or a field) fills it; any other column
 * of a case sheet becomes a new attribute of the type detected; any other column of a
 * participant sheet is skipped (participants have no attributes).
 */
export function defaultMappings(sheet: ReadSheet, existing: { attributes: AttributeDef[] }): ColumnMapping[] {
  const byName = new Map(existing.attributes.map((a) => [nameKey(a.name), a] as const));
  const taken = new Set<string>();
  return sheet.columns.map((column): ColumnMapping => {
    const at = column.index;
    const target = ((): ColumnMapping['target'] => {
      if (at === sheet.keyColumn) return { kind: 'field', field: KEY_FIELD[sheet.kind] };
      const h = simple(column.header);
      if (sheet.kind === 'participants') {
        const field = Object.keys(PARTICIPANT_HEADERS).find((f) => PARTICIPANT_HEADERS[f]!.includes(h));
        return field === undefined ? { kind: 'skip' } : { kind: 'field', field };
      }
      const attribute = byName.get(nameKey(column.header));
      if (attribute) return { kind: 'existing', attributeId: attribute.id };
      if (h === 'description' || h === 'casedescription') return { kind: 'field', field: 'description' };
      const component = opennessComponentOf(column.header);
      if (component) return { kind: 'field', field: opennessField(component) };
      const { type, categories } = column.detected;
      return { kind: 'new', name: column.header.trim(), type, values: [...categories] };
    })();
    // One column per field: a second column naming the same field is skipped.
    const slot = target.kind === 'field' ? `field:${target.field}` : target.kind === 'existing' ? `attribute:${target.attributeId}` : null;
    if (slot !== null && taken.has(slot)) return { column: at, target: { kind: 'skip' } };
    if (slot !== null) taken.add(slot);
    return { column: at, target };
  });
}

// ─── Planning the import ─────────────────────────────────────────────────────────────────

export interface SheetChange {
  row: number;
  key: string;
  action: 'create' | 'update' | 'unchanged';
  fields: { name: string; before: string; after: string }[];
}

export interface SheetPlan {
  kind: SheetKind;
  /** Records to write (new and changed); empty when there are problems. */
  put: { attributes: AttributeDef[]; cases: Case[]; participants: Participant[] };
  changes: SheetChange[];
  /** Per file, column, row or cell; a plan with problems must not be written. */
  problems: SheetProblem[];
  counts: { created: number; updated: number; unchanged: number; newAttributes: number };
}

export interface SheetExisting {
  studyId: Guid;
  attributes: AttributeDef[];
  cases: Case[];
  participants: Participant[];
}

export interface PlanOptions {
  /** Rows whose name matches no case (or participant) create one; otherwise each is a problem. */
  createMissing: boolean;
  now: IsoDate;
  coderId: Guid | null;
  newId: () => Guid;
}

const OPENNESS_WORDS: Record<string, OpennessLevel> = {
  open: 'open',
  yes: 'open',
  partial: 'partial',
  partly: 'partial',
  partially: 'partial',
  closed: 'closed',
  no: 'closed',
  unknown: 'unknown',
  '?': 'unknown',
  '': 'unknown',
};

/** A cell of an openness column: open/partial/closed/unknown, or yes/partly/no; empty is unknown. */
function parseOpennessLevel(raw: string): OpennessLevel | null {
  return OPENNESS_WORDS[raw.trim().toLowerCase()] ?? null;
}

/** One column as the planner uses it: where its cells go and how they are read. */
type Slot =
  | { kind: 'attribute'; def: AttributeDef; isNew: boolean; dateOrder: 'dmy' | 'mdy' | null }
  | { kind: 'description' }
  | { kind: 'openness'; component: OpennessComponent }
  | { kind: 'participant'; field: 'role' | 'organisation' | 'case' | 'interviewDate'; dateOrder: 'dmy' | 'mdy' | null };

interface PlannedColumn {
  index: number;
  header: string;
  slot: Slot;
}

const PARTICIPANT_FIELD_LABELS = { role: 'Role', organisation: 'Organisation', case: 'Case', interviewDate: 'Interview date' } as const;

/**
 * What importing the sheet with these mappings would do to the study: records to write, a
 * change per row (before and after of every field that changes) and every problem. The same
 * input gives the same plan, ids included (newId is called for new attributes in column
 * order, then for new records in row order).
 */
export function planSheetImport(sheet: ReadSheet, mappings: readonly ColumnMapping[], existing: SheetExisting, options: PlanOptions): SheetPlan {
  const problems: SheetProblem[] = [...sheet.problems];
  const stamp = { studyId: existing.studyId, createdAt: options.now, modifiedAt: options.now, createdBy: options.coderId };
  const header = (i: number) => sheet.columns[i]?.header ?? `column ${i + 1}`;
  const keyField = KEY_FIELD[sheet.kind];
  const keyMapping = mappings.find((m) => m.target.kind === 'field' && m.target.field === keyField);
  const keyColumn = keyMapping?.column ?? sheet.keyColumn;

  // Columns: check every mapping and make the new attributes.
  const planned: PlannedColumn[] = [];
  const newAttributes: AttributeDef[] = [];
  const attributeById = new Map(existing.attributes.map((a) => [a.id, a]));
  const attributeNames = new Map(existing.attributes.map((a) => [nameKey(a.name), a.name]));
  const filled = new Map<string, number>();
  let order = existing.attributes.reduce((max, a) => Math.max(max, a.order), -1);
  const columnProblem = (i: number, message: string) => problems.push({ row: null, column: header(i), message: `column ${q(header(i))}: ${message}` });
  const claim = (slot: string, i: number, what: string): boolean => {
    const first = filled.get(slot);
    if (first === undefined) {
      filled.set(slot, i);
      return true;
    }
    columnProblem(i, `${what} is already filled from the column ${q(header(first))}. Skip one of the two columns.`);
    return false;
  };
  const columnValues = (i: number) => sheet.rows.map((r) => r[i] ?? '');
  /** How the column writes slashed dates, read from all its cells. */
  const dateOrderOf = (i: number) => slashDateOrder(columnValues(i).map((v) => v.trim())).order;

  for (const mapping of [...mappings].sort((a, b) => a.column - b.column)) {
    const i = mapping.column;
    const target = mapping.target;
    if (i === keyColumn || target.kind === 'skip') continue;
    if (sheet.columns[i] === undefined) {
      problems.push({ row: null, column: null, message: `The sheet has no column ${i + 1}, which a mapping names. Choose the columns again.` });
      continue;
    }
    if (target.kind === 'existing' || target.kind === 'new') {
      if (sheet.kind === 'participants') {
        columnProblem(i, 'participants have no attributes. Map the column to a participant field or skip it.');
        continue;
      }
      if (target.kind === 'existing') {
        const def = attributeById.get(target.attributeId);
        if (!def) {
          columnProblem(i, 'the attribute it was mapped to no longer exists. Choose the attribute again.');
          continue;
        }
        if (claim(`attribute:${def.id}`, i, `the attribute ${q(def.name)}`)) {
          planned.push({ index: i, header: header(i), slot: { kind: 'attribute', def, isNew: false, dateOrder: dateOrderOf(i) } });
        }
        continue;
      }
      const name = target.name.trim();
      if (name === '') {
        columnProblem(i, 'the new attribute has no name. Give it a name or skip the column.');
        continue;
      }
      const clash = attributeNames.get(nameKey(name));
      if (clash !== undefined) {
        columnProblem(i, `there is already an attribute named ${q(clash)}. Map the column to it, or give the new attribute another name.`);
        continue;
      }
      const values = target.type !== 'category' ? [] : uniqueValues(target.values.length > 0 ? target.values : columnValues(i));
      if (target.type === 'category' && values.length === 0) {
        columnProblem(i, `the new category ${q(name)} has no values (the column is empty). Give it its values, or choose another type.`);
        continue;
      }
      attributeNames.set(nameKey(name), name);
      order += 1;
      const def: AttributeDef = { id: options.newId(), ...stamp, name, type: target.type, values, order };
      newAttributes.push(def);
      planned.push({ index: i, header: header(i), slot: { kind: 'attribute', def, isNew: true, dateOrder: dateOrderOf(i) } });
      continue;
    }
    const field = target.field;
    if (sheet.kind === 'cases') {
      const component = OPENNESS_COMPONENTS.find((c) => opennessField(c) === field);
      if (field === 'description' && claim('field:description', i, 'the description')) planned.push({ index: i, header: header(i), slot: { kind: 'description' } });
      else if (component && claim(`field:${field}`, i, `the openness of ${OPENNESS_LABELS[component].toLowerCase()}`)) planned.push({ index: i, header: header(i), slot: { kind: 'openness', component } });
      else if (field !== 'description' && !component) columnProblem(i, `cases have no field ${q(field)}. Map the column to an attribute or skip it.`);
      continue;
    }
    if (field === 'role' || field === 'organisation' || field === 'case' || field === 'interviewDate') {
      if (claim(`field:${field}`, i, `the ${PARTICIPANT_FIELD_LABELS[field].toLowerCase()}`)) {
        planned.push({ index: i, header: header(i), slot: { kind: 'participant', field, dateOrder: field === 'interviewDate' ? dateOrderOf(i) : null } });
      }
      continue;
    }
    columnProblem(i, `participants have no field ${q(field)}. Map the column to a participant field or skip it.`);
  }

  const rows = sheet.kind === 'cases' ? planCases(sheet, keyColumn, planned, existing, options, problems) : planParticipants(sheet, keyColumn, planned, existing, options, problems);
  const counts = {
    created: rows.changes.filter((c) => c.action === 'create').length,
    updated: rows.changes.filter((c) => c.action === 'update').length,
    unchanged: rows.changes.filter((c) => c.action === 'unchanged').length,
    newAttributes: newAttributes.length,
  };
  // Whole-file and column problems first, then by row (stable: a row's problems keep their column order).
  problems.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  const clean = problems.length === 0;
  return {
    kind: sheet.kind,
    put: clean ? { attributes: newAttributes, cases: rows.cases, participants: rows.participants } : { attributes: [], cases: [], participants: [] },
    changes: rows.changes,
    problems,
    counts,
  };
}

/** Category values from cells: trimmed, blanks and repeats (ignoring letter case) dropped, in the order they come. */
function uniqueValues(cells: readonly string[]): string[] {
  const seen = new Set<string>();
  const values: string[] = [];
  for (const cell of cells) {
    const value = cell.trim();
    if (value === '' || seen.has(nameKey(value))) continue;
    seen.add(nameKey(value));
    values.push(value);
  }
  return values;
}

interface RowsPlan {
  changes: SheetChange[];
  cases: Case[];
  participants: Participant[];
}

/**
 * The rows' keys matched to existing records. Rows with an empty key, a key seen in an
 * earlier row, or (without createMissing) an unknown key are problems and are left out.
 */
function matchRows<T extends { id: Guid }>(
  sheet: ReadSheet,
  keyColumn: number,
  records: readonly T[],
  nameOf: (r: T) => string,
  createMissing: boolean,
  problems: SheetProblem[],
): { row: number; cells: string[]; key: string; record: T | null }[] {
  const noun = sheet.kind === 'cases' ? 'case' : 'participant';
  const keyHeader = sheet.columns[keyColumn]?.header ?? 'name';
  const byName = new Map<string, T[]>();
  for (const r of records) byName.set(nameKey(nameOf(r)), [...(byName.get(nameKey(nameOf(r))) ?? []), r]);
  const firstRow = new Map<string, number>();
  const matched: { row: number; cells: string[]; key: string; record: T | null }[] = [];
  sheet.rows.forEach((cells, at) => {
    const row = sheet.rowNumbers[at] ?? at + 2;
    const key = (cells[keyColumn] ?? '').trim();
    if (key === '') {
      problems.push({ row, column: keyHeader, message: `row ${row}: the ${q(keyHeader)} cell is empty, so the row names no ${noun}. Fill in the ${noun}'s name or delete the row.` });
      return;
    }
    const first = firstRow.get(nameKey(key));
    if (first !== undefined) {
      problems.push({ row, column: keyHeader, message: `row ${row}: ${q(key)} already has a row (row ${first}); keep one row per ${noun} and import the file again.` });
      return;
    }
    firstRow.set(nameKey(key), row);
    const found = byName.get(nameKey(key)) ?? [];
    if (found.length > 1) {
      problems.push({ row, column: keyHeader, message: `row ${row}: the study has ${found.length} ${noun}s named ${q(key)}, so the row cannot tell which one it is. Rename one of them in Cartography first.` });
      return;
    }
    if (found.length === 0 && !createMissing) {
      problems.push({ row, column: keyHeader, message: `row ${row}: no ${noun} named ${q(key)}; tick ‘Create new ${noun}s’ or correct the name.` });
      return;
    }
    matched.push({ row, cells, key, record: found[0] ?? null });
  });
  return matched;
}

function cellProblem(problems: SheetProblem[], row: number, column: string, message: string) {
  problems.push({ row, column, message: `row ${row}, column ${q(column)}: ${message}` });
}

const sameValue = (a: AttributeValue | undefined, b: AttributeValue | undefined) => (a ?? null) === (b ?? null);

function planCases(sheet: ReadSheet, keyColumn: number, planned: readonly PlannedColumn[], existing: SheetExisting, options: PlanOptions, problems: SheetProblem[]): RowsPlan {
  const matched = matchRows(sheet, keyColumn, existing.cases, (c) => c.name, options.createMissing, problems);
  const changes: SheetChange[] = [];
  const cases: Case[] = [];
  for (const { row, cells, key, record } of matched) {
    const before: Case = record ?? {
      id: '',
      studyId: existing.studyId,
      createdAt: options.now,
      modifiedAt: options.now,
      createdBy: options.coderId,
      name: key,
      description: '',
      attributes: {},
      openness: unknownOpenness(),
    };
    const attributes = { ...before.attributes };
    const openness = { ...before.openness };
    let description = before.description;
    const fields: SheetChange['fields'] = [];
    let valid = true;
    for (const column of planned) {
      const raw = cells[column.index] ?? '';
      const slot = column.slot;
      if (slot.kind === 'attribute') {
        const parsed = parseAttributeValue(slot.def, raw, { dateOrder: slot.dateOrder });
        if (!parsed.ok) {
          cellProblem(problems, row, column.header, parsed.message);
          valid = false;
          continue;
        }
        const old = before.attributes[slot.def.id] ?? null;
        if (sameValue(old, parsed.value)) continue;
        if (parsed.value === null) delete attributes[slot.def.id];
        else attributes[slot.def.id] = parsed.value;
        fields.push({ name: slot.def.name, before: old === null ? '' : formatAttributeValue(slot.def, old), after: formatAttributeValue(slot.def, parsed.value) });
      } else if (slot.kind === 'openness') {
        const level = parseOpennessLevel(raw);
        if (level === null) {
          cellProblem(problems, row, column.header, `${q(raw.trim())} is not an openness level. Write open, partial, closed or unknown (yes, partly and no are read too), or leave the cell empty for unknown.`);
          valid = false;
          continue;
        }
        if (level === before.openness[slot.component]) continue;
        openness[slot.component] = level;
        fields.push({ name: OPENNESS_LABELS[slot.component], before: before.openness[slot.component], after: level });
      } else if (slot.kind === 'description') {
        const next = raw.trim();
        if (next === before.description) continue;
        description = next;
        fields.push({ name: 'Description', before: before.description, after: next });
      }
    }
    if (!valid) continue;
    if (record === null) {
      changes.push({ row, key, action: 'create', fields: fields.filter((f) => f.after !== '' && f.after !== 'unknown') });
      cases.push({ ...before, id: options.newId(), attributes, openness, description });
    } else if (fields.length === 0) {
      changes.push({ row, key: record.name, action: 'unchanged', fields });
    } else {
      changes.push({ row, key: record.name, action: 'update', fields });
      cases.push({ ...record, attributes, openness, description, modifiedAt: options.now });
    }
  }
  return { changes, cases, participants: [] };
}

function planParticipants(sheet: ReadSheet, keyColumn: number, planned: readonly PlannedColumn[], existing: SheetExisting, options: PlanOptions, problems: SheetProblem[]): RowsPlan {
  const matched = matchRows(sheet, keyColumn, existing.participants, (p) => p.pseudonym, options.createMissing, problems);
  const caseByName = new Map<string, Case[]>();
  for (const c of existing.cases) caseByName.set(nameKey(c.name), [...(caseByName.get(nameKey(c.name)) ?? []), c]);
  const caseName = (id: Guid | null) => (id === null ? '' : (existing.cases.find((c) => c.id === id)?.name ?? ''));
  const changes: SheetChange[] = [];
  const participants: Participant[] = [];
  for (const { row, cells, key, record } of matched) {
    const before: Participant = record ?? { id: '', studyId: existing.studyId, createdAt: options.now, modifiedAt: options.now, createdBy: options.coderId, pseudonym: key, role: '', organisation: '', caseId: null, interviewDate: '' };
    const next = { ...before };
    const fields: SheetChange['fields'] = [];
    let valid = true;
    for (const column of planned) {
      if (column.slot.kind !== 'participant') continue;
      const { field, dateOrder } = column.slot;
      const raw = (cells[column.index] ?? '').trim();
      if (field === 'role' || field === 'organisation') {
        if (raw === before[field]) continue;
        next[field] = raw;
        fields.push({ name: PARTICIPANT_FIELD_LABELS[field], before: before[field], after: raw });
      } else if (field === 'case') {
        const found = raw === '' ? [] : (caseByName.get(nameKey(raw)) ?? []);
        if (raw !== '' && found.length !== 1) {
          const why = found.length === 0 ? `no case is named ${q(raw)}. Correct the name, or add the case first (in the Cases table or by importing case attributes)` : `${found.length} cases are named ${q(raw)}. Rename one of them first`;
          cellProblem(problems, row, column.header, `${why}.`);
          valid = false;
          continue;
        }
        const caseId = found[0]?.id ?? null;
        if (caseId === before.caseId) continue;
        next.caseId = caseId;
        fields.push({ name: 'Case', before: caseName(before.caseId), after: found[0]?.name ?? '' });
      } else {
        const parsed = parseAttributeValue({ name: 'Interview date', type: 'date', values: [] }, raw, { dateOrder });
        if (!parsed.ok) {
          cellProblem(problems, row, column.header, parsed.message);
          valid = false;
          continue;
        }
        const date = parsed.value === null ? '' : String(parsed.value);
        if (date === before.interviewDate) continue;
        next.interviewDate = date;
        fields.push({ name: 'Interview date', before: before.interviewDate, after: date });
      }
    }
    if (!valid) continue;
    if (record === null) {
      changes.push({ row, key, action: 'create', fields: fields.filter((f) => f.after !== '') });
      participants.push({ ...next, id: options.newId() });
    } else if (fields.length === 0) {
      changes.push({ row, key: record.pseudonym, action: 'unchanged', fields });
    } else {
      changes.push({ row, key: record.pseudonym, action: 'update', fields });
      participants.push({ ...next, modifiedAt: options.now });
    }
  }
  return { changes, cases: [], participants };
}
