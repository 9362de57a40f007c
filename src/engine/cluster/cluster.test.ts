import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createCluster, formatKubectlError, type Pod, type Service, type EndpointSlice, type Deployment, type ReplicaSet } from '../index';

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: nginx:1.27, ports: [{containerPort: 80, name: http}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: http}]
`;

const val = <T>(r: { ok: boolean; value?: unknown }): T => {
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.value as T;
};

describe('default cluster (like kind)', () => {
  const c = createCluster();
  it('has the kind nodes, namespaces and system services', () => {
    expect(val<{ metadata: { name: string } }[]>(c.list('Node')).map((n) => n.metadata.name)).toEqual(['control-plane', 'worker', 'worker2']);
    expect(val<{ metadata: { name: string } }[]>(c.list('ns')).map((n) => n.metadata.name)).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    const dns = val<Service>(c.get('svc', 'kube-system', 'kube-dns'));
    expect(dns.spec.clusterIP).toBe('10.96.0.10');
    expect(dns.spec.ports!.map((p) => `${p.name} ${p.port}/${p.protocol}`)).toEqual(['dns 53/UDP', 'dns-tcp 53/TCP', 'metrics 9153/TCP']);
    expect(val<Service>(c.get('Service', 'default', 'kubernetes')).spec.clusterIP).toBe('10.96.0.1');
    const cm = val<{ data: Record<string, string> }>(c.get('cm', 'kube-system', 'kube-proxy'));
    expect(cm.data['config.conf']).toContain('mode: iptables');
  });
  it('boots settled: every pod Running and Ready, coredns behind kube-dns', () => {
    const pods = val<Pod[]>(c.list('Pod', { namespace: 'kube-system' }));
    expect(pods.length).toBe(12);
    expect(pods.every((p) => p.status?.phase === 'Running')).toBe(true);
    const slices = val<EndpointSlice[]>(c.list('EndpointSlice', { namespace: 'kube-system', labelSelector: 'kubernetes.io/service-name=kube-dns' }));
    expect(slices).toHaveLength(1);
    expect(slices[0]!.endpoints).toHaveLength(2);
    expect(slices[0]!.metadata.labels!['endpointslice.kubernetes.io/managed-by']).toBe('endpointslice-controller.k8s.io');
  });
  it('is deterministic for a seed', () => {
    const names = (s: number) => val<Pod[]>(createCluster({ seed: s }).list('Pod')).map((p) => p.metadata.name);
    expect(names(7)).toEqual(names(7));
    expect(names(7)).not.toEqual(names(8));
  });
  it('pod names use the kube alphabet', () => {
    const pods = val<Pod[]>(c.list('Pod', { labelSelector: 'k8s-app=kube-dns' }));
    for (const p of pods) expect(p.metadata.name).toMatch(/^coredns-[bcdfghjklmnpqrstvwxz2456789]+-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });
});

describe('apply', () => {
  it('creates, then reports unchanged, then configured', () => {
    const c = createCluster();
    expect(c.apply(WEB).map((r) => (r.ok ? `${r.ref} ${r.outcome}` : r.error.message))).toEqual(['deployment.apps/web created', 'service/web created']);
    expect(c.apply(WEB).map((r) => (r.ok ? r.outcome : ''))).toEqual(['unchanged', 'unchanged']);
    expect(c.apply(WEB.replace('replicas: 3', 'replicas: 2')).map((r) => (r.ok ? r.outcome : ''))).toEqual(['configured', 'unchanged']);
  });
  it('invalid and unknown documents fail alone with kubectl wording', () => {
    const c = createCluster();
    const res = c.apply(`apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports: [{port: 70000, targetPort: 80}]\n---\napiVersion: v1\nkind: Servce\nmetadata: {name: x}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n`);
    expect(res[0]!.ok).toBe(false);
    if (!res[0]!.ok) expect(formatKubectlError(res[0]!.error)).toBe('The Service "web" is invalid: spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive');
    if (!res[1]!.ok) expect(res[1]!.error.message).toBe('no matches for kind "Servce" in version "v1"');
    expect(res[2]!.ok).toBe(true);
    expect(c.get('svc', 'default', 'web').ok).toBe(false);
  });
  it('YAML errors name line and column', () => {
    const c = createCluster();
    const [r] = c.apply('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n   bad: [\n');
    expect(r!.ok).toBe(false);
    if (!r!.ok) {
      expect(r!.error.code).toBe('YAMLError');
      expect(r!.error.data.line).toBeGreaterThan(0);
      // kubectl prints go-yaml's `yaml: line N: …`; the exact position stays in the data.
      expect(r!.error.message).toMatch(/^error converting YAML to JSON: yaml: line \d+: /);
      expect(r!.error.data.column).toBeGreaterThan(0);
    }
  });
  it('NotFound and immutable fields', () => {
    const c = createCluster();
    c.apply(WEB);
    const nf = c.get('svc', 'default', 'nope');
    expect(!nf.ok && formatKubectlError(nf.error)).toBe('Error from server (NotFound): services "nope" not found');
    const [r] = c.apply(WEB.replace(/app: web/g, 'app: web2').split('---')[0]!);
    expect(!r!.ok && formatKubectlError(r!.error)).toBe(
      'The Deployment "web" is invalid: spec.selector: Invalid value: &LabelSelector{MatchLabels:map[string]string{app: web2,},MatchExpressions:[]LabelSelectorRequirement{},}: field is immutable',
    );
    const svc = val<Service>(c.get('svc', 'default', 'web'));
    const p = c.patch('svc', 'default', 'web', { spec: { clusterIP: '10.96.5.5' } }, 'merge');
    expect(!p.ok && p.error.data.causes!.map((x) => `${x.field}: ${x.message}`)).toContain('spec.clusterIP: Invalid value: "10.96.5.5": field is immutable');
    expect(val<Service>(c.get('svc', 'default', 'web')).spec.clusterIP).toBe(svc.spec.clusterIP);
  });
  it('selector must match template labels', () => {
    const c = createCluster();
    const [r] = c.apply(WEB.split('---')[0]!.replace('labels: {app: web}', 'labels: {app: other}'));
    expect(!r!.ok && r!.error.message).toContain('spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`');
  });
  it('applying random invalid documents never changes the store (property)', () => {
    const c = createCluster();
    const snapshot = () => JSON.stringify(['Pod', 'Service', 'Deployment', 'ConfigMap', 'EndpointSlice'].map((k) => val(c.list(k))));
    const before = snapshot();
    const port = fc.oneof(fc.integer({ min: 65536, max: 10_000_000 }), fc.integer({ min: -1000, max: 0 }));
    const name = fc.stringMatching(/^[A-Z_][A-Za-z_.]{0,10}$/);
    const doc = fc.oneof(
      port.map((p) => `apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports: [{port: ${p}}]\n`),
      name.map((n) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "${n}"}\n`),
      fc.constantFrom('Servce', 'Deploy', 'Podd').map((k) => `apiVersion: v1\nkind: ${k}\nmetadata: {name: x}\n`),
      fc.constant('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: c}}, spec: {containers: [{name: c, image: nginx}]}}}\n'),
      fc.string().map((s) => `a: [${s}\n`),
    );
    fc.assert(
      fc.property(doc, (text) => {
        const results = c.apply(text);
        return results.every((r) => !r.ok) && snapshot() === before;
      }),
      { numRuns: 150 },
    );
  });
});

describe('controllers', () => {
  it('deployment → replicaset → pods → endpointslice with named targetPort resolved', () => {
    const c = createCluster();
    c.apply(WEB);
    c.tick(10_000);
    const rs = val<ReplicaSet[]>(c.list('rs', { namespace: 'default' }));
    expect(rs).toHaveLength(1);
    expect(rs[0]!.metadata.annotations!['deployment.kubernetes.io/revision']).toBe('1');
    const pods = val<Pod[]>(c.list('po', { namespace: 'default' }));
    expect(pods).toHaveLength(3);
    expect(pods.every((p) => p.metadata.labels!['pod-template-hash'] === rs[0]!.metadata.labels!['pod-template-hash'])).toBe(true);
    expect(pods.every((p) => /^10\.244\.[12]\.\d+$/.test(p.status!.podIP!))).toBe(true);
    const [slice] = val<EndpointSlice[]>(c.list('endpointslices', { namespace: 'default', labelSelector: 'kubernetes.io/service-name=web' }));
    expect(slice!.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(slice!.ports).toEqual([{ name: '', port: 80, protocol: 'TCP' }]);
    expect(slice!.endpoints!.every((e) => e.conditions.ready && e.conditions.serving && !e.conditions.terminating)).toBe(true);
    const ev = c.events({ kind: 'Deployment', name: 'web' });
    expect(ev.map((e) => e.message)).toEqual([`Scaled up replica set ${rs[0]!.metadata.name} from 0 to 3`]);
  });
  it('rolling update respects maxSurge/maxUnavailable and keeps history for undo', () => {
    const c = createCluster();
    c.apply(WEB.replace('replicas: 3', 'replicas: 4'));
    c.tick(10_000);
    c.apply(WEB.replace('replicas: 3', 'replicas: 4').replace('nginx:1.27', 'nginx:1.28'));
    for (let i = 0; i < 20; i++) {
      const pods = val<Pod[]>(c.list('po', { namespace: 'default' })).filter((p) => !p.metadata.deletionTimestamp);
      expect(pods.length).toBeLessThanOrEqual(5); // 4 + maxSurge 25% (1)
      c.tick(1000);
    }
    const rs = val<ReplicaSet[]>(c.list('rs', { namespace: 'default' }));
    expect(rs).toHaveLength(2);
    const byRev = Object.fromEntries(rs.map((r) => [r.metadata.annotations!['deployment.kubernetes.io/revision'], r.spec.replicas]));
    expect(byRev).toEqual({ '1': 0, '2': 4 });
    const d = val<Deployment>(c.get('deploy', 'default', 'web'));
    expect(d.status!.updatedReplicas).toBe(4);
    expect(d.metadata.annotations!['deployment.kubernetes.io/revision']).toBe('2');
  });
  it('a readiness probe on a port the app does not listen on keeps the pod out of the ready endpoints', () => {
    const c = createCluster();
    c.apply(WEB.replace('ports: [{containerPort: 80, name: http}]', 'ports: [{containerPort: 80, name: http}], readinessProbe: {httpGet: {port: 8080}}'));
    c.tick(30_000);
    const [slice] = val<EndpointSlice[]>(c.list('endpointslices', { namespace: 'default', labelSelector: 'kubernetes.io/service-name=web' }));
    expect(slice!.endpoints!.every((e) => e.conditions.ready === false)).toBe(true);
    expect(c.events({ namespace: 'default' }).some((e) => e.reason === 'Unhealthy' && e.message.startsWith('Readiness probe failed: Get "http://10.244.'))).toBe(true);
  });
  it('scheduler never uses the tainted control-plane and honours nodeSelector', () => {
    const c = createCluster();
    c.apply(WEB.replace('replicas: 3', 'replicas: 10'));
    c.tick(5000);
    const pods = val<Pod[]>(c.list('po', { namespace: 'default' }));
    expect(pods.some((p) => p.spec.nodeName === 'control-plane')).toBe(false);
    c.apply('apiVersion: v1\nkind: Pod\nmetadata: {name: pinned}\nspec:\n  nodeSelector: {kubernetes.io/hostname: worker2}\n  containers: [{name: c, image: busybox, command: [sleep, "3600"]}]\n');
    expect(val<Pod>(c.get('po', 'default', 'pinned')).spec.nodeName).toBe('worker2');
  });
  it('NodePort and LoadBalancer get ports and IPs; user-chosen values are kept', () => {
    const c = createCluster();
    c.apply('apiVersion: v1\nkind: Service\nmetadata: {name: lb}\nspec:\n  type: LoadBalancer\n  selector: {app: web}\n  ports: [{port: 80, nodePort: 30080}]\n');
    const lb = val<Service>(c.get('svc', 'default', 'lb'));
    expect(lb.spec.ports![0]!.nodePort).toBe(30080);
    expect(lb.status!.loadBalancer!.ingress![0]!.ip).toBe('172.18.255.200');
    const [dup] = c.apply('apiVersion: v1\nkind: Service\nmetadata: {name: np}\nspec:\n  type: NodePort\n  ports: [{port: 80, nodePort: 30080}]\n');
    expect(!dup!.ok && dup!.error.message).toBe('Service "np" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated');
  });
  it('deleting a deployment cascades, pods terminate gracefully', () => {
    const c = createCluster();
    c.apply(WEB);
    c.tick(10_000);
    c.delete('deploy', 'default', 'web');
    const pods = val<Pod[]>(c.list('po', { namespace: 'default' }));
    expect(pods.every((p) => p.metadata.deletionTimestamp)).toBe(true);
    const [slice] = val<EndpointSlice[]>(c.list('endpointslices', { namespace: 'default', labelSelector: 'kubernetes.io/service-name=web' }));
    expect(slice!.endpoints!.every((e) => e.conditions.terminating && !e.conditions.ready)).toBe(true);
    c.tick(2000);
    expect(val<Pod[]>(c.list('po', { namespace: 'default' }))).toEqual([]);
  });
  it('a ClusterConfig among the manifests shapes the cluster', () => {
    const c = createCluster({
      manifests: 'apiVersion: clusterpath.dev/v1alpha1\nkind: ClusterConfig\nserviceCIDR: 10.100.0.0/16\nnodes:\n- {name: cp, role: control-plane, ip: 10.0.0.2}\n- {name: w1, ip: 10.0.0.3}\n---\napiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: ipvs\n',
    });
    expect(c.config.kubeProxy.mode).toBe('ipvs');
    expect(val<Service>(c.get('svc', 'kube-system', 'kube-dns')).spec.clusterIP).toBe('10.100.0.10');
    expect(val<{ metadata: { name: string } }[]>(c.list('no')).map((n) => n.metadata.name)).toEqual(['cp', 'w1']);
    expect(val<{ data: Record<string, string> }>(c.get('cm', 'kube-system', 'kube-proxy')).data['config.conf']).toContain('mode: ipvs');
  });
  it('field selectors', () => {
    const c = createCluster();
    expect(val<Pod[]>(c.list('po', { fieldSelector: 'spec.nodeName=worker' })).every((p) => p.spec.nodeName === 'worker')).toBe(true);
    const bad = c.list('svc', { fieldSelector: 'spec.foo=1' });
    expect(!bad.ok && bad.error.message).toBe('field label not supported: spec.foo');
  });
});
