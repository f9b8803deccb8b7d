/**
 * The codebook editor's operations, as pure functions: the codebook (stages, codes, the
 * codings of the codes concerned, memos about codes, ties) in, a delta out. The delta lists
 * only the records that really change; the data layer writes it in one transaction and keeps
 * its inverse for undo.
 *
 * Rules kept here:
 * - The tree groups stage → kind → code: a sub-code has its parent's stage and kind, so when a
 *   code changes stage or kind its whole subtree goes with it.
 * - Names are unique, ignoring case, among siblings (same parent and same stage).
 * - Siblings are ordered by `order`; an operation that re-orders a list renumbers it 0..n-1.
 *   A code's "ordering siblings" are the codes with the same parent or, at the top level, the
 *   same stage and kind.
 * - A coder applies a code to a segment once. When codings move to another code (merge, or
 *   delete with "move"), two codings of the same segment with the same code by the same coder
 *   collapse into one: the target's coding is kept, otherwise the earliest one. Codings by
 *   different coders stay separate: in team coding each coder's judgement is data (agreement
 *   is computed from them), so merging codes must not merge coders.
 * - Every changed code gets one history entry (what changed, in words) per operation; history
 *   keeps the latest 200 entries.
 */
import { CODE_KINDS, CODE_KIND_LABELS, CODE_STATUSES, COLLABORATION_MODES } from '../model/types.ts';
import type { Code, CodeChange, CodeExample, CodeKind, Coding, Guid, IsoDate, Memo, Stage, Tie } from '../model/types.ts';

export interface CodebookState {
  studyId: Guid;
  stages: Stage[];
  codes: Code[];
  /** Codings of the codes concerned; passing all of the study's is fine. */
  codings: Coding[];
  /** Memos whose targetType is 'code' (others are ignored). */
  memos: Memo[];
  /** Only needed for stage deletion. */
  ties: Tie[];
  /** Position overrides (case × stage); only needed for stage deletion. */
  overrides?: readonly { stageId: Guid }[];
}

export interface CodebookContext {
  newId: () => Guid;
  now: IsoDate;
  /** The coder making the change: recorded in code history and on new records. */
  coderId: Guid | null;
}

export interface CodebookDelta {
  codes: { put: Code[]; remove: Guid[] };
  codings: { put: Coding[]; remove: Guid[] };
  memos: { put: Memo[]; remove: Guid[] };
  stages: { put: Stage[]; remove: Guid[] };
}

export type CodebookResult =
  | {
      ok: true;
      delta: CodebookDelta;
      /** One sentence for the undo label. */
      label: string;
      /** Ids of codes created. */
      created: Guid[];
    }
  | { ok: false; reason: string };

export type CodeFields = Partial<Pick<Code, 'name' | 'color' | 'shortDefinition' | 'definition' | 'useWhen' | 'doNotUseWhen' | 'examples' | 'status' | 'mode' | 'kind' | 'stageId'>>;

export interface CodePlacement {
  /** The new parent, or null for the top level. With a parent, stage and kind are the parent's. */
  parentId: Guid | null;
  stageId: Guid | null;
  kind: CodeKind;
  /** Position among the new siblings, not counting the code itself; clamped to the list. */
  index: number;
}

export type DeleteChoice = { codings: 'delete' } | { codings: 'move'; targetId: Guid };

/** The numbers and the sentence of a delete or merge confirmation, exactly as the operation will do it. */
export interface ChangeDescription {
  /** Codings of the code(s) concerned. */
  codings: number;
  /** Distinct segments and documents they lie in. */
  segments: number;
  documents: number;
  /** Codings that will collapse into another coding of the same segment, code and coder. */
  collapsed: number;
  /** Memos about the code(s), deleted or moved. */
  memos: number;
  /** Sub-codes that move (up to the parent on delete, under the target on merge). */
  children: number;
  sentence: string;
}

export type DescribeResult = ({ ok: true } & ChangeDescription) | { ok: false; reason: string };

export const HISTORY_LIMIT = 200;
export const CROSS_STAGE_LABEL = 'Cross-stage';
const COLOR_PATTERN = /^#[0-9a-f]{6}$/i;

// ---------------------------------------------------------------------------------------------
// Small helpers

const q = (text: string): string => `“${text}”`;
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
const nameKey = (name: string): string => name.normalize('NFC').trim().toLowerCase();

