/**
 * netfilter as data: the tables, chains and rules of one network namespace (a node), the
 * ipsets beside them, and the shapes of packets the evaluator walks through them.
 * Everything here is plain data; ruleset.ts mutates it, save.ts prints it, evaluate.ts runs it.
 */

export type TableName = 'filter' | 'nat' | 'mangle' | 'raw';

/** Built-in chains of each table, in hook order (the order iptables-save prints them). */
export const BUILTIN_CHAINS: Readonly<Record<TableName, readonly string[]>> = {
  raw: ['PREROUTING', 'OUTPUT'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
};

/**
 * iptables-nft's save order (enum nft_table_type in iptables/nft.h: mangle, security, raw,
 * filter, nat), checked against iptables-save v1.8.9 (nf_tables).
 */
export const TABLE_ORDER: readonly TableName[] = ['mangle', 'raw', 'filter', 'nat'];

export type Policy = 'ACCEPT' | 'DROP';

export interface Counters {
  packets: number;
  bytes: number;
}

/** An address match: `-s 10.0.0.0/8`, `! -d 10.96.0.1/32`. base/bits normalised (host bits cleared). */
export interface AddrMatch {
  base: number;
  bits: number;
  inv: boolean;
}

export interface IfaceMatch {
  /** Name without a trailing `+`. */
  name: string;
  /** `eth+`: prefix match. */
  wildcard: boolean;
  inv: boolean;
}

export interface PortRange {
  from: number;
  to: number;
}

export type CtState = 'INVALID' | 'NEW' | 'RELATED' | 'ESTABLISHED' | 'UNTRACKED' | 'SNAT' | 'DNAT';
/** libxt_conntrack print_state order. */
export const CT_STATES: readonly CtState[] = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED', 'SNAT', 'DNAT'];

export type AddrType =
  | 'UNSPEC' | 'UNICAST' | 'LOCAL' | 'BROADCAST' | 'ANYCAST' | 'MULTICAST'
  | 'BLACKHOLE' | 'UNREACHABLE' | 'PROHIBIT' | 'THROW' | 'NAT' | 'XRESOLVE';
/** libxt_addrtype rtn_names order (bit order). */
export const ADDR_TYPES: readonly AddrType[] = [
  'UNSPEC', 'UNICAST', 'LOCAL', 'BROADCAST', 'ANYCAST', 'MULTICAST',
  'BLACKHOLE', 'UNREACHABLE', 'PROHIBIT', 'THROW', 'NAT', 'XRESOLVE',
];

export interface Inv<T> {
  value: T;
  inv: boolean;
}

export type Match =
  | { kind: 'tcp' | 'udp' | 'sctp'; sport?: Inv<PortRange>; dport?: Inv<PortRange> }
  | { kind: 'icmp'; icmpType?: Inv<{ type: number; codeMin: number; codeMax: number }> }
  | { kind: 'multiport'; dir: 'sports' | 'dports' | 'ports'; ports: PortRange[]; inv: boolean }
  | { kind: 'comment'; comment: string }
  | { kind: 'addrtype'; srcType?: Inv<AddrType[]>; dstType?: Inv<AddrType[]>; limitIfaceIn: boolean; limitIfaceOut: boolean }
  | { kind: 'mark'; value: number; mask: number; inv: boolean }
  | {
      kind: 'conntrack';
      ctstate?: Inv<CtState[]>;
      ctproto?: Inv<number>;
      ctorigsrc?: AddrMatch;
      ctorigdst?: AddrMatch;
      ctreplsrc?: AddrMatch;
      ctrepldst?: AddrMatch;
      ctdir?: 'ORIGINAL' | 'REPLY';
    }
  | { kind: 'state'; states: CtState[]; inv: boolean }
  | { kind: 'statistic'; mode: 'random'; probability: number; inv: boolean }
  | { kind: 'statistic'; mode: 'nth'; every: number; packet: number; inv: boolean }
  | {
      kind: 'recent';
      cmd: 'set' | 'rcheck' | 'update' | 'remove';
      inv: boolean;
      seconds: number;
      reap: boolean;
      hitcount: number;
      rttl: boolean;
      name: string;
      mask: number;
      side: 'source' | 'dest';
    }
  | { kind: 'set'; name: string; flags: ('src' | 'dst')[]; inv: boolean }
  | {
      kind: 'physdev';
      /** `--physdev-in eth+` (name without the `+`, as -i). */
      physIn?: IfaceMatch;
      physOut?: IfaceMatch;
      isIn?: { inv: boolean };
      isOut?: { inv: boolean };
      isBridged?: { inv: boolean };
    }
  | {
      kind: 'ipvs';
      /** `[!] --ipvs`; implied (and not printed) when any other option is given. */
      ipvs?: { inv: boolean };
      vproto?: Inv<number>;
      /** Address as given (host bits kept, as XTTYPE_HOSTMASK does) and its mask. */
      vaddr?: { addr: number; mask: number; inv: boolean };
      vport?: Inv<number>;
      /** No `!`: REPLY is the inverted ORIGINAL (xt_ipvs_mtinfo.invert & XT_IPVS_DIR). */
      vdir?: 'ORIGINAL' | 'REPLY';
      vmethod?: Inv<IpvsMethod>;
      vportctl?: Inv<number>;
    };

/** IPVS forwarding methods as libxt_ipvs names them (IP_VS_CONN_F_DROUTE/TUNNEL/MASQ). */
export type IpvsMethod = 'GATE' | 'IPIP' | 'MASQ';

export type MatchKind = Match['kind'];

export type RejectWith =
  | 'icmp-net-unreachable' | 'icmp-host-unreachable' | 'icmp-port-unreachable' | 'icmp-proto-unreachable'
  | 'icmp-net-prohibited' | 'icmp-host-prohibited' | 'tcp-reset' | 'icmp-admin-prohibited';

/** A NAT range as `--to-destination 10.0.0.1[-10.0.0.2][:80[-81]]`. */
export interface NatRange {
  ipMin?: number;
  ipMax?: number;
  portMin?: number;
  portMax?: number;
}

export type Target =
  | { kind: 'none' }
  | { kind: 'verdict'; verdict: 'ACCEPT' | 'DROP' | 'RETURN' }
  | { kind: 'jump'; chain: string; goto: boolean }
  | { kind: 'REJECT'; with: RejectWith }
  | { kind: 'DNAT'; range: NatRange; random: boolean; persistent: boolean }
  | { kind: 'SNAT'; range: NatRange; random: boolean; randomFully: boolean; persistent: boolean }
  | { kind: 'MASQUERADE'; ports?: { min: number; max: number }; random: boolean; randomFully: boolean }
  | { kind: 'MARK'; value: number; mask: number }
  | { kind: 'CONNMARK'; value: number; mask: number }
  | { kind: 'LOG'; prefix: string; level: number };

export interface Rule {
  src?: AddrMatch;
  dst?: AddrMatch;
  inIface?: IfaceMatch;
  outIface?: IfaceMatch;
  /** IP protocol number; 0 or absent = all. */
  proto?: number;
  protoInv?: boolean;
  matches: Match[];
  target: Target;
  counters: Counters;
}

export interface Chain {
  name: string;
  builtin: boolean;
  /** Built-in chains only. */
  policy?: Policy;
  /** Policy counters (built-ins). */
  counters: Counters;
  rules: Rule[];
  /** Bumped on every change; the evaluator's index is keyed by it. */
  version: number;
}

export interface Table {
  name: TableName;
  chains: Map<string, Chain>;
}

export type IpSetType =
  | 'hash:ip' | 'hash:ip,port' | 'hash:ip,port,ip' | 'hash:ip,port,net' | 'hash:net' | 'bitmap:port';

export interface IpSet {
  name: string;
  type: IpSetType;
  /** Canonical member keys as `ipset list` prints them, e.g. `10.96.0.1,tcp:80`. */
  members: Set<string>;
  /** For hash:net and hash:ip,port,net: the distinct prefix lengths present (longest first). */
  comment?: boolean;
  options: Record<string, string>;
}

/** One network namespace's netfilter state (a node's, or a pod's). */
export interface Netfilter {
  tables: Map<TableName, Table>;
  ipsets: Map<string, IpSet>;
}

export const PROTO_NUMBERS: Readonly<Record<string, number>> = {
  all: 0, icmp: 1, igmp: 2, ipencap: 4, tcp: 6, egp: 8, udp: 17, ipv6: 41, gre: 47, esp: 50, ah: 51,
  'ipv6-icmp': 58, icmpv6: 58, ospf: 89, pim: 103, vrrp: 112, sctp: 132, udplite: 136, mh: 135,
};
