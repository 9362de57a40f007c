// `node scripts/bench-web.mjs [--runs N] [--scale-runs N] [--only lab|scale] [--no-server]`:
// the lab page's budgets of issue #6,
// measured in Chromium against `astro preview` of the built site (npm run build first), as JSON:
// - accepting: ms from navigation until the terminal takes keys (the island's
//   `clusterpath:terminal-accepting` mark), and until the cluster answers (`…cluster-ready`);
// - jsGzipBytes: every script the page loaded before the first keypress (page, island, the lab
//   worker and its chunks), each file gzipped at level 9 from dist/, counted once;
// - editor: the lab editor (issue #6 item 3), opened after that: ms from the "Open editor" click
//   to a ready Monaco (`clusterpath:editor-open` → `…editor-ready`), what the open fetched
//   (gzip), and the gzip size of Monaco's chunk, its editor worker and the YAML worker in dist/
//   (the editor worker starts only when a feature needs it). None of it may load before the open.
// And the scale explorer's of issue #9 (/scale/, 10,000 Services × 10 endpoints, three modes):
// - workerMs: the sweep's time in the worker (its `done` message), budget 3 s;
// - longestTaskMs: the longest main-thread task (PerformanceObserver longtask, buffered from
//   navigation until the run is done), budget 50 ms; wallMs from Run to the charts updated.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_HELP, chromiumPath } from './chromium.mjs';

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] || 5) || 5;
const scaleRuns = Number(args[args.indexOf('--scale-runs') + 1] || 3) || 3;
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const port = Number(process.env.BENCH_PORT ?? 4339);
const base = `http://127.0.0.1:${port}`;
const dist = new URL('../dist/', import.meta.url).pathname;
const lab = '/labs/' + readFileSync(new URL('../dist/sitemap-0.xml', import.meta.url), 'utf8').match(/\/labs\/([^/<]+)\/</)[1] + '/';

const executablePath = chromiumPath();
if (!executablePath) throw new Error(CHROMIUM_HELP);

let server;
if (!args.includes('--no-server')) {
  server = spawn('npx', ['astro', 'preview', '--host', '127.0.0.1', '--port', String(port)], { stdio: 'ignore', detached: true });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(base + '/')).ok) break;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
