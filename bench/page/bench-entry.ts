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
 * - prepareAgreement / measureAgreementCharacter time inter-coder agreement at the character
 *   level (shared/analysis/agreement.ts) on the generated study in memory: the two coders
 *   with the most codings, every transcript and every code.
 * - measureLifecycleRender / measureNetworkRender / measureNetworkLanesRender /
 *   measureMapPngExport time the maps (prepareMaps first): the lifecycle map drawn by
 *   Cytoscape as the Maps area draws it, a synthetic network of 300 actors and 1,000 ties
 *   placed by the app's layout worker (fcose) or in stage lanes, and the lifecycle map's PNG.
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
import { computeAgreement, type AgreementInput } from '../../shared/analysis/agreement.ts';
import { codeCooccurrence } from '../../shared/analysis/cooccurrence.ts';
import { caseByCodeMatrix, codeColumns } from '../../shared/analysis/matrix.ts';
import { matrixSourceFromSegments } from '../../shared/analysis/matrix-source.ts';
import type { Matrix, MatrixSource } from '../../shared/analysis/matrix-types.ts';
import { MatrixTable } from '../../renderer/features/matrices/MatrixTable.tsx';
import cytoscape, { type Core } from 'cytoscape';
import { defaultCaseColors, lifecycleLayout, lifecycleMapToSvg, type LifecycleLayout } from '../../shared/maps/lifecycle-layout.ts';
import { computePositions, type MapCode, type PositionMap, type PositionSource } from '../../shared/maps/positions.ts';
import type { NetworkLayout } from '../../shared/maps/network-layout.ts';
import { guidFromBytes } from '../../shared/model/ids.ts';
import { ACTOR_TYPES, TIE_TYPES, type Actor, type Guid } from '../../shared/model/types.ts';
import type { MapSource, MapTie, TieEvidence } from '../../renderer/data/maps.ts';
import { lifecycleElements, lifecycleStyle } from '../../renderer/features/maps/lifecycle-elements.ts';
import { forceInputOf, lanesOf, NO_FILTER, placeNodes, type Point } from '../../renderer/features/maps/network-model.ts';
import { ForceLayoutClient } from '../../renderer/features/maps/network-worker-client.ts';
import { svgSize, svgToPng } from '../../renderer/features/matrices/image-export.ts';
import { buildCodebookReport } from '../../shared/reports/report-model.ts';
import { reportToHtml } from '../../shared/reports/report-html.ts';
import { reportToDocx } from '../../shared/reports/report-docx.ts';
import { studyToQdpx } from '../../shared/refi/qdpx.ts';
import { readQdpx } from '../../shared/refi/qde-import.ts';
import { importRefiAsStudy } from '../../renderer/data/refi-import.ts';
import { loadStudyRecords } from '../../renderer/data/studies.ts';
import { loadReportSource } from '../../renderer/data/reports.ts';
// The app's stylesheets, so the matrix's style and layout cost what they cost in the app.
import '../../renderer/styles/app.css';
import '../../renderer/features/matrices/matrices.css';
import '../../renderer/features/maps/maps.css';
import '../../renderer/features/maps/network.css';
import { networkCanvasHeight, networkElements, NETWORK_STYLE, type NetworkMode } from '../../renderer/features/maps/network-elements.ts';

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

/**
 * The MatrixSource renderer/data/matrices.ts `loadMatrixSource` reads from the database,
 * built from the generated records in memory: tables in the order Dexie returns them (by
 * the studyId index, then the primary key; stages and attributes by `order`), segments by
 * the documentId index (document, then id) and only those with codings, each coding with
 * its segment's and document's id, documents reduced to id/title/caseId/participantIds.
 */
