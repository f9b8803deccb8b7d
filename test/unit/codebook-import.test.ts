import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { codebookToQdc } from '../../shared/codebook/qdc.ts';
import { planCodebookImport, readCodebookFile, type CodebookImportPlan, type ImportMode } from '../../shared/codebook/import-plan.ts';
import { newGuid } from '../../shared/model/ids.ts';
import type { Code } from '../../shared/model/types.ts';
import { importCodebook, loadImportBasis, STALE_PREVIEW } from '../../renderer/data/codebook-import.ts';
import { CartographyDb } from '../../renderer/data/db.ts';
import { ChangeRefused, History } from '../../renderer/data/history.ts';
import { duplicateStudy, importStudyFile, loadStudyRecords } from '../../renderer/data/studies.ts';
import { comparable, dumpTables } from '../support/snapshot.ts';

const file = JSON.stringify({
  format: 'cartography-study',
  version: 1,
  study: { name: 'Codebook study' },
  coders: [{ key: 'ana', name: 'Ana' }],
  stages: [
    { key: 'pre', name: 'Pre-training' },
    { key: 'post', name: 'Post-release' },
  ],
  codes: [
    { key: 'benchmarking', name: 'Benchmarking', stage: 'post', kind: 'on-ramp', color: '#0b7285', definition: 'Comparing models.' },
    { key: 'compute', name: 'Compute partnerships', stage: 'pre', kind: 'on-ramp', color: '#2ca02c' },
    { key: 'feedback', name: 'Community feedback', stage: 'post', kind: 'on-ramp', color: '#00a6a6' },
  ],
  documents: [{ key: 'd1', title: 'One', text: 'P01: We compare models on leaderboards.' }],
  codings: [{ document: 'd1', quote: 'compare models', code: 'benchmarking' }],
});

let db: CartographyDb;
let history: History;
let studyId: string;
let coderId: string;

