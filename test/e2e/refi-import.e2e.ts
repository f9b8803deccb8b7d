/**
 * REFI-QDA projects in Chromium: the demo study exported as .qdpx and imported back as a new
 * study after the preview; the same file merged into the study it came from (a code renamed
 * here is a conflict that keeps the study's name unless the researcher takes the file's, which
 * then comes back; Undo takes the whole merge back); damaged files refused with
 * the database unchanged; and NVivo's project, whose positions are UTF-16 units.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparable } from '../support/snapshot.ts';
import { axeViolations, dumpDatabase, findChromium, REPO, screenshot, seriousViolations, startSession, type Session } from './harness.ts';

const chromiumPath = findChromium();
const NVIVO = path.join(REPO, '..', 'shared', 'interop', 'refi', 'nvivo-mac-12.7.qdpx');
const DEMO = 'Open LLM collaboration (demo)';

interface Dump {
  studies: { id: string; name: string }[];
  codes: { id: string; studyId: string; name: string }[];
  documents: { id: string; studyId: string; codingCount: number }[];
  texts: { id: string; text: string }[];
  segments: { id: string; studyId: string; documentId: string; start: number; end: number; text: string; codings: unknown[] }[];
  memos: { id: string; studyId: string }[];
}
const dump = async (page: Page) => (await dumpDatabase(page)) as unknown as Dump;
const ofStudy = <T extends { studyId: string }>(rows: T[], studyId: string) => rows.filter((r) => r.studyId === studyId);
const codingCount = (d: Dump, studyId: string) => ofStudy(d.segments, studyId).reduce((n, s) => n + s.codings.length, 0);

describe.skipIf(!chromiumPath)('REFI-QDA projects in Chromium', () => {
  let s: Session;
  let page: Page;
  let folder: string;
  let exported: string;

  beforeAll(async () => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'cartography-qdpx-'));
    s = await startSession();
    page = s.page;
    await page.goto(s.url);
    await page.getByRole('heading', { level: 1, name: DEMO }).waitFor();
    await page.keyboard.press('Alt+8');
    await page.getByRole('heading', { level: 1, name: 'Reports and exports' }).waitFor();
  });
  afterAll(async () => {
    await s?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  /** Import .qdpx… on the Reports screen with a file; returns the preview dialog. */
  const openImport = async (file: string): Promise<Locator> => {
    await page.keyboard.press('Alt+8');
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Import .qdpx…' }).click();
    await (await chooser).setFiles(file);
    const dialog = page.getByRole('dialog', { name: `Import REFI-QDA project: ${path.basename(file)}` });
    await dialog.waitFor();
    return dialog;
  };
  const cell = (dialog: Locator, table: string, row: string) => dialog.getByRole('table', { name: table }).getByRole('row', { name: new RegExp(`^${row} `) }).getByRole('cell');

  it('exports the demo as .qdpx and imports it back as a new study after a preview of what it holds', async () => {
    const waiting = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export .qdpx…' }).click();
    const download = await waiting;
    exported = path.join(folder, download.suggestedFilename());
    writeFileSync(exported, await readFile((await download.path())!));

    const before = await dump(page);
    const demo = before.studies.find((x) => x.name === DEMO)!;
    const documents = ofStudy(before.documents, demo.id).length;
    const codings = codingCount(before, demo.id);
    const codes = ofStudy(before.codes, demo.id).length;

    const dialog = await openImport(exported);
    await dialog.getByRole('table', { name: 'What the file holds' }).waitFor();
    expect(await cell(dialog, 'What the file holds', 'Sources').textContent()).toBe(String(documents));
    expect(await cell(dialog, 'What the file holds', 'Codings').textContent()).toBe(String(codings));
    expect(await cell(dialog, 'What the file holds', 'Codes').textContent()).toBe(String(codes));
    expect(await cell(dialog, 'What Cartography makes of it', 'Documents').textContent()).toBe(String(documents));
    expect(await cell(dialog, 'What Cartography makes of it', 'Codings').textContent()).toBe(String(codings));
    expect(await dialog.locator('.refi-import-positions').textContent()).toMatch(/^Positions: .+/);
    // Nothing is written before Import.
    expect(comparable(await dump(page) as never)).toEqual(comparable(before as never));
    await screenshot(page, 'refi-import-preview');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);

    await dialog.getByRole('button', { name: 'Import as a new study' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: /new GUIDs/ }).first().waitFor();
    const after = await dump(page);
    expect(after.studies).toHaveLength(before.studies.length + 1);
    const copy = after.studies.find((x) => !before.studies.some((b) => b.id === x.id))!;
    await page.getByRole('heading', { level: 1, name: copy.name }).waitFor();
    expect(ofStudy(after.documents, copy.id)).toHaveLength(documents);
    expect(ofStudy(after.codes, copy.id).map((c) => c.name).sort()).toEqual(ofStudy(before.codes, demo.id).map((c) => c.name).sort());
    expect(codingCount(after, copy.id)).toBe(codings);
    // The database already held the file's GUIDs (the demo), so the copy has its own.
    const demoIds = new Set(ofStudy(after.codes, demo.id).map((c) => c.id));
    expect(ofStudy(after.codes, copy.id).some((c) => demoIds.has(c.id))).toBe(false);
    // Every coded passage selects the text it quotes.
    const texts = new Map(after.texts.map((t) => [t.id, t.text]));
    for (const segment of ofStudy(after.segments, copy.id)) expect(texts.get(segment.documentId)!.slice(segment.start, segment.end)).toBe(segment.text);
  });

  it('merges the project into the study it came from by GUID, as one change that Undo takes back', async () => {
    const demo = (await dump(page)).studies.find((x) => x.name === DEMO)!;
    await page.goto(`${s.url}#/study/${demo.id}/codebook`);
    const tree = page.getByRole('tree', { name: /Codebook/ });
    await tree.getByRole('treeitem', { name: /^Benchmarking( draft| retired)?$/ }).click();
    await page.keyboard.press('F2');
    const input = tree.getByRole('textbox', { name: 'New name for Benchmarking' });
    await input.fill('Benchmarks (renamed here)');
    await input.press('Enter');
    await tree.getByRole('treeitem', { name: /^Benchmarks \(renamed here\)/ }).waitFor();
    const renamed = await dump(page);

    const dialog = await openImport(exported);
    await dialog.getByRole('radio', { name: new RegExp(`^The open study “${DEMO.replace(/[()]/g, '\\$&')}”`) }).check();
    const merge = dialog.getByRole('region', { name: 'The merge' });
    await merge.waitFor();
    const codes = String(ofStudy(renamed.codes, demo.id).length);
    const codesRow = merge.getByRole('table', { name: 'What the merge does' }).getByRole('row', { name: /^Codes / }).getByRole('cell');
    // Added, matched, in conflict, changed here: by default the study keeps its name.
    expect(await codesRow.allTextContents()).toEqual(['0', codes, '1', '0']);
    const conflict = merge.getByRole('group', { name: 'Code “Benchmarks (renamed here)”' });
    expect(await conflict.getByRole('row', { name: /^Name / }).getByRole('cell').allTextContents()).toEqual(['Benchmarks (renamed here)', 'Benchmarking']);
    await conflict.getByRole('radio', { name: 'Take theirs' }).check();
    expect(await codesRow.allTextContents()).toEqual(['0', codes, '1', '1']);
    await screenshot(page, 'refi-import-merge');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);
    await dialog.getByRole('button', { name: `Merge into “${DEMO}”` }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: /^Merged / }).first().waitFor();
    const merged = await dump(page);
    expect(ofStudy(merged.codes, demo.id).map((c) => c.name)).toContain('Benchmarking');
    expect(ofStudy(merged.codes, demo.id).map((c) => c.name)).not.toContain('Benchmarks (renamed here)');
    expect(codingCount(merged, demo.id)).toBe(codingCount(renamed, demo.id));

    await page.locator('body').press('Control+z');
    await page.getByRole('status').filter({ hasText: /Undone: Merge project/ }).first().waitFor();
    expect(comparable((await dump(page)) as never)).toEqual(comparable(renamed as never));
  });

  it('refuses a damaged package and a zip bomb with a clear message, and changes nothing', async () => {
    const before = comparable((await dump(page)) as never);
    for (const [file, message] of [
      ['truncated.qdpx', /damaged or incomplete/],
      ['zip-bomb.qdpx', /zip bomb/],
    ] as const) {
      const dialog = await openImport(path.join(REPO, 'fixtures', 'bad', file));
      const alert = dialog.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toMatch(new RegExp(`${file.replace('.', '\\.')} cannot be imported; nothing was changed\\.`));
      expect(await alert.textContent()).toMatch(message);
      if (file === 'truncated.qdpx') await screenshot(page, 'refi-import-refused');
      expect(await dialog.getByRole('button', { name: /Import as a new study/ }).count()).toBe(0);
      await dialog.getByRole('button', { name: 'Close' }).click();
      await dialog.waitFor({ state: 'detached' });
    }
    expect(comparable((await dump(page)) as never)).toEqual(before);
  });

  it.skipIf(!existsSync(NVIVO))('imports NVivo’s project, reading its positions as UTF-16 units (skipped without ../shared/interop)', async () => {
    const before = await dump(page);
    const dialog = await openImport(NVIVO);
    await dialog.getByRole('table', { name: 'What the file holds' }).waitFor();
    expect(await dialog.locator('.refi-import-positions').textContent()).toMatch(/UTF-16/);
    await dialog.getByRole('button', { name: 'Import as a new study' }).click();
    await dialog.waitFor({ state: 'detached' });
    const after = await dump(page);
    const study = after.studies.find((x) => !before.studies.some((b) => b.id === x.id))!;
    const segments = ofStudy(after.segments, study.id);
    expect(segments.length).toBeGreaterThan(0);
    const texts = new Map(after.texts.map((t) => [t.id, t.text]));
    for (const segment of segments) expect(texts.get(segment.documentId)!.slice(segment.start, segment.end)).toBe(segment.text);
    await page.getByRole('heading', { level: 1, name: study.name }).waitFor();
  });
});
