import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CartographyDb } from '../../renderer/data/db.ts';
import { deleteDocument, documentFootprint, updateDocumentDetails } from '../../renderer/data/documents.ts';
import { ChangeRefused, History } from '../../renderer/data/history.ts';
import { importStudyFile, loadStudyRecords } from '../../renderer/data/studies.ts';

const file = JSON.stringify({
  format: 'cartography-study',
  version: 1,
  study: { name: 'Documents' },
  coders: [{ key: 'ana', name: 'Ana' }],
  stages: [{ key: 'pre', name: 'Pre-training' }],
  cases: [{ key: 'c1', name: 'One' }, { key: 'c2', name: 'Two' }],
  participants: [{ key: 'p1', pseudonym: 'P01', case: 'c1' }, { key: 'p2', pseudonym: 'P02', case: 'c2' }],
  codes: [{ key: 'k', name: 'Compute', stage: 'pre', kind: 'on-ramp' }],
  documents: [
    { key: 'd1', title: 'One', case: 'c1', participants: ['p1'], text: 'P01: A cluster lent us compute.' },
    { key: 'd2', title: 'Two', case: 'c2', text: 'P02: Nothing here.' },
  ],
  codings: [{ document: 'd1', quote: 'A cluster lent us compute', code: 'k' }],
  memos: [{ target: { type: 'document', key: 'd1' }, text: 'doc memo' }, { target: { type: 'segment', document: 'd1', quote: 'A cluster lent us compute' }, text: 'segment memo' }],
  actors: [{ key: 'a', name: 'A', type: 'project' }, { key: 'b', name: 'B', type: 'compute-provider' }],
  ties: [{ from: 'b', to: 'a', type: 'compute-partnership', stage: 'pre', evidence: [{ document: 'd1', quote: 'A cluster lent us compute' }, { document: 'd2', quote: 'Nothing here' }] }],
});

let db: CartographyDb;
let studyId: string;
const snapshot = async () => Object.fromEntries(await Promise.all(db.tables.map(async (t) => [t.name, await t.toArray()])));

beforeEach(async () => {
  db = new CartographyDb(`documents-${Math.random()}`);
  await db.open();
  studyId = await importStudyFile(db, file, 'documents.cartography.json');
});
afterEach(async () => {
  await db.delete();
});

describe('document changes', () => {
  it('edits title, case and participants, and undo restores them', async () => {
    const records = await loadStudyRecords(db, studyId);
    const d1 = records.documents.find((d) => d.title === 'One')!;
    const c2 = records.cases.find((c) => c.name === 'Two')!.id;
    const p2 = records.participants.find((p) => p.pseudonym === 'P02')!.id;
    const history = new History(db);
    history.record((await updateDocumentDetails(db, studyId, d1.id, { title: '  Interview one ', caseId: c2, participantIds: [p2] })).change);
    expect(await db.documents.get(d1.id)).toMatchObject({ title: 'Interview one', caseId: c2, participantIds: [p2] });
    await history.undo();
    expect(await db.documents.get(d1.id)).toEqual(d1);
    await expect(updateDocumentDetails(db, studyId, d1.id, { title: ' ', caseId: null, participantIds: [] })).rejects.toEqual(new ChangeRefused('A transcript needs a title.'));
  });

  it('deletes a transcript with its segments, codings and memos, drops its tie evidence, and undo brings everything back', async () => {
    const records = await loadStudyRecords(db, studyId);
    const d1 = records.documents.find((d) => d.title === 'One')!;
    expect(await documentFootprint(db, d1.id)).toEqual({ segments: 1, codings: 1 });
    const before = await snapshot();
    const history = new History(db);
    history.record((await deleteDocument(db, studyId, d1.id)).change);
    const after = await loadStudyRecords(db, studyId);
    expect(after.documents.map((d) => d.title)).toEqual(['Two']);
    expect(after.codings).toEqual([]);
    expect(after.memos).toEqual([]);
    expect(after.ties[0]!.evidenceSegmentIds).toHaveLength(1);
    expect(await db.texts.get(d1.id)).toBeUndefined();
    await history.undo();
    const restored = await snapshot();
    expect({ ...restored, studies: [] }).toEqual({ ...before, studies: [] });
  });
});
