/**
 * Importing a codebook into a study: reading the file (REFI-QDA .qdc or Cartography's CSV)
 * and planning what the import will do, as plain data, before anything is written.
 *
 * The plan matches every code of the file with the study's codebook: by GUID first, else by
 * name under the same (matched) parent, which is the name path from the root compared
 * without case and surrounding space. Codes that match nothing are added, under their
 * matched parents, after the existing siblings. Matched codes are updated from the file
 * ('update') or left as they are ('keep'). Only the fields a file carries are compared and
 * taken: a code from NVivo has a name, maybe a colour and a description, but no lifecycle
 * stage, kind or status, so importing it never wipes those. Every code written gets an
 * entry in its history. A name that would sit twice among siblings is never written: a new
 * code takes a numbered name, an updated code keeps its name and place.
 *
 * The plan carries a fingerprint of the codebook it was made against, so the write can
 * refuse when the codebook changed since the preview.
 */
import Papa from 'papaparse';
import { isGuid, normaliseGuid } from '../model/ids.ts';
import { CODE_KIND_LABELS, type Code, type CodeChange, type CodeExample, type Guid, type IsoDate, type Stage } from '../model/types.ts';
import { decodeWindows1252, startsWith } from '../import/decode.ts';
import { normaliseText } from '../text/normalise.ts';
import { CODEBOOK_CSV_COLUMNS, codebookFromCsv } from './csv.ts';
import { CROSS_STAGE_LABEL, HISTORY_LIMIT } from './operations.ts';
import { codebookFromQdc, readColor } from './qdc.ts';
import { attribute, childElements, parseXml, textContent, XmlError, type XmlElement } from './xml.ts';

// TextDecoder is a standard global in browsers and Node; declared because shared/ compiles without the DOM library.
declare const TextDecoder: new (label?: string, options?: { fatal?: boolean }) => { decode(input?: Uint8Array): string };

/** What the researcher sees as one field of a code: a group of the record's properties. */
export const CODE_FIELDS = ['name', 'parent', 'definition', 'examples', 'colour', 'stage', 'kind', 'mode', 'status'] as const;
export type CodeField = (typeof CODE_FIELDS)[number];

/** The properties of a code an import may take from a file. */
export const IMPORTED_PROPERTIES = ['name', 'parentId', 'shortDefinition', 'definition', 'useWhen', 'doNotUseWhen', 'examples', 'color', 'stageId', 'kind', 'mode', 'status'] as const;
export type ImportedProperty = (typeof IMPORTED_PROPERTIES)[number];

const FIELD_OF: Record<ImportedProperty, CodeField> = {
  name: 'name',
  parentId: 'parent',
  shortDefinition: 'definition',
  definition: 'definition',
  useWhen: 'definition',
  doNotUseWhen: 'definition',
  examples: 'examples',
  color: 'colour',
  stageId: 'stage',
  kind: 'kind',
  mode: 'mode',
  status: 'status',
};

/** Per incoming code id: the properties its file really gives (a code left out gives all of them). */
export type CarriedProperties = ReadonlyMap<Guid, ReadonlySet<ImportedProperty>>;

// ─── Reading the file ───────────────────────────────────────────────────────────────────────

export type CodebookFormat = 'qdc' | 'csv';

export interface CodebookFileProblem {
  /** Names the file, the line or row, and what is wrong. */
  message: string;
  /** What to do about it. */
  hint: string;
  /** Line of a .qdc file, when the problem has one. */
  line: number | null;
  /** Spreadsheet row of a CSV file (header = 1), when the problem has one. */
  row: number | null;
}

export interface CodebookFile {
  fileName: string;
  format: CodebookFormat;
  /** The codes read, each parent before its children; empty when there are problems. */
  codes: Code[];
  /** Which properties each code's file really carries (see CarriedProperties). */
  carried: CarriedProperties;
  warnings: string[];
  problems: CodebookFileProblem[];
}

export interface ReadCodebookOptions {
  studyId: Guid;
  now: IsoDate;
  coderId: Guid | null;
  newId: () => Guid;
}

const q = (s: string) => `“${s}”`;
const FILE_HINT = 'Export the codebook again from your program as a REFI-QDA codebook (.qdc), or from Cartography as CSV, and import that file.';

const SIGNATURES: readonly { bytes: readonly number[]; what: string; hint: string }[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'a ZIP package (a REFI-QDA project, .qdpx, or an Excel workbook is one)', hint: 'Export the codebook alone (REFI-QDA codebook, .qdc), or save the sheet as CSV UTF-8, and import that file.' },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document', hint: FILE_HINT },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], what: 'an old Office document (.doc or .xls)', hint: 'Save the sheet as CSV UTF-8 and import that file.' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image', hint: FILE_HINT },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image', hint: FILE_HINT },
];

