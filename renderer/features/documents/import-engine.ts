/**
 * The parsers behind the import dialog, with pdf.js and mammoth (about 750 kB, plus the
 * pdf.js worker): the dialog loads this module with a dynamic import() when files arrive,
 * so opening the app never pays for it.
 */
import { getDocument, GlobalWorkerOptions } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import type { CsvMapping } from '../../../shared/import/csv.ts';
import { parseImportFile } from '../../../shared/import/import-file.ts';
import type { PdfGetDocument } from '../../../shared/import/pdf.ts';
import type { ImportResult } from '../../../shared/import/types.ts';

GlobalWorkerOptions.workerSrc = workerUrl;

export function parseFile(fileName: string, bytes: Uint8Array, csvMapping: CsvMapping | null): Promise<ImportResult> {
  return parseImportFile(fileName, bytes, { getPdfDocument: getDocument as unknown as PdfGetDocument, ...(csvMapping ? { csvMapping } : {}) });
}
