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
  if (isCanonicalIPv4(s)) return 4;
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

/**
 * Whether `s` is an IPv4 address in canonical form: four decimal octets 0-255 without
 * leading zeros. A character scan rather than a regular expression: it runs for every
 * endpoint address (100,000 in a full sync of a big cluster).
 */
export function isCanonicalIPv4(s: string): boolean {
  const n = s.length;
  let parts = 0;
  let i = 0;
  while (i < n) {
    const start = i;
    let v = 0;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) break;
      v = v * 10 + (c - 48);
      i++;
    }
    const len = i - start;
    // 1-3 digits, no leading zero, at most 255.
    if (len === 0 || len > 3 || (len > 1 && s.charCodeAt(start) === 48) || v > 255) return false;
    parts++;
    if (i === n) break;
    if (s.charCodeAt(i) !== 46 || parts === 4) return false;
    i++;
    if (i === n) return false;
  }
  return parts === 4;
}

/** Canonical form of an IPv4 address, or undefined when not IPv4. */
export function canonicalIP(s: string): string | undefined {
  if (isCanonicalIPv4(s)) return s;
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
