import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { computeAgreement, type AgreementCoding, type AgreementOptions, type AgreementStatistic } from '../../shared/analysis/agreement.ts';
import { comparable } from '../support/snapshot.ts';
import { axeViolations, dumpDatabase, findChromium, screenshot, seriousViolations, startSession, type Session } from './harness.ts';

const chromiumPath = findChromium();

interface Dump {
  coders: { id: string; name: string }[];
  codes: { id: string; name: string }[];
  documents: { id: string; title: string; length: number }[];
  segments: { id: string; documentId: string; start: number; end: number; codings: { id: string; codeId: string; coderId: string }[] }[];
  memos: { id: string; targetType: string; targetId: string; title: string; text: string; createdBy: string | null }[];
  settings: { key: string; value: unknown }[];
}

const dump = async (page: Page) => (await dumpDatabase(page)) as unknown as Dump;

/** What the screen compares by default, computed in Node from the stored records: codes a chosen coder applied, every document. */
function expectedAgreement(db: Dump, coderIds: string[], options: AgreementOptions) {
  const codings: AgreementCoding[] = db.segments.flatMap((s) => s.codings.map((c) => ({ id: c.id, documentId: s.documentId, codeId: c.codeId, coderId: c.coderId, start: s.start, end: s.end })));
  const chosen = codings.filter((c) => coderIds.includes(c.coderId));
  const codeIds = db.codes.map((c) => c.id).filter((id) => chosen.some((c) => c.codeId === id));
  return computeAgreement({ documents: db.documents.map((d) => ({ id: d.id, length: d.length })), codings: chosen, coderIds, codeIds }, options);
}

