/**
 * Reports and exports: the codebook report (HTML, Markdown, Word or PDF; chosen stages and
 * codes, exemplar quotes pinned or chosen by a stated rule, optional anonymisation, matrix and
 * lifecycle map), the study as a REFI-QDA project for other QDA tools, and the study file.
 * The report's options and pins are remembered per study (renderer/data/reports.ts).
 */
import { useEffect, useId, useMemo, useState } from 'react';
import { AUTOMATIC_RULE_NOTE, MAX_EXEMPLARS } from '../../../shared/reports/report-model.ts';
import type { Guid } from '../../../shared/model/types.ts';
import { studyToQdpxWithReport } from '../../../shared/refi/qdpx.ts';
import { useStudyActions } from '../../app/actions.tsx';
import { useNotices } from '../../components/Notices.tsx';
import type { StudyCore } from '../../data/hooks.ts';
import { db } from '../../data/instance.ts';
import { DEFAULT_REPORT_SETTINGS, getReportPins, getReportSettings, REPORT_FORMATS, saveCodePins, saveReportSettings, type ReportPins, type ReportSettings } from '../../data/reports.ts';
import { loadStudyRecords } from '../../data/studies.ts';
import { platform } from '../../platform/platform.ts';
import { PinExemplars } from './PinExemplars.tsx';
import { ReportSelectionFields } from './ReportSelectionFields.tsx';
import { FORMAT_DETAILS, makeReportFile } from './report-export.ts';
import { reportSelection } from './report-selection.ts';
import './reports.css';
import { fileStem } from '../../../shared/text/file-stem.ts';


