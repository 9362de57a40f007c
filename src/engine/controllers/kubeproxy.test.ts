import { describe, expect, it } from 'vitest';
import { createCluster, type Cluster, type NodeHost } from '../index';
import { iptables, iptablesSave } from '../netfilter';

const web = (replicas: number): string => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: nginx, image: nginx:1.27}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 80}]
`;

function node(c: Cluster, name = 'worker'): NodeHost {
  const h = c.node(name);
  if (!h.ok) throw new Error(h.error.message);
  return h.value;
}

function natRules(h: NodeHost, chain: string): string[] {
  return iptables(h.netfilter, ['-t', 'nat', '-S', chain]).stdout.trim().split('\n').filter((l) => l.startsWith('-A'));
}

function clusterIP(c: Cluster): string {
  const s = c.get<{ spec: { clusterIP: string } } & import('../index').KubeObject>('Service', 'default', 'web');
  if (!s.ok) throw new Error('no svc');
  return s.value.spec.clusterIP;
}

/** Where a new TCP flow from a pod on `h` to the Service goes, as the node's rules say. */
function reach(h: NodeHost, dst: string, port = 80): string[] {
  const veth = h.interfaces.find((i) => i.pod)!;
  return h.explore({ src: veth.pod!.ip, dst, proto: 'tcp', sport: 45000, dport: port, inIface: veth.name }, { origin: 'in' })
    .filter((e) => e.endpoint).map((e) => e.endpoint!).sort();
}

describe('kube-proxy controller', () => {
  it('answers node(name) with NotFound for an unknown node', () => {
    const c = createCluster({ seed: 1 });
    const r = c.node('nope');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toBe('nodes "nope" not found');
  });

  it('writes a Service\'s chains into every node\'s netfilter, and rewrites them as it scales 1 → 3 → 0', () => {
    const c = createCluster({ seed: 1, manifests: web(1) });
    const ip = clusterIP(c);
    for (const n of ['control-plane', 'worker', 'worker2']) {
      expect(natRules(node(c, n), 'KUBE-SERVICES').some((r) => r.includes(`-d ${ip}/32`) && r.includes('"default/web:http cluster IP"'))).toBe(true);
    }
    const h = node(c);
    expect(reach(h, ip)).toHaveLength(1);

    c.patch('Deployment', 'default', 'web', { spec: { replicas: 3 } });
    c.tick(30_000);
    const svcChain = natRules(h, 'KUBE-SERVICES').find((r) => r.includes('default/web:http cluster IP'))!.split(' -j ')[1]!;
    const svc = natRules(h, svcChain);
    expect(svc.filter((r) => r.includes('--probability'))).toHaveLength(2);
    expect(svc.some((r) => r.includes('--probability 0.33333333349'))).toBe(true);
    expect(reach(h, ip)).toHaveLength(3);

    c.patch('Deployment', 'default', 'web', { spec: { replicas: 0 } });
    c.tick(60_000);
    // No endpoints: the filter table REJECTs (and the nat chain is gone).
    const filter = iptables(h.netfilter, ['-t', 'filter', '-S', 'KUBE-SERVICES']).stdout;
    expect(filter).toContain(`-A KUBE-SERVICES -d ${ip}/32 -p tcp -m comment --comment "default/web:http has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable`);
    expect(natRules(h, 'KUBE-SERVICES').some((r) => r.includes('default/web'))).toBe(false);
    const veth = h.interfaces.find((i) => i.pod)!;
    const r = h.evaluate({ src: veth.pod!.ip, dst: ip, proto: 'tcp', sport: 45001, dport: 80, inIface: veth.name }, { origin: 'in' });
    expect(r.verdict).toBe('REJECT');
  });

  // Real iptables refuses DROP in the nat table ("The "nat" table is not intended for
  // filtering"), so the breakage a learner can make is in filter KUBE-SERVICES, which
  // kube-proxy also rewrites on every sync.
  it('refuses DROP in nat KUBE-SERVICES, as iptables does', () => {
    const c = createCluster({ seed: 2 });
    const r = iptables(node(c).netfilter, ['-t', 'nat', '-I', 'KUBE-SERVICES', '1', '-j', 'DROP']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('The "nat" table is not intended for filtering');
  });

  it('a hand-inserted DROP in filter KUBE-SERVICES breaks traffic until kube-proxy\'s next periodic sync', () => {
    const c = createCluster({ seed: 2, manifests: web(2) });
    const ip = clusterIP(c);
    const h = node(c);
    const veth = h.interfaces.find((i) => i.pod)!;
    const flow = (sport: number) => h.evaluate({ src: veth.pod!.ip, dst: ip, proto: 'tcp', sport, dport: 80, inIface: veth.name }, { origin: 'in' });
    expect(flow(40000).verdict).toBe('ACCEPT');
    expect(iptables(h.netfilter, ['-t', 'filter', '-I', 'KUBE-SERVICES', '1', '-j', 'DROP']).exitCode).toBe(0);
    const dropped = flow(40001);
    expect(dropped.verdict).toBe('DROP');
    expect(dropped.droppedAt).toMatchObject({ hook: 'FORWARD', table: 'filter', chain: 'KUBE-SERVICES', rule: 1 });
    // Broken until the next periodic sync (syncPeriod 30 s) rewrites KUBE-SERVICES whole.
    let waited = 0;
    while (iptables(h.netfilter, ['-t', 'filter', '-S', 'KUBE-SERVICES']).stdout.includes('-j DROP')) {
      expect(flow(41000 + waited).verdict).toBe('DROP');
      c.tick(1000);
      waited++;
      expect(waited).toBeLessThanOrEqual(30);
    }
    expect(flow(40003).verdict).toBe('ACCEPT');
    // An established flow keeps its conntrack entry throughout.
    expect(flow(40000).conntrack.state).toBe('NEW');
  });

  it('leaves chains it does not own alone', () => {
    const c = createCluster({ seed: 3, manifests: web(1) });
    const h = node(c);
    iptables(h.netfilter, ['-t', 'nat', '-N', 'MY-CHAIN']);
    iptables(h.netfilter, ['-t', 'nat', '-A', 'MY-CHAIN', '-j', 'RETURN']);
    c.tick(65_000);
    expect(natRules(h, 'MY-CHAIN')).toEqual(['-A MY-CHAIN -j RETURN']);
    expect(natRules(h, 'KIND-MASQ-AGENT')).toHaveLength(2);
  });

  it('switches mode like an admin: edit the ConfigMap, replace the pods; iptables leftovers stay as upstream leaves them', () => {
    const c = createCluster({ seed: 4, manifests: web(2) });
    const ip = clusterIP(c);
    const h = node(c);
    const before = reach(h, ip);
    const cm = c.get<import('../index').ConfigMap>('ConfigMap', 'kube-system', 'kube-proxy');
    if (!cm.ok) throw new Error('no cm');
    const conf = cm.value.data!['config.conf']!.replace(/^mode: iptables$/m, 'mode: ipvs');
    c.patch('ConfigMap', 'kube-system', 'kube-proxy', { data: { 'config.conf': conf } });
    c.tick(5_000);
    // Read at start-up only: nothing changed yet.
    expect(h.link('kube-ipvs0')).toBeUndefined();
    const pods = c.list('Pod', { namespace: 'kube-system', labelSelector: 'k8s-app=kube-proxy' });
    if (!pods.ok) throw new Error('no pods');
    for (const p of pods.value) c.delete('Pod', 'kube-system', p.metadata.name);
    c.tick(60_000);
    expect(h.link('kube-ipvs0')?.addresses.map((a) => a.address)).toContain(ip);
    expect(h.ipvs.getService('TCP', ip, 80)?.dests).toHaveLength(2);
    expect(h.ipsets.get('KUBE-CLUSTER-IP')?.members.has(`${ip},tcp:80`)).toBe(true);
    // platformCleanup does not clean iptables-mode leftovers when starting in ipvs mode.
    const save = iptablesSave(h.netfilter, { now: c.now(), table: 'nat' });
    expect(save).toMatch(/:KUBE-SVC-[A-Z0-9]{16} - /);
    expect(natRules(h, 'KUBE-SERVICES').some((r) => r.includes('KUBE-SVC-'))).toBe(false);
    expect(reach(h, ip)).toEqual(before);
    const newPod = c.list('Pod', { namespace: 'kube-system', labelSelector: 'k8s-app=kube-proxy', fieldSelector: `spec.nodeName=worker` });
    if (!newPod.ok) throw new Error('no pods');
    const logs = c.logs('kube-system', newPod.value[0]!.metadata.name);
    expect(logs.ok && logs.value).toContain('server_linux.go:186] "Using ipvs Proxier"');
    expect(logs.ok && logs.value).toContain('Caches are synced for endpoint slice config');
  });

  it('logs upstream\'s start-up lines', () => {
    const c = createCluster({ seed: 1 });
    const pods = c.list('Pod', { namespace: 'kube-system', labelSelector: 'k8s-app=kube-proxy' });
    if (!pods.ok) throw new Error('no pods');
    const log = c.logs('kube-system', pods.value[0]!.metadata.name);
    if (!log.ok) throw new Error(log.error.message);
    const lines = log.value.trimEnd().split('\n');
    expect(lines.some((l) => /^I\d{4} \d\d:\d\d:\d\d\.\d{6} {7}1 server_linux\.go:129\] "Using iptables Proxier"$/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/shared_informer\.go:320\] Caches are synced for endpoint slice config$/);
  });
});
