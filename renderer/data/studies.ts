/**
 * Study-level operations: list, create, open, rename, duplicate, delete, import and
 * export. Every write that touches several records runs in one Dexie transaction, so a
 * failure leaves the database exactly as it was.
 */
import { newGuid } from '../../shared/model/ids.ts';
import { copyCodebook, type CopyContext } from '../../shared/codebook/copy.ts';
import type { Code, Coding, Guid, Stage, Study, StudyRecords } from '../../shared/model/types.ts';
import { StudyFileError, type StudyFileSettings } from '../../shared/study-file/format.ts';
import { readStudyFile, readStudyFileContents } from '../../shared/study-file/read.ts';
import { writeStudyFile } from '../../shared/study-file/write.ts';
import { checkStudyRecords } from '../../shared/model/integrity.ts';
import { STUDY_TABLES, type CartographyDb } from './db.ts';
import { codingsOf, segmentOf, toStoredSegments, type StoredSegment } from './layout.ts';

export const DEFAULT_STAGES = [
  { name: 'Pre-training', description: 'Data, architecture and the training run of the base model.' },
  { name: 'Post-training', description: 'Fine-tuning, alignment and evaluation before release.' },
  { name: 'Post-release', description: 'Distribution, reuse, derivatives, feedback and benchmarks after release.' },
];

export interface StudySummary {
  study: Study;
  cases: number;
  documents: number;
  codes: number;
  codings: number;
}

export class StudyExistsError extends Error {
  constructor(readonly existing: Study) {
    super(`This file holds the study "${existing.name}", which is already open in Cartography. Import it as a copy to keep both.`);
    this.name = 'StudyExistsError';
  }
}

const nowIso = () => new Date().toISOString();
const allTables = (db: CartographyDb) => [db.studies, db.settings, db.segments, ...STUDY_TABLES.map((c) => db.collection(c))];

/** A study's coding count: the sum of its documents' cached counts, one record per document. */
export async function countStudyCodings(db: CartographyDb, studyId: Guid): Promise<number> {
  let total = 0;
  await db.documents.where('studyId').equals(studyId).each((d) => {
    total += d.codingCount;
  });
  return total;
}

/** Every segment of a study, with its codings. */
export async function loadStudySegments(db: CartographyDb, studyId: Guid): Promise<StoredSegment[]> {
  const documentIds = await db.documents.where('studyId').equals(studyId).primaryKeys();
  return documentIds.length === 0 ? [] : db.segments.where('documentId').anyOf(documentIds).toArray();
}

/** Every coding of a study, as plain records. */
export async function loadStudyCodings(db: CartographyDb, studyId: Guid): Promise<Coding[]> {
  return (await loadStudySegments(db, studyId)).flatMap(codingsOf);
}

/** Names in the order a reader expects: case and accents aside, numbers by value. */
const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
export const byName = (a: string, b: string): number => collator.compare(a, b);

export async function listStudies(db: CartographyDb): Promise<StudySummary[]> {
  const studies = (await db.studies.toArray()).sort((a, b) => byName(a.name, b.name));
  return Promise.all(
    studies.map(async (study) => ({
      study,
      cases: await db.cases.where('studyId').equals(study.id).count(),
      documents: await db.documents.where('studyId').equals(study.id).count(),
      codes: await db.codes.where('studyId').equals(study.id).count(),
      codings: await countStudyCodings(db, study.id),
    })),
  );
}

/** Per-study settings are keyed "<name>:<studyId>" (saved matrix views, network positions…). */
export const studySettingKey = (name: string, studyId: Guid): string => `${name}:${studyId}`;
const isStudySettingKey = (key: unknown, studyId: Guid): key is string => typeof key === 'string' && key.endsWith(`:${studyId}`) && key.length > studyId.length + 1;

/** A study's settings by name (the key without ":<studyId>"), as a study file carries them. */
export async function loadStudySettings(db: CartographyDb, studyId: Guid): Promise<StudyFileSettings> {
  const rows = await db.settings.filter((s) => isStudySettingKey(s.key, studyId)).toArray();
  return Object.fromEntries(rows.map((s) => [s.key.slice(0, -(studyId.length + 1)), s.value]));
}

/**
 * Writes every record of a study, and its settings, in one transaction, after checking its
 * integrity. Settings are keyed to the study's id, so a copy's settings are the copy's.
 */
