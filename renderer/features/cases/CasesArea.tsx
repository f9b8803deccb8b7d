/**
 * The Cases area: the projects studied and the people interviewed. Two tabs (the cases
 * table, the participants table) and, at #/study/<id>/cases/<caseId>, one case's detail.
 * Every edit is one undoable change (renderer/data/cases.ts).
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useId, useState } from 'react';
import { OPENNESS_COMPONENTS, OPENNESS_LABELS, type Case } from '../../../shared/model/types.ts';
import { useStudyHistory } from '../../app/history-context.tsx';
import { routeHash } from '../../app/route.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { FormDialog } from '../../components/FormDialog.tsx';
import { TabList } from '../../components/TabList.tsx';
import { addAttribute, addCase, loadCaseLinks } from '../../data/cases.ts';
import type { StudyCore } from '../../data/hooks.ts';
import { db } from '../../data/instance.ts';
import { AddAttributeDialog } from './AttributeDialogs.tsx';
import { CaseDetail } from './CaseDetail.tsx';
import { caseNameProblem, CasesTable, type CaseRow } from './CasesTable.tsx';
import { ParticipantsTable } from './ParticipantsTable.tsx';
import { CaseSpreadsheetActions } from './spreadsheet/CaseSpreadsheetActions.tsx';
import './cases.css';

type Tab = 'cases' | 'participants';
const TABS = [
  { id: 'cases', label: 'Cases' },
  { id: 'participants', label: 'Participants' },
] as const;

export function CasesArea({ core, caseId = null }: { core: StudyCore; caseId?: string | null }) {
  const { study, cases, attributes } = core;
  const history = useStudyHistory(study.id);
  const links = useLiveQuery(() => loadCaseLinks(db, study.id), [study.id]);
  const [tab, setTab] = useState<Tab>('cases');
  const [open, setOpen] = useState<'case' | 'attribute' | null>(null);
  const panelId = useId();

  if (caseId !== null) {
    const kase = cases.find((c) => c.id === caseId);
    if (!kase) {
      return (
        <EmptyState title="This case is not here" action={<a href={routeHash({ screen: 'study', studyId: study.id, area: 'cases', item: null })}>Go to the cases</a>}>
          <p>It may have been deleted (Edit → Undo brings it back) or renamed in another study.</p>
        </EmptyState>
      );
    }
    if (!links) return <p className="loading" aria-busy="true">Opening case…</p>;
    return <CaseDetail core={core} kase={kase} participants={links.participants} documents={links.documents} />;
  }

  const rows: CaseRow[] = cases.map((c) => ({
    case: c,
    participants: links?.participants.filter((p) => p.caseId === c.id) ?? [],
    documents: links?.documents.filter((d) => d.caseId === c.id) ?? [],
  }));

  return (
    <div className="cases-area">
      <header className="area-header">
        <h1>Cases</h1>
        <p className="lead">
          {cases.length} {cases.length === 1 ? 'project' : 'projects'} studied, {links?.participants.length ?? '…'} participants. The openness profile shows, in order,{' '}
          {OPENNESS_COMPONENTS.map((c) => OPENNESS_LABELS[c].toLowerCase()).join(', ')}: filled is open, half is partly open, empty is closed, dotted is unknown.
        </p>
        <div className="toolbar cases-toolbar">
          <button type="button" className="primary" onClick={() => setOpen('case')}>
            Add case…
          </button>
          <button type="button" onClick={() => setOpen('attribute')}>
            Add attribute…
          </button>
          {/* Spreadsheet import and export (renderer/features/cases/spreadsheet/). */}
          <CaseSpreadsheetActions core={core} kind={tab === 'participants' ? 'participants' : 'cases'} />
        </div>
      </header>
      <TabList tabs={TABS} value={tab} onChange={setTab} label="Cases and participants" idPrefix="cases-tab" panelId={panelId} />
      <div id={panelId} role="tabpanel" aria-labelledby={`cases-tab-${tab}`} className="cases-panel">
        {tab === 'cases' ? (
          cases.length === 0 ? (
            <EmptyState title="No cases yet">
              <p>Cases are the open projects you study. Each has attributes (region, organisation type, licence class, …) and an openness profile, which matrices and maps group by.</p>
              <p>Add one with “Add case…”, import a spreadsheet of cases, or import a study file that contains cases.</p>
            </EmptyState>
          ) : (
            <CasesTable core={core} rows={rows} />
          )
        ) : links ? (
          <ParticipantsTable core={core} participants={links.participants} allParticipants={links.participants} documents={links.documents} />
        ) : (
          <p className="loading" aria-busy="true">Loading participants…</p>
        )}
      </div>
      {open === 'case' && (
        <AddCaseDialog
          cases={cases}
          onClose={() => setOpen(null)}
          onAdd={async (name) => (await history.perform(() => addCase(db, study.id, name, study.activeCoderId))) !== null}
        />
      )}
      {open === 'attribute' && (
        <AddAttributeDialog
          attributes={attributes}
          onClose={() => setOpen(null)}
          onAdd={async (fields) => (await history.perform(() => addAttribute(db, study.id, fields, study.activeCoderId))) !== null}
        />
      )}
    </div>
  );
}

function AddCaseDialog({ cases, onAdd, onClose }: { cases: readonly Case[]; onAdd: (name: string) => Promise<boolean>; onClose: () => void }) {
  const [name, setName] = useState('');
  const id = useId();
  const trimmed = name.replace(/\s+/g, ' ').trim();
  return (
    <FormDialog
      title="Add a case"
      submitLabel="Add case"
      problemId={`${id}-problem`}
      check={() => caseNameProblem(trimmed, cases, null, 'Type a name for the case.')}
      onSubmit={() => onAdd(trimmed)}
      onClose={onClose}
    >
      <label className="field" htmlFor={`${id}-name`}>
        <span>Name</span>
        <input id={`${id}-name`} value={name} autoFocus aria-describedby={`${id}-problem`} placeholder="e.g. BLOOM (BigScience)" onChange={(e) => setName(e.target.value)} />
      </label>
      <p className="hint">Its attributes start empty and its openness unknown: fill them in the table or in the case’s page.</p>
    </FormDialog>
  );
}
