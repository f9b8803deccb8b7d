/**
 * Text widths measured by the browser, in the font the slides use: a canvas resolves the same
 * system faces as an SVG drawn as an image, so slide images wrap their lines where the browser
 * will draw them (slide-svg.ts), and the screen's quotes are sized the same way.
 */
import { MAP_FONT } from '../../../../shared/maps/svg.ts';
import { estimateWidth, type Measure } from './slide-svg.ts';

let context: CanvasRenderingContext2D | null | undefined;
const cache = new Map<string, number>();

/** Measures with a canvas; the estimate where the browser has no canvas. */
export const canvasMeasure: Measure = (text, fontSize, bold) => {
  context ??= document.createElement('canvas').getContext('2d');
  if (!context) return estimateWidth(text, fontSize, bold);
  const key = `${bold ? 'b' : 'n'}${fontSize}\u0000${text}`;
  let width = cache.get(key);
  if (width === undefined) {
    context.font = `${bold ? 'bold ' : ''}${fontSize}px ${MAP_FONT}`;
    width = context.measureText(text).width;
    if (cache.size > 20_000) cache.clear();
    cache.set(key, width);
  }
  return width;
};
