/**
 * Merging a teammate's study file into the open study, on fake-indexeddb: the researcher's
 * choices are written exactly (conflicts kept or taken one by one, a coder matched by name kept
 * apart or made the same person), as one change that one undo takes back exactly.
 */
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CartographyDb } from '../../renderer/data/db.ts';
import { History } from '../../renderer/data/history.ts';
import { previewMerge, replanMerge, writeMerge, type MergePreview } from '../../renderer/data/merge.ts';
import { exportStudy, importStudyFile, loadStudyCodings, loadStudyRecords } from '../../renderer/data/studies.ts';
import { summariseDocumentCodings } from '../../shared/model/document-codings.ts';
import { newGuid } from '../../shared/model/ids.ts';
import type { Coder, Coding, Guid, StudyRecords } from '../../shared/model/types.ts';
import { readMergeSource } from '../../shared/refi/merge-source.ts';
import { writeStudyFile } from '../../shared/study-file/write.ts';
import { comparable, dumpTables } from '../support/snapshot.ts';

const NOW = '2026-11-23T00:00:00.000Z';
const demoText = readFileSync(new URL('../../fixtures/demo/demo-study.cartography.json', import.meta.url), 'utf8');

let db: CartographyDb;
let studyId: Guid;
let study: StudyRecords;
const snapshot = async () => comparable(await dumpTables(db), { settings: false });

beforeEach(async () => {
  db = new CartographyDb(`merge-teammate-${Math.random()}`);
  await db.open();
  studyId = await importStudyFile(db, demoText, 'demo-study.cartography.json');
  study = await loadStudyRecords(db, studyId);
});
afterEach(async () => {
  await db.delete();
});

/**
 * The teammate's copy of the study, exported as a study file: Mina (a new coder) coded two
 * passages; "researcher a" (a new GUID, the name of the study's Researcher A) coded one passage
 * the way that coder already did and one anew; one code has another definition, one memo
 * another text.
 */
async function teammateFile() {
  const ours = study.coders.find((c) => c.name === 'Researcher A')!;
  const mina: Coder = { ...ours, id: newGuid(), name: 'Mina' };
  const twin: Coder = { ...ours, id: newGuid(), name: 'researcher a' };
  const code = study.codes.find((c) => study.codings.some((x) => x.codeId === c.id))!;
  const memo = study.memos[0]!;
  const byOurs = study.codings.find((c) => c.coderId === ours.id)!;
  const unused = (segmentId: Guid, coderId: Guid) => study.codes.find((c) => !study.codings.some((x) => x.segmentId === segmentId && x.codeId === c.id && x.coderId === coderId))!;
  const coding = (base: Coding, coder: Coder, codeId: Guid): Coding => ({ ...base, id: newGuid(), coderId: coder.id, codeId, createdBy: coder.id });
  const [s1, s2] = study.segments;
  const minas = [coding(study.codings.find((c) => c.segmentId === s1!.id)!, mina, code.id), coding(study.codings.find((c) => c.segmentId === s2!.id)!, mina, code.id)];
  const twinRepeat = coding(byOurs, twin, byOurs.codeId);
  const twinNew = coding(byOurs, twin, unused(byOurs.segmentId, ours.id).id);
  const records: StudyRecords = {
    ...study,
    coders: [...study.coders, mina, twin],
    codes: study.codes.map((c) => (c.id === code.id ? { ...c, definition: 'The teammate’s definition.' } : c)),
    codings: [...study.codings, ...minas, twinRepeat, twinNew],
    memos: study.memos.map((m) => (m.id === memo.id ? { ...m, text: 'The teammate’s memo.' } : m)),
  };
  const bytes = new TextEncoder().encode(JSON.stringify(writeStudyFile(records)));
  const source = await readMergeSource({ name: 'mina.cartography.json', bytes }, { now: NOW, newId: newGuid });
  return { source, ours, mina, twin, code, memo, minas, twinRepeat, twinNew };
}

/** Codings per coder id, from the stored segments. */
async function codingsByCoder(): Promise<Map<Guid, Coding[]>> {
  const map = new Map<Guid, Coding[]>();
  for (const c of await loadStudyCodings(db, studyId)) map.set(c.coderId, [...(map.get(c.coderId) ?? []), c]);
  return map;
}

async function write(history: History, preview: MergePreview) {
  return history.perform(async () => ({ change: await writeMerge(db, preview, 'Merge “mina.cartography.json”') }));
}

