import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CartographyDb } from '../../renderer/data/db.ts';
import {
  createStudy,
  deleteStudy,
  duplicateStudy,
  exportStudy,
  importStudyFile,
  listStudies,
  loadStudyRecords,
  renameStudy,
  resetDemoStudy,
  seedDemoStudyOnce,
  StudyExistsError,
} from '../../renderer/data/studies.ts';
import { StudyFileError } from '../../shared/study-file/format.ts';
import { STUDY_TABLES } from '../../renderer/data/db.ts';
import { STUDY_COLLECTIONS } from '../../shared/model/types.ts';

const sample = JSON.stringify({
  format: 'cartography-study',
  version: 1,
  study: { id: '11111111-1111-4111-8111-111111111111', name: 'Sample' },
  coders: [{ key: 'r1', name: 'Ana' }],
  stages: [{ key: 'pre', name: 'Pre-training' }],
  cases: [{ key: 'c1', name: 'One' }, { key: 'c2', name: 'Two' }],
  codes: [{ key: 'k', name: 'Secrecy', stage: 'pre', kind: 'challenge' }],
  documents: [{ key: 'd1', title: 'Interview', case: 'c1', text: 'P01: We keep it secret.' }],
  codings: [{ document: 'd1', quote: 'keep it secret', code: 'k' }],
  memos: [{ target: { type: 'study' }, text: 'Why this study.' }],
});

async function snapshot(db: CartographyDb) {
  const tables = db.tables.map((t) => t.name);
  return Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await db.table(t).toArray()])));
}

let db: CartographyDb;
beforeEach(async () => {
  db = new CartographyDb(`test-${Math.random()}`);
  await db.open();
});
afterEach(async () => {
  await db.delete();
});

describe('studies', () => {
  it('creates a study with its coder and the three default lifecycle stages in order', async () => {
    const id = await createStudy(db, '  Field study  ', 'Ana');
    const records = await loadStudyRecords(db, id);
    expect(records.study.name).toBe('Field study');
    expect(records.coders.map((c) => c.name)).toEqual(['Ana']);
    expect(records.study.activeCoderId).toBe(records.coders[0]!.id);
    expect(records.stages.sort((a, b) => a.order - b.order).map((s) => s.name)).toEqual(['Pre-training', 'Post-training', 'Post-release']);
  });

  it('refuses a blank name and writes nothing', async () => {
    await expect(createStudy(db, '   ', 'Ana')).rejects.toThrow('A study needs a name.');
    expect(await db.studies.count()).toBe(0);
  });

  it('imports a study file, lists it with counts, renames, duplicates with new GUIDs, and deletes every record of one study only', async () => {
    const id = await importStudyFile(db, sample, 'sample.cartography.json');
    expect(id).toBe('11111111-1111-4111-8111-111111111111');
    await renameStudy(db, id, 'Renamed');
    const copyId = await duplicateStudy(db, id);
    expect(copyId).not.toBe(id);
    const list = await listStudies(db);
    expect(list.map((s) => [s.study.name, s.cases, s.documents, s.codes, s.codings])).toEqual([
      ['Renamed', 2, 1, 1, 1],
      ['Renamed (copy)', 2, 1, 1, 1],
    ]);
    const original = await loadStudyRecords(db, id);
    const copy = await loadStudyRecords(db, copyId);
    expect(copy.codings).toHaveLength(1);
    expect(copy.documents[0]!.codingCount).toBe(1);
    const originalIds = new Set(STUDY_COLLECTIONS.flatMap((c) => original[c].map((r) => r.id)));
    expect(STUDY_COLLECTIONS.flatMap((c) => copy[c].map((r) => r.id)).some((x) => originalIds.has(x))).toBe(false);
    expect(copy.segments[0]!.text).toBe('keep it secret');

    await deleteStudy(db, id);
    expect((await listStudies(db)).map((s) => s.study.name)).toEqual(['Renamed (copy)']);
    for (const c of STUDY_TABLES) expect(await db.table(c).where('studyId').equals(id).count()).toBe(0);
    expect((await db.segments.toArray()).map((s) => s.studyId)).toEqual([copyId]);
    expect((await loadStudyRecords(db, copyId)).codings).toHaveLength(1);
  });

  it('exports a study that imports back as a copy with the same content', async () => {
    const id = await importStudyFile(db, sample, 'sample.cartography.json');
    const exported = await exportStudy(db, id);
    await expect(importStudyFile(db, exported, 'again.cartography.json')).rejects.toBeInstanceOf(StudyExistsError);
    const copyId = await importStudyFile(db, exported, 'again.cartography.json', { asCopy: true });
    const [a, b] = [await loadStudyRecords(db, id), await loadStudyRecords(db, copyId)];
    expect(b.study.name).toBe('Sample (copy)');
    expect(b.texts[0]!.text).toBe(a.texts[0]!.text);
    expect(b.segments.map((s) => [s.start, s.end])).toEqual(a.segments.map((s) => [s.start, s.end]));
    expect(b.memos.map((m) => m.text)).toEqual(['Why this study.']);
  });

  it('leaves the database exactly as it was when a file is invalid', async () => {
    await importStudyFile(db, sample, 'sample.cartography.json');
    const before = await snapshot(db);
    const broken = JSON.parse(sample);
    broken.study.id = '22222222-2222-4222-8222-222222222222';
    broken.codings.push({ document: 'd1', quote: 'absent words', code: 'k' });
    await expect(importStudyFile(db, JSON.stringify(broken), 'broken.cartography.json')).rejects.toBeInstanceOf(StudyFileError);
    expect(await snapshot(db)).toEqual(before);
  });

  it('rolls back a write that fails half-way', async () => {
    const before = await snapshot(db);
    const file = JSON.parse(sample);
    // the document id collides with nothing in the file but with a record already stored
    await importStudyFile(db, sample, 'sample.cartography.json');
    const stored = await snapshot(db);
    file.study.id = '33333333-3333-4333-8333-333333333333';
    const docId = (await db.documents.toArray())[0]!.id;
    file.documents[0].id = docId;
    await expect(importStudyFile(db, JSON.stringify(file), 'clash.cartography.json')).rejects.toThrow();
    expect(await snapshot(db)).toEqual(stored);
    expect(before.studies).toEqual([]);
  });

  it('seeds the demo study once, and reset restores it after edits or deletion', async () => {
    const firstId = await seedDemoStudyOnce(db, sample);
    expect(firstId).not.toBeNull();
    expect(await seedDemoStudyOnce(db, sample)).toBeNull();
    await renameStudy(db, firstId!, 'Edited demo');
    await db.cases.where('studyId').equals(firstId!).delete();
    const resetId = await resetDemoStudy(db, sample);
    const list = await listStudies(db);
    expect(list.map((s) => [s.study.name, s.study.isDemo, s.cases])).toEqual([['Sample', true, 2]]);
    await deleteStudy(db, resetId);
    await resetDemoStudy(db, sample);
    expect((await listStudies(db)).map((s) => s.study.name)).toEqual(['Sample']);
  });
});

