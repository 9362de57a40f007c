// Budget (issue 5): the full 81-pair truth table of the e2e model ≤ 20 ms — here through the
// data path, as upstream probes it: every pod dials every pod's Service (agnhost connect to
// the ClusterIP), kube-proxy's iptables rules on both nodes, the CNI's policy hooks, the
// agnhost server, the reply through conntrack; a third of the pairs are dropped by policy.
import { bench, describe } from 'vitest';
import { createCluster } from '../index';
import { e2eManifests } from './e2emodel';
import { e2eTargets, probeE2E } from './e2ecluster';

const policies = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-to-ns-y-pod-a, namespace: x}
spec:
  podSelector: {matchLabels: {pod: a}}
  policyTypes: [Egress]
  egress:
  - to:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}
      podSelector: {matchLabels: {pod: a}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-from-xa, namespace: y}
spec:
  podSelector: {}
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {ns: x}}
      podSelector: {matchLabels: {pod: a}}
    ports: [{port: serve-80-tcp}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all, namespace: z}
spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
`;

const cluster = createCluster({ manifests: e2eManifests() + '---\n' + policies });
cluster.tick(10_000);
const targets = e2eTargets(cluster);
const allowed = probeE2E(cluster, targets, 80).values.flat().filter(Boolean).length;
if (allowed === 81 || allowed === 0) throw new Error(`the policies should deny some pairs (allowed ${allowed})`);

describe('netpol through the data path', () => {
  bench('81-pair NetworkPolicy truth table through the data path (budget 20 ms)', () => {
    probeE2E(cluster, targets, 80, 'TCP');
  }, { warmupIterations: 20, time: 1000 });
});
