/**
 * One case (#/study/<id>/cases/<caseId>): its name and description, attributes (edited in
 * place like the table), openness profile, participants, transcripts, memos and a summary
 * of its coding per lifecycle stage and kind.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useId, useState } from 'react';
import { isNoValue } from '../../../shared/cases/attribute-values.ts';
import type { AttributeDef, Case, Participant } from '../../../shared/model/types.ts';
import { useStudyHistory } from '../../app/history-context.tsx';
import { navigate, routeHash } from '../../app/route.ts';
import { ConfirmDialog } from '../../components/Dialog.tsx';
import { caseFootprint, deleteCase, loadCaseCodingSummary, loadCaseMemos, setOpenness, updateCase, type CaseDocument, type CaseFootprint } from '../../data/cases.ts';
import type { StudyCore } from '../../data/hooks.ts';
import { db } from '../../data/instance.ts';
import { findMemo } from '../../data/memos.ts';
import { MemoEditor } from '../coding/MemoEditor.tsx';
import { AttributeValueText } from './AttributeValueText.tsx';
import { attributeEditor, caseNameProblem, saveAttributeCell } from './CasesTable.tsx';
import { EditableGrid, type GridColumn } from './EditableGrid.tsx';
import { OpennessEditor } from './OpennessEditor.tsx';
import { ParticipantsTable } from './ParticipantsTable.tsx';

export function CaseDetail({ core, kase, participants, documents }: { core: StudyCore; kase: Case; participants: readonly Participant[]; documents: readonly CaseDocument[] }) {
  const { study, attributes, coders } = core;
  const history = useStudyHistory(study.id);
  const [confirming, setConfirming] = useState<CaseFootprint | null>(null);
  const ownParticipants = participants.filter((p) => p.caseId === kase.id);
  const ownDocuments = documents.filter((d) => d.caseId === kase.id);
  const coderId = coders.some((c) => c.id === study.activeCoderId) ? study.activeCoderId : (coders[0]?.id ?? null);
  const headingId = useId();

  const attributeColumns: GridColumn<AttributeDef>[] = [
    { id: 'attribute', label: 'Attribute', rowHeader: true, sortValue: (a) => a.order, render: (a) => a.name },
    {
      id: 'value',
      label: 'Value',
      clearable: true,
      sortValue: (a) => (isNoValue(kase.attributes[a.id]) ? null : kase.attributes[a.id]!),
      render: (a) => <AttributeValueText def={a} value={kase.attributes[a.id]} />,
      editor: (a) => attributeEditor(a, kase.attributes[a.id]),
    },
  ];

  return (
    <article className="case-detail" aria-labelledby={headingId}>
      <header className="area-header">
        <p className="breadcrumb">
          <a href={routeHash({ screen: 'study', studyId: study.id, area: 'cases', item: null })}>Cases</a> ›
        </p>
        <h1 id={headingId}>{kase.name}</h1>
        <div className="toolbar">
          <button
            type="button"
            className="danger-quiet"
            onClick={() => void caseFootprint(db, study.id, kase.id).then(setConfirming)}
          >
            Delete case…
          </button>
        </div>
      </header>
      <div className="case-columns">
        <section className="panel" aria-labelledby={`${headingId}-about`}>
          <h2 id={`${headingId}-about`}>About</h2>
          <CaseNameForm key={`${kase.id}:${kase.name}:${kase.description}`} core={core} kase={kase} />
        </section>
        <section className="panel" aria-labelledby={`${headingId}-attributes`}>
          <h2 id={`${headingId}-attributes`}>Attributes</h2>
          {attributes.length === 0 ? (
            <p className="hint">The study has no attributes yet. Add them in the cases table with “Add attribute…”.</p>
          ) : (
            <EditableGrid
              label={`Attributes of ${kase.name}`}
              rows={attributes}
              rowKey={(a) => a.id}
              rowName={() => kase.name}
              columns={attributeColumns}
              onSave={(def, _column, draft) => saveAttributeCell(history, study.id, kase, def, draft)}
            />
          )}
        </section>
        <section className="panel" aria-labelledby={`${headingId}-openness`}>
          <h2 id={`${headingId}-openness`}>Openness profile</h2>
          <OpennessEditor
            key={JSON.stringify(kase.openness)}
            profile={kase.openness}
            onChange={async (component, level) => (await history.perform(() => setOpenness(db, study.id, kase.id, component, level))) !== null}
          />
        </section>
        <section className="panel" aria-labelledby={`${headingId}-coding`}>
          <h2 id={`${headingId}-coding`}>Coding</h2>
          <CodingSummary core={core} kase={kase} />
        </section>
      </div>
      <section className="panel" aria-labelledby={`${headingId}-participants`}>
        <h2 id={`${headingId}-participants`}>Participants</h2>
        <ParticipantsTable core={core} participants={ownParticipants} allParticipants={participants} documents={documents} caseId={kase.id} />
      </section>
      <section className="panel" aria-labelledby={`${headingId}-documents`}>
        <h2 id={`${headingId}-documents`}>Transcripts</h2>
        {ownDocuments.length === 0 ? (
          <p className="hint">No transcript belongs to this case. Choose the case in a transcript’s details (Coding view) or when importing.</p>
        ) : (
          <ul className="link-list">
            {ownDocuments.map((d) => (
              <li key={d.id}>
                <a href={routeHash({ screen: 'study', studyId: study.id, area: 'coding', item: d.id })}>{d.title}</a>{' '}
                <span className="count">
                  ({d.codingCount} {d.codingCount === 1 ? 'coding' : 'codings'})
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="panel" aria-labelledby={`${headingId}-memos`}>
        <h2 id={`${headingId}-memos`}>Memos</h2>
        <OtherMemos caseId={kase.id} />
        <MemoEditor studyId={study.id} coderId={coderId} targetType="case" targetId={kase.id} label={`Memo on ${kase.name}`} />
        <p className="hint">Saved when you leave the field or press Ctrl+Enter; an emptied memo is deleted.</p>
      </section>
      {confirming && (
        <ConfirmDialog
          title={`Delete case “${kase.name}”?`}
          confirmLabel="Delete case"
          danger
          onClose={() => setConfirming(null)}
          onConfirm={async () => {
            const done = await history.perform(() => deleteCase(db, study.id, kase.id));
            if (done) navigate({ screen: 'study', studyId: study.id, area: 'cases', item: null });
          }}
        >
          <DeleteCaseText footprint={confirming} />
        </ConfirmDialog>
      )}
    </article>
  );
}

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
/** “a”, “a and b”, “a, b and c”. */
const joinAnd = (items: readonly string[]) => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

