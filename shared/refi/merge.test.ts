import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkStudyRecords } from '../model/integrity.ts';
import type { StudyRecords } from '../model/types.ts';
import { readStudyFile } from '../study-file/read.ts';
import { planRefiMerge } from './merge.ts';
import { readQdpx } from './qde-import.ts';
import { studyToQdpx } from './qdpx.ts';

const NOW = '2026-11-23T00:00:00.000Z';
let n = 0;
const newId = () => `00000000-0000-4000-8000-${(++n).toString(16).padStart(12, '0')}`;

function demo(): StudyRecords {
  const text = readFileSync(join(import.meta.dirname, '../../fixtures/demo/demo-study.cartography.json'), 'utf8');
  return readStudyFile(text, 'demo-study.cartography.json', { now: NOW, newId });
}
/** The study as it comes back from its own .qdpx. */
async function roundTrip(records: StudyRecords): Promise<StudyRecords> {
  return (await readQdpx(studyToQdpx(records, { origin: 'Cartography test', positions: 'code-points' }), 'study.qdpx', { now: NOW })).records;
}
const puts = (plan: ReturnType<typeof planRefiMerge>) => Object.fromEntries(Object.entries(plan.put).filter(([, rows]) => rows.length > 0).map(([k, rows]) => [k, rows.length]));

