import { describe, expect, it } from 'vitest';
import type { Matrix } from '../analysis/matrix-types.ts';
import { htmlText, inlineSvg, reportToHtml } from './report-html.ts';
import { MARKDOWN_MAPS_NOTE, reportToMarkdown } from './report-markdown.ts';
import type { CodebookReport, ReportCode } from './report-model.ts';

const MARKUP = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '**bold** [link](javascript:x)', '# heading'];

function codeWith(extra: Partial<ReportCode> = {}): ReportCode {
  return {
    id: 'secrecy',
    path: ['Secrecy'],
    name: 'Secrecy',
    color: '#336699',
    status: 'active',
    mode: 'cathedral',
    shortDefinition: 'Keeping things closed',
    definition: 'Data withheld.',
    useWhen: '',
    doNotUseWhen: '',
    typicalExamples: [],
    atypicalExamples: [],
    frequencies: { segments: 4, cases: 2, participants: 3 },
    exemplars: [{ segmentId: 's1', text: 'We could not share the data.', attribution: 'P1 · BLOOM', rule: 'automatic' }],
    ...extra,
  };
}

function report(code: ReportCode = codeWith(), extra: Partial<CodebookReport> = {}): CodebookReport {
  return {
    title: 'Codebook report: Open LLMs',
    studyName: 'Open LLMs',
    generatedAt: '2026-11-22T10:00:00.000Z',
    summary: { cases: 2, participants: 3, documents: 4, coders: 2, codings: 9, interviewDates: { first: '2024-03-01', last: '2024-05-10' } },
    sections: [{ stageId: 'pre', stage: 'Pre-training', kinds: [{ kind: 'challenge', label: 'Challenges', codes: [code] }] }],
    notes: ['Not anonymised.'],
    ...extra,
  };
}

const MATRIX: Matrix = {
  rowHeader: 'case',
  metric: 'segments',
  rows: [{ key: 'bloom', label: 'BLOOM <b>', size: 1 }],
  columns: [{ key: 'code:secrecy', label: 'Secrecy', namePath: ['Secrecy'], level: 'code', stageId: 'pre', kind: 'challenge', codeIds: ['secrecy'], color: '#336699' }],
  cells: [[3]],
  rowTotals: [3],
  columnTotals: [3],
  grandTotal: 3,
  max: 3,
  unit: '',
  settings: ['Metric: Coded segments'],
};

/** A report where every user text is the same markup. */
function hostile(text: string): CodebookReport {
  const code = codeWith({
    path: [text, text],
    name: text,
    color: `red;" onmouseover="${text}`,
    shortDefinition: text,
    definition: text,
    useWhen: text,
    doNotUseWhen: text,
    typicalExamples: [text],
    atypicalExamples: [text],
    exemplars: [{ segmentId: 's1', text: `${text}\n${text}`, attribution: text, rule: 'pinned' }],
  });
  return {
    ...report(code, { title: text, studyName: text, notes: [text] }),
    sections: [{ stageId: 'pre', stage: text, kinds: [{ kind: 'challenge', label: text, codes: [code] }] }],
    matrix: { ...MATRIX, rowHeader: text, rows: [{ key: 'x', label: text, size: 1 }], columns: [{ ...MATRIX.columns[0]!, label: text, namePath: [text] }], settings: [text] },
  };
}

