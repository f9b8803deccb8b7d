/**
 * Makes the codebook report's file in the chosen format from the study in the database. The
 * report is built once (shared/reports/report-model.ts) and laid out by one writer; the DOCX
 * and PDF writers (fflate, pdf-lib, fontkit) and the PDF's fonts are loaded only when asked
 * for, so the app's first load carries none of them.
 */
import { parseTerms } from '../../../shared/reports/terms.ts';
import type { Guid } from '../../../shared/model/types.ts';
import { buildCodebookReport } from '../../../shared/reports/report-model.ts';
import type { ReportImage } from '../../../shared/reports/report-parts.ts';
import type { CartographyDb } from '../../data/db.ts';
import { loadReportSource, type ReportFormat, type ReportPins, type ReportSettings } from '../../data/reports.ts';
import type { ReportSelection } from './report-selection.ts';

export const FORMAT_DETAILS: Record<ReportFormat, { label: string; extension: string; filter: string; what: string }> = {
  html: { label: 'HTML', extension: 'html', filter: 'Web page', what: 'one self-contained page, prints well' },
  markdown: { label: 'Markdown', extension: 'md', filter: 'Markdown', what: 'plain text for notes and repositories; maps listed by title' },
  docx: { label: 'Word (.docx)', extension: 'docx', filter: 'Word document', what: 'editable, with real headings and styles' },
  pdf: { label: 'PDF', extension: 'pdf', filter: 'PDF document', what: 'A4 pages with bookmarks and page numbers' },
};

export interface ReportFile {
  bytes: Uint8Array;
}

export async function makeReportFile(
  db: CartographyDb,
  study: { id: Guid; name: string },
  settings: ReportSettings,
  selection: ReportSelection,
  pins: ReportPins,
): Promise<ReportFile> {
  const report = buildCodebookReport(await loadReportSource(db, study.id), {
    stageIds: selection.stageIds,
    codeIds: selection.codeIds,
    exemplars: settings.exemplars,
    pinned: pins,
    includeMatrix: settings.includeMatrix,
    anonymise: { participants: settings.hideOrganisations, terms: parseTerms(settings.terms) },
    now: new Date().toISOString(),
  });
  let images: ReportImage[] = [];
  if (settings.includeMaps) {
    const { lifecycleMapImages } = await import('./report-maps.ts');
    images = await lifecycleMapImages(db, study.id, study.name, selection.mapStageIds);
  }
  const text = (value: string) => new TextEncoder().encode(value);
  switch (settings.format) {
    case 'html': {
      const { reportToHtml } = await import('../../../shared/reports/report-html.ts');
      return { bytes: text(reportToHtml(report, { images })) };
    }
    case 'markdown': {
      const { reportToMarkdown } = await import('../../../shared/reports/report-markdown.ts');
      return { bytes: text(reportToMarkdown(report, { images })) };
    }
    case 'docx': {
      const { reportToDocx } = await import('../../../shared/reports/report-docx.ts');
      return { bytes: reportToDocx(report, { images }) };
    }
    case 'pdf': {
      const [{ reportToPdf }, { loadReportFonts }] = await Promise.all([import('../../../shared/reports/report-pdf.ts'), import('./pdf-fonts.ts')]);
      return { bytes: await reportToPdf(report, { fontBytes: await loadReportFonts(), images }) };
    }
  }
}
