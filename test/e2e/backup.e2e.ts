/**
 * Backups in the browser build: Download backup (Ctrl+S) saves the open study as a file;
 * Restore from backup… reads a chosen file, previews it, and replaces the study with it.
 * A bad file is refused with its problems and changes nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { comparable } from '../support/snapshot.ts';
import { axeViolations, dragSelect, dumpDatabase, findChromium, REPO, screenshot, seriousViolations, startSession, type Session } from './harness.ts';

const chromiumPath = findChromium();
if (!chromiumPath) console.warn('\n!!! No Chromium found (set CHROMIUM_PATH or install Debian\'s chromium): the backup end-to-end tests are SKIPPED. !!!\n');

const DEMO = 'Open LLM collaboration (demo)';
const DOC = 'Interview P01 — OLMo';

async function overviewCodings(page: Page): Promise<number> {
  await page.keyboard.press('Alt+1');
  const dd = page.locator('dl[aria-label="Study at a glance"] dt', { hasText: /^Codings$/ }).locator('xpath=following-sibling::dd');
  await expect.poll(async () => /^\d+$/.test((await dd.textContent()) ?? '')).toBe(true);
  return Number(await dd.textContent());
}

async function codeFromPalette(page: Page, phrase: string, code: string) {
  await page.keyboard.press('Alt+4');
  await page.getByRole('combobox', { name: 'Transcript' }).selectOption({ label: DOC });
  await page.locator('.transcript mark.coded').first().waitFor();
  await dragSelect(page, phrase);
  await page.getByRole('button', { name: /Apply code/ }).click();
  const palette = page.getByRole('dialog', { name: /Apply a code/ });
  await palette.getByRole('combobox', { name: 'Find a code' }).fill(code);
  await page.keyboard.press('Enter');
  await palette.waitFor({ state: 'detached' });
}

async function saveMatrixView(page: Page, name: string) {
  await page.keyboard.press('Alt+6');
  await page.getByRole('tab', { name: 'Cases × codes' }).click();
  await page.getByRole('textbox', { name: 'Save this view as' }).fill(name);
  await page.getByRole('button', { name: 'Save view' }).click();
  await page.getByRole('combobox', { name: 'Saved view' }).locator('option', { hasText: name }).waitFor({ state: 'attached' });
}

async function savedViews(page: Page): Promise<string[]> {
  await page.keyboard.press('Alt+6');
  await page.getByRole('tab', { name: 'Cases × codes' }).click();
  const select = page.getByRole('combobox', { name: 'Saved view' });
  await select.waitFor();
  return (await select.locator('option').allTextContents()).filter((o) => !/^(Choose a view…|None saved yet)$/.test(o.trim()));
}

async function openRestore(page: Page) {
  await page.getByRole('link', { name: 'Cartography — all studies' }).click();
  await page.getByRole('button', { name: 'Restore from backup…' }).click();
  return page.getByRole('dialog', { name: 'Restore from backup' });
}

async function chooseBackup(page: Page, file: string) {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('dialog', { name: 'Restore from backup' }).getByRole('button', { name: 'Choose a backup file…' }).click();
  await (await chooser).setFiles(file);
}

/** The study's own settings (keyed ":<studyId>"): saved views and the like. */
const studySettings = (dump: Record<string, unknown[]>, studyId: string) => (dump['settings'] as { key: string }[]).filter((s) => s.key.endsWith(`:${studyId}`));

