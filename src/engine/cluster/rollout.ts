/**
 * `kubectl rollout` for Deployments and DaemonSets, on top of the API server, the way kubectl
 * does it client-side (staging/src/k8s.io/kubectl/pkg/polymorphichelpers: history.go,
 * rollback.go, objectrestarter.go, rollout_status.go). Messages are kubectl's. A
 * DaemonSet's history is its ControllerRevisions (see controllers/daemonset.ts).
 */
import { ApiErrorThrow, clientError } from '../core/errors';
import { clone, deepEqual } from '../core/json';
import { rfc3339 } from '../core/clock';
import type { ApiServer } from '../model/apiserver';
import { fromLabelSelector, matches } from '../model/labels';
import type { ControllerRevision, DaemonSet, Deployment, KubeObject, Pod, PodTemplateSpec, ReplicaSet } from '../model/types';
import { strategicMerge } from '../model/patch';
import { revisionMatches, revisionsOf, revisionTemplate } from '../controllers/daemonset';
import { ANNOTATIONS_TO_SKIP, CHANGE_CAUSE, REVISION } from '../controllers/deployment';
import { controllerOf } from '../controllers/pods';

export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';
const HASH_LABEL = 'pod-template-hash';

/** The kinds `kubectl rollout` works on here. */
export type RolloutKind = 'Deployment' | 'DaemonSet';

export interface RolloutRevision {
  revision: number;
  /** kubernetes.io/change-cause of that revision's ReplicaSet or ControllerRevision (`<none>` when absent, as printed). */
  changeCause?: string;
  /** Deployments: the revision's ReplicaSet. */
  replicaSet?: string;
  /** DaemonSets: the revision's ControllerRevision. */
  controllerRevision?: string;
  /**
   * The pod template `--revision=N` prints: the ReplicaSet's (with its pod-template-hash
   * label), or the DaemonSet's template as that ControllerRevision restores it.
   */
  template: PodTemplateSpec;
}

const revisionOf = (rs: ReplicaSet): number | undefined => {
  const v = rs.metadata.annotations?.[REVISION];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
};

function deployment(api: ApiServer, namespace: string, name: string): Deployment {
  return api.get(api.resource('Deployment'), namespace, name) as Deployment;
}

/** The ReplicaSets the Deployment controls (deploymentutil.GetAllReplicaSets). */
function replicaSetsOf(api: ApiServer, d: Deployment): ReplicaSet[] {
  return (api.store.list('ReplicaSet', d.metadata.namespace) as ReplicaSet[]).filter((rs) => controllerOf(rs)?.uid === d.metadata.uid);
}

/** DeploymentHistoryViewer.ViewHistory: one entry per revision, ascending. */
export function history(api: ApiServer, namespace: string, name: string): RolloutRevision[] {
  const d = deployment(api, namespace, name);
  const byRev = new Map<number, RolloutRevision>();
  for (const rs of replicaSetsOf(api, d)) {
    const revision = revisionOf(rs);
    if (revision === undefined) continue;
    const template = clone(rs.spec.template);
    const cause = rs.metadata.annotations?.[CHANGE_CAUSE];
    if (cause) template.metadata = { ...(template.metadata ?? {}), annotations: { ...(template.metadata?.annotations ?? {}), [CHANGE_CAUSE]: cause } };
    byRev.set(revision, { revision, ...(cause ? { changeCause: cause } : {}), replicaSet: rs.metadata.name, template });
  }
  return [...byRev.values()].sort((a, b) => a.revision - b.revision);
}

function withoutHash(t: PodTemplateSpec): PodTemplateSpec {
  const c = clone(t);
  if (c.metadata?.labels) {
    delete c.metadata.labels[HASH_LABEL];
  }
  return c;
}

/** equalIgnoreHash, with absent and empty maps counting as the same (Semantic.DeepEqual on decoded objects). */
function sameTemplate(a: PodTemplateSpec, b: PodTemplateSpec): boolean {
  const norm = (t: PodTemplateSpec) => {
    const c = withoutHash(t);
    const m = (c.metadata ?? {}) as Record<string, unknown>;
    for (const k of Object.keys(m)) if (m[k] && typeof m[k] === 'object' && Object.keys(m[k] as object).length === 0) delete m[k];
    if (Object.keys(m).length === 0) delete (c as { metadata?: unknown }).metadata;
    else c.metadata = m;
    return c;
  };
  return deepEqual(norm(a), norm(b));
}

