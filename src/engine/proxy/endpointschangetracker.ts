/**
 * EndpointsChangeTracker over an EndpointSlice cache (pkg/proxy/endpointschangetracker.go,
 * endpointslicecache.go). Slices are grouped by their kubernetes.io/service-name label;
 * at sync time the endpoints of every touched Service are merged from all its slices
 * (deduplicated by ip:port, a local copy winning, sorted by "ip:port" as upstream does)
 * and compared with what the proxier last saw.
 */
import type { EndpointSlice, Protocol } from '../model/types';
import { endpointChainNamer } from './hash';
import { canonicalIP } from './ip';
import type { EndpointInfo, EndpointsMap, NamespacedName } from './types';
import { servicePortKey, servicePortNameString } from './types';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
const NO_HINTS = Object.freeze([]) as unknown as string[];
const noChainName = (): string => '';
const NO_PORTS: NonNullable<EndpointSlice['ports']> = [];
const NO_ENDPOINTS: NonNullable<EndpointSlice['endpoints']> = [];

/** The endpoints of one Service: servicePortKey → endpoints. */
type ServiceEndpoints = Map<string, EndpointInfo[]>;
/** A Service with no endpoints yet (shared: only ever read). */
const NO_SERVICE_ENDPOINTS: ServiceEndpoints = new Map();

interface Hints {
  forZones?: { name: string }[];
  forNodes?: { name: string }[];
}

export class EndpointsChangeTracker {
  /** service → slice name → slice. */
  private slices = new Map<NamespacedName, Map<string, EndpointSlice>>();
  /** service → endpoints as last checked out (what the proxier's EndpointsMap holds). */
  private applied = new Map<NamespacedName, ServiceEndpoints>();
  private dirty = new Set<NamespacedName>();

  /**
   * nameChains: give each endpoint its KUBE-SEP- chain name (iptables mode). IPVS mode has
   * no per-endpoint chains (upstream's IPVS proxier keeps BaseEndpointInfo) and nftables
   * mode names its own, so they skip the hashing; chainName is then ''.
   */
  constructor(readonly nodeName: string, private readonly nameChains = true) {}

  /** EndpointSliceUpdate(slice, removeSlice): returns whether changes are pending. */
  endpointSliceUpdate(slice: EndpointSlice, removeSlice: boolean): boolean {
    const service = slice.metadata.labels?.[SERVICE_NAME_LABEL];
    // Upstream logs "Service name label missing" and ignores the slice.
    if (!service) return this.dirty.size > 0;
    // The IPv4 proxier ignores IPv6 and FQDN slices.
    if (slice.addressType !== 'IPv4') return this.dirty.size > 0;
    const nsn = `${slice.metadata.namespace ?? 'default'}/${service}`;
    let bySlice = this.slices.get(nsn);
    if (!bySlice) this.slices.set(nsn, (bySlice = new Map()));
    if (removeSlice) bySlice.delete(slice.metadata.name);
    else bySlice.set(slice.metadata.name, slice);
    if (bySlice.size === 0) this.slices.delete(nsn);
    this.dirty.add(nsn);
    return true;
  }

  pending(): number {
    return this.dirty.size;
  }

  /** Merge the slices of one Service (endpointslicecache.go endpointInfoByServicePort). */
  // Indexed loops: this runs for 100,000 endpoints in a cold full sync, often before the
  // optimiser gets to it, and unoptimised for-of allocates an iterator result per step.
  private build(nsn: NamespacedName): ServiceEndpoints {
    const out: ServiceEndpoints = new Map();
    const bySlice = this.slices.get(nsn);
    if (!bySlice) return out;
    const slash = nsn.indexOf('/');
    const namespace = nsn.slice(0, slash);
    const name = nsn.slice(slash + 1);
    for (const sliceName of bySlice.size === 1 ? bySlice.keys() : [...bySlice.keys()].sort()) {
      const slice = bySlice.get(sliceName)!;
      const ports = slice.ports ?? NO_PORTS;
      const endpoints = slice.endpoints ?? NO_ENDPOINTS;
      for (let pi = 0; pi < ports.length; pi++) {
        const port = ports[pi]!;
        if (!port.port) continue; // "ignoring invalid endpoint port"
        const protocol: Protocol = port.protocol ?? 'TCP';
        const spn = { namespace, name, port: port.name ?? '', protocol };
        const key = servicePortKey(spn);
        const chainNameOf = this.nameChains ? endpointChainNamer(servicePortNameString(spn), protocol.toLowerCase()) : noChainName;
        let list = out.get(key);
        if (!list) out.set(key, (list = []));
        for (let ei = 0; ei < endpoints.length; ei++) {
          const ep = endpoints[ei]!;
          const rawIP = ep.addresses?.[0];
          if (!rawIP) continue;
          const ip = canonicalIP(rawIP);
          if (!ip) continue;
          const endpoint = `${ip}:${port.port}`;
          const hints = ep.hints as Hints | undefined;
          const conditions = ep.conditions;
          // One object shape for every endpoint (no spreads): this runs 100,000 times
          // in a full sync of a big cluster.
          const info: EndpointInfo = {
            ip,
            port: port.port,
            endpoint,
            isLocal: ep.nodeName !== undefined && ep.nodeName === this.nodeName,
            // Nil conditions mean ready/serving, not terminating (EndpointSlice API).
            ready: conditions?.ready !== false,
            serving: conditions?.serving !== false,
            terminating: conditions?.terminating === true,
            nodeName: ep.nodeName,
            zone: ep.zone,
            zoneHints: hints?.forZones?.length ? hints.forZones.map((z) => z.name) : NO_HINTS,
            nodeHints: hints?.forNodes?.length ? hints.forNodes.map((n) => n.name) : NO_HINTS,
            chainName: chainNameOf(endpoint),
          };
          list.push(info);
        }
      }
    }
    // Sorted and deduplicated in place; a port with no endpoint left is no entry.
    for (const [key, list] of out) {
      if (list.length === 0) out.delete(key);
      else sortedUnique(list);
    }
    return out;
  }

