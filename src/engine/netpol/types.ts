/**
 * The shapes the NetworkPolicy evaluator takes and returns. Everything is plain data, so a
 * verdict can travel inside a Trace (serialisable, no class instances, no functions).
 */
import type { Namespace, NetworkPolicy, Node, Pod, Protocol } from '../model/types';

/**
 * The cluster's network plugin (ClusterConfig `cni`). kindnet, calico and cilium enforce
 * NetworkPolicy; flannel does not (creating a policy then has no effect, as the docs warn).
 */
export type CniName = 'kindnet' | 'calico' | 'cilium' | 'flannel';

/** What the evaluator reads: the objects as stored (defaulted or not — it defaults again). */
export interface NetpolInput {
  policies: readonly NetworkPolicy[];
  pods: readonly Pod[];
  namespaces: readonly Namespace[];
  /** Lets a bare IP be recognised as a node (host-network traffic). */
  nodes?: readonly Node[];
  /** Default `kindnet`. */
  cni?: CniName;
}

export interface PodRef {
  namespace: string;
  name: string;
}

/**
 * One end of a flow, as the packet shows it at the hook:
 * - `{pod}`: a pod (object or namespace/name). A hostNetwork pod counts as its node.
 *   `ip` overrides the pod's IP (normally `status.podIP`).
 * - `{node}`: a process in a node's host network namespace (kubelet probes, host-network pods).
 * - `{ip}`: an address; resolved to the pod or node that owns it, else cluster-external.
 */
export type FlowEndpoint = { pod: Pod | PodRef; ip?: string } | { node: string; ip?: string } | { ip: string };

/** A new connection (the first packet: a TCP SYN, the first UDP/SCTP datagram). */
export interface Flow {
  source: FlowEndpoint;
  /** After DNAT: a Service's ClusterIP has already become the chosen endpoint's pod IP. */
  destination: FlowEndpoint;
  /** Destination port after DNAT (the targetPort), a number. */
  port: number;
  /** Default TCP. */
  protocol?: Protocol;
}

/** An end of the flow after resolution. */
export interface EndpointInfo {
  /** `pod`: a pod on the pod network; `node`: a node's host network (incl. hostNetwork pods); `external`: anything else. */
  kind: 'pod' | 'node' | 'external';
  ip: string | null;
  /** `namespace/name` of the pod (also set for a hostNetwork pod, whose kind is `node`). */
  pod: string | null;
  /** The node the pod runs on, or the node itself. */
  node: string | null;
}

export type Direction = 'Ingress' | 'Egress';

export type DirectionReason =
  /** The CNI does not implement NetworkPolicy (flannel). */
  | 'not-enforced'
  /** Source and destination are the same pod: a pod cannot block access to itself. */
  | 'same-pod'
  /** This end is not a pod on the pod network (a node, a hostNetwork pod, an external IP): no policy selects it. */
  | 'not-a-pod'
  /** Traffic between a pod and its own node is always allowed. */
  | 'node-local'
  /** No policy selects the pod with this policy type. */
  | 'not-isolated'
  | 'allowed-by-rule'
  | 'no-rule-allows';

/** Which rule allowed the flow: indexes into the policy's spec, as `kubectl describe` would point at it. */
export interface RuleMatch {
  namespace: string;
  policy: string;
  direction: Direction;
  /** Index in spec.ingress / spec.egress. */
  rule: number;
  /** Index in from / to; null when the rule names no peers (every peer matches). */
  peer: number | null;
  /** Index in ports; null when the rule names no ports (every port matches). */
  port: number | null;
  /** `spec.ingress[0].from[1] ports[0]` */
  path: string;
}

export interface DirectionVerdict {
  direction: Direction;
  /** `namespace/name` of the pod whose policies decide this direction (the source for Egress, the destination for Ingress). */
  pod: string | null;
  allowed: boolean;
  reason: DirectionReason;
  /** Names of the policies (in the pod's namespace) that select the pod with this policy type, sorted. */
  isolatedBy: string[];
  allowedBy: RuleMatch | null;
  /** One line for people: `ingress to x/a denied: isolated by deny-all; no rule allows TCP/80 from y/b (10.244.2.13)`. */
  message: string;
}

export interface Verdict {
  allowed: boolean;
  cni: CniName;
  enforced: boolean;
  source: EndpointInfo;
  destination: EndpointInfo;
  port: number;
  protocol: Protocol;
  /** Egress of the source, checked at the source's node. */
  egress: DirectionVerdict;
  /** Ingress of the destination, checked at the destination's node. */
  ingress: DirectionVerdict;
  /** Where the packet is dropped (egress first, in packet order), or null. */
  deniedAt: Direction | null;
  message: string;
}
