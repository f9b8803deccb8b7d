import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  CONTENT_SECURITY_POLICY,
  CONTENT_SECURITY_POLICY_META,
  CYTOSCAPE_INLINE_STYLE,
  HARDENED_WEB_PREFERENCES,
  decidePermission,
  devContentSecurityPolicy,
  isAllowedDownload,
  isAllowedNavigation,
  isAllowedRequest,
  isAppUrl,
  isTrustedSender,
  parseDevServerUrl,
} from './security.ts';

const packaged = { devOrigin: null };
const dev = { devOrigin: 'http://127.0.0.1:5179' };

describe('parseDevServerUrl', () => {
  it('is off when the variable is unset or empty', () => {
    expect(parseDevServerUrl(undefined)).toBeNull();
    expect(parseDevServerUrl('')).toBeNull();
  });

  it('accepts only http://127.0.0.1:<port>/ and returns its origin', () => {
    expect(parseDevServerUrl('http://127.0.0.1:5179/')).toBe('http://127.0.0.1:5179');
    expect(parseDevServerUrl('http://127.0.0.1:5179')).toBe('http://127.0.0.1:5179');
  });

  it.each([
    'http://localhost:5179/',
    'https://127.0.0.1:5179/',
    'http://127.0.0.1/',
    'http://example.com:5179/',
    'http://127.0.0.1.example.com:5179/',
    'http://user@127.0.0.1:5179/',
    'http://127.0.0.1:5179/somewhere/else',
    'http://127.0.0.1:5179/?x=1',
    'file:///etc/passwd',
    'not a url',
  ])('refuses %s', (value) => {
    expect(() => parseDevServerUrl(value)).toThrow('CARTOGRAPHY_DEV_URL must be http://127.0.0.1:<port>/');
  });
});

describe('isAppUrl and navigation', () => {
  it('recognises the app entry and any path of the app origin', () => {
    expect(isAppUrl(APP_ENTRY_URL, packaged)).toBe(true);
    expect(isAppUrl('app://cartography/assets/index-abc.js?x#y', packaged)).toBe(true);
  });

  it.each([
    'app://evil/index.html',
    'app://cartography.evil/index.html',
    'app://user:pass@cartography/index.html',
    'https://cartography/',
    'https://example.com/',
    'http://127.0.0.1:5179/',
    'file:///home/user/study.json',
    'javascript:alert(1)',
    'about:blank',
    '',
    null,
    undefined,
  ])('does not treat %s as the app when packaged', (url) => {
    expect(isAppUrl(url, packaged)).toBe(false);
  });

  it('adds the dev server origin, and only it, in dev mode', () => {
    expect(isAppUrl('http://127.0.0.1:5179/src/main.tsx', dev)).toBe(true);
    expect(isAppUrl('http://127.0.0.1:5180/', dev)).toBe(false);
    expect(isAppUrl('http://localhost:5179/', dev)).toBe(false);
  });

  it('allows navigation only within the app', () => {
    expect(isAllowedNavigation('app://cartography/index.html#/study/1', packaged)).toBe(true);
    expect(isAllowedNavigation('https://example.com/', packaged)).toBe(false);
    expect(isAllowedNavigation('file:///tmp/dropped.json', packaged)).toBe(false);
    expect(isAllowedNavigation('data:text/html,<script>1</script>', packaged)).toBe(false);
  });
});

describe('isTrustedSender', () => {
  it('trusts frames showing the app', () => {
    expect(isTrustedSender('app://cartography/index.html', packaged)).toBe(true);
    expect(isTrustedSender('http://127.0.0.1:5179/', dev)).toBe(true);
  });

  it('refuses frames without a URL, other origins, and the dev server outside dev mode', () => {
    expect(isTrustedSender(undefined, packaged)).toBe(false);
    expect(isTrustedSender(null, packaged)).toBe(false);
    expect(isTrustedSender('about:blank', packaged)).toBe(false);
    expect(isTrustedSender('https://example.com/', packaged)).toBe(false);
    expect(isTrustedSender('http://127.0.0.1:5179/', packaged)).toBe(false);
  });
});

