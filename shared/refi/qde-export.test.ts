import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseXml, childElements, attribute, type XmlElement } from '../codebook/xml.ts';
import type { Code, Coder, Coding, Document, Segment, StudyRecords } from '../model/types.ts';
import { readStudyFile } from '../study-file/read.ts';
import { codePointCounter, decimalString, linkGuid, studyToQde } from './qde-export.ts';

const NOW = '2026-01-01T00:00:00.000Z';
const SCHEMA = join(import.meta.dirname, '../../../shared/interop/refi/Project.xsd');
const hasSchema = existsSync(SCHEMA);
const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;
const skipReason = !hasSchema
  ? `${SCHEMA} is absent (../shared is not beside the project): schema validation skipped`
  : !hasXmllint
    ? 'xmllint is not installed: schema validation skipped (apt-get install libxml2-utils)'
    : null;
/** xmllint's verdict on a document: null when it validates, else its messages. */
const validate = (xml: string): string | null => {
  const run = spawnSync('xmllint', ['--noout', '--schema', SCHEMA, '-'], { input: xml, encoding: 'utf8' });
  return run.status === 0 ? null : `${run.stderr}`.trim();
};

const g = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const STUDY = g(1);
const tracked = (id: string, createdBy: string | null = g(2)) => ({ id, studyId: STUDY, createdAt: NOW, modifiedAt: NOW, createdBy });

const TEXT = 'Hi 😀 there.\nWe 🎉🎉 share & "quote" <data>.\n';
const after = TEXT.indexOf('share');

function small(): StudyRecords {
  const coder: Coder = { ...tracked(g(2), null), name: 'Ana & Bo' };
  const code = (id: number, parentId: string | null, name: string, order: number): Code => ({
    ...tracked(g(id)),
    parentId,
    name,
    color: '#aabbcc',
    stageId: g(3),
    kind: 'challenge',
    mode: 'cathedral',
    order,
    shortDefinition: 'Short <def>',
    definition: 'Long\ndefinition',
    useWhen: '',
    doNotUseWhen: '',
    examples: [],
    status: 'active',
    history: [],
  });
  const doc: Document = {
    ...tracked(g(10)),
    title: 'Interview “1”',
    caseId: g(20),
    participantIds: [],
    sourceFormat: 'txt',
    length: TEXT.length,
    wordCount: 7,
    codingCount: 2,
    coderIds: [g(2)],
    turns: [],
    importMeta: { fileName: 'a.txt', importedAt: NOW, encoding: 'utf-8', notes: [] },
  };
  const seg = (id: number, start: number, end: number): Segment => ({ ...tracked(g(id)), documentId: g(10), start, end, text: TEXT.slice(start, end) });
  const coding = (id: number, segmentId: string, codeId: string): Coding => ({ ...tracked(g(id)), segmentId, codeId, coderId: g(2), documentId: g(10) });
  return {
    study: { id: STUDY, name: 'Study <1>', description: 'About\u0001 things', createdAt: NOW, modifiedAt: NOW, createdBy: g(2), isDemo: false, activeCoderId: g(2) },
    coders: [coder],
    stages: [{ ...tracked(g(3)), name: 'Pre-training', description: '', order: 0 }],
    attributes: [
      { ...tracked(g(4)), name: 'Country', type: 'category', values: ['NL', 'FR'], order: 0 },
      { ...tracked(g(5)), name: 'Size', type: 'number', values: [], order: 1 },
      { ...tracked(g(6)), name: 'Public', type: 'boolean', values: [], order: 2 },
      { ...tracked(g(7)), name: 'Founded', type: 'date', values: [], order: 3 },
    ],
    cases: [
      {
        ...tracked(g(20)),
        name: 'Case A',
        description: 'A case',
        attributes: { [g(4)]: 'NL', [g(5)]: 1e-7, [g(6)]: true, [g(7)]: '2020-02-30x' },
        openness: { weights: 'open', data: 'open', trainingCode: 'open', checkpoints: 'open', evaluationCode: 'open', documentation: 'open' },
      },
      { ...tracked(g(21)), name: 'Case B', description: '', attributes: {}, openness: { weights: 'open', data: 'open', trainingCode: 'open', checkpoints: 'open', evaluationCode: 'open', documentation: 'open' } },
    ],
    participants: [],
    documents: [doc],
    texts: [{ id: g(10), studyId: STUDY, text: TEXT }],
    segments: [seg(30, 0, 2), seg(31, after, after + 5), seg(32, 3, 5)],
    codes: [code(40, null, 'Parent', 0), code(41, g(40), 'Child', 0)],
    codings: [coding(50, g(30), g(40)), coding(51, g(31), g(41)), coding(52, g(32), g(41))],
    memos: [
      { ...tracked(g(60)), targetType: 'segment', targetId: g(31), title: 'On share', text: 'x < y' },
      { ...tracked(g(61)), targetType: 'case', targetId: g(20), title: 'On case', text: 'case memo' },
      { ...tracked(g(62)), targetType: 'study', targetId: STUDY, title: 'On study', text: 'study memo' },
      { ...tracked(g(63)), targetType: 'code', targetId: g(40), title: 'On code', text: 'code memo' },
      { ...tracked(g(64)), targetType: 'document', targetId: g(10), title: 'On doc', text: 'doc memo' },
    ],
    actors: [
      { ...tracked(g(70)), name: 'A', type: 'project', caseId: g(20), description: '' },
      { ...tracked(g(71)), name: 'B', type: 'project', caseId: g(21), description: '' },
      { ...tracked(g(72)), name: 'C', type: 'organisation', caseId: null, description: '' },
    ],
    ties: [
      { ...tracked(g(80)), fromId: g(70), toId: g(71), type: 'follow-up-project', stageId: g(3), description: '', evidenceSegmentIds: [] },
      { ...tracked(g(81)), fromId: g(70), toId: g(72), type: 'distribution', stageId: g(3), description: '', evidenceSegmentIds: [] },
    ],
    overrides: [],
  };
}

