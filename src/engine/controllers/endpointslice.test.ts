// EndpointSlice and Endpoints controllers, checked against pkg/controller/endpointslice
// (staging/src/k8s.io/endpointslice reconciler: 100 endpoints per slice by default,
// ready/serving/terminating), pkg/controller/endpoint (addresses vs notReadyAddresses) and
// ShouldPodBeInEndpoints (terminal pods never published).
import { describe, expect, it } from 'vitest';
import { createCluster, type Cluster, type EndpointSlice, type Endpoints } from '../index';

const val = <T>(r: { ok: boolean; value?: unknown; error?: unknown }): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value as T;
};
const slices = (c: Cluster, svc: string) => val<EndpointSlice[]>(c.list('endpointslices', { namespace: 'default', labelSelector: `kubernetes.io/service-name=${svc}` }));
const svc = (name: string, extra = '') => `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}}\nspec:\n  selector: {app: ${name}}\n  ports: [{port: 80, targetPort: http}]\n${extra}`;
const dep = (name: string, replicas: number, port = 80, probe = '') => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}}\nspec:\n  replicas: ${replicas}\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec:\n      containers: [{name: c, image: "nginx:1.27", ports: [{name: http, containerPort: ${port}}]${probe}}]\n`;

describe('EndpointSlice controller', () => {
  it('labels, owner, managed-by and the placeholder slice of an empty Service', () => {
    const c = createCluster();
    c.apply(svc('web'));
    const [s] = slices(c, 'web');
    expect(s!.metadata.labels).toMatchObject({ 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    expect(s!.metadata.ownerReferences![0]).toMatchObject({ kind: 'Service', name: 'web', controller: true, blockOwnerDeletion: true });
    expect(s!.metadata.generateName).toBe('web-');
    expect(s!.endpoints).toBeNull();
    expect(s!.addressType).toBe('IPv4');
  });

  it('resolves a named targetPort per pod and groups pods by resolved ports', () => {
    const c = createCluster();
    c.apply(svc('web') + '---\n' + dep('web', 2, 8080).replace('name: web}', 'name: web-a}') + '---\n' + dep('web', 1, 9090).replace('name: web}', 'name: web-b}'));
    c.tick(10_000);
    const ports = slices(c, 'web').map((s) => [s.ports![0]!.port, s.endpoints!.length]).sort();
    expect(ports).toEqual([[8080, 2], [9090, 1]]);
  });

  it('splits more than 100 endpoints into several slices', () => {
    const c = createCluster();
    c.apply(svc('big') + '---\n' + dep('big', 150));
    c.tick(10_000);
    expect(slices(c, 'big').map((s) => s.endpoints!.length).sort((a, b) => a - b)).toEqual([50, 100]);
  });

  it('unready pods are ready:false serving:false; publishNotReadyAddresses makes them ready', () => {
    const c = createCluster();
    const probe = ', readinessProbe: {tcpSocket: {port: 8081}}';
    c.apply(svc('web') + '---\n' + svc('web2', '  publishNotReadyAddresses: true\n').replace('app: web2', 'app: web') + '---\n' + dep('web', 1, 80, probe));
    c.tick(20_000);
    expect(slices(c, 'web')[0]!.endpoints![0]!.conditions).toEqual({ ready: false, serving: false, terminating: false });
    expect(slices(c, 'web2')[0]!.endpoints![0]!.conditions).toEqual({ ready: true, serving: false, terminating: false });
    const ep = val<Endpoints>(c.get('ep', 'default', 'web'));
    expect(ep.subsets![0]!.notReadyAddresses).toHaveLength(1);
    expect(ep.subsets![0]!.addresses).toBeUndefined();
  });

  it('terminating pods stay in slices (terminating:true, ready:false) but leave v1 Endpoints', () => {
    const c = createCluster();
    c.apply(svc('web') + '---\n' + dep('web', 1));
    c.tick(10_000);
    const [pod] = val<{ metadata: { name: string } }[]>(c.list('po', { namespace: 'default' }));
    c.delete('po', 'default', pod!.metadata.name);
    const eps = slices(c, 'web').flatMap((s) => s.endpoints ?? []);
    expect(eps.find((e) => e.targetRef!.name === pod!.metadata.name)!.conditions).toEqual({ ready: false, serving: true, terminating: true });
    const ep = val<Endpoints>(c.get('ep', 'default', 'web'));
    const ips = (ep.subsets ?? []).flatMap((s) => [...(s.addresses ?? []), ...(s.notReadyAddresses ?? [])]).map((a) => a.targetRef!.name);
    expect(ips).not.toContain(pod!.metadata.name);
  });

  it('terminal pods (Succeeded) are never endpoints', () => {
    const c = createCluster();
    c.apply(svc('job') + '---\napiVersion: v1\nkind: Pod\nmetadata: {name: once, labels: {app: job}}\nspec:\n  restartPolicy: Never\n  containers: [{name: c, image: "busybox:1.36", command: ["true"], ports: [{name: http, containerPort: 80}]}]\n');
    c.tick(10_000);
    expect(val<{ status: { phase: string } }>(c.get('po', 'default', 'once')).status.phase).toBe('Succeeded');
    expect(slices(c, 'job')[0]!.endpoints).toBeNull();
  });

  it('a selectorless Service keeps the slices the user wrote', () => {
    const c = createCluster();
    c.apply('apiVersion: v1\nkind: Service\nmetadata: {name: ext}\nspec:\n  ports: [{port: 80}]\n---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: ext-1, labels: {kubernetes.io/service-name: ext}}\naddressType: IPv4\nports: [{port: 80}]\nendpoints: [{addresses: [10.1.2.3]}]\n');
    c.tick(5000);
    const s = slices(c, 'ext');
    expect(s.map((x) => x.metadata.name)).toEqual(['ext-1']);
    expect(s[0]!.endpoints![0]!.addresses).toEqual(['10.1.2.3']);
  });

  it('relabelling a pod moves it between Services', () => {
    const c = createCluster();
    c.apply(svc('web') + '---\n' + svc('other').replace('app: other', 'role: other') + '---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {app: web}}\nspec:\n  containers: [{name: c, image: "nginx:1.27", ports: [{name: http, containerPort: 80}]}]\n');
    c.tick(5000);
    expect(slices(c, 'web')[0]!.endpoints).toHaveLength(1);
    c.patch('po', 'default', 'p', { metadata: { labels: { app: null, role: 'other' } } }, 'merge');
    expect(slices(c, 'web')[0]!.endpoints).toBeNull();
    expect(slices(c, 'other')[0]!.endpoints).toHaveLength(1);
  });
});
