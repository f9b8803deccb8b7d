import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseDocx } from '../import/docx.ts';
import { checkStudyRecords } from '../model/integrity.ts';
import { countQde, countQdpx, readQde, readQdpx, RefiImportError, type QdpxImport } from './qde-import.ts';

const NOW = '2026-11-23T00:00:00.000Z';
const OPTIONS = { now: NOW };
const REFI = join(import.meta.dirname, '../../../shared/interop/refi');
const BAD = join(import.meta.dirname, '../../fixtures/bad');
const missingInterop = existsSync(REFI) ? null : `${REFI} is absent (../shared is not beside the project): the tests on files from other programs are skipped`;
if (missingInterop) console.warn(missingInterop);

const g = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const U = (n: number) => g(n).toUpperCase();
const NS = 'urn:QDA-XML:project:1.0';
const mtime = new Date(2000, 0, 1, 12, 0, 0);
const pkg = (files: Record<string, string | Uint8Array>) => zipSync(Object.fromEntries(Object.entries(files).map(([name, data]) => [name, [typeof data === 'string' ? strToU8(data) : data, { mtime }]])));
const project = (body: string, attributes = 'name="Hand-made" origin="Test tool 1.0"') => `<?xml version="1.0" encoding="UTF-8"?>\n<Project xmlns="${NS}" ${attributes}>\n${body}\n</Project>\n`;
const users = `<Users><User guid="${g(1)}" name="Ana"/></Users>`;
const codebook = (codes = `<Code guid="${g(2)}" name="Sharing" isCodable="true" color="#4e79a7"/>`) => `<CodeBook><Codes>${codes}</Codes></CodeBook>`;
const selection = (id: number, start: number, end: number, inner = `<Coding guid="${g(id + 1000)}" creatingUser="${g(1)}"><CodeRef targetGUID="${g(2)}"/></Coding>`) =>
  `<PlainTextSelection guid="${g(id)}" startPosition="${start}" endPosition="${end}" creatingUser="${g(1)}">${inner}</PlainTextSelection>`;
const source = (selections: string, path = `internal://${g(10)}.txt`, id = 10) => `<Sources><TextSource guid="${g(id)}" name="Interview" plainTextPath="${path}">${selections}</TextSource></Sources>`;
const textOf = (result: QdpxImport, segmentId: string) => result.records.segments.find((s) => s.id === segmentId)?.text;
const bytes = (path: string) => new Uint8Array(readFileSync(path));

/** The import's error, for asserting its message and where it points. */
async function refusal(run: () => Promise<unknown>): Promise<RefiImportError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof RefiImportError) return error;
    throw error;
  }
  throw new Error('the import did not refuse the file');
}

