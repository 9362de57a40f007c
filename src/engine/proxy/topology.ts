/**
 * CategorizeEndpoints (pkg/proxy/topology.go): which endpoints a service port uses for
 * "Cluster" and "Local" traffic policy on this node, falling back to serving-terminating
 * endpoints when no ready ones exist, and honouring topology hints.
 */
import type { EndpointInfo, ServicePortInfo } from './types';
import { usesClusterEndpoints, usesLocalEndpoints } from './types';

export interface CategorizedEndpoints {
  clusterEndpoints: EndpointInfo[];
  localEndpoints: EndpointInfo[];
  /** Every endpoint this node may DNAT to (each gets a KUBE-SEP chain). */
  allReachableEndpoints: EndpointInfo[];
  /** The service has usable endpoints somewhere in the cluster. */
  hasAnyEndpoints: boolean;
  /** '' | 'PreferSameZone' | 'PreferSameNode': which hints were used. */
  topologyMode: string;
}

/** topologyModeFromHints: use hints only when every ready endpoint has them and one is for us. */
function topologyModeFromHints(endpoints: EndpointInfo[], nodeName: string, zone: string): string {
  let hasEndpointForNode = false;
  let allHaveNodeHints = true;
  let hasEndpointForZone = false;
  let allHaveZoneHints = true;
  for (const ep of endpoints) {
    if (!ep.ready) continue;
    if (ep.nodeHints.length === 0) allHaveNodeHints = false;
    else if (ep.nodeHints.includes(nodeName)) hasEndpointForNode = true;
    if (ep.zoneHints.length === 0) allHaveZoneHints = false;
    else if (zone !== '' && ep.zoneHints.includes(zone)) hasEndpointForZone = true;
  }
  if (allHaveNodeHints && hasEndpointForNode) return 'PreferSameNode';
  if (allHaveZoneHints && hasEndpointForZone) return 'PreferSameZone';
  return '';
}

function availableForTopology(ep: EndpointInfo, mode: string, nodeName: string, zone: string): boolean {
  if (mode === 'PreferSameNode') return ep.nodeHints.includes(nodeName);
  if (mode === 'PreferSameZone') return ep.zoneHints.includes(zone);
  return true;
}

/** endpoints.filter(keep), but the same array when every endpoint is kept (the usual case; the lists are never mutated). */
function filterOrSame(endpoints: EndpointInfo[], keep: (ep: EndpointInfo) => boolean): EndpointInfo[] {
  for (let i = 0; i < endpoints.length; i++) {
    if (!keep(endpoints[i]!)) {
      const out = endpoints.slice(0, i);
      for (let j = i + 1; j < endpoints.length; j++) if (keep(endpoints[j]!)) out.push(endpoints[j]!);
      return out;
    }
  }
  return endpoints;
}

export function categorizeEndpoints(
  endpoints: EndpointInfo[],
  svc: ServicePortInfo,
  nodeName: string,
  nodeLabels: Record<string, string> | undefined,
): CategorizedEndpoints {
  let clusterEndpoints: EndpointInfo[] = [];
  let localEndpoints: EndpointInfo[] = [];
  let hasAnyEndpoints = false;
  let topologyMode = '';

  if (usesClusterEndpoints(svc)) {
    const zone = nodeLabels?.['topology.kubernetes.io/zone'] ?? '';
    topologyMode = topologyModeFromHints(endpoints, nodeName, zone);
    clusterEndpoints = filterOrSame(endpoints, (ep) => ep.ready && availableForTopology(ep, topologyMode, nodeName, zone));
    // No ready endpoints anywhere: fall back to serving-terminating ones.
    if (clusterEndpoints.length === 0) clusterEndpoints = endpoints.filter((ep) => ep.serving && ep.terminating);
    if (clusterEndpoints.length > 0) hasAnyEndpoints = true;
  }

  if (!usesLocalEndpoints(svc)) {
    return { clusterEndpoints, localEndpoints, allReachableEndpoints: clusterEndpoints, hasAnyEndpoints, topologyMode };
  }

  let hasLocalReady = false;
  let hasLocalServingTerminating = false;
  for (const ep of endpoints) {
    if (ep.ready) {
      hasAnyEndpoints = true;
      if (ep.isLocal) hasLocalReady = true;
    } else if (ep.serving && ep.terminating) {
      hasAnyEndpoints = true;
      if (ep.isLocal) hasLocalServingTerminating = true;
    }
  }
  if (hasLocalReady) localEndpoints = endpoints.filter((ep) => ep.isLocal && ep.ready);
  else if (hasLocalServingTerminating) localEndpoints = endpoints.filter((ep) => ep.isLocal && ep.serving && ep.terminating);

  if (!usesClusterEndpoints(svc)) {
    return { clusterEndpoints, localEndpoints, allReachableEndpoints: localEndpoints, hasAnyEndpoints, topologyMode };
  }
  // Union of both lists. Upstream builds it from a Go map (random order); we keep the
  // endpoints' own (sorted) order so output is deterministic.
  const inUnion = new Set<string>();
  for (const ep of clusterEndpoints) inUnion.add(ep.endpoint);
  for (const ep of localEndpoints) inUnion.add(ep.endpoint);
  const allReachableEndpoints = endpoints.filter((ep) => inUnion.has(ep.endpoint));
  return { clusterEndpoints, localEndpoints, allReachableEndpoints, hasAnyEndpoints, topologyMode };
}
