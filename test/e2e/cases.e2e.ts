/**
 * The cases workspace in Chromium, on the demo study: editing a case attribute in the table
 * by keyboard (saved, then undone), a value that does not fit refused beside its cell with
 * nothing written, a new category attribute set on two cases and then grouping the
 * attributes × codes matrix, a case's openness changed in its detail page, and a
 * participant edited in place.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparable } from '../support/snapshot.ts';
import { axeViolations, dumpDatabase, findChromium, screenshot, seriousViolations, startSession, type Session } from './harness.ts';

const chromiumPath = findChromium();

interface Dump {
  cases: { id: string; name: string; attributes: Record<string, unknown>; openness: Record<string, string> }[];
  attributes: { id: string; name: string; type: string; values: string[] }[];
  participants: { id: string; pseudonym: string; role: string; caseId: string | null }[];
}

const dump = async (page: Page) => (await dumpDatabase(page)) as unknown as Dump;

describe.skipIf(!chromiumPath)('the cases workspace in Chromium', () => {
  let s: Session;
  let page: Page;
  let grid: Locator;

  /** The table cell of a case (by name) and a column (by header text). */
  const cell = async (table: Locator, rowName: string, column: string) => {
    const headers = (await table.locator('thead th').allTextContents()).map((t) => t.replace(/[⋯▲▼]/g, '').trim());
    const c = headers.indexOf(column);
    const rows = (await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.querySelector('[data-cell]')?.firstChild?.textContent ?? ''))).map((t) => t.trim());
    const r = rows.indexOf(rowName);
    expect(c, `column ${column} in ${headers.join(', ')}`).toBeGreaterThanOrEqual(0);
    expect(r, `row ${rowName} in ${rows.join(', ')}`).toBeGreaterThanOrEqual(0);
    return table.locator(`[data-cell="${r}:${c}"]`);
  };
  const activeCell = () => page.evaluate(() => document.activeElement?.getAttribute('data-cell') ?? null);
  const undo = async (label: string) => {
    await page.keyboard.press('Control+z');
    await page.getByRole('status').filter({ hasText: `Undone: ${label}` }).first().waitFor();
  };

  beforeAll(async () => {
    s = await startSession();
    page = s.page;
    await page.goto(s.url);
    await page.getByRole('heading', { level: 1, name: 'Open LLM collaboration (demo)' }).waitFor();
    await page.keyboard.press('Alt+2');
    await page.getByRole('heading', { level: 1, name: 'Cases' }).waitFor();
    grid = page.getByRole('grid', { name: 'Cases and their attributes' });
    await grid.waitFor();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('edits a number attribute by keyboard: Enter, type, Enter saves it; Ctrl+Z undoes it', async () => {
    const before = await dump(page);
    const attribute = before.attributes.find((a) => a.name === 'Derivative models (approx.)')!;
    const olmo = before.cases.find((c) => c.name === 'OLMo (AI2)')!;
    expect(olmo.attributes[attribute.id]).toBe(420);
    const target = await cell(grid, 'OLMo (AI2)', attribute.name);
    await target.focus();
    await page.keyboard.press('Enter');
    const editor = target.getByRole('textbox', { name: `${attribute.name} of OLMo (AI2)` });
    await expect.poll(() => editor.evaluate((e) => e === document.activeElement)).toBe(true);
    await page.keyboard.press('Control+a');
    await page.keyboard.type('512');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await dump(page)).cases.find((c) => c.id === olmo.id)!.attributes[attribute.id]).toBe(512);
    await expect.poll(() => target.textContent()).toBe('512');
    // The focus is back on the cell, so arrows keep moving through the table.
    expect(await activeCell()).toBe(await target.getAttribute('data-cell'));
    await screenshot(page, 'cases-table-edited');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);

    await undo('Set Derivative models (approx.) of OLMo (AI2)');
    await expect.poll(async () => (await dump(page)).cases.find((c) => c.id === olmo.id)!.attributes[attribute.id]).toBe(420);
    await expect.poll(() => target.textContent()).toBe('420');
  });

  it('refuses a value that does not fit the type, with the reason beside the cell, and writes nothing', async () => {
    const before = comparable(await dumpDatabase(page));
    const target = await cell(grid, 'OLMo (AI2)', 'Derivative models (approx.)');
    await target.focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+a');
    await page.keyboard.type('about 400');
    await page.keyboard.press('Enter');
    const problem = target.getByRole('alert');
    await expect.poll(() => problem.textContent()).toMatch(/^“about 400” is not a number, and “Derivative models \(approx\.\)” holds numbers\./);
    // The field stays open with the typed text, to correct it.
    expect(await target.getByRole('textbox').inputValue()).toBe('about 400');
    await screenshot(page, 'cases-table-refused');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);
    await page.keyboard.press('Escape');
    await expect.poll(() => target.textContent()).toBe('420');
    expect(await problem.count()).toBe(0);
    expect(comparable(await dumpDatabase(page))).toEqual(before);
  });

  it('adds a category attribute, sets it on two cases, and groups the attributes × codes matrix by it', async () => {
    await page.getByRole('button', { name: 'Add attribute…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add an attribute' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Governance');
    await dialog.getByRole('combobox', { name: 'Type' }).selectOption('category');
    await dialog.getByRole('textbox', { name: /Values, one per line/ }).fill('Foundation\nCompany\nCommunity');
    await screenshot(page, 'cases-add-attribute');
    await dialog.getByRole('button', { name: 'Add attribute' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(async () => (await dump(page)).attributes.find((a) => a.name === 'Governance')?.values).toEqual(['Foundation', 'Company', 'Community']);

    for (const [name, value] of [
      ['OLMo (AI2)', 'Foundation'],
      ['Bielik (SpeakLeash Foundation)', 'Community'],
    ] as const) {
      const target = await cell(grid, name, 'Governance');
      await target.focus();
      await page.keyboard.press('Enter');
      const select = target.getByRole('combobox', { name: `Governance of ${name}` });
      await select.selectOption(value);
      await page.keyboard.press('Enter');
      await expect.poll(() => target.textContent()).toBe(value);
    }
    const after = await dump(page);
    const governance = after.attributes.find((a) => a.name === 'Governance')!;
    expect(after.cases.filter((c) => governance.id in c.attributes).map((c) => [c.name, c.attributes[governance.id]]).sort()).toEqual([
      ['Bielik (SpeakLeash Foundation)', 'Community'],
      ['OLMo (AI2)', 'Foundation'],
    ]);

    // Filtering by the new category shows just its cases.
    await page.getByRole('combobox', { name: 'Governance' }).selectOption({ label: 'Foundation' });
    await expect.poll(() => grid.locator('tbody tr').count()).toBe(1);
    await page.getByRole('combobox', { name: 'Governance' }).selectOption({ label: 'Any' });

    await page.keyboard.press('Alt+6');
    await page.getByRole('heading', { level: 1, name: 'Matrices' }).waitFor();
    await page.getByRole('tab', { name: 'Attributes × codes' }).click();
    await page.getByRole('combobox', { name: 'Group cases by' }).selectOption({ label: 'Governance' });
    const matrix = page.getByRole('grid', { name: /Governance × codes/ });
    await matrix.waitFor();
    const labels = await matrix.locator('tbody th[scope=row]').allTextContents();
    expect(labels).toEqual(expect.arrayContaining(['Foundation', 'Company', 'Community', `(no value) (${after.cases.length - 2})`]));
    await screenshot(page, 'cases-governance-matrix');
    await page.keyboard.press('Alt+2');
    await grid.waitFor();
  });

  it('deletes an attribute in use from its header menu after saying how many cases have a value, and undo brings it back', async () => {
    const before = comparable(await dumpDatabase(page));
    const menuButton = grid.getByRole('button', { name: 'Options for attribute Governance' });
    await menuButton.focus();
    await page.keyboard.press('ArrowDown');
    const menu = page.getByRole('menu', { name: 'Attribute Governance' });
    await menu.waitFor();
    expect(await menu.getByRole('menuitem').allTextContents()).toEqual(['Rename…', 'Change type…', 'Edit values…', 'Move left', 'Move right', 'Delete…']);
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Delete attribute “Governance”?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('2 cases have a value of this attribute; they go with it.');
    await screenshot(page, 'cases-delete-attribute');
    await dialog.getByRole('button', { name: 'Delete attribute' }).click();
    await expect.poll(async () => (await dump(page)).attributes.some((a) => a.name === 'Governance')).toBe(false);
    await expect.poll(() => grid.getByRole('button', { name: 'Options for attribute Governance' }).count()).toBe(0);
    await grid.locator('[data-cell="0:0"]').focus();
    await undo('Delete attribute “Governance”');
    await expect.poll(async () => comparable(await dumpDatabase(page))).toEqual(before);
  });

  it('renames a category value in every case, refuses a type change naming the values that do not convert, and adds and renames a case', async () => {
    const openMenu = async (attribute: string, item: string) => {
      await grid.getByRole('button', { name: `Options for attribute ${attribute}` }).click();
      await page.getByRole('menu', { name: `Attribute ${attribute}` }).getByRole('menuitem', { name: item }).click();
    };
    const before = await dump(page);
    const region = before.attributes.find((a) => a.name === 'Region')!;
    const european = before.cases.filter((c) => c.attributes[region.id] === 'Europe').map((c) => c.id);
    await openMenu('Region', 'Edit values…');
    const values = page.getByRole('dialog', { name: 'Values of “Region”' });
    await values.getByRole('textbox', { name: `Value ${region.values.indexOf('Europe') + 1}` }).fill('Europe (EU/EEA)');
    await screenshot(page, 'cases-edit-values');
    await values.getByRole('button', { name: 'Save values' }).click();
    await values.waitFor({ state: 'detached' });
    await expect.poll(async () => (await dump(page)).cases.filter((c) => c.attributes[region.id] === 'Europe (EU/EEA)').map((c) => c.id)).toEqual(european);
    await undo('Edit values of “Region”');
    await expect.poll(async () => (await dump(page)).cases.filter((c) => c.attributes[region.id] === 'Europe').map((c) => c.id)).toEqual(european);

    const unchanged = comparable(await dumpDatabase(page));
    await openMenu('Licence class', 'Change type…');
    const retype = page.getByRole('dialog', { name: 'Change the type of “Licence class”' });
    await retype.getByRole('combobox', { name: 'Type' }).selectOption('number');
    await retype.getByRole('button', { name: 'Change type' }).click();
    await expect.poll(() => retype.getByRole('alert').textContent()).toMatch(/^“Licence class” cannot become a number attribute: the value of \d+ cases does not convert: .*“Permissive”/);
    await screenshot(page, 'cases-change-type-refused');
    await retype.getByRole('button', { name: 'Cancel' }).click();
    expect(comparable(await dumpDatabase(page))).toEqual(unchanged);

    await page.getByRole('button', { name: 'Add case…' }).click();
    const add = page.getByRole('dialog', { name: 'Add a case' });
    await add.getByRole('textbox', { name: 'Name' }).fill('BLOOM (BigScience)');
    await add.getByRole('button', { name: 'Add case' }).click();
    await add.waitFor({ state: 'detached' });
    const name = await cell(grid, 'BLOOM (BigScience)', 'Case');
    await name.focus();
    await page.keyboard.press('F2');
    await page.keyboard.press('Control+a');
    await page.keyboard.type('BigScience BLOOM');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await dump(page)).cases.find((c) => c.name === 'BigScience BLOOM')?.openness['weights']).toBe('unknown');
    await undo('Rename case “BLOOM (BigScience)” to “BigScience BLOOM”');
    await undo('Add case “BLOOM (BigScience)”');
    expect(comparable(await dumpDatabase(page))).toEqual(unchanged);
  });

  it('opens a case, sets an artefact to partly open, and the profile shows it', async () => {
    await grid.getByRole('link', { name: 'Bielik (SpeakLeash Foundation)' }).click();
    await page.getByRole('heading', { level: 1, name: 'Bielik (SpeakLeash Foundation)' }).waitFor();
    const before = (await dump(page)).cases.find((c) => c.name === 'Bielik (SpeakLeash Foundation)')!;
    expect(before.openness['weights']).toBe('open');
    const visual = page.locator('.openness-summary [role=img]');
    expect(await visual.getAttribute('aria-label')).toContain('Weights: open;');
    await page.getByRole('group', { name: 'Weights' }).getByRole('radio', { name: 'Partly' }).check();
    await expect.poll(async () => (await dump(page)).cases.find((c) => c.id === before.id)!.openness['weights']).toBe('partial');
    await expect.poll(() => visual.getAttribute('aria-label')).toContain('Weights: partly open;');
    expect(await visual.locator('.openness-mark').first().getAttribute('class')).toContain('level-partial');
    expect((await dump(page)).cases.find((c) => c.id === before.id)!.openness).toEqual({ ...before.openness, weights: 'partial' });
    await screenshot(page, 'cases-detail');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);
    await undo('Set weights of Bielik (SpeakLeash Foundation) to partly open');
    await expect.poll(() => visual.getAttribute('aria-label')).toContain('Weights: open;');
  });

  it('deletes a case from its page after saying what stays unlinked, and undo restores everything', async () => {
    const before = comparable(await dumpDatabase(page));
    await page.getByRole('button', { name: 'Delete case…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete case “Bielik (SpeakLeash Foundation)”?' });
    await dialog.waitFor();
    expect((await dialog.textContent())!.replace(/\s+/g, ' ')).toContain('1 transcript, 1 participant and 1 network actor stay in the study, unlinked: they will belong to no case, and every coding is kept.');
    await screenshot(page, 'cases-delete-case');
    await dialog.getByRole('button', { name: 'Delete case' }).click();
    await page.getByRole('heading', { level: 1, name: 'Cases' }).waitFor();
    const after = await dump(page);
    expect(after.cases.some((c) => c.name === 'Bielik (SpeakLeash Foundation)')).toBe(false);
    expect(after.participants.find((p) => p.pseudonym === 'P02')).toMatchObject({ caseId: null });
    await grid.locator('[data-cell="0:0"]').focus();
    await undo('Delete case “Bielik (SpeakLeash Foundation)”');
    await expect.poll(async () => comparable(await dumpDatabase(page))).toEqual(before);
    await expect.poll(() => grid.getByRole('link', { name: 'Bielik (SpeakLeash Foundation)' }).count()).toBe(1);
  });

  it('edits a participant’s role in place and links to their transcripts', async () => {
    await page.getByRole('tab', { name: 'Participants' }).click();
    const table = page.getByRole('grid', { name: 'Participants' });
    await table.waitFor();
    const before = (await dump(page)).participants.find((p) => p.pseudonym === 'P02')!;
    const target = await cell(table, 'P02', 'Role');
    await target.focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+a');
    await page.keyboard.type('Foundation board member');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await dump(page)).participants.find((p) => p.id === before.id)!.role).toBe('Foundation board member');
    await expect.poll(() => target.textContent()).toBe('Foundation board member');
    const links = await cell(table, 'P02', 'Transcripts');
    expect(await links.getByRole('link').count()).toBeGreaterThan(0);
    expect(await links.getByRole('link').first().getAttribute('href')).toMatch(/#\/study\/[^/]+\/coding\/[0-9a-f-]{36}$/);
    await screenshot(page, 'cases-participants');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);
  });
});