export async function saveStudyRecords(db: CartographyDb, records: StudyRecords, settings: StudyFileSettings = {}): Promise<Guid> {
  const problems = checkStudyRecords(records);
  if (problems.length > 0) throw new StudyFileError(records.study.name, problems);
  await db.transaction('rw', allTables(db), async () => {
    if (await db.studies.get(records.study.id)) throw new StudyExistsError((await db.studies.get(records.study.id))!);
    await db.studies.add(records.study);
    for (const name of STUDY_TABLES) {
      const rows = records[name];
      if (rows.length > 0) await db.collection(name).bulkAdd(rows);
    }
    if (records.segments.length > 0) await db.segments.bulkAdd(toStoredSegments(records.segments, records.codings));
    const settingRows = Object.entries(settings).map(([name, value]) => ({ key: studySettingKey(name, records.study.id), value }));
    if (settingRows.length > 0) await db.settings.bulkPut(settingRows);
  });
  return records.study.id;
}

/** What a new study's codebook starts from. */
export type CodebookStart =
  | { kind: 'empty' }
  /** A template: the stages and codes of a study file (the open LLM collaboration codebook ships as the demo study's). */
  | { kind: 'template'; text: string; fileName: string }
  /** The stages and codes of a study already in Cartography. */
  | { kind: 'copy'; studyId: Guid };

async function startingCodebook(db: CartographyDb, start: CodebookStart, ctx: CopyContext): Promise<{ stages: Stage[]; codes: Code[] }> {
  if (start.kind === 'template') {
    const template = readStudyFile(start.text, start.fileName, { now: ctx.now, newId: newGuid });
    return copyCodebook(template.stages, template.codes, { ...ctx, sourceName: template.study.name });
  }
  if (start.kind === 'copy') {
    const [source, stages, codes] = await Promise.all([db.studies.get(start.studyId), db.stages.where('studyId').equals(start.studyId).toArray(), db.codes.where('studyId').equals(start.studyId).toArray()]);
    if (!source || stages.length === 0) throw new Error('That study no longer exists, or has no lifecycle stages to copy.');
    return copyCodebook(stages, codes, { ...ctx, sourceName: source.name });
  }
  return {
    stages: DEFAULT_STAGES.map((s, order) => ({ id: ctx.newId(), studyId: ctx.studyId, createdAt: ctx.now, modifiedAt: ctx.now, createdBy: ctx.coderId, ...s, order })),
    codes: [],
  };
}

export async function createStudy(db: CartographyDb, name: string, coderName: string, start: CodebookStart = { kind: 'empty' }): Promise<Guid> {
  const trimmed = name.trim();
  if (trimmed === '') throw new Error('A study needs a name.');
  const now = nowIso();
  const studyId = newGuid();
  const coderId = newGuid();
  const base = { studyId, createdAt: now, modifiedAt: now, createdBy: null };
  const codebook = await startingCodebook(db, start, { studyId, coderId, now, newId: newGuid });
  const id = await saveStudyRecords(db, {
    study: { id: studyId, name: trimmed, description: '', createdAt: now, modifiedAt: now, createdBy: coderId, isDemo: false, activeCoderId: coderId },
    coders: [{ id: coderId, ...base, name: coderName.trim() || 'Researcher' }],
    stages: codebook.stages,
    attributes: [],
    cases: [],
    participants: [],
    documents: [],
    texts: [],
    segments: [],
    codes: codebook.codes,
    codings: [],
    memos: [],
    actors: [],
    ties: [],
    overrides: [],
  });
  // The researcher named themselves when creating the study: no need to ask again in the Coding view.
  if (coderName.trim() !== '') await putSetting(db, `coderConfirmed:${id}`, true);
  return id;
}

export async function renameStudy(db: CartographyDb, studyId: Guid, name: string): Promise<void> {
  const trimmed = name.trim();
  if (trimmed === '') throw new Error('A study needs a name.');
  const changed = await db.studies.update(studyId, { name: trimmed, modifiedAt: nowIso() });
  if (changed === 0) throw new Error('That study no longer exists.');
}

export async function deleteStudy(db: CartographyDb, studyId: Guid): Promise<void> {
  await db.transaction('rw', allTables(db), async () => {
    const documentIds = await db.documents.where('studyId').equals(studyId).primaryKeys();
    if (documentIds.length > 0) await db.segments.where('documentId').anyOf(documentIds).delete();
    for (const name of STUDY_TABLES) await db.collection(name).where('studyId').equals(studyId).delete();
    // per-study preferences (e.g. saved matrix views) are keyed "<what>:<studyId>"
    await db.settings.filter((s) => isStudySettingKey(s.key, studyId)).delete();
    await db.studies.delete(studyId);
  });
}

export async function loadStudyRecords(db: CartographyDb, studyId: Guid): Promise<StudyRecords> {
  return db.transaction('r', allTables(db), async () => {
    const study = await db.studies.get(studyId);
    if (!study) throw new Error('That study no longer exists.');
    const entries = await Promise.all(STUDY_TABLES.map(async (name) => [name, await db.collection(name).where('studyId').equals(studyId).toArray()] as const));
    const stored = await loadStudySegments(db, studyId);
    return { study, ...Object.fromEntries(entries), segments: stored.map(segmentOf), codings: stored.flatMap(codingsOf) } as StudyRecords;
  });
}

