/**
 * The terminal device. just-bash hands a line's output back when the line ends; bash has each
 * command write to the tty while it runs. So before a line runs in the browser terminal its
 * syntax tree is rewritten: every command whose output reaches the terminal (each command of a
 * list or a loop's body, the last stage of a pipeline; never one inside `$(…)` or redirected
 * elsewhere) gets `>>/dev/tty 2>>/dev/tty` put before its own redirections, and the session's
 * file system passes what is written to /dev/tty to the terminal at once. just-bash writes a
 * redirected command's output when that command ends, so a list shows each command's output as
 * it finishes; our own commands (kubectl get -w, ping) are told through a marker on fd 255 that
 * their stdout is the terminal, and print as they go.
 *
 * What cannot stream: just-bash runs a pipeline's stages one after the other, each on the whole
 * output of the one before (executePipeline in src/interpreter/pipeline-execution.ts passes
 * `stdin` as one string), and after Ctrl-C it runs no further command. A pipeline's last stage
 * therefore prints when the stages before it have ended. For `kubectl get pods -w | grep web`,
 * the watch is marked as feeding a pipe, and on Ctrl-C the session runs the rest of the pipeline
 * on what the watch printed so far: what a `grep` reading a live pipe had printed by then.
 */
import { decodeBytesToUtf8, serialize, unsafeBytesFromLatin1, type CommandNode, type IFileSystem, type PipelineNode, type ScriptNode, type StatementNode, type WordNode } from 'just-bash';

/** The terminal, as every process on a Linux box can open it. */
export const TTY = '/dev/tty';

/** bash keeps its own descriptor to the terminal on fd 255; no script uses it, so it carries the marker. */
const MARK_FD = 255;

type Redirection = CommandNode['redirections'][number];

/** Where fd 1 and fd 2 go: true is the terminal. */
export interface Route {
  out: boolean;
  err: boolean;
}

/** The stages after a marked command in a pipeline that writes to the terminal (`grep web` in `kubectl get pods -w | grep web`). */
export interface PipeRest {
  /** The stages as a line to run. */
  script: string;
  /** They print each line as they read it (grep, sed, cut, tr, cat, tee, head), so by Ctrl-C they had shown their output so far. */
  streams: boolean;
}

/** What a command's fd 255 marker says: its stdout is the terminal (and its stderr too), or it feeds pipe `index`. */
export type TerminalMark = { kind: 'terminal'; stderr: boolean } | { kind: 'pipe'; index: number };

/**
 * Rewrites `script` (just-bash's tree for a line typed at the prompt) so its output reaches the
 * terminal as each command ends, and marks our commands (`commands`, the names a place has)
 * that write to the terminal or feed a pipe that does. Returns the marked pipes' rests.
 * `route` says which of the script's fd 1 and fd 2 are the terminal: both for a line typed at
 * the prompt; for a command run elsewhere (`kubectl exec POD -- CMD 2>/dev/null`), its caller's.
 */
export function toTerminal(script: ScriptNode, commands: ReadonlySet<string>, route: Route = { out: true, err: true }): PipeRest[] {
  const pipes: PipeRest[] = [];
  // A function of the same name shadows our command; its body's output is not marked.
  const defined = new Set<string>();
  collectFunctions(script.statements, defined);
  const ours = (c: CommandNode) => c.type === 'SimpleCommand' && c.name !== null && commands.has(literal(c.name) ?? '') && !defined.has(literal(c.name)!);

  const statements = (list: StatementNode[], route: Route) => {
    for (const s of list) if (!s.deferredError) for (const p of s.pipelines) pipeline(p, route);
  };

  const pipeline = (p: PipelineNode, route: Route) => {
    const n = p.commands.length;
    // The rests are taken before any stage is rewritten: they run again as typed.
    const rests = p.commands.map((c, i) => (route.out && i < n - 1 && ours(c) ? restOf(p, i + 1) : undefined));
    p.commands.forEach((c, i) => {
      const last = i === n - 1;
      const rest = rests[i];
      if (rest) {
        pipes.push(rest);
        mark(c, `pipe ${pipes.length - 1}`);
      }
      // A stage before the last writes into the pipe; its stderr still goes to the terminal (unless `|&`).
      command(c, last ? route : { out: false, err: route.err && !p.pipeStderr?.[i] }, !rest);
    });
  };

  const command = (c: CommandNode, route: Route, mayMark: boolean) => {
    if (c.type === 'FunctionDef') return;
    if (c.type === 'SimpleCommand') {
      // An assignment alone prints nothing of its own (and just-bash drops a substitution's stderr when it has a redirection).
      // `exec` would make the redirections the shell's own.
      if (c.name === null || literal(c.name) === 'exec') return;
      const own = routeAfter(route, c.redirections);
      toTty(c, route);
      if (mayMark && own.out && ours(c)) mark(c, own.err ? 'terminal' : 'terminal stdout');
      return;
    }
    const inner = routeAfter(route, c.redirections);
    toTty(c, route);
    // A body writes where its compound command's redirections send it (nowhere to see: leave it be).
    if (inner.out || inner.err) for (const body of bodies(c)) statements(body, inner);
  };

  statements(script.statements, route);
  return pipes;
}

