/**
 * Codebook changes against the database: load the codebook (and, for merge, split and
 * delete, the segments that carry the codes concerned), run a pure operation from
 * shared/codebook/operations.ts, and turn its delta into one undoable patch: codes, stages,
 * memos, the stored segments whose codings changed (a segment left without codings goes,
 * unless a memo or tie evidence points at it), and the documents' cached coding summary.
 */
import type { CodebookContext, CodebookResult, CodebookState } from '../../shared/codebook/operations.ts';
import { summariseDocumentCodings } from '../../shared/model/document-codings.ts';
import { newGuid } from '../../shared/model/ids.ts';
import type { Coding, Guid } from '../../shared/model/types.ts';
import type { CartographyDb } from './db.ts';
import { ChangeRefused, commitChange, emptyPatch, type Change, type Patch } from './history.ts';
import { codingsOf, storedCoding, withCodings, type StoredSegment } from './layout.ts';

export type CodebookOperation = (state: CodebookState, ctx: CodebookContext) => CodebookResult;

export interface CodebookLoad {
  state: CodebookState;
  stored: Map<Guid, StoredSegment>;
}

/** The study's codebook, plus the segments carrying any of `codeIds` (with all their codings). */
export async function loadCodebook(db: CartographyDb, studyId: Guid, codeIds: readonly Guid[] = []): Promise<CodebookLoad> {
  const [stages, codes, memos, ties, overrides, segments] = await Promise.all([
    db.stages.where('studyId').equals(studyId).sortBy('order'),
    db.codes.where('studyId').equals(studyId).toArray(),
    db.memos.where('studyId').equals(studyId).filter((m) => m.targetType === 'code').toArray(),
    db.ties.where('studyId').equals(studyId).toArray(),
    db.overrides.where('studyId').equals(studyId).toArray(),
    codeIds.length === 0 ? Promise.resolve([] as StoredSegment[]) : db.segments.where('codeIds').anyOf([...codeIds]).distinct().toArray(),
  ]);
  const mine = segments.filter((s) => s.studyId === studyId);
  return {
    state: { studyId, stages, codes, memos, ties, overrides, codings: mine.flatMap(codingsOf) },
    stored: new Map(mine.map((s) => [s.id, s])),
  };
}

/** Segments that must stay without codings: memos or tie evidence point at them. */
async function keptSegments(db: CartographyDb, studyId: Guid, ids: readonly Guid[]): Promise<Set<Guid>> {
  if (ids.length === 0) return new Set();
  const memoTargets = await db.memos.where('[targetType+targetId]').anyOf(ids.map((id) => ['segment', id])).toArray();
  const keep = new Set<Guid>(memoTargets.map((m) => m.targetId));
  const wanted = new Set(ids);
  await db.ties.where('studyId').equals(studyId).each((t) => {
    for (const id of t.evidenceSegmentIds) if (wanted.has(id)) keep.add(id);
  });
  return keep;
}

/** The patch for a delta: codes, stages, memos as they are; codings folded into their segments. */
async function deltaPatch(db: CartographyDb, load: CodebookLoad, result: Extract<CodebookResult, { ok: true }>): Promise<Patch> {
  const { delta } = result;
  const patch = emptyPatch();
  if (delta.codes.put.length > 0) patch.put.codes = delta.codes.put;
  if (delta.codes.remove.length > 0) patch.remove.codes = delta.codes.remove;
  if (delta.stages.put.length > 0) patch.put.stages = delta.stages.put;
  if (delta.stages.remove.length > 0) patch.remove.stages = delta.stages.remove;
  if (delta.memos.put.length > 0) patch.put.memos = delta.memos.put;
  if (delta.memos.remove.length > 0) patch.remove.memos = delta.memos.remove;
  if (delta.codings.put.length === 0 && delta.codings.remove.length === 0) return patch;

  const removed = new Set(delta.codings.remove);
  const put = new Map<Guid, Coding>(delta.codings.put.map((c) => [c.id, c]));
  const touched = new Set<Guid>();
  for (const c of delta.codings.put) touched.add(c.segmentId);
  for (const segment of load.stored.values()) if (segment.codings.some((c) => removed.has(c.id))) touched.add(segment.id);

  const keep = await keptSegments(db, load.state.studyId, [...touched]);
  const segmentPuts: StoredSegment[] = [];
  const segmentRemoves: Guid[] = [];
  const after = new Map<Guid, StoredSegment | null>();
  for (const segmentId of touched) {
    const before = load.stored.get(segmentId);
    if (!before) throw new Error(`A codebook change touches a segment that was not loaded (${segmentId}).`);
    const codings = before.codings.filter((c) => !removed.has(c.id)).map((c) => (put.has(c.id) ? storedCoding(put.get(c.id)!) : c));
    const known = new Set(codings.map((c) => c.id));
    for (const c of delta.codings.put) if (c.segmentId === segmentId && !known.has(c.id)) codings.push(storedCoding(c));
    if (codings.length === 0 && !keep.has(segmentId)) {
      segmentRemoves.push(segmentId);
      after.set(segmentId, null);
    } else {
      const next = withCodings(before, codings);
      segmentPuts.push(next);
      after.set(segmentId, next);
    }
  }
  if (segmentPuts.length > 0) patch.put.segments = segmentPuts;
  if (segmentRemoves.length > 0) patch.remove.segments = segmentRemoves;

  // The documents' cached coding summary, from all their segments as they will be.
  const documentIds = [...new Set([...touched].map((id) => load.stored.get(id)!.documentId))];
  const documents = await db.documents.bulkGet(documentIds);
  const changedDocuments = [];
  for (const document of documents) {
    if (!document) continue;
    const segments = await db.segments.where('documentId').equals(document.id).toArray();
    const codings = segments.flatMap((s) => {
      const next = after.has(s.id) ? after.get(s.id) : s;
      return next ? codingsOf(next) : [];
    });
    const summary = summariseDocumentCodings(codings).get(document.id) ?? { codingCount: 0, coderIds: [] };
    if (document.codingCount !== summary.codingCount || document.coderIds.join() !== summary.coderIds.join()) changedDocuments.push({ ...document, ...summary });
  }
  if (changedDocuments.length > 0) patch.put.documents = changedDocuments;
  return patch;
}

