// Properties of NetworkPolicy semantics over random policies on the e2e model (fast-check).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { LabelSelector, NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, Protocol } from '../model/types';
import { e2eModel } from './e2emodel';
import { buildNetpolIndex, evaluateFlow, type CniName, type NetpolIndex } from './index';

const model = e2eModel();
const NS = ['x', 'y', 'z'] as const;
const PROTOS: Protocol[] = ['TCP', 'UDP', 'SCTP'];

const podSel: fc.Arbitrary<LabelSelector> = fc.oneof(
  fc.constant({}),
  fc.constantFrom('a', 'b', 'c').map((p) => ({ matchLabels: { pod: p } })),
  fc.subarray(['a', 'b', 'c'], { minLength: 1 }).map((v) => ({ matchExpressions: [{ key: 'pod', operator: 'In' as const, values: v }] })),
  fc.constantFrom('a', 'b').map((p) => ({ matchExpressions: [{ key: 'pod', operator: 'NotIn' as const, values: [p] }] })),
);
const nsSel: fc.Arbitrary<LabelSelector> = fc.oneof(
  fc.constant({}),
  fc.constantFrom(...NS).map((n) => ({ matchLabels: { ns: n } })),
  fc.constantFrom(...NS).map((n) => ({ matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn' as const, values: [n] }] })),
);
const peer: fc.Arbitrary<NetworkPolicyPeer> = fc.oneof(
  podSel.map((p) => ({ podSelector: p })),
  nsSel.map((n) => ({ namespaceSelector: n })),
  fc.tuple(podSel, nsSel).map(([p, n]) => ({ podSelector: p, namespaceSelector: n })),
  fc.constantFrom<NetworkPolicyPeer[]>(
    { ipBlock: { cidr: '10.244.1.0/24' } },
    { ipBlock: { cidr: '10.244.0.0/16', except: ['10.244.2.0/24'] } },
    { ipBlock: { cidr: '0.0.0.0/0' } },
    { ipBlock: { cidr: '172.18.0.0/16' } },
  ),
);
const port: fc.Arbitrary<NetworkPolicyPort> = fc.oneof(
  fc.record({ port: fc.constantFrom(80, 81) }),
  fc.record({ port: fc.constantFrom(80, 81), protocol: fc.constantFrom(...PROTOS) }),
  fc.record({ protocol: fc.constantFrom(...PROTOS) }),
  fc.record({ port: fc.constant(79), endPort: fc.constantFrom(80, 81) }),
  fc.tuple(fc.constantFrom(...PROTOS), fc.constantFrom(80, 81)).map(([p, n]) => ({ port: `serve-${n}-${p.toLowerCase()}`, protocol: p })),
);
const rule = fc.record({ peers: fc.option(fc.array(peer, { maxLength: 3 }), { nil: undefined }), ports: fc.option(fc.array(port, { maxLength: 2 }), { nil: undefined }) });
const rules = fc.option(fc.array(rule, { maxLength: 3 }), { nil: undefined });

let serial = 0;
const policy: fc.Arbitrary<NetworkPolicy> = fc
  .record({
    ns: fc.constantFrom(...NS),
    podSelector: podSel,
    types: fc.constantFrom(undefined, ['Ingress'], ['Egress'], ['Ingress', 'Egress']) as fc.Arbitrary<('Ingress' | 'Egress')[] | undefined>,
    ingress: rules,
    egress: rules,
  })
  .map(({ ns, podSelector, types, ingress, egress }) => {
    const spec: NetworkPolicy['spec'] = { podSelector };
    if (types) spec.policyTypes = types;
    if (ingress) spec.ingress = ingress.map((r) => ({ ...(r.peers ? { from: r.peers } : {}), ...(r.ports ? { ports: r.ports } : {}) }));
    if (egress) spec.egress = egress.map((r) => ({ ...(r.peers ? { to: r.peers } : {}), ...(r.ports ? { ports: r.ports } : {}) }));
    const name = `p${serial++}`;
    return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns, uid: name, resourceVersion: '1', creationTimestamp: '' }, spec };
  });
const policies = fc.array(policy, { maxLength: 6 });

const probe = fc.record({ port: fc.constantFrom(80, 81), protocol: fc.constantFrom(...PROTOS) });

function build(ps: NetworkPolicy[], cni: CniName = 'kindnet') {
  return buildNetpolIndex({ policies: ps, pods: model.pods, namespaces: model.namespaces, nodes: model.nodes, cni });
}
function matrix(idx: NetpolIndex, p: { port: number; protocol: Protocol }) {
  return model.pods.map((from) => model.pods.map((to) => evaluateFlow(idx, { source: { pod: from }, destination: { pod: to }, ...p })));
}

describe('NetworkPolicy properties', () => {
  it('adding an allow rule to an existing policy never removes a connection', () => {
    fc.assert(
      fc.property(policies.filter((ps) => ps.length > 0), fc.nat(), rule, fc.boolean(), probe, (ps, which, extra, ingress, p) => {
        const before = matrix(build(ps), p);
        const target = ps[which % ps.length]!;
        const spec = JSON.parse(JSON.stringify(target.spec)) as NetworkPolicy['spec'];
        if (ingress) spec.ingress = [...(spec.ingress ?? []), { ...(extra.peers ? { from: extra.peers } : {}), ...(extra.ports ? { ports: extra.ports } : {}) }];
        else spec.egress = [...(spec.egress ?? []), { ...(extra.peers ? { to: extra.peers } : {}), ...(extra.ports ? { ports: extra.ports } : {}) }];
        // Pin policyTypes so the new rule cannot change which directions the policy isolates.
        spec.policyTypes = target.spec.policyTypes?.length ? target.spec.policyTypes : (target.spec.egress?.length ?? 0) > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
        const after = matrix(build(ps.map((q) => (q === target ? { ...q, spec } : q))), p);
        before.forEach((row, i) => row.forEach((v, j) => { if (v.allowed) expect(after[i]![j]!.allowed).toBe(true); }));
      }),
      { numRuns: 150 },
    );
  });

  it('adding a policy removes a connection only where it newly isolates one end', () => {
    fc.assert(
      fc.property(policies, policy, probe, (ps, added, p) => {
        const before = matrix(build(ps), p);
        const after = matrix(build([...ps, added]), p);
        before.forEach((row, i) =>
          row.forEach((v, j) => {
            if (!v.allowed || after[i]![j]!.allowed) return;
            const a = after[i]![j]!;
            const newlyIsolated =
              (!a.egress.allowed && v.egress.reason === 'not-isolated' && a.egress.isolatedBy.includes(added.metadata.name)) ||
              (!a.ingress.allowed && v.ingress.reason === 'not-isolated' && a.ingress.isolatedBy.includes(added.metadata.name));
            expect(newlyIsolated).toBe(true);
          }),
        );
      }),
      { numRuns: 150 },
    );
  });

  it('a pod selected by no (ingress) policy accepts everything', () => {
    fc.assert(
      fc.property(policies, probe, (ps, p) => {
        const idx = build(ps);
        model.pods.forEach((to) => {
          if (idx.selecting(to).ingress.length > 0) return;
          model.pods.forEach((from) => expect(evaluateFlow(idx, { source: { pod: from }, destination: { pod: to }, ...p }).ingress.allowed).toBe(true));
          expect(evaluateFlow(idx, { source: { ip: '198.51.100.7' }, destination: { pod: to }, ...p }).allowed).toBe(true);
        });
      }),
      { numRuns: 100 },
    );
  });

  it('flannel allows everything, whatever the policies', () => {
    fc.assert(
      fc.property(policies, probe, (ps, p) => {
        expect(matrix(build(ps, 'flannel'), p).every((row) => row.every((v) => v.allowed && !v.enforced))).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('the order of policies never changes a verdict', () => {
    fc.assert(
      fc.property(policies, probe, (ps, p) => {
        const a = matrix(build(ps), p).map((r) => r.map((v) => v.allowed));
        const b = matrix(build([...ps].reverse()), p).map((r) => r.map((v) => v.allowed));
        expect(b).toEqual(a);
      }),
      { numRuns: 100 },
    );
  });
});
