/**
 * Executing one parsed iptables command against a table, and the `iptables` command's front
 * end (stdout/stderr/exit code with iptables v1.8.9 (nf_tables) wording).
 */
import { appendCompact } from '../core/arrays';
import { findTarget } from './extensions';
import { listChains, listRules } from './list';
import { isTableName, newChain, newTable } from './ruleset';
import { ParamError, parseCommandLine, sameString, type ParsedCommand } from './rulespec';
import { IPTABLES_VERSION, saveRuleSpec } from './save';
import { BUILTIN_CHAINS, type Chain, type Netfilter, type Rule, type Table, type TableName } from './types';

/** What can go wrong, by who reports it. */
export type NfError =
  | { kind: 'param'; message: string } // xtables_error(PARAMETER_PROBLEM): exit 2 + "Try" line
  | { kind: 'other'; message: string } // "iptables: MSG": exit 1
  | { kind: 'kernel'; op: string; errno: string; what: string } // nft batch failure: exit 4
  | { kind: 'table'; table: string } // exit 3
  | { kind: 'incompatible'; chain: string; table: string }; // -L of a missing chain with nft: exit 1

/** Mutable access to a table's chains (copy-on-write in a restore transaction). */
export interface TableHandle {
  table: Table;
  /** The table's chain `c`, made safe to mutate. */
  own(c: Chain): Chain;
  /** The chain by name, when the handle can find it faster than the table's map. */
  find?(name: string): Chain | undefined;
}

export function directHandle(t: Table): TableHandle {
  return { table: t, own: (c) => c };
}

function sameRule(a: Rule, b: Rule): boolean {
  return saveRuleSpec(a) === saveRuleSpec(b);
}

/** Does `from` reach `to` through jumps/gotos? (the kernel's ELOOP check) Visited chains are
 *  stamped with a generation number rather than kept in a Set: this runs for every jump rule
 *  of a restore, tens of thousands of times per kube-proxy sync. */
let generation = 0;
type Stamped = Chain & { _loopGen?: number };
/** A non-enumerable stamp: invisible to spreads, JSON and deep equality. */
function stamp(c: Stamped, gen: number): void {
  if (c._loopGen === undefined) Object.defineProperty(c, '_loopGen', { value: gen, writable: true, enumerable: false });
  else c._loopGen = gen;
}
function reaches(t: Table, from: string, to: string, fromChain: Chain | undefined): boolean {
  if (sameString(from, to)) return true;
  const first = fromChain ?? t.chains.get(from);
  if (!first || !jumps(first)) return false;
  const gen = ++generation;
  const stack: Stamped[] = [first];
  stamp(first, gen);
  while (stack.length) {
    const c = stack.pop()!;
    for (const r of c.rules) {
      if (r.target.kind !== 'jump') continue;
      const name = r.target.chain;
      if (sameString(name, to)) return true;
      const n = t.chains.get(name) as Stamped | undefined;
      if (!n || n.rules.length === 0 || n._loopGen === gen) continue;
      stamp(n, gen);
      stack.push(n);
    }
  }
  return false;
}

/** Does any rule of the chain jump or go to another? (most chains jumped to by many rules,
 *  like KUBE-MARK-MASQ, do not: no walk then) */
function jumps(c: Chain): boolean {
  const rules = c.rules;
  for (let k = 0; k < rules.length; k++) if (rules[k]!.target.kind === 'jump') return true;
  return false;
}

