/**
 * A codebook as a CSV spreadsheet: one row per code with every field, so researchers can
 * edit definitions in a spreadsheet program and bring them back. Reading restores, it does
 * not trust: every cell is checked, stages and parents are resolved, and all problems come
 * back together with their spreadsheet row. With any problem no code is returned.
 *
 * Line breaks inside cells are read as LF (CRLF and CR are normalised like every text
 * Cartography takes in). Examples are one per line, so an example holds no line break:
 * typical examples in one column, atypical ones in another (so a code's examples come back
 * typical first, each kind in its own order). An example taken from a coded segment ends in
 * ` [segment:<GUID>]`; an example without a link whose text itself ends in `[segment:…]` is
 * written with ` [segment:none]` after it, which reading takes away. An `examples` column
 * (files written before the two columns existed) is read as typical examples.
 *
 * The history column holds a code's changes, oldest first, one per line:
 * `<ISO timestamp> <coder GUID, or - for none> <summary>`, so a summary holds no line break.
 */
import Papa from 'papaparse';
import { codeColor } from '../model/colors.ts';
import { isGuid, normaliseGuid } from '../model/ids.ts';
import { CODE_KIND_LABELS, CODE_KINDS, CODE_STATUSES, COLLABORATION_MODES, type Code, type CodeChange, type CodeExample, type Guid, type IsoDate, type Stage } from '../model/types.ts';
import { isRealDate } from '../study-file/read.ts';
import { normaliseText } from '../text/normalise.ts';
import { readSegmentLink, writeSegmentLink } from './description.ts';

/** Columns in the order they are written; `path` is for people and is read only to find a parent. */
export const CODEBOOK_CSV_COLUMNS = [
  'id',
  'parent',
  'path',
  'name',
  'color',
  'stage',
  'kind',
  'mode',
  'status',
  'order',
  'shortDefinition',
  'definition',
  'useWhen',
  'doNotUseWhen',
  'typicalExamples',
  'atypicalExamples',
  'createdAt',
  'modifiedAt',
  'createdBy',
  'history',
] as const;
type Column = (typeof CODEBOOK_CSV_COLUMNS)[number];

/** Separates the names of a code's ancestors in the path column. */
export const PATH_SEPARATOR = ' > ';

export interface CodebookCsvProblem {
  /** Spreadsheet row: header = 1. */
  row: number;
  /** What is wrong, naming the row. */
  message: string;
  /** What to do about it. */
  hint: string;
}

export interface CodebookCsvOptions {
  newId: () => Guid;
  now: IsoDate;
  studyId: Guid;
  /** Made the codes of rows without an id (new codes) when their createdBy cell is empty. */
  coderId: Guid | null;
}

export interface CodebookCsvResult {
  /** Sorted by order (rows with the same order keep their row order); empty when there are problems. */
  codes: Code[];
  problems: CodebookCsvProblem[];
}

/** Codes in tree order: each parent before its children, siblings by order. */
function treeOrder(codes: readonly Code[]): Code[] {
  const ids = new Set(codes.map((c) => c.id));
  const sorted = codes.map((code, index) => ({ code, index })).sort((a, b) => a.code.order - b.code.order || a.index - b.index).map((e) => e.code);
  const children = new Map<Guid | null, Code[]>();
  for (const code of sorted) {
    const parent = code.parentId !== null && ids.has(code.parentId) ? code.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), code]);
  }
  const out: Code[] = [];
  const placed = new Set<Guid>();
  const visit = (code: Code): void => {
    if (placed.has(code.id)) return;
    placed.add(code.id);
    out.push(code);
    for (const child of children.get(code.id) ?? []) visit(child);
  };
  for (const root of children.get(null) ?? []) visit(root);
  // Codes caught in a parent cycle have no root above them; they go last and the reader reports the cycle.
  for (const code of sorted) visit(code);
  return out;
}

function pathOf(code: Code, byId: ReadonlyMap<Guid, Code>): string {
  const names = [code.name];
  const seen = new Set([code.id]);
  let parent = code.parentId === null ? undefined : byId.get(code.parentId);
  while (parent && !seen.has(parent.id)) {
    names.unshift(parent.name);
    seen.add(parent.id);
    parent = parent.parentId === null ? undefined : byId.get(parent.parentId);
  }
  return names.join(PATH_SEPARATOR);
}

