/**
 * The data path (DESIGN.md §1, §3.4): a connection is a packet that walks the very state
 * the nodes print. Nothing here decides where traffic goes; it only moves the packet from
 * one network namespace to the next and asks each what it does:
 *
 *   pod netns ──veth──▶ source node: NodeHost.evaluate (PREROUTING…, or OUTPUT for host
 *   processes; DNAT/IPVS/MASQUERADE as the node's rules decide, with conntrack)
 *     ──▶ the CNI's NetworkPolicy hook: egress of the source pod (after DNAT)
 *     ──▶ routing: a pod veth on this node, or eth0 → the node owning the next hop (the
 *         wire), or out to the docker network (the workstation, or nowhere)
 *     ──▶ destination node: NodeHost.evaluate again (FORWARD → the pod's veth, or INPUT)
 *     ──▶ the CNI's hook: ingress of the destination pod
 *     ──▶ the destination's socket: a listening app answers (apps/serve.ts); a closed TCP
 *         port answers RST (refused), a closed UDP port ICMP port unreachable
 *   and the reply walks back the same way, through conntrack (un-DNAT, un-SNAT), so the
 *   client sees the address it dialled while the server saw whatever SNAT left.
 *
 * A denied NetworkPolicy flow is dropped (the client times out), as kindnet, Calico and
 * Cilium do by default. Timeouts are outcomes here; the tools decide how long the client
 * waited and move the clock (or really wait, in the browser).
 *
 * Simplifications (said where they matter): TCP is SYN, SYN-ACK, ACK (no FIN: conntrack
 * keeps the flow ESTABLISHED); pods have no netfilter rules of their own; a packet leaving
 * for the docker network reaches the workstation (172.18.0.1) or nothing (there is no
 * emulated internet host to connect to yet).
 */
import type { Clock } from '../core/clock';
import { parseIPv4 } from '../core/ip';
import { createRng, type Rng } from '../core/rng';
import type { ClusterConfig } from '../cluster/config';
import type { Controller } from '../controllers/context';
import type { ObjectStore, StoreEvent } from '../model/store';
import type { ConfigMap, Container, KubeObject, Namespace, NetworkPolicy, Node, Pod, Service } from '../model/types';
import type { NodeHost, NodeEvalResult } from '../node';
import type { Packet } from '../netfilter';
import { buildNetpolIndex, evaluateDirection, type NetpolIndex, type CniName, type DirectionVerdict } from '../netpol';
import { CoreDns, dnsDataFrom, podResolvConf, upstreamResolve, type DnsMessage, type Exchange, type ResolvConf, type ResolverEnv } from '../dns';
import { appFor, repository } from '../apps/images';
import type { AppState } from '../apps/state';
import type { AccessRecord } from '../apps/logs';
import { serve } from '../apps/serve';
import type { AppHop, ConnectFrom, ConnectRequest, ConnectionResult, Hop, NodeHop, Outcome, PacketView, Payload, Reply, Trace, TraceEndpoint } from './types';

export interface DataPathDeps {
  store: ObjectStore;
  config: ClusterConfig;
  clock: Clock;
  seed: number;
  host(node: string): NodeHost | undefined;
  hosts(): Iterable<NodeHost>;
  isRunning(pod: Pod, container: string): boolean;
  appState(pod: Pod, container: string): Readonly<AppState>;
  appendLog(pod: Pod, container: string, text: string): void;
  recordAccess(pod: Pod, container: string, record: AccessRecord): void;
  /** kube-proxy's HTTP servers on a node (healthz on 10256, health check node ports), if it listens on `port`. */
  kubeProxyServer?(node: string, port: number): ((path: string) => { status: number; reason: string; headers: [string, string][]; body: string }) | undefined;
}

/** Images of NetworkPolicy agents that enforce on a flannel cluster (Canal's calico-node). */
const POLICY_AGENTS = new Set(['calico/node']);

/** kind's docker network gateway: the learner's machine as the nodes see it. */
const WORKSTATION_IP = '172.18.0.1';
const MAX_HOPS = 16;

type Loc =
  | { kind: 'pod'; pod: Pod; node: NodeHost; veth: string; ip: string }
  | { kind: 'node'; node: NodeHost }
  | { kind: 'external'; ip: string };

/** Where a walk ended. */
type Arrival =
  | { kind: 'pod'; pod: Pod; node: NodeHost; packet: Packet }
  | { kind: 'node'; node: NodeHost; packet: Packet }
  | { kind: 'external'; ip: string; packet: Packet }
  | { kind: 'lost'; packet: Packet; why: string }
  | { kind: 'dropped'; outcome: Outcome; why: string; packet: Packet };

const PROTO: Record<string, Packet['proto']> = { TCP: 'tcp', UDP: 'udp', SCTP: 'sctp', ICMP: 'icmp' };

function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

const view = (p: Packet): PacketView => ({
  src: p.src, dst: p.dst, proto: typeof p.proto === 'number' ? String(p.proto) : p.proto,
  ...(p.sport !== undefined && p.proto !== 'icmp' ? { sport: p.sport } : {}),
  ...(p.dport !== undefined && p.proto !== 'icmp' ? { dport: p.dport } : {}),
});

export type TraceListener = (t: Trace) => void;

export class DataPath implements Controller {
  readonly name = 'data-path';
  #podsByIp = new Map<string, Pod>();
  #nodesByIp = new Map<string, string>();
  #netpolVersion = 1;
  #netpol = new Map<CniName, { version: number; index: NetpolIndex }>();
  #dnsVersion = 1;
  #dns = new Map<string, { version: number; corefile: string; server: CoreDns }>();
  #ports = new Map<string, number>();
  #listeners = new Set<TraceListener>();
  #rng: Rng;
  #lbNext = 0;
  /** Pods are frozen snapshots: a new object means a new spec, so the cache follows it. */
  #resolvCache = new WeakMap<Pod, ResolvConf>();
  /**
   * A probe is running (lab checks): nothing may change. Nodes evaluate dry (no counters,
   * conntrack, recent/nth, PRNG), the first `statistic` branch and IPVS's first choice are
   * taken, no port or load-balancer turn is used up, apps log nothing, CoreDNS answers from a
   * throwaway instance, and no Trace is emitted.
   */
  #dry = false;
  #probeDns: { version: number; server: CoreDns | undefined; reseed: () => void } | undefined;

