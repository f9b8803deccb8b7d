import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkStudyRecords } from '../model/integrity.ts';
import type { StudyRecords } from '../model/types.ts';
import { readStudyFile } from '../study-file/read.ts';
import { writeStudyFile } from '../study-file/write.ts';
import { planMerge } from './merge.ts';
import { readMergeSource } from './merge-source.ts';
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
/** The study as a teammate's exported study file reads (GUIDs kept). */
const copy = (records: StudyRecords): StudyRecords => structuredClone(records);
const puts = (plan: ReturnType<typeof planMerge>) => Object.fromEntries(Object.entries(plan.put).filter(([, rows]) => rows.length > 0).map(([k, rows]) => [k, rows.length]));

describe('planMerge', () => {
  it('re-importing an exported study into itself changes nothing', async () => {
    const study = demo();
    const plan = planMerge(study, await roundTrip(study));
    expect(puts(plan)).toEqual({});
    expect(plan.conflicts).toEqual([]);
    expect(plan.counts.codes).toEqual({ added: 0, updated: 0, unchanged: study.codes.length, conflicts: 0 });
    expect(plan.counts.codings).toEqual({ added: 0, updated: 0, unchanged: study.codings.length, conflicts: 0 });
    expect(plan.counts.memos.unchanged).toBe(study.memos.length);
    expect(plan.result).toEqual(study);
  });

  it('a teammate’s study file of the same study, unchanged, changes nothing either', () => {
    const study = demo();
    const plan = planMerge(study, copy(study), {}, { from: 'study-file' });
    expect(puts(plan)).toEqual({});
    expect(plan.conflicts).toEqual([]);
    expect(plan.result).toEqual(study);
  });

  it('a segment the file moved is a conflict; taking theirs moves it before new selections are joined by span, whatever their order in the file', () => {
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
    const key = `segments:${moved.id}`;
    for (const order of ['new first', 'moved first'] as const) {
      const segments = study.segments.filter((s) => s.id !== moved.id);
      const incoming: StudyRecords = { ...study, segments: order === 'new first' ? [fresh, ...segments, movedThere] : [movedThere, ...segments, fresh], codings: [...study.codings, coding] };

      const kept = planMerge(study, incoming);
      expect(kept.conflicts.map((c) => [c.key, c.choice, c.differences])).toEqual([
        [key, 'ours', [{ field: 'span', label: 'Selection', ours: `${moved.start}–${moved.end}: “${moved.text}”`, theirs: `${moved.start}–${moved.end + 5}: “${movedThere.text}”` }]],
      ]);
      // Kept where it is: the new selection on that span joins it, and its coding codes the same words.
      expect(kept.result.segments.find((s) => s.id === moved.id)).toEqual(moved);
      expect(kept.result.codings.find((c) => c.id === coding.id)!.segmentId).toBe(moved.id);

      const plan = planMerge(study, incoming, { conflicts: { [key]: 'theirs' } });
      const result = plan.result;
      expect(result.segments.find((s) => s.id === moved.id)).toMatchObject({ start: moved.start, end: moved.end + 5 });
      const holder = result.segments.find((s) => s.id === result.codings.find((c) => c.id === coding.id)!.segmentId)!;
      // The new coding selects the words it was made on, in either order.
      expect([holder.start, holder.end, holder.text]).toEqual([moved.start, moved.end, fresh.text]);
      expect(checkStudyRecords(result)).toEqual([]);
    }
  });

  it('keeping a moved segment where it is skips the file’s new codings of it, which were made on other words', () => {
    const study = demo();
    const moved = study.segments.find((s) => s.start > 0 && !study.segments.some((o) => o !== s && o.documentId === s.documentId && o.start === s.start - 1 && o.end === s.end))!;
    const text = study.texts.find((t) => t.id === moved.documentId)!.text;
    const code = study.codes.find((c) => !study.codings.some((x) => x.segmentId === moved.id && x.codeId === c.id))!;
    const coding = { ...study.codings[0]!, id: newId(), segmentId: moved.id, documentId: moved.documentId, codeId: code.id };
    const incoming = { ...copy(study), segments: study.segments.map((s) => (s.id === moved.id ? { ...s, start: s.start - 1, text: text.slice(s.start - 1, s.end) } : s)), codings: [...study.codings, coding] };
    const kept = planMerge(study, incoming);
    expect(kept.result.codings.some((c) => c.id === coding.id)).toBe(false);
    expect(kept.notes).toContain('1 coding of the file was made on a selection the study keeps at another span: skipped, as it would code other words.');
    const taken = planMerge(study, incoming, { all: 'theirs' });
    expect(taken.result.codings.find((c) => c.id === coding.id)).toEqual(coding);
    expect(taken.result.segments.find((s) => s.id === moved.id)!.start).toBe(moved.start - 1);
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

    const plan = planMerge(existing, await roundTrip(full));
    expect(plan.counts.codes.added).toBe(1);
    expect(plan.addedNames.codes).toEqual([dropped.name]);
    expect(plan.counts.codings.added).toBe(codingsOfDropped.length);
    expect(plan.result.codes.find((c) => c.id === own.id)).toEqual(own);
    expect(plan.result.codes.find((c) => c.id === dropped.id)).toMatchObject({ name: dropped.name, parentId: dropped.parentId, studyId: full.study.id });
    expect(checkStudyRecords(plan.result)).toEqual([]);
    expect(plan.result.documents.reduce((sum, d) => sum + d.codingCount, 0)).toBe(full.codings.length);
  });

  it('a code the file edited is a conflict with both versions: the study’s is kept by default, the file’s when the researcher takes theirs; what the file does not carry stays', async () => {
    const study = demo();
    const code = study.codes.find((c) => c.history.length > 0) ?? study.codes[0]!;
    const edited = await roundTrip({ ...study, codes: study.codes.map((c) => (c.id === code.id ? { ...c, name: 'Renamed in NVivo', color: '#123456' } : c)) });

    const kept = planMerge(study, edited);
    expect(kept.conflicts).toEqual([
      {
        key: `codes:${code.id}`,
        collection: 'codes',
        id: code.id,
        name: code.name,
        differences: [
          { field: 'name', label: 'Name', ours: code.name, theirs: 'Renamed in NVivo' },
          { field: 'color', label: 'Colour', ours: code.color, theirs: '#123456' },
        ],
        choice: 'ours',
        locked: null,
      },
    ]);
    expect(kept.counts.codes).toEqual({ added: 0, updated: 0, unchanged: study.codes.length, conflicts: 1 });
    expect(puts(kept)).toEqual({});

    for (const choices of [{ conflicts: { [`codes:${code.id}`]: 'theirs' as const } }, { all: 'theirs' as const }]) {
      const plan = planMerge(study, edited, choices);
      expect(plan.conflicts.map((c) => c.choice)).toEqual(['theirs']);
      expect(plan.counts.codes).toEqual({ added: 0, updated: 1, unchanged: study.codes.length - 1, conflicts: 1 });
      expect(plan.put.codes).toEqual([{ ...code, name: 'Renamed in NVivo', color: '#123456' }]);
    }
    // A choice for one conflict beats the choice for all.
    expect(puts(planMerge(study, edited, { all: 'theirs', conflicts: { [`codes:${code.id}`]: 'ours' } }))).toEqual({});
  });

  it('lists every kind of conflict from a teammate’s study file, keeps ours by default, fills in what the study lacks, and takes theirs for all but the locked ones', () => {
    const study = demo();
    // The study has no value for one case's attribute that the teammate filled in.
    const number = study.attributes.find((a) => a.type === 'number')!;
    const category = study.attributes.find((a) => a.type === 'category')!;
    const [case0, case1] = study.cases;
    const existing = copy(study);
    existing.cases = study.cases.map((c) => (c.id === case1!.id ? { ...c, attributes: { ...c.attributes, [category.id]: null } } : c));

    const theirs = copy(study);
    const edit = <T extends { id: string }>(rows: T[], id: string, change: Partial<T>) => rows.map((r) => (r.id === id ? { ...r, ...change } : r));
    const [doc0, doc1] = study.documents;
    const segment = study.segments.find((s) => s.documentId !== doc1!.id && s.start > 0 && !study.segments.some((o) => o.documentId === s.documentId && o.start === s.start - 1 && o.end === s.end))!;
    const segmentText = study.texts.find((t) => t.id === segment.documentId)!.text;
    const otherValue = category.values.find((v) => v !== case0!.attributes[category.id])!;
    theirs.coders = edit(theirs.coders, study.coders[0]!.id, { name: 'Researcher A (laptop)' });
    theirs.stages = edit(theirs.stages, study.stages[0]!.id, { description: 'Edited by a teammate' });
    theirs.attributes = edit(edit(theirs.attributes, category.id, { name: 'Region (edited)' }), number.id, { type: 'text' });
    theirs.cases = edit(theirs.cases, case0!.id, { name: 'Renamed case', attributes: { ...case0!.attributes, [category.id]: otherValue } });
    theirs.participants = edit(theirs.participants, study.participants[0]!.id, { role: 'Edited role' });
    theirs.documents = edit(theirs.documents, doc0!.id, { title: 'Edited title' });
    theirs.texts = edit(theirs.texts, doc1!.id, { text: study.texts.find((t) => t.id === doc1!.id)!.text.replace(/ /, '  ') });
    theirs.segments = edit(theirs.segments, segment.id, { start: segment.start - 1, text: segmentText.slice(segment.start - 1, segment.end) });
    theirs.codes = edit(theirs.codes, study.codes[0]!.id, { definition: 'A teammate’s definition.' });
    theirs.memos = edit(theirs.memos, study.memos[0]!.id, { text: 'A teammate’s memo text.' });
    theirs.actors = edit(theirs.actors, study.actors[0]!.id, { name: 'Edited actor' });
    theirs.ties = edit(theirs.ties, study.ties[0]!.id, { type: 'distribution' === study.ties[0]!.type ? 'benchmarking' : 'distribution' });

    const expectedKeys = [
      `coders:${study.coders[0]!.id}`,
      `stages:${study.stages[0]!.id}`,
      `attributes:${category.id}`,
      `attributes:${number.id}`,
      `cases:${case0!.id}`,
      `participants:${study.participants[0]!.id}`,
      `codes:${study.codes[0]!.id}`,
      `documents:${doc0!.id}`,
      `texts:${doc1!.id}`,
      `segments:${segment.id}`,
      `memos:${study.memos[0]!.id}`,
      `actors:${study.actors[0]!.id}`,
      `ties:${study.ties[0]!.id}`,
    ];
    const kept = planMerge(existing, theirs, {}, { from: 'study-file' });
    expect(kept.conflicts.map((c) => c.key).sort()).toEqual([...expectedKeys].sort());
    expect(kept.conflicts.every((c) => c.choice === 'ours' && c.differences.length > 0)).toBe(true);
    const byKey = new Map(kept.conflicts.map((c) => [c.key, c]));
    expect(byKey.get(`attributes:${number.id}`)!.locked).toMatch(/^Values of one type cannot be read as another/);
    expect(byKey.get(`texts:${doc1!.id}`)!.locked).toMatch(/^The study's codings point into its own text/);
    expect(byKey.get(`texts:${doc1!.id}`)!.name).toBe(doc1!.title);
    expect(byKey.get(`cases:${case0!.id}`)!.differences).toEqual([
      { field: 'name', label: 'Name', ours: case0!.name, theirs: 'Renamed case' },
      { field: `attributes.${category.id}`, label: category.name, ours: String(case0!.attributes[category.id]), theirs: otherValue },
    ]);
    expect(byKey.get(`codes:${study.codes[0]!.id}`)!.differences).toEqual([{ field: 'definition', label: 'Definition', ours: study.codes[0]!.definition, theirs: 'A teammate’s definition.' }]);
    // By default only the value the study lacked is written.
    expect(puts(kept)).toEqual({ cases: 1 });
    expect(kept.put.cases[0]!.attributes[category.id]).toBe(case1!.attributes[category.id]);
    expect(kept.counts.cases).toMatchObject({ updated: 1, conflicts: 1 });

    const taken = planMerge(existing, theirs, { all: 'theirs' }, { from: 'study-file' });
    expect(taken.conflicts.filter((c) => c.choice === 'theirs').map((c) => c.key).sort()).toEqual(expectedKeys.filter((k) => !k.startsWith('texts:') && k !== `attributes:${number.id}`).sort());
    const r = taken.result;
    const get = <T extends { id: string }>(rows: T[], id: string) => rows.find((x) => x.id === id)!;
    expect(get(r.coders, study.coders[0]!.id).name).toBe('Researcher A (laptop)');
    expect(get(r.stages, study.stages[0]!.id).description).toBe('Edited by a teammate');
    expect(get(r.attributes, category.id).name).toBe('Region (edited)');
    expect(get(r.attributes, number.id).type).toBe('number');
    expect(get(r.cases, case0!.id)).toMatchObject({ name: 'Renamed case', attributes: { [category.id]: otherValue } });
    expect(get(r.participants, study.participants[0]!.id).role).toBe('Edited role');
    expect(get(r.documents, doc0!.id).title).toBe('Edited title');
    expect(get(r.texts, doc1!.id).text).toBe(study.texts.find((t) => t.id === doc1!.id)!.text);
    expect(get(r.segments, segment.id).start).toBe(segment.start - 1);
    expect(get(r.codes, study.codes[0]!.id).definition).toBe('A teammate’s definition.');
    expect(get(r.memos, study.memos[0]!.id).text).toBe('A teammate’s memo text.');
    expect(get(r.actors, study.actors[0]!.id).name).toBe('Edited actor');
    expect(get(r.ties, study.ties[0]!.id).type).toBe(get(theirs.ties, study.ties[0]!.id).type);
    expect(checkStudyRecords(r)).toEqual([]);
  });

  it('never closes a loop of parents when the file’s parent is taken for one code and the study’s kept for the other', () => {
    const study = demo();
    const [a, b] = study.codes.filter((c) => c.parentId === null && !study.codes.some((k) => k.parentId === c.id));
    const existing = { ...copy(study), codes: study.codes.map((c) => (c.id === a!.id ? { ...c, parentId: b!.id } : c)) };
    const theirs = { ...copy(study), codes: study.codes.map((c) => (c.id === b!.id ? { ...c, parentId: a!.id } : c)) };
    const plan = planMerge(existing, theirs, { all: 'theirs' }, { from: 'study-file' });
    // Taking both: A goes back to the top level (the file's), B goes under A: no loop.
    expect(plan.result.codes.find((c) => c.id === a!.id)!.parentId).toBe(null);
    expect(plan.result.codes.find((c) => c.id === b!.id)!.parentId).toBe(a!.id);
    const one = planMerge(existing, theirs, { conflicts: { [`codes:${b!.id}`]: 'theirs' } }, { from: 'study-file' });
    expect(one.result.codes.find((c) => c.id === b!.id)!.parentId).toBe(null);
    expect(one.notes).toContain(`The file's parent of “${b!.name}” would put the code under itself with the other choices made: it keeps the study's parent.`);
    expect(checkStudyRecords(one.result)).toEqual([]);
  });

  describe('coders matched by name are offered, never applied silently', () => {
    /** The teammate's file: the study plus "researcher  a" under a new GUID, who coded one passage as Researcher A did and one anew. */
    function teammate() {
      const study = demo();
      const ours = study.coders[0]!;
      const mina = { ...ours, id: newId(), name: ' researcher  a ' };
      const repeated = study.codings.find((c) => c.coderId === ours.id)!;
      const segment = study.segments.find((s) => s.id === repeated.segmentId)!;
      const code = study.codes.find((c) => !study.codings.some((x) => x.segmentId === segment.id && x.codeId === c.id))!;
      const same = { ...repeated, id: newId(), coderId: mina.id, createdBy: mina.id };
      const fresh = { ...repeated, id: newId(), coderId: mina.id, codeId: code.id, createdBy: mina.id };
      const memo = { ...study.memos[0]!, id: newId(), title: 'Mina’s note', createdBy: mina.id };
      const incoming = { ...copy(study), coders: [...study.coders, mina], codings: [...study.codings, same, fresh], memos: [...study.memos, memo] };
      return { study, ours, mina, same, fresh, memo, incoming };
    }

    it('by default the coder stays a coder of their own, with their codings', () => {
      const { study, ours, mina, same, fresh, incoming } = teammate();
      const plan = planMerge(study, incoming, {}, { from: 'study-file' });
      expect(plan.nameMatches).toEqual([{ incomingId: mina.id, incomingName: ' researcher  a ', existingId: ours.id, existingName: ours.name, codings: 2, choice: 'separate' }]);
      expect(plan.addedNames.coders).toEqual([' researcher  a ']);
      expect(plan.counts.codings.added).toBe(2);
      expect(plan.result.codings.filter((c) => c.id === same.id || c.id === fresh.id).map((c) => c.coderId)).toEqual([mina.id, mina.id]);
      expect(checkStudyRecords(plan.result)).toEqual([]);
    });

    it('"same person" attributes their codings and records to the existing coder, without duplicate codings', () => {
      const { study, ours, mina, same, fresh, memo, incoming } = teammate();
      const plan = planMerge(study, incoming, { coders: { [mina.id]: 'same' } }, { from: 'study-file' });
      expect(plan.nameMatches.map((m) => m.choice)).toEqual(['same']);
      expect(plan.counts.coders.added).toBe(0);
      expect(plan.result.coders).toEqual(study.coders);
      // The coding Researcher A already had is not repeated; the new one is theirs now.
      expect(plan.result.codings.some((c) => c.id === same.id)).toBe(false);
      expect(plan.result.codings.find((c) => c.id === fresh.id)).toEqual({ ...fresh, coderId: ours.id, createdBy: ours.id });
      expect(plan.result.memos.find((m) => m.id === memo.id)!.createdBy).toBe(ours.id);
      expect(plan.result.codings.filter((c) => c.coderId === mina.id)).toEqual([]);
      expect(plan.notes).toContain(`“ researcher  a ” of the file is “${ours.name}” of the study (same person): 2 codings were attributed to “${ours.name}”.`);
      expect(plan.notes).toContain('1 coding repeats a code the same coder already applied to the same text in the study: skipped.');
      expect(checkStudyRecords(plan.result)).toEqual([]);
    });

    it('a coder with the same GUID is the same coder, whatever the name: a renamed coder is a conflict', () => {
      const study = demo();
      const incoming = { ...copy(study), coders: study.coders.map((c, i) => (i === 0 ? { ...c, name: 'Someone else' } : c)) };
      const plan = planMerge(study, incoming);
      expect(plan.nameMatches).toEqual([]);
      expect(plan.conflicts.map((c) => c.key)).toEqual([`coders:${study.coders[0]!.id}`]);
    });
  });

  it('reads a teammate’s study file with its GUIDs and merges what it adds', async () => {
    const study = demo();
    const mina = { ...study.coders[0]!, id: newId(), name: 'Mina' };
    const segment = study.segments[0]!;
    const coding = { ...study.codings[0]!, id: newId(), segmentId: segment.id, documentId: segment.documentId, codeId: study.codes.find((c) => !study.codings.some((x) => x.segmentId === segment.id && x.codeId === c.id))!.id, coderId: mina.id };
    const theirs = { ...copy(study), coders: [...study.coders, mina], codings: [...study.codings, coding], codes: study.codes.map((c, i) => (i === 1 ? { ...c, definition: 'Theirs.' } : c)) };
    const bytes = new TextEncoder().encode(JSON.stringify(writeStudyFile(theirs)));
    const source = await readMergeSource({ name: 'mina.cartography.json', bytes }, { now: NOW, newId });
    expect(source.from).toBe('study-file');
    expect(source.records.coders.map((c) => c.id)).toEqual(theirs.coders.map((c) => c.id));

    const plan = planMerge(study, source.records, {}, { from: source.from });
    expect(puts(plan)).toEqual({ coders: 1, documents: 1, codings: 1 });
    expect(plan.addedNames.coders).toEqual(['Mina']);
    expect(plan.conflicts.map((c) => c.key)).toEqual([`codes:${study.codes[1]!.id}`]);
    expect(plan.result.codings.find((c) => c.id === coding.id)).toMatchObject({ coderId: mina.id, segmentId: segment.id });
    expect(plan.result.documents.find((d) => d.id === segment.documentId)!.coderIds).toContain(mina.id);
  });

  it('refuses a study file that is not UTF-8, naming the file', async () => {
    await expect(readMergeSource({ name: 'mina.cartography.json', bytes: new Uint8Array([0xff, 0xfe, 0x00]) }, { now: NOW, newId })).rejects.toThrow(
      /^mina\.cartography\.json is not a valid Cartography study file: \(file\): is not UTF-8 text/,
    );
  });

  it('a document whose text differs keeps the study’s text; it is a conflict without "take theirs", and the file’s selections of it are skipped', async () => {
    const study = demo();
    const doc = study.documents.find((d) => study.segments.some((s) => s.documentId === d.id))!;
    const changed = await roundTrip({ ...study, texts: study.texts.map((t) => (t.id === doc.id ? { ...t, text: t.text.toUpperCase() } : t)) });
    // pretend the other program moved a selection of that document
    const moved = { ...changed, segments: changed.segments.map((s) => (s.documentId === doc.id ? { ...s, start: 0, end: 1, text: 'X' } : s)) };
    const plan = planMerge(study, moved, { all: 'theirs' });
    expect(plan.conflicts).toHaveLength(1);
    expect(plan.conflicts[0]).toMatchObject({ key: `texts:${doc.id}`, name: doc.title, choice: 'ours', locked: expect.stringMatching(/would select other words/) as string });
    const ours = study.texts.find((t) => t.id === doc.id)!.text;
    const at = ours.split('').findIndex((ch, i) => ch !== ours.toUpperCase()[i]);
    expect(plan.conflicts[0]!.differences[0]!.label).toBe(`Text (first difference at character ${at + 1})`);
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
    const plan = planMerge(empty, incoming);
    expect(checkStudyRecords(plan.result)).toEqual([]);
    expect(plan.counts.codes.added).toBe(source.codes.length);
    expect(plan.result.study.name).toBe('Target');
    expect(plan.result.codes.every((c) => c.studyId === target.study.id)).toBe(true);
    expect(plan.result.memos.filter((m) => m.targetType === 'study').every((m) => m.targetId === target.study.id)).toBe(true);
    expect(plan.notes[0]).toMatch(/^The study keeps its name and description; the file's project “.*” was merged into it\.$/);
  });
});
