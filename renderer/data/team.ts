/**
 * Parallel coding: which coder codes which transcript, how far each one is, and whether the
 * team codes blind (each coder sees only their own codings until the team compares).
 *
 * The team's state is a per-study setting (`team:<studyId>`), like saved matrix views: it
 * travels in study files and backups, is renamed with a copy and goes with the study. It is
 * a working arrangement rather than research data, so it is not part of undo: every change is
 * one write of the setting, checked against the study's documents and coders in the same
 * transaction. Whatever is read back is cleaned field by field, so a setting written by an
 * older version or a damaged file never breaks a screen.
 */
import type { Document, Guid } from '../../shared/model/types.ts';
import type { CartographyDb } from './db.ts';
import { getSetting, studySettingKey } from './studies.ts';

export type AssignmentStatus = 'assigned' | 'in-progress' | 'done';
export const ASSIGNMENT_STATUSES: readonly AssignmentStatus[] = ['assigned', 'in-progress', 'done'];
export const ASSIGNMENT_STATUS_LABELS: Record<AssignmentStatus, string> = { assigned: 'Assigned', 'in-progress': 'In progress', done: 'Done' };

/** One transcript given to one coder. */
export interface Assignment {
  documentId: Guid;
  coderId: Guid;
  status: AssignmentStatus;
  modifiedAt: string;
}

export interface TeamSetting {
  /** Each coder sees only their own codings while coding. */
  blind: boolean;
  assignments: Assignment[];
}

export const teamKey = (studyId: Guid): string => studySettingKey('team', studyId);

/** The first block of a GUID: enough to tell two coders with the same name apart on screen. */
export const shortId = (id: Guid): string => id.slice(0, 8);

/** The ids a stored team setting may refer to; anything else is dropped when it is read. */
export interface TeamMembers {
  documentIds: ReadonlySet<Guid>;
  coderIds: ReadonlySet<Guid>;
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const isIsoDate = (value: unknown): value is string => typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value));
/** What a stored assignment without a readable date is given: the oldest date there is, so any real change is newer. */
const UNKNOWN_DATE = new Date(0).toISOString();

/**
 * A stored team setting made safe to use: `blind` only when it is literally true; an
 * assignment only when it names a document and a coder of the study and a known status (a
 * missing or unreadable date is kept as the epoch); one assignment per document and coder
 * (the first wins), in the stored order.
 */
export function cleanTeam(value: unknown, members: TeamMembers): TeamSetting {
  if (!isRecord(value)) return { blind: false, assignments: [] };
  const assignments: Assignment[] = [];
  const seen = new Set<string>();
  for (const entry of Array.isArray(value['assignments']) ? value['assignments'] : []) {
    if (!isRecord(entry)) continue;
    const { documentId, coderId, status, modifiedAt } = entry;
    if (typeof documentId !== 'string' || !members.documentIds.has(documentId)) continue;
    if (typeof coderId !== 'string' || !members.coderIds.has(coderId)) continue;
    if (!ASSIGNMENT_STATUSES.includes(status as AssignmentStatus)) continue;
    const pair = `${documentId} ${coderId}`;
    if (seen.has(pair)) continue;
    seen.add(pair);
    assignments.push({ documentId, coderId, status: status as AssignmentStatus, modifiedAt: isIsoDate(modifiedAt) ? modifiedAt : UNKNOWN_DATE });
  }
  return { blind: value['blind'] === true, assignments };
}

/** The assignment of one coder to one document, if any. */
export function assignmentOf(team: TeamSetting, documentId: Guid, coderId: Guid): Assignment | undefined {
  return team.assignments.find((a) => a.documentId === documentId && a.coderId === coderId);
}

async function membersOf(db: CartographyDb, studyId: Guid): Promise<TeamMembers> {
  const [documentIds, coderIds] = await Promise.all([db.documents.where('studyId').equals(studyId).primaryKeys(), db.coders.where('studyId').equals(studyId).primaryKeys()]);
  return { documentIds: new Set(documentIds), coderIds: new Set(coderIds) };
}

/** The study's team setting, cleaned against its current documents and coders. */
export async function getTeam(db: CartographyDb, studyId: Guid): Promise<TeamSetting> {
  return db.transaction('r', db.settings, db.documents, db.coders, async () => cleanTeam(await getSetting(db, teamKey(studyId)), await membersOf(db, studyId)));
}

