/**
 * kube-proxy's IPVS mode for one node (pkg/proxy/ipvs/proxier.go, v1.31+), over the same
 * Service/EndpointSlice change trackers as the iptables proxier.
 *
 * sync() returns the node state upstream's syncProxyRules converges to: the addresses on
 * the kube-ipvs0 dummy interface, the IPVS virtual servers with their real servers, the
 * ipsets with their entries, and the iptables-restore input (`--noflush --counters`, nat
 * then filter, written whole on every sync as upstream does), plus the chains and jump
 * rules to ensure. Everything is data; the node applies it and the data path evaluates it.
 *
 * Where upstream iterates a Go map (random order) we go in service-port name order; when
 * two service ports claim the same virtual server the later one wins, as the later
 * syncService/syncEndpoint call does upstream.
 *
 * Deliberate simplifications:
 * - conntrack cleanup for UDP is reported (conntrackCleanupRequired), not performed;
 * - excludeCIDRs only protect virtual servers we did not create (we never see others);
 * - on restart upstream's graceful-termination manager adopts leftover real servers; a new
 *   proxier here starts from an empty IPVS table (the node flushes or keeps it).
 */
import type { EndpointSlice, Service } from '../../model/types';
import type { LocalTrafficDetector, ProxierOptions } from '../config';
import { NodePortAddresses, noOpLocalDetector } from '../config';
import { localReadyEndpoints, updateEndpointsMap } from '../endpointschangetracker';
import { cidrContains, ipFamilyOf, parseCIDRSloppy } from '../ip';
import { healthCheckNodePorts, sortedServicePortKeys, updateServicePortMap } from '../servicechangetracker';
import { categorizeEndpoints } from '../topology';
import { ChangeTrackingProxier } from '../proxier-base';
import type { EndpointInfo, EndpointsMap, NamespacedName, ServicePortInfo, ServicePortMap, ServicePortSummary } from '../types';
import { externallyAccessible } from '../types';
import {
  IPSET_INFO,
  IPSET_WITH_IPTABLES_CHAIN,
  ipPortEntry,
  ipPortIPEntry,
  ipPortNetEntry,
  ipsetCreateOptions,
  KUBE_CLUSTER_IP,
  KUBE_EXTERNAL_IP,
  KUBE_EXTERNAL_IP_LOCAL,
  KUBE_HEALTH_CHECK_NODE_PORT,
  KUBE_IPVS_IPS,
  KUBE_LOAD_BALANCER,
  KUBE_LOAD_BALANCER_FW,
  KUBE_LOAD_BALANCER_LOCAL,
  KUBE_LOAD_BALANCER_SOURCE_CIDR,
  KUBE_LOAD_BALANCER_SOURCE_IP,
  KUBE_LOOP_BACK,
  KUBE_NODE_PORT_LOCAL_SCTP,
  KUBE_NODE_PORT_LOCAL_TCP,
  KUBE_NODE_PORT_LOCAL_UDP,
  KUBE_NODE_PORT_SCTP,
  KUBE_NODE_PORT_TCP,
  KUBE_NODE_PORT_UDP,
  type IpvsIpSetType,
} from './ipsets';

export const KUBE_SERVICES = 'KUBE-SERVICES';
export const KUBE_PROXY_FIREWALL = 'KUBE-PROXY-FIREWALL';
export const KUBE_SOURCE_RANGES_FIREWALL = 'KUBE-SOURCE-RANGES-FIREWALL';
export const KUBE_POSTROUTING = 'KUBE-POSTROUTING';
export const KUBE_MARK_MASQ = 'KUBE-MARK-MASQ';
export const KUBE_NODE_PORT = 'KUBE-NODE-PORT';
export const KUBE_FORWARD = 'KUBE-FORWARD';
export const KUBE_LOAD_BALANCER_CHAIN = 'KUBE-LOAD-BALANCER';
/** Filters access to host ports through VIPs (kubernetes issue 72236). */
export const KUBE_IPVS_FILTER = 'KUBE-IPVS-FILTER';
/** Blocks node → LB VIP when loadBalancerSourceRanges exclude the node (issue 119656). */
export const KUBE_IPVS_OUT_FILTER = 'KUBE-IPVS-OUT-FILTER';

export const DEFAULT_SCHEDULER = 'rr';
export const DEFAULT_DUMMY_DEVICE = 'kube-ipvs0';
/** rsCheckDeleteInterval: the graceful-termination list is retried once a minute. */
export const RS_CHECK_DELETE_INTERVAL_MS = 60_000;

/** IP_VS_SVC_F_* as pkg/proxy/ipvs/util names them. The kernel adds HASHED itself. */
export const IPVS_FLAG_PERSISTENT = 0x1;
export const IPVS_FLAG_HASHED = 0x2;
/** Set for the "mh" scheduler (IP_VS_SVC_F_SCHED_MH_PORT: hash the source port too). */
export const IPVS_FLAG_SOURCE_HASH = 0x10;

/** Schedulers a stock kernel ships (ip_vs_*.ko); anything else fails CanUseIPVSProxier. */
export const IPVS_SCHEDULERS: readonly string[] = ['rr', 'wrr', 'lc', 'wlc', 'lblc', 'lblcr', 'dh', 'sh', 'sed', 'nq', 'fo', 'ovf', 'mh', 'twos'];

export type Table = 'filter' | 'nat';
export type IpvsProtocol = 'TCP' | 'UDP' | 'SCTP';

export interface IpvsRealServer {
  address: string;
  port: number;
  /** 1 for every endpoint; 0 while a removed TCP endpoint drains (graceful termination). */
  weight: number;
}

export type VirtualServerKind = 'ClusterIP' | 'ExternalIP' | 'LoadBalancer' | 'NodePort';

