import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Code, CodeKind, Coding, Memo, Stage, Tie } from '../model/types.ts';
import {
  addStage,
  codePath,
  deleteCode,
  deleteStage,
  descendantsOf,
  describeDelete,
  describeMerge,
  mergeCodes,
  moveCode,
  moveStage,
  renameStage,
  splitCode,
  updateCode,
  type CodebookContext,
  type CodebookDelta,
  type CodebookResult,
  type CodebookState,
} from './operations.ts';

const THEN = '2026-01-01T00:00:00.000Z';
const NOW = '2026-03-01T12:00:00.000Z';
const tracked = { studyId: 's', createdAt: THEN, modifiedAt: THEN, createdBy: null };

function context(coderId: string | null = 'ana'): CodebookContext {
  let n = 0;
  return { newId: () => `n${++n}`, now: NOW, coderId };
}

const stage = (id: string, name: string, order: number): Stage => ({ ...tracked, id, name, description: '', order });

function code(id: string, name: string, fields: Partial<Code> = {}): Code {
  return {
    ...tracked,
    id,
    parentId: null,
    name,
    color: '#4e79a7',
    stageId: 'post',
    kind: 'challenge',
    mode: 'neutral',
    order: 0,
    shortDefinition: '',
    definition: '',
    useWhen: '',
    doNotUseWhen: '',
    examples: [],
    status: 'draft',
    history: [],
    ...fields,
  };
}

function coding(id: string, segmentId: string, codeId: string, coderId: string, documentId: string, createdAt = THEN): Coding {
  return { ...tracked, createdAt, modifiedAt: createdAt, createdBy: coderId, id, segmentId, codeId, coderId, documentId };
}

const memo = (id: string, targetId: string, targetType: Memo['targetType'] = 'code'): Memo => ({ ...tracked, id, targetType, targetId, title: id, text: '' });
const tie = (id: string, stageId: string): Tie => ({ ...tracked, id, fromId: 'a1', toId: 'a2', type: 'benchmarking', stageId, description: '', evidenceSegmentIds: [] });

const stages = [stage('pre', 'Pre-training', 0), stage('post', 'Post-training', 1), stage('rel', 'Post-release', 2)];

/*
 * Post-training › Challenge: Access (Compute (GPUs), Data), Funding, Legal
 * Post-training › On-ramp:   Community
 * Cross-stage › Other:       Documentation
 */
const access = code('access', 'Access', { order: 0 });
const compute = code('compute', 'Compute', { parentId: 'access', order: 0 });
const gpu = code('gpu', 'GPUs', { parentId: 'compute', order: 0 });
const data = code('data', 'Data', { parentId: 'access', order: 1 });
const funding = code('funding', 'Funding', { order: 1, examples: [{ text: 'We lack money', typical: true, segmentId: null }] });
const legal = code('legal', 'Legal', { order: 2 });
const community = code('community', 'Community', { kind: 'on-ramp', order: 0 });
const docs = code('docs', 'Documentation', { stageId: null, kind: 'other', order: 0 });
const codes = [access, compute, gpu, data, funding, legal, community, docs];

function state(fields: Partial<CodebookState> = {}): CodebookState {
  return { studyId: 's', stages, codes, codings: [], memos: [], ties: [], ...fields };
}

const entry = (summary: string, by: string | null = 'ana') => ({ at: NOW, by, summary });
/** A code as the delta puts it: the new fields, modifiedAt now, and one history entry. */
const changed = (before: Code, fields: Partial<Code>, summary: string): Code => ({ ...before, ...fields, modifiedAt: NOW, history: [...before.history, entry(summary)] });

function delta(parts: Partial<CodebookDelta>): CodebookDelta {
  return { codes: { put: [], remove: [] }, codings: { put: [], remove: [] }, memos: { put: [], remove: [] }, stages: { put: [], remove: [] }, ...parts };
}

function ok(result: CodebookResult): Extract<CodebookResult, { ok: true }> {
  if (!result.ok) throw new Error(result.reason);
  return result;
}

describe('descendantsOf and codePath', () => {
  it('lists every code below, level by level, and names the path from the root', () => {
    expect(descendantsOf(codes, 'access')).toEqual(['compute', 'data', 'gpu']);
    expect(descendantsOf(codes, 'gpu')).toEqual([]);
    expect(codePath(codes, 'gpu')).toEqual(['Access', 'Compute', 'GPUs']);
    expect(codePath(codes, 'nope')).toEqual([]);
  });
  it('survives a loop in the hierarchy', () => {
    const loop = [code('a', 'A', { parentId: 'b' }), code('b', 'B', { parentId: 'a' })];
    expect(descendantsOf(loop, 'a')).toEqual(['b']);
    expect(codePath(loop, 'a')).toEqual(['B', 'A']);
  });
});

