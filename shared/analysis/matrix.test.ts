import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countWords } from '../text/normalise.ts';
import { attributeByCodeMatrix, attributeGroups, caseByCodeMatrix, cellSegments, codeColumns, type CaseByCodeRequest } from './matrix.ts';
import type { Matrix, MatrixFilters, MatrixSource, RowDimension } from './matrix-types.ts';

const T = '2026-01-01T00:00:00.000Z';

// Texts of the documents: segments take their text from them, as the app does.
const TEXTS: Record<string, string> = {
  d1: 'Secrecy rules everything. The lawyers decided. We got compute.',
  d2: 'Feedback from users mattered. Governance was shared.',
  d3: 'Secrecy was not a problem; compute was.',
  d4: 'Loose notes on secrecy.',
  d5: 'Nothing coded here.',
};

function span(documentId: string, from: string, to: string): { start: number; end: number } {
  const text = TEXTS[documentId]!;
  const start = text.indexOf(from);
  const end = text.indexOf(to, start) + to.length;
  if (start < 0 || end < start) throw new Error(`${from}…${to} is not in ${documentId}`);
  return { start, end };
}

function segment(id: string, documentId: string, from: string, to: string) {
  const { start, end } = span(documentId, from, to);
  return { id, documentId, start, end, text: TEXTS[documentId]!.slice(start, end) };
}

let codingNumber = 0;
const coding = (segmentId: string, codeId: string, coderId: string, documentId: string) => ({ id: `c${++codingNumber}`, segmentId, codeId, coderId, documentId, createdAt: T });

/**
 * Three cases (BLOOM has no coded segment), four participants, five documents (d4 has no
 * case, d5 no coding), seven segments; s1 and s2 overlap inside the word "everything".
 *
 *   s1 d1 "Secrecy rules everything."   secrecy (Kim and Lou), legal (Kim)
 *   s2 d1 "thing. The lawyers"          expertise (Kim)
 *   s3 d1 "We got compute."             compute (Lou)
 *   s4 d2 "Feedback … mattered."        feedback, governance (Kim)
 *   s5 d2 "Governance was shared."      governance (Lou)
 *   s6 d3 "Secrecy … compute was."      secrecy, compute (Kim)
 *   s7 d4 "Loose notes on secrecy."     secrecy (Kim)          — no case
 */
function study(): MatrixSource {
  codingNumber = 0;
  return {
    stages: [
      { id: 'post', name: 'Post-training', order: 1 },
      { id: 'pre', name: 'Pre-training', order: 0 },
    ],
    codes: [
      { id: 'legal', parentId: 'secrecy', name: 'Legal', color: '#111111', stageId: 'pre', kind: 'challenge', order: 0 },
      { id: 'expertise', parentId: null, name: 'Expertise', color: '#222222', stageId: 'pre', kind: 'challenge', order: 1 },
      { id: 'secrecy', parentId: null, name: 'Secrecy', color: '#333333', stageId: 'pre', kind: 'challenge', order: 0 },
      { id: 'compute', parentId: null, name: 'Compute', color: '#444444', stageId: 'pre', kind: 'on-ramp', order: 0 },
      { id: 'feedback', parentId: null, name: 'Feedback', color: '#555555', stageId: 'post', kind: 'on-ramp', order: 0 },
      { id: 'governance', parentId: null, name: 'Governance', color: '#666666', stageId: null, kind: 'other', order: 0 },
    ],
    cases: [
      { id: 'norway', name: 'Norway', attributes: { region: 'Europe', size: 3, funded: true }, openness: { weights: 'open' } },
      { id: 'masakhane', name: 'Masakhane', attributes: { region: 'Africa', size: 10, funded: false }, openness: { weights: 'open' } },
      { id: 'bloom', name: 'BLOOM', attributes: { region: null, size: 3, funded: true }, openness: { weights: 'partial' } },
    ],
    attributes: [
      { id: 'region', name: 'Region', type: 'category', values: ['Africa', 'Europe', 'Asia'], order: 0 },
      { id: 'size', name: 'Team size', type: 'number', values: [], order: 1 },
      { id: 'funded', name: 'Publicly funded', type: 'boolean', values: [], order: 2 },
    ],
    participants: [
      { id: 'p1', pseudonym: 'Ana', caseId: 'norway', interviewDate: '2026-01-10' },
      { id: 'p2', pseudonym: 'Ben', caseId: 'norway', interviewDate: '2026-02-20' },
      { id: 'p3', pseudonym: 'Chi', caseId: 'masakhane', interviewDate: '2026-03-05' },
      { id: 'p4', pseudonym: 'Dee', caseId: 'bloom', interviewDate: '' },
    ],
    documents: [
      { id: 'd1', title: 'Interview Ana', caseId: 'norway', participantIds: ['p1'] },
      { id: 'd2', title: 'Group Ana and Ben', caseId: 'norway', participantIds: ['p1', 'p2'] },
      { id: 'd3', title: 'Interview Chi', caseId: 'masakhane', participantIds: ['p3'] },
      { id: 'd4', title: 'Notes', caseId: null, participantIds: [] },
      { id: 'd5', title: 'Interview Dee', caseId: 'bloom', participantIds: ['p4'] },
    ],
    segments: [
      segment('s1', 'd1', 'Secrecy', 'everything.'),
      segment('s2', 'd1', 'thing.', 'lawyers'),
      segment('s3', 'd1', 'We', 'compute.'),
      segment('s4', 'd2', 'Feedback', 'mattered.'),
      segment('s5', 'd2', 'Governance', 'shared.'),
      segment('s6', 'd3', 'Secrecy', 'was.'),
      segment('s7', 'd4', 'Loose', 'secrecy.'),
    ],
    codings: [
      coding('s1', 'secrecy', 'kim', 'd1'),
      coding('s1', 'secrecy', 'lou', 'd1'),
      coding('s1', 'legal', 'kim', 'd1'),
      coding('s2', 'expertise', 'kim', 'd1'),
      coding('s3', 'compute', 'lou', 'd1'),
      coding('s4', 'feedback', 'kim', 'd2'),
      coding('s4', 'governance', 'kim', 'd2'),
      coding('s5', 'governance', 'lou', 'd2'),
      coding('s6', 'secrecy', 'kim', 'd3'),
      coding('s6', 'compute', 'kim', 'd3'),
      coding('s7', 'secrecy', 'kim', 'd4'),
    ],
    coders: [
      { id: 'kim', name: 'Kim' },
      { id: 'lou', name: 'Lou' },
    ],
  };
}