  constructor(private readonly d: DataPathDeps) {
    this.#rng = createRng((d.seed ^ 0x6e657477) >>> 0);
  }

  // ---------- keeping indexes in step with the store ----------

  observe(e: StoreEvent): void {
    const o = e.object;
    switch (o.kind) {
      case 'Pod': {
        const pod = o as Pod;
        const old = e.old as Pod | undefined;
        const oldIp = old?.status?.podIP;
        if (oldIp && !old.spec.hostNetwork && this.#podsByIp.get(oldIp)?.metadata.uid === old.metadata.uid) this.#podsByIp.delete(oldIp);
        const ip = pod.status?.podIP;
        if (e.type !== 'DELETED' && ip && !pod.spec.hostNetwork) this.#podsByIp.set(ip, pod);
        if (!old || e.type === 'DELETED' || oldIp !== ip || !sameLabels(old.metadata.labels, pod.metadata.labels) || old.status?.phase !== pod.status?.phase) {
          this.#netpolVersion++;
          this.#dnsVersion++;
        }
        break;
      }
      case 'Node': {
        const n = o as Node;
        for (const a of (e.old as Node | undefined)?.status?.addresses ?? []) if (a.type === 'InternalIP') this.#nodesByIp.delete(a.address);
        if (e.type !== 'DELETED') for (const a of n.status?.addresses ?? []) if (a.type === 'InternalIP') this.#nodesByIp.set(a.address, n.metadata.name);
        this.#netpolVersion++;
        break;
      }
      case 'NetworkPolicy':
      case 'Namespace':
        this.#netpolVersion++;
        this.#dnsVersion++;
        break;
      case 'Service':
      case 'EndpointSlice':
        this.#dnsVersion++;
        break;
      case 'ConfigMap':
        if (o.metadata.namespace === 'kube-system' && o.metadata.name === 'coredns') this.#dnsVersion++;
        break;
    }
  }

  sync(): boolean {
    return false;
  }

  /** Every connection's Trace, as it happens (the CLI's --trace, the UI's packet view). */
  onTrace(l: TraceListener): () => void {
    this.#listeners.add(l);
    return () => this.#listeners.delete(l);
  }

  // ---------- connect ----------

  /**
   * `connect` without side effects, for checks that run after every command. Without
   * conntrack entries the reply cannot be un-NATed, so the probe ends when the server has
   * answered: a rule that drops only the replies goes unseen (nothing in our labs does that).
   */
  probe(req: ConnectRequest): ConnectionResult {
    const was = this.#dry;
    this.#dry = true;
    try {
      return this.connect(req);
    } finally {
      this.#dry = was;
    }
  }

  /** `resolver` without side effects: queries go through `probe`, ids are not drawn from the PRNG. */
  probeResolver(from: ConnectFrom, conf?: ResolvConf): ResolverEnv {
    const resolv = conf ?? this.resolvConf(from);
    const src = this.#source(from);
    const sport = 'loc' in src ? this.#peekEphemeral(this.#sourceAddress(src.loc, resolv.nameservers[0] ?? '127.0.0.1')) : 0;
    let id = 0;
    const exchange: Exchange = (query, server) => {
      const r = this.probe({ from, to: { ip: server, port: 53, protocol: 'UDP' }, payload: { kind: 'dns', message: query }, sport });
      return r.outcome === 'connected' && r.response?.kind === 'dns' ? r.response.message : 'timeout';
    };
    return { conf: resolv, exchange, nextId: () => id++ };
  }

  connect(req: ConnectRequest): ConnectionResult {
    const at = this.d.clock.now();
    const protocol = req.to.protocol ?? 'TCP';
    const hops: Hop[] = [];
    const src = this.#source(req.from);
    const to = { ip: req.to.ip, ...(req.to.port !== undefined && protocol !== 'ICMP' ? { port: req.to.port } : {}), ...(req.to.host ? { host: req.to.host } : {}) };
    if ('error' in src) {
      const trace: Trace = { protocol, at, from: src.from, to, ...(req.note ? { note: req.note } : {}), hops, outcome: 'bad-source', summary: src.error, rttUs: 0 };
      this.#emit(trace);
      return { outcome: 'bad-source', trace, local: { ip: src.from.ip, port: 0 } };
    }
    const loc = src.loc;
    const srcIp = this.#sourceAddress(loc, req.to.ip);
    const sport = protocol === 'ICMP' ? (req.icmp?.id ?? this.#ephemeral(srcIp)) : (req.sport ?? this.#ephemeral(srcIp));
    const packet: Packet = {
      src: srcIp, dst: req.to.ip, proto: PROTO[protocol]!, sport,
      ...(protocol !== 'ICMP' ? { dport: req.to.port ?? 0 } : { icmpType: 8, icmpCode: 0 }),
    };
    const from = this.#endpointOf(loc, srcIp);
    const finish = (outcome: Outcome, summary: string, extra: Partial<Trace> = {}, reply?: Reply): ConnectionResult => {
      const trace: Trace = { protocol, at, from, to, ...(req.note ? { note: req.note } : {}), hops, outcome, summary, rttUs: rtt(hops), ...extra };
      this.#emit(trace);
      return { outcome, trace, local: { ip: srcIp, port: sport }, ...(reply ? { response: reply } : {}) };
    };

    // Inside the pod's own namespace: loopback and its own address never leave it.
    if (loc.kind === 'pod' && (req.to.ip === loc.ip || req.to.ip.startsWith('127.'))) {
      const self: Arrival = { kind: 'pod', pod: loc.pod, node: loc.node, packet: { ...packet, src: req.to.ip.startsWith('127.') ? req.to.ip : loc.ip } };
      return this.#atServer(self, req, protocol, hops, finish, packet);
    }

    // The workstation talking to itself (its own resolver, 172.18.0.1:53) never touches the cluster.
    const arrival: Arrival = loc.kind === 'external' && req.to.ip === loc.ip
      ? { kind: 'external', ip: loc.ip, packet }
      : this.#walk(loc, packet, 'request', hops, loc.kind === 'pod' ? loc.pod : undefined);
    return this.#atServer(arrival, req, protocol, hops, finish, packet, loc);
  }

  #atServer(
    arrival: Arrival, req: ConnectRequest, protocol: NonNullable<ConnectRequest['to']['protocol']>, hops: Hop[],
    finish: (o: Outcome, s: string, extra?: Partial<Trace>, reply?: Reply) => ConnectionResult, sent: Packet, client?: Loc,
  ): ConnectionResult {
    const what = `${protocol} ${req.to.host ? `${req.to.host} (${req.to.ip})` : req.to.ip}${req.to.port !== undefined && protocol !== 'ICMP' ? ` port ${req.to.port}` : ''}`;
    if (arrival.kind === 'dropped') return finish(arrival.outcome, `${what}: ${arrival.why}`);
    if (arrival.kind === 'lost') return finish('timed-out', `${what}: ${arrival.why}`);
    const pkt = arrival.packet;
    const endpoint: TraceEndpoint =
      arrival.kind === 'pod' ? { kind: 'pod', ip: pkt.dst, pod: `${arrival.pod.metadata.namespace}/${arrival.pod.metadata.name}`, node: arrival.node.name, ...(protocol !== 'ICMP' ? { port: pkt.dport } : {}) }
      : arrival.kind === 'node' ? { kind: 'node', ip: pkt.dst, node: arrival.node.name, ...(protocol !== 'ICMP' ? { port: pkt.dport } : {}) }
      : { kind: 'external', ip: arrival.ip };
    const where = arrival.kind === 'pod' ? `pod ${endpoint.pod}` : arrival.kind === 'node' ? `node ${arrival.node.name}` : `external ${arrival.ip}`;
    const clientSeen = `${pkt.src}${protocol !== 'ICMP' ? `:${pkt.sport}` : ''}`;
    const nat = natNote(req.to.ip, req.to.port, pkt, protocol);
    const app = (action: string, extra: Partial<AppHop> = {}): void => {
      hops.push({ kind: 'app', where, protocol, client: clientSeen, action, ...(protocol !== 'ICMP' ? { port: pkt.dport } : {}), ...extra });
    };
    const common = { endpoint, seenClient: pkt.src };

    if (arrival.kind === 'external' && arrival.ip === WORKSTATION_IP && pkt.dport === 53 && req.payload?.kind === 'dns') {
      // Docker's embedded DNS on the kind network (the nodes' resolv.conf points here): it
      // forwards to the host's resolver, which knows the emulated internet and nothing of the cluster.
      const q = req.payload.message;
      const up = q.question[0] ? upstreamResolve(q.question[0]) : { rcode: 'FORMERR' as const, answer: [], authority: [] };
      const message: DnsMessage = { ...q, flags: { ...q.flags, qr: true, ra: true, aa: false }, rcode: up.rcode, answer: up.answer, authority: up.authority, additional: [] };
      app('answered', { answer: `DNS ${up.rcode}, ${up.answer.length} answer${up.answer.length === 1 ? '' : 's'}` });
      if (client && client.kind !== 'external') {
        const back = this.#replyWalkFromOutside(pkt, hops, client);
        if (back !== true) return finish('timed-out', `${what}: ${back}`, common);
      }
      return finish('connected', `${what}: answered by Docker's embedded DNS on the workstation`, common, { kind: 'dns', message });
    }
    if (arrival.kind === 'external') {
      app('no-answer');
      return finish('timed-out', `${what}: reached ${arrival.ip} outside the cluster; nothing answers there`, common);
    }

    // ---- the server side: who listens, what it answers ----
    let response: { reply?: Reply; action: string; answer?: string; container?: string } | undefined;
    if (protocol === 'ICMP') {
      response = { action: 'echo-reply' };
    } else {
      const port = pkt.dport ?? 0;
      const listener = arrival.kind === 'pod' ? this.#podListener(arrival.pod, port, protocol) : this.#nodeListener(arrival.node, port, protocol);
      if (!listener) {
        // No socket: TCP answers RST, SCTP an ABORT (RFC 9260 §8.4: "Out of the blue" INIT), UDP ICMP port unreachable.
        app(protocol === 'TCP' ? 'rst' : protocol === 'SCTP' ? 'abort' : 'icmp-port-unreachable');
        const back = this.#replyWalk(arrival, pkt, hops, client, sent);
        if (back !== true) return finish('timed-out', `${what}: ${back}`, common);
        // UDP: the ICMP error reaches a connected socket as ECONNREFUSED; resolvers' unconnected sockets ignore it (the caller decides).
        return finish('refused', `${what}: nothing listens on ${pkt.dst}:${port}/${protocol} in ${where}: ${protocol === 'TCP' ? 'RST' : protocol === 'SCTP' ? 'ABORT' : 'ICMP port unreachable'}${nat}`, common);
      }
      const reply = listener.answer(req.payload, { ip: pkt.src, port: pkt.sport ?? 0 });
      response = { ...(reply ? { reply } : {}), action: reply ? 'answered' : 'accepted', ...(reply ? { answer: describeReply(reply) } : {}), ...(listener.container ? { container: listener.container } : {}) };
      // UDP has no handshake: silence is all the client gets. SCTP's INIT/INIT-ACK is one, but
      // the probes that use it (agnhost connect) wait for the server's first message too.
      if (protocol !== 'TCP' && !reply) {
        app('no-answer', listener.container ? { container: listener.container } : {});
        return finish('timed-out', `${what}: ${where} received it and did not answer${nat}`, common);
      }
    }
    app(response.action, { ...(response.answer ? { answer: response.answer } : {}), ...(response.container ? { container: response.container } : {}) });
    const back = this.#replyWalk(arrival, pkt, hops, client, sent);
    if (back !== true) return finish('timed-out', `${what}: ${back}`, common);
    if (protocol === 'TCP' && client && !this.#dry) {
      // The handshake's ACK (and the request) complete the flow in conntrack (ESTABLISHED, ASSURED).
      this.#walk(client, { ...sent }, 'request', [], undefined, true);
    }
    const served = arrival.kind === 'pod' ? `${endpoint.pod} (${pkt.dst}${protocol !== 'ICMP' ? `:${pkt.dport}` : ''}) on ${arrival.node.name}` : `node ${arrival.node.name} (${pkt.dst}${protocol !== 'ICMP' ? `:${pkt.dport}` : ''})`;
    const verb = protocol === 'ICMP' ? 'echo reply from' : protocol === 'TCP' ? 'connected to' : 'answered by';
    return finish('connected', `${what}: ${verb} ${served}${nat}; the server saw ${clientSeen}`, common, response.reply);
  }

  /** A reply from the docker network (the workstation) back into a node or pod. */
  #replyWalkFromOutside(pkt: Packet, hops: Hop[], client: Loc): true | string {
    if (this.#dry) return true;
    const reply: Packet = { src: pkt.dst, dst: pkt.src, proto: pkt.proto, sport: pkt.dport, dport: pkt.sport };
    const back = this.#walk({ kind: 'external', ip: pkt.dst }, reply, 'reply', hops, undefined);
    if (back.kind === 'dropped' || back.kind === 'lost') return `the reply was lost: ${back.why}`;
    const ok = (client.kind === 'pod' && back.kind === 'pod' && back.pod.metadata.uid === client.pod.metadata.uid) || (client.kind === 'node' && back.kind === 'node' && back.node === client.node);
    return ok ? true : 'the reply did not reach the client';
  }

  /** Walk the server's answer back to the client; true when it arrived. */
  #replyWalk(arrival: Extract<Arrival, { kind: 'pod' | 'node' }>, pkt: Packet, hops: Hop[], client: Loc | undefined, sent: Packet): true | string {
    if (!client || this.#dry) return true; // inside the pod's own namespace; a probe stops at the server
    const reply: Packet = {
      src: pkt.dst, dst: pkt.src, proto: pkt.proto, sport: pkt.proto === 'icmp' ? pkt.sport : pkt.dport, dport: pkt.sport,
      ...(pkt.proto === 'icmp' ? { icmpType: 0, icmpCode: 0 } : {}),
    };
    const start: Loc = arrival.kind === 'pod' ? this.#podLoc(arrival.pod, arrival.node) ?? { kind: 'node', node: arrival.node } : { kind: 'node', node: arrival.node };
    const back = this.#walk(start, reply, 'reply', hops, undefined);
    if (back.kind === 'dropped') return `the reply was dropped: ${back.why}`;
    if (back.kind === 'lost') return `the reply was lost: ${back.why}`;
    const ok =
      (client.kind === 'pod' && back.kind === 'pod' && back.pod.metadata.uid === client.pod.metadata.uid)
      || (client.kind === 'node' && back.kind === 'node' && back.node === client.node)
      || (client.kind === 'external' && back.kind === 'external');
    if (!ok) return `the reply went to ${back.kind === 'pod' ? `pod ${back.pod.metadata.name}` : back.kind === 'node' ? `node ${back.node.name}` : back.ip} instead of the client (no conntrack entry to undo the NAT)`;
    // The client's socket only takes an answer from where it sent: a reply that came back by
    // another path (the DNAT was done on a node it did not cross again) still carries the
    // server's own address, and the client's stack answers it with a RST.
    const got = back.packet;
    const port = (p: Packet) => (p.proto === 'icmp' ? '' : `:${p.sport}`);
    if (got.src !== sent.dst || (sent.proto !== 'icmp' && got.sport !== sent.dport)) {
      return `the reply came from ${got.src}${port(got)}, not ${sent.dst}${sent.proto === 'icmp' ? '' : `:${sent.dport}`} where the client sent it (it came back another way, so no conntrack entry undid the DNAT); the client discards it`;
    }
    return true;
  }

  /**
   * Move one packet from `start` until it reaches a socket (a pod, a node process, the
   * workstation) or is dropped. `policyPod`: the pod whose egress policy the source node
   * checks (new flows from pods only).
   */
  #walk(start: Loc, packet: Packet, leg: 'request' | 'reply', hops: Hop[], policyPod: Pod | undefined, silent = false): Arrival {
    let pkt = packet;
    let loc: Loc = start;
    let egressChecked = !policyPod || leg === 'reply' || silent;
    const record = (h: Hop) => {
      if (!silent) hops.push(h);
    };
    let inIface: string | undefined;
    let host: NodeHost | undefined;
    if (loc.kind === 'pod') {
      record({ kind: 'wire', leg, from: `pod ${loc.pod.metadata.namespace}/${loc.pod.metadata.name} eth0`, to: `${loc.node.name} ${loc.veth}`, route: `default via ${gatewayOf(loc.node, loc.veth)} dev eth0` });
      host = loc.node;
      inIface = loc.veth;
    } else if (loc.kind === 'node') {
      host = loc.node;
    } else {
      // From the docker network: to a node address, or to a LoadBalancer IP (the cloud LB hands it to a node).
      const target = this.#externalEntry(pkt.dst);
      if (!target) return { kind: 'lost', packet: pkt, why: `no machine on the docker network has ${pkt.dst}` };
      record({ kind: 'wire', leg, from: `external ${loc.ip}`, to: `${target.name} eth0`, ...(this.#nodesByIp.has(pkt.dst) ? {} : { route: `load balancer ${pkt.dst} → node ${target.name}` }) });
      host = target;
      inIface = 'eth0';
    }
    for (let n = 0; n < MAX_HOPS; n++) {
      const origin: 'in' | 'local' = inIface ? 'in' : 'local';
      const before = { ...pkt, ...(inIface ? { inIface } : {}) };
      const r = host.evaluate(before, this.#dry ? { origin, dry: true, fresh: true, choose: () => true } : { origin });
      if (!silent) hops.push(nodeHop(host, leg, origin, before, r));
      if (r.verdict === 'DROP') {
        if (r.unreachable) return { kind: 'dropped', outcome: 'no-route', why: `no route to ${pkt.dst} on ${host.name}`, packet: pkt };
        const at = r.droppedAt ? `${r.droppedAt.table}/${r.droppedAt.chain} rule ${r.droppedAt.rule || 'policy'}` : 'netfilter';
        return { kind: 'dropped', outcome: 'timed-out', why: `dropped on ${host.name} by ${at}`, packet: pkt };
      }
      if (r.verdict === 'REJECT') {
        const w = r.rejectWith ?? 'icmp-port-unreachable';
        const outcome: Outcome = w === 'icmp-port-unreachable' || w === 'tcp-reset' ? 'refused' : w === 'icmp-net-unreachable' ? 'net-unreachable' : 'no-route';
        const by = r.ipvs ? `IPVS ${r.ipvs.service} has no real server` : r.droppedAt ? `${r.droppedAt.table}/${r.droppedAt.chain} rule ${r.droppedAt.rule}` : 'netfilter';
        return { kind: 'dropped', outcome, why: `rejected on ${host.name} (${w}) by ${by}`, packet: pkt };
      }
      pkt = { ...r.packet };
      delete pkt.inIface;
      const out = r.packet.outIface;
      delete pkt.outIface;
      // The CNI's egress hook: at the source pod's node, after DNAT, for a new flow.
      if (!egressChecked && r.conntrack.state === 'NEW') {
        egressChecked = true;
        const v = this.#policy('Egress', host, policyPod!, pkt);
        record(policyHop(host, v));
        if (!v.allowed) return { kind: 'dropped', outcome: 'timed-out', why: `dropped by NetworkPolicy on ${host.name}: ${v.message}`, packet: pkt };
      }
      if (r.delivered === 'local') return { kind: 'node', node: host, packet: pkt };
      const link = out ? host.link(out) : undefined;
      if (link?.pod) {
        const pod = this.#podsByIp.get(link.pod.ip);
        if (!pod || pod.metadata.uid !== link.pod.uid) return { kind: 'lost', packet: pkt, why: `${out} on ${host.name} leads to no pod` };
        if (leg === 'request' && !silent && r.conntrack.state === 'NEW') {
          const v = this.#policy('Ingress', host, pod, pkt);
          record(policyHop(host, v));
          if (!v.allowed) return { kind: 'dropped', outcome: 'timed-out', why: `dropped by NetworkPolicy on ${host.name}: ${v.message}`, packet: pkt };
        }
        record({ kind: 'wire', leg, from: `${host.name} ${out}`, to: `pod ${pod.metadata.namespace}/${pod.metadata.name} eth0` });
        return { kind: 'pod', pod, node: host, packet: pkt };
      }
      // Out of eth0: the next hop by the node's own routes.
      const route = host.lookupRoute(pkt.dst);
      const nextHop = route?.via ?? pkt.dst;
      const nextNode = this.#nodesByIp.get(nextHop);
      const routeText = route ? `${route.dst}${route.via ? ` via ${route.via}` : ''} dev ${route.dev}` : undefined;
      if (nextNode && nextNode !== host.name) {
        const next = this.d.host(nextNode);
        if (!next) return { kind: 'lost', packet: pkt, why: `node ${nextNode} is gone` };
        record({ kind: 'wire', leg, from: `${host.name} ${out ?? 'eth0'}`, to: `${nextNode} eth0`, ...(routeText ? { route: routeText } : {}) });
        host = next;
        inIface = 'eth0';
        continue;
      }
      record({ kind: 'wire', leg, from: `${host.name} ${out ?? 'eth0'}`, to: pkt.dst === WORKSTATION_IP ? `workstation ${WORKSTATION_IP}` : `docker network (${nextHop})`, ...(routeText ? { route: routeText } : {}) });
      if (pkt.dst === WORKSTATION_IP) return { kind: 'external', ip: pkt.dst, packet: pkt };
      return { kind: 'lost', packet: pkt, why: `left ${host.name} for ${pkt.dst} via the docker network; no host there answers` };
    }
    return { kind: 'lost', packet: pkt, why: 'routing loop' };
  }

  // ---------- sources and endpoints ----------

  #source(from: ConnectFrom): { loc: Loc } | { error: string; from: TraceEndpoint } {
    if ('external' in from) return { loc: { kind: 'external', ip: from.ip ?? WORKSTATION_IP } };
    if ('node' in from) {
      const h = this.d.host(from.node);
      return h ? { loc: { kind: 'node', node: h } } : { error: `node ${from.node} not found`, from: { kind: 'node', ip: '', node: from.node } };
    }
    const { namespace, name } = from.pod;
    const pod = this.d.store.get('Pod', namespace, name) as Pod | undefined;
    const ep: TraceEndpoint = { kind: 'pod', ip: pod?.status?.podIP ?? '', pod: `${namespace}/${name}` };
    if (!pod) return { error: `pod ${namespace}/${name} not found`, from: ep };
    const node = pod.spec.nodeName ? this.d.host(pod.spec.nodeName) : undefined;
    if (!node || !pod.status?.podIP) return { error: `pod ${namespace}/${name} has no network yet`, from: ep };
    if (pod.spec.hostNetwork) return { loc: { kind: 'node', node } };
    const loc = this.#podLoc(pod, node);
    return loc ? { loc } : { error: `pod ${namespace}/${name} has no veth on ${node.name}`, from: ep };
  }

  #podLoc(pod: Pod, node: NodeHost): Extract<Loc, { kind: 'pod' }> | undefined {
    const veth = node.interfaces.find((l) => l.pod?.uid === pod.metadata.uid);
    return veth && pod.status?.podIP ? { kind: 'pod', pod, node, veth: veth.name, ip: pod.status.podIP } : undefined;
  }

  #endpointOf(loc: Loc, ip: string): TraceEndpoint {
    if (loc.kind === 'pod') return { kind: 'pod', ip, pod: `${loc.pod.metadata.namespace}/${loc.pod.metadata.name}`, node: loc.node.name };
    if (loc.kind === 'node') return { kind: 'node', ip, node: loc.node.name };
    return { kind: 'external', ip };
  }

  /** The source address the kernel picks: the pod's IP; on a node, the route's device address. */
  #sourceAddress(loc: Loc, dst: string): string {
    if (loc.kind === 'pod') return loc.ip;
    if (loc.kind === 'external') return loc.ip;
    const h = loc.node;
    if (h.addrType(dst) === 'LOCAL') return dst.startsWith('127.') ? '127.0.0.1' : dst;
    const r = h.lookupRoute(dst);
    return (r?.src ?? (r ? h.primaryAddress(r.dev) : undefined)) ?? h.ip;
  }

