/** Pod facts shared by controllers (pkg/api/v1/pod/util.go). */
import { parseTime } from '../core/clock';
import type { KubeObject, OwnerReference, Pod } from '../model/types';

export const isTerminating = (p: KubeObject): boolean => !!p.metadata.deletionTimestamp;

/** Succeeded or Failed: a pod that will not run again (IsPodTerminal). */
export const isTerminal = (p: Pod): boolean => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

/** ShouldPodBeInEndpoints (pkg/api/v1/endpoints/util.go … controller/util/endpoint): not terminal, has an IP, terminating only when asked. */
export function shouldPodBeInEndpoints(p: Pod, includeTerminating: boolean): boolean {
  if (isTerminal(p)) return false;
  if (!p.status?.podIP) return false;
  if (!includeTerminating && isTerminating(p)) return false;
  return true;
}

export function isReady(p: Pod): boolean {
  return p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** Ready for at least minReadySeconds (IsPodAvailable). */
export function isAvailable(p: Pod, minReadySeconds: number, now: number): boolean {
  if (!isReady(p)) return false;
  if (minReadySeconds <= 0) return true;
  const since = parseTime(p.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime);
  return since !== undefined && since + minReadySeconds * 1000 <= now;
}

export function controllerOf(o: KubeObject): OwnerReference | undefined {
  return o.metadata.ownerReferences?.find((r) => r.controller);
}

export function ownerRef(owner: KubeObject): OwnerReference {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true };
}

/** Drop zero-valued counters, as `omitempty` does when the API server serialises status. */
export function omitZero<T extends Record<string, number>>(status: T, keep: (keyof T)[] = []): T {
  const out = {} as Record<string, number>;
  for (const [k, v] of Object.entries(status)) if (v !== 0 || keep.includes(k)) out[k] = v;
  return out as T;
}