  /** Check out pending changes: service → {previous, current}, only real changes. */
  checkout(): Map<NamespacedName, { previous: ServiceEndpoints; current: ServiceEndpoints }> {
    const out = new Map<NamespacedName, { previous: ServiceEndpoints; current: ServiceEndpoints }>();
    for (const nsn of this.dirty) {
      const previous = this.applied.get(nsn) ?? NO_SERVICE_ENDPOINTS;
      const current = this.build(nsn);
      if (serviceEndpointsEqual(previous, current)) continue;
      if (current.size) this.applied.set(nsn, current);
      else this.applied.delete(nsn);
      out.set(nsn, { previous, current });
    }
    this.dirty.clear();
    return out;
  }
}

/** Lists this short are sorted in place without Array.prototype.sort's work arrays (one per Service otherwise). */
const SMALL_LIST = 32;

/** Stable insertion sort by endpoint: linear on the usual, already sorted, slice. */
function insertionSortByEndpoint(list: EndpointInfo[]): void {
  for (let i = 1; i < list.length; i++) {
    const ep = list[i]!;
    let j = i - 1;
    while (j >= 0 && list[j]!.endpoint > ep.endpoint) {
      list[j + 1] = list[j]!;
      j--;
    }
    list[j + 1] = ep;
  }
}

/**
 * Sorted by "ip:port" with duplicates merged as upstream does: the first copy seen, unless
 * a later copy is local (a local duplicate wins). Sorts `list` in place (stable).
 */
export function sortedUnique(list: EndpointInfo[]): EndpointInfo[] {
  if (list.length <= SMALL_LIST) insertionSortByEndpoint(list);
  else list.sort((a, b) => (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0));
  let n = 0;
  for (let i = 0; i < list.length; i++) {
    const ep = list[i]!;
    if (n > 0 && list[n - 1]!.endpoint === ep.endpoint) {
      if (ep.isLocal) list[n - 1] = ep;
      continue;
    }
    list[n++] = ep;
  }
  list.length = n;
  return list;
}

function serviceEndpointsEqual(a: ServiceEndpoints, b: ServiceEndpoints): boolean {
  if (a.size !== b.size) return false;
  for (const [k, la] of a) {
    const lb = b.get(k);
    if (!lb || lb.length !== la.length) return false;
    for (let i = 0; i < la.length; i++) {
      const x = la[i]!;
      const y = lb[i]!;
      if (
        x.endpoint !== y.endpoint || x.isLocal !== y.isLocal || x.ready !== y.ready || x.serving !== y.serving ||
        x.terminating !== y.terminating || x.zone !== y.zone || x.nodeName !== y.nodeName ||
        x.zoneHints.join() !== y.zoneHints.join() || x.nodeHints.join() !== y.nodeHints.join()
      ) return false;
    }
  }
  return true;
}

export interface UpdateEndpointsMapResult {
  /** Services whose endpoints changed since the last update. */
  updatedServices: Set<NamespacedName>;
  /** Upstream: UDP endpoints went away, so stale conntrack entries must be cleared. */
  conntrackCleanupRequired: boolean;
}

/** EndpointsMap.Update: apply the tracker's changes to `map` in place. */
export function updateEndpointsMap(map: EndpointsMap, tracker: EndpointsChangeTracker): UpdateEndpointsMapResult {
  const result: UpdateEndpointsMapResult = { updatedServices: new Set(), conntrackCleanupRequired: false };
  for (const [nsn, { previous, current }] of tracker.checkout()) {
    result.updatedServices.add(nsn);
    for (const [key, eps] of previous) {
      if (!current.has(key)) map.delete(key);
      // Removing a UDP endpoint (or the port) needs a conntrack flush, as upstream.
      const now = new Set((current.get(key) ?? []).map((e) => e.endpoint));
      if (key.endsWith('/UDP') && eps.some((e) => !now.has(e.endpoint))) result.conntrackCleanupRequired = true;
    }
    for (const [key, eps] of current) map.set(key, eps);
  }
  return result;
}

/** EndpointsMap.LocalReadyEndpoints: namespace/name → number of local ready endpoints. */
export function localReadyEndpoints(map: EndpointsMap): Map<NamespacedName, number> {
  const out = new Map<NamespacedName, number>();
  for (const [key, eps] of map) {
    const nsn = key.split(/[:/]/).slice(0, 2).join('/');
    const n = eps.filter((e) => e.isLocal && e.ready).length;
    if (n > 0) out.set(nsn, (out.get(nsn) ?? 0) + n);
  }
  return out;
}
