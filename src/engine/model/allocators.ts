/**
 * ClusterIP and NodePort allocation as the API server does it at Service create time
 * (pkg/registry/core/service/ipallocator, portallocator). Both reserve a low "static" band
 * for user-chosen values and hand out random dynamic values from above it first
 * (KEP-3070 / KEP-3668), so auto-assigned ClusterIPs look like 10.96.123.45.
 */
import { formatIPv4, parseCIDR, parseIPv4, cidrContains, type ParsedCIDR } from '../core/ip';
import type { Rng } from '../core/rng';

/** Allocate in [lo, hi): random from the dynamic band [staticEnd, hi) first, then the static band. */
function pick(rng: Rng, lo: number, hi: number, staticEnd: number, used: (n: number) => boolean): number | undefined {
  const bands: [number, number][] = [[staticEnd, hi], [lo, staticEnd]];
  for (const [a, b] of bands) {
    const n = b - a;
    if (n <= 0) continue;
    const start = rng.int(n);
    for (let i = 0; i < n; i++) {
      const v = a + ((start + i) % n);
      if (!used(v)) return v;
    }
  }
  return undefined;
}

export class ClusterIPAllocator {
  readonly cidr: ParsedCIDR;
  readonly used = new Set<number>();
  constructor(readonly cidrText: string, private readonly rng: Rng) {
    this.cidr = parseCIDR(cidrText)!;
  }
  /** The first usable address (the `kubernetes` Service) and the nth one (kube-dns is .10). */
  nth(n: number): string {
    return formatIPv4(this.cidr.base + n);
  }
  /** Error text as ipallocator returns it, or undefined when `ip` may be taken. */
  check(ip: string): string | undefined {
    const n = parseIPv4(ip);
    const last = this.cidr.base + this.cidr.size - 1;
    if (n === undefined || !cidrContains(this.cidr, n) || n === this.cidr.base || n === last) {
      return `the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${this.cidrText}`;
    }
    if (this.used.has(n)) return 'provided IP is already allocated';
    return undefined;
  }
  reserve(ip: string): void {
    const n = parseIPv4(ip);
    if (n !== undefined) this.used.add(n);
  }
  release(ip: string): void {
    const n = parseIPv4(ip);
    if (n !== undefined) this.used.delete(n);
  }
  allocate(): string | undefined {
    const lo = this.cidr.base + 1;
    const hi = this.cidr.base + this.cidr.size - 1;
    const staticSize = Math.min(Math.max(16, Math.floor(this.cidr.size / 16)), 256);
    const n = pick(this.rng, lo, hi, Math.min(hi, this.cidr.base + staticSize), (v) => this.used.has(v));
    if (n === undefined) return undefined;
    this.used.add(n);
    return formatIPv4(n);
  }
}

export class NodePortAllocator {
  readonly used = new Set<number>();
  constructor(readonly base: number, readonly size: number, private readonly rng: Rng) {}
  get rangeText(): string {
    return `${this.base}-${this.base + this.size - 1}`;
  }
  check(port: number): string | undefined {
    if (port < this.base || port >= this.base + this.size) {
      return `provided port is not in the valid range. The range of valid ports is ${this.rangeText}`;
    }
    if (this.used.has(port)) return 'provided port is already allocated';
    return undefined;
  }
  allocate(): number | undefined {
    const staticSize = Math.min(Math.max(16, Math.floor(this.size / 32)), 128);
    const n = pick(this.rng, this.base, this.base + this.size, this.base + staticSize, (v) => this.used.has(v));
    if (n !== undefined) this.used.add(n);
    return n;
  }
}
