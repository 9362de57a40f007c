// Garbage collection by ownerReferences (background propagation by default, as kubectl
// delete does; orphan leaves dependents without the owner's reference) and the namespace
// controller emptying a terminating namespace.
import { describe, expect, it } from 'vitest';
import { createCluster, type Cluster, type KubeObject } from '../index';

const val = <T>(r: { ok: boolean; value?: unknown; error?: unknown }): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value as T;
};
const WEB = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: NS}\nspec:\n  replicas: 2\n  selector: {matchLabels: {a: w}}\n  template:\n    metadata: {labels: {a: w}}\n    spec: {containers: [{name: c, image: "nginx:1.27"}]}\n';
const names = (c: Cluster, kind: string, ns = 'default') => val<KubeObject[]>(c.list(kind, { namespace: ns })).map((o) => o.metadata.name);

describe('garbage collector', () => {
  it('deleting a Deployment removes its ReplicaSet at once and its pods after their grace period', () => {
    const c = createCluster();
    c.apply(WEB.replace('NS', 'default'));
    c.tick(10_000);
    val(c.delete('deploy', 'default', 'web'));
    expect(names(c, 'rs')).toEqual([]);
    expect(val<KubeObject[]>(c.list('po', { namespace: 'default' })).every((p) => p.metadata.deletionTimestamp)).toBe(true);
    c.tick(2_000); // nginx exits on SIGTERM
    expect(names(c, 'po')).toEqual([]);
  });

  it('propagationPolicy Orphan keeps the ReplicaSet and drops its ownerReference', () => {
    const c = createCluster();
    c.apply(WEB.replace('NS', 'default'));
    c.tick(10_000);
    val(c.delete('deploy', 'default', 'web', { propagationPolicy: 'Orphan' }));
    const [rs] = val<KubeObject[]>(c.list('rs', { namespace: 'default' }));
    expect(rs!.metadata.ownerReferences ?? []).toEqual([]);
    expect(names(c, 'po')).toHaveLength(2);
  });

  it('deleting a Service removes the EndpointSlices it owns', () => {
    const c = createCluster();
    c.apply('apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  selector: {a: w}\n  ports: [{port: 80}]\n');
    expect(val<KubeObject[]>(c.list('endpointslices', { namespace: 'default', labelSelector: 'kubernetes.io/service-name=s' }))).toHaveLength(1);
    val(c.delete('svc', 'default', 's'));
    expect(val<KubeObject[]>(c.list('endpointslices', { namespace: 'default', labelSelector: 'kubernetes.io/service-name=s' }))).toHaveLength(0);
  });

  it('a deleted namespace is Terminating until it is empty, then gone', () => {
    const c = createCluster();
    c.apply('apiVersion: v1\nkind: Namespace\nmetadata: {name: team}\n---\n' + WEB.replace('NS', 'team'));
    c.tick(10_000);
    val(c.delete('ns', undefined, 'team'));
    expect(val<{ status: { phase: string } }>(c.get('ns', undefined, 'team')).status.phase).toBe('Terminating');
    c.tick(5_000);
    expect(c.get('ns', undefined, 'team').ok).toBe(false);
    expect(names(c, 'po', 'team')).toEqual([]);
  });
});