/** "a", "a and b", "a, b, and c". */
function clauses(parts: readonly string[]): string {
  if (parts.length <= 1) return parts.join('');
  if (parts.length === 2) return `${parts[0]} and ${parts[1]}`;
  return `${parts.slice(0, -1).join(', ')}, and ${parts[parts.length - 1]}`;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Display order of siblings: `order`, then name, then id (so ties are stable). */
function byOrder(a: Code, b: Code): number {
  return a.order - b.order || compareText(a.name, b.name) || compareText(a.id, b.id);
}

function orderingSiblings(codes: Iterable<Code>, parentId: Guid | null, stageId: Guid | null, kind: CodeKind): Code[] {
  const list: Code[] = [];
  for (const c of codes) {
    if (parentId !== null ? c.parentId === parentId : c.parentId === null && c.stageId === stageId && c.kind === kind) list.push(c);
  }
  return list.sort(byOrder);
}

function childrenOf(codes: Iterable<Code>, parentId: Guid): Code[] {
  const list: Code[] = [];
  for (const c of codes) if (c.parentId === parentId) list.push(c);
  return list.sort(byOrder);
}

/** Ids of every code below `codeId` (children first, each level in order); safe on loops. */
export function descendantsOf(codes: readonly Code[], codeId: Guid): Guid[] {
  const children = new Map<Guid, Code[]>();
  for (const c of codes) {
    if (c.parentId === null) continue;
    const list = children.get(c.parentId);
    if (list) list.push(c);
    else children.set(c.parentId, [c]);
  }
  const seen = new Set<Guid>([codeId]);
  const out: Guid[] = [];
  const queue = [codeId];
  for (let i = 0; i < queue.length; i += 1) {
    for (const child of (children.get(queue[i]!) ?? []).sort(byOrder)) {
      if (seen.has(child.id)) continue;
      seen.add(child.id);
      out.push(child.id);
      queue.push(child.id);
    }
  }
  return out;
}

/** The names from the root down to the code, e.g. ["Access", "Compute"]; [] for an unknown code. */
export function codePath(codes: readonly Code[], codeId: Guid): string[] {
  return codePathIn(new Map(codes.map((c) => [c.id, c])), codeId);
}

/** codePath over codes already indexed by id (for many paths of one codebook). */
export function codePathIn(byId: ReadonlyMap<Guid, Pick<Code, 'id' | 'name' | 'parentId'>>, codeId: Guid): string[] {
  const names: string[] = [];
  const seen = new Set<Guid>();
  let current = byId.get(codeId);
  while (current && !seen.has(current.id)) {
    seen.add(current.id);
    names.unshift(current.name);
    current = current.parentId === null ? undefined : byId.get(current.parentId);
  }
  return names;
}

function stageLabel(stages: readonly Stage[], stageId: Guid | null): string {
  if (stageId === null) return CROSS_STAGE_LABEL;
  return stages.find((s) => s.id === stageId)?.name ?? 'an unknown stage';
}

/** "Post-training › On-ramp". */
function placeLabel(stages: readonly Stage[], stageId: Guid | null, kind: CodeKind): string {
  return `${stageLabel(stages, stageId)} › ${CODE_KIND_LABELS[kind]}`;
}

function sameExamples(a: readonly CodeExample[], b: readonly CodeExample[]): boolean {
  return a.length === b.length && a.every((x, i) => x.text === b[i]!.text && x.typical === b[i]!.typical && x.segmentId === b[i]!.segmentId);
}

const exampleKey = (e: CodeExample): string => JSON.stringify([e.text, e.typical, e.segmentId]);

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return sameExamples(a as CodeExample[], b as CodeExample[]);
  return a === b;
}

const CODE_FIELDS_COMPARED = ['parentId', 'name', 'color', 'stageId', 'kind', 'mode', 'order', 'shortDefinition', 'definition', 'useWhen', 'doNotUseWhen', 'examples', 'status'] as const satisfies readonly (keyof Code)[];

function sameCode(a: Code, b: Code): boolean {
  return CODE_FIELDS_COMPARED.every((key) => sameValue(a[key], b[key]));
}

function appendHistory(history: readonly CodeChange[], entry: CodeChange): CodeChange[] {
  const next = [...history, entry];
  return next.length > HISTORY_LIMIT ? next.slice(next.length - HISTORY_LIMIT) : next;
}

function isAncestorOf(codes: ReadonlyMap<Guid, Code>, ancestorId: Guid, codeId: Guid): boolean {
  const seen = new Set<Guid>();
  let current = codes.get(codeId);
  while (current && current.parentId !== null && !seen.has(current.id)) {
    seen.add(current.id);
    if (current.parentId === ancestorId) return true;
    current = codes.get(current.parentId);
  }
  return false;
}

function whereLabel(stages: readonly Stage[], codes: ReadonlyMap<Guid, Code>, parentId: Guid | null, stageId: Guid | null): string {
  if (parentId !== null) return `under ${q(codes.get(parentId)?.name ?? 'its parent')}`;
  return `at the top level of ${stageLabel(stages, stageId)}`;
}

/** A code other than `except` with the same name among the siblings (same parent and stage). */
function nameClash(codes: Iterable<Code>, name: string, parentId: Guid | null, stageId: Guid | null, except: ReadonlySet<Guid>): Code | undefined {
  const key = nameKey(name);
  for (const c of codes) {
    if (c.parentId === parentId && c.stageId === stageId && !except.has(c.id) && nameKey(c.name) === key) return c;
  }
  return undefined;
}

function clashReason(stages: readonly Stage[], codes: ReadonlyMap<Guid, Code>, name: string, parentId: Guid | null, stageId: Guid | null): string {
  return `There is already a code named ${q(name)} ${whereLabel(stages, codes, parentId, stageId)}; choose another name.`;
}

const badKind = (kind: string): { ok: false; reason: string } => ({ ok: false, reason: `${q(kind)} is not a kind of code; choose challenge, on-ramp or other.` });

const missingCode = (what = 'That code'): { ok: false; reason: string } => ({ ok: false, reason: `${what} no longer exists; it may have been deleted or merged. Close this and try again.` });

// ---------------------------------------------------------------------------------------------
// A working copy of the codes: edits are applied field by field, and each changed code
// collects the words for its history entry.

interface Draft {
  readonly state: CodebookState;
  readonly ctx: CodebookContext;
  readonly codes: Map<Guid, Code>;
  readonly notes: Map<Guid, string[]>;
  readonly removed: Set<Guid>;
  /** Codes put even when only their history changes (a merge target, a split original). */
  readonly touched: Set<Guid>;
  readonly created: Code[];
}

function draftOf(state: CodebookState, ctx: CodebookContext): Draft {
  return { state, ctx, codes: new Map(state.codes.map((c) => [c.id, c])), notes: new Map(), removed: new Set(), touched: new Set(), created: [] };
}

function note(draft: Draft, id: Guid, summary: string): void {
  const list = draft.notes.get(id);
  if (list) list.push(summary);
  else draft.notes.set(id, [summary]);
}

