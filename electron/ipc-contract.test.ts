import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MENU_COMMANDS } from '../shared/platform/bridge.ts';
import {
  ALL_CHANNELS,
  IpcArgumentError,
  INVOKE_CHANNELS,
  MAX_FILE_BYTES,
  MENU_COMMAND_CHANNEL,
  fileNameProblem,
  openedFileSizeProblem,
  parseNoArgs,
  parseOpenFilesArgs,
  parseRevealFileArgs,
  parseSaveFileArgs,
  parseListBackupsArgs,
  parseReadBackupArgs,
  parseWriteStudyBackupArgs,
} from './ipc-contract.ts';

const preload = readFileSync(new URL('./preload.cts', import.meta.url), 'utf8');
const studyFilter = { name: 'Cartography study', extensions: ['cartography.json', 'json'] };
const absolute = path.resolve('/home/researcher/study.cartography.json');

describe('the preload and ipc-contract.ts agree', () => {
  it('the preload uses exactly the channel names of ipc-contract.ts', () => {
    const used = new Set(preload.match(/'cartography:[a-z-]+'/g)?.map((quoted) => quoted.slice(1, -1)));
    expect([...used].sort()).toEqual([...ALL_CHANNELS].sort());
    expect(ALL_CHANNELS).toContain(MENU_COMMAND_CHANNEL);
    expect(new Set(ALL_CHANNELS).size).toBe(ALL_CHANNELS.length);
  });

  it('the preload forwards exactly the MenuCommands of bridge.ts', () => {
    const block = /const MENU_COMMANDS[^=]*= \[([^\]]*)\]/.exec(preload)?.[1] ?? '';
    expect(block.match(/'[a-z-]+'/g)?.map((quoted) => quoted.slice(1, -1))).toEqual([...MENU_COMMANDS]);
  });

  it('the preload exposes the bridge under BRIDGE_GLOBAL and never exposes ipcRenderer', () => {
    expect(preload).toContain("contextBridge.exposeInMainWorld('cartography', bridge)");
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer/);
    expect(preload).not.toMatch(/require\((?!'electron')/);
  });

  it('has one invoke channel per bridge request method', () => {
    expect(Object.keys(INVOKE_CHANNELS).sort()).toEqual([
      'appInfo',
      'backupsFolder',
      'closePresenterNotes',
      'openFiles',
      'openPresenterNotes',
      'listBackups',
      'readBackup',
      'revealFile',
      'saveFile',
      'writeStudyBackup',
    ].sort());
  });

  it('names the speaker notes window channels, and the preload invokes each with no argument', () => {
    expect(INVOKE_CHANNELS.openPresenterNotes).toBe('cartography:open-presenter-notes');
    expect(INVOKE_CHANNELS.closePresenterNotes).toBe('cartography:close-presenter-notes');
    expect(preload).toContain('openPresenterNotes: () => ipcRenderer.invoke(CHANNELS.openPresenterNotes) as Promise<boolean>');
    expect(preload).toContain('closePresenterNotes: () => ipcRenderer.invoke(CHANNELS.closePresenterNotes) as Promise<void>');
  });
});

describe('parseNoArgs', () => {
  it('accepts no arguments and rejects any', () => {
    expect(() => parseNoArgs('appInfo', [])).not.toThrow();
    expect(() => parseNoArgs('appInfo', ['x'])).toThrow('appInfo: expected 0 arguments, got 1');
  });

  it.each(['openPresenterNotes', 'closePresenterNotes'])('%s takes no argument: a URL, bounds or options from the page are refused', (channel) => {
    expect(() => parseNoArgs(channel, [])).not.toThrow();
    for (const args of [['app://cartography/index.html#/presenter-notes'], [{ width: 10, height: 10 }], [undefined], [true, false]]) {
      expect(() => parseNoArgs(channel, args)).toThrow(IpcArgumentError);
      expect(() => parseNoArgs(channel, args)).toThrow(`${channel}: expected 0 arguments, got ${args.length}`);
    }
  });
});

