// Where the tests and benchmarks find Chromium, and how they start it. Debian's chromium
// (or CHROMIUM_PATH); never a downloaded browser. Without the background-networking flags
// Chromium tries to reach Google's hosts at every start, and this app must stay offline.
import { existsSync } from 'node:fs';

export function findChromium() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
  return candidates.find((p) => existsSync(p)) ?? null;
}

/** Flags for every launch; playwright adds --headless itself when asked for headless. */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
