import { describe, expect, it } from 'vitest';
import { guidFromBytes, isGuid } from '../model/ids.ts';
import { StudyFileError } from './format.ts';
import { readStudyFile } from './read.ts';
import { writeStudyFile } from './write.ts';
import { checkStudyRecords } from '../model/integrity.ts';

let counter = 0;
const newId = () => guidFromBytes(Uint8Array.from({ length: 16 }, (_, i) => (i === 15 ? ++counter % 256 : i === 14 ? Math.floor(counter / 256) : 7)));
const options = { now: '2026-01-01T00:00:00.000Z', newId };

const minimal = () => ({
  format: 'cartography-study',
  version: 1,
  study: { name: 'Study A' },
  coders: [{ key: 'r1', name: 'Ana' }],
  stages: [{ key: 'pre', name: 'Pre-training' }, { key: 'post', name: 'Post-release' }],
  attributes: [{ key: 'region', name: 'Region', type: 'category', values: ['Europe', 'Asia'] }],
  cases: [{ key: 'c1', name: 'Project One', attributes: { region: 'Europe' }, openness: { weights: 'open' } }],
  participants: [{ key: 'p1', pseudonym: 'P01', case: 'c1' }],
  codes: [
    { key: 'secret', name: 'Secrecy', stage: 'pre', kind: 'challenge', mode: 'cathedral', color: '#E15759' },
    { key: 'deriv', name: 'Derivatives', stage: 'post', kind: 'on-ramp', mode: 'bazaar' },
  ],
  documents: [{ key: 'd1', title: 'Interview', case: 'c1', participants: ['p1'], text: '\uFEFFInterviewer: Hi\r\nP01: We keep it secret. Then others fine-tune it, 🙂 and fine-tune it again.' }],
  codings: [
    { document: 'd1', quote: 'We keep it secret.', code: 'secret' },
    { document: 'd1', quote: 'fine-tune it', occurrence: 2, code: 'deriv', memo: 'second mention' },
  ],
  memos: [{ target: { type: 'case', key: 'c1' }, text: 'A public body.' }],
  actors: [{ key: 'a1', name: 'Project One', type: 'project', case: 'c1' }, { key: 'a2', name: 'A derivative', type: 'derivative' }],
  ties: [{ from: 'a2', to: 'a1', type: 'derivative-development', stage: 'post', evidence: [{ document: 'd1', quote: 'Then others fine-tune it' }] }],
});

function problemsOf(file: unknown): { path: string; message: string }[] {
  try {
    readStudyFile(JSON.stringify(file), 'bad.cartography.json', options);
  } catch (error) {
    if (error instanceof StudyFileError) return error.problems;
    throw error;
  }
  throw new Error('expected the file to be rejected');
}

