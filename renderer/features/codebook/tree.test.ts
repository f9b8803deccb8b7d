import { describe, expect, it } from 'vitest';
import type { Code, Stage } from '../../../shared/model/types.ts';
import { dropTarget, keyboardMove, treeRows, type TreeRow } from './tree.ts';

const stamp = { studyId: 's', createdAt: '2026-01-01T00:00:00.000Z', modifiedAt: '2026-01-01T00:00:00.000Z', createdBy: null };
const stage = (id: string, name: string, order: number): Stage => ({ id, ...stamp, name, description: '', order });
const code = (id: string, over: Partial<Code> = {}): Code => ({
  id,
  ...stamp,
  parentId: null,
  name: id,
  color: '#336699',
  stageId: 'pre',
  kind: 'challenge',
  mode: 'neutral',
  order: 0,
  shortDefinition: '',
  definition: '',
  useWhen: '',
  doNotUseWhen: '',
  examples: [],
  status: 'active',
  history: [],
  ...over,
});

const stages = [stage('pre', 'Pre-training', 0), stage('post', 'Post-training', 1)];
// pre/challenge: a (children a1, a2), b ; pre/on-ramp: c ; cross-stage/other: x
const codes = [
  code('b', { order: 1 }),
  code('a', { order: 0 }),
  code('a2', { parentId: 'a', order: 1 }),
  code('a1', { parentId: 'a', order: 0 }),
  code('c', { kind: 'on-ramp' }),
  code('x', { stageId: null, kind: 'other' }),
];
const keys = (rows: TreeRow[]) => rows.map((r) => r.key);
const row = (key: string) => treeRows(stages, codes, new Set()).find((r) => r.key === key)!;

describe('codebook tree rows', () => {
  it('lists stage → kind → codes nested by parent, in order; cross-stage last', () => {
    expect(keys(treeRows(stages, codes, new Set()))).toEqual([
      'stage:pre',
      'kind:pre:challenge',
      'code:a',
      'code:a1',
      'code:a2',
      'code:b',
      'kind:pre:on-ramp',
      'code:c',
      'kind:pre:other',
      'stage:post',
      'kind:post:challenge',
      'kind:post:on-ramp',
      'kind:post:other',
      'stage:cross',
      'kind:cross:challenge',
      'kind:cross:on-ramp',
      'kind:cross:other',
      'code:x',
    ]);
    const a1 = treeRows(stages, codes, new Set()).find((r) => r.key === 'code:a1')!;
    expect(a1.level).toBe(4);
    expect(a1.parentKey).toBe('code:a');
  });

  it('hides what is collapsed, and shows codes of an unknown stage as cross-stage', () => {
    expect(keys(treeRows(stages, codes, new Set(['code:a', 'stage:post', 'kind:cross:other'])))).toEqual([
      'stage:pre',
      'kind:pre:challenge',
      'code:a',
      'code:b',
      'kind:pre:on-ramp',
      'code:c',
      'kind:pre:other',
      'stage:post',
      'stage:cross',
      'kind:cross:challenge',
      'kind:cross:on-ramp',
      'kind:cross:other',
    ]);
    const orphan = treeRows(stages, [code('o', { stageId: 'gone' })], new Set());
    expect(keys(orphan)).toContain('code:o');
    expect(orphan.find((r) => r.key === 'code:o')!.stageId).toBeNull();
  });
});

describe('drop targets', () => {
  it('drops onto a kind at its end, inside a code as its last child, before or after a code among its siblings', () => {
    expect(dropTarget(codes, 'c', row('kind:pre:challenge'), 'inside')).toEqual({ parentId: null, stageId: 'pre', kind: 'challenge', index: 2 });
    expect(dropTarget(codes, 'c', row('code:a'), 'inside')).toEqual({ parentId: 'a', stageId: 'pre', kind: 'challenge', index: 2 });
    expect(dropTarget(codes, 'c', row('code:a2'), 'before')).toEqual({ parentId: 'a', stageId: 'pre', kind: 'challenge', index: 1 });
    expect(dropTarget(codes, 'b', row('code:a'), 'before')).toEqual({ parentId: null, stageId: 'pre', kind: 'challenge', index: 0 });
    expect(dropTarget(codes, 'a', row('code:b'), 'after')).toEqual({ parentId: null, stageId: 'pre', kind: 'challenge', index: 1 });
  });

  it('refuses dropping a code into itself, its descendants, or onto a stage row', () => {
    expect(dropTarget(codes, 'a', row('code:a'), 'inside')).toBeNull();
    expect(dropTarget(codes, 'a', row('code:a1'), 'after')).toBeNull();
    expect(dropTarget(codes, 'c', row('stage:post'), 'inside')).toBeNull();
  });
});

describe('keyboard moves', () => {
  it('moves among siblings, under the code above, and out to the parent level', () => {
    expect(keyboardMove(codes, 'b', 'up')).toEqual({ parentId: null, stageId: 'pre', kind: 'challenge', index: 0 });
    expect(keyboardMove(codes, 'b', 'down')).toBeNull();
    expect(keyboardMove(codes, 'a', 'up')).toBeNull();
    expect(keyboardMove(codes, 'b', 'in')).toEqual({ parentId: 'a', stageId: 'pre', kind: 'challenge', index: 2 });
    expect(keyboardMove(codes, 'a1', 'in')).toBeNull();
    expect(keyboardMove(codes, 'a2', 'in')).toEqual({ parentId: 'a1', stageId: 'pre', kind: 'challenge', index: 0 });
    expect(keyboardMove(codes, 'a1', 'out')).toEqual({ parentId: null, stageId: 'pre', kind: 'challenge', index: 1 });
    expect(keyboardMove(codes, 'a', 'out')).toBeNull();
  });
});
