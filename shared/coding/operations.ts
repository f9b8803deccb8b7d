/**
 * Coding operations on one document, as pure functions: the document's segments and
 * codings in, the same collections after the change out. The data layer diffs the two and
 * writes only what changed, in one transaction, with its inverse kept for undo.
 *
 * Rules: one segment per span (codings of the same span share it); a coder applies a code
 * to a span once; a segment without codings is removed unless something else points at it
 * (a memo or tie evidence: `keepSegmentIds`).
 */
import type { Coding, Guid, IsoDate, Segment } from '../model/types.ts';

export interface DocumentCodings {
  studyId: Guid;
  documentId: Guid;
  text: string;
  segments: Segment[];
  codings: Coding[];
}

export interface OperationContext {
  newId: () => Guid;
  now: IsoDate;
  /** Segments that must stay even without codings (memos or tie evidence point at them). */
  keepSegmentIds?: ReadonlySet<Guid>;
}

export type OperationResult = { ok: true; state: DocumentCodings; codingIds: Guid[] } | { ok: false; reason: string };

export interface Span {
  start: number;
  end: number;
}

export function checkSpan(text: string, span: Span): string | null {
  if (!Number.isInteger(span.start) || !Number.isInteger(span.end) || span.start < 0 || span.end > text.length || span.start >= span.end) {
    return `The selection ${span.start}–${span.end} does not lie inside the transcript (0–${text.length}).`;
  }
  if (text.slice(span.start, span.end).trim() === '') return 'The selection holds only white space; select some words to code.';
  return null;
}

/** Moves span edges inward past white space, so a sloppy drag does not code stray spaces. */
export function trimSpan(text: string, span: Span): Span {
  let { start, end } = span;
  while (start < end && /\s/.test(text[start]!)) start += 1;
  while (end > start && /\s/.test(text[end - 1]!)) end -= 1;
  return { start, end };
}

