/**
 * The text side of a REFI-QDA import: decoding a source's text file, deciding how the
 * project's selection positions count, and carrying positions from the text as written to
 * our normalised text.
 *
 * Positions in a .qde refer to the text as the file holds it (after its byte order mark):
 * CRLF line ends count as two characters. Our text is normalised (CRLF and CR → LF), so each
 * position is moved back by the CRs that normalisation removes before it; a selection then
 * still selects the same characters, less the CRs.
 *
 * The specification counts positions in Unicode code points; NVivo writes UTF-16 code units.
 * The two readings differ only after a character outside the Basic Multilingual Plane (an
 * emoji, say). `decidePositions` weighs, in this order: a reading that cannot be right (a
 * selection past the end of its text, or one that cuts an emoji in half); Cartography's own
 * statement in the file; whether selection edges fall on word boundaries; the program that
 * wrote the file (NVivo counts UTF-16 code units); the specification.
 */
import { plural } from './wording.ts';

// TextDecoder is a standard global in browsers and Node; declared because shared/ compiles without the DOM library.
declare const TextDecoder: new (label?: string, options?: { fatal?: boolean }) => { decode(input?: Uint8Array): string };

export type PositionUnit = 'code-points' | 'utf16';

export type DecodedSource = { text: string; encoding: string } | { problem: string };

/** The byte offset of the first invalid UTF-8 sequence, or -1 when the bytes are valid UTF-8. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    const [length, min, max] = b >= 0xc2 && b <= 0xdf ? [2, 0x80, 0xbf] : b === 0xe0 ? [3, 0xa0, 0xbf] : b === 0xed ? [3, 0x80, 0x9f] : b >= 0xe1 && b <= 0xef ? [3, 0x80, 0xbf] : b === 0xf0 ? [4, 0x90, 0xbf] : b === 0xf4 ? [4, 0x80, 0x8f] : b >= 0xf1 && b <= 0xf3 ? [4, 0x80, 0xbf] : [0, 0, 0];
    if (length === 0 || i + length > bytes.length) return i;
    const second = bytes[i + 1]!;
    if (second < min || second > max) return i;
    for (let k = 2; k < length; k += 1) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    i += length;
  }
  return -1;
}

/**
 * A text file of the package as a string without its byte order mark: UTF-8 (with or without
 * a BOM), or UTF-16 with a BOM. Anything else is a problem naming `what` (e.g. the source).
 */
export function decodeSourceText(bytes: Uint8Array, what: string): DecodedSource {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le with BOM' };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be with BOM' };
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = bom ? bytes.subarray(3) : bytes;
  const bad = firstInvalidUtf8(body);
  if (bad !== -1) {
    const at = bad + (bom ? 3 : 0);
    return {
      problem: `${what} is not valid UTF-8 (byte ${at + 1} is 0x${bytes[at]!.toString(16).toUpperCase().padStart(2, '0')}), which a REFI-QDA project requires; it may be in another encoding such as Windows-1252. Export the project again, or save the text as UTF-8 in the program that made it.`,
    };
  }
  return { text: new TextDecoder('utf-8').decode(body), encoding: bom ? 'utf-8 with BOM' : 'utf-8' };
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** The code-point indexes of the characters that take two UTF-16 code units, ascending. */
function astralIndexes(text: string): number[] {
  const out: number[] = [];
  let cp = 0;
  for (let i = 0; i < text.length; i += 1, cp += 1) {
    if (isHigh(text.charCodeAt(i)) && i + 1 < text.length && isLow(text.charCodeAt(i + 1))) {
      out.push(cp);
      i += 1;
    }
  }
  return out;
}

