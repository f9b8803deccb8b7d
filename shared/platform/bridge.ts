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
] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

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
  /** Writes a backup file into the backups folder (desktop) or offers it as a download (browser). */
  writeBackup(fileName: string, bytes: Uint8Array): Promise<SaveResult>;
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
