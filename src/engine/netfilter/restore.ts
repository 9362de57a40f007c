/**
 * iptables-restore (iptables/xtables-restore.c, nf_tables variant): the whole input is one
 * transaction — on any error nothing changes. Without --noflush each `*table` is replaced
 * whole; with --noflush only the chains declared with `:NAME` are flushed (created if new).
 * Counters in `[p:b]` are applied only with -c (--counters), as iptables-restore does.
 */
import { execute, type NfError, type TableHandle } from './command';
import { isTableName, newChain, newTable } from './ruleset';
import { ParamError, parseCommandLine, type ParsedCommand } from './rulespec';
import { IPTABLES_VERSION, shareSpec } from './save';
import type { Chain, Netfilter, Rule, Table, TableName } from './types';

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
  const out: string[] = [];
  const n = line.length;
  let i = 0;
  while (i < n) {
    const c = line.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) { i++; continue; }
    // A bare word; a `"` inside it opens a quoted part that ends the word when it closes.
    let j = i;
    while (j < n) {
      const d = line.charCodeAt(j);
      if (d === 32 || d === 9 || d === 10 || d === 13 || d === 34) break;
      j++;
    }
    let buf = line.slice(i, j);
    if (j < n && line.charCodeAt(j) === 34) {
      let from = ++j;
      for (; j < n; j++) {
        const d = line.charCodeAt(j);
        if (d === 92) { buf += line.slice(from, j); j++; from = j; continue; }
        if (d === 34) break;
      }
      buf += line.slice(from, Math.min(j, n));
      j++;
    }
    out.push(buf);
    i = j;
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

/** Copy-on-write view of one table inside the transaction. */
class TxTable implements TableHandle {
  table: Table;
  #owned = new Set<Chain>();
  constructor(base: Table | undefined, name: TableName) {
    const t = base ?? newTable(name);
    this.table = { name: t.name, chains: new Map(t.chains) };
    if (!base) for (const c of this.table.chains.values()) this.#owned.add(c);
  }
  own(name: string): Chain {
    const c = this.table.chains.get(name)!;
    if (this.#owned.has(c)) return c;
    const copy: Chain = { ...c, counters: { ...c.counters }, rules: [...c.rules], version: c.version + 1 };
    this.table.chains.set(name, copy);
    this.#owned.add(copy);
    return copy;
  }
  create(name: string): Chain {
    const c = newChain(name, false);
    this.table.chains.set(name, c);
    this.#owned.add(c);
    return c;
  }
}

const lineCache = new WeakMap<Netfilter, Map<string, ParsedCommand>>();

export function iptablesRestore(nf: Netfilter, text: string, opts: RestoreOptions = {}): RestoreResult {
  const lines = text.split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  const tx = new Map<TableName, TxTable>();
  let cur: TxTable | undefined;
  let curName: TableName | undefined;
  let skip = false;
  const pending = new Set<string>();
  let warnings = '';
  const prevLines = lineCache.get(nf);
  const nextLines = new Map<string, ParsedCommand>();
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    let line = lines[i]!;
    if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    if (line === '' || line[0] === '#' || line.trim() === '') continue;
    if (line.startsWith('COMMIT')) {
      if (!cur && !skip) return fail({ kind: 'other', message: '' }, n);
      for (const j of pending) if (!cur!.table.chains.has(j)) return fail({ kind: 'param', message: `Chain '${j}' does not exist` }, n);
      pending.clear();
      cur = undefined;
      curName = undefined;
      skip = false;
      continue;
    }
    if (line[0] === '*') {
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
    if (skip) continue;
    if (!cur || !curName) return fail({ kind: 'other', message: '' }, n);
    if (line[0] === ':') {
      const parts = line.slice(1).trim().split(/\s+/);
      const [chainName, policy, ctr] = parts;
      if (!chainName) return fail({ kind: 'param', message: `iptables-restore: line ${n} chain name invalid` }, n);
      if (chainName.length > 28) return fail({ kind: 'param', message: `Invalid chain name \`${chainName}' (28 char max)` }, n);
      if (policy === undefined) return fail({ kind: 'param', message: `iptables-restore: line ${n} policy invalid` }, n);
      const existing = cur.table.chains.get(chainName);
      let counters = { packets: 0, bytes: 0 };
      if (opts.counters && ctr) {
        const m = /^\[(\d+):(\d+)\]$/.exec(ctr);
        if (!m) return fail({ kind: 'param', message: `iptables-restore: line ${n} invalid counters` }, n);
        counters = { packets: Number(m[1]), bytes: Number(m[2]) };
      }
      if (existing?.builtin) {
        if (policy !== '-') {
          if (policy !== 'ACCEPT' && policy !== 'DROP') return fail({ kind: 'other', message: 'Bad policy name.' }, n);
          const c = cur.own(chainName);
          c.policy = policy;
          c.counters = counters;
        }
        if (opts.noflush) {
          const c = cur.own(chainName);
          if (c.rules.length) { c.rules = []; c.version++; }
        }
      } else if (existing) {
        const c = cur.own(chainName);
        c.rules = [];
        c.version++;
      } else {
        cur.create(chainName);
      }
      continue;
    }
    // A rule line, optionally with a [packets:bytes] prefix.
    let body = line;
    let ctrs: { packets: number; bytes: number } | undefined;
    const cm = /^\[(\d+):(\d+)\]\s*/.exec(body);
    if (cm) {
      body = body.slice(cm[0].length);
      ctrs = { packets: Number(cm[1]), bytes: Number(cm[2]) };
    } else if (body[0] === '[') {
      return fail({ kind: 'param', message: `Bad line ${n}: need ]` }, n);
    }
    // kube-proxy rewrites mostly identical lines every sync: reuse the parse of a line seen in
    // the previous restore (a fresh Rule object with zero counters, as the kernel's new rule).
    const key = curName + '\u0000' + body;
    const hit = prevLines?.get(key);
    let pc: ParsedCommand | ParamError;
    if (hit) {
      const rule: Rule = { ...hit.rule!, counters: { packets: 0, bytes: 0 } };
      shareSpec(hit.rule!, rule);
      pc = { ...hit, rule };
    } else {
      pc = parseCommandLine(tokenizeRestoreLine(body), curName);
    }
    if (!(pc instanceof ParamError) && pc.command === 'A' && pc.rule && !pc.warnings?.length) nextLines.set(key, pc);
    if (pc instanceof ParamError) {
      if (pc.message.startsWith('Bad argument')) {
        return { exitCode: 2, stderr: `${pc.warning}${pc.message}\nError occurred at line: ${n}\n${TRY}` };
      }
      const f = fail({ kind: 'param', message: pc.message }, n);
      return { ...f, stderr: pc.warning + f.stderr };
    }
    warnings += (pc.warnings ?? []).join('');
    if (pc.rule) pc.rule.counters = opts.counters && ctrs ? ctrs : { packets: 0, bytes: 0 };
    const r = execute(pc, cur, { restore: true, ipsets: nf.ipsets, pendingJumps: pending });
    if ('kind' in r) {
      const f = fail(r, n);
      return { ...f, stderr: warnings + f.stderr };
    }
  }
  if (cur) return { exitCode: 1, stderr: `${warnings}iptables-restore: COMMIT expected at line ${lines.length + 1}\n` };
  for (const [name, t] of tx) nf.tables.set(name, t.table);
  lineCache.set(nf, nextLines);
  return { exitCode: 0, stderr: warnings };
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
