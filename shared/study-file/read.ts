/**
 * Reads a study file into the records of one study, ready to be written in one
 * transaction. Untrusted input is restored, not trusted: every field is checked,
 * every reference resolved, every anchor located in its text, and all problems are
 * reported together with their JSON path. Nothing is returned unless all is well.
 */
import { checkAttributeValue, describeValue as describe, isRealDate } from '../cases/attribute-values.ts';
import { codeColor } from '../model/colors.ts';
import { isGuid, normaliseGuid } from '../model/ids.ts';
import {
  ACTOR_TYPES,
  ATTRIBUTE_TYPES,
  CODE_KINDS,
  CODE_STATUSES,
  COLLABORATION_MODES,
  MEMO_TARGET_TYPES,
  positionMemoTitle,
  OPENNESS_COMPONENTS,
  OPENNESS_LEVELS,
  type AttributeDef,
  type AttributeValue,
  type Case,
  type Code,
  type CodeChange,
  type CodeExample,
  type Coder,
  type Coding,
  type Document,
  type Guid,
  type IsoDate,
  type Memo,
  type MemoTargetType,
  type OpennessProfile,
  type PositionOverride,
  type Segment,
  type StudyRecords,
  unknownOpenness,
} from '../model/types.ts';
import { summariseDocumentCodings } from '../model/document-codings.ts';
import { countWords, normaliseText } from '../text/normalise.ts';
import { detectTurns } from '../text/turns.ts';
import {
  MAX_SETTING_CHARS,
  MAX_SETTING_DEPTH,
  MAX_SETTINGS,
  SETTING_NAME,
  STUDY_FILE_FORMAT,
  STUDY_FILE_VERSION,
  StudyFileError,
  type StudyFileProblem,
  type StudyFileSettings,
} from './format.ts';

// Value checks live with the attribute values, so a file, an import and an edit follow one rule.
// isRealDate stays exported here for shared/codebook/csv.ts, which imports it from this file.
export { isRealDate };

export interface ReadStudyOptions {
  now: IsoDate;
  newId: () => Guid;
  /** Give every record a new GUID (to import a copy beside the original). */
  freshIds?: boolean;
  /** Overrides the study's name. */
  name?: string;
}

type Json = Record<string, unknown>;

/** Memo targets the `memos` section may name (a position memo comes with its override). */
const FILE_MEMO_TARGET_TYPES = MEMO_TARGET_TYPES.filter((t): t is Exclude<MemoTargetType, 'position'> => t !== 'position');

/** A study file read whole: its records and the study's settings, by name. */
export interface StudyFileContents {
  records: StudyRecords;
  settings: StudyFileSettings;
}

class Reader {
  readonly problems: StudyFileProblem[] = [];
  /** With fresh ids: the file's GUID → the record's new GUID (settings are renamed through it). */
  readonly renamed = new Map<Guid, Guid>();
  constructor(private readonly options: ReadStudyOptions) {}

