/**
 * Comparison matrices over codes, after MAXQDA's Code Matrix Browser and NVivo's matrix
 * coding query: cases (participants, documents) × codes, and case-attribute groups × codes.
 * Pure functions over the plain `MatrixSource`; the renderer draws the `Matrix` they return.
 *
 * Definitions (they are also written into each matrix's settings lines):
 * - A column counts the UNION of the segments that carry any of its `codeIds`: a segment
 *   carrying two codes of a collapsed column counts once, and several coders applying the
 *   same code to the same segment count once.
 * - Totals are never sums. A row total is the metric over the union of the row's columns
 *   (distinct segments, distinct participants, words of the union of ranges); a column total
 *   the metric over the union of its rows; the grand total over everything. The exception is
 *   `presence`, whose totals count present cells. `share`'s row total is the share of the
 *   union (≤ 100).
 * - `share`: a cell's segments ÷ the row's distinct (segment, code) pairs over all codes of
 *   the codebook (after filters) × 100, to one decimal. At code level without sub-codes a
 *   row's shares add up to 100 (give or take rounding) when every code is a column.
 * - `words`: per document, the cell's coded ranges are merged (overlapping or touching
 *   ranges become one) and the words of the merged text counted, so overlapping segments are
 *   not counted twice. The merged text is rebuilt from the segments' own `text`. A word is
 *   what `countWords` counts: a run of letters and digits, with apostrophes and hyphens inside.
 * - `participants`: the distinct participants of the documents the cell's segments are in
 *   (only the filtered participants, when a participant filter is set); in participant rows
 *   0 or 1.
 * - Rows: every case (by name), participant (by pseudonym) or document (by title), empty ones
 *   included unless hidden. A filter on the row dimension itself narrows the rows (case rows
 *   follow the case filter, participant rows the participant filter, document rows every
 *   document filter). Segments of documents without a case (participant) land in no case
 *   (participant) row; the settings say how many were left out.
 * - Column kind labels are plural, as in the codebook tree: "Challenges", "On-ramps",
 *   "Descriptive / other" (`KIND_GROUP_LABELS`).
 */
import { CROSS_STAGE_LABEL } from '../codebook/operations.ts';
import { CODE_KINDS, OPENNESS_LABELS, OPENNESS_LEVELS, type CodeKind, type Guid, type OpennessComponent } from '../model/types.ts';
import { describeFilters, documentFilter, indexCodings, memoiseBySource, type CodingIndex } from './matrix-filters.ts';
import { METRIC_LABELS, type Matrix, type MatrixColumn, type MatrixFilters, type MatrixMetric, type MatrixRow, type MatrixSource, type RowDimension } from './matrix-types.ts';

// ---------------------------------------------------------------------------------------------
// Columns

/** A kind as a group of codes (column and band headers). */
export const KIND_GROUP_LABELS: Record<CodeKind, string> = { challenge: 'Challenges', 'on-ramp': 'On-ramps', other: 'Descriptive / other' };
export const UNKNOWN_STAGE_LABEL = 'Unknown stage';

/** `all` (or missing): every stage; null: cross-stage codes only; an id: that stage only. */
export type StageScope = Guid | null | 'all';

export interface CodeColumnOptions {
  /** Keys of collapsed groups: `stage:<stageId|cross>` and `kind:<stageId|cross>:<kind>`. */
  collapsed?: ReadonlySet<string>;
  /** A code column counts its sub-codes (all levels) too. */
  includeSubcodes?: boolean;
  stageId?: StageScope;
  kind?: CodeKind | 'all';
}

export const stageGroupKey = (stageId: Guid | null): string => `stage:${stageId ?? 'cross'}`;
export const kindGroupKey = (stageId: Guid | null, kind: CodeKind): string => `kind:${stageId ?? 'cross'}:${kind}`;
export const codeColumnKey = (codeId: Guid): string => `code:${codeId}`;

type SourceCode = MatrixSource['codes'][number];

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
/** Labels as people sort them: case-insensitive, numbers by value ("P2" before "P10"), then exactly. */
export const compareLabels = (a: string, b: string): number => collator.compare(a, b) || compareText(a, b);
const bySiblingOrder = (a: SourceCode, b: SourceCode): number => a.order - b.order || compareText(a.name, b.name) || compareText(a.id, b.id);

interface CodeTree {
  /** Every code once, parents before children, siblings by `order` (codes caught in a parent loop come last). */
  ordered: SourceCode[];
  children: Map<Guid, SourceCode[]>;
  byId: Map<Guid, SourceCode>;
}

function codeTree(codes: readonly SourceCode[]): CodeTree {
  const byId = new Map(codes.map((c) => [c.id, c]));
  const children = new Map<Guid, SourceCode[]>();
  const roots: SourceCode[] = [];
  for (const c of codes) {
    if (c.parentId === null || c.parentId === c.id || !byId.has(c.parentId)) roots.push(c);
    else {
      const list = children.get(c.parentId);
      if (list) list.push(c);
      else children.set(c.parentId, [c]);
    }
  }
  for (const list of children.values()) list.sort(bySiblingOrder);
  const ordered: SourceCode[] = [];
  const seen = new Set<Guid>();
  const visit = (c: SourceCode) => {
    if (seen.has(c.id)) return;
    seen.add(c.id);
    ordered.push(c);
    for (const child of children.get(c.id) ?? []) visit(child);
  };
  for (const root of roots.sort(bySiblingOrder)) visit(root);
  for (const c of [...codes].sort(bySiblingOrder)) visit(c);
  return { ordered, children, byId };
}

function descendantIds(tree: CodeTree, codeId: Guid): Guid[] {
  const out: Guid[] = [];
  const seen = new Set<Guid>([codeId]);
  const visit = (id: Guid) => {
    for (const child of tree.children.get(id) ?? []) {
      if (seen.has(child.id)) continue;
      seen.add(child.id);
      out.push(child.id);
      visit(child.id);
    }
  };
  visit(codeId);
  return out;
}

function namePath(tree: CodeTree, code: SourceCode): string[] {
  const names: string[] = [];
  const seen = new Set<Guid>();
  let current: SourceCode | undefined = code;
  while (current && !seen.has(current.id)) {
    seen.add(current.id);
    names.unshift(current.name);
    current = current.parentId === null ? undefined : tree.byId.get(current.parentId);
  }
  return names;
}

