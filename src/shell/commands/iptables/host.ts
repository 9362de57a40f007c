/**
 * The node a command runs on, for the node tools (iptables*, ipvsadm, ipset, conntrack, ip):
 * its NodeHost from the engine (`cluster.node(name)`) and small views over it that the
 * commands format. Commands reach the engine only through its facade.
 */
import type { NodeHost } from '../../../engine';
import type { CommandContext, CommandResult } from '../../types';
import type { IpvsConnView, IpvsProto, IpvsStatsView, RealServerView, Resolver, VirtualServiceView } from '../ipvsadm/format';

export type IpvsErrno = 'EEXIST' | 'ESRCH' | 'ENOENT' | 'EINVAL' | 'EPERM';

/** What ipvsadm needs from a node's IPVS table. Mutations return an errno or undefined. */
export interface IpvsTableView {
  services(): VirtualServiceView[];
  connections(): IpvsConnView[];
  timeouts(): { tcp: number; tcpfin: number; udp: number };
  setTimeouts(t: { tcp: number; tcpfin: number; udp: number }): void;
  flush(): void;
  zero(key?: SvcKey): IpvsErrno | undefined;
  addService(s: SvcKey & SvcOptions): IpvsErrno | undefined;
  editService(s: SvcKey & SvcOptions): IpvsErrno | undefined;
  deleteService(key: SvcKey): IpvsErrno | undefined;
  addServer(key: SvcKey, d: DestSpec): IpvsErrno | undefined;
  editServer(key: SvcKey, d: DestSpec): IpvsErrno | undefined;
  deleteServer(key: SvcKey, d: DestSpec): IpvsErrno | undefined;
}

export interface SvcKey {
  protocol: IpvsProto;
  address: string;
  port: number;
}

export interface SvcOptions {
  scheduler: string;
  flags: number;
  timeout: number;
  netmask: string;
}

export interface DestSpec {
  address: string;
  port: number;
  weight: number;
  forward: 'Masq' | 'Tunnel' | 'Route';
  uThreshold: number;
  lThreshold: number;
}

const notOnNode = (cmd: string): CommandResult => ({ stdout: '', stderr: `bash: ${cmd}: command not found\n`, exitCode: 127 });

/** The node this shell is on (the registry offers these commands only there). */
export function requireNode(ctx: CommandContext, cmd: string): { name: string } | CommandResult {
  return ctx.place.kind === 'node' ? { name: ctx.place.node } : notOnNode(cmd);
}

// ---------------------------------------------------------------------------------------------
// The engine's NodeHost, structurally (what these commands use of it).

interface StatsLike { conns: number; inpkts: number; outpkts: number; inbytes: number; outbytes: number }
interface RatesLike { cps: number; inpps: number; outpps: number; inbps: number; outbps: number }
interface DestLike {
  address: string; port: number; weight: number; forward: 'Masq' | 'Local' | 'Route' | 'Tunnel';
  uThreshold: number; lThreshold: number; activeConns: number; inactConns: number; persistConns: number; stats: StatsLike;
}
interface ServiceLike {
  protocol: IpvsProto; address: string; port: number; scheduler: string; flags: number; timeout: number; netmask: string;
  dests: DestLike[]; stats: StatsLike;
}
interface ConnLike {
  protocol: IpvsProto; client: { ip: string; port: number }; virtual: { ip: string; port: number }; dest: { ip: string; port: number };
  state: string; expires: number;
}
export interface IpvsTableLike {
  readonly services: Map<string, ServiceLike>;
  readonly timeouts: { tcp: number; tcpfin: number; udp: number };
  getService(protocol: IpvsProto, address: string, port: number): ServiceLike | undefined;
  addService(s: { protocol: IpvsProto; address: string; port: number; scheduler?: string; flags?: number; timeout?: number; netmask?: string }): boolean;
  editService(svc: ServiceLike, s: { scheduler?: string; flags?: number; timeout?: number; netmask?: string }): void;
  deleteService(svc: ServiceLike): void;
  clear(): void;
  getDest(svc: ServiceLike, address: string, port: number): DestLike | undefined;
  addDest(svc: ServiceLike, d: { address: string; port: number; weight?: number; forward?: DestLike['forward']; uThreshold?: number; lThreshold?: number }): boolean;
  editDest(svc: ServiceLike, dest: DestLike, d: { weight?: number; forward?: DestLike['forward']; uThreshold?: number; lThreshold?: number }): void;
  deleteDest(svc: ServiceLike, dest: DestLike): void;
  setTimeouts(t: Partial<{ tcp: number; tcpfin: number; udp: number }>): void;
  connections(): ConnLike[];
  zero(svc?: ServiceLike): void;
  rates(x: ServiceLike | DestLike): RatesLike;
}

/**
 * A virtual server and its real servers as ipvsadm lists them. The counters and rates are
 * copied only when a listing reads them (--stats, --rate), so `ipvsadm -Sn` of 10,000 Services
 * does not copy 110,000 of them; classes, because V8 builds object literals with getters one
 * property at a time (ten times slower at that size).
 */
