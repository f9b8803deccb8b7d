/**
 * Dialogs for the attributes of cases: add one, rename it, change its type, edit a
 * category's values, delete it. Each checks what it can before writing (a name taken, an
 * empty value) so the researcher reads the problem in the dialog; the data layer checks again
 * inside the change and refuses anything that slipped past (shown as a notice).
 */
import { useId, useState } from 'react';
import { ATTRIBUTE_TYPES, type AttributeDef, type AttributeType } from '../../../shared/model/types.ts';
import { ConfirmDialog } from '../../components/Dialog.tsx';
import { FormDialog } from '../../components/FormDialog.tsx';

const TYPE_LABELS: Record<AttributeType, string> = { text: 'Text', number: 'Number', boolean: 'Yes / no', date: 'Date', category: 'Category (a list of values)' };
const quoted = (s: string) => `“${s}”`;
const clean = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Why a name cannot be used for an attribute, or null. */
function attributeNameProblem(name: string, attributes: readonly AttributeDef[], exceptId: string | null): string | null {
  const trimmed = clean(name);
  if (trimmed === '') return 'Type a name for the attribute.';
  if (attributes.some((a) => a.id !== exceptId && a.name.toLocaleLowerCase() === trimmed.toLocaleLowerCase())) return `An attribute named ${quoted(trimmed)} already exists. Choose another name.`;
  return null;
}

/** One value per line, as the researcher typed them; problems with the list, or null. */
function categoryValuesProblem(lines: readonly string[]): string | null {
  const values = lines.map(clean).filter((v) => v !== '');
  if (values.length === 0) return 'A category needs at least one value: type one per line.';
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v.toLocaleLowerCase())) return `${quoted(v)} is listed twice.`;
    seen.add(v.toLocaleLowerCase());
  }
  return null;
}
const splitLines = (text: string) => text.split('\n').map(clean).filter((v) => v !== '');

function ValuesField({ id, value, onChange }: { id: string; value: string; onChange: (text: string) => void }) {
  return (
    <label className="field" htmlFor={id}>
      <span>Values, one per line, in the order groups should appear</span>
      <textarea id={id} rows={5} value={value} onChange={(e) => onChange(e.target.value)} />
    </label>
  );
}

export function AddAttributeDialog({
  attributes,
  onAdd,
  onClose,
}: {
  attributes: readonly AttributeDef[];
  onAdd: (fields: { name: string; type: AttributeType; values: string[] }) => Promise<boolean>;
  onClose: () => void;
}) {
  const [name, setName] = useState('');
  const [type, setType] = useState<AttributeType>('text');
  const [values, setValues] = useState('');
  const ids = { name: useId(), type: useId(), values: useId(), problem: useId() };
  return (
    <FormDialog
      title="Add an attribute"
      submitLabel="Add attribute"
      problemId={ids.problem}
      check={() => attributeNameProblem(name, attributes, null) ?? (type === 'category' ? categoryValuesProblem(splitLines(values)) : null)}
      onSubmit={() => onAdd({ name: clean(name), type, values: type === 'category' ? splitLines(values) : [] })}
      onClose={onClose}
    >
      <p className="hint">Attributes describe every case (region, licence, number of contributors…). Matrices and maps can group cases by them.</p>
      <label className="field" htmlFor={ids.name}>
        <span>Name</span>
        <input id={ids.name} value={name} autoFocus aria-describedby={ids.problem} onChange={(e) => setName(e.target.value)} />
      </label>
      <label className="field" htmlFor={ids.type}>
        <span>Type</span>
        <select id={ids.type} value={type} onChange={(e) => setType(e.target.value as AttributeType)}>
          {ATTRIBUTE_TYPES.map((t) => (
            <option key={t} value={t}>
              {TYPE_LABELS[t]}
            </option>
          ))}
        </select>
      </label>
      {type === 'category' && <ValuesField id={ids.values} value={values} onChange={setValues} />}
    </FormDialog>
  );
}

export function RenameAttributeDialog({ attribute, attributes, onRename, onClose }: { attribute: AttributeDef; attributes: readonly AttributeDef[]; onRename: (name: string) => Promise<boolean>; onClose: () => void }) {
  const [name, setName] = useState(attribute.name);
  const ids = { name: useId(), problem: useId() };
  return (
    <FormDialog
      title={`Rename attribute ${quoted(attribute.name)}`}
      submitLabel="Rename"
      problemId={ids.problem}
      check={() => attributeNameProblem(name, attributes, attribute.id)}
      onSubmit={async () => clean(name) === attribute.name || onRename(clean(name))}
      onClose={onClose}
    >
      <label className="field" htmlFor={ids.name}>
        <span>New name</span>
        <input id={ids.name} value={name} autoFocus aria-describedby={ids.problem} onChange={(e) => setName(e.target.value)} />
      </label>
    </FormDialog>
  );
}