describe('updateCode', () => {
  it('renames (trimmed) with a history entry and an undo label', () => {
    expect(updateCode(state(), 'funding', { name: '  Money  ' }, context())).toEqual({
      ok: true,
      delta: delta({ codes: { put: [changed(funding, { name: 'Money' }, 'Renamed “Funding” to “Money”')], remove: [] } }),
      label: 'Rename “Funding” to “Money”',
      created: [],
    });
  });

  it('lower-cases a colour and says what it was', () => {
    const r = ok(updateCode(state(), 'funding', { color: '#AABBCC' }, context(null)));
    expect(r.delta.codes.put).toEqual([{ ...funding, color: '#aabbcc', modifiedAt: NOW, history: [entry('Colour changed from #4e79a7 to #aabbcc', null)] }]);
    expect(r.label).toBe('Change the colour of “Funding”');
  });

  it('puts several changes into one entry, in words', () => {
    const examples = [...funding.examples, { text: 'Grants ran out', typical: false, segmentId: 'seg1' }];
    const r = ok(updateCode(state(), 'funding', { definition: 'Money matters.', useWhen: 'x', status: 'active', mode: 'bazaar', examples, shortDefinition: '' }, context()));
    expect(r.delta.codes.put).toEqual([
      changed(funding, { definition: 'Money matters.', useWhen: 'x', status: 'active', mode: 'bazaar', examples }, 'Definition edited; “Use when” edited; Example added; Status changed from draft to active; Collaboration mode changed from neutral to bazaar'),
    ]);
    expect(r.label).toBe('Edit “Funding”');
    const fewer = ok(updateCode(state(), 'funding', { examples: [] }, context()));
    expect(fewer.delta.codes.put[0]!.history).toEqual([entry('Example removed')]);
    const edited = ok(updateCode(state(), 'funding', { examples: [{ text: 'We lack money', typical: false, segmentId: null }] }, context()));
    expect(edited.delta.codes.put[0]!.history).toEqual([entry('Examples edited')]);
  });

  it('a case-only rename is allowed, and renaming to a sibling in another kind of the same stage is not', () => {
    expect(ok(updateCode(state(), 'funding', { name: 'FUNDING' }, context())).delta.codes.put[0]!.name).toBe('FUNDING');
    expect(updateCode(state(), 'funding', { name: 'legal' }, context())).toEqual({ ok: false, reason: 'There is already a code named “legal” at the top level of Post-training; choose another name.' });
    expect(updateCode(state(), 'funding', { name: ' community ' }, context())).toEqual({ ok: false, reason: 'There is already a code named “community” at the top level of Post-training; choose another name.' });
    expect(updateCode(state(), 'data', { name: 'compute' }, context())).toEqual({ ok: false, reason: 'There is already a code named “compute” under “Access”; choose another name.' });
    // The same name in another stage or under another parent is fine.
    expect(updateCode(state(), 'gpu', { name: 'Data' }, context()).ok).toBe(true);
    expect(updateCode(state(), 'docs', { name: 'Funding' }, context()).ok).toBe(true);
  });

  it('moves the whole subtree when a top-level code changes stage or kind', () => {
    const r = ok(updateCode(state(), 'access', { stageId: 'pre' }, context()));
    expect(r.delta.codes.put).toEqual([
      changed(access, { stageId: 'pre' }, 'Moved to Pre-training › Challenge'),
      changed(compute, { stageId: 'pre' }, 'Moved to Pre-training › Challenge with “Access”'),
      changed(gpu, { stageId: 'pre' }, 'Moved to Pre-training › Challenge with “Access”'),
      changed(data, { stageId: 'pre' }, 'Moved to Pre-training › Challenge with “Access”'),
    ]);
    const kind = ok(updateCode(state(), 'access', { kind: 'on-ramp', name: 'Ways in' }, context()));
    expect(kind.delta.codes.put.map((c) => [c.id, c.kind, c.history[0]!.summary])).toEqual([
      ['access', 'on-ramp', 'Renamed “Access” to “Ways in”; Moved to Post-training › On-ramp'],
      ['compute', 'on-ramp', 'Moved to Post-training › On-ramp with “Ways in”'],
      ['gpu', 'on-ramp', 'Moved to Post-training › On-ramp with “Ways in”'],
      ['data', 'on-ramp', 'Moved to Post-training › On-ramp with “Ways in”'],
    ]);
    expect(r.label).toBe('Move “Access” to Pre-training › Challenge');
    expect(kind.label).toBe('Edit “Ways in”');
    const cross = ok(updateCode(state(), 'legal', { stageId: null }, context()));
    expect(cross.delta.codes.put).toEqual([changed(legal, { stageId: null }, 'Moved to Cross-stage › Challenge')]);
  });

  it('refuses what is wrong, saying what to do', () => {
    const s = state();
    expect(updateCode(s, 'funding', { name: '   ' }, context())).toEqual({ ok: false, reason: 'A code needs a name; type one.' });
    expect(updateCode(s, 'funding', { color: 'red' }, context())).toEqual({ ok: false, reason: 'The colour “red” is not of the form #rrggbb (for example #4e79a7); pick a colour or type one like that.' });
    expect(updateCode(s, 'funding', { color: '#abc' }, context()).ok).toBe(false);
    expect(updateCode(s, 'funding', { stageId: 'gone' }, context())).toEqual({ ok: false, reason: 'That stage no longer exists; choose another stage or cross-stage.' });
    expect(updateCode(s, 'compute', { stageId: 'pre' }, context())).toEqual({
      ok: false,
      reason: '“Compute” is a sub-code of “Access” and shares its stage and kind; change those of “Access”, or move “Compute” to the top level first.',
    });
    expect(updateCode(s, 'funding', { kind: 'weird' as CodeKind }, context())).toEqual({ ok: false, reason: '“weird” is not a kind of code; choose challenge, on-ramp or other.' });
    expect(updateCode(s, 'funding', { examples: [{ text: ' ', typical: true, segmentId: null }] }, context())).toEqual({ ok: false, reason: 'An example needs some text; fill it in or remove the example.' });
    expect(updateCode(s, 'funding', { name: 'Funding', color: '#4E79A7', stageId: 'post', kind: 'challenge', examples: [...funding.examples] }, context())).toEqual({ ok: false, reason: 'Nothing to change.' });
    expect(updateCode(s, 'nope', { name: 'X' }, context())).toEqual({ ok: false, reason: 'That code no longer exists; it may have been deleted or merged. Close this and try again.' });
    // A stage change may clash with a code of that name at the top level of the new stage.
    const clash = state({ codes: [...codes, code('pre-legal', 'legal', { stageId: 'pre', kind: 'other' })] });
    expect(updateCode(clash, 'legal', { stageId: 'pre' }, context())).toEqual({ ok: false, reason: 'There is already a code named “Legal” at the top level of Pre-training; choose another name.' });
  });

  it('keeps at most 200 history entries, dropping the oldest', () => {
    const history = Array.from({ length: 200 }, (_, i) => ({ at: THEN, by: null, summary: `change ${i}` }));
    const s = state({ codes: [{ ...funding, history }] });
    const put = ok(updateCode(s, 'funding', { definition: 'd' }, context())).delta.codes.put[0]!;
    expect(put.history).toHaveLength(200);
    expect(put.history[0]!.summary).toBe('change 1');
    expect(put.history[199]).toEqual(entry('Definition edited'));
  });
});

