/**
 * The lifecycle map in Chromium on the demo study: click a node and read its evidence,
 * override a position with a justification memo (the computed value stays visible; undo
 * takes it back), colour and highlight cases, and export the map as PNG and SVG.
 */
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, dumpDatabase, findChromium, screenshot, seriousViolations, startSession, type Session } from './harness.ts';

const chromiumPath = findChromium();

interface Db {
  cases: { id: string; name: string }[];
  stages: { id: string; name: string }[];
  segments: { id: string; text: string }[];
  overrides: { id: string; caseId: string; stageId: string; value: number; memoId: string }[];
  memos: { id: string; targetType: string; text: string }[];
}

/** Test-only introspection of the map (Cytoscape keeps its instance on the container). */
async function nodeOnScreen(page: Page, index: number): Promise<{ id: string; caseId: string; stageId: string; x: number; y: number }> {
  return page.evaluate((i) => {
    const el = document.querySelector('.cy-map') as HTMLElement & { _cyreg?: { cy: { nodes(sel: string): { length: number; [k: number]: { id(): string; data(k: string): string; renderedPosition(): { x: number; y: number } } } } } };
    const nodes = el._cyreg!.cy.nodes('.case');
    const node = nodes[i]!;
    const box = el.getBoundingClientRect();
    const p = node.renderedPosition();
    return { id: node.id(), caseId: node.data('caseId'), stageId: node.data('stageId'), x: box.left + p.x, y: box.top + p.y };
  }, index);
}