/**
 * Reads, changes and writes the setting in one transaction, after checking that the study
 * and every document and coder the change names exist; refuses (and writes nothing) otherwise.
 */
async function updateTeam(
  db: CartographyDb,
  studyId: Guid,
  names: { documentIds?: readonly Guid[]; coderIds?: readonly Guid[] },
  change: (team: TeamSetting, now: string) => TeamSetting,
): Promise<TeamSetting> {
  return db.transaction('rw', [db.studies, db.settings, db.documents, db.coders], async () => {
    if (!(await db.studies.get(studyId))) throw new Error('That study no longer exists.');
    const members = await membersOf(db, studyId);
    const missingDocuments = (names.documentIds ?? []).filter((id) => !members.documentIds.has(id));
    if (missingDocuments.length > 0) throw new Error(`${missingDocuments.length === 1 ? 'A transcript to assign is' : `${missingDocuments.length} transcripts to assign are`} no longer in this study (it may have been deleted, or its import undone). Nothing was changed.`);
    if ((names.coderIds ?? []).some((id) => !members.coderIds.has(id))) throw new Error('That coder is no longer part of this study (their addition may have been undone). Nothing was changed.');
    const next = change(cleanTeam(await getSetting(db, teamKey(studyId)), members), new Date().toISOString());
    await db.settings.put({ key: teamKey(studyId), value: next });
    return next;
  });
}

/**
 * Assigns transcripts to one coder. A transcript the coder already has keeps its status; the
 * others start as "assigned".
 */
export async function assignDocuments(db: CartographyDb, studyId: Guid, documentIds: readonly Guid[], coderId: Guid): Promise<TeamSetting> {
  if (documentIds.length === 0) throw new Error('Choose at least one transcript to assign.');
  return updateTeam(db, studyId, { documentIds, coderIds: [coderId] }, (team, now) => {
    const added = [...new Set(documentIds)].filter((documentId) => !assignmentOf(team, documentId, coderId)).map((documentId) => ({ documentId, coderId, status: 'assigned' as const, modifiedAt: now }));
    return { ...team, assignments: [...team.assignments, ...added] };
  });
}

/** Takes transcripts away from one coder (their codings stay: only the assignment goes). */
export async function unassignDocuments(db: CartographyDb, studyId: Guid, documentIds: readonly Guid[], coderId: Guid): Promise<TeamSetting> {
  const gone = new Set(documentIds);
  return updateTeam(db, studyId, {}, (team) => ({ ...team, assignments: team.assignments.filter((a) => !(a.coderId === coderId && gone.has(a.documentId))) }));
}

/**
 * Sets how far a coder is with a transcript; a transcript not yet assigned to them is
 * assigned with that status (a coder may mark their own work done from the Coding view).
 */
export async function setAssignmentStatus(db: CartographyDb, studyId: Guid, documentId: Guid, coderId: Guid, status: AssignmentStatus): Promise<TeamSetting> {
  if (!ASSIGNMENT_STATUSES.includes(status)) throw new Error(`“${String(status)}” is not a status; use ${ASSIGNMENT_STATUSES.map((s) => `“${s}”`).join(', ')}.`);
  return updateTeam(db, studyId, { documentIds: [documentId], coderIds: [coderId] }, (team, now) => {
    const existing = assignmentOf(team, documentId, coderId);
    if (existing?.status === status) return team;
    const changed = { documentId, coderId, status, modifiedAt: now };
    return { ...team, assignments: existing ? team.assignments.map((a) => (a === existing ? changed : a)) : [...team.assignments, changed] };
  });
}

/** Turns blind coding on or off for the whole team. */
export async function setBlind(db: CartographyDb, studyId: Guid, blind: boolean): Promise<TeamSetting> {
  return updateTeam(db, studyId, {}, (team) => ({ ...team, blind }));
}

/** The next state of a grid cell when it is toggled: not assigned → assigned → in progress → done → not assigned. */
export function nextStatus(status: AssignmentStatus | null): AssignmentStatus | null {
  if (status === null) return 'assigned';
  return status === 'done' ? null : ASSIGNMENT_STATUSES[ASSIGNMENT_STATUSES.indexOf(status) + 1]!;
}

/** Codings per document and coder: document id → coder id → count (pairs with no codings are left out). */
export type CodingsByCoder = Map<Guid, Map<Guid, number>>;