  /** The next ephemeral port of a source address (Linux: 32768–60999), deterministic per address. */
  #ephemeral(ip: string): number {
    const cur = this.#peekEphemeral(ip);
    if (this.#dry) return cur;
    const next = cur >= 60999 ? 32768 : cur + 1;
    this.#ports.set(ip, next);
    return cur;
  }

  #peekEphemeral(ip: string): number {
    return this.#ports.get(ip) ?? 32768 + (fnv(ip) % 20000);
  }

  /** Traffic from the docker network to `ip`: the node that owns it, or a node the cloud LB picks. */
  #externalEntry(ip: string): NodeHost | undefined {
    const owner = this.#nodesByIp.get(ip);
    if (owner) return this.d.host(owner);
    const hosts = [...this.d.hosts()];
    const direct = hosts.find((h) => h.addrType(ip) === 'LOCAL');
    if (direct) return direct;
    const svc = (this.d.store.list('Service') as Service[]).find((s) => s.status?.loadBalancer?.ingress?.some((i) => i.ip === ip));
    if (!svc) return undefined;
    // externalTrafficPolicy Local: the LB's health checks (healthCheckNodePort) keep only nodes with a ready local endpoint.
    let candidates = hosts.filter((h) => (this.d.store.get('Node', undefined, h.name) as Node | undefined)?.spec.unschedulable !== true);
    if (svc.spec.externalTrafficPolicy === 'Local') {
      const nodes = new Set<string>();
      for (const sl of this.d.store.list('EndpointSlice', svc.metadata.namespace) as KubeObject[]) {
        const s = sl as unknown as { metadata: { labels?: Record<string, string> }; endpoints?: { nodeName?: string; conditions?: { ready?: boolean } }[] };
        if (s.metadata.labels?.['kubernetes.io/service-name'] !== svc.metadata.name) continue;
        for (const e of s.endpoints ?? []) if (e.nodeName && e.conditions?.ready !== false) nodes.add(e.nodeName);
      }
      candidates = candidates.filter((h) => nodes.has(h.name));
    }
    if (candidates.length === 0) return undefined;
    const pick = candidates[this.#lbNext % candidates.length];
    if (!this.#dry) this.#lbNext++;
    return pick;
  }

  // ---------- NetworkPolicy ----------

  #index(cni: CniName): NetpolIndex {
    const cached = this.#netpol.get(cni);
    if (cached?.version === this.#netpolVersion) return cached.index;
    const s = this.d.store;
    const index = buildNetpolIndex({
      policies: s.list('NetworkPolicy') as NetworkPolicy[], pods: s.list('Pod') as Pod[], namespaces: s.list('Namespace') as Namespace[],
      nodes: s.list('Node') as Node[], cni,
    });
    this.#netpol.set(cni, { version: this.#netpolVersion, index });
    return index;
  }

  /**
   * Who enforces NetworkPolicy on this node. flannel does not, but Calico's policy-only
   * agent (calico-node's Felix, as Canal installs it next to flannel) does, on each node
   * where its pod runs: the verdict follows the agent's Running pod, node by node, as a
   * DaemonSet rolls out.
   */
  #cniOn(host: NodeHost): CniName {
    const cni = this.d.config.cni as CniName;
    if (cni !== 'flannel') return cni;
    for (const pod of this.d.store.list('Pod') as Pod[]) {
      if (pod.spec.nodeName !== host.name || pod.status?.phase !== 'Running') continue;
      if (pod.spec.containers.some((c) => POLICY_AGENTS.has(repository(c.image)) && this.d.isRunning(pod, c.name))) return 'calico';
    }
    return cni;
  }

  #policy(dir: 'Egress' | 'Ingress', host: NodeHost, pod: Pod, pkt: Packet): DirectionVerdict {
    const protocol = pkt.proto === 'udp' ? 'UDP' : pkt.proto === 'sctp' ? 'SCTP' : 'TCP';
    // ICMP: NetworkPolicy names only TCP/UDP/SCTP ports; an isolated pod's ICMP is allowed only by a rule without ports.
    const port = pkt.proto === 'icmp' ? 0 : pkt.dport ?? 0;
    // Any address of the pod's own node counts as that node ("traffic to and from the node where
    // a Pod is running is always allowed, regardless of the IP address of the Pod or the node",
    // kubernetes.io NetworkPolicy page): its InternalIP, and the CNI bridge address a hairpin
    // connection to the pod's own Service is masqueraded to.
    const peer = (ip: string) => (host.addrType(ip) === 'LOCAL' && !this.#podsByIp.has(ip) ? { node: host.name, ip } : { ip });
    const index = this.#index(this.#cniOn(host));
    if (dir === 'Egress') return evaluateDirection(index, 'Egress', { source: { pod }, destination: peer(pkt.dst), port, protocol });
    return evaluateDirection(index, 'Ingress', { source: peer(pkt.src), destination: { pod, ip: pkt.dst }, port, protocol });
  }

  // ---------- who listens ----------

  #podListener(pod: Pod, port: number, protocol: string): { container?: string; answer(p: Payload | undefined, client: { ip: string; port: number }): Reply | undefined } | undefined {
    for (const c of pod.spec.containers) {
      if (!this.d.isRunning(pod, c.name)) continue;
      const st = this.d.appState(pod, c.name);
      if (!st.listening) continue;
      if (!appFor(c).listens.some((l) => l.port === port && l.protocol === protocol)) continue;
      return { container: c.name, answer: (p, client) => this.#answer(pod, c, st, p, client, port, protocol as 'TCP' | 'UDP' | 'SCTP') };
    }
    return undefined;
  }

  #answer(pod: Pod, c: Container, st: Readonly<AppState>, payload: Payload | undefined, client: { ip: string; port: number }, port: number, protocol: 'TCP' | 'UDP' | 'SCTP'): Reply | undefined {
    const now = this.d.clock.now();
    const failing: { path: string; status: number }[] = [];
    const probePath = (p: Container['readinessProbe']) => (p?.httpGet && (p.httpGet.port === port || c.ports?.some((cp) => cp.name === p.httpGet!.port && cp.containerPort === port)) ? p.httpGet.path ?? '/' : undefined);
    if (!st.ready) { const path = probePath(c.readinessProbe); if (path) failing.push({ path, status: 503 }); }
    if (!st.live) { const path = probePath(c.livenessProbe); if (path) failing.push({ path, status: 500 }); }
    const reply = serve(c, payload, {
      podName: pod.metadata.name, now, client, port, protocol, failing,
      dns: (q) => (protocol === 'SCTP' ? undefined : this.#coredns(pod, q.message, client, protocol)),
    });
    if (payload?.kind === 'http' && reply?.kind === 'http' && !this.#dry) {
      this.d.recordAccess(pod, c.name, {
        remoteAddr: client.ip, method: payload.method, path: payload.path, status: reply.status,
        bytes: payload.method === 'HEAD' ? 0 : utf8Length(reply.body), ...(payload.userAgent ? { userAgent: payload.userAgent } : {}),
      });
    }
    return reply;
  }

  #coredns(pod: Pod, query: DnsMessage, client: { ip: string; port: number }, protocol: 'TCP' | 'UDP'): Reply | undefined {
    if (this.#dry) return this.#corednsProbe(query, client, protocol);
    const uid = pod.metadata.uid;
    let cached = this.#dns.get(uid);
    if (!cached || cached.version !== this.#dnsVersion) {
      const s = this.d.store;
      const cm = s.get('ConfigMap', 'kube-system', 'coredns') as ConfigMap | undefined;
      const corefile = cm?.data?.['Corefile'] ?? '';
      const data = dnsDataFrom([...s.list('Service'), ...s.list('EndpointSlice'), ...s.list('Pod'), ...s.list('Namespace')]);
      if (cached && cached.corefile === corefile) {
        // The same server sees the new objects; its cache keeps what it stored (per pod, as each replica has its own).
        cached.server.update(data);
        cached.version = this.#dnsVersion;
      } else {
        let server: CoreDns;
        try {
          server = new CoreDns(data, { corefile, rng: this.#rng });
        } catch {
          return undefined; // a Corefile CoreDNS cannot load: it serves nothing
        }
        cached = { version: this.#dnsVersion, corefile, server };
        this.#dns.set(uid, cached);
      }
    }
    const r = cached.server.handle(query, { clientIP: client.ip, clientPort: client.port, proto: protocol === 'TCP' ? 'tcp' : 'udp', nowMs: this.d.clock.now() });
    const container = pod.spec.containers.find((c) => c.name === 'coredns') ?? pod.spec.containers[0]!;
    for (const line of r.logLines) this.d.appendLog(pod, container.name, line);
    return { kind: 'dns', message: r.response };
  }

  /**
   * A probe's answer, from a CoreDNS of the probes' own (rebuilt when the DNS data changes,
   * like the real ones), so the real servers' caches, logs and PRNG are untouched. Its PRNG
   * starts afresh for every query, so a probe's answer never depends on earlier probes.
   */
  #corednsProbe(query: DnsMessage, client: { ip: string; port: number }, protocol: 'TCP' | 'UDP'): Reply | undefined {
    if (this.#probeDns?.version !== this.#dnsVersion) {
      const s = this.d.store;
      const cm = s.get('ConfigMap', 'kube-system', 'coredns') as ConfigMap | undefined;
      const objects = [...s.list('Service'), ...s.list('EndpointSlice'), ...s.list('Pod'), ...s.list('Namespace')];
      const holder = { rng: createRng(1) };
      const rng: Rng = { next: () => holder.rng.next(), int: (n) => holder.rng.int(n), string: (l, a) => holder.rng.string(l, a) };
      let server: CoreDns | undefined;
      try {
        server = new CoreDns(dnsDataFrom(objects), { corefile: cm?.data?.['Corefile'] ?? '', rng });
      } catch {
        server = undefined; // a Corefile CoreDNS cannot load: it serves nothing
      }
      this.#probeDns = { version: this.#dnsVersion, server, reseed: () => void (holder.rng = createRng(1)) };
    }
    const { server, reseed } = this.#probeDns;
    if (!server) return undefined;
    reseed();
    const r = server.handle(query, { clientIP: client.ip, clientPort: client.port, proto: protocol === 'TCP' ? 'tcp' : 'udp', nowMs: this.d.clock.now() });
    return { kind: 'dns', message: r.response };
  }

  /** Processes on a node's host network: the kubelet, kube-proxy's health server, the control plane, and hostNetwork pods' apps. */
  #nodeListener(host: NodeHost, port: number, protocol: string): { container?: string; answer(p: Payload | undefined, client: { ip: string; port: number }): Reply | undefined } | undefined {
    const kubeProxy = protocol === 'TCP' ? this.d.kubeProxyServer?.(host.name, port) : undefined;
    if (kubeProxy) return { answer: (p) => (p?.kind === 'http' ? { kind: 'http', ...kubeProxy(p.path) } : undefined) };
    for (const pod of this.d.store.list('Pod') as Pod[]) {
      if (!pod.spec.hostNetwork || pod.spec.nodeName !== host.name) continue;
      const l = this.#podListener(pod, port, protocol);
      if (l) return l;
    }
    const node = this.d.store.get('Node', undefined, host.name) as Node | undefined;
    const controlPlane = node?.metadata.labels?.['node-role.kubernetes.io/control-plane'] !== undefined;
    const system = protocol === 'TCP' && (port === 10250 || (controlPlane && [6443, 2379, 2380, 10257, 10259].includes(port)));
    if (!system) return undefined;
    return {
      answer: (p) => {
        if (p?.kind !== 'http') return undefined;
        return { kind: 'http', status: 400, reason: 'Bad Request', headers: [], body: 'Client sent an HTTP request to an HTTPS server.\n' };
      },
    };
  }

  // ---------- DNS from a pod or node ----------

  /**
   * The resolver a process in `from` uses: its /etc/resolv.conf and an Exchange that sends
   * each query as a UDP datagram from one socket (one source port per lookup, as musl,
   * glibc and busybox do) to the nameserver, through the data path.
   */
  resolver(from: ConnectFrom, conf?: ResolvConf): ResolverEnv & { traces: Trace[] } {
    const resolv = conf ?? this.resolvConf(from);
    const src = this.#source(from);
    const srcIp = 'loc' in src ? this.#sourceAddress(src.loc, resolv.nameservers[0] ?? '127.0.0.1') : '';
    const sport = this.#ephemeral(srcIp);
    const traces: Trace[] = [];
    const exchange: Exchange = (query, server) => {
      const q = query.question[0];
      const r = this.connect({ from, to: { ip: server, port: 53, protocol: 'UDP' }, payload: { kind: 'dns', message: query }, sport, ...(q ? { note: `DNS query ${q.type} ${q.name}` } : {}) });
      traces.push(r.trace);
      return r.outcome === 'connected' && r.response?.kind === 'dns' ? r.response.message : 'timeout';
    };
    return { conf: resolv, exchange, nextId: () => this.#rng.int(65536), traces };
  }

  /** The /etc/resolv.conf a pod (by the kubelet's rules) or a node (kind's) has. */
  resolvConf(from: ConnectFrom): ResolvConf {
    if ('pod' in from) {
      const pod = this.d.store.get('Pod', from.pod.namespace, from.pod.name) as Pod | undefined;
      const hit = pod && this.#resolvCache.get(pod);
      if (hit) return { nameservers: [...hit.nameservers], search: [...hit.search], options: [...hit.options] };
    }
    const dnsSvc = this.d.store.get('Service', 'kube-system', 'kube-dns') as Service | undefined;
    const inputs = { clusterDomain: this.d.config.clusterDomain, clusterDNS: dnsSvc?.spec.clusterIP ?? '10.96.0.10' };
    if ('pod' in from) {
      const pod = this.d.store.get('Pod', from.pod.namespace, from.pod.name) as Pod | undefined;
      if (pod) {
        const conf = podResolvConf(pod, inputs);
        this.#resolvCache.set(pod, conf);
        return { nameservers: [...conf.nameservers], search: [...conf.search], options: [...conf.options] };
      }
    }
    // A kind node (and the workstation, for our purposes): Docker's embedded DNS via the gateway.
    return { nameservers: [WORKSTATION_IP], search: [], options: ['ndots:0'] };
  }

  #emit(t: Trace): void {
    if (this.#dry) return;
    for (const l of this.#listeners) l(t);
  }
}

// ---------- helpers ----------

function sameLabels(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ka = Object.keys(a ?? {}), kb = Object.keys(b ?? {});
  return ka.length === kb.length && ka.every((k) => a![k] === b?.[k]);
}

function gatewayOf(node: NodeHost, veth: string): string {
  return node.primaryAddress(veth) ?? '';
}

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c < 0xdc00 ? (i++, 4) : 3;
  }
  return n;
}

