import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { AgreementResult } from '../../../shared/analysis/agreement.ts';
import type { Code } from '../../../shared/model/types.ts';
import { codePath as codeNamePath } from '../../../shared/codebook/operations.ts';
import { agreementRows, agreementToCsv, consensusState, formatPercent, formatStatistic, orderCoders, passagePieces, readOverlap } from './agreement-view.ts';

const code = (id: string, name: string, parentId: string | null = null, color = '#123456') => ({ id, name, parentId, color }) as Code;
const CODES = [code('root', 'Data'), code('child', '=Licensed data', 'root'), code('loop-a', 'A', 'loop-b'), code('loop-b', 'B', 'loop-a')];

describe('the agreement table rows', () => {
  it('name each code by its path, root first, and survive a parent cycle', () => {
    expect(codeNamePath(CODES, 'child')).toEqual(['Data', '=Licensed data']);
    expect(codeNamePath(CODES, 'loop-a')).toEqual(['B', 'A']);
    expect(codeNamePath(CODES, 'gone')).toEqual([]);
  });

  it('show values with three decimals, percentages with one, and a dash when undefined', () => {
    expect(formatStatistic(0.6666666)).toBe('0.667');
    expect(formatStatistic(-0.0384)).toBe('-0.038');
    expect(formatStatistic(null)).toBe('—');
    expect(formatPercent(0.5)).toBe('50.0 %');
    expect(formatPercent(null)).toBe('—');
  });

  it('export as CSV: settings first, plain numbers, empty cells for undefined values with the note, names guarded against formulas', () => {
    const result: AgreementResult = {
      unit: 'segment',
      coderIds: ['a', 'b'],
      perCode: [
        { codeId: 'child', percent: 0.75, kappa: 0.5, alpha: 0.4666666666, units: 4, notes: [] },
        { codeId: 'root', percent: 1, kappa: null, alpha: null, units: 2, notes: ['no variation: every unit has the same value'] },
      ],
      overall: { percent: 5 / 6, kappa: 0.6, alpha: 0.55, units: 6, notes: [] },
    };
    const csv = agreementToCsv(agreementRows(result, CODES), result.overall, { unit: 'segment', overlap: 0.5, coderNames: ['Ana', '@Ben'] });
    const [preface, table] = csv.split('\r\n\r\n');
    expect(Papa.parse<string[]>(preface!).data).toEqual([
      ['Unit', 'Segment (overlap ≥ 0.5 of the union)'],
      ['Coders', 'Ana; @Ben'],
    ]);
    expect(Papa.parse<string[]>(table!.trim()).data).toEqual([
      ['Code', 'Percent agreement', 'Cohen’s kappa', 'Krippendorff’s alpha', 'Units', 'Notes'],
      ['Data > =Licensed data', '0.75', '0.5', '0.466667', '4', ''],
      ['Data', '1', '', '', '2', 'no variation: every unit has the same value'],
      ['Overall', '0.833333', '0.6', '0.55', '6', ''],
    ]);
    const guarded = agreementToCsv(agreementRows({ ...result, perCode: [{ ...result.perCode[0]!, codeId: 'formula' }] }, [code('formula', '=SUM(A1)')]), result.overall, {
      unit: 'document',
      overlap: 0.5,
      coderNames: ['=cmd', 'B'],
    });
    expect(guarded).toContain("'=SUM(A1)");
    expect(guarded).toContain("'=cmd; B");
    expect(guarded).toContain('Unit,Document\r\n');
  });
});

describe('the overlap field', () => {
  it('reads a share above 0 and at most 1, or a percentage written with %', () => {
    expect(readOverlap('0.5')).toBe(0.5);
    expect(readOverlap(' 0,75 ')).toBe(0.75);
    expect(readOverlap('1')).toBe(1);
    expect(readOverlap('.3')).toBe(0.3);
    expect(readOverlap('60 %')).toBe(0.6);
    expect(readOverlap('60%')).toBe(0.6);
    for (const bad of ['', '0', '2', '60', '-0.5', '1.01', 'half', '0.5.1', '120%']) expect(readOverlap(bad)).toBeNull();
  });
});

