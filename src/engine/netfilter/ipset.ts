/**
 * ipsets as data (what IPVS-mode kube-proxy fills): hash:ip, hash:ip,port, hash:ip,port,ip,
 * hash:ip,port,net, hash:net, bitmap:port; membership tests as `-m set --match-set` does them.
 * Members are kept in ipset's own entry syntax (`10.96.0.1,tcp:80`, `10.244.0.0/16`).
 */
import { maskOf, parseAddr, formatIPv4, parseIPv4 } from './addr';
import type { IpSet, IpSetType } from './types';

export const IPSET_TYPES: readonly IpSetType[] = ['hash:ip', 'hash:ip,port', 'hash:ip,port,ip', 'hash:ip,port,net', 'hash:net', 'bitmap:port'];

export function createIpSet(name: string, type: string, options: Record<string, string> = {}): IpSet | string {
  if (!(IPSET_TYPES as readonly string[]).includes(type)) return `ipset v7.17: Syntax error: typename '${type}' is unknown`;
  if (name.length > 31) return `ipset v7.17: Syntax error: setname '${name}' is longer than 31 characters`;
  return { name, type: type as IpSetType, members: new Set(), options };
}

const PROTOS: Readonly<Record<number, string>> = { 6: 'tcp', 17: 'udp', 132: 'sctp' };

function normNet(text: string): string | undefined {
  const a = parseAddr(text, false);
  if (!a) return undefined;
  return a.bits === 32 && !text.includes('/') ? formatIPv4(a.base) : `${formatIPv4(a.base)}/${a.bits}`;
}

function normPort(text: string): string | undefined {
  const m = /^(?:(tcp|udp|sctp):)?(\d+)$/.exec(text);
  if (!m || Number(m[2]) > 65535) return undefined;
  return `${m[1] ?? 'tcp'}:${Number(m[2])}`;
}

/** Normalise an entry as `ipset add` would store and `ipset list` print it. */
export function normaliseEntry(set: IpSet, entry: string): string | undefined {
  const parts = entry.split(',');
  switch (set.type) {
    case 'hash:ip': return parts.length === 1 && parseIPv4(parts[0]!) !== undefined ? parts[0] : undefined;
    case 'hash:net': return parts.length === 1 ? normNet(parts[0]!) : undefined;
    case 'bitmap:port': return parts.length === 1 && /^\d+$/.test(parts[0]!) && Number(parts[0]) <= 65535 ? String(Number(parts[0])) : undefined;
    case 'hash:ip,port': {
      const p = parts.length === 2 && parseIPv4(parts[0]!) !== undefined ? normPort(parts[1]!) : undefined;
      return p && `${parts[0]},${p}`;
    }
    case 'hash:ip,port,ip': {
      const p = parts.length === 3 && parseIPv4(parts[0]!) !== undefined && parseIPv4(parts[2]!) !== undefined ? normPort(parts[1]!) : undefined;
      return p && `${parts[0]},${p},${parts[2]}`;
    }
    case 'hash:ip,port,net': {
      const p = parts.length === 3 && parseIPv4(parts[0]!) !== undefined ? normPort(parts[1]!) : undefined;
      const n = parts.length === 3 ? normNet(parts[2]!) : undefined;
      return p && n && `${parts[0]},${p},${n}`;
    }
  }
}

export function ipsetAdd(set: IpSet, entry: string): boolean {
  const e = normaliseEntry(set, entry);
  if (e === undefined) return false;
  set.members.add(e);
  return true;
}

export function ipsetDel(set: IpSet, entry: string): boolean {
  const e = normaliseEntry(set, entry);
  return e !== undefined && set.members.delete(e);
}

/** The values a `--match-set NAME dir,dir,...` lookup takes from the packet. */
export interface SetLookup {
  src: number;
  dst: number;
  sport?: number;
  dport?: number;
  proto: number;
}

/** Membership as xt_set tests it: each flag picks the packet's src or dst for the next dimension. */
export function ipsetTest(set: IpSet, flags: readonly ('src' | 'dst')[], p: SetLookup): boolean {
  const ip = (i: number): number => (flags[i] === 'src' ? p.src : p.dst);
  const port = (i: number): number | undefined => (flags[i] === 'src' ? p.sport : p.dport);
  const pp = (i: number): string | undefined => {
    const name = PROTOS[p.proto];
    const n = port(i);
    return name && n !== undefined ? `${name}:${n}` : undefined;
  };
  const nets = (addr: number, has: (k: string) => boolean, prefix: string): boolean => {
    for (let b = 32; b >= 0; b--) {
      const base = (addr & maskOf(b)) >>> 0;
      const key = b === 32 ? `${prefix}${formatIPv4(base)}` : `${prefix}${formatIPv4(base)}/${b}`;
      if (has(key) || (b === 32 && has(`${prefix}${formatIPv4(base)}/32`))) return true;
    }
    return false;
  };
  const has = (k: string): boolean => set.members.has(k);
  switch (set.type) {
    case 'hash:ip': return has(formatIPv4(ip(0)));
    case 'hash:net': return nets(ip(0), has, '');
    case 'bitmap:port': {
      const n = port(0);
      return n !== undefined && has(String(n));
    }
    case 'hash:ip,port': {
      const q = pp(1);
      return q !== undefined && has(`${formatIPv4(ip(0))},${q}`);
    }
    case 'hash:ip,port,ip': {
      const q = pp(1);
      return q !== undefined && flags.length >= 3 && has(`${formatIPv4(ip(0))},${q},${formatIPv4(ip(2))}`);
    }
    case 'hash:ip,port,net': {
      const q = pp(1);
      return q !== undefined && flags.length >= 3 && nets(ip(2), has, `${formatIPv4(ip(0))},${q},`);
    }
  }
}
