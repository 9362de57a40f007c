// Properties of NetworkPolicy enforcement through the data path (fast-check): random small
// clusters — 2–5 agnhost porter pods in namespaces default and x, each with its own Service,
// placed by the scheduler — and random policies, applied as objects; every verdict is an
// actual connection (cluster.connect to the Service's ClusterIP or the pod IP, the request
// agnhost connect sends), never the evaluator alone.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { createCluster, matchesSelector, type Cluster, type KubeObject, type LabelSelector, type NetworkPolicy, type NetworkPolicyPeer, type NetworkPolicyPort, type Pod, type Protocol, type Service } from '../index';

interface PodSpec {
  ns: 'default' | 'x';
  app: 'a' | 'b' | 'c';
}

const podSpec: fc.Arbitrary<PodSpec> = fc.record({ ns: fc.constantFrom('default' as const, 'x' as const), app: fc.constantFrom('a' as const, 'b' as const, 'c' as const) });
const pods = fc.array(podSpec, { minLength: 2, maxLength: 5 });

/** porter serves its name on 80/TCP, 80/UDP and 81/SCTP; container ports are named. */
function manifests(ps: PodSpec[], mode: 'iptables' | 'ipvs' = 'iptables'): string {
  const docs = [
    `apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: ${mode}`,
    'apiVersion: v1\nkind: Namespace\nmetadata: {name: x, labels: {team: blue}}',
  ];
  ps.forEach((p, i) => {
    docs.push(`apiVersion: v1
kind: Pod
metadata: {name: p${i}, namespace: ${p.ns}, labels: {app: ${p.app}, name: p${i}}}
spec:
  containers:
  - name: porter
    image: registry.k8s.io/e2e-test-images/agnhost:2.53
    command: [/agnhost, porter]
    env: [{name: SERVE_TCP_PORT_80, value: p${i}}, {name: SERVE_UDP_PORT_80, value: p${i}}, {name: SERVE_SCTP_PORT_81, value: p${i}}]
    ports: [{name: http, containerPort: 80}, {name: dns-ish, containerPort: 80, protocol: UDP}, {name: sctp, containerPort: 81, protocol: SCTP}]`);
    docs.push(`apiVersion: v1
kind: Service
metadata: {name: p${i}, namespace: ${p.ns}}
spec:
  selector: {name: p${i}}
  ports: [{name: tcp, port: 80}, {name: udp, port: 80, protocol: UDP}, {name: sctp, port: 81, protocol: SCTP}]`);
  });
  return docs.join('\n---\n') + '\n';
}

const sel: fc.Arbitrary<LabelSelector> = fc.oneof(
  fc.constant({}),
  fc.constantFrom('a', 'b', 'c').map((a) => ({ matchLabels: { app: a } })),
  fc.subarray(['a', 'b', 'c'], { minLength: 1 }).map((v) => ({ matchExpressions: [{ key: 'app', operator: 'In' as const, values: v }] })),
);
const nsSel: fc.Arbitrary<LabelSelector> = fc.oneof(
  fc.constant({}),
  fc.constant({ matchLabels: { team: 'blue' } }),
  fc.constantFrom('default', 'x').map((n) => ({ matchLabels: { 'kubernetes.io/metadata.name': n } })),
);
const peer: fc.Arbitrary<NetworkPolicyPeer> = fc.oneof(
  sel.map((p) => ({ podSelector: p })),
  nsSel.map((n) => ({ namespaceSelector: n })),
  fc.tuple(sel, nsSel).map(([p, n]) => ({ podSelector: p, namespaceSelector: n })),
  fc.constantFrom<NetworkPolicyPeer[]>({ ipBlock: { cidr: '10.244.1.0/24' } }, { ipBlock: { cidr: '10.244.0.0/16', except: ['10.244.2.0/24'] } }, { ipBlock: { cidr: '0.0.0.0/0' } }),
);
const port: fc.Arbitrary<NetworkPolicyPort> = fc.oneof(
  fc.record({ port: fc.constantFrom(80, 81) }),
  fc.record({ port: fc.constantFrom(80, 81), protocol: fc.constantFrom<Protocol>('TCP', 'UDP', 'SCTP') }),
  fc.constantFrom<NetworkPolicyPort>({ port: 'http' }, { port: 'sctp', protocol: 'SCTP' }, { port: 79, endPort: 81 }, { protocol: 'UDP' }),
);
type Rule = { peers?: NetworkPolicyPeer[]; ports?: NetworkPolicyPort[] };
const rule: fc.Arbitrary<Rule> = fc.record({ peers: fc.option(fc.array(peer, { maxLength: 2 }), { nil: undefined }), ports: fc.option(fc.array(port, { maxLength: 2 }), { nil: undefined }) });
const rules = fc.option(fc.array(rule, { maxLength: 2 }), { nil: undefined });
const toIngress = (r: Rule) => ({ ...(r.peers ? { from: r.peers } : {}), ...(r.ports ? { ports: r.ports } : {}) });
const toEgress = (r: Rule) => ({ ...(r.peers ? { to: r.peers } : {}), ...(r.ports ? { ports: r.ports } : {}) });