/**
 * The code columns of a matrix: stage (in stage order, then unknown stages, then
 * cross-stage) → kind (challenge, on-ramp, other) → codes in tree order. A collapsed stage
 * becomes one `stage` column, a collapsed kind one `kind` column; groups without codes make
 * no column.
 */
export function codeColumns(source: Pick<MatrixSource, 'stages' | 'codes'>, options: CodeColumnOptions = {}): MatrixColumn[] {
  const collapsed = options.collapsed ?? new Set<string>();
  const stageScope = options.stageId === undefined ? 'all' : options.stageId;
  const kindScope = options.kind ?? 'all';
  const tree = codeTree(source.codes);

  const stageNames = new Map<Guid, string>();
  const groupOrder: (Guid | null)[] = [];
  for (const s of [...source.stages].sort((a, b) => a.order - b.order || compareText(a.name, b.name) || compareText(a.id, b.id))) {
    stageNames.set(s.id, s.name);
    groupOrder.push(s.id);
  }
  for (const c of tree.ordered) {
    if (c.stageId !== null && !stageNames.has(c.stageId)) {
      stageNames.set(c.stageId, UNKNOWN_STAGE_LABEL);
      groupOrder.push(c.stageId);
    }
  }
  groupOrder.push(null);

  const withSubcodes = (ids: Guid[]): Guid[] => {
    if (!options.includeSubcodes) return ids;
    const all = new Set<Guid>();
    for (const id of ids) {
      all.add(id);
      for (const d of descendantIds(tree, id)) all.add(d);
    }
    return tree.ordered.filter((c) => all.has(c.id)).map((c) => c.id);
  };

  const columns: MatrixColumn[] = [];
  for (const stageId of groupOrder) {
    if (stageScope !== 'all' && stageScope !== stageId) continue;
    const stageName = stageId === null ? CROSS_STAGE_LABEL : (stageNames.get(stageId) ?? UNKNOWN_STAGE_LABEL);
    const byKind = CODE_KINDS.map((kind) => ({
      kind,
      codes: kindScope !== 'all' && kindScope !== kind ? [] : tree.ordered.filter((c) => c.stageId === stageId && c.kind === kind),
    })).filter((g) => g.codes.length > 0);
    if (byKind.length === 0) continue;
    const stageKey = stageGroupKey(stageId);
    if (collapsed.has(stageKey)) {
      columns.push({ key: stageKey, label: stageName, namePath: [stageName], level: 'stage', stageId, kind: null, codeIds: withSubcodes(byKind.flatMap((g) => g.codes.map((c) => c.id))), color: null });
      continue;
    }
    for (const { kind, codes } of byKind) {
      const kindKey = kindGroupKey(stageId, kind);
      if (collapsed.has(kindKey)) {
        const label = KIND_GROUP_LABELS[kind];
        columns.push({ key: kindKey, label, namePath: [stageName, label], level: 'kind', stageId, kind, codeIds: withSubcodes(codes.map((c) => c.id)), color: null });
        continue;
      }
      for (const c of codes) {
        columns.push({ key: codeColumnKey(c.id), label: c.name, namePath: namePath(tree, c), level: 'code', stageId, kind, codeIds: withSubcodes([c.id]), color: c.color });
      }
    }
  }
  return columns;
}

// ---------------------------------------------------------------------------------------------
// The engine: coded segments × columns × rows, computed once per matrix

/** Per coded segment, the distinct columns it falls in: `list[start[s]] … list[start[s + 1] - 1]`, ascending. */
interface ColumnIndex {
  start: Int32Array;
  list: Int32Array;
}

function columnsOfSegments(source: MatrixSource, index: CodingIndex, columns: readonly MatrixColumn[]): ColumnIndex {
  const columnsOfCode: number[][] = source.codes.map(() => []);
  columns.forEach((column, c) => {
    for (const id of column.codeIds) {
      const code = index.base.codeIndex.get(id);
      if (code !== undefined && !columnsOfCode[code]!.includes(c)) columnsOfCode[code]!.push(c);
    }
  });
  const widest = columnsOfCode.reduce((m, l) => Math.max(m, l.length), 0);
  const start = new Int32Array(index.size + 1);
  const list = new Int32Array(index.codes.length * widest);
  const stamp = new Int32Array(columns.length).fill(-1);
  let write = 0;
  for (let s = 0; s < index.size; s += 1) {
    start[s] = write;
    const from = write;
    for (let i = index.codeStart[s]!; i < index.codeStart[s + 1]!; i += 1) {
      for (const c of columnsOfCode[index.codes[i]!]!) {
        if (stamp[c] === s) continue;
        stamp[c] = s;
        list[write++] = c;
      }
    }
    if (write - from > 1) list.subarray(from, write).sort();
  }
  start[index.size] = write;
  return { start, list: list.subarray(0, write) };
}

/** Which rows a document's segments land in, and whose participants count. */
interface Layout {
  rows: MatrixRow[];
  /** Per document (index in source.documents): the rows it lands in. */
  rowsOfDocument: number[][];
  /** Per document: the participants (indices) the `participants` metric counts. */
  participantsOfDocument: number[][];
  /** For participant rows: each row's participant; the cell counts only them. */
  rowParticipant: number[] | null;
  /** Per document: its case (index), or -1. */
  caseOfDocument: number[];
}

type Measure = 'segments' | 'cases' | 'participants' | 'words';

interface Tally {
  cells: number[][];
  rowTotals: number[];
  columnTotals: number[];
  grandTotal: number;
}

interface Engine {
  source: MatrixSource;
  index: CodingIndex;
  columns: readonly MatrixColumn[];
  columnsOf: ColumnIndex;
  layout: Layout;
}

const NO_ROWS: readonly number[] = [];
const rowsOf = (e: Engine, s: number): readonly number[] => {
  const d = e.index.documentOf[s]!;
  return d >= 0 ? e.layout.rowsOfDocument[d]! : NO_ROWS;
};

const grid = (rows: number, columns: number): number[][] => Array.from({ length: rows }, () => new Array<number>(columns).fill(0));

