/**
 * One code's definition, edited in place: every field saves when it loses focus (or on
 * Enter in a one-line field), each save one undoable change with an entry in the code's
 * history. Examples are typical or atypical and may be taken from a coded segment.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { CODE_KIND_LABELS, CODE_KINDS, CODE_STATUSES, COLLABORATION_MODES, type Code, type CodeExample, type Coder, type Guid, type Stage } from '../../../shared/model/types.ts';
import type { CodeFields } from '../../../shared/codebook/operations.ts';
import { loadCodeSegments, loadSegmentsById } from '../../data/codebook.ts';
import { db } from '../../data/instance.ts';
import { routeHash } from '../../app/route.ts';

export type { CodeFields };

export interface CodeTally {
  codings: number;
  segments: number;
  documents: number;
  cases: number;
  participants: number;
}

export const MODE_LABELS = { cathedral: 'Cathedral (closed)', bazaar: 'Bazaar (open)', neutral: 'Neutral' } as const;
export const STATUS_LABELS = { draft: 'Draft', active: 'Active', retired: 'Retired' } as const;

interface CodeEditorProps {
  studyId: Guid;
  code: Code;
  codes: readonly Code[];
  stages: readonly Stage[];
  coders: readonly Coder[];
  own: CodeTally | undefined;
  total: CodeTally | undefined;
  onUpdate: (fields: CodeFields) => Promise<boolean>;
  onMerge: () => void;
  onSplit: () => void;
  onDelete: () => void;
}

const tallyText = (t: CodeTally | undefined) =>
  t ? `${t.segments} ${t.segments === 1 ? 'segment' : 'segments'} · ${t.documents} ${t.documents === 1 ? 'document' : 'documents'} · ${t.cases} ${t.cases === 1 ? 'case' : 'cases'} · ${t.participants} ${t.participants === 1 ? 'participant' : 'participants'}` : 'counting…';

export function CodeEditor({ studyId, code, codes, stages, coders, own, total, onUpdate, onMerge, onSplit, onDelete }: CodeEditorProps) {
  const parent = code.parentId ? codes.find((c) => c.id === code.parentId) : undefined;
  const hasChildren = codes.some((c) => c.parentId === code.id);
  const coderName = (id: Guid | null) => (id === null ? 'Import' : (coders.find((c) => c.id === id)?.name ?? 'A former coder'));
  return (
    <article className="code-editor" aria-label={`Code ${code.name}`}>
      <header className="code-editor-head">
        <label className="color-field" title="Colour">
          <span className="visually-hidden">Colour of {code.name}</span>
          <input type="color" value={code.color} onChange={(e) => void onUpdate({ color: e.target.value })} />
        </label>
        <TextField label="Name" value={code.name} oneLine className="name-field" onCommit={(name) => onUpdate({ name })} />
      </header>
      <p className="code-counts" aria-live="polite">
        <strong>{tallyText(own)}</strong>
        {hasChildren && total && <span> · with sub-codes: {tallyText(total)}</span>}
        {parent && <span> · under “{parent.name}”</span>}
      </p>
      <div className="toolbar code-actions">
        <button type="button" onClick={onMerge}>
          Merge into…
        </button>
        <button type="button" onClick={onSplit} disabled={(own?.segments ?? 0) === 0} title={(own?.segments ?? 0) === 0 ? 'Nothing to split: the code carries no segments' : undefined}>
          Split…
        </button>
        <button type="button" className="danger-quiet" onClick={onDelete}>
          Delete…
        </button>
      </div>
      <div className="code-meta">
        <SelectField
          label="Lifecycle stage"
          value={code.stageId ?? ''}
          disabled={parent !== undefined}
          hint={parent ? 'A sub-code keeps its parent’s stage and kind.' : hasChildren ? 'Its sub-codes move with it.' : undefined}
          options={[...stages.map((s) => ({ value: s.id, label: s.name })), { value: '', label: 'Cross-stage' }]}
          onChange={(value) => void onUpdate({ stageId: value === '' ? null : value })}
        />
        <SelectField label="Kind" value={code.kind} disabled={parent !== undefined} options={CODE_KINDS.map((k) => ({ value: k, label: CODE_KIND_LABELS[k] }))} onChange={(kind) => void onUpdate({ kind: kind as Code['kind'] })} />
        <SelectField label="Collaboration mode" value={code.mode} options={COLLABORATION_MODES.map((m) => ({ value: m, label: MODE_LABELS[m] }))} onChange={(mode) => void onUpdate({ mode: mode as Code['mode'] })} />
        <SelectField label="Status" value={code.status} options={CODE_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))} onChange={(status) => void onUpdate({ status: status as Code['status'] })} />
      </div>
      <TextField label="Short definition" value={code.shortDefinition} oneLine onCommit={(shortDefinition) => onUpdate({ shortDefinition })} />
      <TextField label="Full definition" value={code.definition} rows={4} onCommit={(definition) => onUpdate({ definition })} />
      <div className="criteria">
        <TextField label="Use when (inclusion)" value={code.useWhen} rows={3} onCommit={(useWhen) => onUpdate({ useWhen })} />
        <TextField label="Do not use when (exclusion)" value={code.doNotUseWhen} rows={3} onCommit={(doNotUseWhen) => onUpdate({ doNotUseWhen })} />
      </div>
      <Examples studyId={studyId} code={code} onChange={(examples) => onUpdate({ examples })} />
      <section className="code-history" aria-labelledby={`history-${code.id}`}>
        <h3 id={`history-${code.id}`}>Change history</h3>
        {code.history.length === 0 ? (
          <p className="hint">No changes recorded yet.</p>
        ) : (
          <ol reversed>
            {[...code.history].reverse().map((entry, i) => (
              <li key={i}>
                <time dateTime={entry.at}>{new Date(entry.at).toLocaleString()}</time> <span className="who">{coderName(entry.by)}</span> {entry.summary}
              </li>
            ))}
          </ol>
        )}
      </section>
    </article>
  );
}

function TextField({ label, value, onCommit, oneLine = false, rows = 2, className }: { label: string; value: string; onCommit: (value: string) => Promise<boolean>; oneLine?: boolean; rows?: number; className?: string }) {
  const [draft, setDraft] = useState(value);
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const id = useId();
  // Follow the stored value (undo, another window) unless the researcher is typing here.
  useEffect(() => {
    if (document.activeElement !== ref.current) setDraft(value);
  }, [value]);
  const commit = async () => {
    const next = oneLine ? draft.replace(/\s+/g, ' ').trim() : draft.replace(/\r\n?/g, '\n').trimEnd();
    if (next === value) return setDraft(value);
    if (!(await onCommit(next))) setDraft(value);
  };
  const props = {
    id,
    ref,
    value: draft,
    onChange: (e: { target: { value: string } }) => setDraft(e.target.value),
    onBlur: () => void commit(),
    onKeyDown: (e: KeyboardEvent) => {
      if (e.key === 'Escape' && draft !== value) {
        e.preventDefault();
        e.stopPropagation();
        setDraft(value);
      } else if (e.key === 'Enter' && (oneLine || e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        void commit();
      }
    },
  };
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={id}>{label}</label>
      {oneLine ? <input {...props} /> : <textarea {...props} rows={rows} />}
    </div>
  );
}

function SelectField({ label, value, options, onChange, disabled = false, hint }: { label: string; value: string; options: { value: string; label: string }[]; onChange: (value: string) => void; disabled?: boolean; hint?: string }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value)} aria-describedby={hint ? `${id}-hint` : undefined}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {hint && (
        <small id={`${id}-hint`} className="hint">
          {hint}
        </small>
      )}
    </div>
  );
}

function Examples({ studyId, code, onChange }: { studyId: Guid; code: Code; onChange: (examples: CodeExample[]) => Promise<boolean> }) {
  const segments = useLiveQuery(() => loadCodeSegments(db, studyId, code.id), [studyId, code.id]);
  const linkedIds = code.examples.map((e) => e.segmentId).filter((id): id is Guid => id !== null);
  const linked = useLiveQuery(() => loadSegmentsById(db, linkedIds), [linkedIds.join()]);
  const [text, setText] = useState('');
  const [typical, setTypical] = useState(true);
  const textId = useId();
  const pickId = useId();
  // Stored typical first, as CSV and .qdc exchange them, so a round trip keeps the order.
  const set = (examples: CodeExample[]) => onChange([...examples.filter((e) => e.typical), ...examples.filter((e) => !e.typical)]);
  const typicalOnes = code.examples.map((e, i) => ({ e, i })).filter(({ e }) => e.typical);
  const atypicalOnes = code.examples.map((e, i) => ({ e, i })).filter(({ e }) => !e.typical);
  const list = (title: string, items: { e: CodeExample; i: number }[]) => (
    <div className="example-list">
      <h4>{title}</h4>
      {items.length === 0 ? (
        <p className="hint">None yet.</p>
      ) : (
        <ul>
          {items.map(({ e, i }) => {
            const source = e.segmentId ? linked?.get(e.segmentId) : undefined;
            return (
              <li key={i}>
                <q>{e.text}</q>
                {e.segmentId && (
                  <span className="example-source">
                    {' — '}
                    {source ? (
                      <a href={routeHash({ screen: 'study', studyId, area: 'coding', item: source.documentId, focus: source.codingId })}>{source.documentTitle}</a>
                    ) : linked ? (
                      'its coded segment has since been removed'
                    ) : (
                      '…'
                    )}
                  </span>
                )}
                <span className="row-actions">
                  <button type="button" aria-label={`${e.typical ? 'Mark atypical' : 'Mark typical'}: ${e.text.slice(0, 40)}`} onClick={() => void set(code.examples.map((x, j) => (j === i ? { ...x, typical: !x.typical } : x)))}>
                    {e.typical ? 'Mark atypical' : 'Mark typical'}
                  </button>
                  <button type="button" className="danger-quiet" aria-label={`Remove example: ${e.text.slice(0, 40)}`} onClick={() => void set(code.examples.filter((_, j) => j !== i))}>
                    Remove
                  </button>
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
  const unused = (segments ?? []).filter((s) => !linkedIds.includes(s.id));
  return (
    <section className="code-examples" aria-labelledby={`examples-${code.id}`}>
      <h3 id={`examples-${code.id}`}>Examples</h3>
      <div className="example-columns">
        {list('Typical', typicalOnes)}
        {list('Atypical (borderline, still in)', atypicalOnes)}
      </div>
      <div className="example-add">
        <div className="field">
          <label htmlFor={textId}>New example</label>
          <textarea id={textId} rows={2} value={text} onChange={(e) => setText(e.target.value)} />
        </div>
        <div className="toolbar">
          <label>
            <input type="checkbox" checked={!typical} onChange={(e) => setTypical(!e.target.checked)} /> atypical
          </label>
          <button
            type="button"
            disabled={text.trim() === ''}
            onClick={async () => {
              if (await set([...code.examples, { text: text.replace(/\s+/g, ' ').trim(), typical, segmentId: null }])) setText('');
            }}
          >
            Add example
          </button>
        </div>
        {unused.length > 0 && (
          <div className="field">
            <label htmlFor={pickId}>Or take one from the {unused.length} coded segments</label>
            <select
              id={pickId}
              value=""
              onChange={(e) => {
                const segment = unused.find((s) => s.id === e.target.value);
                if (segment) void set([...code.examples, { text: segment.text.replace(/\s+/g, ' ').trim(), typical, segmentId: segment.id }]);
              }}
            >
              <option value="">Choose a segment…</option>
              {unused.slice(0, 300).map((s) => (
                <option key={s.id} value={s.id}>
                  {s.documentTitle}: {s.text.length > 90 ? `${s.text.slice(0, 90).trim()}…` : s.text}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
    </section>
  );
}
