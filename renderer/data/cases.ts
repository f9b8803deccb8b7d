/**
 * Changes to the cases workspace: cases, their attribute values and openness profiles, the
 * attribute definitions, and participants. Each is one undoable change (`commitChange`: one
 * transaction, exact inverse); the rules that decide whether a change is allowed read the
 * records inside that transaction, so a refusal always describes the data as it is.
 */
import { summariseStageKind, type StageKindCell } from '../../shared/analysis/stage-kind-summary.ts';
import { checkAttributeValue, formatAttributeValue, isNoValue, isRealDate, parseAttributeValue } from '../../shared/cases/attribute-values.ts';
import { newGuid } from '../../shared/model/ids.ts';
import {
  OPENNESS_COMPONENTS,
  OPENNESS_LABELS,
  type AttributeDef,
  type AttributeType,
  type AttributeValue,
  type Case,
  type Document,
  type Guid,
  type IsoDate,
  type Memo,
  type OpennessComponent,
  type OpennessLevel,
  type Participant,
  unknownOpenness,
} from '../../shared/model/types.ts';
import type { CartographyDb } from './db.ts';
import { ChangeRefused, commitChange, emptyPatch, type Patch } from './history.ts';
import { byName } from './studies.ts';

const quoted = (s: string) => `“${s}”`;
const clean = (s: string) => s.replace(/\s+/g, ' ').trim();
const sameName = (a: string, b: string) => a.toLocaleLowerCase() === b.toLocaleLowerCase();
const now = () => new Date().toISOString();
const listNames = (names: string[], max = 5) => (names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

async function getCase(db: CartographyDb, studyId: Guid, caseId: Guid): Promise<Case> {
  const found = await db.cases.get(caseId);
  if (!found || found.studyId !== studyId) throw new ChangeRefused('That case no longer exists.');
  return found;
}

async function getAttribute(db: CartographyDb, studyId: Guid, attributeId: Guid): Promise<AttributeDef> {
  const found = await db.attributes.get(attributeId);
  if (!found || found.studyId !== studyId) throw new ChangeRefused('That attribute no longer exists.');
  return found;
}

const studyCases = (db: CartographyDb, studyId: Guid) => db.cases.where('studyId').equals(studyId).toArray();
const studyAttributes = (db: CartographyDb, studyId: Guid) => db.attributes.where('studyId').equals(studyId).sortBy('order');

// ─── Cases ────────────────────────────────────────────────────────────────────────────

/** Sets (or, with null or "", clears) one attribute value of a case, checked against the attribute's type. No value is stored as an absent key. */
export async function setCaseAttribute(db: CartographyDb, studyId: Guid, caseId: Guid, attributeId: Guid, value: AttributeValue) {
  let label = 'Set attribute value';
  const change = await commitChange(db, studyId, label, async () => {
    const kase = await getCase(db, studyId, caseId);
    const def = await getAttribute(db, studyId, attributeId);
    label = isNoValue(value) ? `Clear ${def.name} of ${kase.name}` : `Set ${def.name} of ${kase.name}`;
    if (!isNoValue(value)) {
      const problem = checkAttributeValue(def, value);
      if (problem) throw new ChangeRefused(`The value ${problem}.`);
    }
    if (isNoValue(value) ? isNoValue(kase.attributes[attributeId]) : kase.attributes[attributeId] === value) throw new ChangeRefused('Nothing to change.');
    const { [attributeId]: _old, ...rest } = kase.attributes;
    const attributes = isNoValue(value) ? rest : { ...rest, [attributeId]: value };
    return { put: { cases: [{ ...kase, attributes, modifiedAt: now() }] }, remove: {} };
  });
  change.label = label;
  return { change };
}

/** Renames a case and/or changes its description. Names are unique in a study, whatever their case. */
export async function updateCase(db: CartographyDb, studyId: Guid, caseId: Guid, fields: { name?: string; description?: string }) {
  let label = 'Edit case';
  const change = await commitChange(db, studyId, label, async () => {
    const kase = await getCase(db, studyId, caseId);
    const name = fields.name === undefined ? kase.name : clean(fields.name);
    const description = fields.description === undefined ? kase.description : fields.description.trim();
    if (name === '') throw new ChangeRefused('A case needs a name.');
    const others = (await studyCases(db, studyId)).filter((c) => c.id !== caseId);
    if (others.some((c) => sameName(c.name, name))) throw new ChangeRefused(`A case named ${quoted(name)} already exists. Choose another name.`);
    if (name === kase.name && description === kase.description) throw new ChangeRefused('Nothing to change.');
    label = name !== kase.name ? `Rename case ${quoted(kase.name)} to ${quoted(name)}` : `Edit description of ${quoted(name)}`;
    return { put: { cases: [{ ...kase, name, description, modifiedAt: now() }] }, remove: {} };
  });
  change.label = label;
  return { change };
}

/** A new case with no attribute values and an openness profile of unknowns. */
export async function addCase(db: CartographyDb, studyId: Guid, name: string, coderId: Guid | null) {
  const trimmed = clean(name);
  const id = newGuid();
  const change = await commitChange(db, studyId, `Add case ${quoted(trimmed)}`, async () => {
    if (trimmed === '') throw new ChangeRefused('A case needs a name.');
    if ((await studyCases(db, studyId)).some((c) => sameName(c.name, trimmed))) throw new ChangeRefused(`A case named ${quoted(trimmed)} already exists. Choose another name.`);
    const at = now();
    const kase: Case = { id, studyId, createdAt: at, modifiedAt: at, createdBy: coderId, name: trimmed, description: '', attributes: {}, openness: unknownOpenness() };
    return { put: { cases: [kase] }, remove: {} };
  });
  return { change, caseId: id };
}

/** What deleting a case touches, for the confirmation (the same rules as `deleteCase`). */
export interface CaseFootprint {
  /** Transcripts and participants that stay, without a case. */
  documents: number;
  participants: number;
  /** Actors of the network that stood for the case: they stay, without a case. */
  actors: number;
  /** Memos about the case, deleted with it. */
  memos: number;
  /** The researcher's positions of the case on the maps, deleted with their justification memos. */
  overrides: number;
}

async function caseDependants(db: CartographyDb, studyId: Guid, caseId: Guid) {
  const [documents, participants, actors, memoIds, overrides] = await Promise.all([
    db.documents.where('caseId').equals(caseId).toArray(),
    db.participants.where('caseId').equals(caseId).toArray(),
    db.actors.where('studyId').equals(studyId).filter((a) => a.caseId === caseId).toArray(),
    db.memos.where('[targetType+targetId]').equals(['case', caseId]).primaryKeys(),
    db.overrides.where('studyId').equals(studyId).filter((o) => o.caseId === caseId).toArray(),
  ]);
  return { documents, participants, actors, memoIds, overrides };
}

export async function caseFootprint(db: CartographyDb, studyId: Guid, caseId: Guid): Promise<CaseFootprint> {
  const d = await caseDependants(db, studyId, caseId);
  return { documents: d.documents.length, participants: d.participants.length, actors: d.actors.length, memos: d.memoIds.length, overrides: d.overrides.length };
}

/**
 * Deletes a case. Its transcripts, participants and network actors stay, unlinked (their
 * interviews are still data); its memos and position overrides (with their justification
 * memos) go, since they are about this case alone.
 */
export async function deleteCase(db: CartographyDb, studyId: Guid, caseId: Guid) {
  let label = 'Delete case';
  const change = await commitChange(db, studyId, label, async () => {
    const kase = await getCase(db, studyId, caseId);
    label = `Delete case ${quoted(kase.name)}`;
    const d = await caseDependants(db, studyId, caseId);
    const at = now();
    const patch = emptyPatch();
    patch.remove.cases = [caseId];
    if (d.documents.length > 0) patch.put.documents = d.documents.map((x) => ({ ...x, caseId: null, modifiedAt: at }));
    if (d.participants.length > 0) patch.put.participants = d.participants.map((x) => ({ ...x, caseId: null, modifiedAt: at }));
    if (d.actors.length > 0) patch.put.actors = d.actors.map((x) => ({ ...x, caseId: null, modifiedAt: at }));
    const memoIds = [...d.memoIds, ...d.overrides.map((o) => o.memoId)];
    if (memoIds.length > 0) patch.remove.memos = [...new Set(memoIds)];
    if (d.overrides.length > 0) patch.remove.overrides = d.overrides.map((o) => o.id);
    return patch;
  });
  change.label = label;
  return { change };
}

/** Sets one component of a case's openness profile. */
export async function setOpenness(db: CartographyDb, studyId: Guid, caseId: Guid, component: OpennessComponent, level: OpennessLevel) {
  let label = 'Change openness';
  const change = await commitChange(db, studyId, label, async () => {
    const kase = await getCase(db, studyId, caseId);
    if (!(OPENNESS_COMPONENTS as readonly string[]).includes(component)) throw new ChangeRefused(`${quoted(component)} is not an openness component.`);
    if (kase.openness[component] === level) throw new ChangeRefused('Nothing to change.');
    label = `Set ${OPENNESS_LABELS[component].toLowerCase()} of ${kase.name} to ${level === 'partial' ? 'partly open' : level}`;
    return { put: { cases: [{ ...kase, openness: { ...kase.openness, [component]: level }, modifiedAt: now() }] }, remove: {} };
  });
  change.label = label;
  return { change };
}

// ─── Attributes ───────────────────────────────────────────────────────────────────────

/** Category values: trimmed, none empty, no two the same (ignoring case). Returns the cleaned list. */
function checkCategoryValues(name: string, values: readonly string[]): string[] {
  const cleaned = values.map(clean);
  if (cleaned.length === 0) throw new ChangeRefused(`The category attribute ${quoted(name)} needs at least one value.`);
  if (cleaned.some((v) => v === '')) throw new ChangeRefused(`A value of ${quoted(name)} is empty. Give every value a name, or remove it.`);
  const seen = new Set<string>();
  for (const v of cleaned) {
    const key = v.toLocaleLowerCase();
    if (seen.has(key)) throw new ChangeRefused(`${quoted(v)} is listed twice among the values of ${quoted(name)}.`);
    seen.add(key);
  }
  return cleaned;
}

function checkAttributeName(name: string, attributes: readonly AttributeDef[], exceptId: Guid | null): string {
  const trimmed = clean(name);
  if (trimmed === '') throw new ChangeRefused('An attribute needs a name.');
  if (attributes.some((a) => a.id !== exceptId && sameName(a.name, trimmed))) throw new ChangeRefused(`An attribute named ${quoted(trimmed)} already exists. Choose another name.`);
  return trimmed;
}

export interface NewAttribute {
  name: string;
  type: AttributeType;
  /** Category values, in display order (ignored for other types). */
  values?: readonly string[];
}

/** Adds an attribute after the existing ones; no case has a value yet. */
export async function addAttribute(db: CartographyDb, studyId: Guid, fields: NewAttribute, coderId: Guid | null) {
  const id = newGuid();
  const change = await commitChange(db, studyId, `Add attribute ${quoted(clean(fields.name))}`, async () => {
    const attributes = await studyAttributes(db, studyId);
    const name = checkAttributeName(fields.name, attributes, null);
    const values = fields.type === 'category' ? checkCategoryValues(name, fields.values ?? []) : [];
    const at = now();
    const order = attributes.reduce((max, a) => Math.max(max, a.order), -1) + 1;
    const def: AttributeDef = { id, studyId, createdAt: at, modifiedAt: at, createdBy: coderId, name, type: fields.type, values, order };
    return { put: { attributes: [def] }, remove: {} };
  });
  return { change, attributeId: id };
}

export async function renameAttribute(db: CartographyDb, studyId: Guid, attributeId: Guid, name: string) {
  let label = 'Rename attribute';
  const change = await commitChange(db, studyId, label, async () => {
    const def = await getAttribute(db, studyId, attributeId);
    const trimmed = checkAttributeName(name, await studyAttributes(db, studyId), attributeId);
    if (trimmed === def.name) throw new ChangeRefused('Nothing to change.');
    label = `Rename attribute ${quoted(def.name)} to ${quoted(trimmed)}`;
    return { put: { attributes: [{ ...def, name: trimmed, modifiedAt: now() }] }, remove: {} };
  });
  change.label = label;
  return { change };
}

/** Moves an attribute to a position (0 = first column); the others keep their relative order. */
export async function moveAttribute(db: CartographyDb, studyId: Guid, attributeId: Guid, toIndex: number) {
  let label = 'Move attribute';
  const change = await commitChange(db, studyId, label, async () => {
    const def = await getAttribute(db, studyId, attributeId);
    const ordered = await studyAttributes(db, studyId);
    const from = ordered.findIndex((a) => a.id === attributeId);
    const to = Math.max(0, Math.min(ordered.length - 1, Math.trunc(toIndex)));
    if (from === to) throw new ChangeRefused('Nothing to change.');
    label = `Move attribute ${quoted(def.name)}`;
    const next = ordered.filter((a) => a.id !== attributeId);
    next.splice(to, 0, def);
    const at = now();
    return { put: { attributes: next.flatMap((a, i) => (a.order === i ? [] : [{ ...a, order: i, modifiedAt: at }])) }, remove: {} };
  });
  change.label = label;
  return { change };
}

/** How many cases have a value of an attribute, for the delete confirmation. */
export async function attributeUsage(db: CartographyDb, studyId: Guid, attributeId: Guid): Promise<number> {
  return db.cases
    .where('studyId')
    .equals(studyId)
    .filter((c) => !isNoValue(c.attributes[attributeId]))
    .count();
}

/** Deletes an attribute and every case's value of it (undo puts both back). */
export async function deleteAttribute(db: CartographyDb, studyId: Guid, attributeId: Guid) {
  let label = 'Delete attribute';
  const change = await commitChange(db, studyId, label, async () => {
    const def = await getAttribute(db, studyId, attributeId);
    label = `Delete attribute ${quoted(def.name)}`;
    const at = now();
    const cases = (await studyCases(db, studyId))
      .filter((c) => attributeId in c.attributes)
      .map((c) => {
        const { [attributeId]: _gone, ...attributes } = c.attributes;
        return { ...c, attributes, modifiedAt: at };
      });
    const patch: Patch = { put: {}, remove: { attributes: [attributeId] } };
    if (cases.length > 0) patch.put.cases = cases;
    return patch;
  });
  change.label = label;
  return { change };
}

const TYPE_NAMES: Record<AttributeType, string> = { text: 'a text', number: 'a number', boolean: 'a yes/no', date: 'a date', category: 'a category' };

/**
 * An attribute retyped, with every case's value converted: each value is written as text and
 * read back under the new type. Refused (with the cases named) when any value does not
 * convert. For a category, `values` are its allowed values; without them, the values in use
 * (sorted). Pure, so the dialog can say the same before anything is written.
 */
export function convertAttributeType(
  def: AttributeDef,
  cases: readonly Case[],
  type: AttributeType,
  values: readonly string[] | undefined,
  at: IsoDate,
): { ok: true; def: AttributeDef; cases: Case[] } | { ok: false; message: string } {
  const used = cases.filter((c) => !isNoValue(c.attributes[def.id]));
  const texts = new Map(used.map((c) => [c.id, formatAttributeValue(def, c.attributes[def.id]!)]));
  let nextValues: string[] = [];
  if (type === 'category') {
    const inUse = [...new Set(texts.values())].sort((a, b) => a.localeCompare(b));
    try {
      nextValues = checkCategoryValues(def.name, values ?? (def.type === 'category' ? def.values : inUse));
    } catch (error) {
      return { ok: false, message: (error as Error).message };
    }
  }
  if (type === def.type && (type !== 'category' || nextValues.join('\n') === def.values.join('\n'))) return { ok: false, message: 'Nothing to change.' };
  const next: AttributeDef = { ...def, type, values: nextValues, modifiedAt: at };
  const failures: string[] = [];
  const converted: Case[] = [];
  for (const c of used) {
    const parsed = parseAttributeValue(next, texts.get(c.id)!);
    if (!parsed.ok) failures.push(`${c.name} (${quoted(texts.get(c.id)!)})`);
    else if (parsed.value !== c.attributes[def.id]) converted.push({ ...c, attributes: { ...c.attributes, [def.id]: parsed.value }, modifiedAt: at });
  }
  if (failures.length > 0) {
    return {
      ok: false,
      message: `${quoted(def.name)} cannot become ${TYPE_NAMES[type]} attribute: the value of ${plural(failures.length, 'case')} does not convert: ${listNames(failures)}. Change or clear those values first.`,
    };
  }
  return { ok: true, def: next, cases: converted };
}

/** Changes an attribute's type, converting every case's value (see `convertAttributeType`). */
export async function changeAttributeType(db: CartographyDb, studyId: Guid, attributeId: Guid, type: AttributeType, values?: readonly string[]) {
  let label = 'Change attribute type';
  const change = await commitChange(db, studyId, label, async () => {
    const def = await getAttribute(db, studyId, attributeId);
    const result = convertAttributeType(def, await studyCases(db, studyId), type, values, now());
    if (!result.ok) throw new ChangeRefused(result.message);
    label = `Change type of ${quoted(def.name)} to ${type}`;
    const patch: Patch = { put: { attributes: [result.def] }, remove: {} };
    if (result.cases.length > 0) patch.put.cases = result.cases;
    return patch;
  });
  change.label = label;
  return { change };
}

/** One value of a category after an edit: its text, and the value it was (null for a new one). */
export interface CategoryValueEdit {
  value: string;
  was: string | null;
}

/**
 * Sets a category's values in their new order. A value renamed here is renamed in every case
 * that has it; a value left out is removed, which is refused while cases still use it.
 */
export async function editCategoryValues(db: CartographyDb, studyId: Guid, attributeId: Guid, edits: readonly CategoryValueEdit[]) {
  let label = 'Edit category values';
  const change = await commitChange(db, studyId, label, async () => {
    const def = await getAttribute(db, studyId, attributeId);
    if (def.type !== 'category') throw new ChangeRefused(`${quoted(def.name)} is not a category attribute, so it has no list of values.`);
    const values = checkCategoryValues(def.name, edits.map((e) => e.value));
    const renamed = new Map<string, string>();
    edits.forEach((e, i) => {
      if (e.was !== null && def.values.includes(e.was)) renamed.set(e.was, values[i]!);
    });
    const cases = await studyCases(db, studyId);
    const orphans = new Map<string, string[]>();
    const at = now();
    const changed: Case[] = [];
    for (const c of cases) {
      const v = c.attributes[attributeId];
      if (typeof v !== 'string' || v === '') continue;
      const to = renamed.get(v);
      if (to === undefined) {
        if (!values.includes(v)) orphans.set(v, [...(orphans.get(v) ?? []), c.name]);
      } else if (to !== v) changed.push({ ...c, attributes: { ...c.attributes, [attributeId]: to }, modifiedAt: at });
    }
    if (orphans.size > 0) {
      const lines = [...orphans].map(([v, names]) => `${quoted(v)} is the value of ${listNames(names)}`);
      throw new ChangeRefused(`${lines.join('; ')}. Give those cases another value first, or rename the value instead of removing it.`);
    }
    if (values.join('\n') === def.values.join('\n')) throw new ChangeRefused('Nothing to change.');
    label = `Edit values of ${quoted(def.name)}`;
    const edited: AttributeDef = { ...def, values, modifiedAt: at };
    const patch: Patch = { put: { attributes: [edited] }, remove: {} };
    if (changed.length > 0) patch.put.cases = changed;
    return patch;
  });
  change.label = label;
  return { change };
}

// ─── Participants ─────────────────────────────────────────────────────────────────────

export type ParticipantFields = Pick<Participant, 'pseudonym' | 'role' | 'organisation' | 'caseId' | 'interviewDate'>;

async function checkParticipant(db: CartographyDb, studyId: Guid, fields: ParticipantFields, exceptId: Guid | null): Promise<ParticipantFields> {
  const pseudonym = clean(fields.pseudonym);
  if (pseudonym === '') throw new ChangeRefused('A participant needs a pseudonym.');
  const others = await db.participants.where('studyId').equals(studyId).toArray();
  if (others.some((p) => p.id !== exceptId && sameName(p.pseudonym, pseudonym))) throw new ChangeRefused(`A participant with the pseudonym ${quoted(pseudonym)} already exists. Pseudonyms must tell participants apart.`);
  const interviewDate = fields.interviewDate.trim();
  if (interviewDate !== '' && !isRealDate(interviewDate)) throw new ChangeRefused(`The interview date ${quoted(interviewDate)} is not a date written yyyy-mm-dd (for example 2025-03-06). Leave it empty when unknown.`);
  if (fields.caseId !== null) await getCase(db, studyId, fields.caseId);
  return { pseudonym, role: clean(fields.role), organisation: clean(fields.organisation), caseId: fields.caseId, interviewDate };
}

export async function addParticipant(db: CartographyDb, studyId: Guid, fields: ParticipantFields, coderId: Guid | null) {
  const id = newGuid();
  const change = await commitChange(db, studyId, `Add participant ${quoted(clean(fields.pseudonym))}`, async () => {
    const checked = await checkParticipant(db, studyId, fields, null);
    const at = now();
    return { put: { participants: [{ id, studyId, createdAt: at, modifiedAt: at, createdBy: coderId, ...checked } satisfies Participant] }, remove: {} };
  });
  return { change, participantId: id };
}

export async function updateParticipant(db: CartographyDb, studyId: Guid, participantId: Guid, fields: Partial<ParticipantFields>) {
  let label = 'Edit participant';
  const change = await commitChange(db, studyId, label, async () => {
    const participant = await db.participants.get(participantId);
    if (!participant || participant.studyId !== studyId) throw new ChangeRefused('That participant no longer exists.');
    const checked = await checkParticipant(db, studyId, { ...participant, ...fields }, participantId);
    const keys = ['pseudonym', 'role', 'organisation', 'caseId', 'interviewDate'] as const;
    if (keys.every((k) => checked[k] === participant[k])) throw new ChangeRefused('Nothing to change.');
    label = `Edit participant ${quoted(checked.pseudonym)}`;
    return { put: { participants: [{ ...participant, ...checked, modifiedAt: now() }] }, remove: {} };
  });
  change.label = label;
  return { change };
}

const documentsNaming = (db: CartographyDb, studyId: Guid, participantId: Guid) =>
  db.documents
    .where('studyId')
    .equals(studyId)
    .filter((d) => d.participantIds.includes(participantId));

/** How many transcripts name a participant, for the delete confirmation. */
export async function participantDocumentCount(db: CartographyDb, studyId: Guid, participantId: Guid): Promise<number> {
  return documentsNaming(db, studyId, participantId).count();
}

/** Deletes a participant; the transcripts that named them stay and no longer do. */
export async function deleteParticipant(db: CartographyDb, studyId: Guid, participantId: Guid) {
  let label = 'Delete participant';
  const change = await commitChange(db, studyId, label, async () => {
    const participant = await db.participants.get(participantId);
    if (!participant || participant.studyId !== studyId) throw new ChangeRefused('That participant no longer exists.');
    label = `Delete participant ${quoted(participant.pseudonym)}`;
    const at = now();
    const documents = await documentsNaming(db, studyId, participantId).toArray();
    const patch: Patch = { put: {}, remove: { participants: [participantId] } };
    if (documents.length > 0) patch.put.documents = documents.map((d) => ({ ...d, participantIds: d.participantIds.filter((p) => p !== participantId), modifiedAt: at }));
    return patch;
  });
  change.label = label;
  return { change };
}

// ─── Reading ──────────────────────────────────────────────────────────────────────────

/** A transcript as the cases workspace lists it (no turns, no text). */
export type CaseDocument = Pick<Document, 'id' | 'title' | 'caseId' | 'participantIds' | 'codingCount'>;

/** The participants and transcripts of a study, for the tables' counts and links. */
export async function loadCaseLinks(db: CartographyDb, studyId: Guid): Promise<{ participants: Participant[]; documents: CaseDocument[] }> {
  const [participants, documents] = await Promise.all([
    db.participants.where('studyId').equals(studyId).toArray(),
    db.documents.where('studyId').equals(studyId).toArray(),
  ]);
  participants.sort((a, b) => byName(a.pseudonym, b.pseudonym));
  return {
    participants,
    documents: documents.map(({ id, title, caseId, participantIds, codingCount }) => ({ id, title, caseId, participantIds, codingCount })).sort((a, b) => byName(a.title, b.title)),
  };
}

/** Memos about a case, oldest first. */
export async function loadCaseMemos(db: CartographyDb, caseId: Guid): Promise<Memo[]> {
  return (await db.memos.where('[targetType+targetId]').equals(['case', caseId]).toArray()).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/**
 * The coded segments of one case per lifecycle stage and kind, by the rules of the stage ×
 * kind summary the maps use (a segment counts once per cell). Reads only the case's transcripts.
 */
export async function loadCaseCodingSummary(db: CartographyDb, studyId: Guid, caseId: Guid): Promise<{ cells: Map<Guid, StageKindCell>; segments: number }> {
  const documents = await db.documents.where('caseId').equals(caseId).toArray();
  const codes = await db.codes.where('studyId').equals(studyId).toArray();
  const segments = documents.length === 0 ? [] : await db.segments.where('documentId').anyOf(documents.map((d) => d.id)).toArray();
  const codings = segments.flatMap((s) => s.codings.map((c) => ({ codeId: c.codeId, segmentId: s.id, documentId: s.documentId })));
  const summary = summariseStageKind(codes, codings, documents);
  return { cells: summary.byCase.get(caseId) ?? new Map(), segments: segments.filter((s) => s.codings.length > 0).length };
}
