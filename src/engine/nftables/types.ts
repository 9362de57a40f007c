/**
 * nftables as data: one network namespace's tables, their chains (base chains on a hook
 * with a type and priority, and regular chains), named sets and maps with their elements,
 * and rules as parsed statements. script.ts changes it (the `nft -f` transaction), print.ts
 * prints it as `nft list` does (nft 1.0.6), evaluate.ts runs packets through it.
 *
 * Only what kube-proxy writes and what a learner types at it is modelled: IPv4 payload
 * matches, meta l4proto/mark/iifname, th/tcp/udp/sctp ports, ct state, fib type, numgen,
 * verdict maps, set updates with timeouts, dnat, masquerade, reject, counter.
 */

export type Family = 'ip' | 'ip6' | 'inet';
export type HookName = 'prerouting' | 'input' | 'forward' | 'output' | 'postrouting';
export type ChainType = 'filter' | 'nat' | 'route';

export type Verdict =
  | { kind: 'accept' | 'drop' | 'return' | 'continue' }
  | { kind: 'jump' | 'goto'; chain: string };

/** The field a match or a lookup reads. */
export type Selector =
  | 'ip saddr' | 'ip daddr' | 'ip protocol' | 'ip6 saddr' | 'ip6 daddr'
  | 'meta l4proto' | 'meta mark' | 'meta iifname' | 'meta oifname'
  | 'th sport' | 'th dport' | 'tcp sport' | 'tcp dport' | 'udp sport' | 'udp dport' | 'sctp sport' | 'sctp dport'
  | 'ct state';

/** The datatype of a selector, a set key or a map value (nft's names). */
export type DataType = 'ipv4_addr' | 'ipv6_addr' | 'inet_proto' | 'inet_service' | 'mark' | 'ifname' | 'ct_state' | 'verdict';

/**
 * One value of a datatype. Addresses are numbers with a prefix length (32: a host);
 * ports may be ranges; interface names may end in a `*` wildcard; ct state is a bit mask.
 */
export type Value =
  | { t: 'addr'; base: number; bits: number }
  /** An IPv6 address or prefix, kept as text (our packets are IPv4: never matched). */
  | { t: 'addr6'; s: string }
  | { t: 'num'; n: number; to?: number }
  | { t: 'str'; s: string; wildcard: boolean };

export type Rhs =
  | { k: 'value'; v: Value }
  | { k: 'setref'; name: string }
  | { k: 'anon'; items: Value[] };

export type Stmt =
  /** `ip daddr 10.96.0.1`, `ip saddr != 10.244.0.0/16`, `ip daddr @cluster-ips`, `tcp dport { 80, 443 }`. */
  | { k: 'match'; sel: Selector; op: '==' | '!='; rhs: Rhs }
  /** `meta mark & 0x00004000 == 0x00000000`. */
  | { k: 'bitmatch'; sel: 'meta mark'; mask: number; op: '==' | '!='; value: number }
  /** `fib saddr type local`. */
  | { k: 'fib'; dir: 'saddr' | 'daddr'; op: '==' | '!='; type: 'local' }
  /** `ip daddr . meta l4proto . th dport vmap @service-ips`, or an anonymous map. */
  | { k: 'vmap'; sel: Selector[]; map: { k: 'ref'; name: string } | { k: 'anon'; entries: { key: Value[]; verdict: Verdict }[] } }
  /** `numgen random mod 2 vmap { 0 : goto a, 1 : goto b }`. */
  | { k: 'numgen'; mod: number; offset: number; entries: { key: number; verdict: Verdict }[] }
  /** `meta mark set meta mark | 0x00004000` (op 'set': a constant). */
  | { k: 'markset'; op: 'or' | 'xor' | 'and' | 'set'; value: number }
  /** `update @affinity-… { ip saddr }` (or `add`). */
  | { k: 'setupdate'; op: 'update' | 'add'; set: string; sel: Selector }
  | { k: 'counter'; packets: number; bytes: number }
  | { k: 'dnat'; addr: number; port?: number }
  | { k: 'masquerade'; flags: string[] }
  | { k: 'reject'; with?: string }
  | { k: 'verdict'; v: Verdict };

