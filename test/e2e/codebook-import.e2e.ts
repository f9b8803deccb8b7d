/**
 * Importing a codebook in Chromium, on the demo study: the preview of a .qdc from another tool
 * (new codes, codes matched by name and by GUID, update or keep), the import as one change that
 * Ctrl+Z takes back, Cancel and Escape, the study's own CSV and .qdc exports read back as
 * nothing to change, a preview gone stale, and bad files refused with the file, the line or row
 * and what to do, the database unchanged each time.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeImport, describePlan, planCodebookImport, readCodebookFile, type ImportMode } from '../../shared/codebook/import-plan.ts';
import type { Code, Stage } from '../../shared/model/types.ts';
import { comparable } from '../support/snapshot.ts';
import { axeViolations, dumpDatabase, findChromium, REPO, screenshot, seriousViolations, startSession, type Session } from './harness.ts';

const chromiumPath = findChromium();
const refi = (name: string) => path.join(REPO, 'fixtures/refi', name);
const bad = (name: string) => path.join(REPO, 'fixtures/bad-input', name);

interface Dump {
  stages: Stage[];
  codes: Code[];
}
const dump = async (page: Page) => (await dumpDatabase(page)) as unknown as Dump & Record<string, unknown[]>;

/** What the planner makes of a file against the database as it is: the screen's expectations. */
function expected(d: Dump, file: string, mode: ImportMode) {
  const studyId = d.codes[0]!.studyId;
  let n = 0;
  const read = readCodebookFile(path.basename(file), new Uint8Array(readFileSync(file)), d.stages, { studyId, now: '2026-01-01T00:00:00.000Z', coderId: null, newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}` });
  expect(read.problems).toEqual([]);
  return planCodebookImport(d, read.codes, { mode, now: '2026-01-01T00:00:00.000Z', coderId: null, fileName: path.basename(file), carried: read.carried });
}

describe.skipIf(!chromiumPath)('importing a codebook in Chromium', () => {
  let s: Session;
  let page: Page;
  const dialog = () => page.getByRole('dialog', { name: 'Import codebook' });
  const tree = () => page.getByRole('tree', { name: /Codebook/ });
  const item = (name: string) => tree().getByRole('treeitem', { name: new RegExp(`^${name.replace(/[()]/g, '\\$&')}( draft| retired)?$`) });

  async function choose(file: string) {
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Import codebook…' }).focus();
    await page.keyboard.press('Enter'); // reachable from the keyboard
    await (await chooser).setFiles(file);
    await dialog().waitFor();
  }

  beforeAll(async () => {
    s = await startSession();
    page = s.page;
    await page.goto(s.url);
    await page.getByRole('heading', { level: 1, name: 'Open LLM collaboration (demo)' }).waitFor();
    await page.keyboard.press('Alt+5');
    await item('Compute partnerships').waitFor();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('previews a .qdc with new and matching codes, imports it as one change, lists the new codes, and Ctrl+Z takes it back', async () => {
    const before = await dump(page);
    const file = refi('demo-additions.qdc');
    const plan = expected(before, file, 'update');
    expect(plan.counts).toMatchObject({ added: 4, matched: 3, updated: 2 });

    await choose(file);
    await dialog().getByText('File: demo-additions.qdc').waitFor();
    await dialog().getByText(describePlan(plan), { exact: true }).waitFor();
    const added = dialog().getByRole('table', { name: 'Will be added (4)' });
    expect(await added.locator('tbody th').allTextContents()).toEqual(['Benchmarking › Leaderboards', 'Benchmarking › Evaluation harnesses', 'Hardware access', 'Hardware access › GPU grants']);
    expect(await added.locator('tbody tr').first().locator('td').first().textContent()).toBe('Post-release › On-ramp'); // under Benchmarking: its stage and kind
    const matched = dialog().getByRole('table', { name: 'Matches existing (3)' });
    const rows = (await matched.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (c) => (c.firstChild?.textContent ?? '').trim())))) as string[][];
    expect(rows).toEqual([
      ['Benchmarking', 'Name', 'None', 'Unchanged'],
      ['Compute partnerships', 'Name', 'name, colour', 'Updated'],
      ['Community feedback', 'Name', 'definition, colour', 'Updated'],
    ]);
    await screenshot(page, 'codebook-import-preview');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);

    // Keep: only the new codes
    await dialog().getByRole('radio', { name: /Keep them as they are/ }).check();
    await dialog().getByText(describePlan(expected(before, file, 'keep')), { exact: true }).waitFor();
    expect(await matched.locator('tbody tr td:last-child').allTextContents()).toEqual(['Unchanged', 'Kept as it is', 'Kept as it is']);
    await dialog().getByRole('radio', { name: /Update them from the file/ }).check();
    await dialog().getByText(describePlan(plan), { exact: true }).waitFor();

    await dialog().getByRole('button', { name: 'Import' }).click();
    await dialog().waitFor({ state: 'detached' });
    await page.getByRole('status').getByText(describeImport(plan)).waitFor();
    for (const name of ['Leaderboards', 'Evaluation harnesses', 'Hardware access', 'GPU grants']) await item(name).waitFor();
    await item('compute partnerships').waitFor();
    const after = await dump(page);
    expect(after.codes).toHaveLength(before.codes.length + 4);
    const byName = new Map(after.codes.map((c) => [c.name, c]));
    expect(byName.get('Leaderboards')).toMatchObject({ parentId: byName.get('Benchmarking')!.id, color: '#1f77b4', definition: 'Public rankings of models on shared tasks.' });
    expect(byName.get('Community feedback')!.history.at(-1)!.summary).toBe('Updated from “demo-additions.qdc”: definition, colour');
    await item('Leaderboards').scrollIntoViewIfNeeded();
    await screenshot(page, 'codebook-import-done');

    // One Ctrl+Z takes the whole import back
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Control+z');
    await page.getByRole('status').getByText('Undone: Import codebook “demo-additions.qdc”').waitFor();
    await item('GPU grants').waitFor({ state: 'detached' });
    await item('Compute partnerships').waitFor();
    await expect.poll(async () => comparable(await dumpDatabase(page))).toEqual(comparable(before));
  });

  it('changes nothing on Cancel or Escape', async () => {
    const before = await dumpDatabase(page);
    await choose(refi('demo-additions.qdc'));
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    await dialog().waitFor({ state: 'detached' });
    expect(await dumpDatabase(page)).toEqual(before);

    await choose(refi('taguette-style.qdc'));
    await dialog().getByRole('table', { name: /^Will be added/ }).waitFor();
    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'detached' });
    expect(await dumpDatabase(page)).toEqual(before);
    // focus is back on the button
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Import codebook…');
  });

  it('imports the study’s own CSV and .qdc exports as nothing to change', async () => {
    const before = await dumpDatabase(page);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cartography-export-'));
    for (const [label, name] of [
      ['CSV', 'own.csv'],
      ['REFI-QDA (.qdc)', 'own.qdc'],
    ] as const) {
      const download = page.waitForEvent('download');
      await page.getByRole('group', { name: 'Export the codebook' }).getByRole('button', { name: label }).click();
      const file = path.join(dir, name);
      await (await download).saveAs(file);
      await choose(file);
      await dialog().getByText('Nothing to change: the codebook already has every code of this file as it is.').waitFor();
      expect(await dialog().getByRole('button', { name: 'Import' }).isDisabled()).toBe(true);
      expect(await dialog().getByRole('table', { name: /^Will be added/ }).count()).toBe(0);
      await page.keyboard.press('Escape');
      await dialog().waitFor({ state: 'detached' });
    }
    expect(await dumpDatabase(page)).toEqual(before);
  });

  it('refuses bad files with the file, the line or row, what is wrong and what to do, and changes nothing', async () => {
    const before = await dumpDatabase(page);
    await choose(bad('malformed.qdc'));
    await dialog().getByRole('heading', { name: 'This file cannot be imported' }).waitFor();
    const problem = dialog().locator('.codebook-import-problems li');
    expect(await problem.locator('strong').textContent()).toBe('“malformed.qdc” is not well-formed XML: the end tag </Codes> does not match the start tag <Code> (line 4, column 5) at line 7, column 3.');
    expect(await problem.locator('.hint').textContent()).toBe('The file may be damaged or cut short. Export the codebook again, or fix the XML at that place.');
    await dialog().getByText('Nothing was changed.').waitFor();
    expect(await dialog().getByRole('button', { name: 'Import' }).count()).toBe(0);
    await screenshot(page, 'codebook-import-malformed');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);
    await dialog().getByRole('button', { name: 'Close' }).click();
    await dialog().waitFor({ state: 'detached' });

    for (const [name, message] of [
      ['duplicate-guids.qdc', /^“duplicate-guids\.qdc”: Two codes have the GUID 4e2a9c71-8b3d-4f5e-a1c2-d3e4f5a6b701: .* \(line 6\)\.$/],
      ['empty.qdc', /^“empty\.qdc” is empty \(0 bytes\)/],
      ['missing-parent.codebook.csv', /^“missing-parent\.codebook\.csv”, row 4: the parent "a3c1e5f7-2b4d-4e6f-8a1c-3e5f7a9b1c99" is not the id of any code in this file\.$/],
    ] as const) {
      await choose(bad(name));
      await dialog().getByRole('heading', { name: 'This file cannot be imported' }).waitFor();
      expect(await dialog().locator('.codebook-import-problems li strong').first().textContent(), name).toMatch(message);
      await page.keyboard.press('Escape');
      await dialog().waitFor({ state: 'detached' });
    }
    expect(await dumpDatabase(page)).toEqual(before);
  });

  it('matches by GUID, and refuses a preview that went stale (the codebook changed meanwhile) with nothing written', async () => {
    const before = await dump(page);
    const funding = before.codes.find((c) => c.name === 'Funding and institutional support')!;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cartography-qdc-'));
    const file = path.join(dir, 'renamed.qdc');
    writeFileSync(
      file,
      `<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="MAXQDA 2022"><Codes><Code guid="${funding.id.toUpperCase()}" name="Funding" isCodable="true" color="${funding.color}"/><Code guid="7C3A9E51-0D2B-4F6A-8E1C-3B5D7F9A1C77" name="Grants" isCodable="true"/></Codes></CodeBook>`,
    );
    await choose(file);
    const matched = dialog().getByRole('table', { name: 'Matches existing (1)' });
    expect(await matched.locator('tbody tr td').allTextContents()).toEqual(['GUID', 'name', 'Updated']);
    await matched.getByText('“Funding” in the file').waitFor();

    // Another change lands while the preview is open (here written straight into IndexedDB).
    await page.evaluate(
      ([id]) =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('cartography');
          open.onsuccess = () => {
            const tx = open.result.transaction('codes', 'readwrite');
            const store = tx.objectStore('codes');
            const get = store.get(id!);
            get.onsuccess = () => store.put({ ...get.result, definition: 'Changed meanwhile.' });
            tx.oncomplete = () => (open.result.close(), resolve());
            tx.onerror = () => reject(tx.error);
          };
        }),
      [funding.id],
    );
    const changed = await dumpDatabase(page);
    await dialog().getByRole('button', { name: 'Import' }).click();
    await dialog().getByRole('alert').getByText('The codebook changed after the preview was made, so nothing was imported. Look at the preview again and import once more.').waitFor();
    expect(await dumpDatabase(page)).toEqual(changed);
    await screenshot(page, 'codebook-import-stale');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);
    // the preview was made again: Import now goes through, and undo takes it back
    await dialog().getByRole('button', { name: 'Import' }).click();
    await dialog().waitFor({ state: 'detached' });
    await item('Funding').waitFor();
    await item('Grants').waitFor();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Control+z');
    await item('Grants').waitFor({ state: 'detached' });
    await expect.poll(async () => comparable(await dumpDatabase(page))).toEqual(comparable(changed));
  });
});
