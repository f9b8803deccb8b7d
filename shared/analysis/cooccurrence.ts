/**
 * Code co-occurrence (after MAXQDA's Code Relations Browser): codes × the same codes.
 *
 * Units and definitions, all symmetric:
 * - `segment`: a cell counts the segments that carry both codes; the diagonal a code's own
 *   segments. (Several coders applying a code to a segment make one (segment, code) pair.)
 * - `document`: documents where both codes occur; the diagonal a code's documents.
 * - `overlap`: the distinct segments, carrying A or B, that overlap (share at least one
 *   character with) a segment carrying the other code. A segment overlaps itself, so a
 *   segment carrying both codes counts (once); two different segments, one coded A and one
 *   coded B, that overlap count as two. The diagonal is a code's own segments. When A and B
 *   only ever meet on the same segments, `overlap` equals `segment`.
 * - `jaccard`: |A∩B| / |A∪B| in the mode's units, to three decimals: segments carrying both
 *   ÷ segments carrying either (`segment`); documents with both ÷ documents with either
 *   (`document`); the overlap count ÷ segments carrying either (`overlap`). The diagonal is 1
 *   for a code that occurs, 0 otherwise.
 * - Totals (symmetric, so row and column totals are equal): for counts, the units of the code
 *   that co-occur (in the mode's sense) with at least one other code of the matrix; the grand
 *   total, the units where two codes of the matrix co-occur. For jaccard, the same as a share
 *   of the code's units (grand: of all units with a code of the matrix), three decimals.
 * - `max` is the largest cell OFF the diagonal, so shading shows the co-occurrences rather
 *   than the codes' own counts (the diagonal is always at least as large in counts, and 1 in
 *   jaccard).
 *
 * Cost: one pass over the coded segments; per segment (document, or overlapping neighbour
 * set) the pairs of its codes. Never a pass per pair of codes.
 */
import type { CodeKind, Guid } from '../model/types.ts';
import { describeFilters, indexCodings, type CodingIndex } from './matrix-filters.ts';
import { codeColumns, codeColumnKey, toCellSegments, type CellSegment, type StageScope } from './matrix.ts';
import type { Matrix, MatrixColumn, MatrixFilters, MatrixSource } from './matrix-types.ts';

export type CooccurrenceMode = 'segment' | 'overlap' | 'document';
export type CooccurrenceMeasure = 'count' | 'jaccard';

export interface CooccurrenceRequest {
  mode: CooccurrenceMode;
  measure: CooccurrenceMeasure;
  filters?: MatrixFilters;
  stageId?: StageScope;
  kind?: CodeKind | 'all';
  /** Only these codes (kept in tree order); missing or empty: every code in the stage and kind. */
  codeIds?: readonly Guid[];
}

const MODE_LABELS: Record<CooccurrenceMode, string> = {
  segment: 'on the same segment',
  overlap: 'on overlapping segments (sharing at least one character)',
  document: 'in the same document',
};

const round3 = (value: number): number => Math.round(value * 1000) / 1000;
const ratio = (part: number, whole: number): number => (whole > 0 ? round3(part / whole) : 0);

function matrixCodes(source: MatrixSource, request: CooccurrenceRequest): MatrixColumn[] {
  const columns = codeColumns(source, { stageId: request.stageId ?? 'all', kind: request.kind ?? 'all' });
  if (!request.codeIds || request.codeIds.length === 0) return columns;
  const only = new Set(request.codeIds);
  return columns.filter((c) => only.has(c.codeIds[0]!));
}

/** Lists per unit (coded segment or document): `list[start[u]] … list[start[u + 1] - 1]`. */
interface Lists {
  start: Int32Array;
  list: Int32Array;
}

