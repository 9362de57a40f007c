// NetworkPolicy truth tables on the upstream e2e model (namespaces x, y, z; pods a, b, c;
// ports 80/81 on TCP/UDP/SCTP). Each case is one `It(...)` of upstream's
// test/e2e/network/netpol/network_policy.go, or an example of the kubernetes.io
// NetworkPolicy page, with its expected reachability written as upstream prints a truth
// table: rows = from, columns = to, `.` connected, `X` not.
//
// Upstream ignores the diagonal (loopback: "semantics may be undefined", kubernetes#95879);
// the docs say a pod cannot block access to itself, and so does our evaluator, so every
// diagonal here is `.`. Upstream now runs each test on a subset of the 9 pods; the same
// expectations (ExpectPeer, ExpectAllIngress, ...) are extended here to all 9.
//
// Test data, shared by the evaluator's tests (truthtable.test.ts) and the data path's
// (datapath.test.ts: the same tables probed with agnhost on a real emulated cluster).
import { parse } from 'yaml';
import type { NetworkPolicy, Protocol } from '../model/types';
import type { E2EModel } from './e2emodel';
import type { CniName } from './types';

export interface TruthTableCase {
  /** The upstream It(...) text, or the docs section. */
  name: string;
  from: 'e2e' | 'e2e UDP' | 'e2e SCTP' | 'docs' | 'cni';
  /** A YAML list of {metadata: {name, namespace}, spec}. `${ip:ns/pod}` is replaced by that pod's IP. */
  policies: string;
  port: 80 | 81;
  protocol?: Protocol;
  cni?: CniName;
  /** Label changes applied to the model first (upstream's AddPodLabels / AddNamespaceLabel). */
  labels?: { pods?: Record<string, Record<string, string>>; namespaces?: Record<string, Record<string, string>> };
  expect: string;
}

/** The case's policies, with `${ip:ns/pod}` replaced by `ipOf(ns, pod)`. */
export function casePolicies(c: TruthTableCase, ipOf: (namespace: string, pod: string) => string): NetworkPolicy[] {
  const withIps = c.policies.replace(/\$\{ip:([a-z])\/([a-z])\}/g, (_, ns: string, pod: string) => ipOf(ns, pod));
  const docs = (parse(withIps) ?? []) as { metadata: { name: string; namespace: string }; spec: NetworkPolicy['spec'] }[];
  return docs.map((d) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { uid: '', resourceVersion: '1', creationTimestamp: '', ...d.metadata }, spec: d.spec }));
}

/** The model with the case's label changes applied. */
export function relabel(model: E2EModel, labels: TruthTableCase['labels']): E2EModel {
  if (!labels) return model;
  return {
    ...model,
    pods: model.pods.map((p) => {
      const add = labels.pods?.[`${p.metadata.namespace}/${p.metadata.name}`];
      return add ? { ...p, metadata: { ...p.metadata, labels: { ...p.metadata.labels, ...add } } } : p;
    }),
    namespaces: model.namespaces.map((n) => {
      const add = labels.namespaces?.[n.metadata.name];
      return add ? { ...n, metadata: { ...n.metadata, labels: { ...n.metadata.labels, ...add } } } : n;
    }),
  };
}

export const E2E_CASES: readonly TruthTableCase[] = [
  {
    name: "should support a 'default-deny-ingress' policy",
    from: 'e2e',
    policies: `
- metadata: {name: deny-ingress, namespace: x}
  spec: {podSelector: {}, policyTypes: [Ingress]}`,
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    X    X    .    .    .    .    .    .
x/b   X    .    X    .    .    .    .    .    .
x/c   X    X    .    .    .    .    .    .    .
y/a   X    X    X    .    .    .    .    .    .
y/b   X    X    X    .    .    .    .    .    .
y/c   X    X    X    .    .    .    .    .    .
z/a   X    X    X    .    .    .    .    .    .
z/b   X    X    X    .    .    .    .    .    .
z/c   X    X    X    .    .    .    .    .    .`,
  },
  {
    name: "should support a 'default-deny-all' policy",
    from: 'e2e',
    policies: `
- metadata: {name: deny-all, namespace: x}
  spec: {podSelector: {}, policyTypes: [Ingress, Egress]}`,
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    X    X    X    X    X    X    X    X
x/b   X    .    X    X    X    X    X    X    X
x/c   X    X    .    X    X    X    X    X    X
y/a   X    X    X    .    .    .    .    .    .
y/b   X    X    X    .    .    .    .    .    .
y/c   X    X    X    .    .    .    .    .    .
z/a   X    X    X    .    .    .    .    .    .
z/b   X    X    X    .    .    .    .    .    .
z/c   X    X    X    .    .    .    .    .    .`,
  },
  {
    name: 'should enforce policy to allow traffic from pods within server namespace based on PodSelector',
    from: 'e2e',
    policies: `
- metadata: {name: x-a-allows-x-b, namespace: x}
  spec:
    podSelector: {matchLabels: {pod: a}}
    ingress:
    - from:
      - podSelector: {matchLabels: {pod: b}}`,
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   .    .    .    .    .    .    .    .    .
x/c   X    .    .    .    .    .    .    .    .
y/a   X    .    .    .    .    .    .    .    .
y/b   X    .    .    .    .    .    .    .    .
y/c   X    .    .    .    .    .    .    .    .
z/a   X    .    .    .    .    .    .    .    .
z/b   X    .    .    .    .    .    .    .    .
z/c   X    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should enforce policy to allow ingress traffic for a target',
    from: 'e2e',
    policies: `
- metadata: {name: deny-all, namespace: x}
  spec: {podSelector: {}, policyTypes: [Ingress]}
- metadata: {name: allow-all-to-a, namespace: x}
  spec:
    podSelector: {matchLabels: {pod: a}}
    ingress:
    - from:
      - {podSelector: {}, namespaceSelector: {}}`,
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    X    X    .    .    .    .    .    .
x/b   .    .    X    .    .    .    .    .    .
x/c   .    X    .    .    .    .    .    .    .
y/a   .    X    X    .    .    .    .    .    .
y/b   .    X    X    .    .    .    .    .    .
y/c   .    X    X    .    .    .    .    .    .
z/a   .    X    X    .    .    .    .    .    .
z/b   .    X    X    .    .    .    .    .    .
z/c   .    X    X    .    .    .    .    .    .`,
  },
  {
    name: 'should enforce policy to allow ingress traffic from pods in all namespaces',
    from: 'e2e',
    policies: `
- metadata: {name: allow-from-another-ns, namespace: x}
  spec:
    podSelector: {matchLabels: {pod: a}}
    ingress:
    - from:
      - namespaceSelector: {matchLabels: {}}`,
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   .    .    .    .    .    .    .    .    .
x/c   .    .    .    .    .    .    .    .    .
y/a   .    .    .    .    .    .    .    .    .
y/b   .    .    .    .    .    .    .    .    .
y/c   .    .    .    .    .    .    .    .    .
z/a   .    .    .    .    .    .    .    .    .
z/b   .    .    .    .    .    .    .    .    .
z/c   .    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should enforce policy to allow traffic only from a different namespace, based on NamespaceSelector',
    from: 'e2e',
    policies: `
- metadata: {name: allow-client-a-via-ns-selector, namespace: x}
  spec:
    podSelector: {matchLabels: {pod: a}}
    ingress:
    - from:
      - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}`,
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   X    .    .    .    .    .    .    .    .
x/c   X    .    .    .    .    .    .    .    .
y/a   .    .    .    .    .    .    .    .    .
y/b   .    .    .    .    .    .    .    .    .
y/c   .    .    .    .    .    .    .    .    .
z/a   X    .    .    .    .    .    .    .    .
z/b   X    .    .    .    .    .    .    .    .
z/c   X    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should enforce policy based on PodSelector with MatchExpressions',
    from: 'e2e',
    policies: `
- metadata: {name: x-a-allows-x-b, namespace: x}
  spec:
    podSelector: {matchLabels: {pod: a}}
    ingress:
    - from:
      - podSelector: {matchExpressions: [{key: pod, operator: In, values: [b]}]}`,
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   .    .    .    .    .    .    .    .    .
x/c   X    .    .    .    .    .    .    .    .
y/a   X    .    .    .    .    .    .    .    .
y/b   X    .    .    .    .    .    .    .    .
y/c   X    .    .    .    .    .    .    .    .
z/a   X    .    .    .    .    .    .    .    .
z/b   X    .    .    .    .    .    .    .    .
z/c   X    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should enforce policy based on NamespaceSelector with MatchExpressions',
    from: 'e2e',
    policies: `
- metadata: {name: allow-ns-y-match-selector, namespace: x}
  spec:
    podSelector: {matchLabels: {pod: a}}
    ingress:
    - from:
      - namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: In, values: [y]}]}`,
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   X    .    .    .    .    .    .    .    .
x/c   X    .    .    .    .    .    .    .    .
y/a   .    .    .    .    .    .    .    .    .
y/b   .    .    .    .    .    .    .    .    .
y/c   .    .    .    .    .    .    .    .    .
z/a   X    .    .    .    .    .    .    .    .
z/b   X    .    .    .    .    .    .    .    .
z/c   X    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should enforce policy based on PodSelector or NamespaceSelector',
    from: 'e2e',
    policies: `
