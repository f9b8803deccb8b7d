/**
 * Builds the records of a new study from a parsed REFI-QDA project (see qde-import.ts for
 * what becomes what): the GUIDs and users, then the codebook and cases
 * (qde-import-codebook.ts), the sources (qde-import-sources.ts), the notes and links
 * (qde-import-links.ts). Every problem is collected with where it is; nothing is returned
 * unless there are none and the records pass the integrity check.
 */
import { attribute, type XmlElement } from '../codebook/xml.ts';
import { summariseDocumentCodings } from '../model/document-codings.ts';
import { newGuid } from '../model/ids.ts';
import { checkStudyRecords } from '../model/integrity.ts';
import type { Coder, Guid, StudyRecords } from '../model/types.ts';
import { readCases, readCodebook } from './qde-import-codebook.ts';
import {
  child,
  childText,
  descendants,
  plural,
  quoted,
  readDateTime,
  readGuid,
  REEXPORT,
  RefiImportError,
  Tally,
  within,
  type ImportContext,
  type NoteTarget,
  type QdpxCounts,
  type QdpxImport,
  type QdpxReadOptions,
  type RefiProblem,
  type SourceFiles,
} from './qde-import-common.ts';
import { readNotesAndLinks } from './qde-import-links.ts';
import { readSources } from './qde-import-sources.ts';

export interface BuildInput {
  project: XmlElement;
  xmlText: string;
  fileName: string;
  /** The project file's name inside the package (or the file name of a bare .qde). */
  entry: string;
  files: SourceFiles;
  options: QdpxReadOptions;
  notes: string[];
  counts: QdpxCounts;
}

