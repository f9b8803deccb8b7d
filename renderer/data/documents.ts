/** Changes to a transcript's details, and deleting it with everything that hangs on it. Undoable. */
import type { Document, Guid, Tie } from '../../shared/model/types.ts';
import type { CartographyDb } from './db.ts';
import { ChangeRefused, commitChange, emptyPatch } from './history.ts';

export interface DocumentDetails {
  title: string;
  caseId: Guid | null;
  participantIds: Guid[];
}

export async function updateDocumentDetails(db: CartographyDb, studyId: Guid, documentId: Guid, details: DocumentDetails) {
  const change = await commitChange(db, studyId, `Edit details of “${details.title.trim()}”`, async () => {
    const document = await db.documents.get(documentId);
    if (!document) throw new ChangeRefused('That transcript no longer exists.');
    const title = details.title.trim();
    if (title === '') throw new ChangeRefused('A transcript needs a title.');
    if (details.caseId && !(await db.cases.get(details.caseId))) throw new ChangeRefused('That case no longer exists.');
    const unchanged = document.title === title && document.caseId === details.caseId && document.participantIds.join() === details.participantIds.join();
    if (unchanged) throw new ChangeRefused('Nothing to change.');
    const next: Document = { ...document, title, caseId: details.caseId, participantIds: details.participantIds, modifiedAt: new Date().toISOString() };
    return { put: { documents: [next] }, remove: {} };
  });
  return { change };
}

/** What deleting a transcript takes with it, for the confirmation. */
export async function documentFootprint(db: CartographyDb, documentId: Guid) {
  const segments = await db.segments.where('documentId').equals(documentId).toArray();
  return { segments: segments.length, codings: segments.reduce((n, s) => n + s.codings.length, 0) };
}

export async function deleteDocument(db: CartographyDb, studyId: Guid, documentId: Guid) {
  const change = await commitChange(db, studyId, 'Delete transcript', async () => {
    const document = await db.documents.get(documentId);
    if (!document) throw new ChangeRefused('That transcript no longer exists.');
    const patch = emptyPatch();
    const segmentIds = await db.segments.where('documentId').equals(documentId).primaryKeys();
    const gone = new Set(segmentIds);
    const memoIds = [
      ...(await db.memos.where('[targetType+targetId]').equals(['document', documentId]).primaryKeys()),
      ...(segmentIds.length === 0 ? [] : await db.memos.where('[targetType+targetId]').anyOf(segmentIds.map((id) => ['segment', id])).primaryKeys()),
    ];
    const ties: Tie[] = [];
    await db.ties.where('studyId').equals(studyId).each((t) => {
      if (t.evidenceSegmentIds.some((id) => gone.has(id))) ties.push({ ...t, evidenceSegmentIds: t.evidenceSegmentIds.filter((id) => !gone.has(id)) });
    });
    patch.remove.documents = [documentId];
    patch.remove.texts = [documentId];
    if (segmentIds.length > 0) patch.remove.segments = segmentIds;
    if (memoIds.length > 0) patch.remove.memos = memoIds;
    if (ties.length > 0) patch.put.ties = ties;
    return patch;
  });
  return { change };
}
