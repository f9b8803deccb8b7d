#!/usr/bin/env node
// `npm run web`: serves the built renderer on 127.0.0.1 at a fixed port. IndexedDB data
// belongs to the origin (scheme, host and port), so the port must never wander: a busy
// port is an error, not a reason to pick another one.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEFAULT_PORT = 5178;
const ROOT = process.env.CARTOGRAPHY_RENDERER_OUT ? path.resolve(process.env.CARTOGRAPHY_RENDERER_OUT) : fileURLToPath(new URL('../dist/renderer/', import.meta.url));
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
};
const HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/** Maps a request path to a file under root, or null when it would leave root. */
export function resolveRequest(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0].split('#')[0]);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const full = path.resolve(root, relative);
  return full === root || full.startsWith(root.endsWith(path.sep) ? root : root + path.sep) ? full : null;
}

export function startServer({ port = DEFAULT_PORT, root = ROOT, host = '127.0.0.1' } = {}) {
  const server = createServer(async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, HEADERS).end();
      return;
    }
    const file = resolveRequest(root, req.url ?? '/');
    const info = file ? await stat(file).catch(() => null) : null;
    if (!file || !info?.isFile()) {
      res.writeHead(404, { ...HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    res.writeHead(200, { ...HEADERS, 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'Content-Length': info.size });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve({ server, url: `http://${host}:${server.address().port}/` });
    });
  });
}

function portFromArgs(argv) {
  const flag = argv.indexOf('--port');
  const raw = flag >= 0 ? argv[flag + 1] : process.env.CARTOGRAPHY_PORT;
  if (raw === undefined) return DEFAULT_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    console.error(`Cartography: "${raw}" is not a port number (1–65535).`);
    process.exit(2);
  }
  return port;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const port = portFromArgs(process.argv);
  const index = await stat(path.join(ROOT, 'index.html')).catch(() => null);
  if (!index) {
    console.error('Cartography: the app is not built yet. Run `npm run web` (it builds first) or `npm run build`.');
    process.exit(1);
  }
  try {
    const { url } = await startServer({ port });
    console.log(`Cartography is running at ${url}`);
    console.log('Open that address in Chromium, Chrome, Edge or Firefox. Your studies are stored in that browser, for this address. Press Ctrl+C to stop.');
  } catch (error) {
    if (error.code === 'EADDRINUSE') {
      console.error(`Cartography: port ${port} on 127.0.0.1 is already in use. If Cartography is already running, open http://127.0.0.1:${port}/.`);
      console.error('Otherwise stop the other program, or choose a port with `npm run web -- --port 5190` (studies are stored per address, so a new port starts with an empty browser store).');
      process.exit(1);
    }
    throw error;
  }
}
