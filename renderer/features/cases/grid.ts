/**
 * The rules of the editable tables (cases, participants) as plain functions: how a column
 * sorts, how a filter matches, where an arrow key moves the active cell. The components
 * only hold state and draw.
 */

/** What a column sorts by: missing values (null) always go last, whatever the direction. */
export type SortValue = string | number | boolean | null;

export interface SortState {
  column: string;
  descending: boolean;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

export function compareSortValues(a: SortValue, b: SortValue): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? -1 : 1;
  return collator.compare(String(a), String(b));
}

/** Sorts rows by a column; ties keep their incoming order, and missing values stay at the end. */
export function sortRows<R>(rows: readonly R[], valueOf: (row: R) => SortValue, descending: boolean): R[] {
  return rows
    .map((row, i) => ({ row, i, v: valueOf(row) }))
    .sort((x, y) => {
      if (x.v === null || y.v === null) return compareSortValues(x.v, y.v) || x.i - y.i;
      const c = compareSortValues(x.v, y.v);
      return (descending ? -c : c) || x.i - y.i;
    })
    .map((x) => x.row);
}

/** The next sort after a click on a column's header: ascending first, then descending, then ascending again. */
export function nextSort(current: SortState | null, column: string): SortState {
  return current?.column === column ? { column, descending: !current.descending } : { column, descending: false };
}

/** Folds case and diacritics, so “sao” finds “São Paulo”. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase();
}

/** True when every word of the query appears in one of the texts (a row matches word by word, across columns). */
export function matchesQuery(texts: readonly string[], query: string): boolean {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = texts.map(fold).join('\u0000');
  return words.every((w) => haystack.includes(w));
}

export interface CellPosition {
  row: number;
  column: number;
}

/** Where a key moves the active cell of a rows × columns grid, or null when the key does not move it. */
export function moveCell(at: CellPosition, key: string, size: { rows: number; columns: number }, ctrl = false): CellPosition | null {
  const clampRow = (r: number) => Math.max(0, Math.min(size.rows - 1, r));
  const clampColumn = (c: number) => Math.max(0, Math.min(size.columns - 1, c));
  switch (key) {
    case 'ArrowUp':
      return { row: clampRow(at.row - 1), column: at.column };
    case 'ArrowDown':
      return { row: clampRow(at.row + 1), column: at.column };
    case 'ArrowLeft':
      return { row: at.row, column: clampColumn(at.column - 1) };
    case 'ArrowRight':
      return { row: at.row, column: clampColumn(at.column + 1) };
    case 'PageUp':
      return { row: clampRow(at.row - 10), column: at.column };
    case 'PageDown':
      return { row: clampRow(at.row + 10), column: at.column };
    case 'Home':
      return { row: ctrl ? 0 : at.row, column: 0 };
    case 'End':
      return { row: ctrl ? size.rows - 1 : at.row, column: size.columns - 1 };
    default:
      return null;
  }
}
