import { describe, expect, it } from 'vitest';
import { guidFromBytes } from '../../shared/model/ids.ts';
import { MAX_SETTING_CHARS, MAX_SETTINGS, StudyFileError, type StudyFileProblem } from '../../shared/study-file/format.ts';
import { readStudyFile, readStudyFileContents } from '../../shared/study-file/read.ts';
import { writeStudyFile } from '../../shared/study-file/write.ts';

let counter = 0;
const newId = () => guidFromBytes(Uint8Array.from({ length: 16 }, (_, i) => (i === 15 ? ++counter % 256 : i === 14 ? Math.floor(counter / 256) : 7)));
const options = { now: '2026-01-01T00:00:00.000Z', newId };

const CODE = '0c0c0c0c-0000-4000-8000-000000000001';
const ACTOR = 'acac0000-0000-4000-8000-000000000002';
const file = (settings?: unknown) => ({
  format: 'cartography-study',
  version: 1,
  study: { id: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee', name: 'Settings' },
  coders: [{ key: 'r1', name: 'Ana' }],
  stages: [{ key: 'pre', name: 'Pre-training' }],
  codes: [{ key: 'k', id: CODE, name: 'Secrecy', stage: 'pre', kind: 'challenge' }],
  actors: [{ key: 'a', id: ACTOR, name: 'OLMo', type: 'project' }],
  ...(settings === undefined ? {} : { settings }),
});

const views = [{ name: 'Licences', config: { metric: 'segments', codeIds: [CODE] } }];
const settings = {
  'matrix-views': views,
  'network-positions': { [ACTOR]: { x: 10, y: -4.5 } },
  recentCodes: [CODE],
  coderConfirmed: true,
  'deck-theme': 'dark',
  'report-options': null,
};

function problemsOf(value: unknown): StudyFileProblem[] {
  try {
    readStudyFileContents(JSON.stringify(value), 'bad.cartography.json', options);
  } catch (error) {
    if (error instanceof StudyFileError) return error.problems;
    throw error;
  }
  throw new Error('expected the file to be rejected');
}

describe('the settings of a study file', () => {
  it('are read by name, every JSON value kept as it is', () => {
    expect(readStudyFileContents(JSON.stringify(file(settings)), 'a.json', options).settings).toEqual(settings);
  });

  it('are optional: files written before them read with none, as they always did', () => {
    counter = 0;
    const contents = readStudyFileContents(JSON.stringify(file()), 'a.json', options);
    expect(contents.settings).toEqual({});
    counter = 0;
    expect(contents.records).toEqual(readStudyFile(JSON.stringify(file()), 'a.json', options));
  });

  it('round-trip through writeStudyFile, in name order, and are left out when there are none', () => {
    const { records } = readStudyFileContents(JSON.stringify(file()), 'a.json', options);
    const written = writeStudyFile(records, settings);
    expect(Object.keys(written.settings!)).toEqual(['coderConfirmed', 'deck-theme', 'matrix-views', 'network-positions', 'recentCodes', 'report-options']);
    expect(readStudyFileContents(JSON.stringify(written), 'a.json', options)).toEqual({ records, settings });
    expect('settings' in writeStudyFile(records)).toBe(false);
    expect('settings' in writeStudyFile(records, {})).toBe(false);
  });

  it('follow a copy to its new GUIDs: ids in values and in object keys are renamed, other text is not', () => {
    const copy = readStudyFileContents(JSON.stringify(file({ ...settings, note: { text: CODE.toUpperCase(), other: 'ffffffff-0000-4000-8000-000000000009' } })), 'a.json', { ...options, freshIds: true });
    const newCode = copy.records.codes[0]!.id;
    const newActor = copy.records.actors[0]!.id;
    expect(newCode).not.toBe(CODE);
    expect(copy.settings['matrix-views']).toEqual([{ name: 'Licences', config: { metric: 'segments', codeIds: [newCode] } }]);
    expect(copy.settings['network-positions']).toEqual({ [newActor]: { x: 10, y: -4.5 } });
    expect(copy.settings['recentCodes']).toEqual([newCode]);
    // A GUID the file gives no record stays as it is.
    expect(copy.settings['note']).toEqual({ text: newCode, other: 'ffffffff-0000-4000-8000-000000000009' });
  });

  it('must be an object', () => {
    expect(problemsOf(file([1, 2]))).toEqual([{ path: 'settings', message: 'must be an object' }]);
    expect(problemsOf(file('views'))).toEqual([{ path: 'settings', message: 'must be an object' }]);
  });

  it('have names like the settings store keys, without a study id', () => {
    expect(problemsOf(file({ '': 1, '1st': 2, 'has space': 3, ':aaaa': 4, ok: 5 })).map((p) => p.path)).toEqual(['settings.', 'settings.1st', 'settings.has space', 'settings.:aaaa']);
    expect(problemsOf(file({ 'bad name': 1 }))[0]!.message).toBe('"bad name" is not a setting name (a letter, then letters, digits, "_", ".", ":" or "-"; at most 100 characters)');
  });

  it('are bounded in number, size and depth', () => {
    const many = Object.fromEntries(Array.from({ length: MAX_SETTINGS + 1 }, (_, i) => [`s${i}`, i]));
    expect(problemsOf(file(many))).toEqual([{ path: 'settings', message: `holds ${MAX_SETTINGS + 1} settings; a study file holds at most ${MAX_SETTINGS}` }]);
    expect(problemsOf(file({ big: 'x'.repeat(MAX_SETTING_CHARS) }))).toEqual([{ path: 'settings.big', message: `is ${MAX_SETTING_CHARS + 2} characters of JSON; a setting holds at most ${MAX_SETTING_CHARS}` }]);
    let deep: unknown = 1;
    for (let i = 0; i < 40; i += 1) deep = [deep];
    expect(problemsOf(file({ deep }))).toEqual([{ path: 'settings.deep', message: 'nests lists and objects more than 32 deep' }]);
  });

  it('are reported together with the problems of the records', () => {
    const bad = { ...file({ 'no good': 1 }), codes: [{ key: 'k', name: 'Secrecy', stage: 'nowhere', kind: 'challenge' }] };
    expect(problemsOf(bad).map((p) => p.path)).toEqual(['codes[0].stage', 'settings.no good']);
  });
});

describe('the study section', () => {
  it('keeps who created the study and the active coder', () => {
    const twoCoders = { ...file(), study: { ...file().study, createdBy: 'r2', activeCoder: 'r2' }, coders: [{ key: 'r1', name: 'Ana' }, { key: 'r2', name: 'Ben' }] };
    const { records } = readStudyFileContents(JSON.stringify(twoCoders), 'a.json', options);
    const ben = records.coders[1]!.id;
    expect([records.study.createdBy, records.study.activeCoderId]).toEqual([ben, ben]);
    const again = readStudyFile(JSON.stringify(writeStudyFile(records)), 'a.json', options);
    expect([again.study.createdBy, again.study.activeCoderId]).toEqual([ben, ben]);
  });

  it('refuses an active coder the file does not define', () => {
    expect(problemsOf({ ...file(), study: { ...file().study, activeCoder: 'zed' } })).toEqual([{ path: 'study.activeCoder', message: 'refers to coder "zed", which the file does not define' }]);
  });
});

describe('an empty file', () => {
  it('says it is empty rather than that it is not JSON', () => {
    expect(() => readStudyFile('', 'empty.cartography.json', options)).toThrow('empty.cartography.json is not a valid Cartography study file: (file): is empty.');
    expect(() => readStudyFile(' \n', 'empty.cartography.json', options)).toThrow(/is empty/);
  });
});
