/**
 * The codebook editor's dialogs: new code, merge, split, delete and the lifecycle stages.
 * Merge and delete first say exactly what will change (computed by the same pure rules
 * that make the change); every action is one undoable change.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useId, useState } from 'react';
import { codePath, describeDelete, describeMerge, descendantsOf } from '../../../shared/codebook/operations.ts';
import { CODE_KIND_LABELS, CODE_KINDS, type Code, type CodeKind, type Guid, type Stage } from '../../../shared/model/types.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { loadCodebook, loadCodeSegments } from '../../data/codebook.ts';
import { db } from '../../data/instance.ts';

const quoted = (s: string) => `“${s}”`;

/** Codes other than `exclude` (and, optionally, its descendants), as options labelled with their path. */
function CodeChoices({ codes, stages, exclude }: { codes: readonly Code[]; stages: readonly Stage[]; exclude: ReadonlySet<Guid> }) {
  const groups = [...stages.map((s) => ({ id: s.id as Guid | null, name: s.name })), { id: null, name: 'Cross-stage' }];
  return (
    <>
      {groups.map((g) => {
        const inGroup = codes.filter((c) => c.stageId === g.id && !exclude.has(c.id));
        if (inGroup.length === 0) return null;
        return (
          <optgroup key={g.id ?? 'cross'} label={g.name}>
            {inGroup.map((c) => (
              <option key={c.id} value={c.id}>
                {codePath(codes, c.id).join(' › ')} ({CODE_KIND_LABELS[c.kind].toLowerCase()})
              </option>
            ))}
          </optgroup>
        );
      })}
    </>
  );
}

const subtree = (codes: readonly Code[], id: Guid): Set<Guid> => new Set([id, ...descendantsOf(codes, id)]);

export function NewCodeDialog({
  stages,
  codes,
  initial,
  onCreate,
  onClose,
}: {
  stages: readonly Stage[];
  codes: readonly Code[];
  initial: { stageId: Guid | null; kind: CodeKind; parentId: Guid | null };
  onCreate: (place: { name: string; stageId: Guid | null; kind: CodeKind; parentId: Guid | null }) => Promise<boolean>;
  onClose: () => void;
}) {
  const [name, setName] = useState('');
  const [stageId, setStageId] = useState(initial.stageId ?? '');
  const [kind, setKind] = useState<CodeKind>(initial.kind);
  const [parentId, setParentId] = useState(initial.parentId ?? '');
  const [problem, setProblem] = useState('');
  const ids = { name: useId(), stage: useId(), kind: useId(), parent: useId() };
  const submit = async () => {
    if (name.trim() === '') return setProblem('Type a name for the new code.');
    if (await onCreate({ name, stageId: stageId === '' ? null : stageId, kind, parentId: parentId === '' ? null : parentId })) onClose();
  };
  return (
    <Dialog
      title="New code"
      onClose={onClose}
      onSubmit={() => void submit()}
      actions={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary">
            Add code
          </button>
        </>
      }
    >
      <div className="field">
        <label htmlFor={ids.name}>Name</label>
        <input id={ids.name} value={name} autoFocus onChange={(e) => (setName(e.target.value), setProblem(''))} aria-describedby={`${ids.name}-problem`} />
        <p id={`${ids.name}-problem`} className="field-problem" role="status">
          {problem}
        </p>
      </div>
      <div className="field">
        <label htmlFor={ids.parent}>Under</label>
        <select id={ids.parent} value={parentId} onChange={(e) => setParentId(e.target.value)}>
          <option value="">No parent: a top-level code</option>
          <CodeChoices codes={codes} stages={stages} exclude={new Set()} />
        </select>
      </div>
      {parentId === '' && (
        <div className="dialog-row">
          <div className="field">
            <label htmlFor={ids.stage}>Lifecycle stage</label>
            <select id={ids.stage} value={stageId} onChange={(e) => setStageId(e.target.value)}>
              {stages.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
              <option value="">Cross-stage</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.kind}>Kind</label>
            <select id={ids.kind} value={kind} onChange={(e) => setKind(e.target.value as CodeKind)}>
              {CODE_KINDS.map((k) => (
                <option key={k} value={k}>
                  {CODE_KIND_LABELS[k]}
                </option>
              ))}
            </select>
          </div>
        </div>
      )}
    </Dialog>
  );
}

