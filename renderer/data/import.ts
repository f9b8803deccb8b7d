/**
 * Writing imported transcripts: each parsed transcript becomes a Document, its text, and for
 * CSV files the segments and codings its codes column named (codes found by name, or
 * created). One file is one change: every document of the file lands in one transaction,
 * recorded in the history, so a file either imports whole or leaves nothing behind, and
 * one Undo takes it back out.
 */
import type { ParsedTranscript } from '../../shared/import/types.ts';
import { draftCode } from '../../shared/codebook/draft.ts';
import { summariseDocumentCodings } from '../../shared/model/document-codings.ts';
import { newGuid } from '../../shared/model/ids.ts';
import type { Code, Coding, Document, Guid, Segment } from '../../shared/model/types.ts';
import { countWords } from '../../shared/text/normalise.ts';
import type { CartographyDb } from './db.ts';
import { ChangeRefused, commitChange, emptyPatch, type Change, type Patch } from './history.ts';
import { toStoredSegments, type StoredSegment } from './layout.ts';

/** What the researcher confirmed for one parsed transcript in the review step. */
export interface ImportAssignment {
  /** The file it came from (kept in ImportMeta). */
  fileName: string;
  /** Defaults to the parsed title. */
  title?: string;
  caseId: Guid | null;
  participantIds: Guid[];
  /**
   * The speaker who is the interviewer: a name marks exactly that speaker's turns, null
   * marks none; left out, the parser's marks stay.
   */
  interviewer?: string | null;
}

export interface ImportEntry {
  parsed: ParsedTranscript;
  assignment: ImportAssignment;
}


/** Codes of the study by lower-case name, growing as the import creates new ones. */
interface CodeBook {
  byName: Map<string, Code>;
  count: number;
  nextOrder: number;
  created: Code[];
}

async function loadCodeBook(db: CartographyDb, studyId: Guid): Promise<CodeBook> {
  const codes = await db.codes.where('studyId').equals(studyId).toArray();
  const byName = new Map<string, Code>();
  for (const c of [...codes].sort((a, b) => a.order - b.order)) if (!byName.has(c.name.toLowerCase())) byName.set(c.name.toLowerCase(), c);
  return { byName, count: codes.length, nextOrder: codes.reduce((max, c) => Math.max(max, c.order), -1) + 1, created: [] };
}

function codeNamed(book: CodeBook, name: string, studyId: Guid, coderId: Guid | null, now: string): Code {
  const trimmed = name.trim();
  const found = book.byName.get(trimmed.toLowerCase());
  if (found) return found;
  const code = draftCode({ id: newGuid(), studyId, name: trimmed, now, createdBy: coderId, existing: book.count, order: book.nextOrder });
  book.byName.set(trimmed.toLowerCase(), code);
  book.count += 1;
  book.nextOrder += 1;
  book.created.push(code);
  return code;
}

interface PlanContext {
  studyId: Guid;
  coderId: Guid | null;
  now: string;
  book: CodeBook;
  caseIds: Set<Guid>;
  participantIds: Set<Guid>;
}

