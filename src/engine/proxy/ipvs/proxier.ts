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
import { healthCheckNodePorts, updateServicePortMap } from '../servicechangetracker';
import { categorizeEndpoints } from '../topology';
import { ChangeTrackingProxier } from '../proxier-base';
import type { EndpointInfo, EndpointsMap, NamespacedName, ServicePortInfo, ServicePortMap, ServicePortSummary } from '../types';
import { externallyAccessible, servicePortKey } from '../types';
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

export interface IpvsSyncResult {
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
  virtualServers: IpvsVirtualServer[];
  /** [set name, entry] pairs, in the order upstream inserts them. */
  entries: [string, string][];
  /** Addresses this port binds to kube-ipvs0. */
  bind: string[];
  /** (ip, protocol, port) of LB VIPs the node may not reach (KUBE-IPVS-OUT-FILTER). */
  noNodeAccess: { ip: string; protocol: string; port: number }[];
  desc: IpvsServicePortDescription;
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
  /** Addresses currently on kube-ipvs0 and virtual servers in the kernel, as last synced. */
  private boundAddrs = new Set<string>();
  private activeVS = new Set<string>();
  /** The graceful-termination list: "vs/rs" → item. */
  private graceful = new Map<string, GracefulItem>();
  private dirtyPorts = new Set<string>();

  constructor(opts: IpvsProxierOptions) {
    super(opts);
    this.opts = opts;
    this.localDetector = opts.localDetector ?? noOpLocalDetector;
    this.nodePortAddresses = new NodePortAddresses(opts.nodePortAddresses, opts.nodeIP);
    // "IPVS scheduler not specified, use rr by default".
    this.scheduler = opts.ipvsScheduler || DEFAULT_SCHEDULER;
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
    const updatedServices = new Set<NamespacedName>([...serviceUpdate.updatedServices, ...endpointUpdate.updatedServices]);
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
      this.sortedKeys = [...this.svcPortMap.keys()].sort((x, y) => {
        const a = this.svcPortMap.get(x)!;
        const c = this.svcPortMap.get(y)!;
        return a.nameString < c.nameString ? -1 : a.nameString > c.nameString ? 1 : a.protocol < c.protocol ? -1 : a.protocol > c.protocol ? 1 : 0;
      });
    }

    const sets = new Map<string, Set<string>>();
    for (const info of IPSET_INFO) sets.set(info.name, new Set());
    const vsByKey = new Map<string, IpvsVirtualServer>();
    const activeBindAddrs = new Set<string>();
    const noNodeAccess: PortOutput['noNodeAccess'] = [];
    const services: IpvsServicePortDescription[] = [];
    const outputs = new Map<string, PortOutput>();

    for (const key of this.sortedKeys) {
      const svc = this.svcPortMap.get(key)!;
      let o = this.outputs.get(key);
      if (!o || full || updatedServices.has(svc.service) || this.dirtyPorts.has(key) || (nodeIPsChanged && svc.nodePort !== 0)) {
        o = this.writeServicePort(key, svc, nodeIPs, nodeAddressSet, o);
      }
      outputs.set(key, o);
      for (const [set, entry] of o.entries) sets.get(set)!.add(entry);
      for (const vs of o.virtualServers) vsByKey.set(virtualServerKey(vs.address, vs.port, vs.protocol), vs);
      for (const a of o.bind) activeBindAddrs.add(a);
      for (const n of o.noNodeAccess) noNodeAccess.push(n);
      services.push(o.desc);
    }
    // Graceful items of service ports that are gone: their virtual servers go too.
    for (const [k, item] of this.graceful) if (!outputs.has(item.portKey)) this.graceful.delete(k);
    this.outputs = outputs;
    this.dirtyPorts.clear();

    // KUBE-IPVS-IPS is exactly the set of addresses bound to kube-ipvs0.
    sets.set(KUBE_IPVS_IPS, activeBindAddrs);

