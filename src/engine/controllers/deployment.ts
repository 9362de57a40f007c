/**
 * Deployment controller (pkg/controller/deployment): one ReplicaSet per pod template,
 * named `<deploy>-<pod-template-hash>`, revisions in `deployment.kubernetes.io/revision`,
 * RollingUpdate bounded by maxSurge/maxUnavailable (rolling.go), Recreate (recreate.go),
 * history trimmed to revisionHistoryLimit, Available/Progressing conditions.
 */
import { rfc3339 } from '../core/clock';
import { clone, deepEqual } from '../core/json';
import { KUBE_ALPHANUMS } from '../core/rng';
import { sortedJSON } from '../model/apply';
import type { StoreEvent } from '../model/store';
import type { Deployment, PodTemplateSpec, ReplicaSet } from '../model/types';
import { DirtySet, nsName, splitKey, type Controller, type ControllerContext } from './context';
import { controllerOf, omitZero, ownerRef } from './pods';
import type { ReplicaSetController } from './replicaset';
import { isAvailable, isReady, isTerminating } from './pods';

export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const CHANGE_CAUSE = 'kubernetes.io/change-cause';
/** Deployment annotations never copied to its ReplicaSets (deployment/util annotationsToSkip). */
export const ANNOTATIONS_TO_SKIP = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  REVISION_HISTORY,
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

/** copyDeploymentAnnotationsToReplicaSet: returns the RS annotations, or undefined when unchanged. */
function copyAnnotations(d: Deployment, rsAnnotations: Record<string, string>): Record<string, string> | undefined {
  let out: Record<string, string> | undefined;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (ANNOTATIONS_TO_SKIP.has(k) || rsAnnotations[k] === v) continue;
    (out ??= { ...rsAnnotations })[k] = v;
  }
  return out;
}
const HASH_LABEL = 'pod-template-hash';

/** FNV-32a of the template, encoded like rand.SafeEncodeString (controller_utils.ComputeHash). */
export function podTemplateHash(tpl: PodTemplateSpec, collisionCount = 0): string {
  const text = sortedJSON(tpl) + (collisionCount ? String(collisionCount) : '');
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return [...String(h)].map((c) => KUBE_ALPHANUMS[c.charCodeAt(0) % KUBE_ALPHANUMS.length]).join('');
}