describe('coders in order', () => {
  it('by name, numbers by value, the consensus coder last', () => {
    const coders = [
      { id: 'c', name: 'Consensus' },
      { id: 'b10', name: 'Coder 10' },
      { id: 'b2', name: 'coder 2' },
    ];
    expect(orderCoders(coders, 'c').map((c) => c.id)).toEqual(['b2', 'b10', 'c']);
    expect(orderCoders(coders, null).map((c) => c.id)).toEqual(['b2', 'b10', 'c']);
    expect(orderCoders([{ id: 'z', name: 'Zoe' }, ...coders], 'b2').map((c) => c.id)).toEqual(['b10', 'c', 'z', 'b2']);
  });
});

describe('a passage cut where coders’ spans start and end', () => {
  it('marks each piece with the coders covering it, spans clipped to the passage', () => {
    const passage = { offset: 10, text: 'abcdefghij' }; // document offsets 10–20
    const pieces = passagePieces(passage, { a: [{ start: 5, end: 13 }], b: [{ start: 12, end: 16 }, { start: 18, end: 30 }] }, ['a', 'b']);
    expect(pieces.map((p) => [p.start, p.end, p.text, p.coderIds])).toEqual([
      [10, 12, 'ab', ['a']],
      [12, 13, 'c', ['a', 'b']],
      [13, 16, 'def', ['b']],
      [16, 18, 'gh', []],
      [18, 20, 'ij', ['b']],
    ]);
    expect(passagePieces({ offset: 0, text: 'xyz' }, {}, ['a'])).toEqual([{ start: 0, end: 3, text: 'xyz', coderIds: [] }]);
  });
});

describe('what the consensus holds for a disagreement', () => {
  const disagreement = { documentId: 'd', codeId: 'k', start: 10, end: 12, byCoder: { a: [{ id: 'x', documentId: 'd', codeId: 'k', coderId: 'a', start: 5, end: 20 }], b: [] } };
  it('a consensus coding over any listed coding, a memo of that title for "neither", or nothing yet', () => {
    const coding = { documentId: 'd', codeId: 'k', coderId: 'c', start: 15, end: 25 };
    expect(consensusState(disagreement, { coderId: 'c', codings: [coding], memos: [] }, 'T')).toBe('Consensus codes it');
    expect(consensusState(disagreement, { coderId: 'c', codings: [coding, { ...coding, start: 0, end: 6 }], memos: [] }, 'T')).toBe('Consensus codes 2 spans');
    expect(consensusState(disagreement, { coderId: 'c', codings: [{ ...coding, codeId: 'other' }, { ...coding, start: 20 }], memos: [{ documentId: 'd', title: 'T' }] }, 'T')).toBe('Consensus: neither');
    expect(consensusState(disagreement, { coderId: 'c', codings: [], memos: [{ documentId: 'other', title: 'T' }] }, 'T')).toBeNull();
    expect(consensusState(disagreement, { coderId: null, codings: [coding], memos: [] }, 'T')).toBeNull();
  });
});

describe('rows in codebook order', () => {
  it('stage by stage, cross-stage codes last, then by order within a stage', () => {
    const stages = [{ id: 's1' }, { id: 's2' }] as never[];
    const codes = [
      { ...code('x', 'Cross'), stageId: null, order: 0 },
      { ...code('late', 'Late'), stageId: 's2', order: 0 },
      { ...code('early2', 'Early two'), stageId: 's1', order: 2 },
      { ...code('early1', 'Early one'), stageId: 's1', order: 1 },
    ] as Code[];
    const stat = { percent: 1, kappa: null, alpha: null, units: 1, notes: [] };
    const result: AgreementResult = { unit: 'document', coderIds: ['a', 'b'], perCode: ['x', 'late', 'gone', 'early2', 'early1'].map((codeId) => ({ codeId, ...stat })), overall: stat };
    expect(agreementRows(result, codes, stages).map((r) => r.codeId)).toEqual(['early1', 'early2', 'late', 'x', 'gone']);
  });
});
