/**
 * Which stages and codes go into the report: a checkbox per stage (and one for the codes used
 * in every stage, when the codebook has them), then the codes of the chosen stages as a
 * checklist that a search narrows, with "All" and "None" per stage. The count of codes the
 * report will hold is announced as it changes.
 */
import { useId, useState } from 'react';
import type { ReportSettings } from '../../data/reports.ts';
import type { ReportSelection } from './report-selection.ts';

interface Props {
  selection: ReportSelection;
  settings: ReportSettings;
  onChange: (change: Partial<ReportSettings>) => void;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function ReportSelectionFields({ selection, settings, onChange }: Props) {
  const [search, setSearch] = useState('');
  const ids = { search: useId(), count: useId() };
  const excludedStages = new Set(settings.excludedStages);
  const excludedCodes = new Set(settings.excludedCodes);
  const needle = search.trim().toLocaleLowerCase();
  const takenGroups = selection.groups.filter((g) => !excludedStages.has(g.key) && g.codes.length > 0);

  const toggleStage = (key: string, on: boolean) => onChange({ excludedStages: on ? settings.excludedStages.filter((k) => k !== key) : [...settings.excludedStages, key] });
  const toggleCode = (id: string, on: boolean) => onChange({ excludedCodes: on ? settings.excludedCodes.filter((k) => k !== id) : [...settings.excludedCodes, id] });
  const setCodes = (codeIds: readonly string[], on: boolean) => {
    const set = new Set(codeIds);
    onChange({ excludedCodes: on ? settings.excludedCodes.filter((k) => !set.has(k)) : [...new Set([...settings.excludedCodes, ...codeIds])] });
  };

  return (
    <div className="report-selection">
      <fieldset className="report-stages">
        <legend>Stages</legend>
        {selection.groups.map((g) => (
          <label key={g.key} className="check">
            <input type="checkbox" checked={!excludedStages.has(g.key)} onChange={(e) => toggleStage(g.key, e.target.checked)} />
            {g.stageId === null ? 'Codes used in every stage (cross-stage)' : g.name} <span className="hint">({plural(g.codes.length, 'code')})</span>
          </label>
        ))}
      </fieldset>
      <fieldset className="report-codes" aria-describedby={ids.count}>
        <legend>Codes</legend>
        <p id={ids.count} className="code-count" aria-live="polite">
          {selection.included === selection.total ? `All ${plural(selection.total, 'code')} will be in the report.` : `${selection.included} of ${plural(selection.total, 'code')} will be in the report.`}
        </p>
        <div className="field">
          <label htmlFor={ids.search}>Find a code</label>
          <input id={ids.search} type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Part of a code’s name" />
        </div>
        {takenGroups.length === 0 && <p className="hint">No stage is chosen: the report will hold the study summary only.</p>}
        <div className="code-groups">
          {takenGroups.map((g) => {
            const shown = needle === '' ? g.codes : g.codes.filter((c) => c.label.toLocaleLowerCase().includes(needle));
            const taken = g.codes.filter((c) => !excludedCodes.has(c.id)).length;
            const name = g.stageId === null ? 'codes used in every stage' : g.name;
            return (
              <div key={g.key} className="code-group" role="group" aria-label={`Codes of ${name}`}>
                <div className="code-group-head">
                  <strong>{g.stageId === null ? 'Codes used in every stage' : g.name}</strong>
                  <span className="hint">
                    {taken} of {g.codes.length}
                  </span>
                  <button type="button" onClick={() => setCodes(g.codes.map((c) => c.id), true)} aria-label={`All codes of ${name}`}>
                    All
                  </button>
                  <button type="button" onClick={() => setCodes(g.codes.map((c) => c.id), false)} aria-label={`None of the codes of ${name}`}>
                    None
                  </button>
                </div>
                {shown.length === 0 ? (
                  <p className="hint">No code of this stage matches “{search.trim()}”.</p>
                ) : (
                  <ul>
                    {shown.map((c) => (
                      <li key={c.id}>
                        <label className="check">
                          <input type="checkbox" checked={!excludedCodes.has(c.id)} onChange={(e) => toggleCode(c.id, e.target.checked)} /> {c.label}
                        </label>
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}