function tallySegments(e: Engine): Tally {
  const R = e.layout.rows.length;
  const C = e.columns.length;
  const t: Tally = { cells: grid(R, C), rowTotals: new Array<number>(R).fill(0), columnTotals: new Array<number>(C).fill(0), grandTotal: 0 };
  const { start, list } = e.columnsOf;
  for (let s = 0; s < e.index.size; s += 1) {
    const rows = rowsOf(e, s);
    const from = start[s]!;
    const to = start[s + 1]!;
    if (rows.length === 0 || to === from) continue;
    for (const r of rows) {
      t.rowTotals[r]! += 1;
      const line = t.cells[r]!;
      for (let i = from; i < to; i += 1) line[list[i]!]! += 1;
    }
    for (let i = from; i < to; i += 1) t.columnTotals[list[i]!]! += 1;
    t.grandTotal += 1;
  }
  return t;
}

/** Distinct things (cases or participants) per cell, row, column and overall. */
function tallyDistinct(e: Engine, thingsOf: (d: number, r: number) => readonly number[]): Tally {
  const R = e.layout.rows.length;
  const C = e.columns.length;
  const cellSets = new Map<number, Set<number>>();
  const rowSets = Array.from({ length: R }, () => new Set<number>());
  const columnSets = Array.from({ length: C }, () => new Set<number>());
  const all = new Set<number>();
  const seen = new Set<number>();
  const { start, list } = e.columnsOf;
  for (let s = 0; s < e.index.size; s += 1) {
    const d = e.index.documentOf[s]!;
    const rows = rowsOf(e, s);
    if (rows.length === 0) continue;
    for (let i = start[s]!; i < start[s + 1]!; i += 1) {
      const c = list[i]!;
      const key = d * C + c;
      if (seen.has(key)) continue;
      seen.add(key);
      for (const r of rows) {
        const things = thingsOf(d, r);
        if (things.length === 0) continue;
        let set = cellSets.get(r * C + c);
        if (!set) cellSets.set(r * C + c, (set = new Set()));
        for (const x of things) {
          set.add(x);
          rowSets[r]!.add(x);
          columnSets[c]!.add(x);
          all.add(x);
        }
      }
    }
  }
  const cells = grid(R, C);
  for (const [key, set] of cellSets) cells[Math.floor(key / C)]![key % C] = set.size;
  return { cells, rowTotals: rowSets.map((s) => s.size), columnTotals: columnSets.map((s) => s.size), grandTotal: all.size };
}

// Words of a union of ranges. Each document's coverage (the union of all its segments,
// rebuilt from their text) is cut at every segment boundary into pieces, and each piece is
// summarised once per source: its words and whether it starts or ends inside a word. The
// words of any union of segments are then a fold over its pieces, never a new pass over text.

/** Character classes: PART can be inside a word (apostrophes, hyphens), LETTER can also start one (letters, digits), as in `countWords`. */
const PART = 1;
const LETTER = 2;
const WORD_CHAR = /^[\p{L}\p{N}]$/u;
const classes = new Map<number, number>();
const ASCII_CLASSES = Uint8Array.from({ length: 128 }, (_, cp) => ((cp >= 48 && cp <= 57) || (cp >= 65 && cp <= 90) || (cp >= 97 && cp <= 122) ? LETTER : cp === 39 || cp === 45 ? PART : 0));

/** The class of a code point at or above 128. */
function classOf(cp: number): number {
  if (cp === 0x2019) return PART;
  let c = classes.get(cp);
  if (c === undefined) classes.set(cp, (c = WORD_CHAR.test(String.fromCodePoint(cp)) ? LETTER : 0));
  return c;
}

// Piece flags.
const LEAD_PART = 1; // starts with a word character
const LEAD_LETTER = 2; // …and that first run holds a letter or digit
const TRAIL_PART = 4;
const TRAIL_LETTER = 8;
const ALL_PART = 16; // non-empty and word characters only

/** Words and flags of `text[from, to)`, packed as `words * 32 + flags`. */
function summarise(text: string, from: number, to: number): number {
  let words = 0;
  let flags = 0;
  let inRun = false;
  let runHasLetter = false;
  let runFromStart = false;
  for (let i = from; i < to; i += 1) {
    const at = i;
    let cp = text.charCodeAt(i);
    let c: number;
    if (cp < 128) c = ASCII_CLASSES[cp]!;
    else {
      if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < to) {
        const low = text.charCodeAt(i + 1);
        if (low >= 0xdc00 && low <= 0xdfff) {
          cp = (cp - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
          i += 1;
        }
      }
      c = cp >= 0xd800 && cp <= 0xdfff ? 0 : classOf(cp);
    }
    if (c !== 0) {
      if (!inRun) {
        inRun = true;
        runHasLetter = false;
        runFromStart = at === from;
        if (runFromStart) flags |= LEAD_PART;
      }
      if (c === LETTER && !runHasLetter) {
        runHasLetter = true;
        words += 1;
      }
    } else if (inRun) {
      if (runFromStart && runHasLetter) flags |= LEAD_LETTER;
      inRun = false;
    }
  }
  if (inRun) {
    flags |= TRAIL_PART | (runHasLetter ? TRAIL_LETTER : 0);
    if (runFromStart) flags |= ALL_PART | (runHasLetter ? LEAD_LETTER : 0);
  }
  return words * 32 + flags;
}

/** The first index in `starts[lo, hi)` whose value is at least `position` (hi when none). */
function firstAtOrAfter(starts: readonly number[], lo: number, hi: number, position: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid]! < position) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface WordPieces {
  /** Per source segment: its rank in (document, start, end) order; and back. */
  rank: Int32Array;
  byRank: Int32Array;
  /** Per source segment: a number for its document (by id, so unknown documents stay apart). */
  group: Int32Array;
  /** Per source segment: its pieces, `pieceFrom[s]` up to (not including) `pieceTo[s]`. */
  pieceFrom: Int32Array;
  pieceTo: Int32Array;
  words: Int32Array;
  flags: Uint8Array;
}

