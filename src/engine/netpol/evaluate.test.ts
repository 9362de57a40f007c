// The evaluator's semantics beyond the truth tables, and how it explains itself.
import { describe, expect, it } from 'vitest';
import type { NetworkPolicy, Pod } from '../model/types';
import { e2eModel } from './e2emodel';
import { buildNetpolIndex, effectivePolicyTypes, evaluateDirection, evaluateFlow, type CniName, type Flow } from './index';

const model = e2eModel();
const pod = (s: string): Pod => model.pods.find((p) => `${p.metadata.namespace}/${p.metadata.name}` === s)!;
const ip = (s: string) => pod(s).status!.podIP!;

function np(namespace: string, name: string, spec: NetworkPolicy['spec']): NetworkPolicy {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace, uid: name, resourceVersion: '1', creationTimestamp: '' }, spec };
}

function index(policies: NetworkPolicy[], opts: { cni?: CniName; pods?: Pod[] } = {}) {
  return buildNetpolIndex({ policies, pods: opts.pods ?? model.pods, namespaces: model.namespaces, nodes: model.nodes, cni: opts.cni ?? 'kindnet' });
}

const flow = (from: string, to: string, port = 80, protocol: Flow['protocol'] = 'TCP'): Flow => ({ source: { pod: pod(from) }, destination: { pod: pod(to) }, port, protocol });

const denyAllIngressX = np('x', 'deny-all', { podSelector: {}, policyTypes: ['Ingress'] });
const denyAllEgressX = np('x', 'deny-egress', { podSelector: {}, policyTypes: ['Egress'] });

describe('policyTypes defaulting (pkg/apis/networking/v1/defaults.go)', () => {
  it('is Ingress when nothing is said', () => {
    expect(effectivePolicyTypes(np('x', 'p', { podSelector: {} }))).toEqual(['Ingress']);
  });
  it('adds Egress only when there is at least one egress rule', () => {
    expect(effectivePolicyTypes(np('x', 'p', { podSelector: {}, egress: [{}] }))).toEqual(['Ingress', 'Egress']);
    expect(effectivePolicyTypes(np('x', 'p', { podSelector: {}, egress: [] }))).toEqual(['Ingress']);
  });
  it('defaults an empty list like a missing one, and keeps an explicit one', () => {
    expect(effectivePolicyTypes(np('x', 'p', { podSelector: {}, policyTypes: [], egress: [{}] }))).toEqual(['Ingress', 'Egress']);
    expect(effectivePolicyTypes(np('x', 'p', { podSelector: {}, policyTypes: ['Egress'] }))).toEqual(['Egress']);
  });
  it('ignores rules of a direction the policy is not of', () => {
    const idx = index([np('x', 'egress-only', { podSelector: {}, policyTypes: ['Egress'], ingress: [{ from: [{ podSelector: {} }] }], egress: [{}] })]);
    // Not an Ingress policy: its ingress rules neither isolate nor allow.
    expect(evaluateFlow(idx, flow('y/a', 'x/a')).ingress.reason).toBe('not-isolated');
  });
});

