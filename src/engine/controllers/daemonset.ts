/**
 * DaemonSet controller (pkg/controller/daemon): one pod per node whose taints the template
 * tolerates (and whose labels match its nodeSelector), bound directly through a
 * nodeAffinity on metadata.name, as the real controller does; plus the tolerations it adds.
 */
import { clone } from '../core/json';
import { kubeRandString } from '../core/rng';
import type { StoreEvent } from '../model/store';
import type { DaemonSet, Node, Pod, Toleration } from '../model/types';
import { DirtySet, nsName, splitKey, type Controller, type ControllerContext } from './context';
import { controllerOf, isReady, isTerminating, omitZero, ownerRef } from './pods';
import { tolerates } from './scheduler';

/** AddOrUpdateDaemonPodTolerations (pkg/controller/daemon/util). */
const DAEMON_TOLERATIONS: Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

export class DaemonSetController implements Controller {
  readonly name = 'daemonset';
  #dirty = new DirtySet();
  constructor(private readonly ctx: ControllerContext) {}

  observe(e: StoreEvent): void {
    const o = e.object;
    if (o.kind === 'DaemonSet') this.#dirty.add(nsName(o.metadata.namespace, o.metadata.name));
    else if (o.kind === 'Node') for (const ds of this.ctx.store.list('DaemonSet')) this.#dirty.add(nsName(ds.metadata.namespace, ds.metadata.name));
    else if (o.kind === 'Pod') {
      const owner = controllerOf(o);
      if (owner?.kind === 'DaemonSet') this.#dirty.add(nsName(o.metadata.namespace, owner.name));
    }
  }

  sync(): boolean {
    let wrote = false;
    for (const key of this.#dirty.drain()) {
      const [ns, name] = splitKey(key);
      const ds = this.ctx.store.get('DaemonSet', ns, name) as DaemonSet | undefined;
      if (ds && !ds.metadata.deletionTimestamp) wrote = this.#reconcile(ds) || wrote;
    }
    return wrote;
  }

  #reconcile(ds: DaemonSet): boolean {
    const { store, api, events, rng } = this.ctx;
    const pods = (store.list('Pod', ds.metadata.namespace) as Pod[]).filter((p) => controllerOf(p)?.uid === ds.metadata.uid);
    const tpl = ds.spec.template;
    const tols = [...(tpl.spec.tolerations ?? []), ...DAEMON_TOLERATIONS];
    const nodes = (store.list('Node') as Node[]).filter(
      (n) =>
        (n.spec.taints ?? []).every((t) => t.effect === 'PreferNoSchedule' || tolerates(tols, t)) &&
        Object.entries(tpl.spec.nodeSelector ?? {}).every(([k, v]) => n.metadata.labels?.[k] === v),
    );
    let wrote = false;
    for (const n of nodes) {
      if (pods.some((p) => p.spec.nodeName === n.metadata.name && !isTerminating(p))) continue;
      const spec = clone(tpl.spec);
      spec.tolerations = [...(spec.tolerations ?? []), ...DAEMON_TOLERATIONS.filter((t) => !(spec.tolerations ?? []).some((x) => x.key === t.key))];
      spec.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [n.metadata.name] }] }] } } };
      spec.nodeName = n.metadata.name;
      const created = api.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: `${ds.metadata.name}-${kubeRandString(rng, 5)}`,
          generateName: `${ds.metadata.name}-`,
          namespace: ds.metadata.namespace,
          labels: { ...(tpl.metadata?.labels ?? {}), 'controller-revision-hash': ds.metadata.uid.slice(0, 8).replace(/[^a-z0-9]/g, 'b').slice(0, 10), 'pod-template-generation': String(ds.metadata.generation ?? 1) },
          ownerReferences: [ownerRef(ds)],
        },
        spec,
      });
      events.record(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`, 'daemonset-controller');
      wrote = true;
    }
    const live = (store.list('Pod', ds.metadata.namespace) as Pod[]).filter((p) => controllerOf(p)?.uid === ds.metadata.uid && !isTerminating(p));
    const ready = live.filter(isReady).length;
    const status = omitZero({
      currentNumberScheduled: live.length,
      numberMisscheduled: 0,
      desiredNumberScheduled: nodes.length,
      numberReady: ready,
      observedGeneration: ds.metadata.generation ?? 1,
      updatedNumberScheduled: live.length,
      numberAvailable: ready,
      numberUnavailable: nodes.length - ready,
    }, ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady']);
    if (JSON.stringify(ds.status) !== JSON.stringify(status)) {
      api.write({ ...clone(ds), status });
      wrote = true;
    }
    return wrote;
  }
}