const extension = (fileName: string) => /\.([^.]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';

function refusal(fileName: string, format: CodebookFormat, message: string, hint: string): CodebookFile {
  return { fileName, format, codes: [], carried: new Map(), warnings: [], problems: [{ message, hint, line: null, row: null }] };
}

/** The file's bytes as text: UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252 when not UTF-8 (with a warning). */
function decode(bytes: Uint8Array): { text: string; warning: string | null } {
  if (startsWith(bytes, [0xff, 0xfe])) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), warning: null };
  if (startsWith(bytes, [0xfe, 0xff])) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), warning: null };
  const body = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? bytes.subarray(3) : bytes;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), warning: null };
  } catch {
    return { text: decodeWindows1252(body), warning: 'The file is not valid UTF-8: it was read as Windows-1252. Check accented letters in the preview.' };
  }
}

/** A message of the parsers, made to name the file: “The file is …” → ““x.qdc” is …”, “Row 3: …” → “x.csv”, row 3: …. */
function naming(fileName: string, message: string): string {
  if (message.startsWith('The file ')) return `${q(fileName)} ${message.slice('The file '.length)}`;
  const row = /^Row (\d+): (.*)$/s.exec(message);
  if (row) return `${q(fileName)}, row ${row[1]}: ${row[2]}`;
  return `${q(fileName)}: ${message}`;
}

/**
 * Reads a codebook file: .csv as Cartography's codebook CSV, .qdc and .xml (and anything that
 * starts with "<") as REFI-QDA. Every problem names the file and, where it can, the line or row;
 * with any problem no code is returned.
 */
export function readCodebookFile(fileName: string, bytes: Uint8Array, stages: readonly Stage[], options: ReadCodebookOptions): CodebookFile {
  const ext = extension(fileName);
  let format: CodebookFormat = ext === 'csv' ? 'csv' : 'qdc';
  if (bytes.length === 0) {
    return refusal(fileName, format, `${q(fileName)} is empty (0 bytes): there is no codebook in it.`, `Check that you picked the right file and that it was saved completely. ${FILE_HINT}`);
  }
  const known = SIGNATURES.find((s) => startsWith(bytes, s.bytes));
  if (known) return refusal(fileName, format, `${q(fileName)} is ${known.what}, not a codebook file.`, known.hint);
  const { text, warning } = decode(bytes);
  if (ext !== 'csv' && ext !== 'qdc' && ext !== 'xml') format = text.trimStart().startsWith('<') ? 'qdc' : 'csv';

  // Ids the parsers make for codes without one, in the order they are asked for.
  const minted: Guid[] = [];
  const newId = () => {
    const id = options.newId();
    minted.push(id);
    return id;
  };
  const parseOptions = { studyId: options.studyId, now: options.now, coderId: options.coderId, newId };

  if (format === 'csv') {
    const result = codebookFromCsv(text, stages, parseOptions);
    const problems = result.problems.map((p) => ({ message: naming(fileName, p.message), hint: p.hint, line: null, row: p.row }));
    const warnings = warning ? [warning] : [];
    if (problems.length === 0 && result.codes.length === 0) warnings.push('The file has no codes: only a header row.');
    return { fileName, format, codes: problems.length > 0 ? [] : result.codes, carried: problems.length > 0 ? new Map() : csvCarried(text, result.codes, minted), warnings, problems };
  }

  const result = codebookFromQdc(text, stages, parseOptions);
  const problems = result.problems.map((p) => {
    // “… at line 7, column 3.” says where the reader stopped; other messages name one line
    const line = /\bat line (\d+)/.exec(p.message) ?? /\bline (\d+)/.exec(p.message);
    return { message: naming(fileName, p.message), hint: p.hint, line: line ? Number(line[1]) : null, row: null };
  });
  const warnings = [...(warning ? [warning] : []), ...result.warnings];
  if (problems.length > 0) return { fileName, format, codes: [], carried: new Map(), warnings, problems };
  return { fileName, format, codes: result.codes, carried: qdcCarried(text, result.codes, minted), warnings, problems };
}

const ALWAYS: readonly ImportedProperty[] = ['name', 'parentId'];
const CARTOGRAPHY_LINE = /^Cartography: /m;
const leaf = (name: string) => name.split('\\').map((p) => p.trim()).filter((p) => p !== '').at(-1) ?? '';