describe('moveCode', () => {
  it('reorders among siblings, renumbering them 0..n-1', () => {
    const r = ok(moveCode(state(), 'legal', { parentId: null, stageId: 'post', kind: 'challenge', index: 0 }, context()));
    expect(r.delta).toEqual(
      delta({
        codes: {
          put: [changed(access, { order: 1 }, 'Position changed from 1 to 2'), changed(funding, { order: 2 }, 'Position changed from 2 to 3'), changed(legal, { order: 0 }, 'Moved from position 3 to 1')],
          remove: [],
        },
      }),
    );
    expect(r.label).toBe('Reorder “Legal”');
    expect(ok(moveCode(state(), 'access', { parentId: null, stageId: 'post', kind: 'challenge', index: 99 }, context())).delta.codes.put.map((c) => [c.id, c.order])).toEqual([
      ['access', 2],
      ['funding', 0],
      ['legal', 1],
    ]);
  });

  it('renumbers siblings whose order numbers had gaps, saying so', () => {
    const gaps = state({ codes: [access, { ...funding, order: 5 }, { ...legal, order: 9 }, community, docs] });
    const r = ok(moveCode(gaps, 'access', { parentId: null, stageId: 'post', kind: 'challenge', index: 1 }, context()));
    expect(r.delta.codes.put.map((c) => [c.id, c.order, c.history.at(-1)!.summary])).toEqual([
      ['access', 1, 'Moved from position 1 to 2'],
      ['funding', 0, 'Position changed from 2 to 1'],
      ['legal', 2, 'Renumbered among its siblings'],
    ]);
  });

  it('re-parents into another kind: the subtree follows and the old siblings close up', () => {
    const r = ok(moveCode(state(), 'compute', { parentId: 'community', stageId: 'pre', kind: 'other', index: 0 }, context()));
    expect(r.delta.codes.put).toEqual([
      changed(compute, { parentId: 'community', kind: 'on-ramp' }, 'Moved under “Community” (Post-training › On-ramp)'),
      changed(gpu, { kind: 'on-ramp' }, 'Moved to Post-training › On-ramp with “Compute”'),
      changed(data, { order: 0 }, 'Position changed from 2 to 1'),
    ]);
    expect(r.label).toBe('Move “Compute” under “Community”');
  });

  it('moves to the top level of a stage and kind, the index clamped', () => {
    const r = ok(moveCode(state(), 'compute', { parentId: null, stageId: 'pre', kind: 'other', index: 7 }, context()));
    expect(r.delta.codes.put).toEqual([
      changed(compute, { parentId: null, stageId: 'pre', kind: 'other' }, 'Moved to the top level of Pre-training › Descriptive / other'),
      changed(gpu, { stageId: 'pre', kind: 'other' }, 'Moved to Pre-training › Descriptive / other with “Compute”'),
      changed(data, { order: 0 }, 'Position changed from 2 to 1'),
    ]);
    expect(r.label).toBe('Move “Compute” to the top level of Pre-training › Descriptive / other');
    const between = ok(moveCode(state(), 'docs', { parentId: null, stageId: 'post', kind: 'challenge', index: 1 }, context()));
    expect(between.delta.codes.put.map((c) => [c.id, c.stageId, c.kind, c.order, c.history.at(-1)!.summary])).toEqual([
      ['funding', 'post', 'challenge', 2, 'Position changed from 2 to 3'],
      ['legal', 'post', 'challenge', 3, 'Position changed from 3 to 4'],
      ['docs', 'post', 'challenge', 1, 'Moved to Post-training › Challenge'],
    ]);
  });

  it('refuses a loop, a clash, an unknown parent and a move that changes nothing', () => {
    const s = state();
    const under = (parentId: string) => ({ parentId, stageId: null, kind: 'other' as const, index: 0 });
    expect(moveCode(s, 'access', under('access'), context())).toEqual({ ok: false, reason: '“Access” cannot move under itself or one of its own sub-codes; choose a code outside it.' });
    expect(moveCode(s, 'access', under('gpu'), context())).toEqual({ ok: false, reason: '“Access” cannot move under itself or one of its own sub-codes; choose a code outside it.' });
    expect(moveCode(s, 'access', under('gone'), context())).toEqual({ ok: false, reason: 'The code to move it under no longer exists; it may have been deleted or merged. Close this and try again.' });
    const named = state({ codes: [...codes, code('data2', 'DATA', { parentId: 'community', kind: 'on-ramp' })] });
    expect(moveCode(named, 'data', under('community'), context())).toEqual({ ok: false, reason: 'There is already a code named “Data” under “Community”; choose another name.' });
    expect(moveCode(s, 'funding', { parentId: null, stageId: 'post', kind: 'challenge', index: 1 }, context())).toEqual({ ok: false, reason: 'Nothing to change.' });
    expect(moveCode(s, 'funding', { parentId: null, stageId: 'gone', kind: 'challenge', index: 1 }, context())).toEqual({ ok: false, reason: 'That stage no longer exists; choose another stage or cross-stage.' });
  });
});

