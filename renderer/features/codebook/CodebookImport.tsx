/**
 * Importing a codebook (.qdc from any REFI-QDA tool, or Cartography's CSV): pick the file
 * through the platform bridge, preview what will be added and what matches existing codes,
 * choose whether matched codes take the file's fields, then write it as one undoable change.
 * Nothing changes until Import; a refused file, Cancel or Escape change nothing.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import {
  CODE_FIELDS,
  describeImport,
  describePlan,
  planCodebookImport,
  readCodebookFile,
  type CodebookFile,
  type CodeField,
  type ImportMode,
} from '../../../shared/codebook/import-plan.ts';
import { newGuid } from '../../../shared/model/ids.ts';
import { CODE_KIND_LABELS, type Guid, type Stage } from '../../../shared/model/types.ts';
import type { OpenedFile } from '../../../shared/platform/bridge.ts';
import { useStudyHistory } from '../../app/history-context.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { useNotices } from '../../components/Notices.tsx';
import { importCodebook, loadImportBasis, type ImportBasis } from '../../data/codebook-import.ts';
import type { StudyCore } from '../../data/hooks.ts';
import { db } from '../../data/instance.ts';
import { platform } from '../../platform/platform.ts';
import './codebook-import.css';

const FORMAT_LABEL = { qdc: 'REFI-QDA codebook', csv: 'Codebook spreadsheet (CSV)' } as const;
const FIELD_LABEL: Record<CodeField, string> = { name: 'name', parent: 'parent', definition: 'definition', examples: 'examples', colour: 'colour', stage: 'stage', kind: 'kind', mode: 'mode', status: 'status' };
const PATH = ' › ';

interface Loaded {
  picked: OpenedFile;
  file: CodebookFile;
  basis: ImportBasis;
  now: string;
}

/** Reads the file against the study's codebook as it is now. */
async function load(picked: OpenedFile, studyId: Guid, coderId: Guid | null): Promise<Loaded> {
  const now = new Date().toISOString();
  const { stages } = await loadImportBasis(db, studyId);
  const file = readCodebookFile(picked.name, picked.bytes, stages, { studyId, now, coderId, newId: newGuid });
  const basis = await loadImportBasis(db, studyId, file.codes.map((c) => c.id));
  return { picked, file, basis, now };
}

/** The “Import codebook…” button and its dialog. */
export function CodebookImport({ core }: { core: StudyCore }) {
  const { notify } = useNotices();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [reading, setReading] = useState(false);
  const studyId = core.study.id;
  const coderId = core.study.activeCoderId;

  const choose = async () => {
    if (reading) return; // the button stays enabled while a file is read, so it keeps the focus the dialog gives back
    setReading(true);
    try {
      const [picked] = await platform.openFiles({ title: 'Import codebook', filters: [{ name: 'Codebook (REFI-QDA .qdc, CSV)', extensions: ['qdc', 'xml', 'csv'] }], multiple: false });
      if (picked) setLoaded(await load(picked, studyId, coderId));
    } catch (error) {
      notify('error', 'The codebook file could not be read; nothing was changed.', (error as Error).message);
    } finally {
      setReading(false);
    }
  };

  return (
    <>
      <button type="button" onClick={() => void choose()} aria-busy={reading}>
        Import codebook…
      </button>
      {loaded && (
        <CodebookImportDialog
          loaded={loaded}
          studyId={studyId}
          coderId={coderId}
          onReload={async () => setLoaded(await load(loaded.picked, studyId, coderId))}
          onClose={() => setLoaded(null)}
        />
      )}
    </>
  );
}