describe.skipIf(!chromiumPath)('backups in Chromium (browser build)', () => {
  let s: Session;
  let page: Page;
  const downloads = mkdtempSync(path.join(os.tmpdir(), 'cartography-backups-e2e-'));
  let backupFile = '';
  let atBackup: Record<string, unknown[]> = {};
  let codingsAtBackup = 0;
  let studyId = '';

  beforeAll(async () => {
    s = await startSession();
    page = s.page;
    await page.goto(s.url);
    await page.getByRole('heading', { level: 1, name: DEMO }).waitFor();
    studyId = /#\/study\/([^/]+)/.exec(page.url())![1]!;
  });
  afterAll(async () => {
    await s?.close();
    rmSync(downloads, { recursive: true, force: true });
  });

  it('downloads a backup of the changed demo study with Ctrl+S, its saved view included', async () => {
    const before = await overviewCodings(page);
    await codeFromPalette(page, 'data mixtures, loss spikes', 'Technical exp');
    await saveMatrixView(page, 'Backup view');
    codingsAtBackup = await overviewCodings(page);
    expect(codingsAtBackup).toBe(before + 1);

    const download = page.waitForEvent('download');
    await page.keyboard.press('Control+s');
    const d = await download;
    expect(d.suggestedFilename()).toMatch(/^Open-LLM-collaboration-demo-backup-\d{4}-\d{2}-\d{2}-\d{4}\.cartography\.json$/);
    backupFile = path.join(downloads, d.suggestedFilename());
    await d.saveAs(backupFile);
    atBackup = await dumpDatabase(page);
    const file = JSON.parse(await readFile(backupFile, 'utf8')) as { study: { id: string }; settings: Record<string, { name: string }[]> };
    expect(file.study.id).toBe(studyId);
    expect(file.settings['matrix-views']!.map((v) => v.name)).toEqual(['Backup view']);
  });

  it('restores the study as it was at backup time, through a preview of the file', async () => {
    await codeFromPalette(page, 'loss spikes and, lately', 'Data work');
    await saveMatrixView(page, 'Later view');
    expect(await overviewCodings(page)).toBe(codingsAtBackup + 1);

    const dialog = await openRestore(page);
    await chooseBackup(page, backupFile);
    const preview = dialog.getByRole('region', { name: `“${DEMO}” in this backup` });
    await preview.waitFor();
    const count = (name: string) => preview.locator(`dd[data-count="${name}"]`).textContent();
    expect(await count('documents')).toBe('14');
    expect(await count('codes')).toBe('27');
    expect(await count('cases')).toBe('14');
    expect(await count('codings')).toBe(String(codingsAtBackup));
    expect(await count('memos')).toBe(String((atBackup['memos'] as { studyId: string }[]).filter((m) => m.studyId === studyId).length));
    expect(await preview.innerText()).toMatch(/1 saved setting|saved settings/);
    expect(await dialog.innerText()).toContain('undo history is cleared');
    await screenshot(page, 'backup-restore-preview');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);

    await dialog.getByRole('button', { name: `Replace “${DEMO}”` }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('heading', { level: 1, name: DEMO }).waitFor();
    expect(await overviewCodings(page)).toBe(codingsAtBackup);
    expect(await savedViews(page)).toEqual(['Backup view']);

    const after = await dumpDatabase(page);
    expect(comparable(after)).toEqual(comparable(atBackup));
    expect(studySettings(after, studyId)).toEqual(studySettings(atBackup, studyId));
  });

  it('refuses a truncated backup with the file’s problem and changes nothing', async () => {
    const before = await dumpDatabase(page);
    const dialog = await openRestore(page);
    await chooseBackup(page, path.join(REPO, 'fixtures/bad-input/truncated.cartography.json'));
    const alert = dialog.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/truncated\.cartography\.json cannot be restored; nothing was changed\.[\s\S]*\(file\): is not JSON/);
    // Nothing to restore: only Cancel.
    expect(await dialog.getByRole('button', { name: /Replace|Restore as a copy/ }).count()).toBe(0);
    await screenshot(page, 'backup-restore-refused');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await dumpDatabase(page)).toEqual(before);
  });

  it('explains backups in the browser in the Backups settings', async () => {
    await page.getByRole('button', { name: 'Backups…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Backups' });
    expect(await dialog.innerText()).toContain('A browser has no backups folder');
    await screenshot(page, 'backup-settings');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);
    await dialog.getByRole('button', { name: 'Close' }).click();
    expect(s.requests.filter((url) => !url.startsWith(s.url) && !url.startsWith('blob:') && !url.startsWith('data:'))).toEqual([]);
  });
});
