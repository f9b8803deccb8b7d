/**
 * Merging a teammate's work into the open study: the records of a REFI-QDA project (readQdpx)
 * or of a Cartography study file (readStudyFileContents, ids kept) folded into a study that
 * already exists. Pure: two sets of records and the researcher's choices in, the records to
 * put and the merge report out; the caller writes them in one transaction. The plan is cheap
 * to make again, so a preview recomputes it whenever a choice changes.
 *
 * Rules:
 * - Records are matched by GUID, never by name. A record the study lacks is added (studyId
 *   rewritten). A record both have and that differs in a field the file carries is a CONFLICT
 *   (listed with both versions): by default the study keeps its version ("keep ours"); the
 *   researcher may take the file's for that record ("take theirs"), or for all. What the file
 *   does not carry always keeps the study's values (orders, code histories; from a REFI-QDA
 *   project also openness profiles, participants, turns and import notes, actors' names, ties'
 *   descriptions and evidence). Nothing else is ever overwritten; adding what the study lacks
 *   is not overwriting (a case's value for an attribute it has no value for, a category value).
 * - Coders too are matched by GUID only. A coder of the file with a new GUID whose name is an
 *   existing coder's (case and spaces aside) is a NAME MATCH, offered and never applied
 *   silently: by default they stay a coder of their own; "same person" attributes their
 *   codings (and everything they made) to the existing coder.
 * - Codings are kept per coder: a teammate's codings never replace ours. A coding the file
 *   changed (another code, coder or passage under the same GUID) keeps the study's version.
 *   An incoming segment whose span another segment of the document already covers joins that
 *   segment (one segment per span); a coding the same coder already applied there is skipped.
 * - A segment the file moved is a conflict: taking theirs moves it (segments the study
 *   already has are placed before new selections are joined by span, so the order of the file
 *   does not matter); keeping ours skips the file's new codings of it, which were made on
 *   other words.
 * - A document whose text differs keeps the study's text (a conflict without "take theirs":
 *   the study's codings point into its text), and the file's selections of it are skipped with
 *   their codings and memos: offsets into another text would select the wrong words.
 * - An attribute whose type differs keeps the study's type (a conflict without "take theirs");
 *   the file's values for it are skipped.
 * - Records that carry no GUID of their own in a project match on what they stand for: the
 *   actor of a case, the position override of a case at a stage, the study itself (whose name,
 *   description and active coder are kept).
 * The result passes the integrity check, or the function throws.
 */
import { summariseDocumentCodings } from '../model/document-codings.ts';
import { checkStudyRecords } from '../model/integrity.ts';
import { STUDY_COLLECTIONS, type Code, type Guid, type StudyCollection, type StudyRecords } from '../model/types.ts';
import { describeField, nameKey, passageName, textDifference, type CoderNameMatch, type ConflictChoice, type FieldDifference, type MergeChoices, type MergeConflict, type NameOf } from './merge-conflicts.ts';
import { plural, quoted } from './wording.ts';

export type { CoderMatchChoice, CoderNameMatch, ConflictChoice, FieldDifference, MergeChoices, MergeConflict } from './merge-conflicts.ts';

export interface MergeCounts {
  /** Records of the file the study lacked. */
  added: number;
  /** Records the merge changes: a conflict resolved as "take theirs", or something added to a record. */
  updated: number;
  /** Records of the file the study has, left as they were (identical, or "keep ours"). */
  unchanged: number;
  /** Records with the same GUID that differ, whichever version was chosen. */
  conflicts: number;
}

/** Where the file comes from: a study file carries every field, a REFI-QDA project some. */
export interface MergeOptions {
  from?: 'refi' | 'study-file';
}

