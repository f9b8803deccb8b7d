import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addCode } from '../../shared/codebook/add-code.ts';
import { deleteCode, mergeCodes, moveCode, splitCode, updateCode } from '../../shared/codebook/operations.ts';
import { commitCodebook, loadCodeSegments } from '../../renderer/data/codebook.ts';
import { CartographyDb } from '../../renderer/data/db.ts';
import { ChangeRefused, History } from '../../renderer/data/history.ts';
import { importStudyFile, loadStudyRecords } from '../../renderer/data/studies.ts';
import { comparable, dumpTables } from '../support/snapshot.ts';

// Two coders; "secrecy" and "compute" both code "keep recipes secret" for Ana (a merge collapses them),
// Bo codes it with "compute" too (kept apart: another coder), and "compute" alone codes a span in d2.
const file = JSON.stringify({
  format: 'cartography-study',
  version: 1,
  study: { name: 'Codebook edits' },
  coders: [
    { key: 'ana', name: 'Ana' },
    { key: 'bo', name: 'Bo' },
  ],
  stages: [
    { key: 'pre', name: 'Pre-training' },
    { key: 'post', name: 'Post-release' },
  ],
  codes: [
    { key: 'secrecy', name: 'Secrecy', stage: 'pre', kind: 'challenge' },
    { key: 'compute', name: 'Compute', stage: 'pre', kind: 'on-ramp' },
    { key: 'sub', name: 'Sub of secrecy', parent: 'secrecy', stage: 'pre', kind: 'challenge' },
  ],
  documents: [
    { key: 'd1', title: 'One', text: 'P01: We keep recipes secret. A cluster lent us compute.' },
    { key: 'd2', title: 'Two', text: 'P02: The cluster gave compute to everyone.' },
  ],
  codings: [
    { document: 'd1', quote: 'keep recipes secret', code: 'secrecy', coder: 'ana' },
    { document: 'd1', quote: 'keep recipes secret', code: 'compute', coder: 'ana' },
    { document: 'd1', quote: 'keep recipes secret', code: 'compute', coder: 'bo' },
    { document: 'd1', quote: 'A cluster lent us compute', code: 'secrecy', coder: 'ana' },
    { document: 'd2', quote: 'gave compute', code: 'compute', coder: 'bo' },
  ],
  memos: [{ target: { type: 'code', key: 'secrecy' }, text: 'about secrecy' }],
});

let db: CartographyDb;
let history: History;
let ids: { study: string; secrecy: string; compute: string; sub: string; ana: string; post: string; d1: string; d2: string };
const snapshot = async () => comparable(await dumpTables(db), { settings: false });
const records = () => loadStudyRecords(db, ids.study);

beforeEach(async () => {
  db = new CartographyDb(`codebook-edit-${Math.random()}`);
  await db.open();
  history = new History(db);
  const study = await importStudyFile(db, file, 'edits.cartography.json');
  const r = await loadStudyRecords(db, study);
  const code = (n: string) => r.codes.find((c) => c.name === n)!.id;
  const doc = (t: string) => r.documents.find((d) => d.title === t)!.id;
  ids = { study, secrecy: code('Secrecy'), compute: code('Compute'), sub: code('Sub of secrecy'), ana: r.coders.find((c) => c.name === 'Ana')!.id, post: r.stages.find((s) => s.name === 'Post-release')!.id, d1: doc('One'), d2: doc('Two') };
});
afterEach(async () => {
  await db.delete();
});

