/**
 * kube-proxy, as the emulated nodes run it (DESIGN.md §7 "kube-proxy is built like
 * kube-proxy"): shared Service/EndpointSlice change tracking, and one proxier per mode.
 *
 *   const p = new IptablesProxier(proxierOptionsFromConfig(cfg.kubeProxy, node));
 *   p.onServiceAdd(svc); p.onEndpointSliceAdd(slice);
 *   const r = p.sync();   // r.restore → `iptables-restore --noflush --counters`,
 *                         // r.ensureChains / r.ensureRules on full syncs,
 *                         // r.services: per-port chains, endpoints and probabilities.
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
  proxierOptionsFromConfig,
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
