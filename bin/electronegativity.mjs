#!/usr/bin/env node
// `npm run lint:electron`: Electronegativity over the Electron sources, offline, with the
// findings listed in electron/electronegativity-accepted.json (each with its reason) set aside.
//
// Three things about electronegativity 1.10.3 shape this script:
// - It only reads .js/.jsx/.ts/.tsx/.html files, so preload.cts would be skipped silently.
//   The sources (tests left out) are staged into a temp folder, *.cts renamed to *.cts.ts;
//   its Babel TypeScript parser reads our syntax, so findings point at real source lines.
// - With -o it drops files it cannot parse without a word. Each staged file is parsed
//   first with electronegativity's own parser, and a failure stops the run.
// - It reaches for the network at start (translations) and in one global check (Electron's
//   release list). That check is excluded (-x) and -e gives the version; a --require'd
//   guard replaces `got` and refuses every socket, so nothing leaves the machine.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = path.join(repo, 'electron');
const acceptedPath = path.join(sourceDir, 'electronegativity-accepted.json');
const require = createRequire(import.meta.url);

const NETWORK_GUARD = `'use strict';
const Module = require('node:module');
const net = require('node:net');
const dns = require('node:dns');
const refuse = () => Object.assign(new Error('network access is disabled for this scan'), { code: 'ERR_CARTOGRAPHY_OFFLINE' });
const got = () => Promise.reject(refuse());
got.head = got; got.get = got; got.post = got;
const load = Module._load;
Module._load = function (request, ...rest) { return request === 'got' ? got : load.call(this, request, ...rest); };
net.Socket.prototype.connect = function () { process.nextTick(() => this.destroy(refuse())); return this; };
dns.lookup = (_host, options, callback) => (typeof options === 'function' ? options : callback)(refuse());
`;

class ScanError extends Error {}

function fail(message) {
  throw new ScanError(message);
}

function electronVersion() {
  const spec = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')).devDependencies?.electron;
  if (typeof spec !== 'string' || !/^\d+\.\d+\.\d+$/.test(spec)) fail(`package.json must pin electron to an exact version (found ${JSON.stringify(spec)})`);
  return spec;
}

/** Source files to scan, relative to electron/, as [original, staged] names. */
function sources(dir, prefix = '') {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const relative = path.posix.join(prefix, entry.name);
    if (entry.isDirectory()) return sources(path.join(dir, entry.name), relative);
    if (/\.test\.[cm]?tsx?$/.test(entry.name)) return [];
    if (/\.(?:ts|tsx|js|mjs)$/.test(entry.name)) return [[relative, relative]];
    if (/\.(?:cts|cjs|mts)$/.test(entry.name)) return [[relative, `${relative}.ts`]];
    return [];
  });
}


function readAccepted() {
  if (!existsSync(acceptedPath)) return [];
  const data = JSON.parse(readFileSync(acceptedPath, 'utf8'));
  const list = data?.accepted;
  if (!Array.isArray(list)) fail(`${path.relative(repo, acceptedPath)} must be {"accepted": [{"id", "file", "reason"}]}`);
  for (const entry of list) {
    if (typeof entry?.id !== 'string' || typeof entry?.file !== 'string' || typeof entry?.reason !== 'string' || entry.reason.trim().length < 20) {
      fail(`every accepted finding needs an id, a file and a real reason: ${JSON.stringify(entry)}`);
    }
  }
  return list;
}

const workDir = mkdtempSync(path.join(os.tmpdir(), 'cartography-electronegativity-'));
try {
  const stageDir = path.join(workDir, 'electron');
  const guardPath = path.join(workDir, 'network-guard.cjs');
  const reportPath = path.join(workDir, 'report.sarif');
  writeFileSync(guardPath, NETWORK_GUARD);

  const files = sources(sourceDir);
  if (files.length === 0) fail('no sources found in electron/');
  const { Parser } = require('@doyensec/electronegativity/dist/parser/parser.js');
  const parser = new Parser(false, true);
  const stagedToOriginal = new Map();
  for (const [original, staged] of files) {
    const target = path.join(stageDir, staged);
    mkdirSync(path.dirname(target), { recursive: true });
    cpSync(path.join(sourceDir, original), target);
    try {
      parser.parse(target, readFileSync(target));
    } catch (error) {
      fail(`cannot parse electron/${original} (${error.message}); it would be skipped silently, so the scan stops here`);
    }
    stagedToOriginal.set(staged, `electron/${original}`);
  }

  const cli = realpathSync(path.join(repo, 'node_modules', '.bin', 'electronegativity'));
  const args = ['--require', guardPath, cli, '-i', stageDir, '-r', '-e', electronVersion(), '-x', 'AvailableSecurityFixesGlobalCheck', '-o', reportPath];
  // The SARIF report, not the CSV one: the scanner writes its CSV with racing asynchronous
  // appends, and now and then a row lands on top of another; SARIF is written in one piece.
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, LANG: 'en-US' } });
  if (run.status !== 0 || !existsSync(reportPath)) {
    process.stderr.write(`${run.stdout ?? ''}${run.stderr ?? ''}`);
    fail(`the scanner failed (exit ${run.status ?? run.signal})`);
  }
  let report;
  try {
    report = JSON.parse(readFileSync(reportPath, 'utf8'));
  } catch (error) {
    fail(`could not read the scanner's report ${reportPath} (${error.message})`);
  }
  const results = report?.runs?.[0]?.results;
  if (!Array.isArray(results)) fail(`the scanner's report ${reportPath} has no results list`);
  const findings = results.map((r) => {
    const where = r.locations?.[0]?.physicalLocation;
    const file = String(where?.artifactLocation?.uri ?? 'N/A');
    return {
      id: String(r.ruleId),
      severity: r.level === 'note' ? 'review' : 'warning',
      confidence: '',
      file: stagedToOriginal.get(file.split(path.sep).join('/')) ?? file,
      location: `${where?.region?.startLine ?? '?'}:${where?.region?.startColumn ?? '?'}`,
      sample: '',
      description: String(r.message?.text ?? ''),
    };
  });

  const accepted = readAccepted();
  const isAccepted = (finding) => accepted.some((entry) => entry.id === finding.id && entry.file === finding.file);
  const open = findings.filter((finding) => !isAccepted(finding));
  const stale = accepted.filter((entry) => !findings.some((finding) => entry.id === finding.id && entry.file === finding.file));
  const acceptedCount = findings.length - open.length;

  for (const finding of open) {
    console.log(`  ${finding.id} (${finding.severity}) ${finding.file}:${finding.location}\n    ${finding.description}`);
  }
  for (const entry of stale) {
    console.log(`  accepted finding no longer reported, remove it from ${path.relative(repo, acceptedPath)}: ${entry.id} in ${entry.file}`);
  }
  console.log(`electronegativity: ${open.length} finding${open.length === 1 ? '' : 's'} (${acceptedCount} accepted)`);
  process.exitCode = open.length > 0 || stale.length > 0 ? 1 : 0;
} catch (error) {
  if (!(error instanceof ScanError)) throw error;
  console.error(`electronegativity: ${error.message}`);
  process.exitCode = 1;
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
