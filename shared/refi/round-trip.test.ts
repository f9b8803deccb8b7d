/**
 * Round trip: random studies → studyToQdpx (both position options) → readQdpx → the same
 * records, in everything a REFI-QDA project carries.
 *
 * Compared: coders (id, name); stages (id, name, description, order); attributes (id, name,
 * type, category values, order); cases (id, name, description, attribute values); documents
 * (id, title, case, creator, dates, text); segments (id, document, span, text, creator, dates);
 * codes (id, parent, name, colour, stage, kind, mode, definitions, examples, status, order among
 * siblings); codings (id, segment, code, coder, document, createdAt); memos (id, target, title,
 * text, creator, dates; a justification's target through its override); ties (id, the cases
 * at both ends, type, stage); position overrides (case, stage, value, justification memo).
 *
 * Not compared, as the export's `omitted` says or because a project has no place for them:
 * participants, openness profiles, codes' histories, the dates and creators of coders,
 * stages, attributes, cases, codes, actors, ties and overrides, codings' modifiedAt and
 * createdBy, actors' ids, names, types and descriptions (an actor is rebuilt from its case),
 * tie descriptions and evidence, override ids, documents' turns, participants, source format
 * and import notes, and the study record's id, dates and active coder. Orders are compared as
 * ranks, not numbers.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkStudyRecords } from '../model/integrity.ts';
import { TIE_TYPES, type Case, type Code, type Coding, type Memo, type PositionOverride, type Segment, type StudyRecords, type Tie } from '../model/types.ts';
import { normaliseText } from '../text/normalise.ts';
import { readQdpx } from './qde-import.ts';
import { studyToQdpx } from './qdpx.ts';
import { planMerge } from './merge.ts';

const NOW = '2026-11-23T00:00:00.000Z';

/** A small seeded generator (mulberry32): fast-check picks the seed, and shrinks it. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T,>(items: readonly T[]): T => items[int(0, items.length - 1)]!;
  const chance = (p: number) => next() < p;
  const guid = () => {
    const hex = Array.from({ length: 32 }, () => int(0, 15).toString(16));
    hex[12] = '4';
    hex[16] = pick(['8', '9', 'a', 'b']);
    const h = hex.join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };
  return { int, pick, chance, guid };
}

const PIECES = ['Hello ', 'wörld', '😀', 'e\u0301', 'n\u0303o', '\r\n', '\n', '\r', 'x', '🎉🎉', ' ', 'I: ', '“quote”', '&<>', '𝔘𝔫𝔦'];
const WORDS = ['Ana', 'Bo', 'Çelik', 'data', 'sharing', 'open', 'ties', 'ß', '日本', '🙂ok'];
const STAGE_NAMES = ['Pre-training', 'Post-training', 'Post-release', 'Fine-tuning (v2)'];
const DATES = ['2025-01-02T03:04:05.000Z', '2026-06-30T23:59:59.123Z', NOW];

/** A random study, every record valid and inside what the format can carry. */
function randomStudy(seed: number): StudyRecords {
  const r = random(seed);
  const studyId = r.guid();
  const phrase = (n = r.int(1, 3)) => Array.from({ length: n }, () => r.pick(WORDS)).join(' ');
  const text = () => Array.from({ length: r.int(0, 4) }, () => r.pick(['', 'x\ny', phrase(), 'Line one.\nLine two'])).join('\n');
  const coders = Array.from({ length: r.int(1, 3) }, (_, i) => ({ id: r.guid(), studyId, createdAt: NOW, modifiedAt: NOW, createdBy: null, name: `${phrase()} ${i}` }));
  const by = () => (r.chance(0.2) ? null : r.pick(coders).id);
  const tracked = () => ({ id: r.guid(), studyId, createdAt: r.pick(DATES), modifiedAt: r.pick(DATES), createdBy: by() });
  const stages = STAGE_NAMES.slice(0, r.int(0, 4)).map((name, order) => ({ ...tracked(), name, description: r.chance(0.5) ? text() : '', order }));
  const attributes = (['text', 'number', 'boolean', 'date', 'category'] as const).filter(() => r.chance(0.6)).map((type, order) => ({
    ...tracked(),
    name: `${type} ${phrase(1)}`,
    type,
    values: type === 'category' ? ['Low', 'High', 'Mixed; or not'.replace(';', ',')] : [],
    order,
  }));
  const cases: Case[] = Array.from({ length: r.int(0, 3) }, (_, i) => ({
    ...tracked(),
    name: `Case ${i} ${phrase(1)}`,
    description: r.chance(0.5) ? text() : '',
    attributes: Object.fromEntries(
      attributes
        .filter(() => r.chance(0.7))
        .map((a) => [a.id, a.type === 'number' ? r.pick([0, -1.5, 1e-7, 42, 1e21]) : a.type === 'boolean' ? r.chance(0.5) : a.type === 'date' ? r.pick(['2024-02-29', '1999-12-31']) : a.type === 'category' ? r.pick(a.values) : phrase()]),
    ),
    openness: { weights: 'unknown', data: 'unknown', trainingCode: 'unknown', checkpoints: 'unknown', evaluationCode: 'unknown', documentation: 'unknown' },
  }));
  const codes: Code[] = [];
  for (let i = 0, n = r.int(1, 6); i < n; i += 1) {
    codes.push({
      ...tracked(),
      parentId: codes.length > 0 && r.chance(0.5) ? r.pick(codes).id : null,
      name: `${phrase()} ${i}`,
      color: r.pick(['#aabbcc', '#4e79a7', '#000000']),
      stageId: stages.length > 0 && r.chance(0.6) ? r.pick(stages).id : null,
      kind: r.pick(['challenge', 'on-ramp', 'other'] as const),
      mode: r.pick(['cathedral', 'bazaar', 'neutral'] as const),
      order: i,
      shortDefinition: r.chance(0.5) ? phrase() : '',
      definition: r.chance(0.5) ? text() : '',
      useWhen: r.chance(0.3) ? 'Definition:\nUse when: - x' : '',
      doNotUseWhen: r.chance(0.3) ? phrase() : '',
      examples: r.chance(0.4) ? [{ text: `“${phrase()}”`, typical: true, segmentId: r.chance(0.5) ? r.guid() : null }] : [],
      status: r.pick(['draft', 'active', 'retired'] as const),
      history: [],
    });
  }
  const documents = [];
  const texts = [];
  const segments: Segment[] = [];
  const codings: Coding[] = [];
  for (let d = 0, n = r.int(1, 3); d < n; d += 1) {
    // Texts are stored normalised: CRLF and CR in the raw pieces become LF.
    const body = normaliseText(Array.from({ length: r.int(0, 25) }, () => r.pick(PIECES)).join(''));
    const doc = {
      ...tracked(),
      title: `Interview ${d} ${phrase(1)}`,
      caseId: cases.length > 0 && r.chance(0.7) ? r.pick(cases).id : null,
      participantIds: [],
      sourceFormat: 'txt',
      length: body.length,
      wordCount: 0,
      codingCount: 0,
      coderIds: [] as string[],
      turns: [],
      importMeta: { fileName: 'x.txt', importedAt: NOW, encoding: 'utf-8', notes: [] },
    };
    documents.push(doc);
    texts.push({ id: doc.id, studyId, text: body });
    // segment edges on code-point boundaries, one segment per span
    const edges = [0];
    for (let i = 0; i < body.length; i += 1) if (!(body.charCodeAt(i) >= 0xdc00 && body.charCodeAt(i) <= 0xdfff)) edges.push(i);
    edges.push(body.length);
    const spans = new Set<string>();
    for (let k = 0, m = body.length === 0 ? 0 : r.int(0, 5); k < m; k += 1) {
      const a = r.pick(edges);
      const b = r.pick(edges);
      if (a === b || spans.has(`${Math.min(a, b)}:${Math.max(a, b)}`)) continue;
      const [start, end] = [Math.min(a, b), Math.max(a, b)];
      spans.add(`${start}:${end}`);
      const segment: Segment = { ...tracked(), documentId: doc.id, start, end, text: body.slice(start, end) };
      segments.push(segment);
      const used = new Set<string>();
      for (let c = 0, cn = r.int(0, 3); c < cn; c += 1) {
        const codeId = r.pick(codes).id;
        const coderId = r.pick(coders).id;
        if (used.has(`${codeId}:${coderId}`)) continue;
        used.add(`${codeId}:${coderId}`);
        const createdAt = r.pick(DATES);
        codings.push({ id: r.guid(), studyId, createdAt, modifiedAt: createdAt, createdBy: coderId, segmentId: segment.id, codeId, coderId, documentId: doc.id });
      }
    }
    const coderIds = [...new Set(codings.filter((c) => c.documentId === doc.id).map((c) => c.coderId))].sort();
    doc.codingCount = codings.filter((c) => c.documentId === doc.id).length;
    doc.coderIds = coderIds;
  }
  const memo = (targetType: Memo['targetType'], targetId: string): Memo => ({ ...tracked(), targetType, targetId, title: r.chance(0.2) ? '' : `On ${phrase(1)}`, text: r.chance(0.2) ? '' : text() });
  const memos: Memo[] = [];
  if (r.chance(0.5)) memos.push(memo('study', studyId));
  for (const doc of documents) if (r.chance(0.4)) memos.push(memo('document', doc.id));
  for (const segment of segments) if (r.chance(0.3)) memos.push(memo('segment', segment.id));
  for (const code of codes) if (r.chance(0.3)) memos.push(memo('code', code.id));
  for (const c of cases) if (r.chance(0.4)) memos.push(memo('case', c.id));
  const actors = cases.map((c) => ({ ...tracked(), name: c.name, type: 'project' as const, caseId: c.id, description: '' }));
  const ties: Tie[] = [];
  const overrides: PositionOverride[] = [];
  if (stages.length > 0) {
    for (let t = 0, n = actors.length > 1 ? r.int(0, 3) : 0; t < n; t += 1) {
      ties.push({ ...tracked(), fromId: r.pick(actors).id, toId: r.pick(actors).id, type: r.pick(TIE_TYPES), stageId: r.pick(stages).id, description: r.chance(0.5) ? 'not carried' : '', evidenceSegmentIds: [] });
    }
    for (const c of cases) {
      if (!r.chance(0.4)) continue;
      const stage = r.pick(stages);
      const id = r.guid();
      const justification = memo('position', id);
      memos.push(justification);
      overrides.push({ ...tracked(), id, caseId: c.id, stageId: stage.id, value: r.pick([-1, -0.25, 0, 1 / 3, 1]), memoId: justification.id });
    }
  }
  return {
    study: { id: studyId, name: `Study ${phrase()}`, description: r.chance(0.5) ? text() : '', createdAt: NOW, modifiedAt: NOW, createdBy: coders[0]!.id, isDemo: false, activeCoderId: coders[0]!.id },
    coders,
    stages,
    attributes,
    cases,
    participants: [],
    documents,
    texts,
    segments,
    codes,
    codings,
    memos,
    actors,
    ties,
    overrides,
  };
}

