import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addAttribute,
  addCase,
  addParticipant,
  attributeUsage,
  caseFootprint,
  changeAttributeType,
  deleteAttribute,
  deleteCase,
  deleteParticipant,
  editCategoryValues,
  loadCaseCodingSummary,
  moveAttribute,
  participantDocumentCount,
  renameAttribute,
  setCaseAttribute,
  setOpenness,
  updateCase,
  updateParticipant,
} from '../../renderer/data/cases.ts';
import { CartographyDb } from '../../renderer/data/db.ts';
import { ChangeRefused, History, type Change } from '../../renderer/data/history.ts';
import { importStudyFile, loadStudyRecords } from '../../renderer/data/studies.ts';
import type { StudyRecords } from '../../shared/model/types.ts';
import { comparable, dumpTables } from '../support/snapshot.ts';

const file = JSON.stringify({
  format: 'cartography-study',
  version: 1,
  study: { name: 'Cases' },
  coders: [{ key: 'ana', name: 'Ana' }],
  stages: [{ key: 'pre', name: 'Pre-training' }, { key: 'post', name: 'Post-release' }],
  attributes: [
    { key: 'region', name: 'Region', type: 'category', values: ['Europe', 'Africa', 'Asia'] },
    { key: 'models', name: 'Derivative models', type: 'number' },
    { key: 'release', name: 'First release', type: 'date' },
    { key: 'funded', name: 'Publicly funded', type: 'boolean' },
    { key: 'licence', name: 'Licence', type: 'text' },
  ],
  cases: [
    { key: 'c1', name: 'Bielik', attributes: { region: 'Europe', models: 150, release: '2024-04-04', funded: false, licence: 'Apache-2.0' }, openness: { weights: 'open', data: 'partial' } },
    { key: 'c2', name: 'Masakhane', attributes: { region: 'Africa', models: 12, licence: '42' } },
    { key: 'c3', name: 'SEA-LION', attributes: { region: 'Asia' } },
  ],
  participants: [
    { key: 'p1', pseudonym: 'P01', role: 'Volunteer', case: 'c1', interviewDate: '2025-03-06' },
    { key: 'p2', pseudonym: 'P02', case: 'c2' },
  ],
  codes: [
    { key: 'k1', name: 'Compute', stage: 'pre', kind: 'on-ramp' },
    { key: 'k2', name: 'Data gaps', stage: 'pre', kind: 'challenge' },
    { key: 'k3', name: 'Forks', stage: 'post', kind: 'on-ramp' },
  ],
  documents: [
    { key: 'd1', title: 'Interview one', case: 'c1', participants: ['p1'], text: 'P01: A cluster lent us compute. Data was scarce. Forks came later.' },
    { key: 'd2', title: 'Interview two', case: 'c2', participants: ['p2', 'p1'], text: 'P02: Nothing coded here.' },
  ],
  codings: [
    { document: 'd1', quote: 'A cluster lent us compute', code: 'k1' },
    { document: 'd1', quote: 'A cluster lent us compute', code: 'k2' },
    { document: 'd1', quote: 'Data was scarce', code: 'k2' },
    { document: 'd1', quote: 'Forks came later', code: 'k3' },
  ],
  memos: [{ target: { type: 'case', key: 'c1' }, text: 'A community first.' }],
  actors: [{ key: 'a', name: 'Bielik', type: 'project', case: 'c1' }],
});

let db: CartographyDb;
let studyId: string;
let records: StudyRecords;
let history: History;
const snapshot = async () => comparable(await dumpTables(db));
const kase = (name: string) => records.cases.find((c) => c.name === name)!;
const attr = (name: string) => records.attributes.find((a) => a.name === name)!;
const fresh = async () => loadStudyRecords(db, studyId);
/** Runs a change, records it, undoes it, and checks the database is exactly as before. */
async function undoRestores(run: () => Promise<{ change: Change }>, check: (after: StudyRecords) => void | Promise<void>) {
  const before = await snapshot();
  history.record((await run()).change);
  await check(await fresh());
  await history.undo();
  expect(await snapshot()).toEqual(before);
}
const refused = (message: string | RegExp) => (typeof message === 'string' ? new ChangeRefused(message) : expect.objectContaining({ name: 'ChangeRefused', message: expect.stringMatching(message) }));

beforeEach(async () => {
  db = new CartographyDb(`cases-${Math.random()}`);
  await db.open();
  studyId = await importStudyFile(db, file, 'cases.cartography.json');
  records = await fresh();
  history = new History(db);
});
afterEach(async () => {
  await db.delete();
});

