/**
 * Splits a transcript into the blocks the coding view renders (speaker turns, or
 * paragraphs where there are none), and a block into pieces with the codings that cover
 * them, so highlights can overlap without nesting elements.
 */
import type { SpeakerTurn } from '../model/types.ts';

export interface TextBlock {
  start: number;
  end: number;
  speaker: string | null;
  time: number | null;
  isInterviewer: boolean;
}

export function textBlocks(text: string, turns: readonly SpeakerTurn[]): TextBlock[] {
  const blocks: TextBlock[] = [];
  const addParagraphs = (from: number, to: number) => {
    const re = /\n\s*\n/g;
    re.lastIndex = from;
    let at = from;
    for (let m = re.exec(text); m && m.index < to; m = re.exec(text)) {
      if (m.index > at) blocks.push({ start: at, end: m.index, speaker: null, time: null, isInterviewer: false });
      at = m.index + m[0].length;
    }
    if (to > at && text.slice(at, to).trim() !== '') blocks.push({ start: at, end: to, speaker: null, time: null, isInterviewer: false });
  };
  let cursor = 0;
  for (const turn of turns) {
    if (turn.start > cursor) addParagraphs(cursor, turn.start);
    blocks.push({ start: turn.start, end: turn.end, speaker: turn.speaker, time: turn.time, isInterviewer: turn.isInterviewer });
    cursor = turn.end;
  }
  addParagraphs(cursor, text.length);
  return blocks;
}

export interface Piece<T> {
  start: number;
  end: number;
  covering: T[];
}

/** Cuts [start, end) at every range boundary inside it; each piece lists the ranges covering it. */
export function piecesOf<T extends { start: number; end: number }>(start: number, end: number, ranges: readonly T[]): Piece<T>[] {
  const inside = ranges.filter((r) => r.start < end && r.end > start);
  const cuts = new Set<number>([start, end]);
  for (const r of inside) {
    if (r.start > start) cuts.add(r.start);
    if (r.end < end) cuts.add(r.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const pieces: Piece<T>[] = [];
  for (let i = 0; i + 1 < points.length; i += 1) {
    const a = points[i]!;
    const b = points[i + 1]!;
    pieces.push({ start: a, end: b, covering: inside.filter((r) => r.start <= a && r.end >= b) });
  }
  return pieces;
}

/**
 * For each block (sorted and disjoint), the ranges overlapping it, in the ranges' order:
 * each range is placed by binary search, so a long transcript costs O(ranges × log blocks).
 */
export function bucketRanges<T extends { start: number; end: number }>(blocks: readonly { start: number; end: number }[], ranges: readonly T[]): T[][] {
  const buckets: T[][] = blocks.map(() => []);
  const firstEndingAfter = (offset: number) => {
    let lo = 0;
    let hi = blocks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (blocks[mid]!.end <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  for (const range of ranges) {
    for (let i = firstEndingAfter(range.start); i < blocks.length && blocks[i]!.start < range.end; i += 1) buckets[i]!.push(range);
  }
  return buckets;
}

export function formatTime(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.floor(seconds % 60);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(h)}:${two(m)}:${two(s)}`;
}
