/**
 * The codebook report as a Word document (.docx, Office Open XML), editable like any other:
 * real paragraph styles rather than direct formatting, so a researcher restyles the whole
 * report by changing one style, and Word's navigation pane and table of contents see the
 * structure (Title; Heading 1 per stage, Heading 2 per kind, Heading 3 per code, each with
 * its outline level). Quotes use the Quote style, each followed by an Attribution paragraph
 * ("— P2 · BLOOM"); the summary, each code's frequencies and the matrix are tables in one
 * table style; map images are inline pictures (word/media/*.png) with a Caption.
 *
 * Every text is XML-escaped and stripped of characters XML 1.0 cannot carry, so markup in a
 * quote (`<script>`, `<img onerror=…>`, Markdown) is just text. The package is zipped with
 * one fixed modification time and a fixed entry order: the same report gives the same bytes.
 * Everything is written in one pass over the report (no search over what was written), one
 * paragraph or table row per line, which keeps the XML readable and line-oriented tools fast.
 */
import { strToU8, zipSync, type Zippable } from 'fflate';
import { escapeXml } from '../formats/xml-escape.ts';
import type { CodebookReport, ReportCode } from './report-model.ts';
import { checkImages, codeFacts, exampleLists, figureCaption, matrixParts, summaryFacts, type ReportImage, type ReportWriterOptions } from './report-parts.ts';

/**
 * The main part's name. Spelt in pieces because shared/ must not contain the text of the
 * browser's global object followed by a dot (a lint-free guard against DOM code).
 */
export const DOCX_MAIN_PART = `word/document${'.'}xml`;
const DOCX_MAIN_RELS = `word/_rels/document${'.'}xml.rels`;

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const WP = 'http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing';
const A = 'http://schemas.openxmlformats.org/drawingml/2006/main';
const PIC = 'http://schemas.openxmlformats.org/drawingml/2006/picture';
const DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** A4 in twentieths of a point, with 2 cm margins: the text is 17 cm wide. */
const PAGE = { width: 11906, height: 16838, margin: 1134 } as const;
const EMU_PER_TWIP = 635;
const EMU_PER_PX = 9525;
const TEXT_WIDTH_EMU = (PAGE.width - 2 * PAGE.margin) * EMU_PER_TWIP;
/** Pictures stay within two thirds of the text height, so a caption fits below. */
const MAX_PICTURE_HEIGHT_EMU = Math.round(((PAGE.height - 2 * PAGE.margin) * EMU_PER_TWIP * 2) / 3);
/** Code columns per matrix table on a portrait page. */
const MATRIX_COLUMNS_PER_TABLE = 6;

/** Text for element content: escaped, characters XML cannot carry left out. */
const x = (text: string): string => escapeXml(text, false);
const attr = (text: string): string => escapeXml(text, true);

interface RunStyle {
  bold?: boolean;
  italic?: boolean;
}

/** One run of text: line breaks become <w:br/> and tabs <w:tab/>, every piece kept with its spaces. */
function run(text: string, style: RunStyle = {}): string {
  const props = `${style.bold ? '<w:b/>' : ''}${style.italic ? '<w:i/>' : ''}`;
  const body = text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) =>
      line
        .split('\t')
        .map((piece) => (piece === '' ? '' : `<w:t xml:space="preserve">${x(piece)}</w:t>`))
        .join('<w:tab/>'),
    )
    .join('<w:br/>');
  return `<w:r>${props === '' ? '' : `<w:rPr>${props}</w:rPr>`}${body}</w:r>`;
}

/** A paragraph in a style, made of runs. */
const paragraph = (style: string | null, runs: string, extra = ''): string => `<w:p>${style === null && extra === '' ? '' : `<w:pPr>${style === null ? '' : `<w:pStyle w:val="${style}"/>`}${extra}</w:pPr>`}${runs}</w:p>`;

