/**
 * Records a collaboration tie from a passage of a transcript, so every edge of the network
 * rests on evidence: from and to (an actor of the study, or a new one), the type of tie, the
 * lifecycle stage and a description. Saving is one undoable change (`recordTie`); a tie with
 * the same from, to, type and stage gets the passage as more evidence instead. Escape or
 * Cancel closes it with nothing written.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useId, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Span } from '../../../shared/coding/operations.ts';
import { typeLabel } from '../../../shared/maps/network-layout.ts';
import { ACTOR_TYPES, TIE_TYPES, type Actor, type ActorType, type Guid } from '../../../shared/model/types.ts';
import { useStudyHistory } from '../../app/history-context.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { useNotices } from '../../components/Notices.tsx';
import type { StudyCore } from '../../data/hooks.ts';
import { ChangeRefused } from '../../data/history.ts';
import { db } from '../../data/instance.ts';
import { recordTie, type ActorChoice, type RecordTieResult } from '../../data/maps.ts';
import { byName } from '../../data/studies.ts';
import { tieTypeLabel } from '../maps/network-model.ts';
import './record-tie.css';

const NEW = '__new__';
const OWN_TYPE = '__own__';
const QUOTE_LIMIT = 600;

const nameKey = (name: string) => name.replace(/\s+/g, ' ').trim().toLocaleLowerCase();

interface End {
  /** An actor's id, NEW, or '' (not chosen). */
  choice: string;
  name: string;
  type: ActorType;
}

type Field = 'from' | 'fromName' | 'to' | 'toName' | 'type' | 'ownType' | 'stage';
type Problems = Partial<Record<Field, string>>;

export interface RecordTieDialogProps {
  core: StudyCore;
  documentId: Guid;
  /** The passage: UTF-16 offsets into the document's text. */
  span: Span;
  /** The passage's text, shown in the dialog. */
  quote: string;
  coderId: Guid | null;
  /** The stage to propose (e.g. the stage of the selected coding's code). */
  stageId?: Guid | null;
  onClose: () => void;
  onRecorded?: (result: RecordTieResult) => void;
}

