import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AgreementReport } from '../../bin/cli/commands/agreement.ts';
import { DEMO, NOW, ROOT, run, tempFolderPerTest, type Run } from '../support/cli.ts';
import { computeAgreement, type AgreementInput, type AgreementUnit } from '../../shared/analysis/agreement.ts';
import { newGuid } from '../../shared/model/ids.ts';
import type { StudyRecords } from '../../shared/model/types.ts';
import { readStudyFile } from '../../shared/study-file/read.ts';

const INTEROP = join(ROOT, '../shared/interop/refi');
const hasInterop = existsSync(INTEROP);
if (!hasInterop) console.warn(`Skipping the agreement tests on other tools' projects: ${INTEROP} is missing.`);

const { at } = tempFolderPerTest('cartography-cli-agreement-');

/** The demo study with its GUIDs fixed (the shipped file gets new GUIDs at every read). */
async function fixedDemo(): Promise<{ path: string; records: StudyRecords }> {
  const path = at('demo.cartography.json');
  expect((await run('convert', DEMO, path)).code).toBe(0);
  return { path, records: readStudyFile(readFileSync(path, 'utf8'), path, { now: NOW, newId: newGuid }) };
}

/**
 * The engine's input built here by hand, as the command documents it: both demo coders,
 * every code, the documents both coders have codings in, each coding at its segment's span.
 */
function demoInput(records: StudyRecords, options: { allDocuments?: boolean; codeIds?: string[] } = {}): AgreementInput {
  const coderIds = records.coders.map((c) => c.id);
  const documents = records.documents.filter((d) => options.allDocuments || coderIds.every((id) => records.codings.some((c) => c.documentId === d.id && c.coderId === id)));
  const codeIds = options.codeIds ?? records.codes.map((c) => c.id);
  return {
    documents: documents.map((d) => ({ id: d.id, length: d.length })),
    codings: records.codings.map((c) => {
      const s = records.segments.find((segment) => segment.id === c.segmentId)!;
      return { id: c.id, documentId: c.documentId, codeId: c.codeId, coderId: c.coderId, start: s.start, end: s.end };
    }),
    coderIds,
    codeIds,
  };
}

const json = (r: Run): AgreementReport => {
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as AgreementReport;
};

