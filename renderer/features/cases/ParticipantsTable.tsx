/**
 * Participants: pseudonym, role, organisation, case and interview date, edited in place like
 * the cases table, each with links to the transcripts that name them. Used as the
 * Participants tab and, for one case, in the case detail.
 */
import { useId, useState } from 'react';
import type { Case, Guid, Participant } from '../../../shared/model/types.ts';
import { isRealDate } from '../../../shared/cases/attribute-values.ts';
import { useStudyHistory } from '../../app/history-context.tsx';
import { routeHash } from '../../app/route.ts';
import { ConfirmDialog } from '../../components/Dialog.tsx';
import { FormDialog } from '../../components/FormDialog.tsx';
import { addParticipant, deleteParticipant, updateParticipant, type CaseDocument, type ParticipantFields } from '../../data/cases.ts';
import type { StudyCore } from '../../data/hooks.ts';
import { db } from '../../data/instance.ts';
import { EditableGrid, type CellDraft, type GridColumn } from './EditableGrid.tsx';
import { matchesQuery } from './grid.ts';

const clean = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Why participant fields cannot be saved, or null (the data layer checks the same, inside the change). */
function participantProblem(fields: ParticipantFields, others: readonly Participant[], exceptId: Guid | null): string | null {
  const pseudonym = clean(fields.pseudonym);
  if (pseudonym === '') return 'A participant needs a pseudonym.';
  if (others.some((p) => p.id !== exceptId && p.pseudonym.toLocaleLowerCase() === pseudonym.toLocaleLowerCase())) return `A participant with the pseudonym “${pseudonym}” already exists. Pseudonyms must tell participants apart.`;
  const date = fields.interviewDate.trim();
  if (date !== '' && !isRealDate(date)) return `The interview date “${date}” is not a date written yyyy-mm-dd (for example 2025-03-06). Leave it empty when unknown.`;
  return null;
}

interface ParticipantRow {
  participant: Participant;
  documents: CaseDocument[];
}

type Field = 'pseudonym' | 'role' | 'organisation' | 'caseId' | 'interviewDate';

