// The scale explorer's node: the counts follow from kube-proxy's ruleset structure, not from
// our own output. Per ClusterIP Service with E ready endpoints and a cluster CIDR set,
// upstream's iptables proxier writes 1 KUBE-SERVICES jump, a KUBE-SVC chain of 1 masquerade
// rule + E probability jumps, and per endpoint a KUBE-SEP chain of 2 rules (hairpin mark,
// DNAT): 2 + 3E rules. The nftables proxier adds one service-ips verdict-map element and one
// cluster-ips set element per Service; IPVS one virtual server and E real servers.
import { describe, expect, it } from 'vitest';
import { scaleRun, type ScaleMode } from './index';

let t = 0;
const now = () => (t += 1);
const run = (mode: ScaleMode, services: number, endpoints: number) => scaleRun(mode, { services, endpoints, now });

describe('scaleRun', () => {
  it('iptables: 2 + 3E rules per Service, and a linear KUBE-SERVICES walk', () => {
    const a = run('iptables', 10, 4);
    const b = run('iptables', 40, 4);
    expect(b.programmed.iptablesRules - a.programmed.iptablesRules).toBe(30 * (2 + 3 * 4));
    expect(a.programmed.nftRules + a.programmed.ipvsVirtualServers).toBe(0);
    // Probing every Service with one endpoint each (no probability rules to draw): the
    // KUBE-SERVICES position is all that differs, 1…N, so the mean grows by (40-10)/2 and the
    // worst case by 30.
    const all = (n: number) => scaleRun('iptables', { services: n, endpoints: 1, now, probes: n }).traversed;
    const [p, q] = [all(10), all(40)];
    expect(q.mean - p.mean).toBe(15);
    expect(q.max - p.max).toBe(30);
    expect(a.reachedEndpoints && b.reachedEndpoints).toBe(true);
  });

  it('nftables: one map and one set element per Service, the same walk at every size', () => {
    const a = run('nftables', 10, 4);
    const b = run('nftables', 40, 4);
    expect(b.programmed.nftElements - a.programmed.nftElements).toBe(30 * 2);
    expect(b.programmed.iptablesRules).toBe(0);
    expect(b.traversed.mean).toBe(a.traversed.mean);
    expect(b.traversed.max).toBe(a.traversed.max);
    expect(a.reachedEndpoints && b.reachedEndpoints).toBe(true);
  });

  it('ipvs: a virtual server per Service and a real server per endpoint, the same iptables walk at every size', () => {
    const a = run('ipvs', 10, 4);
    const b = run('ipvs', 40, 4);
    expect([b.programmed.ipvsVirtualServers, b.programmed.ipvsRealServers]).toEqual([40, 160]);
    expect(b.programmed.ipsetEntries).toBeGreaterThan(a.programmed.ipsetEntries);
    expect(b.traversed.mean).toBe(a.traversed.mean);
    expect(b.host.link('kube-ipvs0')?.addresses.length).toBe(40);
    expect(a.reachedEndpoints && b.reachedEndpoints).toBe(true);
  });

  it('times with the clock it is given and probes at most as many Services as there are', () => {
    const r = run('iptables', 2, 1);
    expect(r.syncMs).toBeGreaterThan(0);
    expect(r.applyMs).toBeGreaterThan(0);
    expect(r.traversed.probes).toBe(2);
  });
});
