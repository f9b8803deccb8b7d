/**
 * PDF transcripts through pdf.js's text layer. pdf.js is passed in rather than imported:
 * the renderer gives the browser build with its worker set up, Node tests the legacy
 * build (see README.md in this folder), and shared/ stays free of both.
 */
import { pdfPagesToText, type PdfTextContentItem } from './pdf-text.ts';
import { textTranscript } from './plain-text.ts';
import type { ImportResult } from './types.ts';
import { refused } from './types.ts';

export interface PdfPage {
  getTextContent(): Promise<{ items: readonly PdfTextContentItem[] }>;
  cleanup?(): unknown;
}

export interface PdfDocument {
  numPages: number;
  getPage(pageNumber: number): Promise<PdfPage>;
  destroy(): Promise<void>;
}

export interface PdfSource {
  data: Uint8Array;
  /** The app's Content-Security-Policy has no 'unsafe-eval'. */
  isEvalSupported: boolean;
  /** 0: errors only, so a damaged file does not fill the console. */
  verbosity: number;
}

/** pdf.js's `getDocument` (from 'pdfjs-dist' in the browser, 'pdfjs-dist/legacy/build/pdf.mjs' in Node). */
export type PdfGetDocument = (source: PdfSource) => { promise: Promise<PdfDocument> };

const REEXPORT_HINT = 'Open the PDF in a PDF reader and print it to a new PDF (or export the transcript from its original program again), then import the new file.';

export async function parsePdf(fileName: string, bytes: Uint8Array, getDocument: PdfGetDocument): Promise<ImportResult> {
  let pages: PdfTextContentItem[][];
  try {
    // pdf.js hands the bytes to its worker, which detaches them, and refuses Node's Buffer:
    // give it a plain copy.
    const pdf = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, verbosity: 0 }).promise;
    try {
      pages = [];
      for (let n = 1; n <= pdf.numPages; n += 1) {
        const page = await pdf.getPage(n);
        pages.push([...(await page.getTextContent()).items]);
        page.cleanup?.();
      }
    } finally {
      await pdf.destroy();
    }
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name === 'PasswordException') {
      return refused(fileName, `“${fileName}” is protected by a password, so its text cannot be read.`, 'Open it with the password in a PDF reader, save or print a copy without a password, and import that copy.');
    }
    const reason = error instanceof Error ? error.message : String(error);
    return refused(fileName, `“${fileName}” could not be read as a PDF; it may be damaged or not a PDF at all (${reason}).`, REEXPORT_HINT);
  }
  const text = pdfPagesToText(pages);
  if (text.trim() === '') {
    return refused(
      fileName,
      `“${fileName}” has no text layer: this PDF is a scan or a set of pictures, so there is no text to import.`,
      'Run OCR (text recognition) on it first, for example in your PDF reader or scanner software, and import the recognised PDF or text.',
    );
  }
  const notes = ['Paragraphs were rebuilt from the layout of the PDF; check line breaks and page headers or footers.'];
  return { file: fileName, documents: [textTranscript(fileName, text, 'pdf', 'pdf text layer', notes)], problems: [] };
}