export function ParticipantsTable({
  core,
  participants,
  allParticipants,
  documents,
  caseId,
}: {
  core: StudyCore;
  participants: readonly Participant[];
  /** Every participant of the study, for the pseudonym check. */
  allParticipants: readonly Participant[];
  documents: readonly CaseDocument[];
  /** Set in a case's detail: new participants belong to that case, and the case column is left out. */
  caseId?: Guid;
}) {
  const { study, cases } = core;
  const history = useStudyHistory(study.id);
  const [query, setQuery] = useState('');
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<{ participant: Participant; documents: number } | null>(null);
  const caseName = new Map(cases.map((c) => [c.id, c.name]));
  const rows: ParticipantRow[] = participants.map((p) => ({ participant: p, documents: documents.filter((d) => d.participantIds.includes(p.id)) }));
  const visible = rows.filter((r) => matchesQuery([r.participant.pseudonym, r.participant.role, r.participant.organisation, caseName.get(r.participant.caseId ?? '') ?? '', r.participant.interviewDate], query));

  const save = async (row: ParticipantRow, field: Field, draft: CellDraft): Promise<string | null> => {
    const value = String(draft);
    const next: ParticipantFields = { ...row.participant, [field]: field === 'caseId' ? value || null : value };
    const problem = participantProblem(next, allParticipants, row.participant.id);
    if (problem) return problem;
    return (await history.perform(() => updateParticipant(db, study.id, row.participant.id, { [field]: next[field] }))) ? null : 'The change was not saved.';
  };

  const text = (id: Field & ('pseudonym' | 'role' | 'organisation'), label: string, rowHeader = false): GridColumn<ParticipantRow> => ({
    id,
    label,
    rowHeader,
    clearable: id !== 'pseudonym',
    sortValue: (r) => r.participant[id] || null,
    render: (r) => r.participant[id] || <span className="missing">—</span>,
    editor: (r) => ({ control: 'text', initial: r.participant[id] }),
  });
  const columns: GridColumn<ParticipantRow>[] = [
    text('pseudonym', 'Pseudonym', true),
    text('role', 'Role'),
    text('organisation', 'Organisation'),
    ...(caseId
      ? []
      : [
          {
            id: 'caseId',
            label: 'Case',
            clearable: true,
            sortValue: (r: ParticipantRow) => caseName.get(r.participant.caseId ?? '') ?? null,
            render: (r: ParticipantRow) =>
              r.participant.caseId ? (
                <a href={routeHash({ screen: 'study', studyId: study.id, area: 'cases', item: r.participant.caseId })}>{caseName.get(r.participant.caseId)}</a>
              ) : (
                <span className="missing">—</span>
              ),
            editor: (r: ParticipantRow) => ({ control: 'select' as const, initial: r.participant.caseId ?? '', options: [{ value: '', label: '(no case)' }, ...cases.map((c: Case) => ({ value: c.id, label: c.name }))] }),
          },
        ]),
    {
      id: 'interviewDate',
      label: 'Interview date',
      clearable: true,
      sortValue: (r) => r.participant.interviewDate || null,
      render: (r) => r.participant.interviewDate || <span className="missing">—</span>,
      editor: (r) => ({ control: 'date', initial: r.participant.interviewDate }),
    },
    {
      id: 'documents',
      label: 'Transcripts',
      sortValue: (r) => r.documents.length,
      render: (r) =>
        r.documents.length === 0 ? (
          <span className="missing">none</span>
        ) : (
          <ul className="link-list">
            {r.documents.map((d) => (
              <li key={d.id}>
                <a href={routeHash({ screen: 'study', studyId: study.id, area: 'coding', item: d.id })}>{d.title}</a>
              </li>
            ))}
          </ul>
        ),
    },
    {
      id: 'actions',
      label: 'Actions',
      sortable: false,
      sortValue: () => null,
      render: (r) => (
        <button type="button" className="quiet danger-quiet" aria-label={`Delete ${r.participant.pseudonym}`} onClick={() => setDeleting({ participant: r.participant, documents: r.documents.length })}>
          Delete
        </button>
      ),
    },
  ];

  return (
    <>
      <div className="table-filters">
        {!caseId && (
          <label className="inline-field">
            <span>Filter</span>
            <input type="search" value={query} placeholder="Pseudonyms, roles, organisations…" onChange={(e) => setQuery(e.target.value)} />
          </label>
        )}
        <button type="button" onClick={() => setAdding(true)}>
          Add participant…
        </button>
      </div>
      <div className="table-scroll" role="region" aria-label="Participants table">
        <EditableGrid
          label={caseId ? `Participants of ${caseName.get(caseId) ?? 'this case'}` : 'Participants'}
          rows={visible}
          rowKey={(r) => r.participant.id}
          rowName={(r) => r.participant.pseudonym}
          columns={columns}
          initialSort={{ column: 'pseudonym', descending: false }}
          empty={<p className="hint">{participants.length === 0 ? 'No participants yet: add one, or import a participants spreadsheet.' : 'No participant matches the filter.'}</p>}
          onSave={(row, column, draft) => save(row, column.id as Field, draft)}
        />
      </div>
      {adding && (
        <AddParticipantDialog
          cases={cases}
          caseId={caseId ?? null}
          problemOf={(fields) => participantProblem(fields, allParticipants, null)}
          onClose={() => setAdding(false)}
          onAdd={async (fields) => (await history.perform(() => addParticipant(db, study.id, fields, study.activeCoderId))) !== null}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete participant “${deleting.participant.pseudonym}”?`}
          confirmLabel="Delete participant"
          danger
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await history.perform(() => deleteParticipant(db, study.id, deleting.participant.id));
          }}
        >
          <p>
            {deleting.documents === 0
              ? 'No transcript names this participant.'
              : `${deleting.documents} ${deleting.documents === 1 ? 'transcript names' : 'transcripts name'} this participant; ${deleting.documents === 1 ? 'it stays' : 'they stay'}, with its codings, and no longer ${deleting.documents === 1 ? 'names' : 'name'} them.`}{' '}
            Edit → Undo brings the participant back.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

function AddParticipantDialog({
  cases,
  caseId,
  problemOf,
  onAdd,
  onClose,
}: {
  cases: readonly Case[];
  caseId: Guid | null;
  problemOf: (fields: ParticipantFields) => string | null;
  onAdd: (fields: ParticipantFields) => Promise<boolean>;
  onClose: () => void;
}) {
  const [fields, setFields] = useState<ParticipantFields>({ pseudonym: '', role: '', organisation: '', caseId, interviewDate: '' });
  const id = useId();
  const set = (patch: Partial<ParticipantFields>) => setFields((f) => ({ ...f, ...patch }));
  return (
    <FormDialog title="Add a participant" submitLabel="Add participant" problemId={`${id}-problem`} check={() => problemOf(fields)} onSubmit={() => onAdd(fields)} onClose={onClose}>
      <label className="field" htmlFor={`${id}-pseudonym`}>
        <span>Pseudonym</span>
        <input id={`${id}-pseudonym`} value={fields.pseudonym} autoFocus aria-describedby={`${id}-problem`} onChange={(e) => set({ pseudonym: e.target.value })} />
      </label>
      <label className="field" htmlFor={`${id}-role`}>
        <span>Role</span>
        <input id={`${id}-role`} value={fields.role} onChange={(e) => set({ role: e.target.value })} />
      </label>
      <label className="field" htmlFor={`${id}-organisation`}>
        <span>Organisation</span>
        <input id={`${id}-organisation`} value={fields.organisation} onChange={(e) => set({ organisation: e.target.value })} />
      </label>
      <label className="field" htmlFor={`${id}-case`}>
        <span>Case</span>
        <select id={`${id}-case`} value={fields.caseId ?? ''} onChange={(e) => set({ caseId: e.target.value || null })}>
          <option value="">(no case)</option>
          {cases.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field" htmlFor={`${id}-date`}>
        <span>Interview date</span>
        <input id={`${id}-date`} type="date" value={fields.interviewDate} onChange={(e) => set({ interviewDate: e.target.value })} />
      </label>
    </FormDialog>
  );
}
