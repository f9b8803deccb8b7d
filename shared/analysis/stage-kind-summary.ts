/**
 * Per case, per lifecycle stage: how many coded segments show collaboration challenges
 * and how many show on-ramps. A segment counts once per cell however many of that cell's
 * codes it carries. The cathedral–bazaar maps build on this summary.
 */
import type { Code, CodeKind, Coding, Document, Guid } from '../model/types.ts';

export interface StageKindCell {
  challenge: number;
  onRamp: number;
  other: number;
}

export interface StageKindSummary {
  /** caseId → stageId → counts; cases without documents are absent. */
  byCase: Map<Guid, Map<Guid, StageKindCell>>;
  /** stageId → counts over all cases */
  totals: Map<Guid, StageKindCell>;
}

const FIELD: Record<CodeKind, keyof StageKindCell> = { challenge: 'challenge', 'on-ramp': 'onRamp', other: 'other' };
const emptyCell = (): StageKindCell => ({ challenge: 0, onRamp: 0, other: 0 });

export function summariseStageKind(
  codes: readonly Pick<Code, 'id' | 'stageId' | 'kind'>[],
  codings: readonly Pick<Coding, 'codeId' | 'segmentId' | 'documentId'>[],
  documents: readonly Pick<Document, 'id' | 'caseId'>[],
): StageKindSummary {
  const codeById = new Map(codes.map((c) => [c.id, c]));
  const caseOf = new Map(documents.map((d) => [d.id, d.caseId]));
  const counted = new Set<string>();
  const byCase = new Map<Guid, Map<Guid, StageKindCell>>();
  const totals = new Map<Guid, StageKindCell>();
  const bump = (map: Map<Guid, StageKindCell>, stageId: Guid, field: keyof StageKindCell) => {
    let cell = map.get(stageId);
    if (!cell) map.set(stageId, (cell = emptyCell()));
    cell[field] += 1;
  };
  for (const coding of codings) {
    const code = codeById.get(coding.codeId);
    const caseId = caseOf.get(coding.documentId);
    if (!code || !code.stageId || !caseId) continue;
    const field = FIELD[code.kind];
    const key = `${coding.segmentId}|${code.stageId}|${field}`;
    if (counted.has(key)) continue;
    counted.add(key);
    let stages = byCase.get(caseId);
    if (!stages) byCase.set(caseId, (stages = new Map()));
    bump(stages, code.stageId, field);
    bump(totals, code.stageId, field);
  }
  return { byCase, totals };
}
