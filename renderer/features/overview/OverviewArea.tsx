import { useLiveQuery } from 'dexie-react-hooks';
import type { StudyCore } from '../../data/hooks.ts';
import { db } from '../../data/instance.ts';
import { getTeam } from '../../data/team.ts';
import { useStudyCounts } from '../../data/hooks.ts';
import { routeHash } from '../../app/route.ts';
import { AttributeValueText } from '../cases/AttributeValueText.tsx';

export function OverviewArea({ core }: { core: StudyCore }) {
  const counts = useStudyCounts(core.study.id);
  const blind = useLiveQuery(() => getTeam(db, core.study.id).then((t) => t.blind), [core.study.id]);
  const { study, stages, cases, codes, coders, attributes } = core;
  const link = (area: 'cases' | 'documents' | 'codebook' | 'maps' | 'coding') => routeHash({ screen: 'study', studyId: study.id, area, item: null });
  const shownAttributes = attributes.slice(0, 3);
  const stat = (label: string, value: number | undefined, href?: string) => (
    <div className="stat">
      <dt>{href ? <a href={href}>{label}</a> : label}</dt>
      <dd>{value ?? '…'}</dd>
    </div>
  );
  return (
    <div className="overview">
      <header className="area-header">
        <h1>{study.name}</h1>
        {study.description && <p className="lead">{study.description}</p>}
      </header>
      {blind && (
        <p className="hint">
          Blind coding is on: in the Coding view each coder sees only their own codings. The counts here, the matrices and the reports are the whole team’s.{' '}
          <a href={link('documents')}>Team settings in Documents</a>
        </p>
      )}
      <dl className="stats" aria-label="Study at a glance">
        {stat('Cases', cases.length, link('cases'))}
        {stat('Participants', counts?.participants)}
        {stat('Documents', counts?.documents, link('documents'))}
        {stat('Codes', codes.length, link('codebook'))}
        {stat('Codings', counts?.codings, link('coding'))}
        {stat('Memos', counts?.memos)}
        {stat('Actors', counts?.actors, link('maps'))}
        {stat('Ties', counts?.ties, link('maps'))}
      </dl>
      <section aria-labelledby="stages-heading" className="panel">
        <h2 id="stages-heading">Lifecycle stages</h2>
        <ol className="stage-strip">
          {stages.map((s) => (
            <li key={s.id}>
              <strong>{s.name}</strong>
              <span>{codes.filter((c) => c.stageId === s.id).length} codes</span>
            </li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="cases-heading" className="panel">
        <h2 id="cases-heading">
          Cases <span className="count">({cases.length})</span>
        </h2>
        {cases.length === 0 ? (
          <p>No cases yet. Cases are the projects you study; they come with an imported study file, and you group and compare codes by them.</p>
        ) : (
          <table className="data-table" aria-labelledby="cases-heading">
            <thead>
              <tr>
                <th scope="col">Case</th>
                {shownAttributes.map((a) => (
                  <th scope="col" key={a.id}>
                    {a.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {cases.map((c) => (
                <tr key={c.id}>
                  <th scope="row">{c.name}</th>
                  {shownAttributes.map((a) => (
                    <td key={a.id}>
                      <AttributeValueText def={a} value={c.attributes[a.id]} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <p className="hint">
        Coders: {coders.map((c) => c.name).join(', ') || 'none'}. Last changed {new Date(study.modifiedAt).toLocaleString()}.
      </p>
    </div>
  );
}