/**
 * What each code of a .qdc file gives: its name and place always; its colour when the file has
 * a readable one; its description as the definition; and every other field only when the
 * description carries Cartography's fields. Codes are found by GUID, or (without a usable GUID)
 * by the ids the parser made for them in document order; a code that cannot be told is left
 * out, and then gives every field.
 */
function qdcCarried(text: string, codes: readonly Code[], minted: readonly Guid[]): CarriedProperties {
  const carried = new Map<Guid, Set<ImportedProperty>>();
  let root: XmlElement;
  try {
    root = parseXml(text);
  } catch (error) {
    if (error instanceof XmlError) return carried;
    throw error;
  }
  const book = root.local === 'CodeBook' ? root : childElements(root, 'CodeBook')[0];
  const list = book ? childElements(book, 'Codes')[0] : undefined;
  if (!list) return carried;
  const byId = new Map(codes.map((c) => [c.id, c]));
  let next = 0;
  const visit = (element: XmlElement) => {
    for (const el of childElements(element, 'Code')) {
      const raw = (attribute(el, 'guid') ?? '').trim().replace(/^\{(.*)\}$/, '$1');
      const id = isGuid(raw) ? normaliseGuid(raw) : minted[next++];
      const code = id === undefined ? undefined : byId.get(id);
      const written = (attribute(el, 'name') ?? '').replace(/\s+/g, ' ').trim();
      if (code && (written === '' || code.name === written || code.name === leaf(written))) {
        const props = new Set<ImportedProperty>(ALWAYS);
        const color = attribute(el, 'color');
        if (color !== undefined && readColor(color) !== null) props.add('color');
        const description = childElements(el, 'Description')[0];
        const described = description ? textContent(description) : '';
        if (CARTOGRAPHY_LINE.test(described)) for (const p of IMPORTED_PROPERTIES) props.add(p);
        else if (described.trim() !== '') props.add('definition');
        carried.set(code.id, props);
      }
      visit(el);
    }
  };
  visit(list);
  // Codes the import made to hold `parent\child` names give only their name and place.
  for (const id of minted.slice(next)) if (byId.has(id)) carried.set(id, new Set(ALWAYS));
  return carried;
}

// Header cells are matched as the CSV reader matches them: no case, spaces, underscores or hyphens.
const headerKey = (cell: string) => cell.toLowerCase().replace(/[\s_-]+/g, '');
const CSV_PROPERTY = new Map<string, ImportedProperty>([
  ['name', 'name'],
  ['parent', 'parentId'],
  ['parentid', 'parentId'],
  ['path', 'parentId'],
  ['shortdefinition', 'shortDefinition'],
  ['definition', 'definition'],
  ['usewhen', 'useWhen'],
  ['donotusewhen', 'doNotUseWhen'],
  ['color', 'color'],
  ['colour', 'color'],
  ['stage', 'stageId'],
  ['kind', 'kind'],
  ['mode', 'mode'],
  ['status', 'status'],
]);

/**
 * What each row of a codebook CSV gives: the columns its header has (a sheet may leave any
 * out but the name), except an empty colour cell, which asks for a colour rather than giving
 * one. Rows are found by their id, or (without one) by the ids the reader made in row order.
 */
function csvCarried(text: string, codes: readonly Code[], minted: readonly Guid[]): CarriedProperties {
  const carried = new Map<Guid, Set<ImportedProperty>>();
  const parsed = Papa.parse<string[]>(normaliseText(text), { delimiter: '', newline: '\n', skipEmptyLines: false });
  const [header = [], ...rows] = parsed.data;
  const columns = new Map<number, ImportedProperty>();
  header.forEach((cell, i) => {
    const key = headerKey(cell);
    const property = CSV_PROPERTY.get(key) ?? (key.includes('example') ? 'examples' : undefined);
    if (property) columns.set(i, property);
  });
  const idAt = header.findIndex((cell) => headerKey(cell) === headerKey(CODEBOOK_CSV_COLUMNS[0]));
  const colorAt = [...columns].find(([, p]) => p === 'color')?.[0];
  const nameAt = header.findIndex((cell) => headerKey(cell) === 'name');
  const byId = new Map(codes.map((c) => [c.id, c]));
  let next = 0;
  for (const cells of rows.filter((r) => r.some((c) => c.trim() !== ''))) {
    const idCell = idAt === -1 ? '' : (cells[idAt] ?? '').trim();
    const id = isGuid(idCell) ? normaliseGuid(idCell) : minted[next++];
    const code = id === undefined ? undefined : byId.get(id);
    if (!code || (nameAt !== -1 && (cells[nameAt] ?? '').trim() !== code.name.trim())) continue;
    const props = new Set<ImportedProperty>(ALWAYS);
    for (const property of columns.values()) props.add(property);
    if (colorAt !== undefined && (cells[colorAt] ?? '').trim() === '') props.delete('color');
    carried.set(code.id, props);
  }
  return carried;
}

