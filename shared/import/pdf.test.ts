import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import { badFixture, importFixture } from '../../fixtures/import/files.ts';
import { parseImportFile } from './import-file.ts';
import { pdfPagesToText, type PdfTextContentItem, type PdfTextItem } from './pdf-text.ts';

// Node runs pdf.js's legacy build, which sets up its own worker in-process.
const deps = { getPdfDocument: getDocument };
const REEXPORT_HINT = 'Open the PDF in a PDF reader and print it to a new PDF (or export the transcript from its original program again), then import the new file.';

describe('PDF transcripts', () => {
  it('rebuilds paragraphs from the text layer (lines of a paragraph joined, pages apart) and finds the turns', async () => {
    const result = await parseImportFile('interview.pdf', importFixture('interview.pdf'), deps);
    expect(result.problems).toEqual([]);
    const doc = result.documents[0]!;
    expect(doc.text).toBe(
      [
        'Interview with P07 about the Kestrel project',
        'Interviewer: How did the Kestrel project begin?',
        'P07: With three volunteers and a borrowed server. Zoë wrote the first tokenizer over one weekend.',
        'Interviewer: What made people stay?',
        'P07: The weekly calls, mostly. Nobody was paid, but everybody was thanked by name in the release notes.',
      ].join('\n\n'),
    );
    expect(doc).toMatchObject({
      title: 'interview',
      sourceFormat: 'pdf',
      encoding: 'pdf text layer',
      speakers: ['Interviewer', 'P07'],
      notes: ['Paragraphs were rebuilt from the layout of the PDF; check line breaks and page headers or footers.'],
    });
    expect(doc.turns).toEqual([
      { start: 46, end: 93, speaker: 'Interviewer', time: null, isInterviewer: true },
      { start: 95, end: 192, speaker: 'P07', time: null, isInterviewer: false },
      { start: 194, end: 229, speaker: 'Interviewer', time: null, isInterviewer: true },
      { start: 231, end: 334, speaker: 'P07', time: null, isInterviewer: false },
    ]);
  });

  it('reads a PDF that LibreOffice made from the Word fixture (embedded font subsets) into the same paragraphs and f4 turns', async () => {
    const doc = (await parseImportFile('interview-libreoffice.pdf', importFixture('interview-libreoffice.pdf'), deps)).documents[0]!;
    expect(doc.text).toBe(
      [
        'Interview 7, Tallinn, recorded by the second author #00:00:09-4#',
        'I: How did the translation sprint start? #00:00:15-2#',
        'B: Someone posted a spreadsheet of missing strings. We split it by module. #00:01:02-8#',
        'I: Was anyone in charge? #00:01:10-0#',
        'B: Nobody, at first. Then Kadri, because she answered the most questions – in Estonian and in English. #00:02:31-5#',
      ].join('\n\n'),
    );
    expect(doc.turns.map((t) => [t.speaker, t.time])).toEqual([
      ['I', 9.4],
      ['B', 15.2],
      ['I', 62.8],
      ['B', 70],
    ]);
  });

  it('refuses a PDF without a text layer and says to run OCR first', async () => {
    expect((await parseImportFile('scan-without-text.pdf', badFixture('scan-without-text.pdf'), deps)).problems).toEqual([
      {
        file: 'scan-without-text.pdf',
        message: '“scan-without-text.pdf” has no text layer: this PDF is a scan or a set of pictures, so there is no text to import.',
        hint: 'Run OCR (text recognition) on it first, for example in your PDF reader or scanner software, and import the recognised PDF or text.',
      },
    ]);
  });

  it('refuses a damaged PDF', async () => {
    expect((await parseImportFile('corrupt.pdf', badFixture('corrupt.pdf'), deps)).problems).toEqual([
      { file: 'corrupt.pdf', message: '“corrupt.pdf” could not be read as a PDF; it may be damaged or not a PDF at all (Invalid PDF structure.).', hint: REEXPORT_HINT },
    ]);
  });

  it('refuses a password-protected PDF with its own message', async () => {
    const locked = () => ({ promise: Promise.reject(Object.assign(new Error('No password given'), { name: 'PasswordException' })) });
    expect((await parseImportFile('locked.pdf', new Uint8Array([0x25, 0x50, 0x44, 0x46]), { getPdfDocument: locked })).problems).toEqual([
      {
        file: 'locked.pdf',
        message: '“locked.pdf” is protected by a password, so its text cannot be read.',
        hint: 'Open it with the password in a PDF reader, save or print a copy without a password, and import that copy.',
      },
    ]);
  });

  it('leaves the caller\'s bytes usable (pdf.js gets a copy it may detach)', async () => {
    const bytes = importFixture('interview.pdf');
    await parseImportFile('interview.pdf', bytes, deps);
    expect(bytes.length).toBe(1327);
  });
});

describe('pdfPagesToText', () => {
  const run = (str: string, x: number, y: number, extra: Partial<PdfTextItem> = {}): PdfTextItem => ({ str, transform: [10, 0, 0, 10, x, y], width: str.length * 5, height: 10, hasEOL: false, ...extra });

  it('joins runs of one line, with a space where runs are set apart, and ends lines at hasEOL', () => {
    const page = [run('P01:', 72, 700), run('Hello', 100, 700, { hasEOL: true }), run('again.', 72, 688)];
    expect(pdfPagesToText([page])).toBe('P01: Hello again.');
  });

  it('starts a paragraph at a gap clearly larger than the usual line spacing', () => {
    const page = [run('a1', 72, 700, { hasEOL: true }), run('a2', 72, 688, { hasEOL: true }), run('a3', 72, 676, { hasEOL: true }), run('b1', 72, 650, { hasEOL: true }), run('b2', 72, 638)];
    expect(pdfPagesToText([page])).toBe('a1 a2 a3\n\nb1 b2');
  });

  it('joins a word hyphenated at a line end without a space', () => {
    const page = [run('well-', 72, 700, { hasEOL: true }), run('known', 72, 688)];
    expect(pdfPagesToText([page])).toBe('well-known');
  });

  it('goes on across a page when the sentence does, and starts a paragraph otherwise', () => {
    expect(pdfPagesToText([[run('It was', 72, 60)], [run('late.', 72, 780)], [run('Next.', 72, 780)]])).toBe('It was late.\n\nNext.');
  });

  it('starts a new line when a run sits lower on the page even without hasEOL, and skips marked-content items', () => {
    const page: PdfTextContentItem[] = [run('One', 72, 700), { type: 'beginMarkedContent' }, run('two', 72, 688)];
    expect(pdfPagesToText([page])).toBe('One two');
  });

  it('starts a paragraph at every line that opens with a speaker label, however tight the lines', () => {
    const page = [run('Interviewer: Why?', 72, 700, { hasEOL: true }), run('P01: Because it', 72, 688, { hasEOL: true }), run('was there.', 72, 676, { hasEOL: true }), run('Interviewer: Fine.', 72, 664)];
    expect(pdfPagesToText([page])).toBe('Interviewer: Why?\n\nP01: Because it was there.\n\nInterviewer: Fine.');
  });

  it('is empty for pages without text', () => {
    expect(pdfPagesToText([[], [run(' ', 72, 700, { hasEOL: true })]])).toBe('');
  });
});