function nodeHop(host: NodeHost, leg: 'request' | 'reply', origin: 'in' | 'local', before: Packet, r: NodeEvalResult): NodeHop {
  // The entry as it stands once the request passed (the formatter shows it for requests only).
  const entry = r.conntrack.id && leg === 'request' && r.verdict === 'ACCEPT' ? ctEntry(host, before) : undefined;
  const hop: NodeHop = {
    kind: 'node', node: host.name, leg, origin,
    ...(before.inIface ? { inIface: before.inIface } : {}),
    ...(r.packet.outIface ? { outIface: r.packet.outIface } : {}),
    before: view(before), after: view(r.packet),
    // The evaluator's steps are plain data already (hook, table, chain, rule, text, action).
    rules: r.trace,
    rulesEvaluated: r.rulesEvaluated,
    conntrack: { state: r.conntrack.state, direction: r.conntrack.direction, ...(r.conntrack.id ? { id: r.conntrack.id } : {}), ...(entry ? { entry: host.conntrack.format(entry) } : {}) },
    verdict: r.verdict,
    ...(r.rejectWith ? { rejectWith: r.rejectWith } : {}),
    ...(r.delivered ? { delivered: r.delivered } : {}),
    ...(r.droppedAt ? { droppedAt: `${r.droppedAt.hook} ${r.droppedAt.table}/${r.droppedAt.chain} rule ${r.droppedAt.rule}` } : {}),
  };
  if (r.ipvs) hop.ipvs = { service: r.ipvs.service, ...(r.ipvs.dest ? { realServer: r.ipvs.dest } : {}), persisted: r.ipvs.persisted, existing: r.ipvs.existing };
  return hop;
}

