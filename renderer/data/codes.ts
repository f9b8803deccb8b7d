/** Code changes made outside the codebook editor (creating a code from the coding palette). */
import { newGuid } from '../../shared/model/ids.ts';
import type { Code, Guid } from '../../shared/model/types.ts';
import type { CartographyDb } from './db.ts';
import { ChangeRefused, commitChange } from './history.ts';

const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

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
      id: newGuid(),
      studyId,
      createdAt: now,
      modifiedAt: now,
      createdBy: coderId,
      parentId: null,
      name: trimmed,
      color: PALETTE[codes.length % PALETTE.length]!,
      stageId: null,
      kind: 'other',
      mode: 'neutral',
      order: codes.reduce((max, c) => Math.max(max, c.order), -1) + 1,
      shortDefinition: '',
      definition: '',
      useWhen: '',
      doNotUseWhen: '',
      examples: [],
      status: 'draft',
    };
    return { put: { codes: [code] }, remove: {} };
  });
  return { change, code: code! as Code };
}