describe('case attribute values', () => {
  it('sets a value of each type, and undo restores the case exactly', async () => {
    const c = kase('Masakhane');
    const before = await snapshot();
    history.record((await setCaseAttribute(db, studyId, c.id, attr('Derivative models').id, 40)).change);
    history.record((await setCaseAttribute(db, studyId, c.id, attr('Publicly funded').id, true)).change);
    history.record((await setCaseAttribute(db, studyId, c.id, attr('Region').id, 'Asia')).change);
    history.record((await setCaseAttribute(db, studyId, c.id, attr('First release').id, '2023-11-30')).change);
    const attributes = (await db.cases.get(c.id))!.attributes;
    expect(attributes).toEqual({ ...c.attributes, [attr('Derivative models').id]: 40, [attr('Publicly funded').id]: true, [attr('Region').id]: 'Asia', [attr('First release').id]: '2023-11-30' });
    for (let i = 0; i < 4; i += 1) await history.undo();
    expect(await snapshot()).toEqual(before);
  });

  it('names the change after the attribute and case', async () => {
    const { change } = await setCaseAttribute(db, studyId, kase('Bielik').id, attr('First release').id, '2024-05-01');
    expect(change.label).toBe('Set First release of Bielik');
  });

  it('clears a value with null or an empty text: the key goes', async () => {
    const c = kase('Bielik');
    await undoRestores(
      () => setCaseAttribute(db, studyId, c.id, attr('Licence').id, ''),
      (after) => expect(attr('Licence').id in after.cases.find((x) => x.id === c.id)!.attributes).toBe(false),
    );
  });

  it('refuses values that do not fit the type, and writes nothing', async () => {
    const before = await snapshot();
    const c = kase('Bielik').id;
    await expect(setCaseAttribute(db, studyId, c, attr('Region').id, 'Antarctica')).rejects.toEqual(
      refused('The value must be one of "Europe", "Africa", "Asia" for attribute "Region", not "Antarctica".'),
    );
    await expect(setCaseAttribute(db, studyId, c, attr('Derivative models').id, 'many')).rejects.toEqual(refused(/must be a number for attribute "Derivative models"/));
    await expect(setCaseAttribute(db, studyId, c, attr('First release').id, '2024-02-30')).rejects.toEqual(refused(/must be a date written yyyy-mm-dd/));
    await expect(setCaseAttribute(db, studyId, c, attr('Publicly funded').id, 'yes')).rejects.toEqual(refused(/must be true or false/));
    await expect(setCaseAttribute(db, studyId, c, attr('Derivative models').id, 150)).rejects.toEqual(refused('Nothing to change.'));
    expect(await snapshot()).toEqual(before);
  });
});

describe('cases', () => {
  it('renames a case and edits its description; duplicate and empty names are refused', async () => {
    const c = kase('Bielik');
    await undoRestores(
      () => updateCase(db, studyId, c.id, { name: '  Bielik   (SpeakLeash) ', description: 'Polish models.' }),
      (after) => expect(after.cases.find((x) => x.id === c.id)).toMatchObject({ name: 'Bielik (SpeakLeash)', description: 'Polish models.' }),
    );
    await expect(updateCase(db, studyId, c.id, { name: 'masakhane' })).rejects.toEqual(refused('A case named “masakhane” already exists. Choose another name.'));
    await expect(updateCase(db, studyId, c.id, { name: '  ' })).rejects.toEqual(refused('A case needs a name.'));
  });

  it('adds a case with unknown openness and no values; a duplicate name is refused', async () => {
    let id = '';
    await undoRestores(
      async () => {
        const result = await addCase(db, studyId, 'BLOOM', null);
        id = result.caseId;
        return result;
      },
      (after) => expect(after.cases.find((x) => x.id === id)).toMatchObject({ name: 'BLOOM', description: '', attributes: {}, openness: { weights: 'unknown', documentation: 'unknown' } }),
    );
    await expect(addCase(db, studyId, 'SEA-lion', null)).rejects.toEqual(refused('A case named “SEA-lion” already exists. Choose another name.'));
  });

  it('deletes a case: transcripts, participants and actors stay unlinked, its memos go, and undo restores all', async () => {
    const c = kase('Bielik');
    expect(await caseFootprint(db, studyId, c.id)).toEqual({ documents: 1, participants: 1, actors: 1, memos: 1, overrides: 0 });
    await undoRestores(
      () => deleteCase(db, studyId, c.id),
      (after) => {
        expect(after.cases.map((x) => x.name).sort()).toEqual(['Masakhane', 'SEA-LION']);
        expect(after.documents.find((d) => d.title === 'Interview one')!.caseId).toBeNull();
        expect(after.participants.find((p) => p.pseudonym === 'P01')!.caseId).toBeNull();
        expect(after.actors[0]!.caseId).toBeNull();
        expect(after.memos).toEqual([]);
        expect(after.codings).toHaveLength(4);
      },
    );
  });

  it('sets an openness component, and undo restores it', async () => {
    const c = kase('SEA-LION');
    await undoRestores(
      () => setOpenness(db, studyId, c.id, 'weights', 'partial'),
      (after) => expect(after.cases.find((x) => x.id === c.id)!.openness).toEqual({ ...c.openness, weights: 'partial' }),
    );
    await expect(setOpenness(db, studyId, kase('Bielik').id, 'weights', 'open')).rejects.toEqual(refused('Nothing to change.'));
  });
});

