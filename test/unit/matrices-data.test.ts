import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { caseByCodeMatrix, codeColumns } from '../../shared/analysis/matrix.ts';
import { CartographyDb } from '../../renderer/data/db.ts';
import { deleteMatrixView, listMatrixViews, loadMatrixSource, saveMatrixView } from '../../renderer/data/matrices.ts';
import { deleteStudy, importStudyFile, putSetting } from '../../renderer/data/studies.ts';

const file = JSON.stringify({
  format: 'cartography-study',
  version: 1,
  study: { name: 'Matrix data' },
  coders: [{ key: 'ana', name: 'Ana' }],
  stages: [{ key: 'pre', name: 'Pre-training' }],
  cases: [{ key: 'k1', name: 'Case one' }],
  codes: [
    { key: 'a', name: 'A', stage: 'pre', kind: 'challenge' },
    { key: 'b', name: 'B', stage: 'pre', kind: 'on-ramp' },
  ],
  documents: [{ key: 'd1', title: 'One', case: 'k1', text: 'P01: We keep recipes secret. A cluster lent us compute.' }],
  codings: [
    { document: 'd1', quote: 'keep recipes secret', code: 'a' },
    { document: 'd1', quote: 'keep recipes secret', code: 'b' },
    { document: 'd1', quote: 'A cluster lent us compute', code: 'b' },
  ],
});

let db: CartographyDb;
let studyId: string;
beforeEach(async () => {
  db = new CartographyDb(`matrices-${Math.random()}`);
  await db.open();
  studyId = await importStudyFile(db, file, 'matrix.cartography.json');
});
afterEach(async () => {
  await db.delete();
});

describe('matrix data', () => {
  it('loads every coded segment with its codings as the matrix source', async () => {
    const source = await loadMatrixSource(db, studyId);
    expect(source.segments.map((s) => s.text).sort()).toEqual(['A cluster lent us compute', 'keep recipes secret']);
    expect(source.codings).toHaveLength(3);
    expect(source.coders?.map((c) => c.name)).toEqual(['Ana']);
    const matrix = caseByCodeMatrix(source, { rows: 'case', metric: 'segments', columns: codeColumns(source, { collapsed: new Set(['stage:' + source.stages[0]!.id]) }) });
    // the collapsed stage column counts the union: 2 segments, not 3 codings
    expect(matrix.cells).toEqual([[2]]);
  });

  it('saves, replaces (by name, whatever the case), lists and deletes views; deleting the study drops them', async () => {
    await saveMatrixView(db, studyId, 'Licences', { metric: 'segments' });
    await saveMatrixView(db, studyId, '  By  words ', { metric: 'words' });
    await saveMatrixView(db, studyId, 'licences', { metric: 'presence' });
    expect((await listMatrixViews(db, studyId)).map((v) => [v.name, v.config])).toEqual([
      ['By words', { metric: 'words' }],
      ['licences', { metric: 'presence' }],
    ]);
    await expect(saveMatrixView(db, studyId, '   ', {})).rejects.toThrow(/needs a name/);
    await deleteMatrixView(db, studyId, 'By words');
    expect((await listMatrixViews(db, studyId)).map((v) => v.name)).toEqual(['licences']);
    await putSetting(db, 'matrix-views:another-study', [{ name: 'kept' }]);
    await deleteStudy(db, studyId);
    expect(await listMatrixViews(db, studyId)).toEqual([]);
    expect(await db.settings.get('matrix-views:another-study')).toBeDefined();
  });
});
