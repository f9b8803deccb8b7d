/**
 * Maps: where each project sits between cathedral and bazaar at every lifecycle stage (the
 * lifecycle map), who collaborates with whom (the network), and a presentation of both for
 * workshops. Everything is computed from the coded evidence by shared/maps.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { TabList } from '../../components/TabList.tsx';
import type { StudyCore } from '../../data/hooks.ts';
import { db } from '../../data/instance.ts';
import { loadMapSource } from '../../data/maps.ts';
import { LifecycleView } from './LifecycleView.tsx';
import { NetworkView } from './NetworkView.tsx';
import { PresentationView } from './presentation/PresentationView.tsx';
import './maps.css';

const VIEWS = [
  { id: 'lifecycle', label: 'Lifecycle map' },
  { id: 'network', label: 'Collaboration network' },
  { id: 'present', label: 'Presentation' },
] as const;
type ViewId = (typeof VIEWS)[number]['id'];

export function MapsArea({ core }: { core: StudyCore }) {
  const source = useLiveQuery(() => loadMapSource(db, core.study.id), [core.study.id]);
  const [view, setView] = useState<ViewId>('lifecycle');
  if (!source) return <p aria-busy="true">Reading the evidence…</p>;
  return (
    <div className="maps">
      <header className="area-header">
        <h1>Maps</h1>
        <p className="lead">Cathedrals and bazaars across the lifecycle: each project’s position at every stage, computed from its coded evidence, and the collaboration ties between actors.</p>
      </header>
      <TabList tabs={VIEWS} value={view} onChange={setView} label="Map" idPrefix="maps-tab" panelId="maps-panel" />
      <section id="maps-panel" role="tabpanel" aria-labelledby={`maps-tab-${view}`} className="matrix-panel">
        {view === 'lifecycle' && <LifecycleView core={core} source={source} />}
        {view === 'network' && <NetworkView core={core} source={source} />}
        {view === 'present' && <PresentationView core={core} source={source} />}
      </section>
    </div>
  );
}