describe('attributes', () => {
  it('adds a category attribute after the others; duplicate names and bad value lists are refused', async () => {
    let id = '';
    await undoRestores(
      async () => {
        const result = await addAttribute(db, studyId, { name: 'Governance', type: 'category', values: [' Foundation ', 'Company'] }, null);
        id = result.attributeId;
        return result;
      },
      (after) => expect(after.attributes.find((a) => a.id === id)).toMatchObject({ name: 'Governance', type: 'category', values: ['Foundation', 'Company'], order: 5 }),
    );
    await expect(addAttribute(db, studyId, { name: 'region', type: 'text' }, null)).rejects.toEqual(refused('An attribute named “region” already exists. Choose another name.'));
    await expect(addAttribute(db, studyId, { name: 'Tier', type: 'category', values: [] }, null)).rejects.toEqual(refused('The category attribute “Tier” needs at least one value.'));
    await expect(addAttribute(db, studyId, { name: 'Tier', type: 'category', values: ['A', 'a'] }, null)).rejects.toEqual(refused('“a” is listed twice among the values of “Tier”.'));
    await expect(addAttribute(db, studyId, { name: ' ', type: 'text' }, null)).rejects.toEqual(refused('An attribute needs a name.'));
  });

  it('renames an attribute, refusing a name another attribute has', async () => {
    await undoRestores(
      () => renameAttribute(db, studyId, attr('Licence').id, 'Licence text'),
      (after) => expect(after.attributes.find((a) => a.id === attr('Licence').id)!.name).toBe('Licence text'),
    );
    await expect(renameAttribute(db, studyId, attr('Licence').id, 'REGION')).rejects.toEqual(refused('An attribute named “REGION” already exists. Choose another name.'));
  });

  it('moves an attribute and renumbers the order of the others', async () => {
    await undoRestores(
      () => moveAttribute(db, studyId, attr('Licence').id, 0),
      (after) => expect([...after.attributes].sort((a, b) => a.order - b.order).map((a) => a.name)).toEqual(['Licence', 'Region', 'Derivative models', 'First release', 'Publicly funded']),
    );
  });

  it('deletes an attribute in use with every value of it; the count for the confirmation; undo puts them back', async () => {
    const region = attr('Region').id;
    expect(await attributeUsage(db, studyId, region)).toBe(3);
    expect(await attributeUsage(db, studyId, attr('First release').id)).toBe(1);
    await undoRestores(
      () => deleteAttribute(db, studyId, region),
      (after) => {
        expect(after.attributes.map((a) => a.name)).not.toContain('Region');
        expect(after.cases.every((c) => !(region in c.attributes))).toBe(true);
      },
    );
  });

  it('changes a type when every value converts, and refuses naming the cases whose values do not', async () => {
    const licence = attr('Licence').id;
    await expect(changeAttributeType(db, studyId, licence, 'number')).rejects.toEqual(
      refused('“Licence” cannot become a number attribute: the value of 1 case does not convert: Bielik (“Apache-2.0”). Change or clear those values first.'),
    );
    await setCaseAttribute(db, studyId, kase('Bielik').id, licence, '7');
    records = await fresh();
    await undoRestores(
      () => changeAttributeType(db, studyId, licence, 'number'),
      (after) => {
        expect(after.attributes.find((a) => a.id === licence)!.type).toBe('number');
        expect(after.cases.find((c) => c.name === 'Bielik')!.attributes[licence]).toBe(7);
        expect(after.cases.find((c) => c.name === 'Masakhane')!.attributes[licence]).toBe(42);
      },
    );
  });

  it('turns an attribute into a category of the values in use', async () => {
    const models = attr('Derivative models').id;
    await undoRestores(
      () => changeAttributeType(db, studyId, models, 'category'),
      (after) => {
        expect(after.attributes.find((a) => a.id === models)).toMatchObject({ type: 'category', values: ['12', '150'] });
        expect(after.cases.find((c) => c.name === 'Bielik')!.attributes[models]).toBe('150');
      },
    );
  });

  it('renames a category value in every case that has it, and reorders and adds values', async () => {
    const region = attr('Region').id;
    await undoRestores(
      () =>
        editCategoryValues(db, studyId, region, [
          { value: 'Asia', was: 'Asia' },
          { value: 'Sub-Saharan Africa', was: 'Africa' },
          { value: 'Europe', was: 'Europe' },
          { value: 'Global', was: null },
        ]),
      (after) => {
        expect(after.attributes.find((a) => a.id === region)!.values).toEqual(['Asia', 'Sub-Saharan Africa', 'Europe', 'Global']);
        expect(after.cases.find((c) => c.name === 'Masakhane')!.attributes[region]).toBe('Sub-Saharan Africa');
        expect(after.cases.find((c) => c.name === 'Bielik')!.attributes[region]).toBe('Europe');
      },
    );
  });

  it('refuses to remove a category value that cases still use', async () => {
    const before = await snapshot();
    await expect(editCategoryValues(db, studyId, attr('Region').id, [{ value: 'Europe', was: 'Europe' }, { value: 'Asia', was: 'Asia' }])).rejects.toEqual(
      refused('“Africa” is the value of Masakhane. Give those cases another value first, or rename the value instead of removing it.'),
    );
    expect(await snapshot()).toEqual(before);
  });
});

