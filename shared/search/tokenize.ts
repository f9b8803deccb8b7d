/**
 * Tokenisation for full-text search. A token is a word of the ORIGINAL text, kept as its
 * UTF-16 offsets (so hits highlight and code exactly what the researcher sees), plus a
 * folded form used only for matching.
 *
 * The rule, applied alike to documents, memos and queries:
 * - A word is a run of letters and digits (\p{L}, \p{N}), with the combining marks that
 *   follow them (\p{M}) and the invisible joiners ZWNJ, ZWJ and the soft hyphen inside it.
 * - Everything else separates words, apostrophes and hyphens included: "fine-tune" is the
 *   two adjacent tokens fine · tune, and "Norway's" is norway · s. Because a query is split
 *   by the same rule, the query word fine-tune becomes the phrase "fine tune", which finds
 *   fine-tune, fine tune and fine–tune; fine alone finds it too; don't finds don't and don’t.
 *   (finetune and dont do not: joining parts would double the postings of every compound.)
 * - Scripts written without spaces between words: Thai, Lao, Khmer, Myanmar and Tai scripts
 *   are split into words by Intl.Segmenter (ICU dictionaries, the same in Node and
 *   Chromium); Han ideographs and kana become one token per character, so a query such as
 *   数据 is the phrase 数 · 据 and finds that exact sequence wherever it occurs.
 *
 * Folding: NFKD (so ligatures, full-width and other compatibility forms match their plain
 * letters), lower case, diacritics removed (the combining diacritical-mark blocks, Hebrew
 * points, Arabic harakat; not the vowel signs of Indic or Thai scripts, which are letters
 * there), then letters that do not decompose: ß→ss, æ→ae, œ→oe, ø→o, ł→l, đ/ð→d, þ→th,
 * ı→i, ħ→h, ŧ→t, final ς→σ; finally NFC.
 */

export interface Token {
  /** UTF-16 offsets into the original text; end is exclusive. */
  start: number;
  end: number;
  /** The folded form, for matching only (never shown). */
  term: string;
}

/** Bumped whenever tokenising or folding changes, so stored indexes can be rebuilt. */
export const TOKENIZER_VERSION = 1;

const SEPARATOR = 1;
const WORD = 2;
const MARK = 3;
const JOINER = 4;
/** A letter of a script written without spaces, split by Intl.Segmenter. */
const SEGMENTED = 5;
/** A Han ideograph or kana: one token each. */
const IDEOGRAPH = 6;

const WORD_CHAR = /^[\p{L}\p{N}]$/u;
const MARK_CHAR = /^\p{M}$/u;

function classifyCodePoint(cp: number): number {
  if (cp === 0x200c || cp === 0x200d || cp === 0xad) return JOINER;
  const ch = String.fromCodePoint(cp);
  if (MARK_CHAR.test(ch)) return MARK;
  if (!WORD_CHAR.test(ch)) return SEPARATOR;
  if (
    (cp >= 0x0e00 && cp <= 0x0eff) || // Thai, Lao
    (cp >= 0x1000 && cp <= 0x109f) || // Myanmar
    (cp >= 0x1780 && cp <= 0x17ff) || // Khmer
    (cp >= 0x1980 && cp <= 0x1aaf) || // New Tai Lue, Khmer symbols, Buginese, Tai Tham
    (cp >= 0xa9e0 && cp <= 0xa9ff) || // Myanmar extended-B
    (cp >= 0xaa60 && cp <= 0xaadf) // Myanmar extended-A, Tai Viet
  ) {
    return SEGMENTED;
  }
  if (
    (cp >= 0x3040 && cp <= 0x30ff) || // Hiragana, Katakana
    (cp >= 0x31f0 && cp <= 0x31ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xff66 && cp <= 0xff9f) || // half-width Katakana
    (cp >= 0x20000 && cp <= 0x3ffff)
  ) {
    return IDEOGRAPH;
  }
  return WORD;
}

// Character classes are computed once per code point and remembered: a deterministic
// cache, so the module stays pure in effect.
const bmpClasses = new Uint8Array(0x10000);
for (let c = 0; c < 0x80; c += 1) {
  const isWord = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  bmpClasses[c] = isWord ? WORD : SEPARATOR;
}
const astralClasses = new Map<number, number>();

function classAt(cp: number): number {
  if (cp < 0x10000) {
    let c = bmpClasses[cp]!;
    if (c === 0) {
      c = classifyCodePoint(cp);
      bmpClasses[cp] = c;
    }
    return c;
  }
  let c = astralClasses.get(cp);
  if (c === undefined) {
    c = classifyCodePoint(cp);
    astralClasses.set(cp, c);
  }
  return c;
}

let wordSegmenter: Intl.Segmenter | null | undefined;
function segmenter(): Intl.Segmenter | null {
  if (wordSegmenter === undefined) {
    // A fixed locale, so results never depend on the machine's language; ICU applies its
    // Thai, Lao, Khmer and Burmese dictionaries whatever the locale.
    wordSegmenter = typeof Intl.Segmenter === 'function' ? new Intl.Segmenter('th', { granularity: 'word' }) : null;
  }
  return wordSegmenter;
}