/** How many items of a sorted list are below `value`. */
function countBelow(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** One text as written, with what is needed to read positions in it either way. */
export class PositionText {
  readonly raw: string;
  private readonly astral: number[];
  private removedCrs: number[] | null = null;
  constructor(raw: string) {
    this.raw = raw;
    this.astral = astralIndexes(raw);
  }
  /** Length in the given unit. */
  length(unit: PositionUnit): number {
    return unit === 'utf16' ? this.raw.length : this.raw.length - this.astral.length;
  }
  hasAstral(): boolean {
    return this.astral.length > 0;
  }
  /** A position of the file in the given unit as a UTF-16 offset into the raw text. */
  toUtf16(position: number, unit: PositionUnit): number {
    return unit === 'utf16' ? position : position + countBelow(this.astral, position);
  }
  /** True when a UTF-16 offset falls between the two halves of a surrogate pair. */
  splitsPair(offset: number): boolean {
    return offset > 0 && offset < this.raw.length && isHigh(this.raw.charCodeAt(offset - 1)) && isLow(this.raw.charCodeAt(offset));
  }
  /** A UTF-16 offset into the raw text as an offset into the normalised text (CRLF → LF removes the CR). */
  toNormalised(offset: number): number {
    if (this.removedCrs === null) {
      this.removedCrs = [];
      for (let i = this.raw.indexOf('\r'); i !== -1; i = this.raw.indexOf('\r', i + 1)) if (this.raw.charCodeAt(i + 1) === 10) this.removedCrs.push(i);
    }
    return offset - countBelow(this.removedCrs, offset);
  }
}

const WORD = /[\p{L}\p{N}\p{M}]/u;
/** An edge that does not cut a word in two: at either end of the text, or beside something other than a letter or digit. */
function onBoundary(text: string, offset: number): boolean {
  if (offset <= 0 || offset >= text.length) return true;
  const before = String.fromCodePoint(text.codePointAt(isLow(text.charCodeAt(offset - 1)) && offset >= 2 ? offset - 2 : offset - 1)!);
  const after = String.fromCodePoint(text.codePointAt(offset)!);
  return !(WORD.test(before) && WORD.test(after));
}

export interface PositionEvidence {
  text: PositionText;
  spans: { start: number; end: number }[];
}

export interface PositionDecision {
  unit: PositionUnit;
  reason: string;
}

const UNIT_WORDS: Record<PositionUnit, string> = { 'code-points': 'Unicode code points, as the REFI-QDA specification counts them', utf16: 'UTF-16 code units' };

/**
 * How the project's selection positions count (see the module comment). `declared` is what a
 * Cartography export says of itself; `origin` the Project's origin attribute.
 */
export function decidePositions(sources: readonly PositionEvidence[], origin: string, declared: PositionUnit | null): PositionDecision {
  let pastEndCp = 0;
  let pastEndU16 = 0;
  let splits = 0;
  let differing = 0;
  let boundaryU16 = 0;
  let boundaryCp = 0;
  let astralText = false;
  for (const { text, spans } of sources) {
    if (text.hasAstral()) astralText = true;
    for (const span of spans) {
      for (const position of [span.start, span.end]) {
        if (position < 0) continue;
        if (position > text.length('code-points')) pastEndCp += 1;
        if (position > text.length('utf16')) pastEndU16 += 1;
        else if (text.splitsPair(position)) splits += 1;
        if (position > text.length('code-points') || position > text.length('utf16')) continue;
        const asCp = text.toUtf16(position, 'code-points');
        if (asCp === position) continue;
        differing += 1;
        if (onBoundary(text.raw, position) && !text.splitsPair(position)) boundaryU16 += 1;
        if (onBoundary(text.raw, asCp)) boundaryCp += 1;
      }
    }
  }
  const nvivo = /\bNVivo\b/i.test(origin);
  const wroteBy = origin.trim() === '' ? 'the file does not say which program wrote it' : `the project was written by ${origin.trim()}`;
  const u16Impossible = pastEndU16 > 0 || splits > 0;
  const cpImpossible = pastEndCp > 0;

  if (u16Impossible && !cpImpossible) {
    const why = [splits > 0 ? `${plural(splits, 'selection edge', 'selection edges')} would cut a character such as an emoji in half` : '', pastEndU16 > 0 ? `${plural(pastEndU16, 'selection edge', 'selection edges')} would lie past the end of the text` : ''].filter(Boolean).join(' and ');
    return { unit: 'code-points', reason: `Positions were read as ${UNIT_WORDS['code-points']}: read as UTF-16 code units, ${why} (${wroteBy}).` };
  }
  if (cpImpossible && !u16Impossible) {
    return {
      unit: 'utf16',
      reason: `Positions were read as UTF-16 code units: read as code points, ${plural(pastEndCp, 'selection edge', 'selection edges')} would lie past the end of the text${nvivo ? `; this is how NVivo counts, and ${wroteBy}` : ` (${wroteBy})`}.`,
    };
  }
  if (declared !== null) return { unit: declared, reason: `Positions were read as ${declared === 'utf16' ? 'UTF-16 code units' : 'Unicode code points'}, as the file says of itself (${wroteBy}).` };
  if (differing === 0) {
    const unit: PositionUnit = nvivo ? 'utf16' : 'code-points';
    const why = astralText ? 'no selection edge comes after a character outside the Basic Multilingual Plane (such as an emoji)' : 'the texts hold no character outside the Basic Multilingual Plane (such as an emoji)';
    return { unit, reason: `Positions were read as ${UNIT_WORDS[unit]}${nvivo ? `, as NVivo writes them (${wroteBy})` : ` (${wroteBy})`}; both readings select the same text, because ${why}.` };
  }
  const margin = Math.max(2, Math.ceil(differing / 10));
  const counts = `of the ${plural(differing, 'selection edge', 'selection edges')} the two readings place differently, ${boundaryU16} fall between words when read as UTF-16 code units and ${boundaryCp} when read as code points`;
  if (boundaryU16 - boundaryCp >= margin) {
    return { unit: 'utf16', reason: `Positions were read as UTF-16 code units: ${counts}${nvivo ? `; this is also how NVivo counts, and ${wroteBy}` : ` (${wroteBy})`}.` };
  }
  if (boundaryCp - boundaryU16 >= margin) return { unit: 'code-points', reason: `Positions were read as ${UNIT_WORDS['code-points']}: ${counts} (${wroteBy}).` };
  if (nvivo) return { unit: 'utf16', reason: `Positions were read as UTF-16 code units because ${wroteBy}, and NVivo counts UTF-16 code units; the selections themselves do not tell (${counts}).` };
  return { unit: 'code-points', reason: `Positions were read as ${UNIT_WORDS['code-points']}; the selections themselves do not tell (${counts}), and ${wroteBy}.` };
}
