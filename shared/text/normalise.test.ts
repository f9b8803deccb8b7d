import { describe, expect, it } from 'vitest';
import { countWords, normaliseText } from './normalise.ts';
import { detectTurns, matchTurnLine, parseTimestamp } from './turns.ts';

describe('normaliseText', () => {
  it('removes a leading byte-order mark and only that', () => {
    expect(normaliseText('\uFEFFHello \uFEFF')).toBe('Hello \uFEFF');
  });

  it('turns CRLF and lone CR into LF', () => {
    expect(normaliseText('a\r\nb\rc\nd\r\n\r\n')).toBe('a\nb\nc\nd\n\n');
  });

  it('changes nothing else: whitespace, accents and emoji keep their UTF-16 length', () => {
    const text = '  Bokmål — café 🙂\t end  ';
    expect(normaliseText(text)).toBe(text);
    expect(normaliseText(text).length).toBe(text.length);
  });
});

describe('countWords', () => {
  it('counts words with apostrophes, hyphens and non-Latin letters as one each', () => {
    expect(countWords("We didn't fine-tune Bokmål models — ½ of them")).toBe(8);
  });
  it('is zero for blank text', () => {
    expect(countWords(' \n\t ')).toBe(0);
  });
});

describe('detectTurns', () => {
  const text = [
    'Interviewer: How did it start?',
    '',
    'P01: With a cluster.',
    'It kept going on this line.',
    '[00:01:02] P01: Then the data.',
    '00:02:03 Interviewer: And after?',
    'no speaker here: not at line start? yes it is, but lower case',
  ].join('\n');

  it('finds each speaker label at a line start, with optional timestamps, and ends a turn where the next begins', () => {
    const turns = detectTurns(text);
    expect(turns.map((t) => [t.speaker, t.time, t.isInterviewer])).toEqual([
      ['Interviewer', null, true],
      ['P01', null, false],
      ['P01', 62, false],
      ['Interviewer', 123, true],
    ]);
    expect(text.slice(turns[1]!.start, turns[1]!.end)).toBe('P01: With a cluster.\nIt kept going on this line.');
    expect(turns[0]!.end).toBe('Interviewer: How did it start?'.length);
    expect(turns[3]!.end).toBe(text.length);
  });

  it('marks the speakers it is told are interviewers', () => {
    const turns = detectTurns('Ana: Hello\nBo: Hi', ['ana']);
    expect(turns.map((t) => t.isInterviewer)).toEqual([true, false]);
  });

  it('returns no turns for text without speaker labels', () => {
    expect(detectTurns('Just a paragraph.\nAnother one.')).toEqual([]);
  });
});

describe('detectTurns in exported transcripts', () => {
  it('reads Otter.ai blocks: "Name  M:SS" alone on a line starts a turn with that time, the words follow', () => {
    const text = 'Emma  0:00  \nHello there.\n\nUnknown Speaker  1:02:03\nHi.\n';
    expect(detectTurns(text)).toEqual([
      { start: 0, end: 25, speaker: 'Emma', time: 0, isInterviewer: false },
      { start: 27, end: 55, speaker: 'Unknown Speaker', time: 3723, isInterviewer: false },
    ]);
  });

  it('reads Markdown bold labels and times in parentheses or with fractions', () => {
    expect(matchTurnLine('**Interviewer:** Why?')).toEqual({ speaker: 'Interviewer', time: null });
    expect(matchTurnLine('**P01**: Because.')).toEqual({ speaker: 'P01', time: null });
    expect(matchTurnLine('(01:02) P01: Later.')).toEqual({ speaker: 'P01', time: 62 });
    expect(matchTurnLine('[00:01:02.5] P01: Later.')).toEqual({ speaker: 'P01', time: 62.5 });
  });

  it('does not take a sentence, a lower-case word or a name with a time and more words for a label', () => {
    expect(matchTurnLine('the answer: no')).toBeNull();
    expect(matchTurnLine('Emma  0:22 said hello')).toBeNull();
    expect(matchTurnLine('Emma 0:22')).toBeNull();
    expect(matchTurnLine('Ratio 3:1 was chosen')).toBeNull();
  });
});

describe('parseTimestamp', () => {
  it('reads m:ss, h:mm:ss and fractions with a point or a comma, rounded to milliseconds', () => {
    expect(parseTimestamp('1:02')).toBe(62);
    expect(parseTimestamp('01:02:03')).toBe(3723);
    expect(parseTimestamp('00:01:02.05')).toBe(62.05);
    expect(parseTimestamp('00:00:01,5')).toBe(1.5);
    expect(parseTimestamp('a:b')).toBeNull();
  });
});