const wordPieces = memoiseBySource(
  (source): WordPieces => {
    const segments = source.segments;
    const n = segments.length;
    const groups = new Map<Guid, number>();
    const group = Int32Array.from(segments, (s) => {
      let g = groups.get(s.documentId);
      if (g === undefined) groups.set(s.documentId, (g = groups.size));
      return g;
    });
    const byRank = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => group[a]! - group[b]! || segments[a]!.start - segments[b]!.start || segments[a]!.end - segments[b]!.end || a - b);
    const rank = new Int32Array(n);
    byRank.forEach((s, r) => (rank[s] = r));
    const pieceFrom = new Int32Array(n);
    const pieceTo = new Int32Array(n);
    const words: number[] = [];
    const flags: number[] = [];
    const pieceStarts: number[] = [];

    // Sweep blocks of overlapping or touching segments; cut each block at every boundary.
    const cuts: number[] = [];
    let r = 0;
    while (r < n) {
      const first = byRank[r]!;
      const blockStart = segments[first]!.start;
      let reach = blockStart;
      let text = '';
      const members: number[] = [];
      while (r < n) {
        const s = byRank[r]!;
        const { start, end, text: own } = segments[s]!;
        if (members.length > 0 && (group[s] !== group[first] || start > reach)) break;
        const length = Math.max(0, end - start);
        const exact = own.length >= length ? own.slice(0, length) : own + ' '.repeat(length - own.length);
        if (end > reach) {
          text += exact.slice(reach - start);
          reach = end;
        }
        members.push(s);
        r += 1;
      }
      cuts.length = 0;
      for (const s of members) cuts.push(segments[s]!.start, Math.max(segments[s]!.start, segments[s]!.end));
      cuts.sort((x, y) => x - y);
      const firstPiece = pieceStarts.length;
      let previous = cuts[0]!;
      for (let i = 1; i < cuts.length; i += 1) {
        const cut = cuts[i]!;
        if (cut === previous) continue;
        const packed = summarise(text, previous - blockStart, cut - blockStart);
        pieceStarts.push(previous);
        words.push(Math.floor(packed / 32));
        flags.push(packed % 32);
        previous = cut;
      }
      const lastPiece = pieceStarts.length;
      for (const s of members) {
        pieceFrom[s] = firstAtOrAfter(pieceStarts, firstPiece, lastPiece, segments[s]!.start);
        pieceTo[s] = Math.max(pieceFrom[s]!, firstAtOrAfter(pieceStarts, firstPiece, lastPiece, segments[s]!.end));
      }
    }
    return { rank, byRank, group, pieceFrom, pieceTo, words: Int32Array.from(words), flags: Uint8Array.from(flags) };
  },
  (s) => [s.segments, s.segments.length],
);

/** Words of consecutive pieces read as one text. */
function foldWords(p: WordPieces, from: number, to: number): number {
  let words = 0;
  let flags = 0;
  let empty = true;
  for (let i = from; i < to; i += 1) {
    const w = p.words[i]!;
    const f = p.flags[i]!;
    if (empty) {
      words = w;
      flags = f;
      empty = false;
      continue;
    }
    const joined = (flags & TRAIL_PART) !== 0 && (f & LEAD_PART) !== 0;
    words += w - (joined && (flags & TRAIL_LETTER) !== 0 && (f & LEAD_LETTER) !== 0 ? 1 : 0);
    let next = 0;
    if (flags & ALL_PART) next |= LEAD_PART | ((flags & LEAD_LETTER) !== 0 || (joined && (f & LEAD_LETTER) !== 0) ? LEAD_LETTER : 0);
    else next |= flags & (LEAD_PART | LEAD_LETTER);
    if (f & ALL_PART) next |= TRAIL_PART | ((f & TRAIL_LETTER) !== 0 || (joined && (flags & TRAIL_LETTER) !== 0) ? TRAIL_LETTER : 0);
    else next |= f & (TRAIL_PART | TRAIL_LETTER);
    if (flags & ALL_PART && f & ALL_PART) next |= ALL_PART;
    flags = next;
  }
  return words;
}

/** Words in the union of the ranges of coded segments (ordinals, each once). */
function unionWords(source: MatrixSource, index: CodingIndex, ordinals: readonly number[]): number {
  if (ordinals.length === 0) return 0;
  const p = wordPieces(source);
  const ranks = Int32Array.from(ordinals, (o) => p.rank[index.segmentAt[o]!]!).sort();
  const segments = source.segments;
  let words = 0;
  let group = -1;
  let reach = 0;
  let from = 0;
  let to = 0;
  for (const r of ranks) {
    const s = p.byRank[r]!;
    const { start, end } = segments[s]!;
    if (p.group[s] === group && start <= reach) {
      if (end > reach) reach = end;
      if (p.pieceTo[s]! > to) to = p.pieceTo[s]!;
      continue;
    }
    words += foldWords(p, from, to);
    group = p.group[s]!;
    reach = end;
    from = p.pieceFrom[s]!;
    to = p.pieceTo[s]!;
  }
  return words + foldWords(p, from, to);
}

function tallyWords(e: Engine): Tally {
  const R = e.layout.rows.length;
  const C = e.columns.length;
  const cellLists = new Map<number, number[]>();
  const rowLists = Array.from({ length: R }, (): number[] => []);
  const columnLists = Array.from({ length: C }, (): number[] => []);
  const all: number[] = [];
  const { start, list } = e.columnsOf;
  for (let s = 0; s < e.index.size; s += 1) {
    const rows = rowsOf(e, s);
    const from = start[s]!;
    const to = start[s + 1]!;
    if (rows.length === 0 || to === from) continue;
    for (const r of rows) {
      rowLists[r]!.push(s);
      for (let i = from; i < to; i += 1) {
        const key = r * C + list[i]!;
        const cell = cellLists.get(key);
        if (cell) cell.push(s);
        else cellLists.set(key, [s]);
      }
    }
    for (let i = from; i < to; i += 1) columnLists[list[i]!]!.push(s);
    all.push(s);
  }
  const count = (ordinals: readonly number[]) => unionWords(e.source, e.index, ordinals);
  const cells = grid(R, C);
  for (const [key, ordinals] of cellLists) cells[Math.floor(key / C)]![key % C] = count(ordinals);
  return { cells, rowTotals: rowLists.map(count), columnTotals: columnLists.map(count), grandTotal: count(all) };
}

function tally(e: Engine, measure: Measure): Tally {
  switch (measure) {
    case 'segments':
      return tallySegments(e);
    case 'words':
      return tallyWords(e);
    case 'participants':
      return tallyDistinct(e, (d, r) => (e.layout.rowParticipant ? [e.layout.rowParticipant[r]!] : e.layout.participantsOfDocument[d]!));
    case 'cases':
      return tallyDistinct(e, (d) => (e.layout.caseOfDocument[d]! >= 0 ? [e.layout.caseOfDocument[d]!] : []));
  }
}

