import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations, dumpDatabase, findChromium, screenshot, seriousViolations, startSession, type Session } from './harness.ts';
import { comparable } from '../support/snapshot.ts';

const chromiumPath = findChromium();

// The expected counts come from the demo study as stored, counted by regular expressions over folded text.
interface Demo {
  documents: { id: string; title: string; caseId: string | null; text: string }[];
  cases: { id: string; name: string }[];
  memos: { text: string }[];
}
const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
/** Hits and sources of a word, prefix or phrase (ASCII words) in the given texts. */
function expected(texts: string[], words: string[], prefix = false): { hits: number; sources: number } {
  const re = new RegExp(`(?<![\\p{L}\\p{N}])${words.join('[^\\p{L}\\p{N}]+')}${prefix ? '[\\p{L}\\p{N}]*' : '(?![\\p{L}\\p{N}])'}`, 'gu');
  const counts = texts.map((t) => fold(t).match(re)?.length ?? 0);
  return { hits: counts.reduce((a, b) => a + b, 0), sources: counts.filter((c) => c > 0).length };
}
const plural = (n: number, one: string) => `${n} ${n === 1 ? one : `${one}s`}`;

const box = (page: Page) => page.getByRole('searchbox', { name: 'Search transcripts and memos' });
const summary = (page: Page) => page.locator('.search-count');
const results = (page: Page) => page.getByRole('list', { name: 'Search results' });

/** Types a query and waits for the summary of its results. */
async function search(page: Page, query: string, summaryText: string | RegExp) {
  await box(page).fill(query);
  await expect.poll(async () => ((await summary(page).getAttribute('aria-busy')) === null ? await summary(page).textContent() : 'busy'), { timeout: 20_000 }).toMatch(summaryText);
}


