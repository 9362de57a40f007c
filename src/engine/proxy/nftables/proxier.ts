/**
 * kube-proxy's nftables mode for one node (pkg/proxy/nftables/proxier.go, v1.33+, whose
 * proxier_test.go expectations are our oracle).
 *
 * sync() returns the transaction upstream hands to `nft -f -` through knftables, in
 * knftables' text: on a full sync (the first, and after a node label change or a failed
 * transaction) setupNFTables recreates the table's skeleton — base chains, the top-level
 * chains, the `service-ips` / `service-nodeports` verdict maps, the `cluster-ips` and
 * `nodeport-ips` sets — and every service's chains; a partial sync rewrites only the chains
 * of Services whose Service or EndpointSlices changed, and adds/removes only the map
 * elements that differ (nftElementStorage). Chains that are no longer used are flushed at
 * once and deleted by a later sync, at least a second after (`cleanup`), because kernels
 * before 6.2 notice late that a map element no longer points at them.
 *
 * Where upstream iterates a Go map (random order) we go in service-port name order.
 */
import { hash8 } from '../hash';
import { FULL_SYNC_PERIOD_MS } from '../iptables/proxier';
import type { LocalTrafficDetector, ProxierOptions } from '../config';
import { NodePortAddresses, noOpLocalDetector } from '../config';
import { localReadyEndpoints, updateEndpointsMap } from '../endpointschangetracker';
import { cidrContains, parseCIDRSloppy } from '../ip';
import { healthCheckNodePorts, sortedServicePortKeys, updateServicePortMap } from '../servicechangetracker';
import { categorizeEndpoints } from '../topology';
import { ChangeTrackingProxier } from '../proxier-base';
import { addLazy } from '../lazy';
import { TextBuffer } from '../textbuffer';
import { externallyAccessible, type EndpointInfo, type NamespacedName, type ServicePortInfo, type ServicePortSummary } from '../types';

export const NFT_TABLE = 'kube-proxy';
const T = `ip ${NFT_TABLE}`;

export const SERVICES_CHAIN = 'services';
export const SERVICE_IPS_MAP = 'service-ips';
export const SERVICE_NODEPORTS_MAP = 'service-nodeports';
export const NODEPORT_IPS_SET = 'nodeport-ips';
export const CLUSTER_IPS_SET = 'cluster-ips';
export const SERVICE_ENDPOINTS_CHECK = 'service-endpoints-check';
export const NODEPORT_ENDPOINTS_CHECK = 'nodeport-endpoints-check';
export const NO_ENDPOINT_SERVICES_MAP = 'no-endpoint-services';
export const NO_ENDPOINT_NODEPORTS_MAP = 'no-endpoint-nodeports';
export const REJECT_CHAIN = 'reject-chain';
export const CLUSTER_IPS_CHECK = 'cluster-ips-check';
export const FIREWALL_IPS_MAP = 'firewall-ips';
export const FIREWALL_CHECK = 'firewall-check';
export const MARK_MASQ_CHAIN = 'mark-for-masquerade';
export const MASQUERADING_CHAIN = 'masquerading';

/** nftablesBaseChains: name, type, hook, priority (knftables writes the number). */
export const NFT_BASE_CHAINS: readonly { name: string; type: 'filter' | 'nat'; hook: string; priority: number }[] = [
  { name: 'filter-prerouting-pre-dnat', type: 'filter', hook: 'prerouting', priority: -110 },
  { name: 'filter-output-pre-dnat', type: 'filter', hook: 'output', priority: -110 },
  { name: 'filter-input', type: 'filter', hook: 'input', priority: 0 },
  { name: 'filter-forward', type: 'filter', hook: 'forward', priority: 0 },
  { name: 'filter-output', type: 'filter', hook: 'output', priority: 0 },
  { name: 'nat-prerouting', type: 'nat', hook: 'prerouting', priority: -100 },
  { name: 'nat-output', type: 'nat', hook: 'output', priority: -100 },
  { name: 'nat-postrouting', type: 'nat', hook: 'postrouting', priority: 100 },
];

/** nftablesJumpChains: the top-level chains and the base chains that jump to them. */
const JUMP_CHAINS: readonly { dst: string; src: string; extra: string }[] = [
  { dst: NODEPORT_ENDPOINTS_CHECK, src: 'filter-input', extra: 'ct state new ' },
  { dst: SERVICE_ENDPOINTS_CHECK, src: 'filter-input', extra: 'ct state new ' },
  { dst: SERVICE_ENDPOINTS_CHECK, src: 'filter-forward', extra: 'ct state new ' },
  { dst: SERVICE_ENDPOINTS_CHECK, src: 'filter-output', extra: 'ct state new ' },
  { dst: FIREWALL_CHECK, src: 'filter-prerouting-pre-dnat', extra: 'ct state new ' },
  { dst: FIREWALL_CHECK, src: 'filter-output-pre-dnat', extra: 'ct state new ' },
  { dst: SERVICES_CHAIN, src: 'nat-output', extra: '' },
  { dst: SERVICES_CHAIN, src: 'nat-prerouting', extra: '' },
  { dst: MASQUERADING_CHAIN, src: 'nat-postrouting', extra: '' },
  { dst: CLUSTER_IPS_CHECK, src: 'filter-forward', extra: 'ct state new ' },
  { dst: CLUSTER_IPS_CHECK, src: 'filter-output', extra: 'ct state new ' },
];

