/** A file name stem from a name: letters, digits, spaces, dashes and underscores kept, spaces as dashes; `fallback` when nothing is left. */
export function fileStem(name: string, fallback = 'study'): string {
  return (
    name
      .replace(/[^\p{L}\p{N} _-]+/gu, '')
      .trim()
      .replace(/\s+/g, '-') || fallback
  );
}
