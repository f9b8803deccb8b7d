import path from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badFixture, fixtureNames, importFixture } from '../../fixtures/import/files.ts';
import { parseImportFile } from '../../shared/import/import-file.ts';
import type { ImportResult } from '../../shared/import/types.ts';
import type { Document, Participant } from '../../shared/model/types.ts';
import { countWords } from '../../shared/text/normalise.ts';
import { axeViolations, dumpDatabase, findChromium, REPO, screenshot, seriousViolations, startSession, type Session } from './harness.ts';
import { comparable } from '../support/snapshot.ts';

const chromiumPath = findChromium();
const GOOD = fixtureNames('import');
const BAD = fixtureNames('bad');
const importPath = (name: string) => path.join(REPO, 'fixtures/import', name);
const badPath = (name: string) => path.join(REPO, 'fixtures/bad', name);

// What the import layer makes of each file in Node: the expectations for the screens.
async function parseInNode(name: string, bytes: Uint8Array): Promise<ImportResult> {
  return parseImportFile(name, bytes, { getPdfDocument: getDocument });
}

const documentsOf = (d: Record<string, unknown[]>) => d['documents'] as Document[];

async function chooseFiles(page: Page, paths: string[]) {
  const chooser = page.waitForEvent('filechooser');
  const button = page.getByRole('button', { name: 'Import transcripts…' });
  await button.focus();
  await page.keyboard.press('Enter'); // reachable from the keyboard
  await (await chooser).setFiles(paths);
}

async function undoFromBody(page: Page) {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('Control+z');
}

