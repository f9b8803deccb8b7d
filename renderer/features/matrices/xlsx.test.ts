import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { Matrix } from '../../../shared/analysis/matrix-types.ts';
import { matricesToXlsx, sheetNames } from './xlsx.ts';

const matrix = (rowHeader: string, settings: string[]): Matrix => ({
  rowHeader,
  metric: 'share',
  rows: [
    { key: 'a', label: 'Alpha', size: 1 },
    { key: 'b', label: '=1+1, "quoted"', size: 1 },
  ],
  columns: [
    { key: 'k1', label: 'Onboarding', namePath: ['Barriers', 'Onboarding'], level: 'code', stageId: null, kind: null, codeIds: ['k1'], color: null },
    { key: 'k2', label: 'Mentoring', namePath: ['Mentoring'], level: 'code', stageId: null, kind: null, codeIds: ['k2'], color: null },
  ],
  cells: [
    [12.5, 0],
    [100 / 3, 0.1 + 0.2],
  ],
  rowTotals: [12.5, 100 / 3 + 0.3],
  columnTotals: [12.5 + 100 / 3, 0.3],
  grandTotal: 46.13,
  max: 100 / 3,
  unit: '%',
  settings,
});

async function read(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  return workbook;
}

const values = (sheet: ExcelJS.Worksheet): unknown[][] => {
  const out: unknown[][] = [];
  sheet.eachRow((row) => out.push((row.values as unknown[]).slice(1)));
  return out;
};

describe('matricesToXlsx', () => {
  it('writes one sheet per matrix and the settings, which read back', async () => {
    const bytes = await matricesToXlsx([
      { name: 'Cases × codes', matrix: matrix('case', ['Metric: Share of the row’s codings (%)', 'Rows: cases']) },
      { name: 'Cases × codes', matrix: matrix('Region', ['Metric: Share', 'Rows: Region']) },
    ]);
    expect(bytes).toBeInstanceOf(Uint8Array);
    // An .xlsx is a zip file.
    expect([...bytes.slice(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04]);

    const workbook = await read(bytes);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Cases × codes', 'Cases × codes (2)', 'Settings']);

    const first = workbook.getWorksheet('Cases × codes')!;
    expect(values(first)).toEqual([
      ['case', 'Barriers > Onboarding', 'Mentoring'],
      ['Alpha', 12.5, 0],
      ['=1+1, "quoted"', 33.333333, 0.3],
    ]);
    // Numbers are numbers, labels (even ones that look like formulas) are text.
    expect(first.getCell('B2').type).toBe(ExcelJS.ValueType.Number);
    expect(first.getCell('A3').type).toBe(ExcelJS.ValueType.String);
    expect(first.getRow(1).font?.bold).toBe(true);
    expect(first.views[0]).toMatchObject({ state: 'frozen', xSplit: 1, ySplit: 1 });

    expect(values(workbook.getWorksheet('Cases × codes (2)')!)[0]).toEqual(['Region', 'Barriers > Onboarding', 'Mentoring']);
    expect(values(workbook.getWorksheet('Settings')!)).toEqual([
      ['Sheet', 'Setting'],
      ['Cases × codes', 'Metric: Share of the row’s codings (%)'],
      ['Cases × codes', 'Rows: cases'],
      ['Cases × codes (2)', 'Metric: Share'],
      ['Cases × codes (2)', 'Rows: Region'],
    ]);
  });
});

describe('sheetNames', () => {
  it('keeps names Excel accepts: short, unique without case, no []:*?/\\, no apostrophes at the ends', () => {
    const long = 'Participants by interview period and stage';
    const names = sheetNames([long, long, 'a/b:c*d?[e]\\f', "'quoted'", '', 'settings', 'History', 'CASES', 'cases']);
    expect(names).toEqual(['Participants by interview perio', 'Participants by interview p (2)', 'a b c d e f', 'quoted', 'Matrix', 'settings (2)', 'History matrix', 'CASES', 'cases (2)']);
    for (const name of names) {
      expect([...name].length).toBeLessThanOrEqual(31);
      expect(name).not.toMatch(/[[\]:*?/\\]|^'|'$/);
    }
  });
});
