/**
 * What an input file is, and its records. The extension decides (.qdpx, .qde, .qdc,
 * .cartography.json or .json, .csv); a .xml file or a name without a known extension is
 * told by its first bytes (a ZIP package is a project, "{" a study file, "<CodeBook" a
 * codebook, "<Project" a bare project file). Every reader's problems come back as one
 * CliError that names the file.
 */
import { checkStudyRecords } from '../../shared/model/integrity.ts';
import { newGuid } from '../../shared/model/ids.ts';
import type { StudyRecords } from '../../shared/model/types.ts';
import type { QdpxCounts } from '../../shared/refi/qde-import.ts';
import { StudyFileError, type StudyFileProblem, type StudyFileSettings } from '../../shared/study-file/format.ts';
import { readStudyFileContents, type StudyFileContents } from '../../shared/study-file/read.ts';
import { readCodebookInput } from './codebook-input.ts';
import { CliError, problemsError, q } from './errors.ts';
import type { CliIo } from './io.ts';
import { readProjectInput } from './qdpx-input.ts';

export type InputFormat = 'native' | 'qdpx' | 'qde' | 'qdc' | 'csv';

export const FORMAT_NAMES: Record<InputFormat, string> = {
  native: 'a Cartography study file',
  qdpx: 'a REFI-QDA project',
  qde: 'a REFI-QDA project file',
  qdc: 'a REFI-QDA codebook',
  csv: 'a codebook table (CSV)',
};

export interface Input {
  path: string;
  format: InputFormat;
  records: StudyRecords;
  /** A codebook file (.qdc, CSV): no documents, codings, cases or coders to speak of. */
  codebookOnly: boolean;
  /** What the reader changed on the way (for standard error). */
  warnings: string[];
  /** A project's counts as written in its project file (.qdpx only). */
  projectCounts?: QdpxCounts;
  /** A study file's settings (saved views, pinned exemplars, …), kept when it is written again; empty for other formats. */
  settings: StudyFileSettings;
}

const KNOWN = 'Cartography reads .qdpx (REFI-QDA project; also a bare .qde with its sources inline), .qdc (REFI-QDA codebook), .cartography.json (study file) and .csv (codebook table).';

/** Files the app imports as transcripts (shared/import/): not something the command line reads. */
const TRANSCRIPT_EXTENSIONS = ['.txt', '.md', '.docx', '.pdf', '.vtt', '.srt'];

const startsWithText = (bytes: Uint8Array, text: string): boolean => {
  const head = new TextDecoder('utf-8').decode(bytes.subarray(0, 512)).replace(/^\uFEFF/, '').trimStart();
  return head.startsWith(text);
};

/** The format of an input, by extension first and by content when the extension does not say. */
export function detectFormat(path: string, bytes: Uint8Array): InputFormat {
  const name = path.toLowerCase();
  if (name.endsWith('.qdpx')) return 'qdpx';
  if (name.endsWith('.qdc')) return 'qdc';
  if (name.endsWith('.json')) return 'native';
  if (name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.qde')) return 'qde';
  const transcript = TRANSCRIPT_EXTENSIONS.find((ext) => name.endsWith(ext));
  if (transcript !== undefined) {
    throw new CliError(`${q(path)} is a transcript (${transcript}), not a study, project or codebook. Import transcripts in the app (Documents → Import transcripts), then export the study. ${KNOWN}`);
  }
  if (bytes.length === 0) throw new CliError(`${q(path)} is empty (0 bytes), and its name does not say what it should be. ${KNOWN}`);
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'qdpx';
  if (startsWithText(bytes, '{')) return 'native';
  if (startsWithText(bytes, '<')) {
    const head = new TextDecoder('utf-8').decode(bytes.subarray(0, 4096));
    if (/<(\w+:)?CodeBook[\s>]/.test(head) && !/<(\w+:)?Project[\s>]/.test(head)) return 'qdc';
    if (/<(\w+:)?Project[\s>]/.test(head)) return 'qde';
  }
  throw new CliError(`Cannot tell what ${q(path)} is: its name has no known extension and its content is not one of the formats. ${KNOWN}`);
}

function readNative(path: string, bytes: Uint8Array, now: string): StudyFileContents {
  const invalid = (problems: readonly StudyFileProblem[]) => problemsError(`${q(path)} is not a valid Cartography study file:`, problems, (p) => `  ${p.path}: ${p.message}`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalid([{ path: '(file)', message: 'is not UTF-8 text; study files are JSON written by Cartography' }]);
  }
  try {
    const contents = readStudyFileContents(text, path, { now, newId: newGuid });
    const problems = checkStudyRecords(contents.records);
    if (problems.length > 0) throw new StudyFileError(path, problems);
    return contents;
  } catch (error) {
    if (error instanceof StudyFileError) throw invalid(error.problems);
    throw error;
  }
}

async function readFormat(path: string, bytes: Uint8Array, format: InputFormat, now: string): Promise<Input> {
  switch (format) {
    case 'native': {
      const { records, settings } = readNative(path, bytes, now);
      return { path, format, records, codebookOnly: false, warnings: [], settings };
    }
    case 'qdpx':
    case 'qde': {
      const { records, counts, notes } = await readProjectInput(path, bytes, now, format);
      return { path, format, records, codebookOnly: false, warnings: notes, projectCounts: counts, settings: {} };
    }
    case 'qdc':
    case 'csv': {
      const { records, warnings } = readCodebookInput(path, bytes, format, now);
      return { path, format, records, codebookOnly: true, warnings, settings: {} };
    }
  }
}

/** Reads an input file of any format the command line takes, and says its warnings on standard error ("note: …"). */
export async function readInput(path: string, io: CliIo): Promise<Input> {
  const bytes = await io.readFile(path);
  const input = await readFormat(path, bytes, detectFormat(path, bytes), io.now());
  for (const warning of input.warnings) io.stderr(`note: ${warning}\n`);
  return input;
}