- metadata: {name: allow-ns-y-match-selector, namespace: x}
  spec:
    podSelector: {matchLabels: {pod: a}}
    ingress:
    - from:
      - namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: NotIn, values: [x]}]}
      - podSelector: {matchLabels: {pod: b}}`,
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   .    .    .    .    .    .    .    .    .
x/c   X    .    .    .    .    .    .    .    .
y/a   .    .    .    .    .    .    .    .    .
y/b   .    .    .    .    .    .    .    .    .
y/c   .    .    .    .    .    .    .    .    .
z/a   .    .    .    .    .    .    .    .    .
z/b   .    .    .    .    .    .    .    .    .
z/c   .    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should enforce policy based on PodSelector and NamespaceSelector',
    from: 'e2e',
    policies: `
- metadata: {name: allow-ns-y-podselector-and-nsselector, namespace: x}
  spec:
    podSelector: {matchLabels: {pod: a}}
    ingress:
    - from:
      - namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: NotIn, values: [x]}]}
        podSelector: {matchLabels: {pod: b}}`,
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   X    .    .    .    .    .    .    .    .
x/c   X    .    .    .    .    .    .    .    .
y/a   X    .    .    .    .    .    .    .    .
y/b   .    .    .    .    .    .    .    .    .
y/c   X    .    .    .    .    .    .    .    .
z/a   X    .    .    .    .    .    .    .    .
z/b   .    .    .    .    .    .    .    .    .
z/c   X    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should enforce policy based on Multiple PodSelectors and NamespaceSelectors',
    from: 'e2e',
    policies: `
- metadata: {name: allow-ns-y-z-pod-b-c, namespace: x}
  spec:
    podSelector: {matchLabels: {pod: a}}
    ingress:
    - from:
      - namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: NotIn, values: [x]}]}
        podSelector: {matchExpressions: [{key: pod, operator: In, values: [b, c]}]}`,
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   X    .    .    .    .    .    .    .    .
x/c   X    .    .    .    .    .    .    .    .
y/a   X    .    .    .    .    .    .    .    .
y/b   .    .    .    .    .    .    .    .    .
y/c   .    .    .    .    .    .    .    .    .
z/a   X    .    .    .    .    .    .    .    .
z/b   .    .    .    .    .    .    .    .    .
z/c   .    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should enforce policy based on any PodSelectors',
    from: 'e2e',
    policies: `
- metadata: {name: allow-ns-x-pod-b-c, namespace: x}
  spec:
    podSelector: {matchLabels: {pod: a}}
    ingress:
    - from:
      - podSelector: {matchLabels: {pod: b}}
      - podSelector: {matchLabels: {pod: c}}`,
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   .    .    .    .    .    .    .    .    .
x/c   .    .    .    .    .    .    .    .    .
y/a   X    .    .    .    .    .    .    .    .
y/b   X    .    .    .    .    .    .    .    .
y/c   X    .    .    .    .    .    .    .    .
z/a   X    .    .    .    .    .    .    .    .
z/b   X    .    .    .    .    .    .    .    .
z/c   X    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector',
    from: 'e2e',
    policies: `
- metadata: {name: allow-ns-y-pod-a-via-namespace-pod-selector, namespace: x}
  spec:
    podSelector: {matchLabels: {pod: a}}
    ingress:
    - from:
      - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}
        podSelector: {matchLabels: {pod: a}}`,
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   X    .    .    .    .    .    .    .    .
x/c   X    .    .    .    .    .    .    .    .
y/a   .    .    .    .    .    .    .    .    .
y/b   X    .    .    .    .    .    .    .    .
y/c   X    .    .    .    .    .    .    .    .
z/a   X    .    .    .    .    .    .    .    .
z/b   X    .    .    .    .    .    .    .    .
z/c   X    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should enforce policy based on Ports (port 81)',
    from: 'e2e',
    policies: `
- metadata: {name: allow-client-a-via-ns-selector, namespace: x}
  spec:
    podSelector: {matchLabels: {pod: a}}
    ingress:
    - from:
      - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}
      ports:
      - {port: 81, protocol: TCP}`,
    port: 81,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   X    .    .    .    .    .    .    .    .
x/c   X    .    .    .    .    .    .    .    .
y/a   .    .    .    .    .    .    .    .    .
y/b   .    .    .    .    .    .    .    .    .
y/c   .    .    .    .    .    .    .    .    .
z/a   X    .    .    .    .    .    .    .    .
z/b   X    .    .    .    .    .    .    .    .
z/c   X    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should enforce multiple, stacked policies with overlapping podSelectors (port 80 before the second policy)',
    from: 'e2e',
    policies: `
- metadata: {name: allow-client-a-via-ns-selector, namespace: x}
  spec:
    podSelector: {matchLabels: {pod: a}}
    ingress:
    - from:
      - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}
      ports:
      - {port: 81, protocol: TCP}`,
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   X    .    .    .    .    .    .    .    .
x/c   X    .    .    .    .    .    .    .    .
y/a   X    .    .    .    .    .    .    .    .
y/b   X    .    .    .    .    .    .    .    .
y/c   X    .    .    .    .    .    .    .    .
z/a   X    .    .    .    .    .    .    .    .
z/b   X    .    .    .    .    .    .    .    .
z/c   X    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should enforce multiple, stacked policies with overlapping podSelectors (port 80 after adding allow-80)',
    from: 'e2e',
    policies: `
- metadata: {name: allow-client-a-via-ns-selector, namespace: x}
  spec:
    podSelector: {matchLabels: {pod: a}}
    ingress:
    - from:
      - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}
      ports:
      - {port: 81, protocol: TCP}
