import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyCode, applyCodeAcross, recodeCoding, removeCoding, resizeCoding } from '../../renderer/data/coding.ts';
import { CartographyDb } from '../../renderer/data/db.ts';
import { ChangeRefused, History } from '../../renderer/data/history.ts';
import { importStudyFile, loadStudyRecords } from '../../renderer/data/studies.ts';
import { comparable, dumpTables } from '../support/snapshot.ts';

const file = JSON.stringify({
  format: 'cartography-study',
  version: 1,
  study: { name: 'Undo study' },
  coders: [{ key: 'ana', name: 'Ana' }],
  stages: [{ key: 'pre', name: 'Pre-training' }],
  codes: [
    { key: 'secrecy', name: 'Secrecy', stage: 'pre', kind: 'challenge' },
    { key: 'compute', name: 'Compute', stage: 'pre', kind: 'on-ramp' },
  ],
  documents: [
    { key: 'd1', title: 'One', text: 'P01: We keep recipes secret. A cluster lent us compute.' },
    { key: 'd2', title: 'Two', text: 'P02: The cluster gave compute to everyone.' },
  ],
  codings: [{ document: 'd1', quote: 'keep recipes secret', code: 'secrecy' }],
  memos: [{ target: { type: 'segment', document: 'd2', quote: 'The cluster' }, text: 'a memo keeps its segment' }],
});

let db: CartographyDb;
let history: History;
let ids: { study: string; d1: string; d2: string; secrecy: string; compute: string; ana: string; text1: string };

/** Every record; the study's modifiedAt is left out (it records the last change, undo included). */
const snapshot = async () => comparable(await dumpTables(db), { settings: false });
const span = (text: string, phrase: string) => ({ start: text.indexOf(phrase), end: text.indexOf(phrase) + phrase.length });

beforeEach(async () => {
  db = new CartographyDb(`history-${Math.random()}`);
  await db.open();
  history = new History(db);
  const study = await importStudyFile(db, file, 'undo.cartography.json');
  const r = await loadStudyRecords(db, study);
  const byTitle = (t: string) => r.documents.find((d) => d.title === t)!.id;
  const code = (n: string) => r.codes.find((c) => c.name === n)!.id;
  ids = { study, d1: byTitle('One'), d2: byTitle('Two'), secrecy: code('Secrecy'), compute: code('Compute'), ana: r.coders[0]!.id, text1: r.texts.find((t) => t.id === byTitle('One'))!.text };
});
afterEach(async () => {
  await db.delete();
});

