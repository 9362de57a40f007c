/**
 * The data path's public shapes: what a connection asks for, what it gets, and the Trace
 * that says how. Everything in a Trace is plain data (strings, numbers, arrays, plain
 * objects), so it can be JSON-serialised, stored, diffed and drawn by the UI.
 */
import type { DnsMessage } from '../dns';

export type L4 = 'TCP' | 'UDP' | 'SCTP' | 'ICMP';

/** Where a connection starts. */
export type ConnectFrom =
  /** A process in a pod's network namespace (a hostNetwork pod counts as its node's). */
  | { pod: { namespace: string; name: string } }
  /** A process on a node's host network (kubelet, `ssh NODE` then curl). */
  | { node: string }
  /** Outside the cluster: the learner's workstation (kind: the docker host, 172.18.0.1). */
  | { external: true; ip?: string };

export interface ConnectTo {
  /** An IPv4 address (ClusterIP, pod IP, node IP, LoadBalancer IP, anything). */
  ip: string;
  /** TCP/UDP/SCTP destination port; ignored for ICMP. */
  port?: number;
  /** Default TCP. */
  protocol?: L4;
  /** The name the client typed (for the Trace only; resolution is the caller's job). */
  host?: string;
}

/** What the client sends once connected (the first request). */
export type Payload =
  | { kind: 'http'; method: string; path: string; host: string; headers: [string, string][]; userAgent?: string }
  | { kind: 'dns'; message: DnsMessage }
  | { kind: 'bytes'; text: string };

export type Reply =
  | { kind: 'http'; status: number; reason: string; headers: [string, string][]; body: string }
  | { kind: 'dns'; message: DnsMessage }
  | { kind: 'bytes'; text: string };

export interface ConnectRequest {
  from: ConnectFrom;
  to: ConnectTo;
  payload?: Payload;
  /** Client source port (default: the next ephemeral port of the source). */
  sport?: number;
  /** ICMP echo id/sequence (ping). */
  icmp?: { id: number; seq: number };
  /** What the client is doing, for the Trace (`DNS query A web.default.svc.cluster.local.`). */
  note?: string;
}

/**
 * How the attempt ended, as the client's kernel reports it:
 * - connected: handshake done (TCP), a reply came back (UDP, ICMP echo);
 * - refused: TCP RST or ICMP port unreachable (ECONNREFUSED; for UDP only a connected socket
 *   hears it — a resolver's unconnected socket keeps waiting, so DNS treats it as a timeout);
 * - timed-out: nothing came back (a DROP, a NetworkPolicy, a UDP server that does not answer);
 * - no-route: ICMP host unreachable/prohibited or no route (EHOSTUNREACH, "No route to host");
 * - net-unreachable: ICMP net unreachable (ENETUNREACH);
 * - reset: the server accepted and then reset the connection;
 * - bad-source: the source does not exist or has no network (pod not running, no IP).
 */
export type Outcome = 'connected' | 'refused' | 'timed-out' | 'no-route' | 'net-unreachable' | 'reset' | 'bad-source';

/** A packet as one place sees it. */
export interface PacketView {
  src: string;
  dst: string;
  sport?: number;
  dport?: number;
  proto: string;
}

/** One netfilter rule that matched, in walk order. */
export interface RuleHit {
  hook: string;
  table: string;
  chain: string;
  /** 1-based rule number, 0 for a chain policy. */
  rule: number;
  /** As iptables-save prints it (`-A KUBE-SERVICES -d 10.96.12.34/32 -p tcp … -j KUBE-SVC-…`). */
  text: string;
  action: string;
}

/** The walk of one packet through one node's network namespace (NodeHost.evaluate). */
export interface NodeHop {
  kind: 'node';
  node: string;
  /** `request` for the client's packets, `reply` for the server's answer. */
  leg: 'request' | 'reply';
  /** `in`: arrived on an interface (PREROUTING first); `local`: sent by a process on the node (OUTPUT first). */
  origin: 'in' | 'local';
  inIface?: string;
  outIface?: string;
  before: PacketView;
  after: PacketView;
  rules: RuleHit[];
  rulesEvaluated: number;
  ipvs?: { service: string; realServer?: string; persisted: boolean; existing: boolean };
  conntrack: { state: string; direction: string; id?: number; entry?: string };
  verdict: 'ACCEPT' | 'DROP' | 'REJECT';
  rejectWith?: string;
  delivered?: 'local' | 'forward';
  /** Where it was dropped or rejected. */
  droppedAt?: string;
}

/** A NetworkPolicy hook of the CNI (egress at the source node, ingress at the destination node). */
export interface PolicyHop {
  kind: 'policy';
  node: string;
  direction: 'Egress' | 'Ingress';
  allowed: boolean;
  /** DirectionReason of the evaluator (`not-isolated`, `allowed-by-rule`, `no-rule-allows`, `not-enforced`…). */
  reason: string;
  isolatedBy: string[];
  /** `ns/policy spec.ingress[0].from[1] ports[0]` when a rule allowed it. */
  allowedBy?: string;
  message: string;
}

/** Routing out of a network namespace, or a cable between machines. */
export interface WireHop {
  kind: 'wire';
  leg: 'request' | 'reply';
  from: string;
  to: string;
  /** The route taken (`default via 10.244.1.1 dev eth0`, `10.244.2.0/24 via 172.18.0.4 dev eth0`). */
  route?: string;
}

/** What the endpoint's socket layer / application did. */
export interface AppHop {
  kind: 'app';
  /** `pod default/web-…`, `node worker`, `external 172.18.0.1`. */
  where: string;
  container?: string;
  port?: number;
  protocol: string;
  /** The client address as the server saw it (after any SNAT/masquerade). */
  client: string;
  /** `accepted`, `answered`, `rst`, `abort` (SCTP), `icmp-port-unreachable`, `no-answer`, `echo-reply`. */
  action: string;
  /** One line on what it answered (`HTTP 200, 615 bytes`, `DNS NOERROR 1 answer`). */
  answer?: string;
}

export type Hop = NodeHop | PolicyHop | WireHop | AppHop;

export interface TraceEndpoint {
  kind: 'pod' | 'node' | 'external';
  ip: string;
  port?: number;
  /** `namespace/name` of a pod. */
  pod?: string;
  node?: string;
}

export interface Trace {
  protocol: L4;
  /** Engine time (ms) of the first packet. */
  at: number;
  from: TraceEndpoint;
  to: { ip: string; port?: number; host?: string };
  /** What the client was doing (`DNS query A web.default.svc.cluster.local.`). */
  note?: string;
  hops: Hop[];
  outcome: Outcome;
  /** Where the request ended up (the server), when it reached one. */
  endpoint?: TraceEndpoint;
  /** The client address the server saw (`172.18.0.3` when masqueraded). */
  seenClient?: string;
  /** One line for people: `connected to default/web-… (10.244.1.3:80) via DNAT 10.96.12.34:80`. */
  summary: string;
  /** Round-trip time model of the exchange, in microseconds (veth 10 µs, node 20 µs, wire 100 µs). */
  rttUs: number;
}

export interface ConnectionResult {
  outcome: Outcome;
  /** What the server answered (HTTP, DNS, raw bytes), when it answered. */
  response?: Reply;
  trace: Trace;
  /** The client's view of the local address (pod IP or node IP) and port. */
  local: { ip: string; port: number };
}
