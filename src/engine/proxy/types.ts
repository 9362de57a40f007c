/**
 * The proxy's own view of Services and Endpoints (pkg/proxy/serviceport.go, endpoint.go,
 * types.go): one ServicePortInfo per (Service, port), one EndpointInfo per ready-or-not
 * address:port, keyed by ServicePortName.
 */
import type { Protocol } from '../model/types';

/** "namespace/name" (types.NamespacedName.String()). */
export type NamespacedName = string;

/** proxy.ServicePortName: namespaced service + port name (+ protocol, for endpoints). */
export interface ServicePortName {
  namespace: string;
  name: string;
  port: string;
  protocol: Protocol;
}

/** ServicePortName.String(): "ns/name:port", or "ns/name" when the port is unnamed. */
export function servicePortNameString(spn: { namespace: string; name: string; port: string }): string {
  return `${spn.namespace}/${spn.name}${spn.port === '' ? '' : ':' + spn.port}`;
}

/** Map key: the name string plus the protocol, since one name may carry TCP and UDP. */
export function servicePortKey(spn: ServicePortName): string {
  return `${servicePortNameString(spn)}/${spn.protocol}`;
}

/** BaseServicePortInfo (pkg/proxy/serviceport.go). */
export interface ServicePortInfo {
  /** The ServicePortName (protocol included). */
  spn: ServicePortName;
  /** servicePortNameString(spn), precomputed like upstream's nameString. */
  nameString: string;
  /** namespace/name of the Service. */
  service: NamespacedName;
  clusterIP: string;
  port: number;
  protocol: Protocol;
  /** 0 when the port has no nodePort. */
  nodePort: number;
  /** Canonical IPs of spec.externalIPs (this family only). */
  externalIPs: string[];
  /** status.loadBalancer.ingress[].ip (type LoadBalancer only, ipMode Proxy excluded). */
  loadBalancerVIPs: string[];
  /** Canonical CIDRs of spec.loadBalancerSourceRanges (whitespace trimmed). */
  loadBalancerSourceRanges: string[];
  sessionAffinity: 'None' | 'ClientIP';
  /** sessionAffinityConfig.clientIP.timeoutSeconds (default 10800) when ClientIP. */
  stickyMaxAgeSeconds: number;
  externalPolicyLocal: boolean;
  internalPolicyLocal: boolean;
  /** Set only for type LoadBalancer with externalTrafficPolicy Local (NeedsHealthCheck). */
  healthCheckNodePort: number;
  /** spec.trafficDistribution, if any (informational: topology uses the hints). */
  trafficDistribution?: string;
}

/** ExternallyAccessible: the port has a NodePort, LoadBalancer VIPs or external IPs. */
export function externallyAccessible(s: ServicePortInfo): boolean {
  return s.nodePort !== 0 || s.loadBalancerVIPs.length > 0 || s.externalIPs.length > 0;
}

/** UsesClusterEndpoints: Cluster internal policy, or any external traffic (for short-circuiting). */
export function usesClusterEndpoints(s: ServicePortInfo): boolean {
  return !s.internalPolicyLocal || externallyAccessible(s);
}

/** UsesLocalEndpoints. */
export function usesLocalEndpoints(s: ServicePortInfo): boolean {
  return s.internalPolicyLocal || (s.externalPolicyLocal && externallyAccessible(s));
}

/** BaseEndpointInfo (pkg/proxy/endpoint.go). */
export interface EndpointInfo {
  ip: string;
  port: number;
  /** "ip:port" (Endpoint.String()). */
  endpoint: string;
  /** nodeName == this node. */
  isLocal: boolean;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  nodeName?: string;
  zone?: string;
  /** hints.forZones[].name; empty when the slice carries no hints. */
  zoneHints: string[];
  /** hints.forNodes[].name (PreferSameNode). */
  nodeHints: string[];
  /** KUBE-SEP-… for this endpoint of this service port (iptables mode), computed once; '' in IPVS mode. */
  chainName: string;
}

export type ServicePortMap = Map<string, ServicePortInfo>;
export type EndpointsMap = Map<string, EndpointInfo[]>;

/** What every proxier reports about a service port, whatever its mode (for the Trace). */
export interface ServicePortSummary {
  name: string;
  protocol: string;
  clusterIP: string;
  port: number;
  nodePort: number;
  externalIPs: string[];
  loadBalancerIPs: string[];
  loadBalancerSourceRanges: string[];
  sessionAffinity: 'None' | 'ClientIP';
  stickyMaxAgeSeconds: number;
  externalTrafficPolicy: 'Cluster' | 'Local';
  internalTrafficPolicy: 'Cluster' | 'Local';
  healthCheckNodePort: number;
}
