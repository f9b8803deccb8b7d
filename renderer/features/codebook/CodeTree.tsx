/**
 * The codebook as an ARIA tree: stage → kind → code. Arrow keys move (Right/Left open and
 * close), Home/End jump, F2 renames in place, Alt+arrows move a code (Up/Down among its
 * siblings, Right under the code above, Left out to its parent's level), Delete asks to
 * delete; codes can also be dragged onto a kind (to the end of it), onto a code (under it)
 * or between codes. Focus and selection go together.
 */
import { useEffect, useId, useMemo, useRef, useState, type DragEvent, type FocusEvent, type KeyboardEvent } from 'react';
import { CODE_KIND_LABELS, type Code, type Guid, type Stage } from '../../../shared/model/types.ts';
import { codeKey, dropTarget, keyboardMove, treeRows, type DropZone, type MoveTarget, type TreeRow } from './tree.ts';

export interface CodeTreeProps {
  stages: readonly Stage[];
  codes: readonly Code[];
  selectedId: Guid | null;
  /** Segments per code (own codings). */
  counts: ReadonlyMap<Guid, number> | undefined;
  onSelect: (codeId: Guid) => void;
  onRename: (codeId: Guid, name: string) => void;
  onMove: (codeId: Guid, target: MoveTarget) => void;
  onDelete: (codeId: Guid) => void;
  onAdd: (place: { stageId: Guid | null; kind: Code['kind']; parentId: Guid | null }) => void;
}

const DRAG_TYPE = 'application/x-cartography-code';

