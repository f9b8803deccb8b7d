/**
 * Reports and exports in Chromium on the demo study: the codebook report as HTML (quotes
 * followed by their attribution, identifying terms replaced) and Markdown, and the study as
 * a REFI-QDA project whose project.qde validates against the official schema.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, dumpDatabase, findChromium, REPO, screenshot, seriousViolations, startSession, type Session } from './harness.ts';

const chromiumPath = findChromium();
const PROJECT_XSD = path.join(REPO, '..', 'shared', 'interop', 'refi', 'Project.xsd');

describe.skipIf(!chromiumPath)('reports and exports in Chromium', () => {
  let s: Session;
  let page: Page;
  beforeAll(async () => {
    s = await startSession();
    page = s.page;
    await page.goto(s.url);
    await page.getByRole('heading', { level: 1, name: 'Open LLM collaboration (demo)' }).waitFor();
    await page.keyboard.press('Alt+8');
    await page.getByRole('heading', { level: 1, name: 'Reports and exports' }).waitFor();
  });
  afterAll(async () => {
    await s?.close();
  });

  const download = async (name: string | RegExp) => {
    const waiting = page.waitForEvent('download');
    await page.getByRole('button', { name }).click();
    const d = await waiting;
    return { name: d.suggestedFilename(), bytes: await readFile((await d.path())!) };
  };

  it('exports the codebook report as HTML with quotes, attributions and identifying terms replaced, and as Markdown', async () => {
    await page.getByRole('textbox', { name: /Identifying terms/ }).fill('supercomputer => [a computing centre]');
    await screenshot(page, 'reports');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);
    const html = (await download('HTML report')).bytes.toString('utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    for (const stage of ['Pre-training', 'Post-training', 'Post-release']) expect(html).toMatch(new RegExp(`<h2[^>]*>${stage}</h2>`));
    const quotes = [...html.matchAll(/<blockquote>([\s\S]*?)<\/blockquote>\s*<p class="attribution">— ([^<]+)<\/p>/g)];
    expect(quotes.length).toBeGreaterThan(20);
    for (const [, quote, attribution] of quotes) {
      expect(quote).not.toMatch(/\bsupercomputer\b/i);
      expect(attribution).toMatch(/^P\d+ · /);
    }
    expect(html).toContain('[a computing centre]');
    expect(html).not.toMatch(/<script|<img|<link|src=/i);
    const md = (await download('Markdown report')).bytes.toString('utf8');
    expect(md.split('\n')[0]).toMatch(/^# /);
    expect(md).toMatch(/\n> .+\n\n— P\d+ · /);
  });

  it('exports a REFI-QDA project: project.qde valid against the official schema, one source per transcript', async () => {
    const db = (await dumpDatabase(page)) as unknown as { documents: { id: string }[]; texts: { id: string; text: string }[] };
    const qdpx = await download('Export .qdpx…');
    expect(qdpx.name).toMatch(/\.qdpx$/);
    const files = unzipSync(new Uint8Array(qdpx.bytes));
    const names = Object.keys(files);
    expect(names).toContain('project.qde');
    const sources = names.filter((n) => n.startsWith('sources/'));
    expect(sources).toHaveLength(db.documents.length);
    for (const t of db.texts) expect(strFromU8(files[`sources/${t.id}.txt`]!)).toBe(t.text);
    const qde = strFromU8(files['project.qde']!);
    expect(qde).toContain('urn:QDA-XML:project:1.0');
    if (!existsSync(PROJECT_XSD)) {
      console.warn(`Project.xsd not found at ${PROJECT_XSD} (../shared is not beside this clone): the .qde was not validated`);
      return;
    }
    const lint = spawnSync('xmllint', ['--noout', '--schema', PROJECT_XSD, '-'], { input: qde, encoding: 'utf8' });
    if (lint.error) console.warn('xmllint is not installed: the .qde was not validated');
    else expect(lint.status, lint.stderr).toBe(0);
  });
});
