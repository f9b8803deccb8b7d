/**
 * Importing a REFI-QDA project (.qdpx from NVivo, MAXQDA, ATLAS.ti, QualCoder, Taguette…, or a
 * bare .qde): the whole file is read and checked first, then the preview says what it holds,
 * how its positions were read and every decision taken; the researcher imports it as a new
 * study or merges it by GUID into the open study, with the same merge report and choices as
 * "Merge a teammate's work…" (one undoable change). Nothing is written before Import; a
 * refused file, Cancel or Escape change nothing.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { readQde, readQdpx, RefiImportError, type QdpxCounts, type QdpxImport } from '../../../shared/refi/qde-import.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { useNotices } from '../../components/Notices.tsx';
import { db } from '../../data/instance.ts';
import { importRefiAsStudy } from '../../data/refi-import.ts';
import { FailureAlert, type Failure } from '../../components/FailureAlert.tsx';
import { MERGE_REPORT_ROWS, MergeReport } from './MergeReport.tsx';
import { useMergePreview } from './use-merge-preview.ts';
import './refi-import.css';

/** Files the import reads as a REFI-QDA project. */
export const isRefiProject = (fileName: string) => /\.(qdpx|qde)$/i.test(fileName);
export const REFI_PROJECT_FILTER = { name: 'REFI-QDA project', extensions: ['qdpx', 'qde'] };

const numberFormat = new Intl.NumberFormat();

const FILE_COUNTS: [keyof QdpxCounts, string][] = [
  ['users', 'Users (coders)'],
  ['codes', 'Codes'],
  ['sets', 'Sets'],
  ['sources', 'Sources'],
  ['cases', 'Cases'],
  ['variables', 'Variables'],
  ['selections', 'Selections'],
  ['codings', 'Codings'],
  ['notes', 'Notes'],
  ['links', 'Links'],
];

/** The records a project becomes (a project has no participants). */
const RECORD_COUNTS = MERGE_REPORT_ROWS.filter(([key]) => key !== 'participants');

type Mode = 'new' | 'merge';

function failureOf(fileName: string, error: unknown): Failure {
  const title = `${fileName} cannot be imported; nothing was changed.`;
  if (error instanceof RefiImportError) return { title, problems: error.problems.map((p) => (p.where && p.where !== fileName ? `${p.where}: ${p.message}` : p.message)) };
  return { title, problems: [(error as Error).message] };
}

async function read(file: { name: string; bytes: Uint8Array }): Promise<QdpxImport> {
  const options = { now: new Date().toISOString() };
  return /\.qde$/i.test(file.name) ? readQde(file.bytes, file.name, new Map(), options) : readQdpx(file.bytes, file.name, options);
}

