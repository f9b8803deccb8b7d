import 'fake-indexeddb/auto';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { studyStats, STATS_KEYS } from '../../bin/cli/commands/stats.ts';
import { parseTerms } from '../../shared/reports/terms.ts';
import { ORIGIN } from '../../bin/cli/version.ts';
import { writeFileAtomically } from '../../bin/cli/node-io.ts';
import { DEMO, NOW, ROOT, run, tempFolderPerTest } from '../support/cli.ts';
import { attributeByCodeMatrix, caseByCodeMatrix, codeColumns } from '../../shared/analysis/matrix.ts';
import { matrixSourceFromRecords } from '../../shared/analysis/matrix-source.ts';
import type { Matrix, MatrixMetric, MatrixSource, RowDimension } from '../../shared/analysis/matrix-types.ts';
import { codebookToCsv } from '../../shared/codebook/csv.ts';
import { codebookFromQdc, codebookToQdc } from '../../shared/codebook/qdc.ts';
import { codingsToCsv } from '../../shared/formats/codings-csv.ts';
import { matrixToCsv } from '../../shared/formats/matrix-export.ts';
import { newGuid } from '../../shared/model/ids.ts';
import type { StudyRecords } from '../../shared/model/types.ts';
import { studyToQdpx } from '../../shared/refi/qdpx.ts';
import { reportToDocx } from '../../shared/reports/report-docx.ts';
import { reportToHtml } from '../../shared/reports/report-html.ts';
import { reportToMarkdown } from '../../shared/reports/report-markdown.ts';
import { buildCodebookReport } from '../../shared/reports/report-model.ts';
import { readStudyFile, readStudyFileContents } from '../../shared/study-file/read.ts';
import { writeStudyFile } from '../../shared/study-file/write.ts';
import { CartographyDb } from '../../renderer/data/db.ts';
import { loadMatrixSource } from '../../renderer/data/matrices.ts';
import { importStudyFile } from '../../renderer/data/studies.ts';

const INTEROP = join(ROOT, '../shared/interop/refi');
const hasInterop = existsSync(INTEROP);

const { at, dir: tempDir } = tempFolderPerTest('cartography-cli-');
const text = (path: string) => readFileSync(path, 'utf8');
const readStudy = (path: string): StudyRecords => readStudyFile(text(path), path, { now: NOW, newId: newGuid });

/**
 * The demo study with its GUIDs fixed: the shipped file names records by key and gets new
 * GUIDs at every read, so outputs are compared on a converted copy that keeps them.
 */
async function fixedDemo(): Promise<{ path: string; records: StudyRecords }> {
  const path = at('demo.cartography.json');
  expect((await run('convert', DEMO, path)).code).toBe(0);
  return { path, records: readStudy(path) };
}

const parseCsv = (csv: string) => {
  const parsed = Papa.parse<string[]>(csv, { newline: '\r\n' });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
};

describe('usage', () => {
  it('prints the usage on --help and the options of a command on "help COMMAND" or "COMMAND --help", exit 0', async () => {
    const general = await run('--help');
    expect(general).toMatchObject({ code: 0, stderr: '' });
    expect(general.stdout).toContain('Usage: cartography <command> [options]');
    for (const command of ['stats', 'convert', 'report', 'matrix']) expect(general.stdout).toContain(`  ${command} `);
    const convert = await run('help', 'convert');
    expect(convert.code).toBe(0);
    expect(convert.stdout).toContain('Usage: cartography convert IN OUT [options]');
    expect(convert.stdout).toContain('--utf16-positions');
    expect((await run('matrix', '--help')).stdout).toContain('attribute:NAME');
    expect((await run('report', 'x', '-h')).stdout).toContain('--exemplars N');
  });

  it('answers an unknown command or option, or a missing argument, with a hint on standard error and exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [[], /Usage: cartography/],
      [['frobnicate'], /unknown command “frobnicate”\.\nRun “cartography --help” for the commands\./],
      [['--frobnicate'], /unknown option --frobnicate\./],
      [['stats', '--verbose', DEMO], /stats: unknown option --verbose\.\nRun “cartography help stats” for its options\./],
      [['stats'], /stats: missing FILE\./],
      [['stats', DEMO, 'extra'], /stats: unexpected argument “extra”\./],
      [['convert', DEMO], /convert: missing OUT\./],
      [['convert', DEMO, at('out.txt')], /cannot tell the format of .*out\.txt.* from its name/],
      [['convert', DEMO, at('out.csv'), '--table', 'people'], /--table must be codebook or codings, not “people”/],
      [['convert', DEMO, at('out.qdc'), '--utf16-positions'], /--utf16-positions applies to a \.qdpx output only/],
      [['report', DEMO], /report: missing -o OUT/],
      [['report', DEMO, '-o', at('r.txt')], /cannot tell the format of .*r\.txt/],
      [['report', DEMO, '--format', 'html', '-o', at('r.md')], /--format html does not match the name .*r\.md.*, which says md/],
      [['report', DEMO, '-o', at('r.html'), '--exemplars', 'many'], /--exemplars must be a whole number from 0 to 10, not “many”/],
      [['report', DEMO, '-o', at('r.html'), '--exemplars'], /report: .*--exemplars/],
      [['matrix', DEMO, '-o', at('m.csv'), '--metric', 'words'], /--metric must be segments, participants or presence, not “words”/],
      [['matrix', DEMO, '-o', at('m.csv'), '--rows', 'region'], /--rows must be case, participant, document or attribute:NAME, not “region”/],
      [['matrix', DEMO, '-o', at('m.xlsx')], /written as CSV/],
      [['help', 'frobnicate'], /help: unknown command “frobnicate”/],
    ];
    for (const [argv, message] of cases) {
      const result = await run(...argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stdout, argv.join(' ')).toBe('');
      expect(result.stderr, argv.join(' ')).toMatch(message);
    }
    expect(readdirSync(tempDir())).toEqual([]);
  });
});

