import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations, dragSelect, findChromium, screenshot, seriousViolations, startSession, type Session } from './harness.ts';

const chromiumPath = findChromium();
const DOC = 'Interview P01 — OLMo';
const OTHER_DOC = 'Interview P02 — Bielik';
const PASSAGE = 'data mixtures, loss spikes';

async function codingCount(page: Page): Promise<number> {
  const text = await page.getByRole('heading', { name: /^Codings/ }).textContent();
  return Number(/\((\d+)\)/.exec(text ?? '')![1]);
}
async function choose(page: Page, query: string) {
  const palette = page.getByRole('dialog', { name: 'Apply a code' });
  await palette.waitFor();
  await palette.getByRole('combobox', { name: 'Find a code' }).fill(query);
  await page.keyboard.press('Enter');
  await palette.waitFor({ state: 'detached' });
}
const codingAs = (page: Page) => page.getByRole('combobox', { name: 'Coding as' }).evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent);
const grid = (page: Page) => page.getByRole('grid', { name: 'Assignments: transcripts by coder' });
const cell = (page: Page, doc: string, coder: string) => grid(page).getByRole('gridcell', { name: new RegExp(`^${doc}, ${coder}: `) });

async function openTeam(page: Page) {
  await page.keyboard.press('Alt+3');
  await page.getByRole('tab', { name: 'Team' }).click();
  await grid(page).waitFor();
}

async function openTranscript(page: Page) {
  await page.keyboard.press('Alt+4');
  await page.getByRole('combobox', { name: 'Transcript' }).selectOption({ label: DOC });
  await page.getByRole('heading', { name: /^Codings/ }).waitFor();
}

