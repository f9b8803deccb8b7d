import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { StudyActionsProvider } from './app/actions.tsx';
import { HistoryProvider } from './app/history-context.tsx';
import { DEMO_STUDY_TEXT } from './app/demo.ts';
import { navigate } from './app/route.ts';
import { NoticeProvider } from './components/Notices.tsx';
import { db } from './data/instance.ts';
import { getSetting, seedDemoStudyOnce } from './data/studies.ts';
import './styles/app.css';

/** On start: seed the demo study the first time, then reopen the last study (or the demo). */
async function start(): Promise<void> {
  await db.open();
  const seeded = await seedDemoStudyOnce(db, DEMO_STUDY_TEXT);
  if (window.location.hash === '' || window.location.hash === '#') {
    const last = await getSetting<string>(db, 'lastStudyId');
    const target = seeded ?? (last && (await db.studies.get(last)) ? last : null);
    if (target) navigate({ screen: 'study', studyId: target, area: 'overview', item: null });
  }
}

const root = createRoot(document.getElementById('root')!);
start().then(
  () =>
    root.render(
      <StrictMode>
        <NoticeProvider>
          <HistoryProvider>
            <StudyActionsProvider>
              <App />
            </StudyActionsProvider>
          </HistoryProvider>
        </NoticeProvider>
      </StrictMode>,
    ),
  (error: unknown) => {
    console.error(error);
    root.render(
      <main id="main" className="fatal">
        <h1>Cartography could not open its database</h1>
        <p>{(error as Error).message}</p>
        <p>
          Close other Cartography windows or tabs and reload. If this keeps happening, your browser may be blocking storage for this page (private windows
          often do).
        </p>
      </main>,
    );
  },
);
