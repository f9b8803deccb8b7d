import { describe, expect, it } from 'vitest';
import { importFixture } from '../../fixtures/import/files.ts';
import { parseImportFile } from './import-file.ts';
import { parsePlainText } from './plain-text.ts';

describe('plain text and Markdown transcripts', () => {
  it('keeps the text as it is and finds "[00:00:05] Name:" turns with their times', async () => {
    const result = await parseImportFile('interview-bom-crlf.txt', importFixture('interview-bom-crlf.txt'));
    expect(result.problems).toEqual([]);
    const doc = result.documents[0]!;
    expect(doc.text).toBe(
      [
        'Interview with P02 (Lindenfeld language community), 14 March',
        '',
        '[00:00:05] Interviewer: When did you first hear about the corpus drive?',
        '[00:00:11] P02: At a café meetup. Someone had printed flyers,',
        'which felt very old-fashioned and very effective.',
        '',
        '[00:01:40] Interviewer: And you joined straight away?',
        '[00:01:44] P02: Not quite. I waited until the licence was settled.',
        '',
      ].join('\n'),
    );
    expect(doc).toMatchObject({ title: 'interview-bom-crlf', sourceFormat: 'txt', encoding: 'utf-8 with BOM', notes: [], speakers: ['Interviewer', 'P02'] });
    expect(doc.turns).toEqual([
      { start: 62, end: 133, speaker: 'Interviewer', time: 5, isInterviewer: true },
      { start: 134, end: 245, speaker: 'P02', time: 11, isInterviewer: false },
      { start: 247, end: 300, speaker: 'Interviewer', time: 100, isInterviewer: true },
      { start: 301, end: 367, speaker: 'P02', time: 104, isInterviewer: false },
    ]);
    expect(doc.text.slice(134, 245)).toBe('[00:00:11] P02: At a café meetup. Someone had printed flyers,\nwhich felt very old-fashioned and very effective.');
  });

  it('carries the encoding note of a Windows-1252 file into the document', async () => {
    const doc = (await parseImportFile('answers-latin1.txt', importFixture('answers-latin1.txt'))).documents[0]!;
    expect(doc.encoding).toBe('windows-1252 (converted)');
    expect(doc.notes).toEqual(['Read as Windows-1252 because the file is not valid UTF-8; check accented letters.']);
    expect(doc.turns.map((t) => [t.start, t.end, t.speaker])).toEqual([
      [0, 62, 'Interviewer'],
      [63, 146, 'P09'],
      [147, 195, 'Interviewer'],
      [196, 230, 'P09'],
    ]);
  });

  it('reads UTF-16 text into the same turns as UTF-8', async () => {
    const doc = (await parseImportFile('notes-utf16le.txt', importFixture('notes-utf16le.txt'))).documents[0]!;
    expect(doc.encoding).toBe('utf-16le with BOM');
    expect(doc.speakers).toEqual(['Interviewer', 'P05']);
    expect(doc.turns.map((t) => doc.text.slice(t.start, t.end))).toEqual([
      'Interviewer: Which tools did the group translate first?',
      'P05: The keyboard layout — then the spell checker, because Łukasz asked for it.',
      'Interviewer: Who reviewed the translations?',
      'P05: Two teachers, on Sundays.',
    ]);
  });

  it('finds Markdown\'s bold speaker labels, "**Name:**" and "**Name**:", and leaves headings out of turns', async () => {
    const doc = (await parseImportFile('focus-group.md', importFixture('focus-group.md'))).documents[0]!;
    expect(doc).toMatchObject({ title: 'focus-group', sourceFormat: 'md', encoding: 'utf-8', speakers: ['Moderator', 'Ines', 'Tomasz'] });
    expect(doc.turns).toEqual([
      { start: 83, end: 135, speaker: 'Moderator', time: null, isInterviewer: true },
      { start: 137, end: 209, speaker: 'Ines', time: null, isInterviewer: false },
      { start: 211, end: 331, speaker: 'Tomasz', time: null, isInterviewer: false },
      { start: 333, end: 364, speaker: 'Moderator', time: null, isInterviewer: true },
    ]);
    expect(doc.text.slice(211, 331)).toBe('**Tomasz:** For me it is the data statement. Weights alone are not enough.\nIt has to say where every sentence came from.');
  });

  it('reads Otter.ai blocks: "Name  M:SS" on its own line, the words below', async () => {
    const doc = (await parseImportFile('podcast-otter.txt', importFixture('podcast-otter.txt'))).documents[0]!;
    expect(doc.speakers).toEqual(['Hana Sato', 'Rui Costa', 'Unknown Speaker']);
    expect(doc.turns).toEqual([
      { start: 0, end: 74, speaker: 'Hana Sato', time: 0, isInterviewer: false },
      { start: 76, end: 147, speaker: 'Rui Costa', time: 6, isInterviewer: false },
      { start: 149, end: 194, speaker: 'Unknown Speaker', time: 3735, isInterviewer: false },
    ]);
    expect(doc.text.slice(76, 147)).toBe('Rui Costa  0:06  \nSure. We shipped it on a Friday, which was a mistake.');
  });

  it('gives f4 time marks to turns as their start: the mark at the end of the paragraph before', () => {
    const text = 'Intro #00:00:04-0#\n\nI: Ready? #00:00:06-5#\n\nB: Yes. #00:01:00-0#';
    const doc = parsePlainText('f4.txt', text, 'txt', 'utf-8').documents[0]!;
    expect(doc.turns.map((t) => [t.speaker, t.time])).toEqual([
      ['I', 4],
      ['B', 6.5],
    ]);
    expect(doc.notes).toEqual(['f4 time marks (#00:01:16-1#) give the end of each paragraph, so each turn was given the time of the mark before it.']);
  });

  it('imports text without speaker labels as one document without turns', () => {
    const result = parsePlainText('memo.txt', 'Field notes.\nNo speakers here.', 'txt', 'utf-8');
    expect(result.documents[0]).toEqual({
      title: 'memo',
      text: 'Field notes.\nNo speakers here.',
      turns: [],
      speakers: [],
      sourceFormat: 'txt',
      encoding: 'utf-8',
      notes: [],
      caseName: null,
      participantNames: [],
      codings: [],
    });
  });
});