/**
 * DeploymentRollbacker.Rollback: the line kubectl prints (`deployment.apps/web rolled back`,
 * `deployment.apps/web skipped rollback (current template already matches revision 2)`), or
 * throws kubectl's errors. With dryRun 'client' it changes nothing and returns the template.
 */
export function undo(api: ApiServer, namespace: string, name: string, toRevision = 0, dryRun?: 'client' | 'server'): { message: string; template?: PodTemplateSpec } {
  if (toRevision < 0) throw new ApiErrorThrow(clientError(`unable to find specified revision ${toRevision} in history`));
  const d = deployment(api, namespace, name);
  const all = replicaSetsOf(api, d);
  let target: ReplicaSet | undefined;
  if (toRevision > 0) {
    target = all.find((rs) => revisionOf(rs) === toRevision);
    if (!target) throw new ApiErrorThrow(clientError(`unable to find specified revision ${toRevision} in history`));
  } else {
    const sorted = all.filter((rs) => revisionOf(rs) !== undefined).sort((a, b) => revisionOf(b)! - revisionOf(a)!);
    target = sorted[1];
    if (!target) throw new ApiErrorThrow(clientError(`no rollout history found for deployment "${name}"`));
  }
  const ref = `deployment.apps/${name}`;
  if (dryRun === 'client') return { message: ref, template: clone(target.spec.template) };
  if (d.spec.paused) {
    throw new ApiErrorThrow(clientError(`you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/${name}' and try again`));
  }
  if (sameTemplate(target.spec.template, d.spec.template)) {
    return { message: `${ref} skipped rollback (current template already matches revision ${toRevision})` };
  }
  // A JSON patch replacing spec.template (hash label removed) and metadata.annotations.
  const annotations: Record<string, string> = {};
  for (const k of ANNOTATIONS_TO_SKIP) {
    const v = d.metadata.annotations?.[k];
    if (v !== undefined) annotations[k] = v;
  }
  for (const [k, v] of Object.entries(target.metadata.annotations ?? {})) if (!ANNOTATIONS_TO_SKIP.has(k)) annotations[k] = v;
  const next = clone(d) as unknown as Deployment;
  next.spec.template = withoutHash(target.spec.template);
  next.metadata.annotations = annotations;
  delete (next.metadata as { resourceVersion?: string }).resourceVersion;
  api.update(next as never, { dryRun: dryRun === 'server' }, namespace);
  return { message: `${ref} rolled back` };
}

/** objectrestarter.go: stamp the pod template so every pod is replaced. */
export function restart(api: ApiServer, namespace: string, name: string, now: number, dryRun?: 'client' | 'server'): string {
  const d = deployment(api, namespace, name);
  if (d.spec.paused) throw new ApiErrorThrow(clientError(`deployments.apps "${name}" can't restart paused deployment (run rollout resume first)`));
  const stamp = rfc3339(now);
  if (d.spec.template.metadata?.annotations?.[RESTARTED_AT] === stamp) {
    throw new ApiErrorThrow(clientError(`failed to create patch for ${name}: if restart has already been triggered within the past second, please wait before attempting to trigger another`));
  }
  const next = clone(d) as unknown as Deployment;
  next.spec.template.metadata = { ...(next.spec.template.metadata ?? {}), annotations: { ...(next.spec.template.metadata?.annotations ?? {}), [RESTARTED_AT]: stamp } };
  delete (next.metadata as { resourceVersion?: string }).resourceVersion;
  if (dryRun !== 'client') api.update(next as never, { dryRun: dryRun === 'server' }, namespace);
  return `deployment.apps/${name} restarted`;
}

/**
 * DeploymentStatusViewer.Status: the line `kubectl rollout status` prints for this state
 * of the Deployment (no trailing newline) and whether the rollout is done. With `revision`,
 * a Deployment at another revision is an error, as upstream.
 */