/** Sets the fields that differ; notes `summary` when something did. */
function edit(draft: Draft, id: Guid, fields: Partial<Code>, summary: string | null): boolean {
  const code = draft.codes.get(id);
  if (!code) return false;
  const changed = (Object.keys(fields) as (keyof Code)[]).filter((key) => !sameValue(code[key], fields[key]));
  if (changed.length === 0) return false;
  draft.codes.set(id, { ...code, ...fields });
  if (summary !== null) note(draft, id, summary);
  return true;
}

/** Gives a code and all its descendants a stage and kind; descendants' history says why. */
function relocateSubtree(draft: Draft, rootId: Guid, stageId: Guid | null, kind: CodeKind, rootSummary: string | null): void {
  const root = draft.codes.get(rootId)!;
  const where = placeLabel(draft.state.stages, stageId, kind);
  edit(draft, rootId, { stageId, kind }, rootSummary);
  for (const id of descendantsOf([...draft.codes.values()], rootId)) {
    edit(draft, id, { stageId, kind }, `Moved to ${where} with ${q(root.name)}`);
  }
}

/**
 * Numbers a sibling list 0..n-1 in the given order. Codes in `quiet` have their own history
 * entry for this operation; the others say how their position changed.
 */
function renumber(draft: Draft, list: readonly Code[], before: readonly Code[], quiet: ReadonlySet<Guid>): void {
  list.forEach((code, index) => {
    const was = before.findIndex((c) => c.id === code.id);
    const summary = quiet.has(code.id) ? null : was >= 0 && was !== index ? `Position changed from ${was + 1} to ${index + 1}` : 'Renumbered among its siblings';
    edit(draft, code.id, { order: index }, summary);
  });
}

function emptyDelta(): CodebookDelta {
  return { codes: { put: [], remove: [] }, codings: { put: [], remove: [] }, memos: { put: [], remove: [] }, stages: { put: [], remove: [] } };
}

function finish(draft: Draft, label: string, extra: Partial<Omit<CodebookDelta, 'codes'>> = {}): CodebookResult {
  const { ctx } = draft;
  const delta: CodebookDelta = { ...emptyDelta(), ...extra };
  for (const original of draft.state.codes) {
    if (draft.removed.has(original.id)) {
      delta.codes.remove.push(original.id);
      continue;
    }
    const current = draft.codes.get(original.id)!;
    if (sameCode(original, current) && !draft.touched.has(original.id)) continue;
    const summary = draft.notes.get(original.id)?.join('; ') ?? 'Edited';
    delta.codes.put.push({ ...current, modifiedAt: ctx.now, history: appendHistory(current.history, { at: ctx.now, by: ctx.coderId, summary }) });
  }
  for (const code of draft.created) delta.codes.put.push(draft.codes.get(code.id)!);
  return { ok: true, delta, label, created: draft.created.map((c) => c.id) };
}

// ---------------------------------------------------------------------------------------------
// Moving codings from some codes to another (merge, delete with "move")

interface CodingTransfer {
  /** The codings of the codes the codings leave. */
  sources: Coding[];
  put: Coding[];
  remove: Guid[];
  moved: number;
  collapsed: number;
}

/**
 * Every coding of a code in `from` moves to `targetId`. A coding that would repeat a coding of
 * the same segment by the same coder with the target collapses into it: the target's own coding
 * wins, otherwise the earliest (createdAt, then id). Different coders stay apart.
 */
function transferCodings(codings: readonly Coding[], from: ReadonlySet<Guid>, targetId: Guid, now: IsoDate): CodingTransfer {
  const key = (c: Coding): string => `${c.segmentId}\u0000${c.coderId}`;
  const taken = new Set<string>();
  const sources: Coding[] = [];
  for (const c of codings) {
    if (c.codeId === targetId) taken.add(key(c));
    else if (from.has(c.codeId)) sources.push(c);
  }
  const earliestFirst = [...sources].sort((a, b) => compareText(a.createdAt, b.createdAt) || compareText(a.id, b.id));
  const keep = new Set<Guid>();
  for (const c of earliestFirst) {
    if (taken.has(key(c))) continue;
    taken.add(key(c));
    keep.add(c.id);
  }
  const put: Coding[] = [];
  const remove: Guid[] = [];
  for (const c of sources) {
    if (keep.has(c.id)) put.push({ ...c, codeId: targetId, modifiedAt: now });
    else remove.push(c.id);
  }
  return { sources, put, remove, moved: put.length, collapsed: remove.length };
}

function memosAbout(memos: readonly Memo[], ids: ReadonlySet<Guid>): Memo[] {
  return memos.filter((m) => m.targetType === 'code' && ids.has(m.targetId));
}

function spread(codings: readonly Coding[]): { segments: number; documents: number } {
  return { segments: new Set(codings.map((c) => c.segmentId)).size, documents: new Set(codings.map((c) => c.documentId)).size };
}

function collapsedNote(collapsed: number): string {
  if (collapsed === 0) return '';
  return collapsed === 1
    ? ' (1 of them repeats a coding of the same text by the same coder and collapses into it)'
    : ` (${collapsed} of them repeat codings of the same text by the same coder and collapse into them)`;
}

function transferSummary(transfer: CodingTransfer): string {
  return `${plural(transfer.moved, 'coding')} moved${transfer.collapsed > 0 ? `, ${transfer.collapsed} collapsed` : ''}`;
}

// ---------------------------------------------------------------------------------------------
// updateCode

function exampleSummary(before: readonly CodeExample[], after: readonly CodeExample[]): string {
  const count = (list: readonly CodeExample[]): Map<string, number> => {
    const m = new Map<string, number>();
    for (const e of list) m.set(exampleKey(e), (m.get(exampleKey(e)) ?? 0) + 1);
    return m;
  };
  const was = count(before);
  const now = count(after);
  let added = 0;
  let removed = 0;
  for (const [k, n] of now) added += Math.max(0, n - (was.get(k) ?? 0));
  for (const [k, n] of was) removed += Math.max(0, n - (now.get(k) ?? 0));
  if (added > 0 && removed === 0) return added === 1 ? 'Example added' : `${added} examples added`;
  if (removed > 0 && added === 0) return removed === 1 ? 'Example removed' : `${removed} examples removed`;
  return 'Examples edited';
}

