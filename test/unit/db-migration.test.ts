import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import { CartographyDb } from '../../renderer/data/db.ts';
import { CURRENT_SCHEMA_VERSION, declareSchema, SCHEMA_HISTORY } from '../../renderer/data/schema.ts';
import { readStudyFile } from '../../shared/study-file/read.ts';
import { STUDY_COLLECTIONS } from '../../shared/model/types.ts';
import { newGuid } from '../../shared/model/ids.ts';

const file = JSON.stringify({
  format: 'cartography-study',
  version: 1,
  study: { name: 'Old study' },
  coders: [{ key: 'r1', name: 'Ana' }, { key: 'r2', name: 'Bo' }],
  stages: [{ key: 'pre', name: 'Pre-training' }, { key: 'post', name: 'Post-release' }],
  cases: [{ key: 'c1', name: 'One' }],
  participants: [{ key: 'p1', pseudonym: 'P01', case: 'c1' }],
  codes: [{ key: 'a', name: 'A', stage: 'pre', kind: 'challenge' }, { key: 'b', name: 'B', stage: 'post', kind: 'on-ramp' }],
  documents: [
    { key: 'd1', title: 'One', case: 'c1', participants: ['p1'], text: 'P01: alpha beta gamma' },
    { key: 'd2', title: 'Two', text: 'Interviewer: delta epsilon' },
  ],
  codings: [
    { document: 'd1', quote: 'alpha', code: 'a' },
    { document: 'd1', quote: 'alpha', code: 'b', coder: 'r2' },
    { document: 'd2', quote: 'epsilon', code: 'b' },
  ],
  memos: [{ target: { type: 'code', key: 'a' }, text: 'memo' }],
  actors: [{ key: 'x', name: 'X', type: 'project' }, { key: 'y', name: 'Y', type: 'dataset' }],
  ties: [{ from: 'x', to: 'y', type: 'dataset-sharing', stage: 'pre', evidence: [{ document: 'd2', quote: 'delta' }] }],
});

describe('database migrations', () => {
  it('lists versions in increasing order, each with a reason', () => {
    expect(SCHEMA_HISTORY.map((v) => v.version)).toEqual(SCHEMA_HISTORY.map((_, i) => i + 1));
    expect(SCHEMA_HISTORY.every((v) => v.why.length > 10)).toBe(true);
  });

  it('upgrades a populated version-1 database to the current version with every record intact', async () => {
    const name = `migration-${Math.random()}`;
    const records = readStudyFile(file, 'old.json', { now: '2025-01-01T00:00:00.000Z', newId: newGuid });
    // Version 1 stored codings without their document id.
    const v1Codings = records.codings.map(({ documentId: _omit, ...rest }) => rest);

    const old = new Dexie(name);
    declareSchema(old, 1);
    await old.open();
    expect(old.verno).toBe(1);
    await old.transaction('rw', old.tables, async () => {
      await old.table('studies').add(records.study);
      await old.table('settings').add({ key: 'demoSeeded', value: true });
      for (const c of STUDY_COLLECTIONS) await old.table(c).bulkAdd(c === 'codings' ? v1Codings : records[c]);
    });
    old.close();

    const db = new CartographyDb(name);
    await db.open();
    expect(db.verno).toBe(CURRENT_SCHEMA_VERSION);
    expect(await db.studies.toArray()).toEqual([records.study]);
    expect(await db.settings.get('demoSeeded')).toEqual({ key: 'demoSeeded', value: true });
    for (const c of STUDY_COLLECTIONS) {
      const stored = await db.table(c).toArray();
      const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
      expect(stored.sort(byId), c).toEqual([...records[c]].sort(byId));
    }
    // the new index answers queries for the migrated records
    const d1 = records.documents.find((d) => d.title === 'One')!;
    expect(await db.codings.where('documentId').equals(d1.id).count()).toBe(2);
    await db.delete();
  });
});
