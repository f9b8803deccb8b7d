/**
 * Study-level actions shared by buttons, native menus and shortcuts: new, import,
 * export, rename, duplicate, delete, reset the demo, back up and restore, merge a teammate's
 * work, with their dialogs.
 */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import type { Study } from '../../shared/model/types.ts';
import { ConfirmDialog, Dialog } from '../components/Dialog.tsx';
import { useNotices } from '../components/Notices.tsx';
import { db } from '../data/instance.ts';
import { useStudyNames } from '../data/hooks.ts';
import { createStudy, deleteStudy, duplicateStudy, listStudies, renameStudy, resetDemoStudy, type CodebookStart } from '../data/studies.ts';
import { platform } from '../platform/platform.ts';
import { DEMO_STUDY_TEXT } from './demo.ts';
import { BackupSettingsDialog } from '../features/backups/BackupSettingsDialog.tsx';
import { RestoreBackupDialog } from '../features/backups/RestoreBackupDialog.tsx';
import { backUpStudy } from '../data/backups.ts';
import { useForgetHistory } from './history-context.tsx';
import { navigate } from './route.ts';
import { exportStudyThrough, importStudyBytes, STUDY_FILE_FILTERS, type ImportOutcome } from './study-files.ts';
import { isRefiProject, REFI_PROJECT_FILTER, RefiImportDialog } from '../features/refi/RefiImportDialog.tsx';
import { MERGE_FILE_FILTERS, MergeDialog } from '../features/refi/MergeDialog.tsx';
import { parseRoute } from './route.ts';

export interface StudyActions {
  newStudy(): void;
  importStudies(): Promise<void>;
  importOpenedFiles(files: { name: string; bytes: Uint8Array }[]): Promise<void>;
  /** Import a REFI-QDA project (.qdpx/.qde) as a new study or into the open study, after a preview. */
  importProject(): Promise<void>;
  exportStudy(study: Study): Promise<void>;
  renameStudy(study: Study): void;
  duplicateStudy(study: Study): Promise<void>;
  deleteStudy(study: Study): void;
  resetDemo(): void;
  /** Back up now (desktop: into the backups folder, rotated) or Download backup (browser). */
  backUpStudy(study: Study): Promise<void>;
  /** Restore from backup…, listing the open study's backups first. */
  restoreBackup(openStudyId: string | null): void;
  backupSettings(): void;
  /**
   * Merge a teammate's work…: a study file (*.cartography.json) or REFI-QDA project merged by
   * GUID into `study` (the open study when not given), after the merge report and its choices.
   */
  mergeTeammateWork(study?: Pick<Study, 'id' | 'name'>): Promise<void>;
}

/** What the merge action is called wherever it is offered. */
export const MERGE_TEAMMATE_LABEL = 'Merge a teammate’s work…';

/** What the backup action is called where it runs. */
export const BACKUP_NOW_LABEL = platform.kind === 'desktop' ? 'Back up now' : 'Download backup';

const ActionsContext = createContext<StudyActions | null>(null);
export function useStudyActions(): StudyActions {
  const actions = useContext(ActionsContext);
  if (!actions) throw new Error('useStudyActions outside StudyActionsProvider');
  return actions;
}

type Pending =
  | { kind: 'new' }
  | { kind: 'rename'; study: Study }
  | { kind: 'delete'; study: Study; counts: string }
  | { kind: 'reset' }
  | { kind: 'exists'; outcome: Extract<ImportOutcome, { kind: 'exists' }> }
  | { kind: 'restore'; openStudyId: string | null }
  | { kind: 'backup-settings' }
  | { kind: 'refi'; file: { name: string; bytes: Uint8Array }; openStudy: { id: string; name: string } | null }
  | { kind: 'merge'; file: { name: string; bytes: Uint8Array }; study: { id: string; name: string } }
  | null;

