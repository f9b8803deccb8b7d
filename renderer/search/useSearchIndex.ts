/**
 * Keeps the search worker's index current while a screen needs it: a cheap live query of
 * the study's documents and memos (ids, modifiedAt, and what the UI shows about them)
 * triggers a sync whenever one is added, edited or removed; the worker works out what
 * changed and re-indexes only that.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useSyncExternalStore } from 'react';
import type { Guid, Participant } from '../../shared/model/types.ts';
import type { CartographyDb } from '../data/db.ts';
import { db } from '../data/instance.ts';
import { searchClient, type IndexStatus, type SearchClient } from './client.ts';
import type { SourceMeta } from './results.ts';

export interface SearchMeta {
  /** Transcripts, then memos. */
  sources: SourceMeta[];
  byId: Map<Guid, SourceMeta>;
  participants: Participant[];
  /** Changes exactly when a document or memo is added, edited or removed. */
  fingerprint: string;
}

export async function loadSearchMeta(database: CartographyDb, studyId: Guid): Promise<SearchMeta> {
  const [documents, memos, participants] = await Promise.all([
    database.documents.where('studyId').equals(studyId).toArray(),
    database.memos.where('studyId').equals(studyId).toArray(),
    database.participants.where('studyId').equals(studyId).toArray(),
  ]);
  const segmentIds = memos.filter((m) => m.targetType === 'segment').map((m) => m.targetId);
  const segments = segmentIds.length === 0 ? [] : await database.segments.bulkGet(segmentIds);
  const documentOfSegment = new Map(segments.flatMap((s) => (s ? [[s.id, s.documentId] as const] : [])));
  const documentMeta = new Map<Guid, SourceMeta>(
    documents.map((d) => [d.id, { id: d.id, kind: 'document', title: d.title, documentId: d.id, caseId: d.caseId, participantIds: d.participantIds }]),
  );
  const memoMeta = memos.map((m): SourceMeta => {
    const documentId = m.targetType === 'document' ? m.targetId : m.targetType === 'segment' ? (documentOfSegment.get(m.targetId) ?? null) : null;
    const document = documentId ? documentMeta.get(documentId) : undefined;
    return {
      id: m.id,
      kind: 'memo',
      title: m.title,
      documentId: document ? documentId : null,
      caseId: m.targetType === 'case' ? m.targetId : (document?.caseId ?? null),
      participantIds: document?.participantIds ?? [],
      target: { type: m.targetType, id: m.targetId },
    };
  });
  const sources = [...documentMeta.values(), ...memoMeta];
  const fingerprint = [...documents.map((d) => `${d.id}@${d.modifiedAt}`).sort(), '|', ...memos.map((m) => `${m.id}@${m.modifiedAt}`).sort()].join(',');
  return { sources, byId: new Map(sources.map((s) => [s.id, s])), participants, fingerprint };
}

export interface SearchIndex {
  client: SearchClient;
  status: IndexStatus;
  /** Goes up when the index changed: run the query again. */
  generation: number;
  /** undefined while loading. */
  meta: SearchMeta | undefined;
}

/** Builds the study's index on first use and keeps it current while mounted (mount it where the study opens to index early). */
export function useSearchIndex(studyId: Guid, client: SearchClient = searchClient()): SearchIndex {
  const meta = useLiveQuery(() => loadSearchMeta(db, studyId), [studyId]);
  const fingerprint = meta?.fingerprint;
  useEffect(() => {
    if (fingerprint === undefined) return;
    // Failures show in the status; the next change retries.
    client.sync(studyId).catch(() => undefined);
  }, [client, studyId, fingerprint]);
  const status = useSyncExternalStore(client.subscribe, () => client.status);
  const generation = useSyncExternalStore(client.subscribe, () => client.generation);
  return { client, status, generation, meta };
}
