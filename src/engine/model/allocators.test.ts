// ClusterIP and NodePort allocation (pkg/registry/core/service/ipallocator, portallocator):
// dynamic values from above the static band first (KEP-3070/KEP-3668), the API server's
// error texts for out-of-range and taken values.
import { describe, expect, it } from 'vitest';
import { createRng } from '../core/rng';
import { parseIPv4 } from '../core/ip';
import { ClusterIPAllocator, NodePortAllocator } from './allocators';

describe('ClusterIPAllocator', () => {
  it('hands out dynamic IPs above the static band (min(max(16, size/16), 256)) first', () => {
    const a = new ClusterIPAllocator('10.96.0.0/12', createRng(1));
    const base = parseIPv4('10.96.0.0')!;
    for (let i = 0; i < 50; i++) expect(parseIPv4(a.allocate()!)! - base).toBeGreaterThanOrEqual(256);
  });
  it('checks user-chosen IPs like the API server', () => {
    const a = new ClusterIPAllocator('10.96.0.0/12', createRng(1));
    expect(a.check('10.112.0.1')).toBe('the provided IP (10.112.0.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12');
    expect(a.check('10.96.0.0')).toMatch(/not in the valid range/); // network address
    a.reserve('10.96.0.10');
    expect(a.check('10.96.0.10')).toBe('provided IP is already allocated');
    expect(a.check('10.96.0.11')).toBeUndefined();
  });
  it('falls back to the static band, then reports full', () => {
    const a = new ClusterIPAllocator('10.0.0.0/28', createRng(1)); // 14 usable, static band 16 → all static
    const got = new Set<string>();
    for (let i = 0; i < 14; i++) got.add(a.allocate()!);
    expect(got.size).toBe(14);
    expect(a.allocate()).toBeUndefined();
  });
});

describe('NodePortAllocator', () => {
  it('allocates in range, above the static band first', () => {
    const a = new NodePortAllocator(30000, 2768, createRng(3));
    for (let i = 0; i < 50; i++) {
      const p = a.allocate()!;
      expect(p).toBeGreaterThanOrEqual(30000 + 86);
      expect(p).toBeLessThanOrEqual(32767);
    }
  });
  it('explains refused ports', () => {
    const a = new NodePortAllocator(30000, 2768, createRng(3));
    expect(a.check(80)).toBe('provided port is not in the valid range. The range of valid ports is 30000-32767');
    a.used.add(30080);
    expect(a.check(30080)).toBe('provided port is already allocated');
  });
});
