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
 * - measureCaseByCode / measureCaseByCodeWarm / measureCooccurrence / measureMatrixRender
 *   time the comparison matrices on the generated study in memory (prepareMatrices first):
 *   the shared/analysis engines, and the app's MatrixTable drawn with the app's stylesheets.
 */
import { Dexie } from 'dexie';
import { createElement } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { generateLargeStudy, LARGE_STUDY_NAME } from '../../fixtures/large-study/generate.ts';
import { CartographyDb, DATABASE_NAME, STUDY_TABLES } from '../../renderer/data/db.ts';
import { toStoredSegments } from '../../renderer/data/layout.ts';
import { declareSchema } from '../../renderer/data/schema.ts';
import { countStudyCodings, createStudy, listStudies, putSetting, saveStudyRecords } from '../../renderer/data/studies.ts';
import { importTranscripts } from '../../renderer/data/import.ts';
import { measureSearch } from '../../renderer/search/measure.ts';
import { parseImportFile } from '../../shared/import/import-file.ts';
import type { StudyRecords } from '../../shared/model/types.ts';
import { codeCooccurrence } from '../../shared/analysis/cooccurrence.ts';
import { caseByCodeMatrix, codeColumns } from '../../shared/analysis/matrix.ts';
import type { Matrix, MatrixSource } from '../../shared/analysis/matrix-types.ts';
import { MatrixTable } from '../../renderer/features/matrices/MatrixTable.tsx';
// The app's stylesheets, so the matrix's style and layout cost what they cost in the app.
import '../../renderer/styles/app.css';
import '../../renderer/features/matrices/matrices.css';

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

// --- Comparison matrices ---------------------------------------------------------------

const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const byOrder = <T extends { order: number }>(a: T, b: T) => a.order - b.order;

/**
 * The MatrixSource renderer/data/matrices.ts `loadMatrixSource` reads from the database,
 * built from the generated records in memory: tables in the order Dexie returns them (by
 * the studyId index, then the primary key; stages and attributes by `order`), segments by
 * the documentId index (document, then id) and only those with codings, each coding with
 * its segment's and document's id, documents reduced to id/title/caseId/participantIds.
 */
function matrixSourceOf(r: StudyRecords): MatrixSource {
  const stored = toStoredSegments(r.segments, r.codings).sort((a, b) => (a.documentId < b.documentId ? -1 : a.documentId > b.documentId ? 1 : byId(a, b)));
  const segments: MatrixSource['segments'][number][] = [];
  const codings: MatrixSource['codings'][number][] = [];
  for (const s of stored) {
    if (s.codings.length === 0) continue;
    segments.push({ id: s.id, documentId: s.documentId, start: s.start, end: s.end, text: s.text });
    for (const c of s.codings) codings.push({ id: c.id, segmentId: s.id, codeId: c.codeId, coderId: c.coderId, documentId: s.documentId, createdAt: c.createdAt });
  }
  return {
    coders: [...r.coders].sort(byId).map((c) => ({ id: c.id, name: c.name })),
    stages: [...r.stages].sort(byOrder),
    codes: [...r.codes].sort(byId),
    cases: [...r.cases].sort(byId),
    attributes: [...r.attributes].sort(byOrder),
    participants: [...r.participants].sort(byId),
    documents: [...r.documents].sort(byId).map((d) => ({ id: d.id, title: d.title, caseId: d.caseId, participantIds: d.participantIds })),
    segments,
    codings,
  };
}

/**
 * A new source object with new arrays (same records): shared/analysis caches its per-source
 * indexes in a WeakMap keyed by the source and checked against its arrays, so this one
 * misses the cache, as a freshly loaded study does.
 */
const freshSource = (s: MatrixSource): MatrixSource => ({
  coders: [...(s.coders ?? [])],
  stages: [...s.stages],
  codes: [...s.codes],
  cases: [...s.cases],
  attributes: [...s.attributes],
  participants: [...s.participants],
  documents: [...s.documents],
  segments: [...s.segments],
  codings: [...s.codings],
});

let matrixBase: MatrixSource | null = null;
const matrixSource = (): MatrixSource => {
  if (!matrixBase) throw new Error('call prepareMatrices() first');
  return matrixBase;
};
/** The warm row's source: computed on once, so its indexes are cached. */
let warmSource: MatrixSource | null = null;

const caseByCode = (source: MatrixSource): Matrix => caseByCodeMatrix(source, { rows: 'case', metric: 'segments', columns: codeColumns(source, {}) });

const expectShape = (what: string, m: Matrix, rows: number, columns: number) => {
  if (m.rows.length !== rows || m.columns.length !== columns || m.cells.length !== rows || m.cells.some((line) => line.length !== columns)) {
    throw new Error(`${what}: ${m.rows.length} × ${m.columns.length} (${m.cells.length} cell rows), not ${rows} × ${columns}`);
  }
};

/** Resolves after the next frame has been produced: a task posted from inside requestAnimationFrame runs after that frame's style, layout and paint. */
const afterNextPaint = () =>
  new Promise<number>((resolve) => {
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve(performance.now());
      };
      channel.port2.postMessage(null);
    });
  });
const settle = async (ms = 50) => {
  await afterNextPaint();
  await new Promise((resolve) => setTimeout(resolve, ms));
};

