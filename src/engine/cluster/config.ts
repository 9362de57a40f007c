/**
 * ClusterConfig (clusterpath.dev/v1alpha1, DESIGN.md §4) and the KubeProxyConfiguration
 * (kubeproxy.config.k8s.io/v1alpha1) that shape a cluster at creation. Defaults are a fresh
 * `kind create cluster` with two workers.
 */
import { isIPv4, parseCIDR } from '../core/ip';
import { isPlainObject } from '../core/json';

export interface NodeConfig {
  name: string;
  role: 'control-plane' | 'worker';
  ip: string;
  /** Extra eth0 addresses in CIDR notation. */
  addresses: string[];
}

/** The kube-proxy settings we model (pkg/proxy/apis/config/types.go names). */
export interface KubeProxyConfiguration {
  apiVersion: 'kubeproxy.config.k8s.io/v1alpha1';
  kind: 'KubeProxyConfiguration';
  mode: 'iptables' | 'ipvs' | 'nftables';
  clusterCIDR: string;
  detectLocalMode: string;
  nodePortAddresses: string[] | null;
  iptables: { masqueradeAll: boolean; masqueradeBit: number; minSyncPeriod: string; syncPeriod: string; localhostNodePorts: boolean };
  ipvs: { scheduler: string; strictARP: boolean; syncPeriod: string; minSyncPeriod: string; excludeCIDRs: string[] | null };
  conntrack: { maxPerCore: number; min: number; tcpEstablishedTimeout: string; tcpCloseWaitTimeout: string };
  /** Fields we do not model are kept as given, so config.conf round-trips. */
  [field: string]: unknown;
}

export interface ClusterConfig {
  clusterDomain: string;
  serviceCIDR: string;
  podCIDR: string;
  serviceNodePortRange: { base: number; size: number };
  cni: 'kindnet' | 'calico' | 'cilium' | 'flannel';
  kubernetesVersion: string;
  nodes: NodeConfig[];
  /** Where LoadBalancer ingress IPs come from (cloud-provider-kind / MetalLB style pool). */
  loadBalancerPool: string;
  kubeProxy: KubeProxyConfiguration;
}

export function defaultKubeProxyConfiguration(podCIDR: string): KubeProxyConfiguration {
  return {
    apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
    kind: 'KubeProxyConfiguration',
    mode: 'iptables',
    clusterCIDR: podCIDR,
    detectLocalMode: '',
    nodePortAddresses: null,
    iptables: { masqueradeAll: false, masqueradeBit: null as unknown as number, minSyncPeriod: '1s', syncPeriod: '0s', localhostNodePorts: null as unknown as boolean },
    ipvs: { scheduler: '', strictARP: false, syncPeriod: '0s', minSyncPeriod: '0s', excludeCIDRs: null },
    conntrack: { maxPerCore: 0, min: null as unknown as number, tcpEstablishedTimeout: null as unknown as string, tcpCloseWaitTimeout: null as unknown as string },
  };
}

export function defaultClusterConfig(): ClusterConfig {
  const podCIDR = '10.244.0.0/16';
  return {
    clusterDomain: 'cluster.local',
    serviceCIDR: '10.96.0.0/12',
    podCIDR,
    serviceNodePortRange: { base: 30000, size: 2768 },
    cni: 'kindnet',
    kubernetesVersion: 'v1.37.0',
    nodes: [
      { name: 'control-plane', role: 'control-plane', ip: '172.18.0.2', addresses: [] },
      { name: 'worker', role: 'worker', ip: '172.18.0.3', addresses: [] },
      { name: 'worker2', role: 'worker', ip: '172.18.0.4', addresses: [] },
    ],
    loadBalancerPool: '172.18.255.200/29',
    kubeProxy: defaultKubeProxyConfiguration(podCIDR),
  };
}

export class ConfigError extends Error {}

