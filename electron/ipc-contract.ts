/**
 * The IPC channels behind the platform bridge and the checks main applies to every
 * argument before acting. The renderer is treated as untrusted: whatever arrives is
 * validated here, and a bad call is rejected with an error that names what was wrong.
 * preload.cts repeats the channel strings (it cannot import at run time); a test keeps
 * the two in step. Nothing here may import 'electron'.
 */
import path from 'node:path';
import { BACKUP_KEEP_LIMITS, type FileFilter, type OpenFilesOptions, type PlatformBridge, type SaveFileOptions, type StudyBackupRequest } from '../shared/platform/bridge.ts';
import { backupNameProblem } from './backups.ts';

/** Renderer → main request/response channels (ipcRenderer.invoke / ipcMain.handle), one per bridge method. */
export const INVOKE_CHANNELS = {
  appInfo: 'cartography:app-info',
  openFiles: 'cartography:open-files',
  saveFile: 'cartography:save-file',
  revealFile: 'cartography:reveal-file',
  backupsFolder: 'cartography:backups-folder',
  writeStudyBackup: 'cartography:write-study-backup',
  listBackups: 'cartography:list-backups',
  readBackup: 'cartography:read-backup',
  openPresenterNotes: 'cartography:open-presenter-notes',
  closePresenterNotes: 'cartography:close-presenter-notes',
} as const satisfies Record<Exclude<keyof PlatformBridge, 'kind' | 'onMenuCommand'>, `cartography:${string}`>;

/** Main → renderer: native menu items, one MenuCommand per message. */
export const MENU_COMMAND_CHANNEL = 'cartography:menu-command';

export const ALL_CHANNELS: readonly string[] = [...Object.values(INVOKE_CHANNELS), MENU_COMMAND_CHANNEL];

export const MAX_FILE_BYTES = 512 * 1024 * 1024;
/** Several files opened at once all travel back in one IPC reply. */
export const MAX_OPEN_TOTAL_BYTES = 1024 * 1024 * 1024;
export const MAX_TITLE_LENGTH = 200;
export const MAX_FILTERS = 10;
export const MAX_FILTER_NAME_LENGTH = 100;
export const MAX_EXTENSIONS_PER_FILTER = 20;
export const MAX_FILE_NAME_LENGTH = 200;
export const MAX_PATH_LENGTH = 4096;

export class IpcArgumentError extends Error {
  override name = 'IpcArgumentError';
}

function reject(where: string, message: string): never {
  throw new IpcArgumentError(`${where}: ${message}`);
}

function plainObject(where: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || ArrayBuffer.isView(value)) {
    reject(where, 'expected an object');
  }
  return value as Record<string, unknown>;
}

function onlyKeys(where: string, value: Record<string, unknown>, allowed: readonly string[]): void {
  const extra = Object.keys(value).filter((key) => !allowed.includes(key));
  if (extra.length > 0) reject(where, `unexpected field ${extra.map((key) => JSON.stringify(key)).join(', ')}`);
}

function argCount(where: string, args: readonly unknown[], count: number): void {
  if (args.length !== count) reject(where, `expected ${count} argument${count === 1 ? '' : 's'}, got ${args.length}`);
}

function text(where: string, value: unknown, max: number, { allowEmpty = false } = {}): string {
  if (typeof value !== 'string') reject(where, 'expected a string');
  if (!allowEmpty && value.length === 0) reject(where, 'must not be empty');
  if (value.length > max) reject(where, `longer than ${max} characters`);
  return value;
}

function bool(where: string, value: unknown): boolean {
  if (typeof value !== 'boolean') reject(where, 'expected true or false');
  return value;
}

function megabytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}

/** Bytes cross IPC as Uint8Array (structured clone); anything else is refused, as is anything too large. */
function bytesArg(where: string, value: unknown): Uint8Array {
  if (!(value instanceof Uint8Array)) reject(where, 'expected a Uint8Array');
  if (value.byteLength > MAX_FILE_BYTES) reject(where, `${megabytes(value.byteLength)} is more than the ${megabytes(MAX_FILE_BYTES)} limit`);
  return value;
}

