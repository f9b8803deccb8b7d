/** Adding a code in the codebook editor: placed in a stage and kind, or under a parent, as the last of its siblings. */
import { codeColor } from '../model/colors.ts';
import type { Code, CodeKind, Guid } from '../model/types.ts';
import { draftCode } from './draft.ts';
import type { CodebookContext, CodebookResult, CodebookState } from './operations.ts';

export interface NewCodePlace {
  name: string;
  /** With a parent, the stage and kind are the parent's. */
  parentId: Guid | null;
  stageId: Guid | null;
  kind: CodeKind;
}

const quoted = (s: string) => `“${s}”`;

export function addCode(state: CodebookState, place: NewCodePlace, ctx: CodebookContext): CodebookResult {
  const name = place.name.replace(/\s+/g, ' ').trim();
  if (name === '') return { ok: false, reason: 'A code needs a name: type one.' };
  const parent = place.parentId === null ? null : state.codes.find((c) => c.id === place.parentId);
  if (parent === undefined) return { ok: false, reason: 'The parent code no longer exists: choose another place for the new code.' };
  const stageId = parent ? parent.stageId : place.stageId;
  const kind = parent ? parent.kind : place.kind;
  if (stageId !== null && !state.stages.some((s) => s.id === stageId)) return { ok: false, reason: 'That stage no longer exists: choose another stage.' };
  const siblings = state.codes.filter((c) => (parent ? c.parentId === parent.id : c.parentId === null && c.stageId === stageId && c.kind === kind));
  const clash = siblings.find((c) => c.name.toLowerCase() === name.toLowerCase());
  if (clash) return { ok: false, reason: `There already is a code named ${quoted(clash.name)} here: choose another name, or use the existing code.` };
  const base = draftCode({
    id: ctx.newId(),
    studyId: state.studyId,
    name,
    now: ctx.now,
    createdBy: ctx.coderId,
    existing: state.codes.length,
    order: siblings.reduce((max, c) => Math.max(max, c.order), -1) + 1,
  });
  const used = new Set(state.codes.map((c) => c.color));
  let color = base.color;
  for (let i = state.codes.length; used.has(color) && i < state.codes.length + 24; i += 1) color = codeColor(i);
  const code: Code = {
    ...base,
    color,
    parentId: parent ? parent.id : null,
    stageId,
    kind,
    mode: parent ? parent.mode : 'neutral',
    status: 'active',
    history: [{ at: ctx.now, by: ctx.coderId, summary: parent ? `Created under ${quoted(parent.name)}` : 'Created' }],
  };
  return {
    ok: true,
    delta: { codes: { put: [code], remove: [] }, codings: { put: [], remove: [] }, memos: { put: [], remove: [] }, stages: { put: [], remove: [] } },
    label: `Add code ${quoted(name)}`,
    created: [code.id],
  };
}