/** knftables.NameLengthMax (256) minus the longest prefix (16). */
const CHAIN_NAME_BASE_MAX = 240;

/** Line heads repeated for every chain and endpoint (flat once, rather than rebuilt per line). */
const ADD_CHAIN = `add chain ${T} `;
const FLUSH_CHAIN = `\nflush chain ${T} `;
const ADD_RULE = `add rule ${T} `;
const JUMP_MASQ = ` jump ${MARK_MASQ_CHAIN}`;
const GOTO = ' : goto ';

/** hashAndTruncate: 8 base32 characters of sha256(name), a dash, the name (truncated with "..."). */
export function hashAndTruncate(name: string): string {
  const out = hash8(name) + '-' + name;
  return out.length > CHAIN_NAME_BASE_MAX ? out.slice(0, CHAIN_NAME_BASE_MAX - 3) + '...' : out;
}

/** servicePortChainNameBase: "HASH-ns/name/proto/port". */
export function servicePortChainNameBase(svc: { namespace: string; name: string; port: string }, protocol: string): string {
  return hashAndTruncate(`${svc.namespace}/${svc.name}/${protocol}/${svc.port}`);
}

/** servicePortEndpointChainNameBase: "HASH-ns/name/proto/port__ip/port". */
export function servicePortEndpointChainNameBase(svc: { namespace: string; name: string; port: string }, protocol: string, ip: string, port: number): string {
  return hashAndTruncate(`${svc.namespace}/${svc.name}/${protocol}/${svc.port}__${ip.includes(':') ? ip.replace(/:/g, '.') : ip}/${port}`);
}

/** isServiceChainName: every per-service chain has a "/" in its name, no stock chain does. */
export function isNftServiceChainName(chain: string): boolean {
  return chain.includes('/');
}
export const isAffinitySetName = (set: string): boolean => set.startsWith('affinity-');

// Endpoint chain bases are hashed ~100,000 times in a big full sync, and every node's
// kube-proxy names the same endpoint alike: memoise engine-wide (per port, then per
// endpoint, so no key is built per lookup), bounded.
const epMemo = new Map<string, Map<string, string>>();

/** A service port's chain names, flattened once (a Set or Map key that is a
 *  concatenation is flattened again on every lookup otherwise). */
interface ServiceNames {
  cluster: string;
  local: string;
  external: string;
  firewall: string;
}
function flat(s: string): string {
  s.charCodeAt(0);
  return s;
}
const ENDPOINT_CHAIN_PREFIX = 'endpoint-';
/** An endpoint's affinity set: "affinity-" and its chain's base (only Services with ClientIP affinity have one). */
function affinitySetOf(endpointChain: string): string {
  return 'affinity-' + endpointChain.slice(ENDPOINT_CHAIN_PREFIX.length);
}
let epMemoSize = 0;
const EP_MEMO_LIMIT = 500_000;
/** The port's namer: an endpoint → its chain ("endpoint-HASH-ns/name/proto/port__ip/port"). */
function endpointNamer(svc: ServicePortInfo, protocol: string): (ep: EndpointInfo) => string {
  const portKey = svc.nameString + '/' + protocol;
  let memo = epMemo.get(portKey);
  if (memo === undefined) {
    if (epMemoSize >= EP_MEMO_LIMIT) {
      epMemo.clear();
      epMemoSize = 0;
    }
    epMemo.set(portKey, (memo = new Map()));
  }
  const m = memo;
  return (ep) => {
    let chain = m.get(ep.endpoint);
    if (chain === undefined) {
      chain = flat(ENDPOINT_CHAIN_PREFIX + servicePortEndpointChainNameBase(svc.spn, protocol, ep.ip, ep.port));
      m.set(ep.endpoint, chain);
      epMemoSize++;
    }
    return chain;
  };
}

/** The local detector's match in nft syntax (IfLocalNFT / IfNotLocalNFT). */
function detectorNft(d: LocalTrafficDetector, local: boolean): string {
  const args = local ? d.ifLocal : d.ifNotLocal.filter((a) => a !== '!');
  const op = local ? '' : '!= ';
  if (args[0] === '-s') return `ip saddr ${op}${args[1]}`;
  if (args[0] === '-i') {
    const dev = args[1]!;
    return `iifname ${op}"${dev.endsWith('+') ? dev.slice(0, -1) + '*' : dev}"`;
  }
  return '';
}

/** One endpoint as the Trace and lessons see it. */
export interface NftEndpointDescription {
  endpoint: string;
  ip: string;
  port: number;
  /** endpoint-HASH-ns/name/proto/port__ip/port */
  chain: string;
  /** Its index in the numgen vmap. */
  index: number;
  isLocal: boolean;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  share: number;
}

export interface NftServicePortRules extends ServicePortSummary {
  chains: { cluster?: string; local?: string; external?: string; firewall?: string };
  /** Where ClusterIP traffic goes: a chain (`service-…`/`local-…`) or the no-endpoints verdict. */
  internal: { chain: string } | { verdict: string };
  clusterEndpoints: NftEndpointDescription[];
  localEndpoints: NftEndpointDescription[];
  rewritten: boolean;
}

