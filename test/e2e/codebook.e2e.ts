/**
 * The codebook editor in Chromium, on the demo study: editing a code's fields (saved on
 * blur, recorded in its history), renaming in the tree with F2, recolouring, moving codes
 * by keyboard and by drag and drop, merging with its confirmation and undo, splitting,
 * deleting with codings moved, and editing the lifecycle stages.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparable } from '../support/snapshot.ts';
import { axeViolations, dumpDatabase, findChromium, screenshot, seriousViolations, startSession, type Session } from './harness.ts';

const chromiumPath = findChromium();

interface StoredCode {
  id: string;
  name: string;
  color: string;
  parentId: string | null;
  stageId: string | null;
  kind: string;
  shortDefinition: string;
  history: { summary: string }[];
}
interface StoredSegment {
  id: string;
  documentId: string;
  codings: { id: string; codeId: string; coderId: string }[];
}
interface Dump {
  codes: StoredCode[];
  segments: StoredSegment[];
  stages: { id: string; name: string; order: number }[];
  documents: { id: string; codingCount: number }[];
}

const dump = async (page: Page) => (await dumpDatabase(page)) as unknown as Dump;
const codeNamed = (d: Dump, name: string) => d.codes.find((c) => c.name === name);
const codingsOf = (d: Dump, codeId: string) => d.segments.flatMap((s) => s.codings.filter((c) => c.codeId === codeId).map((c) => ({ ...c, segmentId: s.id, documentId: s.documentId })));
const plural = (n: number, one: string) => `${n} ${n === 1 ? one : `${one}s`}`;

describe.skipIf(!chromiumPath)('the codebook editor in Chromium', () => {
  let s: Session;
  let page: Page;
  let tree: Locator;
  let detail: Locator;
  const item = (name: string) => tree.getByRole('treeitem', { name: new RegExp(`^${name.replace(/[()]/g, '\\$&')}( draft| retired)?$`) });
  const undo = async (label: RegExp) => {
    await tree.locator('[tabindex="0"]').focus();
    await page.keyboard.press('Control+z');
    await page.getByRole('status').filter({ hasText: label }).first().waitFor();
  };

  beforeAll(async () => {
    s = await startSession();
    page = s.page;
    await page.goto(s.url);
    await page.getByRole('heading', { level: 1, name: 'Open LLM collaboration (demo)' }).waitFor();
    await page.keyboard.press('Alt+5');
    tree = page.getByRole('tree', { name: /Codebook/ });
    detail = page.getByRole('region', { name: 'Code definition' });
    await item('Compute partnerships').waitFor();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('shows live counts and edits a code’s fields in place, each save in its history and undoable', async () => {
    const before = await dump(page);
    const code = codeNamed(before, 'Compute partnerships')!;
    const codings = codingsOf(before, code.id);
    const documents = new Set(codings.map((c) => c.documentId)).size;
    await item('Compute partnerships').click();
    await detail.getByRole('textbox', { name: 'Name' }).waitFor();
    expect(await detail.locator('.code-counts strong').textContent()).toContain(`${plural(new Set(codings.map((c) => c.segmentId)).size, 'segment')} · ${plural(documents, 'document')}`);

    const short = detail.getByRole('textbox', { name: 'Short definition' });
    await short.fill('Partners lend the compute a training run needs.');
    await short.press('Tab'); // leaving the field saves it
    await expect.poll(async () => codeNamed(await dump(page), 'Compute partnerships')!.shortDefinition).toBe('Partners lend the compute a training run needs.');
    await detail.getByRole('region', { name: 'Change history' }).getByText(/Short definition/i).first().waitFor();

    await detail.getByLabel('Colour of Compute partnerships').fill('#2a7f3b');
    await expect.poll(async () => codeNamed(await dump(page), 'Compute partnerships')!.color).toBe('#2a7f3b');

    await detail.getByRole('combobox', { name: 'Status' }).selectOption('draft');
    await item('Compute partnerships').filter({ hasText: 'draft' }).waitFor();
    await screenshot(page, 'codebook-editor');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);

    // three changes, three undos: the record is as it was
    await undo(/Undone/);
    await undo(/Undone/);
    await undo(/Undone/);
    await expect.poll(async () => codeNamed(await dump(page), 'Compute partnerships')).toEqual(code);
    expect(await short.inputValue()).toBe(code.shortDefinition);
  });

  it('renames with F2 in the tree, and moves codes with Alt+arrows', async () => {
    await item('Benchmarking').click();
    await page.keyboard.press('F2');
    const input = tree.getByRole('textbox', { name: 'New name for Benchmarking' });
    await input.fill('Benchmarking and evaluation');
    await input.press('Enter');
    await item('Benchmarking and evaluation').waitFor();
    expect(await item('Benchmarking and evaluation').evaluate((el) => el === document.activeElement)).toBe(true);

    // Alt+Right: under the code above it; Alt+Left: back out
    const above = await item('Benchmarking and evaluation').evaluate((el) => el.previousElementSibling?.querySelector('.code-name')?.textContent);
    await page.keyboard.press('Alt+ArrowRight');
    await expect.poll(() => item('Benchmarking and evaluation').getAttribute('aria-level')).toBe('4');
    let d = await dump(page);
    expect(codeNamed(d, 'Benchmarking and evaluation')!.parentId).toBe(codeNamed(d, above!)!.id);
    await page.keyboard.press('Alt+ArrowLeft');
    await expect.poll(() => item('Benchmarking and evaluation').getAttribute('aria-level')).toBe('3');
    d = await dump(page);
    expect(codeNamed(d, 'Benchmarking and evaluation')!.parentId).toBeNull();
    expect(codeNamed(d, 'Benchmarking and evaluation')!.history.map((h) => h.summary).join(' | ')).toMatch(/Renamed “Benchmarking” to “Benchmarking and evaluation”/);
  });

  it('re-parents and moves a code to another stage by drag and drop', async () => {
    // tall enough that the whole tree shows: a drag then needs no scrolling of the tree panel
    await page.setViewportSize({ width: 1360, height: 1800 });
    await item('Network firewalls').dragTo(item('Gated licences exclude regions'));
    await expect.poll(() => item('Network firewalls').getAttribute('aria-level')).toBe('4');
    let d = await dump(page);
    expect(codeNamed(d, 'Network firewalls')!.parentId).toBe(codeNamed(d, 'Gated licences exclude regions')!.id);
    // onto another stage's kind: the code takes that stage and kind
    const preChallenges = tree.locator('[data-key^="kind:"]').filter({ hasText: 'Challenges' }).first();
    await item('Network firewalls').dragTo(preChallenges);
    d = await dump(page);
    await expect.poll(async () => codeNamed(await dump(page), 'Network firewalls')!.stageId).toBe(d.stages.find((x) => x.name === 'Pre-training')!.id);
    d = await dump(page);
    expect(codeNamed(d, 'Network firewalls')!.parentId).toBeNull();
    expect(codeNamed(d, 'Network firewalls')!.kind).toBe('challenge');
    await undo(/Undone/);
    await undo(/Undone/);
    await expect.poll(async () => codeNamed(await dump(page), 'Network firewalls')!.stageId).toBe(d.stages.find((x) => x.name === 'Post-release')!.id);
    await page.setViewportSize({ width: 1360, height: 860 });
  });

  it('merges a code into another after saying exactly what will change, and undoes it', async () => {
    const before = await dump(page);
    const source = codeNamed(before, 'Competitive secrets')!;
    const target = codeNamed(before, 'Secrecy of training techniques')!;
    const moving = codingsOf(before, source.id);
    const targetKeys = new Set(codingsOf(before, target.id).map((c) => `${c.segmentId}|${c.coderId}`));
    const collapsed = moving.filter((c) => targetKeys.has(`${c.segmentId}|${c.coderId}`)).length;

    await item('Competitive secrets').click();
    await detail.getByRole('button', { name: 'Merge into…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Merge “Competitive secrets” into another code' });
    await dialog.getByRole('combobox', { name: 'Merge into' }).selectOption({ label: 'Secrecy of training techniques (challenge)' });
    const summary = dialog.locator('.change-summary');
    await expect.poll(() => summary.textContent()).toContain(plural(moving.length, 'coding'));
    await screenshot(page, 'codebook-merge');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);
    await dialog.getByRole('button', { name: 'Merge', exact: true }).click();
    await item('Competitive secrets').waitFor({ state: 'detached' });

    const after = await dump(page);
    expect(codeNamed(after, 'Competitive secrets')).toBeUndefined();
    expect(after.segments.flatMap((x) => x.codings).some((c) => c.codeId === source.id)).toBe(false);
    expect(codingsOf(after, target.id)).toHaveLength(codingsOf(before, target.id).length + moving.length - collapsed);
    expect(after.documents.reduce((n, x) => n + x.codingCount, 0)).toBe(before.documents.reduce((n, x) => n + x.codingCount, 0) - collapsed);

    await undo(/Undone: Merge/);
    await item('Competitive secrets').waitFor();
    expect(comparable(await dumpDatabase(page))).toEqual(comparable(before as unknown as Record<string, unknown[]>));
  });

  it('splits chosen segments off into a new code, and deletes a code moving its codings', async () => {
    const before = await dump(page);
    const code = codeNamed(before, 'Community feedback')!;
    const codings = codingsOf(before, code.id);
    await item('Community feedback').click();
    await detail.getByRole('button', { name: 'Split…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Split “Community feedback”' });
    await dialog.getByRole('textbox', { name: 'Name of the new code' }).fill('Feedback from users');
    await dialog.getByRole('checkbox').first().check();
    await screenshot(page, 'codebook-split');
    await dialog.getByRole('button', { name: /^Split 1 segment off/ }).click();
    await item('Feedback from users').waitFor();
    let d = await dump(page);
    const split = codeNamed(d, 'Feedback from users')!;
    const moved = codingsOf(d, split.id);
    expect(new Set(moved.map((c) => c.segmentId)).size).toBe(1);
    expect(codingsOf(d, code.id).length + moved.length).toBe(codings.length);

    // delete the new code, moving its codings back
    await item('Feedback from users').click();
    await page.keyboard.press('Delete');
    const del = page.getByRole('dialog', { name: 'Delete “Feedback from users”' });
    await del.getByRole('radio', { name: 'Move them to another code' }).check();
    await del.getByRole('combobox', { name: 'Move codings to' }).selectOption({ label: 'Community feedback (on-ramp)' });
    await expect.poll(() => del.locator('.change-summary').textContent()).toContain(plural(moved.length, 'coding'));
    expect(seriousViolations(await axeViolations(page))).toEqual([]);
    await del.getByRole('button', { name: 'Delete code' }).click();
    await item('Feedback from users').waitFor({ state: 'detached' });
    d = await dump(page);
    expect(codingsOf(d, code.id)).toHaveLength(codings.length);
  });

  it('adds, renames and reorders lifecycle stages; codes follow their stage', async () => {
    await page.getByRole('button', { name: 'Stages…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Lifecycle stages' });
    await dialog.getByRole('textbox', { name: 'New stage' }).fill('Deployment');
    await dialog.getByRole('button', { name: 'Add stage' }).click();
    await dialog.getByRole('textbox', { name: 'Name of stage 4' }).waitFor();
    expect(await dialog.getByRole('textbox', { name: 'Name of stage 4' }).inputValue()).toBe('Deployment');
    await dialog.getByRole('button', { name: 'Up: move Deployment earlier' }).click();
    await expect.poll(() => dialog.getByRole('textbox', { name: 'Name of stage 3' }).inputValue()).toBe('Deployment');
    const rename = dialog.getByRole('textbox', { name: 'Name of stage 1' });
    await rename.fill('Pre-training (data and compute)');
    await rename.press('Enter');
    await screenshot(page, 'codebook-stages');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);
    await dialog.getByRole('button', { name: 'Done' }).click();
    const stages = await tree.locator('[aria-level="1"]').allTextContents();
    expect(stages.map((x) => x.replace(/^[▾▸]/, ''))).toEqual(['Pre-training (data and compute)', 'Post-training', 'Deployment', 'Post-release', 'Cross-stage']);
    // the codes of the renamed stage are still there
    const d = await dump(page);
    const pre = d.stages.find((x) => x.name === 'Pre-training (data and compute)')!;
    expect(codeNamed(d, 'Compute partnerships')!.stageId).toBe(pre.id);
    await item('Compute partnerships').waitFor();
  });
});
