/**
 * The deck as a PDF, one slide per page: each slide drawn as an SVG image (slide-svg.ts),
 * rasterised to PNG in the page (svgToPng) and placed on a 16:9 page of 960 × 540 pt
 * (13.33 × 7.5 in, the usual widescreen slide), so the PDF shows exactly what was presented.
 *
 * pdf-lib is imported only when a PDF is written: the app's first load never carries it
 * (Vite puts it in a chunk of its own).
 */
import type { Slide } from '../../../../shared/maps/deck.ts';
import type { MapTheme } from '../../../../shared/maps/svg.ts';
import { svgToPng } from '../../matrices/image-export.ts';
import { canvasMeasure } from './measure.ts';
import { SLIDE_WIDTH, slideToSvg } from './slide-svg.ts';

export const PDF_PAGE = { width: 960, height: 540 } as const;
/** 1280 × 720 slides drawn at 1.5×: 1920 × 1080 px per page, sharp on a projector and in print. */
export const PDF_RASTER_SCALE = 1920 / SLIDE_WIDTH;

export interface DeckPdfInput {
  title: string;
  slides: readonly Slide[];
  theme: MapTheme;
  mapSvgs: ReadonlyMap<string, string>;
  /** Each page's footer (the study's name). */
  footer: string;
  /** Called after each page, for a progress line. */
  onPage?: (done: number, total: number) => void;
}

export async function deckToPdf(input: DeckPdfInput): Promise<Uint8Array> {
  const { PDFDocument } = await import('pdf-lib');
  const pdf = await PDFDocument.create();
  pdf.setTitle(input.title);
  pdf.setCreator('Cartography');
  pdf.setProducer('Cartography (pdf-lib)');
  const count = input.slides.length;
  for (const [i, slide] of input.slides.entries()) {
    const svg = slideToSvg(slide, input.theme, input.mapSvgs, { index: i + 1, count, footer: input.footer, measure: canvasMeasure });
    const png = await pdf.embedPng(await svgToPng(svg, PDF_RASTER_SCALE));
    const page = pdf.addPage([PDF_PAGE.width, PDF_PAGE.height]);
    page.drawImage(png, { x: 0, y: 0, width: PDF_PAGE.width, height: PDF_PAGE.height });
    input.onPage?.(i + 1, count);
  }
  return pdf.save();
}
