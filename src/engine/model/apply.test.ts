// kubectl apply semantics (kubectl/pkg/cmd/apply): last-applied-configuration, three-way
// merge, per-document outcomes, server dry-run, v1 List.
import { describe, expect, it } from 'vitest';
import { createCluster, type KubeObject } from '../index';

const val = <T>(r: { ok: boolean; value?: unknown; error?: unknown }): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value as T;
};
const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  labels: {app: web, tier: fe}\ndata: {a: "1"}\n';

describe('apply', () => {
  it('records the applied document as compact, key-sorted JSON in last-applied-configuration', () => {
    const c = createCluster();
    c.apply(CM);
    const o = val<KubeObject>(c.get('cm', 'default', 'cfg'));
    expect(o.metadata.annotations!['kubectl.kubernetes.io/last-applied-configuration']).toBe(
      '{"apiVersion":"v1","data":{"a":"1"},"kind":"ConfigMap","metadata":{"annotations":{},"labels":{"app":"web","tier":"fe"},"name":"cfg","namespace":"default"}}\n',
    );
  });
  it('removes what the previous apply set and this one omits; keeps changes made by others', () => {
    const c = createCluster();
    c.apply(CM);
    val(c.patch('cm', 'default', 'cfg', { metadata: { labels: { owner: 'ops' } } }, 'merge'));
    const [r] = c.apply(CM.replace(', tier: fe', ''));
    expect(r!.ok && r!.outcome).toBe('configured');
    expect(val<KubeObject>(c.get('cm', 'default', 'cfg')).metadata.labels).toEqual({ app: 'web', owner: 'ops' });
  });
  it('--dry-run=server validates and reports without storing', () => {
    const c = createCluster();
    const [r] = c.apply(CM, { dryRun: 'server' });
    expect(r!.ok && r!.outcome).toBe('created');
    expect(c.get('cm', 'default', 'cfg').ok).toBe(false);
  });
  it('warns when the live object was not created by apply', () => {
    const c = createCluster();
    val(c.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' } }));
    const [r] = c.apply(CM);
    expect(r!.ok && r!.warnings![0]).toBe(
      'resource configmaps/cfg is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.',
    );
  });
  it('applies each item of a v1 List on its own', () => {
    const c = createCluster();
    const res = c.apply('apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: B}}\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: c}}\n');
    expect(res.map((r) => r.ok)).toEqual([true, false, true]);
  });
  it('-n sets the namespace of documents that name none', () => {
    const c = createCluster();
    c.apply('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n', { namespace: 'kube-public' });
    expect(c.get('cm', 'kube-public', 'x').ok).toBe(true);
  });
});
