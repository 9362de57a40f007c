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
// - keystrokeEchoMs: from a key's keydown to xterm's rows showing it (the render frame's DOM
//   update), over KEYS printable keys typed one after another;
// - commandOutputMs: from Enter's keydown to the command's output in xterm's rows, for typical
//   lab commands (busybox has no curl: from a pod the page fetch is busybox wget).
// And the scale explorer's of issue #9 (/scale/, 10,000 Services × 10 endpoints, three modes,
// measured side by side in up to three workers, one per core):
// - workerMs: the run's time in the workers, from the first measurement's start to the last
//   one's end (the workers' clocks on the shared timeline; the `clusterpath:scale-done` mark's
//   detail), budget 3 s; perModeMs: each mode's own time in its worker (medians over runs);
// - longestMainThreadTaskMs: the longest main-thread task (PerformanceObserver longtask,
//   buffered from navigation until 500 ms after the run is done), budget 50 ms; `duringRun`
//   the same from the Run click on. A long task is wall time: on a loaded machine the OS can
//   stall a short task past 50 ms, so longestMainThreadTaskCpuMs gives the same windows'
//   longest task in main-thread CPU time (a Chromium trace's RunTask thread time), the page's
//   own work;
// - wallMs: from the Run click until the last row is drawn (includes the workers' start-up).
// The run's end is awaited in the page (a PerformanceObserver promise), not polled: polling on
// animation frames would add main-thread tasks of its own.
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
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];
const round = (x) => Math.round(x * 10) / 10;
const KEYS = 240;
const COMMANDS = [
  { line: 'kubectl get pods', marker: 'RESTARTS' },
  { line: 'kubectl get endpointslices', marker: 'ADDRESSTYPE' },
  // The lab's Service has no endpoints yet (that is the lab): fetch from a web pod's IP.
  { line: 'kubectl exec client -- wget -qO- http://WEB_POD_IP', marker: 'Welcome to nginx' },
];
const COMMAND_RUNS = 10;
/** The lab the terminal timings use: web (nginx) behind a Service, and a busybox client. */
const TERMINAL_LAB = '/labs/kube-proxy-first-look/';

/** Times keystrokes and commands in the first terminal of an open, ready lab page. */
async function terminalTimings(page) {
  await page.locator('#lab-term-panel-0').click();
  await page.evaluate(() => {
    const rows = document.querySelector('#lab-term-panel-0 .xterm-rows');
    const w = window;
    w.__echo = [];
    w.__cmd = undefined;
    let key;
    document.addEventListener(
      'keydown',
      (e) => {
        if (e.key.length === 1 && !e.ctrlKey) key = { t0: performance.now(), before: rows.textContent };
        if (e.key === 'Enter' && w.__cmd) w.__cmd.t0 = performance.now();
      },
      true,
    );
    new MutationObserver(() => {
      const text = rows.textContent;
      if (key && text !== key.before) {
        w.__echo.push(performance.now() - key.t0);
        key = undefined;
      }
      const c = w.__cmd;
      if (c && c.t0 && c.ms === undefined && text.includes(c.marker)) c.ms = performance.now() - c.t0;
    }).observe(rows, { subtree: true, childList: true, characterData: true });
  });
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  for (let i = 0; i < KEYS; i++) {
    await page.keyboard.press(letters[i % letters.length]);
    await page.waitForFunction((n) => window.__echo.length >= n, i + 1);
    // Keep the line short: Ctrl-U erases it (not timed).
    if (i % 40 === 39) await page.keyboard.press('Control+U');
  }
  await page.keyboard.press('Control+U');
  const echo = await page.evaluate(() => window.__echo);
  await page.keyboard.press('Control+L');
  await page.keyboard.type(`kubectl get pods -l app=web -o jsonpath='{.items[0].status.podIP}{"\\n"}'`);
  await page.keyboard.press('Enter');
  const text = () => page.locator('#lab-term-panel-0').evaluate((el) => el.terminalText());
  let ip;
  for (let i = 0; i < 50 && !ip; i++) {
    ip = /^(10\.\d+\.\d+\.\d+)$/m.exec(await text())?.[1];
    if (!ip) await page.waitForTimeout(100);
  }
  if (!ip) throw new Error('no web pod IP');
  const commands = {};
  for (const { line: template, marker } of COMMANDS) {
    const line = template.replace('WEB_POD_IP', ip);
    const all = [];
    for (let i = 0; i < COMMAND_RUNS; i++) {
      await page.keyboard.press('Control+L');
      await page.keyboard.type(line);
      await page.evaluate((m) => (window.__cmd = { marker: m, t0: 0, ms: undefined }), marker);
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => window.__cmd.ms !== undefined, null, { timeout: 10_000 }).catch(async (e) => {
        const state = await page.evaluate(() => ({ cmd: window.__cmd, rows: document.querySelector('#lab-term-panel-0 .xterm-rows').textContent.slice(-400) }));
        throw new Error(`${line}: no output marker "${marker}" (${JSON.stringify(state)})`, { cause: e });
      });
      all.push(await page.evaluate(() => window.__cmd.ms));
      // The prompt is back before the next line.
      await page.waitForFunction(() => document.querySelector('#lab-term-panel-0 .xterm-rows').textContent.includes('user@workstation:~$'));
    }
    commands[template] = { median: round(median(all)), p95: round(p95(all)), budget: 50 };
  }
  return { echo, commands };
}

