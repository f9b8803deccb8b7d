/**
 * The case table and the participant table as rows of text cells, header first, for CSV (here)
 * and XLSX (the renderer, with the library the matrices use). Values are written as the import
 * reads them back (formatAttributeValue), so exporting a study's cases and importing the file
 * into the same study changes nothing.
 */
import Papa from 'papaparse';
import { guardFormula } from '../formats/matrix-export.ts';
import { OPENNESS_COMPONENTS, OPENNESS_LABELS, type AttributeDef, type Case, type Guid, type Participant } from '../model/types.ts';
import { formatAttributeValue } from './attribute-values.ts';

const CASE_HEADER = 'Case';
const DESCRIPTION_HEADER = 'Description';
export const PARTICIPANT_HEADERS = ['Pseudonym', 'Role', 'Organisation', 'Case', 'Interview date'] as const;

const nameKey = (s: string) => s.trim().toLowerCase();

/**
 * The case table: case, description, each attribute (in the attributes' order), each openness
 * component. No header is written twice, so the file reads back: when an attribute is named
 * “Case” or “Description” the fixed columns are headed “Case name” and “Case description”, and
 * an openness column whose label an attribute uses is headed “Openness: <label>” (the import
 * reads all of these as the same fields).
 */
export function casesToRows(records: { attributes: AttributeDef[]; cases: Case[] }): string[][] {
  const attributes = [...records.attributes].sort((a, b) => a.order - b.order);
  const used = new Set(attributes.map((a) => nameKey(a.name)));
  const unused = (plain: string, other: string) => (used.has(nameKey(plain)) ? other : plain);
  const opennessHeaders = OPENNESS_COMPONENTS.map((c) => unused(OPENNESS_LABELS[c], `Openness: ${OPENNESS_LABELS[c]}`));
  const header = [unused(CASE_HEADER, 'Case name'), unused(DESCRIPTION_HEADER, 'Case description'), ...attributes.map((a) => a.name), ...opennessHeaders];
  const rows = records.cases.map((c) => [
    c.name,
    c.description,
    ...attributes.map((a) => formatAttributeValue(a, c.attributes[a.id] ?? null)),
    ...OPENNESS_COMPONENTS.map((component) => c.openness[component]),
  ]);
  return [header, ...rows];
}

/** The participant table: pseudonym, role, organisation, case (by name), interview date. */
export function participantsToRows(records: { cases: Case[]; participants: Participant[] }): string[][] {
  const caseNames = new Map<Guid, string>(records.cases.map((c) => [c.id, c.name]));
  const rows = records.participants.map((p) => [p.pseudonym, p.role, p.organisation, p.caseId === null ? '' : (caseNames.get(p.caseId) ?? ''), p.interviewDate]);
  return [[...PARTICIPANT_HEADERS], ...rows];
}

const PLAIN_NUMBER = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * CSV (RFC 4180, CRLF, quotes where needed). A cell a spreadsheet would run as a formula is
 * written after an apostrophe (guardFormula), which the import takes away again; a plain number
 * such as "-3" is a number, not a formula, and is written as it is.
 */
export function rowsToCsv(rows: string[][]): string {
  const guarded = rows.map((row) => row.map((cell) => (PLAIN_NUMBER.test(cell) ? cell : guardFormula(cell))));
  return Papa.unparse(guarded, { newline: '\r\n', quotes: false });
}
