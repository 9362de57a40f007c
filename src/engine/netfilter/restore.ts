/**
 * iptables-restore (iptables/xtables-restore.c, nf_tables variant): the whole input is one
 * transaction — on any error nothing changes. Without --noflush each `*table` is replaced
 * whole; with --noflush only the chains declared with `:NAME` are flushed (created if new).
 * Counters in `[p:b]` are applied only with -c (--counters), as iptables-restore does.
 */
import { execute, type NfError, type TableHandle } from './command';
import { isTableName, newChain, newTable } from './ruleset';
import { nameSlot, ParamError, parseCommandLine, RuleLineParser, SLOTS, type NameSource } from './rulespec';
import { IPTABLES_VERSION } from './save';
import type { Chain, Netfilter, Table, TableName } from './types';

export interface RestoreOptions {
  noflush?: boolean;
  counters?: boolean;
  /** -T TABLE: restore only that table. */
  table?: TableName;
}

export interface RestoreResult {
  exitCode: number;
  stderr: string;
}

/**
 * add_param_to_argv (iptables/xshared.c): whitespace splits; `"` opens a quoted word in which
 * `\` escapes the next character; a closing `"` ends the word.
 */
export function tokenizeRestoreLine(line: string): string[] {
  return tokenize(line, 0, line.length);
}

/** The words of text[start, end) (one line, without its newline). */
function tokenize(text: string, start: number, end: number): string[] {
  const out: string[] = [];
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) { i++; continue; }
    // A bare word; a `"` inside it opens a quoted part that ends the word when it closes.
    let j = i;
    if (c !== 34) {
      for (j = i + 1; j < end; j++) {
        const d = text.charCodeAt(j);
        // (one test for the usual characters: the five that end a word are all below 35)
        if (d < 35 && (d === 32 || d === 34 || d === 9 || d === 10 || d === 13)) break;
      }
    }
    if (j === end || text.charCodeAt(j) !== 34) {
      out.push(text.slice(i, j));
      i = j;
      continue;
    }
    let buf = text.slice(i, j);
    let from = ++j;
    for (; j < end; j++) {
      const d = text.charCodeAt(j);
      if (d === 92) { buf += text.slice(from, j); j++; from = j; continue; }
      if (d === 34) break;
    }
    buf += text.slice(from, Math.min(j, end));
    out.push(buf);
    i = j + 1;
  }
  return out;
}

const TRY = "Try `iptables-restore -h' or 'iptables-restore --help' for more information.\n";

function fail(e: NfError, line: number): RestoreResult {
  switch (e.kind) {
    case 'param':
      return { exitCode: 2, stderr: `iptables-restore ${IPTABLES_VERSION}: ${e.message}\nError occurred at line: ${line}\n${TRY}` };
    case 'other':
      return { exitCode: 1, stderr: `iptables-restore: line ${line} failed${e.message ? ': ' + e.message : ''}\n` };
    case 'kernel':
      return { exitCode: 4, stderr: `iptables-restore ${IPTABLES_VERSION}: \nline ${line}: ${e.op} failed (${e.errno}): ${e.what}\n` };
    default:
      return { exitCode: 1, stderr: `iptables-restore: line ${line} failed\n` };
  }
}

/** Is text[s, e) the string `w`? (compared from the end: names differ most in their last characters) */
function sameText(text: string, s: number, e: number, w: string): boolean {
  if (w.length !== e - s) return false;
  for (let k = e - s - 1; k >= 0; k--) if (text.charCodeAt(s + k) !== w.charCodeAt(k)) return false;
  return true;
}

/** Copy-on-write view of one table inside the transaction: the committed table's chains are
 *  copied when first changed; chains made here are the transaction's own. */