describe.skipIf(missingInterop !== null)('real projects from other programs (../shared/interop/refi)', () => {
  it('NVivo for Mac 12.7: counts, coders, nested codes, and UTF-16 positions detected with the reason', async () => {
    const file = bytes(join(REFI, 'nvivo-mac-12.7.qdpx'));
    const result = await readQdpx(file, 'nvivo-mac-12.7.qdpx', OPTIONS);
    expect(result.counts).toEqual({ codes: 152, sources: 2, cases: 0, variables: 0, selections: 297, codings: 297, users: 2, notes: 0, links: 0, sets: 0 });
    expect(countQdpx(file, 'nvivo-mac-12.7.qdpx')).toEqual(result.counts);
    const { records } = result;
    expect(checkStudyRecords(records)).toEqual([]);
    expect(records.study.name).toBe('Untitled');
    expect(records.coders.map((c) => c.name)).toEqual(['floriansipos', 'Gergo']);
    expect(records.codes).toHaveLength(152);
    expect(records.codes.find((c) => c.name === 'COVID')?.parentId).toBe('0ede5bd6-e64e-4536-aee6-8663227dacb5');
    expect(records.codes.find((c) => c.id === '0ede5bd6-e64e-4536-aee6-8663227dacb5')?.definition).toBe('COVID vay nem COVID');
    expect(records.documents.map((d) => d.title).sort()).toEqual(['videos_10_selected', 'videos_selection']);
    expect(records.codings).toHaveLength(297);
    // selections of the same span share a segment: as many segments as distinct spans in the XML
    const qde = strFromU8(unzipSync(file)['project.qde']!);
    const spans = new Set([...qde.matchAll(/endPosition="(\d+)"[^>]*startPosition="(\d+)"/g)].map((m) => `${m[2]}:${m[1]}`));
    expect(records.segments).toHaveLength(spans.size);
    expect(result.notes).toContain(`${297 - spans.size} selections cover the same text as another selection of its source: their codings were put on one segment (Cartography keeps one segment per span).`);

    expect(result.positions.unit).toBe('utf16');
    expect(result.positions.reason).toMatch(/UTF-16 code units/);
    expect(result.positions.reason).toMatch(/NVivo for Mac 12\.7\.0/);
    expect(result.notes).toContain(result.positions.reason);

    // quotes read from the source text (75 emoji come before the second one, so code points would select other words)
    const coded = (codingId: string) => textOf(result, records.codings.find((c) => c.id === codingId)!.segmentId);
    expect(coded('d79e6d26-42b1-48cc-b9d8-b092c813522a')).toBe('A Politikusoknak kötemező, ja leszavazták maguknak!');
    expect(coded('74ef2973-f24b-4e1f-8711-6b1e66831909')).toBe('Ursula mondjon le!');
    expect(coded('84956652-4f96-41c8-bd55-1c1bcab7c9da')).toBe('A. HAZUGSÁG FOLYIK 👍👍👍👍');
    expect(coded('929ee2b2-dca3-4a9c-bf49-9d8f4ae1d4d2')).toBe('A Magyar Köztársaság Országgyűlése helyébe, a Magyar Állam Tulajdonosainak Közgyűlése lépett!!! MATT!!!');
  }, 30_000);

  it('MAXQDA 24: codes with colours and descriptions, ten sources, the two sets of sources reported', async () => {
    const result = await readQdpx(bytes(join(REFI, 'maxqda-24.qdpx')), 'maxqda-24.qdpx', OPTIONS);
    expect(result.counts).toEqual({ codes: 307, sources: 10, cases: 0, variables: 0, selections: 0, codings: 0, users: 1, notes: 0, links: 0, sets: 2 });
    const { records } = result;
    expect(checkStudyRecords(records)).toEqual([]);
    expect(records.study.name).toBe('2025-06-16_ICLS_Conf_Themes_ALL_just10');
    expect(records.coders).toEqual([expect.objectContaining({ id: 'f3ea8da1-bb99-411f-8ed4-011170237b6c', name: 'johnb' })]);
    const parent = records.codes.find((c) => c.id === 'c9e3d7e0-4dbf-46e2-96ef-14574ecd3b90')!;
    expect(parent).toMatchObject({ name: 'Additional Themes and Ideas', color: '#ef8256', parentId: null });
    expect(records.codes.find((c) => c.id === 'c6c1be73-b4f4-4c2d-91f1-90b73bfc5c25')).toMatchObject({
      name: 'THEME - Affinity Spaces (Gee)',
      parentId: parent.id,
      definition: "Apply this code when a study uses Gee's concept of affinity spaces.",
    });
    expect(records.documents).toHaveLength(10);
    const doc = records.documents.find((d) => d.id === 'dfba1bb6-2213-427b-819d-35408645187d')!;
    expect(records.texts.find((t) => t.id === doc.id)!.text.startsWith('Personal Authentic, Expansively Framed, and Culturally Sustaining Cybersecurity')).toBe(true);
    expect(result.notes).toContain('2 sets (“ICLS 2024”, “ICLS 2025”) group sources, notes or codes in a way Cartography has no place for: left out.');
    expect(result.positions.unit).toBe('code-points');
  }, 30_000);
});

