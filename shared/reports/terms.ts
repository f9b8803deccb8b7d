/**
 * Identifying terms for the report's anonymisation, as the researcher writes them (the
 * Reports screen's box, or a terms file for the command line), one per line:
 * "Acme Labs => a lab"; a line without a replacement replaces its term by "[removed]"; blank
 * lines are skipped. One reader for both, so a terms file gives the same report anywhere.
 */
import type { ReportTerm } from './report-model.ts';

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