  fail(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  object(value: unknown, path: string): Json | null {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Json;
    this.fail(path, 'must be an object');
    return null;
  }

  array(parent: Json, field: string, path: string): unknown[] {
    const value = parent[field];
    if (value === undefined) return [];
    if (Array.isArray(value)) return value;
    this.fail(`${path}.${field}`, 'must be a list');
    return [];
  }

  string(obj: Json, field: string, path: string, options: { required?: boolean; fallback?: string } = {}): string {
    const value = obj[field];
    if (value === undefined || value === null) {
      if (options.required) this.fail(`${path}.${field}`, 'is required');
      return options.fallback ?? '';
    }
    if (typeof value !== 'string') {
      this.fail(`${path}.${field}`, `must be text, not ${describe(value)}`);
      return options.fallback ?? '';
    }
    if (options.required && value.trim() === '') this.fail(`${path}.${field}`, 'must not be empty');
    return value;
  }

  optionalInt(obj: Json, field: string, path: string): number | undefined {
    const value = obj[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      this.fail(`${path}.${field}`, `must be a whole number ≥ 0, not ${describe(value)}`);
      return undefined;
    }
    return value;
  }

  oneOf<T extends string>(obj: Json, field: string, path: string, allowed: readonly T[], fallback?: T): T {
    const value = obj[field];
    if ((value === undefined || value === null) && fallback !== undefined) return fallback;
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    this.fail(`${path}.${field}`, `must be one of ${allowed.join(', ')}; found ${describe(value)}`);
    return fallback ?? allowed[0]!;
  }

  date(obj: Json, field: string, path: string): IsoDate {
    const value = obj[field];
    if (value === undefined || value === null) return this.options.now;
    if (typeof value === 'string' && ISO_TIMESTAMP.test(value) && isRealDate(value.slice(0, 10)) && !Number.isNaN(Date.parse(value))) {
      return new Date(value).toISOString();
    }
    this.fail(`${path}.${field}`, `must be an ISO 8601 timestamp such as 2026-01-31T09:30:00Z, not ${describe(value)}`);
    return this.options.now;
  }

  /** A calendar date written yyyy-mm-dd, or empty. */
  day(obj: Json, field: string, path: string): string {
    const value = this.string(obj, field, path);
    if (value !== '' && !isRealDate(value)) this.fail(`${path}.${field}`, `must be a date written yyyy-mm-dd, not ${describe(value)}`);
    return value;
  }

  /** The record's GUID: kept from the file when valid (unless fresh ids are asked for). */
  id(obj: Json, path: string, seen: Set<Guid>): Guid {
    const value = obj['id'];
    let id: Guid;
    if (value === undefined || value === null || this.options.freshIds) {
      id = this.options.newId();
      if (this.options.freshIds && isGuid(value)) this.renamed.set(normaliseGuid(value), id);
    } else if (isGuid(value)) {
      id = normaliseGuid(value);
    } else {
      this.fail(`${path}.id`, `must be a GUID such as 3f2b8c1e-…, not ${describe(value)}`);
      id = this.options.newId();
    }
    if (seen.has(id)) this.fail(`${path}.id`, `${id} is used by another record`);
    seen.add(id);
    return id;
  }
}

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** Maps file keys of one kind of record to their GUIDs. */
class KeyMap {
  private readonly map = new Map<string, Guid>();
  constructor(private readonly kind: string, private readonly reader: Reader) {}

  add(obj: Json, path: string, id: Guid): string {
    const key = obj['key'] ?? obj['id'];
    if (typeof key !== 'string' || key.trim() === '') {
      this.reader.fail(`${path}.key`, 'is required (a name other records use to refer to this one)');
      return '';
    }
    if (this.map.has(key)) this.reader.fail(`${path}.key`, `"${key}" is used by another ${this.kind}`);
    this.map.set(key, id);
    return key;
  }

  resolve(key: unknown, path: string, options: { nullable?: boolean } = {}): Guid | null {
    if ((key === undefined || key === null || key === '') && options.nullable) return null;
    if (typeof key === 'string') {
      const id = this.map.get(key);
      if (id) return id;
      this.reader.fail(path, `refers to ${this.kind} "${key}", which the file does not define`);
      return null;
    }
    this.reader.fail(path, `must name a ${this.kind}, not ${describe(key)}`);
    return null;
  }