describe('isolation and rules', () => {
  it('ingress: [] and a missing ingress both isolate and allow nothing', () => {
    for (const spec of [{ podSelector: {}, ingress: [] }, { podSelector: {} }] as NetworkPolicy['spec'][]) {
      const v = evaluateFlow(index([np('x', 'p', spec)]), flow('y/a', 'x/a'));
      expect(v.allowed).toBe(false);
      expect(v.ingress.reason).toBe('no-rule-allows');
    }
  });
  it('ingress: [{}] allows everything; a rule with no ports allows every port and protocol', () => {
    const idx = index([np('x', 'p', { podSelector: {}, ingress: [{}] })]);
    for (const proto of ['TCP', 'UDP', 'SCTP'] as const) expect(evaluateFlow(idx, flow('z/c', 'x/b', 81, proto)).allowed).toBe(true);
  });
  it('explains which policy, rule, peer and port allowed the flow', () => {
    const idx = index([
      denyAllIngressX,
      np('x', 'allow-b', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'c' } } }] }, { from: [{ namespaceSelector: { matchLabels: { ns: 'z' } } }, { podSelector: { matchLabels: { pod: 'b' } } }], ports: [{ port: 81 }, { port: 80 }] }] }),
    ]);
    const v = evaluateFlow(idx, flow('x/b', 'x/a'));
    expect(v.allowed).toBe(true);
    expect(v.ingress).toMatchObject({ reason: 'allowed-by-rule', isolatedBy: ['allow-b', 'deny-all'], pod: 'x/a' });
    expect(v.ingress.allowedBy).toEqual({ namespace: 'x', policy: 'allow-b', direction: 'Ingress', rule: 1, peer: 1, port: 1, path: 'spec.ingress[1]: from[1], ports[1]' });
    expect(v.ingress.message).toBe('ingress to x/a allowed by NetworkPolicy x/allow-b spec.ingress[1]: from[1], ports[1]');
    expect(v.egress.reason).toBe('not-isolated');
    expect(v.egress.message).toBe('egress from x/b allowed: no NetworkPolicy selects it for Egress');
  });
  it('explains a denial: isolated by which policies, and what was not allowed', () => {
    const v = evaluateFlow(index([denyAllIngressX, np('x', 'allow-b', { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b' } } }] }] })]), flow('y/b', 'x/a', 81));
    expect(v.allowed).toBe(false);
    expect(v.deniedAt).toBe('Ingress');
    expect(v.ingress.isolatedBy).toEqual(['allow-b', 'deny-all']);
    expect(v.ingress.message).toBe(`ingress to x/a denied: isolated by allow-b, deny-all; no rule allows TCP port 81 from y/b (${ip('y/b')})`);
    expect(v.message).toBe(`TCP y/b (${ip('y/b')}) -> x/a (${ip('x/a')}) port 81: denied (${v.ingress.message})`);
  });
  it('reports egress first when both directions deny (packet order)', () => {
    const v = evaluateFlow(index([denyAllEgressX, np('y', 'deny', { podSelector: {} })]), flow('x/a', 'y/a'));
    expect(v.deniedAt).toBe('Egress');
    expect(v.egress.allowed).toBe(false);
    expect(v.ingress.allowed).toBe(false);
  });
  it('a policy selects only pods of its own namespace', () => {
    const v = evaluateFlow(index([np('y', 'deny-all', { podSelector: {} })]), flow('z/a', 'x/a'));
    expect(v.ingress.reason).toBe('not-isolated');
  });
  it('a peer podSelector alone means pods of the policy namespace, not of the client', () => {
    const idx = index([np('x', 'p', { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b' } } }] }] })]);
    expect(evaluateFlow(idx, flow('x/b', 'x/a')).allowed).toBe(true);
    expect(evaluateFlow(idx, flow('y/b', 'x/a')).allowed).toBe(false);
  });
  it('matches kubernetes.io/metadata.name even when a namespace object lacks it (the API server always sets it)', () => {
    const namespaces = model.namespaces.map((n) => ({ ...n, metadata: { ...n.metadata, labels: { ns: n.metadata.name } } }));
    const idx = buildNetpolIndex({ policies: [np('x', 'p', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'y' } } }] }] })], pods: model.pods, namespaces });
    expect(evaluateFlow(idx, flow('y/c', 'x/a')).allowed).toBe(true);
    expect(evaluateFlow(idx, flow('z/c', 'x/a')).allowed).toBe(false);
  });
  it('allows are additive and the order of policies does not matter', () => {
    const ps = [denyAllIngressX, np('x', 'a', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: 'y' } } }] }] }), np('x', 'b', { podSelector: {}, ingress: [{ ports: [{ port: 81 }] }] })];
    const one = index(ps);
    const two = index([...ps].reverse());
    for (const [f, t, p] of [['y/a', 'x/a', 80], ['z/a', 'x/a', 81], ['z/a', 'x/a', 80]] as const) {
      expect(evaluateFlow(two, flow(f, t, p))).toEqual(evaluateFlow(one, flow(f, t, p)));
    }
    expect(evaluateFlow(one, flow('z/a', 'x/a', 80)).allowed).toBe(false);
  });
});

