/**
 * The scale explorer's node (the /scale page): N Services × E endpoints fed to one node's
 * kube-proxy in one mode — the real proxier, its sync result programmed into a fresh
 * NodeHost exactly as the kube-proxy controller programs a node (iptables-restore, nft -f,
 * IPVS virtual/real servers and ipsets) — and what that costs: the rules and elements now
 * in the kernel's tables, the time of the full sync, and the rules a new connection walks
 * to reach its endpoint (the evaluator's own rulesEvaluated, nothing estimated).
 *
 * Only kube-proxy's objects are on the node: no kind bootstrap rules, so the counts are
 * kube-proxy's alone. Timing needs a clock from the caller (the engine has none of its own).
 */
import { ManualClock } from './core/clock';
import { applyIptablesSync, applyIpvsState, ensureChainsAndJumps } from './controllers/kubeproxy';
import { iptablesRestore, type Netfilter } from './netfilter';
import { nftRun, type NftRuleset } from './nftables';
import { NodeHost } from './node';
import { detectLocalByCIDR, IptablesProxier, IpvsProxier, NftablesProxier } from './proxy';
import type { EndpointSlice, Service } from './model/types';

export type ScaleMode = 'iptables' | 'ipvs' | 'nftables';
export const SCALE_MODES: readonly ScaleMode[] = ['iptables', 'ipvs', 'nftables'];

export interface ScaleOptions {
  services: number;
  /** Ready endpoints per Service (pods spread over this node and another). */
  endpoints: number;
  /** A monotonic clock in ms for the timings (performance.now in the browser). */
  now: () => number;
  /** How many Services (spread evenly over the list) a new connection is sent to. Default 5. */
  probes?: number;
}

/** What one mode programmed, by kind (only the kinds the mode uses are non-zero). */
export interface ScaleProgrammed {
  /** iptables rules in every table kube-proxy wrote (nat, filter, mangle). */
  iptablesRules: number;
  ipvsVirtualServers: number;
  ipvsRealServers: number;
  ipsetEntries: number;
  /** Rules in nftables chains. */
  nftRules: number;
  /** Elements of nftables sets and maps. */
  nftElements: number;
  /** The sum: everything the kernel holds for kube-proxy. */
  total: number;
}

export interface ScaleResult {
  mode: ScaleMode;
  services: number;
  endpoints: number;
  programmed: ScaleProgrammed;
  /** Informer events fed and the proxier's full sync (rule generation), ms. */
  syncMs: number;
  /** Programming the node with the result (iptables-restore / nft -f / IPVS + ipsets), ms. */
  applyMs: number;
  /** Rules the evaluator looked at for a new connection, over the probed Services. */
  traversed: { mean: number; max: number; probes: number };
  /** Every probed connection reached one of its Service's endpoints. */
  reachedEndpoints: boolean;
  /** The programmed node: the page prints its tables to size them. */
  host: NodeHost;
}

const NODE = 'worker';
const NODE_IP = '172.18.0.3';
const CLIENT_IP = '10.240.1.5';
/** The cluster's pod range (kube-proxy's clusterCIDR): room for 10,000 × 20 endpoints. */
const CLUSTER_CIDR = '10.240.0.0/13';

function meta(name: string, labels?: Record<string, string>) {
  return { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: '1', creationTimestamp: '2026-01-01T00:00:00Z', ...(labels ? { labels } : {}) };
}

/** The i-th Service: ClusterIPs from 10.96.0.0/12 in order, port 80 → 8080. */
export function scaleService(i: number): Service {
  const n = i + 100;
  return {
    apiVersion: 'v1', kind: 'Service', metadata: meta(`svc-${i}`),
    spec: { clusterIP: `10.${96 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`, ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
  };
}

/** Its EndpointSlice: `endpoints` ready pods, a third on this node, the rest on worker2. */
export function scaleSlice(i: number, endpoints: number): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: meta(`svc-${i}-abcde`, { 'kubernetes.io/service-name': `svc-${i}` }),
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: Array.from({ length: endpoints }, (_, e) => {
      const n = i * endpoints + e;
      return {
        addresses: [`10.${241 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`],
        conditions: { ready: true },
        nodeName: e % 3 === 0 ? NODE : 'worker2',
      };
    }),
  };
}

function newHost(): NodeHost {
  const host = new NodeHost({ name: NODE, ip: NODE_IP, prefix: 16, gateway: '172.18.0.1', eth0PeerIfindex: 9, clock: new ManualClock(), seed: 1 });
  host.addPodVeth({ namespace: 'default', name: 'client', uid: 'uid-client', ip: CLIENT_IP }, '10.240.1.1');
  return host;
}

type Feedable = { onServiceAdd(s: Service): void; onEndpointSliceAdd(s: EndpointSlice): void };
function feed<P extends Feedable>(p: P, services: readonly Service[], slices: readonly EndpointSlice[]): P {
  for (const s of services) p.onServiceAdd(s);
  for (const s of slices) p.onEndpointSliceAdd(s);
  return p;
}