export function MergeDialog({ studyId, code, codes, stages, onMerge, onClose }: { studyId: Guid; code: Code; codes: readonly Code[]; stages: readonly Stage[]; onMerge: (targetId: Guid) => Promise<boolean>; onClose: () => void }) {
  const ancestors = new Set<Guid>();
  for (let p = code.parentId; p !== null; p = codes.find((c) => c.id === p)?.parentId ?? null) ancestors.add(p);
  const exclude = new Set([code.id, ...ancestors]);
  const [targetId, setTargetId] = useState('');
  const id = useId();
  const preview = useLiveQuery(async () => {
    if (targetId === '') return null;
    const { state } = await loadCodebook(db, studyId, [code.id, targetId]);
    return describeMerge(state, [code.id], targetId);
  }, [studyId, code.id, targetId]);
  return (
    <Dialog
      title={`Merge ${quoted(code.name)} into another code`}
      onClose={onClose}
      onSubmit={async () => {
        if (targetId !== '' && (await onMerge(targetId))) onClose();
      }}
      actions={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={targetId === '' || !preview?.ok}>
            Merge
          </button>
        </>
      }
    >
      <div className="field">
        <label htmlFor={id}>Merge into</label>
        <select id={id} value={targetId} autoFocus onChange={(e) => setTargetId(e.target.value)}>
          <option value="">Choose the code that stays…</option>
          <CodeChoices codes={codes} stages={stages} exclude={exclude} />
        </select>
      </div>
      <p className="change-summary" role="status">
        {targetId === '' ? `All codings of ${quoted(code.name)} will move to the code you choose, and ${quoted(code.name)} will be removed.` : preview ? (preview.ok ? preview.sentence : preview.reason) : 'Counting…'}
      </p>
      <p className="hint">You can undo this with Edit → Undo (Ctrl+Z).</p>
    </Dialog>
  );
}

export function DeleteDialog({ studyId, code, codes, stages, onDelete, onClose }: { studyId: Guid; code: Code; codes: readonly Code[]; stages: readonly Stage[]; onDelete: (choice: { codings: 'delete' } | { codings: 'move'; targetId: Guid }) => Promise<boolean>; onClose: () => void }) {
  const [mode, setMode] = useState<'delete' | 'move'>('delete');
  const [targetId, setTargetId] = useState('');
  const name = useId();
  const selectId = useId();
  const choice = mode === 'delete' ? ({ codings: 'delete' } as const) : targetId === '' ? null : ({ codings: 'move', targetId } as const);
  const preview = useLiveQuery(async () => {
    if (!choice) return null;
    const { state } = await loadCodebook(db, studyId, choice.codings === 'move' ? [code.id, choice.targetId] : [code.id]);
    return describeDelete(state, code.id, choice);
  }, [studyId, code.id, mode, targetId]);
  return (
    <Dialog
      title={`Delete ${quoted(code.name)}`}
      onClose={onClose}
      onSubmit={async () => {
        if (choice && (await onDelete(choice))) onClose();
      }}
      actions={
        <>
          <button type="button" onClick={onClose} autoFocus>
            Cancel
          </button>
          <button type="submit" className="danger" disabled={!choice || !preview?.ok}>
            Delete code
          </button>
        </>
      }
    >
      <fieldset className="choice-group">
        <legend>Its codings</legend>
        <label>
          <input type="radio" name={name} checked={mode === 'delete'} onChange={() => setMode('delete')} /> Delete them with the code
        </label>
        <label>
          <input type="radio" name={name} checked={mode === 'move'} onChange={() => setMode('move')} /> Move them to another code
        </label>
      </fieldset>
      {mode === 'move' && (
        <div className="field">
          <label htmlFor={selectId}>Move codings to</label>
          <select id={selectId} value={targetId} onChange={(e) => setTargetId(e.target.value)}>
            <option value="">Choose a code…</option>
            <CodeChoices codes={codes} stages={stages} exclude={subtree(codes, code.id)} />
          </select>
        </div>
      )}
      <p className="change-summary" role="status">
        {!choice ? 'Choose the code that receives the codings.' : preview ? (preview.ok ? preview.sentence : preview.reason) : 'Counting…'}
      </p>
      <p className="hint">You can undo this with Edit → Undo (Ctrl+Z).</p>
    </Dialog>
  );
}

