/**
 * Importing case attributes or participants from a spreadsheet. The screen reads the study's
 * attributes, cases and participants (`loadSheetBasis`), plans the import against them
 * (shared/cases/spreadsheet-import.ts) and shows the plan; `importSheet` then writes the plan's
 * records as one undoable change. Inside the transaction it checks that those records are still
 * the ones the plan was made against, so what is written is exactly what was previewed.
 */
import type { SheetKind, SheetPlan } from '../../shared/cases/spreadsheet-import.ts';
import type { AttributeDef, Case, Guid, Participant } from '../../shared/model/types.ts';
import type { CartographyDb } from './db.ts';
import { ChangeRefused, commitChange, type Change } from './history.ts';

/** The records a spreadsheet import is planned against. */
export interface SheetRecords {
  attributes: AttributeDef[];
  cases: Case[];
  participants: Participant[];
}

export interface SheetBasis extends SheetRecords {
  studyId: Guid;
  /** sheetFingerprint of the records, to tell at write time whether the preview went stale. */
  fingerprint: string;
}

/** Sorts object keys at every depth, so equal records give equal text whatever order their fields were written in. */
function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, stable((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** A stable text of the attributes, cases and participants: equal exactly when the records are. */
export function sheetFingerprint(records: SheetRecords): string {
  const byId = <T extends { id: string }>(rows: readonly T[]) => [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return JSON.stringify(stable({ attributes: byId(records.attributes), cases: byId(records.cases), participants: byId(records.participants) }));
}

async function readSheetRecords(db: CartographyDb, studyId: Guid): Promise<SheetRecords> {
  const [attributes, cases, participants] = await Promise.all([
    db.attributes.where('studyId').equals(studyId).sortBy('order'),
    db.cases.where('studyId').equals(studyId).toArray(),
    db.participants.where('studyId').equals(studyId).toArray(),
  ]);
  return { attributes, cases, participants };
}

/** The study's attributes, cases and participants, read in one transaction, with their fingerprint. */
export async function loadSheetBasis(db: CartographyDb, studyId: Guid): Promise<SheetBasis> {
  return db.transaction('r', db.attributes, db.cases, db.participants, async () => {
    const records = await readSheetRecords(db, studyId);
    return { ...records, studyId, fingerprint: sheetFingerprint(records) };
  });
}

export const STALE_SHEET_PREVIEW = 'The cases, attributes or participants changed after the preview was made, so nothing was imported. Look at the preview again and import once more.';

const KIND_NOUN: Record<SheetKind, string> = { cases: 'case attributes', participants: 'participants' };

/** The undo label of an import. */
const sheetImportLabel = (kind: SheetKind, fileName: string) => `Import ${KIND_NOUN[kind]} from “${fileName}”`;

/** What a plan writes, in words, for the notice after the import. */
export function describeSheetImport(plan: SheetPlan): string {
  const { created, updated, newAttributes } = plan.counts;
  const noun = plan.kind === 'cases' ? ['case', 'cases'] : ['participant', 'participants'];
  const count = (n: number, [one, many]: readonly string[]) => `${n} ${n === 1 ? one : many}`;
  const parts = [
    created > 0 ? `${count(created, noun)} added` : null,
    updated > 0 ? `${count(updated, noun)} updated` : null,
    newAttributes > 0 ? `${count(newAttributes, ['new attribute', 'new attributes'])}` : null,
  ].filter((p): p is string => p !== null);
  return parts.length === 0 ? 'Nothing changed' : `Imported: ${parts.join(', ')}`;
}

/** True when writing the plan would put no record. */
export const planWritesNothing = (plan: SheetPlan): boolean => plan.put.attributes.length + plan.put.cases.length + plan.put.participants.length === 0;

/**
 * Writes a planned import in one transaction, recorded as one change (the caller hands it to
 * the History). Refused, with nothing written, when the plan has problems or writes nothing,
 * when the study's attributes, cases or participants changed since the preview (`basis`, the
 * fingerprint the plan was made against), or when a new record's id has been taken since.
 */
export async function importSheet(
  db: CartographyDb,
  studyId: Guid,
  preview: { plan: SheetPlan; basis: string; fileName: string },
  label = sheetImportLabel(preview.plan.kind, preview.fileName),
): Promise<{ change: Change; plan: SheetPlan }> {
  const { plan, basis, fileName } = preview;
  const change = await commitChange(db, studyId, label, async () => {
    if (plan.problems.length > 0) throw new ChangeRefused(`“${fileName}” still has ${plan.problems.length === 1 ? 'a problem' : `${plan.problems.length} problems`}; nothing was imported. Correct the file or the column mapping first.`);
    if (planWritesNothing(plan)) throw new ChangeRefused(`Nothing to import: the study already has every value of “${fileName}”.`);
    const now = await readSheetRecords(db, studyId);
    if (sheetFingerprint(now) !== basis) throw new ChangeRefused(STALE_SHEET_PREVIEW);
    const records = [...plan.put.attributes, ...plan.put.cases, ...plan.put.participants];
    if (records.some((r) => r.studyId !== studyId)) throw new Error('An import plan names records of another study.');
    // A new record's id must be free in every study (ids are GUIDs; a clash means the plan is not what was previewed).
    const known = new Set([...now.attributes, ...now.cases, ...now.participants].map((r) => r.id));
    const added = (ids: readonly Guid[]) => ids.filter((id) => !known.has(id));
    const clashes = [
      ...(await db.attributes.bulkGet(added(plan.put.attributes.map((r) => r.id)))),
      ...(await db.cases.bulkGet(added(plan.put.cases.map((r) => r.id)))),
      ...(await db.participants.bulkGet(added(plan.put.participants.map((r) => r.id)))),
    ].filter((r) => r !== undefined);
    if (clashes.length > 0) throw new ChangeRefused(STALE_SHEET_PREVIEW);
    const put: Partial<Record<'attributes' | 'cases' | 'participants', { id: string }[]>> = {};
    if (plan.put.attributes.length > 0) put.attributes = plan.put.attributes;
    if (plan.put.cases.length > 0) put.cases = plan.put.cases;
    if (plan.put.participants.length > 0) put.participants = plan.put.participants;
    return { put, remove: {} };
  });
  return { change, plan };
}
