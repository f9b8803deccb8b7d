import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import { CartographyDb } from '../../renderer/data/db.ts';
import { CURRENT_SCHEMA_VERSION, declareSchema, SCHEMA_HISTORY } from '../../renderer/data/schema.ts';
import { toStoredSegments } from '../../renderer/data/layout.ts';
import { loadStudyRecords } from '../../renderer/data/studies.ts';
import { readStudyFile } from '../../shared/study-file/read.ts';
import { STUDY_COLLECTIONS, type Code, type StudyRecords } from '../../shared/model/types.ts';
import { newGuid } from '../../shared/model/ids.ts';

const file = JSON.stringify({
  format: 'cartography-study',
  version: 1,
  study: { name: 'Old study' },
  coders: [{ key: 'r1', name: 'Ana' }, { key: 'r2', name: 'Bo' }],
  stages: [{ key: 'pre', name: 'Pre-training' }, { key: 'post', name: 'Post-release' }],
  attributes: [{ key: 'region', name: 'Region', type: 'category', values: ['Europe'] }],
  cases: [{ key: 'c1', name: 'One', attributes: { region: 'Europe' } }],
  participants: [{ key: 'p1', pseudonym: 'P01', case: 'c1' }],
  codes: [
    { key: 'a', name: 'A', stage: 'pre', kind: 'challenge', examples: ['We kept the recipe to ourselves.', 'Nobody asked, so we never said.'] },
    { key: 'b', name: 'B', stage: 'post', kind: 'on-ramp' },
  ],
  documents: [
    { key: 'd1', title: 'One', case: 'c1', participants: ['p1'], text: 'P01: alpha beta gamma' },
    { key: 'd2', title: 'Two', text: 'Interviewer: delta epsilon' },
  ],
  codings: [
    { document: 'd1', quote: 'alpha', code: 'a' },
    { document: 'd1', quote: 'alpha', code: 'b', coder: 'r2' },
    { document: 'd1', quote: 'alpha', code: 'a', coder: 'r2' },
    { document: 'd2', quote: 'epsilon', code: 'b' },
  ],
  memos: [{ target: { type: 'code', key: 'a' }, text: 'memo' }, { target: { type: 'segment', document: 'd2', quote: 'delta' }, text: 'on a segment without codings' }],
  actors: [{ key: 'x', name: 'X', type: 'project' }, { key: 'y', name: 'Y', type: 'dataset' }],
  ties: [{ from: 'x', to: 'y', type: 'dataset-sharing', stage: 'pre', evidence: [{ document: 'd2', quote: 'delta' }] }],
});

const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
const sorted = (records: StudyRecords) =>
  Object.fromEntries(STUDY_COLLECTIONS.map((c) => [c, [...records[c]].sort(byId)])) as Record<string, unknown>;

/** A code as versions 1–3 stored it: examples as plain text, no history. */
const oldCode = ({ history: _history, ...code }: Code) => ({ ...code, examples: code.examples.map((e) => e.text) });

/** Writes a study the way version 1 stored it: codings in their own table, no coding counts, old codes. */
async function populateVersion1(name: string, records: StudyRecords): Promise<void> {
  const old = new Dexie(name);
  declareSchema(old, 1);
  await old.open();
  expect(old.verno).toBe(1);
  await old.transaction('rw', old.tables, async () => {
    await old.table('studies').add(records.study);
    await old.table('settings').add({ key: 'demoSeeded', value: true });
    for (const c of STUDY_COLLECTIONS) {
      if (c === 'overrides') continue; // a store of version 5
      const rows = c === 'documents' ? records.documents.map(({ codingCount: _count, coderIds: _coders, ...d }) => d) : c === 'codes' ? records.codes.map(oldCode) : records[c];
      await old.table(c).bulkAdd(rows);
    }
  });
  old.close();
}

