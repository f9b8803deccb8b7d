/**
 * Identifying terms for the report's anonymisation, one per line: "Acme Labs => a lab"; a
 * line without "=>" replaces its term by "[removed]"; blank lines are skipped.
 *
 * A copy of `parseTerms` in renderer/features/reports/report-export.ts (the Reports
 * screen), so a terms file gives the same report here as pasted into the app. It belongs in
 * shared/reports/ where both can use it; until it moves there, keep the two the same.
 */
import type { ReportTerm } from '../../shared/reports/report-model.ts';

export function parseTerms(text: string): ReportTerm[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const [term, replacement] = line.split('=>').map((part) => part.trim());
      return { term: term!, replacement: replacement || '[removed]' };
    })
    .filter((t) => t.term !== '');
}
