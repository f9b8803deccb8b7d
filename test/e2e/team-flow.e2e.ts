/**
 * The team's whole loop in one researcher session, in Chromium, on the demo study: Ana and Ben
 * code the same transcript blind (each sees only their own coding), a teammate's file is
 * merged (the shipped demo study read in Node, plus Mina, a coder with a new GUID, and her
 * codings of that transcript), the Agreement area compares the coders with the values the
 * engine computes from the stored codings, and one disagreement is resolved into the
 * consensus coder with a memo, which the table then compares too.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeAgreement, type AgreementCoding, type AgreementOptions, type AgreementStatistic } from '../../shared/analysis/agreement.ts';
import type { Coder, Coding, Segment, StudyRecords } from '../../shared/model/types.ts';
import { readStudyFile } from '../../shared/study-file/read.ts';
import { writeStudyFile } from '../../shared/study-file/write.ts';
import { axeViolations, dragSelect, dumpDatabase, findChromium, REPO, screenshot, seriousViolations, startSession, type Session } from './harness.ts';

const chromiumPath = findChromium();
const DEMO = 'Open LLM collaboration (demo)';
const DOC = 'Interview P01 — OLMo';
const FILE = 'mina.cartography.json';
const BARRIER = 'Technical expertise barrier';
const DATA_WORK = 'Data work undervalued';
const OPEN_DATASETS = 'Sharing open training datasets';
/** Ana's passage, and Ben's, which overlaps it ("loss spikes"). */
const ANA_PASSAGE = 'data mixtures, loss spikes';
const BEN_PASSAGE = 'loss spikes and, lately, the mid-training phase';
/** Mina's codings in the teammate's file: Ana's passage and code, part of Ben's with his code, and a passage of her own. */
const MINA_CODINGS: [phrase: string, code: string][] = [
  [ANA_PASSAGE, BARRIER],
  ['the mid-training phase', DATA_WORK],
  ['the corpus, the code, the logs and the intermediate checkpoints', OPEN_DATASETS],
];
const MEMO = 'Ana’s reading: the loss spikes need pre-training expertise; Ben’s code stays on his own passage.';

type Row = { id: string } & Record<string, unknown>;
interface StoredSegment {
  id: string;
  studyId: string;
  documentId: string;
  start: number;
  end: number;
  codings: { id: string; codeId: string; coderId: string }[];
}
interface Dump {
  studies: { id: string; name: string }[];
  coders: { id: string; studyId: string; name: string }[];
  codes: { id: string; studyId: string; name: string }[];
  documents: { id: string; studyId: string; title: string; length: number }[];
  texts: { id: string; text: string }[];
  segments: StoredSegment[];
  memos: { id: string; targetType: string; targetId: string; title: string; text: string; createdBy: string | null }[];
  settings: { key: string; value: unknown }[];
}
const dump = async (page: Page) => (await dumpDatabase(page)) as unknown as Dump;
const idOf = <T extends { id: string }>(rows: readonly T[], pick: (row: T) => boolean, what: string): string => {
  const found = rows.find(pick);
  if (!found) throw new Error(`${what} is not in the database`);
  return found.id;
};

/**
 * How a record of the demo is told apart from the others without its GUID: the study file
 * ships with keys, not GUIDs, so the app's copy and a copy read in Node have different GUIDs
 * for the same records. `to` maps a GUID of the Node copy to the app's (identity on the app's side).
 */
const NATURAL_KEYS: [collection: string, key: (row: Row, to: (id: unknown) => unknown) => string][] = [
  ['coders', (r) => String(r['name'])],
  ['stages', (r) => String(r['name'])],
  ['attributes', (r) => String(r['name'])],
  ['cases', (r) => String(r['name'])],
  ['participants', (r) => String(r['pseudonym'])],
  ['documents', (r) => String(r['title'])],
  ['codes', (r) => String(r['name'])],
  ['actors', (r) => `${String(r['name'])}|${String(r['type'])}`],
  ['segments', (r, to) => `${String(to(r['documentId']))}|${String(r['start'])}|${String(r['end'])}`],
  ['codings', (r, to) => `${String(to(r['segmentId']))}|${String(to(r['codeId']))}|${String(to(r['coderId']))}`],
  ['overrides', (r, to) => `${String(to(r['caseId']))}|${String(to(r['stageId']))}`],
  ['memos', (r, to) => `${String(r['targetType'])}|${String(to(r['targetId']))}|${String(r['title'])}`],
  ['ties', (r, to) => `${String(to(r['fromId']))}|${String(to(r['toId']))}|${String(r['type'])}|${String(to(r['stageId']))}`],
];

