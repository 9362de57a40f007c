/**
 * kube-proxy's iptables mode for one node (pkg/proxy/iptables/proxier.go, v1.31+).
 *
 * sync() returns what the real proxier hands to `iptables-restore --noflush --counters`:
 * the first sync (and every forced or hourly one) writes every chain it owns; later syncs
 * rewrite the top-level chains but only the per-service chains of Services whose Service
 * or EndpointSlices changed, and delete stale per-service chains with `-X`.
 * The jump rules from the built-in chains are not part of the restore input: upstream
 * ensures them one by one (`iptables -C` / `iptables -I`) on full syncs; we return them as
 * `ensure` operations for the node to apply.
 *
 * Rule generation is split into small per-service functions, but the rules, their order
 * within each chain and their text follow syncProxyRules exactly. Where upstream iterates
 * a Go map (random order) we go in service-port name order.
 */
import type { EndpointSlice, Service } from '../../model/types';
import type { LocalTrafficDetector, ProxierOptions } from '../config';
import { NodePortAddresses, noOpLocalDetector } from '../config';
import { localReadyEndpoints, updateEndpointsMap } from '../endpointschangetracker';
import { EXT_PREFIX, FW_PREFIX, isServiceChainName, portProtoHashMemo, SVC_PREFIX, SVL_PREFIX } from '../hash';
import { cidrContains, parseCIDRSloppy } from '../ip';
import { healthCheckNodePorts, sortedServicePortKeys, updateServicePortMap } from '../servicechangetracker';
import { categorizeEndpoints } from '../topology';
import { ChangeTrackingProxier } from '../proxier-base';
import { addLazy } from '../lazy';
import { block, DISCARD, joinLines, TextBuffer, type Block, type LineSink } from '../textbuffer';
import { externallyAccessible, type EndpointInfo, type EndpointsMap, type NamespacedName, type ServicePortInfo, type ServicePortMap, type ServicePortSummary } from '../types';

export const KUBE_SERVICES = 'KUBE-SERVICES';
export const KUBE_EXTERNAL_SERVICES = 'KUBE-EXTERNAL-SERVICES';
export const KUBE_NODEPORTS = 'KUBE-NODEPORTS';
export const KUBE_POSTROUTING = 'KUBE-POSTROUTING';
export const KUBE_MARK_MASQ = 'KUBE-MARK-MASQ';
export const KUBE_FORWARD = 'KUBE-FORWARD';
export const KUBE_PROXY_FIREWALL = 'KUBE-PROXY-FIREWALL';
export const KUBE_PROXY_CANARY = 'KUBE-PROXY-CANARY';
/** kubelet's chain; kube-proxy keeps a copy of its anti-martian rule (localhostNodePorts). */
export const KUBE_FIREWALL = 'KUBE-FIREWALL';

/** Switch to "large cluster mode" (no per-endpoint comments) above this many endpoints. */
export const LARGE_CLUSTER_ENDPOINTS_THRESHOLD = 1000;
/** proxyutil.FullSyncPeriod. */
export const FULL_SYNC_PERIOD_MS = 3_600_000;

export const NFACCT_CT_STATE_INVALID = 'ct_state_invalid_dropped_pkts';
export const NFACCT_LOCALHOST_NODEPORTS = 'localhost_nps_accepted_pkts';

export type Table = 'filter' | 'nat' | 'mangle';

/** One `iptables -t TABLE -C CHAIN ARGS || iptables -t TABLE -I CHAIN ARGS` (EnsureRule Prepend). */
export interface EnsureJumpRule {
  table: Table;
  /** The built-in chain the jump lives in. */
  chain: string;
  /** EnsureChain first: the chain jumped to. */
  target: string;
  position: 'prepend';
  /** argv after the chain name, as passed to iptables (the comment is one argument). */
  args: string[];
  /** The same rule as iptables-restore text: `-A CHAIN ...` with the comment quoted. */
  rule: string;
}

interface JumpChain {
  table: Table;
  dst: string;
  src: string;
  comment: string;
  extra: string[];
}

