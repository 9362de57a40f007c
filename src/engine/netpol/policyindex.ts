/**
 * The evaluator's index, built once per change of policies/pods/namespaces/nodes:
 * policies compiled and grouped by namespace (sorted by name, so explanations are stable),
 * pods by namespace/name, by namespace and by IP, namespace labels, node addresses. Which
 * policies select a pod is computed on first use and remembered per pod object (the store
 * hands out frozen snapshots, so an object's labels never change under us).
 */
import type { Labels, Namespace, NetworkPolicy, Node, Pod } from '../model/types';
import { matches } from '../model/labels';
import { parseIPv4 } from '../core/ip';
import { compilePolicy, type CompiledPolicy } from './compile';
import type { CniName, NetpolInput } from './types';

/** The label the API server puts on every namespace (immutable, since v1.22). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export interface CniProfile {
  name: CniName;
  /** Does the plugin implement NetworkPolicy at all? */
  enforces: boolean;
  /**
   * Does an ipBlock match addresses that belong to the cluster (pod and node IPs)? kindnet
   * (kube-network-policies) and Calico match any address in the CIDR, which is what the
   * upstream e2e "egress access to server in CIDR block" tests expect; Cilium's CIDR rules
   * select only peers outside the cluster ("world"), so a pod or node IP never matches one.
   */
  ipBlockMatchesClusterIPs: boolean;
}

export const CNI_PROFILES: Readonly<Record<CniName, CniProfile>> = {
  kindnet: { name: 'kindnet', enforces: true, ipBlockMatchesClusterIPs: true },
  calico: { name: 'calico', enforces: true, ipBlockMatchesClusterIPs: true },
  cilium: { name: 'cilium', enforces: true, ipBlockMatchesClusterIPs: false },
  flannel: { name: 'flannel', enforces: false, ipBlockMatchesClusterIPs: true },
};

interface Selection {
  ingress: CompiledPolicy[];
  egress: CompiledPolicy[];
}

const EMPTY: readonly CompiledPolicy[] = Object.freeze([]);

const isTerminal = (p: Pod) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

export class NetpolIndex {
  readonly cni: CniProfile;
  readonly policies: readonly CompiledPolicy[];
  private readonly byNamespace = new Map<string, CompiledPolicy[]>();
  private readonly nsLabels = new Map<string, Labels>();
  private readonly podsByKey = new Map<string, Pod>();
  private readonly podsByNs = new Map<string, Pod[]>();
  private readonly podsByIp = new Map<string, Pod>();
  private readonly nodeIps = new Map<string, string>();
  private readonly nodeByIp = new Map<string, string>();
  private readonly selection = new WeakMap<Pod, Selection>();

  constructor(input: NetpolInput) {
    this.cni = CNI_PROFILES[input.cni ?? 'kindnet'] ?? CNI_PROFILES.kindnet;
    const compiled = input.policies.map(compilePolicy);
    compiled.sort((a, b) => cmp(a.namespace, b.namespace) || cmp(a.name, b.name));
    this.policies = compiled;
    for (const p of compiled) {
      let list = this.byNamespace.get(p.namespace);
      if (!list) this.byNamespace.set(p.namespace, (list = []));
      list.push(p);
    }
    for (const ns of input.namespaces) this.nsLabels.set(ns.metadata.name, namespaceLabels(ns));
    for (const pod of input.pods) {
      const ns = pod.metadata.namespace ?? 'default';
      this.podsByKey.set(`${ns}/${pod.metadata.name}`, pod);
      let list = this.podsByNs.get(ns);
      if (!list) this.podsByNs.set(ns, (list = []));
      list.push(pod);
      // hostNetwork pods share their node's IP: that address identifies the node, not them.
      const ip = pod.status?.podIP;
      if (ip && !pod.spec?.hostNetwork) {
        const prev = this.podsByIp.get(ip);
        if (!prev || (isTerminal(prev) && !isTerminal(pod))) this.podsByIp.set(ip, pod);
      }
    }
    for (const node of input.nodes ?? []) this.addNode(node);
  }

  private addNode(node: Node) {
    const addrs = node.status?.addresses ?? [];
    const internal = addrs.find((a) => a.type === 'InternalIP')?.address;
    if (internal) this.nodeIps.set(node.metadata.name, internal);
    for (const a of addrs) if (a.type !== 'Hostname') this.nodeByIp.set(a.address, node.metadata.name);
  }

  /** Namespace labels including kubernetes.io/metadata.name (set by the API server on every namespace). */
  namespaceLabels(ns: string): Labels {
    let l = this.nsLabels.get(ns);
    if (!l) {
      l = { [NAMESPACE_NAME_LABEL]: ns };
      this.nsLabels.set(ns, l);
    }
    return l;
  }

  pod(ns: string, name: string): Pod | undefined {
    return this.podsByKey.get(`${ns}/${name}`);
  }

  podByIp(ip: string): Pod | undefined {
    return this.podsByIp.get(ip);
  }

  nodeByAddress(ip: string): string | undefined {
    return this.nodeByIp.get(ip);
  }

  nodeAddress(node: string): string | undefined {
    return this.nodeIps.get(node);
  }

  /** Policies in the pod's namespace whose podSelector selects it, by policy type, sorted by name. */
  selecting(pod: Pod): Selection {
    let s = this.selection.get(pod);
    if (s) return s;
    const ingress: CompiledPolicy[] = [];
    const egress: CompiledPolicy[] = [];
    const labels = pod.metadata.labels ?? {};
    for (const p of this.byNamespace.get(pod.metadata.namespace ?? 'default') ?? EMPTY) {
      if (!matches(p.podSelector, labels)) continue;
      if (p.ingress) ingress.push(p);
      if (p.egress) egress.push(p);
    }
    s = { ingress, egress };
    if (Object.isFrozen(pod) || this.podsByKey.get(`${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`) === pod) {
      this.selection.set(pod, s);
    }
    return s;
  }

  /** The pods a policy's podSelector selects (`kubectl describe networkpolicy`'s "PodSelector" made concrete). */
  podsSelectedBy(policy: NetworkPolicy | CompiledPolicy): Pod[] {
    const c = 'podSelector' in policy && Array.isArray(policy.podSelector) ? (policy as CompiledPolicy) : compilePolicy(policy as NetworkPolicy);
    return (this.podsByNs.get(c.namespace) ?? []).filter((p) => matches(c.podSelector, p.metadata.labels ?? {}));
  }

  /** The compiled policies of one namespace, sorted by name. */
  policiesIn(ns: string): readonly CompiledPolicy[] {
    return this.byNamespace.get(ns) ?? EMPTY;
  }

  /** Numeric form of an address (undefined when it is not IPv4). */
  static ipNumber(ip: string | null | undefined): number | undefined {
    return ip ? parseIPv4(ip) : undefined;
  }
}

function namespaceLabels(ns: Namespace): Labels {
  const labels = ns.metadata.labels ?? {};
  if (labels[NAMESPACE_NAME_LABEL] === ns.metadata.name) return labels;
  return { ...labels, [NAMESPACE_NAME_LABEL]: ns.metadata.name };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function buildNetpolIndex(input: NetpolInput): NetpolIndex {
  return new NetpolIndex(input);
}
