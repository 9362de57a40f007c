/**
 * A NetworkPolicy compiled once for fast matching: selectors parsed, CIDRs parsed, the API
 * server's defaulting applied again (a policy straight from a manifest and one read back
 * from the store compile to the same thing).
 */
import type { LabelSelector, NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, Protocol } from '../model/types';
import { fromLabelSelector, type Selector } from '../model/labels';
import { parseCIDR, type ParsedCIDR } from '../core/ip';
import type { Direction } from './types';

export interface CompiledIpBlock {
  cidr: ParsedCIDR;
  except: ParsedCIDR[];
}

export interface CompiledPeer {
  /** Absent: the peer has no podSelector. Empty: `{}` (all pods). */
  pod?: Selector;
  /** Absent: no namespaceSelector (the policy's own namespace). Empty: `{}` (all namespaces). */
  ns?: Selector;
  ipBlock?: CompiledIpBlock;
  /** A peer the API server would reject (no selector, or an unparsable CIDR): matches nothing. */
  none?: boolean;
}

export interface CompiledPort {
  protocol: Protocol;
  /** A number: that port (to `endPort` when set). */
  port?: number;
  endPort?: number;
  /** A named port, resolved on the destination pod's container ports. */
  name?: string;
}

export interface CompiledRule {
  /** null: `from`/`to` empty or missing — every peer. */
  peers: CompiledPeer[] | null;
  /** null: `ports` empty or missing — every port and protocol. */
  ports: CompiledPort[] | null;
}

export interface CompiledPolicy {
  namespace: string;
  name: string;
  source: NetworkPolicy;
  podSelector: Selector;
  /** null when the policy is not of that policy type; [] when it is but allows nothing. */
  ingress: CompiledRule[] | null;
  egress: CompiledRule[] | null;
}

/**
 * policyTypes as the API server defaults them (pkg/apis/networking/v1/defaults.go): when the
 * list is empty or missing, Ingress always, and Egress only if there is at least one egress
 * rule — so `egress: []` alone does not make a policy an Egress policy.
 */
export function effectivePolicyTypes(policy: NetworkPolicy): Direction[] {
  const given = policy.spec?.policyTypes;
  if (Array.isArray(given) && given.length > 0) return given.filter((t) => t === 'Ingress' || t === 'Egress');
  return (policy.spec?.egress?.length ?? 0) > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

function selector(sel: LabelSelector | null | undefined): Selector | undefined {
  if (sel === undefined || sel === null) return undefined;
  return fromLabelSelector(sel);
}

function compileIpBlock(b: { cidr: string; except?: string[] }): CompiledIpBlock | undefined {
  const cidr = parseCIDR(String(b.cidr ?? ''));
  if (!cidr) return undefined;
  const except: ParsedCIDR[] = [];
  for (const e of b.except ?? []) {
    const c = parseCIDR(String(e));
    if (c) except.push(c);
  }
  return { cidr, except };
}

function compilePeer(p: NetworkPolicyPeer): CompiledPeer {
  if (p?.ipBlock) {
    const ipBlock = compileIpBlock(p.ipBlock);
    return ipBlock ? { ipBlock } : { none: true };
  }
  const pod = selector(p?.podSelector);
  const ns = selector(p?.namespaceSelector);
  if (!pod && !ns) return { none: true };
  const out: CompiledPeer = {};
  if (pod) out.pod = pod;
  if (ns) out.ns = ns;
  return out;
}

function compilePort(p: NetworkPolicyPort): CompiledPort {
  // SetDefaults_NetworkPolicyPort: protocol defaults to TCP.
  const out: CompiledPort = { protocol: (p?.protocol ?? 'TCP') as Protocol };
  if (typeof p?.port === 'number') {
    out.port = p.port;
    if (typeof p.endPort === 'number') out.endPort = p.endPort;
  } else if (typeof p?.port === 'string' && p.port !== '') {
    out.name = p.port;
  }
  return out;
}

function compileRules(rules: { from?: NetworkPolicyPeer[]; to?: NetworkPolicyPeer[]; ports?: NetworkPolicyPort[] }[] | undefined, dir: Direction): CompiledRule[] {
  return (rules ?? []).map((r) => {
    const peers = dir === 'Ingress' ? r?.from : r?.to;
    return {
      peers: peers && peers.length > 0 ? peers.map(compilePeer) : null,
      ports: r?.ports && r.ports.length > 0 ? r.ports.map(compilePort) : null,
    };
  });
}

export function compilePolicy(policy: NetworkPolicy): CompiledPolicy {
  const types = effectivePolicyTypes(policy);
  const spec = policy.spec ?? ({} as NetworkPolicy['spec']);
  return {
    namespace: policy.metadata.namespace ?? 'default',
    name: policy.metadata.name,
    source: policy,
    // An empty podSelector selects every pod in the namespace.
    podSelector: fromLabelSelector(spec.podSelector ?? {}),
    ingress: types.includes('Ingress') ? compileRules(spec.ingress, 'Ingress') : null,
    egress: types.includes('Egress') ? compileRules(spec.egress, 'Egress') : null,
  };
}