function baseLayout(source: MatrixSource, filters: MatrixFilters | undefined): Omit<Layout, 'rows' | 'rowsOfDocument' | 'rowParticipant'> & { participantIndex: Map<Guid, number>; caseIndex: Map<Guid, number> } {
  const participantIndex = new Map<Guid, number>();
  source.participants.forEach((p, i) => participantIndex.set(p.id, i));
  const caseIndex = new Map<Guid, number>();
  source.cases.forEach((c, i) => caseIndex.set(c.id, i));
  const counted = filters?.participantIds && filters.participantIds.length > 0 ? new Set(filters.participantIds) : null;
  const participantsOfDocument = source.documents.map((d) => {
    const out: number[] = [];
    for (const id of d.participantIds) {
      const p = participantIndex.get(id);
      if (p !== undefined && (!counted || counted.has(id)) && !out.includes(p)) out.push(p);
    }
    return out;
  });
  const caseOfDocument = source.documents.map((d) => (d.caseId === null ? -1 : (caseIndex.get(d.caseId) ?? -1)));
  return { participantsOfDocument, caseOfDocument, participantIndex, caseIndex };
}

const listedSet = (ids: readonly Guid[] | undefined): ReadonlySet<Guid> | null => (ids && ids.length > 0 ? new Set(ids) : null);

function rowLayout(source: MatrixSource, dimension: RowDimension, filters: MatrixFilters | undefined): Layout {
  const base = baseLayout(source, filters);
  const rowsOfDocument: number[][] = source.documents.map(() => []);
  let rows: MatrixRow[];
  let rowParticipant: number[] | null = null;
  if (dimension === 'case') {
    const only = listedSet(filters?.caseIds);
    const cases = source.cases.map((c, i) => ({ c, i })).filter(({ c }) => !only || only.has(c.id));
    cases.sort((a, b) => compareLabels(a.c.name, b.c.name) || compareText(a.c.id, b.c.id));
    const rowOfCase = new Map<number, number>();
    cases.forEach(({ i }, r) => rowOfCase.set(i, r));
    rows = cases.map(({ c }) => ({ key: `case:${c.id}`, label: c.name, size: 1 }));
    base.caseOfDocument.forEach((k, d) => {
      const r = rowOfCase.get(k);
      if (r !== undefined) rowsOfDocument[d]!.push(r);
    });
  } else if (dimension === 'participant') {
    const only = listedSet(filters?.participantIds);
    const people = source.participants.map((p, i) => ({ p, i })).filter(({ p }) => !only || only.has(p.id));
    people.sort((a, b) => compareLabels(a.p.pseudonym, b.p.pseudonym) || compareText(a.p.id, b.p.id));
    const rowOf = new Map<number, number>();
    people.forEach(({ i }, r) => rowOf.set(i, r));
    rows = people.map(({ p }) => ({ key: `participant:${p.id}`, label: p.pseudonym, size: 1 }));
    rowParticipant = people.map(({ i }) => i);
    source.documents.forEach((doc, d) => {
      for (const id of doc.participantIds) {
        const r = rowOf.get(base.participantIndex.get(id) ?? -1);
        if (r !== undefined && !rowsOfDocument[d]!.includes(r)) rowsOfDocument[d]!.push(r);
      }
    });
  } else {
    const passes = documentFilter(source, filters);
    const docs = source.documents.map((doc, i) => ({ doc, i })).filter(({ doc }) => !passes || passes(doc.id));
    docs.sort((a, b) => compareLabels(a.doc.title, b.doc.title) || compareText(a.doc.id, b.doc.id));
    rows = docs.map(({ doc }) => ({ key: `document:${doc.id}`, label: doc.title, size: 1 }));
    docs.forEach(({ i }, r) => rowsOfDocument[i]!.push(r));
  }
  return { rows, rowsOfDocument, rowParticipant, participantsOfDocument: base.participantsOfDocument, caseOfDocument: base.caseOfDocument };
}

// ---------------------------------------------------------------------------------------------
// Rounding and settings lines

const round = (value: number, decimals: number): number => {
  const f = 10 ** decimals;
  const r = Math.round(value * f) / f;
  return Object.is(r, -0) ? 0 : r;
};
const percent = (part: number, whole: number): number => (whole > 0 ? round((part / whole) * 100, 1) : 0);
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** What the columns are, in words: how many codes, which groups are collapsed, whether sub-codes count. */
export function describeColumns(columns: readonly MatrixColumn[]): string[] {
  const codes = columns.filter((c) => c.level === 'code');
  const groups = columns.filter((c) => c.level !== 'code');
  const lines = [`Columns: ${plural(codes.length, 'code')}${groups.length > 0 ? `, ${plural(groups.length, 'collapsed group')}` : ''}`];
  if (groups.length > 0) lines.push(`Collapsed: ${groups.map((g) => g.namePath.join(' > ')).join('; ')} (each counts the union of its codes’ segments)`);
  if (codes.some((c) => c.codeIds.length > 1)) lines.push('Sub-codes: counted with their parent codes');
  return lines;
}

const ROW_NAMES: Record<RowDimension, [string, string]> = { case: ['case', 'cases'], participant: ['participant', 'participants'], document: ['document', 'documents'] };

const TOTALS_NOTES: Record<MatrixMetric, string> = {
  segments: 'distinct segments (a segment in several columns or rows counts once; totals are not sums)',
  participants: 'distinct participants (not sums)',
  presence: 'number of cells where the code appears',
  share: 'share of the row’s codings in the union of the columns (not sums)',
  words: 'words in the union of the coded ranges (overlaps counted once; not sums)',
};

function filterLines(source: MatrixSource, filters: MatrixFilters | undefined): string[] {
  const lines = describeFilters(source, filters);
  return lines.length > 0 ? lines.map((l) => `Filter: ${l}`) : ['Filters: none'];
}

// ---------------------------------------------------------------------------------------------
// Cases (participants, documents) × codes

export interface MatrixSortBy {
  /** A column's index in the returned matrix (after empty columns are hidden), the row label, or the row total. */
  column: number | 'label' | 'total';
  descending: boolean;
}

