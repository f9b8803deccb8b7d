/**
 * The IndexedDB schema, as a history of versions. Dexie needs every version that ever
 * shipped (to upgrade old databases), so versions are appended, never edited.
 *
 * Migration policy: a schema change is a new entry with the full store list and, when
 * existing records must change, an `upgrade` that rewrites them inside Dexie's upgrade
 * transaction. Every new version gets a test that opens a populated database of the
 * previous version and checks that every record survives (test/unit/db-migration.test.ts).
 */
import type { Dexie, Transaction } from 'dexie';

export interface SchemaVersion {
  version: number;
  /** Why this version exists, for the next person who reads this file. */
  why: string;
  stores: Record<string, string>;
  upgrade?: (tx: Transaction) => Promise<void>;
}

const V1_STORES: Record<string, string> = {
  studies: 'id, name, modifiedAt',
  settings: 'key',
  coders: 'id, studyId',
  stages: 'id, studyId',
  attributes: 'id, studyId',
  cases: 'id, studyId',
  participants: 'id, studyId, caseId',
  documents: 'id, studyId, caseId',
  texts: 'id, studyId',
  segments: 'id, studyId, documentId',
  codes: 'id, studyId, parentId, stageId',
  codings: 'id, studyId, segmentId, codeId, coderId',
  memos: 'id, studyId, [targetType+targetId]',
  actors: 'id, studyId',
  ties: 'id, studyId, stageId, fromId, toId',
};

export const SCHEMA_HISTORY: readonly SchemaVersion[] = [
  { version: 1, why: 'initial schema', stores: V1_STORES },
  {
    version: 2,
    why: 'codings carry their document id, so views can filter codings by document without joining segments',
    stores: { ...V1_STORES, codings: 'id, studyId, segmentId, codeId, coderId, documentId' },
    upgrade: async (tx) => {
      const documentOf = new Map<string, string>();
      await tx.table('segments').each((s: { id: string; documentId: string }) => {
        documentOf.set(s.id, s.documentId);
      });
      await tx.table('codings').toCollection().modify((c: { segmentId: string; documentId?: string }) => {
        c.documentId = documentOf.get(c.segmentId) ?? '';
      });
    },
  },
];

export const CURRENT_SCHEMA_VERSION = SCHEMA_HISTORY[SCHEMA_HISTORY.length - 1]!.version;

/** Declares the schema versions up to and including `upTo` on a Dexie instance. */
export function declareSchema(db: Dexie, upTo = CURRENT_SCHEMA_VERSION): void {
  for (const entry of SCHEMA_HISTORY) {
    if (entry.version > upTo) break;
    const declared = db.version(entry.version).stores(entry.stores);
    if (entry.upgrade) declared.upgrade(entry.upgrade);
  }
}