export interface NftablesSyncResult {
  fullSync: boolean;
  /** Deletes stale chains (a separate `nft -f -` before the sync's), or "" when none. */
  cleanup: string;
  /** The transaction text for `nft -f -`. */
  transaction: string;
  services: NftServicePortRules[];
  updatedServices: NamespacedName[];
  /** Chains this sync flushed because nothing uses them any more. */
  staleChains: string[];
  stats: { services: number; endpoints: number; lines: number };
  conntrackCleanupRequired: boolean;
  healthCheckNodePorts(): Map<NamespacedName, number>;
  localReadyEndpoints(): Map<NamespacedName, number>;
}

export interface NftablesProxierOptions extends ProxierOptions {
  /** The cluster's Service CIDRs (ServiceCIDR objects); traffic to unallocated ClusterIPs is dropped. */
  serviceCIDRs?: string[];
  /** The per-service chains and affinity sets in the node's table now (upstream lists them). */
  existingChains?: () => Iterable<string>;
  existingSets?: () => Iterable<string>;
}

/** Flush pending lines into one flat chunk past this many characters. */
/** nftElementStorage: what a set or map holds, so partial syncs write only the differences. */
class ElementStorage {
  private elements = new Map<string, { value: string; mark: number }>();
  private mark = 0;
  constructor(readonly kind: 'set' | 'map', readonly name: string) {}
  /** A new sync: whatever it does not ensure or touch is a leftover. */
  begin(): void {
    this.mark++;
  }
  reset(out: TextBuffer): void {
    this.elements.clear();
    out.line(`flush ${this.kind} ${T} ${this.name}`);
  }
  /** `key` as knftables joins it ("a . b . c"); `value` "" for sets; `comment` optional. */
  ensure(out: TextBuffer, key: string, value: string, comment?: string): void {
    const elem = `${key}${comment !== undefined ? ` comment "${comment}"` : ''}${value ? ` : ${value}` : ''}`;
    const old = this.elements.get(key);
    if (old !== undefined) {
      if (old.value !== value) {
        out.line(`delete element ${T} ${this.name} { ${key} }`);
        out.line(`add element ${T} ${this.name} { ${elem} }`);
        old.value = value;
      }
      old.mark = this.mark;
    } else {
      out.line(`add element ${T} ${this.name} { ${elem} }`);
      this.elements.set(key, { value, mark: this.mark });
    }
  }
  /** An unchanged service port keeps its element. */
  touch(key: string): void {
    const e = this.elements.get(key);
    if (e) e.mark = this.mark;
  }
  cleanupLeftovers(out: TextBuffer): void {
    for (const [key, e] of this.elements) {
      if (e.mark === this.mark) continue;
      out.line(`delete element ${T} ${this.name} { ${key} }`);
      this.elements.delete(key);
    }
  }
}

/** What one service port wrote at its last rewrite: reused while it does not change. */
interface PortState {
  desc: NftServicePortRules;
  chains: string[];
  affinitySets: string[];
  elements: { storage: ElementStorage; key: string }[];
}

/** One IP family's table, as setupNFTables writes it. */
interface FamilySetup {
  /** "ip kube-proxy" or "ip6 kube-proxy". */
  table: string;
  ipX: 'ip' | 'ip6';
  addr: 'ipv4_addr' | 'ipv6_addr';
  /** `ip daddr != 127.0.0.0/8` / `ip6 daddr != ::1`. */
  noLocalhost: string;
  mark: string;
  /** The first setup of this proxier: add+delete the base chains so changed ones are recreated. */
  firstSync: boolean;
  serviceCIDRs: string[];
  /** null: NodePorts on every local IP (nodeport-ips deleted). */
  nodePortIPs: string[] | null;
}

