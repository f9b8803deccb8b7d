/**
 * The codebook report as a PDF (A4, 2 cm margins) drawn with pdf-lib: real, selectable text in
 * an embedded Unicode font (DejaVu Sans, subset to the characters used), so quotes in Latin,
 * Greek or Cyrillic scripts print as said. Headings follow the report's structure (stage,
 * kind, code) and become the PDF's bookmarks; quotes are indented and italic with their
 * attribution below ("— P2 · BLOOM"); the summary, each code's frequencies and the matrix are
 * simple ruled tables whose header row repeats on a new page; map images are scaled to the
 * text width. Each page carries the report's title and "page n of N" in its footer.
 *
 * The font bytes come from the caller (the renderer fetches them, tests read them), so this
 * module does no I/O. Characters the font cannot draw (emoji, CJK…) become a visible
 * placeholder and a closing note says how many, rather than failing or vanishing silently.
 * Texts are drawn as text, never interpreted: markup in a quote is just characters.
 */
import fontkit from '@pdf-lib/fontkit';
import { PDFArray, PDFDocument, PDFHexString, PDFName, PDFNull, PDFNumber, rgb, type PDFDict, type PDFFont, type PDFPage, type PDFRef } from 'pdf-lib';
import type { CodebookReport, ReportCode } from './report-model.ts';
import { checkImages, codeFacts, exampleLists, figureCaption, matrixParts, summaryFacts, type ReportImage } from './report-parts.ts';
import { drawableText, missingGlyphNote, wrapText } from './report-pdf-text.ts';

export interface ReportPdfOptions {
  /** TrueType fonts with the scripts to draw (DejaVu Sans: regular, bold, and oblique for quotes). */
  fontBytes: { regular: Uint8Array; bold: Uint8Array; italic?: Uint8Array };
  images?: readonly ReportImage[];
}

/** A4 in points, 2 cm (≈ 56.7 pt) margins. */
const PAGE = { width: 595.28, height: 841.89, margin: 56.7 } as const;
const TEXT_WIDTH = PAGE.width - 2 * PAGE.margin;
const TOP = PAGE.height - PAGE.margin;
const BOTTOM = PAGE.margin;
const FOOTER_Y = PAGE.margin / 2;
const QUOTE_INDENT = 22;
const ATTRIBUTION_INDENT = 44;
/** Code columns per matrix table: a portrait page holds about this many readably. */
const MATRIX_COLUMNS_PER_TABLE = 5;
const INK = rgb(0.1, 0.1, 0.1);
const HEADING_INK = rgb(0.12, 0.23, 0.37);
const GREY = rgb(0.35, 0.35, 0.35);
const RULE = rgb(0.6, 0.6, 0.6);
const HEADER_FILL = rgb(0.93, 0.945, 0.96);

type FontName = 'regular' | 'bold' | 'italic';

interface TextStyle {
  font: FontName;
  size: number;
  color?: ReturnType<typeof rgb>;
  /** Extra space above, pt. */
  before?: number;
  /** Extra space below, pt. */
  after?: number;
  indent?: number;
}

const BODY: TextStyle = { font: 'regular', size: 10, after: 5 };
const STYLES = {
  title: { font: 'bold', size: 20, color: HEADING_INK, after: 6 },
  h1: { font: 'bold', size: 16, color: HEADING_INK, before: 10, after: 6 },
  h2: { font: 'bold', size: 13, color: HEADING_INK, before: 8, after: 4 },
  h3: { font: 'bold', size: 11, color: HEADING_INK, before: 8, after: 3 },
  body: BODY,
  facts: { font: 'regular', size: 8.5, color: GREY, after: 4 },
  short: { font: 'italic', size: 10, after: 4 },
  bullet: { font: 'regular', size: 10, after: 2, indent: 12 },
  quote: { font: 'italic', size: 10, before: 4, after: 1, indent: QUOTE_INDENT },
  attribution: { font: 'regular', size: 9, color: GREY, after: 8, indent: ATTRIBUTION_INDENT },
  caption: { font: 'italic', size: 9, color: GREY, after: 10 },
  cell: { font: 'regular', size: 8 },
  headCell: { font: 'bold', size: 8 },
} satisfies Record<string, TextStyle>;

const lineHeight = (size: number): number => size * 1.3;

interface OutlineItem {
  title: string;
  page: PDFPage;
  y: number;
  children: OutlineItem[];
}

/** Lays the report out page by page: one cursor, moving down, a new page when the next block would not fit. */
class Layout {
  readonly pages: PDFPage[] = [];
  readonly outline: OutlineItem[] = [];
  readonly missing = { count: 0 };
  private page!: PDFPage;
  private y = TOP;
  private readonly drawable = new Map<FontName, Set<number>>();
  private readonly widths = new Map<string, number>();