/** `jumpChain`: the chain the rule jumps to, when the caller has looked it up already. */
function kernelCheck(t: Table, chain: string, rule: Rule, op: string, jumpChain: Chain | undefined): NfError | undefined {
  const tgt = rule.target;
  if (tgt.kind !== 'none' && tgt.kind !== 'verdict' && tgt.kind !== 'jump') {
    const ext = findTarget(tgt.kind);
    if (ext?.tables && !ext.tables.includes(t.name)) return invalid(op, chain);
    if (ext?.hooks && BUILTIN_CHAINS[t.name].includes(chain) && !ext.hooks.includes(chain)) return invalid(op, chain);
  }
  if (tgt.kind === 'REJECT' && tgt.with === 'tcp-reset' && (rule.proto !== 6 || rule.protoInv)) return invalid(op, chain);
  const matches = rule.matches;
  for (let k = 0; k < matches.length; k++) {
    const m = matches[k]!;
    // xt_addrtype checkentry: --limit-iface-in is not valid in OUTPUT/POSTROUTING, --limit-iface-out not in PREROUTING/INPUT.
    if (m.kind === 'addrtype' && ((m.limitIfaceIn && (chain === 'OUTPUT' || chain === 'POSTROUTING')) || (m.limitIfaceOut && (chain === 'PREROUTING' || chain === 'INPUT')))) {
      if (BUILTIN_CHAINS[t.name].includes(chain)) return invalid(op, chain);
    }
    const need = m.kind === 'tcp' ? 6 : m.kind === 'udp' ? 17 : m.kind === 'sctp' ? 132 : m.kind === 'icmp' ? 1 : undefined;
    if (need !== undefined && (rule.proto !== need || rule.protoInv)) return invalid(op, chain);
  }
  if (tgt.kind === 'jump' && reaches(t, tgt.chain, chain, jumpChain)) return { kind: 'kernel', op, errno: 'Too many links', what: `rule in chain ${chain}` };
  return undefined;
}

const invalid = (op: string, chain: string): NfError => ({ kind: 'kernel', op, errno: 'Invalid argument', what: `rule in chain ${chain}` });

const NO_CHAIN: NfError = { kind: 'other', message: 'No chain/target/match by that name.' };

export interface ExecOutput {
  stdout: string;
}

/** A write's (empty) output: one object for all of them (a restore runs one per line). */
const DONE: ExecOutput = Object.freeze({ stdout: '' });

const out = (stdout = ''): ExecOutput => (stdout === '' ? DONE : { stdout });