describe('a new study’s codebook', () => {
  it('starts from the open LLM collaboration template, empty, or a copy of another study’s codebook', async () => {
    const { readFileSync } = await import('node:fs');
    const demo = readFileSync(new URL('../../fixtures/demo/demo-study.cartography.json', import.meta.url), 'utf8');
    const fromTemplate = await createStudy(db, 'From template', 'Ana', { kind: 'template', text: demo, fileName: 'demo-study.cartography.json' });
    const template = await loadStudyRecords(db, fromTemplate);
    expect(template.stages.sort((a, b) => a.order - b.order).map((s) => s.name)).toEqual(['Pre-training', 'Post-training', 'Post-release']);
    expect(template.codes).toHaveLength(27);
    expect(template.codes.every((c) => c.stageId === null || template.stages.some((s) => s.id === c.stageId))).toBe(true);
    expect(template.cases).toEqual([]);
    expect(template.documents).toEqual([]);

    const copied = await loadStudyRecords(db, await createStudy(db, 'Copy', 'Bo', { kind: 'copy', studyId: fromTemplate }));
    const shape = (r: typeof template) =>
      r.codes.sort((a, b) => a.order - b.order).map((c) => [c.name, c.kind, c.mode, c.definition, r.stages.find((s) => s.id === c.stageId)?.name ?? null, r.codes.find((p) => p.id === c.parentId)?.name ?? null]);
    expect(shape(copied)).toEqual(shape(template));
    expect(copied.codes.some((c) => template.codes.some((t) => t.id === c.id))).toBe(false);

    const empty = await loadStudyRecords(db, await createStudy(db, 'Empty', 'Cy'));
    expect([empty.stages.length, empty.codes.length]).toEqual([3, 0]);
  });
});