export interface CaseByCodeRequest {
  rows: RowDimension;
  metric: MatrixMetric;
  columns: readonly MatrixColumn[];
  filters?: MatrixFilters;
  /** Hide rows (columns) without any coded segment. Hidden rows and columns are empty, so totals do not change. */
  hideEmptyRows?: boolean;
  hideEmptyColumns?: boolean;
  /** Ties go by row label, then by the default order. */
  sortBy?: MatrixSortBy;
}

function engine(source: MatrixSource, columns: readonly MatrixColumn[], filters: MatrixFilters | undefined, layout: Layout, index = indexCodings(source, filters)): Engine {
  return { source, index, columns, columnsOf: columnsOfSegments(source, index, columns), layout };
}

export function caseByCodeMatrix(source: MatrixSource, request: CaseByCodeRequest): Matrix {
  const { metric, columns, filters } = request;
  const layout = rowLayout(source, request.rows, filters);
  const e = engine(source, columns, filters, layout);
  const segments = tallySegments(e);
  const R = layout.rows.length;
  const C = columns.length;

  let t: Tally;
  if (metric === 'segments') t = segments;
  else if (metric === 'presence') {
    const cells = segments.cells.map((line) => line.map((n): number => (n > 0 ? 1 : 0)));
    const columnTotals = new Array<number>(C).fill(0);
    for (const line of cells) line.forEach((v, c) => (columnTotals[c]! += v));
    const rowTotals = cells.map((line) => line.reduce((a, b) => a + b, 0));
    t = { cells, rowTotals, columnTotals, grandTotal: rowTotals.reduce((a, b) => a + b, 0) };
  } else if (metric === 'share') {
    const rowPairs = new Array<number>(R).fill(0);
    let allPairs = 0;
    for (let s = 0; s < e.index.size; s += 1) {
      const rows = rowsOf(e, s);
      if (rows.length === 0) continue;
      const pairs = e.index.codeStart[s + 1]! - e.index.codeStart[s]!;
      for (const r of rows) rowPairs[r]! += pairs;
      allPairs += pairs;
    }
    t = {
      cells: segments.cells.map((line, r) => line.map((n) => percent(n, rowPairs[r]!))),
      rowTotals: segments.rowTotals.map((n, r) => percent(n, rowPairs[r]!)),
      columnTotals: segments.columnTotals.map((n) => percent(n, allPairs)),
      grandTotal: percent(segments.grandTotal, allPairs),
    };
  } else t = tally(e, metric);

  // Hide empty rows and columns (by coded segments), then sort.
  let rowOrder = layout.rows.map((_, r) => r).filter((r) => !request.hideEmptyRows || segments.rowTotals[r]! > 0);
  const columnOrder = columns.map((_, c) => c).filter((c) => !request.hideEmptyColumns || segments.columnTotals[c]! > 0);
  const hiddenRows = R - rowOrder.length;
  const hiddenColumns = C - columnOrder.length;
  const sortBy = request.sortBy;
  let sortLine: string | null = null;
  if (sortBy) {
    const column = typeof sortBy.column === 'number' ? columnOrder[sortBy.column] : undefined;
    const value = (r: number): number => (sortBy.column === 'total' ? t.rowTotals[r]! : column !== undefined ? t.cells[r]![column]! : 0);
    const sign = sortBy.descending ? -1 : 1;
    if (sortBy.column === 'label') rowOrder = [...rowOrder].sort((a, b) => sign * (compareLabels(layout.rows[a]!.label, layout.rows[b]!.label) || a - b));
    else if (sortBy.column === 'total' || column !== undefined) rowOrder = [...rowOrder].sort((a, b) => sign * (value(a) - value(b)) || compareLabels(layout.rows[a]!.label, layout.rows[b]!.label) || a - b);
    const what = sortBy.column === 'label' ? 'row label' : sortBy.column === 'total' ? 'row total' : column !== undefined ? columns[column]!.namePath.join(' > ') : null;
    if (what !== null) sortLine = `Sorted by: ${what}, ${sortBy.descending ? 'descending' : 'ascending'}`;
  }

  const cells = rowOrder.map((r) => columnOrder.map((c) => t.cells[r]![c]!));
  const [one, many] = ROW_NAMES[request.rows];
  const settings = [`Rows: ${many} (${rowOrder.length})`, `Metric: ${METRIC_LABELS[metric]}`, ...describeColumns(columnOrder.map((c) => columns[c]!)), ...filterLines(source, filters)];
  if (hiddenRows > 0 || hiddenColumns > 0) {
    settings.push(`Hidden: ${[hiddenRows > 0 ? plural(hiddenRows, 'empty row') : '', hiddenColumns > 0 ? plural(hiddenColumns, 'empty column') : ''].filter(Boolean).join(', ')}`);
  }
  if (request.rows !== 'document') {
    let leftOut = 0;
    for (let s = 0; s < e.index.size; s += 1) {
      if (e.columnsOf.start[s + 1]! > e.columnsOf.start[s]! && rowsOf(e, s).length === 0) leftOut += 1;
    }
    if (leftOut > 0) settings.push(`Left out: ${plural(leftOut, 'coded segment')} in documents without ${request.rows === 'case' ? 'a listed case' : 'a listed participant'}`);
  }
  if (sortLine) settings.push(sortLine);
  settings.push(`Totals: ${TOTALS_NOTES[metric]}`);

  return {
    rowHeader: one,
    metric,
    rows: rowOrder.map((r) => layout.rows[r]!),
    columns: columnOrder.map((c) => columns[c]!),
    cells,
    rowTotals: rowOrder.map((r) => t.rowTotals[r]!),
    columnTotals: columnOrder.map((c) => t.columnTotals[c]!),
    grandTotal: t.grandTotal,
    max: cells.reduce((m, line) => line.reduce((a, b) => Math.max(a, b), m), 0),
    unit: metric === 'share' ? '%' : '',
    settings,
  };
}

// ---------------------------------------------------------------------------------------------
// Case-attribute groups × codes

export type AttributeMetric = 'segments' | 'presence' | 'participants' | 'words';

export interface AttributeByCodeRequest {
  /** An attribute's id, or `openness:<component>` for a component of the openness profile. */
  attributeId: Guid;
  /** `presence` counts the cases of the group where the column's codes appear. */
  metric: AttributeMetric;
  /** Divide by the group's number of cases (two decimals). */
  normalise: boolean;
  columns: readonly MatrixColumn[];
  filters?: MatrixFilters;
  /** Two group keys: the matrix has exactly three rows, A, B and "A − B". Ignored unless both are groups. */
  compare?: readonly [string, string];
}

