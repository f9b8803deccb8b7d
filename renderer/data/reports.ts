/**
 * What the Reports area remembers per study, in the settings store: the exemplars the
 * researcher pinned for each code (`report-pins:<studyId>`, code id → segment ids in the
 * order to show them) and the report's options (`report-options:<studyId>`). Both keys end
 * with the study's id, so they go when the study is deleted. Whatever is read back is
 * cleaned field by field: a setting written by an older version never breaks the area.
 */
import type { Guid } from '../../shared/model/types.ts';
import { MAX_EXEMPLARS, type ReportSource } from '../../shared/reports/report-model.ts';
import { cleanReportPins, REPORT_PINS_SETTING, type ReportPins } from '../../shared/reports/report-pins.ts';
import type { CartographyDb } from './db.ts';
import { codingsOf, segmentOf } from './layout.ts';
import { getSetting, loadStudySegments, putStudySetting } from './studies.ts';

/**
 * What a report is made from, in one read transaction: everything but the transcripts' full
 * texts, memos, actors and ties (a quote is its segment's cached text), which makes a large
 * study's report several times quicker to start than reading every record.
 */
export async function loadReportSource(db: CartographyDb, studyId: Guid): Promise<ReportSource> {
  return db.transaction('r', [db.studies, db.coders, db.stages, db.attributes, db.cases, db.participants, db.documents, db.codes, db.segments], async () => {
    const study = await db.studies.get(studyId);
    if (!study) throw new Error('That study no longer exists.');
    const [coders, stages, attributes, cases, participants, documents, codes, stored] = await Promise.all([
      db.coders.where('studyId').equals(studyId).toArray(),
      db.stages.where('studyId').equals(studyId).toArray(),
      db.attributes.where('studyId').equals(studyId).toArray(),
      db.cases.where('studyId').equals(studyId).toArray(),
      db.participants.where('studyId').equals(studyId).toArray(),
      db.documents.where('studyId').equals(studyId).toArray(),
      db.codes.where('studyId').equals(studyId).toArray(),
      loadStudySegments(db, studyId),
    ]);
    return { study, coders, stages, attributes, cases, participants, documents, codes, segments: stored.map(segmentOf), codings: stored.flatMap(codingsOf) };
  });
}

export type { ReportPins } from '../../shared/reports/report-pins.ts';

export type ReportFormat = 'html' | 'markdown' | 'docx' | 'pdf';
export const REPORT_FORMATS: readonly ReportFormat[] = ['html', 'markdown', 'docx', 'pdf'];

/** Key standing for the cross-stage codes (stage null) among excluded stages. */
export const CROSS_STAGE_KEY = 'cross-stage';

/**
 * The report's options as the researcher left them. Stages and codes are kept as what was
 * left out, so a stage or code added later is in the next report unless unticked.
 */
export interface ReportSettings {
  format: ReportFormat;
  /** Stage ids (or CROSS_STAGE_KEY) left out of the report. */
  excludedStages: string[];
  /** Code ids left out of the report. */
  excludedCodes: Guid[];
  exemplars: number;
  hideOrganisations: boolean;
  /** Identifying terms, one per line ("Acme Labs => a lab"). */
  terms: string;
  includeMatrix: boolean;
  includeMaps: boolean;
}

export const DEFAULT_REPORT_SETTINGS: ReportSettings = {
  format: 'html',
  excludedStages: [],
  excludedCodes: [],
  exemplars: 2,
  hideOrganisations: false,
  terms: '',
  includeMatrix: true,
  includeMaps: false,
};

const pinsKey = (studyId: Guid) => `${REPORT_PINS_SETTING}:${studyId}`;
const optionsKey = (studyId: Guid) => `report-options:${studyId}`;

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const strings = (value: unknown): string[] | undefined => (Array.isArray(value) ? value.filter((s): s is string => typeof s === 'string') : undefined);

export function cleanReportSettings(value: unknown): ReportSettings {
  const settings = { ...DEFAULT_REPORT_SETTINGS };
  if (!isRecord(value)) return settings;
  if (REPORT_FORMATS.includes(value['format'] as ReportFormat)) settings.format = value['format'] as ReportFormat;
  settings.excludedStages = strings(value['excludedStages']) ?? settings.excludedStages;
  settings.excludedCodes = strings(value['excludedCodes']) ?? settings.excludedCodes;
  const exemplars = value['exemplars'];
  if (typeof exemplars === 'number' && Number.isFinite(exemplars)) settings.exemplars = Math.max(0, Math.min(MAX_EXEMPLARS, Math.floor(exemplars)));
  for (const flag of ['hideOrganisations', 'includeMatrix', 'includeMaps'] as const) if (typeof value[flag] === 'boolean') settings[flag] = value[flag];
  if (typeof value['terms'] === 'string') settings.terms = value['terms'];
  return settings;
}

export async function getReportPins(db: CartographyDb, studyId: Guid): Promise<ReportPins> {
  return cleanReportPins(await getSetting(db, pinsKey(studyId)));
}

/** Replaces the pins of one code (an empty list unpins them all) and returns every pin of the study. */
export async function saveCodePins(db: CartographyDb, studyId: Guid, codeId: Guid, segmentIds: readonly Guid[]): Promise<ReportPins> {
  return db.transaction('rw', db.studies, db.settings, async () => {
    const pins = cleanReportPins({ ...(await getReportPins(db, studyId)), [codeId]: [...segmentIds] });
    await putStudySetting(db, studyId, pinsKey(studyId), pins);
    return pins;
  });
}

export async function getReportSettings(db: CartographyDb, studyId: Guid): Promise<ReportSettings> {
  return cleanReportSettings(await getSetting(db, optionsKey(studyId)));
}

export async function saveReportSettings(db: CartographyDb, studyId: Guid, settings: ReportSettings): Promise<void> {
  await putStudySetting(db, studyId, optionsKey(studyId), cleanReportSettings(settings));
}
