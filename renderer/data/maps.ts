/**
 * What the cathedral–bazaar maps read and write. Writes are undoable changes (`commitChange`,
 * one transaction each): position overrides with their justification memos, and collaboration
 * ties recorded from a passage of a transcript, so every edge rests on evidence. Reads gather
 * the matrix source (`loadMatrixSource`) with the actors, ties and overrides. The maps' own
 * layout (network positions, the deck's order and quotes) lives in the settings store, per
 * study (`<what>:<studyId>`, dropped with the study).
 */
import type { MatrixSource } from '../../shared/analysis/matrix-types.ts';
import type { Span } from '../../shared/coding/operations.ts';
import { newGuid } from '../../shared/model/ids.ts';
import { ACTOR_TYPES, positionMemoTitle, type Actor, type ActorType, type Guid, type Memo, type PositionOverride, type Tie } from '../../shared/model/types.ts';
import type { CartographyDb } from './db.ts';
import { ChangeRefused, commitChange, emptyPatch, type Change, type Patch } from './history.ts';
import type { StoredSegment } from './layout.ts';
import { loadMatrixSource } from './matrices.ts';
import { getSetting, putStudySetting } from './studies.ts';

/** Runs a change whose label depends on what the plan reads (names of cases, stages, actors). */
async function commitLabelled(db: CartographyDb, studyId: Guid, plan: () => Promise<{ patch: Patch; label: string }>): Promise<Change> {
  let label = '';
  const change = await commitChange(db, studyId, 'Change the maps', async () => {
    const planned = await plan();
    label = planned.label;
    return planned.patch;
  });
  return { ...change, label };
}

const nowIso = () => new Date().toISOString();
const q = (name: string) => `“${name}”`;

// ——— Position overrides ———

export const JUSTIFICATION_NEEDED = 'An override needs a justification: say why the evidence does not tell the whole story.';

export interface PositionOverrideRequest {
  caseId: Guid;
  stageId: Guid;
  /** From −1 (cathedral) to 1 (bazaar). */
  value: number;
  /** The text of the justification memo; required. */
  justification: string;
}

export interface PositionOverrideResult {
  change: Change;
  override: PositionOverride;
  memo: Memo;
  /** True when the case had no override at this stage; false when one was replaced (same ids). */
  created: boolean;
}

async function caseAndStage(db: CartographyDb, studyId: Guid, caseId: Guid, stageId: Guid) {
  const [kase, stage] = await Promise.all([db.cases.get(caseId), db.stages.get(stageId)]);
  if (!kase || kase.studyId !== studyId) throw new ChangeRefused('That case no longer exists.');
  if (!stage || stage.studyId !== studyId) throw new ChangeRefused('That lifecycle stage no longer exists.');
  return { kase, stage };
}

/**
 * Sets the researcher's position of a case at a stage, with its justification memo: creates
 * the override, or replaces its value and text (keeping both ids). Refused without a
 * justification, with a value outside −1…1, or for a case or stage the study does not have.
 */
export async function setPositionOverride(db: CartographyDb, studyId: Guid, request: PositionOverrideRequest, coderId: Guid | null): Promise<PositionOverrideResult> {
  let result = null as Omit<PositionOverrideResult, 'change'> | null;
  const change = await commitLabelled(db, studyId, async () => {
    const { value } = request;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < -1 || value > 1) {
      throw new ChangeRefused(`A position lies from −1 (cathedral) to 1 (bazaar); ${String(value)} does not.`);
    }
    const text = typeof request.justification === 'string' ? request.justification.trim() : '';
    if (text === '') throw new ChangeRefused(JUSTIFICATION_NEEDED);
    const { kase, stage } = await caseAndStage(db, studyId, request.caseId, request.stageId);
    const title = positionMemoTitle(kase.name, stage.name);
    const now = nowIso();
    const existing = await db.overrides.where('[caseId+stageId]').equals([kase.id, stage.id]).first();
    const patch = emptyPatch();
    if (!existing) {
      const id = newGuid();
      const memo: Memo = { id: newGuid(), studyId, createdAt: now, modifiedAt: now, createdBy: coderId, targetType: 'position', targetId: id, title, text };
      const override: PositionOverride = { id, studyId, createdAt: now, modifiedAt: now, createdBy: coderId, caseId: kase.id, stageId: stage.id, value, memoId: memo.id };
      patch.put.overrides = [override];
      patch.put.memos = [memo];
      result = { override, memo, created: true };
      return { patch, label: `Override the position of ${q(kase.name)} in ${q(stage.name)}` };
    }
    const before = await db.memos.get(existing.memoId);
    let memo: Memo = before ?? { id: existing.memoId, studyId, createdAt: now, modifiedAt: now, createdBy: coderId, targetType: 'position', targetId: existing.id, title, text };
    if (!before || memo.text !== text || memo.title !== title) {
      memo = { ...memo, title, text, modifiedAt: now };
      patch.put.memos = [memo];
    }
    let override = existing;
    if (existing.value !== value) {
      override = { ...existing, value, modifiedAt: now };
      patch.put.overrides = [override];
    }
    result = { override, memo, created: false };
    return { patch, label: `Change the position override of ${q(kase.name)} in ${q(stage.name)}` };
  });
  return { change, ...result! };
}