describe('isAllowedRequest', () => {
  const prod = { devOrigin: null, allowDevtools: false };
  const unpackaged = { devOrigin: null, allowDevtools: true };
  const devServer = { devOrigin: 'http://127.0.0.1:5179', allowDevtools: true };

  it('allows the app origin, data: and the app’s own blob: URLs', () => {
    expect(isAllowedRequest('app://cartography/assets/app.js', prod)).toBe(true);
    expect(isAllowedRequest('data:image/png;base64,AAAA', prod)).toBe(true);
    expect(isAllowedRequest('blob:app://cartography/4f1c9e1e-0000-4000-8000-000000000000', prod)).toBe(true);
  });

  it.each([
    'https://example.com/',
    'http://127.0.0.1:5179/',
    'ws://127.0.0.1:5179/',
    'wss://example.com/',
    'file:///etc/passwd',
    'ftp://example.com/',
    'blob:https://example.com/4f1c9e1e',
    'app://other/index.html',
    'devtools://devtools/bundled/inspector.html',
    'chrome-extension://abc/x.js',
    'not a url',
  ])('blocks %s in a packaged build', (url) => {
    expect(isAllowedRequest(url, prod)).toBe(false);
  });

  it('allows devtools: only in an unpackaged build', () => {
    expect(isAllowedRequest('devtools://devtools/bundled/inspector.html', unpackaged)).toBe(true);
  });

  it('allows the dev server and its hot-reload socket only in dev mode', () => {
    expect(isAllowedRequest('http://127.0.0.1:5179/@vite/client', devServer)).toBe(true);
    expect(isAllowedRequest('ws://127.0.0.1:5179/?token=abc', devServer)).toBe(true);
    expect(isAllowedRequest('ws://127.0.0.1:5180/', devServer)).toBe(false);
    expect(isAllowedRequest('https://fonts.example.com/font.woff2', devServer)).toBe(false);
  });
});

describe('isAllowedDownload', () => {
  it('allows only the app’s own blob: and data: URLs', () => {
    expect(isAllowedDownload('blob:app://cartography/1234', packaged)).toBe(true);
    expect(isAllowedDownload('data:application/json,{}', packaged)).toBe(true);
    expect(isAllowedDownload('https://example.com/malware.exe', packaged)).toBe(false);
    expect(isAllowedDownload('blob:https://example.com/1234', packaged)).toBe(false);
    expect(isAllowedDownload('app://cartography/index.html', packaged)).toBe(false);
  });
});

describe('decidePermission', () => {
  it.each(['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fileSystem', 'unknown'])('denies %s even to the app itself', (permission) => {
    expect(decidePermission(permission, 'app://cartography/')).toBe(false);
  });

  it.each(['fullscreen', 'clipboard-sanitized-write'])('allows %s to the app’s own pages only', (permission) => {
    expect(decidePermission(permission, 'app://cartography/index.html#/study/1/maps')).toBe(true);
    expect(decidePermission(permission, 'app://cartography/')).toBe(true);
    expect(decidePermission(permission, 'app://evil/index.html')).toBe(false);
    expect(decidePermission(permission, 'https://cartography/')).toBe(false);
    expect(decidePermission(permission, 'http://127.0.0.1:5178/')).toBe(false);
    expect(decidePermission(permission, 'not a url')).toBe(false);
    expect(decidePermission(permission)).toBe(false);
  });
});

describe('Content-Security-Policy', () => {
  const directives = (csp: string) => new Map(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)] as const));

  it('is exactly the documented policy', () => {
    const hash = `'sha256-${createHash('sha256').update(CYTOSCAPE_INLINE_STYLE).digest('base64')}'`;
    expect(CONTENT_SECURITY_POLICY_META).toBe(
      "default-src 'none'; script-src 'self'; " +
        `style-src 'self' ${hash}; ` +
        "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self' data: blob:; media-src 'self' data: blob:; " +
        "worker-src 'self' blob:; manifest-src 'self'; object-src 'none'; frame-src 'none'; base-uri 'none'; form-action 'none'",
    );
    expect(CONTENT_SECURITY_POLICY).toBe(`${CONTENT_SECURITY_POLICY_META}; frame-ancestors 'none'`);
  });

  it('has no eval, no inline script and no remote origin', () => {
    for (const csp of [CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_META]) {
      expect(csp).not.toContain('unsafe-eval');
      expect(csp).not.toContain('wasm-unsafe-eval');
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toMatch(/https?:|wss?:|\*/);
      expect(directives(csp).get('script-src')).toEqual(["'self'"]);
    }
  });

  it('allows the one <style> element Cytoscape injects, by hash', () => {
    const cytoscape = readFileSync(new URL('../node_modules/cytoscape/dist/cytoscape.esm.mjs', import.meta.url), 'utf8');
    expect(cytoscape).toContain("stylesheet.textContent = '.' + className + ' { position: relative; }'");
    expect(cytoscape).toContain("var className = '__________cytoscape_container'");
    expect(CYTOSCAPE_INLINE_STYLE).toBe('.__________cytoscape_container { position: relative; }');
  });

  it('loosens only what Vite needs in dev mode, still without eval or remote origins', () => {
    const csp = devContentSecurityPolicy('http://127.0.0.1:5179');
    const parsed = directives(csp);
    expect(parsed.get('script-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(parsed.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(parsed.get('connect-src')).toEqual(["'self'", 'data:', 'blob:', 'ws://127.0.0.1:5179']);
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toMatch(/https?:/);
  });
});

describe('HARDENED_WEB_PREFERENCES', () => {
  it('is exactly the documented hardening of every window', () => {
    expect(HARDENED_WEB_PREFERENCES).toEqual({
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
      disableBlinkFeatures: 'Auxclick',
      safeDialogs: true,
    });
  });
});