const CODES = ['secrecy', 'legal', 'expertise', 'compute', 'feedback', 'governance'];
const PRE_CHALLENGES = 'kind:pre:challenge';

function matrix(request: Partial<CaseByCodeRequest> & { collapsed?: string[]; includeSubcodes?: boolean }, source = study()): Matrix {
  const columns = codeColumns(source, { collapsed: new Set(request.collapsed ?? []), includeSubcodes: request.includeSubcodes });
  return caseByCodeMatrix(source, { rows: 'case', metric: 'segments', columns, ...request });
}

const rowsOf = (m: Matrix) => m.rows.map((r) => r.label);
const cellsByLabel = (m: Matrix) => Object.fromEntries(m.rows.map((r, i) => [r.label, m.cells[i]]));

describe('codeColumns', () => {
  it('orders stage (by order, then cross-stage) → kind → codes in tree order, with name paths', () => {
    const columns = codeColumns(study(), { collapsed: new Set() });
    expect(columns.map((c) => c.key)).toEqual(CODES.map((c) => `code:${c}`));
    expect(columns.map((c) => c.namePath)).toEqual([['Secrecy'], ['Secrecy', 'Legal'], ['Expertise'], ['Compute'], ['Feedback'], ['Governance']]);
    expect(columns[0]).toEqual({ key: 'code:secrecy', label: 'Secrecy', namePath: ['Secrecy'], level: 'code', stageId: 'pre', kind: 'challenge', codeIds: ['secrecy'], color: '#333333' });
    expect(columns[5]).toMatchObject({ stageId: null, kind: 'other' });
  });

  it('collapses a kind within a stage, or a whole stage, into one column', () => {
    const kind = codeColumns(study(), { collapsed: new Set([PRE_CHALLENGES]) });
    expect(kind.map((c) => c.key)).toEqual([PRE_CHALLENGES, 'code:compute', 'code:feedback', 'code:governance']);
    expect(kind[0]).toEqual({ key: PRE_CHALLENGES, label: 'Challenges', namePath: ['Pre-training', 'Challenges'], level: 'kind', stageId: 'pre', kind: 'challenge', codeIds: ['secrecy', 'legal', 'expertise'], color: null });

    const stage = codeColumns(study(), { collapsed: new Set(['stage:pre', 'stage:cross']) });
    expect(stage.map((c) => c.key)).toEqual(['stage:pre', 'code:feedback', 'stage:cross']);
    expect(stage[0]).toMatchObject({ label: 'Pre-training', namePath: ['Pre-training'], level: 'stage', kind: null, codeIds: ['secrecy', 'legal', 'expertise', 'compute'] });
    expect(stage[2]).toMatchObject({ label: 'Cross-stage', namePath: ['Cross-stage'], stageId: null });
  });

  it('counts sub-codes with their parents when asked', () => {
    const columns = codeColumns(study(), { collapsed: new Set(), includeSubcodes: true });
    expect(columns[0]!.codeIds).toEqual(['secrecy', 'legal']);
    expect(columns[1]!.codeIds).toEqual(['legal']);
  });

  it('keeps one stage or one kind, and makes no column for empty groups', () => {
    expect(codeColumns(study(), { stageId: 'post' }).map((c) => c.key)).toEqual(['code:feedback']);
    expect(codeColumns(study(), { stageId: null }).map((c) => c.key)).toEqual(['code:governance']);
    expect(codeColumns(study(), { kind: 'on-ramp', collapsed: new Set(['kind:pre:challenge', 'kind:post:on-ramp']) }).map((c) => c.key)).toEqual(['code:compute', 'kind:post:on-ramp']);
    expect(codeColumns(study(), { stageId: 'all', kind: 'all' })).toHaveLength(6);
    expect(codeColumns({ stages: study().stages, codes: [] }, {})).toEqual([]);
  });
});

