import { describe, expect, it } from 'vitest';
import { MENU_COMMANDS } from '../shared/platform/bridge.ts';
import { buildMenuSpec, menuCommands, type MenuSpec, type MenuSpecItem } from './menu.ts';

const linux = buildMenuSpec({ platform: 'linux', isPackaged: true, appName: 'Cartography' });
const windows = buildMenuSpec({ platform: 'win32', isPackaged: true, appName: 'Cartography' });
const mac = buildMenuSpec({ platform: 'darwin', isPackaged: true, appName: 'Cartography' });
const linuxDev = buildMenuSpec({ platform: 'linux', isPackaged: false, appName: 'Cartography' });

const items = (spec: readonly MenuSpec[]): MenuSpecItem[] => spec.flatMap((menu) => menu.items);
const roles = (spec: readonly MenuSpec[]) => items(spec).flatMap((item) => (item.kind === 'role' ? [item.role] : []));
const describeItems = (menu: MenuSpec | undefined) =>
  menu?.items.map((item) => (item.kind === 'separator' ? '---' : item.kind === 'role' ? `role:${item.role}` : `${item.label} → ${item.command} [${item.accelerator ?? ''}]`));

describe('buildMenuSpec', () => {
  it.each([
    ['linux', linux],
    ['windows', windows],
    ['mac', mac],
  ])('reaches every MenuCommand on %s', (_platform, spec) => {
    expect(new Set(menuCommands(spec))).toEqual(new Set(MENU_COMMANDS));
  });

  it('lays out File, Edit, View and Help on Windows and Linux', () => {
    expect(linux.map((menu) => menu.label)).toEqual(['&File', '&Edit', '&View', '&Help']);
    expect(describeItems(linux[0])).toEqual([
      'New study → new-study [CmdOrCtrl+N]',
      'Import study… → import-study [CmdOrCtrl+O]',
      'Export study… → export-study [CmdOrCtrl+E]',
      '---',
      'Back up now → backup-now [CmdOrCtrl+S]',
      'Restore from backup… → restore-backup []',
      'Merge a teammate’s work… → merge-teammate []',
      '---',
      'Reset demo study… → reset-demo []',
      '---',
      'role:quit',
    ]);
    expect(describeItems(linux[1])).toEqual(['Undo → undo [CmdOrCtrl+Z]', 'Redo → redo [Shift+CmdOrCtrl+Z]', '---', 'role:cut', 'role:copy', 'role:paste', 'role:selectAll']);
    expect(describeItems(linux[2])).toEqual(['role:zoomIn', 'role:zoomOut', 'role:resetZoom', '---', 'role:togglefullscreen']);
    expect(describeItems(linux[3])).toEqual(['About Cartography → about []']);
  });

  it('uses Ctrl+Y for Redo on Windows', () => {
    expect(describeItems(windows[1])?.[1]).toBe('Redo → redo [Ctrl+Y]');
  });

  it('puts About and Quit in the application menu on macOS, with Window and Help menus', () => {
    expect(mac.map((menu) => menu.label)).toEqual(['Cartography', 'File', 'Edit', 'View', 'Window', 'Help']);
    expect(describeItems(mac[0])?.[0]).toBe('About Cartography → about []');
    expect(mac[0]?.items.at(-1)).toEqual({ kind: 'role', role: 'quit', label: 'Quit Cartography' });
    expect(mac[1]?.items).not.toContainEqual(expect.objectContaining({ role: 'quit' }));
    expect(mac.find((menu) => menu.label === 'Help')?.role).toBe('help');
    expect(mac.find((menu) => menu.label === 'Window')?.role).toBe('window');
  });

  it('sends Undo and Redo to the app’s own history, not to Electron’s undo role', () => {
    for (const spec of [linux, windows, mac]) {
      expect(roles(spec)).not.toContain('undo');
      expect(roles(spec)).not.toContain('redo');
      expect(menuCommands(spec)).toEqual(expect.arrayContaining(['undo', 'redo']));
    }
  });

  it('keeps cut, copy, paste and select all as roles', () => {
    expect(roles(linux)).toEqual(expect.arrayContaining(['cut', 'copy', 'paste', 'selectAll']));
  });

  it('offers reload and DevTools only when not packaged', () => {
    for (const spec of [linux, windows, mac]) {
      expect(roles(spec)).not.toEqual(expect.arrayContaining(['reload']));
      expect(roles(spec)).not.toContain('toggleDevTools');
    }
    expect(describeItems(linuxDev[2])).toEqual([
      'role:zoomIn',
      'role:zoomOut',
      'role:resetZoom',
      '---',
      'role:togglefullscreen',
      '---',
      'role:reload',
      'role:forceReload',
      'role:toggleDevTools',
    ]);
  });

  it('never gives two items the same accelerator', () => {
    for (const spec of [linux, windows, mac]) {
      const accelerators = items(spec).flatMap((item) => (item.kind === 'command' && item.accelerator !== undefined ? [item.accelerator] : []));
      expect(new Set(accelerators).size).toBe(accelerators.length);
    }
  });
});
