// `npm run bench`: runs every *.bench.ts with vitest's bench runner and prints one JSON
// report. A benchmark states its budget in its name, "… (budget 50 ms)", so the figure and
// the limit travel together; the report compares the median with it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';

mkdirSync('bench-results', { recursive: true });
const raw = 'bench-results/vitest-bench.json';
const args = ['vitest', 'bench', '--run', '--outputJson', raw, ...process.argv.slice(2)];
const run = spawnSync('npx', args, { stdio: ['ignore', 'ignore', 'inherit'] });
if (run.status !== 0) process.exit(run.status ?? 1);

const data = JSON.parse(readFileSync(raw, 'utf8'));
const results = [];
for (const file of data.files) {
  for (const group of file.groups) {
    for (const b of group.benchmarks) {
      const budget = b.name.match(/\(budget ([\d.,]+) ?(ms|s|µs)\)/);
      const budgetMs = budget ? Number(budget[1].replace(/,/g, '')) * { ms: 1, s: 1000, 'µs': 0.001 }[budget[2]] : null;
      results.push({
        name: b.name,
        file: file.filepath.replace(process.cwd() + '/', ''),
        samples: b.sampleCount ?? b.samples?.length,
        medianMs: round(b.median),
        meanMs: round(b.mean),
        p99Ms: round(b.p99),
        budgetMs,
        ok: budgetMs === null ? null : b.median <= budgetMs,
      });
    }
  }
}
const report = { date: new Date().toISOString(), node: process.version, results };
console.log(JSON.stringify(report, null, 2));
if (results.some((r) => r.ok === false)) process.exitCode = 1;

function round(x) {
  return x === undefined ? null : Math.round(x * 1000) / 1000;
}