describe('caseByCodeMatrix: segments', () => {
  it('counts distinct segments per case and code; a segment coded by two coders counts once', () => {
    const m = matrix({});
    expect(m.rowHeader).toBe('case');
    expect(rowsOf(m)).toEqual(['BLOOM', 'Masakhane', 'Norway']);
    expect(m.rows.map((r) => r.key)).toEqual(['case:bloom', 'case:masakhane', 'case:norway']);
    expect(m.cells).toEqual([
      [0, 0, 0, 0, 0, 0],
      [1, 0, 0, 1, 0, 0],
      [1, 1, 1, 1, 1, 2],
    ]);
    // Totals are distinct segments, not sums: Norway has 5 segments (cells add up to 7).
    expect(m.rowTotals).toEqual([0, 1, 5]);
    // Secrecy: s1 and s6 (s7 is in a document without a case).
    expect(m.columnTotals).toEqual([2, 1, 1, 2, 1, 2]);
    expect(m.grandTotal).toBe(6);
    expect(m.max).toBe(2);
    expect(m.unit).toBe('');
    expect(m.settings).toContain('Left out: 1 coded segment in documents without a listed case');
    expect(m.settings.slice(0, 3)).toEqual(['Rows: cases (3)', 'Metric: Coded segments', 'Columns: 6 codes']);
    expect(m.settings).toContain('Filters: none');
  });

  it('counts the union in a collapsed column: a segment with two of its codes once', () => {
    const kind = matrix({ collapsed: [PRE_CHALLENGES] });
    // Norway: s1 (secrecy + legal) and s2 (expertise) = 2, not 1 + 1 + 1.
    expect(cellsByLabel(kind)['Norway']).toEqual([2, 1, 1, 2]);
    expect(kind.columnTotals[0]).toBe(3);
    expect(kind.settings).toContain('Collapsed: Pre-training > Challenges (each counts the union of its codes\u2019 segments)');
    const stage = matrix({ collapsed: ['stage:pre'] });
    expect(cellsByLabel(stage)['Norway']).toEqual([3, 1, 2]);
    expect(cellsByLabel(stage)['Masakhane']).toEqual([1, 0, 0]);
  });

  it('counts sub-codes with their parent as a union', () => {
    const m = matrix({ includeSubcodes: true });
    expect(cellsByLabel(m)['Norway']!.slice(0, 2)).toEqual([1, 1]);
    expect(m.settings).toContain('Sub-codes: counted with their parent codes');
  });

  it('has participant rows (a segment in a shared document counts for each) and document rows', () => {
    const p = matrix({ rows: 'participant' });
    expect(p.rowHeader).toBe('participant');
    expect(rowsOf(p)).toEqual(['Ana', 'Ben', 'Chi', 'Dee']);
    expect(p.cells).toEqual([
      [1, 1, 1, 1, 1, 2],
      [0, 0, 0, 0, 1, 2],
      [1, 0, 0, 1, 0, 0],
      [0, 0, 0, 0, 0, 0],
    ]);
    expect(p.columnTotals[5]).toBe(2);
    expect(p.grandTotal).toBe(6);
    expect(p.settings).toContain('Left out: 1 coded segment in documents without a listed participant');

    const d = matrix({ rows: 'document' });
    expect(rowsOf(d)).toEqual(['Group Ana and Ben', 'Interview Ana', 'Interview Chi', 'Interview Dee', 'Notes']);
    expect(d.cells.map((line) => line.reduce((a, b) => a + b, 0))).toEqual([3, 4, 2, 0, 1]);
    expect(d.grandTotal).toBe(7);
    expect(d.settings.some((l) => l.startsWith('Left out'))).toBe(false);
  });
});

