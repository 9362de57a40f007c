/**
 * kube-scheduler, reduced to what shows: filter nodes (unschedulable, untolerated NoSchedule
 * taints, nodeSelector), then spread — fewest pods wins, ties drawn from the seeded PRNG.
 * FailedScheduling messages follow the scheduler's wording.
 */
import { clone } from '../core/json';
import { rfc3339 } from '../core/clock';
import type { StoreEvent } from '../model/store';
import type { Node, Pod, Taint, Toleration } from '../model/types';
import { DirtySet, nsName, splitKey, type Controller, type ControllerContext } from './context';
import { isTerminating } from './pods';

export function tolerates(tols: Toleration[] | undefined, t: Taint): boolean {
  return (tols ?? []).some((tol) => {
    if (tol.effect && tol.effect !== t.effect) return false;
    if (tol.operator === 'Exists') return !tol.key || tol.key === t.key;
    return tol.key === t.key && (tol.value ?? '') === (t.value ?? '');
  });
}

export class Scheduler implements Controller {
  readonly name = 'scheduler';
  #dirty = new DirtySet();
  #podsPerNode = new Map<string, number>();
  constructor(private readonly ctx: ControllerContext) {}

  observe(e: StoreEvent): void {
    const o = e.object as Pod;
    if (e.object.kind === 'Node' && e.type === 'ADDED') for (const p of this.ctx.store.list('Pod')) if (!(p as Pod).spec.nodeName) this.#dirty.add(nsName(p.metadata.namespace, p.metadata.name));
    if (o.kind !== 'Pod') return;
    const oldNode = (e.old as Pod | undefined)?.spec.nodeName;
    const newNode = e.type === 'DELETED' ? undefined : o.spec.nodeName;
    if (oldNode !== newNode) {
      if (oldNode) this.#podsPerNode.set(oldNode, (this.#podsPerNode.get(oldNode) ?? 1) - 1);
      if (newNode) this.#podsPerNode.set(newNode, (this.#podsPerNode.get(newNode) ?? 0) + 1);
    }
    if (e.type !== 'DELETED' && !o.spec.nodeName) this.#dirty.add(nsName(o.metadata.namespace, o.metadata.name));
  }

  sync(): boolean {
    let wrote = false;
    for (const key of this.#dirty.drain()) {
      const [ns, name] = splitKey(key);
      const pod = this.ctx.store.get('Pod', ns, name) as Pod | undefined;
      if (!pod || pod.spec.nodeName || isTerminating(pod)) continue;
      wrote = this.#schedule(pod) || wrote;
    }
    return wrote;
  }

  #schedule(pod: Pod): boolean {
    const nodes = this.ctx.store.list('Node') as Node[];
    const reasons = new Map<string, number>();
    const fit: Node[] = [];
    for (const n of nodes) {
      const why = this.#unfit(pod, n);
      if (why) reasons.set(why, (reasons.get(why) ?? 0) + 1);
      else fit.push(n);
    }
    const now = rfc3339(this.ctx.clock.now());
    if (fit.length === 0) {
      // FitError.Error: "<count> <reason>" strings, sort.Strings'd as whole strings.
      const detail = [...reasons.entries()].map(([r, c]) => `${c} ${r}`).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).join(', ');
      const msg = `0/${nodes.length} nodes are available: ${detail}. preemption: 0/${nodes.length} nodes are available: ${nodes.length} Preemption is not helpful for scheduling.`;
      const cur = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
      if (cur?.message === msg) return false;
      const next = clone(pod);
      next.status = { ...(next.status ?? {}), phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: now, reason: 'Unschedulable', message: msg }] };
      this.ctx.api.write(next);
      this.ctx.events.record(pod, 'Warning', 'FailedScheduling', msg, 'default-scheduler');
      return true;
    }
    const least = Math.min(...fit.map((n) => this.#podsPerNode.get(n.metadata.name) ?? 0));
    const ties = fit.filter((n) => (this.#podsPerNode.get(n.metadata.name) ?? 0) === least);
    const node = ties[this.ctx.rng.int(ties.length)]!;
    const next = clone(pod);
    next.spec.nodeName = node.metadata.name;
    next.status = { ...(next.status ?? {}), phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now }] };
    this.ctx.api.write(next);
    this.ctx.events.record(pod, 'Normal', 'Scheduled', `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${node.metadata.name}`, 'default-scheduler');
    return true;
  }

  /** The scheduler's per-node failure reason, or undefined when the pod fits. */
  #unfit(pod: Pod, n: Node): string | undefined {
    if (n.spec.unschedulable && !tolerates(pod.spec.tolerations, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' })) return 'node(s) were unschedulable';
    for (const t of n.spec.taints ?? []) {
      if (t.effect === 'PreferNoSchedule') continue;
      if (!tolerates(pod.spec.tolerations, t)) return `node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`;
    }
    for (const [k, v] of Object.entries(pod.spec.nodeSelector ?? {})) {
      if (n.metadata.labels?.[k] !== v) return "node(s) didn't match Pod's node affinity/selector";
    }
    return undefined;
  }
}
