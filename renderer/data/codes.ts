/** Code changes made outside the codebook editor (creating a code from the coding palette). */
import { draftCode } from '../../shared/codebook/draft.ts';
import { newGuid } from '../../shared/model/ids.ts';
import type { Code, Guid } from '../../shared/model/types.ts';
import type { CartographyDb } from './db.ts';
import { ChangeRefused, commitChange } from './history.ts';


/** A new active code, cross-stage and of kind "other" until the researcher places it in the codebook. */
export async function createCode(db: CartographyDb, studyId: Guid, name: string, coderId: Guid | null) {
  const trimmed = name.trim();
  let code: Code | null = null;
  const change = await commitChange(db, studyId, `Create code “${trimmed}”`, async () => {
    if (trimmed === '') throw new ChangeRefused('A code needs a name.');
    const codes = await db.codes.where('studyId').equals(studyId).toArray();
    if (codes.some((c) => c.name.toLowerCase() === trimmed.toLowerCase())) throw new ChangeRefused(`A code named “${trimmed}” already exists.`);
    const now = new Date().toISOString();
    code = {
      ...draftCode({ id: newGuid(), studyId, name: trimmed, now, createdBy: coderId, existing: codes.length, order: codes.reduce((max, c) => Math.max(max, c.order), -1) + 1 }),
      history: [{ at: now, by: coderId, summary: 'Created while coding (a draft: place it in the codebook)' }],
    };
    return { put: { codes: [code] }, remove: {} };
  });
  return { change, code: code! as Code };
}