const policy = fc
  .record({
    ns: fc.constantFrom('default', 'x'),
    podSelector: sel,
    types: fc.constantFrom(undefined, ['Ingress'], ['Egress'], ['Ingress', 'Egress']) as fc.Arbitrary<('Ingress' | 'Egress')[] | undefined>,
    ingress: rules,
    egress: rules,
  })
  .map(({ ns, podSelector, types, ingress, egress }): { namespace: string; spec: NetworkPolicy['spec'] } => ({
    namespace: ns,
    spec: { podSelector, ...(types ? { policyTypes: types } : {}), ...(ingress ? { ingress: ingress.map(toIngress) } : {}), ...(egress ? { egress: egress.map(toEgress) } : {}) },
  }));
const policies = fc.array(policy, { maxLength: 4 });
const probe = fc.record({ protocol: fc.constantFrom<Protocol>('TCP', 'UDP', 'SCTP'), viaService: fc.boolean() });

function apply(cluster: Cluster, ps: { namespace: string; spec: NetworkPolicy['spec'] }[]): void {
  ps.forEach((p, i) => {
    const [r] = cluster.apply(stringify({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `np${i}`, namespace: p.namespace }, spec: p.spec }));
    if (!r?.ok) throw new Error(`policy np${i} rejected: ${r ? JSON.stringify(r) : 'no result'}`);
  });
}

function boot(ps: PodSpec[], mode: 'iptables' | 'ipvs' = 'iptables'): Cluster {
  const cluster = createCluster({ seed: 1, manifests: manifests(ps, mode) });
  cluster.tick(10_000);
  return cluster;
}

/** Connections seen, by how kube-proxy sent them (to keep the properties from passing vacuously). */
const seen = { ipvs: 0, iptables: 0, denied: 0, allowed: 0 };

/** from × to: did `agnhost connect` succeed? (TCP: 80, UDP: 80, SCTP: 81) */
function matrix(cluster: Cluster, n: number, p: { protocol: Protocol; viaService: boolean }): boolean[][] {
  const list = <T extends KubeObject>(kind: string) => { const r = cluster.list<T>(kind); return r.ok ? r.value : []; };
  const podList = list<Pod>('Pod');
  const svcList = list<Service>('Service');
  const podOf = (i: number) => podList.find((q) => q.metadata.name === `p${i}`)!;
  const ipOf = (i: number) => (p.viaService ? svcList.find((s) => s.metadata.name === `p${i}`)!.spec.clusterIP! : podOf(i).status!.podIP!);
  const port = p.protocol === 'SCTP' ? 81 : 80;
  const idx = [...Array(n).keys()];
  return idx.map((f) => idx.map((t) => {
    const pod = podOf(f);
    const r = cluster.connect({
      from: { pod: { namespace: pod.metadata.namespace!, name: pod.metadata.name } }, to: { ip: ipOf(t), port, protocol: p.protocol },
      ...(p.protocol !== 'TCP' ? { payload: { kind: 'bytes' as const, text: 'hostname\n' } } : {}),
    });
    const hops = r.trace.hops.filter((h) => h.kind === 'node');
    if (hops.some((h) => h.ipvs)) seen.ipvs++;
    if (hops.some((h) => h.rules.some((x) => x.chain.startsWith('KUBE-SVC-')))) seen.iptables++;
    seen[r.outcome === 'connected' ? 'allowed' : 'denied']++;
    return r.outcome === 'connected';
  }));
}