class TxTable implements TableHandle, NameSource {
  table: Table;
  /** Chains of the committed table not copied yet. */
  readonly #shared: Set<Chain>;
  /** Chains found by name lately (with their own names), in a small table by nameSlot:
   *  kube-proxy's lines name the same chains again a few lines apart (a Service's chain has
   *  several rules in a row; its endpoints' chains, named by its jumps, come right after), so
   *  most lookups skip the 100k-entry map. Forgotten after anything but an -A. */
  readonly #recentNames: (string | undefined)[] = new Array<string | undefined>(SLOTS).fill(undefined);
  readonly #recentChains: (Chain | undefined)[] = new Array<Chain | undefined>(SLOTS).fill(undefined);
  constructor(base: Table | undefined, name: TableName) {
    const t = base ?? newTable(name);
    this.table = { name: t.name, chains: new Map(t.chains) };
    this.#shared = new Set(base ? t.chains.values() : undefined);
  }
  /** `keepRules` false: the caller empties the chain, so a copy starts without its rules. */
  own(c: Chain, keepRules = true): Chain {
    if (!this.#shared.has(c)) return c;
    const now = this.table.chains.get(c.name)!;
    if (now !== c) return now; // copied already
    const copy: Chain = { ...c, counters: { ...c.counters }, rules: keepRules ? [...c.rules] : [], version: c.version + 1 };
    this.table.chains.set(c.name, copy);
    const slot = nameSlot(c.name, c.name.length, c.name.length);
    if (this.#recentChains[slot] === c) this.#recentChains[slot] = copy;
    return copy;
  }
  find(name: string): Chain | undefined {
    const slot = nameSlot(name, name.length, name.length);
    if (name === this.#recentNames[slot]) return this.#recentChains[slot];
    return this.#lookup(name, slot);
  }
  #lookup(name: string, slot: number): Chain | undefined {
    const c = this.table.chains.get(name);
    if (c) {
      this.#recentNames[slot] = c.name;
      this.#recentChains[slot] = c;
    }
    return c;
  }
  /** The name text[s, e): a chain's own name when there is such a chain (read in place when
   *  it was found lately), else a copy. */
  name(text: string, s: number, e: number): string {
    const slot = nameSlot(text, e, e - s);
    const cached = this.#recentNames[slot];
    if (cached !== undefined && sameText(text, s, e, cached)) return cached;
    const name = text.slice(s, e);
    return this.#lookup(name, slot)?.name ?? name;
  }
  forget(): void {
    this.#recentNames.fill(undefined);
    this.#recentChains.fill(undefined);
  }
  create(name: string): Chain {
    const c = newChain(name, false);
    this.table.chains.set(name, c);
    return c;
  }
}

const CTR_PREFIX = /^\[(\d+):(\d+)\]\s*/;
const CTR_DECL = /^\[(\d+):(\d+)\]$/;

export function iptablesRestore(nf: Netfilter, text: string, opts: RestoreOptions = {}): RestoreResult {
  const tx = new Map<TableName, TxTable>();
  let cur: TxTable | undefined;
  let curName: TableName | undefined;
  let skip = false;
  const pending = new Set<string>();
  let warnings = '';
  const execOpts = { restore: true, ipsets: nf.ipsets, pendingJumps: pending };
  const parser = new RuleLineParser();
  const len = text.length;
  let pos = 0;
  let n = 0;
  // Line by line through the text, without splitting it first (a full sync is 400k+ lines);
  // a rule line is read where it stands.
  while (pos < len) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = len;
    n++;
    const start = pos;
    pos = end + 1;
    if (end > start && text.charCodeAt(end - 1) === 13) end--;
    const c0 = end > start ? text.charCodeAt(start) : -1;
    if (c0 === 58 /* : */) {
      if (skip) continue;
      if (!cur || !curName) return fail({ kind: 'other', message: '' }, n);
      const e = declareChain(cur, text, start, end, n, opts);
      if (e) return e;
      continue;
    }
    if (c0 !== 45 /* - */) {
      const line = text.slice(start, end);
      if (line === '' || c0 === 35 /* # */ || line.trim() === '') continue;
      if (line.startsWith('COMMIT')) {
        if (!cur && !skip) return fail({ kind: 'other', message: '' }, n);
        for (const j of pending) if (!cur!.table.chains.has(j)) return fail({ kind: 'param', message: `Chain '${j}' does not exist` }, n);
        pending.clear();
        cur = undefined;
        curName = undefined;
        skip = false;
        continue;
      }
      if (c0 === 42 /* * */) {
        if (cur || skip) return fail({ kind: 'other', message: '' }, n);
        const name = line.slice(1).trim();
        if (!isTableName(name)) {
          return fail({ kind: 'param', message: `iptables-restore: line ${n} table name '${name}' invalid` }, n);
        }
        if (opts.table && opts.table !== name) { skip = true; continue; }
        curName = name;
        // Without --noflush the table is replaced whole (a fresh table: built-ins, ACCEPT, no rules).
        const base = opts.noflush ? (tx.get(name)?.table ?? nf.tables.get(name)) : undefined;
        cur = new TxTable(base, name);
        tx.set(name, cur);
        continue;
      }
    }
    if (skip) continue;
    if (!cur || !curName) return fail({ kind: 'other', message: '' }, n);
    // A rule line, perhaps with a [packets:bytes] prefix: the rule is text[bodyStart, end).
    let bodyStart = start;
    let ctrs: { packets: number; bytes: number } | undefined;
    if (c0 === 91 /* [ */) {
      const cm = CTR_PREFIX.exec(text.slice(start, end));
      if (!cm) return fail({ kind: 'param', message: `Bad line ${n}: need ]` }, n);
      bodyStart = start + cm[0].length;
      ctrs = { packets: Number(cm[1]), bytes: Number(cm[2]) };
    }
    // The plain lines (nearly all) where they stand; the general path for the others.
    const pc = parser.parse(text, bodyStart, end, curName, cur) ?? parseCommandLine(tokenize(text, bodyStart, end), curName);
    if (pc instanceof ParamError) {
      if (pc.message.startsWith('Bad argument')) {
        return { exitCode: 2, stderr: `${pc.warning}${pc.message}\nError occurred at line: ${n}\n${TRY}` };
      }
      const f = fail({ kind: 'param', message: pc.message }, n);
      return { ...f, stderr: pc.warning + f.stderr };
    }
    const w = pc.warnings;
    if (w !== undefined && w.length) warnings += w.join('');
    const rule = pc.rule;
    if (rule) {
      if (opts.counters && ctrs) rule.counters = ctrs;
      else if (rule.counters.packets !== 0 || rule.counters.bytes !== 0) rule.counters = { packets: 0, bytes: 0 };
    }
    const r = execute(pc, cur, execOpts);
    // After (not before) any command but -A: it may have added, removed or renamed chains, and
    // an -X or -F may have just looked up, and removed, the chain the memo would hand the next -A.
    if (pc.command !== 'A') cur.forget();
    if ('kind' in r) {
      const f = fail(r, n);
      return { ...f, stderr: warnings + f.stderr };
    }
  }
  if (cur) return { exitCode: 1, stderr: `${warnings}iptables-restore: COMMIT expected at line ${n + 1}\n` };
  for (const [name, t] of tx) nf.tables.set(name, t.table);
  return { exitCode: 0, stderr: warnings };
}

/** The words after the `:` of a chain line, as `line.slice(1).trim().split(/\s+/)` gives them;
 *  cut by hand when the line is plain ASCII with spaces (every line kube-proxy writes). */
function fields(line: string): string[] {
  const out: string[] = [];
  const n = line.length;
  let i = 1;
  while (i < n) {
    let c = line.charCodeAt(i);
    if (c === 32) { i++; continue; }
    const from = i;
    while (c > 32 && c < 127) c = ++i < n ? line.charCodeAt(i) : 32;
    if (c !== 32) return line.slice(1).trim().split(/\s+/); // other whitespace or non-ASCII
    out.push(line.slice(from, i));
  }
  return out.length ? out : [''];
}

/** text[s, e) has only printable ASCII other than space (no whitespace of any kind). */
function plainWord(text: string, s: number, e: number): boolean {
  for (let k = s; k < e; k++) {
    const c = text.charCodeAt(k);
    if (c <= 32 || c >= 127) return false;
  }
  return true;
}

/** `:NAME POLICY [packets:bytes]`: a built-in chain's policy and counters, or a user chain
 *  created (or, when it exists, flushed). */
function declareChain(cur: TxTable, text: string, start: number, end: number, n: number, opts: RestoreOptions): RestoreResult | undefined {
  let chainName: string | undefined;
  let policy: string | undefined;
  let ctr: string | undefined;
  // The line kube-proxy writes 100k times, `:NAME - [0:0]`, is read where it stands.
  const sp = text.indexOf(' ', start + 1);
  if (sp + 8 === end && sp > start + 1 && text.startsWith(' - [0:0]', sp) && plainWord(text, start + 1, sp)) {
    chainName = text.slice(start + 1, sp);
    policy = '-';
    ctr = '[0:0]';
  } else [chainName, policy, ctr] = fields(text.slice(start, end));
  if (!chainName) return fail({ kind: 'param', message: `iptables-restore: line ${n} chain name invalid` }, n);
  if (chainName.length > 28) return fail({ kind: 'param', message: `Invalid chain name \`${chainName}' (28 char max)` }, n);
  if (policy === undefined) return fail({ kind: 'param', message: `iptables-restore: line ${n} policy invalid` }, n);
  const existing = cur.table.chains.get(chainName);
  if (!existing) {
    if (opts.counters && ctr && ctr !== '[0:0]' && !CTR_DECL.test(ctr)) return fail({ kind: 'param', message: `iptables-restore: line ${n} invalid counters` }, n);
    cur.create(chainName);
    return undefined;
  }
  let counters = { packets: 0, bytes: 0 };
  if (opts.counters && ctr) {
    const m = CTR_DECL.exec(ctr);
    if (!m) return fail({ kind: 'param', message: `iptables-restore: line ${n} invalid counters` }, n);
    counters = { packets: Number(m[1]), bytes: Number(m[2]) };
  }
  if (existing.builtin) {
    if (policy !== '-') {
      if (policy !== 'ACCEPT' && policy !== 'DROP') return fail({ kind: 'other', message: 'Bad policy name.' }, n);
      const c = cur.own(existing);
      c.policy = policy;
      c.counters = counters;
    }
    if (opts.noflush) {
      const c = cur.own(existing);
      if (c.rules.length) { c.rules = []; c.version++; }
    }
  } else {
    const c = cur.own(existing, false);
    c.rules = [];
    c.version++;
  }
  return undefined;
}

/** The `iptables-restore` command: argv without the program name (-n/--noflush, -c/--counters,
 *  -T/--table TABLE; -w/-W/-v ignored) and the text on its standard input. */
export function iptablesRestoreCommand(nf: Netfilter, argv: readonly string[], stdin: string): { stdout: string; stderr: string; exitCode: number } {
  const opts: RestoreOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-n' || a === '--noflush') opts.noflush = true;
    else if (a === '-c' || a === '--counters') opts.counters = true;
    else if (a === '-T' || a === '--table') {
      const t = argv[++i];
      if (t !== undefined && isTableName(t)) opts.table = t;
    } else if (a === '-w' || a === '--wait' || a === '-W' || a === '--wait-interval') {
      if (argv[i + 1] !== undefined && /^\d+$/.test(argv[i + 1]!)) i++;
    } else if (a === '-v' || a === '--verbose' || a === '-t' || a === '--test') continue;
    else if (a.startsWith('-') && a.length > 1) {
      const what = a.startsWith('--') ? `unrecognized option '${a}'` : `invalid option -- '${a[1]}'`;
      return { stdout: '', stderr: `iptables-restore: ${what}\nTry \`iptables-restore -h' for more information.\n`, exitCode: 1 };
    }
  }
  const r = iptablesRestore(nf, stdin, opts);
  return { stdout: '', stderr: r.stderr, exitCode: r.exitCode };
}