/** setupNFTables: the table's skeleton (without the flushes of the element containers). */
function setupFamily(out: TextBuffer, f: FamilySetup): void {
  const T = f.table;
  out.line(`add table ${T} { comment "rules for kube-proxy" ; }`);
  if (f.firstSync) {
    for (const bc of NFT_BASE_CHAINS) {
      out.line(`add chain ${T} ${bc.name}`);
      out.line(`delete chain ${T} ${bc.name}`);
    }
  }
  for (const bc of NFT_BASE_CHAINS) {
    out.line(`add chain ${T} ${bc.name} { type ${bc.type} hook ${bc.hook} priority ${bc.priority} ; }`);
    out.line(`flush chain ${T} ${bc.name}`);
  }
  const created = new Set<string>();
  const ensure = (c: string): void => {
    if (created.has(c)) return;
    created.add(c);
    out.line(`add chain ${T} ${c}`);
    out.line(`flush chain ${T} ${c}`);
  };
  for (const j of JUMP_CHAINS) {
    ensure(j.dst);
    out.line(`add rule ${T} ${j.src} ${j.extra}jump ${j.dst}`);
  }
  for (const c of [SERVICES_CHAIN, CLUSTER_IPS_CHECK, MASQUERADING_CHAIN, MARK_MASQ_CHAIN]) ensure(c);
  const mark = f.mark;
  out.line(`add rule ${T} ${MARK_MASQ_CHAIN} mark set mark or ${mark}`);
  out.line(`add rule ${T} ${MASQUERADING_CHAIN} mark and ${mark} == 0 return`);
  out.line(`add rule ${T} ${MASQUERADING_CHAIN} mark set mark xor ${mark}`);
  out.line(`add rule ${T} ${MASQUERADING_CHAIN} masquerade fully-random`);
  out.line(`add set ${T} ${CLUSTER_IPS_SET} { type ${f.addr} ; comment "Active ClusterIPs" ; }`);
  out.line(`add rule ${T} ${CLUSTER_IPS_CHECK} ${f.ipX} daddr @${CLUSTER_IPS_SET} reject comment "Reject traffic to invalid ports of ClusterIPs"`);
  const cidrs = f.serviceCIDRs;
  if (cidrs.length > 0) out.line(`add rule ${T} ${CLUSTER_IPS_CHECK} ${f.ipX} daddr { ${cidrs.join(',')} } drop comment "Drop traffic to unallocated ClusterIPs"`);
  out.line(`add set ${T} ${NODEPORT_IPS_SET} { type ${f.addr} ; comment "IPs that accept NodePort traffic" ; }`);
  const matchAll = f.nodePortIPs === null;
  if (matchAll) out.line(`delete set ${T} ${NODEPORT_IPS_SET}`);
  else {
    out.line(`flush set ${T} ${NODEPORT_IPS_SET}`);
    for (const ip of f.nodePortIPs!) out.line(`add element ${T} ${NODEPORT_IPS_SET} { ${ip} }`);
  }
  out.line(`add map ${T} ${NO_ENDPOINT_SERVICES_MAP} { type ${f.addr} . inet_proto . inet_service : verdict ; comment "vmap to drop or reject packets to services with no endpoints" ; }`);
  out.line(`add map ${T} ${NO_ENDPOINT_NODEPORTS_MAP} { type inet_proto . inet_service : verdict ; comment "vmap to drop or reject packets to service nodeports with no endpoints" ; }`);
  out.line(`add chain ${T} ${REJECT_CHAIN} { comment "helper for @no-endpoint-services / @no-endpoint-nodeports" ; }`);
  out.line(`flush chain ${T} ${REJECT_CHAIN}`);
  out.line(`add rule ${T} ${REJECT_CHAIN} reject`);
  out.line(`add rule ${T} ${SERVICE_ENDPOINTS_CHECK} ${f.ipX} daddr . meta l4proto . th dport vmap @${NO_ENDPOINT_SERVICES_MAP}`);
  if (matchAll) out.line(`add rule ${T} ${NODEPORT_ENDPOINTS_CHECK} ${f.noLocalhost} meta l4proto . th dport vmap @${NO_ENDPOINT_NODEPORTS_MAP}`);
  else out.line(`add rule ${T} ${NODEPORT_ENDPOINTS_CHECK} ${f.ipX} daddr @${NODEPORT_IPS_SET} meta l4proto . th dport vmap @${NO_ENDPOINT_NODEPORTS_MAP}`);
  out.line(`add map ${T} ${FIREWALL_IPS_MAP} { type ${f.addr} . inet_proto . inet_service : verdict ; comment "destinations that are subject to LoadBalancerSourceRanges" ; }`);
  ensure(FIREWALL_CHECK);
  out.line(`add rule ${T} ${FIREWALL_CHECK} ${f.ipX} daddr . meta l4proto . th dport vmap @${FIREWALL_IPS_MAP}`);
  out.line(`add map ${T} ${SERVICE_IPS_MAP} { type ${f.addr} . inet_proto . inet_service : verdict ; comment "ClusterIP, ExternalIP and LoadBalancer IP traffic" ; }`);
  out.line(`add map ${T} ${SERVICE_NODEPORTS_MAP} { type inet_proto . inet_service : verdict ; comment "NodePort traffic" ; }`);
  out.line(`add rule ${T} ${SERVICES_CHAIN} ${f.ipX} daddr . meta l4proto . th dport vmap @${SERVICE_IPS_MAP}`);
  if (matchAll) out.line(`add rule ${T} ${SERVICES_CHAIN} fib daddr type local ${f.noLocalhost} meta l4proto . th dport vmap @${SERVICE_NODEPORTS_MAP}`);
  else out.line(`add rule ${T} ${SERVICES_CHAIN} ${f.ipX} daddr @${NODEPORT_IPS_SET} meta l4proto . th dport vmap @${SERVICE_NODEPORTS_MAP}`);
}

/**
 * The `ip6 kube-proxy` table of kube-proxy's IPv6 proxier. kube-proxy runs dual-stack when the
 * node supports IPv6 (kind's nodes do), so this table exists beside `ip kube-proxy` even in an
 * IPv4-only cluster: the skeleton, with no Service in it.
 */
export function ipv6SkeletonTransaction(mark: string, firstSync: boolean): string {
  const out = new TextBuffer();
  const T6 = `ip6 ${NFT_TABLE}`;
  setupFamily(out, { table: T6, ipX: 'ip6', addr: 'ipv6_addr', noLocalhost: 'ip6 daddr != ::1', mark, firstSync, serviceCIDRs: [], nodePortIPs: null });
  for (const [kind, name] of [['set', CLUSTER_IPS_SET], ['map', SERVICE_IPS_MAP], ['map', FIREWALL_IPS_MAP], ['map', NO_ENDPOINT_SERVICES_MAP], ['map', NO_ENDPOINT_NODEPORTS_MAP], ['map', SERVICE_NODEPORTS_MAP]]) {
    out.line(`flush ${kind} ${T6} ${name}`);
  }
  return out.text();
}

