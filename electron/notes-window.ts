/**
 * The speaker notes window of a running presentation: its shape and the page it shows, as
 * pure values main.ts wires to Electron. Its webPreferences are not here: main.ts opens every
 * window through one `new BrowserWindow` with the hardened webPreferences
 * (HARDENED_WEB_PREFERENCES in security.ts), so the notes window cannot differ from the main
 * one; notes-window.test.ts checks that. Nothing here may import 'electron'.
 */

/** The renderer's route for the notes screen (routeHash({ screen: 'presenter-notes' })). */
export const PRESENTER_NOTES_HASH = '#/presenter-notes';

/** What main.ts passes to its window factory besides the webPreferences (BrowserWindowConstructorOptions fields). */
export interface WindowShape {
  width: number;
  height: number;
  minWidth?: number;
  minHeight?: number;
  title: string;
  /** Shown on 'ready-to-show', never blank. */
  show: false;
  autoHideMenuBar?: boolean;
}

export const MAIN_WINDOW_SHAPE: WindowShape = { width: 1280, height: 820, minWidth: 800, minHeight: 560, show: false, title: 'Cartography' };

/**
 * A separate top-level window: no parent and not modal, so it can sit on the laptop's
 * screen while the main window fills the projector, and it never closes or hides with a
 * minimised parent. main.ts closes it with the main window itself.
 */
export function notesWindowOptions(): WindowShape {
  return { width: 720, height: 540, minWidth: 360, minHeight: 300, title: 'Speaker notes — Cartography', autoHideMenuBar: true, show: false };
}

/** The app's entry (app://cartography/index.html, or the dev server's root) at the notes screen. */
export function notesWindowUrl(entryUrl: string): string {
  const hash = entryUrl.indexOf('#');
  return `${hash === -1 ? entryUrl : entryUrl.slice(0, hash)}${PRESENTER_NOTES_HASH}`;
}
