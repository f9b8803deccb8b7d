/**
 * "Restore from backup…": pick a backup (the backups folder on the desktop, a file in the
 * browser or on the desktop), see what it holds, then Replace, Restore as a copy or Cancel.
 * The whole file is read and checked for the preview, before anything is written; a
 * problem is shown here, with the places in the file, and the database is left as it was.
 */
import { useEffect, useState } from 'react';
import type { Guid } from '../../../shared/model/types.ts';
import type { BackupEntry, PlatformBridge } from '../../../shared/platform/bridge.ts';
import { StudyFileError } from '../../../shared/study-file/format.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { FailureAlert, type Failure } from '../../components/FailureAlert.tsx';
import { previewBackup, restoreBackup, type BackupPreview, type RestoreMode } from '../../data/backups.ts';
import { db } from '../../data/instance.ts';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const numberFormat = new Intl.NumberFormat();

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}


/** A failure as the researcher reads it: what could not be done, and each place in the file that is wrong. */
export function describeFailure(fileName: string, error: unknown, doing: 'read' | 'restore'): Failure {
  const title = doing === 'read' ? `${fileName} cannot be restored; nothing was changed.` : `${fileName} was not restored; nothing was changed.`;
  if (error instanceof StudyFileError) return { title, problems: error.problems.map((p) => `${p.path}: ${p.message}`) };
  return { title, problems: [(error as Error).message] };
}

interface Chosen {
  preview: BackupPreview;
  text: string;
  size: number;
}

export function RestoreBackupDialog({
  platform,
  studyId,
  onClose,
  onRestored,
}: {
  platform: PlatformBridge;
  /** The open study, whose backups are listed first (null on the list of studies). */
  studyId: Guid | null;
  onClose: () => void;
  onRestored: (restored: { studyId: Guid; mode: RestoreMode; name: string }) => void;
}) {
  const desktop = platform.kind === 'desktop';
  const [backups, setBackups] = useState<BackupEntry[] | null>(desktop ? null : []);
  const [chosen, setChosen] = useState<Chosen | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!desktop) return;
    let live = true;
    platform.listBackups(null).then(
      (all) => live && setBackups(all),
      (error: unknown) => live && (setBackups([]), setFailure({ title: 'The backups folder could not be listed.', problems: [(error as Error).message] })),
    );
    return () => {
      live = false;
    };
  }, [desktop, platform]);

  const preview = async (fileName: string, read: () => Promise<Uint8Array>) => {
    setBusy(true);
    setFailure(null);
    setChosen(null);
    try {
      const bytes = await read();
      const { preview: p, text } = await previewBackup(db, bytes, fileName);
      setChosen({ preview: p, text, size: bytes.byteLength });
    } catch (error) {
      setFailure(describeFailure(fileName, error, 'read'));
    } finally {
      setBusy(false);
    }
  };

  const chooseFile = async () => {
    try {
      const [file] = await platform.openFiles({ title: 'Restore from backup', filters: [{ name: 'Cartography backup', extensions: ['json'] }], multiple: false });
      if (file) await preview(file.name, async () => file.bytes);
    } catch (error) {
      setFailure({ title: 'The file could not be opened.', problems: [(error as Error).message] });
    }
  };

  const restore = async (mode: RestoreMode) => {
    if (!chosen) return;
    setBusy(true);
    try {
      const id = await restoreBackup(db, chosen.text, chosen.preview.fileName, mode);
      onRestored({ studyId: id, mode, name: chosen.preview.studyName });
    } catch (error) {
      setFailure(describeFailure(chosen.preview.fileName, error, 'restore'));
      setBusy(false);
    }
  };

  const prefix = studyId?.slice(0, 8).toLowerCase() ?? null;
  const ofThisStudy = backups?.filter((b) => b.studyIdPrefix === prefix) ?? [];
  const ofOthers = backups?.filter((b) => b.studyIdPrefix !== prefix) ?? [];
  const existing = chosen?.preview.existing ?? null;

  return (
    <Dialog
      title="Restore from backup"
      onClose={onClose}
      actions={
        <>
          <button type="button" onClick={onClose} autoFocus>
            Cancel
          </button>
          {chosen && (
            <>
              <button type="button" disabled={busy} onClick={() => void restore('copy')}>
                Restore as a copy
              </button>
              <button type="button" className={existing ? 'danger' : 'primary'} disabled={busy} onClick={() => void restore('replace')}>
                {existing ? `Replace “${existing.name}”` : 'Restore'}
              </button>
            </>
          )}
        </>
      }
    >
      <>
        {desktop && (
          <section aria-labelledby="backups-heading">
            <h3 id="backups-heading">Backups on this computer</h3>
            {backups === null ? (
              <p aria-busy="true">Listing backups…</p>
            ) : backups.length === 0 ? (
              <p className="hint">No backups yet. Cartography writes them every few minutes while a study changes, and File → Back up now writes one at once.</p>
            ) : (
              <>
                {ofThisStudy.length > 0 && <BackupTable caption="This study" entries={ofThisStudy} busy={busy} onChoose={(b) => void preview(b.fileName, () => platform.readBackup(b.fileName))} />}
                {ofOthers.length > 0 && <BackupTable caption={prefix ? 'Other studies' : 'All studies'} entries={ofOthers} busy={busy} onChoose={(b) => void preview(b.fileName, () => platform.readBackup(b.fileName))} />}
              </>
            )}
          </section>
        )}
        <p>
          {desktop ? 'Or restore from a study file elsewhere: ' : 'Choose a backup you downloaded (a *.cartography.json file): '}
          <button type="button" disabled={busy} onClick={() => void chooseFile()}>
            Choose a backup file…
          </button>
        </p>
        {busy && !chosen && <p aria-busy="true">Reading the backup…</p>}
        {failure && (
          <FailureAlert failure={failure}>
            <p>Each line names a place in the file and what is wrong there. Choose another backup.</p>
          </FailureAlert>
        )}
        {chosen && <PreviewOf chosen={chosen} />}
      </>
    </Dialog>
  );
}