/*
 * Codings for merge and delete. Segment s1 in document d1, s2 in d2, s3 in d3, s4 in d1.
 */
const mergeCodings = [
  coding('f1', 's1', 'funding', 'ana', 'd1'),
  coding('l1', 's1', 'legal', 'ana', 'd1'), // collapses into f1 (same segment and coder)
  coding('l2', 's1', 'legal', 'bo', 'd1'), // another coder: kept apart
  coding('l3', 's2', 'legal', 'ana', 'd2', '2026-01-02T00:00:00.000Z'),
  coding('x1', 's2', 'docs', 'ana', 'd2', '2026-01-03T00:00:00.000Z'), // collapses into l3, the earliest
  coding('x2', 's3', 'docs', 'ana', 'd3'),
  coding('a1', 's3', 'access', 'ana', 'd3'), // untouched
];
const legalEu = code('legal-eu', 'EU law', { parentId: 'legal', order: 0 });
const readme = code('readme', 'Readme', { parentId: 'docs', stageId: null, kind: 'other', order: 0 });
const readmeTip = code('readme-tip', 'Tips', { parentId: 'readme', stageId: null, kind: 'other', order: 0 });
const licence = { text: 'Licence', typical: false, segmentId: 's1' };
function mergeState(): CodebookState {
  return state({
    codes: [
      ...codes.map((c) => (c.id === 'legal' ? { ...legal, examples: [...funding.examples, licence] } : c.id === 'docs' ? { ...docs, examples: [licence] } : c)),
      legalEu,
      readme,
      readmeTip,
    ],
    codings: mergeCodings,
    memos: [memo('m1', 'legal'), memo('m2', 'docs'), memo('m3', 'access'), memo('m4', 'legal', 'segment')],
  });
}

describe('mergeCodes', () => {
  it('moves codings (collapsing repeats by the same coder only), sub-codes, memos and examples, and removes the sources', () => {
    const s = mergeState();
    const r = ok(mergeCodes(s, ['legal', 'docs'], 'funding', context()));
    expect(r.label).toBe('Merge “Legal”, “Documentation” into “Funding”');
    expect(r.created).toEqual([]);
    const moved = (c: Coding) => ({ ...c, codeId: 'funding', modifiedAt: NOW });
    expect(r.delta.codings).toEqual({ put: [moved(mergeCodings[2]!), moved(mergeCodings[3]!), moved(mergeCodings[5]!)], remove: ['l1', 'x1'] });
    expect(r.delta.memos).toEqual({ put: [{ ...memo('m1', 'funding'), modifiedAt: NOW }, { ...memo('m2', 'funding'), modifiedAt: NOW }], remove: [] });
    expect(r.delta.codes.remove).toEqual(['legal', 'docs']);
    expect(r.delta.codes.put).toEqual([
      changed(funding, { examples: [...funding.examples, licence] }, 'Merged “Legal” and “Documentation” into this code (3 codings moved, 2 collapsed, 2 sub-codes moved, 2 memos moved)'),
      changed(legalEu, { parentId: 'funding' }, 'Moved under “Funding” (“Legal” was merged into it)'),
      changed(readme, { parentId: 'funding', order: 1, stageId: 'post', kind: 'challenge' }, 'Moved under “Funding” (“Documentation” was merged into it)'),
      changed(readmeTip, { stageId: 'post', kind: 'challenge' }, 'Moved to Post-training › Challenge with “Readme”'),
    ]);
  });

  it('keeps codings by different coders apart, and keeps the target’s coding when one collapses', () => {
    const s = state({ codings: [coding('t', 's1', 'funding', 'bo', 'd1', '2026-02-01T00:00:00.000Z'), coding('a', 's1', 'legal', 'bo', 'd1'), coding('b', 's1', 'legal', 'ana', 'd1')] });
    const r = ok(mergeCodes(s, ['legal'], 'funding', context()));
    expect(r.delta.codings.remove).toEqual(['a']);
    expect(r.delta.codings.put.map((c) => [c.id, c.codeId, c.coderId])).toEqual([['b', 'funding', 'ana']]);
  });

  it('merges a sub-code into its parent: the grandchildren move up and the list closes up', () => {
    const r = ok(mergeCodes(state(), ['compute'], 'access', context()));
    expect(r.delta.codes.remove).toEqual(['compute']);
    expect(r.delta.codes.put).toEqual([
      changed(access, {}, 'Merged “Compute” into this code (0 codings moved, 1 sub-code moved)'),
      changed(gpu, { parentId: 'access', order: 1 }, 'Moved under “Access” (“Compute” was merged into it)'),
      changed(data, { order: 0 }, 'Position changed from 2 to 1'),
    ]);
  });

  it('refuses an empty choice, the target among the sources, an ancestor of the target, unknown codes and clashing sub-codes', () => {
    const s = state();
    expect(mergeCodes(s, [], 'funding', context())).toEqual({ ok: false, reason: 'Choose at least one code to merge into “Funding”.' });
    expect(mergeCodes(s, ['legal', 'funding'], 'funding', context())).toEqual({ ok: false, reason: 'A code cannot be merged into itself; take “Funding” off the codes to merge.' });
    expect(mergeCodes(s, ['access'], 'gpu', context())).toEqual({
      ok: false,
      reason: '“GPUs” is a sub-code of “Access”, so “Access” cannot be merged into it; move “GPUs” out of “Access” first, or merge the other way round.',
    });
    expect(mergeCodes(s, ['gone'], 'funding', context())).toEqual({ ok: false, reason: 'One of the codes to merge no longer exists; it may have been deleted or merged. Close this and try again.' });
    expect(mergeCodes(s, ['legal'], 'gone', context())).toEqual({ ok: false, reason: 'The code to merge into no longer exists; it may have been deleted or merged. Close this and try again.' });
    const twins = state({ codes: [...codes, code('fd', 'data', { parentId: 'funding' })] });
    expect(mergeCodes(twins, ['access'], 'funding', context())).toEqual({ ok: false, reason: '“Funding” and “Access” both have a sub-code named “Data”; rename or merge one of them first.' });
  });
});

