/**
 * The preview of a spreadsheet import (case attributes or participants): the file and its rows,
 * every problem (by file, column, row or cell) first, then each column with its samples, its
 * detected type and why, and what it is imported as, then what will change, row by row, with
 * before → after for each field. Nothing is written until Import, which stays disabled (and
 * says why) while there is a problem; a refused file shows its message; Cancel and Escape
 * change nothing.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { defaultMappings, planSheetImport, type ColumnMapping, type ReadSheet } from '../../../../shared/cases/spreadsheet-import.ts';
import { newGuid } from '../../../../shared/model/ids.ts';
import type { Guid } from '../../../../shared/model/types.ts';
import type { OpenedFile } from '../../../../shared/platform/bridge.ts';
import { useStudyHistory } from '../../../app/history-context.tsx';
import { Dialog } from '../../../components/Dialog.tsx';
import { useNotices } from '../../../components/Notices.tsx';
import { describeSheetImport, importSheet, planWritesNothing, type SheetBasis } from '../../../data/case-import.ts';
import { db } from '../../../data/instance.ts';
import { ColumnMappings } from './ColumnMappings.tsx';

export type LoadedSheet =
  | { state: 'read'; picked: OpenedFile; sheet: ReadSheet; basis: SheetBasis; now: string }
  | { state: 'refused'; picked: OpenedFile; fileName: string; message: string };

interface DialogProps {
  loaded: LoadedSheet;
  studyId: Guid;
  coderId: Guid | null;
  title: string;
  /** Reads the file again against the study as it is now (after a stale preview was refused). */
  onReload: () => Promise<void>;
  onClose: () => void;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function SheetImportDialog(props: DialogProps) {
  return props.loaded.state === 'refused' ? <RefusedSheet {...props} fileName={props.loaded.fileName} message={props.loaded.message} /> : <SheetPreview {...props} loaded={props.loaded} />;
}

function RefusedSheet({ title, fileName, message, onClose }: DialogProps & { fileName: string; message: string }) {
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => close.current?.focus(), []);
  return (
    <Dialog
      title={title}
      onClose={onClose}
      onSubmit={onClose}
      actions={
        <button type="submit" className="primary" ref={close}>
          Close
        </button>
      }
    >
      <div className="sheet-import">
        <p className="sheet-import-file">
          File: <strong>{fileName}</strong>
        </p>
        <section className="sheet-import-problems" aria-labelledby="sheet-import-refused">
          <h3 id="sheet-import-refused">This file cannot be imported</h3>
          <p className="sheet-import-message">{message}</p>
          <p>Nothing was changed.</p>
        </section>
      </div>
    </Dialog>
  );
}