  get size(): number {
    return this.map.size;
  }
}

function parseJson(text: string, fileName: string): Json {
  if (text.trim() === '') {
    throw new StudyFileError(fileName, [{ path: '(file)', message: 'is empty. Choose a file exported by Cartography (*.cartography.json); an empty file holds no study.' }]);
  }
  let value: unknown;
  try {
    value = JSON.parse(normaliseText(text));
  } catch (error) {
    throw new StudyFileError(fileName, [{ path: '(file)', message: `is not JSON (${(error as Error).message}). Choose a file exported by Cartography (*.cartography.json).` }]);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new StudyFileError(fileName, [{ path: '(file)', message: 'must hold a JSON object' }]);
  }
  const obj = value as Json;
  if (obj['format'] !== STUDY_FILE_FORMAT) {
    throw new StudyFileError(fileName, [{ path: 'format', message: `must be "${STUDY_FILE_FORMAT}"; this is not a Cartography study file` }]);
  }
  if (typeof obj['version'] !== 'number' || obj['version'] > STUDY_FILE_VERSION || obj['version'] < 1) {
    throw new StudyFileError(fileName, [
      { path: 'version', message: `is ${describe(obj['version'])}; this version of Cartography reads version ${STUDY_FILE_VERSION}. Update Cartography to open newer files.` },
    ]);
  }
  return obj;
}

/** Finds where an anchor points in a text; reports a problem and returns null when it cannot. */
function locate(reader: Reader, anchor: Json, path: string, text: string): { start: number; end: number } | null {
  const start = reader.optionalInt(anchor, 'start', path);
  const end = reader.optionalInt(anchor, 'end', path);
  if (start !== undefined || end !== undefined) {
    if (start === undefined || end === undefined) {
      reader.fail(path, 'needs both start and end');
      return null;
    }
    if (start >= end || end > text.length) {
      reader.fail(path, `start ${start} and end ${end} must satisfy start < end ≤ ${text.length} (the document's length)`);
      return null;
    }
    const quote = anchor['quote'];
    if (typeof quote === 'string' && normaliseText(quote) !== text.slice(start, end)) {
      reader.fail(`${path}.quote`, `${describe(quote)} differs from the text at ${start}–${end}, ${describe(text.slice(start, end))}`);
      return null;
    }
    return { start, end };
  }
  const quote = anchor['quote'];
  if (typeof quote !== 'string' || quote === '') {
    reader.fail(path, 'needs start and end, or a quote');
    return null;
  }
  const wanted = reader.optionalInt(anchor, 'occurrence', path) ?? 1;
  if (wanted < 1) {
    reader.fail(`${path}.occurrence`, 'counts from 1 (the first match)');
    return null;
  }
  const needle = normaliseText(quote);
  let at = -1;
  for (let n = 0; n < Math.max(1, wanted); n += 1) {
    at = text.indexOf(needle, at + 1);
    if (at === -1) break;
  }
  if (at === -1) {
    reader.fail(`${path}.quote`, `${describe(quote)} does not occur${wanted > 1 ? ` ${wanted} times` : ''} in the document's text`);
    return null;
  }
  return { start: at, end: at + needle.length };
}

/** Reads a study file's records (its settings are checked too, and left out). */
export function readStudyFile(text: string, fileName: string, options: ReadStudyOptions): StudyRecords {
  return readStudyFileContents(text, fileName, options).records;
}

/** Reads a whole study file: records and settings, every problem of both reported together. */
export function readStudyFileContents(text: string, fileName: string, options: ReadStudyOptions): StudyFileContents {
  const root = parseJson(text, fileName);
  const r = new Reader(options);
  const seen = new Set<Guid>();

  const studyJson = r.object(root['study'], 'study') ?? {};
  const studyId = r.id(studyJson, 'study', seen);
  const studyCreated = r.date(studyJson, 'createdAt', 'study');
  const studyModified = r.date(studyJson, 'modifiedAt', 'study');
  const studyName = options.name ?? r.string(studyJson, 'name', 'study', { required: true });
  const studyDescription = r.string(studyJson, 'description', 'study');
  const stamp = (obj: Json, path: string, createdBy: Guid | null) => ({
    studyId,
    createdAt: r.date(obj, 'createdAt', path),
    modifiedAt: r.date(obj, 'modifiedAt', path),
    createdBy,
  });

  // Coders come first: every other record may name the coder who made it.
  const coderKeys = new KeyMap('coder', r);
  const coders: Coder[] = r.array(root, 'coders', '').map((raw, i) => {
    const path = `coders[${i}]`;
    const obj = r.object(raw, path) ?? {};
    const id = r.id(obj, path, seen);
    coderKeys.add(obj, path, id);
    return { id, ...stamp(obj, path, null), name: r.string(obj, 'name', path, { required: true }) };
  });
  const by = (obj: Json, path: string): Guid | null => coderKeys.resolve(obj['createdBy'], `${path}.createdBy`, { nullable: true });
  const studyCreatedBy = by(studyJson, 'study');
  const activeCoder = coderKeys.resolve(studyJson['activeCoder'], 'study.activeCoder', { nullable: true });

  const stageKeys = new KeyMap('stage', r);
  const stages = r.array(root, 'stages', '').map((raw, i) => {
    const path = `stages[${i}]`;
    const obj = r.object(raw, path) ?? {};
    const id = r.id(obj, path, seen);
    stageKeys.add(obj, path, id);
    return { id, ...stamp(obj, path, by(obj, path)), name: r.string(obj, 'name', path, { required: true }), description: r.string(obj, 'description', path), order: i };
  });

  const attributeKeys = new KeyMap('attribute', r);
  const attributes: AttributeDef[] = r.array(root, 'attributes', '').map((raw, i) => {
    const path = `attributes[${i}]`;
    const obj = r.object(raw, path) ?? {};
    const id = r.id(obj, path, seen);
    attributeKeys.add(obj, path, id);
    const type = r.oneOf(obj, 'type', path, ATTRIBUTE_TYPES);
    const values = r.array(obj, 'values', path).filter((v, j): v is string => {
      if (typeof v === 'string') return true;
      r.fail(`${path}.values[${j}]`, 'must be text');
      return false;
    });
    if (type === 'category' && values.length === 0) r.fail(`${path}.values`, 'a category attribute needs the list of its values');
    values.forEach((v, j) => {
      if (values.indexOf(v) !== j) r.fail(`${path}.values[${j}]`, `"${v}" is listed twice`);
    });
    return { id, ...stamp(obj, path, by(obj, path)), name: r.string(obj, 'name', path, { required: true }), type, values, order: i };
  });
  const attributeById = new Map(attributes.map((a) => [a.id, a]));

  const caseKeys = new KeyMap('case', r);
  const cases: Case[] = r.array(root, 'cases', '').map((raw, i) => {
    const path = `cases[${i}]`;
    const obj = r.object(raw, path) ?? {};
    const id = r.id(obj, path, seen);
    caseKeys.add(obj, path, id);
    const values: Record<Guid, AttributeValue> = {};
    const rawValues = obj['attributes'] === undefined ? {} : (r.object(obj['attributes'], `${path}.attributes`) ?? {});
    for (const [attrKey, value] of Object.entries(rawValues)) {
      const attrId = attributeKeys.resolve(attrKey, `${path}.attributes.${attrKey}`);
      if (!attrId) continue;
      const def = attributeById.get(attrId)!;
      const problem = checkAttributeValue(def, value);
      if (problem) r.fail(`${path}.attributes.${attrKey}`, problem);
      else values[attrId] = value as AttributeValue;
    }
    const openness = unknownOpenness();
    const rawOpenness = obj['openness'] === undefined ? {} : (r.object(obj['openness'], `${path}.openness`) ?? {});
    for (const component of Object.keys(rawOpenness)) {
      if (!(OPENNESS_COMPONENTS as readonly string[]).includes(component)) {
        r.fail(`${path}.openness.${component}`, `is not an openness component (${OPENNESS_COMPONENTS.join(', ')})`);
      } else {
        openness[component as keyof OpennessProfile] = r.oneOf(rawOpenness, component, `${path}.openness`, OPENNESS_LEVELS);
      }
    }
    return { id, ...stamp(obj, path, by(obj, path)), name: r.string(obj, 'name', path, { required: true }), description: r.string(obj, 'description', path), attributes: values, openness };
  });

  const participantKeys = new KeyMap('participant', r);
  const participants = r.array(root, 'participants', '').map((raw, i) => {
    const path = `participants[${i}]`;
    const obj = r.object(raw, path) ?? {};
    const id = r.id(obj, path, seen);
    participantKeys.add(obj, path, id);
    return {
      id,
      ...stamp(obj, path, by(obj, path)),
      pseudonym: r.string(obj, 'pseudonym', path, { required: true }),
      role: r.string(obj, 'role', path),
      organisation: r.string(obj, 'organisation', path),
      caseId: caseKeys.resolve(obj['case'], `${path}.case`, { nullable: true }),
      interviewDate: r.day(obj, 'interviewDate', path),
    };
  });

  const codeKeys = new KeyMap('code', r);
  const rawCodes = r.array(root, 'codes', '').map((raw, i) => ({ obj: r.object(raw, `codes[${i}]`) ?? {}, path: `codes[${i}]` }));
  const codeIds = rawCodes.map(({ obj, path }) => {
    const id = r.id(obj, path, seen);
    codeKeys.add(obj, path, id);
    return id;
  });
  // Examples may link to segments, which the anchors below make: links are resolved at the end.
  const exampleLinks: { example: CodeExample; segment: Guid }[] = [];
  const example = (raw: unknown, path: string): CodeExample => {
    if (typeof raw === 'string') return { text: raw, typical: true, segmentId: null };
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      r.fail(path, `must be text or an object with text, typical and segment, not ${describe(raw)}`);
      return { text: '', typical: true, segmentId: null };
    }
    const obj = raw as Json;
    if (obj['text'] === undefined || obj['text'] === null) r.fail(`${path}.text`, 'is required');
    const text = r.string(obj, 'text', path);
    const typical = obj['typical'];
    if (typical !== undefined && typical !== null && typeof typical !== 'boolean') r.fail(`${path}.typical`, `must be true or false, not ${describe(typical)}`);
    const result: CodeExample = { text, typical: typeof typical === 'boolean' ? typical : true, segmentId: null };
    const segment = obj['segment'];
    if (isGuid(segment)) exampleLinks.push({ example: result, segment: normaliseGuid(segment) });
    else if (segment !== undefined && segment !== null) r.fail(`${path}.segment`, `must be the segmentId of an anchor in this file, or null, not ${describe(segment)}`);
    return result;
  };
  const change = (raw: unknown, path: string): CodeChange => {
    const obj = r.object(raw, path);
    if (!obj) return { at: options.now, by: null, summary: '' };
    if (obj['at'] === undefined || obj['at'] === null) r.fail(`${path}.at`, 'is required');
    if (obj['summary'] === undefined || obj['summary'] === null) r.fail(`${path}.summary`, 'is required');
    return { at: r.date(obj, 'at', path), by: coderKeys.resolve(obj['by'], `${path}.by`, { nullable: true }), summary: r.string(obj, 'summary', path) };
  };

