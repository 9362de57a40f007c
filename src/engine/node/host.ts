/**
 * One node's network namespace as data: its netfilter (the very object kube-proxy restores
 * into and the shell's `iptables` edits), ipsets, IPVS table, conntrack, links with their
 * addresses, the main routing table, its hostname and clock. `evaluate()` runs a packet
 * through all of it — the rules, conntrack, routing, IPVS — and `explore()` lists every
 * place a new flow could end up, with its probability. Nothing here decides traffic any
 * other way (DESIGN.md §1).
 */
import type { Clock } from '../core/clock';
import { formatIPv4, parseCIDR, parseIPv4 } from '../core/ip';
import { createRng, type Rng } from '../core/rng';
import {
  createNetfilter, explorePacket, NetfilterRuntime, processPacket,
  type AddrType, type Conntrack, type EvalResult, type IpSet, type Netfilter, type NodeNetworkContext, type Packet, type RouteDecision, type TraceStep,
} from '../netfilter';
import { createNftRuleset, nftHookChains, type NftRuleset } from '../nftables';
import { IpvsTable, type IpvsConn, type IpvsProtocol, type IpvsService } from './ipvs';
import type { InterfaceAddress, NetInterface, Route } from './types';

export interface NodeHostInit {
  name: string;
  /** Primary eth0 address and its prefix length (kind: 172.18.0.x/16). */
  ip: string;
  prefix: number;
  /** Extra eth0 addresses (CIDR notation), from ClusterConfig.nodes[].addresses. */
  extraAddresses?: string[];
  /** The docker network's gateway: the default route (kind: 172.18.0.1). */
  gateway: string;
  /** eth0's peer ifindex in the outer namespace (`eth0@ifN`); the docker host decides it. */
  eth0PeerIfindex: number;
  clock: Clock;
  /** Seed of this node's data-path PRNG (`-m statistic`, MASQUERADE --random-fully ports). */
  seed: number;
}

export interface EvaluateOptions {
  /** `in`: arrived on `packet.inIface` (a pod's veth, eth0); `local`: sent by a host process. */
  origin: 'in' | 'local';
  /** Ignore existing conntrack/IPVS connections: a new flow. */
  fresh?: boolean;
  /** No counters, no conntrack or IPVS entries, no rr rotation (explore and "what if"). */
  dry?: boolean;
  /** For explore: decide each `statistic --mode random` rule (default: the node's PRNG). */
  choose?: (probability: number) => boolean;
}

/** What IPVS did with a packet that reached one of its virtual services. */
export interface IpvsDecision {
  /** `TCP 10.96.0.10:53` as ipvsadm prints the virtual service. */
  service: string;
  /** `ip:port` of the real server, or undefined when the service had none to give. */
  dest?: string;
  persisted: boolean;
  /** An existing IPVS connection carried the packet (no scheduling). */
  existing: boolean;
}

export interface NodeEvalResult {
  verdict: 'ACCEPT' | 'DROP' | 'REJECT';
  rejectWith?: string;
  /** `local`: delivered to a process on the node; `forward`: sent out `packet.outIface` (a pod's veth, eth0). */
  delivered?: 'local' | 'forward';
  /** The packet as it leaves (after DNAT, IPVS, SNAT/MASQUERADE). */
  packet: Packet;
  /** Every rule that matched, in order, over both netfilter passes of an IPVS flow. */
  trace: TraceStep[];
  rulesEvaluated: number;
  conntrack: EvalResult['conntrack'];
  droppedAt?: EvalResult['droppedAt'];
  unreachable?: boolean;
  ipvs?: IpvsDecision;
}

export interface ExploredEndpoint {
  probability: number;
  /** `ip:port` the flow reaches (delivered forward or local), or undefined when it does not get through. */
  endpoint?: string;
  result: NodeEvalResult;
}

