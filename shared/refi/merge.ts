/**
 * "Merge into the open study by GUID": the records of an imported REFI-QDA project
 * (readQdpx) folded into a study that already exists. Pure: two sets of records in, the
 * records to put out; the caller writes them in one transaction.
 *
 * Rules:
 * - A record whose GUID the study already has is updated. The file wins for what a REFI-QDA
 *   project carries (names, descriptions, colours, Cartography's code fields, parents, stages,
 *   attribute values, a document's title and case, spans, codings, memo text and target, tie
 *   type and stage, an override's value); what it does not carry keeps the study's values
 *   (orders, code histories, openness profiles, participants, turns and import notes, tie
 *   descriptions and evidence, actor names and types). A record the merge leaves as it was
 *   counts as unchanged and is not put.
 * - A document whose text differs from the study's keeps the study's text, and the file's
 *   selections of it (with their codings and memos) are skipped, with a note: offsets into
 *   another text would select the wrong words.
 * - Records with new GUIDs are added to the study (studyId rewritten). An incoming segment
 *   whose span another segment of the document already covers joins that segment (one segment
 *   per span); a coding a coder already applied there is skipped.
 * - Records that carry no GUID of their own in a project match on what they stand for: the
 *   actor of a case, the position override of a case at a stage, the study itself (whose name,
 *   description and active coder are kept).
 * - An attribute whose type differs keeps the study's type; the file's values for it are skipped.
 * The result passes the integrity check, or the function throws.
 */
import { summariseDocumentCodings } from '../model/document-codings.ts';
import { checkStudyRecords } from '../model/integrity.ts';
import { STUDY_COLLECTIONS, type Guid, type StudyCollection, type StudyRecords } from '../model/types.ts';

export interface RefiMergeCounts {
  added: number;
  updated: number;
  unchanged: number;
}

export interface RefiMergePlan {
  /** Records to put (added and updated), per collection, all in the existing study. */
  put: Pick<StudyRecords, StudyCollection>;
  counts: Record<StudyCollection, RefiMergeCounts>;
  /** Every decision and everything skipped, in words. */
  notes: string[];
  /** The study's records after the merge. */
  result: StudyRecords;
}

const plural = (n: number, one: string, many: string) => (n === 1 ? `1 ${one}` : `${n} ${many}`);
const quoted = (s: string) => `“${s}”`;

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