/** Run one write or read command. Writes go through `h`; reads use the table as is. */
export function execute(
  pc: ParsedCommand, h: TableHandle,
  opts: { restore?: boolean; ipsets?: ReadonlyMap<string, unknown>; pendingJumps?: Set<string> } = {},
): NfError | ExecOutput {
  const t = h.table;
  const matches = pc.rule?.matches;
  if (matches) {
    for (let k = 0; k < matches.length; k++) {
      const m = matches[k]!;
      if (m.kind === 'set' && opts.ipsets && !opts.ipsets.has(m.name)) return { kind: 'param', message: `Set ${m.name} doesn't exist.\n` };
    }
  }
  const jumpChain = pc.jumpTo === undefined ? undefined : h.find ? h.find(pc.jumpTo) : t.chains.get(pc.jumpTo);
  if (pc.jumpTo !== undefined && !jumpChain) {
    // iptables-restore (nft) checks jump targets when the table is committed.
    if (opts.pendingJumps) opts.pendingJumps.add(pc.jumpTo);
    else return { kind: 'param', message: `Chain '${pc.jumpTo}' does not exist` };
  }
  const chainName = pc.chain;
  const chain = chainName === undefined ? undefined : h.find ? h.find(chainName) : t.chains.get(chainName);
  const rule = pc.rule!;
  switch (pc.command) {
    case 'A': case 'I': case 'R': case 'C': {
      if (!chain) return NO_CHAIN;
      const op = pc.command === 'A' ? 'RULE_APPEND' : pc.command === 'I' ? 'RULE_INSERT' : 'RULE_REPLACE';
      if (pc.command === 'C') {
        return chain.rules.some((r) => sameRule(r, rule)) ? out() : { kind: 'other', message: 'Bad rule (does a matching rule exist in that chain?).' };
      }
      if (pc.command === 'I' && (pc.rulenum ?? 1) > chain.rules.length + 1) return { kind: 'other', message: 'Index of insertion too big.' };
      if (pc.command === 'I' && pc.rulenum === 0) return { kind: 'param', message: 'Invalid rule number `0\'' };
      if (pc.command === 'R' && (pc.rulenum! > chain.rules.length || pc.rulenum! < 1)) return { kind: 'other', message: 'Index of replacement too big.' };
      const k = kernelCheck(t, chain.name, rule, op, jumpChain);
      if (k) return k;
      const c = h.own(chain);
      if (pc.command === 'A') c.rules = appendCompact(c.rules, rule);
      else if (pc.command === 'I') c.rules.splice((pc.rulenum ?? 1) - 1, 0, rule);
      else c.rules[pc.rulenum! - 1] = rule;
      c.version++;
      return out();
    }
    case 'D': {
      if (!chain) return NO_CHAIN;
      let idx: number;
      if (pc.rulenum !== undefined && !pc.hasSpec) {
        if (pc.rulenum < 1 || pc.rulenum > chain.rules.length) return { kind: 'other', message: 'Index of deletion too big.' };
        idx = pc.rulenum - 1;
      } else {
        idx = chain.rules.findIndex((r) => sameRule(r, rule));
        if (idx < 0) return { kind: 'other', message: 'Bad rule (does a matching rule exist in that chain?).' };
      }
      const c = h.own(chain);
      c.rules.splice(idx, 1);
      c.version++;
      return out();
    }
    case 'N': {
      if (t.chains.has(chainName!)) return { kind: 'other', message: 'Chain already exists.' };
      if (/^[-!]/.test(chainName!) || chainName!.includes(' ')) return { kind: 'param', message: `Invalid chain name \`${chainName}'` };
      if (findTarget(chainName!) || chainName === 'ACCEPT' || chainName === 'DROP' || chainName === 'RETURN') {
        return { kind: 'param', message: `chain name may not clash with target name` };
      }
      t.chains.set(chainName!, newChain(chainName!, false));
      return out();
    }
    case 'X': {
      const victims = chain ? [chain] : chainName === undefined ? [...t.chains.values()].filter((c) => !c.builtin) : [];
      if (chainName !== undefined && !chain) return NO_CHAIN;
      if (chain?.builtin) return { kind: 'other', message: 'Directory not empty.' };
      for (const v of victims) {
        const referenced = [...t.chains.values()].some((c) => !victims.includes(c) && c.rules.some((r) => r.target.kind === 'jump' && r.target.chain === v.name));
        if (v.rules.length > 0 || referenced) return { kind: 'kernel', op: 'CHAIN_DEL', errno: 'Device or resource busy', what: `chain ${v.name}` };
      }
      for (const v of victims) t.chains.delete(v.name);
      return out();
    }
    case 'F': {
      if (chainName !== undefined && !chain) return NO_CHAIN;
      for (const c of chain ? [chain] : [...t.chains.values()]) {
        if (c.rules.length === 0) continue;
        const o = h.own(c);
        o.rules = [];
        o.version++;
      }
      return out();
    }
    case 'Z': {
      if (chainName !== undefined && !chain) return NO_CHAIN;
      for (const c of chain ? [chain] : [...t.chains.values()]) {
        const o = h.own(c);
        if (pc.rulenum === undefined) o.counters = { packets: 0, bytes: 0 };
        if (pc.rulenum !== undefined) {
          const r = o.rules[pc.rulenum - 1];
          if (r) r.counters = { packets: 0, bytes: 0 };
        } else for (const r of o.rules) r.counters = { packets: 0, bytes: 0 };
      }
      return out();
    }
    case 'P': {
      if (!chain || !chain.builtin) return { kind: 'other', message: 'Bad built-in chain name.' };
      if (pc.arg2 !== 'ACCEPT' && pc.arg2 !== 'DROP') return { kind: 'other', message: "Bad policy name. Run `dmesg' for more information." };
      h.own(chain).policy = pc.arg2;
      return out();
    }
    case 'E': {
      if (!chain || chain.builtin) return NO_CHAIN;
      if (t.chains.has(pc.arg2!)) return { kind: 'other', message: 'File exists.' };
      const c = h.own(chain);
      t.chains.delete(c.name);
      c.name = pc.arg2!;
      t.chains.set(c.name, c);
      for (const other of t.chains.values()) {
        if (other.rules.some((r) => r.target.kind === 'jump' && r.target.chain === chain.name)) {
          const o = h.own(other);
          o.rules = o.rules.map((r) => (r.target.kind === 'jump' && r.target.chain === chain.name ? { ...r, target: { ...r.target, chain: c.name } } : r));
          o.version++;
        }
      }
      return out();
    }
    case 'L': {
      if (opts.restore) return { kind: 'param', message: 'Illegal option `-L\' with this command\n' };
      const r = listChains(t, t.name, chainName, pc.rulenum, pc);
      if (!r.ok) return { kind: 'incompatible', chain: chainName!, table: t.name };
      if (pc.zero) for (const c of t.chains.values()) { c.counters = { packets: 0, bytes: 0 }; for (const x of c.rules) x.counters = { packets: 0, bytes: 0 }; }
      return out(r.text);
    }
    case 'S': {
      if (opts.restore) return { kind: 'param', message: 'Illegal option `-S\' with this command\n' };
      const r = listRules(t, t.name, chainName, pc.rulenum, pc.verbose);
      if (!r.ok) return { kind: 'incompatible', chain: chainName!, table: t.name };
      return out(r.text);
    }
  }
}

