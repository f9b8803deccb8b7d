/**
 * The UI side of the search worker: promise-based requests matched to responses by id,
 * and the index status for the UI (indexing with progress, ready, failed). One worker
 * serves the app (`searchClient()`); tests and measurements can make their own.
 */
import type { SearchResult } from '../../shared/search/index.ts';
import type { IndexedResponse, ProgressResponse, SearchQueryOptions, WorkerRequest, WorkerResponse } from './protocol.ts';

export type IndexStatus =
  | { state: 'idle' }
  | { state: 'indexing'; studyId: string; done: number; total: number; documents: number; memos: number }
  | { state: 'ready'; studyId: string; sources: number; ms: number }
  | { state: 'failed'; studyId: string; message: string };

export interface SearchAnswer {
  result: SearchResult;
  /** Time spent in the worker. */
  workerMs: number;
  /** From posting the request to receiving the answer, structured cloning both ways included. */
  roundTripMs: number;
}

/** A worker that takes requests and posts responses: a real Worker, or a fake in tests. */
export interface WorkerLike {
  postMessage(message: WorkerRequest): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<WorkerResponse>) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  terminate(): void;
}

interface Pending {
  resolve(response: WorkerResponse): void;
  reject(error: Error): void;
}

export function startSearchWorker(): WorkerLike {
  return new Worker(new URL('./search.worker.ts', import.meta.url), { type: 'module', name: 'cartography-search' }) as unknown as WorkerLike;
}

export class SearchClient {
  readonly #worker: WorkerLike;
  readonly #pending = new Map<number, Pending>();
  readonly #listeners = new Set<() => void>();
  #nextId = 1;
  #syncs = 0;
  #status: IndexStatus = { state: 'idle' };
  #generation = 0;
  /** Set once the worker has failed: later requests are refused at once instead of waiting for ever. */
  #failure: Error | null = null;
  /** The last full build, for measurements. */
  lastFullBuild: IndexedResponse | null = null;

  constructor(worker: WorkerLike = startSearchWorker()) {
    this.#worker = worker;
    worker.addEventListener('message', (event) => this.#receive(event.data));
    worker.addEventListener('error', (event) => {
      const error = new Error(event.message || 'The search worker failed to start.');
      this.#failure = error;
      for (const pending of this.#pending.values()) pending.reject(error);
      this.#pending.clear();
      this.#setStatus({ state: 'failed', studyId: this.#studyIdOfStatus(), message: error.message });
    });
  }

  /** What the index is doing, for the UI; changes are announced to `subscribe`rs. */
  get status(): IndexStatus {
    return this.#status;
  }

  /** Goes up by one whenever a sync changed the index: queries shown should be run again. */
  get generation(): number {
    return this.#generation;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  /** Brings the index up to date with the study (the first time: builds it). */
  async sync(studyId: string, databaseName?: string): Promise<IndexedResponse> {
    this.#syncs += 1;
    if (this.#status.state !== 'indexing' || this.#status.studyId !== studyId) {
      // Stay "ready" until the worker says there is something to index, so small syncs do not flicker.
      if (this.#status.state !== 'ready' || this.#status.studyId !== studyId) this.#setStatus({ state: 'indexing', studyId, done: 0, total: 0, documents: 0, memos: 0 });
    }
    try {
      const response = await this.#request({ type: 'sync', id: 0, studyId, ...(databaseName ? { databaseName } : {}) });
      if (response.type !== 'indexed') throw new Error(response.type === 'error' ? response.message : `unexpected ${response.type}`);
      if (response.full) this.lastFullBuild = response;
      if (response.indexed > 0 || response.removed > 0) this.#generation += 1;
      if (this.#syncs === 1) this.#setStatus({ state: 'ready', studyId, sources: response.sources, ms: response.ms });
      else if (response.indexed > 0 || response.removed > 0) this.#notify();
      return response;
    } catch (error) {
      if (this.#syncs === 1) this.#setStatus({ state: 'failed', studyId, message: (error as Error).message });
      throw error;
    } finally {
      this.#syncs -= 1;
    }
  }

  async search(studyId: string, query: string, options: SearchQueryOptions = {}): Promise<SearchAnswer> {
    const started = performance.now();
    const response = await this.#request({ type: 'search', id: 0, studyId, query, options });
    if (response.type !== 'result') throw new Error(response.type === 'error' ? response.message : `unexpected ${response.type}`);
    return { result: response.result, workerMs: response.ms, roundTripMs: performance.now() - started };
  }

  terminate(): void {
    this.#worker.terminate();
    const error = new Error('The search worker was stopped.');
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }

  #request(request: WorkerRequest): Promise<WorkerResponse> {
    if (this.#failure) return Promise.reject(new Error(`Search is not available: ${this.#failure.message} Reload the window to start it again.`));
    const id = this.#nextId++;
    return new Promise<WorkerResponse>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ ...request, id });
    });
  }

  #receive(response: WorkerResponse): void {
    if (response.type === 'progress') {
      this.#progress(response);
      return;
    }
    const pending = this.#pending.get(response.id);
    if (!pending) return;
    this.#pending.delete(response.id);
    pending.resolve(response);
  }

  #progress(p: ProgressResponse): void {
    // Small incremental syncs (a memo edited) do not show as indexing.
    if (this.#status.state === 'ready' && this.#status.studyId === p.studyId && p.total < 10) return;
    this.#setStatus({ state: 'indexing', studyId: p.studyId, done: p.done, total: p.total, documents: p.documents, memos: p.memos });
  }

  #studyIdOfStatus(): string {
    return this.#status.state === 'idle' ? '' : this.#status.studyId;
  }

  #setStatus(status: IndexStatus): void {
    this.#status = status;
    this.#notify();
  }

  #notify(): void {
    for (const listener of this.#listeners) listener();
  }
}

let shared: SearchClient | null = null;

/** The app's search client, started on first use and kept while the page lives. */
export function searchClient(): SearchClient {
  shared ??= new SearchClient();
  return shared;
}
