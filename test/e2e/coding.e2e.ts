import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations, caretBefore, dragSelect, dumpDatabase, findChromium, screenshot, seriousViolations, startSession, type Session } from './harness.ts';
import { comparable } from '../support/snapshot.ts';

const chromiumPath = findChromium();
const DOC = 'Interview P01 — OLMo';

async function codingCount(page: Page): Promise<number> {
  const text = await page.getByRole('heading', { name: /^Codings/ }).textContent();
  return Number(/\((\d+)\)/.exec(text ?? '')![1]);
}
async function expectCount(page: Page, n: number) {
  await expect.poll(() => codingCount(page)).toBe(n);
}
async function choose(page: Page, query: string) {
  const palette = page.getByRole('dialog', { name: /Apply a code|Change the code/ });
  await palette.waitFor();
  await palette.getByRole('combobox', { name: 'Find a code' }).fill(query);
  await page.keyboard.press('Enter');
  await palette.waitFor({ state: 'detached' });
}

describe.skipIf(!chromiumPath)('coding transcripts in Chromium', () => {
  let s: Session;
  let page: Page;
  beforeAll(async () => {
    s = await startSession();
    page = s.page;
    await page.goto(s.url);
    await page.getByRole('heading', { level: 1, name: 'Open LLM collaboration (demo)' }).waitFor();
    await page.keyboard.press('Alt+4');
    await page.getByRole('combobox', { name: 'Transcript' }).selectOption({ label: DOC });
    await page.locator('.transcript mark.coded').first().waitFor();
  });
  afterAll(async () => {
    await s?.close();
  });

  let initial: Record<string, unknown[]>;
  let start: number;

  it('codes a mouse selection from the palette', async () => {
    initial = await dumpDatabase(page);
    start = await codingCount(page);
    await dragSelect(page, 'data mixtures, loss spikes');
    await page.getByRole('button', { name: /Apply code/ }).click();
    await choose(page, 'Technical exp');
    await expectCount(page, start + 1);
    const mark = page.locator('mark.coded', { hasText: 'data mixtures' });
    expect(await mark.getAttribute('title')).toContain('Technical expertise barrier');
    await page.getByRole('complementary', { name: 'Coding tools' }).getByText('Selected coding').waitFor();
    await screenshot(page, 'coding-after-mouse');
  });

  it('allows overlapping codings', async () => {
    await dragSelect(page, 'loss spikes and, lately');
    await page.locator('.transcript').press('Control+k');
    await choose(page, 'Data work');
    await expectCount(page, start + 2);
    const overlap = page.locator('mark.coded.overlap', { hasText: 'loss spikes' });
    await overlap.first().waitFor();
    const title = await overlap.first().getAttribute('title');
    expect(title).toContain('Technical expertise barrier');
    expect(title).toContain('Data work undervalued');
  });

  it('codes from the keyboard: Shift+arrows, Ctrl+K, pinning and a number key', async () => {
    await caretBefore(page, 'mid-training phase');
    for (let i = 0; i < 2; i += 1) await page.keyboard.press('Control+Shift+ArrowRight');
    await page.keyboard.press('Control+k');
    const palette = page.getByRole('dialog', { name: 'Apply a code' });
    await palette.getByRole('combobox').fill('Sharing open training');
    await page.keyboard.press('Control+p'); // pin it to 1
    await page.keyboard.press('Enter');
    await palette.waitFor({ state: 'detached' });
    await expectCount(page, start + 3);
    await page.getByLabel('Pinned codes').getByText('Sharing open training datasets').waitFor();

    await caretBefore(page, 'the corpus, the code');
    for (let i = 0; i < 3; i += 1) await page.keyboard.press('Control+Shift+ArrowRight');
    await page.keyboard.press('1');
    await expectCount(page, start + 4);
    expect(await page.locator('mark.coded', { hasText: 'the corpus' }).first().getAttribute('title')).toContain('Sharing open training datasets');
    await screenshot(page, 'coding-keyboard');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);
  });

  it('adjusts, changes and removes a coding from the keyboard', async () => {
    await page.locator('mark.coded', { hasText: 'the corpus' }).first().click();
    const panel = page.getByRole('complementary', { name: 'Coding tools' });
    await panel.getByText('Selected coding').waitFor();
    const before = await panel.locator('.selected-coding q').textContent();
    await page.locator('.transcript').press('}');
    await expect.poll(() => panel.locator('.selected-coding q').textContent()).not.toBe(before);
    expect((await panel.locator('.selected-coding q').textContent())!.startsWith(before!)).toBe(true);
    await page.locator('.transcript').press('Control+k');
    await choose(page, 'Contributing to open');
    await expect.poll(() => panel.locator('.selected-coding .code-chip').textContent()).toBe('Contributing to open-source frameworks');
    await page.locator('.transcript').press('Delete');
    await expectCount(page, start + 3);
  });

  it('keeps a memo on a segment, shown on hover', async () => {
    await page.getByRole('button', { name: /Technical expertise barrier/ }).first().click();
    const memo = page.getByLabel('Memo on this segment');
    await memo.fill('Expertise is named before compute here.');
    await page.getByLabel('Memo on this transcript').click(); // blur saves
    await expect.poll(async () => page.locator('mark.coded', { hasText: 'data mixtures' }).first().getAttribute('title')).toContain('Memo: Expertise is named before compute here.');
    await screenshot(page, 'coding-memo');
  });

  it('undoes and redoes several actions in order, and undoing all restores the database exactly', async () => {
    const transcript = page.locator('.transcript');
    await transcript.focus();
    await page.keyboard.press('Control+z'); // memo
    await expect.poll(async () => page.locator('mark.coded', { hasText: 'data mixtures' }).first().getAttribute('title')).not.toContain('Memo:');
    await page.keyboard.press('Control+z'); // remove → coding back
    await expectCount(page, start + 4);
    await page.keyboard.press('Control+Shift+z'); // redo remove
    await expectCount(page, start + 3);
    await page.keyboard.press('Control+z');
    await expectCount(page, start + 4);
    // change code, resize, the number-key coding, keyboard coding, overlap, mouse coding
    for (let i = 0; i < 6; i += 1) await page.keyboard.press('Control+z');
    await expectCount(page, start);
    await page.keyboard.press('Control+y');
    await expectCount(page, start + 1);
    await page.keyboard.press('Control+z');
    await expectCount(page, start);
    const now = await dumpDatabase(page);
    expect(comparable(now)).toEqual(comparable(initial));
  });
});

