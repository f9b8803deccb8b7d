/**
 * Maps app://cartography/<path> to a file under the renderer's build folder. Pure (path
 * arithmetic only) so traversal attempts are unit-tested; main.ts does the reading.
 * Nothing here may import 'electron'.
 */
import path from 'node:path';
import { APP_HOST, APP_SCHEME } from './security.ts';

export type AppPathResolution =
  | { ok: true; filePath: string; mimeType: string }
  | { ok: false; status: 400 | 404; reason: string };

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

/** Unknown types are served as bytes, never sniffed into something executable (nosniff). */
export function mimeTypeFor(filePath: string): string {
  return MIME_TYPES[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

const INDEX = 'index.html';
const hasControlCharacter = (value: string): boolean => [...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
const FORBIDDEN_IN_SEGMENT = /[\\/:]/;

function fail(status: 400 | 404, reason: string): AppPathResolution {
  return { ok: false, status, reason };
}

/**
 * Every segment is decoded once and must then be a plain name: no separators of either
 * kind, no drive letters or NUL, no dot-files and no "."/".." (WHATWG parsing already folds
 * literal and %2e dot segments; this catches what survives as %2f, %5c or doubled encoding).
 * `root` must be absolute.
 */
export function resolveAppPath(url: string, root: string): AppPathResolution {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return fail(400, 'not a URL');
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return fail(404, 'not the app origin');
  if (parsed.username !== '' || parsed.password !== '') return fail(400, 'credentials in URL');

  const rawSegments = parsed.pathname.split('/').filter((segment) => segment !== '');
  const segments: string[] = [];
  for (const raw of rawSegments) {
    if (raw.includes('\\')) return fail(400, 'backslash in path');
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return fail(400, 'malformed percent-encoding');
    }
    if (FORBIDDEN_IN_SEGMENT.test(segment) || hasControlCharacter(segment) || segment.startsWith('.') || segment.includes('%')) {
      return fail(400, `forbidden path segment ${JSON.stringify(segment)}`);
    }
    segments.push(segment);
  }
  if (segments.length === 0) segments.push(INDEX);

  const resolvedRoot = path.resolve(root);
  const filePath = path.resolve(resolvedRoot, ...segments);
  if (!isInside(resolvedRoot, filePath)) return fail(400, 'outside the app folder');
  return { ok: true, filePath, mimeType: mimeTypeFor(filePath) };
}

/** True when `candidate` is `root` itself or below it (used again after resolving symlinks). */
export function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  if (relative === '') return true;
  return relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}
