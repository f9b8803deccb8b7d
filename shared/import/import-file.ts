/**
 * One entry point for the import dialog: a file's name and bytes in, its parsed
 * transcripts and problems out. The parser is chosen by extension.
 */
import { previewCsv, parseCsvTranscripts, type CsvMapping } from './csv.ts';
import { decodeText } from './decode.ts';
import { parseDocx } from './docx.ts';
import { parsePdf, type PdfGetDocument } from './pdf.ts';
import { parsePlainText } from './plain-text.ts';
import { parseSubtitles } from './subtitles.ts';
import { extensionOf } from './transcript.ts';
import { refused, type ImportResult } from './types.ts';

export interface ImportDeps {
  /** pdf.js's getDocument; without it PDF files are refused with a message. */
  getPdfDocument?: PdfGetDocument;
  /** The confirmed column mapping for a CSV file; without it the guessed one is used. */
  csvMapping?: CsvMapping;
}

import { IMPORT_EXTENSIONS } from './formats.ts';

export { IMPORT_EXTENSIONS };

const SUPPORTED = 'plain text (.txt), Markdown (.md), subtitles (.vtt, .srt), Word (.docx), PDF (.pdf) and CSV (.csv)';

export async function parseImportFile(fileName: string, bytes: Uint8Array, deps: ImportDeps = {}): Promise<ImportResult> {
  const extension = extensionOf(fileName);
  if (!(IMPORT_EXTENSIONS as readonly string[]).includes(extension)) {
    const what = extension === '' ? 'has no extension' : `is a .${extension} file`;
    return refused(
      fileName,
      `“${fileName}” ${what}, which Cartography cannot import.`,
      extension === 'doc' || extension === 'rtf' || extension === 'odt'
        ? `Open it in Word or LibreOffice and save it as .docx. Cartography imports ${SUPPORTED}.`
        : `Cartography imports ${SUPPORTED}. Save or export the transcript in one of these formats.`,
    );
  }
  if (bytes.length === 0) {
    return refused(fileName, `“${fileName}” is empty (0 bytes).`, 'Check that you picked the right file and that it was saved completely, then import it again.');
  }
  if (extension === 'docx') return parseDocx(fileName, bytes);
  if (extension === 'pdf') {
    if (!deps.getPdfDocument) return refused(fileName, `“${fileName}”: PDF files cannot be read here.`, 'Export the transcript as Word (.docx) or plain text and import that file.');
    return parsePdf(fileName, bytes, deps.getPdfDocument);
  }

  const decoded = decodeText(bytes, fileName);
  if ('problem' in decoded) return { file: fileName, documents: [], problems: [decoded.problem] };
  const notes = decoded.note ? [decoded.note] : [];
  switch (extension) {
    case 'vtt':
    case 'srt':
      return parseSubtitles(fileName, decoded.text, extension, decoded.encoding, notes);
    case 'csv': {
      const mapping = deps.csvMapping ?? previewCsv(decoded.text, fileName).guessedMapping;
      return parseCsvTranscripts(decoded.text, mapping, { fileName, encoding: decoded.encoding, notes });
    }
    default:
      return parsePlainText(fileName, decoded.text, extension === 'md' ? 'md' : 'txt', decoded.encoding, notes);
  }
}