export function statusLine(api: ApiServer, d: Deployment, revision?: number): { line: string; done: boolean } {
  if (revision !== undefined && revision > 0) {
    const cur = Number(d.metadata.annotations?.[REVISION] ?? 0);
    if (cur !== revision) throw new ApiErrorThrow(clientError(`desired revision (${revision}) is different from the running revision (${cur})`));
  }
  const name = d.metadata.name;
  const st = d.status ?? {};
  const warn = (msg: string) => ({ line: appendWarning(api, d, msg), done: false });
  if ((d.metadata.generation ?? 0) <= (st.observedGeneration ?? 0)) {
    const progressing = st.conditions?.find((c) => c.type === 'Progressing');
    if (progressing?.reason === 'ProgressDeadlineExceeded') throw new ApiErrorThrow(clientError(`deployment "${name}" exceeded its progress deadline`));
    const replicas = d.spec.replicas ?? 1;
    const updated = st.updatedReplicas ?? 0;
    if (updated < replicas) return warn(`Waiting for deployment "${name}" rollout to finish: ${updated} out of ${replicas} new replicas have been updated...`);
    if ((st.replicas ?? 0) > updated) return warn(`Waiting for deployment "${name}" rollout to finish: ${(st.replicas ?? 0) - updated} old replicas are pending termination...`);
    if ((st.availableReplicas ?? 0) < updated) return warn(`Waiting for deployment "${name}" rollout to finish: ${st.availableReplicas ?? 0} of ${updated} updated replicas are available...`);
    return { line: `deployment "${name}" successfully rolled out`, done: true };
  }
  return warn('Waiting for deployment spec update to be observed...');
}

