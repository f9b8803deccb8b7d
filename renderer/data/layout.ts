/**
 * How codings are stored: inside the segment they code, as REFI-QDA nests <Coding> in
 * <PlainTextSelection>. One record per segment instead of one per segment plus one per
 * coding halves the records a study writes and reads (IndexedDB's cost in Chromium is
 * per record: see bench/README.md). A multi-entry index on `codeIds` answers "codings by
 * code"; the segment itself answers "codings by segment"; "codings by coder" is answered a
 * document at a time by the documents' `coderIds` index (a coder index on segments would
 * add 45,000 entries to a large study's write for a query no view makes across a study).
 * Pure functions, so the layout is unit-tested without a database.
 */
import type { Coding, Guid, Segment } from '../../shared/model/types.ts';

/** A coding as kept inside its segment: what the segment does not already say. */
export interface StoredCoding {
  id: Guid;
  codeId: Guid;
  coderId: Guid;
  createdAt: string;
  modifiedAt: string;
  createdBy: Guid | null;
}

export interface StoredSegment extends Segment {
  codings: StoredCoding[];
  /** Distinct code ids of the codings, for the multi-entry index. */
  codeIds: Guid[];
}

export function storedCoding(c: Coding): StoredCoding {
  return { id: c.id, codeId: c.codeId, coderId: c.coderId, createdAt: c.createdAt, modifiedAt: c.modifiedAt, createdBy: c.createdBy };
}

/** Recomputes the index fields after the codings of a segment changed. */
export function withCodings(segment: Segment, codings: StoredCoding[]): StoredSegment {
  return { ...segment, codings, codeIds: [...new Set(codings.map((c) => c.codeId))] };
}

/** Nests each coding in its segment; a coding whose segment is missing is an error. */
export function toStoredSegments(segments: readonly Segment[], codings: readonly Coding[]): StoredSegment[] {
  const bySegment = new Map<Guid, StoredCoding[]>(segments.map((s) => [s.id, []]));
  for (const c of codings) {
    const list = bySegment.get(c.segmentId);
    if (!list) throw new Error(`coding ${c.id} refers to a segment that does not exist (${c.segmentId})`);
    list.push(storedCoding(c));
  }
  return segments.map((s) => withCodings(s, bySegment.get(s.id)!));
}

/** The plain Segment, without its codings. */
export function segmentOf(stored: StoredSegment): Segment {
  const { codings: _codings, codeIds: _codeIds, ...segment } = stored;
  return segment;
}

/** The codings of a stored segment, as plain Coding records. */
export function codingsOf(stored: StoredSegment): Coding[] {
  return stored.codings.map((c) => ({ ...c, studyId: stored.studyId, segmentId: stored.id, documentId: stored.documentId }));
}
