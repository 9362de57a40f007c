/**
 * NetworkPolicy (networking.k8s.io/v1) evaluation for one new flow, with the reason.
 *
 * Semantics (kubernetes.io/docs/concepts/services-networking/network-policies and the API
 * reference; checked against the upstream e2e suite test/e2e/network/netpol):
 * - A pod is isolated for a direction only when some policy in its namespace selects it and
 *   has that policy type (policyTypes defaulted as the API server does). Unisolated: allowed.
 * - Isolated: allowed only if some rule of some selecting policy matches — allows add up
 *   across policies, and there are no deny rules, so the order of policies does not matter.
 * - A rule matches when one of its peers matches (no peers: all) and one of its ports
 *   matches (no ports: all ports, all protocols).
 * - Peers: podSelector alone = pods in the policy's namespace; namespaceSelector alone = all
 *   pods of the selected namespaces; both in one peer = AND; ipBlock = the packet's address
 *   (the source for ingress, the destination after DNAT for egress — the pod IP, never a
 *   ClusterIP) inside cidr and outside every except.
 * - Ports: protocol (default TCP) must equal the packet's; a number (to endPort, inclusive);
 *   a name, resolved on the destination pod's container ports (name, protocol and number
 *   must all agree — upstream kube-network-policies' evaluatePorts does the same); no port:
 *   every port of that protocol.
 * - Traffic between a pod and its own node is always allowed (kubelet probes,
 *   hostNetwork pods on that node), and a pod cannot block access to itself.
 * - hostNetwork pods are treated as their node, the most common implementation the docs
 *   describe: selectors never match them, only an ipBlock containing the node's IP does.
 * - The verdict is for a new flow; replies and later packets of an allowed flow pass by
 *   conntrack and are never evaluated.
 */
import type { Pod, Protocol } from '../model/types';
import { matches } from '../model/labels';
import { cidrContains } from '../core/ip';
import type { CompiledPeer, CompiledPolicy, CompiledPort } from './compile';
import { NetpolIndex } from './policyindex';
import type { Direction, DirectionReason, DirectionVerdict, EndpointInfo, Flow, FlowEndpoint, NetpolInput, RuleMatch, Verdict } from './types';

/** An end of the flow, resolved against the index. */
interface Resolved {
  info: EndpointInfo;
  /** Set only for a pod on the pod network (kind `pod`). */
  pod: Pod | null;
  ns: string | null;
  ipNum: number | undefined;
}

function isPodObject(p: unknown): p is Pod {
  return typeof p === 'object' && p !== null && 'metadata' in p;
}

export function resolveEndpoint(index: NetpolIndex, ep: FlowEndpoint): Resolved {
  if ('pod' in ep) {
    let pod: Pod | undefined;
    if (isPodObject(ep.pod)) pod = ep.pod;
    else {
      pod = index.pod(ep.pod.namespace, ep.pod.name);
      if (!pod) throw new Error(`netpol: no pod ${ep.pod.namespace}/${ep.pod.name} in the index`);
    }
    const ns = pod.metadata.namespace ?? 'default';
    const key = `${ns}/${pod.metadata.name}`;
    const node = pod.spec?.nodeName ?? null;
    if (pod.spec?.hostNetwork) {
      const ip = ep.ip ?? pod.status?.podIP ?? (node ? index.nodeAddress(node) : undefined) ?? null;
      return { info: { kind: 'node', ip, pod: key, node }, pod: null, ns: null, ipNum: NetpolIndex.ipNumber(ip) };
    }
    const ip = ep.ip ?? pod.status?.podIP ?? null;
    return { info: { kind: 'pod', ip, pod: key, node }, pod, ns, ipNum: NetpolIndex.ipNumber(ip) };
  }
  if ('node' in ep) {
    const ip = ep.ip ?? index.nodeAddress(ep.node) ?? null;
    return { info: { kind: 'node', ip, pod: null, node: ep.node }, pod: null, ns: null, ipNum: NetpolIndex.ipNumber(ip) };
  }
  const pod = index.podByIp(ep.ip);
  if (pod) return resolveEndpoint(index, { pod, ip: ep.ip });
  const node = index.nodeByAddress(ep.ip);
  if (node) return { info: { kind: 'node', ip: ep.ip, pod: null, node }, pod: null, ns: null, ipNum: NetpolIndex.ipNumber(ep.ip) };
  return { info: { kind: 'external', ip: ep.ip, pod: null, node: null }, pod: null, ns: null, ipNum: NetpolIndex.ipNumber(ep.ip) };
}

