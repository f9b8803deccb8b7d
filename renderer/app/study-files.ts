/** Moving whole studies in and out of Cartography through the platform bridge. */
import { STUDY_FILE_EXTENSION, StudyFileError } from '../../shared/study-file/format.ts';
import type { PlatformBridge } from '../../shared/platform/bridge.ts';
import type { CartographyDb } from '../data/db.ts';
import { exportStudy, importStudyFile, StudyExistsError } from '../data/studies.ts';
import { fileStem } from '../../shared/text/file-stem.ts';

export const STUDY_FILE_FILTERS = [{ name: 'Cartography study', extensions: ['json'] }];

export type ImportOutcome =
  | { kind: 'imported'; studyId: string; fileName: string }
  | { kind: 'exists'; fileName: string; text: string; existingName: string }
  | { kind: 'failed'; fileName: string; message: string; problems: string[] };

export function decodeUtf8(bytes: Uint8Array, fileName: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new StudyFileError(fileName, [{ path: '(file)', message: 'is not UTF-8 text; study files are JSON written by Cartography' }]);
  }
}

export async function importStudyBytes(db: CartographyDb, fileName: string, bytes: Uint8Array, asCopy = false): Promise<ImportOutcome> {
  try {
    const text = decodeUtf8(bytes, fileName);
    try {
      return { kind: 'imported', studyId: await importStudyFile(db, text, fileName, { asCopy }), fileName };
    } catch (error) {
      if (error instanceof StudyExistsError) return { kind: 'exists', fileName, text, existingName: error.existing.name };
      throw error;
    }
  } catch (error) {
    if (error instanceof StudyFileError) {
      return { kind: 'failed', fileName, message: `${fileName} was not imported; nothing was changed.`, problems: error.problems.map((p) => `${p.path}: ${p.message}`) };
    }
    return { kind: 'failed', fileName, message: `${fileName} was not imported; nothing was changed.`, problems: [(error as Error).message] };
  }
}

export function studyFileName(studyName: string, date = new Date()): string {
  const safe = fileStem(studyName);
  return `${safe}-${date.toISOString().slice(0, 10)}.${STUDY_FILE_EXTENSION}`;
}

export async function exportStudyThrough(platform: PlatformBridge, db: CartographyDb, studyId: string, studyName: string) {
  const text = await exportStudy(db, studyId);
  return platform.saveFile({
    title: 'Export study',
    suggestedName: studyFileName(studyName),
    filters: STUDY_FILE_FILTERS,
    bytes: new TextEncoder().encode(text),
  });
}
