/**
 * The study data model. Every entity carries a stable GUID (UUID v4, exchanged through
 * REFI-QDA later), the study it belongs to, timestamps and the coder who made it.
 * Plain data only: these records are what IndexedDB stores and what files carry.
 */

export type Guid = string;
/** ISO 8601 timestamp, e.g. 2026-11-22T10:00:00.000Z */
export type IsoDate = string;

export interface Tracked {
  id: Guid;
  studyId: Guid;
  createdAt: IsoDate;
  modifiedAt: IsoDate;
  /** The coder who made the record; null for records made by an import or by the app. */
  createdBy: Guid | null;
}

export interface Study {
  id: Guid;
  name: string;
  description: string;
  createdAt: IsoDate;
  modifiedAt: IsoDate;
  createdBy: Guid | null;
  /** Set on the embedded demo study so "Reset demo study" can find it. */
  isDemo: boolean;
  /** The coder acting in this study (new codings are attributed to them). */
  activeCoderId: Guid | null;
}

export interface Coder extends Tracked {
  name: string;
}

/** A lifecycle stage: study data, ordered and editable (default: pre-training, post-training, post-release). */
export interface Stage extends Tracked {
  name: string;
  description: string;
  order: number;
}

export const ATTRIBUTE_TYPES = ['text', 'number', 'boolean', 'date', 'category'] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];
export type AttributeValue = string | number | boolean | null;

export interface AttributeDef extends Tracked {
  name: string;
  type: AttributeType;
  /** Allowed values of a category attribute, in display order. */
  values: string[];
  order: number;
}

export const OPENNESS_COMPONENTS = ['weights', 'data', 'trainingCode', 'checkpoints', 'evaluationCode', 'documentation'] as const;
export type OpennessComponent = (typeof OPENNESS_COMPONENTS)[number];
export const OPENNESS_LEVELS = ['open', 'partial', 'closed', 'unknown'] as const;
export type OpennessLevel = (typeof OPENNESS_LEVELS)[number];
export type OpennessProfile = Record<OpennessComponent, OpennessLevel>;
/** A new profile with every artefact's openness unknown. */
export const unknownOpenness = (): OpennessProfile => Object.fromEntries(OPENNESS_COMPONENTS.map((c) => [c, 'unknown'])) as OpennessProfile;

export const OPENNESS_LABELS: Record<OpennessComponent, string> = {
  weights: 'Weights',
  data: 'Training data',
  trainingCode: 'Training code',
  checkpoints: 'Checkpoints',
  evaluationCode: 'Evaluation code',
  documentation: 'Documentation',
};

/** An open project studied: a national-library model, a grassroots language community, … */
export interface Case extends Tracked {
  name: string;
  description: string;
  /** Values keyed by AttributeDef id. */
  attributes: Record<Guid, AttributeValue>;
  openness: OpennessProfile;
}

export interface Participant extends Tracked {
  pseudonym: string;
  role: string;
  organisation: string;
  caseId: Guid | null;
  /** yyyy-mm-dd, or empty when unknown */
  interviewDate: string;
}

export interface SpeakerTurn {
  /** UTF-16 offsets into the document text; end is exclusive. */
  start: number;
  end: number;
  speaker: string | null;
  /** Seconds from the start of the recording, when the transcript gives one. */
  time: number | null;
  isInterviewer: boolean;
}

export interface ImportMeta {
  fileName: string;
  importedAt: IsoDate;
  /** e.g. "utf-8", "utf-8 with BOM", "windows-1252 (converted)" */
  encoding: string;
  notes: string[];
}

/** A transcript. Its text lives in the `documentTexts` store, keyed by the same id. */
export interface Document extends Tracked {
  title: string;
  caseId: Guid | null;
  participantIds: Guid[];
  sourceFormat: string;
  /** Length of the normalised text in UTF-16 code units. */
  length: number;
  wordCount: number;
  /** How many codings the document has: kept up to date with every coding write, so that
   * counting a study's codings reads one record per document rather than every coding. */
  codingCount: number;
  /** The coders who have codings in the document, kept like codingCount: with the
   * documents' multi-entry index it answers "codings by coder" one document at a time. */
  coderIds: Guid[];
  turns: SpeakerTurn[];
  importMeta: ImportMeta;
}

export interface DocumentText {
  /** Same id as the Document. */
  id: Guid;
  studyId: Guid;
  text: string;
}

/** A span of one document: start/end are UTF-16 offsets into the normalised text; end is exclusive. */
export interface Segment extends Tracked {
  documentId: Guid;
  start: number;
  end: number;
  /** Cached copy of text.slice(start, end). */
  text: string;
}

export const CODE_KINDS = ['challenge', 'on-ramp', 'other'] as const;
export type CodeKind = (typeof CODE_KINDS)[number];
export const CODE_KIND_LABELS: Record<CodeKind, string> = { challenge: 'Challenge', 'on-ramp': 'On-ramp', other: 'Descriptive / other' };