/** intstr.GetScaledValueFromIntOrPercent. */
export function scaled(v: number | string | undefined, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  const pct = Number(String(v ?? '0').replace('%', ''));
  const x = (pct * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

function templateWithoutHash(tpl: PodTemplateSpec): PodTemplateSpec {
  const t = clone(tpl);
  if (t.metadata?.labels) delete t.metadata.labels[HASH_LABEL];
  return t;
}

const revisionOf = (rs: ReplicaSet): number => Number(rs.metadata.annotations?.[REVISION] ?? 0);

export class DeploymentController implements Controller {
  readonly name = 'deployment';
  #dirty = new DirtySet();
  #rsByOwner = new Map<string, Set<string>>();
  constructor(private readonly ctx: ControllerContext, private readonly rsc: ReplicaSetController) {}

  observe(e: StoreEvent): void {
    const o = e.object;
    if (o.kind === 'Deployment') this.#dirty.add(nsName(o.metadata.namespace, o.metadata.name));
    if (o.kind === 'ReplicaSet') {
      const owner = controllerOf(o);
      if (!owner || owner.kind !== 'Deployment') return;
      let set = this.#rsByOwner.get(owner.uid);
      if (!set) this.#rsByOwner.set(owner.uid, (set = new Set()));
      if (e.type === 'DELETED') set.delete(o.metadata.name);
      else set.add(o.metadata.name);
      this.#dirty.add(nsName(o.metadata.namespace, owner.name));
    }
    if (o.kind === 'Pod' && e.type !== 'ADDED') {
      // Pod readiness moves Deployment status; the owning RS's status write also triggers us.
    }
  }

  replicaSetsOf(d: Deployment): ReplicaSet[] {
    const names = this.#rsByOwner.get(d.metadata.uid) ?? new Set();
    const out: ReplicaSet[] = [];
    for (const n of names) {
      const rs = this.ctx.store.get('ReplicaSet', d.metadata.namespace, n) as ReplicaSet | undefined;
      if (rs) out.push(rs);
    }
    return out.sort((a, b) => revisionOf(a) - revisionOf(b));
  }

  sync(): boolean {
    let wrote = false;
    for (const key of this.#dirty.drain()) {
      const [ns, name] = splitKey(key);
      const d = this.ctx.store.get('Deployment', ns, name) as Deployment | undefined;
      if (d && !d.metadata.deletionTimestamp) wrote = this.#reconcile(d) || wrote;
    }
    return wrote;
  }

  #scale(d: Deployment, rs: ReplicaSet, to: number): void {
    const from = rs.spec.replicas ?? 0;
    if (from === to) return;
    const next = clone(rs);
    next.spec.replicas = to;
    const ann = (next.metadata.annotations ??= {});
    ann['deployment.kubernetes.io/desired-replicas'] = String(d.spec.replicas ?? 1);
    ann['deployment.kubernetes.io/max-replicas'] = String((d.spec.replicas ?? 1) + this.#maxSurge(d));
    this.ctx.api.write(next);
    const verb = to > from ? 'up' : 'down';
    this.ctx.events.record(d, 'Normal', 'ScalingReplicaSet', `Scaled ${verb} replica set ${rs.metadata.name} from ${from} to ${to}`, 'deployment-controller');
  }

  #maxSurge(d: Deployment): number {
    if (d.spec.strategy?.type === 'Recreate') return 0;
    return scaled(d.spec.strategy?.rollingUpdate?.maxSurge, d.spec.replicas ?? 1, true);
  }

  #maxUnavailable(d: Deployment): number {
    const replicas = d.spec.replicas ?? 1;
    let mu = scaled(d.spec.strategy?.rollingUpdate?.maxUnavailable, replicas, false);
    if (mu === 0 && this.#maxSurge(d) === 0) mu = 1;
    return Math.min(mu, replicas);
  }

  #available(rs: ReplicaSet): number {
    const now = this.ctx.clock.now();
    return this.rsc.podsOf(rs).filter((p) => !isTerminating(p) && isAvailable(p, rs.spec.minReadySeconds ?? 0, now)).length;
  }

  #reconcile(d: Deployment): boolean {
    const { api } = this.ctx;
    const before = this.ctx.store.nextResourceVersion;
    void before;
    let all = this.replicaSetsOf(d);
    const want = templateWithoutHash(d.spec.template);
    let newRS = all.find((rs) => deepEqual(templateWithoutHash(rs.spec.template), want));
    const maxRevision = all.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
    let wrote = false;
    const replicas = d.spec.replicas ?? 1;

    if (!newRS) {
      const hash = podTemplateHash(want);
      const tpl = clone(want);
      tpl.metadata = { ...(tpl.metadata ?? {}), labels: { ...(tpl.metadata?.labels ?? {}), [HASH_LABEL]: hash } };
      const selector = clone(d.spec.selector);
      selector.matchLabels = { ...(selector.matchLabels ?? {}), [HASH_LABEL]: hash };
      const isFirst = all.length === 0;
      const initial = d.spec.strategy?.type === 'Recreate' && !isFirst ? 0 : isFirst ? replicas : Math.min(replicas, Math.max(0, replicas + this.#maxSurge(d) - all.reduce((s, rs) => s + (rs.spec.replicas ?? 0), 0)));
      const annotations: Record<string, string> = {
        'deployment.kubernetes.io/desired-replicas': String(replicas),
        'deployment.kubernetes.io/max-replicas': String(replicas + this.#maxSurge(d)),
        [REVISION]: String(maxRevision + 1),
      };
      for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) if (!ANNOTATIONS_TO_SKIP.has(k)) annotations[k] = v;
      const created = api.create({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `${d.metadata.name}-${hash}`,
          namespace: d.metadata.namespace,
          labels: { ...(tpl.metadata.labels ?? {}) },
          annotations,
          ownerReferences: [ownerRef(d)],
        },
        spec: { replicas: 0, minReadySeconds: d.spec.minReadySeconds ?? 0, selector, template: tpl },
      }) as ReplicaSet;
      newRS = created;
      if (initial > 0) this.#scale(d, created, initial);
      newRS = this.ctx.store.get('ReplicaSet', d.metadata.namespace, created.metadata.name) as ReplicaSet;
      all = this.replicaSetsOf(d);
      wrote = true;
      this.#progress(d, 'NewReplicaSetCreated', `Created new replica set "${created.metadata.name}"`);
    } else {
      // SetNewReplicaSetAnnotations: copy the Deployment's annotations; a template seen
      // before (rollback) becomes the newest revision again and keeps its old numbers in
      // deployment.kubernetes.io/revision-history.
      const cur = newRS.metadata.annotations ?? {};
      let ann = copyAnnotations(d, cur);
      const old = revisionOf(newRS);
      if (old < maxRevision) {
        ann = { ...(ann ?? cur), [REVISION]: String(maxRevision + 1) };
        if (cur[REVISION] !== undefined) ann[REVISION_HISTORY] = cur[REVISION_HISTORY] ? `${cur[REVISION_HISTORY]},${cur[REVISION]}` : cur[REVISION];
      }
      if (ann) {
        const next = clone(newRS);
        next.metadata.annotations = ann;
        newRS = api.write(next) as ReplicaSet;
        all = this.replicaSetsOf(d);
        wrote = true;
      }
    }

    const old = all.filter((rs) => rs.metadata.uid !== newRS!.metadata.uid);
    if (!d.spec.paused) {
      if (d.spec.strategy?.type === 'Recreate') wrote = this.#recreate(d, newRS, old) || wrote;
      else wrote = this.#rolling(d, newRS, old) || wrote;
    }
    wrote = this.#cleanup(d, old) || wrote;
    wrote = this.#status(d, this.ctx.store.get('ReplicaSet', d.metadata.namespace, newRS.metadata.name) as ReplicaSet) || wrote;
    return wrote;
  }

  #recreate(d: Deployment, newRS: ReplicaSet, old: ReplicaSet[]): boolean {
    let wrote = false;
    for (const rs of old) if ((rs.spec.replicas ?? 0) > 0) {
      this.#scale(d, rs, 0);
      wrote = true;
    }
    const oldPods = old.some((rs) => this.rsc.podsOf(rs).length > 0);
    if (!oldPods && (newRS.spec.replicas ?? 0) !== (d.spec.replicas ?? 1)) {
      this.#scale(d, newRS, d.spec.replicas ?? 1);
      wrote = true;
    }
    return wrote;
  }

  /** rolling.go: reconcileNewReplicaSet then reconcileOldReplicaSets. */
  #rolling(d: Deployment, newRS: ReplicaSet, old: ReplicaSet[]): boolean {
    const replicas = d.spec.replicas ?? 1;
    const maxSurge = this.#maxSurge(d);
    const maxUnavailable = this.#maxUnavailable(d);
    let wrote = false;
    const total = () => [newRS, ...old].reduce((s, rs) => s + (this.ctx.store.get('ReplicaSet', rs.metadata.namespace, rs.metadata.name) as ReplicaSet | undefined)?.spec.replicas! || 0, 0);
    const newReplicas = newRS.spec.replicas ?? 0;
    if (newReplicas > replicas) {
      this.#scale(d, newRS, replicas);
      wrote = true;
    } else if (newReplicas < replicas) {
      const allowed = replicas + maxSurge - total();
      const up = Math.min(Math.max(0, allowed), replicas - newReplicas);
      if (up > 0) {
        this.#scale(d, newRS, newReplicas + up);
        wrote = true;
      }
    }
    const liveNew = this.ctx.store.get('ReplicaSet', newRS.metadata.namespace, newRS.metadata.name) as ReplicaSet;
    const oldLive = old.map((rs) => this.ctx.store.get('ReplicaSet', rs.metadata.namespace, rs.metadata.name) as ReplicaSet).filter((rs) => rs && (rs.spec.replicas ?? 0) > 0);
    if (oldLive.length === 0) return wrote;
    const allPods = total();
    const minAvailable = replicas - maxUnavailable;
    const newUnavailable = (liveNew.spec.replicas ?? 0) - this.#available(liveNew);
    let maxScaledDown = allPods - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return wrote;
    // cleanupUnhealthyReplicas: old pods that are not available go first.
    for (const rs of oldLive) {
      if (maxScaledDown <= 0) break;
      const unhealthy = (rs.spec.replicas ?? 0) - this.#available(rs);
      const n = Math.min(unhealthy, maxScaledDown);
      if (n > 0) {
        this.#scale(d, rs, (rs.spec.replicas ?? 0) - n);
        maxScaledDown -= n;
        wrote = true;
      }
    }
    // scaleDownOldReplicaSetsForRollingUpdate: keep minAvailable available.
    const availableNow = [liveNew, ...oldLive].reduce((s, rs) => s + this.#available(rs), 0);
    let canDown = availableNow - minAvailable;
    for (const rs of oldLive) {
      if (canDown <= 0) break;
      const cur = (this.ctx.store.get('ReplicaSet', rs.metadata.namespace, rs.metadata.name) as ReplicaSet).spec.replicas ?? 0;
      const n = Math.min(cur, canDown);
      if (n > 0) {
        this.#scale(d, this.ctx.store.get('ReplicaSet', rs.metadata.namespace, rs.metadata.name) as ReplicaSet, cur - n);
        canDown -= n;
        wrote = true;
      }
    }
    return wrote;
  }

  /** Keep at most revisionHistoryLimit old ReplicaSets (scaled to 0, no pods), oldest go first. */
  #cleanup(d: Deployment, old: ReplicaSet[]): boolean {
    const limit = d.spec.revisionHistoryLimit ?? 10;
    const idle = old
      .map((rs) => this.ctx.store.get('ReplicaSet', rs.metadata.namespace, rs.metadata.name) as ReplicaSet | undefined)
      .filter((rs): rs is ReplicaSet => !!rs && (rs.spec.replicas ?? 0) === 0 && this.rsc.podsOf(rs).length === 0);
    let wrote = false;
    for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) {
      this.ctx.api.purge(rs);
      wrote = true;
    }
    return wrote;
  }

  #pendingProgress: { reason: string; message: string } | undefined;
  #progress(_d: Deployment, reason: string, message: string): void {
    this.#pendingProgress = { reason, message };
  }

  #status(d: Deployment, newRS: ReplicaSet): boolean {
    const all = this.replicaSetsOf(d);
    const replicas = d.spec.replicas ?? 1;
    const sum = (f: (rs: ReplicaSet) => number) => all.reduce((s, rs) => s + f(rs), 0);
    const podsNow = all.flatMap((rs) => this.rsc.podsOf(rs));
    const live = podsNow.filter((p) => !isTerminating(p));
    const available = sum((rs) => this.#available(rs));
    const updated = this.rsc.podsOf(newRS).filter((p) => !isTerminating(p)).length;
    const now = rfc3339(this.ctx.clock.now());
    const prev = d.status?.conditions ?? [];
    const cond = (type: string, status: string, reason: string, message: string) => {
      const p = prev.find((c) => c.type === type);
      const same = p && p.status === status;
      const sameReason = same && p.reason === reason && p.message === message;
      return {
        type,
        status,
        lastUpdateTime: sameReason ? p.lastUpdateTime ?? now : now,
        lastTransitionTime: same ? p.lastTransitionTime ?? now : now,
        reason,
        message,
      };
    };
    const minAvailable = replicas - this.#maxUnavailable(d);
    const availableCond = available >= minAvailable
      ? cond('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.')
      : cond('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.');
    const complete = updated === replicas && (newRS.status?.availableReplicas ?? 0) >= replicas && live.length === replicas;
    let progressing;
    if (complete) progressing = cond('Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${newRS.metadata.name}" has successfully progressed.`);
    else if (this.#pendingProgress) progressing = cond('Progressing', 'True', this.#pendingProgress.reason, this.#pendingProgress.message);
    else {
      const p = prev.find((c) => c.type === 'Progressing');
      progressing = p && p.reason === 'NewReplicaSetCreated' && p.message?.includes(`"${newRS.metadata.name}"`)
        ? cond('Progressing', 'True', p.reason, p.message)
        : cond('Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${newRS.metadata.name}" is progressing.`);
    }
    this.#pendingProgress = undefined;
    const counts = omitZero({
      observedGeneration: d.metadata.generation ?? 1,
      replicas: live.length,
      updatedReplicas: updated,
      readyReplicas: live.filter(isReady).length,
      availableReplicas: available,
      unavailableReplicas: Math.max(0, replicas - available),
    });
    const status = { ...counts, conditions: [availableCond, progressing] };
    const revision = newRS.metadata.annotations?.[REVISION];
    const annChanged = revision !== undefined && d.metadata.annotations?.[REVISION] !== revision;
    if (deepEqual(d.status, status) && !annChanged) return false;
    const next = clone(d);
    next.status = status as Deployment['status'];
    if (annChanged) next.metadata.annotations = { ...(next.metadata.annotations ?? {}), [REVISION]: revision };
    this.ctx.api.write(next);
    return true;
  }
}