describe('ports', () => {
  it('protocol defaults to TCP and must match', () => {
    const idx = index([np('x', 'p', { podSelector: {}, ingress: [{ ports: [{ port: 80 }] }] })]);
    expect(evaluateFlow(idx, flow('y/a', 'x/a', 80, 'TCP')).allowed).toBe(true);
    expect(evaluateFlow(idx, flow('y/a', 'x/a', 80, 'UDP')).allowed).toBe(false);
  });
  it('endPort is inclusive at both ends', () => {
    const idx = index([np('x', 'p', { podSelector: {}, ingress: [{ ports: [{ port: 80, endPort: 81 }] }] })]);
    expect([79, 80, 81, 82].map((p) => evaluateFlow(idx, flow('y/a', 'x/a', p)).allowed)).toEqual([false, true, true, false]);
  });
  it('a named port needs the name, the protocol and the number to agree on the destination pod', () => {
    const idx = index([np('x', 'p', { podSelector: {}, ingress: [{ ports: [{ port: 'serve-80-udp', protocol: 'UDP' }, { port: 'serve-81-tcp' }] }] })]);
    expect(evaluateFlow(idx, flow('y/a', 'x/a', 80, 'UDP')).allowed).toBe(true);
    expect(evaluateFlow(idx, flow('y/a', 'x/a', 80, 'TCP')).allowed).toBe(false); // serve-80-udp is UDP
    expect(evaluateFlow(idx, flow('y/a', 'x/a', 81, 'TCP')).allowed).toBe(true);
    expect(evaluateFlow(idx, flow('y/a', 'x/a', 81, 'UDP')).allowed).toBe(false); // rule says TCP
  });
  it('an egress named port resolves on the destination pod, and matches no external address', () => {
    const idx = index([np('x', 'p', { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'serve-81-tcp' }] }] })]);
    expect(evaluateFlow(idx, flow('x/a', 'z/b', 81)).allowed).toBe(true);
    expect(evaluateFlow(idx, { source: { pod: pod('x/a') }, destination: { ip: '203.0.113.10' }, port: 81 }).allowed).toBe(false);
  });
});

describe('ipBlock', () => {
  const egressTo = (cidr: string, except?: string[]) => np('x', 'cidr', { podSelector: { matchLabels: { pod: 'a' } }, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr, ...(except ? { except } : {}) } }] }] });
  it('applies to the destination after DNAT: the pod IP, not the ClusterIP', () => {
    const idx = index([egressTo('10.96.0.0/12')]); // "allow the Service range" does not allow the Service
    const v = evaluateFlow(idx, { source: { pod: pod('x/a') }, destination: { pod: pod('y/b'), ip: ip('y/b') }, port: 80 });
    expect(v.allowed).toBe(false);
    expect(v.egress.message).toContain(`no rule allows TCP port 80 to y/b (${ip('y/b')})`);
  });
  it('except carves addresses out of the cidr', () => {
    const idx = index([egressTo('10.244.0.0/16', ['10.244.2.0/24'])]);
    expect(evaluateFlow(idx, flow('x/a', 'x/c')).allowed).toBe(ip('x/c').startsWith('10.244.1.'));
    expect(evaluateFlow(idx, flow('x/a', 'x/b')).allowed).toBe(ip('x/b').startsWith('10.244.1.'));
    expect(evaluateFlow(idx, { source: { pod: pod('x/a') }, destination: { ip: '10.244.2.200' }, port: 80 }).allowed).toBe(false);
  });
  it('matches cluster-external clients on ingress; selectors never do', () => {
    const idx = index([np('x', 'p', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }, { ipBlock: { cidr: '203.0.113.0/24' } }] }] })]);
    const ext = (a: string) => evaluateFlow(idx, { source: { ip: a }, destination: { pod: pod('x/a') }, port: 80 });
    expect(ext('203.0.113.9').ingress.allowedBy?.peer).toBe(1);
    expect(ext('198.51.100.9').allowed).toBe(false);
    expect(ext('198.51.100.9').egress.reason).toBe('not-a-pod');
  });
  it('Cilium: an ipBlock matches external addresses only, never a pod or node IP', () => {
    const policy = egressTo('0.0.0.0/0');
    for (const [cni, podOk] of [['kindnet', true], ['calico', true], ['cilium', false]] as const) {
      const idx = index([policy], { cni });
      expect(evaluateFlow(idx, flow('x/a', 'y/b')).allowed).toBe(podOk);
      expect(evaluateFlow(idx, { source: { pod: pod('x/a') }, destination: { ip: '172.18.0.4' }, port: 10250 }).allowed).toBe(podOk);
      expect(evaluateFlow(idx, { source: { pod: pod('x/a') }, destination: { ip: '93.184.215.14' }, port: 443 }).allowed).toBe(true);
    }
  });
});

