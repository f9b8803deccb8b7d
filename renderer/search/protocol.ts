/**
 * The messages between the UI and the search worker (search.worker.ts). Requests carry an
 * id; the worker answers each with exactly one response of the same id (`indexed`,
 * `result` or `error`), in the order the requests came, and may send `progress` messages
 * while a sync runs. Everything here survives structured cloning: plain data only.
 */
import type { SearchResult, TextSpan } from '../../shared/search/index.ts';

/**
 * Brings the worker's index up to date with a study: the worker reads the study's
 * documents and memos itself (ids and modifiedAt), removes what is gone and (re)indexes
 * what is new or changed. The first sync of a study is the full build; a sync for another
 * study (or database) starts over.
 */
export interface SyncRequest {
  type: 'sync';
  id: number;
  studyId: string;
  /** The IndexedDB database to read; default the app's ('cartography'). */
  databaseName?: string;
}

export interface SearchQueryOptions {
  /** Search only these sources (filters by case, participant, kind). */
  sourceIds?: string[];
  /** Search only inside these spans of these documents (filters by code or stage). */
  within?: Record<string, TextSpan[]>;
  /** Most hits to return; counts stay exact. */
  limit?: number;
  /** Snippet context either side of each hit returned, in UTF-16 code units. */
  context?: number;
}

export interface SearchRequest {
  type: 'search';
  id: number;
  /** The study the caller means; a worker holding another study answers with an error. */
  studyId: string;
  query: string;
  options: SearchQueryOptions;
}

export type WorkerRequest = SyncRequest | SearchRequest;

/** The answer to a sync. `ms` is the whole sync in the worker, reading included. */
export interface IndexedResponse {
  type: 'indexed';
  id: number;
  studyId: string;
  /** True when the index was built from nothing (first sync of this study). */
  full: boolean;
  ms: number;
  /** Reading documents, texts and memos from IndexedDB. */
  readMs: number;
  /** Tokenising and indexing. */
  indexMs: number;
  /** Sources in the index after the sync. */
  sources: number;
  /** Sources (re)indexed and removed by this sync. */
  indexed: number;
  removed: number;
  /** Characters indexed by this sync. */
  characters: number;
}

/** Sent while a sync indexes: `done` of `total` sources to (re)index. */
export interface ProgressResponse {
  type: 'progress';
  id: number;
  studyId: string;
  done: number;
  total: number;
  documents: number;
  memos: number;
}

export interface ResultResponse {
  type: 'result';
  id: number;
  /** Time the worker spent on the query (parse, match, snippets). */
  ms: number;
  result: SearchResult;
}

export interface ErrorResponse {
  type: 'error';
  id: number;
  message: string;
}

export type WorkerResponse = IndexedResponse | ProgressResponse | ResultResponse | ErrorResponse;
