/**
 * Inter-coder agreement against the database: what the engine (shared/analysis/agreement.ts)
 * compares, read from stored segments, and the consensus coder the team writes its
 * decisions into.
 *
 * The consensus coder is an ordinary Coder record named "Consensus", created the first time
 * a disagreement is resolved. Its GUID is kept in the study's settings (`agreement:<studyId>`),
 * so the team can rename it and it stays the consensus coder; after an undo took the first
 * resolution (and the coder) back, the next resolution recreates it under the same GUID.
 *
 * A resolution is one undoable change: the consensus coder's codings of that code over the
 * disagreement's span are replaced by the accepted coders' spans (through the coding rules
 * of shared/coding/operations.ts: one segment per span), and the team's memo is put on the
 * resulting segment, or on the document when no coding is kept.
 */
import { disagreementExtent, type AgreementCoding, type AgreementInput, type Disagreement } from '../../shared/analysis/agreement.ts';
import { applyCodes, removeCodings, type DocumentCodings, type Span } from '../../shared/coding/operations.ts';
import { newGuid } from '../../shared/model/ids.ts';
import type { Coder, Guid, Memo } from '../../shared/model/types.ts';
import { codingPatch } from './coding.ts';
import type { CartographyDb } from './db.ts';
import { ChangeRefused, commitChange, PATCH_TABLES, type Change } from './history.ts';
import { codingsOf, segmentOf, type StoredSegment } from './layout.ts';
import { byName, getSetting, loadStudySegments, putSetting, studySettingKey } from './studies.ts';

export const CONSENSUS_NAME = 'Consensus';

/** What the study's `agreement:<studyId>` setting holds. */
export interface AgreementSettings {
  consensusCoderId: Guid;
}

export const agreementSettingKey = (studyId: Guid): string => studySettingKey('agreement', studyId);

/**
 * Everything the Agreement area filters without reading the database again: every coding of
 * the study as the engine sees it (a coding with its segment's span), the documents' lengths.
 */
export interface AgreementData {
  documents: { id: Guid; title: string; length: number }[];
  codings: AgreementCoding[];
  coderIds: Guid[];
  codeIds: Guid[];
  /** The consensus coder, when it exists in this study. */
  consensusCoderId: Guid | null;
  /** The consensus coder's resolution memos (by title, with their document), to tell which disagreements are decided. */
  consensusMemos: { documentId: Guid; title: string }[];
}

/** Which coders, documents and codes to compare; `null` (or left out) documents or codes means all of them. */
export interface AgreementFilters {
  coderIds: readonly Guid[];
  documentIds?: readonly Guid[] | null;
  codeIds?: readonly Guid[] | null;
}

/** The consensus coder's GUID as the study's setting remembers it (the coder may be gone). */
async function rememberedConsensusId(db: CartographyDb, studyId: Guid): Promise<Guid | null> {
  const setting = await getSetting<Partial<AgreementSettings>>(db, agreementSettingKey(studyId));
  return typeof setting?.consensusCoderId === 'string' ? setting.consensusCoderId : null;
}

/** The consensus coder's GUID if it is a coder of this study (a setting may outlive its coder after an undo). */
export async function findConsensusCoderId(db: CartographyDb, studyId: Guid): Promise<Guid | null> {
  const id = await rememberedConsensusId(db, studyId);
  if (!id) return null;
  const coder = await db.coders.get(id);
  return coder && coder.studyId === studyId ? coder.id : null;
}

export async function loadAgreementData(db: CartographyDb, studyId: Guid): Promise<AgreementData> {
  const [documents, coders, codes, stored, consensusCoderId] = await Promise.all([
    db.documents.where('studyId').equals(studyId).toArray(),
    db.coders.where('studyId').equals(studyId).toArray(),
    db.codes.where('studyId').equals(studyId).toArray(),
    loadStudySegments(db, studyId),
    findConsensusCoderId(db, studyId),
  ]);
  const codings: AgreementCoding[] = [];
  const documentOfSegment = new Map(stored.map((s) => [s.id, s.documentId]));
  const consensusMemos: AgreementData['consensusMemos'] = [];
  if (consensusCoderId) {
    await db.memos.where('studyId').equals(studyId).each((m) => {
      if (m.createdBy !== consensusCoderId) return;
      const documentId = m.targetType === 'document' ? m.targetId : m.targetType === 'segment' ? documentOfSegment.get(m.targetId) : undefined;
      if (documentId) consensusMemos.push({ documentId, title: m.title });
    });
  }
  for (const segment of stored) {
    for (const c of segment.codings) codings.push({ id: c.id, documentId: segment.documentId, codeId: c.codeId, coderId: c.coderId, start: segment.start, end: segment.end });
  }
  return {
    // By title, so disagreements are listed document by document in the order a reader expects.
    documents: documents.sort((a, b) => byName(a.title, b.title)).map((d) => ({ id: d.id, title: d.title, length: d.length })),
    codings,
    coderIds: coders.map((c) => c.id),
    codeIds: codes.map((c) => c.id),
    consensusCoderId,
    consensusMemos,
  };
}