export interface IpvsVirtualServer {
  protocol: IpvsProtocol;
  address: string;
  port: number;
  scheduler: string;
  /** IPVS_FLAG_* bits kube-proxy asks for (persistent for ClientIP affinity, source-hash for mh). */
  flags: number;
  /** Persistence timeout in seconds (ClientIP affinity), 0 otherwise. */
  timeout: number;
  realServers: IpvsRealServer[];
  /** Which service port created it and why: for the Trace, not part of the kernel state. */
  service: string;
  kind: VirtualServerKind;
}

export interface IpvsIpSet {
  name: string;
  type: IpvsIpSetType;
  comment: string;
  /** `ipset create` options (family/hashsize/maxelem, or range for bitmap:port). */
  options: Record<string, string>;
  /** Members in ipset's entry syntax ("10.96.0.1,tcp:443", "30080"), in insertion order. */
  entries: string[];
}

/** One endpoint as the Trace sees it in IPVS mode. */
export interface IpvsEndpointDescription {
  endpoint: string;
  ip: string;
  port: number;
  isLocal: boolean;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  weight: number;
}

/** The IPVS state of one service port, for the Trace (same base fields as ServicePortRules). */
export interface IpvsServicePortDescription extends ServicePortSummary {
  /** "ip:port/PROTO" of every virtual server this port created (ClusterIP first). */
  virtualServers: string[];
  /** Real servers behind the ClusterIP virtual server, and behind the external ones. */
  clusterEndpoints: IpvsEndpointDescription[];
  externalEndpoints: IpvsEndpointDescription[];
  /**
   * Set when the ClusterIP virtual server has no real servers: IPVS has no destination to
   * schedule, so ip_vs_leave() answers ICMP port unreachable (TCP clients see "Connection
   * refused"), where iptables mode REJECTs in the filter table.
   */
  noEndpoints?: 'icmp-port-unreachable';
}

export interface EnsureJumpRule {
  table: Table;
  chain: string;
  target: string;
  position: 'prepend';
  args: string[];
  rule: string;
}

/**
 * What an incremental sync changed, as upstream's diffing against the kernel would touch it
 * (syncIPSetEntries adds/deletes only the difference; syncService/syncEndpoint only the
 * virtual servers whose real servers changed). Removed entries are listed before added
 * ones; added ones are in the order a whole-state rebuild would have inserted them.
 */
export interface IpvsSyncChanges {
  ipsets: { name: string; added: string[]; removed: string[] }[];
  /** Addresses newly bound to kube-ipvs0 (unbound ones are in unbindAddresses). */
  boundAddresses: string[];
  /** Virtual servers created or rewritten (deleted ones are in deletedVirtualServers). */
  virtualServers: IpvsVirtualServer[];
}

export interface IpvsSyncResult {
  /**
   * Whether every service port was recomputed (the first sync, forceFullSync, node label
   * changes): then `changes` is absent and the node reconciles the whole state.
   */
  full: boolean;
  /** Set on incremental syncs: only what changed since the previous sync. */
  changes?: IpvsSyncChanges;
  /** Addresses kube-ipvs0 must carry (each /32), in the order they were bound. */
  dummyAddresses: string[];
  /** Addresses to unbind from kube-ipvs0 (bound before, no longer needed). */
  unbindAddresses: string[];
  virtualServers: IpvsVirtualServer[];
  /** Virtual servers ("ip:port/PROTO") removed since the last sync (cleanLegacyService). */
  deletedVirtualServers: string[];
  ipsets: IpvsIpSet[];
  /** Input for `iptables-restore --noflush --counters` (nat, then filter). */
  restore: string;
  restoreArgs: ['--noflush', '--counters'];
  /** Chains to create if missing, and jump rules to ensure (every sync, as upstream). */
  ensureChains: { table: Table; chain: string }[];
  ensureRules: EnsureJumpRule[];
  services: IpvsServicePortDescription[];
  updatedServices: NamespacedName[];
  conntrackCleanupRequired: boolean;
  healthCheckNodePorts(): Map<NamespacedName, number>;
  localReadyEndpoints(): Map<NamespacedName, number>;
}

/** iptablesJumpChain (ipvs): the jumps ensured from built-in chains, in order. */
const JUMP_CHAINS: { table: Table; from: string; to: string; comment: string }[] = [
  { table: 'nat', from: 'OUTPUT', to: KUBE_SERVICES, comment: 'kubernetes service portals' },
  { table: 'nat', from: 'PREROUTING', to: KUBE_SERVICES, comment: 'kubernetes service portals' },
  { table: 'nat', from: 'POSTROUTING', to: KUBE_POSTROUTING, comment: 'kubernetes postrouting rules' },
  { table: 'filter', from: 'FORWARD', to: KUBE_FORWARD, comment: 'kubernetes forwarding rules' },
  { table: 'filter', from: 'INPUT', to: KUBE_NODE_PORT, comment: 'kubernetes health check rules' },
  { table: 'filter', from: 'INPUT', to: KUBE_PROXY_FIREWALL, comment: 'kube-proxy firewall rules' },
  { table: 'filter', from: 'FORWARD', to: KUBE_PROXY_FIREWALL, comment: 'kube-proxy firewall rules' },
  { table: 'filter', from: 'INPUT', to: KUBE_IPVS_FILTER, comment: 'kubernetes ipvs access filter' },
  { table: 'filter', from: 'OUTPUT', to: KUBE_IPVS_OUT_FILTER, comment: 'kubernetes ipvs access filter' },
];

