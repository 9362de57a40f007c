// kube-proxy in nftables mode, end to end: the node's `ip kube-proxy` table decides traffic
// (verdict maps, numgen, dnat, masquerade, reject), beside kind's iptables-nft rules.
import { describe, expect, it } from 'vitest';
import { createCluster, formatTrace, type Pod, type Service } from '../index';

const manifests = `
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: nftables
---
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
kind: Service
metadata: {name: np}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{port: 80, nodePort: 30080}]
---
apiVersion: v1
kind: Pod
metadata: {name: client, labels: {app: client}}
spec:
  containers:
  - {name: c, image: busybox, command: [sleep, '3600']}
`;

function setup() {
  const cluster = createCluster({ seed: 1, manifests });
  cluster.tick(10_000);
  const svc = (name: string) => (cluster.get<Service>('Service', 'default', name) as { ok: true; value: Service }).value;
  const pods = (cluster.list<Pod>('Pod', { namespace: 'default', labelSelector: 'app=web' }) as { ok: true; value: Pod[] }).value;
  return { cluster, svc, pods };
}
const from = { pod: { namespace: 'default', name: 'client' } };

describe('nftables mode data path', () => {
  it('a ClusterIP goes through service-ips, numgen and dnat to a web pod', () => {
    const { cluster, svc, pods } = setup();
    const r = cluster.connect({ from, to: { ip: svc('web').spec.clusterIP!, port: 80 }, payload: { kind: 'http', method: 'GET', path: '/', host: 'web', headers: [] } });
    expect(r.outcome).toBe('connected');
    expect(pods.map((p) => p.status!.podIP)).toContain(r.trace.endpoint!.ip);
    const text = formatTrace(r.trace);
    expect(text).toContain('ip kube-proxy services rule ip daddr . meta l4proto . th dport vmap @service-ips');
    expect(text).toMatch(/numgen random mod 2 vmap \{ 0 : goto endpoint-\w{8}-default\/web\/tcp\/__10\.244/);
    expect(text).toMatch(/meta l4proto tcp dnat to 10\.244\.\d+\.\d+:80/);
    // No iptables KUBE- rule took part.
    expect(text).not.toMatch(/KUBE-SVC-/);
  });

  it('reaches both endpoints over many connections (numgen draws from the node PRNG)', () => {
    const { cluster, svc, pods } = setup();
    const seen = new Set<string>();
    for (let i = 0; i < 30; i++) seen.add(cluster.connect({ from, to: { ip: svc('web').spec.clusterIP!, port: 80 } }).trace.endpoint!.ip);
    expect([...seen].sort()).toEqual(pods.map((p) => p.status!.podIP!).sort());
  });

  it('a Service without endpoints is rejected by no-endpoint-services → reject-chain', () => {
    const { cluster, svc } = setup();
    const r = cluster.connect({ from, to: { ip: svc('empty').spec.clusterIP!, port: 80 } });
    expect(r.outcome).toBe('refused');
    expect(formatTrace(r.trace)).toContain('reject-chain rule reject');
  });

  it('an unused port of a ClusterIP is rejected, an unallocated ClusterIP dropped (cluster-ips-check)', () => {
    const { cluster, svc } = setup();
    expect(cluster.connect({ from, to: { ip: svc('web').spec.clusterIP!, port: 81 } }).outcome).toBe('refused');
    const r = cluster.connect({ from, to: { ip: '10.96.250.250', port: 80 } });
    expect(r.outcome).toBe('timed-out');
    expect(formatTrace(r.trace)).toContain('Drop traffic to unallocated ClusterIPs');
  });

  it('NodePort from outside is masqueraded (mark-for-masquerade, masquerading)', () => {
    const { cluster } = setup();
    const r = cluster.connect({ from: { external: true }, to: { ip: '172.18.0.3', port: 30080 }, payload: { kind: 'http', method: 'GET', path: '/', host: '172.18.0.3:30080', headers: [] } });
    expect(r.outcome).toBe('connected');
    expect(r.trace.seenClient).not.toMatch(/^172\.18\.0\.1:/);
    expect(formatTrace(r.trace)).toContain('masquerading rule masquerade fully-random');
  });

  it('ClientIP affinity: after the first connection every one goes to the same endpoint until the timeout', () => {
    const { cluster, svc } = setup();
    cluster.apply('apiVersion: v1\nkind: Service\nmetadata: {name: sticky}\nspec:\n  selector: {app: web}\n  sessionAffinity: ClientIP\n  sessionAffinityConfig: {clientIP: {timeoutSeconds: 60}}\n  ports: [{port: 80}]\n');
    const ip = svc('sticky').spec.clusterIP!;
    const first = cluster.connect({ from, to: { ip, port: 80 } }).trace.endpoint!.ip;
    for (let i = 0; i < 10; i++) expect(cluster.connect({ from, to: { ip, port: 80 } }).trace.endpoint!.ip).toBe(first);
  });
});
