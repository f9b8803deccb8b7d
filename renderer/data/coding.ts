/**
 * Coding changes against the database: load a document's segments and codings, run a pure
 * operation from shared/coding, and turn the before/after difference into a patch for the
 * history (stored segments with their codings, and the document's cached summary).
 */
import { applyCodes, changeCode, moveCoding, removeCodings, type ApplyCodeRequest, type DocumentCodings, type OperationResult, type Span } from '../../shared/coding/operations.ts';
import { summariseDocumentCodings } from '../../shared/model/document-codings.ts';
import { newGuid } from '../../shared/model/ids.ts';
import type { Guid } from '../../shared/model/types.ts';
import type { CartographyDb } from './db.ts';
import { ChangeRefused, commitChange, emptyPatch, type Change, type Patch } from './history.ts';
import { codingsOf, segmentOf, storedCoding, withCodings, type StoredSegment } from './layout.ts';

interface Loaded {
  state: DocumentCodings;
  stored: Map<Guid, StoredSegment>;
  keep: Set<Guid>;
}

async function loadDocument(db: CartographyDb, documentId: Guid): Promise<Loaded> {
  const [document, text, segments] = await Promise.all([db.documents.get(documentId), db.texts.get(documentId), db.segments.where('documentId').equals(documentId).toArray()]);
  if (!document || !text) throw new ChangeRefused('That transcript no longer exists.');
  const ids = segments.map((s) => s.id);
  const memoTargets = ids.length === 0 ? [] : await db.memos.where('[targetType+targetId]').anyOf(ids.map((id) => ['segment', id])).toArray();
  const keep = new Set<Guid>(memoTargets.map((m) => m.targetId));
  const segmentIds = new Set(ids);
  await db.ties.where('studyId').equals(document.studyId).each((t) => {
    for (const id of t.evidenceSegmentIds) if (segmentIds.has(id)) keep.add(id);
  });
  return {
    state: { studyId: document.studyId, documentId, text: text.text, segments: segments.map(segmentOf), codings: segments.flatMap(codingsOf) },
    stored: new Map(segments.map((s) => [s.id, s])),
    keep,
  };
}

/** The patch that takes the stored document from `loaded` to `after`. */
export async function codingPatch(db: CartographyDb, loaded: Loaded, after: DocumentCodings): Promise<Patch> {
  const patch = emptyPatch();
  const bySegment = new Map<Guid, ReturnType<typeof storedCoding>[]>();
  for (const c of after.codings) {
    const list = bySegment.get(c.segmentId) ?? [];
    list.push(storedCoding(c));
    bySegment.set(c.segmentId, list);
  }
  const puts: StoredSegment[] = [];
  for (const segment of after.segments) {
    const next = withCodings(segment, bySegment.get(segment.id) ?? []);
    const before = loaded.stored.get(segment.id);
    if (!before || JSON.stringify(before) !== JSON.stringify(next)) puts.push(next);
  }
  const remaining = new Set(after.segments.map((s) => s.id));
  const removes = [...loaded.stored.keys()].filter((id) => !remaining.has(id));
  if (puts.length > 0) patch.put.segments = puts;
  if (removes.length > 0) patch.remove.segments = removes;
  const document = await db.documents.get(after.documentId);
  const summary = summariseDocumentCodings(after.codings).get(after.documentId) ?? { codingCount: 0, coderIds: [] };
  if (document && (document.codingCount !== summary.codingCount || document.coderIds.join() !== summary.coderIds.join())) {
    patch.put.documents = [{ ...document, ...summary }];
  }
  return patch;
}

type Operation = (state: DocumentCodings, ctx: { newId: () => Guid; now: string; keepSegmentIds: ReadonlySet<Guid> }) => OperationResult;

async function commitOperation(db: CartographyDb, studyId: Guid, documentId: Guid, label: string, operation: Operation): Promise<{ change: Change; codingIds: Guid[] }> {
  let codingIds: Guid[] = [];
  const change = await commitChange(db, studyId, label, async () => {
    const loaded = await loadDocument(db, documentId);
    const result = operation(loaded.state, { newId: newGuid, now: new Date().toISOString(), keepSegmentIds: loaded.keep });
    if (!result.ok) throw new ChangeRefused(result.reason);
    codingIds = result.codingIds;
    return codingPatch(db, loaded, result.state);
  });
  return { change, codingIds };
}

export function applyCode(db: CartographyDb, studyId: Guid, documentId: Guid, requests: ApplyCodeRequest[], label: string) {
  return commitOperation(db, studyId, documentId, label, (state, ctx) => applyCodes(state, requests, ctx));
}

export function removeCoding(db: CartographyDb, studyId: Guid, documentId: Guid, codingIds: Guid[], label: string) {
  return commitOperation(db, studyId, documentId, label, (state, ctx) => removeCodings(state, codingIds, ctx));
}

export function recodeCoding(db: CartographyDb, studyId: Guid, documentId: Guid, codingId: Guid, codeId: Guid, label: string) {
  return commitOperation(db, studyId, documentId, label, (state, ctx) => changeCode(state, codingId, codeId, ctx));
}

export function resizeCoding(db: CartographyDb, studyId: Guid, documentId: Guid, codingId: Guid, span: Span, label: string) {
  return commitOperation(db, studyId, documentId, label, (state, ctx) => moveCoding(state, codingId, span, ctx));
}

/** Codes spans in many documents as one undoable change (e.g. "code all results"). */
export async function applyCodeAcross(db: CartographyDb, studyId: Guid, byDocument: Map<Guid, ApplyCodeRequest[]>, label: string): Promise<{ change: Change; codingIds: Guid[] }> {
  const codingIds: Guid[] = [];
  const change = await commitChange(db, studyId, label, async () => {
    const patch = emptyPatch();
    for (const [documentId, requests] of byDocument) {
      const loaded = await loadDocument(db, documentId);
      const result = applyCodes(loaded.state, requests, { newId: newGuid, now: new Date().toISOString(), keepSegmentIds: loaded.keep });
      if (!result.ok) continue; // every span here already coded: nothing to do in this document
      codingIds.push(...result.codingIds);
      const part = await codingPatch(db, loaded, result.state);
      for (const [table, rows] of Object.entries(part.put)) (patch.put as Record<string, unknown[]>)[table] = [...((patch.put as Record<string, unknown[]>)[table] ?? []), ...rows];
      for (const [table, keys] of Object.entries(part.remove)) (patch.remove as Record<string, string[]>)[table] = [...((patch.remove as Record<string, string[]>)[table] ?? []), ...keys];
    }
    if (codingIds.length === 0) throw new ChangeRefused('Every result already carries this code from you.');
    return patch;
  });
  return { change, codingIds };
}