const EXTENSION = /^(?:\*|[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*)$/;

function filters(where: string, value: unknown): FileFilter[] {
  if (!Array.isArray(value)) reject(where, 'expected an array of filters');
  if (value.length > MAX_FILTERS) reject(where, `more than ${MAX_FILTERS} filters`);
  return value.map((item: unknown, index) => {
    const at = `${where}[${index}]`;
    const filter = plainObject(at, item);
    onlyKeys(at, filter, ['name', 'extensions']);
    const name = text(`${at}.name`, filter.name, MAX_FILTER_NAME_LENGTH);
    const extensions = filter.extensions;
    if (!Array.isArray(extensions) || extensions.length === 0) reject(`${at}.extensions`, 'expected a non-empty array');
    if (extensions.length > MAX_EXTENSIONS_PER_FILTER) reject(`${at}.extensions`, `more than ${MAX_EXTENSIONS_PER_FILTER} extensions`);
    for (const extension of extensions) {
      if (typeof extension !== 'string' || extension.length > 32 || !EXTENSION.test(extension)) {
        reject(`${at}.extensions`, `${JSON.stringify(extension)} is not an extension like "json" (no dot, no path)`);
      }
    }
    return { name, extensions: [...(extensions as string[])] };
  });
}

const WINDOWS_RESERVED = /^(?:con|prn|aux|nul|com[0-9]|lpt[0-9])(?:\.|$)/i;

/**
 * A bare file name that is safe on every OS: no separators, no "..", no control or
 * reserved characters, no leading dot and no trailing dot or space (Windows drops them).
 */
export function fileNameProblem(name: string): string | null {
  if (name.length === 0) return 'must not be empty';
  if (name.length > MAX_FILE_NAME_LENGTH) return `longer than ${MAX_FILE_NAME_LENGTH} characters`;
  if (/[/\\]/.test(name)) return 'must be a plain file name, without / or \\';
  if (name.includes('..')) return 'must not contain ".."';
  if (/[<>:"|?*]/.test(name) || [...name].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return 'contains a character that is not allowed in file names';
  if (name.startsWith('.')) return 'must not start with a dot';
  if (/[. ]$/.test(name)) return 'must not end with a dot or a space';
  if (WINDOWS_RESERVED.test(name)) return 'is a reserved device name on Windows';
  return null;
}

function fileName(where: string, value: unknown): string {
  const name = text(where, value, MAX_FILE_NAME_LENGTH);
  const problem = fileNameProblem(name);
  if (problem !== null) reject(where, `${JSON.stringify(name)} ${problem}`);
  return name;
}

export function parseNoArgs(channel: string, args: readonly unknown[]): void {
  argCount(channel, args, 0);
}

export function parseOpenFilesArgs(args: readonly unknown[]): OpenFilesOptions {
  const where = 'openFiles';
  argCount(where, args, 1);
  const options = plainObject(`${where} options`, args[0]);
  onlyKeys(`${where} options`, options, ['title', 'filters', 'multiple']);
  return {
    title: text(`${where} options.title`, options.title, MAX_TITLE_LENGTH, { allowEmpty: true }),
    filters: filters(`${where} options.filters`, options.filters),
    multiple: bool(`${where} options.multiple`, options.multiple),
  };
}

export function parseSaveFileArgs(args: readonly unknown[]): SaveFileOptions {
  const where = 'saveFile';
  argCount(where, args, 1);
  const options = plainObject(`${where} options`, args[0]);
  onlyKeys(`${where} options`, options, ['title', 'suggestedName', 'filters', 'bytes']);
  return {
    title: text(`${where} options.title`, options.title, MAX_TITLE_LENGTH, { allowEmpty: true }),
    suggestedName: fileName(`${where} options.suggestedName`, options.suggestedName),
    filters: filters(`${where} options.filters`, options.filters),
    bytes: bytesArg(`${where} options.bytes`, options.bytes),
  };
}

export function parseRevealFileArgs(args: readonly unknown[]): string {
  const where = 'revealFile';
  argCount(where, args, 1);
  const filePath = text(`${where} path`, args[0], MAX_PATH_LENGTH);
  if (filePath.includes('\0') || !path.isAbsolute(filePath)) reject(`${where} path`, 'expected an absolute path');
  return filePath;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const MAX_STUDY_NAME_LENGTH = 500;

function studyId(where: string, value: unknown): string {
  const id = text(where, value, 36);
  if (!GUID.test(id)) reject(where, `${JSON.stringify(id)} is not a study GUID`);
  return id;
}

export function parseWriteStudyBackupArgs(args: readonly unknown[]): StudyBackupRequest {
  const where = 'writeStudyBackup';
  argCount(where, args, 1);
  const request = plainObject(`${where} request`, args[0]);
  onlyKeys(`${where} request`, request, ['studyId', 'studyName', 'bytes', 'keep']);
  const keep = request.keep;
  if (typeof keep !== 'number' || !Number.isInteger(keep) || keep < BACKUP_KEEP_LIMITS.min || keep > BACKUP_KEEP_LIMITS.max) {
    reject(`${where} request.keep`, `expected a whole number from ${BACKUP_KEEP_LIMITS.min} to ${BACKUP_KEEP_LIMITS.max}`);
  }
  return {
    studyId: studyId(`${where} request.studyId`, request.studyId),
    studyName: text(`${where} request.studyName`, request.studyName, MAX_STUDY_NAME_LENGTH, { allowEmpty: true }),
    bytes: bytesArg(`${where} request.bytes`, request.bytes),
    keep,
  };
}

/** A study's GUID, or null for the backups of every study. */
export function parseListBackupsArgs(args: readonly unknown[]): string | null {
  const where = 'listBackups';
  argCount(where, args, 1);
  return args[0] === null ? null : studyId(`${where} studyId`, args[0]);
}

/** Only a name the backup policy makes: no path, nothing outside the backups folder. */
export function parseReadBackupArgs(args: readonly unknown[]): string {
  const where = 'readBackup';
  argCount(where, args, 1);
  const name = text(`${where} fileName`, args[0], MAX_FILE_NAME_LENGTH);
  const problem = fileNameProblem(name) ?? backupNameProblem(name);
  if (problem !== null) reject(`${where} fileName`, `${JSON.stringify(name)} ${problem}`);
  return name;
}

/** Checked on disk (fs.stat) before a chosen file is read into memory. */
export function openedFileSizeProblem(name: string, size: number, totalSoFar: number): string | null {
  if (size > MAX_FILE_BYTES) {
    return `"${name}" is ${megabytes(size)}; Cartography opens files up to ${megabytes(MAX_FILE_BYTES)}.`;
  }
  if (totalSoFar + size > MAX_OPEN_TOTAL_BYTES) {
    return `The chosen files add up to more than ${megabytes(MAX_OPEN_TOTAL_BYTES)}; open fewer at a time.`;
  }
  return null;
}
