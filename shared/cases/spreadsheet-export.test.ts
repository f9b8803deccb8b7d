import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { guidFromBytes } from '../model/ids.ts';
import {
  ATTRIBUTE_TYPES,
  OPENNESS_COMPONENTS,
  OPENNESS_LEVELS,
  type AttributeDef,
  type AttributeType,
  type AttributeValue,
  type Case,
  type Guid,
  type OpennessProfile,
  type Participant,
  type StudyRecords,
} from '../model/types.ts';
import { readStudyFile } from '../study-file/read.ts';
import { casesToRows, participantsToRows, rowsToCsv } from './spreadsheet-export.ts';
import { defaultMappings, planSheetImport, readSheet, type SheetKind } from './spreadsheet-import.ts';

const NOW = '2026-11-20T10:00:00.000Z';
const STUDY = '00000000-0000-4000-8000-0000000000aa';

function counter(prefix: number): () => Guid {
  let n = 0;
  return () => {
    n += 1;
    return guidFromBytes(Uint8Array.from({ length: 16 }, (_, i) => (i === 0 ? prefix : i === 15 ? n % 256 : i === 14 ? Math.floor(n / 256) : 0)));
  };
}

const demo: StudyRecords = readStudyFile(readFileSync(new URL('../../fixtures/demo/demo-study.cartography.json', import.meta.url), 'utf8'), 'demo-study.cartography.json', { now: NOW, newId: counter(0xd0) });

type Records = { studyId: Guid; attributes: AttributeDef[]; cases: Case[]; participants: Participant[] };

/** Exports a table as CSV, reads the file back and plans its import onto the same records. */
function roundTrip(records: Records, kind: SheetKind) {
  const rows = kind === 'cases' ? casesToRows(records) : participantsToRows(records);
  const sheet = readSheet(`${kind}.csv`, new TextEncoder().encode(rowsToCsv(rows)), kind);
  return planSheetImport(sheet, defaultMappings(sheet, records), records, { createMissing: false, now: NOW, coderId: null, newId: counter(0xee) });
}

describe('casesToRows and participantsToRows', () => {
  it('writes the demo case table: case, description, attributes in order, openness components', () => {
    const rows = casesToRows(demo);
    expect(rows[0]).toEqual(['Case', 'Description', 'Region', 'Organisation type', 'Licence class', 'Derivative models (approx.)', 'First open release', 'Weights', 'Training data', 'Training code', 'Checkpoints', 'Evaluation code', 'Documentation']);
    const olmo = demo.cases.find((c) => c.name === 'OLMo (AI2)')!;
    expect(rows[1]).toEqual(['OLMo (AI2)', olmo.description, 'North America', 'Non-profit', 'Permissive', '420', '2024-02-01', 'open', 'open', 'open', 'open', 'open', 'open']);
    expect(rows).toHaveLength(15);
  });

  it('heads the fixed columns differently when an attribute takes their name, so no header is written twice', () => {
    const attr = (name: string, order: number): AttributeDef => ({ id: `id-${order}`, studyId: STUDY, createdAt: NOW, modifiedAt: NOW, createdBy: null, name, type: 'text', values: [], order });
    expect(casesToRows({ attributes: [attr('weights', 1), attr('Case', 0), attr('Description', 2)], cases: [] })[0]).toEqual([
      'Case name',
      'Case description',
      'Case',
      'weights',
      'Description',
      'Openness: Weights',
      'Training data',
      'Training code',
      'Checkpoints',
      'Evaluation code',
      'Documentation',
    ]);
  });

  it('writes the demo participants with their cases by name', () => {
    const rows = participantsToRows(demo);
    expect(rows[0]).toEqual(['Pseudonym', 'Role', 'Organisation', 'Case', 'Interview date']);
    expect(rows[1]).toEqual(['P01', 'Research scientist', 'Allen Institute for AI (AI2)', 'OLMo (AI2)', '2025-02-18']);
  });
});

describe('rowsToCsv', () => {
  it('quotes where needed, ends lines with CRLF and guards cells a spreadsheet would run as formulas, but not numbers', () => {
    expect(rowsToCsv([['Case', 'Score', 'Note'], ['=HYPERLINK("x")', '-3', 'a, "b"\nc'], ['@SUM', '-1+2', "'+x"]])).toBe(
      'Case,Score,Note\r\n"\'=HYPERLINK(""x"")",-3,"a, ""b""\nc"\r\n\'@SUM,\'-1+2,\'\'+x',
    );
  });
});