describe('participants', () => {
  it('adds, edits and deletes a participant; deleting unlinks them from transcripts; each undo restores exactly', async () => {
    let id = '';
    await undoRestores(
      async () => {
        const result = await addParticipant(db, studyId, { pseudonym: ' P03 ', role: 'Maintainer', organisation: 'AI Singapore', caseId: kase('SEA-LION').id, interviewDate: '2025-04-01' }, null);
        id = result.participantId;
        return result;
      },
      (after) => expect(after.participants.find((p) => p.id === id)).toMatchObject({ pseudonym: 'P03', role: 'Maintainer', caseId: kase('SEA-LION').id, interviewDate: '2025-04-01' }),
    );
    const p1 = records.participants.find((p) => p.pseudonym === 'P01')!;
    await undoRestores(
      () => updateParticipant(db, studyId, p1.id, { role: 'Lead', caseId: null, interviewDate: '' }),
      (after) => expect(after.participants.find((p) => p.id === p1.id)).toMatchObject({ role: 'Lead', caseId: null, interviewDate: '' }),
    );
    expect(await participantDocumentCount(db, studyId, p1.id)).toBe(2);
    await undoRestores(
      () => deleteParticipant(db, studyId, p1.id),
      (after) => {
        expect(after.participants.map((p) => p.pseudonym)).toEqual(['P02']);
        expect(after.documents.map((d) => d.participantIds.includes(p1.id))).toEqual([false, false]);
      },
    );
  });

  it('refuses a duplicate pseudonym, an empty one, and a date that is not yyyy-mm-dd', async () => {
    const p1 = records.participants.find((p) => p.pseudonym === 'P01')!;
    await expect(updateParticipant(db, studyId, p1.id, { pseudonym: 'p02' })).rejects.toEqual(refused('A participant with the pseudonym “p02” already exists. Pseudonyms must tell participants apart.'));
    await expect(updateParticipant(db, studyId, p1.id, { pseudonym: '' })).rejects.toEqual(refused('A participant needs a pseudonym.'));
    await expect(updateParticipant(db, studyId, p1.id, { interviewDate: '06/03/2025' })).rejects.toEqual(
      refused('The interview date “06/03/2025” is not a date written yyyy-mm-dd (for example 2025-03-06). Leave it empty when unknown.'),
    );
  });
});

describe('coding summary of a case', () => {
  it('counts coded segments per stage and kind, a segment once per cell', async () => {
    const pre = records.stages.find((s) => s.name === 'Pre-training')!.id;
    const post = records.stages.find((s) => s.name === 'Post-release')!.id;
    const summary = await loadCaseCodingSummary(db, studyId, kase('Bielik').id);
    expect(summary.segments).toBe(3);
    expect(summary.cells.get(pre)).toEqual({ challenge: 2, onRamp: 1, other: 0 });
    expect(summary.cells.get(post)).toEqual({ challenge: 0, onRamp: 1, other: 0 });
    expect((await loadCaseCodingSummary(db, studyId, kase('Masakhane').id)).cells.size).toBe(0);
  });
});
