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
import { summariseDocumentCodings } from '../../shared/model/document-codings.ts';
import type { Code, CodeExample, Coding, Document, Segment } from '../../shared/model/types.ts';
import { storedCoding, withCodings, type StoredCoding, type StoredSegment } from './layout.ts';

export interface SchemaVersion {
  version: number;
  /** Why this version exists, for the next person who reads this file. */
  why: string;
  /** Dexie store specs; null deletes a store. */
  stores: Record<string, string | null>;
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

// Version 2 keeps each segment's codings inside the segment (renderer/data/layout.ts):
// a study's largest table disappears and writes take half the time.
const V2_STORES: Record<string, string> = {
  ...V1_STORES,
  // Codes, coders and documents belong to one study, so these indexes are study-scoped already.
  segments: 'id, documentId, *codeIds',
  documents: 'id, studyId, caseId, *coderIds',
};
const { codings: _codings, ...V3_BASE } = V2_STORES;

/** A code as versions 1–3 stored it: examples were plain text, and there was no history. */
type CodeBeforeV4 = Omit<Code, 'examples' | 'history'> & { examples?: (string | CodeExample)[]; history?: Code['history'] };

/** Rewrites a code stored before version 4 in place: text examples become typical examples without a link; history starts empty. */
export function upgradeCodeToV4(code: CodeBeforeV4): void {
  code.examples = (code.examples ?? []).map((e) => (typeof e === 'string' ? { text: e, typical: true, segmentId: null } : e));
  if (!Array.isArray(code.history)) code.history = [];
}

// Version 5 adds position overrides: one per case and stage at most, found by that pair.
const V5_STORES: Record<string, string> = { ...V3_BASE, overrides: 'id, studyId, [caseId+stageId]' };

export const SCHEMA_HISTORY: readonly SchemaVersion[] = [
  { version: 1, why: 'initial schema: codings in a table of their own', stores: V1_STORES },
  {
    version: 2,
    why: 'codings move into their segments (half the records to write and read); documents cache their coding count and coders',
    stores: V2_STORES,
    upgrade: async (tx) => {
      const bySegment = new Map<string, StoredCoding[]>();
      const codings: Coding[] = [];
      await tx.table('codings').each((c: Coding) => {
        const list = bySegment.get(c.segmentId) ?? [];
        list.push(storedCoding(c));
        bySegment.set(c.segmentId, list);
        codings.push(c);
      });
      const perDocument = summariseDocumentCodings(codings);
      await tx.table('segments').toCollection().modify((s: Segment & Partial<StoredSegment>) => {
        Object.assign(s, withCodings(s, bySegment.get(s.id) ?? []));
      });
      await tx.table('documents').toCollection().modify((d: Document) => {
        Object.assign(d, perDocument.get(d.id) ?? { codingCount: 0, coderIds: [] });
      });
    },
  },
  // A table read by an upgrade can only be deleted in a later version.
  { version: 3, why: 'the codings table, emptied into segments by version 2, is removed', stores: { ...V3_BASE, codings: null } },
  {
    version: 4,
    why: 'code examples become typical or atypical and may link to a coded segment; codes keep a history of their changes',
    // No index changes: only the code records are rewritten.
    stores: V3_BASE,
    upgrade: async (tx) => {
      await tx.table('codes').toCollection().modify(upgradeCodeToV4);
    },
  },
  {
    version: 5,
    why: 'position overrides: the researcher sets a case’s cathedral–bazaar position at a stage, justified by a memo (memo target type “position”)',
    stores: V5_STORES,
    // Nothing to rewrite: the new store starts empty and no existing record changes shape.
    upgrade: async () => {},
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