  constructor(
    private readonly pdf: PDFDocument,
    private readonly fonts: Record<FontName, PDFFont>,
  ) {
    for (const [name, font] of Object.entries(fonts) as [FontName, PDFFont][]) this.drawable.set(name, new Set(font.getCharacterSet()));
    this.newPage();
  }

  newPage(): void {
    this.page = this.pdf.addPage([PAGE.width, PAGE.height]);
    this.pages.push(this.page);
    this.y = TOP;
  }

  private ensure(height: number): void {
    if (this.y - height < BOTTOM && this.y < TOP) this.newPage();
  }

  /** Width of a string in a font and size; words repeat a lot, so widths are remembered. */
  private measure(font: FontName, size: number, text: string): number {
    const key = `${font}\u0000${size}\u0000${text}`;
    let w = this.widths.get(key);
    if (w === undefined) this.widths.set(key, (w = this.fonts[font].widthOfTextAtSize(text, size)));
    return w;
  }

  /** Text made drawable in a font (placeholders counted), then wrapped to a width. */
  lines(text: string, style: TextStyle, width: number): string[] {
    const clean = drawableText(text, this.drawable.get(style.font)!, this.missing);
    return wrapText(clean, width, (t) => this.measure(style.font, style.size, t));
  }

  /** A paragraph; `keep` is the height of what must follow on the same page (a heading's first lines). */
  paragraph(text: string, style: TextStyle, keep = 0): void {
    const indent = style.indent ?? 0;
    const lines = this.lines(text, style, TEXT_WIDTH - indent);
    const lh = lineHeight(style.size);
    this.ensure((style.before ?? 0) + Math.min(lines.length, 3) * lh + keep);
    if (this.y < TOP) this.y -= style.before ?? 0;
    for (const line of lines) {
      this.ensure(lh);
      this.y -= lh;
      if (line !== '') this.page.drawText(line, { x: PAGE.margin + indent, y: this.y + lh - style.size, size: style.size, font: this.fonts[style.font], color: style.color ?? INK });
    }
    this.y -= style.after ?? 0;
  }

  /** A heading, kept with the lines after it, and entered in the outline at `level` (0 = top). */
  heading(text: string, style: TextStyle, level: number | null): void {
    this.ensure((style.before ?? 0) + lineHeight(style.size) + 4 * lineHeight(BODY.size));
    if (level !== null) {
      let siblings = this.outline;
      for (let l = 0; l < level && siblings.length > 0; l++) siblings = siblings.at(-1)!.children;
      siblings.push({ title: text, page: this.page, y: Math.min(TOP, this.y + 4), children: [] });
    }
    this.paragraph(text, style);
  }

  /** A quote: indented italic lines beside a grey rule, then "— who said it". */
  quote(text: string, attribution: string): void {
    const style = STYLES.quote;
    const lines = this.lines(text.trim(), style, TEXT_WIDTH - QUOTE_INDENT - 6);
    const lh = lineHeight(style.size);
    this.ensure((style.before ?? 0) + Math.min(lines.length, 3) * lh + lineHeight(STYLES.attribution.size));
    this.y -= style.before ?? 0;
    for (const line of lines) {
      this.ensure(lh);
      this.page.drawLine({ start: { x: PAGE.margin + QUOTE_INDENT - 8, y: this.y }, end: { x: PAGE.margin + QUOTE_INDENT - 8, y: this.y - lh }, thickness: 1.5, color: RULE });
      this.y -= lh;
      if (line !== '') this.page.drawText(line, { x: PAGE.margin + QUOTE_INDENT, y: this.y + lh - style.size, size: style.size, font: this.fonts.italic, color: INK });
    }
    this.y -= style.after ?? 0;
    this.paragraph(`— ${attribution}`, STYLES.attribution);
  }

