/** Retrieval of coded segments by code, through the segments' code index. */
import type { Document, Guid, Participant } from '../../shared/model/types.ts';
import type { CartographyDb } from './db.ts';
import type { StoredSegment } from './layout.ts';

export interface RetrievedSegment {
  segment: StoredSegment;
  document: Document;
  participants: Participant[];
  /** Some text before and after the segment, cut at word boundaries. */
  before: string;
  after: string;
}

const CONTEXT = 120;

function cutBefore(text: string, start: number): string {
  const from = Math.max(0, start - CONTEXT);
  const slice = text.slice(from, start);
  return from === 0 ? slice : `…${slice.replace(/^\S*\s/, '')}`;
}

function cutAfter(text: string, end: number): string {
  const to = Math.min(text.length, end + CONTEXT);
  const slice = text.slice(end, to);
  return to === text.length ? slice : `${slice.replace(/\s\S*$/, '')}…`;
}

/** Every segment carrying any of the codes, in document order, with its context. */
export async function findCodedSegments(db: CartographyDb, codeIds: readonly Guid[]): Promise<RetrievedSegment[]> {
  if (codeIds.length === 0) return [];
  const segments = await db.segments.where('codeIds').anyOf([...codeIds]).distinct().toArray();
  const documentIds = [...new Set(segments.map((s) => s.documentId))];
  const [documents, texts] = await Promise.all([db.documents.bulkGet(documentIds), db.texts.bulkGet(documentIds)]);
  const documentById = new Map(documents.filter((d): d is Document => d !== undefined).map((d) => [d.id, d]));
  const textById = new Map(texts.filter((t) => t !== undefined).map((t) => [t!.id, t!.text]));
  const participantIds = [...new Set([...documentById.values()].flatMap((d) => d.participantIds))];
  const participants = new Map((await db.participants.bulkGet(participantIds)).filter((p): p is Participant => p !== undefined).map((p) => [p.id, p]));
  return segments
    .filter((s) => documentById.has(s.documentId))
    .map((segment) => {
      const document = documentById.get(segment.documentId)!;
      const text = textById.get(segment.documentId) ?? '';
      return {
        segment,
        document,
        participants: document.participantIds.map((id) => participants.get(id)).filter((p): p is Participant => p !== undefined),
        before: cutBefore(text, segment.start),
        after: cutAfter(text, segment.end),
      };
    })
    .sort((a, b) => a.document.title.localeCompare(b.document.title) || a.segment.start - b.segment.start);
}
