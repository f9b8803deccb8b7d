/** Small labelled controls shared by the matrix views: selects, checkboxes, multi-selects and the filter bar. */
import { useId, type ReactNode } from 'react';
import type { MatrixFilters, MatrixSource } from '../../../shared/analysis/matrix-types.ts';
import type { Coder } from '../../../shared/model/types.ts';

export function Select<T extends string>({ label, value, options, onChange }: { label: string; value: T; options: readonly { value: T; label: string }[]; onChange: (value: T) => void }) {
  const id = useId();
  return (
    <div className="control">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as T)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function Check({ label, checked, onChange }: { label: string; checked: boolean; onChange: (checked: boolean) => void }) {
  return (
    <label className="control check">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} /> {label}
    </label>
  );
}

function MultiSelect({ label, values, options, onChange }: { label: string; values: readonly string[]; options: readonly { value: string; label: string }[]; onChange: (values: string[]) => void }) {
  const id = useId();
  return (
    <div className="control multi">
      <label htmlFor={id}>
        {label} <span className="hint">{values.length === 0 ? '(all)' : `(${values.length})`}</span>
      </label>
      <select id={id} multiple size={Math.min(5, Math.max(2, options.length))} value={[...values]} onChange={(e) => onChange([...e.target.selectedOptions].map((o) => o.value))}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

const byLabel = (a: { label: string }, b: { label: string }) => a.label.localeCompare(b.label, undefined, { numeric: true });

/** Coder, cases, participants, documents and an interview-date range. */
export function FilterBar({ source, coders, filters, onChange, children }: { source: MatrixSource; coders: readonly Coder[]; filters: MatrixFilters; onChange: (filters: MatrixFilters) => void; children?: ReactNode }) {
  const fromId = useId();
  const toId = useId();
  const active = (filters.coderIds?.length ?? 0) + (filters.caseIds?.length ?? 0) + (filters.participantIds?.length ?? 0) + (filters.documentIds?.length ?? 0) + (filters.from ? 1 : 0) + (filters.to ? 1 : 0);
  return (
    <details className="matrix-filters" open={active > 0 ? true : undefined}>
      <summary>
        Filters {active > 0 ? <strong>({active} active)</strong> : <span className="hint">(none: every coding counts)</span>}
      </summary>
      <div className="filter-grid">
        <MultiSelect label="Coders" values={filters.coderIds ?? []} options={coders.map((c) => ({ value: c.id, label: c.name })).sort(byLabel)} onChange={(coderIds) => onChange({ ...filters, coderIds })} />
        <MultiSelect label="Cases" values={filters.caseIds ?? []} options={source.cases.map((c) => ({ value: c.id, label: c.name })).sort(byLabel)} onChange={(caseIds) => onChange({ ...filters, caseIds })} />
        <MultiSelect
          label="Participants"
          values={filters.participantIds ?? []}
          options={source.participants.map((p) => ({ value: p.id, label: p.pseudonym })).sort(byLabel)}
          onChange={(participantIds) => onChange({ ...filters, participantIds })}
        />
        <MultiSelect label="Documents" values={filters.documentIds ?? []} options={source.documents.map((d) => ({ value: d.id, label: d.title })).sort(byLabel)} onChange={(documentIds) => onChange({ ...filters, documentIds })} />
        <div className="control dates">
          <span>Interview date</span>
          <label htmlFor={fromId}>from</label>
          <input id={fromId} type="date" value={filters.from ?? ''} onChange={(e) => onChange({ ...filters, from: e.target.value || undefined })} />
          <label htmlFor={toId}>to</label>
          <input id={toId} type="date" value={filters.to ?? ''} onChange={(e) => onChange({ ...filters, to: e.target.value || undefined })} />
        </div>
        {children}
        {active > 0 && (
          <button type="button" className="quiet" onClick={() => onChange({})}>
            Clear filters
          </button>
        )}
      </div>
    </details>
  );
}
