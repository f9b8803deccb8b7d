/**
 * Per case and lifecycle stage: coded segments showing challenges against those showing
 * on-ramps, as numbers and as a small paired bar per stage. The summary is computed once in
 * shared/analysis (stage-kind-summary.ts), which the cathedral–bazaar maps build on.
 */
import { useMemo } from 'react';
import { filterCodings } from '../../../shared/analysis/matrix-filters.ts';
import type { Matrix, MatrixFilters, MatrixSource } from '../../../shared/analysis/matrix-types.ts';
import { summariseStageKind } from '../../../shared/analysis/stage-kind-summary.ts';
import type { StudyCore } from '../../data/hooks.ts';
import { MatrixExport } from './MatrixExport.tsx';

export function StageKindView({ source, core, filters }: { source: MatrixSource; core: StudyCore; filters: MatrixFilters }) {
  const { stages, cases } = core;
  const summary = useMemo(() => summariseStageKind(source.codes, filterCodings(source, filters), source.documents), [source, filters]);
  const max = Math.max(1, ...[...summary.byCase.values()].flatMap((m) => [...m.values()].flatMap((c) => [c.challenge, c.onRamp])));
  const matrix = useMemo<Matrix>(() => {
    const columns = stages.flatMap((s) =>
      (['challenge', 'on-ramp'] as const).map((kind) => ({
        key: `${s.id}:${kind}`,
        label: kind === 'challenge' ? 'Challenges' : 'On-ramps',
        namePath: [s.name, kind === 'challenge' ? 'Challenges' : 'On-ramps'],
        level: 'kind' as const,
        stageId: s.id,
        kind,
        codeIds: [],
        color: null,
      })),
    );
    const cells = cases.map((c) => stages.flatMap((s) => [summary.byCase.get(c.id)?.get(s.id)?.challenge ?? 0, summary.byCase.get(c.id)?.get(s.id)?.onRamp ?? 0]));
    const columnTotals = stages.flatMap((s) => [summary.totals.get(s.id)?.challenge ?? 0, summary.totals.get(s.id)?.onRamp ?? 0]);
    const rowTotals = cells.map((row) => row.reduce((a, b) => a + b, 0));
    return {
      rowHeader: 'case',
      metric: 'segments',
      rows: cases.map((c) => ({ key: c.id, label: c.name, size: 1 })),
      columns,
      cells,
      rowTotals,
      columnTotals,
      grandTotal: columnTotals.reduce((a, b) => a + b, 0),
      max: Math.max(0, ...cells.flat()),
      unit: '',
      settings: ['Coded segments per case, stage and kind; a segment counts once per cell however many of its codes it carries'],
    };
  }, [cases, stages, summary]);

  return (
    <div className="matrix-frame">
      <div className="matrix-frame-head">
        <p className="matrix-size">Coded segments showing challenges and on-ramps, per case and stage (a segment counts once per cell).</p>
        <p className="stage-kind-key" aria-hidden="true">
          <span className="key-challenge" /> challenges <span className="key-onramp" /> on-ramps
        </p>
        <MatrixExport matrix={matrix} title="Challenges and on-ramps per case and stage" fileStem={`${core.study.name}-stage-by-kind`} />
      </div>
      <div className="matrix-scroll" role="region" aria-label="Challenges and on-ramps per case and stage, scrollable" tabIndex={-1}>
        <table className="data-table matrix stage-kind" aria-label="Challenges and on-ramps per case and stage">
          <thead>
            <tr>
              <th scope="col" rowSpan={2}>
                Case
              </th>
              {stages.map((s) => (
                <th scope="colgroup" colSpan={3} key={s.id}>
                  {s.name}
                </th>
              ))}
            </tr>
            <tr>
              {stages.map((s) => [
                <th scope="col" className="num" key={`${s.id}-c`}>
                  Challenges
                </th>,
                <th scope="col" className="num" key={`${s.id}-o`}>
                  On-ramps
                </th>,
                <th scope="col" key={`${s.id}-chart`}>
                  <span className="visually-hidden">Chart</span>
                </th>,
              ])}
            </tr>
          </thead>
          <tbody>
            {cases.map((c) => (
              <tr key={c.id}>
                <th scope="row">{c.name}</th>
                {stages.map((s) => {
                  const cell = summary.byCase.get(c.id)?.get(s.id);
                  const challenge = cell?.challenge ?? 0;
                  const onRamp = cell?.onRamp ?? 0;
                  return [
                    <td key={`${s.id}-c`} className="num challenge-cell">
                      {challenge || ''}
                    </td>,
                    <td key={`${s.id}-o`} className="num onramp-cell">
                      {onRamp || ''}
                    </td>,
                    <td key={`${s.id}-chart`} className="pair-chart">
                      <PairBar challenge={challenge} onRamp={onRamp} max={max} />
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
                <td key={`${s.id}-chart`} />,
              ])}
            </tr>
          </tfoot>
        </table>
      </div>
    </div>
  );
}

/** Challenges to the left of the axis, on-ramps to the right, on a shared scale. */
function PairBar({ challenge, onRamp, max }: { challenge: number; onRamp: number; max: number }) {
  const half = 40;
  const w = (n: number) => (n / max) * half;
  return (
    <svg width={half * 2 + 2} height="14" role="img" aria-label={`${challenge} challenges, ${onRamp} on-ramps`}>
      <rect x={half - w(challenge)} y="2" width={w(challenge)} height="10" className="bar-challenge" />
      <rect x={half + 2} y="2" width={w(onRamp)} height="10" className="bar-onramp" />
      <line x1={half + 1} x2={half + 1} y1="0" y2="14" className="bar-axis" />
    </svg>
  );
}