const byId = <T extends { id: string }>(rows: readonly T[]) => [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
/** Orders as ranks among rows of the same group (siblings), so only the sequence is compared. */
const ranks = <T extends { id: string; order: number }>(rows: readonly T[], group: (row: T) => string = () => '') => {
  const out = new Map<string, number>();
  const groups = new Map<string, T[]>();
  for (const row of rows) groups.set(group(row), [...(groups.get(group(row)) ?? []), row]);
  for (const list of groups.values()) list.map((row, i) => ({ row, i })).sort((a, b) => a.row.order - b.row.order || a.i - b.i).forEach(({ row }, rank) => out.set(row.id, rank));
  return out;
};

/** What a .qdpx carries of a study, in a form that compares with toEqual (see the module comment). */
function carried(records: StudyRecords) {
  const stageRank = ranks(records.stages);
  const attributeRank = ranks(records.attributes);
  const codeRank = ranks(records.codes, (c) => c.parentId ?? '');
  const actorCase = new Map(records.actors.map((a) => [a.id, a.caseId]));
  const overrideById = new Map(records.overrides.map((o) => [o.id, o]));
  return {
    study: { name: records.study.name, description: records.study.description },
    coders: byId(records.coders).map(({ id, name }) => ({ id, name })),
    stages: byId(records.stages).map(({ id, name, description }) => ({ id, name, description, rank: stageRank.get(id) })),
    attributes: byId(records.attributes).map(({ id, name, type, values }) => ({ id, name, type, values, rank: attributeRank.get(id) })),
    cases: byId(records.cases).map(({ id, name, description, attributes }) => ({ id, name, description, attributes })),
    documents: byId(records.documents).map(({ id, title, caseId, createdBy, createdAt, modifiedAt, length, codingCount, coderIds }) => ({
      id,
      title,
      caseId,
      createdBy,
      createdAt,
      modifiedAt,
      length,
      codingCount,
      coderIds,
      text: records.texts.find((t) => t.id === id)?.text,
    })),
    segments: byId(records.segments).map(({ id, documentId, start, end, text, createdBy, createdAt, modifiedAt }) => ({ id, documentId, start, end, text, createdBy, createdAt, modifiedAt })),
    codes: byId(records.codes).map(({ history: _h, order: _o, studyId: _s, createdAt: _c, modifiedAt: _m, createdBy: _b, ...rest }) => ({ ...rest, rank: codeRank.get(rest.id) })),
    codings: byId(records.codings).map(({ id, segmentId, codeId, coderId, documentId, createdAt }) => ({ id, segmentId, codeId, coderId, documentId, createdAt })),
    memos: byId(records.memos).map(({ id, targetType, targetId, title, text, createdBy, createdAt, modifiedAt }) => {
      const override = targetType === 'position' ? overrideById.get(targetId) : undefined;
      return { id, targetType, target: override ? `${override.caseId}@${override.stageId}` : targetType === 'study' ? 'the study' : targetId, title, text, createdBy, createdAt, modifiedAt };
    }),
    ties: byId(records.ties).map(({ id, fromId, toId, type, stageId }) => ({ id, from: actorCase.get(fromId), to: actorCase.get(toId), type, stageId })),
    overrides: [...records.overrides].map(({ caseId, stageId, value, memoId }) => ({ caseId, stageId, value, memoId })).sort((a, b) => (a.memoId < b.memoId ? -1 : 1)),
  };
}

describe('REFI-QDA round trip (export → import)', () => {
  it('gives back everything the project carries, for random studies and both position options', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer(), async (seed) => {
        const study = randomStudy(seed);
        expect(checkStudyRecords(study)).toEqual([]);
        for (const positions of ['code-points', 'utf16'] as const) {
          const bytes = studyToQdpx(study, { origin: 'Cartography test', positions });
          const imported = await readQdpx(bytes, 'study.qdpx', { now: NOW });
          expect(checkStudyRecords(imported.records)).toEqual([]);
          expect(imported.positions.unit).toBe(positions);
          expect(carried(imported.records)).toEqual(carried(study));
        }
      }),
      { numRuns: 60 },
    );
  }, 120_000);

  it('merging an exported study back into itself changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer(), async (seed) => {
        const study = randomStudy(seed);
        const imported = await readQdpx(studyToQdpx(study, { origin: 'Cartography test', positions: 'code-points' }), 'study.qdpx', { now: NOW });
        const plan = planMerge(study, imported.records);
        for (const [collection, rows] of Object.entries(plan.put)) expect({ collection, rows }).toEqual({ collection, rows: [] });
        for (const count of Object.values(plan.counts)) expect(count.added + count.updated).toBe(0);
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
