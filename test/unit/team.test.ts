import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CartographyDb } from '../../renderer/data/db.ts';
import { applyCode } from '../../renderer/data/coding.ts';
import {
  assignDocuments,
  cleanTeam,
  countCodingsByCoder,
  getTeam,
  loadTeamProgress,
  nextStatus,
  setAssignmentStatus,
  setBlind,
  teamKey,
  unassignDocuments,
  visibleTo,
  type TeamSetting,
} from '../../renderer/data/team.ts';
import { deleteStudy, duplicateStudy, exportStudy, getSetting, importStudyFile, putSetting } from '../../renderer/data/studies.ts';

const ANA = 'a0a0a0a0-0000-4000-8000-000000000001';
const BEN = 'b0b0b0b0-0000-4000-8000-000000000002';
const D1 = 'd1d1d1d1-0000-4000-8000-000000000001';
const D2 = 'd2d2d2d2-0000-4000-8000-000000000002';
const D3 = 'd3d3d3d3-0000-4000-8000-000000000003';

const file = JSON.stringify({
  format: 'cartography-study',
  version: 1,
  study: { id: '5a5a5a5a-0000-4000-8000-00000000000a', name: 'Team data' },
  coders: [
    { key: 'ana', id: ANA, name: 'Ana' },
    { key: 'ben', id: BEN, name: 'Ben' },
  ],
  stages: [{ key: 'pre', name: 'Pre-training' }],
  codes: [
    { key: 'a', name: 'A', stage: 'pre', kind: 'challenge' },
    { key: 'b', name: 'B', stage: 'pre', kind: 'on-ramp' },
  ],
  documents: [
    { key: 'd1', id: D1, title: 'One', text: 'P01: We keep recipes secret. A cluster lent us compute.' },
    { key: 'd2', id: D2, title: 'Two', text: 'P02: The weights are open. The data is not.' },
    { key: 'd3', id: D3, title: 'Three', text: 'P03: Nobody coded this yet.' },
  ],
  codings: [
    { document: 'd1', quote: 'keep recipes secret', code: 'a', coder: 'ana' },
    { document: 'd1', quote: 'keep recipes secret', code: 'a', coder: 'ben' },
    { document: 'd1', quote: 'A cluster lent us compute', code: 'b', coder: 'ben' },
    { document: 'd2', quote: 'The weights are open', code: 'b', coder: 'ana' },
    { document: 'd2', quote: 'The data is not', code: 'a', coder: 'ana' },
  ],
});

let db: CartographyDb;
let studyId: string;
beforeEach(async () => {
  db = new CartographyDb(`team-${Math.random()}`);
  await db.open();
  studyId = await importStudyFile(db, file, 'team.cartography.json');
});
afterEach(async () => {
  await db.delete();
});

const pairs = (team: TeamSetting) => team.assignments.map((a) => `${a.documentId.slice(0, 2)}:${a.coderId.slice(0, 2)}:${a.status}`);

describe('assignments', () => {
  it('start empty, not blind', async () => {
    expect(await getTeam(db, studyId)).toEqual({ blind: false, assignments: [] });
  });

  it('assign several transcripts to one coder in one write; a transcript already assigned keeps its status', async () => {
    await setAssignmentStatus(db, studyId, D2, ANA, 'done');
    const team = await assignDocuments(db, studyId, [D1, D2, D1], ANA);
    expect(pairs(team)).toEqual(['d2:a0:done', 'd1:a0:assigned']);
    expect(await getTeam(db, studyId)).toEqual(team);
    expect(Date.parse(team.assignments[1]!.modifiedAt)).not.toBeNaN();
    await assignDocuments(db, studyId, [D1], BEN);
    expect(pairs(await getTeam(db, studyId))).toEqual(['d2:a0:done', 'd1:a0:assigned', 'd1:b0:assigned']);
  });

  it('set a status (assigning the transcript if it was not), and unassign one coder without touching the others', async () => {
    await assignDocuments(db, studyId, [D1, D3], ANA);
    await assignDocuments(db, studyId, [D1], BEN);
    await setAssignmentStatus(db, studyId, D1, ANA, 'in-progress');
    await setAssignmentStatus(db, studyId, D2, BEN, 'done');
    expect(pairs(await getTeam(db, studyId))).toEqual(['d1:a0:in-progress', 'd3:a0:assigned', 'd1:b0:assigned', 'd2:b0:done']);
    await unassignDocuments(db, studyId, [D1, D3], ANA);
    expect(pairs(await getTeam(db, studyId))).toEqual(['d1:b0:assigned', 'd2:b0:done']);
  });

  it('refuse transcripts and coders that are not in the study, and a bad status, writing nothing', async () => {
    await assignDocuments(db, studyId, [D1], ANA);
    const before = await getSetting(db, teamKey(studyId));
    await expect(assignDocuments(db, studyId, [D2, 'ffffffff-0000-4000-8000-000000000009'], ANA)).rejects.toThrow('A transcript to assign is no longer in this study (it may have been deleted, or its import undone). Nothing was changed.');
    await expect(assignDocuments(db, studyId, [D2], 'ffffffff-0000-4000-8000-000000000009')).rejects.toThrow(/That coder is no longer part of this study/);
    await expect(assignDocuments(db, studyId, [], ANA)).rejects.toThrow('Choose at least one transcript to assign.');
    await expect(setAssignmentStatus(db, studyId, D1, ANA, 'finished' as never)).rejects.toThrow('“finished” is not a status; use “assigned”, “in-progress”, “done”.');
    await expect(setBlind(db, 'ffffffff-0000-4000-8000-00000000000f', true)).rejects.toThrow('That study no longer exists.');
    expect(await getSetting(db, teamKey(studyId))).toEqual(before);
    expect(await getSetting(db, teamKey('ffffffff-0000-4000-8000-00000000000f'))).toBeUndefined();
  });

  it('cycle through the statuses when a grid cell is toggled', () => {
    expect([nextStatus(null), nextStatus('assigned'), nextStatus('in-progress'), nextStatus('done')]).toEqual(['assigned', 'in-progress', 'done', null]);
  });
});

