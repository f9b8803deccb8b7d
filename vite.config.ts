import react from '@vitejs/plugin-react';
import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';
import { CONTENT_SECURITY_POLICY_META } from './electron/security.ts';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

/**
 * The built page carries the same CSP as the desktop shell's app:// header (one source:
 * electron/security.ts), so the browser build runs under the same rules. The dev server
 * gets none: Vite injects inline scripts and styles for hot reload.
 */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'cartography-csp',
    apply: 'build',
    transformIndexHtml: (html) =>
      html.replace('<meta charset="UTF-8" />', `<meta charset="UTF-8" />\n    <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY_META}" />`),
  };
}

// The renderer is served from app:// in Electron and from http://127.0.0.1 by `npm run web`:
// relative asset paths work under both.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react(), contentSecurityPolicy()],
  define: { __APP_VERSION__: JSON.stringify(version) },
  build: {
    // CARTOGRAPHY_RENDERER_OUT lets two builds (and the servers over them) run side by side.
    outDir: process.env.CARTOGRAPHY_RENDERER_OUT ?? '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
  },
  server: { host: '127.0.0.1', port: 5179, strictPort: true },
});
