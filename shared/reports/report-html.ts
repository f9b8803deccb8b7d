/**
 * The codebook report as one self-contained, print-friendly HTML5 file: inline styles only,
 * no scripts, fonts or links to anything outside the file. Every text is escaped, so a quote
 * holding `<script>` or `<img onerror=…>` shows as written. Each stage starts a new printed
 * page; headings follow the structure (h1 report, h2 stage, h3 kind, h4 code). Map images are
 * the only pictures: inline SVG when the caller has it (and it passes `inlineSvg`), else the
 * PNG as a data: URL, so the file still needs nothing beside it.
 */
import type { Matrix } from '../analysis/matrix-types.ts';
import type { CodebookReport, ReportCode } from './report-model.ts';
import { base64, checkImages, codeFactsText, exampleLists, figureCaption, summaryFacts, type ReportImage, type ReportWriterOptions } from './report-parts.ts';

// eslint-disable-next-line no-control-regex
const INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text or attribute content, escaped for HTML (control characters and lone surrogates become U+FFFD). */
export function htmlText(text: string): string {
  return text.replace(INVALID, '\ufffd').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Several lines of text: escaped, line breaks kept. */
const lines = (text: string): string =>
  text
    .trim()
    .split('\n')
    .map((line) => htmlText(line))
    .join('<br>');

const STYLE = `
body { font-family: Georgia, 'Times New Roman', serif; line-height: 1.45; color: #1a1a1a; max-width: 48rem; margin: 2rem auto; padding: 0 1rem; }
h1, h2, h3, h4 { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; line-height: 1.2; }
h4 { margin-bottom: 0.3rem; }
.swatch { display: inline-block; width: 0.8em; height: 0.8em; border: 1px solid #555; margin-right: 0.4em; vertical-align: baseline; }
.facts, .attribution, .notes, .settings { color: #444; font-size: 0.9em; }
.short { font-style: italic; }
blockquote { margin: 0.8rem 0 0.2rem 1rem; padding-left: 0.8rem; border-left: 3px solid #999; white-space: normal; }
.attribution { margin: 0 0 1rem 1.8rem; }
dl.summary { display: grid; grid-template-columns: max-content auto; gap: 0.2rem 1rem; }
dl.summary dt { font-weight: bold; }
dl.summary dd { margin: 0; }
table { border-collapse: collapse; font-size: 0.85em; }
th, td { border: 1px solid #999; padding: 0.2rem 0.4rem; }
td { text-align: right; }
th[scope=row] { text-align: left; }
article.code { break-inside: avoid-page; }
figure { margin: 1rem 0; break-inside: avoid; }
figure svg, figure img { max-width: 100%; height: auto; display: block; }
figcaption { color: #444; font-size: 0.9em; font-style: italic; }
@media print {
  body { margin: 0; max-width: none; }
  section.stage, section.matrix { break-before: page; page-break-before: always; }
  section.maps { break-before: page; page-break-before: always; }
  h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  blockquote, .attribution { break-inside: avoid; page-break-inside: avoid; }
}
`;

const plainColor = (color: string): string | null => (/^#[0-9a-f]{6}$/i.test(color) ? color : null);

function codeHtml(code: ReportCode, out: string[]): void {
  out.push('<article class="code">');
  const color = plainColor(code.color);
  const swatch = color ? `<span class="swatch" style="background:${color}" aria-hidden="true"></span>` : '';
  out.push(`<h4>${swatch}${code.path.map(htmlText).join(' › ')}</h4>`);
  if (code.shortDefinition.trim() !== '') out.push(`<p class="short">${lines(code.shortDefinition)}</p>`);
  if (code.definition.trim() !== '') out.push(`<p>${lines(code.definition)}</p>`);
  if (code.useWhen.trim() !== '') out.push(`<p><strong>Use when:</strong> ${lines(code.useWhen)}</p>`);
  if (code.doNotUseWhen.trim() !== '') out.push(`<p><strong>Do not use when:</strong> ${lines(code.doNotUseWhen)}</p>`);
  for (const [label, items] of exampleLists(code)) out.push(`<p><strong>${label}:</strong></p>`, `<ul>${items.map((t) => `<li>${lines(t)}</li>`).join('')}</ul>`);
  out.push(`<p class="facts">${codeFactsText(code)}</p>`);
  for (const e of code.exemplars) {
    out.push(`<blockquote><p>${lines(e.text)}</p></blockquote>`, `<p class="attribution">— ${htmlText(e.attribution)}</p>`);
  }
  out.push('</article>');
}

function matrixHtml(matrix: Matrix, out: string[]): void {
  out.push('<section class="matrix">', '<h2>Cases × codes</h2>');
  out.push('<table>', '<thead><tr>', `<th scope="col">${htmlText(matrix.rowHeader)}</th>`);
  for (const col of matrix.columns) out.push(`<th scope="col">${col.namePath.map(htmlText).join(' › ')}</th>`);
  out.push('<th scope="col">Total</th>', '</tr></thead>', '<tbody>');
  matrix.rows.forEach((row, r) => {
    out.push(`<tr><th scope="row">${htmlText(row.label)}</th>${matrix.cells[r]!.map((v) => `<td>${v}${htmlText(matrix.unit)}</td>`).join('')}<td>${matrix.rowTotals[r]!}</td></tr>`);
  });
  out.push(`<tr><th scope="row">Total</th>${matrix.columnTotals.map((v) => `<td>${v}</td>`).join('')}<td>${matrix.grandTotal}</td></tr>`);
  out.push('</tbody>', '</table>');
  if (matrix.settings.length > 0) out.push(`<ul class="settings">${matrix.settings.map((s) => `<li>${htmlText(s)}</li>`).join('')}</ul>`);
  out.push('</section>');
}

/**
 * An SVG document made fit to sit inside the HTML: the XML declaration and any DOCTYPE go.
 * The maps' SVG comes from shared/maps with every text escaped, but this still refuses
 * (null: the PNG is used instead) anything that could run or fetch: scripts, foreign
 * objects, event attributes, links other than to a fragment of the picture itself, url(…)
 * other than to a fragment, and @import.
 */
export function inlineSvg(svg: string): string | null {
  const body = svg.replace(/^\s*<\?xml[^>]*\?>\s*/, '').replace(/^\s*<!DOCTYPE[^>]*>\s*/i, '').trim();
  if (!/^<svg\b/.test(body) || !body.endsWith('</svg>')) return null;
  if (/<(script|foreignObject|iframe|object|embed|image|use|a)\b/i.test(body)) return null;
  if (/\son[a-z]+\s*=|(?:href|src)\s*=\s*["']?(?!#)|url\(\s*["']?(?!#)|@import|javascript:/i.test(body)) return null;
  return body;
}

function mapsHtml(images: readonly ReportImage[], out: string[]): void {
  out.push('<section class="maps">', '<h2>Maps</h2>');
  images.forEach((image, i) => {
    const svg = image.svg === undefined ? null : inlineSvg(image.svg);
    const picture = svg ?? `<img src="data:image/png;base64,${base64(image.png)}" width="${Math.round(image.width)}" height="${Math.round(image.height)}" alt="${htmlText(image.title)}">`;
    out.push('<figure>', picture, `<figcaption>${htmlText(figureCaption(image, i))}</figcaption>`, '</figure>');
  });
  out.push('</section>');
}

export function reportToHtml(report: CodebookReport, options: ReportWriterOptions = {}): string {
  const images = options.images ?? [];
  checkImages(images);
  const out: string[] = [];
  out.push('<!DOCTYPE html>', '<html lang="en">', '<head>', '<meta charset="utf-8">', '<meta name="viewport" content="width=device-width, initial-scale=1">');
  out.push(`<title>${htmlText(report.title)}</title>`, `<style>${STYLE}</style>`, '</head>', '<body>');
  out.push(`<h1>${htmlText(report.title)}</h1>`, `<p class="facts">Generated ${htmlText(report.generatedAt)}</p>`);

  out.push('<section class="summary">', '<h2>Study summary</h2>', '<dl class="summary">');
  for (const [term, value] of summaryFacts(report)) out.push(`<dt>${term}</dt><dd>${htmlText(value)}</dd>`);
  out.push('</dl>');
  if (report.notes.length > 0) out.push('<h3>About this report</h3>', `<ul class="notes">${report.notes.map((n) => `<li>${htmlText(n)}</li>`).join('')}</ul>`);
  out.push('</section>');

  for (const section of report.sections) {
    out.push('<section class="stage">', `<h2>${htmlText(section.stage)}</h2>`);
    for (const kind of section.kinds) {
      out.push(`<h3>${htmlText(kind.label)}</h3>`);
      for (const code of kind.codes) codeHtml(code, out);
    }
    out.push('</section>');
  }
  if (report.sections.length === 0) out.push('<p>No codes were selected.</p>');
  if (images.length > 0) mapsHtml(images, out);
  if (report.matrix) matrixHtml(report.matrix, out);
  out.push('</body>', '</html>');
  return `${out.join('\n')}\n`;
}
