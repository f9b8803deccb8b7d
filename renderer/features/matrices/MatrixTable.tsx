/**
 * A comparison matrix as a heatmap table: sticky headers and first column, grouped column
 * headers (stage → kind) that collapse, sortable columns, row and column totals, and a
 * keyboard grid (arrows move between cells, Enter or a click shows the evidence).
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { Matrix } from '../../../shared/analysis/matrix-types.ts';
import { heatColor, textColorOn } from '../../../shared/formats/matrix-export.ts';
import { CODE_KIND_LABELS } from '../../../shared/model/types.ts';

export interface MatrixSort {
  column: number | 'label' | 'total';
  descending: boolean;
}

interface MatrixTableProps {
  matrix: Matrix;
  label: string;
  sort?: MatrixSort | null;
  onSort?: (sort: MatrixSort) => void;
  /** Collapse or expand a stage (`stage:<id|cross>`) or a kind (`kind:<stageId|cross>:<kind>`). */
  onToggleGroup?: (key: string, collapse: boolean) => void;
  onCell?: (row: number, column: number) => void;
  selected?: { row: number; column: number } | null;
  /** Rows that are not data (e.g. the "A − B" difference row) are not shaded. */
  plainRows?: ReadonlySet<number>;
  stageNames?: ReadonlyMap<string | null, string>;
  totals?: boolean;
  decimals?: number;
}

const format = (value: number, decimals: number) => (Number.isInteger(value) ? String(value) : value.toFixed(decimals));
const stageKey = (id: string | null) => `stage:${id ?? 'cross'}`;
const kindKey = (id: string | null, kind: string) => `kind:${id ?? 'cross'}:${kind}`;

