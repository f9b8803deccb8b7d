import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyCode, removeCoding } from '../../renderer/data/coding.ts';
import { CartographyDb } from '../../renderer/data/db.ts';
import { ChangeRefused, History } from '../../renderer/data/history.ts';
import {
  clearPositionOverride,
  deleteTie,
  getDeckSettings,
  getNetworkPositions,
  JUSTIFICATION_NEEDED,
  loadMapSource,
  recordTie,
  removeTieEvidence,
  saveDeckSettings,
  saveNetworkPositions,
  setPositionOverride,
  type RecordTieRequest,
} from '../../renderer/data/maps.ts';
import { deleteStudy, duplicateStudy, exportStudy, importStudyFile, loadStudyRecords } from '../../renderer/data/studies.ts';
import { checkStudyRecords } from '../../shared/model/integrity.ts';
import type { Guid, StudyRecords } from '../../shared/model/types.ts';
import { comparable, dumpTables } from '../support/snapshot.ts';

const TEXT = 'P01: AI2 lent us compute. We shared the dataset with Hugging Face. Nobody else saw it.';
const file = JSON.stringify({
  format: 'cartography-study',
  version: 1,
  study: { name: 'Maps study' },
  coders: [{ key: 'ana', name: 'Ana' }],
  stages: [{ key: 'pre', name: 'Pre-training' }, { key: 'post', name: 'Post-release' }],
  cases: [{ key: 'olmo', name: 'OLMo (AI2)' }, { key: 'bloom', name: 'BLOOM' }],
  codes: [{ key: 'compute', name: 'Compute', stage: 'pre', kind: 'on-ramp', mode: 'bazaar' }],
  documents: [
    { key: 'd1', title: 'Interview one', case: 'olmo', text: TEXT },
    { key: 'd2', title: 'Interview two', text: 'P02: Just talk.' },
  ],
  codings: [{ document: 'd1', quote: 'AI2 lent us compute', code: 'compute' }],
  memos: [{ target: { type: 'segment', document: 'd1', quote: 'Nobody else saw it.' }, text: 'kept by its memo' }],
  actors: [
    { key: 'ai2', name: 'AI2', type: 'organisation', case: 'olmo' },
    { key: 'hf', name: 'Hugging Face', type: 'organisation' },
  ],
  ties: [{ from: 'ai2', to: 'hf', type: 'dataset-sharing', stage: 'pre', description: 'Shared data', evidence: [{ document: 'd1', quote: 'We shared the dataset with Hugging Face.' }] }],
});

let db: CartographyDb;
let history: History;
let ids: { study: Guid; ana: Guid; pre: Guid; post: Guid; olmo: Guid; bloom: Guid; d1: Guid; d2: Guid; ai2: Guid; hf: Guid; tie: Guid };

/** Every record; the study's modifiedAt is left out (it records the last change, undo included). */
const snapshot = async () => comparable(await dumpTables(db), { settings: false });
const span = (phrase: string) => ({ start: TEXT.indexOf(phrase), end: TEXT.indexOf(phrase) + phrase.length });
const segmentAt = async (phrase: string) => (await db.segments.where('documentId').equals(ids.d1).toArray()).find((s) => s.start === span(phrase).start && s.end === span(phrase).end);

beforeEach(async () => {
  db = new CartographyDb(`maps-${Math.random()}`);
  await db.open();
  history = new History(db);
  const study = await importStudyFile(db, file, 'maps.cartography.json');
  const r = await loadStudyRecords(db, study);
  const find = <T extends { id: Guid }>(rows: T[], test: (row: T) => boolean) => rows.find(test)!.id;
  ids = {
    study,
    ana: r.coders[0]!.id,
    pre: find(r.stages, (s) => s.name === 'Pre-training'),
    post: find(r.stages, (s) => s.name === 'Post-release'),
    olmo: find(r.cases, (c) => c.name === 'OLMo (AI2)'),
    bloom: find(r.cases, (c) => c.name === 'BLOOM'),
    d1: find(r.documents, (d) => d.title === 'Interview one'),
    d2: find(r.documents, (d) => d.title === 'Interview two'),
    ai2: find(r.actors, (a) => a.name === 'AI2'),
    hf: find(r.actors, (a) => a.name === 'Hugging Face'),
    tie: r.ties[0]!.id,
  };
});
afterEach(async () => {
  await db.delete();
});