describe('readStudyFile', () => {
  it('normalises text and anchors quotes at UTF-16 offsets of the normalised text', () => {
    const records = readStudyFile(JSON.stringify(minimal()), 'a.json', options);
    const text = records.texts[0]!.text;
    expect(text.startsWith('Interviewer: Hi\nP01:')).toBe(true);
    const [secret, deriv] = records.segments;
    expect(text.slice(secret!.start, secret!.end)).toBe('We keep it secret.');
    expect(secret!.start).toBe(21);
    // the second "fine-tune it" comes after an emoji (2 UTF-16 units)
    expect(deriv!.start).toBe(text.lastIndexOf('fine-tune it'));
    expect(deriv!.text).toBe('fine-tune it');
    expect(records.documents[0]!.turns.map((t) => t.speaker)).toEqual(['Interviewer', 'P01']);
  });

  it('resolves every reference by key to a GUID', () => {
    const r = readStudyFile(JSON.stringify(minimal()), 'a.json', options);
    const [pre, post] = r.stages;
    expect(r.codes.map((c) => c.stageId)).toEqual([pre!.id, post!.id]);
    expect(r.codes[0]!.color).toBe('#e15759');
    expect(r.cases[0]!.attributes).toEqual({ [r.attributes[0]!.id]: 'Europe' });
    expect(r.cases[0]!.openness.weights).toBe('open');
    expect(r.cases[0]!.openness.data).toBe('unknown');
    expect(r.codings.every((c) => c.coderId === r.coders[0]!.id && c.documentId === r.documents[0]!.id)).toBe(true);
    expect(r.memos.map((m) => m.targetType).sort()).toEqual(['case', 'segment']);
    expect(r.ties[0]!.evidenceSegmentIds).toHaveLength(1);
    expect([r.study.id, ...r.codes.map((c) => c.id)].every(isGuid)).toBe(true);
  });

  it('keeps GUIDs given in the file, in lower case, and makes fresh ones on request', () => {
    const file = minimal();
    (file.study as { id?: string }).id = 'AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE';
    expect(readStudyFile(JSON.stringify(file), 'a.json', options).study.id).toBe('aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee');
    expect(readStudyFile(JSON.stringify(file), 'a.json', { ...options, freshIds: true }).study.id).not.toBe('aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee');
  });

  it('round-trips through writeStudyFile to the same records', () => {
    const first = readStudyFile(JSON.stringify(minimal()), 'a.json', options);
    const second = readStudyFile(JSON.stringify(writeStudyFile(first)), 'a.json', options);
    expect(second).toEqual(first);
  });

  it('reports every problem with its JSON path and imports nothing', () => {
    const file = minimal() as Record<string, unknown> & ReturnType<typeof minimal>;
    file.cases[0]!.attributes = { region: 'Mars' };
    file.codes[1]!.kind = 'opportunity';
    file.codings[0]!.quote = 'not in the text';
    file.participants[0]!.case = 'c9';
    file.codes.push({ ...file.codes[0]!, name: 'Dup' });
    expect(problemsOf(file)).toEqual([
      { path: 'cases[0].attributes.region', message: 'must be one of "Europe", "Asia" for attribute "Region", not "Mars"' },
      { path: 'participants[0].case', message: 'refers to case "c9", which the file does not define' },
      { path: 'codes[2].key', message: '"secret" is used by another code' },
      { path: 'codes[1].kind', message: 'must be one of challenge, on-ramp, other; found "opportunity"' },
      { path: 'codings[0].quote', message: '"not in the text" does not occur in the document\'s text' },
    ]);
  });

  it('rejects offsets outside the text and a parent cycle', () => {
    const file = minimal();
    file.codings[0] = { document: 'd1', start: 5, end: 999, code: 'secret' } as never;
    (file.codes[0] as { parent?: string }).parent = 'deriv';
    (file.codes[1] as { parent?: string }).parent = 'secret';
    const paths = problemsOf(file).map((p) => p.path);
    expect(paths).toContain('codings[0]');
    expect(paths).toContain('codes[0].parent');
  });

  it('says clearly when the file is not JSON, not a study file, or from a newer version', () => {
    expect(() => readStudyFile('{oops', 'x.json', options)).toThrow(/x\.json is not a valid Cartography study file: \(file\): is not JSON/);
    expect(() => readStudyFile('{"format":"other"}', 'x.json', options)).toThrow(/format: must be "cartography-study"/);
    expect(() => readStudyFile('{"format":"cartography-study","version":7}', 'x.json', options)).toThrow(/reads version 1/);
  });
});

describe('readStudyFile, stricter checks', () => {
  it('requires a study name', () => {
    const file = minimal();
    file.study.name = '  ';
    expect(problemsOf(file)).toEqual([{ path: 'study.name', message: 'must not be empty' }]);
  });

  it('cross-checks a quote given with offsets, and counts occurrences from 1', () => {
    const file = minimal();
    file.codings[0] = { document: 'd1', start: 21, end: 39, quote: 'We keep it SECRET.', code: 'secret' } as never;
    file.codings[1]!.occurrence = 0;
    expect(problemsOf(file)).toEqual([
      { path: 'codings[0].quote', message: '"We keep it SECRET." differs from the text at 21–39, "We keep it secret."' },
      { path: 'codings[1].occurrence', message: 'counts from 1 (the first match)' },
    ]);
  });

  it('refuses dates that do not exist and timestamps that are not ISO 8601', () => {
    const file = minimal() as ReturnType<typeof minimal> & { attributes: unknown[] };
    file.attributes.push({ key: 'since', name: 'First release', type: 'date' });
    (file.cases[0]!.attributes as Record<string, unknown>)['since'] = '2025-02-30';
    (file.participants[0] as Record<string, unknown>)['interviewDate'] = '2025-13-01';
    (file.study as Record<string, unknown>)['createdAt'] = 'March 1, 2025';
    expect(problemsOf(file).map((p) => p.path)).toEqual(['study.createdAt', 'cases[0].attributes.since', 'participants[0].interviewDate']);
  });

  it('needs the values of a category attribute, each once', () => {
    const file = minimal();
    file.attributes[0]!.values = ['Europe', 'Asia', 'Europe'];
    expect(problemsOf(file)).toEqual([{ path: 'attributes[0].values[2]', message: '"Europe" is listed twice' }]);
    file.attributes[0]!.values = [];
    expect(problemsOf(file).map((p) => p.path)).toEqual(['attributes[0].values', 'cases[0].attributes.region']);
  });
});

