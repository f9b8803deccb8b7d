/**
 * A teammate's file, read into records a merge can plan with: a REFI-QDA project (.qdpx, or a
 * bare .qde) or a Cartography study file (*.cartography.json). Pure: bytes in, records out.
 * A study file keeps its GUIDs, so records match the study's by GUID; it carries every field,
 * which the plan is told (`from`). Problems are thrown as the readers report them (each names
 * the file and the place in it), before anything is planned or written.
 */
import type { Guid, IsoDate, StudyRecords } from '../model/types.ts';
import { STUDY_FILE_EXTENSION, StudyFileError } from '../study-file/format.ts';
import { readStudyFileContents } from '../study-file/read.ts';
import { readQde, readQdpx } from './qde-import.ts';

export interface MergeSource {
  fileName: string;
  from: 'refi' | 'study-file';
  records: StudyRecords;
  /** How the file was read (REFI-QDA: positions, skipped parts…). */
  notes: string[];
}

/** Files a teammate's work can come in (a study file is read by its .json ending, anything else as a project). */
export const MERGE_SOURCE_EXTENSIONS = ['json', 'qdpx', 'qde'];
const isStudyFileName = (fileName: string) => /\.json$/i.test(fileName);

export async function readMergeSource(file: { name: string; bytes: Uint8Array }, options: { now: IsoDate; newId: () => Guid }): Promise<MergeSource> {
  if (isStudyFileName(file.name)) {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(file.bytes);
    } catch {
      throw new StudyFileError(file.name, [{ path: '(file)', message: `is not UTF-8 text; a teammate's study file is the JSON Cartography exports (*.${STUDY_FILE_EXTENSION})` }]);
    }
    return { fileName: file.name, from: 'study-file', records: readStudyFileContents(text, file.name, options).records, notes: [] };
  }
  const imported = /\.qde$/i.test(file.name) ? await readQde(file.bytes, file.name, new Map(), { now: options.now }) : await readQdpx(file.bytes, file.name, { now: options.now });
  return { fileName: file.name, from: 'refi', records: imported.records, notes: imported.notes };
}
