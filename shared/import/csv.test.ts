import { describe, expect, it } from 'vitest';
import { badFixture, importFixture } from '../../fixtures/import/files.ts';
import { emptyCsvMapping, guessCsvMapping, parseCsvTranscripts, previewCsv, type CsvMapping } from './csv.ts';
import { parseImportFile } from './import-file.ts';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const mapping = (fields: Partial<CsvMapping>): CsvMapping => ({ ...emptyCsvMapping(), ...fields });

describe('previewCsv', () => {
  it('lists the columns, the first rows (a quoted cell over two lines is one row) and a guessed mapping', () => {
    const preview = previewCsv(text(importFixture('coded-excerpts.csv')), 'coded-excerpts.csv');
    expect(preview.columns).toEqual(['document', 'case', 'participant', 'speaker', 'timestamp', 'text', 'codes']);
    expect(preview.rowCount).toBe(5);
    expect(preview.rows[1]).toEqual([
      'Interview P04',
      'Kestrel',
      'P04',
      'P04',
      '00:00:14',
      'A friend asked me to check the Basque data.\nI stayed because the maintainers answered within a day.',
      'motivation;responsiveness',
    ]);
    expect(preview.guessedMapping).toEqual({ text: 'text', speaker: 'speaker', time: 'timestamp', document: 'document', case: 'case', participant: 'participant', codes: 'codes' });
    expect(preview.delimiter).toBe(',');
    expect(preview.problems).toEqual([]);
  });

  it('shows at most 20 rows and counts them all', () => {
    const csv = ['speaker,text', ...Array.from({ length: 25 }, (_, i) => `P01,line ${i}`)].join('\n');
    const preview = previewCsv(csv);
    expect(preview.rows).toHaveLength(20);
    expect(preview.rowCount).toBe(25);
  });

  it('names empty and repeated header cells so every column can be chosen', () => {
    expect(previewCsv('speaker,,text,text\nA,x,y,z').columns).toEqual(['speaker', 'Column 2', 'text', 'text (2)']);
  });

  it('detects semicolon-separated files (European spreadsheet exports)', () => {
    expect(previewCsv('Sprecher;Text\nI;Guten Tag').delimiter).toBe(';');
  });
});

describe('guessCsvMapping', () => {
  it('prefers a whole-name match over one word of a name ("timestamp" over "timestamp-old")', () => {
    const columns = ['timestamp-old', 'speaker', 'words', 'tags', 'highlight', 'timelink', 'timestamp'];
    expect(guessCsvMapping(columns)).toEqual(mapping({ text: 'words', speaker: 'speaker', time: 'timestamp', codes: 'tags' }));
  });

  it('reads camelCase and separated names', () => {
    expect(guessCsvMapping(['DocumentName', 'Speaker Name', 'Start time', 'Codes'])).toEqual(mapping({ document: 'DocumentName', speaker: 'Speaker Name', time: 'Start time', codes: 'Codes' }));
  });

  it('takes the column with the longest cells as the text when no name fits', () => {
    expect(guessCsvMapping(['who', 'A', 'B'], [['I', 'short', 'a much longer answer than the other column']])).toEqual(mapping({ speaker: 'who', text: 'B' }));
  });
});

