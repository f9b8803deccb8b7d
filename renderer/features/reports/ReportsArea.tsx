import { useStudyActions } from '../../app/actions.tsx';
import type { StudyCore } from '../../data/hooks.ts';

export function ReportsArea({ core }: { core: StudyCore }) {
  const actions = useStudyActions();
  return (
    <div>
      <header className="area-header">
        <h1>Reports and exports</h1>
        <p className="lead">Take the study out of Cartography: for a backup, for a co-author, or to reopen it on another computer.</p>
      </header>
      <section className="panel" aria-labelledby="study-file-heading">
        <h2 id="study-file-heading">Study file</h2>
        <p>
          One JSON file with everything in “{core.study.name}”: cases and their attributes, participants, transcripts, the codebook, codings, memos,
          actors and ties. Import it with File → Import study; identifiers are kept, so it reopens as the same study.
        </p>
        <button type="button" className="primary" onClick={() => void actions.exportStudy(core.study)}>
          Export study file…
        </button>
      </section>
    </div>
  );
}