function matrixSourceOf(r: StudyRecords): MatrixSource {
  // As loadMatrixSource gets them from the database: records by primary key, segments by document.
  const stored = toStoredSegments(r.segments, r.codings).sort((a, b) => (a.documentId < b.documentId ? -1 : a.documentId > b.documentId ? 1 : byId(a, b)));
  const sorted = <T extends { id: string }>(rows: readonly T[]) => [...rows].sort(byId);
  return matrixSourceFromSegments(
    { coders: sorted(r.coders), stages: sorted(r.stages), codes: sorted(r.codes), cases: sorted(r.cases), attributes: sorted(r.attributes), participants: sorted(r.participants), documents: sorted(r.documents) },
    stored,
  );
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

// --- Inter-coder agreement ----------------------------------------------------------------

/**
 * The agreement engine's input from the generated records, as the Agreement screen gives it:
 * the two coders with the most codings (ties by id), every document with its text length,
 * every code, and those two coders' codings at their segments' spans. The generator's codings
 * are spread over its three coders, and half of its second codings on a segment are another
 * coder's, so the two coders overlap as in an agreement check; nothing is derived.
 */
function agreementInputOf(r: StudyRecords): AgreementInput {
  const counts = new Map<Guid, number>();
  for (const c of r.codings) counts.set(c.coderId, (counts.get(c.coderId) ?? 0) + 1);
  const coderIds = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 2)
    .map(([id]) => id);
  if (coderIds.length < 2) throw new Error(`the generated study has codings by ${coderIds.length} coder(s); agreement needs two`);
  const segments = new Map(r.segments.map((s) => [s.id, s]));
  const chosen = new Set(coderIds);
  return {
    documents: r.documents.map((d) => ({ id: d.id, length: d.length })),
    codings: r.codings
      .filter((c) => chosen.has(c.coderId))
      .map((c) => {
        const s = segments.get(c.segmentId)!;
        return { id: c.id, documentId: c.documentId, codeId: c.codeId, coderId: c.coderId, start: s.start, end: s.end };
      }),
    coderIds,
    codeIds: r.codes.map((c) => c.id),
  };
}

let agreementBase: AgreementInput | null = null;

// --- Maps -------------------------------------------------------------------------------

/** A case's name on the map, without what follows in brackets (as LifecycleView.tsx's `shortName`). */
const shortName = (name: string) => name.replace(/\s*\([^)]*\)\s*$/, '') || name;

