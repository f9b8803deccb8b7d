/**
 * Cartography's Electron main process: wires the pure policies (security.ts,
 * app-protocol.ts, ipc-contract.ts, menu.ts) to Electron. docs/SECURITY.md explains each
 * choice against Electron's security checklist.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, shell } from 'electron';
import type { IpcMainInvokeEvent, MenuItemConstructorOptions, OpenDialogOptions, SaveDialogOptions, Session, WebContents } from 'electron';
import { existsSync } from 'node:fs';
import { mkdir, readFile, realpath, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppInfo, BackupEntry, MenuCommand, OpenedFile, SaveResult } from '../shared/platform/bridge.ts';
import { isInside, resolveAppPath } from './app-protocol.ts';
import { backupsInListing, nodeBackupFs, writeStudyBackupFile } from './backups.ts';
import {
  INVOKE_CHANNELS,
  MENU_COMMAND_CHANNEL,
  MAX_FILE_BYTES,
  openedFileSizeProblem,
  parseListBackupsArgs,
  parseNoArgs,
  parseOpenFilesArgs,
  parseReadBackupArgs,
  parseRevealFileArgs,
  parseSaveFileArgs,
  parseWriteStudyBackupArgs,
} from './ipc-contract.ts';
import { buildMenuSpec, type MenuSpec } from './menu.ts';
import { MAIN_WINDOW_SHAPE, notesWindowOptions, notesWindowUrl, type WindowShape } from './notes-window.ts';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  CONTENT_SECURITY_POLICY,
  decidePermission,
  devContentSecurityPolicy,
  isAllowedDownload,
  isAllowedNavigation,
  isAllowedRequest,
  isTrustedSender,
  parseDevServerUrl,
  type OriginPolicy,
  type RequestPolicy,
} from './security.ts';

// Compiled to dist/app/electron/main.js; the preload sits beside it, the renderer build in dist/renderer.
const PRELOAD_PATH = fileURLToPath(new URL('./preload.cjs', import.meta.url));
const RENDERER_ROOT = fileURLToPath(new URL('../../renderer/', import.meta.url));

// Must happen before 'ready'. standard+secure gives app:// a real origin, so IndexedDB,
// localStorage and fetch work there as on https.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
]);
app.enableSandbox();

function readDevOrigin(): string | null {
  // A packaged app never loads a dev server, whatever the environment says.
  if (app.isPackaged) return null;
  try {
    return parseDevServerUrl(process.env.CARTOGRAPHY_DEV_URL);
  } catch (error) {
    console.error(`Cartography: ${(error as Error).message}`);
    process.exit(1);
  }
}
const devOrigin = readDevOrigin();
const originPolicy: OriginPolicy = { devOrigin };
const requestPolicy: RequestPolicy = { devOrigin, allowDevtools: !app.isPackaged };

let mainWindow: BrowserWindow | null = null;
/** The speaker notes of a presentation running in the main window (openPresenterNotes). */
let notesWindow: BrowserWindow | null = null;
let started = false;
/** Paths this session opened or saved: the only ones revealFile will show. */
const knownPaths = new Set<string>();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow === null) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    // macOS: clicking the dock icon with no window open; ignored until start() has run.
    if (started && BrowserWindow.getAllWindows().length === 0) createWindow();
  });
  app.whenReady().then(start).catch((error: unknown) => {
    dialog.showErrorBox('Cartography could not start', String((error as Error)?.stack ?? error));
    app.exit(1);
  });
}

async function start(): Promise<void> {
  if (devOrigin === null && !existsSync(path.join(RENDERER_ROOT, 'index.html'))) {
    dialog.showErrorBox('Cartography is not built', `No renderer build in ${RENDERER_ROOT}. Run \`npm start\` (it builds first) or \`npm run build\`.`);
    app.exit(1);
    return;
  }
  hardenSession(session.defaultSession);
  await registerAppProtocol();
  registerIpcHandlers();
  Menu.setApplicationMenu(Menu.buildFromTemplate(toTemplate(buildMenuSpec({ platform: process.platform, isPackaged: app.isPackaged, appName: 'Cartography' }))));
  createWindow();
  started = true;
}

/**
 * Every window of the app is made here, by this one `new BrowserWindow`: its shape varies
 * (notes-window.ts), its webPreferences never do. They are HARDENED_WEB_PREFERENCES
 * (security.ts) written out as a plain literal, because Electronegativity reads only the
 * object literal inside `new BrowserWindow(…)` (a constant, a call or `satisfies` hides it);
 * notes-window.test.ts checks this literal against the constant and that no other window exists.
 */
function newAppWindow(shape: WindowShape): BrowserWindow {
  return new BrowserWindow({
    ...shape,
    webPreferences: {
      preload: PRELOAD_PATH,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      // Middle-click would ask for a new window; those are denied anyway, this stops the ask.
      disableBlinkFeatures: 'Auxclick',
      safeDialogs: true,
      // Chromium's spellchecker downloads dictionaries except on macOS, where it is native.
      spellcheck: process.platform === 'darwin',
    },
  });
}

