/**
 * Importing a REFI-QDA project (.qdpx, or a bare .qde) into the database. The screen reads
 * the file (shared/refi/qde-import.ts), shows what it holds, and then either
 * - adds it as a new study (`importRefiAsStudy`): one transaction, as a study file import is.
 *   When GUIDs of the file are already used by records of a study in the database (a project
 *   exported from here and brought back), the new study gets new GUIDs throughout, and the
 *   outcome says so; or
 * - merges it into an open study by GUID (`previewRefiMerge` → `mergeRefiImport`): the pure
 *   merge plan (shared/refi/merge.ts) written as ONE undoable change. The plan is made for the
 *   study as it was at the preview; if the study changed since, nothing is written.
 */
import { planRefiMerge, type RefiMergePlan } from '../../shared/refi/merge.ts';
import type { QdpxImport } from '../../shared/refi/qde-import.ts';
import { summariseDocumentCodings } from '../../shared/model/document-codings.ts';
import { STUDY_COLLECTIONS, type Guid, type IsoDate, type StudyRecords } from '../../shared/model/types.ts';
import { writeStudyFile } from '../../shared/study-file/write.ts';
import type { CartographyDb } from './db.ts';
import { ChangeRefused, commitChange, type Change, type Patch, type PatchTable } from './history.ts';
import { toStoredSegments } from './layout.ts';
import { importStudyFile, loadStudyRecords, saveStudyRecords, StudyExistsError, uniqueName } from './studies.ts';

export type RefiStudyOutcome = { studyId: Guid; name: string; newGuids: false } | { studyId: Guid; name: string; newGuids: true; clashes: number; otherStudy: string | null };

/** Record ids of the file that records of any study in the database already use, and one such study's name. */
async function guidClashes(db: CartographyDb, records: StudyRecords): Promise<{ count: number; studyName: string | null }> {
  let count = 0;
  let studyId: Guid | null = null;
  for (const name of STUDY_COLLECTIONS) {
    if (name === 'codings') continue; // stored inside segments
    const ids = records[name].map((r) => r.id);
    if (ids.length === 0) continue;
    const found = await db.table(name).bulkGet(ids);
    for (const row of found) {
      if (!row) continue;
      count += 1;
      studyId ??= (row as { studyId: Guid }).studyId;
    }
  }
  const study = studyId ? await db.studies.get(studyId) : undefined;
  return { count, studyName: study?.name ?? null };
}

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
  const clashes = await guidClashes(db, records);
  // The study file path gives every record a new GUID and keeps every reference.
  const studyId = await importStudyFile(db, JSON.stringify(writeStudyFile(records)), `${records.study.name}.qdpx`, { asCopy: true, name });
  return { studyId, name, newGuids: true, clashes: clashes.count, otherStudy: clashes.studyName };
}

export interface RefiMergePreview {
  studyId: Guid;
  /** The study's modifiedAt when the plan was made: a later change makes the plan stale. */
  basis: IsoDate;
  plan: RefiMergePlan;
  /** Documents whose stored segments lose a coding the file moves elsewhere: rebuilt too. */
  alsoRebuild: Guid[];
  /** Records the plan would add that records of another study already use (the merge is then refused). */
  foreignClashes: number;
  foreignStudy: string | null;
}

/** The merge plan of a project into a study as it is now. */
export async function previewRefiMerge(db: CartographyDb, studyId: Guid, imported: QdpxImport): Promise<RefiMergePreview> {
  const existing = await loadStudyRecords(db, studyId);
  const plan = planRefiMerge(existing, imported.records);
  const added: StudyRecords = { ...plan.result };
  for (const name of STUDY_COLLECTIONS) {
    const known = new Set(existing[name].map((r) => r.id));
    (added as unknown as Record<string, { id: Guid }[]>)[name] = plan.put[name].filter((r) => !known.has(r.id));
  }
  const clashes = await guidClashes(db, added);
  const before = new Map(existing.codings.map((c) => [c.id, c.documentId]));
  const alsoRebuild = [...new Set(plan.put.codings.flatMap((c) => {
    const was = before.get(c.id);
    return was !== undefined && was !== c.documentId ? [was] : [];
  }))];
  return { studyId, basis: existing.study.modifiedAt, plan, alsoRebuild, foreignClashes: clashes.count, foreignStudy: clashes.studyName };
}

export const STALE_MERGE = 'The study changed after the preview was made, so nothing was imported. Look at the preview again and import once more.';

/** The patch that writes a merge plan: stored segments and the documents' coding caches rebuilt for every document it touches. */
export function mergePatch(plan: RefiMergePlan, alsoRebuild: readonly Guid[] = []): Patch {
  const put: Patch['put'] = {};
  const set = (table: PatchTable, rows: { id: string }[]) => {
    if (rows.length > 0) put[table] = rows;
  };
  for (const name of ['coders', 'stages', 'attributes', 'cases', 'participants', 'texts', 'codes', 'memos', 'actors', 'ties', 'overrides'] as const) set(name, plan.put[name]);
  const touched = new Set<Guid>([...plan.put.segments.map((s) => s.documentId), ...plan.put.codings.map((c) => c.documentId), ...plan.put.documents.map((d) => d.id), ...alsoRebuild]);
  const result = plan.result;
  const summaries = summariseDocumentCodings(result.codings.filter((c) => touched.has(c.documentId)));
  const documents = result.documents
    .filter((d) => touched.has(d.id))
    .map((d) => ({ ...d, codingCount: summaries.get(d.id)?.codingCount ?? 0, coderIds: summaries.get(d.id)?.coderIds ?? [] }));
  set('documents', documents);
  set(
    'segments',
    toStoredSegments(
      result.segments.filter((s) => touched.has(s.documentId)),
      result.codings.filter((c) => touched.has(c.documentId)),
    ),
  );
  return { put, remove: {} };
}

/** Writes a previewed merge as one undoable change (the caller hands it to the History). */
export async function mergeRefiImport(db: CartographyDb, preview: RefiMergePreview, label: string): Promise<Change> {
  if (preview.foreignClashes > 0) {
    throw new ChangeRefused(
      `The file's GUIDs are already used by ${preview.foreignClashes} records of another study${preview.foreignStudy ? ` (“${preview.foreignStudy}”)` : ''}, so it cannot be merged here. Merge it into that study, or import it as a new study (it then gets new GUIDs).`,
    );
  }
  return commitChange(db, preview.studyId, label, async () => {
    const study = await db.studies.get(preview.studyId);
    if (!study || study.modifiedAt !== preview.basis) throw new ChangeRefused(STALE_MERGE);
    const patch = mergePatch(preview.plan, preview.alsoRebuild);
    const ids = Object.entries(patch.put).flatMap(([table, rows]) => (rows ?? []).map((r) => [table, r.id] as const));
    // No record of another study may be overwritten, whatever happened since the preview.
    for (const table of new Set(ids.map(([t]) => t))) {
      const found = await db.table(table).bulkGet(ids.filter(([t]) => t === table).map(([, id]) => id));
      if (found.some((row) => row && (row as { studyId?: Guid }).studyId !== preview.studyId)) throw new ChangeRefused(STALE_MERGE);
    }
    return patch;
  });
}