/** What deleting the case does to what hangs on it, in the words of the confirmation. */
function DeleteCaseText({ footprint }: { footprint: CaseFootprint }) {
  const kept = [
    footprint.documents > 0 ? count(footprint.documents, 'transcript') : null,
    footprint.participants > 0 ? count(footprint.participants, 'participant') : null,
    footprint.actors > 0 ? count(footprint.actors, 'network actor') : null,
  ].filter((x): x is string => x !== null);
  const gone = [footprint.memos > 0 ? `${count(footprint.memos, 'memo')} about the case` : null, footprint.overrides > 0 ? `${count(footprint.overrides, 'position override')} on the maps (with ${footprint.overrides === 1 ? 'its' : 'their'} justification)` : null].filter((x): x is string => x !== null);
  const many = footprint.documents + footprint.participants + footprint.actors > 1;
  return (
    <>
      <p>
        {kept.length === 0 ? 'No transcript, participant or network actor belongs to this case.' : `${joinAnd(kept)} ${many ? 'stay' : 'stays'} in the study, unlinked: ${many ? 'they' : 'it'} will belong to no case${footprint.documents > 0 ? ', and every coding is kept' : ''}.`}
      </p>
      {gone.length > 0 && <p>{`${joinAnd(gone)} ${footprint.memos + footprint.overrides === 1 ? 'is' : 'are'} deleted with it.`}</p>}
      <p>Its attribute values and openness profile go with it. Edit → Undo brings everything back.</p>
    </>
  );
}