describe.skipIf(!chromiumPath)('full-text search in Chromium', () => {
  let s: Session;
  let page: Page;
  let demo: Demo;
  let ALL: string[];
  beforeAll(async () => {
    s = await startSession();
    page = s.page;
    await page.goto(s.url);
    await page.getByRole('heading', { level: 1, name: 'Open LLM collaboration (demo)' }).waitFor();
    await page.keyboard.press('Alt+9');
    await page.getByRole('heading', { name: 'Full-text search' }).waitFor();
    // Built by the worker under the app's CSP (worker-src 'self').
    const db = (await dumpDatabase(page)) as unknown as { documents: Omit<Demo['documents'][number], 'text'>[]; texts: { id: string; text: string }[]; cases: Demo['cases']; memos: Demo['memos'] };
    const textOf = new Map(db.texts.map((t) => [t.id, t.text]));
    demo = { documents: db.documents.map((d) => ({ id: d.id, title: d.title, caseId: d.caseId, text: textOf.get(d.id)! })), cases: db.cases, memos: db.memos };
    ALL = [...demo.documents.map((d) => d.text), ...demo.memos.map((m) => m.text)];
    await page.getByRole('status').filter({ hasText: `Index ready: ${demo.documents.length + demo.memos.length} transcripts and memos.` }).waitFor({ timeout: 15_000 });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('finds words, phrases and prefixes, with every hit highlighted in its snippet', async () => {
    for (const [query, words, prefix] of [
      ['licence', ['licence'], false],
      ['"base model"', ['base', 'model'], false],
      ['licen*', ['licen'], true],
    ] as const) {
      const want = expected(ALL, [...words], prefix);
      expect(want.hits).toBeGreaterThan(2);
      await search(page, query, new RegExp(`^${plural(want.hits, 'hit')} in `));
      const marks = (await results(page).locator('mark.search-hit').allTextContents()).map(fold);
      expect(marks).toHaveLength(want.hits);
      for (const mark of marks) expect(mark).toMatch(prefix ? /^licen/ : new RegExp(`^${words.join('\\W+')}$`));
      expect(await results(page).locator(':scope > li').count()).toBe(want.sources);
    }
  });

  it('folds case and accents: "sabia" finds Sabiá in a transcript and a memo, and shows where they are', async () => {
    await search(page, 'sabia', '2 hits in 1 transcript and 1 memo.');
    expect(await results(page).locator('mark.search-hit').allTextContents()).toEqual(['Sabiá', 'Sabiá']);
    const group = results(page).locator(':scope > li').first();
    expect(await group.getByRole('heading').textContent()).toBe('Interview P12 — Sabiá');
    expect(await group.locator('.hit-meta').textContent()).toContain('Sabiá (Maritaca AI)');
    expect(await results(page).locator(':scope > li').nth(1).getByRole('heading').textContent()).toBe('Memo on code “Gated licences exclude regions”: Scope of the code');
  });

  it('reports an unbalanced quote and still searches', async () => {
    await search(page, '"base model', /hits? in /);
    await page.getByRole('list', { name: 'About this query' }).getByText(/quote at position 1 is not closed/).waitFor();
  });

  it('filters by case and by code', async () => {
    const typhoonCase = demo.cases.find((c) => c.name === 'Typhoon (SCB 10X)')!;
    const typhoon = demo.documents.find((d) => d.caseId === typhoonCase.id)!;
    const want = expected([typhoon.text], ['licen'], true);
    await search(page, 'licen*', new RegExp(`^${plural(expected(ALL, ['licen'], true).hits, 'hit')} in `));
    await page.getByRole('combobox', { name: 'Case' }).selectOption({ label: 'Typhoon (SCB 10X)' });
    // The transcript of the case, and memos on the case or on its transcript (here one, on a coding).
    await search(page, 'licen*', /^\d+ hits in 1 transcript and 1 memo\.$/);
    const groups = results(page).locator(':scope > li');
    expect(await groups.first().getByRole('heading').textContent()).toBe(typhoon.title);
    expect(await groups.first().locator('.hit-meta .count').textContent()).toBe(plural(want.hits, 'hit'));
    expect(await groups.nth(1).getByRole('heading').textContent()).toContain(`Memo on a coding in “${typhoon.title}”`);
    await page.getByRole('combobox', { name: 'Case' }).selectOption({ label: 'Any case' });

    await page.getByRole('combobox', { name: 'Within coding of' }).selectOption({ label: 'Gated licences exclude regions' });
    await search(page, 'licen*', /^\d+ hits? in \d+ transcripts?\.$/);
    const [hits] = (await summary(page).textContent())!.match(/\d+/)!.map(Number);
    expect(hits).toBeGreaterThan(0);
    expect(hits).toBeLessThan(expected(ALL, ['licen'], true).hits);
    expect(await results(page).locator('.kind-tag').count()).toBe(0); // memos are left out
    await screenshot(page, 'search-results-filtered');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);
    await page.getByRole('combobox', { name: 'Within coding of' }).selectOption({ label: 'Any text, coded or not' });
  });

  it('opens a hit in its transcript', async () => {
    await search(page, 'sabia', '2 hits in 1 transcript and 1 memo.');
    await results(page).getByRole('link', { name: 'Open in transcript' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Coding' }).waitFor();
    await expect.poll(() => page.getByRole('combobox', { name: 'Transcript' }).evaluate((e) => (e as HTMLSelectElement).selectedOptions[0]?.text)).toBe('Interview P12 — Sabiá');
    await page.keyboard.press('Alt+9');
    await box(page).waitFor();
  });

  it('codes all results as one change, and undo restores the database exactly', async () => {
    const before = await dumpDatabase(page);
    const codeId = (before['codes'] as { id: string; name: string }[]).find((c) => c.name === 'Formal governance')!.id;
    const codingsWith = (d: Record<string, unknown[]>) => (d['segments'] as { codings: { codeId: string }[] }[]).reduce((n, seg) => n + seg.codings.filter((c) => c.codeId === codeId).length, 0);
    const docs = expected(demo.documents.map((d) => d.text), ['licen'], true);
    const memos = expected(demo.memos.map((m) => m.text), ['licen'], true);

    await search(page, 'licen*', new RegExp(`^${plural(docs.hits + memos.hits, 'hit')} in `));
    await page.getByRole('button', { name: `Code all ${docs.hits} results…` }).click();
    const palette = page.getByRole('dialog', { name: 'Code all results with' });
    await palette.getByRole('combobox', { name: 'Find a code' }).fill('Formal governance');
    await page.keyboard.press('Enter');
    const confirm = page.getByRole('dialog', { name: 'Code all results' });
    await confirm.getByText(`Code ${docs.hits} results in ${docs.sources} transcripts with “Formal governance”?`).waitFor();
    await confirm.getByText(`${plural(memos.hits, 'hit')} in memos will not be coded.`).waitFor();
    await confirm.getByRole('button', { name: `Code ${docs.hits} results` }).click();
    await page.getByText(`Coded ${docs.hits} results with “Formal governance”.`).waitFor();
    expect(codingsWith(await dumpDatabase(page)) - codingsWith(before)).toBe(docs.hits);

    // The new codings are searchable at once through the code filter.
    await page.getByRole('combobox', { name: 'Within coding of' }).selectOption({ label: 'Formal governance' });
    await search(page, 'licen*', `${plural(docs.hits, 'hit')} in ${plural(docs.sources, 'transcript')}.`);
    await page.getByRole('combobox', { name: 'Within coding of' }).selectOption({ label: 'Any text, coded or not' });

    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Control+z');
    await expect.poll(async () => codingsWith(await dumpDatabase(page))).toBe(codingsWith(before));
    expect(comparable(await dumpDatabase(page))).toEqual(comparable(before));
  });

  it('finds a memo edited in the Coding view without a reload', async () => {
    await search(page, 'quokka', 'No hits.');
    await page.keyboard.press('Alt+4');
    const memo = page.getByRole('textbox', { name: 'Memo on this transcript' });
    await memo.fill('A quokka appears in this memo only.');
    await memo.press('Control+Enter');
    // the memo is written before the Search area is opened (as a researcher's next step would be)
    await expect
      .poll(async () => ((await dumpDatabase(page)) as unknown as { memos: { text: string }[] }).memos.some((m) => m.text === 'A quokka appears in this memo only.'), { timeout: 10_000 })
      .toBe(true);
    await page.keyboard.press('Alt+9');
    await search(page, 'quokka', '1 hit in 1 memo.');
    expect(await results(page).locator('mark.search-hit').allTextContents()).toEqual(['quokka']);
    // A draft left in the field when a shortcut switches screens is saved, not lost.
    await page.keyboard.press('Alt+4');
    await memo.fill('A wombat appears in this memo only.');
    await page.keyboard.press('Alt+9');
    await expect
      .poll(async () => ((await dumpDatabase(page)) as unknown as { memos: { text: string }[] }).memos.some((m) => m.text === 'A wombat appears in this memo only.'), { timeout: 10_000 })
      .toBe(true);
    await search(page, 'wombat', '1 hit in 1 memo.');
    await search(page, 'licen*', /hits in/);
    await screenshot(page, 'search-results');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);
  });
});
