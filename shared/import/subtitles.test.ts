import { describe, expect, it } from 'vitest';
import { badFixture, importFixture } from '../../fixtures/import/files.ts';
import { parseImportFile } from './import-file.ts';
import { parseSubtitles, parseTiming } from './subtitles.ts';

describe('parseTiming', () => {
  it('reads the start of WebVTT, Whisper (no hours) and SubRip timing lines', () => {
    expect(parseTiming('00:01:02.345 --> 00:01:03.000')).toBe(62.345);
    expect(parseTiming('01:02.500 --> 01:04.000 align:start position:10%')).toBe(62.5);
    expect(parseTiming('01:02:03,004 --> 01:02:05,000')).toBe(3723.004);
  });
  it('refuses broken arrows, one-digit seconds and minutes past 59', () => {
    expect(parseTiming('00:00:03.500 -> 00:00:06.000')).toBeNull();
    expect(parseTiming('00:00:06.000 --> 00:00:6.5')).toBeNull();
    expect(parseTiming('00:61:00.000 --> 00:62:00.000')).toBeNull();
  });
});

describe('WebVTT and SubRip transcripts', () => {
  it('merges consecutive cues of one speaker, reads <v> voices, strips tags and keeps U+00A0 inside the words', async () => {
    const result = await parseImportFile('meeting.vtt', importFixture('meeting.vtt'));
    expect(result.problems).toEqual([]);
    const doc = result.documents[0]!;
    expect(doc.text).toBe(
      [
        'Amara Okafor: Welcome, everyone. Today we look at the contributor guide.',
        'Jonas Berg: I read it twice & still had questions.',
        'Mm-hm.',
        'Jonas Berg: The section on 20\u00A0GB downloads',
        'Amara Okafor: Noted.',
      ].join('\n\n'),
    );
    expect(doc).toMatchObject({ title: 'meeting', sourceFormat: 'vtt', encoding: 'utf-8', notes: [], speakers: ['Amara Okafor', 'Jonas Berg'] });
    expect(doc.turns).toEqual([
      { start: 0, end: 72, speaker: 'Amara Okafor', time: 1.25, isInterviewer: false },
      { start: 74, end: 124, speaker: 'Jonas Berg', time: 8, isInterviewer: false },
      { start: 126, end: 132, speaker: null, time: 11, isInterviewer: false },
      { start: 134, end: 176, speaker: 'Jonas Berg', time: 12.2, isInterviewer: false },
      { start: 178, end: 198, speaker: 'Amara Okafor', time: 15, isInterviewer: false },
    ]);
  });

  it('reads SubRip comma times, CRLF files and speaker labels, and marks the interviewer', async () => {
    const doc = (await parseImportFile('interview.srt', importFixture('interview.srt'))).documents[0]!;
    expect(doc.text).toBe('Interviewer: Could you say who you are?\n\nP11: I maintain the Welsh wordlist. Since 2019, with two others.\n\nInterviewer: Thank you.');
    expect(doc.turns).toEqual([
      { start: 0, end: 39, speaker: 'Interviewer', time: 0, isInterviewer: true },
      { start: 41, end: 105, speaker: 'P11', time: 3.6, isInterviewer: false },
      { start: 107, end: 130, speaker: 'Interviewer', time: 3723.004, isInterviewer: true },
    ]);
    expect(doc.sourceFormat).toBe('srt');
  });

  it('reports a malformed timing line with its line number and keeps the words of that cue without a time', async () => {
    const result = await parseImportFile('malformed-timing.vtt', badFixture('malformed-timing.vtt'));
    expect(result.problems).toEqual([
      {
        file: 'malformed-timing.vtt',
        line: 6,
        message: '“malformed-timing.vtt”, line 6: the timing line “00:00:03.500 -> 00:00:06.000” cannot be read, so the words of that cue were imported without a time.',
        hint: 'A timing line gives the start and end of a cue, such as 00:00:05.000 --> 00:00:07.500. Correct line 6 in a text editor and import the file again.',
      },
      {
        file: 'malformed-timing.vtt',
        line: 9,
        message: '“malformed-timing.vtt”, line 9: the timing line “00:00:06.000 --> 00:00:6.5” cannot be read, so the words of that cue were imported without a time.',
        hint: 'A timing line gives the start and end of a cue, such as 00:00:05.000 --> 00:00:07.500. Correct line 9 in a text editor and import the file again.',
      },
    ]);
    const doc = result.documents[0]!;
    expect(doc.text).toBe('Interviewer: Shall we begin?\n\nP08: Yes. I have notes.\n\nInterviewer: Go ahead.');
    expect(doc.turns.map((t) => [t.speaker, t.time])).toEqual([
      ['Interviewer', 1],
      ['P08', null],
      ['Interviewer', null],
    ]);
  });

  it('reports a SubRip cue whose timing line is missing, by the line where it should be', () => {
    const text = '1\n00:00:01,000 --> 00:00:02,000\nP01: One.\n\n2\nP01: Two.\n\n3\n00:00:05,000 --> 00:00:06,000\nP02: Three.\n';
    const result = parseSubtitles('gap.srt', text, 'srt', 'utf-8');
    expect(result.problems).toEqual([
      {
        file: 'gap.srt',
        line: 6,
        message: '“gap.srt”, line 6: cue 2 has no timing line, so its words were imported without a time.',
        hint: 'Add a timing line such as 00:00:05,000 --> 00:00:07,500 under the cue number in a text editor and import the file again.',
      },
    ]);
    expect(result.documents[0]!.text).toBe('P01: One. Two.\n\nP02: Three.');
  });

  it('keeps words after a blank line inside a cue with that cue, and skips NOTE and STYLE blocks', () => {
    const text = 'WEBVTT\n\nSTYLE\n::cue { color: lime }\n\n00:01.000 --> 00:02.000\nFirst half\n\nsecond half.\n\nNOTE a comment\n\n00:03.000 --> 00:04.000\nNext.';
    const doc = parseSubtitles('w.vtt', text, 'vtt', 'utf-8').documents[0]!;
    expect(doc.text).toBe('First half second half.\n\nNext.');
    expect(doc.turns.map((t) => [t.speaker, t.time])).toEqual([
      [null, 1],
      [null, 3],
    ]);
  });

  it('splits one cue with two voices into two turns', () => {
    const doc = parseSubtitles('v.vtt', 'WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v.loud Ana>Ready?\n<v Bo>Yes.</v>', 'vtt', 'utf-8').documents[0]!;
    expect(doc.text).toBe('Ana: Ready?\n\nBo: Yes.');
    expect(doc.turns.map((t) => [t.speaker, t.time])).toEqual([
      ['Ana', 1],
      ['Bo', 1],
    ]);
  });

  it('notes a .vtt file without the WEBVTT header but reads it', () => {
    const doc = parseSubtitles('n.vtt', '00:00:01.000 --> 00:00:02.000\nHi.', 'vtt', 'utf-8').documents[0]!;
    expect(doc.notes).toEqual(['The file does not start with “WEBVTT”; it was read as subtitles all the same.']);
    expect(doc.text).toBe('Hi.');
  });

  it('refuses a subtitle file without cues', () => {
    expect(parseSubtitles('e.vtt', 'WEBVTT\n\nNOTE nothing yet\n', 'vtt', 'utf-8')).toEqual({
      file: 'e.vtt',
      documents: [],
      problems: [
        {
          file: 'e.vtt',
          message: '“e.vtt” has no subtitle cues with words in them.',
          hint: 'A cue is a timing line such as 00:00:05.000 --> 00:00:07.500 followed by the words spoken; check that this is the transcript and not an empty template.',
        },
      ],
    });
  });
});