function CaseNameForm({ core, kase }: { core: StudyCore; kase: Case }) {
  const history = useStudyHistory(core.study.id);
  const [name, setName] = useState(kase.name);
  const [description, setDescription] = useState(kase.description);
  const [problem, setProblem] = useState('');
  const id = useId();
  const dirty = name !== kase.name || description !== kase.description;
  const save = async () => {
    const trimmed = name.replace(/\s+/g, ' ').trim();
    const wrong = caseNameProblem(trimmed, core.cases, kase.id, 'A case needs a name.');
    if (wrong) return setProblem(wrong);
    setProblem('');
    await history.perform(() => updateCase(db, core.study.id, kase.id, { name: trimmed, description }));
  };
  return (
    <form
      className="case-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <label className="field" htmlFor={`${id}-name`}>
        <span>Name</span>
        <input id={`${id}-name`} value={name} aria-describedby={`${id}-problem`} onChange={(e) => setName(e.target.value)} />
      </label>
      <label className="field" htmlFor={`${id}-description`}>
        <span>Description</span>
        <textarea id={`${id}-description`} rows={3} value={description} onChange={(e) => setDescription(e.target.value)} />
      </label>
      <p className="field-problem" id={`${id}-problem`} role="alert">
        {problem}
      </p>
      <div className="toolbar">
        <button type="submit" className="primary" disabled={!dirty}>
          Save name and description
        </button>
      </div>
    </form>
  );
}

function CodingSummary({ core, kase }: { core: StudyCore; kase: Case }) {
  const summary = useLiveQuery(() => loadCaseCodingSummary(db, core.study.id, kase.id), [core.study.id, kase.id]);
  if (!summary) return <p className="hint">Counting…</p>;
  if (summary.segments === 0) return <p className="hint">Nothing coded in this case’s transcripts yet.</p>;
  const total = (field: 'challenge' | 'onRamp' | 'other') => core.stages.reduce((n, s) => n + (summary.cells.get(s.id)?.[field] ?? 0), 0);
  return (
    <>
      <table className="data-table">
        <caption className="hint">
          Coded segments per lifecycle stage and kind of code ({count(summary.segments, 'coded segment')} in all; a segment counts once per cell; cross-stage codes are left out).
        </caption>
        <thead>
          <tr>
            <th scope="col">Stage</th>
            <th scope="col" className="num">
              Challenges
            </th>
            <th scope="col" className="num">
              On-ramps
            </th>
            <th scope="col" className="num">
              Other
            </th>
          </tr>
        </thead>
        <tbody>
          {core.stages.map((s) => {
            const cell = summary.cells.get(s.id);
            return (
              <tr key={s.id}>
                <th scope="row">{s.name}</th>
                <td className="num">{cell?.challenge ?? 0}</td>
                <td className="num">{cell?.onRamp ?? 0}</td>
                <td className="num">{cell?.other ?? 0}</td>
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">All stages</th>
            <td className="num">{total('challenge')}</td>
            <td className="num">{total('onRamp')}</td>
            <td className="num">{total('other')}</td>
          </tr>
        </tfoot>
      </table>
    </>
  );
}

/** Memos about the case beyond the one edited below (a study file or a teammate can bring several). */
function OtherMemos({ caseId }: { caseId: string }) {
  const memos = useLiveQuery(async () => {
    const [all, edited] = await Promise.all([loadCaseMemos(db, caseId), findMemo(db, 'case', caseId)]);
    return all.filter((m) => m.id !== edited?.id);
  }, [caseId]);
  if (!memos || memos.length === 0) return null;
  return (
    <ul className="memo-list">
      {memos.map((m) => (
        <li key={m.id}>
          {m.title && <strong>{m.title}: </strong>}
          {m.text}
        </li>
      ))}
    </ul>
  );
}
