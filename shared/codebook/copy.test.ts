import { describe, expect, it } from 'vitest';
import type { Code, Stage } from '../model/types.ts';
import { copyCodebook } from './copy.ts';

const base = { studyId: 'old', createdAt: '2025-01-01T00:00:00.000Z', modifiedAt: '2025-02-01T00:00:00.000Z', createdBy: 'ana' };
const stages: Stage[] = [
  { ...base, id: 's2', name: 'Post-release', description: '', order: 1 },
  { ...base, id: 's1', name: 'Pre-training', description: '', order: 0 },
];
const code = (id: string, name: string, parentId: string | null, stageId: string | null, order: number): Code => ({
  ...base,
  id,
  parentId,
  name,
  color: '#4e79a7',
  stageId,
  kind: 'challenge',
  mode: 'cathedral',
  order,
  shortDefinition: `${name} in short`,
  definition: '',
  useWhen: '',
  doNotUseWhen: '',
  examples: [
    { text: 'an example', typical: true, segmentId: 'seg1' },
    { text: 'a borderline one', typical: false, segmentId: null },
  ],
  status: 'active',
  history: [{ at: '2025-01-15T00:00:00.000Z', by: 'ana', summary: 'Renamed' }],
});

describe('copyCodebook', () => {
  it('gives stages and codes new ids in the new study and keeps every reference between them', () => {
    let n = 0;
    const copy = copyCodebook(stages, [code('c2', 'Child', 'c1', 's1', 1), code('c1', 'Parent', null, 's1', 0), code('c3', 'Cross', null, null, 2)], {
      studyId: 'new',
      coderId: 'bo',
      now: '2026-03-01T00:00:00.000Z',
      newId: () => `n${++n}`,
    });
    expect(copy.stages.map((s) => [s.id, s.name, s.order, s.studyId, s.createdBy])).toEqual([
      ['n2', 'Pre-training', 0, 'new', 'bo'],
      ['n1', 'Post-release', 1, 'new', 'bo'],
    ]);
    expect(copy.codes.map((c) => [c.id, c.name, c.parentId, c.stageId, c.order, c.shortDefinition, c.modifiedAt])).toEqual([
      ['n4', 'Parent', null, 'n2', 0, 'Parent in short', '2026-03-01T00:00:00.000Z'],
      ['n3', 'Child', 'n4', 'n2', 1, 'Child in short', '2026-03-01T00:00:00.000Z'],
      ['n5', 'Cross', null, null, 2, 'Cross in short', '2026-03-01T00:00:00.000Z'],
    ]);
  });

  it('copies examples without their segment links and starts the history afresh', () => {
    let n = 0;
    const ctx = { studyId: 'new', coderId: 'bo', now: '2026-03-01T00:00:00.000Z', newId: () => `n${++n}` };
    const source = [code('c1', 'Parent', null, 's1', 0)];
    const named = copyCodebook(stages, source, { ...ctx, sourceName: ' Pilot ' }).codes[0]!;
    expect(named.examples).toEqual([
      { text: 'an example', typical: true, segmentId: null },
      { text: 'a borderline one', typical: false, segmentId: null },
    ]);
    expect(named.history).toEqual([{ at: '2026-03-01T00:00:00.000Z', by: 'bo', summary: 'Copied from the codebook of “Pilot”' }]);
    expect(copyCodebook(stages, source, { ...ctx, coderId: null, sourceName: 'Pilot' }).codes[0]!.history).toEqual([{ at: '2026-03-01T00:00:00.000Z', by: null, summary: 'Copied from the codebook of “Pilot”' }]);
    expect(copyCodebook(stages, source, ctx).codes[0]!.history).toEqual([]);
    // the source is left as it was
    expect(source[0]!.examples[0]!.segmentId).toBe('seg1');
  });
});
