import { useEffect, useState } from 'react';
import type { AppInfo, MenuCommand } from '../../shared/platform/bridge.ts';
import { Dialog } from '../components/Dialog.tsx';
import { useNotices } from '../components/Notices.tsx';
import { NotesScreen } from '../features/maps/presentation/NotesScreen.tsx';
import { db } from '../data/instance.ts';
import { putSetting } from '../data/studies.ts';
import { platform } from '../platform/platform.ts';
import { useAutoBackup } from '../features/backups/auto-backup.ts';
import { useStudyActions } from './actions.tsx';
import { useStudyHistory } from './history-context.tsx';
import { useRoute } from './route.ts';
import { StudyList } from './StudyList.tsx';
import { Workspace } from './Workspace.tsx';

export function App() {
  const route = useRoute();
  const actions = useStudyActions();
  const { notify } = useNotices();
  const [about, setAbout] = useState<AppInfo | null>(null);
  const studyId = route.screen === 'study' ? route.studyId : null;
  const history = useStudyHistory(studyId);

  useEffect(() => {
    if (studyId) void putSetting(db, 'lastStudyId', studyId);
  }, [studyId]);

  useAutoBackup(platform, studyId);

  useEffect(() => {
    const run = async (command: MenuCommand) => {
      switch (command) {
        case 'new-study':
          return actions.newStudy();
        case 'import-study':
          return actions.importStudies();
        case 'export-study': {
          const study = studyId ? await db.studies.get(studyId) : undefined;
          if (study) return actions.exportStudy(study);
          return notify('info', 'Open a study to export it', 'Or use Export beside a study in the list of studies.');
        }
        case 'reset-demo':
          return actions.resetDemo();
        case 'backup-now': {
          const study = studyId ? await db.studies.get(studyId) : undefined;
          if (study) return actions.backUpStudy(study);
          return notify('info', 'Open a study to back it up', 'Or use Back up beside a study in the list of studies.');
        }
        case 'restore-backup':
          return actions.restoreBackup(studyId);
        case 'about':
          return setAbout(await platform.appInfo());
        case 'undo':
        case 'redo': {
          // The desktop menu owns Ctrl/Cmd+Z; inside a text field it means the field's own undo.
          const active = document.activeElement;
          if (active instanceof HTMLElement && active.closest('input, textarea, [contenteditable="true"]:not([aria-readonly="true"])')) {
            document.execCommand(command);
            return;
          }
          return command === 'undo' ? history.undo() : history.redo();
        }
      }
    };
    return platform.onMenuCommand((command) => void run(command));
  }, [actions, history, notify, studyId]);

  // The speaker notes of a running presentation, on a screen of their own (a second window or tab).
  if (route.screen === 'presenter-notes') return <NotesScreen />;

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-bar">
        <a href="#/" className="brand" aria-label="Cartography — all studies">
          <span className="brand-mark" aria-hidden="true">◈</span> Cartography
        </a>
        <button type="button" className="quiet" onClick={async () => setAbout(await platform.appInfo())}>
          About
        </button>
      </header>
      {route.screen === 'studies' ? <StudyList /> : <Workspace key={route.studyId} studyId={route.studyId} area={route.area} item={route.item} focus={route.focus ?? null} />}
      {about && (
        <Dialog
          title="About Cartography"
          onClose={() => setAbout(null)}
          onSubmit={() => setAbout(null)}
          actions={
            <button type="submit" className="primary" autoFocus>
              Close
            </button>
          }
        >
          <p>
            Cartography {about.version} — a toolkit for qualitative research on open collaboration: code interviews by lifecycle stage, compare projects,
            and map cathedrals and bazaars.
          </p>
          <p className="hint">
            Runs {about.platform === 'desktop' ? 'as a desktop app' : 'in this browser'}; your studies stay on this computer and Cartography makes no
            network requests. {about.runtime}
          </p>
        </Dialog>
      )}
    </>
  );
}
