import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CartographyDb } from '../../data/db.ts';
import { cleanReportSettings, DEFAULT_REPORT_SETTINGS, getReportPins, getReportSettings, saveCodePins, saveReportSettings } from '../../data/reports.ts';
import { deleteStudy, getSetting, importStudyFile, putSetting } from '../../data/studies.ts';
import { parseTerms } from '../../../shared/reports/terms.ts';
import { reportSelection } from './report-selection.ts';

const file = JSON.stringify({
  format: 'cartography-study',
  version: 1,
  study: { name: 'Report settings' },
  coders: [{ key: 'ana', name: 'Ana' }],
  stages: [
    { key: 'pre', name: 'Pre-training' },
    { key: 'post', name: 'Post-release' },
  ],
  codes: [
    { key: 'a', name: 'Secrecy', stage: 'pre', kind: 'challenge' },
    { key: 'b', name: 'Compute', stage: 'pre', kind: 'on-ramp' },
    { key: 'c', name: 'Feedback', stage: 'post', kind: 'on-ramp' },
    { key: 'x', name: 'Funding', kind: 'other' },
  ],
});

let db: CartographyDb;
let studyId: string;
beforeEach(async () => {
  db = new CartographyDb(`reports-${Math.random()}`);
  await db.open();
  studyId = await importStudyFile(db, file, 'report.cartography.json');
});
afterEach(async () => {
  await db.delete();
});

describe('report settings and pins', () => {
  it('keeps pins per code in order under report-pins:<studyId>, and an empty list unpins', async () => {
    expect(await getReportPins(db, studyId)).toEqual({});
    await saveCodePins(db, studyId, 'code-a', ['s3', 's1', 's3']);
    expect(await saveCodePins(db, studyId, 'code-b', ['s2'])).toEqual({ 'code-a': ['s3', 's1'], 'code-b': ['s2'] });
    expect(await getSetting(db, `report-pins:${studyId}`)).toEqual({ 'code-a': ['s3', 's1'], 'code-b': ['s2'] });
    expect(await saveCodePins(db, studyId, 'code-a', [])).toEqual({ 'code-b': ['s2'] });
  });

  it('remembers the options per study and cleans what it reads back', async () => {
    expect(await getReportSettings(db, studyId)).toEqual(DEFAULT_REPORT_SETTINGS);
    const mine = { ...DEFAULT_REPORT_SETTINGS, format: 'pdf' as const, excludedStages: ['cross-stage'], exemplars: 4, includeMaps: true, terms: 'Acme => a lab' };
    await saveReportSettings(db, studyId, mine);
    expect(await getReportSettings(db, studyId)).toEqual(mine);
    await putSetting(db, `report-options:${studyId}`, { format: 'rtf', exemplars: 99, excludedCodes: ['a', 3], includeMatrix: 'yes' });
    expect(await getReportSettings(db, studyId)).toEqual({ ...DEFAULT_REPORT_SETTINGS, exemplars: 10, excludedCodes: ['a'] });
    expect(cleanReportSettings('nonsense')).toEqual(DEFAULT_REPORT_SETTINGS);
  });

  it('refuses to save for a study that is gone, and the study’s deletion takes its report settings', async () => {
    await saveCodePins(db, studyId, 'code-a', ['s1']);
    await saveReportSettings(db, studyId, DEFAULT_REPORT_SETTINGS);
    await deleteStudy(db, studyId);
    expect(await getSetting(db, `report-pins:${studyId}`)).toBeUndefined();
    expect(await getSetting(db, `report-options:${studyId}`)).toBeUndefined();
    await expect(saveCodePins(db, studyId, 'code-a', ['s1'])).rejects.toThrow('That study no longer exists.');
  });
});

describe('reportSelection', () => {
  const core = async () => ({ stages: await db.stages.where('studyId').equals(studyId).toArray(), codes: await db.codes.where('studyId').equals(studyId).toArray() });

  it('groups the codes by stage, cross-stage last, and takes everything by default', async () => {
    const { stages, codes } = await core();
    const all = reportSelection(stages, codes, DEFAULT_REPORT_SETTINGS);
    expect(all.groups.map((g) => [g.name, g.codes.map((c) => c.label)])).toEqual([
      ['Pre-training', ['Secrecy', 'Compute']],
      ['Post-release', ['Feedback']],
      ['Cross-stage', ['Funding']],
    ]);
    expect([all.stageIds, all.codeIds, all.included, all.total, all.mapStageIds.size]).toEqual(['all', 'all', 4, 4, 2]);
  });

  it('leaves out unticked stages and codes, and counts what remains', async () => {
    const { stages, codes } = await core();
    const pre = stages.find((s) => s.name === 'Pre-training')!.id;
    const post = stages.find((s) => s.name === 'Post-release')!.id;
    const secrecy = codes.find((c) => c.name === 'Secrecy')!.id;
    const compute = codes.find((c) => c.name === 'Compute')!.id;
    const some = reportSelection(stages, codes, { excludedStages: [post], excludedCodes: [secrecy] });
    expect(some.stageIds).toEqual([pre, null]);
    expect(some.codeIds).toEqual([compute, codes.find((c) => c.name === 'Funding')!.id]);
    expect([some.included, some.total, [...some.mapStageIds]]).toEqual([2, 4, [pre]]);
  });
});

describe('parseTerms', () => {
  it('reads "term => replacement" lines, blank replacements as [removed]', () => {
    expect(parseTerms(' Acme Labs => a lab \n\nZurich\n => nothing\nBob =>')).toEqual([
      { term: 'Acme Labs', replacement: 'a lab' },
      { term: 'Zurich', replacement: '[removed]' },
      { term: 'Bob', replacement: '[removed]' },
    ]);
  });
});
