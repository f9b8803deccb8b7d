/**
 * The benchmark page's script (built by bench/run.mjs into dist/bench/, served on the same
 * origin as the app so both see the same IndexedDB). It only exposes functions on
 * `window.cartographyBench`; bench/run.mjs calls them and does the bookkeeping.
 *
 * - loadThroughApp writes the generated study through the app's own write path
 *   (saveStudyRecords on a CartographyDb named 'cartography', the app's database).
 * - loadRaw writes the same records with bare Dexie into the same schema, in a database of
 *   its own: one transaction, one bulkAdd per table, no integrity check — the floor.
 * Only the write is timed; generating and opening the database happen before.
 */
import { Dexie } from 'dexie';
import { generateLargeStudy, LARGE_STUDY_NAME } from '../../fixtures/large-study/generate.ts';
import { CartographyDb, DATABASE_NAME, STUDY_TABLES } from '../../renderer/data/db.ts';
import { toStoredSegments } from '../../renderer/data/layout.ts';
import { declareSchema } from '../../renderer/data/schema.ts';
import { countStudyCodings, createStudy, listStudies, putSetting, saveStudyRecords } from '../../renderer/data/studies.ts';
import { importTranscripts } from '../../renderer/data/import.ts';
import { measureSearch } from '../../renderer/search/measure.ts';
import { parseImportFile } from '../../shared/import/import-file.ts';
import type { StudyRecords } from '../../shared/model/types.ts';

export const FLOOR_DATABASE_NAME = 'cartography-bench-floor';

type Which = 'app' | 'floor';
const databaseName = (which: Which) => (which === 'app' ? DATABASE_NAME : FLOOR_DATABASE_NAME);

let records: StudyRecords | null = null;
const generated = (): StudyRecords => {
  if (!records) throw new Error('call generate() first');
  return records;
};

const round1 = (ms: number) => Math.round(ms * 10) / 10;

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: round1(performance.now() - start), value };
}

/** Counts every table of a database, to check a write landed in full (not timed). */
async function countRows(which: Which): Promise<Record<string, number>> {
  const db = new Dexie(databaseName(which));
  declareSchema(db);
  await db.open();
  try {
    const counts: Record<string, number> = {};
    for (const table of db.tables) counts[table.name] = await table.count();
    // no codings table: they live inside their segments
    counts['codings'] = 0;
    await db.table('segments').each((s: { codings: unknown[] }) => {
      counts['codings']! += s.codings.length;
    });
    return counts;
  } finally {
    db.close();
  }
}