describe('codebook changes in the database', () => {
  it('merges in one transaction: codings move into their segments, duplicates by the same coder collapse, caches follow; undo restores every record', async () => {
    const before = await snapshot();
    const { change } = await commitCodebook(db, ids.study, ids.ana, (s, ctx) => mergeCodes(s, [ids.secrecy], ids.compute, ctx), { codeIds: [ids.secrecy, ids.compute] });
    history.record(change);
    const r = await records();
    expect(r.codes.map((c) => c.name).sort()).toEqual(['Compute', 'Sub of secrecy']);
    expect(r.codes.find((c) => c.name === 'Sub of secrecy')!.parentId).toBe(ids.compute);
    // 5 codings - 1 collapsed (Ana's secrecy on the span Ana also coded compute)
    expect(r.codings).toHaveLength(4);
    expect(r.codings.every((c) => c.codeId === ids.compute)).toBe(true);
    const d1 = r.documents.find((d) => d.id === ids.d1)!;
    expect(d1.codingCount).toBe(3);
    expect(r.memos.find((m) => m.text === 'about secrecy')!.targetId).toBe(ids.compute);
    const stored = await db.segments.where('codeIds').equals(ids.secrecy).count();
    expect(stored).toBe(0);
    expect(r.codes.find((c) => c.id === ids.compute)!.history.at(-1)!.summary).toMatch(/Merged “Secrecy”/);

    await history.undo();
    expect(await snapshot()).toEqual(before);
    await history.redo();
    expect((await records()).codings).toHaveLength(4);
  });

  it('deletes a code with its codings: a segment left without codings goes, the documents’ caches follow', async () => {
    const before = await snapshot();
    const { change } = await commitCodebook(db, ids.study, ids.ana, (s, ctx) => deleteCode(s, ids.compute, { codings: 'delete' }, ctx), { codeIds: [ids.compute] });
    history.record(change);
    const r = await records();
    expect(r.codings.map((c) => c.codeId)).toEqual([ids.secrecy, ids.secrecy]);
    expect(r.segments.some((s) => s.text === 'gave compute')).toBe(false);
    expect(r.documents.find((d) => d.id === ids.d2)!.codingCount).toBe(0);
    expect(r.documents.find((d) => d.id === ids.d2)!.coderIds).toEqual([]);
    await history.undo();
    expect(await snapshot()).toEqual(before);
  });

  it('splits chosen segments off, and lists a code’s segments with their transcript', async () => {
    const segments = await loadCodeSegments(db, ids.study, ids.compute);
    expect(segments.map((s) => [s.documentTitle, s.text, s.codings])).toEqual([
      ['One', 'keep recipes secret', 2],
      ['Two', 'gave compute', 1],
    ]);
    const { created } = await commitCodebook(db, ids.study, ids.ana, (s, ctx) => splitCode(s, ids.compute, [segments[1]!.id], { name: 'Compute given' }, ctx), { codeIds: [ids.compute] });
    const r = await records();
    expect(r.codings.filter((c) => c.codeId === created[0]).map((c) => c.documentId)).toEqual([ids.d2]);
    expect(r.codings.filter((c) => c.codeId === ids.compute)).toHaveLength(2);
  });

  it('moves a code with its sub-codes to another stage, adds and renames codes, and refuses bad changes without writing', async () => {
    await commitCodebook(db, ids.study, ids.ana, (s, ctx) => moveCode(s, ids.secrecy, { parentId: null, stageId: ids.post, kind: 'challenge', index: 0 }, ctx));
    let r = await records();
    expect(r.codes.filter((c) => c.stageId === ids.post).map((c) => c.name).sort()).toEqual(['Secrecy', 'Sub of secrecy']);
    const { created } = await commitCodebook(db, ids.study, ids.ana, (s, ctx) => addCode(s, { name: 'Access', parentId: null, stageId: ids.post, kind: 'on-ramp' }, ctx));
    r = await records();
    expect(r.codes.find((c) => c.id === created[0])).toMatchObject({ name: 'Access', stageId: ids.post, kind: 'on-ramp', status: 'active', createdBy: ids.ana });

    const before = await snapshot();
    await expect(commitCodebook(db, ids.study, ids.ana, (s, ctx) => updateCode(s, ids.compute, { name: '  ' }, ctx))).rejects.toBeInstanceOf(ChangeRefused);
    await expect(commitCodebook(db, ids.study, ids.ana, (s, ctx) => addCode(s, { name: 'access', parentId: null, stageId: ids.post, kind: 'on-ramp' }, ctx))).rejects.toThrow(/already is a code named “Access”/);
    await expect(commitCodebook(db, ids.study, ids.ana, (s, ctx) => moveCode(s, ids.secrecy, { parentId: ids.sub, stageId: null, kind: 'other', index: 0 }, ctx))).rejects.toBeInstanceOf(ChangeRefused);
    expect(await snapshot()).toEqual(before);
  });
});
