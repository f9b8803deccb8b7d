/**
 * Measurements of full-text search for the benchmark page (bench/page/bench-entry.ts) or
 * the app page: a fresh worker builds the index of a study already stored in the app's
 * database (the full build, timed in the worker: reading and indexing), then runs a set
 * of queries as the Search area does (300 hits with snippets), each several times.
 */
import { SearchClient } from './client.ts';

/** A mix of common words, rare words, phrases, prefixes, AND and NOT, as researchers type them. */
export const BENCH_QUERIES = [
  'licence', 'the', 'volunteers', 'dataset', 'fine-tun*', '"fine tuned"', '"training run"', '"the community"', 'co*', 'a*',
  't*', 'licen*', '"open licen*"', 'compute grant', '"on hugging face"', 'zebra', 'Frankly', '"the whole national"', 'model -licence',
  '"could you tell me"',
];

export interface SearchMeasurement {
  /** The full build in the worker: `ms` = reading (`readMs`) + indexing (`indexMs`) + bookkeeping. */
  build: { ms: number; readMs: number; indexMs: number; sources: number; characters: number };
  /** From posting the sync to its answer on the page (worker start-up excluded: the worker is warmed first). */
  buildRoundTripMs: number;
  /** Per query: medians over `runs` of the worker's time and of the page's round trip. */
  queries: { query: string; total: number; workerMs: number; roundTripMs: number }[];
  /** Medians over the queries of the per-query medians. */
  queryWorkerMedianMs: number;
  queryRoundTripMedianMs: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const round = (ms: number) => Math.round(ms * 100) / 100;

export async function measureSearch(studyId: string, options: { queries?: readonly string[]; runs?: number; databaseName?: string } = {}): Promise<SearchMeasurement> {
  const { queries = BENCH_QUERIES, runs = 5, databaseName } = options;
  const client = new SearchClient();
  try {
    // Warm the worker (module load, database open) on an empty study id, so only the build is timed.
    await client.sync('bench-warm-up', databaseName);
    const started = performance.now();
    const build = await client.sync(studyId, databaseName);
    const buildRoundTripMs = round(performance.now() - started);
    const measured: SearchMeasurement['queries'] = [];
    for (const query of queries) {
      const worker: number[] = [];
      const roundTrip: number[] = [];
      let total = 0;
      for (let k = 0; k < runs; k += 1) {
        const answer = await client.search(studyId, query, { limit: 300, context: 70 });
        worker.push(answer.workerMs);
        roundTrip.push(answer.roundTripMs);
        total = answer.result.total;
      }
      measured.push({ query, total, workerMs: round(median(worker)), roundTripMs: round(median(roundTrip)) });
    }
    return {
      build: { ms: build.ms, readMs: build.readMs, indexMs: build.indexMs, sources: build.sources, characters: build.characters },
      buildRoundTripMs,
      queries: measured,
      queryWorkerMedianMs: round(median(measured.map((q) => q.workerMs))),
      queryRoundTripMedianMs: round(median(measured.map((q) => q.roundTripMs))),
    };
  } finally {
    client.terminate();
  }
}