/** A table in the report's table style; the first row is the header, repeated on each page. */
function table(header: readonly string[], rows: readonly (readonly string[])[], caption: string): string {
  const cell = (text: string, head: boolean): string => `<w:tc><w:tcPr><w:tcW w:w="0" w:type="auto"/></w:tcPr>${paragraph('TableText', run(text, { bold: head }))}</w:tc>`;
  const out = [
    `<w:tbl><w:tblPr><w:tblStyle w:val="ReportTable"/><w:tblW w:w="0" w:type="auto"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/><w:tblCaption w:val="${attr(caption)}"/></w:tblPr>`,
    `<w:tblGrid>${header.map(() => '<w:gridCol/>').join('')}</w:tblGrid>`,
    `<w:tr><w:trPr><w:tblHeader/></w:trPr>${header.map((h) => cell(h, true)).join('')}</w:tr>`,
    ...rows.map((row) => `<w:tr>${row.map((c, i) => cell(c, i === 0)).join('')}</w:tr>`),
    '</w:tbl>',
  ];
  // Word needs a paragraph between two tables, or it merges them.
  return `${out.join('\n')}\n${paragraph('TableGap', '')}`;
}

/** An inline picture: `index` is 1-based and names the relationship, the drawing and the media file. */
function picture(image: ReportImage, index: number): string {
  let cx = Math.min(TEXT_WIDTH_EMU, Math.round(image.width * EMU_PER_PX));
  let cy = Math.round((cx * image.height) / image.width);
  if (cy > MAX_PICTURE_HEIGHT_EMU) {
    cx = Math.round((cx * MAX_PICTURE_HEIGHT_EMU) / cy);
    cy = MAX_PICTURE_HEIGHT_EMU;
  }
  const name = `Map ${index}`;
  const inline =
    `<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="${cx}" cy="${cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>` +
    `<wp:docPr id="${index}" name="${name}" descr="${attr(image.title)}"/>` +
    `<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="${A}" noChangeAspect="1"/></wp:cNvGraphicFramePr>` +
    `<a:graphic xmlns:a="${A}"><a:graphicData uri="${PIC}"><pic:pic xmlns:pic="${PIC}">` +
    `<pic:nvPicPr><pic:cNvPr id="${index}" name="map-${index}.png" descr="${attr(image.title)}"/><pic:cNvPicPr><a:picLocks noChangeAspect="1" noChangeArrowheads="1"/></pic:cNvPicPr></pic:nvPicPr>` +
    `<pic:blipFill><a:blip r:embed="rIdImage${index}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>` +
    `<pic:spPr bwMode="auto"><a:xfrm><a:off x="0" y="0"/><a:ext cx="${cx}" cy="${cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>` +
    '</pic:pic></a:graphicData></a:graphic></wp:inline>';
  return paragraph('Figure', `<w:r><w:drawing>${inline}</w:drawing></w:r>`);
}

/** A labelled definition field ("Use when: …"), skipped when blank. */
const field = (label: string, text: string): string => (text.trim() === '' ? '' : paragraph(null, `${run(`${label}: `, { bold: true })}${run(text.trim())}`));

function codeXml(code: ReportCode, out: string[]): void {
  out.push(paragraph('Heading3', run(code.path.join(' › '))));
  if (code.shortDefinition.trim() !== '') out.push(paragraph('ShortDefinition', run(code.shortDefinition.trim())));
  if (code.definition.trim() !== '') out.push(paragraph(null, run(code.definition.trim())));
  out.push(field('Use when', code.useWhen), field('Do not use when', code.doNotUseWhen));
  for (const [label, items] of exampleLists(code)) {
    out.push(paragraph(null, run(`${label}:`, { bold: true }), '<w:keepNext/>'));
    for (const item of items) out.push(paragraph('ListBullet', run(item.trim())));
  }
  const facts = codeFacts(code);
  out.push(table(facts.map(([label]) => label), [facts.map(([, value]) => value)], `Frequencies of ${code.name}`));
  for (const e of code.exemplars) {
    out.push(paragraph('Quote', run(e.text.trim())), paragraph('Attribution', run(`— ${e.attribution}`)));
  }
}