  /**
   * A ruled table: the first column gets what its longest label needs (at most 30% of the
   * width), the others share the rest; cells wrap; the header row repeats on a new page.
   */
  table(header: readonly string[], rows: readonly (readonly string[])[]): void {
    const pad = 3;
    const n = header.length;
    const firstNeed = Math.max(...[header[0]!, ...rows.map((r) => r[0]!)].map((t) => this.measure('bold', STYLES.cell.size, drawableText(t, this.drawable.get('bold')!, { count: 0 })))) + 2 * pad;
    const first = n === 1 ? TEXT_WIDTH : Math.min(TEXT_WIDTH * 0.3, Math.max(60, firstNeed));
    const other = n === 1 ? 0 : (TEXT_WIDTH - first) / (n - 1);
    const widths = header.map((_, i) => (i === 0 ? first : other));
    const lh = lineHeight(STYLES.cell.size);
    const layoutRow = (row: readonly string[], head: boolean) => {
      const cells = row.map((text, i) => this.lines(text, head || i === 0 ? STYLES.headCell : STYLES.cell, widths[i]! - 2 * pad));
      return { cells, height: Math.max(...cells.map((c) => c.length)) * lh + 2 * pad, head };
    };
    const headRow = layoutRow(header, true);
    const drawRow = (row: ReturnType<typeof layoutRow>) => {
      let x = PAGE.margin;
      const top = this.y;
      if (row.head) this.page.drawRectangle({ x, y: top - row.height, width: TEXT_WIDTH, height: row.height, color: HEADER_FILL });
      row.cells.forEach((lines, i) => {
        const style = row.head || i === 0 ? STYLES.headCell : STYLES.cell;
        lines.forEach((line, l) => {
          if (line !== '') this.page.drawText(line, { x: x + pad, y: top - pad - (l + 1) * lh + (lh - style.size) * 0.6, size: style.size, font: this.fonts[style.font], color: INK });
        });
        this.page.drawRectangle({ x, y: top - row.height, width: widths[i]!, height: row.height, borderColor: RULE, borderWidth: 0.5 });
        x += widths[i]!;
      });
      this.y -= row.height;
    };
    this.ensure(headRow.height + lh * 2 + 2 * pad);
    drawRow(headRow);
    for (const row of rows) {
      const laid = layoutRow(row, false);
      if (this.y - laid.height < BOTTOM) {
        this.newPage();
        drawRow(headRow);
      }
      drawRow(laid);
    }
    this.y -= 8;
  }

  /** An image scaled to the text width (never above its own size), kept on one page with room for its caption. */
  async image(image: ReportImage, caption: string): Promise<void> {
    const png = await this.pdf.embedPng(image.png);
    // CSS px are 0.75 pt.
    let width = Math.min(TEXT_WIDTH, image.width * 0.75);
    let height = (width * image.height) / image.width;
    const room = TOP - BOTTOM - 3 * lineHeight(STYLES.caption.size);
    if (height > room) {
      width = (width * room) / height;
      height = room;
    }
    this.ensure(height + 3 * lineHeight(STYLES.caption.size));
    this.y -= height;
    this.page.drawImage(png, { x: PAGE.margin + (TEXT_WIDTH - width) / 2, y: this.y, width, height });
    this.y -= 6;
    this.paragraph(caption, STYLES.caption);
  }
}

function codePdf(layout: Layout, code: ReportCode): void {
  layout.heading(code.path.join(' › '), STYLES.h3, 2);
  if (code.shortDefinition.trim() !== '') layout.paragraph(code.shortDefinition.trim(), STYLES.short);
  if (code.definition.trim() !== '') layout.paragraph(code.definition.trim(), BODY);
  if (code.useWhen.trim() !== '') layout.paragraph(`Use when: ${code.useWhen.trim()}`, BODY);
  if (code.doNotUseWhen.trim() !== '') layout.paragraph(`Do not use when: ${code.doNotUseWhen.trim()}`, BODY);
  for (const [label, items] of exampleLists(code)) {
    layout.paragraph(`${label}:`, { ...BODY, font: 'bold', after: 2 }, lineHeight(BODY.size));
    for (const item of items) layout.paragraph(`• ${item.trim()}`, STYLES.bullet);
  }
  const facts = codeFacts(code);
  layout.table(
    facts.map(([label]) => label),
    [facts.map(([, value]) => value)],
  );
  for (const e of code.exemplars) layout.quote(e.text, e.attribution);
}

/** The outline (bookmarks) as PDF dictionaries, written through pdf-lib's low-level objects. */
function writeOutline(pdf: PDFDocument, items: readonly OutlineItem[]): void {
  if (items.length === 0) return;
  const context = pdf.context;
  const count = (list: readonly OutlineItem[]): number => list.reduce((n, item) => n + 1 + count(item.children), 0);
  const writeLevel = (list: readonly OutlineItem[], parent: PDFRef): { first: PDFRef; last: PDFRef } => {
    const refs = list.map(() => context.nextRef());
    list.forEach((item, i) => {
      const dict: PDFDict = context.obj({});
      dict.set(PDFName.of('Title'), PDFHexString.fromText(item.title));
      dict.set(PDFName.of('Parent'), parent);
      if (i > 0) dict.set(PDFName.of('Prev'), refs[i - 1]!);
      if (i < list.length - 1) dict.set(PDFName.of('Next'), refs[i + 1]!);
      const dest = PDFArray.withContext(context);
      dest.push(item.page.ref);
      dest.push(PDFName.of('XYZ'));
      dest.push(PDFNull);
      dest.push(PDFNumber.of(item.y));
      dest.push(PDFNull);
      dict.set(PDFName.of('Dest'), dest);
      if (item.children.length > 0) {
        const { first, last } = writeLevel(item.children, refs[i]!);
        dict.set(PDFName.of('First'), first);
        dict.set(PDFName.of('Last'), last);
        // Negative: the entry starts closed (the stages show, their kinds and codes on demand).
        dict.set(PDFName.of('Count'), PDFNumber.of(-count(item.children)));
      }
      context.assign(refs[i]!, dict);
    });
    return { first: refs[0]!, last: refs.at(-1)! };
  };
  const root = context.nextRef();
  const { first, last } = writeLevel(items, root);
  const outlines: PDFDict = context.obj({});
  outlines.set(PDFName.of('Type'), PDFName.of('Outlines'));
  outlines.set(PDFName.of('First'), first);
  outlines.set(PDFName.of('Last'), last);
  outlines.set(PDFName.of('Count'), PDFNumber.of(items.length));
  context.assign(root, outlines);
  pdf.catalog.set(PDFName.of('Outlines'), root);
  pdf.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
}