export const NO_VALUE_KEY = '(no value)';
export const NO_VALUE_LABEL = '(no value)';
export const DIFFERENCE_KEY = '(difference)';

export interface AttributeGroup {
  /** The value as text (`String(value)`; booleans "true"/"false"), or NO_VALUE_KEY. */
  key: string;
  label: string;
  /** The group's cases (within the case filter), in source order. */
  caseIds: Guid[];
}

const OPENNESS_PREFIX = 'openness:';
const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** The attribute's name (or the openness component's label), or null when unknown. */
export function attributeName(source: Pick<MatrixSource, 'attributes'>, attributeId: string): string | null {
  if (attributeId.startsWith(OPENNESS_PREFIX)) return OPENNESS_LABELS[attributeId.slice(OPENNESS_PREFIX.length) as OpennessComponent] ?? null;
  return source.attributes.find((a) => a.id === attributeId)?.name ?? null;
}

/**
 * The groups of cases by an attribute's value: category values in their defined order (all
 * of them, empty ones too, then any other values found), other types by sorted distinct
 * values (numbers by value), booleans Yes then No, an openness component's four levels; then
 * "(no value)" when some case has none (null, missing or ""). Cases outside the case filter
 * are in no group.
 */
export function attributeGroups(source: Pick<MatrixSource, 'attributes' | 'cases'>, attributeId: string, filters?: MatrixFilters): AttributeGroup[] {
  const only = listedSet(filters?.caseIds);
  const cases = source.cases.filter((c) => !only || only.has(c.id));
  const openness = attributeId.startsWith(OPENNESS_PREFIX) ? attributeId.slice(OPENNESS_PREFIX.length) : null;
  const definition = openness === null ? source.attributes.find((a) => a.id === attributeId) : undefined;
  if (openness === null && !definition) return [];
  const valueOf = (c: MatrixSource['cases'][number]): string | number | boolean | null => {
    const v = openness !== null ? c.openness[openness] : c.attributes[attributeId];
    return v === undefined || v === null || v === '' ? null : v;
  };
  const members = new Map<string, Guid[]>();
  const values = new Map<string, string | number | boolean>();
  const none: Guid[] = [];
  for (const c of cases) {
    const v = valueOf(c);
    if (v === null) {
      none.push(c.id);
      continue;
    }
    const key = String(v);
    values.set(key, v);
    const list = members.get(key);
    if (list) list.push(c.id);
    else members.set(key, [c.id]);
  }

  let keys: string[];
  let label = (key: string): string => key;
  const found = [...members.keys()];
  if (openness !== null) {
    keys = [...OPENNESS_LEVELS, ...found.filter((k) => !(OPENNESS_LEVELS as readonly string[]).includes(k)).sort(compareLabels)];
    label = capitalise;
  } else if (definition!.type === 'category') {
    keys = [...definition!.values, ...found.filter((k) => !definition!.values.includes(k)).sort(compareLabels)];
  } else if (definition!.type === 'boolean') {
    keys = [...['true', 'false'].filter((k) => members.has(k)), ...found.filter((k) => k !== 'true' && k !== 'false').sort(compareLabels)];
    label = (key) => (key === 'true' ? 'Yes' : key === 'false' ? 'No' : key);
  } else if (definition!.type === 'number') {
    const num = (k: string) => {
      const v = values.get(k);
      return typeof v === 'number' ? v : Number(k);
    };
    keys = found.sort((a, b) => {
      const x = num(a);
      const y = num(b);
      return Number.isNaN(x) || Number.isNaN(y) ? (Number.isNaN(x) ? 1 : 0) - (Number.isNaN(y) ? 1 : 0) || compareLabels(a, b) : x - y || compareLabels(a, b);
    });
  } else keys = found.sort(compareLabels);

  const groups = keys.map((key) => ({ key, label: label(key), caseIds: members.get(key) ?? [] }));
  if (none.length > 0) groups.push({ key: NO_VALUE_KEY, label: NO_VALUE_LABEL, caseIds: none });
  return groups;
}

function groupLayout(source: MatrixSource, groups: readonly AttributeGroup[], filters: MatrixFilters | undefined): Layout {
  const base = baseLayout(source, filters);
  const rowOfCase = new Map<number, number>();
  groups.forEach((g, r) => {
    for (const id of g.caseIds) {
      const k = base.caseIndex.get(id);
      if (k !== undefined) rowOfCase.set(k, r);
    }
  });
  return {
    rows: groups.map((g) => ({ key: g.key, label: g.label, size: g.caseIds.length })),
    rowsOfDocument: base.caseOfDocument.map((k) => {
      const r = rowOfCase.get(k);
      return r === undefined ? [] : [r];
    }),
    rowParticipant: null,
    participantsOfDocument: base.participantsOfDocument,
    caseOfDocument: base.caseOfDocument,
  };
}

const ATTRIBUTE_METRIC_LABELS: Record<AttributeMetric, string> = {
  segments: METRIC_LABELS.segments,
  presence: 'Cases where the code appears',
  participants: METRIC_LABELS.participants,
  words: METRIC_LABELS.words,
};
const MEASURE_OF: Record<AttributeMetric, Measure> = { segments: 'segments', presence: 'cases', participants: 'participants', words: 'words' };