describe.skipIf(!chromiumPath)('blind parallel coding in Chromium', () => {
  let s: Session;
  let page: Page;
  let teamCodingsOfA: number;
  beforeAll(async () => {
    s = await startSession();
    page = s.page;
    await page.goto(s.url);
    await page.getByRole('heading', { level: 1, name: 'Open LLM collaboration (demo)' }).waitFor();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('adds a coder in the Team tab, shown with the short form of their GUID', async () => {
    await openTeam(page);
    await page.getByLabel('New coder’s name').fill('Researcher C');
    await page.getByRole('button', { name: 'Add coder' }).click();
    const row = page.getByRole('table', { name: /^Coders/ }).getByRole('row', { name: /Researcher C/ });
    await row.waitFor();
    expect(await row.locator('code').textContent()).toMatch(/^[0-9a-f]{8}$/);
    await grid(page).getByRole('columnheader', { name: /Researcher C/ }).waitFor();
  });

  it('assigns a transcript to two coders, and moves cells on from the keyboard', async () => {
    await page.getByLabel('Transcripts (Shift or Ctrl to choose several)').selectOption([{ label: DOC }]);
    for (const coder of ['Researcher A', 'Researcher C']) {
      // Coders are listed with the short form of their GUID: "Researcher A (1a2b3c4d)".
      const picker = page.getByRole('combobox', { name: 'Coder', exact: true });
      const value = await picker.evaluate((el, name) => Array.from((el as HTMLSelectElement).options).find((o) => o.text.startsWith(`${name} (`))?.value ?? '', coder);
      await picker.selectOption(value);
      await page.getByRole('button', { name: 'Assign', exact: true }).click();
      await expect.poll(() => cell(page, DOC, coder).getAttribute('data-status')).toBe('assigned');
    }
    // Keyboard: from P01 × A, Down to P02 × A, Space assigns it, Space again: in progress; Delete takes it back.
    await cell(page, DOC, 'Researcher A').focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-cell'))).toBe(await cell(page, OTHER_DOC, 'Researcher A').getAttribute('data-cell'));
    await page.keyboard.press('Space');
    await expect.poll(() => cell(page, OTHER_DOC, 'Researcher A').getAttribute('data-status')).toBe('assigned');
    await page.keyboard.press('Enter');
    await expect.poll(() => cell(page, OTHER_DOC, 'Researcher A').getAttribute('data-status')).toBe('in-progress');
    await page.keyboard.press('Delete');
    await expect.poll(() => cell(page, OTHER_DOC, 'Researcher A').getAttribute('data-status')).toBe('none');
  });

  it('turns blind coding on, with its explanation', async () => {
    const blind = page.getByRole('switch', { name: 'Code blind' });
    await page.getByText('Each coder sees only their own codings until you turn this off to compare.').waitFor();
    await blind.check();
    await expect.poll(() => blind.isChecked()).toBe(true);
    await screenshot(page, 'team-panel');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);
  });

  it('codes a passage as coder A, seeing only A’s codings', async () => {
    await openTranscript(page);
    expect(await codingAs(page)).toBe('Researcher A');
    await page.getByRole('region', { name: 'Blind coding' }).getByText('You see only the codings of').waitFor();
    teamCodingsOfA = await codingCount(page);
    await dragSelect(page, PASSAGE);
    await page.locator('.transcript').press('Control+k');
    await choose(page, 'Technical exp');
    await expect.poll(() => codingCount(page)).toBe(teamCodingsOfA + 1);
  });

  it('asks before switching to coder C, then hides A’s codings', async () => {
    await page.getByRole('combobox', { name: 'Coding as' }).selectOption({ label: 'Researcher C' });
    const confirm = page.getByRole('dialog', { name: 'Code as Researcher C?' });
    await confirm.getByText(/Blind coding is on/).waitFor();
    // Cancel keeps A.
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    expect(await codingAs(page)).toBe('Researcher A');
    await page.getByRole('combobox', { name: 'Coding as' }).selectOption({ label: 'Researcher C' });
    await page.getByRole('dialog', { name: 'Code as Researcher C?' }).getByRole('button', { name: 'Switch to Researcher C' }).click();
    await expect.poll(() => codingAs(page)).toBe('Researcher C');
    await expect.poll(() => codingCount(page)).toBe(0);
    expect(await page.locator('.transcript mark.coded').count()).toBe(0);
    await page.getByRole('region', { name: 'Blind coding' }).getByText('Researcher C').waitFor();
  });

  it('codes the same passage differently as C and marks the transcript done', async () => {
    await dragSelect(page, PASSAGE);
    await page.locator('.transcript').press('Control+k');
    await choose(page, 'Data work');
    await expect.poll(() => codingCount(page)).toBe(1);
    const title = await page.locator('mark.coded', { hasText: 'data mixtures' }).first().getAttribute('title');
    expect(title).toContain('Data work undervalued');
    expect(title).not.toContain('Technical expertise barrier');
    const assignment = page.getByRole('region', { name: 'Your assignment' });
    await assignment.getByText('Researcher C: Assigned').waitFor();
    await assignment.getByRole('button', { name: 'Mark this transcript done' }).click();
    await assignment.getByText('Researcher C: Done').waitFor();
    await screenshot(page, 'team-blind-coding');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);
  });

  it('keeps A’s codings out of coder C’s search within codings and retrieval', async () => {
    await page.keyboard.press('Alt+9');
    const fullText = page.getByRole('region', { name: 'Full-text search' });
    await fullText.getByRole('combobox', { name: 'Within coding of' }).selectOption({ label: 'Technical expertise barrier' });
    await fullText.getByText('Blind coding is on: only Researcher C’s codings count.').waitFor();
    await fullText.getByRole('searchbox').fill('"data mixtures"');
    await expect.poll(() => fullText.locator('.search-count').textContent()).toBe('No hits.');
    await fullText.getByRole('combobox', { name: 'Within coding of' }).selectOption({ label: 'Data work undervalued' });
    await expect.poll(() => fullText.locator('.search-count').textContent()).toBe('1 hit in 1 transcript.');

    const retrieval = page.getByRole('region', { name: 'Coded segments' });
    await retrieval.getByRole('combobox', { name: 'Code' }).selectOption({ label: 'Technical expertise barrier' });
    await expect.poll(() => retrieval.getByRole('status').textContent()).toBe('0 segments from 1 code');
    await retrieval.getByRole('combobox', { name: 'Code' }).selectOption({ label: 'Data work undervalued' });
    await expect.poll(() => retrieval.getByRole('status').textContent()).toBe('1 segments from 1 code');
    expect(await retrieval.locator('.retrieved-codes .code-chip').allTextContents()).toEqual(['Data work undervalued · Researcher C']);
  });

  it('shows both coders’ progress in the grid', async () => {
    await openTeam(page);
    const exactCell = (name: string) => grid(page).getByRole('gridcell', { name, exact: true });
    await exactCell(`${DOC}, Researcher C: Done, 1 coding`).waitFor();
    await exactCell(`${DOC}, Researcher A: Assigned, ${teamCodingsOfA + 1} codings`).waitFor();
    await exactCell(`${OTHER_DOC}, Researcher C: Not assigned, 0 codings`).waitFor();
    await grid(page).getByRole('row', { name: new RegExp(DOC) }).getByText('1 of 2 done').waitFor();
    const coderC = page.getByRole('table', { name: /^Coders/ }).getByRole('row', { name: /Researcher C/ });
    expect(await coderC.locator('td.num').allTextContents()).toEqual(['0', '0', '1', '1', '1']);
  });

  it('turns blind coding off: both codings are visible', async () => {
    await page.getByRole('switch', { name: 'Code blind' }).uncheck();
    await openTranscript(page);
    expect(await page.getByRole('region', { name: 'Blind coding' }).count()).toBe(0);
    await expect.poll(() => codingCount(page)).toBe(teamCodingsOfA + 2);
    const title = () => page.locator('mark.coded', { hasText: 'data mixtures' }).first().getAttribute('title');
    await expect.poll(title).toContain('Technical expertise barrier');
    expect(await title()).toContain('Data work undervalued');
    await screenshot(page, 'team-blind-off');
    // Search within A's code finds the passage again.
    await page.keyboard.press('Alt+9');
    const fullText = page.getByRole('region', { name: 'Full-text search' });
    await fullText.getByRole('combobox', { name: 'Within coding of' }).selectOption({ label: 'Technical expertise barrier' });
    await fullText.getByRole('searchbox').fill('"data mixtures"');
    await expect.poll(() => fullText.locator('.search-count').textContent()).toBe('1 hit in 1 transcript.');
    expect(await fullText.getByText(/Blind coding is on/).count()).toBe(0);
  });
});
