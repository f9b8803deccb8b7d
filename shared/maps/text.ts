/**
 * Small helpers the maps and the deck share: a deterministic text order, a rough text width
 * (for label boxes before anything is drawn), shortening and wrapping, and numbers as the
 * maps show them. Plain functions, no DOM: the renderer may measure real text and pass the
 * widths in instead.
 */

const COLLATOR = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/**
 * Orders names the way people read them ("P2" before "P10", case and accents ignored), then
 * by code units, so that two different names never compare equal.
 */
export function compareText(a: string, b: string): number {
  const byCollator = COLLATOR.compare(a, b);
  if (byCollator !== 0) return byCollator;
  return a < b ? -1 : a > b ? 1 : 0;
}

const NARROW = new Set([...'ilj.,:;\'|!ftrI()[]{} ']);
const WIDE = new Set([...'mwMWOQGDHNU@%&']);

/** A rough (generous) width of one line of text in a common sans-serif face: full-width for CJK and emoji. */
export function textWidth(text: string, fontSize: number): number {
  let em = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    em += (cp >= 0x2e80 && cp <= 0xffdc) || cp >= 0x1f000 ? 1.05 : NARROW.has(ch) ? 0.34 : WIDE.has(ch) ? 0.88 : ch >= 'A' && ch <= 'Z' ? 0.7 : 0.58;
  }
  return em * fontSize;
}

/** One line: tabs and line breaks become spaces, runs of spaces one space, ends trimmed. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Shortens text to fit a width, with an ellipsis (characters are never split). */
export function fitText(text: string, width: number, fontSize: number): string {
  if (textWidth(text, fontSize) <= width) return text;
  const chars = [...text];
  while (chars.length > 0 && textWidth(`${chars.join('')}…`, fontSize) > width) chars.pop();
  return chars.length === 0 ? '' : `${chars.join('')}…`;
}

/** Breaks text into lines no wider than `width` at spaces (a word wider than a line is shortened). */
export function wrapText(text: string, width: number, fontSize: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of oneLine(text).split(' ')) {
    if (word === '') continue;
    const candidate = line === '' ? word : `${line} ${word}`;
    if (textWidth(candidate, fontSize) <= width) line = candidate;
    else {
      if (line !== '') lines.push(line);
      line = textWidth(word, fontSize) <= width ? word : fitText(word, width, fontSize);
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** A coordinate or length for SVG: at most two decimals, no exponent, no "-0". */
export function svgNumber(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return rounded === 0 ? '0' : String(rounded);
}

/** `#rrggbb`, lower-cased, or the fallback when the colour is anything else. */
export function safeColor(color: string | undefined, fallback: string): string {
  return color !== undefined && /^#[0-9a-f]{6}$/i.test(color) ? color.toLowerCase() : fallback;
}