- metadata: {name: allow-client-a-via-ns-selector-80, namespace: x}
  spec:
    podSelector: {matchLabels: {pod: a}}
    ingress:
    - from:
      - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}
      ports:
      - {port: 80, protocol: TCP}`,
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   X    .    .    .    .    .    .    .    .
x/c   X    .    .    .    .    .    .    .    .
y/a   .    .    .    .    .    .    .    .    .
y/b   .    .    .    .    .    .    .    .    .
y/c   .    .    .    .    .    .    .    .    .
z/a   X    .    .    .    .    .    .    .    .
z/b   X    .    .    .    .    .    .    .    .
z/c   X    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should support allow-all policy (port 80)',
    from: 'e2e',
    policies: `
- metadata: {name: allow-all, namespace: x}
  spec:
    podSelector: {matchLabels: {}}
    ingress: [{}]`,
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   .    .    .    .    .    .    .    .    .
x/c   .    .    .    .    .    .    .    .    .
y/a   .    .    .    .    .    .    .    .    .
y/b   .    .    .    .    .    .    .    .    .
y/c   .    .    .    .    .    .    .    .    .
z/a   .    .    .    .    .    .    .    .    .
z/b   .    .    .    .    .    .    .    .    .
z/c   .    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should support allow-all policy (port 81)',
    from: 'e2e',
    policies: `
- metadata: {name: allow-all, namespace: x}
  spec:
    podSelector: {matchLabels: {}}
    ingress: [{}]`,
    port: 81,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   .    .    .    .    .    .    .    .    .
x/c   .    .    .    .    .    .    .    .    .
y/a   .    .    .    .    .    .    .    .    .
y/b   .    .    .    .    .    .    .    .    .
y/c   .    .    .    .    .    .    .    .    .
z/a   .    .    .    .    .    .    .    .    .
z/b   .    .    .    .    .    .    .    .    .
z/c   .    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should allow ingress access on one named port (port 81)',
    from: 'e2e',
    policies: `
- metadata: {name: allow-all, namespace: x}
  spec:
    podSelector: {}
    ingress:
    - ports:
      - port: serve-81-tcp`,
    port: 81,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   .    .    .    .    .    .    .    .    .
x/c   .    .    .    .    .    .    .    .    .
y/a   .    .    .    .    .    .    .    .    .
y/b   .    .    .    .    .    .    .    .    .
y/c   .    .    .    .    .    .    .    .    .
z/a   .    .    .    .    .    .    .    .    .
z/b   .    .    .    .    .    .    .    .    .
z/c   .    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should allow ingress access on one named port (port 80)',
    from: 'e2e',
    policies: `
