/**
 * WebVTT and SubRip transcripts (Zoom, Whisper, Teams, speech recognition): cues become
 * turns. Consecutive cues of the same speaker merge into one turn that keeps the first
 * cue's start time; cues without a speaker stay one turn each, so their times survive.
 */
import { assembleText, transcript, type Utterance } from './transcript.ts';
import type { ImportProblem, ImportResult } from './types.ts';

// 01:02:03.456, 02:03.456 (Whisper, no hours) or 01:02:03,456 (SubRip); the fraction may be missing.
const TIME = String.raw`(?:(\d+):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?`;
const TIMING_LINE = new RegExp(String.raw`^\s*${TIME}\s*-->\s*${TIME}(?:\s.*)?$`);
// Something a person meant as a timing line but got wrong ("00:01 -> 00:02", "00:01 – 00:02").
const TIMING_LIKE = /^\s*\d{1,2}:\d{2}[\d:.,]*\s*(?:-+>?|–|—|=>|to)\s*\d/;
const VOICE = /^<v(?:\.[^\s>]*)?\s+([^>]+)>/;
const LABEL = /^([\p{Lu}][\p{L}\p{N} .'’()-]{0,40}?):\s/u;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00A0', lrm: '\u200E', rlm: '\u200F' };

export function parseSubtitles(fileName: string, text: string, format: 'vtt' | 'srt', encoding: string, notes: readonly string[] = []): ImportResult {
  const lines = text.split('\n');
  const problems: ImportProblem[] = [];
  const utterances: Utterance[] = [];
  const allNotes = [...notes];

  const blocks = splitBlocks(lines);
  blocks.forEach((block, index) => {
    const first = block.lines[0]!.trim();
    if (index === 0 && /^WEBVTT(?:\s|$)/.test(first)) return;
    if (index === 0 && format === 'vtt') allNotes.push('The file does not start with “WEBVTT”; it was read as subtitles all the same.');
    if (/^(?:NOTE|STYLE|REGION)(?:\s|$)/.test(first)) return;

    const timingAt = block.lines.findIndex((l) => l.includes('-->'));
    if (timingAt === -1) {
      const guess = block.lines.findIndex((l) => TIMING_LIKE.test(l));
      if (guess !== -1) {
        problems.push(timingProblem(fileName, block.line + guess, block.lines[guess]!, format));
        addCue(block.lines.slice(guess + 1), null);
      } else if (/^\d+$/.test(first) && block.lines.length > 1) {
        problems.push({
          file: fileName,
          line: block.line + 1,
          message: `“${fileName}”, line ${block.line + 1}: cue ${first} has no timing line, so its words were imported without a time.`,
          hint: `Add a timing line such as ${example(format)} under the cue number in a text editor and import the file again.`,
        });
        addCue(block.lines.slice(1), null);
      } else {
        // Words after a blank line inside a cue: they belong to the cue before.
        addCue(block.lines, null, true);
      }
      return;
    }
    const timingLine = block.lines[timingAt]!;
    const start = parseTiming(timingLine);
    if (start === null) problems.push(timingProblem(fileName, block.line + timingAt, timingLine, format));
    addCue(block.lines.slice(timingAt + 1), start);
  });

  function addCue(payload: readonly string[], time: number | null, continuation = false) {
    speakerParts(payload).forEach((part, i) => {
      const last = utterances.at(-1);
      const continues = last !== undefined && ((continuation && i === 0 && part.speaker === null) || (part.speaker !== null && part.speaker === last.speaker));
      if (continues) last.words = joinWords(last.words, part.words);
      else if (part.words !== '') utterances.push({ speaker: part.speaker, time, words: part.words });
    });
  }

  if (utterances.length === 0) {
    const hint = `A cue is a timing line such as ${example(format)} followed by the words spoken; check that this is the transcript and not an empty template.`;
    return { file: fileName, documents: [], problems: [...problems, { file: fileName, message: `“${fileName}” has no subtitle cues with words in them.`, hint }] };
  }
  const { text: assembled, turns } = assembleText(utterances);
  return { file: fileName, documents: [transcript(fileName, { text: assembled, turns, sourceFormat: format, encoding, notes: allNotes })], problems };
}

/** Start of the cue in seconds, or null when the timing line is malformed. */
export function parseTiming(line: string): number | null {
  const m = TIMING_LINE.exec(line);
  if (!m) return null;
  const start = seconds(m[1], m[2]!, m[3]!, m[4]);
  const end = seconds(m[5], m[6]!, m[7]!, m[8]);
  if (start === null || end === null) return null;
  return start;
}

function seconds(hours: string | undefined, minutes: string, secs: string, fraction: string | undefined): number | null {
  const m = Number(minutes);
  const s = Number(secs);
  if (m > 59 || s > 59) return null;
  const ms = fraction === undefined ? 0 : Number(fraction.padEnd(3, '0'));
  return ((Number(hours ?? 0) * 60 + m) * 60 + s) + ms / 1000;
}

function splitBlocks(lines: readonly string[]): { line: number; lines: string[] }[] {
  const blocks: { line: number; lines: string[] }[] = [];
  let current: { line: number; lines: string[] } | null = null;
  lines.forEach((line, i) => {
    if (line.trim() === '') {
      current = null;
    } else if (current) {
      current.lines.push(line);
    } else {
      current = { line: i + 1, lines: [line] };
      blocks.push(current);
    }
  });
  return blocks;
}

/** A cue's lines split where a new speaker begins ("<v Ana>" or "Ana: "), tags removed. */
function speakerParts(payload: readonly string[]): { speaker: string | null; words: string }[] {
  const parts: { speaker: string | null; words: string }[] = [];
  for (const raw of payload) {
    let line = raw.trim();
    let speaker: string | null = null;
    const voice = VOICE.exec(line);
    if (voice) {
      speaker = cleanText(voice[1]!).trim() || null;
      line = line.slice(voice[0].length);
    }
    line = cleanText(line).trim();
    if (speaker === null) {
      const label = LABEL.exec(line);
      if (label) {
        speaker = label[1]!.trim();
        line = line.slice(label[0].length).trim();
      }
    }
    const last = parts[parts.length - 1];
    if (speaker === null && last) last.words = joinWords(last.words, line);
    else parts.push({ speaker, words: line });
  }
  return parts;
}

/** Markup removed (<i>, <c.yellow>, <00:00:01.000>, SubRip's {\an8}) and entities decoded. */
function cleanText(line: string): string {
  return line
    .replace(/<[^>]*>/g, '')
    .replace(/\{\\[^}]*\}/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name[0] === '#') {
        const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
      return ENTITIES[name.toLowerCase()] ?? whole;
    });
}

function joinWords(a: string, b: string): string {
  if (a === '') return b;
  if (b === '') return a;
  return `${a} ${b}`;
}

function example(format: 'vtt' | 'srt'): string {
  return format === 'srt' ? '00:00:05,000 --> 00:00:07,500' : '00:00:05.000 --> 00:00:07.500';
}

function timingProblem(fileName: string, line: number, text: string, format: 'vtt' | 'srt'): ImportProblem {
  return {
    file: fileName,
    line,
    message: `“${fileName}”, line ${line}: the timing line “${text.trim()}” cannot be read, so the words of that cue were imported without a time.`,
    hint: `A timing line gives the start and end of a cue, such as ${example(format)}. Correct line ${line} in a text editor and import the file again.`,
  };
}
