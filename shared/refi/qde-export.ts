/**
 * A study as a REFI-QDA project (project.qde, namespace urn:QDA-XML:project:1.0) plus the
 * plain-text files of its sources, ready to be zipped into a .qdpx (`qdpx.ts`). Pure: plain
 * records in, strings out; the same records give the same bytes.
 *
 * What is written, and where (element order as Project.xsd demands):
 * - Users: the coders (guid = coder id).
 * - CodeBook: codes nested by parent (siblings by order), isCodable="true", color, and
 *   Cartography's fields in <Description> through encodeDescription (as in the .qdc export).
 * - Variables: the case attributes. text → Text, number → Float, boolean → Boolean,
 *   date → Date, category → Text (the allowed values are listed in the Description).
 * - Cases: name, description, one VariableValue per set attribute value, and a SourceRef per
 *   document of the case.
 * - Sources: one TextSource per document, plainTextPath="internal://<GUID>.txt" (the text is
 *   returned in `sources`, UTF-8 when zipped), a PlainTextSelection per segment (creatingUser,
 *   creationDateTime) holding its Codings (guid = coding id, creatingUser = its coder).
 * - Notes: every memo as a Note with PlainTextContent. A NoteRef points at it from its target
 *   where the schema has a place: the project (study memos), a TextSource (document), a
 *   PlainTextSelection (segment), a Code. Cases have no NoteRef in the schema, so a case memo
 *   (and a position override's justification memo) is tied to its case by a Link from the
 *   note to the case.
 * - Links: ties between actors that stand for cases in the study (actor.caseId), as links
 *   from case to case, named by the tie type and stage, direction OneWay. Other ties have no
 *   object to point at in a REFI-QDA project and are left out (see `omitted`).
 * - Sets: one per lifecycle stage, with the stage's codes as MemberCode.
 *
 * Positions: our offsets are UTF-16 code units; the specification counts Unicode code points,
 * which is the default. `positions: 'utf16'` writes our offsets unchanged (what NVivo writes).
 * Which one was used is said in a processing instruction after the XML declaration,
 * `<?cartography positions="utf16"?>` (POSITIONS_PI), which other tools and the schema ignore
 * and our import reads, so a re-import never has to guess.
 * GUIDs are our record ids, so those of imported objects are kept.
 *
 * Not written (each reported in `omitted`): participants, actors and ties with no case behind
 * them, tie descriptions and evidence segments, position override values (only in the
 * justification link's name), the cases' openness profiles, codes' histories, segments that
 * lie outside their document's text and codings whose segment or code is missing.
 */
import { encodeDescription } from '../codebook/description.ts';
import { guidFromBytes } from '../model/ids.ts';
import type { AttributeDef, AttributeValue, Code, Coding, Guid, Memo, Segment, StudyRecords } from '../model/types.ts';
import { escapeXml } from '../formats/xml-escape.ts';
import { plural } from './wording.ts';

export const QDE_NAMESPACE = 'urn:QDA-XML:project:1.0';

export type QdePositions = 'code-points' | 'utf16';

/** The processing instruction that records how positions count (see the module comment). */
export const POSITIONS_PI = 'cartography';

export interface QdeExportOptions {
  /** Written as the Project's origin, e.g. "Cartography 0.1.0". */
  origin: string;
  /** How PlainTextSelection positions count: Unicode code points (the specification) or UTF-16 code units (NVivo). */
  positions: QdePositions;
}

export interface QdeSourceFile {
  /** Path inside the .qdpx, e.g. "sources/<GUID>.txt". */
  path: string;
  text: string;
}

export interface QdeExport {
  xml: string;
  sources: QdeSourceFile[];
  /** What the project could not carry, in words, one line per kind of thing. */
  omitted: string[];
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const attr = (name: string, value: string | null | undefined): string => (value === null || value === undefined ? '' : ` ${name}="${escapeXml(value, true)}"`);
const RGB = /^#[0-9a-fA-F]{6}$/;
/** xsd:dateTime with a time zone, as our IsoDate is; anything else is left out. */
const DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const dateTime = (value: string): string | null => (DATE_TIME.test(value) ? value : null);

/**
 * Converts UTF-16 offsets of one text into code-point offsets. It keeps the indexes of the
 * second halves of surrogate pairs (usually few), so a conversion is a binary search.
 */
export function codePointCounter(text: string): (utf16Offset: number) => number {
  const extra: number[] = [];
  for (let i = 1; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) {
      const p = text.charCodeAt(i - 1);
      if (p >= 0xd800 && p <= 0xdbff) extra.push(i);
    }
  }
  if (extra.length === 0) return (offset) => offset;
  return (offset) => {
    // how many second halves lie before offset
    let lo = 0;
    let hi = extra.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (extra[mid]! < offset) lo = mid + 1;
      else hi = mid;
    }
    return offset - lo;
  };
}

