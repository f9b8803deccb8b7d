import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations, findChromium, REPO, screenshot, seriousViolations, startSession, type Session } from './harness.ts';

const chromiumPath = findChromium();
if (!chromiumPath) {
  console.warn('\n!!! No Chromium found (set CHROMIUM_PATH or install Debian\'s chromium): the end-to-end tests are SKIPPED. !!!\n');
}

const AREAS = ['Overview', 'Cases', 'Documents', 'Coding', 'Codebook', 'Matrices', 'Maps', 'Reports', 'Search', 'Agreement'] as const;
const DEMO_NAME = 'Open LLM collaboration (demo)';

async function openStudyList(page: Page) {
  await page.getByRole('link', { name: 'Cartography — all studies' }).click();
  await page.getByRole('heading', { level: 1, name: 'Studies' }).waitFor();
  await page.locator('table.study-table').waitFor();
}

function studyRow(page: Page, name: string) {
  return page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${name.replace(/[()]/g, '\\$&')}`) }) });
}

async function importFile(page: Page, file: string) {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import study…' }).click();
  await (await chooser).setFiles(file);
}

describe.skipIf(!chromiumPath)('Cartography in Chromium', () => {
  let s: Session;
  beforeAll(async () => {
    s = await startSession();
    await s.page.goto(s.url);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('opens on the demo study, which shows its 14 cases', async () => {
    const { page } = s;
    await page.getByRole('heading', { level: 1, name: DEMO_NAME }).waitFor();
    const cases = page.getByRole('table', { name: 'Cases' }).locator('tbody tr');
    await expect.poll(() => cases.count()).toBe(14);
    expect(await page.getByRole('term').filter({ hasText: 'Cases' }).locator('xpath=following-sibling::dd').textContent()).toBe('14');
  });

  for (const area of AREAS) {
    it(`opens the ${area} area with content, a screenshot and no serious accessibility violations`, async () => {
      const { page } = s;
      await page.getByRole('navigation', { name: 'Study areas' }).getByRole('link', { name: new RegExp(`^${area}`) }).click();
      await page.getByRole('main', { name: new RegExp(`^${area} — `) }).waitFor();
      await page.locator('[aria-busy="true"]').waitFor({ state: 'detached' });
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      // The demo study fills every area: no empty state anywhere.
      expect(await page.locator('.empty-state').count()).toBe(0);
      await screenshot(page, `area-${area.toLowerCase()}`);
      expect(seriousViolations(await axeViolations(page))).toEqual([]);
    });
  }

  it('shows each area’s real content from the demo study', async () => {
    const { page } = s;
    const go = (area: string) => page.getByRole('navigation', { name: 'Study areas' }).getByRole('link', { name: new RegExp(`^${area}`) }).click();
    await go('Cases');
    await expect.poll(() => page.getByRole('grid', { name: 'Cases and their attributes' }).locator('tbody tr').count()).toBe(14);
    await go('Documents');
    await expect.poll(() => page.getByRole('table', { name: 'Transcripts' }).locator('tbody tr').count()).toBe(14);
    await go('Coding');
    await page.locator('.transcript mark.coded').first().waitFor();
    expect(await page.locator('.transcript mark.coded').count()).toBeGreaterThan(3);
    await go('Codebook');
    const tree = page.getByRole('tree', { name: /Codebook/ });
    for (const stage of ['Pre-training', 'Post-training', 'Post-release']) {
      await tree.getByRole('treeitem', { name: stage, exact: true }).waitFor();
    }
    await tree.locator('[role=treeitem][aria-level="3"]').first().click();
    await page.getByRole('region', { name: 'Code definition' }).getByRole('textbox', { name: 'Full definition' }).waitFor();
    expect(await page.getByRole('region', { name: 'Code definition' }).getByRole('textbox', { name: 'Full definition' }).inputValue()).not.toBe('');
    await screenshot(page, 'codebook-detail');
    await go('Matrices');
    const grid = page.getByRole('grid', { name: /Cases × codes/ });
    await expect.poll(() => grid.locator('tbody tr').count()).toBe(14);
    const totals = await grid.locator('tfoot td.total').allTextContents();
    expect(totals.length).toBeGreaterThan(20);
    expect(totals.map(Number).every((n) => n > 0)).toBe(true);
  });

  it('filters the document list by case, participant and stage coverage, with progress per document', async () => {
    const { page } = s;
    await page.keyboard.press('Alt+3');
    const rows = page.getByRole('table', { name: 'Transcripts' }).locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(14);
    await page.getByRole('combobox', { name: 'Case' }).selectOption({ label: 'OLMo (AI2)' });
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().getByRole('img').getAttribute('aria-label')).toMatch(/^\d+% of the text coded$/);
    await page.getByRole('combobox', { name: 'Case' }).selectOption({ label: 'All cases' });
    await page.getByRole('combobox', { name: 'Participant' }).selectOption({ label: 'P03' });
    await expect.poll(() => rows.count()).toBe(1);
    await page.getByRole('combobox', { name: 'Participant' }).selectOption({ label: 'All participants' });
    await page.getByRole('combobox', { name: 'Stage coverage' }).selectOption({ label: 'Coded for Post-release' });
    const withPostRelease = await rows.count();
    await page.getByRole('combobox', { name: 'Stage coverage' }).selectOption({ label: 'Not yet coded for Post-release' });
    const withoutPostRelease = await rows.count();
    expect(withPostRelease + withoutPostRelease).toBe(14);
    expect(withPostRelease).toBeGreaterThan(0);
    await page.getByRole('combobox', { name: 'Stage coverage' }).selectOption({ label: 'Any' });
    await screenshot(page, 'documents-filters');
  });

  it('retrieves the segments behind a stage and kind, matching the matrix, and jumps into the transcript', async () => {
    const { page } = s;
    await page.keyboard.press('Alt+6');
    await page.getByRole('tab', { name: 'Stages × kinds' }).click();
    const totals = page.getByRole('table', { name: 'Challenges and on-ramps per case and stage' }).locator('tfoot td.num');
    await totals.first().waitFor();
    const postReleaseOnRamps = (await totals.allTextContents()).map(Number)[5]!;

    await page.keyboard.press('Alt+9');
    await page.getByRole('combobox', { name: 'Stage' }).selectOption({ label: 'Post-release' });
    await page.getByRole('combobox', { name: 'Kind' }).selectOption({ label: 'On-ramp' });
    const items = page.getByRole('list', { name: 'Retrieved segments' }).getByRole('listitem');
    await expect.poll(() => items.count()).toBe(postReleaseOnRamps);
    await screenshot(page, 'retrieve-stage-kind');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);

    await page.getByRole('combobox', { name: 'Code' }).selectOption({ label: 'Compute partnerships' });
    await expect.poll(() => page.getByRole('status').filter({ hasText: /segments from 1 code/ }).count()).toBe(1);
    const first = items.first();
    const quoted = (await first.locator('mark').textContent())!;
    await first.getByRole('link', { name: 'Open in transcript' }).click();
    const panel = page.getByRole('complementary', { name: 'Coding tools' });
    await panel.getByText('Selected coding').waitFor();
    expect(await panel.locator('.selected-coding .code-chip').textContent()).toBe('Compute partnerships');
    expect(await panel.locator('.selected-coding q').textContent()).toBe(quoted.length > 200 ? `${quoted.slice(0, 200)}…` : quoted);
  });

  it('exports the codebook as CSV, Markdown and a REFI-QDA codebook that validates', async () => {
    const { page } = s;
    await page.keyboard.press('Alt+5');
    const exports = page.getByRole('group', { name: 'Export the codebook' });
    const fetch = async (label: string) => {
      const download = page.waitForEvent('download');
      await exports.getByRole('button', { name: label }).click();
      const d = await download;
      return { name: d.suggestedFilename(), file: (await d.path())!, text: await readFile((await d.path())!, 'utf8') };
    };
    const csv = await fetch('CSV');
    expect(csv.name).toBe('Open-LLM-collaboration-demo-codebook.csv');
    expect(csv.text.split('\r\n')[0]).toMatch(/^id,parent,path,name,color,stage,kind,mode,status/);
    expect(csv.text).toContain('Secrecy of training techniques');
    const md = await fetch('Markdown');
    expect(md.text.split('\n')[0]).toBe('# Codebook: Open LLM collaboration \\(demo\\)'); // Markdown syntax in names is escaped
    // an example taken from a coded segment is attributed to its transcript
    expect(md.text).toContain('— Interview P05 — Lugha Llama & AfroBench');
    const qdc = await fetch('REFI-QDA (.qdc)');
    expect(qdc.text).toContain('xmlns="urn:QDA-XML:codebook:1.0"');
    expect((qdc.text.match(/<Code /g) ?? []).length).toBe(27);
    const { spawnSync } = await import('node:child_process');
    const lint = spawnSync('xmllint', ['--noout', '--schema', path.join(REPO, 'test/refi/Codebook.xsd'), qdc.file], { encoding: 'utf8' });
    if (lint.error) console.warn('xmllint is not installed: the exported .qdc was not validated');
    else expect(lint.status, lint.stderr).toBe(0);
  });

  it('switches areas with Alt+number from the keyboard', async () => {
    const { page } = s;
    await page.keyboard.press('Alt+5');
    await page.getByRole('main', { name: /^Codebook — / }).waitFor();
    await page.keyboard.press('Alt+1');
    await page.getByRole('main', { name: /^Overview — / }).waitFor();
  });

  it('creates, renames, duplicates and deletes a study (delete asks first)', async () => {
    const { page } = s;
    await openStudyList(page);
    await screenshot(page, 'study-list');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);

    await page.getByRole('button', { name: 'New study' }).click();
    const dialog = page.getByRole('dialog', { name: 'New study' });
    await dialog.getByRole('button', { name: 'Create study' }).click();
    await dialog.getByText('Give the study a name.').waitFor();
    await dialog.getByLabel('Study name').fill('Field study 2026');
    await dialog.getByLabel('Your name as coder').fill('Ana');
    await screenshot(page, 'new-study-dialog');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Field study 2026' }).waitFor();
    // the default start: the open LLM collaboration codebook, without the demo's cases or transcripts
    const stat = (label: string) => page.getByRole('term').filter({ hasText: new RegExp(`^${label}$`) }).locator('xpath=following-sibling::dd');
    await expect.poll(() => stat('Codes').textContent()).toBe('27');
    expect(await stat('Cases').textContent()).toBe('0');
    await page.getByRole('navigation', { name: 'Study areas' }).getByRole('link', { name: /^Documents/ }).click();
    await page.getByRole('heading', { name: 'No transcripts yet' }).waitFor();
    await screenshot(page, 'empty-documents');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);

    await openStudyList(page);
    await studyRow(page, 'Field study 2026').getByRole('button', { name: 'Rename' }).click();
    const rename = page.getByRole('dialog', { name: 'Rename study' });
    await rename.getByLabel('Study name').fill('Field study, renamed');
    await rename.getByRole('button', { name: 'Rename' }).click();
    await studyRow(page, 'Field study, renamed').waitFor();

    await studyRow(page, DEMO_NAME).getByRole('button', { name: 'Duplicate' }).click();
    const copy = studyRow(page, `${DEMO_NAME} (copy)`);
    await copy.waitFor();
    expect(await copy.locator('td').first().textContent()).toBe('14');

    await copy.getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: `Delete “${DEMO_NAME} (copy)”?` });
    await confirm.getByText(/14 cases, 14 documents/).waitFor();
    await screenshot(page, 'delete-confirmation');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await copy.waitFor();
    await copy.getByRole('button', { name: 'Delete' }).click();
    await confirm.getByRole('button', { name: 'Delete study' }).click();
    await copy.waitFor({ state: 'detached' });
    const names = await page.getByRole('rowheader').allTextContents();
    // studies are listed by name
    expect(names.map((n) => n.replace(/Demo$/, ''))).toEqual(['Field study, renamed', DEMO_NAME]);
  });

  it('starts a study with no codes, or with a copy of another study’s codebook', async () => {
    const { page } = s;
    await openStudyList(page);
    const stat = (label: string) => page.getByRole('term').filter({ hasText: new RegExp(`^${label}$`) }).locator('xpath=following-sibling::dd');
    await page.getByRole('button', { name: 'New study' }).click();
    let dialog = page.getByRole('dialog', { name: 'New study' });
    await dialog.getByLabel('Study name').fill('Blank codebook');
    await dialog.getByRole('radio', { name: /No codes/ }).check();
    await dialog.getByRole('button', { name: 'Create study' }).click();
    await page.getByRole('heading', { level: 1, name: 'Blank codebook' }).waitFor();
    await expect.poll(() => stat('Codes').textContent()).toBe('0');

    await openStudyList(page);
    await page.getByRole('button', { name: 'New study' }).click();
    dialog = page.getByRole('dialog', { name: 'New study' });
    await dialog.getByLabel('Study name').fill('Copied codebook');
    await dialog.getByRole('radio', { name: /codebook of another study/ }).check();
    await dialog.getByRole('combobox', { name: 'Study to copy the codebook from' }).selectOption({ label: DEMO_NAME });
    await screenshot(page, 'new-study-copy-codebook');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);
    await dialog.getByRole('button', { name: 'Create study' }).click();
    await page.getByRole('heading', { level: 1, name: 'Copied codebook' }).waitFor();
    await expect.poll(() => stat('Codes').textContent()).toBe('27');
    for (const name of ['Blank codebook', 'Copied codebook']) {
      await openStudyList(page);
      await studyRow(page, name).getByRole('button', { name: 'Delete' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete study' }).click();
      await studyRow(page, name).waitFor({ state: 'detached' });
    }
  });

  it('switches studies from the study switcher', async () => {
    const { page } = s;
    await studyRow(page, DEMO_NAME).getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: DEMO_NAME }).waitFor();
    const switcher = page.getByLabel('Study', { exact: true });
    await switcher.selectOption({ label: 'Field study, renamed' });
    await page.getByRole('heading', { level: 1, name: 'Field study, renamed' }).waitFor();
  });

  it('refuses bad study files with a clear message and changes nothing', async () => {
    const { page } = s;
    await openStudyList(page);
    const before = await page.locator('table.study-table').innerText();
    const cases: [string, RegExp][] = [
      ['truncated.cartography.json', /truncated\.cartography\.json was not imported; nothing was changed\.[\s\S]*is not JSON/],
      ['dangling-references.cartography.json', /participants\[0\]\.case: refers to case "c7"[\s\S]*codings\[0\]\.quote/],
      ['not-a-study.txt', /not-a-study\.txt was not imported[\s\S]*is not JSON/],
      ['binary.cartography.json', /binary\.cartography\.json was not imported[\s\S]*is not UTF-8 text/],
    ];
    for (const [file, message] of cases) {
      await importFile(page, path.join(REPO, 'fixtures/bad-input', file));
      const alert = page.getByRole('alert').filter({ hasText: file });
      await alert.waitFor();
      expect(await alert.innerText()).toMatch(message);
      if (file.startsWith('dangling')) await screenshot(page, 'import-error');
      await alert.getByRole('button', { name: 'Dismiss message' }).click();
    }
    expect(await page.locator('table.study-table').innerText()).toBe(before);
  });

  it('exports a study file that imports back, as a copy when the study is already here', async () => {
    const { page } = s;
    const download = page.waitForEvent('download');
    await studyRow(page, 'Field study, renamed').getByRole('button', { name: 'Export' }).click();
    const file = await (await download).path();
    const exported = JSON.parse(await readFile(file, 'utf8'));
    expect(exported.format).toBe('cartography-study');
    expect(exported.study.name).toBe('Field study, renamed');
    const named = path.join(path.dirname(file), 'field-study.cartography.json');
    await (await import('node:fs/promises')).copyFile(file, named);
    await importFile(page, named);
    const dialog = page.getByRole('dialog', { name: 'This study is already here' });
    await dialog.getByRole('button', { name: 'Import as a copy' }).click();
    await page.getByRole('heading', { level: 1, name: 'Field study, renamed (copy)' }).waitFor();
    await openStudyList(page);
    expect((await page.getByRole('rowheader').allTextContents()).filter((n) => n.startsWith('Field study, renamed'))).toEqual(['Field study, renamed', 'Field study, renamed (copy)']);
  });

  it('resets the demo study after it was deleted', async () => {
    const { page } = s;
    await studyRow(page, DEMO_NAME).getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete study' }).click();
    await studyRow(page, DEMO_NAME).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Reset demo study' }).click();
    await page.getByRole('dialog', { name: 'Reset the demo study?' }).getByRole('button', { name: 'Reset demo study' }).click();
    await page.getByRole('heading', { level: 1, name: DEMO_NAME }).waitFor();
    await expect.poll(() => page.getByRole('table', { name: 'Cases' }).locator('tbody tr').count()).toBe(14);
  });

  it('keeps the demo after a reload and reopens the last study', async () => {
    const { page } = s;
    await page.goto(s.url);
    await page.getByRole('heading', { level: 1, name: DEMO_NAME }).waitFor();
  });

  it('made no request outside its own origin', () => {
    const origin = new URL(s.url).origin;
    const outside = s.requests.filter((u) => !u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:'));
    expect(outside).toEqual([]);
  });
});
