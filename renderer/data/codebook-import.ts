/**
 * Importing a codebook file into a study. The screen reads the codebook (`loadImportBasis`),
 * reads the file and plans the import against it (shared/codebook/import-plan.ts), and shows
 * the plan; `importCodebook` then writes the plan's records as one undoable change. Inside the
 * transaction it checks that the codebook is still the one the plan was made against, and that
 * no other study has taken a new code's id since, so what is written is what was previewed.
 */
import { codebookFingerprint, type CodebookImportPlan, type ExistingCodebook } from '../../shared/codebook/import-plan.ts';
import type { Code, Guid } from '../../shared/model/types.ts';
import type { CartographyDb } from './db.ts';
import { ChangeRefused, commitChange, type Change } from './history.ts';

async function readCodebook(db: CartographyDb, studyId: Guid): Promise<ExistingCodebook> {
  const [stages, codes] = await Promise.all([db.stages.where('studyId').equals(studyId).sortBy('order'), db.codes.where('studyId').equals(studyId).sortBy('order')]);
  return { stages, codes };
}

export interface ImportBasis extends ExistingCodebook {
  /** Ids of the file's codes that codes of other studies hold (such a code gets a new id). */
  takenIds: Set<Guid>;
}

/** The study's stages and codes, read in one transaction, and which of `incomingIds` other studies use. */
export async function loadImportBasis(db: CartographyDb, studyId: Guid, incomingIds: readonly Guid[] = []): Promise<ImportBasis> {
  return db.transaction('r', db.stages, db.codes, async () => {
    const codebook = await readCodebook(db, studyId);
    const found = await db.codes.bulkGet([...incomingIds]);
    const takenIds = new Set(found.filter((c): c is Code => c !== undefined && c.studyId !== studyId).map((c) => c.id));
    return { ...codebook, takenIds };
  });
}

export const STALE_PREVIEW = 'The codebook changed after the preview was made, so nothing was imported. Look at the preview again and import once more.';

/** The undo label of an import. */
export const importLabel = (fileName: string) => `Import codebook “${fileName}”`;

/**
 * Writes a planned import in one transaction, recorded as one change (the caller hands it to the
 * History). Refused, with nothing written, when the codebook changed since the plan was made,
 * when a new code's id has been taken since, or when the plan changes nothing.
 */
export async function importCodebook(db: CartographyDb, studyId: Guid, plan: CodebookImportPlan, label = importLabel(plan.fileName)): Promise<{ change: Change; plan: CodebookImportPlan }> {
  const change = await commitChange(db, studyId, label, async () => {
    if (plan.nothingToChange) throw new ChangeRefused(`Nothing to import: the codebook already has every code of “${plan.fileName}” as it is.`);
    const now = await readCodebook(db, studyId);
    if (codebookFingerprint(now) !== plan.basis) throw new ChangeRefused(STALE_PREVIEW);
    const known = new Set(now.codes.map((c) => c.id));
    if (plan.put.some((c) => c.studyId !== studyId)) throw new Error('An import plan names codes of another study.');
    const added = plan.put.filter((c) => !known.has(c.id));
    const clashes = (await db.codes.bulkGet(added.map((c) => c.id))).filter((c) => c !== undefined);
    if (clashes.length > 0) throw new ChangeRefused(STALE_PREVIEW);
    return { put: { codes: plan.put }, remove: {} };
  });
  return { change, plan };
}