/** A number as xsd:decimal (no exponent); null when it is not finite. */
export function decimalString(value: number): string | null {
  if (!Number.isFinite(value)) return null;
  const s = String(value);
  if (!/e/i.test(s)) return s;
  // shift the shortest round-trip digits by the exponent, e.g. 1.5e-7 → 0.00000015
  const [mantissa, exp] = s.toLowerCase().split('e') as [string, string];
  const negative = mantissa.startsWith('-');
  const [whole, fraction = ''] = mantissa.replace('-', '').split('.') as [string, string?];
  const digits = whole + fraction;
  const point = whole.length + Number(exp);
  const body =
    point <= 0 ? `0.${'0'.repeat(-point)}${digits}` : point >= digits.length ? digits + '0'.repeat(point - digits.length) : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return (negative ? '-' : '') + body;
}

const byOrder = <T extends { order: number }>(items: readonly T[]): T[] =>
  items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => a.item.order - b.item.order || a.index - b.index)
    .map((x) => x.item);

/** Appends to a map of lists (in place: studies have tens of thousands of segments). */
function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const VARIABLE_TYPES: Record<AttributeDef['type'], string> = { text: 'Text', number: 'Float', boolean: 'Boolean', date: 'Date', category: 'Text' };

/** The VariableValue's value element, or null when the value cannot be written as the variable's type. */
function variableValue(def: AttributeDef, value: AttributeValue): string | null {
  if (value === null) return null;
  switch (def.type) {
    case 'number': {
      const n = typeof value === 'number' ? decimalString(value) : null;
      return n === null ? null : `<FloatValue>${n}</FloatValue>`;
    }
    case 'boolean':
      return typeof value === 'boolean' ? `<BooleanValue>${value}</BooleanValue>` : null;
    case 'date':
      return typeof value === 'string' && DATE.test(value) ? `<DateValue>${value}</DateValue>` : null;
    default:
      return `<TextValue>${escapeXml(String(value), false)}</TextValue>`;
  }
}