export interface NftRule {
  handle: number;
  stmts: Stmt[];
  comment?: string;
  /** The rule as `nft list` prints it (without the comment), once the evaluator's traces needed it ('' before). */
  text: string;
}

export interface BaseChainSpec {
  type: ChainType;
  hook: HookName;
  priority: number;
  policy: 'accept' | 'drop';
}

export interface NftChain {
  name: string;
  handle: number;
  base?: BaseChainSpec;
  comment?: string;
  rules: NftRule[];
  /** Rules and map elements that jump or go to this chain (the kernel's chain->use). */
  use: number;
}

export interface NftElement {
  key: Value[];
  /** Map value (verdict maps only). */
  verdict?: Verdict;
  comment?: string;
  /** Engine time (ms) the element expires, for sets with timeouts. */
  expires?: number;
  /** Its own timeout (ms), when given on the element (`10.0.0.2 timeout 1h`). */
  timeout?: number;
}

export interface NftSet {
  name: string;
  handle: number;
  isMap: boolean;
  keyType: DataType[];
  dataType?: DataType;
  flags: string[];
  /** Default element timeout, ms. */
  timeout?: number;
  size?: number;
  comment?: string;
  /** Keyed by keyString(key). */
  elements: Map<string, NftElement>;
}

export interface NftTable {
  family: Family;
  name: string;
  handle: number;
  comment?: string;
  chains: Map<string, NftChain>;
  sets: Map<string, NftSet>;
  /** The table's handle generator: chains, sets and rules draw from it. */
  nextHandle: number;
}

/** One network namespace's nftables. */
export interface NftRuleset {
  /** In creation order (the kernel lists them so). */
  tables: NftTable[];
  /** Table handles are per namespace. */
  nextTableHandle: number;
  /** Bumped on every committed change (the evaluator's caches key on it). */
  generation: number;
}

export function createNftRuleset(): NftRuleset {
  return { tables: [], nextTableHandle: 1, generation: 0 };
}

export function findTable(rs: NftRuleset, family: Family, name: string): NftTable | undefined {
  for (const t of rs.tables) if (t.family === family && t.name === name) return t;
  return undefined;
}

/** The map key of an element: its values' numbers (or strings) joined. */
export function keyString(key: readonly Value[]): string {
  let s = '';
  for (let i = 0; i < key.length; i++) {
    const v = key[i]!;
    if (i > 0) s += ',';
    s += v.t === 'addr' ? (v.bits === 32 ? String(v.base) : `${v.base}/${v.bits}`) : v.t === 'num' ? (v.to === undefined ? String(v.n) : `${v.n}-${v.to}`) : v.s;
  }
  return s;
}

/** What a selector reads, as a datatype. */
export const SELECTOR_TYPE: Readonly<Record<Selector, DataType>> = {
  'ip saddr': 'ipv4_addr', 'ip daddr': 'ipv4_addr', 'ip protocol': 'inet_proto', 'ip6 saddr': 'ipv6_addr', 'ip6 daddr': 'ipv6_addr',
  'meta l4proto': 'inet_proto', 'meta mark': 'mark', 'meta iifname': 'ifname', 'meta oifname': 'ifname',
  'th sport': 'inet_service', 'th dport': 'inet_service', 'tcp sport': 'inet_service', 'tcp dport': 'inet_service',
  'udp sport': 'inet_service', 'udp dport': 'inet_service', 'sctp sport': 'inet_service', 'sctp dport': 'inet_service',
  'ct state': 'ct_state',
};

/** Standard priorities (nft's std_prios for ip/ip6/inet), with the hooks a name is valid on. */
export const STD_PRIORITIES: readonly { name: string; value: number; hooks?: readonly HookName[] }[] = [
  { name: 'raw', value: -300 },
  { name: 'mangle', value: -150 },
  { name: 'dstnat', value: -100, hooks: ['prerouting'] },
  { name: 'filter', value: 0 },
  { name: 'security', value: 50 },
  { name: 'srcnat', value: 100, hooks: ['postrouting'] },
];

/** ct state bits (nf_conntrack_common.h) and nft's print order. */
export const CT_STATE_BITS: Readonly<Record<string, number>> = { invalid: 1, established: 2, related: 4, new: 8, untracked: 64 };
export const CT_STATE_ORDER: readonly string[] = ['invalid', 'established', 'related', 'new', 'untracked'];
