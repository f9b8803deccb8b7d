/**
 * The workshop presentation in Chromium on the demo study: the deck editor (hide, move with
 * the keyboard, both kept across a reload), picking a code's exemplar quote, presenting with
 * the keys clickers send, speaker notes, both themes, and the exports — the deck as a PDF of
 * one page per visible slide, a map as PNG at twice the SVG's size and as well-formed SVG.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, axeViolations, dumpDatabase, findChromium, screenshot, seriousViolations, startSession, type Session } from './harness.ts';

const chromiumPath = findChromium();
const STUDY = 'Open LLM collaboration (demo)';

interface Db {
  studies: { id: string; name: string }[];
  stages: { id: string; name: string; order: number }[];
  settings: { key: string; value: unknown }[];
}

/** Maps → Presentation (a reload reopens the Maps area, on its first tab). */
async function openPresentation(page: Page): Promise<void> {
  await page.getByRole('heading', { level: 1, name: new RegExp(`^(${STUDY.replace(/[()]/g, '\\$&')}|Maps)$`) }).waitFor();
  await page.keyboard.press('Alt+7');
  await page.getByRole('heading', { level: 1, name: 'Maps' }).waitFor();
  await page.getByRole('tab', { name: 'Presentation' }).click();
  await page.getByRole('heading', { level: 2, name: 'Slides' }).waitFor();
}

async function download(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const event = page.waitForEvent('download');
  await click();
  const d = await event;
  return { name: d.suggestedFilename(), bytes: await readFile((await d.path())!) };
}