const PROTO_NAME: Readonly<Record<number, IpvsProtocol>> = { 6: 'TCP', 17: 'UDP', 132: 'SCTP' };
const PROTO_NUM: Readonly<Record<string, number>> = { tcp: 6, udp: 17, sctp: 132, icmp: 1 };
function ipvsProto(p: Packet['proto']): IpvsProtocol | undefined {
  if (typeof p === 'number') return PROTO_NAME[p];
  return p === 'tcp' ? 'TCP' : p === 'udp' ? 'UDP' : p === 'sctp' ? 'SCTP' : undefined;
}

function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** A locally administered unicast MAC from a name (no PRNG draws: stable across runs). */
export function macFrom(seed: string): string {
  const a = fnv(seed);
  const b = fnv(seed + '/mac');
  const bytes = [((a >>> 24) & 0xfc) | 0x02, (a >>> 16) & 255, (a >>> 8) & 255, a & 255, (b >>> 8) & 255, b & 255];
  return bytes.map((x) => x.toString(16).padStart(2, '0')).join(':');
}

function broadcastOf(ip: string, prefix: number): string | undefined {
  if (prefix >= 31) return undefined;
  const n = parseIPv4(ip)!;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return formatIPv4((n | ~mask) >>> 0);
}

export class NodeHost {
  readonly name: string;
  /** `hostname` (kind nodes: the node name). */
  hostname: string;
  readonly ip: string;
  /** The node's netfilter: shared by kube-proxy's restores and the shell's iptables commands. */
  readonly netfilter: Netfilter;
  /** The node's nftables (kube-proxy's `ip kube-proxy` table in nftables mode; `nft` edits it). */
  readonly nft: NftRuleset = createNftRuleset();
  readonly runtime: NetfilterRuntime;
  readonly ipvs: IpvsTable;
  readonly clock: Clock;
  /** Links in ifindex order. Mutate through the methods below so routes follow. */
  readonly interfaces: NetInterface[] = [];
  /** The main routing table (insertion order; `sortedRoutes()` gives `ip route`'s). */
  readonly routes: Route[] = [];
  /** net.ipv4.vs.* / net.ipv4.conf.* sysctls kube-proxy sets (ipvs mode: conntrack=1 …). */
  readonly sysctls = new Map<string, string>();
  /**
   * Bumped whenever someone runs `ipset` or `ipvsadm` on the node: kube-proxy's next IPVS
   * sync then compares its whole state with the node's (repairing hand edits) instead of
   * applying only its own changes.
   */
  handEdits = 0;
  readonly rng: Rng;
  #nextIfindex = 1;
  #nextNetnsId = 1;
  #localCache: { version: number; set: Set<number>; list: string[]; broadcast: Set<string> } | undefined;
  #version = 0;
  readonly #net: NodeNetworkContext;