const fixed = (v: number | null) => (v === null ? '—' : v.toFixed(3));
const percent = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)} %`);
/** The cells the table shows for a statistic: percent, kappa, alpha, units. */
const cells = (s: AgreementStatistic) => [percent(s.percent), fixed(s.kappa), fixed(s.alpha), String(s.units)];

const table = (page: Page) => page.locator('.agreement-table table');
async function rowCells(page: Page, name: string): Promise<string[]> {
  const row = table(page).locator('tr', { has: page.getByRole('button', { name }) });
  return (await row.locator('td').allTextContents()).slice(0, 4);
}
async function overallCells(page: Page): Promise<string[]> {
  return (await table(page).locator('tfoot tr td').allTextContents()).slice(0, 4);
}

describe.skipIf(!chromiumPath)('the Agreement area in Chromium', () => {
  let s: Session;
  let page: Page;
  let before: Dump;
  let A: string;
  let B: string;
  const REGIONAL = 'Regional adaptation and use';

  beforeAll(async () => {
    s = await startSession();
    page = s.page;
    await page.goto(s.url);
    await page.getByRole('heading', { level: 1, name: 'Open LLM collaboration (demo)' }).waitFor();
    await page.keyboard.press('Alt+0');
    await page.getByRole('heading', { level: 1, name: 'Agreement' }).waitFor();
    before = await dump(page);
    A = before.coders.find((c) => c.name === 'Researcher A')!.id;
    B = before.coders.find((c) => c.name === 'Researcher B')!.id;
  });
  afterAll(async () => {
    await s?.close();
  });

  it('shows per code and overall the values the engine computes from the stored codings, for each unit', async () => {
    await page.getByRole('heading', { name: 'Document agreement of Researcher A, Researcher B' }).waitFor();
    const byDocument = expectedAgreement(before, [A, B], { unit: 'document' });
    expect(await overallCells(page)).toEqual(cells(byDocument.overall));
    const regionalId = before.codes.find((c) => c.name === REGIONAL)!.id;
    expect(await rowCells(page, REGIONAL)).toEqual(cells(byDocument.perCode.find((r) => r.codeId === regionalId)!));
    expect(await table(page).locator('tbody tr').count()).toBe(byDocument.perCode.length);

    await page.getByRole('radio', { name: 'Character' }).check();
    await page.getByRole('heading', { name: 'Character agreement of Researcher A, Researcher B' }).waitFor();
    expect(await overallCells(page)).toEqual(cells(expectedAgreement(before, [A, B], { unit: 'character' }).overall));

    await page.getByRole('radio', { name: 'Segment' }).check();
    expect(await page.getByRole('textbox', { name: 'Overlap threshold' }).inputValue()).toBe('0.5');
    expect(await overallCells(page)).toEqual(cells(expectedAgreement(before, [A, B], { unit: 'segment', overlap: 0.5 }).overall));
    await page.getByRole('textbox', { name: 'Overlap threshold' }).fill('0.9');
    await expect.poll(() => overallCells(page)).toEqual(cells(expectedAgreement(before, [A, B], { unit: 'segment', overlap: 0.9 }).overall));
    await page.getByRole('textbox', { name: 'Overlap threshold' }).fill('2');
    await page.getByText('Enter a share above 0 and at most 1 (e.g. 0.5); still using 0.9.').waitFor();

    await page.getByRole('radio', { name: 'Document' }).check();
    await page.getByRole('heading', { name: 'Document agreement of Researcher A, Researcher B' }).waitFor();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const saved = await download;
    expect(saved.suggestedFilename()).toBe('Open-LLM-collaboration-demo-agreement-document.csv');
    const csv = await readFile((await saved.path())!, 'utf8');
    const o = byDocument.overall;
    const plain = (v: number | null) => (v === null ? '' : String(Number(v.toFixed(6))));
    expect(csv.split('\r\n').find((line) => line.startsWith('Overall,'))!.split(',').slice(0, 5)).toEqual(['Overall', plain(o.percent), plain(o.kappa), plain(o.alpha), String(o.units)]);
    expect(csv.split('\r\n').filter((line) => line !== '')).toHaveLength(2 + 1 + byDocument.perCode.length + 1);

    await page.getByText('How to read these numbers').click();
    await page.getByText('Krippendorff’s alpha: α ≥ 0.800 reliable').waitFor();
    await screenshot(page, 'agreement-table');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);
  });

  it('reviews a disagreement side by side and accepts one coder’s coding into the consensus coder, which the table can then compare', async () => {
    await page.getByRole('button', { name: REGIONAL }).click();
    const list = page.getByRole('listbox', { name: `Disagreements on ${REGIONAL}` });
    await list.waitFor();
    // The list takes the focus, so the arrows work at once.
    expect(await list.evaluate((el) => el === document.activeElement)).toBe(true);
    const p03 = list.getByRole('option').filter({ hasText: 'Interview P03' });
    await p03.click();
    await expect.poll(() => p03.getAttribute('aria-selected')).toBe('true');

    // Both coders' columns show the passage; only A's has the code marked.
    const columnA = page.getByRole('article', { name: 'Researcher A' });
    const columnB = page.getByRole('article', { name: 'Researcher B' });
    const quote = await columnA.locator('mark').textContent();
    expect(quote).toMatch(/^Municipalities use our speech recognition/);
    expect(await columnB.locator('mark').count()).toBe(0);
    await columnB.getByText('Did not apply this code here.').waitFor();
    await columnB.getByText('Applied here: Derivative development.').waitFor();
    expect(await columnB.locator('.disputed').textContent()).toBe(quote);
    expect(await columnB.locator('blockquote').textContent()).toContain(quote!);
    await screenshot(page, 'agreement-review');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);

    await page.getByRole('textbox', { name: 'Memo on the decision' }).fill('Use in the region by municipalities: A’s reading.');
    await page.getByRole('button', { name: /^Accept Researcher A/ }).click();
    await page.getByRole('status').filter({ hasText: `Consensus on “${REGIONAL}”: Researcher A’s coding kept` }).waitFor();

    const after = await dump(page);
    const consensus = after.coders.find((c) => c.name === 'Consensus')!;
    expect(consensus).toBeDefined();
    expect(after.settings.find((x) => x.key.startsWith('agreement:'))!.value).toEqual({ consensusCoderId: consensus.id });
    const regionalId = after.codes.find((c) => c.name === REGIONAL)!.id;
    const consensusSegments = after.segments.filter((seg) => seg.codings.some((c) => c.coderId === consensus.id));
    expect(consensusSegments).toHaveLength(1);
    const segment = consensusSegments[0]!;
    expect(segment.codings.filter((c) => c.coderId === consensus.id).map((c) => c.codeId)).toEqual([regionalId]);
    expect(segment.codings.some((c) => c.coderId === A && c.codeId === regionalId)).toBe(true);
    const memo = after.memos.find((m) => m.createdBy === consensus.id)!;
    expect(memo).toMatchObject({ targetType: 'segment', targetId: segment.id, text: 'Use in the region by municipalities: A’s reading.' });
    await p03.getByText('Consensus codes it').waitFor();

    // Compare A with the consensus coder: the table recomputes from the new coding.
    await page.getByRole('checkbox', { name: /Consensus/ }).check();
    await page.getByRole('checkbox', { name: 'Researcher B' }).uncheck();
    await page.getByRole('heading', { name: 'Document agreement of Researcher A, Consensus' }).waitFor();
    const withConsensus = expectedAgreement(after, [A, consensus.id], { unit: 'document' });
    expect(await rowCells(page, REGIONAL)).toEqual(cells(withConsensus.perCode.find((r) => r.codeId === regionalId)!));
    expect(await overallCells(page)).toEqual(cells(withConsensus.overall));
    await screenshot(page, 'agreement-with-consensus');

    // Undo takes the decision and the consensus coder back, exactly (a checkbox keeps Ctrl+Z, as fields do: leave it first).
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Control+z');
    await page.getByRole('status').filter({ hasText: 'Undone: Consensus on' }).waitFor();
    await expect.poll(async () => comparable((await dumpDatabase(page)) as Record<string, unknown[]>)).toEqual(comparable(before as unknown as Record<string, unknown[]>));
    await page.getByText('Agreement compares two or more coders; only one is chosen. Choose at least two coders.').waitFor();
    expect(await page.getByRole('checkbox', { name: /Consensus/ }).count()).toBe(0);
  });

  it('moves through disagreements with the arrow keys and decides with the accelerators shown on the buttons', async () => {
    await page.getByRole('checkbox', { name: 'Researcher B' }).check();
    await page.getByRole('heading', { name: 'Document agreement of Researcher A, Researcher B' }).waitFor();
    const list = page.getByRole('listbox', { name: `Disagreements on ${REGIONAL}` });
    await list.focus();
    const selected = () => list.locator('[aria-selected="true"] .item-title').textContent();
    await page.keyboard.press('Home');
    const first = await selected();
    await page.keyboard.press('ArrowDown');
    await expect.poll(selected).not.toBe(first);
    const second = await selected();
    await page.keyboard.press('ArrowUp');
    await expect.poll(selected).toBe(first);
    expect(await page.getByRole('button', { name: /^Accept both/ }).getAttribute('aria-keyshortcuts')).toBe('B');
    expect(await page.getByRole('button', { name: /^Neither/ }).locator('kbd').textContent()).toBe('N');
    expect(await page.getByRole('button', { name: /^Accept Researcher B/ }).locator('kbd').textContent()).toBe('2');

    // N with no memo records nothing and says why; B keeps what the coders coded and moves on.
    await page.keyboard.press('n');
    await page.getByRole('status').filter({ hasText: 'Nothing to record' }).waitFor();
    expect(await selected()).toBe(first);
    await page.keyboard.press('b');
    await page.getByRole('status').filter({ hasText: `Consensus on “${REGIONAL}”: Researcher A’s coding kept` }).waitFor();
    await expect.poll(selected).toBe(second);
    await list.getByRole('option').first().getByText('Consensus codes it').waitFor();
    await list.focus();
    await page.keyboard.press('Control+z');
    await page.getByRole('status').filter({ hasText: 'Undone: Consensus on' }).waitFor();
    await expect.poll(async () => comparable((await dumpDatabase(page)) as Record<string, unknown[]>)).toEqual(comparable(before as unknown as Record<string, unknown[]>));
  });
});
