import type { SpeakerTurn } from '../model/types.ts';

// "Name: text", "[00:01:02] Name: text", "00:01:02 Name: text", "[01:02] Name: text".
const TURN_LINE = /^(?:\[?(\d{1,2}:\d{2}(?::\d{2})?)\]?\s+)?([\p{Lu}][\p{L}\p{N} .'’()-]{0,40}?):[ \t]/u;
const INTERVIEWER_NAMES = new Set(['interviewer', 'i', 'int', 'q', 'moderator', 'researcher']);

export function parseTimestamp(value: string): number | null {
  const parts = value.split(':').map(Number);
  if (parts.some((n) => !Number.isFinite(n))) return null;
  return parts.reduce((total, n) => total * 60 + n, 0);
}

/**
 * Finds speaker turns in normalised text: a turn starts at a line that opens with a
 * speaker label (optionally after a timestamp) and runs to the next such line.
 * `interviewers` names the speakers to mark as interviewer (case-insensitive), in
 * addition to the usual labels such as "Interviewer" or "I".
 */
export function detectTurns(text: string, interviewers: readonly string[] = []): SpeakerTurn[] {
  const interviewerSet = new Set([...INTERVIEWER_NAMES, ...interviewers.map((n) => n.toLowerCase())]);
  const starts: { start: number; speaker: string; time: number | null }[] = [];
  let lineStart = 0;
  while (lineStart <= text.length) {
    const lineEnd = text.indexOf('\n', lineStart);
    const line = text.slice(lineStart, lineEnd === -1 ? text.length : lineEnd);
    const match = TURN_LINE.exec(line);
    if (match) {
      starts.push({ start: lineStart, speaker: match[2]!.trim(), time: match[1] ? parseTimestamp(match[1]) : null });
    }
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
      isInterviewer: interviewerSet.has(turn.speaker.toLowerCase()),
    };
  });
}
