/**
 * One Service's kube-proxy rules on a node, in a mode of our choice, for the lab's "compare
 * modes" view (iptables, IPVS or nftables). When the node's kube-proxy runs that mode, they are the node's own rules.
 * Otherwise a shadow kube-proxy of that mode — the real proxier, fed the same Services and
 * EndpointSlices, with the node's addresses and the KubeProxyConfiguration a restart would
 * read — syncs once into a scratch network namespace. The cluster is not touched: no node
 * state, PRNG draw, event or log line changes. Rules are read back with the same printers the
 * node's commands use (iptables-save here; the IPVS table for `ipvsadm`; `nft list table`).
 */
import { parse } from 'yaml';
import { applyKubeProxyConfiguration, type ClusterConfig, type KubeProxyConfiguration } from './config';
import type { Clock } from '../core/clock';
import { isPlainObject } from '../core/json';
import { applyIptablesSync, applyIpvsState, ensureChainsAndJumps } from '../controllers/kubeproxy';
import { iptablesRestore, iptablesSaveCommand } from '../netfilter';
import { findTable, listTable, nftRun, type NftElement, type NftSet, type NftTable } from '../nftables';
import { parseIPv4 } from '../core/ip';
import { NodeHost } from '../node/host';
import type { IpvsService } from '../node/ipvs';
import { IptablesProxier, IpvsProxier, NFT_TABLE, NftablesProxier, nftablesProxierOptions, proxierOptionsFromConfig } from '../proxy';
import type { ConfigMap, EndpointSlice, Node, Service } from '../model/types';

/** The modes a shadow proxier renders. */
export type RulesMode = 'iptables' | 'ipvs' | 'nftables';

export interface ServiceRules {
  mode: RulesMode;
  node: string;
  /** The node's own kube-proxy runs this mode (its live rules); false: a shadow proxier's. */
  live: boolean;
  /**
   * The Service's lines of `iptables-save` (nat, then filter; each table's `*name` header
   * kept when it has any): its KUBE-SERVICES/KUBE-NODEPORTS/KUBE-EXTERNAL-SERVICES entries
   * and its own chains (KUBE-SVC-, KUBE-SEP-, KUBE-EXT-, KUBE-FW-, KUBE-SVL-), as printed.
   */
  iptables: string[];
  /** The Service's IPVS virtual servers with their real servers (`ipvsadm -Ln -t VIP:PORT`). */
  virtualServers: IpvsService[];
  /**
   * `nft list table ip kube-proxy` cut down to the Service: its map and set elements and its
   * own chains (service-, external-, firewall-, endpoint-…), as printed; '' without the table.
   */
  nft: string;
  /** The namespace the rules were read from (format IPVS entries with the node's tools). */
  host: NodeHost;
}

/** What the shadow needs from the cluster (wired by cluster.ts). */
export interface ShadowDeps {
  config: ClusterConfig;
  clock: Clock;
  seed: number;
  /** The node's network namespace, kube-proxy synced. */
  host(node: string): NodeHost | undefined;
  /** The mode the node's kube-proxy runs, if it runs. */
  runningMode(node: string): string | undefined;
  get(kind: 'ConfigMap' | 'Node', namespace: string | undefined, name: string): ConfigMap | Node | undefined;
  services(): Service[];
  slices(): EndpointSlice[];
}

export function serviceRules(deps: ShadowDeps, svc: Service, nodeName: string, mode: RulesMode): ServiceRules | undefined {
  const real = deps.host(nodeName);
  if (!real) return undefined;
  const running = deps.runningMode(nodeName);
  const live = running === mode;
  const host = live ? real : shadowHost(deps, real, nodeName, mode);
  return { mode, node: nodeName, live, iptables: serviceLines(host, svc), virtualServers: serviceVirtualServers(host, svc), nft: serviceNftText(host, svc), host };
}

/** The KubeProxyConfiguration a kube-proxy starting now would read (the ConfigMap, else the cluster's). */
function currentConfig(deps: ShadowDeps): KubeProxyConfiguration {
  const cm = deps.get('ConfigMap', 'kube-system', 'kube-proxy') as ConfigMap | undefined;
  const text = cm?.data?.['config.conf'];
  if (text === undefined) return deps.config.kubeProxy;
  try {
    const doc: unknown = parse(text);
    return isPlainObject(doc) ? applyKubeProxyConfiguration(deps.config, doc).kubeProxy : deps.config.kubeProxy;
  } catch {
    // A config kube-proxy would refuse (bad YAML, a ConfigError): render with the cluster's.
    return deps.config.kubeProxy;
  }
}

