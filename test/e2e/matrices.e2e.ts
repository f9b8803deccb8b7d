/**
 * Comparison matrices in Chromium on the demo study: the case × code matrix against counts
 * made from the database itself, switching the metric, collapsing a stage (a union, not a
 * sum), grouping by a case attribute and comparing two groups, drilling into a cell and
 * opening a segment in its transcript, the other views, saved views, and the CSV export.
 */
import { readFile } from 'node:fs/promises';
import Papa from 'papaparse';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, dumpDatabase, findChromium, screenshot, seriousViolations, startSession, type Session } from './harness.ts';

const chromiumPath = findChromium();

interface Db {
  cases: { id: string; name: string; attributes: Record<string, unknown> }[];
  attributes: { id: string; name: string }[];
  documents: { id: string; title: string; caseId: string | null }[];
  codes: { id: string; name: string; stageId: string | null; parentId: string | null }[];
  stages: { id: string; name: string }[];
  segments: { id: string; documentId: string; codings: { codeId: string }[] }[];
}

/** Distinct segments of a case's documents carrying any of the codes: the expected "coded segments" cell. */
function expectedSegments(db: Db, caseId: string, codeIds: string[]): number {
  const docs = new Set(db.documents.filter((d) => d.caseId === caseId).map((d) => d.id));
  return db.segments.filter((s) => docs.has(s.documentId) && s.codings.some((c) => codeIds.includes(c.codeId))).length;
}