/** Does any policy in the pod's namespace select it for `dir` (policyTypes as the API defaults them)? */
function isolated(pod: PodSpec, index: number, ps: { namespace: string; spec: NetworkPolicy['spec'] }[], dir: 'Ingress' | 'Egress'): boolean {
  return ps.some((p) => {
    if (p.namespace !== pod.ns || !matchesSelector(p.spec.podSelector, { app: pod.app, name: `p${index}` })) return false;
    const types = p.spec.policyTypes ?? ['Ingress', ...((p.spec.egress?.length ?? 0) > 0 ? ['Egress' as const] : [])];
    return types.includes(dir);
  });
}

const SLOW = 120_000;

describe('NetworkPolicy through the data path: properties', () => {
  it('adding an allow rule to a policy never removes a connection', () => {
    let gained = 0;
    fc.assert(
      fc.property(pods, policies.filter((ps) => ps.length > 0), fc.nat(), rule, fc.boolean(), probe, (podSpecs, ps, which, extra, ingress, p) => {
        const cluster = boot(podSpecs);
        apply(cluster, ps);
        const before = matrix(cluster, podSpecs.length, p);
        const i = which % ps.length;
        const target = ps[i]!;
        // Pin policyTypes, so the new rule cannot make the policy isolate another direction.
        const types = target.spec.policyTypes ?? ['Ingress', ...((target.spec.egress?.length ?? 0) > 0 ? ['Egress' as const] : [])];
        const spec: NetworkPolicy['spec'] = { ...target.spec, policyTypes: types };
        if (ingress) spec.ingress = [...(target.spec.ingress ?? []), toIngress(extra)];
        else spec.egress = [...(target.spec.egress ?? []), toEgress(extra)];
        apply(cluster, ps.map((q, k) => (k === i ? { ...q, spec } : q)));
        const after = matrix(cluster, podSpecs.length, p);
        before.forEach((row, f) => row.forEach((ok, t) => {
          if (ok) expect(after[f]![t], `p${f} -> p${t} lost`).toBe(true);
          else if (after[f]![t]) gained++;
        }));
      }),
      { numRuns: 40 },
    );
    expect(gained).toBeGreaterThan(0);
  }, SLOW);

  it('a pod selected by no policy accepts everything (from sources free to send)', () => {
    let checked = 0;
    seen.denied = 0;
    fc.assert(
      fc.property(pods, policies, probe, (podSpecs, ps, p) => {
        const cluster = boot(podSpecs);
        apply(cluster, ps);
        const m = matrix(cluster, podSpecs.length, p);
        podSpecs.forEach((to, t) => {
          if (isolated(to, t, ps, 'Ingress')) return;
          podSpecs.forEach((from, f) => {
            if (!isolated(from, f, ps, 'Egress')) {
              expect(m[f]![t], `p${f} -> p${t}`).toBe(true);
              checked++;
            }
          });
        });
      }),
      { numRuns: 40 },
    );
    expect(checked).toBeGreaterThan(0);
    expect(seen.denied).toBeGreaterThan(0);
  }, SLOW);

  it('the verdict to a ClusterIP is the same in iptables and IPVS mode', () => {
    Object.assign(seen, { ipvs: 0, iptables: 0, denied: 0, allowed: 0 });
    fc.assert(
      fc.property(pods, policies, fc.constantFrom<Protocol>('TCP', 'UDP', 'SCTP'), (podSpecs, ps, protocol) => {
        const results = (['iptables', 'ipvs'] as const).map((mode) => {
          const cluster = boot(podSpecs, mode);
          apply(cluster, ps);
          return matrix(cluster, podSpecs.length, { protocol, viaService: true });
        });
        expect(results[1]).toEqual(results[0]);
      }),
      { numRuns: 30 },
    );
    // Both proxiers really carried the flows, and policies really denied some.
    expect(seen.ipvs).toBeGreaterThan(0);
    expect(seen.iptables).toBeGreaterThan(0);
    expect(seen.denied).toBeGreaterThan(0);
  }, SLOW);
});
