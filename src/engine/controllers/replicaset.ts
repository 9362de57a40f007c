/**
 * ReplicaSet controller (pkg/controller/replicaset): keep `replicas` non-terminating pods
 * owned by the set; name them `<rs>-<5 chars>`; delete the least useful extras first.
 */
import { clone, deepEqual } from '../core/json';
import { kubeRandString } from '../core/rng';
import type { StoreEvent } from '../model/store';
import type { Pod, ReplicaSet } from '../model/types';
import { DirtySet, nsName, splitKey, type Controller, type ControllerContext } from './context';
import { controllerOf, isAvailable, isReady, isTerminating, omitZero, ownerRef } from './pods';

export class ReplicaSetController implements Controller {
  readonly name = 'replicaset';
  #dirty = new DirtySet();
  /** rs uid → pod keys it owns, to avoid scanning every pod. */
  #podsByOwner = new Map<string, Set<string>>();
  constructor(private readonly ctx: ControllerContext) {}

  observe(e: StoreEvent): void {
    const o = e.object;
    if (o.kind === 'ReplicaSet') this.#dirty.add(nsName(o.metadata.namespace, o.metadata.name));
    if (o.kind !== 'Pod') return;
    const owner = controllerOf(o) ?? (e.old && controllerOf(e.old));
    if (!owner || owner.kind !== 'ReplicaSet') return;
    const key = nsName(o.metadata.namespace, o.metadata.name);
    let set = this.#podsByOwner.get(owner.uid);
    if (!set) this.#podsByOwner.set(owner.uid, (set = new Set()));
    if (e.type === 'DELETED') set.delete(key);
    else set.add(key);
    this.#dirty.add(nsName(o.metadata.namespace, owner.name));
  }

  podsOf(rs: ReplicaSet): Pod[] {
    const keys = this.#podsByOwner.get(rs.metadata.uid) ?? new Set();
    const out: Pod[] = [];
    for (const k of keys) {
      const [ns, name] = splitKey(k);
      const p = this.ctx.store.get('Pod', ns, name) as Pod | undefined;
      if (p) out.push(p);
    }
    return out;
  }

  sync(): boolean {
    let wrote = false;
    for (const key of this.#dirty.drain()) {
      const [ns, name] = splitKey(key);
      const rs = this.ctx.store.get('ReplicaSet', ns, name) as ReplicaSet | undefined;
      if (rs) wrote = this.#reconcile(rs) || wrote;
    }
    return wrote;
  }

  #reconcile(rs: ReplicaSet): boolean {
    const { api, events, rng, clock } = this.ctx;
    const pods = this.podsOf(rs);
    const active = pods.filter((p) => !isTerminating(p) && p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded');
    const want = rs.spec.replicas ?? 1;
    let wrote = false;
    if (rs.metadata.deletionTimestamp) return false;
    if (active.length < want) {
      for (let i = active.length; i < want; i++) {
        const tpl = clone(rs.spec.template);
        const pod = {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            name: `${rs.metadata.name}-${kubeRandString(rng, 5)}`,
            generateName: `${rs.metadata.name}-`,
            namespace: rs.metadata.namespace,
            labels: tpl.metadata?.labels ?? {},
            ...(tpl.metadata?.annotations ? { annotations: tpl.metadata.annotations } : {}),
            ownerReferences: [ownerRef(rs)],
          },
          spec: tpl.spec,
        };
        const created = api.create(pod);
        events.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`, 'replicaset-controller');
        wrote = true;
      }
    } else if (active.length > want) {
      // getPodsToDelete: unscheduled < scheduled, pending < running, not ready < ready, newer first.
      const rank = (p: Pod) => [p.spec.nodeName ? 1 : 0, p.status?.phase === 'Running' ? 1 : 0, isReady(p) ? 1 : 0];
      const victims = [...active].sort((a, b) => {
        const ra = rank(a), rb = rank(b);
        for (let i = 0; i < 3; i++) if (ra[i] !== rb[i]) return ra[i]! - rb[i]!;
        return a.metadata.creationTimestamp < b.metadata.creationTimestamp ? 1 : -1;
      });
      for (const p of victims.slice(0, active.length - want)) {
        api.delete(api.resource('Pod'), p.metadata.namespace, p.metadata.name);
        events.record(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`, 'replicaset-controller');
        wrote = true;
      }
    }
    const now = clock.now();
    const fresh = this.podsOf(rs).filter((p) => !isTerminating(p));
    const status = {
      replicas: fresh.length,
      fullyLabeledReplicas: fresh.length,
      readyReplicas: fresh.filter(isReady).length,
      availableReplicas: fresh.filter((p) => isAvailable(p, rs.spec.minReadySeconds ?? 0, now)).length,
      terminatingReplicas: this.podsOf(rs).length - fresh.length,
      observedGeneration: rs.metadata.generation ?? 1,
    };
    const next = omitZero(status, ['replicas']);
    if (!deepEqual(rs.status ?? {}, next)) {
      api.write({ ...clone(rs), status: next });
      wrote = true;
    }
    return wrote;
  }
}
