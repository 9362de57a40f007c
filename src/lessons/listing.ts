/**
 * Engine listings: build a scenario's cluster and type command lines at its first prompt,
 * exactly as `clusterpath run --echo` does (src/cli/run.ts), and keep the terminal's text.
 * Lesson pages render these at build time, and tests/lessons.test.ts checks that the lines a
 * lesson's prose quotes are still in them, so a listing can never drift from the engine.
 */
import { createCluster, formatKubectlError } from '../engine';
import { createSession, groupLines, terminalText } from '../shell';

export interface ListingStep {
  /** The prompt the line was typed at (it changes after `ssh worker`). */
  prompt: string;
  line: string;
  output: string;
  exitCode: number;
}

export interface Listing {
  steps: ListingStep[];
  /** Prompt + line + output for every step: what the terminal shows. */
  text: string;
}

/** The seed every lesson scenario uses unless a block names another (pod names, IPs). */
export const DEFAULT_SEED = 1;

const memo = new Map<string, Promise<Listing>>();

/**
 * Runs `lines` on a fresh cluster built from `manifests`. The same inputs give the same
 * listing (seeded PRNG, fixed clock), so results are memoised for the build.
 */
export function runListing(manifests: { text: string; source: string }[], lines: string[], seed = DEFAULT_SEED): Promise<Listing> {
  const key = JSON.stringify([manifests, lines, seed]);
  let hit = memo.get(key);
  if (!hit) {
    hit = run(manifests, lines, seed);
    memo.set(key, hit);
  }
  return hit;
}

async function run(manifests: { text: string; source: string }[], lines: string[], seed: number): Promise<Listing> {
  const cluster = createCluster({ seed, manifests });
  const failed = cluster.setupResults.filter((r) => !r.ok);
  if (failed.length > 0) {
    // An author's broken manifest must fail the build, not print a half-built cluster.
    const why = failed.map((r) => (r.ok ? '' : formatKubectlError(r.error, { verb: 'creating', ...(r.name ? { name: r.name } : {}) }))).join('\n');
    throw new Error(`scenario setup failed:\n${why}`);
  }
  const session = createSession({ cluster, interactive: false });
  const steps: ListingStep[] = [];
  for (const line of groupLines(lines)) {
    const prompt = session.prompt();
    const r = await session.run(line);
    steps.push({ prompt, line, output: terminalText(r), exitCode: r.exitCode });
  }
  const text = steps.map((s) => s.prompt + s.line.replace(/\n/g, '\n> ') + '\n' + s.output).join('');
  return { steps, text };
}