export function attributeByCodeMatrix(source: MatrixSource, request: AttributeByCodeRequest): Matrix {
  const { columns, filters, normalise, metric } = request;
  const all = attributeGroups(source, request.attributeId, filters);
  const a = request.compare ? all.find((g) => g.key === request.compare![0]) : undefined;
  const b = request.compare ? all.find((g) => g.key === request.compare![1]) : undefined;
  const compare = a && b && a !== b ? ([a, b] as const) : null;
  const groups = compare ? [...compare] : all;
  const layout = groupLayout(source, groups, filters);
  const t = tally(engine(source, columns, filters, layout), MEASURE_OF[metric]);

  const scale = (value: number, size: number): number => (normalise ? (size > 0 ? round(value / size, 2) : 0) : value);
  const totalSize = groups.reduce((n, g) => n + g.caseIds.length, 0);
  const rows: MatrixRow[] = [...layout.rows];
  const cells = t.cells.map((line, r) => line.map((v) => scale(v, rows[r]!.size)));
  const rowTotals = t.rowTotals.map((v, r) => scale(v, rows[r]!.size));
  if (compare) {
    rows.push({ key: DIFFERENCE_KEY, label: `${compare[0].label} − ${compare[1].label}`, size: 1 });
    cells.push(cells[0]!.map((v, c) => round(v - cells[1]![c]!, 2)));
    rowTotals.push(round(rowTotals[0]! - rowTotals[1]!, 2));
  }
  const name = attributeName(source, request.attributeId);
  const settings = [
    `Rows: cases grouped by ${name ?? 'an unknown attribute'} (${plural(groups.length, 'group')}; ${plural(totalSize, 'case')})`,
    `Metric: ${ATTRIBUTE_METRIC_LABELS[metric]}`,
    normalise ? 'Normalised: divided by the number of cases in the group (2 decimals)' : 'Normalised: no (raw counts)',
  ];
  if (compare) settings.push(`Compare: ${compare[0].label} with ${compare[1].label}; the last row is their difference`);
  settings.push(...describeColumns(columns), ...filterLines(source, filters));
  settings.push(`Totals: ${metric === 'presence' ? 'distinct cases' : TOTALS_NOTES[metric]}${compare ? '; column totals over the two groups' : ''}${normalise ? ', divided by the number of cases counted' : ''}`);
  return {
    rowHeader: name ?? 'attribute',
    metric,
    rows,
    columns: [...columns],
    cells,
    rowTotals,
    columnTotals: t.columnTotals.map((v) => scale(v, totalSize)),
    grandTotal: scale(t.grandTotal, totalSize),
    max: cells.reduce((m, line) => line.reduce((x, y) => Math.max(x, y), m), 0),
    unit: '',
    settings,
  };
}

// ---------------------------------------------------------------------------------------------
// The segments behind a cell

export interface CellSegment {
  segmentId: Guid;
  documentId: Guid;
  documentTitle: string;
  caseName: string | null;
  participantNames: string[];
  text: string;
  start: number;
  end: number;
  /** The cell's codes the segment carries (after filters). */
  codeIds: Guid[];
  /** Coders of those codings. */
  coderIds: Guid[];
  /** One of those codings (the earliest), to open the transcript at it. */
  codingId: Guid | null;
}

/** The coded segments (ordinals in `index`) as drill-down items, with only the counted codings of `codeIds`; sorted by document title, then start. */
export function toCellSegments(source: MatrixSource, index: CodingIndex, ordinals: Iterable<number>, codeIds: ReadonlySet<Guid>): CellSegment[] {
  const caseNames = new Map(source.cases.map((c) => [c.id, c.name]));
  const pseudonyms = new Map(source.participants.map((p) => [p.id, p.pseudonym]));
  const chosen = new Map<number, MatrixSource['codings'][number][]>();
  for (const o of ordinals) chosen.set(o, []);
  source.codings.forEach((coding, k) => {
    if (index.counted[k] !== 1 || !codeIds.has(coding.codeId)) return;
    chosen.get(index.ordinalOf[index.base.codingSegment[k]!]!)?.push(coding);
  });
  const out: CellSegment[] = [];
  for (const [o, codings] of chosen) {
    const segment = source.segments[index.segmentAt[o]!]!;
    const d = index.documentOf[o]!;
    const doc = d >= 0 ? source.documents[d] : undefined;
    const earliest = codings.reduce<(typeof codings)[number] | null>((best, c) => (!best || c.createdAt < best.createdAt || (c.createdAt === best.createdAt && c.id < best.id) ? c : best), null);
    out.push({
      segmentId: segment.id,
      documentId: segment.documentId,
      documentTitle: doc?.title ?? '',
      caseName: doc?.caseId ? (caseNames.get(doc.caseId) ?? null) : null,
      participantNames: (doc?.participantIds ?? []).map((id) => pseudonyms.get(id)).filter((n): n is string => n !== undefined),
      text: segment.text,
      start: segment.start,
      end: segment.end,
      codeIds: [...new Set(codings.map((c) => c.codeId))],
      coderIds: [...new Set(codings.map((c) => c.coderId))].sort(),
      codingId: earliest?.id ?? null,
    });
  }
  return out.sort((x, y) => compareLabels(x.documentTitle, y.documentTitle) || compareText(x.documentId, y.documentId) || x.start - y.start || x.end - y.end || compareText(x.segmentId, y.segmentId));
}

/**
 * The segments behind a cell of `caseByCodeMatrix` or `attributeByCodeMatrix` (the same
 * request): exactly the segments the `segments` metric counts there. A null row (column)
 * key means every row (column), as for totals; the "A − B" row of a comparison and unknown
 * keys have no segments.
 */
export function cellSegments(source: MatrixSource, request: CaseByCodeRequest | AttributeByCodeRequest, rowKey: string | null, columnKey: string | null): CellSegment[] {
  const { columns, filters } = request;
  let layout: Layout;
  if ('attributeId' in request) {
    const all = attributeGroups(source, request.attributeId, filters);
    const pair = request.compare ? all.filter((g) => g.key === request.compare![0] || g.key === request.compare![1]) : [];
    layout = groupLayout(source, pair.length === 2 ? pair : all, filters);
  } else layout = rowLayout(source, request.rows, filters);
  const row = rowKey === null ? null : layout.rows.findIndex((r) => r.key === rowKey);
  const column = columnKey === null ? null : columns.findIndex((c) => c.key === columnKey);
  if (row === -1 || column === -1) return [];
  const e = engine(source, columns, filters, layout);
  const ordinals: number[] = [];
  const { start, list } = e.columnsOf;
  for (let s = 0; s < e.index.size; s += 1) {
    const rows = rowsOf(e, s);
    const cols = list.subarray(start[s]!, start[s + 1]!);
    if ((row === null ? rows.length > 0 : rows.includes(row)) && (column === null ? cols.length > 0 : cols.includes(column))) ordinals.push(s);
  }
  const codeIds = new Set(column === null ? columns.flatMap((c) => c.codeIds) : columns[column]!.codeIds);
  return toCellSegments(source, e.index, ordinals, codeIds);
}