describe('caseByCodeMatrix: other metrics', () => {
  it('presence: 1 where a code appears; totals count present cells', () => {
    const m = matrix({ metric: 'presence' });
    expect(cellsByLabel(m)).toEqual({ BLOOM: [0, 0, 0, 0, 0, 0], Masakhane: [1, 0, 0, 1, 0, 0], Norway: [1, 1, 1, 1, 1, 1] });
    expect(m.rowTotals).toEqual([0, 2, 6]);
    expect(m.columnTotals).toEqual([2, 1, 1, 2, 1, 1]);
    expect(m.grandTotal).toBe(8);
  });

  it('participants: distinct participants of the documents behind the cell; 0/1 in participant rows', () => {
    const m = matrix({ metric: 'participants' });
    // Norway: d1 (Ana) and d2 (Ana, Ben).
    expect(cellsByLabel(m)['Norway']).toEqual([1, 1, 1, 1, 2, 2]);
    expect(cellsByLabel(m)['Masakhane']).toEqual([1, 0, 0, 1, 0, 0]);
    expect(m.rowTotals).toEqual([0, 1, 2]);
    expect(m.columnTotals).toEqual([2, 1, 1, 2, 2, 2]);
    expect(m.grandTotal).toBe(3);

    const p = matrix({ rows: 'participant', metric: 'participants' });
    expect(p.cells[1]).toEqual([0, 0, 0, 0, 1, 1]);
    expect(p.rowTotals).toEqual([1, 1, 1, 0]);
    expect(p.columnTotals).toEqual([2, 1, 1, 2, 2, 2]);
  });

  it('participants: only the filtered participants count', () => {
    const m = matrix({ metric: 'participants', filters: { participantIds: ['p2'] } });
    // Only d2 passes (it has Ben); Ana is in d2 too but is not among the filtered participants.
    expect(cellsByLabel(m)['Norway']).toEqual([0, 0, 0, 0, 1, 1]);
  });

  it('share: the cell’s segments over the row’s distinct (segment, code) pairs, one decimal', () => {
    const m = matrix({ metric: 'share' });
    expect(m.unit).toBe('%');
    // Norway's pairs: s1 {secrecy, legal}, s2, s3, s4 {feedback, governance}, s5 = 7.
    expect(cellsByLabel(m)['Norway']).toEqual([14.3, 14.3, 14.3, 14.3, 14.3, 28.6]);
    expect(cellsByLabel(m)['Masakhane']).toEqual([50, 0, 0, 50, 0, 0]);
    expect(cellsByLabel(m)['BLOOM']).toEqual([0, 0, 0, 0, 0, 0]);
    // Row total: the share of the union (5 segments of 7 pairs).
    expect(m.rowTotals).toEqual([0, 50, 71.4]);
    // Column totals over all 9 pairs of the rows.
    expect(m.columnTotals).toEqual([22.2, 11.1, 11.1, 22.2, 11.1, 22.2]);
    expect(m.grandTotal).toBe(66.7);
    const norway = cellsByLabel(m)['Norway']!.reduce((a, b) => a + b, 0);
    expect(norway).toBeCloseTo(100, 0);
  });

  it('words: overlapping ranges are merged before counting, so nothing is counted twice', () => {
    const m = matrix({ metric: 'words' });
    // s1 "Secrecy rules everything." (3), s2 "thing. The lawyers" (3), s3 3, s4 4, s5 3, s6 7.
    expect(cellsByLabel(m)['Norway']).toEqual([3, 3, 3, 3, 4, 7]);
    expect(cellsByLabel(m)['Masakhane']).toEqual([7, 0, 0, 7, 0, 0]);
    // Norway: d1 "Secrecy rules everything. The lawyers" (5, "everything" once) + "We got compute." (3); d2: 4 + 3.
    expect(m.rowTotals).toEqual([0, 7, 15]);
    expect(m.columnTotals).toEqual([10, 3, 3, 10, 4, 7]);
    expect(m.grandTotal).toBe(22);
    // Collapsed challenges: s1 ∪ s2 = 5 words, not 3 + 3 + 3.
    expect(cellsByLabel(matrix({ metric: 'words', collapsed: [PRE_CHALLENGES] }))['Norway']![0]).toBe(5);
  });

  it('words: touching ranges read as one text, so a word cut between two segments counts once', () => {
    const text = 'abc-def ghi';
    const source: MatrixSource = {
      ...study(),
      documents: [{ id: 'x', title: 'X', caseId: 'norway', participantIds: [] }],
      segments: [
        { id: 'a', documentId: 'x', start: 0, end: 2, text: text.slice(0, 2) },
        { id: 'b', documentId: 'x', start: 2, end: 6, text: text.slice(2, 6) },
        { id: 'c', documentId: 'x', start: 6, end: 11, text: text.slice(6, 11) },
      ],
      codings: [coding('a', 'secrecy', 'kim', 'x'), coding('b', 'legal', 'kim', 'x'), coding('c', 'expertise', 'kim', 'x')],
    };
    const m = matrix({ metric: 'words', collapsed: [PRE_CHALLENGES] }, source);
    // "ab" + "c-de" + "f ghi" = "abc-def ghi": 2 words; the segments alone count 1 + 1 + 2.
    expect(cellsByLabel(m)['Norway']![0]).toBe(2);
    expect(cellsByLabel(matrix({ metric: 'words' }, source))['Norway']!.slice(0, 3)).toEqual([1, 1, 2]);
  });
});

