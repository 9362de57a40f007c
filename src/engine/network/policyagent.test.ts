import { describe, expect, it } from 'vitest';
import { createCluster, type Pod, type PolicyHop } from '../index';

// A flannel cluster: NetworkPolicy is stored but not enforced, until a policy agent
// (Canal's calico-node) runs on the node that checks the flow.
const WORLD = `
apiVersion: clusterpath.dev/v1alpha1
kind: ClusterConfig
cni: flannel
---
apiVersion: v1
kind: Pod
metadata: {name: backend, labels: {app: backend}}
spec:
  nodeName: worker2
  containers: [{name: nginx, image: "nginx:1.27", ports: [{containerPort: 80}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: intruder, labels: {app: intruder}}
spec:
  nodeName: worker
  containers: [{name: c, image: busybox, command: [sleep, "3600"]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all-ingress}
spec:
  podSelector: {}
  policyTypes: [Ingress]
`;

const agent = (node: string, image = 'docker.io/calico/node:v3.29.1') => `
apiVersion: v1
kind: Pod
metadata: {name: calico-node-${node}, namespace: kube-system, labels: {k8s-app: canal}}
spec:
  nodeName: ${node}
  hostNetwork: true
  containers: [{name: calico-node, image: "${image}"}]
`;

function attempt(cluster: ReturnType<typeof createCluster>) {
  const backend = cluster.get<Pod>('Pod', 'default', 'backend');
  const ip = backend.ok ? backend.value.status!.podIP! : '';
  const r = cluster.connect({ from: { pod: { namespace: 'default', name: 'intruder' } }, to: { ip, port: 80 } });
  const ingress = r.trace.hops.find((h): h is PolicyHop => h.kind === 'policy' && h.direction === 'Ingress');
  return { outcome: r.outcome, reason: ingress?.reason, node: ingress?.node };
}

describe('NetworkPolicy on flannel follows a policy agent on the node', () => {
  it('flannel alone enforces nothing', () => {
    const cluster = createCluster({ seed: 1, manifests: WORLD });
    expect(attempt(cluster)).toEqual({ outcome: 'connected', reason: 'not-enforced', node: 'worker2' });
  });

  it('calico-node Running on the destination node enforces ingress there', () => {
    const cluster = createCluster({ seed: 1, manifests: WORLD });
    cluster.apply(agent('worker2'));
    cluster.tick(60_000); // the image pull and start
    expect(attempt(cluster)).toEqual({ outcome: 'timed-out', reason: 'no-rule-allows', node: 'worker2' });
  });

  it('an agent on another node, one not yet started, or another image changes nothing', () => {
    const elsewhere = createCluster({ seed: 1, manifests: WORLD });
    elsewhere.apply(agent('worker'));
    elsewhere.tick(60_000);
    expect(attempt(elsewhere).outcome).toBe('connected');

    const pulling = createCluster({ seed: 1, manifests: WORLD });
    pulling.apply(agent('worker2'));
    expect(attempt(pulling).outcome).toBe('connected');

    const other = createCluster({ seed: 1, manifests: WORLD });
    other.apply(agent('worker2', 'nginx:1.27'));
    other.tick(60_000);
    expect(attempt(other).outcome).toBe('connected');
  });

  it('deleting the agent stops enforcement', () => {
    const cluster = createCluster({ seed: 1, manifests: WORLD });
    cluster.apply(agent('worker2'));
    cluster.tick(60_000);
    expect(attempt(cluster).outcome).toBe('timed-out');
    cluster.delete('Pod', 'kube-system', 'calico-node-worker2', { gracePeriodSeconds: 0 });
    cluster.tick(1_000);
    expect(attempt(cluster).outcome).toBe('connected');
  });
});
