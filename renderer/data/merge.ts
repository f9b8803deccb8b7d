/**
 * Merging a teammate's work (a REFI-QDA project or a Cartography study file) into a study:
 * `previewMerge` reads the study once and plans the merge (shared/refi/merge.ts) with the
 * researcher's choices; `replanMerge` plans again with other choices without touching the
 * database, so the preview's counts follow every choice at once; `writeMerge` writes the plan
 * as ONE undoable change. The plan is made for the study as it was at the preview: if the study
 * changed since, nothing is written. A file whose GUIDs records of another study use is refused
 * (the study's records are never overwritten by a plan, and another study's must not be either).
 */
import { summariseDocumentCodings } from '../../shared/model/document-codings.ts';
import { STUDY_COLLECTIONS, type Guid, type IsoDate, type StudyCollection, type StudyRecords } from '../../shared/model/types.ts';
import { planMerge, type MergeChoices, type MergePlan } from '../../shared/refi/merge.ts';
import type { MergeSource } from '../../shared/refi/merge-source.ts';
import type { CartographyDb } from './db.ts';
import { ChangeRefused, commitChange, type Change, type Patch, type PatchTable } from './history.ts';
import { toStoredSegments } from './layout.ts';
import { loadStudyRecords } from './studies.ts';

export interface MergePreview {
  studyId: Guid;
  /** The study's modifiedAt when the plan was made: a later change makes the plan stale. */
  basis: IsoDate;
  /** The study as it was at the preview, to plan again with other choices. */
  existing: StudyRecords;
  source: Pick<MergeSource, 'fileName' | 'from' | 'records'>;
  choices: MergeChoices;
  plan: MergePlan;
  /** Documents whose stored segments lose a coding the plan moves elsewhere: rebuilt too. */
  alsoRebuild: Guid[];
  /** Ids of the file that records of another study use, and one such study's name. */
  foreignIds: ReadonlySet<Guid>;
  foreignStudy: string | null;
  /** Records the plan would add whose GUIDs another study's records use (the merge is then refused). */
  foreignClashes: number;
}

/**
 * Ids of the file's records that records of another study than `studyId` already use (of any
 * study when it is null), one per record (a document and its text count twice), and one such
 * study's name. Ids of `own` records, loaded as the study's, are not read again.
 */
export async function idsOfOtherStudies(db: CartographyDb, studyId: Guid | null, records: StudyRecords, own?: StudyRecords): Promise<{ ids: Guid[]; studyName: string | null }> {
  const ids: Guid[] = [];
  let otherStudy: Guid | null = null;
  for (const name of STUDY_COLLECTIONS) {
    if (name === 'codings') continue; // stored inside segments
    const known = new Set(own?.[name].map((r) => r.id));
    const wanted = records[name].map((r) => r.id).filter((id) => !known.has(id));
    if (wanted.length === 0) continue;
    const found = await db.table(name).bulkGet(wanted);
    found.forEach((row, i) => {
      const owner = (row as { studyId?: Guid } | undefined)?.studyId;
      if (owner === undefined || owner === studyId) return;
      ids.push(wanted[i]!);
      otherStudy ??= owner;
    });
  }
  const study = otherStudy ? await db.studies.get(otherStudy) : undefined;
  return { ids, studyName: study?.name ?? null };
}

/** The preview's derived parts for a plan. */
function withPlan(preview: Omit<MergePreview, 'plan' | 'alsoRebuild' | 'foreignClashes'>, plan: MergePlan): MergePreview {
  const { existing } = preview;
  const before = new Map(existing.codings.map((c) => [c.id, c.documentId]));
  const alsoRebuild = [
    ...new Set(
      plan.put.codings.flatMap((c) => {
        const was = before.get(c.id);
        return was !== undefined && was !== c.documentId ? [was] : [];
      }),
    ),
  ];
  let foreignClashes = 0;
  for (const name of STUDY_COLLECTIONS) {
    if (name === 'codings') continue;
    const known = new Set(existing[name].map((r) => r.id));
    foreignClashes += plan.put[name].filter((r) => !known.has(r.id) && preview.foreignIds.has(r.id)).length;
  }
  return { ...preview, plan, alsoRebuild, foreignClashes };
}

/** The merge plan of a teammate's file into a study as it is now, with these choices. */
export async function previewMerge(db: CartographyDb, studyId: Guid, source: MergePreview['source'], choices: MergeChoices = {}): Promise<MergePreview> {
  const existing = await loadStudyRecords(db, studyId);
  const plan = planMerge(existing, source.records, choices, { from: source.from });
  const foreign = await idsOfOtherStudies(db, studyId, source.records, existing);
  return withPlan({ studyId, basis: existing.study.modifiedAt, existing, source, choices, foreignIds: new Set(foreign.ids), foreignStudy: foreign.studyName }, plan);
}

/** The same preview with other choices: no database read, so it can follow every click. Throws when the choices would leave the study inconsistent. */
export function replanMerge(preview: MergePreview, choices: MergeChoices): MergePreview {
  const plan = planMerge(preview.existing, preview.source.records, choices, { from: preview.source.from });
  return withPlan({ ...preview, choices }, plan);
}

export const STALE_MERGE = 'The study changed after the preview was made, so nothing was imported. Look at the preview again and import once more.';

/** The patch that writes a merge plan: stored segments and the documents' coding caches rebuilt for every document it touches. */
export function mergePatch(plan: MergePlan, alsoRebuild: readonly Guid[] = []): Patch {
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
export async function writeMerge(db: CartographyDb, preview: MergePreview, label: string): Promise<Change> {
  if (preview.foreignClashes > 0) {
    throw new ChangeRefused(
      `The file's GUIDs are already used by ${preview.foreignClashes} records of another study${preview.foreignStudy ? ` (“${preview.foreignStudy}”)` : ''}, so it cannot be merged here. Merge it into that study, or import it as a new study (it then gets new GUIDs).`,
    );
  }
  return commitChange(db, preview.studyId, label, async () => {
    const study = await db.studies.get(preview.studyId);
    if (!study || study.modifiedAt !== preview.basis) throw new ChangeRefused(STALE_MERGE);
    const patch = mergePatch(preview.plan, preview.alsoRebuild);
    // No record of another study may be overwritten, whatever happened since the preview. The
    // records the preview loaded are still the study's (any change to it would have made the
    // plan stale), so only the others are read.
    for (const [table, rows] of Object.entries(patch.put) as [StudyCollection, { id: Guid }[]][]) {
      const known = new Set(preview.existing[table].map((r) => r.id));
      const fresh = rows.map((r) => r.id).filter((id) => !known.has(id));
      if (fresh.length === 0) continue;
      const found = await db.table(table).bulkGet(fresh);
      if (found.some((row) => row && (row as { studyId?: Guid }).studyId !== preview.studyId)) throw new ChangeRefused(STALE_MERGE);
    }
    return patch;
  });
}