describe('database migrations', () => {
  it('lists versions in increasing order, each with a reason', () => {
    expect(SCHEMA_HISTORY.map((v) => v.version)).toEqual(SCHEMA_HISTORY.map((_, i) => i + 1));
    expect(SCHEMA_HISTORY.every((v) => v.why.length > 10)).toBe(true);
  });

  it('upgrades a populated version-1 database to the current version with every record intact', async () => {
    const name = `migration-${Math.random()}`;
    const records = readStudyFile(file, 'old.json', { now: '2025-01-01T00:00:00.000Z', newId: newGuid });
    await populateVersion1(name, records);

    const db = new CartographyDb(name);
    await db.open();
    expect(db.verno).toBe(CURRENT_SCHEMA_VERSION);
    expect(db.tables.map((t) => t.name)).not.toContain('codings');
    expect(await db.settings.get('demoSeeded')).toEqual({ key: 'demoSeeded', value: true });
    const migrated = await loadStudyRecords(db, records.study.id);
    expect(migrated.study).toEqual(records.study);
    expect(sorted(migrated)).toEqual(sorted(records));
    const ana = records.coders.find((c) => c.name === 'Ana')!.id;
    const bo = records.coders.find((c) => c.name === 'Bo')!.id;
    expect(migrated.documents.map((d) => [d.title, d.codingCount, d.coderIds]).sort()).toEqual([['One', 3, [ana, bo].sort()], ['Two', 1, [ana]]]);

    // the new indexes answer "codings by code" and "codings by coder" for the migrated records
    const codeA = records.codes.find((c) => c.name === 'A')!.id;
    expect(await db.segments.where('codeIds').equals(codeA).count()).toBe(1);
    expect(await db.documents.where('coderIds').equals(bo).count()).toBe(1);
    await db.delete();
  });

  it('upgrades a populated version-3 database: every code gets typed examples and a history, every other record stays as it was', async () => {
    const name = `migration-v3-${Math.random()}`;
    const records = readStudyFile(file, 'old.json', { now: '2025-01-01T00:00:00.000Z', newId: newGuid });
    const old = new Dexie(name);
    declareSchema(old, 3);
    await old.open();
    expect(old.verno).toBe(3);
    await old.transaction('rw', old.tables, async () => {
      await old.table('studies').add(records.study);
      await old.table('settings').add({ key: 'demoSeeded', value: true });
      for (const c of STUDY_COLLECTIONS) {
        if (c === 'codings' || c === 'overrides') continue;
        const rows = c === 'segments' ? toStoredSegments(records.segments, records.codings) : c === 'codes' ? records.codes.map(oldCode) : records[c];
        await old.table(c).bulkAdd(rows);
      }
    });
    const before = Object.fromEntries(await Promise.all(old.tables.map(async (t) => [t.name, await t.toArray()] as const)));
    old.close();
    expect((before['codes'] as { examples: unknown[] }[]).flatMap((c) => c.examples)).toEqual(['We kept the recipe to ourselves.', 'Nobody asked, so we never said.']);

    const db = new CartographyDb(name);
    await db.open();
    expect(db.verno).toBe(CURRENT_SCHEMA_VERSION);
    const after = Object.fromEntries(await Promise.all(db.tables.map(async (t) => [t.name, await t.toArray()] as const)));
    expect(Object.keys(after).sort()).toEqual([...Object.keys(before), 'overrides'].sort());
    expect(after['overrides']).toEqual([]);
    for (const table of Object.keys(before)) {
      if (table === 'codes') continue;
      expect(after[table], table).toEqual(before[table]);
    }
    const codes = [...(after['codes'] as Code[])].sort(byId);
    expect(codes).toEqual([...records.codes].sort(byId));
    expect(codes.find((c) => c.name === 'A')!.examples).toEqual([
      { text: 'We kept the recipe to ourselves.', typical: true, segmentId: null },
      { text: 'Nobody asked, so we never said.', typical: true, segmentId: null },
    ]);
    expect(codes.every((c) => Array.isArray(c.history) && c.history.length === 0)).toBe(true);
    expect(await loadStudyRecords(db, records.study.id).then(sorted)).toEqual(sorted(records));
    await db.delete();
  });

  it('upgrades a populated version-4 database: every record stays exactly as it was, and the new overrides store is empty', async () => {
    const name = `migration-v4-${Math.random()}`;
    const records = readStudyFile(file, 'old.json', { now: '2025-01-01T00:00:00.000Z', newId: newGuid });
    const old = new Dexie(name);
    declareSchema(old, 4);
    await old.open();
    expect(old.verno).toBe(4);
    expect(old.tables.map((t) => t.name)).not.toContain('overrides');
    await old.transaction('rw', old.tables, async () => {
      await old.table('studies').add(records.study);
      await old.table('settings').bulkAdd([{ key: 'demoSeeded', value: true }, { key: `matrix-views:${records.study.id}`, value: [{ name: 'kept', savedAt: '2025-01-01T00:00:00.000Z', config: {} }] }]);
      for (const c of STUDY_COLLECTIONS) {
        if (c === 'codings' || c === 'overrides') continue;
        await old.table(c).bulkAdd(c === 'segments' ? toStoredSegments(records.segments, records.codings) : records[c]);
      }
    });
    const before = Object.fromEntries(await Promise.all(old.tables.map(async (t) => [t.name, await t.toArray()] as const)));
    old.close();
    expect(Object.values(before).every((rows) => rows.length > 0)).toBe(true);

    const db = new CartographyDb(name);
    await db.open();
    expect(db.verno).toBe(CURRENT_SCHEMA_VERSION);
    const after = Object.fromEntries(await Promise.all(db.tables.map(async (t) => [t.name, await t.toArray()] as const)));
    expect(Object.keys(after).sort()).toEqual([...Object.keys(before), 'overrides'].sort());
    for (const table of Object.keys(before)) expect(after[table], table).toEqual(before[table]);
    expect(after['overrides']).toEqual([]);
    expect(await loadStudyRecords(db, records.study.id).then(sorted)).toEqual(sorted(records));
    // the new store and its compound index work on the migrated database
    const [caseId, stageId] = [records.cases[0]!.id, records.stages[0]!.id];
    await db.overrides.add({ id: newGuid(), studyId: records.study.id, createdAt: '', modifiedAt: '', createdBy: null, caseId, stageId, value: 0.5, memoId: newGuid() });
    expect(await db.overrides.where('[caseId+stageId]').equals([caseId, stageId]).count()).toBe(1);
    await db.delete();
  });

  it('upgrades an empty version-1 database', async () => {
    const name = `migration-empty-${Math.random()}`;
    const old = new Dexie(name);
    declareSchema(old, 1);
    await old.open();
    old.close();
    const db = new CartographyDb(name);
    await db.open();
    expect(db.verno).toBe(CURRENT_SCHEMA_VERSION);
    expect(await db.segments.count()).toBe(0);
    await db.delete();
  });
});