describe('caseByCodeMatrix: words outside ASCII', () => {
  it('reads letters beyond the BMP, curly apostrophes and non-Latin scripts as countWords does', () => {
    const text = '𝐀𝐁 c’d ½ — Bokmål';
    const cuts = [0, 2, 6, 9, text.length];
    const source: MatrixSource = {
      ...study(),
      documents: [{ id: 'x', title: 'X', caseId: 'norway', participantIds: [] }],
      segments: cuts.slice(0, -1).map((start, i) => ({ id: `x${i}`, documentId: 'x', start, end: cuts[i + 1]!, text: text.slice(start, cuts[i + 1]) })),
      codings: cuts.slice(0, -1).map((_, i) => coding(`x${i}`, i % 2 === 0 ? 'secrecy' : 'expertise', 'kim', 'x')),
    };
    const m = matrix({ metric: 'words', collapsed: [PRE_CHALLENGES] }, source);
    expect(cellsByLabel(m)['Norway']![0]).toBe(countWords(text));
    expect(countWords(text)).toBe(4);
    // Apart: "𝐀" 1 and "’d " 1 (secrecy); "𝐁 c" 2 and "½ — Bokmål" 2 (expertise): 6 words, the union has 4.
    expect(cellsByLabel(matrix({ metric: 'words' }, source))['Norway']!.slice(0, 3)).toEqual([2, 0, 4]);
  });
});