function CodebookImportDialog({ loaded, studyId, coderId, onReload, onClose }: { loaded: Loaded; studyId: Guid; coderId: Guid | null; onReload: () => Promise<void>; onClose: () => void }) {
  const { file, basis, now } = loaded;
  const history = useStudyHistory(studyId);
  const { notify } = useNotices();
  const [mode, setMode] = useState<ImportMode>('update');
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const refused = file.problems.length > 0;
  const plan = useMemo(
    () => (refused ? null : planCodebookImport(basis, file.codes, { mode, now, coderId, fileName: file.fileName, carried: file.carried, takenIds: basis.takenIds, newId: newGuid })),
    [basis, coderId, file, mode, now, refused],
  );

  // Focus starts on Close or Cancel, as in ConfirmDialog: Enter alone never imports. (This effect runs after
  // the Dialog's, whose showModal() would focus the scrolling preview.)
  const start = useRef<HTMLButtonElement>(null);
  useEffect(() => start.current?.focus(), []);

  const write = async () => {
    if (!plan || plan.nothingToChange || busy) return;
    setBusy(true);
    let failure: string | null = null;
    const done = await history.perform(async () => {
      try {
        return await importCodebook(db, studyId, plan);
      } catch (error) {
        failure = (error as Error).message;
        throw error;
      }
    });
    if (done) {
      notify('info', describeImport(plan), 'Edit → Undo (Ctrl+Z) takes the whole import back.');
      onClose();
      return;
    }
    // Refused (the codebook changed since the preview) or failed: nothing was written. Preview again.
    setBusy(false);
    setRefusal(failure ?? 'The codebook could not be imported; nothing was changed.');
    try {
      await onReload();
    } catch {
      // the old preview stays; importing it is refused again, with the same message
    }
  };

  const title = 'Import codebook';
  const actions = refused ? (
    <button type="submit" className="primary" ref={start}>
      Close
    </button>
  ) : (
    <>
      <button type="button" onClick={onClose} disabled={busy} ref={start}>
        Cancel
      </button>
      <button type="submit" className="primary" disabled={busy || !plan || plan.nothingToChange}>
        Import
      </button>
    </>
  );

  return (
    <Dialog
      title={title}
      onClose={() => {
        if (!busy) onClose();
      }}
      onSubmit={() => {
        if (refused) onClose();
        else void write();
      }}
      actions={actions}
    >
      <div className="codebook-import" aria-busy={busy}>
        <p className="codebook-import-file">
          File: <strong>{file.fileName}</strong> <span className="hint">({FORMAT_LABEL[file.format]})</span>
        </p>
        {refusal && (
          <p className="codebook-import-refusal" role="alert">
            {refusal}
          </p>
        )}
        {refused && (
          <section className="codebook-import-problems" aria-labelledby="codebook-import-problems">
            <h3 id="codebook-import-problems">This file cannot be imported</h3>
            <ul>
              {file.problems.map((p, i) => (
                <li key={i}>
                  <strong>{p.message}</strong> <span className="hint">{p.hint}</span>
                </li>
              ))}
            </ul>
            <p>Nothing was changed.</p>
          </section>
        )}
        {file.warnings.length > 0 && (
          <details className="codebook-import-warnings" open={file.warnings.length <= 4}>
            <summary>
              {file.warnings.length} {file.warnings.length === 1 ? 'note' : 'notes'} on reading the file
            </summary>
            <ul>
              {file.warnings.map((w, i) => (
                <li key={i}>{w}</li>
              ))}
            </ul>
          </details>
        )}
        {plan && (
          <>
            <p className="codebook-import-summary">{describePlan(plan)}</p>
            {plan.nothingToChange && <p className="codebook-import-nothing">Nothing to change: the codebook already has every code of this file as it is.</p>}
            {plan.counts.matched > 0 && (
              <fieldset className="codebook-import-mode">
                <legend>Codes that match existing codes</legend>
                <label>
                  <input type="radio" name="codebook-import-mode" value="update" checked={mode === 'update'} onChange={() => setMode('update')} /> Update them from the file
                  <span className="cell-note">Only the fields the file has are taken; each updated code’s history says what changed.</span>
                </label>
                <label>
                  <input type="radio" name="codebook-import-mode" value="keep" checked={mode === 'keep'} onChange={() => setMode('keep')} /> Keep them as they are
                  <span className="cell-note">Only new codes are added.</span>
                </label>
              </fieldset>
            )}
            {plan.notes.length > 0 && (
              <section aria-labelledby="codebook-import-notes">
                <h3 id="codebook-import-notes">Also</h3>
                <ul className="codebook-import-notes">
                  {plan.notes.map((n, i) => (
                    <li key={i}>{n}</li>
                  ))}
                </ul>
              </section>
            )}
            {plan.added.length > 0 && (
              <section aria-labelledby="codebook-import-added">
                <h3 id="codebook-import-added">Will be added ({plan.added.length})</h3>
                <div className="table-scroll codebook-import-table" tabIndex={0} role="region" aria-label="Codes that will be added">
                  <table className="data-table" aria-labelledby="codebook-import-added">
                    <thead>
                      <tr>
                        <th scope="col">Code</th>
                        <th scope="col">Place</th>
                        <th scope="col">Colour</th>
                      </tr>
                    </thead>
                    <tbody>
                      {plan.added.map((a) => (
                        <tr key={a.code.id}>
                          <th scope="row">
                            {a.path.join(PATH)}
                            {a.renamedFrom !== null && <span className="cell-note">“{a.renamedFrom}” in the file</span>}
                          </th>
                          <td>{placeLabel(basis.stages, a.code.stageId, a.code.kind)}</td>
                          <td>
                            <span className="swatch" style={{ background: a.code.color }} aria-hidden="true" /> {a.code.color}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </section>
            )}
            {plan.matched.length > 0 && (
              <section aria-labelledby="codebook-import-matched">
                <h3 id="codebook-import-matched">Matches existing ({plan.matched.length})</h3>
                <div className="table-scroll codebook-import-table" tabIndex={0} role="region" aria-label="Codes that match existing codes">
                  <table className="data-table" aria-labelledby="codebook-import-matched">
                    <thead>
                      <tr>
                        <th scope="col">Code</th>
                        <th scope="col">Matched by</th>
                        <th scope="col">Differences</th>
                        <th scope="col">On import</th>
                      </tr>
                    </thead>
                    <tbody>
                      {plan.matched.map((m) => (
                        <tr key={m.existing.id}>
                          <th scope="row">
                            {m.path.join(PATH)}
                            {m.incoming.name.trim() !== m.existing.name.trim() && <span className="cell-note">“{m.incoming.name}” in the file</span>}
                          </th>
                          <td>{m.by === 'guid' ? 'GUID' : 'Name'}</td>
                          <td>{m.differences.length === 0 ? <span className="missing">None</span> : CODE_FIELDS.filter((f) => m.differences.includes(f)).map((f) => FIELD_LABEL[f]).join(', ')}</td>
                          <td>{m.result !== null ? 'Updated' : m.differences.length === 0 ? 'Unchanged' : 'Kept as it is'}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </section>
            )}
          </>
        )}
      </div>
    </Dialog>
  );
}

function placeLabel(stages: readonly Stage[], stageId: Guid | null, kind: keyof typeof CODE_KIND_LABELS): string {
  const stage = stageId === null ? 'Cross-stage' : (stages.find((s) => s.id === stageId)?.name ?? 'Unknown stage');
  return `${stage} › ${CODE_KIND_LABELS[kind]}`;
}
