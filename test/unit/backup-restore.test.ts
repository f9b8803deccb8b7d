import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackupConflictError, exportBackupBytes, previewBackup, restoreBackup } from '../../renderer/data/backups.ts';
import { CartographyDb } from '../../renderer/data/db.ts';
import { saveDeckSettings, saveNetworkPositions, setPositionOverride } from '../../renderer/data/maps.ts';
import { listMatrixViews, saveMatrixView } from '../../renderer/data/matrices.ts';
import { deleteStudy, exportStudy, getSetting, importStudyFile, loadStudyRecords, putSetting, renameStudy, setActiveCoder } from '../../renderer/data/studies.ts';
import { StudyFileError } from '../../shared/study-file/format.ts';
import { comparable, dumpTables } from '../support/snapshot.ts';

const demoText = readFileSync(new URL('../../fixtures/demo/demo-study.cartography.json', import.meta.url), 'utf8');
const badInput = (name: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/bad-input/${name}`, import.meta.url)));

/**
 * The demo study plus what it lacks: a position override, a memo on a coded segment, the
 * second coder active, and every per-study setting the app writes.
 */
async function fullStudy(db: CartographyDb): Promise<string> {
  const file = JSON.parse(demoText) as Record<string, unknown> & { memos: unknown[]; codings: { quote: string; document: string }[] };
  file['overrides'] = [{ case: 'olmo', stage: 'pre-training', value: 0.5, justification: 'Their data recipes are published in full.' }];
  file.memos.push({ target: { type: 'segment', document: file.codings[0]!.document, quote: file.codings[0]!.quote }, text: 'A telling phrase.' });
  const studyId = await importStudyFile(db, JSON.stringify(file), 'full.cartography.json');
  const records = await loadStudyRecords(db, studyId);
  await setActiveCoder(db, studyId, records.coders[1]!.id);
  await setPositionOverride(db, studyId, { caseId: records.cases[1]!.id, stageId: records.stages[2]!.id, value: -0.25, justification: 'Gated weights.' }, records.coders[1]!.id);
  const codeIds = records.codes.map((c) => c.id);
  await saveMatrixView(db, studyId, 'Licences', { metric: 'segments', codeIds: codeIds.slice(0, 3) });
  await saveNetworkPositions(db, studyId, { [records.actors[0]!.id]: { x: 12, y: 34 } });
  await saveDeckSettings(db, studyId, { order: ['title', 'map'], hidden: ['map'], quotes: { [codeIds[0]!]: 'quote' } });
  await putSetting(db, `recentCodes:${studyId}`, codeIds.slice(0, 4));
  await putSetting(db, `pinnedCodes:${studyId}`, codeIds.slice(2, 5));
  await putSetting(db, `coderConfirmed:${studyId}`, true);
  await putSetting(db, `deck-theme:${studyId}`, { name: 'dark' });
  await putSetting(db, `report-pins:${studyId}`, { [codeIds[0]!]: [records.documents[0]!.id] });
  await putSetting(db, `report-options:${studyId}`, { anonymise: true });
  // Global settings are not the study's.
  await putSetting(db, 'lastStudyId', studyId);
  return studyId;
}

let db: CartographyDb;
let fresh: CartographyDb;
beforeEach(async () => {
  db = new CartographyDb(`backup-${Math.random()}`);
  fresh = new CartographyDb(`backup-fresh-${Math.random()}`);
  await Promise.all([db.open(), fresh.open()]);
});
afterEach(async () => {
  await Promise.all([db.delete(), fresh.delete()]);
});

const studySettings = async (d: CartographyDb, studyId: string) => (await d.settings.toArray()).filter((s) => s.key.endsWith(`:${studyId}`)).sort((a, b) => a.key.localeCompare(b.key));

describe('exporting a study', () => {
  it('keeps everything: imported into a fresh database, every record and every setting of the study is the same', async () => {
    const studyId = await fullStudy(db);
    const before = await dumpTables(db);
    expect(before['overrides']).toHaveLength(2);
    expect(await studySettings(db, studyId)).toHaveLength(9);

    await importStudyFile(fresh, await exportStudy(db, studyId), 'exported.cartography.json');
    const after = await dumpTables(fresh);
    for (const table of Object.keys(before).filter((t) => t !== 'settings')) expect(after[table], table).toEqual(before[table]);
    expect(await studySettings(fresh, studyId)).toEqual(await studySettings(db, studyId));
    expect(await getSetting(fresh, 'lastStudyId')).toBeUndefined();
  });
});

describe('restoring a backup', () => {
  it('previews what the backup holds before writing anything', async () => {
    const studyId = await fullStudy(db);
    const bytes = await exportBackupBytes(db, studyId);
    const before = await dumpTables(db);
    const { preview } = await previewBackup(db, bytes, 'full.cartography.json');
    expect(preview).toMatchObject({ studyId, studyName: 'Open LLM collaboration (demo)', documents: 14, codes: 27, codings: 127, cases: 14, settings: 9, existing: { id: studyId, name: 'Open LLM collaboration (demo)' } });
    expect(preview.memos).toBe((before['memos'] as unknown[]).length);
    expect(await dumpTables(db)).toEqual(before);
  });

  it('replaces the study with the backup: records and settings as they were at backup time', async () => {
    const studyId = await fullStudy(db);
    const bytes = await exportBackupBytes(db, studyId);
    const atBackup = await dumpTables(db);
    const { text } = await previewBackup(db, bytes, 'full.cartography.json');

    // Changes after the backup: a rename, a study deleted code… and settings added and changed.
    await renameStudy(db, studyId, 'Renamed later');
    await db.codes.delete((await db.codes.where('studyId').equals(studyId).first())!.id);
    await saveMatrixView(db, studyId, 'Later view', { metric: 'codings' });
    await putSetting(db, `later-setting:${studyId}`, 1);

    expect(await restoreBackup(db, text, 'full.cartography.json', 'replace')).toBe(studyId);
    expect(comparable(await dumpTables(db))).toEqual(comparable(atBackup));
    expect((await dumpTables(db))['settings']).toEqual(atBackup['settings']);
    expect((await listMatrixViews(db, studyId)).map((v) => v.name)).toEqual(['Licences']);
  });

  it('puts back a study that was deleted since', async () => {
    const studyId = await fullStudy(db);
    const bytes = await exportBackupBytes(db, studyId);
    const atBackup = await dumpTables(db);
    await deleteStudy(db, studyId);
    const { text, preview } = await previewBackup(db, bytes, 'full.cartography.json');
    expect(preview.existing).toBeNull();
    await restoreBackup(db, text, 'full.cartography.json', 'replace');
    expect(comparable(await dumpTables(db))).toEqual(comparable(atBackup));
  });

  it('restores as a copy beside the original, with new ids everywhere and its settings following them', async () => {
    const studyId = await fullStudy(db);
    const { text } = await previewBackup(db, await exportBackupBytes(db, studyId), 'full.cartography.json');
    const original = await dumpTables(db);

    // The backup's ids all collide with the study still in the database: a copy must not touch it.
    const copyId = await restoreBackup(db, text, 'full.cartography.json', 'copy');
    expect(copyId).not.toBe(studyId);
    const after = await dumpTables(db);
    for (const table of Object.keys(original)) {
      const ofCopy = (r: { id?: string; studyId?: string; key?: string }) => (table === 'settings' ? r.key!.endsWith(copyId) : table === 'studies' ? r.id === copyId : r.studyId === copyId);
      const kept = (after[table] as { id?: string; studyId?: string; key?: string }[]).filter((r) => !ofCopy(r));
      expect(kept, table).toEqual(original[table]);
    }
    const copy = await loadStudyRecords(db, copyId);
    expect(copy.study.name).toBe('Open LLM collaboration (demo) (restored)');
    expect([copy.codes.length, copy.codings.length, copy.overrides.length]).toEqual([27, 127, 2]);
    const oldIds = new Set((await loadStudyRecords(db, studyId)).codes.map((c) => c.id));
    expect(copy.codes.some((c) => oldIds.has(c.id))).toBe(false);
    const [view] = await listMatrixViews(db, copyId);
    expect((view!.config as { codeIds: string[] }).codeIds.every((id) => copy.codes.some((c) => c.id === id))).toBe(true);
    expect(await studySettings(db, copyId)).toHaveLength(9);
  });

  it('refuses to replace with a backup whose records belong to another study, and changes nothing', async () => {
    const studyId = await fullStudy(db);
    const file = JSON.parse(await exportStudy(db, studyId)) as { study: { id: string; name: string } };
    file.study.id = '99999999-9999-4999-8999-999999999999';
    file.study.name = 'Impostor';
    const before = await dumpTables(db);
    const { text, preview } = await previewBackup(db, new TextEncoder().encode(JSON.stringify(file)), 'impostor.cartography.json');
    expect(preview.existing).toBeNull();
    await expect(restoreBackup(db, text, 'impostor.cartography.json', 'replace')).rejects.toThrow(BackupConflictError);
    await expect(restoreBackup(db, text, 'impostor.cartography.json', 'replace')).rejects.toThrow(
      'impostor.cartography.json holds records whose identifiers belong to the study “Open LLM collaboration (demo)”, so it cannot replace its own study. Restore it as a copy instead',
    );
    expect(await dumpTables(db)).toEqual(before);
    // As a copy it is fine.
    const copyId = await restoreBackup(db, text, 'impostor.cartography.json', 'copy');
    expect((await db.studies.get(copyId))!.name).toBe('Impostor (restored)');
  });

  it.each([
    ['truncated.cartography.json', /truncated\.cartography\.json is not a valid Cartography study file: \(file\): is not JSON/],
    ['dangling-references.cartography.json', /participants\[0\]\.case: refers to case .*codings\[0\]\.quote/],
    ['binary.cartography.json', /\(file\): is not UTF-8 text/],
    ['not-a-study.txt', /is not JSON/],
    ['empty.qdc', /\(file\): is empty \(0 bytes\)/],
  ])('refuses %s with its problems and leaves the database byte-identical', async (name, message) => {
    await fullStudy(db);
    const before = await dumpTables(db);
    const attempt = previewBackup(db, badInput(name), name);
    await expect(attempt).rejects.toBeInstanceOf(StudyFileError);
    await expect(previewBackup(db, badInput(name), name)).rejects.toThrow(message);
    expect(await dumpTables(db)).toEqual(before);
  });

  it('checks the whole file again when restoring, whatever text it is given', async () => {
    const studyId = await fullStudy(db);
    const before = await dumpTables(db);
    const text = (await exportStudy(db, studyId)).replace('"settings": {', '"settings": { "no good": 1,');
    await expect(restoreBackup(db, text, 'edited.cartography.json', 'replace')).rejects.toThrow('settings.no good');
    await expect(restoreBackup(db, text, 'edited.cartography.json', 'copy')).rejects.toThrow('settings.no good');
    expect(await dumpTables(db)).toEqual(before);
  });
});
