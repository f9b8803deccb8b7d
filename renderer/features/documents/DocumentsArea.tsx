import { useLiveQuery } from 'dexie-react-hooks';
import { EmptyState } from '../../components/EmptyState.tsx';
import type { StudyCore } from '../../data/hooks.ts';
import { db } from '../../data/instance.ts';
import { byName } from '../../data/studies.ts';
import { routeHash } from '../../app/route.ts';

export function DocumentsArea({ core }: { core: StudyCore }) {
  const studyId = core.study.id;
  const rows = useLiveQuery(async () => {
    const [documents, participants] = await Promise.all([db.documents.where('studyId').equals(studyId).toArray().then((docs) => docs.sort((a, b) => byName(a.title, b.title))), db.participants.where('studyId').equals(studyId).toArray()]);
    const names = new Map(participants.map((p) => [p.id, p.pseudonym]));
    return documents.map((d) => ({ document: d, participants: d.participantIds.map((id) => names.get(id) ?? '?'), codings: d.codingCount }));
  }, [studyId]);
  const caseName = new Map(core.cases.map((c) => [c.id, c.name]));

  if (rows === undefined) return <p aria-busy="true">Loading documents…</p>;
  if (rows.length === 0) {
    return (
      <EmptyState title="No transcripts yet">
        <p>Documents are the interview transcripts you code. Each belongs to a case and names its participants; the coding view shows who speaks.</p>
        <p>To bring transcripts in now, import a study file that contains them with File → Import study.</p>
      </EmptyState>
    );
  }
  return (
    <div>
      <header className="area-header">
        <h1>Documents</h1>
        <p className="lead">{rows.length} transcripts. Open one to read it with its codings.</p>
      </header>
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Scrollable table">
        <table className="data-table" aria-label="Transcripts">
          <thead>
            <tr>
              <th scope="col">Title</th>
              <th scope="col">Case</th>
              <th scope="col">Participants</th>
              <th scope="col" className="num">Words</th>
              <th scope="col" className="num">Turns</th>
              <th scope="col" className="num">Codings</th>
              <th scope="col">Source</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ document: d, participants, codings }) => (
              <tr key={d.id}>
                <th scope="row">
                  <a href={routeHash({ screen: 'study', studyId, area: 'coding', item: d.id })}>{d.title}</a>
                </th>
                <td>{d.caseId ? caseName.get(d.caseId) : <span className="missing">—</span>}</td>
                <td>{participants.join(', ')}</td>
                <td className="num">{d.wordCount.toLocaleString()}</td>
                <td className="num">{d.turns.length}</td>
                <td className="num">{codings}</td>
                <td>{d.sourceFormat}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