describe('planRefiMerge', () => {
  it('re-importing an exported study into itself changes nothing', async () => {
    const study = demo();
    const plan = planRefiMerge(study, await roundTrip(study));
    expect(puts(plan)).toEqual({});
    expect(plan.counts.codes).toEqual({ added: 0, updated: 0, unchanged: study.codes.length });
    expect(plan.counts.codings).toEqual({ added: 0, updated: 0, unchanged: study.codings.length });
    expect(plan.counts.memos.unchanged).toBe(study.memos.length);
    expect(plan.result).toEqual(study);
  });

  it('moves a segment the file moved before joining new selections by span, whatever their order in the file', async () => {
    const study = demo();
    const moved = study.segments.find((s) => {
      const text = study.texts.find((t) => t.id === s.documentId)!.text;
      return s.end + 5 <= text.length && !study.segments.some((o) => o !== s && o.documentId === s.documentId && o.start === s.start && o.end === s.end + 5);
    })!;
    const text = study.texts.find((t) => t.id === moved.documentId)!.text;
    const code = study.codes.find((c) => !study.codings.some((x) => x.segmentId === moved.id && x.codeId === c.id))!;
    const coder = study.coders[0]!;
    // The file: a new selection on the segment's old span (listed first), and the segment itself moved 5 characters further.
    const fresh = { ...moved, id: newId(), text: text.slice(moved.start, moved.end) };
    const coding = { ...study.codings[0]!, id: newId(), segmentId: fresh.id, documentId: moved.documentId, codeId: code.id, coderId: coder.id };
    const movedThere = { ...moved, end: moved.end + 5, text: text.slice(moved.start, moved.end + 5) };
    for (const order of ['new first', 'moved first'] as const) {
      const segments = study.segments.filter((s) => s.id !== moved.id);
      const incoming: StudyRecords = { ...study, segments: order === 'new first' ? [fresh, ...segments, movedThere] : [movedThere, ...segments, fresh], codings: [...study.codings, coding] };
      const plan = planRefiMerge(study, incoming);
      const result = plan.result;
      expect(result.segments.find((s) => s.id === moved.id)).toMatchObject({ start: moved.start, end: moved.end + 5 });
      const holder = result.segments.find((s) => s.id === result.codings.find((c) => c.id === coding.id)!.segmentId)!;
      // The new coding selects the words it was made on, in either order.
      expect([holder.start, holder.end, holder.text]).toEqual([moved.start, moved.end, fresh.text]);
      expect(checkStudyRecords(result)).toEqual([]);
    }
  });

  it('adds what the study lacks, keeps what the file lacks, and resolves references', async () => {
    const full = demo();
    const dropped = full.codes.find((c) => full.codings.some((x) => x.codeId === c.id) && !full.codes.some((k) => k.parentId === c.id))!;
    const codingsOfDropped = full.codings.filter((c) => c.codeId === dropped.id);
    // the study lacks one code and its codings, and has a code of its own the file lacks
    const own = { ...full.codes[0]!, id: newId(), name: 'Only in the study', parentId: null, order: 999 };
    const existing: StudyRecords = {
      ...full,
      codes: [...full.codes.filter((c) => c.id !== dropped.id), own],
      codings: full.codings.filter((c) => c.codeId !== dropped.id),
      memos: full.memos.filter((m) => !(m.targetType === 'code' && m.targetId === dropped.id)),
    };
    const segmentsLeft = new Set(existing.codings.map((c) => c.segmentId));
    existing.segments = full.segments.filter((s) => segmentsLeft.has(s.id) || full.memos.some((m) => m.targetId === s.id) || full.ties.some((t) => t.evidenceSegmentIds.includes(s.id)));
    existing.documents = full.documents.map((d) => ({ ...d, codingCount: existing.codings.filter((c) => c.documentId === d.id).length, coderIds: [...new Set(existing.codings.filter((c) => c.documentId === d.id).map((c) => c.coderId))].sort() }));
    expect(checkStudyRecords(existing)).toEqual([]);

    const plan = planRefiMerge(existing, await roundTrip(full));
    expect(plan.counts.codes.added).toBe(1);
    expect(plan.counts.codings.added).toBe(codingsOfDropped.length);
    expect(plan.result.codes.find((c) => c.id === own.id)).toEqual(own);
    expect(plan.result.codes.find((c) => c.id === dropped.id)).toMatchObject({ name: dropped.name, parentId: dropped.parentId, studyId: full.study.id });
    expect(checkStudyRecords(plan.result)).toEqual([]);
    expect(plan.result.documents.reduce((sum, d) => sum + d.codingCount, 0)).toBe(full.codings.length);
  });

  it('the file wins for what it carries; what it does not carry keeps the study’s values', async () => {
    const study = demo();
    const code = study.codes.find((c) => c.history.length > 0) ?? study.codes[0]!;
    const edited = await roundTrip({ ...study, codes: study.codes.map((c) => (c.id === code.id ? { ...c, name: 'Renamed in NVivo', color: '#123456' } : c)) });
    const plan = planRefiMerge(study, edited);
    expect(plan.counts.codes).toEqual({ added: 0, updated: 1, unchanged: study.codes.length - 1 });
    expect(plan.put.codes).toEqual([{ ...code, name: 'Renamed in NVivo', color: '#123456' }]);
  });

  it('a document whose text differs keeps the study’s text; the file’s selections of it are skipped with a note', async () => {
    const study = demo();
    const doc = study.documents.find((d) => study.segments.some((s) => s.documentId === d.id))!;
    const changed = await roundTrip({ ...study, texts: study.texts.map((t) => (t.id === doc.id ? { ...t, text: t.text.toUpperCase() } : t)) });
    // pretend the other program moved a selection of that document
    const moved = { ...changed, segments: changed.segments.map((s) => (s.documentId === doc.id ? { ...s, start: 0, end: 1, text: 'X' } : s)) };
    const plan = planRefiMerge(study, moved);
    expect(plan.notes).toContain(`The document “${doc.title}” has a different text in the file: the study's text was kept, and the file's selections of it were skipped with their codings and memos.`);
    expect(plan.result.texts.find((t) => t.id === doc.id)!.text).toBe(study.texts.find((t) => t.id === doc.id)!.text);
    expect(plan.put.segments).toEqual([]);
    expect(plan.put.texts).toEqual([]);
    expect(plan.result.segments).toEqual(study.segments);
  });

  it('into another study: everything is added with the study’s id, and study memos follow', async () => {
    const source = demo();
    const target = { ...demo(), study: { ...source.study, id: newId(), name: 'Target' } };
    const empty: StudyRecords = { study: target.study, coders: [], stages: [], attributes: [], cases: [], participants: [], documents: [], texts: [], segments: [], codes: [], codings: [], memos: [], actors: [], ties: [], overrides: [] };
    const incoming = await roundTrip(source);
    const plan = planRefiMerge(empty, incoming);
    expect(checkStudyRecords(plan.result)).toEqual([]);
    expect(plan.counts.codes.added).toBe(source.codes.length);
    expect(plan.result.study.name).toBe('Target');
    expect(plan.result.codes.every((c) => c.studyId === target.study.id)).toBe(true);
    expect(plan.result.memos.filter((m) => m.targetType === 'study').every((m) => m.targetId === target.study.id)).toBe(true);
    expect(plan.notes[0]).toMatch(/^The study keeps its name and description; the file's project “.*” was merged into it\.$/);
  });
});