const TEXT_FIELDS = [
  ['shortDefinition', 'Short definition edited'],
  ['definition', 'Definition edited'],
  ['useWhen', '“Use when” edited'],
  ['doNotUseWhen', '“Do not use when” edited'],
] as const;

/** Edits a code's fields. Changing the stage or kind of a top-level code takes its subtree along. */
export function updateCode(state: CodebookState, codeId: Guid, fields: CodeFields, ctx: CodebookContext): CodebookResult {
  const draft = draftOf(state, ctx);
  const code = draft.codes.get(codeId);
  if (!code) return missingCode();

  const name = fields.name === undefined ? code.name : fields.name.trim();
  if (name === '') return { ok: false, reason: 'A code needs a name; type one.' };
  let color = code.color;
  if (fields.color !== undefined) {
    if (!COLOR_PATTERN.test(fields.color.trim())) return { ok: false, reason: `The colour ${q(fields.color)} is not of the form #rrggbb (for example #4e79a7); pick a colour or type one like that.` };
    color = fields.color.trim().toLowerCase();
  }
  const stageId = fields.stageId === undefined ? code.stageId : fields.stageId;
  if (stageId !== null && !state.stages.some((s) => s.id === stageId)) return { ok: false, reason: 'That stage no longer exists; choose another stage or cross-stage.' };
  const kind = fields.kind ?? code.kind;
  if (fields.kind !== undefined && !CODE_KINDS.includes(fields.kind)) return badKind(fields.kind);
  if (fields.status !== undefined && !CODE_STATUSES.includes(fields.status)) return { ok: false, reason: `${q(String(fields.status))} is not a status; choose draft, active or retired.` };
  if (fields.mode !== undefined && !COLLABORATION_MODES.includes(fields.mode)) return { ok: false, reason: `${q(String(fields.mode))} is not a collaboration mode; choose cathedral, bazaar or neutral.` };
  if (fields.examples !== undefined && fields.examples.some((e) => e.text.trim() === '')) return { ok: false, reason: 'An example needs some text; fill it in or remove the example.' };

  const moves = stageId !== code.stageId || kind !== code.kind;
  if (moves && code.parentId !== null) {
    const parent = draft.codes.get(code.parentId);
    return { ok: false, reason: `${q(code.name)} is a sub-code of ${q(parent?.name ?? 'another code')} and shares its stage and kind; change those of ${q(parent?.name ?? 'the parent')}, or move ${q(code.name)} to the top level first.` };
  }
  if (nameKey(name) !== nameKey(code.name) || stageId !== code.stageId) {
    if (nameClash(draft.codes.values(), name, code.parentId, stageId, new Set([codeId]))) return { ok: false, reason: clashReason(state.stages, draft.codes, name, code.parentId, stageId) };
  }

  const summaries: string[] = [];
  if (name !== code.name) summaries.push(`Renamed ${q(code.name)} to ${q(name)}`);
  if (color !== code.color) summaries.push(`Colour changed from ${code.color} to ${color}`);
  for (const [key, summary] of TEXT_FIELDS) {
    const value = fields[key];
    if (value !== undefined && value !== code[key]) summaries.push(summary);
  }
  if (fields.examples !== undefined && !sameExamples(fields.examples, code.examples)) summaries.push(exampleSummary(code.examples, fields.examples));
  if (fields.status !== undefined && fields.status !== code.status) summaries.push(`Status changed from ${code.status} to ${fields.status}`);
  if (fields.mode !== undefined && fields.mode !== code.mode) summaries.push(`Collaboration mode changed from ${code.mode} to ${fields.mode}`);
  if (moves) summaries.push(`Moved to ${placeLabel(state.stages, stageId, kind)}`);
  if (summaries.length === 0) return { ok: false, reason: 'Nothing to change.' };

  const next: Partial<Code> = { name, color };
  for (const [key] of TEXT_FIELDS) if (fields[key] !== undefined) next[key] = fields[key];
  if (fields.examples !== undefined) next.examples = fields.examples.map((e) => ({ text: e.text, typical: e.typical, segmentId: e.segmentId }));
  if (fields.status !== undefined) next.status = fields.status;
  if (fields.mode !== undefined) next.mode = fields.mode;
  edit(draft, codeId, next, null);
  // The subtree follows (after the rename, so descendants' history names the code as it is now).
  if (moves) relocateSubtree(draft, codeId, stageId, kind, null);
  note(draft, codeId, summaries.join('; '));

  const onlyRename = summaries.length === 1 && name !== code.name;
  const onlyColour = summaries.length === 1 && color !== code.color;
  const onlyMove = summaries.length === 1 && moves;
  const label = onlyRename
    ? `Rename ${q(code.name)} to ${q(name)}`
    : onlyColour
      ? `Change the colour of ${q(name)}`
      : onlyMove
        ? `Move ${q(name)} to ${placeLabel(state.stages, stageId, kind)}`
        : `Edit ${q(name)}`;
  return finish(draft, label);
}

// ---------------------------------------------------------------------------------------------
// moveCode

