/**
 * Reports and exports: the codebook report (HTML or Markdown, with exemplar quotes and
 * optional anonymisation), the study as a REFI-QDA project for other QDA tools, and the
 * study file.
 */
import { useId, useState } from 'react';
import { buildCodebookReport } from '../../../shared/reports/report-model.ts';
import { reportToHtml } from '../../../shared/reports/report-html.ts';
import { reportToMarkdown } from '../../../shared/reports/report-markdown.ts';
import { studyToQdpxWithReport } from '../../../shared/refi/qdpx.ts';
import { useStudyActions } from '../../app/actions.tsx';
import { useNotices } from '../../components/Notices.tsx';
import type { StudyCore } from '../../data/hooks.ts';
import { db } from '../../data/instance.ts';
import { loadStudyRecords } from '../../data/studies.ts';
import { platform } from '../../platform/platform.ts';

const fileStem = (name: string) => name.replace(/[^\p{L}\p{N} _-]+/gu, '').trim().replace(/\s+/g, '-') || 'study';

/** "Acme => Org A" lines into replacement terms; lines without "=>" become "[removed]". */
function parseTerms(text: string): { term: string; replacement: string }[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const [term, replacement] = line.split('=>').map((part) => part.trim());
      return { term: term!, replacement: replacement || '[removed]' };
    })
    .filter((t) => t.term !== '');
}

export function ReportsArea({ core }: { core: StudyCore }) {
  const actions = useStudyActions();
  const { notify } = useNotices();
  const [exemplars, setExemplars] = useState(2);
  const [organisations, setOrganisations] = useState(false);
  const [terms, setTerms] = useState('');
  const [matrix, setMatrix] = useState(true);
  const [utf16, setUtf16] = useState(false);
  const [busy, setBusy] = useState(false);
  const ids = { exemplars: useId(), terms: useId() };
  const stem = fileStem(core.study.name);

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
  const report = async () =>
    buildCodebookReport(await loadStudyRecords(db, core.study.id), {
      exemplars,
      includeMatrix: matrix,
      anonymise: { participants: organisations, terms: parseTerms(terms) },
      now: new Date().toISOString(),
    });

  return (
    <div className="reports">
      <header className="area-header">
        <h1>Reports and exports</h1>
        <p className="lead">Take the study out of Cartography: a codebook report for a paper or an appendix, a project for another QDA tool, or the study file.</p>
      </header>
      <section className="panel" aria-labelledby="report-heading">
        <h2 id="report-heading">Codebook report</h2>
        <p>
          The study in numbers, then the codebook by stage and kind: every definition, how often each code was applied (segments, cases, participants), and exemplar quotes, each followed by who said it (participant pseudonym and case).
        </p>
        <div className="report-options">
          <div className="field">
            <label htmlFor={ids.exemplars}>Exemplar quotes per code</label>
            <input id={ids.exemplars} type="number" min={0} max={10} value={exemplars} onChange={(e) => setExemplars(Math.max(0, Math.min(10, Number(e.target.value) || 0)))} />
          </div>
          <label className="check">
            <input type="checkbox" checked={matrix} onChange={(e) => setMatrix(e.target.checked)} /> Include the case × code matrix
          </label>
          <label className="check">
            <input type="checkbox" checked={organisations} onChange={(e) => setOrganisations(e.target.checked)} /> Hide participants’ organisations
          </label>
          <div className="field">
            <label htmlFor={ids.terms}>Identifying terms to replace in every quote, one per line (“Acme Labs =&gt; a lab”)</label>
            <textarea id={ids.terms} rows={3} value={terms} onChange={(e) => setTerms(e.target.value)} />
          </div>
        </div>
        <div className="toolbar" role="group" aria-label="Export the codebook report">
          <button type="button" className="primary" disabled={busy} onClick={() => void save('the codebook report as HTML', `${stem}-codebook-report.html`, { name: 'Web page', extensions: ['html'] }, async () => ({ bytes: new TextEncoder().encode(reportToHtml(await report())) }))}>
            HTML report
          </button>
          <button type="button" disabled={busy} onClick={() => void save('the codebook report as Markdown', `${stem}-codebook-report.md`, { name: 'Markdown', extensions: ['md'] }, async () => ({ bytes: new TextEncoder().encode(reportToMarkdown(await report())) }))}>
            Markdown report
          </button>
        </div>
      </section>
      <section className="panel" aria-labelledby="qdpx-heading">
        <h2 id="qdpx-heading">REFI-QDA project (.qdpx)</h2>
        <p>For NVivo, MAXQDA, ATLAS.ti and QualCoder: coders, the codebook (with Cartography’s fields in each code’s description), case attributes, transcripts, codings, memos. What the format cannot hold is listed after the export.</p>
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
                return { bytes, detail: omitted.length > 0 ? `Not carried by the format: ${omitted.join('; ')}` : undefined };
              })
            }
          >
            Export .qdpx…
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