export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

const TRY = "Try `iptables -h' or 'iptables --help' for more information.\n";

export function formatCommandError(e: NfError | ParamError): CommandResult {
  if (e instanceof ParamError) {
    const r = formatCommandError({ kind: 'param', message: e.message });
    return { ...r, stderr: e.warning + r.stderr };
  }
  switch (e.kind) {
    case 'param':
      if (e.message.startsWith('Bad argument')) return { stdout: '', stderr: `${e.message}\n${TRY}`, exitCode: 2 };
      return { stdout: '', stderr: `iptables ${IPTABLES_VERSION}: ${e.message}\n${TRY}`, exitCode: 2 };
    case 'other':
      return { stdout: '', stderr: `iptables: ${e.message}\n`, exitCode: 1 };
    case 'kernel':
      return { stdout: '', stderr: `iptables ${IPTABLES_VERSION}:  ${e.op} failed (${e.errno}): ${e.what}\n`, exitCode: 4 };
    case 'table':
      return { stdout: '', stderr: `iptables ${IPTABLES_VERSION}: table '${e.table}' does not exist\nPerhaps iptables or your kernel needs to be upgraded.\n`, exitCode: 3 };
    case 'incompatible':
      return { stdout: '', stderr: `iptables ${IPTABLES_VERSION}: chain \`${e.chain}' in table \`${e.table}' is incompatible, use 'nft' tool.\n`, exitCode: 1 };
  }
}

/** The `iptables` command: argv without the program name. Mutates `nf` on success only. */
export function iptables(nf: Netfilter, argv: readonly string[]): CommandResult {
  if (argv.length === 1 && (argv[0] === '-V' || argv[0] === '--version')) return { stdout: `iptables ${IPTABLES_VERSION}\n`, stderr: '', exitCode: 0 };
  const pc = parseCommandLine(argv);
  if (pc instanceof ParamError) return formatCommandError(pc);
  if (!isTableName(pc.table)) return formatCommandError({ kind: 'table', table: pc.table });
  const read = pc.command === 'L' || pc.command === 'S';
  const existing = nf.tables.get(pc.table as TableName);
  const table = read ? existing ?? newTable(pc.table as TableName) : existing ?? newTable(pc.table as TableName);
  const r = execute(pc, directHandle(table), { ipsets: nf.ipsets });
  const warn = (pc.warnings ?? []).join('');
  if ('kind' in r) {
    const f = formatCommandError(r);
    return { ...f, stderr: warn + f.stderr };
  }
  if (!read && !existing) nf.tables.set(table.name, table);
  return { stdout: r.stdout, stderr: warn, exitCode: 0 };
}
