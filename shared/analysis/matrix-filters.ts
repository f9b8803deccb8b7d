/**
 * Which codings a comparison matrix counts. Every filter narrows: a coding counts when its
 * coder is among `coderIds` and its document passes every document filter (documents,
 * participants, cases, interview dates). An empty or missing list means "all".
 *
 * - Participants: a document passes when any of its participants is listed.
 * - Cases: by the document's case (a document without a case fails once cases are listed).
 * - Interview dates: a document's dates are its participants' `interviewDate` (yyyy-mm-dd;
 *   anything else counts as no date). It passes when any of them lies within the inclusive
 *   bounds; once a bound is set, a document without a date fails.
 */
import type { Guid } from '../model/types.ts';
import type { MatrixFilters, MatrixSource } from './matrix-types.ts';

type FilterSource = Pick<MatrixSource, 'participants' | 'documents'>;
type Coding = MatrixSource['codings'][number];

const DATE = /^\d{4}-\d{2}-\d{2}$/;

const listed = (ids: readonly Guid[] | undefined): ReadonlySet<Guid> | null => (ids && ids.length > 0 ? new Set(ids) : null);
const bound = (value: string | undefined): string | null => (value !== undefined && value.trim() !== '' ? value.trim() : null);

/** True when the filters restrict anything. */
export function hasFilters(filters: MatrixFilters | undefined): boolean {
  if (!filters) return false;
  return (
    (filters.coderIds?.length ?? 0) > 0 ||
    (filters.documentIds?.length ?? 0) > 0 ||
    (filters.participantIds?.length ?? 0) > 0 ||
    (filters.caseIds?.length ?? 0) > 0 ||
    bound(filters.from) !== null ||
    bound(filters.to) !== null
  );
}

/**
 * The test a document must pass (documents, participants, cases, interview dates), or null
 * when no document filter is set. Coder filters are not part of it: they act on codings.
 */
export function documentFilter(source: FilterSource, filters: MatrixFilters | undefined): ((documentId: Guid) => boolean) | null {
  const documents = listed(filters?.documentIds);
  const participants = listed(filters?.participantIds);
  const cases = listed(filters?.caseIds);
  const from = bound(filters?.from);
  const to = bound(filters?.to);
  if (!documents && !participants && !cases && from === null && to === null) return null;

  const dateOf = new Map<Guid, string>();
  for (const p of source.participants) if (DATE.test(p.interviewDate)) dateOf.set(p.id, p.interviewDate);
  const passing = new Set<Guid>();
  for (const d of source.documents) {
    if (documents && !documents.has(d.id)) continue;
    if (cases && (d.caseId === null || !cases.has(d.caseId))) continue;
    if (participants && !d.participantIds.some((p) => participants.has(p))) continue;
    if (from !== null || to !== null) {
      const inRange = d.participantIds.some((p) => {
        const date = dateOf.get(p);
        return date !== undefined && (from === null || date >= from) && (to === null || date <= to);
      });
      if (!inRange) continue;
    }
    passing.add(d.id);
  }
  return (documentId) => passing.has(documentId);
}

/** The codings that count under the filters (the same objects, in their order). */
export function filterCodings<C extends Coding>(source: FilterSource & { codings: readonly C[] }, filters?: MatrixFilters): C[] {
  const coders = listed(filters?.coderIds);
  const passes = documentFilter(source, filters);
  if (!coders && !passes) return [...source.codings];
  return source.codings.filter((c) => (!coders || coders.has(c.coderId)) && (!passes || passes(c.documentId)));
}

/**
 * The filters in words, one line per filter, with names rather than ids (for the settings
 * lines of an export): "Coders: Ana, Ben", "Interview dates: 2026-01-01 to 2026-03-31", …
 * An empty list when nothing is filtered. Ids the source does not know are shown as
 * "unknown <thing>". Coder names need `source.coders`.
 */
