/**
 * The cases table: one row per case, its attributes as columns, the openness profile and
 * how many participants and transcripts it has. Sorted by any column, filtered by text and
 * by category or yes/no values, edited in place (EditableGrid). Attribute columns carry a
 * menu to rename, retype, edit values, move or delete the attribute.
 */
import { useState } from 'react';
import { formatAttributeValue, isNoValue, parseAttributeValue } from '../../../shared/cases/attribute-values.ts';
import { OPENNESS_COMPONENTS, type AttributeDef, type AttributeType, type AttributeValue, type Case, type Guid, type Participant } from '../../../shared/model/types.ts';
import { useStudyHistory, type StudyHistory } from '../../app/history-context.tsx';
import { routeHash } from '../../app/route.ts';
import { ChoiceSelect } from '../../components/ChoiceSelect.tsx';
import {
  attributeUsage,
  changeAttributeType,
  convertAttributeType,
  deleteAttribute,
  editCategoryValues,
  moveAttribute,
  renameAttribute,
  setCaseAttribute,
  updateCase,
  type CaseDocument,
} from '../../data/cases.ts';
import type { StudyCore } from '../../data/hooks.ts';
import { db } from '../../data/instance.ts';
import { ChangeTypeDialog, DeleteAttributeDialog, EditValuesDialog, RenameAttributeDialog } from './AttributeDialogs.tsx';
import { AttributeMenu } from './AttributeMenu.tsx';
import { AttributeValueText } from './AttributeValueText.tsx';
import { EditableGrid, type CellDraft, type CellEditor, type GridColumn } from './EditableGrid.tsx';
import { matchesQuery } from './grid.ts';
import { OpennessProfileView } from './OpennessProfileView.tsx';

export interface CaseRow {
  case: Case;
  participants: Participant[];
  documents: CaseDocument[];
}

const NO_VALUE = '\u0000none';

/** The control that edits a value of this attribute, starting from the case's value. */
export function attributeEditor(def: AttributeDef, value: AttributeValue | undefined): CellEditor {
  const text = isNoValue(value) ? '' : formatAttributeValue(def, value!);
  switch (def.type) {
    case 'boolean':
      return { control: 'checkbox', initial: value === true };
    case 'category':
      return { control: 'select', initial: text, options: [{ value: '', label: '(no value)' }, ...def.values.map((v) => ({ value: v, label: v }))] };
    case 'date':
      return { control: 'date', initial: text };
    case 'number':
      return { control: 'number', initial: text };
    case 'text':
      return { control: 'text', initial: text };
  }
}

/** A typed cell read under the attribute's rules: the value, or the message to show beside the cell. */
function readCell(def: AttributeDef, draft: CellDraft): { ok: true; value: AttributeValue } | { ok: false; message: string } {
  if (typeof draft === 'boolean') return { ok: true, value: draft };
  return parseAttributeValue(def, draft);
}

/** Saves a cell as a case's value of an attribute (the table and the case's page): the message to show beside the cell, or null. */
export async function saveAttributeCell(history: StudyHistory, studyId: Guid, kase: Case, def: AttributeDef, draft: CellDraft): Promise<string | null> {
  const read = readCell(def, draft);
  if (!read.ok) return read.message;
  const current = kase.attributes[def.id];
  if (isNoValue(read.value) ? isNoValue(current) : read.value === current) return null;
  return (await history.perform(() => setCaseAttribute(db, studyId, kase.id, def.id, read.value))) ? null : 'The value was not saved.';
}

/**
 * Why a case cannot take this name (already folded to single spaces and trimmed), or null: `empty`
 * says what to do without one, which differs by place; names are unique whatever their case, as updateCase checks.
 */
export function caseNameProblem(name: string, cases: readonly Case[], exceptId: Guid | null, empty: string): string | null {
  if (name === '') return empty;
  if (cases.some((c) => c.id !== exceptId && c.name.toLocaleLowerCase() === name.toLocaleLowerCase())) return `A case named “${name}” already exists. Choose another name.`;
  return null;
}

