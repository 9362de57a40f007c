// `npm run size`: the budgets of issue #2, measured, as JSON.
// - the build's wall time (budget: under 60 s on a 2-core machine);
// - per page: JavaScript shipped on load, gzip, following static imports, not lazy import()s;
//   and any script/font/style from another host;
// - per lesson page (issue #7): JS until a live block is activated, budget 30 KB gzip; and, for
//   information, what activating a live block then loads (the terminal, xterm.js, the worker).
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = new URL('../dist/', import.meta.url).pathname;
const skipBuild = process.argv.includes('--no-build');

let buildSeconds = null;
if (!skipBuild) {
  const t0 = performance.now();
  const r = spawnSync('npm', ['run', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) process.exit(r.status ?? 1);
  buildSeconds = +((performance.now() - t0) / 1000).toFixed(1);
}

const gz = (buf) => gzipSync(buf, { level: 9 }).length;

/** Bytes (gzip) of a JS file and everything it statically imports, counted once. */
function jsClosure(file, seen) {
  if (seen.has(file) || !existsSync(file)) return 0;
  seen.add(file);
  const code = readFileSync(file, 'utf8');
  let total = gz(Buffer.from(code));
  // Static imports only: `import x from "./a.js"`, `import "./b.js"`, `export … from "./c.js"`.
  for (const m of code.matchAll(/(?:^|[;\n}])\s*(?:import|export)\s*(?:[^'"();]*?from\s*)?["']([^"']+\.js)["']/g)) {
    const dep = m[1].startsWith('/') ? join(dist, m[1]) : join(dirname(file), m[1]);
    total += jsClosure(dep, seen);
  }
  return total;
}

/** Bytes (gzip) of the lazy import()s of `file`'s closure that `seen` has not counted yet. */
function lazyClosure(file, seen) {
  const lazy = new Set();
  const visit = (f, done) => {
    if (done.has(f) || !existsSync(f)) return;
    done.add(f);
    const code = readFileSync(f, 'utf8');
    for (const m of code.matchAll(/import\(\s*["']([^"']+\.js)["']\s*\)/g)) lazy.add(m[1].startsWith('/') ? join(dist, m[1]) : join(dirname(f), m[1]));
    for (const m of code.matchAll(/(?:^|[;\n}])\s*(?:import|export)\s*(?:[^'"();]*?from\s*)?["']([^"']+\.js)["']/g)) {
      visit(m[1].startsWith('/') ? join(dist, m[1]) : join(dirname(f), m[1]), done);
    }
  };
  visit(file, new Set());
  let total = 0;
  const counted = new Set(seen);
  for (const f of lazy) total += jsClosure(f, counted);
  // The worker is a separate file the lazy chunks name with new URL("…", import.meta.url).
  for (const f of [...counted].filter((x) => !seen.has(x))) {
    for (const m of readFileSync(f, 'utf8').matchAll(/new URL\(\s*["']([^"']+\.js)["']\s*,\s*import\.meta\.url\)/g)) {
      total += jsClosure(m[1].startsWith('/') ? join(dist, m[1]) : join(dirname(f), m[1]), counted);
    }
  }
  return total;
}

function pageReport(htmlFile) {
  const html = readFileSync(htmlFile, 'utf8');
  const seen = new Set();
  let js = 0;
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
    const src = m[1].match(/\ssrc="([^"]+)"/)?.[1];
    if (src) js += src.startsWith('/') ? jsClosure(join(dist, src), seen) : 0;
    else js += gz(Buffer.from(m[2]));
  }
  for (const m of html.matchAll(/<link\b[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)) js += jsClosure(join(dist, m[1]), seen);
  // Astro islands load their component and renderer on hydration.
  const islands = [...html.matchAll(/<astro-island\b[^>]*\scomponent-url="([^"]+)"[^>]*\srenderer-url="([^"]+)"/g)];
  for (const m of islands) js += jsClosure(join(dist, m[1]), seen) + jsClosure(join(dist, m[2]), seen);
  const liveBlocks = (html.match(/<section\b[^>]*class="live-block"/g) ?? []).length;
  const liveIsland = islands.find((m) => /\/LiveTerminal\.[^/]*\.js$/.test(m[1]));
  const onActivation = liveIsland ? lazyClosure(join(dist, liveIsland[1]), seen) : 0;
  // What the page loads from elsewhere: scripts, styles, fonts, icons, images (a canonical
  // link or a plain <a href> is not a load).
  const loads = [
    ...[...html.matchAll(/<(?:script|img|iframe|source)\b[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]),
    ...[...html.matchAll(/<link\b([^>]*)>/g)]
      .filter((m) => /\srel="(?:stylesheet|preload|modulepreload|icon|manifest|prefetch)"/.test(m[1]))
      .map((m) => m[1].match(/\shref="([^"]+)"/)?.[1] ?? ''),
  ];
  for (const m of html.matchAll(/<link\b[^>]*rel="stylesheet"[^>]*href="(\/[^"]+)"/g)) {
    const css = readFileSync(join(dist, m[1]), 'utf8');
    for (const u of css.matchAll(/url\((["']?)([^)"']+)\1\)/g)) loads.push(u[2]);
  }
  const foreign = loads.filter((u) => /^(?:https?:)?\/\//.test(u));
  return { page: '/' + relative(dist, htmlFile).replace(/index\.html$/, ''), jsGzipBytes: js, foreignAssets: foreign, liveBlocks, onActivationJsGzipBytes: onActivation };
}

function walk(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.name.endsWith('.html')) out.push(p);
  }
  return out;
}

const pages = walk(dist).map(pageReport).sort((a, b) => a.page.localeCompare(b.page));
const lessons = pages.filter((p) => /^\/lessons\/[^/]+\/$/.test(p.page));
// Issue #7: a lesson page ships at most 30 KB gzip of JS until a live block is activated.
const LESSON_BUDGET = 30 * 1024;
const BUILD_BUDGET = 60;
const report = {
  budgets: {
    lessonPageJsGzipBytes: {
      budget: LESSON_BUDGET,
      worst: Math.max(0, ...lessons.map((p) => p.jsGzipBytes)),
      ok: lessons.every((p) => p.jsGzipBytes <= LESSON_BUDGET),
      perPage: lessons.map((p) => ({ page: p.page, jsGzipBytes: p.jsGzipBytes, liveBlocks: p.liveBlocks, onActivationJsGzipBytes: p.onActivationJsGzipBytes, ok: p.jsGzipBytes <= LESSON_BUDGET })),
    },
    foreignAssets: { budget: 0, found: pages.flatMap((p) => p.foreignAssets), ok: pages.every((p) => p.foreignAssets.length === 0) },
    buildSeconds: { budget: BUILD_BUDGET, measured: buildSeconds, ok: buildSeconds === null || buildSeconds < BUILD_BUDGET },
  },
  pages,
};
console.log(JSON.stringify(report, null, 2));
if (!Object.values(report.budgets).every((b) => b.ok)) process.exit(1);
