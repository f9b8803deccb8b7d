/**
 * Reading a REFI-QDA project (a .qdpx package, or a bare project .qde whose sources are
 * inline) for the command line: the project reader's records,
 * with its notes (what it decided or left out) for standard error, and its problems (entry,
 * line and column, element and GUID) as one CliError naming the file.
 */
import { newGuid } from '../../shared/model/ids.ts';
import type { StudyRecords } from '../../shared/model/types.ts';
import { readQde, readQdpx, RefiImportError, type QdpxCounts } from '../../shared/refi/qde-import.ts';
import { problemsError, q } from './errors.ts';

export interface QdpxInput {
  records: StudyRecords;
  /** What the project file holds, counted as written. */
  counts: QdpxCounts;
  /** What the reader decided or could not carry, for standard error. */
  notes: string[];
}

export async function readProjectInput(path: string, bytes: Uint8Array, now: string, kind: 'qdpx' | 'qde'): Promise<QdpxInput> {
  try {
    const options = { now, newId: newGuid };
    const { records, counts, notes } = kind === 'qdpx' ? await readQdpx(bytes, path, options) : await readQde(bytes, path, new Map(), options);
    return { records, counts, notes };
  } catch (error) {
    if (!(error instanceof RefiImportError)) throw error;
    // A problem of the whole file is “where” the file is: its message names it already.
    throw problemsError(`${q(path)} is not a REFI-QDA project that can be read:`, error.problems, (p) => (p.where === path ? `  ${p.message}` : `  ${p.where}: ${p.message}`));
  }
}
