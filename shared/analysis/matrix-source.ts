/**
 * The `MatrixSource` of a study from its plain records (a study file or a project read
 * into memory), or from its segments as the database stores them (the renderer's loader,
 * `renderer/data/matrices.ts` `loadMatrixSource`), by one set of rules:
 *
 * - only coded segments, of the study's documents: a segment without codings (kept for a
 *   memo or as a tie's evidence) is no evidence for any cell;
 * - each segment's codings right after it, as the database stores them inside it, taking
 *   the document from the segment;
 * - stages and attributes in their `order`; coders as `{ id, name }`; documents without
 *   their turns and import details.
 *
 * Codings whose segment is missing are left out, as the database has nowhere to keep them.
 */
import type { Coding, Guid, Segment, StudyRecords } from '../model/types.ts';
import type { MatrixSource } from './matrix-types.ts';

export type MatrixRecords = Pick<StudyRecords, 'coders' | 'stages' | 'codes' | 'cases' | 'attributes' | 'participants' | 'documents' | 'segments' | 'codings'>;

/** A segment with its codings inside it, as the database stores it (renderer/data/layout.ts). */
export interface SegmentWithCodings extends Pick<Segment, 'id' | 'documentId' | 'start' | 'end' | 'text'> {
  codings: readonly Pick<Coding, 'id' | 'codeId' | 'coderId' | 'createdAt'>[];
}

export function matrixSourceFromRecords(records: MatrixRecords): MatrixSource {
  const codingsOf = new Map<Guid, Coding[]>();
  for (const coding of records.codings) {
    const list = codingsOf.get(coding.segmentId);
    if (list) list.push(coding);
    else codingsOf.set(coding.segmentId, [coding]);
  }
  return matrixSourceFromSegments(
    records,
    records.segments.map((s) => ({ id: s.id, documentId: s.documentId, start: s.start, end: s.end, text: s.text, codings: codingsOf.get(s.id) ?? [] })),
  );
}

/**
 * The same source from segments that already hold their codings: what the database gives,
 * so the renderer's loader builds it without taking the codings out and grouping them again.
 */
export function matrixSourceFromSegments(records: Omit<MatrixRecords, 'segments' | 'codings'>, stored: readonly SegmentWithCodings[]): MatrixSource {
  const documentIds = new Set(records.documents.map((d) => d.id));
  const segments: MatrixSource['segments'][number][] = [];
  const codings: MatrixSource['codings'][number][] = [];
  for (const s of stored) {
    if (s.codings.length === 0 || !documentIds.has(s.documentId)) continue;
    segments.push({ id: s.id, documentId: s.documentId, start: s.start, end: s.end, text: s.text });
    for (const c of s.codings) codings.push({ id: c.id, segmentId: s.id, codeId: c.codeId, coderId: c.coderId, documentId: s.documentId, createdAt: c.createdAt });
  }
  return {
    coders: records.coders.map((c) => ({ id: c.id, name: c.name })),
    stages: [...records.stages].sort((a, b) => a.order - b.order),
    codes: records.codes,
    cases: records.cases,
    attributes: [...records.attributes].sort((a, b) => a.order - b.order),
    participants: records.participants,
    documents: records.documents.map((d) => ({ id: d.id, title: d.title, caseId: d.caseId, participantIds: d.participantIds })),
    segments,
    codings,
  };
}