export class NftablesProxier extends ChangeTrackingProxier {
  private readonly opts: NftablesProxierOptions;
  private readonly localDetector: LocalTrafficDetector;
  private readonly nodePortAddresses: NodePortAddresses;
  private readonly now: () => number;
  /** setupNFTables' one-time add+delete of the base chains (so changed priorities apply). */
  private flushed = false;
  private readonly staleChains = new Map<string, number>();
  private lastFullSync = -Infinity;
  /** Per-service chains and affinity sets this proxier believes exist (when the node is not asked). */
  private knownChains = new Set<string>();
  private knownSets = new Set<string>();
  private readonly clusterIPs = new ElementStorage('set', CLUSTER_IPS_SET);
  private readonly serviceIPs = new ElementStorage('map', SERVICE_IPS_MAP);
  private readonly firewallIPs = new ElementStorage('map', FIREWALL_IPS_MAP);
  private readonly noEndpointServices = new ElementStorage('map', NO_ENDPOINT_SERVICES_MAP);
  private readonly noEndpointNodePorts = new ElementStorage('map', NO_ENDPOINT_NODEPORTS_MAP);
  private readonly serviceNodePorts = new ElementStorage('map', SERVICE_NODEPORTS_MAP);
  private ports = new Map<string, PortState>();
  private sortedKeys: string[] | null = null;
  private chainNames = new Map<string, ServiceNames>();

  constructor(opts: NftablesProxierOptions) {
    // No KUBE-SEP- names: nftables mode names its endpoint chains itself (endpointNamer).
    super(opts, false);
    this.opts = opts;
    this.localDetector = opts.localDetector ?? noOpLocalDetector;
    this.nodePortAddresses = new NodePortAddresses(opts.nodePortAddresses, opts.nodeIP);
    this.now = opts.now ?? (() => 0);
  }

  /** The transaction failed: nothing of it applied; the next sync is a full one. */
  reportSyncFailure(): void {
    this.needFullSync = true;
    this.staleChains.clear();
  }

  forceFullSync(): void {
    this.needFullSync = true;
  }

  /** The mark kube-proxy masquerades by ("0x00004000"). */
  get mark(): string {
    return this.masqueradeMark;
  }

  // ---- setupNFTables ----

  private setup(out: TextBuffer): void {
    const matchAll = this.nodePortAddresses.matchAll;
    setupFamily(out, {
      table: T, ipX: 'ip', addr: 'ipv4_addr', noLocalhost: 'ip daddr != 127.0.0.0/8', mark: this.masqueradeMark, firstSync: !this.flushed,
      serviceCIDRs: (this.opts.serviceCIDRs ?? []).filter((c) => !c.includes(':')),
      // "--nodeport-addresses includes localhost but localhost NodePorts are not supported"
      nodePortIPs: matchAll ? null : this.nodePortAddresses.nodeIPs(this.opts.nodeAddresses ?? [this.opts.nodeIP]).filter((ip) => !ip.startsWith('127.')),
    });
    this.flushed = true;
    this.clusterIPs.reset(out);
    this.serviceIPs.reset(out);
    this.firewallIPs.reset(out);
    this.noEndpointServices.reset(out);
    this.noEndpointNodePorts.reset(out);
    this.serviceNodePorts.reset(out);
  }

  // ---- syncProxyRules ----