    const ipsets: IpvsIpSet[] = IPSET_INFO.map((info) => ({
      name: info.name,
      type: info.type,
      comment: info.comment,
      options: ipsetCreateOptions(info.type),
      entries: [...sets.get(info.name)!],
    }));
    const restore = this.writeIptablesRules(sets, noNodeAccess);

    const virtualServers = [...vsByKey.values()];
    const deletedVirtualServers = [...this.activeVS].filter((k) => !vsByKey.has(k));
    this.activeVS = new Set(vsByKey.keys());
    const unbindAddresses = [...this.boundAddrs].filter((a) => !activeBindAddrs.has(a));
    this.boundAddrs = new Set(activeBindAddrs);
    this.needFullSync = false;

    return {
      dummyAddresses: [...activeBindAddrs],
      unbindAddresses,
      virtualServers,
      deletedVirtualServers,
      ipsets,
      restore,
      restoreArgs: ['--noflush', '--counters'],
      ensureChains: [...IPVS_IPTABLES_CHAINS],
      ensureRules: ipvsJumpRules(),
      services,
      updatedServices: [...updatedServices].sort(),
      conntrackCleanupRequired: endpointUpdate.conntrackCleanupRequired || serviceUpdate.deletedUDPClusterIPs.size > 0,
      healthCheckNodePorts: () => healthCheckNodePorts(this.svcPortMap),
      localReadyEndpoints: () => localReadyEndpoints(this.endpointsMap),
    };
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
    const vsKey = virtualServerKey(vs.address, vs.port, vs.protocol);
    const out: IpvsRealServer[] = [];
    const want = new Set<string>();
    for (const ep of endpoints) {
      want.add(ep.endpoint);
      out.push({ address: ep.ip, port: ep.port, weight: 1 });
      this.graceful.delete(`${vsKey}/${ep.endpoint}`);
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
    vs.realServers = out;
  }