// ─── Planning ───────────────────────────────────────────────────────────────────────────────

export type ImportMode = 'update' | 'keep';

export interface ExistingCodebook {
  stages: readonly Stage[];
  codes: readonly Code[];
}

export interface PlanOptions {
  mode: ImportMode;
  now: IsoDate;
  /** Recorded in the history entries. */
  coderId: Guid | null;
  fileName: string;
  /** What the file gives of each code; without it, every field of every code. */
  carried?: CarriedProperties;
  /** Ids held by codes of other studies: a new code with one of them gets a new id. */
  takenIds?: ReadonlySet<Guid>;
  /** Needed when takenIds holds an id of the file. */
  newId?: () => Guid;
}

export interface AddedCode {
  /** The record written. */
  code: Code;
  /** Names from the root of the codebook after the import. */
  path: string[];
  /** The name in the file, when the code had to take another one. */
  renamedFrom: string | null;
}

export interface MatchedCode {
  existing: Code;
  incoming: Code;
  by: 'guid' | 'name';
  /** Fields where the file differs from the codebook (only fields the file carries). */
  differences: CodeField[];
  /** The record written ('update' mode, with differences); null when the code is left as it is. */
  result: Code | null;
  /** Names from the root in the codebook as it is (before the import). */
  path: string[];
}

export interface CodebookImportPlan {
  fileName: string;
  mode: ImportMode;
  /** Fingerprint of the codebook the plan was made against (codebookFingerprint). */
  basis: string;
  added: AddedCode[];
  matched: MatchedCode[];
  /** Records to put: matched codes updated, codes that move with them, new codes. */
  put: Code[];
  /** What the import does beyond the file or differently from it, in words (names taken, changes not made, codes that move with their parent). */
  notes: string[];
  counts: {
    inFile: number;
    added: number;
    matched: number;
    byGuid: number;
    byName: number;
    /** Matched codes the file differs from. */
    differing: number;
    /** Matched codes written. */
    updated: number;
    /** Codes not in the file that move with their parent to its stage and kind. */
    moved: number;
  };
  nothingToChange: boolean;
}

/** A stable text of the stages and codes: equal exactly when the records are. */
export function codebookFingerprint(codebook: ExistingCodebook): string {
  const stable = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(stable);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(
        Object.keys(value)
          .sort()
          .map((k) => [k, stable((value as Record<string, unknown>)[k])]),
      );
    }
    return value;
  };
  const byId = <T extends { id: string }>(rows: readonly T[]) => [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return JSON.stringify(stable({ stages: byId(codebook.stages), codes: byId(codebook.codes) }));
}

/** Names compare without case and surrounding or repeated space. */
export const nameKey = (name: string) => name.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
const spaced = (name: string) => name.trim().replace(/\s+/g, ' ');

/** Examples compare typical with typical and atypical with atypical, each in order; a file's example without a segment link matches one with a link. */
function sameExamples(file: readonly CodeExample[], mine: readonly CodeExample[]): boolean {
  return [true, false].every((typical) => {
    const a = file.filter((e) => e.typical === typical);
    const b = mine.filter((e) => e.typical === typical);
    return a.length === b.length && a.every((e, i) => e.text === b[i]!.text && (e.segmentId === null || e.segmentId === b[i]!.segmentId));
  });
}

/** The file's examples, keeping the segment links of the codebook's same examples (files from other tools carry none). */
const mergeExamples = (file: readonly CodeExample[], mine: readonly CodeExample[]): CodeExample[] =>
  file.map((e) => ({ ...e, segmentId: e.segmentId ?? mine.find((m) => m.text === e.text && m.typical === e.typical)?.segmentId ?? null }));

function differs(property: ImportedProperty, file: Code, mine: Code, fileParent: Guid | null): boolean {
  switch (property) {
    case 'parentId':
      return fileParent !== mine.parentId;
    case 'name':
      return spaced(file.name) !== spaced(mine.name);
    case 'color':
      return file.color.toLowerCase() !== mine.color.toLowerCase();
    case 'examples':
      return !sameExamples(file.examples, mine.examples);
    default:
      return file[property] !== mine[property];
  }
}

