import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo } from 'react';
import { summariseStageKind } from '../../../shared/analysis/stage-kind-summary.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import type { StudyCore } from '../../data/hooks.ts';
import { db } from '../../data/instance.ts';
import { loadStudyCodings } from '../../data/studies.ts';

export function MatricesArea({ core }: { core: StudyCore }) {
  const { study, stages, cases, codes } = core;
  const data = useLiveQuery(async () => {
    const [codings, documents] = await Promise.all([loadStudyCodings(db, study.id), db.documents.where('studyId').equals(study.id).toArray()]);
    return { codings, documents };
  }, [study.id]);
  const summary = useMemo(() => (data ? summariseStageKind(codes, data.codings, data.documents) : null), [codes, data]);

  if (!summary) return <p aria-busy="true">Counting codings…</p>;
  if (summary.totals.size === 0) {
    return (
      <EmptyState title="Nothing to compare yet">
        <p>Matrices compare how often challenges and on-ramps appear per case and lifecycle stage. They fill in as transcripts are coded with stage-specific codes.</p>
      </EmptyState>
    );
  }
  return (
    <div>
      <header className="area-header">
        <h1>Matrices</h1>
        <p className="lead">Challenges and on-ramps per case and lifecycle stage: coded segments, each counted once per cell.</p>
      </header>
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Scrollable table">
        <table className="data-table matrix" aria-label="Challenges and on-ramps per case and stage">
          <thead>
            <tr>
              <th scope="col" rowSpan={2}>
                Case
              </th>
              {stages.map((s) => (
                <th scope="colgroup" colSpan={2} key={s.id}>
                  {s.name}
                </th>
              ))}
            </tr>
            <tr>
              {stages.map((s) => (
                <FragmentHeaders key={s.id} />
              ))}
            </tr>
          </thead>
          <tbody>
            {cases.map((c) => (
              <tr key={c.id}>
                <th scope="row">{c.name}</th>
                {stages.map((s) => {
                  const cell = summary.byCase.get(c.id)?.get(s.id);
                  return [
                    <td key={`${s.id}-c`} className="num challenge-cell">
                      {cell?.challenge || ''}
                    </td>,
                    <td key={`${s.id}-o`} className="num onramp-cell">
                      {cell?.onRamp || ''}
                    </td>,
                  ];
                })}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">All cases</th>
              {stages.map((s) => [
                <td key={`${s.id}-c`} className="num">
                  {summary.totals.get(s.id)?.challenge ?? 0}
                </td>,
                <td key={`${s.id}-o`} className="num">
                  {summary.totals.get(s.id)?.onRamp ?? 0}
                </td>,
              ])}
            </tr>
          </tfoot>
        </table>
      </div>
    </div>
  );
}

function FragmentHeaders() {
  return (
    <>
      <th scope="col" className="num">
        Challenges
      </th>
      <th scope="col" className="num">
        On-ramps
      </th>
    </>
  );
}