const accepting = [];
const ready = [];
const editorMs = [];
let js = {};
let editorFiles = {};
let editorBeforeOpen = [];
const EDITOR_ASSET = /\/(monaco\.[^/]*\.js|editor\.worker-[^/]*\.js|yaml\.worker-[^/]*\.js|EditorPanel\.[^/]*\.js|codicon\.[^/]*\.ttf)$|\/editor\/kubernetes\.schema\.json$/;
const scale = { workerMs: [], wallMs: [], longestTaskMs: [] };
try {
  for (let i = 0; only !== 'scale' && i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const scripts = new Set();
    const note = (url) => {
      const u = new URL(url);
      if (u.origin === base && u.pathname.endsWith('.js')) scripts.add(u.pathname);
    };
    page.on('request', (r) => note(r.url()));
    page.on('worker', (w) => note(w.url()));
    context.on('request', (r) => note(r.url()));
    await page.goto(base + lab);
    await page.waitForFunction(() => performance.getEntriesByName('clusterpath:cluster-ready').length > 0, null, { timeout: 30_000 });
    const marks = await page.evaluate(() => ({
      accepting: performance.getEntriesByName('clusterpath:terminal-accepting')[0]?.startTime,
      ready: performance.getEntriesByName('clusterpath:cluster-ready')[0]?.startTime,
    }));
    accepting.push(Math.round(marks.accepting));
    ready.push(Math.round(marks.ready));
    if (i === 0) {
      for (const s of [...scripts].sort()) {
        const f = join(dist, s);
        if (existsSync(f)) js[s] = gz(f);
      }
    }
    // The editor, opened once the cluster runs: nothing of it may have loaded before.
    const assets = new Set();
    const noteAsset = (url) => {
      const u = new URL(url);
      if (u.origin === base && EDITOR_ASSET.test(u.pathname)) assets.add(u.pathname);
    };
    for (const s of scripts) noteAsset(base + s);
    editorBeforeOpen = [...assets];
    page.on('request', (r) => noteAsset(r.url()));
    page.on('worker', (w) => noteAsset(w.url()));
    await page.getByRole('button', { name: 'Open editor' }).click();
    await page.waitForFunction(() => performance.getEntriesByName('clusterpath:editor-ready').length > 0, null, { timeout: 30_000 });
    editorMs.push(
      await page.evaluate(() =>
        Math.round(performance.getEntriesByName('clusterpath:editor-ready')[0].startTime - performance.getEntriesByName('clusterpath:editor-open')[0].startTime),
      ),
    );
    if (i === 0) {
      for (const a of [...assets].sort()) {
        const f = join(dist, a);
        if (existsSync(f)) editorFiles[a] = gz(f);
      }
    }
    await context.close();
  }
  for (let i = 0; only !== 'lab' && i < scaleRuns; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.addInitScript(() => {
      const w = /** @type {any} */ (window);
      w.__longtasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__longtasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask', buffered: true });
    });
    await page.goto(base + '/scale/');
    await page.selectOption('#scale-from', '10000');
    await page.selectOption('#scale-to', '10000');
    await page.locator('#scale-eps').fill('10');
    await page.getByRole('button', { name: 'Run' }).click();
    await page.waitForFunction(() => performance.getEntriesByName('clusterpath:scale-done').length > 0, null, { timeout: 180_000 });
    // Let the last rows paint before reading the longtask list.
    await page.waitForTimeout(500);
    const r = await page.evaluate(() => {
      const done = /** @type {PerformanceMark} */ (performance.getEntriesByName('clusterpath:scale-done')[0]);
      const start = performance.getEntriesByName('clusterpath:scale-start')[0];
      const tasks = /** @type {any} */ (window).__longtasks;
      return { workerMs: done.detail.workerMs, wallMs: done.startTime - start.startTime, longest: Math.max(0, ...tasks.map((t) => t.duration)) };
    });
    scale.workerMs.push(Math.round(r.workerMs));
    scale.wallMs.push(Math.round(r.wallMs));
    scale.longestTaskMs.push(Math.round(r.longest));
    await context.close();
  }
} finally {
  await browser.close();
  if (server) process.kill(-server.pid);
}

/** Monaco's chunk and both workers as built, whether or not this run fetched them. */
function distEditorSizes() {
  const dir = join(dist, '_astro');
  const pick = (re) => readdirSync(dir).filter((f) => re.test(f)).map((f) => [f, gz(join(dir, f))]);
  const files = Object.fromEntries([...pick(/^monaco\..*\.js$/), ...pick(/^editor\.worker-.*\.js$/), ...pick(/^yaml\.worker-.*\.js$/)]);
  return { ...files, total: Object.values(files).reduce((a, b) => a + b, 0) };
}

const total = Object.values(js).reduce((a, b) => a + b, 0);
const worker = Object.entries(js).filter(([k]) => /worker/.test(k)).reduce((a, [, v]) => a + v, 0);
const report = {};
if (only !== 'scale') {
  report.page = lab;
  report.runs = runs;
  report.terminalAcceptingMs = { median: median(accepting), all: accepting, budget: 1000 };
  report.clusterReadyMs = { median: median(ready), all: ready };
  report.jsGzipBytesBeforeFirstKey = { total, mainThread: total - worker, worker, budget: 600 * 1024, files: js };
  report.editor = {
    openToReadyMs: { median: median(editorMs), all: editorMs },
    fetchedBeforeOpen: editorBeforeOpen,
    fetchedOnOpenGzipBytes: { total: Object.values(editorFiles).reduce((a, b) => a + b, 0), files: editorFiles },
    distGzipBytes: distEditorSizes(),
  };
}
if (only !== 'lab') {
  report.scaleExplorer = {
    page: '/scale/', services: 10_000, endpoints: 10, modes: ['iptables', 'ipvs', 'nftables'], runs: scaleRuns,
    workerMs: { median: median(scale.workerMs), all: scale.workerMs, budget: 3000 },
    longestMainThreadTaskMs: { max: Math.max(...scale.longestTaskMs), all: scale.longestTaskMs, budget: 50 },
    wallMs: { median: median(scale.wallMs), all: scale.wallMs },
  };
}
console.log(JSON.stringify(report, null, 2));
