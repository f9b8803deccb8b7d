/**
 * Text for the PDF report, as pure functions: which characters the embedded font can draw
 * (the rest become a visible placeholder, counted, so the report can say so), and greedy line
 * wrapping with a measuring function. A PDF has no text layout of its own: every line break
 * is decided here, in one pass over the words.
 */

/** Drawn instead of a character the font lacks: a white square, as viewers draw a missing glyph. */
export const MISSING_GLYPH = '\u25a1';

/** The note closing a PDF in which some characters were replaced. */
export const missingGlyphNote = (count: number): string =>
  `${count} ${count === 1 ? 'character' : 'characters'} could not be drawn with the PDF’s font and ${count === 1 ? 'is' : 'are'} shown as ${MISSING_GLYPH}; the HTML and DOCX reports show them.`;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff\ufffe\uffff]/g;

/**
 * Text the font can draw: tabs become spaces, other control and invisible formatting characters
 * go, lone surrogates and characters outside `drawable` become MISSING_GLYPH (or "?" when the
 * font has no square either), each one counted in `missing`. Line breaks are kept.
 */
export function drawableText(text: string, drawable: ReadonlySet<number>, missing: { count: number }): string {
  const placeholder = drawable.has(MISSING_GLYPH.codePointAt(0)!) ? MISSING_GLYPH : '?';
  let out = '';
  for (const ch of text.replace(/\r\n?/g, '\n').replace(/\t/g, ' ').replace(CONTROL, '')) {
    const cp = ch.codePointAt(0)!;
    if (ch === '\n' || drawable.has(cp)) out += ch;
    else if (cp >= 0xfe00 && cp <= 0xfe0f) continue; // variation selectors (after an emoji) add nothing drawable
    else {
      missing.count += 1;
      out += placeholder;
    }
  }
  return out;
}

/**
 * Greedy wrapping of one paragraph into lines no wider than `width`; explicit line breaks are
 * kept (a blank line stays a blank line). A word wider than a whole line is cut between
 * characters. `measure` gives the width of a string; each word is measured once.
 */
export function wrapText(text: string, width: number, measure: (text: string) => number): string[] {
  const lines: string[] = [];
  const space = measure(' ');
  for (const source of text.split('\n')) {
    let line = '';
    let lineWidth = 0;
    for (const word of source.split(/ +/)) {
      if (word === '') continue;
      const w = measure(word);
      if (line !== '' && lineWidth + space + w <= width) {
        line += ` ${word}`;
        lineWidth += space + w;
        continue;
      }
      if (line !== '') lines.push(line);
      line = word;
      lineWidth = w;
      if (w <= width) continue;
      // A word longer than the line (a URL, a run of characters): cut it where it overflows,
      // adding up the characters' widths so a long word costs no more than its length.
      let piece = '';
      let pieceWidth = 0;
      for (const ch of word) {
        const cw = measure(ch);
        if (piece !== '' && pieceWidth + cw > width) {
          lines.push(piece);
          piece = '';
          pieceWidth = 0;
        }
        piece += ch;
        pieceWidth += cw;
      }
      line = piece;
      lineWidth = pieceWidth;
    }
    lines.push(line);
  }
  return lines;
}
