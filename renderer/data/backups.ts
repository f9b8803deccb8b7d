/**
 * Backups of a study and their restore. A backup is the study file (every record and every
 * setting of the study). A restore reads and checks the WHOLE file first (decoding, every
 * field and reference, referential integrity) and only then writes, in one transaction:
 * either it replaces the study with the same GUID (its records and settings deleted, the
 * backup's put) or it adds the backup as a new study with new GUIDs. Any failure leaves the
 * database exactly as it was.
 */
import type { Table } from 'dexie';
import { newGuid } from '../../shared/model/ids.ts';
import { backupSettingsOf, backupSettingsProblems, type BackupSettings, type PlatformBridge, type SaveResult } from '../../shared/platform/bridge.ts';
import { checkStudyRecords } from '../../shared/model/integrity.ts';
import type { Guid, IsoDate, StudyRecords } from '../../shared/model/types.ts';
import { StudyFileError, type StudyFileSettings } from '../../shared/study-file/format.ts';
import { readStudyFileContents } from '../../shared/study-file/read.ts';
import { STUDY_TABLES, type CartographyDb } from './db.ts';
import { deleteStudy, exportStudy, getSetting, putSetting, saveStudyRecords, uniqueName } from './studies.ts';

const nowIso = () => new Date().toISOString();

/** The bytes of a backup of a study: its study file, UTF-8. */
export async function exportBackupBytes(db: CartographyDb, studyId: Guid): Promise<Uint8Array> {
  return new TextEncoder().encode(await exportStudy(db, studyId));
}

/** What a backup holds, shown before anything is written. */
export interface BackupPreview {
  fileName: string;
  studyId: Guid;
  studyName: string;
  /** When the study last changed before the backup was written. */
  modifiedAt: IsoDate;
  documents: number;
  codes: number;
  codings: number;
  memos: number;
  cases: number;
  /** How many of the study's settings (saved views, positions…) travel with it. */
  settings: number;
  /** The study in this database with the backup's GUID: Replace replaces it. */
  existing: { id: Guid; name: string } | null;
}

/** UTF-8 text of a backup, or a StudyFileError that says why not. */
export function decodeBackup(bytes: Uint8Array, fileName: string): string {
  if (bytes.byteLength === 0) {
    throw new StudyFileError(fileName, [{ path: '(file)', message: 'is empty (0 bytes): it holds no study. Choose another backup; an interrupted download or copy leaves files like this.' }]);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new StudyFileError(fileName, [{ path: '(file)', message: 'is not UTF-8 text; a backup is a study file (JSON) written by Cartography. Choose a *.cartography.json file.' }]);
  }
}

/** Reads and checks a whole backup: every field, reference and anchor, then referential integrity. */
function readBackup(text: string, fileName: string, freshIds: boolean): { records: StudyRecords; settings: StudyFileSettings } {
  const contents = readStudyFileContents(text, fileName, { now: nowIso(), newId: newGuid, freshIds });
  const problems = checkStudyRecords(contents.records);
  if (problems.length > 0) throw new StudyFileError(fileName, problems);
  return contents;
}

/** Reads a backup for its preview; throws StudyFileError (with JSON paths) and writes nothing. */
export async function previewBackup(db: CartographyDb, bytes: Uint8Array, fileName: string): Promise<{ preview: BackupPreview; text: string }> {
  const text = decodeBackup(bytes, fileName);
  const { records, settings } = readBackup(text, fileName, false);
  const existing = await db.studies.get(records.study.id);
  return {
    text,
    preview: {
      fileName,
      studyId: records.study.id,
      studyName: records.study.name,
      modifiedAt: records.study.modifiedAt,
      documents: records.documents.length,
      codes: records.codes.length,
      codings: records.codings.length,
      memos: records.memos.length,
      cases: records.cases.length,
      settings: Object.keys(settings).length,
      existing: existing ? { id: existing.id, name: existing.name } : null,
    },
  };
}

export type RestoreMode = 'replace' | 'copy';

export class BackupConflictError extends Error {
  constructor(fileName: string, otherStudy: string) {
    super(`${fileName} holds records whose identifiers belong to the study “${otherStudy}”, so it cannot replace its own study. Restore it as a copy instead: the copy gets new identifiers.`);
    this.name = 'BackupConflictError';
  }
}

/**
 * Restores a backup: 'replace' puts the study back under its own GUID (whatever the study
 * holds now is deleted, with its settings), 'copy' adds it beside the others with new GUIDs.
 * Returns the restored study's id. Checks everything before writing; writes in one transaction.
 */
