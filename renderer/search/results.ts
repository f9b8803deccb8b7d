/**
 * The pure parts of full-text search in the UI: which sources a filter keeps, the spans a
 * code or stage filter searches in, results grouped for display, where a hit opens, and
 * the requests "code all results" makes. Plain data in and out, tested in Node.
 */
import type { ApplyCodeRequest } from '../../shared/coding/operations.ts';
import type { Code, Guid, MemoTargetType } from '../../shared/model/types.ts';
import type { SearchHit, SearchResult, SourceKind, TextSpan } from '../../shared/search/index.ts';
import type { Route } from '../app/route.ts';

/** What the UI knows about a searchable source, to filter and label its hits. */
export interface SourceMeta {
  id: Guid;
  kind: SourceKind;
  /** The document's title; for a memo, the memo's own title (often empty). */
  title: string;
  /** The transcript the source is, or the memo is about (directly or through a coding); null for other memos. */
  documentId: Guid | null;
  caseId: Guid | null;
  participantIds: Guid[];
  /** For memos: what the memo is about. */
  target?: { type: MemoTargetType; id: Guid };
}

export interface SourceFilter {
  caseId?: Guid | null;
  participantId?: Guid | null;
  kind?: SourceKind | null;
}

/**
 * The sources a filter keeps, or undefined when it keeps everything. A memo belongs to a
 * case or participant through the transcript it is about (or, for a case memo, its case);
 * memos on the study or on a code belong to none, so any case or participant filter drops them.
 */
export function filterSources(sources: readonly SourceMeta[], filter: SourceFilter): Guid[] | undefined {
  const { caseId, participantId, kind } = filter;
  if (!caseId && !participantId && !kind) return undefined;
  return sources
    .filter((s) => (!kind || s.kind === kind) && (!caseId || s.caseId === caseId) && (!participantId || s.participantIds.includes(participantId)))
    .map((s) => s.id);
}

/** The codes a code filter means: the code and every code below it in the codebook. */
export function codeWithDescendants(codes: readonly Pick<Code, 'id' | 'parentId'>[], codeId: Guid): Guid[] {
  const children = new Map<Guid, Guid[]>();
  for (const c of codes) {
    if (c.parentId === null) continue;
    const list = children.get(c.parentId) ?? [];
    list.push(c.id);
    children.set(c.parentId, list);
  }
  const out: Guid[] = [];
  const seen = new Set<Guid>();
  const visit = (id: Guid) => {
    if (seen.has(id)) return;
    seen.add(id);
    out.push(id);
    for (const child of children.get(id) ?? []) visit(child);
  };
  visit(codeId);
  return out;
}

export const CROSS_STAGE = 'cross-stage';

/** The codes of a lifecycle stage, or the cross-stage codes for CROSS_STAGE. */
export function codesOfStage(codes: readonly Pick<Code, 'id' | 'stageId'>[], stageId: Guid): Guid[] {
  return codes.filter((c) => (stageId === CROSS_STAGE ? c.stageId === null : c.stageId === stageId)).map((c) => c.id);
}

/**
 * The engine's `within` spans for a code or stage filter: per document, the spans of the
 * segments coded with any of the codes (by any coder). Spans are sorted; the engine joins
 * overlapping ones.
 */
export function codedSpans(segments: readonly { documentId: Guid; start: number; end: number; codeIds: readonly Guid[] }[], codeIds: Iterable<Guid>): Record<Guid, TextSpan[]> {
  const wanted = new Set(codeIds);
  const out: Record<Guid, TextSpan[]> = {};
  for (const s of segments) {
    if (!s.codeIds.some((id) => wanted.has(id))) continue;
    (out[s.documentId] ??= []).push({ start: s.start, end: s.end });
  }
  for (const spans of Object.values(out)) spans.sort((a, b) => a.start - b.start || a.end - b.end);
  return out;
}

export interface HitGroup {
  sourceId: Guid;
  kind: SourceKind;
  meta: SourceMeta | undefined;
  /** Every hit in the source, including those not returned. */
  count: number;
  hits: SearchHit[];
}

export interface GroupedResult {
  groups: HitGroup[];
  total: number;
  /** Hits in transcripts and in memos (every hit, not only those returned). */
  documentHits: number;
  memoHits: number;
  documents: number;
  memos: number;
  /** Hits returned for display. */
  shown: number;
}

/** Results for display: one group per source in the engine's order (transcripts by title, then memos). */
export function groupResult(result: SearchResult, metaById: ReadonlyMap<Guid, SourceMeta>): GroupedResult {
  const out: GroupedResult = { groups: [], total: result.total, documentHits: 0, memoHits: 0, documents: 0, memos: 0, shown: 0 };
  for (const source of result.sources) {
    out.groups.push({ sourceId: source.sourceId, kind: source.kind, meta: metaById.get(source.sourceId), count: source.count, hits: source.hits });
    out.shown += source.hits.length;
    if (source.kind === 'document') {
      out.documents += 1;
      out.documentHits += source.count;
    } else {
      out.memos += 1;
      out.memoHits += source.count;
    }
  }
  return out;
}

/**
 * The smallest coded segment containing a hit, so "open" can land on its coding; null when
 * the hit is not inside any coding (the transcript opens at its top).
 */
export function codingAround(segments: readonly { start: number; end: number; codings: readonly { id: Guid }[] }[], hit: TextSpan): Guid | null {
  let best: { start: number; end: number; codings: readonly { id: Guid }[] } | null = null;
  for (const s of segments) {
    if (s.codings.length === 0 || s.start > hit.start || s.end < hit.end) continue;
    if (!best || s.end - s.start < best.end - best.start) best = s;
  }
  return best?.codings[0]?.id ?? null;
}

/** Where a hit opens: its transcript in the Coding view, or what a memo is about. */
export function sourceRoute(studyId: Guid, meta: SourceMeta, focus: Guid | null = null): Route {
  if (meta.documentId) return { screen: 'study', studyId, area: 'coding', item: meta.documentId, focus };
  if (meta.target?.type === 'case') return { screen: 'study', studyId, area: 'cases', item: null };
  if (meta.target?.type === 'code') return { screen: 'study', studyId, area: 'codebook', item: meta.target.id };
  return { screen: 'study', studyId, area: 'overview', item: null };
}

export interface CodeAllPlan {
  byDocument: Map<Guid, ApplyCodeRequest[]>;
  /** Hits to code and transcripts they are in. */
  results: number;
  documents: number;
  /** Memo hits, which are not coded. */
  skippedMemoHits: number;
}

/**
 * The requests "code all results" makes: every transcript hit becomes a coding with the
 * code, by the coder. Needs every hit (a search without a limit); memo hits are skipped.
 */
export function codeAllPlan(result: SearchResult, codeId: Guid, coderId: Guid): CodeAllPlan {
  const plan: CodeAllPlan = { byDocument: new Map(), results: 0, documents: 0, skippedMemoHits: 0 };
  for (const source of result.sources) {
    if (source.kind !== 'document') {
      plan.skippedMemoHits += source.count;
      continue;
    }
    if (source.hits.length < source.count) throw new Error('code all results needs every hit: search without a limit');
    if (source.hits.length === 0) continue;
    plan.byDocument.set(
      source.sourceId,
      source.hits.map((h) => ({ start: h.start, end: h.end, codeId, coderId })),
    );
    plan.results += source.hits.length;
    plan.documents += 1;
  }
  return plan;
}

/** "1 hit", "37 hits". */
export const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
