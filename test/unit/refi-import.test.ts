import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CartographyDb } from '../../renderer/data/db.ts';
import { ChangeRefused, commitChange, History, replay } from '../../renderer/data/history.ts';
import { storedCoding, type StoredSegment } from '../../renderer/data/layout.ts';
import { previewMerge, replanMerge, STALE_MERGE, writeMerge } from '../../renderer/data/merge.ts';
import { importRefiAsStudy } from '../../renderer/data/refi-import.ts';
import { createStudy, importStudyFile, loadStudyCodings, loadStudyRecords } from '../../renderer/data/studies.ts';
import { summariseDocumentCodings } from '../../shared/model/document-codings.ts';
import { newGuid } from '../../shared/model/ids.ts';
import { STUDY_COLLECTIONS, type Code, type Coding, type Guid, type Memo, type Segment, type StudyRecords } from '../../shared/model/types.ts';
import { readQdpx, type QdpxImport } from '../../shared/refi/qde-import.ts';
import { studyToQdpx } from '../../shared/refi/qdpx.ts';
import { readStudyFile } from '../../shared/study-file/read.ts';
import { comparable, dumpTables } from '../support/snapshot.ts';

const NOW = '2026-11-23T00:00:00.000Z';
const DEMO_NAME = 'Open LLM collaboration (demo)';
const demoText = readFileSync(new URL('../../fixtures/demo/demo-study.cartography.json', import.meta.url), 'utf8');

/** A study as another program gets it: exported to .qdpx, then read back as the import screen does. */
const viaQdpx = (records: StudyRecords): Promise<QdpxImport> => readQdpx(studyToQdpx(records, { origin: 'Cartography test', positions: 'code-points' }), 'study.qdpx', { now: NOW });
/** What a merge is planned from: a REFI-QDA project's records. */
const refi = (imported: QdpxImport) => ({ fileName: 'study.qdpx', from: 'refi' as const, records: imported.records });

/** Rows of a collection sorted by id, so stored and read records compare whatever the index order. */
const byId = <T extends { id: string }>(rows: readonly T[]): T[] => [...rows].sort((a, b) => a.id.localeCompare(b.id));

/** Every record count of a study, by collection. */
const countsOf = (records: StudyRecords) => Object.fromEntries(STUDY_COLLECTIONS.map((c) => [c, records[c].length]));

/** Every id a study uses: its own, its records', and the codings' inside segments. */
const idsOf = (records: StudyRecords): Set<Guid> => new Set([records.study.id, ...STUDY_COLLECTIONS.flatMap((c) => records[c].map((r) => r.id))]);

/** The documents' cached coding summary, next to what the stored codings say it should be. */
async function documentCaches(studyId: Guid) {
  const documents = byId(await db.documents.where('studyId').equals(studyId).toArray());
  const summaries = summariseDocumentCodings(await loadStudyCodings(db, studyId));
  return {
    cached: documents.map((d) => ({ id: d.id, codingCount: d.codingCount, coderIds: d.coderIds })),
    expected: documents.map((d) => ({ id: d.id, codingCount: summaries.get(d.id)?.codingCount ?? 0, coderIds: summaries.get(d.id)?.coderIds ?? [] })),
  };
}

/** The refusal a write ends in: a ChangeRefused, with exactly this message. */
async function expectRefused(write: Promise<unknown>, message: string): Promise<void> {
  const error: unknown = await write.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ChangeRefused);
  expect((error as ChangeRefused).message).toBe(message);
}

let db: CartographyDb;
/** Every record of every table, as stored (the study's modifiedAt included). */
const exact = () => dumpTables(db);
/** Every record, with the study's modifiedAt left out (an undo is a change too). */
const snapshot = async () => comparable(await dumpTables(db), { settings: false });

beforeEach(async () => {
  db = new CartographyDb(`refi-import-${Math.random()}`);
  await db.open();
});
afterEach(async () => {
  await db.delete();
});

