// `npm test`: every test, in order — type checks, unit tests, build, browser tests —
// then one closing line with the totals. Stops at the first failing step.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { CHROMIUM_HELP, chromiumPath } from './chromium.mjs';

if (!chromiumPath()) {
  console.error(CHROMIUM_HELP);
  process.exit(1);
}
mkdirSync('test-results', { recursive: true });
// Totals come from these reports; never count a previous run's.
for (const f of ['test-results/vitest.json', 'test-results/playwright.json', 'test-results/labs.txt']) rmSync(f, { force: true });

const steps = [
  ['type check (astro check)', 'npx', ['astro', 'check']],
  ['type check (tsc, whole project)', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']],
  ['type check (tsc, engine without DOM or node types)', 'npx', ['tsc', '--noEmit', '-p', 'src/engine/tsconfig.json']],
  ['unit and transcript tests (vitest)', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/vitest.json']],
  // Each lab: no task holds before its solution, every task holds after it. Counted per lab.
  ['labs (clusterpath lab verify)', 'npx', ['clusterpath', 'lab', 'verify'], 'test-results/labs.txt'],
  ['build', 'npm', ['run', 'build']],
  ['browser tests (playwright)', 'npx', ['playwright', 'test']],
];

for (const [name, cmd, args, report] of steps) {
  if (name.includes('engine') && !existsSync('src/engine/tsconfig.json')) continue;
  console.log(`\n▶ ${name}`);
  // A step with a report file: its stdout is shown and also kept for the totals.
  const r = spawnSync(cmd, args, { stdio: ['inherit', report ? 'pipe' : 'inherit', 'inherit'], encoding: 'utf8' });
  if (report) {
    process.stdout.write(r.stdout ?? '');
    writeFileSync(report, r.stdout ?? '');
  }
  if (r.status !== 0) {
    console.error(`\n✗ ${name} failed (exit ${r.status ?? r.signal})`);
    summary();
    process.exit(1);
  }
}
summary();

/** One closing line over vitest, the labs and playwright: "N passed, N failed". */
function summary() {
  let passed = 0;
  let failed = 0;
  try {
    const v = JSON.parse(readFileSync('test-results/vitest.json', 'utf8'));
    passed += v.numPassedTests;
    failed += v.numFailedTests;
  } catch {}
  try {
    // The closing line of `clusterpath lab verify` (src/cli/verify.ts SUMMARY_RE).
    const m = /^lab verify: (\d+) passed, (\d+) failed$/m.exec(readFileSync('test-results/labs.txt', 'utf8'));
    if (m) {
      passed += Number(m[1]);
      failed += Number(m[2]);
    }
  } catch {}
  try {
    const p = JSON.parse(readFileSync('test-results/playwright.json', 'utf8'));
    passed += p.stats.expected;
    failed += p.stats.unexpected + p.stats.flaky;
  } catch {}
  console.log(`\ntests: ${passed} passed, ${failed} failed`);
}