/**
 * The engine's input for the chosen coders, documents and codes (pure: filters change
 * without another read). Refuses fewer than two coders, or a coder, document or code that
 * is not part of the study, with what to do about it.
 */
export function buildAgreementInput(data: AgreementData, filters: AgreementFilters): AgreementInput {
  const coderIds = [...new Set(filters.coderIds)];
  if (coderIds.length < 2) throw new Error(`Agreement compares two or more coders; ${coderIds.length === 0 ? 'none is' : 'only one is'} chosen. Choose at least two coders.`);
  const knownCoders = new Set(data.coderIds);
  const strangerCoder = coderIds.find((id) => !knownCoders.has(id));
  if (strangerCoder) throw new Error(`The coder ${strangerCoder} is not a coder of this study (it may have been removed by an undo). Choose the coders again.`);
  const documentIds = filters.documentIds ? new Set(filters.documentIds) : null;
  const knownDocuments = new Set(data.documents.map((d) => d.id));
  const strangerDocument = documentIds && [...documentIds].find((id) => !knownDocuments.has(id));
  if (strangerDocument) throw new Error(`The document ${strangerDocument} is not in this study. Choose the documents again.`);
  const codeIds = filters.codeIds ? [...new Set(filters.codeIds)] : data.codeIds;
  const knownCodes = new Set(data.codeIds);
  const strangerCode = codeIds.find((id) => !knownCodes.has(id));
  if (strangerCode) throw new Error(`The code ${strangerCode} is not in this study's codebook. Choose the codes again.`);

  const coderSet = new Set(coderIds);
  const codeSet = new Set(codeIds);
  return {
    documents: data.documents.filter((d) => !documentIds || documentIds.has(d.id)).map((d) => ({ id: d.id, length: d.length })),
    codings: data.codings.filter((c) => coderSet.has(c.coderId) && codeSet.has(c.codeId) && (!documentIds || documentIds.has(c.documentId))),
    coderIds,
    codeIds,
  };
}

/** The engine's input read from the database in one go. */
export async function loadAgreementInput(db: CartographyDb, studyId: Guid, filters: AgreementFilters): Promise<AgreementInput> {
  return buildAgreementInput(await loadAgreementData(db, studyId), filters);
}

/** A passage and the text around it, for reading a disagreement in context. */
export interface Passage {
  /** Offset of `text` in the document. */
  offset: number;
  text: string;
  documentLength: number;
}

export async function loadPassage(db: CartographyDb, documentId: Guid, span: Span, context = 300): Promise<Passage | null> {
  const stored = await db.texts.get(documentId);
  if (!stored) return null;
  const offset = Math.max(0, span.start - context);
  const end = Math.min(stored.text.length, span.end + context);
  return { offset, text: stored.text.slice(offset, end), documentLength: stored.text.length };
}

/**
 * The title of the team's memo on a resolution. It names the code and the span, so resolving
 * the same disagreement again finds (and replaces) it.
 */
export function consensusMemoTitle(codeName: string, span: Span): string {
  return `Consensus on “${codeName}”, characters ${span.start}–${span.end}`;
}

export interface ResolutionChoice {
  /** The coders whose codings the consensus keeps: [] = neither, [a] = one, [a, b] = both. */
  accept: readonly Guid[];
  memo: string;
}

export interface Resolution {
  change: Change;
  consensusCoderId: Guid;
  /** The consensus coder's codings of this code over the span after the change. */
  codingIds: Guid[];
  memoId: Guid | null;
}

const overlaps = (a: Span, b: Span) => a.start < b.end && a.end > b.start;

