/**
 * What the REFI-QDA import's modules share: its error, options and result types, and small
 * readers of the project XML (GUIDs, dates, children). See qde-import.ts.
 */
import { childElements, textContent, type XmlElement } from '../codebook/xml.ts';
import { isGuid, normaliseGuid } from '../model/ids.ts';
import type { Guid, IsoDate, StudyRecords } from '../model/types.ts';
import { seededGuid } from './qde-export.ts';
import type { ZipLimits } from './zip-read.ts';
import type { PositionUnit } from './qde-import-text.ts';

export { plural, quoted } from './wording.ts';

export interface RefiProblem {
  /** Where: the entry, line and column, and the element with its GUID; or the file. */
  where: string;
  /** What is wrong and what to do. */
  message: string;
}

/** A project that cannot be imported; nothing of it is returned. */
export class RefiImportError extends Error {
  readonly fileName: string;
  readonly problems: RefiProblem[];
  constructor(fileName: string, problems: RefiProblem[]) {
    const first = problems[0];
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more ${problems.length === 2 ? 'problem' : 'problems'})` : '';
    super(first ? `${first.message}${more}` : `“${fileName}” cannot be imported.`);
    this.name = 'RefiImportError';
    this.fileName = fileName;
    this.problems = problems;
  }
}

export interface QdpxReadOptions {
  now: IsoDate;
  /** The new study's name; by default the Project's name, else the file name. */
  studyName?: string;
  /** The researcher importing: made the active coder (an existing user of that name, else a new coder). */
  coderName?: string;
  /** For records the file gives no GUID to (the study, new coders); random by default. */
  newId?: () => Guid;
  /** Limits for unpacking the package (zip-read.ts). */
  limits?: Partial<ZipLimits>;
}

/** What the file holds, counted as written (a command line prints these). */
export interface QdpxCounts {
  codes: number;
  sources: number;
  cases: number;
  variables: number;
  selections: number;
  codings: number;
  users: number;
  notes: number;
  links: number;
  sets: number;
}

export interface QdpxImport {
  records: StudyRecords;
  counts: QdpxCounts;
  positions: { unit: PositionUnit; reason: string };
  /** Every decision and everything skipped, in words. */
  notes: string[];
}

export const REEXPORT = 'Export the project again from the program that made it.';
export const SELECTION_TYPES = new Set(['PlainTextSelection', 'PictureSelection', 'PDFSelection', 'AudioSelection', 'VideoSelection', 'TranscriptSelection']);
export const DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?$/;
export const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** A GUID as stored: braces and spaces removed, lower case; null when it is not one. */
export function readGuid(raw: string | undefined): Guid | null {
  if (raw === undefined) return null;
  const bare = raw.trim().replace(/^\{(.*)\}$/, '$1');
  return isGuid(bare) ? normaliseGuid(bare) : null;
}

/**
 * A GUID derived from a seed, for records the file carries without a GUID of their own (a
 * selection's comment, an actor standing for a case): the same file gives the same GUIDs, so
 * importing it again merges instead of duplicating.
 */
export function derivedGuid(seed: string): Guid {
  return seededGuid(`refi-import:${seed}`);
}

/** xsd:dateTime as our IsoDate (UTC, milliseconds); null when absent or not a date-time. */
export function readDateTime(raw: string | undefined): IsoDate | null {
  if (raw === undefined || !DATE_TIME.test(raw.trim())) return null;
  const ms = Date.parse(raw.trim());
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

export function* descendants(element: XmlElement): Generator<XmlElement> {
  for (const node of element.children) {
    if (typeof node === 'string') continue;
    yield node;
    yield* descendants(node);
  }
}

export const child = (element: XmlElement | undefined, local: string): XmlElement | undefined => (element ? childElements(element, local)[0] : undefined);
export const childText = (element: XmlElement, local: string): string | null => {
  const found = child(element, local);
  return found ? textContent(found) : null;
};


/** The `local` children of one section of the project (none when the section is absent). */
export const within = (project: XmlElement, section: string, local: string): XmlElement[] => {
  const el = child(project, section);
  return el ? childElements(el, local) : [];
};

/** Counts things by kind, for notes such as "2 PDF sources, 1 picture source". */
export class Tally {
  private readonly counts = new Map<string, number>();
  add(kind: string, n = 1): void {
    if (n > 0) this.counts.set(kind, (this.counts.get(kind) ?? 0) + n);
  }
  get total(): number {
    return [...this.counts.values()].reduce((a, b) => a + b, 0);
  }
  /** E.g. "2 PDF sources, 1 picture source" with `one` = kind => `${kind} source`, `many` = kind => `${kind} sources`. */
  words(one: (kind: string) => string = (k) => k, many: (kind: string) => string = (k) => k): string {
    return [...this.counts].map(([kind, n]) => `${n} ${n === 1 ? one(kind) : many(kind)}`).join(', ');
  }
}

/** The package's other entries by path (a ReadonlyMap will do). */
export interface SourceFiles {
  keys(): Iterable<string>;
  has(name: string): boolean;
  get(name: string): Uint8Array | undefined;
}

/** What a note is about, from the NoteRef that points at it. */
export type NoteTarget = { type: 'study' | 'document' | 'segment' | 'code'; id: Guid };

/** What the parts of one import share (qde-import-build.ts makes it). */
export interface ImportContext {
  project: XmlElement;
  /** The project XML as text (for Cartography's positions statement in the prolog). */
  xmlText: string;
  fileName: string;
  files: SourceFiles;
  options: QdpxReadOptions;
  studyId: Guid;
  now: IsoDate;
  origin: string;
  fromCartography: boolean;
  /** Decisions and skipped things, in words; appended to by every part. */
  notes: string[];
  /** Records a fatal problem at an element. */
  fatal(el: XmlElement, message: string): void;
  problemCount(): number;
  /** The element's GUID, normalised; a new one (counted in a note) when it has none. */
  guidFor(el: XmlElement, kind: string): Guid;
  /** The element whose GUID this is. */
  ownerOf(id: Guid): XmlElement | undefined;
  /** A reference element's targetGUID, normalised. */
  ref(el: XmlElement | undefined): Guid | null;
  tracked(createdBy?: Guid | null): { studyId: Guid; createdAt: IsoDate; modifiedAt: IsoDate; createdBy: Guid | null };
  /** A user reference as a coder id; null (counted) when the project lists no such user. */
  userRef(raw: string | undefined): Guid | null;
  /** The coder of codings that name no user. */
  fallbackCoder(): Guid;
  /** Records the NoteRefs of an element as pointing at `target`. */
  addNoteRefs(el: XmlElement, target: NoteTarget): void;
  noteTargets: ReadonlyMap<Guid, NoteTarget[]>;
}