describe('blind coding', () => {
  it('is switched on and off without touching the assignments', async () => {
    await assignDocuments(db, studyId, [D1], ANA);
    expect((await setBlind(db, studyId, true)).blind).toBe(true);
    expect(await getTeam(db, studyId)).toMatchObject({ blind: true, assignments: [{ documentId: D1, coderId: ANA, status: 'assigned' }] });
    await setBlind(db, studyId, false);
    expect((await getTeam(db, studyId)).blind).toBe(false);
  });

  it('shows a coder only their own codings while it is on', () => {
    const codings = [{ coderId: ANA }, { coderId: BEN }];
    expect(codings.filter(visibleTo(true, ANA))).toEqual([{ coderId: ANA }]);
    expect(codings.filter(visibleTo(false, ANA))).toEqual(codings);
    expect(codings.filter(visibleTo(true, null))).toEqual([]);
  });
});

describe('what is read back', () => {
  const members = { documentIds: new Set([D1, D2]), coderIds: new Set([ANA, BEN]) };
  const at = '2026-02-01T10:00:00.000Z';

  it('is cleaned field by field: unknown transcripts and coders, bad statuses and duplicates go; a bad date becomes the epoch', () => {
    const stored = {
      blind: 'yes',
      assignments: [
        { documentId: D1, coderId: ANA, status: 'done', modifiedAt: at },
        { documentId: D3, coderId: ANA, status: 'done', modifiedAt: at }, // document not in the study
        { documentId: D1, coderId: 'someone', status: 'done', modifiedAt: at },
        { documentId: D2, coderId: ANA, status: 'finished', modifiedAt: at },
        { documentId: D1, coderId: ANA, status: 'assigned', modifiedAt: at }, // the same pair again
        { documentId: D2, coderId: BEN, status: 'in-progress', modifiedAt: 'last week' },
        'not an assignment',
        null,
        { documentId: 42, coderId: BEN, status: 'done' },
      ],
    };
    expect(cleanTeam(stored, members)).toEqual({
      blind: false,
      assignments: [
        { documentId: D1, coderId: ANA, status: 'done', modifiedAt: at },
        { documentId: D2, coderId: BEN, status: 'in-progress', modifiedAt: '1970-01-01T00:00:00.000Z' },
      ],
    });
  });

  it('never breaks: anything that is not a team setting reads as an empty one', () => {
    for (const value of [undefined, null, 3, 'team', [], { assignments: 'all' }, { blind: 1 }]) expect(cleanTeam(value, members)).toEqual({ blind: false, assignments: [] });
    expect(cleanTeam({ blind: true }, members)).toEqual({ blind: true, assignments: [] });
  });

  it('from the database, a damaged setting is cleaned and the next write stores the clean value', async () => {
    await putSetting(db, teamKey(studyId), { blind: true, assignments: [{ documentId: D1, coderId: ANA, status: 'nearly', modifiedAt: 5 }, { documentId: D2, coderId: BEN, status: 'done', modifiedAt: at }, { documentId: 'gone', coderId: ANA, status: 'done' }] });
    expect(await getTeam(db, studyId)).toEqual({ blind: true, assignments: [{ documentId: D2, coderId: BEN, status: 'done', modifiedAt: at }] });
    await setBlind(db, studyId, false);
    expect(await getSetting(db, teamKey(studyId))).toEqual({ blind: false, assignments: [{ documentId: D2, coderId: BEN, status: 'done', modifiedAt: at }] });
  });
});