describe.skipIf(!chromiumPath)('the workshop presentation in Chromium', () => {
  let s: Session;
  let page: Page;
  let db: Db;
  let list: Locator;
  const slideIds = () => list.locator('li.deck-item').evaluateAll((items) => items.map((li) => li.getAttribute('data-slide-id')));
  const hiddenIds = () => list.locator('li.deck-item.is-hidden').evaluateAll((items) => items.map((li) => li.getAttribute('data-slide-id')));
  const deckSetting = async () => {
    const all = (await dumpDatabase(page)) as unknown as Db;
    return all.settings.find((x) => x.key === `deck-settings:${db.studies[0]!.id}`)?.value as { order?: string[]; hidden?: string[]; quotes?: Record<string, string> } | undefined;
  };
  const presenter = () => page.getByRole('dialog', { name: 'Presentation' });
  const counter = () => presenter().locator('.presenter-counter').textContent();
  const shownTitle = () => presenter().locator('.slide .slide-title, .slide .slide-study').first().textContent();

  beforeAll(async () => {
    s = await startSession();
    page = s.page;
    await page.goto(s.url);
    await page.getByRole('heading', { level: 1, name: STUDY }).waitFor();
    db = (await dumpDatabase(page)) as unknown as Db;
    await openPresentation(page);
    list = page.getByRole('region', { name: 'Slides' });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('generates the deck: overview, a map and a codes slide per stage, the network, the summary', async () => {
    const stages = [...db.stages].sort((a, b) => a.order - b.order);
    expect(await slideIds()).toEqual(['overview', ...stages.flatMap((st) => [`stage-map:${st.id}`, `stage-codes:${st.id}`]), 'network', 'summary']);
    const titles = await list.locator('.deck-item-title').allTextContents();
    expect(titles[0]).toBe(STUDY);
    expect(titles[1]).toBe(`${stages[0]!.name}: cathedral or bazaar?`);
    // The preview shows the selected slide: the overview, with the study's name large.
    const preview = page.locator('.deck-preview .slide');
    await expect.poll(() => preview.locator('.slide-study').textContent()).toBe(STUDY);
    // A map slide shows its map as an image with words for it.
    await list.getByRole('button', { name: new RegExp(`^2 ${stages[0]!.name}: cathedral or bazaar\\?`) }).click();
    const img = preview.getByRole('img');
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);
    expect(await img.getAttribute('alt')).toContain(`${stages[0]!.name} highlighted`);
    expect(await img.getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
    await screenshot(page, 'presentation-editor');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);
  });

  it('hides a slide and moves one with the keyboard; both survive a reload', async () => {
    await list.getByRole('checkbox', { name: 'Hide “Collaboration network”' }).check();
    await expect.poll(hiddenIds).toEqual(['network']);
    const up = list.getByRole('button', { name: 'Move “Cathedral or bazaar across the lifecycle” up' });
    await up.focus();
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await slideIds()).slice(-2)).toEqual(['summary', 'network']);
    // The moved slide's button keeps the keyboard.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Move “Cathedral or bazaar across the lifecycle” up');
    await expect.poll(async () => (await deckSetting())?.hidden).toEqual(['network']);
    await expect.poll(async () => (await deckSetting())?.order?.slice(-2)).toEqual(['summary', 'network']);

    const before = await slideIds();
    await page.reload();
    await openPresentation(page);
    await expect.poll(slideIds).toEqual(before);
    expect(await hiddenIds()).toEqual(['network']);
    expect(await list.getByRole('checkbox', { name: 'Hide “Collaboration network”' }).isChecked()).toBe(true);
  });

  it('picks the exemplar quote of a code and shows it on the slide, attributed by pseudonym and case', async () => {
    const stage = [...db.stages].sort((a, b) => a.order - b.order)[0]!;
    await list.locator(`li[data-slide-id="stage-codes:${stage.id}"] .deck-item-select`).click();
    const picker = page.getByRole('region', { name: 'Exemplar quotes' });
    await picker.waitFor();
    // The first code with a choice: more than one coded segment.
    const codes = picker.locator('details.quote-code');
    let code: Locator | null = null;
    for (let i = 0; i < (await codes.count()); i += 1) {
      const candidate = codes.nth(i);
      await candidate.locator('summary').click();
      if ((await candidate.getByRole('radio').count()) > 2) {
        code = candidate;
        break;
      }
      await candidate.locator('summary').click();
    }
    expect(code, 'a code with at least two coded segments').not.toBeNull();
    const radios = code!.getByRole('radio');
    const choice = radios.last();
    expect(await choice.isChecked()).toBe(false);
    const label = choice.locator('xpath=..');
    const text = (await label.locator('.quote-option-text').textContent())!.replace(/^“|”$/g, '');
    const attribution = (await label.locator('.quote-option-who').textContent())!;
    // Pseudonym and case, never a name.
    expect(attribution).toMatch(/^P\d+ · .+$/);
    await choice.check();
    const preview = page.locator('.deck-preview .slide');
    const figure = preview.locator('figure.slide-quote').filter({ hasText: text.slice(0, 40) });
    await expect.poll(() => figure.count()).toBe(1);
    expect(await figure.locator('figcaption').textContent()).toBe(`— ${attribution}`);
    await expect.poll(async () => Object.values((await deckSetting())?.quotes ?? {})).toContain(await choice.getAttribute('value'));
    await page.locator('.deck-preview-stage').scrollIntoViewIfNeeded();
    await screenshot(page, 'presentation-quote-picked');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);
  });

  it('presents full screen: clicker keys step through the visible slides, notes toggle with N, Escape leaves', async () => {
    const visibleTitles = await list.locator('li.deck-item:not(.is-hidden) .deck-item-title').allTextContents();
    const total = visibleTitles.length;
    expect(total).toBe(8);
    await page.getByRole('button', { name: 'Start presentation' }).click();
    await presenter().waitFor();
    expect(await counter()).toBe(`1 / ${total}`);
    expect(await shownTitle()).toBe(visibleTitles[0]);
    await screenshot(page, 'presentation-overview');
    const steps = ['ArrowRight', 'PageDown', 'Space'];
    for (const [i, key] of steps.entries()) {
      await page.keyboard.press(key);
      await expect.poll(counter).toBe(`${i + 2} / ${total}`);
      expect(await shownTitle()).toBe(visibleTitles[i + 1]);
      if (i === 0) {
        await expect.poll(() => presenter().getByRole('img').evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);
        await screenshot(page, 'presentation-stage-map');
      }
      if (i === 1) {
        // The third slide: the first stage's challenges and on-ramps, large type, in the light theme.
        expect(await presenter().locator('.slide-stage-codes').count()).toBe(1);
        await screenshot(page, 'presentation-stage-codes-light');
        expect(seriousViolations(await axeViolations(page))).toEqual([]);
      }
    }
    await page.keyboard.press('ArrowLeft');
    await expect.poll(counter).toBe(`3 / ${total}`);
    await page.keyboard.press('n');
    const notes = presenter().getByRole('complementary', { name: 'Speaker notes' });
    await notes.waitFor();
    expect(await notes.textContent()).toContain('Top challenges in');
    await screenshot(page, 'presentation-notes');
    await page.keyboard.press('N');
    await expect.poll(() => notes.count()).toBe(0);
    await page.keyboard.press('End');
    await expect.poll(counter).toBe(`${total} / ${total}`);
    expect(await shownTitle()).toBe('Cathedral or bazaar across the lifecycle');
    // The hidden network slide is skipped: the summary moved before it is the last one shown.
    await expect.poll(() => presenter().locator('.slide-move').textContent()).toMatch(/median moves towards the bazaar/);
    await screenshot(page, 'presentation-summary');
    await page.keyboard.press('Home');
    await expect.poll(counter).toBe(`1 / ${total}`);
    await page.keyboard.press('Escape');
    await expect.poll(() => presenter().count()).toBe(0);
    await expect.poll(() => page.evaluate(() => document.fullscreenElement === null)).toBe(true);
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Start presentation');
  });

  it('presents in the high-contrast theme, which passes axe, and keeps the theme', async () => {
    await page.getByRole('radio', { name: 'High contrast' }).check();
    await page.getByRole('button', { name: 'Start presentation' }).click();
    await presenter().waitFor();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect.poll(counter).toBe('3 / 8');
    const colours = await presenter()
      .locator('.slide')
      .evaluate((el) => ({ bg: getComputedStyle(el).backgroundColor, ink: getComputedStyle(el.querySelector('blockquote')!).color }));
    expect(colours).toEqual({ bg: 'rgb(0, 0, 0)', ink: 'rgb(255, 255, 255)' });
    await screenshot(page, 'presentation-stage-codes-contrast');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);
    await page.keyboard.press('Escape');
    await expect.poll(() => presenter().count()).toBe(0);
    await expect.poll(async () => ((await dumpDatabase(page)) as unknown as Db).settings.find((x) => x.key === `deck-theme:${db.studies[0]!.id}`)?.value).toBe('contrast');
  });

  it('exports the deck as a PDF with one page per visible slide', async () => {
    const { name, bytes } = await download(page, () => page.getByRole('button', { name: 'Export PDF' }).click());
    expect(name).toBe('Open-LLM-collaboration-demo-workshop.pdf');
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await writeFile(path.join(ARTIFACTS, 'presentation-deck.pdf'), bytes);
    const pdf = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, verbosity: 0 }).promise;
    try {
      expect(pdf.numPages).toBe(8);
      const page1 = await pdf.getPage(1);
      const [x0, y0, x1, y1] = page1.view;
      expect((x1! - x0!) / (y1! - y0!)).toBeCloseTo(16 / 9, 3);
    } finally {
      await pdf.destroy();
    }
  });

  it('exports the selected map as SVG (well-formed) and as PNG at twice its size', async () => {
    const stage = [...db.stages].sort((a, b) => a.order - b.order)[1]!;
    await list.locator(`li[data-slide-id="stage-map:${stage.id}"] .deck-item-select`).click();
    await screenshot(page, 'presentation-editor-contrast');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);
    const svg = await download(page, () => page.getByRole('button', { name: 'Map as SVG' }).click());
    expect(svg.name).toBe(`Open-LLM-collaboration-demo-${stage.name}-map.svg`);
    const text = svg.bytes.toString('utf8');
    const root = /<svg\b[^>]*>/.exec(text)![0];
    const width = Number(/\swidth="(\d+)"/.exec(root)![1]);
    const height = Number(/\sheight="(\d+)"/.exec(root)![1]);
    expect(width).toBeGreaterThan(100);
    if (existsSync('/usr/bin/xmllint')) {
      const file = path.join(os.tmpdir(), `presentation-map-${process.pid}.svg`);
      await writeFile(file, svg.bytes);
      execFileSync('xmllint', ['--noout', file]);
    }
    const png = await download(page, () => page.getByRole('button', { name: 'Map as PNG (2×)' }).click());
    expect(png.name).toBe(`Open-LLM-collaboration-demo-${stage.name}-map.png`);
    expect([...png.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
    expect(png.bytes.readUInt32BE(16)).toBe(2 * width);
    expect(png.bytes.readUInt32BE(20)).toBe(2 * height);
    await writeFile(path.join(ARTIFACTS, 'presentation-map.png'), png.bytes);
    // The network slide's map exports too.
    await list.locator('li[data-slide-id="network"] .deck-item-select').click();
    await screenshot(page, 'presentation-network-preview');
    const network = await download(page, () => page.getByRole('button', { name: 'Map as SVG' }).click());
    expect(network.name).toBe('Open-LLM-collaboration-demo-network.svg');
  });
});