function SheetPreview({ loaded, studyId, coderId, title, onReload, onClose }: DialogProps & { loaded: Extract<LoadedSheet, { state: 'read' }> }) {
  const { sheet, basis, now } = loaded;
  const history = useStudyHistory(studyId);
  const { notify } = useNotices();
  const [mappings, setMappings] = useState<ColumnMapping[]>(() => defaultMappings(sheet, basis));
  const [createMissing, setCreateMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const plan = useMemo(() => planSheetImport(sheet, mappings, basis, { createMissing, now, coderId, newId: newGuid }), [basis, coderId, createMissing, mappings, now, sheet]);
  const problems = plan.problems; // the file's own problems included
  const nothing = planWritesNothing(plan);
  const blocked =
    problems.length > 0
      ? `Import is not possible while there ${problems.length === 1 ? 'is a problem' : `are ${problems.length} problems`} (listed above). Correct the file and choose it again, or change how its columns are imported.`
      : nothing
        ? 'Nothing to import: the study already has every value of this file as it is.'
        : null;
  const isCases = sheet.kind === 'cases';
  const noun = isCases ? 'Case' : 'Participant';

  // Focus starts on Cancel, as in ConfirmDialog: Enter alone never imports.
  const start = useRef<HTMLButtonElement>(null);
  useEffect(() => start.current?.focus(), []);

  const write = async () => {
    if (blocked !== null || busy) return;
    setBusy(true);
    let failure: string | null = null;
    const done = await history.perform(async () => {
      try {
        return await importSheet(db, studyId, { plan, basis: basis.fingerprint, fileName: sheet.fileName });
      } catch (error) {
        failure = (error as Error).message;
        throw error;
      }
    });
    if (done) {
      notify('info', describeSheetImport(plan), 'Edit → Undo (Ctrl+Z) takes the whole import back.');
      onClose();
      return;
    }
    // Refused (the study changed since the preview) or failed: nothing was written. Preview again.
    setBusy(false);
    setRefusal(failure ?? 'The spreadsheet could not be imported; nothing was changed.');
    try {
      await onReload();
    } catch {
      // the old preview stays; importing it is refused again, with the same message
    }
  };

  const changed = plan.changes.filter((c) => c.action !== 'unchanged');
  return (
    <Dialog
      title={title}
      onClose={() => {
        if (!busy) onClose();
      }}
      onSubmit={() => void write()}
      actions={
        <>
          {blocked !== null && (
            <p className="sheet-import-blocked" id="sheet-import-blocked">
              {blocked}
            </p>
          )}
          <button type="button" onClick={onClose} disabled={busy} ref={start}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || blocked !== null} aria-describedby={blocked !== null ? 'sheet-import-blocked' : undefined}>
            Import
          </button>
        </>
      }
    >
      <div className="sheet-import" aria-busy={busy}>
        <p className="sheet-import-file">
          File: <strong>{sheet.fileName}</strong> <span className="hint">({plural(sheet.rows.length, 'row', 'rows')} below the header)</span>
        </p>
        {refusal && (
          <p className="sheet-import-refusal" role="alert">
            {refusal}
          </p>
        )}
        {problems.length > 0 && (
          <section className="sheet-import-problems" aria-labelledby="sheet-import-problems">
            <h3 id="sheet-import-problems">{plural(problems.length, 'problem', 'problems')} to correct before importing</h3>
            <ul>
              {problems.map((p, i) => (
                <li key={i}>{p.message}</li>
              ))}
            </ul>
          </section>
        )}
        <ColumnMappings sheet={sheet} attributes={basis.attributes} mappings={mappings} onChange={setMappings} />
        <label className="sheet-import-create">
          <input type="checkbox" checked={createMissing} onChange={(e) => setCreateMissing(e.target.checked)} />{' '}
          {isCases ? 'Create new cases for unknown names' : 'Create new participants for unknown pseudonyms'}
          <span className="cell-note">{isCases ? 'Otherwise a row whose case name the study does not have is a problem.' : 'Otherwise a row whose pseudonym the study does not have is a problem.'}</span>
        </label>
        <p className="sheet-import-summary">
          {isCases ? 'Cases' : 'Participants'}: {plan.counts.created} to add, {plan.counts.updated} to update, {plan.counts.unchanged} unchanged
          {isCases && `; ${plural(plan.counts.newAttributes, 'new attribute', 'new attributes')}`}.
        </p>
        {plan.changes.length > 0 && (
          <section aria-labelledby="sheet-import-changes">
            <h3 id="sheet-import-changes">What will change ({changed.length})</h3>
            <div className="table-scroll sheet-import-table" tabIndex={0} role="region" aria-label="Changes, row by row">
              <table className="data-table" aria-labelledby="sheet-import-changes">
                <thead>
                  <tr>
                    <th scope="col">Row</th>
                    <th scope="col">{noun}</th>
                    <th scope="col">Action</th>
                    <th scope="col">Changes</th>
                  </tr>
                </thead>
                <tbody>
                  {plan.changes.map((c) => (
                    <tr key={`${c.row}-${c.key}`} className={`sheet-change-${c.action}`}>
                      <td>{c.row}</td>
                      <th scope="row">{c.key}</th>
                      <td>{ACTION_LABEL[c.action]}</td>
                      <td>
                        {c.fields.length === 0 ? (
                          <span className="missing">None</span>
                        ) : (
                          <ul className="sheet-change-fields">
                            {c.fields.map((f) => (
                              <li key={f.name}>
                                <span className="sheet-change-name">{f.name}:</span> {f.before === '' ? <span className="missing">empty</span> : <span className="sheet-change-before">{f.before}</span>} →{' '}
                                {f.after === '' ? <span className="missing">empty</span> : <span className="sheet-change-after">{f.after}</span>}
                              </li>
                            ))}
                          </ul>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        )}
      </div>
    </Dialog>
  );
}

const ACTION_LABEL = { create: 'New', update: 'Updated', unchanged: 'Unchanged' } as const;