  const codes: Code[] = rawCodes.map(({ obj, path }, i) => {
    const color = r.string(obj, 'color', path, { fallback: codeColor(i) });
    if (!/^#[0-9a-f]{6}$/i.test(color)) r.fail(`${path}.color`, `must be a colour like #4e79a7, not ${describe(color)}`);
    return {
      id: codeIds[i]!,
      ...stamp(obj, path, by(obj, path)),
      parentId: codeKeys.resolve(obj['parent'], `${path}.parent`, { nullable: true }),
      name: r.string(obj, 'name', path, { required: true }),
      color: color.toLowerCase(),
      stageId: stageKeys.resolve(obj['stage'], `${path}.stage`, { nullable: true }),
      kind: r.oneOf(obj, 'kind', path, CODE_KINDS),
      mode: r.oneOf(obj, 'mode', path, COLLABORATION_MODES, 'neutral'),
      order: i,
      shortDefinition: r.string(obj, 'shortDefinition', path),
      definition: r.string(obj, 'definition', path),
      useWhen: r.string(obj, 'useWhen', path),
      doNotUseWhen: r.string(obj, 'doNotUseWhen', path),
      examples: r.array(obj, 'examples', path).map((e, j) => example(e, `${path}.examples[${j}]`)),
      status: r.oneOf(obj, 'status', path, CODE_STATUSES, 'active'),
      history: r.array(obj, 'history', path).map((h, j) => change(h, `${path}.history[${j}]`)),
    };
  });
  checkCodeHierarchy(codes, r);

  const documentKeys = new KeyMap('document', r);
  const texts = new Map<Guid, string>();
  const documents: Document[] = r.array(root, 'documents', '').map((raw, i) => {
    const path = `documents[${i}]`;
    const obj = r.object(raw, path) ?? {};
    const id = r.id(obj, path, seen);
    documentKeys.add(obj, path, id);
    const text = normaliseText(r.string(obj, 'text', path, { required: true }));
    texts.set(id, text);
    const interviewers = r.array(obj, 'interviewers', path).filter((v): v is string => typeof v === 'string');
    const meta = obj['importMeta'] === undefined ? {} : (r.object(obj['importMeta'], `${path}.importMeta`) ?? {});
    return {
      id,
      ...stamp(obj, path, by(obj, path)),
      title: r.string(obj, 'title', path, { required: true }),
      caseId: caseKeys.resolve(obj['case'], `${path}.case`, { nullable: true }),
      participantIds: r.array(obj, 'participants', path).map((p, j) => participantKeys.resolve(p, `${path}.participants[${j}]`)).filter((p): p is Guid => p !== null),
      sourceFormat: r.string(obj, 'sourceFormat', path, { fallback: 'txt' }),
      length: text.length,
      wordCount: countWords(text),
      codingCount: 0,
      coderIds: [],
      turns: detectTurns(text, interviewers),
      importMeta: {
        fileName: r.string(meta, 'fileName', `${path}.importMeta`, { fallback: fileName }),
        importedAt: r.date(meta, 'importedAt', `${path}.importMeta`),
        encoding: r.string(meta, 'encoding', `${path}.importMeta`, { fallback: 'utf-8' }),
        notes: r.array(meta, 'notes', `${path}.importMeta`).filter((n): n is string => typeof n === 'string'),
      },
    };
  });

  // Segments are shared: two codings of the same span of the same document use one segment.
  const segments: Segment[] = [];
  const segmentBySpan = new Map<string, Segment>();
  // The segmentId an anchor gives → the segment it resolved to (another GUID with fresh ids).
  const segmentByFileId = new Map<Guid, Guid>();
  const segmentFor = (anchor: Json, path: string, createdBy: Guid | null): Segment | null => {
    const segment = findSegment(anchor, path, createdBy);
    const fileId = anchor['segmentId'];
    if (segment && isGuid(fileId) && !segmentByFileId.has(normaliseGuid(fileId))) segmentByFileId.set(normaliseGuid(fileId), segment.id);
    return segment;
  };
  const findSegment = (anchor: Json, path: string, createdBy: Guid | null): Segment | null => {
    const documentId = documentKeys.resolve(anchor['document'], `${path}.document`);
    if (!documentId) return null;
    const text = texts.get(documentId)!;
    const span = locate(r, anchor, path, text);
    if (!span) return null;
    const spanKey = `${documentId}:${span.start}:${span.end}`;
    const existing = segmentBySpan.get(spanKey);
    if (existing) return existing;
    const segment: Segment = {
      id: r.id({ id: anchor['segmentId'] }, `${path}.segmentId`, seen),
      studyId,
      createdAt: r.date(anchor, 'createdAt', path),
      modifiedAt: r.date(anchor, 'modifiedAt', path),
      createdBy,
      documentId,
      start: span.start,
      end: span.end,
      text: text.slice(span.start, span.end),
    };
    segmentBySpan.set(spanKey, segment);
    segments.push(segment);
    return segment;
  };

  const memos: Memo[] = [];
  const defaultCoder = coders[0]?.id ?? null;
  const codings: Coding[] = [];
  const codingKeys = new Set<string>();
  r.array(root, 'codings', '').forEach((raw, i) => {
    const path = `codings[${i}]`;
    const obj = r.object(raw, path) ?? {};
    const coderId = obj['coder'] === undefined ? defaultCoder : coderKeys.resolve(obj['coder'], `${path}.coder`);
    if (!coderId) {
      if (obj['coder'] === undefined) r.fail(`${path}.coder`, 'is required when the file defines no coders');
      return;
    }
    const codeId = codeKeys.resolve(obj['code'], `${path}.code`);
    const segment = segmentFor(obj, path, coderId);
    if (!codeId || !segment) return;
    const dedupe = `${segment.id}:${codeId}:${coderId}`;
    if (codingKeys.has(dedupe)) {
      r.fail(path, 'codes the same text with the same code by the same coder as an earlier coding');
      return;
    }
    codingKeys.add(dedupe);
    codings.push({ id: r.id(obj, path, seen), ...stamp(obj, path, coderId), segmentId: segment.id, codeId, coderId, documentId: segment.documentId });
    const memoText = obj['memo'];
    if (typeof memoText === 'string' && memoText.trim() !== '') {
      memos.push({ id: r.id({}, `${path}.memo`, seen), ...stamp(obj, path, coderId), targetType: 'segment', targetId: segment.id, title: '', text: memoText });
    }
  });

  const summaries = summariseDocumentCodings(codings);
  for (const d of documents) Object.assign(d, summaries.get(d.id) ?? { codingCount: 0, coderIds: [] });

  const keyMapFor = { case: caseKeys, document: documentKeys, code: codeKeys } as const;
  r.array(root, 'memos', '').forEach((raw, i) => {
    const path = `memos[${i}]`;
    const obj = r.object(raw, path) ?? {};
    const target = r.object(obj['target'], `${path}.target`) ?? {};
    if (target['type'] === 'position') {
      r.fail(`${path}.target.type`, 'a position memo is the justification of its override: write it as overrides[].justification');
      return;
    }
    const targetType = r.oneOf(target, 'type', `${path}.target`, FILE_MEMO_TARGET_TYPES);
    const createdBy = by(obj, path);
    const targetId: Guid | null =
      targetType === 'study'
        ? studyId
        : targetType === 'segment'
          ? (segmentFor(target, `${path}.target`, createdBy)?.id ?? null)
          : keyMapFor[targetType].resolve(target['key'], `${path}.target.key`);
    if (!targetId) return;
    memos.push({ id: r.id(obj, path, seen), ...stamp(obj, path, createdBy), targetType, targetId, title: r.string(obj, 'title', path), text: r.string(obj, 'text', path, { required: true }) });
  });

  const actorKeys = new KeyMap('actor', r);
  const actors = r.array(root, 'actors', '').map((raw, i) => {
    const path = `actors[${i}]`;
    const obj = r.object(raw, path) ?? {};
    const id = r.id(obj, path, seen);
    actorKeys.add(obj, path, id);
    return {
      id,
      ...stamp(obj, path, by(obj, path)),
      name: r.string(obj, 'name', path, { required: true }),
      type: r.oneOf(obj, 'type', path, ACTOR_TYPES),
      caseId: caseKeys.resolve(obj['case'], `${path}.case`, { nullable: true }),
      description: r.string(obj, 'description', path),
    };
  });

  const ties = r.array(root, 'ties', '').flatMap((raw, i) => {
    const path = `ties[${i}]`;
    const obj = r.object(raw, path) ?? {};
    const fromId = actorKeys.resolve(obj['from'], `${path}.from`);
    const toId = actorKeys.resolve(obj['to'], `${path}.to`);
    const stageId = stageKeys.resolve(obj['stage'], `${path}.stage`);
    const createdBy = by(obj, path);
    const evidence = r.array(obj, 'evidence', path).map((e, j) => segmentFor(r.object(e, `${path}.evidence[${j}]`) ?? {}, `${path}.evidence[${j}]`, createdBy)?.id ?? null);
    if (fromId && toId && fromId === toId) r.fail(path, 'ties an actor to itself');
    if (!fromId || !toId || !stageId) return [];
    return [{
      id: r.id(obj, path, seen),
      ...stamp(obj, path, createdBy),
      fromId,
      toId,
      type: r.string(obj, 'type', path, { required: true }),
      stageId,
      description: r.string(obj, 'description', path),
      evidenceSegmentIds: [...new Set(evidence.filter((e): e is Guid => e !== null))],
    }];
  });

  // Position overrides, each with its justification memo (made here: the memos section has none).
  const caseById = new Map(cases.map((c) => [c.id, c]));
  const stageById = new Map(stages.map((s) => [s.id, s]));
  const overridden = new Map<string, number>();
  const overrides: PositionOverride[] = [];
  r.array(root, 'overrides', '').forEach((raw, i) => {
    const path = `overrides[${i}]`;
    const obj = r.object(raw, path) ?? {};
    const caseId = caseKeys.resolve(obj['case'], `${path}.case`);
    const stageId = stageKeys.resolve(obj['stage'], `${path}.stage`);
    const rawValue = obj['value'];
    if (rawValue === undefined || rawValue === null) r.fail(`${path}.value`, 'is required');
    else if (typeof rawValue !== 'number' || !Number.isFinite(rawValue) || rawValue < -1 || rawValue > 1) r.fail(`${path}.value`, `must be a number from −1 (cathedral) to 1 (bazaar), not ${describe(rawValue)}`);
    const value = typeof rawValue === 'number' ? rawValue : 0;
    if (caseId && stageId) {
      const pair = `${caseId}:${stageId}`;
      const earlier = overridden.get(pair);
      if (earlier !== undefined) r.fail(path, `sets the position of case "${String(obj['case'])}" in stage "${String(obj['stage'])}" again (overrides[${earlier}] sets it): one override per case and stage`);
      else overridden.set(pair, i);
    }
    const id = r.id(obj, path, seen);
    const overrideStamp = stamp(obj, path, by(obj, path));
    const memo = justification(obj['justification'], `${path}.justification`, overrideStamp);
    if (!caseId || !stageId || !memo) return;
    memos.push({
      id: memo.id,
      ...memo.stamp,
      targetType: 'position',
      targetId: id,
      title: memo.title ?? positionMemoTitle(caseById.get(caseId)!.name, stageById.get(stageId)!.name),
      text: memo.text,
    });
    overrides.push({ id, ...overrideStamp, caseId, stageId, value, memoId: memo.id });
  });
  /** Reads a justification: text, or a memo object; missing stamps are the override's. */
  function justification(raw: unknown, path: string, fallback: ReturnType<typeof stamp>): { id: Guid; title: string | null; text: string; stamp: ReturnType<typeof stamp> } | null {
    if (raw === undefined || raw === null) {
      r.fail(path, 'is required: say why the evidence does not tell the whole story');
      return null;
    }
    if (typeof raw === 'string') {
      if (raw.trim() === '') r.fail(path, 'must not be empty: say why the evidence does not tell the whole story');
      return { id: r.id({}, path, seen), title: null, text: raw, stamp: fallback };
    }
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      r.fail(path, `must be text, or an object with the memo's text, not ${describe(raw)}`);
      return null;
    }
    const obj = raw as Json;
    const text = r.string(obj, 'text', path, { required: true });
    const title = obj['title'] === undefined || obj['title'] === null ? null : r.string(obj, 'title', path);
    return {
      id: r.id(obj, path, seen),
      title,
      text,
      stamp: {
        studyId,
        createdAt: obj['createdAt'] === undefined ? fallback.createdAt : r.date(obj, 'createdAt', path),
        modifiedAt: obj['modifiedAt'] === undefined ? fallback.modifiedAt : r.date(obj, 'modifiedAt', path),
        createdBy: obj['createdBy'] === undefined ? fallback.createdBy : by(obj, path),
      },
    };
  }

