/**
 * Inter-coder agreement: choose coders, documents, codes and the unit; read percent
 * agreement, Cohen's kappa and Krippendorff's alpha per code and overall; choose a code to
 * review where the coders differ, side by side, and write the team's decision into the
 * consensus coder. Every number comes from shared/analysis/agreement.ts over the data the
 * live query reads, so a resolution (or any coding elsewhere) recomputes the table.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useMemo, useRef, useState } from 'react';
import { computeAgreement, DEFAULT_OVERLAP, findDisagreements, type AgreementResult, type AgreementUnit, type Disagreement } from '../../../shared/analysis/agreement.ts';
import { codePath } from '../../../shared/codebook/operations.ts';
import type { Guid } from '../../../shared/model/types.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { buildAgreementInput, loadAgreementData, type AgreementData } from '../../data/agreement.ts';
import type { StudyCore } from '../../data/hooks.ts';
import { db } from '../../data/instance.ts';
import { AgreementControls, type AgreementSelection } from './AgreementControls.tsx';
import { AgreementHelp } from './AgreementHelp.tsx';
import { AgreementTable } from './AgreementTable.tsx';
import { agreementRows, orderCoders } from './agreement-view.ts';
import { DisagreementReview } from './DisagreementReview.tsx';
import './agreement.css';

interface Computed {
  result: AgreementResult;
  disagreements: Disagreement[];
}

function compute(data: AgreementData, selection: AgreementSelection, coderIds: Guid[]): Computed | { problem: string } {
  try {
    const chosen = buildAgreementInput(data, { coderIds, documentIds: selection.documentIds.length > 0 ? selection.documentIds : null, codeIds: selection.codeIds.length > 0 ? selection.codeIds : null });
    const applied = new Set(chosen.codings.map((c) => c.codeId));
    // Codes nobody applied would add units everyone agrees on (all 0) to the overall row.
    const input = selection.hideUnapplied ? { ...chosen, codeIds: chosen.codeIds.filter((id) => applied.has(id)) } : chosen;
    const options = { unit: selection.unit, overlap: selection.overlap };
    return { result: computeAgreement(input, options), disagreements: findDisagreements(input, options) };
  } catch (error) {
    return { problem: (error as Error).message };
  }
}

export function AgreementArea({ core }: { core: StudyCore }) {
  const { study, coders, codes } = core;
  const data = useLiveQuery(() => loadAgreementData(db, study.id), [study.id]);
  const [selection, setSelection] = useState<AgreementSelection>({ coderIds: null, documentIds: [], codeIds: [], unit: 'document' as AgreementUnit, overlap: DEFAULT_OVERLAP, hideUnapplied: true });
  const [codeId, setCodeId] = useState<Guid | null>(null);
  const focusReview = useRef(false);
  const chooseCode = (id: Guid) => {
    if (id !== codeId) focusReview.current = true;
    setCodeId(id);
  };
  const takeFocus = useCallback(() => {
    const take = focusReview.current;
    focusReview.current = false;
    return take;
  }, []);

  const consensusCoderId = data?.consensusCoderId ?? null;
  // Until the team picks coders, every coder but the consensus coder is compared.
  // A coder an undo took away (the consensus coder after undoing the first resolution) drops out.
  // Coders are compared (and named in headings and exports) in the order of their names, the consensus coder last.
  const coderIds = useMemo(() => {
    const sorted = orderCoders(coders, consensusCoderId);
    return (selection.coderIds ? sorted.filter((c) => selection.coderIds!.includes(c.id)) : sorted.filter((c) => c.id !== consensusCoderId)).map((c) => c.id);
  }, [selection.coderIds, coders, consensusCoderId]);
  const computed = useMemo(() => (data ? compute(data, selection, coderIds) : null), [data, selection, coderIds]);

  if (!data || !computed) return <p aria-busy="true">Comparing codings…</p>;
  if (coders.length < 2) {
    return (
      <EmptyState title="Agreement needs two coders">
        <p>Inter-coder agreement compares how two or more coders applied the same codes to the same text. Add a second coder (Coding area) and let them code the same documents.</p>
      </EmptyState>
    );
  }

  const rows = 'result' in computed ? agreementRows(computed.result, codes, core.stages) : [];
  const selectedRow = rows.find((r) => r.codeId === codeId) ?? null;
  const disagreements = 'result' in computed && selectedRow ? computed.disagreements.filter((d) => d.codeId === selectedRow.codeId) : [];

  return (
    <div className="agreement">
      <header className="area-header">
        <h1>Agreement</h1>
        <p className="lead">How far do coders agree? Compare two or more coders per code, then review where they differ and record the team’s decision in the consensus coder.</p>
      </header>
      <AgreementControls core={core} documents={data.documents} selection={selection} coderIds={coderIds} consensusCoderId={consensusCoderId} onChange={setSelection} />
      {'problem' in computed ? (
        <p className="agreement-problem" role="status">
          {computed.problem}
        </p>
      ) : (
        <>
          <AgreementTable
            rows={rows}
            result={computed.result}
            coderNames={coderIds.map((id) => coders.find((c) => c.id === id)?.name ?? 'Unknown coder')}
            selectedCodeId={selectedRow?.codeId ?? null}
            disagreementCounts={countByCode(computed.disagreements)}
            overlap={selection.overlap}
            studyName={study.name}
            onSelect={chooseCode}
          />
          {selectedRow && (
            <DisagreementReview
              key={`${selectedRow.codeId}|${selection.unit}|${selection.overlap}|${coderIds.join()}`}
              studyId={study.id}
              codeName={codePath(codes, selectedRow.codeId).join(' › ')}
              currentCodeName={codes.find((c) => c.id === selectedRow.codeId)?.name ?? ''}
              disagreements={disagreements}
              data={data}
              core={core}
              coderIds={coderIds}
              onClose={() => setCodeId(null)}
              takeFocus={takeFocus}
            />
          )}
        </>
      )}
      <AgreementHelp overlap={selection.overlap} />
    </div>
  );
}

function countByCode(disagreements: readonly Disagreement[]): Map<Guid, number> {
  const counts = new Map<Guid, number>();
  for (const d of disagreements) counts.set(d.codeId, (counts.get(d.codeId) ?? 0) + 1);
  return counts;
}
