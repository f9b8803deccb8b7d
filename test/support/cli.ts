/**
 * Running the command line in-process in tests: the real file system, a fixed clock, and a
 * fresh temporary folder per test for outputs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { main } from '../../bin/cli/main.ts';
import { readFileBytes, writeFileAtomically } from '../../bin/cli/node-io.ts';
import type { CliIo } from '../../bin/cli/io.ts';

export const ROOT = join(import.meta.dirname, '../..');
export const DEMO = join(ROOT, 'fixtures/demo/demo-study.cartography.json');
export const NOW = '2026-11-22T10:00:00.000Z';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the command line in-process on the real file system, with a fixed clock. */
export async function run(...argv: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    readFile: readFileBytes,
    writeFile: writeFileAtomically,
    now: () => NOW,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** A fresh temporary folder for each test of the calling file (removed after it); `at(name)` is a path in it. */
export function tempFolderPerTest(prefix: string): { at: (name: string) => string; dir: () => string } {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  return { at: (name) => join(dir, name), dir: () => dir };
}
