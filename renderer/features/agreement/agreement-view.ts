/**
 * The Agreement screen's plain-data side: table rows with their code paths, the CSV export,
 * and the pieces a passage is drawn from, each coder's span marked. Pure functions, so the
 * screen's numbers and exports are tested without a browser.
 */
import Papa from 'papaparse';
import { disagreementExtent, type AgreementResult, type AgreementStatistic, type AgreementUnit, type Disagreement } from '../../../shared/analysis/agreement.ts';
import { codePath } from '../../../shared/codebook/operations.ts';
import { guardFormula, NAME_PATH_SEPARATOR, plainNumber } from '../../../shared/formats/matrix-export.ts';
import type { Code, Guid, Stage } from '../../../shared/model/types.ts';

export const UNIT_LABELS: Record<AgreementUnit, string> = { document: 'Document', character: 'Character', segment: 'Segment' };

/** What one unit is, in the words the screen and its help use. */
export const UNIT_DEFINITIONS: Record<AgreementUnit, string> = {
  document: 'Each document is one unit per code: did the coder apply the code anywhere in it?',
  character: 'Each character of the text is one unit per code: is it inside one of the coder’s codings of the code? This is how NVivo and QualCoder compare coding; text nobody coded counts as agreement, which kappa and alpha correct for.',
  segment: 'Codings of the same code by different coders match when their overlap is at least the chosen share of their union (as MAXQDA does); each matched pair, and each coding left unmatched, is one unit.',
};

