/**
 * Coding progress of each document: how much of its text is covered by at least one
 * coding (overlaps counted once), and which lifecycle stages its codings touch.
 */
import type { Code, Guid } from '../model/types.ts';

export interface DocumentProgress {
  codedCharacters: number;
  /** codedCharacters / length, 0–1 */
  share: number;
  stageIds: Guid[];
}

export interface CodedSpan {
  documentId: Guid;
  start: number;
  end: number;
  codeIds: readonly Guid[];
}

export function documentProgress(documents: readonly { id: Guid; length: number }[], spans: readonly CodedSpan[], codes: readonly Pick<Code, 'id' | 'stageId'>[]): Map<Guid, DocumentProgress> {
  const stageOf = new Map(codes.map((c) => [c.id, c.stageId]));
  const byDocument = new Map<Guid, CodedSpan[]>();
  for (const span of spans) {
    if (span.codeIds.length === 0) continue;
    const list = byDocument.get(span.documentId) ?? [];
    list.push(span);
    byDocument.set(span.documentId, list);
  }
  return new Map(
    documents.map((d) => {
      const list = [...(byDocument.get(d.id) ?? [])].sort((a, b) => a.start - b.start);
      let covered = 0;
      let reach = -1;
      for (const s of list) {
        const from = Math.max(s.start, reach);
        if (s.end > from) covered += s.end - from;
        reach = Math.max(reach, s.end);
      }
      const stages = new Set<Guid>();
      for (const s of list) for (const id of s.codeIds) {
        const stage = stageOf.get(id);
        if (stage) stages.add(stage);
      }
      return [d.id, { codedCharacters: covered, share: d.length > 0 ? covered / d.length : 0, stageIds: [...stages] }];
    }),
  );
}
