/**
 * A codebook copied into another study: stages and codes get new GUIDs, and every reference
 * between them (a code's parent, a code's stage) follows. Used for templates ("start from the
 * open LLM collaboration codebook") and for "copy the codebook of another study".
 *
 * Examples are copied without their links to coded segments (the segments stay in the
 * source study), and each code's history starts afresh: with one entry saying where the
 * code was copied from when the source's name is given, else empty.
 */
import type { Code, Guid, IsoDate, Stage } from '../model/types.ts';

export interface CopyContext {
  studyId: Guid;
  coderId: Guid | null;
  now: IsoDate;
  newId: () => Guid;
  /** The name of the study (or template) the codebook comes from, for the copied codes' history. */
  sourceName?: string;
}

/** The history entry a copied code starts with. */
export const copiedSummary = (sourceName: string): string => `Copied from the codebook of “${sourceName}”`;

export function copyCodebook(stages: readonly Stage[], codes: readonly Code[], ctx: CopyContext): { stages: Stage[]; codes: Code[] } {
  const stageIds = new Map(stages.map((s) => [s.id, ctx.newId()]));
  const codeIds = new Map(codes.map((c) => [c.id, ctx.newId()]));
  const stamp = { studyId: ctx.studyId, createdAt: ctx.now, modifiedAt: ctx.now, createdBy: ctx.coderId };
  const sourceName = ctx.sourceName?.trim() ?? '';
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
        // segments are not copied, so a link would point into the source study
        examples: c.examples.map((e) => ({ text: e.text, typical: e.typical, segmentId: null })),
        history: sourceName === '' ? [] : [{ at: ctx.now, by: ctx.coderId, summary: copiedSummary(sourceName) }],
        order,
      })),
  };
}