export function RecordTieDialog({ core, documentId, span, quote, coderId, stageId: proposedStage = null, onClose, onRecorded }: RecordTieDialogProps) {
  const studyId = core.study.id;
  const history = useStudyHistory(studyId);
  const { notify } = useNotices();
  const ids = useId();
  const actors = useLiveQuery(() => db.actors.where('studyId').equals(studyId).toArray(), [studyId]);
  const ownTypesInStudy = useLiveQuery(
    () =>
      db.ties
        .where('studyId')
        .equals(studyId)
        .toArray()
        .then((ties) => [...new Set(ties.map((t) => t.type))].filter((t) => !(TIE_TYPES as readonly string[]).includes(t)).sort(byName)),
    [studyId],
  );
  const stages = useMemo(() => [...core.stages].sort((a, b) => a.order - b.order), [core.stages]);

  const [from, setFrom] = useState<End>({ choice: '', name: '', type: 'organisation' });
  const [to, setTo] = useState<End>({ choice: '', name: '', type: 'organisation' });
  const [type, setType] = useState('');
  const [ownType, setOwnType] = useState('');
  const [stageId, setStageId] = useState(() => (proposedStage && stages.some((s) => s.id === proposedStage) ? proposedStage : (stages[0]?.id ?? '')));
  const [description, setDescription] = useState('');
  const [problems, setProblems] = useState<Problems>({});
  const [refusal, setRefusal] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const formRef = useRef<HTMLDivElement>(null);

  const actorList = useMemo(() => [...(actors ?? [])].sort((a, b) => byName(a.name, b.name)), [actors]);
  const byType = useMemo(() => {
    const groups = new Map<string, Actor[]>();
    for (const type of ACTOR_TYPES) groups.set(type, []);
    for (const a of actorList) groups.set(a.type, [...(groups.get(a.type) ?? []), a]);
    return [...groups].filter(([, list]) => list.length > 0);
  }, [actorList]);
  const actorNamed = (name: string) => actorList.find((a) => nameKey(a.name) === nameKey(name));
  const nameOf = (end: End) => (end.choice === NEW ? end.name.replace(/\s+/g, ' ').trim() : (actorList.find((a) => a.id === end.choice)?.name ?? ''));

  const validate = (): Problems => {
    const found: Problems = {};
    const checkEnd = (end: End, field: 'from' | 'to', nameField: 'fromName' | 'toName', label: string) => {
      if (end.choice === '') found[field] = `Choose who the tie ${field === 'from' ? 'comes from' : 'goes to'}, or “New actor…”.`;
      else if (end.choice === NEW) {
        if (end.name.trim() === '') found[nameField] = `The new actor (${label}) needs a name.`;
        else {
          const same = actorNamed(end.name);
          if (same) found[nameField] = `There is already an actor called “${same.name}”: choose it in the list above.`;
        }
      } else if (!actorList.some((a) => a.id === end.choice)) found[field] = 'That actor no longer exists; choose another.';
    };
    checkEnd(from, 'from', 'fromName', 'From');
    checkEnd(to, 'to', 'toName', 'To');
    if (!found.from && !found.to && !found.fromName && !found.toName) {
      if (from.choice !== NEW && from.choice === to.choice) found.to = 'A tie joins two different actors: choose another actor for To.';
      else if (from.choice === NEW && to.choice === NEW && nameKey(from.name) === nameKey(to.name)) found.toName = 'From and To would be the same new actor: give them different names.';
    }
    if (type === '') found.type = 'Choose the type of tie.';
    else if (type === OWN_TYPE && ownType.trim() === '') found.ownType = 'Name your own type of tie, e.g. “joint grant”.';
    if (stages.length === 0) found.stage = 'The study has no lifecycle stages yet: add them in the Codebook first.';
    else if (!stages.some((s) => s.id === stageId)) found.stage = 'Choose the lifecycle stage of the tie.';
    return found;
  };

  const submit = async () => {
    if (saving) return;
    setRefusal(null);
    const found = validate();
    setProblems(found);
    const first = (['from', 'fromName', 'to', 'toName', 'type', 'ownType', 'stage'] as const).find((f) => found[f]);
    if (first) {
      formRef.current?.querySelector<HTMLElement>(`#${CSS.escape(`${ids}-${first}`)}`)?.focus();
      return;
    }
    const choice = (end: End): ActorChoice => (end.choice === NEW ? { newActor: { name: end.name, type: end.type } } : end.choice);
    const tieType = type === OWN_TYPE ? ownType.trim() : type;
    setSaving(true);
    try {
      const result = await history.perform(async () => {
        try {
          return await recordTie(db, studyId, { fromId: choice(from), toId: choice(to), type: tieType, stageId, description, documentId, span }, coderId);
        } catch (error) {
          if (error instanceof ChangeRefused) setRefusal(error.message);
          throw error;
        }
      });
      if (!result) return;
      const name = `${nameOf(from)} → ${nameOf(to)}`;
      const stage = stages.find((s) => s.id === stageId)?.name ?? '';
      const created = result.newActorIds.length > 0 ? ` New ${result.newActorIds.length === 1 ? 'actor' : 'actors'}: ${[from, to].filter((e) => e.choice === NEW).map(nameOf).join(', ')}.` : '';
      if (result.outcome === 'created') notify('info', `Recorded a new tie: ${name} (${tieTypeLabel(tieType)}, ${stage})`, `This passage is its evidence.${created} Undo with Ctrl+Z.`);
      else notify('info', `Added this passage as evidence to the existing tie ${name} (${tieTypeLabel(tieType)}, ${stage})`, `It now rests on ${result.tie.evidenceSegmentIds.length} passages. Undo with Ctrl+Z.`);
      onRecorded?.(result);
      onClose();
    } finally {
      setSaving(false);
    }
  };

  const problemOf = (field: Field): ReactNode => (
    <p id={`${ids}-${field}-problem`} className="field-problem" role="status">
      {problems[field] ?? ''}
    </p>
  );
  const invalid = (field: Field) => (problems[field] ? { 'aria-invalid': true as const, 'aria-describedby': `${ids}-${field}-problem` } : {});
  const clear = (...fields: Field[]) => setProblems((all) => Object.fromEntries(Object.entries(all).filter(([k]) => !fields.includes(k as Field))));

  const endFields = (end: End, setEnd: (next: End) => void, field: 'from' | 'to', nameField: 'fromName' | 'toName', label: string) => (
    <div className="tie-end">
      <label className="field">
        <span>{label}</span>
        <select
          id={`${ids}-${field}`}
          value={end.choice}
          {...invalid(field)}
          onChange={(e) => {
            setEnd({ ...end, choice: e.target.value });
            clear(field, nameField, 'to', 'toName');
          }}
        >
          <option value="">Choose an actor…</option>
          {byType.map(([type, list]) => (
            <optgroup key={type} label={typeLabel(type)}>
              {list.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </optgroup>
          ))}
          <option value={NEW}>New actor…</option>
        </select>
      </label>
      {problemOf(field)}
      {end.choice === NEW && (
        <div className="tie-new-actor">
          <label className="field">
            <span>Name of the new actor ({label})</span>
            <input
              id={`${ids}-${nameField}`}
              value={end.name}
              {...invalid(nameField)}
              onChange={(e) => {
                setEnd({ ...end, name: e.target.value });
                clear(nameField);
              }}
            />
          </label>
          <label className="field">
            <span>Type of actor</span>
            <select value={end.type} onChange={(e) => setEnd({ ...end, type: e.target.value as ActorType })}>
              {ACTOR_TYPES.map((t) => (
                <option key={t} value={t}>
                  {typeLabel(t)}
                </option>
              ))}
            </select>
          </label>
          {problemOf(nameField)}
        </div>
      )}
    </div>
  );

  return (
    <Dialog
      title="Record a collaboration tie"
      onClose={onClose}
      onSubmit={() => void submit()}
      actions={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" aria-disabled={saving}>
            {saving ? 'Saving…' : 'Save the tie'}
          </button>
        </>
      }
    >
      <div ref={formRef} className="record-tie">
        <figure className="tie-quote">
          <blockquote>{quote.length > QUOTE_LIMIT ? `${quote.slice(0, QUOTE_LIMIT)}…` : quote}</blockquote>
          <figcaption className="hint">This passage becomes the tie’s evidence.</figcaption>
        </figure>
        <div className="tie-ends">
          {endFields(from, setFrom, 'from', 'fromName', 'From')}
          {endFields(to, setTo, 'to', 'toName', 'To')}
        </div>
        <button
          type="button"
          className="quiet tie-swap"
          onClick={() => {
            setFrom(to);
            setTo(from);
            setProblems({});
          }}
        >
          ⇅ Swap From and To
        </button>
        <div className="tie-row">
          <label className="field">
            <span>Type of tie</span>
            <select
              id={`${ids}-type`}
              value={type}
              {...invalid('type')}
              onChange={(e) => {
                setType(e.target.value);
                clear('type', 'ownType');
              }}
            >
              <option value="">Choose a type…</option>
              <optgroup label="Types of tie">
                {TIE_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {tieTypeLabel(t)}
                  </option>
                ))}
              </optgroup>
              {(ownTypesInStudy ?? []).length > 0 && (
                <optgroup label="Your own types">
                  {(ownTypesInStudy ?? []).map((t) => (
                    <option key={t} value={t}>
                      {tieTypeLabel(t)}
                    </option>
                  ))}
                </optgroup>
              )}
              <option value={OWN_TYPE}>Another type…</option>
            </select>
          </label>
          <label className="field">
            <span>Lifecycle stage</span>
            <select id={`${ids}-stage`} value={stageId} {...invalid('stage')} onChange={(e) => setStageId(e.target.value)}>
              {stages.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
        </div>
        {problemOf('type')}
        {type === OWN_TYPE && (
          <label className="field">
            <span>Your own type of tie</span>
            <input
              id={`${ids}-ownType`}
              value={ownType}
              {...invalid('ownType')}
              onChange={(e) => {
                setOwnType(e.target.value);
                clear('ownType');
              }}
            />
          </label>
        )}
        {type === OWN_TYPE && problemOf('ownType')}
        {problems.stage && problemOf('stage')}
        <label className="field">
          <span>Description (optional)</span>
          <textarea rows={2} value={description} onChange={(e) => setDescription(e.target.value)} placeholder="What the two actors do together" />
        </label>
        {refusal && (
          <p className="field-problem" role="alert">
            {refusal}
          </p>
        )}
      </div>
    </Dialog>
  );
}
