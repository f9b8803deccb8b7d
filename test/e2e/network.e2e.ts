import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations, dragSelect, dumpDatabase, findChromium, screenshot, seriousViolations, startSession, type Session } from './harness.ts';

const chromiumPath = findChromium();
const DOC = 'Interview P01 — OLMo';
const PASSAGE = 'we have merged pull requests from people who built a feature for their own cluster';
const SECOND = 'Our training code lives on GitHub too';
const FROM = 'Outside contributors';
const TO = 'OLMo team';
const DEMO_TIES = 10;

// Cytoscape keeps its instance on its container (`_cyreg`): read-only probes for the test,
// nothing the app exposes.
const CY = `document.querySelector('.network-canvas')._cyreg.cy`;

type Point = { x: number; y: number };

async function nodePositions(page: Page): Promise<Record<string, Point>> {
  return page.evaluate(`(() => { const out = {}; ${CY}.nodes('.actor').forEach((n) => { out[n.id()] = { ...n.position() }; }); return out; })()`) as Promise<Record<string, Point>>;
}

/** Where an element of the diagram is on the page (a node's centre, an edge's midpoint), the diagram scrolled into view. */
async function pagePoint(page: Page, id: string): Promise<Point> {
  await page.locator('.network-canvas').scrollIntoViewIfNeeded();
  return page.evaluate(`(() => {
    const cy = ${CY};
    const element = cy.getElementById(${JSON.stringify(id)});
    const p = element.isNode() ? element.renderedPosition() : element.renderedMidpoint();
    const box = document.querySelector('.network-canvas').getBoundingClientRect();
    return { x: box.left + p.x, y: box.top + p.y };
  })()`) as Promise<Point>;
}

async function edgeCount(page: Page): Promise<number> {
  return Number(await page.locator('.network-canvas').getAttribute('data-edge-count'));
}