/** Re-parents and/or reorders a code; the code's subtree takes the stage and kind of its new place. */
export function moveCode(state: CodebookState, codeId: Guid, target: CodePlacement, ctx: CodebookContext): CodebookResult {
  const draft = draftOf(state, ctx);
  const code = draft.codes.get(codeId);
  if (!code) return missingCode();

  let stageId = target.stageId;
  let kind = target.kind;
  const parent = target.parentId === null ? null : draft.codes.get(target.parentId);
  if (target.parentId !== null) {
    if (!parent) return missingCode('The code to move it under');
    if (parent.id === codeId || isAncestorOf(draft.codes, codeId, parent.id)) {
      return { ok: false, reason: `${q(code.name)} cannot move under itself or one of its own sub-codes; choose a code outside it.` };
    }
    stageId = parent.stageId;
    kind = parent.kind;
  } else {
    if (stageId !== null && !state.stages.some((s) => s.id === stageId)) return { ok: false, reason: 'That stage no longer exists; choose another stage or cross-stage.' };
    if (!CODE_KINDS.includes(kind)) return badKind(kind);
  }
  const parentId = parent ? parent.id : null;

  const oldSiblings = orderingSiblings(draft.codes.values(), code.parentId, code.stageId, code.kind);
  const sameGroup = parentId === code.parentId && (parentId !== null || (stageId === code.stageId && kind === code.kind));
  const newBefore = sameGroup ? oldSiblings : orderingSiblings(draft.codes.values(), parentId, stageId, kind);
  const others = newBefore.filter((c) => c.id !== codeId);
  const index = Number.isFinite(target.index) ? Math.min(Math.max(Math.trunc(target.index), 0), others.length) : others.length;
  const newList = [...others.slice(0, index), code, ...others.slice(index)];

  if (sameGroup && oldSiblings.findIndex((c) => c.id === codeId) === index && stageId === code.stageId && kind === code.kind) {
    return { ok: false, reason: 'Nothing to change.' };
  }
  if ((parentId !== code.parentId || stageId !== code.stageId) && nameClash(draft.codes.values(), code.name, parentId, stageId, new Set([codeId]))) {
    return { ok: false, reason: clashReason(state.stages, draft.codes, code.name, parentId, stageId) };
  }

  const where = placeLabel(state.stages, stageId, kind);
  const relocated = stageId !== code.stageId || kind !== code.kind;
  let summary: string;
  let label: string;
  if (parentId !== code.parentId) {
    if (parent) {
      summary = `Moved under ${q(parent.name)}${relocated ? ` (${where})` : ''}`;
      label = `Move ${q(code.name)} under ${q(parent.name)}`;
    } else {
      summary = `Moved to the top level of ${where}`;
      label = `Move ${q(code.name)} to the top level of ${where}`;
    }
  } else if (relocated) {
    summary = `Moved to ${where}`;
    label = `Move ${q(code.name)} to ${where}`;
  } else {
    summary = `Moved from position ${oldSiblings.findIndex((c) => c.id === codeId) + 1} to ${index + 1}`;
    label = `Reorder ${q(code.name)}`;
  }

  edit(draft, codeId, { parentId }, null);
  relocateSubtree(draft, codeId, stageId, kind, null);
  if (!sameGroup) renumber(draft, oldSiblings.filter((c) => c.id !== codeId).map((c) => draft.codes.get(c.id)!), oldSiblings, new Set());
  renumber(draft, newList.map((c) => draft.codes.get(c.id)!), newBefore, new Set([codeId]));
  // (Only recorded if the code itself changed: with equal order numbers a reorder may renumber only its siblings.)
  note(draft, codeId, summary);
  return finish(draft, label);
}

// ---------------------------------------------------------------------------------------------
// mergeCodes

interface MergePlan {
  target: Code;
  sources: Code[];
  transfer: CodingTransfer;
  memos: Memo[];
  children: Code[];
}

function planMerge(state: CodebookState, sourceIds: readonly Guid[], targetId: Guid, now: IsoDate): { ok: true; plan: MergePlan } | { ok: false; reason: string } {
  const codes = new Map(state.codes.map((c) => [c.id, c]));
  const target = codes.get(targetId);
  if (!target) return missingCode('The code to merge into');
  const ids = [...new Set(sourceIds)];
  if (ids.length === 0) return { ok: false, reason: `Choose at least one code to merge into ${q(target.name)}.` };
  if (ids.includes(targetId)) return { ok: false, reason: `A code cannot be merged into itself; take ${q(target.name)} off the codes to merge.` };
  const sources: Code[] = [];
  for (const id of ids) {
    const source = codes.get(id);
    if (!source) return missingCode('One of the codes to merge');
    sources.push(source);
  }
  for (const source of sources) {
    if (isAncestorOf(codes, source.id, targetId)) {
      return { ok: false, reason: `${q(target.name)} is a sub-code of ${q(source.name)}, so ${q(source.name)} cannot be merged into it; move ${q(target.name)} out of ${q(source.name)} first, or merge the other way round.` };
    }
  }
  const from = new Set(ids);
  const children: Code[] = [];
  for (const source of sources) for (const child of childrenOf(state.codes, source.id)) if (!from.has(child.id)) children.push(child);
  // Sub-codes arriving under the target must not clash with its sub-codes or with each other.
  const names = new Map<string, Code>();
  for (const c of childrenOf(state.codes, targetId)) if (!from.has(c.id)) names.set(nameKey(c.name), c);
  for (const child of children) {
    const clash = names.get(nameKey(child.name));
    if (clash) {
      const owner = (c: Code): string => q(codes.get(c.parentId!)?.name ?? '');
      return { ok: false, reason: `${owner(clash)} and ${owner(child)} both have a sub-code named ${q(child.name)}; rename or merge one of them first.` };
    }
    names.set(nameKey(child.name), child);
  }
  return { ok: true, plan: { target, sources, transfer: transferCodings(state.codings, from, targetId, now), memos: memosAbout(state.memos, from), children } };
}

