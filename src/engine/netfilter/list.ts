/** `iptables -L` and `iptables -S` output (print_header, print_firewall in iptables/nft-ipv4.c
 *  and xshared.c, xtables_print_num in libxtables), checked against iptables v1.8.9 (nf_tables). */
import { listAddr } from './addr';
import { printMatch, printTarget, protoName, targetName } from './extensions';
import { newTable, referenceCounts, references, sortedChains } from './ruleset';
import { saveRuleSpec } from './save';
import type { Chain, Rule, Table } from './types';

export interface ListOptions {
  numeric?: boolean;
  verbose?: boolean;
  exact?: boolean;
  lineNumbers?: boolean;
  /** Name for a host address without -n (the node's /etc/hosts); default: 127.0.0.1 → localhost. */
  hostName?: (ip: string) => string | undefined;
}

const padR = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const padL = (s: string, n: number): string => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

/** xtables_print_num: 5 columns with K/M/G/T suffixes, or 8 exact digits with -x. */
export function printNum(n: number, exact: boolean, notable = false): string {
  if (exact) return notable ? `${n} ` : `${padL(String(n), 8)} `;
  if (n <= 99999) return notable ? `${n} ` : `${padL(String(n), 5)} `;
  for (const suffix of ['K', 'M', 'G']) {
    n = Math.floor((n + 500) / 1000);
    if (n <= 9999) return notable ? `${n}${suffix} ` : `${padL(String(n), 4)}${suffix} `;
  }
  n = Math.floor((n + 500) / 1000);
  return notable ? `${n}T ` : `${padL(String(n), 4)}T `;
}

function header(o: ListOptions): string {
  let s = '';
  if (o.lineNumbers) s += padR('num', 4) + ' ';
  if (o.verbose) {
    if (o.exact) s += padL('pkts', 8) + ' ' + padL('bytes', 10) + ' ';
    else s += padL('pkts', 5) + ' ' + padL('bytes', 5) + ' ';
  }
  s += padR('target', 9) + ' ';
  s += ' prot opt';
  if (o.verbose) s += ` ${padR('in', 6)} ${padR('out', 6)} `;
  s += ` ${padR('source', 19)} `;
  s += ` ${padR('destination', 19)} `;
  return s;
}

/** One rule row of iptables -L. */
export function listRule(r: Rule, num: number, o: ListOptions): string {
  const numeric = !!o.numeric;
  let s = '';
  if (o.lineNumbers) s += padR(String(num), 4) + ' ';
  if (o.verbose) s += printNum(r.counters.packets, !!o.exact) + printNum(r.counters.bytes, !!o.exact);
  s += padR(targetName(r.target), 9) + ' ';
  s += r.protoInv ? '!' : ' ';
  const p = r.proto ?? 0;
  s += padR(numeric ? String(p) : protoName(p), 5);
  s += '-- ';
  if (o.verbose) {
    const any = numeric ? '*' : 'any';
    const ifc = (i: Rule['inIface']): string => (i ? (i.inv ? '!' : '') + i.name + (i.wildcard ? '+' : '') : any);
    s += ` ${padR(ifc(r.inIface), 6)} ${padR(ifc(r.outIface), 6)} `;
  }
  const addr = (a: Rule['src']): string => {
    const text = listAddr(a, numeric, o.hostName);
    return (text.startsWith('!') ? '!' + padR(text.slice(1), 19) : ' ' + padR(text, 19)) + ' ';
  };
  s += addr(r.src) + addr(r.dst);
  if (r.target.kind === 'jump' && r.target.goto) s += '[goto] ';
  for (const m of r.matches) s += printMatch(m, numeric, r.proto ?? 0);
  s += printTarget(r.target, numeric);
  return s;
}

/** `refs`: how many rules jump or go to the chain. */
function chainTitle(c: Chain, refs: number, o: ListOptions): string {
  if (c.builtin) {
    if (!o.verbose) return `Chain ${c.name} (policy ${c.policy})`;
    return `Chain ${c.name} (policy ${c.policy} ${printNum(c.counters.packets, !!o.exact, true)}packets, ${printNum(c.counters.bytes, !!o.exact, true)}bytes)`;
  }
  return `Chain ${c.name} (${refs} references)`;
}

export type ListResult = { ok: true; text: string } | { ok: false; error: 'no-chain' };

/** `iptables [-t T] -L [CHAIN [N]]` — text ends with a newline. */
export function listChains(table: Table | undefined, tableName: Table['name'], chain: string | undefined, rulenum: number | undefined, o: ListOptions): ListResult {
  const t = table ?? newTable(tableName);
  const chains = chain === undefined ? sortedChains(t) : [t.chains.get(chain)].filter((c): c is Chain => !!c);
  if (chain !== undefined && chains.length === 0) return { ok: false, error: 'no-chain' };
  if (chain !== undefined && rulenum !== undefined && rulenum > 0) {
    const r = chains[0]!.rules[rulenum - 1];
    return { ok: true, text: r ? listRule(r, rulenum, o) + '\n' : '' };
  }
  // Every chain's references counted in one pass over the rules (not one pass per chain).
  const refs = chain === undefined ? referenceCounts(t) : new Map([[chain, references(t, chain)]]);
  const blocks: string[] = [];
  for (const c of chains) {
    const lines = [chainTitle(c, refs.get(c.name) ?? 0, o), header(o)];
    c.rules.forEach((r, i) => lines.push(listRule(r, i + 1, o)));
    blocks.push(lines.join('\n') + '\n');
  }
  return { ok: true, text: blocks.join('\n') };
}

/** `iptables [-t T] -S [CHAIN [N]] [-v]`. */
export function listRules(table: Table | undefined, tableName: Table['name'], chain: string | undefined, rulenum: number | undefined, verbose: boolean): ListResult {
  const t = table ?? newTable(tableName);
  const chains = chain === undefined ? sortedChains(t) : [t.chains.get(chain)].filter((c): c is Chain => !!c);
  if (chain !== undefined && chains.length === 0) return { ok: false, error: 'no-chain' };
  const cnt = (p: number, b: number): string => (verbose ? ` -c ${p} ${b}` : '');
  const rule = (c: Chain, r: Rule): string => `-A ${c.name}${cnt(r.counters.packets, r.counters.bytes)}${saveRuleSpec(r)}`;
  const lines: string[] = [];
  if (chain !== undefined && rulenum !== undefined && rulenum > 0) {
    const c = chains[0]!;
    const r = c.rules[rulenum - 1];
    return { ok: true, text: r ? rule(c, r) + '\n' : '' };
  }
  for (const c of chains) {
    if (c.builtin) lines.push(`-P ${c.name} ${c.policy}${cnt(c.counters.packets, c.counters.bytes)}`);
    else lines.push(`-N ${c.name}`);
  }
  for (const c of chains) for (const r of c.rules) lines.push(rule(c, r));
  return { ok: true, text: lines.length ? lines.join('\n') + '\n' : '' };
}