class ServiceView implements VirtualServiceView {
  readonly protocol: IpvsProto;
  readonly address: string;
  readonly port: number;
  readonly scheduler: string;
  readonly flags: number;
  readonly timeout: number;
  readonly netmask: string;
  readonly realServers: RealServerView[];
  constructor(private readonly table: IpvsTableLike, private readonly svc: ServiceLike) {
    this.protocol = svc.protocol;
    this.address = svc.address;
    this.port = svc.port;
    this.scheduler = svc.scheduler;
    this.flags = svc.flags;
    this.timeout = svc.timeout;
    this.netmask = svc.netmask;
    this.realServers = svc.dests.map((d) => new DestView(table, d));
  }

  get stats(): IpvsStatsView {
    return { ...this.svc.stats, ...this.table.rates(this.svc) };
  }
}

class DestView implements RealServerView {
  readonly address: string;
  readonly port: number;
  readonly weight: number;
  readonly forward: DestLike['forward'];
  readonly activeConns: number;
  readonly inactConns: number;
  readonly persistConns: number;
  readonly uThreshold: number;
  readonly lThreshold: number;
  constructor(private readonly table: IpvsTableLike, private readonly dest: DestLike) {
    this.address = dest.address;
    this.port = dest.port;
    this.weight = dest.weight;
    this.forward = dest.forward;
    this.activeConns = dest.activeConns;
    this.inactConns = dest.inactConns;
    this.persistConns = dest.persistConns;
    this.uThreshold = dest.uThreshold;
    this.lThreshold = dest.lThreshold;
  }

  get stats(): IpvsStatsView {
    return { ...this.dest.stats, ...this.table.rates(this.dest) };
  }
}

/** An IPVS table view over the engine's kernel-like IPVS table. */
export function ipvsView(t: IpvsTableLike, now: () => number): IpvsTableView {
  const find = (k: SvcKey): ServiceLike | undefined => t.getService(k.protocol, k.address, k.port);
  return {
    services: () => [...t.services.values()].map((s) => new ServiceView(t, s)),
    connections: () => t.connections().map((c) => ({
      protocol: c.protocol, client: { address: c.client.ip, port: c.client.port }, virtual: { address: c.virtual.ip, port: c.virtual.port },
      dest: { address: c.dest.ip, port: c.dest.port }, state: c.state, expires: Math.max(0, Math.floor((c.expires - now()) / 1000)),
    })),
    timeouts: () => ({ ...t.timeouts }),
    setTimeouts: (x) => t.setTimeouts(x),
    flush: () => t.clear(),
    zero: (k) => {
      if (!k) { t.zero(); return undefined; }
      const s = find(k);
      if (!s) return 'ESRCH';
      t.zero(s);
      return undefined;
    },
    addService: (s) => (t.addService(s) ? undefined : 'EEXIST'),
    editService: (s) => {
      const svc = find(s);
      if (!svc) return 'ESRCH';
      t.editService(svc, s);
      return undefined;
    },
    deleteService: (k) => {
      const svc = find(k);
      if (!svc) return 'ESRCH';
      t.deleteService(svc);
      return undefined;
    },
    addServer: (k, d) => {
      const svc = find(k);
      if (!svc) return 'ESRCH';
      return t.addDest(svc, d) ? undefined : 'EEXIST';
    },
    editServer: (k, d) => {
      const svc = find(k);
      if (!svc) return 'ESRCH';
      const dest = t.getDest(svc, d.address, d.port);
      if (!dest) return 'ENOENT';
      t.editDest(svc, dest, d);
      return undefined;
    },
    deleteServer: (k, d) => {
      const svc = find(k);
      if (!svc) return 'ESRCH';
      const dest = t.getDest(svc, d.address, d.port);
      if (!dest) return 'ENOENT';
      t.deleteDest(svc, dest);
      return undefined;
    },
  };
}

/** The node's NodeHost (its netfilter, ipsets, IPVS table, conntrack, links, routes). */
export function nodeHost(ctx: CommandContext, name: string): NodeHost | CommandResult {
  const r = ctx.cluster.node(name);
  if (!r.ok) return { stdout: '', stderr: r.error.message + '\n', exitCode: 1 };
  return r.value;
}

export function ipvsTable(ctx: CommandContext, name: string): IpvsTableView | CommandResult {
  const h = nodeHost(ctx, name);
  if ('exitCode' in h) return h;
  return ipvsView(h.ipvs, () => ctx.cluster.now());
}

/** /etc/services names the tools print without -n (the ports a cluster shows). */
const SERVICES: Record<number, string> = { 22: 'ssh', 53: 'domain', 80: 'http', 443: 'https', 8080: 'http-alt' };

/**
 * Name lookups without -n: node addresses resolve through the node's /etc/hosts (kind writes
 * every node there), everything else has no PTR record and prints as the address.
 */
export function nodeResolver(ctx: CommandContext): Resolver {
  const hosts = new Map<string, string>();
  const nodes = ctx.cluster.list('Node');
  if (nodes.ok) {
    for (const n of nodes.value) {
      const addrs = ((n as { status?: { addresses?: { type: string; address: string }[] } }).status?.addresses ?? []);
      for (const a of addrs) if (a.type === 'InternalIP') hosts.set(a.address, n.metadata.name);
    }
  }
  return {
    host: (ip) => hosts.get(ip),
    service: (port) => SERVICES[port],
  };
}