export function ChangeTypeDialog({
  attribute,
  inUse,
  check,
  onChange,
  onClose,
}: {
  attribute: AttributeDef;
  /** The distinct values cases have, as text: the starting list of a new category. */
  inUse: readonly string[];
  /** Why the change cannot be made (a value that does not convert), or null: the rule the change itself applies. */
  check: (type: AttributeType, values: string[] | undefined) => string | null;
  onChange: (type: AttributeType, values: string[] | undefined) => Promise<boolean>;
  onClose: () => void;
}) {
  const [type, setType] = useState<AttributeType>(attribute.type);
  const [values, setValues] = useState((attribute.type === 'category' ? attribute.values : inUse).join('\n'));
  const typeId = useId();
  const valuesId = useId();
  const unchanged = type === attribute.type;
  // A new category starts from the values typed here; another type needs none.
  const list = type === 'category' && attribute.type !== 'category' ? splitLines(values) : undefined;
  return (
    <FormDialog
      title={`Change the type of ${quoted(attribute.name)}`}
      submitLabel="Change type"
      check={() => (unchanged ? null : ((list ? categoryValuesProblem(list) : null) ?? check(type, list)))}
      onSubmit={async () => unchanged || onChange(type, list)}
      onClose={onClose}
    >
      <p className="hint">
        Every case’s value is converted to the new type. If any value does not convert (a word where a number is wanted), nothing changes and you are told which cases to correct first.
      </p>
      <label className="field" htmlFor={typeId}>
        <span>Type</span>
        <select id={typeId} value={type} autoFocus onChange={(e) => setType(e.target.value as AttributeType)}>
          {ATTRIBUTE_TYPES.map((t) => (
            <option key={t} value={t}>
              {TYPE_LABELS[t]}
            </option>
          ))}
        </select>
      </label>
      {type === 'category' && attribute.type !== 'category' && <ValuesField id={valuesId} value={values} onChange={setValues} />}
    </FormDialog>
  );
}

interface ValueRow {
  key: number;
  value: string;
  was: string | null;
}

/**
 * A category's values as rows: renaming a row renames the value in every case that has it;
 * removing one is refused while cases use it (the refusal names them).
 */
export function EditValuesDialog({
  attribute,
  usage,
  onSave,
  onClose,
}: {
  attribute: AttributeDef;
  /** How many cases have each value. */
  usage: ReadonlyMap<string, number>;
  onSave: (edits: { value: string; was: string | null }[]) => Promise<boolean>;
  onClose: () => void;
}) {
  const [rows, setRows] = useState<ValueRow[]>(attribute.values.map((v, i) => ({ key: i, value: v, was: v })));
  const nextKey = Math.max(-1, ...rows.map((r) => r.key)) + 1;
  const update = (key: number, value: string) => setRows((all) => all.map((r) => (r.key === key ? { ...r, value } : r)));
  const move = (index: number, by: number) =>
    setRows((all) => {
      const next = [...all];
      const [row] = next.splice(index, 1);
      next.splice(index + by, 0, row!);
      return next;
    });
  const check = () => {
    const wrong = categoryValuesProblem(rows.map((r) => r.value)) ?? (rows.some((r) => clean(r.value) === '') ? 'A value is empty: type its name, or remove it.' : null);
    if (wrong) return wrong;
    const removed = attribute.values.filter((v) => !rows.some((r) => r.was === v) && (usage.get(v) ?? 0) > 0);
    if (removed.length === 0) return null;
    return `${removed.map((v) => `${quoted(v)} (${usage.get(v)} ${usage.get(v) === 1 ? 'case' : 'cases'})`).join(', ')} ${removed.length === 1 ? 'is' : 'are'} still in use. Give those cases another value first, or rename the value instead.`;
  };
  return (
    <FormDialog
      title={`Values of ${quoted(attribute.name)}`}
      submitLabel="Save values"
      check={check}
      onSubmit={() => onSave(rows.map((r) => ({ value: clean(r.value), was: r.was })))}
      onClose={onClose}
    >
      <p className="hint">Renaming a value renames it in every case that has it. Groups in matrices follow this order.</p>
      <ol className="value-rows">
        {rows.map((row, i) => (
          <li key={row.key}>
            <input aria-label={`Value ${i + 1}`} value={row.value} autoFocus={i === 0} onChange={(e) => update(row.key, e.target.value)} />
            <span className="hint">{row.was !== null ? `${usage.get(row.was) ?? 0} ${(usage.get(row.was) ?? 0) === 1 ? 'case' : 'cases'}` : 'new'}</span>
            <button type="button" className="quiet" aria-label={`Move ${row.value || 'value'} up`} disabled={i === 0} onClick={() => move(i, -1)}>
              ↑
            </button>
            <button type="button" className="quiet" aria-label={`Move ${row.value || 'value'} down`} disabled={i === rows.length - 1} onClick={() => move(i, 1)}>
              ↓
            </button>
            <button type="button" className="quiet danger-quiet" aria-label={`Remove ${row.value || 'value'}`} onClick={() => setRows((all) => all.filter((r) => r.key !== row.key))}>
              Remove
            </button>
          </li>
        ))}
      </ol>
      <div>
        <button type="button" onClick={() => setRows((all) => [...all, { key: nextKey, value: '', was: null }])}>
          Add a value
        </button>
      </div>
    </FormDialog>
  );
}

export function DeleteAttributeDialog({ attribute, usage, onDelete, onClose }: { attribute: AttributeDef; usage: number; onDelete: () => Promise<void>; onClose: () => void }) {
  return (
    <ConfirmDialog title={`Delete attribute ${quoted(attribute.name)}?`} confirmLabel="Delete attribute" danger onConfirm={onDelete} onClose={onClose}>
      <p>
        {usage === 0
          ? 'No case has a value of this attribute.'
          : `${usage} ${usage === 1 ? 'case has a value' : 'cases have a value'} of this attribute; ${usage === 1 ? 'it goes' : 'they go'} with it.`}{' '}
        Matrices and maps grouped by it lose that grouping. Edit → Undo brings the attribute and every value back.
      </p>
    </ConfirmDialog>
  );
}