/** Every GUID (as a value or as an object's key, like a case's attribute values) replaced through `ids`. */
function renamed(value: unknown, ids: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') return ids.get(value) ?? value;
  if (Array.isArray(value)) return value.map((v) => renamed(v, ids));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [ids.get(k) ?? k, renamed(v, ids)]));
  return value;
}

/**
 * The teammate's file: the shipped demo study read in Node, its GUIDs made the app's (as a
 * teammate's copy of the same study has them), with Mina, a coder with a new GUID, and her
 * codings of the transcript. `unmatched` lists records of the file the app's study lacks.
 */
function teammateFile(db: Dump, studyId: string) {
  const fixture = readFileSync(path.join(REPO, 'fixtures/demo/demo-study.cartography.json'), 'utf8');
  const read = readStudyFile(fixture, 'demo-study.cartography.json', { now: new Date().toISOString(), newId: randomUUID });
  const ids = new Map<string, string>([[read.study.id, studyId]]);
  const to = (id: unknown) => (typeof id === 'string' ? (ids.get(id) ?? id) : id);
  const tables = db as unknown as Record<string, Row[]>;
  const inStudy = (rows: Row[] | undefined) => (rows ?? []).filter((r) => r['studyId'] === studyId);
  const ours: Record<string, Row[]> = {
    ...Object.fromEntries(NATURAL_KEYS.map(([c]) => [c, inStudy(tables[c])])),
    codings: inStudy(tables['segments']).flatMap((s) => (s['codings'] as Row[]).map((c) => ({ ...c, segmentId: s.id }))),
  };
  const unmatched: string[] = [];
  for (const [collection, key] of NATURAL_KEYS) {
    const byKey = new Map<string, string[]>();
    for (const row of ours[collection]!) {
      const k = key(row, (id) => id);
      byKey.set(k, [...(byKey.get(k) ?? []), row.id]);
    }
    for (const row of (read as unknown as Record<string, Row[]>)[collection]!) {
      const match = byKey.get(key(row, to)) ?? [];
      if (match.length === 1) ids.set(row.id, match[0]!);
      else unmatched.push(`${collection} ${key(row, to)}: ${match.length} records of the study`);
    }
  }
  const records = renamed(read, ids) as StudyRecords;

  const documentId = to(read.documents.find((d) => d.title === DOC)!.id) as string;
  const text = records.texts.find((t) => t.id === documentId)!.text;
  const now = new Date().toISOString();
  const mina: Coder = { id: randomUUID(), studyId, name: 'Mina', createdAt: now, modifiedAt: now, createdBy: null };
  const segments: Segment[] = [];
  const codings: Coding[] = [];
  for (const [phrase, code] of MINA_CODINGS) {
    const start = text.indexOf(phrase);
    if (start < 0 || text.indexOf(phrase, start + 1) >= 0) throw new Error(`"${phrase}" is not once in ${DOC}`);
    const segment: Segment = { id: randomUUID(), studyId, documentId, start, end: start + phrase.length, text: phrase, createdAt: now, modifiedAt: now, createdBy: mina.id };
    segments.push(segment);
    const codeId = records.codes.find((c) => c.name === code)!.id;
    codings.push({ id: randomUUID(), studyId, segmentId: segment.id, codeId, coderId: mina.id, documentId, createdAt: now, modifiedAt: now, createdBy: mina.id });
  }
  const file = writeStudyFile({ ...records, coders: [...records.coders, mina], segments: [...records.segments, ...segments], codings: [...records.codings, ...codings] });
  return { text: JSON.stringify(file), records, unmatched, mina, documentId, codings };
}