/** Removes a position override and its justification memo: the computed position stands again. */
export async function clearPositionOverride(db: CartographyDb, studyId: Guid, overrideId: Guid): Promise<{ change: Change }> {
  const change = await commitLabelled(db, studyId, async () => {
    const override = await db.overrides.get(overrideId);
    if (!override || override.studyId !== studyId) throw new ChangeRefused('That override no longer exists.');
    const memoIds = new Set(await db.memos.where('[targetType+targetId]').equals(['position', override.id]).primaryKeys());
    if (await db.memos.get(override.memoId)) memoIds.add(override.memoId);
    const [kase, stage] = await Promise.all([db.cases.get(override.caseId), db.stages.get(override.stageId)]);
    const patch = emptyPatch();
    patch.remove.overrides = [override.id];
    if (memoIds.size > 0) patch.remove.memos = [...memoIds];
    return { patch, label: `Remove the position override of ${q(kase?.name ?? 'a case')} in ${q(stage?.name ?? 'a stage')}` };
  });
  return { change };
}

// ——— Collaboration ties ———

/** An actor already in the study, or one to create with the tie. */
export type ActorChoice = Guid | { newActor: { name: string; type: ActorType } };

export interface RecordTieRequest {
  fromId: ActorChoice;
  toId: ActorChoice;
  /** One of TIE_TYPES, or the researcher's own type. */
  type: string;
  stageId: Guid;
  description: string;
  /** The passage that shows the tie: UTF-16 offsets into the document's text, end exclusive. */
  documentId: Guid;
  span: Span;
}

export interface RecordTieResult {
  change: Change;
  tie: Tie;
  segmentId: Guid;
  /** `created`: a new tie; `evidence-added`: a tie with the same from, to, type and stage existed and got this passage as evidence. */
  outcome: 'created' | 'evidence-added';
  /** Actors created on the way (from `newActor`), in the order from, to. */
  newActorIds: Guid[];
  /** Whether the passage got a segment of its own (it had none with exactly this span). */
  newSegment: boolean;
}

const actorKey = (name: string) => name.replace(/\s+/g, ' ').trim().toLocaleLowerCase();

/**
 * Records a collaboration tie backed by a passage: finds the segment with exactly that span
 * (or makes one without codings, kept because the tie points at it), creates actors when
 * asked, and creates the tie, or adds the passage to the evidence of the tie with the same
 * from, to, type and stage.
 */
