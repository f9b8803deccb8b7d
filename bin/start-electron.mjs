#!/usr/bin/env node
// `npm start` (after the build): opens the desktop app, or explains why it cannot.
// The electron package installs without its binary where the download host is out of
// reach (see bin/install-electron.mjs), so a missing binary is an expected state here.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const MISSING_BINARY_MESSAGE = [
  'Cartography: the Electron desktop binary is not installed on this machine (its download failed or was skipped).',
  '  To try the download again: npm run fetch-electron',
  '  To open the same app in your browser instead: npm run web',
].join('\n');

/** The electron executable's path, or null when only the npm package (without its binary) is present. */
export function resolveElectronBinary() {
  try {
    // The package's main throws when path.txt (written by its download step) is missing.
    const binary = createRequire(import.meta.url)('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

function main() {
  const binary = resolveElectronBinary();
  if (binary === null) {
    console.error(MISSING_BINARY_MESSAGE);
    process.exit(1);
  }
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  // Inherited from some tool chains, it would make Electron run as plain Node.
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(binary, ['.'], { cwd: repo, stdio: 'inherit', env });
  // Closing the terminal or Ctrl+C should close the app too.
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => {
    console.error(`Cartography: could not start Electron (${error.message}).`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 0 : 1)));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