describe('code examples and history', () => {
  const SEGMENT = 'aaaaaaaa-0000-4000-8000-0000000005e1';
  const OTHER = 'aaaaaaaa-0000-4000-8000-0000000005e2';
  const withExamples = () => {
    const file = minimal();
    Object.assign(file.codings[0]!, { segmentId: SEGMENT.toUpperCase() });
    Object.assign(file.codes[0]!, {
      examples: [
        { text: 'We keep it secret.', typical: true, segment: SEGMENT },
        { text: 'Nobody asked.', typical: false, segment: null },
        { text: 'Once, in a talk.', typical: false },
        { text: 'From a passage that is gone', segment: OTHER },
      ],
      history: [
        { at: '2025-10-15', by: 'r1', summary: 'Created' },
        { at: '2025-10-16T08:00:00.000Z', by: null, summary: 'Imported from “pilot.qdc”' },
        { at: '2025-10-17T08:00:00.000Z', summary: '' },
      ],
    });
    return file;
  };

  it('reads examples written as text (files before typical and atypical examples) as typical examples without a link, and a missing history as empty', () => {
    const file = minimal();
    Object.assign(file.codes[0]!, { examples: ['one', ''] });
    const code = readStudyFile(JSON.stringify(file), 'a.json', options).codes[0]!;
    expect(code.examples).toEqual([
      { text: 'one', typical: true, segmentId: null },
      { text: '', typical: true, segmentId: null },
    ]);
    expect(code.history).toEqual([]);
  });

  it('reads examples with their kind and segment link, and a history whose coders are coder keys', () => {
    const r = readStudyFile(JSON.stringify(withExamples()), 'a.json', options);
    const segment = r.segments.find((s) => s.text === 'We keep it secret.')!;
    expect(segment.id).toBe(SEGMENT);
    expect(r.codes[0]!.examples).toEqual([
      { text: 'We keep it secret.', typical: true, segmentId: SEGMENT },
      { text: 'Nobody asked.', typical: false, segmentId: null },
      { text: 'Once, in a talk.', typical: false, segmentId: null },
      // a link to a segment no anchor of the file makes is dropped, without a problem
      { text: 'From a passage that is gone', typical: true, segmentId: null },
    ]);
    expect(r.codes[0]!.history).toEqual([
      { at: '2025-10-15T00:00:00.000Z', by: r.coders[0]!.id, summary: 'Created' },
      { at: '2025-10-16T08:00:00.000Z', by: null, summary: 'Imported from “pilot.qdc”' },
      { at: '2025-10-17T08:00:00.000Z', by: null, summary: '' },
    ]);
    expect(r.codes[1]!.history).toEqual([]);
  });

  it('round-trips examples and history through writeStudyFile, and links follow their segment to its fresh GUID in a copy', () => {
    const first = readStudyFile(JSON.stringify(withExamples()), 'a.json', options);
    const written = writeStudyFile(first);
    expect(written.codes[0]!.examples![0]).toEqual({ text: 'We keep it secret.', typical: true, segment: SEGMENT });
    expect(written.codes[0]!.history![0]).toEqual({ at: '2025-10-15T00:00:00.000Z', by: first.coders[0]!.id, summary: 'Created' });
    expect(readStudyFile(JSON.stringify(written), 'a.json', options)).toEqual(first);

    const copy = readStudyFile(JSON.stringify(written), 'a.json', { ...options, freshIds: true });
    const segment = copy.segments.find((s) => s.text === 'We keep it secret.')!;
    expect(segment.id).not.toBe(SEGMENT);
    expect(copy.codes[0]!.examples[0]!.segmentId).toBe(segment.id);
    expect(copy.codes[0]!.history[0]!.by).toBe(copy.coders[0]!.id);
  });

  it('writes a link to a segment the study no longer has as null', () => {
    const records = readStudyFile(JSON.stringify(withExamples()), 'a.json', options);
    records.codes[0]!.examples[1]!.segmentId = OTHER;
    expect(writeStudyFile(records).codes[0]!.examples![1]).toEqual({ text: 'Nobody asked.', typical: false, segment: null });
  });

  it('reports every field of an example or a history entry that is wrong, with its path', () => {
    const file = minimal();
    Object.assign(file.codes[0]!, {
      examples: [7, { typical: false }, { text: 'x', typical: 'yes', segment: 'P03' }],
      history: [{ by: 'r9', summary: 'Renamed' }, { at: 'yesterday', summary: 12 }, 'Created'],
    });
    Object.assign(file.codes[1]!, { history: { at: '2025-10-15' } });
    expect(problemsOf(file)).toEqual([
      { path: 'codes[0].examples[0]', message: 'must be text or an object with text, typical and segment, not 7' },
      { path: 'codes[0].examples[1].text', message: 'is required' },
      { path: 'codes[0].examples[2].typical', message: 'must be true or false, not "yes"' },
      { path: 'codes[0].examples[2].segment', message: 'must be the segmentId of an anchor in this file, or null, not "P03"' },
      { path: 'codes[0].history[0].at', message: 'is required' },
      { path: 'codes[0].history[0].by', message: 'refers to coder "r9", which the file does not define' },
      { path: 'codes[0].history[1].at', message: 'must be an ISO 8601 timestamp such as 2026-01-31T09:30:00Z, not "yesterday"' },
      { path: 'codes[0].history[1].summary', message: 'must be text, not 12' },
      { path: 'codes[0].history[2]', message: 'must be an object' },
      { path: 'codes[1].history', message: 'must be a list' },
    ]);
  });
});

