/**
 * What the import layer gives back: parsed transcripts ready to become documents, and
 * problems written for the researcher. Plain data; the app writes each file's documents
 * in one transaction.
 */
import type { SpeakerTurn } from '../model/types.ts';

export const SOURCE_FORMATS = ['txt', 'md', 'vtt', 'srt', 'docx', 'pdf', 'csv'] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];

/** Something wrong with a file (no row or line), or with one row or line of it. */
export interface ImportProblem {
  file: string;
  /** Spreadsheet row, header = row 1 (CSV). */
  row?: number;
  /** 1-based line of the file (subtitles). */
  line?: number;
  /** What is wrong, naming the file and the row or line. */
  message: string;
  /** What to do about it. */
  hint: string;
}

/** Code names a CSV row carried, for the span of that row's words. */
export interface ParsedCoding {
  /** Index into the transcript's turns. */
  turn: number;
  /** UTF-16 offsets of the row's words in the text (without the speaker label). */
  start: number;
  end: number;
  codeNames: string[];
  /** Spreadsheet row it came from (header = row 1). */
  row: number;
}

export interface ParsedTranscript {
  /** Suggested title: the file name without extension, or the CSV document column's value. */
  title: string;
  /** Normalised text (shared/text/normalise.ts); turn and coding offsets point into it. */
  text: string;
  turns: SpeakerTurn[];
  /** Distinct speaker names in order of first appearance. */
  speakers: string[];
  sourceFormat: SourceFormat;
  /** e.g. "utf-8", "utf-8 with BOM", "windows-1252 (converted)", "docx". */
  encoding: string;
  /** Decisions the import made that the researcher may want to check. */
  notes: string[];
  /** From a CSV's case column; null for other files (see suggestAssignment). */
  caseName: string | null;
  /** From a CSV's participant column; empty for other files. */
  participantNames: string[];
  /** From a CSV's codes column; empty for other files. */
  codings: ParsedCoding[];
}

/**
 * The outcome for one file. Problems without documents mean the file was refused;
 * problems beside documents name rows or lines that were skipped or need a look.
 */
export interface ImportResult {
  file: string;
  documents: ParsedTranscript[];
  problems: ImportProblem[];
}

export function fileProblem(file: string, message: string, hint: string): ImportProblem {
  return { file, message, hint };
}

export function refused(file: string, message: string, hint: string): ImportResult {
  return { file, documents: [], problems: [fileProblem(file, message, hint)] };
}
