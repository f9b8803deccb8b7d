/**
 * The Cartography study file (`*.cartography.json`), format "cartography-study", version 1.
 * Documented for people in docs/STUDY-FORMAT.md. The demo study ships in this format and
 * is loaded through the same import path a researcher uses for their own files.
 *
 * Records refer to each other by `key`, unique within their kind. A record's `id`
 * (a GUID) is kept when given, so identities survive a round trip; otherwise one is made.
 * A coding is anchored either by `start`/`end` (UTF-16 offsets into the normalised
 * text) or by `quote` (exact text; `occurrence` picks the n-th match, default 1).
 *
 * A code's examples are objects `{ text, typical, segment }` (segment = the GUID of a coded
 * segment, as an anchor's `segmentId` gives it, or null); files written before examples
 * were typical or atypical hold plain strings, read as typical examples without a link.
 * A code's `history` lists its changes `{ at, by, summary }`, oldest first (`by` = coder key).
 *
 * A position override carries its justification inline: text (the reader makes the memo,
 * titled after the case and stage, stamped like the override) or the memo itself
 * `{ id, title, text, createdBy, createdAt, modifiedAt }`, as exported files write it. The
 * `memos` section never holds a 'position' memo. Files without `overrides` have none.
 *
 * `settings` carries the study's preferences from the settings store (saved matrix views,
 * network positions, deck and report settings, pinned codes…), keyed by the store's key
 * without its `:<studyId>` suffix. Values are kept as they are: the ids inside them stay
 * valid because a file keeps its records' GUIDs (and a copy with fresh GUIDs has them
 * renamed inside its settings too). Files without `settings` have none.
 */
import type { ActorType, AttributeType, AttributeValue, CodeKind, CodeStatus, CollaborationMode, MemoTargetType, OpennessComponent, OpennessLevel } from '../model/types.ts';

export const STUDY_FILE_FORMAT = 'cartography-study';
export const STUDY_FILE_VERSION = 1;
export const STUDY_FILE_EXTENSION = 'cartography.json';

export interface FileRecordBase {
  key: string;
  id?: string;
  createdAt?: string;
  modifiedAt?: string;
  /** Coder key */
  createdBy?: string | null;
}

/** A code's example: plain text (older files: typical, no link) or an object. */
export type FileCodeExample = string | { text: string; typical?: boolean; segment?: string | null };

/** A position override's justification: the memo's text, or the memo (exported files). */
export type FileJustification = string | { id?: string; title?: string; text: string; createdBy?: string | null; createdAt?: string; modifiedAt?: string };

/** One change in a code's history. */
export interface FileCodeChange {
  at: string;
  /** Coder key, or null. */
  by?: string | null;
  summary: string;
}

export interface Anchor {
  document: string;
  /** The segment's GUID, kept when given (two anchors with the same span share one segment). */
  segmentId?: string;
  start?: number;
  end?: number;
  quote?: string;
  occurrence?: number;
}

export interface StudyFile {
  format: typeof STUDY_FILE_FORMAT;
  version: number;
  study: {
    id?: string;
    name: string;
    description?: string;
    createdAt?: string;
    modifiedAt?: string;
    /** Coder key of whoever created the study. */
    createdBy?: string | null;
    /** Coder key of whom new codings are attributed to; the first coder when missing. */
    activeCoder?: string | null;
  };
  coders: (FileRecordBase & { name: string })[];
  stages: (FileRecordBase & { name: string; description?: string })[];
  attributes: (FileRecordBase & { name: string; type: AttributeType; values?: string[] })[];
  cases: (FileRecordBase & {
    name: string;
    description?: string;
    attributes?: Record<string, AttributeValue>;
    openness?: Partial<Record<OpennessComponent, OpennessLevel>>;
  })[];
  participants: (FileRecordBase & { pseudonym: string; role?: string; organisation?: string; case?: string | null; interviewDate?: string })[];
  codes: (FileRecordBase & {
    name: string;
    parent?: string | null;
    color?: string;
    stage?: string | null;
    kind: CodeKind;
    mode?: CollaborationMode;
    shortDefinition?: string;
    definition?: string;
    useWhen?: string;
    doNotUseWhen?: string;
    examples?: FileCodeExample[];
    status?: CodeStatus;
    history?: FileCodeChange[];
  })[];
  documents: (FileRecordBase & {
    title: string;
    case?: string | null;
    participants?: string[];
    sourceFormat?: string;
    /** Speaker labels to mark as the interviewer. */
    interviewers?: string[];
    text: string;
    importMeta?: { fileName?: string; importedAt?: string; encoding?: string; notes?: string[] };
  })[];
  codings: (Anchor & { id?: string; code: string; coder?: string; createdAt?: string; modifiedAt?: string; memo?: string })[];
  memos: {
    id?: string;
    /** Position memos are written as their override's justification, never here. */
    target: { type: Exclude<MemoTargetType, 'position'>; key?: string } | ({ type: 'segment' } & Anchor);
    title?: string;
    text: string;
    createdBy?: string | null;
    createdAt?: string;
    modifiedAt?: string;
  }[];
  actors: (FileRecordBase & { name: string; type: ActorType; case?: string | null; description?: string })[];
  ties: {
    id?: string;
    from: string;
    to: string;
    type: string;
    stage: string;
    description?: string;
    evidence?: Anchor[];
    createdBy?: string | null;
    createdAt?: string;
    modifiedAt?: string;
  }[];
  /** Optional in a file: files written before position overrides have none. */
  overrides?: {
    id?: string;
    /** Case key */
    case: string;
    /** Stage key */
    stage: string;
    /** From −1 (cathedral) to 1 (bazaar). */
    value: number;
    justification: FileJustification;
    createdBy?: string | null;
    createdAt?: string;
    modifiedAt?: string;
  }[];
  /** Optional in a file: files written before settings travelled with the study have none. */
  settings?: StudyFileSettings;
}

/** A study's settings by name (the settings store's key without `:<studyId>`); values are JSON. */
export type StudyFileSettings = Record<string, unknown>;

/** A setting's name: a letter, then letters, digits and `_ . : -` (the keys Cartography writes). */
export const SETTING_NAME = /^[A-Za-z][A-Za-z0-9_.:-]{0,99}$/;
/** Bounds that keep a file's settings from crowding out its records (far above what the app stores). */
export const MAX_SETTINGS = 500;
export const MAX_SETTING_CHARS = 8 * 1024 * 1024;
export const MAX_SETTING_DEPTH = 32;

/** One thing wrong with a study file: where (a JSON path) and what. */
export interface StudyFileProblem {
  path: string;
  message: string;
}

export class StudyFileError extends Error {
  readonly problems: StudyFileProblem[];
  constructor(fileName: string, problems: StudyFileProblem[]) {
    const shown = problems.slice(0, 5).map((p) => `${p.path}: ${p.message}`).join('; ');
    const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : '';
    super(`${fileName} is not a valid Cartography study file: ${shown}${more}`);
    this.name = 'StudyFileError';
    this.problems = problems;
  }
}