const fieldsOf = (properties: Iterable<ImportedProperty>): CodeField[] => {
  const fields = new Set([...properties].map((p) => FIELD_OF[p]));
  return CODE_FIELDS.filter((f) => fields.has(f));
};

/** The history entry of a matched code updated from a file: “Updated from “x.qdc”: definition, colour”. */
export const updatedSummary = (fileName: string, fields: readonly CodeField[]) => `Updated from ${q(fileName)}: ${fields.join(', ')}`;
/** The history entry of a code added from a file. */
export const importedSummary = (fileName: string) => `Imported from ${q(fileName)}`;

const appendHistory = (history: readonly CodeChange[] | undefined, entry: CodeChange): CodeChange[] => [...(history ?? []), entry].slice(-HISTORY_LIMIT);
const stageName = (stages: readonly Stage[], id: Guid | null) => (id === null ? CROSS_STAGE_LABEL : (stages.find((s) => s.id === id)?.name ?? 'an unknown stage'));
const byOrder = (a: Code, b: Code) => a.order - b.order || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
/** Properties that decide where a code sits among its siblings. */
const PLACE: readonly ImportedProperty[] = ['name', 'parentId', 'stageId'];

/**
 * Plans the import of `incoming` (codes read from a file, each with its file's GUID or a new
 * one) into a study's codebook. Pure: the same input gives the same plan.
 *
 * The codebook's rules hold afterwards: a sub-code has its parent's stage and kind (existing
 * codes under an updated code move with it, and say so in their history); names are unique,
 * ignoring case, among siblings (same parent, or at the top level the same stage); a new code
 * comes after the existing codes of its sibling list (same parent, or at the top level the same
 * stage and kind).
 */