function appEntryUrl(): string {
  return devOrigin === null ? APP_ENTRY_URL : `${devOrigin}/`;
}

function createWindow(): void {
  const win = newAppWindow(MAIN_WINDOW_SHAPE);
  mainWindow = win;
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
    // The speaker notes belong to the main window's presentation.
    closeNotesWindow();
  });
  void win.loadURL(appEntryUrl());
}

/** One notes window at most: a second request brings the open one to the front. */
function openNotesWindow(): void {
  const open = notesWindow;
  if (open !== null && !open.isDestroyed()) {
    if (open.isMinimized()) open.restore();
    // Still loading: it shows itself on 'ready-to-show'.
    if (open.isVisible()) open.focus();
    return;
  }
  const win = newAppWindow(notesWindowOptions());
  notesWindow = win;
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (notesWindow === win) notesWindow = null;
  });
  void win.loadURL(notesWindowUrl(appEntryUrl()));
}

function closeNotesWindow(): void {
  const win = notesWindow;
  notesWindow = null;
  if (win !== null && !win.isDestroyed()) win.close();
}

/** Applies to every webContents, including any the page might manage to create. */
function hardenWebContents(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => {
    if (!isAllowedNavigation(event.url, originPolicy)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isAllowedNavigation(event.url, originPolicy)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAllowedNavigation(event.url, originPolicy)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

function hardenSession(ses: Session): void {
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => callback(decidePermission(permission, details.requestingUrl)));
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) => decidePermission(permission, requestingOrigin));
  ses.setDevicePermissionHandler(() => false);
  ses.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isAllowedRequest(details.url, requestPolicy) });
  });
  ses.on('will-download', (event, item) => {
    if (!isAllowedDownload(item.getURL(), originPolicy)) event.preventDefault();
  });
  if (process.platform !== 'darwin') ses.setSpellCheckerEnabled(false);
  if (devOrigin !== null) {
    const devCsp = devContentSecurityPolicy(devOrigin);
    ses.webRequest.onHeadersReceived((details, callback) => {
      if (!details.url.startsWith(`${devOrigin}/`)) return callback({});
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [devCsp] } });
    });
  }
}

