// Budgets (issue 9): one packet evaluation at 10,000 Services in nftables mode ≤ 0.05 ms
// median — the verdict maps are hash lookups. The node is built like a cluster node: kind's
// iptables-nft rules (docker's DNS DNAT, kind-masq-agent), then kube-proxy's real nftables
// transaction applied with `nft -f` as the kube-proxy controller applies it.
import { bench, describe } from 'vitest';
import { ManualClock } from '../core/clock';
import type { EndpointSlice, Service } from '../model/types';
import { iptables, iptablesRestore } from '../netfilter';
import { dockerDnsRules, kindMasqAgentRules, NodeHost } from '../node';
import { detectLocalByCIDR, NftablesProxier } from '../proxy';
import { scaleService, scaleSlice } from '../scale';
import { createNftRuleset, listRuleset, nftRun, type NftRuleset } from './index';

const N = 10_000;
const EPS = 3;
const meta = (name: string, labels?: Record<string, string>) => ({ name, namespace: 'default', uid: name, resourceVersion: '1', creationTimestamp: '2026-01-01T00:00:00Z', ...(labels ? { labels } : {}) });
const vip = (i: number): string => `10.${96 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`;
const services: Service[] = Array.from({ length: N }, (_, i) => ({
  apiVersion: 'v1', kind: 'Service', metadata: meta(`svc-${i}`), spec: { clusterIP: vip(i), ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
}));
const slices: EndpointSlice[] = Array.from({ length: N }, (_, i) => ({
  apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: meta(`svc-${i}-abcde`, { 'kubernetes.io/service-name': `svc-${i}` }),
  addressType: 'IPv4', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  endpoints: Array.from({ length: EPS }, (_, e) => ({ addresses: [`10.244.${2 + e}.${(i % 250) + 2}`], conditions: { ready: true }, nodeName: 'worker2' })),
}));

const h = new NodeHost({ name: 'worker', ip: '172.18.0.3', prefix: 16, gateway: '172.18.0.1', eth0PeerIfindex: 7, clock: new ManualClock(), seed: 1 });
iptablesRestore(h.netfilter, dockerDnsRules('172.18.0.1', 40000, 40001), { noflush: true });
iptables(h.netfilter, ['-t', 'nat', '-N', 'KIND-MASQ-AGENT']);
for (const r of kindMasqAgentRules(['10.244.0.0/16'])) iptables(h.netfilter, ['-t', 'nat', '-A', r.chain, ...r.args]);
h.addPodVeth({ namespace: 'default', name: 'client', uid: 'client-uid', ip: '10.244.1.5' }, '10.244.1.1');
for (const [cidr, via] of [['10.244.2.0/24', '172.18.0.4'], ['10.244.3.0/24', '172.18.0.2'], ['10.244.4.0/24', '172.18.0.5']] as const) h.setPodSubnetRoute(cidr, via);
{
  const p = new NftablesProxier({ nodeName: 'worker', nodeIP: '172.18.0.3', localDetector: detectLocalByCIDR('10.244.0.0/16'), nodePortAddresses: ['primary'], serviceCIDRs: ['10.96.0.0/12'] });
  for (const s of services) p.onServiceAdd(s);
  for (const s of slices) p.onEndpointSliceAdd(s);
  const r = nftRun(h.nft, p.sync().transaction);
  if (r.exitCode !== 0) throw new Error(r.stderr);
}
const veth = h.interfaces.find((l) => l.pod)!.name;
let i = 0;

describe('nftables', () => {
  bench('nftables packet evaluation at 10k Services (budget 0.05 ms)', () => {
    const k = (i++ * 7919) % N;
    h.evaluate({ src: '10.244.1.5', dst: vip(k), proto: 'tcp', sport: 1024 + (i % 60000), dport: 80, inIface: veth }, { origin: 'in' });
  });
});

// Budgets (issue 9, the scale explorer): kube-proxy's full sync at 10,000 Services × 10
// endpoints (~460k lines, 220k rules) applied with `nft -f` ≤ 500 ms, and `nft list ruleset`
// of the node it programs ≤ 250 ms; a partial sync after one endpoint change stays small.
/**
 * The scale explorer's node at 10,000 Services × 10 endpoints (scaleService/scaleSlice, its
 * proxier options): the text of the proxier's full sync, and the partial syncs the bench
 * applies in turn after it (Service 4242's first endpoint moves back and forth, two seconds
 * apart, so stale chains are deleted as upstream does a second later). Built in a function
 * of its own, so that the proxier is not kept alive beside what is measured.
 */
function scaleSyncs(partialRuns: number): { full: string; partials: { cleanup: string; transaction: string }[] } {
  const n = 10_000;
  const eps = 10;
  const slices = Array.from({ length: n }, (_, k) => scaleSlice(k, eps));
  let clock = 0;
  const p = new NftablesProxier({
    nodeName: 'worker', nodeIP: '172.18.0.3', nodeAddresses: ['172.18.0.3', '127.0.0.1'], localDetector: detectLocalByCIDR('10.240.0.0/13'),
    nodePortAddresses: ['primary'], serviceCIDRs: ['10.96.0.0/12'], now: () => clock,
  });
  for (let k = 0; k < n; k++) p.onServiceAdd(scaleService(k));
  for (const s of slices) p.onEndpointSliceAdd(s);
  const full = p.sync().transaction;
  const partials = Array.from({ length: partialRuns }, (_, run) => {
    clock += 2000;
    const k = 4242;
    const s = scaleSlice(k, eps);
    const next = run % 2 === 0 ? { ...s, endpoints: s.endpoints!.map((e, j) => (j === 0 ? { ...e, addresses: ['10.250.0.1'] } : e)) } : s;
    p.onEndpointSliceUpdate(slices[k]!, next);
    slices[k] = next;
    const r = p.sync();
    return { cleanup: r.cleanup, transaction: r.transaction };
  });
  return { full, partials };
}

// 3 warm-up runs, 30 measured, and the runs tinybench makes to see whether the function is async.
const { full: fullSync, partials } = scaleSyncs(3 + 30 + 4);
const scaleNode = createNftRuleset();
if (nftRun(scaleNode, fullSync).exitCode !== 0) throw new Error('the full sync failed');
let partialRun = 0;

describe('nftables at the scale explorer\'s 10k × 10', () => {
  bench('nft -f of the 10k×10 full sync (budget 500 ms)', () => {
    const r = nftRun(createNftRuleset(), fullSync);
    if (r.exitCode !== 0) throw new Error(r.stderr);
  }, { iterations: 5, warmupIterations: 1 });

  bench('nft list ruleset of it (budget 250 ms)', () => {
    // The first listing after nft -f: no rule's text cached (the evaluator caches the
    // ones its traces print).
    for (const t of scaleNode.tables) for (const c of t.chains.values()) for (const r of c.rules) r.text = '';
    listRuleset(scaleNode);
  }, { iterations: 5, warmupIterations: 1 });

  bench('nft -f of a partial sync (one endpoint moved) at 10k×10', () => {
    const p = partials[partialRun++];
    if (!p) throw new Error('more runs than partial syncs prepared');
    if (p.cleanup && nftRun(scaleNode, p.cleanup).exitCode !== 0) throw new Error('cleanup failed');
    const r = nftRun(scaleNode, p.transaction);
    if (r.exitCode !== 0) throw new Error(r.stderr);
  }, { iterations: 30, warmupIterations: 3, time: 0, warmupTime: 0 });
});