- metadata: {name: allow-all, namespace: x}
  spec:
    podSelector: {}
    ingress:
    - ports:
      - port: serve-81-tcp`,
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    X    X    .    .    .    .    .    .
x/b   X    .    X    .    .    .    .    .    .
x/c   X    X    .    .    .    .    .    .    .
y/a   X    X    X    .    .    .    .    .    .
y/b   X    X    X    .    .    .    .    .    .
y/c   X    X    X    .    .    .    .    .    .
z/a   X    X    X    .    .    .    .    .    .
z/b   X    X    X    .    .    .    .    .    .
z/c   X    X    X    .    .    .    .    .    .`,
  },
  {
    name: 'should allow ingress access from namespace on one named port (port 80)',
    from: 'e2e',
    policies: `
- metadata: {name: allow-client-a-via-ns-selector-80, namespace: x}
  spec:
    podSelector: {matchLabels: {pod: a}}
    ingress:
    - from:
      - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}
      ports:
      - {port: serve-80-tcp, protocol: TCP}`,
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   X    .    .    .    .    .    .    .    .
x/c   X    .    .    .    .    .    .    .    .
y/a   .    .    .    .    .    .    .    .    .
y/b   .    .    .    .    .    .    .    .    .
y/c   .    .    .    .    .    .    .    .    .
z/a   X    .    .    .    .    .    .    .    .
z/b   X    .    .    .    .    .    .    .    .
z/c   X    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should allow ingress access from namespace on one named port (port 81)',
    from: 'e2e',
    policies: `
- metadata: {name: allow-client-a-via-ns-selector-80, namespace: x}
  spec:
    podSelector: {matchLabels: {pod: a}}
    ingress:
    - from:
      - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}
      ports:
      - {port: serve-80-tcp, protocol: TCP}`,
    port: 81,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   X    .    .    .    .    .    .    .    .
x/c   X    .    .    .    .    .    .    .    .
y/a   X    .    .    .    .    .    .    .    .
y/b   X    .    .    .    .    .    .    .    .
y/c   X    .    .    .    .    .    .    .    .
z/a   X    .    .    .    .    .    .    .    .
z/b   X    .    .    .    .    .    .    .    .
z/c   X    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should allow egress access on one named port (port 80)',
    from: 'e2e',
    policies: `
- metadata: {name: allow-egress, namespace: x}
  spec:
    podSelector: {}
    policyTypes: [Egress]
    egress:
    - ports:
      - port: serve-80-tcp`,
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   .    .    .    .    .    .    .    .    .
x/c   .    .    .    .    .    .    .    .    .
y/a   .    .    .    .    .    .    .    .    .
y/b   .    .    .    .    .    .    .    .    .
y/c   .    .    .    .    .    .    .    .    .
z/a   .    .    .    .    .    .    .    .    .
z/b   .    .    .    .    .    .    .    .    .
z/c   .    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should allow egress access on one named port (port 81)',
    from: 'e2e',
    policies: `
- metadata: {name: allow-egress, namespace: x}
  spec:
    podSelector: {}
    policyTypes: [Egress]
    egress:
    - ports:
      - port: serve-80-tcp`,
    port: 81,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    X    X    X    X    X    X    X    X
x/b   X    .    X    X    X    X    X    X    X
x/c   X    X    .    X    X    X    X    X    X
y/a   .    .    .    .    .    .    .    .    .
y/b   .    .    .    .    .    .    .    .    .
y/c   .    .    .    .    .    .    .    .    .
z/a   .    .    .    .    .    .    .    .    .
z/b   .    .    .    .    .    .    .    .    .
z/c   .    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should enforce updated policy (allow all)',
    from: 'e2e',
    policies: `
- metadata: {name: allow-all-mutate-to-deny-all, namespace: x}
  spec: {podSelector: {}, ingress: [{}]}`,
    port: 81,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   .    .    .    .    .    .    .    .    .
x/c   .    .    .    .    .    .    .    .    .
y/a   .    .    .    .    .    .    .    .    .
y/b   .    .    .    .    .    .    .    .    .
y/c   .    .    .    .    .    .    .    .    .
z/a   .    .    .    .    .    .    .    .    .
z/b   .    .    .    .    .    .    .    .    .
z/c   .    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should enforce updated policy (updated to ingress: [])',
    from: 'e2e',
    policies: `
- metadata: {name: allow-all-mutate-to-deny-all, namespace: x}
  spec: {podSelector: {}, ingress: []}`,
    port: 81,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    X    X    .    .    .    .    .    .
x/b   X    .    X    .    .    .    .    .    .
x/c   X    X    .    .    .    .    .    .    .
y/a   X    X    X    .    .    .    .    .    .
y/b   X    X    X    .    .    .    .    .    .
y/c   X    X    X    .    .    .    .    .    .
z/a   X    X    X    .    .    .    .    .    .
z/b   X    X    X    .    .    .    .    .    .
z/c   X    X    X    .    .    .    .    .    .`,
  },
  {
    name: 'should allow ingress access from updated namespace (before the label)',
    from: 'e2e',
    policies: `
- metadata: {name: allow-client-a-via-ns-selector, namespace: x}
  spec:
    podSelector: {matchLabels: {pod: a}}
    ingress:
    - from:
      - namespaceSelector: {matchLabels: {ns2: updated}}`,
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   X    .    .    .    .    .    .    .    .
x/c   X    .    .    .    .    .    .    .    .
y/a   X    .    .    .    .    .    .    .    .
y/b   X    .    .    .    .    .    .    .    .
y/c   X    .    .    .    .    .    .    .    .
z/a   X    .    .    .    .    .    .    .    .
z/b   X    .    .    .    .    .    .    .    .
z/c   X    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should allow ingress access from updated namespace (after labelling y ns2=updated)',
    from: 'e2e',
    policies: `
- metadata: {name: allow-client-a-via-ns-selector, namespace: x}
  spec:
    podSelector: {matchLabels: {pod: a}}
    ingress:
    - from:
      - namespaceSelector: {matchLabels: {ns2: updated}}`,
    labels: { namespaces: { y: { ns2: 'updated' } } },
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   X    .    .    .    .    .    .    .    .
x/c   X    .    .    .    .    .    .    .    .
y/a   .    .    .    .    .    .    .    .    .
y/b   .    .    .    .    .    .    .    .    .
y/c   .    .    .    .    .    .    .    .    .
z/a   X    .    .    .    .    .    .    .    .
z/b   X    .    .    .    .    .    .    .    .
z/c   X    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should allow ingress access from updated pod (before the label)',
    from: 'e2e',
    policies: `
- metadata: {name: allow-client-a-via-pod-selector, namespace: x}
  spec:
    podSelector: {matchLabels: {pod: a}}
    ingress:
    - from:
      - podSelector: {matchLabels: {pod: b, pod2: updated}}`,
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   X    .    .    .    .    .    .    .    .
x/c   X    .    .    .    .    .    .    .    .
y/a   X    .    .    .    .    .    .    .    .
y/b   X    .    .    .    .    .    .    .    .
y/c   X    .    .    .    .    .    .    .    .
z/a   X    .    .    .    .    .    .    .    .
z/b   X    .    .    .    .    .    .    .    .
z/c   X    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should allow ingress access from updated pod (after labelling x/b pod2=updated)',
    from: 'e2e',
    policies: `
- metadata: {name: allow-client-a-via-pod-selector, namespace: x}
  spec:
    podSelector: {matchLabels: {pod: a}}
    ingress:
    - from:
      - podSelector: {matchLabels: {pod: b, pod2: updated}}`,
    labels: { pods: { 'x/b': { pod2: 'updated' } } },
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   .    .    .    .    .    .    .    .    .
x/c   X    .    .    .    .    .    .    .    .
y/a   X    .    .    .    .    .    .    .    .
y/b   X    .    .    .    .    .    .    .    .
y/c   X    .    .    .    .    .    .    .    .
z/a   X    .    .    .    .    .    .    .    .
z/b   X    .    .    .    .    .    .    .    .
z/c   X    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should deny ingress from pods on other namespaces',
    from: 'e2e',
    policies: `
- metadata: {name: deny-empty-policy, namespace: x}
  spec:
    podSelector: {}
    ingress:
    - from:
      - podSelector: {matchLabels: {}}`,
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   .    .    .    .    .    .    .    .    .
x/c   .    .    .    .    .    .    .    .    .
y/a   X    X    X    .    .    .    .    .    .
y/b   X    X    X    .    .    .    .    .    .
y/c   X    X    X    .    .    .    .    .    .
z/a   X    X    X    .    .    .    .    .    .
z/b   X    X    X    .    .    .    .    .    .
z/c   X    X    X    .    .    .    .    .    .`,
  },
  {
    name: 'should deny ingress access to updated pod (before the label)',
    from: 'e2e',
    policies: `
- metadata: {name: deny-ingress-via-label-selector, namespace: x}
  spec: {podSelector: {matchLabels: {target: isolated}}, policyTypes: [Ingress]}`,
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   .    .    .    .    .    .    .    .    .
x/c   .    .    .    .    .    .    .    .    .
y/a   .    .    .    .    .    .    .    .    .
y/b   .    .    .    .    .    .    .    .    .
y/c   .    .    .    .    .    .    .    .    .
z/a   .    .    .    .    .    .    .    .    .
z/b   .    .    .    .    .    .    .    .    .
z/c   .    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should deny ingress access to updated pod (after labelling x/a target=isolated)',
    from: 'e2e',
    policies: `
- metadata: {name: deny-ingress-via-label-selector, namespace: x}
  spec: {podSelector: {matchLabels: {target: isolated}}, policyTypes: [Ingress]}`,
    labels: { pods: { 'x/a': { target: 'isolated' } } },
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   X    .    .    .    .    .    .    .    .
x/c   X    .    .    .    .    .    .    .    .
y/a   X    .    .    .    .    .    .    .    .
y/b   X    .    .    .    .    .    .    .    .
y/c   X    .    .    .    .    .    .    .    .
z/a   X    .    .    .    .    .    .    .    .
z/b   X    .    .    .    .    .    .    .    .
z/c   X    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should deny egress from pods based on PodSelector',
    from: 'e2e',
    policies: `
- metadata: {name: deny-egress-pod-a, namespace: x}
  spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Egress]}`,
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    X    X    X    X    X    X    X    X
x/b   .    .    .    .    .    .    .    .    .
x/c   .    .    .    .    .    .    .    .    .
y/a   .    .    .    .    .    .    .    .    .
y/b   .    .    .    .    .    .    .    .    .
y/c   .    .    .    .    .    .    .    .    .
z/a   .    .    .    .    .    .    .    .    .
z/b   .    .    .    .    .    .    .    .    .
z/c   .    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should deny egress from all pods in a namespace',
    from: 'e2e',
    policies: `
- metadata: {name: deny-egress-ns-x, namespace: x}
  spec: {podSelector: {}, policyTypes: [Egress]}`,
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    X    X    X    X    X    X    X    X
x/b   X    .    X    X    X    X    X    X    X
x/c   X    X    .    X    X    X    X    X    X
y/a   .    .    .    .    .    .    .    .    .
y/b   .    .    .    .    .    .    .    .    .
y/c   .    .    .    .    .    .    .    .    .
z/a   .    .    .    .    .    .    .    .    .
z/b   .    .    .    .    .    .    .    .    .
z/c   .    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should work with Ingress, Egress specified together (port 80)',
    from: 'e2e',
    policies: `
- metadata: {name: allow-client-a-via-pod-selector, namespace: x}
  spec:
    podSelector: {matchLabels: {pod: a}}
    policyTypes: [Egress, Ingress]
    ingress:
    - from:
      - podSelector: {matchLabels: {pod: b}}
    egress:
    - ports:
      - port: 80`,
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   .    .    .    .    .    .    .    .    .
x/c   X    .    .    .    .    .    .    .    .
y/a   X    .    .    .    .    .    .    .    .
y/b   X    .    .    .    .    .    .    .    .
y/c   X    .    .    .    .    .    .    .    .
z/a   X    .    .    .    .    .    .    .    .
z/b   X    .    .    .    .    .    .    .    .
z/c   X    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should work with Ingress, Egress specified together (port 81)',
    from: 'e2e',
    policies: `
- metadata: {name: allow-client-a-via-pod-selector, namespace: x}
  spec:
    podSelector: {matchLabels: {pod: a}}
    policyTypes: [Egress, Ingress]
    ingress:
    - from:
      - podSelector: {matchLabels: {pod: b}}
    egress:
    - ports:
      - port: 80`,
    port: 81,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    X    X    X    X    X    X    X    X
x/b   .    .    .    .    .    .    .    .    .
x/c   X    .    .    .    .    .    .    .    .
y/a   X    .    .    .    .    .    .    .    .
y/b   X    .    .    .    .    .    .    .    .
y/c   X    .    .    .    .    .    .    .    .
z/a   X    .    .    .    .    .    .    .    .
z/b   X    .    .    .    .    .    .    .    .
z/c   X    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should support denying of egress traffic on the client side (even if the server explicitly allows this traffic)',
    from: 'e2e',
    policies: `
- metadata: {name: allow-to-ns-y-pod-a, namespace: x}
  spec:
    podSelector: {matchLabels: {pod: a}}
    policyTypes: [Egress]
    egress:
    - to:
      - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}
        podSelector: {matchLabels: {pod: a}}
- metadata: {name: allow-from-xa-on-ya-match-selector, namespace: y}
  spec:
    podSelector: {matchLabels: {pod: a}}
    ingress:
    - from:
      - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: x}}
        podSelector: {matchLabels: {pod: a}}
- metadata: {name: allow-from-xa-on-yb-match-selector, namespace: y}
  spec:
    podSelector: {matchLabels: {pod: b}}
    ingress:
    - from:
      - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: x}}
        podSelector: {matchLabels: {pod: a}}`,
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    X    X    .    X    X    X    X    X
x/b   .    .    .    X    X    .    .    .    .
x/c   .    .    .    X    X    .    .    .    .
y/a   .    .    .    .    X    .    .    .    .
y/b   .    .    .    X    .    .    .    .    .
y/c   .    .    .    X    X    .    .    .    .
z/a   .    .    .    X    X    .    .    .    .
z/b   .    .    .    X    X    .    .    .    .
z/c   .    .    .    X    X    .    .    .    .`,
  },
  {
    name: 'should enforce egress policy allowing traffic to a server in a different namespace based on PodSelector and NamespaceSelector',
    from: 'e2e',
    policies: `
- metadata: {name: allow-to-ns-y-pod-a, namespace: x}
  spec:
    podSelector: {matchLabels: {pod: a}}
    policyTypes: [Egress]
    egress:
    - to:
      - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}
        podSelector: {matchLabels: {pod: a}}`,
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    X    X    .    X    X    X    X    X
x/b   .    .    .    .    .    .    .    .    .
x/c   .    .    .    .    .    .    .    .    .
y/a   .    .    .    .    .    .    .    .    .
y/b   .    .    .    .    .    .    .    .    .
y/c   .    .    .    .    .    .    .    .    .
z/a   .    .    .    .    .    .    .    .    .
z/b   .    .    .    .    .    .    .    .    .
z/c   .    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should enforce ingress policy allowing any port traffic to a server on a specific protocol (TCP)',
    from: 'e2e',
    policies: `
