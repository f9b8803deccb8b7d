import { useLiveQuery } from 'dexie-react-hooks';
import { EmptyState } from '../../components/EmptyState.tsx';
import type { StudyCore } from '../../data/hooks.ts';
import { db } from '../../data/instance.ts';

const TYPE_LABEL = (type: string) => type.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase());

export function MapsArea({ core }: { core: StudyCore }) {
  const { study, stages } = core;
  const data = useLiveQuery(async () => {
    const [actors, ties] = await Promise.all([db.actors.where('studyId').equals(study.id).toArray(), db.ties.where('studyId').equals(study.id).toArray()]);
    return { actors, ties };
  }, [study.id]);
  if (!data) return <p aria-busy="true">Loading…</p>;
  if (data.ties.length === 0) {
    return (
      <EmptyState title="No collaboration ties yet">
        <p>Maps place each case between cathedral and bazaar at every lifecycle stage, and draw the ties between actors: compute partnerships, shared datasets, derivatives, follow-up projects. Ties come with their evidence from the transcripts.</p>
      </EmptyState>
    );
  }
  const actorName = new Map(data.actors.map((a) => [a.id, a.name]));
  return (
    <div>
      <header className="area-header">
        <h1>Maps</h1>
        <p className="lead">
          {data.actors.length} actors and {data.ties.length} collaboration ties, by lifecycle stage. Each tie rests on evidence segments from the transcripts.
        </p>
      </header>
      {stages.map((stage) => {
        const ties = data.ties.filter((t) => t.stageId === stage.id);
        if (ties.length === 0) return null;
        return (
          <section key={stage.id} className="panel" aria-labelledby={`ties-${stage.id}`}>
            <h2 id={`ties-${stage.id}`}>{stage.name}</h2>
            <table className="data-table" aria-labelledby={`ties-${stage.id}`}>
              <thead>
                <tr>
                  <th scope="col">From</th>
                  <th scope="col">Tie</th>
                  <th scope="col">To</th>
                  <th scope="col">Description</th>
                  <th scope="col" className="num">Evidence</th>
                </tr>
              </thead>
              <tbody>
                {ties.map((t) => (
                  <tr key={t.id}>
                    <td>{actorName.get(t.fromId)}</td>
                    <td>{TYPE_LABEL(t.type)}</td>
                    <td>{actorName.get(t.toId)}</td>
                    <td>{t.description}</td>
                    <td className="num">{t.evidenceSegmentIds.length}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        );
      })}
    </div>
  );
}
