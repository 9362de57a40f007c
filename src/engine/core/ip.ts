/** IPv4 and CIDR arithmetic. Branded so a ClusterIP string and a random string don't mix silently. */

export type IPv4 = string & { readonly __brand: 'IPv4' };
export type CIDR = string & { readonly __brand: 'CIDR' };

export interface ParsedCIDR {
  /** Network address as an unsigned 32-bit number. */
  base: number;
  bits: number;
  size: number;
}

export function parseIPv4(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  if (m.slice(1).some((p) => p.length > 1 && p.startsWith('0'))) return undefined;
  return (((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!) >>> 0;
}

export function formatIPv4(n: number): IPv4 {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}` as IPv4;
}

export function isIPv4(s: string): s is IPv4 {
  return parseIPv4(s) !== undefined;
}

export function parseCIDR(s: string): ParsedCIDR | undefined {
  const [ip, bitsText, extra] = s.split('/');
  if (extra !== undefined || ip === undefined || bitsText === undefined || !/^\d{1,2}$/.test(bitsText)) return undefined;
  const addr = parseIPv4(ip);
  const bits = Number(bitsText);
  if (addr === undefined || bits > 32) return undefined;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { base: (addr & mask) >>> 0, bits, size: 2 ** (32 - bits) };
}

export function cidrContains(c: ParsedCIDR, ip: number): boolean {
  return ip >= c.base && ip < c.base + c.size;
}

export function formatCIDR(base: number, bits: number): CIDR {
  return `${formatIPv4(base)}/${bits}` as CIDR;
}

/** The n-th subnet of `bits` inside `c` (node podCIDRs: the n-th /24 of 10.244.0.0/16). */
export function subnet(c: ParsedCIDR, bits: number, n: number): CIDR {
  return formatCIDR(c.base + n * 2 ** (32 - bits), bits);
}
