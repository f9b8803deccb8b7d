#!/usr/bin/env node
// `npm run bench`: builds a small benchmark page next to the app's web build, serves dist/
// as one origin (so the bench page and the app share IndexedDB), drives Debian's Chromium
// through playwright-core with a fresh profile, and writes bench/results.json.
// What each row measures: bench/README.md. Targets are upper bounds; missing one is
// printed, not a failure. The process fails only when the bench itself cannot run.
// Functions passed to page.evaluate run in the page, where these browser globals exist.
/* global window, document, requestAnimationFrame, MutationObserver */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_FLAGS, findChromium } from '../bin/chromium.mjs';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const DIST = path.join(REPO, 'dist');
const RESULTS = path.join(REPO, 'bench', 'results.json');

const positive = (value, fallback) => {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};
/** Runs per row (at least 3; BENCH_RUNS overrides). */
const RUNS = Math.max(3, positive(process.env.BENCH_RUNS, 5));
const HEAP_RUNS = Math.max(3, positive(process.env.BENCH_HEAP_RUNS, 3));
/** The whole bench stops by itself after this long. */
const TOTAL_TIMEOUT_MS = positive(process.env.BENCH_TIMEOUT_MS, 15 * 60_000);
/** Any single step (one load, one open) after this long. */
const STEP_TIMEOUT_MS = 120_000;

const TARGETS = {
  'generate-large-study': 2000,
  'load-large-study': 5000,
  'load-large-study-ratio': 1.5,
  'open-large-study': 1000,
  'renderer-heap-large-study': 400,
  'open-300k-transcript': 300,
  'apply-code': 50,
  'import-200-transcripts': 3000,
  'search-index-build': 2000,
  'search-query': 50,
  'matrix-case-by-code': 50,
  'matrix-render': 300,
  'cooccurrence-150': 200,
  'agreement-character-level': 1000,
  'lifecycle-map-render': 500,
  'network-render': 1000,
  'map-png-export': 1000,
  'report-html': 1000,
  'report-docx': 3000,
  'qdpx-export': 5000,
  'qdpx-import': 5000,
};

const fail = (message) => {
  console.error(`bench: ${message}`);
  process.exit(1);
};

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const roundTo = (value, digits) => Math.round(value * 10 ** digits) / 10 ** digits;
const roundFor = (unit) => (value) => roundTo(value, unit === 'ratio' ? 3 : 1);