/** The fd 255 marker of a command (just-bash passes a command its descriptor table). */
export function terminalMark(fds: ReadonlyMap<number, string> | undefined): TerminalMark | undefined {
  const m = fds?.get(MARK_FD)?.trim();
  if (m === 'terminal') return { kind: 'terminal', stderr: true };
  if (m === 'terminal stdout') return { kind: 'terminal', stderr: false };
  const pipe = m && /^pipe (\d+)$/.exec(m);
  return pipe ? { kind: 'pipe', index: Number(pipe[1]) } : undefined;
}

/** `fs` with /dev/tty: what is written there goes to `write` (the line's terminal) as it is written. */
export function terminalFs(fs: IFileSystem, write: (text: string) => void): IFileSystem {
  const bound = new Map<PropertyKey, unknown>();
  const toTerminal = (real: IFileSystem['writeFile']): IFileSystem['writeFile'] => (path, content, options) => {
    if (path !== TTY) return real.call(fs, path, content, options);
    const text = textOf(content, options);
    if (text) write(text);
    return Promise.resolve();
  };
  return new Proxy(fs, {
    get(target, prop) {
      let v = bound.get(prop);
      if (v === undefined) {
        const own = Reflect.get(target, prop, target) as unknown;
        if (typeof own !== 'function') return own;
        v = prop === 'writeFile' || prop === 'appendFile' ? toTerminal(own as IFileSystem['writeFile']) : own.bind(target);
        bound.set(prop, v);
      }
      return v;
    },
  });
}

/** What just-bash writes: UTF-8 text, or its bytes as a latin1 string ('binary'), or bytes. */
function textOf(content: string | Uint8Array, options: Parameters<IFileSystem['writeFile']>[2]): string {
  if (typeof content !== 'string') return new TextDecoder().decode(content);
  const encoding = typeof options === 'string' ? options : options?.encoding;
  return encoding === 'binary' || encoding === 'latin1' ? decodeBytesToUtf8(unsafeBytesFromLatin1(content)) : content;
}

/** `>>/dev/tty` and `2>>/dev/tty` for the fds of `route` that are the terminal, before the command's own. */
function toTty(c: Exclude<CommandNode, { type: 'FunctionDef' }>, route: Route): void {
  const add: Redirection[] = [];
  if (route.out) add.push(redirect(1, '>>', TTY));
  if (route.err) add.push(redirect(2, '>>', TTY));
  c.redirections.unshift(...add);
}

function mark(c: CommandNode, what: string): void {
  c.redirections.push(redirect(MARK_FD, '<<<', what));
}

function redirect(fd: number, operator: Redirection['operator'], target: string): Redirection {
  return { type: 'Redirection', fd, operator, target: { type: 'Word', parts: [{ type: 'Literal', value: target }] } };
}

/** Where fd 1 and 2 go after `redirections`, done in order as bash does them (`2>&1 >file` differs from `>file 2>&1`). */
function routeAfter(route: Route, redirections: readonly Redirection[]): Route {
  const fd = new Map<number, boolean>([[1, route.out], [2, route.err]]);
  const file = (target: string | undefined) => (target === TTY ? true : target === '/dev/stdout' ? fd.get(1)! : target === '/dev/stderr' ? fd.get(2)! : false);
  for (const r of redirections) {
    if (r.fdVariable) continue;
    const target = r.target.type === 'Word' ? literal(r.target) : undefined;
    switch (r.operator) {
      case '>':
      case '>>':
      case '>|':
        fd.set(r.fd ?? 1, file(target));
        break;
      case '&>':
      case '&>>':
        fd.set(1, file(target));
        fd.set(2, file(target));
        break;
      case '>&':
      case '<&': {
        const dup = target === undefined ? undefined : /^(\d+)-?$/.exec(target);
        if (dup) fd.set(r.fd ?? (r.operator === '>&' ? 1 : 0), fd.get(Number(dup[1])) ?? false);
        // `>&FILE` is `&>FILE`; `>&-` closes.
        else if (r.operator === '>&' && r.fd === null && target !== '-') {
          fd.set(1, file(target));
          fd.set(2, file(target));
        } else fd.set(r.fd ?? 1, false);
        break;
      }
      default:
        fd.set(r.fd ?? 0, false);
    }
  }
  return { out: fd.get(1)!, err: fd.get(2)! };
}

