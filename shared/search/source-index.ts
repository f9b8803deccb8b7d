/**
 * The inverted index of one source (a document's text or a memo's), as plain data: a
 * sorted term dictionary with, for each term, the positions where it occurs, and the
 * original offsets of the token at each position.
 *
 * One index per source rather than one for the corpus: adding, replacing or removing a
 * source touches nothing else, a source's index can be built, posted and stored on its
 * own, and with a few hundred sources a query costs a few binary searches per source.
 * Terms are sorted by UTF-16 code unit, so a prefix is a contiguous range of the
 * dictionary (two binary searches), and because postings are laid out in term order, the
 * positions of a whole prefix range are one contiguous slice of `positions`.
 */
import type { QueryTerm, QueryToken } from './query.ts';
import { foldTerm, scanTokens } from './tokenize.ts';

export type SourceKind = 'document' | 'memo';

export interface SearchSource {
  id: string;
  kind: SourceKind;
  text: string;
}

export interface SourceIndex {
  id: string;
  kind: SourceKind;
  /** The text indexed, kept for snippets. */
  text: string;
  /** Distinct folded terms, sorted by UTF-16 code unit. */
  terms: string[];
  /** The positions of terms[t] are positions[postingStart[t]] … positions[postingStart[t + 1] - 1]. */
  postingStart: Uint32Array;
  /** Token positions (0, 1, 2, … in reading order), grouped by term, ascending within a term. */
  positions: Uint32Array;
  /** UTF-16 offsets of the token at each position; end exclusive. */
  tokenStart: Uint32Array;
  tokenEnd: Uint32Array;
}

// Scratch space for the build, reused from one source to the next: allocating three arrays
// the size of every text made the garbage collector a third of the build time.
let scratchStart = new Uint32Array(1 << 16);
let scratchEnd = new Uint32Array(1 << 16);
let scratchTerm = new Uint32Array(1 << 16);

function growScratch(): void {
  const grow = (a: Uint32Array) => {
    const b = new Uint32Array(a.length * 2);
    b.set(a);
    return b;
  };
  scratchStart = grow(scratchStart);
  scratchEnd = grow(scratchEnd);
  scratchTerm = grow(scratchTerm);
}

export function indexSource(source: SearchSource): SourceIndex {
  const { text } = source;
  const ids = new Map<string, number>();
  const counts: number[] = [];
  let count = 0;
  scanTokens(text, (start, end) => {
    const term = foldTerm(text.slice(start, end));
    let id = ids.get(term);
    if (id === undefined) {
      id = counts.length;
      ids.set(term, id);
      counts.push(0);
    }
    counts[id] = counts[id]! + 1;
    if (count === scratchStart.length) growScratch();
    scratchStart[count] = start;
    scratchEnd[count] = end;
    scratchTerm[count] = id;
    count += 1;
  });

  const terms = [...ids.keys()].sort();
  const rankOf = new Uint32Array(terms.length);
  const postingStart = new Uint32Array(terms.length + 1);
  for (let rank = 0; rank < terms.length; rank += 1) {
    const id = ids.get(terms[rank]!)!;
    rankOf[id] = rank;
    postingStart[rank + 1] = postingStart[rank]! + counts[id]!;
  }
  const cursor = postingStart.slice(0, terms.length);
  const positions = new Uint32Array(count);
  for (let pos = 0; pos < count; pos += 1) {
    const rank = rankOf[scratchTerm[pos]!]!;
    positions[cursor[rank]!] = pos;
    cursor[rank]! += 1;
  }
  return {
    id: source.id,
    kind: source.kind,
    text,
    terms,
    postingStart,
    positions,
    tokenStart: scratchStart.slice(0, count),
    tokenEnd: scratchEnd.slice(0, count),
  };
}

/** The first index in sorted `terms` whose term is >= `term`. */
function lowerBound(terms: readonly string[], term: string, from = 0): number {
  let lo = from;
  let hi = terms.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (terms[mid]! < term) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The range [lo, hi) of the dictionary a query token matches. */
function termRange(terms: readonly string[], token: QueryToken): [number, number] {
  const lo = lowerBound(terms, token.term);
  if (token.prefix) return [lo, lowerBound(terms, `${token.term}\uffff`, lo)];
  return [lo, lo < terms.length && terms[lo] === token.term ? lo + 1 : lo];
}

/** Positions of a query token in a source, ascending. A view into the index when it can be. */
export function tokenPositions(index: SourceIndex, token: QueryToken): Uint32Array {
  const [lo, hi] = termRange(index.terms, token);
  const slice = index.positions.subarray(index.postingStart[lo]!, index.postingStart[hi]!);
  return hi - lo > 1 ? slice.slice().sort() : slice;
}

/** How often a query token occurs in a source, without collecting the positions. */
export function tokenCount(index: SourceIndex, token: QueryToken): number {
  const [lo, hi] = termRange(index.terms, token);
  return index.postingStart[hi]! - index.postingStart[lo]!;
}

/**
 * Occurrences of a term in a source as flat UTF-16 offset pairs [start0, end0, start1, …],
 * in reading order. A phrase occurrence runs from its first token's start to its last
 * token's end.
 */
export function termOccurrences(index: SourceIndex, term: QueryTerm): number[] {
  const { tokenStart, tokenEnd } = index;
  const first = tokenPositions(index, term.tokens[0]!);
  const out: number[] = [];
  if (term.tokens.length === 1) {
    for (let k = 0; k < first.length; k += 1) {
      const p = first[k]!;
      out.push(tokenStart[p]!, tokenEnd[p]!);
    }
    return out;
  }
  // Keep the positions p of the first token where the i-th token occurs at p + i.
  let candidates: ArrayLike<number> = first;
  for (let i = 1; i < term.tokens.length && candidates.length > 0; i += 1) {
    const next = tokenPositions(index, term.tokens[i]!);
    const kept: number[] = [];
    let b = 0;
    for (let a = 0; a < candidates.length; a += 1) {
      const want = candidates[a]! + i;
      while (b < next.length && next[b]! < want) b += 1;
      if (b === next.length) break;
      if (next[b] === want) kept.push(candidates[a]!);
    }
    candidates = kept;
  }
  const last = term.tokens.length - 1;
  for (let k = 0; k < candidates.length; k += 1) {
    const p = candidates[k]!;
    out.push(tokenStart[p]!, tokenEnd[p + last]!);
  }
  return out;
}