  sync(): NftablesSyncResult {
    const start = this.now();
    // A full sync on demand, and at least once an hour (proxyutil.FullSyncPeriod).
    const tryPartialSync = !this.needFullSync && start - this.lastFullSync <= FULL_SYNC_PERIOD_MS;
    const serviceUpdate = updateServicePortMap(this.svcPortMap, this.serviceChanges);
    const endpointUpdate = updateEndpointsMap(this.endpointsMap, this.endpointsChanges);
    if (serviceUpdate.updatedServices.size > 0) this.sortedKeys = null;

    // Stale chains at least a second old are deleted in a transaction of their own.
    const cleanupLines: string[] = [];
    for (const [chain, t] of this.staleChains) {
      if (t < start - 1000) {
        cleanupLines.push(`delete chain ${T} ${chain}`);
        this.staleChains.delete(chain);
      }
    }
    // Upstream finds the others still there, and stamps them again.
    for (const chain of this.staleChains.keys()) this.staleChains.set(chain, start);

    const out = new TextBuffer();
    const storages = [this.clusterIPs, this.serviceIPs, this.firewallIPs, this.noEndpointServices, this.noEndpointNodePorts, this.serviceNodePorts];
    for (const st of storages) st.begin();
    if (!tryPartialSync) this.setup(out);

    let totalEndpoints = 0;
    for (const key of this.svcPortMap.keys()) totalEndpoints += this.endpointsMap.get(key)?.length ?? 0;

    if (this.sortedKeys === null) {
      this.sortedKeys = sortedServicePortKeys(this.svcPortMap);
    }
    const updated = new Set<NamespacedName>([...serviceUpdate.updatedServices, ...endpointUpdate.updatedServices]);
    const services: NftServicePortRules[] = [];
    const ports = new Map<string, PortState>();
    /** Chains and affinity sets that stopped being used by a rewritten or removed port. */
    const dropped: string[] = [];
    const droppedSets: string[] = [];
    const revived: string[] = [];
    for (const key of this.sortedKeys) {
      const svc = this.svcPortMap.get(key)!;
      const prev = this.ports.get(key);
      let st: PortState;
      if (tryPartialSync && prev && !updated.has(svc.service)) {
        // Unchanged: its chains stay as they are; its map elements are still wanted.
        for (const e of prev.elements) e.storage.touch(e.key);
        prev.desc.rewritten = false;
        st = prev;
      } else {
        st = this.writeServicePort(out, key, svc);
        if (prev) {
          const now = new Set(st.chains);
          for (const c of prev.chains) if (!now.has(c)) dropped.push(c);
          const sets = new Set(st.affinitySets);
          for (const a of prev.affinitySets) if (!sets.has(a)) droppedSets.push(a);
        }
        revived.push(...st.chains);
      }
      ports.set(key, st);
      services.push(st.desc);
    }
    for (const [key, st] of this.ports) {
      if (ports.has(key)) continue;
      dropped.push(...st.chains);
      droppedSets.push(...st.affinitySets);
    }
    this.ports = ports;
    for (const c of revived) this.staleChains.delete(c);

    // Stale per-service chains: flushed now, deleted by a later sync. A full sync looks at
    // every chain the node has (a learner's "a/b" chain too, as upstream); a partial one at
    // what the rewritten and removed ports dropped.
    const stale: string[] = [];
    const staleSets: string[] = [];
    if (!tryPartialSync) {
      const active = new Set<string>();
      const activeSets = new Set<string>();
      for (const st of ports.values()) {
        for (const c of st.chains) active.add(c);
        for (const a of st.affinitySets) activeSets.add(a);
      }
      const existingChains = this.opts.existingChains ? this.opts.existingChains() : [...this.knownChains, ...dropped];
      for (const chain of existingChains) if (isNftServiceChainName(chain) && !active.has(chain)) stale.push(chain);
      const existingSets = this.opts.existingSets ? this.opts.existingSets() : [...this.knownSets, ...droppedSets];
      for (const set of existingSets) if (isAffinitySetName(set) && !activeSets.has(set)) staleSets.push(set);
      this.knownChains = active;
      this.knownSets = activeSets;
    } else {
      const exists = this.opts.existingChains ? new Set(this.opts.existingChains()) : this.knownChains;
      for (const c of dropped) if (exists.has(c) && !this.staleChains.has(c)) stale.push(c);
      for (const c of revived) this.knownChains.add(c);
      for (const st of ports.values()) if (st.desc.rewritten) for (const a of st.affinitySets) this.knownSets.add(a);
      const existsSets = this.opts.existingSets ? new Set(this.opts.existingSets()) : this.knownSets;
      for (const a of droppedSets) if (existsSets.has(a)) staleSets.push(a);
    }
    for (const chain of new Set(stale)) {
      out.line(`flush chain ${T} ${chain}`);
      this.staleChains.set(chain, start);
      this.knownChains.delete(chain);
    }
    // Stale affinity sets go at once.
    for (const set of new Set(staleSets)) {
      out.line(`delete set ${T} ${set}`);
      this.knownSets.delete(set);
    }
    for (const st of storages) st.cleanupLeftovers(out);
    this.needFullSync = false;
    if (!tryPartialSync) this.lastFullSync = start;

    return {
      fullSync: !tryPartialSync,
      cleanup: cleanupLines.length ? cleanupLines.join('\n') + '\n' : '',
      transaction: out.text(),
      services,
      updatedServices: [...updated].sort(),
      staleChains: [...new Set(stale)],
      stats: { services: this.svcPortMap.size, endpoints: totalEndpoints, lines: out.lines },
      conntrackCleanupRequired: endpointUpdate.conntrackCleanupRequired || serviceUpdate.deletedUDPClusterIPs.size > 0,
      healthCheckNodePorts: () => healthCheckNodePorts(this.svcPortMap),
      localReadyEndpoints: () => localReadyEndpoints(this.endpointsMap),
    };
  }

  private names(svc: ServicePortInfo, protocol: string): ServiceNames {
    const key = svc.nameString + '/' + protocol;
    let n = this.chainNames.get(key);
    if (n === undefined) {
      const b = servicePortChainNameBase(svc.spn, protocol);
      n = { cluster: flat('service-' + b), local: flat('local-' + b), external: flat('external-' + b), firewall: flat('firewall-' + b) };
      this.chainNames.set(key, n);
    }
    return n;
  }

