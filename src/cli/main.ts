/**
 * `clusterpath` command line (DESIGN.md §4):
 *   clusterpath run [-f PATH]... [-c 'LINE']... [--script FILE] [--lab SLUG] [--seed N] [--echo] [--trace]
 *   clusterpath lab verify [SLUG]...
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadLab } from '../lab/files';
import { runSession, type Terminal } from './run';
import { verifyLabs } from './verify';

const USAGE = `Usage:
  clusterpath run [-f PATH]... [-c 'LINE']... [--script FILE] [--lab SLUG] [--seed N] [--echo] [--trace]
  clusterpath lab verify [-v] [SLUG]...

Run command lines against a fresh emulated cluster, as if typed at the browser terminal.

Options for run:
  -f, --filename PATH   apply a YAML file or every *.yaml/*.yml/*.json in a folder first (repeatable)
  -c, --command LINE    a line to type (repeatable; runs in order with --script lines)
      --script FILE     a file of lines to type, one per line (# comments and blank lines skipped)
      --lab SLUG        start from a lab's setup
      --seed N          seed for names and IPs (default 1)
      --echo            print the prompt and each line before its output
      --trace           after each line, print the Trace of every connection it made
                        (DNS queries included) to stderr; format: docs/trace.md

lab verify checks each lab (all under labs/ when none is named): no task may hold before
its solution runs, and every task must hold after it. -v prints every check and the
solution's output.
`;

/** Collect manifests from a file or a folder (sorted, like kubectl apply -f DIR). */
export function readManifests(path: string): { text: string; source: string }[] {
  const st = statSync(path);
  if (!st.isDirectory()) return [{ text: readFileSync(path, 'utf8'), source: path }];
  return readdirSync(path)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort()
    .map((f) => ({ text: readFileSync(join(path, f), 'utf8'), source: join(path, f) }));
}

export async function main(argv: string[], term: Terminal): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    term.out(USAGE);
    return cmd === undefined ? 2 : 0;
  }
  if (cmd === 'lab') return labCommand(rest, term);
  if (cmd !== 'run') {
    term.err(`clusterpath: unknown command "${cmd}"\n${USAGE}`);
    return 2;
  }
  const manifests: { text: string; source: string }[] = [];
  const lines: string[] = [];
  let seed = 1;
  let echo = false;
  let trace = false;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    const value = (): string | undefined => {
      const eq = a.indexOf('=');
      if (a.startsWith('--') && eq !== -1) return a.slice(eq + 1);
      return rest[++i];
    };
    const name = a.startsWith('--') && a.includes('=') ? a.slice(0, a.indexOf('=')) : a;
    switch (name) {
      case '-f':
      case '--filename': {
        const p = value();
        if (p === undefined) return missing(term, a);
        try {
          manifests.push(...readManifests(p));
        } catch {
          term.err(`clusterpath: cannot read ${p}\n`);
          return 2;
        }
        break;
      }
      case '-c':
      case '--command': {
        const l = value();
        if (l === undefined) return missing(term, a);
        lines.push(l);
        break;
      }
      case '--script': {
        const p = value();
        if (p === undefined) return missing(term, a);
        try {
          lines.push(...scriptLines(readFileSync(p, 'utf8')));
        } catch {
          term.err(`clusterpath: cannot read ${p}\n`);
          return 2;
        }
        break;
      }
      case '--seed': {
        const v = value();
        if (v === undefined || !/^\d+$/.test(v)) {
          term.err(`clusterpath: --seed needs a whole number\n`);
          return 2;
        }
        seed = Number(v);
        break;
      }
      case '--echo':
        echo = true;
        break;
      case '--lab': {
        const slug = value();
        if (slug === undefined) return missing(term, a);
        const loaded = loadLab(slug);
        if (!loaded.ok) {
          term.err(`clusterpath: ${loaded.error}\n`);
          return 2;
        }
        // The lab's cluster comes first; -f files given as well are applied after it.
        manifests.unshift(...loaded.manifests);
        break;
      }
      case '--trace':
        trace = true;
        break;
      case '-h':
      case '--help':
        term.out(USAGE);
        return 0;
      default:
        term.err(`clusterpath: unknown option ${a}\n${USAGE}`);
        return 2;
    }
  }
  return runSession({ manifests, lines, seed, echo, trace }, term);
}

async function labCommand(argv: string[], term: Terminal): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'verify') {
    term.err(sub === undefined ? `clusterpath: lab needs a subcommand: verify\n` : `clusterpath: unknown lab subcommand "${sub}" (known: verify)\n`);
    return 2;
  }
  const slugs: string[] = [];
  let verbose = false;
  for (const a of rest) {
    if (a === '-v' || a === '--verbose') verbose = true;
    else if (a === '-h' || a === '--help') {
      term.out(USAGE);
      return 0;
    } else if (a.startsWith('-')) {
      term.err(`clusterpath: unknown option ${a}\n${USAGE}`);
      return 2;
    } else slugs.push(a);
  }
  return verifyLabs(slugs, term, { verbose });
}

function missing(term: Terminal, flag: string): number {
  term.err(`clusterpath: ${flag} needs a value\n`);
  return 2;
}

/** A script holds one line per line; a trailing backslash continues it, as in bash. */
export function scriptLines(text: string): string[] {
  const out: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    if (raw.endsWith('\\')) {
      pending += raw.slice(0, -1);
      continue;
    }
    const line = pending + raw;
    pending = '';
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    out.push(line);
  }
  return out;
}
