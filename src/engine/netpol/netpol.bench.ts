// Budgets (issue 5): one NetworkPolicy verdict with 1,000 policies over 5,000 pods ≤ 0.2 ms
// median; the full 81-pair truth table of the e2e model ≤ 20 ms.
import { bench, describe } from 'vitest';
import type { Namespace, NetworkPolicy, Pod } from '../model/types';
import { buildNetpolIndex, e2eModel, evaluateFlow, reachability } from './index';

const meta = (name: string, namespace?: string, labels?: Record<string, string>) => ({ name, ...(namespace ? { namespace } : {}), uid: `${namespace}/${name}`, resourceVersion: '1', creationTimestamp: '', ...(labels ? { labels } : {}) });

/** `namespaces` × `podsPerNs` pods labelled app/tier/team; `policies` policies spread over `policyNamespaces` namespaces. */
function synthetic(namespaces: number, podsPerNs: number, policies: number, policyNamespaces: number) {
  const nss: Namespace[] = [];
  const pods: Pod[] = [];
  for (let n = 0; n < namespaces; n++) {
    const ns = `ns${n}`;
    nss.push({ apiVersion: 'v1', kind: 'Namespace', metadata: meta(ns, undefined, { team: `t${n % 7}`, env: n % 2 ? 'prod' : 'dev', 'kubernetes.io/metadata.name': ns }) });
    for (let i = 0; i < podsPerNs; i++) {
      const k = n * podsPerNs + i;
      pods.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: meta(`pod-${i}`, ns, { app: `app${i % 20}`, tier: ['web', 'api', 'db'][i % 3]!, 'pod-template-hash': `h${i % 5}` }),
        spec: { nodeName: `node${k % 50}`, containers: [{ name: 'c', image: 'i', ports: [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9090 }] }] },
        status: { phase: 'Running', podIP: `10.${(k >> 16) & 255}.${(k >> 8) & 255}.${k & 255}` },
      });
    }
  }
  const nps: NetworkPolicy[] = [];
  for (let p = 0; p < policies; p++) {
    const ns = `ns${p % policyNamespaces}`;
    const kind = p % 5;
    const spec: NetworkPolicy['spec'] =
      kind === 0
        ? { podSelector: {}, policyTypes: ['Ingress', 'Egress'], egress: [{ ports: [{ port: 53, protocol: 'UDP' }, { port: 53 }] }] }
        : kind === 1
          ? { podSelector: { matchLabels: { app: `app${p % 20}` } }, ingress: [{ from: [{ podSelector: { matchLabels: { tier: 'web' } } }, { namespaceSelector: { matchLabels: { team: `t${p % 7}` } }, podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['api', 'web'] }] } }], ports: [{ port: 'http' }, { port: 9000, endPort: 9100 }] }] }
          : kind === 2
            ? { podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['db'] }] }, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.0.128.0/17'] } }], ports: [{ port: 5432 }] }] }
            : kind === 3
              ? { podSelector: { matchLabels: { app: `app${p % 20}`, tier: 'api' } }, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { env: 'prod' } } }], ports: [{ port: 8080 }] }] }
              : { podSelector: { matchLabels: { 'pod-template-hash': `h${p % 5}` } }, ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ protocol: 'SCTP' }] }] };
    nps.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta(`np-${p}`, ns), spec });
  }
  return { namespaces: nss, pods, policies: nps };
}

// Realistic: 50 namespaces × 100 pods, 20 policies per namespace.
const spread = synthetic(50, 100, 1000, 50);
const spreadIndex = buildNetpolIndex({ ...spread, cni: 'calico' });
// Worst case for selection: all 1,000 policies in the one namespace every probe hits.
const dense = synthetic(50, 100, 1000, 1);
const denseIndex = buildNetpolIndex({ ...dense, cni: 'calico' });

let i = 0;
function probe(index: ReturnType<typeof buildNetpolIndex>, pods: Pod[], sameNs: boolean) {
  i++;
  const a = (i * 7919) % pods.length;
  const b = sameNs ? (a - (a % 100)) + ((i * 31) % 100) : (i * 104729 + 17) % pods.length;
  return evaluateFlow(index, { source: { pod: pods[a]! }, destination: { pod: pods[b]! }, port: [8080, 5432, 9050, 53][i % 4]!, protocol: i % 7 === 0 ? 'UDP' : 'TCP' });
}

const ns0Pods = dense.pods.filter((p) => p.metadata.namespace === 'ns0');
const e2e = e2eModel();
const e2ePolicies: NetworkPolicy[] = [
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta('allow-to-ns-y-pod-a', 'x'), spec: { podSelector: { matchLabels: { pod: 'a' } }, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'y' } }, podSelector: { matchLabels: { pod: 'a' } } }] }] } },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta('allow-from-xa', 'y'), spec: { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: 'x' } }, podSelector: { matchLabels: { pod: 'a' } } }], ports: [{ port: 'serve-80-tcp' }] }] } },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta('deny-all', 'z'), spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } },
];

describe('netpol', () => {
  bench('verdict with 1,000 policies over 5,000 pods (budget 0.2 ms)', () => {
    probe(spreadIndex, spread.pods, false);
  });
  bench('verdict with 1,000 policies in one namespace of 100 pods, 5,000 pods in all (budget 0.2 ms)', () => {
    probe(denseIndex, ns0Pods, true);
  });
  bench('full 81-pair truth table of the e2e model, index included (budget 20 ms)', () => {
    reachability({ policies: e2ePolicies, pods: e2e.pods, namespaces: e2e.namespaces, nodes: e2e.nodes }, e2e.podStrings, 80, 'TCP');
  });
  bench('index build: 1,000 policies over 5,000 pods (measured)', () => {
    buildNetpolIndex({ ...spread, cni: 'calico' });
  }, { iterations: 20, warmupIterations: 2 });
  bench('first verdict for a pod on a cold index, 1,000 policies in its namespace (measured)', () => {
    const idx = buildNetpolIndex({ ...dense, pods: ns0Pods, cni: 'calico' });
    probe(idx, ns0Pods, true);
  }, { iterations: 20, warmupIterations: 2 });
});
