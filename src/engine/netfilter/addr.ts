/** Addresses, masks and ports as iptables parses and prints them. */
import { formatIPv4 } from '../core/ip';
import { NETWORKS, serviceName, servicePort } from './services';
import type { AddrMatch } from './types';

export { formatIPv4 };

/** A dotted quad (`10.96.0.1`: four parts of 1-3 digits, each ≤ 255, no leading zero — the
 *  grammar of core/ip's parseIPv4), read without a regex: a restore reads hundreds of
 *  thousands of addresses. */
export function parseIPv4(s: string): number | undefined {
  return readIPv4(s, 0, s.length, quad) === s.length ? quad[0] : undefined;
}
const quad = [0];

/** The dotted quad that starts text[s, e): its value in out[0], and where it ends (-1: none). */
export function readIPv4(text: string, s: number, e: number, out: number[]): number {
  let i = s;
  let value = 0;
  for (let part = 0; part < 4; part++) {
    if (part > 0) {
      if (i >= e || text.charCodeAt(i) !== 46 /* . */) return -1;
      i++;
    }
    const from = i;
    let v = 0;
    while (i < e && i - from < 4) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) break;
      v = v * 10 + c - 48;
      i++;
    }
    const len = i - from;
    if (len === 0 || len > 3 || v > 255 || (len > 1 && text.charCodeAt(from) === 48)) return -1;
    value = value * 256 + v;
  }
  out[0] = value;
  return i;
}

export function maskOf(bits: number): number {
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}

/** `10.0.0.1`, `10.0.0.0/8`, `10.2.0.0/255.255.0.0` → network match (host bits cleared, as
 *  iptables does: `-s 10.1.2.3/8` saves as `-s 10.0.0.0/8`). */
export function parseAddr(text: string, inv: boolean): AddrMatch | undefined {
  const slash = text.indexOf('/');
  const ipText = slash < 0 ? text : text.slice(0, slash);
  const ip = parseIPv4(ipText);
  if (ip === undefined) return undefined;
  let bits = 32;
  if (slash >= 0) {
    const m = text.slice(slash + 1);
    if (/^\d{1,2}$/.test(m)) {
      bits = Number(m);
      if (bits > 32) return undefined;
    } else {
      const mask = parseIPv4(m);
      if (mask === undefined) return undefined;
      const b = prefixOfMask(mask);
      if (b === undefined) return undefined;
      bits = b;
    }
  }
  return { base: (ip & maskOf(bits)) >>> 0, bits, inv };
}

export function prefixOfMask(mask: number): number | undefined {
  for (let b = 0; b <= 32; b++) if (maskOf(b) === mask >>> 0) return b;
  return undefined;
}

export function addrContains(a: AddrMatch, ip: number): boolean {
  const hit = a.bits === 0 || ((ip & maskOf(a.bits)) >>> 0) === a.base;
  return hit !== a.inv;
}

/** iptables-save form: always with the prefix length (`10.96.0.1/32`). */
export function saveAddr(a: AddrMatch): string {
  return `${formatIPv4(a.base)}/${a.bits}`;
}

/** iptables -L form: /32 is left off (xtables_ipmask_to_numeric); without -n a host address
 *  is shown by name when the resolver knows one (/etc/hosts: 127.0.0.1 is localhost). */
export function listAddr(a: AddrMatch | undefined, numeric: boolean, hostName?: (ip: string) => string | undefined): string {
  if (!a || a.bits === 0) return (a?.inv ? '!' : '') + (numeric ? `${formatIPv4(a?.base ?? 0)}/0` : 'anywhere');
  const ip = formatIPv4(a.base);
  const name = numeric ? undefined : a.bits === 32 ? (hostName ? hostName(ip) : ip === '127.0.0.1' ? 'localhost' : undefined) : NETWORKS.get(a.base);
  return (a.inv ? '!' : '') + (name ?? ip) + (a.bits === 32 ? '' : `/${a.bits}`);
}

export function portName(port: number, numeric: boolean, proto = 6): string {
  if (numeric) return String(port);
  return serviceName(port, proto) ?? String(port);
}

export function parsePort(text: string): number | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n <= 65535 ? n : undefined;
  }
  return servicePort(text);
}

/** Hex as libxtables prints marks: 0x4000. */
export function hex(n: number): string {
  return '0x' + (n >>> 0).toString(16);
}

/** strtoul(…, 0) as xtables_strtoui parses mark values: 0x.. hex, 0.. octal, decimal. */
export function parseUInt32(text: string): number | undefined {
  let n: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) n = parseInt(text.slice(2), 16);
  else if (/^0[0-7]*$/.test(text)) n = parseInt(text, 8);
  else if (/^[1-9]\d*$/.test(text)) n = Number(text);
  else return undefined;
  return n <= 0xffffffff ? n : undefined;
}
