// Budgets (issue 4): full iptables sync of 10,000 Services × 10 endpoints ≤ 500 ms; a sync
// after one endpoint change ≤ 20 ms; IPVS full sync ≤ 300 ms. "Full sync" starts from a new
// proxier fed every Service and EndpointSlice (informer events included) and ends with the
// whole ruleset generated. KUBE-SEP- names are memoised engine-wide (every node's
// kube-proxy hashes the same endpoints); the "cold" bench shows the first-ever sync.
import { bench, describe } from 'vitest';
import type { EndpointSlice, Service } from '../model/types';
import { clearChainNameMemo } from './hash';
import { createNftRuleset, nftRun } from '../nftables';
import { detectLocalByCIDR, IptablesProxier, IpvsProxier, NftablesProxier } from './index';

const N = 10_000;
const EPS = 10;

function meta(name: string, labels?: Record<string, string>) {
  return { name, namespace: 'default', uid: name, resourceVersion: '1', creationTimestamp: '2026-01-01T00:00:00Z', ...(labels ? { labels } : {}) };
}
function service(i: number): Service {
  return {
    apiVersion: 'v1', kind: 'Service', metadata: meta(`svc-${i}`),
    spec: { clusterIP: `10.${96 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`, ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
  };
}
function slice(i: number, shift = 0): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: meta(`svc-${i}-abcde`, { 'kubernetes.io/service-name': `svc-${i}` }),
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: Array.from({ length: EPS }, (_, e) => ({
      addresses: [`10.${244 + ((i * EPS + e + shift) >> 16)}.${((i * EPS + e + shift) >> 8) & 255}.${(i * EPS + e + shift) & 255}`],
      conditions: { ready: true },
      nodeName: e % 3 === 0 ? 'worker' : 'worker2',
    })),
  };
}
const services = Array.from({ length: N }, (_, i) => service(i));
const slices = Array.from({ length: N }, (_, i) => slice(i));
const opts = { nodeName: 'worker', nodeIP: '172.18.0.3', localDetector: detectLocalByCIDR('10.244.0.0/16') };

function feed<P extends { onServiceAdd(s: Service): void; onEndpointSliceAdd(s: EndpointSlice): void }>(p: P): P {
  for (const s of services) p.onServiceAdd(s);
  for (const s of slices) p.onEndpointSliceAdd(s);
  return p;
}

// Long-lived proxiers for the incremental cases: each iteration moves one endpoint.
const steady = feed(new IptablesProxier(opts));
steady.sync();
const steadyIpvs = feed(new IpvsProxier(opts));
steadyIpvs.sync();
let flip = 0;
let flipIpvs = 0;

describe('kube-proxy iptables mode', () => {
  bench('full iptables sync, 10,000 Services × 10 endpoints (budget 500 ms)', () => {
    feed(new IptablesProxier(opts)).sync();
  }, { iterations: 5, warmupIterations: 1 });

  bench('full iptables sync, 10,000 Services × 10 endpoints, chain-name hashes not memoised yet', () => {
    clearChainNameMemo();
    feed(new IptablesProxier(opts)).sync();
  }, { iterations: 3, warmupIterations: 1 });

  bench('forced full resync of a warm iptables proxier (rule text only; trackers settled)', () => {
    steady.forceFullSync();
    steady.sync();
  }, { iterations: 5, warmupIterations: 1 });

  bench('iptables sync after one endpoint change, 10,000 Services (budget 20 ms)', () => {
    flip ^= 1;
    const i = 4242;
    steady.onEndpointSliceUpdate(slices[i]!, slice(i, flip ? 7_000_000 : 0));
    steady.sync();
  }, { iterations: 50, warmupIterations: 5 });
});

describe('kube-proxy IPVS mode', () => {
  bench('full IPVS sync, 10,000 Services × 10 endpoints (budget 300 ms)', () => {
    feed(new IpvsProxier(opts)).sync();
  }, { iterations: 5, warmupIterations: 1 });

  bench('IPVS sync after one endpoint change, 10,000 Services', () => {
    flipIpvs ^= 1;
    const i = 4242;
    steadyIpvs.onEndpointSliceUpdate(slices[i]!, slice(i, flipIpvs ? 7_000_000 : 0));
    steadyIpvs.sync();
  }, { iterations: 30, warmupIterations: 3 });
});

const nftOpts = { ...opts, serviceCIDRs: ['10.96.0.0/12'] };
const steadyNft = feed(new NftablesProxier(nftOpts));
steadyNft.sync();
let flipNft = 0;

describe('kube-proxy nftables mode', () => {
  bench('nftables full sync 10k Services x 10 endpoints (budget 600 ms)', () => {
    feed(new NftablesProxier(nftOpts)).sync();
  }, { iterations: 5, warmupIterations: 1 });

  bench('nftables full sync 10k Services x 10 endpoints, applied with nft -f into a fresh ruleset', () => {
    nftRun(createNftRuleset(), feed(new NftablesProxier(nftOpts)).sync().transaction);
  }, { iterations: 3, warmupIterations: 1 });

  bench('nftables sync after one endpoint change, 10,000 Services', () => {
    flipNft ^= 1;
    const i = 4242;
    steadyNft.onEndpointSliceUpdate(slices[i]!, slice(i, flipNft ? 7_000_000 : 0));
    steadyNft.sync();
  }, { iterations: 30, warmupIterations: 3 });
});