describe('importing a REFI-QDA project as a new study', () => {
  it('into an empty database: every record of the file, its GUIDs kept, and the documents’ coding caches right', async () => {
    const demo = readStudyFile(demoText, 'demo-study.cartography.json', { now: NOW, newId: newGuid });
    const imported = await viaQdpx(demo);
    expect(imported.records.codings.length).toBeGreaterThan(100);

    const outcome = await importRefiAsStudy(db, imported);
    expect(outcome).toEqual({ studyId: imported.records.study.id, name: DEMO_NAME, newGuids: false });

    const stored = await loadStudyRecords(db, outcome.studyId);
    expect(countsOf(stored)).toEqual(countsOf(imported.records));
    expect({ documents: stored.documents.length, codes: stored.codes.length, codings: stored.codings.length }).toEqual({
      documents: imported.counts.sources,
      codes: imported.counts.codes,
      codings: imported.counts.codings,
    });
    expect(stored.study).toEqual(imported.records.study);
    for (const c of STUDY_COLLECTIONS) expect(byId<{ id: string }>(stored[c]), c).toEqual(byId<{ id: string }>(imported.records[c]));
    // The GUIDs are the exported study's: a later import can merge by them.
    for (const c of ['documents', 'codes', 'segments', 'codings', 'memos'] as const) expect(byId<{ id: string }>(stored[c]).map((r) => r.id), c).toEqual(byId<{ id: string }>(demo[c]).map((r) => r.id));

    const caches = await documentCaches(outcome.studyId);
    expect(caches.cached).toEqual(caches.expected);
    expect(caches.cached.reduce((sum, d) => sum + d.codingCount, 0)).toBe(demo.codings.length);
  });

  it('beside the study it was exported from: new GUIDs throughout, the clash reported, and the original untouched', async () => {
    const originalId = await importStudyFile(db, demoText, 'demo-study.cartography.json');
    const original = await loadStudyRecords(db, originalId);
    const imported = await viaQdpx(original);
    const before = await exact();

    const outcome = await importRefiAsStudy(db, imported);
    // Records of the file (codings aside: they live inside segments) whose ids the original already uses.
    const originalIds = idsOf(original);
    const clashing = STUDY_COLLECTIONS.filter((c) => c !== 'codings').reduce((n, c) => n + imported.records[c].filter((r) => originalIds.has(r.id)).length, 0);
    expect(clashing).toBeGreaterThan(original.codes.length + original.documents.length + original.segments.length);
    expect(outcome).toEqual({ studyId: expect.any(String) as string, name: `${DEMO_NAME} 2`, newGuids: true, clashes: clashing, otherStudy: DEMO_NAME });

    const copy = await loadStudyRecords(db, outcome.studyId);
    expect(copy.study.name).toBe(`${DEMO_NAME} 2`);
    expect(countsOf(copy)).toEqual(countsOf(imported.records));
    const shared = [...idsOf(copy)].filter((id) => originalIds.has(id));
    expect(shared).toEqual([]);
    // The same content under the new GUIDs.
    const sorted = (values: string[]) => [...values].sort();
    expect(sorted(copy.codes.map((c) => c.name))).toEqual(sorted(original.codes.map((c) => c.name)));
    expect(sorted(copy.segments.map((s) => s.text))).toEqual(sorted(original.segments.map((s) => s.text)));
    expect(sorted(copy.memos.map((m) => m.text))).toEqual(sorted(imported.records.memos.map((m) => m.text)));
    const caches = await documentCaches(outcome.studyId);
    expect(caches.cached).toEqual(caches.expected);

    // The original, every record of it and its study record, exactly as before.
    const after = await exact();
    const ofOriginal = (table: string, rows: unknown[]) => rows.filter((r) => (table === 'studies' ? (r as { id: string }).id === originalId : table === 'settings' ? true : (r as { studyId: string }).studyId === originalId));
    for (const table of Object.keys(before)) expect(ofOriginal(table, after[table]!), table).toEqual(before[table]);
  });
});

