/**
 * The shapes every comparison matrix shares (case × code, attribute × code, code × code),
 * so one renderer, one drill-down and one set of exports (CSV, TSV, XLSX, SVG, PNG) serve
 * them all. Plain data: computed in shared/analysis, drawn by the renderer.
 */
import type { CodeKind, Guid, IsoDate } from '../model/types.ts';

/** What a row stands for. `group` rows gather the cases that share an attribute value. */
export type RowDimension = 'case' | 'participant' | 'document';

/** The number in a cell (for code columns). */
export const MATRIX_METRICS = ['segments', 'participants', 'presence', 'share', 'words'] as const;
export type MatrixMetric = (typeof MATRIX_METRICS)[number];
export const METRIC_LABELS: Record<MatrixMetric, string> = {
  segments: 'Coded segments',
  participants: 'Participants who mention it',
  presence: 'Presence (0/1)',
  share: 'Share of the row’s codings (%)',
  words: 'Words coded',
};

/** The plain records a matrix is computed from (the renderer loads them; tests write them by hand). */
export interface MatrixSource {
  stages: readonly { id: Guid; name: string; order: number }[];
  codes: readonly { id: Guid; parentId: Guid | null; name: string; color: string; stageId: Guid | null; kind: CodeKind; order: number }[];
  cases: readonly { id: Guid; name: string; attributes: Record<Guid, string | number | boolean | null>; openness: Record<string, string> }[];
  attributes: readonly { id: Guid; name: string; type: string; values: string[]; order: number }[];
  participants: readonly { id: Guid; pseudonym: string; caseId: Guid | null; interviewDate: string }[];
  documents: readonly { id: Guid; title: string; caseId: Guid | null; participantIds: readonly Guid[] }[];
  /** Coded segments: offsets are UTF-16 code units into the document's text; `text` is the segment's own text. */
  segments: readonly { id: Guid; documentId: Guid; start: number; end: number; text: string }[];
  codings: readonly { id: Guid; segmentId: Guid; codeId: Guid; coderId: Guid; documentId: Guid; createdAt: IsoDate }[];
  /** Coders, for naming a coder filter in settings lines (optional: without them a coder shows as "unknown coder"). */
  coders?: readonly { id: Guid; name: string }[];
}

/** Restricts which codings count. Empty or missing lists mean "all". */
export interface MatrixFilters {
  coderIds?: readonly Guid[];
  documentIds?: readonly Guid[];
  participantIds?: readonly Guid[];
  caseIds?: readonly Guid[];
  /** Inclusive yyyy-mm-dd bounds on the interview date (a document's dates are its participants'); documents without a date are left out once a bound is set. */
  from?: string;
  to?: string;
}

export interface MatrixRow {
  key: string;
  label: string;
  /** Cases in an attribute group (for "normalised by group size"); 1 otherwise. */
  size: number;
}

export interface MatrixColumn {
  key: string;
  /** The column's own name: a code's name, a kind's label, or a stage's name. */
  label: string;
  /** For export headers: the code's name path (parent > child), or [stage] / [stage, kind] for collapsed columns. */
  namePath: string[];
  level: 'code' | 'kind' | 'stage';
  stageId: Guid | null;
  kind: CodeKind | null;
  /** The codes the column counts (a collapsed column counts the union of their segments). */
  codeIds: Guid[];
  color: string | null;
}

export interface Matrix {
  /** The first CSV header: "case", "participant", "document", an attribute's name, or "code". */
  rowHeader: string;
  metric: MatrixMetric | 'count' | 'jaccard';
  rows: MatrixRow[];
  columns: MatrixColumn[];
  /** cells[row][column] */
  cells: number[][];
  rowTotals: number[];
  columnTotals: number[];
  grandTotal: number;
  /** Largest cell, for shading. */
  max: number;
  /** Shown after numbers: "%" for shares, "" otherwise. */
  unit: string;
  /** One line per setting, for exports ("Metric: Coded segments", "Filters: coder Ana", …). */
  settings: string[];
}