  // A link to a segment no anchor of the file makes is dropped, not reported: the example stands on its own.
  for (const { example, segment } of exampleLinks) example.segmentId = segmentByFileId.get(segment) ?? null;

  const settings = readSettings(r, root['settings']);

  if (r.problems.length > 0) throw new StudyFileError(fileName, r.problems);

  const records: StudyRecords = {
    study: {
      id: studyId,
      name: studyName.trim(),
      description: studyDescription,
      createdAt: studyCreated,
      modifiedAt: studyModified,
      createdBy: studyCreatedBy,
      isDemo: false,
      activeCoderId: activeCoder ?? defaultCoder,
    },
    coders,
    stages,
    attributes,
    cases,
    participants,
    documents,
    texts: documents.map((d) => ({ id: d.id, studyId, text: texts.get(d.id)! })),
    segments,
    codes,
    codings,
    memos,
    actors,
    ties,
    overrides,
  };
  return { records, settings: options.freshIds ? renameIds(settings, r.renamed) : settings };
}

/** The `settings` section: an object of named JSON values, each bounded in size and depth. */
function readSettings(r: Reader, raw: unknown): StudyFileSettings {
  const settings: StudyFileSettings = {};
  if (raw === undefined || raw === null) return settings;
  const obj = r.object(raw, 'settings');
  if (!obj) return settings;
  const entries = Object.entries(obj);
  if (entries.length > MAX_SETTINGS) {
    r.fail('settings', `holds ${entries.length} settings; a study file holds at most ${MAX_SETTINGS}`);
    return settings;
  }
  for (const [name, value] of entries) {
    const path = `settings.${name}`;
    if (!SETTING_NAME.test(name)) {
      r.fail(path, `${describe(name)} is not a setting name (a letter, then letters, digits, "_", ".", ":" or "-"; at most 100 characters)`);
      continue;
    }
    const depth = jsonDepth(value);
    if (depth > MAX_SETTING_DEPTH) {
      r.fail(path, `nests lists and objects more than ${MAX_SETTING_DEPTH} deep`);
      continue;
    }
    const size = JSON.stringify(value).length;
    if (size > MAX_SETTING_CHARS) {
      r.fail(path, `is ${size} characters of JSON; a setting holds at most ${MAX_SETTING_CHARS}`);
      continue;
    }
    settings[name] = value;
  }
  return settings;
}

