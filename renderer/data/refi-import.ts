/**
 * Importing a REFI-QDA project (.qdpx, or a bare .qde) into the database. The screen reads
 * the file (shared/refi/qde-import.ts), shows what it holds, and then either
 * - adds it as a new study (`importRefiAsStudy`): one transaction, as a study file import is.
 *   When GUIDs of the file are already used by records of a study in the database (a project
 *   exported from here and brought back), the new study gets new GUIDs throughout, and the
 *   outcome says so; or
 * - merges it into an open study by GUID, as a teammate's study file is merged: see merge.ts
 *   (preview with the researcher's choices, then ONE undoable change).
 */
import type { QdpxImport } from '../../shared/refi/qde-import.ts';
import type { Guid } from '../../shared/model/types.ts';
import { writeStudyFile } from '../../shared/study-file/write.ts';
import type { CartographyDb } from './db.ts';
import { idsOfOtherStudies } from './merge.ts';
import { importStudyFile, saveStudyRecords, StudyExistsError, uniqueName } from './studies.ts';

export type RefiStudyOutcome = { studyId: Guid; name: string; newGuids: false } | { studyId: Guid; name: string; newGuids: true; clashes: number; otherStudy: string | null };

/** A write refused because a key is taken: the study's GUID, or a record's (the transaction then wrote nothing). */
const isKeyClash = (error: unknown) => error instanceof StudyExistsError || (error instanceof Error && (error.name === 'BulkError' || error.name === 'ConstraintError'));

/** Adds the project as a new study, with new GUIDs when the database already uses some of the file's. */
export async function importRefiAsStudy(db: CartographyDb, imported: QdpxImport): Promise<RefiStudyOutcome> {
  const records = imported.records;
  const name = await uniqueName(db, records.study.name);
  try {
    // One transaction: a GUID already in the database aborts it before anything is kept.
    const studyId = await saveStudyRecords(db, { ...records, study: { ...records.study, name } });
    return { studyId, name, newGuids: false };
  } catch (error) {
    if (!isKeyClash(error)) throw error;
  }
  // Record ids of the file that records of any study in the database already use.
  const clashes = await idsOfOtherStudies(db, null, records);
  // The study file path gives every record a new GUID and keeps every reference.
  const studyId = await importStudyFile(db, JSON.stringify(writeStudyFile(records)), `${records.study.name}.qdpx`, { asCopy: true, name });
  return { studyId, name, newGuids: true, clashes: clashes.ids.length, otherStudy: clashes.studyName };
}