describe('caseByCodeMatrix: filters, hiding, sorting', () => {
  it('filters by coder: a segment coded by two coders stays once for either', () => {
    expect(cellsByLabel(matrix({ filters: { coderIds: ['lou'] } }))['Norway']).toEqual([1, 0, 0, 1, 0, 1]);
    expect(cellsByLabel(matrix({ filters: { coderIds: ['kim'] } }))['Norway']).toEqual([1, 1, 1, 0, 1, 1]);
    expect(matrix({ filters: { coderIds: ['lou'] } }).settings).toContain('Filter: Coders: Lou');
  });

  it('narrows rows by a filter on the row dimension', () => {
    expect(rowsOf(matrix({ filters: { caseIds: ['masakhane'] } }))).toEqual(['Masakhane']);
    expect(rowsOf(matrix({ rows: 'participant', filters: { participantIds: ['p2', 'p3'] } }))).toEqual(['Ben', 'Chi']);
    expect(rowsOf(matrix({ rows: 'document', filters: { from: '2026-02-01' } }))).toEqual(['Group Ana and Ben', 'Interview Chi']);
  });

  it('filters by interview date: undated documents drop out', () => {
    const m = matrix({ filters: { from: '2026-02-01', to: '2026-02-28' } });
    expect(cellsByLabel(m)).toEqual({ BLOOM: [0, 0, 0, 0, 0, 0], Masakhane: [0, 0, 0, 0, 0, 0], Norway: [0, 0, 0, 0, 1, 2] });
    expect(m.settings).toContain('Filter: Interview dates: 2026-02-01 to 2026-02-28');
  });

  it('hides empty rows and columns without changing totals', () => {
    const m = matrix({ filters: { caseIds: ['masakhane', 'bloom'] }, hideEmptyRows: true, hideEmptyColumns: true });
    expect(rowsOf(m)).toEqual(['Masakhane']);
    expect(m.columns.map((c) => c.key)).toEqual(['code:secrecy', 'code:compute']);
    expect(m.cells).toEqual([[1, 1]]);
    expect(m.columnTotals).toEqual([1, 1]);
    expect(m.grandTotal).toBe(1);
    expect(m.settings).toContain('Hidden: 1 empty row, 4 empty columns');
  });

  it('sorts rows by a column, the total or the label; ties by label', () => {
    expect(rowsOf(matrix({ sortBy: { column: 'total', descending: true } }))).toEqual(['Norway', 'Masakhane', 'BLOOM']);
    expect(rowsOf(matrix({ sortBy: { column: 3, descending: true } }))).toEqual(['Masakhane', 'Norway', 'BLOOM']);
    expect(rowsOf(matrix({ sortBy: { column: 5, descending: false } }))).toEqual(['BLOOM', 'Masakhane', 'Norway']);
    expect(rowsOf(matrix({ sortBy: { column: 'label', descending: true } }))).toEqual(['Norway', 'Masakhane', 'BLOOM']);
    const sorted = matrix({ sortBy: { column: 'total', descending: true } });
    expect(sorted.rowTotals).toEqual([5, 1, 0]);
    expect(sorted.cells[0]).toEqual([1, 1, 1, 1, 1, 2]);
    expect(sorted.settings).toContain('Sorted by: row total, descending');
    // The column index is the returned matrix's, after hiding.
    const hidden = matrix({ hideEmptyRows: true, filters: { caseIds: ['masakhane', 'norway'] }, rows: 'case', sortBy: { column: 0, descending: true } });
    expect(rowsOf(hidden)).toEqual(['Masakhane', 'Norway']);
  });
});

describe('attributeByCodeMatrix', () => {
  const columns = () => codeColumns(study(), {});

  it('groups cases by a category attribute in its defined order, with a "(no value)" group', () => {
    const m = attributeByCodeMatrix(study(), { attributeId: 'region', metric: 'presence', normalise: false, columns: columns() });
    expect(m.rowHeader).toBe('Region');
    expect(m.rows).toEqual([
      { key: 'Africa', label: 'Africa', size: 1 },
      { key: 'Europe', label: 'Europe', size: 1 },
      { key: 'Asia', label: 'Asia', size: 0 },
      { key: '(no value)', label: '(no value)', size: 1 },
    ]);
    expect(m.cells).toEqual([
      [1, 0, 0, 1, 0, 0],
      [1, 1, 1, 1, 1, 1],
      [0, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0],
    ]);
    expect(m.columnTotals).toEqual([2, 1, 1, 2, 1, 1]);
    expect(m.grandTotal).toBe(2);
  });

  it('orders numbers by value and normalises by group size (presence becomes the share of cases)', () => {
    const m = attributeByCodeMatrix(study(), { attributeId: 'size', metric: 'presence', normalise: true, columns: columns() });
    expect(m.rows).toEqual([
      { key: '3', label: '3', size: 2 },
      { key: '10', label: '10', size: 1 },
    ]);
    // Size 3: Norway and BLOOM; only Norway has the codes.
    expect(m.cells).toEqual([
      [0.5, 0.5, 0.5, 0.5, 0.5, 0.5],
      [1, 0, 0, 1, 0, 0],
    ]);
    expect(m.rowTotals).toEqual([0.5, 1]);
    expect(m.columnTotals).toEqual([0.67, 0.33, 0.33, 0.67, 0.33, 0.33]);
    expect(m.grandTotal).toBe(0.67);
    const segments = attributeByCodeMatrix(study(), { attributeId: 'size', metric: 'segments', normalise: true, columns: columns() });
    expect(segments.cells[0]).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 1]);
    expect(segments.rowTotals).toEqual([2.5, 1]);
  });

  it('compares two groups: A, B and A − B', () => {
    const m = attributeByCodeMatrix(study(), { attributeId: 'size', metric: 'presence', normalise: true, columns: columns(), compare: ['3', '10'] });
    expect(m.rows.map((r) => r.label)).toEqual(['3', '10', '3 − 10']);
    expect(m.cells[2]).toEqual([-0.5, 0.5, 0.5, -0.5, 0.5, 0.5]);
    expect(m.rowTotals[2]).toBe(-0.5);
    expect(m.settings).toContain('Compare: 3 with 10; the last row is their difference');
    const raw = attributeByCodeMatrix(study(), { attributeId: 'size', metric: 'segments', normalise: false, columns: columns(), compare: ['10', '3'] });
    expect(raw.cells).toEqual([
      [1, 0, 0, 1, 0, 0],
      [1, 1, 1, 1, 1, 2],
      [0, -1, -1, 0, -1, -2],
    ]);
  });

  it('names booleans Yes/No and groups by an openness component', () => {
    const funded = attributeByCodeMatrix(study(), { attributeId: 'funded', metric: 'participants', normalise: false, columns: columns() });
    expect(funded.rows.map((r) => [r.key, r.label, r.size])).toEqual([
      ['true', 'Yes', 2],
      ['false', 'No', 1],
    ]);
    expect(funded.cells[0]).toEqual([1, 1, 1, 1, 2, 2]);
    const weights = attributeByCodeMatrix(study(), { attributeId: 'openness:weights', metric: 'words', normalise: false, columns: columns() });
    expect(weights.rowHeader).toBe('Weights');
    expect(weights.rows.map((r) => [r.label, r.size])).toEqual([
      ['Open', 2],
      ['Partial', 1],
      ['Closed', 0],
      ['Unknown', 0],
    ]);
    expect(weights.cells[0]).toEqual([10, 3, 3, 10, 4, 7]);
  });

  it('keeps groups within the case filter', () => {
    expect(attributeGroups(study(), 'size', { caseIds: ['bloom', 'masakhane'] }).map((g) => [g.key, g.caseIds])).toEqual([
      ['3', ['bloom']],
      ['10', ['masakhane']],
    ]);
  });
});