/** Per coded segment: the matrix's codes it carries (local indices, ascending). */
function localCodes(index: CodingIndex, codes: readonly MatrixColumn[]): Lists {
  const local = new Int32Array(index.base.codeIndex.size).fill(-1);
  codes.forEach((c, i) => {
    const global = index.base.codeIndex.get(c.codeIds[0]!);
    if (global !== undefined) local[global] = i;
  });
  const start = new Int32Array(index.size + 1);
  const list = new Int32Array(index.codes.length);
  let write = 0;
  for (let s = 0; s < index.size; s += 1) {
    start[s] = write;
    // Global codes are ascending and local indices follow tree order, so sort the few we keep.
    const from = write;
    for (let i = index.codeStart[s]!; i < index.codeStart[s + 1]!; i += 1) {
      const l = local[index.codes[i]!]!;
      if (l >= 0) list[write++] = l;
    }
    if (write - from > 1) list.subarray(from, write).sort();
  }
  start[index.size] = write;
  return { start, list: list.subarray(0, write) };
}

/** A number per document of the coded segments, by document id (unknown documents stay apart). */
function documentGroups(source: MatrixSource, index: CodingIndex): { group: Int32Array; count: number } {
  const unknown = new Map<Guid, number>();
  const known = source.documents.length;
  const group = new Int32Array(index.size);
  for (let s = 0; s < index.size; s += 1) {
    const d = index.documentOf[s]!;
    if (d >= 0) group[s] = d;
    else {
      const id = source.segments[index.segmentAt[s]!]!.documentId;
      let g = unknown.get(id);
      if (g === undefined) unknown.set(id, (g = known + unknown.size));
      group[s] = g;
    }
  }
  return { group, count: known + unknown.size };
}

interface Counts {
  /** Units per code. */
  own: Int32Array;
  /** pair[a * N + b] (a < b): co-occurrences. */
  pair: Int32Array;
  /** Units of each code that co-occur with another code. */
  together: Int32Array;
  /** Units where two codes co-occur; units with any code. */
  grandTogether: number;
  grandAny: number;
}

const newCounts = (n: number): Counts => ({ own: new Int32Array(n), pair: new Int32Array(n * n), together: new Int32Array(n), grandTogether: 0, grandAny: 0 });

/** Counts for units (segments or documents) given as lists of distinct codes, ascending. */
function countUnits({ start, list }: Lists, units: number, n: number): Counts {
  const k = newCounts(n);
  for (let u = 0; u < units; u += 1) {
    const from = start[u]!;
    const to = start[u + 1]!;
    if (to === from) continue;
    k.grandAny += 1;
    for (let i = from; i < to; i += 1) {
      const a = list[i]!;
      k.own[a]! += 1;
      for (let j = i + 1; j < to; j += 1) k.pair[a * n + list[j]!]! += 1;
    }
    if (to - from > 1) {
      k.grandTogether += 1;
      for (let i = from; i < to; i += 1) k.together[list[i]!]! += 1;
    }
  }
  return k;
}

/** The distinct codes of every transcript. */
function documentLists(source: MatrixSource, index: CodingIndex, codes: Lists, n: number): { lists: Lists; units: number } {
  const { group, count } = documentGroups(source, index);
  const seen = new Uint8Array(count * n);
  const perDocument: number[][] = Array.from({ length: count }, () => []);
  for (let s = 0; s < index.size; s += 1) {
    const g = group[s]!;
    for (let i = codes.start[s]!; i < codes.start[s + 1]!; i += 1) {
      const a = codes.list[i]!;
      if (seen[g * n + a] === 1) continue;
      seen[g * n + a] = 1;
      perDocument[g]!.push(a);
    }
  }
  const used = perDocument.filter((l) => l.length > 0);
  const start = new Int32Array(used.length + 1);
  const list = new Int32Array(used.reduce((m, l) => m + l.length, 0));
  let write = 0;
  used.forEach((l, u) => {
    start[u] = write;
    l.sort((x, y) => x - y);
    for (const a of l) list[write++] = a;
  });
  start[used.length] = write;
  return { lists: { start, list }, units: used.length };
}

/** Coded segments (ordinals with at least one matrix code) per document, sorted by start then end. */
function segmentsByDocument(source: MatrixSource, index: CodingIndex, codes: Lists): number[][] {
  const { group } = documentGroups(source, index);
  const byDocument = new Map<number, number[]>();
  for (let s = 0; s < index.size; s += 1) {
    if (codes.start[s + 1] === codes.start[s]) continue;
    const list = byDocument.get(group[s]!);
    if (list) list.push(s);
    else byDocument.set(group[s]!, [s]);
  }
  const seg = (s: number) => source.segments[index.segmentAt[s]!]!;
  return [...byDocument.values()].map((list) => list.sort((a, b) => seg(a).start - seg(b).start || seg(a).end - seg(b).end || a - b));
}

