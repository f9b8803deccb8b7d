#!/usr/bin/env node
// The `cartography` command (package.json "bin"). The command line is TypeScript (bin/cli/)
// over shared/, and Node 20 runs only JavaScript, so it runs the bundle dist/cli/cartography.mjs,
// building it first (quietly, with vite.cli.config.ts) when it is missing or older than any
// of its sources. `npm install && npx cartography stats FILE` therefore just works.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const bundle = join(root, 'dist', 'cli', 'cartography.mjs');
const BY_HAND = `Build it by hand in ${root} with "npm run build:cli" (or "npx vite build --config vite.cli.config.ts"), then run the command again.`;

/** The newest modification time among the sources the bundle is made from. */
function newestSource() {
  let newest = 0;
  const visit = (path) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const child = join(path, entry.name);
      if (entry.isDirectory()) visit(child);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(child).mtimeMs);
    }
  };
  for (const folder of ['bin/cli', 'shared']) if (existsSync(join(root, folder))) visit(join(root, folder));
  for (const file of ['vite.cli.config.ts', 'package.json']) if (existsSync(join(root, file))) newest = Math.max(newest, statSync(join(root, file)).mtimeMs);
  return newest;
}

function stale() {
  if (!existsSync(bundle)) return true;
  // Without the sources (an installed copy of the bundle alone) there is nothing to rebuild from.
  if (!existsSync(join(root, 'bin', 'cli'))) return false;
  return statSync(bundle).mtimeMs < newestSource();
}

if (stale()) {
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(vite)) {
    process.stderr.write(`cartography: the command line is not built (${bundle}), and Vite, which builds it, is not installed: run "npm install" first.\n${BY_HAND}\n`);
    process.exit(1);
  }
  // Built into a folder of its own, then renamed into place: another run starting meanwhile
  // never imports a half-written bundle.
  const scratch = join(root, 'dist', 'cli', `.build-${process.pid}`);
  const result = spawnSync(process.execPath, [vite, 'build', '--config', 'vite.cli.config.ts', '--outDir', scratch, '--logLevel', 'error'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const built = join(scratch, 'cartography.mjs');
  if (result.status !== 0 || !existsSync(built)) {
    rmSync(scratch, { recursive: true, force: true });
    const output = `${result.stderr ?? ''}${result.stdout ?? ''}`.trim().split('\n').slice(-15).join('\n');
    process.stderr.write(`cartography: building the command line failed${output ? `:\n${output}` : result.error ? `: ${result.error.message}` : '.'}\n${BY_HAND}\n`);
    process.exit(1);
  }
  renameSync(built, bundle);
  rmSync(scratch, { recursive: true, force: true });
}

const { run } = await import(pathToFileURL(bundle).href);
await run(process.argv.slice(2));