describe('cellSegments', () => {
  it('lists the segments behind a cell, with their codes and coders, by document title then start', () => {
    const columns = codeColumns(study(), { collapsed: new Set([PRE_CHALLENGES]) });
    const request: CaseByCodeRequest = { rows: 'case', metric: 'segments', columns };
    const items = cellSegments(study(), request, 'case:norway', PRE_CHALLENGES);
    expect(items.map((i) => [i.segmentId, i.codeIds, i.coderIds])).toEqual([
      ['s1', ['secrecy', 'legal'], ['kim', 'lou']],
      ['s2', ['expertise'], ['kim']],
    ]);
    expect(items[0]).toMatchObject({ documentId: 'd1', documentTitle: 'Interview Ana', caseName: 'Norway', participantNames: ['Ana'], text: 'Secrecy rules everything.', start: 0, end: 25, codingId: 'c1' });
    const governance = cellSegments(study(), request, 'case:norway', 'code:governance');
    expect(governance.map((i) => [i.segmentId, i.coderIds, i.participantNames])).toEqual([
      ['s4', ['kim'], ['Ana', 'Ben']],
      ['s5', ['lou'], ['Ana', 'Ben']],
    ]);
    expect(cellSegments(study(), request, 'case:nowhere', 'code:governance')).toEqual([]);
  });

  const agree = (source: MatrixSource, request: CaseByCodeRequest) => {
    const m = caseByCodeMatrix(source, { ...request, metric: 'segments' });
    m.rows.forEach((row, r) => {
      m.columns.forEach((column, c) => expect(cellSegments(source, request, row.key, column.key)).toHaveLength(m.cells[r]![c]!));
      expect(cellSegments(source, request, row.key, null)).toHaveLength(m.rowTotals[r]!);
    });
    m.columns.forEach((column, c) => expect(cellSegments(source, request, null, column.key)).toHaveLength(m.columnTotals[c]!));
    expect(cellSegments(source, request, null, null)).toHaveLength(m.grandTotal);
  };

  it('agrees with the segments metric in every cell and total', () => {
    const source = study();
    const filterSets: MatrixFilters[] = [{}, { coderIds: ['lou'] }, { from: '2026-02-01' }, { participantIds: ['p1'] }];
    for (const rows of ['case', 'participant', 'document'] as RowDimension[]) {
      for (const collapsed of [[], [PRE_CHALLENGES], ['stage:pre', 'stage:cross']]) {
        for (const filters of filterSets) agree(source, { rows, metric: 'segments', columns: codeColumns(source, { collapsed: new Set(collapsed), includeSubcodes: true }), filters });
      }
    }
  });

  it('agrees with attribute groups, compared or not', () => {
    const source = study();
    const columns = codeColumns(source, { collapsed: new Set([PRE_CHALLENGES]) });
    for (const compare of [undefined, ['3', '10'] as const]) {
      const request = { attributeId: 'size', metric: 'segments' as const, normalise: false, columns, compare };
      const m = attributeByCodeMatrix(source, request);
      m.rows.forEach((row, r) => m.columns.forEach((column, c) => expect(cellSegments(source, request, row.key, column.key)).toHaveLength(row.key === '(difference)' ? 0 : m.cells[r]![c]!)));
    }
  });
});