export const COLLABORATION_MODES = ['cathedral', 'bazaar', 'neutral'] as const;
export type CollaborationMode = (typeof COLLABORATION_MODES)[number];

export const CODE_STATUSES = ['draft', 'active', 'retired'] as const;
export type CodeStatus = (typeof CODE_STATUSES)[number];

/** An example of a code: typical (a clear instance) or atypical (a borderline one that still belongs). */
export interface CodeExample {
  text: string;
  typical: boolean;
  /** The coded segment the example is taken from, or null. The link may outlive the segment: views say so. */
  segmentId: Guid | null;
}

/** One entry of a code's change history: who changed what, when. */
export interface CodeChange {
  at: IsoDate;
  /** The coder who made the change; null for imports and the app. */
  by: Guid | null;
  /** What changed, in words, e.g. “Renamed “Compute access” to “Access to compute””. */
  summary: string;
}

export interface Code extends Tracked {
  parentId: Guid | null;
  name: string;
  /** #rrggbb */
  color: string;
  /** null = cross-stage */
  stageId: Guid | null;
  kind: CodeKind;
  mode: CollaborationMode;
  order: number;
  shortDefinition: string;
  definition: string;
  useWhen: string;
  doNotUseWhen: string;
  examples: CodeExample[];
  status: CodeStatus;
  /** Oldest first. */
  history: CodeChange[];
}

export interface Coding extends Tracked {
  segmentId: Guid;
  codeId: Guid;
  coderId: Guid;
  /** Denormalised from the segment so views can filter codings by document without a join. */
  documentId: Guid;
}

/**
 * What a memo is about. A `position` memo is the justification of a position override
 * (its targetId is the override's id): every override has exactly one, and it has no other.
 */
export const MEMO_TARGET_TYPES = ['study', 'case', 'document', 'segment', 'code', 'position'] as const;
export type MemoTargetType = (typeof MEMO_TARGET_TYPES)[number];

export interface Memo extends Tracked {
  targetType: MemoTargetType;
  targetId: Guid;
  title: string;
  text: string;
}

export const ACTOR_TYPES = ['organisation', 'project', 'dataset', 'compute-provider', 'community', 'derivative'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

export interface Actor extends Tracked {
  name: string;
  type: ActorType;
  /** The case this actor stands for, when it is one of the projects studied. */
  caseId: Guid | null;
  description: string;
}

export const TIE_TYPES = [
  'compute-partnership',
  'dataset-sharing',
  'weights-shared-with-partners',
  'derivative-development',
  'follow-up-project',
  'community-feedback',
  'benchmarking',
  'regional-adaptation',
  'code-contribution',
  'distribution',
] as const;

export interface Tie extends Tracked {
  fromId: Guid;
  toId: Guid;
  /** One of TIE_TYPES, or a researcher's own type. */
  type: string;
  stageId: Guid;
  description: string;
  evidenceSegmentIds: Guid[];
}

/**
 * The researcher's own position of a case at a lifecycle stage on the cathedral–bazaar
 * axis, replacing the one computed from the coded evidence (which stays visible beside
 * it). At most one per case and stage. It needs a justification: the memo `memoId`, whose
 * target is this override (targetType 'position', targetId = this id).
 */
export interface PositionOverride extends Tracked {
  caseId: Guid;
  stageId: Guid;
  /** From −1 (cathedral) to 1 (bazaar). */
  value: number;
  memoId: Guid;
}

/** The title a position override's justification memo gets, e.g. “Position of OLMo (AI2) in Post-release”. */
export function positionMemoTitle(caseName: string, stageName: string): string {
  return `Position of ${caseName} in ${stageName}`;
}

/** Every record of one study, as written to and read from storage in one piece. */
export interface StudyRecords {
  study: Study;
  coders: Coder[];
  stages: Stage[];
  attributes: AttributeDef[];
  cases: Case[];
  participants: Participant[];
  documents: Document[];
  texts: DocumentText[];
  segments: Segment[];
  codes: Code[];
  codings: Coding[];
  memos: Memo[];
  actors: Actor[];
  ties: Tie[];
  overrides: PositionOverride[];
}

/**
 * The per-study record collections, in the order they are written. All are written in one
 * transaction and the integrity check collects every id before it follows a reference, so
 * a position override and its justification memo may point at each other.
 */
export const STUDY_COLLECTIONS = [
  'coders',
  'stages',
  'attributes',
  'cases',
  'participants',
  'documents',
  'texts',
  'segments',
  'codes',
  'codings',
  'memos',
  'actors',
  'ties',
  'overrides',
] as const satisfies readonly (keyof StudyRecords)[];
export type StudyCollection = (typeof STUDY_COLLECTIONS)[number];
