/**
 * EndpointSlice controller (pkg/controller/endpointslice + staging endpointslice/reconciler):
 * for each Service with a selector, its pods' IPs grouped by resolved port set, at most 100
 * endpoints per slice, slices named `<svc>-<5 chars>` and labelled
 * kubernetes.io/service-name + endpointslice.kubernetes.io/managed-by. Conditions:
 * ready = pod ready and not terminating (always true with publishNotReadyAddresses),
 * serving = pod ready, terminating = deletionTimestamp set. A Service without selector is
 * left alone (its user-made slices stay). An empty Service keeps one placeholder slice.
 */
import { clone, deepEqual } from '../core/json';
import { kubeRandString } from '../core/rng';
import { rfc3339 } from '../core/clock';
import type { StoreEvent } from '../model/store';
import type { Endpoint, EndpointPort, EndpointSlice, Node, Pod, Service } from '../model/types';
import { DirtySet, nsName, splitKey, type Controller, type ControllerContext } from './context';
import { controllerOf, isReady, isTerminating, ownerRef, shouldPodBeInEndpoints } from './pods';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const MANAGED_BY = 'endpointslice-controller.k8s.io';
export const MAX_ENDPOINTS_PER_SLICE = 100;

/** targetPort of a Service port, resolved against one pod (FindPort in pkg/api/v1/pod). */
export function resolveTargetPort(pod: Pod, target: number | string | undefined, protocol: string): number | undefined {
  if (typeof target === 'number') return target;
  for (const c of pod.spec.containers) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  }
  return undefined;
}

/**
 * Does a pod update change what the endpoint controllers publish? (podEndpointsChanged in
 * pkg/controller/util/endpoint: IP, readiness, deletion, labels, node, hostname/subdomain, phase.)
 */
export function podChangeMatters(a: Pod, b: Pod): boolean {
  return (
    a.status?.podIP !== b.status?.podIP ||
    isReady(a) !== isReady(b) ||
    !!a.metadata.deletionTimestamp !== !!b.metadata.deletionTimestamp ||
    !deepEqual(a.metadata.labels, b.metadata.labels) ||
    a.spec.nodeName !== b.spec.nodeName ||
    a.spec.hostname !== b.spec.hostname ||
    a.spec.subdomain !== b.spec.subdomain ||
    a.status?.phase !== b.status?.phase
  );
}

/**
 * The Services (namespace/name keys) whose endpoints a pod event can change: those selecting
 * the pod now, and before a label change. Updates that change nothing published are skipped.
 */
export function servicesTouchedByPod(index: ControllerContext['index'], e: StoreEvent): string[] {
  const pod = e.object as Pod;
  const old = e.old as Pod | undefined;
  if (old && e.type === 'MODIFIED' && !podChangeMatters(old, pod)) return [];
  const ns = pod.metadata.namespace!;
  const keys = index.servicesSelecting(ns, pod.metadata.labels).map((s) => nsName(ns, s));
  if (old && old.metadata.labels !== pod.metadata.labels) {
    for (const s of index.servicesSelecting(ns, old.metadata.labels)) keys.push(nsName(ns, s));
  }
  return keys;
}

export class EndpointSliceController implements Controller {
  readonly name = 'endpointslice';
  #dirty = new DirtySet();
  constructor(private readonly ctx: ControllerContext) {}

  observe(e: StoreEvent): void {
    const o = e.object;
    if (o.kind === 'Service') this.#dirty.add(nsName(o.metadata.namespace, o.metadata.name));
    else if (o.kind === 'EndpointSlice') {
      const svc = o.metadata.labels?.[SERVICE_NAME_LABEL];
      if (svc && o.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY) this.#dirty.add(nsName(o.metadata.namespace, svc));
    } else if (o.kind === 'Pod') {
      for (const key of servicesTouchedByPod(this.ctx.index, e)) this.#dirty.add(key);
    }
  }

  sync(): boolean {
    let wrote = false;
    for (const key of this.#dirty.drain()) {
      const [ns, name] = splitKey(key);
      wrote = this.#reconcile(ns, name) || wrote;
    }
    return wrote;
  }