export function describeFilters(source: Pick<MatrixSource, 'participants' | 'documents' | 'cases' | 'coders'>, filters: MatrixFilters | undefined): string[] {
  if (!filters) return [];
  const lines: string[] = [];
  const add = <R extends { id: Guid }>(heading: string, ids: readonly Guid[] | undefined, records: readonly R[] | undefined, name: (r: R) => string, unknown: string) => {
    if (!ids || ids.length === 0) return;
    const byId = new Map((records ?? []).map((r) => [r.id, r]));
    lines.push(`${heading}: ${ids.map((id) => { const r = byId.get(id); return r ? name(r) : unknown; }).join(', ')}`);
  };
  add('Coders', filters.coderIds, source.coders, (c) => c.name, 'unknown coder');
  add('Documents', filters.documentIds, source.documents, (d) => d.title, 'unknown document');
  add('Participants', filters.participantIds, source.participants, (p) => p.pseudonym, 'unknown participant');
  add('Cases', filters.caseIds, source.cases, (c) => c.name, 'unknown case');
  const from = bound(filters.from);
  const to = bound(filters.to);
  if (from !== null && to !== null) lines.push(`Interview dates: ${from} to ${to}`);
  else if (from !== null) lines.push(`Interview dates: from ${from}`);
  else if (to !== null) lines.push(`Interview dates: until ${to}`);
  return lines;
}

/**
 * Lookups that depend only on the source (ids → indices, each coding's segment, code, coder
 * and document as numbers), built once per source object and kept in a WeakMap, so changing
 * a metric, a filter or a sort does not pay for them again. Sources are treated as
 * immutable: a changed study is a new source object (or new arrays).
 */
export interface SourceIndex {
  documentIndex: ReadonlyMap<Guid, number>;
  codeIndex: ReadonlyMap<Guid, number>;
  segmentIndex: ReadonlyMap<Guid, number>;
  /** Per source segment: its document's index, or -1. */
  segmentDocument: Int32Array;
  /** Per coding: its segment's, code's, coder's and document's index (-1 when unknown). */
  codingSegment: Int32Array;
  codingCode: Int32Array;
  codingCoder: Int32Array;
  codingDocument: Int32Array;
  coderIndex: ReadonlyMap<Guid, number>;
}

interface Cached<T> {
  keys: readonly unknown[];
  value: T;
}

/** Memoises `build(source)` per source object, checked against the arrays it was built from. */
export function memoiseBySource<T>(build: (source: MatrixSource) => T, keysOf: (source: MatrixSource) => readonly unknown[]): (source: MatrixSource) => T {
  const cache = new WeakMap<MatrixSource, Cached<T>>();
  return (source) => {
    const keys = keysOf(source);
    const hit = cache.get(source);
    if (hit && hit.keys.length === keys.length && hit.keys.every((k, i) => k === keys[i])) return hit.value;
    const value = build(source);
    cache.set(source, { keys, value });
    return value;
  };
}

export const sourceIndex = memoiseBySource(
  (source): SourceIndex => {
    const documentIndex = new Map<Guid, number>();
    source.documents.forEach((d, i) => documentIndex.set(d.id, i));
    const codeIndex = new Map<Guid, number>();
    source.codes.forEach((c, i) => codeIndex.set(c.id, i));
    const segmentIndex = new Map<Guid, number>();
    source.segments.forEach((s, i) => segmentIndex.set(s.id, i));
    const segmentDocument = Int32Array.from(source.segments, (s) => documentIndex.get(s.documentId) ?? -1);
    const n = source.codings.length;
    const codingSegment = new Int32Array(n);
    const codingCode = new Int32Array(n);
    const codingCoder = new Int32Array(n);
    const codingDocument = new Int32Array(n);
    const coderIndex = new Map<Guid, number>();
    source.codings.forEach((c, k) => {
      codingSegment[k] = segmentIndex.get(c.segmentId) ?? -1;
      codingCode[k] = codeIndex.get(c.codeId) ?? -1;
      let coder = coderIndex.get(c.coderId);
      if (coder === undefined) coderIndex.set(c.coderId, (coder = coderIndex.size));
      codingCoder[k] = coder;
      codingDocument[k] = documentIndex.get(c.documentId) ?? -1;
    });
    return { documentIndex, codeIndex, segmentIndex, segmentDocument, codingSegment, codingCode, codingCoder, codingDocument, coderIndex };
  },
  (s) => [s.documents, s.codes, s.segments, s.codings, s.documents.length, s.codes.length, s.segments.length, s.codings.length],
);

