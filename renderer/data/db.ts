/**
 * The Dexie database: the only code in Cartography that touches IndexedDB.
 * One database holds every study; each per-study record carries its studyId.
 */
import { Dexie, type Table } from 'dexie';
import type {
  Actor,
  AttributeDef,
  Case,
  Code,
  Coder,
  Document,
  DocumentText,
  Memo,
  Participant,
  PositionOverride,
  Stage,
  Study,
  StudyCollection,
  Tie,
} from '../../shared/model/types.ts';
import type { StoredSegment } from './layout.ts';
import { declareSchema } from './schema.ts';

/** The per-study tables keyed by studyId. Segments (keyed by document) hold the codings. */
export const STUDY_TABLES = ['coders', 'stages', 'attributes', 'cases', 'participants', 'documents', 'texts', 'codes', 'memos', 'actors', 'ties', 'overrides'] as const satisfies readonly Exclude<StudyCollection, 'segments' | 'codings'>[];
export type StudyTable = (typeof STUDY_TABLES)[number];

export const DATABASE_NAME = 'cartography';

export interface Setting {
  key: string;
  value: unknown;
}

export class CartographyDb extends Dexie {
  studies!: Table<Study, string>;
  settings!: Table<Setting, string>;
  coders!: Table<Coder, string>;
  stages!: Table<Stage, string>;
  attributes!: Table<AttributeDef, string>;
  cases!: Table<Case, string>;
  participants!: Table<Participant, string>;
  documents!: Table<Document, string>;
  texts!: Table<DocumentText, string>;
  segments!: Table<StoredSegment, string>;
  codes!: Table<Code, string>;
  memos!: Table<Memo, string>;
  actors!: Table<Actor, string>;
  ties!: Table<Tie, string>;
  overrides!: Table<PositionOverride, string>;

  constructor(name = DATABASE_NAME, options?: ConstructorParameters<typeof Dexie>[1]) {
    super(name, options);
    declareSchema(this);
  }

  /** The table holding one per-study collection. */
  collection(name: StudyTable): Table<{ id: string; studyId: string }, string> {
    return this.table(name);
  }
}