/** What merging would do, for the confirmation dialog (the same numbers mergeCodes acts on). */
export function describeMerge(state: CodebookState, sourceIds: readonly Guid[], targetId: Guid): DescribeResult {
  const planned = planMerge(state, sourceIds, targetId, '');
  if (!planned.ok) return planned;
  const { target, sources, transfer, memos, children } = planned.plan;
  const one = sources.length === 1;
  const { segments, documents } = spread(transfer.sources);
  const parts: string[] = [];
  if (transfer.sources.length === 0) parts.push(one ? 'it has no codings' : 'they have no codings');
  else parts.push(`${one ? 'its' : 'their'} ${plural(transfer.sources.length, 'coding')} in ${plural(documents, 'document')} will move to ${q(target.name)}${collapsedNote(transfer.collapsed)}`);
  if (memos.length > 0) parts.push(`${plural(memos.length, 'memo')} about ${one ? 'it' : 'them'} will move to ${q(target.name)}`);
  if (children.length > 0) parts.push(`${one ? 'its' : 'their'} ${plural(children.length, 'sub-code')} will move under ${q(target.name)}`);
  const sentence = `Merge ${sources.map((s) => q(s.name)).join(', ')} into ${q(target.name)}: ${clauses(parts)}.`;
  return { ok: true, codings: transfer.sources.length, segments, documents, collapsed: transfer.collapsed, memos: memos.length, children: children.length, sentence };
}

/**
 * Merges codes into a target: their codings move to it (collapsing repeats by the same coder on
 * the same segment; different coders stay apart), their sub-codes move under it (appended),
 * memos about them are re-targeted, their examples are appended (exact repeats skipped), and
 * the merged codes are removed.
 */
export function mergeCodes(state: CodebookState, sourceIds: readonly Guid[], targetId: Guid, ctx: CodebookContext): CodebookResult {
  const planned = planMerge(state, sourceIds, targetId, ctx.now);
  if (!planned.ok) return planned;
  const { target, sources, transfer, memos, children } = planned.plan;
  const from = new Set(sources.map((s) => s.id));
  const draft = draftOf(state, ctx);

  const seen = new Set(target.examples.map(exampleKey));
  const examples = [...target.examples];
  for (const source of sources) {
    for (const e of source.examples) {
      if (seen.has(exampleKey(e))) continue;
      seen.add(exampleKey(e));
      examples.push(e);
    }
  }
  const names = clauses(sources.map((s) => q(s.name)));
  const details = [transferSummary(transfer)];
  if (children.length > 0) details.push(`${plural(children.length, 'sub-code')} moved`);
  if (memos.length > 0) details.push(`${plural(memos.length, 'memo')} moved`);
  edit(draft, targetId, { examples }, null);
  note(draft, targetId, `Merged ${names} into this code (${details.join(', ')})`);
  draft.touched.add(targetId);

  for (const source of sources) draft.removed.add(source.id);
  const before = childrenOf(state.codes, targetId);
  const kept = before.filter((c) => !from.has(c.id));
  for (const child of children) {
    const source = draft.codes.get(child.parentId!)!;
    edit(draft, child.id, { parentId: targetId }, `Moved under ${q(target.name)} (${q(source.name)} was merged into it)`);
    relocateSubtree(draft, child.id, target.stageId, target.kind, null);
  }
  renumber(draft, [...kept, ...children].map((c) => draft.codes.get(c.id)!), before, new Set(children.map((c) => c.id)));
  return finish(draft, `Merge ${sources.map((s) => q(s.name)).join(', ')} into ${q(target.name)}`, {
    codings: { put: transfer.put, remove: transfer.remove },
    memos: { put: memos.map((m) => ({ ...m, targetId, modifiedAt: ctx.now })), remove: [] },
  });
}

// ---------------------------------------------------------------------------------------------
// splitCode

/** Moves the codings of a code on the chosen segments to a new sibling code. */
export function splitCode(state: CodebookState, codeId: Guid, segmentIds: readonly Guid[], newCode: { name: string; color?: string }, ctx: CodebookContext): CodebookResult {
  const draft = draftOf(state, ctx);
  const code = draft.codes.get(codeId);
  if (!code) return missingCode();
  const segments = new Set(segmentIds);
  if (segments.size === 0) return { ok: false, reason: `Choose at least one segment coded ${q(code.name)} to move to the new code.` };
  const codings = state.codings.filter((c) => c.codeId === codeId && segments.has(c.segmentId));
  const carried = new Set(codings.map((c) => c.segmentId));
  const missing = [...segments].filter((id) => !carried.has(id)).length;
  if (missing > 0) {
    return { ok: false, reason: `${missing === 1 ? '1 of the chosen segments does' : `${missing} of the chosen segments do`} not carry ${q(code.name)}; choose only segments coded with it.` };
  }
  const name = newCode.name.trim();
  if (name === '') return { ok: false, reason: 'The new code needs a name; type one.' };
  if (nameClash(draft.codes.values(), name, code.parentId, code.stageId, new Set())) return { ok: false, reason: clashReason(state.stages, draft.codes, name, code.parentId, code.stageId) };
  let color = code.color;
  if (newCode.color !== undefined) {
    if (!COLOR_PATTERN.test(newCode.color.trim())) return { ok: false, reason: `The colour ${q(newCode.color)} is not of the form #rrggbb (for example #4e79a7); pick a colour or type one like that.` };
    color = newCode.color.trim().toLowerCase();
  }

  const created: Code = {
    id: ctx.newId(),
    studyId: state.studyId,
    createdAt: ctx.now,
    modifiedAt: ctx.now,
    createdBy: ctx.coderId,
    parentId: code.parentId,
    name,
    color,
    stageId: code.stageId,
    kind: code.kind,
    mode: code.mode,
    order: code.order + 1,
    shortDefinition: '',
    definition: '',
    useWhen: '',
    doNotUseWhen: '',
    examples: [],
    status: 'active',
    history: [{ at: ctx.now, by: ctx.coderId, summary: `Split from ${q(code.name)}` }],
  };
  const siblings = orderingSiblings(draft.codes.values(), code.parentId, code.stageId, code.kind);
  const at = siblings.findIndex((c) => c.id === codeId) + 1;
  const list = [...siblings.slice(0, at), created, ...siblings.slice(at)];
  draft.codes.set(created.id, created);
  draft.created.push(created);
  renumber(draft, list, siblings, new Set([created.id]));
  const segmentCount = plural(carried.size, 'segment');
  const codingCount = codings.length === carried.size ? '' : ` (${plural(codings.length, 'coding')})`;
  note(draft, codeId, `Split: ${segmentCount}${codingCount} moved to the new code ${q(name)}`);
  draft.touched.add(codeId);
  return finish(draft, `Split ${q(name)} from ${q(code.name)}`, {
    codings: { put: codings.map((c) => ({ ...c, codeId: created.id, modifiedAt: ctx.now })), remove: [] },
  });
}