export function planCodebookImport(existing: ExistingCodebook, incoming: readonly Code[], options: PlanOptions): CodebookImportPlan {
  const existingById = new Map(existing.codes.map((c) => [c.id, c]));
  const incomingById = new Map(incoming.map((c) => [c.id, c]));
  const everything: ReadonlySet<ImportedProperty> = new Set(IMPORTED_PROPERTIES);
  const carriedOf = (code: Code): ReadonlySet<ImportedProperty> => options.carried?.get(code.id) ?? everything;
  const entry = (summary: string): CodeChange => ({ at: options.now, by: options.coderId, summary });

  // The file's tree, each parent before its children (a parent the file lacks makes a root).
  const fileChildren = new Map<Guid | null, Code[]>();
  for (const code of incoming) {
    const parent = code.parentId !== null && incomingById.has(code.parentId) && code.parentId !== code.id ? code.parentId : null;
    fileChildren.set(parent, [...(fileChildren.get(parent) ?? []), code]);
  }
  const fileOrder: Code[] = [];
  const fileParent = new Map<Guid, Guid | null>();
  const walk = (parent: Guid | null) => {
    for (const code of fileChildren.get(parent) ?? []) {
      if (fileParent.has(code.id)) continue;
      fileParent.set(code.id, parent);
      fileOrder.push(code);
      walk(code.id);
    }
  };
  walk(null);
  // codes caught in a cycle of parents (the readers refuse such files) go to the top
  for (const code of incoming) {
    if (fileParent.has(code.id)) continue;
    fileParent.set(code.id, null);
    fileOrder.push(code);
    walk(code.id);
  }

  // Matching: 1. by GUID; 2. by name among the children of the matched parent (or the roots), top-down.
  const matchOf = new Map<Guid, { existing: Code; by: 'guid' | 'name' }>();
  const claimed = new Set<Guid>();
  for (const code of fileOrder) {
    const same = existingById.get(code.id);
    if (same) {
      matchOf.set(code.id, { existing: same, by: 'guid' });
      claimed.add(same.id);
    }
  }
  const placeOf = (code: Code): Guid | null => (code.parentId !== null && existingById.has(code.parentId) && code.parentId !== code.id ? code.parentId : null);
  const existingChildren = new Map<Guid | null, Code[]>();
  for (const code of [...existing.codes].sort(byOrder)) existingChildren.set(placeOf(code), [...(existingChildren.get(placeOf(code)) ?? []), code]);
  const nameMatch = (code: Code, candidate: Code) => {
    matchOf.set(code.id, { existing: candidate, by: 'name' });
    claimed.add(candidate.id);
  };
  // At the top level one name may be used once per stage: a file that gives stages is matched stage by stage first.
  for (const code of fileOrder) {
    if (matchOf.has(code.id) || fileParent.get(code.id) !== null || !carriedOf(code).has('stageId')) continue;
    const candidate = (existingChildren.get(null) ?? []).find((c) => !claimed.has(c.id) && c.stageId === code.stageId && nameKey(c.name) === nameKey(code.name));
    if (candidate) nameMatch(code, candidate);
  }
  for (const code of fileOrder) {
    if (matchOf.has(code.id)) continue;
    const parent = fileParent.get(code.id) ?? null;
    const parentMatch = parent === null ? null : matchOf.get(parent);
    if (parent !== null && !parentMatch) continue; // under a new code: new as well
    const key = nameKey(code.name);
    const candidate = (existingChildren.get(parentMatch ? parentMatch.existing.id : null) ?? []).find((c) => !claimed.has(c.id) && nameKey(c.name) === key);
    if (candidate) nameMatch(code, candidate);
  }

  // Where each code of the file lands: the matched code, or itself (under a new id when another study holds its GUID).
  const targetOf = new Map<Guid, Guid>();
  for (const code of fileOrder) {
    const match = matchOf.get(code.id);
    if (match) targetOf.set(code.id, match.existing.id);
    else if (options.takenIds?.has(code.id)) {
      if (!options.newId) throw new Error(`The code ${code.id} needs a new id: give planCodebookImport a newId.`);
      targetOf.set(code.id, options.newId());
    } else targetOf.set(code.id, code.id);
  }
  const targetParent = (code: Code): Guid | null => {
    const parent = fileParent.get(code.id) ?? null;
    return parent === null ? null : targetOf.get(parent)!;
  };

  // The codebook after the import, built up in turn.
  const final = new Map<Guid, Code>(existing.codes.map((c) => [c.id, c]));
  const sourceOf = new Map([...targetOf].map(([source, target]) => [target, source]));
  /** A code's name in the codebook, or (a new code not placed yet) in the file. */
  const nameOf = (id: Guid) => final.get(id)?.name ?? incomingById.get(sourceOf.get(id) ?? '')?.name ?? '';
  const summaries = new Map<Guid, string[]>();
  const written: Guid[] = [];
  const addedIds = new Set<Guid>();
  const write = (code: Code, summary: string | null) => {
    final.set(code.id, code);
    if (!summaries.has(code.id)) {
      summaries.set(code.id, []);
      written.push(code.id);
    }
    if (summary !== null) summaries.get(code.id)!.push(summary);
  };
  const notes: string[] = [];

  // Name slots: siblings are the codes with the same parent, or at the top level the same stage.
  const slot = (parent: Guid | null, stageId: Guid | null, name: string) => (parent !== null ? `p:${parent}:${nameKey(name)}` : `s:${stageId ?? ''}:${nameKey(name)}`);
  const slots = new Map<string, number>();
  const take = (key: string) => slots.set(key, (slots.get(key) ?? 0) + 1);
  const free = (key: string) => slots.set(key, (slots.get(key) ?? 1) - 1);
  const taken = (key: string) => (slots.get(key) ?? 0) > 0;
  for (const code of existing.codes) take(slot(placeOf(code), code.stageId, code.name));
  const where = (parent: Guid | null, stageId: Guid | null) => (parent !== null ? `under ${q(nameOf(parent))}` : `at the top level of ${stageName(existing.stages, stageId)}`);

  // Sibling lists for order: the same parent, or at the top level the same stage and kind.
  const list = (parent: Guid | null, stageId: Guid | null, kind: string) => (parent !== null ? `p:${parent}` : `t:${stageId ?? ''}:${kind}`);
  const lastOrder = new Map<string, number>();
  for (const code of existing.codes) {
    const key = list(placeOf(code), code.stageId, code.kind);
    lastOrder.set(key, Math.max(lastOrder.get(key) ?? -1, code.order));
  }
  const nextOrder = (key: string) => {
    const n = (lastOrder.get(key) ?? -1) + 1;
    lastOrder.set(key, n);
    return n;
  };

  // 1. Matched codes: in 'update' mode they take the file's fields, unless that would put two names side by side.
  const matchedEntries: { code: Code; mine: Code; by: 'guid' | 'name'; differences: CodeField[] }[] = [];
  for (const code of fileOrder) {
    const match = matchOf.get(code.id);
    if (!match) continue;
    const mine = match.existing;
    const parent = targetParent(code);
    const changed = IMPORTED_PROPERTIES.filter((p) => carriedOf(code).has(p) && differs(p, code, mine, parent));
    matchedEntries.push({ code, mine, by: match.by, differences: fieldsOf(changed) });
    if (options.mode !== 'update' || changed.length === 0) continue;
    const propose = (properties: readonly ImportedProperty[]): Code => {
      const next: Code = { ...mine, modifiedAt: options.now };
      for (const p of properties) {
        if (p === 'parentId') next.parentId = parent;
        else if (p === 'examples') next.examples = mergeExamples(code.examples, mine.examples);
        else if (p === 'color') next.color = code.color.toLowerCase();
        else if (p === 'name') next.name = spaced(code.name);
        else (next as unknown as Record<string, unknown>)[p] = code[p];
      }
      return next;
    };
    let apply = changed;
    let next = propose(apply);
    const from = slot(placeOf(mine), mine.stageId, mine.name);
    const to = slot(next.parentId, next.stageId, next.name);
    if (to !== from) {
      free(from);
      if (taken(to)) {
        take(from);
        const kept = apply.filter((p) => PLACE.includes(p));
        apply = apply.filter((p) => !PLACE.includes(p));
        next = propose(apply);
        const what = kept.includes('name') ? (kept.length > 1 ? 'name and place' : 'name') : 'place';
        notes.push(`${q(mine.name)} keeps its ${what}: a code named ${q(spaced(code.name))} is already ${where(parent, code.stageId)}.`);
      } else take(to);
    }
    // a sub-code has its parent's stage and kind
    const holder = next.parentId === null ? undefined : final.get(next.parentId);
    if (holder) {
      next.stageId = holder.stageId;
      next.kind = holder.kind;
    }
    const actual = IMPORTED_PROPERTIES.filter((p) => differs(p, next, mine, next.parentId));
    if (actual.length === 0) continue;
    if (list(placeOf(mine), mine.stageId, mine.kind) !== list(next.parentId, next.stageId, next.kind)) next.order = nextOrder(list(next.parentId, next.stageId, next.kind));
    write(next, updatedSummary(options.fileName, fieldsOf(actual)));
  }

  // 2. New codes, parents first: under a parent they take its stage and kind; a name already there gets a number.
  const added: AddedCode[] = [];
  for (const code of fileOrder) {
    if (matchOf.has(code.id)) continue;
    const parent = targetParent(code);
    let { stageId, kind } = code;
    const holder = parent === null ? undefined : final.get(parent);
    if (holder) {
      const carried = carriedOf(code);
      if ((carried.has('stageId') && stageId !== holder.stageId) || (carried.has('kind') && kind !== holder.kind)) {
        notes.push(`${q(code.name)} takes the stage and kind of ${q(holder.name)}, the code it is under (${stageName(existing.stages, holder.stageId)} › ${CODE_KIND_LABELS[holder.kind]}).`);
      }
      stageId = holder.stageId;
      kind = holder.kind;
    }
    const name = spaced(code.name);
    let unique = name;
    for (let n = 2; taken(slot(parent, stageId, unique)); n += 1) unique = `${name} (${n})`;
    if (unique !== name) notes.push(`${q(name)} is added as ${q(unique)}: a code with that name is already ${where(parent, stageId)}.`);
    take(slot(parent, stageId, unique));
    const record: Code = {
      ...code,
      id: targetOf.get(code.id)!,
      parentId: parent,
      name: unique,
      stageId,
      kind,
      order: nextOrder(list(parent, stageId, kind)),
      examples: code.examples.map((e) => ({ ...e })),
      history: appendHistory(code.history, entry(importedSummary(options.fileName))),
    };
    addedIds.add(record.id);
    write(record, null);
    added.push({ code: record, path: [], renamedFrom: unique === name ? null : name });
  }

  // 3. Codes under a code whose stage or kind changed follow it, top-down.
  const children = new Map<Guid, Code[]>();
  for (const code of final.values()) {
    if (code.parentId === null || code.parentId === code.id || !final.has(code.parentId)) continue;
    children.set(code.parentId, [...(children.get(code.parentId) ?? []), code]);
  }
  const cause = new Map<Guid, Guid>();
  const visited = new Set<Guid>();
  const follow = (parentId: Guid) => {
    if (visited.has(parentId)) return;
    visited.add(parentId);
    const parent = final.get(parentId)!;
    for (const child of (children.get(parentId) ?? []).sort(byOrder)) {
      const current = final.get(child.id)!;
      if (summaries.has(parentId) && (current.stageId !== parent.stageId || current.kind !== parent.kind)) {
        const root = cause.get(parentId) ?? parentId;
        cause.set(child.id, root);
        const place = `${stageName(existing.stages, parent.stageId)} › ${CODE_KIND_LABELS[parent.kind]}`;
        const moving = summaries.has(child.id);
        write({ ...current, stageId: parent.stageId, kind: parent.kind, modifiedAt: options.now }, addedIds.has(child.id) ? null : `Moved to ${place} with ${q(final.get(root)!.name)}`);
        if (!moving && !incomingById.has(child.id)) notes.push(`${q(current.name)} moves to ${place} with ${q(final.get(root)!.name)}.`);
      }
      follow(child.id);
    }
  };
  for (const code of final.values()) if (code.parentId === null || !final.has(code.parentId) || code.parentId === code.id) follow(code.id);

  // The records, each changed code with one history entry for the import.
  const put = written.map((id) => {
    const code = final.get(id)!;
    if (addedIds.has(id)) return code;
    return { ...code, history: appendHistory(existingById.get(id)!.history, entry(summaries.get(id)!.join('; '))) };
  });
  const putById = new Map(put.map((c) => [c.id, c]));
  for (const code of put) final.set(code.id, code);

  for (const a of added) {
    a.code = putById.get(a.code.id)!;
    a.path = pathIn(final, a.code.id);
  }
  const matched: MatchedCode[] = matchedEntries.map(({ code, mine, by, differences }) => ({ existing: mine, incoming: code, by, differences, result: putById.get(mine.id) ?? null, path: pathIn(existingById, mine.id) }));

  const byGuid = matched.filter((m) => m.by === 'guid').length;
  const matchedIds = new Set(matched.map((m) => m.existing.id));
  return {
    fileName: options.fileName,
    mode: options.mode,
    basis: codebookFingerprint(existing),
    added,
    matched,
    put,
    notes,
    counts: {
      inFile: incoming.length,
      added: added.length,
      matched: matched.length,
      byGuid,
      byName: matched.length - byGuid,
      differing: matched.filter((m) => m.differences.length > 0).length,
      updated: matched.filter((m) => m.result !== null).length,
      moved: put.filter((c) => !addedIds.has(c.id) && !matchedIds.has(c.id)).length,
    },
    nothingToChange: put.length === 0,
  };
}

