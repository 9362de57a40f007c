/**
 * Proxier settings, derived from a KubeProxyConfiguration the way cmd/kube-proxy does
 * (pkg/proxy/apis/config/v1alpha1/defaults.go, cmd/kube-proxy/app/server_linux.go).
 */
import type { KubeProxyConfiguration } from '../cluster/config';
import { cidrContains, ipFamilyOf, parseCIDRSloppy } from './ip';

/**
 * LocalTrafficDetector (pkg/proxy/util/localdetector.go): the match that tells pod
 * traffic ("local") from everything else.
 */
export interface LocalTrafficDetector {
  implemented: boolean;
  ifLocal: string[];
  ifNotLocal: string[];
}

export const noOpLocalDetector: LocalTrafficDetector = { implemented: false, ifLocal: [], ifNotLocal: [] };

export function detectLocalByCIDR(cidr: string): LocalTrafficDetector {
  const c = parseCIDRSloppy(cidr);
  if (!c) return noOpLocalDetector;
  return { implemented: true, ifLocal: ['-s', c.text], ifNotLocal: ['!', '-s', c.text] };
}

export function detectLocalByInterfaceNamePrefix(prefix: string): LocalTrafficDetector {
  return { implemented: true, ifLocal: ['-i', `${prefix}+`], ifNotLocal: ['!', '-i', `${prefix}+`] };
}

export function detectLocalByBridgeInterface(bridge: string): LocalTrafficDetector {
  return { implemented: true, ifLocal: ['-i', bridge], ifNotLocal: ['!', '-i', bridge] };
}

/** Go time.ParseDuration for the forms configs use ("30s", "1m0s", "1h", "500ms"). */
export function parseDurationMs(text: string | null | undefined, fallback: number): number {
  if (!text) return fallback;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let total = 0;
  let matched = '';
  for (const m of text.matchAll(re)) {
    const v = Number(m[1]);
    total += m[2] === 'ms' ? v : m[2] === 's' ? v * 1000 : m[2] === 'm' ? v * 60_000 : v * 3_600_000;
    matched += m[0];
  }
  return matched === text ? total : fallback;
}

/** NodePortAddresses (pkg/proxy/util/nodeport_addresses.go), IPv4 family. */
export class NodePortAddresses {
  readonly cidrs: string[];
  readonly matchAll: boolean;
  constructor(cidrStrings: string[] | null | undefined, primaryIP: string) {
    const cidrs: string[] = [];
    let matchAll = false;
    for (const s of cidrStrings ?? []) {
      if (s === 'primary') {
        cidrs.push(`${primaryIP}/32`);
        continue;
      }
      if (ipFamilyOf(s.split('/')[0] ?? '') !== 4) continue;
      const c = parseCIDRSloppy(s);
      if (!c) continue;
      if (c.bits === 0) matchAll = true;
      cidrs.push(c.text);
    }
    this.cidrs = cidrs;
    this.matchAll = matchAll || cidrs.length === 0;
  }
  containsIPv4Loopback(): boolean {
    if (this.matchAll) return true;
    return this.cidrs.some((c) => cidrContains(parseCIDRSloppy(c)!, '127.0.0.1'));
  }
  /** GetNodeIPs: the node's addresses inside the configured CIDRs. */
  nodeIPs(addresses: string[]): string[] {
    const out: string[] = [];
    for (const ip of addresses) {
      if (this.cidrs.some((c) => cidrContains(parseCIDRSloppy(c)!, ip)) && !out.includes(ip)) out.push(ip);
    }
    return out;
  }
}

