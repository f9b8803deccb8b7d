/**
 * A table whose cells are edited in place, shared by the cases and participants tables.
 * Keyboard first: arrows, Home/End and Page Up/Down move the active cell; Enter or F2 edits
 * it with the control its column gives (text, number, date, checkbox, select); Enter or
 * leaving the field saves; Escape cancels; Delete clears a value. A value that does not fit
 * stays unsaved, with the reason next to the cell. Headers sort (click or Enter).
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { moveCell, nextSort, sortRows, type CellPosition, type SortState, type SortValue } from './grid.ts';

export type CellEditor =
  | { control: 'text' | 'number' | 'date'; initial: string }
  | { control: 'checkbox'; initial: boolean }
  | { control: 'select'; initial: string; options: readonly { value: string; label: string }[] };

export type CellDraft = string | boolean;

export interface GridColumn<R> {
  id: string;
  label: string;
  /** Shown after the sort button in the header (e.g. the attribute's menu). */
  headerExtra?: ReactNode;
  sortValue: (row: R) => SortValue;
  render: (row: R) => ReactNode;
  /** How the cell is edited, or null/absent when it is read-only. */
  editor?: (row: R) => CellEditor | null;
  /** False for columns with nothing to sort by (row actions). */
  sortable?: boolean;
  /** Delete on the cell saves an empty value. */
  clearable?: boolean;
  numeric?: boolean;
  /** The first column names the row (th scope=row). */
  rowHeader?: boolean;
}

interface EditableGridProps<R> {
  label: string;
  rows: readonly R[];
  rowKey: (row: R) => string;
  /** The row's name, for the editors' labels (“Region of OLMo”). */
  rowName: (row: R) => string;
  columns: readonly GridColumn<R>[];
  /** Saves a cell; resolves to an error message to show beside it, or null when saved. */
  onSave: (row: R, column: GridColumn<R>, value: CellDraft) => Promise<string | null>;
  /** Shown instead of the body when there are no rows. */
  empty?: ReactNode;
  initialSort?: SortState | null;
}

interface Editing {
  row: string;
  column: string;
  draft: CellDraft;
}

const cellKey = (row: string, column: string) => `${row}\u0000${column}`;