export function planRefiMerge(existing: StudyRecords, incoming: StudyRecords): RefiMergePlan {
  const studyId = existing.study.id;
  const notes: string[] = [];
  const counts = Object.fromEntries(STUDY_COLLECTIONS.map((c) => [c, { added: 0, updated: 0, unchanged: 0 }])) as Record<StudyCollection, RefiMergeCounts>;
  const put = Object.fromEntries(STUDY_COLLECTIONS.map((c) => [c, []])) as unknown as Pick<StudyRecords, StudyCollection>;
  // The merged state, by collection and id (insertion order: existing first).
  const state = Object.fromEntries(STUDY_COLLECTIONS.map((c) => [c, new Map(existing[c].map((r) => [r.id, r]))])) as { [K in StudyCollection]: Map<Guid, StudyRecords[K][number]> };

  /** Adds or updates one record; `merge` gives the updated record from the study's and the file's. */
  const upsert = <K extends StudyCollection>(collection: K, row: StudyRecords[K][number], merge: (old: StudyRecords[K][number], incoming: StudyRecords[K][number]) => StudyRecords[K][number]) => {
    const map = state[collection] as Map<Guid, StudyRecords[K][number]>;
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

  for (const coder of incoming.coders) upsert('coders', coder, (old, inc) => ({ ...old, name: inc.name }));

  let nextStageOrder = maxOrder(existing.stages) + 1;
  for (const stage of incoming.stages) {
    upsert('stages', state.stages.has(stage.id) ? stage : { ...stage, order: nextStageOrder++ }, (old, inc) => ({ ...old, name: inc.name, description: inc.description }));
  }

  const skippedAttributes = new Set<Guid>();
  let nextAttributeOrder = maxOrder(existing.attributes) + 1;
  for (const def of incoming.attributes) {
    const old = state.attributes.get(def.id);
    if (old && old.type !== def.type) {
      skippedAttributes.add(def.id);
      notes.push(`The attribute ${quoted(old.name)} is ${old.type} in the study and ${def.type} in the file: it keeps its type, and the file's values for it were skipped.`);
      counts.attributes.unchanged += 1;
      continue;
    }
    upsert('attributes', old ? def : { ...def, order: nextAttributeOrder++ }, (o, inc) => ({ ...o, name: inc.name, values: o.type === 'category' ? [...o.values, ...inc.values.filter((v) => !o.values.includes(v))] : o.values }));
  }

  for (const c of incoming.cases) {
    const values = Object.fromEntries(Object.entries(c.attributes).filter(([id]) => !skippedAttributes.has(id)));
    upsert('cases', { ...c, attributes: values }, (old, inc) => ({ ...old, name: inc.name, description: inc.description, attributes: { ...old.attributes, ...inc.attributes } }));
  }

  let nextCodeOrder = maxOrder(existing.codes) + 1;
  for (const code of incoming.codes) {
    const carried = (old: typeof code, inc: typeof code) => ({
      ...old,
      parentId: inc.parentId,
      name: inc.name,
      color: inc.color,
      stageId: inc.stageId,
      kind: inc.kind,
      mode: inc.mode,
      shortDefinition: inc.shortDefinition,
      definition: inc.definition,
      useWhen: inc.useWhen,
      doNotUseWhen: inc.doNotUseWhen,
      examples: inc.examples,
      status: inc.status,
    });
    upsert('codes', state.codes.has(code.id) ? code : { ...code, order: nextCodeOrder++ }, carried);
  }

  // Documents: a different text keeps the study's, and skips the file's selections of it.
  const existingText = new Map(existing.texts.map((t) => [t.id, t.text]));
  const incomingText = new Map(incoming.texts.map((t) => [t.id, t.text]));
  const conflicted = new Set<Guid>();
  for (const doc of incoming.documents) {
    const oldText = existingText.get(doc.id);
    const newText = incomingText.get(doc.id) ?? '';
    if (oldText !== undefined && oldText !== newText) {
      conflicted.add(doc.id);
      notes.push(`The document ${quoted(state.documents.get(doc.id)?.title ?? doc.title)} has a different text in the file: the study's text was kept, and the file's selections of it were skipped with their codings and memos.`);
    }
    upsert('documents', doc, (old, inc) => ({ ...old, title: inc.title, caseId: inc.caseId, createdBy: inc.createdBy, createdAt: inc.createdAt, modifiedAt: inc.modifiedAt }));
    if (oldText === undefined) upsert('texts', { id: doc.id, studyId, text: newText }, (old) => old);
  }

  // Segments: one per span; those of conflicted documents are skipped.
  const spanKey = (s: { documentId: Guid; start: number; end: number }) => `${s.documentId}:${s.start}:${s.end}`;
  const bySpan = new Map([...state.segments.values()].map((s) => [spanKey(s), s.id]));
  const skippedSegments = new Set<Guid>();
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
    const other = bySpan.get(spanKey(segment));
    if (other !== undefined && other !== segment.id) {
      idMap.set(segment.id, other);
      joined += 1;
      continue;
    }
    const old = state.segments.get(segment.id);
    if (old && old.documentId !== segment.documentId) {
      skippedSegments.add(segment.id);
      notes.push(`The selection ${segment.id} lies in another document in the file than in the study: skipped.`);
      continue;
    }
    if (old) bySpan.delete(spanKey(old));
    bySpan.set(spanKey(segment), segment.id);
    upsert('segments', segment, (o, inc) => ({ ...o, start: inc.start, end: inc.end, text: inc.text, createdBy: inc.createdBy, createdAt: inc.createdAt, modifiedAt: inc.modifiedAt }));
  }
  if (joined > 0) notes.push(`${plural(joined, 'selection covers', 'selections cover')} the same text as a segment of the study: joined to it.`);

  const codingKey = (c: { segmentId: Guid; codeId: Guid; coderId: Guid }) => `${c.segmentId}:${c.codeId}:${c.coderId}`;
  const codingKeys = new Map([...state.codings.values()].map((c) => [codingKey(c), c.id]));
  let repeatedCodings = 0;
  let skippedCodings = 0;
  for (const coding of incoming.codings) {
    if (skippedSegments.has(coding.segmentId)) {
      skippedCodings += 1;
      continue;
    }
    const row = { ...coding, segmentId: mapId(coding.segmentId) };
    const other = codingKeys.get(codingKey(row));
    if (other !== undefined && other !== row.id) {
      repeatedCodings += 1;
      continue;
    }
    codingKeys.set(codingKey(row), row.id);
    upsert('codings', row, (old, inc) => ({ ...old, segmentId: inc.segmentId, codeId: inc.codeId, coderId: inc.coderId, documentId: inc.documentId, createdAt: inc.createdAt }));
  }
  if (skippedCodings > 0) notes.push(`${plural(skippedCodings, 'coding was', 'codings were')} skipped with ${skippedCodings === 1 ? 'its selection' : 'their selections'}.`);
  if (repeatedCodings > 0) notes.push(`${plural(repeatedCodings, 'coding repeats', 'codings repeat')} a code the same coder already applied to the same text in the study: skipped.`);

  // Actors stand for cases: the study's actor of a case is the file's.
  const actorOfCase = new Map([...state.actors.values()].filter((a) => a.caseId !== null).map((a) => [a.caseId!, a.id]));
  for (const actor of incoming.actors) {
    const other = actor.caseId === null ? undefined : actorOfCase.get(actor.caseId);
    if (other !== undefined && other !== actor.id) {
      idMap.set(actor.id, other);
      counts.actors.unchanged += 1;
      continue;
    }
    upsert('actors', actor, (old) => old);
  }
  for (const tie of incoming.ties) {
    upsert('ties', { ...tie, fromId: mapId(tie.fromId), toId: mapId(tie.toId) }, (old, inc) => ({ ...old, fromId: inc.fromId, toId: inc.toId, type: inc.type, stageId: inc.stageId }));
  }

  // Overrides: one per case and stage; the study's keeps its GUID.
  const overrideOf = new Map([...state.overrides.values()].map((o) => [`${o.caseId}:${o.stageId}`, o]));
  const skippedMemos = new Set<Guid>();
  for (const override of incoming.overrides) {
    const other = overrideOf.get(`${override.caseId}:${override.stageId}`);
    if (other && other.id !== override.id) {
      if (other.memoId !== override.memoId) {
        skippedMemos.add(override.memoId);
        notes.push(`The study already has its own position override for a case and stage the file also overrides: the study's was kept with its justification.`);
        counts.overrides.unchanged += 1;
        continue;
      }
      idMap.set(override.id, other.id);
      upsert('overrides', { ...override, id: other.id }, (old, inc) => ({ ...old, value: inc.value }));
      continue;
    }
    upsert('overrides', override, (old, inc) => ({ ...old, value: inc.value }));
  }

  let skippedSegmentMemos = 0;
  for (const memo of incoming.memos) {
    if (skippedMemos.has(memo.id)) continue;
    if (memo.targetType === 'segment' && skippedSegments.has(memo.targetId)) {
      skippedSegmentMemos += 1;
      continue;
    }
    upsert('memos', { ...memo, targetId: mapId(memo.targetId) }, (old, inc) => ({
      ...old,
      targetType: inc.targetType,
      targetId: inc.targetId,
      title: inc.title,
      text: inc.text,
      createdBy: inc.createdBy,
      createdAt: inc.createdAt,
      modifiedAt: inc.modifiedAt,
    }));
  }
  if (skippedSegmentMemos > 0) notes.push(`${plural(skippedSegmentMemos, 'memo on a skipped selection was', 'memos on skipped selections were')} skipped.`);

  // Documents' coding cache, from the merged codings; documents are counted once it is known.
  const summaries = summariseDocumentCodings([...state.codings.values()]);
  for (const [id, doc] of state.documents) {
    const summary = summaries.get(id) ?? { codingCount: 0, coderIds: [] };
    if (doc.codingCount !== summary.codingCount || !same(doc.coderIds, summary.coderIds)) state.documents.set(id, { ...doc, ...summary });
  }
  const oldDocuments = new Map(existing.documents.map((d) => [d.id, d]));
  const incomingDocuments = new Set(incoming.documents.map((d) => d.id));
  counts.documents = { added: 0, updated: 0, unchanged: 0 };
  for (const [id, doc] of state.documents) {
    const old = oldDocuments.get(id);
    if (!old) counts.documents.added += 1;
    else if (!same(old, doc)) counts.documents.updated += 1;
    else if (incomingDocuments.has(id)) counts.documents.unchanged += 1;
  }

  // What to put: every record that differs from the study's.
  const before = Object.fromEntries(STUDY_COLLECTIONS.map((c) => [c, new Map(existing[c].map((r) => [r.id, r]))])) as { [K in StudyCollection]: Map<Guid, StudyRecords[K][number]> };
  for (const collection of STUDY_COLLECTIONS) {
    const rows = [...state[collection].values()].filter((row) => {
      const old = before[collection].get(row.id);
      return old === undefined || !same(old, row);
    });
    (put[collection] as unknown[]).push(...rows);
  }
  const result = { study: existing.study, ...Object.fromEntries(STUDY_COLLECTIONS.map((c) => [c, [...state[c].values()]])) } as StudyRecords;
  const problems = checkStudyRecords(result);
  if (problems.length > 0) throw new Error(`The merge would leave the study inconsistent: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`);
  return { put, counts, notes, result };
}