const PROTO_NUM: Record<string, number> = { tcp: 6, udp: 17, sctp: 132, icmp: 1 };

/** The conntrack entry a packet belongs to (by its tuple, as the kernel finds it). */
function ctEntry(host: NodeHost, p: Packet) {
  const proto = typeof p.proto === 'number' ? p.proto : PROTO_NUM[p.proto] ?? 0;
  const src = parseIPv4(p.src), dst = parseIPv4(p.dst);
  if (src === undefined || dst === undefined) return undefined;
  return host.conntrack.lookup({ proto, src, dst, sport: p.sport ?? 0, dport: proto === 1 ? (p.sport ?? 0) : (p.dport ?? 0) })?.entry;
}

function policyHop(host: NodeHost, v: DirectionVerdict): Hop {
  return {
    kind: 'policy', node: host.name, direction: v.direction, allowed: v.allowed, reason: v.reason, isolatedBy: [...v.isolatedBy],
    ...(v.allowedBy ? { allowedBy: `${v.allowedBy.namespace}/${v.allowedBy.policy} ${v.allowedBy.path}` } : {}),
    message: v.message,
  };
}

function natNote(ip: string, port: number | undefined, pkt: Packet, protocol: string): string {
  if (pkt.dst === ip && (protocol === 'ICMP' || pkt.dport === port)) return '';
  return ` (DNAT ${ip}${port !== undefined && protocol !== 'ICMP' ? `:${port}` : ''} -> ${pkt.dst}${protocol !== 'ICMP' ? `:${pkt.dport}` : ''})`;
}

function describeReply(r: Reply): string {
  if (r.kind === 'http') return `HTTP ${r.status} ${r.reason}, ${utf8Length(r.body)} bytes`;
  if (r.kind === 'dns') return `DNS ${r.message.rcode}, ${r.message.answer.length} answer${r.message.answer.length === 1 ? '' : 's'}`;
  return `${utf8Length(r.text)} bytes`;
}

/** The exchange's round trip in the latency model: 20 µs per node walk, 100 µs per cable, 10 µs per veth. */
function rtt(hops: Hop[]): number {
  let us = 0;
  for (const h of hops) {
    if (h.kind === 'node') us += 20;
    else if (h.kind === 'wire') us += h.from.startsWith('pod ') || h.to.startsWith('pod ') ? 10 : 100;
  }
  return us;
}