export interface StatusCounts {
  assigned: number;
  inProgress: number;
  done: number;
}

export interface CoderProgress extends StatusCounts {
  coderId: Guid;
  /** Every coding the coder made in the study. */
  codings: number;
  /** Codings the coder made in the transcripts assigned to them. */
  codingsInAssigned: number;
}

export interface DocumentProgress extends StatusCounts {
  documentId: Guid;
  /** Coders with at least one coding in the transcript, whether assigned or not. */
  codersWithCodings: number;
}

export interface TeamProgress {
  team: TeamSetting;
  codings: CodingsByCoder;
  coders: CoderProgress[];
  documents: DocumentProgress[];
}

const countStatus = (counts: StatusCounts, status: AssignmentStatus) => {
  if (status === 'assigned') counts.assigned += 1;
  else if (status === 'in-progress') counts.inProgress += 1;
  else counts.done += 1;
};

/** Progress per coder and per document, from the team setting and the codings per coder (pure). */
export function summariseTeam(team: TeamSetting, documentIds: readonly Guid[], coderIds: readonly Guid[], codings: CodingsByCoder): Omit<TeamProgress, 'team' | 'codings'> {
  const coders = new Map(coderIds.map((coderId) => [coderId, { coderId, assigned: 0, inProgress: 0, done: 0, codings: 0, codingsInAssigned: 0 }]));
  const documents = new Map(documentIds.map((documentId) => [documentId, { documentId, assigned: 0, inProgress: 0, done: 0, codersWithCodings: codings.get(documentId)?.size ?? 0 }]));
  for (const a of team.assignments) {
    const coder = coders.get(a.coderId);
    const doc = documents.get(a.documentId);
    if (!coder || !doc) continue;
    countStatus(coder, a.status);
    countStatus(doc, a.status);
    coder.codingsInAssigned += codings.get(a.documentId)?.get(a.coderId) ?? 0;
  }
  for (const perCoder of codings.values()) for (const [coderId, n] of perCoder) if (coders.has(coderId)) coders.get(coderId)!.codings += n;
  return { coders: [...coders.values()], documents: [...documents.values()] };
}

/**
 * Codings per coder in each document. A document's cached summary answers most of it: no
 * coder means no codings, one coder means all its codings are theirs. Only documents coded by
 * several coders have their stored segments read.
 */
export async function countCodingsByCoder(db: CartographyDb, documents: readonly Pick<Document, 'id' | 'codingCount' | 'coderIds'>[]): Promise<CodingsByCoder> {
  const out: CodingsByCoder = new Map();
  const shared: Guid[] = [];
  for (const d of documents) {
    if (d.coderIds.length === 1 && d.codingCount > 0) out.set(d.id, new Map([[d.coderIds[0]!, d.codingCount]]));
    else if (d.coderIds.length > 1) shared.push(d.id);
  }
  if (shared.length > 0) {
    await db.segments.where('documentId').anyOf(shared).each((segment) => {
      const perCoder = out.get(segment.documentId) ?? new Map<Guid, number>();
      for (const c of segment.codings) perCoder.set(c.coderId, (perCoder.get(c.coderId) ?? 0) + 1);
      out.set(segment.documentId, perCoder);
    });
  }
  return out;
}

/** The team setting and everyone's progress, read in one transaction. */
export async function loadTeamProgress(db: CartographyDb, studyId: Guid): Promise<TeamProgress> {
  return db.transaction('r', [db.settings, db.documents, db.coders, db.segments], async () => {
    const [documents, coderIds] = await Promise.all([db.documents.where('studyId').equals(studyId).toArray(), db.coders.where('studyId').equals(studyId).primaryKeys()]);
    const documentIds = documents.map((d) => d.id);
    const team = cleanTeam(await getSetting(db, teamKey(studyId)), { documentIds: new Set(documentIds), coderIds: new Set(coderIds) });
    const codings = await countCodingsByCoder(db, documents);
    return { team, codings, ...summariseTeam(team, documentIds, coderIds, codings) };
  });
}

/** Whether a coding is shown to the active coder: everything when the team does not code blind, else only their own. */
export const visibleTo = (blind: boolean, activeCoderId: Guid | null) => (coding: { coderId: Guid }): boolean => !blind || coding.coderId === activeCoderId;