describe('parseOpenFilesArgs', () => {
  it('returns the options when they are well formed', () => {
    expect(parseOpenFilesArgs([{ title: 'Import study', filters: [studyFilter], multiple: false }])).toEqual({
      title: 'Import study',
      filters: [studyFilter],
      multiple: false,
    });
    expect(parseOpenFilesArgs([{ title: '', filters: [{ name: 'All files', extensions: ['*'] }], multiple: true }]).multiple).toBe(true);
  });

  it.each([
    [[], 'openFiles: expected 1 argument, got 0'],
    [[null], 'openFiles options: expected an object'],
    [[[]], 'openFiles options: expected an object'],
    [[{ title: 1, filters: [], multiple: false }], 'openFiles options.title: expected a string'],
    [[{ title: 'x'.repeat(201), filters: [], multiple: false }], 'openFiles options.title: longer than 200 characters'],
    [[{ title: 't', filters: 'json', multiple: false }], 'openFiles options.filters: expected an array of filters'],
    [[{ title: 't', filters: Array(11).fill(studyFilter), multiple: false }], 'openFiles options.filters: more than 10 filters'],
    [[{ title: 't', filters: [{ name: 'x', extensions: [] }], multiple: false }], 'openFiles options.filters[0].extensions: expected a non-empty array'],
    [[{ title: 't', filters: [{ name: 'x', extensions: ['.json'] }], multiple: false }], 'openFiles options.filters[0].extensions: ".json" is not an extension'],
    [[{ title: 't', filters: [{ name: 'x', extensions: ['../x'] }], multiple: false }], 'is not an extension'],
    [[{ title: 't', filters: [{ name: 'x', extensions: ['a..b'] }], multiple: false }], 'is not an extension'],
    [[{ title: 't', filters: [{ name: 'x', extensions: [7] }], multiple: false }], 'is not an extension'],
    [[{ title: 't', filters: [{ name: '', extensions: ['json'] }], multiple: false }], 'openFiles options.filters[0].name: must not be empty'],
    [[{ title: 't', filters: [{ name: 'x', extensions: ['json'], path: '/' }], multiple: false }], 'openFiles options.filters[0]: unexpected field "path"'],
    [[{ title: 't', filters: [], multiple: 'yes' }], 'openFiles options.multiple: expected true or false'],
    [[{ title: 't', filters: [], multiple: false, defaultPath: '/etc' }], 'openFiles options: unexpected field "defaultPath"'],
  ])('rejects %j', (args, message) => {
    expect(() => parseOpenFilesArgs(args)).toThrow(IpcArgumentError);
    expect(() => parseOpenFilesArgs(args)).toThrow(message);
  });
});

describe('parseSaveFileArgs', () => {
  const bytes = new Uint8Array([123, 125]);
  const valid = { title: 'Export study', suggestedName: 'Interviews.cartography.json', filters: [studyFilter], bytes };

  it('returns the options when they are well formed', () => {
    expect(parseSaveFileArgs([valid])).toEqual(valid);
  });

  it('rejects bytes that are not a Uint8Array', () => {
    expect(() => parseSaveFileArgs([{ ...valid, bytes: [1, 2] }])).toThrow('saveFile options.bytes: expected a Uint8Array');
    expect(() => parseSaveFileArgs([{ ...valid, bytes: '{}' }])).toThrow('saveFile options.bytes: expected a Uint8Array');
    expect(() => parseSaveFileArgs([{ ...valid, bytes: new ArrayBuffer(2) }])).toThrow('saveFile options.bytes: expected a Uint8Array');
  });

  it('rejects bytes over the size limit without copying them', () => {
    const huge = { byteLength: MAX_FILE_BYTES + 1 };
    Object.setPrototypeOf(huge, Uint8Array.prototype);
    expect(() => parseSaveFileArgs([{ ...valid, bytes: huge }])).toThrow('saveFile options.bytes: 512 MB is more than the 512 MB limit');
  });

  it.each(['../escape.json', 'sub/dir.json', 'C:\\x.json', '', '.hidden', 'name.', 'CON.json', 'a\u0000b'])('rejects the suggested name %j', (suggestedName) => {
    expect(() => parseSaveFileArgs([{ ...valid, suggestedName }])).toThrow('saveFile options.suggestedName');
  });
});

describe('parseRevealFileArgs', () => {
  it('accepts an absolute path', () => {
    expect(parseRevealFileArgs([absolute])).toBe(absolute);
  });

  it.each([[['relative/study.json']], [[42]], [['']], [[`${absolute}\u0000`]], [['x'.repeat(5000)]], [[absolute, 'extra']]])('rejects %j', (args) => {
    expect(() => parseRevealFileArgs(args)).toThrow(/^revealFile/);
  });
});

describe('file names from the page', () => {
  it.each(['Interviews 2025-03-01T10-00.cartography.json', 'backup.json', 'Étude (copie).cartography.json'])('accepts %j', (name) => {
    expect(fileNameProblem(name)).toBeNull();
  });

  it.each([
    ['../../.bashrc', 'must be a plain file name, without / or \\'],
    ['..json', 'must not contain ".."'],
    ['a..b.json', 'must not contain ".."'],
    ['dir/backup.json', 'must be a plain file name, without / or \\'],
    ['dir\\backup.json', 'must be a plain file name, without / or \\'],
    ['.json', 'must not start with a dot'],
    ['nul.json', 'is a reserved device name on Windows'],
    ['a:b.json', 'contains a character that is not allowed in file names'],
    ['', 'must not be empty'],
    [`${'x'.repeat(200)}.json`, 'longer than 200 characters'],
  ])('rejects %j (%s)', (name, problem) => {
    expect(fileNameProblem(name)).toBe(problem);
  });
});

