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