export async function recordTie(db: CartographyDb, studyId: Guid, request: RecordTieRequest, coderId: Guid | null): Promise<RecordTieResult> {
  let result = null as Omit<RecordTieResult, 'change'> | null;
  const change = await commitLabelled(db, studyId, async () => {
    const stage = await db.stages.get(request.stageId);
    if (!stage || stage.studyId !== studyId) throw new ChangeRefused('That lifecycle stage no longer exists.');
    const type = typeof request.type === 'string' ? request.type.trim() : '';
    if (type === '') throw new ChangeRefused('A tie needs a type: say what kind of collaboration it is.');
    const [document, text] = await Promise.all([db.documents.get(request.documentId), db.texts.get(request.documentId)]);
    if (!document || !text || document.studyId !== studyId) throw new ChangeRefused('That transcript no longer exists.');
    const { start, end } = request.span;
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > text.text.length || start >= end) {
      throw new ChangeRefused(`The selection ${start}–${end} does not lie inside the transcript (0–${text.text.length}).`);
    }
    if (text.text.slice(start, end).trim() === '') throw new ChangeRefused('The selection holds only white space; select the passage that shows the tie.');

    const now = nowIso();
    const actors = await db.actors.where('studyId').equals(studyId).toArray();
    const byName = new Map(actors.map((a) => [actorKey(a.name), a]));
    const created: Actor[] = [];
    const resolve = (choice: ActorChoice): Actor => {
      if (typeof choice === 'string') {
        const actor = actors.find((a) => a.id === choice);
        if (!actor) throw new ChangeRefused('That actor no longer exists.');
        return actor;
      }
      const name = typeof choice.newActor.name === 'string' ? choice.newActor.name.replace(/\s+/g, ' ').trim() : '';
      if (name === '') throw new ChangeRefused('A new actor needs a name.');
      if (!(ACTOR_TYPES as readonly string[]).includes(choice.newActor.type)) throw new ChangeRefused(`${q(String(choice.newActor.type))} is not a type of actor (${ACTOR_TYPES.join(', ')}).`);
      const same = byName.get(actorKey(name));
      if (same) {
        if (created.includes(same)) throw new ChangeRefused('A tie joins two different actors: choose another actor at one end.');
        throw new ChangeRefused(`There is already an actor called ${q(same.name)}: choose it rather than creating another.`);
      }
      const actor: Actor = { id: newGuid(), studyId, createdAt: now, modifiedAt: now, createdBy: coderId, name, type: choice.newActor.type, caseId: null, description: '' };
      byName.set(actorKey(name), actor);
      created.push(actor);
      return actor;
    };
    const from = resolve(request.fromId);
    const to = resolve(request.toId);
    if (from.id === to.id) throw new ChangeRefused('A tie joins two different actors: choose another actor at one end.');

    const patch = emptyPatch();
    if (created.length > 0) patch.put.actors = created;
    const segments = await db.segments.where('documentId').equals(document.id).toArray();
    let segment = segments.find((s) => s.start === start && s.end === end);
    const newSegment = !segment;
    if (!segment) {
      segment = { id: newGuid(), studyId, createdAt: now, modifiedAt: now, createdBy: coderId, documentId: document.id, start, end, text: text.text.slice(start, end), codings: [], codeIds: [] } satisfies StoredSegment;
      patch.put.segments = [segment];
    }
    const description = typeof request.description === 'string' ? request.description.trim() : '';
    const existing = created.length > 0 ? undefined : await db.ties.where('fromId').equals(from.id).filter((t) => t.studyId === studyId && t.toId === to.id && t.type === type && t.stageId === stage.id).first();
    const tieName = `${q(from.name)} → ${q(to.name)}`;
    if (existing) {
      if (existing.evidenceSegmentIds.includes(segment.id)) throw new ChangeRefused('That passage is already evidence for this tie.');
      const tie: Tie = { ...existing, evidenceSegmentIds: [...existing.evidenceSegmentIds, segment.id], description: existing.description.trim() === '' ? description : existing.description, modifiedAt: now };
      patch.put.ties = [tie];
      result = { tie, segmentId: segment.id, outcome: 'evidence-added', newActorIds: [], newSegment };
      return { patch, label: `Add evidence to the tie ${tieName}` };
    }
    const tie: Tie = { id: newGuid(), studyId, createdAt: now, modifiedAt: now, createdBy: coderId, fromId: from.id, toId: to.id, type, stageId: stage.id, description, evidenceSegmentIds: [segment.id] };
    patch.put.ties = [tie];
    result = { tie, segmentId: segment.id, outcome: 'created', newActorIds: created.map((a) => a.id), newSegment };
    return { patch, label: `Record the tie ${tieName}` };
  });
  return { change, ...result! };
}

/** Of these segments, the ones nothing holds any longer: no codings, no memo, no tie other than those named. */
async function unheldSegments(db: CartographyDb, studyId: Guid, segmentIds: readonly Guid[], ignoringTies: ReadonlySet<Guid>): Promise<Guid[]> {
  const candidates = (await db.segments.bulkGet([...new Set(segmentIds)])).filter((s): s is StoredSegment => s !== undefined && s.codings.length === 0);
  if (candidates.length === 0) return [];
  const held = new Set<Guid>(await db.memos.where('[targetType+targetId]').anyOf(candidates.map((s) => ['segment', s.id])).toArray().then((memos) => memos.map((m) => m.targetId)));
  await db.ties.where('studyId').equals(studyId).each((t) => {
    if (!ignoringTies.has(t.id)) for (const id of t.evidenceSegmentIds) held.add(id);
  });
  return candidates.filter((s) => !held.has(s.id)).map((s) => s.id);
}

