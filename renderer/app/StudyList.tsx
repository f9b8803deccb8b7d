import { useState } from 'react';
import { readBrowserFiles } from '../platform/browser-bridge.ts';
import { useStudies } from '../data/hooks.ts';
import { BACKUP_NOW_LABEL, useStudyActions } from './actions.tsx';
import { routeHash } from './route.ts';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function StudyList() {
  const studies = useStudies();
  const actions = useStudyActions();
  const [dragging, setDragging] = useState(false);

  return (
    <main
      id="main"
      className={`study-list-screen${dragging ? ' dragging' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={async (e) => {
        e.preventDefault();
        setDragging(false);
        await actions.importOpenedFiles(await readBrowserFiles(Array.from(e.dataTransfer.files)));
      }}
    >
      <header className="screen-header">
        <div>
          <h1>Studies</h1>
          <p className="hint">Each study keeps its own cases, transcripts, codebook and maps. Studies are stored on this computer only.</p>
        </div>
        <div className="toolbar">
          <button type="button" className="primary" onClick={actions.newStudy}>
            New study
          </button>
          <button type="button" onClick={() => void actions.importStudies()}>
            Import study…
          </button>
          <button type="button" onClick={() => actions.restoreBackup(null)}>
            Restore from backup…
          </button>
          <button type="button" onClick={actions.backupSettings}>
            Backups…
          </button>
          <button type="button" onClick={actions.resetDemo}>
            Reset demo study
          </button>
        </div>
      </header>
      {studies === undefined ? (
        <p aria-busy="true">Loading studies…</p>
      ) : studies.length === 0 ? (
        <section className="empty-state">
          <h2>No studies yet</h2>
          <p>Create a new study, import a study file (or drop one here), or bring back the demo study to explore Cartography.</p>
        </section>
      ) : (
        <table className="data-table study-table">
          <caption className="visually-hidden">Your studies</caption>
          <thead>
            <tr>
              <th scope="col">Study</th>
              <th scope="col" className="num">Cases</th>
              <th scope="col" className="num">Documents</th>
              <th scope="col" className="num">Codes</th>
              <th scope="col" className="num">Codings</th>
              <th scope="col">Last changed</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {studies.map(({ study, cases, documents, codes, codings }) => (
              <tr key={study.id}>
                <th scope="row">
                  <a className="study-link" href={routeHash({ screen: 'study', studyId: study.id, area: 'overview', item: null })}>
                    {study.name}
                  </a>
                  {study.isDemo && <span className="badge">Demo</span>}
                </th>
                <td className="num">{cases}</td>
                <td className="num">{documents}</td>
                <td className="num">{codes}</td>
                <td className="num">{codings}</td>
                <td>{dateFormat.format(new Date(study.modifiedAt))}</td>
                <td className="row-actions">
                  <button type="button" onClick={() => actions.renameStudy(study)} aria-label={`Rename ${study.name}`}>
                    Rename
                  </button>
                  <button type="button" onClick={() => void actions.duplicateStudy(study)} aria-label={`Duplicate ${study.name}`}>
                    Duplicate
                  </button>
                  <button type="button" onClick={() => void actions.exportStudy(study)} aria-label={`Export ${study.name}`}>
                    Export
                  </button>
                  <button type="button" onClick={() => void actions.mergeTeammateWork(study)} aria-label={`Merge a teammate’s work into ${study.name}`} title="Merge a teammate’s study file or REFI-QDA project into this study">
                    Merge…
                  </button>
                  <button type="button" onClick={() => void actions.backUpStudy(study)} aria-label={`Back up ${study.name}${BACKUP_NOW_LABEL === 'Download backup' ? ' (download)' : ''}`}>
                    Back up
                  </button>
                  <button type="button" className="danger-quiet" onClick={() => actions.deleteStudy(study)} aria-label={`Delete ${study.name}`}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
