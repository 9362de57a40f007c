/**
 * Answers the terminal's completion questions from the live session and cluster, in the
 * worker. The grammar (which word is what) lives in src/terminal/completion.ts; here we only
 * say what exists, asking the shell itself where we can: `compgen` for files, kubectl's own
 * `--help` for verbs and flags, `kubectl get -o name` for object names (so the context's
 * namespace and the place the learner is in count, as with kubectl's real completion).
 */
import type { Cluster } from '../engine';
import type { Session } from '../shell';
import type { CompletionQuery } from './protocol';

/** Bash builtins a learner types; the rest of the commands are files in /bin and /usr/bin. */
const BUILTINS = ['alias', 'cd', 'echo', 'exit', 'export', 'history', 'printf', 'pwd', 'read', 'set', 'source', 'test', 'type', 'unset'];
/** kubectl's global flags (`kubectl options`), offered with every verb. */
const GLOBAL_FLAGS = ['--cluster', '--context', '--help', '--kubeconfig', '--namespace', '--request-timeout', '--server', '--user', '-n', '-s', '-v'];

const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

export class Completer {
  readonly #cache = new Map<string, string[]>();
  constructor(
    private readonly session: Session,
    private readonly cluster: Cluster,
  ) {}

  async answer(q: CompletionQuery): Promise<string[]> {
    switch (q.kind) {
      case 'commands': {
        const r = await this.session.run('ls /bin /usr/bin 2>/dev/null');
        const files = r.stdout.split('\n').filter((l) => l !== '' && !l.endsWith(':'));
        return [...new Set([...files, ...BUILTINS])].sort();
      }
      case 'files':
        return this.#files(q.prefix);
      case 'kubectl-verbs':
        return this.#cached('verbs', async () => {
          const r = await this.session.run('kubectl --help');
          // Sections list `  verb   Description`; options and usage lines do not match.
          return [...r.stdout.matchAll(/^ {2}([a-z][a-z-]*) {2,}\S/gm)].map((m) => m[1]!).sort();
        });
      case 'kubectl-flags': {
        const verb = q.verb && NAME.test(q.verb) ? q.verb : '';
        return this.#cached(`flags ${verb}`, async () => {
          const r = verb ? await this.session.run(`kubectl ${verb} --help`) : { stdout: '' };
          const flags = [...r.stdout.matchAll(/^\s+(?:(-[A-Za-z]), )?(--[a-z][a-z0-9-]*)=/gm)].flatMap((m) => (m[1] ? [m[1], m[2]!] : [m[2]!]));
          return [...new Set([...flags, ...GLOBAL_FLAGS])].sort();
        });
      }
      case 'resources':
        return this.cluster.resources.map((r) => r.name).sort();
      case 'names': {
        if (!NAME.test(q.resource) || (q.namespace !== undefined && q.namespace !== '*' && !NAME.test(q.namespace))) return [];
        const ns = q.namespace === '*' ? ' -A' : q.namespace ? ` -n ${q.namespace}` : '';
        const r = await this.session.run(`kubectl get ${q.resource}${ns} -o name`);
        return [...new Set(r.stdout.split('\n').filter(Boolean).map((l) => l.slice(l.indexOf('/') + 1)))].sort();
      }
      case 'nodes': {
        const r = this.cluster.list('Node');
        return r.ok ? r.value.map((n) => n.metadata.name) : [];
      }
    }
  }

  async #cached(key: string, fn: () => Promise<string[]>): Promise<string[]> {
    const hit = this.#cache.get(key);
    if (hit) return hit;
    const value = await fn();
    this.#cache.set(key, value);
    return value;
  }

  /** Paths under `prefix` (`~/` expanded and given back), directories with a trailing `/`. */
  async #files(prefix: string): Promise<string[]> {
    const tilde = prefix === '~' || prefix.startsWith('~/');
    const path = tilde ? prefix.slice(1) : prefix;
    const arg = (tilde ? '"$HOME"' : '') + shellQuote(path);
    const r = await this.session.run(`compgen -f -- ${arg}; echo; compgen -d -- ${arg}`);
    const [files = '', dirs = ''] = r.stdout.split(/^\n/m);
    const dirSet = new Set(dirs.split('\n').filter(Boolean));
    const home = tilde ? (await this.session.run('echo "$HOME"')).stdout.trim() : '';
    return files
      .split('\n')
      .filter(Boolean)
      .map((f) => (tilde && f.startsWith(home) ? '~' + f.slice(home.length) : f) + (dirSet.has(f) ? '/' : ''));
  }
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