/**
 * Runs a codebook operation as one undoable change. `codeIds` names the codes whose codings
 * the operation moves or deletes (their segments are loaded); `label` overrides the
 * operation's own label.
 */
export async function commitCodebook(
  db: CartographyDb,
  studyId: Guid,
  coderId: Guid | null,
  operation: CodebookOperation,
  options: { codeIds?: readonly Guid[]; label?: string } = {},
): Promise<{ change: Change; created: Guid[] }> {
  let created: Guid[] = [];
  let label = options.label ?? '';
  const change = await commitChange(db, studyId, label || 'Change the codebook', async () => {
    const load = await loadCodebook(db, studyId, options.codeIds ?? []);
    const result = operation(load.state, { newId: newGuid, now: new Date().toISOString(), coderId });
    if (!result.ok) throw new ChangeRefused(result.reason);
    created = result.created;
    label ||= result.label;
    return deltaPatch(db, load, result);
  });
  return { change: { ...change, label: label || change.label }, created };
}

export interface CodeSegment {
  id: Guid;
  documentId: Guid;
  documentTitle: string;
  start: number;
  end: number;
  text: string;
  /** Codings of this code on the segment (one per coder). */
  codings: number;
}

/** The segments that carry a code, in document order, with their transcript's title. */
export async function loadCodeSegments(db: CartographyDb, studyId: Guid, codeId: Guid): Promise<CodeSegment[]> {
  const segments = (await db.segments.where('codeIds').equals(codeId).toArray()).filter((s) => s.studyId === studyId);
  const documents = await db.documents.bulkGet([...new Set(segments.map((s) => s.documentId))]);
  const titles = new Map(documents.filter((d) => d !== undefined).map((d) => [d.id, d.title]));
  return segments
    .map((s) => ({ id: s.id, documentId: s.documentId, documentTitle: titles.get(s.documentId) ?? 'Unknown transcript', start: s.start, end: s.end, text: s.text, codings: s.codings.filter((c) => c.codeId === codeId).length }))
    .sort((a, b) => a.documentTitle.localeCompare(b.documentTitle, undefined, { numeric: true }) || a.start - b.start);
}

/** Segments by id (for example links), with their transcript's title and a coding to open them by; missing ones are left out. */
export async function loadSegmentsById(db: CartographyDb, ids: readonly Guid[]): Promise<Map<Guid, { documentId: Guid; documentTitle: string; text: string; codingId: Guid | null }>> {
  const segments = (await db.segments.bulkGet([...ids])).filter((s) => s !== undefined);
  const documents = await db.documents.bulkGet([...new Set(segments.map((s) => s.documentId))]);
  const titles = new Map(documents.filter((d) => d !== undefined).map((d) => [d.id, d.title]));
  return new Map(segments.map((s) => [s.id, { documentId: s.documentId, documentTitle: titles.get(s.documentId) ?? 'Unknown transcript', text: s.text, codingId: s.codings[0]?.id ?? null }]));
}