describe('position overrides', () => {
  const JUSTIFICATION_ID = 'bbbbbbbb-0000-4000-8000-0000000000a1';
  const withOverrides = () => ({
    ...minimal(),
    overrides: [
      { case: 'c1', stage: 'post', value: 0.6, justification: 'The licence says open, but every partner signs an NDA.', createdBy: 'r1', createdAt: '2025-11-02T10:00:00Z' } as Record<string, unknown>,
      {
        case: 'c1',
        stage: 'pre',
        value: -1,
        justification: { id: JUSTIFICATION_ID, title: 'Why pre-training is closed', text: 'The data pipeline was never shown to anyone.', createdBy: null, createdAt: '2025-10-01', modifiedAt: '2025-10-03' },
      } as Record<string, unknown>,
    ],
  });

  it('reads an override with an inline justification into the override and its position memo', () => {
    const r = readStudyFile(JSON.stringify(withOverrides()), 'a.json', options);
    const [pre, post] = r.stages;
    const [first, second] = r.overrides;
    expect(first).toEqual({
      id: first!.id,
      studyId: r.study.id,
      createdAt: '2025-11-02T10:00:00.000Z',
      modifiedAt: options.now,
      createdBy: r.coders[0]!.id,
      caseId: r.cases[0]!.id,
      stageId: post!.id,
      value: 0.6,
      memoId: first!.memoId,
    });
    // text alone: the memo is titled after the case and stage and stamped like its override
    expect(r.memos.find((m) => m.id === first!.memoId)).toEqual({
      id: first!.memoId,
      studyId: r.study.id,
      createdAt: '2025-11-02T10:00:00.000Z',
      modifiedAt: options.now,
      createdBy: r.coders[0]!.id,
      targetType: 'position',
      targetId: first!.id,
      title: 'Position of Project One in Post-release',
      text: 'The licence says open, but every partner signs an NDA.',
    });
    // a memo object keeps its own GUID, title and stamps
    expect(second!.stageId).toBe(pre!.id);
    expect(second!.memoId).toBe(JUSTIFICATION_ID);
    expect(r.memos.find((m) => m.id === JUSTIFICATION_ID)).toMatchObject({
      targetType: 'position',
      targetId: second!.id,
      title: 'Why pre-training is closed',
      createdBy: null,
      createdAt: '2025-10-01T00:00:00.000Z',
      modifiedAt: '2025-10-03T00:00:00.000Z',
    });
    expect(checkStudyRecords(r)).toEqual([]);
  });

  it('reads a file without overrides (written before they existed) as having none', () => {
    const file = minimal() as Record<string, unknown>;
    expect('overrides' in file).toBe(false);
    const r = readStudyFile(JSON.stringify(file), 'a.json', options);
    expect(r.overrides).toEqual([]);
    expect(r.memos.some((m) => m.targetType === 'position')).toBe(false);
  });

  it('writes each justification inside its override, not among the memos, and reads it back to the same records', () => {
    const first = readStudyFile(JSON.stringify(withOverrides()), 'a.json', options);
    const written = writeStudyFile(first);
    expect(written.memos.map((m) => m.target.type).sort()).toEqual(['case', 'segment']);
    const memo = first.memos.find((m) => m.id === first.overrides[0]!.memoId)!;
    expect(written.overrides![0]).toEqual({
      id: first.overrides[0]!.id,
      case: first.cases[0]!.id,
      stage: first.stages[1]!.id,
      value: 0.6,
      justification: { id: memo.id, title: memo.title, text: memo.text, createdBy: memo.createdBy, createdAt: memo.createdAt, modifiedAt: memo.modifiedAt },
      createdBy: first.coders[0]!.id,
      createdAt: '2025-11-02T10:00:00.000Z',
      modifiedAt: options.now,
    });
    expect(readStudyFile(JSON.stringify(written), 'a.json', options)).toEqual(first);
  });

  it('gives an override and its memo fresh GUIDs in a copy, still pointing at each other', () => {
    const first = readStudyFile(JSON.stringify(withOverrides()), 'a.json', options);
    const copy = readStudyFile(JSON.stringify(writeStudyFile(first)), 'a.json', { ...options, freshIds: true });
    expect(copy.overrides).toHaveLength(2);
    const old = new Set([...first.overrides.map((o) => o.id), ...first.memos.map((m) => m.id)]);
    for (const o of copy.overrides) {
      expect(old.has(o.id) || old.has(o.memoId)).toBe(false);
      expect(copy.memos.find((m) => m.id === o.memoId)).toMatchObject({ targetType: 'position', targetId: o.id });
      expect(copy.cases.some((c) => c.id === o.caseId) && copy.stages.some((s) => s.id === o.stageId)).toBe(true);
    }
    const shape = (r: typeof first) => r.overrides.map((o) => [o.value, r.memos.find((m) => m.id === o.memoId)!.text, o.createdAt]);
    expect(shape(copy)).toEqual(shape(first));
    expect(checkStudyRecords(copy)).toEqual([]);
  });

  it('reports every wrong field of an override with its path', () => {
    const file = withOverrides();
    file.overrides.push(
      { case: 'c9', stage: 'post', value: 2, justification: '   ' },
      { case: 'c1', stage: 'later', value: '0.5', justification: 7 },
      { case: 'c1', stage: 'post', justification: { title: 'No text' } },
      { stage: 'pre', value: -0.2, justification: { text: 'x', createdBy: 'r9', createdAt: 'soon' } },
      { case: 'c1', stage: 'pre', value: 0.1 },
    );
    expect(problemsOf(file)).toEqual([
      { path: 'overrides[2].case', message: 'refers to case "c9", which the file does not define' },
      { path: 'overrides[2].value', message: 'must be a number from −1 (cathedral) to 1 (bazaar), not 2' },
      { path: 'overrides[2].justification', message: 'must not be empty: say why the evidence does not tell the whole story' },
      { path: 'overrides[3].stage', message: 'refers to stage "later", which the file does not define' },
      { path: 'overrides[3].value', message: 'must be a number from −1 (cathedral) to 1 (bazaar), not "0.5"' },
      { path: 'overrides[3].justification', message: "must be text, or an object with the memo's text, not 7" },
      { path: 'overrides[4].value', message: 'is required' },
      { path: 'overrides[4]', message: 'sets the position of case "c1" in stage "post" again (overrides[0] sets it): one override per case and stage' },
      { path: 'overrides[4].justification.text', message: 'is required' },
      { path: 'overrides[5].case', message: 'must name a case, not nothing' },
      { path: 'overrides[5].justification.createdAt', message: 'must be an ISO 8601 timestamp such as 2026-01-31T09:30:00Z, not "soon"' },
      { path: 'overrides[5].justification.createdBy', message: 'refers to coder "r9", which the file does not define' },
      { path: 'overrides[6]', message: 'sets the position of case "c1" in stage "pre" again (overrides[1] sets it): one override per case and stage' },
      { path: 'overrides[6].justification', message: 'is required: say why the evidence does not tell the whole story' },
    ]);
  });

  it('refuses a position memo in the memos section: it belongs to its override', () => {
    const file = withOverrides();
    (file.memos as unknown[]).push({ target: { type: 'position', key: 'x' }, text: 'stray' });
    expect(problemsOf(file)).toEqual([{ path: 'memos[1].target.type', message: 'a position memo is the justification of its override: write it as overrides[].justification' }]);
  });
});