export interface MergePlan {
  /** Records to put (added and updated), per collection, all in the existing study. */
  put: Pick<StudyRecords, StudyCollection>;
  counts: Record<StudyCollection, MergeCounts>;
  /** Names of the records added, per collection (passages and codings are only counted). */
  addedNames: Record<StudyCollection, string[]>;
  conflicts: MergeConflict[];
  nameMatches: CoderNameMatch[];
  /** Every decision and everything skipped, in words. */
  notes: string[];
  /** The study's records after the merge. */
  result: StudyRecords;
}

/** Structural equality of plain records (JSON data). */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

type Row<K extends StudyCollection> = StudyRecords[K][number];
/** Records of each collection by id. */
type ById = { [K in StudyCollection]: Map<Guid, Row<K>> };

/** The fields a conflict compares, per collection: what the file carries. */
function carriedFields(from: 'refi' | 'study-file'): { [K in StudyCollection]: readonly (keyof Row<K> & string)[] } {
  const full = from === 'study-file';
  return {
    coders: ['name'],
    stages: ['name', 'description'],
    attributes: ['name'],
    cases: full ? ['name', 'description', 'openness'] : ['name', 'description'],
    participants: ['pseudonym', 'role', 'organisation', 'caseId', 'interviewDate'],
    documents: full ? ['title', 'caseId', 'participantIds'] : ['title', 'caseId'],
    texts: [],
    segments: ['start', 'end', 'text'],
    codes: ['parentId', 'name', 'color', 'stageId', 'kind', 'mode', 'shortDefinition', 'definition', 'useWhen', 'doNotUseWhen', 'examples', 'status'],
    codings: [],
    memos: ['targetType', 'targetId', 'title', 'text'],
    actors: full ? ['name', 'type', 'description'] : [],
    ties: full ? ['fromId', 'toId', 'type', 'stageId', 'description', 'evidenceSegmentIds'] : ['fromId', 'toId', 'type', 'stageId'],
    overrides: ['value'],
  };
}

/** The file's records with the coders the researcher called the same person as ours renamed to ours, everywhere. */
function attributeCoders(incoming: StudyRecords, renamed: ReadonlyMap<Guid, Guid>): StudyRecords {
  if (renamed.size === 0) return incoming;
  const by = (id: Guid | null) => (id === null ? null : (renamed.get(id) ?? id));
  const out = { ...incoming } as Record<string, unknown>;
  for (const name of STUDY_COLLECTIONS) {
    if (name === 'texts') continue;
    out[name] = (incoming[name] as Row<StudyCollection>[]).map((row) => ('createdBy' in row ? { ...row, createdBy: by(row.createdBy) } : row));
  }
  const result = out as unknown as StudyRecords;
  result.coders = result.coders.filter((c) => !renamed.has(c.id));
  result.codings = result.codings.map((c) => ({ ...c, coderId: by(c.coderId)! }));
  result.codes = result.codes.map((c) => ({ ...c, history: c.history.map((h) => ({ ...h, by: by(h.by) })) }));
  return result;
}

/** Coders of the file with a new GUID and an existing coder's name. */
function coderNameMatches(existing: StudyRecords, incoming: StudyRecords, choices: MergeChoices): CoderNameMatch[] {
  const known = new Set(existing.coders.map((c) => c.id));
  const byName = new Map<string, StudyRecords['coders'][number]>();
  for (const coder of existing.coders) if (!byName.has(nameKey(coder.name))) byName.set(nameKey(coder.name), coder);
  return incoming.coders.flatMap((coder) => {
    const match = known.has(coder.id) ? undefined : byName.get(nameKey(coder.name));
    if (!match) return [];
    return [{ incomingId: coder.id, incomingName: coder.name, existingId: match.id, existingName: match.name, codings: incoming.codings.filter((c) => c.coderId === coder.id).length, choice: choices.coders?.[coder.id] ?? 'separate' }];
  });
}