/** How deep lists and objects nest (0 for a plain value), without recursion. */
function jsonDepth(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > MAX_SETTING_DEPTH) return deepest;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * A copy's settings name the copy's records: every string (and object key) that is a GUID
 * the file gave a record becomes that record's new GUID. Anything else is kept as it is.
 */
function renameIds(settings: StudyFileSettings, renamed: ReadonlyMap<Guid, Guid>): StudyFileSettings {
  const rename = (value: unknown): unknown => {
    if (typeof value === 'string') return isGuid(value) ? (renamed.get(normaliseGuid(value)) ?? value) : value;
    if (Array.isArray(value)) return value.map(rename);
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [rename(k) as string, rename(v)]));
    return value;
  };
  return Object.fromEntries(Object.entries(settings).map(([name, value]) => [name, rename(value)]));
}

function checkCodeHierarchy(codes: Code[], r: Reader): void {
  const parentOf = new Map(codes.map((c) => [c.id, c.parentId]));
  codes.forEach((code, i) => {
    const visited = new Set<Guid>([code.id]);
    let parent = code.parentId;
    while (parent) {
      if (visited.has(parent)) {
        r.fail(`codes[${i}].parent`, `"${code.name}" is its own ancestor`);
        return;
      }
      visited.add(parent);
      parent = parentOf.get(parent) ?? null;
    }
  });
}
