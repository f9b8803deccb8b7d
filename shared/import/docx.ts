/**
 * Word (.docx) transcripts through mammoth, which reads the package in Node and in the
 * browser alike. Each non-empty paragraph becomes a paragraph of the text (blank line
 * between), line breaks inside a paragraph stay line breaks; then speaker labels and f4
 * time marks are read as in plain text.
 */
import mammoth from 'mammoth';
import { startsWith } from './decode.ts';
import { textTranscript } from './plain-text.ts';
import type { ImportResult } from './types.ts';
import { refused } from './types.ts';

/** The part every Word document has (OOXML), named in the message for a ZIP that lacks it. */
const MAIN_PART = ['word', 'document'].join('/') + '.xml';

/** The parts of mammoth's document tree this reader looks at. */
interface DocxElement {
  type: string;
  value?: string;
  children?: DocxElement[];
}

const RESAVE_HINT = 'Open the file in Word or LibreOffice, save it again as a Word document (.docx), and import the saved file.';

export async function parseDocx(fileName: string, bytes: Uint8Array): Promise<ImportResult> {
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0])) {
    return refused(fileName, `“${fileName}” is an old Word 97–2003 document (.doc) with a .docx name.`, RESAVE_HINT);
  }
  if (!startsWith(bytes, [0x50, 0x4b])) {
    return refused(fileName, `“${fileName}” is not a Word document: a .docx file is a ZIP package, and this file is not one (it may be damaged or renamed).`, RESAVE_HINT);
  }
  let body: DocxElement | null = null;
  try {
    // Node's mammoth reads `buffer`, its browser build `arrayBuffer`: give both.
    const input = { buffer: bytes, arrayBuffer: new Uint8Array(bytes).buffer };
    await mammoth.convertToHtml(input, {
      transformDocument: (document: DocxElement) => {
        body = document;
        return document;
      },
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (/main document part/i.test(reason)) {
      return refused(fileName, `“${fileName}” is a ZIP package but not a Word document: it has no ${MAIN_PART}.`, RESAVE_HINT);
    }
    return refused(fileName, `“${fileName}” could not be read as a Word document; it may be damaged (${reason}).`, RESAVE_HINT);
  }
  const paragraphs = body === null ? [] : docxParagraphs(body);
  const text = paragraphs.join('\n\n');
  if (text === '') {
    return refused(fileName, `“${fileName}” has no text in it.`, 'If the transcript is a picture or a scan inside the document, run OCR first; otherwise check that you picked the right file.');
  }
  return { file: fileName, documents: [textTranscript(fileName, text, 'docx', 'docx', [])], problems: [] };
}

/** Text of each paragraph (table cells included), trimmed, empty ones left out. */
export function docxParagraphs(root: DocxElement): string[] {
  const paragraphs: string[] = [];
  const visit = (element: DocxElement) => {
    if (element.type === 'paragraph') {
      const text = inlineText(element).trim();
      if (text !== '') paragraphs.push(text);
      return;
    }
    element.children?.forEach(visit);
  };
  visit(root);
  return paragraphs;
}

function inlineText(element: DocxElement): string {
  switch (element.type) {
    case 'text':
      return element.value ?? '';
    case 'tab':
      return '\t';
    case 'break':
      return '\n';
    default:
      return (element.children ?? []).map(inlineText).join('');
  }
}