export function planMerge(existing: StudyRecords, incomingFile: StudyRecords, choices: MergeChoices = {}, options: MergeOptions = {}): MergePlan {
  const studyId = existing.study.id;
  const fields = carriedFields(options.from ?? 'refi');
  const notes: string[] = [];
  const conflicts: MergeConflict[] = [];
  const counts = Object.fromEntries(STUDY_COLLECTIONS.map((c) => [c, { added: 0, updated: 0, unchanged: 0, conflicts: 0 }])) as Record<StudyCollection, MergeCounts>;
  const put = Object.fromEntries(STUDY_COLLECTIONS.map((c) => [c, []])) as unknown as Pick<StudyRecords, StudyCollection>;
  // The study's records by collection and id, and the merged state: a copy the merge changes (insertion order: existing first).
  const before = Object.fromEntries(STUDY_COLLECTIONS.map((c) => [c, new Map(existing[c].map((r) => [r.id, r]))])) as ById;
  const state = Object.fromEntries(STUDY_COLLECTIONS.map((c) => [c, new Map<Guid, unknown>(before[c])])) as unknown as ById;

  const nameMatches = coderNameMatches(existing, incomingFile, choices);
  const incoming = attributeCoders(incomingFile, new Map(nameMatches.filter((m) => m.choice === 'same').map((m) => [m.incomingId, m.existingId])));
  for (const m of nameMatches) {
    if (m.choice === 'same') notes.push(`${quoted(m.incomingName)} of the file is ${quoted(m.existingName)} of the study (same person): ${plural(m.codings, 'coding was', 'codings were')} attributed to ${quoted(m.existingName)}.`);
  }

  const theirs = Object.fromEntries(STUDY_COLLECTIONS.map((c) => [c, new Map(incoming[c].map((r) => [r.id, r]))])) as ById;
  const nameOf: NameOf = (collection, id) => {
    if (id === null) return null;
    const row = (state[collection].get(id) ?? theirs[collection].get(id)) as Record<string, unknown> | undefined;
    if (!row) return null;
    return recordName(collection, row);
  };
  const recordName = (collection: StudyCollection, row: Record<string, unknown>): string => {
    switch (collection) {
      case 'participants':
        return row['pseudonym'] as string;
      case 'documents':
        return row['title'] as string;
      case 'texts':
        return nameOf('documents', row['id'] as Guid) ?? (row['id'] as string);
      case 'segments':
        return passageName(row['text'] as string, nameOf('documents', row['documentId'] as Guid));
      case 'memos':
        return (row['title'] as string) || passageName(row['text'] as string, null);
      case 'ties':
        return `${nameOf('actors', row['fromId'] as Guid) ?? '?'} → ${nameOf('actors', row['toId'] as Guid) ?? '?'} (${row['type'] as string})`;
      case 'overrides':
        return `${nameOf('cases', row['caseId'] as Guid) ?? '?'} in ${nameOf('stages', row['stageId'] as Guid) ?? '?'}`;
      case 'codings':
        return `${nameOf('codes', row['codeId'] as Guid) ?? '?'} by ${nameOf('coders', row['coderId'] as Guid) ?? '?'}`;
      default:
        return (row['name'] as string | undefined) ?? (row['id'] as string);
    }
  };

  const choiceOf = (key: string): ConflictChoice => choices.conflicts?.[key] ?? choices.all ?? 'ours';
  const conflict = (collection: StudyCollection, id: Guid, differences: FieldDifference[], locked: string | null = null): ConflictChoice => {
    const key = `${collection}:${id}`;
    const choice = locked === null ? choiceOf(key) : 'ours';
    conflicts.push({ key, collection, id, name: nameOf(collection, id) ?? id, differences, choice, locked });
    counts[collection].conflicts += 1;
    return choice;
  };
  /**
   * The study's record, or the file's version of its carried fields when the researcher takes
   * theirs. `base` is the study's record with what the file adds (it is not a conflict).
   */
  const resolve = <K extends StudyCollection>(collection: K, base: Row<K>, inc: Row<K>, carried: readonly string[] = fields[collection]): Row<K> => {
    const b = base as unknown as Record<string, unknown>;
    const i = inc as unknown as Record<string, unknown>;
    const differing = carried.filter((f) => !same(b[f], i[f]));
    if (differing.length === 0) return base;
    const differences = differing.map((f) => describeField(collection, f, b[f], i[f], nameOf));
    if (conflict(collection, base.id, differences) === 'ours') return base;
    return { ...base, ...Object.fromEntries(differing.map((f) => [f, i[f]])) } as Row<K>;
  };

  /** Adds or merges one record; `merge` gives the merged record from the study's and the file's. */
  const upsert = <K extends StudyCollection>(collection: K, row: Row<K>, merge: (old: Row<K>, incoming: Row<K>) => Row<K> = (old, inc) => resolve(collection, old, inc)) => {
    const map = state[collection] as Map<Guid, Row<K>>;
    const old = map.get(row.id);
    const next = old ? merge(old, row) : { ...row, studyId };
    if (old && same(old, next)) {
      counts[collection].unchanged += 1;
      return;
    }
    map.set(row.id, next);
    counts[collection][old ? 'updated' : 'added'] += 1;
  };
  const maxOrder = (rows: { order: number }[]) => rows.reduce((m, r) => Math.max(m, r.order), -1);

  if (incoming.study.name !== existing.study.name || incoming.study.description !== existing.study.description) {
    notes.push(`The study keeps its name and description; the file's project ${quoted(incoming.study.name)} was merged into it.`);
  }
  const idMap = new Map<Guid, Guid>([[incoming.study.id, studyId]]);
  const mapId = (id: Guid) => idMap.get(id) ?? id;

  for (const coder of incoming.coders) upsert('coders', coder);

  let nextStageOrder = maxOrder(existing.stages) + 1;
  for (const stage of incoming.stages) upsert('stages', state.stages.has(stage.id) ? stage : { ...stage, order: nextStageOrder++ });

  const skippedAttributes = new Set<Guid>();
  let nextAttributeOrder = maxOrder(existing.attributes) + 1;
  for (const def of incoming.attributes) {
    const old = state.attributes.get(def.id);
    if (old && old.type !== def.type) {
      skippedAttributes.add(def.id);
      conflict('attributes', def.id, [describeField('attributes', 'type', old.type, def.type, nameOf)], `Values of one type cannot be read as another: the study keeps its type, and the file's values for ${quoted(old.name)} are skipped.`);
      counts.attributes.unchanged += 1;
      continue;
    }
    // A category value the study lacks is added: it overwrites nothing.
    upsert('attributes', old ? def : { ...def, order: nextAttributeOrder++ }, (o, inc) => resolve('attributes', o.type === 'category' ? { ...o, values: [...o.values, ...inc.values.filter((v) => !o.values.includes(v))] } : o, inc));
  }

  const attributeName = (id: Guid) => state.attributes.get(id)?.name ?? id;
  for (const c of incoming.cases) {
    const values = Object.fromEntries(Object.entries(c.attributes).filter(([id]) => !skippedAttributes.has(id)));
    upsert('cases', { ...c, attributes: values }, (old, inc) => {
      // Values the study lacks are filled in; values that differ are part of the case's conflict.
      const filled = { ...old.attributes };
      for (const [id, value] of Object.entries(inc.attributes)) if ((filled[id] ?? null) === null) filled[id] = value;
      const base = { ...old, attributes: filled };
      const differing = Object.keys(inc.attributes).filter((id) => !same(filled[id], inc.attributes[id]));
      const plain = fields.cases.filter((f) => !same(base[f], inc[f]));
      if (differing.length === 0 && plain.length === 0) return base;
      const differences = [
        ...plain.map((f) => describeField('cases', f, base[f], inc[f], nameOf)),
        ...differing.map((id) => ({ ...describeField('cases', `attributes.${id}`, filled[id], inc.attributes[id], nameOf), label: attributeName(id) })),
      ];
      if (conflict('cases', old.id, differences) === 'ours') return base;
      return { ...base, ...Object.fromEntries(plain.map((f) => [f, inc[f]])), attributes: { ...filled, ...inc.attributes } };
    });
  }
  for (const p of incoming.participants) upsert('participants', p);

  let nextCodeOrder = maxOrder(existing.codes) + 1;
  for (const code of incoming.codes) upsert('codes', state.codes.has(code.id) ? code : { ...code, order: nextCodeOrder++ });
  keepParentsAcyclic(state.codes, before.codes, conflicts, notes, nameOf);

  // Documents: a different text keeps the study's, and skips the file's selections of it.
  const incomingText = new Map(incoming.texts.map((t) => [t.id, t.text]));
  const conflicted = new Set<Guid>();
  for (const doc of incoming.documents) {
    const oldText = before.texts.get(doc.id)?.text;
    const newText = incomingText.get(doc.id) ?? '';
    if (oldText !== undefined && oldText !== newText) {
      conflicted.add(doc.id);
      conflict('texts', doc.id, [textDifference(oldText, newText)], "The study's codings point into its own text, so it is kept: the file's selections of this document are skipped with their codings and memos, because their offsets would select other words here.");
    }
    upsert('documents', doc);
    if (oldText === undefined) upsert('texts', { id: doc.id, studyId, text: newText });
  }

  // Segments: one per span; those of conflicted documents are skipped.
  const spanKey = (s: { documentId: Guid; start: number; end: number }) => `${s.documentId}:${s.start}:${s.end}`;
  const bySpan = new Map([...state.segments.values()].map((s) => [spanKey(s), s.id]));
  const skippedSegments = new Set<Guid>();
  /** Segments the file moved while the study kept its span: the file's new codings of them were made on other words. */
  const keptSpans = new Set<Guid>();
  let joined = 0;
  // Segments the study already has go first: when the file moves one, its new span must be
  // known before a new selection is joined by span (else a new selection could be joined to
  // a segment that then moves away, and its codings would select other words).
  const ordered = [...incoming.segments.filter((s) => state.segments.has(s.id)), ...incoming.segments.filter((s) => !state.segments.has(s.id))];
  for (const segment of ordered) {
    if (conflicted.has(segment.documentId)) {
      skippedSegments.add(segment.id);
      continue;
    }
    const old = state.segments.get(segment.id);
    if (old && old.documentId !== segment.documentId) {
      skippedSegments.add(segment.id);
      notes.push(`The selection ${segment.id} lies in another document in the file than in the study: skipped.`);
      continue;
    }
    if (old && (old.start !== segment.start || old.end !== segment.end)) {
      const span = (s: typeof segment) => `${s.start}–${s.end}: ${quoted(s.text)}`;
      const choice = conflict('segments', old.id, [{ field: 'span', label: 'Selection', ours: span(old), theirs: span(segment) }]);
      const other = bySpan.get(spanKey(segment));
      if (choice === 'ours' || (other !== undefined && other !== segment.id)) {
        // Kept where it is (or the file's span is another segment's): the file's new codings of it are skipped.
        if (choice === 'theirs') notes.push(`The selection ${quoted(old.text)} cannot move to where the file has it: another passage of the study covers that span.`);
        keptSpans.add(segment.id);
        counts.segments.unchanged += 1;
        continue;
      }
      bySpan.delete(spanKey(old));
      bySpan.set(spanKey(segment), segment.id);
      upsert('segments', segment, (o, inc) => ({ ...o, start: inc.start, end: inc.end, text: inc.text }));
      continue;
    }
    const other = bySpan.get(spanKey(segment));
    if (other !== undefined && other !== segment.id) {
      idMap.set(segment.id, other);
      joined += 1;
      continue;
    }
    bySpan.set(spanKey(segment), segment.id);
    upsert('segments', segment, (o) => o);
  }
  if (joined > 0) notes.push(`${plural(joined, 'selection covers', 'selections cover')} the same text as a segment of the study: joined to it.`);

  const codingKey = (c: { segmentId: Guid; codeId: Guid; coderId: Guid }) => `${c.segmentId}:${c.codeId}:${c.coderId}`;
  const codingKeys = new Map([...state.codings.values()].map((c) => [codingKey(c), c.id]));
  let repeatedCodings = 0;
  let skippedCodings = 0;
  let otherWords = 0;
  let changedCodings = 0;
  for (const coding of incoming.codings) {
    if (skippedSegments.has(coding.segmentId)) {
      skippedCodings += 1;
      continue;
    }
    const old = state.codings.get(coding.id);
    if (old) {
      // A teammate's coding never replaces ours.
      if (old.segmentId !== mapId(coding.segmentId) || old.codeId !== coding.codeId || old.coderId !== coding.coderId) changedCodings += 1;
      counts.codings.unchanged += 1;
      continue;
    }
    if (keptSpans.has(coding.segmentId)) {
      otherWords += 1;
      continue;
    }
    const row = { ...coding, segmentId: mapId(coding.segmentId) };
    if (codingKeys.has(codingKey(row))) {
      repeatedCodings += 1;
      continue;
    }
    codingKeys.set(codingKey(row), row.id);
    upsert('codings', row);
  }
  if (skippedCodings > 0) notes.push(`${plural(skippedCodings, 'coding was', 'codings were')} skipped with ${skippedCodings === 1 ? 'its selection' : 'their selections'}.`);
  if (repeatedCodings > 0) notes.push(`${plural(repeatedCodings, 'coding repeats', 'codings repeat')} a code the same coder already applied to the same text in the study: skipped.`);
  if (changedCodings > 0) notes.push(`${plural(changedCodings, 'coding has', 'codings have')} another code, coder or passage in the file under the same GUID: the study's ${changedCodings === 1 ? 'was' : 'were'} kept.`);
  if (otherWords > 0) notes.push(`${plural(otherWords, 'coding', 'codings')} of the file ${otherWords === 1 ? 'was' : 'were'} made on a selection the study keeps at another span: skipped, as ${otherWords === 1 ? 'it' : 'they'} would code other words.`);

  // Actors stand for cases: the study's actor of a case is the file's.
  const actorOfCase = new Map([...state.actors.values()].filter((a) => a.caseId !== null).map((a) => [a.caseId!, a.id]));
  for (const actor of incoming.actors) {
    const other = actor.caseId === null ? undefined : actorOfCase.get(actor.caseId);
    if (other !== undefined && other !== actor.id) {
      idMap.set(actor.id, other);
      counts.actors.unchanged += 1;
      continue;
    }
    upsert('actors', actor);
  }
  // Evidence the file skipped stays when the study has that passage itself.
  const evidence = (ids: readonly Guid[]) => [...new Set(ids.filter((id) => !skippedSegments.has(id) || state.segments.has(id)).map(mapId))];
  for (const tie of incoming.ties) upsert('ties', { ...tie, fromId: mapId(tie.fromId), toId: mapId(tie.toId), evidenceSegmentIds: evidence(tie.evidenceSegmentIds) });

  // Overrides: one per case and stage; the study's keeps its GUID.
  const overrideOf = new Map([...state.overrides.values()].map((o) => [`${o.caseId}:${o.stageId}`, o]));
  const skippedMemos = new Set<Guid>();
  for (const override of incoming.overrides) {
    const other = overrideOf.get(`${override.caseId}:${override.stageId}`);
    if (other && other.id !== override.id) {
      if (other.memoId !== override.memoId) {
        skippedMemos.add(override.memoId);
        notes.push(`The study already has its own position override for ${nameOf('overrides', other.id) ?? 'a case and stage'}, which the file also overrides: the study's was kept with its justification.`);
        counts.overrides.unchanged += 1;
        continue;
      }
      idMap.set(override.id, other.id);
      upsert('overrides', { ...override, id: other.id });
      continue;
    }
    upsert('overrides', override);
  }

  let skippedSegmentMemos = 0;
  for (const memo of incoming.memos) {
    if (skippedMemos.has(memo.id)) continue;
    if (memo.targetType === 'segment' && skippedSegments.has(memo.targetId)) {
      skippedSegmentMemos += 1;
      continue;
    }
    upsert('memos', { ...memo, targetId: mapId(memo.targetId) });
  }
  if (skippedSegmentMemos > 0) notes.push(`${plural(skippedSegmentMemos, 'memo on a skipped selection was', 'memos on skipped selections were')} skipped.`);

  // Documents' coding cache, from the merged codings; documents are counted once it is known.
  const summaries = summariseDocumentCodings([...state.codings.values()]);
  for (const [id, doc] of state.documents) {
    const summary = summaries.get(id) ?? { codingCount: 0, coderIds: [] };
    if (doc.codingCount !== summary.codingCount || !same(doc.coderIds, summary.coderIds)) state.documents.set(id, { ...doc, ...summary });
  }
  const incomingDocuments = new Set(incoming.documents.map((d) => d.id));
  counts.documents = { added: 0, updated: 0, unchanged: 0, conflicts: counts.documents.conflicts };
  for (const [id, doc] of state.documents) {
    const old = before.documents.get(id);
    if (!old) counts.documents.added += 1;
    else if (!same(old, doc)) counts.documents.updated += 1;
    else if (incomingDocuments.has(id)) counts.documents.unchanged += 1;
  }

  // What to put: every record that differs from the study's.
  const addedNames = Object.fromEntries(STUDY_COLLECTIONS.map((c) => [c, []])) as unknown as Record<StudyCollection, string[]>;
  for (const collection of STUDY_COLLECTIONS) {
    const rows = [...state[collection].values()].filter((row) => {
      const old = before[collection].get(row.id);
      return old === undefined || !same(old, row);
    });
    (put[collection] as unknown[]).push(...rows);
    if (collection !== 'segments' && collection !== 'codings' && collection !== 'texts') {
      addedNames[collection] = rows.filter((r) => !before[collection].has(r.id)).map((r) => recordName(collection, r as unknown as Record<string, unknown>));
    }
  }
  const result = { study: existing.study, ...Object.fromEntries(STUDY_COLLECTIONS.map((c) => [c, [...state[c].values()]])) } as StudyRecords;
  const problems = checkStudyRecords(result);
  if (problems.length > 0) throw new Error(`The merge would leave the study inconsistent: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`);
  return { put, counts, addedNames, conflicts, nameMatches, notes, result };
}

