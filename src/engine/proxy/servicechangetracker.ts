/**
 * ServiceChangeTracker and ServicePortMap (pkg/proxy/servicechangetracker.go,
 * serviceport.go): Service add/update/delete events accumulate per Service as
 * {previous, current} port maps; the proxier checks them out at sync time and gets the
 * set of Services whose ports changed (for partial syncs).
 */
import type { Service } from '../model/types';
import { canonicalIP, ipFamilyOf, parseCIDRSloppy } from './ip';
import type { NamespacedName, ServicePortInfo, ServicePortMap } from './types';
import { servicePortKey, servicePortNameString } from './types';

/** kube-proxy's informers skip Services carrying this label (cmd/kube-proxy/app/server.go). */
export const SERVICE_PROXY_NAME_LABEL = 'service.kubernetes.io/service-proxy-name';
const DEFAULT_CLIENT_IP_TIMEOUT = 10800;

function keyOf(svc: Service): NamespacedName {
  return `${svc.metadata.namespace ?? 'default'}/${svc.metadata.name}`;
}

/** serviceToServiceMap: the proxiable ports of one Service (empty if not proxiable). */
export function serviceToServicePortMap(svc: Service | null | undefined): ServicePortMap {
  const out: ServicePortMap = new Map();
  if (!svc) return out;
  if (svc.metadata.labels?.[SERVICE_PROXY_NAME_LABEL] !== undefined) return out;
  const spec = svc.spec ?? {};
  if (spec.type === 'ExternalName') return out;
  // The IPv4 proxier takes the IPv4 cluster IP (clusterIPs[] on a dual-stack Service).
  const clusterIPs = spec.clusterIPs?.length ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : [];
  const rawClusterIP = clusterIPs.find((ip) => ipFamilyOf(ip) === 4);
  // IsServiceIPSet: "" and "None" (headless) are not proxied.
  if (!rawClusterIP || rawClusterIP === 'None') return out;
  const clusterIP = canonicalIP(rawClusterIP)!;
  const namespace = svc.metadata.namespace ?? 'default';
  const name = svc.metadata.name;
  const type = spec.type ?? 'ClusterIP';
  const externalIPs = (spec.externalIPs ?? []).map((ip) => canonicalIP(ip)).filter((ip): ip is string => ip !== undefined);
  // Upstream keeps only VIP-mode ingress IPs (LoadBalancerIPMode, GA in 1.32) of this family.
  const loadBalancerVIPs =
    type === 'LoadBalancer'
      ? (svc.status?.loadBalancer?.ingress ?? [])
          .filter((ing) => ing.ip && ing.ipMode !== 'Proxy')
          .map((ing) => canonicalIP(ing.ip!))
          .filter((ip): ip is string => ip !== undefined)
      : [];
  const loadBalancerSourceRanges = (spec.loadBalancerSourceRanges ?? [])
    .map((r) => parseCIDRSloppy(r.trim()))
    .filter((c) => c !== undefined)
    .map((c) => c.text);
  // apiservice.ExternallyAccessible / ExternalPolicyLocal / NeedsHealthCheck (pkg/apis/core/v1/helper).
  const svcExternallyAccessible = type === 'LoadBalancer' || type === 'NodePort' || (type === 'ClusterIP' && externalIPs.length > 0);
  const externalPolicyLocal = svcExternallyAccessible && spec.externalTrafficPolicy === 'Local';
  const internalPolicyLocal = spec.internalTrafficPolicy === 'Local';
  const healthCheckNodePort = type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local' ? (spec.healthCheckNodePort ?? 0) : 0;
  const sessionAffinity = spec.sessionAffinity === 'ClientIP' ? 'ClientIP' : 'None';
  const stickyMaxAgeSeconds =
    sessionAffinity === 'ClientIP' ? (spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_CLIENT_IP_TIMEOUT) : 0;
  for (const p of spec.ports ?? []) {
    const spn = { namespace, name, port: p.name ?? '', protocol: p.protocol ?? 'TCP' };
    const info: ServicePortInfo = {
      spn,
      nameString: servicePortNameString(spn),
      service: `${namespace}/${name}`,
      clusterIP,
      port: p.port,
      protocol: spn.protocol,
      nodePort: p.nodePort ?? 0,
      externalIPs,
      loadBalancerVIPs,
      loadBalancerSourceRanges,
      sessionAffinity,
      stickyMaxAgeSeconds,
      externalPolicyLocal,
      internalPolicyLocal,
      healthCheckNodePort,
      ...(spec.trafficDistribution ? { trafficDistribution: spec.trafficDistribution } : {}),
    };
    out.set(servicePortKey(spn), info);
  }
  return out;
}