function peerMatches(index: NetpolIndex, peer: CompiledPeer, policyNs: string, e: Resolved): boolean {
  if (peer.none) return false;
  if (peer.ipBlock) {
    if (e.ipNum === undefined) return false;
    if (!index.cni.ipBlockMatchesClusterIPs && e.info.kind !== 'external') return false;
    if (!cidrContains(peer.ipBlock.cidr, e.ipNum)) return false;
    for (const x of peer.ipBlock.except) if (cidrContains(x, e.ipNum)) return false;
    return true;
  }
  if (!e.pod) return false; // selectors select pods on the pod network only
  const labels = e.pod.metadata.labels ?? {};
  if (peer.ns) {
    if (!matches(peer.ns, index.namespaceLabels(e.ns!))) return false;
    return !peer.pod || matches(peer.pod, labels);
  }
  return e.ns === policyNs && matches(peer.pod!, labels);
}

function portMatches(p: CompiledPort, port: number, protocol: Protocol, dest: Pod | null): boolean {
  if (p.protocol !== protocol) return false;
  if (p.name !== undefined) {
    if (!dest) return false; // a named port means nothing for a destination that is not a pod
    for (const c of dest.spec?.containers ?? []) {
      for (const cp of c.ports ?? []) {
        if (cp.name === p.name && (cp.protocol ?? 'TCP') === protocol && cp.containerPort === port) return true;
      }
    }
    return false;
  }
  if (p.port === undefined) return true;
  if (p.endPort !== undefined) return port >= p.port && port <= p.endPort;
  return port === p.port;
}

function findRule(
  index: NetpolIndex,
  policies: readonly CompiledPolicy[],
  dir: Direction,
  peer: Resolved,
  port: number,
  protocol: Protocol,
  dest: Pod | null,
): RuleMatch | null {
  for (const pol of policies) {
    const rules = dir === 'Ingress' ? pol.ingress : pol.egress;
    if (!rules) continue;
    for (let r = 0; r < rules.length; r++) {
      const rule = rules[r]!;
      let portIdx: number | null = null;
      if (rule.ports) {
        portIdx = -1;
        for (let i = 0; i < rule.ports.length; i++) {
          if (portMatches(rule.ports[i]!, port, protocol, dest)) {
            portIdx = i;
            break;
          }
        }
        if (portIdx < 0) continue;
      }
      let peerIdx: number | null = null;
      if (rule.peers) {
        peerIdx = -1;
        for (let i = 0; i < rule.peers.length; i++) {
          if (peerMatches(index, rule.peers[i]!, pol.namespace, peer)) {
            peerIdx = i;
            break;
          }
        }
        if (peerIdx < 0) continue;
      }
      return ruleMatch(pol, dir, r, peerIdx, portIdx);
    }
  }
  return null;
}

function ruleMatch(pol: CompiledPolicy, direction: Direction, rule: number, peer: number | null, port: number | null): RuleMatch {
  const field = direction === 'Ingress' ? 'ingress' : 'egress';
  const peers = direction === 'Ingress' ? 'from' : 'to';
  const path = `spec.${field}[${rule}]: ${peer === null ? `any peer` : `${peers}[${peer}]`}, ${port === null ? 'any port' : `ports[${port}]`}`;
  return { namespace: pol.namespace, policy: pol.name, direction, rule, peer, port, path };
}

function describe(e: Resolved): string {
  const i = e.info;
  if (i.kind === 'pod') return i.ip ? `${i.pod} (${i.ip})` : i.pod!;
  if (i.pod) return `${i.pod} (hostNetwork on ${i.node ?? '?'}${i.ip ? `, ${i.ip}` : ''})`;
  if (i.kind === 'node') return `node ${i.node}${i.ip ? ` (${i.ip})` : ''}`;
  return i.ip ?? 'an unknown address';
}