- metadata: {name: allow-ingress-by-proto, namespace: x}
  spec:
    podSelector: {matchLabels: {pod: a}}
    ingress:
    - ports:
      - protocol: TCP`,
    port: 80,
    protocol: 'TCP',
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   .    .    .    .    .    .    .    .    .
x/c   .    .    .    .    .    .    .    .    .
y/a   .    .    .    .    .    .    .    .    .
y/b   .    .    .    .    .    .    .    .    .
y/c   .    .    .    .    .    .    .    .    .
z/a   .    .    .    .    .    .    .    .    .
z/b   .    .    .    .    .    .    .    .    .
z/c   .    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should enforce ingress policy allowing any port traffic to a server on a specific protocol (UDP)',
    from: 'e2e',
    policies: `
- metadata: {name: allow-ingress-by-proto, namespace: x}
  spec:
    podSelector: {matchLabels: {pod: a}}
    ingress:
    - ports:
      - protocol: TCP`,
    port: 80,
    protocol: 'UDP',
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   X    .    .    .    .    .    .    .    .
x/c   X    .    .    .    .    .    .    .    .
y/a   X    .    .    .    .    .    .    .    .
y/b   X    .    .    .    .    .    .    .    .
y/c   X    .    .    .    .    .    .    .    .
z/a   X    .    .    .    .    .    .    .    .
z/b   X    .    .    .    .    .    .    .    .
z/c   X    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should enforce multiple ingress policies with ingress allow-all policy taking precedence (only port 80 allowed)',
    from: 'e2e',
    policies: `