export function RefiImportDialog({
  file,
  openStudy,
  onClose,
  onImported,
}: {
  file: { name: string; bytes: Uint8Array };
  /** The study open when the import started: the one a merge goes into. */
  openStudy: { id: string; name: string } | null;
  onClose: () => void;
  onImported: (studyId: string) => void;
}) {
  const { notify } = useNotices();
  const [imported, setImported] = useState<QdpxImport | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [mode, setMode] = useState<Mode>('new');
  const [busy, setBusy] = useState(true);
  const cancel = useRef<HTMLButtonElement>(null);
  const mergeSource = useMemo(() => (imported && mode === 'merge' ? { fileName: file.name, from: 'refi' as const, records: imported.records } : null), [file.name, imported, mode]);
  const planned = useMergePreview(openStudy?.id ?? null, mergeSource);
  const merge = planned.preview;

  useEffect(() => {
    let live = true;
    read(file).then(
      (result) => live && (setImported(result), setBusy(false)),
      (error: unknown) => live && (setFailure(failureOf(file.name, error)), setBusy(false)),
    );
    return () => {
      live = false;
    };
  }, [file]);

  // Focus starts on Cancel: Enter alone never imports.
  useEffect(() => cancel.current?.focus(), [imported, failure]);

  const chooseMode = (next: Mode) => {
    if (next === 'merge' && !openStudy) return;
    setMode(next);
  };

  const write = async () => {
    if (!imported || busy) return;
    setBusy(true);
    if (mode === 'new') {
      try {
        const outcome = await importRefiAsStudy(db, imported);
        notify(
          'info',
          `Imported ${file.name} as “${outcome.name}”`,
          outcome.newGuids
            ? `${numberFormat.format(outcome.clashes)} of its GUIDs were already used${outcome.otherStudy ? ` by “${outcome.otherStudy}”` : ''}, so the new study got new GUIDs throughout. To update that study instead, open it and merge the file into it.`
            : undefined,
        );
        onImported(outcome.studyId);
      } catch (error) {
        setFailure(failureOf(file.name, error));
        setBusy(false);
      }
      return;
    }
    if (!merge || !openStudy) return;
    const refusal = await planned.merge(`Merge project “${file.name}”`);
    if (refusal === null) {
      notify('info', `Merged ${file.name} into “${openStudy.name}”`, 'Edit → Undo (Ctrl+Z) takes the whole merge back.');
      onImported(openStudy.id);
      return;
    }
    // Refused (the study changed since the preview, or GUIDs of another study): nothing written. Preview again.
    setFailure({ title: 'Nothing was merged.', problems: [refusal] });
    setMode('new');
    setBusy(false);
  };

  // The positions decision has a line of its own above the notes.
  const notes = imported?.notes.filter((n) => n !== imported.positions.reason) ?? [];
  const mergeBlocked = mode === 'merge' && (merge === null || merge.foreignClashes > 0 || planned.nothing);
  return (
    <Dialog
      title={`Import REFI-QDA project: ${file.name}`}
      onClose={onClose}
      onSubmit={() => void write()}
      actions={
        <>
          <button type="button" ref={cancel} onClick={onClose}>
            {imported ? 'Cancel' : 'Close'}
          </button>
          {imported && (
            <button type="submit" className="primary" disabled={busy || mergeBlocked}>
              {mode === 'merge' ? `Merge into “${openStudy?.name ?? ''}”` : 'Import as a new study'}
            </button>
          )}
        </>
      }
    >
      <div className="refi-import">
        {busy && !imported && !failure && <p aria-busy="true">Reading {file.name}…</p>}
        {failure && <FailureAlert failure={failure} />}
        {imported && (
          <>
            <p>
              “{imported.records.study.name}”. Nothing has been written yet. Check what the file holds and how Cartography will read it, then import it as a new study
              {openStudy ? ' or merge it into the open study' : ''}.
            </p>
            <div className="refi-import-counts">
              <table className="data-table" aria-label="What the file holds">
                <caption>In the file</caption>
                <tbody>
                  {FILE_COUNTS.map(([key, label]) => (
                    <tr key={key}>
                      <th scope="row">{label}</th>
                      <td className="num">{numberFormat.format(imported.counts[key])}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <table className="data-table" aria-label="What Cartography makes of it">
                <caption>In Cartography</caption>
                <tbody>
                  {RECORD_COUNTS.map(([key, label]) => (
                    <tr key={key}>
                      <th scope="row">{label}</th>
                      <td className="num">{numberFormat.format(imported.records[key].length)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <p className="refi-import-positions">
              <strong>Positions:</strong> {imported.positions.reason}
            </p>
            {notes.length > 0 && (
              <details open={notes.length <= 6}>
                <summary>
                  {notes.length} {notes.length === 1 ? 'note' : 'notes'} on the import
                </summary>
                <ul className="refi-import-notes">
                  {notes.map((n, i) => (
                    <li key={i}>{n}</li>
                  ))}
                </ul>
              </details>
            )}
            <fieldset className="refi-import-mode">
              <legend>Import into</legend>
              <label className="check">
                <input type="radio" name="refi-mode" checked={mode === 'new'} onChange={() => chooseMode('new')} /> A new study
              </label>
              <label className="check">
                <input type="radio" name="refi-mode" checked={mode === 'merge'} disabled={!openStudy} onChange={() => chooseMode('merge')} />{' '}
                {openStudy ? `The open study “${openStudy.name}”, matching records by GUID` : 'The open study (open a study first to merge into it)'}
              </label>
            </fieldset>
            {mode === 'merge' && planned.problem && (
              <p className="field-problem" role="alert">
                {file.name} cannot be merged into “{openStudy?.name}”; nothing was changed. {planned.problem}
              </p>
            )}
            {mode === 'merge' && planned.choiceProblem && (
              <p className="field-problem" role="alert">
                {planned.choiceProblem}
              </p>
            )}
            {mode === 'merge' && merge && <MergeReport preview={merge} onChoices={planned.choose} disabled={busy} />}
            {mode === 'merge' && !merge && !planned.problem && <p aria-busy="true">Comparing with the open study…</p>}
          </>
        )}
      </div>
    </Dialog>
  );
}