const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
const accepting = [];
const ready = [];
const editorMs = [];
let js = {};
let editorFiles = {};
let editorBeforeOpen = [];
const EDITOR_ASSET = /\/(monaco\.[^/]*\.js|editor\.worker-[^/]*\.js|yaml\.worker-[^/]*\.js|EditorPanel\.[^/]*\.js|codicon\.[^/]*\.ttf)$|\/editor\/kubernetes\.schema\.json$/;
const scale = { workerMs: [], wallMs: [], longestTaskMs: [], longestRunTaskMs: [], longestTaskCpuMs: [], longestRunTaskCpuMs: [], workers: [], perModeMs: { iptables: [], ipvs: [], nftables: [] } };
/** Top-level tasks with their thread time, paints (to find the main thread), user timing marks. */
const TRACE_CATEGORIES = 'devtools.timeline,toplevel,blink.user_timing';
let terminal;
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
  if (only !== 'scale') {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(base + TERMINAL_LAB);
    await page.waitForFunction(() => performance.getEntriesByName('clusterpath:cluster-ready').length > 0, null, { timeout: 30_000 });
    terminal = await terminalTimings(page);
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
    const cdp = await context.newCDPSession(page);
    const trace = [];
    cdp.on('Tracing.dataCollected', (d) => trace.push(...d.value));
    await cdp.send('Tracing.start', { categories: TRACE_CATEGORIES, transferMode: 'ReportEvents' });
    await page.goto(base + '/scale/');
    await page.waitForSelector('astro-island:not([ssr])');
    await page.selectOption('#scale-from', '10000');
    await page.selectOption('#scale-to', '10000');
    await page.locator('#scale-eps').fill('10');
    const finished = page.evaluate(
      () =>
        new Promise((resolve) => {
          const seen = () => performance.getEntriesByName('clusterpath:scale-done').length > 0;
          if (seen()) return resolve(true);
          new PerformanceObserver((list, obs) => {
            if (list.getEntriesByName('clusterpath:scale-done').length > 0) {
              obs.disconnect();
              resolve(true);
            }
          }).observe({ type: 'mark' });
        }),
    );
    await page.getByRole('button', { name: 'Run' }).click();
    let timer;
    await Promise.race([finished, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('the 10,000-Service run did not finish in 180 s')), 180_000)))]);
    clearTimeout(timer);
    // Let the last rows paint before reading the longtask list.
    await page.waitForTimeout(500);
    const traced = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
    await cdp.send('Tracing.end');
    await traced;
    const r = await page.evaluate(() => {
      const done = /** @type {PerformanceMark} */ (performance.getEntriesByName('clusterpath:scale-done')[0]);
      const start = performance.getEntriesByName('clusterpath:scale-start')[0];
      const tasks = /** @type {any} */ (window).__longtasks;
      const longest = (ts) => Math.max(0, ...ts.map((t) => t.duration));
      return {
        workerMs: done.detail.workerMs, workers: done.detail.workers, steps: done.detail.steps, wallMs: done.startTime - start.startTime,
        longest: longest(tasks), longestInRun: longest(tasks.filter((t) => t.start >= start.startTime)),
      };
    });
    const cpu = longestMainTaskCpuMs(trace);
    scale.longestTaskCpuMs.push(Math.round(cpu.all));
    scale.longestRunTaskCpuMs.push(Math.round(cpu.run));
    scale.longestRunTaskMs.push(Math.round(r.longestInRun));
    scale.workers.push(r.workers);
    for (const st of r.steps) scale.perModeMs[st.mode].push(Math.round(st.ms));
    scale.workerMs.push(Math.round(r.workerMs));
    scale.wallMs.push(Math.round(r.wallMs));
    scale.longestTaskMs.push(Math.round(r.longest));
    await context.close();
  }
} finally {
  await browser.close();
  if (server) process.kill(-server.pid);
}