function iptablesRules(nf: Netfilter): number {
  let n = 0;
  for (const t of nf.tables.values()) for (const c of t.chains.values()) n += c.rules.length;
  return n;
}

function nftCounts(rs: NftRuleset): { rules: number; elements: number } {
  let rules = 0;
  let elements = 0;
  for (const t of rs.tables) {
    for (const c of t.chains.values()) rules += c.rules.length;
    for (const s of t.sets.values()) elements += s.elements.size;
  }
  return { rules, elements };
}

/** Build the node in one mode and measure it. Throws only on a bug (a sync the node refuses). */
export function scaleRun(mode: ScaleMode, o: ScaleOptions): ScaleResult {
  const services = Array.from({ length: o.services }, (_, i) => scaleService(i));
  const slices = Array.from({ length: o.services }, (_, i) => scaleSlice(i, o.endpoints));
  const host = newHost();
  const base = { nodeName: NODE, nodeIP: NODE_IP, nodeAddresses: host.localAddresses(), localDetector: detectLocalByCIDR(CLUSTER_CIDR) };
  let syncMs: number;
  let applyMs: number;
  if (mode === 'iptables') {
    const t0 = o.now();
    const r = feed(new IptablesProxier(base), services, slices).sync();
    const t1 = o.now();
    const res = applyIptablesSync(host, r);
    applyMs = o.now() - t1;
    syncMs = t1 - t0;
    if (res.exitCode !== 0) throw new Error(`iptables-restore refused the sync: ${res.stderr}`);
  } else if (mode === 'ipvs') {
    const t0 = o.now();
    const r = feed(new IpvsProxier(base), services, slices).sync();
    const t1 = o.now();
    applyIpvsState(host, r);
    ensureChainsAndJumps(host, r.ensureChains, r.ensureRules);
    const res = iptablesRestore(host.netfilter, r.restore, { noflush: true, counters: true });
    applyMs = o.now() - t1;
    syncMs = t1 - t0;
    if (res.exitCode !== 0) throw new Error(`iptables-restore refused the sync: ${res.stderr}`);
  } else {
    const t0 = o.now();
    const r = feed(new NftablesProxier({ ...base, nodePortAddresses: ['primary'], serviceCIDRs: ['10.96.0.0/12'] }), services, slices).sync();
    const t1 = o.now();
    if (r.cleanup) nftRun(host.nft, r.cleanup);
    const res = nftRun(host.nft, r.transaction);
    applyMs = o.now() - t1;
    syncMs = t1 - t0;
    if (res.exitCode !== 0) throw new Error(`nft -f refused the sync: ${res.stderr}`);
  }

  const ipvsServices = [...host.ipvs.services.values()];
  const nft = nftCounts(host.nft);
  const programmed: ScaleProgrammed = {
    iptablesRules: iptablesRules(host.netfilter),
    ipvsVirtualServers: ipvsServices.length,
    ipvsRealServers: ipvsServices.reduce((s, v) => s + v.dests.length, 0),
    ipsetEntries: [...host.ipsets.values()].reduce((s, set) => s + set.members.size, 0),
    nftRules: nft.rules,
    nftElements: nft.elements,
    total: 0,
  };
  programmed.total = programmed.iptablesRules + programmed.ipvsVirtualServers + programmed.ipvsRealServers + programmed.ipsetEntries + programmed.nftRules + programmed.nftElements;

  // New connections from a pod on this node to Services spread over the list (first … last).
  const probes = Math.max(1, Math.min(o.probes ?? 5, o.services));
  let sum = 0;
  let max = 0;
  let reached = o.services > 0;
  const clientVeth = host.interfaces.find((l) => l.pod)!.name;
  for (let k = 0; k < probes && o.services > 0; k++) {
    const i = probes === 1 ? 0 : Math.round((k * (o.services - 1)) / (probes - 1));
    const svc = services[i]!;
    const r = host.evaluate(
      { src: CLIENT_IP, dst: svc.spec.clusterIP!, proto: 'tcp', sport: 40_000 + k, dport: 80, inIface: clientVeth },
      { origin: 'in', fresh: true, dry: true },
    );
    sum += r.rulesEvaluated;
    max = Math.max(max, r.rulesEvaluated);
    const eps = new Set((slices[i]!.endpoints ?? []).map((e) => `${e.addresses[0]}:8080`));
    if (r.verdict !== 'ACCEPT' || !eps.has(`${r.packet.dst}:${r.packet.dport}`)) reached = false;
  }
  return {
    mode, services: o.services, endpoints: o.endpoints, programmed, syncMs, applyMs,
    traversed: { mean: o.services > 0 ? sum / probes : 0, max, probes: o.services > 0 ? probes : 0 },
    reachedEndpoints: reached, host,
  };
}
