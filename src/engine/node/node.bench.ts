// Budget (issue 4): one packet evaluation on a node at 10,000 Services ≤ 0.1 ms median.
// The node is built like a cluster node: kind's bootstrap rules, then kube-proxy's real
// sync result applied the way the kube-proxy controller applies it.
import { bench, describe } from 'vitest';
import { ManualClock } from '../core/clock';
import { applyIptablesSync, applyIpvsState, ensureChainsAndJumps } from '../controllers/kubeproxy';
import type { EndpointSlice, Service } from '../model/types';
import { iptablesRestore } from '../netfilter';
import { detectLocalByCIDR, IptablesProxier, IpvsProxier } from '../proxy';
import { bootstrapDockerDns, syncKindMasqAgent } from './bootstrap';
import { NodeHost } from './host';

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

function host(): NodeHost {
  const clock = new ManualClock();
  const h = new NodeHost({ name: 'worker', ip: '172.18.0.3', prefix: 16, gateway: '172.18.0.1', eth0PeerIfindex: 7, clock, seed: 1 });
  bootstrapDockerDns(h, '172.18.0.1');
  syncKindMasqAgent(h, '10.244.0.0/16');
  h.addPodVeth({ namespace: 'default', name: 'client', uid: 'client-uid', ip: '10.244.1.5' }, '10.244.1.1');
  for (const [cidr, via] of [['10.244.2.0/24', '172.18.0.4'], ['10.244.3.0/24', '172.18.0.2'], ['10.244.4.0/24', '172.18.0.5']] as const) h.setPodSubnetRoute(cidr, via);
  return h;
}
const opts = { nodeName: 'worker', nodeIP: '172.18.0.3', localDetector: detectLocalByCIDR('10.244.0.0/16') };

const ipt = host();
{
  const p = new IptablesProxier(opts);
  for (const s of services) p.onServiceAdd(s);
  for (const s of slices) p.onEndpointSliceAdd(s);
  const r = applyIptablesSync(ipt, p.sync());
  if (r.exitCode !== 0) throw new Error(r.stderr);
}
const ipvsHost = host();
{
  const p = new IpvsProxier({ ...opts, nodeAddresses: ipvsHost.localAddresses() });
  for (const s of services) p.onServiceAdd(s);
  for (const s of slices) p.onEndpointSliceAdd(s);
  const r = p.sync();
  applyIpvsState(ipvsHost, r);
  ensureChainsAndJumps(ipvsHost, r.ensureChains, r.ensureRules);
  const out = iptablesRestore(ipvsHost.netfilter, r.restore, { noflush: true, counters: true });
  if (out.exitCode !== 0) throw new Error(out.stderr);
}
const veth = ipt.interfaces.find((l) => l.pod)!.name;
let i = 0;
let j = 0;

describe('node', () => {
  bench('iptables mode: one packet (new flow, pod → ClusterIP) through a node at 10,000 Services (budget 0.1 ms)', () => {
    const k = (i++ * 7919) % N;
    ipt.evaluate({ src: '10.244.1.5', dst: vip(k), proto: 'tcp', sport: 1024 + (i % 60000), dport: 80, inIface: veth }, { origin: 'in' });
  });
  bench('ipvs mode: one packet (new flow, pod → ClusterIP, rr) through a node at 10,000 Services (budget 0.1 ms)', () => {
    const k = (j++ * 7919) % N;
    ipvsHost.evaluate({ src: '10.244.1.5', dst: vip(k), proto: 'tcp', sport: 1024 + (j % 60000), dport: 80, inIface: veth }, { origin: 'in', dry: true });
  });
  bench('route lookup (longest prefix over the main table, cached per destination)', () => {
    ipt.lookupRoute(`10.244.${2 + (i++ % 3)}.${i % 250}`);
  });
  bench('explore: every endpoint of a ClusterIP at 10,000 Services (iptables mode)', () => {
    const k = (i++ * 7919) % N;
    ipt.explore({ src: '10.244.1.5', dst: vip(k), proto: 'tcp', sport: 40000, dport: 80, inIface: veth }, { origin: 'in' });
  });
});
