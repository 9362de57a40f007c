/**
 * The nodes as the shell sees them after `ssh NODE` (and as kube-proxy and the data path
 * write and read them): `cluster.node(name)` returns the node's NodeHost.
 *
 *   const h = cluster.node('worker');                  // Result<NodeHost>
 *   iptables(h.value.netfilter, ['-t', 'nat', '-S']);   // the very rules kube-proxy restored
 *   h.value.ipvs.sortedServices();                      // ipvsadm -Ln
 *   h.value.evaluate({ src, dst, proto: 'tcp', sport, dport, inIface: 'vethab12cd34' }, { origin: 'in' });
 */
export { NodeHost, macFrom, type NodeHostInit, type EvaluateOptions, type NodeEvalResult, type ExploredEndpoint, type IpvsDecision } from './host';
export {
  IpvsTable, DEFAULT_IPVS_TIMEOUTS, IPVS_SVC_F_PERSISTENT, serviceKey,
  type IpvsService, type IpvsDest, type IpvsConn, type IpvsConnState, type IpvsStats, type IpvsRates, type IpvsProtocol, type IpvsForward, type ConnectResult,
} from './ipvs';
export type { NetInterface, InterfaceAddress, LinkKind, Route, IpvsTimeouts } from './types';
export { NodeNetwork } from './network';
export { dockerDnsRules, kindMasqAgentRules, KIND_MASQ_CHAIN } from './bootstrap';
