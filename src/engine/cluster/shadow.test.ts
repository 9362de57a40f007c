import { describe, expect, it } from 'vitest';
import { createCluster, iptablesSaveCommand, type Cluster, type IpvsService } from '../index';

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: nginx, image: "nginx:1.27", ports: [{name: http, containerPort: 80}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {type: NodePort, clusterIP: 10.96.110.110, selector: {app: web}, ports: [{name: http, port: 80, targetPort: http, nodePort: 30080}]}
`;
const IPVS = `---
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: ipvs
`;

function rules(c: Cluster, mode: 'iptables' | 'ipvs', node = 'worker') {
  const r = c.serviceRules('default', 'web', { mode, node });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const vsView = (list: IpvsService[]) =>
  list.map((s) => ({ vs: `${s.protocol} ${s.address}:${s.port} ${s.scheduler} flags=${s.flags}`, rs: s.dests.map((d) => `${d.address}:${d.port} w${d.weight}`).sort() }));

function save(c: Cluster, node: string): string {
  const h = c.node(node);
  if (!h.ok) throw new Error(h.error.message);
  return iptablesSaveCommand(h.value.netfilter, [], 0).stdout;
}

describe('serviceRules: a shadow kube-proxy of the other mode', () => {
  const iptablesCluster = createCluster({ seed: 7, manifests: WEB });
  const ipvsCluster = createCluster({ seed: 7, manifests: WEB + IPVS });

  it('IPVS shadow on an iptables cluster = the virtual servers a real IPVS node has', () => {
    const shadow = rules(iptablesCluster, 'ipvs');
    const real = rules(ipvsCluster, 'ipvs');
    expect([shadow.live, real.live]).toEqual([false, true]);
    // ClusterIP + one NodePort virtual server per node address, each with the 3 endpoints.
    expect(vsView(real.virtualServers).some((v) => v.vs === 'TCP 10.96.110.110:80 rr flags=0' && v.rs.length === 3)).toBe(true);
    expect(real.virtualServers.some((s) => s.port === 30080 && s.address === '172.18.0.3')).toBe(true);
    expect(vsView(shadow.virtualServers)).toEqual(vsView(real.virtualServers));
  });

  it('iptables shadow on an IPVS cluster = the lines a real iptables node saves', () => {
    const shadow = rules(ipvsCluster, 'iptables');
    const real = rules(iptablesCluster, 'iptables');
    expect([shadow.live, real.live]).toEqual([false, true]);
    expect(shadow.iptables).toEqual(real.iptables);
    // The Service's chain: entry in KUBE-SERVICES, KUBE-SVC with 1/3 and 1/2 probabilities, three KUBE-SEPs.
    expect(real.iptables.filter((l) => /^-A KUBE-SERVICES -d 10\.96\.110\.110\/32 -p tcp .*-j KUBE-SVC-/.test(l))).toHaveLength(1);
    expect(real.iptables.filter((l) => /^-A KUBE-SVC-\S+ .*-m statistic --mode random --probability 0\.33333333349 -j KUBE-SEP-/.test(l))).toHaveLength(1);
    expect(real.iptables.filter((l) => /^-A KUBE-SEP-\S+ .*-j DNAT --to-destination 10\.244\.\d+\.\d+:80$/.test(l))).toHaveLength(3);
    expect(real.iptables.some((l) => l.startsWith('-A KUBE-NODEPORTS ') && l.includes('--dport 30080'))).toBe(true);
    // Every line is one the node's own iptables-save prints.
    const printed = save(iptablesCluster, 'worker').split('\n');
    for (const l of real.iptables) if (!l.startsWith('*')) expect(printed).toContain(l);
    // Another Service's rules are not in this one's list.
    expect(real.iptables.some((l) => l.includes('kube-dns'))).toBe(false);
  });

  it('changes nothing in the cluster: node rules, IPVS, and the PRNG draw the same afterwards', () => {
    const a = createCluster({ seed: 3, manifests: WEB });
    const b = createCluster({ seed: 3, manifests: WEB });
    const before = save(a, 'worker');
    rules(a, 'ipvs', 'worker');
    rules(a, 'ipvs', 'worker2');
    expect(save(a, 'worker')).toBe(before);
    const ah = a.node('worker');
    expect(ah.ok && ah.value.ipvs.sortedServices()).toEqual([]);
    for (const c of [a, b]) c.apply('apiVersion: v1\nkind: Pod\nmetadata: {generateName: x-}\nspec: {containers: [{name: c, image: "busybox:1.36"}]}\n');
    const names = (c: Cluster) => (c.list('Pod', { namespace: 'default' }) as { ok: true; value: { metadata: { name: string } }[] }).value.map((p) => p.metadata.name);
    expect(names(a)).toEqual(names(b));
  });

  it('follows the cluster: a scaled Deployment changes the shadow too', () => {
    const c = createCluster({ seed: 5, manifests: WEB });
    expect(rules(c, 'ipvs').virtualServers[0]!.dests).toHaveLength(3);
    c.patch('Deployment', 'default', 'web', { spec: { replicas: 1 } });
    c.tick(60_000);
    const vs = rules(c, 'ipvs').virtualServers.find((s) => s.address === '10.96.110.110')!;
    expect(vs.dests).toHaveLength(1);
  });

  it('an unknown Service or node is NotFound', () => {
    const c = iptablesCluster;
    const s = c.serviceRules('default', 'nope', { mode: 'ipvs', node: 'worker' });
    expect(!s.ok && s.error.message).toBe('services "nope" not found');
    const n = c.serviceRules('default', 'web', { mode: 'ipvs', node: 'nope' });
    expect(!n.ok && n.error.message).toBe('nodes "nope" not found');
  });
});
