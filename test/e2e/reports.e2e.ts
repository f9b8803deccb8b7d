/**
 * Reports and exports in Chromium on the demo study: the codebook report in each format
 * (HTML opened as a page, Markdown, Word unzipped, PDF read back by pdf.js), a subset of
 * stages and codes, a pinned exemplar shown first, the lifecycle map included, and the study
 * as a REFI-QDA project whose project.qde validates against the official schema.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, dumpDatabase, findChromium, REPO, screenshot, seriousViolations, startSession, type Session } from './harness.ts';

const chromiumPath = findChromium();
const PROJECT_XSD = path.join(REPO, '..', 'shared', 'interop', 'refi', 'Project.xsd');
const MAIN_PART = 'word/document.xml';
const STAGES = ['Pre-training', 'Post-training', 'Post-release'];

/** Paragraphs of a Word body with their style: enough to find headings and quotes. */
function docxParagraphs(xml: string): { style: string; text: string }[] {
  return [...xml.matchAll(/<w:p>([\s\S]*?)<\/w:p>/g)].map(([, body]) => ({
    style: /<w:pStyle w:val="([^"]+)"\/>/.exec(body!)?.[1] ?? '',
    text: [...body!.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>|<w:br\/>/g)]
      .map((m) => (m[0] === '<w:br/>' ? '\n' : m[1]!))
      .join('')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&'),
  }));
}

