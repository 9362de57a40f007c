/**
 * Tab completion, bash-style: one match completes (and adds a space), several complete their
 * common prefix, and a second Tab lists them. This module only knows the *grammar* (which word
 * is a command, a kubectl verb, a resource type, an object name, a flag or a file); what exists
 * comes from a CompletionSource, which the lab page answers from the cluster in its worker.
 */

/** What the terminal may ask about; the worker answers each with a list of words. */
export type CompletionQuery =
  | { kind: 'commands' }
  /** Paths starting with `prefix` (relative to the shell's cwd); directories end in `/`. */
  | { kind: 'files'; prefix: string }
  | { kind: 'kubectl-verbs' }
  /** Flags of `kubectl VERB` (and kubectl's global ones), e.g. `--namespace`, `-A`. */
  | { kind: 'kubectl-flags'; verb?: string | undefined }
  /** Resource types as kubectl names them (plural: `pods`, `services`, `deployments`). */
  | { kind: 'resources' }
  /** Object names of a type; namespace undefined = the context's; `*` = all namespaces. */
  | { kind: 'names'; resource: string; namespace?: string | undefined }
  | { kind: 'nodes' };

export type CompletionSource = (q: CompletionQuery) => Promise<string[]>;

/** The word under the cursor and the simple command it belongs to. */
export interface ParsedLine {
  /** Finished words of the current simple command (unquoted), before the one being typed. */
  words: string[];
  /** The word being completed, unquoted, up to the cursor. */
  current: string;
  /** Index in the line where the current word starts. */
  start: number;
  /** Open quote of the current word, if any. */
  quote: "'" | '"' | undefined;
  /** The word follows a redirection (`>`, `<`): a file name. */
  redirect: boolean;
}