export function EditableGrid<R>({ label, rows, rowKey, rowName, columns, onSave, empty, initialSort = null }: EditableGridProps<R>) {
  const [sort, setSort] = useState<SortState | null>(initialSort);
  const [active, setActive] = useState<CellPosition>({ row: 0, column: 0 });
  const [editing, setEditing] = useState<Editing | null>(null);
  const [problems, setProblems] = useState<ReadonlyMap<string, string>>(new Map());
  const tableRef = useRef<HTMLTableElement>(null);
  const focusWanted = useRef(false);
  const saving = useRef(false);
  // The cell being edited as of the last render: a blur that arrives after the edit ended saves nothing.
  const editingRef = useRef<Editing | null>(null);
  const edit = (next: Editing | null) => {
    editingRef.current = next;
    setEditing(next);
  };
  const baseId = useId();

  const sortColumn = sort ? columns.find((c) => c.id === sort.column) : undefined;
  const sorted = sortColumn ? sortRows(rows, sortColumn.sortValue, sort!.descending) : [...rows];
  const at = { row: Math.min(active.row, Math.max(0, sorted.length - 1)), column: Math.min(active.column, columns.length - 1) };

  useEffect(() => {
    if (!focusWanted.current) return;
    focusWanted.current = false;
    tableRef.current?.querySelector<HTMLElement>(`[data-cell="${at.row}:${at.column}"]`)?.focus();
  });

  const setProblem = (key: string, message: string | null) =>
    setProblems((all) => {
      const next = new Map(all);
      if (message === null) next.delete(key);
      else next.set(key, message);
      return next;
    });

  const startEditing = (row: R, column: GridColumn<R>) => {
    const editor = column.editor?.(row);
    if (!editor) return;
    edit({ row: rowKey(row), column: column.id, draft: editor.initial });
  };

  /** Saves the draft; on a problem, keeps the editor open (Enter) or closes it (leaving the field) with the message shown. */
  const commit = async (row: R, column: GridColumn<R>, draft: CellDraft, via: 'enter' | 'blur' | 'clear') => {
    if (saving.current) return;
    const current = editingRef.current;
    if (via !== 'clear' && (current?.row !== rowKey(row) || current.column !== column.id)) return;
    const key = cellKey(rowKey(row), column.id);
    const editor = column.editor?.(row);
    if (editor && editor.initial === draft) {
      setProblem(key, null);
      edit(null);
      focusWanted.current = via !== 'blur';
      return;
    }
    saving.current = true;
    try {
      const problem = await onSave(row, column, draft);
      setProblem(key, problem);
      if (problem === null || via === 'blur') {
        edit(null);
        focusWanted.current = via !== 'blur';
      }
    } finally {
      saving.current = false;
    }
  };

  const onCellKey = (event: KeyboardEvent<HTMLElement>, row: R, column: GridColumn<R>, position: CellPosition) => {
    if (event.target !== event.currentTarget) return;
    if (event.key === 'Enter' || event.key === 'F2') {
      if (!column.editor?.(row)) return;
      event.preventDefault();
      startEditing(row, column);
      return;
    }
    if ((event.key === 'Delete' || event.key === 'Backspace') && column.clearable && column.editor?.(row)) {
      event.preventDefault();
      void commit(row, column, '', 'clear');
      return;
    }
    const next = moveCell(position, event.key, { rows: sorted.length, columns: columns.length }, event.ctrlKey || event.metaKey);
    if (next) {
      event.preventDefault();
      focusWanted.current = true;
      setActive(next);
    }
  };

  return (
    <table ref={tableRef} className="data-table editable-grid" role="grid" aria-label={label} aria-rowcount={sorted.length + 1}>
      <thead>
        <tr>
          {columns.map((column) => (
            <th
              key={column.id}
              scope="col"
              className={column.numeric ? 'num' : undefined}
              aria-sort={sort?.column === column.id ? (sort.descending ? 'descending' : 'ascending') : undefined}
            >
              <span className="grid-header">
                {column.sortable === false ? (
                  <span>{column.label}</span>
                ) : (
                  <button type="button" className="sort" onClick={() => setSort(nextSort(sort, column.id))}>
                    {column.label}
                    {sort?.column === column.id && <span aria-hidden="true">{sort.descending ? ' ▼' : ' ▲'}</span>}
                  </button>
                )}
                {column.headerExtra}
              </span>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {sorted.length === 0 && empty ? (
          <tr>
            <td colSpan={columns.length}>{empty}</td>
          </tr>
        ) : (
          sorted.map((row, r) => {
            const key = rowKey(row);
            return (
              <tr key={key}>
                {columns.map((column, c) => {
                  const isActive = at.row === r && at.column === c;
                  const isEditing = editing?.row === key && editing.column === column.id;
                  const problem = problems.get(cellKey(key, column.id));
                  const problemId = `${baseId}-${r}-${c}`;
                  const editor = isEditing ? column.editor?.(row) : null;
                  const Cell = column.rowHeader ? 'th' : 'td';
                  return (
                    <Cell
                      key={column.id}
                      scope={column.rowHeader ? 'row' : undefined}
                      data-cell={`${r}:${c}`}
                      tabIndex={isEditing ? -1 : isActive ? 0 : -1}
                      className={[column.numeric ? 'num' : '', problem ? 'has-problem' : '', column.editor?.(row) ? 'editable' : ''].filter(Boolean).join(' ') || undefined}
                      aria-describedby={problem ? problemId : undefined}
                      onFocus={() => {
                        if (!isActive) setActive({ row: r, column: c });
                      }}
                      onKeyDown={(e) => onCellKey(e, row, column, { row: r, column: c })}
                      onDoubleClick={() => startEditing(row, column)}
                    >
                      {editor && editing ? (
                        <CellEditorControl
                          editor={editor}
                          draft={editing.draft}
                          label={`${column.label} of ${rowName(row)}`}
                          describedBy={problem ? problemId : undefined}
                          onDraft={(draft) => edit({ ...editing, draft })}
                          onCommit={(draft, via) => void commit(row, column, draft, via)}
                          onCancel={() => {
                            setProblem(cellKey(key, column.id), null);
                            edit(null);
                            focusWanted.current = true;
                          }}
                        />
                      ) : (
                        column.render(row)
                      )}
                      {problem && (
                        <span className="cell-problem" id={problemId} role="alert">
                          {problem}
                        </span>
                      )}
                    </Cell>
                  );
                })}
              </tr>
            );
          })
        )}
      </tbody>
    </table>
  );
}

interface CellEditorControlProps {
  editor: CellEditor;
  draft: CellDraft;
  label: string;
  describedBy: string | undefined;
  onDraft: (draft: CellDraft) => void;
  onCommit: (draft: CellDraft, via: 'enter' | 'blur') => void;
  onCancel: () => void;
}

/** The control of a cell being edited: it takes the focus, Enter saves, Escape cancels, leaving it saves. */
function CellEditorControl({ editor, draft, label, describedBy, onDraft, onCommit, onCancel }: CellEditorControlProps) {
  // Escape and Enter end the edit before the blur that follows; the blur must not save again.
  const done = useRef(false);
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      done.current = true;
      onCancel();
    } else if (event.key === 'Enter') {
      event.preventDefault();
      event.stopPropagation();
      onCommit(draft, 'enter');
    }
  };
  const onBlur = () => {
    if (!done.current) onCommit(draft, 'blur');
  };
  const common = { 'aria-label': label, 'aria-describedby': describedBy, autoFocus: true, onKeyDown, onBlur, className: 'cell-editor' };
  if (editor.control === 'checkbox') {
    return <input type="checkbox" {...common} checked={draft === true} onChange={(e) => onDraft(e.target.checked)} />;
  }
  if (editor.control === 'select') {
    return (
      <select {...common} value={String(draft)} onChange={(e) => onDraft(e.target.value)}>
        {editor.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    );
  }
  return (
    <input
      {...common}
      type={editor.control === 'date' ? 'date' : 'text'}
      inputMode={editor.control === 'number' ? 'decimal' : undefined}
      value={String(draft)}
      onChange={(e) => onDraft(e.target.value)}
    />
  );
}
