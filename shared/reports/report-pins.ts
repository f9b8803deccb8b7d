/**
 * The exemplars a researcher pinned on the Reports screen: code id → segment ids, in the
 * order to show them. The app keeps them in the setting `report-pins:<studyId>`, and a study
 * file carries them as `report-pins` (settings are written without the study's id), so the
 * command line's report puts them first too. One cleaner for both: whatever is read back,
 * from an older version or a hand-edited file, never breaks a report.
 */
import type { Guid } from '../model/types.ts';

export type ReportPins = Record<Guid, Guid[]>;

/** The setting's name, as a study file carries it (the app's key adds `:<studyId>`). */
export const REPORT_PINS_SETTING = 'report-pins';

/** Pins with every list made of distinct strings; anything else is dropped, and so are codes left without pins. */
export function cleanReportPins(value: unknown): ReportPins {
  const pins: ReportPins = {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return pins;
  for (const [codeId, list] of Object.entries(value)) {
    const ids = Array.isArray(list) ? [...new Set(list.filter((id): id is string => typeof id === 'string'))] : [];
    if (ids.length > 0) pins[codeId] = ids;
  }
  return pins;
}
