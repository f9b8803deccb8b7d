/**
 * The `MatrixSource` of a study from its plain records (a study file or a project read
 * into memory), by the same rules as the renderer's loader from the database
 * (`renderer/data/matrices.ts` `loadMatrixSource`):
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
import type { Coding, Guid, StudyRecords } from '../model/types.ts';
import type { MatrixSource } from './matrix-types.ts';

export type MatrixRecords = Pick<StudyRecords, 'coders' | 'stages' | 'codes' | 'cases' | 'attributes' | 'participants' | 'documents' | 'segments' | 'codings'>;

export function matrixSourceFromRecords(records: MatrixRecords): MatrixSource {
  const documentIds = new Set(records.documents.map((d) => d.id));
  const codingsOf = new Map<Guid, Coding[]>();
  for (const coding of records.codings) {
    const list = codingsOf.get(coding.segmentId);
    if (list) list.push(coding);
    else codingsOf.set(coding.segmentId, [coding]);
  }
  const segments: MatrixSource['segments'][number][] = [];
  const codings: MatrixSource['codings'][number][] = [];
  for (const s of records.segments) {
    const own = codingsOf.get(s.id);
    if (!own || !documentIds.has(s.documentId)) continue;
    segments.push({ id: s.id, documentId: s.documentId, start: s.start, end: s.end, text: s.text });
    for (const c of own) codings.push({ id: c.id, segmentId: s.id, codeId: c.codeId, coderId: c.coderId, documentId: s.documentId, createdAt: c.createdAt });
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
