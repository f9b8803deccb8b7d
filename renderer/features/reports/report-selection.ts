/**
 * Which stages and codes the report takes, from the options the researcher left (what was
 * unticked), in the shape the report model asks for. The groups follow the codebook's own
 * order (codeColumns: stage → kind → tree order), so the checklist reads like the report.
 */
import { codeColumns, UNKNOWN_STAGE_LABEL } from '../../../shared/analysis/matrix.ts';
import { CROSS_STAGE_LABEL } from '../../../shared/codebook/operations.ts';
import type { Code, Guid, Stage } from '../../../shared/model/types.ts';
import type { ReportOptions } from '../../../shared/reports/report-model.ts';
import { CROSS_STAGE_KEY, type ReportSettings } from '../../data/reports.ts';

export interface SelectionCode {
  id: Guid;
  /** "Parent › Child". */
  label: string;
}

export interface SelectionGroup {
  /** A stage id, or CROSS_STAGE_KEY for the codes used in every stage. */
  key: string;
  stageId: Guid | null;
  name: string;
  codes: SelectionCode[];
}

export interface ReportSelection {
  groups: SelectionGroup[];
  /** Stages the report takes, for the model ('all' when none is left out). */
  stageIds: ReportOptions['stageIds'];
  codeIds: ReportOptions['codeIds'];
  /** Real stages taken (the lifecycle map has no column for cross-stage codes). */
  mapStageIds: Set<Guid>;
  /** Codes the report will hold, and all codes of the codebook. */
  included: number;
  total: number;
}

export const stageKey = (stageId: Guid | null): string => stageId ?? CROSS_STAGE_KEY;

export function reportSelection(stages: readonly Stage[], codes: readonly Code[], settings: Pick<ReportSettings, 'excludedStages' | 'excludedCodes'>): ReportSelection {
  const stageName = new Map(stages.map((s) => [s.id, s.name]));
  const groups: SelectionGroup[] = [];
  for (const col of codeColumns({ stages: [...stages], codes: [...codes] })) {
    const key = stageKey(col.stageId);
    let group = groups.at(-1);
    if (!group || group.key !== key) groups.push((group = { key, stageId: col.stageId, name: col.stageId === null ? CROSS_STAGE_LABEL : (stageName.get(col.stageId) ?? UNKNOWN_STAGE_LABEL), codes: [] }));
    group.codes.push({ id: col.codeIds[0]!, label: col.namePath.join(' › ') });
  }
  // Stages without codes still appear, so the lifecycle map can be asked for them.
  for (const s of stages) if (!groups.some((g) => g.stageId === s.id)) groups.push({ key: s.id, stageId: s.id, name: s.name, codes: [] });
  const order = new Map([...stages].sort((a, b) => a.order - b.order || a.name.localeCompare(b.name)).map((s, i) => [s.id, i]));
  groups.sort((a, b) => (a.stageId === null ? Infinity : (order.get(a.stageId) ?? stages.length)) - (b.stageId === null ? Infinity : (order.get(b.stageId) ?? stages.length)));

  const excludedStages = new Set(settings.excludedStages);
  const excludedCodes = new Set(settings.excludedCodes);
  const takenGroups = groups.filter((g) => !excludedStages.has(g.key));
  const takenCodes = takenGroups.flatMap((g) => g.codes.filter((c) => !excludedCodes.has(c.id)));
  const allStagesTaken = takenGroups.length === groups.length;
  const allCodesTaken = takenGroups.every((g) => g.codes.every((c) => !excludedCodes.has(c.id)));
  return {
    groups,
    stageIds: allStagesTaken ? 'all' : takenGroups.map((g) => g.stageId),
    codeIds: allCodesTaken ? 'all' : takenCodes.map((c) => c.id),
    mapStageIds: new Set(takenGroups.flatMap((g) => (g.stageId === null ? [] : [g.stageId]))),
    included: takenCodes.length,
    total: codes.length,
  };
}