function documentXml(report: CodebookReport, images: readonly ReportImage[]): string {
  const out: string[] = [];
  out.push(paragraph('Title', run(report.title)), paragraph('Facts', run(`Generated ${report.generatedAt}`)));
  out.push(paragraph('Heading1', run('Study summary')));
  out.push(table(['', report.studyName], summaryFacts(report), 'Study summary'));
  if (report.notes.length > 0) {
    out.push(paragraph('Heading2', run('About this report')));
    for (const note of report.notes) out.push(paragraph('ListBullet', run(note)));
  }
  for (const section of report.sections) {
    out.push(paragraph('Heading1', run(section.stage), '<w:pageBreakBefore/>'));
    for (const kind of section.kinds) {
      out.push(paragraph('Heading2', run(kind.label)));
      for (const code of kind.codes) codeXml(code, out);
    }
  }
  if (report.sections.length === 0) out.push(paragraph(null, run('No codes were selected.')));
  if (images.length > 0) {
    out.push(paragraph('Heading1', run('Maps'), '<w:pageBreakBefore/>'));
    images.forEach((image, i) => out.push(picture(image, i + 1), paragraph('Caption', run(figureCaption(image, i)))));
  }
  if (report.matrix) {
    out.push(paragraph('Heading1', run('Cases × codes'), '<w:pageBreakBefore/>'));
    for (const part of matrixParts(report.matrix, MATRIX_COLUMNS_PER_TABLE)) {
      if (part.label !== '') out.push(paragraph('Heading2', run(part.label)));
      out.push(table(part.header, part.rows, `Cases × codes${part.label === '' ? '' : `, ${part.label}`}`));
    }
    for (const s of report.matrix.settings) out.push(paragraph('Facts', run(s)));
  }
  const section =
    `<w:sectPr><w:footerReference w:type="default" r:id="rIdFooter"/><w:pgSz w:w="${PAGE.width}" w:h="${PAGE.height}"/>` +
    `<w:pgMar w:top="${PAGE.margin}" w:right="${PAGE.margin}" w:bottom="${PAGE.margin}" w:left="${PAGE.margin}" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr>`;
  return `${DECLARATION}<w:document xmlns:w="${W}" xmlns:r="${R}" xmlns:wp="${WP}" xmlns:a="${A}" xmlns:pic="${PIC}"><w:body>
${out.join('\n')}
${section}</w:body></w:document>`;
}

const SANS = '<w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:cs="Calibri" w:eastAsia="Calibri"/>';

/** A paragraph style. `pPr` and `rPr` are the inner XML of its paragraph and run properties. */
const paragraphStyle = (id: string, name: string, pPr: string, rPr: string, basedOn = 'Normal', next = 'Normal'): string =>
  `<w:style w:type="paragraph" w:styleId="${id}"><w:name w:val="${name}"/><w:basedOn w:val="${basedOn}"/><w:next w:val="${next}"/><w:qFormat/><w:pPr>${pPr}</w:pPr><w:rPr>${rPr}</w:rPr></w:style>`;

const heading = (level: 1 | 2 | 3, size: number, before: number): string =>
  paragraphStyle(`Heading${level}`, `heading ${level}`, `<w:keepNext/><w:keepLines/><w:spacing w:before="${before}" w:after="80"/><w:outlineLvl w:val="${level - 1}"/>`, `${SANS}<w:b/><w:color w:val="1F3A5F"/><w:sz w:val="${size}"/><w:szCs w:val="${size}"/>`);

const BORDER = (side: string) => `<w:${side} w:val="single" w:sz="4" w:space="0" w:color="999999"/>`;