describe('describeMerge', () => {
  it('gives the numbers and the sentence of the confirmation', () => {
    expect(describeMerge(mergeState(), ['legal', 'docs'], 'funding')).toEqual({
      ok: true,
      codings: 5,
      segments: 3,
      documents: 3,
      collapsed: 2,
      memos: 2,
      children: 2,
      sentence:
        'Merge “Legal”, “Documentation” into “Funding”: their 5 codings in 3 documents will move to “Funding” (2 of them repeat codings of the same text by the same coder and collapse into them), 2 memos about them will move to “Funding”, and their 2 sub-codes will move under “Funding”.',
    });
    expect(describeMerge(state(), ['legal'], 'funding')).toMatchObject({ ok: true, sentence: 'Merge “Legal” into “Funding”: it has no codings.' });
    expect(describeMerge(state({ codings: mergeCodings }), ['legal'], 'funding')).toMatchObject({
      sentence: 'Merge “Legal” into “Funding”: its 3 codings in 2 documents will move to “Funding” (1 of them repeats a coding of the same text by the same coder and collapses into it).',
    });
    expect(describeMerge(state(), [], 'funding')).toEqual({ ok: false, reason: 'Choose at least one code to merge into “Funding”.' });
  });

  it('agrees with what mergeCodes does', () => {
    const s = mergeState();
    const d = describeMerge(s, ['legal', 'docs'], 'funding');
    const r = ok(mergeCodes(s, ['legal', 'docs'], 'funding', context()));
    if (!d.ok) throw new Error(d.reason);
    expect(r.delta.codings.put.length + r.delta.codings.remove.length).toBe(d.codings);
    expect(r.delta.codings.remove.length).toBe(d.collapsed);
    expect(r.delta.memos.put.length).toBe(d.memos);
    expect(r.delta.codes.put.filter((c) => c.parentId === 'funding' && s.codes.find((o) => o.id === c.id)!.parentId !== 'funding')).toHaveLength(d.children);
    const touched = mergeCodings.filter((c) => c.codeId === 'legal' || c.codeId === 'docs');
    expect(new Set(touched.map((c) => c.segmentId)).size).toBe(d.segments);
    expect(new Set(touched.map((c) => c.documentId)).size).toBe(d.documents);
  });
});

describe('splitCode', () => {
  const codings = [
    coding('c1', 's1', 'funding', 'ana', 'd1'),
    coding('c2', 's1', 'funding', 'bo', 'd1'),
    coding('c3', 's2', 'funding', 'ana', 'd2'),
    coding('c4', 's3', 'funding', 'ana', 'd3'),
    coding('c5', 's3', 'legal', 'ana', 'd3'),
  ];
  it('creates a sibling right after the original and moves the chosen segments’ codings to it', () => {
    const r = ok(splitCode(state({ codings }), 'funding', ['s1', 's2', 's1'], { name: ' Grants ', color: '#ABCDEF' }, context()));
    expect(r.created).toEqual(['n1']);
    expect(r.label).toBe('Split “Grants” from “Funding”');
    const grants: Code = {
      id: 'n1',
      studyId: 's',
      createdAt: NOW,
      modifiedAt: NOW,
      createdBy: 'ana',
      parentId: null,
      name: 'Grants',
      color: '#abcdef',
      stageId: 'post',
      kind: 'challenge',
      mode: 'neutral',
      order: 2,
      shortDefinition: '',
      definition: '',
      useWhen: '',
      doNotUseWhen: '',
      examples: [],
      status: 'active',
      history: [entry('Split from “Funding”')],
    };
    expect(r.delta.codes).toEqual({
      put: [changed(funding, {}, 'Split: 2 segments (3 codings) moved to the new code “Grants”'), changed(legal, { order: 3 }, 'Position changed from 3 to 4'), grants],
      remove: [],
    });
    expect(r.delta.codings).toEqual({ put: codings.slice(0, 3).map((c) => ({ ...c, codeId: 'n1', modifiedAt: NOW })), remove: [] });
  });

  it('takes the original’s colour, parent and mode by default', () => {
    const r = ok(splitCode(state({ codings: [coding('g', 's9', 'gpu', 'ana', 'd1')] }), 'gpu', ['s9'], { name: 'TPUs' }, context()));
    expect(r.delta.codes.put.map((c) => [c.id, c.parentId, c.color, c.order, c.history.at(-1)!.summary])).toEqual([
      ['gpu', 'compute', '#4e79a7', 0, 'Split: 1 segment moved to the new code “TPUs”'],
      ['n1', 'compute', '#4e79a7', 1, 'Split from “GPUs”'],
    ]);
  });

  it('refuses no segments, segments without the code, a blank or clashing name', () => {
    const s = state({ codings });
    expect(splitCode(s, 'funding', [], { name: 'X' }, context())).toEqual({ ok: false, reason: 'Choose at least one segment coded “Funding” to move to the new code.' });
    expect(splitCode(s, 'funding', ['s1', 'zz'], { name: 'X' }, context())).toEqual({ ok: false, reason: '1 of the chosen segments does not carry “Funding”; choose only segments coded with it.' });
    expect(splitCode(s, 'legal', ['s1', 's2'], { name: 'X' }, context())).toEqual({ ok: false, reason: '2 of the chosen segments do not carry “Legal”; choose only segments coded with it.' });
    expect(splitCode(s, 'funding', ['s1'], { name: '  ' }, context())).toEqual({ ok: false, reason: 'The new code needs a name; type one.' });
    expect(splitCode(s, 'funding', ['s1'], { name: 'funding' }, context())).toEqual({ ok: false, reason: 'There is already a code named “funding” at the top level of Post-training; choose another name.' });
    expect(splitCode(s, 'funding', ['s1'], { name: 'Access' }, context())).toEqual({ ok: false, reason: 'There is already a code named “Access” at the top level of Post-training; choose another name.' });
    expect(splitCode(s, 'funding', ['s1'], { name: 'X', color: 'blue' }, context()).ok).toBe(false);
  });
});

