/**
 * A codebook copied into another study: stages and codes get new GUIDs, and every reference
 * between them (a code's parent, a code's stage) follows. Used for templates ("start from the
 * open LLM collaboration codebook") and for "copy the codebook of another study".
 */
import type { Code, Guid, IsoDate, Stage } from '../model/types.ts';

export interface CopyContext {
  studyId: Guid;
  coderId: Guid | null;
  now: IsoDate;
  newId: () => Guid;
}

export function copyCodebook(stages: readonly Stage[], codes: readonly Code[], ctx: CopyContext): { stages: Stage[]; codes: Code[] } {
  const stageIds = new Map(stages.map((s) => [s.id, ctx.newId()]));
  const codeIds = new Map(codes.map((c) => [c.id, ctx.newId()]));
  const stamp = { studyId: ctx.studyId, createdAt: ctx.now, modifiedAt: ctx.now, createdBy: ctx.coderId };
  return {
    stages: [...stages].sort((a, b) => a.order - b.order).map((s, order) => ({ ...s, ...stamp, id: stageIds.get(s.id)!, order })),
    codes: [...codes]
      .sort((a, b) => a.order - b.order)
      .map((c, order) => ({
        ...c,
        ...stamp,
        id: codeIds.get(c.id)!,
        // a parent or stage outside the copied set (should not happen) is dropped rather than left dangling
        parentId: c.parentId ? (codeIds.get(c.parentId) ?? null) : null,
        stageId: c.stageId ? (stageIds.get(c.stageId) ?? null) : null,
        examples: [...c.examples],
        order,
      })),
  };
}
