/** Coders of a study: adding one is an undoable change (who is active is a preference, set apart). */
import { newGuid } from '../../shared/model/ids.ts';
import type { Coder, Guid } from '../../shared/model/types.ts';
import type { CartographyDb } from './db.ts';
import { ChangeRefused, commitChange } from './history.ts';

export async function addCoder(db: CartographyDb, studyId: Guid, name: string) {
  const trimmed = name.trim();
  let coder: Coder | null = null;
  const change = await commitChange(db, studyId, `Add coder “${trimmed}”`, async () => {
    if (trimmed === '') throw new ChangeRefused('A coder needs a name.');
    const coders = await db.coders.where('studyId').equals(studyId).toArray();
    if (coders.some((c) => c.name.toLowerCase() === trimmed.toLowerCase())) throw new ChangeRefused(`“${trimmed}” is already a coder of this study.`);
    const now = new Date().toISOString();
    coder = { id: newGuid(), studyId, createdAt: now, modifiedAt: now, createdBy: null, name: trimmed };
    return { put: { coders: [coder] }, remove: {} };
  });
  return { change, coder: coder! as Coder };
}
