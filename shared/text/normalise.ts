/**
 * Text is normalised once, at import, so that UTF-16 offsets stored with segments stay
 * valid for ever after: the byte-order mark is removed and CRLF / lone CR become LF.
 * Nothing else changes (no trimming, no Unicode normalisation, no whitespace folding).
 */
export function normaliseText(raw: string): string {
  const withoutBom = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  return withoutBom.replace(/\r\n?/g, '\n');
}

/** Words as a researcher counts them: runs of letters, digits and joining punctuation. */
export function countWords(text: string): number {
  const matches = text.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu);
  return matches ? matches.length : 0;
}