const WORD = /[\p{L}\p{N}'’_-]/u;

/** Widens a span to whole words (an option of the coding view). */
export function snapToWords(text: string, span: Span): Span {
  let { start, end } = trimSpan(text, span);
  while (start > 0 && WORD.test(text[start - 1]!) && WORD.test(text[start]!)) start -= 1;
  while (end < text.length && WORD.test(text[end]!) && WORD.test(text[end - 1]!)) end += 1;
  return { start, end };
}

function segmentAt(state: DocumentCodings, span: Span): Segment | undefined {
  return state.segments.find((s) => s.start === span.start && s.end === span.end);
}

function newSegment(state: DocumentCodings, span: Span, ctx: OperationContext, coderId: Guid): Segment {
  return {
    id: ctx.newId(),
    studyId: state.studyId,
    createdAt: ctx.now,
    modifiedAt: ctx.now,
    createdBy: coderId,
    documentId: state.documentId,
    start: span.start,
    end: span.end,
    text: state.text.slice(span.start, span.end),
  };
}

/** Drops segments left without codings, unless something else points at them. */
function prune(state: DocumentCodings, ctx: OperationContext): DocumentCodings {
  const used = new Set(state.codings.map((c) => c.segmentId));
  return { ...state, segments: state.segments.filter((s) => used.has(s.id) || ctx.keepSegmentIds?.has(s.id)) };
}

export interface ApplyCodeRequest extends Span {
  codeId: Guid;
  coderId: Guid;
}

/** Codes each span (one request or many, as for "code all results"); spans already coded so are skipped. */
export function applyCodes(state: DocumentCodings, requests: readonly ApplyCodeRequest[], ctx: OperationContext): OperationResult {
  let next: DocumentCodings = { ...state, segments: [...state.segments], codings: [...state.codings] };
  const codingIds: Guid[] = [];
  for (const request of requests) {
    const problem = checkSpan(state.text, request);
    if (problem) return { ok: false, reason: problem };
    let segment = segmentAt(next, request);
    if (segment && next.codings.some((c) => c.segmentId === segment!.id && c.codeId === request.codeId && c.coderId === request.coderId)) continue;
    if (!segment) {
      segment = newSegment(next, request, ctx, request.coderId);
      next.segments.push(segment);
    }
    const coding: Coding = {
      id: ctx.newId(),
      studyId: state.studyId,
      createdAt: ctx.now,
      modifiedAt: ctx.now,
      createdBy: request.coderId,
      segmentId: segment.id,
      codeId: request.codeId,
      coderId: request.coderId,
      documentId: state.documentId,
    };
    next = { ...next, codings: [...next.codings, coding] };
    codingIds.push(coding.id);
  }
  if (codingIds.length === 0) return { ok: false, reason: requests.length === 1 ? 'That text already carries this code from you.' : 'Every result already carries this code from you.' };
  return { ok: true, state: next, codingIds };
}

export function removeCodings(state: DocumentCodings, codingIds: readonly Guid[], ctx: OperationContext): OperationResult {
  const gone = new Set(codingIds);
  const missing = codingIds.filter((id) => !state.codings.some((c) => c.id === id));
  if (missing.length > 0) return { ok: false, reason: 'That coding no longer exists.' };
  return { ok: true, state: prune({ ...state, codings: state.codings.filter((c) => !gone.has(c.id)) }, ctx), codingIds: [...codingIds] };
}

export function changeCode(state: DocumentCodings, codingId: Guid, codeId: Guid, ctx: OperationContext): OperationResult {
  const coding = state.codings.find((c) => c.id === codingId);
  if (!coding) return { ok: false, reason: 'That coding no longer exists.' };
  if (coding.codeId === codeId) return { ok: false, reason: 'The coding already has that code.' };
  if (state.codings.some((c) => c.segmentId === coding.segmentId && c.codeId === codeId && c.coderId === coding.coderId)) {
    return { ok: false, reason: 'You have already applied that code to this text.' };
  }
  const codings = state.codings.map((c) => (c.id === codingId ? { ...c, codeId, modifiedAt: ctx.now } : c));
  return { ok: true, state: { ...state, codings }, codingIds: [codingId] };
}

/**
 * Moves a coding's boundaries. Alone on its segment, the segment itself moves (memos and
 * ties pointing at it follow); shared with other codings, the coding moves to a segment of
 * its own (or to the existing segment with the new span).
 */
export function moveCoding(state: DocumentCodings, codingId: Guid, span: Span, ctx: OperationContext): OperationResult {
  const coding = state.codings.find((c) => c.id === codingId);
  if (!coding) return { ok: false, reason: 'That coding no longer exists.' };
  const problem = checkSpan(state.text, span);
  if (problem) return { ok: false, reason: problem };
  const current = state.segments.find((s) => s.id === coding.segmentId)!;
  if (current.start === span.start && current.end === span.end) return { ok: false, reason: 'The coding already covers exactly that text.' };
  const target = segmentAt(state, span);
  if (target && state.codings.some((c) => c.segmentId === target.id && c.codeId === coding.codeId && c.coderId === coding.coderId)) {
    return { ok: false, reason: 'That text already carries this code from the same coder.' };
  }
  const shared = state.codings.some((c) => c.segmentId === current.id && c.id !== codingId);
  let segments = state.segments;
  let segmentId: Guid;
  if (target) {
    segmentId = target.id;
  } else if (!shared) {
    segmentId = current.id;
    segments = segments.map((s) => (s.id === current.id ? { ...s, start: span.start, end: span.end, text: state.text.slice(span.start, span.end), modifiedAt: ctx.now } : s));
  } else {
    const created = newSegment(state, span, ctx, coding.coderId);
    segmentId = created.id;
    segments = [...segments, created];
  }
  const codings = state.codings.map((c) => (c.id === codingId ? { ...c, segmentId, modifiedAt: ctx.now } : c));
  return { ok: true, state: prune({ ...state, segments, codings }, ctx), codingIds: [codingId] };
}

/** The next word edge from `offset` going left (-1) or right (+1): how keyboard resizing steps. */
export function stepByWord(text: string, offset: number, direction: -1 | 1): number {
  let i = offset;
  if (direction > 0) {
    while (i < text.length && !WORD.test(text[i]!)) i += 1;
    while (i < text.length && WORD.test(text[i]!)) i += 1;
  } else {
    while (i > 0 && !WORD.test(text[i - 1]!)) i -= 1;
    while (i > 0 && WORD.test(text[i - 1]!)) i -= 1;
  }
  return i;
}
