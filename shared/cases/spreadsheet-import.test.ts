import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { guidFromBytes } from '../model/ids.ts';
import type { Guid, StudyRecords } from '../model/types.ts';
import { readStudyFile } from '../study-file/read.ts';
import { defaultMappings, planSheetImport, readSheet, SheetError, type ColumnMapping, type ReadSheet, type SheetKind } from './spreadsheet-import.ts';

const NOW = '2026-11-20T10:00:00.000Z';
const ANA = '00000000-0000-4000-8000-00000000a0a0';

/** GUIDs 1, 2, 3, … with a fixed first byte, so each series is recognisable in a failure. */
function counter(prefix: number): () => Guid {
  let n = 0;
  return () => {
    n += 1;
    return guidFromBytes(Uint8Array.from({ length: 16 }, (_, i) => (i === 0 ? prefix : i === 15 ? n % 256 : i === 14 ? Math.floor(n / 256) : 0)));
  };
}

const demo: StudyRecords = readStudyFile(readFileSync(new URL('../../fixtures/demo/demo-study.cartography.json', import.meta.url), 'utf8'), 'demo-study.cartography.json', { now: NOW, newId: counter(0xd0) });
const existing = { studyId: demo.study.id, attributes: demo.attributes, cases: demo.cases, participants: demo.participants };
const fixture = (path: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/${path}`, import.meta.url)));
const utf8 = (text: string) => new TextEncoder().encode(text);
const sheetOf = (text: string, kind: SheetKind = 'cases', name = 'sheet.csv') => readSheet(name, utf8(text), kind);
const plan = (sheet: ReadSheet, options: { createMissing?: boolean; mappings?: ColumnMapping[] } = {}) =>
  planSheetImport(sheet, options.mappings ?? defaultMappings(sheet, existing), existing, { createMissing: options.createMissing ?? false, now: NOW, coderId: ANA, newId: counter(0xee) });
const attributeId = (name: string) => demo.attributes.find((a) => a.name === name)!.id;
const caseNamed = (name: string) => demo.cases.find((c) => c.name === name)!;
const NEW_1 = guidFromBytes(Uint8Array.from({ length: 16 }, (_, i) => (i === 0 ? 0xee : i === 15 ? 1 : 0)));
const NEW_2 = guidFromBytes(Uint8Array.from({ length: 16 }, (_, i) => (i === 0 ? 0xee : i === 15 ? 2 : 0)));
const NEW_3 = guidFromBytes(Uint8Array.from({ length: 16 }, (_, i) => (i === 0 ? 0xee : i === 15 ? 3 : 0)));

/** Every message of a failed read. */
function refusal(name: string, bytes: Uint8Array, kind: SheetKind = 'cases'): string {
  try {
    readSheet(name, bytes, kind);
  } catch (error) {
    expect(error).toBeInstanceOf(SheetError);
    expect((error as SheetError).fileName).toBe(name);
    return (error as SheetError).message;
  }
  throw new Error(`${name} was read`);
}

describe('readSheet', () => {
  it('reads the case-attribute sample: key column, types detected with reasons, spreadsheet row numbers', () => {
    const sheet = readSheet('case-attributes.csv', fixture('import/case-attributes.csv'), 'cases');
    expect(sheet.keyColumn).toBe(0);
    expect(sheet.delimiter).toBe(',');
    expect(sheet.problems).toEqual([]);
    expect(sheet.columns.map((c) => [c.header, c.detected])).toEqual([
      ['Case', { type: 'text', categories: [], reason: '14 distinct values in 14 filled cells: free text.' }],
      ['Licence family', { type: 'category', categories: ['Apache 2.0', 'Custom', 'OpenRAIL', 'MIT', 'Creative Commons'], reason: '5 distinct values in 14 filled cells (each used 2.8 times on average): a category.' }],
      ['Contributors', { type: 'number', categories: [], reason: '13 of 13 values are whole numbers.' }],
    ]);
    expect(sheet.columns[1]!.samples).toEqual(['Apache 2.0', 'Custom', 'OpenRAIL', 'MIT', 'Creative Commons']);
    expect(sheet.rows).toHaveLength(14);
    expect(sheet.rows[9]).toEqual(['Ling & CodeFuse (Ant Group)', 'MIT', '']);
    expect(sheet.rowNumbers).toEqual(Array.from({ length: 14 }, (_, i) => i + 2));
    expect(sheet.rows.map((r) => r[0])).toEqual(demo.cases.map((c) => c.name));
  });

  it('finds the separator (comma, semicolon or tab), drops a byte-order mark and reads CRLF', () => {
    const semicolon = sheetOf('\uFEFFProject;Share;Score\r\nA;12,5;1\r\nB;3,25;2\r\n');
    expect(semicolon.delimiter).toBe(';');
    expect(semicolon.columns.map((c) => c.header)).toEqual(['Project', 'Share', 'Score']);
    expect(semicolon.rows).toEqual([['A', '12,5', '1'], ['B', '3,25', '2']]);
    expect(semicolon.columns[1]!.detected.type).toBe('text');
    const tab = sheetOf('name\tregion\nA\tEurope\nB\tAsia\n');
    expect(tab.delimiter).toBe('\t');
    expect(tab.rows).toEqual([['A', 'Europe'], ['B', 'Asia']]);
  });

  it('reads UTF-16 with a byte-order mark (Excel’s “Unicode text”)', () => {
    const text = 'Case\tRegion\r\nSabiá\tLatin America\r\n';
    const bytes = new Uint8Array(2 + text.length * 2);
    bytes.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i += 1) bytes.set([text.charCodeAt(i) & 0xff, text.charCodeAt(i) >> 8], 2 + i * 2);
    expect(readSheet('unicode.txt', bytes, 'cases').rows).toEqual([['Sabiá', 'Latin America']]);
  });

  it('picks the key column by its header, else the first column', () => {
    expect(sheetOf('Region,Project\nEurope,A\n').keyColumn).toBe(1);
    expect(sheetOf('Region,NAME\nEurope,A\n').keyColumn).toBe(1);
    expect(sheetOf('Region,Title\nEurope,A\n').keyColumn).toBe(0);
    expect(sheetOf('Role,participant\nX,P1\n', 'participants').keyColumn).toBe(1);
    expect(sheetOf('Role,Pseudonym,Case\nX,P1,A\n', 'participants').keyColumn).toBe(1);
  });

  it('skips blank rows but keeps counting them, drops empty trailing columns, and takes the formula guard away', () => {
    const sheet = sheetOf('Case,Note,,\n\nA,"\'=SUM(A1)",,\n,,,\nB,"two\nlines",,\n');
    expect(sheet.columns.map((c) => c.header)).toEqual(['Case', 'Note']);
    expect(sheet.rows).toEqual([['A', '=SUM(A1)'], ['B', 'two\nlines']]);
    expect(sheet.rowNumbers).toEqual([3, 5]);
  });

  it('reports a row whose quotes do not balance and a row with more cells than columns, and goes on', () => {
    const sheet = sheetOf('Case,Region\nA,Europe\nB,"Asia\nC,Europe,extra\nD,Africa\n');
    expect(sheet.rows.map((r) => r[0])).toEqual(['A', 'C', 'D']);
    expect(sheet.problems).toEqual([
      { row: 3, column: null, message: 'row 3: the quotes in this row do not balance (a cell opens a double quote that is not closed properly), so the row cannot be read. A cell that starts with " must end with ", and a double quote inside a cell is written twice (""). Correct the row and import the file again.' },
      { row: 4, column: null, message: 'row 4 has 3 cells, more than the 2 named columns, and the extra cell holds “extra”. A separator inside a cell may have split it: put such a cell in double quotes, or delete the extra cells.' },
    ]);
  });

  it('refuses an empty file (fixtures/bad/cases-empty.csv)', () => {
    expect(refusal('cases-empty.csv', fixture('bad/cases-empty.csv'))).toBe('“cases-empty.csv” is empty (0 bytes): there is no table in it. Check that you picked the right file and that it was saved completely.');
    expect(refusal('blank.csv', utf8(' \r\n\t\r\n'))).toBe('“blank.csv” contains only blank space: there is no table in it. Check that you picked the right file.');
  });

  it('refuses a file that is not CSV (fixtures/bad/cases-not-csv.csv is a PNG image), a workbook and binary data', () => {
    const save = 'Open it in your spreadsheet program, save the sheet as “CSV UTF-8 (comma delimited)” and import that file.';
    expect(refusal('cases-not-csv.csv', fixture('bad/cases-not-csv.csv'))).toBe(`“cases-not-csv.csv” is a PNG image, not a CSV file. ${save}`);
    expect(refusal('cases.xlsx', Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))).toBe(`“cases.xlsx” is an Excel workbook or another ZIP package (.xlsx, .ods and .zip files are), not a CSV file. ${save}`);
    expect(refusal('data.csv', Uint8Array.from([0x43, 0x61, 0x73, 0x65, 0x00, 0x01]))).toBe(`“data.csv” is not a CSV file: it contains binary data (a zero byte at byte 5). ${save}`);
  });

  it('refuses text that is not UTF-8, naming the byte', () => {
    const latin1 = Uint8Array.from([...utf8('Case,Region\nSabi'), 0xe1, ...utf8(',Latin America\n')]);
    expect(refusal('latin1.csv', latin1)).toBe(
      '“latin1.csv” is not UTF-8 text (byte 17 is 0xE1); it was probably saved in an older encoding such as Windows-1252, which would garble accented letters. Open it in your spreadsheet program, save the sheet as “CSV UTF-8 (comma delimited)” and import that file.',
    );
  });

  it('refuses two columns with one name, a file without data rows, a file without a header, a column without a name', () => {
    expect(refusal('twice.csv', utf8('Case,Region,region\nA,Europe,Asia\n'))).toBe('“twice.csv” has two columns named “region” (columns 2 and 3), so Cartography cannot tell which one to take. Rename or delete one of them and import the file again.');
    expect(refusal('header-only.csv', utf8('Case,Region\r\n\r\n'))).toBe('“header-only.csv” has column names (Case, Region) but no rows of data. Add one row per case and import the file again.');
    expect(refusal('no-header.csv', utf8('2024-01-01,12\n2024-02-01,13\n'))).toBe('“no-header.csv” seems to have no header row: its first row (“2024-01-01”, “12”) holds numbers or dates rather than column names. Add a first row that names the columns and import the file again.');
    expect(refusal('unnamed.csv', utf8('Case,,Region\nA,x,Europe\n'))).toBe('“unnamed.csv”: column 2 has values but no name in the header row (row 1). Give every column a name in the first row, or delete the column, and import the file again.');
  });
});

describe('defaultMappings', () => {
  it('maps the key, existing attributes (ignoring letter case), the description and openness columns; other columns become new attributes', () => {
    const sheet = sheetOf('Case,REGION,Description,Weights,Openness: Training data,Licence family,Contributors\nA,Europe,d,open,no,MIT,3\nB,Asia,e,open,yes,MIT,4\n');
    expect(defaultMappings(sheet, existing)).toEqual([
      { column: 0, target: { kind: 'field', field: 'name' } },
      { column: 1, target: { kind: 'existing', attributeId: attributeId('Region') } },
      { column: 2, target: { kind: 'field', field: 'description' } },
      { column: 3, target: { kind: 'field', field: 'openness.weights' } },
      { column: 4, target: { kind: 'field', field: 'openness.data' } },
      { column: 5, target: { kind: 'new', name: 'Licence family', type: 'category', values: ['MIT'] } },
      { column: 6, target: { kind: 'new', name: 'Contributors', type: 'number', values: [] } },
    ]);
  });

  it('maps participant columns to participant fields and skips the others (participants have no attributes)', () => {
    const sheet = sheetOf('Pseudonym,Role,Organization,Project,Date,Notes\nP1,a,b,c,2025-01-01,x\n', 'participants');
    expect(defaultMappings(sheet, existing).map((m) => m.target)).toEqual([
      { kind: 'field', field: 'pseudonym' },
      { kind: 'field', field: 'role' },
      { kind: 'field', field: 'organisation' },
      { kind: 'field', field: 'case' },
      { kind: 'field', field: 'interviewDate' },
      { kind: 'skip' },
    ]);
  });
});

describe('planSheetImport', () => {
  it('plans the case-attribute sample onto the demo study: two new attributes, 14 cases updated, ids kept', () => {
    const sheet = readSheet('case-attributes.csv', fixture('import/case-attributes.csv'), 'cases');
    const result = plan(sheet);
    expect(result.problems).toEqual([]);
    expect(result.counts).toEqual({ created: 0, updated: 14, unchanged: 0, newAttributes: 2 });
    expect(result.put.attributes).toEqual([
      { id: NEW_1, studyId: demo.study.id, createdAt: NOW, modifiedAt: NOW, createdBy: ANA, name: 'Licence family', type: 'category', values: ['Apache 2.0', 'Custom', 'OpenRAIL', 'MIT', 'Creative Commons'], order: 5 },
      { id: NEW_2, studyId: demo.study.id, createdAt: NOW, modifiedAt: NOW, createdBy: ANA, name: 'Contributors', type: 'number', values: [], order: 6 },
    ]);
    const olmo = caseNamed('OLMo (AI2)');
    expect(result.put.cases[0]).toEqual({ ...olmo, modifiedAt: NOW, attributes: { ...olmo.attributes, [NEW_1]: 'Apache 2.0', [NEW_2]: 95 } });
    expect(result.put.cases.map((c) => c.id)).toEqual(demo.cases.map((c) => c.id));
    expect(result.changes[0]).toEqual({ row: 2, key: 'OLMo (AI2)', action: 'update', fields: [{ name: 'Licence family', before: '', after: 'Apache 2.0' }, { name: 'Contributors', before: '', after: '95' }] });
    expect(result.changes[9]).toEqual({ row: 11, key: 'Ling & CodeFuse (Ant Group)', action: 'update', fields: [{ name: 'Licence family', before: '', after: 'MIT' }] });
    expect(NEW_2 in result.put.cases[9]!.attributes).toBe(false);
    expect(result.put.participants).toEqual([]);
  });

  it('gives the same plan for the same input', () => {
    const sheet = readSheet('case-attributes.csv', fixture('import/case-attributes.csv'), 'cases');
    expect(plan(sheet, { createMissing: true })).toEqual(plan(sheet, { createMissing: true }));
  });

  it('names each unknown case (fixtures/bad/cases-unknown-names.csv) and writes nothing', () => {
    const sheet = readSheet('cases-unknown-names.csv', fixture('bad/cases-unknown-names.csv'), 'cases');
    const result = plan(sheet);
    expect(result.problems).toEqual([
      { row: 3, column: 'Case', message: 'row 3: no case named “Falcon (TII)”; tick ‘Create new cases’ or correct the name.' },
      { row: 5, column: 'Case', message: 'row 5: no case named “Bloom”; tick ‘Create new cases’ or correct the name.' },
    ]);
    expect(result.put).toEqual({ attributes: [], cases: [], participants: [] });
    expect(result.changes.map((c) => [c.row, c.action])).toEqual([[2, 'unchanged'], [4, 'unchanged']]);
  });

  it('creates the unknown cases when asked, with new ids, the row’s values and an unknown openness', () => {
    const sheet = readSheet('cases-unknown-names.csv', fixture('bad/cases-unknown-names.csv'), 'cases');
    const result = plan(sheet, { createMissing: true });
    expect(result.problems).toEqual([]);
    expect(result.counts).toEqual({ created: 2, updated: 0, unchanged: 2, newAttributes: 0 });
    const unknown = { weights: 'unknown', data: 'unknown', trainingCode: 'unknown', checkpoints: 'unknown', evaluationCode: 'unknown', documentation: 'unknown' };
    expect(result.put.cases).toEqual([
      { id: NEW_1, studyId: demo.study.id, createdAt: NOW, modifiedAt: NOW, createdBy: ANA, name: 'Falcon (TII)', description: '', attributes: { [attributeId('Region')]: 'Asia', [attributeId('Organisation type')]: 'Public body' }, openness: unknown },
      { id: NEW_2, studyId: demo.study.id, createdAt: NOW, modifiedAt: NOW, createdBy: ANA, name: 'Bloom', description: '', attributes: { [attributeId('Region')]: 'Europe', [attributeId('Organisation type')]: 'Startup' }, openness: unknown },
    ]);
    expect(result.changes[1]).toEqual({ row: 3, key: 'Falcon (TII)', action: 'create', fields: [{ name: 'Region', before: '', after: 'Asia' }, { name: 'Organisation type', before: '', after: 'Public body' }] });
  });

  it('reports every value that does not fit its attribute, by row and column (fixtures/bad/cases-bad-values.csv)', () => {
    const sheet = readSheet('cases-bad-values.csv', fixture('bad/cases-bad-values.csv'), 'cases');
    const result = plan(sheet);
    expect(result.problems).toEqual([
      { row: 2, column: 'Derivative models (approx.)', message: 'row 2, column “Derivative models (approx.)”: “1,500” is not a number Cartography can read for “Derivative models (approx.)”: the comma could separate thousands or decimals. Write it without separators and with a point for decimals (for example 1234 or 12.5).' },
      { row: 3, column: 'First open release', message: 'row 3, column “First open release”: “2024-02-30” names no real day (check the month and the day), and “First open release” holds dates. Correct the date or leave the cell empty.' },
      { row: 4, column: 'Region', message: 'row 4, column “Region”: “Mars” is not one of the values of the category “Region” (its values are “North America”, “Europe”, “Africa”, “Asia”, “Latin America”, “Global”). Correct the cell, or add the value to the attribute\'s list first.' },
      { row: 4, column: 'Weights', message: 'row 4, column “Weights”: “maybe” is not an openness level. Write open, partial, closed or unknown (yes, partly and no are read too), or leave the cell empty for unknown.' },
      { row: 5, column: 'Derivative models (approx.)', message: 'row 5, column “Derivative models (approx.)”: “about 250” is not a number, and “Derivative models (approx.)” holds numbers. Write a number (for example 1234, 12.5 or -3) or leave the cell empty.' },
    ]);
    expect(result.put).toEqual({ attributes: [], cases: [], participants: [] });
  });

  it('reports every repeated row after the first, ignoring letter case and spaces (fixtures/bad/cases-duplicate-rows.csv)', () => {
    const sheet = readSheet('cases-duplicate-rows.csv', fixture('bad/cases-duplicate-rows.csv'), 'cases');
    expect(plan(sheet).problems).toEqual([
      { row: 4, column: 'Case', message: 'row 4: “olmo (ai2)” already has a row (row 2); keep one row per case and import the file again.' },
      { row: 6, column: 'Case', message: 'row 6: “OLMo (AI2)” already has a row (row 2); keep one row per case and import the file again.' },
    ]);
  });

  it('reports a row without a name', () => {
    expect(plan(sheetOf('Case,Region\n,Europe\n')).problems).toEqual([{ row: 2, column: 'Case', message: 'row 2: the “Case” cell is empty, so the row names no case. Fill in the case\'s name or delete the row.' }]);
  });

  it('clears a value with an empty cell, reads openness words and matches names without case', () => {
    const sheet = sheetOf('case,Region,Weights,Checkpoints,Description\n  olmo (ai2) ,,partly,yes,A fully open model\n');
    const result = plan(sheet);
    expect(result.problems).toEqual([]);
    const olmo = caseNamed('OLMo (AI2)');
    expect(result.changes).toEqual([
      {
        row: 2,
        key: 'OLMo (AI2)',
        action: 'update',
        fields: [
          { name: 'Region', before: 'North America', after: '' },
          { name: 'Weights', before: 'open', after: 'partial' },
          { name: 'Description', before: olmo.description, after: 'A fully open model' },
        ],
      },
    ]);
    const { [attributeId('Region')]: _region, ...rest } = olmo.attributes;
    expect(result.put.cases).toEqual([{ ...olmo, modifiedAt: NOW, description: 'A fully open model', attributes: rest, openness: { ...olmo.openness, weights: 'partial' } }]);
  });

  it('reads slashed dates in the order the column shows', () => {
    const sheet = sheetOf('Case,First open release\nOLMo (AI2),01/02/2024\nAya (Cohere Labs),13/02/2024\n');
    const result = plan(sheet);
    expect(result.problems).toEqual([]);
    expect(result.changes.map((c) => c.action)).toEqual(['unchanged', 'unchanged']);
  });

  it('uses the category values given for a new attribute and reports cells outside them', () => {
    const sheet = sheetOf('Case,Licence family\nOLMo (AI2),apache\nAya (Cohere Labs),CC\n');
    const mappings: ColumnMapping[] = [
      { column: 0, target: { kind: 'field', field: 'name' } },
      { column: 1, target: { kind: 'new', name: 'Licence family', type: 'category', values: ['Apache', 'MIT'] } },
    ];
    const result = plan(sheet, { mappings });
    expect(result.problems).toEqual([{ row: 3, column: 'Licence family', message: 'row 3, column “Licence family”: “CC” is not one of the values of the category “Licence family” (its values are “Apache”, “MIT”). Correct the cell, or add the value to the attribute\'s list first.' }]);
    expect(result.changes).toEqual([{ row: 2, key: 'OLMo (AI2)', action: 'update', fields: [{ name: 'Licence family', before: '', after: 'Apache' }] }]);
  });

  it('refuses mappings that cannot be written: a name taken, one attribute from two columns, an attribute that is gone, attributes for participants', () => {
    const sheet = sheetOf('Case,A,B,C\nOLMo (AI2),Europe,Asia,x\n');
    const result = plan(sheet, {
      mappings: [
        { column: 1, target: { kind: 'existing', attributeId: attributeId('Region') } },
        { column: 2, target: { kind: 'existing', attributeId: attributeId('Region') } },
        { column: 3, target: { kind: 'new', name: ' region ', type: 'text', values: [] } },
      ],
    });
    expect(result.problems.map((p) => p.message)).toEqual([
      'column “B”: the attribute “Region” is already filled from the column “A”. Skip one of the two columns.',
      'column “C”: there is already an attribute named “Region”. Map the column to it, or give the new attribute another name.',
    ]);
    expect(plan(sheet, { mappings: [{ column: 1, target: { kind: 'existing', attributeId: NEW_3 } }] }).problems.map((p) => p.message)).toEqual([
      'column “A”: the attribute it was mapped to no longer exists. Choose the attribute again.',
    ]);
    const people = sheetOf('Pseudonym,Score\nP01,3\n', 'participants');
    expect(plan(people, { mappings: [{ column: 1, target: { kind: 'new', name: 'Score', type: 'number', values: [] } }] }).problems.map((p) => p.message)).toEqual([
      'column “Score”: participants have no attributes. Map the column to a participant field or skip it.',
    ]);
  });

  it('plans participants: matched by pseudonym, cases by name, slashed dates in the column’s order (fixtures/import/participants.csv)', () => {
    const sheet = readSheet('participants.csv', fixture('import/participants.csv'), 'participants');
    const result = plan(sheet, { createMissing: true });
    expect(result.problems).toEqual([]);
    expect(result.counts).toEqual({ created: 2, updated: 0, unchanged: 1, newAttributes: 0 });
    expect(result.put.participants).toEqual([
      { id: NEW_1, studyId: demo.study.id, createdAt: NOW, modifiedAt: NOW, createdBy: ANA, pseudonym: 'P15', role: 'Policy advisor', organisation: 'National Library of Norway', caseId: caseNamed('NB models (National Library of Norway)').id, interviewDate: '2025-10-14' },
      { id: NEW_2, studyId: demo.study.id, createdAt: NOW, modifiedAt: NOW, createdBy: ANA, pseudonym: 'P16', role: 'Volunteer translator', organisation: 'Masakhane', caseId: caseNamed('Lugha Llama & AfroBench (Masakhane)').id, interviewDate: '2025-11-03' },
    ]);
  });

  it('reports a participant’s unknown case and unreadable date, and an unknown pseudonym', () => {
    const sheet = sheetOf('Pseudonym,Case,Interview date\nP01,Falcon,2025-02-18\nP02,,06/03/2025\nP99,,\n', 'participants');
    expect(plan(sheet).problems.map((p) => p.message)).toEqual([
      'row 2, column “Case”: no case is named “Falcon”. Correct the name, or add the case first (in the Cases table or by importing case attributes).',
      'row 3, column “Interview date”: “06/03/2025” can be read day first or month first (6 March 2025 or 3 June 2025). Write it yyyy-mm-dd for “Interview date”.',
      'row 4: no participant named “P99”; tick ‘Create new participants’ or correct the name.',
    ]);
  });
});