const OPTIONS = { origin: 'Cartography test', positions: 'code-points' } as const;

function selections(root: XmlElement): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  for (const source of childElements(childElements(root, 'Sources')[0]!, 'TextSource'))
    for (const sel of childElements(source, 'PlainTextSelection')) out.set(attribute(sel, 'guid')!, [Number(attribute(sel, 'startPosition')), Number(attribute(sel, 'endPosition'))]);
  return out;
}

function demo(): StudyRecords {
  const text = readFileSync(join(import.meta.dirname, '../../fixtures/demo/demo-study.cartography.json'), 'utf8');
  return readStudyFile(text, 'demo-study.cartography.json', { now: NOW, newId: () => crypto.randomUUID() });
}

describe('codePointCounter and decimalString', () => {
  it('counts code points before a UTF-16 offset', () => {
    const count = codePointCounter(TEXT);
    expect(count(0)).toBe(0);
    expect(count(after)).toBe(Array.from(TEXT.slice(0, after)).length);
    expect(count(after)).toBe(after - 3);
    expect(codePointCounter('plain')(4)).toBe(4);
  });
  it('writes numbers without exponents', () => {
    expect(decimalString(1e-7)).toBe('0.0000001');
    expect(decimalString(1e21)).toBe('1000000000000000000000');
    expect(decimalString(2.5)).toBe('2.5');
    expect(decimalString(-1.5e-7)).toBe('-0.00000015');
    expect(decimalString(1.25e22)).toBe('12500000000000000000000');
    expect(decimalString(Number.NaN)).toBeNull();
  });
});