function BackupTable({ caption, entries, busy, onChoose }: { caption: string; entries: BackupEntry[]; busy: boolean; onChoose: (entry: BackupEntry) => void }) {
  return (
    <table className="data-table backup-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Study</th>
          <th scope="col">Backed up</th>
          <th scope="col" className="num">Size</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {entries.map((b) => (
          <tr key={b.fileName}>
            <td>{b.studySlug}</td>
            <td>{dateFormat.format(new Date(b.date))}</td>
            <td className="num">{formatSize(b.size)}</td>
            <td>
              <button type="button" disabled={busy} onClick={() => onChoose(b)} aria-label={`Preview the backup of ${b.studySlug} from ${dateFormat.format(new Date(b.date))}`}>
                Preview
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function PreviewOf({ chosen }: { chosen: Chosen }) {
  const { preview, size } = chosen;
  const counts: [string, number][] = [
    ['Documents', preview.documents],
    ['Codes', preview.codes],
    ['Codings', preview.codings],
    ['Memos', preview.memos],
    ['Cases', preview.cases],
  ];
  return (
    <section className="backup-preview" aria-labelledby="backup-preview-heading">
      <h3 id="backup-preview-heading">“{preview.studyName}” in this backup</h3>
      <dl className="stats" aria-label="What the backup holds">
        {counts.map(([term, value]) => (
          <div className="stat" key={term}>
            <dt>{term}</dt>
            <dd data-count={term.toLowerCase()}>{numberFormat.format(value)}</dd>
          </div>
        ))}
      </dl>
      <p>
        Last modified {dateFormat.format(new Date(preview.modifiedAt))}; {preview.settings} saved setting{preview.settings === 1 ? '' : 's'} (matrix views, map
        positions…). {preview.fileName}, {formatSize(size)}.
      </p>
      {preview.existing ? (
        <p className="hint">
          <strong>Replace</strong> puts “{preview.existing.name}” back as it was in this backup: what it holds now (records and saved settings) is deleted, and its
          undo history is cleared, so the replacement cannot be undone. <strong>Restore as a copy</strong> keeps it and adds the backup beside it, with new
          identifiers.
        </p>
      ) : (
        <p className="hint">
          This study is not in Cartography now. <strong>Restore</strong> brings it back as it was; <strong>Restore as a copy</strong> gives it new identifiers.
        </p>
      )}
    </section>
  );
}
