import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readStudyFile } from '../study-file/read.ts';
import { caseByCodeMatrix, codeColumns } from './matrix.ts';
import { matrixSourceFromRecords } from './matrix-source.ts';

const NOW = '2026-01-01T00:00:00.000Z';
let next = 0;
const newId = () => `00000000-0000-4000-8000-${String(++next).padStart(12, '0')}`;

/** A memo on an uncoded passage leaves a segment without codings; stages and attributes are listed out of order. */
const records = () => {
  const r = readStudyFile(
    JSON.stringify({
      format: 'cartography-study',
      version: 1,
      study: { name: 'Source' },
      coders: [{ key: 'ana', name: 'Ana' }],
      stages: [
        { key: 'pre', name: 'Pre-training' },
        { key: 'post', name: 'Post-release' },
      ],
      attributes: [
        { key: 'region', name: 'Region', type: 'text' },
        { key: 'year', name: 'Year', type: 'number' },
      ],
      cases: [{ key: 'k1', name: 'Case one', attributes: { region: 'Europe', year: 2023 } }],
      participants: [{ key: 'p1', pseudonym: 'P01', case: 'k1', interviewDate: '2025-03-01' }],
      codes: [
        { key: 'a', name: 'A', stage: 'pre', kind: 'challenge' },
        { key: 'b', name: 'B', stage: 'post', kind: 'on-ramp' },
      ],
      documents: [{ key: 'd1', title: 'One', case: 'k1', participants: ['p1'], text: 'P01: We keep recipes secret. A cluster lent us compute. Nothing else.' }],
      codings: [
        { document: 'd1', quote: 'keep recipes secret', code: 'a', coder: 'ana' },
        { document: 'd1', quote: 'A cluster lent us compute', code: 'b', coder: 'ana' },
        { document: 'd1', quote: 'keep recipes secret', code: 'b', coder: 'ana' },
      ],
      memos: [{ target: { type: 'segment', document: 'd1', quote: 'Nothing else.' }, text: 'Said with a shrug.' }],
    }),
    'source.cartography.json',
    { now: NOW, newId },
  );
  // Records may come in any order (a project's import does not sort them): the source sorts as the loader's sortBy('order') does.
  return { ...r, stages: [...r.stages].reverse(), attributes: [...r.attributes].reverse() };
};

describe('matrixSourceFromRecords', () => {
  it('keeps only coded segments, each followed by its codings, as the database stores them', () => {
    const r = records();
    const source = matrixSourceFromRecords(r);
    expect(r.segments).toHaveLength(3);
    expect(source.segments.map((s) => s.text)).toEqual(['keep recipes secret', 'A cluster lent us compute']);
    const codeName = new Map(r.codes.map((c) => [c.id, c.name]));
    expect(source.codings.map((c) => [source.segments.find((s) => s.id === c.segmentId)!.text, codeName.get(c.codeId)])).toEqual([
      ['keep recipes secret', 'A'],
      ['keep recipes secret', 'B'],
      ['A cluster lent us compute', 'B'],
    ]);
    expect(source.codings.every((c) => c.documentId === r.documents[0]!.id && c.createdAt === NOW)).toBe(true);
  });

  it('orders stages and attributes by their order, and keeps coders and documents to the fields the matrices read', () => {
    const source = matrixSourceFromRecords(records());
    expect(source.stages.map((s) => s.name)).toEqual(['Pre-training', 'Post-release']);
    expect(source.attributes.map((a) => a.name)).toEqual(['Region', 'Year']);
    expect(source.coders?.map((c) => Object.keys(c).sort())).toEqual([['id', 'name']]);
    expect(source.documents.map((d) => Object.keys(d).sort())).toEqual([['caseId', 'id', 'participantIds', 'title']]);
  });

  it('leaves out codings whose segment is missing and segments of documents the study does not have', () => {
    const r = records();
    const lost = { ...r.codings[0]!, id: newId(), segmentId: newId() };
    const stray = { ...r.segments[0]!, id: newId(), documentId: newId() };
    const source = matrixSourceFromRecords({ ...r, codings: [...r.codings, lost, { ...lost, id: newId(), segmentId: stray.id }], segments: [...r.segments, stray] });
    expect(source.codings).toHaveLength(3);
    expect(source.segments).toHaveLength(2);
  });

  it('gives the demo study a case × code matrix whose cells count its coded segments', () => {
    const text = readFileSync(join(import.meta.dirname, '../../fixtures/demo/demo-study.cartography.json'), 'utf8');
    const demo = readStudyFile(text, 'demo-study.cartography.json', { now: NOW, newId });
    const source = matrixSourceFromRecords(demo);
    const matrix = caseByCodeMatrix(source, { rows: 'case', metric: 'segments', columns: codeColumns(source) });
    // every coded segment of the demo lies in a document with a case, and no two codes of one column: each code's cells add up to its distinct segments
    for (const [c, column] of matrix.columns.entries()) {
      const segments = new Set(demo.codings.filter((k) => k.codeId === column.codeIds[0]).map((k) => k.segmentId));
      expect(matrix.rows.reduce((sum, _, r) => sum + matrix.cells[r]![c]!, 0)).toBe(segments.size);
    }
  });
});