/**
 * A spreadsheet runs a cell that starts with = + - @ or a tab as a formula (CSV injection),
 * so such cells are written after an apostrophe, which spreadsheets show as text. Cells that
 * already start with apostrophes before such a character get one more, so reading can always
 * take exactly one away.
 */
const FORMULA_START = /^'*[=+\-@\t]/;
const GUARDED_FORMULA = /^'+[=+\-@\t]/;
const guardFormula = (cell: string): string => (FORMULA_START.test(cell) ? `'${cell}` : cell);
const unguardFormula = (cell: string): string => (GUARDED_FORMULA.test(cell) ? cell.slice(1) : cell);

const examplesCell = (examples: readonly CodeExample[], typical: boolean): string =>
  examples
    .filter((e) => e.typical === typical)
    .map((e) => writeSegmentLink(e.text, e.segmentId))
    .join('\n');

/** One history entry per line: `<timestamp> <coder GUID or -> <summary>`. */
const historyCell = (history: readonly CodeChange[]): string => history.map((h) => `${h.at} ${h.by ?? '-'} ${h.summary}`).join('\n');

export function codebookToCsv(stages: readonly Stage[], codes: readonly Code[]): string {
  const stageNames = new Map(stages.map((s) => [s.id, s.name]));
  const byId = new Map(codes.map((c) => [c.id, c]));
  const rows = treeOrder(codes).map((c) =>
    [
      c.id,
      c.parentId ?? '',
      pathOf(c, byId),
      c.name,
      c.color,
      c.stageId === null ? '' : (stageNames.get(c.stageId) ?? c.stageId),
      c.kind,
      c.mode,
      c.status,
      String(c.order),
      c.shortDefinition,
      c.definition,
      c.useWhen,
      c.doNotUseWhen,
      examplesCell(c.examples, true),
      examplesCell(c.examples, false),
      c.createdAt,
      c.modifiedAt,
      c.createdBy ?? '',
      historyCell(c.history),
    ].map(guardFormula),
  );
  return Papa.unparse({ fields: [...CODEBOOK_CSV_COLUMNS], data: rows }, { newline: '\r\n' });
}

/** Header cells are matched without case, spaces, underscores or hyphens ("Short definition" = shortDefinition). */
const headerKey = (cell: string): string => cell.toLowerCase().replace(/[\s_-]+/g, '');
const COLUMN_BY_KEY = new Map<string, Column>([
  ...CODEBOOK_CSV_COLUMNS.map((c) => [headerKey(c), c] as const),
  ['colour', 'color'],
  ['parentid', 'parent'],
  ['created', 'createdAt'],
  ['modified', 'modifiedAt'],
  // files written before examples were typical or atypical
  ['examples', 'typicalExamples'],
]);

interface RawRow {
  row: number;
  cell: (column: Column) => string;
}

/** Splits normalised CSV text into the header and data rows, with their spreadsheet row numbers. */
function parseRows(text: string, problems: CodebookCsvProblem[]): { header: string[]; rows: { row: number; cells: string[] }[] } {
  const records: { row: number; cells: string[] }[] = [];
  Papa.parse<string[]>(text, {
    delimiter: '',
    newline: '\n',
    skipEmptyLines: false,
    step: (result, parser) => {
      const row = records.length + 1;
      if (result.errors.some((e) => e.type === 'Quotes')) {
        problems.push({
          row,
          message: `Row ${row}: the quotes in this row do not balance (a cell opens a double quote that is not closed properly).`,
          hint: `A cell that starts with " must end with ", and a double quote inside a cell is written twice (""). Correct row ${row} and import the file again.`,
        });
        parser.abort();
        return;
      }
      records.push({ row, cells: result.data.map(unguardFormula) });
    },
  });
  const [header, ...rows] = records;
  return { header: header?.cells ?? [], rows: rows.filter((r) => r.cells.some((c) => c.trim() !== '')) };
}

const quoted = (value: string): string => JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
const list = (values: readonly string[]): string => values.join(', ');

