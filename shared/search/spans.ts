/**
 * Restricting hits to spans of text: how the "code" and "stage" filters work. The caller
 * passes, per source, the spans coded with the chosen codes (or codes of the chosen
 * stage); a hit counts only when it lies wholly inside one of them.
 */

export interface TextSpan {
  /** UTF-16 offsets; end exclusive. */
  start: number;
  end: number;
}

/** Spans per source id: a Map or a plain record (both survive postMessage). */
export type SpansBySource = ReadonlyMap<string, readonly TextSpan[]> | Readonly<Record<string, readonly TextSpan[]>>;

export function spansOf(spansBySource: SpansBySource, sourceId: string): readonly TextSpan[] | undefined {
  if (spansBySource instanceof Map) return (spansBySource as ReadonlyMap<string, readonly TextSpan[]>).get(sourceId);
  const record = spansBySource as Readonly<Record<string, readonly TextSpan[]>>;
  return Object.hasOwn(record, sourceId) ? record[sourceId] : undefined;
}

/** Sorted by start, overlapping and touching spans joined: codings that abut cover the text between them. */
export function mergeSpans(spans: readonly TextSpan[]): TextSpan[] {
  const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  const merged: TextSpan[] = [];
  for (const s of sorted) {
    const last = merged[merged.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else merged.push({ start: s.start, end: s.end });
  }
  return merged;
}

/** Whether [start, end) lies inside one of `merged` (the output of mergeSpans). */
export function insideSpans(merged: readonly TextSpan[], start: number, end: number): boolean {
  // The last span starting at or before `start` is the only candidate.
  let lo = 0;
  let hi = merged.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (merged[mid]!.start <= start) lo = mid + 1;
    else hi = mid;
  }
  const span = merged[lo - 1];
  return span !== undefined && end <= span.end;
}

/**
 * The hits that lie wholly inside a span of their source; hits of sources without spans
 * are dropped. Keeps the order of `hits`.
 */
export function restrictToSpans<T extends { sourceId: string; start: number; end: number }>(hits: readonly T[], spansBySource: SpansBySource): T[] {
  const merged = new Map<string, TextSpan[] | null>();
  return hits.filter((hit) => {
    let spans = merged.get(hit.sourceId);
    if (spans === undefined) {
      const given = spansOf(spansBySource, hit.sourceId);
      spans = given ? mergeSpans(given) : null;
      merged.set(hit.sourceId, spans);
    }
    return spans !== null && insideSpans(spans, hit.start, hit.end);
  });
}
