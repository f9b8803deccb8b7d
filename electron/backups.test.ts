import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupSettingsOf, backupSettingsProblems, DEFAULT_BACKUP_SETTINGS } from '../shared/platform/bridge.ts';
import {
  backupFileName,
  backupNameProblem,
  backupsInListing,
  backupsToDelete,
  nodeBackupFs,
  parseBackupFileName,
  studySlug,
  writeStudyBackupFile,
  type BackupFs,
} from './backups.ts';
import { fileNameProblem } from './ipc-contract.ts';

const STUDY = 'a1b2c3d4-0000-4000-8000-000000000001';
const OTHER = 'ffee0011-0000-4000-8000-000000000002';
const at = (iso: string) => new Date(iso);

describe('backup file names', () => {
  it('are <slug>-<study id prefix>-<UTC time>.cartography.json', () => {
    expect(backupFileName(STUDY, 'Open models: 2026 wave', at('2026-01-31T09:30:05.123Z'))).toBe('open-models-2026-wave-a1b2c3d4-20260131T093005Z.cartography.json');
  });

  it('are safe on Windows, macOS and Linux whatever the study is called', () => {
    for (const name of ['CON', 'a/b\\c', 'Études à Genève', '..', '<>:"|?*', '   ', 'x'.repeat(300), '日本語の研究', 'nul.txt']) {
      const fileName = backupFileName(STUDY, name, at('2026-01-31T09:30:05Z'));
      expect(fileNameProblem(fileName), fileName).toBeNull();
      expect(fileName).toMatch(/^[a-z0-9-]+-a1b2c3d4-20260131T093005Z\.cartography\.json$/);
      expect(parseBackupFileName(fileName)).not.toBeNull();
    }
    expect(studySlug('Études à Genève')).toBe('etudes-a-geneve');
    expect(studySlug('日本語の研究')).toBe('study');
    expect(studySlug('x'.repeat(300))).toHaveLength(40);
  });

  it('sort by time within a study', () => {
    const names = ['2026-03-01T00:00:00Z', '2025-12-31T23:59:59Z', '2026-01-01T00:00:00Z'].map((d) => backupFileName(STUDY, 'S', at(d)));
    expect([...names].sort()).toEqual([names[1], names[2], names[0]]);
  });

  it('read back into study, time and name', () => {
    expect(parseBackupFileName('open-models-a1b2c3d4-20260131T093005Z.cartography.json')).toEqual({
      fileName: 'open-models-a1b2c3d4-20260131T093005Z.cartography.json',
      studySlug: 'open-models',
      studyIdPrefix: 'a1b2c3d4',
      date: '2026-01-31T09:30:05Z',
    });
  });

  it.each([
    'notes.txt',
    'open-models-2026-01-31.cartography.json',
    'open-models-a1b2c3d4-20260131T093005Z.cartography.json.partial',
    '.open-models-a1b2c3d4-20260131T093005Z.cartography.json.1a2b.partial',
    'open-models-A1B2C3D4-20260131T093005Z.cartography.json',
    'open-models-a1b2c3d4-20260230T093005Z.cartography.json',
    '../open-models-a1b2c3d4-20260131T093005Z.cartography.json',
  ])('ignore %s, which is not a backup name', (name) => {
    expect(parseBackupFileName(name)).toBeNull();
    expect(backupNameProblem(name)).toMatch(/is not the name of a Cartography backup/);
  });
});

describe('a listing of the backups folder', () => {
  const listing = [
    { name: 'study-a1b2c3d4-20260101T000000Z.cartography.json', size: 10 },
    { name: 'notes.txt', size: 3 },
    { name: 'study-a1b2c3d4-20260301T000000Z.cartography.json', size: 30 },
    { name: 'other-ffee0011-20260401T000000Z.cartography.json', size: 40 },
    { name: 'study-a1b2c3d4-20260201T000000Z.cartography.json', size: 20 },
  ];

  it('gives the backups newest first, of one study or of all, and leaves other files out', () => {
    expect(backupsInListing(listing, STUDY).map((b) => [b.date, b.size])).toEqual([
      ['2026-03-01T00:00:00Z', 30],
      ['2026-02-01T00:00:00Z', 20],
      ['2026-01-01T00:00:00Z', 10],
    ]);
    expect(backupsInListing(listing).map((b) => b.studyIdPrefix)).toEqual(['ffee0011', 'a1b2c3d4', 'a1b2c3d4', 'a1b2c3d4']);
  });

  it('deletes the oldest backups of that study beyond the number to keep, and nothing of other studies', () => {
    expect(backupsToDelete(listing, STUDY, 2)).toEqual(['study-a1b2c3d4-20260101T000000Z.cartography.json']);
    expect(backupsToDelete(listing, STUDY, 1)).toEqual(['study-a1b2c3d4-20260201T000000Z.cartography.json', 'study-a1b2c3d4-20260101T000000Z.cartography.json']);
    expect(backupsToDelete(listing, STUDY, 3)).toEqual([]);
    expect(backupsToDelete(listing, OTHER, 1)).toEqual([]);
    expect(() => backupsToDelete(listing, STUDY, 0)).toThrow('keep must be a whole number ≥ 1, not 0');
  });
});

