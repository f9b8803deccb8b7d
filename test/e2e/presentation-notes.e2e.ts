/**
 * Speaker notes on a second screen, in Chromium on the demo study: the notes screen
 * (#/presenter-notes) opened as a second page of the same browser (same origin, so the
 * BroadcastChannel connects, as between the desktop shell's two windows) follows the
 * presenter, drives it with its buttons and keys, catches up after a reload, and says when
 * the presentation has ended.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, findChromium, screenshot, seriousViolations, startSession, type Session } from './harness.ts';

const chromiumPath = findChromium();
const STUDY = 'Open LLM collaboration (demo)';

describe.skipIf(!chromiumPath)('speaker notes on a second screen in Chromium', () => {
  let s: Session;
  let page: Page;
  let notes: Page;
  let titles: string[];
  const notesErrors: string[] = [];
  const presenter = () => page.getByRole('dialog', { name: 'Presentation' });
  const counter = () => presenter().locator('.presenter-counter').textContent();
  const screen = () => notes.getByRole('main');
  const notesCounter = () => notes.locator('.notes-screen-counter').textContent();
  const notesTitle = () => notes.locator('.notes-screen-title').textContent();
  const notesNext = () => notes.locator('.notes-screen-next').textContent();
  const notesText = () => notes.locator('.notes-screen-notes').innerText();
  /** The presenter's own notes panel (N) for the slide it shows, as text. */
  const panelNotes = async () => {
    await page.keyboard.press('n');
    const panel = presenter().getByRole('complementary', { name: 'Speaker notes' });
    await panel.waitFor();
    const text = await panel.locator('.notes-block').evaluateAll((blocks) => blocks.map((b) => (b as HTMLElement).innerText).join('\n\n'));
    await page.keyboard.press('n');
    await expect.poll(() => panel.count()).toBe(0);
    return text;
  };

  beforeAll(async () => {
    s = await startSession();
    page = s.page;
    await page.goto(s.url);
    await page.getByRole('heading', { level: 1, name: STUDY }).waitFor();
    await page.keyboard.press('Alt+7');
    await page.getByRole('heading', { level: 1, name: 'Maps' }).waitFor();
    await page.getByRole('tab', { name: 'Presentation' }).click();
    await page.getByRole('heading', { level: 2, name: 'Slides' }).waitFor();
    titles = await page.getByRole('region', { name: 'Slides' }).locator('li.deck-item:not(.is-hidden) .deck-item-title').allTextContents();
    notes = await s.context.newPage();
    // The size of the desktop shell's notes window (electron/notes-window.ts).
    await notes.setViewportSize({ width: 720, height: 540 });
    notes.on('pageerror', (e) => notesErrors.push(e.message));
    notes.on('request', (r) => s.requests.push(r.url()));
  });
  afterAll(async () => {
    await s?.close();
  });

  it('waits for a presentation, then shows the current slide’s title, notes, place and the next title', async () => {
    await notes.goto(`${s.url}#/presenter-notes`);
    await screen().getByRole('heading', { name: 'Waiting for the presentation' }).waitFor();
    expect(await notes.title()).toBe('Speaker notes — Cartography');
    expect(seriousViolations(await axeViolations(notes))).toEqual([]);

    await page.getByRole('button', { name: 'Start presentation' }).click();
    await presenter().waitFor();
    const total = titles.length;
    expect(total).toBe(9);
    expect(await counter()).toBe(`1 / ${total}`);
    await expect.poll(notesCounter).toBe(`Slide 1 / ${total}`);
    expect(await notesTitle()).toBe(titles[0]);
    expect(await notesNext()).toBe(`Next: ${titles[1]}`);
    expect(await notesText()).toBe(await panelNotes());
    expect(await notes.getByRole('timer').textContent()).toMatch(/^\d+:\d{2}$/);
    // The browser keeps the presenter's side panel: it is closed until N.
    expect(await presenter().getByRole('complementary').count()).toBe(0);
  });

  it('follows the presenter’s keys', async () => {
    await page.keyboard.press('ArrowRight');
    await expect.poll(counter).toBe('2 / 9');
    await expect.poll(notesCounter).toBe('Slide 2 / 9');
    expect(await notesTitle()).toBe(titles[1]);
    expect(await notesNext()).toBe(`Next: ${titles[2]}`);
    expect(await notesText()).toBe(await panelNotes());
  });

  it('drives the presenter with its Next and Previous buttons and the presenter’s keys', async () => {
    await notes.getByRole('button', { name: 'Next →' }).click();
    await expect.poll(counter).toBe('3 / 9');
    await expect.poll(notesCounter).toBe('Slide 3 / 9');
    expect(await notesTitle()).toBe(titles[2]);
    // The first stage's challenges and on-ramps: the notes name them.
    expect(await notesText()).toContain('Top challenges in');
    expect(await notesText()).toBe(await panelNotes());

    await notes.getByRole('button', { name: '← Previous' }).click();
    await expect.poll(counter).toBe('2 / 9');
    await notes.keyboard.press('PageDown');
    await expect.poll(counter).toBe('3 / 9');
    await notes.keyboard.press('End');
    await expect.poll(counter).toBe('9 / 9');
    await expect.poll(notesNext).toBe('Last slide');
    expect(await notes.getByRole('button', { name: 'Next →' }).getAttribute('aria-disabled')).toBe('true');
    await notes.keyboard.press('Home');
    await expect.poll(counter).toBe('1 / 9');
    await notes.keyboard.press('ArrowRight');
    await notes.keyboard.press('ArrowRight');
    await expect.poll(counter).toBe('3 / 9');
    await expect.poll(notesCounter).toBe('Slide 3 / 9');

    // Long notes scroll inside their region, from the keyboard too, while Previous and Next stay in view.
    const region = notes.getByRole('region', { name: 'Notes for this slide' });
    expect(await region.evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true);
    await region.focus();
    await notes.keyboard.press('ArrowDown');
    await expect.poll(() => region.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
    expect(await counter()).toBe('3 / 9');
    await notes.keyboard.press('ArrowUp');
    await expect.poll(() => region.evaluate((el) => el.scrollTop)).toBe(0);
    await expect.poll(() => notes.getByRole('button', { name: 'Next →' }).isVisible()).toBe(true);
    expect(await notes.getByRole('button', { name: 'Next →' }).evaluate((el) => el.getBoundingClientRect().bottom <= window.innerHeight)).toBe(true);
    await notes.getByRole('button', { name: '← Previous' }).focus();
    await screenshot(notes, 'presentation-notes-screen');
    expect(seriousViolations(await axeViolations(notes))).toEqual([]);
  });

  it('catches up after a reload: it asks the running presenter for its state', async () => {
    await notes.reload();
    await expect.poll(notesCounter).toBe('Slide 3 / 9');
    expect(await notesTitle()).toBe(titles[2]);
  });

  it('ignores messages that are not a well-formed state, and never shows them', async () => {
    await notes.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { seen: string[] }).seen = seen;
      new MutationObserver(() => seen.push(document.querySelector('main')?.textContent ?? '')).observe(document.body, { subtree: true, childList: true, characterData: true });
      // Another page of the same origin: the notes screen hears it as it hears the presenter.
      const other = new BroadcastChannel('cartography-presenter');
      other.postMessage({ type: 'state', index: 5, count: 3, title: 'Forged', notes: 'Forged', nextTitle: null, startedAt: 0 });
      other.postMessage({ type: 'state', index: 0, count: 9, title: 'Forged', notes: 'Forged', nextTitle: 'Forged', startedAt: 0, html: '<b>x</b>' });
      other.postMessage({ type: 'state', index: '0', count: 9, title: 'Forged', notes: 'Forged', nextTitle: 'Forged', startedAt: 0 });
      other.postMessage('ended');
      other.postMessage(['ended']);
      // Sent after the rest, so the presenter's answer (the next slide) arrives after them.
      other.postMessage({ type: 'next' });
      other.close();
    });
    await expect.poll(counter).toBe('4 / 9');
    await expect.poll(notesCounter).toBe('Slide 4 / 9');
    expect(await notesTitle()).toBe(titles[3]);
    const seen = await notes.evaluate(() => (window as unknown as { seen: string[] }).seen);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((text) => text.includes('Forged') || text.includes('ended'))).toEqual([]);
  });

  it('says when the presentation has ended', async () => {
    await page.keyboard.press('Escape');
    await expect.poll(() => presenter().count()).toBe(0);
    await screen().getByRole('heading', { name: 'The presentation has ended' }).waitFor();
    expect(await screen().textContent()).toContain('It ended at slide 4 of 9.');
    expect(await notes.getByRole('timer').count()).toBe(0);
    await screenshot(notes, 'presentation-notes-screen-ended');
    expect(seriousViolations(await axeViolations(notes))).toEqual([]);

    // Presenting again brings the notes back.
    await page.getByRole('button', { name: 'Start presentation' }).click();
    await presenter().waitFor();
    await expect.poll(notesCounter).toBe('Slide 1 / 9');
    await page.keyboard.press('Escape');
    await screen().getByRole('heading', { name: 'The presentation has ended' }).waitFor();
  });

  it('stays offline and throws nothing', () => {
    const origin = new URL(s.url).origin;
    expect(s.requests.filter((url) => !url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:'))).toEqual([]);
    expect(notesErrors).toEqual([]);
  });
});
