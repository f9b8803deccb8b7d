/**
 * The search worker: holds the full-text index of one study (shared/search's SearchEngine)
 * off the UI thread. It opens the app's database itself (Dexie runs in workers), so the UI
 * only says "sync study X" when documents or memos may have changed, and sends queries.
 * Messages are handled one at a time, in order: a query sent during a sync is answered
 * from the synced index.
 */
import { SearchEngine, indexSource } from '../../shared/search/index.ts';
import type { Document, DocumentText, Memo } from '../../shared/model/types.ts';
import { CartographyDb, DATABASE_NAME } from '../data/db.ts';
import type { IndexedResponse, SearchRequest, SyncRequest, WorkerRequest, WorkerResponse } from './protocol.ts';

interface WorkerScope {
  postMessage(message: WorkerResponse): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<WorkerRequest>) => void): void;
}
const scope = self as unknown as WorkerScope;

/** Texts read per IndexedDB request: big enough to amortise a request, small enough to report progress. */
const CHUNK = 16;

const engine = new SearchEngine();
/** modifiedAt of each indexed source, to tell what changed. */
const versions = new Map<string, string>();
let current: { studyId: string; databaseName: string } | null = null;
let database: CartographyDb | null = null;

function openDatabase(name: string): CartographyDb {
  if (database && database.name !== name) {
    database.close();
    database = null;
  }
  database ??= new CartographyDb(name);
  return database;
}

const byTitle = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

async function sync(request: SyncRequest): Promise<IndexedResponse> {
  const started = performance.now();
  const databaseName = request.databaseName ?? DATABASE_NAME;
  if (!current || current.studyId !== request.studyId || current.databaseName !== databaseName) {
    engine.clear();
    versions.clear();
    current = { studyId: request.studyId, databaseName };
  }
  const full = engine.size === 0;
  const db = openDatabase(databaseName);
  const [documents, memos] = await Promise.all([
    db.documents.where('studyId').equals(request.studyId).toArray(),
    db.memos.where('studyId').equals(request.studyId).toArray(),
  ]);
  let readMs = performance.now() - started;

  // Documents in title order, then memos: the engine answers in the order sources were added.
  documents.sort((a, b) => byTitle.compare(a.title, b.title));
  const present = new Set<string>([...documents.map((d) => d.id), ...memos.map((m) => m.id)]);
  let removed = 0;
  for (const id of [...versions.keys()]) {
    if (present.has(id)) continue;
    engine.removeSource(id);
    versions.delete(id);
    removed += 1;
  }
  const changedDocuments: Document[] = documents.filter((d) => versions.get(d.id) !== d.modifiedAt);
  const changedMemos: Memo[] = memos.filter((m) => versions.get(m.id) !== m.modifiedAt);
  const total = changedDocuments.length + changedMemos.length;
  const progress = (done: number) =>
    scope.postMessage({ type: 'progress', id: request.id, studyId: request.studyId, done, total, documents: changedDocuments.length, memos: changedMemos.length });
  if (total > 0) progress(0);

  let indexMs = 0;
  let characters = 0;
  let done = 0;
  const read = (from: number) => {
    const ids = changedDocuments.slice(from, from + CHUNK).map((d) => d.id);
    return ids.length === 0 ? Promise.resolve([] as (DocumentText | undefined)[]) : db.texts.bulkGet(ids);
  };
  // Read the next chunk while this one is indexed: IndexedDB works on another thread.
  let next = read(0);
  for (let from = 0; from < changedDocuments.length; from += CHUNK) {
    const waited = performance.now();
    const texts = await next;
    readMs += performance.now() - waited;
    next = read(from + CHUNK);
    const indexing = performance.now();
    texts.forEach((text, k) => {
      const document = changedDocuments[from + k]!;
      // A document whose text is missing is indexed as empty, so it is not read again and again.
      engine.addIndexedSource(indexSource({ id: document.id, kind: 'document', text: text?.text ?? '' }));
      versions.set(document.id, document.modifiedAt);
      characters += text?.text.length ?? 0;
    });
    indexMs += performance.now() - indexing;
    done += texts.length;
    progress(done);
  }
  const indexing = performance.now();
  for (const memo of changedMemos) {
    engine.addIndexedSource(indexSource({ id: memo.id, kind: 'memo', text: memo.text }));
    versions.set(memo.id, memo.modifiedAt);
    characters += memo.text.length;
  }
  indexMs += performance.now() - indexing;
  if (changedMemos.length > 0) progress(total);

  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    type: 'indexed',
    id: request.id,
    studyId: request.studyId,
    full: full && total > 0,
    ms: round(performance.now() - started),
    readMs: round(readMs),
    indexMs: round(indexMs),
    sources: engine.size,
    indexed: total,
    removed,
    characters,
  };
}

function search(request: SearchRequest): WorkerResponse {
  if (!current || current.studyId !== request.studyId) {
    return { type: 'error', id: request.id, message: 'The search index holds another study: sync first.' };
  }
  const started = performance.now();
  const { sourceIds, within, limit, context } = request.options;
  const result = engine.search(request.query, {
    ...(sourceIds ? { sourceIds } : {}),
    ...(within ? { within } : {}),
    ...(limit !== undefined ? { limit } : {}),
    ...(context !== undefined ? { context } : {}),
  });
  return { type: 'result', id: request.id, ms: Math.round((performance.now() - started) * 100) / 100, result };
}

async function handle(request: WorkerRequest): Promise<WorkerResponse> {
  try {
    return request.type === 'sync' ? await sync(request) : search(request);
  } catch (error) {
    // A failed sync leaves what was indexed; the next sync compares versions and retries the rest.
    return { type: 'error', id: request.id, message: (error as Error).message ?? String(error) };
  }
}

let queue: Promise<void> = Promise.resolve();
scope.addEventListener('message', (event) => {
  const request = event.data;
  queue = queue.then(async () => scope.postMessage(await handle(request)));
});