/** A scratch node with the real one's addresses, after one full sync of a `mode` proxier. */
function shadowHost(deps: ShadowDeps, real: NodeHost, nodeName: string, mode: RulesMode): NodeHost {
  const eth0 = real.link('eth0');
  const primary = eth0?.addresses.find((a) => a.address === real.ip);
  const gateway = real.routes.find((r) => r.dst === 'default')?.via ?? real.ip;
  const host = new NodeHost({
    name: nodeName,
    ip: real.ip,
    prefix: primary?.prefix ?? 16,
    extraAddresses: (eth0?.addresses ?? []).filter((a) => a.address !== real.ip).map((a) => `${a.address}/${a.prefix}`),
    gateway,
    eth0PeerIfindex: eth0?.peerIfindex ?? 0,
    clock: deps.clock,
    seed: deps.seed,
  });
  // Every address but kube-ipvs0's, as kube-proxy's netlink query reports node IPs.
  const addresses = real.interfaces.filter((l) => l.name !== 'kube-ipvs0').flatMap((l) => l.addresses.map((a) => a.address));
  const node = deps.get('Node', undefined, nodeName) as Node | undefined;
  const kpConfig = currentConfig(deps);
  const opts = {
    ...proxierOptionsFromConfig(kpConfig, { name: nodeName, ip: real.ip, addresses, podCIDR: node?.spec.podCIDR, labels: node?.metadata.labels }),
    nodeAddresses: addresses,
    now: () => deps.clock.now(),
    existingNatChains: () => host.netfilter.tables.get('nat')?.chains.keys() ?? [],
  };
  const p = mode === 'ipvs' ? new IpvsProxier(opts) : mode === 'nftables' ? new NftablesProxier(nftablesProxierOptions(kpConfig, opts, deps.config.serviceCIDR)) : new IptablesProxier(opts);
  for (const s of deps.services()) p.onServiceAdd(s);
  for (const s of deps.slices()) p.onEndpointSliceAdd(s);
  if (p instanceof NftablesProxier) {
    const r = p.sync();
    if (r.cleanup) nftRun(host.nft, r.cleanup);
    nftRun(host.nft, r.transaction);
  } else if (p instanceof IpvsProxier) {
    const r = p.sync();
    applyIpvsState(host, r);
    ensureChainsAndJumps(host, r.ensureChains, r.ensureRules);
    iptablesRestore(host.netfilter, r.restore, { noflush: true, counters: true });
  } else {
    applyIptablesSync(host, p.sync());
  }
  return host;
}

const OWN_CHAIN = /^KUBE-(SVC|SEP|EXT|FW|SVL)-[A-Z2-7]{16}$/;

/** The Service's lines of iptables-save: rules commented with its name, and its own chains. */
export function serviceLines(host: NodeHost, svc: Service): string[] {
  const name = `${svc.metadata.namespace}/${svc.metadata.name}`;
  // kube-proxy comments every rule it writes for a Service port with "ns/name[:port]…".
  const mine = new RegExp(`--comment "?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(:[^ "]*)?[ "]`);
  const out: string[] = [];
  for (const table of ['nat', 'filter']) {
    const lines = iptablesSaveCommand(host.netfilter, ['-t', table], host.now()).stdout.split('\n');
    const chains = new Set<string>();
    for (const l of lines) {
      if (!l.startsWith('-A ') || !mine.test(l + ' ')) continue;
      const chain = l.split(' ')[1]!;
      if (OWN_CHAIN.test(chain)) chains.add(chain);
      const jump = / -j (\S+)/.exec(l)?.[1];
      if (jump && OWN_CHAIN.test(jump)) chains.add(jump);
    }
    const picked = lines.filter((l) => {
      if (l.startsWith(':')) return chains.has(l.slice(1).split(' ')[0]!);
      if (!l.startsWith('-A ')) return false;
      return chains.has(l.split(' ')[1]!) || mine.test(l + ' ');
    });
    if (picked.length) out.push(`*${table}`, ...picked);
  }
  return out;
}

/** The virtual servers kube-proxy made for the Service: ClusterIP, external and LoadBalancer IPs, NodePorts. */
function serviceVirtualServers(host: NodeHost, svc: Service): IpvsService[] {
  const vips = new Set<string>();
  const nodePorts = new Set<string>();
  for (const p of svc.spec.ports ?? []) {
    const proto = p.protocol ?? 'TCP';
    for (const ip of [svc.spec.clusterIP, ...(svc.spec.externalIPs ?? []), ...(svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip)]) {
      if (ip && ip !== 'None') vips.add(`${proto} ${ip}:${p.port}`);
    }
    if (p.nodePort) nodePorts.add(`${proto} ${p.nodePort}`);
  }
  return host.ipvs.sortedServices().filter((s) => vips.has(`${s.protocol} ${s.address}:${s.port}`) || nodePorts.has(`${s.protocol} ${s.port}`));
}

/**
 * The Service's part of kube-proxy's nftables table, printed as `nft list table` prints it:
 * its own chains and sets (their names carry "ns/name/"), and the elements of the shared
 * maps and sets that lead to them, name it in their comment, or hold its cluster IP.
 */
export function serviceNftText(host: NodeHost, svc: Service): string {
  const table = findTable(host.nft, 'ip', NFT_TABLE);
  if (!table) return '';
  const own = `-${svc.metadata.namespace}/${svc.metadata.name}/`;
  const mine = (name: string) => name.includes(own);
  const clusterIP = parseIPv4(svc.spec.clusterIP ?? '');
  const name = `${svc.metadata.namespace}/${svc.metadata.name}`;
  const wanted = (e: NftElement) =>
    (e.verdict !== undefined && 'chain' in e.verdict && mine(e.verdict.chain))
    || (e.comment !== undefined && (e.comment === name || e.comment.startsWith(`${name}:`)))
    || (e.key.length === 1 && e.key[0]!.t === 'addr' && e.key[0]!.bits === 32 && e.key[0]!.base === clusterIP);
  const sets = new Map<string, NftSet>();
  for (const [n, set] of table.sets) {
    if (mine(n)) {
      sets.set(n, set);
      continue;
    }
    const elements = new Map([...set.elements].filter(([, e]) => wanted(e)));
    if (elements.size > 0) sets.set(n, { ...set, elements });
  }
  const chains = new Map([...table.chains].filter(([n]) => mine(n)));
  if (sets.size === 0 && chains.size === 0) return '';
  const cut: NftTable = { ...table, sets, chains };
  return listTable(cut);
}