/**
 * Bytes to text for the text formats (.txt, .md, .vtt, .srt, .csv): finds the encoding,
 * refuses empty and binary files with a message the researcher can act on, and
 * normalises the result once (BOM removed, CRLF/CR → LF).
 */
import { normaliseText } from '../text/normalise.ts';
import { fileProblem, type ImportProblem } from './types.ts';

// TextDecoder is a standard global in browsers and Node; declared here because shared/
// compiles without the DOM library.
declare const TextDecoder: new (
  label?: string,
  options?: { fatal?: boolean; ignoreBOM?: boolean },
) => { decode(input?: Uint8Array): string };

export interface DecodedText {
  text: string;
  /** e.g. "utf-8", "utf-8 with BOM", "utf-16le with BOM", "windows-1252 (converted)" */
  encoding: string;
  /** Set when the encoding was a guess the researcher should check. */
  note?: string;
}

export type DecodeResult = DecodedText | { problem: ImportProblem };

const SAMPLE = 8192;

// Files people pick by mistake, recognised by their first bytes.
const SIGNATURES: readonly { bytes: readonly number[]; what: string; hint: string }[] = [
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document', hint: 'Give the file the .pdf extension and import it again.' },
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'a ZIP package (a Word .docx file is one)', hint: 'If it is a Word document, give it the .docx extension and import it again.' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], what: 'an old Word 97–2003 document (.doc)', hint: 'Open it in Word or LibreOffice, save it as .docx, and import that file.' },
  { bytes: [0x7b, 0x5c, 0x72, 0x74, 0x66], what: 'a Rich Text (.rtf) document', hint: 'Open it in Word or LibreOffice, save it as .docx or plain text, and import that file.' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image', hint: 'Import the transcript itself, not a picture of it.' },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image', hint: 'Import the transcript itself, not a picture of it.' },
  { bytes: [0x49, 0x44, 0x33], what: 'an MP3 recording', hint: 'Cartography imports transcripts, not recordings: transcribe the audio first.' },
];

const BINARY_HINT = 'Check that you picked the transcript itself. Cartography reads plain text (.txt, .md), subtitles (.vtt, .srt), Word (.docx), PDF and CSV files.';

export function decodeText(bytes: Uint8Array, fileName: string): DecodeResult {
  if (bytes.length === 0) {
    return { problem: fileProblem(fileName, `“${fileName}” is empty (0 bytes).`, 'Check that you picked the right file and that it was saved completely, then import it again.') };
  }
  const decoded = decodeBytes(bytes, fileName);
  if ('problem' in decoded) return decoded;
  const text = normaliseText(decoded.text);
  if (text.trim() === '') {
    return { problem: fileProblem(fileName, `“${fileName}” contains only blank space: there is no text to import.`, 'Check that you picked the right file and that it was saved completely, then import it again.') };
  }
  if (controlShare(text.slice(0, SAMPLE)) > 0.02) {
    return { problem: fileProblem(fileName, `“${fileName}” does not look like text: it is full of control characters.`, BINARY_HINT) };
  }
  return { ...decoded, text };
}

function decodeBytes(bytes: Uint8Array, fileName: string): DecodeResult {
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return utf8(bytes, 'utf-8 with BOM');
  if (startsWith(bytes, [0xff, 0xfe])) return { text: new TextDecoder('utf-16le').decode(bytes), encoding: 'utf-16le with BOM' };
  if (startsWith(bytes, [0xfe, 0xff])) return { text: new TextDecoder('utf-16be').decode(bytes), encoding: 'utf-16be with BOM' };

  const known = SIGNATURES.find((s) => startsWith(bytes, s.bytes));
  if (known) return { problem: fileProblem(fileName, `“${fileName}” is ${known.what}, not a text file.`, known.hint) };

  const sample = bytes.subarray(0, SAMPLE);
  if (sample.includes(0)) {
    const utf16 = utf16WithoutBom(sample);
    if (utf16) {
      return {
        text: new TextDecoder(utf16).decode(bytes),
        encoding: `${utf16} (no BOM)`,
        note: `Read as ${utf16.toUpperCase()} because the file has no byte-order mark but its bytes are laid out as UTF-16 text; check that the text reads correctly.`,
      };
    }
    return { problem: fileProblem(fileName, `“${fileName}” does not look like text: it contains binary data (zero bytes).`, BINARY_HINT) };
  }
  return utf8(bytes, 'utf-8');
}

function utf8(bytes: Uint8Array, encoding: string): DecodedText {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding };
  } catch {
    return {
      text: decodeWindows1252(bytes),
      encoding: 'windows-1252 (converted)',
      note: 'Read as Windows-1252 because the file is not valid UTF-8; check accented letters.',
    };
  }
}

// Windows-1252 differs from ISO-8859-1 only in 0x80–0x9F (curly quotes, dashes, €, …);
// the five bytes it leaves undefined keep their code point, as in the WHATWG encoding.
const WINDOWS_1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

/**
 * Decoded here rather than with TextDecoder('windows-1252'): Node 20's decoder treats that
 * label as ISO-8859-1 and turns curly quotes into control characters.
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x2000) {
    const chunk = Array.from(bytes.subarray(i, i + 0x2000), (b) => (b >= 0x80 && b < 0xa0 ? WINDOWS_1252_HIGH[b - 0x80]! : String.fromCharCode(b)));
    text += chunk.join('');
  }
  return text;
}

/** UTF-16 text mostly in Latin script has a zero in every other byte: odd ones (LE) or even ones (BE). */
function utf16WithoutBom(sample: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const pairs = Math.floor(sample.length / 2);
  if (pairs === 0) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i + 1 < sample.length; i += 2) {
    if (sample[i] === 0) evenZeros += 1;
    if (sample[i + 1] === 0) oddZeros += 1;
  }
  if (oddZeros / pairs > 0.4 && evenZeros / pairs < 0.02) return 'utf-16le';
  if (evenZeros / pairs > 0.4 && oddZeros / pairs < 0.02) return 'utf-16be';
  return null;
}

/** Share of C0 control characters other than tab, line feed, form feed and carriage return. */
function controlShare(text: string): number {
  if (text.length === 0) return 0;
  let controls = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d) || c === 0x7f) controls += 1;
  }
  return controls / text.length;
}

export function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.length <= bytes.length && prefix.every((b, i) => bytes[i] === b);
}