function documentRecords(entry: ImportEntry, ctx: PlanContext): { document: Document; segments: StoredSegment[] } {
  const { parsed, assignment } = entry;
  const { studyId, coderId, now } = ctx;
  if (assignment.caseId !== null && !ctx.caseIds.has(assignment.caseId)) throw new ChangeRefused(`The case chosen for “${parsed.title}” no longer exists; choose another one.`);
  const missing = assignment.participantIds.filter((id) => !ctx.participantIds.has(id));
  if (missing.length > 0) throw new ChangeRefused(`A participant chosen for “${parsed.title}” no longer exists; choose again.`);
  const title = (assignment.title ?? parsed.title).trim() || parsed.title;
  const id = newGuid();

  const segments: Segment[] = [];
  const codings: Coding[] = [];
  for (const parsedCoding of parsed.codings) {
    if (parsedCoding.codeNames.length === 0) continue;
    if (coderId === null) throw new ChangeRefused(`“${assignment.fileName}” carries codes, and codings need a coder: choose who you are in the study first.`);
    if (parsedCoding.start < 0 || parsedCoding.end > parsed.text.length || parsedCoding.start >= parsedCoding.end) {
      throw new ChangeRefused(`“${assignment.fileName}”, row ${parsedCoding.row}: the coded words fall outside the transcript.`);
    }
    const segment: Segment = {
      id: newGuid(),
      studyId,
      createdAt: now,
      modifiedAt: now,
      createdBy: coderId,
      documentId: id,
      start: parsedCoding.start,
      end: parsedCoding.end,
      text: parsed.text.slice(parsedCoding.start, parsedCoding.end),
    };
    segments.push(segment);
    for (const name of new Set(parsedCoding.codeNames.map((n) => n.trim()).filter((n) => n !== ''))) {
      const code = codeNamed(ctx.book, name, studyId, coderId, now);
      if (codings.some((c) => c.segmentId === segment.id && c.codeId === code.id)) continue; // "Career; career"
      codings.push({ id: newGuid(), studyId, createdAt: now, modifiedAt: now, createdBy: coderId, segmentId: segment.id, codeId: code.id, coderId, documentId: id });
    }
  }
  const summary = summariseDocumentCodings(codings).get(id) ?? { codingCount: 0, coderIds: [] };
  const interviewer = assignment.interviewer;
  const turns = interviewer === undefined ? parsed.turns : parsed.turns.map((t) => ({ ...t, isInterviewer: interviewer !== null && t.speaker === interviewer }));

  const document: Document = {
    id,
    studyId,
    createdAt: now,
    modifiedAt: now,
    createdBy: coderId,
    title,
    caseId: assignment.caseId,
    participantIds: [...new Set(assignment.participantIds)],
    sourceFormat: parsed.sourceFormat,
    length: parsed.text.length,
    wordCount: countWords(parsed.text),
    ...summary,
    turns,
    importMeta: { fileName: assignment.fileName, importedAt: now, encoding: parsed.encoding, notes: [...parsed.notes] },
  };
  return { document, segments: toStoredSegments(segments, codings) };
}

/**
 * The patch that writes the transcripts of one file; reads the study's cases, participants
 * and codes, so it must run inside commitChange's transaction.
 */
export async function importPatch(db: CartographyDb, studyId: Guid, entries: readonly ImportEntry[], coderId: Guid | null): Promise<{ patch: Patch; documentIds: Guid[] }> {
  if (entries.length === 0) throw new ChangeRefused('There is no transcript to import.');
  const [cases, participants, book] = await Promise.all([
    db.cases.where('studyId').equals(studyId).primaryKeys(),
    db.participants.where('studyId').equals(studyId).primaryKeys(),
    loadCodeBook(db, studyId),
  ]);
  const ctx: PlanContext = { studyId, coderId, now: new Date().toISOString(), book, caseIds: new Set(cases), participantIds: new Set(participants) };
  const patch = emptyPatch();
  const documents: Document[] = [];
  const segments: StoredSegment[] = [];
  for (const entry of entries) {
    const records = documentRecords(entry, ctx);
    documents.push(records.document);
    segments.push(...records.segments);
  }
  patch.put.documents = documents;
  patch.put.texts = entries.map((e, i) => ({ id: documents[i]!.id, studyId, text: e.parsed.text }));
  if (segments.length > 0) patch.put.segments = segments;
  if (book.created.length > 0) patch.put.codes = book.created;
  return { patch, documentIds: documents.map((d) => d.id) };
}

export const importLabel = (fileName: string) => `Import “${fileName}”`;

/** Writes every transcript of one file as one undoable change. */
export async function importTranscripts(db: CartographyDb, studyId: Guid, fileName: string, entries: readonly ImportEntry[], coderId: Guid | null): Promise<{ change: Change; documentIds: Guid[] }> {
  let documentIds: Guid[] = [];
  const change = await commitChange(db, studyId, importLabel(fileName), async () => {
    const planned = await importPatch(db, studyId, entries, coderId);
    documentIds = planned.documentIds;
    return planned.patch;
  });
  return { change, documentIds };
}

/** Writes one parsed transcript as one undoable change. */
export async function importTranscript(db: CartographyDb, studyId: Guid, parsed: ParsedTranscript, assignment: ImportAssignment, coderId: Guid | null): Promise<{ change: Change; documentId: Guid }> {
  const { change, documentIds } = await importTranscripts(db, studyId, assignment.fileName, [{ parsed, assignment }], coderId);
  return { change, documentId: documentIds[0]! };
}