describe('progress', () => {
  it('counts codings per coder and document, reading segments only where several coders coded', async () => {
    const documents = await db.documents.where('studyId').equals(studyId).toArray();
    const counts = await countCodingsByCoder(db, documents);
    expect(Object.fromEntries([...counts].map(([d, m]) => [d, Object.fromEntries(m)]))).toEqual({ [D1]: { [ANA]: 1, [BEN]: 2 }, [D2]: { [ANA]: 2 } });
    // D2's count comes from its cached summary alone: a document claiming one coder is taken at its word.
    const cached = await countCodingsByCoder(db, [{ id: D2, codingCount: 7, coderIds: [BEN] }]);
    expect(cached.get(D2)).toEqual(new Map([[BEN, 7]]));
  });

  it('summarises per coder and per document, and follows new codings', async () => {
    await assignDocuments(db, studyId, [D1, D2], ANA);
    await assignDocuments(db, studyId, [D1], BEN);
    await setAssignmentStatus(db, studyId, D1, BEN, 'done');
    await setAssignmentStatus(db, studyId, D2, ANA, 'in-progress');
    let progress = await loadTeamProgress(db, studyId);
    expect(progress.coders).toEqual([
      { coderId: ANA, assigned: 1, inProgress: 1, done: 0, codings: 3, codingsInAssigned: 3 },
      { coderId: BEN, assigned: 0, inProgress: 0, done: 1, codings: 2, codingsInAssigned: 2 },
    ]);
    expect(progress.documents.sort((a, b) => a.documentId.localeCompare(b.documentId))).toEqual([
      { documentId: D1, assigned: 1, inProgress: 0, done: 1, codersWithCodings: 2 },
      { documentId: D2, assigned: 0, inProgress: 1, done: 0, codersWithCodings: 1 },
      { documentId: D3, assigned: 0, inProgress: 0, done: 0, codersWithCodings: 0 },
    ]);
    const code = (await db.codes.where('studyId').equals(studyId).toArray()).find((c) => c.name === 'A')!;
    await applyCode(db, studyId, D3, [{ start: 5, end: 11, codeId: code.id, coderId: BEN }], 'Apply A');
    progress = await loadTeamProgress(db, studyId);
    expect(progress.coders.find((c) => c.coderId === BEN)).toMatchObject({ codings: 3, codingsInAssigned: 2 });
    expect(progress.codings.get(D3)).toEqual(new Map([[BEN, 1]]));
  });
});

describe('the team setting in study files', () => {
  const team = async () => {
    await assignDocuments(db, studyId, [D1, D2], ANA);
    await setAssignmentStatus(db, studyId, D1, BEN, 'done');
    return setBlind(db, studyId, true);
  };

  it('survives export and import of the study file', async () => {
    const saved = await team();
    const text = await exportStudy(db, studyId);
    expect(JSON.parse(text).settings.team).toEqual(saved);
    await deleteStudy(db, studyId);
    expect(await getSetting(db, teamKey(studyId))).toBeUndefined();
    const again = await importStudyFile(db, text, 'team.cartography.json');
    expect(again).toBe(studyId);
    expect(await getTeam(db, again)).toEqual(saved);
  });

  it('is renamed to the new transcripts and coders of a copy', async () => {
    const saved = await team();
    for (const copyId of [await duplicateStudy(db, studyId), await importStudyFile(db, await exportStudy(db, studyId), 'team.cartography.json', { asCopy: true })]) {
      const [documents, coders] = await Promise.all([db.documents.where('studyId').equals(copyId).toArray(), db.coders.where('studyId').equals(copyId).toArray()]);
      const newId = new Map<string, string>([...documents.map((d) => [d.title === 'One' ? D1 : d.title === 'Two' ? D2 : D3, d.id] as const), ...coders.map((c) => [c.name === 'Ana' ? ANA : BEN, c.id] as const)]);
      expect([...newId.values()].some((id) => ([D1, D2, D3, ANA, BEN] as string[]).includes(id))).toBe(false);
      const copied = await getTeam(db, copyId);
      expect(copied).toEqual({ blind: true, assignments: saved.assignments.map((a) => ({ ...a, documentId: newId.get(a.documentId), coderId: newId.get(a.coderId) })) });
      // The original keeps its own.
      expect(await getTeam(db, studyId)).toEqual(saved);
    }
  });
});