// ---------------------------------------------------------------------------------------------
// deleteCode

interface DeletePlan {
  code: Code;
  parent: Code | null;
  target: Code | null;
  codings: Coding[];
  transfer: CodingTransfer | null;
  memos: Memo[];
  children: Code[];
}

function planDelete(state: CodebookState, codeId: Guid, choice: DeleteChoice, now: IsoDate): { ok: true; plan: DeletePlan } | { ok: false; reason: string } {
  const codes = new Map(state.codes.map((c) => [c.id, c]));
  const code = codes.get(codeId);
  if (!code) return missingCode();
  let target: Code | null = null;
  if (choice.codings === 'move') {
    const found = codes.get(choice.targetId);
    if (!found) return missingCode('The code to move the codings to');
    if (found.id === codeId) return { ok: false, reason: `${q(code.name)} cannot take its own codings; choose another code, or delete the codings.` };
    if (isAncestorOf(codes, codeId, found.id)) return { ok: false, reason: `${q(found.name)} is a sub-code of ${q(code.name)}; choose a code outside ${q(code.name)}, or delete the codings.` };
    target = found;
  } else if (choice.codings !== 'delete') {
    return { ok: false, reason: 'Choose whether to delete the codings or move them to another code.' };
  }
  const parent = code.parentId === null ? null : (codes.get(code.parentId) ?? null);
  const children = childrenOf(state.codes, codeId);
  const existing = new Map<string, Code>();
  for (const c of state.codes) if (c.id !== codeId && c.parentId === code.parentId && c.stageId === code.stageId) existing.set(nameKey(c.name), c);
  for (const child of children) {
    if (existing.has(nameKey(child.name))) {
      const place = parent ? `${q(parent.name)} already has a sub-code` : `${stageLabel(state.stages, code.stageId)} already has a top-level code`;
      return { ok: false, reason: `${q(code.name)} has a sub-code ${q(child.name)} that would move up, and ${place} of that name; rename one of them first.` };
    }
  }
  const codings = state.codings.filter((c) => c.codeId === codeId);
  const transfer = target ? transferCodings(state.codings, new Set([codeId]), target.id, now) : null;
  return { ok: true, plan: { code, parent, target, codings, transfer, memos: memosAbout(state.memos, new Set([codeId])), children } };
}

/** What deleting would do, for the confirmation dialog (the same numbers deleteCode acts on). */
export function describeDelete(state: CodebookState, codeId: Guid, choice: DeleteChoice): DescribeResult {
  const planned = planDelete(state, codeId, choice, '');
  if (!planned.ok) return planned;
  const { code, parent, target, codings, transfer, memos, children } = planned.plan;
  const { segments, documents } = spread(codings);
  const collapsed = transfer?.collapsed ?? 0;
  const parts: string[] = [];
  if (codings.length === 0) parts.push('it has no codings');
  else if (target) parts.push(`its ${plural(codings.length, 'coding')} in ${plural(documents, 'document')} will move to ${q(target.name)}${collapsedNote(collapsed)}`);
  else parts.push(`its ${plural(codings.length, 'coding')} in ${plural(documents, 'document')} will be deleted`);
  if (memos.length > 0) parts.push(`${plural(memos.length, 'memo')} about it will ${target ? `move to ${q(target.name)}` : 'be deleted'}`);
  if (children.length > 0) parts.push(`its ${plural(children.length, 'sub-code')} will move up to ${parent ? q(parent.name) : `the top level of ${placeLabel(state.stages, code.stageId, code.kind)}`}`);
  const sentence = `Delete ${q(code.name)}: ${clauses(parts)}.`;
  return { ok: true, codings: codings.length, segments, documents, collapsed, memos: memos.length, children: children.length, sentence };
}

/**
 * Deletes a code. Its codings and the memos about it are deleted, or moved to another code (as
 * a merge does, collapsing repeats). Its sub-codes move up to its parent, in its place.
 */