  /** Everything one service port contributes to the transaction (upstream's loop body). */
  private writeServicePort(out: TextBuffer, key: string, svc: ServicePortInfo): PortState {
    const protocol = svc.protocol.toLowerCase();
    const name = svc.nameString;
    const names = this.names(svc, protocol);
    const allEndpoints = this.endpointsMap.get(key) ?? [];
    const { clusterEndpoints, localEndpoints, allReachableEndpoints, hasAnyEndpoints: hasEndpoints } = categorizeEndpoints(allEndpoints, svc, this.nodeName, this.nodeLabels);
    const affinity = svc.sessionAffinity === 'ClientIP';

    const chains: string[] = [];
    const affinitySets: string[] = [];
    const elements: PortState['elements'] = [];
    // Every chain of a port is ensured once: the endpoints are unique, and each kind of
    // chain has its own prefix, so no name can come twice.
    const ensureChain = (c: string): void => {
      chains.push(c);
      out.line(ADD_CHAIN + c + FLUSH_CHAIN + c, 2);
    };
    const elem = (storage: ElementStorage, k: string, value: string, comment?: string): void => {
      storage.ensure(out, k, value, comment);
      elements.push({ storage, key: k });
    };
    // The endpoints' chains, in allReachableEndpoints' order.
    const namer = endpointNamer(svc, protocol);
    const reachable = allReachableEndpoints;
    const epChains: string[] = new Array(reachable.length);
    for (let i = 0; i < reachable.length; i++) {
      const c = namer(reachable[i]!);
      epChains[i] = c;
      ensureChain(c);
      if (affinity) affinitySets.push(affinitySetOf(c));
    }
    // Cluster and local endpoints are usually allReachableEndpoints itself (the same array).
    const chainsOf = (eps: EndpointInfo[]): string[] => (eps === reachable ? epChains : eps.map(namer));

    const clusterPolicyChain = names.cluster;
    const usesClusterPolicyChain = clusterEndpoints.length > 0 && (!svc.internalPolicyLocal || externallyAccessible(svc));
    if (usesClusterPolicyChain) ensureChain(clusterPolicyChain);
    const localPolicyChain = names.local;
    const usesLocalPolicyChain = localEndpoints.length > 0 && (svc.internalPolicyLocal || (svc.externalPolicyLocal && externallyAccessible(svc)));
    if (usesLocalPolicyChain) ensureChain(localPolicyChain);

    let internalTrafficChain = clusterPolicyChain;
    let hasInternalEndpoints = hasEndpoints;
    if (svc.internalPolicyLocal) {
      internalTrafficChain = localPolicyChain;
      if (localEndpoints.length === 0) hasInternalEndpoints = false;
    }
    let externalPolicyChain = clusterPolicyChain;
    let hasExternalEndpoints = hasEndpoints;
    if (svc.externalPolicyLocal) {
      externalPolicyChain = localPolicyChain;
      if (localEndpoints.length === 0) hasExternalEndpoints = false;
    }
    const externalTrafficChain = names.external;
    const usesExternalTrafficChain = hasEndpoints && externallyAccessible(svc);
    if (usesExternalTrafficChain) ensureChain(externalTrafficChain);

    let internalVerdict = '';
    let externalVerdict = '';
    if (!hasEndpoints) {
      internalVerdict = `goto ${REJECT_CHAIN}`;
      externalVerdict = `goto ${REJECT_CHAIN}`;
    } else {
      if (!hasInternalEndpoints) internalVerdict = 'drop';
      if (!hasExternalEndpoints) externalVerdict = 'drop';
    }

    const port = String(svc.port);
    // Capture the clusterIP.
    elem(this.clusterIPs, svc.clusterIP, '');
    if (hasInternalEndpoints) elem(this.serviceIPs, `${svc.clusterIP} . ${protocol} . ${port}`, `goto ${internalTrafficChain}`);
    else elem(this.noEndpointServices, `${svc.clusterIP} . ${protocol} . ${port}`, internalVerdict, name);
    // Capture externalIPs.
    for (const ip of svc.externalIPs) {
      if (hasEndpoints) elem(this.serviceIPs, `${ip} . ${protocol} . ${port}`, `goto ${externalTrafficChain}`);
      if (!hasExternalEndpoints) elem(this.noEndpointServices, `${ip} . ${protocol} . ${port}`, externalVerdict, name);
    }
    const usesFWChain = svc.loadBalancerVIPs.length > 0 && svc.loadBalancerSourceRanges.length > 0;
    const fwChain = names.firewall;
    if (usesFWChain) ensureChain(fwChain);
    // Capture load-balancer ingress.
    for (const ip of svc.loadBalancerVIPs) {
      if (hasEndpoints) elem(this.serviceIPs, `${ip} . ${protocol} . ${port}`, `goto ${externalTrafficChain}`);
      if (usesFWChain) elem(this.firewallIPs, `${ip} . ${protocol} . ${port}`, `goto ${fwChain}`);
    }
    if (!hasExternalEndpoints) {
      for (const ip of svc.loadBalancerVIPs) elem(this.noEndpointServices, `${ip} . ${protocol} . ${port}`, externalVerdict, name);
    }
    // Capture nodeports (not subject to loadBalancerSourceRanges).
    if (svc.nodePort !== 0) {
      if (hasEndpoints) elem(this.serviceNodePorts, `${protocol} . ${svc.nodePort}`, `goto ${externalTrafficChain}`);
      if (!hasExternalEndpoints) elem(this.noEndpointNodePorts, `${protocol} . ${svc.nodePort}`, externalVerdict, name);
    }

    // Assigned in order, not spread from temporary objects (10,000 ports in a full sync).
    const usedChains: NftServicePortRules['chains'] = {};
    if (usesClusterPolicyChain) usedChains.cluster = clusterPolicyChain;
    if (usesLocalPolicyChain) usedChains.local = localPolicyChain;
    if (usesExternalTrafficChain) usedChains.external = externalTrafficChain;
    if (usesFWChain) usedChains.firewall = fwChain;
    const desc = this.describe(svc, {
      chains: usedChains,
      internal: hasInternalEndpoints ? { chain: internalTrafficChain } : { verdict: internalVerdict },
      cluster: usesClusterPolicyChain ? clusterEndpoints : [],
      local: usesLocalPolicyChain ? localEndpoints : [],
      namer,
    });

    // Internal traffic: masquerade off-cluster traffic to a service VIP.
    if (hasInternalEndpoints) {
      if (this.opts.masqueradeAll) out.line(`add rule ${T} ${internalTrafficChain} ip daddr ${svc.clusterIP} jump ${MARK_MASQ_CHAIN}`);
      else if (this.localDetector.implemented) out.line(`add rule ${T} ${internalTrafficChain} ip daddr ${svc.clusterIP} ${detectorNft(this.localDetector, false)} jump ${MARK_MASQ_CHAIN}`);
    }
    if (usesExternalTrafficChain) {
      if (!svc.externalPolicyLocal) {
        out.line(`add rule ${T} ${externalTrafficChain} jump ${MARK_MASQ_CHAIN}`);
      } else {
        if (this.localDetector.implemented) {
          out.line(`add rule ${T} ${externalTrafficChain} ${detectorNft(this.localDetector, true)} goto ${clusterPolicyChain} comment "short-circuit pod traffic"`);
        }
        out.line(`add rule ${T} ${externalTrafficChain} fib saddr type local jump ${MARK_MASQ_CHAIN} comment "masquerade local traffic"`);
        out.line(`add rule ${T} ${externalTrafficChain} fib saddr type local goto ${clusterPolicyChain} comment "short-circuit local traffic"`);
      }
      if (hasExternalEndpoints) out.line(`add rule ${T} ${externalTrafficChain} goto ${externalPolicyChain}`);
    }
    if (usesFWChain) {
      const sources: string[] = [];
      let allowFromNode = false;
      for (const cidr of svc.loadBalancerSourceRanges) {
        sources.push(cidr);
        const c = parseCIDRSloppy(cidr);
        if (c && cidrContains(c, this.opts.nodeIP)) allowFromNode = true;
      }
      if (allowFromNode) sources.push(...svc.loadBalancerVIPs);
      out.line(`add rule ${T} ${fwChain} ip saddr != { ${sources.join(' , ')} } drop`);
    }
    if (affinity) {
      for (const set of affinitySets) {
        out.line(`add set ${T} ${set} { type ipv4_addr ; flags dynamic,timeout ; timeout ${svc.stickyMaxAgeSeconds}s ; }`);
      }
    }
    if (usesClusterPolicyChain) this.writeServiceToEndpointRules(out, affinity, clusterPolicyChain, chainsOf(clusterEndpoints));
    if (usesLocalPolicyChain) this.writeServiceToEndpointRules(out, affinity, localPolicyChain, chainsOf(localEndpoints));
    // Each endpoint's rules as one string of few pieces (fewer rope nodes to allocate and walk).
    const dnat = flat(` meta l4proto ${protocol} dnat to `);
    for (let i = 0; i < reachable.length; i++) {
      const ep = reachable[i]!;
      const head = ADD_RULE + epChains[i]!;
      if (affinity) {
        out.line(head + ' ip saddr ' + ep.ip + JUMP_MASQ + '\n' + head + ` update @${affinitySets[i]} { ip saddr }\n` + head + dnat + ep.endpoint, 3);
      } else {
        out.line(head + ' ip saddr ' + ep.ip + JUMP_MASQ + '\n' + head + dnat + ep.endpoint, 2);
      }
    }
    return { desc, chains, affinitySets, elements };
  }