/** Binary files (a workbook, a PDF) read as text carry NUL and other control characters. */
function looksBinary(text: string): boolean {
  const sample = text.slice(0, 4096);
  // eslint-disable-next-line no-control-regex
  const controls = sample.match(/[\u0000-\u0008\u000e-\u001f\ufffd]/g)?.length ?? 0;
  return sample.includes('\u0000') || controls > sample.length / 20;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], labels: Partial<Record<T, string>> = {}): T | undefined {
  const wanted = value.trim().toLowerCase();
  return allowed.find((v) => v === wanted || labels[v]?.toLowerCase() === wanted);
}

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** An ISO 8601 timestamp in full form, or null when the text is not one. */
function timestamp(text: string): IsoDate | null {
  return ISO_TIMESTAMP.test(text) && isRealDate(text.slice(0, 10)) && !Number.isNaN(Date.parse(text)) ? new Date(text).toISOString() : null;
}

const HISTORY_LINE = /^(\S+) (\S+)(?: (.*))?$/s;

export function codebookFromCsv(text: string, stages: readonly Stage[], options: CodebookCsvOptions): CodebookCsvResult {
  const problems: CodebookCsvProblem[] = [];
  const refuse = (message: string, hint: string): CodebookCsvResult => ({ codes: [], problems: [{ row: 1, message, hint }] });
  const exportHint = 'Export the codebook from Cartography as CSV, edit it in a spreadsheet program, save it as CSV (UTF-8) and import that file.';

  const normalised = normaliseText(text);
  if (normalised.trim() === '') return refuse('The file is empty: it has no header row and no codes.', exportHint);
  if (looksBinary(normalised)) {
    return refuse('The file is not CSV text: it holds binary data (an Excel workbook, a PDF or an image, for example).', `Save the sheet as "CSV UTF-8" in your spreadsheet program and import that file. ${exportHint}`);
  }

  const parsed = parseRows(normalised, problems);
  if (problems.length > 0) return { codes: [], problems };

  const columnAt = new Map<Column, number>();
  parsed.header.forEach((cell, i) => {
    const column = COLUMN_BY_KEY.get(headerKey(cell));
    if (!column) return;
    if (columnAt.has(column)) {
      problems.push({ row: 1, message: `Row 1: the column "${column}" appears twice in the header (columns ${columnAt.get(column)! + 1} and ${i + 1}).`, hint: 'Delete or rename one of the two columns.' });
    } else {
      columnAt.set(column, i);
    }
  });
  if (!columnAt.has('name')) {
    return refuse(
      `Row 1: the header has no "name" column, so this does not look like a codebook (found ${parsed.header.length === 0 ? 'no columns' : list(parsed.header.slice(0, 8).map(quoted))}).`,
      `The first row must name the columns: ${list(CODEBOOK_CSV_COLUMNS)} (only name is required). ${exportHint}`,
    );
  }
  if (problems.length > 0) return { codes: [], problems };
  if (parsed.rows.length === 0) return { codes: [], problems };

  const rows: RawRow[] = parsed.rows.map(({ row, cells }) => ({
    row,
    cell: (column) => {
      const at = columnAt.get(column);
      return at === undefined ? '' : (cells[at] ?? '');
    },
  }));

  const fail = (row: number, message: string, hint: string): void => {
    problems.push({ row, message: `Row ${row}: ${message}`, hint });
  };

  // Ids first: parents refer to them.
  const rowById = new Map<Guid, number>();
  const ids = rows.map((r) => {
    const cell = r.cell('id').trim();
    if (cell === '') return options.newId();
    if (!isGuid(cell)) {
      fail(r.row, `the id ${quoted(cell)} is not a GUID such as 3f2b8c1e-9a4d-4c2e-8b1f-0a6d5e4c3b2a.`, 'Keep the id Cartography exported, or leave the cell empty to make this row a new code.');
      return options.newId();
    }
    const id = normaliseGuid(cell);
    const first = rowById.get(id);
    if (first !== undefined) {
      fail(r.row, `the id ${id} is also used by row ${first}.`, 'Every code needs its own id: delete the repeated row, or leave the id cell empty to make it a new code.');
    } else {
      rowById.set(id, r.row);
    }
    return id;
  });
  const idByRow = new Map(rows.map((r, i) => [r.row, ids[i]!]));

  const paths = new Map<string, number[]>();
  const pathKey = (path: string): string =>
    path
      .split(PATH_SEPARATOR.trim())
      .map((p) => p.trim())
      .join(PATH_SEPARATOR);
  rows.forEach((r) => {
    const path = r.cell('path').trim();
    if (path !== '') paths.set(pathKey(path), [...(paths.get(pathKey(path)) ?? []), r.row]);
  });

  const stageNames = stages.map((s) => s.name);
  const stageHint = `Write one of these stage names in the stage column, or leave it empty for a cross-stage code.`;

  const codes: Code[] = rows.map((r, i) => {
    const id = ids[i]!;
    const name = r.cell('name');
    if (name.trim() === '') fail(r.row, 'the code has no name.', 'Write the code\'s name in the name column, or delete the row.');

    let parentId: Guid | null = null;
    const parentCell = r.cell('parent').trim();
    if (parentCell !== '') {
      const parent = isGuid(parentCell) ? normaliseGuid(parentCell) : parentCell;
      if (rowById.has(parent)) parentId = parent;
      else fail(r.row, `the parent ${quoted(parentCell)} is not the id of any code in this file.`, 'Write the id of another row in the parent column, or leave it empty for a top-level code.');
    } else {
      // A row without a parent id may place itself by its path ("Parent > Child").
      const path = pathKey(r.cell('path').trim());
      const ownName = name.trim();
      if (path !== '' && path !== ownName && path.endsWith(`${PATH_SEPARATOR}${ownName}`)) {
        const parentPath = path.slice(0, -(PATH_SEPARATOR.length + ownName.length));
        const matches = paths.get(parentPath) ?? [];
        if (matches.length === 1) parentId = idByRow.get(matches[0]!)!;
        else if (matches.length === 0) fail(r.row, `the path ${quoted(path)} names the parent ${quoted(parentPath)}, which no row of this file has as its path.`, 'Add the parent code, correct the path, or write the parent\'s id in the parent column.');
        else fail(r.row, `the path ${quoted(path)} names the parent ${quoted(parentPath)}, which rows ${list(matches.map(String))} all have as their path.`, 'Write the id of the parent you mean in the parent column.');
      }
    }

    let stageId: Guid | null = null;
    const stageCell = r.cell('stage').trim();
    if (stageCell !== '') {
      const stage =
        stages.find((s) => s.name === stageCell) ?? stages.find((s) => s.name.trim().toLowerCase() === stageCell.toLowerCase()) ?? stages.find((s) => s.id === stageCell.toLowerCase());
      if (stage) stageId = stage.id;
      else fail(r.row, `the stage ${quoted(stageCell)} is not one of this study's stages (${stageNames.length === 0 ? 'it has none' : list(stageNames)}).`, stageNames.length === 0 ? 'Leave the stage column empty (cross-stage), or add the stage to the study first.' : `${stageHint} Or add the stage to the study first.`);
    }

    const valueOf = <T extends string>(column: Column, label: string, allowed: readonly T[], fallback: T, labels?: Partial<Record<T, string>>): T => {
      const cell = r.cell(column);
      if (cell.trim() === '') return fallback;
      const value = oneOf(cell, allowed, labels);
      if (value === undefined) fail(r.row, `the ${label} ${quoted(cell)} is not one of ${list(allowed)}.`, `Write ${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)!} in the ${column} column, or leave it empty for ${fallback}.`);
      return value ?? fallback;
    };

    const colorCell = r.cell('color').trim();
    if (colorCell !== '' && !/^#[0-9a-f]{6}$/i.test(colorCell)) {
      fail(r.row, `the colour ${quoted(colorCell)} is not a colour written #rrggbb.`, 'Write # and six hexadecimal digits, such as #4e79a7, or leave the cell empty to get a colour.');
    }

    const orderCell = r.cell('order').trim();
    let order = i;
    if (orderCell !== '') {
      if (/^\d+$/.test(orderCell) && Number.isSafeInteger(Number(orderCell))) order = Number(orderCell);
      else fail(r.row, `the order ${quoted(orderCell)} is not a whole number ≥ 0.`, 'Write a whole number such as 3 (codes are listed by it), or leave the cell empty to keep the row\'s place.');
    }

    const date = (column: 'createdAt' | 'modifiedAt'): IsoDate => {
      const cell = r.cell(column).trim();
      if (cell === '') return options.now;
      const parsed = timestamp(cell);
      if (parsed !== null) return parsed;
      fail(r.row, `the ${column} ${quoted(cell)} is not an ISO 8601 timestamp.`, `Write a timestamp such as 2026-01-31T09:30:00.000Z, or leave the cell empty for the time of the import.`);
      return options.now;
    };

    const createdByCell = r.cell('createdBy').trim();
    // A new row (no id) was made by the coder importing it; an exported code without a coder keeps none.
    let createdBy: Guid | null = r.cell('id').trim() === '' ? options.coderId : null;
    if (createdByCell !== '') {
      if (isGuid(createdByCell)) createdBy = normaliseGuid(createdByCell);
      else fail(r.row, `createdBy ${quoted(createdByCell)} is not a coder's GUID.`, 'Keep the value Cartography exported, or leave the cell empty.');
    }

    const examples = (column: 'typicalExamples' | 'atypicalExamples', typical: boolean): CodeExample[] =>
      r
        .cell(column)
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => {
          const example = readSegmentLink(line);
          if (example.invalid !== undefined) {
            fail(
              r.row,
              `the ${typical ? 'typical' : 'atypical'} example ${quoted(line)} ends in the segment link ${quoted(example.invalid)}, whose segment is not a GUID.`,
              `Keep the link Cartography exported, delete it, or write [segment:none] after it to keep the text as it is.`,
            );
          }
          return { text: example.text, typical, segmentId: example.segmentId };
        });

    const history: CodeChange[] = r
      .cell('history')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const hint = 'Write one change per line: an ISO 8601 timestamp such as 2026-01-31T09:30:00.000Z, a space, the GUID of the coder who made the change (or - for none), a space and what changed. Or keep the history Cartography exported.';
        const match = HISTORY_LINE.exec(line);
        if (!match) {
          fail(r.row, `the history line ${quoted(line)} is not written "<timestamp> <coder GUID or -> <what changed>".`, hint);
          return { at: options.now, by: null, summary: line };
        }
        const [, atCell, byCell, summary = ''] = match;
        const at = timestamp(atCell!);
        if (at === null) fail(r.row, `the history line ${quoted(line)} starts with ${quoted(atCell!)}, which is not an ISO 8601 timestamp.`, hint);
        const by = byCell === '-' ? null : isGuid(byCell) ? normaliseGuid(byCell) : undefined;
        if (by === undefined) fail(r.row, `the history line ${quoted(line)} names the coder ${quoted(byCell!)}, which is not a coder's GUID (write - for none).`, hint);
        return { at: at ?? options.now, by: by ?? null, summary };
      });

    return {
      id,
      studyId: options.studyId,
      createdAt: date('createdAt'),
      modifiedAt: date('modifiedAt'),
      createdBy,
      parentId,
      name,
      color: colorCell === '' ? codeColor(i) : colorCell.toLowerCase(),
      stageId,
      kind: valueOf('kind', 'kind', CODE_KINDS, 'other', CODE_KIND_LABELS),
      mode: valueOf('mode', 'mode', COLLABORATION_MODES, 'neutral'),
      order,
      shortDefinition: r.cell('shortDefinition'),
      definition: r.cell('definition'),
      useWhen: r.cell('useWhen'),
      doNotUseWhen: r.cell('doNotUseWhen'),
      examples: [...examples('typicalExamples', true), ...examples('atypicalExamples', false)],
      status: valueOf('status', 'status', CODE_STATUSES, 'active'),
      history,
    };
  });

  checkCycles(codes, rows, codes.map((c) => c.name), fail);
  if (problems.length > 0) return { codes: [], problems: problems.sort((a, b) => a.row - b.row) };
  return { codes: codes.map((code, index) => ({ code, index })).sort((a, b) => a.code.order - b.code.order || a.index - b.index).map((e) => e.code), problems };
}

/** Reports every code that is its own ancestor (the members of a loop, not the codes below one). */
function checkCycles(codes: readonly Code[], rows: readonly RawRow[], names: readonly string[], fail: (row: number, message: string, hint: string) => void): void {
  const index = new Map(codes.map((c, i) => [c.id, i]));
  codes.forEach((code, i) => {
    const chain = [names[i]!];
    const seen = new Set<Guid>([code.id]);
    let parent = code.parentId;
    while (parent !== null) {
      const at = index.get(parent);
      if (at === undefined) return;
      chain.unshift(names[at]!);
      if (parent === code.id) {
        fail(rows[i]!.row, `"${names[i]}" is its own ancestor (${chain.join(PATH_SEPARATOR)}).`, 'Change the parent of one of the codes in this loop so that the hierarchy has a top.');
        return;
      }
      if (seen.has(parent)) return;
      seen.add(parent);
      parent = codes[at]!.parentId;
    }
  });
}
