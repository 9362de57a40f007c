/**
 * The endpoints controller (pkg/controller/endpoint): v1 Endpoints named after each Service
 * with a selector. Ready pods go to `addresses`, unready ones to `notReadyAddresses`,
 * terminating pods are left out (unless publishNotReadyAddresses). Deprecated since v1.33,
 * still kept, as on a real cluster.
 */
import { clone, deepEqual } from '../core/json';
import { rfc3339 } from '../core/clock';
import type { StoreEvent } from '../model/store';
import type { EndpointAddress, EndpointPort, Endpoints, Pod, Service } from '../model/types';
import { DirtySet, nsName, splitKey, type Controller, type ControllerContext } from './context';
import { isReady, shouldPodBeInEndpoints } from './pods';
import { resolveTargetPort, servicesTouchedByPod } from './endpointslice';

export class EndpointsController implements Controller {
  readonly name = 'endpoints';
  #dirty = new DirtySet();
  constructor(private readonly ctx: ControllerContext) {}

  observe(e: StoreEvent): void {
    const o = e.object;
    if (o.kind === 'Service') this.#dirty.add(nsName(o.metadata.namespace, o.metadata.name));
    else if (o.kind === 'Pod') {
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

  #reconcile(ns: string, name: string): boolean {
    const { store, api } = this.ctx;
    const svc = store.get('Service', ns, name) as Service | undefined;
    const cur = store.get('Endpoints', ns, name) as Endpoints | undefined;
    if (!svc) {
      if (cur) api.purge(cur);
      return !!cur;
    }
    if (!svc.spec.selector) return false; // selectorless: the user owns Endpoints
    const bySet = new Map<string, { addresses: EndpointAddress[]; notReadyAddresses: EndpointAddress[]; ports: EndpointPort[] }>();
    for (const pod of this.ctx.index.select<Pod>('Pod', ns, svc.spec.selector)) {
      if (!shouldPodBeInEndpoints(pod, !!svc.spec.publishNotReadyAddresses)) continue;
      const ports: EndpointPort[] = [];
      for (const sp of svc.spec.ports ?? []) {
        const port = resolveTargetPort(pod, sp.targetPort ?? sp.port, sp.protocol ?? 'TCP');
        if (port !== undefined) ports.push({ ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? 'TCP' });
      }
      const addr: EndpointAddress = {
        ip: pod.status!.podIP!,
        ...(pod.spec.nodeName ? { nodeName: pod.spec.nodeName } : {}),
        targetRef: { kind: 'Pod', namespace: ns, name: pod.metadata.name, uid: pod.metadata.uid },
      };
      const key = JSON.stringify(ports);
      const set = bySet.get(key) ?? { addresses: [], notReadyAddresses: [], ports };
      if (isReady(pod) || svc.spec.publishNotReadyAddresses) set.addresses.push(addr);
      else set.notReadyAddresses.push(addr);
      bySet.set(key, set);
    }
    const subsets = [...bySet.values()].map((s) => ({
      ...(s.addresses.length ? { addresses: s.addresses.sort((a, b) => (a.ip < b.ip ? -1 : 1)) } : {}),
      ...(s.notReadyAddresses.length ? { notReadyAddresses: s.notReadyAddresses.sort((a, b) => (a.ip < b.ip ? -1 : 1)) } : {}),
      ...(s.ports.length ? { ports: s.ports } : {}),
    }));
    const labels = { ...(svc.metadata.labels ?? {}) };
    if (cur && deepEqual(cur.subsets ?? [], subsets) && deepEqual(cur.metadata.labels ?? {}, labels)) return false;
    const body = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: {
        name,
        namespace: ns,
        ...(Object.keys(labels).length ? { labels } : {}),
        annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': rfc3339(this.ctx.clock.now()) },
      },
      subsets: subsets.length ? subsets : undefined,
    };
    if (cur) api.write({ ...clone(cur), ...body, metadata: { ...clone(cur.metadata), ...body.metadata } });
    else api.create(body);
    return true;
  }
}
