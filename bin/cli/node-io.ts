/**
 * The command line's `CliIo` on Node's file system. Output files are written atomically:
 * to a temporary file beside the target (same folder, so the rename never crosses a file
 * system), then renamed over it. A failure on the way removes the temporary file, so an
 * existing output stays exactly as it was and no half-written file is ever left.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CliError, q } from './errors.ts';
import type { CliIo } from './io.ts';

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'it is a folder, not a file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOSPC: 'the disk is full',
  EROFS: 'the file system is read-only',
  ENOTDIR: 'a part of the path is not a folder',
  ENAMETOOLONG: 'the name is too long',
};

const reason = (error: unknown): string => {
  const code = (error as NodeJS.ErrnoException).code;
  return (code !== undefined ? REASONS[code] : undefined) ?? (error as Error).message;
};

export async function readFileBytes(path: string): Promise<Uint8Array> {
  try {
    const buffer = await readFile(path);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (error) {
    throw new CliError(`Cannot read ${q(path)}: ${reason(error)}.`);
  }
}

/** Writes `bytes` to `path` through a temporary file in the same folder (see the file comment). */
export async function writeFileAtomically(path: string, bytes: Uint8Array): Promise<void> {
  const folder = dirname(path);
  try {
    if (!(await stat(folder)).isDirectory()) throw new CliError(`Cannot write ${q(path)}: ${q(folder)} is not a folder.`);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`Cannot write ${q(path)}: the folder ${q(folder)} does not exist.`);
  }
  const existing = await stat(path).catch(() => null);
  if (existing?.isDirectory()) throw new CliError(`Cannot write ${q(path)}: it is a folder.`);
  const temporary = join(folder, `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    // 'wx': never follow or reuse a file someone else put at the temporary name
    await writeFile(temporary, bytes, { flag: 'wx' });
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw new CliError(`Cannot write ${q(path)}: ${reason(error)}.`);
  }
}

export function nodeIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    readFile: readFileBytes,
    writeFile: writeFileAtomically,
    now: () => new Date().toISOString(),
  };
}