export async function restoreBackup(db: CartographyDb, text: string, fileName: string, mode: RestoreMode): Promise<Guid> {
  const { records, settings } = readBackup(text, fileName, mode === 'copy');
  if (mode === 'copy') {
    records.study.name = await uniqueName(db, `${records.study.name} (restored)`);
    return saveStudyRecords(db, records, settings);
  }
  const studyId = records.study.id;
  const tables = [db.studies, db.settings, db.segments, ...STUDY_TABLES.map((c) => db.collection(c))];
  return db.transaction('rw', tables, async () => {
    await refuseForeignIds(db, records, fileName);
    const current = await db.studies.get(studyId);
    if (current) {
      // The demo stays the demo; the active coder stays when the backup still has them.
      records.study.isDemo = current.isDemo;
      if (current.activeCoderId && records.coders.some((c) => c.id === current.activeCoderId)) records.study.activeCoderId = current.activeCoderId;
      await deleteStudy(db, studyId);
    }
    return saveStudyRecords(db, records, settings);
  });
}

/** A record id of the backup that another study's record has would make the write fail half-way: say so first. */
async function refuseForeignIds(db: CartographyDb, records: StudyRecords, fileName: string): Promise<void> {
  const studyId = records.study.id;
  const tables: { table: Table<{ id: Guid; studyId: Guid }, Guid>; rows: readonly { id: Guid }[] }[] = [
    ...STUDY_TABLES.map((name) => ({ table: db.collection(name), rows: records[name] })),
    { table: db.segments, rows: records.segments },
  ];
  for (const { table, rows } of tables) {
    if (rows.length === 0) continue;
    const clash = (await table.bulkGet(rows.map((r) => r.id))).find((row) => row !== undefined && row.studyId !== studyId);
    if (clash) throw new BackupConflictError(fileName, (await db.studies.get(clash.studyId))?.name ?? 'another study');
  }
}

/** Automatic backup settings live under one global key (not ":<studyId>": they are the computer's, not a study's). */
export const BACKUP_SETTINGS_KEY = 'backup-settings';

export async function getBackupSettings(db: CartographyDb): Promise<BackupSettings> {
  return backupSettingsOf(await getSetting(db, BACKUP_SETTINGS_KEY));
}

/** Saves backup settings; refuses values out of range with the reason, and saves nothing then. */
export async function saveBackupSettings(db: CartographyDb, settings: BackupSettings): Promise<void> {
  const problems = backupSettingsProblems(settings);
  if (problems.length > 0) throw new Error(problems.join(' '));
  await putSetting(db, BACKUP_SETTINGS_KEY, { enabled: settings.enabled, intervalMinutes: settings.intervalMinutes, keep: settings.keep });
}

/** Writes a backup of a study through the platform: into the backups folder (desktop), or a download (browser). */
export async function backUpStudy(db: CartographyDb, platform: Pick<PlatformBridge, 'writeStudyBackup'>, studyId: Guid): Promise<{ result: SaveResult; modifiedAt: IsoDate }> {
  const study = await db.studies.get(studyId);
  if (!study) throw new Error('That study no longer exists.');
  const { keep } = await getBackupSettings(db);
  const bytes = await exportBackupBytes(db, studyId);
  return { result: await platform.writeStudyBackup({ studyId, studyName: study.name, bytes, keep }), modifiedAt: study.modifiedAt };
}

/** Global: each study's modifiedAt at its last automatic backup, so a restart does not back up an unchanged study again. */
export const LAST_BACKED_UP_KEY = 'backups-last-modified';

/**
 * One tick of automatic backups: backs the study up when it changed since its last backup
 * (its modifiedAt differs from the one recorded then). True when a backup was written.
 */
export async function backUpIfChanged(db: CartographyDb, platform: Pick<PlatformBridge, 'writeStudyBackup'>, studyId: Guid): Promise<boolean> {
  const study = await db.studies.get(studyId);
  const last = (await getSetting<Record<string, string>>(db, LAST_BACKED_UP_KEY)) ?? {};
  if (!study || last[studyId] === study.modifiedAt) return false;
  const { modifiedAt } = await backUpStudy(db, platform, studyId);
  const present = new Set(await db.studies.toCollection().primaryKeys());
  const kept = Object.fromEntries(Object.entries(last).filter(([id]) => present.has(id)));
  await putSetting(db, LAST_BACKED_UP_KEY, { ...kept, [studyId]: modifiedAt });
  return true;
}
