/**
 * A slide as a standalone SVG image, 1280 × 720 (16:9), for the PDF (each page is this image
 * rasterised) — pure: plain data in, markup out, no DOM. The screen draws the same slides
 * with HTML (Slide.tsx) in the same proportions and colours (`SLIDE_THEMES`), and both fit a
 * stage's quotes with `fitCodeColumns`, so the PDF looks like what was presented.
 *
 * Maps are nested as inner <svg> elements (their own viewBox, scaled to fit their box), so
 * the image loads nothing: an SVG drawn as an image may not fetch anything anyway.
 */
import { formatPosition } from '../../../../shared/maps/positions.ts';
import type { CodeHighlight, Slide } from '../../../../shared/maps/deck.ts';
import { MAP_FONT, type MapTheme } from '../../../../shared/maps/svg.ts';
import { oneLine, svgNumber, textWidth } from '../../../../shared/maps/text.ts';
import { xmlText } from '../../../../shared/formats/matrix-export.ts';

export const SLIDE_WIDTH = 1280;
export const SLIDE_HEIGHT = 720;
const MARGIN = 64;

export interface SlideTheme {
  label: string;
  background: string;
  ink: string;
  muted: string;
  accent: string;
  challenge: string;
  onRamp: string;
  rule: string;
  panel: string;
  /** The summary's axis: band (middle half) and median marker. */
  band: string;
  marker: string;
}

/**
 * Colours of slides. Every text colour meets WCAG AA against its background for normal text
 * (4.5:1), most AAA (7:1): light — ink 15.8, muted 7.9, accent 6.6, challenge 6.3, on-ramp
 * 6.5 on white; high contrast — white 21, yellow 14.7, cyan 15.1 on black.
 */
export const SLIDE_THEMES: Record<MapTheme, SlideTheme> = {
  light: {
    label: 'Light',
    background: '#ffffff',
    ink: '#1f2328',
    muted: '#474d55',
    accent: '#1d5c96',
    challenge: '#a6401f',
    onRamp: '#17646c',
    rule: '#c9ced6',
    panel: '#f3f5f8',
    band: '#c5d3e6',
    marker: '#1f2328',
  },
  contrast: {
    label: 'High contrast',
    background: '#000000',
    ink: '#ffffff',
    muted: '#ffffff',
    accent: '#ffd400',
    challenge: '#ffd400',
    onRamp: '#7fe7ff',
    rule: '#ffffff',
    panel: '#1a1a1a',
    band: '#5c5c5c',
    marker: '#ffd400',
  },
};

/** Kinds of slides as the editor names them. */
export const SLIDE_KIND_LABELS: Record<Slide['kind'], string> = {
  overview: 'Overview',
  'stage-map': 'Stage map',
  'stage-codes': 'Challenges and on-ramps',
  network: 'Network',
  summary: 'Summary',
};

// ——— Measuring text ———

/** The width in px of one line of text at a font size, bold or not, in the slides' font (MAP_FONT). */
export type Measure = (text: string, fontSize: number, bold: boolean) => number;

/**
 * Without a browser to measure in: the shared estimate, widened, since bold type and common
 * system faces (DejaVu Sans, Segoe UI) run wider than it. The renderer measures instead
 * (measure.ts), so nothing it draws runs over.
 */
export const estimateWidth: Measure = (text, fontSize, bold) => textWidth(text, fontSize) * (bold ? 1.16 : 1.08);

export interface TextTools {
  width(text: string, fontSize: number, bold?: boolean): number;
  /** Shortened with an ellipsis to fit (characters are never split). */
  fit(text: string, width: number, fontSize: number, bold?: boolean): string;
  /** Lines no wider than `width`, broken at spaces (a word wider than a line is shortened). */
  wrap(text: string, width: number, fontSize: number, bold?: boolean): string[];
}

