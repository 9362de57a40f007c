/**
 * The little IP handling kube-proxy needs. Like upstream's netutils.ParseIPSloppy and
 * ParseCIDRSloppy, leading zeros are accepted and read as decimal ("172.30.0.041" is
 * 172.30.0.41), and output is always canonical (TestBadIPs).
 * IPv4 only: the emulated cluster is single-stack IPv4; an IPv6 string is reported as
 * family 6 so it can be filtered out, as the IPv4 proxier of a dual-stack pair does.
 */
export type Family = 4 | 6;

export function ipFamilyOf(s: string): Family | undefined {
  if (s.includes(':')) return 6;
  // The canonical form (nearly every address) needs no splitting.
  if (CANONICAL_IPV4.test(s)) return 4;
  return parseIPv4Sloppy(s) === undefined ? undefined : 4;
}

export function parseIPv4Sloppy(s: string): number | undefined {
  const parts = s.trim().split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

export function formatIPv4(n: number): string {
  return `${Math.floor(n / 16777216) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

const CANONICAL_IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** Canonical form of an IPv4 address, or undefined when not IPv4. */
export function canonicalIP(s: string): string | undefined {
  if (CANONICAL_IPV4.test(s)) return s;
  const n = parseIPv4Sloppy(s);
  return n === undefined ? undefined : formatIPv4(n);
}

export interface CIDR {
  base: number;
  bits: number;
  /** Canonical "a.b.c.d/n" with host bits cleared, like Go's (*net.IPNet).String(). */
  text: string;
}

export function parseCIDRSloppy(s: string): CIDR | undefined {
  const [ipText, bitsText, extra] = s.trim().split('/');
  if (extra !== undefined || ipText === undefined || bitsText === undefined || !/^\d{1,3}$/.test(bitsText)) return undefined;
  const ip = parseIPv4Sloppy(ipText);
  const bits = Number(bitsText);
  if (ip === undefined || bits > 32) return undefined;
  const size = 2 ** (32 - bits);
  const base = ip - (ip % size);
  return { base, bits, text: `${formatIPv4(base)}/${bits}` };
}

export function cidrContains(c: CIDR, ip: string): boolean {
  const n = parseIPv4Sloppy(ip);
  return n !== undefined && n >= c.base && n < c.base + 2 ** (32 - c.bits);
}