/**
 * The counted codings arranged by coded segment, which every matrix computes from: built
 * once per matrix, so no cell ever scans the codings. A coding counts when it passes the
 * filters and its segment and code are known; several coders applying the same code to the
 * same segment make one (segment, code) pair. Coded segments are numbered (ordinals) in the
 * source's segment order.
 */
export interface CodingIndex {
  base: SourceIndex;
  /** Number of coded segments. */
  size: number;
  /** Per coded segment: its index in `source.segments`. */
  segmentAt: Int32Array;
  /** Per coded segment: its document's index in `source.documents`, or -1 when unknown. */
  documentOf: Int32Array;
  /** The codes of coded segment s are `codes[codeStart[s]] … codes[codeStart[s + 1] - 1]`: distinct indices into `source.codes`, ascending. */
  codeStart: Int32Array;
  codes: Int32Array;
  /** Per coding (index into `source.codings`): 1 when it counts. */
  counted: Uint8Array;
  /** Per source segment: its ordinal among the coded segments, or -1. */
  ordinalOf: Int32Array;
}

export function indexCodings(source: MatrixSource, filters?: MatrixFilters): CodingIndex {
  const base = sourceIndex(source);
  const n = source.codings.length;
  const segmentCount = source.segments.length;

  let coderAllowed: Uint8Array | null = null;
  if (filters?.coderIds && filters.coderIds.length > 0) {
    coderAllowed = new Uint8Array(base.coderIndex.size);
    for (const id of filters.coderIds) {
      const i = base.coderIndex.get(id);
      if (i !== undefined) coderAllowed[i] = 1;
    }
  }
  const passes = documentFilter(source, filters);
  const documentAllowed = passes ? Uint8Array.from(source.documents, (d) => (passes(d.id) ? 1 : 0)) : null;

  const counted = new Uint8Array(n);
  const perSegment = new Int32Array(segmentCount + 1);
  for (let k = 0; k < n; k += 1) {
    const segment = base.codingSegment[k]!;
    if (segment < 0 || base.codingCode[k]! < 0) continue;
    if (coderAllowed && coderAllowed[base.codingCoder[k]!] !== 1) continue;
    if (documentAllowed) {
      const d = base.codingDocument[k]!;
      if (d < 0 || documentAllowed[d] !== 1) continue;
    }
    counted[k] = 1;
    perSegment[segment + 1]! += 1;
  }
  // Bucket the counted codes by segment (counting sort), then sort and de-duplicate each bucket.
  for (let s = 0; s < segmentCount; s += 1) perSegment[s + 1]! += perSegment[s]!;
  const bucket = new Int32Array(perSegment[segmentCount]!);
  const fill = perSegment.slice(0, segmentCount);
  for (let k = 0; k < n; k += 1) if (counted[k] === 1) bucket[fill[base.codingSegment[k]!]!++] = base.codingCode[k]!;

  const ordinalOf = new Int32Array(segmentCount).fill(-1);
  let size = 0;
  for (let s = 0; s < segmentCount; s += 1) if (perSegment[s + 1]! > perSegment[s]!) ordinalOf[s] = size++;
  const segmentAt = new Int32Array(size);
  const documentOf = new Int32Array(size);
  const codeStart = new Int32Array(size + 1);
  const codes = new Int32Array(bucket.length);
  let write = 0;
  for (let s = 0; s < segmentCount; s += 1) {
    const from = perSegment[s]!;
    const to = perSegment[s + 1]!;
    if (to === from) continue;
    const o = ordinalOf[s]!;
    segmentAt[o] = s;
    documentOf[o] = base.segmentDocument[s]!;
    codeStart[o] = write;
    if (to - from > 1) bucket.subarray(from, to).sort();
    for (let i = from; i < to; i += 1) if (i === from || bucket[i] !== bucket[i - 1]) codes[write++] = bucket[i]!;
  }
  codeStart[size] = write;
  return { base, size, segmentAt, documentOf, codeStart, codes: codes.subarray(0, write), counted, ordinalOf };
}

/** The codes (indices into `source.codes`) of coded segment `s`. */
export function codesOfSegment(index: CodingIndex, s: number): Int32Array {
  return index.codes.subarray(index.codeStart[s]!, index.codeStart[s + 1]!);
}
