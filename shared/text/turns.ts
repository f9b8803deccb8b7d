import type { SpeakerTurn } from '../model/types.ts';

// A speaker label: a capitalised name of up to about 40 characters ("P01", "Dr. Melissa Ko").
const NAME = String.raw`[\p{Lu}][\p{L}\p{N} .'’()-]{0,40}?`;
// A clock time such as 1:02, 01:02:03 or 00:01:02.5, optionally in brackets or parentheses.
const TIME = String.raw`\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?`;

// "Name: text", "[00:01:02] Name: text", "00:01:02 Name: text", "(01:02) Name: text",
// and Markdown's "**Name:** text" or "**Name**: text".
const LABEL_LINE = new RegExp(
  String.raw`^(?:[\[(]?(${TIME})[\])]?\s+)?(?:(${NAME}):|\*\*(${NAME})(?::\*\*|\*\*:))[ \t]`,
  'u',
);
// Otter.ai's export: the name, two or more spaces and the time alone on a line ("Emma  0:22"),
// the words on the lines after it.
const OTTER_LINE = new RegExp(String.raw`^(${NAME})[ \t]{2,}(${TIME})[ \t]*$`, 'u');

const INTERVIEWER_NAMES = new Set(['interviewer', 'i', 'int', 'q', 'moderator', 'researcher']);

/** Seconds in "1:02", "01:02:03" or "00:01:02.500" (comma accepted for the fraction); null when unreadable. */
export function parseTimestamp(value: string): number | null {
  const parts = value.replace(',', '.').split(':').map(Number);
  if (parts.some((n) => !Number.isFinite(n))) return null;
  // Rounded to milliseconds so that "00:01:02.05" is 62.05, not 62.050000000000004.
  return Math.round(parts.reduce((total, n) => total * 60 + n, 0) * 1000) / 1000;
}

/** True for labels that usually name the interviewer ("Interviewer", "I", "Q", …) or for one of `extra`. */
export function isInterviewerLabel(speaker: string, extra: readonly string[] = []): boolean {
  const name = speaker.toLowerCase();
  return INTERVIEWER_NAMES.has(name) || extra.some((n) => n.toLowerCase() === name);
}

/** The speaker and time a line opens a turn with, or null when it opens none. */
export function matchTurnLine(line: string): { speaker: string; time: number | null } | null {
  const otter = OTTER_LINE.exec(line);
  if (otter) return { speaker: otter[1]!.trim(), time: parseTimestamp(otter[2]!) };
  const label = LABEL_LINE.exec(line);
  if (label) return { speaker: (label[2] ?? label[3]!).trim(), time: label[1] ? parseTimestamp(label[1]) : null };
  return null;
}

/**
 * Finds speaker turns in normalised text: a turn starts at a line that opens with a
 * speaker label (optionally after a timestamp, or as Otter.ai's "Name  0:22" line) and runs
 * to the next such line. `interviewers` names the speakers to mark as interviewer
 * (case-insensitive), in addition to the usual labels such as "Interviewer" or "I".
 */
export function detectTurns(text: string, interviewers: readonly string[] = []): SpeakerTurn[] {
  const starts: { start: number; speaker: string; time: number | null }[] = [];
  let lineStart = 0;
  while (lineStart <= text.length) {
    const lineEnd = text.indexOf('\n', lineStart);
    const match = matchTurnLine(text.slice(lineStart, lineEnd === -1 ? text.length : lineEnd));
    if (match) starts.push({ start: lineStart, ...match });
    if (lineEnd === -1) break;
    lineStart = lineEnd + 1;
  }
  return starts.map((turn, index) => {
    let end = index + 1 < starts.length ? starts[index + 1]!.start : text.length;
    while (end > turn.start && text[end - 1] === '\n') end -= 1;
    return {
      start: turn.start,
      end,
      speaker: turn.speaker,
      time: turn.time,
      isInterviewer: isInterviewerLabel(turn.speaker, interviewers),
    };
  });
}
