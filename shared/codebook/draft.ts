/** A new code made on the fly (from the coding palette, or named by an imported CSV): cross-stage, of kind "other", a draft until the researcher places it in the codebook. */
import { codeColor } from '../model/colors.ts';
import type { Code, Guid, IsoDate } from '../model/types.ts';

export interface DraftCodeInput {
  id: Guid;
  studyId: Guid;
  name: string;
  now: IsoDate;
  createdBy: Guid | null;
  /** How many codes the study has: picks the next colour. */
  existing: number;
  order: number;
}

export function draftCode({ id, studyId, name, now, createdBy, existing, order }: DraftCodeInput): Code {
  return {
    id,
    studyId,
    createdAt: now,
    modifiedAt: now,
    createdBy,
    parentId: null,
    name: name.trim(),
    color: codeColor(existing),
    stageId: null,
    kind: 'other',
    mode: 'neutral',
    order,
    shortDefinition: '',
    definition: '',
    useWhen: '',
    doNotUseWhen: '',
    examples: [],
    status: 'draft',
    history: [],
  };
}