/** iptablesChains (ipvs): the chains kube-proxy owns, in the order it writes them. */
export const IPVS_IPTABLES_CHAINS: readonly { table: Table; chain: string }[] = [
  { table: 'nat', chain: KUBE_SERVICES },
  { table: 'nat', chain: KUBE_POSTROUTING },
  { table: 'nat', chain: KUBE_NODE_PORT },
  { table: 'nat', chain: KUBE_LOAD_BALANCER_CHAIN },
  { table: 'nat', chain: KUBE_MARK_MASQ },
  { table: 'filter', chain: KUBE_FORWARD },
  { table: 'filter', chain: KUBE_NODE_PORT },
  { table: 'filter', chain: KUBE_PROXY_FIREWALL },
  { table: 'filter', chain: KUBE_SOURCE_RANGES_FIREWALL },
  { table: 'filter', chain: KUBE_IPVS_FILTER },
  { table: 'filter', chain: KUBE_IPVS_OUT_FILTER },
];

function quoteArg(a: string): string {
  return /[\s"]/.test(a) || a === '' ? `"${a}"` : a;
}

/** The jump rules the IPVS proxier ensures (EnsureRule Prepend), in order. */
export function ipvsJumpRules(): EnsureJumpRule[] {
  return JUMP_CHAINS.map((j) => {
    const args = ['-m', 'comment', '--comment', j.comment, '-j', j.to];
    return { table: j.table, chain: j.from, target: j.to, position: 'prepend', args, rule: `-A ${j.from} ${args.map(quoteArg).join(' ')}` };
  });
}

/**
 * CanUseIPVSProxier, reduced to what we emulate: the scheduler's kernel module must exist
 * (upstream probes by adding a dummy virtual server with it). Returns the error text
 * kube-proxy exits with, or null.
 */
export function canUseIPVSProxier(scheduler: string | undefined): string | null {
  const s = scheduler || DEFAULT_SCHEDULER;
  if (IPVS_SCHEDULERS.includes(s)) return null;
  return `can't use the IPVS proxier: no such file or directory`;
}

/** VirtualServer.String(): "ip:port/PROTO". */
export const virtualServerKey = (address: string, port: number, protocol: string): string => `${address}:${port}/${protocol}`;

/** isValidForSet (netlink_linux.go): loopback addresses never count as node addresses. */
const isLoopback = (ip: string): boolean => ip.startsWith('127.');

/** IsRsGracefulTerminationNeeded: only TCP real servers drain; UDP/SCTP go at once. */
const gracefulTerminationNeeded = (protocol: string): boolean => protocol === 'TCP';

export interface IpvsProxierOptions extends ProxierOptions {
  /**
   * Active + inactive connections of a real server, as the node's IPVS table counts them
   * (ipvsadm -Ln's ActiveConn/InActConn). Graceful termination keeps a removed TCP real
   * server at weight 0 while this is non-zero. Default: no connections.
   */
  realServerConnections?: (virtualServer: string, realServer: string) => number;
}

/** What one service port contributes to a sync (kept until the port changes). */
interface PortOutput {
  svc: ServicePortInfo;
  virtualServers: IpvsVirtualServer[];
  /** Flat (set name, entry) pairs in the order upstream inserts them: [set, entry, set, entry, …]. */
  entries: string[];
  /** Addresses this port binds to kube-ipvs0. */
  bind: string[];
  /** (ip, protocol, port) of LB VIPs the node may not reach (KUBE-IPVS-OUT-FILTER). */
  noNodeAccess: { ip: string; protocol: string; port: number }[];
  internalEndpoints: EndpointInfo[];
  externalEndpoints: EndpointInfo[];
  /** The Trace's description, made when first asked for. */
  desc: IpvsServicePortDescription | undefined;
}

/**
 * Reference counts of one kind of programmed state, with the net change of one sync.
 * Nearly every key is wanted once, so those live in a Set (one hash operation per add);
 * only keys wanted more than once carry a count.
 */
class RefCounts {
  /** Every key wanted at least once. */
  readonly keys = new Set<string>();
  /** Keys wanted n ≥ 2 times → n. */
  private readonly more = new Map<string, number>();
  /** key → whether it was present before this sync's first change to it. */
  private touched: Map<string, boolean> | null = null;

  get size(): number {
    return this.keys.size;
  }
  has(key: string): boolean {
    return this.keys.has(key);
  }
  clear(): void {
    this.keys.clear();
    this.more.clear();
  }
  /** Start recording net changes (incremental syncs); full syncs rebuild without. */
  track(): void {
    this.touched = new Map();
  }
  add(key: string): void {
    const before = this.keys.size;
    this.keys.add(key);
    if (this.keys.size !== before) {
      if (this.touched !== null && !this.touched.has(key)) this.touched.set(key, false);
    } else this.more.set(key, (this.more.get(key) ?? 1) + 1);
  }
  remove(key: string): void {
    const n = this.more.get(key);
    if (n !== undefined) {
      if (n > 2) this.more.set(key, n - 1);
      else this.more.delete(key);
      return;
    }
    if (!this.keys.has(key)) return;
    if (this.touched !== null && !this.touched.has(key)) this.touched.set(key, true);
    this.keys.delete(key);
  }
  /** The net change since track(): keys that appeared (in order) and keys that went. */
  changes(): { added: string[]; removed: string[] } {
    const added: string[] = [];
    const removed: string[] = [];
    if (this.touched !== null) {
      for (const [k, was] of this.touched) {
        const now = this.keys.has(k);
        if (now && !was) added.push(k);
        else if (!now && was) removed.push(k);
      }
    }
    this.touched = null;
    return { added, removed };
  }
}

interface GracefulItem {
  vs: string;
  protocol: IpvsProtocol;
  rs: IpvsRealServer;
  portKey: string;
}

export class IpvsProxier extends ChangeTrackingProxier {
  readonly scheduler: string;

  private readonly opts: IpvsProxierOptions;
  private readonly localDetector: LocalTrafficDetector;
  private readonly nodePortAddresses: NodePortAddresses;
  private sortedKeys: string[] | null = null;
  private outputs = new Map<string, PortOutput>();
  /**
   * What is programmed, counted by the service ports that want it: the entries of each
   * ipset, the addresses on kube-ipvs0, and the ports claiming each virtual server. An
   * incremental sync updates these for the ports it rewrote only and reports the net change.
   */
  private readonly setRefs = new Map<string, RefCounts>();
  private bindRefs = new RefCounts();
  private vsOwners = new Map<string, string | string[]>();
  /** Position of each service port in sortedKeys (the later port wins a shared virtual server). */
  private rank = new Map<string, number>();
  /** The graceful-termination list: "vs/rs" → item. */
  private graceful = new Map<string, GracefulItem>();
  private dirtyPorts = new Set<string>();

  constructor(opts: IpvsProxierOptions) {
    super(opts, false);
    this.opts = opts;
    this.localDetector = opts.localDetector ?? noOpLocalDetector;
    this.nodePortAddresses = new NodePortAddresses(opts.nodePortAddresses, opts.nodeIP);
    // "IPVS scheduler not specified, use rr by default".
    this.scheduler = opts.ipvsScheduler || DEFAULT_SCHEDULER;
    for (const info of IPSET_INFO) if (info.name !== KUBE_IPVS_IPS) this.setRefs.set(info.name, new RefCounts());
  }

  /** Recompute every service port on the next sync (upstream recomputes every time). */
  forceFullSync(): void {
    this.needFullSync = true;
  }
  override hasPendingChanges(): boolean {
    return super.hasPendingChanges() || this.dirtyPorts.size > 0;
  }

  /**
   * tryDeleteRs, run by the node every RS_CHECK_DELETE_INTERVAL_MS: drained real servers
   * (no connections left) leave the graceful-termination list. Returns whether any did;
   * the next sync() then drops them from their virtual servers.
   */
  tryDeleteGracefulRealServers(): boolean {
    let changed = false;
    for (const [key, item] of this.graceful) {
      if (gracefulTerminationNeeded(item.protocol) && this.connections(item.vs, item.rs) !== 0) continue;
      this.graceful.delete(key);
      this.dirtyPorts.add(item.portKey);
      changed = true;
    }
    return changed;
  }

  /** Real servers draining at weight 0, as "ip:port/PROTO/ip:port". */
  gracefulTerminationList(): string[] {
    return [...this.graceful.keys()];
  }

  private connections(vs: string, rs: IpvsRealServer): number {
    return this.opts.realServerConnections?.(vs, `${rs.address}:${rs.port}`) ?? 0;
  }

  // ---- sync ----

  sync(): IpvsSyncResult {
    const serviceUpdate = updateServicePortMap(this.svcPortMap, this.serviceChanges);
    const endpointUpdate = updateEndpointsMap(this.endpointsMap, this.endpointsChanges);
    if (serviceUpdate.updatedServices.size > 0) this.sortedKeys = null;
    const updatedServices = serviceUpdate.updatedServices;
    for (const nsn of endpointUpdate.updatedServices) updatedServices.add(nsn);
    const full = this.needFullSync;

    // Node addresses: everything local except kube-ipvs0, loopback excluded (isValidForSet).
    const allAddresses = this.opts.nodeAddresses ?? [this.opts.nodeIP, '127.0.0.1'];
    const nodeAddressSet = new Set(allAddresses.filter((ip) => ipFamilyOf(ip) === 4 && !isLoopback(ip)));
    let hasNodePort = false;
    for (const svc of this.svcPortMap.values()) if (svc.nodePort !== 0) { hasNodePort = true; break; }
    let nodeIPs: string[] = [];
    if (hasNodePort) {
      nodeIPs = this.nodePortAddresses.matchAll
        ? [...nodeAddressSet]
        : this.nodePortAddresses.nodeIPs(allAddresses.filter((ip) => ipFamilyOf(ip) === 4)).filter((ip) => !isLoopback(ip));
    }
    // A change in node addresses changes every NodePort virtual server.
    const nodeIPsKey = nodeIPs.join(',');
    const nodeIPsChanged = nodeIPsKey !== this.lastNodeIPsKey;
    this.lastNodeIPsKey = nodeIPsKey;

    if (this.sortedKeys === null) {
      this.sortedKeys = sortedServicePortKeys(this.svcPortMap);
      this.rank = new Map();
      for (let i = 0; i < this.sortedKeys.length; i++) this.rank.set(this.sortedKeys[i]!, i);
    }
    const sortedKeys = this.sortedKeys;

    // Recompute the ports that changed; the others keep last sync's output as it is.
    const previous = this.outputs;
    const outputs = new Map<string, PortOutput>();
    // Bring the counts of programmed state up to date: a full sync recounts everything as it
    // goes, an incremental one then takes out what gone and rewritten ports wanted and adds
    // what they want now.
    const previousVS = this.vsOwners;
    /** Virtual servers touched by this sync → whether each was programmed before. */
    const touchedVS = new Map<string, boolean>();
    if (full) {
      for (const r of this.setRefs.values()) r.clear();
      this.bindRefs = new RefCounts();
      this.vsOwners = new Map();
    }
    const rewritten: { key: string; old: PortOutput | undefined; now: PortOutput }[] = [];
    for (const key of sortedKeys) {
      const svc = this.svcPortMap.get(key)!;
      const old = previous.get(key);
      let o = old;
      if (!o || full || updatedServices.has(svc.service) || this.dirtyPorts.has(key) || (nodeIPsChanged && svc.nodePort !== 0)) {
        o = this.writeServicePort(key, svc, nodeIPs, nodeAddressSet, old);
        if (!full) rewritten.push({ key, old, now: o });
      }
      outputs.set(key, o);
      if (full) this.count(key, o, 1, null);
    }
    // Graceful items of service ports that are gone: their virtual servers go too.
    for (const [k, item] of this.graceful) if (!outputs.has(item.portKey)) this.graceful.delete(k);
    this.outputs = outputs;
    this.dirtyPorts.clear();

    if (!full) {
      for (const r of this.setRefs.values()) r.track();
      this.bindRefs.track();
      for (const [key, old] of previous) if (!outputs.has(key)) this.count(key, old, -1, touchedVS);
      for (const r of rewritten) {
        if (r.old) this.count(r.key, r.old, -1, touchedVS);
        this.count(r.key, r.now, 1, touchedVS);
      }
    }

    const nonEmpty = (name: string): boolean => (name === KUBE_IPVS_IPS ? this.bindRefs : this.setRefs.get(name)!).size > 0;
    const noNodeAccess: PortOutput['noNodeAccess'] = [];
    for (const o of outputs.values()) for (const n of o.noNodeAccess) noNodeAccess.push(n);
    const restore = this.writeIptablesRules(nonEmpty, noNodeAccess);

    let deletedVirtualServers: string[];
    let unbindAddresses: string[];
    let changes: IpvsSyncChanges | undefined;
    if (full) {
      deletedVirtualServers = [];
      for (const k of previousVS.keys()) if (!this.vsOwners.has(k)) deletedVirtualServers.push(k);
      unbindAddresses = this.boundBefore.filter((a) => !this.bindRefs.has(a));
    } else {
      const bound = this.bindRefs.changes();
      unbindAddresses = bound.removed;
      deletedVirtualServers = [];
      const virtualServers: IpvsVirtualServer[] = [];
      for (const [k, was] of touchedVS) {
        const winner = this.winner(k);
        if (winner) virtualServers.push(winner);
        else if (was) deletedVirtualServers.push(k);
      }
      const ipsets: IpvsSyncChanges['ipsets'] = [];
      for (const [name, r] of this.setRefs) {
        const c = r.changes();
        if (c.added.length > 0 || c.removed.length > 0) ipsets.push({ name, ...c });
      }
      // KUBE-IPVS-IPS is exactly the set of addresses bound to kube-ipvs0.
      if (bound.added.length > 0 || bound.removed.length > 0) ipsets.push({ name: KUBE_IPVS_IPS, ...bound });
      changes = { ipsets, boundAddresses: bound.added, virtualServers };
    }
    this.boundBefore = [...this.bindRefs.keys];
    this.needFullSync = false;

    // The whole state, as a rebuild in service-port order would list it: made on demand
    // (tests, and the node when it reconciles everything), not on every sync.
    const snapshot = [...outputs.values()];
    let dummy: string[] | undefined;
    let vss: IpvsVirtualServer[] | undefined;
    let sets: IpvsIpSet[] | undefined;
    let services: IpvsServicePortDescription[] | undefined;
    let sortedUpdated: NamespacedName[] | undefined;
    const dummyAddresses = (): string[] => {
      if (!dummy) {
        const all = new Set<string>();
        for (const o of snapshot) for (const a of o.bind) all.add(a);
        dummy = [...all];
      }
      return dummy;
    };
    const self = this;
    const svcPortMap = this.svcPortMap;
    const endpointsMap = this.endpointsMap;
    return {
      full,
      ...(changes ? { changes } : {}),
      get dummyAddresses() {
        return dummyAddresses();
      },
      unbindAddresses,
      get virtualServers() {
        if (!vss) {
          const byKey = new Map<string, IpvsVirtualServer>();
          for (const o of snapshot) for (const vs of o.virtualServers) byKey.set(virtualServerKey(vs.address, vs.port, vs.protocol), vs);
          vss = [...byKey.values()];
        }
        return vss;
      },
      deletedVirtualServers,
      get ipsets() {
        if (!sets) {
          const entries = new Map<string, Set<string>>();
          for (const info of IPSET_INFO) entries.set(info.name, new Set());
          for (const o of snapshot) for (let i = 0; i < o.entries.length; i += 2) entries.get(o.entries[i]!)!.add(o.entries[i + 1]!);
          entries.set(KUBE_IPVS_IPS, new Set(dummyAddresses()));
          sets = IPSET_INFO.map((info) => ({
            name: info.name,
            type: info.type,
            comment: info.comment,
            options: ipsetCreateOptions(info.type),
            entries: [...entries.get(info.name)!],
          }));
        }
        return sets;
      },
      restore,
      restoreArgs: ['--noflush', '--counters'],
      ensureChains: [...IPVS_IPTABLES_CHAINS],
      ensureRules: ipvsJumpRules(),
      get services() {
        services ??= snapshot.map((o) => self.describePort(o));
        return services;
      },
      get updatedServices() {
        return (sortedUpdated ??= [...updatedServices].sort());
      },
      conntrackCleanupRequired: endpointUpdate.conntrackCleanupRequired || serviceUpdate.deletedUDPClusterIPs.size > 0,
      healthCheckNodePorts: () => healthCheckNodePorts(svcPortMap),
      localReadyEndpoints: () => localReadyEndpoints(endpointsMap),
    };
  }

  /** Addresses on kube-ipvs0 after the last sync (what a full sync unbinds from). */
  private boundBefore: string[] = [];

  /** Count one port's wants in (+1) or out (-1), noting the virtual servers it touched. */
  private count(key: string, o: PortOutput, sign: 1 | -1, touchedVS: Map<string, boolean> | null): void {
    const e = o.entries;
    for (let i = 0; i < e.length; i += 2) {
      const r = this.setRefs.get(e[i]!)!;
      if (sign > 0) r.add(e[i + 1]!);
      else r.remove(e[i + 1]!);
    }
    for (const a of o.bind) {
      if (sign > 0) this.bindRefs.add(a);
      else this.bindRefs.remove(a);
    }
    for (const vs of o.virtualServers) {
      const k = virtualServerKey(vs.address, vs.port, vs.protocol);
      const owners = this.vsOwners.get(k);
      if (touchedVS !== null && !touchedVS.has(k)) touchedVS.set(k, owners !== undefined);
      // One owner is kept as a plain string (the usual case), several as a list.
      if (sign > 0) {
        if (owners === undefined) this.vsOwners.set(k, key);
        else if (typeof owners === 'string') {
          if (owners !== key) this.vsOwners.set(k, [owners, key]);
        } else if (!owners.includes(key)) owners.push(key);
      } else if (owners !== undefined) {
        const rest = typeof owners === 'string' ? [] : owners.filter((x) => x !== key);
        if (rest.length === 0) {
          if (owners === key || typeof owners !== 'string') this.vsOwners.delete(k);
        } else this.vsOwners.set(k, rest.length === 1 ? rest[0]! : rest);
      }
    }
  }

  /** The virtual server now programmed under `k`: the one of the last port (in order) claiming it. */
  private winner(k: string): IpvsVirtualServer | undefined {
    const owners = this.vsOwners.get(k);
    if (owners === undefined) return undefined;
    let best: string;
    if (typeof owners === 'string') best = owners;
    else {
      best = owners[0]!;
      for (const o of owners) if (this.rank.get(o)! > this.rank.get(best)!) best = o;
    }
    // Within one port too the later claim wins (an external IP that is also its LB VIP).
    const list = this.outputs.get(best)!.virtualServers;
    for (let i = list.length - 1; i >= 0; i--) if (virtualServerKey(list[i]!.address, list[i]!.port, list[i]!.protocol) === k) return list[i];
    return undefined;
  }

  private lastNodeIPsKey = '';

  private newVirtualServer(svc: ServicePortInfo, address: string, port: number, kind: VirtualServerKind): IpvsVirtualServer {
    let flags = 0;
    let timeout = 0;
    if (svc.sessionAffinity === 'ClientIP') {
      flags |= IPVS_FLAG_PERSISTENT;
      timeout = svc.stickyMaxAgeSeconds;
    }
    if (this.scheduler === 'mh') flags |= IPVS_FLAG_SOURCE_HASH;
    return { protocol: svc.protocol as IpvsProtocol, address, port, scheduler: this.scheduler, flags, timeout, realServers: [], service: svc.nameString, kind };
  }

  /**
   * syncEndpoint: the real servers of one virtual server. New endpoints get weight 1;
   * endpoints that left stay at weight 0 while they drain (TCP with connections), as
   * GracefulTerminationManager does; one that comes back leaves the list at weight 1.
   */
  private realServersFor(portKey: string, vs: IpvsVirtualServer, endpoints: EndpointInfo[], previous: IpvsVirtualServer | undefined): void {
    const out: IpvsRealServer[] = new Array(endpoints.length);
    for (let i = 0; i < endpoints.length; i++) out[i] = { address: endpoints[i]!.ip, port: endpoints[i]!.port, weight: 1 };
    vs.realServers = out;
    // Nothing was programmed before and nothing drains: the common case of a big sync.
    if (!previous && this.graceful.size === 0) return;
    const vsKey = virtualServerKey(vs.address, vs.port, vs.protocol);
    const want = new Set<string>();
    for (const ep of endpoints) {
      want.add(ep.endpoint);
      if (this.graceful.size > 0) this.graceful.delete(`${vsKey}/${ep.endpoint}`);
    }
    if (previous) {
      for (const rs of previous.realServers) {
        const ep = `${rs.address}:${rs.port}`;
        if (want.has(ep)) continue;
        const gKey = `${vsKey}/${ep}`;
        if (this.graceful.has(gKey) || (gracefulTerminationNeeded(vs.protocol) && this.connections(vsKey, rs) !== 0)) {
          this.graceful.set(gKey, { vs: vsKey, protocol: vs.protocol, rs: { ...rs, weight: 0 }, portKey });
          out.push({ address: rs.address, port: rs.port, weight: 0 });
        }
      }
    }
  }

  /** Everything one service port contributes (the body of upstream's per-service loop). */
  private writeServicePort(portKey: string, svc: ServicePortInfo, nodeIPs: string[], nodeAddressSet: Set<string>, prev: PortOutput | undefined): PortOutput {
    const protocol = svc.protocol.toLowerCase();
    const entries: string[] = [];
    const bind: string[] = [];
    const noNodeAccess: PortOutput['noNodeAccess'] = [];
    const virtualServers: IpvsVirtualServer[] = [];
    let prevVS: Map<string, IpvsVirtualServer> | undefined;
    if (prev) {
      prevVS = new Map();
      for (const vs of prev.virtualServers) prevVS.set(virtualServerKey(vs.address, vs.port, vs.protocol), vs);
    }

    // portKey is servicePortKey(svc.spn), the key of both maps.
    const allEndpoints = this.endpointsMap.get(portKey) ?? [];
    const cat = categorizeEndpoints(allEndpoints, svc, this.nodeName, this.nodeLabels);
    // syncEndpoint(onlyNodeLocalEndpoints): local endpoints if any, else the cluster ones
    // (kubernetes PR 97081: pods on this node can still reach a Local service).
    const pick = (onlyLocal: boolean): EndpointInfo[] =>
      onlyLocal ? (cat.localEndpoints.length > 0 ? cat.localEndpoints : cat.clusterEndpoints) : cat.clusterEndpoints;
    const internalEndpoints = pick(svc.internalPolicyLocal);
    const externalEndpoints = pick(svc.externalPolicyLocal);

    const add = (address: string, port: number, kind: VirtualServerKind, eps: EndpointInfo[]): IpvsVirtualServer => {
      const vs = this.newVirtualServer(svc, address, port, kind);
      this.realServersFor(portKey, vs, eps, prevVS?.get(virtualServerKey(address, port, vs.protocol)));
      virtualServers.push(vs);
      return vs;
    };

    // Hairpin: local endpoints reaching themselves through the service are masqueraded.
    for (const ep of allEndpoints) {
      if (ep.isLocal) entries.push(KUBE_LOOP_BACK, ipPortIPEntry(ep.ip, protocol, ep.port, ep.ip));
    }

    // Capture the clusterIP (always bound to kube-ipvs0).
    entries.push(KUBE_CLUSTER_IP, ipPortEntry(svc.clusterIP, protocol, svc.port));
    add(svc.clusterIP, svc.port, 'ClusterIP', internalEndpoints);
    bind.push(svc.clusterIP);

    // Capture externalIPs (not bound if the address already lives on a node interface).
    for (const ip of svc.externalIPs) {
      entries.push(svc.externalPolicyLocal ? KUBE_EXTERNAL_IP_LOCAL : KUBE_EXTERNAL_IP, ipPortEntry(ip, protocol, svc.port));
      add(ip, svc.port, 'ExternalIP', externalEndpoints);
      if (!nodeAddressSet.has(ip)) bind.push(ip);
    }

    // Capture load-balancer ingress.
    for (const ip of svc.loadBalancerVIPs) {
      const entry = ipPortEntry(ip, protocol, svc.port);
      entries.push(KUBE_LOAD_BALANCER, entry);
      if (svc.externalPolicyLocal) entries.push(KUBE_LOAD_BALANCER_LOCAL, entry);
      if (svc.loadBalancerSourceRanges.length > 0) {
        // Source ranges apply to LB VIP traffic only; NodePorts stay open (as upstream).
        entries.push(KUBE_LOAD_BALANCER_FW, entry);
        let allowFromNode = false;
        for (const cidr of svc.loadBalancerSourceRanges) {
          entries.push(KUBE_LOAD_BALANCER_SOURCE_CIDR, ipPortNetEntry(ip, protocol, svc.port, cidr));
          if (cidrContains(parseCIDRSloppy(cidr)!, this.opts.nodeIP)) allowFromNode = true;
        }
        // A node reaching its own LB VIP has the VIP as source (it is on kube-ipvs0).
        if (allowFromNode) entries.push(KUBE_LOAD_BALANCER_SOURCE_IP, ipPortIPEntry(ip, protocol, svc.port, ip));
        else noNodeAccess.push({ ip, protocol, port: svc.port });
      }
      add(ip, svc.port, 'LoadBalancer', externalEndpoints);
      if (!nodeAddressSet.has(ip)) bind.push(ip);
    }

    // NodePorts: one virtual server per node IP; SNAT unless Local.
    if (svc.nodePort !== 0 && nodeIPs.length > 0) {
      let setName: string;
      let localSetName: string;
      let npEntries: string[];
      if (protocol === 'sctp') {
        setName = KUBE_NODE_PORT_SCTP;
        localSetName = KUBE_NODE_PORT_LOCAL_SCTP;
        npEntries = nodeIPs.map((ip) => ipPortEntry(ip, protocol, svc.nodePort));
      } else {
        setName = protocol === 'udp' ? KUBE_NODE_PORT_UDP : KUBE_NODE_PORT_TCP;
        localSetName = protocol === 'udp' ? KUBE_NODE_PORT_LOCAL_UDP : KUBE_NODE_PORT_LOCAL_TCP;
        npEntries = [String(svc.nodePort)];
      }
      for (const e of npEntries) entries.push(setName, e);
      if (svc.externalPolicyLocal) for (const e of npEntries) entries.push(localSetName, e);
      for (const ip of nodeIPs) add(ip, svc.nodePort, 'NodePort', externalEndpoints);
    }

    // Upstream `continue`s out of the service's loop body when a NodePort service finds no
    // node IPs, so its health check node port is then not added either.
    const skippedRest = svc.nodePort !== 0 && nodeIPs.length === 0;
    if (svc.healthCheckNodePort !== 0 && !skippedRest) entries.push(KUBE_HEALTH_CHECK_NODE_PORT, String(svc.healthCheckNodePort));

    return { svc, virtualServers, entries, bind, noNodeAccess, internalEndpoints, externalEndpoints, desc: undefined };
  }

  /** The Trace's view of one service port (made when the sync result's services are read). */
  private describePort(o: PortOutput): IpvsServicePortDescription {
    if (o.desc) return o.desc;
    const svc = o.svc;
    // Every endpoint is a real server at weight 1 (weight 0 is only for drained ones, which
    // are no longer endpoints).
    const describe = (eps: EndpointInfo[]): IpvsEndpointDescription[] =>
      eps.map((ep) => ({
        endpoint: ep.endpoint, ip: ep.ip, port: ep.port, isLocal: ep.isLocal, ready: ep.ready, serving: ep.serving, terminating: ep.terminating, weight: 1,
      }));
    o.desc = {
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
      virtualServers: o.virtualServers.map((vs) => virtualServerKey(vs.address, vs.port, vs.protocol)),
      clusterEndpoints: describe(o.internalEndpoints),
      externalEndpoints: externallyAccessible(svc) ? describe(o.externalEndpoints) : [],
      ...(o.internalEndpoints.length === 0 ? { noEndpoints: 'icmp-port-unreachable' as const } : {}),
    };
    return o.desc;
  }

  /** writeIptablesRules + createAndLinkKubeChain: the whole restore input. */
  private writeIptablesRules(nonEmpty: (set: string) => boolean, noNodeAccess: PortOutput['noNodeAccess']): string {
    const nat: string[] = [];
    const filter: string[] = [];
    const comment = (name: string): string => `"${IPSET_INFO.find((i) => i.name === name)!.comment}"`;
    const mark = this.masqueradeMark;

    // Dismiss connections to localhost early in the service chain.
    nat.push(`-A ${KUBE_SERVICES} -s 127.0.0.0/8 -j RETURN`);
    for (const s of IPSET_WITH_IPTABLES_CHAIN) {
      if (!nonEmpty(s.name)) continue;
      const rule = `-A ${s.from}${s.protocol ? ` -p ${s.protocol}` : ''} -m comment --comment ${comment(s.name)} -m set --match-set ${s.name} ${s.match} -j ${s.to}`;
      (s.table === 'filter' ? filter : nat).push(rule);
    }
    if (nonEmpty(KUBE_CLUSTER_IP)) {
      const head = `-A ${KUBE_SERVICES} -m comment --comment ${comment(KUBE_CLUSTER_IP)} -m set --match-set ${KUBE_CLUSTER_IP}`;
      if (this.opts.masqueradeAll) nat.push(`${head} dst,dst -j ${KUBE_MARK_MASQ}`);
      // Masquerade off-cluster traffic to a service VIP (static routes to the service range).
      else if (this.localDetector.implemented) nat.push(`${head} dst,dst ${this.localDetector.ifNotLocal.join(' ')} -j ${KUBE_MARK_MASQ}`);
      // No way to tell pods apart: masquerade node-originated traffic whose source is a VIP
      // (kube-ipvs0 makes the kernel pick a VIP as source when the node connects to one).
      else nat.push(`${head} src,dst -j ${KUBE_MARK_MASQ}`);
    }
    // External IPs: SNAT, then accept traffic from off the machine or to local addresses.
    const externalIPRules = (head: string): void => {
      nat.push(`${head} -m physdev ! --physdev-is-in -m addrtype ! --src-type LOCAL -j ACCEPT`);
      nat.push(`${head} -m addrtype --dst-type LOCAL -j ACCEPT`);
    };
    if (nonEmpty(KUBE_EXTERNAL_IP)) {
      const head = `-A ${KUBE_SERVICES} -m comment --comment ${comment(KUBE_EXTERNAL_IP)} -m set --match-set ${KUBE_EXTERNAL_IP} dst,dst`;
      nat.push(`${head} -j ${KUBE_MARK_MASQ}`);
      externalIPRules(head);
    }
    if (nonEmpty(KUBE_EXTERNAL_IP_LOCAL)) {
      externalIPRules(`-A ${KUBE_SERVICES} -m comment --comment ${comment(KUBE_EXTERNAL_IP_LOCAL)} -m set --match-set ${KUBE_EXTERNAL_IP_LOCAL} dst,dst`);
    }
    nat.push(`-A ${KUBE_SERVICES} -m addrtype --dst-type LOCAL -j ${KUBE_NODE_PORT}`);
    nat.push(`-A ${KUBE_LOAD_BALANCER_CHAIN} -j ${KUBE_MARK_MASQ}`);
    filter.push(`-A ${KUBE_SOURCE_RANGES_FIREWALL} -j DROP`);
    // The node may not reach an LB VIP whose source ranges exclude it (src and dst are the VIP).
    for (const e of noNodeAccess) {
      filter.push(`-A ${KUBE_IPVS_OUT_FILTER} -s ${e.ip} -m ipvs --vaddr ${e.ip} --vproto ${e.protocol} --vport ${e.port} -j DROP`);
    }
    // acceptIPVSTraffic: accept what IPVS will take, in case later rules would drop it.
    for (const s of [KUBE_CLUSTER_IP, KUBE_LOAD_BALANCER]) {
      if (nonEmpty(s)) nat.push(`-A ${KUBE_SERVICES} -m set --match-set ${s} dst,dst -j ACCEPT`);
    }
    filter.push(
      `-A ${KUBE_FORWARD} -m comment --comment "kubernetes forwarding rules" -m mark --mark ${mark}/${mark} -j ACCEPT`,
      `-A ${KUBE_FORWARD} -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
      `-A ${KUBE_NODE_PORT} -m comment --comment ${comment(KUBE_HEALTH_CHECK_NODE_PORT)} -m set --match-set ${KUBE_HEALTH_CHECK_NODE_PORT} dst -j ACCEPT`,
      // Block host ports reached through a VIP (issue 72236): only the service ports pass.
      `-A ${KUBE_IPVS_FILTER} -m set --match-set ${KUBE_LOAD_BALANCER} dst,dst -j RETURN`,
      `-A ${KUBE_IPVS_FILTER} -m set --match-set ${KUBE_CLUSTER_IP} dst,dst -j RETURN`,
      `-A ${KUBE_IPVS_FILTER} -m set --match-set ${KUBE_EXTERNAL_IP} dst,dst -j RETURN`,
      `-A ${KUBE_IPVS_FILTER} -m set --match-set ${KUBE_EXTERNAL_IP_LOCAL} dst,dst -j RETURN`,
      `-A ${KUBE_IPVS_FILTER} -m set --match-set ${KUBE_HEALTH_CHECK_NODE_PORT} dst -j RETURN`,
      `-A ${KUBE_IPVS_FILTER} -m conntrack --ctstate NEW -m set --match-set ${KUBE_IPVS_IPS} dst -j REJECT`,
    );
    nat.push(
      `-A ${KUBE_POSTROUTING} -m mark ! --mark ${mark}/${mark} -j RETURN`,
      // Clear the mark so a packet that re-traverses the stack is not masqueraded twice.
      `-A ${KUBE_POSTROUTING} -j MARK --xor-mark ${mark}`,
      `-A ${KUBE_POSTROUTING} -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE${this.opts.hasRandomFully ?? true ? ' --random-fully' : ''}`,
      `-A ${KUBE_MARK_MASQ} -j MARK --or-mark ${mark}`,
    );

    let out = '*nat\n';
    for (const c of IPVS_IPTABLES_CHAINS) if (c.table === 'nat') out += `:${c.chain} - [0:0]\n`;
    out += nat.join('\n') + '\nCOMMIT\n*filter\n';
    for (const c of IPVS_IPTABLES_CHAINS) if (c.table === 'filter') out += `:${c.chain} - [0:0]\n`;
    out += filter.join('\n') + '\nCOMMIT\n';
    return out;
  }
}
