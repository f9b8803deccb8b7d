import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import type { Document } from '../../../shared/model/types.ts';
import { useStudyHistory } from '../../app/history-context.tsx';
import { navigate } from '../../app/route.ts';
import { ChoiceSelect } from '../../components/ChoiceSelect.tsx';
import { ConfirmDialog } from '../../components/Dialog.tsx';
import { deleteDocument, documentFootprint, updateDocumentDetails } from '../../data/documents.ts';
import type { StudyCore } from '../../data/hooks.ts';
import { db } from '../../data/instance.ts';
import { byName } from '../../data/studies.ts';

/** Title, case and participants of a transcript, edited in place; and deleting it. */
export function DocumentDetailsEditor({ core, document }: { core: StudyCore; document: Document }) {
  const studyId = core.study.id;
  const history = useStudyHistory(studyId);
  const participants = useLiveQuery(() => db.participants.where('studyId').equals(studyId).toArray().then((ps) => ps.sort((a, b) => byName(a.pseudonym, b.pseudonym))), [studyId]) ?? [];
  const [title, setTitle] = useState(document.title);
  const [caseId, setCaseId] = useState(document.caseId ?? '');
  const [chosen, setChosen] = useState<string[]>(document.participantIds);
  const [confirm, setConfirm] = useState<{ segments: number; codings: number } | null>(null);
  const dirty = title !== document.title || (caseId || null) !== document.caseId || chosen.join() !== document.participantIds.join();

  return (
    <details className="document-details">
      <summary>Transcript details</summary>
      <form
        className="details-form"
        onSubmit={async (e) => {
          e.preventDefault();
          await history.perform(() => updateDocumentDetails(db, studyId, document.id, { title, caseId: caseId || null, participantIds: chosen }));
        }}
      >
        <label className="field">
          <span>Title</span>
          <input value={title} onChange={(e) => setTitle(e.target.value)} />
        </label>
        <ChoiceSelect layout="field" label="Case" value={caseId} emptyLabel="No case" choices={core.cases.map((c) => ({ value: c.id, label: c.name }))} onChange={setCaseId} />
        <fieldset className="field">
          <legend>Participants</legend>
          <div className="participant-choices">
            {participants.map((p) => (
              <label key={p.id} className="check">
                <input type="checkbox" checked={chosen.includes(p.id)} onChange={(e) => setChosen(e.target.checked ? [...chosen, p.id] : chosen.filter((id) => id !== p.id))} /> {p.pseudonym}
              </label>
            ))}
          </div>
        </fieldset>
        <p className="hint">
          {document.wordCount.toLocaleString()} words · {document.turns.length} speaker turns · imported from {document.importMeta.fileName} ({document.importMeta.encoding})
        </p>
        <div className="toolbar">
          <button type="submit" className="primary" disabled={!dirty}>
            Save details
          </button>
          <button type="button" className="danger-quiet" onClick={async () => setConfirm(await documentFootprint(db, document.id))}>
            Delete transcript…
          </button>
        </div>
      </form>
      {confirm && (
        <ConfirmDialog
          title={`Delete “${document.title}”?`}
          confirmLabel="Delete transcript"
          danger
          onClose={() => setConfirm(null)}
          onConfirm={async () => {
            const done = await history.perform(() => deleteDocument(db, studyId, document.id));
            if (done) navigate({ screen: 'study', studyId, area: 'documents', item: null });
          }}
        >
          <p>
            This removes the transcript, its {confirm.segments} coded segments with {confirm.codings} codings, and their memos. Edit → Undo (Ctrl+Z) brings it all back.
          </p>
        </ConfirmDialog>
      )}
    </details>
  );
}