export function CodeTree({ stages, codes, selectedId, counts, onSelect, onRename, onMove, onDelete, onAdd }: CodeTreeProps) {
  const idPrefix = useId();
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const rows = useMemo(() => treeRows(stages, codes, collapsed), [stages, codes, collapsed]);
  const [focusKey, setFocusKey] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<Guid | null>(null);
  const [drop, setDrop] = useState<{ key: string; zone: DropZone } | null>(null);
  const dragging = useRef<Guid | null>(null);
  const refs = useRef(new Map<string, HTMLLIElement>());
  const wantFocus = useRef(false);

  // The focused row follows the selected code (also when it is chosen elsewhere, e.g. after a merge).
  const selectedKey = selectedId ? codeKey(selectedId) : null;
  useEffect(() => {
    if (selectedKey && rows.some((r) => r.key === selectedKey)) setFocusKey(selectedKey);
  }, [selectedKey, rows]);
  // A selected code inside a collapsed group is revealed.
  useEffect(() => {
    if (!selectedId) return;
    const code = codes.find((c) => c.id === selectedId);
    if (!code || rows.some((r) => r.key === codeKey(selectedId))) return;
    const open = new Set(collapsed);
    open.delete(`stage:${code.stageId ?? 'cross'}`);
    open.delete(`kind:${code.stageId ?? 'cross'}:${code.kind}`);
    for (let p = code.parentId; p !== null; p = codes.find((c) => c.id === p)?.parentId ?? null) open.delete(codeKey(p));
    if (open.size !== collapsed.size) setCollapsed(open);
  }, [selectedId, codes, rows, collapsed]);

  const activeKey = focusKey && rows.some((r) => r.key === focusKey) ? focusKey : (rows.find((r) => r.type === 'code')?.key ?? rows[0]?.key ?? null);
  useEffect(() => {
    if (wantFocus.current && activeKey) {
      wantFocus.current = false;
      refs.current.get(activeKey)?.focus();
    }
  });

  const focusRow = (row: TreeRow | undefined) => {
    if (!row) return;
    wantFocus.current = true;
    setFocusKey(row.key);
    if (row.type === 'code') onSelect(row.code.id);
  };
  const toggle = (row: TreeRow, open: boolean) => {
    const next = new Set(collapsed);
    if (open) next.delete(row.key);
    else next.add(row.key);
    setCollapsed(next);
  };

  const onKeyDown = (event: KeyboardEvent, row: TreeRow, index: number) => {
    if (renaming) return;
    const isOpen = row.hasChildren && !collapsed.has(row.key);
    if (event.altKey && row.type === 'code') {
      const direction = ({ ArrowUp: 'up', ArrowDown: 'down', ArrowRight: 'in', ArrowLeft: 'out' } as const)[event.key as 'ArrowUp'];
      if (direction) {
        event.preventDefault();
        const target = keyboardMove(codes, row.code.id, direction);
        if (target) {
          wantFocus.current = true;
          onMove(row.code.id, target);
        }
        return;
      }
    }
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        focusRow(rows[index + 1]);
        break;
      case 'ArrowUp':
        event.preventDefault();
        focusRow(rows[index - 1]);
        break;
      case 'Home':
        event.preventDefault();
        focusRow(rows[0]);
        break;
      case 'End':
        event.preventDefault();
        focusRow(rows.at(-1));
        break;
      case 'ArrowRight':
        event.preventDefault();
        if (row.hasChildren && !isOpen) toggle(row, true);
        else if (isOpen) focusRow(rows[index + 1]);
        break;
      case 'ArrowLeft':
        event.preventDefault();
        if (isOpen) toggle(row, false);
        else focusRow(rows.find((r) => r.key === row.parentKey));
        break;
      case 'Enter':
      case ' ':
        event.preventDefault();
        if (row.type === 'code') onSelect(row.code.id);
        else toggle(row, !isOpen);
        break;
      case 'F2':
        if (row.type === 'code') {
          event.preventDefault();
          setRenaming(row.code.id);
        }
        break;
      case 'Delete':
        if (row.type === 'code') {
          event.preventDefault();
          onDelete(row.code.id);
        }
        break;
      case 'Insert':
        event.preventDefault();
        if (row.type === 'code') onAdd({ stageId: row.code.stageId, kind: row.code.kind, parentId: event.shiftKey ? row.code.id : row.code.parentId });
        else if (row.type === 'kind') onAdd({ stageId: row.stageId, kind: row.kind, parentId: null });
        else onAdd({ stageId: row.stageId, kind: 'challenge', parentId: null });
        break;
    }
  };

  const zoneOf = (event: DragEvent<HTMLElement>, row: TreeRow): DropZone => {
    if (row.type !== 'code') return 'inside';
    const box = event.currentTarget.getBoundingClientRect();
    const y = (event.clientY - box.top) / Math.max(1, box.height);
    return y < 0.28 ? 'before' : y > 0.72 ? 'after' : 'inside';
  };
  const onDragOver = (event: DragEvent<HTMLElement>, row: TreeRow) => {
    const moving = dragging.current;
    if (!moving || !event.dataTransfer.types.includes(DRAG_TYPE)) return;
    const zone = zoneOf(event, row);
    if (!dropTarget(codes, moving, row, zone)) return;
    event.preventDefault();
    event.stopPropagation();
    event.dataTransfer.dropEffect = 'move';
    if (drop?.key !== row.key || drop.zone !== zone) setDrop({ key: row.key, zone });
  };
  const onDrop = (event: DragEvent<HTMLElement>, row: TreeRow) => {
    const moving = dragging.current;
    setDrop(null);
    dragging.current = null;
    if (!moving) return;
    const target = dropTarget(codes, moving, row, zoneOf(event, row));
    if (!target) return;
    event.preventDefault();
    event.stopPropagation();
    onMove(moving, target);
  };

  return (
    <ul role="tree" aria-label="Codebook: codes by stage and kind" className="codebook-tree" onDragLeave={(e) => e.currentTarget === e.target && setDrop(null)}>
      {rows.map((row, index) => {
        const expanded = row.hasChildren ? !collapsed.has(row.key) : undefined;
        const common = {
          ref: (el: HTMLLIElement | null) => {
            if (el) refs.current.set(row.key, el);
            else refs.current.delete(row.key);
          },
          role: 'treeitem',
          'aria-level': row.level,
          'aria-expanded': expanded,
          tabIndex: row.key === activeKey ? 0 : -1,
          onKeyDown: (e: KeyboardEvent) => onKeyDown(e, row, index),
          onFocus: (e: FocusEvent) => e.target === e.currentTarget && setFocusKey(row.key),
          onDragOver: (e: DragEvent<HTMLElement>) => onDragOver(e, row),
          onDrop: (e: DragEvent<HTMLElement>) => onDrop(e, row),
          'data-drop': drop?.key === row.key ? drop.zone : undefined,
          'data-key': row.key,
        } as const;
        const twisty = row.hasChildren ? (
          <span className="twisty" aria-hidden="true" onClick={(e) => (e.stopPropagation(), toggle(row, !expanded))}>
            {expanded ? '▾' : '▸'}
          </span>
        ) : (
          <span className="twisty" aria-hidden="true" />
        );
        if (row.type === 'stage') {
          return (
            <li key={row.key} {...common} className="tree-stage" aria-selected={false} onClick={() => focusRow(row)}>
              {twisty}
              <span className="tree-label">{row.name}</span>
            </li>
          );
        }
        if (row.type === 'kind') {
          return (
            <li key={row.key} {...common} className={`tree-kind${row.hasChildren ? '' : ' empty'}`} aria-selected={false} onClick={() => focusRow(row)}>
              {twisty}
              <span className="tree-label">{CODE_KIND_LABELS[row.kind]}s</span>
              {!row.hasChildren && <span className="tree-empty">no codes yet</span>}
            </li>
          );
        }
        const code = row.code;
        const count = counts?.get(code.id) ?? 0;
        return (
          <li
            key={row.key}
            {...common}
            className={`tree-code status-${code.status}`}
            aria-selected={code.id === selectedId}
            aria-describedby={`${idPrefix}-${code.id}`}
            style={{ paddingLeft: `${(row.level - 3) * 1.1 + 0.3}rem` }}
            draggable={renaming !== code.id}
            onDragStart={(e) => {
              dragging.current = code.id;
              e.dataTransfer.setData(DRAG_TYPE, code.id);
              e.dataTransfer.setData('text/plain', code.name);
              e.dataTransfer.effectAllowed = 'move';
            }}
            onDragEnd={() => {
              dragging.current = null;
              setDrop(null);
            }}
            onClick={() => focusRow(row)}
            onDoubleClick={() => setRenaming(code.id)}
          >
            {twisty}
            <span className="swatch" style={{ background: code.color }} aria-hidden="true" />
            {renaming === code.id ? (
              <RenameInput
                name={code.name}
                onDone={(name) => {
                  setRenaming(null);
                  wantFocus.current = true;
                  if (name !== null && name.trim() !== '' && name.trim() !== code.name) onRename(code.id, name);
                }}
              />
            ) : (
              <span className="code-name" title={code.name}>{code.name}</span>
            )}
            {code.status !== 'active' && <span className={`status-badge ${code.status}`}>{code.status}</span>}
            <span className="count" aria-hidden="true">
              {count}
            </span>
            <span id={`${idPrefix}-${code.id}`} hidden>
              {count} {count === 1 ? 'coded segment' : 'coded segments'}
            </span>
          </li>
        );
      })}
    </ul>
  );
}

function RenameInput({ name, onDone }: { name: string; onDone: (name: string | null) => void }) {
  const [value, setValue] = useState(name);
  const ref = useRef<HTMLInputElement>(null);
  const done = useRef(false);
  useEffect(() => {
    ref.current?.focus();
    ref.current?.select();
  }, []);
  const finish = (result: string | null) => {
    if (done.current) return;
    done.current = true;
    onDone(result);
  };
  return (
    <input
      ref={ref}
      className="rename-input"
      aria-label={`New name for ${name}`}
      value={value}
      onChange={(e) => setValue(e.target.value)}
      onClick={(e) => e.stopPropagation()}
      onKeyDown={(e) => {
        e.stopPropagation();
        if (e.key === 'Enter' || e.key === 'Escape') {
          e.preventDefault();
          finish(e.key === 'Enter' ? value : null);
        }
      }}
      onBlur={() => finish(value)}
    />
  );
}
