/**
 * The platform bridge in a plain browser: a hidden file input to open files, Blob
 * downloads to save them, and keyboard shortcuts in place of native menus. A browser has
 * no backups folder: a backup is a download, and a restore reads a file the user chooses.
 */
import type { AppInfo, MenuCommand, OpenedFile, OpenFilesOptions, PlatformBridge, SaveFileOptions, SaveResult } from '../../shared/platform/bridge.ts';
import { fileStem } from '../../shared/text/file-stem.ts';

function pickFiles(options: OpenFilesOptions): Promise<File[]> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = options.multiple;
    input.accept = options.filters.flatMap((f) => f.extensions.map((e) => `.${e}`)).join(',');
    input.style.display = 'none';
    let settled = false;
    const finish = (files: File[]) => {
      if (settled) return;
      settled = true;
      input.remove();
      resolve(files);
    };
    input.addEventListener('change', () => finish(Array.from(input.files ?? [])));
    input.addEventListener('cancel', () => finish([]));
    document.body.append(input);
    input.click();
  });
}

export async function readBrowserFiles(files: readonly File[]): Promise<OpenedFile[]> {
  return Promise.all(files.map(async (file) => ({ name: file.name, path: null, bytes: new Uint8Array(await file.arrayBuffer()) })));
}

function download(fileName: string, bytes: Uint8Array): SaveResult {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart]));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return { saved: true, path: null };
}

/** `<study name>-backup-<yyyy-mm-dd-hhmm>.cartography.json` (local time: it is the user's download). */
export function browserBackupName(studyName: string, date: Date): string {
  const safe = fileStem(studyName);
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}-${pad(date.getHours())}${pad(date.getMinutes())}`;
  return `${safe}-backup-${stamp}.cartography.json`;
}

export function createBrowserBridge(): PlatformBridge {
  return {
    kind: 'browser',
    async appInfo(): Promise<AppInfo> {
      return { name: 'Cartography', version: __APP_VERSION__, platform: 'browser', runtime: navigator.userAgent };
    },
    async openFiles(options) {
      return readBrowserFiles(await pickFiles(options));
    },
    async saveFile(options: SaveFileOptions) {
      return download(options.suggestedName, options.bytes);
    },
    async revealFile() {
      return false;
    },
    async backupsFolder() {
      return null;
    },
    async writeStudyBackup({ studyName, bytes }) {
      return download(browserBackupName(studyName, new Date()), bytes);
    },
    async listBackups() {
      return [];
    },
    async readBackup() {
      throw new Error('A browser keeps no backups folder: choose the backup file you downloaded instead.');
    },
    // No second window in a browser: the presenter keeps its side panel (N), and the notes
    // screen (#/presenter-notes) can be opened by hand in another tab or window.
    async openPresenterNotes() {
      return false;
    },
    async closePresenterNotes() {},
    onMenuCommand(listener: (command: MenuCommand) => void) {
      // Browser shortcuts for what the desktop menus do; Ctrl/Cmd+Z stays with text fields.
      const onKey = (event: KeyboardEvent) => {
        const mod = event.ctrlKey || event.metaKey;
        if (!mod || event.altKey) return;
        // Text fields keep their own undo; the read-only transcript does not have one.
        const inField = event.target instanceof HTMLElement && event.target.closest('input, textarea, [contenteditable="true"]:not([aria-readonly="true"])') !== null;
        const key = event.key.toLowerCase();
        let command: MenuCommand | null = null;
        if (key === 'z' && !inField) command = event.shiftKey ? 'redo' : 'undo';
        else if (key === 'y' && !inField) command = 'redo';
        else if (key === 'o' && !event.shiftKey) command = 'import-study';
        else if (key === 'e' && event.shiftKey) command = 'export-study';
        else if (key === 's' && !event.shiftKey) command = 'backup-now';
        else if (key === 'n' && event.altKey === false && event.shiftKey) command = 'new-study';
        if (command) {
          event.preventDefault();
          listener(command);
        }
      };
      window.addEventListener('keydown', onKey);
      return () => window.removeEventListener('keydown', onKey);
    },
  };
}
