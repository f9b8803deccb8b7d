/**
 * The team's side of the Documents area: who codes which transcript, how far each coder is,
 * and the blind switch. Everything here is a setting of the study (saved at once, not part of
 * undo) except adding a coder, which is an undoable change like any other.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { Document, Guid } from '../../../shared/model/types.ts';
import { MERGE_TEAMMATE_LABEL, useStudyActions } from '../../app/actions.tsx';
import { useStudyHistory } from '../../app/history-context.tsx';
import { routeHash } from '../../app/route.ts';
import { useNotices } from '../../components/Notices.tsx';
import { addCoder } from '../../data/coders.ts';
import type { StudyCore } from '../../data/hooks.ts';
import { db } from '../../data/instance.ts';
import { byName } from '../../data/studies.ts';
import {
  ASSIGNMENT_STATUS_LABELS,
  assignDocuments,
  assignmentOf,
  loadTeamProgress,
  nextStatus,
  setAssignmentStatus,
  setBlind,
  shortId,
  unassignDocuments,
  type AssignmentStatus,
  type CoderProgress,
} from '../../data/team.ts';
import './team.css';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function TeamPanel({ core: given, documents }: { core: StudyCore; documents: readonly Document[] }) {
  // Coders in name order everywhere in the panel (same-named coders by ID, so the order is stable).
  const core = useMemo(() => ({ ...given, coders: [...given.coders].sort((a, b) => byName(a.name, b.name) || a.id.localeCompare(b.id)) }), [given]);
  const studyId = core.study.id;
  const progress = useLiveQuery(() => loadTeamProgress(db, studyId), [studyId]);
  const { notify } = useNotices();
  const actions = useStudyActions();
  const [status, setStatus] = useState('');
  /** The switch's new position while it is being saved, so it moves the moment it is pressed. */
  const [savingBlind, setSavingBlind] = useState<boolean | null>(null);

  /** Runs a write of the team setting; a refusal is shown, and the screen keeps what is stored. */
  const write = async (action: () => Promise<unknown>, done: string) => {
    try {
      await action();
      setStatus(done);
    } catch (error) {
      notify('error', 'The team’s assignments were not changed', (error as Error).message);
    }
  };

  if (progress === undefined) return <p aria-busy="true">Loading the team…</p>;
  const { team } = progress;
  const coderProgress = new Map(progress.coders.map((c) => [c.coderId, c]));
  const documentProgress = new Map(progress.documents.map((d) => [d.documentId, d]));

  return (
    <div className="team-panel">
      <p className="visually-hidden" role="status" aria-live="polite">
        {status}
      </p>
      <section className="panel" aria-labelledby="blind-heading">
        <h2 id="blind-heading">Blind coding</h2>
        <label className="team-switch">
          <input
            type="checkbox"
            role="switch"
            checked={savingBlind ?? team.blind}
            onChange={(e) => {
              const on = e.target.checked;
              setSavingBlind(on);
              void write(() => setBlind(db, studyId, on), on ? 'Blind coding is on.' : 'Blind coding is off: every coder sees every coding.').finally(() => setSavingBlind(null));
            }}
          />
          <span>Code blind</span>
        </label>
        <p className="hint">
          Each coder sees only their own codings until you turn this off to compare. It applies to the Coding view and to searching within codings; matrices, reports and
          agreement always count the whole team’s work. Assignments and this switch are saved at once and are not part of undo.
        </p>
      </section>
      <section className="panel" aria-labelledby="merge-heading">
        <h2 id="merge-heading">Bring in a teammate’s coding</h2>
        <p className="hint">
          A teammate who coded in their own copy sends a study file or a .qdpx: their codings come in under their own coder, matched by GUID; nothing of yours is
          overwritten unless you choose it, and the whole merge is one step to undo.
        </p>
        <button type="button" onClick={() => void actions.mergeTeammateWork(core.study)}>
          {MERGE_TEAMMATE_LABEL}
        </button>
      </section>
      <CodersSection core={core} coderProgress={coderProgress} />
      <AssignSection core={core} documents={documents} onWrite={write} />
      <section className="panel" aria-labelledby="grid-heading">
        <h2 id="grid-heading">Assignments</h2>
        {core.coders.length === 0 || documents.length === 0 ? (
          <p className="hint">Add coders and transcripts to assign them.</p>
        ) : (
          <>
            <p className="hint" id="grid-help">
              Move with the arrow keys; Space or Enter moves a cell on: not assigned → assigned → in progress → done → not assigned. Delete takes the transcript away from that
              coder (their codings stay).
            </p>
            <AssignmentGrid
              core={core}
              documents={documents}
              statusOf={(documentId, coderId) => assignmentOf(team, documentId, coderId)?.status ?? null}
              codingsOf={(documentId, coderId) => progress.codings.get(documentId)?.get(coderId) ?? 0}
              documentNote={(documentId) => {
                const p = documentProgress.get(documentId);
                const total = p ? p.assigned + p.inProgress + p.done : 0;
                return total === 0 ? 'not assigned' : `${p!.done} of ${total} done`;
              }}
              onSet={(doc, coderId, next) => {
                const coder = core.coders.find((c) => c.id === coderId)?.name ?? 'the coder';
                void write(
                  () => (next === null ? unassignDocuments(db, studyId, [doc.id], coderId) : setAssignmentStatus(db, studyId, doc.id, coderId, next)),
                  next === null ? `${doc.title} is no longer assigned to ${coder}.` : `${doc.title}, ${coder}: ${ASSIGNMENT_STATUS_LABELS[next]}.`,
                );
              }}
            />
          </>
        )}
      </section>
    </div>
  );
}

