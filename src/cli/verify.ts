/**
 * `clusterpath lab verify [SLUG]...` (DESIGN.md §4): for each lab, build its cluster as
 * `run --lab` does, check that NO task holds yet (a check that cannot fail is a defect), type
 * the solution lines, and check that EVERY task holds. One report block per lab, a closing
 * line with the totals (scripts/test.mjs reads it), exit 1 when any lab fails.
 */
import { createCluster, formatKubectlError } from '../engine';
import { evaluateTasks, type CheckEnv, type TaskResult } from '../lab/checks';
import { LABS_DIR, labSlugs, loadLab } from '../lab/files';
import { createSession, groupLines, terminalParts } from '../shell';
import type { Terminal } from './run';

export interface VerifyOptions {
  /** Print each solution line with its output. */
  verbose?: boolean;
  /** Where the labs live (tests point this elsewhere). */
  dir?: string;
  seed?: number;
}

/** The closing line, `lab verify: N passed, M failed`; scripts/test.mjs parses it. */
export const SUMMARY_RE = /^lab verify: (\d+) passed, (\d+) failed$/m;

export async function verifyLabs(slugs: string[], term: Terminal, opts: VerifyOptions = {}): Promise<number> {
  const dir = opts.dir ?? LABS_DIR;
  const list = slugs.length ? slugs : labSlugs(dir);
  let passed = 0;
  let failed = 0;
  for (const slug of list) {
    if (await verifyLab(slug, term, dir, opts)) passed++;
    else failed++;
  }
  term.out(`lab verify: ${passed} passed, ${failed} failed\n`);
  return failed ? 1 : 0;
}

async function verifyLab(slug: string, term: Terminal, dir: string, opts: VerifyOptions): Promise<boolean> {
  const loaded = loadLab(slug, dir);
  if (!loaded.ok) {
    term.out(`FAIL ${slug}: ${loaded.error}\n`);
    return false;
  }
  const { lab, manifests } = loaded;
  const problems: string[] = [];
  const lines: string[] = [];
  const cluster = createCluster({ seed: opts.seed ?? 1, manifests });
  for (const r of cluster.setupResults) {
    if (!r.ok) problems.push(`setup: ${formatKubectlError(r.error, { verb: 'creating', ...(r.name ? { name: r.name } : {}), ...(r.namespace ? { namespace: r.namespace } : {}) })}`);
  }
  const session = createSession({ cluster });
  const env: CheckEnv = {
    cluster,
    readFile: async (p) => ((await session.fs.exists(p)) ? session.fs.readFile(p) : undefined),
  };

  lines.push('  before the solution (every task must be open):');
  const before = await evaluateTasks(env, lab.tasks);
  for (const t of before) {
    if (t.done) problems.push(`task ${t.id} already holds before the solution: its checks cannot fail`);
    lines.push(taskLine(t, !t.done, t.done ? 'holds already' : 'open'));
  }

  lines.push(`  solution (${lab.solution.length} line${lab.solution.length === 1 ? '' : 's'}):`);
  for (const line of groupLines(lab.solution)) {
    const r = await session.run(line);
    lines.push(`    $ ${line.replace(/\n/g, '\n    > ')}${r.exitCode ? `   [exit ${r.exitCode}]` : ''}`);
    if (opts.verbose) {
      const p = terminalParts(r);
      const text = p.before + p.stdout + p.after;
      if (text) lines.push(text.replace(/\n$/, '').split('\n').map((l) => `      ${l}`).join('\n'));
    }
  }
  for (const bug of session.bugs) problems.push(`a command threw (a bug): ${bug.split('\n')[0]}`);

  lines.push('  after the solution (every task must be done):');
  const after = await evaluateTasks(env, lab.tasks);
  for (const t of after) {
    if (!t.done) problems.push(`task ${t.id} does not hold after the solution`);
    lines.push(taskLine(t, t.done, t.done ? 'done' : 'NOT DONE'));
  }

  const ok = problems.length === 0;
  term.out(`${ok ? 'PASS' : 'FAIL'} ${slug} (${lab.tasks.length} task${lab.tasks.length === 1 ? '' : 's'})\n`);
  if (!ok || opts.verbose) term.out(lines.join('\n') + '\n');
  for (const p of problems) term.out(`  ✗ ${p}\n`);
  return ok;
}

function taskLine(t: TaskResult, good: boolean, state: string): string {
  const checks = t.checks.map((c) => `      ${c.ok ? '✓' : '·'} ${c.summary}`).join('\n');
  return `    ${good ? 'ok  ' : 'BAD '} ${t.id}: ${state}\n${checks}`;
}