describe.skipIf(!chromiumPath)('coder identity in Chromium', () => {
  let s: Session;
  beforeAll(async () => {
    s = await startSession();
    await s.page.goto(s.url);
    await s.page.getByRole('heading', { level: 1, name: 'Open LLM collaboration (demo)' }).waitFor();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('adds a coder, codes as them, and records them on the coding', async () => {
    const { page } = s;
    await page.keyboard.press('Alt+4');
    await page.locator('.transcript mark.coded').first().waitFor();
    const banner = page.getByRole('region', { name: 'Who is coding' });
    await banner.getByText('You are coding as Researcher A').waitFor();
    await banner.getByRole('button', { name: 'Add my name…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a coder' });
    await dialog.getByLabel('Coder’s name').fill('Researcher C');
    await dialog.getByRole('button', { name: 'Add and code as them' }).click();
    await expect.poll(async () => page.getByRole('combobox', { name: 'Coding as' }).evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent)).toBe('Researcher C');
    await dragSelect(page, 'intermediate checkpoints');
    await page.locator('.transcript').press('Control+k');
    await choose(page, 'Sharing weights');
    await expect.poll(async () => page.locator('mark.coded', { hasText: 'intermediate checkpoints' }).first().getAttribute('title')).toContain('Coder: Researcher C');
    await banner.waitFor({ state: 'detached' });
    await page.getByRole('combobox', { name: 'Coding as' }).selectOption({ label: 'Add a coder…' });
    await page.getByRole('dialog', { name: 'Add a coder' }).getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('combobox', { name: 'Coding as' }).selectOption({ label: 'Researcher A' });
    await expect.poll(async () => page.getByRole('combobox', { name: 'Coding as' }).evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent)).toBe('Researcher A');
  });
  it('edits a transcript’s details and deletes it, both undoable', async () => {
    const { page } = s;
    await page.getByText('Transcript details').click();
    await page.getByLabel('Title', { exact: true }).fill('Interview P01 — OLMo (edited)');
    await page.getByRole('button', { name: 'Save details' }).click();
    await expect.poll(() => page.getByRole('combobox', { name: 'Transcript' }).evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent)).toBe('Interview P01 — OLMo (edited)');
    await page.locator('.transcript').focus();
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.getByRole('combobox', { name: 'Transcript' }).evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent)).toBe('Interview P01 — OLMo');

    await page.getByText('Transcript details').click();
    await page.getByRole('button', { name: 'Delete transcript…' }).click();
    const confirm = page.getByRole('dialog', { name: /^Delete “Interview P01 — OLMo”\?$/ });
    await confirm.getByText(/coded segments with \d+ codings/).waitFor();
    await confirm.getByRole('button', { name: 'Delete transcript' }).click();
    const rows = page.getByRole('table', { name: 'Transcripts' }).locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(13);
    await page.locator('body').press('Control+z');
    await expect.poll(() => rows.count()).toBe(14);
  });
  it('refuses every edit of the transcript, and codes a triple-clicked turn exactly', async () => {
    const { page } = s;
    await page.keyboard.press('Alt+4');
    await page.locator('.transcript mark.coded').first().waitFor();
    const transcript = page.locator('.transcript');
    const before = await transcript.innerText();
    await caretBefore(page, 'Our whole pitch');
    for (const key of ['Control+Backspace', 'Control+Delete', 'Backspace', 'Delete', 'Control+b', 'Control+x', 'Enter', 'a']) await page.keyboard.press(key);
    expect(await transcript.innerText()).toBe(before);

    const turn = page.locator('.turn', { hasText: 'So where do outsiders come in?' });
    await turn.click({ clickCount: 3 });
    await page.keyboard.press('Control+k');
    await choose(page, 'Formal governance');
    const mark = page.locator('mark.coded', { hasText: 'So where do outsiders come in?' });
    await expect.poll(async () => (await mark.first().getAttribute('title')) ?? '').toContain('Formal governance');
    const coded = await page.getByRole('complementary', { name: 'Coding tools' }).locator('.selected-coding q').textContent();
    expect(coded).toBe('Interviewer: So where do outsiders come in?');
  });
});