/** The stages of `p` from `from` on, as a line, and whether they print as they read. */
function restOf(p: PipelineNode, from: number): PipeRest {
  const stages = p.commands.slice(from);
  const rest: PipelineNode = { type: 'Pipeline', commands: stages, negated: false, ...(p.pipeStderr ? { pipeStderr: p.pipeStderr.slice(from) } : {}) };
  const script = serialize({ type: 'Script', statements: [{ type: 'Statement', pipelines: [rest], operators: [], background: false }] });
  return { script, streams: stages.every((c, i) => printsAsItReads(c, i === stages.length - 1)) };
}

/** Line filters: they print a line as soon as they have read it (to a tty, stdio flushes each line). */
const LINE_FILTERS = new Set(['grep', 'egrep', 'fgrep', 'sed', 'cut', 'tr', 'cat', 'tee', 'head']);
/** grep options that print at end of input or never: a count, the files without a match, quiet. */
const GREP_AT_END = /^-[^-]*[cLq]|^--(count|files-without-match|quiet|silent)$/;

/**
 * Whether a stage had printed, by Ctrl-C, what it prints for the input so far. One that writes
 * into a further pipe must also not buffer it: stdio buffers a pipe in blocks, so only cat and
 * tee (plain writes), `grep --line-buffered` and `sed -u` pass each line on at once.
 */
function printsAsItReads(c: CommandNode, last: boolean): boolean {
  if (c.type !== 'SimpleCommand' || c.name === null) return false;
  const name = literal(c.name) ?? '';
  if (!LINE_FILTERS.has(name)) return false;
  const args = c.args.map(literal);
  // A word with an expansion: its value was the line's own (lost with Ctrl-C), so do not guess.
  if (!args.every((a): a is string => a !== undefined)) return false;
  const end = args.indexOf('--');
  const options = end < 0 ? args : args.slice(0, end);
  const grep = name.endsWith('grep');
  if (grep && options.some((a) => GREP_AT_END.test(a))) return false;
  if (last) return true;
  return name === 'cat' || name === 'tee' || (grep && options.includes('--line-buffered')) || (name === 'sed' && (options.includes('-u') || options.includes('--unbuffered')));
}

/** A word's text when it has no expansion in it; otherwise undefined. */
function literal(w: WordNode): string | undefined {
  let s = '';
  for (const part of w.parts) {
    if (part.type === 'Literal' || part.type === 'SingleQuoted' || part.type === 'Escaped') s += part.value;
    else if (part.type === 'DoubleQuoted') {
      for (const inner of part.parts) {
        if (inner.type === 'Literal' || inner.type === 'Escaped') s += inner.value;
        else return undefined;
      }
    } else return undefined;
  }
  return s;
}

function collectFunctions(list: StatementNode[], into: Set<string>): void {
  const walk = (c: CommandNode) => {
    if (c.type === 'FunctionDef') {
      into.add(c.name);
      walk(c.body);
      return;
    }
    if (c.type === 'SimpleCommand') return;
    for (const body of bodies(c)) collectFunctions(body, into);
  };
  for (const s of list) for (const p of s.pipelines) for (const c of p.commands) walk(c);
}

function bodies(c: Exclude<CommandNode, { type: 'SimpleCommand' | 'FunctionDef' }>): StatementNode[][] {
  switch (c.type) {
    case 'If':
      return [...c.clauses.flatMap((x) => [x.condition, x.body]), ...(c.elseBody ? [c.elseBody] : [])];
    case 'While':
    case 'Until':
      return [c.condition, c.body];
    case 'For':
    case 'CStyleFor':
    case 'Subshell':
    case 'Group':
      return [c.body];
    case 'Case':
      return c.items.map((i) => i.body);
    default:
      return [];
  }
}
