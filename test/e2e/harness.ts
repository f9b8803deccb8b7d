/**
 * End-to-end harness: serves the built renderer on a free loopback port and drives
 * Debian's Chromium through playwright-core with a fresh profile. No browser download.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_FLAGS, findChromium } from '../../bin/chromium.mjs';
import { startServer } from '../../bin/serve.mjs';

const require = createRequire(import.meta.url);
export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const ARTIFACTS = path.join(REPO, 'test-artifacts');

export { CHROMIUM_FLAGS, findChromium };

export interface Session {
  url: string;
  context: BrowserContext;
  page: Page;
  /** Every URL the page asked for, to prove the app stays offline. */
  requests: string[];
  close(): Promise<void>;
}

export async function startSession(): Promise<Session> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('Chromium not found');
  const { server, url } = await startServer({ port: 0 });
  const profile = mkdtempSync(path.join(os.tmpdir(), 'cartography-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    args: [...CHROMIUM_FLAGS],
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1360, height: 860 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return {
    url,
    context,
    page,
    requests,
    async close() {
      await context.close();
      await new Promise((resolve) => server.close(resolve));
      rmSync(profile, { recursive: true, force: true });
      if (errors.length > 0) throw new Error(`The page threw: ${errors.join('; ')}`);
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = path.join(ARTIFACTS, 'screens');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

let axeSource: string | null = null;
/** Runs axe-core in the page (evaluated over the DevTools protocol, so the app's CSP stays on). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  const result = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] })`)) as { violations: AxeViolation[] };
  return result.violations;
}

export function seriousViolations(violations: AxeViolation[]): string[] {
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact}: ${v.id} — ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
}

/** Every record of every object store of the app's database, read in the page (for before/after comparisons). */
export async function dumpDatabase(page: Page): Promise<Record<string, unknown[]>> {
  return page.evaluate(`new Promise((resolve, reject) => {
    const open = indexedDB.open('cartography');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const names = Array.from(db.objectStoreNames);
      const tx = db.transaction(names, 'readonly');
      const out = {};
      for (const name of names) {
        const request = tx.objectStore(name).getAll();
        request.onsuccess = () => { out[name] = request.result; };
      }
      tx.oncomplete = () => { db.close(); resolve(out); };
      tx.onerror = () => reject(tx.error);
    };
  })`) as Promise<Record<string, unknown[]>>;
}

// In the page: the client rectangles of a phrase of the transcript, found across text pieces.
const PHRASE_RECTS = `(phrase) => {
  const root = document.querySelector('.transcript');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, { acceptNode: (n) => (n.parentElement.closest('[data-nontext]') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT) });
  const nodes = [];
  let all = '';
  for (let node = walker.nextNode(); node; node = walker.nextNode()) { nodes.push({ node, at: all.length }); all += node.textContent; }
  const start = all.indexOf(phrase);
  if (start === -1) return null;
  const end = start + phrase.length;
  const locate = (offset, isEnd) => {
    for (const { node, at } of nodes) {
      const len = node.textContent.length;
      if (offset > at && offset < at + len) return [node, offset - at];
      if (!isEnd && offset === at) return [node, 0];
      if (isEnd && offset === at + len) return [node, len];
    }
    return null;
  };
  const range = document.createRange();
  range.setStart(...locate(start, false));
  range.setEnd(...locate(end, true));
  range.startContainer.parentElement.scrollIntoView({ block: 'center' });
  const rects = Array.from(range.getClientRects()).filter((r) => r.width > 0);
  const first = rects[0], last = rects[rects.length - 1];
  return { x1: first.left + 1, y1: first.top + first.height / 2, x2: last.right - 1, y2: last.top + last.height / 2 };
}`;

async function phraseBox(page: Page, phrase: string) {
  const box = (await page.evaluate(`(${PHRASE_RECTS})(${JSON.stringify(phrase)})`)) as { x1: number; y1: number; x2: number; y2: number } | null;
  if (!box) throw new Error(`"${phrase}" is not in the transcript`);
  return box;
}

/** Selects a phrase of the transcript with a real mouse drag (press at its first letter, release after its last). */
export async function dragSelect(page: Page, phrase: string): Promise<void> {
  const box = await phraseBox(page, phrase);
  await page.mouse.move(box.x1, box.y1);
  await page.mouse.down();
  await page.mouse.move((box.x1 + box.x2) / 2, (box.y1 + box.y2) / 2, { steps: 4 });
  await page.mouse.move(box.x2, box.y2, { steps: 4 });
  await page.mouse.up();
}

/** Puts the caret just before a phrase with a mouse click, as a keyboard user would after clicking in. */
export async function caretBefore(page: Page, phrase: string): Promise<void> {
  const box = await phraseBox(page, phrase);
  await page.mouse.click(box.x1 - 0.5, box.y1);
}
