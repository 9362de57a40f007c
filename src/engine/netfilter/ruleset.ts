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

/** A table's chains in the order they were made, and in the order iptables prints them. */
export interface ChainOrder {
  /** As the table holds them (creation order). */
  created: readonly Chain[];
  /** The built-in chains in hook order, then the user chains in strcmp order. */
  sorted: readonly Chain[];
  /** sorted[k] is created[createdIndex[k]]. */
  createdIndex: Int32Array;
}

/** The last order of each table, with the chain names it was made from. */
const orders = new WeakMap<Table, { names: string[]; order: ChainOrder }>();

/** The table's chain order; the same object again while its chains are the same ones, with
 *  the same names, in the same order. */
export function chainOrder(t: Table): ChainOrder {
  const hit = orders.get(t);
  if (hit && hit.names.length === t.chains.size) {
    const created = hit.order.created;
    let k = 0;
    for (const c of t.chains.values()) {
      if (c !== created[k] || c.name !== hit.names[k]) break;
      k++;
    }
    if (k === created.length) return hit.order;
  }
  // Typed arrays and indexed loops: this runs once per table on a cold engine (the first
  // iptables-save of 110k chains), where iterators and generic copies cost the most.
  const n = t.chains.size;
  const created = new Array<Chain>(n);
  const names = new Array<string>(n);
  const user = new Int32Array(n);
  const userNames: string[] = [];
  let k = 0;
  for (const c of t.chains.values()) {
    created[k] = c;
    names[k] = c.name;
    if (!c.builtin) {
      user[userNames.length] = k;
      userNames.push(c.name);
    }
    k++;
  }
  let createdIndex = new Int32Array(n);
  let at = 0;
  for (const name of BUILTIN_CHAINS[t.name]) {
    const c = t.chains.get(name);
    if (c?.builtin) createdIndex[at++] = created.indexOf(c);
  }
  const byName = sortedOrder(userNames);
  for (let j = 0; j < byName.length; j++) createdIndex[at++] = user[byName[j]!]!;
  if (at < n) createdIndex = createdIndex.slice(0, at);
  const sorted = new Array<Chain>(at);
  for (let j = 0; j < at; j++) sorted[j] = created[createdIndex[j]!]!;
  const order: ChainOrder = { created, sorted, createdIndex };
  orders.set(t, { names, order });
  return order;
}

/** The built-in chains in hook order, then the user chains sorted as iptables-save and
 *  iptables -L print them (strcmp order). */
export function sortedChains(t: Table): readonly Chain[] {
  return chainOrder(t).sorted;
}

/** For every chain name, how many rules in the table jump or go to it. */
export function referenceCounts(t: Table): Map<string, number> {
  const n = new Map<string, number>();
  for (const c of t.chains.values()) {
    for (const r of c.rules) if (r.target.kind === 'jump') n.set(r.target.chain, (n.get(r.target.chain) ?? 0) + 1);
  }
  return n;
}

/** How many rules in the table jump or go to `name` (the "(N references)" of iptables -L). */
export function references(t: Table, name: string): number {
  let n = 0;
  for (const c of t.chains.values()) for (const r of c.rules) if (r.target.kind === 'jump' && r.target.chain === name) n++;
  return n;
}

/**
 * The indexes of `names` in UTF-16 code unit order (the order `sort()` gives strings: strcmp
 * for chain names). A multikey quicksort (Bentley & Sedgewick): 100k kube-proxy chains share
 * long prefixes (KUBE-SEP-…) that a comparison sort reads again on every comparison, while
 * this looks at each character position once per partition. The names are read from one
 * string holding them all, side by side in memory.
 */
export function sortedOrder(names: readonly string[]): Int32Array {
  const n = names.length;
  const idx = new Int32Array(n);
  const start = new Int32Array(n);
  const len = new Int32Array(n);
  let at = 0;
  for (let k = 0; k < n; k++) {
    idx[k] = k;
    start[k] = at;
    len[k] = names[k]!.length;
    at += len[k]!;
  }
  multikey({ all: names.join(''), start, len }, idx, 0, n, 0);
  return idx;
}

interface Keys {
  /** Every name, one after the other. */
  all: string;
  start: Int32Array;
  len: Int32Array;
}

/** Code unit `d` of name `k`, -1 past its end (a shorter name sorts first). */
const unitAt = (keys: Keys, k: number, d: number): number => (d < keys.len[k]! ? keys.all.charCodeAt(keys.start[k]! + d) : -1);

/** Name k < name j, compared from code unit `d` (the ones before are equal). */
function less(keys: Keys, k: number, j: number, d: number): boolean {
  for (;;) {
    const a = unitAt(keys, k, d);
    const b = unitAt(keys, j, d);
    if (a !== b) return a < b;
    if (a < 0) return false;
    d++;
  }
}

/** Sort idx[lo, hi), whose names agree on their first `d` code units. */
function multikey(keys: Keys, idx: Int32Array, lo: number, hi: number, d: number): void {
  while (hi - lo > 12) {
    // Pivot: the median of three code units at `d`.
    const a = unitAt(keys, idx[lo]!, d);
    const b = unitAt(keys, idx[(lo + hi) >>> 1]!, d);
    const c = unitAt(keys, idx[hi - 1]!, d);
    const p = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    // Three ways: [lo, lt) below the pivot, [lt, gt) equal, [gt, hi) above.
    let lt = lo;
    let gt = hi;
    let i = lo;
    while (i < gt) {
      const u = unitAt(keys, idx[i]!, d);
      if (u < p) {
        const t = idx[lt]!; idx[lt++] = idx[i]!; idx[i++] = t;
      } else if (u > p) {
        const t = idx[--gt]!; idx[gt] = idx[i]!; idx[i] = t;
      } else i++;
    }
    multikey(keys, idx, lo, lt, d);
    multikey(keys, idx, gt, hi, d);
    if (p < 0) return; // the equal part ended at `d`: they are all the same string
    lo = lt;
    hi = gt;
    d++;
  }
  // A few left: insertion sort.
  for (let i = lo + 1; i < hi; i++) {
    const v = idx[i]!;
    let j = i - 1;
    while (j >= lo && less(keys, v, idx[j]!, d)) {
      idx[j + 1] = idx[j]!;
      j--;
    }
    idx[j + 1] = v;
  }
}
