/**
 * The ipsets IPVS-mode kube-proxy keeps (pkg/proxy/ipvs/ipset.go, and ipsetInfo /
 * ipsetWithIptablesChain in pkg/proxy/ipvs/proxier.go): names, types and comments
 * exactly as upstream creates them, and which iptables rule matches each one.
 */

export type IpvsIpSetType = 'hash:ip' | 'hash:ip,port' | 'hash:ip,port,ip' | 'hash:ip,port,net' | 'bitmap:port';

export const KUBE_LOOP_BACK = 'KUBE-LOOP-BACK';
export const KUBE_CLUSTER_IP = 'KUBE-CLUSTER-IP';
export const KUBE_EXTERNAL_IP = 'KUBE-EXTERNAL-IP';
export const KUBE_EXTERNAL_IP_LOCAL = 'KUBE-EXTERNAL-IP-LOCAL';
export const KUBE_LOAD_BALANCER = 'KUBE-LOAD-BALANCER';
export const KUBE_LOAD_BALANCER_LOCAL = 'KUBE-LOAD-BALANCER-LOCAL';
export const KUBE_LOAD_BALANCER_FW = 'KUBE-LOAD-BALANCER-FW';
export const KUBE_LOAD_BALANCER_SOURCE_IP = 'KUBE-LOAD-BALANCER-SOURCE-IP';
export const KUBE_LOAD_BALANCER_SOURCE_CIDR = 'KUBE-LOAD-BALANCER-SOURCE-CIDR';
export const KUBE_NODE_PORT_TCP = 'KUBE-NODE-PORT-TCP';
export const KUBE_NODE_PORT_LOCAL_TCP = 'KUBE-NODE-PORT-LOCAL-TCP';
export const KUBE_NODE_PORT_UDP = 'KUBE-NODE-PORT-UDP';
export const KUBE_NODE_PORT_LOCAL_UDP = 'KUBE-NODE-PORT-LOCAL-UDP';
/** SCTP NodePorts use hash:ip,port (one entry per node IP), hence the -HASH suffix. */
export const KUBE_NODE_PORT_SCTP = 'KUBE-NODE-PORT-SCTP-HASH';
export const KUBE_NODE_PORT_LOCAL_SCTP = 'KUBE-NODE-PORT-LOCAL-SCTP-HASH';
export const KUBE_HEALTH_CHECK_NODE_PORT = 'KUBE-HEALTH-CHECK-NODE-PORT';
/** Every address bound to kube-ipvs0 (used by KUBE-IPVS-FILTER, issue 72236). */
export const KUBE_IPVS_IPS = 'KUBE-IPVS-IPS';

export interface IpSetInfo {
  name: string;
  type: IpvsIpSetType;
  comment: string;
}

/** ipsetInfo, in upstream's order (the order kube-proxy creates them in). */
export const IPSET_INFO: readonly IpSetInfo[] = [
  { name: KUBE_LOOP_BACK, type: 'hash:ip,port,ip', comment: 'Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose' },
  { name: KUBE_CLUSTER_IP, type: 'hash:ip,port', comment: 'Kubernetes service cluster ip + port for masquerade purpose' },
  { name: KUBE_EXTERNAL_IP, type: 'hash:ip,port', comment: 'Kubernetes service external ip + port for masquerade and filter purpose' },
  { name: KUBE_EXTERNAL_IP_LOCAL, type: 'hash:ip,port', comment: 'Kubernetes service external ip + port with externalTrafficPolicy=local' },
  { name: KUBE_LOAD_BALANCER, type: 'hash:ip,port', comment: 'Kubernetes service lb portal' },
  { name: KUBE_LOAD_BALANCER_FW, type: 'hash:ip,port', comment: 'Kubernetes service load balancer ip + port for load balancer with sourceRange' },
  { name: KUBE_LOAD_BALANCER_LOCAL, type: 'hash:ip,port', comment: 'Kubernetes service load balancer ip + port with externalTrafficPolicy=local' },
  { name: KUBE_LOAD_BALANCER_SOURCE_IP, type: 'hash:ip,port,ip', comment: 'Kubernetes service load balancer ip + port + source IP for packet filter purpose' },
  { name: KUBE_LOAD_BALANCER_SOURCE_CIDR, type: 'hash:ip,port,net', comment: 'Kubernetes service load balancer ip + port + source cidr for packet filter purpose' },
  { name: KUBE_NODE_PORT_TCP, type: 'bitmap:port', comment: 'Kubernetes nodeport TCP port for masquerade purpose' },
  { name: KUBE_NODE_PORT_LOCAL_TCP, type: 'bitmap:port', comment: 'Kubernetes nodeport TCP port with externalTrafficPolicy=local' },
  { name: KUBE_NODE_PORT_UDP, type: 'bitmap:port', comment: 'Kubernetes nodeport UDP port for masquerade purpose' },
  { name: KUBE_NODE_PORT_LOCAL_UDP, type: 'bitmap:port', comment: 'Kubernetes nodeport UDP port with externalTrafficPolicy=local' },
  { name: KUBE_NODE_PORT_SCTP, type: 'hash:ip,port', comment: "Kubernetes nodeport SCTP port for masquerade purpose with type 'hash ip:port'" },
  { name: KUBE_NODE_PORT_LOCAL_SCTP, type: 'hash:ip,port', comment: "Kubernetes nodeport SCTP port with externalTrafficPolicy=local with type 'hash ip:port'" },
  { name: KUBE_HEALTH_CHECK_NODE_PORT, type: 'bitmap:port', comment: 'Kubernetes health check node port' },
  { name: KUBE_IPVS_IPS, type: 'hash:ip', comment: 'Addresses on the ipvs interface' },
];