describe('merging a teammate’s study file', () => {
  it('by default keeps the study’s versions and keeps a coder matched by name apart; one undo restores the database exactly', async () => {
    const t = await teammateFile();
    const before = await snapshot();
    const preview = await previewMerge(db, studyId, t.source);
    expect(preview.plan.conflicts.map((c) => [c.key, c.choice]).sort()).toEqual([[`codes:${t.code.id}`, 'ours'], [`memos:${t.memo.id}`, 'ours']].sort());
    expect(preview.plan.nameMatches).toEqual([{ incomingId: t.twin.id, incomingName: 'researcher a', existingId: t.ours.id, existingName: t.ours.name, codings: 2, choice: 'separate' }]);
    expect(preview.plan.counts.coders).toEqual({ added: 2, updated: 0, unchanged: study.coders.length, conflicts: 0 });
    expect(preview.plan.counts.codings).toEqual({ added: 4, updated: 0, unchanged: study.codings.length, conflicts: 0 });

    const history = new History(db);
    await write(history, preview);
    expect((await db.codes.get(t.code.id))!.definition).toBe(t.code.definition);
    expect((await db.memos.get(t.memo.id))!.text).toBe(t.memo.text);
    expect((await db.coders.where('studyId').equals(studyId).toArray()).map((c) => c.name).sort()).toEqual([...study.coders.map((c) => c.name), 'Mina', 'researcher a'].sort());
    const byCoder = await codingsByCoder();
    expect(byCoder.get(t.mina.id)!.map((c) => c.id).sort()).toEqual(t.minas.map((c) => c.id).sort());
    expect(byCoder.get(t.twin.id)!.map((c) => c.id).sort()).toEqual([t.twinRepeat.id, t.twinNew.id].sort());
    expect(byCoder.get(t.ours.id)).toHaveLength(study.codings.filter((c) => c.coderId === t.ours.id).length);
    // The documents' caches follow the codings.
    const documents = await db.documents.where('studyId').equals(studyId).toArray();
    const summaries = summariseDocumentCodings(await loadStudyCodings(db, studyId));
    for (const d of documents) expect({ id: d.id, codingCount: d.codingCount, coderIds: d.coderIds }).toEqual({ id: d.id, ...(summaries.get(d.id) ?? { codingCount: 0, coderIds: [] }) });

    expect(await history.undo()).toBe('Merge “mina.cartography.json”');
    expect(await snapshot()).toEqual(before);
  });

  it('writes exactly the choices made: the file’s definition taken, the study’s memo kept, and "same person" attributing codings to the existing coder without duplicates', async () => {
    const t = await teammateFile();
    const before = await snapshot();
    const first = await previewMerge(db, studyId, t.source);
    const preview = replanMerge(first, { conflicts: { [`codes:${t.code.id}`]: 'theirs' }, coders: { [t.twin.id]: 'same' } });
    expect(preview.plan.conflicts.map((c) => [c.key, c.choice]).sort()).toEqual([[`codes:${t.code.id}`, 'theirs'], [`memos:${t.memo.id}`, 'ours']].sort());
    expect(preview.plan.counts.coders.added).toBe(1);
    // Mina's two codings, and the twin's new one: the repeated one is already the study's.
    expect(preview.plan.counts.codings.added).toBe(3);
    expect(preview.plan.counts.codes).toMatchObject({ updated: 1, conflicts: 1 });

    const history = new History(db);
    await write(history, preview);
    expect((await db.codes.get(t.code.id))!).toEqual({ ...t.code, definition: 'The teammate’s definition.' });
    expect((await db.memos.get(t.memo.id))!.text).toBe(t.memo.text);
    expect(await db.coders.get(t.twin.id)).toBeUndefined();
    const byCoder = await codingsByCoder();
    expect(byCoder.has(t.twin.id)).toBe(false);
    const oursNow = byCoder.get(t.ours.id)!;
    expect(oursNow).toHaveLength(study.codings.filter((c) => c.coderId === t.ours.id).length + 1);
    expect(oursNow.find((c) => c.id === t.twinNew.id)).toMatchObject({ coderId: t.ours.id, codeId: t.twinNew.codeId, segmentId: t.twinNew.segmentId });
    // One coding per passage, code and coder.
    const keys = (await loadStudyCodings(db, studyId)).map((c) => `${c.segmentId}:${c.codeId}:${c.coderId}`);
    expect(new Set(keys).size).toBe(keys.length);

    const merged = await snapshot();
    expect(await history.undo()).toBe('Merge “mina.cartography.json”');
    expect(await snapshot()).toEqual(before);
    expect(await history.redo()).toBe('Merge “mina.cartography.json”');
    expect(await snapshot()).toEqual(merged);
  });

  it('the study’s own export changes nothing; "take theirs for all" writes the file’s version of every conflict', async () => {
    // The teammate's file as the app exports it (settings and all), read the way the dialog reads it.
    const t = await teammateFile();
    const exported = await exportStudy(db, studyId);
    const source = await readMergeSource({ name: 'self.cartography.json', bytes: new TextEncoder().encode(exported) }, { now: NOW, newId: newGuid });
    const self = await previewMerge(db, studyId, source);
    expect(self.plan.conflicts).toEqual([]);
    expect(Object.values(self.plan.put).every((rows) => rows.length === 0)).toBe(true);
    const preview = await previewMerge(db, studyId, t.source, { all: 'theirs' });
    expect(preview.plan.conflicts.every((c) => c.choice === 'theirs')).toBe(true);
    await write(new History(db), preview);
    expect((await db.memos.get(t.memo.id))!.text).toBe('The teammate’s memo.');
  });
});
