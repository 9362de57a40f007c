/**
 * DaemonSet controller (pkg/controller/daemon): one pod per node whose taints the template
 * tolerates (and whose labels match its nodeSelector), bound directly through a
 * nodeAffinity on metadata.name, as the real controller does; plus the tolerations it adds.
 *
 * Updates follow upstream (daemon_controller.go, update.go):
 * - History: every distinct template is a ControllerRevision `<ds>-<hash>` owned by the
 *   DaemonSet, `data` = `{spec: {template: {…, $patch: replace}}}`, `revision` = 1 + the
 *   highest older one (an old template coming back gets its revision bumped), labels = the
 *   template's + `controller-revision-hash`; old revisions beyond revisionHistoryLimit
 *   whose hash no pod carries any more are deleted (cleanupHistory).
 * - Pods carry `controller-revision-hash` (the current revision's hash) and
 *   `pod-template-generation` (the `deprecated.daemonset.template.generation` annotation);
 *   a pod is "updated" when either matches (util.IsPodUpdated).
 * - manage: a node that should run the daemon and has no pod at all — a terminating pod
 *   still counts until it is gone — gets one; failed pods are deleted (and replaced on the
 *   next pass); extra pods on one node are pruned, the oldest kept; pods on nodes that no
 *   longer qualify (nodeSelector, untolerated NoExecute taint) are deleted.
 * - RollingUpdate with maxSurge 0 (the default, maxUnavailable 1): old pods that are not
 *   available are deleted at once; available old pods are deleted only while fewer than
 *   maxUnavailable nodes are unavailable, so with maxUnavailable 1 kube-proxy is replaced
 *   node by node: delete → the old pod terminates → the new pod is created → it becomes
 *   available → next node. With maxSurge > 0 the new pod starts beside the old one, which
 *   is deleted once the new one is available. OnDelete: pods are replaced only when deleted.
 * - Events `SuccessfulCreate` (`Created pod: x`) and `SuccessfulDelete` (`Deleted pod: x`),
 *   as RealPodControl records them.
 * - Status as updateDaemonSetStatus: per node that should run the daemon, its oldest pod
 *   decides ready/available/updated.
 *
 * Nodes are visited in name order (upstream walks a map), so runs are reproducible.
 */
import { clone, deepEqual } from '../core/json';
import { createRng, kubeRandString, type Rng } from '../core/rng';
import type { StoreEvent } from '../model/store';
import type { ControllerRevision, DaemonSet, Node, Pod, PodTemplateSpec, Taint, Toleration } from '../model/types';
import { DirtySet, nsName, splitKey, type Controller, type ControllerContext } from './context';
import { podTemplateHash, scaled } from './deployment';
import { controllerOf, isAvailable, isReady, isTerminal, isTerminating, omitZero, ownerRef } from './pods';
import { tolerates } from './scheduler';
import { parseTime } from '../core/clock';

/** AddOrUpdateDaemonPodTolerations (pkg/controller/daemon/util). */
const DAEMON_TOLERATIONS: Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

/** apps.ControllerRevisionHashLabelKey / DefaultDaemonSetUniqueLabelKey. */
export const REVISION_HASH_LABEL = 'controller-revision-hash';
/** extensions.DaemonSetTemplateGenerationKey. */
export const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';
/** The API server keeps the template generation here (pkg/registry/apps/daemonset/strategy.go). */
export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

/** getPatch (update.go): the strategic merge patch that restores this template. */
export function daemonSetPatch(template: PodTemplateSpec): { spec: { template: Record<string, unknown> } } {
  return { spec: { template: { ...(clone(template) as unknown as Record<string, unknown>), $patch: 'replace' } } };
}

/** The template a DaemonSet ControllerRevision stores (its patch without `$patch`). */
export function revisionTemplate(cr: ControllerRevision): PodTemplateSpec | undefined {
  const t = (cr.data as { spec?: { template?: Record<string, unknown> } } | undefined)?.spec?.template;
  if (!t) return undefined;
  const { $patch: _, ...rest } = t;
  return clone(rest) as unknown as PodTemplateSpec;
}

/** Match (update.go): the revision stores exactly this DaemonSet's template. */
export function revisionMatches(ds: DaemonSet, cr: ControllerRevision): boolean {
  return deepEqual(daemonSetPatch(ds.spec.template), cr.data);
}

/** The ControllerRevisions the DaemonSet controls, by revision ascending. */
export function revisionsOf(list: ControllerRevision[], ds: DaemonSet): ControllerRevision[] {
  return list.filter((cr) => controllerOf(cr)?.uid === ds.metadata.uid).sort((a, b) => a.revision - b.revision || (a.metadata.name < b.metadata.name ? -1 : 1));
}

