/**
 * Live counts per code for the codebook: how many codings, and in how many distinct segments,
 * documents, cases and participants. One pass over the codings with a Set per code and
 * measure; documents are looked at once per (code, document), so cases and participants cost
 * nothing per coding.
 *
 * With `includeDescendants`, each code's counts take in its sub-codes' codings as distinct
 * things, not sums: a segment coded with a parent and with its child counts once for the
 * parent. (Codings are distinct records, so their count is the sum.)
 */
import type { Code, Guid } from '../model/types.ts';

export interface CodeCount {
  codings: number;
  segments: number;
  documents: number;
  cases: number;
  participants: number;
}

export type CountedCoding = { readonly codeId: Guid; readonly segmentId: Guid; readonly documentId: Guid };
export type CountedDocument = { readonly id: Guid; readonly caseId: Guid | null; readonly participantIds: readonly Guid[] };
export type CountedCode = Pick<Code, 'id' | 'parentId'>;

export interface CodeCountOptions {
  /** The codebook. Every code gets an entry (zeros when it has no codings), and the hierarchy is read from it. */
  codes?: readonly CountedCode[];
  /** Count each code's sub-codes (all levels) with it. Needs `codes`. */
  includeDescendants?: boolean;
}

export const ZERO_COUNT: Readonly<CodeCount> = Object.freeze({ codings: 0, segments: 0, documents: 0, cases: 0, participants: 0 });

interface Tally {
  codings: number;
  segments: Set<Guid>;
  documents: Set<Guid>;
  cases: Set<Guid>;
  participants: Set<Guid>;
}

const newTally = (): Tally => ({ codings: 0, segments: new Set(), documents: new Set(), cases: new Set(), participants: new Set() });

/**
 * Counts per code id. Without `codes`, only codes that have codings appear; a coding whose
 * document is not among `documents` still counts its document, but adds no case or participant;
 * a document without a case adds no case.
 */
export function codeCounts(codings: readonly CountedCoding[], documents: readonly CountedDocument[], options: CodeCountOptions = {}): Map<Guid, CodeCount> {
  const documentsById = new Map<Guid, CountedDocument>();
  for (const d of documents) documentsById.set(d.id, d);

  const tallies = new Map<Guid, Tally>();
  const tallyOf = (codeId: Guid): Tally => {
    let t = tallies.get(codeId);
    if (!t) {
      t = newTally();
      tallies.set(codeId, t);
    }
    return t;
  };
  for (const code of options.codes ?? []) tallyOf(code.id);

  // The codes each code's codings count for: itself, then its ancestors (with includeDescendants).
  const chains = new Map<Guid, Tally[]>();
  const parents = new Map<Guid, Guid | null>();
  if (options.includeDescendants) for (const code of options.codes ?? []) parents.set(code.id, code.parentId);
  const chainOf = (codeId: Guid): Tally[] => {
    let chain = chains.get(codeId);
    if (chain) return chain;
    chain = [tallyOf(codeId)];
    const seen = new Set<Guid>([codeId]);
    let parent = parents.get(codeId) ?? null;
    while (parent !== null && !seen.has(parent) && parents.has(parent)) {
      seen.add(parent);
      chain.push(tallyOf(parent));
      parent = parents.get(parent) ?? null;
    }
    chains.set(codeId, chain);
    return chain;
  };

  for (const coding of codings) {
    for (const t of chainOf(coding.codeId)) {
      t.codings += 1;
      t.segments.add(coding.segmentId);
      if (t.documents.has(coding.documentId)) continue;
      t.documents.add(coding.documentId);
      const doc = documentsById.get(coding.documentId);
      if (!doc) continue;
      if (doc.caseId !== null) t.cases.add(doc.caseId);
      for (const p of doc.participantIds) t.participants.add(p);
    }
  }

  const counts = new Map<Guid, CodeCount>();
  for (const [codeId, t] of tallies) {
    counts.set(codeId, { codings: t.codings, segments: t.segments.size, documents: t.documents.size, cases: t.cases.size, participants: t.participants.size });
  }
  return counts;
}