/** The consensus coder to write into, among the study's coders: the one the setting names, one named "Consensus", or a new one. */
async function consensusCoderFor(db: CartographyDb, studyId: Guid, coders: readonly Coder[]): Promise<{ coder: Coder; isNew: boolean; remember: boolean }> {
  const remembered = await rememberedConsensusId(db, studyId);
  const existing = coders.find((c) => c.id === remembered) ?? coders.find((c) => c.name.trim().toLowerCase() === CONSENSUS_NAME.toLowerCase());
  if (existing) return { coder: existing, isNew: false, remember: existing.id !== remembered };
  // The remembered GUID is reused (an undo took the coder away) unless another study holds it.
  const id = remembered && !(await db.coders.get(remembered)) ? remembered : newGuid();
  const now = new Date().toISOString();
  return { coder: { id, studyId, createdAt: now, modifiedAt: now, createdBy: null, name: CONSENSUS_NAME }, isNew: true, remember: id !== remembered };
}

function choiceLabel(codeName: string, accepted: readonly Coder[]): string {
  const kept = accepted.length === 0 ? 'neither coding kept' : accepted.length === 1 ? `${accepted[0]!.name}’s coding kept` : `codings of ${accepted.map((c) => c.name).join(' and ')} kept`;
  return `Consensus on “${codeName}”: ${kept}`;
}

/**
 * Writes the team's decision on one disagreement into the consensus coder, as one undoable
 * change (with the consensus coder itself the first time). Resolving the same span again
 * replaces the earlier decision: its codings and its memo.
 */