/**
 * `ipset create` options kube-proxy passes (pkg/proxy/ipvs/ipset/ipset.go createSet):
 * hash sets get family/hashsize/maxelem, bitmap:port sets the full port range.
 */
export function ipsetCreateOptions(type: IpvsIpSetType): Record<string, string> {
  return type === 'bitmap:port' ? { range: '0-65535' } : { family: 'inet', hashsize: '1024', maxelem: '65536' };
}

/**
 * ipsetWithIptablesChain: `-A FROM [-p PROTO] -m comment --comment "…" -m set
 * --match-set NAME MATCH -j TO`, written only while the set is non-empty. Local sets come
 * before their non-local twins so that Local traffic RETURNs before being marked.
 */
export const IPSET_WITH_IPTABLES_CHAIN: readonly { name: string; table: 'nat' | 'filter'; from: string; to: string; match: string; protocol: string }[] = [
  { name: KUBE_LOOP_BACK, table: 'nat', from: 'KUBE-POSTROUTING', to: 'MASQUERADE', match: 'dst,dst,src', protocol: '' },
  { name: KUBE_LOAD_BALANCER, table: 'nat', from: 'KUBE-SERVICES', to: 'KUBE-LOAD-BALANCER', match: 'dst,dst', protocol: '' },
  { name: KUBE_LOAD_BALANCER_LOCAL, table: 'nat', from: 'KUBE-LOAD-BALANCER', to: 'RETURN', match: 'dst,dst', protocol: '' },
  { name: KUBE_NODE_PORT_LOCAL_TCP, table: 'nat', from: 'KUBE-NODE-PORT', to: 'RETURN', match: 'dst', protocol: 'tcp' },
  { name: KUBE_NODE_PORT_TCP, table: 'nat', from: 'KUBE-NODE-PORT', to: 'KUBE-MARK-MASQ', match: 'dst', protocol: 'tcp' },
  { name: KUBE_NODE_PORT_LOCAL_UDP, table: 'nat', from: 'KUBE-NODE-PORT', to: 'RETURN', match: 'dst', protocol: 'udp' },
  { name: KUBE_NODE_PORT_UDP, table: 'nat', from: 'KUBE-NODE-PORT', to: 'KUBE-MARK-MASQ', match: 'dst', protocol: 'udp' },
  { name: KUBE_NODE_PORT_LOCAL_SCTP, table: 'nat', from: 'KUBE-NODE-PORT', to: 'RETURN', match: 'dst,dst', protocol: 'sctp' },
  { name: KUBE_NODE_PORT_SCTP, table: 'nat', from: 'KUBE-NODE-PORT', to: 'KUBE-MARK-MASQ', match: 'dst,dst', protocol: 'sctp' },
  { name: KUBE_LOAD_BALANCER_FW, table: 'filter', from: 'KUBE-PROXY-FIREWALL', to: 'KUBE-SOURCE-RANGES-FIREWALL', match: 'dst,dst', protocol: '' },
  { name: KUBE_LOAD_BALANCER_SOURCE_CIDR, table: 'filter', from: 'KUBE-SOURCE-RANGES-FIREWALL', to: 'RETURN', match: 'dst,dst,src', protocol: '' },
  { name: KUBE_LOAD_BALANCER_SOURCE_IP, table: 'filter', from: 'KUBE-SOURCE-RANGES-FIREWALL', to: 'RETURN', match: 'dst,dst,src', protocol: '' },
];

/** Entry.String() (pkg/proxy/ipvs/ipset/ipset.go) for each set type. */
// Built with join: a flat string at once, where a template literal leaves a tree of cons
// strings that the ipset's hashing then flattens (tens of thousands per sync).
export const ipPortEntry = (ip: string, proto: string, port: number): string => [ip, ',', proto, ':', port].join('');
export const ipPortIPEntry = (ip: string, proto: string, port: number, ip2: string): string => [ip, ',', proto, ':', port, ',', ip2].join('');
export const ipPortNetEntry = (ip: string, proto: string, port: number, net: string): string => `${ip},${proto}:${port},${net}`;