describe.skipIf(!chromiumPath)('reports and exports in Chromium', () => {
  let s: Session;
  let page: Page;
  /** The one Pre-training code the selection test keeps, pinned afterwards. */
  let chosen = '';
  /** That code's first quote in the report before anything is pinned. */
  let automaticFirst = '';
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
  const exportAs = async (format: 'HTML' | 'Markdown' | 'Word (.docx)' | 'PDF') => {
    await page.getByRole('radio', { name: new RegExp(`^${format.replace(/[().]/g, '\\$&')}`) }).check();
    return download(`Export the report as ${format}…`);
  };
  /** The HTML report opened as a page: each stage with its code headings, and every quote with its attribution. */
  const readHtml = async (html: string) => {
    const view = await s.context.newPage();
    await view.setContent(html);
    const result = await view.evaluate(() => ({
      stages: [...document.querySelectorAll('section.stage')].map((section) => ({
        stage: section.querySelector('h2')!.textContent,
        codes: [...section.querySelectorAll('article.code')].map((a) => ({
          name: a.querySelector('h4')!.textContent,
          quotes: [...a.querySelectorAll('blockquote')].map((q) => ({ text: q.innerText, attribution: q.nextElementSibling?.textContent ?? '' })),
        })),
      })),
      scripts: document.scripts.length,
      figures: [...document.querySelectorAll('section.maps figure')].map((f) => ({ svg: f.querySelector('svg') !== null, caption: f.querySelector('figcaption')?.textContent ?? '' })),
    }));
    await view.close();
    return result;
  };

  it('shows the report options, and exports HTML with quotes followed by who said them, identifying terms replaced', async () => {
    await page.getByRole('textbox', { name: /Identifying terms/ }).fill('supercomputer => [a computing centre]');
    await expect.poll(() => page.getByText('All 27 codes will be in the report.').isVisible()).toBe(true);
    await expect.poll(() => page.getByText(/segments of 40–400 characters come before shorter or longer ones/).isVisible()).toBe(true);
    await page.getByRole('heading', { level: 2, name: 'Codebook report' }).scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'reports');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);
    const file = await exportAs('HTML');
    expect(file.name).toBe('Open-LLM-collaboration-demo-codebook-report.html');
    const html = file.bytes.toString('utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script|<img|<link|src=/i);
    const view = await readHtml(html);
    expect(view.scripts).toBe(0);
    expect(view.stages.map((st) => st.stage)).toEqual([...STAGES, 'Cross-stage']);
    const quotes = view.stages.flatMap((st) => st.codes.flatMap((c) => c.quotes));
    expect(quotes.length).toBeGreaterThan(20);
    for (const q of quotes) {
      expect(q.text).not.toMatch(/\bsupercomputer\b/i);
      expect(q.attribution).toMatch(/^— P\d+ · \S/);
    }
    expect(html).toContain('[a computing centre]');
  });

  it('exports Markdown, Word and PDF with the same headings and quotes', async () => {
    const md = (await exportAs('Markdown')).bytes.toString('utf8');
    expect(md.split('\n')[0]).toMatch(/^# Codebook report/);
    expect(md).toMatch(/\n> .+\n\n— P\d+ · /);

    const docx = await exportAs('Word (.docx)');
    expect(docx.name).toMatch(/\.docx$/);
    const files = unzipSync(new Uint8Array(docx.bytes));
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['[Content_Types].xml', MAIN_PART, 'word/styles.xml', 'docProps/core.xml']));
    const paras = docxParagraphs(strFromU8(files[MAIN_PART]!));
    expect(paras.filter((p) => p.style === 'Heading1').map((p) => p.text)).toEqual(['Study summary', ...STAGES, 'Cross-stage', 'Cases × codes']);
    expect(paras.filter((p) => p.style === 'Heading3').length).toBe(27);
    const quoteAt = paras.findIndex((p) => p.style === 'Quote');
    expect(paras[quoteAt + 1]!.style).toBe('Attribution');
    expect(paras[quoteAt + 1]!.text).toMatch(/^— P\d+ · /);

    const pdfFile = await exportAs('PDF');
    expect(pdfFile.name).toMatch(/\.pdf$/);
    const pdf = await getDocument({ data: new Uint8Array(pdfFile.bytes), isEvalSupported: false, verbosity: 0 }).promise;
    try {
      expect(pdf.numPages).toBeGreaterThan(5);
      let text = '';
      for (let i = 1; i <= pdf.numPages; i++) text += (await (await pdf.getPage(i)).getTextContent()).items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join('') + '\n';
      for (const stage of STAGES) expect(text).toContain(stage);
      expect(text).toContain('Study summary');
      expect(text).toMatch(/\n— P\d+ · /);
      expect(text).toContain(`page 1 of ${pdf.numPages}`);
    } finally {
      await pdf.destroy();
    }
    // The PDF's fonts came from the app's own files.
    expect(s.requests.filter((u) => u.endsWith('.ttf')).length).toBe(3);
    expect(s.requests.every((u) => u.startsWith(s.url))).toBe(true);
  });

  it('takes only the chosen stages and codes, and says how many', async () => {
    await page.getByRole('checkbox', { name: /^Post-release/ }).uncheck();
    await page.getByRole('checkbox', { name: /^Codes used in every stage/ }).uncheck();
    await page.getByRole('button', { name: 'None of the codes of Pre-training' }).click();
    await page.getByRole('searchbox', { name: 'Find a code' }).fill('secrecy');
    const codes = page.getByRole('group', { name: 'Codes of Pre-training' }).getByRole('checkbox');
    expect(await codes.count()).toBe(1);
    chosen = ((await codes.first().locator('..').textContent()) ?? '').trim();
    await codes.first().check();
    await page.getByRole('searchbox', { name: 'Find a code' }).fill('');
    const postTraining = await page.getByRole('group', { name: 'Codes of Post-training' }).getByRole('checkbox').count();
    await expect.poll(() => page.getByText(`${1 + postTraining} of 27 codes will be in the report.`).isVisible()).toBe(true);
    const view = await readHtml((await exportAs('HTML')).bytes.toString('utf8'));
    expect(view.stages.map((st) => st.stage)).toEqual(['Pre-training', 'Post-training']);
    expect(view.stages[0]!.codes.map((c) => c.name)).toEqual([chosen]);
    automaticFirst = view.stages[0]!.codes[0]!.quotes[0]!.text.replace(/\s+/g, ' ');
    expect(view.stages[1]!.codes.length).toBe(postTraining);
  });

  it('shows a pinned exemplar first, and keeps the pin', async () => {
    await page.getByText(/^Pin exemplars/).click();
    const select = page.getByRole('combobox', { name: 'Code whose exemplars to pin' });
    await select.selectOption({ label: chosen });
    const segments = page.getByRole('list', { name: /^Coded segments/ }).getByRole('listitem');
    await segments.first().waitFor();
    const count = await segments.count();
    expect(count).toBeGreaterThan(1);
    // Pin the last segment, which the automatic rule would not put first.
    const last = segments.nth(count - 1);
    const quote = ((await last.locator('q').textContent()) ?? '').replace(/…$/, '');
    expect(automaticFirst).not.toContain(quote.slice(0, 60));
    await page.getByRole('button', { name: `Pin segment ${count}` }).click();
    await page.getByRole('button', { name: 'Unpin quote 1' }).waitFor();
    await screenshot(page, 'reports-pin-exemplars');
    expect(seriousViolations(await axeViolations(page))).toEqual([]);
    const view = await readHtml((await exportAs('HTML')).bytes.toString('utf8'));
    const code = view.stages[0]!.codes[0]!;
    expect(code.quotes[0]!.text.replace(/\s+/g, ' ')).toContain(quote.slice(0, 60));
    // Pins and options survive a reload.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Reports and exports' }).waitFor();
    await expect.poll(() => page.getByRole('checkbox', { name: /^Post-release/ }).isChecked()).toBe(false);
    await expect.poll(() => page.getByText(/^Pin exemplars \(1 pinned\)/).isVisible()).toBe(true);
  });

  it('includes the lifecycle map of the chosen stages in HTML and Word', async () => {
    await page.getByRole('checkbox', { name: /^Include the maps/ }).check();
    const view = await readHtml((await exportAs('HTML')).bytes.toString('utf8'));
    expect(view.figures).toEqual([{ svg: true, caption: 'Figure 1. Cathedrals and bazaars across the lifecycle: each case placed in each stage by its coded evidence (stages: Pre-training, Post-training)' }]);
    const files = unzipSync(new Uint8Array((await exportAs('Word (.docx)')).bytes));
    const png = files['word/media/map-1.png']!;
    expect([...png.slice(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
    expect(strFromU8(files[MAIN_PART]!)).toContain('<a:blip r:embed="rIdImage1"/>');
    await page.getByRole('group', { name: 'Codes of Pre-training' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'reports-options');
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