describe('export → import round trip', () => {
  it('imports the demo study’s exported cases and participants onto it as unchanged', () => {
    const records = { studyId: demo.study.id, attributes: demo.attributes, cases: demo.cases, participants: demo.participants };
    for (const kind of ['cases', 'participants'] as const) {
      const plan = roundTrip(records, kind);
      expect(plan.problems).toEqual([]);
      expect(plan.counts).toEqual({ created: 0, updated: 0, unchanged: 14, newAttributes: 0 });
      expect(plan.put).toEqual({ attributes: [], cases: [], participants: [] });
    }
  });

  it('imports any study’s exported tables onto it as unchanged (property)', () => {
    const stamp = { studyId: STUDY, createdAt: NOW, modifiedAt: NOW, createdBy: null };
    // Names and texts as researchers type them (no spaces around, which the import trims), with the awkward characters of CSV and spreadsheets.
    const piece = fc.oneof(fc.string({ minLength: 1, maxLength: 6 }), fc.constantFrom(',', ';', '\t', '"', "'", '=', '-', '+', '@', '\n', 'é', '数', '🚀', ' '));
    const text = fc.array(piece, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('').replace(/\r/g, '').trim());
    const name = text.filter((s) => s !== '');
    const uniqueNames = (min: number, max: number) => fc.uniqueArray(name, { minLength: min, maxLength: max, selector: (s) => s.toLowerCase() });
    // Attribute names that meet the table's own headers, and random ones that cannot.
    const attributeName = fc.oneof(fc.constantFrom('Region', 'Case', 'Description', 'Weights', 'training data', '=Score', 'Name', 'Size, approx.'), name.map((s) => `Attr ${s}`));
    const attributeSpecs = fc.uniqueArray(fc.record({ name: attributeName, type: fc.constantFrom(...ATTRIBUTE_TYPES), values: uniqueNames(1, 4) }), { maxLength: 6, selector: (a) => a.name.toLowerCase() });
    const valueOf = (type: AttributeType, values: readonly string[]): fc.Arbitrary<AttributeValue> => {
      const some: fc.Arbitrary<AttributeValue> =
        type === 'text'
          ? name
          : type === 'number'
            ? fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n)))
            : type === 'boolean'
              ? fc.boolean()
              : type === 'date'
                ? fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10))
                : fc.constantFrom(...values);
      return fc.option(some, { nil: null });
    };
    const study = attributeSpecs.chain((specs) => {
      const attributes: AttributeDef[] = specs.map((s, i) => ({ id: `a${i}`, ...stamp, name: s.name, type: s.type, values: s.type === 'category' ? s.values : [], order: i }));
      const openness = fc.tuple(...OPENNESS_COMPONENTS.map(() => fc.constantFrom(...OPENNESS_LEVELS))).map((levels) => Object.fromEntries(OPENNESS_COMPONENTS.map((c, i) => [c, levels[i]])) as OpennessProfile);
      const caseRecord = fc.record({ description: fc.oneof(fc.constant(''), text), values: fc.tuple(...attributes.map((a) => valueOf(a.type, a.values))), openness });
      return fc.record({ names: uniqueNames(1, 6), details: fc.array(caseRecord, { minLength: 6, maxLength: 6 }), pseudonyms: uniqueNames(0, 4), people: fc.array(fc.record({ role: fc.oneof(fc.constant(''), text), organisation: fc.oneof(fc.constant(''), text), caseAt: fc.option(fc.nat(5), { nil: null }), date: valueOf('date', []) }), { minLength: 4, maxLength: 4 }) }).map(({ names, details, pseudonyms, people }) => {
        const cases: Case[] = names.map((caseName, i) => {
          const d = details[i]!;
          const values = Object.fromEntries(attributes.flatMap((a, k) => (d.values[k] === null ? [] : [[a.id, d.values[k]!]])));
          return { id: `c${i}`, ...stamp, name: caseName, description: d.description, attributes: values, openness: d.openness };
        });
        const participants: Participant[] = pseudonyms.map((pseudonym, i) => {
          const p = people[i]!;
          return { id: `p${i}`, ...stamp, pseudonym, role: p.role, organisation: p.organisation, caseId: p.caseAt === null ? null : (cases[p.caseAt % cases.length]!.id), interviewDate: (p.date as string | null) ?? '' };
        });
        return { studyId: STUDY, attributes, cases, participants };
      });
    });
    fc.assert(
      fc.property(study, (records) => {
        for (const kind of ['cases', 'participants'] as const) {
          if (kind === 'participants' && records.participants.length === 0) continue;
          const plan = roundTrip(records, kind);
          expect(plan.problems).toEqual([]);
          expect(plan.changes.map((c) => c.action)).toEqual((kind === 'cases' ? records.cases : records.participants).map(() => 'unchanged'));
          expect(plan.counts.newAttributes).toBe(0);
        }
      }),
      { numRuns: 200 },
    );
  });
});
