import type { Coding, Document, Guid } from './types.ts';

export type DocumentCodingSummary = Pick<Document, 'codingCount' | 'coderIds'>;

/** Per document: how many codings, and which coders made them (ids sorted, so equal sets compare equal). */
export function summariseDocumentCodings(codings: readonly Pick<Coding, 'documentId' | 'coderId'>[]): Map<Guid, DocumentCodingSummary> {
  const summaries = new Map<Guid, { codingCount: number; coders: Set<Guid> }>();
  for (const c of codings) {
    let s = summaries.get(c.documentId);
    if (!s) summaries.set(c.documentId, (s = { codingCount: 0, coders: new Set() }));
    s.codingCount += 1;
    s.coders.add(c.coderId);
  }
  return new Map([...summaries].map(([id, s]) => [id, { codingCount: s.codingCount, coderIds: [...s.coders].sort() }]));
}
