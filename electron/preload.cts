/**
 * The desktop implementation of the platform bridge (shared/platform/bridge.ts).
 *
 * Sandboxed preloads run as CommonJS and may only require 'electron', so this file is
 * self-contained: the channel names and menu commands below repeat those in
 * ipc-contract.ts and bridge.ts, and ipc-contract.test.ts fails if they drift apart.
 * One method per channel; ipcRenderer itself, and IPC events, never reach the page.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import type { AppInfo, BackupEntry, MenuCommand, OpenedFile, PlatformBridge, SaveResult } from '../shared/platform/bridge.ts';

const CHANNELS = {
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
  menuCommand: 'cartography:menu-command',
} as const;

const MENU_COMMANDS: readonly string[] = [
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
] satisfies readonly MenuCommand[];

const bridge = {
  kind: 'desktop',
  appInfo: () => ipcRenderer.invoke(CHANNELS.appInfo) as Promise<AppInfo>,
  openFiles: (options) => ipcRenderer.invoke(CHANNELS.openFiles, options) as Promise<OpenedFile[]>,
  saveFile: (options) => ipcRenderer.invoke(CHANNELS.saveFile, options) as Promise<SaveResult>,
  revealFile: (path) => ipcRenderer.invoke(CHANNELS.revealFile, path) as Promise<boolean>,
  backupsFolder: () => ipcRenderer.invoke(CHANNELS.backupsFolder) as Promise<string | null>,
  writeStudyBackup: (request) => ipcRenderer.invoke(CHANNELS.writeStudyBackup, request) as Promise<SaveResult>,
  listBackups: (studyId) => ipcRenderer.invoke(CHANNELS.listBackups, studyId) as Promise<BackupEntry[]>,
  readBackup: (fileName) => ipcRenderer.invoke(CHANNELS.readBackup, fileName) as Promise<Uint8Array>,
  openPresenterNotes: () => ipcRenderer.invoke(CHANNELS.openPresenterNotes) as Promise<boolean>,
  closePresenterNotes: () => ipcRenderer.invoke(CHANNELS.closePresenterNotes) as Promise<void>,
  onMenuCommand: (listener) => {
    const forward = (_event: IpcRendererEvent, command: unknown): void => {
      if (typeof command === 'string' && MENU_COMMANDS.includes(command)) listener(command as MenuCommand);
    };
    ipcRenderer.on(CHANNELS.menuCommand, forward);
    return () => {
      ipcRenderer.removeListener(CHANNELS.menuCommand, forward);
    };
  },
} satisfies PlatformBridge;

// BRIDGE_GLOBAL in bridge.ts.
contextBridge.exposeInMainWorld('cartography', bridge);
