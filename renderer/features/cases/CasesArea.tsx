import { useLiveQuery } from 'dexie-react-hooks';
import { OPENNESS_COMPONENTS, OPENNESS_LABELS } from '../../../shared/model/types.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import type { StudyCore } from '../../data/hooks.ts';
import { db } from '../../data/instance.ts';
import { AttributeValueText } from './AttributeValueText.tsx';
import { OpennessProfileView } from './OpennessProfileView.tsx';

export function CasesArea({ core }: { core: StudyCore }) {
  const participants = useLiveQuery(() => db.participants.where('studyId').equals(core.study.id).toArray(), [core.study.id]);
  const { cases, attributes } = core;
  if (cases.length === 0) {
    return (
      <EmptyState title="No cases yet">
        <p>Cases are the open projects you study. Each has attributes (region, organisation type, licence class, …) and an openness profile, which matrices and maps group by.</p>
        <p>Import a study file that contains cases with File → Import study, or start from the demo study.</p>
      </EmptyState>
    );
  }
  return (
    <div>
      <header className="area-header">
        <h1>Cases</h1>
        <p className="lead">
          {cases.length} projects studied, {participants?.length ?? '…'} participants. The openness profile shows, in order,{' '}
          {OPENNESS_COMPONENTS.map((c) => OPENNESS_LABELS[c].toLowerCase()).join(', ')}: filled is open, half is partly open, empty is closed.
        </p>
      </header>
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Scrollable table">
        <table className="data-table" aria-label="Cases and their attributes">
          <thead>
            <tr>
              <th scope="col">Case</th>
              {attributes.map((a) => (
                <th scope="col" key={a.id}>
                  {a.name}
                </th>
              ))}
              <th scope="col">Openness</th>
              <th scope="col">Participants</th>
            </tr>
          </thead>
          <tbody>
            {cases.map((c) => (
              <tr key={c.id}>
                <th scope="row">
                  {c.name}
                  {c.description && <div className="cell-note">{c.description}</div>}
                </th>
                {attributes.map((a) => (
                  <td key={a.id}>
                    <AttributeValueText def={a} value={c.attributes[a.id]} />
                  </td>
                ))}
                <td>
                  <OpennessProfileView profile={c.openness} />
                </td>
                <td>
                  {participants
                    ?.filter((p) => p.caseId === c.id)
                    .map((p) => `${p.pseudonym}${p.role ? ` (${p.role})` : ''}`)
                    .join(', ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