function direction(
  index: NetpolIndex,
  dir: Direction,
  self: Resolved,
  other: Resolved,
  port: number,
  protocol: Protocol,
  dest: Resolved,
): DirectionVerdict {
  const word = dir === 'Ingress' ? 'ingress to' : 'egress from';
  const otherWord = dir === 'Ingress' ? 'from' : 'to';
  const mk = (allowed: boolean, reason: DirectionReason, message: string, isolatedBy: string[] = [], allowedBy: RuleMatch | null = null): DirectionVerdict => ({
    direction: dir,
    pod: self.info.kind === 'pod' ? self.info.pod : null,
    allowed,
    reason,
    isolatedBy,
    allowedBy,
    message,
  });
  if (!index.cni.enforces) return mk(true, 'not-enforced', `${dir.toLowerCase()} not checked: CNI ${index.cni.name} does not enforce NetworkPolicy`);
  if (!self.pod) {
    const what = dir === 'Ingress' ? 'destination' : 'source';
    return mk(true, 'not-a-pod', `${dir.toLowerCase()} not checked: the ${what} ${describe(self)} is not a pod on the pod network`);
  }
  const me = self.info.pod!;
  if (other.pod && other.info.pod === me) return mk(true, 'same-pod', `${word} ${me} allowed: a pod cannot block access to itself`);
  if (other.info.kind === 'node' && other.info.node && other.info.node === self.info.node) {
    return mk(true, 'node-local', `${word} ${me} allowed: traffic ${otherWord} its own node (${self.info.node}) is always allowed`);
  }
  const sel = index.selecting(self.pod);
  const policies = dir === 'Ingress' ? sel.ingress : sel.egress;
  if (policies.length === 0) return mk(true, 'not-isolated', `${word} ${me} allowed: no NetworkPolicy selects it for ${dir}`);
  const names = policies.map((p) => p.name);
  const hit = findRule(index, policies, dir, other, port, protocol, dest.pod);
  if (hit) return mk(true, 'allowed-by-rule', `${word} ${me} allowed by NetworkPolicy ${hit.namespace}/${hit.policy} ${hit.path}`, names, hit);
  return mk(false, 'no-rule-allows', `${word} ${me} denied: isolated by ${names.join(', ')}; no rule allows ${protocol} port ${port} ${otherWord} ${describe(other)}`, names);
}

/** Evaluate a new flow against an index (build it once with `buildNetpolIndex`). */
export function evaluateFlowIndexed(index: NetpolIndex, flow: Flow): Verdict {
  const protocol: Protocol = flow.protocol ?? 'TCP';
  const src = resolveEndpoint(index, flow.source);
  const dst = resolveEndpoint(index, flow.destination);
  const egress = direction(index, 'Egress', src, dst, flow.port, protocol, dst);
  const ingress = direction(index, 'Ingress', dst, src, flow.port, protocol, dst);
  const deniedAt = !egress.allowed ? 'Egress' : !ingress.allowed ? 'Ingress' : null;
  const allowed = deniedAt === null;
  const head = `${protocol} ${describe(src)} -> ${describe(dst)} port ${flow.port}`;
  const message = !index.cni.enforces
    ? `${head}: allowed (CNI ${index.cni.name} does not enforce NetworkPolicy)`
    : allowed
      ? `${head}: allowed (${egress.message}; ${ingress.message})`
      : `${head}: denied (${deniedAt === 'Egress' ? egress.message : ingress.message})`;
  return {
    allowed,
    cni: index.cni.name,
    enforced: index.cni.enforces,
    source: src.info,
    destination: dst.info,
    port: flow.port,
    protocol,
    egress,
    ingress,
    deniedAt,
    message,
  };
}

/**
 * `evaluateFlow({policies, pods, namespaces, nodes?, cni?}, flow)`: the verdict and why.
 * Given raw objects it builds an index first; pass a `NetpolIndex` to evaluate many flows.
 */
export function evaluateFlow(input: NetpolInput | NetpolIndex, flow: Flow): Verdict {
  return evaluateFlowIndexed(input instanceof NetpolIndex ? input : new NetpolIndex(input), flow);
}

/** Just one direction, for a hook that sees one side (egress at the source node, ingress at the destination node). */
export function evaluateDirection(input: NetpolInput | NetpolIndex, dir: Direction, flow: Flow): DirectionVerdict {
  const index = input instanceof NetpolIndex ? input : new NetpolIndex(input);
  const protocol: Protocol = flow.protocol ?? 'TCP';
  const src = resolveEndpoint(index, flow.source);
  const dst = resolveEndpoint(index, flow.destination);
  return dir === 'Egress' ? direction(index, 'Egress', src, dst, flow.port, protocol, dst) : direction(index, 'Ingress', dst, src, flow.port, protocol, dst);
}
