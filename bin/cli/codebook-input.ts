/**
 * A codebook file (.qdc, or Cartography's codebook CSV) read on its own, outside any study,
 * as the records of a study that holds only that codebook.
 *
 * The readers resolve each code's stage by name against a study's stages. A file read on
 * its own has no study, so its stages are the stage names the file itself uses, in order of
 * first use: a codebook exported by Cartography keeps its stages, and a file from another
 * program (no stages) gives cross-stage codes.
 */
import Papa from 'papaparse';
import { decodeDescription } from '../../shared/codebook/description.ts';
import { readCodebookFile } from '../../shared/codebook/import-plan.ts';
import { childElements, parseXml, textContent, XmlError, type XmlElement } from '../../shared/codebook/xml.ts';
import { decodeWindows1252, startsWith } from '../../shared/import/decode.ts';
import { newGuid } from '../../shared/model/ids.ts';
import type { Guid, Stage, StudyRecords } from '../../shared/model/types.ts';
import { normaliseText } from '../../shared/text/normalise.ts';
import { CliError, problemsError, q } from './errors.ts';

/** The bytes as text, as the codebook reader decodes them (UTF-8 or UTF-16 with BOM, else Windows-1252). */
function decode(bytes: Uint8Array): string {
  if (startsWith(bytes, [0xff, 0xfe])) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (startsWith(bytes, [0xfe, 0xff])) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const body = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? bytes.subarray(3) : bytes;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return decodeWindows1252(body);
  }
}

/** The stage names a .qdc's codes carry in Cartography's description line, in order of first use. */
export function qdcStageNames(text: string): string[] {
  let root: XmlElement;
  try {
    root = parseXml(text);
  } catch (error) {
    if (error instanceof XmlError) return []; // the reader reports it, with its line
    throw error;
  }
  const names: string[] = [];
  const visit = (element: XmlElement): void => {
    for (const code of childElements(element, 'Code')) {
      const description = childElements(code, 'Description')[0];
      const stage = description ? decodeDescription(textContent(description)).stage : null;
      if (stage !== null && stage.trim() !== '' && !names.includes(stage)) names.push(stage);
      visit(code);
    }
  };
  const book = root.local === 'CodeBook' ? root : childElements(root, 'CodeBook')[0];
  for (const codes of book ? childElements(book, 'Codes') : []) visit(codes);
  return names;
}

const headerKey = (cell: string): string => cell.toLowerCase().replace(/[\s_-]+/g, '');

/** The header cells of a CSV text (empty when it has none). */
export function csvHeader(text: string): string[] {
  const parsed = Papa.parse<string[]>(normaliseText(text), { delimiter: '', newline: '\n', preview: 1 });
  return parsed.data[0] ?? [];
}

/** The stage names of a codebook CSV's stage column, in order of first use. */
export function csvStageNames(text: string): string[] {
  const parsed = Papa.parse<string[]>(normaliseText(text), { delimiter: '', newline: '\n', skipEmptyLines: true });
  const [header = [], ...rows] = parsed.data;
  const at = header.findIndex((cell) => headerKey(cell) === 'stage');
  if (at === -1) return [];
  const names: string[] = [];
  for (const row of rows) {
    const name = (row[at] ?? '').trim();
    if (name !== '' && !names.some((n) => n.toLowerCase() === name.toLowerCase())) names.push(name);
  }
  return names;
}

/** A codings table (the `convert … --table codings` output) rather than a codebook. */
export function looksLikeCodingsCsv(header: readonly string[]): boolean {
  const keys = new Set(header.map(headerKey));
  return keys.has('codepath') && keys.has('start') && keys.has('end') && !keys.has('name');
}

/** The file's name without its folders and its codebook extension, for the study's name. */
export const stemOf = (path: string): string =>
  (path.split(/[\\/]/).pop() ?? path).replace(/(\.codebook)?\.(qdc|csv|xml)$/i, '').replace(/\.cartography\.json$|\.json$|\.qdpx$/i, '') || 'Codebook';

/**
 * Reads a codebook file into the records of a study holding only it. Every problem of the
 * reader comes back in one CliError, each with the file, its line or row, and what to do.
 */
export function readCodebookInput(path: string, bytes: Uint8Array, format: 'qdc' | 'csv', now: string): { records: StudyRecords; warnings: string[] } {
  const text = bytes.length === 0 ? '' : decode(bytes);
  if (format === 'csv' && looksLikeCodingsCsv(csvHeader(text))) {
    throw new CliError(
      `${q(path)} is a codings table (document, case, start, end, text, code path, coder): the command line writes such tables but does not read them.\n` +
        'Convert the study file or .qdpx project they came from instead, or import the codings in the app (Documents → Import transcripts, CSV of coded excerpts).',
    );
  }
  const studyId: Guid = newGuid();
  const names = bytes.length === 0 ? [] : format === 'qdc' ? qdcStageNames(text) : csvStageNames(text);
  const stages: Stage[] = names.map((name, order) => ({ id: newGuid(), studyId, createdAt: now, modifiedAt: now, createdBy: null, name, description: '', order }));
  // The reader takes its format from the extension; a .xml codebook is read as .qdc.
  const fileName = format === 'qdc' && !/\.qdc$/i.test(path) ? `${path}.qdc` : format === 'csv' && !/\.csv$/i.test(path) ? `${path}.csv` : path;
  const file = readCodebookFile(fileName, bytes, stages, { studyId, now, coderId: null, newId: newGuid });
  if (file.problems.length > 0) {
    throw problemsError(`${q(path)} is not a codebook that can be read:`, file.problems, (p) => `  ${p.message.replaceAll(q(fileName), q(path))}\n    What to do: ${p.hint}`);
  }
  const records: StudyRecords = {
    study: { id: studyId, name: stemOf(path), description: '', createdAt: now, modifiedAt: now, createdBy: null, isDemo: false, activeCoderId: null },
    coders: [],
    stages,
    attributes: [],
    cases: [],
    participants: [],
    documents: [],
    texts: [],
    segments: [],
    codes: file.codes.map((c) => ({ ...c, studyId, createdBy: null, history: c.history.map((h) => ({ ...h, by: null })) })),
    codings: [],
    memos: [],
    actors: [],
    ties: [],
    overrides: [],
  };
  // A codebook on its own has no coders: the coders a CSV names (creators, history) cannot be kept.
  const named = file.codes.filter((c) => c.createdBy !== null).length + file.codes.reduce((n, c) => n + c.history.filter((h) => h.by !== null).length, 0);
  const warnings = [...file.warnings];
  if (named > 0) warnings.push(`${named === 1 ? 'One creator or history entry names a coder' : `${named} creators and history entries name coders`} by GUID only, and a codebook defines no coders: ${named === 1 ? 'it is' : 'they are'} kept without the coder.`);
  return { records, warnings };
}
