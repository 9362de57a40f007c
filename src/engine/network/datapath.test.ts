import { describe, expect, it } from 'vitest';
import { createCluster, formatTrace, type ConfigMap, type Pod, type Service } from '../index';
import { makeQuery } from '../dns';

const web = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: nginx, image: nginx:1.27, ports: [{containerPort: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: empty}
spec:
  selector: {app: nothing}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Pod
metadata: {name: client, labels: {app: client}}
spec:
  containers:
  - {name: c, image: busybox, command: [sleep, '3600']}
`;

function setup(extra = '') {
  const cluster = createCluster({ seed: 1, manifests: web + extra });
  cluster.tick(10_000);
  const svc = (name: string) => (cluster.get<Service>('Service', 'default', name) as { ok: true; value: Service }).value;
  const pods = (cluster.list<Pod>('Pod', { namespace: 'default', labelSelector: 'app=web' }) as { ok: true; value: Pod[] }).value;
  return { cluster, svc, pods };
}

const from = { pod: { namespace: 'default', name: 'client' } };

describe('connect', () => {
  it('reaches a Service through DNAT and gets nginx\'s page; the reply is un-NATed', () => {
    const { cluster, svc, pods } = setup();
    const ip = svc('web').spec.clusterIP!;
    const r = cluster.connect({ from, to: { ip, port: 80 }, payload: { kind: 'http', method: 'GET', path: '/', host: 'web', headers: [] } });
    expect(r.outcome).toBe('connected');
    expect(r.response?.kind === 'http' && r.response.status).toBe(200);
    expect(r.response?.kind === 'http' && r.response.body.length).toBe(615);
    expect(pods.map((p) => p.status!.podIP)).toContain(r.trace.endpoint!.ip);
    const text = formatTrace(r.trace);
    expect(text).toMatch(/-j KUBE-SVC-/);
    expect(text).toMatch(/-j DNAT --to-destination/);
    expect(JSON.parse(JSON.stringify(r.trace))).toEqual(r.trace);
    const logs = cluster.logs('default', r.trace.endpoint!.pod!.split('/')[1]!);
    expect(logs.ok && logs.value).toMatch(/"GET \/ HTTP\/1.1" 200 615/);
  });

  it('refuses a Service without endpoints (REJECT icmp-port-unreachable)', () => {
    const { cluster, svc } = setup();
    const r = cluster.connect({ from, to: { ip: svc('empty').spec.clusterIP!, port: 80 } });
    expect(r.outcome).toBe('refused');
    expect(formatTrace(r.trace)).toMatch(/REJECT --reject-with icmp-port-unreachable/);
  });

  it('refuses a closed port on a pod; times out under a default-deny', () => {
    const { cluster, pods } = setup();
    expect(cluster.connect({ from, to: { ip: pods[0]!.status!.podIP!, port: 81 } }).outcome).toBe('refused');
    cluster.apply('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny}\nspec:\n  podSelector: {matchLabels: {app: web}}\n');
    const r = cluster.connect({ from, to: { ip: pods[0]!.status!.podIP!, port: 80 } });
    expect(r.outcome).toBe('timed-out');
    expect(r.trace.summary).toMatch(/NetworkPolicy/);
  });

  it('NodePort from outside: nginx logs the node address (masquerade)', () => {
    const { cluster, svc } = setup('---\napiVersion: v1\nkind: Service\nmetadata: {name: np}\nspec:\n  type: NodePort\n  selector: {app: web}\n  ports: [{port: 80, nodePort: 30080}]\n');
    void svc;
    const r = cluster.connect({ from: { external: true }, to: { ip: '172.18.0.3', port: 30080 }, payload: { kind: 'http', method: 'GET', path: '/', host: '172.18.0.3:30080', headers: [] } });
    expect(r.outcome).toBe('connected');
    expect(r.trace.seenClient).not.toBe('172.18.0.1');
    expect(r.trace.seenClient).toMatch(/^(172\.18\.0\.3|10\.244\.\d+\.1)$/);
  });

  it('IPVS, Local NodePort on a node without a local endpoint: forwarded (upstream PR 97081), but the un-NATed reply never reaches the client', () => {
    const kp = '---\napiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: ipvs\n';
    const pod = '---\napiVersion: v1\nkind: Pod\nmetadata: {name: solo, labels: {app: solo}}\nspec:\n  nodeName: worker\n  containers: [{name: web, image: nginx}]\n';
    const np = '---\napiVersion: v1\nkind: Service\nmetadata: {name: solo}\nspec:\n  type: NodePort\n  externalTrafficPolicy: Local\n  selector: {app: solo}\n  ports: [{port: 80, nodePort: 30081}]\n';
    const { cluster } = setup(kp + pod + np);
    // On the endpoint's node the reply passes the conntrack entry that did the DNAT.
    expect(cluster.connect({ from: { external: true }, to: { ip: '172.18.0.3', port: 30081 } }).outcome).toBe('connected');
    // On worker2 IPVS sends it to worker's pod without SNAT; the pod answers the client
    // directly, from its own address: the client discards it and the connect times out.
    const r = cluster.connect({ from: { external: true }, to: { ip: '172.18.0.4', port: 30081 } });
    expect(r.outcome).toBe('timed-out');
    expect(r.trace.summary).toMatch(/the reply came from 10\.244\.1\.\d+:80, not 172\.18\.0\.4:30081/);
  });

  it('ping: a ClusterIP does not answer in iptables mode, a pod IP does', () => {
    const { cluster, svc, pods } = setup();
    expect(cluster.connect({ from, to: { ip: svc('web').spec.clusterIP!, protocol: 'ICMP' }, icmp: { id: 7, seq: 1 } }).outcome).toBe('timed-out');
    expect(cluster.connect({ from, to: { ip: pods[0]!.status!.podIP!, protocol: 'ICMP' }, icmp: { id: 7, seq: 1 } }).outcome).toBe('connected');
  });

  it('DNS: a lookup goes to kube-dns through kube-proxy to a CoreDNS pod', () => {
    const { cluster, svc } = setup();
    const env = cluster.resolver(from);
    expect(env.conf.nameservers).toEqual(['10.96.0.10']);
    const q = env.exchange({ id: 1, flags: { qr: false, aa: false, tc: false, rd: true, ra: false, ad: false, cd: false }, opcode: 'QUERY', rcode: 'NOERROR', question: [{ name: 'web.default.svc.cluster.local.', type: 'A', class: 'IN' }], answer: [], authority: [], additional: [] } as never, '10.96.0.10');
    expect(q).not.toBe('timeout');
    expect(JSON.stringify(q)).toContain(svc('web').spec.clusterIP!);
    expect(env.traces[0]!.endpoint!.pod).toMatch(/^kube-system\/coredns-/);
  });
});

describe('CoreDNS cache through the data path', () => {
  // kubeadm's Corefile before v1.32 (`cache 30` caches cluster.local answers too).
  const caching = (cluster: ReturnType<typeof setup>['cluster']) => {
    const cm = cluster.get<ConfigMap>('ConfigMap', 'kube-system', 'coredns');
    if (!cm.ok) throw new Error(cm.error.message);
    const corefile = cm.value.data!['Corefile']!.replace(/cache 30 \{[^}]*\}/, 'cache 30');
    expect(cluster.patch('ConfigMap', 'kube-system', 'coredns', { data: { Corefile: corefile } }, 'merge').ok).toBe(true);
    // One replica, so every query meets the same cache (each CoreDNS pod has its own).
    expect(cluster.patch('Deployment', 'kube-system', 'coredns', { spec: { replicas: 1 } }, 'merge').ok).toBe(true);
    cluster.tick(60_000);
  };
  const lookup = (cluster: ReturnType<typeof setup>['cluster']) => {
    const m = cluster.resolver(from).exchange(makeQuery(7, 'web.default.svc.cluster.local', 'A'), '10.96.0.10');
    if (m === 'timeout') throw new Error('timeout');
    return m.answer.map((rr) => `${rr.ttl} ${(rr.data as { address: string }).address}`);
  };
  const moveWeb = (cluster: ReturnType<typeof setup>['cluster'], ip: string) => {
    expect(cluster.delete('Service', 'default', 'web').ok).toBe(true);
    const [r] = cluster.apply(`apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  clusterIP: ${ip}\n  selector: {app: web}\n  ports: [{port: 80}]\n`);
    expect(r?.ok).toBe(true);
  };

  it('a changed Service IP is answered from the cache for up to 30 s, then fresh', () => {
    const { cluster, svc } = setup();
    caching(cluster);
    const old = svc('web').spec.clusterIP!;
    expect(lookup(cluster)).toEqual([`30 ${old}`]);
    moveWeb(cluster, '10.96.200.200');
    cluster.tick(10_000);
    expect(lookup(cluster)).toEqual([`20 ${old}`]);
    cluster.tick(19_000);
    expect(lookup(cluster)).toEqual([`1 ${old}`]);
    cluster.tick(1_000);
    expect(lookup(cluster)).toEqual(['30 10.96.200.200']);
  });

  it('with the default Corefile (cluster.local not cached) the new IP is answered at once', () => {
    const { cluster, svc } = setup();
    expect(lookup(cluster)).toEqual([`30 ${svc('web').spec.clusterIP!}`]);
    moveWeb(cluster, '10.96.200.200');
    expect(lookup(cluster)).toEqual(['30 10.96.200.200']);
  });
});