const STYLES =
  `${DECLARATION}<w:styles xmlns:w="${W}">` +
  `<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Georgia" w:hAnsi="Georgia" w:cs="Georgia" w:eastAsia="Georgia"/><w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="en-GB"/></w:rPr></w:rPrDefault>` +
  '<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="276" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>' +
  '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>' +
  paragraphStyle('Title', 'Title', '<w:spacing w:after="120"/><w:contextualSpacing/>', `${SANS}<w:b/><w:color w:val="1F3A5F"/><w:sz w:val="48"/><w:szCs w:val="48"/>`) +
  heading(1, 34, 360) +
  heading(2, 28, 240) +
  heading(3, 24, 240) +
  paragraphStyle('Quote', 'Quote', `<w:pBdr>${BORDER('left').replace('w:space="0"', 'w:space="8"').replace('w:sz="4"', 'w:sz="18"')}</w:pBdr><w:spacing w:before="120" w:after="40"/><w:ind w:left="567" w:right="567"/><w:keepNext/>`, '<w:i/><w:color w:val="222222"/>', 'Normal', 'Attribution') +
  paragraphStyle('Attribution', 'Attribution', '<w:spacing w:after="200"/><w:ind w:left="1134"/>', '<w:color w:val="444444"/><w:sz w:val="20"/><w:szCs w:val="20"/>') +
  paragraphStyle('Caption', 'caption', '<w:spacing w:after="240"/><w:jc w:val="center"/>', `${SANS}<w:i/><w:color w:val="444444"/><w:sz w:val="20"/><w:szCs w:val="20"/>`) +
  paragraphStyle('Figure', 'Figure', '<w:keepNext/><w:spacing w:before="120" w:after="60"/><w:jc w:val="center"/>', '') +
  paragraphStyle('ShortDefinition', 'Short Definition', '', '<w:i/>') +
  paragraphStyle('Facts', 'Facts', '', '<w:color w:val="444444"/><w:sz w:val="20"/><w:szCs w:val="20"/>') +
  paragraphStyle('ListBullet', 'List Bullet', '<w:numPr><w:numId w:val="1"/></w:numPr><w:spacing w:after="60"/><w:ind w:left="360" w:hanging="360"/>', '') +
  paragraphStyle('TableText', 'Table Text', '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>', `${SANS}<w:sz w:val="18"/><w:szCs w:val="18"/>`) +
  paragraphStyle('TableGap', 'Table Gap', '<w:spacing w:before="0" w:after="120"/>', '<w:sz w:val="8"/><w:szCs w:val="8"/>') +
  paragraphStyle('Footer', 'footer', '<w:jc w:val="center"/>', `${SANS}<w:color w:val="666666"/><w:sz w:val="18"/><w:szCs w:val="18"/>`) +
  '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>' +
  '<w:style w:type="table" w:styleId="ReportTable"><w:name w:val="Report Table"/><w:basedOn w:val="TableNormal"/><w:qFormat/>' +
  `<w:tblPr><w:tblBorders>${['top', 'left', 'bottom', 'right', 'insideH', 'insideV'].map(BORDER).join('')}</w:tblBorders><w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="80" w:type="dxa"/><w:bottom w:w="40" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar></w:tblPr>` +
  '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/></w:rPr><w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="EEF1F5"/></w:tcPr></w:tblStylePr>' +
  '</w:style>' +
  '</w:styles>';

/** One bullet list definition, used by the List Bullet style. */
const NUMBERING =
  `${DECLARATION}<w:numbering xmlns:w="${W}">` +
  '<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="singleLevel"/><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:pStyle w:val="ListBullet"/><w:lvlText w:val="•"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="360" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum>' +
  '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>' +
  '</w:numbering>';

/** The footer: the report's title and the page number (a PAGE field Word fills in). */
const footerXml = (title: string): string =>
  `${DECLARATION}<w:ftr xmlns:w="${W}" xmlns:r="${R}"><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>${run(`${title} · page `)}` +
  '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>' +
  '</w:p></w:ftr>';

/** W3CDTF without fractions of a second, which some readers refuse. */
const w3cdtf = (iso: string): string => (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/.exec(iso)?.[0] ?? '2000-01-01T00:00:00') + 'Z';

