/**
 * Builds the stored text of formats that have no text of their own (subtitles, CSV rows,
 * Word paragraphs): one paragraph per turn, "Speaker: words", paragraphs separated by a
 * blank line, so the stored text reads like a transcript and turn offsets are exact.
 */
import type { SpeakerTurn } from '../model/types.ts';
import { isInterviewerLabel } from '../text/turns.ts';
import type { ParsedTranscript, SourceFormat } from './types.ts';

export interface Utterance {
  speaker: string | null;
  /** Seconds from the start of the recording, when known. */
  time: number | null;
  words: string;
}

export interface AssembledText {
  text: string;
  turns: SpeakerTurn[];
  /** Where each utterance's words sit in the text (after "Speaker: "). */
  words: { start: number; end: number }[];
}

export function assembleText(utterances: readonly Utterance[]): AssembledText {
  let text = '';
  const turns: SpeakerTurn[] = [];
  const words: { start: number; end: number }[] = [];
  for (const u of utterances) {
    if (text !== '') text += '\n\n';
    const start = text.length;
    text += u.speaker === null ? '' : `${u.speaker}: `;
    const wordsStart = text.length;
    text += u.words;
    turns.push({ start, end: text.length, speaker: u.speaker, time: u.time, isInterviewer: u.speaker !== null && isInterviewerLabel(u.speaker) });
    words.push({ start: wordsStart, end: text.length });
  }
  return { text, turns, words };
}

/** Distinct speakers in order of first appearance. */
export function speakersOf(turns: readonly SpeakerTurn[]): string[] {
  return [...new Set(turns.flatMap((t) => (t.speaker === null ? [] : [t.speaker])))];
}

/** Directory and extension removed, underscores as spaces: "Interview_P03_Bielik.docx" → "Interview P03 Bielik". */
export function titleFromFileName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const dot = base.lastIndexOf('.');
  const stem = dot > 0 ? base.slice(0, dot) : base;
  const title = stem.replace(/_+/g, ' ').replace(/\s+/g, ' ').trim();
  return title === '' ? base : title;
}

/** Lower-case extension without the dot ("" when there is none). */
export function extensionOf(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

export function transcript(
  fileName: string,
  fields: Pick<ParsedTranscript, 'text' | 'turns' | 'encoding' | 'notes'> & { sourceFormat: SourceFormat },
): ParsedTranscript {
  return {
    title: titleFromFileName(fileName),
    speakers: speakersOf(fields.turns),
    caseName: null,
    participantNames: [],
    codings: [],
    ...fields,
  };
}