/** Texts a row is searched by: name, description, values as shown, participants' pseudonyms. */
function searchTexts(row: CaseRow, attributes: readonly AttributeDef[]): string[] {
  return [
    row.case.name,
    row.case.description,
    ...attributes.map((a) => {
      const v = row.case.attributes[a.id];
      return isNoValue(v) ? '' : a.type === 'boolean' ? (v ? `${a.name} yes` : `${a.name} no`) : formatAttributeValue(a, v!);
    }),
    ...row.participants.map((p) => p.pseudonym),
  ];
}

const OPENNESS_SCORE = { open: 2, partial: 1, closed: 0, unknown: 0 } as const;

type Open =
  | { dialog: 'rename' | 'type' | 'values'; attribute: AttributeDef }
  | { dialog: 'delete'; attribute: AttributeDef; usage: number }
  | null;

export function CasesTable({ core, rows }: { core: StudyCore; rows: readonly CaseRow[] }) {
  const { study, attributes } = core;
  const history = useStudyHistory(study.id);
  const [query, setQuery] = useState('');
  const [filters, setFilters] = useState<Record<string, string>>({});
  const [open, setOpen] = useState<Open>(null);
  const filterable = attributes.filter((a) => a.type === 'category' || a.type === 'boolean');

  const visible = rows.filter((row) => {
    if (!matchesQuery(searchTexts(row, attributes), query)) return false;
    return filterable.every((a) => {
      const wanted = filters[a.id] ?? '';
      if (wanted === '') return true;
      const v = row.case.attributes[a.id];
      return wanted === NO_VALUE ? isNoValue(v) : !isNoValue(v) && String(v) === wanted;
    });
  });

  const saveName = async (row: CaseRow, draft: CellDraft): Promise<string | null> => {
    const name = String(draft).replace(/\s+/g, ' ').trim();
    const problem = caseNameProblem(name, core.cases, row.case.id, 'A case needs a name. Type one, or press Escape to keep the old name.');
    if (problem) return problem;
    if (name === row.case.name) return null;
    return (await history.perform(() => updateCase(db, study.id, row.case.id, { name }))) ? null : 'The name was not saved.';
  };

  const menuActions = (a: AttributeDef, index: number) => [
    { id: 'rename', label: 'Rename…', run: () => setOpen({ dialog: 'rename', attribute: a }) },
    { id: 'type', label: 'Change type…', run: () => setOpen({ dialog: 'type', attribute: a }) },
    { id: 'values', label: 'Edit values…', disabled: a.type !== 'category', run: () => setOpen({ dialog: 'values', attribute: a }) },
    { id: 'left', label: 'Move left', disabled: index === 0, run: () => void history.perform(() => moveAttribute(db, study.id, a.id, index - 1)) },
    { id: 'right', label: 'Move right', disabled: index === attributes.length - 1, run: () => void history.perform(() => moveAttribute(db, study.id, a.id, index + 1)) },
    {
      id: 'delete',
      label: 'Delete…',
      run: () => void attributeUsage(db, study.id, a.id).then((usage) => setOpen({ dialog: 'delete', attribute: a, usage })),
    },
  ];

  const columns: GridColumn<CaseRow>[] = [
    {
      id: 'case',
      label: 'Case',
      rowHeader: true,
      sortValue: (row) => row.case.name,
      render: (row) => (
        <>
          <a href={routeHash({ screen: 'study', studyId: study.id, area: 'cases', item: row.case.id })}>{row.case.name}</a>
          {row.case.description && <span className="cell-note" title={row.case.description}>
              {row.case.description}
            </span>}
        </>
      ),
      editor: (row) => ({ control: 'text', initial: row.case.name }),
    },
    ...attributes.map(
      (a, index): GridColumn<CaseRow> => ({
        id: `attr:${a.id}`,
        label: a.name,
        numeric: a.type === 'number',
        clearable: true,
        headerExtra: <AttributeMenu name={a.name} actions={menuActions(a, index)} />,
        sortValue: (row) => {
          const v = row.case.attributes[a.id];
          return isNoValue(v) ? null : v!;
        },
        render: (row) => <AttributeValueText def={a} value={row.case.attributes[a.id]} />,
        editor: (row) => attributeEditor(a, row.case.attributes[a.id]),
      }),
    ),
    {
      id: 'openness',
      label: 'Openness',
      sortValue: (row) => OPENNESS_COMPONENTS.reduce((n, c) => n + OPENNESS_SCORE[row.case.openness[c]], 0),
      render: (row) => <OpennessProfileView profile={row.case.openness} />,
    },
    { id: 'participants', label: 'Participants', numeric: true, sortValue: (row) => row.participants.length, render: (row) => row.participants.length },
    { id: 'documents', label: 'Transcripts', numeric: true, sortValue: (row) => row.documents.length, render: (row) => row.documents.length },
  ];

  const dialogAttribute = open?.attribute;
  const valueTexts = (a: AttributeDef) => {
    const counts = new Map<string, number>();
    for (const row of rows) {
      const v = row.case.attributes[a.id];
      if (!isNoValue(v)) counts.set(formatAttributeValue(a, v!), (counts.get(formatAttributeValue(a, v!)) ?? 0) + 1);
    }
    return counts;
  };

  return (
    <>
      <div className="table-filters" role="search" aria-label="Filter cases">
        <label className="inline-field">
          <span>Filter</span>
          <input type="search" value={query} placeholder="Names, descriptions, values…" onChange={(e) => setQuery(e.target.value)} />
        </label>
        {filterable.map((a) => (
          <ChoiceSelect
            key={a.id}
            label={a.name}
            value={filters[a.id] ?? ''}
            emptyLabel="Any"
            choices={[
              ...(a.type === 'boolean' ? [{ value: 'true', label: 'Yes' }, { value: 'false', label: 'No' }] : a.values.map((v) => ({ value: v, label: v }))),
              { value: NO_VALUE, label: '(no value)' },
            ]}
            onChange={(value) => setFilters((all) => ({ ...all, [a.id]: value }))}
          />
        ))}
        <span className="hint" aria-live="polite">
          {visible.length === rows.length ? `${rows.length} cases` : `${visible.length} of ${rows.length} cases shown`}
        </span>
      </div>
      <p className="hint keys">Arrows move between cells · Enter or F2 edits a cell · Enter or leaving the field saves · Escape cancels · Delete clears a value</p>
      <div className="table-scroll cases-table" role="region" aria-label="Cases table">
        <EditableGrid
          label="Cases and their attributes"
          rows={visible}
          rowKey={(row) => row.case.id}
          rowName={(row) => row.case.name}
          columns={columns}
          initialSort={{ column: 'case', descending: false }}
          empty={<p className="hint">No case matches the filter.</p>}
          onSave={(row, column, draft) => {
            if (column.id === 'case') return saveName(row, draft);
            const def = attributes.find((a) => `attr:${a.id}` === column.id);
            return def ? saveAttributeCell(history, study.id, row.case, def, draft) : Promise.resolve(null);
          }}
        />
      </div>
      {open?.dialog === 'rename' && dialogAttribute && (
        <RenameAttributeDialog
          attribute={dialogAttribute}
          attributes={attributes}
          onClose={() => setOpen(null)}
          onRename={async (name) => (await history.perform(() => renameAttribute(db, study.id, dialogAttribute.id, name))) !== null}
        />
      )}
      {open?.dialog === 'type' && dialogAttribute && (
        <ChangeTypeDialog
          attribute={dialogAttribute}
          inUse={[...valueTexts(dialogAttribute).keys()].sort((a, b) => a.localeCompare(b))}
          check={(type, values) => {
            const result = convertAttributeType(dialogAttribute, core.cases, type, values, new Date().toISOString());
            return result.ok ? null : result.message;
          }}
          onClose={() => setOpen(null)}
          onChange={async (type: AttributeType, values) => (await history.perform(() => changeAttributeType(db, study.id, dialogAttribute.id, type, values))) !== null}
        />
      )}
      {open?.dialog === 'values' && dialogAttribute && (
        <EditValuesDialog
          attribute={dialogAttribute}
          usage={valueTexts(dialogAttribute)}
          onClose={() => setOpen(null)}
          onSave={async (edits) => (await history.perform(() => editCategoryValues(db, study.id, dialogAttribute.id, edits))) !== null}
        />
      )}
      {open?.dialog === 'delete' && dialogAttribute && (
        <DeleteAttributeDialog
          attribute={dialogAttribute}
          usage={open.usage}
          onClose={() => setOpen(null)}
          onDelete={async () => {
            await history.perform(() => deleteAttribute(db, study.id, dialogAttribute.id));
          }}
        />
      )}
    </>
  );
}