/**
 * The PDF bytes. Throws (before drawing anything) when an image is not a PNG or has no size,
 * and when a font cannot be read.
 */
export async function reportToPdf(report: CodebookReport, options: ReportPdfOptions): Promise<Uint8Array> {
  const images = options.images ?? [];
  checkImages(images);
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  const embed = async (bytes: Uint8Array, which: string): Promise<PDFFont> => {
    try {
      return await pdf.embedFont(bytes, { subset: true });
    } catch (error) {
      throw new Error(`The ${which} font for the PDF could not be read (${(error as Error).message}).`, { cause: error });
    }
  };
  const regular = await embed(options.fontBytes.regular, 'regular');
  const fonts: Record<FontName, PDFFont> = { regular, bold: await embed(options.fontBytes.bold, 'bold'), italic: options.fontBytes.italic ? await embed(options.fontBytes.italic, 'italic') : regular };
  const generated = new Date(report.generatedAt);
  pdf.setTitle(report.title, { showInWindowTitleBar: true });
  pdf.setSubject(report.studyName);
  pdf.setCreator('Cartography');
  pdf.setProducer('Cartography');
  pdf.setLanguage('en');
  if (!Number.isNaN(generated.getTime())) {
    pdf.setCreationDate(generated);
    pdf.setModificationDate(generated);
  }

  const layout = new Layout(pdf, fonts);
  layout.heading(report.title, STYLES.title, null);
  layout.paragraph(`Generated ${report.generatedAt}`, STYLES.facts);
  layout.heading('Study summary', STYLES.h1, 0);
  layout.table(['', report.studyName], summaryFacts(report));
  if (report.notes.length > 0) {
    layout.heading('About this report', STYLES.h2, 1);
    for (const note of report.notes) layout.paragraph(`• ${note}`, STYLES.bullet);
  }
  for (const section of report.sections) {
    layout.newPage();
    layout.heading(section.stage, STYLES.h1, 0);
    for (const kind of section.kinds) {
      layout.heading(kind.label, STYLES.h2, 1);
      for (const code of kind.codes) codePdf(layout, code);
    }
  }
  if (report.sections.length === 0) layout.paragraph('No codes were selected.', BODY);
  if (images.length > 0) {
    layout.newPage();
    layout.heading('Maps', STYLES.h1, 0);
    for (const [i, image] of images.entries()) await layout.image(image, figureCaption(image, i));
  }
  if (report.matrix) {
    layout.newPage();
    layout.heading('Cases × codes', STYLES.h1, 0);
    for (const part of matrixParts(report.matrix, MATRIX_COLUMNS_PER_TABLE)) {
      if (part.label !== '') layout.heading(part.label, STYLES.h2, 1);
      layout.table(part.header, part.rows);
    }
    for (const s of report.matrix.settings) layout.paragraph(s, STYLES.facts);
  }
  // Said last, once every text has been drawn and the count is known.
  if (layout.missing.count > 0) {
    layout.heading('Characters not drawn', STYLES.h2, 0);
    layout.paragraph(missingGlyphNote(layout.missing.count), BODY);
  }

  const total = layout.pages.length;
  const footerLines = layout.lines(report.title, STYLES.facts, TEXT_WIDTH * 0.75);
  const footerTitle = footerLines.length > 1 ? `${footerLines[0]!.replace(/\s*\S*$/, '')} …` : (footerLines[0] ?? '');
  layout.pages.forEach((page, i) => {
    const text = `${footerTitle} · page ${i + 1} of ${total}`;
    const width = fonts.regular.widthOfTextAtSize(text, STYLES.facts.size);
    page.drawText(text, { x: (PAGE.width - width) / 2, y: FOOTER_Y, size: STYLES.facts.size, font: fonts.regular, color: GREY });
  });
  writeOutline(pdf, layout.outline);
  return pdf.save();
}