function portMapsEqual(a: ServicePortMap, b: ServicePortMap): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    const w = b.get(k);
    if (!w || JSON.stringify(v) !== JSON.stringify(w)) return false;
  }
  return true;
}

/** No ports (an add's previous state), shared: change maps are only ever read. */
const NO_PORTS: ServicePortMap = new Map();

interface ServiceChange {
  previous: ServicePortMap;
  current: ServicePortMap;
}

export class ServiceChangeTracker {
  private items = new Map<NamespacedName, ServiceChange>();

  /**
   * Record an add (previous null), update or delete (current null). Returns true when
   * changes are pending (upstream: "whether there are any pending changes").
   */
  update(previous: Service | null | undefined, current: Service | null | undefined): boolean {
    const svc = current ?? previous;
    if (!svc) return this.items.size > 0;
    const key = keyOf(svc);
    let change = this.items.get(key);
    if (!change) {
      change = { previous: previous ? serviceToServicePortMap(previous) : NO_PORTS, current: NO_PORTS };
      this.items.set(key, change);
    }
    change.current = serviceToServicePortMap(current);
    // If the change leaves things as they were, forget it.
    if (portMapsEqual(change.previous, change.current)) this.items.delete(key);
    return this.items.size > 0;
  }

  pending(): number {
    return this.items.size;
  }

  /** Hand over and clear the accumulated changes. */
  checkout(): Map<NamespacedName, ServiceChange> {
    const out = this.items;
    this.items = new Map();
    return out;
  }
}

export interface UpdateServiceMapResult {
  /** Services whose ports were added, changed or removed since the last update. */
  updatedServices: Set<NamespacedName>;
  /** UDP cluster IPs no longer served (conntrack cleanup, as upstream). */
  deletedUDPClusterIPs: Set<string>;
}

/** ServicePortMap.Update: apply the tracker's pending changes to `map` in place. */
export function updateServicePortMap(map: ServicePortMap, tracker: ServiceChangeTracker): UpdateServiceMapResult {
  const result: UpdateServiceMapResult = { updatedServices: new Set(), deletedUDPClusterIPs: new Set() };
  for (const [nsn, change] of tracker.checkout()) {
    result.updatedServices.add(nsn);
    for (const k of change.previous.keys()) {
      if (!change.current.has(k)) {
        const old = map.get(k);
        if (old && old.protocol === 'UDP') result.deletedUDPClusterIPs.add(old.clusterIP);
        map.delete(k);
      }
    }
    for (const [k, v] of change.current) map.set(k, v);
  }
  return result;
}

/** ServicePortMap.HealthCheckNodePorts: namespace/name → port. */
export function healthCheckNodePorts(map: ServicePortMap): Map<NamespacedName, number> {
  const out = new Map<NamespacedName, number>();
  for (const info of map.values()) if (info.healthCheckNodePort) out.set(info.service, info.healthCheckNodePort);
  return out;
}

/**
 * The ServicePortMap's keys by service port name, then protocol: the order the proxiers
 * write service ports in (upstream iterates a Go map). Sorted as entries, so a comparison
 * looks up nothing (a 10,000-port sort makes ~140,000 comparisons).
 */
export function sortedServicePortKeys(map: ServicePortMap): string[] {
  const entries: { key: string; info: ServicePortInfo }[] = [];
  for (const [key, info] of map) entries.push({ key, info });
  entries.sort((x, y) => {
    const a = x.info;
    const b = y.info;
    return a.nameString < b.nameString ? -1 : a.nameString > b.nameString ? 1 : a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : 0;
  });
  return entries.map((e) => e.key);
}