/** appendWarning: the first unschedulable or crash-looping pod of the Deployment explains the wait. */
function appendWarning(api: ApiServer, d: Deployment, base: string): string {
  const sel = fromLabelSelector(d.spec.selector);
  for (const p of api.store.list('Pod', d.metadata.namespace) as Pod[]) {
    if (!matches(sel, p.metadata.labels)) continue;
    for (const c of p.status?.conditions ?? []) {
      if (c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable') return `${base} (Warning: ${c.message ?? ''})`;
    }
    for (const cs of p.status?.containerStatuses ?? []) {
      const w = cs.state.waiting;
      if (w && ['ImagePullBackOff', 'ErrImagePull', 'CrashLoopBackOff', 'CreateContainerConfigError', 'CreateContainerError'].includes(w.reason)) {
        return `${base} (Warning: ${w.reason} - ${w.message ?? ''})`;
      }
    }
  }
  return base;
}

// ---------- DaemonSets ----------

function daemonSet(api: ApiServer, namespace: string, name: string): DaemonSet {
  return api.get(api.resource('DaemonSet'), namespace, name) as DaemonSet;
}

function controllerRevisions(api: ApiServer, ds: DaemonSet): ControllerRevision[] {
  return revisionsOf(api.store.list('ControllerRevision', ds.metadata.namespace) as ControllerRevision[], ds);
}

/** DaemonSetHistoryViewer.ViewHistory: one entry per ControllerRevision, ascending. */
export function daemonSetHistory(api: ApiServer, namespace: string, name: string): RolloutRevision[] {
  const ds = daemonSet(api, namespace, name);
  const byRev = new Map<number, RolloutRevision>();
  for (const cr of controllerRevisions(api, ds)) {
    const template = revisionTemplate(cr);
    if (!template) continue;
    const cause = cr.metadata.annotations?.[CHANGE_CAUSE];
    byRev.set(cr.revision, { revision: cr.revision, ...(cause ? { changeCause: cause } : {}), controllerRevision: cr.metadata.name, template });
  }
  return [...byRev.values()].sort((a, b) => a.revision - b.revision);
}

/**
 * DaemonSetRollbacker.Rollback: restores a ControllerRevision's template with its strategic
 * merge patch. `--to-revision=0` means the revision before the newest one.
 */
export function daemonSetUndo(api: ApiServer, namespace: string, name: string, toRevision = 0, dryRun?: 'client' | 'server'): { message: string; template?: PodTemplateSpec } {
  if (toRevision < 0) throw new ApiErrorThrow(clientError(`unable to find specified revision ${toRevision} in history`));
  const ds = daemonSet(api, namespace, name);
  const all = controllerRevisions(api, ds);
  if (toRevision === 0 && all.length <= 1) throw new ApiErrorThrow(clientError('no last revision to roll back to'));
  const target = toRevision === 0 ? all[all.length - 2] : all.find((cr) => cr.revision === toRevision);
  if (!target) throw new ApiErrorThrow(clientError(`unable to find specified revision ${toRevision} in history`));
  const ref = `daemonset.apps/${name}`;
  if (dryRun === 'client') return { message: ref, template: revisionTemplate(target) };
  if (revisionMatches(ds, target)) return { message: `${ref} skipped rollback (current template already matches revision ${toRevision})` };
  const next = strategicMerge(clone(ds), target.data) as DaemonSet;
  delete (next.metadata as { resourceVersion?: string }).resourceVersion;
  api.update(next as never, { dryRun: dryRun === 'server' }, namespace);
  return { message: `${ref} rolled back` };
}

/**
 * DaemonSetStatusViewer.Status (revision is ignored for DaemonSets, as upstream). OnDelete
 * DaemonSets have no rollout status: kubectl's error.
 */
export function daemonSetStatusLine(ds: DaemonSet): { line: string; done: boolean } {
  if ((ds.spec.updateStrategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') {
    throw new ApiErrorThrow(clientError('rollout status is only available for RollingUpdate strategy type'));
  }
  const name = ds.metadata.name;
  const st = ds.status;
  if ((ds.metadata.generation ?? 0) <= (st?.observedGeneration ?? 0)) {
    const desired = st?.desiredNumberScheduled ?? 0;
    const updated = st?.updatedNumberScheduled ?? 0;
    const available = st?.numberAvailable ?? 0;
    if (updated < desired) return { line: `Waiting for daemon set "${name}" rollout to finish: ${updated} out of ${desired} new pods have been updated...`, done: false };
    if (available < desired) return { line: `Waiting for daemon set "${name}" rollout to finish: ${available} of ${desired} updated pods are available...`, done: false };
    return { line: `daemon set "${name}" successfully rolled out`, done: true };
  }
  return { line: 'Waiting for daemon set spec update to be observed...', done: false };
}

/** objectrestarter.go for DaemonSets: stamp the template (no paused check: DaemonSets cannot pause). */
export function restartDaemonSet(api: ApiServer, namespace: string, name: string, now: number, dryRun?: 'client' | 'server'): string {
  const ds = daemonSet(api, namespace, name);
  const stamp = rfc3339(now);
  if (ds.spec.template.metadata?.annotations?.[RESTARTED_AT] === stamp) {
    throw new ApiErrorThrow(clientError(`failed to create patch for ${name}: if restart has already been triggered within the past second, please wait before attempting to trigger another`));
  }
  const next = clone(ds) as unknown as DaemonSet;
  next.spec.template.metadata = { ...(next.spec.template.metadata ?? {}), annotations: { ...(next.spec.template.metadata?.annotations ?? {}), [RESTARTED_AT]: stamp } };
  delete (next.metadata as { resourceVersion?: string }).resourceVersion;
  if (dryRun !== 'client') api.update(next as never, { dryRun: dryRun === 'server' }, namespace);
  return `daemonset.apps/${name} restarted`;
}

// ---------- by kind (what the facade calls) ----------

export function historyOf(api: ApiServer, kind: RolloutKind, namespace: string, name: string): RolloutRevision[] {
  return kind === 'DaemonSet' ? daemonSetHistory(api, namespace, name) : history(api, namespace, name);
}

export function undoOf(api: ApiServer, kind: RolloutKind, namespace: string, name: string, toRevision = 0, dryRun?: 'client' | 'server'): { message: string; template?: PodTemplateSpec } {
  return kind === 'DaemonSet' ? daemonSetUndo(api, namespace, name, toRevision, dryRun) : undo(api, namespace, name, toRevision, dryRun);
}

export function restartOf(api: ApiServer, kind: RolloutKind, namespace: string, name: string, now: number, dryRun?: 'client' | 'server'): string {
  return kind === 'DaemonSet' ? restartDaemonSet(api, namespace, name, now, dryRun) : restart(api, namespace, name, now, dryRun);
}

/** The status line for a Deployment or DaemonSet object. */
export function statusOf(api: ApiServer, obj: KubeObject, revision?: number): { line: string; done: boolean } {
  return obj.kind === 'DaemonSet' ? daemonSetStatusLine(obj as DaemonSet) : statusLine(api, obj as Deployment, revision);
}
