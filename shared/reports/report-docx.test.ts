import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { attribute, childElements, parseXml, type XmlElement } from '../codebook/xml.ts';
import type { StudyRecords } from '../model/types.ts';
import { readStudyFile } from '../study-file/read.ts';
import { DOCX_MAIN_PART, reportToDocx } from './report-docx.ts';
import { buildCodebookReport, type CodebookReport, type ReportOptions } from './report-model.ts';
import type { ReportImage } from './report-parts.ts';

const DEMO = readFileSync(new URL('../../fixtures/demo/demo-study.cartography.json', import.meta.url), 'utf8');
const NOW = '2026-11-22T10:00:00.000Z';
let ids = 0;
const demo = (): StudyRecords => readStudyFile(DEMO, 'demo-study.cartography.json', { now: NOW, newId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}` });

/** A 4 × 2 px PNG. */
const PNG = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAQAAAACCAIAAADwyuo0AAAAIElEQVR4nAXBgQAAAAgDsIOFM4jAgjhWW6Kjq6cJw3I8i3oKoWWSe/AAAAAASUVORK5CYII=', 'base64'));
const HOSTILE = '<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n**bold** [link](javascript:x) & # heading\u0001';

/** The demo report with one segment's text made hostile and pinned first on its code. */
function hostileReport(extra: Partial<ReportOptions> = {}): { report: CodebookReport; codeName: string } {
  const records = demo();
  const coding = records.codings[0]!;
  records.segments.find((s) => s.id === coding.segmentId)!.text = HOSTILE;
  const code = records.codes.find((c) => c.id === coding.codeId)!;
  const report = buildCodebookReport(records, { exemplars: 2, includeMatrix: true, pinned: { [code.id]: [coding.segmentId] }, now: NOW, ...extra });
  return { report, codeName: code.name };
}

interface Para {
  style: string | null;
  text: string;
}

/** Paragraphs of the body in order, with their style and their text (w:br as a line break). */
function paragraphs(xml: string): Para[] {
  const out: Para[] = [];
  const runText = (el: XmlElement): string =>
    el.children
      .map((c) => (typeof c === 'string' ? '' : c.local === 't' ? c.children.join('') : c.local === 'br' ? '\n' : c.local === 'tab' ? '\t' : runText(c)))
      .join('');
  const walk = (el: XmlElement): void => {
    for (const child of childElements(el)) {
      if (child.local === 'p') {
        const style = childElements(child, 'pPr')[0] && childElements(childElements(child, 'pPr')[0]!, 'pStyle')[0];
        out.push({ style: style ? (attribute(style, 'val') ?? null) : null, text: runText(child) });
      } else walk(child);
    }
  };
  walk(parseXml(xml));
  return out;
}

const open = (bytes: Uint8Array) => {
  const files = unzipSync(bytes);
  return { files, text: (name: string) => strFromU8(files[name]!) };
};

describe('reportToDocx', () => {
  it('writes a Word package: content types, relationships, styles, core properties', () => {
    const { report } = hostileReport();
    const { files, text } = open(reportToDocx(report));
    expect(Object.keys(files)[0]).toBe('[Content_Types].xml');
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['_rels/.rels', DOCX_MAIN_PART, 'word/styles.xml', 'word/numbering.xml', 'word/footer1.xml', 'docProps/core.xml', 'docProps/app.xml']));
    expect(text('[Content_Types].xml')).toContain(`<Override PartName="/${DOCX_MAIN_PART}" ContentType="application/vnd.openxmlformats-officedocument`);
    expect(text('_rels/.rels')).toContain(`Target="${DOCX_MAIN_PART}"`);
    const core = parseXml(text('docProps/core.xml'));
    expect(childElements(core, 'title')[0]!.children.join('')).toBe('Codebook report: Open LLM collaboration (demo)');
    expect(childElements(core, 'creator')[0]!.children.join('')).toBe('Cartography');
    expect(childElements(core, 'created')[0]!.children.join('')).toBe('2026-11-22T10:00:00Z');
    // Every part is well-formed XML.
    for (const name of Object.keys(files).filter((n) => n.endsWith('.xml') || n.endsWith('.rels'))) expect(() => parseXml(text(name)), name).not.toThrow();
  });

  it('defines real paragraph styles with outline levels, a quote, an attribution, a caption and a table style', () => {
    const styles = parseXml(open(reportToDocx(hostileReport().report)).text('word/styles.xml'));
    const byId = new Map(childElements(styles, 'style').map((s) => [attribute(s, 'styleId')!, s]));
    const outline = (id: string) => {
      const pPr = childElements(byId.get(id)!, 'pPr')[0]!;
      const level = childElements(pPr, 'outlineLvl')[0];
      return level ? attribute(level, 'val') : undefined;
    };
    const name = (id: string) => attribute(childElements(byId.get(id)!, 'name')[0]!, 'val');
    expect([name('Heading1'), name('Heading2'), name('Heading3')]).toEqual(['heading 1', 'heading 2', 'heading 3']);
    expect([outline('Heading1'), outline('Heading2'), outline('Heading3')]).toEqual(['0', '1', '2']);
    for (const id of ['Title', 'Quote', 'Attribution', 'Caption', 'ListBullet']) expect(attribute(byId.get(id)!, 'type'), id).toBe('paragraph');
    expect(attribute(byId.get('ReportTable')!, 'type')).toBe('table');
  });

  it('lays out the codebook by stage → kind → code in Heading 1/2/3, each quote followed by who said it', () => {
    const { report } = hostileReport();
    const paras = paragraphs(open(reportToDocx(report)).text(DOCX_MAIN_PART));
    expect(paras[0]).toEqual({ style: 'Title', text: 'Codebook report: Open LLM collaboration (demo)' });
    const headings = (style: string) => paras.filter((p) => p.style === style).map((p) => p.text);
    expect(report.sections.map((s) => s.stage)).toEqual(['Pre-training', 'Post-training', 'Post-release', 'Cross-stage']);
    expect(headings('Heading1')).toEqual(['Study summary', 'Pre-training', 'Post-training', 'Post-release', 'Cross-stage', 'Cases × codes']);
    // The kinds of each stage, in the report's order, and every code's path.
    expect(headings('Heading2').filter((t) => t !== 'About this report' && !t.startsWith('Codes '))).toEqual(report.sections.flatMap((s) => s.kinds.map((k) => k.label)));
    expect(headings('Heading3')).toEqual(report.sections.flatMap((s) => s.kinds.flatMap((k) => k.codes.map((c) => c.path.join(' › ')))));
    const quotes = paras.flatMap((p, i) => (p.style === 'Quote' ? [[p.text, paras[i + 1]!] as const] : []));
    expect(quotes.length).toBe(report.sections.flatMap((s) => s.kinds.flatMap((k) => k.codes.flatMap((c) => c.exemplars))).length);
    expect(quotes.length).toBeGreaterThan(20);
    for (const [, next] of quotes) {
      expect(next.style).toBe('Attribution');
      expect(next.text).toMatch(/^— P\d+ · \S/);
    }
  });

  it('shows markup in a quote as literal text, line breaks as breaks, and leaves out characters XML cannot carry', () => {
    const { report, codeName } = hostileReport();
    const xml = open(reportToDocx(report)).text(DOCX_MAIN_PART);
    expect(xml).not.toMatch(/<(script|img)\b/i);
    expect(xml).not.toContain('\u0001');
    const paras = paragraphs(xml);
    const code = paras.findIndex((p) => p.style === 'Heading3' && p.text.endsWith(codeName));
    const firstQuote = paras.slice(code).find((p) => p.style === 'Quote')!;
    expect(firstQuote.text).toBe('<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n**bold** [link](javascript:x) & # heading');
    expect(xml).toContain('<w:t xml:space="preserve">&lt;script&gt;alert(1)&lt;/script&gt;</w:t><w:br/><w:t xml:space="preserve">&lt;img src=x onerror=alert(1)&gt;</w:t><w:br/>');
  });

  it('writes the summary, each code’s frequencies and the matrix as tables in the report’s table style', () => {
    const { report } = hostileReport();
    const xml = open(reportToDocx(report)).text(DOCX_MAIN_PART);
    const tables = xml.match(/<w:tbl>/g)!.length;
    const codes = report.sections.flatMap((s) => s.kinds.flatMap((k) => k.codes)).length;
    // Summary, one per code, and the matrix in tables of six code columns.
    expect(tables).toBe(1 + codes + Math.ceil(report.matrix!.columns.length / 6));
    expect(xml.match(/<w:tblStyle w:val="ReportTable"\/>/g)!.length).toBe(tables);
    const paras = paragraphs(xml);
    expect(paras.filter((p) => p.style === 'TableText').map((p) => p.text).slice(0, 4)).toEqual(['', 'Open LLM collaboration (demo)', 'Cases', String(report.summary.cases)]);
  });

  it('embeds map images as media with a relationship, an inline drawing and a caption', () => {
    const images: ReportImage[] = [{ title: 'Lifecycle map <all stages>', caption: 'Positions by case', png: PNG, width: 1200, height: 600 }];
    const { files, text } = open(reportToDocx(hostileReport().report, { images }));
    expect(files['word/media/map-1.png']).toEqual(PNG);
    expect(text('[Content_Types].xml')).toContain('<Default Extension="png" ContentType="image/png"/>');
    expect(text(`word/_rels/${DOCX_MAIN_PART.slice('word/'.length)}.rels`)).toContain('Id="rIdImage1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/map-1.png"');
    const xml = text(DOCX_MAIN_PART);
    expect(xml).toMatch(/<w:drawing><wp:inline [^>]*><wp:extent cx="6120130" cy="3060065"\/>/);
    expect(xml).toContain('<a:blip r:embed="rIdImage1"/>');
    expect(xml).toContain('descr="Lifecycle map &lt;all stages&gt;"');
    const paras = paragraphs(xml);
    const maps = paras.findIndex((p) => p.style === 'Heading1' && p.text === 'Maps');
    expect(paras.slice(maps + 1, maps + 3)).toEqual([
      { style: 'Figure', text: '' },
      { style: 'Caption', text: 'Figure 1. Lifecycle map <all stages>: Positions by case' },
    ]);
  });

  it('refuses an image that is not a PNG, naming it', () => {
    const images: ReportImage[] = [{ title: 'Lifecycle map', png: new Uint8Array([1, 2, 3]), width: 10, height: 10 }];
    expect(() => reportToDocx(hostileReport().report, { images })).toThrow('Map image 1 (“Lifecycle map”) is not a PNG image');
  });

  it('gives the same bytes for the same report', () => {
    const { report } = hostileReport();
    const images: ReportImage[] = [{ title: 'Map', png: PNG, width: 400, height: 200 }];
    expect(reportToDocx(report, { images })).toEqual(reportToDocx(structuredClone(report), { images }));
  });

  it('says when nothing was selected', () => {
    const { report } = hostileReport({ stageIds: [], includeMatrix: false });
    const paras = paragraphs(open(reportToDocx(report)).text(DOCX_MAIN_PART));
    expect(paras.filter((p) => p.style === 'Heading1').map((p) => p.text)).toEqual(['Study summary']);
    expect(paras.at(-1)).toEqual({ style: null, text: 'No codes were selected.' });
  });
});