export async function buildStudy(input: BuildInput): Promise<QdpxImport> {
  const { project, fileName, entry, options } = input;
  const notes = [...input.notes];
  const problems: RefiProblem[] = [];
  const newId = options.newId ?? newGuid;
  const now = options.now;
  const studyId = newId();
  const origin = (attribute(project, 'origin') ?? '').trim();
  const tracked = (createdBy: Guid | null = null) => ({ studyId, createdAt: now, modifiedAt: now, createdBy });
  const where = (el: XmlElement) => {
    const guid = attribute(el, 'guid');
    return `${entry}, line ${el.line}, column ${el.column}, <${el.local}${guid === undefined ? '' : ` guid="${guid}"`}>`;
  };
  const fatal = (el: XmlElement, message: string) => {
    if (problems.length < 200) problems.push({ where: where(el), message });
  };

  // GUIDs: every object's, normalised; the same GUID twice (in any case or braces) is fatal.
  const owner = new Map<Guid, XmlElement>();
  const idOf = new Map<XmlElement, Guid>();
  for (const el of descendants(project)) {
    const id = readGuid(attribute(el, 'guid'));
    if (id === null) continue;
    const other = owner.get(id);
    if (other) {
      fatal(el, `The GUID ${id} is used twice in ${quoted(fileName)}: by <${other.local}> (line ${other.line}) and by <${el.local}> (line ${el.line}). Every object of a project needs its own GUID, or references cannot be resolved. ${REEXPORT}`);
    } else owner.set(id, el);
    idOf.set(el, id);
  }
  const newGuids = new Tally();
  const guidFor = (el: XmlElement, kind: string): Guid => {
    let id = idOf.get(el);
    if (id === undefined) {
      id = newId();
      idOf.set(el, id);
      newGuids.add(kind);
    }
    return id;
  };

  // Users → coders; codings that name no user get one coder (the importing researcher, if named)
  const coders: Coder[] = [];
  for (const user of within(project, 'Users', 'User')) {
    const name = (attribute(user, 'name') ?? '').trim() || (attribute(user, 'id') ?? '').trim() || `User ${coders.length + 1}`;
    coders.push({ id: guidFor(user, 'users'), ...tracked(), name });
  }
  const coderIds = new Set(coders.map((c) => c.id));
  let unknownUsers = 0;
  let fallback: Coder | null = null;
  let fallbackUses = 0;
  const noteTargets = new Map<Guid, NoteTarget[]>();
  const ctx: ImportContext = {
    project,
    xmlText: input.xmlText,
    fileName,
    files: input.files,
    options,
    studyId,
    now,
    origin,
    fromCartography: /^Cartography\b/.test(origin),
    notes,
    fatal,
    problemCount: () => problems.length,
    guidFor,
    ownerOf: (id) => owner.get(id),
    ref: (el) => (el ? readGuid(attribute(el, 'targetGUID')) : null),
    tracked,
    userRef: (raw) => {
      if (raw === undefined || raw.trim() === '') return null;
      const id = readGuid(raw);
      if (id !== null && coderIds.has(id)) return id;
      unknownUsers += 1;
      return null;
    },
    fallbackCoder: () => {
      fallbackUses += 1;
      if (!fallback) {
        const name = options.coderName?.trim() || 'Unknown coder';
        fallback = coders.find((c) => c.name.toLowerCase() === name.toLowerCase()) ?? null;
        if (!fallback) {
          fallback = { id: newId(), ...tracked(), name };
          coders.push(fallback);
        }
      }
      return fallback.id;
    },
    addNoteRefs: (el, target) => {
      for (const noteRef of el.children) {
        if (typeof noteRef === 'string' || noteRef.local !== 'NoteRef') continue;
        const id = readGuid(attribute(noteRef, 'targetGUID'));
        if (id === null) continue;
        const list = noteTargets.get(id);
        if (list) list.push(target);
        else noteTargets.set(id, [target]);
      }
    },
    noteTargets,
  };

  const { codes, stages } = readCodebook(ctx);
  const { attributes, cases, caseOfSource } = readCases(ctx);
  const { documents, texts, segments, codings, memos, positions } = await readSources(ctx, new Map(codes.map((c) => [c.id, c])), caseOfSource, new Set(cases.map((c) => c.id)));
  if (fallbackUses > 0 && fallback) notes.push(`${plural(fallbackUses, 'coding names', 'codings name')} no user of the project: attributed to ${quoted((fallback as Coder).name)}.`);
  ctx.addNoteRefs(project, { type: 'study', id: studyId });
  const { actors, ties, overrides } = readNotesAndLinks(ctx, memos, cases, stages);

  if (child(project, 'Graphs')) notes.push('The project’s graphs have no place in Cartography: left out.');
  if (unknownUsers > 0) notes.push(`${plural(unknownUsers, 'reference names a user', 'references name users')} the project does not list: the records were kept without their creator.`);
  if (newGuids.total > 0) notes.push(`Objects without a valid GUID were given new ones: ${newGuids.words()}.`);
  if (problems.length > 0) throw new RefiImportError(fileName, problems);

  // The documents' coding cache, the study and its active coder
  const summaries = summariseDocumentCodings(codings);
  for (const doc of documents) {
    const summary = summaries.get(doc.id);
    if (summary) Object.assign(doc, summary);
  }
  const createdBy = ctx.userRef(attribute(project, 'creatingUserGUID'));
  let activeCoderId: Guid | null = createdBy ?? coders[0]?.id ?? null;
  const coderName = options.coderName?.trim();
  if (coderName) {
    const match = coders.find((c) => c.name.toLowerCase() === coderName.toLowerCase());
    if (match) activeCoderId = match.id;
    else {
      const coder: Coder = { id: newId(), ...tracked(), name: coderName };
      coders.push(coder);
      activeCoderId = coder.id;
      notes.push(`${quoted(coderName)} is not a user of the project: added as a coder and made the active coder.`);
    }
  }
  const createdAt = readDateTime(attribute(project, 'creationDateTime')) ?? now;
  const records: StudyRecords = {
    study: {
      id: studyId,
      name: options.studyName?.trim() || (attribute(project, 'name') ?? '').trim() || fileName.replace(/\.(qdpx|qde)$/i, '') || 'Imported project',
      description: childText(project, 'Description') ?? '',
      createdAt,
      modifiedAt: readDateTime(attribute(project, 'modifiedDateTime')) ?? createdAt,
      createdBy,
      isDemo: false,
      activeCoderId,
    },
    coders,
    stages,
    attributes,
    cases,
    participants: [],
    documents,
    texts,
    segments,
    codes,
    codings,
    memos,
    actors,
    ties,
    overrides,
  };
  const integrity = checkStudyRecords(records);
  if (integrity.length > 0) {
    throw new RefiImportError(
      fileName,
      integrity.map((p) => ({ where: p.path, message: `The imported records do not hold together (${p.path} ${p.message}); nothing was imported. Please report this with the file.` })),
    );
  }
  return { records, counts: input.counts, positions, notes };
}