export function StudyActionsProvider({ children }: { children: ReactNode }) {
  const { notify } = useNotices();
  const forgetHistory = useForgetHistory();
  const [pending, setPending] = useState<Pending>(null);
  const close = useCallback(() => setPending(null), []);
  const fail = useCallback((title: string, error: unknown) => notify('error', title, (error as Error).message), [notify]);

  const report = useCallback(
    (outcome: ImportOutcome) => {
      if (outcome.kind === 'imported') {
        notify('info', `Imported ${outcome.fileName}`);
        navigate({ screen: 'study', studyId: outcome.studyId, area: 'overview', item: null });
      } else if (outcome.kind === 'exists') {
        setPending({ kind: 'exists', outcome });
      } else {
        const shown = outcome.problems.slice(0, 8).join('\n') + (outcome.problems.length > 8 ? `\n… and ${outcome.problems.length - 8} more` : '');
        notify('error', outcome.message, `${shown}\nEach line names a place in the file and what is wrong there. Correct the file and import it again.`);
      }
    },
    [notify],
  );

  const importOpenedFiles = useCallback(
    async (files: { name: string; bytes: Uint8Array }[]) => {
      for (const file of files) {
        if (isRefiProject(file.name)) {
          // One project at a time: it gets a preview and a choice (new study or merge).
          const route = parseRoute(window.location.hash);
          const open = route.screen === 'study' ? await db.studies.get(route.studyId) : undefined;
          setPending({ kind: 'refi', file, openStudy: open ? { id: open.id, name: open.name } : null });
          return;
        }
        report(await importStudyBytes(db, file.name, file.bytes));
      }
    },
    [report],
  );

  const actions = useMemo<StudyActions>(
    () => ({
      newStudy: () => setPending({ kind: 'new' }),
      importStudies: async () => {
        try {
          const files = await platform.openFiles({ title: 'Import study', filters: [...STUDY_FILE_FILTERS, REFI_PROJECT_FILTER], multiple: true });
          await importOpenedFiles(files);
        } catch (error) {
          fail('The files could not be opened', error);
        }
      },
      importOpenedFiles,
      importProject: async () => {
        try {
          const files = await platform.openFiles({ title: 'Import REFI-QDA project', filters: [REFI_PROJECT_FILTER], multiple: false });
          await importOpenedFiles(files);
        } catch (error) {
          fail('The file could not be opened', error);
        }
      },
      exportStudy: async (study) => {
        try {
          const result = await exportStudyThrough(platform, db, study.id, study.name);
          if (result.saved) notify('info', `Exported “${study.name}”`, result.path ?? 'Saved to your downloads.');
        } catch (error) {
          fail(`“${study.name}” could not be exported`, error);
        }
      },
      renameStudy: (study) => setPending({ kind: 'rename', study }),
      duplicateStudy: async (study) => {
        try {
          await duplicateStudy(db, study.id);
          notify('info', `Duplicated “${study.name}”`);
        } catch (error) {
          fail(`“${study.name}” could not be duplicated`, error);
        }
      },
      deleteStudy: (study) => {
        void listStudies(db).then((all) => {
          const s = all.find((x) => x.study.id === study.id);
          const counts = s ? `${s.cases} cases, ${s.documents} documents, ${s.codes} codes and ${s.codings} codings` : 'all its records';
          setPending({ kind: 'delete', study, counts });
        });
      },
      resetDemo: () => setPending({ kind: 'reset' }),
      backUpStudy: async (study) => {
        try {
          const { result } = await backUpStudy(db, platform, study.id);
          if (result.saved) notify('info', platform.kind === 'desktop' ? `Backed up “${study.name}”` : `Downloaded a backup of “${study.name}”`, result.path ?? 'Saved to your downloads.');
        } catch (error) {
          fail(`“${study.name}” could not be backed up`, error);
        }
      },
      restoreBackup: (openStudyId) => setPending({ kind: 'restore', openStudyId }),
      backupSettings: () => setPending({ kind: 'backup-settings' }),
      mergeTeammateWork: async (given) => {
        const route = parseRoute(window.location.hash);
        const study = given ?? (route.screen === 'study' ? await db.studies.get(route.studyId) : undefined);
        if (!study) {
          notify('info', 'Open a study to merge a teammate’s work into it', 'Or use Merge… beside a study in the list of studies.');
          return;
        }
        try {
          const [file] = await platform.openFiles({ title: `Merge a teammate’s work into “${study.name}”`, filters: MERGE_FILE_FILTERS, multiple: false });
          if (file) setPending({ kind: 'merge', file, study: { id: study.id, name: study.name } });
        } catch (error) {
          fail('The file could not be opened', error);
        }
      },
    }),
    [fail, importOpenedFiles, notify],
  );

  return (
    <ActionsContext.Provider value={actions}>
      {children}
      {pending?.kind === 'new' && <NewStudyDialog onClose={close} onError={fail} />}
      {pending?.kind === 'rename' && <RenameDialog study={pending.study} onClose={close} onError={fail} />}
      {pending?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete “${pending.study.name}”?`}
          confirmLabel="Delete study"
          danger
          onClose={close}
          onConfirm={async () => {
            try {
              await deleteStudy(db, pending.study.id);
              forgetHistory(pending.study.id);
              notify('info', `Deleted “${pending.study.name}”`);
              navigate({ screen: 'studies' });
            } catch (error) {
              fail('The study could not be deleted', error);
            }
          }}
        >
          <p>
            This removes the study and its {pending.counts} from this computer. It cannot be undone; export the study first if you may need it
            again.
          </p>
        </ConfirmDialog>
      )}
      {pending?.kind === 'reset' && (
        <ConfirmDialog
          title="Reset the demo study?"
          confirmLabel="Reset demo study"
          onClose={close}
          onConfirm={async () => {
            try {
              const id = await resetDemoStudy(db, DEMO_STUDY_TEXT);
              forgetHistory(id);
              notify('info', 'The demo study was restored');
              navigate({ screen: 'study', studyId: id, area: 'overview', item: null });
            } catch (error) {
              fail('The demo study could not be restored', error);
            }
          }}
        >
          <p>The demo study goes back to how Cartography ships it. Changes you made to the demo are lost; your other studies are not touched.</p>
        </ConfirmDialog>
      )}
      {pending?.kind === 'restore' && (
        <RestoreBackupDialog
          platform={platform}
          studyId={pending.openStudyId}
          onClose={close}
          onRestored={({ studyId, mode, name }) => {
            close();
            // The study's records were replaced under the same ids: its undo history no longer applies.
            if (mode === 'replace') forgetHistory(studyId);
            notify('info', mode === 'replace' ? `Restored “${name}” from the backup` : `Restored a copy of “${name}”`, mode === 'replace' ? 'Its undo history was cleared.' : undefined);
            navigate({ screen: 'study', studyId, area: 'overview', item: null });
          }}
        />
      )}
      {pending?.kind === 'refi' && (
        <RefiImportDialog
          file={pending.file}
          openStudy={pending.openStudy}
          onClose={close}
          onImported={(studyId) => {
            close();
            navigate({ screen: 'study', studyId, area: 'overview', item: null });
          }}
        />
      )}
      {pending?.kind === 'merge' && (
        <MergeDialog
          file={pending.file}
          study={pending.study}
          onClose={close}
          onMerged={(studyId) => {
            close();
            navigate({ screen: 'study', studyId, area: 'overview', item: null });
          }}
        />
      )}
      {pending?.kind === 'backup-settings' && (
        <BackupSettingsDialog
          platform={platform}
          onClose={close}
          onSaved={() => {
            close();
            notify('info', 'Backup settings saved');
          }}
        />
      )}
      {pending?.kind === 'exists' && (
        <ExistsDialog
          outcome={pending.outcome}
          onClose={close}
          onCopy={async () => {
            const { outcome } = pending;
            close();
            report(await importStudyBytes(db, outcome.fileName, new TextEncoder().encode(outcome.text), true));
          }}
          onMerge={(study) => setPending({ kind: 'merge', file: { name: pending.outcome.fileName, bytes: new TextEncoder().encode(pending.outcome.text) }, study })}
        />
      )}
    </ActionsContext.Provider>
  );
}

/** The study of the file already here: most often a teammate's copy of it, so merging is offered beside a copy. */
function ExistsDialog({
  outcome,
  onClose,
  onCopy,
  onMerge,
}: {
  outcome: Extract<ImportOutcome, { kind: 'exists' }>;
  onClose: () => void;
  onCopy: () => void;
  onMerge: (study: { id: string; name: string }) => void;
}) {
  // The file's study GUID is the one already taken: that is the study to merge into.
  const studyId = useMemo(() => {
    try {
      return (JSON.parse(outcome.text) as { study?: { id?: unknown } }).study?.id;
    } catch {
      return undefined;
    }
  }, [outcome.text]);
  return (
    <Dialog
      title="This study is already here"
      onClose={onClose}
      onSubmit={onCopy}
      actions={
        <>
          <button type="button" onClick={onClose} autoFocus>
            Cancel
          </button>
          {typeof studyId === 'string' && (
            <button type="button" onClick={() => onMerge({ id: studyId, name: outcome.existingName })}>
              Merge into “{outcome.existingName}”…
            </button>
          )}
          <button type="submit" className="primary">
            Import as a copy
          </button>
        </>
      }
    >
      <p>
        {outcome.fileName} holds the study “{outcome.existingName}”, which is already open in Cartography. If it is a teammate’s copy, merge their work into it: you see
        what it adds and every conflict before anything is written. Or import it as a copy to keep both; the copy gets new identifiers.
      </p>
    </Dialog>
  );
}

type StartChoice = 'template' | 'empty' | 'copy';

function NewStudyDialog({ onClose, onError }: { onClose: () => void; onError: (title: string, error: unknown) => void }) {
  const [name, setName] = useState('');
  const [coder, setCoder] = useState('');
  const [problem, setProblem] = useState('');
  const [startWith, setStartWith] = useState<StartChoice>('template');
  const studies = useStudyNames();
  const [copyFrom, setCopyFrom] = useState('');
  const source = copyFrom || studies?.[0]?.id || '';
  const start = (): CodebookStart =>
    startWith === 'template' ? { kind: 'template', text: DEMO_STUDY_TEXT, fileName: 'open-llm-collaboration codebook' } : startWith === 'copy' ? { kind: 'copy', studyId: source } : { kind: 'empty' };
  return (
    <Dialog
      title="New study"
      onClose={onClose}
      onSubmit={async () => {
        if (!name.trim()) {
          setProblem('Give the study a name.');
          return;
        }
        try {
          if (startWith === 'copy' && !source) {
            setProblem('There is no study to copy a codebook from yet.');
            return;
          }
          const id = await createStudy(db, name, coder, start());
          onClose();
          navigate({ screen: 'study', studyId: id, area: 'overview', item: null });
        } catch (error) {
          onError('The study could not be created', error);
        }
      }}
      actions={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary">
            Create study
          </button>
        </>
      }
    >
      <label className="field">
        <span>Study name</span>
        <input autoFocus value={name} onChange={(e) => setName(e.target.value)} aria-invalid={problem !== ''} aria-describedby="new-study-problem" />
      </label>
      <label className="field">
        <span>Your name as coder</span>
        <input value={coder} onChange={(e) => setCoder(e.target.value)} placeholder="Researcher" />
      </label>
      <fieldset className="field start-choice">
        <legend>Start the codebook with</legend>
        <label className="check">
          <input type="radio" name="start" checked={startWith === 'template'} onChange={() => setStartWith('template')} /> The open LLM collaboration codebook: challenges and on-ramps for
          pre-training, post-training and post-release, with definitions
        </label>
        <label className="check">
          <input type="radio" name="start" checked={startWith === 'empty'} onChange={() => setStartWith('empty')} /> No codes: only the three lifecycle stages
        </label>
        <label className="check">
          <input type="radio" name="start" checked={startWith === 'copy'} disabled={!studies?.length} onChange={() => setStartWith('copy')} /> The codebook of another study
        </label>
        {startWith === 'copy' && (
          <select aria-label="Study to copy the codebook from" value={source} onChange={(e) => setCopyFrom(e.target.value)}>
            {studies?.map((study) => (
              <option key={study.id} value={study.id}>
                {study.name}
              </option>
            ))}
          </select>
        )}
      </fieldset>
      <p className="hint">Stages and codes can be changed later; only the codebook is copied, not transcripts or codings.</p>
      <p id="new-study-problem" className="field-problem" role={problem ? 'alert' : undefined}>
        {problem}
      </p>
    </Dialog>
  );
}

function RenameDialog({ study, onClose, onError }: { study: Study; onClose: () => void; onError: (title: string, error: unknown) => void }) {
  const [name, setName] = useState(study.name);
  const [problem, setProblem] = useState('');
  return (
    <Dialog
      title="Rename study"
      onClose={onClose}
      onSubmit={async () => {
        if (!name.trim()) {
          setProblem('A study needs a name.');
          return;
        }
        try {
          await renameStudy(db, study.id, name);
          onClose();
        } catch (error) {
          onError('The study could not be renamed', error);
        }
      }}
      actions={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary">
            Rename
          </button>
        </>
      }
    >
      <label className="field">
        <span>Study name</span>
        <input autoFocus value={name} onChange={(e) => setName(e.target.value)} aria-invalid={problem !== ''} aria-describedby="rename-problem" />
      </label>
      <p id="rename-problem" className="field-problem" role={problem ? 'alert' : undefined}>
        {problem}
      </p>
    </Dialog>
  );
}