describe('properties', () => {
  const arbitrarySource = fc
    .record({
      documents: fc.integer({ min: 1, max: 4 }),
      codes: fc.integer({ min: 1, max: 5 }),
      segments: fc.array(fc.record({ doc: fc.nat(3), start: fc.nat(30), length: fc.integer({ min: 1, max: 12 }) }), { maxLength: 12 }),
      codings: fc.array(fc.record({ segment: fc.nat(11), code: fc.nat(4), coder: fc.constantFrom('kim', 'lou') }), { maxLength: 30 }),
      text: fc.array(fc.constantFrom('a', 'b', '1', ' ', ' ', '-', "'", '’', '.', 'é', '😀'), { minLength: 60, maxLength: 60 }).map((chars) => chars.join('')),
    })
    .map(({ documents, codes, segments, codings, text }) => {
      const segs = segments.map((s, i) => {
        const documentId = `d${s.doc % documents}`;
        const start = Math.min(s.start, text.length - 1);
        const end = Math.min(text.length, start + s.length);
        return { id: `s${i}`, documentId, start, end, text: text.slice(start, end) };
      });
      const source: MatrixSource = {
        stages: [],
        codes: Array.from({ length: codes }, (_, i) => ({ id: `k${i}`, parentId: i > 0 && i % 2 === 0 ? 'k0' : null, name: `Code ${i}`, color: '#000000', stageId: null, kind: 'other' as const, order: i })),
        cases: [],
        attributes: [],
        participants: [],
        documents: Array.from({ length: documents }, (_, i) => ({ id: `d${i}`, title: `Document ${i}`, caseId: null, participantIds: [] })),
        segments: segs,
        codings: segs.length === 0 ? [] : codings.map((c, i) => {
          const s = segs[c.segment % segs.length]!;
          return { id: `c${i}`, segmentId: s.id, codeId: `k${c.code % codes}`, coderId: c.coder, documentId: s.documentId, createdAt: T };
        }),
      };
      return { source, text };
    });

  it('with document rows at code level, the cells add up to the distinct (segment, code) pairs left after filters', () => {
    fc.assert(
      fc.property(arbitrarySource, fc.constantFrom<MatrixFilters>({}, { coderIds: ['kim'] }, { documentIds: ['d0', 'd2'] }), ({ source }, filters) => {
        const m = caseByCodeMatrix(source, { rows: 'document', metric: 'segments', columns: codeColumns(source, {}), filters });
        const sum = m.cells.flat().reduce((a, b) => a + b, 0);
        const documents = new Set(filters.documentIds ?? source.documents.map((d) => d.id));
        const pairs = new Set(source.codings.filter((c) => (!filters.coderIds || filters.coderIds.includes(c.coderId)) && documents.has(c.documentId)).map((c) => `${c.segmentId}|${c.codeId}`));
        expect(sum).toBe(pairs.size);
      }),
    );
  });

  it('words of a union equal countWords over the merged ranges’ text', () => {
    fc.assert(
      fc.property(arbitrarySource, ({ source, text }) => {
        const columns = codeColumns(source, { collapsed: new Set(['stage:cross']) });
        const m = caseByCodeMatrix(source, { rows: 'document', metric: 'words', columns });
        const coded = new Set(source.codings.map((c) => c.segmentId));
        let expected = 0;
        for (const d of source.documents) {
          const ranges = source.segments.filter((s) => s.documentId === d.id && coded.has(s.id)).sort((a, b) => a.start - b.start);
          let from = -1;
          let reach = -1;
          for (const r of ranges) {
            if (r.start <= reach) reach = Math.max(reach, r.end);
            else {
              if (from >= 0) expected += countWords(text.slice(from, reach));
              from = r.start;
              reach = r.end;
            }
          }
          if (from >= 0) expected += countWords(text.slice(from, reach));
        }
        expect(m.grandTotal).toBe(expected);
      }),
    );
  });
});
