// The evaluator on objects as the emulated API server stores them (defaulted, with IPs and nodes).
import { describe, expect, it } from 'vitest';
import { createCluster } from '../index';
import type { Namespace, NetworkPolicy, Node, Pod } from '../model/types';
import { buildNetpolIndex, evaluateFlow } from './index';

const manifests = `
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec:
  containers:
  - {name: nginx, image: nginx, ports: [{name: http, containerPort: 80}]}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: default, labels: {app: client}}
spec:
  containers:
  - {name: c, image: busybox, command: [sleep, '3600']}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec:
  podSelector: {}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-default-ns, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: default}}
    ports:
    - port: http
`;

describe('evaluating stored objects', () => {
  it('works on what the API server returns', () => {
    const cluster = createCluster({ seed: 1, manifests });
    cluster.tick(10_000);
    const list = <T,>(kind: string) => {
      const r = cluster.list(kind);
      if (!r.ok) throw new Error(r.error.message);
      return r.value as unknown as T[];
    };
    const pods = list<Pod>('Pod');
    const index = buildNetpolIndex({ policies: list<NetworkPolicy>('NetworkPolicy'), pods, namespaces: list<Namespace>('Namespace'), nodes: list<Node>('Node'), cni: 'kindnet' });
    const web = pods.find((p) => p.metadata.name === 'web')!;
    const client = pods.find((p) => p.metadata.name === 'client')!;
    expect(web.status?.podIP).toBeTruthy();

    const ok = evaluateFlow(index, { source: { pod: client }, destination: { ip: web.status!.podIP! }, port: 80 });
    expect(ok.allowed).toBe(true);
    expect(ok.ingress.allowedBy?.policy).toBe('allow-default-ns');
    expect(ok.ingress.isolatedBy).toEqual(['allow-default-ns', 'default-deny']);

    const other = evaluateFlow(index, { source: { pod: client }, destination: { pod: web }, port: 8080 });
    expect(other.allowed).toBe(false);
    // The kubelet's probes come from the pod's own node.
    expect(evaluateFlow(index, { source: { node: web.spec.nodeName! }, destination: { pod: web }, port: 8080 }).allowed).toBe(true);
  });
});