const snapshot = async () => comparable(await dumpTables(db), { settings: false });
const fixture = (path: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/${path}`, import.meta.url)));

/** What the screen does: read the codebook, read the file, plan. */
async function preview(name: string, bytes: Uint8Array, mode: ImportMode = 'update'): Promise<CodebookImportPlan> {
  const { stages } = await loadImportBasis(db, studyId);
  const read = readCodebookFile(name, bytes, stages, { studyId, now: new Date().toISOString(), coderId, newId: newGuid });
  expect(read.problems).toEqual([]);
  const basis = await loadImportBasis(db, studyId, read.codes.map((c) => c.id));
  return planCodebookImport(basis, read.codes, { mode, now: new Date().toISOString(), coderId, fileName: name, carried: read.carried, takenIds: basis.takenIds, newId: newGuid });
}
const codesOf = async (id = studyId) => db.codes.where('studyId').equals(id).toArray();

beforeEach(async () => {
  db = new CartographyDb(`codebook-import-${Math.random()}`);
  await db.open();
  history = new History(db);
  studyId = await importStudyFile(db, file, 'codebook.cartography.json');
  coderId = (await loadStudyRecords(db, studyId)).coders[0]!.id;
});
afterEach(async () => {
  await db.delete();
});

describe('importing a codebook', () => {
  it('writes the plan in one change, and one undo restores the database exactly; redo writes it again', async () => {
    const before = await snapshot();
    const plan = await preview('demo-additions.qdc', fixture('refi/demo-additions.qdc'));
    expect(plan.counts).toMatchObject({ added: 4, matched: 3, updated: 2 });
    const { change } = await history.perform(() => importCodebook(db, studyId, plan));
    expect(change.label).toBe('Import codebook “demo-additions.qdc”');
    expect(change.forward.put.codes).toHaveLength(6);

    const codes = await codesOf();
    expect(codes).toHaveLength(7);
    const byName = new Map(codes.map((c) => [c.name, c]));
    const benchmarking = byName.get('Benchmarking')!;
    expect(byName.get('Leaderboards')).toMatchObject({ parentId: benchmarking.id, stageId: benchmarking.stageId, kind: 'on-ramp', color: '#1f77b4', definition: 'Public rankings of models on shared tasks.' });
    expect(byName.get('Leaderboards')!.history.map((h) => h.summary)).toEqual(['Imported from “demo-additions.qdc”']);
    expect(byName.get('Community feedback')).toMatchObject({ color: '#17becf', definition: 'Feedback from users, in issues and forums, after a release.', stageId: benchmarking.stageId, kind: 'on-ramp' });
    expect(byName.get('Community feedback')!.history.at(-1)).toMatchObject({ by: coderId, summary: 'Updated from “demo-additions.qdc”: definition, colour' });
    expect(byName.get('compute partnerships')!.history.at(-1)!.summary).toBe('Updated from “demo-additions.qdc”: name, colour');
    expect(benchmarking.definition).toBe('Comparing models.'); // matched without differences: untouched

    const after = await snapshot();
    await history.undo();
    expect(await snapshot()).toEqual(before);
    await history.redo();
    expect(await snapshot()).toEqual(after);
  });

  it('imports the same file again as nothing to change, and refuses a plan that changes nothing', async () => {
    await history.perform(async () => importCodebook(db, studyId, await preview('demo-additions.qdc', fixture('refi/demo-additions.qdc'))));
    const before = await snapshot();
    const again = await preview('demo-additions.qdc', fixture('refi/demo-additions.qdc'));
    expect(again.nothingToChange).toBe(true);
    await expect(importCodebook(db, studyId, again)).rejects.toThrow(new ChangeRefused('Nothing to import: the codebook already has every code of “demo-additions.qdc” as it is.'));
    expect(await snapshot()).toEqual(before);
  });

  it('imports the study’s own .qdc export as nothing to change', async () => {
    const records = await loadStudyRecords(db, studyId);
    const plan = await preview('own.qdc', new TextEncoder().encode(codebookToQdc(records.stages, records.codes, { origin: 'Cartography' })));
    expect(plan.nothingToChange).toBe(true);
    expect(plan.counts).toMatchObject({ matched: 3, byGuid: 3 });
  });

  it('refuses a preview made before the codebook changed, and changes nothing', async () => {
    const plan = await preview('demo-additions.qdc', fixture('refi/demo-additions.qdc'));
    const code = (await codesOf())[0]!;
    await db.codes.put({ ...code, color: '#000000' }); // an edit made while the preview was open
    const before = await snapshot();
    await expect(history.perform(() => importCodebook(db, studyId, plan))).rejects.toThrow(new ChangeRefused(STALE_PREVIEW));
    expect(await snapshot()).toEqual(before);
    expect(history.nextUndo).toBeNull();
    // a new preview imports
    await history.perform(async () => importCodebook(db, studyId, await preview('demo-additions.qdc', fixture('refi/demo-additions.qdc'))));
    expect(await codesOf()).toHaveLength(7);
  });

  it('writes all or nothing: a failure in the middle of the write leaves the database as it was', async () => {
    const plan = await preview('demo-additions.qdc', fixture('refi/demo-additions.qdc'));
    const before = await snapshot();
    const broken: CodebookImportPlan = { ...plan, put: [...plan.put.slice(0, 3), { ...plan.put[3]!, id: undefined as unknown as string }, ...plan.put.slice(4)] };
    await expect(importCodebook(db, studyId, broken)).rejects.toThrow();
    expect(await snapshot()).toEqual(before);
  });

  it('leaves the database identical when a file is refused (nothing is planned)', async () => {
    const before = await snapshot();
    const { stages } = await loadImportBasis(db, studyId);
    for (const [name, path] of [
      ['malformed.qdc', 'bad-input/malformed.qdc'],
      ['duplicate-guids.qdc', 'bad-input/duplicate-guids.qdc'],
      ['empty.qdc', 'bad-input/empty.qdc'],
      ['missing-parent.codebook.csv', 'bad-input/missing-parent.codebook.csv'],
    ] as const) {
      const read = readCodebookFile(name, fixture(path), stages, { studyId, now: new Date().toISOString(), coderId, newId: newGuid });
      expect(read.problems.length, name).toBeGreaterThan(0);
      expect(read.codes, name).toEqual([]);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('gives new codes new ids when another study holds their GUIDs (a codebook exported from a copy of the study)', async () => {
    const copyId = await duplicateStudy(db, studyId);
    const plan0 = await preview('demo-additions.qdc', fixture('refi/demo-additions.qdc'));
    await importCodebook(db, studyId, plan0);
    const records = await loadStudyRecords(db, studyId);
    const exported = codebookToQdc(records.stages, records.codes, { origin: 'Cartography' });
    const copyBefore = (await codesOf(copyId)).sort((a, b) => a.id.localeCompare(b.id));

    const saved = studyId;
    studyId = copyId;
    const plan = await preview('from-original.qdc', new TextEncoder().encode(exported));
    expect(plan.counts).toMatchObject({ matched: 3, byName: 3, added: 4 });
    const originalIds = new Set(records.codes.map((c) => c.id));
    expect(plan.added.every((a) => !originalIds.has(a.code.id))).toBe(true);
    await importCodebook(db, copyId, plan);
    studyId = saved;
    // the original study's codes are as they were; the copy has its own
    expect((await codesOf(saved)).sort((a, b) => a.id.localeCompare(b.id))).toEqual([...records.codes].sort((a, b) => a.id.localeCompare(b.id)));
    const copyAfter = await codesOf(copyId);
    expect(copyAfter).toHaveLength(7);
    expect(copyAfter.filter((c) => copyBefore.some((b) => b.id === c.id))).toHaveLength(3);
    const byName = new Map<string, Code>(copyAfter.map((c) => [c.name, c]));
    expect(byName.get('GPU grants')!.parentId).toBe(byName.get('Hardware access')!.id);
  });
});