describe('backup settings', () => {
  it('default to every 5 minutes, keeping 10', () => {
    expect(DEFAULT_BACKUP_SETTINGS).toEqual({ enabled: true, intervalMinutes: 5, keep: 10 });
    expect(backupSettingsOf(undefined)).toEqual(DEFAULT_BACKUP_SETTINGS);
  });

  it('keep stored values in range and replace the others by their default', () => {
    expect(backupSettingsOf({ enabled: false, intervalMinutes: 120, keep: 1 })).toEqual({ enabled: false, intervalMinutes: 120, keep: 1 });
    expect(backupSettingsOf({ enabled: 'yes', intervalMinutes: 0, keep: 101 })).toEqual(DEFAULT_BACKUP_SETTINGS);
    expect(backupSettingsOf({ intervalMinutes: 2.5, keep: '3' })).toEqual(DEFAULT_BACKUP_SETTINGS);
  });

  it('say what is wrong with typed values', () => {
    expect(backupSettingsProblems({ intervalMinutes: 1, keep: 100 })).toEqual([]);
    expect(backupSettingsProblems({ intervalMinutes: 121, keep: 0 })).toEqual([
      'Back up every: give a whole number of minutes from 1 to 120.',
      'Keep: give a whole number of backups per study from 1 to 100.',
    ]);
    expect(backupSettingsProblems({ intervalMinutes: Number.NaN, keep: 5 })).toHaveLength(1);
  });
});

describe('writeStudyBackupFile', () => {
  let folder = '';
  beforeEach(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), 'cartography-backups-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  const write = (fs: BackupFs, iso: string, keep = 2, text = iso) =>
    writeStudyBackupFile(fs, folder, { studyId: STUDY, studyName: 'Open models', bytes: new TextEncoder().encode(text), keep, date: at(iso) });

  it('writes the bytes under the policy name and keeps the newest backups of the study', async () => {
    await writeFile(path.join(folder, 'readme.txt'), 'mine');
    await writeFile(path.join(folder, 'other-ffee0011-20250101T000000Z.cartography.json'), '{}');
    await write(nodeBackupFs, '2026-01-01T00:00:00Z');
    await write(nodeBackupFs, '2026-01-02T00:00:00Z');
    const third = await write(nodeBackupFs, '2026-01-03T00:00:00Z');
    expect(third.fileName).toBe('open-models-a1b2c3d4-20260103T000000Z.cartography.json');
    expect(third.deleted).toEqual(['open-models-a1b2c3d4-20260101T000000Z.cartography.json']);
    expect(await readFile(third.path, 'utf8')).toBe('2026-01-03T00:00:00Z');
    expect((await readdir(folder)).sort()).toEqual([
      'open-models-a1b2c3d4-20260102T000000Z.cartography.json',
      'open-models-a1b2c3d4-20260103T000000Z.cartography.json',
      'other-ffee0011-20250101T000000Z.cartography.json',
      'readme.txt',
    ]);
  });

  it('leaves every earlier backup, and no partial file, when the write fails', async () => {
    await write(nodeBackupFs, '2026-01-01T00:00:00Z', 1);
    const before = (await readdir(folder)).sort();
    const diskFull: BackupFs = { ...nodeBackupFs, writeFile: async (file) => {
      await writeFile(file, 'half a bac');
      throw new Error('ENOSPC: no space left on device');
    } };
    await expect(write(diskFull, '2026-01-02T00:00:00Z', 1)).rejects.toThrow(`The backup could not be written to ${folder}: ENOSPC: no space left on device. Your earlier backups were kept.`);
    expect((await readdir(folder)).sort()).toEqual(before);
    expect(await readFile(path.join(folder, before[0]!), 'utf8')).toBe('2026-01-01T00:00:00Z');
  });

  it('does not rotate when the rename into place fails', async () => {
    await write(nodeBackupFs, '2026-01-01T00:00:00Z', 1);
    const renameFails: BackupFs = { ...nodeBackupFs, rename: async () => {
      throw new Error('EPERM: operation not permitted');
    } };
    await expect(write(renameFails, '2026-01-02T00:00:00Z', 1)).rejects.toThrow(/EPERM/);
    expect(await readdir(folder)).toEqual(['open-models-a1b2c3d4-20260101T000000Z.cartography.json']);
  });
});