/** Intl.Segmenter slows down more than linearly on long strings (V8 in Node 20: 0.2 µs a
 * character up to ~4,000, 2.6 µs at 64,000), so long runs are segmented in chunks. The
 * dictionary breaker looks ahead, so the words near a chunk's end may change once the text
 * goes on: only words ending SEGMENT_OVERLAP before the end are kept, and the next chunk
 * starts at the first word not kept. */
const SEGMENT_CHUNK = 2000;
const SEGMENT_OVERLAP = 200;

function emitSegmented(text: string, from: number, to: number, emit: (start: number, end: number) => void): void {
  const seg = segmenter();
  if (!seg) {
    emit(from, to);
    return;
  }
  let at = from;
  while (at < to) {
    const chunkEnd = Math.min(to, at + SEGMENT_CHUNK);
    const keepBefore = chunkEnd === to ? to : chunkEnd - SEGMENT_OVERLAP;
    let next = chunkEnd;
    for (const s of seg.segment(text.slice(at, chunkEnd))) {
      const start = at + s.index;
      const end = start + s.segment.length;
      if (end > keepBefore && start > at) {
        next = start;
        break;
      }
      if (s.isWordLike) emit(start, end);
    }
    at = next;
  }
}

/**
 * Calls `emit(start, end)` for every token of `text`, in order. Offsets are UTF-16 code
 * units into `text`. The fast path for the index build: no objects, no folding.
 */
export function scanTokens(text: string, emit: (start: number, end: number) => void): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    let cp = text.charCodeAt(i);
    let width = 1;
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < n) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        cp = ((cp - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
        width = 2;
      }
    }
    const cls = cp < 0x80 ? bmpClasses[cp]! : classAt(cp);
    if (cls === SEPARATOR || cls === JOINER) {
      i += width;
      continue;
    }
    const start = i;
    i += width;
    if (cls === IDEOGRAPH) {
      // One token per ideograph, with any marks that follow it (kana voicing marks).
      while (i < n && classAt(text.charCodeAt(i)) === MARK) i += 1;
      emit(start, i);
      continue;
    }
    const runClass = cls === SEGMENTED ? SEGMENTED : WORD;
    let end = i;
    while (i < n) {
      let c = text.charCodeAt(i);
      let w = 1;
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
        const low = text.charCodeAt(i + 1);
        if (low >= 0xdc00 && low <= 0xdfff) {
          c = ((c - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
          w = 2;
        }
      }
      const k = c < 0x80 ? bmpClasses[c]! : classAt(c);
      if (k === runClass || k === MARK) {
        i += w;
        end = i;
      } else if (k === JOINER) {
        i += w; // inside a word only: a trailing joiner is left out of the token
      } else {
        break;
      }
    }
    if (runClass === SEGMENTED) emitSegmented(text, start, end, emit);
    else emit(start, end);
  }
}

/** Combining diacritical marks (the generic blocks, Hebrew points, Arabic harakat) and invisible joiners. */
function isDiacritic(c: number): boolean {
  return (
    (c >= 0x0300 && c <= 0x036f) ||
    (c >= 0x0591 && c <= 0x05c7) ||
    (c >= 0x064b && c <= 0x065f) ||
    c === 0x0670 ||
    (c >= 0x1ab0 && c <= 0x1aff) ||
    (c >= 0x1dc0 && c <= 0x1dff) ||
    (c >= 0x20d0 && c <= 0x20ff) ||
    (c >= 0xfe20 && c <= 0xfe2f) ||
    c === 0x200c ||
    c === 0x200d ||
    c === 0xad
  );
}

function stripDiacritics(s: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i += 1) {
    if (isDiacritic(s.charCodeAt(i))) {
      out += s.slice(from, i);
      from = i + 1;
    }
  }
  return from === 0 ? s : out + s.slice(from);
}

const UNDECOMPOSABLE: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
  ŧ: 't',
  ς: 'σ',
  // ŀ decomposes (NFKD) to l + middle dot; the dot is punctuation, not part of the word.
  '·': '',
};
const UNDECOMPOSABLE_CHARS = /[ßæœøłđðþıħŧς·]/g;

/** The folded form of one word: lower case, without diacritics (see the module comment). */
export function foldTerm(word: string): string {
  for (let i = 0; i < word.length; i += 1) {
    if (word.charCodeAt(i) >= 0x80) {
      return stripDiacritics(word.normalize('NFKD').toLowerCase())
        .replace(UNDECOMPOSABLE_CHARS, (ch) => UNDECOMPOSABLE[ch] ?? ch)
        .normalize('NFC');
    }
  }
  return word.toLowerCase();
}

/** Every token of `text` with its original offsets and folded term. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  scanTokens(text, (start, end) => {
    tokens.push({ start, end, term: foldTerm(text.slice(start, end)) });
  });
  return tokens;
}
