// Property (issue 9): iptables, IPVS and nftables modes give the same reachable endpoint set,
// with the same shares, for every flow of random clusters: ClusterIP flows from a pod and
// from the node, NodePort flows from outside (Cluster and Local external traffic policy).
// One known difference is left out: an outside flow to a Local NodePort on a node without a
// local endpoint is dropped by iptables and nftables, while the IPVS proxier, like upstream's
// syncEndpoint (kubernetes PR 97081), forwards it to the cluster's endpoints unmasqueraded —
// the reply then bypasses the node and the client discards it, so end to end it fails in all
// three modes (src/engine/network/datapath.test.ts); here only iptables and nftables are compared.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCluster, type Cluster, type NodeHost, type Service } from '../index';

const KP = (mode: string) => `apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: ${mode}\n---\n`;

type Kind = 'ClusterIP' | 'NodePort' | 'Local';
const apps = (spec: { replicas: number; kind: Kind }[]): string => spec.map(({ replicas, kind }, i) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: app${i}, namespace: default}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: app${i}}}
  template:
    metadata: {labels: {app: app${i}}}
    spec: {containers: [{name: web, image: nginx}]}
---
apiVersion: v1
kind: Service
metadata: {name: app${i}, namespace: default}
spec:
  ${kind === 'ClusterIP' ? '' : `type: NodePort\n  ${kind === 'Local' ? 'externalTrafficPolicy: Local\n  ' : ''}`}selector: {app: app${i}}
  ports: [{port: ${80 + i}, targetPort: 80${kind === 'ClusterIP' ? '' : `, nodePort: ${30080 + i}`}}]
`).join('---\n');

function node(c: Cluster, name: string): NodeHost {
  const h = c.node(name);
  if (!h.ok) throw new Error(h.error.message);
  return h.value;
}

/** Where a new flow can go, with its probability: `ip:port`, or the verdict when it does not get through. */
function outcomes(h: NodeHost, packet: Parameters<NodeHost['explore']>[0], origin: 'in' | 'local'): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of h.explore(packet, { origin })) {
    const k = e.endpoint ?? (e.result.verdict === 'ACCEPT' ? 'ACCEPT' : 'blocked');
    out.set(k, (out.get(k) ?? 0) + e.probability);
  }
  return out;
}

function flows(c: Cluster, h: NodeHost): { name: string; packet: Parameters<NodeHost['explore']>[0]; origin: 'in' | 'local' }[] {
  const svcs = c.list<Service>('Service', { namespace: 'default' });
  if (!svcs.ok) throw new Error('list');
  const veth = h.interfaces.find((i) => i.pod);
  const out: ReturnType<typeof flows> = [];
  for (const s of svcs.value.filter((x) => x.metadata.name.startsWith('app'))) {
    const port = s.spec.ports![0]!;
    const dst = { dst: s.spec.clusterIP!, proto: 'tcp' as const, sport: 50000, dport: port.port };
    if (veth) out.push({ name: `${s.metadata.name} from a pod`, packet: { src: veth.pod!.ip, inIface: veth.name, ...dst }, origin: 'in' });
    out.push({ name: `${s.metadata.name} from the node`, packet: { src: h.ip, ...dst }, origin: 'local' });
    if (port.nodePort) {
      const local = s.spec.externalTrafficPolicy === 'Local';
      out.push({ name: `${s.metadata.name} NodePort from outside${local ? ' (Local)' : ''}`, packet: { src: '172.18.0.1', dst: h.ip, proto: 'tcp', sport: 50000, dport: port.nodePort, inIface: 'eth0' }, origin: 'in' });
    }
  }
  return out;
}

describe('kube-proxy modes agree', () => {
  it('property: iptables, IPVS and nftables reach the same endpoints with the same shares', () => {
    const spec = fc.array(fc.record({ replicas: fc.integer({ min: 0, max: 3 }), kind: fc.constantFrom<Kind>('ClusterIP', 'NodePort', 'Local') }), { minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(spec, fc.integer({ min: 1, max: 1000 }), fc.constantFrom('worker', 'worker2'), (s, seed, nodeName) => {
        const clusters = (['iptables', 'ipvs', 'nftables'] as const).map((mode) => createCluster({ seed, manifests: KP(mode) + apps(s) }));
        const hosts = clusters.map((c) => node(c, nodeName));
        const [ipt, ipvs, nft] = hosts.map((h, i) => new Map(flows(clusters[i]!, h).map((f) => [f.name, outcomes(h, f.packet, f.origin)])));
        expect([...nft!.keys()]).toEqual([...ipt!.keys()]);
        for (const [name, want] of ipt!) {
          const reached = (m: Map<string, number>): string[] => [...m.keys()].filter((k) => k.includes(':')).sort();
          const live = reached(want);
          for (const other of name.endsWith('(Local)') ? [nft!.get(name)!] : [nft!.get(name)!, ipvs!.get(name)!]) {
            expect(reached(other), name).toEqual(live);
            for (const k of live) expect(other.get(k), `${name} → ${k}`).toBeCloseTo(want.get(k)!, 9);
          }
          // A flow that reaches no endpoint does not get through in any mode.
          if (live.length === 0) expect([...nft!.get(name)!.keys()], name).toEqual(['blocked']);
        }
      }),
      { numRuns: 8, seed: 9 },
    );
  }, 120_000);
});
