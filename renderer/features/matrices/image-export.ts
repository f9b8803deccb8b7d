/**
 * SVG → PNG in the page: the SVG is loaded as an image from a blob: URL (the app's CSP allows
 * img-src blob:, and an SVG shown as an image runs no script and loads nothing), drawn on a
 * canvas at `scale` times its size, and encoded as PNG. A blob: image of the page's own
 * making does not taint the canvas, so it can be read back.
 */

/** Chromium refuses canvases beyond 16,384 px a side or ~268 M pixels; stay well inside both. */
const MAX_SIDE = 16_384;
const MAX_PIXELS = 120_000_000;

/** The width and height in px an SVG document declares on its root (viewBox when they are missing). */
export function svgSize(svg: string): { width: number; height: number } {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  const attr = (name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(root)?.[1];
  const box = attr('viewBox')?.trim().split(/[\s,]+/).map(Number);
  const width = Number.parseFloat(attr('width') ?? '') || (box?.[2] ?? NaN);
  const height = Number.parseFloat(attr('height') ?? '') || (box?.[3] ?? NaN);
  if (!(width > 0 && height > 0)) throw new Error('The image has no size (its <svg> element declares no width and height).');
  return { width, height };
}

/** The scale actually used: the one asked for, lowered when the canvas would be too large. */
export function pngScale(width: number, height: number, scale: number): number {
  return Math.min(scale, MAX_SIDE / width, MAX_SIDE / height, Math.sqrt(MAX_PIXELS / (width * height)));
}

function loadImage(url: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error('The browser could not draw the SVG image.'));
    image.src = url;
  });
}

/** Renders an SVG document to PNG bytes, `scale` × its declared size (2 by default, sharp on high-density screens and in print). */
export async function svgToPng(svg: string, scale = 2): Promise<Uint8Array> {
  const { width, height } = svgSize(svg);
  const factor = pngScale(width, height, scale);
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const image = await loadImage(url);
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(width * factor));
    canvas.height = Math.max(1, Math.round(height * factor));
    const context = canvas.getContext('2d');
    if (!context) throw new Error('The browser has no canvas to draw the image on.');
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob) throw new Error('The browser could not encode the PNG image (it may be too large).');
    return new Uint8Array(await blob.arrayBuffer());
  } finally {
    URL.revokeObjectURL(url);
  }
}