async function tieLabel(db: CartographyDb, tie: Tie): Promise<string> {
  const [from, to] = await Promise.all([db.actors.get(tie.fromId), db.actors.get(tie.toId)]);
  return `${q(from?.name ?? 'an actor')} → ${q(to?.name ?? 'an actor')}`;
}

async function tieOf(db: CartographyDb, studyId: Guid, tieId: Guid): Promise<Tie> {
  const tie = await db.ties.get(tieId);
  if (!tie || tie.studyId !== studyId) throw new ChangeRefused('That tie no longer exists.');
  return tie;
}

/**
 * Takes a passage out of a tie's evidence. A tie left without evidence goes (every edge rests
 * on evidence), and so does a segment left with no codings, memo or tie.
 */
export async function removeTieEvidence(db: CartographyDb, studyId: Guid, tieId: Guid, segmentId: Guid): Promise<{ change: Change; tieRemoved: boolean; segmentRemoved: boolean }> {
  let outcome = { tieRemoved: false, segmentRemoved: false };
  const change = await commitLabelled(db, studyId, async () => {
    const tie = await tieOf(db, studyId, tieId);
    if (!tie.evidenceSegmentIds.includes(segmentId)) throw new ChangeRefused('That passage is not evidence for this tie.');
    const patch = emptyPatch();
    const evidence = tie.evidenceSegmentIds.filter((id) => id !== segmentId);
    const tieRemoved = evidence.length === 0;
    if (tieRemoved) patch.remove.ties = [tie.id];
    else {
      const next: Tie = { ...tie, evidenceSegmentIds: evidence, modifiedAt: nowIso() };
      patch.put.ties = [next];
    }
    // The tie still holds its other passages, never this one: only it is ignored.
    const unheld = await unheldSegments(db, studyId, [segmentId], new Set([tie.id]));
    if (unheld.length > 0) patch.remove.segments = unheld;
    outcome = { tieRemoved, segmentRemoved: unheld.length > 0 };
    const name = await tieLabel(db, tie);
    return { patch, label: tieRemoved ? `Delete the tie ${name} with its last evidence` : `Remove evidence from the tie ${name}` };
  });
  return { change, ...outcome };
}

/** Deletes a tie; its evidence segments that nothing else holds go with it. Actors stay. */
export async function deleteTie(db: CartographyDb, studyId: Guid, tieId: Guid): Promise<{ change: Change; segmentsRemoved: Guid[] }> {
  let segmentsRemoved: Guid[] = [];
  const change = await commitLabelled(db, studyId, async () => {
    const tie = await tieOf(db, studyId, tieId);
    const patch = emptyPatch();
    patch.remove.ties = [tie.id];
    segmentsRemoved = await unheldSegments(db, studyId, tie.evidenceSegmentIds, new Set([tie.id]));
    if (segmentsRemoved.length > 0) patch.remove.segments = segmentsRemoved;
    return { patch, label: `Delete the tie ${await tieLabel(db, tie)}` };
  });
  return { change, segmentsRemoved };
}

// ——— What the maps read ———

/** A passage behind a tie, with where it comes from. */
export interface TieEvidence {
  segmentId: Guid;
  documentId: Guid;
  documentTitle: string;
  /** The case of the passage's transcript, or null. */
  caseId: Guid | null;
  start: number;
  end: number;
  text: string;
}

/** A tie with its evidence resolved (a passage whose segment is gone is left out). */
export interface MapTie extends Tie {
  evidence: TieEvidence[];
}

/** A position override with its justification memo's text and title. */
export interface MapOverride extends PositionOverride {
  justification: string;
  justificationTitle: string;
}

export interface MapSource extends MatrixSource {
  actors: Actor[];
  ties: MapTie[];
  overrides: MapOverride[];
}

