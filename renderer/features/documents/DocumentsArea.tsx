import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo, useState, type DragEvent, type ReactNode } from 'react';
import { documentProgress } from '../../../shared/analysis/document-progress.ts';
import { IMPORT_EXTENSIONS } from '../../../shared/import/formats.ts';
import type { OpenedFile } from '../../../shared/platform/bridge.ts';
import { routeHash } from '../../app/route.ts';
import { ChoiceSelect } from '../../components/ChoiceSelect.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { TabList } from '../../components/TabList.tsx';
import type { StudyCore } from '../../data/hooks.ts';
import { db } from '../../data/instance.ts';
import { byName, loadStudySegments } from '../../data/studies.ts';
import { readBrowserFiles } from '../../platform/browser-bridge.ts';
import { platform } from '../../platform/platform.ts';
import { ImportDialog } from './ImportDialog.tsx';
import { TeamPanel } from './TeamPanel.tsx';

const ALL = '';

type DocumentsTab = 'transcripts' | 'team';
const TABS: readonly { id: DocumentsTab; label: string }[] = [
  { id: 'transcripts', label: 'Transcripts' },
  { id: 'team', label: 'Team' },
];

export function DocumentsArea({ core }: { core: StudyCore }) {
  const studyId = core.study.id;
  const data = useLiveQuery(async () => {
    const [documents, participants, segments] = await Promise.all([
      db.documents.where('studyId').equals(studyId).toArray(),
      db.participants.where('studyId').equals(studyId).toArray(),
      loadStudySegments(db, studyId),
    ]);
    return { documents: documents.sort((a, b) => byName(a.title, b.title)), participants, segments };
  }, [studyId]);
  const [caseFilter, setCaseFilter] = useState(ALL);
  const [participantFilter, setParticipantFilter] = useState(ALL);
  const [stageFilter, setStageFilter] = useState(ALL);
  const [importing, setImporting] = useState<OpenedFile[] | null>(null);
  const [dragging, setDragging] = useState(false);
  const [tab, setTab] = useState<DocumentsTab>('transcripts');

  const progress = useMemo(() => (data ? documentProgress(data.documents, data.segments, core.codes) : new Map()), [data, core.codes]);
  const caseName = new Map(core.cases.map((c) => [c.id, c.name]));
  const stageName = new Map(core.stages.map((s) => [s.id, s.name]));

  if (data === undefined) return <p aria-busy="true">Loading documents…</p>;
  const chooseFiles = async () => {
    const files = await platform.openFiles({ title: 'Import transcripts', filters: [{ name: 'Transcripts', extensions: [...IMPORT_EXTENSIONS] }], multiple: true });
    if (files.length > 0) setImporting(files);
  };
  const hasFiles = (e: DragEvent) => e.dataTransfer.types.includes('Files');
  // The whole area takes dropped files: the drop target is wherever the researcher lets go.
  const frame = (content: ReactNode) => (
    <div
      className={`documents-area${dragging ? ' dragging' : ''}`}
      onDragEnter={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragOver={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setDragging(true);
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={async (e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        setDragging(false);
        const files = await readBrowserFiles(Array.from(e.dataTransfer.files));
        if (files.length > 0) setImporting(files);
      }}
    >
      {content}
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          Drop transcripts to import them
        </div>
      )}
      {importing && <ImportDialog core={core} participants={data.participants} files={importing} onClose={() => setImporting(null)} />}
    </div>
  );
  const importButton = (
    <button type="button" className="primary" onClick={() => void chooseFiles()}>
      Import transcripts…
    </button>
  );

  if (data.documents.length === 0) {
    return frame(
      <EmptyState title="No transcripts yet" action={importButton}>
        <p>Documents are the interview transcripts you code. Each belongs to a case and names its participants; the coding view shows who speaks.</p>
        <p>
          Import transcripts with the button below, or drop files onto this page: plain text (.txt), Markdown (.md), Word (.docx), PDF (.pdf), subtitles (.vtt, .srt), and CSV
          files of turns or coded excerpts. You choose each transcript’s case and participants before anything is saved.
        </p>
      </EmptyState>,
    );
  }
  const names = new Map(data.participants.map((p) => [p.id, p.pseudonym]));
  const [stageMode, stageId] = stageFilter.split(':');
  const rows = data.documents.filter((d) => {
    if (caseFilter !== ALL && d.caseId !== caseFilter) return false;
    if (participantFilter !== ALL && !d.participantIds.includes(participantFilter)) return false;
    if (stageFilter !== ALL) {
      const touches = progress.get(d.id)?.stageIds.includes(stageId!) ?? false;
      if ((stageMode === 'with') !== touches) return false;
    }
    return true;
  });

  return frame(
    <>
      <header className="area-header documents-header">
        <div>
          <h1>Documents</h1>
          <p className="lead">
            {data.documents.length} transcripts. Open one to code it. Progress is the share of each transcript’s text that carries at least one code.
          </p>
        </div>
        <div className="import-action">
          {importButton}
          <span className="hint">or drop files here</span>
        </div>
      </header>
      <div className="filters" role="group" aria-label="Filter transcripts">
        <ChoiceSelect label="Case" value={caseFilter} emptyLabel="All cases" choices={core.cases.map((c) => ({ value: c.id, label: c.name }))} onChange={setCaseFilter} />
        <ChoiceSelect
          label="Participant"
          value={participantFilter}
          emptyLabel="All participants"
          choices={[...data.participants].sort((a, b) => byName(a.pseudonym, b.pseudonym)).map((p) => ({ value: p.id, label: p.pseudonym }))}
          onChange={setParticipantFilter}
        />
        <label className="inline-field">
          <span>Stage coverage</span>
          <select aria-label="Stage coverage" value={stageFilter} onChange={(e) => setStageFilter(e.target.value)}>
            <option value={ALL}>Any</option>
            {core.stages.map((s) => (
              <option key={`with-${s.id}`} value={`with:${s.id}`}>
                Coded for {s.name}
              </option>
            ))}
            {core.stages.map((s) => (
              <option key={`without-${s.id}`} value={`without:${s.id}`}>
                Not yet coded for {s.name}
              </option>
            ))}
          </select>
        </label>
        <span className="count" role="status">
          {rows.length === data.documents.length ? `${rows.length} shown` : `${rows.length} of ${data.documents.length} shown`}
        </span>
      </div>
      <TabList tabs={TABS} value={tab} onChange={setTab} label="Documents" idPrefix="documents-tab" panelId="documents-panel" />
      <div id="documents-panel" role="tabpanel" aria-labelledby={`documents-tab-${tab}`}>
        {tab === 'team' ? (
          <TeamPanel core={core} documents={rows} />
        ) : (
          <div className="table-scroll" tabIndex={0} role="region" aria-label="Scrollable table">
            <table className="data-table" aria-label="Transcripts">
              <thead>
                <tr>
                  <th scope="col">Title</th>
                  <th scope="col">Case</th>
                  <th scope="col">Participants</th>
                  <th scope="col" className="num">Words</th>
                  <th scope="col" className="num">Codings</th>
                  <th scope="col">Progress</th>
                  <th scope="col">Stages coded</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((d) => {
                  const p = progress.get(d.id);
                  const percent = Math.round((p?.share ?? 0) * 100);
                  return (
                    <tr key={d.id}>
                      <th scope="row">
                        <a href={routeHash({ screen: 'study', studyId, area: 'coding', item: d.id })}>{d.title}</a>
                      </th>
                      <td>{d.caseId ? caseName.get(d.caseId) : <span className="missing">—</span>}</td>
                      <td>{d.participantIds.map((id) => names.get(id) ?? '?').join(', ')}</td>
                      <td className="num">{d.wordCount.toLocaleString()}</td>
                      <td className="num">{d.codingCount}</td>
                      <td>
                        <span className="progress" role="img" aria-label={`${percent}% of the text coded`}>
                          <span className="progress-bar" style={{ width: `${percent}%` }} />
                        </span>{' '}
                        <span className="cell-note inline">{percent}%</span>
                      </td>
                      <td>{core.stages.filter((s) => p?.stageIds.includes(s.id)).map((s) => stageName.get(s.id)).join(', ') || <span className="missing">none yet</span>}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            {rows.length === 0 && <p className="hint">No transcript matches these filters.</p>}
          </div>
        )}
      </div>
    </>,
  );
}
