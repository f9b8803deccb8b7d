/**
 * Full-text search over a study's documents and memos. A SearchEngine holds one inverted
 * index per source (source-index.ts) and answers queries (query.ts) with hits as UTF-16
 * offsets into the original texts, grouped per source in reading order.
 *
 * Everything in and out is plain data, so the engine lives in a Web Worker: the worker
 * adds, replaces and removes sources as documents and memos change and runs queries; the
 * UI thread only receives results. Semantics:
 * - A source matches when every included term occurs in it and no excluded term does.
 * - Its hits are the occurrences of the included terms, in reading order; occurrences that
 *   overlap (a phrase and one of its words, `open open*`) are joined into one hit.
 * - With `within` (spans per source, e.g. the codings of the chosen codes), occurrences
 *   outside the spans are dropped BEFORE the AND/NOT test: the search runs on the coded
 *   text only, so counts and "code all results" agree with what is shown.
 */
import { matchSource } from './match.ts';
import { parseQuery, type ParsedQuery } from './query.ts';
import { snippet, type Snippet } from './snippet.ts';
import { indexSource, type SearchSource, type SourceIndex, type SourceKind } from './source-index.ts';
import { mergeSpans, spansOf, type SpansBySource, type TextSpan } from './spans.ts';
import { TOKENIZER_VERSION } from './tokenize.ts';

export type { ParsedQuery, QueryNotice, QueryTerm, QueryToken } from './query.ts';
export type { Snippet } from './snippet.ts';
export type { SearchSource, SourceIndex, SourceKind } from './source-index.ts';
export type { SpansBySource, TextSpan } from './spans.ts';
export { parseQuery } from './query.ts';
export { snippet } from './snippet.ts';
export { indexSource } from './source-index.ts';
export { restrictToSpans } from './spans.ts';
export { TOKENIZER_VERSION, tokenize } from './tokenize.ts';

export interface SearchHit {
  sourceId: string;
  kind: SourceKind;
  /** UTF-16 offsets into the source's text; end exclusive. */
  start: number;
  end: number;
  /** Present when the search asked for snippets (`context`). */
  snippet?: Snippet;
}

export interface SourceHits {
  sourceId: string;
  kind: SourceKind;
  /** Every hit in this source, including those past the limit. */
  count: number;
  /** The hits returned: all of them, or the share of `limit` left when this source came. */
  hits: SearchHit[];
}

export interface SearchResult {
  query: ParsedQuery;
  /** Every matching source, in the order the sources were first added. */
  sources: SourceHits[];
  /** Hits in all matching sources. */
  total: number;
  /** True when `limit` left hits out. */
  truncated: boolean;
}

export interface SearchOptions {
  /** Keep only the sources it accepts (case, participant, kind, …). In-process only: a function does not survive postMessage. */
  filter?: (sourceId: string, kind: SourceKind) => boolean;
  /** Keep only these sources: the postMessage-friendly form of `filter`. */
  sourceIds?: readonly string[] | ReadonlySet<string>;
  /** Search only inside these spans; sources without an entry are left out. */
  within?: SpansBySource;
  /** Most hits to return (counts stay exact). Default: all. */
  limit?: number;
  /** Attach a snippet with this many code units of context either side to each hit returned. */
  context?: number;
}

/** The whole engine as plain data: typed arrays (transferable) and strings. */
export interface SearchSnapshot {
  format: 'cartography-search-index';
  tokenizerVersion: number;
  sources: SourceIndex[];
}

export class SearchEngine {
  readonly #sources = new Map<string, SourceIndex>();

  /** Rebuilds an engine from a snapshot; returns null when it was made by another tokenizer version. */
  static fromSnapshot(snapshot: SearchSnapshot): SearchEngine | null {
    if (snapshot.format !== 'cartography-search-index' || snapshot.tokenizerVersion !== TOKENIZER_VERSION) return null;
    const engine = new SearchEngine();
    for (const index of snapshot.sources) engine.addIndexedSource(index);
    return engine;
  }

  get size(): number {
    return this.#sources.size;
  }