/** Everything the maps draw from, read in one transaction (so the parts agree). */
export async function loadMapSource(db: CartographyDb, studyId: Guid): Promise<MapSource> {
  const tables = [db.coders, db.stages, db.codes, db.cases, db.attributes, db.participants, db.documents, db.segments, db.actors, db.ties, db.overrides, db.memos];
  return db.transaction('r', tables, async () => {
    const [matrix, actors, ties, overrides] = await Promise.all([
      loadMatrixSource(db, studyId),
      db.actors.where('studyId').equals(studyId).toArray(),
      db.ties.where('studyId').equals(studyId).toArray(),
      db.overrides.where('studyId').equals(studyId).toArray(),
    ]);
    const evidenceIds = [...new Set(ties.flatMap((t) => t.evidenceSegmentIds))];
    const [segments, memos] = await Promise.all([
      evidenceIds.length === 0 ? [] : db.segments.bulkGet(evidenceIds),
      overrides.length === 0 ? [] : db.memos.bulkGet(overrides.map((o) => o.memoId)),
    ]);
    const segmentById = new Map(segments.flatMap((s) => (s ? [[s.id, s] as const] : [])));
    const documentById = new Map(matrix.documents.map((d) => [d.id, d]));
    const evidenceOf = (id: Guid): TieEvidence[] => {
      const s = segmentById.get(id);
      const d = s && documentById.get(s.documentId);
      return s && d ? [{ segmentId: s.id, documentId: s.documentId, documentTitle: d.title, caseId: d.caseId, start: s.start, end: s.end, text: s.text }] : [];
    };
    const memoById = new Map(memos.flatMap((m) => (m ? [[m.id, m] as const] : [])));
    return {
      ...matrix,
      actors,
      ties: ties.map((t) => ({ ...t, evidence: t.evidenceSegmentIds.flatMap(evidenceOf) })),
      overrides: overrides.map((o) => ({ ...o, justification: memoById.get(o.memoId)?.text ?? '', justificationTitle: memoById.get(o.memoId)?.title ?? '' })),
    };
  });
}

// ——— Saved map layout (settings, per study) ———

export type NetworkPositions = Record<Guid, { x: number; y: number }>;

export interface DeckSettings {
  /** Card order (ids, as the deck names its cards). */
  order?: string[];
  /** Cards hidden from the deck. */
  hidden?: string[];
  /** The quote chosen for a card, by card id. */
  quotes?: Record<string, string>;
}

const positionsKey = (studyId: Guid) => `network-positions:${studyId}`;
const deckKey = (studyId: Guid) => `deck-settings:${studyId}`;

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

function cleanPositions(value: unknown): NetworkPositions {
  const positions: NetworkPositions = {};
  if (!isRecord(value)) return positions;
  for (const [id, p] of Object.entries(value)) {
    if (isRecord(p) && typeof p['x'] === 'number' && typeof p['y'] === 'number' && Number.isFinite(p['x']) && Number.isFinite(p['y'])) positions[id] = { x: p['x'], y: p['y'] };
  }
  return positions;
}

function cleanDeck(value: unknown): DeckSettings {
  const deck: DeckSettings = {};
  if (!isRecord(value)) return deck;
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : undefined);
  const order = strings(value['order']);
  const hidden = strings(value['hidden']);
  if (order) deck.order = order;
  if (hidden) deck.hidden = hidden;
  if (isRecord(value['quotes'])) deck.quotes = Object.fromEntries(Object.entries(value['quotes']).filter((e): e is [string, string] => typeof e[1] === 'string'));
  return deck;
}

/** Where the researcher placed the actors of the network, by actor id ({} when never saved). */
export async function getNetworkPositions(db: CartographyDb, studyId: Guid): Promise<NetworkPositions> {
  return cleanPositions(await getSetting(db, positionsKey(studyId)));
}

/** Replaces the saved network positions; entries without finite x and y are left out. */
export async function saveNetworkPositions(db: CartographyDb, studyId: Guid, positions: NetworkPositions): Promise<void> {
  await putStudySetting(db, studyId, positionsKey(studyId), cleanPositions(positions));
}

export async function getDeckSettings(db: CartographyDb, studyId: Guid): Promise<DeckSettings> {
  return cleanDeck(await getSetting(db, deckKey(studyId)));
}

/** Replaces the saved deck settings (fields of the wrong type are left out). */
export async function saveDeckSettings(db: CartographyDb, studyId: Guid, settings: DeckSettings): Promise<void> {
  await putStudySetting(db, studyId, deckKey(studyId), cleanDeck(settings));
}
