/**
 * The lab's "compare modes" view (lab.yaml `modeSwitch: true`): one Service as kube-proxy
 * programs it in iptables mode (its iptables-save lines), in IPVS mode (`ipvsadm -Ln -t
 * VIP:PORT`) and in nftables mode (its part of `nft list table ip kube-proxy`), on one node. The node's own mode shows its live rules; the other mode comes from
 * the engine's shadow proxier (cluster.serviceRules), so the learner's cluster never changes.
 */
import type { Cluster, RulesMode, Service } from '../engine';
import { ipvsadm, ipvsView } from '../shell';

export interface ModeView {
  mode: RulesMode;
  /** The node's kube-proxy runs this mode: these are its rules now. */
  live: boolean;
  /** What a learner would type on the node to see the same text. */
  command: string;
  text: string;
}

export interface CompareView {
  /** Every node, and the one shown. */
  nodes: string[];
  node: string;
  /** Every Service with a ClusterIP, `namespace/name`. */
  services: string[];
  /** The one shown ('' when there is none). */
  service: string;
  views: ModeView[];
}

const MODES: RulesMode[] = ['iptables', 'ipvs', 'nftables'];

export function compareModes(cluster: Cluster, wanted?: string, wantedNode?: string): CompareView {
  const all = cluster.list<Service>('Service');
  const services = all.ok ? all.value.filter((s) => s.spec.clusterIP && s.spec.clusterIP !== 'None').map((s) => `${s.metadata.namespace}/${s.metadata.name}`) : [];
  const nodes = cluster.list('Node');
  const nodeNames = nodes.ok ? nodes.value.map((n) => n.metadata.name) : [];
  const node = wantedNode && nodeNames.includes(wantedNode) ? wantedNode : nodeNames.find((n) => n === 'worker') ?? nodeNames[0] ?? '';
  // Default: the lab's own Service (not the API server's or the cluster DNS's).
  const service = wanted && services.includes(wanted) ? wanted : services.find((s) => !s.startsWith('kube-system/') && s !== 'default/kubernetes') ?? services[0] ?? '';
  if (!service || !node) return { nodes: nodeNames, node, services, service, views: [] };
  const [ns, name] = service.split('/') as [string, string];
  const views = MODES.map((mode): ModeView => {
    const r = cluster.serviceRules(ns, name, { mode, node });
    if (!r.ok) return { mode, live: false, command: '', text: r.error.message };
    const v = r.value;
    if (mode === 'iptables') {
      return { mode, live: v.live, command: `iptables-save  # the chains and rules of ${service}`, text: v.iptables.length ? v.iptables.join('\n') + '\n' : '(no rules for this Service)\n' };
    }
    if (mode === 'nftables') {
      return { mode, live: v.live, command: `nft list table ip kube-proxy  # the elements and chains of ${service}`, text: v.nft || '(no nftables rules for this Service)\n' };
    }
    const svc = cluster.get<Service>('Service', ns, name);
    const vip = svc.ok ? svc.value.spec.clusterIP : '';
    const table = ipvsView(v.host.ipvs, () => v.host.now());
    const clusterIPs = v.virtualServers.filter((s) => s.address === vip);
    const flag = { TCP: '-t', UDP: '-u', SCTP: '--sctp-service' } as const;
    const text = clusterIPs.map((s) => ipvsadm(['-Ln', flag[s.protocol], `${s.address}:${s.port}`], table).stdout).join('\n');
    const command = clusterIPs.map((s) => `ipvsadm -Ln ${flag[s.protocol]} ${s.address}:${s.port}`).join('; ') || 'ipvsadm -Ln';
    return { mode, live: v.live, command, text: text || '(no virtual server for this Service)\n' };
  });
  return { nodes: nodeNames, node, services, service, views };
}
