/**
 * Merging a teammate's work in Chromium: the demo study exported from the study list, changed
 * in Node the way a teammate's copy would be (Mina, a new coder, coded two passages; a code got
 * another definition; "researcher a", under a GUID of their own, coded one passage as
 * Researcher A did and one anew), then merged back from the study list. The report shows the
 * conflict with both versions and the coder matched by name; taking the file's definition and
 * calling the coders the same person updates the counts at once; the merge writes exactly
 * those choices, and one undo restores the database exactly.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coder, Coding, StudyRecords } from '../../shared/model/types.ts';
import { readStudyFileContents } from '../../shared/study-file/read.ts';
import { writeStudyFile } from '../../shared/study-file/write.ts';
import { comparable } from '../support/snapshot.ts';
import { axeViolations, dumpDatabase, findChromium, screenshot, seriousViolations, startSession, type Session } from './harness.ts';

const chromiumPath = findChromium();
const DEMO = 'Open LLM collaboration (demo)';
const FILE = 'mina.cartography.json';

interface StoredSegment {
  id: string;
  studyId: string;
  codings: { id: string; codeId: string; coderId: string }[];
}
interface Dump {
  studies: { id: string; name: string }[];
  coders: { id: string; studyId: string; name: string }[];
  codes: { id: string; studyId: string; definition: string }[];
  segments: StoredSegment[];
}
const dump = async (page: Page) => (await dumpDatabase(page)) as unknown as Dump;
const codingsOf = (d: Dump, studyId: string) => d.segments.filter((s) => s.studyId === studyId).flatMap((s) => s.codings.map((c) => ({ ...c, segmentId: s.id })));

/** The teammate's copy: the exported study with Mina's and the namesake's codings and another definition of one code. */
function teammateCopy(exported: string) {
  const study: StudyRecords = readStudyFileContents(exported, 'export.cartography.json', { now: new Date().toISOString(), newId: randomUUID }).records;
  const ours = study.coders.find((c) => c.name === 'Researcher A')!;
  const mina: Coder = { ...ours, id: randomUUID(), name: 'Mina' };
  const namesake: Coder = { ...ours, id: randomUUID(), name: 'researcher a' };
  const code = study.codes.find((c) => study.codings.some((x) => x.codeId === c.id))!;
  const by = (base: Coding, coder: Coder, codeId: string): Coding => ({ ...base, id: randomUUID(), coderId: coder.id, codeId, createdBy: coder.id });
  const [a, b] = study.codings.filter((c) => c.coderId !== ours.id);
  const repeated = study.codings.find((c) => c.coderId === ours.id)!;
  const fresh = study.codes.find((c) => !study.codings.some((x) => x.segmentId === repeated.segmentId && x.codeId === c.id))!;
  const codings = [by(a!, mina, a!.codeId), by(b!, mina, b!.codeId), by(repeated, namesake, repeated.codeId), by(repeated, namesake, fresh.id)];
  const records: StudyRecords = {
    ...study,
    coders: [...study.coders, mina, namesake],
    codes: study.codes.map((c) => (c.id === code.id ? { ...c, definition: 'Mina’s definition: any talk of this, however brief.' } : c)),
    codings: [...study.codings, ...codings],
  };
  return { text: JSON.stringify(writeStudyFile(records)), ours, mina, namesake, code, codings };
}

