/**
 * `clusterpath run`: build the default cluster (fixed clock, seeded), apply every -f, then run
 * each line as if typed at the browser terminal's first prompt, writing what the terminal
 * would show. Exit status is the last command's.
 */
import type { ApplyResult } from '../engine';
import { createCluster, formatKubectlError, formatTrace, type Trace } from '../engine';
import { createSession, groupLines, terminalParts } from '../shell';

export interface RunOptions {
  /** Manifest texts with the file they came from, in the order given. */
  manifests: { text: string; source: string }[];
  /** Lines to type (a line may hold several physical lines, e.g. a here-document). */
  lines: string[];
  seed: number;
  echo: boolean;
  /** Print each line's connection Traces after its output (on stderr). */
  trace?: boolean;
  /** Files for the workstation's file system before the first line. */
  files?: Record<string, string>;
}

export interface Terminal {
  out(text: string): void;
  err(text: string): void;
  /** Called after each line has run (transcript tests use it to split the output). */
  lineDone?(exitCode: number): void;
}

export async function runSession(opts: RunOptions, term: Terminal): Promise<number> {
  const cluster = createCluster({ seed: opts.seed, manifests: opts.manifests });
  for (const r of cluster.setupResults) if (!r.ok) term.err(setupError(r, opts.manifests));
  const session = createSession({ cluster, interactive: false, ...(opts.files ? { files: opts.files } : {}) });
  let code = 0;
  const traces: Trace[] = [];
  if (opts.trace) cluster.onTrace((t) => void traces.push(t));
  // As at a terminal: a here-document typed line by line is one command (bash's "> " prompt).
  for (const line of groupLines(opts.lines)) {
    if (opts.echo) term.out(session.prompt() + line.replace(/\n/g, '\n> ') + '\n');
    const r = await session.run(line);
    // Keep the streams apart for shell users (2>/dev/null), written in terminal order.
    const parts = terminalParts(r);
    term.err(parts.before);
    term.out(parts.stdout);
    term.err(parts.after);
    if (traces.length) term.err(traces.splice(0).map(formatTrace).join(''));
    code = r.exitCode;
    term.lineDone?.(code);
  }
  return code;
}

function setupError(r: Extract<ApplyResult, { ok: false }>, manifests: RunOptions['manifests']): string {
  const source = manifests.length === 1 ? manifests[0]!.source : undefined;
  return formatKubectlError(r.error, { verb: 'creating', ...(source ? { source } : {}), ...(r.name ? { name: r.name } : {}), ...(r.namespace ? { namespace: r.namespace } : {}) }) + '\n';
}