async function studyId(page: Page): Promise<string> {
  return decodeURIComponent(/#\/study\/([^/]+)/.exec(page.url())![1]!);
}

async function savedPositions(page: Page): Promise<Record<string, Point>> {
  const db = await dumpDatabase(page);
  const id = await studyId(page);
  const setting = (db['settings'] as { key: string; value: unknown }[]).find((s) => s.key === `network-positions:${id}`);
  return (setting?.value ?? {}) as Record<string, Point>;
}

async function actorId(page: Page, name: string): Promise<string> {
  const db = await dumpDatabase(page);
  return (db['actors'] as { id: string; name: string }[]).find((a) => a.name === name)!.id;
}

async function tieCountInDb(page: Page): Promise<number> {
  return ((await dumpDatabase(page))['ties'] ?? []).length;
}

/** Dismisses the messages, and shows the diagram, for a screenshot. */
async function clearView(page: Page): Promise<void> {
  const dismiss = page.getByRole('button', { name: 'Dismiss message' });
  while ((await dismiss.count()) > 0) await dismiss.first().click();
  await page.locator('.network-canvas').scrollIntoViewIfNeeded();
  await page.mouse.move(5, 5);
}

function pngSize(bytes: Buffer): { width: number; height: number } {
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe.skipIf(!chromiumPath)('the collaboration network in Chromium', () => {
  let s: Session;
  let page: Page;
  const refused: string[] = [];
  beforeAll(async () => {
    s = await startSession();
    page = s.page;
    // Cytoscape and the layout worker run under the app's Content Security Policy.
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) refused.push(m.text());
    });
    await page.goto(s.url);
    await page.getByRole('heading', { level: 1, name: 'Open LLM collaboration (demo)' }).waitFor();
    await page.keyboard.press('Alt+4');
    await page.getByRole('combobox', { name: 'Transcript' }).selectOption({ label: DOC });
    await page.locator('.transcript mark.coded').first().waitFor();
  });
  afterAll(async () => {
    await s?.close();
    expect(refused).toEqual([]);
  });

  const dialog = () => page.getByRole('dialog', { name: 'Record a collaboration tie' });

  it('records a tie from a selected passage, with new actors, after clear messages for bad input', async () => {
    await dragSelect(page, PASSAGE);
    await page.getByRole('complementary', { name: 'Coding tools' }).getByRole('button', { name: /Record a collaboration tie/ }).click();
    const d = dialog();
    await d.waitFor();
    expect(await d.locator('blockquote').textContent()).toContain(PASSAGE);

    // Nothing chosen.
    await d.getByRole('button', { name: 'Save the tie' }).click();
    await d.getByText('Choose who the tie comes from, or “New actor…”.').waitFor();
    await d.getByText('Choose who the tie goes to, or “New actor…”.').waitFor();
    await d.getByText('Choose the type of tie.').waitFor();
    expect(await d.getByRole('combobox', { name: 'From', exact: true }).evaluate((e) => e === document.activeElement)).toBe(true);

    // A new actor without a name, then two new actors with the same name.
    await d.getByRole('combobox', { name: 'From', exact: true }).selectOption({ label: 'New actor…' });
    await d.getByRole('combobox', { name: 'To', exact: true }).selectOption({ label: 'New actor…' });
    await d.getByRole('combobox', { name: 'Type of tie' }).selectOption({ label: 'Code contribution' });
    await d.getByRole('combobox', { name: 'Lifecycle stage' }).selectOption({ label: 'Pre-training' });
    await d.getByRole('textbox', { name: 'Name of the new actor (To)' }).fill(TO);
    await d.getByRole('button', { name: 'Save the tie' }).click();
    await d.getByText('The new actor (From) needs a name.').waitFor();
    await d.getByRole('textbox', { name: 'Name of the new actor (From)' }).fill(` ${TO.toLowerCase()} `);
    await d.getByRole('button', { name: 'Save the tie' }).click();
    await d.getByText('From and To would be the same new actor: give them different names.').waitFor();
    // An existing actor's name.
    await d.getByRole('textbox', { name: 'Name of the new actor (From)' }).fill('hugging face');
    await d.getByRole('button', { name: 'Save the tie' }).click();
    await d.getByText('There is already an actor called “Hugging Face”: choose it in the list above.').waitFor();
    expect(await tieCountInDb(page)).toBe(DEMO_TIES);

    await d.getByRole('textbox', { name: 'Name of the new actor (From)' }).fill(FROM);
    await d.getByRole('combobox', { name: 'Type of actor' }).first().selectOption({ label: 'Community' });
    await d.getByRole('combobox', { name: 'Type of actor' }).last().selectOption({ label: 'Project' });
    await d.getByRole('textbox', { name: /Description/ }).fill('Outside groups send their cluster features upstream.');
    await screenshot(page, 'network-record-tie-dialog');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);
    await d.getByRole('button', { name: 'Save the tie' }).click();
    await d.waitFor({ state: 'detached' });
    await page.getByText(`Recorded a new tie: ${FROM} → ${TO} (Code contribution, Pre-training)`).waitFor();
    expect(await tieCountInDb(page)).toBe(DEMO_TIES + 1);
  });

  it('adds a second passage to the same tie from the keyboard shortcut, and Escape writes nothing', async () => {
    await dragSelect(page, SECOND);
    await page.keyboard.press('Control+Shift+L');
    const d = dialog();
    await d.waitFor();
    await d.getByRole('combobox', { name: 'From', exact: true }).selectOption({ label: FROM });
    await d.getByRole('combobox', { name: 'To', exact: true }).selectOption({ label: FROM });
    await d.getByRole('combobox', { name: 'Type of tie' }).selectOption({ label: 'Code contribution' });
    await d.getByRole('combobox', { name: 'Lifecycle stage' }).selectOption({ label: 'Pre-training' });
    await d.getByRole('button', { name: 'Save the tie' }).click();
    await d.getByText('A tie joins two different actors: choose another actor for To.').waitFor();
    await d.getByRole('combobox', { name: 'To', exact: true }).selectOption({ label: TO });
    await d.getByRole('button', { name: 'Save the tie' }).click();
    await d.waitFor({ state: 'detached' });
    await page.getByText(`Added this passage as evidence to the existing tie ${FROM} → ${TO}`).waitFor();
    expect(await tieCountInDb(page)).toBe(DEMO_TIES + 1);

    const before = await dumpDatabase(page);
    await dragSelect(page, 'the corpus, the code');
    await page.keyboard.press('Control+Shift+L');
    await d.waitFor();
    await d.getByRole('combobox', { name: 'From', exact: true }).selectOption({ label: 'New actor…' });
    await d.getByRole('textbox', { name: 'Name of the new actor (From)' }).fill('Never saved');
    await page.keyboard.press('Escape');
    await d.waitFor({ state: 'detached' });
    const after = await dumpDatabase(page);
    expect(after['ties']).toEqual(before['ties']);
    expect(after['actors']).toEqual(before['actors']);
    expect(after['segments']).toEqual(before['segments']);
  });

  it('shows the tie in the network, with its evidence, and undo takes it away', async () => {
    await page.keyboard.press('Alt+7');
    await page.getByRole('tab', { name: 'Collaboration network' }).click();
    const canvas = page.locator('.network-canvas');
    await expect.poll(() => edgeCount(page)).toBe(DEMO_TIES + 1);
    const row = page.locator('table.network-ties tbody tr', { hasText: FROM });
    await expect.poll(() => row.locator('td').nth(4).textContent()).toBe('2');
    expect(await row.locator('td').nth(2).textContent()).toBe('Code contribution');
    expect(await row.locator('td').nth(3).textContent()).toBe('Pre-training');
    expect(await canvas.getAttribute('data-layout')).toBe('lanes');
    await page.getByRole('table', { name: /Actors/ }).getByRole('button', { name: FROM }).waitFor();

    // The keyboard way: the table's button opens the panel and puts the focus in it.
    await row.getByRole('button', { name: `Evidence for ${FROM} → ${TO}, Code contribution` }).click();
    const panel = page.locator('aside.network-panel');
    await panel.getByRole('heading', { name: 'Code contribution' }).waitFor();
    expect(await panel.getByRole('heading', { name: 'Code contribution' }).evaluate((e) => e === document.activeElement)).toBe(true);
    const quotes = panel.locator('.network-evidence blockquote');
    await expect.poll(() => quotes.count()).toBe(2);
    expect(await quotes.allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining(PASSAGE)]));
    expect(await panel.textContent()).toContain('Outside groups send their cluster features upstream.');
    expect(await panel.textContent()).toContain('OLMo');
    const link = panel.getByRole('link', { name: /Open in transcript/ }).first();
    expect(await link.getAttribute('href')).toMatch(/#\/study\/[^/]+\/coding\/[^/]+\/[^/]+$/);
    await clearView(page);
    await screenshot(page, 'network-lanes-evidence');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);

    // Remove one passage (undoable), then undo.
    await panel.getByRole('button', { name: new RegExp(`^Remove this evidence\\W+${SECOND}`) }).click();
    await expect.poll(() => quotes.count()).toBe(1);
    await expect.poll(() => row.locator('td').nth(4).textContent()).toBe('1');
    // The focus stays in the panel when the button it was on goes.
    expect(await panel.evaluate((e) => e.contains(document.activeElement))).toBe(true);
    await page.locator('body').press('Control+z');
    await expect.poll(() => quotes.count()).toBe(2);

    // Undo the second passage, then the tie itself: it leaves the diagram and the table.
    await page.locator('body').press('Control+z');
    await expect.poll(() => row.locator('td').nth(4).textContent()).toBe('1');
    await page.locator('body').press('Control+z');
    await expect.poll(() => edgeCount(page)).toBe(DEMO_TIES);
    expect(await row.count()).toBe(0);
    await panel.getByRole('heading', { name: 'Tie deleted' }).waitFor();
    // …and redo brings both back.
    await page.locator('body').press('Control+Shift+z');
    await page.locator('body').press('Control+Shift+z');
    await expect.poll(() => edgeCount(page)).toBe(DEMO_TIES + 1);
    await expect.poll(() => row.locator('td').nth(4).textContent()).toBe('2');
    await panel.getByRole('button', { name: 'Close the details' }).click();
    expect(await panel.count()).toBe(0);
    await clearView(page);
    await screenshot(page, 'network-lanes');
    await page.locator('.network-legend').evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'network-tables');
  });

  it('opens a tie’s evidence with a click on its line', async () => {
    const tieId = await page.locator('table.network-ties tbody tr', { hasText: FROM }).getAttribute('data-tie-id');
    // The middle of its curve (in the lanes, ties between actors of one lane arc above it).
    const p = await pagePoint(page, tieId!);
    await page.mouse.click(p.x, p.y);
    const panel = page.locator('aside.network-panel');
    await panel.getByRole('heading', { name: 'Code contribution' }).waitFor();
    expect(await panel.locator('.network-tie-ends').textContent()).toContain(`${FROM} → ${TO}`);
  });

  it('filters by stage and by tie type, in the diagram and the table alike', async () => {
    await page.getByRole('combobox', { name: 'Stage' }).selectOption({ label: 'Post-release' });
    await expect.poll(() => edgeCount(page)).toBe(5);
    expect(await page.locator('table.network-ties tbody tr').count()).toBe(5);
    await page.getByRole('checkbox', { name: 'Benchmarking' }).uncheck();
    await expect.poll(() => edgeCount(page)).toBe(4);
    expect(await page.locator('table.network-ties tbody tr').count()).toBe(4);
    await page.getByRole('combobox', { name: 'Stage' }).selectOption({ label: 'All stages' });
    await page.getByRole('button', { name: 'Show all' }).click();
    await expect.poll(() => edgeCount(page)).toBe(DEMO_TIES + 1);
  });

  it('switches to the force-directed layout (computed in a worker) and back', async () => {
    const canvas = page.locator('.network-canvas');
    const close = page.getByRole('button', { name: 'Close the details' });
    if ((await close.count()) > 0) await close.click();
    const lanes = await nodePositions(page);
    await page.getByRole('radio', { name: 'Force-directed' }).check();
    await expect.poll(() => canvas.getAttribute('data-layout')).toBe('force');
    await expect.poll(() => canvas.getAttribute('data-arranging')).toBe('false');
    expect(await page.getByText('Arranging…').count()).toBe(0);
    const force = await nodePositions(page);
    expect(Object.keys(force).sort()).toEqual(Object.keys(lanes).sort());
    const moved = Object.keys(lanes).filter((id) => Math.hypot(force[id]!.x - lanes[id]!.x, force[id]!.y - lanes[id]!.y) > 5);
    expect(moved.length).toBeGreaterThan(Object.keys(lanes).length / 2);
    await clearView(page);
    await screenshot(page, 'network-force');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);

    await page.getByRole('radio', { name: 'Stage lanes' }).check();
    await expect.poll(() => canvas.getAttribute('data-layout')).toBe('lanes');
    expect(await nodePositions(page)).toEqual(lanes);
    // The same network arranged again gives the same picture.
    await page.getByRole('radio', { name: 'Force-directed' }).check();
    await expect.poll(() => canvas.getAttribute('data-arranging')).toBe('false');
    expect(await nodePositions(page)).toEqual(force);
    await page.getByRole('radio', { name: 'Stage lanes' }).check();
  });

  it('saves an actor dragged with the mouse or moved with the arrow keys, and resets them', async () => {
    const id = await actorId(page, FROM);
    const start = (await nodePositions(page))[id]!;
    const p = await pagePoint(page, id);
    await page.mouse.move(p.x, p.y);
    await page.mouse.down();
    await page.mouse.move(p.x + 40, p.y + 30, { steps: 5 });
    await page.mouse.move(p.x + 80, p.y + 60, { steps: 5 });
    await page.mouse.up();
    await expect.poll(async () => (await savedPositions(page))[id]).toBeDefined();
    const dragged = (await savedPositions(page))[id]!;
    expect(dragged.x).toBeGreaterThan(start.x + 10);
    expect(dragged.y).toBeGreaterThan(start.y + 10);

    // Keyboard: choose the actor in the table, go to the diagram, move it.
    await page.getByRole('table', { name: /Actors/ }).getByRole('button', { name: FROM }).click();
    const panel = page.locator('aside.network-panel');
    await panel.getByRole('heading', { name: FROM }).waitFor();
    await panel.getByRole('button', { name: 'go to the diagram' }).click();
    expect(await page.locator('.network-canvas').evaluate((e) => e === document.activeElement)).toBe(true);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Shift+ArrowDown');
    await expect.poll(async () => (await savedPositions(page))[id]).toEqual({ x: dragged.x + 10, y: dragged.y + 50 });

    // Saved positions outlive the screen, and override the layout.
    await page.keyboard.press('Alt+1');
    await page.keyboard.press('Alt+7');
    await page.getByRole('tab', { name: 'Collaboration network' }).click();
    await expect.poll(() => edgeCount(page)).toBe(DEMO_TIES + 1);
    await expect.poll(async () => (await nodePositions(page))[id]).toEqual({ x: dragged.x + 10, y: dragged.y + 50 });

    await page.getByRole('button', { name: 'Reset positions' }).click();
    await expect.poll(() => savedPositions(page)).toEqual({});
    await expect.poll(async () => (await nodePositions(page))[id]).toEqual(start);
  });

  it('exports the network as a PNG at twice its size and as a well-formed SVG', async () => {
    const box = (await page.evaluate(`(() => { const b = ${CY}.elements().boundingBox(); return { w: b.w, h: b.h }; })()`)) as { w: number; h: number };
    let download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'PNG image' }).click();
    const png = await readFile((await (await download).path())!);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(pngSize(png)).toEqual({ width: Math.ceil(box.w) * 2, height: Math.ceil(box.h) * 2 });

    download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'SVG image' }).click();
    const svg = await readFile((await (await download).path())!, 'utf8');
    const parsed = (await page.evaluate(
      `((text) => { const doc = new DOMParser().parseFromString(text, 'image/svg+xml'); return { root: doc.documentElement.localName, errors: doc.getElementsByTagName('parsererror').length, circles: doc.querySelectorAll('.actors circle').length, paths: doc.querySelectorAll('.ties path').length }; })(${JSON.stringify(svg)})`,
    )) as { root: string; errors: number; circles: number; paths: number };
    expect(parsed).toEqual({ root: 'svg', errors: 0, circles: 19, paths: DEMO_TIES + 1 });
    expect(svg).toContain(FROM);
  });

  it('opens a passage without codings in its transcript, selected', async () => {
    await page.locator('table.network-ties tbody tr', { hasText: FROM }).getByRole('button', { name: /Evidence for/ }).click();
    const panel = page.locator('aside.network-panel');
    const item = panel.locator('.network-evidence li', { hasText: SECOND });
    await item.getByRole('link', { name: /Open in transcript/ }).click();
    await page.getByRole('combobox', { name: 'Transcript' }).waitFor();
    await expect.poll(() => page.evaluate('window.getSelection().toString()')).toBe(SECOND);
    await page.getByRole('complementary', { name: 'Coding tools' }).getByRole('button', { name: /Record a collaboration tie/ }).waitFor();
  });
});
