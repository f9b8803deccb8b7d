import { describe, expect, it } from 'vitest';
import { bucketRanges, formatTime, piecesOf, textBlocks } from './blocks.ts';
import { detectTurns } from './turns.ts';

describe('textBlocks', () => {
  it('uses speaker turns and falls back to paragraphs around them', () => {
    const text = 'Title line\n\nIntro paragraph.\nInterviewer: Q?\n\nP01: A.';
    const blocks = textBlocks(text, detectTurns(text));
    expect(blocks.map((b) => [text.slice(b.start, b.end), b.speaker])).toEqual([
      ['Title line', null],
      ['Intro paragraph.\n', null],
      ['Interviewer: Q?', 'Interviewer'],
      ['P01: A.', 'P01'],
    ]);
  });
});

describe('piecesOf', () => {
  it('cuts a block at overlapping range boundaries and lists what covers each piece', () => {
    const a = { start: 2, end: 6, id: 'a' };
    const b = { start: 4, end: 12, id: 'b' };
    const outside = { start: 20, end: 25, id: 'x' };
    const pieces = piecesOf(0, 10, [a, b, outside]);
    expect(pieces.map((p) => [p.start, p.end, p.covering.map((r) => r.id)])).toEqual([
      [0, 2, []],
      [2, 4, ['a']],
      [4, 6, ['a', 'b']],
      [6, 10, ['b']],
    ]);
  });
  it('returns the whole block as one piece when nothing covers it', () => {
    expect(piecesOf(5, 9, [])).toEqual([{ start: 5, end: 9, covering: [] }]);
  });
});

describe('formatTime', () => {
  it('writes seconds as hh:mm:ss', () => {
    expect(formatTime(3723)).toBe('01:02:03');
  });
});

describe('bucketRanges', () => {
  it('puts each range in every block it overlaps, and no other', () => {
    const blocks = [{ start: 0, end: 10 }, { start: 12, end: 20 }, { start: 20, end: 30 }];
    const ranges = [
      { id: 'a', start: 2, end: 4 },
      { id: 'b', start: 8, end: 15 }, // across the gap into the second block
      { id: 'c', start: 10, end: 12 }, // only in the gap
      { id: 'd', start: 19, end: 21 },
      { id: 'e', start: 30, end: 35 }, // after the last block
    ];
    expect(bucketRanges(blocks, ranges).map((b) => b.map((r) => r.id))).toEqual([['a', 'b'], ['b', 'd'], ['d']]);
  });
});