/**
 * Taking the file's parent for some codes and keeping the study's for others can close a loop
 * (A under B in the study, B under A in the file). Such a code keeps the study's parent, and
 * its conflict says so; the loop is found by walking up from every code.
 */
function keepParentsAcyclic(codes: Map<Guid, Code>, original: ReadonlyMap<Guid, Code>, conflicts: MergeConflict[], notes: string[], nameOf: NameOf): void {
  for (const start of [...codes.keys()]) {
    const seen = new Set<Guid>();
    let at: Guid | null = start;
    while (at !== null && !seen.has(at)) {
      seen.add(at);
      at = codes.get(at)?.parentId ?? null;
    }
    if (at === null) continue;
    // `at` lies on a loop: put back the study's parent of the first code on it whose parent the file gave.
    let on: Guid = at;
    do {
      const code = codes.get(on)!;
      const old = original.get(on);
      if (old && old.parentId !== code.parentId) {
        codes.set(on, { ...code, parentId: old.parentId });
        const c = conflicts.find((x) => x.key === `codes:${on}`);
        if (c) c.choice = same({ ...code, parentId: old.parentId }, old) ? 'ours' : c.choice;
        notes.push(`The file's parent of ${quoted(nameOf('codes', on) ?? on)} would put the code under itself with the other choices made: it keeps the study's parent.`);
        break;
      }
      on = code.parentId!;
    } while (on !== at);
  }
}
