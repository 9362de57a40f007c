/** Creating and changing netfilter state. Every change to a chain's rules goes through here so
 *  the chain's `version` moves and the evaluator's index stays honest. */
import { BUILTIN_CHAINS, type Chain, type Netfilter, type Rule, type Table, type TableName } from './types';

export function createNetfilter(): Netfilter {
  return { tables: new Map(), ipsets: new Map() };
}

export function newChain(name: string, builtin: boolean): Chain {
  return { name, builtin, policy: builtin ? 'ACCEPT' : undefined, counters: { packets: 0, bytes: 0 }, rules: [], version: 0 };
}

export function newTable(name: TableName): Table {
  const chains = new Map<string, Chain>();
  for (const c of BUILTIN_CHAINS[name]) chains.set(c, newChain(c, true));
  return { name, chains };
}

/** The table, created (with its built-in chains, policies ACCEPT) when first written to — as
 *  iptables-nft creates tables on demand. Listing does not create. */
export function ensureTable(nf: Netfilter, name: TableName): Table {
  let t = nf.tables.get(name);
  if (!t) {
    t = newTable(name);
    nf.tables.set(name, t);
  }
  return t;
}

export function isTableName(s: string): s is TableName {
  return s === 'filter' || s === 'nat' || s === 'mangle' || s === 'raw';
}

export function touch(chain: Chain): void {
  chain.version++;
}

export function appendRule(chain: Chain, rule: Rule): void {
  chain.rules.push(rule);
  touch(chain);
}

/** Insert at 1-based position. */
export function insertRule(chain: Chain, pos: number, rule: Rule): void {
  chain.rules.splice(pos - 1, 0, rule);
  touch(chain);
}

export function deleteRuleAt(chain: Chain, pos: number): void {
  chain.rules.splice(pos - 1, 1);
  touch(chain);
}

export function replaceRuleAt(chain: Chain, pos: number, rule: Rule): void {
  chain.rules[pos - 1] = rule;
  touch(chain);
}

export function flushChain(chain: Chain): void {
  chain.rules = [];
  touch(chain);
}

/** User chains sorted as iptables-save and iptables -L print them (strcmp order). */
export function sortedChains(t: Table): Chain[] {
  const builtins = BUILTIN_CHAINS[t.name].map((n) => t.chains.get(n)!).filter(Boolean);
  const names: string[] = [];
  for (const c of t.chains.values()) if (!c.builtin) names.push(c.name);
  names.sort(); // UTF-16 code unit order: strcmp for chain names
  for (const n of names) builtins.push(t.chains.get(n)!);
  return builtins;
}

/** How many rules in the table jump or go to `name` (the "(N references)" of iptables -L). */
export function references(t: Table, name: string): number {
  let n = 0;
  for (const c of t.chains.values()) for (const r of c.rules) if (r.target.kind === 'jump' && r.target.chain === name) n++;
  return n;
}
