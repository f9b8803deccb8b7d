import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRoute, routeHash } from '../renderer/app/route.ts';
import { MAIN_WINDOW_SHAPE, notesWindowOptions, notesWindowUrl, PRESENTER_NOTES_HASH } from './notes-window.ts';
import { APP_ENTRY_URL, HARDENED_WEB_PREFERENCES, isAllowedNavigation, isTrustedSender } from './security.ts';

/** main.ts without its comments (they mention `new BrowserWindow` too). */
const main = readFileSync(new URL('./main.ts', import.meta.url), 'utf8')
  .replace(/\/\*[\s\S]*?\*\//g, '')
  .replace(/^\s*\/\/.*\n/gm, '');

/** The text of the object literal that starts at `open` (an index of "{"), braces balanced. */
function literalAt(source: string, open: number): string {
  let depth = 0;
  for (let i = open; i < source.length; i += 1) {
    if (source[i] === '{') depth += 1;
    else if (source[i] === '}') {
      depth -= 1;
      if (depth === 0) return source.slice(open, i + 1);
    }
  }
  throw new Error('unbalanced literal');
}

describe('notesWindowOptions', () => {
  it('is a 720 × 540 window titled for the speaker notes, shown only once ready, its menu bar hidden', () => {
    expect(notesWindowOptions()).toEqual({
      width: 720,
      height: 540,
      minWidth: 360,
      minHeight: 300,
      title: 'Speaker notes — Cartography',
      autoHideMenuBar: true,
      show: false,
    });
  });

  it('has no parent and is not modal, so it can sit on another screen than the main window', () => {
    const options = notesWindowOptions() as unknown as Record<string, unknown>;
    expect(options).not.toHaveProperty('parent');
    expect(options).not.toHaveProperty('modal');
  });

  it('carries no webPreferences of its own: those come from the one hardened window factory in main.ts', () => {
    expect(notesWindowOptions()).not.toHaveProperty('webPreferences');
    expect(MAIN_WINDOW_SHAPE).not.toHaveProperty('webPreferences');
  });
});

describe('notesWindowUrl', () => {
  it('is the app entry at the renderer’s notes route', () => {
    expect(notesWindowUrl(APP_ENTRY_URL)).toBe('app://cartography/index.html#/presenter-notes');
    expect(PRESENTER_NOTES_HASH).toBe(routeHash({ screen: 'presenter-notes' }));
    expect(parseRoute(new URL(notesWindowUrl(APP_ENTRY_URL)).hash)).toEqual({ screen: 'presenter-notes' });
  });

  it('replaces any hash of the entry and works for the dev server', () => {
    expect(notesWindowUrl('app://cartography/index.html#/study/x/maps')).toBe('app://cartography/index.html#/presenter-notes');
    expect(notesWindowUrl('http://127.0.0.1:5179/')).toBe('http://127.0.0.1:5179/#/presenter-notes');
  });

  it('is a page of the app, so navigation and IPC policies treat the notes window as the app', () => {
    expect(isAllowedNavigation(notesWindowUrl(APP_ENTRY_URL), { devOrigin: null })).toBe(true);
    expect(isTrustedSender(notesWindowUrl(APP_ENTRY_URL), { devOrigin: null })).toBe(true);
  });
});

describe('every window main.ts opens is hardened the same way', () => {
  it('main.ts has one `new BrowserWindow`, in newAppWindow, and opens both windows through it', () => {
    expect(main.match(/new BrowserWindow\b/g)).toHaveLength(1);
    expect(main).toMatch(/function newAppWindow\(shape: WindowShape\): BrowserWindow \{\s+return new BrowserWindow\(\{\s+\.\.\.shape,\s+webPreferences: \{/);
    expect(main).toContain('newAppWindow(MAIN_WINDOW_SHAPE)');
    expect(main).toContain('newAppWindow(notesWindowOptions())');
    expect(main.match(/newAppWindow\(/g)).toHaveLength(3); // its definition and the two windows
  });

  it('its webPreferences literal states exactly HARDENED_WEB_PREFERENCES, the preload and the spellchecker', () => {
    const options = literalAt(main, main.indexOf('{', main.indexOf('new BrowserWindow(')));
    const literal = literalAt(options, options.indexOf('{', options.indexOf('webPreferences: {')));
    const entries = [...literal.matchAll(/^\s+([A-Za-z]+): (.+),$/gm)].map((m) => [m[1], m[2]]);
    const expected = Object.entries(HARDENED_WEB_PREFERENCES).map(([key, value]) => [key, typeof value === 'string' ? `'${value}'` : String(value)]);
    expect(entries).toEqual([['preload', 'PRELOAD_PATH'], ...expected, ['spellcheck', "process.platform === 'darwin'"]]);
    // The window's options are the shape, then this literal: nothing after it can override a flag.
    expect(options).toBe(`{\n    ...shape,\n    webPreferences: ${literal},\n  }`);
  });

  it('policies for webContents and the session apply to every window, the notes window included', () => {
    expect(main).toContain("app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));");
    expect(main).toContain('hardenSession(session.defaultSession);');
    expect(main).not.toMatch(/partition:|session\.fromPartition/);
  });

  it('only the main window opens or closes the notes window, and closing the main window closes it', () => {
    for (const channel of ['openPresenterNotes', 'closePresenterNotes']) {
      expect(main).toContain(`handle(INVOKE_CHANNELS.${channel}, (event, args): `);
      expect(main).toContain(`parseNoArgs('${channel}', args);\n    fromMainWindow('${channel}', event);`);
    }
    expect(main).toMatch(/event\.sender !== mainWindow\.webContents/);
    expect(main).toMatch(/if \(mainWindow === win\) mainWindow = null;\s+closeNotesWindow\(\);/);
  });
});
