import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isInside, mimeTypeFor, resolveAppPath } from './app-protocol.ts';

const root = path.resolve('/srv/cartography/dist/renderer');
const under = (...segments: string[]) => path.join(root, ...segments);

describe('resolveAppPath', () => {
  it('serves index.html for the bare origin', () => {
    expect(resolveAppPath('app://cartography/', root)).toEqual({ ok: true, filePath: under('index.html'), mimeType: 'text/html; charset=utf-8' });
    expect(resolveAppPath('app://cartography', root)).toEqual({ ok: true, filePath: under('index.html'), mimeType: 'text/html; charset=utf-8' });
  });

  it('maps a path to the file under the root, ignoring query and fragment', () => {
    expect(resolveAppPath('app://cartography/assets/index-3f2a.js?v=1#x', root)).toEqual({
      ok: true,
      filePath: under('assets', 'index-3f2a.js'),
      mimeType: 'text/javascript; charset=utf-8',
    });
  });

  it('decodes percent-encoded names once', () => {
    expect(resolveAppPath('app://cartography/assets/demo%20study.json', root)).toMatchObject({ ok: true, filePath: under('assets', 'demo study.json') });
  });

  it('keeps literal and encoded dot segments inside the root (URL parsing folds them)', () => {
    for (const url of ['app://cartography/../../etc/passwd', 'app://cartography/%2e%2e/%2e%2e/etc/passwd', 'app://cartography/.%2E/x/../../etc/passwd']) {
      const result = resolveAppPath(url, root);
      expect(result.ok && isInside(root, result.filePath)).toBe(true);
    }
  });

  it.each([
    ['app://cartography/assets%2f..%2f..%2fsecret', 'forbidden path segment'],
    ['app://cartography/..%2f..%2fetc/passwd', 'forbidden path segment'],
    ['app://cartography/%2e%2e%5c%2e%2e%5cwindows', 'forbidden path segment'],
    ['app://cartography/..\\..\\windows\\win.ini', 'backslash in path'],
    ['app://cartography/assets%5cindex.js', 'forbidden path segment'],
    ['app://cartography/%252e%252e/secret', 'forbidden path segment'],
    ['app://cartography/C:%2fWindows', 'forbidden path segment'],
    ['app://cartography/c:', 'forbidden path segment'],
    ['app://cartography/index.html%00.js', 'forbidden path segment'],
    ['app://cartography/.env', 'forbidden path segment'],
    ['app://cartography/%E0%A4%A', 'malformed percent-encoding'],
  ])('rejects %s', (url, reason) => {
    expect(resolveAppPath(url, root)).toMatchObject({ ok: false, status: 400, reason: expect.stringContaining(reason) });
  });

  it('answers 404 for other hosts and schemes', () => {
    expect(resolveAppPath('app://other/index.html', root)).toEqual({ ok: false, status: 404, reason: 'not the app origin' });
    expect(resolveAppPath('file:///etc/passwd', root)).toEqual({ ok: false, status: 404, reason: 'not the app origin' });
  });

  it('rejects what is not a URL', () => {
    expect(resolveAppPath('::::', root)).toEqual({ ok: false, status: 400, reason: 'not a URL' });
  });
});

describe('isInside', () => {
  it('accepts the root and paths below it', () => {
    expect(isInside(root, root)).toBe(true);
    expect(isInside(root, under('a', 'b.js'))).toBe(true);
  });

  it('rejects parents, siblings that share a prefix, and other roots', () => {
    expect(isInside(root, path.dirname(root))).toBe(false);
    expect(isInside(root, `${root}-evil${path.sep}x`)).toBe(false);
    expect(isInside(root, path.resolve('/etc/passwd'))).toBe(false);
  });
});

describe('mimeTypeFor', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['app.js', 'text/javascript; charset=utf-8'],
    ['worker.mjs', 'text/javascript; charset=utf-8'],
    ['style.CSS', 'text/css; charset=utf-8'],
    ['demo.cartography.json', 'application/json; charset=utf-8'],
    ['icon.svg', 'image/svg+xml'],
    ['logo.png', 'image/png'],
    ['font.woff2', 'font/woff2'],
    ['module.wasm', 'application/wasm'],
    ['README', 'application/octet-stream'],
    ['payload.exe', 'application/octet-stream'],
  ])('%s is served as %s', (file, type) => {
    expect(mimeTypeFor(file)).toBe(type);
  });
});
