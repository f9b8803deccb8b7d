import { useEffect, useRef } from 'react';
import { useStudyCore, useStudyNames } from '../data/hooks.ts';
import { EmptyState } from '../components/EmptyState.tsx';
import { AgreementArea } from '../features/agreement/AgreementArea.tsx';
import { CasesArea } from '../features/cases/CasesArea.tsx';
import { CodebookArea } from '../features/codebook/CodebookArea.tsx';
import { CodingArea } from '../features/coding/CodingArea.tsx';
import { DocumentsArea } from '../features/documents/DocumentsArea.tsx';
import { MapsArea } from '../features/maps/MapsArea.tsx';
import { MatricesArea } from '../features/matrices/MatricesArea.tsx';
import { OverviewArea } from '../features/overview/OverviewArea.tsx';
import { ReportsArea } from '../features/reports/ReportsArea.tsx';
import { SearchArea } from '../features/search/SearchArea.tsx';
import { AREAS, navigate, routeHash, type AreaId } from './route.ts';

export function Workspace({ studyId, area, item, focus }: { studyId: string; area: AreaId; item: string | null; focus: string | null }) {
  const core = useStudyCore(studyId);
  const studies = useStudyNames();
  const mainRef = useRef<HTMLElement>(null);

  // Alt+1…9 and Alt+0 switch areas from anywhere.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey) return;
      const target = AREAS.find((a) => a.key === event.key);
      if (target) {
        event.preventDefault();
        navigate({ screen: 'study', studyId, area: target.id, item: null });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [studyId]);

  if (core === undefined) return <main id="main" className="loading" aria-busy="true">Opening study…</main>;
  if (core === null) {
    return (
      <main id="main">
        <EmptyState title="This study is not here" action={<a href="#/">Go to your studies</a>}>
          <p>It may have been deleted. Your other studies are listed on the studies page.</p>
        </EmptyState>
      </main>
    );
  }

  const areaLabel = AREAS.find((a) => a.id === area)!.label;
  return (
    <div className="workspace">
      <nav className="sidebar" aria-label="Study areas">
        <div className="study-switcher">
          <label htmlFor="study-switcher">Study</label>
          <select
            id="study-switcher"
            value={studyId}
            onChange={(e) => navigate({ screen: 'study', studyId: e.target.value, area, item: null })}
          >
            {(studies ?? [core.study]).map((study) => (
              <option key={study.id} value={study.id}>
                {study.name}
              </option>
            ))}
          </select>
          <a href="#/" className="all-studies">
            All studies
          </a>
        </div>
        <ul className="area-list">
          {AREAS.map((a) => (
            <li key={a.id}>
              <a
                href={routeHash({ screen: 'study', studyId, area: a.id, item: null })}
                aria-current={a.id === area ? 'page' : undefined}
                aria-keyshortcuts={`Alt+${a.key}`}
              >
                <span>{a.label}</span>
                <kbd aria-hidden="true">Alt+{a.key}</kbd>
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" ref={mainRef} className="area" aria-label={`${areaLabel} — ${core.study.name}`}>
        {area === 'overview' && <OverviewArea core={core} />}
        {area === 'cases' && <CasesArea core={core} caseId={item} />}
        {area === 'documents' && <DocumentsArea core={core} />}
        {area === 'coding' && <CodingArea core={core} documentId={item} focusCodingId={focus} />}
        {area === 'codebook' && <CodebookArea core={core} codeId={item} />}
        {area === 'matrices' && <MatricesArea core={core} />}
        {area === 'maps' && <MapsArea core={core} />}
        {area === 'reports' && <ReportsArea core={core} />}
        {area === 'search' && <SearchArea core={core} />}
        {area === 'agreement' && <AgreementArea core={core} />}
      </main>
    </div>
  );
}