function CodersSection({ core, coderProgress }: { core: StudyCore; coderProgress: ReadonlyMap<Guid, CoderProgress> }) {
  const studyId = core.study.id;
  const history = useStudyHistory(studyId);
  const [name, setName] = useState('');
  const sameName = useMemo(() => {
    const counts = new Map<string, number>();
    for (const c of core.coders) counts.set(c.name.toLowerCase(), (counts.get(c.name.toLowerCase()) ?? 0) + 1);
    return (n: string) => (counts.get(n.toLowerCase()) ?? 0) > 1;
  }, [core.coders]);
  return (
    <section className="panel" aria-labelledby="coders-heading">
      <h2 id="coders-heading">
        Coders <span className="count">({core.coders.length})</span>
      </h2>
      <p className="hint">Coders are told apart by their ID, not their name: a teammate’s work merges into the coder with the same ID.</p>
      <table className="data-table" aria-labelledby="coders-heading">
        <thead>
          <tr>
            <th scope="col">Coder</th>
            <th scope="col">ID</th>
            <th scope="col" className="num">
              Assigned
            </th>
            <th scope="col" className="num">
              In progress
            </th>
            <th scope="col" className="num">
              Done
            </th>
            <th scope="col" className="num">
              Codings in their transcripts
            </th>
            <th scope="col" className="num">
              All codings
            </th>
          </tr>
        </thead>
        <tbody>
          {core.coders.map((c) => {
            const p = coderProgress.get(c.id);
            return (
              <tr key={c.id}>
                <th scope="row">
                  {c.name}
                  {c.id === core.study.activeCoderId && <span className="badge">coding now</span>}
                  {sameName(c.name) && <span className="cell-note">another coder has this name</span>}
                </th>
                <td>
                  <code title={c.id}>{shortId(c.id)}</code>
                </td>
                <td className="num">{p?.assigned ?? 0}</td>
                <td className="num">{p?.inProgress ?? 0}</td>
                <td className="num">{p?.done ?? 0}</td>
                <td className="num">{p?.codingsInAssigned ?? 0}</td>
                <td className="num">{p?.codings ?? 0}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <form
        className="toolbar team-add-coder"
        onSubmit={async (e) => {
          e.preventDefault();
          const added = await history.perform(() => addCoder(db, studyId, name));
          if (added) setName('');
        }}
      >
        <label className="inline-field">
          <span>New coder’s name</span>
          <input value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <button type="submit">Add coder</button>
        <span className="hint">Adding a coder can be undone (Ctrl+Z).</span>
      </form>
    </section>
  );
}

function AssignSection({ core, documents, onWrite }: { core: StudyCore; documents: readonly Document[]; onWrite: (action: () => Promise<unknown>, done: string) => Promise<void> }) {
  const studyId = core.study.id;
  const [coderId, setCoderId] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const coder = core.coders.find((c) => c.id === coderId);
  const picked = chosen.filter((id) => documents.some((d) => d.id === id));
  const ready = coder !== undefined && picked.length > 0;
  return (
    <section className="panel" aria-labelledby="assign-heading">
      <h2 id="assign-heading">Assign transcripts</h2>
      <div className="team-assign">
        <label className="field">
          <span>Transcripts (Shift or Ctrl to choose several)</span>
          <select multiple size={Math.min(8, Math.max(3, documents.length))} value={picked} onChange={(e) => setChosen(Array.from(e.target.selectedOptions, (o) => o.value))}>
            {documents.map((d) => (
              <option key={d.id} value={d.id}>
                {d.title}
              </option>
            ))}
          </select>
        </label>
        <div className="team-assign-actions">
          <label className="inline-field">
            <span>Coder</span>
            <select value={coderId} onChange={(e) => setCoderId(e.target.value)}>
              <option value="">Choose a coder</option>
              {core.coders.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} ({shortId(c.id)})
                </option>
              ))}
            </select>
          </label>
          <div className="toolbar">
            <button type="button" onClick={() => setChosen(documents.map((d) => d.id))}>
              Choose all {documents.length} shown
            </button>
            <button
              type="button"
              className="primary"
              disabled={!ready}
              onClick={() => coder && void onWrite(() => assignDocuments(db, studyId, picked, coder.id), `${plural(picked.length, 'transcript')} assigned to ${coder.name}.`)}
            >
              Assign
            </button>
            <button
              type="button"
              disabled={!ready}
              onClick={() => coder && void onWrite(() => unassignDocuments(db, studyId, picked, coder.id), `${plural(picked.length, 'transcript')} no longer assigned to ${coder.name}.`)}
            >
              Unassign
            </button>
          </div>
          <p className="hint">
            {coder && picked.length > 0 ? `${plural(picked.length, 'transcript')} chosen for ${coder.name}. A transcript already assigned keeps its status.` : 'Choose transcripts and a coder.'}
          </p>
        </div>
      </div>
    </section>
  );
}

/** Where an arrow, Home or End key moves the focus in a grid (null for any other key). */
function cellAfter(key: string, ctrl: boolean, { row, column }: { row: number; column: number }, rows: number, columns: number): { row: number; column: number } | null {
  switch (key) {
    case 'ArrowUp':
      return { row: Math.max(0, row - 1), column };
    case 'ArrowDown':
      return { row: Math.min(rows - 1, row + 1), column };
    case 'ArrowLeft':
      return { row, column: Math.max(0, column - 1) };
    case 'ArrowRight':
      return { row, column: Math.min(columns - 1, column + 1) };
    case 'Home':
      return ctrl ? { row: 0, column: 0 } : { row, column: 0 };
    case 'End':
      return ctrl ? { row: rows - 1, column: columns - 1 } : { row, column: columns - 1 };
    default:
      return null;
  }
}

interface GridProps {
  core: StudyCore;
  documents: readonly Document[];
  statusOf: (documentId: Guid, coderId: Guid) => AssignmentStatus | null;
  codingsOf: (documentId: Guid, coderId: Guid) => number;
  documentNote: (documentId: Guid) => string;
  onSet: (doc: Document, coderId: Guid, status: AssignmentStatus | null) => void;
}

/** Transcripts × coders, one cell in the Tab order at a time (a roving focus, as in the matrices). */
function AssignmentGrid({ core, documents, statusOf, codingsOf, documentNote, onSet }: GridProps) {
  const [active, setActive] = useState({ row: 0, column: 0 });
  const tableRef = useRef<HTMLTableElement>(null);
  const rows = documents.length;
  const columns = core.coders.length;
  const at = { row: Math.min(active.row, rows - 1), column: Math.min(active.column, columns - 1) };

  const move = (event: KeyboardEvent<HTMLTableCellElement>, row: number, column: number) => {
    const doc = documents[row]!;
    const coderId = core.coders[column]!.id;
    if (event.key === ' ' || event.key === 'Enter') {
      event.preventDefault();
      onSet(doc, coderId, nextStatus(statusOf(doc.id, coderId)));
      return;
    }
    if (event.key === 'Delete' || event.key === 'Backspace') {
      event.preventDefault();
      if (statusOf(doc.id, coderId) !== null) onSet(doc, coderId, null);
      return;
    }
    const next = cellAfter(event.key, event.ctrlKey, { row, column }, rows, columns);
    if (!next) return;
    event.preventDefault();
    setActive(next);
    tableRef.current?.querySelector<HTMLElement>(`[data-cell="${next.row}:${next.column}"]`)?.focus();
  };

  return (
    <div className="table-scroll team-grid-scroll">
      <table ref={tableRef} className="data-table team-grid" role="grid" aria-label="Assignments: transcripts by coder" aria-describedby="grid-help" aria-rowcount={rows + 1} aria-colcount={columns + 2}>
        <thead>
          <tr>
            <th scope="col">Transcript</th>
            {core.coders.map((c) => (
              <th key={c.id} scope="col">
                {c.name} <span className="cell-note inline">{shortId(c.id)}</span>
              </th>
            ))}
            <th scope="col">Progress</th>
          </tr>
        </thead>
        <tbody>
          {documents.map((d, r) => (
            <tr key={d.id}>
              <th scope="row">
                <a href={routeHash({ screen: 'study', studyId: core.study.id, area: 'coding', item: d.id })}>{d.title}</a>
              </th>
              {core.coders.map((c, column) => {
                const status = statusOf(d.id, c.id);
                const codings = codingsOf(d.id, c.id);
                const label = status ? ASSIGNMENT_STATUS_LABELS[status] : 'Not assigned';
                return (
                  <td
                    key={c.id}
                    role="gridcell"
                    data-cell={`${r}:${column}`}
                    data-status={status ?? 'none'}
                    tabIndex={at.row === r && at.column === column ? 0 : -1}
                    className={`team-cell status-${status ?? 'none'}`}
                    onKeyDown={(e) => move(e, r, column)}
                    onFocus={() => (active.row !== r || active.column !== column) && setActive({ row: r, column })}
                    onClick={() => onSet(d, c.id, nextStatus(status))}
                  >
                    {/* Read out as one sentence; seen as the status and the count. */}
                    <span className="visually-hidden">{`${d.title}, ${c.name}: ${label}, ${plural(codings, 'coding')}`}</span>
                    <span className="team-status" aria-hidden="true">
                      {status ? label : '—'}
                    </span>
                    {codings > 0 && (
                      <span className="cell-note" aria-hidden="true">
                        {plural(codings, 'coding')}
                      </span>
                    )}
                  </td>
                );
              })}
              <td>{documentNote(d.id)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