const RESPONSE_HEADERS = { 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff' };

function plainResponse(status: number, message: string): Response {
  return new Response(message, { status, headers: { ...RESPONSE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}

async function registerAppProtocol(): Promise<void> {
  // Symlinks are resolved before the containment check, so a link cannot lead outside.
  const realRoot = await realpath(RENDERER_ROOT).catch(() => RENDERER_ROOT);
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plainResponse(405, 'method not allowed');
    const resolved = resolveAppPath(request.url, RENDERER_ROOT);
    if (!resolved.ok) return plainResponse(resolved.status, resolved.reason);
    try {
      const real = await realpath(resolved.filePath);
      if (!isInside(realRoot, real)) return plainResponse(404, 'not found');
      const body = await readFile(real);
      return new Response(request.method === 'HEAD' ? null : new Uint8Array(body.buffer, body.byteOffset, body.byteLength), {
        status: 200,
        headers: { ...RESPONSE_HEADERS, 'Content-Type': resolved.mimeType },
      });
    } catch {
      return plainResponse(404, 'not found');
    }
  });
}

/** Every handler first checks who is asking, then validates every argument (ipc-contract.ts). */
function handle(channel: string, handler: (event: IpcMainInvokeEvent, args: unknown[]) => unknown): void {
  ipcMain.handle(channel, (event, ...args: unknown[]) => {
    if (!isTrustedSender(event.senderFrame?.url, originPolicy)) {
      throw new Error(`${channel}: refused, the request did not come from Cartography's own page`);
    }
    return handler(event, args);
  });
}

function ownerWindow(event: IpcMainInvokeEvent): BrowserWindow | null {
  return BrowserWindow.fromWebContents(event.sender);
}

function backupsFolder(): string {
  return path.join(app.getPath('userData'), 'backups');
}

function registerIpcHandlers(): void {
  handle(INVOKE_CHANNELS.appInfo, (_event, args): AppInfo => {
    parseNoArgs('appInfo', args);
    const chromium = process.versions.chrome?.split('.')[0] ?? '?';
    return { name: 'Cartography', version: app.getVersion(), platform: 'desktop', runtime: `Electron ${process.versions.electron}, Chromium ${chromium}` };
  });

  handle(INVOKE_CHANNELS.openFiles, async (event, args): Promise<OpenedFile[]> => {
    const options = parseOpenFilesArgs(args);
    const dialogOptions: OpenDialogOptions = {
      title: options.title,
      filters: options.filters,
      properties: options.multiple ? ['openFile', 'multiSelections'] : ['openFile'],
    };
    const win = ownerWindow(event);
    const result = win === null ? await dialog.showOpenDialog(dialogOptions) : await dialog.showOpenDialog(win, dialogOptions);
    if (result.canceled) return [];
    const files: OpenedFile[] = [];
    let total = 0;
    for (const filePath of result.filePaths) {
      const name = path.basename(filePath);
      const info = await stat(filePath);
      if (!info.isFile()) throw new Error(`"${name}" is not a file.`);
      const problem = openedFileSizeProblem(name, info.size, total);
      if (problem !== null) throw new Error(problem);
      total += info.size;
      const bytes = await readFile(filePath);
      knownPaths.add(filePath);
      files.push({ name, path: filePath, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
    }
    return files;
  });

  handle(INVOKE_CHANNELS.saveFile, async (event, args): Promise<SaveResult> => {
    const options = parseSaveFileArgs(args);
    const dialogOptions: SaveDialogOptions = {
      title: options.title,
      defaultPath: path.join(app.getPath('documents'), options.suggestedName),
      filters: options.filters,
      properties: ['createDirectory', 'showOverwriteConfirmation'],
    };
    const win = ownerWindow(event);
    const result = win === null ? await dialog.showSaveDialog(dialogOptions) : await dialog.showSaveDialog(win, dialogOptions);
    if (result.canceled || !result.filePath) return { saved: false };
    await writeFile(result.filePath, options.bytes);
    knownPaths.add(result.filePath);
    return { saved: true, path: result.filePath };
  });

  handle(INVOKE_CHANNELS.revealFile, (_event, args): boolean => {
    const filePath = parseRevealFileArgs(args);
    if (!knownPaths.has(filePath)) throw new Error('revealFile: Cartography only shows files it opened or saved in this session.');
    shell.showItemInFolder(filePath);
    return true;
  });

  handle(INVOKE_CHANNELS.backupsFolder, async (_event, args): Promise<string> => {
    parseNoArgs('backupsFolder', args);
    const folder = backupsFolder();
    await mkdir(folder, { recursive: true });
    return folder;
  });

  handle(INVOKE_CHANNELS.writeStudyBackup, async (_event, args): Promise<SaveResult> => {
    const request = parseWriteStudyBackupArgs(args);
    const folder = backupsFolder();
    await mkdir(folder, { recursive: true });
    // The name comes from the policy (study, id, time), never from the page.
    const written = await writeStudyBackupFile(nodeBackupFs, folder, { ...request, date: new Date() });
    knownPaths.add(written.path);
    return { saved: true, path: written.path };
  });

  handle(INVOKE_CHANNELS.listBackups, async (_event, args): Promise<BackupEntry[]> => {
    const studyId = parseListBackupsArgs(args);
    const folder = backupsFolder();
    if (!existsSync(folder)) return [];
    return backupsInListing(await nodeBackupFs.list(folder), studyId);
  });

  handle(INVOKE_CHANNELS.readBackup, async (_event, args): Promise<Uint8Array> => {
    const fileName = parseReadBackupArgs(args);
    const folder = backupsFolder();
    const target = path.join(folder, fileName);
    // The name passed the policy (no separators); the real path must still lie in the folder.
    const real = await realpath(target).catch(() => {
      throw new Error(`The backup "${fileName}" is no longer in ${folder}.`);
    });
    if (!isInside(await realpath(folder), real)) throw new Error(`readBackup: "${fileName}" is not inside the backups folder.`);
    const info = await stat(real);
    if (!info.isFile()) throw new Error(`The backup "${fileName}" is not a file.`);
    if (info.size > MAX_FILE_BYTES) throw new Error(`The backup "${fileName}" is larger than Cartography opens.`);
    const bytes = await readFile(real);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  });

  handle(INVOKE_CHANNELS.openPresenterNotes, (event, args): boolean => {
    parseNoArgs('openPresenterNotes', args);
    fromMainWindow('openPresenterNotes', event);
    openNotesWindow();
    return true;
  });

  handle(INVOKE_CHANNELS.closePresenterNotes, (event, args): void => {
    parseNoArgs('closePresenterNotes', args);
    fromMainWindow('closePresenterNotes', event);
    closeNotesWindow();
  });
}

/** The notes window is the presenter's: only the main window opens or closes it. */
function fromMainWindow(where: string, event: IpcMainInvokeEvent): void {
  if (mainWindow === null || mainWindow.isDestroyed() || event.sender !== mainWindow.webContents) {
    throw new Error(`${where}: refused, only Cartography's main window presents`);
  }
}

function sendMenuCommand(command: MenuCommand): void {
  // The notes window only mirrors the presentation; the study's commands act in the main window.
  const focused = BrowserWindow.getFocusedWindow();
  const win = focused !== null && focused !== notesWindow ? focused : mainWindow;
  if (win !== null && !win.isDestroyed()) win.webContents.send(MENU_COMMAND_CHANNEL, command);
}

function toTemplate(spec: readonly MenuSpec[]): MenuItemConstructorOptions[] {
  return spec.map((menu) => ({
    label: menu.label,
    ...(menu.role === undefined ? {} : { role: menu.role }),
    submenu: menu.items.map((item): MenuItemConstructorOptions => {
      switch (item.kind) {
        case 'separator':
          return { type: 'separator' };
        case 'role':
          return item.label === undefined ? { role: item.role } : { role: item.role, label: item.label };
        case 'command':
          return { label: item.label, ...(item.accelerator === undefined ? {} : { accelerator: item.accelerator }), click: () => sendMenuCommand(item.command) };
      }
    }),
  }));
}
