#!/usr/bin/env node
// Type-checks each part of the tree against its own rules: shared/ without DOM or Node
// types, renderer/ with the DOM, electron/ and the command line (bin/cli/) with Node, tests with both.
import { spawnSync } from 'node:child_process';

const projects = ['shared/tsconfig.json', 'renderer/tsconfig.json', 'electron/tsconfig.json', 'bin/cli/tsconfig.json', 'tsconfig.test.json'];
let failed = 0;
for (const project of projects) {
  const args = ['node_modules/typescript/bin/tsc', '-p', project, '--noEmit'];
  const result = spawnSync(process.execPath, args, { stdio: 'inherit' });
  console.log(`typecheck ${project}: ${result.status === 0 ? 'ok' : 'FAILED'}`);
  if (result.status !== 0) failed += 1;
}
process.exit(failed ? 1 : 0);
