/** What to compare: coders (two or more), documents, codes, and the unit with its overlap threshold. */
import { useId, useState } from 'react';
import { AGREEMENT_UNITS, type AgreementUnit } from '../../../shared/analysis/agreement.ts';
import type { Guid } from '../../../shared/model/types.ts';
import { CodeOptionGroups } from '../../components/CodeOptionGroups.tsx';
import type { StudyCore } from '../../data/hooks.ts';
import { orderCoders, readOverlap, UNIT_LABELS } from './agreement-view.ts';

export interface AgreementSelection {
  /** null: every coder but the consensus coder. */
  coderIds: Guid[] | null;
  /** [] means all. */
  documentIds: Guid[];
  /** [] means all. */
  codeIds: Guid[];
  unit: AgreementUnit;
  overlap: number;
  hideUnapplied: boolean;
}

interface Props {
  core: StudyCore;
  /** In the order to list them (the data layer sorts them by title). */
  documents: readonly { id: Guid; title: string }[];
  selection: AgreementSelection;
  /** The coders compared now (the default resolved). */
  coderIds: readonly Guid[];
  consensusCoderId: Guid | null;
  onChange: (selection: AgreementSelection) => void;
}

export function AgreementControls({ core, documents, selection, coderIds, consensusCoderId, onChange }: Props) {
  const set = (patch: Partial<AgreementSelection>) => onChange({ ...selection, ...patch });
  const documentsId = useId();
  const codesId = useId();
  const overlapId = useId();
  const overlapHintId = useId();
  const [overlapText, setOverlapText] = useState(String(selection.overlap));
  const overlapValid = readOverlap(overlapText) !== null;

  const toggleCoder = (id: Guid, on: boolean) => set({ coderIds: on ? [...coderIds.filter((c) => c !== id), id] : coderIds.filter((c) => c !== id) });

  return (
    <section className="agreement-controls panel" aria-label="What to compare">
      <fieldset className="agreement-coders">
        <legend>
          Coders <span className="hint">(two or more)</span>
        </legend>
        {orderCoders(core.coders, consensusCoderId).map((coder) => (
          <label key={coder.id} className="check">
            <input type="checkbox" checked={coderIds.includes(coder.id)} onChange={(e) => toggleCoder(coder.id, e.target.checked)} /> {coder.name}
            {coder.id === consensusCoderId && <span className="hint"> (consensus)</span>}
          </label>
        ))}
      </fieldset>

      <fieldset className="agreement-unit">
        <legend>Unit</legend>
        {AGREEMENT_UNITS.map((unit) => (
          <label key={unit} className="check">
            <input type="radio" name="agreement-unit" value={unit} checked={selection.unit === unit} onChange={() => set({ unit })} /> {UNIT_LABELS[unit]}
          </label>
        ))}
        {selection.unit === 'segment' && (
          <div className="agreement-overlap">
            <label htmlFor={overlapId}>Overlap threshold</label>
            <input
              id={overlapId}
              inputMode="decimal"
              value={overlapText}
              aria-invalid={!overlapValid}
              aria-describedby={overlapHintId}
              onChange={(e) => {
                setOverlapText(e.target.value);
                const value = readOverlap(e.target.value);
                if (value !== null) set({ overlap: value });
              }}
            />
            <span id={overlapHintId} className={overlapValid ? 'hint' : 'field-error'}>
              {overlapValid ? 'share of the union two codings must overlap (0.5 = half)' : `Enter a share above 0 and at most 1 (e.g. 0.5); still using ${selection.overlap}.`}
            </span>
          </div>
        )}
      </fieldset>

      <div className="agreement-pick">
        <label htmlFor={documentsId}>
          Documents <span className="hint">{selection.documentIds.length === 0 ? '(all)' : `(${selection.documentIds.length})`}</span>
        </label>
        <select id={documentsId} multiple size={5} value={selection.documentIds} onChange={(e) => set({ documentIds: [...e.target.selectedOptions].map((o) => o.value) })}>
          {documents.map((d) => (
            <option key={d.id} value={d.id}>
              {d.title}
            </option>
          ))}
        </select>
      </div>

      <div className="agreement-pick">
        <label htmlFor={codesId}>
          Codes <span className="hint">{selection.codeIds.length === 0 ? '(all)' : `(${selection.codeIds.length})`}</span>
        </label>
        <select id={codesId} multiple size={5} value={selection.codeIds} onChange={(e) => set({ codeIds: [...e.target.selectedOptions].map((o) => o.value) })}>
          <CodeOptionGroups stages={core.stages} codes={core.codes} />
        </select>
      </div>

      <div className="agreement-options">
        <label className="check">
          <input type="checkbox" checked={selection.hideUnapplied} onChange={(e) => set({ hideUnapplied: e.target.checked })} /> Only codes a chosen coder applied
        </label>
        {(selection.documentIds.length > 0 || selection.codeIds.length > 0) && (
          <button type="button" className="quiet" onClick={() => set({ documentIds: [], codeIds: [] })}>
            All documents and codes
          </button>
        )}
      </div>
    </section>
  );
}
