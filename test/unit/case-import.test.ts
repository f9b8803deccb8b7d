import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { casesToRows, participantsToRows, rowsToCsv } from '../../shared/cases/spreadsheet-export.ts';
import { defaultMappings, planSheetImport, readSheet, type ColumnMapping, type SheetKind, type SheetPlan } from '../../shared/cases/spreadsheet-import.ts';
import { newGuid } from '../../shared/model/ids.ts';
import { importSheet, loadSheetBasis, sheetFingerprint, STALE_SHEET_PREVIEW, type SheetBasis } from '../../renderer/data/case-import.ts';
import { CartographyDb } from '../../renderer/data/db.ts';
import { ChangeRefused, History } from '../../renderer/data/history.ts';
import { importStudyFile } from '../../renderer/data/studies.ts';
import { comparable, dumpTables } from '../support/snapshot.ts';

const file = JSON.stringify({
  format: 'cartography-study',
  version: 1,
  study: { name: 'Cases study' },
  coders: [{ key: 'ana', name: 'Ana' }],
  stages: [{ key: 'pre', name: 'Pre-training' }],
  attributes: [
    { key: 'region', name: 'Region', type: 'category', values: ['Europe', 'Asia', 'Africa'] },
    { key: 'contributors', name: 'Contributors', type: 'number' },
  ],
  cases: [
    { key: 'bloom', name: 'BLOOM', description: 'Open multilingual model', attributes: { region: 'Europe', contributors: 1000 }, openness: { weights: 'open' } },
    { key: 'sea', name: 'SEA-LION', attributes: { region: 'Asia', contributors: null } },
    { key: 'masakhane', name: 'Masakhane', attributes: { region: 'Africa', contributors: 400 } },
  ],
  participants: [
    { key: 'p1', pseudonym: 'P01', role: 'Engineer', organisation: 'Lab A', case: 'bloom', interviewDate: '2025-03-01' },
    { key: 'p2', pseudonym: 'P02', role: '', organisation: '', case: null, interviewDate: '' },
  ],
});

let db: CartographyDb;
let history: History;
let studyId: string;

const snapshot = async () => comparable(await dumpTables(db), { settings: false });
const bytes = (rows: string[][]) => new TextEncoder().encode(rowsToCsv(rows));

/** What the screen does: read the study, read the file, map its columns as proposed (or as given), plan. */
async function preview(kind: SheetKind, fileName: string, rows: string[][], options: { createMissing?: boolean; mappings?: (proposed: ColumnMapping[], basis: SheetBasis) => ColumnMapping[] } = {}) {
  const basis = await loadSheetBasis(db, studyId);
  const sheet = readSheet(fileName, bytes(rows), kind);
  const proposed = defaultMappings(sheet, basis);
  const mappings = options.mappings ? options.mappings(proposed, basis) : proposed;
  const plan = planSheetImport(sheet, mappings, basis, { createMissing: options.createMissing ?? false, now: new Date().toISOString(), coderId: null, newId: newGuid });
  return { plan, basis: basis.fingerprint, fileName, studyBasis: basis };
}

/** The study's case rows as the export writes them, to edit like a researcher would in a spreadsheet. */
async function exportedCases(): Promise<string[][]> {
  return casesToRows(await loadSheetBasis(db, studyId));
}

/** The records a plan says will be there after the import: the study's, each replaced or joined by the plan's. */
function expectedAfter(basis: SheetBasis, plan: SheetPlan) {
  const merge = <T extends { id: string }>(before: T[], put: T[]) => {
    const byId = new Map(before.map((r) => [r.id, r]));
    for (const r of put) byId.set(r.id, r);
    return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
  };
  return { attributes: merge(basis.attributes, plan.put.attributes), cases: merge(basis.cases, plan.put.cases), participants: merge(basis.participants, plan.put.participants) };
}
const sorted = <T extends { id: string }>(rows: T[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id));

beforeEach(async () => {
  db = new CartographyDb(`case-import-${Math.random()}`);
  await db.open();
  history = new History(db);
  studyId = await importStudyFile(db, file, 'cases.cartography.json');
});
afterEach(async () => {
  await db.delete();
});