describe.skipIf(!chromiumPath)('the lifecycle map in Chromium', () => {
  let s: Session;
  let page: Page;
  let db: Db;
  beforeAll(async () => {
    s = await startSession();
    page = s.page;
    await page.goto(s.url);
    await page.getByRole('heading', { level: 1, name: 'Open LLM collaboration (demo)' }).waitFor();
    db = (await dumpDatabase(page)) as unknown as Db;
    await page.keyboard.press('Alt+7');
    await page.getByRole('heading', { level: 1, name: 'Maps' }).waitFor();
    await page.locator('.cy-map canvas').first().waitFor();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('clicks a node and shows its position, the formula and the evidence as attributed quotes', async () => {
    await expect.poll(async () => Number(await page.locator('.cy-map').getAttribute('data-node-count'))).toBeGreaterThan(10);
    const node = await nodeOnScreen(page, 0);
    await page.mouse.click(node.x, node.y);
    const panel = page.getByRole('complementary', { name: 'Position' });
    const kase = db.cases.find((c) => c.id === node.caseId)!;
    const stage = db.stages.find((x) => x.id === node.stageId)!;
    await panel.getByRole('heading', { name: new RegExp(`^${kase.name.replace(/[()]/g, '\\$&')}`) }).waitFor();
    expect(await panel.textContent()).toContain(`in ${stage.name}`);
    expect(await panel.textContent()).toContain('position = (bazaar − cathedral) ÷ (bazaar + cathedral)');
    const computed = (await panel.locator('p').filter({ hasText: /^Computed:/ }).textContent())!;
    const n = Number(/n = (\d+)/.exec(computed)![1]);
    const quotes = await panel.locator('.evidence-list blockquote').allTextContents();
    expect(quotes.length).toBeGreaterThan(0);
    expect(quotes.length).toBeLessThanOrEqual(n);
    for (const q of quotes) expect(db.segments.some((x) => x.text === q)).toBe(true);
    expect(await panel.locator('.evidence-list .evidence-meta').filter({ hasText: kase.name }).count()).toBe(quotes.length);
    await screenshot(page, 'maps-lifecycle');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);
  });

  it('overrides a position only with a justification memo, keeps the computed value visible, and undoes it', async () => {
    const panel = page.getByRole('complementary', { name: 'Position' });
    const computedBefore = await panel.locator('p').filter({ hasText: /^Computed:/ }).textContent();
    await panel.getByRole('button', { name: 'Override this position…' }).click();
    await panel.getByRole('spinbutton', { name: /Position/ }).fill('0.8');
    await panel.getByRole('button', { name: 'Save override' }).click();
    await panel.getByText('An override needs a justification').waitFor();
    expect(((await dumpDatabase(page)) as unknown as Db).overrides).toHaveLength(0);
    await panel.getByRole('textbox', { name: /Justification/ }).fill('The project opened its data after the interview; the codings predate it.');
    await panel.getByRole('button', { name: 'Save override' }).click();
    await panel.locator('.position-value .override-mark').waitFor();
    expect(await panel.locator('.position-value').textContent()).toContain('0.80');
    expect(await panel.locator('p').filter({ hasText: /^Computed:/ }).textContent()).toBe(computedBefore);
    const after = (await dumpDatabase(page)) as unknown as Db;
    expect(after.overrides).toHaveLength(1);
    expect(after.overrides[0]!.value).toBe(0.8);
    expect(after.memos.find((m) => m.id === after.overrides[0]!.memoId)).toMatchObject({ targetType: 'position', text: 'The project opened its data after the interview; the codings predate it.' });
    expect(await page.locator('.positions-table .position-cell.overridden').count()).toBe(1);
    await screenshot(page, 'maps-override');

    await page.locator('.positions-table .position-cell').first().focus();
    await page.keyboard.press('Control+z');
    await expect.poll(async () => ((await dumpDatabase(page)) as unknown as Db).overrides.length).toBe(0);
    expect(((await dumpDatabase(page)) as unknown as Db).memos.filter((m) => m.targetType === 'position')).toHaveLength(0);
    await expect.poll(() => page.locator('.positions-table .position-cell.overridden').count()).toBe(0);
  });

  it('opens a position from the keyboard through the positions table', async () => {
    const cell = page.locator('.positions-table tbody tr').nth(1).locator('.position-cell').nth(2);
    await cell.focus();
    await page.keyboard.press('Enter');
    const caseName = (await page.locator('.positions-table tbody tr').nth(1).locator('th').textContent())!;
    await page.getByRole('complementary', { name: 'Position' }).getByRole('heading', { name: new RegExp(`^${caseName.replace(/[()]/g, '\\$&')}`) }).waitFor();
  });

  it('colours cases by an attribute with a legend, highlights one case, and exports PNG and SVG', async () => {
    await page.getByRole('combobox', { name: 'Colour cases by' }).selectOption({ label: 'Licence class' });
    await page.getByRole('list', { name: 'Colours' }).getByText('Permissive').waitFor();
    await page.getByRole('combobox', { name: 'Highlight' }).selectOption({ index: 1 });
    await expect.poll(() => page.evaluate(() => (document.querySelector('.cy-map') as HTMLElement & { _cyreg: { cy: { $(s: string): { length: number } } } })._cyreg.cy.$('.case.dimmed').length)).toBeGreaterThan(0);
    await screenshot(page, 'maps-highlight');

    const exports = page.getByRole('group', { name: 'Export the lifecycle map' });
    const fetch = async (label: string) => {
      const download = page.waitForEvent('download');
      await exports.getByRole('button', { name: label }).click();
      const d = await download;
      return { name: d.suggestedFilename(), bytes: await readFile((await d.path())!) };
    };
    const svg = await fetch('SVG image');
    expect(svg.name).toMatch(/lifecycle-map\.svg$/);
    const text = svg.bytes.toString('utf8');
    const width = Number(/<svg[^>]*\swidth="([\d.]+)"/.exec(text)![1]);
    const height = Number(/<svg[^>]*\sheight="([\d.]+)"/.exec(text)![1]);
    const lint = spawnSync('xmllint', ['--noout', '-'], { input: text, encoding: 'utf8' });
    if (lint.error) console.warn('xmllint is not installed: the SVG was not checked for well-formedness');
    else expect(lint.status, lint.stderr).toBe(0);
    for (const c of db.cases.slice(0, 3)) expect(text).toContain(c.name.replace(/&/g, '&amp;'));

    const png = await fetch('PNG image');
    expect([...png.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.bytes.readUInt32BE(16)).toBe(Math.round(width * 2));
    expect(png.bytes.readUInt32BE(20)).toBe(Math.round(height * 2));
  });
});