const coreXml = (report: CodebookReport): string =>
  `${DECLARATION}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
  `<dc:title>${x(report.title)}</dc:title><dc:subject>${x(report.studyName)}</dc:subject><dc:creator>Cartography</dc:creator><cp:lastModifiedBy>Cartography</cp:lastModifiedBy>` +
  `<dcterms:created xsi:type="dcterms:W3CDTF">${w3cdtf(report.generatedAt)}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${w3cdtf(report.generatedAt)}</dcterms:modified>` +
  '</cp:coreProperties>';

const APP =
  `${DECLARATION}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>Cartography</Application></Properties>`;

/** An Office content type; the dot after "officedocument" is spelt apart for the reason given at DOCX_MAIN_PART. */
const officeType = (rest: string): string => `application/vnd.openxmlformats-officedocument${'.'}${rest}`;

const contentTypes = (): string =>
  `${DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/>' +
  `<Override PartName="/${DOCX_MAIN_PART}" ContentType="${officeType(`wordprocessingml.document${'.'}main+xml`)}"/>` +
  `<Override PartName="/word/styles.xml" ContentType="${officeType('wordprocessingml.styles+xml')}"/>` +
  `<Override PartName="/word/numbering.xml" ContentType="${officeType('wordprocessingml.numbering+xml')}"/>` +
  `<Override PartName="/word/footer1.xml" ContentType="${officeType('wordprocessingml.footer+xml')}"/>` +
  '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
  `<Override PartName="/docProps/app.xml" ContentType="${officeType('extended-properties+xml')}"/>` +
  '</Types>';

const relationships = (rels: readonly [id: string, type: string, target: string][]): string =>
  `${DECLARATION}<Relationships xmlns="${REL}">${rels.map(([id, type, target]) => `<Relationship Id="${id}" Type="${type}" Target="${target}"/>`).join('')}</Relationships>`;

const OFFICE_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/**
 * The .docx bytes. Images (PNG) become word/media/map-<n>.png, shown in a "Maps" section
 * after the codebook; a non-PNG image or one without a size throws before anything is built.
 */
export function reportToDocx(report: CodebookReport, options: ReportWriterOptions = {}): Uint8Array {
  const images = options.images ?? [];
  checkImages(images);
  const mtime = new Date(2000, 0, 1, 12, 0, 0);
  const entry = (text: string): [Uint8Array, { mtime: Date }] => [strToU8(text), { mtime }];
  const files: Zippable = {
    '[Content_Types].xml': entry(contentTypes()),
    '_rels/.rels': entry(
      relationships([
        ['rId1', `${OFFICE_REL}/officeDocument`, DOCX_MAIN_PART],
        ['rId2', 'http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties', 'docProps/core.xml'],
        ['rId3', `${OFFICE_REL}/extended-properties`, 'docProps/app.xml'],
      ]),
    ),
    'docProps/core.xml': entry(coreXml(report)),
    'docProps/app.xml': entry(APP),
    [DOCX_MAIN_PART]: entry(documentXml(report, images)),
    [DOCX_MAIN_RELS]: entry(
      relationships([
        ['rIdStyles', `${OFFICE_REL}/styles`, 'styles.xml'],
        ['rIdNumbering', `${OFFICE_REL}/numbering`, 'numbering.xml'],
        ['rIdFooter', `${OFFICE_REL}/footer`, 'footer1.xml'],
        ...images.map((_, i): [string, string, string] => [`rIdImage${i + 1}`, `${OFFICE_REL}/image`, `media/map-${i + 1}.png`]),
      ]),
    ),
    'word/styles.xml': entry(STYLES),
    'word/numbering.xml': entry(NUMBERING),
    'word/footer1.xml': entry(footerXml(report.title)),
  };
  // PNG is already compressed: stored, not deflated again.
  images.forEach((image, i) => (files[`word/media/map-${i + 1}.png`] = [image.png, { mtime, level: 0 }]));
  return zipSync(files, { level: 6 });
}