/** The exported case table with a new "Founded" column and one more row for a case the study does not have. */
async function withNewColumnAndCase(): Promise<string[][]> {
  const rows = await exportedCases();
  const [header, ...body] = rows;
  const founded: Record<string, string> = { BLOOM: '2021', 'SEA-LION': '2023', Masakhane: '2019' };
  const edited = body.map((r) => [...r, founded[r[0]!] ?? '']);
  // one value changed: SEA-LION's contributors
  const contributors = header!.indexOf('Contributors');
  edited.find((r) => r[0] === 'SEA-LION')![contributors] = '75';
  const blank = header!.map(() => '');
  const added = [...blank, '2024'];
  added[0] = 'Aya';
  return [[...header!, 'Founded'], ...edited, added];
}

describe('importing case attributes from a spreadsheet', () => {
  it('creates and updates exactly the records of the plan, as one change', async () => {
    const rows = await withNewColumnAndCase();
    const p = await preview('cases', 'cases.csv', rows, { createMissing: true });
    expect(p.plan.problems).toEqual([]);
    expect(p.plan.counts).toEqual({ created: 1, updated: 3, unchanged: 0, newAttributes: 1 });
    const founded = p.plan.put.attributes.find((a) => a.name === 'Founded')!;
    expect(founded).toMatchObject({ type: 'number', studyId });

    const expected = expectedAfter(p.studyBasis, p.plan);
    const { change } = await history.perform(() => importSheet(db, studyId, p));
    expect(change.label).toBe('Import case attributes from “cases.csv”');

    const after = await loadSheetBasis(db, studyId);
    expect(sorted(after.attributes)).toEqual(expected.attributes);
    expect(sorted(after.cases)).toEqual(expected.cases);
    expect(sorted(after.participants)).toEqual(expected.participants);
    // and the values are the file's
    const byName = new Map(after.cases.map((c) => [c.name, c]));
    const contributors = after.attributes.find((a) => a.name === 'Contributors')!;
    expect(byName.get('SEA-LION')!.attributes[contributors.id]).toBe(75);
    expect(byName.get('BLOOM')!.attributes[founded.id]).toBe(2021);
    expect(byName.get('BLOOM')!.description).toBe('Open multilingual model');
    expect(byName.get('Aya')!.attributes[founded.id]).toBe(2024);
    expect(after.cases).toHaveLength(4);
  });

  it('undo restores the database exactly, and redo writes the import again', async () => {
    const before = await snapshot();
    const p = await preview('cases', 'cases.csv', await withNewColumnAndCase(), { createMissing: true });
    await history.perform(() => importSheet(db, studyId, p));
    const after = await snapshot();
    expect(after).not.toEqual(before);
    expect(history.nextUndo).toBe('Import case attributes from “cases.csv”');
    await history.undo();
    expect(await snapshot()).toEqual(before);
    await history.redo();
    expect(await snapshot()).toEqual(after);
  });

  it('refuses a preview made before the cases changed, and writes nothing', async () => {
    const p = await preview('cases', 'cases.csv', await withNewColumnAndCase(), { createMissing: true });
    const bloom = (await db.cases.where('studyId').equals(studyId).toArray()).find((c) => c.name === 'BLOOM')!;
    await db.cases.put({ ...bloom, description: 'Changed meanwhile' }); // an edit made while the preview was open
    const before = await snapshot();
    await expect(history.perform(() => importSheet(db, studyId, p))).rejects.toThrow(new ChangeRefused(STALE_SHEET_PREVIEW));
    expect(await snapshot()).toEqual(before);
    expect(history.nextUndo).toBeNull();
    // a new preview imports, and keeps the edit made meanwhile
    await history.perform(async () => importSheet(db, studyId, await preview('cases', 'cases.csv', await withNewColumnAndCase(), { createMissing: true })));
    expect((await db.cases.get(bloom.id))!.description).toBe('Changed meanwhile');
  });

  it('refuses a preview gone stale through a new participant or attribute too', async () => {
    const p = await preview('cases', 'cases.csv', await withNewColumnAndCase(), { createMissing: true });
    const basis = await loadSheetBasis(db, studyId);
    await db.participants.put({ ...basis.participants[0]!, id: newGuid(), pseudonym: 'P03' });
    const before = await snapshot();
    await expect(importSheet(db, studyId, p)).rejects.toThrow(new ChangeRefused(STALE_SHEET_PREVIEW));
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a plan with problems (unknown case names, without creating cases), and writes nothing', async () => {
    const p = await preview('cases', 'cases.csv', await withNewColumnAndCase(), { createMissing: false });
    expect(p.plan.problems.length).toBeGreaterThan(0);
    expect(p.plan.problems.some((problem) => problem.row === 5)).toBe(true); // "Aya", the fifth line of the file
    const before = await snapshot();
    await expect(importSheet(db, studyId, p)).rejects.toThrow(ChangeRefused);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a plan that changes nothing (the study’s own export read back)', async () => {
    const p = await preview('cases', 'own.csv', await exportedCases());
    expect(p.plan.problems).toEqual([]);
    expect(p.plan.counts).toMatchObject({ created: 0, updated: 0, unchanged: 3, newAttributes: 0 });
    const before = await snapshot();
    await expect(importSheet(db, studyId, p)).rejects.toThrow(new ChangeRefused('Nothing to import: the study already has every value of “own.csv”.'));
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a plan naming records of another study, and writes nothing', async () => {
    const p = await preview('cases', 'cases.csv', await withNewColumnAndCase(), { createMissing: true });
    const foreign: typeof p = { ...p, plan: { ...p.plan, put: { ...p.plan.put, cases: p.plan.put.cases.map((c, i) => (i === 0 ? { ...c, studyId: newGuid() } : c)) } } };
    const before = await snapshot();
    await expect(importSheet(db, studyId, foreign)).rejects.toThrow('An import plan names records of another study.');
    expect(await snapshot()).toEqual(before);
  });
});

