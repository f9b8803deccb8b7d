import { describe, expect, it } from 'vitest';
import { readStudyFile } from '../study-file/read.ts';
import { guidFromBytes } from './ids.ts';
import { checkStudyRecords } from './integrity.ts';
import type { StudyRecords } from './types.ts';

let counter = 0;
const newId = () => guidFromBytes(Uint8Array.from({ length: 16 }, (_, i) => (i === 15 ? ++counter % 256 : i === 14 ? Math.floor(counter / 256) : 3)));
const MISSING = '99999999-9999-4999-8999-999999999999';

const study = (): StudyRecords =>
  readStudyFile(
    JSON.stringify({
      format: 'cartography-study',
      version: 1,
      study: { name: 'Integrity' },
      coders: [{ key: 'r1', name: 'Ana' }],
      stages: [{ key: 'pre', name: 'Pre-training' }, { key: 'post', name: 'Post-release' }],
      cases: [{ key: 'c1', name: 'One' }, { key: 'c2', name: 'Two' }],
      codes: [{ key: 'k', name: 'Secrecy', kind: 'challenge' }],
      documents: [{ key: 'd1', title: 'Interview', case: 'c1', text: 'P01: We keep it secret.' }],
      codings: [{ document: 'd1', quote: 'keep it secret', code: 'k' }],
      memos: [{ target: { type: 'case', key: 'c1' }, text: 'A public body.' }],
      overrides: [
        { case: 'c1', stage: 'pre', value: -0.5, justification: 'Closed in practice.' },
        { case: 'c2', stage: 'post', value: 1, justification: 'Everyone forks it.' },
      ],
    }),
    'integrity.json',
    { now: '2026-01-01T00:00:00.000Z', newId },
  );

describe('checkStudyRecords', () => {
  it('accepts an override and its justification memo pointing at each other', () => {
    const r = study();
    expect(r.overrides).toHaveLength(2);
    expect(checkStudyRecords(r)).toEqual([]);
    // the order of the collections does not matter: every id is known before references are followed
    expect(checkStudyRecords({ ...r, overrides: [...r.overrides].reverse(), memos: [...r.memos].reverse() })).toEqual([]);
  });

  it('needs the override’s case, stage and memo to exist in the study', () => {
    const r = study();
    const memoId = r.overrides[0]!.memoId;
    r.overrides[0] = { ...r.overrides[0]!, caseId: MISSING, stageId: MISSING };
    r.overrides[1] = { ...r.overrides[1]!, memoId: MISSING };
    // the memo of overrides[1] is now no override's justification
    expect(checkStudyRecords(r)).toEqual([
      { path: 'memos[2]', message: 'is about a position override but is not its justification (an override has one memo)' },
      { path: 'overrides[0].caseId', message: `refers to a case that does not exist (${MISSING})` },
      { path: 'overrides[0].stageId', message: `refers to a stage that does not exist (${MISSING})` },
      { path: 'overrides[1].memoId', message: `refers to a memo that does not exist (${MISSING}); an override needs its justification` },
    ]);
    expect(r.memos[1]!.id).toBe(memoId);
  });

  it('keeps the value a finite number from −1 to 1', () => {
    for (const value of [1.01, -1.5, Number.NaN, Number.POSITIVE_INFINITY, '0.5' as unknown as number]) {
      const r = study();
      r.overrides[0]!.value = value;
      expect(checkStudyRecords(r), String(value)).toEqual([{ path: 'overrides[0].value', message: `must be a number from −1 to 1, not ${String(value)}` }]);
    }
    const r = study();
    r.overrides[0]!.value = -1;
    r.overrides[1]!.value = 0;
    expect(checkStudyRecords(r)).toEqual([]);
  });

  it('allows one override per case and stage', () => {
    const r = study();
    r.overrides[1] = { ...r.overrides[1]!, caseId: r.overrides[0]!.caseId, stageId: r.overrides[0]!.stageId };
    expect(checkStudyRecords(r)).toEqual([{ path: 'overrides[1]', message: 'overrides the position of a case at a stage that another override already sets' }]);
  });

  it('needs the memo to be a position memo about the override', () => {
    const r = study();
    const caseMemo = r.memos[0]!;
    r.overrides[0] = { ...r.overrides[0]!, memoId: caseMemo.id };
    r.overrides[1] = { ...r.overrides[1]!, memoId: r.memos[1]!.id };
    // both position memos are now about an override that names another memo
    expect(checkStudyRecords(r)).toEqual([
      { path: 'memos[1]', message: 'is about a position override but is not its justification (an override has one memo)' },
      { path: 'memos[2]', message: 'is about a position override but is not its justification (an override has one memo)' },
      { path: 'overrides[0].memoId', message: 'refers to a memo that is not about this override' },
      { path: 'overrides[1].memoId', message: 'refers to a memo that is not about this override' },
    ]);
  });

  it('needs a position memo to point at an existing override whose justification it is', () => {
    const r = study();
    r.memos.push({ ...r.memos[1]!, id: newId(), targetId: MISSING });
    r.memos.push({ ...r.memos[1]!, id: newId() });
    expect(checkStudyRecords(r)).toEqual([
      { path: 'memos[3].targetId', message: `refers to a position override that does not exist (${MISSING})` },
      { path: 'memos[4]', message: 'is about a position override but is not its justification (an override has one memo)' },
    ]);
  });

  it('checks that an override belongs to the study and has an id of its own', () => {
    const r = study();
    r.overrides[0]!.studyId = MISSING;
    r.overrides[1]!.id = r.cases[0]!.id;
    const paths = checkStudyRecords(r).map((p) => p.path);
    expect(paths).toContain('overrides[0].studyId');
    expect(paths).toContain('overrides[1].id');
  });
});