/**
 * Overlapping neighbours within one document's sorted segments (positions in `list`): a
 * sweep keeping the segments still open. Two segments overlap when they share a character.
 */
function neighbours(source: MatrixSource, index: CodingIndex, list: readonly number[]): number[][] {
  const seg = (s: number) => source.segments[index.segmentAt[s]!]!;
  const out: number[][] = list.map(() => []);
  let active: number[] = [];
  list.forEach((s, j) => {
    const { start, end } = seg(s);
    active = active.filter((p) => seg(list[p]!).end > start);
    if (end > start) {
      for (const p of active) {
        out[j]!.push(p);
        out[p]!.push(j);
      }
      active.push(j);
    }
  });
  return out;
}

function countOverlaps(source: MatrixSource, index: CodingIndex, codes: Lists, n: number): Counts {
  const k = newCounts(n);
  const codeStamp = new Int32Array(n).fill(-1);
  const pairStamp = new Int32Array(n * n).fill(-1);
  const near: number[] = [];
  for (const list of segmentsByDocument(source, index, codes)) {
    const nb = neighbours(source, index, list);
    list.forEach((s, j) => {
      near.length = 0;
      const take = (u: number) => {
        for (let i = codes.start[u]!; i < codes.start[u + 1]!; i += 1) {
          const b = codes.list[i]!;
          if (codeStamp[b] === s) continue;
          codeStamp[b] = s;
          near.push(b);
        }
      };
      take(s);
      for (const p of nb[j]!) take(list[p]!);
      k.grandAny += 1;
      const from = codes.start[s]!;
      const to = codes.start[s + 1]!;
      for (let i = from; i < to; i += 1) k.own[codes.list[i]!]! += 1;
      if (near.length < 2) return;
      k.grandTogether += 1;
      for (let i = from; i < to; i += 1) {
        const a = codes.list[i]!;
        k.together[a]! += 1;
        for (const b of near) {
          if (b === a) continue;
          const key = a < b ? a * n + b : b * n + a;
          if (pairStamp[key] === s) continue;
          pairStamp[key] = s;
          k.pair[key]! += 1;
        }
      }
    });
  }
  return k;
}

export function codeCooccurrence(source: MatrixSource, request: CooccurrenceRequest): Matrix {
  const codes = matrixCodes(source, request);
  const n = codes.length;
  const index = indexCodings(source, request.filters);
  const local = localCodes(index, codes);

  const bySegment = countUnits(local, index.size, n);
  let counts: Counts;
  if (request.mode === 'segment') counts = bySegment;
  else if (request.mode === 'overlap') counts = countOverlaps(source, index, local, n);
  else {
    const { lists, units } = documentLists(source, index, local, n);
    counts = countUnits(lists, units, n);
  }

  const jaccard = request.measure === 'jaccard';
  /** |A ∪ B| in the mode's units: segments in the segment and overlap modes, transcripts in the document mode. */
  const union = (a: number, b: number): number => {
    const base = request.mode === 'document' ? counts : bySegment;
    const both = a < b ? base.pair[a * n + b]! : base.pair[b * n + a]!;
    return base.own[a]! + base.own[b]! - both;
  };
  const cells = codes.map((_, a) =>
    codes.map((__, b) => {
      if (a === b) return jaccard ? (counts.own[a]! > 0 ? 1 : 0) : counts.own[a]!;
      const count = a < b ? counts.pair[a * n + b]! : counts.pair[b * n + a]!;
      return jaccard ? ratio(count, union(a, b)) : count;
    }),
  );
  const totals = codes.map((_, a) => (jaccard ? ratio(counts.together[a]!, counts.own[a]!) : counts.together[a]!));
  let max = 0;
  cells.forEach((line, a) => line.forEach((v, b) => a !== b && v > max && (max = v)));

  const unit = request.mode === 'document' ? 'documents' : 'segments';
  const filterLines = describeFilters(source, request.filters).map((l) => `Filter: ${l}`);
  const settings = [
    `Rows and columns: ${n} ${n === 1 ? 'code' : 'codes'}`,
    `Together: ${MODE_LABELS[request.mode]}`,
    `Measure: ${jaccard ? `Jaccard index (${unit} with both ÷ ${unit} with either${request.mode === 'overlap' ? '; both = segments of either code that overlap a segment of the other' : ''}; 3 decimals)` : request.mode === 'overlap' ? 'segments of either code that overlap a segment of the other' : `${unit} with both codes`}`,
    `Diagonal: each code’s own ${unit}`,
    ...(filterLines.length > 0 ? filterLines : ['Filters: none']),
    `Totals: ${jaccard ? `share of the code’s ${unit}` : unit} that co-occur with another code of the matrix`,
  ];
  return {
    rowHeader: 'code',
    metric: jaccard ? 'jaccard' : 'count',
    rows: codes.map((c) => ({ key: c.key, label: c.label, size: 1 })),
    columns: codes,
    cells,
    rowTotals: totals,
    columnTotals: [...totals],
    grandTotal: jaccard ? ratio(counts.grandTogether, counts.grandAny) : counts.grandTogether,
    max,
    unit: '',
    settings,
  };
}