describe('studyToQde', () => {
  it('writes positions in code points by default, and our UTF-16 offsets with the utf16 option', () => {
    const records = small();
    const cp = selections(parseXml(studyToQde(records, OPTIONS).xml));
    const u16 = selections(parseXml(studyToQde(records, { ...OPTIONS, positions: 'utf16' }).xml));
    expect(cp.get(g(30))).toEqual([0, 2]); // before any emoji
    expect(cp.get(g(31))).toEqual([after - 3, after + 2]); // three astral characters before it
    expect(cp.get(g(32))).toEqual([3, 4]); // the emoji itself is one code point
    for (const s of records.segments) expect(u16.get(s.id)).toEqual([s.start, s.end]);
  });

  it('returns the documents’ texts as the sources, at sources/<GUID>.txt, with internal:// paths', () => {
    const records = small();
    const { xml, sources } = studyToQde(records, OPTIONS);
    expect(sources).toEqual([{ path: `sources/${g(10)}.txt`, text: TEXT }]);
    expect(xml).toContain(`plainTextPath="internal://${g(10)}.txt"`);
    const demoRecords = demo();
    const demoSources = studyToQde(demoRecords, OPTIONS).sources;
    expect(demoSources.map((s) => s.text)).toEqual(demoRecords.documents.map((d) => demoRecords.texts.find((t) => t.id === d.id)!.text));
  });

  it('keeps GUIDs, escapes text, nests codes, links memos and ties, and reports what it leaves out', () => {
    const { xml, omitted } = studyToQde(small(), OPTIONS);
    const root = parseXml(xml);
    expect(root.attributes['xmlns']).toBe('urn:QDA-XML:project:1.0');
    expect(attribute(root, 'name')).toBe('Study <1>');
    expect(xml).not.toContain('\u0001');
    const parent = childElements(childElements(childElements(root, 'CodeBook')[0]!, 'Codes')[0]!, 'Code')[0]!;
    expect(attribute(parent, 'guid')).toBe(g(40));
    expect(childElements(parent, 'Code').map((c) => attribute(c, 'guid'))).toEqual([g(41)]);
    expect(childElements(parent, 'NoteRef').map((c) => attribute(c, 'targetGUID'))).toEqual([g(63)]);
    const links = childElements(childElements(root, 'Links')[0]!, 'Link');
    expect(links.map((l) => [attribute(l, 'originGUID'), attribute(l, 'targetGUID')])).toEqual([
      [g(61), g(20)],
      [g(20), g(21)],
    ]);
    expect(attribute(links[0]!, 'guid')).toBe(linkGuid(g(61)));
    expect(linkGuid(g(61))).not.toBe(g(61));
    expect(omitted.join('\n')).toMatch(/1 tie involves an actor/);
    expect(omitted.join('\n')).toMatch(/1 attribute value does not fit/);
    const caseA = childElements(childElements(root, 'Cases')[0]!, 'Case')[0]!;
    expect(childElements(caseA, 'SourceRef').map((r) => attribute(r, 'targetGUID'))).toEqual([g(10)]);
    expect(childElements(caseA, 'VariableValue')).toHaveLength(3);
  });

  it('writes the same bytes twice', () => {
    expect(studyToQde(small(), OPTIONS)).toEqual(studyToQde(small(), OPTIONS));
    const records = demo();
    expect(studyToQde(records, OPTIONS).xml).toBe(studyToQde(records, OPTIONS).xml);
  });

  it('validates against the official REFI-QDA Project.xsd (small study, both position options, and the demo study)', (ctx) => {
    if (skipReason !== null) {
      ctx.skip(skipReason);
      return;
    }
    expect(validate(studyToQde(small(), OPTIONS).xml)).toBeNull();
    expect(validate(studyToQde(small(), { ...OPTIONS, positions: 'utf16' }).xml)).toBeNull();
    const records = demo();
    const { xml } = studyToQde(records, OPTIONS);
    expect(records.codings.length).toBeGreaterThan(0);
    expect(validate(xml)).toBeNull();
    // the schema refuses what it should
    expect(validate(xml.replace('isCodable="true"', 'isCodable="maybe"'))).not.toBeNull();
  });
});
