import { readFileSync } from 'node:fs';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import type { StudyRecords } from '../model/types.ts';
import { readStudyFile } from '../study-file/read.ts';
import { buildCodebookReport, type CodebookReport, type ReportOptions } from './report-model.ts';
import type { ReportImage } from './report-parts.ts';
import { reportToPdf } from './report-pdf.ts';
import { drawableText, MISSING_GLYPH, missingGlyphNote, wrapText } from './report-pdf-text.ts';

const DEMO = readFileSync(new URL('../../fixtures/demo/demo-study.cartography.json', import.meta.url), 'utf8');
const NOW = '2026-11-22T10:00:00.000Z';
const font = (name: string) => new Uint8Array(readFileSync(new URL(`../../renderer/assets/fonts/${name}`, import.meta.url)));
const FONTS = { regular: font('DejaVuSans.ttf'), bold: font('DejaVuSans-Bold.ttf'), italic: font('DejaVuSans-Oblique.ttf') };
const PNG = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAQAAAACCAIAAADwyuo0AAAAIElEQVR4nAXBgQAAAAgDsIOFM4jAgjhWW6Kjq6cJw3I8i3oKoWWSe/AAAAAASUVORK5CYII=', 'base64'));

let ids = 0;
const demo = (): StudyRecords => readStudyFile(DEMO, 'demo-study.cartography.json', { now: NOW, newId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}` });

/** The demo report with the first coded segment's text replaced and pinned first on its code. */
function reportWithQuote(text: string, extra: Partial<ReportOptions> = {}): CodebookReport {
  const records = demo();
  const coding = records.codings[0]!;
  records.segments.find((s) => s.id === coding.segmentId)!.text = text;
  return buildCodebookReport(records, { exemplars: 2, includeMatrix: true, pinned: { [coding.codeId]: [coding.segmentId] }, now: NOW, ...extra });
}

/** Each page's text, lines joined by "\n" (pdf.js marks the end of a line with hasEOL). */
async function pdfText(bytes: Uint8Array): Promise<{ pages: string[]; outline: string[]; title: unknown }> {
  const pdf = await getDocument({ data: bytes.slice(), isEvalSupported: false, verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= pdf.numPages; i++) {
    const content = await (await pdf.getPage(i)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join(''));
  }
  const outline = ((await pdf.getOutline()) ?? []).map((o) => o.title);
  const info = (await pdf.getMetadata()).info as Record<string, unknown>;
  await pdf.destroy();
  return { pages, outline, title: info['Title'] };
}

describe('reportToPdf', () => {
  it('draws the report as selectable text on A4 pages: headings, quotes with attributions, page numbers, bookmarks', async () => {
    const report = reportWithQuote('We could not share the data.');
    const { pages, outline, title } = await pdfText(await reportToPdf(report, { fontBytes: FONTS }));
    expect(pages.length).toBeGreaterThan(1);
    expect(title).toBe('Codebook report: Open LLM collaboration (demo)');
    const all = pages.join('\n');
    expect(pages[0]).toContain('Codebook report: Open LLM collaboration (demo)');
    expect(pages[0]).toContain('Study summary');
    for (const section of report.sections) {
      expect(all).toContain(section.stage);
      for (const kind of section.kinds) for (const code of kind.codes) expect(all, code.name).toContain(code.name);
    }
    // Each stage opens a page, and the bookmarks list the top headings in order.
    expect(outline).toEqual(['Study summary', ...report.sections.map((s) => s.stage), 'Cases × codes']);
    // A quote, then who said it.
    const firstCode = report.sections[0]!.kinds[0]!.codes[0]!;
    expect(all).toContain(`We could not share the data.\n— ${firstCode.exemplars[0]!.attribution}`);
    for (const e of report.sections.flatMap((s) => s.kinds.flatMap((k) => k.codes.flatMap((c) => c.exemplars)))) expect(all).toContain(`— ${e.attribution}`);
    pages.forEach((page, i) => expect(page).toContain(`page ${i + 1} of ${pages.length}`));
    expect(all).not.toContain('could not be drawn');
  });

  it('draws markup in a quote as the characters it is, in Latin, Greek and Cyrillic', async () => {
    const quote = '<script>alert(1)</script> <img src=x onerror=alert(1)> **bold** [link](javascript:x) # heading — Привет, κόσμε, Grüße';
    const { pages } = await pdfText(await reportToPdf(reportWithQuote(quote), { fontBytes: FONTS }));
    const all = pages.join('\n').replace(/\n/g, ' ');
    expect(all).toContain('<script>alert(1)</script> <img src=x onerror=alert(1)> **bold** [link](javascript:x) # heading');
    expect(all).toContain('Привет, κόσμε, Grüße');
  });

  it('replaces characters the font lacks by a placeholder and says how many at the end', async () => {
    const { pages } = await pdfText(await reportToPdf(reportWithQuote('We met the parrot 🦜 in 東京 today.'), { fontBytes: FONTS }));
    const all = pages.join('\n');
    expect(all).toContain(`We met the parrot ${MISSING_GLYPH} in ${MISSING_GLYPH}${MISSING_GLYPH} today.`);
    expect(pages.at(-1)!.replace(/\n/g, ' ')).toContain(missingGlyphNote(3));
    expect(missingGlyphNote(3)).toContain('3 characters could not be drawn');
  });

  it('embeds map images and captions them', async () => {
    const images: ReportImage[] = [{ title: 'Lifecycle map', caption: 'All stages', png: PNG, width: 1200, height: 600 }];
    const bytes = await reportToPdf(reportWithQuote('A quote.', { includeMatrix: false }), { fontBytes: FONTS, images });
    const { pages, outline } = await pdfText(bytes);
    expect(outline.at(-1)).toBe('Maps');
    expect(pages.at(-1)).toContain('Figure 1. Lifecycle map: All stages');
    const pdf = await getDocument({ data: bytes.slice(), isEvalSupported: false, verbosity: 0 }).promise;
    const ops = await (await pdf.getPage(pdf.numPages)).getOperatorList();
    const { OPS } = await import('pdfjs-dist/legacy/build/pdf.mjs');
    expect(ops.fnArray).toContain(OPS.paintImageXObject);
    await pdf.destroy();
  });

  it('refuses a font it cannot read, saying which', async () => {
    await expect(reportToPdf(reportWithQuote('x'), { fontBytes: { ...FONTS, bold: new Uint8Array([1, 2, 3]) } })).rejects.toThrow(/^The bold font for the PDF could not be read/);
  });
});

describe('PDF text helpers', () => {
  it('keeps drawable characters and line breaks, drops controls, counts what it replaces', () => {
    const missing = { count: 0 };
    const drawable = new Set([...'ab \u25a1'].map((c) => c.codePointAt(0)!));
    expect(drawableText('a\tb\u0007\nb🦜\ufe0fa\ud800', drawable, missing)).toBe('a b\nb\u25a1a\u25a1');
    expect(missing.count).toBe(2);
  });

  it('wraps greedily at spaces, keeps blank lines, and cuts a word longer than the line', () => {
    const measure = (t: string) => [...t].length;
    expect(wrapText('aa bb cc dd', 5, measure)).toEqual(['aa bb', 'cc dd']);
    expect(wrapText('one\n\ntwo', 10, measure)).toEqual(['one', '', 'two']);
    expect(wrapText('x abcdefghijkl y', 5, measure)).toEqual(['x', 'abcde', 'fghij', 'kl y']);
  });
});
