/**
 * `kubectl rollout` for Deployments, on top of the API server, the way kubectl does it
 * client-side (staging/src/k8s.io/kubectl/pkg/polymorphichelpers: history.go, rollback.go,
 * objectrestarter.go, rollout_status.go). Messages are kubectl's.
 */
import { ApiErrorThrow, clientError } from '../core/errors';
import { clone, deepEqual } from '../core/json';
import { rfc3339 } from '../core/clock';
import type { ApiServer } from '../model/apiserver';
import { fromLabelSelector, matches } from '../model/labels';
import type { Deployment, Pod, PodTemplateSpec, ReplicaSet } from '../model/types';
import { ANNOTATIONS_TO_SKIP, CHANGE_CAUSE, REVISION } from '../controllers/deployment';
import { controllerOf } from '../controllers/pods';

export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';
const HASH_LABEL = 'pod-template-hash';

export interface RolloutRevision {
  revision: number;
  /** kubernetes.io/change-cause of that revision's ReplicaSet (`<none>` when absent, as printed). */
  changeCause?: string;
  replicaSet: string;
  /** The ReplicaSet's pod template (with its pod-template-hash label), as `--revision=N` prints it. */
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
