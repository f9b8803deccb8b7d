/** The agreement table: one row per code and the overall row; choosing a code opens its disagreements. */
import { useId, useRef, useState, type KeyboardEvent } from 'react';
import { alphaBand, kappaBand, type AgreementResult, type AgreementStatistic } from '../../../shared/analysis/agreement.ts';
import type { Guid } from '../../../shared/model/types.ts';
import { useNotices } from '../../components/Notices.tsx';
import { platform } from '../../platform/platform.ts';
import { agreementToCsv, formatPercent, formatStatistic, kappaAbsence, UNIT_LABELS, type AgreementRow } from './agreement-view.ts';
import { fileStem } from '../../../shared/text/file-stem.ts';

interface Props {
  rows: readonly AgreementRow[];
  result: AgreementResult;
  coderNames: string[];
  selectedCodeId: Guid | null;
  disagreementCounts: ReadonlyMap<Guid, number>;
  overlap: number;
  studyName: string;
  onSelect: (codeId: Guid) => void;
}


function Statistic({ value, band, describedBy }: { value: number | null; band?: (v: number) => string; describedBy?: string | undefined }) {
  return (
    <td className="num" aria-describedby={value === null ? describedBy : undefined} title={value !== null && band ? band(value) : undefined}>
      {formatStatistic(value)}
    </td>
  );
}

export function AgreementTable({ rows, result, coderNames, selectedCodeId, disagreementCounts, overlap, studyName, onSelect }: Props) {
  const { notify } = useNotices();
  const [saving, setSaving] = useState(false);
  const captionId = useId();
  const kappaNoteId = useId();
  const buttons = useRef(new Map<Guid, HTMLButtonElement>());
  const twoCoders = coderNames.length === 2;
  const kappaNote = kappaAbsence(coderNames.length);

  const exportCsv = async () => {
    if (saving) return;
    setSaving(true);
    try {
      const csv = agreementToCsv(rows, result.overall, { unit: result.unit, overlap, coderNames });
      const saved = await platform.saveFile({
        title: 'Export the agreement table',
        suggestedName: `${fileStem(studyName)}-agreement-${result.unit}.csv`,
        filters: [{ name: 'Spreadsheet (CSV)', extensions: ['csv'] }],
        bytes: new TextEncoder().encode(csv),
      });
      if (saved.saved) notify('info', 'Exported the agreement table as CSV', saved.path ?? 'Saved to your downloads.');
    } catch (error) {
      notify('error', 'The agreement table could not be exported', `${(error as Error).message} Nothing was saved.`);
    } finally {
      setSaving(false);
    }
  };

  // Up and down move between the codes' buttons, as in a list.
  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const next = event.key === 'ArrowDown' ? index + 1 : event.key === 'ArrowUp' ? index - 1 : null;
    if (next === null || next < 0 || next >= rows.length) return;
    event.preventDefault();
    buttons.current.get(rows[next]!.codeId)?.focus();
  };

  const notes = (s: AgreementStatistic, withKappa: boolean) => [...s.notes, ...(withKappa && kappaNote && !s.notes.some((n) => /kappa/i.test(n)) ? [kappaNote] : [])].join(' ');

  return (
    <section className="agreement-table" aria-labelledby={captionId}>
      <div className="agreement-table-head">
        <h2 id={captionId}>
          {UNIT_LABELS[result.unit]} agreement of {coderNames.join(', ')}
        </h2>
        <button type="button" onClick={() => void exportCsv()} aria-disabled={saving}>
          {saving ? 'Exporting…' : 'Export CSV'}
        </button>
      </div>
      {!twoCoders && (
        <p id={kappaNoteId} className="hint">
          {kappaNote} Its column shows —.
        </p>
      )}
      <div className="table-scroll">
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Code</th>
              <th scope="col" className="num">
                Percent agreement
              </th>
              <th scope="col" className="num">
                Cohen’s κ
              </th>
              <th scope="col" className="num">
                Krippendorff’s α
              </th>
              <th scope="col" className="num">
                Units
              </th>
              <th scope="col" className="num">
                Disagreements
              </th>
              <th scope="col">Notes</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <tr>
                <td colSpan={7}>No chosen coder applied any of the chosen codes in the chosen documents.</td>
              </tr>
            )}
            {rows.map((row, index) => (
              <tr key={row.codeId} className={row.codeId === selectedCodeId ? 'selected' : undefined}>
                <th scope="row">
                  <button
                    type="button"
                    className="code-button"
                    ref={(el) => {
                      if (el) buttons.current.set(row.codeId, el);
                      else buttons.current.delete(row.codeId);
                    }}
                    aria-pressed={row.codeId === selectedCodeId}
                    onClick={() => onSelect(row.codeId)}
                    onKeyDown={(e) => onKeyDown(e, index)}
                  >
                    <span className="swatch" style={{ background: row.color }} aria-hidden="true" />
                    <span>
                      {row.path.map((part, i) => (
                        <span key={i} className={i < row.path.length - 1 ? 'path-parent' : undefined}>
                          {part}
                          {i < row.path.length - 1 ? ' › ' : ''}
                        </span>
                      ))}
                    </span>
                  </button>
                </th>
                <td className="num">{formatPercent(row.percent)}</td>
                <Statistic value={row.kappa} band={kappaBand} describedBy={!twoCoders ? kappaNoteId : undefined} />
                <Statistic value={row.alpha} band={alphaBand} />
                <td className="num">{row.units}</td>
                <td className="num">{disagreementCounts.get(row.codeId) ?? 0}</td>
                <td className="notes">{row.notes.join(' ')}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Overall</th>
              <td className="num">{formatPercent(result.overall.percent)}</td>
              <Statistic value={result.overall.kappa} band={kappaBand} describedBy={!twoCoders ? kappaNoteId : undefined} />
              <Statistic value={result.overall.alpha} band={alphaBand} />
              <td className="num">{result.overall.units}</td>
              <td className="num">{[...disagreementCounts.values()].reduce((a, b) => a + b, 0)}</td>
              <td className="notes">{notes(result.overall, true)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
    </section>
  );
}