describe('fileNameProblem', () => {
  it('accepts ordinary names with spaces, dashes and accents', () => {
    expect(fileNameProblem('Mémo — projet A.cartography.json')).toBeNull();
  });
});

describe('openedFileSizeProblem', () => {
  it('allows files up to 512 MB in total up to 1 GB', () => {
    expect(openedFileSizeProblem('a.json', MAX_FILE_BYTES, 0)).toBeNull();
  });

  it('explains a file that is too large', () => {
    expect(openedFileSizeProblem('big.json', 600 * 1024 * 1024, 0)).toBe('"big.json" is 600 MB; Cartography opens files up to 512 MB.');
  });

  it('explains a selection that is too large in total', () => {
    expect(openedFileSizeProblem('c.json', 300 * 1024 * 1024, 800 * 1024 * 1024)).toBe('The chosen files add up to more than 1024 MB; open fewer at a time.');
  });
});

describe('parseWriteStudyBackupArgs', () => {
  const request = { studyId: 'a1b2c3d4-0000-4000-8000-000000000001', studyName: 'Open models', bytes: new Uint8Array([123, 125]), keep: 10 };

  it('accepts a study GUID, its name, the bytes and how many backups to keep', () => {
    expect(parseWriteStudyBackupArgs([request])).toEqual(request);
    expect(parseWriteStudyBackupArgs([{ ...request, studyName: '' }]).studyName).toBe('');
  });

  it('takes no file name or path from the page: main names the file', () => {
    expect(() => parseWriteStudyBackupArgs([{ ...request, fileName: '../../evil.json' }])).toThrow('writeStudyBackup request: unexpected field "fileName"');
    expect(() => parseWriteStudyBackupArgs([{ ...request, studyId: '../x' }])).toThrow('writeStudyBackup request.studyId: "../x" is not a study GUID');
  });

  it.each([0, 101, 2.5, '10', null])('refuses keep = %j (1 to 100)', (keep) => {
    expect(() => parseWriteStudyBackupArgs([{ ...request, keep }])).toThrow('writeStudyBackup request.keep: expected a whole number from 1 to 100');
  });

  it('refuses bytes that are not a Uint8Array, and a wrong number of arguments', () => {
    expect(() => parseWriteStudyBackupArgs([{ ...request, bytes: [1, 2] }])).toThrow('writeStudyBackup request.bytes: expected a Uint8Array');
    expect(() => parseWriteStudyBackupArgs([request, request])).toThrow('writeStudyBackup: expected 1 argument, got 2');
    expect(() => parseWriteStudyBackupArgs([])).toThrow(IpcArgumentError);
  });
});

describe('parseListBackupsArgs', () => {
  it('takes a study GUID or null (every study)', () => {
    expect(parseListBackupsArgs(['A1B2C3D4-0000-4000-8000-000000000001'])).toBe('A1B2C3D4-0000-4000-8000-000000000001');
    expect(parseListBackupsArgs([null])).toBeNull();
  });

  it.each([[[]], [[undefined]], [['/home']], [[42]]])('refuses %j', (args) => {
    expect(() => parseListBackupsArgs(args)).toThrow(IpcArgumentError);
  });
});

describe('parseReadBackupArgs', () => {
  it('accepts only names the backup policy makes', () => {
    expect(parseReadBackupArgs(['open-models-a1b2c3d4-20260131T093000Z.cartography.json'])).toBe('open-models-a1b2c3d4-20260131T093000Z.cartography.json');
  });

  it.each([
    ['../open-models-a1b2c3d4-20260131T093000Z.cartography.json', 'must be a plain file name'],
    ['/etc/passwd', 'must be a plain file name'],
    ['C:\\backups\\open-models-a1b2c3d4-20260131T093000Z.cartography.json', 'must be a plain file name'],
    ['notes.json', 'is not the name of a Cartography backup'],
    ['open-models-a1b2c3d4-20261331T093000Z.cartography.json', 'is not the name of a Cartography backup'],
  ])('refuses %s', (name, message) => {
    expect(() => parseReadBackupArgs([name])).toThrow(message);
    expect(() => parseReadBackupArgs([name])).toThrow(/^readBackup fileName: /);
  });

  it('refuses anything but one string', () => {
    expect(() => parseReadBackupArgs([])).toThrow('readBackup: expected 1 argument, got 0');
    expect(() => parseReadBackupArgs([{ name: 'x' }])).toThrow('readBackup fileName: expected a string');
  });
});