const NEW = ['-m', 'conntrack', '--ctstate', 'NEW'];
/** iptablesJumpChains followed by iptablesKubeletJumpChains, in upstream's order. */
const JUMP_CHAINS: JumpChain[] = [
  { table: 'filter', dst: KUBE_EXTERNAL_SERVICES, src: 'INPUT', comment: 'kubernetes externally-visible service portals', extra: NEW },
  { table: 'filter', dst: KUBE_EXTERNAL_SERVICES, src: 'FORWARD', comment: 'kubernetes externally-visible service portals', extra: NEW },
  { table: 'filter', dst: KUBE_NODEPORTS, src: 'INPUT', comment: 'kubernetes health check service ports', extra: [] },
  { table: 'filter', dst: KUBE_SERVICES, src: 'FORWARD', comment: 'kubernetes service portals', extra: NEW },
  { table: 'filter', dst: KUBE_SERVICES, src: 'OUTPUT', comment: 'kubernetes service portals', extra: NEW },
  { table: 'filter', dst: KUBE_FORWARD, src: 'FORWARD', comment: 'kubernetes forwarding rules', extra: [] },
  { table: 'filter', dst: KUBE_PROXY_FIREWALL, src: 'INPUT', comment: 'kubernetes load balancer firewall', extra: NEW },
  { table: 'filter', dst: KUBE_PROXY_FIREWALL, src: 'OUTPUT', comment: 'kubernetes load balancer firewall', extra: NEW },
  { table: 'filter', dst: KUBE_PROXY_FIREWALL, src: 'FORWARD', comment: 'kubernetes load balancer firewall', extra: NEW },
  { table: 'nat', dst: KUBE_SERVICES, src: 'OUTPUT', comment: 'kubernetes service portals', extra: [] },
  { table: 'nat', dst: KUBE_SERVICES, src: 'PREROUTING', comment: 'kubernetes service portals', extra: [] },
  { table: 'nat', dst: KUBE_POSTROUTING, src: 'POSTROUTING', comment: 'kubernetes postrouting rules', extra: [] },
  // Duplicates of kubelet's (pkg/kubelet/kubelet_network_linux.go): no comment.
  { table: 'filter', dst: KUBE_FIREWALL, src: 'INPUT', comment: '', extra: [] },
  { table: 'filter', dst: KUBE_FIREWALL, src: 'OUTPUT', comment: '', extra: [] },
];