/** Reads the overlap field: a share above 0 and at most 1 ("0.5", "0,5"), or a percentage written with % ("50 %"). */
export function readOverlap(text: string): number | null {
  const trimmed = text.trim();
  const percent = trimmed.endsWith('%');
  const number = trimmed.replace(/\s*%$/, '').replace(',', '.');
  if (!/^\d*\.?\d+$/.test(number)) return null;
  const share = percent ? Number(number) / 100 : Number(number);
  return share > 0 && share <= 1 ? share : null;
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** Coders in the order the screen compares and names them: by name, the consensus coder last. */
export function orderCoders<T extends { id: Guid; name: string }>(coders: readonly T[], consensusCoderId: Guid | null): T[] {
  return [...coders].sort((a, b) => Number(a.id === consensusCoderId) - Number(b.id === consensusCoderId) || collator.compare(a.name, b.name));
}

export interface AgreementRow extends AgreementStatistic {
  codeId: Guid;
  /** The code's name path, root first. */
  path: string[];
  color: string;
}

/**
 * The per-code rows in codebook order: stage by stage (cross-stage codes last), then by each
 * code's order, as the code pickers list them. Codes the list does not hold come last.
 */
export function agreementRows(result: AgreementResult, codes: readonly Code[], stages: readonly Stage[] = []): AgreementRow[] {
  const byId = new Map(codes.map((c) => [c.id, c]));
  const stageRank = new Map(stages.map((s, i) => [s.id, i]));
  const rank = (codeId: Guid): [number, number] => {
    const code = byId.get(codeId);
    if (!code) return [Number.MAX_SAFE_INTEGER, 0];
    return [code.stageId === null ? stages.length : (stageRank.get(code.stageId) ?? stages.length), code.order];
  };
  return result.perCode
    .map((row) => ({ ...row, path: codePath(codes, row.codeId), color: byId.get(row.codeId)?.color ?? '#888888' }))
    .sort((a, b) => {
      const [sa, oa] = rank(a.codeId);
      const [sb, ob] = rank(b.codeId);
      return sa - sb || oa - ob;
    });
}

/** A statistic as the table shows it: three decimals, or a dash when undefined. */
export function formatStatistic(value: number | null): string {
  return value === null ? '—' : value.toFixed(3);
}

export function formatPercent(value: number | null): string {
  return value === null ? '—' : `${(value * 100).toFixed(1)} %`;
}

/** Why kappa is missing from a row, when the engine leaves the reason to the overall row. */
export function kappaAbsence(coderCount: number): string | null {
  return coderCount === 2 ? null : `Cohen’s kappa compares exactly two coders; ${coderCount} are compared here (alpha covers any number).`;
}

export interface AgreementCsvMeta {
  unit: AgreementUnit;
  overlap: number;
  coderNames: string[];
}

/**
 * The table as CSV: one row per code (its name path joined with " > ") and the overall row,
 * with the settings it was computed with first. Numbers plain ("." decimals), undefined values
 * empty with the note beside them; names guarded against formula injection.
 */
export function agreementToCsv(rows: readonly AgreementRow[], overall: AgreementStatistic, meta: AgreementCsvMeta): string {
  const unit = `${UNIT_LABELS[meta.unit]}${meta.unit === 'segment' ? ` (overlap ≥ ${plainNumber(meta.overlap)} of the union)` : ''}`;
  const line = (label: string, s: AgreementStatistic) => [guardFormula(label), plainOrEmpty(s.percent), plainOrEmpty(s.kappa), plainOrEmpty(s.alpha), String(s.units), guardFormula(s.notes.join(' '))];
  const data = [...rows.map((r) => line(r.path.join(NAME_PATH_SEPARATOR), r)), line('Overall', overall)];
  const header = ['Code', 'Percent agreement', 'Cohen’s kappa', 'Krippendorff’s alpha', 'Units', 'Notes'];
  const preface = [
    ['Unit', guardFormula(unit)],
    ['Coders', guardFormula(meta.coderNames.join('; '))],
  ];
  return `${Papa.unparse(preface, { newline: '\r\n' })}\r\n\r\n${Papa.unparse({ fields: header, data }, { newline: '\r\n' })}\r\n`;
}

const plainOrEmpty = (value: number | null) => (value === null ? '' : plainNumber(value));

/** A stretch of a passage and the coders whose spans cover it. */
export interface PassagePiece {
  start: number;
  end: number;
  text: string;
  coderIds: Guid[];
}

/**
 * Cuts a passage (its text starting at `offset` in the document) where any coder's span
 * starts or ends, so each piece can be drawn with the coders that cover it.
 */
export function passagePieces(passage: { offset: number; text: string }, byCoder: Readonly<Record<Guid, readonly { start: number; end: number }[]>>, coderIds: readonly Guid[]): PassagePiece[] {
  const from = passage.offset;
  const to = passage.offset + passage.text.length;
  const cuts = new Set<number>([from, to]);
  for (const id of coderIds) {
    for (const s of byCoder[id] ?? []) {
      for (const at of [s.start, s.end]) if (at > from && at < to) cuts.add(at);
    }
  }
  const points = [...cuts].sort((a, b) => a - b);
  const pieces: PassagePiece[] = [];
  for (let i = 0; i + 1 < points.length; i += 1) {
    const start = points[i]!;
    const end = points[i + 1]!;
    const covering = coderIds.filter((id) => (byCoder[id] ?? []).some((s) => s.start <= start && s.end >= end));
    pieces.push({ start, end, text: passage.text.slice(start - from, end - from), coderIds: covering });
  }
  return pieces;
}

/** What the consensus coder holds for a disagreement, in words; null when the team has not decided it. */
export function consensusState(
  disagreement: Disagreement,
  consensus: { coderId: Guid | null; codings: readonly { documentId: Guid; codeId: Guid; coderId: Guid; start: number; end: number }[]; memos: readonly { documentId: Guid; title: string }[] },
  memoTitle: string,
): string | null {
  if (!consensus.coderId) return null;
  const { start, end } = disagreementExtent(disagreement);
  const kept = consensus.codings.filter((c) => c.coderId === consensus.coderId && c.documentId === disagreement.documentId && c.codeId === disagreement.codeId && c.start < end && c.end > start);
  if (kept.length > 0) return kept.length === 1 ? 'Consensus codes it' : `Consensus codes ${kept.length} spans`;
  if (consensus.memos.some((m) => m.documentId === disagreement.documentId && m.title === memoTitle)) return 'Consensus: neither';
  return null;
}
