/**
 * A one-line preview of a hit for the results list: up to `context` code units either
 * side, cut at whitespace so no word is shown in part, with an ellipsis where text was
 * left out. Runs of whitespace (line breaks included) show as one space.
 */
import type { TextSpan } from './spans.ts';

export interface Snippet {
  before: string;
  match: string;
  after: string;
}

export const ELLIPSIS = '\u2026';

const isSpaceAt = (text: string, i: number) => /\s/.test(text[i] ?? '');
const collapse = (s: string) => s.replace(/\s+/g, ' ');

export function snippet(text: string, hit: TextSpan, context = 60): Snippet {
  const { start, end } = hit;
  const n = text.length;

  let from = Math.max(0, start - context);
  if (from > 0 && !isSpaceAt(text, from - 1)) {
    let k = from;
    while (k < start && !isSpaceAt(text, k)) k += 1;
    // No whitespace in the window (a very long word, or a script without spaces): cut
    // where the window does, but never inside a surrogate pair.
    if (k < start) from = k;
    else if ((text.charCodeAt(from) & 0xfc00) === 0xdc00) from += 1;
  }
  let cutBefore = false;
  for (let k = from - 1; k >= 0; k -= 1) {
    if (!isSpaceAt(text, k)) {
      cutBefore = true;
      break;
    }
  }
  const before = collapse(text.slice(from, start)).trimStart();

  let to = Math.min(n, end + context);
  if (to < n && !isSpaceAt(text, to)) {
    let k = to;
    while (k > end && !isSpaceAt(text, k - 1)) k -= 1;
    if (k > end) to = k;
    else if ((text.charCodeAt(to - 1) & 0xfc00) === 0xd800) to -= 1;
  }
  let cutAfter = false;
  for (let k = to; k < n; k += 1) {
    if (!isSpaceAt(text, k)) {
      cutAfter = true;
      break;
    }
  }
  const after = collapse(text.slice(end, to)).trimEnd();

  return {
    before: cutBefore ? `${ELLIPSIS}${before}` : before,
    match: collapse(text.slice(start, end)),
    after: cutAfter ? `${after}${ELLIPSIS}` : after,
  };
}