export function deleteCode(state: CodebookState, codeId: Guid, choice: DeleteChoice, ctx: CodebookContext): CodebookResult {
  const planned = planDelete(state, codeId, choice, ctx.now);
  if (!planned.ok) return planned;
  const { code, parent, target, codings, transfer, memos, children } = planned.plan;
  const draft = draftOf(state, ctx);
  draft.removed.add(codeId);

  const siblings = orderingSiblings(state.codes, code.parentId, code.stageId, code.kind);
  const at = siblings.findIndex((c) => c.id === codeId);
  const list = [...siblings.slice(0, at), ...children, ...siblings.slice(at + 1)];
  const upTo = parent ? `Moved up to ${q(parent.name)}` : 'Moved to the top level';
  for (const child of children) {
    edit(draft, child.id, { parentId: code.parentId }, `${upTo} (${q(code.name)} was deleted)`);
    relocateSubtree(draft, child.id, code.stageId, code.kind, null);
  }
  renumber(draft, list.map((c) => draft.codes.get(c.id)!), siblings, new Set(children.map((c) => c.id)));

  if (target && transfer) {
    const details = [transferSummary(transfer)];
    if (memos.length > 0) details.push(`${plural(memos.length, 'memo')} moved`);
    note(draft, target.id, `Took over the codings of the deleted code ${q(code.name)} (${details.join(', ')})`);
    draft.touched.add(target.id);
    return finish(draft, `Delete ${q(code.name)}, moving its codings to ${q(target.name)}`, {
      codings: { put: transfer.put, remove: transfer.remove },
      memos: { put: memos.map((m) => ({ ...m, targetId: target.id, modifiedAt: ctx.now })), remove: [] },
    });
  }
  return finish(draft, `Delete ${q(code.name)}`, {
    codings: { put: [], remove: codings.map((c) => c.id) },
    memos: { put: [], remove: memos.map((m) => m.id) },
  });
}

// ---------------------------------------------------------------------------------------------
// Stages

function stageDelta(put: Stage[], remove: Guid[] = []): CodebookDelta {
  return { ...emptyDelta(), stages: { put, remove } };
}

function stageNameProblem(stages: readonly Stage[], name: string, except: Guid | null): string | null {
  if (name === '') return 'A stage needs a name; type one.';
  if (stages.some((s) => s.id !== except && nameKey(s.name) === nameKey(name))) return `There is already a stage named ${q(name)}; choose another name.`;
  return null;
}

const missingStage = { ok: false as const, reason: 'That stage no longer exists; it may have been deleted. Close this and try again.' };

/** Adds a stage after the others. */
export function addStage(state: CodebookState, name: string, ctx: CodebookContext): CodebookResult {
  const trimmed = name.trim();
  const problem = stageNameProblem(state.stages, trimmed, null);
  if (problem) return { ok: false, reason: problem };
  const order = state.stages.reduce((max, s) => Math.max(max, s.order + 1), 0);
  const stage: Stage = { id: ctx.newId(), studyId: state.studyId, createdAt: ctx.now, modifiedAt: ctx.now, createdBy: ctx.coderId, name: trimmed, description: '', order };
  return { ok: true, delta: stageDelta([stage]), label: `Add the stage ${q(trimmed)}`, created: [] };
}

/** Renames a stage; its codes keep its id, so they follow without changing. */
export function renameStage(state: CodebookState, stageId: Guid, name: string, ctx: CodebookContext): CodebookResult {
  const stage = state.stages.find((s) => s.id === stageId);
  if (!stage) return missingStage;
  const trimmed = name.trim();
  if (trimmed === stage.name) return { ok: false, reason: 'Nothing to change.' };
  const problem = stageNameProblem(state.stages, trimmed, stageId);
  if (problem) return { ok: false, reason: problem };
  return { ok: true, delta: stageDelta([{ ...stage, name: trimmed, modifiedAt: ctx.now }]), label: `Rename the stage ${q(stage.name)} to ${q(trimmed)}`, created: [] };
}

/** Moves a stage to a position (0-based, clamped) and renumbers the stages 0..n-1. */
export function moveStage(state: CodebookState, stageId: Guid, index: number, ctx: CodebookContext): CodebookResult {
  const stage = state.stages.find((s) => s.id === stageId);
  if (!stage) return missingStage;
  const sorted = [...state.stages].sort((a, b) => a.order - b.order || compareText(a.name, b.name) || compareText(a.id, b.id));
  const others = sorted.filter((s) => s.id !== stageId);
  const at = Number.isFinite(index) ? Math.min(Math.max(Math.trunc(index), 0), others.length) : others.length;
  if (sorted.findIndex((s) => s.id === stageId) === at) return { ok: false, reason: 'Nothing to change.' };
  const list = [...others.slice(0, at), stage, ...others.slice(at)];
  const put = list.flatMap((s, order) => (s.order === order ? [] : [{ ...s, order, modifiedAt: ctx.now }]));
  return { ok: true, delta: stageDelta(put), label: `Move the stage ${q(stage.name)}`, created: [] };
}

/** Deletes a stage that no code and no tie uses. */
export function deleteStage(state: CodebookState, stageId: Guid, _ctx: CodebookContext): CodebookResult {
  const stage = state.stages.find((s) => s.id === stageId);
  if (!stage) return missingStage;
  const codes = state.codes.filter((c) => c.stageId === stageId).length;
  const ties = state.ties.filter((t) => t.stageId === stageId).length;
  const overrides = (state.overrides ?? []).filter((o) => o.stageId === stageId).length;
  if (codes > 0 || ties > 0 || overrides > 0) {
    const users = clauses([codes > 0 ? plural(codes, 'code') : '', ties > 0 ? plural(ties, 'tie') : '', overrides > 0 ? plural(overrides, 'position override') : ''].filter(Boolean));
    const moves = clauses([
      codes > 0 ? `${codes === 1 ? 'that code' : 'those codes'} to another stage or to cross-stage` : '',
      ties > 0 ? `${ties === 1 ? 'that tie' : 'those ties'} to another stage` : '',
    ].filter(Boolean));
    const todo = clauses([moves ? `move ${moves}` : '', overrides > 0 ? `clear ${overrides === 1 ? 'that override' : 'those overrides'} in Maps` : ''].filter(Boolean));
    return { ok: false, reason: `The stage ${q(stage.name)} is still used by ${users}; ${todo} first.` };
  }
  return { ok: true, delta: stageDelta([], [stageId]), label: `Delete the stage ${q(stage.name)}`, created: [] };
}
