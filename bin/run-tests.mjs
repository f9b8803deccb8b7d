#!/usr/bin/env node
// `npm test`: everything CI runs, in order — typecheck, lint (ESLint and Electronegativity),
// unit tests, then end-to-end tests in Chromium — with one summary line per runner.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { findChromium } from './chromium.mjs';

const run = (label, command, args) => {
  console.log(`\n=== ${label} ===`);
  const result = spawnSync(command, args, { stdio: 'inherit' });
  return result.status === 0;
};
const npx = (bin) => path.join('node_modules', '.bin', bin);
const steps = [];

steps.push(['typecheck', run('typecheck', process.execPath, ['bin/typecheck.mjs'])]);
steps.push(['eslint', run('eslint', npx('eslint'), ['--max-warnings', '0', '.'])]);
steps.push(['electronegativity', run('electronegativity', process.execPath, ['bin/electronegativity.mjs'])]);

mkdirSync('test-artifacts', { recursive: true });
const counts = { passed: 0, failed: 0, skipped: 0 };
const vitest = (label, config, build) => {
  if (build && !run(`${label}: build`, npx('vite'), ['build', '--logLevel', 'warn'])) {
    steps.push([label, false]);
    return;
  }
  const report = path.join('test-artifacts', `${label}-results.json`);
  const ok = run(label, npx('vitest'), ['run', '--config', config, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);
  if (existsSync(report)) {
    const r = JSON.parse(readFileSync(report, 'utf8'));
    const skipped = r.numPendingTests + r.numTodoTests;
    counts.passed += r.numPassedTests;
    counts.failed += r.numFailedTests;
    counts.skipped += skipped;
    console.log(`${label}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
  }
  steps.push([label, ok]);
};
vitest('unit', 'vitest.config.ts', false);
const chromium = findChromium();
if (!chromium) {
  console.log('\n' + '!'.repeat(78));
  console.log('!!! No Chromium found: END-TO-END TESTS SKIPPED. Install Debian\'s chromium or set CHROMIUM_PATH.');
  console.log('!'.repeat(78));
}
vitest('e2e', 'vitest.e2e.config.ts', true);

console.log('\n=== summary ===');
for (const [label, ok] of steps) console.log(`${ok ? 'ok    ' : 'FAILED'} ${label}`);
const failedSteps = steps.filter(([, ok]) => !ok).length;
console.log(`total: ${counts.passed} passed, ${counts.failed + (counts.failed === 0 ? failedSteps : 0)} failed, ${counts.skipped} skipped`);
process.exit(failedSteps === 0 ? 0 : 1);