  #ownedSlices(ns: string, svc: string): EndpointSlice[] {
    return this.ctx.index.select<EndpointSlice>('EndpointSlice', ns, { [SERVICE_NAME_LABEL]: svc, [MANAGED_BY_LABEL]: MANAGED_BY });
  }

  #reconcile(ns: string, name: string): boolean {
    const { store, api } = this.ctx;
    const svc = store.get('Service', ns, name) as Service | undefined;
    const existing = this.#ownedSlices(ns, name);
    if (!svc || !svc.spec.selector || svc.spec.type === 'ExternalName') {
      for (const s of existing) api.purge(s);
      return existing.length > 0;
    }
    // Group endpoints by their resolved port list.
    const groups = new Map<string, { ports: EndpointPort[]; endpoints: Endpoint[] }>();
    for (const pod of this.ctx.index.select<Pod>('Pod', ns, svc.spec.selector)) {
      if (!shouldPodBeInEndpoints(pod, true)) continue;
      const ports: EndpointPort[] = [];
      for (const sp of svc.spec.ports ?? []) {
        const port = resolveTargetPort(pod, sp.targetPort ?? sp.port, sp.protocol ?? 'TCP');
        if (port === undefined) continue;
        ports.push({ name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
      }
      const terminating = isTerminating(pod);
      const ready = isReady(pod);
      const node = pod.spec.nodeName ? (store.get('Node', undefined, pod.spec.nodeName) as Node | undefined) : undefined;
      const zone = node?.metadata.labels?.['topology.kubernetes.io/zone'];
      const ep: Endpoint = {
        addresses: [pod.status!.podIP!],
        conditions: { ready: svc.spec.publishNotReadyAddresses ? true : ready && !terminating, serving: ready, terminating },
        ...(pod.spec.hostname && pod.spec.subdomain === name ? { hostname: pod.spec.hostname } : {}),
        ...(pod.spec.nodeName ? { nodeName: pod.spec.nodeName } : {}),
        targetRef: { kind: 'Pod', namespace: ns, name: pod.metadata.name, uid: pod.metadata.uid },
        ...(zone ? { zone } : {}),
      };
      const key = JSON.stringify(ports);
      const g = groups.get(key) ?? { ports, endpoints: [] };
      g.endpoints.push(ep);
      groups.set(key, g);
    }
    // Desired slices: chunks of ≤100 per port group; an empty Service keeps one placeholder.
    const desired: { ports: EndpointPort[] | null; endpoints: Endpoint[] }[] = [];
    for (const g of groups.values()) {
      for (let i = 0; i < g.endpoints.length; i += MAX_ENDPOINTS_PER_SLICE) desired.push({ ports: g.ports, endpoints: g.endpoints.slice(i, i + MAX_ENDPOINTS_PER_SLICE) });
    }
    if (desired.length === 0) desired.push({ ports: null, endpoints: [] });
    const labels = { ...(svc.metadata.labels ?? {}), [SERVICE_NAME_LABEL]: name, [MANAGED_BY_LABEL]: MANAGED_BY };
    let wrote = false;
    const reusable = [...existing];
    for (const want of desired) {
      // Prefer a slice with the same ports, so names stay stable as pods come and go.
      let idx = reusable.findIndex((s) => deepEqual(s.ports, want.ports));
      if (idx < 0) idx = reusable.length ? 0 : -1;
      const body = { endpoints: want.endpoints.length ? want.endpoints : null, ports: want.ports };
      if (idx >= 0) {
        const cur = reusable.splice(idx, 1)[0]!;
        if (deepEqual(cur.endpoints, body.endpoints) && deepEqual(cur.ports, body.ports) && deepEqual(cur.metadata.labels, labels)) continue;
        const next = clone(cur);
        next.endpoints = body.endpoints;
        next.ports = body.ports;
        next.metadata.labels = labels;
        next.metadata.annotations = { ...(next.metadata.annotations ?? {}), 'endpoints.kubernetes.io/last-change-trigger-time': rfc3339(this.ctx.clock.now()) };
        api.write(next);
      } else {
        api.create({
          apiVersion: 'discovery.k8s.io/v1',
          kind: 'EndpointSlice',
          metadata: {
            name: `${name}-${kubeRandString(this.ctx.rng, 5)}`,
            generateName: `${name}-`,
            namespace: ns,
            labels,
            annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': rfc3339(this.ctx.clock.now()) },
            ownerReferences: [ownerRef(svc)],
          },
          addressType: 'IPv4',
          ...body,
        });
      }
      wrote = true;
    }
    for (const s of reusable) {
      api.purge(s);
      wrote = true;
    }
    return wrote;
  }
}

export { controllerOf };
