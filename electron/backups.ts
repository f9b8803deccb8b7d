/**
 * Backups on disk: how they are named, read back from a folder listing, rotated and
 * written. The names carry what the list of backups shows (study, time) so listing the
 * folder never opens a file, and they sort by time within a study. Names are made here
 * from a study id and name, never taken from the renderer: the only names main reads or
 * deletes are ones `parseBackupFileName` accepts. Nothing here may import 'electron'.
 */
import { randomBytes } from 'node:crypto';
import { readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BackupEntry } from '../shared/platform/bridge.ts';

export const BACKUP_SUFFIX = '.cartography.json';
/** The study name part: long enough to recognise, short enough for every file system. */
export const MAX_SLUG_LENGTH = 40;

const BACKUP_NAME = /^([a-z0-9]+(?:-[a-z0-9]+)*)-([0-9a-f]{8})-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z\.cartography\.json$/;

/**
 * The study's name as a file name part: ASCII letters and digits in lower case, everything
 * else a single dash (accents dropped, "Études" → "etudes"); "study" when nothing is left.
 */
export function studySlug(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/^-+|-+$/g, '');
  return slug === '' ? 'study' : slug;
}

/** The first 8 hex digits of a study's GUID, as names carry it. */
export function studyIdPrefix(studyId: string): string {
  const prefix = studyId.toLowerCase().slice(0, 8);
  if (!/^[0-9a-f]{8}$/.test(prefix)) throw new Error(`"${studyId}" is not a study GUID`);
  return prefix;
}

/** `<study-name-slug>-<studyId prefix>-<yyyymmddThhmmssZ>.cartography.json` (UTC, basic ISO 8601: no colons). */
export function backupFileName(studyId: string, studyName: string, date: Date): string {
  const stamp = date.toISOString().slice(0, 19).replace(/[-:]/g, '');
  return `${studySlug(studyName)}-${studyIdPrefix(studyId)}-${stamp}Z${BACKUP_SUFFIX}`;
}

/** A backup's name read back, or null for anything else in the folder (foreign files are left alone). */
export function parseBackupFileName(fileName: string): Omit<BackupEntry, 'size'> | null {
  const match = BACKUP_NAME.exec(fileName);
  if (!match) return null;
  const [, slug, prefix, y, mo, d, h, mi, s] = match;
  const date = `${y}-${mo}-${d}T${h}:${mi}:${s}.000Z`;
  // 20261331T…: the pattern fits but no such time exists.
  const parsed = new Date(date);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString() !== date) return null;
  return { fileName, studySlug: slug!, studyIdPrefix: prefix!, date: `${y}-${mo}-${d}T${h}:${mi}:${s}Z` };
}

/** The backups in a listing of the folder, newest first (ties by name); other files are ignored. */
export function backupsInListing(listing: readonly { name: string; size: number }[], studyId: string | null = null): BackupEntry[] {
  const prefix = studyId === null ? null : studyIdPrefix(studyId);
  return listing
    .flatMap(({ name, size }) => {
      const entry = parseBackupFileName(name);
      return entry && (prefix === null || entry.studyIdPrefix === prefix) ? [{ ...entry, size }] : [];
    })
    .sort((a, b) => (a.date === b.date ? b.fileName.localeCompare(a.fileName) : a.date < b.date ? 1 : -1));
}

/** The backups of one study to delete so that only its newest `keep` remain. */
export function backupsToDelete(listing: readonly { name: string; size: number }[], studyId: string, keep: number): string[] {
  if (!Number.isInteger(keep) || keep < 1) throw new Error(`keep must be a whole number ≥ 1, not ${keep}`);
  return backupsInListing(listing, studyId)
    .slice(keep)
    .map((entry) => entry.fileName);
}

/** A name the renderer sends back (readBackup) is only ever one the folder policy made. */
export function backupNameProblem(fileName: string): string | null {
  return parseBackupFileName(fileName) === null ? 'is not the name of a Cartography backup (study-name-1a2b3c4d-20260131T093000Z.cartography.json)' : null;
}

/** The file system calls a backup write makes; tests pass failing ones. */
export interface BackupFs {
  writeFile(file: string, bytes: Uint8Array): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  rm(file: string): Promise<void>;
  list(folder: string): Promise<{ name: string; size: number }[]>;
}

/** Regular files of a folder with their sizes (subfolders and links are not backups). */
async function listFiles(folder: string): Promise<{ name: string; size: number }[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const files = entries.filter((e) => e.isFile());
  return Promise.all(files.map(async (e) => ({ name: e.name, size: (await stat(path.join(folder, e.name))).size })));
}

export const nodeBackupFs: BackupFs = {
  writeFile: (file, bytes) => writeFile(file, bytes, { flag: 'wx' }),
  rename,
  rm: (file) => rm(file, { force: true }),
  list: listFiles,
};

export interface WrittenBackup {
  path: string;
  fileName: string;
  /** Older backups of the study deleted to keep `keep`. */
  deleted: string[];
}

/**
 * Writes one backup of a study into `folder` and rotates that study's backups.
 * The bytes go to a temporary file beside the target, which is renamed into place, so a
 * crash or a full disk never leaves half a backup under a backup's name. Rotation runs only
 * after the rename succeeded: a failed write deletes nothing (its temporary file aside).
 */
export async function writeStudyBackupFile(
  fs: BackupFs,
  folder: string,
  request: { studyId: string; studyName: string; bytes: Uint8Array; keep: number; date: Date },
): Promise<WrittenBackup> {
  const fileName = backupFileName(request.studyId, request.studyName, request.date);
  const target = path.join(folder, fileName);
  // Temporary names start with a dot and end in .partial: never mistaken for a backup.
  const partial = path.join(folder, `.${fileName}.${randomBytes(4).toString('hex')}.partial`);
  try {
    await fs.writeFile(partial, request.bytes);
    await fs.rename(partial, target);
  } catch (error) {
    await fs.rm(partial).catch(() => undefined);
    throw new Error(`The backup could not be written to ${folder}: ${(error as Error).message}. Your earlier backups were kept.`, { cause: error });
  }
  const deleted = backupsToDelete(await fs.list(folder), request.studyId, request.keep).filter((name) => name !== fileName);
  for (const name of deleted) await fs.rm(path.join(folder, name));
  return { path: target, fileName, deleted };
}
