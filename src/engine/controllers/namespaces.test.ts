import { describe, expect, it } from 'vitest';
import { createCluster, type Lease, type Pod } from '../index';

describe('what every namespace and node gets', () => {
  it('kube-root-ca.crt and the default ServiceAccount in every namespace, recreated when deleted', () => {
    const c = createCluster();
    c.apply('apiVersion: v1\nkind: Namespace\nmetadata: {name: dev}\n');
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'dev']) {
      expect(c.get('ConfigMap', ns, 'kube-root-ca.crt').ok).toBe(true);
      expect(c.get('ServiceAccount', ns, 'default').ok).toBe(true);
    }
    c.delete('ConfigMap', 'dev', 'kube-root-ca.crt');
    expect(c.get('ConfigMap', 'dev', 'kube-root-ca.crt').ok).toBe(true);
  });
  it('pods get the kube-api-access projected volume and its read-only mount', () => {
    const c = createCluster();
    c.apply('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: nginx}]\n');
    const p = c.get<Pod>('Pod', 'default', 'p');
    if (!p.ok) throw new Error('no pod');
    const v = p.value.spec.volumes![0]!;
    expect(v.name).toMatch(/^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(v.projected!.sources.map((s) => Object.keys(s)[0])).toEqual(['serviceAccountToken', 'configMap', 'downwardAPI']);
    expect(p.value.spec.containers[0]!.volumeMounts).toEqual([{ name: v.name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }]);
  });
  it('node leases are renewed every 10 s', () => {
    const c = createCluster();
    const before = c.get<Lease>('Lease', 'kube-node-lease', 'worker');
    c.tick(10_000);
    const after = c.get<Lease>('Lease', 'kube-node-lease', 'worker');
    if (!before.ok || !after.ok) throw new Error('no lease');
    expect(after.value.spec.holderIdentity).toBe('worker');
    expect(Date.parse(after.value.spec.renewTime!) - Date.parse(before.value.spec.renewTime!)).toBe(10_000);
  });
});