describe('projects as other programs write them (hand-made)', () => {
  it('ATLAS.ti: the .qde named after the project, and quotation comments in a selection’s Description kept as segment memos', async () => {
    const xml = project(
      `${users}${codebook()}${source(selection(20, 3, 8, `<Description>Ana hesitates here.</Description><Coding guid="${g(21)}" creatingUser="${g(1)}"><CodeRef targetGUID="${g(2)}"/></Coding>`))}`,
      'name="Open models" origin="ATLAS.ti 26"',
    );
    const result = await readQdpx(pkg({ 'Open models.qde': xml, [`sources/${g(10)}.txt`]: 'We share data.' }), 'open-models.qdpx', OPTIONS);
    expect(result.records.study.name).toBe('Open models');
    expect(textOf(result, g(20))).toBe('share');
    expect(result.records.memos).toEqual([expect.objectContaining({ targetType: 'segment', targetId: g(20), text: 'Ana hesitates here.', title: 'Comment' })]);
    expect(checkStudyRecords(result.records)).toEqual([]);
  });

  it('NVivo for Windows: a Sources/ folder, extra entries, and the text file’s name in another case', async () => {
    const xml = project(`${users}${codebook()}${source(selection(20, 0, 2))}`, 'name="Win" origin="NVivo 14"');
    const result = await readQdpx(pkg({ 'project.qde': xml, 'Sources/.root': '', [`Sources/${U(10)}.TXT`]: 'We share.' }), 'win.qdpx', OPTIONS);
    expect(textOf(result, g(20))).toBe('We');
    expect(result.records.documents[0]!.length).toBe(9);
  });

  it('BOM and CRLF: selections after the line ends select the same characters in the normalised text', async () => {
    const text = '\uFEFFI: Hello\r\nB: We share 😀 data\r\n\r\nI: Thanks';
    const raw = text.slice(1);
    const at = (s: string) => [...raw.slice(0, raw.indexOf(s))].length; // code points, CRs counted
    const xml = '\uFEFF' + project(`${users}${codebook()}${source(selection(20, at('We'), at('We') + 'We share 😀 data'.length - 1) + selection(30, at('Thanks'), at('Thanks') + 6) + selection(40, at('Hello'), at('B:')))}`);
    const result = await readQdpx(pkg({ 'project.qde': xml, [`sources/${g(10)}.txt`]: text }), 'crlf.qdpx', OPTIONS);
    expect(result.records.texts[0]!.text).toBe('I: Hello\nB: We share 😀 data\n\nI: Thanks');
    expect(textOf(result, g(20))).toBe('We share 😀 data');
    expect(textOf(result, g(30))).toBe('Thanks');
    expect(textOf(result, g(40))).toBe('Hello\n');
    expect(result.records.documents[0]!.importMeta.encoding).toBe('utf-8 with BOM');
  });

  it('CRLF and CR text: any selection selects the same characters less the CRs that normalisation removes', async () => {
    const piece = fc.constantFrom('a', 'b ', '\r\n', '\r', '\n', '😀', 'é', '  ');
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { minLength: 1, maxLength: 30 }), fc.nat(), fc.nat(), async (pieces, x, y) => {
        const raw = pieces.join('');
        const points = [...raw];
        const [start, end] = [x % (points.length + 1), y % (points.length + 1)].sort((a, b) => a - b) as [number, number];
        const u16 = (cp: number) => points.slice(0, cp).join('').length;
        // expected: the raw slice, without the CRs followed by LF in the whole text, other CRs as LF
        let expected = '';
        for (let i = u16(start); i < u16(end); i += 1) {
          if (raw[i] === '\r') expected += raw[i + 1] === '\n' ? '' : '\n';
          else expected += raw[i];
        }
        // the units are stated, so this checks the line-end mapping alone (random spans cut words, which the unit heuristic weighs)
        const xml = project(`${users}${codebook()}${source(selection(20, start, end))}`).replace('?>\n', '?>\n<?cartography positions="code-points"?>\n');
        const result = await readQdpx(pkg({ 'project.qde': xml, [`sources/${g(10)}.txt`]: raw }), 'p.qdpx', OPTIONS);
        expect(result.positions.unit).toBe('code-points');
        expect(result.records.texts[0]!.text).toBe(raw.replace(/\r\n?/g, '\n'));
        if (expected === '') expect(result.records.segments).toEqual([]);
        else expect(textOf(result, g(20))).toBe(expected);
      }),
      { numRuns: 100 },
    );
  }, 60_000);

  it('emoji: code-point positions (the specification) and UTF-16 positions (NVivo) both select the right words, and the reason says why', async () => {
    const text = '😀😀 We 🎉 share data 🙂 openly';
    const cp = (s: string) => [...text.slice(0, text.indexOf(s))].length;
    const u16 = (s: string) => text.indexOf(s);
    const sels = (at: (s: string) => number) => selection(20, at('share'), at('share') + 5) + selection(30, at('openly'), at('openly') + 6) + selection(40, at('data'), at('data') + 4);
    const spec = await readQdpx(pkg({ 'project.qde': project(`${users}${codebook()}${source(sels(cp))}`, 'name="x" origin="MAXQDA 24"'), [`sources/${g(10)}.txt`]: text }), 'spec.qdpx', OPTIONS);
    expect([textOf(spec, g(20)), textOf(spec, g(30)), textOf(spec, g(40))]).toEqual(['share', 'openly', 'data']);
    expect(spec.positions.unit).toBe('code-points');
    expect(spec.positions.reason).toMatch(/Unicode code points/);
    const nvivo = await readQdpx(pkg({ 'project.qde': project(`${users}${codebook()}${source(sels(u16))}`, 'name="x" origin="NVivo 14"'), [`sources/${g(10)}.txt`]: text }), 'nvivo.qdpx', OPTIONS);
    expect([textOf(nvivo, g(20)), textOf(nvivo, g(30)), textOf(nvivo, g(40))]).toEqual(['share', 'openly', 'data']);
    expect(nvivo.positions.unit).toBe('utf16');
    expect(nvivo.positions.reason).toMatch(/UTF-16 code units/);
    // a UTF-16 reading that would cut an emoji in half rules that reading out, whoever wrote the file
    const split = await readQdpx(pkg({ 'project.qde': project(`${users}${codebook()}${source(selection(20, 1, 2))}`, 'name="x" origin="NVivo 14"'), [`sources/${g(10)}.txt`]: text }), 's.qdpx', OPTIONS);
    expect(split.positions.unit).toBe('code-points');
    expect(split.positions.reason).toMatch(/cut a character such as an emoji in half/);
    expect(textOf(split, g(20))).toBe('😀');
  });

  it('text inline in PlainTextContent: a bare .qde needs no package', async () => {
    const xml = project(`${users}${codebook()}<Sources><TextSource guid="${g(10)}" name="Inline"><PlainTextContent>We share &amp; care.</PlainTextContent>${selection(20, 9, 10)}</TextSource></Sources>`);
    const result = await readQde(xml, 'inline.qde', new Map(), OPTIONS);
    expect(result.records.texts[0]!.text).toBe('We share & care.');
    expect(textOf(result, g(20))).toBe('&');
    expect(countQde(xml, 'inline.qde')).toMatchObject({ sources: 1, selections: 1, codings: 1, codes: 1, users: 1 });
  });

  it('a source with only a Word document (richTextPath): its text comes from the .docx', async () => {
    const docx = bytes(join(import.meta.dirname, '../../fixtures/import/interview.docx'));
    const expected = (await parseDocx('x.docx', docx)).documents[0]!.text;
    const xml = project(`${users}${codebook()}<Sources><TextSource guid="${g(10)}" name="Word only" richTextPath="internal://${g(10)}.docx">${selection(20, 0, 2)}</TextSource></Sources>`);
    const result = await readQdpx(pkg({ 'project.qde': xml, [`sources/${g(10)}.docx`]: docx }), 'word.qdpx', OPTIONS);
    expect(result.records.texts[0]!.text).toBe(expected);
    expect(result.records.documents[0]!.sourceFormat).toBe('docx');
    expect(textOf(result, g(20))).toBe(expected.slice(0, 2));
    expect(result.notes.some((n) => n.includes('has no plain text, only a Word document'))).toBe(true);
  });

  it('UTF-16 text files with a BOM are read', async () => {
    const text = 'We share data.';
    const utf16 = new Uint8Array(2 + text.length * 2);
    utf16.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i += 1) utf16[2 + i * 2] = text.charCodeAt(i);
    const result = await readQdpx(pkg({ 'project.qde': project(`${users}${codebook()}${source(selection(20, 3, 8))}`), [`sources/${g(10)}.txt`]: utf16 }), 'u16.qdpx', OPTIONS);
    expect(textOf(result, g(20))).toBe('share');
    expect(result.records.documents[0]!.importMeta.encoding).toBe('utf-16le with BOM');
  });

  it('GUIDs in upper case and in braces resolve to the same lower-case GUIDs', async () => {
    const xml = project(
      `<Users><User guid="${U(1)}" name="Ana"/></Users>${codebook(`<Code guid="{${U(2)}}" name="Sharing" isCodable="true"/>`)}` +
        `<Sources><TextSource guid="${U(10)}" name="I" plainTextPath="internal://${U(10)}.txt"><PlainTextSelection guid="${U(20)}" startPosition="0" endPosition="2" creatingUser="{${g(1)}}"><Coding guid="${U(21)}" creatingUser="${U(1)}"><CodeRef targetGUID="${g(2)}"/></Coding></PlainTextSelection></TextSource></Sources>`,
    );
    const result = await readQdpx(pkg({ 'project.qde': xml, [`sources/${U(10)}.txt`]: 'We' }), 'case.qdpx', OPTIONS);
    expect(result.records.codings).toEqual([expect.objectContaining({ id: g(21), codeId: g(2), coderId: g(1), segmentId: g(20), documentId: g(10) })]);
    expect(result.records.segments[0]!.createdBy).toBe(g(1));
  });

  it('namespace prefixes: elements and attributes are matched on local names', async () => {
    const xml = `<?xml version="1.0"?><qda:Project xmlns:qda="${NS}" qda:name="Prefixed" origin="x"><qda:Users><qda:User guid="${g(1)}" name="Ana"/></qda:Users><qda:CodeBook><qda:Codes><qda:Code guid="${g(2)}" name="Sharing" isCodable="true"/></qda:Codes></qda:CodeBook><qda:Sources><qda:TextSource guid="${g(10)}" name="I"><qda:PlainTextContent>We share.</qda:PlainTextContent><qda:PlainTextSelection guid="${g(20)}" startPosition="3" endPosition="8"><qda:Coding guid="${g(21)}" creatingUser="${g(1)}"><qda:CodeRef targetGUID="${g(2)}"/></qda:Coding></qda:PlainTextSelection></qda:TextSource></qda:Sources></qda:Project>`;
    const result = await readQde(xml, 'prefixed.qde', new Map(), OPTIONS);
    expect(result.records.study.name).toBe('Prefixed');
    expect(textOf(result, g(20))).toBe('share');
    expect(result.records.codings).toHaveLength(1);
  });

  it('invalid colours are dropped with a note; zero-length selections are skipped and counted', async () => {
    const codes = `<Code guid="${g(2)}" name="Sharing" isCodable="true" color="chartreuse-ish"/><Code guid="${g(3)}" name="Caring" isCodable="true" color="#ABC"/>`;
    const xml = project(`${users}${codebook(codes)}${source(selection(20, 3, 3) + selection(30, 5, 5) + selection(40, 0, 2))}`);
    const result = await readQdpx(pkg({ 'project.qde': xml, [`sources/${g(10)}.txt`]: 'We share.' }), 'c.qdpx', OPTIONS);
    expect(result.records.codes.map((c) => c.color)).toEqual(['#4e79a7', '#aabbcc']);
    expect(result.notes).toContain('1 colour cannot be read and was dropped (the codes were given default colours): “chartreuse-ish” (“Sharing”).');
    expect(result.notes).toContain('2 selections had zero length and were skipped with their codings.');
    expect(result.records.segments.map((s) => s.id)).toEqual([g(40)]);
    expect(result.counts.selections).toBe(3);
  });

  it('variables, cases, notes and links: attributes, case values, documents’ cases, memos, ties, and other links reported', async () => {
    const xml = project(
      `${users}${codebook(`<Code guid="${g(2)}" name="Sharing" isCodable="true"><NoteRef targetGUID="${g(62)}"/></Code><Code guid="${g(3)}" name="Caring" isCodable="true"/>`)}` +
        `<Variables><Variable guid="${g(4)}" name="Size" typeOfVariable="Integer"/><Variable guid="${g(5)}" name="Public" typeOfVariable="Boolean"/></Variables>` +
        `<Cases><Case guid="${g(6)}" name="OLMo"><Description>AI2's model</Description><VariableValue><VariableRef targetGUID="${g(4)}"/><IntegerValue>7</IntegerValue></VariableValue><VariableValue><VariableRef targetGUID="${g(5)}"/><BooleanValue>maybe</BooleanValue></VariableValue><SourceRef targetGUID="${g(10)}"/></Case><Case guid="${g(7)}" name="BLOOM"/></Cases>` +
        `${source(selection(20, 0, 2, `<NoteRef targetGUID="${g(61)}"/>`))}` +
        `<Notes><Note guid="${g(60)}" name="Project memo"><PlainTextContent>About it all</PlainTextContent></Note><Note guid="${g(61)}" name="On We"><PlainTextContent>x</PlainTextContent></Note><Note guid="${g(62)}" name="On code"><PlainTextContent>y</PlainTextContent></Note><Note guid="${g(63)}" name="On OLMo"><PlainTextContent>z</PlainTextContent></Note></Notes>` +
        `<Links><Link guid="${g(70)}" name="Memo" direction="OneWay" originGUID="${g(63)}" targetGUID="${g(6)}"/><Link guid="${g(71)}" name="follows" direction="OneWay" originGUID="${g(6)}" targetGUID="${g(7)}"/><Link guid="${g(72)}" name="related" originGUID="${g(2)}" targetGUID="${g(3)}"/><Link guid="${g(73)}" name="related" originGUID="${g(3)}" targetGUID="${g(2)}"/></Links>` +
        `<Sets><Set guid="${g(80)}" name="Stage one"><MemberCode targetGUID="${g(2)}"/></Set></Sets>` +
        `<NoteRef targetGUID="${g(60)}"/>`,
    );
    const result = await readQdpx(pkg({ 'project.qde': xml, [`sources/${g(10)}.txt`]: 'We share.' }), 'full.qdpx', OPTIONS);
    const { records } = result;
    expect(checkStudyRecords(records)).toEqual([]);
    expect(records.attributes.map((a) => [a.name, a.type])).toEqual([['Size', 'number'], ['Public', 'boolean']]);
    expect(records.cases[0]).toMatchObject({ name: 'OLMo', description: "AI2's model", attributes: { [g(4)]: 7 } });
    expect(result.notes).toContain('1 attribute value does not fit the attribute\'s type and was left out: “maybe” for “Public” of “OLMo”.');
    expect(records.documents[0]!.caseId).toBe(g(6));
    expect(records.memos.map((m) => [m.title, m.targetType, m.targetId])).toEqual([
      ['Project memo', 'study', records.study.id],
      ['On We', 'segment', g(20)],
      ['On code', 'code', g(2)],
      ['On OLMo', 'case', g(6)],
    ]);
    // a set of codes is a stage only in Cartography's projects or when code descriptions name it
    expect(records.stages).toEqual([]);
    expect(result.notes).toContain('1 link between cases was left out: a tie needs a lifecycle stage, and the project has none.');
    expect(result.notes).toContain('2 links have no place in Cartography and were left out (2 Code→Code).');
  });

  it('links between cases become ties between their actors, in the stage their name gives', async () => {
    const xml = project(
      `${users}${codebook()}<Cases><Case guid="${g(6)}" name="OLMo"/><Case guid="${g(7)}" name="BLOOM"/></Cases>` +
        `<Links><Link guid="${g(71)}" name="dataset-sharing (Post-release)" direction="OneWay" originGUID="${g(6)}" targetGUID="${g(7)}"/></Links>` +
        `<Sets><Set guid="${g(80)}" name="Pre-training"/><Set guid="${g(81)}" name="Post-release"/></Sets>`,
      'name="Ties" origin="Cartography 0.1.0"',
    );
    const { records } = await readQde(xml, 'ties.qde', new Map(), OPTIONS);
    expect(records.stages.map((s) => s.name)).toEqual(['Pre-training', 'Post-release']);
    expect(records.actors.map((a) => [a.name, a.caseId])).toEqual([['OLMo', g(6)], ['BLOOM', g(7)]]);
    expect(records.ties).toEqual([expect.objectContaining({ id: g(71), type: 'dataset-sharing', stageId: g(81), fromId: records.actors[0]!.id, toId: records.actors[1]!.id })]);
  });

  it('sources other than text are left out with their selections, and said so', async () => {
    const xml = project(
      `${users}${codebook()}<Sources><PDFSource guid="${g(11)}" name="Scan" path="internal://${g(11)}.pdf"><PDFSelection guid="${g(12)}" page="1" firstX="0" firstY="0" secondX="5" secondY="5"><Coding guid="${g(13)}"><CodeRef targetGUID="${g(99)}"/></Coding></PDFSelection></PDFSource>` +
        `<PDFSource guid="${g(14)}" name="Scan 2"/><AudioSource guid="${g(15)}" name="Recording"/></Sources>`,
    );
    const result = await readQde(xml, 'media.qde', new Map(), OPTIONS);
    expect(result.counts).toMatchObject({ sources: 3, selections: 1, codings: 1 });
    expect(result.records.documents).toEqual([]);
    expect(result.notes).toContain('Cartography imports text sources only: 2 PDF sources, 1 audio source were left out with their selections and codings.');
  });

  it('the coder named in the options becomes the active coder (an existing user, or a new coder)', async () => {
    const xml = project(`${users}${codebook()}`);
    expect((await readQde(xml, 'a.qde', new Map(), { ...OPTIONS, coderName: 'ana' })).records.study.activeCoderId).toBe(g(1));
    const other = await readQde(xml, 'a.qde', new Map(), { ...OPTIONS, coderName: 'Bo', studyName: 'Mine' });
    expect(other.records.study.name).toBe('Mine');
    expect(other.records.coders.map((c) => c.name)).toEqual(['Ana', 'Bo']);
    expect(other.records.study.activeCoderId).toBe(other.records.coders[1]!.id);
  });

  it('XML that is not well-formed is refused with the line and the column (in characters, an emoji counting one)', async () => {
    const xml = `<?xml version="1.0"?>\n<Project xmlns="${NS}" name="😀😀"><Users></Project>`;
    const error = await refusal(() => readQde(xml, 'broken.qde', new Map(), OPTIONS));
    expect(error.problems).toEqual([
      {
        where: 'broken.qde, line 2, column 59',
        message: '“broken.qde” is not well-formed XML: the end tag </Project> does not match the start tag <Users> (line 2, column 52) (broken.qde, line 2, column 59). The file is damaged or was not written by a QDA program. Export the project again from the program that made it.',
      },
    ]);
  });

  it('a coding of a whole source codes its whole text; notes on codings go to their segment; a note referred to twice keeps the first', async () => {
    const xml = project(
      `${users}${codebook()}<Sources><TextSource guid="${g(10)}" name="I" plainTextPath="internal://${g(10)}.txt">` +
        `${selection(20, 0, 2, `<Coding guid="${g(21)}" creatingUser="${g(1)}"><CodeRef targetGUID="${g(2)}"/><NoteRef targetGUID="${g(60)}"/></Coding>`)}` +
        `<Coding guid="${g(22)}"><CodeRef targetGUID="${g(2)}"/></Coding><NoteRef targetGUID="${g(60)}"/></TextSource></Sources>` +
        `<Notes><Note guid="${g(60)}" name=""><PlainTextContent>Twice</PlainTextContent></Note></Notes>`,
    );
    const result = await readQdpx(pkg({ 'project.qde': xml, [`sources/${g(10)}.txt`]: 'We share.' }), 'whole.qdpx', { ...OPTIONS, coderName: 'Bo' });
    const whole = result.records.codings.find((c) => c.id === g(22))!;
    expect(textOf(result, whole.segmentId)).toBe('We share.');
    expect(result.records.coders.find((c) => c.id === whole.coderId)!.name).toBe('Bo');
    expect(result.records.memos).toEqual([expect.objectContaining({ id: g(60), title: '', targetType: 'segment', targetId: g(20) })]);
    expect(result.notes).toEqual(
      expect.arrayContaining([
        '1 coding applies to a whole source: each became a coding of the whole text.',
        '1 coding has notes: they were attached to the coded segment.',
        '1 note is referred to from several places; a memo is about one thing, so each kept the first.',
        '1 coding names no user of the project: attributed to “Bo”.',
      ]),
    );
  });

  it('a package with no project file, or with two, is refused with what to do', async () => {
    const none = await refusal(() => readQdpx(pkg({ 'sources/a.txt': 'x' }), 'none.qdpx', OPTIONS));
    expect(none.message).toBe('“none.qdpx” is a ZIP package but not a REFI-QDA project: it has no project file (*.qde) at its root. Check that you picked a .qdpx exported by a QDA program.');
    const two = await refusal(() => readQdpx(pkg({ 'a.qde': project(''), 'b.qde': project('') }), 'two.qdpx', OPTIONS));
    expect(two.message).toMatch(/^“two\.qdpx” holds 2 project files at its root \(“a\.qde”, “b\.qde”\)/);
  });

  it('a plainTextPath to a missing entry is refused, naming the source and the entry', async () => {
    const error = await refusal(() => readQdpx(pkg({ 'project.qde': project(`${codebook()}${source('')}`) }), 'gone.qdpx', OPTIONS));
    expect(error.problems).toEqual([
      {
        where: `project.qde, line 3, column 145, <TextSource guid="${g(10)}">`,
        message: `The source “Interview” has plainTextPath “internal://${g(10)}.txt”, but “gone.qdpx” holds no entry “sources/${g(10)}.txt”. The package is incomplete: Export the project again from the program that made it.`,
      },
    ]);
  });
});