describe('deleteCode', () => {
  const codings = [
    coding('a1', 's1', 'access', 'ana', 'd1'),
    coding('a2', 's2', 'access', 'bo', 'd2'),
    coding('c1', 's1', 'compute', 'ana', 'd1'),
    coding('c2', 's4', 'compute', 'bo', 'd1'),
    coding('f1', 's1', 'funding', 'ana', 'd1'),
  ];
  const memos = [memo('ma', 'access'), memo('mc', 'compute'), memo('mf', 'funding')];

  it('deletes the codings and memos and moves the sub-codes up in its place', () => {
    const s = state({ codings, memos });
    const r = ok(deleteCode(s, 'access', { codings: 'delete' }, context()));
    expect(r).toEqual({
      ok: true,
      label: 'Delete “Access”',
      created: [],
      delta: delta({
        codes: {
          put: [
            changed(compute, { parentId: null, order: 0 }, 'Moved to the top level (“Access” was deleted)'),
            changed(data, { parentId: null, order: 1 }, 'Moved to the top level (“Access” was deleted)'),
            changed(funding, { order: 2 }, 'Position changed from 2 to 3'),
            changed(legal, { order: 3 }, 'Position changed from 3 to 4'),
          ],
          remove: ['access'],
        },
        codings: { put: [], remove: ['a1', 'a2'] },
        memos: { put: [], remove: ['ma'] },
      }),
    });
    expect(describeDelete(s, 'access', { codings: 'delete' })).toEqual({
      ok: true,
      codings: 2,
      segments: 2,
      documents: 2,
      collapsed: 0,
      memos: 1,
      children: 2,
      sentence: 'Delete “Access”: its 2 codings in 2 documents will be deleted, 1 memo about it will be deleted, and its 2 sub-codes will move up to the top level of Post-training › Challenge.',
    });
  });

  it('moves the codings to another code (collapsing), re-targets the memos, and moves sub-codes up to the parent', () => {
    const s = state({ codings, memos });
    const r = ok(deleteCode(s, 'compute', { codings: 'move', targetId: 'funding' }, context()));
    expect(r.label).toBe('Delete “Compute”, moving its codings to “Funding”');
    expect(r.delta).toEqual(
      delta({
        codes: {
          put: [
            changed(gpu, { parentId: 'access' }, 'Moved up to “Access” (“Compute” was deleted)'),
            changed(funding, {}, 'Took over the codings of the deleted code “Compute” (1 coding moved, 1 collapsed, 1 memo moved)'),
          ],
          remove: ['compute'],
        },
        codings: { put: [{ ...codings[3]!, codeId: 'funding', modifiedAt: NOW }], remove: ['c1'] },
        memos: { put: [{ ...memos[1]!, targetId: 'funding', modifiedAt: NOW }], remove: [] },
      }),
    );
    expect(describeDelete(s, 'compute', { codings: 'move', targetId: 'funding' })).toEqual({
      ok: true,
      codings: 2,
      segments: 2,
      documents: 1,
      collapsed: 1,
      memos: 1,
      children: 1,
      sentence:
        'Delete “Compute”: its 2 codings in 1 document will move to “Funding” (1 of them repeats a coding of the same text by the same coder and collapses into it), 1 memo about it will move to “Funding”, and its 1 sub-code will move up to “Access”.',
    });
  });

  it('describes a code with nothing attached', () => {
    expect(describeDelete(state(), 'legal', { codings: 'delete' })).toEqual({ ok: true, codings: 0, segments: 0, documents: 0, collapsed: 0, memos: 0, children: 0, sentence: 'Delete “Legal”: it has no codings.' });
    expect(ok(deleteCode(state(), 'legal', { codings: 'delete' }, context())).delta).toEqual(delta({ codes: { put: [], remove: ['legal'] } }));
  });

  it('refuses moving codings to itself, a sub-code or an unknown code, and sub-codes that would clash', () => {
    const s = state();
    expect(deleteCode(s, 'access', { codings: 'move', targetId: 'access' }, context())).toEqual({ ok: false, reason: '“Access” cannot take its own codings; choose another code, or delete the codings.' });
    expect(deleteCode(s, 'access', { codings: 'move', targetId: 'gpu' }, context())).toEqual({ ok: false, reason: '“GPUs” is a sub-code of “Access”; choose a code outside “Access”, or delete the codings.' });
    expect(deleteCode(s, 'access', { codings: 'move', targetId: 'gone' }, context())).toEqual({ ok: false, reason: 'The code to move the codings to no longer exists; it may have been deleted or merged. Close this and try again.' });
    expect(describeDelete(s, 'access', { codings: 'move', targetId: 'gpu' })).toEqual({ ok: false, reason: '“GPUs” is a sub-code of “Access”; choose a code outside “Access”, or delete the codings.' });
    const clash = state({ codes: [...codes, code('top-data', 'DATA', { kind: 'on-ramp', order: 1 })] });
    expect(deleteCode(clash, 'access', { codings: 'delete' }, context())).toEqual({
      ok: false,
      reason: '“Access” has a sub-code “Data” that would move up, and Post-training already has a top-level code of that name; rename one of them first.',
    });
    expect(deleteCode(s, 'nope', { codings: 'delete' }, context())).toEqual({ ok: false, reason: 'That code no longer exists; it may have been deleted or merged. Close this and try again.' });
  });
});

