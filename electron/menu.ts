/**
 * The native menus as plain data. Items that act on the study carry a MenuCommand that
 * main sends to the renderer; Undo and Redo are commands too, because the app keeps its
 * own history (Electron's undo role would only undo text editing in the focused field).
 * Clipboard, zoom and window items stay Electron roles. Nothing here may import 'electron'.
 */
import type { MenuCommand } from '../shared/platform/bridge.ts';

/** The subset of Electron's MenuItem roles used here (same spelling as Electron). */
export type MenuRole =
  | 'services' | 'hide' | 'hideOthers' | 'unhide' | 'quit'
  | 'cut' | 'copy' | 'paste' | 'selectAll'
  | 'zoomIn' | 'zoomOut' | 'resetZoom' | 'togglefullscreen' | 'reload' | 'forceReload' | 'toggleDevTools'
  | 'minimize' | 'close' | 'front';

export type MenuSpecItem =
  | { kind: 'command'; label: string; command: MenuCommand; accelerator?: string }
  | { kind: 'role'; role: MenuRole; label?: string }
  | { kind: 'separator' };

export interface MenuSpec {
  label: string;
  /** macOS treats the menus with these roles as its Window and Help menus. */
  role?: 'window' | 'help';
  items: MenuSpecItem[];
}

export interface MenuOptions {
  platform: NodeJS.Platform;
  /** Reload and DevTools only exist in an unpackaged build. */
  isPackaged: boolean;
  appName: string;
}

const separator: MenuSpecItem = { kind: 'separator' };
const command = (label: string, cmd: MenuCommand, accelerator?: string): MenuSpecItem =>
  accelerator === undefined ? { kind: 'command', label, command: cmd } : { kind: 'command', label, command: cmd, accelerator };
const role = (r: MenuRole, label?: string): MenuSpecItem => (label === undefined ? { kind: 'role', role: r } : { kind: 'role', role: r, label });

export function buildMenuSpec({ platform, isPackaged, appName }: MenuOptions): MenuSpec[] {
  const mac = platform === 'darwin';
  const about = command(`About ${appName}`, 'about');
  const menus: MenuSpec[] = [];

  if (mac) {
    menus.push({
      label: appName,
      items: [about, separator, role('services'), separator, role('hide'), role('hideOthers'), role('unhide'), separator, role('quit', `Quit ${appName}`)],
    });
  }

  menus.push({
    label: mac ? 'File' : '&File',
    items: [
      command('New study', 'new-study', 'CmdOrCtrl+N'),
      command('Import study…', 'import-study', 'CmdOrCtrl+O'),
      command('Export study…', 'export-study', 'CmdOrCtrl+E'),
      separator,
      command('Back up now', 'backup-now', 'CmdOrCtrl+S'),
      command('Restore from backup…', 'restore-backup'),
      command('Merge a teammate’s work…', 'merge-teammate'),
      separator,
      command('Reset demo study…', 'reset-demo'),
      ...(mac ? [] : [separator, role('quit', 'Quit')]),
    ],
  });

  menus.push({
    label: mac ? 'Edit' : '&Edit',
    items: [
      command('Undo', 'undo', 'CmdOrCtrl+Z'),
      command('Redo', 'redo', platform === 'win32' ? 'Ctrl+Y' : 'Shift+CmdOrCtrl+Z'),
      separator,
      role('cut'),
      role('copy'),
      role('paste'),
      role('selectAll'),
    ],
  });

  menus.push({
    label: mac ? 'View' : '&View',
    items: [
      role('zoomIn'),
      role('zoomOut'),
      role('resetZoom', 'Actual Size'),
      separator,
      role('togglefullscreen'),
      ...(isPackaged ? [] : [separator, role('reload'), role('forceReload'), role('toggleDevTools')]),
    ],
  });

  if (mac) menus.push({ label: 'Window', role: 'window', items: [role('minimize'), role('close'), separator, role('front')] });

  menus.push({ label: mac ? 'Help' : '&Help', role: 'help', items: [about] });
  return menus;
}

/** Every command a menu can send, in menu order (used to prove each MenuCommand is reachable). */
export function menuCommands(spec: readonly MenuSpec[]): MenuCommand[] {
  return spec.flatMap((menu) => menu.items.flatMap((item) => (item.kind === 'command' ? [item.command] : [])));
}
