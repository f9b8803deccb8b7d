/**
 * Maps: where each project sits between cathedral and bazaar at every lifecycle stage (the
 * lifecycle map), who collaborates with whom (the network), and a presentation of both for
 * workshops. Everything is computed from the coded evidence by shared/maps.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useState, type KeyboardEvent } from 'react';
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
  const onTabKey = (event: KeyboardEvent, index: number) => {
    const next = event.key === 'ArrowRight' ? index + 1 : event.key === 'ArrowLeft' ? index - 1 : event.key === 'Home' ? 0 : event.key === 'End' ? VIEWS.length - 1 : null;
    if (next === null) return;
    event.preventDefault();
    const target = VIEWS[(next + VIEWS.length) % VIEWS.length]!;
    setView(target.id);
    (event.currentTarget.parentElement?.querySelector(`#maps-tab-${target.id}`) as HTMLElement | null)?.focus();
  };
  return (
    <div className="maps">
      <header className="area-header">
        <h1>Maps</h1>
        <p className="lead">Cathedrals and bazaars across the lifecycle: each project’s position at every stage, computed from its coded evidence, and the collaboration ties between actors.</p>
      </header>
      <div role="tablist" aria-label="Map" className="matrix-tabs">
        {VIEWS.map((v, i) => (
          <button
            key={v.id}
            id={`maps-tab-${v.id}`}
            type="button"
            role="tab"
            aria-selected={view === v.id}
            aria-controls="maps-panel"
            tabIndex={view === v.id ? 0 : -1}
            onClick={() => setView(v.id)}
            onKeyDown={(e) => onTabKey(e, i)}
          >
            {v.label}
          </button>
        ))}
      </div>
      <section id="maps-panel" role="tabpanel" aria-labelledby={`maps-tab-${view}`} className="matrix-panel">
        {view === 'lifecycle' && <LifecycleView core={core} source={source} />}
        {view === 'network' && <NetworkView core={core} source={source} />}
        {view === 'present' && <PresentationView core={core} source={source} />}
      </section>
    </div>
  );
}
