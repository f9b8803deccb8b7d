/**
 * The codebook report as a Word document, kept apart so the DOCX writer is wired here and
 * nowhere else (the other formats are one call each in commands/report.ts).
 */
import { reportToDocx } from '../../shared/reports/report-docx.ts';
import type { CodebookReport } from '../../shared/reports/report-model.ts';

export function reportDocxBytes(report: CodebookReport): Uint8Array {
  return reportToDocx(report);
}