/** The host the table is drawn into: the same wrappers MatricesArea puts around it. */
function matrixHost(): HTMLElement {
  let host = document.getElementById('matrix-bench-host');
  if (!host) {
    const area = document.createElement('div');
    area.className = 'matrices';
    area.innerHTML = '<section class="matrix-panel"><div class="matrix-frame"><div class="matrix-scroll" id="matrix-bench-host" role="region" tabindex="-1"></div></div></section>';
    document.body.append(area);
    host = document.getElementById('matrix-bench-host')!;
  }
  return host;
}

const noop = () => {};

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

  /** Builds the matrices' source from the generated study (not timed); returns its sizes. */
  prepareMatrices() {
    const start = performance.now();
    matrixBase = matrixSourceOf(generated());
    warmSource = null;
    const s = matrixBase;
    return { ms: round1(performance.now() - start), cases: s.cases.length, codes: s.codes.length, documents: s.documents.length, segments: s.segments.length, codings: s.codings.length };
  },

  /** `matrix-case-by-code`: cases × codes (coded segments) on a fresh source, so the per-source indexes are built too. */
  async measureCaseByCode() {
    const base = matrixSource();
    const source = freshSource(base);
    await settle();
    const start = performance.now();
    const m = caseByCode(source);
    const ms = round1(performance.now() - start);
    expectShape('case × code', m, base.cases.length, base.codes.length);
    return { ms, rows: m.rows.length, columns: m.columns.length, grandTotal: m.grandTotal };
  },

  /** `matrix-case-by-code-warm`: the same on a source computed on before (its indexes cached), as when a metric or sort changes. */
  async measureCaseByCodeWarm() {
    const base = matrixSource();
    if (!warmSource) {
      warmSource = freshSource(base);
      caseByCode(warmSource);
    }
    await settle();
    const start = performance.now();
    const m = caseByCode(warmSource);
    const ms = round1(performance.now() - start);
    expectShape('case × code (warm)', m, base.cases.length, base.codes.length);
    return { ms };
  },

  /** `cooccurrence-150`: code × code on the same segment, counts, on a fresh source. */
  async measureCooccurrence() {
    const base = matrixSource();
    const source = freshSource(base);
    await settle();
    const start = performance.now();
    const m = codeCooccurrence(source, { mode: 'segment', measure: 'count' });
    const ms = round1(performance.now() - start);
    expectShape('co-occurrence', m, base.codes.length, base.codes.length);
    return { ms, codes: m.rows.length, grandTotal: m.grandTotal };
  },

  /**
   * `matrix-render`: the app's MatrixTable with the 40 × 150 case × code matrix, from just
   * before `root.render` (inside flushSync, so React renders and commits synchronously) until
   * the first frame after it is painted (a task posted from requestAnimationFrame: it runs
   * after that frame's style, layout and paint). Breakdown: `commitMs` when flushSync
   * returned (React render + DOM), `frameMs` when the frame's rAF ran (before style and
   * layout). `forceLayout` (diagnosis only) reads the table's size right after the commit,
   * so `layoutMs` is the style + layout cost on its own.
   */
  async measureMatrixRender(forceLayout = false) {
    const base = matrixSource();
    const matrix = caseByCode(freshSource(base));
    const stageNames = new Map<string | null, string>(base.stages.map((s) => [s.id, s.name]));
    const host = matrixHost();
    host.replaceChildren();
    const root = createRoot(host);
    const props = { matrix, label: 'Cases × codes', onCell: noop, onSort: noop, onToggleGroup: noop, stageNames };
    await settle();
    let frameAt = 0;
    const painted = new Promise<number>((resolve) => {
      requestAnimationFrame(() => {
        frameAt = performance.now();
        const channel = new MessageChannel();
        channel.port1.onmessage = () => {
          channel.port1.close();
          resolve(performance.now());
        };
        channel.port2.postMessage(null);
      });
    });
    performance.mark('matrix-render-start');
    const start = performance.now();
    flushSync(() => root.render(createElement(MatrixTable, props)));
    const committed = performance.now();
    let layoutMs: number | null = null;
    if (forceLayout) {
      void host.querySelector('table')!.getBoundingClientRect().height;
      layoutMs = round1(performance.now() - committed);
    }
    const end = await painted;
    performance.measure('matrix-render', 'matrix-render-start');
    // Not timed: the table must hold every row and column.
    const bodyRows = [...host.querySelectorAll('table.matrix-grid > tbody > tr')];
    const cellColumns = bodyRows.map((tr) => tr.querySelectorAll(':scope > td.cell').length);
    const table = host.querySelector('table')!.getBoundingClientRect();
    root.unmount();
    host.replaceChildren();
    if (bodyRows.length !== base.cases.length || cellColumns.some((n) => n !== base.codes.length)) {
      throw new Error(`the table has ${bodyRows.length} body rows with ${[...new Set(cellColumns)].join('/')} cells, not ${base.cases.length} × ${base.codes.length}`);
    }
    return {
      ms: round1(end - start),
      commitMs: round1(committed - start),
      frameMs: round1(frameAt - start),
      layoutMs,
      rows: bodyRows.length,
      columns: cellColumns[0] ?? 0,
      width: Math.round(table.width),
      height: Math.round(table.height),
    };
  },

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
