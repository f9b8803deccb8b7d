/**
 * Matching a parsed query against one source: the AND / NOT test and the hits, as flat
 * offset pairs so that a query with thousands of hits allocates no object per hit until
 * the engine returns them.
 */
import type { QueryTerm } from './query.ts';
import { termOccurrences, tokenCount, type SourceIndex } from './source-index.ts';
import { insideSpans, type TextSpan } from './spans.ts';

/**
 * The hits of a source, as a count and offsets [start0, end0, …], or null when it does not
 * match. Without `wantHits`, a query of one word or prefix is only counted (from the
 * posting lengths), which keeps `the` or `t*` fast once the limit is reached.
 */
export function matchSource(
  index: SourceIndex,
  include: readonly QueryTerm[],
  exclude: readonly QueryTerm[],
  spans: TextSpan[] | null,
  wantHits: boolean,
): { count: number; offsets: number[] | null } | null {
  const single = (term: QueryTerm) => spans === null && term.tokens.length === 1;
  const exactAndDistinct = (term: QueryTerm, i: number) =>
    !term.tokens[0]!.prefix && include.findIndex((other) => other.tokens[0]!.term === term.tokens[0]!.term) === i;
  const occurrences = (term: QueryTerm) => {
    const found = termOccurrences(index, term);
    return spans ? keepInside(found, spans) : found;
  };
  for (const term of exclude) {
    if (single(term) ? tokenCount(index, term.tokens[0]!) > 0 : occurrences(term).length > 0) return null;
  }
  if (!wantHits && include.every(single) && (include.length === 1 || include.every(exactAndDistinct))) {
    // Occurrences of different exact words never overlap, so the count is a sum.
    let count = 0;
    for (const term of include) {
      const n = tokenCount(index, term.tokens[0]!);
      if (n === 0) return null;
      count += n;
    }
    return { count, offsets: null };
  }
  const lists: number[][] = [];
  for (const term of include) {
    const found = occurrences(term);
    if (found.length === 0) return null;
    lists.push(found);
  }
  const offsets = joinOverlapping(lists.length === 1 ? lists[0]! : sortPairs(lists.flat(), index.text.length));
  return { count: offsets.length / 2, offsets };
}

function keepInside(pairs: number[], spans: readonly TextSpan[]): number[] {
  const kept: number[] = [];
  for (let k = 0; k < pairs.length; k += 2) {
    if (insideSpans(spans, pairs[k]!, pairs[k + 1]!)) kept.push(pairs[k]!, pairs[k + 1]!);
  }
  return kept;
}

/** Offset pairs sorted by start, then end: packed into one float key each while that is exact. */
function sortPairs(pairs: number[], textLength: number): number[] {
  const base = textLength + 1;
  const out: number[] = [];
  if (base * base < Number.MAX_SAFE_INTEGER) {
    const keys = new Float64Array(pairs.length / 2);
    for (let k = 0; k < keys.length; k += 1) keys[k] = pairs[2 * k]! * base + pairs[2 * k + 1]!;
    keys.sort();
    for (let k = 0; k < keys.length; k += 1) {
      const start = Math.floor(keys[k]! / base);
      out.push(start, keys[k]! - start * base);
    }
    return out;
  }
  const order = Array.from({ length: pairs.length / 2 }, (_, k) => k);
  order.sort((a, b) => pairs[2 * a]! - pairs[2 * b]! || pairs[2 * a + 1]! - pairs[2 * b + 1]!);
  for (const k of order) out.push(pairs[2 * k]!, pairs[2 * k + 1]!);
  return out;
}

/** Joins overlapping pairs of a list sorted by start (phrases like "the the" overlap themselves). */
function joinOverlapping(pairs: number[]): number[] {
  const out: number[] = [];
  for (let k = 0; k < pairs.length; k += 2) {
    const start = pairs[k]!;
    const end = pairs[k + 1]!;
    const last = out.length - 1;
    if (last > 0 && start < out[last]!) out[last] = Math.max(out[last]!, end);
    else out.push(start, end);
  }
  return out;
}