/** Overlay a ClusterConfig document on the defaults; throws ConfigError naming the bad field. */
export function applyClusterConfig(base: ClusterConfig, doc: Record<string, unknown>): ClusterConfig {
  const cfg: ClusterConfig = { ...base, nodes: base.nodes.map((n) => ({ ...n })) };
  const str = (k: string): string | undefined => {
    const v = doc[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw new ConfigError(`ClusterConfig.${k}: expected a string, got ${JSON.stringify(v)}`);
    return v;
  };
  const domain = str('clusterDomain');
  if (domain) cfg.clusterDomain = domain;
  for (const k of ['serviceCIDR', 'podCIDR'] as const) {
    const v = str(k);
    if (v === undefined) continue;
    if (!parseCIDR(v)) throw new ConfigError(`ClusterConfig.${k}: invalid CIDR "${v}"`);
    cfg[k] = v;
  }
  const range = doc.serviceNodePortRange;
  if (range !== undefined) {
    const m = /^(\d+)-(\d+)$/.exec(String(range));
    if (!m || Number(m[2]) < Number(m[1])) throw new ConfigError(`ClusterConfig.serviceNodePortRange: invalid range "${String(range)}"`);
    cfg.serviceNodePortRange = { base: Number(m[1]), size: Number(m[2]) - Number(m[1]) + 1 };
  }
  const cni = str('cni');
  if (cni) {
    if (!['kindnet', 'calico', 'cilium', 'flannel'].includes(cni)) throw new ConfigError(`ClusterConfig.cni: unsupported value "${cni}": supported values: "kindnet", "calico", "cilium", "flannel"`);
    cfg.cni = cni as ClusterConfig['cni'];
  }
  const version = str('kubernetesVersion');
  if (version) {
    if (!/^v\d+\.\d+\.\d+$/.test(version)) throw new ConfigError(`ClusterConfig.kubernetesVersion: invalid version "${version}"`);
    cfg.kubernetesVersion = version;
  }
  const pool = str('loadBalancerPool');
  if (pool) cfg.loadBalancerPool = pool;
  if (doc.nodes !== undefined) {
    if (!Array.isArray(doc.nodes) || doc.nodes.length === 0) throw new ConfigError('ClusterConfig.nodes: expected a non-empty list');
    cfg.nodes = doc.nodes.map((n, i): NodeConfig => {
      if (!isPlainObject(n) || typeof n.name !== 'string' || typeof n.ip !== 'string' || !isIPv4(n.ip)) {
        throw new ConfigError(`ClusterConfig.nodes[${i}]: needs a name and an IPv4 ip`);
      }
      const role = n.role === 'control-plane' ? 'control-plane' : 'worker';
      const addresses = Array.isArray(n.addresses) ? n.addresses.map(String) : [];
      return { name: n.name, role, ip: n.ip, addresses };
    });
    if (!cfg.nodes.some((n) => n.role === 'control-plane')) cfg.nodes[0]!.role = 'control-plane';
  }
  if (cfg.podCIDR !== base.podCIDR && cfg.kubeProxy.clusterCIDR === base.podCIDR) {
    cfg.kubeProxy = { ...cfg.kubeProxy, clusterCIDR: cfg.podCIDR };
  }
  return cfg;
}

/** Overlay a KubeProxyConfiguration document (deep for iptables/ipvs/conntrack). */
export function applyKubeProxyConfiguration(base: ClusterConfig, doc: Record<string, unknown>): ClusterConfig {
  const kp = { ...base.kubeProxy } as KubeProxyConfiguration;
  for (const [k, v] of Object.entries(doc)) {
    if (k === 'apiVersion' || k === 'kind') continue;
    const cur = kp[k];
    kp[k] = isPlainObject(cur) && isPlainObject(v) ? { ...cur, ...v } : v;
  }
  if (kp.mode === ('' as string)) kp.mode = 'iptables';
  if (!['iptables', 'ipvs', 'nftables'].includes(kp.mode)) {
    throw new ConfigError(`KubeProxyConfiguration.mode: Invalid value: "${String(kp.mode)}": must be iptables, ipvs, nftables or blank (blank means the best-available proxy [currently iptables])`);
  }
  return { ...base, kubeProxy: kp };
}