/**
 * The longest top-level task on the page's main thread in CPU (thread) time, from a trace
 * (categories TRACE_CATEGORIES): the whole window, and from the Run click (the
 * `clusterpath:scale-start` mark) on. The main thread is the one that paints (PrePaint).
 */
function longestMainTaskCpuMs(events) {
  const thread = (e) => `${e.pid}:${e.tid}`;
  const paints = new Map();
  for (const e of events) if (e.name === 'PrePaint') paints.set(thread(e), (paints.get(thread(e)) ?? 0) + 1);
  const main = [...paints.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const start = events.find((e) => e.name === 'clusterpath:scale-start')?.ts ?? Infinity;
  const tasks = events.filter((e) => thread(e) === main && e.ph === 'X' && /(^|::)RunTask$/.test(e.name));
  const longest = (ts) => Math.max(0, ...ts.map((e) => (e.tdur ?? e.dur) / 1000));
  return { all: longest(tasks), run: longest(tasks.filter((e) => e.ts >= start)) };
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
  report.keystrokeEchoMs = { keys: terminal.echo.length, median: round(median(terminal.echo)), p95: round(p95(terminal.echo)), max: round(Math.max(...terminal.echo)), budgetP95: 16 };
  report.terminalPage = TERMINAL_LAB;
  report.commandOutputMs = terminal.commands;
}
if (only !== 'lab') {
  report.scaleExplorer = {
    page: '/scale/', services: 10_000, endpoints: 10, modes: ['iptables', 'ipvs', 'nftables'], runs: scaleRuns,
    workers: { median: median(scale.workers), all: scale.workers },
    workerMs: { median: median(scale.workerMs), all: scale.workerMs, budget: 3000 },
    perModeMs: Object.fromEntries(Object.entries(scale.perModeMs).map(([m, all]) => [m, { median: median(all), all }])),
    longestMainThreadTaskMs: {
      max: Math.max(...scale.longestTaskMs), median: median(scale.longestTaskMs), all: scale.longestTaskMs, budget: 50,
      duringRun: { median: median(scale.longestRunTaskMs), all: scale.longestRunTaskMs },
    },
    longestMainThreadTaskCpuMs: {
      max: Math.max(...scale.longestTaskCpuMs), median: median(scale.longestTaskCpuMs), all: scale.longestTaskCpuMs,
      duringRun: { median: median(scale.longestRunTaskCpuMs), all: scale.longestRunTaskCpuMs },
    },
    wallMs: { median: median(scale.wallMs), all: scale.wallMs },
  };
}
console.log(JSON.stringify(report, null, 2));