describe('stages', () => {
  it('adds a stage after the others', () => {
    expect(addStage(state(), '  Evaluation ', context())).toEqual({
      ok: true,
      delta: delta({ stages: { put: [{ id: 'n1', studyId: 's', createdAt: NOW, modifiedAt: NOW, createdBy: 'ana', name: 'Evaluation', description: '', order: 3 }], remove: [] } }),
      label: 'Add the stage “Evaluation”',
      created: [],
    });
    expect(ok(addStage(state({ stages: [] }), 'First', context())).delta.stages.put[0]!.order).toBe(0);
    expect(addStage(state(), ' ', context())).toEqual({ ok: false, reason: 'A stage needs a name; type one.' });
    expect(addStage(state(), 'post-TRAINING', context())).toEqual({ ok: false, reason: 'There is already a stage named “post-TRAINING”; choose another name.' });
  });

  it('renames a stage without touching its codes', () => {
    expect(renameStage(state(), 'post', ' After training ', context())).toEqual({
      ok: true,
      delta: delta({ stages: { put: [{ ...stages[1]!, name: 'After training', modifiedAt: NOW }], remove: [] } }),
      label: 'Rename the stage “Post-training” to “After training”',
      created: [],
    });
    expect(renameStage(state(), 'post', 'Post-training', context())).toEqual({ ok: false, reason: 'Nothing to change.' });
    expect(renameStage(state(), 'post', 'pre-training', context())).toEqual({ ok: false, reason: 'There is already a stage named “pre-training”; choose another name.' });
    expect(renameStage(state(), 'post', '', context())).toEqual({ ok: false, reason: 'A stage needs a name; type one.' });
    expect(renameStage(state(), 'gone', 'X', context())).toEqual({ ok: false, reason: 'That stage no longer exists; it may have been deleted. Close this and try again.' });
  });

  it('moves a stage and renumbers the changed ones', () => {
    expect(ok(moveStage(state(), 'rel', 0, context())).delta.stages.put.map((s) => [s.id, s.order, s.modifiedAt])).toEqual([
      ['rel', 0, NOW],
      ['pre', 1, NOW],
      ['post', 2, NOW],
    ]);
    const r = ok(moveStage(state(), 'pre', 1, context()));
    expect(r.delta.stages.put.map((s) => [s.id, s.order])).toEqual([
      ['post', 0],
      ['pre', 1],
    ]);
    expect(r.label).toBe('Move the stage “Pre-training”');
    expect(moveStage(state(), 'rel', 10, context())).toEqual({ ok: false, reason: 'Nothing to change.' });
  });

  it('deletes an unused stage and refuses one that codes or ties use', () => {
    expect(deleteStage(state(), 'rel', context())).toEqual({ ok: true, delta: delta({ stages: { put: [], remove: ['rel'] } }), label: 'Delete the stage “Post-release”', created: [] });
    expect(deleteStage(state({ ties: [tie('t1', 'post')] }), 'post', context())).toEqual({
      ok: false,
      reason: 'The stage “Post-training” is still used by 7 codes and 1 tie; move those codes to another stage or to cross-stage and that tie to another stage first.',
    });
    expect(deleteStage(state({ ties: [tie('t1', 'rel'), tie('t2', 'rel')] }), 'rel', context())).toEqual({
      ok: false,
      reason: 'The stage “Post-release” is still used by 2 ties; move those ties to another stage first.',
    });
    expect(deleteStage(state({ codes: [docs, code('one', 'One', { stageId: 'pre' })] }), 'pre', context())).toEqual({
      ok: false,
      reason: 'The stage “Pre-training” is still used by 1 code; move that code to another stage or to cross-stage first.',
    });
  });
});