/** The study as project.qde and its source texts; see the module comment for what goes where. */
export function studyToQde(records: StudyRecords, options: QdeExportOptions): QdeExport {
  const omitted: string[] = [];
  const lines: string[] = [];
  const out = (depth: number, line: string) => lines.push('  '.repeat(depth) + line);

  const coderIds = new Set(records.coders.map((c) => c.id));
  const user = (id: Guid | null): string | null => (id !== null && coderIds.has(id) ? id : null);
  const caseIds = new Set(records.cases.map((c) => c.id));
  const stageNames = new Map(records.stages.map((s) => [s.id, s.name]));

  // Memos: a NoteRef from the target where the schema has one, else a Link to a case.
  const documentIds = new Set(records.documents.map((d) => d.id));
  const textById = new Map(records.texts.map((t) => [t.id, t.text]));
  const codeIds = new Set(records.codes.map((c) => c.id));
  const codesInOrder = byOrder(records.codes);

  // Segments that can be written: their document exists and they lie inside its text.
  const segmentsByDocument = new Map<Guid, Segment[]>();
  let outside = 0;
  for (const segment of records.segments) {
    const text = textById.get(segment.documentId);
    if (!documentIds.has(segment.documentId) || text === undefined || !(segment.start >= 0 && segment.start <= segment.end && segment.end <= text.length)) {
      outside += 1;
      continue;
    }
    push(segmentsByDocument, segment.documentId, segment);
  }
  const writtenSegments = new Set([...segmentsByDocument.values()].flat().map((s) => s.id));
  if (outside > 0) omitted.push(`${plural(outside, 'segment lies', 'segments lie')} outside the text of its document (or the document is missing): left out with its codings.`);

  const codingsBySegment = new Map<Guid, Coding[]>();
  let badCodings = 0;
  for (const coding of records.codings) {
    if (!codeIds.has(coding.codeId)) {
      if (writtenSegments.has(coding.segmentId)) badCodings += 1;
      continue;
    }
    push(codingsBySegment, coding.segmentId, coding);
  }
  if (badCodings > 0) omitted.push(`${plural(badCodings, 'coding points', 'codings point')} at a code the study does not have: left out.`);

  const noteRefs = new Map<Guid, Guid[]>(); // target id → memo ids
  const memoLinks: { memo: Memo; caseId: Guid; name: string }[] = [];
  let unattached = 0;
  const overrides = new Map(records.overrides.map((o) => [o.id, o]));
  for (const memo of records.memos) {
    let target: Guid | null = null;
    switch (memo.targetType) {
      case 'study':
        target = records.study.id;
        break;
      case 'document':
        target = documentIds.has(memo.targetId) ? memo.targetId : null;
        break;
      case 'segment':
        target = writtenSegments.has(memo.targetId) ? memo.targetId : null;
        break;
      case 'code':
        target = codeIds.has(memo.targetId) ? memo.targetId : null;
        break;
      case 'case':
        if (caseIds.has(memo.targetId)) memoLinks.push({ memo, caseId: memo.targetId, name: 'Memo' });
        else unattached += 1;
        continue;
      case 'position': {
        const override = overrides.get(memo.targetId);
        if (override && caseIds.has(override.caseId)) {
          const stage = stageNames.get(override.stageId) ?? 'unknown stage';
          memoLinks.push({ memo, caseId: override.caseId, name: `Position override: ${decimalString(override.value) ?? override.value} in ${stage}` });
        } else unattached += 1;
        continue;
      }
    }
    if (target === null) unattached += 1;
    else push(noteRefs, target, memo.id);
  }
  if (unattached > 0) omitted.push(`${plural(unattached, 'memo is', 'memos are')} about something the project does not carry: written as ${unattached === 1 ? 'a note' : 'notes'} without a reference.`);
  const writeNoteRefs = (depth: number, target: Guid) => {
    for (const id of noteRefs.get(target) ?? []) out(depth, `<NoteRef${attr('targetGUID', id)}/>`);
  };

  // Project
  const study = records.study;
  out(0, '<?xml version="1.0" encoding="UTF-8"?>');
  out(0, `<?${POSITIONS_PI} positions="${options.positions}"?>`);
  out(
    0,
    `<Project xmlns="${QDE_NAMESPACE}"${attr('name', study.name)}${attr('origin', options.origin)}${attr('creatingUserGUID', user(study.createdBy))}${attr('creationDateTime', dateTime(study.createdAt))}${attr('modifiedDateTime', dateTime(study.modifiedAt))}>`,
  );

  // Users
  if (records.coders.length > 0) {
    out(1, '<Users>');
    for (const coder of records.coders) out(2, `<User${attr('guid', coder.id)}${attr('name', coder.name)}/>`);
    out(1, '</Users>');
  }

  // CodeBook
  if (records.codes.length > 0) {
    const children = new Map<Guid | null, Code[]>();
    for (const code of codesInOrder) {
      const parent = code.parentId !== null && codeIds.has(code.parentId) && code.parentId !== code.id ? code.parentId : null;
      push(children, parent, code);
    }
    const written = new Set<Guid>();
    const writeCode = (code: Code, depth: number): void => {
      if (written.has(code.id)) return;
      written.add(code.id);
      out(depth, `<Code${attr('guid', code.id)}${attr('name', code.name)} isCodable="true"${attr('color', RGB.test(code.color) ? code.color : null)}>`);
      const description = encodeDescription({
        shortDefinition: code.shortDefinition,
        definition: code.definition,
        useWhen: code.useWhen,
        doNotUseWhen: code.doNotUseWhen,
        examples: code.examples,
        kind: code.kind,
        mode: code.mode,
        status: code.status,
        stage: code.stageId === null ? null : (stageNames.get(code.stageId) ?? null),
      });
      out(depth + 1, `<Description>${escapeXml(description, false)}</Description>`);
      writeNoteRefs(depth + 1, code.id);
      for (const child of children.get(code.id) ?? []) writeCode(child, depth + 1);
      out(depth, '</Code>');
    };
    out(1, '<CodeBook>');
    out(2, '<Codes>');
    for (const code of children.get(null) ?? []) writeCode(code, 3);
    for (const code of codesInOrder) writeCode(code, 3); // codes caught in a cycle of parents
    out(2, '</Codes>');
    out(1, '</CodeBook>');
  }

  // Variables
  const attributes = byOrder(records.attributes);
  if (attributes.length > 0) {
    out(1, '<Variables>');
    for (const def of attributes) {
      out(2, `<Variable${attr('guid', def.id)}${attr('name', def.name)}${attr('typeOfVariable', VARIABLE_TYPES[def.type])}>`);
      const description = def.type === 'category' ? `Category with the values: ${def.values.join('; ')}` : '';
      if (description !== '') out(3, `<Description>${escapeXml(description, false)}</Description>`);
      out(2, '</Variable>');
    }
    out(1, '</Variables>');
  }

  // Cases
  let badValues = 0;
  const documentsByCase = new Map<Guid, typeof records.documents>();
  for (const d of records.documents) if (d.caseId !== null) push(documentsByCase, d.caseId, d);
  if (records.cases.length > 0) {
    out(1, '<Cases>');
    for (const c of records.cases) {
      out(2, `<Case${attr('guid', c.id)}${attr('name', c.name)}>`);
      if (c.description !== '') out(3, `<Description>${escapeXml(c.description, false)}</Description>`);
      for (const def of attributes) {
        if (!Object.hasOwn(c.attributes, def.id)) continue;
        const raw = c.attributes[def.id] ?? null;
        const value = variableValue(def, raw);
        if (value === null) {
          if (raw !== null) badValues += 1;
          continue;
        }
        out(3, '<VariableValue>');
        out(4, `<VariableRef${attr('targetGUID', def.id)}/>`);
        out(4, value);
        out(3, '</VariableValue>');
      }
      for (const d of documentsByCase.get(c.id) ?? []) out(3, `<SourceRef${attr('targetGUID', d.id)}/>`);
      out(2, '</Case>');
    }
    out(1, '</Cases>');
  }
  if (badValues > 0) omitted.push(`${plural(badValues, 'attribute value does', 'attribute values do')} not fit the attribute's type (e.g. a date that is not yyyy-mm-dd): left out.`);

  // Sources
  const sources: QdeSourceFile[] = [];
  if (records.documents.length > 0) {
    out(1, '<Sources>');
    for (const doc of records.documents) {
      const text = textById.get(doc.id);
      if (text === undefined) omitted.push(`The document “${doc.title}” has no text: written as an empty source.`);
      // A lone surrogate cannot be written in UTF-8: U+FFFD takes its place (same length, same positions).
      sources.push({ path: `sources/${doc.id}.txt`, text: (text ?? '').replace(LONE_SURROGATE, '\uFFFD') });
      out(
        2,
        `<TextSource${attr('guid', doc.id)}${attr('name', doc.title)}${attr('plainTextPath', `internal://${doc.id}.txt`)}${attr('creatingUser', user(doc.createdBy))}${attr('creationDateTime', dateTime(doc.createdAt))}${attr('modifiedDateTime', dateTime(doc.modifiedAt))}>`,
      );
      const toPosition = options.positions === 'utf16' || text === undefined ? (o: number) => o : codePointCounter(text);
      const segments = [...(segmentsByDocument.get(doc.id) ?? [])].sort((a, b) => a.start - b.start || a.end - b.end || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      for (const segment of segments) {
        out(
          3,
          `<PlainTextSelection${attr('guid', segment.id)}${attr('startPosition', String(toPosition(segment.start)))}${attr('endPosition', String(toPosition(segment.end)))}${attr('creatingUser', user(segment.createdBy))}${attr('creationDateTime', dateTime(segment.createdAt))}${attr('modifiedDateTime', dateTime(segment.modifiedAt))}>`,
        );
        const codings = [...(codingsBySegment.get(segment.id) ?? [])].sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
        for (const coding of codings) {
          out(4, `<Coding${attr('guid', coding.id)}${attr('creatingUser', user(coding.coderId))}${attr('creationDateTime', dateTime(coding.createdAt))}>`);
          out(5, `<CodeRef${attr('targetGUID', coding.codeId)}/>`);
          out(4, '</Coding>');
        }
        writeNoteRefs(4, segment.id);
        out(3, '</PlainTextSelection>');
      }
      writeNoteRefs(3, doc.id);
      out(2, '</TextSource>');
    }
    out(1, '</Sources>');
  }

  // Notes
  if (records.memos.length > 0) {
    out(1, '<Notes>');
    for (const memo of records.memos) {
      out(
        2,
        `<Note${attr('guid', memo.id)}${attr('name', memo.title)}${attr('creatingUser', user(memo.createdBy))}${attr('creationDateTime', dateTime(memo.createdAt))}${attr('modifiedDateTime', dateTime(memo.modifiedAt))}>`,
      );
      out(3, `<PlainTextContent>${escapeXml(memo.text, false)}</PlainTextContent>`);
      out(2, '</Note>');
    }
    out(1, '</Notes>');
  }

  // Links: memos about cases, and ties between actors that stand for cases
  const actorCase = new Map(records.actors.map((a) => [a.id, a.caseId !== null && caseIds.has(a.caseId) ? a.caseId : null]));
  const links: string[] = [];
  for (const { memo, caseId, name } of memoLinks) links.push(`<Link${attr('guid', linkGuid(memo.id))}${attr('name', name)} direction="OneWay"${attr('originGUID', memo.id)}${attr('targetGUID', caseId)}/>`);
  let tiesOut = 0;
  let tiesIn = 0;
  for (const tie of records.ties) {
    const from = actorCase.get(tie.fromId) ?? null;
    const to = actorCase.get(tie.toId) ?? null;
    if (from === null || to === null) {
      tiesOut += 1;
      continue;
    }
    tiesIn += 1;
    const stage = stageNames.get(tie.stageId);
    links.push(`<Link${attr('guid', tie.id)}${attr('name', stage ? `${tie.type} (${stage})` : tie.type)} direction="OneWay"${attr('originGUID', from)}${attr('targetGUID', to)}/>`);
  }
  if (links.length > 0) {
    out(1, '<Links>');
    for (const link of links) out(2, link);
    out(1, '</Links>');
  }
  if (tiesOut > 0) omitted.push(`${plural(tiesOut, 'tie involves', 'ties involve')} an actor that is not a case of the study: left out (a REFI-QDA link must point at an object of the project).`);
  if (tiesIn > 0 && records.ties.some((t) => t.description !== '' || t.evidenceSegmentIds.length > 0))
    omitted.push('Tie descriptions and evidence segments are not written (a link carries only a name and a direction).');
  const caselessActors = records.actors.filter((a) => actorCase.get(a.id) === null).length;
  if (caselessActors > 0) omitted.push(`${plural(caselessActors, 'actor that is', 'actors that are')} not a case of the study: left out.`);

  // Sets: one per stage, with its codes
  const stages = byOrder(records.stages);
  if (stages.length > 0) {
    out(1, '<Sets>');
    for (const stage of stages) {
      out(2, `<Set${attr('guid', stage.id)}${attr('name', stage.name)}>`);
      if (stage.description !== '') out(3, `<Description>${escapeXml(stage.description, false)}</Description>`);
      for (const code of codesInOrder) if (code.stageId === stage.id) out(3, `<MemberCode${attr('targetGUID', code.id)}/>`);
      out(2, '</Set>');
    }
    out(1, '</Sets>');
  }

  if (study.description !== '') out(1, `<Description>${escapeXml(study.description, false)}</Description>`);
  writeNoteRefs(1, study.id);
  out(0, '</Project>');
  lines.push('');

  if (records.participants.length > 0) omitted.push(`${plural(records.participants.length, 'participant is', 'participants are')} not written (REFI-QDA projects have no participants).`);
  if (records.cases.length > 0) omitted.push('The cases’ openness profiles are not written (they are not case attributes).');
  if (records.overrides.length > 0) omitted.push(`${plural(records.overrides.length, 'position override is', 'position overrides are')} written only as ${records.overrides.length === 1 ? 'its' : 'their'} justification note, linked to the case, with the value in the link’s name.`);
  if (records.codes.some((c) => c.history.length > 0)) omitted.push('Codes’ change histories are not written.');

  return { xml: lines.join('\n'), sources, omitted };
}

/**
 * The GUID of the link that ties a memo to its case: derived from the memo's GUID, so it is
 * the same in every export and differs from the note's own GUID (a project's GUIDs must be unique).
 */
export function linkGuid(memoId: Guid): Guid {
  return seededGuid(`refi-link:${memoId.toLowerCase()}`);
}

/** A GUID derived from a seed (four seeded FNV-1a hashes): the same seed always gives the same GUID. */
export function seededGuid(seed: string): Guid {
  const bytes = new Uint8Array(16);
  for (let k = 0; k < 4; k += 1) {
    let h = (0x811c9dc5 ^ (k * 0x9e3779b9)) >>> 0;
    for (const ch of seed) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    bytes[k * 4] = h >>> 24;
    bytes[k * 4 + 1] = (h >>> 16) & 0xff;
    bytes[k * 4 + 2] = (h >>> 8) & 0xff;
    bytes[k * 4 + 3] = h & 0xff;
  }
  return guidFromBytes(bytes);
}
