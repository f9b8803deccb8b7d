/**
 * What the comparison matrices read: every coded segment of a study with its codings, and
 * the small records around them, as the plain `MatrixSource` that shared/analysis computes
 * over, built by the rules the command line uses too (shared/analysis/matrix-source.ts).
 * Saved matrix views live in the settings store, per study.
 */
import { matrixSourceFromSegments } from '../../shared/analysis/matrix-source.ts';
import type { MatrixSource } from '../../shared/analysis/matrix-types.ts';
import type { Guid } from '../../shared/model/types.ts';
import type { CartographyDb } from './db.ts';
import { getSetting, loadStudySegments, putSetting } from './studies.ts';

export async function loadMatrixSource(db: CartographyDb, studyId: Guid): Promise<MatrixSource> {
  const [coders, stages, codes, cases, attributes, participants, documents, stored] = await Promise.all([
    db.coders.where('studyId').equals(studyId).toArray(),
    db.stages.where('studyId').equals(studyId).toArray(),
    db.codes.where('studyId').equals(studyId).toArray(),
    db.cases.where('studyId').equals(studyId).toArray(),
    db.attributes.where('studyId').equals(studyId).toArray(),
    db.participants.where('studyId').equals(studyId).toArray(),
    db.documents.where('studyId').equals(studyId).toArray(),
    loadStudySegments(db, studyId),
  ]);
  return matrixSourceFromSegments({ coders, stages, codes, cases, attributes, participants, documents }, stored);
}

/** A named matrix configuration; `config` is whatever the Matrices area needs to rebuild the view. */
export interface SavedMatrixView {
  name: string;
  savedAt: string;
  config: unknown;
}

const viewsKey = (studyId: Guid) => `matrix-views:${studyId}`;

export async function listMatrixViews(db: CartographyDb, studyId: Guid): Promise<SavedMatrixView[]> {
  return (await getSetting<SavedMatrixView[]>(db, viewsKey(studyId))) ?? [];
}

/** Saves (or replaces, by name) a view; names are compared without regard to case. */
export async function saveMatrixView(db: CartographyDb, studyId: Guid, name: string, config: unknown): Promise<SavedMatrixView[]> {
  const trimmed = name.replace(/\s+/g, ' ').trim();
  if (trimmed === '') throw new Error('A saved view needs a name.');
  return db.transaction('rw', db.settings, async () => {
    const views = (await listMatrixViews(db, studyId)).filter((v) => v.name.toLowerCase() !== trimmed.toLowerCase());
    const next = [...views, { name: trimmed, savedAt: new Date().toISOString(), config }].sort((a, b) => a.name.localeCompare(b.name));
    await putSetting(db, viewsKey(studyId), next);
    return next;
  });
}

export async function deleteMatrixView(db: CartographyDb, studyId: Guid, name: string): Promise<SavedMatrixView[]> {
  return db.transaction('rw', db.settings, async () => {
    const next = (await listMatrixViews(db, studyId)).filter((v) => v.name !== name);
    await putSetting(db, viewsKey(studyId), next);
    return next;
  });
}