  has(sourceId: string): boolean {
    return this.#sources.has(sourceId);
  }

  /** The indexed text of a source (what hit offsets point into). */
  text(sourceId: string): string | undefined {
    return this.#sources.get(sourceId)?.text;
  }

  /** Adds a source, or replaces the source with the same id (keeping its place in the order). */
  addSource(source: SearchSource): void {
    this.addIndexedSource(indexSource(source));
  }

  /** Adds (or replaces) a source whose index was built elsewhere, e.g. by `indexSource` in another worker or from a cache. */
  addIndexedSource(index: SourceIndex): void {
    this.#sources.set(index.id, index);
  }

  /** Returns whether the source was there. */
  removeSource(sourceId: string): boolean {
    return this.#sources.delete(sourceId);
  }

  clear(): void {
    this.#sources.clear();
  }

  /** The engine's data, shared rather than copied: post it with `snapshotTransferables` to move it. */
  snapshot(): SearchSnapshot {
    return { format: 'cartography-search-index', tokenizerVersion: TOKENIZER_VERSION, sources: [...this.#sources.values()] };
  }

  /** Sizes, for measurements: `indexBytes` counts the typed arrays and (roughly) the term strings, not the texts. */
  stats(): { sources: number; tokens: number; terms: number; textChars: number; indexBytes: number } {
    let tokens = 0;
    let terms = 0;
    let textChars = 0;
    let indexBytes = 0;
    for (const s of this.#sources.values()) {
      tokens += s.tokenStart.length;
      terms += s.terms.length;
      textChars += s.text.length;
      indexBytes += s.postingStart.byteLength + s.positions.byteLength + s.tokenStart.byteLength + s.tokenEnd.byteLength;
      for (const t of s.terms) indexBytes += 16 + t.length * 2;
    }
    return { sources: this.#sources.size, tokens, terms, textChars, indexBytes };
  }

  search(query: string | ParsedQuery, options: SearchOptions = {}): SearchResult {
    const parsed = typeof query === 'string' ? parseQuery(query) : query;
    const include = parsed.terms.filter((t) => !t.exclude);
    const exclude = parsed.terms.filter((t) => t.exclude);
    const result: SearchResult = { query: parsed, sources: [], total: 0, truncated: false };
    if (include.length === 0) return result;

    const limit = options.limit ?? Infinity;
    const allowed = options.sourceIds ? new Set(options.sourceIds) : null;
    let returned = 0;
    for (const index of this.#sources.values()) {
      if (allowed && !allowed.has(index.id)) continue;
      if (options.filter && !options.filter(index.id, index.kind)) continue;
      let spans: TextSpan[] | null = null;
      if (options.within) {
        const given = spansOf(options.within, index.id);
        if (!given) continue;
        spans = mergeSpans(given);
        if (spans.length === 0) continue;
      }
      const match = matchSource(index, include, exclude, spans, returned < limit);
      if (!match) continue;
      const { count } = match;
      const offsets = match.offsets ?? [];
      const take = Math.min(offsets.length / 2, limit - returned);
      const hits: SearchHit[] = [];
      for (let k = 0; k < take; k += 1) {
        const hit: SearchHit = { sourceId: index.id, kind: index.kind, start: offsets[2 * k]!, end: offsets[2 * k + 1]! };
        if (options.context !== undefined) hit.snippet = snippet(index.text, hit, options.context);
        hits.push(hit);
      }
      returned += take;
      result.total += count;
      if (take < count) result.truncated = true;
      result.sources.push({ sourceId: index.id, kind: index.kind, count, hits });
    }
    return result;
  }
}

/** The ArrayBuffers of a snapshot, for `postMessage(snapshot, transferables)`; they are detached in the sender afterwards. */
export function snapshotTransferables(snapshot: SearchSnapshot): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const s of snapshot.sources) {
    for (const a of [s.postingStart, s.positions, s.tokenStart, s.tokenEnd]) buffers.add(a.buffer as ArrayBuffer);
  }
  return [...buffers];
}