describe.skipIf(!chromiumPath)('comparison matrices in Chromium', () => {
  let s: Session;
  let page: Page;
  let db: Db;
  let grid: Locator;
  const cellText = (row: number, column: number) => grid.locator(`[data-cell="${row}:${column}"]`).textContent();

  beforeAll(async () => {
    s = await startSession();
    page = s.page;
    await page.goto(s.url);
    await page.getByRole('heading', { level: 1, name: 'Open LLM collaboration (demo)' }).waitFor();
    db = (await dumpDatabase(page)) as unknown as Db;
    await page.keyboard.press('Alt+6');
    await page.getByRole('heading', { level: 1, name: 'Matrices' }).waitFor();
    grid = page.getByRole('grid', { name: /Cases × codes/ });
    await grid.waitFor();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('builds the case × code matrix: every cell equals the coded segments counted from the database', async () => {
    const rows = await grid.locator('tbody th[scope=row]').allTextContents();
    expect(rows).toHaveLength(db.cases.length);
    const columnCount = await grid.locator('tbody tr').first().locator('td.cell').count();
    expect(columnCount).toBe(db.codes.length);
    const headers = await grid.locator('thead th.col-head').allTextContents();
    for (let r = 0; r < rows.length; r += 1) {
      const kase = db.cases.find((c) => c.name === rows[r])!;
      for (let c = 0; c < columnCount; c += 1) {
        const code = db.codes.find((x) => x.name === headers[c]!.replace(/[▲▼]/g, '').trim())!;
        const expected = expectedSegments(db, kase.id, [code.id]);
        expect(await cellText(r, c), `${kase.name} × ${code.name}`).toBe(expected === 0 ? '' : String(expected));
      }
    }
    await screenshot(page, 'matrices-case-by-code');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);
  });

  it('switches the metric, collapses a stage into one column counting the union, and sorts', async () => {
    await page.getByRole('combobox', { name: 'Cell' }).selectOption({ label: 'Presence (0/1)' });
    await expect.poll(async () => new Set(await grid.locator('tbody td.cell').allTextContents())).toEqual(new Set(['', '1']));
    await page.getByRole('combobox', { name: 'Cell' }).selectOption({ label: 'Coded segments' });

    const pre = db.stages.find((x) => x.name === 'Pre-training')!;
    const preCodes = db.codes.filter((c) => c.stageId === pre.id).map((c) => c.id);
    await grid.locator('th.stage-band').getByRole('button', { name: 'Pre-training' }).click();
    await expect.poll(() => grid.locator('tbody tr').first().locator('td.cell').count()).toBe(db.codes.length - preCodes.length + 1);
    const rows = await grid.locator('tbody th[scope=row]').allTextContents();
    for (let r = 0; r < rows.length; r += 1) {
      const kase = db.cases.find((c) => c.name === rows[r])!;
      const expected = expectedSegments(db, kase.id, preCodes);
      expect(await cellText(r, 0)).toBe(expected === 0 ? '' : String(expected));
    }
    // sort by the collapsed column, largest first
    await grid.locator('thead th.col-head').first().getByRole('button').click();
    const values = (await grid.locator('tbody tr td[data-cell$=":0"]').allTextContents()).map((t) => Number(t || 0));
    expect(values).toEqual([...values].sort((a, b) => b - a));
    await screenshot(page, 'matrices-collapsed-sorted');
    await grid.locator('th.stage-band').getByRole('button', { name: 'Pre-training' }).click();
    await expect.poll(() => grid.locator('tbody tr').first().locator('td.cell').count()).toBe(db.codes.length);
  });

  it('drills into a cell, reads its segments with case and participant, and opens one in its transcript', async () => {
    await grid.locator('[data-cell="0:0"]').focus();
    // find a non-empty cell with the keyboard: Right until one shows a number
    let column = 0;
    while (((await cellText(0, column)) ?? '') === '') {
      await page.keyboard.press('ArrowRight');
      column += 1;
    }
    const value = Number(await cellText(0, column));
    await page.keyboard.press('Enter');
    const drill = page.getByRole('region', { name: /segments?$/ }).or(page.locator('.drill-down'));
    await expect.poll(() => drill.locator('.drill-list > li').count()).toBe(value);
    expect(await drill.locator('h2').textContent()).toMatch(new RegExp(`: ${value} segments?$`));
    await screenshot(page, 'matrices-drill-down');
    const first = drill.locator('.drill-list > li').first();
    const title = (await first.locator('.drill-meta span').last().textContent())!;
    const quote = (await first.locator('blockquote').textContent())!;
    await first.getByRole('link', { name: 'Open in transcript' }).click();
    await page.locator('.transcript').waitFor();
    await expect.poll(() => page.locator('.transcript').textContent()).toContain(quote.slice(0, 40));
    expect(await page.getByRole('combobox', { name: /Transcript/ }).or(page.locator('h1, h2').filter({ hasText: title })).first().isVisible()).toBe(true);
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'Matrices' }).waitFor();
  });

  it('groups cases by an attribute, normalises by group size, and compares two groups', async () => {
    await page.getByRole('tab', { name: 'Attributes × codes' }).click();
    await page.getByRole('combobox', { name: 'Group cases by' }).selectOption({ label: 'Licence class' });
    const attr = db.attributes.find((a) => a.name === 'Licence class')!;
    const attrGrid = page.getByRole('grid', { name: /Licence class × codes/ });
    await attrGrid.waitFor();
    const labels = await attrGrid.locator('tbody th[scope=row]').allTextContents();
    for (const value of ['Permissive', 'Restrictive', 'Custom/gated']) {
      const size = db.cases.filter((c) => c.attributes[attr.id] === value).length;
      expect(labels).toContain(size > 1 ? `${value} (${size})` : value);
    }
    await page.getByRole('combobox', { name: 'Compare' }).selectOption({ label: 'Permissive' });
    await page.getByRole('combobox', { name: 'with' }).selectOption({ label: 'Restrictive' });
    await expect.poll(() => attrGrid.locator('tbody tr').count()).toBe(3);
    // the third row is the difference of the first two
    const row = async (r: number) => (await attrGrid.locator(`tbody tr:nth-child(${r + 1}) td.cell`).allTextContents()).map((t) => Number(t || 0));
    const [a, b, diff] = [await row(0), await row(1), await row(2)];
    diff.forEach((d, i) => expect(d).toBeCloseTo(a[i]! - b[i]!, 2));
    await screenshot(page, 'matrices-attribute-compare');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);
  });

  it('shows challenges and on-ramps per stage, and code co-occurrence', async () => {
    await page.getByRole('tab', { name: 'Stages × kinds' }).click();
    const table = page.getByRole('table', { name: 'Challenges and on-ramps per case and stage' });
    await expect.poll(() => table.locator('tbody tr').count()).toBe(db.cases.length);
    expect(await table.getByRole('img').count()).toBe(db.cases.length * db.stages.length);
    await screenshot(page, 'matrices-stage-kind');
    await page.getByRole('tab', { name: 'Co-occurrence' }).click();
    const co = page.getByRole('grid', { name: /Code co-occurrence/ });
    await expect.poll(() => co.locator('tbody tr').count()).toBe(db.codes.length);
    // the diagonal is each code's own number of segments
    const firstCode = (await co.locator('tbody th[scope=row]').first().textContent())!;
    const code = db.codes.find((c) => c.name === firstCode)!;
    const own = db.segments.filter((x) => x.codings.some((c) => c.codeId === code.id)).length;
    expect(await co.locator('[data-cell="0:0"]').textContent()).toBe(String(own));
    await screenshot(page, 'matrices-cooccurrence');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);
  });

  it('saves a view by name and reopens it', async () => {
    await page.getByRole('tab', { name: 'Cases × codes' }).click();
    await page.getByRole('combobox', { name: 'Rows' }).selectOption({ label: 'Documents' });
    await page.getByRole('combobox', { name: 'Cell' }).selectOption({ label: 'Words coded' });
    await page.getByRole('textbox', { name: 'Save this view as' }).fill('Words per document');
    await page.getByRole('button', { name: 'Save view' }).click();
    await page.getByRole('combobox', { name: 'Rows' }).selectOption({ label: 'Cases' });
    await page.getByRole('tab', { name: 'Co-occurrence' }).click();
    await page.getByRole('combobox', { name: 'Saved view' }).selectOption({ label: 'Words per document' });
    await expect.poll(() => page.getByRole('combobox', { name: 'Rows' }).inputValue()).toBe('document');
    expect(await page.getByRole('combobox', { name: 'Cell' }).inputValue()).toBe('words');
    expect(await page.getByRole('grid', { name: /Documents × codes/ }).locator('tbody tr').count()).toBe(db.documents.length);
  });

  it('exports the case × code matrix as CSV whose every number matches the database', async () => {
    await page.getByRole('combobox', { name: 'Rows' }).selectOption({ label: 'Cases' });
    await page.getByRole('combobox', { name: 'Cell' }).selectOption({ label: 'Coded segments' });
    const download = page.waitForEvent('download');
    await page.getByRole('group', { name: 'Export the matrix' }).getByRole('button', { name: 'CSV' }).click();
    const file = (await (await download).path())!;
    const parsed = Papa.parse<string[]>(await readFile(file, 'utf8'), { skipEmptyLines: true });
    const [header, ...rows] = parsed.data;
    expect(header![0]).toBe('case');
    const byId = new Map(db.codes.map((c) => [c.id, c]));
    const pathOf = (id: string): string => {
      const code = byId.get(id)!;
      return code.parentId ? `${pathOf(code.parentId)} > ${code.name}` : code.name;
    };
    const dataRows = rows.filter((r) => r[0] !== 'Total');
    expect(dataRows).toHaveLength(db.cases.length);
    for (const row of dataRows) {
      const kase = db.cases.find((c) => c.name === row[0])!;
      for (const code of db.codes) {
        const i = header!.indexOf(pathOf(code.id));
        expect(i, pathOf(code.id)).toBeGreaterThan(0);
        expect(Number(row[i]), `${kase.name} × ${code.name}`).toBe(expectedSegments(db, kase.id, [code.id]));
      }
    }
  });
});