describe('undo and redo', () => {
  it('undoes and redoes several coding changes in order, restoring the database exactly each time', async () => {
    const states = [await snapshot()];
    const run = async (p: Promise<{ change: Parameters<History['record']>[0] }>) => {
      history.record((await p).change);
      states.push(await snapshot());
    };
    await run(applyCode(db, ids.study, ids.d1, [{ ...span(ids.text1, 'A cluster lent us compute'), codeId: ids.compute, coderId: ids.ana }], 'Apply Compute'));
    const overlap = await applyCode(db, ids.study, ids.d1, [{ ...span(ids.text1, 'cluster'), codeId: ids.secrecy, coderId: ids.ana }], 'Apply Secrecy');
    history.record(overlap.change);
    states.push(await snapshot());
    await run(recodeCoding(db, ids.study, ids.d1, overlap.codingIds[0]!, ids.compute, 'Change code'));
    await run(resizeCoding(db, ids.study, ids.d1, overlap.codingIds[0]!, span(ids.text1, 'A cluster'), 'Resize'));
    await run(removeCoding(db, ids.study, ids.d1, overlap.codingIds, 'Remove'));

    const after = await loadStudyRecords(db, ids.study);
    expect(after.codings).toHaveLength(2);
    expect(after.documents.find((d) => d.id === ids.d1)!.codingCount).toBe(2);

    for (let i = states.length - 2; i >= 0; i -= 1) {
      await history.undo();
      expect(await snapshot(), `after undoing to state ${i}`).toEqual(states[i]);
    }
    expect(await history.undo()).toBeNull();
    for (let i = 1; i < states.length; i += 1) {
      await history.redo();
      const now = await snapshot();
      // redo replays the same records (timestamps included)
      expect(now, `after redoing to state ${i}`).toEqual(states[i]);
    }
  });

  it('keeps the document summary and the code index in step', async () => {
    const { change } = await applyCode(db, ids.study, ids.d1, [{ ...span(ids.text1, 'compute'), codeId: ids.compute, coderId: ids.ana }], 'Apply');
    history.record(change);
    expect(await db.segments.where('codeIds').equals(ids.compute).count()).toBe(1);
    expect((await db.documents.get(ids.d1))!.codingCount).toBe(2);
    await history.undo();
    expect(await db.segments.where('codeIds').equals(ids.compute).count()).toBe(0);
    expect((await db.documents.get(ids.d1))!.codingCount).toBe(1);
  });

  it('refuses a repeat with a reason and writes nothing', async () => {
    const before = await snapshot();
    await expect(applyCode(db, ids.study, ids.d1, [{ ...span(ids.text1, 'keep recipes secret'), codeId: ids.secrecy, coderId: ids.ana }], 'Again')).rejects.toThrow(
      new ChangeRefused('That text already carries this code from you.'),
    );
    expect(await snapshot()).toEqual(before);
  });

  it('codes spans across documents as one change, keeps memo segments, and undoes it in one step', async () => {
    const text2 = (await db.texts.get(ids.d2))!.text;
    const before = await snapshot();
    const { change, codingIds } = await applyCodeAcross(
      db,
      ids.study,
      new Map([
        [ids.d1, [{ ...span(ids.text1, 'cluster'), codeId: ids.compute, coderId: ids.ana }]],
        [ids.d2, [{ ...span(text2, 'The cluster'), codeId: ids.compute, coderId: ids.ana }]],
      ]),
      'Code all results',
    );
    history.record(change);
    expect(codingIds).toHaveLength(2);
    // the d2 coding reuses the segment the memo points at
    const memo = (await db.memos.toArray())[0]!;
    expect((await db.segments.get(memo.targetId))!.codings).toHaveLength(1);
    await removeCoding(db, ids.study, ids.d2, [codingIds[1]!], 'Remove').then((r) => history.record(r.change));
    expect(await db.segments.get(memo.targetId)).toBeDefined();
    await history.undo();
    await history.undo();
    expect(await snapshot()).toEqual(before);
  });
});

describe('history and the study record', () => {
  it('does not undo a rename or a change of active coder made between changes', async () => {
    const { renameStudy, setActiveCoder } = await import('../../renderer/data/studies.ts');
    const { addCoder } = await import('../../renderer/data/coders.ts');
    const bo = await history.perform(() => addCoder(db, ids.study, 'Bo'));
    await history.perform(() => applyCode(db, ids.study, ids.d1, [{ ...span(ids.text1, 'compute'), codeId: ids.compute, coderId: ids.ana }], 'Apply'));
    await renameStudy(db, ids.study, 'Renamed between');
    await setActiveCoder(db, ids.study, bo.coder.id);
    await history.undo();
    const study = (await db.studies.get(ids.study))!;
    expect([study.name, study.activeCoderId]).toEqual(['Renamed between', bo.coder.id]);
    expect((await db.documents.get(ids.d1))!.codingCount).toBe(1);
  });

  it('runs an undo only after the change before it has been written', async () => {
    const applying = history.perform(() => applyCode(db, ids.study, ids.d1, [{ ...span(ids.text1, 'compute'), codeId: ids.compute, coderId: ids.ana }], 'Apply'));
    const undoing = history.undo(); // pressed before the change committed
    await applying;
    expect(await undoing).toBe('Apply');
    expect((await db.documents.get(ids.d1))!.codingCount).toBe(1);
    expect(history.nextRedo).toBe('Apply');
  });

  it('refuses to replay a change once its study is gone', async () => {
    const { deleteStudy } = await import('../../renderer/data/studies.ts');
    await history.perform(() => applyCode(db, ids.study, ids.d1, [{ ...span(ids.text1, 'compute'), codeId: ids.compute, coderId: ids.ana }], 'Apply'));
    await deleteStudy(db, ids.study);
    await expect(history.undo()).rejects.toThrow('That study no longer exists.');
    expect(await db.documents.count()).toBe(0);
  });
});