describe('cartography agreement', () => {
  it.each<[AgreementUnit, string[]]>([
    ['character', []],
    ['document', []],
    ['segment', []],
    ['segment', ['--overlap', '0.8']],
  ])('prints, for the %s unit %j, what computeAgreement gives on the same records', async (unit, extra) => {
    const { path, records } = await fixedDemo();
    expect(records.coders.map((c) => c.name)).toEqual(['Researcher A', 'Researcher B']);
    const report = json(await run('agreement', path, '--unit', unit, ...extra, '--json'));
    const overlap = unit === 'segment' ? Number(extra[1] ?? 0.5) : undefined;
    const expected = computeAgreement(demoInput(records), { unit, ...(overlap === undefined ? {} : { overlap }) });

    expect(Object.keys(report)).toEqual(['unit', ...(overlap === undefined ? [] : ['overlap']), 'coders', 'overall', 'codes']);
    expect(report.unit).toBe(unit);
    expect(report.overlap).toBe(overlap);
    expect(report.coders).toEqual(records.coders.map((c) => ({ id: c.id, name: c.name })));
    const { percent, kappa, alpha, units, notes } = expected.overall;
    expect(report.overall).toEqual({ percent, kappa, alpha, units, notes });
    expect(report.codes).toHaveLength(records.codes.length);
    const byId = new Map(expected.perCode.map((row) => [row.codeId, row]));
    for (const row of report.codes) {
      const code = records.codes.find((c) => c.id === row.id)!;
      expect(row.name).toBe(code.name);
      expect(row.path.endsWith(code.name)).toBe(true);
      const { codeId: _codeId, ...values } = byId.get(row.id)!;
      expect({ percent: row.percent, kappa: row.kappa, alpha: row.alpha, units: row.units, notes: row.notes }).toEqual(values);
    }
    // The demo's double coding has material to measure.
    expect(report.overall.units).toBeGreaterThan(0);
    expect(report.overall.kappa).not.toBeNull();
  });

  it('compares on the documents both coders coded, says how many were left out, and takes every document with --all-documents', async () => {
    const { path, records } = await fixedDemo();
    const shared = demoInput(records).documents.length;
    const left = records.documents.length - shared;
    expect(left).toBeGreaterThan(0);
    const some = await run('agreement', path, '--unit', 'document', '--json');
    expect(some.stderr).toBe(`note: compared on the ${shared} documents every compared coder has coded; ${left} others are left out (--all-documents includes them).\n`);
    expect(json(some).overall.units).toBe(shared * records.codes.length);
    const all = await run('agreement', path, '--unit', 'document', '--all-documents', '--json');
    expect(all.stderr).toBe('');
    const expected = computeAgreement(demoInput(records, { allDocuments: true }), { unit: 'document' }).overall;
    expect(json(all).overall).toMatchObject({ units: records.documents.length * records.codes.length, percent: expected.percent, kappa: expected.kappa, alpha: expected.alpha });
  });

  it('chooses coders by name, whatever the case, and codes by name or path', async () => {
    const { path, records } = await fixedDemo();
    const all = json(await run('agreement', path, '--unit', 'character', '--json')).codes;
    const [first, second] = [all[0]!, all.at(-1)!];
    const report = json(await run('agreement', path, '--unit', 'character', '--coders', 'researcher b, RESEARCHER A', '--codes', `${first.path.toLowerCase()},${second.name.toUpperCase()}`, '--json'));
    expect(report.coders.map((c) => c.name)).toEqual(['Researcher B', 'Researcher A']);
    expect(report.codes.map((c) => c.id)).toEqual([first.id, second.id]);
    const input = demoInput(records, { codeIds: report.codes.map((c) => c.id) });
    const expected = computeAgreement({ ...input, coderIds: [...input.coderIds].reverse() }, { unit: 'character' });
    expect(report.overall).toMatchObject({ percent: expected.overall.percent, alpha: expected.overall.alpha, units: expected.overall.units });
  });

  it('prints a readable table without --json', async () => {
    const { path, records } = await fixedDemo();
    const r = await run('agreement', path, '--unit', 'segment');
    expect(r.code).toBe(0);
    const report = json(await run('agreement', path, '--unit', 'segment', '--json'));
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Agreement of Researcher A, Researcher B');
    expect(lines[1]).toMatch(/^unit: segment \(codings matched when they overlap by at least 0\.5 of their union\); \d+ documents, \d+ codes$/);
    expect(lines[3]).toMatch(/^code +units +percent +kappa +alpha$/);
    const overall = lines.find((l) => l.startsWith('Overall'))!;
    const cell = (v: number | null, f: (x: number) => string) => (v === null ? '—' : f(v));
    expect(overall.split(/ {2,}/)).toEqual([
      'Overall',
      report.overall.units.toLocaleString('en-GB'),
      cell(report.overall.percent, (x) => `${(x * 100).toFixed(1)} %`),
      cell(report.overall.kappa, (x) => x.toFixed(3)),
      cell(report.overall.alpha, (x) => x.toFixed(3)),
    ]);
    expect(lines.filter((l) => records.codes.some((c) => l.startsWith(report.codes.find((row) => row.id === c.id)!.path)))).toHaveLength(records.codes.length);
    expect(r.stdout).toContain('Reading the values:');
    expect(r.stdout).toContain('Landis & Koch');
  });

  it('bad options: exit 2 with the reason and a pointer to the options', async () => {
    const { path } = await fixedDemo();
    const cases: [string[], RegExp][] = [
      [['agreement', path], /agreement: missing --unit document\|character\|segment/],
      [['agreement', path, '--unit', 'word'], /--unit must be document, character or segment, not “word”/],
      [['agreement', path, '--unit', 'segment', '--overlap', '0'], /--overlap is the share .* not “0”/],
      [['agreement', path, '--unit', 'segment', '--overlap', 'half'], /not “half”/],
      [['agreement', path, '--unit', 'segment', '--overlap', '1.2'], /not “1\.2”/],
      [['agreement', path, '--unit', 'character', '--overlap', '0.5'], /--overlap applies to --unit segment only/],
      [['agreement', path, '--unit', 'character', '--coders', 'Researcher A'], /--coders needs 2 or more names, separated by commas, not only “Researcher A”/],
      [['agreement', path, '--unit', 'character', '--codes', ' , '], /--codes needs at least one name/],
      [['agreement', path, '--unit', 'character', '--verbose'], /agreement: unknown option --verbose/],
      [['agreement', '--unit', 'character'], /agreement: missing FILE/],
    ];
    for (const [argv, message] of cases) {
      const r = await run(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toContain('Run “cartography help agreement” for its options.');
      expect(r.stdout).toBe('');
    }
  });

  it('bad files and names: exit 1 with what is wrong and what to do', async () => {
    const { path } = await fixedDemo();
    const broken = at('broken.cartography.json');
    writeFileSync(broken, '{"format": "cartography-study"');
    const codebook = at('codes.qdc');
    expect((await run('convert', path, codebook)).code).toBe(0);
    const cases: [string[], RegExp][] = [
      [['agreement', at('missing.cartography.json'), '--unit', 'document'], /missing\.cartography\.json/],
      [['agreement', broken, '--unit', 'document'], /broken\.cartography\.json” is not a valid Cartography study file/],
      [['agreement', codebook, '--unit', 'document'], /is a REFI-QDA codebook: it has no coders and no codings to compare/],
      [['agreement', path, '--unit', 'document', '--coders', 'Researcher A,Researcher C'], /has no coder named “Researcher C”\. Its coders: “Researcher A” \([0-9a-f-]+\), “Researcher B” \([0-9a-f-]+\)\./],
      [['agreement', path, '--unit', 'document', '--coders', 'Researcher A,researcher a'], /--coders names “Researcher A” twice/],
      [['agreement', path, '--unit', 'document', '--codes', 'No such code'], /has no code named “No such code”\. Its codes: /],
    ];
    for (const [argv, message] of cases) {
      const r = await run(...argv);
      expect(r.code, argv.join(' ')).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toContain('Nothing was written');
      expect(r.stdout).toBe('');
    }
  });

  it('refuses a study coded by one coder only, naming the coder', async () => {
    const { path, records } = await fixedDemo();
    const study = JSON.parse(readFileSync(path, 'utf8')) as { codings: { coder: string }[] };
    // Only the first coder's codings are kept (named as the file names coders).
    const first = study.codings[0]!.coder;
    study.codings = study.codings.filter((c) => c.coder === first);
    const single = at('single.cartography.json');
    writeFileSync(single, JSON.stringify(study));
    expect(records.coders.map((c) => c.name)).toContain('Researcher A');
    const r = await run('agreement', single, '--unit', 'character');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('has codings by one coder only (“Researcher A”): agreement compares two or more coders.');
  });

  it('reads a .qdpx project and gives the same numbers as the study file it was written from', async () => {
    const { path } = await fixedDemo();
    const qdpx = at('demo.qdpx');
    expect((await run('convert', path, qdpx)).code).toBe(0);
    const fromStudy = json(await run('agreement', path, '--unit', 'character', '--json'));
    const fromProject = json(await run('agreement', qdpx, '--unit', 'character', '--json'));
    expect(fromProject.coders.map((c) => c.name)).toEqual(fromStudy.coders.map((c) => c.name));
    expect(fromProject.overall).toEqual(fromStudy.overall);
    expect(new Map(fromProject.codes.map((c) => [c.path, c.alpha]))).toEqual(new Map(fromStudy.codes.map((c) => [c.path, c.alpha])));
  });

  it.skipIf(!hasInterop)('explains why projects from NVivo and MAXQDA without two coders’ codings cannot be compared', async () => {
    const nvivo = await run('agreement', join(INTEROP, 'nvivo-mac-12.7.qdpx'), '--unit', 'document');
    expect(nvivo.code).toBe(1);
    expect(nvivo.stderr).toMatch(/has codings by one coder only \(“floriansipos”\): agreement compares two or more coders\. Its coders: “floriansipos” \([0-9a-f-]+\), “Gergo” \([0-9a-f-]+, no codings\)\./);
    const withGergo = await run('agreement', join(INTEROP, 'nvivo-mac-12.7.qdpx'), '--unit', 'document', '--coders', 'floriansipos,gergo');
    expect(withGergo.code).toBe(1);
    expect(withGergo.stderr).toContain('has codings by every compared coder (“floriansipos”, “Gergo”)');
    const maxqda = await run('agreement', join(INTEROP, 'maxqda-24.qdpx'), '--unit', 'document');
    expect(maxqda.code).toBe(1);
    expect(maxqda.stderr).toMatch(/maxqda-24\.qdpx” has no codings: agreement compares the codings of two or more coders\./);
  });

  it('is listed in the usage, with its own help', async () => {
    expect((await run('--help')).stdout).toContain('  agreement FILE --unit U ');
    const help = await run('help', 'agreement');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: cartography agreement FILE --unit document|character|segment [options]');
    expect((await run('agreement', '--help')).stdout).toContain('--overlap SHARE');
  });
});