export function textTools(measure: Measure = estimateWidth): TextTools {
  const width = (text: string, fontSize: number, bold = false) => measure(text, fontSize, bold);
  const fit = (text: string, w: number, fontSize: number, bold = false) => {
    if (width(text, fontSize, bold) <= w) return text;
    const chars = [...text];
    while (chars.length > 0 && width(`${chars.join('')}…`, fontSize, bold) > w) chars.pop();
    return chars.length === 0 ? '' : `${chars.join('')}…`;
  };
  const wrap = (text: string, w: number, fontSize: number, bold = false) => {
    const lines: string[] = [];
    let line = '';
    for (const word of oneLine(text).split(' ')) {
      if (word === '') continue;
      const candidate = line === '' ? word : `${line} ${word}`;
      if (width(candidate, fontSize, bold) <= w) line = candidate;
      else {
        if (line !== '') lines.push(line);
        line = width(word, fontSize, bold) <= w ? word : fit(word, w, fontSize, bold);
      }
    }
    if (line !== '') lines.push(line);
    return lines;
  };
  return { width, fit, wrap };
}

// ——— Fitting a stage's quotes ———

/** Sizes in px of a 1280-wide slide (the screen uses them ÷ 12.8 as cqw). */
export interface CodeColumnSizes {
  name: number;
  meta: number;
  quote: number;
  attribution: number;
}

export const CODE_COLUMN = {
  /** Each of the two columns. */
  width: 548,
  /** From below the title to the footer. */
  height: 520,
  /** Between two codes of a column. */
  gap: 22,
  lineHeight: 1.28,
  maxQuote: 30,
  minQuote: 14,
} as const;

/** The quote as shown: in curly quotes, on one line of words. */
export const quoteText = (text: string) => `“${oneLine(text)}”`;

function columnHeight(items: readonly CodeHighlight[], sizes: CodeColumnSizes, width: number, tx: TextTools): number {
  const lh = CODE_COLUMN.lineHeight;
  let h = 0;
  items.forEach((item, i) => {
    if (i > 0) h += CODE_COLUMN.gap;
    h += tx.wrap(item.name, width, sizes.name, true).length * sizes.name * lh;
    h += sizes.meta * lh;
    if (item.quote) {
      h += 6 + tx.wrap(quoteText(item.quote.text), width - 14, sizes.quote).length * sizes.quote * lh;
      h += tx.wrap(`— ${item.quote.attribution}`, width - 14, sizes.attribution, true).length * sizes.attribution * lh;
    }
  });
  return h;
}

/**
 * The largest type (quote 30 px down to 14 px of a 1280 px slide, names and attributions in
 * step) at which both columns of a stage's challenges and on-ramps fit their box; the
 * smallest when even that does not fit (the screen then shrinks further, measuring).
 */
export function fitCodeColumns(
  columns: readonly (readonly CodeHighlight[])[],
  width: number = CODE_COLUMN.width,
  height: number = CODE_COLUMN.height - 48,
  measure: Measure = estimateWidth,
): CodeColumnSizes {
  const tx = textTools(measure);
  const sizesAt = (quote: number): CodeColumnSizes => ({ quote, name: Math.max(16, Math.round(quote * 0.9)), meta: Math.max(12, Math.round(quote * 0.6)), attribution: Math.max(12, Math.round(quote * 0.72)) });
  for (let quote: number = CODE_COLUMN.maxQuote; quote > CODE_COLUMN.minQuote; quote -= 1) {
    const sizes = sizesAt(quote);
    if (columns.every((items) => columnHeight(items, sizes, width, tx) <= height)) return sizes;
  }
  return sizesAt(CODE_COLUMN.minQuote);
}

// ——— Words the screen and the image share ———

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** "12 coded segments in 5 cases". */
export const highlightMeta = (h: CodeHighlight) => `${plural(h.segments, 'coded segment')} in ${plural(h.cases, 'case')}`;

/** The median as shown large: "0.43", or "—" without evidence. */
export const medianText = (median: number | null) => (median === null ? '—' : formatPosition(median));

/** "BigScience (4 ties), Hugging Face (3 ties)". */
export const mostConnectedText = (actors: readonly { name: string; ties: number }[]) => actors.map((a) => `${oneLine(a.name)} (${plural(a.ties, 'tie')})`).join(', ');

/** x of a position (−1 … +1) on an axis from `left` (cathedral) to `left + width` (bazaar). */
export const axisX = (position: number, left: number, width: number) => left + ((Math.max(-1, Math.min(1, position)) + 1) / 2) * width;

// ——— SVG ———

export interface SlideSvgOptions {
  /** 1-based place among the presented slides, and how many there are (the footer's "3 / 9"). */
  index?: number;
  count?: number;
  /** The footer's left text (the study's name). */
  footer?: string;
  /** Text widths (default: `estimateWidth`). */
  measure?: Measure;
}