function templateGeneration(ds: DaemonSet): string | undefined {
  return ds.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
}

/** util.IsPodUpdated: the pod's template generation or revision hash is the current one. */
function isPodUpdated(pod: Pod, hash: string, generation: string | undefined): boolean {
  const labels = pod.metadata.labels ?? {};
  return (generation !== undefined && labels[TEMPLATE_GENERATION_LABEL] === generation) || (hash.length > 0 && labels[REVISION_HASH_LABEL] === hash);
}

/** podByCreationTimestampAndPhase: scheduled first, then oldest, then by name. */
function byAge(a: Pod, b: Pod): number {
  if (!!a.spec.nodeName !== !!b.spec.nodeName) return a.spec.nodeName ? -1 : 1;
  const ta = parseTime(a.metadata.creationTimestamp) ?? 0;
  const tb = parseTime(b.metadata.creationTimestamp) ?? 0;
  if (ta !== tb) return ta - tb;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

export class DaemonSetController implements Controller {
  readonly name = 'daemonset';
  #dirty = new DirtySet();
  /** ControllerRevision uids come from their own PRNG, so adding history leaves pod names as they were. */
  readonly #uidRng: Rng;
  constructor(private readonly ctx: ControllerContext, seed = 1) {
    this.#uidRng = createRng(seed ^ 0x0d5e7);
  }

  observe(e: StoreEvent): void {
    const o = e.object;
    if (o.kind === 'DaemonSet') this.#dirty.add(nsName(o.metadata.namespace, o.metadata.name));
    else if (o.kind === 'Node') for (const ds of this.ctx.store.list('DaemonSet')) this.#dirty.add(nsName(ds.metadata.namespace, ds.metadata.name));
    else if (o.kind === 'Pod' || o.kind === 'ControllerRevision') {
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

  /** NodeShouldRunDaemonPod: [shouldRun, shouldContinueRunning]. */
  #placement(ds: DaemonSet, n: Node): [boolean, boolean] {
    const tpl = ds.spec.template;
    if (!Object.entries(tpl.spec.nodeSelector ?? {}).every(([k, v]) => n.metadata.labels?.[k] === v)) return [false, false];
    const tols = [...(tpl.spec.tolerations ?? []), ...DAEMON_TOLERATIONS];
    const ok = (t: Taint) => t.effect === 'PreferNoSchedule' || tolerates(tols, t);
    const taints = n.spec.taints ?? [];
    return [taints.every(ok), taints.filter((t) => t.effect === 'NoExecute').every(ok)];
  }

  #reconcile(ds: DaemonSet): boolean {
    const { store } = this.ctx;
    let wrote = false;
    // constructHistory: the current revision (created or re-numbered) and the old ones.
    const { cur, old, wrote: w1 } = this.#constructHistory(ds);
    wrote = w1 || wrote;
    const hash = cur.metadata.labels?.[REVISION_HASH_LABEL] ?? '';
    const nodes = (store.list('Node') as Node[]).slice().sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
    const byNode = this.#podsByNode(ds);

    // manage
    const toCreate: string[] = [];
    const toDelete: Pod[] = [];
    for (const n of nodes) {
      const [shouldRun, shouldContinue] = this.#placement(ds, n);
      const pods = byNode.get(n.metadata.name) ?? [];
      if (shouldRun && pods.length === 0) {
        toCreate.push(n.metadata.name);
      } else if (shouldContinue) {
        const running: Pod[] = [];
        for (const p of pods) {
          if (isTerminating(p)) continue;
          if (p.status?.phase === 'Failed') {
            this.ctx.events.record(ds, 'Warning', 'FailedDaemonPod', `Found failed daemon pod ${p.metadata.namespace}/${p.metadata.name} on node ${n.metadata.name}, will try to kill it`, 'daemonset-controller');
            toDelete.push(p);
          } else running.push(p);
        }
        if (running.length > 1) toDelete.push(...this.#excess(ds, running.sort(byAge), hash));
      } else {
        for (const p of pods) if (!isTerminating(p)) toDelete.push(p);
      }
    }
    wrote = this.#syncNodes(ds, toDelete, toCreate, hash) || wrote;

    // rollingUpdate
    if ((ds.spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
      wrote = this.#rollingUpdate(ds, nodes, hash) || wrote;
    }
    // cleanupHistory
    wrote = this.#cleanupHistory(ds, old) || wrote;
    wrote = this.#updateStatus(ds, nodes, hash) || wrote;
    return wrote;
  }

  /** When surge is off keep the oldest pod; with surge keep the oldest new and oldest old pod. */
  #excess(ds: DaemonSet, running: Pod[], hash: string): Pod[] {
    if (!this.#allowsSurge(ds)) return running.slice(1);
    let oldestNew: Pod | undefined, oldestOld: Pod | undefined;
    const out: Pod[] = [];
    for (const p of running) {
      if (p.metadata.labels?.[REVISION_HASH_LABEL] === hash) {
        if (!oldestNew) { oldestNew = p; continue; }
      } else if (!oldestOld) { oldestOld = p; continue; }
      out.push(p);
    }
    if (oldestNew && oldestOld && (!isReady(oldestOld) || isReady(oldestNew))) out.push(oldestOld);
    return out;
  }

  #allowsSurge(ds: DaemonSet): boolean {
    const ru = ds.spec.updateStrategy?.rollingUpdate;
    if ((ds.spec.updateStrategy?.type ?? 'RollingUpdate') !== 'RollingUpdate' || !ru) return false;
    // util.AllowsSurge: any non-zero value (a percentage of one node rounds up).
    return scaled(ru.maxSurge ?? 0, 1, true) > 0;
  }

  /** Daemon pods by node (getNodesToDaemonPods): terminating pods count until they are terminal. */
  #podsByNode(ds: DaemonSet): Map<string, Pod[]> {
    const out = new Map<string, Pod[]>();
    for (const p of this.ctx.store.list('Pod', ds.metadata.namespace) as Pod[]) {
      if (controllerOf(p)?.uid !== ds.metadata.uid) continue;
      if (isTerminal(p) && isTerminating(p)) continue;
      const node = p.spec.nodeName ?? '';
      const list = out.get(node) ?? [];
      list.push(p);
      out.set(node, list);
    }
    for (const l of out.values()) l.sort(byAge);
    return out;
  }

  #constructHistory(ds: DaemonSet): { cur: ControllerRevision; old: ControllerRevision[]; wrote: boolean } {
    const { store, api } = this.ctx;
    const all = revisionsOf(store.list('ControllerRevision', ds.metadata.namespace) as ControllerRevision[], ds);
    const current = all.filter((cr) => revisionMatches(ds, cr));
    const old = all.filter((cr) => !revisionMatches(ds, cr));
    const currRevision = old.reduce((m, cr) => Math.max(m, cr.revision), 0) + 1;
    let wrote = false;
    let cur: ControllerRevision;
    if (current.length === 0) {
      cur = this.#snapshot(ds, currRevision);
      wrote = true;
    } else {
      // dedupCurHistories: keep the highest revision.
      cur = current.reduce((a, b) => (b.revision >= a.revision ? b : a));
      for (const dup of current) {
        if (dup === cur) continue;
        api.delete(api.resource('ControllerRevision'), dup.metadata.namespace, dup.metadata.name);
        wrote = true;
      }
      if (cur.revision < currRevision) {
        cur = api.write({ ...clone(cur), revision: currRevision } as ControllerRevision) as ControllerRevision;
        wrote = true;
      }
    }
    return { cur, old, wrote };
  }

  /** snapshot: a new ControllerRevision for the DaemonSet's template (bumping collisionCount on a name clash). */
  #snapshot(ds: DaemonSet, revision: number): ControllerRevision {
    const { api, store } = this.ctx;
    let collisions = ds.status?.collisionCount ?? 0;
    for (;;) {
      const hash = podTemplateHash(ds.spec.template, collisions);
      const name = `${ds.metadata.name}-${hash}`;
      const existing = store.get('ControllerRevision', ds.metadata.namespace, name) as ControllerRevision | undefined;
      if (existing && revisionMatches(ds, existing)) return existing;
      if (existing) {
        collisions++;
        continue;
      }
      if (collisions !== (ds.status?.collisionCount ?? 0)) {
        const fresh = store.get('DaemonSet', ds.metadata.namespace, ds.metadata.name) as DaemonSet;
        api.write({ ...clone(fresh), status: { ...(fresh.status ?? {}), collisionCount: collisions } } as DaemonSet);
      }
      const annotations = ds.metadata.annotations && Object.keys(ds.metadata.annotations).length ? { ...ds.metadata.annotations } : undefined;
      return api.create(
        {
          apiVersion: 'apps/v1',
          kind: 'ControllerRevision',
          metadata: {
            name,
            namespace: ds.metadata.namespace,
            labels: { ...(ds.spec.template.metadata?.labels ?? {}), [REVISION_HASH_LABEL]: hash },
            ...(annotations ? { annotations } : {}),
            ownerReferences: [ownerRef(ds)],
          },
          data: daemonSetPatch(ds.spec.template),
          revision,
        },
        { uidRng: this.#uidRng },
      ) as ControllerRevision;
    }
  }

  #cleanupHistory(ds: DaemonSet, old: ControllerRevision[]): boolean {
    const toKeep = ds.spec.revisionHistoryLimit ?? 10;
    let toKill = old.length - toKeep;
    if (toKill <= 0) return false;
    const live = new Set<string>();
    for (const pods of this.#podsByNode(ds).values()) for (const p of pods) {
      const h = p.metadata.labels?.[REVISION_HASH_LABEL];
      if (h) live.add(h);
    }
    let wrote = false;
    const { api } = this.ctx;
    for (const cr of [...old].sort((a, b) => a.revision - b.revision)) {
      if (toKill <= 0) break;
      if (live.has(cr.metadata.labels?.[REVISION_HASH_LABEL] ?? '')) continue;
      api.delete(api.resource('ControllerRevision'), cr.metadata.namespace, cr.metadata.name);
      toKill--;
      wrote = true;
    }
    return wrote;
  }

  /** updatedDesiredNodeCounts: maxSurge, maxUnavailable (never both 0) and the nodes that want a pod. */
  #budgets(ds: DaemonSet, nodes: Node[]): { maxSurge: number; maxUnavailable: number; desired: string[] } {
    const desired = nodes.filter((n) => this.#placement(ds, n)[0]).map((n) => n.metadata.name);
    const ru = ds.spec.updateStrategy?.rollingUpdate ?? {};
    let maxUnavailable = scaled(ru.maxUnavailable ?? 1, desired.length, true);
    const maxSurge = this.#allowsSurge(ds) ? scaled(ru.maxSurge ?? 0, desired.length, true) : 0;
    if (desired.length > 0 && maxUnavailable === 0 && maxSurge === 0) maxUnavailable = 1;
    return { maxSurge, maxUnavailable, desired };
  }

  /** findUpdatedPodsOnNode: at most one new and one old non-terminating pod, else not ok. */
  #split(ds: DaemonSet, pods: Pod[], hash: string): { newPod?: Pod; oldPod?: Pod; ok: boolean } {
    let newPod: Pod | undefined, oldPod: Pod | undefined;
    const gen = templateGeneration(ds);
    for (const p of pods) {
      if (isTerminating(p)) continue;
      if (isPodUpdated(p, hash, gen)) {
        if (newPod) return { ok: false };
        newPod = p;
      } else {
        if (oldPod) return { ok: false };
        oldPod = p;
      }
    }
    return { newPod, oldPod, ok: true };
  }

  #rollingUpdate(ds: DaemonSet, nodes: Node[], hash: string): boolean {
    const now = this.ctx.clock.now();
    const minReady = ds.spec.minReadySeconds ?? 0;
    const byNode = this.#podsByNode(ds);
    const { maxSurge, maxUnavailable, desired } = this.#budgets(ds, nodes);
    const avail = (p: Pod) => isAvailable(p, minReady, now);
    // Nodes with pods, plus desired nodes without any (they count as unavailable).
    const names = [...new Set([...desired, ...byNode.keys()])].sort();
    if (maxSurge === 0) {
      let numUnavailable = 0;
      const allowed: Pod[] = [];
      const candidates: Pod[] = [];
      for (const name of names) {
        const { newPod, oldPod, ok } = this.#split(ds, byNode.get(name) ?? [], hash);
        if (!ok) { numUnavailable++; continue; }
        if ((!oldPod && !newPod) || (oldPod && newPod)) numUnavailable++;
        else if (newPod) { if (!avail(newPod)) numUnavailable++; }
        else if (!avail(oldPod!)) allowed.push(oldPod!);
        else if (numUnavailable < maxUnavailable) candidates.push(oldPod!);
      }
      const remaining = Math.max(0, Math.min(maxUnavailable - numUnavailable, candidates.length));
      this.#scheduleAvailabilityCheck(ds, byNode, minReady, now);
      return this.#syncNodes(ds, [...allowed, ...candidates.slice(0, remaining)], [], hash);
    }
    let numSurge = 0;
    const allowedNew: string[] = [];
    const candidateNew: string[] = [];
    const oldToDelete: Pod[] = [];
    for (const name of names) {
      const { newPod, oldPod, ok } = this.#split(ds, byNode.get(name) ?? [], hash);
      if (!ok) { numSurge++; continue; }
      if (!oldPod) continue;
      if (!newPod) {
        if (!avail(oldPod)) { if (desired.includes(name)) allowedNew.push(name); }
        else if (numSurge < maxSurge) candidateNew.push(name);
        continue;
      }
      if (!avail(newPod)) { numSurge++; continue; }
      oldToDelete.push(oldPod);
    }
    const remaining = Math.max(0, Math.min(maxSurge - numSurge, candidateNew.length));
    this.#scheduleAvailabilityCheck(ds, byNode, minReady, now);
    return this.#syncNodes(ds, oldToDelete, [...allowedNew, ...candidateNew.slice(0, remaining)], hash);
  }

  /** Pods that are ready but not yet available (minReadySeconds) wake the controller when they will be. */
  #scheduleAvailabilityCheck(ds: DaemonSet, byNode: Map<string, Pod[]>, minReady: number, now: number): void {
    if (minReady <= 0) return;
    const key = nsName(ds.metadata.namespace, ds.metadata.name);
    for (const pods of byNode.values()) for (const p of pods) {
      if (!isReady(p) || isAvailable(p, minReady, now)) continue;
      const since = parseTime(p.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime);
      if (since !== undefined) this.ctx.timers.at(since + minReady * 1000, () => this.#dirty.add(key));
    }
  }

  /** syncNodes: create the pods for `nodes`, then delete `pods`, with RealPodControl's events. */
  #syncNodes(ds: DaemonSet, pods: Pod[], nodes: string[], hash: string): boolean {
    const { api, events, rng } = this.ctx;
    const tpl = ds.spec.template;
    for (const node of nodes) {
      const spec = clone(tpl.spec);
      spec.tolerations = [...(spec.tolerations ?? []), ...DAEMON_TOLERATIONS.filter((t) => !(spec.tolerations ?? []).some((x) => x.key === t.key))];
      spec.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] } } };
      spec.nodeName = node;
      const generation = templateGeneration(ds);
      const created = api.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: `${ds.metadata.name}-${kubeRandString(rng, 5)}`,
          generateName: `${ds.metadata.name}-`,
          namespace: ds.metadata.namespace,
          labels: { ...(tpl.metadata?.labels ?? {}), [REVISION_HASH_LABEL]: hash, ...(generation !== undefined ? { [TEMPLATE_GENERATION_LABEL]: generation } : {}) },
          ...(tpl.metadata?.annotations ? { annotations: { ...tpl.metadata.annotations } } : {}),
          ownerReferences: [ownerRef(ds)],
        },
        spec,
      });
      events.record(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`, 'daemonset-controller');
    }
    for (const p of pods) {
      api.delete(api.resource('Pod'), p.metadata.namespace, p.metadata.name);
      events.record(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`, 'daemonset-controller');
    }
    return nodes.length > 0 || pods.length > 0;
  }

  #updateStatus(ds: DaemonSet, nodes: Node[], hash: string): boolean {
    const { store, api, clock } = this.ctx;
    const now = clock.now();
    const byNode = this.#podsByNode(ds);
    const gen = templateGeneration(ds);
    let desired = 0, current = 0, misscheduled = 0, ready = 0, available = 0, updated = 0;
    for (const n of nodes) {
      const [shouldRun] = this.#placement(ds, n);
      const pods = byNode.get(n.metadata.name) ?? [];
      if (!shouldRun) {
        if (pods.length) misscheduled++;
        continue;
      }
      desired++;
      if (!pods.length) continue;
      current++;
      const p = pods[0]!;
      if (isReady(p)) {
        ready++;
        if (isAvailable(p, ds.spec.minReadySeconds ?? 0, now)) available++;
      }
      if (isPodUpdated(p, hash, gen)) updated++;
    }
    const fresh = store.get('DaemonSet', ds.metadata.namespace, ds.metadata.name) as DaemonSet;
    const status = {
      ...omitZero({
        currentNumberScheduled: current,
        numberMisscheduled: misscheduled,
        desiredNumberScheduled: desired,
        numberReady: ready,
        observedGeneration: fresh.metadata.generation ?? 1,
        updatedNumberScheduled: updated,
        numberAvailable: available,
        numberUnavailable: desired - available,
      }, ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady']),
      ...(fresh.status?.collisionCount ? { collisionCount: fresh.status.collisionCount } : {}),
    };
    if (JSON.stringify(fresh.status) === JSON.stringify(status)) return false;
    api.write({ ...clone(fresh), status });
    return true;
  }
}