export function MatrixTable({ matrix, label, sort, onSort, onToggleGroup, onCell, selected, plainRows, stageNames, totals = true, decimals = 1 }: MatrixTableProps) {
  const [active, setActive] = useState<{ row: number; column: number }>({ row: 0, column: 0 });
  const tableRef = useRef<HTMLTableElement>(null);
  const focusWanted = useRef(false);
  const rows = matrix.rows.length;
  const columns = matrix.columns.length;
  const at = { row: Math.min(active.row, Math.max(0, rows - 1)), column: Math.min(active.column, Math.max(0, columns - 1)) };

  useEffect(() => {
    if (!focusWanted.current) return;
    focusWanted.current = false;
    tableRef.current?.querySelector<HTMLElement>(`[data-cell="${at.row}:${at.column}"]`)?.focus();
  });

  const move = (event: KeyboardEvent, row: number, column: number) => {
    const steps: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1], PageUp: [-10, 0], PageDown: [10, 0] };
    let next: { row: number; column: number } | null = null;
    if (steps[event.key]) {
      const [dr, dc] = steps[event.key]!;
      next = { row: Math.max(0, Math.min(rows - 1, row + dr)), column: Math.max(0, Math.min(columns - 1, column + dc)) };
    } else if (event.key === 'Home') next = { row: event.ctrlKey ? 0 : row, column: 0 };
    else if (event.key === 'End') next = { row: event.ctrlKey ? rows - 1 : row, column: columns - 1 };
    else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onCell?.(row, column);
      return;
    }
    if (next) {
      event.preventDefault();
      focusWanted.current = true;
      setActive(next);
    }
  };

  // Header bands: stages, then kinds, for code columns; plain columns get one header row.
  const grouped = matrix.columns.some((c) => c.stageId !== null || c.kind !== null);
  const stageBands: { key: string; stageId: string | null; span: number; collapsed: boolean }[] = [];
  const kindBands: { key: string; stageId: string | null; kind: string | null; span: number; level: string }[] = [];
  for (const c of matrix.columns) {
    const sKey = stageKey(c.stageId);
    const lastStage = stageBands.at(-1);
    if (lastStage && lastStage.key === sKey) lastStage.span += 1;
    else stageBands.push({ key: sKey, stageId: c.stageId, span: 1, collapsed: c.level === 'stage' });
    const kKey = c.level === 'stage' ? `${sKey}:all` : kindKey(c.stageId, c.kind ?? 'other');
    const lastKind = kindBands.at(-1);
    if (lastKind && lastKind.key === kKey) lastKind.span += 1;
    else kindBands.push({ key: kKey, stageId: c.stageId, kind: c.kind, span: 1, level: c.level });
  }
  const stageName = (id: string | null) => stageNames?.get(id) ?? (id === null ? 'Cross-stage' : 'Stage');
  const sortButton = (column: MatrixSort['column'], text: string, vertical = false) => {
    const isSorted = sort?.column === column;
    const nextSort: MatrixSort = { column, descending: isSorted ? !sort!.descending : column !== 'label' };
    return onSort ? (
      <button type="button" className={`sort${vertical ? ' vertical' : ''}`} onClick={() => onSort(nextSort)} title={`Sort by ${text}`}>
        <span>{text}</span>
        {isSorted && <span aria-hidden="true">{sort!.descending ? ' ▼' : ' ▲'}</span>}
      </button>
    ) : (
      <span className={vertical ? 'vertical' : undefined}>{text}</span>
    );
  };
  const ariaSort = (column: MatrixSort['column']) => (sort?.column === column ? (sort.descending ? 'descending' : 'ascending') : undefined);

  return (
    <table ref={tableRef} className="matrix-grid" role="grid" aria-label={label} aria-rowcount={rows + 1} aria-colcount={columns + 2}>
      <thead>
        {grouped && (
          <tr>
            <td className="corner" rowSpan={2} />
            {stageBands.map((band) => (
              <th key={band.key} scope="colgroup" colSpan={band.span} className="band stage-band">
                {onToggleGroup ? (
                  <button type="button" aria-expanded={!band.collapsed} onClick={() => onToggleGroup(band.key, !band.collapsed)}>
                    <span aria-hidden="true">{band.collapsed ? '▸ ' : '▾ '}</span>
                    {stageName(band.stageId)}
                  </button>
                ) : (
                  stageName(band.stageId)
                )}
              </th>
            ))}
            {totals && <td className="corner" rowSpan={2} />}
          </tr>
        )}
        {grouped && (
          <tr>
            {kindBands.map((band) => (
              <th key={band.key} scope="colgroup" colSpan={band.span} className={`band kind-band kind-${band.kind ?? 'all'}`}>
                {band.level === 'stage' ? (
                  <span className="hint">all kinds</span>
                ) : onToggleGroup ? (
                  <button type="button" aria-expanded={band.level !== 'kind'} onClick={() => onToggleGroup(kindKey(band.stageId, band.kind ?? 'other'), band.level !== 'kind')}>
                    <span aria-hidden="true">{band.level === 'kind' ? '▸ ' : '▾ '}</span>
                    {CODE_KIND_LABELS[(band.kind ?? 'other') as keyof typeof CODE_KIND_LABELS]}
                  </button>
                ) : (
                  CODE_KIND_LABELS[(band.kind ?? 'other') as keyof typeof CODE_KIND_LABELS]
                )}
              </th>
            ))}
          </tr>
        )}
        <tr>
          <th scope="col" className="row-head" aria-sort={ariaSort('label')}>
            {sortButton('label', matrix.rowHeader.charAt(0).toUpperCase() + matrix.rowHeader.slice(1))}
          </th>
          {matrix.columns.map((c, i) => (
            <th key={c.key} scope="col" className={`col-head level-${c.level}`} aria-sort={ariaSort(i)}>
              {c.color && <span className="swatch" style={{ background: c.color }} aria-hidden="true" />}
              {sortButton(i, c.label, true)}
            </th>
          ))}
          {totals && (
            <th scope="col" className="total-head" aria-sort={ariaSort('total')}>
              {sortButton('total', 'Total')}
            </th>
          )}
        </tr>
      </thead>
      <tbody>
        {matrix.rows.map((row, r) => (
          <tr key={row.key}>
            <th scope="row" className="row-head">
              {row.label}
              {row.size > 1 && <span className="row-size"> ({row.size})</span>}
            </th>
            {matrix.cells[r]!.map((value, c) => {
              const plain = plainRows?.has(r) ?? false;
              const background = plain || value <= 0 ? undefined : heatColor(value, matrix.max);
              const isActive = at.row === r && at.column === c;
              const isSelected = selected?.row === r && selected.column === c;
              return (
                <td
                  key={matrix.columns[c]!.key}
                  data-cell={`${r}:${c}`}
                  tabIndex={isActive ? 0 : -1}
                  aria-selected={isSelected}
                  className={`cell${value === 0 ? ' zero' : ''}${isSelected ? ' selected' : ''}`}
                  style={background ? { background, color: textColorOn(background) } : undefined}
                  onClick={() => {
                    setActive({ row: r, column: c });
                    onCell?.(r, c);
                  }}
                  onKeyDown={(e) => move(e, r, c)}
                  onFocus={() => (active.row !== r || active.column !== c) && setActive({ row: r, column: c })}
                >
                  {value === 0 && !plain ? '' : `${format(value, decimals)}${matrix.unit}`}
                </td>
              );
            })}
            {totals && <td className="total">{`${format(matrix.rowTotals[r] ?? 0, decimals)}${matrix.unit}`}</td>}
          </tr>
        ))}
      </tbody>
      {totals && (
        <tfoot>
          <tr>
            <th scope="row" className="row-head">
              Total
            </th>
            {matrix.columnTotals.map((value, c) => (
              <td key={matrix.columns[c]!.key} className="total">
                {format(value, decimals)}
                {matrix.unit}
              </td>
            ))}
            <td className="total grand">
              {format(matrix.grandTotal, decimals)}
              {matrix.unit}
            </td>
          </tr>
        </tfoot>
      )}
    </table>
  );
}

/** The shading's key: from the lightest shade to the darkest, with the values they stand for. */
export function HeatLegend({ max, unit }: { max: number; unit: string }) {
  const steps = [0.2, 0.4, 0.6, 0.8, 1].map((f) => Math.max(1e-9, f * max));
  return (
    <div className="heat-legend" role="img" aria-label={`Shading: lighter cells hold fewer, darker cells more, up to ${format(max, 1)}${unit}`}>
      <span>fewer</span>
      {steps.map((v, i) => (
        <span key={i} className="heat-step" style={{ background: heatColor(v, max) }} />
      ))}
      <span>
        more (max {format(max, 1)}
        {unit})
      </span>
    </div>
  );
}