  /** The numgen vmap over `chains` (the endpoints' chains), after the affinity checks. */
  private writeServiceToEndpointRules(out: TextBuffer, affinity: boolean, chain: string, chains: string[]): void {
    if (affinity) {
      for (const c of chains) out.line(`add rule ${T} ${chain} ip saddr @${affinitySetOf(c)} goto ${c}`);
    }
    let elements = '';
    for (let i = 0; i < chains.length; i++) {
      elements += (i === 0 ? '' : ' , ') + i + GOTO + chains[i]!;
    }
    out.line(`add rule ${T} ${chain} numgen random mod ${chains.length} vmap { ${elements} }`);
  }

  private describe(
    svc: ServicePortInfo,
    p: { chains: NftServicePortRules['chains']; internal: NftServicePortRules['internal']; cluster: EndpointInfo[]; local: EndpointInfo[]; namer: (ep: EndpointInfo) => string },
  ): NftServicePortRules {
    const describeEps = (eps: EndpointInfo[]): NftEndpointDescription[] => eps.map((ep, index) => ({
      endpoint: ep.endpoint, ip: ep.ip, port: ep.port, chain: p.namer(ep), index,
      isLocal: ep.isLocal, ready: ep.ready, serving: ep.serving, terminating: ep.terminating, share: 1 / eps.length,
    }));
    const d: NftServicePortRules = {
      name: svc.nameString,
      protocol: svc.protocol,
      clusterIP: svc.clusterIP,
      port: svc.port,
      nodePort: svc.nodePort,
      externalIPs: svc.externalIPs,
      loadBalancerIPs: svc.loadBalancerVIPs,
      loadBalancerSourceRanges: svc.loadBalancerSourceRanges,
      sessionAffinity: svc.sessionAffinity,
      stickyMaxAgeSeconds: svc.stickyMaxAgeSeconds,
      externalTrafficPolicy: svc.externalPolicyLocal ? 'Local' : 'Cluster',
      internalTrafficPolicy: svc.internalPolicyLocal ? 'Local' : 'Cluster',
      healthCheckNodePort: svc.healthCheckNodePort,
      chains: p.chains,
      internal: p.internal,
    } as NftServicePortRules;
    // Endpoint descriptions are for the Trace: computed when first read.
    addLazy(d, 'clusterEndpoints', p.cluster.length ? () => describeEps(p.cluster) : null, []);
    addLazy(d, 'localEndpoints', p.local.length ? () => describeEps(p.local) : null, []);
    d.rewritten = true;
    return d;
  }
}