describe('merging a REFI-QDA project into a study', () => {
  let studyId: Guid;
  let study: StudyRecords;
  beforeEach(async () => {
    studyId = await importStudyFile(db, demoText, 'demo-study.cartography.json');
    study = await loadStudyRecords(db, studyId);
  });

  it('the study’s own export changes nothing: the plan says so and the merge is refused as having nothing to change', async () => {
    const imported = await viaQdpx(study);
    const before = await exact();
    const preview = await previewMerge(db, studyId, refi(imported));
    expect(preview).toMatchObject({ studyId, basis: study.study.modifiedAt, foreignClashes: 0, foreignStudy: null });
    for (const c of STUDY_COLLECTIONS) {
      // A known document's text is compared with the file's, not counted as a record of its own.
      expect(preview.plan.counts[c], c).toEqual({ added: 0, updated: 0, unchanged: c === 'texts' ? 0 : imported.records[c].length, conflicts: 0 });
      expect(preview.plan.put[c], c).toEqual([]);
    }
    await expectRefused(writeMerge(db, preview, 'Merge “study.qdpx”'), 'Nothing to change.');
    expect(await exact()).toEqual(before);
  });

  it('adds the file’s new codes, codings, selections and memos and takes the edits the researcher chose, in stored segments with right caches; one undo restores the database exactly', async () => {
    // The file as another program would hand it back: a new code with a memo, a renamed code,
    // a coding of the new code on an existing segment, and a new selection coded with it.
    const coder = study.coders[0]!;
    const renamed = study.codes[0]!;
    const segment = study.segments.find((s) => study.codings.some((c) => c.segmentId === s.id))!;
    const doc = study.documents.find((d) => d.id !== segment.documentId && study.segments.some((s) => s.documentId === d.id))!;
    const text = study.texts.find((t) => t.id === doc.id)!.text;
    const span = { start: 0, end: text.indexOf(' ', 40) };
    expect(study.segments.some((s) => s.documentId === doc.id && s.start === span.start && s.end === span.end)).toBe(false);
    const base = { studyId, createdAt: NOW, modifiedAt: NOW, createdBy: coder.id };
    const code: Code = { ...renamed, ...base, id: newGuid(), parentId: null, name: 'Found in another program', color: '#123456', order: 100, examples: [], history: [] };
    const newSegment: Segment = { ...base, id: newGuid(), documentId: doc.id, ...span, text: text.slice(span.start, span.end) };
    const onExisting: Coding = { ...base, id: newGuid(), segmentId: segment.id, codeId: code.id, coderId: coder.id, documentId: segment.documentId };
    const onNew: Coding = { ...base, id: newGuid(), segmentId: newSegment.id, codeId: code.id, coderId: coder.id, documentId: doc.id };
    const memo: Memo = { ...base, id: newGuid(), targetType: 'code', targetId: code.id, title: 'Why', text: 'Coded elsewhere first.' };
    const incoming = await viaQdpx({
      ...study,
      codes: [...study.codes.map((c) => (c.id === renamed.id ? { ...c, name: 'Renamed elsewhere' } : c)), code],
      segments: [...study.segments, newSegment],
      codings: [...study.codings, onExisting, onNew],
      memos: [...study.memos, memo],
    });

    const before = await snapshot();
    const kept = await previewMerge(db, studyId, refi(incoming));
    expect(kept.foreignClashes).toBe(0);
    // The rename is a conflict: the study keeps its name unless the researcher takes the file's.
    expect(kept.plan.counts.codes).toEqual({ added: 1, updated: 0, unchanged: study.codes.length, conflicts: 1 });
    expect(kept.plan.conflicts.map((c) => [c.key, c.choice])).toEqual([[`codes:${renamed.id}`, 'ours']]);
    const preview = replanMerge(kept, { conflicts: { [`codes:${renamed.id}`]: 'theirs' } });
    const { counts } = preview.plan;
    expect(counts.codes).toEqual({ added: 1, updated: 1, unchanged: study.codes.length - 1, conflicts: 1 });
    expect(counts.segments).toEqual({ added: 1, updated: 0, unchanged: study.segments.length, conflicts: 0 });
    expect(counts.codings).toEqual({ added: 2, updated: 0, unchanged: study.codings.length, conflicts: 0 });
    expect(counts.memos).toEqual({ added: 1, updated: 0, unchanged: study.memos.length, conflicts: 0 });
    expect(counts.documents).toEqual({ added: 0, updated: 2, unchanged: study.documents.length - 2, conflicts: 0 });

    const history = new History(db);
    const { change } = await history.perform(async () => ({ change: await writeMerge(db, preview, 'Merge “study.qdpx”') }));
    expect(change.label).toBe('Merge “study.qdpx”');

    const after = await loadStudyRecords(db, studyId);
    // A project does not carry a code's creator; a new code goes after the study's.
    expect(after.codes.find((c) => c.id === code.id)).toEqual({ ...code, createdBy: null, order: Math.max(...study.codes.map((c) => c.order)) + 1 });
    expect(after.codes.find((c) => c.id === renamed.id)).toEqual({ ...renamed, name: 'Renamed elsewhere' });
    expect(after.memos.find((m) => m.id === memo.id)).toEqual(memo);
    expect(countsOf(after)).toEqual({ ...countsOf(study), codes: study.codes.length + 1, segments: study.segments.length + 1, codings: study.codings.length + 2, memos: study.memos.length + 1 });

    // Codings live inside their segments, with the code index beside them.
    const storedExisting = (await db.segments.get(segment.id))!;
    expect(storedExisting.codings).toContainEqual(storedCoding(onExisting));
    expect(storedExisting.codings).toHaveLength(study.codings.filter((c) => c.segmentId === segment.id).length + 1);
    expect(storedExisting.codeIds).toEqual([...new Set(storedExisting.codings.map((c) => c.codeId))]);
    expect(storedExisting.codeIds).toContain(code.id);
    expect(await db.segments.get(newSegment.id)).toEqual({ ...newSegment, codings: [storedCoding(onNew)], codeIds: [code.id] } satisfies StoredSegment);
    expect((await db.segments.where('codeIds').equals(code.id).primaryKeys()).sort()).toEqual([segment.id, newSegment.id].sort());

    const caches = await documentCaches(studyId);
    expect(caches.cached).toEqual(caches.expected);
    const countOf = (id: Guid) => caches.cached.find((d) => d.id === id)!.codingCount;
    const countBefore = (id: Guid) => study.documents.find((d) => d.id === id)!.codingCount;
    expect(countOf(segment.documentId)).toBe(countBefore(segment.documentId) + 1);
    expect(countOf(doc.id)).toBe(countBefore(doc.id) + 1);

    const merged = await snapshot();
    expect(await history.undo()).toBe('Merge “study.qdpx”');
    expect(await snapshot()).toEqual(before);
    expect(await history.redo()).toBe('Merge “study.qdpx”');
    expect(await snapshot()).toEqual(merged);
    // The inverse patch on its own does the same.
    await replay(db, studyId, change.inverse);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a preview made before the study changed, and writes nothing', async () => {
    // The study as last changed long ago, so the change below surely gives it another modifiedAt.
    await db.studies.update(studyId, { modifiedAt: '2020-01-01T00:00:00.000Z' });
    const renamed = study.codes[0]!;
    const incoming = await viaQdpx({ ...study, codes: study.codes.map((c) => (c.id === renamed.id ? { ...c, name: 'Renamed elsewhere' } : c)) });
    const preview = await previewMerge(db, studyId, refi(incoming), { all: 'theirs' });
    expect(preview.basis).toBe('2020-01-01T00:00:00.000Z');
    expect(preview.plan.counts.codes.updated).toBe(1);

    await commitChange(db, studyId, 'Rename code', async () => ({ put: { codes: [{ ...renamed, name: 'Renamed here' }] }, remove: {} }));
    const before = await exact();
    await expectRefused(writeMerge(db, preview, 'Merge “study.qdpx”'), STALE_MERGE);
    expect(await exact()).toEqual(before);
    expect((await db.codes.get(renamed.id))!.name).toBe('Renamed here');
  });

  it('refuses a file whose GUIDs another study uses, naming that study, and writes nothing', async () => {
    const otherId = await createStudy(db, 'Study B', 'Bea');
    const preview = await previewMerge(db, otherId, refi(await viaQdpx(study)));
    const studyIds = idsOf(study);
    const clashing = STUDY_COLLECTIONS.filter((c) => c !== 'codings').reduce((n, c) => n + preview.plan.put[c].filter((r) => studyIds.has(r.id)).length, 0);
    expect(clashing).toBeGreaterThan(study.codes.length);
    expect(preview).toMatchObject({ studyId: otherId, foreignClashes: clashing, foreignStudy: DEMO_NAME });

    const before = await exact();
    await expectRefused(
      writeMerge(db, preview, 'Merge “study.qdpx”'),
      `The file's GUIDs are already used by ${clashing} records of another study (“${DEMO_NAME}”), so it cannot be merged here. Merge it into that study, or import it as a new study (it then gets new GUIDs).`,
    );
    expect(await exact()).toEqual(before);
  });
});
