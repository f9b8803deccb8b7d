/**
 * Referential integrity of one study's records, checked before anything is written:
 * every record belongs to the study, every reference points at a record of the study,
 * and every segment lies inside its document's text. Linear in the number of records.
 *
 * Position overrides: their case, stage and memo exist; the value is a number from −1 to 1;
 * one override per case and stage; the memo is a 'position' memo about the override, and a
 * 'position' memo is always the justification of the override it is about.
 */
import type { StudyFileProblem } from '../study-file/format.ts';
import { summariseDocumentCodings } from './document-codings.ts';
import { STUDY_COLLECTIONS, type Guid, type Memo, type PositionOverride, type StudyRecords } from './types.ts';

export function checkStudyRecords(records: StudyRecords): StudyFileProblem[] {
  const problems: StudyFileProblem[] = [];
  const fail = (path: string, message: string) => {
    if (problems.length < 100) problems.push({ path, message });
  };
  const studyId = records.study.id;
  const ids = new Set<Guid>([studyId]);
  for (const name of STUDY_COLLECTIONS) {
    records[name].forEach((row, i) => {
      if (row.studyId !== studyId) fail(`${name}[${i}].studyId`, 'belongs to another study');
      // texts share their document's id by design
      if (name !== 'texts') {
        if (ids.has(row.id)) fail(`${name}[${i}].id`, `${row.id} is used by another record`);
        ids.add(row.id);
      }
    });
  }
  const setOf = (rows: { id: Guid }[]) => new Set(rows.map((r) => r.id));
  const coders = setOf(records.coders);
  const stages = setOf(records.stages);
  const cases = setOf(records.cases);
  const participants = setOf(records.participants);
  const codes = setOf(records.codes);
  const actors = setOf(records.actors);
  const segments = new Map(records.segments.map((s) => [s.id, s]));
  const lengths = new Map(records.texts.map((t) => [t.id, t.text.length]));
  const expect = (set: { has(id: Guid): boolean }, id: Guid | null, path: string, kind: string, nullable = false) => {
    if (id === null ? !nullable : !set.has(id)) fail(path, `refers to a ${kind} that does not exist (${id})`);
  };

  records.participants.forEach((p, i) => expect(cases, p.caseId, `participants[${i}].caseId`, 'case', true));
  const summaries = summariseDocumentCodings(records.codings);
  records.documents.forEach((d, i) => {
    expect(cases, d.caseId, `documents[${i}].caseId`, 'case', true);
    const actual = summaries.get(d.id) ?? { codingCount: 0, coderIds: [] };
    if (d.codingCount !== actual.codingCount) fail(`documents[${i}].codingCount`, `is ${d.codingCount}, but the document has ${actual.codingCount} codings`);
    if ([...d.coderIds].sort().join() !== [...actual.coderIds].sort().join()) fail(`documents[${i}].coderIds`, 'does not list exactly the coders of its codings');
    d.participantIds.forEach((p, j) => expect(participants, p, `documents[${i}].participantIds[${j}]`, 'participant'));
    if (lengths.get(d.id) !== d.length) fail(`documents[${i}]`, 'has no text, or its length does not match its text');
  });
  records.segments.forEach((s, i) => {
    const length = lengths.get(s.documentId);
    if (length === undefined) fail(`segments[${i}].documentId`, `refers to a document that does not exist (${s.documentId})`);
    else if (!(s.start >= 0 && s.start < s.end && s.end <= length)) fail(`segments[${i}]`, `span ${s.start}–${s.end} lies outside its document (length ${length})`);
  });
  records.codes.forEach((c, i) => {
    expect(codes, c.parentId, `codes[${i}].parentId`, 'code', true);
    expect(stages, c.stageId, `codes[${i}].stageId`, 'stage', true);
  });
  records.codings.forEach((c, i) => {
    const segment = segments.get(c.segmentId);
    if (!segment) fail(`codings[${i}].segmentId`, `refers to a segment that does not exist (${c.segmentId})`);
    else if (segment.documentId !== c.documentId) fail(`codings[${i}].documentId`, 'differs from its segment’s document');
    expect(codes, c.codeId, `codings[${i}].codeId`, 'code');
    expect(coders, c.coderId, `codings[${i}].coderId`, 'coder');
  });
  const overrides = new Map<Guid, PositionOverride>(records.overrides.map((o) => [o.id, o]));
  const targets: Record<string, { has(id: Guid): boolean }> = { study: new Set([studyId]), case: cases, document: lengths, segment: segments, code: codes, position: overrides };
  records.memos.forEach((m, i) => {
    expect(targets[m.targetType] ?? new Set(), m.targetId, `memos[${i}].targetId`, m.targetType === 'position' ? 'position override' : m.targetType);
    const override = m.targetType === 'position' ? overrides.get(m.targetId) : undefined;
    if (override && override.memoId !== m.id) fail(`memos[${i}]`, 'is about a position override but is not its justification (an override has one memo)');
  });
  records.actors.forEach((a, i) => expect(cases, a.caseId, `actors[${i}].caseId`, 'case', true));
  records.ties.forEach((t, i) => {
    expect(actors, t.fromId, `ties[${i}].fromId`, 'actor');
    expect(actors, t.toId, `ties[${i}].toId`, 'actor');
    expect(stages, t.stageId, `ties[${i}].stageId`, 'stage');
    t.evidenceSegmentIds.forEach((s, j) => expect(segments, s, `ties[${i}].evidenceSegmentIds[${j}]`, 'segment'));
  });
  const memos = new Map<Guid, Memo>(records.memos.map((m) => [m.id, m]));
  const overridden = new Set<string>();
  records.overrides.forEach((o, i) => {
    expect(cases, o.caseId, `overrides[${i}].caseId`, 'case');
    expect(stages, o.stageId, `overrides[${i}].stageId`, 'stage');
    if (typeof o.value !== 'number' || !Number.isFinite(o.value) || o.value < -1 || o.value > 1) fail(`overrides[${i}].value`, `must be a number from −1 to 1, not ${String(o.value)}`);
    const pair = `${o.caseId}:${o.stageId}`;
    if (overridden.has(pair)) fail(`overrides[${i}]`, 'overrides the position of a case at a stage that another override already sets');
    overridden.add(pair);
    const memo = memos.get(o.memoId);
    if (!memo) fail(`overrides[${i}].memoId`, `refers to a memo that does not exist (${o.memoId}); an override needs its justification`);
    else if (memo.targetType !== 'position' || memo.targetId !== o.id) fail(`overrides[${i}].memoId`, 'refers to a memo that is not about this override');
  });
  return problems;
}
