import { describe, expect, it } from 'vitest';
import { createCluster } from '../engine';
import { createSession } from '../shell';
import { compareModes } from './compare';

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: nginx, image: "nginx:1.27", ports: [{name: http, containerPort: 80}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {clusterIP: 10.96.110.110, selector: {app: web}, ports: [{name: http, port: 80, targetPort: http}]}
`;
const IPVS = `---
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: ipvs
`;

/** What the learner's own command prints on the node. */
async function onNode(manifests: string, cmd: string): Promise<string> {
  const c = createCluster({ seed: 2, manifests });
  return (await createSession({ cluster: c }).run(`ssh worker ${cmd}`)).stdout;
}

describe('compare modes', () => {
  it('iptables cluster: live iptables lines on the left, the IPVS shadow on the right as a real IPVS node prints it', async () => {
    const v = compareModes(createCluster({ seed: 2, manifests: WEB }));
    expect(v.node).toBe('worker');
    expect(v.service).toBe('default/web');
    expect(v.services).toEqual(expect.arrayContaining(['default/kubernetes', 'default/web', 'kube-system/kube-dns']));
    const [ipt, ipvs] = v.views;
    expect(ipt).toMatchObject({ mode: 'iptables', live: true });
    expect(ipvs).toMatchObject({ mode: 'ipvs', live: false, command: 'ipvsadm -Ln -t 10.96.110.110:80' });
    expect(ipvs!.text).toBe(await onNode(WEB + IPVS, 'ipvsadm -Ln -t 10.96.110.110:80'));
    // ipvsadm.c list_service: the title without list_all's version line; real servers padded like print_service_entry.
    expect(ipvs!.text).toMatch(/^Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port {11}Forward Weight ActiveConn InActConn\nTCP {2}10\.96\.110\.110:80 rr\n( {2}-> 10\.244\.\d+\.\d+:80 +Masq +1 +0 +0 +\n){2}$/);
  });

  it('IPVS cluster: the iptables shadow on the left prints what an iptables node saves', async () => {
    const v = compareModes(createCluster({ seed: 2, manifests: WEB + IPVS }), 'default/web');
    const [ipt, ipvs] = v.views;
    expect(ipvs).toMatchObject({ mode: 'ipvs', live: true });
    expect(ipt).toMatchObject({ mode: 'iptables', live: false });
    const saved = (await onNode(WEB, 'iptables-save')).split('\n');
    const lines = ipt!.text.trimEnd().split('\n').filter((l) => !l.startsWith('*'));
    expect(lines.filter((l) => l.startsWith('-A KUBE-SEP-') && l.includes('DNAT'))).toHaveLength(2);
    for (const l of lines) expect(saved).toContain(l);
  });

  it('nftables: the Service\'s part of `nft list table ip kube-proxy`, shadow or live, as a real nftables node prints it', async () => {
    const NFT = IPVS.replace('mode: ipvs', 'mode: nftables');
    const shadow = compareModes(createCluster({ seed: 2, manifests: WEB })).views[2]!;
    expect(shadow).toMatchObject({ mode: 'nftables', live: false, command: 'nft list table ip kube-proxy  # the elements and chains of default/web' });
    const real = await onNode(WEB + NFT, 'nft list table ip kube-proxy');
    // Its own chains, each exactly as the whole table lists it (nft 1.0 format, tab-indented).
    const chains = shadow.text.match(/\tchain [^\n]+ \{\n(?:\t\t[^\n]*\n)*\t\}\n/g) ?? [];
    expect(chains.map((c) => c.split(' ')[1])).toEqual([
      expect.stringMatching(/^endpoint-[A-Z2-7]{8}-default\/web\/tcp\/http__10\.244\.\d+\.\d+\/80$/),
      expect.stringMatching(/^endpoint-[A-Z2-7]{8}-default\/web\/tcp\/http__10\.244\.\d+\.\d+\/80$/),
      expect.stringMatching(/^service-[A-Z2-7]{8}-default\/web\/tcp\/http$/),
    ]);
    for (const c of chains) expect(real).toContain(c);
    // Only its elements of the shared set and map: the cluster IP, and the verdict to its chain.
    expect(shadow.text).toMatch(/\tset cluster-ips \{\n[^}]*elements = \{ 10\.96\.110\.110 \}/);
    const element = /elements = \{ (10\.96\.110\.110 \. tcp \. 80 : goto service-\S+) \}/.exec(shadow.text)?.[1];
    expect(element).toBeDefined();
    expect(real).toContain(element!);
    expect(shadow.text).not.toContain('10.96.0.10');
    const live = compareModes(createCluster({ seed: 2, manifests: WEB + NFT })).views[2]!;
    expect(live).toMatchObject({ mode: 'nftables', live: true });
    for (const c of chains) expect(live.text).toContain(c);
  });

  it('another Service and node on request; an unknown one falls back to the default', () => {
    const c = createCluster({ seed: 2, manifests: WEB });
    const dns = compareModes(c, 'kube-system/kube-dns', 'worker2');
    expect([dns.service, dns.node]).toEqual(['kube-system/kube-dns', 'worker2']);
    expect(dns.views[1]!.command).toBe('ipvsadm -Ln -t 10.96.0.10:53; ipvsadm -Ln -t 10.96.0.10:9153; ipvsadm -Ln -u 10.96.0.10:53');
    expect(compareModes(c, 'default/nope', 'nope')).toMatchObject({ service: 'default/web', node: 'worker' });
  });
});