/**
 * The segments behind a cell (row and column keys as in the matrix, `code:<id>`, or bare
 * code ids): on the diagonal the code's segments; `segment`: segments carrying both;
 * `overlap`: the segments the count counts; `document`: the segments carrying either code in
 * the documents where both occur (their distinct documents are the count). Each item's
 * `codeIds` are the cell's codes it carries. Sorted by document title, then start.
 */
export function cooccurrenceSegments(source: MatrixSource, request: CooccurrenceRequest, rowKey: string, columnKey: string): CellSegment[] {
  const idOf = (key: string) => (key.startsWith('code:') ? key.slice('code:'.length) : key);
  const a = idOf(rowKey);
  const b = idOf(columnKey);
  const codes = matrixCodes(source, request);
  if (!codes.some((c) => c.key === codeColumnKey(a)) || !codes.some((c) => c.key === codeColumnKey(b))) return [];
  const index = indexCodings(source, request.filters);
  const ga = index.base.codeIndex.get(a)!;
  const gb = index.base.codeIndex.get(b)!;
  const start = new Int32Array(index.size + 1);
  const list = new Int32Array(index.size * 2);
  let write = 0;
  for (let s = 0; s < index.size; s += 1) {
    start[s] = write;
    const carried = index.codes.subarray(index.codeStart[s]!, index.codeStart[s + 1]!);
    if (carried.includes(ga)) list[write++] = 0;
    if (gb !== ga && carried.includes(gb)) list[write++] = 1;
  }
  start[index.size] = write;
  const pair: Lists = { start, list };
  const has = (s: number, which: number) => pair.list.subarray(pair.start[s]!, pair.start[s + 1]!).includes(which);
  const chosen: number[] = [];
  if (a === b || request.mode === 'segment') {
    for (let s = 0; s < index.size; s += 1) if (has(s, 0) && (a === b || has(s, 1))) chosen.push(s);
  } else if (request.mode === 'document') {
    const { group, count } = documentGroups(source, index);
    const withA = new Uint8Array(count);
    const withB = new Uint8Array(count);
    for (let s = 0; s < index.size; s += 1) {
      if (has(s, 0)) withA[group[s]!] = 1;
      if (has(s, 1)) withB[group[s]!] = 1;
    }
    for (let s = 0; s < index.size; s += 1) if ((has(s, 0) || has(s, 1)) && withA[group[s]!] === 1 && withB[group[s]!] === 1) chosen.push(s);
  } else {
    for (const members of segmentsByDocument(source, index, pair)) {
      const nb = neighbours(source, index, members);
      members.forEach((s, j) => {
        const near = new Set<number>();
        for (const u of [s, ...nb[j]!.map((p) => members[p]!)]) for (let i = pair.start[u]!; i < pair.start[u + 1]!; i += 1) near.add(pair.list[i]!);
        if (near.size === 2) chosen.push(s);
      });
    }
  }
  return toCellSegments(source, index, chosen, new Set([a, b]));
}
