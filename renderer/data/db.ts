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
  Coding,
  Document,
  DocumentText,
  Memo,
  Participant,
  Segment,
  Stage,
  Study,
  StudyCollection,
  Tie,
} from '../../shared/model/types.ts';
import { declareSchema } from './schema.ts';

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
  segments!: Table<Segment, string>;
  codes!: Table<Code, string>;
  codings!: Table<Coding, string>;
  memos!: Table<Memo, string>;
  actors!: Table<Actor, string>;
  ties!: Table<Tie, string>;

  constructor(name = DATABASE_NAME, options?: ConstructorParameters<typeof Dexie>[1]) {
    super(name, options);
    declareSchema(this);
  }

  /** The table holding one per-study collection. */
  collection(name: StudyCollection): Table<{ id: string; studyId: string }, string> {
    return this.table(name);
  }
}
