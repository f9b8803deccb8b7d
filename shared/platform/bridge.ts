/**
 * The one contract between the renderer and the operating system. Electron implements
 * it in its preload (one method per IPC channel); the browser implements it with a
 * file input, drag and drop and Blob downloads. The renderer picks one at start and
 * never knows which it has.
 */

export interface FileFilter {
  /** e.g. "Cartography study" */
  name: string;
  /** Extensions without the dot, e.g. ["json"]. */
  extensions: string[];
}

export interface OpenFilesOptions {
  title: string;
  filters: FileFilter[];
  multiple: boolean;
}

export interface OpenedFile {
  name: string;
  /** Absolute path where the platform knows it (desktop); null in the browser. */
  path: string | null;
  bytes: Uint8Array;
}

export interface SaveFileOptions {
  title: string;
  suggestedName: string;
  filters: FileFilter[];
  bytes: Uint8Array;
}

export type SaveResult = { saved: true; path: string | null } | { saved: false };

/** Commands sent by native menus (desktop) or keyboard shortcuts (both). */
export const MENU_COMMANDS = [
  'new-study',
  'import-study',
  'export-study',
  'undo',
  'redo',
  'about',
  'reset-demo',
  'backup-now',
  'restore-backup',
  'merge-teammate',
] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

/** One backup in the backups folder (desktop), as its file name and size describe it. */
export interface BackupEntry {
  fileName: string;
  /** The first 8 hex digits of the study's GUID, which the file name carries. */
  studyIdPrefix: string;
  /** The study's name as the file name carries it (lower case, ASCII, dashes). */
  studySlug: string;
  /** When the backup was written: ISO 8601, UTC, to the second. */
  date: string;
  /** In bytes. */
  size: number;
}

/** A backup of one study, written into the backups folder, keeping the newest `keep` of that study. */
export interface StudyBackupRequest {
  studyId: string;
  studyName: string;
  bytes: Uint8Array;
  keep: number;
}

/** Automatic backups (desktop): every `intervalMinutes` while the open study changes, the newest `keep` kept. */
export interface BackupSettings {
  enabled: boolean;
  intervalMinutes: number;
  keep: number;
}

export const BACKUP_INTERVAL_LIMITS = { min: 1, max: 120 } as const;
export const BACKUP_KEEP_LIMITS = { min: 1, max: 100 } as const;
export const DEFAULT_BACKUP_SETTINGS: BackupSettings = { enabled: true, intervalMinutes: 5, keep: 10 };

const wholeBetween = (value: unknown, { min, max }: { min: number; max: number }): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;

/** What is wrong with backup settings a researcher typed (empty when nothing is). */
export function backupSettingsProblems(settings: { intervalMinutes: unknown; keep: unknown }): string[] {
  const problems: string[] = [];
  if (!wholeBetween(settings.intervalMinutes, BACKUP_INTERVAL_LIMITS)) {
    problems.push(`Back up every: give a whole number of minutes from ${BACKUP_INTERVAL_LIMITS.min} to ${BACKUP_INTERVAL_LIMITS.max}.`);
  }
  if (!wholeBetween(settings.keep, BACKUP_KEEP_LIMITS)) {
    problems.push(`Keep: give a whole number of backups per study from ${BACKUP_KEEP_LIMITS.min} to ${BACKUP_KEEP_LIMITS.max}.`);
  }
  return problems;
}

/** Stored settings, cleaned: a field missing or out of range takes its default. */
export function backupSettingsOf(stored: unknown): BackupSettings {
  const obj = stored !== null && typeof stored === 'object' && !Array.isArray(stored) ? (stored as Record<string, unknown>) : {};
  return {
    enabled: typeof obj['enabled'] === 'boolean' ? obj['enabled'] : DEFAULT_BACKUP_SETTINGS.enabled,
    intervalMinutes: wholeBetween(obj['intervalMinutes'], BACKUP_INTERVAL_LIMITS) ? obj['intervalMinutes'] : DEFAULT_BACKUP_SETTINGS.intervalMinutes,
    keep: wholeBetween(obj['keep'], BACKUP_KEEP_LIMITS) ? obj['keep'] : DEFAULT_BACKUP_SETTINGS.keep,
  };
}

export interface AppInfo {
  name: string;
  version: string;
  platform: 'desktop' | 'browser';
  /** e.g. "Electron 41.7.1, Chromium 146" or the browser's user agent. */
  runtime: string;
}

export interface PlatformBridge {
  readonly kind: 'desktop' | 'browser';
  appInfo(): Promise<AppInfo>;
  /** Resolves to [] when the user cancels. */
  openFiles(options: OpenFilesOptions): Promise<OpenedFile[]>;
  saveFile(options: SaveFileOptions): Promise<SaveResult>;
  /** Shows a saved file in the system file manager; false where the platform cannot. */
  revealFile(path: string): Promise<boolean>;
  /** Where automatic backups are written; null where the platform has no folder (browser). */
  backupsFolder(): Promise<string | null>;
  /**
   * Writes a backup of one study under a name main makes (study, id, time), atomically,
   * then deletes that study's oldest backups beyond `keep`; a failed write deletes nothing.
   * In a browser: a download, nothing kept.
   */
  writeStudyBackup(request: StudyBackupRequest): Promise<SaveResult>;
  /** The backups in the backups folder, newest first: of one study (by GUID), or all (null). [] in a browser. */
  listBackups(studyId: string | null): Promise<BackupEntry[]>;
  /** The bytes of one backup, named as listBackups gave it; refused in a browser (no backups folder). */
  readBackup(fileName: string): Promise<Uint8Array>;
  /**
   * Opens the speaker notes of a running presentation in a window of their own, or brings
   * the one already open to the front. True when there is such a window (desktop); false
   * where the platform has none (browser: the presenter's side panel, or the notes screen
   * at #/presenter-notes opened by hand in another tab).
   */
  openPresenterNotes(): Promise<boolean>;
  /** Closes the speaker notes window, if one is open (nothing in the browser). */
  closePresenterNotes(): Promise<void>;
  /** Subscribes to menu commands; returns the unsubscribe function. */
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
}

/** The name under which the desktop preload exposes the bridge on `window`. */
export const BRIDGE_GLOBAL = 'cartography';
