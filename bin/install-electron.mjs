#!/usr/bin/env node
// Fetches Electron's binary after `npm install`, without ever failing the install.
//
// package.json denies electron's own postinstall (allowScripts) because on a machine
// without a route to Electron's download host that script fails the whole install.
// Here the same download runs, but a failure only prints what to do next: the app
// still runs in any browser with `npm run web`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const force = process.argv.includes('--force');

if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD && !force) {
  console.log('Cartography: ELECTRON_SKIP_BINARY_DOWNLOAD is set, so the Electron binary was not fetched. Use `npm run web` to run the app in a browser.');
  process.exit(0);
}

let installScript;
try {
  installScript = path.join(path.dirname(require.resolve('electron/package.json')), 'install.js');
} catch {
  console.warn('Cartography: the electron package is not installed; `npm start` will not work. Use `npm run web`.');
  process.exit(0);
}
if (!existsSync(installScript)) process.exit(0);

const env = { ...process.env };
delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
const result = spawnSync(process.execPath, [installScript], { stdio: ['ignore', 'inherit', 'pipe'], env, timeout: 10 * 60 * 1000 });
if (result.status === 0) {
  console.log('Cartography: Electron binary ready.');
} else {
  const firstLine = String(result.stderr ?? '').split('\n').find((line) => line.trim()) ?? 'no details';
  console.warn([
    '',
    'Cartography: the Electron binary could not be downloaded, so `npm start` cannot open the desktop app on this machine.',
    `  reason: ${firstLine.trim()}`,
    '  The same app runs in your browser: `npm run web`.',
    '  To try the download again later: `npm run fetch-electron`.',
    '',
  ].join('\n'));
}
process.exit(0);