/** Splits the line up to the cursor the way bash does for completion (quotes, escapes, `|;&`). */
export function parseLine(line: string, cursor: number): ParsedLine {
  const text = line.slice(0, cursor);
  let words: string[] = [];
  let cur = '';
  let inWord = false;
  let start = 0;
  let quote: "'" | '"' | undefined;
  let redirect = false;
  let pendingRedirect = false;
  const endWord = () => {
    if (inWord) {
      if (pendingRedirect) pendingRedirect = false;
      else words.push(cur);
    }
    cur = '';
    inWord = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else cur += c;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && i + 1 < text.length && /["\\$`]/.test(text[i + 1]!)) cur += text[++i]!;
      else cur += c;
      continue;
    }
    if (c === '\\') {
      if (!inWord) start = i;
      inWord = true;
      if (i + 1 < text.length) cur += text[++i]!;
      continue;
    }
    if (c === "'" || c === '"') {
      if (!inWord) start = i;
      inWord = true;
      quote = c;
      continue;
    }
    if (/\s/.test(c)) {
      endWord();
      continue;
    }
    if (/[|;&()`]/.test(c) || (c === '$' && text[i + 1] === '(')) {
      endWord();
      words = [];
      pendingRedirect = false;
      if (c === '$') i++;
      continue;
    }
    if (c === '<' || c === '>') {
      endWord();
      pendingRedirect = true;
      continue;
    }
    if (!inWord) start = i;
    inWord = true;
    cur += c;
  }
  if (!inWord) start = cursor;
  redirect = pendingRedirect;
  return { words, current: cur, start, quote, redirect };
}

/** Verbs whose first argument is a resource type (or TYPE/NAME) and later ones its names. */
const TYPE_VERBS = new Set(['get', 'describe', 'delete', 'edit', 'label', 'annotate', 'patch', 'scale', 'expose', 'wait', 'autoscale', 'explain']);
/** Verbs whose arguments are pods. */
const POD_VERBS = new Set(['logs', 'exec', 'attach', 'port-forward', 'cp', 'debug']);
/** Verbs whose arguments are nodes. */
const NODE_VERBS = new Set(['cordon', 'uncordon', 'drain', 'taint']);
const SUBCOMMANDS: Record<string, string[]> = {
  rollout: ['history', 'pause', 'restart', 'resume', 'status', 'undo'],
  config: ['current-context', 'get-contexts', 'set-context', 'use-context', 'view'],
  create: ['configmap', 'deployment', 'job', 'namespace', 'secret', 'service', 'serviceaccount'],
  top: ['node', 'pod'],
  set: ['env', 'image', 'resources', 'selector', 'serviceaccount'],
};
/** Rollout works on these kinds only (kubectl rollout --help). */
const ROLLOUT_TYPES = ['daemonset', 'deployment', 'statefulset'];
/** `-o` values kubectl accepts. */
const OUTPUTS = ['custom-columns=', 'json', 'jsonpath=', 'name', 'wide', 'yaml'];
/** kubectl flags that take the next word as their value (when not written `--flag=value`). */
const VALUE_FLAGS = new Set([
  '-n', '--namespace', '-o', '--output', '-l', '--selector', '-f', '--filename', '-c', '--container',
  '--context', '--cluster', '--user', '--kubeconfig', '--field-selector', '-L', '--label-columns',
  '--sort-by', '--type', '-p', '--patch', '--image', '--replicas', '--port', '--target-port', '--name',
  '--timeout', '--for', '--template', '--grace-period', '--since', '--tail', '--overrides', '--env',
  '--labels', '--restart', '--protocol', '-s', '--server', '--to-revision', '--subresource',
]);

/**
 * The candidates for the word under the cursor (not yet filtered by what is typed), and
 * whether they are paths (a listing then shows only their last component, as bash does).
 */
export async function candidates(p: ParsedLine, source: CompletionSource): Promise<{ words: string[]; files: boolean }> {
  let files = false;
  const watched: CompletionSource = (q) => {
    if (q.kind === 'files') files = true;
    return source(q);
  };
  const words = await wordCandidates(p, watched);
  return { words, files };
}

async function wordCandidates(p: ParsedLine, source: CompletionSource): Promise<string[]> {
  const { words, current } = p;
  if (p.redirect) return source({ kind: 'files', prefix: current });
  if (words.length === 0) {
    if (current.includes('/')) return source({ kind: 'files', prefix: current });
    return source({ kind: 'commands' });
  }
  const cmd = words[0]!.split('/').pop()!;
  if (cmd === 'kubectl') return kubectlCandidates(words.slice(1), current, source);
  if (cmd === 'ssh' && !current.startsWith('-') && words.filter((w) => !w.startsWith('-')).length === 1) {
    return source({ kind: 'nodes' });
  }
  return source({ kind: 'files', prefix: current });
}

async function kubectlCandidates(args: string[], current: string, source: CompletionSource): Promise<string[]> {
  // Split the finished words into positionals and flags, noting the namespace flags.
  const positionals: string[] = [];
  let namespace: string | undefined;
  let prevFlag: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    if (w === '--') break;
    if (w.startsWith('-') && w !== '-') {
      const [name, value] = splitFlag(w);
      if (name === '-A' || name === '--all-namespaces') namespace = '*';
      if (value !== undefined) {
        if (name === '-n' || name === '--namespace') namespace = value;
        prevFlag = undefined;
      } else if (VALUE_FLAGS.has(name)) {
        if (i + 1 < args.length) {
          if (name === '-n' || name === '--namespace') namespace = args[i + 1];
          i++;
        } else prevFlag = name;
      }
      continue;
    }
    positionals.push(w);
  }
  const verb = positionals[0];
  // The value of a flag: `-n <TAB>`, `--output=<TAB>`.
  const flagValue = async (flag: string): Promise<string[] | undefined> => {
    if (flag === '-n' || flag === '--namespace') return source({ kind: 'names', resource: 'namespaces' });
    if (flag === '-o' || flag === '--output') return OUTPUTS;
    if (flag === '-f' || flag === '--filename') return source({ kind: 'files', prefix: current.replace(/^--?[a-z-]+=/, '') });
    if (flag === '-c' || flag === '--container') return [];
    return VALUE_FLAGS.has(flag) ? [] : undefined;
  };
  if (prevFlag) return (await flagValue(prevFlag)) ?? [];
  if (current.startsWith('-')) {
    const [name, value] = splitFlag(current);
    if (value !== undefined) {
      const values = (await flagValue(name)) ?? [];
      return values.map((v) => `${name}=${v}`);
    }
    return source({ kind: 'kubectl-flags', verb });
  }
  if (verb === undefined) return source({ kind: 'kubectl-verbs' });
  const rest = positionals.slice(1);
  const names = (resource: string) => source({ kind: 'names', resource, namespace });
  if (verb in SUBCOMMANDS) {
    if (rest.length === 0) return SUBCOMMANDS[verb]!;
    if (verb === 'rollout') {
      if (rest.length === 1) return typeOrTypeName(current, ROLLOUT_TYPES, names);
      return names(rest[1]!.split('/')[0]!);
    }
    if (verb === 'top') return names(rest[0] === 'node' ? 'nodes' : 'pods');
    if (verb === 'config' && rest[0] === 'use-context') return ['kind-kind'];
    if (verb === 'set' && rest.length === 1) return typeOrTypeName(current, await source({ kind: 'resources' }), names);
    return [];
  }
  if (TYPE_VERBS.has(verb)) {
    if (rest.length === 0) return typeOrTypeName(current, await source({ kind: 'resources' }), names);
    if (verb === 'explain') return [];
    // After TYPE come names of that type; after TYPE/NAME, more TYPE/NAMEs.
    if (rest[0]!.includes('/')) return typeOrTypeName(current, [], names);
    return names(rest[0]!);
  }
  if (POD_VERBS.has(verb)) {
    // exec/logs take one pod; after it come commands or containers.
    if (rest.length === 0) return typeOrTypeName(current, [], names, 'pods');
    return [];
  }
  if (NODE_VERBS.has(verb)) return names('nodes');
  if (verb === 'apply' || verb === 'replace' || verb === 'diff') return [];
  return [];
}

/** `TYPE` or, once a `/` is typed, `TYPE/NAME` with names of that type. */
async function typeOrTypeName(
  current: string,
  types: string[],
  names: (resource: string) => Promise<string[]>,
  bareNamesOf?: string,
): Promise<string[]> {
  const slash = current.indexOf('/');
  if (slash >= 0) {
    const type = current.slice(0, slash);
    return (await names(type)).map((n) => `${type}/${n}`);
  }
  if (bareNamesOf) return names(bareNamesOf);
  return types;
}

function splitFlag(w: string): [string, string | undefined] {
  const eq = w.indexOf('=');
  return eq > 0 && w.startsWith('--') ? [w.slice(0, eq), w.slice(eq + 1)] : [w, undefined];
}

export interface Completion {
  /** The new line and cursor; unchanged when there is nothing to insert. */
  line: string;
  cursor: number;
  /** The matches, when there are several (shown on a second Tab). */
  matches: string[];
}

/**
 * What Tab does to `line`: fills in the single match (closing an open quote and adding a
 * space, except after a directory's `/` or an option's `=`), or the longest common prefix.
 */
export function applyCompletion(line: string, cursor: number, p: ParsedLine, all: readonly string[]): Completion {
  const matches = [...new Set(all.filter((c) => c.startsWith(p.current)))].sort();
  const none = { line, cursor, matches };
  if (matches.length === 0) return none;
  const prefix = matches.length === 1 ? matches[0]! : commonPrefix(matches);
  let insert = quoteFor(prefix.slice(p.current.length), p.quote);
  if (matches.length === 1 && !/[/=]$/.test(prefix)) insert += (p.quote ?? '') + ' ';
  if (insert === '') return none;
  return { line: line.slice(0, cursor) + insert + line.slice(cursor), cursor: cursor + insert.length, matches: matches.length === 1 ? [] : matches };
}

/** Escapes what bash would need escaped outside quotes (inside quotes, only the quote itself). */
function quoteFor(s: string, quote: "'" | '"' | undefined): string {
  if (quote === "'") return s.replace(/'/g, `'\\''`);
  if (quote === '"') return s.replace(/(["\\$`])/g, '\\$1');
  return s.replace(/([\s'"\\$`|&;()<>*?#!{}[\]])/g, '\\$1');
}

export function commonPrefix(words: readonly string[]): string {
  if (words.length === 0) return '';
  let p = words[0]!;
  for (const w of words) {
    let i = 0;
    while (i < p.length && i < w.length && p[i] === w[i]) i++;
    p = p.slice(0, i);
  }
  return p;
}

/**
 * The listing bash prints on a second Tab: sorted down the columns, two spaces apart,
 * as wide as the terminal allows. File matches show their last path component only.
 */
export function formatMatches(matches: readonly string[], cols: number, files = false): string {
  const shown = files ? matches.map((m) => m.replace(/^.*\/(?=[^/]+\/?$)/, '')) : [...matches];
  const width = Math.max(...shown.map((s) => s.length)) + 2;
  const ncols = Math.max(1, Math.floor((cols + 2) / width));
  const nrows = Math.ceil(shown.length / ncols);
  const lines: string[] = [];
  for (let r = 0; r < nrows; r++) {
    let line = '';
    for (let c = 0; c < ncols; c++) {
      const s = shown[c * nrows + r];
      if (s === undefined) continue;
      line += c === ncols - 1 || shown[(c + 1) * nrows + r] === undefined ? s : s.padEnd(width);
    }
    lines.push(line);
  }
  return lines.join('\n') + '\n';
}