export interface ProxierOptions {
  nodeName: string;
  /** The node's primary IPv4 address. */
  nodeIP: string;
  /** Every address on the node's interfaces (lo included); default [nodeIP, 127.0.0.1]. */
  nodeAddresses?: string[];
  nodeLabels?: Record<string, string>;
  masqueradeAll?: boolean;
  /** iptables.masqueradeBit, default 14 (mark 0x4000). */
  masqueradeBit?: number;
  /** Override the mark text (upstream's NewFakeProxier sets "0x4000"). */
  masqueradeMark?: string;
  localDetector?: LocalTrafficDetector;
  nodePortAddresses?: string[] | null;
  /** iptables.localhostNodePorts, default true. */
  localhostNodePorts?: boolean;
  /** Whether the node's iptables supports MASQUERADE --random-fully (iptables ≥ 1.6.2: yes). */
  hasRandomFully?: boolean;
  /**
   * Whether the nfacct counters kube-proxy tries to create exist. On a real node that
   * depends on the kernel's nfnetlink_acct; we default to false (no `-m nfacct` matches).
   */
  nfacct?: boolean;
  /** net.netfilter.nf_conntrack_tcp_be_liberal=1 on the node: no INVALID DROP rule. */
  conntrackTCPLiberal?: boolean;
  /** ipvs.scheduler (IPVS mode; "" means rr). */
  ipvsScheduler?: string;
  /** ipvs.strictARP (IPVS mode: arp_ignore=1, arp_announce=2 on the node). */
  ipvsStrictARP?: boolean;
  /** ipvs.excludeCIDRs: virtual servers in these ranges are never cleaned up. */
  ipvsExcludeCIDRs?: string[] | null;
  /** iptables.syncPeriod in ms (default 30 s): governs large-cluster stale-chain cleanup. */
  syncPeriodMs?: number;
  /** The engine clock, in ms. Only differences matter. Default: a clock stuck at 0. */
  now?: () => number;
  /**
   * The chains that exist in the node's nat table right now (upstream reads them with
   * iptables-save). Default: the chains this proxier has created and not deleted.
   */
  existingNatChains?: () => Iterable<string>;
}

export interface NodeFacts {
  name: string;
  ip: string;
  addresses?: string[];
  podCIDR?: string;
  labels?: Record<string, string>;
}

/** ProxierOptions from the kube-system/kube-proxy KubeProxyConfiguration, for one node. */
export function proxierOptionsFromConfig(kp: KubeProxyConfiguration, node: NodeFacts): ProxierOptions {
  const mode = kp.detectLocalMode || 'ClusterCIDR';
  const detectLocal = kp.detectLocal as { bridgeInterface?: string; interfaceNamePrefix?: string } | undefined;
  let localDetector = noOpLocalDetector;
  if (mode === 'ClusterCIDR' && kp.clusterCIDR) localDetector = detectLocalByCIDR(kp.clusterCIDR.split(',')[0]!);
  else if (mode === 'NodeCIDR' && node.podCIDR) localDetector = detectLocalByCIDR(node.podCIDR);
  else if (mode === 'InterfaceNamePrefix' && detectLocal?.interfaceNamePrefix) localDetector = detectLocalByInterfaceNamePrefix(detectLocal.interfaceNamePrefix);
  else if (mode === 'BridgeInterface' && detectLocal?.bridgeInterface) localDetector = detectLocalByBridgeInterface(detectLocal.bridgeInterface);
  return {
    nodeName: node.name,
    nodeIP: node.ip,
    nodeAddresses: node.addresses ?? [node.ip, '127.0.0.1'],
    ...(node.labels ? { nodeLabels: node.labels } : {}),
    masqueradeAll: kp.iptables?.masqueradeAll ?? false,
    masqueradeBit: kp.iptables?.masqueradeBit ?? 14,
    localDetector,
    nodePortAddresses: kp.nodePortAddresses,
    localhostNodePorts: kp.iptables?.localhostNodePorts ?? true,
    syncPeriodMs: parseDurationMs(kp.iptables?.syncPeriod, 30_000) || 30_000,
    ipvsScheduler: kp.ipvs?.scheduler ?? '',
    ipvsStrictARP: kp.ipvs?.strictARP ?? false,
    ipvsExcludeCIDRs: kp.ipvs?.excludeCIDRs ?? null,
  };
}

/**
 * The nftables proxier's options on top of the common ones: its own masquerade settings
 * (the `nftables:` section), node ports on the primary address by default, and the
 * Service CIDRs it drops unallocated ClusterIP traffic for.
 */
export function nftablesProxierOptions<T extends ProxierOptions>(kp: KubeProxyConfiguration, base: T, serviceCIDR: string): T & { nodePortAddresses: string[]; serviceCIDRs: string[] } {
  const nft = kp.nftables as { masqueradeAll?: boolean; masqueradeBit?: number } | undefined;
  return {
    ...base,
    masqueradeAll: nft?.masqueradeAll ?? false,
    masqueradeBit: nft?.masqueradeBit ?? 14,
    nodePortAddresses: kp.nodePortAddresses && kp.nodePortAddresses.length > 0 ? kp.nodePortAddresses : ['primary'],
    serviceCIDRs: serviceCIDR.split(','),
  };
}