/** A study's records and settings, read in one transaction (one consistent moment). */
export async function loadStudyContents(db: CartographyDb, studyId: Guid): Promise<{ records: StudyRecords; settings: StudyFileSettings }> {
  return db.transaction('r', allTables(db), async () => ({ records: await loadStudyRecords(db, studyId), settings: await loadStudySettings(db, studyId) }));
}

/** The study file of a study: every record and every setting of the study. */
export async function exportStudy(db: CartographyDb, studyId: Guid): Promise<string> {
  const { records, settings } = await loadStudyContents(db, studyId);
  return JSON.stringify(writeStudyFile(records, settings), null, 1);
}

export interface ImportOptions {
  /** Import beside an existing study with the same GUID, with new GUIDs throughout. */
  asCopy?: boolean;
  name?: string;
  isDemo?: boolean;
}

/** Reads a study file and writes it as a new study; throws StudyFileError or StudyExistsError and writes nothing then. */
export async function importStudyFile(db: CartographyDb, text: string, fileName: string, options: ImportOptions = {}): Promise<Guid> {
  const { records, settings } = readStudyFileContents(text, fileName, { now: nowIso(), newId: newGuid, freshIds: options.asCopy ?? false, ...(options.name ? { name: options.name } : {}) });
  records.study.isDemo = options.isDemo ?? false;
  // A copy beside its original gets a name that tells them apart in the study list.
  if (options.asCopy && !options.name && (await db.studies.where('name').equals(records.study.name).count()) > 0) {
    records.study.name = await uniqueName(db, `${records.study.name} (copy)`);
  }
  return saveStudyRecords(db, records, settings);
}

/** A copy with new GUIDs throughout; its settings (saved views, positions…) follow, renamed to the copy's ids. */
export async function duplicateStudy(db: CartographyDb, studyId: Guid): Promise<Guid> {
  const { records, settings } = await loadStudyContents(db, studyId);
  const copyName = await uniqueName(db, `${records.study.name} (copy)`);
  return importStudyFile(db, JSON.stringify(writeStudyFile(records, settings)), records.study.name, { asCopy: true, name: copyName });
}

export async function uniqueName(db: CartographyDb, wanted: string): Promise<string> {
  const names = new Set((await db.studies.toArray()).map((s) => s.name));
  if (!names.has(wanted)) return wanted;
  for (let n = 2; ; n += 1) if (!names.has(`${wanted} ${n}`)) return `${wanted} ${n}`;
}

const DEMO_SEEDED = 'demoSeeded';

/** On first start, imports the demo study; returns its id, or null when it was seeded before. */
export async function seedDemoStudyOnce(db: CartographyDb, demoText: string): Promise<Guid | null> {
  if (await db.settings.get(DEMO_SEEDED)) return null;
  const id = await importStudyFile(db, demoText, 'demo-study.cartography.json', { isDemo: true, asCopy: (await db.studies.count()) > 0 });
  await db.settings.put({ key: DEMO_SEEDED, value: true });
  return id;
}

/** Replaces the demo study (or adds it back) with the shipped version, in one transaction. */
export async function resetDemoStudy(db: CartographyDb, demoText: string): Promise<Guid> {
  const records = readStudyFile(demoText, 'demo-study.cartography.json', { now: nowIso(), newId: newGuid });
  records.study.isDemo = true;
  return db.transaction('rw', allTables(db), async () => {
    const demos = await db.studies.filter((s) => s.isDemo || s.id === records.study.id).toArray();
    for (const demo of demos) await deleteStudy(db, demo.id);
    await db.settings.put({ key: DEMO_SEEDED, value: true });
    return saveStudyRecords(db, records);
  });
}

export async function getSetting<T>(db: CartographyDb, key: string): Promise<T | undefined> {
  return (await db.settings.get(key))?.value as T | undefined;
}

export async function putSetting(db: CartographyDb, key: string, value: unknown): Promise<void> {
  await db.settings.put({ key, value });
}

/** Saves a setting of a study that exists (a study deleted meanwhile leaves nothing behind). */
export async function putStudySetting(db: CartographyDb, studyId: Guid, key: string, value: unknown): Promise<void> {
  await db.transaction('rw', db.studies, db.settings, async () => {
    if (!(await db.studies.get(studyId))) throw new Error('That study no longer exists.');
    await db.settings.put({ key, value });
  });
}

/** Who new codings are attributed to in this study. */
export async function setActiveCoder(db: CartographyDb, studyId: Guid, coderId: Guid): Promise<void> {
  if (!(await db.coders.get(coderId))) throw new Error('That coder is not part of the study.');
  await db.studies.update(studyId, { activeCoderId: coderId });
}
