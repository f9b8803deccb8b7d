/**
 * Writes the records of one study as a study file that `readStudyFile` reads back to the
 * same records: GUIDs are the keys, codings are anchored by offsets, timestamps are kept.
 * The one change on the way: an example's link to a segment the study no longer has is
 * written as null (a dangling link has nothing to point at in the file). A position
 * override's memo is written inside the override, as its justification, and not among
 * the memos. The study's settings, when given, are written by name in name order.
 */
import type { Guid, StudyRecords } from '../model/types.ts';
import { STUDY_FILE_FORMAT, STUDY_FILE_VERSION, type StudyFile, type StudyFileSettings } from './format.ts';

export function writeStudyFile(records: StudyRecords, settings: StudyFileSettings = {}): StudyFile {
  const names = Object.keys(settings).sort();
  const segments = new Map(records.segments.map((s) => [s.id, s]));
  const textOf = new Map(records.texts.map((t) => [t.id, t.text]));
  const memos = new Map(records.memos.map((m) => [m.id, m]));
  const stamp = (r: { id: Guid; createdAt: string; modifiedAt: string; createdBy: Guid | null }) => ({
    key: r.id,
    id: r.id,
    createdAt: r.createdAt,
    modifiedAt: r.modifiedAt,
    createdBy: r.createdBy,
  });
  const anchor = (segmentId: Guid) => {
    const s = segments.get(segmentId);
    if (!s) throw new Error(`segment ${segmentId} is missing`);
    return { segmentId: s.id, document: s.documentId, start: s.start, end: s.end };
  };

  return {
    format: STUDY_FILE_FORMAT,
    version: STUDY_FILE_VERSION,
    study: {
      id: records.study.id,
      name: records.study.name,
      description: records.study.description,
      createdAt: records.study.createdAt,
      modifiedAt: records.study.modifiedAt,
      createdBy: records.study.createdBy,
      activeCoder: records.study.activeCoderId,
    },
    coders: records.coders.map((c) => ({ ...stamp(c), createdBy: undefined, name: c.name })),
    stages: [...records.stages].sort((a, b) => a.order - b.order).map((s) => ({ ...stamp(s), name: s.name, description: s.description })),
    attributes: [...records.attributes].sort((a, b) => a.order - b.order).map((a) => ({ ...stamp(a), name: a.name, type: a.type, values: a.values })),
    cases: records.cases.map((c) => ({ ...stamp(c), name: c.name, description: c.description, attributes: c.attributes, openness: c.openness })),
    participants: records.participants.map((p) => ({
      ...stamp(p),
      pseudonym: p.pseudonym,
      role: p.role,
      organisation: p.organisation,
      case: p.caseId,
      interviewDate: p.interviewDate,
    })),
    codes: [...records.codes].sort((a, b) => a.order - b.order).map((c) => ({
      ...stamp(c),
      name: c.name,
      parent: c.parentId,
      color: c.color,
      stage: c.stageId,
      kind: c.kind,
      mode: c.mode,
      shortDefinition: c.shortDefinition,
      definition: c.definition,
      useWhen: c.useWhen,
      doNotUseWhen: c.doNotUseWhen,
      examples: c.examples.map((e) => ({ text: e.text, typical: e.typical, segment: e.segmentId !== null && segments.has(e.segmentId) ? e.segmentId : null })),
      status: c.status,
      history: c.history.map((h) => ({ at: h.at, by: h.by, summary: h.summary })),
    })),
    documents: records.documents.map((d) => ({
      ...stamp(d),
      title: d.title,
      case: d.caseId,
      participants: d.participantIds,
      sourceFormat: d.sourceFormat,
      interviewers: [...new Set(d.turns.filter((t) => t.isInterviewer && t.speaker).map((t) => t.speaker!))],
      text: textOf.get(d.id) ?? '',
      importMeta: d.importMeta,
    })),
    codings: records.codings.map((c) => ({
      id: c.id,
      ...anchor(c.segmentId),
      code: c.codeId,
      coder: c.coderId,
      createdAt: c.createdAt,
      modifiedAt: c.modifiedAt,
    })),
    memos: records.memos.flatMap((m) => {
      if (m.targetType === 'position') return [];
      const target = m.targetType === 'segment' ? { type: 'segment' as const, ...anchor(m.targetId) } : { type: m.targetType, key: m.targetId };
      return [{ id: m.id, target, title: m.title, text: m.text, createdBy: m.createdBy, createdAt: m.createdAt, modifiedAt: m.modifiedAt }];
    }),
    actors: records.actors.map((a) => ({ ...stamp(a), name: a.name, type: a.type, case: a.caseId, description: a.description })),
    ties: records.ties.map((t) => ({
      id: t.id,
      from: t.fromId,
      to: t.toId,
      type: t.type,
      stage: t.stageId,
      description: t.description,
      evidence: t.evidenceSegmentIds.map(anchor),
      createdBy: t.createdBy,
      createdAt: t.createdAt,
      modifiedAt: t.modifiedAt,
    })),
    overrides: records.overrides.map((o) => {
      const memo = memos.get(o.memoId);
      if (!memo) throw new Error(`memo ${o.memoId} is missing`);
      return {
        id: o.id,
        case: o.caseId,
        stage: o.stageId,
        value: o.value,
        justification: { id: memo.id, title: memo.title, text: memo.text, createdBy: memo.createdBy, createdAt: memo.createdAt, modifiedAt: memo.modifiedAt },
        createdBy: o.createdBy,
        createdAt: o.createdAt,
        modifiedAt: o.modifiedAt,
      };
    }),
    // Left out when empty, so a study without settings writes the file it always did.
    ...(names.length > 0 ? { settings: Object.fromEntries(names.map((name) => [name, settings[name]])) } : {}),
  };
}