  /** Everything one service port contributes (the body of upstream's per-service loop). */
  private writeServicePort(portKey: string, svc: ServicePortInfo, nodeIPs: string[], nodeAddressSet: Set<string>, prev: PortOutput | undefined): PortOutput {
    const protocol = svc.protocol.toLowerCase();
    const entries: [string, string][] = [];
    const bind: string[] = [];
    const noNodeAccess: PortOutput['noNodeAccess'] = [];
    const virtualServers: IpvsVirtualServer[] = [];
    const prevVS = new Map<string, IpvsVirtualServer>();
    if (prev) for (const vs of prev.virtualServers) prevVS.set(virtualServerKey(vs.address, vs.port, vs.protocol), vs);

    const allEndpoints = this.endpointsMap.get(servicePortKey(svc.spn)) ?? [];
    const cat = categorizeEndpoints(allEndpoints, svc, this.nodeName, this.nodeLabels);
    // syncEndpoint(onlyNodeLocalEndpoints): local endpoints if any, else the cluster ones
    // (kubernetes PR 97081: pods on this node can still reach a Local service).
    const pick = (onlyLocal: boolean): EndpointInfo[] =>
      onlyLocal ? (cat.localEndpoints.length > 0 ? cat.localEndpoints : cat.clusterEndpoints) : cat.clusterEndpoints;
    const internalEndpoints = pick(svc.internalPolicyLocal);
    const externalEndpoints = pick(svc.externalPolicyLocal);

    const add = (address: string, port: number, kind: VirtualServerKind, eps: EndpointInfo[]): IpvsVirtualServer => {
      const vs = this.newVirtualServer(svc, address, port, kind);
      this.realServersFor(portKey, vs, eps, prevVS.get(virtualServerKey(address, port, vs.protocol)));
      virtualServers.push(vs);
      return vs;
    };

    // Hairpin: local endpoints reaching themselves through the service are masqueraded.
    for (const ep of allEndpoints) {
      if (ep.isLocal) entries.push([KUBE_LOOP_BACK, ipPortIPEntry(ep.ip, protocol, ep.port, ep.ip)]);
    }

    // Capture the clusterIP (always bound to kube-ipvs0).
    entries.push([KUBE_CLUSTER_IP, ipPortEntry(svc.clusterIP, protocol, svc.port)]);
    add(svc.clusterIP, svc.port, 'ClusterIP', internalEndpoints);
    bind.push(svc.clusterIP);

    // Capture externalIPs (not bound if the address already lives on a node interface).
    for (const ip of svc.externalIPs) {
      entries.push([svc.externalPolicyLocal ? KUBE_EXTERNAL_IP_LOCAL : KUBE_EXTERNAL_IP, ipPortEntry(ip, protocol, svc.port)]);
      add(ip, svc.port, 'ExternalIP', externalEndpoints);
      if (!nodeAddressSet.has(ip)) bind.push(ip);
    }

    // Capture load-balancer ingress.
    for (const ip of svc.loadBalancerVIPs) {
      const entry = ipPortEntry(ip, protocol, svc.port);
      entries.push([KUBE_LOAD_BALANCER, entry]);
      if (svc.externalPolicyLocal) entries.push([KUBE_LOAD_BALANCER_LOCAL, entry]);
      if (svc.loadBalancerSourceRanges.length > 0) {
        // Source ranges apply to LB VIP traffic only; NodePorts stay open (as upstream).
        entries.push([KUBE_LOAD_BALANCER_FW, entry]);
        let allowFromNode = false;
        for (const cidr of svc.loadBalancerSourceRanges) {
          entries.push([KUBE_LOAD_BALANCER_SOURCE_CIDR, ipPortNetEntry(ip, protocol, svc.port, cidr)]);
          if (cidrContains(parseCIDRSloppy(cidr)!, this.opts.nodeIP)) allowFromNode = true;
        }
        // A node reaching its own LB VIP has the VIP as source (it is on kube-ipvs0).
        if (allowFromNode) entries.push([KUBE_LOAD_BALANCER_SOURCE_IP, ipPortIPEntry(ip, protocol, svc.port, ip)]);
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
      for (const e of npEntries) entries.push([setName, e]);
      if (svc.externalPolicyLocal) for (const e of npEntries) entries.push([localSetName, e]);
      for (const ip of nodeIPs) add(ip, svc.nodePort, 'NodePort', externalEndpoints);
    }

    // Upstream `continue`s out of the service's loop body when a NodePort service finds no
    // node IPs, so its health check node port is then not added either.
    const skippedRest = svc.nodePort !== 0 && nodeIPs.length === 0;
    if (svc.healthCheckNodePort !== 0 && !skippedRest) entries.push([KUBE_HEALTH_CHECK_NODE_PORT, String(svc.healthCheckNodePort)]);

    const describe = (eps: EndpointInfo[], weights: IpvsRealServer[] | undefined): IpvsEndpointDescription[] =>
      eps.map((ep) => ({
        endpoint: ep.endpoint, ip: ep.ip, port: ep.port, isLocal: ep.isLocal, ready: ep.ready, serving: ep.serving, terminating: ep.terminating,
        weight: weights?.find((r) => r.address === ep.ip && r.port === ep.port)?.weight ?? 1,
      }));
    const desc: IpvsServicePortDescription = {
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
      virtualServers: virtualServers.map((vs) => virtualServerKey(vs.address, vs.port, vs.protocol)),
      clusterEndpoints: describe(internalEndpoints, virtualServers[0]?.realServers),
      externalEndpoints: externallyAccessible(svc) ? describe(externalEndpoints, undefined) : [],
      ...(internalEndpoints.length === 0 ? { noEndpoints: 'icmp-port-unreachable' as const } : {}),
    };
    return { virtualServers, entries, bind, noNodeAccess, desc };
  }

  /** writeIptablesRules + createAndLinkKubeChain: the whole restore input. */
  private writeIptablesRules(sets: Map<string, Set<string>>, noNodeAccess: PortOutput['noNodeAccess']): string {
    const nat: string[] = [];
    const filter: string[] = [];
    const comment = (name: string): string => `"${IPSET_INFO.find((i) => i.name === name)!.comment}"`;
    const nonEmpty = (name: string): boolean => sets.get(name)!.size > 0;
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