describe('stats', () => {
  it('prints exactly the nine counts of the demo study as JSON: what its .qdpx carries', async () => {
    const result = await run('stats', DEMO);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const stats = JSON.parse(result.stdout) as Record<string, number>;
    expect(Object.keys(stats)).toEqual([...STATS_KEYS]);
    const records = readStudy(DEMO);
    expect(stats).toEqual({
      codes: 27,
      sources: 14,
      cases: 14,
      variables: 5,
      // every segment of the demo is coded or kept for a memo, and lies inside its text
      selections: records.segments.length,
      codings: records.codings.length,
      users: 2,
      notes: records.memos.length,
      // no tie of the demo joins two actors that both stand for a case: the links are the memos about cases
      links: records.memos.filter((m) => m.targetType === 'case' || m.targetType === 'position').length,
    });
    expect(stats['links']).toBeGreaterThan(0);
  });

  it('counts a tie as a link only when both its actors stand for cases (a .qdpx has no place for the others)', async () => {
    const { records } = await fixedDemo();
    const [a, b] = records.actors.filter((x) => x.caseId !== null);
    const other = records.actors.find((x) => x.caseId === null)!;
    const tie = (fromId: string, toId: string) => ({ ...records.ties[0]!, id: newGuid(), fromId, toId });
    const base = studyStats(records).links;
    expect(studyStats({ ...records, ties: [...records.ties, tie(a!.id, b!.id)] }).links).toBe(base + 1);
    expect(studyStats({ ...records, ties: [...records.ties, tie(a!.id, other.id)] }).links).toBe(base);
  });

  it('counts a codebook’s codes and nothing else', async () => {
    const { path } = await fixedDemo();
    const qdc = at('codebook.qdc');
    expect((await run('convert', path, qdc)).code).toBe(0);
    const result = await run('stats', qdc);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ codes: 27, sources: 0, cases: 0, variables: 0, selections: 0, codings: 0, users: 0, notes: 0, links: 0 });
  });
});

