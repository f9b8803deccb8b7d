/**
 * Case spreadsheets in Chromium, on the demo study, through the Cases area: importing case
 * attributes from a CSV through its preview (detected types with their reasons, the mapping of
 * each column, the change list with before → after), the import as one change, the new
 * attributes in the cases table and as a grouping of the attribute × code matrix; bad files
 * (unknown case names, values that do not fit, a file that is not CSV) shown per row or per file
 * with Import disabled and the database unchanged; Cancel and Escape; and the CSV and Excel
 * exports, whose rows are the cases table's.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import type { Download, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultMappings, planSheetImport, readSheet, type SheetPlan } from '../../shared/cases/spreadsheet-import.ts';
import { OPENNESS_COMPONENTS, OPENNESS_LABELS, type AttributeDef, type Case, type Participant } from '../../shared/model/types.ts';
import { comparable } from '../support/snapshot.ts';
import { axeViolations, dumpDatabase, findChromium, REPO, screenshot, seriousViolations, startSession, type Session } from './harness.ts';

const chromiumPath = findChromium();
const good = (name: string) => path.join(REPO, 'fixtures/import', name);
const bad = (name: string) => path.join(REPO, 'fixtures/bad', name);

interface Dump {
  attributes: AttributeDef[];
  cases: Case[];
  participants: Participant[];
}
const dump = async (page: Page) => (await dumpDatabase(page)) as unknown as Dump & Record<string, unknown[]>;

/** What the planner makes of a file against the database as it is, with the proposed mappings: the screen's expectations. */
function expected(d: Dump, file: string, createMissing = false): { sheet: ReturnType<typeof readSheet>; plan: SheetPlan } {
  const sheet = readSheet(path.basename(file), new Uint8Array(readFileSync(file)), 'cases');
  const existing = { studyId: d.cases[0]!.studyId, attributes: d.attributes, cases: d.cases, participants: d.participants };
  let n = 0;
  const plan = planSheetImport(sheet, defaultMappings(sheet, existing), existing, { createMissing, now: '2026-01-01T00:00:00.000Z', coderId: null, newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}` });
  return { sheet, plan };
}

/** A change's fields as the preview writes them. */
const fieldTexts = (fields: SheetPlan['changes'][number]['fields']) => fields.map((f) => `${f.name}: ${f.before === '' ? 'empty' : f.before} → ${f.after === '' ? 'empty' : f.after}`);

/** The texts of a table's body rows, a list of cell texts per row. */
const bodyRows = (table: Locator) => table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (c) => (c.textContent ?? '').trim()))) as Promise<string[][]>;

describe.skipIf(!chromiumPath)('case spreadsheets in Chromium', () => {
  let s: Session;
  let page: Page;
  const dialog = () => page.getByRole('dialog', { name: 'Import case attributes' });
  const casesGrid = () => page.getByRole('grid', { name: 'Cases and their attributes' });
  const exchange = () => page.getByRole('group', { name: 'Spreadsheet exchange of the case table' });

  async function choose(file: string) {
    const chooser = page.waitForEvent('filechooser');
    await exchange().getByRole('button', { name: 'Import from spreadsheet…' }).focus();
    await page.keyboard.press('Enter'); // reachable from the keyboard
    await (await chooser).setFiles(file);
    await dialog().waitFor();
  }

  async function download(label: string): Promise<Download> {
    const started = page.waitForEvent('download');
    await exchange().getByRole('button', { name: label }).click();
    return started;
  }

  /** The cases table as text: its header labels and, per case, its cells (em dash = empty, numbers without grouping commas). */
  async function casesTable(): Promise<{ header: string[]; rows: string[][] }> {
    const header = (await casesGrid().locator('thead th .grid-header > :first-child').allTextContents()).map((t) => t.replace(/[▲▼]/g, '').trim());
    // the row header holds the case's link and, below it, its description
    const rows = (await casesGrid()
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (c) => ((c.tagName === 'TH' ? c.querySelector('a') : c)?.textContent ?? '').trim())))) as string[][];
    return { header, rows: rows.map((r) => r.map((t) => (t === '—' ? '' : t))) };
  }

  beforeAll(async () => {
    s = await startSession();
    page = s.page;
    await page.goto(s.url);
    await page.getByRole('heading', { level: 1, name: 'Open LLM collaboration (demo)' }).waitFor();
    await page.keyboard.press('Alt+2');
    await page.getByRole('heading', { level: 1, name: 'Cases' }).waitFor();
    await casesGrid().waitFor();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('refuses bad files with a message per row or per file, Import disabled, and the database unchanged', async () => {
    const before = await dumpDatabase(page);
    const d = before as unknown as Dump;

    // Unknown case names: one problem per row, until “Create new cases” is ticked
    const unknown = expected(d, bad('cases-unknown-names.csv'));
    expect(unknown.plan.problems.map((p) => p.row)).toEqual([3, 5]);
    await choose(bad('cases-unknown-names.csv'));
    const problemList = () => dialog().locator('.sheet-import-problems li').allTextContents();
    await dialog().getByRole('heading', { name: '2 problems to correct before importing' }).waitFor();
    expect(await problemList()).toEqual(unknown.plan.problems.map((p) => p.message));
    expect(await problemList()).toEqual([
      'row 3: no case named “Falcon (TII)”; tick ‘Create new cases’ or correct the name.',
      'row 5: no case named “Bloom”; tick ‘Create new cases’ or correct the name.',
    ]);
    const importButton = dialog().getByRole('button', { name: 'Import', exact: true });
    expect(await importButton.isDisabled()).toBe(true);
    await dialog().getByText(/^Import is not possible while there are 2 problems/).waitFor();
    expect(await importButton.getAttribute('aria-describedby')).toBe('sheet-import-blocked');
    await screenshot(page, 'cases-import-unknown-names');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);
    // Ticking the box plans the two cases as new; nothing is written until Import
    await dialog().getByRole('checkbox', { name: /Create new cases for unknown names/ }).check();
    await dialog().locator('.sheet-import-problems').waitFor({ state: 'detached' });
    const created = expected(d, bad('cases-unknown-names.csv'), true).plan;
    expect(created.counts.created).toBe(2);
    await dialog().getByText(`Cases: 2 to add, ${created.counts.updated} to update, ${created.counts.unchanged} unchanged; 0 new attributes.`).waitFor();
    expect(await importButton.isDisabled()).toBe(false);
    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'detached' });
    expect(await dumpDatabase(page)).toEqual(before);

    // Values that do not fit their attribute: one problem per cell
    const values = expected(d, bad('cases-bad-values.csv'));
    expect(values.plan.problems.map((p) => [p.row, p.column])).toEqual([
      [2, 'Derivative models (approx.)'],
      [3, 'First open release'],
      [4, 'Region'],
      [4, 'Weights'],
      [5, 'Derivative models (approx.)'],
    ]);
    await choose(bad('cases-bad-values.csv'));
    await dialog().getByRole('heading', { name: '5 problems to correct before importing' }).waitFor();
    expect(await problemList()).toEqual(values.plan.problems.map((p) => p.message));
    expect(await importButton.isDisabled()).toBe(true);
    // the column of the openness component is proposed as that field, the others as their attributes
    expect(await dialog().getByRole('combobox', { name: 'Import column “Weights” as' }).inputValue()).toBe('field:openness.weights');
    expect(await dialog().getByRole('combobox', { name: 'Import column “Region” as' }).inputValue()).toBe(`existing:${d.attributes.find((a) => a.name === 'Region')!.id}`);
    await screenshot(page, 'cases-import-bad-values');
    // Skipping the columns with problems leaves a clean plan
    for (const column of ['Derivative models (approx.)', 'First open release', 'Region', 'Weights']) {
      await dialog().getByRole('combobox', { name: `Import column “${column}” as` }).selectOption('skip');
    }
    await dialog().locator('.sheet-import-problems').waitFor({ state: 'detached' });
    await dialog().getByText('Nothing to import: the study already has every value of this file as it is.').waitFor();
    expect(await importButton.isDisabled()).toBe(true);
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    await dialog().waitFor({ state: 'detached' });
    expect(await dumpDatabase(page)).toEqual(before);

    // Files that are not a table: the file's message, nothing else
    for (const [name, message] of [
      ['cases-empty.csv', /^“cases-empty\.csv” is empty \(0 bytes\)/],
      ['cases-not-csv.csv', /^“cases-not-csv\.csv” is a PNG image, not a CSV file\./],
    ] as const) {
      await choose(bad(name));
      await dialog().getByRole('heading', { name: 'This file cannot be imported' }).waitFor();
      expect(await dialog().locator('.sheet-import-message').textContent(), name).toMatch(message);
      await dialog().getByText('Nothing was changed.').waitFor();
      expect(await dialog().getByRole('button', { name: 'Import', exact: true }).count()).toBe(0);
      if (name === 'cases-not-csv.csv') {
        await screenshot(page, 'cases-import-not-csv');
        expect(seriousViolations(await axeViolations(page))).toEqual([]);
      }
      await dialog().getByRole('button', { name: 'Close' }).click();
      await dialog().waitFor({ state: 'detached' });
    }
    expect(await dumpDatabase(page)).toEqual(before);
    // focus is back on the button
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Import from spreadsheet…');
  });

  it('previews case-attributes.csv with its detected types and changes, imports it as one change, and shows the new attributes in the table and the matrices', async () => {
    const before = await dump(page);
    const file = good('case-attributes.csv');
    const { sheet, plan } = expected(before, file);
    expect(plan.problems).toEqual([]);
    expect(plan.counts).toEqual({ created: 0, updated: 14, unchanged: 0, newAttributes: 2 });

    await choose(file);
    await dialog().getByText('File: case-attributes.csv').waitFor();
    await dialog().getByText('(14 rows below the header)').waitFor();
    // Columns: header, samples, detected type and its reason, and the proposed mapping
    const columns = await bodyRows(dialog().getByRole('table', { name: 'Columns (3)' }));
    expect(columns.map((r) => r[0])).toEqual(['Case', 'Licence family', 'Contributors']);
    expect(sheet.columns.map((c) => c.detected.type)).toEqual(['text', 'category', 'number']);
    const licence = dialog().locator('tr[data-column="Licence family"]');
    const contributors = dialog().locator('tr[data-column="Contributors"]');
    expect(await licence.locator('.sheet-detected').textContent()).toBe('Category');
    expect(await contributors.locator('.sheet-detected').textContent()).toBe('Number');
    await licence.getByText(sheet.columns[1]!.detected.reason, { exact: true }).waitFor();
    await contributors.getByText(sheet.columns[2]!.detected.reason, { exact: true }).waitFor();
    expect(await licence.locator('.sheet-samples').textContent()).toBe(sheet.columns[1]!.samples.join(', '));
    expect(await dialog().locator('tr[data-column="Case"] .sheet-key').textContent()).toBe('Case name: matches rows to cases');
    expect(await dialog().getByRole('combobox', { name: 'Import column “Licence family” as' }).inputValue()).toBe('new');
    expect(await dialog().getByRole('combobox', { name: 'Type of the new attribute from column “Licence family”' }).inputValue()).toBe('category');
    expect(await dialog().getByRole('textbox', { name: /Category values of the new attribute from column “Licence family”/ }).inputValue()).toBe(sheet.columns[1]!.detected.categories.join(', '));
    expect(await dialog().getByRole('combobox', { name: 'Type of the new attribute from column “Contributors”' }).inputValue()).toBe('number');

    // The change list: one row per case, every field's before → after
    await dialog().getByText('Cases: 0 to add, 14 to update, 0 unchanged; 2 new attributes.').waitFor();
    const changes = dialog().getByRole('table', { name: 'What will change (14)' });
    const shown = (await changes.locator('tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [tr.children[0]!.textContent, tr.children[1]!.textContent, tr.children[2]!.textContent, Array.from(tr.querySelectorAll('li'), (li) => li.textContent!.replace(/\s+/g, ' ').trim())]),
    )) as [string, string, string, string[]][];
    expect(shown).toEqual(plan.changes.map((c) => [String(c.row), c.key, 'Updated', fieldTexts(c.fields)]));
    expect(shown.find((r) => r[1] === 'Aya (Cohere Labs)')![3]).toEqual(['Licence family: empty → Creative Commons', 'Contributors: empty → 3000']);
    expect(shown.find((r) => r[1] === 'Ling & CodeFuse (Ant Group)')![3]).toEqual(['Licence family: empty → MIT']); // its empty cell sets nothing
    await screenshot(page, 'cases-import-preview');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);

    // Overriding a type plans again at once: counts are not yes/no values; back to the detected type
    const contributorsType = dialog().getByRole('combobox', { name: 'Type of the new attribute from column “Contributors”' });
    await contributorsType.selectOption('boolean');
    await dialog().getByRole('heading', { name: /^\d+ problems? to correct before importing$/ }).waitFor();
    expect(await dialog().locator('.sheet-import-problems li').first().textContent()).toMatch(/^row 2, column “Contributors”: /);
    expect(await dialog().getByRole('button', { name: 'Import', exact: true }).isDisabled()).toBe(true);
    await contributorsType.selectOption('number');
    await dialog().locator('.sheet-import-problems').waitFor({ state: 'detached' });

    await dialog().getByRole('button', { name: 'Import', exact: true }).click();
    await dialog().waitFor({ state: 'detached' });
    await page.getByRole('status').getByText('Imported: 14 cases updated, 2 new attributes').waitFor();

    // The database holds exactly the plan's records
    const after = await dump(page);
    const family = after.attributes.find((a) => a.name === 'Licence family')!;
    const count = after.attributes.find((a) => a.name === 'Contributors')!;
    expect(family).toMatchObject({ type: 'category', values: sheet.columns[1]!.detected.categories });
    expect(count.type).toBe('number');
    const rowsOfFile = Papa.parse<string[]>(readFileSync(file, 'utf8').trim(), { skipEmptyLines: true }).data.slice(1);
    for (const [name, value, contributorsText] of rowsOfFile) {
      const kase = after.cases.find((c) => c.name === name)!;
      expect(kase.attributes[family.id], name).toBe(value);
      expect(kase.attributes[count.id] ?? null, name).toBe(contributorsText === '' ? null : Number(contributorsText));
    }

    // The cases table shows the new columns with the file's values
    await casesGrid().getByRole('button', { name: 'Licence family', exact: true }).waitFor();
    const table = await casesTable();
    const familyAt = table.header.indexOf('Licence family');
    const countAt = table.header.indexOf('Contributors');
    expect(familyAt).toBeGreaterThan(0);
    const aya = table.rows.find((r) => r[0] === 'Aya (Cohere Labs)')!;
    expect([aya[familyAt], aya[countAt]]).toEqual(['Creative Commons', (3000).toLocaleString('en-US')]);
    await casesGrid().getByRole('button', { name: 'Licence family', exact: true }).scrollIntoViewIfNeeded();
    await screenshot(page, 'cases-import-done');

    // …and the attribute × code matrix groups the cases by it
    await page.keyboard.press('Alt+6');
    await page.getByRole('heading', { level: 1, name: 'Matrices' }).waitFor();
    await page.getByRole('tab', { name: 'Attributes × codes' }).click();
    await page.getByRole('combobox', { name: 'Group cases by' }).selectOption({ label: 'Licence family' });
    const grid = page.getByRole('grid', { name: /Licence family × codes/ });
    await grid.waitFor();
    const labels = await grid.locator('tbody th[scope=row]').allTextContents();
    for (const value of family.values) {
      const size = after.cases.filter((c) => c.attributes[family.id] === value).length;
      expect(labels).toContain(size > 1 ? `${value} (${size})` : value);
    }
    await screenshot(page, 'cases-import-matrix');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);

    // One Ctrl+Z takes the whole import back
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Control+z');
    await page.getByRole('status').getByText('Undone: Import case attributes from “case-attributes.csv”').waitFor();
    await expect.poll(async () => comparable(await dumpDatabase(page))).toEqual(comparable(before as unknown as Record<string, unknown[]>));
    await page.keyboard.press('Control+Shift+z');
    await page.getByRole('status').getByText('Redone: Import case attributes from “case-attributes.csv”').waitFor();
    await expect.poll(async () => comparable(await dumpDatabase(page))).toEqual(comparable(after as unknown as Record<string, unknown[]>));
    await page.keyboard.press('Alt+2');
    await casesGrid().waitFor();
  });

  it('exports the cases table as CSV and Excel, row for row as the table shows it, and reads the CSV back as nothing to change', async () => {
    const d = await dump(page);
    const table = await casesTable();
    const csvDownload = await download('Export CSV');
    expect(csvDownload.suggestedFilename()).toBe('Open-LLM-collaboration-demo-cases.csv');
    const csvPath = await csvDownload.path();
    const csv = Papa.parse<string[]>(readFileSync(csvPath, 'utf8'), { skipEmptyLines: true }).data;
    const [header, ...rows] = csv;
    expect(header!.slice(0, 2)).toEqual(['Case', 'Description']);
    expect(rows).toHaveLength(d.cases.length);

    // Every column the table and the file share holds the same values, case by case (the table groups digits: 1,500)
    const shared = table.header.filter((h) => header!.includes(h));
    expect(shared).toEqual(['Case', ...[...d.attributes].sort((a, b) => a.order - b.order).map((a) => a.name)]);
    const numeric = new Set(d.attributes.filter((a) => a.type === 'number').map((a) => a.name));
    const fromTable = new Map(table.rows.map((r) => [r[0], shared.map((h) => r[table.header.indexOf(h)]!)]));
    for (const row of rows) {
      const inFile = shared.map((h) => row[header!.indexOf(h)]!);
      const shown = fromTable.get(row[0])!.map((text, i) => (numeric.has(shared[i]!) ? text.replace(/,/g, '') : text));
      expect(inFile, row[0]).toEqual(shown);
    }
    // …and the openness columns are the cases' profiles
    const bloom = d.cases.find((c) => c.name === 'BLOOM & SmolLM (Hugging Face)')!;
    const bloomRow = rows.find((r) => r[0] === bloom.name)!;
    expect(OPENNESS_COMPONENTS.map((c) => bloomRow[header!.indexOf(OPENNESS_LABELS[c])])).toEqual(OPENNESS_COMPONENTS.map((c) => bloom.openness[c]));

    // The Excel workbook: one sheet, bold frozen header, the same rows (numbers as numbers)
    const xlsxDownload = await download('Export Excel');
    expect(xlsxDownload.suggestedFilename()).toBe('Open-LLM-collaboration-demo-cases.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync(await xlsxDownload.path()) as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['Cases']);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getRow(1).font?.bold).toBe(true);
    const cells: string[][] = [];
    sheet.eachRow({ includeEmpty: true }, (row) => cells.push(Array.from({ length: header!.length }, (_, c) => (row.getCell(c + 1).value === null ? '' : String(row.getCell(c + 1).value)))));
    expect(cells).toEqual(csv);
    const derivatives = header!.indexOf('Derivative models (approx.)');
    expect(typeof sheet.getRow(2).getCell(derivatives + 1).value).toBe('number');

    // The CSV read back into the same study changes nothing
    const before = await dumpDatabase(page);
    await choose(csvPath);
    await dialog().getByText('Nothing to import: the study already has every value of this file as it is.').waitFor();
    await dialog().getByText(`Cases: 0 to add, 0 to update, ${d.cases.length} unchanged; 0 new attributes.`).waitFor();
    expect(await dialog().getByRole('button', { name: 'Import', exact: true }).isDisabled()).toBe(true);
    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'detached' });
    expect(await dumpDatabase(page)).toEqual(before);
  });
  it('imports participants (dates written day first) through the Participants tab, creating the new ones, and exports the participant table', async () => {
    const before = await dump(page);
    const file = good('participants.csv');
    const sheet = readSheet('participants.csv', new Uint8Array(readFileSync(file)), 'participants');
    const existing = { studyId: before.cases[0]!.studyId, attributes: before.attributes, cases: before.cases, participants: before.participants };
    let n = 0;
    const plan = planSheetImport(sheet, defaultMappings(sheet, existing), existing, { createMissing: true, now: '2026-01-01T00:00:00.000Z', coderId: null, newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}` });
    expect(plan.problems).toEqual([]);
    const known = new Set(before.participants.map((p) => p.pseudonym));
    const fresh = sheet.rows.map((r) => r[0]!).filter((p) => !known.has(p));
    expect(plan.counts.created).toBe(fresh.length);

    await page.getByRole('tab', { name: 'Participants' }).click();
    const people = page.getByRole('grid', { name: 'Participants' });
    await people.waitFor();
    const participantsDialog = page.getByRole('dialog', { name: 'Import participants' });
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('group', { name: 'Spreadsheet exchange of the participant table' }).getByRole('button', { name: 'Import from spreadsheet…' }).click();
    await (await chooser).setFiles(file);
    await participantsDialog.waitFor();
    // participant columns map to participant fields; no attributes are offered
    expect(await participantsDialog.getByRole('combobox', { name: 'Import column “Interview date” as' }).inputValue()).toBe('field:interviewDate');
    expect(await participantsDialog.getByRole('combobox', { name: 'Import column “Case” as' }).locator('option').allTextContents()).toEqual(['Skip this column', 'Role', 'Organisation', 'Case', 'Interview date']);
    if (fresh.length > 0) {
      await participantsDialog.getByRole('heading', { name: /problems? to correct before importing$/ }).waitFor();
      await participantsDialog.getByRole('checkbox', { name: /Create new participants for unknown pseudonyms/ }).check();
      await participantsDialog.locator('.sheet-import-problems').waitFor({ state: 'detached' });
    }
    const changes = participantsDialog.getByRole('table', { name: /^What will change/ });
    const shown = (await changes.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('li'), (li) => li.textContent!.replace(/\s+/g, ' ').trim())))) as string[][];
    expect(shown).toEqual(plan.changes.map((c) => fieldTexts(c.fields)));
    await screenshot(page, 'cases-import-participants');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);
    await participantsDialog.getByRole('button', { name: 'Import', exact: true }).click();
    await participantsDialog.waitFor({ state: 'detached' });

    const after = await dump(page);
    expect(after.participants).toHaveLength(before.participants.length + fresh.length);
    const caseId = (name: string) => after.cases.find((c) => c.name === name)!.id;
    for (const [pseudonym, role, organisation, kase, date] of sheet.rows) {
      const [day, month, year] = date!.split('/');
      expect(after.participants.find((p) => p.pseudonym === pseudonym), pseudonym).toMatchObject({ role, organisation, caseId: caseId(kase!), interviewDate: `${year}-${month}-${day}` });
    }
    for (const pseudonym of fresh) await people.getByRole('rowheader', { name: pseudonym, exact: true }).waitFor();

    // The export is the participant table: one row per participant, the case by name
    const started = page.waitForEvent('download');
    await page.getByRole('group', { name: 'Spreadsheet exchange of the participant table' }).getByRole('button', { name: 'Export CSV' }).click();
    const exported = await started;
    expect(exported.suggestedFilename()).toBe('Open-LLM-collaboration-demo-participants.csv');
    const [header, ...rows] = Papa.parse<string[]>(readFileSync(await exported.path(), 'utf8'), { skipEmptyLines: true }).data;
    expect(header).toEqual(['Pseudonym', 'Role', 'Organisation', 'Case', 'Interview date']);
    expect(rows.map((r) => r[0]).sort()).toEqual(after.participants.map((p) => p.pseudonym).sort());
    const caseName = new Map(after.cases.map((c) => [c.id, c.name]));
    for (const p of after.participants) expect(rows.find((r) => r[0] === p.pseudonym)).toEqual([p.pseudonym, p.role, p.organisation, p.caseId === null ? '' : caseName.get(p.caseId), p.interviewDate]);
    await page.getByRole('tab', { name: 'Cases' }).click();
  });
  it('refuses a preview that went stale (a case changed meanwhile) with nothing written, previews again, and then imports', async () => {
    const d = await dump(page);
    const olmo = d.cases.find((c) => c.name === 'OLMo (AI2)')!;
    await choose(bad('cases-unknown-names.csv'));
    await dialog().getByRole('checkbox', { name: /Create new cases for unknown names/ }).check();
    await dialog().getByText(/^Cases: 2 to add/).waitFor();

    // Another change lands while the preview is open (here written straight into IndexedDB).
    await page.evaluate(
      ([id]) =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('cartography');
          open.onsuccess = () => {
            const tx = open.result.transaction('cases', 'readwrite');
            const store = tx.objectStore('cases');
            const get = store.get(id!);
            get.onsuccess = () => store.put({ ...get.result, description: 'Changed meanwhile.' });
            tx.oncomplete = () => (open.result.close(), resolve());
            tx.onerror = () => reject(tx.error);
          };
        }),
      [olmo.id],
    );
    const changed = await dumpDatabase(page);
    await dialog().getByRole('button', { name: 'Import', exact: true }).click();
    await dialog().getByRole('alert').getByText('The cases, attributes or participants changed after the preview was made, so nothing was imported. Look at the preview again and import once more.').waitFor();
    expect(await dumpDatabase(page)).toEqual(changed);
    await screenshot(page, 'cases-import-stale');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);
    // the preview was made again (the choices kept): Import now goes through
    expect(await dialog().getByRole('checkbox', { name: /Create new cases for unknown names/ }).isChecked()).toBe(true);
    await dialog().getByRole('button', { name: 'Import', exact: true }).click();
    await dialog().waitFor({ state: 'detached' });
    await casesGrid().getByRole('link', { name: 'Falcon (TII)', exact: true }).waitFor();
    const after = await dump(page);
    expect(after.cases.map((c) => c.name).filter((n) => !d.cases.some((c) => c.name === n)).sort()).toEqual(['Bloom', 'Falcon (TII)']);
    expect(after.cases.find((c) => c.id === olmo.id)!.description).toBe('Changed meanwhile.');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Control+z');
    await casesGrid().getByRole('link', { name: 'Falcon (TII)', exact: true }).waitFor({ state: 'detached' });
    await expect.poll(async () => comparable(await dumpDatabase(page))).toEqual(comparable(changed));
  });
});