/** What the Agreement area compares by default, computed in Node from the stored records: codes a chosen coder applied, every document. */
function expectedAgreement(db: Dump, studyId: string, coderIds: string[], options: AgreementOptions) {
  const documents = db.documents.filter((d) => d.studyId === studyId);
  const inStudy = new Set(documents.map((d) => d.id));
  const codings: AgreementCoding[] = db.segments
    .filter((s) => inStudy.has(s.documentId))
    .flatMap((s) => s.codings.map((c) => ({ id: c.id, documentId: s.documentId, codeId: c.codeId, coderId: c.coderId, start: s.start, end: s.end })));
  const chosen = codings.filter((c) => coderIds.includes(c.coderId));
  const codeIds = db.codes.filter((c) => c.studyId === studyId && chosen.some((x) => x.codeId === c.id)).map((c) => c.id);
  return computeAgreement({ documents: documents.map((d) => ({ id: d.id, length: d.length })), codings: chosen, coderIds, codeIds }, options);
}

const fixed = (v: number | null) => (v === null ? '—' : v.toFixed(3));
const percent = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)} %`);
/** The cells the table shows for a statistic: percent, kappa, alpha, units. */
const cells = (s: AgreementStatistic) => [percent(s.percent), fixed(s.kappa), fixed(s.alpha), String(s.units)];

const table = (page: Page) => page.locator('.agreement-table table');
async function rowCells(page: Page, name: string): Promise<string[]> {
  const row = table(page).locator('tr', { has: page.getByRole('button', { name }) });
  return (await row.locator('td').allTextContents()).slice(0, 4);
}
async function overallCells(page: Page): Promise<string[]> {
  return (await table(page).locator('tfoot tr td').allTextContents()).slice(0, 4);
}

async function codingCount(page: Page): Promise<number> {
  const text = await page.getByRole('heading', { name: /^Codings/ }).textContent();
  return Number(/\((\d+)\)/.exec(text ?? '')![1]);
}
async function applyCode(page: Page, phrase: string, query: string) {
  await dragSelect(page, phrase);
  await page.locator('.transcript').press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Apply a code' });
  await palette.waitFor();
  await palette.getByRole('combobox', { name: 'Find a code' }).fill(query);
  await page.keyboard.press('Enter');
  await palette.waitFor({ state: 'detached' });
}
const codingAs = (page: Page) => page.getByRole('combobox', { name: 'Coding as' }).evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent);
/** Switches the active coder in the Coding view, confirming the question blind coding asks. */
async function switchCoder(page: Page, name: string) {
  await page.getByRole('combobox', { name: 'Coding as' }).selectOption({ label: name });
  const confirm = page.getByRole('dialog', { name: `Code as ${name}?` });
  await confirm.getByText(/Blind coding is on/).waitFor();
  await confirm.getByRole('button', { name: `Switch to ${name}` }).click();
  await confirm.waitFor({ state: 'detached' });
  await expect.poll(() => codingAs(page)).toBe(name);
  await page.getByRole('region', { name: 'Blind coding' }).getByText(name, { exact: true }).waitFor();
}
/** A coder's checkbox in the Agreement area (the consensus coder's label adds "(consensus)"). */
const coderBox = (page: Page, name: string | RegExp) => page.getByRole('group', { name: /^Coders/ }).getByRole('checkbox', { name, exact: true });

describe.skipIf(!chromiumPath)('the team loop in Chromium: blind coding, merging a teammate, agreement and consensus', () => {
  let s: Session;
  let page: Page;
  let folder: string;
  let studyId: string;
  const coder: Record<string, string> = {};

  beforeAll(async () => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'cartography-team-flow-'));
    s = await startSession();
    page = s.page;
    await page.goto(s.url);
    await page.getByRole('heading', { level: 1, name: DEMO }).waitFor();
    studyId = idOf((await dump(page)).studies, (x) => x.name === DEMO, DEMO);
  });
  afterAll(async () => {
    await s?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('adds Ana and Ben in the Team tab and turns blind coding on', async () => {
    await page.keyboard.press('Alt+3');
    await page.getByRole('tab', { name: 'Team' }).click();
    for (const name of ['Ana', 'Ben']) {
      await page.getByLabel('New coder’s name').fill(name);
      await page.getByRole('button', { name: 'Add coder' }).click();
      await page.getByRole('table', { name: /^Coders/ }).getByRole('row', { name: new RegExp(`\\b${name}\\b`) }).waitFor();
    }
    const blind = page.getByRole('switch', { name: 'Code blind' });
    await blind.check();
    await expect.poll(() => blind.isChecked()).toBe(true);
    const db = await dump(page);
    for (const name of ['Ana', 'Ben', 'Researcher A', 'Researcher B']) coder[name] = idOf(db.coders, (c) => c.studyId === studyId && c.name === name, name);
  });

  it('codes a passage as Ana, then as Ben sees none of it and codes an overlapping passage with another code', async () => {
    await page.keyboard.press('Alt+4');
    await page.getByRole('combobox', { name: 'Transcript' }).selectOption({ label: DOC });
    await page.getByRole('heading', { name: /^Codings/ }).waitFor();

    await switchCoder(page, 'Ana');
    await expect.poll(() => codingCount(page)).toBe(0);
    await applyCode(page, ANA_PASSAGE, 'Technical exp');
    await expect.poll(() => codingCount(page)).toBe(1);

    await switchCoder(page, 'Ben');
    // Ana's coding is stored, but Ben sees nothing of it.
    await expect.poll(() => codingCount(page)).toBe(0);
    expect(await page.locator('.transcript mark.coded').count()).toBe(0);
    const stored = (await dump(page)).segments.filter((x) => x.codings.some((c) => c.coderId === coder['Ana']));
    expect(stored).toHaveLength(1);

    await applyCode(page, BEN_PASSAGE, 'Data work');
    await expect.poll(() => codingCount(page)).toBe(1);
    const title = await page.locator('.transcript mark.coded', { hasText: 'loss spikes' }).first().getAttribute('title');
    expect(title).toContain(DATA_WORK);
    expect(title).not.toContain(BARRIER);

    // In the database: one coding each, on the passages they selected, of the codes they chose.
    const db = await dump(page);
    const text = db.texts.find((t) => t.id === stored[0]!.documentId)!.text;
    const codeOf = (name: string) => idOf(db.codes, (c) => c.studyId === studyId && c.name === name, name);
    const byCoder = (id: string) => db.segments.flatMap((x) => x.codings.filter((c) => c.coderId === id).map((c) => ({ text: text.slice(x.start, x.end), codeId: c.codeId })));
    expect(byCoder(coder['Ana']!)).toEqual([{ text: ANA_PASSAGE, codeId: codeOf(BARRIER) }]);
    expect(byCoder(coder['Ben']!)).toEqual([{ text: BEN_PASSAGE, codeId: codeOf(DATA_WORK) }]);
  });

  it('merges Mina’s file from the Team tab: the report lists only her and her codings as new, and the merge writes them', async () => {
    const before = await dump(page);
    const t = teammateFile(before, studyId);
    // The file is the team's copy of this study: every record but Mina's is one the study has.
    expect(t.unmatched).toEqual([]);
    const file = path.join(folder, FILE);
    writeFileSync(file, t.text);

    await page.keyboard.press('Alt+3');
    await page.getByRole('tab', { name: 'Team' }).click();
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Merge a teammate’s work…' }).click();
    await (await chooser).setFiles(file);
    const dialog = page.getByRole('dialog', { name: `Merge a teammate’s work: ${FILE}` });
    await dialog.getByRole('region', { name: 'The merge' }).waitFor();

    // Records | Added | Matched | In conflict | Changed here.
    const report = dialog.getByRole('table', { name: 'What the merge does' });
    const rows = await report.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.querySelector('th')!.textContent, ...Array.from(tr.querySelectorAll('td'), (td) => td.textContent)]));
    const row = (label: string) => rows.find((r) => r[0] === label)?.slice(1);
    expect(row('Coders')).toEqual(['1', String(t.records.coders.length), '0', '0']);
    expect(row('Codings')).toEqual(['3', String(t.records.codings.length), '0', '0']);
    // The transcript Mina coded is the one document changed here (its count of codings and coders).
    expect(row('Documents')).toEqual(['0', String(t.records.documents.length), '0', '1']);
    expect(row('Codes')).toEqual(['0', String(t.records.codes.length), '0', '0']);
    // Mina's selection of Ana's very passage joins Ana's segment; her other two are new passages.
    expect(row('Coded passages')).toEqual(['2', String(t.records.segments.length), '0', '0']);
    // Nothing else is added, and nothing is in conflict.
    expect(rows.filter((r) => !['Coders', 'Codings', 'Coded passages'].includes(r[0]!) && r[1] !== '0')).toEqual([]);
    expect(rows.filter((r) => r[3] !== '0')).toEqual([]);
    expect(await dialog.getByRole('group', { name: /^“Mina” in the file/ }).count()).toBe(0);
    await dialog.getByText('What the file adds').click();
    await dialog.getByText(/^Coders?: Mina$/).waitFor();
    await dialog.getByText('1 selection covers the same text as a segment of the study: joined to it.').waitFor();
    await screenshot(page, 'team-flow-merge-report');

    await dialog.getByRole('button', { name: `Merge into “${DEMO}”` }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: `Merged ${FILE} into “${DEMO}”` }).first().waitFor();

    const after = await dump(page);
    expect(after.coders.filter((c) => c.studyId === studyId).map((c) => c.name).sort()).toEqual(['Ana', 'Ben', 'Mina', 'Researcher A', 'Researcher B']);
    expect(after.coders.find((c) => c.name === 'Mina')!.id).toBe(t.mina.id);
    coder['Mina'] = t.mina.id;
    // Every coding of the study is kept, and Mina's three come in on the passages she coded.
    const codingIds = (d: Dump) => d.segments.flatMap((x) => x.codings.map((c) => c.id)).sort();
    expect(codingIds(after)).toEqual([...codingIds(before), ...t.codings.map((c) => c.id)].sort());
    const text = after.texts.find((x) => x.id === t.documentId)!.text;
    const minas = after.segments.flatMap((x) => x.codings.filter((c) => c.coderId === t.mina.id).map((c) => ({ text: text.slice(x.start, x.end), codeId: c.codeId, segment: x })));
    expect(minas.map((m) => [m.text, after.codes.find((c) => c.id === m.codeId)!.name]).sort()).toEqual(MINA_CODINGS.map(([p, c]) => [p, c]).sort());
    // Her coding of Ana's passage joins Ana's segment: one segment per span.
    const shared = minas.find((m) => m.text === ANA_PASSAGE)!.segment;
    expect(shared.codings.map((c) => c.coderId).sort()).toEqual([coder['Ana'], t.mina.id].sort());
  });

  it('compares Ana and Ben, then with Mina too, per code and overall, as the engine computes from the stored codings', async () => {
    await page.keyboard.press('Alt+0');
    await page.getByRole('heading', { level: 1, name: 'Agreement' }).waitFor();
    for (const name of ['Researcher A', 'Researcher B', 'Mina']) await coderBox(page, name).uncheck();
    await page.getByRole('radio', { name: 'Character' }).check();
    await page.getByRole('heading', { name: 'Character agreement of Ana, Ben' }).waitFor();

    const db = await dump(page);
    const two = expectedAgreement(db, studyId, [coder['Ana']!, coder['Ben']!], { unit: 'character' });
    const codeId = (name: string) => idOf(db.codes, (c) => c.studyId === studyId && c.name === name, name);
    const stat = (result: typeof two, name: string) => result.perCode.find((r) => r.codeId === codeId(name))!;
    expect(two.perCode.map((r) => r.codeId).sort()).toEqual([codeId(BARRIER), codeId(DATA_WORK)].sort());
    expect(await table(page).locator('tbody tr').count()).toBe(2);
    expect(await rowCells(page, BARRIER)).toEqual(cells(stat(two, BARRIER)));
    expect(await rowCells(page, DATA_WORK)).toEqual(cells(stat(two, DATA_WORK)));
    expect(await overallCells(page)).toEqual(cells(two.overall));
    // Ana's code is hers alone: the characters she coded with it are disagreements.
    expect(stat(two, BARRIER).percent!).toBeLessThan(1);

    await coderBox(page, 'Mina').check();
    await page.getByRole('heading', { name: 'Character agreement of Ana, Ben, Mina' }).waitFor();
    const three = expectedAgreement(db, studyId, [coder['Ana']!, coder['Ben']!, coder['Mina']!], { unit: 'character' });
    expect(await table(page).locator('tbody tr').count()).toBe(3);
    for (const name of [BARRIER, DATA_WORK, OPEN_DATASETS]) {
      const expected = cells(stat(three, name));
      expect(expected[1]).toBe('—'); // kappa: two coders only
      expect(await rowCells(page, name)).toEqual(expected);
    }
    expect(await overallCells(page)).toEqual(cells(three.overall));
    await screenshot(page, 'team-flow-agreement');
  });

  it('resolves the disagreement on Ana’s code into the consensus coder with a memo, and the table then compares the consensus coder', async () => {
    await page.getByRole('button', { name: BARRIER }).click();
    const list = page.getByRole('listbox', { name: `Disagreements on ${BARRIER}` });
    await list.waitFor();
    // Ana and Mina coded the passage, Ben did not: one disagreement, in the transcript they share.
    expect(await list.getByRole('option').count()).toBe(1);
    const option = list.getByRole('option').first();
    expect(await option.locator('.item-title').textContent()).toBe(DOC);
    expect(await option.locator('.item-meta').textContent()).toMatch(/· Ana, Mina coded it$/);
    const ana = page.getByRole('article', { name: 'Ana', exact: true });
    const ben = page.getByRole('article', { name: 'Ben', exact: true });
    expect(await ana.locator('mark').textContent()).toBe(ANA_PASSAGE);
    await ben.getByText('Did not apply this code here.').waitFor();
    await ben.getByText(`Applied here: ${DATA_WORK}.`).waitFor();
    expect(await ben.locator('.disputed').textContent()).toBe(ANA_PASSAGE);

    await page.getByRole('textbox', { name: 'Memo on the decision' }).fill(MEMO);
    await page.getByRole('button', { name: /^Accept Ana/ }).click();
    await page.getByRole('status').filter({ hasText: `Consensus on “${BARRIER}”: Ana’s coding kept` }).first().waitFor();
    await option.getByText('Consensus codes it').waitFor();

    // In the database: the consensus coder codes Ana's passage with her code, and the memo is on that passage.
    const after = await dump(page);
    const consensus = after.coders.find((c) => c.studyId === studyId && c.name === 'Consensus')!;
    expect(consensus).toBeDefined();
    const barrier = idOf(after.codes, (c) => c.studyId === studyId && c.name === BARRIER, BARRIER);
    const theirs = after.segments.filter((x) => x.codings.some((c) => c.coderId === consensus.id));
    expect(theirs).toHaveLength(1);
    const segment = theirs[0]!;
    const text = after.texts.find((x) => x.id === segment.documentId)!.text;
    expect(text.slice(segment.start, segment.end)).toBe(ANA_PASSAGE);
    expect(segment.codings.filter((c) => c.coderId === consensus.id).map((c) => c.codeId)).toEqual([barrier]);
    expect(segment.codings.some((c) => c.coderId === coder['Ana'] && c.codeId === barrier)).toBe(true);
    const memos = after.memos.filter((m) => m.createdBy === consensus.id);
    expect(memos).toHaveLength(1);
    expect(memos[0]).toMatchObject({ targetType: 'segment', targetId: segment.id, text: MEMO, title: `Consensus on “${BARRIER}”, characters ${segment.start}–${segment.end}` });

    // The table recomputes with the consensus coder compared too.
    await coderBox(page, /^Consensus \(consensus\)$/).check();
    await page.getByRole('heading', { name: 'Character agreement of Ana, Ben, Mina, Consensus' }).waitFor();
    const four = expectedAgreement(after, studyId, [coder['Ana']!, coder['Ben']!, coder['Mina']!, consensus.id], { unit: 'character' });
    const three = expectedAgreement(after, studyId, [coder['Ana']!, coder['Ben']!, coder['Mina']!], { unit: 'character' });
    const row = (result: typeof four) => result.perCode.find((r) => r.codeId === barrier)!;
    expect(await rowCells(page, BARRIER)).toEqual(cells(row(four)));
    expect(await overallCells(page)).toEqual(cells(four.overall));
    // A fourth coder who sides with Ana and Mina raises the agreement on her code.
    expect(row(four).alpha!).toBeGreaterThan(row(three).alpha!);

    // Ana against the consensus coder alone: on Ana's code they agree on every character.
    for (const name of ['Ben', 'Mina']) await coderBox(page, name).uncheck();
    await page.getByRole('heading', { name: 'Character agreement of Ana, Consensus' }).waitFor();
    const pair = expectedAgreement(after, studyId, [coder['Ana']!, consensus.id], { unit: 'character' });
    expect(row(pair).percent).toBe(1);
    expect(await rowCells(page, BARRIER)).toEqual(cells(row(pair)));
    expect(await overallCells(page)).toEqual(cells(pair.overall));
    expect(await table(page).locator('tbody tr').count()).toBe(pair.perCode.length);
    await page.getByText('The compared coders agree everywhere on this code: nothing to review.').waitFor();

    await screenshot(page, 'team-flow-consensus');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);
  });
});