const s = svgNumber;

class Svg {
  readonly out: string[] = [];
  constructor(readonly theme: SlideTheme) {}
  text(x: number, y: number, text: string, size: number, fill: string, extra = ''): void {
    this.out.push(`<text x="${s(x)}" y="${s(y)}" font-size="${s(size)}" fill="${fill}"${extra}>${xmlText(text)}</text>`);
  }
  /** Wrapped lines from a top edge (first baseline at top + size); returns the bottom. */
  lines(x: number, top: number, lines: readonly string[], size: number, fill: string, extra = '', lh: number = CODE_COLUMN.lineHeight): number {
    // Baseline: the line box's half-leading, then the ascent (about 0.8 em).
    lines.forEach((line, i) => this.text(x, top + i * size * lh + ((lh - 1) / 2 + 0.8) * size, line, size, fill, extra));
    return top + lines.length * size * lh;
  }
  rect(x: number, y: number, w: number, h: number, fill: string, extra = ''): void {
    this.out.push(`<rect x="${s(x)}" y="${s(y)}" width="${s(w)}" height="${s(h)}" fill="${fill}"${extra}/>`);
  }
  line(x1: number, y1: number, x2: number, y2: number, stroke: string, width: number): void {
    this.out.push(`<line x1="${s(x1)}" y1="${s(y1)}" x2="${s(x2)}" y2="${s(y2)}" stroke="${stroke}" stroke-width="${s(width)}"/>`);
  }
}