describe.skipIf(!chromiumPath)('merging a teammate’s work in Chromium', () => {
  let s: Session;
  let page: Page;
  let folder: string;

  beforeAll(async () => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'cartography-team-merge-'));
    s = await startSession();
    page = s.page;
    await page.goto(s.url);
    await page.getByRole('heading', { level: 1, name: DEMO }).waitFor();
  });
  afterAll(async () => {
    await s?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  const cells = (dialog: Locator, row: string) => dialog.getByRole('table', { name: 'What the merge does' }).getByRole('row', { name: new RegExp(`^${row} `) }).getByRole('cell');

  it('shows the conflict and the coder matched by name, merges exactly the choices made, and undoes the whole merge', async () => {
    await page.getByRole('link', { name: 'Cartography — all studies' }).click();
    await page.getByRole('heading', { level: 1, name: 'Studies' }).waitFor();
    const waiting = page.waitForEvent('download');
    await page.getByRole('button', { name: `Export ${DEMO}` }).click();
    const download = await waiting;
    const t = teammateCopy(readFileSync((await download.path())!, 'utf8'));
    const file = path.join(folder, FILE);
    writeFileSync(file, t.text);

    const before = await dump(page);
    const demo = before.studies.find((x) => x.name === DEMO)!;
    const codingsBefore = codingsOf(before, demo.id);
    const oursBefore = codingsBefore.filter((c) => c.coderId === t.ours.id).length;
    const definition = before.codes.find((c) => c.id === t.code.id)!.definition;

    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: `Merge a teammate’s work into ${DEMO}` }).click();
    await (await chooser).setFiles(file);
    const dialog = page.getByRole('dialog', { name: `Merge a teammate’s work: ${FILE}` });
    const report = dialog.getByRole('region', { name: 'The merge' });
    await report.waitFor();

    // Both versions of the definition, side by side, and "keep ours" chosen.
    const conflict = dialog.getByRole('group', { name: new RegExp(`^Code “`) });
    expect(await conflict.count()).toBe(1);
    expect(await conflict.getByRole('row', { name: /^Definition / }).getByRole('cell').allTextContents()).toEqual([definition, 'Mina’s definition: any talk of this, however brief.']);
    expect(await conflict.getByRole('radio', { name: 'Keep ours' }).isChecked()).toBe(true);
    // The namesake is offered as the same person, and kept apart until chosen.
    const match = dialog.getByRole('group', { name: /^“researcher a” in the file, “Researcher A” in this study/ });
    expect(await match.getByRole('radio', { name: /^Separate coders/ }).isChecked()).toBe(true);
    expect(await cells(dialog, 'Coders').allTextContents()).toEqual(['2', String(before.coders.filter((c) => c.studyId === demo.id).length), '0', '0']);
    expect(await cells(dialog, 'Codings').allTextContents()).toEqual(['4', String(codingsBefore.length), '0', '0']);
    expect(await cells(dialog, 'Codes').allTextContents()).toEqual(['0', String(before.codes.filter((c) => c.studyId === demo.id).length), '1', '0']);
    // Nothing is written before Merge.
    expect(comparable((await dump(page)) as never)).toEqual(comparable(before as never));

    // The choices, by keyboard where a researcher would use it: the counts follow at once.
    await conflict.getByRole('radio', { name: 'Take theirs' }).focus();
    await page.keyboard.press('Space');
    expect(await conflict.getByRole('radio', { name: 'Take theirs' }).isChecked()).toBe(true);
    await match.getByRole('radio', { name: /^Same person/ }).check();
    expect(await cells(dialog, 'Codes').allTextContents()).toEqual(['0', String(before.codes.filter((c) => c.studyId === demo.id).length), '1', '1']);
    expect(await cells(dialog, 'Coders').allTextContents()).toEqual(['1', String(before.coders.filter((c) => c.studyId === demo.id).length), '0', '0']);
    // The namesake's repeat of Researcher A's coding is one coding, not two.
    expect(await cells(dialog, 'Codings').allTextContents()).toEqual(['3', String(codingsBefore.length), '0', '0']);
    await screenshot(page, 'team-merge-report');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);

    await dialog.getByRole('button', { name: `Merge into “${DEMO}”` }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: /^Merged / }).first().waitFor();
    await page.getByRole('heading', { level: 1, name: DEMO }).waitFor();

    const merged = await dump(page);
    expect(merged.codes.find((c) => c.id === t.code.id)!.definition).toBe('Mina’s definition: any talk of this, however brief.');
    expect(merged.coders.filter((c) => c.studyId === demo.id).map((c) => c.name)).toContain('Mina');
    expect(merged.coders.some((c) => c.id === t.namesake.id)).toBe(false);
    const after = codingsOf(merged, demo.id);
    expect(after.filter((c) => c.coderId === t.mina.id).map((c) => c.id).sort()).toEqual([t.codings[0]!.id, t.codings[1]!.id].sort());
    expect(after.filter((c) => c.coderId === t.namesake.id)).toEqual([]);
    expect(after.filter((c) => c.coderId === t.ours.id)).toHaveLength(oursBefore + 1);
    expect(after.find((c) => c.id === t.codings[3]!.id)).toMatchObject({ coderId: t.ours.id, codeId: t.codings[3]!.codeId });
    const keys = after.map((c) => `${c.segmentId}:${c.codeId}:${c.coderId}`);
    expect(new Set(keys).size).toBe(keys.length);
    await screenshot(page, 'team-merge-merged');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);

    await page.locator('body').press('Control+z');
    await page.getByRole('status').filter({ hasText: /Undone: Merge/ }).first().waitFor();
    expect(comparable((await dump(page)) as never)).toEqual(comparable(before as never));
  });

  it('refuses a file that is not a study file, naming it, and changes nothing', async () => {
    await page.getByRole('link', { name: 'Cartography — all studies' }).click();
    const before = comparable((await dump(page)) as never);
    const file = path.join(folder, 'broken.cartography.json');
    writeFileSync(file, '{"format": "cartography-study", "version": 1, "study": {}}');
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: `Merge a teammate’s work into ${DEMO}` }).click();
    await (await chooser).setFiles(file);
    const dialog = page.getByRole('dialog', { name: 'Merge a teammate’s work: broken.cartography.json' });
    const alert = dialog.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/^broken\.cartography\.json cannot be merged; nothing was changed\./);
    expect(await dialog.getByRole('button', { name: /^Merge into/ }).count()).toBe(0);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(comparable((await dump(page)) as never)).toEqual(before);
  });
});