describe('bad input (fixtures/bad, made by make-refi-bad.mjs): refused with a clear message, nothing returned', () => {
  const read = (name: string, limits = {}) => refusal(() => readQdpx(bytes(join(BAD, name)), name, { ...OPTIONS, limits }));
  const readBare = (name: string) => refusal(() => readQde(bytes(join(BAD, name)), name, new Map(), OPTIONS));

  it('empty.qdpx (0 bytes)', async () => {
    expect((await read('empty.qdpx')).message).toBe('“empty.qdpx” is empty (0 bytes). Export the project again from the program that made it, or copy the file again if it came from elsewhere.');
  });
  it('truncated.qdpx (the first half of a package)', async () => {
    expect((await read('truncated.qdpx')).message).toBe(
      '“truncated.qdpx” is damaged or incomplete: the ZIP directory at its end is missing. The file may have been cut off while it was copied or downloaded. Export the project again from the program that made it, or copy the file again if it came from elsewhere.',
    );
  });
  it('zip-bomb.qdpx: refused by its declared size under the default limits, and by the bytes it inflates when the size lies', async () => {
    const refused = await read('zip-bomb.qdpx');
    expect(refused.problems[0]!.where).toBe('sources/50a1ce00-0000-4000-8000-000000000002.txt');
    expect(refused.message).toMatch(/^“zip-bomb\.qdpx”: the entry “sources\/50a1ce00-0000-4000-8000-000000000002\.txt” declares 300 MiB, more than the 256 MiB one entry may unpack to, so reading stopped\. A package that unpacks to far more than it weighs is a “zip bomb”/);
    // the same bomb declaring 1 KiB (central directory and local header): default limits, stopped after ~1 KiB
    const lying = bytes(join(BAD, 'zip-bomb.qdpx'));
    const view = new DataView(lying.buffer);
    for (let i = 0; i + 4 <= lying.length; i += 1) {
      if (view.getUint32(i, true) === 0x02014b50 && view.getUint32(i + 24, true) === 300 * 1024 * 1024) view.setUint32(i + 24, 1024, true);
      if (view.getUint32(i, true) === 0x04034b50 && view.getUint32(i + 22, true) === 300 * 1024 * 1024) view.setUint32(i + 22, 1024, true);
    }
    const error = await refusal(() => readQdpx(lying, 'lying.qdpx', OPTIONS));
    expect(error.message).toMatch(/the entry “sources\/50a1ce00-0000-4000-8000-000000000002\.txt” unpacks to more than the 1024 bytes its header declares, so reading stopped/);
  });
  it('xxe.qde (an external entity)', async () => {
    const error = await readBare('xxe.qde');
    expect(error.problems[0]!.where).toBe('xxe.qde, line 3, column 3');
    expect(error.message).toMatch(/^“xxe\.qde” declares XML entities in a DOCTYPE \(xxe\.qde, line 3, column 3\)\. REFI-QDA projects never need them, and they can make a reader fetch files from this computer/);
  });
  it('billion-laughs.qde (entity expansion)', async () => {
    expect((await readBare('billion-laughs.qde')).message).toMatch(/^“billion-laughs\.qde” declares XML entities in a DOCTYPE .*Cartography refuses the file/);
  });
  it('wrong-namespace.qdpx', async () => {
    expect((await read('wrong-namespace.qdpx')).message).toBe(
      '“wrong-namespace.qdpx” is not a REFI-QDA project: its <Project> element is in the namespace “urn:example:not-qda”, where a project uses urn:QDA-XML:project:1.0. Check that you picked the right file.',
    );
  });
  it('wrong-root.qdpx (a codebook)', async () => {
    expect((await read('wrong-root.qdpx')).message).toBe('“wrong-root.qdpx” is a REFI-QDA codebook, not a project: use Import codebook (in the Codebook area) to read its codes.');
  });
  it('positions-past-end.qdpx', async () => {
    const error = await read('positions-past-end.qdpx');
    expect(error.problems).toEqual([
      {
        where: 'project.qde, line 7, column 7, <PlainTextSelection guid="5e1ec700-0000-4000-8000-000000000003">',
        message: 'The selection 20–45 in “Interview 1” lies past the end of its text, which has 29 code points. The text and the project do not belong together: Export the project again from the program that made it.',
      },
    ]);
  });
  it('end-before-start.qdpx', async () => {
    expect((await read('end-before-start.qdpx')).message).toBe('The selection in “Interview 1” ends (at 4) before it starts (at 12). Export the project again from the program that made it.');
  });
  it('duplicate-guids.qdpx (the same GUID in upper case and braces)', async () => {
    const error = await read('duplicate-guids.qdpx');
    expect(error.problems[0]!.where).toMatch(/^project\.qde, line 8, column 9, <Coding guid="\{C0DE0000-/);
    expect(error.message).toBe(
      'The GUID c0de0000-0000-4000-8000-000000000001 is used twice in “duplicate-guids.qdpx”: by <Code> (line 4) and by <Coding> (line 8). Every object of a project needs its own GUID, or references cannot be resolved. Export the project again from the program that made it.',
    );
  });
  it('missing-code.qdpx (a coding of a code the codebook does not define)', async () => {
    expect((await read('missing-code.qdpx')).message).toBe(
      "A coding in “Interview 1” refers to the code deadbeef-0000-4000-8000-00000000dead, which the project's codebook does not define. Export the project again from the program that made it.",
    );
  });
  it('not-utf8-source.qdpx (a Windows-1252 text file)', async () => {
    expect((await read('not-utf8-source.qdpx')).message).toBe(
      'The text of the source “Interview 1” (sources/50a1ce00-0000-4000-8000-000000000002.txt) is not valid UTF-8 (byte 10 is 0x93), which a REFI-QDA project requires; it may be in another encoding such as Windows-1252. Export the project again, or save the text as UTF-8 in the program that made it.',
    );
  });
});
