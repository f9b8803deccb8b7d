/**
 * f4transkript's time marks, "#00:01:16-1#" (hours:minutes:seconds-tenths), which f4 writes at
 * the end of every paragraph: a mark is when that paragraph ends, so a turn starts at the
 * mark before it.
 */
import type { SpeakerTurn } from '../model/types.ts';

const MARK = /#(\d{1,2}):(\d{2}):(\d{2})(?:[-.,](\d))?#/g;

export const F4_NOTE = 'f4 time marks (#00:01:16-1#) give the end of each paragraph, so each turn was given the time of the mark before it.';

/** Seconds at each f4 mark in the text, with the offset just after the mark. */
export function f4Marks(text: string): { end: number; time: number }[] {
  return [...text.matchAll(MARK)].map((m) => ({
    end: m.index + m[0].length,
    time: (Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3]) + Number(m[4] ?? 0) / 10,
  }));
}

/**
 * Turns without a time of their own take the last f4 mark before them; a turn before
 * any mark starts with the recording (0). Turns come back unchanged when the text has no marks.
 */
export function withF4Times(text: string, turns: readonly SpeakerTurn[]): { turns: SpeakerTurn[]; found: boolean } {
  const marks = f4Marks(text);
  if (marks.length === 0) return { turns: [...turns], found: false };
  return {
    found: true,
    turns: turns.map((turn) => {
      if (turn.time !== null) return turn;
      const before = marks.filter((m) => m.end <= turn.start).at(-1);
      return { ...turn, time: before ? before.time : 0 };
    }),
  };
}