function quoteArg(a: string): string {
  return /[\s"]/.test(a) || a === '' ? `"${a}"` : a;
}

/** The jump rules kube-proxy ensures on every full sync, in the order it ensures them. */
export function iptablesJumpRules(): EnsureJumpRule[] {
  return JUMP_CHAINS.map((j) => {
    const args = [...j.extra, ...(j.comment ? ['-m', 'comment', '--comment', j.comment] : []), '-j', j.dst];
    return { table: j.table, chain: j.src, target: j.dst, position: 'prepend', args, rule: `-A ${j.src} ${args.map(quoteArg).join(' ')}` };
  });
}

/** The canary chains ipt.Monitor keeps in each table to notice a flush. */
export const CANARY_CHAINS: { table: Table; chain: string }[] = [
  { table: 'mangle', chain: KUBE_PROXY_CANARY },
  { table: 'nat', chain: KUBE_PROXY_CANARY },
  { table: 'filter', chain: KUBE_PROXY_CANARY },
];

/**
 * computeProbability: Go's fmt "%0.10f" of 1/n. JS toFixed agrees except on exact ties,
 * where Go rounds half to even; the only n whose double 1/n ties at the 11th decimal is
 * 2048 (0.00048828125 exactly).
 */
export function computeProbability(n: number): string {
  if (n === 2048) return '0.0004882812';
  return (1 / n).toFixed(10);
}

/** One endpoint as the Trace sees it. */
export interface EndpointRuleDescription {
  endpoint: string;
  ip: string;
  port: number;
  /** KUBE-SEP-… */
  chain: string;
  isLocal: boolean;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  /** The `--probability` text on its rule, or null for the last (unconditional) rule. */
  probability: string | null;
  /** The share of new connections it receives: 1/n. */
  share: number;
}

/** What happens to traffic that has nowhere to go (filter table). */
export interface FilterVerdict {
  target: 'REJECT' | 'DROP';
  comment: string;
}

/** The rules of one service port, for the Trace and for teaching. */
export interface ServicePortRules extends ServicePortSummary {
  /** Chains that exist for this port (undefined when not created). */
  chains: { cluster?: string; local?: string; external?: string; firewall?: string };
  /** Where ClusterIP traffic goes: a chain, or a filter verdict. */
  internal: { chain: string } | FilterVerdict;
  /** Where NodePort / externalIP / LB traffic goes (undefined if not externally accessible). */
  external?: { chain: string; fallback?: FilterVerdict } | FilterVerdict;
  clusterEndpoints: EndpointRuleDescription[];
  localEndpoints: EndpointRuleDescription[];
  /**
   * Whether this sync rewrote the port's own chains. Descriptions are shared between
   * syncs (an unchanged port keeps its object), so read this before the next sync.
   */
  rewritten: boolean;
}

export interface IptablesSyncResult {
  fullSync: boolean;
  /** Input for `iptables-restore --noflush --counters` (filter then nat). */
  restore: string;
  restoreArgs: ['--noflush', '--counters'];
  /** Chains to create with `iptables -N` if missing (full syncs only). */
  ensureChains: { table: Table; chain: string }[];
  /** Jump rules to ensure in built-in chains (full syncs only), in order. */
  ensureRules: EnsureJumpRule[];
  /** Per service port, in output order. */
  services: ServicePortRules[];
  /** Services whose chains this sync rewrote (partial syncs). */
  updatedServices: NamespacedName[];
  /** Per-service chains deleted with -X. */
  deletedChains: string[];
  largeClusterMode: boolean;
  /** "Reloading service iptables data" numbers. */
  stats: { services: number; endpoints: number; filterChains: number; filterRules: number; natChains: number; natRules: number };
  /** UDP conntrack entries need flushing (upstream's conntrack.CleanStaleEntries). */
  conntrackCleanupRequired: boolean;
  /** For the health check server: Services with a healthCheckNodePort, and their local ready endpoints. */
  healthCheckNodePorts(): Map<NamespacedName, number>;
  localReadyEndpoints(): Map<NamespacedName, number>;
}

/**
 * What one service port contributes to a sync. The top-level rules are kept as one flat
 * block ("" when empty, no trailing newline) with its line count, reused as is by partial
 * syncs while the port is unchanged. The port's own chains are written once, by the sync
 * that computed them, and not kept.
 */
interface ServicePortOutput {
  /** Rules in the top-level chains (KUBE-SERVICES, KUBE-NODEPORTS, …), written every sync. */
  natTop: Block;
  filterTop: Block;
  /** Names of the port's own chains (active, so not stale). */
  chainNames: string[];
  desc: ServicePortRules;
}

interface ChainNames {
  cluster: string;
  local: string;
  external: string;
  firewall: string;
}

/** The four parts of the restore input, in the order iptables-restore reads them. */
interface Buffers {
  filterChains: TextBuffer;
  filterRules: TextBuffer;
  natChains: TextBuffer;
  natRules: TextBuffer;
}

const chainLine = (chain: string): string => ':' + chain + ' - [0:0]';
const HAIRPIN_TAIL_NL = ` -j ${KUBE_MARK_MASQ}\n`;

/**
 * `s` flattened in place (reading a character does it). A fragment repeated in many lines
 * is then copied from one flat string rather than walked as a rope for every line.
 */
function flat(s: string): string {
  s.charCodeAt(0);
  return s;
}

export class IptablesProxier extends ChangeTrackingProxier {
  private readonly opts: ProxierOptions;
  private readonly localDetector: LocalTrafficDetector;
  private readonly nodePortAddresses: NodePortAddresses;
  private readonly localhostNodePorts: boolean;
  private readonly now: () => number;

  private lastFullSync = -Infinity;
  private lastIPTablesCleanup = -Infinity;
  private largeClusterMode = false;
  private precomputed: string[] = ['<bad value>'];
  private statistics: string[] = [];
  /** Chains we created in nat (the default answer to "what exists"). */
  private readonly knownNatChains = new Set<string>();
  private sortedKeys: string[] | null = null;
  private lastCreated: string[] = [];
  /** Per service port: its output at the last sync that rewrote it. */
  private outputs = new Map<string, ServicePortOutput>();
  /** Chain names per service port (upstream computes them once in newServiceInfo). */
  private chainNameCache = new Map<string, ChainNames>();
  private lastDeleted: string[] = [];

  constructor(opts: ProxierOptions) {
    super(opts);
    this.opts = opts;
    this.localDetector = opts.localDetector ?? noOpLocalDetector;
    this.nodePortAddresses = new NodePortAddresses(opts.nodePortAddresses, opts.nodeIP);
    // NewProxier: localhost NodePorts only if nodePortAddresses lets 127.0.0.1 in.
    this.localhostNodePorts = (opts.localhostNodePorts ?? true) && this.nodePortAddresses.containsIPv4Loopback();
    this.now = opts.now ?? (() => 0);
  }

  /** forceSyncProxyRules: the canary chain vanished (someone flushed a table). */
  forceFullSync(): void {
    this.needFullSync = true;
  }
  /**
   * The node's iptables-restore rejected the last sync's input: nothing of it was applied,
   * so forget the chains it created or deleted, and make the next sync a full one.
   */
  reportRestoreFailure(): void {
    for (const c of this.lastCreated) this.knownNatChains.delete(c);
    for (const c of this.lastDeleted) this.knownNatChains.add(c);
    this.lastCreated = [];
    this.lastDeleted = [];
    this.needFullSync = true;
  }

  /** ` -m statistic --mode random --probability 1/n`, one flat string per n. */
  private statistic(n: number): string {
    let s = this.statistics[n];
    if (s === undefined) this.statistics[n] = s = flat(` -m statistic --mode random --probability ${this.probability(n)}`);
    return s;
  }

  private probability(n: number): string {
    for (let i = this.precomputed.length; i <= n; i++) this.precomputed.push(computeProbability(i));
    return this.precomputed[n]!;
  }

  /** appendServiceCommentLocked: per-endpoint comments vanish in large cluster mode. */
  private comment(text: string): string {
    return this.largeClusterMode ? '' : ` -m comment --comment ${text}`;
  }

  // ---- sync ----

  sync(): IptablesSyncResult {
    const now = this.now();
    const doFullSync = this.needFullSync || now - this.lastFullSync > FULL_SYNC_PERIOD_MS;
    const serviceUpdate = updateServicePortMap(this.svcPortMap, this.serviceChanges);
    const endpointUpdate = updateEndpointsMap(this.endpointsMap, this.endpointsChanges);
    if (serviceUpdate.updatedServices.size > 0 || this.sortedKeys === null) this.sortedKeys = null;

    const b: Buffers = { filterChains: new TextBuffer(), filterRules: new TextBuffer(), natChains: new TextBuffer(), natRules: new TextBuffer() };
    const mark = this.masqueradeMark;
    for (const c of [KUBE_SERVICES, KUBE_EXTERNAL_SERVICES, KUBE_FORWARD, KUBE_NODEPORTS, KUBE_PROXY_FIREWALL]) b.filterChains.line(chainLine(c));
    for (const c of [KUBE_SERVICES, KUBE_NODEPORTS, KUBE_POSTROUTING, KUBE_MARK_MASQ]) b.natChains.line(chainLine(c));

    b.natRules.line(`-A ${KUBE_POSTROUTING} -m mark ! --mark ${mark}/${mark} -j RETURN`);
    // Clear the mark so a packet that re-traverses the stack is not masqueraded twice.
    b.natRules.line(`-A ${KUBE_POSTROUTING} -j MARK --xor-mark ${mark}`);
    b.natRules.line(`-A ${KUBE_POSTROUTING} -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE${this.opts.hasRandomFully ?? true ? ' --random-fully' : ''}`);
    b.natRules.line(`-A ${KUBE_MARK_MASQ} -j MARK --or-mark ${mark}`);
    if (this.localhostNodePorts) {
      // route_localnet opens a hole (https://issue.k8s.io/90259) that this rule closes.
      b.filterChains.line(chainLine(KUBE_FIREWALL));
      b.filterRules.line(
        `-A ${KUBE_FIREWALL} -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP`,
      );
    }

    // Large cluster mode is decided before rules are written.
    let totalEndpoints = 0;
    for (const key of this.svcPortMap.keys()) totalEndpoints += this.endpointsMap.get(key)?.length ?? 0;
    this.largeClusterMode = totalEndpoints > LARGE_CLUSTER_ENDPOINTS_THRESHOLD;

    // Stale chains are looked for on every sync, except in large clusters (iptables-save
    // is slow there) where it happens once per syncPeriod.
    const cleanup = !this.largeClusterMode || now - this.lastIPTablesCleanup > (this.opts.syncPeriodMs ?? 30_000);
    // Upstream lists the nat table (iptables-save) before writing anything; so do we. Only
    // when per-service chains exist is it worth collecting the active ones.
    const existingServiceChains = cleanup
      ? [...(this.opts.existingNatChains ? this.opts.existingNatChains() : this.knownNatChains)].filter(isServiceChainName)
      : [];
    const activeNatChains = existingServiceChains.length > 0 ? new Set<string>() : null;

    if (this.sortedKeys === null) {
      this.sortedKeys = sortedServicePortKeys(this.svcPortMap);
    }
    const updatedServices = new Set<NamespacedName>([...serviceUpdate.updatedServices, ...endpointUpdate.updatedServices]);
    const services: ServicePortRules[] = [];
    // Chains (re)written by this sync that the node did not have: recorded as we go.
    const created: string[] = [];
    const outputs = new Map<string, ServicePortOutput>();
    /** chainNames of the ports this sync rewrote, in order. */
    const rewrittenChains: string[][] = [];
    for (const key of this.sortedKeys) {
      const svc = this.svcPortMap.get(key)!;
      const rewrite = doFullSync || updatedServices.has(svc.service);
      // A port whose Service and endpoints did not change produces the same top-level
      // rules as last time; reuse them rather than recomputing 10,000 services.
      let o = rewrite ? undefined : this.outputs.get(key);
      if (o) {
        // Descriptions are live: a reused port's description now says "not rewritten".
        if (o.desc.rewritten) {
          o.desc.rewritten = false;
        }
        b.natRules.add(o.natTop);
        b.filterRules.add(o.filterTop);
      } else {
        // Writes its top-level rules, and its own chains if `rewrite`, into b.
        o = this.writeServicePort(key, svc, rewrite, b);
      }
      outputs.set(key, o);
      if (rewrite) rewrittenChains.push(o.chainNames);
      if (activeNatChains) for (const c of o.chainNames) activeNatChains.add(c);
      services.push(o.desc);
    }
    this.outputs = outputs;
    // Recorded after the loop rather than port by port: growing a 100,000-entry Set while
    // the rules are generated costs far more (it keeps the young generation's strings alive).
    const known = this.knownNatChains;
    for (const names of rewrittenChains) {
      for (const c of names) {
        const size = known.size;
        if (known.add(c).size !== size) created.push(c);
      }
    }

    // Delete chains no longer in use.
    const deletedChains: string[] = [];
    if (cleanup) {
      if (activeNatChains) {
        for (const chain of existingServiceChains) if (!activeNatChains.has(chain)) deletedChains.push(chain);
        deletedChains.sort();
      }
      // A chain line flushes it; then it can be removed.
      for (const chain of deletedChains) b.natChains.line(chainLine(chain));
      for (const chain of deletedChains) b.natRules.line(`-X ${chain}`);
      this.lastIPTablesCleanup = now;
    }

    // Finally the tail call to KUBE-NODEPORTS; it must come after every service rule.
    const npComment = '-m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain"';
    if (this.nodePortAddresses.matchAll) {
      b.natRules.line(`-A ${KUBE_SERVICES} ${npComment} -m addrtype --dst-type LOCAL${this.localhostNodePorts ? '' : ' ! -d 127.0.0.0/8'} -j ${KUBE_NODEPORTS}`);
    } else {
      for (const ip of this.nodePortAddresses.nodeIPs(this.opts.nodeAddresses ?? [this.opts.nodeIP, '127.0.0.1'])) {
        // Upstream logs "--nodeport-addresses includes localhost but --iptables-localhost-nodeports=false was passed".
        if (ip.startsWith('127.') && !this.localhostNodePorts) continue;
        b.natRules.line(`-A ${KUBE_SERVICES} ${npComment} -d ${ip} -j ${KUBE_NODEPORTS}`);
      }
    }

    // Drop INVALID packets unless nf_conntrack_tcp_be_liberal is set (issues 74839, 117924).
    if (!this.opts.conntrackTCPLiberal) {
      b.filterRules.line(`-A ${KUBE_FORWARD} -m conntrack --ctstate INVALID${this.opts.nfacct ? ` -m nfacct --nfacct-name ${NFACCT_CT_STATE_INVALID}` : ''} -j DROP`);
    }
    b.filterRules.line(`-A ${KUBE_FORWARD} -m comment --comment "kubernetes forwarding rules" -m mark --mark ${mark}/${mark} -j ACCEPT`);
    b.filterRules.line(`-A ${KUBE_FORWARD} -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`);

    // One join: a rope of the parts would be copied whole again by iptables-restore's first read.
    const restore = joinLines(['*filter', ...b.filterChains.chunksOf(), ...b.filterRules.chunksOf(), 'COMMIT', '*nat', ...b.natChains.chunksOf(), ...b.natRules.chunksOf(), 'COMMIT']);

    // Success is assumed; the caller reports a failed restore with reportRestoreFailure().
    this.lastCreated = created;
    for (const c of deletedChains) this.knownNatChains.delete(c);
    this.lastDeleted = deletedChains;
    this.needFullSync = false;
    if (doFullSync) this.lastFullSync = now;

    return {
      fullSync: doFullSync,
      restore,
      restoreArgs: ['--noflush', '--counters'],
      ensureChains: doFullSync ? [...CANARY_CHAINS, ...JUMP_CHAINS.map((j) => ({ table: j.table, chain: j.dst }))] : [],
      ensureRules: doFullSync ? iptablesJumpRules() : [],
      services,
      updatedServices: [...updatedServices].sort(),
      deletedChains,
      largeClusterMode: this.largeClusterMode,
      stats: {
        services: this.svcPortMap.size,
        endpoints: totalEndpoints,
        filterChains: b.filterChains.lines,
        filterRules: b.filterRules.lines,
        natChains: b.natChains.lines,
        natRules: b.natRules.lines,
      },
      conntrackCleanupRequired: endpointUpdate.conntrackCleanupRequired || serviceUpdate.deletedUDPClusterIPs.size > 0,
      healthCheckNodePorts: () => healthCheckNodePorts(this.svcPortMap),
      localReadyEndpoints: () => localReadyEndpoints(this.endpointsMap),
    };
  }

  private chainNamesOf(svc: ServicePortInfo, protocol: string): ChainNames {
    const key = `${svc.nameString}|${protocol}`;
    let c = this.chainNameCache.get(key);
    if (!c) {
      // The four names share one hash (portProtoHash of the same port and protocol).
      const h = portProtoHashMemo(svc.nameString, protocol);
      c = { cluster: flat(SVC_PREFIX + h), local: flat(SVL_PREFIX + h), external: flat(EXT_PREFIX + h), firewall: flat(FW_PREFIX + h) };
      this.chainNameCache.set(key, c);
    }
    return c;
  }

  /**
   * Everything one service port contributes, written into `out`: its top-level rules, and
   * its own chains if `rewrite` (straight into the buffers: they are most of the text, and
   * a per-port block would be one more copy of it).
   */
  private writeServicePort(key: string, svc: ServicePortInfo, rewrite: boolean, out: Buffers): ServicePortOutput {
    const protocol = svc.protocol.toLowerCase();
    const name = svc.nameString;
    const names = this.chainNamesOf(svc, protocol);
    const b = { natRules: [] as string[], filterRules: [] as string[] };
    // `key` is servicePortKey(svc.spn): the svcPortMap key.
    const allEndpoints = this.endpointsMap.get(key) ?? [];
    const cat = categorizeEndpoints(allEndpoints, svc, this.nodeName, this.nodeLabels);
    const { clusterEndpoints, localEndpoints, allReachableEndpoints, hasAnyEndpoints: hasEndpoints } = cat;

    const clusterPolicyChain = names.cluster;
    const usesClusterPolicyChain = clusterEndpoints.length > 0 && (!svc.internalPolicyLocal || externallyAccessible(svc));
    const localPolicyChain = names.local;
    const usesLocalPolicyChain = localEndpoints.length > 0 && (svc.internalPolicyLocal || (svc.externalPolicyLocal && externallyAccessible(svc)));

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
    // Based on hasEndpoints, not hasExternalEndpoints: the short-circuit rules for
    // local traffic are needed even when no endpoint serves external traffic.
    const usesExternalTrafficChain = hasEndpoints && externallyAccessible(svc);
    const fwChain = names.firewall;
    const usesFWChain = hasEndpoints && svc.loadBalancerVIPs.length > 0 && svc.loadBalancerSourceRanges.length > 0;
    const loadBalancerTrafficChain = usesFWChain ? fwChain : externalTrafficChain;

    let internalFilter: FilterVerdict | undefined;
    let externalFilter: FilterVerdict | undefined;
    if (!hasEndpoints) {
      internalFilter = { target: 'REJECT', comment: `"${name} has no endpoints"` };
      externalFilter = internalFilter;
    } else {
      if (!hasInternalEndpoints) internalFilter = { target: 'DROP', comment: `"${name} has no local endpoints"` };
      if (!hasExternalEndpoints) externalFilter = { target: 'DROP', comment: `"${name} has no local endpoints"` };
    }

    const match = flat(`-m ${protocol} -p ${protocol}`);
    const dport = `--dport ${svc.port}`;
    const clusterIPComment = `"${name} cluster IP"`;

    // Capture the clusterIP.
    if (hasInternalEndpoints) {
      b.natRules.push(`-A ${KUBE_SERVICES} -m comment --comment ${clusterIPComment} ${match} -d ${svc.clusterIP} ${dport} -j ${internalTrafficChain}`);
    } else {
      b.filterRules.push(`-A ${KUBE_SERVICES} -m comment --comment ${internalFilter!.comment} ${match} -d ${svc.clusterIP} ${dport} -j ${internalFilter!.target}`);
    }
    // Capture externalIPs.
    for (const ip of svc.externalIPs) {
      if (hasEndpoints) b.natRules.push(`-A ${KUBE_SERVICES} -m comment --comment "${name} external IP" ${match} -d ${ip} ${dport} -j ${externalTrafficChain}`);
      if (!hasExternalEndpoints) b.filterRules.push(`-A ${KUBE_EXTERNAL_SERVICES} -m comment --comment ${externalFilter!.comment} ${match} -d ${ip} ${dport} -j ${externalFilter!.target}`);
    }
    // Capture load-balancer ingress.
    for (const ip of svc.loadBalancerVIPs) {
      if (hasEndpoints) b.natRules.push(`-A ${KUBE_SERVICES} -m comment --comment "${name} loadbalancer IP" ${match} -d ${ip} ${dport} -j ${loadBalancerTrafficChain}`);
      if (usesFWChain) b.filterRules.push(`-A ${KUBE_PROXY_FIREWALL} -m comment --comment "${name} traffic not accepted by ${fwChain}" ${match} -d ${ip} ${dport} -j DROP`);
    }
    if (!hasExternalEndpoints) {
      for (const ip of svc.loadBalancerVIPs) {
        b.filterRules.push(`-A ${KUBE_EXTERNAL_SERVICES} -m comment --comment ${externalFilter!.comment} ${match} -d ${ip} ${dport} -j ${externalFilter!.target}`);
      }
    }
    // Capture nodeports. (NodePorts are not subject to loadBalancerSourceRanges.)
    if (svc.nodePort !== 0) {
      if (hasEndpoints) {
        if (this.localhostNodePorts && this.opts.nfacct) {
          b.natRules.push(`-A ${KUBE_NODEPORTS} -m comment --comment ${name} ${match} -d 127.0.0.0/8 --dport ${svc.nodePort} -m nfacct --nfacct-name ${NFACCT_LOCALHOST_NODEPORTS} -j ${externalTrafficChain}`);
        }
        b.natRules.push(`-A ${KUBE_NODEPORTS} -m comment --comment ${name} ${match} --dport ${svc.nodePort} -j ${externalTrafficChain}`);
      }
      if (!hasExternalEndpoints) {
        b.filterRules.push(`-A ${KUBE_EXTERNAL_SERVICES} -m comment --comment ${externalFilter!.comment} -m addrtype --dst-type LOCAL ${match} --dport ${svc.nodePort} -j ${externalFilter!.target}`);
      }
    }
    // Capture healthCheckNodePorts, whether or not there are local endpoints.
    if (svc.healthCheckNodePort !== 0) {
      b.filterRules.push(`-A ${KUBE_NODEPORTS} -m comment --comment "${name} health check node port" -m tcp -p tcp --dport ${svc.healthCheckNodePort} -j ACCEPT`);
    }

    const natTop = block(b.natRules);
    const filterTop = block(b.filterRules);
    out.natRules.add(natTop);
    out.filterRules.add(filterTop);

    // The per-service chains. Unchanged services keep theirs (partial sync), but their
    // names still count as active so they are not mistaken for stale ones.
    const chains: ServicePortRules['chains'] = {};
    const natChains = rewrite ? out.natChains : DISCARD;
    const natRules = rewrite ? out.natRules : DISCARD;
    const chainNames: string[] = [];
    const addChain = (c: string): void => {
      natChains.line(chainLine(c));
      chainNames.push(c);
    };

    if (hasInternalEndpoints) {
      const head = `-A ${internalTrafficChain} -m comment --comment ${clusterIPComment} ${match} -d ${svc.clusterIP} ${dport}`;
      if (this.opts.masqueradeAll) natRules.line(`${head} -j ${KUBE_MARK_MASQ}`);
      // Masquerade off-cluster traffic to a service VIP (a static route to the service
      // range through any node works, and the reply must come back through it).
      else if (this.localDetector.implemented) natRules.line(`${head} ${this.localDetector.ifNotLocal.join(' ')} -j ${KUBE_MARK_MASQ}`);
    }

    if (usesExternalTrafficChain) {
      addChain(externalTrafficChain);
      chains.external = externalTrafficChain;
      if (!svc.externalPolicyLocal) {
        // Non-local endpoints: masquerade, in case we cross nodes.
        natRules.line(`-A ${externalTrafficChain} -m comment --comment "masquerade traffic for ${name} external destinations" -j ${KUBE_MARK_MASQ}`);
      } else {
        if (this.localDetector.implemented) {
          // Pod → external IP of a Local service: neither policy applies (it simulates
          // going out to the load balancer and coming back in).
          natRules.line(`-A ${externalTrafficChain} -m comment --comment "pod traffic for ${name} external destinations" ${this.localDetector.ifLocal.join(' ')} -j ${clusterPolicyChain}`);
        }
        // The node itself: the LB IP is local, so it would be the source; masquerade.
        natRules.line(`-A ${externalTrafficChain} -m comment --comment "masquerade LOCAL traffic for ${name} external destinations" -m addrtype --src-type LOCAL -j ${KUBE_MARK_MASQ}`);
        natRules.line(`-A ${externalTrafficChain} -m comment --comment "route LOCAL traffic for ${name} external destinations" -m addrtype --src-type LOCAL -j ${clusterPolicyChain}`);
      }
      if (hasExternalEndpoints) natRules.line(`-A ${externalTrafficChain} -j ${externalPolicyChain}`);
    }

    if (usesFWChain) {
      addChain(fwChain);
      chains.firewall = fwChain;
      const head = `-A ${fwChain} -m comment --comment "${name} loadbalancer IP"`;
      let allowFromNode = false;
      for (const cidr of svc.loadBalancerSourceRanges) {
        natRules.line(`${head} -s ${cidr} -j ${externalTrafficChain}`);
        if (cidrContains(parseCIDRSloppy(cidr)!, this.opts.nodeIP)) allowFromNode = true;
      }
      // A node reaching its own LB VIP loops back with the VIP as source.
      if (allowFromNode) for (const ip of svc.loadBalancerVIPs) natRules.line(`${head} -s ${ip} -j ${externalTrafficChain}`);
      // Falling off the end means no DNAT: KUBE-PROXY-FIREWALL drops it in filter.
      natRules.line(`-A ${fwChain} -m comment --comment "other traffic to ${name} will be dropped by KUBE-PROXY-FIREWALL"`);
    }

    if (usesClusterPolicyChain) {
      addChain(clusterPolicyChain);
      chains.cluster = clusterPolicyChain;
      this.writeServiceToEndpointRules(natRules, svc, clusterPolicyChain, clusterEndpoints);
    }
    if (usesLocalPolicyChain) {
      addChain(localPolicyChain);
      chains.local = localPolicyChain;
      this.writeServiceToEndpointRules(natRules, svc, localPolicyChain, localEndpoints);
    }

    // The per-endpoint chains. (Lines are built from few pieces: fewer ropes to walk.)
    const affinity = svc.sessionAffinity === 'ClientIP';
    const dnat = flat(` ${match} -j DNAT --to-destination `);
    for (const ep of allReachableEndpoints) {
      addChain(ep.chainName);
      const head = this.largeClusterMode ? '-A ' + ep.chainName : flat(`-A ${ep.chainName}${this.comment(name)}`);
      // Hairpin: a pod reaching itself through the service must be SNATed.
      // Both rules in one string: one buffer entry per endpoint rather than two.
      natRules.line(head + ' -s ' + ep.ip + HAIRPIN_TAIL_NL + (affinity ? `${head} -m recent --name ${ep.chainName} --set${dnat}${ep.endpoint}` : head + dnat + ep.endpoint), 2);
    }

    const desc: ServicePortRules = {
      name,
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
      chains,
      internal: hasInternalEndpoints ? { chain: internalTrafficChain } : internalFilter!,
    } as ServicePortRules;
    // Endpoint descriptions are for the Trace: computed when first read.
    addLazy(desc, 'clusterEndpoints', usesClusterPolicyChain ? this.endpointsDescriber(clusterEndpoints) : null, []);
    addLazy(desc, 'localEndpoints', usesLocalPolicyChain ? this.endpointsDescriber(localEndpoints) : null, []);
    desc.rewritten = rewrite;
    if (externallyAccessible(svc)) {
      desc.external = usesExternalTrafficChain
        ? { chain: externalTrafficChain, ...(externalFilter ? { fallback: externalFilter } : {}) }
        : externalFilter!;
    }
    return { natTop, filterTop, chainNames, desc };
  }

  /** writeServiceToEndpointRules: affinity checks first, then the probability ladder. */
  private writeServiceToEndpointRules(natRules: LineSink, svc: ServicePortInfo, chain: string, endpoints: EndpointInfo[]): void {
    const name = svc.nameString;
    if (svc.sessionAffinity === 'ClientIP') {
      for (const ep of endpoints) {
        natRules.line(`-A ${chain}${this.largeClusterMode ? '' : this.comment(`"${name} -> ${ep.endpoint}"`)} -m recent --name ${ep.chainName} --rcheck --seconds ${svc.stickyMaxAgeSeconds} --reap -j ${ep.chainName}`);
      }
    }
    const n = endpoints.length;
    const head = flat('-A ' + chain);
    for (let i = 0; i < n; i++) {
      const ep = endpoints[i]!;
      const stat = i < n - 1 ? this.statistic(n - i) : '';
      if (this.largeClusterMode) natRules.line(head + stat + ' -j ' + ep.chainName);
      else natRules.line(`${head}${this.comment(`"${name} -> ${ep.endpoint}"`)}${stat} -j ${ep.chainName}`);
    }
  }

  /**
   * describeEndpoints(endpoints), later. Made here, not in writeServicePort: a closure
   * keeps its whole defining scope alive, and that one holds this sync's restore buffers.
   */
  private endpointsDescriber(endpoints: EndpointInfo[]): () => EndpointRuleDescription[] {
    return () => this.describeEndpoints(endpoints);
  }

  /** The Trace's view of a probability ladder: who gets which `--probability`, and the share. */
  private describeEndpoints(endpoints: EndpointInfo[]): EndpointRuleDescription[] {
    const n = endpoints.length;
    return endpoints.map((ep, i) => {
      const probability = i < n - 1 ? this.probability(n - i) : null;
      return {
        endpoint: ep.endpoint,
        ip: ep.ip,
        port: ep.port,
        chain: ep.chainName,
        isLocal: ep.isLocal,
        ready: ep.ready,
        serving: ep.serving,
        terminating: ep.terminating,
        probability,
        share: 1 / n,
      };
    });
  }
}