describe('convert', () => {
  it('study file → study file keeps every record, GUID and timestamp', async () => {
    const { path, records } = await fixedDemo();
    const again = at('again.cartography.json');
    expect(await run('convert', path, again)).toMatchObject({ code: 0, stderr: '' });
    expect(text(again)).toBe(text(path));
    expect(writeStudyFile(readStudy(again))).toEqual(writeStudyFile(records));
  });

  it('study file → study file keeps the study’s settings (saved views, pinned exemplars), as the app exports them', async () => {
    const { records } = await fixedDemo();
    const settings = { 'matrix-views': [{ name: 'Licences', savedAt: NOW, config: { metric: 'presence' } }], 'report-pins': { [records.codes[0]!.id]: [records.segments[0]!.id] } };
    const withSettings = at('settings.cartography.json');
    writeFileSync(withSettings, JSON.stringify(writeStudyFile(records, settings), null, 1));
    const out = at('out.cartography.json');
    expect((await run('convert', withSettings, out)).code).toBe(0);
    expect(readStudyFileContents(text(out), out, { now: NOW, newId: newGuid }).settings).toEqual(settings);
    expect(text(out)).toBe(text(withSettings));
  });

  it('study file → .qdpx gives the bytes of the REFI-QDA export, positions in characters or UTF-16 units, and says what the format cannot carry', async () => {
    const { path, records } = await fixedDemo();
    const out = at('demo.qdpx');
    const result = await run('convert', path, out);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^note: not carried by \.qdpx: /m);
    const bytes = new Uint8Array(readFileSync(out));
    expect(bytes).toEqual(studyToQdpx(records, { origin: ORIGIN, positions: 'code-points' }));
    expect(Object.keys(unzipSync(bytes))).toContain('project.qde');
    const utf16 = at('demo-utf16.qdpx');
    expect((await run('convert', path, utf16, '--utf16-positions')).code).toBe(0);
    expect(new Uint8Array(readFileSync(utf16))).toEqual(studyToQdpx(records, { origin: ORIGIN, positions: 'utf16' }));
  });

  it('study file → .qdpx → stats gives the counts of the study file', async () => {
    const { path } = await fixedDemo();
    const out = at('demo.qdpx');
    expect((await run('convert', path, out)).code).toBe(0);
    const native = await run('stats', path);
    const project = await run('stats', out);
    expect(project.code).toBe(0);
    expect(JSON.parse(project.stdout)).toEqual(JSON.parse(native.stdout));
  });

  it('.qdpx → study file keeps the codes, documents and codings, each coding on the same text', async () => {
    const { path, records } = await fixedDemo();
    const qdpx = at('demo.qdpx');
    const back = at('back.cartography.json');
    expect((await run('convert', path, qdpx)).code).toBe(0);
    expect((await run('convert', qdpx, back)).code).toBe(0);
    const restored = readStudy(back);
    expect(restored.codes.map((c) => c.id).sort()).toEqual(records.codes.map((c) => c.id).sort());
    expect(restored.documents.map((d) => d.id).sort()).toEqual(records.documents.map((d) => d.id).sort());
    expect(restored.codings.map((c) => c.id).sort()).toEqual(records.codings.map((c) => c.id).sort());
    expect(codingsToCsv(restored)).toBe(codingsToCsv(records));
  });

  it('study file → .qdc writes the codebook, and .qdc → study file brings back its codes and stages', async () => {
    const { path, records } = await fixedDemo();
    const qdc = at('codebook.qdc');
    expect(await run('convert', path, qdc)).toMatchObject({ code: 0, stderr: '' });
    expect(text(qdc)).toBe(codebookToQdc(records.stages, records.codes, { origin: ORIGIN }));
    const read = codebookFromQdc(text(qdc), records.stages, { newId: newGuid, now: NOW, studyId: records.study.id, coderId: null });
    expect(read.problems).toEqual([]);
    expect(read.codes.map((c) => c.id).sort()).toEqual(records.codes.map((c) => c.id).sort());

    const study = at('codebook.cartography.json');
    expect((await run('convert', qdc, study)).code).toBe(0);
    const restored = readStudy(study);
    expect(restored.study.name).toBe('codebook');
    expect(restored.documents).toEqual([]);
    expect(restored.stages.map((s) => s.name)).toEqual(records.stages.map((s) => s.name));
    const stageName = (r: StudyRecords, stageId: string | null) => (stageId === null ? null : r.stages.find((s) => s.id === stageId)!.name);
    const summary = (r: StudyRecords) => r.codes.map((c) => [c.id, c.name, c.parentId, stageName(r, c.stageId), c.kind, c.mode, c.definition]).sort();
    expect(summary(restored)).toEqual(summary(records));
  });

  it('writes the codings table by default for a study, and the codebook table with --table codebook or a .codebook.csv name', async () => {
    const { path, records } = await fixedDemo();
    const codings = at('demo.csv');
    expect((await run('convert', path, codings)).code).toBe(0);
    expect(text(codings)).toBe(codingsToCsv(records));
    const rows = parseCsv(text(codings));
    expect(rows[0]).toEqual(['document', 'case', 'start', 'end', 'text', 'code path', 'coder']);
    expect(rows).toHaveLength(records.codings.length + 1);
    const textOf = new Map(records.documents.map((d) => [d.title, records.texts.find((t) => t.id === d.id)!.text]));
    for (const [title, , start, end, quote] of rows.slice(1)) {
      expect(quote!.replace(/^'(?='*[=+\-@\t\r])/, '')).toBe(textOf.get(title!)!.slice(Number(start), Number(end)));
    }

    const expected = codebookToCsv(records.stages, records.codes);
    const byOption = at('table.csv');
    expect((await run('convert', path, byOption, '--table', 'codebook')).code).toBe(0);
    expect(text(byOption)).toBe(expected);
    const byName = at('demo.codebook.csv');
    expect((await run('convert', path, byName)).code).toBe(0);
    expect(text(byName)).toBe(expected);
  });

  it('codebook CSV ↔ .qdc ↔ study file: the same codes every way round', async () => {
    const { path, records } = await fixedDemo();
    const csv = at('book.codebook.csv');
    const qdc = at('book.qdc');
    const csvAgain = at('again.csv');
    const study = at('book.cartography.json');
    expect((await run('convert', path, csv)).code).toBe(0);
    expect((await run('convert', csv, qdc)).code).toBe(0);
    // a codebook's CSV is its codebook table by default
    expect((await run('convert', qdc, csvAgain)).code).toBe(0);
    expect((await run('convert', csv, study)).code).toBe(0);
    expect(text(qdc)).toBe(codebookToQdc(records.stages, records.codes, { origin: ORIGIN }));
    // the history column does not travel through .qdc; every other column does
    const withoutHistory = (csvText: string) => parseCsv(csvText).map((row) => row.slice(0, -1));
    expect(withoutHistory(text(csvAgain))).toEqual(withoutHistory(codebookToCsv(records.stages, records.codes)));
    expect(readStudy(study).codes.map((c) => [c.id, c.name, c.history.length])).toEqual(records.codes.map((c) => [c.id, c.name, c.history.length]));
  });

  it('refuses to write a codings table from a codebook, and says what is possible instead', async () => {
    const { path } = await fixedDemo();
    const qdc = at('book.qdc');
    expect((await run('convert', path, qdc)).code).toBe(0);
    const out = at('codings.csv');
    const result = await run('convert', qdc, out, '--table', 'codings');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`“${qdc}” is a REFI-QDA codebook: it has codes but no codings`);
    expect(result.stderr).toContain('--table codebook');
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a codings table as input: it is written, not read', async () => {
    const { path } = await fixedDemo();
    const codings = at('codings.csv');
    expect((await run('convert', path, codings)).code).toBe(0);
    const result = await run('convert', codings, at('out.qdc'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`“${codings}” is a codings table`);
    expect(existsSync(at('out.qdc'))).toBe(false);
  });

  it('reads a bare project file (.qde) whose texts are inline', async () => {
    const qde = at('inline.qde');
    writeFileSync(
      qde,
      `<?xml version="1.0" encoding="UTF-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Inline">
  <Users><User guid="a0000000-0000-4000-8000-000000000001" name="Ana"/></Users>
  <CodeBook><Codes><Code guid="c0000000-0000-4000-8000-000000000001" name="Greeting" isCodable="true"/></Codes></CodeBook>
  <Sources>
    <TextSource guid="50000000-0000-4000-8000-000000000001" name="Note">
      <PlainTextContent>Hello world, and welcome.</PlainTextContent>
      <PlainTextSelection guid="5e000000-0000-4000-8000-000000000001" startPosition="0" endPosition="11">
        <Coding guid="c1000000-0000-4000-8000-000000000001" creatingUser="a0000000-0000-4000-8000-000000000001"><CodeRef targetGUID="c0000000-0000-4000-8000-000000000001"/></Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
</Project>
`,
    );
    expect(JSON.parse((await run('stats', qde)).stdout)).toEqual({ codes: 1, sources: 1, cases: 0, variables: 0, selections: 1, codings: 1, users: 1, notes: 0, links: 0 });
    expect((await run('convert', qde, at('inline.csv'))).code).toBe(0);
    expect(text(at('inline.csv'))).toBe('document,case,start,end,text,code path,coder\r\nNote,,0,11,Hello world,Greeting,Ana');
  });

  it('tells the format of a file without a known extension by its content', async () => {
    const { path, records } = await fixedDemo();
    const noExtension = at('study-without-extension');
    writeFileSync(noExtension, readFileSync(path));
    const qdcAsXml = at('codebook.xml');
    writeFileSync(qdcAsXml, codebookToQdc(records.stages, records.codes, { origin: ORIGIN }));
    expect(JSON.parse((await run('stats', noExtension)).stdout)).toMatchObject({ codes: 27, sources: 14 });
    expect(JSON.parse((await run('stats', qdcAsXml)).stdout)).toMatchObject({ codes: 27, sources: 0 });
    const unknown = at('notes.bak');
    writeFileSync(unknown, 'Just some notes.');
    const result = await run('stats', unknown);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Cannot tell what “${unknown}” is: its name has no known extension and its content is not one of the formats.`);
    const transcript = at('interview.txt');
    writeFileSync(transcript, '{"looks": "like JSON, but the name says transcript"}');
    expect((await run('stats', transcript)).stderr).toContain(`“${transcript}” is a transcript (.txt), not a study, project or codebook.`);
  });
});

describe('report', () => {
  const build = (records: StudyRecords, options: Partial<Parameters<typeof buildCodebookReport>[1]> = {}) =>
    buildCodebookReport(records, { exemplars: 2, anonymise: { participants: false, terms: [] }, includeMatrix: false, now: NOW, stageIds: 'all', ...options });

  it('writes the codebook report as HTML, Markdown and Word, as the shared writers make it', async () => {
    const { path, records } = await fixedDemo();
    expect((await run('report', path, '-o', at('r.html'))).code).toBe(0);
    expect(text(at('r.html'))).toBe(reportToHtml(build(records)));
    expect((await run('report', path, '--format', 'md', '--output', at('r.markdown.txt'))).code).toBe(0);
    expect(text(at('r.markdown.txt'))).toBe(reportToMarkdown(build(records)));
    expect((await run('report', path, '-o', at('r.docx'))).code).toBe(0);
    expect(new Uint8Array(readFileSync(at('r.docx')))).toEqual(reportToDocx(build(records)));
  });

  it('takes the options of the Reports screen: exemplars, anonymisation, terms, stages and the matrix', async () => {
    const { path, records } = await fixedDemo();
    const terms = at('terms.txt');
    writeFileSync(terms, '\uFEFFBLOOM => a multilingual model\r\nJean Zay\r\n\r\n');
    const stage = records.stages[1]!;
    const out = at('r.md');
    const result = await run('report', path, '-o', out, '--exemplars', '3', '--anonymise', '--terms', terms, '--stages', `${stage.name.toUpperCase()}, cross-stage`, '--matrix');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const expected = build(records, {
      exemplars: 3,
      anonymise: { participants: true, terms: [{ term: 'BLOOM', replacement: 'a multilingual model' }, { term: 'Jean Zay', replacement: '[removed]' }] },
      stageIds: [stage.id, null],
      includeMatrix: true,
    });
    expect(text(out)).toBe(reportToMarkdown(expected));
    expect(expected.sections.map((s) => s.stageId)).toEqual([stage.id, null]);
    expect(expected.matrix).toBeDefined();
    expect(expected.notes.join('\n')).toContain('2 identifying terms listed by the researcher');
  });

  it('puts the exemplars pinned in the app (the study file’s "report-pins" setting) first, as the app does', async () => {
    const { records } = await fixedDemo();
    const code = records.codes.find((c) => records.codings.filter((k) => k.codeId === c.id).length >= 3)!;
    const segments = records.codings.filter((k) => k.codeId === code.id).map((k) => k.segmentId);
    const pinned = [segments.at(-1)!, segments.at(-2)!];
    const pinnedFile = at('pinned.cartography.json');
    writeFileSync(pinnedFile, JSON.stringify(writeStudyFile(records, { 'report-pins': { [code.id]: pinned, 'not-a-code': 'not a list' } }), null, 1));
    expect((await run('report', pinnedFile, '-o', at('pinned.md'))).code).toBe(0);
    const expected = build(records, { pinned: { [code.id]: pinned } });
    expect(text(at('pinned.md'))).toBe(reportToMarkdown(expected));
    const exemplars = expected.sections.flatMap((s) => s.kinds.flatMap((k) => k.codes)).find((c) => c.id === code.id)!.exemplars;
    expect(exemplars.map((e) => [e.segmentId, e.rule])).toEqual([
      [pinned[0], 'pinned'],
      [pinned[1], 'pinned'],
    ]);
  });

  it('reads a terms file with the same reader as the Reports screen', () => {
    const sample = '  Acme Labs => a lab \nJean Zay\n\n => nothing\nBLOOM=>a model=>twice\nNB =>\n';
    expect(parseTerms(sample)).toEqual([
      { term: 'Acme Labs', replacement: 'a lab' },
      { term: 'Jean Zay', replacement: '[removed]' },
      { term: 'BLOOM', replacement: 'a model' },
      { term: 'NB', replacement: '[removed]' },
    ]);
  });

  it('refuses a stage the study does not have, naming the stages it has', async () => {
    const { path } = await fixedDemo();
    const result = await run('report', path, '-o', at('r.html'), '--stages', 'Pre-training,Deployment');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`“${path}” has no stage named “Deployment”. Its stages: “Pre-training”, “Post-training”, “Post-release”, “cross-stage”.`);
    expect(existsSync(at('r.html'))).toBe(false);
  });
});

describe('matrix', () => {
  const cells = (csv: string) => parseCsv(csv).slice(1, -1).map((row) => row.slice(1, -1).map(Number));

  it('writes the case × code matrix as the app exports it, for every metric and row kind', async () => {
    const { path, records } = await fixedDemo();
    const source = matrixSourceFromRecords(records);
    const columns = codeColumns(source);
    for (const rows of ['case', 'participant', 'document'] as const) {
      for (const metric of ['segments', 'participants', 'presence'] as const) {
        const out = at(`${rows}-${metric}.csv`);
        const result = await run('matrix', path, '--rows', rows, '--metric', metric, '-o', out);
        expect(result, `${rows} ${metric}`).toMatchObject({ code: 0, stderr: '' });
        const direct = caseByCodeMatrix(source, { rows, metric, columns });
        expect(text(out)).toBe(matrixToCsv(direct, { totals: true }));
        expect(cells(text(out))).toEqual(direct.cells);
      }
    }
    // defaults: cases, coded segments
    expect((await run('matrix', path, '-o', at('default.csv'))).code).toBe(0);
    expect(text(at('default.csv'))).toBe(text(at('case-segments.csv')));
    const header = parseCsv(text(at('default.csv')))[0]!;
    expect(header[0]).toBe('case');
    expect(header.at(-1)).toBe('Total');
    expect(header).toContain(columns.find((c) => c.namePath.length > 1)?.namePath.join(' > ') ?? header[1]);
  });

  it('groups cases by an attribute (any case of its name), raw or divided by the group size', async () => {
    const { path, records } = await fixedDemo();
    const source = matrixSourceFromRecords(records);
    const region = records.attributes.find((a) => a.name === 'Region')!;
    for (const normalise of [false, true]) {
      const out = at(`region-${normalise}.csv`);
      const argv = ['matrix', path, '--rows', 'attribute:region', '--metric', 'presence', '-o', out, ...(normalise ? ['--normalise'] : [])];
      expect((await run(...argv)).code).toBe(0);
      const direct = attributeByCodeMatrix(source, { attributeId: region.id, metric: 'presence', normalise, columns: codeColumns(source) });
      expect(text(out)).toBe(matrixToCsv(direct, { totals: true }));
      expect(parseCsv(text(out))[0]![0]).toBe('Region');
    }
    const unknown = await run('matrix', path, '--rows', 'attribute:Licence', '-o', at('x.csv'));
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('has no case attribute named “Licence”. Its attributes: “Region”, “Organisation type”, “Licence class”');
    expect(existsSync(at('x.csv'))).toBe(false);
  });

  it('refuses a codebook: it has no cases or codings to count', async () => {
    const { path } = await fixedDemo();
    expect((await run('convert', path, at('book.qdc'))).code).toBe(0);
    const result = await run('matrix', at('book.qdc'), '-o', at('m.csv'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('has no cases and no codings to count');
    expect(existsSync(at('m.csv'))).toBe(false);
  });

  it('counts from the same source as the app: matrixSourceFromRecords gives what renderer/data loadMatrixSource loads', async () => {
    const { path, records } = await fixedDemo();
    const db = new CartographyDb(`cli-matrix-${Math.random()}`);
    await db.open();
    try {
      const studyId = await importStudyFile(db, text(path), path);
      const loaded = await loadMatrixSource(db, studyId);
      const built = matrixSourceFromRecords(records);
      const byId = <T extends { id: string }>(list: readonly T[]) => [...list].sort((a, b) => (a.id < b.id ? -1 : 1));
      expect(byId(built.segments)).toEqual(byId(loaded.segments));
      expect(byId(built.codings)).toEqual(byId(loaded.codings));
      expect(built.stages.map((s) => s.id)).toEqual(loaded.stages.map((s) => s.id));
      expect(built.attributes.map((a) => a.id)).toEqual(loaded.attributes.map((a) => a.id));
      expect(byId(built.documents)).toEqual(byId(loaded.documents));
      expect(byId(built.coders ?? [])).toEqual(byId(loaded.coders ?? []));
      const matrices = (source: MatrixSource): Matrix[] =>
        (['case', 'participant', 'document'] as RowDimension[]).flatMap((rows) =>
          (['segments', 'participants', 'presence', 'share', 'words'] as MatrixMetric[]).map((metric) => caseByCodeMatrix(source, { rows, metric, columns: codeColumns(source) })),
        );
      expect(matrices(built).map((m) => matrixToCsv(m, { totals: true }))).toEqual(matrices(loaded).map((m) => matrixToCsv(m, { totals: true })));
    } finally {
      await db.delete();
    }
  });
});

describe.skipIf(!hasInterop)(`files from other tools (${hasInterop ? '../shared/interop/refi' : 'SKIPPED: ../shared/interop/refi is missing'})`, () => {
  const interop = (name: string) => join(INTEROP, name);

  it('counts an NVivo and a MAXQDA project as written', async () => {
    const nvivo = await run('stats', interop('nvivo-mac-12.7.qdpx'));
    expect(nvivo.code).toBe(0);
    // every note of the reader goes to standard error, so standard output stays JSON
    expect(nvivo.stderr).toMatch(/^note: /m);
    expect(JSON.parse(nvivo.stdout)).toMatchObject({ codes: 152, sources: 2, selections: 297, codings: 297 });
    const maxqda = await run('stats', interop('maxqda-24.qdpx'));
    expect(JSON.parse(maxqda.stdout)).toMatchObject({ codes: 307, sources: 10, selections: 0, codings: 0 });
  });

  it('converts an NVivo project to a study file and a codings table whose texts are the stored text at [start, end)', async () => {
    const study = at('nvivo.cartography.json');
    const table = at('nvivo.csv');
    expect((await run('convert', interop('nvivo-mac-12.7.qdpx'), study)).code).toBe(0);
    expect((await run('convert', study, table)).code).toBe(0);
    const records = readStudy(study);
    expect(records.documents).toHaveLength(2);
    const rows = parseCsv(text(table)).slice(1);
    expect(rows).toHaveLength(records.codings.length);
    const textOf = new Map(records.documents.map((d) => [d.title, records.texts.find((t) => t.id === d.id)!.text]));
    for (const [title, , start, end, quote] of rows) expect(quote!.replace(/^'(?='*[=+\-@\t\r])/, '')).toBe(textOf.get(title!)!.slice(Number(start), Number(end)));
  });

  it('converts a Taguette codebook to a codebook table and a study file', async () => {
    expect((await run('convert', interop('taguette-1.4.1.qdc'), at('taguette.csv'))).code).toBe(0);
    expect(parseCsv(text(at('taguette.csv')))).toHaveLength(4);
    expect((await run('convert', interop('taguette-1.4.1.qdc'), at('taguette.cartography.json'))).code).toBe(0);
    expect(readStudy(at('taguette.cartography.json')).codes).toHaveLength(3);
  });
});

describe('bad input', () => {
  /** Every sample but the folders' notes and generator scripts (zip-bomb.qdpx included: its 300 MiB entry is past the default limit). */
  const BAD = ['fixtures/bad-input', 'fixtures/bad'].flatMap((folder) =>
    readdirSync(join(ROOT, folder))
      .filter((name) => name !== 'README.md' && !name.endsWith('.mjs'))
      .map((name) => join(ROOT, folder, name)),
  );

  /** Damaged copies of good files: empty, cut short, wrong content under a right name. */
  function damaged(): string[] {
    const demoBytes = readFileSync(DEMO);
    const qdpx = studyToQdpx(readStudy(DEMO), { origin: ORIGIN, positions: 'code-points' });
    const files: [string, Uint8Array | string][] = [
      ['empty.cartography.json', ''],
      ['empty.csv', ''],
      ['empty.qdpx', ''],
      ['truncated.qdpx', qdpx.subarray(0, 600)],
      ['truncated-demo.cartography.json', demoBytes.subarray(0, demoBytes.length >> 1)],
      ['array.cartography.json', '[1, 2, 3]'],
      ['not-a-zip.qdpx', 'this is plain text'],
      ['tags-only.qdc', '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code name="A" guid="not-closed"></Codes></CodeBook>'],
      // a bare project file can only hold inline texts: this one points at a sources/ entry it cannot have
      [
        'sources-missing.qde',
        '<?xml version="1.0"?>\n<Project xmlns="urn:QDA-XML:project:1.0" name="x"><Sources><TextSource guid="3f2b8c1e-9a4d-4c2e-8b1f-0a6d5e4c3b2a" name="Interview" plainTextPath="internal://3f2b8c1e-9a4d-4c2e-8b1f-0a6d5e4c3b2a.txt"/></Sources></Project>\n',
      ],
      ['zero-bytes-no-extension', ''],
    ];
    return files.map(([name, content]) => {
      const path = at(name);
      writeFileSync(path, content);
      return path;
    });
  }

  it('exits 1 with a message naming the file, for every bad sample, and prints nothing on standard output', async () => {
    for (const path of [...BAD, ...damaged()]) {
      const result = await run('stats', path);
      expect(result.code, path).toBe(1);
      expect(result.stdout, path).toBe('');
      expect(result.stderr, path).toContain(`“${path}”`);
      expect(result.stderr, path).toMatch(/^cartography: /);
    }
  });

  it('repeats the readers’ messages: JSON paths of a study file, line and column of a .qdc, row of a CSV', async () => {
    const dangling = await run('stats', join(ROOT, 'fixtures/bad-input/dangling-references.cartography.json'));
    expect(dangling.stderr).toMatch(/is not a valid Cartography study file:\n {2}participants\[0\]\.case: /);
    expect(dangling.stderr).toContain('codings[0].quote: ');
    const binary = await run('stats', join(ROOT, 'fixtures/bad-input/binary.cartography.json'));
    expect(binary.stderr).toContain('(file): is not UTF-8 text');
    const malformed = await run('stats', join(ROOT, 'fixtures/bad-input/malformed.qdc'));
    expect(malformed.stderr).toMatch(/is not well-formed XML: .* at line 7, column \d+/);
    expect(malformed.stderr).toContain('What to do: ');
    const duplicate = await run('stats', join(ROOT, 'fixtures/bad-input/duplicate-guids.qdc'));
    expect(duplicate.stderr).toMatch(/Two codes have the GUID [0-9a-f-]+: .*\(line 6\)/);
    const missingParent = await run('stats', join(ROOT, 'fixtures/bad-input/missing-parent.codebook.csv'));
    expect(missingParent.stderr).toMatch(/“[^”]*missing-parent\.codebook\.csv”, row 4: /);
    const empty = await run('stats', join(ROOT, 'fixtures/bad-input/empty.qdc'));
    expect(empty.stderr).toContain('is empty (0 bytes)');
    const notZip = at('not-a-zip.qdpx');
    writeFileSync(notZip, 'plain text');
    const project = await run('stats', notZip);
    expect(project.stderr).toMatch(new RegExp(`is not a REFI-QDA project that can be read:\\n {2}\\S`));
    const noProject = at('no-project.qdpx');
    writeFileSync(noProject, zipSync({ 'notes.txt': strToU8('no project here') }));
    expect((await run('stats', noProject)).stderr).toContain(`“${noProject}” is a ZIP package but not a REFI-QDA project: it has no project file (*.qde) at its root.`);
    const docx = await run('stats', join(ROOT, 'fixtures/bad/no-document.docx'));
    expect(docx.stderr).toContain('no-document.docx” is a transcript (.docx), not a study, project or codebook.');
    const missing = await run('stats', at('nowhere.cartography.json'));
    expect(missing.stderr).toContain(`Cannot read “${at('nowhere.cartography.json')}”: no such file.`);
  });

  it('writes no output for a bad input, and leaves an existing output exactly as it was', async () => {
    const existing = at('existing.qdpx');
    writeFileSync(existing, 'the previous export');
    const before = statSync(existing).mtimeMs;
    for (const path of [...BAD, ...damaged()]) {
      for (const argv of [
        ['convert', path, at('fresh.cartography.json')],
        ['convert', path, existing],
        ['report', path, '-o', at('fresh.html')],
        ['matrix', path, '-o', at('fresh.csv')],
      ]) {
        const result = await run(...argv);
        expect(result.code, argv.join(' ')).toBe(1);
        expect(result.stderr, argv.join(' ')).toContain('Nothing was written.');
      }
    }
    expect(text(existing)).toBe('the previous export');
    expect(statSync(existing).mtimeMs).toBe(before);
    expect(readdirSync(tempDir()).filter((name) => name.startsWith('fresh') || name.endsWith('.tmp'))).toEqual([]);
  });

  it('says so when the output cannot be written, and leaves no temporary file', async () => {
    const result = await run('convert', DEMO, at('missing-folder/out.qdc'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Cannot write “${at('missing-folder/out.qdc')}”: the folder “${at('missing-folder')}” does not exist.`);
    const folder = at('a-folder.qdc');
    rmSync(folder, { force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(folder));
    const onFolder = await run('convert', DEMO, folder);
    expect(onFolder.code).toBe(1);
    expect(onFolder.stderr).toContain('it is a folder');
    expect(readdirSync(tempDir()).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('replaces an existing output only once the new one is complete', async () => {
    const out = at('out.qdc');
    writeFileSync(out, 'old');
    await writeFileAtomically(out, new TextEncoder().encode('new'));
    expect(text(out)).toBe('new');
    expect(readdirSync(tempDir())).toEqual(['out.qdc']);
  });
});

describe('the built command', () => {
  const bundle = join(ROOT, 'dist/cli/cartography.mjs');
  beforeAll(() => {
    if (existsSync(bundle)) return;
    const built = spawnSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'vite.cli.config.ts', '--logLevel', 'error'], { cwd: ROOT, encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`building the command line failed: ${built.stderr}`);
  }, 180_000);

  it('runs as node bin/cartography.mjs: stats of the demo study on standard output, exit 0; a bad file, exit 1', () => {
    const ok = spawnSync(process.execPath, ['bin/cartography.mjs', 'stats', 'fixtures/demo/demo-study.cartography.json'], { cwd: ROOT, encoding: 'utf8' });
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ codes: 27, sources: 14, cases: 14, variables: 5, users: 2 });
    const bad = spawnSync(process.execPath, ['bin/cartography.mjs', 'stats', 'fixtures/bad-input/truncated.cartography.json'], { cwd: ROOT, encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('“fixtures/bad-input/truncated.cartography.json” is not a valid Cartography study file');
  }, 180_000);
});
