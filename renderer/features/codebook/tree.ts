/**
 * The codebook tree as rows: stage → kind → codes (nested by parent). Pure, so the
 * keyboard and drag-and-drop rules are tested without a browser.
 */
import { descendantsOf } from '../../../shared/codebook/operations.ts';
import { CODE_KINDS, type Code, type CodeKind, type Guid, type Stage } from '../../../shared/model/types.ts';

export type TreeRow =
  | { type: 'stage'; key: string; level: 1; stageId: Guid | null; name: string; parentKey: null; hasChildren: boolean }
  | { type: 'kind'; key: string; level: 2; stageId: Guid | null; kind: CodeKind; parentKey: string; hasChildren: boolean }
  | { type: 'code'; key: string; level: number; code: Code; parentKey: string; hasChildren: boolean; stageId: Guid | null; kind: CodeKind };

export const stageKey = (stageId: Guid | null) => `stage:${stageId ?? 'cross'}`;
export const kindKey = (stageId: Guid | null, kind: CodeKind) => `kind:${stageId ?? 'cross'}:${kind}`;
export const codeKey = (id: Guid) => `code:${id}`;

const sortCodes = (codes: Code[]) => codes.sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));

/** Top-level codes of a stage and kind, and the children of each code, in display order. */
export function codeChildren(codes: readonly Code[]): { top: (stageId: Guid | null, kind: CodeKind) => Code[]; under: (id: Guid) => Code[] } {
  const ids = new Set(codes.map((c) => c.id));
  const byParent = new Map<Guid, Code[]>();
  const topLevel = new Map<string, Code[]>();
  for (const code of codes) {
    if (code.parentId !== null && ids.has(code.parentId)) byParent.set(code.parentId, [...(byParent.get(code.parentId) ?? []), code]);
    else {
      const key = kindKey(code.stageId, code.kind);
      topLevel.set(key, [...(topLevel.get(key) ?? []), code]);
    }
  }
  for (const list of byParent.values()) sortCodes(list);
  for (const list of topLevel.values()) sortCodes(list);
  return { top: (stageId, kind) => topLevel.get(kindKey(stageId, kind)) ?? [], under: (id) => byParent.get(id) ?? [] };
}

/** The visible rows, given which rows are collapsed. Codes of an unknown stage show as cross-stage. */
export function treeRows(stages: readonly Stage[], codes: readonly Code[], collapsed: ReadonlySet<string>): TreeRow[] {
  const stageIds = new Set(stages.map((s) => s.id));
  const placed = codes.map((c) => (c.stageId !== null && !stageIds.has(c.stageId) ? { ...c, stageId: null } : c));
  const { top, under } = codeChildren(placed);
  const rows: TreeRow[] = [];
  const groups = [...stages.map((s) => ({ id: s.id as Guid | null, name: s.name })), { id: null, name: 'Cross-stage' }];
  const addCode = (code: Code, level: number, parentKey: string) => {
    const children = under(code.id);
    const key = codeKey(code.id);
    rows.push({ type: 'code', key, level, code, parentKey, hasChildren: children.length > 0, stageId: code.stageId, kind: code.kind });
    if (!collapsed.has(key)) for (const child of children) addCode(child, level + 1, key);
  };
  for (const group of groups) {
    const sKey = stageKey(group.id);
    const hasCodes = placed.some((c) => c.stageId === group.id);
    // The cross-stage group shows only when it holds codes or the study has no stages.
    if (group.id === null && !hasCodes && stages.length > 0) continue;
    rows.push({ type: 'stage', key: sKey, level: 1, stageId: group.id, name: group.name, parentKey: null, hasChildren: true });
    if (collapsed.has(sKey)) continue;
    for (const kind of CODE_KINDS) {
      const kKey = kindKey(group.id, kind);
      const list = top(group.id, kind);
      rows.push({ type: 'kind', key: kKey, level: 2, stageId: group.id, kind, parentKey: sKey, hasChildren: list.length > 0 });
      if (!collapsed.has(kKey)) for (const code of list) addCode(code, 3, kKey);
    }
  }
  return rows;
}

export interface MoveTarget {
  parentId: Guid | null;
  stageId: Guid | null;
  kind: CodeKind;
  index: number;
}

export type DropZone = 'before' | 'inside' | 'after';

/** Where a code lands when dropped on a row (or moved by keyboard); null when it cannot go there. */
export function dropTarget(codes: readonly Code[], movingId: Guid, row: TreeRow, zone: DropZone): MoveTarget | null {
  const { top, under } = codeChildren(codes);
  const descendants = new Set<Guid>([movingId, ...descendantsOf(codes, movingId)]);
  if (row.type === 'stage') return null;
  if (row.type === 'kind') return { parentId: null, stageId: row.stageId, kind: row.kind, index: top(row.stageId, row.kind).filter((c) => c.id !== movingId).length };
  if (descendants.has(row.code.id)) return null;
  if (zone === 'inside') return { parentId: row.code.id, stageId: row.code.stageId, kind: row.code.kind, index: under(row.code.id).filter((c) => c.id !== movingId).length };
  const parentId = row.code.parentId !== null && codes.some((c) => c.id === row.code.parentId) ? row.code.parentId : null;
  const siblings = (parentId === null ? top(row.code.stageId, row.code.kind) : under(parentId)).filter((c) => c.id !== movingId);
  const at = siblings.findIndex((c) => c.id === row.code.id);
  return { parentId, stageId: row.code.stageId, kind: row.code.kind, index: zone === 'before' ? at : at + 1 };
}

/** Keyboard moves: Alt+Up/Down among siblings, Alt+Right under the previous sibling, Alt+Left out to the parent's level. */
export function keyboardMove(codes: readonly Code[], codeId: Guid, direction: 'up' | 'down' | 'in' | 'out'): MoveTarget | null {
  const code = codes.find((c) => c.id === codeId);
  if (!code) return null;
  const { top, under } = codeChildren(codes);
  const parent = code.parentId === null ? undefined : codes.find((c) => c.id === code.parentId);
  const siblings = parent ? under(parent.id) : top(code.stageId, code.kind);
  const at = siblings.findIndex((c) => c.id === codeId);
  const here = { parentId: parent ? parent.id : null, stageId: code.stageId, kind: code.kind };
  switch (direction) {
    case 'up':
      return at > 0 ? { ...here, index: at - 1 } : null;
    case 'down':
      return at < siblings.length - 1 ? { ...here, index: at + 1 } : null;
    case 'in': {
      const previous = siblings[at - 1];
      return previous ? { parentId: previous.id, stageId: previous.stageId, kind: previous.kind, index: under(previous.id).length } : null;
    }
    case 'out': {
      if (!parent) return null;
      const grand = parent.parentId === null ? undefined : codes.find((c) => c.id === parent.parentId);
      const outer = (grand ? under(grand.id) : top(parent.stageId, parent.kind)).filter((c) => c.id !== codeId);
      return { parentId: grand ? grand.id : null, stageId: parent.stageId, kind: parent.kind, index: outer.findIndex((c) => c.id === parent.id) + 1 };
    }
  }
}