  constructor(init: NodeHostInit) {
    this.name = init.name;
    this.hostname = init.name;
    this.ip = init.ip;
    this.clock = init.clock;
    this.netfilter = createNetfilter();
    this.rng = createRng(init.seed ^ fnv(init.name));
    this.runtime = new NetfilterRuntime(this.netfilter, init.clock, this.rng);
    this.ipvs = new IpvsTable(() => init.clock.now());
    const lo = this.#addLink({ name: 'lo', kind: 'loopback', flags: ['LOOPBACK', 'UP', 'LOWER_UP'], mtu: 65536, state: 'UNKNOWN', qdisc: 'noqueue', mac: '00:00:00:00:00:00', brd: '00:00:00:00:00:00' });
    lo.addresses.push({ address: '127.0.0.1', prefix: 8, scope: 'host' });
    const oct = init.ip.split('.').map(Number);
    const eth0 = this.#addLink({
      name: 'eth0', kind: 'veth', flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'], mtu: 1500, state: 'UP', qdisc: 'noqueue',
      // Docker's classic MAC: 02:42 followed by the container's IPv4 address.
      mac: ['02', '42', ...oct.map((x) => x.toString(16).padStart(2, '0'))].join(':'), brd: 'ff:ff:ff:ff:ff:ff',
      peerIfindex: init.eth0PeerIfindex, linkNetnsId: 0,
    });
    this.addAddress('eth0', `${init.ip}/${init.prefix}`);
    for (const a of init.extraAddresses ?? []) this.addAddress('eth0', a);
    void eth0;
    this.routes.unshift({ dst: 'default', via: init.gateway, dev: 'eth0', owner: 'docker' });
    this.#version++;
    const self = this;
    this.#net = {
      route: (p) => self.routeDecision(p.dst),
      addrType: (ip) => self.addrType(ip),
      get localAddresses() { return self.localAddresses(); },
      ifaceAddress: (iface) => self.primaryAddress(iface),
      // nftables base chains run beside iptables' tables (none: the iptables-only path).
      hookChains: (hook) => (self.nft.tables.length === 0 ? [] : nftHookChains(self.nft, hook)),
    };
  }

  /** ipsets live beside the rules (`-m set` looks them up there). */
  get ipsets(): Map<string, IpSet> {
    return this.netfilter.ipsets;
  }

  get conntrack(): Conntrack {
    return this.runtime.conntrack;
  }

  /** The node's clock, in ms (iptables-save's `# Generated by … on <date>`). */
  now(): number {
    return this.clock.now();
  }

  // ---------- links and addresses ----------

  link(name: string): NetInterface | undefined {
    return this.interfaces.find((i) => i.name === name);
  }

  #addLink(l: Omit<NetInterface, 'ifindex' | 'addresses'>): NetInterface {
    const link: NetInterface = { ...l, ifindex: this.#nextIfindex++, addresses: [] };
    this.interfaces.push(link);
    this.#version++;
    return link;
  }

  /** `ip link add NAME type dummy` (kube-proxy's kube-ipvs0). Returns the link (existing or new). */
  ensureDummy(name: string): NetInterface {
    return this.link(name) ?? this.#addLink({ name, kind: 'dummy', flags: ['BROADCAST', 'NOARP'], mtu: 1500, state: 'DOWN', qdisc: 'noop', mac: macFrom(`${this.name}/${name}`), brd: 'ff:ff:ff:ff:ff:ff' });
  }

  /** `ip link del NAME`: its addresses and the routes through it go too. */
  deleteLink(name: string): boolean {
    const i = this.interfaces.findIndex((l) => l.name === name);
    if (i < 0 || name === 'lo') return false;
    this.interfaces.splice(i, 1);
    for (let r = this.routes.length - 1; r >= 0; r--) if (this.routes[r]!.dev === name) this.routes.splice(r, 1);
    this.#version++;
    return true;
  }

  /**
   * `ip addr add CIDR dev NAME`. A non-/32 address also adds its connected route (`proto
   * kernel scope link src IP`), as the kernel does. Returns false if already present.
   */
  addAddress(dev: string, cidr: string, scope: InterfaceAddress['scope'] = 'global'): boolean {
    const link = this.link(dev);
    const [ip, bits] = cidr.split('/');
    const prefix = bits === undefined ? 32 : Number(bits);
    if (!link || parseIPv4(ip ?? '') === undefined || !(prefix >= 0 && prefix <= 32)) return false;
    const known = this.#addressKeys(link.addresses);
    if (known.keys.has(`${ip}/${prefix}`)) return false;
    const net = parseCIDR(`${ip}/${prefix}`)!;
    // A /32 shares its subnet only with itself (refused above): never secondary. Skipping the
    // scan keeps 10,000 kube-ipvs0 ClusterIPs linear.
    const secondary = prefix < 32 && link.addresses.some((a) => a.prefix === prefix && parseCIDR(`${a.address}/${a.prefix}`)!.base === net.base);
    const brd = broadcastOf(ip!, prefix);
    link.addresses.push({ address: ip!, prefix, scope, ...(brd && link.kind !== 'dummy' && link.kind !== 'loopback' ? { broadcast: brd } : {}), ...(secondary ? { secondary } : {}) });
    known.keys.add(`${ip}/${prefix}`);
    known.length = link.addresses.length;
    if (prefix < 32 && !secondary && link.kind !== 'loopback') {
      this.routes.push({ dst: `${formatIPv4(net.base)}/${prefix}`, dev, proto: 'kernel', scope: 'link', src: ip!, owner: 'kernel' });
    }
    this.#version++;
    return true;
  }

  /**
   * A link's addresses as "ip/prefix" keys, so binding 10,000 ClusterIPs to kube-ipvs0 is not
   * quadratic. Rebuilt whenever the list's length changed outside addAddress.
   */
  #addressKeys(list: InterfaceAddress[]): { length: number; keys: Set<string> } {
    let known = this.#addressIndex.get(list);
    if (!known || known.length !== list.length) {
      known = { length: list.length, keys: new Set(list.map((a) => `${a.address}/${a.prefix}`)) };
      this.#addressIndex.set(list, known);
    }
    return known;
  }

  readonly #addressIndex = new WeakMap<InterfaceAddress[], { length: number; keys: Set<string> }>();

  /** `ip addr del CIDR dev NAME` (the connected route goes with a primary address). */
  deleteAddress(dev: string, cidr: string): boolean {
    const link = this.link(dev);
    const [ip, bits] = cidr.split('/');
    const prefix = bits === undefined ? 32 : Number(bits);
    const i = link ? link.addresses.findIndex((a) => a.address === ip && a.prefix === prefix) : -1;
    if (!link || i < 0) return false;
    link.addresses.splice(i, 1);
    for (let r = this.routes.length - 1; r >= 0; r--) {
      const rt = this.routes[r]!;
      if (rt.owner === 'kernel' && rt.dev === dev && rt.src === ip) this.routes.splice(r, 1);
    }
    this.#version++;
    return true;
  }

  /**
   * A pod's host-side veth as kindnet's CNI (the ptp plugin) sets it up: `veth` + 8 hex
   * characters, peer eth0 = ifindex 2 in the pod's netns, the pod network's gateway
   * (x.x.x.1/32) as its address, and a host route to the pod IP (`scope host`).
   */
  addPodVeth(pod: { namespace: string; name: string; uid: string; ip: string }, gateway: string): NetInterface {
    const existing = this.interfaces.find((l) => l.pod?.uid === pod.uid);
    if (existing) return existing;
    const name = `veth${fnv(`veth/${pod.uid}`).toString(16).padStart(8, '0')}`;
    const link = this.#addLink({
      name, kind: 'veth', flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'], mtu: 1500, state: 'UP', qdisc: 'noqueue',
      mac: macFrom(`${pod.uid}/host`), brd: 'ff:ff:ff:ff:ff:ff', peerIfindex: 2, linkNetnsId: this.#nextNetnsId++, pod: { ...pod },
    });
    link.addresses.push({ address: gateway, prefix: 32, scope: 'global' });
    this.routes.push({ dst: `${pod.ip}/32`, dev: name, scope: 'host', owner: 'cni' });
    this.#version++;
    return link;
  }

  removePodVeth(uid: string): boolean {
    const l = this.interfaces.find((x) => x.pod?.uid === uid);
    return l ? this.deleteLink(l.name) : false;
  }

  /** kindnet's route to another node's pod subnet: `10.244.1.0/24 via 172.18.0.3 dev eth0`. */
  setPodSubnetRoute(cidr: string, via: string): void {
    const i = this.routes.findIndex((r) => r.owner === 'kindnet' && r.dst === cidr);
    const route: Route = { dst: cidr, via, dev: 'eth0', owner: 'kindnet' };
    if (i >= 0) this.routes[i] = route;
    else this.routes.push(route);
    this.#version++;
  }

  removePodSubnetRoute(cidr: string): void {
    const i = this.routes.findIndex((r) => r.owner === 'kindnet' && r.dst === cidr);
    if (i >= 0) this.routes.splice(i, 1);
    this.#version++;
  }

  /** Routes in the order `ip route` prints the main table (the FIB trie: by address, then longer prefix first… default first). */
  sortedRoutes(): Route[] {
    const key = (r: Route): [number, number] => {
      if (r.dst === 'default') return [0, 0];
      const c = parseCIDR(r.dst.includes('/') ? r.dst : `${r.dst}/32`)!;
      return [c.base, c.bits];
    };
    return [...this.routes].sort((a, b) => {
      const [ab, al] = key(a);
      const [bb, bl] = key(b);
      return ab - bb || al - bl;
    });
  }

  // ---------- what routing and -m addrtype see ----------

  /** Every address on every link (lo's 127.0.0.1 included). */
  localAddresses(): string[] {
    return this.#local().list;
  }

  #local(): { set: Set<number>; list: string[]; broadcast: Set<string> } {
    if (this.#localCache?.version === this.#version) return this.#localCache;
    const list: string[] = [];
    const broadcast = new Set<string>();
    for (const l of this.interfaces) {
      for (const a of l.addresses) {
        list.push(a.address);
        if (a.broadcast) broadcast.add(a.broadcast);
      }
    }
    this.#localCache = { version: this.#version, list, set: new Set(list.map((a) => parseIPv4(a)!)), broadcast };
    return this.#localCache;
  }

  /** The local table's view: LOCAL for our addresses and 127/8, BROADCAST for subnet broadcasts, MULTICAST for 224/4. */
  addrType(ip: string): AddrType {
    const n = parseIPv4(ip);
    if (n === undefined) return 'UNSPEC';
    if (this.#local().set.has(n) || n >>> 24 === 127) return 'LOCAL';
    if (n === 0xffffffff) return 'BROADCAST';
    if (n >>> 28 === 0xe) return 'MULTICAST';
    return this.#local().broadcast.has(ip) ? 'BROADCAST' : 'UNICAST';
  }

  /** fib_lookup: local addresses first (the local table), then the longest prefix of the main table. */
  routeDecision(dst: string): RouteDecision {
    if (this.addrType(dst) === 'LOCAL') return { kind: 'local' };
    const r = this.lookupRoute(dst);
    return r ? { kind: 'forward', outIface: r.dev } : { kind: 'unreachable' };
  }

  /** `ip route get`'s main-table part: the longest matching prefix (the first added among equals). */
  lookupRoute(dst: string): Route | undefined {
    let cache = this.#routeCache;
    // Any link, address or route change bumps #version; the length check also catches a
    // route pushed onto the public array directly.
    if (!cache || cache.version !== this.#version || cache.length !== this.routes.length) {
      const table = this.routes.map((route) => {
        const c = route.dst === 'default' ? { base: 0, bits: 0, size: 2 ** 32 } : parseCIDR(route.dst.includes('/') ? route.dst : `${route.dst}/32`)!;
        return { base: c.base, size: c.size, bits: c.bits, route };
      });
      // Longest prefix first; the sort is stable, so among equal prefixes the first added wins.
      table.sort((a, b) => b.bits - a.bits);
      cache = this.#routeCache = { version: this.#version, length: this.routes.length, table, answers: new Map() };
    }
    if (cache.answers.has(dst)) return cache.answers.get(dst);
    const n = parseIPv4(dst);
    let best: Route | undefined;
    if (n !== undefined) {
      for (const e of cache.table) {
        if (n >= e.base && n < e.base + e.size) {
          best = e.route;
          break;
        }
      }
    }
    if (cache.answers.size >= 4096) cache.answers.clear();
    cache.answers.set(dst, best);
    return best;
  }

  /** lookupRoute's cache: the main table compiled longest prefix first, and answers by destination. */
  #routeCache: { version: number; length: number; table: { base: number; size: number; bits: number; route: Route }[]; answers: Map<string, Route | undefined> } | undefined;

  /** The address MASQUERADE picks on an interface: its first (primary) address. */
  primaryAddress(dev: string): string | undefined {
    const l = this.link(dev);
    return l?.addresses.find((a) => !a.secondary)?.address;
  }

  // ---------- the data path ----------

  /** The netfilter view of this node the evaluator runs with (routing, addrtype, local addresses). */
  get network(): NodeNetworkContext {
    return this.#net;
  }

  /** IPVS's virtual service for a packet's destination, if any. */
  ipvsServiceFor(p: Packet): IpvsService | undefined {
    if (this.ipvs.services.size === 0) return undefined;
    const proto = ipvsProto(p.proto);
    return proto && p.dport !== undefined ? this.ipvs.getService(proto, p.dst, p.dport) : undefined;
  }

  /**
   * One packet through the node: netfilter (with conntrack, counters, `statistic` from this
   * node's PRNG, `recent` on the engine clock), routing by the node's routes, and — when it
   * is delivered locally to an IPVS virtual service — IPVS: the scheduler picks a real
   * server, and the packet goes on through LOCAL_OUT (filter/nat OUTPUT) and POSTROUTING
   * to it, as ip_vs_nat_xmit sends it (net.ipv4.vs.conntrack=1, as kube-proxy sets).
   */
  evaluate(packet: Packet, o: EvaluateOptions): NodeEvalResult {
    const first = processPacket(this.runtime, this.#net, packet, { origin: o.origin, dry: o.dry, fresh: o.fresh, choose: o.choose });
    const svc = first.verdict === 'ACCEPT' && first.delivered === 'local' ? this.ipvsServiceFor(first.packet) : undefined;
    if (!svc) return first;
    return this.#ipvsForward(packet, first, svc, o, (s) => {
      if (o.dry) return this.#peekDest(s, packet);
      const r = this.ipvs.connect(s, { ip: packet.src, port: packet.sport ?? 0 }, { bytes: packet.length ?? 60 });
      return r.ok ? { dest: `${r.dest.address}:${r.dest.port}`, persisted: r.persisted, existing: !r.fresh, conn: r.conn } : undefined;
    });
  }

  #peekDest(s: IpvsService, packet: Packet): { dest: string; persisted: boolean; existing: boolean } | undefined {
    const outcomes = this.ipvsOutcomes(s, packet);
    const d = outcomes[0];
    return d ? { dest: d.dest, persisted: d.persisted, existing: false } : undefined;
  }

  #ipvsForward(
    packet: Packet, first: EvalResult, svc: IpvsService, o: EvaluateOptions,
    pick: (s: IpvsService) => { dest: string; persisted: boolean; existing: boolean; conn?: IpvsConn } | undefined,
  ): NodeEvalResult {
    const service = `${svc.protocol} ${svc.address}:${svc.port}`;
    const chosen = pick(svc);
    if (!chosen) {
      // ip_vs_leave → no destination: the kernel answers ICMP port unreachable.
      return { ...first, verdict: 'REJECT', rejectWith: 'icmp-port-unreachable', delivered: undefined, ipvs: { service, persisted: false, existing: false } };
    }
    const [dip, dport] = chosen.dest.split(':');
    // The second pass carries the IPVS connection, so kube-proxy's `-m ipvs` rules see it.
    const ipvs = { vaddr: svc.address, vport: svc.port, vproto: svc.protocol.toLowerCase() as 'tcp' | 'udp' | 'sctp', vdir: 'ORIGINAL' as const };
    const forwarded: Packet = { ...first.packet, dst: dip!, dport: Number(dport), inIface: undefined, outIface: undefined, ipvs };
    const second = processPacket(this.runtime, this.#net, forwarded, { origin: 'local', dry: o.dry, fresh: true, choose: o.choose });
    if (!o.dry && second.verdict === 'ACCEPT') this.#mergeConntrack(packet, forwarded);
    return {
      ...second,
      trace: [...first.trace, ...second.trace],
      rulesEvaluated: first.rulesEvaluated + second.rulesEvaluated,
      conntrack: first.conntrack,
      ipvs: { service, dest: chosen.dest, persisted: chosen.persisted, existing: chosen.existing },
    };
  }

  /**
   * IPVS with conntrack=1 rewrites the flow's one conntrack entry (nf_conntrack_alter_reply):
   * the reply comes from the real server, to whatever source POSTROUTING gave the packet.
   * Our evaluator tracked the second netfilter pass as its own flow; fold it into the first.
   */
  #mergeConntrack(orig: Packet, forwarded: Packet): void {
    const ct = this.conntrack;
    const tuple = (p: Packet) => {
      const proto = typeof p.proto === 'number' ? p.proto : PROTO_NUM[p.proto]!;
      return { proto, src: parseIPv4(p.src)!, dst: parseIPv4(p.dst)!, sport: p.sport ?? 0, dport: proto === 1 ? (p.sport ?? 0) : (p.dport ?? 0) };
    };
    const f1 = ct.lookup(tuple(orig));
    const f2 = ct.lookup(tuple(forwarded));
    if (!f1 || !f2 || f1.entry === f2.entry || f1.dir !== 'original' || f2.dir !== 'original') return;
    const e1 = f1.entry;
    const e2 = f2.entry;
    ct.remove(e2);
    ct.remove(e1);
    const merged = ct.create(e1.orig);
    merged.reply = { ...e2.reply };
    merged.dnat = true;
    merged.snat = e2.snat;
    merged.mark = e1.mark;
    merged.streamTs = e1.streamTs;
    ct.confirm(merged);
    ct.seen(merged, 'original');
  }

  /**
   * Where IPVS would send a new connection from this packet's source, with the share of
   * new connections each real server gets: rr → every usable server alike; wrr → by
   * weight; sh/dh → the one its hash bucket names; a live persistence template → its
   * server; lc/wlc/sed/nq/fo → the one the scheduler would pick right now.
   */
  ipvsOutcomes(svc: IpvsService, packet: Packet): { dest: string; probability: number; persisted: boolean }[] {
    const usable = svc.dests.filter((d) => d.weight > 0);
    const key = (d: { address: string; port: number }): string => `${d.address}:${d.port}`;
    if (svc.flags & 1) {
      const t = this.ipvs.template(svc, packet.src);
      if (t && this.ipvs.templateUsable(svc, t)) return [{ dest: key(t.destRef), probability: 1, persisted: true }];
    }
    if (usable.length === 0) return [];
    if (svc.scheduler === 'rr') return usable.map((d) => ({ dest: key(d), probability: 1 / usable.length, persisted: false }));
    if (svc.scheduler === 'wrr') {
      const total = usable.reduce((s, d) => s + d.weight, 0);
      return usable.map((d) => ({ dest: key(d), probability: d.weight / total, persisted: false }));
    }
    // Deterministic schedulers: ask without moving state (rr/wrr are handled above).
    const d = this.ipvs.schedule(svc, packet.src, packet.sport ?? 0);
    return d ? [{ dest: key(d), probability: 1, persisted: false }] : [];
  }

  /**
   * Every outcome a NEW flow like `packet` can have on this node, with its probability:
   * each `statistic --mode random` rule is taken both ways (explorePacket) and IPVS's
   * choices are spread as `ipvsOutcomes` says. Nothing is counted or recorded.
   */
  explore(packet: Packet, o: { origin: 'in' | 'local' }): ExploredEndpoint[] {
    const out = new Map<string, ExploredEndpoint>();
    const add = (probability: number, result: NodeEvalResult): void => {
      const through = result.verdict === 'ACCEPT';
      const endpoint = through ? `${result.packet.dst}:${result.packet.dport ?? 0}` : undefined;
      const k = `${result.verdict}|${result.delivered}|${endpoint}|${result.packet.src}`;
      const prev = out.get(k);
      if (prev) prev.probability += probability;
      else out.set(k, { probability, endpoint, result });
    };
    for (const first of explorePacket(this.runtime, this.#net, packet, o)) {
      const r = first.result;
      const svc = r.verdict === 'ACCEPT' && r.delivered === 'local' ? this.ipvsServiceFor(r.packet) : undefined;
      if (!svc) {
        add(first.probability, r);
        continue;
      }
      const choices = this.ipvsOutcomes(svc, packet);
      if (choices.length === 0) add(first.probability, this.#ipvsForward(packet, r, svc, { origin: o.origin, dry: true }, () => undefined));
      for (const c of choices) {
        add(first.probability * c.probability, this.#ipvsForward(packet, r, svc, { origin: o.origin, dry: true }, () => ({ dest: c.dest, persisted: c.persisted, existing: false })));
      }
    }
    return [...out.values()].sort((a, b) => b.probability - a.probability || String(a.endpoint).localeCompare(String(b.endpoint)));
  }
}