describe('merge and delete keep codings consistent (property)', () => {
  const SIZE = 7;
  const ids = Array.from({ length: SIZE }, (_, i) => `c${i}`);
  const world = fc
    .record({
      parents: fc.tuple(...ids.map((_, i) => fc.integer({ min: -1, max: i - 1 }))),
      kinds: fc.array(fc.constantFrom<CodeKind>('challenge', 'on-ramp', 'other'), { minLength: SIZE, maxLength: SIZE }),
      codings: fc.uniqueArray(
        fc.record({ segment: fc.integer({ min: 0, max: 5 }), code: fc.integer({ min: 0, max: SIZE - 1 }), coder: fc.constantFrom('ana', 'bo'), day: fc.integer({ min: 1, max: 28 }) }),
        { selector: (c) => `${c.segment}/${c.code}/${c.coder}`, maxLength: 40 },
      ),
      memoTargets: fc.array(fc.integer({ min: 0, max: SIZE - 1 }), { maxLength: 5 }),
    })
    .map(({ parents, kinds, codings, memoTargets }): CodebookState => {
      const list = ids.map((id, i) => code(id, `Code ${i}`, { parentId: parents[i]! >= 0 ? ids[parents[i]!]! : null, kind: kinds[i]!, order: i }));
      // A sub-code has its parent's kind (parents come first).
      for (const c of list) if (c.parentId !== null) c.kind = list.find((p) => p.id === c.parentId)!.kind;
      return state({
        codes: list,
        codings: codings.map((c, i) => coding(`k${i}`, `s${c.segment}`, ids[c.code]!, c.coder, `d${c.segment % 3}`, `2026-01-${String(c.day).padStart(2, '0')}T00:00:00.000Z`)),
        memos: memoTargets.map((t, i) => memo(`m${i}`, ids[t]!)),
      });
    });
  const operation = fc.oneof(
    fc.record({ op: fc.constant('merge' as const), sources: fc.uniqueArray(fc.integer({ min: 0, max: SIZE - 1 }), { minLength: 1, maxLength: 3 }), target: fc.integer({ min: 0, max: SIZE - 1 }) }),
    fc.record({ op: fc.constant('delete' as const), code: fc.integer({ min: 0, max: SIZE - 1 }), move: fc.option(fc.integer({ min: 0, max: SIZE - 1 })) }),
  );

  function apply<T extends { id: string }>(records: readonly T[], change: { put: T[]; remove: string[] }): T[] {
    const removed = new Set(change.remove);
    const put = new Map(change.put.map((r) => [r.id, r]));
    const next = records.filter((r) => !removed.has(r.id)).map((r) => put.get(r.id) ?? r);
    for (const r of change.put) if (!records.some((o) => o.id === r.id)) next.push(r);
    return next;
  }

  it('never leaves a coding of a removed code or a repeated (segment, code, coder), and keeps other codes’ codings', () => {
    fc.assert(
      fc.property(world, operation, (s, op) => {
        let result: CodebookResult;
        let described: ReturnType<typeof describeMerge>;
        let concerned: Set<string>;
        if (op.op === 'merge') {
          const sources = op.sources.map((i) => ids[i]!);
          const target = ids[op.target]!;
          result = mergeCodes(s, sources, target, context());
          described = describeMerge(s, sources, target);
          concerned = new Set([...sources, target]);
        } else {
          const choice = op.move === null ? { codings: 'delete' as const } : { codings: 'move' as const, targetId: ids[op.move]! };
          result = deleteCode(s, ids[op.code]!, choice, context());
          described = describeDelete(s, ids[op.code]!, choice);
          concerned = new Set([ids[op.code]!, ...(op.move === null ? [] : [ids[op.move]!])]);
        }
        // The confirmation refuses exactly when the operation does, with the same words.
        expect(described.ok).toBe(result.ok);
        if (!result.ok || !described.ok) {
          expect(described).toEqual(result);
          return;
        }
        const codesAfter = apply(s.codes, result.delta.codes);
        const codingsAfter = apply(s.codings, result.delta.codings);
        const alive = new Set(codesAfter.map((c) => c.id));
        for (const c of codingsAfter) expect(alive.has(c.codeId)).toBe(true);
        const keys = codingsAfter.map((c) => `${c.segmentId}/${c.codeId}/${c.coderId}`);
        expect(new Set(keys).size).toBe(keys.length);
        for (const c of s.codings) if (!concerned.has(c.codeId)) expect(codingsAfter).toContainEqual(c);
        for (const c of codesAfter) if (c.parentId !== null) expect(alive.has(c.parentId)).toBe(true);
        for (const m of apply(s.memos, result.delta.memos)) expect(alive.has(m.targetId)).toBe(true);
        // What was promised is what happened.
        expect(result.delta.codings.remove.length).toBe(op.op === 'delete' && op.move === null ? described.codings : described.collapsed);
        expect(result.delta.codings.put.length + result.delta.codings.remove.length).toBe(described.codings);
        // Every code is still unique in its sibling list's numbering.
        const groups = new Map<string, number[]>();
        for (const c of codesAfter) {
          const key = c.parentId ?? `${c.stageId}/${c.kind}`;
          groups.set(key, [...(groups.get(key) ?? []), c.order]);
        }
        for (const orders of groups.values()) expect(new Set(orders).size).toBe(orders.length);
      }),
      { numRuns: 400 },
    );
  });
});

describe('deleting a stage that position overrides use', () => {
  it('refuses, naming the overrides and what to do', async () => {
    const { addStage, deleteStage } = await import('./operations.ts');
    const ctx = { newId: () => 'new-stage', now: '2026-01-01T00:00:00.000Z', coderId: null };
    const base = { studyId: 's', stages: [], codes: [], codings: [], memos: [], ties: [] };
    const added = addStage(base, 'Deployment', ctx);
    if (!added.ok) throw new Error(added.reason);
    const stages = added.delta.stages.put;
    const result = deleteStage({ ...base, stages, overrides: [{ stageId: 'new-stage' }, { stageId: 'new-stage' }] }, 'new-stage', ctx);
    expect(result).toEqual({ ok: false, reason: 'The stage “Deployment” is still used by 2 position overrides; clear those overrides in Maps first.' });
  });
});
