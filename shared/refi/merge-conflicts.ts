/**
 * The words of a merge report: what a conflict is called, and how each side's value of a
 * field reads. Kept apart from the plan (merge.ts) so the rules there stay short; everything
 * here is plain data in, strings out. A researcher chooses between two versions by reading
 * them, so values read as the app shows them (a parent by its name, a stage by its name, a
 * code's kind by its label), never as GUIDs.
 */
import { CODE_KIND_LABELS, OPENNESS_COMPONENTS, OPENNESS_LABELS, type CodeKind, type Guid, type OpennessProfile, type StudyCollection } from '../model/types.ts';
import { quoted } from './wording.ts';

export type ConflictChoice = 'ours' | 'theirs';
export type CoderMatchChoice = 'separate' | 'same';

/** One field whose value differs, as both sides read. */
export interface FieldDifference {
  field: string;
  label: string;
  ours: string;
  theirs: string;
}

/** A record with the same GUID in the study and in the file, whose fields differ. */
export interface MergeConflict {
  /** `collection:id`: the key a choice is given under. */
  key: string;
  collection: StudyCollection;
  id: Guid;
  /** The record's name in the study (a code's name, a document's title…). */
  name: string;
  differences: FieldDifference[];
  /** The choice the plan applied. */
  choice: ConflictChoice;
  /** Why "take theirs" is not offered, or null when it is. */
  locked: string | null;
}

/** A coder of the file whose GUID is new but whose name is an existing coder's. */
export interface CoderNameMatch {
  incomingId: Guid;
  incomingName: string;
  existingId: Guid;
  existingName: string;
  /** The file's codings by this coder. */
  codings: number;
  choice: CoderMatchChoice;
}

/** What a researcher decided; anything not given keeps the study's version and keeps coders apart. */
export interface MergeChoices {
  /** By conflict key. */
  conflicts?: Readonly<Record<string, ConflictChoice>>;
  /** For every conflict `conflicts` does not name ("keep ours for all" / "take theirs for all"). Default: ours. */
  all?: ConflictChoice;
  /** By the file's coder id. Default: separate. */
  coders?: Readonly<Record<Guid, CoderMatchChoice>>;
}

/** What a kind of record is called in the report, one and many. */
export const COLLECTION_NOUNS: Record<StudyCollection, [string, string]> = {
  coders: ['coder', 'coders'],
  stages: ['lifecycle stage', 'lifecycle stages'],
  attributes: ['case attribute', 'case attributes'],
  cases: ['case', 'cases'],
  participants: ['participant', 'participants'],
  documents: ['document', 'documents'],
  texts: ['document text', 'document texts'],
  segments: ['coded passage', 'coded passages'],
  codes: ['code', 'codes'],
  codings: ['coding', 'codings'],
  memos: ['memo', 'memos'],
  actors: ['actor', 'actors'],
  ties: ['tie', 'ties'],
  overrides: ['position override', 'position overrides'],
};

/** Two names are the same person's when their keys are equal: they differ only in case, accents' composition or spaces. */
export const nameKey = (name: string) => name.normalize('NFC').replace(/\s+/gu, '').toLocaleLowerCase();

/** Names of records on either side, to show references by name. */
export type NameOf = (collection: StudyCollection, id: Guid | null) => string | null;

const FIELD_LABELS: Record<string, string> = {
  name: 'Name',
  title: 'Title',
  text: 'Text',
  description: 'Description',
  parentId: 'Parent',
  color: 'Colour',
  stageId: 'Lifecycle stage',
  kind: 'Kind',
  mode: 'Collaboration mode',
  shortDefinition: 'Short definition',
  definition: 'Definition',
  useWhen: 'Use when',
  doNotUseWhen: 'Do not use when',
  examples: 'Examples',
  status: 'Status',
  caseId: 'Case',
  participantIds: 'Participants',
  targetType: 'About (kind)',
  targetId: 'About',
  pseudonym: 'Pseudonym',
  role: 'Role',
  organisation: 'Organisation',
  interviewDate: 'Interview date',
  value: 'Position',
  fromId: 'From',
  toId: 'To',
  type: 'Type',
  openness: 'Openness',
  evidenceSegmentIds: 'Evidence',
  span: 'Selection',
};

const EMPTY = '(empty)';

/** How one value of a field reads. */
function describeValue(collection: StudyCollection, field: string, value: unknown, nameOf: NameOf): string {
  const ref = (target: StudyCollection, none: string) => (value === null ? none : (nameOf(target, value as Guid) ?? String(value)));
  switch (field) {
    case 'parentId':
      return ref('codes', '(top level)');
    case 'stageId':
      return ref('stages', collection === 'codes' ? 'Cross-stage' : EMPTY);
    case 'caseId':
      return ref('cases', 'No case');
    case 'fromId':
    case 'toId':
      return ref('actors', EMPTY);
    case 'participantIds':
      return (value as Guid[]).map((id) => nameOf('participants', id) ?? id).join(', ') || 'None';
    case 'kind':
      return CODE_KIND_LABELS[value as CodeKind] ?? String(value);
    case 'examples':
      return (value as { text: string; typical: boolean }[]).map((e) => `${e.typical ? '' : '(atypical) '}${quoted(e.text)}`).join('; ') || 'None';
    case 'openness': {
      const profile = value as OpennessProfile;
      return OPENNESS_COMPONENTS.map((c) => `${OPENNESS_LABELS[c]}: ${profile[c]}`).join(', ');
    }
    case 'evidenceSegmentIds':
      return `${(value as Guid[]).length} passages`;
    case 'value':
      return (value as number).toFixed(2);
    case 'targetId':
      return value === null ? EMPTY : String(value);
  }
  if (typeof value === 'string') return value === '' ? EMPTY : value;
  if (value === null || value === undefined) return EMPTY;
  return String(value);
}

/** The difference of one field, labelled. */
export function describeField(collection: StudyCollection, field: string, ours: unknown, theirs: unknown, nameOf: NameOf): FieldDifference {
  return { field, label: FIELD_LABELS[field] ?? field, ours: describeValue(collection, field, ours, nameOf), theirs: describeValue(collection, field, theirs, nameOf) };
}

/** Where two texts first differ, with a little context on each side, e.g. for a document whose text was edited. */
export function textDifference(ours: string, theirs: string): FieldDifference {
  let at = 0;
  while (at < ours.length && at < theirs.length && ours[at] === theirs[at]) at += 1;
  const from = Math.max(0, at - 30);
  const excerpt = (text: string) => `${from > 0 ? '…' : ''}${text.slice(from, at + 50)}${text.length > at + 50 ? '…' : ''}`;
  const length = (text: string) => `${text.length.toLocaleString('en')} characters`;
  return { field: 'text', label: `Text (first difference at character ${at + 1})`, ours: `${length(ours)}: ${quoted(excerpt(ours))}`, theirs: `${length(theirs)}: ${quoted(excerpt(theirs))}` };
}

/** A passage as the report names it: its words and where they are. */
export function passageName(text: string, documentTitle: string | null): string {
  const words = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  return `${quoted(words)}${documentTitle ? ` in ${documentTitle}` : ''}`;
}