/** A small seeded PRNG (mulberry32), so the synthetic network is the same on every run. */
function mulberry32(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const NETWORK_SIZES = { actors: 300, ties: 1000, seed: 20_260_501 } as const;
const NAME_FIRST = ['Open', 'Nordic', 'Regional', 'Civic', 'Public', 'Federated', 'Community', 'National', 'Academic', 'Independent', 'Multilingual', 'Low-resource'];
const NAME_SECOND = ['Language', 'Speech', 'Compute', 'Data', 'Model', 'Archive', 'Evaluation', 'Research', 'Translation', 'Corpus', 'Benchmark', 'Tokenizer'];
const NAME_THIRD = ['Lab', 'Initiative', 'Alliance', 'Collective', 'Consortium', 'Foundation', 'Project', 'Cluster', 'Network', 'Hub', 'Working Group', 'Fine-tune'];

/**
 * A synthetic collaboration network on the generated study: 300 actors of the ACTOR_TYPES and
 * 1,000 ties of the TIE_TYPES between two different actors, each in one of the study's
 * stages, with 1–4 distinct evidence passages taken from the study's coded segments (resolved
 * as `loadMapSource` resolves them). Seeded, so every run draws the same network.
 */
function syntheticNetwork(base: MatrixSource, studyId: Guid): Pick<MapSource, 'stages' | 'actors' | 'ties'> {
  const random = mulberry32(NETWORK_SIZES.seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const id = () => guidFromBytes(Uint8Array.from({ length: 16 }, () => int(256)));
  const at = '2026-05-01T12:00:00.000Z';
  const tracked = () => ({ id: id(), studyId, createdAt: at, modifiedAt: at, createdBy: null });
  const actors: Actor[] = [];
  for (let i = 0; i < NETWORK_SIZES.actors; i += 1) {
    const words = [pick(NAME_FIRST), pick(NAME_SECOND), ...(random() < 0.5 ? [pick(NAME_THIRD)] : [])];
    actors.push({ ...tracked(), name: `${words.join(' ')} ${i + 1}`, type: pick(ACTOR_TYPES), caseId: null, description: '' });
  }
  const documentById = new Map(base.documents.map((d) => [d.id, d]));
  const ties: MapTie[] = [];
  for (let i = 0; i < NETWORK_SIZES.ties; i += 1) {
    const from = int(actors.length);
    const to = (from + 1 + int(actors.length - 1)) % actors.length;
    const evidence = new Map<Guid, TieEvidence>();
    const wanted = 1 + int(4);
    while (evidence.size < wanted) {
      const s = pick(base.segments);
      const d = documentById.get(s.documentId)!;
      evidence.set(s.id, { segmentId: s.id, documentId: s.documentId, documentTitle: d.title, caseId: d.caseId, start: s.start, end: s.end, text: s.text });
    }
    ties.push({
      ...tracked(),
      fromId: actors[from]!.id,
      toId: actors[to]!.id,
      type: pick(TIE_TYPES),
      stageId: pick(base.stages).id,
      description: '',
      evidenceSegmentIds: [...evidence.keys()],
      evidence: [...evidence.values()],
    });
  }
  return { stages: base.stages, actors, ties };
}

/** The width of the Maps area's canvas in the app's window (the bench's viewport is 1360 × 860). */
export const MAP_WIDTH = 1080;

/**
 * The map canvases, at the top of the page (so they are on screen, as in the app): the
 * lifecycle map's `.cy-map` (its height from maps.css: min(640 px, 100vh − 240 px)) and the
 * network's `.network-canvas` (its height set per draw, as NetworkView sets it).
 */
function mapHost(kind: 'lifecycle' | 'network'): HTMLElement {
  const id = `map-bench-${kind}`;
  let host = document.getElementById(id);
  if (!host) {
    host = document.createElement('div');
    host.id = id;
    host.className = kind === 'lifecycle' ? 'cy-map' : 'network-canvas';
    host.style.width = `${MAP_WIDTH}px`;
    const wrapper = document.createElement('div');
    wrapper.className = kind === 'lifecycle' ? 'map-columns' : 'network-stage';
    wrapper.append(host);
    document.body.prepend(wrapper);
  }
  host.hidden = false;
  return host;
}

/** Resolves after the frame in which Cytoscape first draws: its 'render' event fires inside its requestAnimationFrame callback, and a task posted from there runs after that frame's paint. */
function cytoscapePainted(cy: Core, timeoutMs = 30_000): Promise<{ renderAt: number; end: number }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Cytoscape did not draw within ${timeoutMs} ms`)), timeoutMs);
    cy.one('render', () => {
      const renderAt = performance.now();
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        clearTimeout(timer);
        resolve({ renderAt, end: performance.now() });
      };
      channel.port2.postMessage(null);
    });
  });
}

/** Collects the main thread's long tasks (≥ 50 ms) while it runs; null where the browser has no 'longtask' entries. */
function watchLongTasks(): { stop(): PerformanceEntry[] } | null {
  if (typeof PerformanceObserver === 'undefined' || !PerformanceObserver.supportedEntryTypes.includes('longtask')) return null;
  const entries: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => entries.push(...list.getEntries()));
  observer.observe({ type: 'longtask' });
  return {
    stop() {
      entries.push(...observer.takeRecords());
      observer.disconnect();
      return entries;
    },
  };
}

/** The PNG's width and height, from its IHDR chunk. */
function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 24 || signature.some((b, i) => bytes[i] !== b) || String.fromCharCode(...bytes.slice(12, 16)) !== 'IHDR') throw new Error('svgToPng did not return a PNG');
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

interface MapsState {
  studyName: string;
  /** The lifecycle map's inputs, as LifecycleView.tsx derives them from the map source (every case shown, no filter). */
  stages: MatrixSource['stages'];
  shownCases: MatrixSource['cases'];
  positions: PositionMap;
  colors: Map<Guid, string>;
  caseName: Map<Guid, string>;
  /** The lifecycle layout (for the PNG export, computed once as the app's memo holds it). */
  layout: LifecycleLayout;
  network: Pick<MapSource, 'stages' | 'actors' | 'ties'>;
}
let mapsState: MapsState | null = null;
const maps = (): MapsState => {
  if (!mapsState) throw new Error('call prepareMaps() first');
  return mapsState;
};

/** LifecycleView.tsx's call: plot height 480, short names as labels, labels at most 140 px. */
const lifecycleLayoutOf = (m: Pick<MapsState, 'stages' | 'shownCases' | 'positions'>): LifecycleLayout =>
  lifecycleLayout(
    { stages: m.stages, cases: m.shownCases, positions: m.positions.positions },
    { plotHeight: 480, labelOf: (id) => shortName(m.shownCases.find((c) => c.id === id)?.name ?? ''), maxLabelWidth: 140 },
  );

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

  /** Builds the agreement engine's input from the generated study (not timed); returns its sizes. */
  prepareAgreement() {
    const start = performance.now();
    agreementBase = agreementInputOf(generated());
    const a = agreementBase;
    return { ms: round1(performance.now() - start), documents: a.documents.length, characters: a.documents.reduce((n, d) => n + d.length, 0), codes: a.codeIds.length, codings: a.codings.length };
  },

  /** `agreement-character-level`: two coders, character unit, every transcript and code, per code and pooled. */
  async measureAgreementCharacter() {
    if (!agreementBase) throw new Error('call prepareAgreement() first');
    const input = agreementBase;
    await settle();
    const start = performance.now();
    const result = computeAgreement(input, { unit: 'character' });
    const ms = round1(performance.now() - start);
    const characters = input.documents.reduce((n, d) => n + d.length, 0);
    if (result.perCode.length !== input.codeIds.length || result.perCode.some((row) => row.units !== characters) || result.overall.units !== characters * input.codeIds.length) {
      throw new Error(`agreement: ${result.perCode.length} codes and ${result.overall.units} units, not ${input.codeIds.length} codes of ${characters} characters each`);
    }
    const { percent, kappa, alpha } = result.overall;
    return { ms, codes: result.perCode.length, units: result.overall.units, percent, kappa, alpha };
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
   * Builds what the maps draw from the generated study (not timed): the map source as
   * `loadMapSource` reads it (the matrix source; codes with their `mode`), every case's
   * position in every stage (`computePositions`, timed on its own for the log), the lifecycle
   * layout for the PNG export, and the synthetic network of 300 actors and 1,000 ties.
   */
  prepareMaps() {
    const r = generated();
    const base = matrixSourceOf(r);
    // LifecycleView: every case shown, sorted by name (numeric), codes read as MapCodes.
    const shownCases = [...base.cases].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
    const positionSource: PositionSource = { ...base, codes: base.codes as unknown as MapCode[], cases: shownCases };
    const t0 = performance.now();
    const positions = computePositions(positionSource, { overrides: [] });
    const positionsMs = round1(performance.now() - t0);
    const caseName = new Map(base.cases.map((c) => [c.id, c.name]));
    const partial = { studyName: r.study.name, stages: base.stages, shownCases, positions, colors: defaultCaseColors(base.cases), caseName };
    const network = syntheticNetwork(base, r.study.id);
    mapsState = { ...partial, layout: lifecycleLayoutOf(partial), network };
    const placed = positions.positions.filter((p) => p.position !== null).length;
    return {
      positionsMs,
      cases: base.cases.length,
      stages: base.stages.length,
      placed,
      actors: network.actors.length,
      ties: network.ties.length,
      evidence: network.ties.reduce((n, t) => n + t.evidence.length, 0),
    };
  },

  /**
   * `lifecycle-map-render`: from the start of `lifecycleLayout` (LifecycleView's options)
   * through `cytoscape({ container, elements: lifecycleElements(…), style: lifecycleStyle(…),
   * layout: preset, fit, padding 24, … })` with LifecycleView's other options, until the frame
   * in which Cytoscape first draws is painted. The positions are computed before (untimed).
   */
  async measureLifecycleRender() {
    const m = maps();
    const host = mapHost('lifecycle');
    host.replaceChildren();
    await settle();
    performance.mark('lifecycle-map-render-start');
    const start = performance.now();
    const layout = lifecycleLayoutOf(m);
    const laidOut = performance.now();
    const cy = cytoscape({
      container: host,
      elements: lifecycleElements(layout, m.colors, (id) => shortName(m.caseName.get(id) ?? '')),
      layout: { name: 'preset', fit: true, padding: 24 },
      autoungrabify: true,
      boxSelectionEnabled: false,
      wheelSensitivity: 0.3,
      minZoom: 0.3,
      maxZoom: 3,
      style: lifecycleStyle(layout),
    });
    const built = performance.now();
    const { renderAt, end } = await cytoscapePainted(cy);
    performance.measure('lifecycle-map-render', 'lifecycle-map-render-start');
    // Not timed: 40 × 3 nodes at most, and some.
    const caseNodes = cy.nodes('.case').length;
    const size = { width: host.clientWidth, height: host.clientHeight };
    const zoom = cy.zoom();
    cy.destroy();
    host.replaceChildren();
    const most = m.shownCases.length * m.stages.length;
    if (layout.nodes.length === 0 || layout.nodes.length > most || caseNodes !== layout.nodes.length) {
      throw new Error(`the lifecycle map has ${layout.nodes.length} positions (${caseNodes} drawn), not 1 to ${most}`);
    }
    return {
      ms: round1(end - start),
      layoutMs: round1(laidOut - start),
      cytoscapeMs: round1(built - laidOut),
      drawnMs: round1(renderAt - start),
      nodes: caseNodes,
      edges: layout.edges.length,
      width: size.width,
      height: size.height,
      zoom: Math.round(zoom * 1000) / 1000,
    };
  },

  /**
   * `network-render` (mode 'force') and `network-render-lanes` (mode 'lanes'), on the
   * synthetic network of 300 actors and 1,000 ties.
   *
   * force: the stage-lanes layout and the force layout's input (`forceInputOf`) exist
   * beforehand (the app shows the lanes first; both are memos); timed from asking a new
   * ForceLayoutClient (the app starts one at the first force-directed request) for the
   * positions, through the worker's fcose, the answer, the elements at those places and a
   * Cytoscape with them (style, options, `cy.add` in a batch and `cy.fit(…, 24)` as
   * NetworkView), until the frame in which Cytoscape first draws is painted. Meanwhile a
   * PerformanceObserver collects the main thread's long tasks (`longestTaskMs`: the longest,
   * 0 when none reached 50 ms; null when the browser has no 'longtask' entries). Afterwards
   * (not timed) the same client is asked again: `warmWorkerMs` is the round trip on a worker
   * already started, about the layout's own time.
   *
   * lanes: timed from the start of `lanesOf(source, NO_FILTER)` (the lanes layout, on the
   * UI thread) through the elements (lanes, arcs) and Cytoscape to the painted frame.
   */
  async measureNetworkRender(mode: NetworkMode) {
    const m = maps();
    const host = mapHost('network');
    host.replaceChildren();
    const canvasWidth = host.clientWidth;
    let lanesLayout: NetworkLayout | null = null;
    let forceInput: ReturnType<typeof forceInputOf> | null = null;
    if (mode === 'force') {
      lanesLayout = lanesOf(m.network, NO_FILTER);
      forceInput = forceInputOf(lanesLayout);
    }
    await settle();
    const longTasks = mode === 'force' ? watchLongTasks() : null;
    performance.mark(`network-render-${mode}-start`);
    const start = performance.now();
    let client: ForceLayoutClient | null = null;
    let arranged: Record<Guid, Point> | null = null;
    let layout: NetworkLayout;
    if (mode === 'force') {
      client = new ForceLayoutClient();
      arranged = await client.layout(forceInput!.nodes, forceInput!.edges);
      layout = lanesLayout!;
    } else {
      layout = lanesOf(m.network, NO_FILTER);
    }
    const placedAt = performance.now();
    const places = placeNodes(layout, arranged, {});
    host.style.height = `${networkCanvasHeight(layout, arranged, mode, canvasWidth)}px`;
    const cy = cytoscape({ container: host, style: NETWORK_STYLE, layout: { name: 'preset' }, minZoom: 0.15, maxZoom: 2.5, boxSelectionEnabled: false, autounselectify: true });
    const elements = networkElements(layout, places, mode);
    cy.batch(() => {
      for (const definition of elements) cy.add(definition);
    });
    cy.fit(undefined, 24);
    const built = performance.now();
    const { renderAt, end } = await cytoscapePainted(cy);
    performance.measure(`network-render-${mode}`, `network-render-${mode}-start`);
    await settle(100);
    const tasks = longTasks?.stop().filter((t) => t.startTime < end && t.startTime + t.duration > start) ?? null;
    // Not timed: every actor and tie drawn, each actor where the layout put it.
    let warmWorkerMs: number | null = null;
    if (client) {
      const t0 = performance.now();
      await client.layout(forceInput!.nodes, forceInput!.edges);
      warmWorkerMs = round1(performance.now() - t0);
      client.terminate();
    }
    const actors = cy.nodes('.actor');
    const misplaced = actors.filter((n) => {
      const want = places[n.id()]!;
      const p = n.position();
      return !(Math.abs(p.x - want.x) < 1e-6 && Math.abs(p.y - want.y) < 1e-6);
    }).length;
    const drawnEdges = cy.edges().length;
    const size = { width: host.clientWidth, height: host.clientHeight };
    const zoom = cy.zoom();
    cy.destroy();
    host.replaceChildren();
    if (actors.length !== m.network.actors.length || drawnEdges !== layout.edges.length || drawnEdges === 0 || misplaced > 0) {
      throw new Error(`the ${mode} network drew ${actors.length} actors (${misplaced} misplaced) and ${drawnEdges} ties, not ${m.network.actors.length} and ${layout.edges.length}`);
    }
    if (mode === 'force' && Object.keys(arranged!).length !== layout.nodes.length) throw new Error(`the worker placed ${Object.keys(arranged!).length} of ${layout.nodes.length} actors`);
    return {
      ms: round1(end - start),
      positionsMs: round1(placedAt - start),
      cytoscapeMs: round1(built - placedAt),
      drawnMs: round1(renderAt - start),
      warmWorkerMs,
      longestTaskMs: tasks === null ? null : round1(Math.max(0, ...tasks.map((t) => t.duration))),
      longTasks: tasks?.length ?? null,
      actors: actors.length,
      ties: drawnEdges,
      lanes: layout.lanes.length,
      width: size.width,
      height: size.height,
      zoom: Math.round(zoom * 1000) / 1000,
    };
  },

  /**
   * `map-png-export`: the lifecycle map (the layout the screen shows, computed before) as
   * LifecycleView exports it: `lifecycleMapToSvg` then `svgToPng(svg, 2)`. Checked (untimed):
   * the PNG is twice the SVG's declared size.
   */
  async measureMapPngExport() {
    const m = maps();
    await settle();
    const start = performance.now();
    const svg = lifecycleMapToSvg(m.layout, {
      title: `${m.studyName}: cathedrals and bazaars across the lifecycle`,
      labelOf: (id) => m.caseName.get(id) ?? '',
      colorOf: (id) => m.colors.get(id) ?? '#888888',
      theme: 'light',
      notes: [],
    });
    const svgAt = performance.now();
    const png = await svgToPng(svg, 2);
    const end = performance.now();
    const declared = svgSize(svg);
    const got = pngSize(png);
    const want = { width: Math.round(declared.width * 2), height: Math.round(declared.height * 2) };
    if (got.width !== want.width || got.height !== want.height) throw new Error(`the PNG is ${got.width} × ${got.height}, not 2 × the SVG's ${declared.width} × ${declared.height}`);
    return {
      ms: round1(end - start),
      svgMs: round1(svgAt - start),
      pngMs: round1(end - svgAt),
      svgWidth: declared.width,
      svgHeight: declared.height,
      svgKb: Math.round(svg.length / 1024),
      pngWidth: got.width,
      pngHeight: got.height,
      pngKb: Math.round(png.length / 1024),
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

  /**
   * `report-html` / `report-docx`: the codebook report of a study stored in the app's
   * database, as the Reports screen makes it: read what a report needs (loadReportSource), build the
   * report (2 exemplars per code, with the case × code matrix), write the file's bytes.
   */
  async measureReport(studyId: string, format: 'html' | 'docx') {
    const db = new CartographyDb();
    await db.open();
    try {
      await settle();
      const start = performance.now();
      const source = await loadReportSource(db, studyId);
      const loaded = performance.now();
      const report = buildCodebookReport(source, { exemplars: 2, includeMatrix: true, now: new Date().toISOString() });
      const built = performance.now();
      const bytes = format === 'html' ? new TextEncoder().encode(reportToHtml(report)) : reportToDocx(report);
      const end = performance.now();
      const codes = report.sections.reduce((n, s) => n + s.kinds.reduce((m, k) => m + k.codes.length, 0), 0);
      if (codes === 0 || bytes.length === 0) throw new Error(`the ${format} report is empty`);
      return { ms: round1(end - start), loadMs: round1(loaded - start), buildMs: round1(built - loaded), writeMs: round1(end - built), kb: Math.round(bytes.length / 1024), codes };
    } finally {
      db.close();
    }
  },

  /** `qdpx-export`: a study stored in the app's database read and written as a .qdpx (project.qde + sources/, zipped). */
  async measureQdpxExport(studyId: string) {
    const db = new CartographyDb();
    await db.open();
    try {
      await settle();
      const start = performance.now();
      const source = await loadStudyRecords(db, studyId);
      const loaded = performance.now();
      const bytes = studyToQdpx(source, { origin: 'Cartography bench', positions: 'code-points' });
      const end = performance.now();
      return { ms: round1(end - start), loadMs: round1(loaded - start), writeMs: round1(end - loaded), mb: Math.round(bytes.length / 1e5) / 10 };
    } finally {
      db.close();
    }
  },

  /**
   * `qdpx-import`: the generated study exported as a .qdpx (not timed), then read back
   * (readQdpx: unzip within limits, parse, positions, records) and written as a new study
   * in the app's database (importRefiAsStudy, one transaction), as the import dialog does.
   * Run on an origin whose database does not hold the study yet.
   */
  async measureQdpxImport() {
    const bytes = studyToQdpx(generated(), { origin: 'Cartography bench', positions: 'code-points' });
    const db = new CartographyDb();
    await db.open();
    try {
      await settle();
      const start = performance.now();
      const imported = await readQdpx(bytes, 'large-study.qdpx', { now: new Date().toISOString() });
      const read = performance.now();
      const outcome = await importRefiAsStudy(db, imported);
      const end = performance.now();
      if (outcome.newGuids) throw new Error('the database already held the study: run the import on a fresh origin');
      const codings = await countStudyCodings(db, outcome.studyId);
      if (codings !== generated().codings.length) throw new Error(`the import left ${codings} codings, not ${generated().codings.length}`);
      return { ms: round1(end - start), readMs: round1(read - start), writeMs: round1(end - read), mb: Math.round(bytes.length / 1e5) / 10, codings };
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