describe.skipIf(!chromiumPath)('importing transcripts in Chromium', () => {
  let s: Session;
  let page: Page;
  const dialog = () => page.getByRole('dialog', { name: /^Import transcripts/ });
  const results = () => dialog().getByRole('list', { name: 'Import results' });
  const resultFor = (file: string) => results().locator(':scope > li').filter({ has: page.locator('.result-file', { hasText: new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) });

  beforeAll(async () => {
    s = await startSession();
    page = s.page;
    await page.goto(s.url);
    await page.getByRole('heading', { level: 1, name: 'Open LLM collaboration (demo)' }).waitFor();
    await page.keyboard.press('Alt+3');
    await page.getByRole('heading', { level: 1, name: 'Documents' }).waitFor();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('imports every format at once through the file dialog: CSV mapping, review, results, documents and speakers', async () => {
    const expected = new Map<string, ImportResult>();
    for (const name of GOOD) expected.set(name, await parseInNode(name, importFixture(name)));
    const before = documentsOf(await dumpDatabase(page));
    const demoCases = (await dumpDatabase(page))['cases'] as { id: string; name: string }[];

    await chooseFiles(page, GOOD.map(importPath));

    // CSV: the researcher checks the guessed columns against the first rows
    await dialog().getByRole('heading', { name: 'Import transcripts: map the CSV columns' }).waitFor();
    expect(await dialog().getByRole('combobox', { name: 'Text column of coded-excerpts.csv' }).inputValue()).toBe('text');
    expect(await dialog().getByRole('combobox', { name: 'Codes column of coded-excerpts.csv' }).inputValue()).toBe('codes');
    expect(await dialog().getByRole('combobox', { name: 'Timestamp column of coded-excerpts.csv' }).inputValue()).toBe('timestamp');
    await dialog().getByRole('region', { name: 'First rows of coded-excerpts.csv' }).getByText('We met in a library basement.').waitFor();
    await screenshot(page, 'import-csv-mapping');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);
    await dialog().getByRole('button', { name: 'Continue' }).click();

    // Review: one row per transcript, the Windows-1252 decision shown
    const review = dialog().getByRole('table', { name: 'Transcripts found' });
    await review.waitFor();
    const total = [...expected.values()].reduce((n, r) => n + r.documents.length, 0);
    expect(await review.locator('tbody tr').count()).toBe(total);
    const latin1 = review.locator('tbody tr').filter({ hasText: 'answers-latin1.txt' });
    await latin1.getByText('Encoding: windows-1252 (converted)').waitFor();
    await latin1.getByText(expected.get('answers-latin1.txt')!.documents[0]!.notes[0]!).waitFor();
    await review.locator('tbody tr').filter({ hasText: 'focus-group.md' }).getByText('Moderator, Ines, Tomasz').waitFor();
    // assign a case, and pick the interviewer where the parser marked none
    const kestrelLike = demoCases[0]!;
    await dialog().getByRole('combobox', { name: 'Case of interview.docx' }).selectOption({ label: kestrelLike.name });
    const meeting = expected.get('meeting.vtt')!.documents[0]!;
    const meetingInterviewer = meeting.turns.some((t) => t.isInterviewer) ? null : meeting.speakers[0]!;
    if (meetingInterviewer) await dialog().getByRole('combobox', { name: 'Interviewer in meeting.vtt' }).selectOption(meetingInterviewer);
    await screenshot(page, 'import-review');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);
    await dialog().getByRole('button', { name: `Import ${total} transcripts` }).click();

    // Results, file by file
    await dialog().getByRole('heading', { name: 'Import transcripts: done' }).waitFor();
    for (const name of GOOD) expect(await resultFor(name).locator('.result-status').textContent(), name).toBe('Imported');
    await resultFor('answers-latin1.txt').getByText('Encoding: windows-1252 (converted)').waitFor();
    await screenshot(page, 'import-results');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);
    await dialog().getByRole('button', { name: 'Close' }).click();
    await dialog().waitFor({ state: 'detached' });

    // Every document stored with its word count, turns and import details; one change per file
    const after = await dumpDatabase(page);
    const added = documentsOf(after).filter((d) => !before.some((b) => b.id === d.id));
    expect(added).toHaveLength(total);
    for (const [name, result] of expected) {
      const mine = added.filter((d) => d.importMeta.fileName === name);
      expect(mine.map((d) => d.title).sort(), name).toEqual(result.documents.map((d) => d.title).sort());
      for (const d of mine) {
        const parsed = result.documents.find((p) => p.title === d.title)!;
        expect(d.wordCount, name).toBe(countWords(parsed.text));
        expect(d.turns.length, name).toBe(parsed.turns.length);
        expect(d.importMeta.encoding, name).toBe(parsed.encoding);
      }
    }
    expect(added.find((d) => d.importMeta.fileName === 'interview.docx')!.caseId).toBe(kestrelLike.id);
    if (meetingInterviewer) {
      const turns = added.find((d) => d.importMeta.fileName === 'meeting.vtt')!.turns;
      expect(turns.filter((t) => t.isInterviewer).every((t) => t.speaker === meetingInterviewer)).toBe(true);
    }

    // The CSV's codes became codings (codes found or created)
    const segments = after['segments'] as { documentId: string; codings: unknown[] }[];
    const p04 = added.find((d) => d.title === 'Interview P04')!;
    expect(p04.codingCount).toBe(4);
    expect(segments.filter((x) => x.documentId === p04.id).flatMap((x) => x.codings)).toHaveLength(4);
    const codeNames = (after['codes'] as { name: string }[]).map((c) => c.name.toLowerCase());
    for (const name of ['motivation', 'responsiveness', 'governance', 'norms', 'origins']) expect(codeNames).toContain(name);

    // The Documents table lists them with their word counts
    const table = page.getByRole('table', { name: 'Transcripts' });
    for (const title of ['focus-group', 'meeting', 'podcast-otter', 'Interview P04']) {
      const doc = added.find((d) => d.title === title)!;
      const row = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: title, exact: true }) });
      expect(await row.locator('td.num').first().textContent(), title).toBe(doc.wordCount.toLocaleString('en-US'));
    }
    expect(await table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Interview P04', exact: true }) }).locator('td.num').nth(1).textContent()).toBe('4');

    // …and each opens in the Coding view with its speakers
    for (const [title, file] of [['focus-group', 'focus-group.md'], ['meeting', 'meeting.vtt'], ['Interview P04', 'coded-excerpts.csv']] as const) {
      await table.getByRole('link', { name: title, exact: true }).click();
      await page.locator('.transcript .speaker').first().waitFor();
      const parsed = expected.get(file)!.documents.find((d) => d.title === title)!;
      const shown = new Set((await page.locator('.transcript .speaker').allTextContents()).map((t) => t.replace(/^\[[^\]]*\]\s*/, '').replace(/[*:\s]+$/g, '').replace(/^\*+/, '').trim()));
      for (const speaker of parsed.speakers) expect([...shown].some((x) => x.includes(speaker)), `${title}: ${speaker} in ${[...shown].join(', ')}`).toBe(true);
      if (title === 'Interview P04') expect(await page.locator('.transcript mark.coded').count()).toBeGreaterThan(0);
      await page.keyboard.press('Alt+3');
      await table.waitFor();
    }
  });

  it('imports a file dropped onto the Documents area, suggesting its participant from the file name', async () => {
    const participant = ((await dumpDatabase(page))['participants'] as Participant[])[0]!;
    const fileName = `Interview_${participant.pseudonym.replace(/\s+/g, '_')}.txt`;
    const bytes = Array.from(importFixture('podcast-otter.txt'));
    const transfer = await page.evaluateHandle(
      ([name, data]) => {
        const dt = new DataTransfer();
        dt.items.add(new File([new Uint8Array(data)], name, { type: 'text/plain' }));
        return dt;
      },
      [fileName, bytes] as [string, number[]],
    );
    const area = page.locator('.documents-area');
    await area.dispatchEvent('dragenter', { dataTransfer: transfer });
    await area.dispatchEvent('dragover', { dataTransfer: transfer });
    await page.getByText('Drop transcripts to import them').waitFor();
    await screenshot(page, 'import-drop-zone');
    await area.dispatchEvent('drop', { dataTransfer: transfer });

    const participants = dialog().getByRole('group', { name: `Participants of ${fileName}` });
    await participants.waitFor();
    expect(await participants.getByRole('checkbox', { name: participant.pseudonym, exact: true }).isChecked()).toBe(true);
    await dialog().getByRole('button', { name: 'Import 1 transcript' }).click();
    await resultFor(fileName).getByText('Imported').waitFor();
    await dialog().getByRole('button', { name: 'Close' }).click();
    const doc = documentsOf(await dumpDatabase(page)).find((d) => d.importMeta.fileName === fileName)!;
    expect(doc.participantIds).toContain(participant.id);
    expect(doc.caseId).toBe(participant.caseId);
  });

  it('refuses bad inputs with a message per file and row, imports the rest of the batch, writes nothing for refused files, and undoes', async () => {
    const expected = new Map<string, ImportResult>();
    for (const name of BAD) expected.set(name, await parseInNode(name, badFixture(name)));
    const before = await dumpDatabase(page);

    await chooseFiles(page, [...BAD.map(badPath), importPath('podcast-otter.txt')]);
    await dialog().getByRole('heading', { name: 'Import transcripts: map the CSV columns' }).waitFor();
    await dialog().getByText('No column is chosen for the text, so “missing-text-column.csv” will not be imported.').waitFor();
    await dialog().getByRole('button', { name: 'Continue' }).click();

    const refusedSection = dialog().getByRole('region', { name: 'Files that cannot be imported' });
    await refusedSection.waitFor();
    const refused = BAD.filter((n) => expected.get(n)!.documents.length === 0);
    for (const name of refused) await refusedSection.getByText(expected.get(name)!.problems[0]!.message, { exact: true }).waitFor();
    const importable = [...BAD.filter((n) => !refused.includes(n)), 'podcast-otter.txt'];
    const count = importable.reduce((n, f) => n + (expected.get(f)?.documents.length ?? 1), 0);
    await dialog().getByRole('button', { name: `Import ${count} transcripts` }).click();

    await dialog().getByRole('heading', { name: 'Import transcripts: done' }).waitFor();
    for (const name of BAD) {
      const item = resultFor(name);
      const status = expected.get(name)!.documents.length === 0 ? 'Not imported' : 'Imported';
      expect(await item.locator('.result-status').textContent(), name).toBe(status);
      for (const problem of expected.get(name)!.problems) {
        expect(problem.message).toContain(`“${name}”`);
        await item.getByText(problem.message, { exact: true }).waitFor();
      }
    }
    await resultFor('empty-text-rows.csv').getByText(/row 3: the text cell/).waitFor();
    await resultFor('empty-text-rows.csv').getByText('3 rows to check').waitFor();
    await resultFor('unbalanced-quotes.csv').getByText(/row 3:/).first().waitFor();
    expect(await resultFor('podcast-otter.txt').locator('.result-status').textContent()).toBe('Imported');
    await dialog().getByText(`${importable.length} of ${BAD.length + 1} files imported.`).waitFor();
    await screenshot(page, 'import-bad-results');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);
    await dialog().getByRole('button', { name: 'Close' }).click();
    await dialog().waitFor({ state: 'detached' });

    // Only the files that imported left records behind
    const after = await dumpDatabase(page);
    const added = documentsOf(after).filter((d) => !documentsOf(before).some((b) => b.id === d.id));
    expect([...new Set(added.map((d) => d.importMeta.fileName))].sort()).toEqual([...importable].sort());

    // Undo, one file at a time, back to exactly the database before the batch
    const table = page.getByRole('table', { name: 'Transcripts' });
    const rowsBefore = documentsOf(before).length;
    for (let i = 0; i < importable.length; i += 1) await undoFromBody(page);
    await expect.poll(() => table.locator('tbody tr').count()).toBe(rowsBefore);
    await expect.poll(async () => comparable(await dumpDatabase(page))).toEqual(comparable(before));
  });
});