describe('nodes, hostNetwork and the pod itself', () => {
  const xa = pod('x/a'); // on worker
  const hostPod = (node: string): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `agent-${node}`, namespace: 'kube-system', labels: { pod: 'a' }, uid: node, resourceVersion: '1', creationTimestamp: '' }, spec: { hostNetwork: true, nodeName: node, containers: [{ name: 'c', image: 'i' }] }, status: { phase: 'Running', podIP: node === 'worker' ? '172.18.0.3' : '172.18.0.4' } });
  const pods = [...model.pods, hostPod('worker'), hostPod('worker2')];

  it('traffic from the pod own node is always allowed (kubelet probes)', () => {
    const idx = index([denyAllIngressX]);
    const v = evaluateFlow(idx, { source: { node: 'worker' }, destination: { pod: xa }, port: 80 });
    expect(xa.spec.nodeName).toBe('worker');
    expect(v.allowed).toBe(true);
    expect(v.ingress.reason).toBe('node-local');
    expect(v.ingress.message).toBe('ingress to x/a allowed: traffic from its own node (worker) is always allowed');
    expect(evaluateFlow(idx, { source: { node: 'worker2' }, destination: { pod: xa }, port: 80 }).allowed).toBe(false);
    // A bare node address resolves to the node too.
    expect(evaluateFlow(idx, { source: { ip: '172.18.0.3' }, destination: { pod: xa }, port: 80 }).ingress.reason).toBe('node-local');
  });
  it('hostNetwork pods count as their node: selectors do not match them', () => {
    const idx = index([np('x', 'from-pod-a', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { pod: 'a' } } }] }] })], { pods });
    const from = (n: string) => evaluateFlow(idx, { source: { pod: hostPod(n) }, destination: { pod: xa }, port: 80 });
    expect(from('worker').ingress.reason).toBe('node-local');
    expect(from('worker2').allowed).toBe(false);
    expect(from('worker2').source).toEqual({ kind: 'node', ip: '172.18.0.4', pod: 'kube-system/agent-worker2', node: 'worker2' });
    expect(from('worker2').ingress.message).toContain('from kube-system/agent-worker2 (hostNetwork on worker2, 172.18.0.4)');
  });
  it('an ipBlock with the node address admits a hostNetwork pod of another node', () => {
    const idx = index([np('x', 'p', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '172.18.0.0/16' } }] }] })], { pods });
    expect(evaluateFlow(idx, { source: { pod: hostPod('worker2') }, destination: { pod: xa }, port: 80 }).allowed).toBe(true);
  });
  it('egress to the pod own node is always allowed; to another node only by ipBlock', () => {
    const idx = index([denyAllEgressX], { pods });
    expect(evaluateFlow(idx, { source: { pod: xa }, destination: { node: 'worker' }, port: 10250 }).egress.reason).toBe('node-local');
    expect(evaluateFlow(idx, { source: { pod: xa }, destination: { pod: hostPod('worker2') }, port: 80 }).allowed).toBe(false);
    // The destination is a node, not a pod: nothing to check on ingress.
    expect(evaluateFlow(idx, { source: { pod: xa }, destination: { pod: hostPod('worker2') }, port: 80 }).ingress.reason).toBe('not-a-pod');
  });
  it('a pod cannot block access to itself', () => {
    const v = evaluateFlow(index([np('x', 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] })]), flow('x/a', 'x/a'));
    expect(v.allowed).toBe(true);
    expect(v.ingress.reason).toBe('same-pod');
  });
  it('a bare pod IP resolves to the pod (its labels and namespace count)', () => {
    const idx = index([np('x', 'p', { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b' } } }] }] })]);
    const v = evaluateFlow(idx, { source: { ip: ip('x/b') }, destination: { pod: { namespace: 'x', name: 'a' } }, port: 80 });
    expect(v.allowed).toBe(true);
    expect(v.source).toEqual({ kind: 'pod', ip: ip('x/b'), pod: 'x/b', node: pod('x/b').spec.nodeName });
  });
});

describe('CNI', () => {
  it('flannel enforces nothing and says so', () => {
    const v = evaluateFlow(index([np('x', 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] })], { cni: 'flannel' }), flow('y/a', 'x/a'));
    expect(v).toMatchObject({ allowed: true, enforced: false, cni: 'flannel' });
    expect(v.ingress.reason).toBe('not-enforced');
    expect(v.message).toContain('allowed (CNI flannel does not enforce NetworkPolicy)');
  });
  it('evaluateDirection answers one hook (egress at the source node, ingress at the destination node)', () => {
    const idx = index([denyAllIngressX]);
    expect(evaluateDirection(idx, 'Egress', flow('y/a', 'x/a')).allowed).toBe(true);
    expect(evaluateDirection(idx, 'Ingress', flow('y/a', 'x/a')).allowed).toBe(false);
  });
  it('verdicts are plain JSON (they travel inside a Trace)', () => {
    const v = evaluateFlow(index([denyAllIngressX]), flow('y/a', 'x/a'));
    expect(JSON.parse(JSON.stringify(v))).toEqual(v);
  });
});
