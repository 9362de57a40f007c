/**
 * kube-proxy, as the emulated nodes run it (DESIGN.md §7 "kube-proxy is built like
 * kube-proxy"): shared Service/EndpointSlice change tracking, and one proxier per mode.
 *
 *   const p = new IptablesProxier(proxierOptionsFromConfig(cfg.kubeProxy, node));
 *   p.onServiceAdd(svc); p.onEndpointSliceAdd(slice);
 *   const r = p.sync();   // r.restore → `iptables-restore --noflush --counters`,
 *                         // r.ensureChains / r.ensureRules on full syncs,
 *                         // r.services: per-port chains, endpoints and probabilities.
 *
 *   const q = new IpvsProxier(proxierOptionsFromConfig(cfg.kubeProxy, node));
 *   const s = q.sync();   // s.dummyAddresses → kube-ipvs0, s.virtualServers → IPVS,
 *                         // s.ipsets → ipset, s.restore → iptables-restore --noflush.
 *   const n = new NftablesProxier({ ...opts, serviceCIDRs });
 *   const t = n.sync();   // t.cleanup, then t.transaction → `nft -f -` (one transaction each).
 *   cleanupSteps(mode, chains)  // what kube-proxy tears down when it starts in `mode`.
 */
export {
  IptablesProxier,
  iptablesJumpRules,
  computeProbability,
  CANARY_CHAINS,
  LARGE_CLUSTER_ENDPOINTS_THRESHOLD,
  FULL_SYNC_PERIOD_MS,
  KUBE_SERVICES,
  KUBE_EXTERNAL_SERVICES,
  KUBE_NODEPORTS,
  KUBE_POSTROUTING,
  KUBE_MARK_MASQ,
  KUBE_FORWARD,
  KUBE_PROXY_FIREWALL,
  KUBE_PROXY_CANARY,
  KUBE_FIREWALL,
} from './iptables/proxier';
export type { IptablesSyncResult, ServicePortRules, EndpointRuleDescription, FilterVerdict, EnsureJumpRule, Table } from './iptables/proxier';
export {
  IpvsProxier,
  ipvsJumpRules,
  canUseIPVSProxier,
  virtualServerKey,
  IPVS_IPTABLES_CHAINS,
  IPVS_SCHEDULERS,
  IPVS_FLAG_PERSISTENT,
  IPVS_FLAG_HASHED,
  IPVS_FLAG_SOURCE_HASH,
  DEFAULT_SCHEDULER,
  DEFAULT_DUMMY_DEVICE,
  RS_CHECK_DELETE_INTERVAL_MS,
  KUBE_NODE_PORT,
  KUBE_LOAD_BALANCER_CHAIN,
  KUBE_SOURCE_RANGES_FIREWALL,
  KUBE_IPVS_FILTER,
  KUBE_IPVS_OUT_FILTER,
} from './ipvs/proxier';
export type {
  IpvsProxierOptions,
  IpvsSyncResult,
  IpvsVirtualServer,
  IpvsRealServer,
  IpvsIpSet,
  IpvsProtocol,
  VirtualServerKind,
  IpvsServicePortDescription,
  IpvsEndpointDescription,
} from './ipvs/proxier';
export {
  NftablesProxier,
  ipv6SkeletonTransaction,
  NFT_TABLE,
  NFT_BASE_CHAINS,
  hashAndTruncate,
  servicePortChainNameBase,
  servicePortEndpointChainNameBase,
  isNftServiceChainName,
} from './nftables/proxier';
export type { NftablesSyncResult, NftablesProxierOptions, NftServicePortRules, NftEndpointDescription } from './nftables/proxier';
export { IPSET_INFO, IPSET_WITH_IPTABLES_CHAIN, ipsetCreateOptions } from './ipvs/ipsets';
export type { IpSetInfo, IpvsIpSetType } from './ipvs/ipsets';
export { platformCleanup, cleanupSteps, iptablesCleanupLeftovers, ipvsCleanupLeftovers, nftablesCleanupLeftovers } from './cleanup';
export type { ProxyMode, CleanupStep } from './cleanup';
export {
  proxierOptionsFromConfig,
  nftablesProxierOptions,
  detectLocalByCIDR,
  detectLocalByInterfaceNamePrefix,
  detectLocalByBridgeInterface,
  noOpLocalDetector,
  NodePortAddresses,
  parseDurationMs,
} from './config';
export type { ProxierOptions, LocalTrafficDetector, NodeFacts } from './config';
export { ServiceChangeTracker, updateServicePortMap, serviceToServicePortMap, healthCheckNodePorts } from './servicechangetracker';
export { EndpointsChangeTracker, updateEndpointsMap, localReadyEndpoints } from './endpointschangetracker';
export { categorizeEndpoints } from './topology';
export { PROXY_HEALTHZ_PORT, proxierHealthReply, serviceHealthReply, goTimeString } from './healthcheck';
export type { HealthReply, ProxierHealth } from './healthcheck';
export type { CategorizedEndpoints } from './topology';
export {
  portProtoHash,
  servicePortPolicyClusterChain,
  servicePortPolicyLocalChainName,
  serviceExternalChainName,
  serviceFirewallChainName,
  servicePortEndpointChainName,
  isServiceChainName,
  base32,
} from './hash';
export type { ServicePortInfo, EndpointInfo, ServicePortMap, EndpointsMap, ServicePortName, NamespacedName } from './types';
export { servicePortNameString, servicePortKey } from './types';
