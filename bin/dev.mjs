#!/usr/bin/env node
// `npm run dev`: Vite's dev server on 127.0.0.1:5179, the Electron sources compiled in
// watch mode, and Electron pointed at the dev server through CARTOGRAPHY_DEV_URL (the
// only dev URL main accepts). Without the Electron binary the dev server keeps running
// for use in a browser.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';
import { MISSING_BINARY_MESSAGE, resolveElectronBinary } from './start-electron.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEV_URL = 'http://127.0.0.1:5179/';
const compiledMain = path.join(repo, 'dist', 'app', 'electron', 'main.js');
process.chdir(repo);

const children = new Set();
let server = null;

async function shutdown(code) {
  for (const child of children) child.kill('SIGTERM');
  await server?.close().catch(() => {});
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(130));
process.on('SIGTERM', () => void shutdown(143));

server = await createServer({
  configFile: path.join(repo, 'vite.config.ts'),
  server: { host: '127.0.0.1', port: 5179, strictPort: true },
});
await server.listen();
server.printUrls();

const binary = resolveElectronBinary();
if (binary === null) {
  console.log(`\n${MISSING_BINARY_MESSAGE}\n\nThe dev server keeps running: open ${DEV_URL} in your browser. Ctrl+C stops it.`);
} else {
  startCompilerThenElectron(binary);
}

/** tsc --watch reports "Found N errors" after every compile; Electron starts after the first. */
function startCompilerThenElectron(electronBinary) {
  const tsc = spawn(process.execPath, [path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'electron/tsconfig.json', '--watch', '--preserveWatchOutput'], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(tsc);
  let electronStarted = false;
  tsc.stdout.setEncoding('utf8');
  tsc.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    if (electronStarted || !/Found \d+ errors?/.test(chunk)) return;
    electronStarted = true;
    if (!existsSync(compiledMain)) {
      console.error('Cartography: the Electron sources did not compile; fix the errors above and run `npm run dev` again.');
      void shutdown(1);
      return;
    }
    startElectron(electronBinary);
  });
  tsc.on('exit', (code) => {
    children.delete(tsc);
    if (!electronStarted) void shutdown(code ?? 1);
  });
}

function startElectron(electronBinary) {
  const env = { ...process.env, CARTOGRAPHY_DEV_URL: DEV_URL };
  delete env.ELECTRON_RUN_AS_NODE;
  const electron = spawn(electronBinary, ['.'], { cwd: repo, stdio: 'inherit', env });
  children.add(electron);
  electron.on('error', (error) => {
    console.error(`Cartography: could not start Electron (${error.message}).`);
    void shutdown(1);
  });
  // Closing the app window ends the dev session.
  electron.on('exit', (code) => {
    children.delete(electron);
    void shutdown(code ?? 0);
  });
}