- metadata: {name: allow-ingress-port-80, namespace: x}
  spec:
    podSelector: {matchLabels: {}}
    ingress:
    - ports:
      - port: 80`,
    port: 81,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    X    X    .    .    .    .    .    .
x/b   X    .    X    .    .    .    .    .    .
x/c   X    X    .    .    .    .    .    .    .
y/a   X    X    X    .    .    .    .    .    .
y/b   X    X    X    .    .    .    .    .    .
y/c   X    X    X    .    .    .    .    .    .
z/a   X    X    X    .    .    .    .    .    .
z/b   X    X    X    .    .    .    .    .    .
z/c   X    X    X    .    .    .    .    .    .`,
  },
  {
    name: 'should enforce multiple ingress policies with ingress allow-all policy taking precedence (allow-all added)',
    from: 'e2e',
    policies: `
- metadata: {name: allow-ingress-port-80, namespace: x}
  spec:
    podSelector: {matchLabels: {}}
    ingress:
    - ports:
      - port: 80
- metadata: {name: allow-ingress, namespace: x}
  spec:
    podSelector: {matchLabels: {}}
    ingress: [{}]`,
    port: 81,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   .    .    .    .    .    .    .    .    .
x/c   .    .    .    .    .    .    .    .    .
y/a   .    .    .    .    .    .    .    .    .
y/b   .    .    .    .    .    .    .    .    .
y/c   .    .    .    .    .    .    .    .    .
z/a   .    .    .    .    .    .    .    .    .
z/b   .    .    .    .    .    .    .    .    .
z/c   .    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should enforce multiple egress policies with egress allow-all policy taking precedence (only port 80 allowed)',
    from: 'e2e',
    policies: `
- metadata: {name: allow-egress-port-80, namespace: x}
  spec:
    podSelector: {matchLabels: {}}
    policyTypes: [Egress]
    egress:
    - ports:
      - port: 80`,
    port: 81,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    X    X    X    X    X    X    X    X
x/b   X    .    X    X    X    X    X    X    X
x/c   X    X    .    X    X    X    X    X    X
y/a   .    .    .    .    .    .    .    .    .
y/b   .    .    .    .    .    .    .    .    .
y/c   .    .    .    .    .    .    .    .    .
z/a   .    .    .    .    .    .    .    .    .
z/b   .    .    .    .    .    .    .    .    .
z/c   .    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should enforce multiple egress policies with egress allow-all policy taking precedence (allow-all added)',
    from: 'e2e',
    policies: `
- metadata: {name: allow-egress-port-80, namespace: x}
  spec:
    podSelector: {matchLabels: {}}
    policyTypes: [Egress]
    egress:
    - ports:
      - port: 80
- metadata: {name: allow-egress, namespace: x}
  spec:
    podSelector: {matchLabels: {}}
    policyTypes: [Egress]
    egress: [{}]`,
    port: 81,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   .    .    .    .    .    .    .    .    .
x/c   .    .    .    .    .    .    .    .    .
y/a   .    .    .    .    .    .    .    .    .
y/b   .    .    .    .    .    .    .    .    .
y/c   .    .    .    .    .    .    .    .    .
z/a   .    .    .    .    .    .    .    .    .
z/b   .    .    .    .    .    .    .    .    .
z/c   .    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should stop enforcing policies after they are deleted (no policies left)',
    from: 'e2e',
    policies: `[]`,
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   .    .    .    .    .    .    .    .    .
x/c   .    .    .    .    .    .    .    .    .
y/a   .    .    .    .    .    .    .    .    .
y/b   .    .    .    .    .    .    .    .    .
y/c   .    .    .    .    .    .    .    .    .
z/a   .    .    .    .    .    .    .    .    .
z/b   .    .    .    .    .    .    .    .    .
z/c   .    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should allow egress access to server in CIDR block',
    from: 'e2e',
    policies: `
- metadata: {name: allow-client-a-via-cidr-egress-rule, namespace: x}
  spec:
    podSelector: {matchLabels: {pod: a}}
    policyTypes: [Egress]
    egress:
    - to:
      - ipBlock: {cidr: '\${ip:y/b}/32'}`,
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    X    X    X    .    X    X    X    X
x/b   .    .    .    .    .    .    .    .    .
x/c   .    .    .    .    .    .    .    .    .
y/a   .    .    .    .    .    .    .    .    .
y/b   .    .    .    .    .    .    .    .    .
y/c   .    .    .    .    .    .    .    .    .
z/a   .    .    .    .    .    .    .    .    .
z/b   .    .    .    .    .    .    .    .    .
z/c   .    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should enforce except clause while egress access to server in CIDR block',
    from: 'e2e',
    policies: `
- metadata: {name: allow-client-a-via-cidr-egress-rule, namespace: x}
  spec:
    podSelector: {matchLabels: {pod: a}}
    policyTypes: [Egress]
    egress:
    - to:
      - ipBlock: {cidr: 0.0.0.0/4, except: ['\${ip:x/b}/32']}`,
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    X    .    .    .    .    .    .    .
x/b   .    .    .    .    .    .    .    .    .
x/c   .    .    .    .    .    .    .    .    .
y/a   .    .    .    .    .    .    .    .    .
y/b   .    .    .    .    .    .    .    .    .
y/c   .    .    .    .    .    .    .    .    .
z/a   .    .    .    .    .    .    .    .    .
z/b   .    .    .    .    .    .    .    .    .
z/c   .    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should ensure an IP overlapping both IPBlock.CIDR and IPBlock.Except is allowed (after the update)',
    from: 'e2e',
    policies: `
- metadata: {name: allow-client-a-via-cidr-egress-rule, namespace: x}
  spec:
    podSelector: {matchLabels: {pod: a}}
    policyTypes: [Egress]
    egress:
    - to:
      - ipBlock: {cidr: '\${ip:x/b}/32'}`,
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    X    X    X    X    X    X    X
x/b   .    .    .    .    .    .    .    .    .
x/c   .    .    .    .    .    .    .    .    .
y/a   .    .    .    .    .    .    .    .    .
y/b   .    .    .    .    .    .    .    .    .
y/c   .    .    .    .    .    .    .    .    .
z/a   .    .    .    .    .    .    .    .    .
z/b   .    .    .    .    .    .    .    .    .
z/c   .    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should enforce policies to check ingress and egress policies can be controlled independently based on PodSelector (egress allowed)',
    from: 'e2e',
    policies: `
- metadata: {name: allow-egress-for-target, namespace: x}
  spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Egress], egress: [{}]}`,
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   .    .    .    .    .    .    .    .    .
x/c   .    .    .    .    .    .    .    .    .
y/a   .    .    .    .    .    .    .    .    .
y/b   .    .    .    .    .    .    .    .    .
y/c   .    .    .    .    .    .    .    .    .
z/a   .    .    .    .    .    .    .    .    .
z/b   .    .    .    .    .    .    .    .    .
z/c   .    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should enforce policies to check ingress and egress policies can be controlled independently based on PodSelector (ingress denied)',
    from: 'e2e',
    policies: `
- metadata: {name: allow-egress-for-target, namespace: x}
  spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Egress], egress: [{}]}
- metadata: {name: deny-ingress-via-label-selector, namespace: x}
  spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress]}`,
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   X    .    .    .    .    .    .    .    .
x/c   X    .    .    .    .    .    .    .    .
y/a   X    .    .    .    .    .    .    .    .
y/b   X    .    .    .    .    .    .    .    .
y/c   X    .    .    .    .    .    .    .    .
z/a   X    .    .    .    .    .    .    .    .
z/b   X    .    .    .    .    .    .    .    .
z/c   X    .    .    .    .    .    .    .    .`,
  },
  {
    name: "should not mistakenly treat 'protocol: SCTP' as 'protocol: TCP', even if the plugin doesn't support SCTP",
    from: 'e2e',
    policies: `
- metadata: {name: deny-ingress, namespace: x}
  spec: {podSelector: {}, policyTypes: [Ingress]}
- metadata: {name: allow-only-sctp-ingress-on-port-81, namespace: x}
  spec:
    podSelector: {matchLabels: {pod: a}}
    ingress:
    - ports:
      - {port: 81, protocol: SCTP}`,
    port: 81,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    X    X    .    .    .    .    .    .
x/b   X    .    X    .    .    .    .    .    .
x/c   X    X    .    .    .    .    .    .    .
y/a   X    X    X    .    .    .    .    .    .
y/b   X    X    X    .    .    .    .    .    .
y/c   X    X    X    .    .    .    .    .    .
z/a   X    X    X    .    .    .    .    .    .
z/b   X    X    X    .    .    .    .    .    .
z/c   X    X    X    .    .    .    .    .    .`,
  },
  {
    name: "should properly isolate pods that are selected by a policy allowing SCTP, even if the plugin doesn't support SCTP",
    from: 'e2e',
    policies: `
- metadata: {name: allow-only-sctp-ingress-on-port-80, namespace: x}
  spec:
    podSelector: {matchLabels: {pod: a}}
    ingress:
    - ports:
      - {port: 80, protocol: SCTP}`,
    port: 81,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   X    .    .    .    .    .    .    .    .
x/c   X    .    .    .    .    .    .    .    .
y/a   X    .    .    .    .    .    .    .    .
y/b   X    .    .    .    .    .    .    .    .
y/c   X    .    .    .    .    .    .    .    .
z/a   X    .    .    .    .    .    .    .    .
z/b   X    .    .    .    .    .    .    .    .
z/c   X    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should not allow access by TCP when a policy specifies only UDP',
    from: 'e2e',
    policies: `
- metadata: {name: allow-only-udp-ingress-on-port-81, namespace: x}
  spec:
    podSelector: {matchLabels: {pod: a}}
    ingress:
    - ports:
      - {port: 81, protocol: UDP}`,
    port: 81,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   X    .    .    .    .    .    .    .    .
x/c   X    .    .    .    .    .    .    .    .
y/a   X    .    .    .    .    .    .    .    .
y/b   X    .    .    .    .    .    .    .    .
y/c   X    .    .    .    .    .    .    .    .
z/a   X    .    .    .    .    .    .    .    .
z/b   X    .    .    .    .    .    .    .    .
z/c   X    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should enforce policy to allow traffic based on NamespaceSelector with MatchLabels using default ns label',
    from: 'e2e',
    policies: `
- metadata: {name: allow-client-a-via-ns-selector-for-immutable-ns-label, namespace: x}
  spec:
    podSelector: {matchLabels: {pod: a}}
    ingress:
    - from:
      - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}`,
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   X    .    .    .    .    .    .    .    .
x/c   X    .    .    .    .    .    .    .    .
y/a   .    .    .    .    .    .    .    .    .
y/b   .    .    .    .    .    .    .    .    .
y/c   .    .    .    .    .    .    .    .    .
z/a   X    .    .    .    .    .    .    .    .
z/b   X    .    .    .    .    .    .    .    .
z/c   X    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should enforce policy based on NamespaceSelector with MatchExpressions using default ns label',
    from: 'e2e',
    policies: `
- metadata: {name: allow-ns-y-match-selector-for-immutable-ns-label, namespace: x}
  spec:
    podSelector: {matchLabels: {pod: a}}
    policyTypes: [Egress]
    egress:
    - to:
      - namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: NotIn, values: [y]}]}`,
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    X    X    X    .    .    .
x/b   .    .    .    .    .    .    .    .    .
x/c   .    .    .    .    .    .    .    .    .
y/a   .    .    .    .    .    .    .    .    .
y/b   .    .    .    .    .    .    .    .    .
y/c   .    .    .    .    .    .    .    .    .
z/a   .    .    .    .    .    .    .    .    .
z/b   .    .    .    .    .    .    .    .    .
z/c   .    .    .    .    .    .    .    .    .`,
  },
  {
    name: "should support a 'default-deny-ingress' policy",
    from: 'e2e UDP',
    policies: `
- metadata: {name: deny-all, namespace: x}
  spec: {podSelector: {}, policyTypes: [Ingress]}`,
    port: 80,
    protocol: 'UDP',
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    X    X    .    .    .    .    .    .
x/b   X    .    X    .    .    .    .    .    .
x/c   X    X    .    .    .    .    .    .    .
y/a   X    X    X    .    .    .    .    .    .
y/b   X    X    X    .    .    .    .    .    .
y/c   X    X    X    .    .    .    .    .    .
z/a   X    X    X    .    .    .    .    .    .
z/b   X    X    X    .    .    .    .    .    .
z/c   X    X    X    .    .    .    .    .    .`,
  },
  {
    name: 'should enforce policy based on Ports',
    from: 'e2e UDP',
    policies: `
- metadata: {name: allow-ingress-on-port-81-ns-x, namespace: x}
  spec:
    podSelector: {matchLabels: {pod: a}}
    ingress:
    - from:
      - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}
      ports:
      - {port: 81, protocol: UDP}`,
    port: 81,
    protocol: 'UDP',
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   X    .    .    .    .    .    .    .    .
x/c   X    .    .    .    .    .    .    .    .
y/a   .    .    .    .    .    .    .    .    .
y/b   .    .    .    .    .    .    .    .    .
y/c   .    .    .    .    .    .    .    .    .
z/a   X    .    .    .    .    .    .    .    .
z/b   X    .    .    .    .    .    .    .    .
z/c   X    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector',
    from: 'e2e UDP',
    policies: `
- metadata: {name: allow-ns-y-pod-a-via-namespace-pod-selector, namespace: x}
  spec:
    podSelector: {matchLabels: {pod: a}}
    ingress:
    - from:
      - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}
        podSelector: {matchLabels: {pod: a}}`,
    port: 80,
    protocol: 'UDP',
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   X    .    .    .    .    .    .    .    .
x/c   X    .    .    .    .    .    .    .    .
y/a   .    .    .    .    .    .    .    .    .
y/b   X    .    .    .    .    .    .    .    .
y/c   X    .    .    .    .    .    .    .    .
z/a   X    .    .    .    .    .    .    .    .
z/b   X    .    .    .    .    .    .    .    .
z/c   X    .    .    .    .    .    .    .    .`,
  },
  {
    name: "should support a 'default-deny-ingress' policy",
    from: 'e2e SCTP',
    policies: `
- metadata: {name: deny-all, namespace: x}
  spec: {podSelector: {}, policyTypes: [Ingress]}`,
    port: 80,
    protocol: 'SCTP',
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    X    X    .    .    .    .    .    .
x/b   X    .    X    .    .    .    .    .    .
x/c   X    X    .    .    .    .    .    .    .
y/a   X    X    X    .    .    .    .    .    .
y/b   X    X    X    .    .    .    .    .    .
y/c   X    X    X    .    .    .    .    .    .
z/a   X    X    X    .    .    .    .    .    .
z/b   X    X    X    .    .    .    .    .    .
z/c   X    X    X    .    .    .    .    .    .`,
  },
  {
    name: 'should enforce policy based on Ports',
    from: 'e2e SCTP',
    policies: `
- metadata: {name: allow-ingress-on-port-81-ns-x, namespace: x}
  spec:
    podSelector: {matchLabels: {pod: a}}
    ingress:
    - from:
      - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}
      ports:
      - {port: 81, protocol: SCTP}`,
    port: 81,
    protocol: 'SCTP',
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   X    .    .    .    .    .    .    .    .
x/c   X    .    .    .    .    .    .    .    .
y/a   .    .    .    .    .    .    .    .    .
y/b   .    .    .    .    .    .    .    .    .
y/c   .    .    .    .    .    .    .    .    .
z/a   X    .    .    .    .    .    .    .    .
z/b   X    .    .    .    .    .    .    .    .
z/c   X    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector',
    from: 'e2e SCTP',
    policies: `
- metadata: {name: allow-ns-y-pod-a-via-namespace-pod-selector, namespace: x}
  spec:
    podSelector: {matchLabels: {pod: a}}
    ingress:
    - from:
      - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}
        podSelector: {matchLabels: {pod: a}}`,
    port: 80,
    protocol: 'SCTP',
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   X    .    .    .    .    .    .    .    .
x/c   X    .    .    .    .    .    .    .    .
y/a   .    .    .    .    .    .    .    .    .
y/b   X    .    .    .    .    .    .    .    .
y/c   X    .    .    .    .    .    .    .    .
z/a   X    .    .    .    .    .    .    .    .
z/b   X    .    .    .    .    .    .    .    .
z/c   X    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'Default allow all ingress traffic (next to a default deny)',
    from: 'docs',
    policies: `
- metadata: {name: default-deny-ingress, namespace: x}
  spec: {podSelector: {}, policyTypes: [Ingress]}
- metadata: {name: allow-all-ingress, namespace: x}
  spec: {podSelector: {}, ingress: [{}], policyTypes: [Ingress]}`,
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   .    .    .    .    .    .    .    .    .
x/c   .    .    .    .    .    .    .    .    .
y/a   .    .    .    .    .    .    .    .    .
y/b   .    .    .    .    .    .    .    .    .
y/c   .    .    .    .    .    .    .    .    .
z/a   .    .    .    .    .    .    .    .    .
z/b   .    .    .    .    .    .    .    .    .
z/c   .    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'Default deny all egress traffic',
    from: 'docs',
    policies: `
- metadata: {name: default-deny-egress, namespace: x}
  spec: {podSelector: {}, policyTypes: [Egress]}`,
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    X    X    X    X    X    X    X    X
x/b   X    .    X    X    X    X    X    X    X
x/c   X    X    .    X    X    X    X    X    X
y/a   .    .    .    .    .    .    .    .    .
y/b   .    .    .    .    .    .    .    .    .
y/c   .    .    .    .    .    .    .    .    .
z/a   .    .    .    .    .    .    .    .    .
z/b   .    .    .    .    .    .    .    .    .
z/c   .    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'Allow all egress traffic (next to a default deny)',
    from: 'docs',
    policies: `
- metadata: {name: default-deny-egress, namespace: x}
  spec: {podSelector: {}, policyTypes: [Egress]}
- metadata: {name: allow-all-egress, namespace: x}
  spec: {podSelector: {}, egress: [{}], policyTypes: [Egress]}`,
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   .    .    .    .    .    .    .    .    .
x/c   .    .    .    .    .    .    .    .    .
y/a   .    .    .    .    .    .    .    .    .
y/b   .    .    .    .    .    .    .    .    .
y/c   .    .    .    .    .    .    .    .    .
z/a   .    .    .    .    .    .    .    .    .
z/b   .    .    .    .    .    .    .    .    .
z/c   .    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'Behavior of to and from selectors: namespaceSelector and podSelector in one element (AND)',
    from: 'docs',
    policies: `
- metadata: {name: and, namespace: x}
  spec:
    podSelector: {matchLabels: {pod: a}}
    ingress:
    - from:
      - namespaceSelector: {matchLabels: {ns: y}}
        podSelector: {matchLabels: {pod: a}}`,
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   X    .    .    .    .    .    .    .    .
x/c   X    .    .    .    .    .    .    .    .
y/a   .    .    .    .    .    .    .    .    .
y/b   X    .    .    .    .    .    .    .    .
y/c   X    .    .    .    .    .    .    .    .
z/a   X    .    .    .    .    .    .    .    .
z/b   X    .    .    .    .    .    .    .    .
z/c   X    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'Behavior of to and from selectors: namespaceSelector and podSelector as two elements (OR)',
    from: 'docs',
    policies: `
- metadata: {name: or, namespace: x}
  spec:
    podSelector: {matchLabels: {pod: a}}
    ingress:
    - from:
      - namespaceSelector: {matchLabels: {ns: y}}
      - podSelector: {matchLabels: {pod: b}}`,
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   .    .    .    .    .    .    .    .    .
x/c   X    .    .    .    .    .    .    .    .
y/a   .    .    .    .    .    .    .    .    .
y/b   .    .    .    .    .    .    .    .    .
y/c   .    .    .    .    .    .    .    .    .
z/a   X    .    .    .    .    .    .    .    .
z/b   X    .    .    .    .    .    .    .    .
z/c   X    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'Targeting a range of ports: endPort includes the port (81 in 80-81)',
    from: 'docs',
    policies: `
- metadata: {name: multi-port-egress, namespace: x}
  spec:
    podSelector: {matchLabels: {pod: a}}
    policyTypes: [Egress]
    egress:
    - to:
      - ipBlock: {cidr: 10.244.0.0/16}
      ports:
      - {protocol: TCP, port: 80, endPort: 81}`,
    port: 81,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   .    .    .    .    .    .    .    .    .
x/c   .    .    .    .    .    .    .    .    .
y/a   .    .    .    .    .    .    .    .    .
y/b   .    .    .    .    .    .    .    .    .
y/c   .    .    .    .    .    .    .    .    .
z/a   .    .    .    .    .    .    .    .    .
z/b   .    .    .    .    .    .    .    .    .
z/c   .    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'Targeting a range of ports: a port outside the range (81 not in 79-80)',
    from: 'docs',
    policies: `
- metadata: {name: multi-port-egress, namespace: x}
  spec:
    podSelector: {matchLabels: {pod: a}}
    policyTypes: [Egress]
    egress:
    - to:
      - ipBlock: {cidr: 10.244.0.0/16}
      ports:
      - {protocol: TCP, port: 79, endPort: 80}`,
    port: 81,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    X    X    X    X    X    X    X    X
x/b   .    .    .    .    .    .    .    .    .
x/c   .    .    .    .    .    .    .    .    .
y/a   .    .    .    .    .    .    .    .    .
y/b   .    .    .    .    .    .    .    .    .
y/c   .    .    .    .    .    .    .    .    .
z/a   .    .    .    .    .    .    .    .    .
z/b   .    .    .    .    .    .    .    .    .
z/c   .    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'ipBlock on ingress matches the source pod IP (kindnet, Calico)',
    from: 'docs',
    policies: `
- metadata: {name: from-cidr, namespace: x}
  spec:
    podSelector: {matchLabels: {pod: a}}
    ingress:
    - from:
      - ipBlock: {cidr: '\${ip:y/b}/32'}`,
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   X    .    .    .    .    .    .    .    .
x/c   X    .    .    .    .    .    .    .    .
y/a   X    .    .    .    .    .    .    .    .
y/b   .    .    .    .    .    .    .    .    .
y/c   X    .    .    .    .    .    .    .    .
z/a   X    .    .    .    .    .    .    .    .
z/b   X    .    .    .    .    .    .    .    .
z/c   X    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'policyTypes default: egress rules make it an Egress policy too',
    from: 'docs',
    policies: `
- metadata: {name: egress-only-80, namespace: x}
  spec:
    podSelector: {matchLabels: {pod: a}}
    egress:
    - ports:
      - port: 80`,
    port: 81,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    X    X    X    X    X    X    X    X
x/b   X    .    .    .    .    .    .    .    .
x/c   X    .    .    .    .    .    .    .    .
y/a   X    .    .    .    .    .    .    .    .
y/b   X    .    .    .    .    .    .    .    .
y/c   X    .    .    .    .    .    .    .    .
z/a   X    .    .    .    .    .    .    .    .
z/b   X    .    .    .    .    .    .    .    .
z/c   X    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'Cilium: an ipBlock never matches a pod IP (CIDR rules select peers outside the cluster)',
    from: 'cni',
    cni: 'cilium',
    policies: `
- metadata: {name: allow-client-a-via-cidr-egress-rule, namespace: x}
  spec:
    podSelector: {matchLabels: {pod: a}}
    policyTypes: [Egress]
    egress:
    - to:
      - ipBlock: {cidr: '\${ip:y/b}/32'}`,
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    X    X    X    X    X    X    X    X
x/b   .    .    .    .    .    .    .    .    .
x/c   .    .    .    .    .    .    .    .    .
y/a   .    .    .    .    .    .    .    .    .
y/b   .    .    .    .    .    .    .    .    .
y/c   .    .    .    .    .    .    .    .    .
z/a   .    .    .    .    .    .    .    .    .
z/b   .    .    .    .    .    .    .    .    .
z/c   .    .    .    .    .    .    .    .    .`,
  },
  {
    name: 'flannel enforces nothing: a default-deny-all changes no connection',
    from: 'cni',
    cni: 'flannel',
    policies: `
- metadata: {name: deny-all, namespace: x}
  spec: {podSelector: {}, policyTypes: [Ingress, Egress]}`,
    port: 80,
    expect: `
-    x/a  x/b  x/c  y/a  y/b  y/c  z/a  z/b  z/c
x/a   .    .    .    .    .    .    .    .    .
x/b   .    .    .    .    .    .    .    .    .
x/c   .    .    .    .    .    .    .    .    .
y/a   .    .    .    .    .    .    .    .    .
y/b   .    .    .    .    .    .    .    .    .
y/c   .    .    .    .    .    .    .    .    .
z/a   .    .    .    .    .    .    .    .    .
z/b   .    .    .    .    .    .    .    .    .
z/c   .    .    .    .    .    .    .    .    .`,
  },
];