export function ReportsArea({ core }: { core: StudyCore }) {
  const actions = useStudyActions();
  const { notify } = useNotices();
  const studyId = core.study.id;
  // Options and pins as saved for this study; `loadedFor` says which study they belong to.
  const [state, setState] = useState<{ loadedFor: Guid | null; settings: ReportSettings; pins: ReportPins }>({ loadedFor: null, settings: DEFAULT_REPORT_SETTINGS, pins: {} });
  const [utf16, setUtf16] = useState(false);
  const [busy, setBusy] = useState(false);
  const ids = { exemplars: useId(), terms: useId(), rule: useId(), format: useId() };
  const stem = fileStem(core.study.name);
  const { settings, pins } = state;

  useEffect(() => {
    let current = true;
    void Promise.all([getReportSettings(db, studyId), getReportPins(db, studyId)]).then(([saved, savedPins]) => {
      if (current) setState({ loadedFor: studyId, settings: saved, pins: savedPins });
    });
    return () => {
      current = false;
    };
  }, [studyId]);

  const selection = useMemo(() => reportSelection(core.stages, core.codes, settings), [core.stages, core.codes, settings]);

  const update = (change: Partial<ReportSettings>) => {
    const next = { ...settings, ...change };
    setState((s) => ({ ...s, settings: next }));
    saveReportSettings(db, studyId, next).catch((error: unknown) => notify('error', 'The report options could not be saved.', (error as Error).message));
  };
  const setPins = (codeId: Guid, segmentIds: Guid[]) => {
    setState((s) => ({ ...s, pins: { ...s.pins, [codeId]: segmentIds } }));
    saveCodePins(db, studyId, codeId, segmentIds)
      .then((saved) => setState((s) => ({ ...s, pins: saved })))
      .catch((error: unknown) => notify('error', 'The pinned exemplars could not be saved.', (error as Error).message));
  };

  const save = async (what: string, suggestedName: string, filter: { name: string; extensions: string[] }, make: () => Promise<{ bytes: Uint8Array; detail?: string }>) => {
    setBusy(true);
    try {
      const { bytes, detail } = await make();
      const result = await platform.saveFile({ title: `Export ${what}`, suggestedName, filters: [filter], bytes });
      if (result.saved) notify('info', `Exported ${what}`, [result.path ?? 'Saved to your downloads.', detail].filter(Boolean).join('\n'));
    } catch (error) {
      notify('error', `${what.charAt(0).toUpperCase()}${what.slice(1)} could not be exported; nothing was saved.`, (error as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const format = FORMAT_DETAILS[settings.format];
  const exportReport = () =>
    void save(`the codebook report as ${format.label}`, `${stem}-codebook-report.${format.extension}`, { name: format.filter, extensions: [format.extension] }, () =>
      makeReportFile(db, { id: studyId, name: core.study.name }, settings, selection, pins),
    );

  return (
    <div className="reports">
      <header className="area-header">
        <h1>Reports and exports</h1>
        <p className="lead">Take the study out of Cartography: a codebook report for a paper or an appendix, a project for another QDA tool, or the study file.</p>
      </header>
      <section className="panel" aria-labelledby="report-heading" aria-busy={state.loadedFor !== studyId}>
        <h2 id="report-heading">Codebook report</h2>
        <p>
          The study in numbers, then the codebook by stage and kind: every definition, how often each code was applied (segments, cases, participants), and exemplar quotes, each followed by who said it (participant pseudonym and case).
        </p>
        <fieldset className="report-formats">
          <legend>Format</legend>
          {REPORT_FORMATS.map((f) => (
            <label key={f} className="format-choice">
              <input type="radio" name={ids.format} value={f} checked={settings.format === f} onChange={() => update({ format: f })} />
              <span>
                <strong>{FORMAT_DETAILS[f].label}</strong> <span className="hint">{FORMAT_DETAILS[f].what}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <ReportSelectionFields selection={selection} settings={settings} onChange={update} />
        <div className="report-options">
          <div className="field">
            <label htmlFor={ids.exemplars}>Exemplar quotes per code</label>
            <input
              id={ids.exemplars}
              type="number"
              min={0}
              max={MAX_EXEMPLARS}
              value={settings.exemplars}
              aria-describedby={ids.rule}
              onChange={(e) => update({ exemplars: Math.max(0, Math.min(MAX_EXEMPLARS, Number(e.target.value) || 0)) })}
            />
            <p className="hint" id={ids.rule}>
              Pinned quotes come first, in your order, then the code’s typical examples taken from a coded segment. {AUTOMATIC_RULE_NOTE}
            </p>
          </div>
          <details className="pin-panel">
            <summary>Pin exemplars{Object.keys(pins).length > 0 ? ` (${Object.values(pins).reduce((n, l) => n + l.length, 0)} pinned)` : ''}</summary>
            <PinExemplars core={core} groups={selection.groups} pins={pins} onPins={setPins} />
          </details>
          <label className="check">
            <input type="checkbox" checked={settings.includeMatrix} onChange={(e) => update({ includeMatrix: e.target.checked })} /> Include the case × code matrix
          </label>
          <label className="check">
            <input type="checkbox" checked={settings.includeMaps} onChange={(e) => update({ includeMaps: e.target.checked })} /> Include the maps (the lifecycle map of the chosen stages; Markdown lists it by title)
          </label>
          <label className="check">
            <input type="checkbox" checked={settings.hideOrganisations} onChange={(e) => update({ hideOrganisations: e.target.checked })} /> Hide participants’ organisations
          </label>
          <div className="field">
            <label htmlFor={ids.terms}>Identifying terms to replace in every quote, one per line (“Acme Labs =&gt; a lab”)</label>
            <textarea id={ids.terms} rows={3} value={settings.terms} onChange={(e) => update({ terms: e.target.value })} />
          </div>
        </div>
        <div className="toolbar" role="group" aria-label="Export the codebook report">
          <button type="button" className="primary" disabled={busy || state.loadedFor !== studyId} onClick={exportReport} aria-busy={busy}>
            Export the report as {format.label}…
          </button>
          <span className="hint">
            {selection.included === selection.total ? `All ${selection.total} codes` : `${selection.included} of ${selection.total} codes`}, {settings.exemplars} exemplars per code
          </span>
        </div>
      </section>
      <section className="panel" aria-labelledby="qdpx-heading">
        <h2 id="qdpx-heading">REFI-QDA project (.qdpx)</h2>
        <p>
          For NVivo, MAXQDA, ATLAS.ti and QualCoder: coders, the codebook (with Cartography’s fields in each code’s description), case attributes, transcripts, codings, memos. What the format cannot hold is listed after the export.
          A project from another tool (or from a co-author) imports as a new study or merges into this one by GUID, after a preview.
        </p>
        <label className="check">
          <input type="checkbox" checked={utf16} onChange={(e) => setUtf16(e.target.checked)} /> Positions in UTF-16 units, as NVivo writes them (the standard counts characters)
        </label>
        <div className="toolbar">
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              void save('the REFI-QDA project', `${stem}.qdpx`, { name: 'REFI-QDA project', extensions: ['qdpx'] }, async () => {
                const { bytes, omitted } = studyToQdpxWithReport(await loadStudyRecords(db, core.study.id), { origin: `Cartography ${__APP_VERSION__}`, positions: utf16 ? 'utf16' : 'code-points' });
                return { bytes, detail: omitted.length > 0 ? `Not carried by the format:\n${omitted.map((line) => `• ${line}`).join('\n')}` : undefined };
              })
            }
          >
            Export .qdpx…
          </button>
          <button type="button" disabled={busy} onClick={() => void actions.importProject()}>
            Import .qdpx…
          </button>
        </div>
      </section>
      <section className="panel" aria-labelledby="study-file-heading">
        <h2 id="study-file-heading">Study file</h2>
        <p>
          One JSON file with everything in “{core.study.name}”: cases and their attributes, participants, transcripts, the codebook, codings, memos,
          actors and ties. Import it with File → Import study; identifiers are kept, so it reopens as the same study.
        </p>
        <button type="button" className="primary" onClick={() => void actions.exportStudy(core.study)}>
          Export study file…
        </button>
      </section>
    </div>
  );
}