describe('importing participants from a spreadsheet', () => {
  it('updates and creates participants, links them to cases by name, and undo restores exactly', async () => {
    const before = await snapshot();
    const rows = participantsToRows(await loadSheetBasis(db, studyId));
    const [header, ...body] = rows;
    const role = header!.findIndex((h) => /role/i.test(h));
    const kase = header!.findIndex((h) => /case/i.test(h));
    const p02 = body.find((r) => r[0] === 'P02')!;
    p02[role] = 'Community lead';
    p02[kase] = 'Masakhane';
    const p03 = header!.map(() => '');
    p03[0] = 'P03';
    p03[kase] = 'SEA-LION';
    const p = await preview('participants', 'people.csv', [header!, ...body, p03], { createMissing: true });
    expect(p.plan.problems).toEqual([]);
    expect(p.plan.counts).toMatchObject({ created: 1, updated: 1, unchanged: 1 });
    const expected = expectedAfter(p.studyBasis, p.plan);
    const { change } = await history.perform(() => importSheet(db, studyId, p));
    expect(change.label).toBe('Import participants from “people.csv”');

    const after = await loadSheetBasis(db, studyId);
    expect(sorted(after.participants)).toEqual(expected.participants);
    expect(sorted(after.cases)).toEqual(sorted(p.studyBasis.cases));
    const caseId = (name: string) => after.cases.find((c) => c.name === name)!.id;
    expect(after.participants.find((x) => x.pseudonym === 'P02')).toMatchObject({ role: 'Community lead', caseId: caseId('Masakhane') });
    expect(after.participants.find((x) => x.pseudonym === 'P03')).toMatchObject({ caseId: caseId('SEA-LION'), studyId });

    await history.undo();
    expect(await snapshot()).toEqual(before);
  });
});

describe('the preview fingerprint', () => {
  it('is the same for the same records in any order, and differs when one value differs', async () => {
    const basis = await loadSheetBasis(db, studyId);
    const reversed = { attributes: [...basis.attributes].reverse(), cases: [...basis.cases].reverse().map((c) => ({ ...Object.fromEntries(Object.entries(c).reverse()) }) as typeof c), participants: [...basis.participants].reverse() };
    expect(sheetFingerprint(reversed)).toBe(basis.fingerprint);
    const changed = { ...basis, cases: basis.cases.map((c, i) => (i === 0 ? { ...c, attributes: { ...c.attributes, x: 1 } } : c)) };
    expect(sheetFingerprint(changed)).not.toBe(basis.fingerprint);
  });
});