/** Runs a refused change and checks that it wrote nothing. */
async function expectRefused(work: () => Promise<unknown>, message: string | RegExp) {
  const before = await snapshot();
  const run = work();
  await expect(run).rejects.toBeInstanceOf(ChangeRefused);
  await expect(run).rejects.toThrow(message);
  expect(await snapshot()).toEqual(before);
}

/** Records a change, then checks that undo gives `before` back exactly and redo gives `after`. */
async function expectUndoable(change: Parameters<History['record']>[0], before: unknown) {
  history.record(change);
  const after = await snapshot();
  await history.undo();
  expect(await snapshot()).toEqual(before);
  await history.redo();
  expect(await snapshot()).toEqual(after);
}

describe('position overrides', () => {
  it('creates an override with its justification memo, as one undoable change', async () => {
    const before = await snapshot();
    const result = await setPositionOverride(db, ids.study, { caseId: ids.olmo, stageId: ids.post, value: -0.4, justification: '  The weights are open, but every partner signs an NDA.  ' }, ids.ana);
    expect(result.created).toBe(true);
    expect(result.change.label).toBe('Override the position of “OLMo (AI2)” in “Post-release”');
    const { override, memo } = result;
    const now = override.createdAt;
    expect(await db.overrides.toArray()).toEqual([
      { id: override.id, studyId: ids.study, createdAt: now, modifiedAt: now, createdBy: ids.ana, caseId: ids.olmo, stageId: ids.post, value: -0.4, memoId: memo.id },
    ]);
    expect(await db.memos.get(memo.id)).toEqual({
      id: memo.id,
      studyId: ids.study,
      createdAt: now,
      modifiedAt: now,
      createdBy: ids.ana,
      targetType: 'position',
      targetId: override.id,
      title: 'Position of OLMo (AI2) in Post-release',
      text: 'The weights are open, but every partner signs an NDA.',
    });
    expect(checkStudyRecords(await loadStudyRecords(db, ids.study))).toEqual([]);
    await expectUndoable(result.change, before);
  });

  it('replaces the value and text of an existing override, keeping both ids', async () => {
    const first = await setPositionOverride(db, ids.study, { caseId: ids.olmo, stageId: ids.post, value: -0.4, justification: 'First reason.' }, ids.ana);
    const before = await snapshot();
    const second = await setPositionOverride(db, ids.study, { caseId: ids.olmo, stageId: ids.post, value: 0.25, justification: 'Second reason.' }, null);
    expect(second.created).toBe(false);
    expect(second.change.label).toBe('Change the position override of “OLMo (AI2)” in “Post-release”');
    expect(second.override).toEqual({ ...first.override, value: 0.25, modifiedAt: second.override.modifiedAt });
    expect(second.memo).toEqual({ ...first.memo, text: 'Second reason.', modifiedAt: second.memo.modifiedAt });
    expect(await db.overrides.toArray()).toEqual([second.override]);
    expect((await db.memos.toArray()).filter((m) => m.targetType === 'position')).toEqual([second.memo]);
    await expectUndoable(second.change, before);

    // only the value changes: the memo is left alone
    const third = await setPositionOverride(db, ids.study, { caseId: ids.olmo, stageId: ids.post, value: 0.5, justification: 'Second reason.' }, ids.ana);
    expect(third.change.forward.put.memos).toBeUndefined();
    expect(third.change.forward.put.overrides).toEqual([third.override]);
    expect(third.memo).toEqual(second.memo);
    await expectRefused(() => setPositionOverride(db, ids.study, { caseId: ids.olmo, stageId: ids.post, value: 0.5, justification: ' Second reason. ' }, ids.ana), 'Nothing to change.');
  });

  it('refuses a blank justification, a value outside −1…1, and an unknown case or stage, writing nothing', async () => {
    const request = { caseId: ids.olmo, stageId: ids.pre, value: 0.2, justification: 'Because.' };
    await expectRefused(() => setPositionOverride(db, ids.study, { ...request, justification: ' \n ' }, ids.ana), JUSTIFICATION_NEEDED);
    expect(JUSTIFICATION_NEEDED).toBe('An override needs a justification: say why the evidence does not tell the whole story.');
    for (const value of [1.2, -1.01, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expectRefused(() => setPositionOverride(db, ids.study, { ...request, value }, ids.ana), /^A position lies from −1 \(cathedral\) to 1 \(bazaar\)/);
    }
    await expectRefused(() => setPositionOverride(db, ids.study, { ...request, caseId: ids.pre }, ids.ana), 'That case no longer exists.');
    await expectRefused(() => setPositionOverride(db, ids.study, { ...request, stageId: ids.olmo }, ids.ana), 'That lifecycle stage no longer exists.');
    // the bounds themselves are allowed
    await setPositionOverride(db, ids.study, { ...request, value: -1 }, ids.ana);
    await setPositionOverride(db, ids.study, { ...request, stageId: ids.post, value: 1 }, ids.ana);
    expect((await db.overrides.toArray()).map((o) => o.value).sort()).toEqual([-1, 1]);
  });

  it('clears an override with its memo, undoably; an unknown override is refused', async () => {
    const { override } = await setPositionOverride(db, ids.study, { caseId: ids.bloom, stageId: ids.pre, value: 0.9, justification: 'Open from the start.' }, ids.ana);
    const before = await snapshot();
    const { change } = await clearPositionOverride(db, ids.study, override.id);
    expect(change.label).toBe('Remove the position override of “BLOOM” in “Pre-training”');
    expect(await db.overrides.count()).toBe(0);
    expect((await db.memos.toArray()).some((m) => m.targetType === 'position')).toBe(false);
    await expectUndoable(change, before);
    await expectRefused(() => clearPositionOverride(db, ids.study, override.id), 'That override no longer exists.');
  });
});

describe('collaboration ties', () => {
  const request = (fields: Partial<RecordTieRequest> = {}): RecordTieRequest => ({
    fromId: ids.ai2,
    toId: ids.hf,
    type: 'compute-partnership',
    stageId: ids.pre,
    description: ' Compute for training ',
    documentId: ids.d1,
    span: span('lent us compute'),
    ...fields,
  });

  it('records a tie on a passage that had no segment: a segment without codings is made and kept', async () => {
    const before = await snapshot();
    const result = await recordTie(db, ids.study, request(), ids.ana);
    expect([result.outcome, result.newSegment, result.newActorIds]).toEqual(['created', true, []]);
    expect(result.change.label).toBe('Record the tie “AI2” → “Hugging Face”');
    const now = result.tie.createdAt;
    expect(await db.segments.get(result.segmentId)).toEqual({
      id: result.segmentId,
      studyId: ids.study,
      createdAt: now,
      modifiedAt: now,
      createdBy: ids.ana,
      documentId: ids.d1,
      ...span('lent us compute'),
      text: 'lent us compute',
      codings: [],
      codeIds: [],
    });
    expect(await db.ties.get(result.tie.id)).toEqual({
      id: result.tie.id,
      studyId: ids.study,
      createdAt: now,
      modifiedAt: now,
      createdBy: ids.ana,
      fromId: ids.ai2,
      toId: ids.hf,
      type: 'compute-partnership',
      stageId: ids.pre,
      description: 'Compute for training',
      evidenceSegmentIds: [result.segmentId],
    });
    expect((await db.documents.get(ids.d1))!.codingCount).toBe(1);
    expect(checkStudyRecords(await loadStudyRecords(db, ids.study))).toEqual([]);
    await expectUndoable(result.change, before);

    // coding the passage and removing the coding again leaves the segment: the tie points at it
    const coded = await applyCode(db, ids.study, ids.d1, [{ ...span('lent us compute'), codeId: (await db.codes.toArray())[0]!.id, coderId: ids.ana }], 'Apply');
    expect((await db.segments.get(result.segmentId))!.codings).toHaveLength(1);
    await removeCoding(db, ids.study, ids.d1, coded.codingIds, 'Remove');
    expect((await db.segments.get(result.segmentId))!.codings).toEqual([]);
  });

  it('adds the passage to the evidence of the tie with the same from, to, type and stage, reusing the coded segment there', async () => {
    const tieBefore = (await db.ties.get(ids.tie))!;
    const coded = (await segmentAt('AI2 lent us compute'))!;
    const before = await snapshot();
    const result = await recordTie(db, ids.study, request({ type: 'dataset-sharing', span: span('AI2 lent us compute'), description: 'ignored: the tie has one' }), null);
    expect([result.outcome, result.newSegment, result.segmentId, result.tie.id]).toEqual(['evidence-added', false, coded.id, ids.tie]);
    expect(result.change.label).toBe('Add evidence to the tie “AI2” → “Hugging Face”');
    expect(await db.ties.get(ids.tie)).toEqual({ ...tieBefore, evidenceSegmentIds: [...tieBefore.evidenceSegmentIds, coded.id], modifiedAt: result.tie.modifiedAt });
    expect(await db.segments.get(coded.id)).toEqual(coded);
    expect(result.change.forward.put.segments).toBeUndefined();
    await expectUndoable(result.change, before);
    await expectRefused(() => recordTie(db, ids.study, request({ type: 'dataset-sharing', span: span('AI2 lent us compute') }), null), 'That passage is already evidence for this tie.');

    // the other direction, another type or another stage is another tie
    for (const fields of [{ fromId: ids.hf, toId: ids.ai2 }, { type: 'Dataset-sharing' }, { type: 'dataset-sharing', stageId: ids.post }]) {
      expect((await recordTie(db, ids.study, request({ ...fields, span: span('AI2 lent us compute') }), ids.ana)).outcome).toBe('created');
    }
    expect(await db.ties.count()).toBe(4);
  });

  it('creates actors on the fly, with names unique in the study whatever their case', async () => {
    const before = await snapshot();
    const result = await recordTie(db, ids.study, request({ fromId: { newActor: { name: '  EleutherAI ', type: 'community' } }, toId: { newActor: { name: 'The  Pile', type: 'dataset' } } }), ids.ana);
    expect(result.outcome).toBe('created');
    const [eleuther, pile] = result.newActorIds;
    const now = result.tie.createdAt;
    const actor = { studyId: ids.study, createdAt: now, modifiedAt: now, createdBy: ids.ana, caseId: null, description: '' };
    expect(await db.actors.bulkGet([eleuther!, pile!])).toEqual([
      { id: eleuther, ...actor, name: 'EleutherAI', type: 'community' },
      { id: pile, ...actor, name: 'The Pile', type: 'dataset' },
    ]);
    expect([result.tie.fromId, result.tie.toId]).toEqual([eleuther, pile]);
    expect(result.change.label).toBe('Record the tie “EleutherAI” → “The Pile”');
    await expectUndoable(result.change, before);

    await expectRefused(() => recordTie(db, ids.study, request({ toId: { newActor: { name: 'hugging FACE', type: 'organisation' } } }), ids.ana), 'There is already an actor called “Hugging Face”: choose it rather than creating another.');
    await expectRefused(() => recordTie(db, ids.study, request({ toId: { newActor: { name: '   ', type: 'organisation' } } }), ids.ana), 'A new actor needs a name.');
    await expectRefused(() => recordTie(db, ids.study, request({ toId: { newActor: { name: 'Lab', type: 'university' as never } } }), ids.ana), /^“university” is not a type of actor/);
    await expectRefused(
      () => recordTie(db, ids.study, request({ fromId: { newActor: { name: 'Same', type: 'project' } }, toId: { newActor: { name: 'same', type: 'project' } } }), ids.ana),
      'A tie joins two different actors: choose another actor at one end.',
    );
  });

  it('refuses a tie from an actor to itself, an unknown stage, actor or transcript, a type left blank, and a span outside the text or blank, writing nothing', async () => {
    await expectRefused(() => recordTie(db, ids.study, request({ toId: ids.ai2 }), ids.ana), 'A tie joins two different actors: choose another actor at one end.');
    await expectRefused(() => recordTie(db, ids.study, request({ stageId: ids.olmo }), ids.ana), 'That lifecycle stage no longer exists.');
    await expectRefused(() => recordTie(db, ids.study, request({ toId: ids.olmo }), ids.ana), 'That actor no longer exists.');
    await expectRefused(() => recordTie(db, ids.study, request({ documentId: ids.olmo }), ids.ana), 'That transcript no longer exists.');
    await expectRefused(() => recordTie(db, ids.study, request({ type: '  ' }), ids.ana), 'A tie needs a type: say what kind of collaboration it is.');
    await expectRefused(() => recordTie(db, ids.study, request({ span: { start: 80, end: 120 } }), ids.ana), `The selection 80–120 does not lie inside the transcript (0–${TEXT.length}).`);
    await expectRefused(() => recordTie(db, ids.study, request({ span: { start: 5, end: 5 } }), ids.ana), `The selection 5–5 does not lie inside the transcript (0–${TEXT.length}).`);
    const gap = TEXT.indexOf(' We shared');
    await expectRefused(() => recordTie(db, ids.study, request({ span: { start: gap, end: gap + 1 } }), ids.ana), 'The selection holds only white space; select the passage that shows the tie.');
  });

  it('removes evidence: a segment nothing else holds goes, a coded or memo segment stays, and the last evidence takes the tie with it', async () => {
    const shared = (await segmentAt('We shared the dataset with Hugging Face.'))!;
    const memoSegment = (await segmentAt('Nobody else saw it.'))!;
    const coded = (await segmentAt('AI2 lent us compute'))!;
    await recordTie(db, ids.study, request({ type: 'dataset-sharing', span: span('Nobody else saw it.') }), ids.ana);
    await recordTie(db, ids.study, request({ type: 'dataset-sharing', span: span('AI2 lent us compute') }), ids.ana);
    const fresh = await recordTie(db, ids.study, request({ type: 'dataset-sharing', span: span('lent us') }), ids.ana);
    expect((await db.ties.get(ids.tie))!.evidenceSegmentIds).toEqual([shared.id, memoSegment.id, coded.id, fresh.segmentId]);

    let before = await snapshot();
    const one = await removeTieEvidence(db, ids.study, ids.tie, fresh.segmentId);
    expect([one.tieRemoved, one.segmentRemoved, one.change.label]).toEqual([false, true, 'Remove evidence from the tie “AI2” → “Hugging Face”']);
    expect(await db.segments.get(fresh.segmentId)).toBeUndefined();
    await expectUndoable(one.change, before);

    for (const [segment, kept] of [[memoSegment, true], [coded, true], [shared, false]] as const) {
      const result = await removeTieEvidence(db, ids.study, ids.tie, segment.id);
      expect(result.segmentRemoved, segment.text).toBe(!kept);
      expect(await db.segments.get(segment.id), segment.text).toEqual(kept ? segment : undefined);
      expect(result.tieRemoved, segment.text).toBe(segment === shared);
    }
    expect(await db.ties.get(ids.tie)).toBeUndefined();
    before = await snapshot();
    const last = await removeTieEvidence(db, ids.study, ids.tie, fresh.segmentId).catch((e: unknown) => e);
    expect(last).toBeInstanceOf(ChangeRefused);
    expect(await snapshot()).toEqual(before);
  });

  it('deletes a tie whose last evidence is removed, and a segment another tie holds stays', async () => {
    const shared = (await segmentAt('We shared the dataset with Hugging Face.'))!;
    const other = await recordTie(db, ids.study, request({ span: span('We shared the dataset with Hugging Face.') }), ids.ana);
    expect(other.segmentId).toBe(shared.id);
    const before = await snapshot();
    const result = await removeTieEvidence(db, ids.study, ids.tie, shared.id);
    expect([result.tieRemoved, result.segmentRemoved, result.change.label]).toEqual([true, false, 'Delete the tie “AI2” → “Hugging Face” with its last evidence']);
    expect(await db.ties.get(ids.tie)).toBeUndefined();
    expect(await db.segments.get(shared.id)).toEqual(shared);
    await expectUndoable(result.change, before);
    const coded = (await segmentAt('AI2 lent us compute'))!;
    await expectRefused(() => removeTieEvidence(db, ids.study, other.tie.id, coded.id), 'That passage is not evidence for this tie.');
  });

  it('deletes a tie with the segments only it held; actors stay', async () => {
    const memoSegment = (await segmentAt('Nobody else saw it.'))!;
    await recordTie(db, ids.study, request({ type: 'dataset-sharing', span: span('Nobody else saw it.') }), ids.ana);
    const before = await snapshot();
    const { change, segmentsRemoved } = await deleteTie(db, ids.study, ids.tie);
    expect(change.label).toBe('Delete the tie “AI2” → “Hugging Face”');
    const shared = before['segments']!.find((s) => (s as { text: string }).text === 'We shared the dataset with Hugging Face.') as { id: Guid };
    expect(segmentsRemoved).toEqual([shared.id]);
    expect(await db.segments.get(memoSegment.id)).toEqual(memoSegment);
    expect(await db.ties.count()).toBe(0);
    expect(await db.actors.count()).toBe(2);
    expect(checkStudyRecords(await loadStudyRecords(db, ids.study))).toEqual([]);
    await expectUndoable(change, before);
    await history.undo();
    await expectRefused(() => deleteTie(db, ids.study, ids.olmo), 'That tie no longer exists.');
  });
});

describe('what the maps read', () => {
  it('loads the matrix source with actors, ties and their evidence, and overrides with their justification', async () => {
    const { override } = await setPositionOverride(db, ids.study, { caseId: ids.olmo, stageId: ids.post, value: 0.3, justification: 'Derivatives everywhere.' }, ids.ana);
    const source = await loadMapSource(db, ids.study);
    expect(source.stages.map((s) => s.name)).toEqual(['Pre-training', 'Post-release']);
    expect(source.codes.map((c) => c.name)).toEqual(['Compute']);
    expect(source.segments.map((s) => s.text)).toEqual(['AI2 lent us compute']);
    expect(source.codings).toHaveLength(1);
    expect(source.coders).toEqual([{ id: ids.ana, name: 'Ana' }]);
    expect(source.actors.map((a) => a.name).sort()).toEqual(['AI2', 'Hugging Face']);
    const shared = (await segmentAt('We shared the dataset with Hugging Face.'))!;
    expect(source.ties).toEqual([
      {
        ...(await db.ties.get(ids.tie))!,
        evidence: [{ segmentId: shared.id, documentId: ids.d1, documentTitle: 'Interview one', caseId: ids.olmo, ...span('We shared the dataset with Hugging Face.'), text: 'We shared the dataset with Hugging Face.' }],
      },
    ]);
    expect(source.overrides).toEqual([{ ...override, justification: 'Derivatives everywhere.', justificationTitle: 'Position of OLMo (AI2) in Post-release' }]);
  });

  it('keeps network positions and deck settings per study; deleting the study drops them', async () => {
    expect(await getNetworkPositions(db, ids.study)).toEqual({});
    expect(await getDeckSettings(db, ids.study)).toEqual({});
    await saveNetworkPositions(db, ids.study, { [ids.ai2]: { x: 10, y: -4.5 }, [ids.hf]: { x: Number.NaN, y: 1 } });
    expect(await getNetworkPositions(db, ids.study)).toEqual({ [ids.ai2]: { x: 10, y: -4.5 } });
    await saveNetworkPositions(db, ids.study, { [ids.hf]: { x: 1, y: 2 } });
    expect(await getNetworkPositions(db, ids.study)).toEqual({ [ids.hf]: { x: 1, y: 2 } });
    const deck = { order: [ids.bloom, ids.olmo], hidden: [ids.bloom], quotes: { [`${ids.olmo}:${ids.pre}`]: 'seg-1' } };
    await saveDeckSettings(db, ids.study, deck);
    expect(await getDeckSettings(db, ids.study)).toEqual(deck);
    expect((await db.settings.toArray()).map((s) => s.key).sort()).toEqual([`deck-settings:${ids.study}`, `network-positions:${ids.study}`]);
    await expect(saveDeckSettings(db, 'no-such-study', deck)).rejects.toThrow('That study no longer exists.');

    await deleteStudy(db, ids.study);
    expect(await db.settings.count()).toBe(0);
    expect(await getNetworkPositions(db, ids.study)).toEqual({});
  });
});

describe('overrides and the study', () => {
  const shape = (r: StudyRecords) =>
    r.overrides
      .map((o) => {
        const memo = r.memos.find((m) => m.id === o.memoId)!;
        return [r.cases.find((c) => c.id === o.caseId)!.name, r.stages.find((s) => s.id === o.stageId)!.name, o.value, o.createdAt, o.createdBy === null ? null : r.coders.find((c) => c.id === o.createdBy)!.name, memo.title, memo.text, memo.targetId === o.id];
      })
      .sort();

  beforeEach(async () => {
    await setPositionOverride(db, ids.study, { caseId: ids.olmo, stageId: ids.post, value: -0.2, justification: 'Partners only.' }, ids.ana);
    await setPositionOverride(db, ids.study, { caseId: ids.bloom, stageId: ids.pre, value: 0.8, justification: 'A workshop of a thousand.' }, null);
  });

  it('exports overrides with their justification and imports them back (as a copy, with new GUIDs)', async () => {
    const original = await loadStudyRecords(db, ids.study);
    const exported = await exportStudy(db, ids.study);
    const parsed = JSON.parse(exported) as { overrides: { justification: { text: string } }[]; memos: { target: { type: string } }[] };
    expect(parsed.overrides.map((o) => o.justification.text).sort()).toEqual(['A workshop of a thousand.', 'Partners only.']);
    expect(parsed.memos.some((m) => m.target.type === 'position')).toBe(false);

    // the same records, GUIDs and all, once the original is gone
    await deleteStudy(db, ids.study);
    expect(await db.overrides.count()).toBe(0);
    await importStudyFile(db, exported, 'again.cartography.json');
    const back = await loadStudyRecords(db, ids.study);
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    expect([...back.overrides].sort(byId)).toEqual([...original.overrides].sort(byId));
    expect([...back.memos].sort(byId)).toEqual([...original.memos].sort(byId));

    const copyId = await importStudyFile(db, exported, 'again.cartography.json', { asCopy: true });
    const copy = await loadStudyRecords(db, copyId);
    expect(shape(copy)).toEqual(shape(original));
    expect(copy.overrides.some((o) => original.overrides.some((x) => x.id === o.id || x.memoId === o.memoId))).toBe(false);
    expect(checkStudyRecords(copy)).toEqual([]);
  });

  it('duplicates a study with its overrides pointing at the copy’s case, stage and memo', async () => {
    const original = await loadStudyRecords(db, ids.study);
    const copy = await loadStudyRecords(db, await duplicateStudy(db, ids.study));
    expect(copy.overrides).toHaveLength(2);
    for (const o of copy.overrides) {
      expect(copy.cases.map((c) => c.id)).toContain(o.caseId);
      expect(copy.stages.map((s) => s.id)).toContain(o.stageId);
      expect(copy.memos.find((m) => m.id === o.memoId)).toMatchObject({ targetType: 'position', targetId: o.id, studyId: copy.study.id });
    }
    expect(shape(copy)).toEqual(shape(original));
    expect(checkStudyRecords(copy)).toEqual([]);
    // the original is untouched
    expect(await loadStudyRecords(db, ids.study)).toEqual(original);
  });
});
