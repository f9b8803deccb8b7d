import { describe, expect, it } from 'vitest';
import { badFixture, importFixture } from '../../fixtures/import/files.ts';
import { docxParagraphs } from './docx.ts';
import { parseImportFile } from './import-file.ts';

const RESAVE_HINT = 'Open the file in Word or LibreOffice, save it again as a Word document (.docx), and import the saved file.';

describe('Word (.docx) transcripts', () => {
  it('reads paragraphs (blank line between, empty ones left out), line breaks and tabs, f4 speakers and time marks', async () => {
    const result = await parseImportFile('interview.docx', importFixture('interview.docx'));
    expect(result.problems).toEqual([]);
    const doc = result.documents[0]!;
    expect(doc.text).toBe(
      [
        'Interview 7, Tallinn, recorded by the second author #00:00:09-4#',
        'I: How did the translation sprint start? #00:00:15-2#',
        'B: Someone posted a spreadsheet of missing strings.\nWe split it by\tmodule. #00:01:02-8#',
        'I: Was anyone in charge? #00:01:10-0#',
        'B: Nobody, at first. Then Kadri, because she answered the most questions – in Estonian and in English. #00:02:31-5#',
      ].join('\n\n'),
    );
    expect(doc).toMatchObject({
      title: 'interview',
      sourceFormat: 'docx',
      encoding: 'docx',
      speakers: ['I', 'B'],
      notes: ['f4 time marks (#00:01:16-1#) give the end of each paragraph, so each turn was given the time of the mark before it.'],
    });
    expect(doc.turns).toEqual([
      { start: 66, end: 119, speaker: 'I', time: 9.4, isInterviewer: true },
      { start: 121, end: 208, speaker: 'B', time: 15.2, isInterviewer: false },
      { start: 210, end: 247, speaker: 'I', time: 62.8, isInterviewer: true },
      { start: 249, end: 364, speaker: 'B', time: 70, isInterviewer: false },
    ]);
  });

  it('reads table cells as paragraphs', () => {
    const cell = (text: string) => ({ type: 'tableCell', children: [{ type: 'paragraph', children: [{ type: 'run', children: [{ type: 'text', value: text }] }] }] });
    const tree = { type: 'document', children: [{ type: 'table', children: [{ type: 'tableRow', children: [cell('I: Why?'), cell('B: Because.')] }] }] };
    expect(docxParagraphs(tree)).toEqual(['I: Why?', 'B: Because.']);
  });

  it('refuses a file that is not a ZIP package', async () => {
    expect(await parseImportFile('not-a-zip.docx', badFixture('not-a-zip.docx'))).toEqual({
      file: 'not-a-zip.docx',
      documents: [],
      problems: [
        {
          file: 'not-a-zip.docx',
          message: '“not-a-zip.docx” is not a Word document: a .docx file is a ZIP package, and this file is not one (it may be damaged or renamed).',
          hint: RESAVE_HINT,
        },
      ],
    });
  });

  it('refuses a ZIP package without word/document.xml', async () => {
    expect((await parseImportFile('no-document.docx', badFixture('no-document.docx'))).problems).toEqual([
      { file: 'no-document.docx', message: '“no-document.docx” is a ZIP package but not a Word document: it has no word/document.xml.', hint: RESAVE_HINT },
    ]);
  });

  it('refuses a cut-off package, saying it may be damaged', async () => {
    expect((await parseImportFile('truncated.docx', badFixture('truncated.docx'))).problems).toEqual([
      {
        file: 'truncated.docx',
        message: '“truncated.docx” could not be read as a Word document; it may be damaged (Corrupted zip: can\'t find end of central directory).',
        hint: RESAVE_HINT,
      },
    ]);
  });

  it('refuses an old .doc file renamed to .docx', async () => {
    const doc = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    expect((await parseImportFile('old.docx', doc)).problems).toEqual([
      { file: 'old.docx', message: '“old.docx” is an old Word 97–2003 document (.doc) with a .docx name.', hint: RESAVE_HINT },
    ]);
  });
});
