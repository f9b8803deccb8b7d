import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import { badFixture, fixtureNames, importFixture, offsetProblems } from '../../fixtures/import/files.ts';
import { emptyCsvMapping } from './csv.ts';
import { IMPORT_EXTENSIONS, parseImportFile } from './import-file.ts';

const deps = { getPdfDocument: getDocument };
const SUPPORTED = 'Cartography imports plain text (.txt), Markdown (.md), subtitles (.vtt, .srt), Word (.docx), PDF (.pdf) and CSV (.csv).';

describe('parseImportFile', () => {
  it('refuses a file of a format it does not read, listing the formats it does', async () => {
    expect(await parseImportFile('recording.mp3', new Uint8Array([1]))).toEqual({
      file: 'recording.mp3',
      documents: [],
      problems: [{ file: 'recording.mp3', message: '“recording.mp3” is a .mp3 file, which Cartography cannot import.', hint: `${SUPPORTED} Save or export the transcript in one of these formats.` }],
    });
    expect((await parseImportFile('README', new Uint8Array([1]))).problems[0]!.message).toBe('“README” has no extension, which Cartography cannot import.');
  });

  it('tells how to convert old Word, RTF and OpenDocument files', async () => {
    expect((await parseImportFile('Interview.DOC', new Uint8Array([1]))).problems[0]).toEqual({
      file: 'Interview.DOC',
      message: '“Interview.DOC” is a .doc file, which Cartography cannot import.',
      hint: `Open it in Word or LibreOffice and save it as .docx. ${SUPPORTED}`,
    });
  });

  it('refuses an empty file of any format before parsing it', async () => {
    for (const name of ['e.docx', 'e.pdf', 'e.csv', 'e.vtt']) {
      expect((await parseImportFile(name, new Uint8Array(0), deps)).problems.map((p) => p.message)).toEqual([`“${name}” is empty (0 bytes).`]);
    }
  });

  it('refuses a PDF when no pdf.js is given', async () => {
    expect((await parseImportFile('interview.pdf', importFixture('interview.pdf'))).problems).toEqual([
      { file: 'interview.pdf', message: '“interview.pdf”: PDF files cannot be read here.', hint: 'Export the transcript as Word (.docx) or plain text and import that file.' },
    ]);
  });

  it('refuses a binary file with a text name', async () => {
    expect((await parseImportFile('binary.txt', badFixture('binary.txt'))).problems.map((p) => p.message)).toEqual(['“binary.txt” does not look like text: it contains binary data (zero bytes).']);
  });

  it('uses the CSV mapping it is given instead of the guessed one', async () => {
    const result = await parseImportFile('coded-excerpts.csv', importFixture('coded-excerpts.csv'), { csvMapping: { ...emptyCsvMapping(), text: 'text' } });
    expect(result.documents.map((d) => [d.title, d.speakers, d.turns.length])).toEqual([['coded-excerpts', [], 5]]);
  });

  it('accepts upper-case extensions', async () => {
    expect((await parseImportFile('NOTES.TXT', new TextEncoder().encode('P01: Hi'))).documents[0]!.sourceFormat).toBe('txt');
  });

  it('has a fixture of every format it imports', () => {
    const extensions = new Set(fixtureNames('import').map((n) => n.split('.').pop()));
    expect(IMPORT_EXTENSIONS.filter((e) => !extensions.has(e))).toEqual([]);
  });
});

describe('offsets of every fixture', () => {
  it.each(fixtureNames('import'))('%s: imports without problems, and every turn begins with its speaker\'s line', async (name) => {
    const result = await parseImportFile(name, importFixture(name), deps);
    expect(result.problems).toEqual([]);
    expect(result.documents.length).toBeGreaterThan(0);
    for (const doc of result.documents) {
      expect(doc.turns.length).toBeGreaterThan(0);
      expect(offsetProblems(doc)).toEqual([]);
    }
  });

  it.each(fixtureNames('bad'))('%s: reports at least one problem, and whatever it imports has honest offsets', async (name) => {
    const result = await parseImportFile(name, badFixture(name), deps);
    expect(result.problems.length).toBeGreaterThan(0);
    for (const problem of result.problems) {
      expect(problem.file).toBe(name);
      expect(problem.message).toContain(`“${name}”`);
      expect(problem.hint).not.toBe('');
    }
    for (const doc of result.documents) expect(offsetProblems(doc)).toEqual([]);
  });
});