/** An SVG document nested into a box of the slide, scaled to fit (centred). */
export function nestSvg(svg: string, x: number, y: number, width: number, height: number): string {
  const open = /<svg\b[^>]*>/.exec(svg);
  const close = svg.lastIndexOf('</svg>');
  if (!open || close < 0) return '';
  const attr = (name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(open[0])?.[1];
  const viewBox = attr('viewBox') ?? `0 0 ${attr('width') ?? '100'} ${attr('height') ?? '100'}`;
  const font = attr('font-family');
  const inner = svg.slice(open.index + open[0].length, close);
  return `<svg x="${s(x)}" y="${s(y)}" width="${s(width)}" height="${s(height)}" viewBox="${viewBox}" preserveAspectRatio="xMidYMid meet"${font ? ` font-family="${font}"` : ''}>${inner}</svg>`;
}

function header(g: Svg, tx: TextTools, slide: Slide, kicker: string | null): number {
  const t = g.theme;
  let y = 56;
  if (kicker) {
    g.text(MARGIN, y, kicker.toUpperCase(), 18, t.accent, ' font-weight="bold" letter-spacing="1.5"');
    y += 12;
  }
  const lines = tx.wrap(slide.title, SLIDE_WIDTH - 2 * MARGIN, 40, true).slice(0, 2);
  const bottom = g.lines(MARGIN, y, lines, 40, t.ink, ' font-weight="bold"', 1.15);
  g.line(MARGIN, bottom + 14, SLIDE_WIDTH - MARGIN, bottom + 14, t.rule, 2);
  return bottom + 30;
}

/** The kicker line above a slide's title ("Stage 1 of 3", …), or null. */
export function slideKicker(slide: Slide): string | null {
  switch (slide.kind) {
    case 'overview':
      return 'Workshop';
    case 'stage-map':
      return `Stage ${slide.body.stageNumber} of ${slide.body.stageCount}`;
    case 'stage-codes':
      return oneLine(slide.body.stageName);
    case 'network':
      return 'Who works with whom';
    case 'summary':
      return 'Summary';
  }
}

/** The slide as a standalone SVG 1.1 document, 1280 × 720 (see the file comment). */
export function slideToSvg(slide: Slide, theme: MapTheme, mapSvgs: ReadonlyMap<string, string>, options: SlideSvgOptions = {}): string {
  const t = SLIDE_THEMES[theme] ?? SLIDE_THEMES.light;
  const g = new Svg(t);
  const tx = textTools(options.measure);
  const W = SLIDE_WIDTH;
  const H = SLIDE_HEIGHT;
  g.rect(0, 0, W, H, t.background);

  if (slide.kind === 'overview') {
    const b = slide.body;
    g.text(MARGIN, 150, 'WORKSHOP', 22, t.accent, ' font-weight="bold" letter-spacing="2"');
    const titleLines = tx.wrap(b.studyName, W - 2 * MARGIN, 68, true).slice(0, 3);
    let y = g.lines(MARGIN, 176, titleLines, 68, t.ink, ' font-weight="bold"', 1.12) + 28;
    g.text(MARGIN, y + 32, `${plural(b.caseCount, 'case')} · ${plural(b.interviewCount, 'interview')} · ${plural(b.participantCount, 'participant')}`, 32, t.muted);
    y += 92;
    if (b.stages.length > 0) {
      g.text(MARGIN, y, 'THE LIFECYCLE', 18, t.accent, ' font-weight="bold" letter-spacing="1.5"');
      y += 18;
      const gap = 36;
      const boxW = Math.min(340, (W - 2 * MARGIN - gap * (b.stages.length - 1)) / b.stages.length);
      const size = 28;
      b.stages.forEach((stage, i) => {
        const x = MARGIN + i * (boxW + gap);
        g.rect(x, y, boxW, 76, t.panel, ` stroke="${t.rule}" stroke-width="2" rx="8"`);
        g.text(x + 18, y + 48, tx.fit(oneLine(stage.name), boxW - 36, size, true), size, t.ink, ' font-weight="bold"');
        if (i < b.stages.length - 1) g.text(x + boxW + gap / 2, y + 50, '→', 30, t.ink, ' text-anchor="middle"');
      });
    }
  } else {
    const top = header(g, tx, slide, slideKicker(slide));
    const bottom = H - 56;
    if (slide.kind === 'stage-map' || slide.kind === 'network') {
      // A row of figures under the title, the map below at the full width.
      const items: { label: string; value: string; size: number; words?: string }[] =
        slide.kind === 'stage-map'
          ? [
              { label: 'Median', value: medianText(slide.body.summary.median), size: 46, words: slide.body.summaryWords },
              { label: 'Cases placed', value: `${slide.body.summary.count} of ${slide.body.cases.length + slide.body.noEvidence.length}`, size: 30 },
              ...(slide.body.summary.q1 !== null && slide.body.summary.q3 !== null
                ? [{ label: 'Middle half', value: `${formatPosition(slide.body.summary.q1)} to ${formatPosition(slide.body.summary.q3)}`, size: 30 }]
                : []),
            ]
          : [
              { label: 'Actors', value: String(slide.body.actorCount), size: 46 },
              { label: 'Ties', value: String(slide.body.tieCount), size: 46 },
              ...(slide.body.mostConnected.length > 0 ? [{ label: 'Most connected', value: mostConnectedText(slide.body.mostConnected), size: 30 }] : []),
            ];
      let x = MARGIN;
      const base = top + 62;
      for (const item of items) {
        g.text(x, top + 18, item.label.toUpperCase(), 18, t.muted, ' font-weight="bold" letter-spacing="1"');
        const room = W - MARGIN - x - (slide.kind === 'stage-map' ? 240 : 0);
        const value = tx.fit(item.value, room, item.size, true);
        g.text(x, base, value, item.size, t.ink, ' font-weight="bold"');
        let end = x + tx.width(value, item.size, true);
        if (item.words) {
          g.text(end + 12, base, item.words, 26, t.accent, ' font-weight="bold"');
          end += 12 + tx.width(item.words, 26, true);
        }
        x = Math.max(end, x + tx.width(item.label.toUpperCase(), 18, true) + 18) + 40;
      }
      if (slide.kind === 'stage-map') g.text(W - MARGIN, base, '−1 cathedral · +1 bazaar', 18, t.muted, ' text-anchor="end"');
      const map = mapSvgs.get(slide.id);
      if (map) g.out.push(nestSvg(map, MARGIN, top + 84, W - 2 * MARGIN, bottom - top - 84));
    } else if (slide.kind === 'stage-codes') {
      const b = slide.body;
      const sizes = fitCodeColumns([b.challenges, b.onRamps], CODE_COLUMN.width, bottom - top - 48, options.measure);
      const columns = [
        { heading: 'Challenges', items: b.challenges, color: t.challenge },
        { heading: 'On-ramps', items: b.onRamps, color: t.onRamp },
      ];
      columns.forEach((column, ci) => {
        const x = MARGIN + ci * (CODE_COLUMN.width + (W - 2 * MARGIN - 2 * CODE_COLUMN.width));
        g.text(x, top + 26, column.heading.toUpperCase(), 24, column.color, ' font-weight="bold" letter-spacing="1.5"');
        g.rect(x, top + 36, 64, 5, column.color);
        let y = top + 48;
        if (column.items.length === 0) {
          g.lines(x, y, tx.wrap(`No ${column.heading.toLowerCase()} coded in this stage.`, CODE_COLUMN.width, 24), 24, t.muted);
          return;
        }
        column.items.forEach((item, i) => {
          if (i > 0) y += CODE_COLUMN.gap;
          y = g.lines(x, y, tx.wrap(item.name, CODE_COLUMN.width, sizes.name, true), sizes.name, t.ink, ' font-weight="bold"');
          y = g.lines(x, y, [highlightMeta(item)], sizes.meta, t.muted);
          if (item.quote) {
            const quoteTop = y + 6;
            y = g.lines(x + 14, quoteTop, tx.wrap(quoteText(item.quote.text), CODE_COLUMN.width - 14, sizes.quote), sizes.quote, t.ink);
            g.rect(x, quoteTop + 4, 4, y - quoteTop, column.color);
            y = g.lines(x + 14, y, tx.wrap(`— ${item.quote.attribution}`, CODE_COLUMN.width - 14, sizes.attribution, true), sizes.attribution, t.muted, ' font-weight="bold"');
          }
        });
      });
    } else {
      const b = slide.body;
      const labelW = 270;
      const axisLeft = MARGIN + labelW;
      const axisW = W - 2 * MARGIN - labelW - 320;
      const rows = b.stages.length;
      const moveLines = tx.wrap(b.overall ? b.overall.text : 'Fewer than two stages have evidence, so there is no move across the lifecycle to describe.', W - 2 * MARGIN, 26, true);
      const rowsBottom = bottom - moveLines.length * 26 * 1.28 - 24;
      const rowH = Math.min(96, (rowsBottom - top - 34) / Math.max(1, rows));
      g.text(axisLeft, top + 24, '← Cathedral', 20, t.muted, ' font-weight="bold"');
      g.text(axisLeft + axisW, top + 24, 'Bazaar →', 20, t.muted, ' font-weight="bold" text-anchor="end"');
      b.stages.forEach((st, i) => {
        const cy = top + 34 + i * rowH + rowH / 2;
        g.text(MARGIN, cy + 10, tx.fit(oneLine(st.stageName), labelW - 24, 30, true), 30, t.ink, ' font-weight="bold"');
        g.line(axisLeft, cy, axisLeft + axisW, cy, t.rule, 3);
        g.line(axisX(0, axisLeft, axisW), cy - 14, axisX(0, axisLeft, axisW), cy + 14, t.rule, 2);
        if (st.median !== null) {
          if (st.q1 !== null && st.q3 !== null) {
            const x1 = axisX(st.q1, axisLeft, axisW);
            g.rect(x1, cy - 12, Math.max(4, axisX(st.q3, axisLeft, axisW) - x1), 24, t.band, ' rx="4"');
          }
          g.out.push(`<circle cx="${s(axisX(st.median, axisLeft, axisW))}" cy="${s(cy)}" r="14" fill="${t.marker}" stroke="${t.background}" stroke-width="3"/>`);
        }
        const value = st.median === null ? 'no evidence' : `${formatPosition(st.median)} ${st.words}`;
        g.text(axisLeft + axisW + 28, cy - 2, tx.fit(value, 292, 24, true), 24, t.ink, ' font-weight="bold"');
        g.text(axisLeft + axisW + 28, cy + 26, plural(st.count, 'case'), 20, t.muted);
      });
      g.lines(MARGIN, rowsBottom + 8, moveLines, 26, t.ink, ' font-weight="bold"');
    }
  }

  // Footer.
  if (options.footer) g.text(MARGIN, H - 22, tx.fit(oneLine(options.footer), W - 2 * MARGIN - 120, 16), 16, t.muted);
  if (options.index !== undefined && options.count !== undefined) g.text(W - MARGIN, H - 22, `${options.index} / ${options.count}`, 16, t.muted, ' text-anchor="end"');

  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="${xmlText(MAP_FONT)}">`,
    `<title>${xmlText(slide.title)}</title>`,
    ...g.out,
    '</svg>',
  ].join('\n');
}