function row(name, unit, runs, target, extra = {}) {
  const round = roundFor(unit);
  return { name, unit, median: round(median(runs)), runs: runs.map(round), target, ...extra };
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function printTable(rows) {
  const cells = rows.map((r) => {
    const status = r.target === null || r.target === undefined ? '—' : r.median <= r.target ? 'ok' : 'OVER TARGET';
    return [r.name, String(r.median), r.unit, r.target === null || r.target === undefined ? '—' : String(r.target), status, r.runs.join(', ')];
  });
  const header = ['name', 'median', 'unit', 'target', 'status', 'runs'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) => c.map((v, i) => (i === 1 || i === 3 ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('  ').trimEnd();
  console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const c of cells) console.log(line(c));
  const over = cells.filter((c) => c[4] === 'OVER TARGET').map((c) => c[0]);
  console.log(over.length === 0 ? '\nAll targets met.' : `\n!!! OVER TARGET: ${over.join(', ')} !!!`);
}

// ---------------------------------------------------------------------------------------

const executablePath = findChromium();
if (!executablePath) fail('Chromium was not found (looked at $CHROMIUM_PATH, /usr/bin/chromium, /usr/bin/chromium-browser). Install Debian\'s chromium or set CHROMIUM_PATH.');
if (!existsSync(path.join(DIST, 'renderer', 'index.html'))) fail('dist/renderer/index.html is missing: run `npm run bench` (it builds the renderer first) or `npm run build:renderer`.');

let cleanup = async () => {};
const watchdog = setTimeout(async () => {
  console.error(`bench: stopped after ${TOTAL_TIMEOUT_MS / 1000} s (BENCH_TIMEOUT_MS); no results written.`);
  await withTimeout(cleanup(), 10_000, 'cleanup').catch(() => {});
  process.exit(1);
}, TOTAL_TIMEOUT_MS);
watchdog.unref();

async function buildBenchPage() {
  const { build } = await import('vite');
  const { default: react } = await import('@vitejs/plugin-react');
  await build({
    configFile: false,
    root: path.join(REPO, 'bench', 'page'),
    base: './',
    logLevel: 'warn',
    // The page renders the app's MatrixTable (TSX), compiled as the app's build compiles it.
    plugins: [react()],
    build: { outDir: path.join(DIST, 'bench'), emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 4000 },
  });
}

async function main() {
  console.log('bench: building the benchmark page (dist/bench/)…');
  await buildBenchPage();

  const { chromium } = await import('playwright-core');
  const { startServer } = await import('../bin/serve.mjs');
  // Every write gets an origin of its own (a new port), and its database is still deleted
  // first: deleting a 90,000-record database leaves work behind in Chromium's per-origin
  // LevelDB that slowed the next write on that origin by 30–60 %, so runs sharing one
  // origin depended on their order. See bench/README.md.
  const servers = [];
  const serve = async () => {
    const { server, url } = await startServer({ port: 0, root: DIST });
    servers.push(server);
    return url;
  };
  const profile = mkdtempSync(path.join(os.tmpdir(), 'cartography-bench-'));
  let context = null;
  cleanup = async () => {
    await context?.close().catch(() => {});
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    rmSync(profile, { recursive: true, force: true });
  };

  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      args: [...CHROMIUM_FLAGS],
      headless: true,
      viewport: { width: 1360, height: 860 },
    });
    const version = context.browser()?.version() ?? 'unknown';
    console.log(`bench: Chromium ${version}, ${RUNS} runs per row (${HEAP_RUNS} for the heap), serving dist/ on 127.0.0.1`);
    const pageErrors = [];
    const watch = (page) => page.on('pageerror', (e) => pageErrors.push(e.message));

    // --- 1. Generate, then write through the app and through bare Dexie -----------------
    const benchPage = context.pages()[0] ?? (await context.newPage());
    watch(benchPage);
    const generateMs = [];
    let info;
    /** Opens the bench page on an origin and generates the study there (not timed as a load). */
    const benchOn = async (origin, generate = true) => {
      await benchPage.goto(`${origin}bench/index.html`);
      await benchPage.waitForFunction(() => Boolean(window.cartographyBench), null, { timeout: 30_000 });
      if (!generate) return;
      info = await withTimeout(benchPage.evaluate(() => window.cartographyBench.generate()), STEP_TIMEOUT_MS, 'generating the study');
      generateMs.push(info.ms);
    };
    const LOAD = {
      app: () => window.cartographyBench.loadThroughApp(),
      floor: () => window.cartographyBench.loadRaw(),
    };

    const appMs = [];
    const floorMs = [];
    let appOrigin = null;
    for (let i = 0; i < RUNS; i += 1) {
      const origins = { app: await serve(), floor: await serve() };
      const done = {};
      // Alternate which write goes first, so neither always follows the other.
      for (const which of i % 2 === 0 ? ['app', 'floor'] : ['floor', 'app']) {
        await benchOn(origins[which]);
        await benchPage.evaluate((w) => window.cartographyBench.clear(w), which);
        done[which] = (await withTimeout(benchPage.evaluate(LOAD[which]), STEP_TIMEOUT_MS, `the ${which} write`)).ms;
        // The write must have landed in full.
        const counts = await benchPage.evaluate((w) => window.cartographyBench.countRows(w), which);
        for (const [table, n] of Object.entries({ studies: 1, ...info.counts })) {
          if (counts[table] !== n) throw new Error(`after the ${which} write, ${table} holds ${counts[table]} rows, not ${n}`);
        }
      }
      appMs.push(done.app);
      floorMs.push(done.floor);
      appOrigin = origins.app;
      console.log(`bench: load run ${i + 1}/${RUNS}: app ${done.app} ms, floor ${done.floor} ms (generated in ${generateMs.at(-1)} ms)`);
    }
    console.log(
      `bench: the study: "${info.name}", ${info.counts.documents} transcripts of ~${info.averageWords} words (${(info.characters / 1e6).toFixed(1)} M characters), ` +
        `${info.counts.segments} segments, ${info.counts.codings} codings, ${info.counts.memos} memos, ${info.counts.ties} ties`,
    );
    // The last app origin keeps the large study in the app's database ('cartography'),
    // written by the app's own data layer: the app is opened there.
    await benchOn(appOrigin, false);
    const probe = await benchPage.evaluate((id) => window.cartographyBench.probeOpenQueries(id), info.studyId);

    // --- 2. Open the large study in the real app ------------------------------------------
    const appUrl = `${appOrigin}renderer/index.html#/`;
    const appPage = await context.newPage();
    watch(appPage);
    await benchPage.close();
    const studyLink = (page) => page.locator('a.study-link', { hasText: info.name });
    const settle = (page, ms) => page.evaluate((wait) => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, wait)))), ms);

    // First start: the app seeds its demo study; the large study is the other one listed.
    await appPage.goto(appUrl);
    await studyLink(appPage).waitFor({ timeout: 60_000 });
    await appPage.locator('a.study-link').nth(1).waitFor({ timeout: 60_000 });

    const openMeasure = ({ name, timeoutMs }) => {
      const link = [...document.querySelectorAll('a.study-link')].find((a) => a.textContent?.trim() === name);
      if (!link) throw new Error(`no link to "${name}" on the studies page`);
      const heading = () => {
        const h1 = document.querySelector('h1');
        return h1 && h1.textContent === name && h1.getBoundingClientRect().height > 0 ? h1 : null;
      };
      const statsFilled = () => {
        const dds = [...document.querySelectorAll('dl.stats dd')];
        return dds.length > 0 && dds.every((dd) => !dd.textContent.includes('…'));
      };
      return new Promise((resolve, reject) => {
        let start = 0;
        let headingMs = null;
        const timer = setTimeout(() => {
          observer.disconnect();
          reject(new Error(`the overview of "${name}" was not painted within ${timeoutMs} ms`));
        }, timeoutMs);
        const check = () => {
          if (headingMs === null && heading()) headingMs = performance.now() - start;
          if (headingMs === null || !statsFilled()) return;
          observer.disconnect();
          const readyMs = performance.now() - start;
          // The frame that shows it: one rAF, then the next rAF runs after that frame's paint.
          requestAnimationFrame(() =>
            requestAnimationFrame(() => {
              clearTimeout(timer);
              performance.measure('open-large-study', 'open-large-study-click');
              resolve({ ms: performance.now() - start, headingMs, readyMs });
            }),
          );
        };
        const observer = new MutationObserver(check);
        observer.observe(document.body, { childList: true, subtree: true, characterData: true });
        performance.mark('open-large-study-click');
        start = performance.now();
        link.click();
      });
    };

    const openOnce = async (page) => {
      await studyLink(page).waitFor({ timeout: 60_000 });
      await settle(page, 500);
      return withTimeout(page.evaluate(openMeasure, { name: info.name, timeoutMs: 60_000 }), STEP_TIMEOUT_MS, 'opening the study');
    };

    const openMs = [];
    const openDetail = [];
    for (let i = 0; i < RUNS; i += 1) {
      await appPage.goto(appUrl);
      await appPage.reload();
      const result = await openOnce(appPage);
      openMs.push(result.ms);
      openDetail.push(result);
      console.log(`bench: open run ${i + 1}/${RUNS}: ${result.ms.toFixed(1)} ms (heading at ${result.headingMs.toFixed(1)} ms, stats filled at ${result.readyMs.toFixed(1)} ms)`);
    }
    await appPage.close();

    // --- 3. Renderer heap after opening, a fresh page each run ---------------------------
    const heapUsed = async (page) => {
      const cdp = await context.newCDPSession(page);
      try {
        await cdp.send('HeapProfiler.collectGarbage');
        const { usedSize } = await cdp.send('Runtime.getHeapUsage');
        return usedSize / 2 ** 20;
      } finally {
        await cdp.detach().catch(() => {});
      }
    };
    const heapMb = [];
    const baselineMb = [];
    for (let i = 0; i < HEAP_RUNS; i += 1) {
      const page = await context.newPage();
      watch(page);
      await page.goto(appUrl);
      await studyLink(page).waitFor({ timeout: 60_000 });
      await settle(page, 500);
      baselineMb.push(await heapUsed(page));
      await openOnce(page);
      await settle(page, 1000);
      heapMb.push(await heapUsed(page));
      console.log(`bench: heap run ${i + 1}/${HEAP_RUNS}: ${heapMb[i].toFixed(1)} MB after opening (studies page: ${baselineMb[i].toFixed(1)} MB)`);
      await page.close();
    }

    // --- 4. A 300,000-character transcript: open it, then code from the keyboard ------------
    const longPage = await context.newPage();
    watch(longPage);
    await longPage.goto(`${appOrigin}bench/index.html`);
    await longPage.waitForFunction(() => Boolean(window.cartographyBench), null, { timeout: 30_000 });
    const long = await withTimeout(longPage.evaluate(() => window.cartographyBench.loadLongTranscript()), STEP_TIMEOUT_MS, 'writing the long transcript');
    console.log(`bench: long transcript: ${long.length.toLocaleString()} characters, ${long.codings} codings`);
    await longPage.goto(`${appOrigin}renderer/index.html#/study/${long.studyId}/overview`);
    await longPage.locator('h1', { hasText: 'Long transcript (generated)' }).waitFor({ timeout: 60_000 });

    /** In the page: from setting the hash to the transcript's first blocks painted. */
    const openTranscript = ({ hash, timeoutMs }) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the transcript was not painted within ${timeoutMs} ms`)), timeoutMs);
        const painted = () => document.querySelectorAll('.transcript .block').length > 0 && document.querySelector('.transcript mark.coded');
        const observer = new MutationObserver(() => {
          if (!painted()) return;
          observer.disconnect();
          requestAnimationFrame(() =>
            requestAnimationFrame(() => {
              clearTimeout(timer);
              resolve({ ms: performance.now() - start, blocks: document.querySelectorAll('.transcript .block').length });
            }),
          );
        });
        observer.observe(document.body, { childList: true, subtree: true });
        const start = performance.now();
        window.location.hash = hash;
      });
    const openTranscriptMs = [];
    for (let i = 0; i < RUNS; i += 1) {
      await longPage.evaluate((hash) => (window.location.hash = hash), `#/study/${long.studyId}/overview`);
      await longPage.locator('h1', { hasText: 'Long transcript (generated)' }).waitFor();
      await settle(longPage, 300);
      const result = await withTimeout(longPage.evaluate(openTranscript, { hash: `#/study/${long.studyId}/coding/${long.documentId}`, timeoutMs: 30_000 }), STEP_TIMEOUT_MS, 'opening the long transcript');
      openTranscriptMs.push(result.ms);
      console.log(`bench: open-300k-transcript run ${i + 1}/${RUNS}: ${result.ms.toFixed(1)} ms (${result.blocks} blocks in the first paint)`);
    }

    /**
     * In the page: select a few words of the i-th uncoded turn, then resolve when a highlight
     * for a new coding is painted after the key "1" (the pinned code) goes down.
     */
    const armApplyCode = (i) => {
      const root = document.querySelector('.transcript');
      const pieces = [...root.querySelectorAll('.turn > span[data-start]')].filter((p) => p.textContent.length > 60 && !p.classList.contains('speaker'));
      const piece = pieces[10 + i * 7];
      const range = document.createRange();
      range.setStart(piece.firstChild, 5);
      range.setEnd(piece.firstChild, 45);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      root.focus({ preventScroll: true });
      const known = new Set([...root.querySelectorAll('mark[data-codings]')].flatMap((m) => m.dataset.codings.split(' ')));
      window.__applyCode = new Promise((resolve, reject) => {
        let start = 0;
        const timer = setTimeout(() => reject(new Error('no highlight appeared within 5 s of the key press')), 5000);
        const observer = new MutationObserver(() => {
          const fresh = [...root.querySelectorAll('mark[data-codings]')].some((m) => m.dataset.codings.split(' ').some((id) => !known.has(id)));
          if (!fresh || start === 0) return;
          observer.disconnect();
          requestAnimationFrame(() =>
            requestAnimationFrame(() => {
              clearTimeout(timer);
              resolve(performance.now() - start);
            }),
          );
        });
        observer.observe(root, { childList: true, subtree: true, attributes: true });
        root.addEventListener('keydown', () => (start = performance.now()), { capture: true, once: true });
      });
    };
    const applyMs = [];
    for (let i = 0; i < RUNS; i += 1) {
      await settle(longPage, 500);
      await longPage.evaluate(armApplyCode, i);
      await longPage.keyboard.press('1');
      applyMs.push(await withTimeout(longPage.evaluate(() => window.__applyCode), STEP_TIMEOUT_MS, 'applying a code'));
      console.log(`bench: apply-code run ${i + 1}/${RUNS}: ${applyMs[i].toFixed(1)} ms (${long.codeName})`);
    }
    await longPage.close();

    // --- 5. Full-text search on the large study, in the app's worker -----------------------
    const searchPage = await context.newPage();
    watch(searchPage);
    await searchPage.goto(`${appOrigin}bench/index.html`);
    await searchPage.waitForFunction(() => Boolean(window.cartographyBench), null, { timeout: 30_000 });
    const buildMs = [];
    const queryMs = [];
    let lastSearch = null;
    for (let i = 0; i < RUNS; i += 1) {
      lastSearch = await withTimeout(searchPage.evaluate((id) => window.cartographyBench.measureSearch(id), info.studyId), STEP_TIMEOUT_MS, 'measuring search');
      buildMs.push(lastSearch.build.ms);
      queryMs.push(lastSearch.queryRoundTripMedianMs);
      console.log(
        `bench: search run ${i + 1}/${RUNS}: index of ${lastSearch.build.sources} sources built in ${lastSearch.build.ms} ms in the worker (read ${lastSearch.build.readMs} ms, index ${lastSearch.build.indexMs} ms); ` +
          `query median ${lastSearch.queryRoundTripMedianMs} ms round trip (${lastSearch.queryWorkerMedianMs} ms in the worker)`,
      );
    }
    console.log(`bench: queries (last run, median ms round trip / hits): ${lastSearch.queries.map((q) => `${q.query} ${q.roundTripMs}/${q.total}`).join(', ')}`);

    // --- 6. Importing the text of 200 transcripts ------------------------------------------
    const importMs = [];
    for (let i = 0; i < RUNS; i += 1) {
      const origin = await serve();
      await searchPage.goto(`${origin}bench/index.html`);
      await searchPage.waitForFunction(() => Boolean(window.cartographyBench), null, { timeout: 30_000 });
      await searchPage.evaluate(() => window.cartographyBench.generate());
      const result = await withTimeout(searchPage.evaluate(() => window.cartographyBench.importTranscriptFiles()), STEP_TIMEOUT_MS, 'importing 200 transcripts');
      importMs.push(result.ms);
      console.log(`bench: import run ${i + 1}/${RUNS}: ${result.files} files, ${(result.characters / 1e6).toFixed(1)} M characters in ${result.ms} ms`);
    }
    await searchPage.close();

    // --- 7. Comparison matrices on the large study, in memory --------------------------------
    const matrixPage = await context.newPage();
    watch(matrixPage);
    await matrixPage.goto(`${appOrigin}bench/index.html`);
    await matrixPage.waitForFunction(() => Boolean(window.cartographyBench), null, { timeout: 30_000 });
    await withTimeout(matrixPage.evaluate(() => window.cartographyBench.generate()), STEP_TIMEOUT_MS, 'generating the study for the matrices');
    const matrixInfo = await matrixPage.evaluate(() => window.cartographyBench.prepareMatrices());
    console.log(
      `bench: matrix source: ${matrixInfo.cases} cases, ${matrixInfo.codes} codes, ${matrixInfo.documents} documents, ` +
        `${matrixInfo.segments} coded segments, ${matrixInfo.codings} codings (built in ${matrixInfo.ms} ms, not timed)`,
    );
    const matrixStep = (fn, what) => withTimeout(matrixPage.evaluate(fn), STEP_TIMEOUT_MS, what);
    const caseByCodeMs = [];
    const caseByCodeWarmMs = [];
    const cooccurrenceMs = [];
    const matrixRenderMs = [];
    for (let i = 0; i < RUNS; i += 1) {
      const result = await matrixStep(() => window.cartographyBench.measureCaseByCode(), 'the case × code matrix');
      caseByCodeMs.push(result.ms);
      console.log(`bench: matrix-case-by-code run ${i + 1}/${RUNS}: ${result.ms} ms (${result.rows} × ${result.columns}, ${result.grandTotal} coded segments)`);
    }
    for (let i = 0; i < RUNS; i += 1) {
      const result = await matrixStep(() => window.cartographyBench.measureCaseByCodeWarm(), 'the warm case × code matrix');
      caseByCodeWarmMs.push(result.ms);
      console.log(`bench: matrix-case-by-code-warm run ${i + 1}/${RUNS}: ${result.ms} ms`);
    }
    for (let i = 0; i < RUNS; i += 1) {
      const result = await matrixStep(() => window.cartographyBench.measureCooccurrence(), 'the co-occurrence matrix');
      cooccurrenceMs.push(result.ms);
      console.log(`bench: cooccurrence-150 run ${i + 1}/${RUNS}: ${result.ms} ms (${result.codes} × ${result.codes}, ${result.grandTotal} segments with two codes)`);
    }
    // Inter-coder agreement on the same generated study (shared/analysis/agreement.ts).
    const agreementInfo = await matrixPage.evaluate(() => window.cartographyBench.prepareAgreement());
    console.log(
      `bench: agreement input: 2 coders, ${agreementInfo.documents} documents (${(agreementInfo.characters / 1e6).toFixed(1)} M characters), ` +
        `${agreementInfo.codes} codes, ${agreementInfo.codings} codings (built in ${agreementInfo.ms} ms, not timed)`,
    );
    const agreementMs = [];
    for (let i = 0; i < RUNS; i += 1) {
      const result = await matrixStep(() => window.cartographyBench.measureAgreementCharacter(), 'character-level agreement');
      agreementMs.push(result.ms);
      const value = (v) => (v === null ? '—' : v.toFixed(3));
      console.log(
        `bench: agreement-character-level run ${i + 1}/${RUNS}: ${result.ms} ms (${result.codes} codes, ${(result.units / 1e9).toFixed(2)} G character units; ` +
          `overall percent ${value(result.percent)}, kappa ${value(result.kappa)}, alpha ${value(result.alpha)})`,
      );
    }
    const renderDetail = [];
    for (let i = 0; i < RUNS; i += 1) {
      const result = await matrixStep(() => window.cartographyBench.measureMatrixRender(), 'rendering the matrix');
      matrixRenderMs.push(result.ms);
      renderDetail.push(result);
      console.log(
        `bench: matrix-render run ${i + 1}/${RUNS}: ${result.ms} ms (React commit ${result.commitMs} ms, frame began ${result.frameMs} ms; ` +
          `${result.rows} rows × ${result.columns} cells, table ${result.width} × ${result.height} px)`,
      );
    }
    // Diagnosis, not a row: the same with a forced layout right after the commit, so style +
    // layout shows on its own; what remains after it is the frame's paint.
    const forced = [];
    for (let i = 0; i < 3; i += 1) forced.push(await matrixStep(() => window.cartographyBench.measureMatrixRender(true), 'rendering the matrix (forced layout)'));
    const renderBreakdown = {
      commit: median(forced.map((d) => d.commitMs)),
      layout: median(forced.map((d) => d.layoutMs)),
      total: median(forced.map((d) => d.ms)),
    };
    await matrixPage.close();

    // --- 8. The maps: lifecycle map, collaboration network, PNG export ----------------------
    const mapPage = await context.newPage();
    watch(mapPage);
    await mapPage.goto(`${appOrigin}bench/index.html`);
    await mapPage.waitForFunction(() => Boolean(window.cartographyBench), null, { timeout: 30_000 });
    await withTimeout(mapPage.evaluate(() => window.cartographyBench.generate()), STEP_TIMEOUT_MS, 'generating the study for the maps');
    const mapInfo = await mapPage.evaluate(() => window.cartographyBench.prepareMaps());
    console.log(
      `bench: maps: ${mapInfo.cases} cases × ${mapInfo.stages} stages, ${mapInfo.placed} positions (computePositions ${mapInfo.positionsMs} ms, not timed); ` +
        `synthetic network of ${mapInfo.actors} actors and ${mapInfo.ties} ties (${mapInfo.evidence} evidence passages)`,
    );
    const mapStep = (fn, what, arg) => withTimeout(mapPage.evaluate(fn, arg), STEP_TIMEOUT_MS, what);
    const lifecycleMs = [];
    const lifecycleDetail = [];
    for (let i = 0; i < RUNS; i += 1) {
      const result = await mapStep(() => window.cartographyBench.measureLifecycleRender(), 'rendering the lifecycle map');
      lifecycleMs.push(result.ms);
      lifecycleDetail.push(result);
      console.log(
        `bench: lifecycle-map-render run ${i + 1}/${RUNS}: ${result.ms} ms (layout ${result.layoutMs} ms, cytoscape() ${result.cytoscapeMs} ms, drawn at ${result.drawnMs} ms; ` +
          `${result.nodes} nodes, ${result.edges} trajectories, canvas ${result.width} × ${result.height} px, zoom ${result.zoom})`,
      );
    }
    const networkMs = [];
    const networkBlockingMs = [];
    const networkDetail = [];
    for (let i = 0; i < RUNS; i += 1) {
      const result = await mapStep((mode) => window.cartographyBench.measureNetworkRender(mode), 'rendering the force-directed network', 'force');
      networkMs.push(result.ms);
      if (result.longestTaskMs !== null) networkBlockingMs.push(result.longestTaskMs);
      networkDetail.push(result);
      console.log(
        `bench: network-render run ${i + 1}/${RUNS}: ${result.ms} ms (positions from a new worker at ${result.positionsMs} ms, warm worker round trip ${result.warmWorkerMs} ms; ` +
          `elements + cytoscape() + fit ${result.cytoscapeMs} ms, drawn at ${result.drawnMs} ms; longest main-thread task ${result.longestTaskMs ?? 'n/a'} ms of ${result.longTasks ?? 'n/a'} long tasks; ` +
          `${result.actors} actors, ${result.ties} ties, canvas ${result.width} × ${result.height} px, zoom ${result.zoom})`,
      );
    }
    const lanesMs = [];
    const lanesDetail = [];
    for (let i = 0; i < RUNS; i += 1) {
      const result = await mapStep((mode) => window.cartographyBench.measureNetworkRender(mode), 'rendering the network in stage lanes', 'lanes');
      lanesMs.push(result.ms);
      lanesDetail.push(result);
      console.log(
        `bench: network-render-lanes run ${i + 1}/${RUNS}: ${result.ms} ms (lanes layout ${result.positionsMs} ms, elements + cytoscape() + fit ${result.cytoscapeMs} ms, drawn at ${result.drawnMs} ms; ` +
          `${result.actors} actors, ${result.ties} ties, ${result.lanes} lanes, canvas ${result.width} × ${result.height} px, zoom ${result.zoom})`,
      );
    }
    const pngMs = [];
    const pngDetail = [];
    for (let i = 0; i < RUNS; i += 1) {
      const result = await mapStep(() => window.cartographyBench.measureMapPngExport(), 'exporting the lifecycle map as PNG');
      pngMs.push(result.ms);
      pngDetail.push(result);
      console.log(
        `bench: map-png-export run ${i + 1}/${RUNS}: ${result.ms} ms (SVG ${result.svgMs} ms, ${result.svgWidth} × ${result.svgHeight} px, ${result.svgKb} KB; ` +
          `PNG ${result.pngMs} ms, ${result.pngWidth} × ${result.pngHeight} px, ${result.pngKb} KB)`,
      );
    }
    await mapPage.close();

    // --- 9. Reports and REFI-QDA exchange on the large study ---------------------------------
    // Report and export read the study from the app's database (the last app origin holds it);
    // the import writes a new study, so each run gets a fresh origin (an empty database).
    const exchangePage = await context.newPage();
    watch(exchangePage);
    await exchangePage.goto(`${appOrigin}bench/index.html`);
    await exchangePage.waitForFunction(() => Boolean(window.cartographyBench), null, { timeout: 30_000 });
    const exchangeStep = (fn, what, arg) => withTimeout(exchangePage.evaluate(fn, arg), STEP_TIMEOUT_MS, what);
    const reportHtmlMs = [];
    const reportDocxMs = [];
    const qdpxExportMs = [];
    const qdpxImportMs = [];
    const exchangeDetail = { html: [], docx: [], export: [], import: [] };
    for (let i = 0; i < RUNS; i += 1) {
      for (const format of ['html', 'docx']) {
        const result = await exchangeStep(([id, f]) => window.cartographyBench.measureReport(id, f), `writing the ${format} report`, [info.studyId, format]);
        (format === 'html' ? reportHtmlMs : reportDocxMs).push(result.ms);
        exchangeDetail[format].push(result);
        console.log(`bench: report-${format} run ${i + 1}/${RUNS}: ${result.ms} ms (read ${result.loadMs} ms, build ${result.buildMs} ms, write ${result.writeMs} ms; ${result.codes} codes, ${result.kb} KB)`);
      }
      const exported = await exchangeStep((id) => window.cartographyBench.measureQdpxExport(id), 'exporting the .qdpx', info.studyId);
      qdpxExportMs.push(exported.ms);
      exchangeDetail.export.push(exported);
      console.log(`bench: qdpx-export run ${i + 1}/${RUNS}: ${exported.ms} ms (read ${exported.loadMs} ms, write ${exported.writeMs} ms; ${exported.mb} MB)`);
    }
    for (let i = 0; i < RUNS; i += 1) {
      const origin = await serve();
      await exchangePage.goto(`${origin}bench/index.html`);
      await exchangePage.waitForFunction(() => Boolean(window.cartographyBench), null, { timeout: 30_000 });
      await exchangeStep(() => window.cartographyBench.generate(), 'generating the study for the import');
      const imported = await exchangeStep(() => window.cartographyBench.measureQdpxImport(), 'importing the .qdpx');
      qdpxImportMs.push(imported.ms);
      exchangeDetail.import.push(imported);
      console.log(`bench: qdpx-import run ${i + 1}/${RUNS}: ${imported.ms} ms (read ${imported.readMs} ms, write ${imported.writeMs} ms; ${imported.mb} MB, ${imported.codings} codings)`);
    }
    await exchangePage.close();

    if (pageErrors.length > 0) throw new Error(`a page threw: ${pageErrors.join('; ')}`);

    // --- Results ------------------------------------------------------------------------
    const loadRow = row('load-large-study', 'ms', appMs, TARGETS['load-large-study']);
    const floorRow = row('floor-raw-bulkadd', 'ms', floorMs, null);
    const ratio = roundTo(loadRow.median / floorRow.median, 3);
    loadRow.floor = floorRow.median;
    loadRow.ratio_to_floor = ratio;
    const ratioRow = {
      ...row('load-large-study-ratio', 'ratio', appMs.map((ms, i) => ms / floorMs[i]), TARGETS['load-large-study-ratio']),
      // The ratio of the two medians (the runs are the per-run pairs, app ÷ floor).
      median: ratio,
    };
    const rows = [
      row('generate-large-study', 'ms', generateMs, TARGETS['generate-large-study']),
      loadRow,
      floorRow,
      ratioRow,
      row('open-large-study', 'ms', openMs, TARGETS['open-large-study']),
      row('renderer-heap-large-study', 'MB', heapMb, TARGETS['renderer-heap-large-study']),
      row('renderer-heap-studies-page', 'MB', baselineMb, null),
      row('open-300k-transcript', 'ms', openTranscriptMs, TARGETS['open-300k-transcript']),
      row('apply-code', 'ms', applyMs, TARGETS['apply-code']),
      row('import-200-transcripts', 'ms', importMs, TARGETS['import-200-transcripts']),
      row('search-index-build', 'ms', buildMs, TARGETS['search-index-build']),
      row('search-query', 'ms', queryMs, TARGETS['search-query']),
      row('matrix-case-by-code', 'ms', caseByCodeMs, TARGETS['matrix-case-by-code']),
      row('matrix-case-by-code-warm', 'ms', caseByCodeWarmMs, null),
      row('cooccurrence-150', 'ms', cooccurrenceMs, TARGETS['cooccurrence-150']),
      row('agreement-character-level', 'ms', agreementMs, TARGETS['agreement-character-level']),
      row('matrix-render', 'ms', matrixRenderMs, TARGETS['matrix-render']),
      row('lifecycle-map-render', 'ms', lifecycleMs, TARGETS['lifecycle-map-render']),
      row('network-render', 'ms', networkMs, TARGETS['network-render']),
      // The longest main-thread task while the force-directed network is arranged and drawn
      // (PerformanceObserver 'longtask'); left out where the browser has none.
      ...(networkBlockingMs.length === networkMs.length ? [row('network-render-ui-blocking', 'ms', networkBlockingMs, null)] : []),
      row('network-render-lanes', 'ms', lanesMs, null),
      row('map-png-export', 'ms', pngMs, TARGETS['map-png-export']),
      row('report-html', 'ms', reportHtmlMs, TARGETS['report-html']),
      row('report-docx', 'ms', reportDocxMs, TARGETS['report-docx']),
      row('qdpx-export', 'ms', qdpxExportMs, TARGETS['qdpx-export']),
      row('qdpx-import', 'ms', qdpxImportMs, TARGETS['qdpx-import']),
      row('qdpx-import-read', 'ms', exchangeDetail.import.map((d) => d.readMs), null),
    ];
    // One row per line block, each row's runs on one line.
    const json = JSON.stringify(rows, null, 2).replace(/\[\s+([-\d.,\s]+?)\s+\]/g, (_, nums) => `[${nums.split(/,\s*/).join(', ')}]`);
    writeFileSync(RESULTS, `${json}\n`);

    console.log('\nbench: reads made when the large study opens, timed one by one in the bench page (ms):');
    console.log(`  ${Object.entries(probe).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    console.log(
      `bench: open breakdown (median): heading painted at ${median(openDetail.map((d) => d.headingMs)).toFixed(1)} ms, ` +
        `stats filled at ${median(openDetail.map((d) => d.readyMs)).toFixed(1)} ms, painted at ${median(openMs).toFixed(1)} ms`,
    );
    console.log(
      `bench: matrix-render breakdown (median): React render + commit ${median(renderDetail.map((d) => d.commitMs)).toFixed(1)} ms, ` +
        `frame began at ${median(renderDetail.map((d) => d.frameMs)).toFixed(1)} ms, painted at ${median(matrixRenderMs).toFixed(1)} ms; ` +
        `with layout forced after the commit: commit ${renderBreakdown.commit.toFixed(1)} ms, style + layout ${renderBreakdown.layout.toFixed(1)} ms, painted at ${renderBreakdown.total.toFixed(1)} ms`,
    );
    const med = (list, key) => median(list.map((d) => d[key])).toFixed(1);
    console.log(
      `bench: lifecycle-map-render breakdown (median): lifecycleLayout ${med(lifecycleDetail, 'layoutMs')} ms, cytoscape() ${med(lifecycleDetail, 'cytoscapeMs')} ms, ` +
        `first draw at ${med(lifecycleDetail, 'drawnMs')} ms, painted at ${median(lifecycleMs).toFixed(1)} ms`,
    );
    console.log(
      `bench: network-render breakdown (median): positions back from a new worker at ${med(networkDetail, 'positionsMs')} ms (warm worker round trip ${med(networkDetail, 'warmWorkerMs')} ms), ` +
        `elements + cytoscape() + fit ${med(networkDetail, 'cytoscapeMs')} ms, first draw at ${med(networkDetail, 'drawnMs')} ms, painted at ${median(networkMs).toFixed(1)} ms; ` +
        `network-render-lanes: lanes layout ${med(lanesDetail, 'positionsMs')} ms, elements + cytoscape() + fit ${med(lanesDetail, 'cytoscapeMs')} ms, first draw at ${med(lanesDetail, 'drawnMs')} ms`,
    );
    console.log(`bench: map-png-export breakdown (median): lifecycleMapToSvg ${med(pngDetail, 'svgMs')} ms, svgToPng ${med(pngDetail, 'pngMs')} ms`);
    console.log(
      `bench: exchange breakdown (median): report-html read ${med(exchangeDetail.html, 'loadMs')} + build ${med(exchangeDetail.html, 'buildMs')} + write ${med(exchangeDetail.html, 'writeMs')} ms; ` +
        `report-docx write ${med(exchangeDetail.docx, 'writeMs')} ms; qdpx-export read ${med(exchangeDetail.export, 'loadMs')} + write ${med(exchangeDetail.export, 'writeMs')} ms; ` +
        `qdpx-import read ${med(exchangeDetail.import, 'readMs')} + write ${med(exchangeDetail.import, 'writeMs')} ms`,
    );
    printTable(rows);
    console.log(`\nbench: wrote ${path.relative(REPO, RESULTS)}`);
  } finally {
    await withTimeout(cleanup(), 30_000, 'closing Chromium').catch((e) => console.error(`bench: ${e.message}`));
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`bench: failed: ${error?.stack ?? error}`);
    process.exit(1);
  },
);
