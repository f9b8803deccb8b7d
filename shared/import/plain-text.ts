/**
 * Plain text and Markdown transcripts: the text is kept as it is; turns come from speaker
 * labels ("Name:", "[00:01:02] Name:", Otter.ai's "Name  0:22" lines) and f4 time marks.
 */
import { detectTurns } from '../text/turns.ts';
import { F4_NOTE, withF4Times } from './f4.ts';
import { transcript } from './transcript.ts';
import type { ImportResult, ParsedTranscript } from './types.ts';

export function parsePlainText(fileName: string, text: string, format: 'txt' | 'md', encoding: string, notes: readonly string[] = []): ImportResult {
  return { file: fileName, documents: [textTranscript(fileName, text, format, encoding, notes)], problems: [] };
}

/** A transcript of text that is already final (plain text, Word paragraphs, a PDF's text layer). */
export function textTranscript(fileName: string, text: string, format: ParsedTranscript['sourceFormat'], encoding: string, notes: readonly string[]): ParsedTranscript {
  const f4 = withF4Times(text, detectTurns(text));
  return transcript(fileName, { text, turns: f4.turns, sourceFormat: format, encoding, notes: f4.found && f4.turns.length > 0 ? [...notes, F4_NOTE] : [...notes] });
}