/** Names from the root down to a code. */
function pathIn(codes: ReadonlyMap<Guid, Code>, id: Guid): string[] {
  const names: string[] = [];
  const seen = new Set<Guid>();
  for (let at = codes.get(id); at && !seen.has(at.id); at = at.parentId === null ? undefined : codes.get(at.parentId)) {
    seen.add(at.id);
    names.unshift(at.name);
  }
  return names;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The preview's totals in one sentence. */
export function describePlan(plan: CodebookImportPlan): string {
  const { inFile, added, matched, byGuid, byName, differing, updated, moved } = plan.counts;
  const clauses = [`${plural(added, 'new code')} will be added`];
  if (matched > 0) {
    const how = [byGuid > 0 ? `${byGuid} by GUID` : '', byName > 0 ? `${byName} by name` : ''].filter((s) => s !== '').join(', ');
    const what = differing === 0 ? (matched === 1 ? 'it is the same' : 'all are the same') : plan.mode === 'update' ? `${updated} will be updated` : `${differing} ${differing === 1 ? 'differs but is' : 'differ but are'} kept as ${differing === 1 ? 'it is' : 'they are'}`;
    clauses.push(`${plural(matched, 'matches an existing code', 'match existing codes')} (${how}): ${what}`);
  }
  if (moved > 0) clauses.push(`${plural(moved, 'code moves', 'codes move')} with ${moved === 1 ? 'its' : 'their'} parent`);
  return `${plural(inFile, 'code')} in ${q(plan.fileName)}: ${clauses.join('; ')}.`;
}

/** What an import did, for the notice after it. */
export function describeImport(plan: CodebookImportPlan): string {
  const parts = [`${plural(plan.counts.added, 'code')} added`];
  if (plan.counts.updated > 0) parts.push(`${plan.counts.updated} updated`);
  if (plan.counts.moved > 0) parts.push(`${plan.counts.moved} moved with ${plan.counts.moved === 1 ? 'its' : 'their'} parent`);
  const kept = plan.counts.matched - plan.counts.updated;
  if (kept > 0) parts.push(`${kept} already in the codebook left as ${kept === 1 ? 'it was' : 'they were'}`);
  return `Imported the codebook ${q(plan.fileName)}: ${parts.join(', ')}.`;
}
