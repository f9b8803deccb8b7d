/**
 * Cartography's security policy as pure decisions over plain strings, so each one is
 * unit-tested without an Electron binary. main.ts only wires these to Electron's hooks.
 * Nothing here may import 'electron'.
 */
import { createHash } from 'node:crypto';

export const APP_SCHEME = 'app';
export const APP_HOST = 'cartography';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** The only dev server the shell will ever load: Vite on loopback (vite.config.ts). */
const DEV_HOST = '127.0.0.1';

export interface OriginPolicy {
  /** e.g. "http://127.0.0.1:5179" in `npm run dev`; null otherwise (always null when packaged). */
  devOrigin: string | null;
}

export interface RequestPolicy extends OriginPolicy {
  /** DevTools load their own front end from devtools://; only an unpackaged build opens them. */
  allowDevtools: boolean;
}

function parse(url: string | null | undefined): URL | null {
  if (typeof url !== 'string' || url === '') return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * Reads CARTOGRAPHY_DEV_URL. Anything but http://127.0.0.1:<port>[/] is refused, so an
 * environment variable can never point the privileged shell at a remote page.
 */
export function parseDevServerUrl(value: string | undefined): string | null {
  if (value === undefined || value === '') return null;
  const url = parse(value);
  const plain = url !== null && url.username === '' && url.password === '' && url.search === '' && url.hash === '';
  if (!plain || url.protocol !== 'http:' || url.hostname !== DEV_HOST || url.port === '' || (url.pathname !== '/' && url.pathname !== '')) {
    throw new Error(`CARTOGRAPHY_DEV_URL must be http://${DEV_HOST}:<port>/ (got ${JSON.stringify(value)})`);
  }
  return url.origin;
}

/** True for a URL of the app itself: app://cartography/… (or the dev server in `npm run dev`). */
export function isAppUrl(url: string | null | undefined, policy: OriginPolicy): boolean {
  const parsed = parse(url);
  if (parsed === null || parsed.username !== '' || parsed.password !== '') return false;
  // Node's URL gives non-special schemes an opaque origin ("null"), so compare the parts.
  if (parsed.protocol === `${APP_SCHEME}:`) return parsed.host === APP_HOST;
  return policy.devOrigin !== null && parsed.origin === policy.devOrigin;
}

/** will-navigate / will-frame-navigate / will-redirect: the app never leaves itself. */
export function isAllowedNavigation(url: string, policy: OriginPolicy): boolean {
  return isAppUrl(url, policy);
}

/** Every IPC message must come from a frame showing the app itself, never from other content. */
export function isTrustedSender(frameUrl: string | null | undefined, policy: OriginPolicy): boolean {
  return isAppUrl(frameUrl, policy);
}

/**
 * session.webRequest.onBeforeRequest: the app makes no network request, ever. blob: and
 * data: never leave the process; blob: is allowed only when the app created it.
 */
export function isAllowedRequest(url: string, policy: RequestPolicy): boolean {
  const parsed = parse(url);
  if (parsed === null) return false;
  switch (parsed.protocol) {
    case `${APP_SCHEME}:`:
      return isAppUrl(url, policy);
    case 'data:':
      return true;
    case 'blob:':
      return isAppUrl(parsed.pathname, policy);
    case 'devtools:':
      return policy.allowDevtools;
    case 'ws:':
      // Vite's hot reload socket, on the dev server's own host and port.
      return policy.devOrigin !== null && `http://${parsed.host}` === policy.devOrigin;
    default:
      return isAppUrl(url, policy);
  }
}

/** will-download: only what the app itself produced (Blob downloads), never a remote file. */
export function isAllowedDownload(url: string, policy: OriginPolicy): boolean {
  const parsed = parse(url);
  if (parsed === null) return false;
  if (parsed.protocol === 'blob:') return isAppUrl(parsed.pathname, policy);
  return parsed.protocol === 'data:';
}

/**
 * The webPreferences every window of the app has (docs/SECURITY.md, items 2–4, 6, 8–11, 13),
 * besides `preload` (always preload.cjs) and `spellcheck` (macOS only). main.ts opens all its
 * windows, the main one and the speaker notes, through one `new BrowserWindow` that spells
 * these out (Electronegativity only reads a literal there); notes-window.test.ts compares the two.
 */
export const HARDENED_WEB_PREFERENCES = {
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
} as const;

/** What the app's own pages may do: present full screen (workshop mode) and write to the clipboard (copying a matrix). */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['fullscreen', 'clipboard-sanitized-write']);

/**
 * Permission requests and checks (camera, notifications, geolocation, clipboard-read, …):
 * denied whoever asks, except full screen and clipboard writes asked by the app's own
 * pages (exactly the app:// origin; anything else, including a missing URL, is denied).
 */
export function decidePermission(permission: string, requestingUrl?: string): boolean {
  if (!ALLOWED_PERMISSIONS.has(permission) || !requestingUrl) return false;
  const parsed = parse(requestingUrl);
  return parsed !== null && `${parsed.protocol}//${parsed.host}` === APP_ORIGIN;
}

/**
 * Cytoscape injects exactly this <style> element into <head> (BRp.init in cytoscape
 * 3.x). Allowing it by hash keeps 'unsafe-inline' out of style-src.
 */
export const CYTOSCAPE_INLINE_STYLE = '.__________cytoscape_container { position: relative; }';

export function cspHash(source: string): string {
  return `'sha256-${createHash('sha256').update(source, 'utf8').digest('base64')}'`;
}

/**
 * No 'unsafe-eval', no 'unsafe-inline' scripts, no remote origin. React's `style` props
 * go through the CSSOM, which CSP does not govern, so style-src needs no 'unsafe-inline'.
 */
const CSP_DIRECTIVES: readonly (readonly [string, string])[] = [
  ['default-src', "'none'"],
  ['script-src', "'self'"],
  ['style-src', `'self' ${cspHash(CYTOSCAPE_INLINE_STYLE)}`],
  ['img-src', "'self' data: blob:"],
  ['font-src', "'self' data:"],
  ['connect-src', "'self' data: blob:"],
  ['media-src', "'self' data: blob:"],
  ['worker-src', "'self' blob:"],
  ['manifest-src', "'self'"],
  ['object-src', "'none'"],
  ['frame-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
];

/** For a <meta http-equiv> tag (frame-ancestors is ignored there, so it is left out). */
export const CONTENT_SECURITY_POLICY_META = CSP_DIRECTIVES.map(([name, value]) => `${name} ${value}`).join('; ');

/** Sent as a header with every app:// response. */
export const CONTENT_SECURITY_POLICY = `${CONTENT_SECURITY_POLICY_META}; frame-ancestors 'none'`;

/**
 * `npm run dev` only: Vite's React plugin needs an inline preamble script and a websocket
 * for hot reload, and injects CSS as <style> elements. Still no eval and no remote origin.
 */
export function devContentSecurityPolicy(devOrigin: string): string {
  const ws = devOrigin.replace(/^http:/, 'ws:');
  return CSP_DIRECTIVES.map(([name, value]) => {
    if (name === 'script-src') return `${name} 'self' 'unsafe-inline'`;
    if (name === 'style-src') return `${name} 'self' 'unsafe-inline'`;
    if (name === 'connect-src') return `${name} ${value} ${ws}`;
    return `${name} ${value}`;
  }).join('; ');
}
