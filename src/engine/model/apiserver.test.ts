// The API server's write path, checked against k8s.io/apimachinery/pkg/api/errors texts and
// registry behaviour (generation only on spec changes, status ignored on the main resource,
// no-op updates keep resourceVersion, graceful pod deletion).
import { describe, expect, it } from 'vitest';
import { createCluster, formatKubectlError, type Deployment, type KubeObject, type ObjectInput, type Pod } from '../index';

const val = <T>(r: { ok: boolean; value?: unknown; error?: unknown }): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value as T;
};
const cm = (name: string, ns?: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(ns ? { namespace: ns } : {}) }, data: { a: '1' } });
const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } };

describe('ApiServer', () => {
  it('AlreadyExists, NotFound namespace, and the qualified resource in messages', () => {
    const c = createCluster();
    val(c.create(deployment));
    const dup = c.create(deployment);
    expect(!dup.ok && formatKubectlError(dup.error)).toBe('Error from server (AlreadyExists): deployments.apps "web" already exists');
    const ns = c.create(cm('x', 'nope'));
    expect(!ns.ok && formatKubectlError(ns.error)).toBe('Error from server (NotFound): namespaces "nope" not found');
  });

  it('generateName, uid, creationTimestamp, resourceVersion', () => {
    const c = createCluster();
    const o = val<KubeObject>(c.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'cfg-' } }));
    expect(o.metadata.name).toMatch(/^cfg-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(o.metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(o.metadata.creationTimestamp).toBe(new Date(c.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'));
    expect(Number(o.metadata.resourceVersion)).toBeGreaterThan(0);
  });

  it('a stale resourceVersion is a Conflict; a no-op update keeps the resourceVersion', () => {
    const c = createCluster();
    const a = val<KubeObject>(c.create(cm('a')));
    const b = val<KubeObject>(c.update({ ...a, data: { a: '2' } } as unknown as ObjectInput));
    expect(b.metadata.resourceVersion).not.toBe(a.metadata.resourceVersion);
    const stale = c.update({ ...a, data: { a: '3' } } as unknown as ObjectInput);
    expect(!stale.ok && formatKubectlError(stale.error)).toBe('Error from server (Conflict): Operation cannot be fulfilled on configmaps "a": the object has been modified; please apply your changes to the latest version and try again');
    const same = val<KubeObject>(c.update({ ...b } as unknown as ObjectInput));
    expect(same.metadata.resourceVersion).toBe(b.metadata.resourceVersion);
  });

  it('generation moves with spec only; status written by a user is ignored', () => {
    const c = createCluster();
    val(c.create(deployment));
    const d1 = val<Deployment>(c.get('deploy', 'default', 'web'));
    expect(d1.metadata.generation).toBe(1);
    val(c.patch('deploy', 'default', 'web', { metadata: { labels: { x: 'y' } } }, 'merge'));
    expect(val<Deployment>(c.get('deploy', 'default', 'web')).metadata.generation).toBe(1);
    val(c.patch('deploy', 'default', 'web', { spec: { replicas: 3 } }, 'merge'));
    expect(val<Deployment>(c.get('deploy', 'default', 'web')).metadata.generation).toBe(2);
    val(c.patch('deploy', 'default', 'web', { status: { replicas: 99 } }, 'merge'));
    expect(val<Deployment>(c.get('deploy', 'default', 'web')).status!.replicas).not.toBe(99);
  });

  it('pods are deleted gracefully: deletionTimestamp = now + grace, gone after the app exits', () => {
    const c = createCluster();
    c.apply('apiVersion: v1\nkind: Pod\nmetadata: {name: s}\nspec:\n  containers: [{name: c, image: "busybox:1.36", command: [sleep, "3600"]}]\n');
    c.tick(5000);
    const p = val<Pod>(c.delete('po', 'default', 's'));
    expect(p.metadata.deletionGracePeriodSeconds).toBe(30);
    expect(Date.parse(p.metadata.deletionTimestamp!)).toBe(Math.floor(c.now() / 1000) * 1000 + 30_000);
    c.tick(29_000);
    expect(c.get('po', 'default', 's').ok).toBe(true); // sleep ignores SIGTERM as PID 1
    c.tick(1_000);
    expect(c.get('po', 'default', 's').ok).toBe(false);
  });

  it('a terminating namespace refuses new objects (Forbidden)', () => {
    const c = createCluster();
    c.apply('apiVersion: v1\nkind: Namespace\nmetadata: {name: team}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: s, namespace: team}\nspec:\n  containers: [{name: c, image: "busybox:1.36", command: [sleep, "3600"]}]\n');
    c.tick(5000);
    c.delete('ns', undefined, 'team');
    const r = c.create(cm('late', 'team'));
    expect(!r.ok && formatKubectlError(r.error)).toBe('Error from server (Forbidden): configmaps "late" is forbidden: unable to create new content in namespace team because it is being terminated');
  });
});

describe('NetworkPolicy defaulting (pkg/apis/networking/v1/defaults.go)', () => {
  const policy = (spec: string) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector: {}\n${spec}`;
  const stored = (spec: string) => {
    const c = createCluster();
    const [r] = c.apply(policy(spec));
    if (!r?.ok) throw new Error('apply failed');
    return (r.object as unknown as { spec: { policyTypes: string[] } }).spec.policyTypes;
  };
  it('adds Egress only when there is at least one egress rule', () => {
    expect(stored('  egress: []\n')).toEqual(['Ingress']);
    expect(stored('  egress: [{}]\n')).toEqual(['Ingress', 'Egress']);
    expect(stored('')).toEqual(['Ingress']);
  });
  it('treats an empty policyTypes list as missing, and keeps a given one', () => {
    expect(stored('  policyTypes: []\n')).toEqual(['Ingress']);
    expect(stored('  policyTypes: [Egress]\n')).toEqual(['Egress']);
  });
});