export async function resolveDisagreement(db: CartographyDb, studyId: Guid, disagreement: Disagreement, choice: ResolutionChoice): Promise<Resolution> {
  const tables = [...PATCH_TABLES.map((name) => db.table(name)), db.settings];
  return db.transaction('rw', tables, async () => {
    const [document, code, text] = await Promise.all([db.documents.get(disagreement.documentId), db.codes.get(disagreement.codeId), db.texts.get(disagreement.documentId)]);
    if (!document || document.studyId !== studyId || !text) throw new ChangeRefused('The transcript of this disagreement is no longer in the study; compute the agreement again.');
    if (!code || code.studyId !== studyId) throw new ChangeRefused('The code of this disagreement is no longer in the codebook; compute the agreement again.');
    const accept = [...new Set(choice.accept)];
    const outsider = accept.find((id) => !(id in disagreement.byCoder));
    if (outsider) throw new ChangeRefused('Only the coders compared in this disagreement can be accepted. Choose one of them, both, or neither.');
    const coders = await db.coders.where('studyId').equals(studyId).toArray();
    const acceptedCoders = accept.map((id) => coders.find((c) => c.id === id)).filter((c): c is Coder => c !== undefined);
    if (acceptedCoders.length !== accept.length) throw new ChangeRefused('A coder of this disagreement is no longer in the study; compute the agreement again.');

    const { coder: consensus, isNew, remember } = await consensusCoderFor(db, studyId, coders);
    const span: Span = { start: disagreement.start, end: disagreement.end };
    const title = consensusMemoTitle(code.name, span);
    let codingIds: Guid[] = [];
    let memoId: Guid | null = null;

    // The label names the coders whose codings are kept (accepting a coder who did not code it keeps none of theirs).
    const keptCoders = acceptedCoders.filter((c) => (disagreement.byCoder[c.id] ?? []).length > 0);
    const change = await commitChange(db, studyId, choiceLabel(code.name, keptCoders), async () => {
      const segments = await db.segments.where('documentId').equals(document.id).toArray();
      const state: DocumentCodings = { studyId, documentId: document.id, text: text.text, segments: segments.map(segmentOf), codings: segments.flatMap(codingsOf) };
      const spanOf = new Map(segments.flatMap((s) => s.codings.map((c) => [c.id, { start: s.start, end: s.end, codeId: c.codeId, coderId: c.coderId }] as const)));

      // The accepted spans, checked against what is stored now: a listed disagreement may be stale.
      const wanted: Span[] = [];
      for (const coderId of accept) {
        for (const listed of disagreement.byCoder[coderId] ?? []) {
          const now = spanOf.get(listed.id);
          if (!now || now.start !== listed.start || now.end !== listed.end || now.codeId !== disagreement.codeId || now.coderId !== coderId) {
            throw new ChangeRefused('A coding of this disagreement was changed or removed since the agreement was computed; nothing was written. Look at the disagreement again.');
          }
          if (!wanted.some((w) => w.start === now.start && w.end === now.end)) wanted.push({ start: now.start, end: now.end });
        }
      }
      wanted.sort((a, b) => a.start - b.start || a.end - b.end);

      // The earlier decision here: consensus codings of the code over the span or any coding listed
      // with it (a character-unit span can be a sliver of the codings it stands for), and its memo.
      const extent = disagreementExtent(disagreement);
      const earlier = state.codings.filter((c) => c.coderId === consensus.id && c.codeId === disagreement.codeId && overlaps(spanOf.get(c.id)!, extent));
      const kept = earlier.filter((c) => wanted.some((w) => w.start === spanOf.get(c.id)!.start && w.end === spanOf.get(c.id)!.end));
      const dropped = earlier.filter((c) => !kept.includes(c));
      const segmentIds = new Set(segments.map((s) => s.id));
      // The memos on the document and on its segments, read once: the earlier decision's among them.
      const nearbyMemos = await db.memos
        .where('[targetType+targetId]')
        .anyOf([['document', document.id], ...segments.map((s) => ['segment', s.id])])
        .toArray();
      const earlierMemos = nearbyMemos.filter((m) => m.createdBy === consensus.id && m.title === title);

      // Segments stay while another memo or a tie points at them (the coding rules' keep set).
      const keep = new Set<Guid>();
      for (const m of nearbyMemos) if (m.targetType === 'segment' && !earlierMemos.includes(m)) keep.add(m.targetId);
      await db.ties.where('studyId').equals(studyId).each((t) => {
        for (const id of t.evidenceSegmentIds) if (segmentIds.has(id)) keep.add(id);
      });
      const ctx = { newId: newGuid, now: new Date().toISOString(), keepSegmentIds: keep };

      const droppedIds = new Set(dropped.map((c) => c.id));
      let after: DocumentCodings = { ...state, codings: state.codings.filter((c) => !droppedIds.has(c.id)) };
      const missing = wanted.filter((w) => !kept.some((c) => spanOf.get(c.id)!.start === w.start && spanOf.get(c.id)!.end === w.end));
      if (missing.length > 0) {
        const applied = applyCodes(after, missing.map((w) => ({ ...w, codeId: disagreement.codeId, coderId: consensus.id })), ctx);
        if (!applied.ok) throw new ChangeRefused(applied.reason);
        after = applied.state;
      }
      const pruned = removeCodings(after, [], ctx);
      if (!pruned.ok) throw new ChangeRefused(pruned.reason);
      after = pruned.state;
      const afterSpan = (c: { segmentId: Guid }) => after.segments.find((s) => s.id === c.segmentId)!;
      const finalCodings = after.codings.filter((c) => c.coderId === consensus.id && c.codeId === disagreement.codeId && wanted.some((w) => w.start === afterSpan(c).start && w.end === afterSpan(c).end));
      codingIds = finalCodings.map((c) => c.id);

      const stored = new Map<Guid, StoredSegment>(segments.map((s) => [s.id, s]));
      const patch = await codingPatch(db, { state, stored, keep }, after);

      // The memo: on the first kept span's segment, or on the document when nothing is kept.
      const memoText = choice.memo.trim();
      const target = wanted[0] ? { targetType: 'segment' as const, targetId: after.segments.find((s) => s.start === wanted[0]!.start && s.end === wanted[0]!.end)!.id } : { targetType: 'document' as const, targetId: document.id };
      const reuse = memoText === '' ? undefined : earlierMemos.find((m) => m.targetType === target.targetType && m.targetId === target.targetId);
      const memoPuts: Memo[] = [];
      if (memoText !== '') {
        if (reuse) {
          memoId = reuse.id;
          if (reuse.text !== memoText) memoPuts.push({ ...reuse, text: memoText, modifiedAt: ctx.now });
        } else {
          const memo: Memo = { id: newGuid(), studyId, createdAt: ctx.now, modifiedAt: ctx.now, createdBy: consensus.id, ...target, title, text: memoText };
          memoId = memo.id;
          memoPuts.push(memo);
        }
      }
      const memoRemoves = earlierMemos.filter((m) => m !== reuse).map((m) => m.id);
      if (memoPuts.length > 0) patch.put.memos = memoPuts;
      if (memoRemoves.length > 0) patch.remove.memos = memoRemoves;
      if (!patch.put.segments && !patch.remove.segments && memoPuts.length === 0 && memoRemoves.length === 0) {
        throw new ChangeRefused(
          accept.length === 0 || wanted.length === 0
            ? 'Nothing to record: the consensus keeps no coding here and there is no memo. Write a memo saying why neither coding was kept.'
            : 'The consensus already holds exactly this decision.',
        );
      }
      if (isNew) patch.put.coders = [consensus];
      return patch;
    });
    if (remember) await putSetting(db, agreementSettingKey(studyId), { consensusCoderId: consensus.id } satisfies AgreementSettings);
    return { change, consensusCoderId: consensus.id, codingIds, memoId };
  });
}
