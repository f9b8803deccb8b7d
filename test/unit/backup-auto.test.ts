import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backUpIfChanged, BACKUP_SETTINGS_KEY, getBackupSettings, saveBackupSettings } from '../../renderer/data/backups.ts';
import { CartographyDb } from '../../renderer/data/db.ts';
import { createStudy, deleteStudy, exportStudy, getSetting, importStudyFile, putSetting, renameStudy } from '../../renderer/data/studies.ts';
import type { StudyBackupRequest } from '../../shared/platform/bridge.ts';

let db: CartographyDb;
let written: StudyBackupRequest[];
const bridge = {
  writeStudyBackup: async (request: StudyBackupRequest) => {
    written.push(request);
    return { saved: true as const, path: `/backups/${request.studyName}` };
  },
};

beforeEach(async () => {
  db = new CartographyDb(`backup-auto-${Math.random()}`);
  await db.open();
  written = [];
});
afterEach(async () => {
  await db.delete();
});

describe('automatic backups', () => {
  it('write a backup the first time, then only after the study changed', async () => {
    const studyId = await createStudy(db, 'Field study', 'Ana');
    expect(await backUpIfChanged(db, bridge, studyId)).toBe(true);
    expect(await backUpIfChanged(db, bridge, studyId)).toBe(false);
    await renameStudy(db, studyId, 'Field study, wave 2');
    expect(await backUpIfChanged(db, bridge, studyId)).toBe(true);
    expect(written.map((w) => [w.studyId, w.studyName, w.keep])).toEqual([
      [studyId, 'Field study', 10],
      [studyId, 'Field study, wave 2', 10],
    ]);
    // What is written is the study file, which imports back to the same study.
    const copy = new CartographyDb(`backup-auto-copy-${Math.random()}`);
    await copy.open();
    await importStudyFile(copy, new TextDecoder().decode(written[1]!.bytes), 'backup.cartography.json');
    expect(await exportStudy(copy, studyId)).toBe(await exportStudy(db, studyId));
    await copy.delete();
  });

  it('remember what was backed up across restarts, and forget studies that are gone', async () => {
    const a = await createStudy(db, 'A', 'Ana');
    const b = await createStudy(db, 'B', 'Ana');
    await backUpIfChanged(db, bridge, a);
    await deleteStudy(db, a);
    await backUpIfChanged(db, bridge, b);
    expect(Object.keys((await getSetting<Record<string, string>>(db, 'backups-last-modified'))!)).toEqual([b]);
    expect(await backUpIfChanged(db, bridge, a)).toBe(false);
  });

  it('keep as many as the settings say, and write nothing when the bridge fails', async () => {
    const studyId = await createStudy(db, 'Field study', 'Ana');
    await saveBackupSettings(db, { enabled: true, intervalMinutes: 15, keep: 3 });
    const failing = { writeStudyBackup: async () => Promise.reject(new Error('The backup could not be written to /backups: ENOSPC.')) };
    await expect(backUpIfChanged(db, failing, studyId)).rejects.toThrow('ENOSPC');
    // Not recorded as backed up: the next tick tries again.
    expect(await backUpIfChanged(db, bridge, studyId)).toBe(true);
    expect(written[0]!.keep).toBe(3);
  });
});

describe('backup settings in the settings store', () => {
  it('default to on, every 5 minutes, keeping 10, under a global key that no study carries', async () => {
    expect(await getBackupSettings(db)).toEqual({ enabled: true, intervalMinutes: 5, keep: 10 });
    await saveBackupSettings(db, { enabled: false, intervalMinutes: 120, keep: 1 });
    expect(await getSetting(db, BACKUP_SETTINGS_KEY)).toEqual({ enabled: false, intervalMinutes: 120, keep: 1 });
    const studyId = await createStudy(db, 'Field study', 'Ana');
    expect(JSON.parse(await exportStudy(db, studyId)).settings).toEqual({ coderConfirmed: true });
  });

  it('refuse values out of range and keep the saved ones', async () => {
    await saveBackupSettings(db, { enabled: true, intervalMinutes: 10, keep: 5 });
    await expect(saveBackupSettings(db, { enabled: true, intervalMinutes: 0, keep: 500 })).rejects.toThrow(
      'Back up every: give a whole number of minutes from 1 to 120. Keep: give a whole number of backups per study from 1 to 100.',
    );
    expect(await getBackupSettings(db)).toEqual({ enabled: true, intervalMinutes: 10, keep: 5 });
    await putSetting(db, BACKUP_SETTINGS_KEY, { intervalMinutes: 'often' });
    expect(await getBackupSettings(db)).toEqual({ enabled: true, intervalMinutes: 5, keep: 10 });
  });
});