describe('reportToHtml', () => {
  it('writes one self-contained, print-friendly document', () => {
    const html = reportToHtml(report(codeWith(), { matrix: MATRIX }));
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">')).toBe(true);
    expect(html).toContain('<title>Codebook report: Open LLMs</title>');
    expect(html).toMatch(/@media print \{[^]*section\.stage, section\.matrix \{ break-before: page;/);
    expect(html).not.toMatch(/<(script|img|link|iframe|object|embed)\b/i);
    expect(html).not.toMatch(/\b(src|href)=|url\(|@import/i);
    expect(html).toContain('<h1>Codebook report: Open LLMs</h1>');
    expect(html).toContain('<dt>Interviews</dt><dd>2024-03-01 to 2024-05-10</dd>');
    expect(html).toContain('<section class="stage">\n<h2>Pre-training</h2>\n<h3>Challenges</h3>\n<article class="code">');
    expect(html).toContain('<h4><span class="swatch" style="background:#336699" aria-hidden="true"></span>Secrecy</h4>');
    expect(html).toContain('<p class="facts">Mode: Cathedral · Status: Active · Segments: 4 · Cases: 2 · Participants: 3</p>');
    expect(html).toContain('<blockquote><p>We could not share the data.</p></blockquote>\n<p class="attribution">— P1 · BLOOM</p>');
    expect(html).toContain('<tr><th scope="row">BLOOM &lt;b&gt;</th><td>3</td><td>3</td></tr>');
    expect(html.endsWith('</body>\n</html>\n')).toBe(true);
  });

  it.each(MARKUP)('shows %s literally wherever it is', (text) => {
    const html = reportToHtml(hostile(text));
    expect(html).not.toMatch(/<(script|img)\b/i);
    expect(html).not.toMatch(/<[^>]*\son\w+=/i);
    expect(html).not.toContain('onmouseover="');
    expect(html).toContain(`<blockquote><p>${htmlText(text)}<br>${htmlText(text)}</p></blockquote>\n<p class="attribution">— ${htmlText(text)}</p>`);
    expect(html).toContain(`<h1>${htmlText(text)}</h1>`);
  });

  it('escapes the five characters and replaces control characters', () => {
    expect(htmlText(`<a href="x">R&D's</a>\u0000`)).toBe('&lt;a href=&quot;x&quot;&gt;R&amp;D&#39;s&lt;/a&gt;\ufffd');
  });

  it('says when nothing was selected or no dates are known', () => {
    const html = reportToHtml(report(codeWith(), { sections: [], summary: { ...report().summary, interviewDates: null } }));
    expect(html).toContain('<p>No codes were selected.</p>');
    expect(html).toContain('<dt>Interviews</dt><dd>dates not recorded</dd>');
  });
});

describe('reportToMarkdown', () => {
  it('writes the report: code, then the quote, then who said it', () => {
    const code = codeWith({ useWhen: 'Reasons\ngiven', typicalExamples: ['A clear case'], exemplars: [{ segmentId: 's1', text: 'We could not\nshare it.\n\nNever.', attribution: 'P1 · BLOOM', rule: 'pinned' }] });
    expect(reportToMarkdown(report(code, { matrix: MATRIX }))).toBe(
      [
        '# Codebook report: Open LLMs',
        'Generated 2026\\-11\\-22T10:00:00.000Z',
        '## Study summary',
        '- Cases: 2\n- Participants: 3\n- Documents: 4\n- Coders: 2\n- Codings: 9\n- Interviews: 2024\\-03\\-01 to 2024\\-05\\-10',
        '### About this report',
        '- Not anonymised.',
        '## Pre\\-training',
        '### Challenges',
        '#### Secrecy',
        '*Keeping things closed*',
        'Data withheld.',
        '**Use when:** Reasons\\\ngiven',
        '**Typical examples:**',
        '- A clear case',
        'Mode: Cathedral · Status: Active · Segments: 4 · Cases: 2 · Participants: 3',
        '> We could not\\\n> share it.\n>\n> Never.\n\n— P1 · BLOOM',
        '## Cases × codes',
        '| case | Secrecy | Total |\n| --- | ---: | ---: |\n| BLOOM &lt;b\\> | 3 | 3 |\n| Total | 3 | 3 |',
        '- Metric: Coded segments',
      ].join('\n\n') + '\n',
    );
  });

  it.each(MARKUP)('escapes %s wherever it is', (text) => {
    const md = reportToMarkdown(hostile(text));
    expect(md).not.toMatch(/<(script|img)\b/i);
    expect(md).not.toMatch(/(?<!\\)\*\*bold|(?<!\\)\[link|^#+ heading|^> heading|(?<!\\)\]\(/m);
  });

  it('escapes exactly as the codebook export does', () => {
    const md = reportToMarkdown(hostile('**bold** [link](javascript:x)'));
    expect(md).toContain('> \\*\\*bold\\*\\* \\[link\\]\\(javascript:x\\)\\\n> \\*\\*bold\\*\\* \\[link\\]\\(javascript:x\\)\n\n— \\*\\*bold\\*\\* \\[link\\]\\(javascript:x\\)');
    expect(reportToMarkdown(hostile('<script>alert(1)</script>'))).toContain('> &lt;script\\>alert\\(1\\)&lt;/script\\>');
    expect(reportToMarkdown(hostile('# heading'))).toContain('## \\# heading');
  });
});

describe('map images in HTML and Markdown', () => {
  /** A 4 × 2 px PNG. */
  const PNG = Uint8Array.from([...atob('iVBORw0KGgoAAAANSUhEUgAAAAQAAAACCAIAAADwyuo0AAAAIElEQVR4nAXBgQAAAAgDsIOFM4jAgjhWW6Kjq6cJw3I8i3oKoWWSe/AAAAAASUVORK5CYII=')].map((c) => c.charCodeAt(0)));
  const SVG = '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20" viewBox="0 0 40 20"><title>Map &lt;1&gt;</title><rect width="40" height="20" fill="#fff"/></svg>';

  it('inlines the SVG when given, with a caption, in a section of its own', () => {
    const html = reportToHtml(report(), { images: [{ title: 'Lifecycle <map>', caption: 'All stages', png: PNG, width: 40, height: 20, svg: SVG }] });
    expect(html).toContain(
      '<section class="maps">\n<h2>Maps</h2>\n<figure>\n<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20" viewBox="0 0 40 20"><title>Map &lt;1&gt;</title><rect width="40" height="20" fill="#fff"/></svg>\n<figcaption>Figure 1. Lifecycle &lt;map&gt;: All stages</figcaption>\n</figure>\n</section>',
    );
    expect(html).not.toContain('<?xml');
  });

  it('embeds the PNG as a data: URL when there is no SVG, or when the SVG could run or fetch anything', () => {
    const dataUrl = `data:image/png;base64,${Buffer.from(PNG).toString('base64')}`;
    for (const svg of [undefined, SVG.replace('<rect', '<script>x()</script><rect'), SVG.replace('<rect', '<rect onload="x()"'), SVG.replace('<rect', '<image href="https://example.org/x.png"/><rect'), SVG.replace('fill="#fff"', 'style="fill:url(https://example.org/p)"')]) {
      const html = reportToHtml(report(), { images: [{ title: 'Map', png: PNG, width: 40, height: 20, ...(svg === undefined ? {} : { svg }) }] });
      expect(html).toContain(`<figure>\n<img src="${dataUrl}" width="40" height="20" alt="Map">\n<figcaption>Figure 1. Map</figcaption>`);
      expect(html).not.toMatch(/<script|onload|example\.org/);
    }
    expect(inlineSvg(SVG)).toBe(SVG.slice(SVG.indexOf('<svg')));
  });

  it('lists the maps in Markdown by title, with a note, and links to nothing', () => {
    const md = reportToMarkdown(report(), { images: [{ title: 'Lifecycle *map*', png: PNG, width: 40, height: 20, svg: SVG }] });
    expect(md).toContain(`## Maps\n\n${MARKDOWN_MAPS_NOTE}\n\n- Figure 1. Lifecycle \\*map\\*\n`);
    expect(md).not.toMatch(/!\[|\]\(|data:|<svg/);
  });

  it('refuses an image that is not a PNG before writing anything', () => {
    expect(() => reportToHtml(report(), { images: [{ title: 'Map', png: new Uint8Array(8), width: 40, height: 20 }] })).toThrow('Map image 1 (“Map”) is not a PNG image');
  });
});
