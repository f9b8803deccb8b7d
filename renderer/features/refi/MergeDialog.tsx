/**
 * "Merge a teammate's work…": a teammate's .qdpx/.qde or study file (*.cartography.json)
 * merged into a study by GUID. The whole file is read and checked first; the merge report
 * lists what it adds, what matches and what is in conflict, with a choice per conflict and per
 * coder matched by name; Merge writes it as one undoable change. Nothing is written before
 * Merge; a refused file, Cancel or Escape change nothing.
 */
import { useEffect, useRef, useState } from 'react';
import { newGuid } from '../../../shared/model/ids.ts';
import { MERGE_SOURCE_EXTENSIONS, readMergeSource, type MergeSource } from '../../../shared/refi/merge-source.ts';
import { RefiImportError } from '../../../shared/refi/qde-import.ts';
import { StudyFileError } from '../../../shared/study-file/format.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { useNotices } from '../../components/Notices.tsx';
import { FailureAlert, type Failure } from '../../components/FailureAlert.tsx';
import { MergeReport } from './MergeReport.tsx';
import { useMergePreview } from './use-merge-preview.ts';
import './refi-import.css';

/** Files a teammate's work is merged from. */
export const MERGE_FILE_FILTERS = [{ name: 'Cartography study or REFI-QDA project', extensions: MERGE_SOURCE_EXTENSIONS }];

function problemsOf(error: unknown): string[] {
  if (error instanceof RefiImportError) return error.problems.map((p) => (p.where ? `${p.where}: ${p.message}` : p.message));
  if (error instanceof StudyFileError) return error.problems.map((p) => `${p.path}: ${p.message}`);
  return [(error as Error).message];
}

export function MergeDialog({
  file,
  study,
  onClose,
  onMerged,
}: {
  file: { name: string; bytes: Uint8Array };
  /** The study the teammate's work goes into. */
  study: { id: string; name: string };
  onClose: () => void;
  onMerged: (studyId: string) => void;
}) {
  const { notify } = useNotices();
  const [source, setSource] = useState<MergeSource | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);
  const cancel = useRef<HTMLButtonElement>(null);
  const planned = useMergePreview(study.id, source);

  useEffect(() => {
    let live = true;
    readMergeSource(file, { now: new Date().toISOString(), newId: newGuid }).then(
      (read) => live && setSource(read),
      (error: unknown) => live && setFailure({ title: `${file.name} cannot be merged; nothing was changed.`, problems: problemsOf(error) }),
    );
    return () => {
      live = false;
    };
  }, [file]);

  // Focus starts on Cancel: Enter alone never merges.
  useEffect(() => cancel.current?.focus(), [source, failure]);

  const preview = planned.preview;
  const shownFailure = failure ?? (planned.problem ? { title: `${file.name} cannot be merged into “${study.name}”; nothing was changed.`, problems: [planned.problem] } : null);
  const nothing = planned.nothing;

  const write = async () => {
    if (!preview || busy || preview.foreignClashes > 0 || nothing) return;
    setBusy(true);
    const refusal = await planned.merge(`Merge “${file.name}”`);
    if (refusal === null) {
      notify('info', `Merged ${file.name} into “${study.name}”`, 'Edit → Undo (Ctrl+Z) takes the whole merge back.');
      onMerged(study.id);
      return;
    }
    // Refused (the study changed since the preview, or GUIDs of another study): nothing written. Preview again.
    setFailure({ title: 'Nothing was merged.', problems: [refusal] });
    setBusy(false);
  };

  return (
    <Dialog
      title={`Merge a teammate’s work: ${file.name}`}
      onClose={onClose}
      onSubmit={() => void write()}
      actions={
        <>
          <button type="button" ref={cancel} onClick={onClose}>
            {preview ? 'Cancel' : 'Close'}
          </button>
          {preview && (
            <button type="submit" className="primary" disabled={busy || preview.foreignClashes > 0 || nothing}>
              Merge into “{study.name}”
            </button>
          )}
        </>
      }
    >
      <div className="refi-import">
        {!shownFailure && !preview && <p aria-busy="true">{source ? `Comparing ${file.name} with “${study.name}”…` : `Reading ${file.name}…`}</p>}
        {shownFailure && (
          <FailureAlert failure={shownFailure}>
            {failure?.title === 'Nothing was merged.' && (
              <button
                type="button"
                onClick={() => {
                  setFailure(null);
                  void planned.reload();
                }}
              >
                Compare again
              </button>
            )}
          </FailureAlert>
        )}
        {preview && source && !failure && (
          <>
            <p>
              {source.from === 'study-file' ? 'A Cartography study file' : 'A REFI-QDA project'} (“{source.records.study.name}”), compared with “{study.name}”. Nothing has been written yet: choose what to do with each
              conflict and coder below, then merge. Undo takes the whole merge back.
            </p>
            {nothing && <p role="status">The file holds nothing this study lacks, and every conflict keeps this study’s version: there is nothing to merge.</p>}
            {planned.choiceProblem && (
              <p className="field-problem" role="alert">
                {planned.choiceProblem}
              </p>
            )}
            <MergeReport preview={preview} onChoices={planned.choose} disabled={busy} />
            {source.notes.length > 0 && (
              <details>
                <summary>
                  {source.notes.length} {source.notes.length === 1 ? 'note' : 'notes'} on reading the file
                </summary>
                <ul className="refi-import-notes">
                  {source.notes.map((n, i) => (
                    <li key={i}>{n}</li>
                  ))}
                </ul>
              </details>
            )}
          </>
        )}
      </div>
    </Dialog>
  );
}