const bench = {
  studyName: LARGE_STUDY_NAME,

  /** Generates the large study and keeps it for the loads; returns the time it took. */
  generate(seed?: number) {
    const start = performance.now();
    records = generateLargeStudy(seed === undefined ? {} : { seed });
    const ms = round1(performance.now() - start);
    const r = records;
    return {
      ms,
      studyId: r.study.id,
      name: r.study.name,
      counts: Object.fromEntries((['segments', 'codings', ...STUDY_TABLES] as const).map((name) => [name, r[name].length])),
      characters: r.texts.reduce((n, t) => n + t.text.length, 0),
      averageWords: Math.round(r.documents.reduce((n, d) => n + d.wordCount, 0) / r.documents.length),
    };
  },

  /** Deletes a database (the app's, or the floor's). */
  async clear(which: Which) {
    await Dexie.delete(databaseName(which));
  },

  /** The app's write path: integrity check plus one transaction of bulkAdds. */
  async loadThroughApp() {
    const r = generated();
    const db = new CartographyDb();
    await db.open();
    try {
      const { ms } = await timed(() => saveStudyRecords(db, r));
      return { ms };
    } finally {
      db.close();
    }
  },

  /**
   * The floor: bare Dexie, same schema, one transaction, one bulkAdd per table, of the
   * records exactly as the app stores them (codings nested in segments beforehand, untimed).
   */
  async loadRaw() {
    const r = generated();
    const stored = toStoredSegments(r.segments, r.codings);
    const db = new Dexie(FLOOR_DATABASE_NAME);
    declareSchema(db);
    await db.open();
    try {
      const { ms } = await timed(() =>
        db.transaction('rw', db.tables, async () => {
          await db.table('studies').add(r.study);
          for (const name of STUDY_TABLES) if (r[name].length > 0) await db.table(name).bulkAdd(r[name]);
          await db.table('segments').bulkAdd(stored);
        }),
      );
      return { ms };
    } finally {
      db.close();
    }
  },

  countRows,

  /**
   * The text of the generated study's 200 transcripts as .txt files, imported into a new
   * study through the app's import path: decode and parse each file, then write it in one
   * transaction (as the Import dialog does after the review step). Only the import is timed.
   */
  async importTranscriptFiles() {
    const r = generated();
    const encoder = new TextEncoder();
    const files = r.texts.map((t, i) => ({ name: `interview-${String(i + 1).padStart(3, '0')}.txt`, bytes: encoder.encode(t.text) }));
    const db = new CartographyDb();
    await db.open();
    try {
      const studyId = await createStudy(db, `Import benchmark ${Date.now()}`, 'Bench');
      const coderId = (await db.studies.get(studyId))!.activeCoderId;
      const { ms } = await timed(async () => {
        for (const file of files) {
          const result = await parseImportFile(file.name, file.bytes);
          if (result.documents.length === 0) throw new Error(`${file.name}: ${result.problems.map((p) => p.message).join('; ')}`);
          const entries = result.documents.map((parsed) => ({ parsed, assignment: { fileName: file.name, caseId: null, participantIds: [] } }));
          await importTranscripts(db, studyId, file.name, entries, coderId);
        }
      });
      const documents = await db.documents.where('studyId').equals(studyId).count();
      if (documents !== files.length) throw new Error(`the import left ${documents} documents, not ${files.length}`);
      return { ms, files: files.length, characters: r.texts.reduce((n, t) => n + t.text.length, 0) };
    } finally {
      db.close();
    }
  },

  /** Full-text search on a study stored in the app's database: the worker's build, then a set of queries. */
  measureSearch(studyId: string) {
    return measureSearch(studyId);
  },

  /**
   * Writes, through the app's data layer into the app's database, a study with one
   * transcript of over 300,000 characters (800 codings), and pins one code to the key 1.
   */
  async loadLongTranscript() {
    const r = generateLargeStudy({
      seed: 7,
      name: 'Long transcript (generated)',
      sizes: { cases: 1, participants: 1, documents: 1, wordsPerDocument: 48_000, codesPerStage: 10, segments: 600, codings: 800, memos: 5, actors: 2, ties: 2 },
    });
    const db = new CartographyDb();
    await db.open();
    try {
      await saveStudyRecords(db, r);
      const code = r.codes.find((c) => c.parentId !== null) ?? r.codes[0]!;
      await putSetting(db, `pinnedCodes:${r.study.id}`, [code.id]);
      return { studyId: r.study.id, documentId: r.documents[0]!.id, length: r.texts[0]!.text.length, codings: r.codings.length, codeName: code.name };
    } finally {
      db.close();
    }
  },

  /**
   * Times, one by one, the reads the app makes when the large study opens (for diagnosis;
   * not a benchmark row): the study list's summaries, useStudyCore and useStudyCounts.
   */
  async probeOpenQueries(studyId: string) {
    const db = new CartographyDb();
    await db.open();
    try {
      const by = (table: string) => db.table(table).where('studyId').equals(studyId);
      const out: Record<string, number> = {};
      const probe = async (name: string, work: () => Promise<unknown>) => {
        out[name] = (await timed(work)).ms;
      };
      await probe('listStudies', () => listStudies(db));
      await probe('studies.get', () => db.studies.get(studyId));
      for (const table of ['coders', 'stages', 'attributes', 'cases', 'codes']) await probe(`${table}.sortBy`, () => by(table).sortBy(table === 'cases' ? 'name' : 'order'));
      for (const table of ['participants', 'documents', 'memos', 'actors', 'ties']) await probe(`${table}.count`, () => by(table).count());
      await probe('codings (sum over documents)', () => countStudyCodings(db, studyId));
      return out;
    } finally {
      db.close();
    }
  },
};

declare global {
  interface Window {
    cartographyBench: typeof bench;
  }
}

window.cartographyBench = bench;
document.body.dataset['ready'] = 'true';