describe('parseCsvTranscripts', () => {
  it('groups rows into documents, one turn per row, with speakers, times, codes, case and participants', () => {
    const csv = text(importFixture('coded-excerpts.csv'));
    const result = parseCsvTranscripts(csv, previewCsv(csv).guessedMapping, { fileName: 'coded-excerpts.csv', encoding: 'utf-8' });
    expect(result.problems).toEqual([]);
    expect(result.documents).toEqual([
      {
        title: 'Interview P04',
        text: [
          'Interviewer: What brought you to the project?',
          'P04: A friend asked me to check the Basque data.\nI stayed because the maintainers answered within a day.',
          'Interviewer: And the "code of conduct"?',
          'P04: It was there, but nobody read it.',
        ].join('\n\n'),
        turns: [
          { start: 0, end: 45, speaker: 'Interviewer', time: 10, isInterviewer: true },
          { start: 47, end: 151, speaker: 'P04', time: 14, isInterviewer: false },
          { start: 153, end: 192, speaker: 'Interviewer', time: 62, isInterviewer: true },
          { start: 194, end: 232, speaker: 'P04', time: 75, isInterviewer: false },
        ],
        speakers: ['Interviewer', 'P04'],
        sourceFormat: 'csv',
        encoding: 'utf-8',
        notes: ['Rows with an empty document cell were put in the document of the row above them.'],
        caseName: 'Kestrel',
        participantNames: ['P04'],
        codings: [
          { turn: 1, start: 52, end: 151, codeNames: ['motivation', 'responsiveness'], row: 3 },
          { turn: 3, start: 199, end: 232, codeNames: ['governance', 'norms'], row: 5 },
        ],
      },
      {
        title: 'Interview P12',
        text: 'P12: We met in a library basement.',
        turns: [{ start: 0, end: 34, speaker: 'P12', time: 3, isInterviewer: false }],
        speakers: ['P12'],
        sourceFormat: 'csv',
        encoding: 'utf-8',
        notes: [],
        caseName: 'Heronsgate',
        participantNames: ['P12'],
        codings: [{ turn: 0, start: 5, end: 34, codeNames: ['origins'], row: 6 }],
      },
    ]);
  });

  it('makes one document named after the file when no document column is chosen', () => {
    const csv = text(importFixture('coded-excerpts.csv'));
    const result = parseCsvTranscripts(csv, mapping({ text: 'text', speaker: 'speaker' }), { fileName: 'coded-excerpts.csv' });
    expect(result.documents.map((d) => [d.title, d.turns.length, d.caseName])).toEqual([['coded-excerpts', 5, null]]);
  });

  it('reports rows with empty text or a missing mapped cell by their spreadsheet row, skips them and imports the rest', async () => {
    const result = await parseImportFile('empty-text-rows.csv', badFixture('empty-text-rows.csv'));
    expect(result.problems).toEqual([
      {
        file: 'empty-text-rows.csv',
        row: 3,
        message: '“empty-text-rows.csv”, row 3: the text cell (column “text”) is empty, so the row was skipped.',
        hint: 'Fill in the words of row 3 or delete the row, then import the file again if it matters.',
      },
      {
        file: 'empty-text-rows.csv',
        row: 4,
        message: '“empty-text-rows.csv”, row 4: the text cell (column “text”) is empty, so the row was skipped.',
        hint: 'Fill in the words of row 4 or delete the row, then import the file again if it matters.',
      },
      {
        file: 'empty-text-rows.csv',
        row: 5,
        message: '“empty-text-rows.csv”, row 5: the row has 1 cell and no cell for the column “text”, so it was skipped.',
        hint: 'Check row 5 in a spreadsheet program: a missing separator, or a line break in a cell that is not in quotes, splits or shortens a row.',
      },
    ]);
    expect(result.documents[0]!.text).toBe('Interviewer: What changed after the fork?\n\nP03: The maintainers started writing release notes.');
  });

  it('reports a row with unbalanced quotes, skips it and reads on from the next line', async () => {
    const result = await parseImportFile('unbalanced-quotes.csv', badFixture('unbalanced-quotes.csv'));
    expect(result.problems).toEqual([
      {
        file: 'unbalanced-quotes.csv',
        row: 3,
        message: '“unbalanced-quotes.csv”, row 3: the quotes in this row do not balance (a cell opens a double quote that is not closed properly), so the row was skipped.',
        hint: 'A cell that starts with " must end with ", and a double quote inside a cell is written twice (""). Correct row 3 in a spreadsheet program or text editor and import the file again.',
      },
    ]);
    const doc = result.documents[0]!;
    expect(doc.text).toBe('Interviewer: How did you find the project?\n\nInterviewer: Which list?\n\nP03: The "Lindenfeld" one, years ago.');
    expect(doc.codings).toEqual([{ turn: 2, start: 75, end: 107, codeNames: ['origins'], row: 5 }]);
  });

  it('refuses a file whose text column is missing or not chosen', async () => {
    expect(await parseImportFile('missing-text-column.csv', badFixture('missing-text-column.csv'))).toEqual({
      file: 'missing-text-column.csv',
      documents: [],
      problems: [
        {
          file: 'missing-text-column.csv',
          message: '“missing-text-column.csv”: no column is chosen as the text column, so there is nothing to import.',
          hint: 'Choose the column that holds the words spoken (the file has: speaker, timestamp, codes).',
        },
      ],
    });
    const csv = text(badFixture('missing-text-column.csv'));
    expect(parseCsvTranscripts(csv, mapping({ text: 'words' }), { fileName: 'm.csv' }).problems).toEqual([
      { file: 'm.csv', message: '“m.csv” has no column “words”, which was chosen as the text column.', hint: 'Choose one of the file\'s columns: speaker, timestamp, codes.' },
    ]);
  });

  it('reads times as [hh:mm:ss], h:mm:ss or seconds, and reports a time it cannot read without skipping the row', () => {
    const csv = 'speaker,time,text\nA,[00:03:43],one\nB:,0:00:45,two\nA,90.5,three\nB,soon,four\n';
    const result = parseCsvTranscripts(csv, mapping({ text: 'text', speaker: 'speaker', time: 'time' }), { fileName: 't.csv' });
    expect(result.documents[0]!.turns.map((t) => [t.speaker, t.time])).toEqual([
      ['A', 223],
      ['B', 45],
      ['A', 90.5],
      ['B', null],
    ]);
    expect(result.problems).toEqual([
      {
        file: 't.csv',
        row: 5,
        message: '“t.csv”, row 5: the time “soon” cannot be read, so the row was imported without a time.',
        hint: 'Times are read as 1:02, 01:02:03, [00:01:02] or a number of seconds. Correct the cell and import the file again if the time matters.',
      },
    ]);
  });

  it('splits codes on semicolons when there are any, otherwise on commas, without repeats', () => {
    const csv = 'text,codes\none,"a; b, c;;a"\ntwo,"x, y ,x"\n';
    expect(parseCsvTranscripts(csv, mapping({ text: 'text', codes: 'codes' }), { fileName: 'c.csv' }).documents[0]!.codings.map((c) => c.codeNames)).toEqual([
      ['a', 'b, c'],
      ['x', 'y'],
    ]);
  });

  it('names no case when the rows of one document disagree, and says so', () => {
    const csv = 'Case,freetext\nID4,first\nID5,second\n';
    const doc = parseCsvTranscripts(csv, mapping({ text: 'freetext', case: 'Case' }), { fileName: 'survey.csv' }).documents[0]!;
    expect(doc.caseName).toBeNull();
    expect(doc.notes).toEqual(['The rows of this document name 2 cases (ID4, ID5), so no case was chosen; assign one by hand, or choose a document column that separates them.']);
  });

  it('refuses a file with only a header row', () => {
    expect(parseCsvTranscripts('speaker,text\n', mapping({ text: 'text' }), { fileName: 'h.csv' }).problems).toEqual([
      { file: 'h.csv', message: '“h.csv” has no rows with text to import.', hint: 'Check that the text column is the right one and that the file has rows below its header.' },
    ]);
  });
});