export function SplitDialog({ studyId, code, onSplit, onClose }: { studyId: Guid; code: Code; onSplit: (segmentIds: Guid[], name: string) => Promise<boolean>; onClose: () => void }) {
  const segments = useLiveQuery(() => loadCodeSegments(db, studyId, code.id), [studyId, code.id]);
  const [chosen, setChosen] = useState<ReadonlySet<Guid>>(new Set());
  const [name, setName] = useState(`${code.name} (split)`);
  const nameId = useId();
  const toggle = (id: Guid, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(id);
    else next.delete(id);
    setChosen(next);
  };
  return (
    <Dialog
      title={`Split ${quoted(code.name)}`}
      onClose={onClose}
      onSubmit={async () => {
        if (chosen.size > 0 && (await onSplit([...chosen], name))) onClose();
      }}
      actions={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={chosen.size === 0 || name.trim() === ''}>
            Split {chosen.size} {chosen.size === 1 ? 'segment' : 'segments'} off
          </button>
        </>
      }
    >
      <div className="field">
        <label htmlFor={nameId}>Name of the new code</label>
        <input id={nameId} value={name} autoFocus onChange={(e) => setName(e.target.value)} />
      </div>
      <fieldset className="split-segments">
        <legend>Segments that move to the new code ({chosen.size} of {segments?.length ?? 0} chosen)</legend>
        {!segments ? (
          <p>Loading segments…</p>
        ) : (
          <ul>
            {segments.map((s) => (
              <li key={s.id}>
                <label>
                  <input type="checkbox" checked={chosen.has(s.id)} onChange={(e) => toggle(s.id, e.target.checked)} />
                  <span className="segment-source">{s.documentTitle}</span> <q>{s.text.length > 240 ? `${s.text.slice(0, 240).trim()}…` : s.text}</q>
                </label>
              </li>
            ))}
          </ul>
        )}
      </fieldset>
      <p className="hint">The new code sits beside {quoted(code.name)}, with its stage, kind and mode. You can undo this with Edit → Undo (Ctrl+Z).</p>
    </Dialog>
  );
}

export interface StageActions {
  add: (name: string) => Promise<boolean>;
  rename: (stageId: Guid, name: string) => Promise<boolean>;
  move: (stageId: Guid, index: number) => Promise<boolean>;
  remove: (stageId: Guid) => Promise<boolean>;
}

export function StagesDialog({ stages, codes, actions, onClose }: { stages: readonly Stage[]; codes: readonly Code[]; actions: StageActions; onClose: () => void }) {
  const [name, setName] = useState('');
  const newId = useId();
  return (
    <Dialog
      title="Lifecycle stages"
      onClose={onClose}
      actions={
        <button type="button" className="primary" onClick={onClose}>
          Done
        </button>
      }
    >
      <p className="hint">Codes belong to a stage by reference: renaming or reordering a stage takes its codes along. A stage can be removed once no code or tie uses it.</p>
      <ol className="stage-list">
        {stages.map((stage, index) => (
          <li key={stage.id}>
            <StageName stage={stage} position={index + 1} onRename={(n) => actions.rename(stage.id, n)} />
            <span className="stage-count">{codes.filter((c) => c.stageId === stage.id).length} codes</span>
            <span className="row-actions">
              <button type="button" disabled={index === 0} aria-label={`Up: move ${stage.name} earlier`} onClick={() => void actions.move(stage.id, index - 1)}>
                Up
              </button>
              <button type="button" disabled={index === stages.length - 1} aria-label={`Down: move ${stage.name} later`} onClick={() => void actions.move(stage.id, index + 1)}>
                Down
              </button>
              <button type="button" className="danger-quiet" aria-label={`Remove stage ${stage.name}`} onClick={() => void actions.remove(stage.id)}>
                Remove
              </button>
            </span>
          </li>
        ))}
      </ol>
      <div className="field inline-add">
        <label htmlFor={newId}>New stage</label>
        <input
          id={newId}
          value={name}
          onChange={(e) => setName(e.target.value)}
          onKeyDown={async (e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              if (name.trim() !== '' && (await actions.add(name))) setName('');
            }
          }}
        />
        <button type="button" disabled={name.trim() === ''} onClick={async () => (await actions.add(name)) && setName('')}>
          Add stage
        </button>
      </div>
    </Dialog>
  );
}

function StageName({ stage, position, onRename }: { stage: Stage; position: number; onRename: (name: string) => Promise<boolean> }) {
  const [draft, setDraft] = useState(stage.name);
  const id = useId();
  const commit = async () => {
    const next = draft.replace(/\s+/g, ' ').trim();
    if (next === stage.name) return setDraft(stage.name);
    if (!(await onRename(next))) setDraft(stage.name);
  };
  return (
    <>
      <label htmlFor={id} className="visually-hidden">
        Name of stage {position}
      </label>
      <input id={id} value={draft} onChange={(e) => setDraft(e.target.value)} onBlur={() => void commit()} onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), void commit())} />
    </>
  );
}
