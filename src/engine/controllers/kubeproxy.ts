/**
 * kube-proxy on every node, as the kube-proxy DaemonSet's pods run it.
 *
 * - A proxier starts when the node's kube-proxy pod is Running, with the
 *   KubeProxyConfiguration it reads then from the kube-system/kube-proxy ConfigMap
 *   (config.conf), as the real binary reads --config once at start-up: editing the
 *   ConfigMap changes nothing until the pod is replaced (`kubectl -n kube-system rollout
 *   restart daemonset kube-proxy`, or deleting the pod). Empty mode means iptables.
 * - Start-up runs upstream's platformCleanup for the mode (cmd/kube-proxy/app/
 *   server_linux.go): iptables and ipvs are both "iptables-based", so switching between
 *   them cleans NOTHING of the other mode — after iptables → ipvs the KUBE-SVC-/KUBE-SEP-
 *   chains stay (unreferenced) and after ipvs → iptables kube-ipvs0, the virtual servers
 *   and the ipsets stay, exactly as on a real node. Only nftables ↔ iptables/ipvs cleans.
 * - Informers: Service, EndpointSlice and Node events reach the proxier as they happen;
 *   a change only marks the proxier dirty; the cluster flushes (syncs) dirty proxiers
 *   after each top-level write — once per `kubectl apply`, however many documents, like
 *   upstream's minSyncPeriod coalescing a burst — and before a node is read or a packet
 *   sent; plus every syncPeriod (default 30 s) on the engine clock.
 * - A sync's result is applied to the node the way upstream applies it: jump rules with
 *   `iptables -C` then `-I` (EnsureRule prepend) and chains with `-N` (EnsureChain), then
 *   the restore text through netfilter's iptablesRestore with --noflush --counters (the
 *   parser the node's `iptables-restore` uses); in IPVS mode first the kube-ipvs0 dummy and
 *   its addresses, the ipsets and the IPVS virtual/real servers (graceful termination:
 *   drained real servers are retried every minute). Every sync rewrites KUBE-SERVICES, so a
 *   learner's hand-made rule there lasts until the next sync.
 * - Logs: upstream's klog start-up lines at the default verbosity (nothing per sync at
 *   v=0; restore failures are logged as errors).
 *
 * - nftables mode: each sync is one `nft -f -` transaction into the node's nftables (a
 *   stale-chain cleanup transaction first when there is one), through the same parser the
 *   node's `nft -f` uses; a failed transaction is logged and makes the next sync a full one.
 *   An unset nodePortAddresses means `primary` in this mode (cmd/kube-proxy/app/server.go).
 *   kube-proxy runs dual-stack (kind's nodes support IPv6), so an `ip6 kube-proxy` table
 *   with the skeleton and no Service stands beside `ip kube-proxy`.
 *
 * - HTTP: the healthz server on 10256 and the service health check node ports (httpServer).
 *
 * Not modelled: the metrics server (10249); conntrack cleanup of stale UDP flows (reported
 * by the proxiers, not applied); kube-proxy's own restarts.
 */
import { parse } from 'yaml';
import { applyKubeProxyConfiguration, ConfigError, type ClusterConfig, type KubeProxyConfiguration } from '../cluster/config';
import { isPlainObject } from '../core/json';
import { iptables, iptablesRestore, createIpSet, type IpSet, type IpSetType } from '../netfilter';
import { nftRun } from '../nftables';
import type { NodeHost } from '../node/host';
import type { IpvsProtocol } from '../node/ipvs';
import {
  canUseIPVSProxier, cleanupSteps, healthCheckNodePorts, nftablesProxierOptions, IptablesProxier, IpvsProxier, NftablesProxier, ipv6SkeletonTransaction, NFT_TABLE, isNftServiceChainName,
  localReadyEndpoints, parseDurationMs, proxierHealthReply, proxierOptionsFromConfig, PROXY_HEALTHZ_PORT, RS_CHECK_DELETE_INTERVAL_MS, serviceHealthReply,
  type CleanupStep, type HealthReply, type IptablesSyncResult, type IpvsSyncResult, type NftablesSyncResult, type ProxyMode,
} from '../proxy';
import { httpDate } from '../apps/serve';
import type { StoreEvent } from '../model/store';
import type { ConfigMap, EndpointSlice, Node, Pod, Service } from '../model/types';
import type { Controller, ControllerContext } from './context';

/** How the controller reaches the rest of the engine (wired by cluster.ts). */
export interface KubeProxyDeps {
  host(node: string): NodeHost | undefined;
  /** Append a line to a container's log (the kubelet's CRI log). */
  log(pod: Pod, container: string, t: number, text: string): void;
}

type AnyProxier = { mode: 'iptables'; p: IptablesProxier } | { mode: 'ipvs'; p: IpvsProxier } | { mode: 'nftables'; p: NftablesProxier };

interface Instance {
  podUid: string;
  pod: Pod;
  node: string;
  proxier: AnyProxier;
  kp: KubeProxyConfiguration;
  /** Node addresses the proxier reads at each sync (the same array, refreshed in place). */
  addresses: string[];
  dirty: boolean;
  /** IPVS mode: compare the whole wanted state with the node at the next sync (periodic resync). */
  reconcile: boolean;
  /** host.handEdits when this proxier last applied a sync. */
  handEdits: number;
  stopped: boolean;
  syncs: number;
  /** nftables mode: the IPv6 proxier's table has been set up once. */
  ipv6Setup?: boolean;
}

const LOG_CONTAINER = 'kube-proxy';

/** klog's header: `I1127 14:31:17.123456       1 file.go:123] ` (severity, MMDD, time with µs, thread id 1). */
export function klogLine(severity: 'I' | 'W' | 'E', ms: number, micros: number, where: string, msg: string): string {
  const d = new Date(ms);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  const us = (ms % 1000) * 1000 + micros;
  return `${severity}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(us, 6)}       1 ${where}] ${msg}`;
}

function isKubeProxyPod(p: Pod): boolean {
  return p.metadata.namespace === 'kube-system' && p.metadata.labels?.['k8s-app'] === 'kube-proxy';
}

function isRunning(p: Pod): boolean {
  return !p.metadata.deletionTimestamp && p.status?.phase === 'Running' && !!p.status.containerStatuses?.[0]?.state?.running;
}

export class KubeProxyController implements Controller {
  readonly name = 'kube-proxy';
  readonly #instances = new Map<string, Instance>();
  #events = 0;
  #seenEvents = 0;
  #pendingPods = new Set<string>();
  #stopPods = new Set<string>();
  #eventsToRecord: { node: string; message: string }[] = [];

  constructor(private readonly ctx: ControllerContext, private readonly deps: KubeProxyDeps) {}

  /** The proxier running on a node (for tests and the Trace). */
  instance(node: string): { mode: ProxyMode; syncs: number; proxier: IptablesProxier | IpvsProxier | NftablesProxier } | undefined {
    const i = this.#instances.get(node);
    return i && { mode: i.proxier.mode, syncs: i.syncs, proxier: i.proxier.p };
  }

  /**
   * kube-proxy's HTTP servers on a node (pkg/proxy/healthcheck): the proxier health server
   * on 10256 (/healthz, /livez) and a service health server on each healthCheckNodePort,
   * answering with the node's local ready endpoints. The handler for a TCP port, or
   * undefined when kube-proxy listens on no such port there (the connection is refused).
   */
  httpServer(node: string, port: number): ((path: string) => HealthReply) | undefined {
    const inst = this.#instances.get(node);
    if (!inst || inst.stopped) return undefined;
    this.flush(node);
    const now = this.ctx.clock.now();
    const startedAt = Date.parse(inst.pod.status?.containerStatuses?.[0]?.state?.running?.startedAt ?? '');
    const healthy = inst.proxier.p !== undefined && inst.syncs > 0;
    const date = httpDate(now);
    if (port === PROXY_HEALTHZ_PORT) {
      return (path) => proxierHealthReply(path, { healthy, nodeEligible: true, nowMs: now, startMs: Number.isNaN(startedAt) ? now : startedAt, date });
    }
    const p = inst.proxier.p;
    if (!p) return undefined;
    for (const [nsn, hcPort] of healthCheckNodePorts(p.svcPortMap)) {
      if (hcPort !== port) continue;
      const [ns, name] = nsn.split('/') as [string, string];
      const local = localReadyEndpoints(p.endpointsMap).get(nsn) ?? 0;
      return () => serviceHealthReply(ns, name, local, healthy, date);
    }
    return undefined;
  }

  observe(e: StoreEvent): void {
    this.#events++;
    const o = e.object;
    switch (o.kind) {
      case 'Pod': {
        const p = o as Pod;
        if (!isKubeProxyPod(p)) return;
        if (e.type === 'DELETED' || p.metadata.deletionTimestamp) this.#stopPods.add(p.metadata.uid);
        else if (isRunning(p)) this.#pendingPods.add(`${p.metadata.namespace}/${p.metadata.name}`);
        return;
      }
      case 'Service':
        for (const i of this.#running()) {
          if (e.type === 'ADDED') i.proxier.p?.onServiceAdd(o as Service);
          else if (e.type === 'MODIFIED') i.proxier.p?.onServiceUpdate(e.old as Service, o as Service);
          else i.proxier.p?.onServiceDelete((e.old ?? o) as Service);
          i.dirty = true;
        }
        return;
      case 'EndpointSlice':
        for (const i of this.#running()) {
          if (e.type === 'ADDED') i.proxier.p?.onEndpointSliceAdd(o as EndpointSlice);
          else if (e.type === 'MODIFIED') i.proxier.p?.onEndpointSliceUpdate(e.old as EndpointSlice, o as EndpointSlice);
          else i.proxier.p?.onEndpointSliceDelete((e.old ?? o) as EndpointSlice);
          i.dirty = true;
        }
        return;
      case 'Node': {
        const i = this.#instances.get(o.metadata.name);
        if (i && !i.stopped && e.type !== 'DELETED') {
          i.proxier.p?.onNodeLabels(o.metadata.labels);
          i.dirty = true;
        }
        return;
      }
    }
  }

  *#running(): Iterable<Instance> {
    for (const i of this.#instances.values()) if (!i.stopped) yield i;
  }

  sync(): boolean {
    let wrote = false;
    for (const uid of this.#stopPods) {
      for (const i of this.#instances.values()) if (i.podUid === uid) i.stopped = true;
    }
    this.#stopPods.clear();
    for (const key of this.#pendingPods) {
      this.#pendingPods.delete(key);
      const [ns, name] = key.split('/') as [string, string];
      const pod = this.ctx.store.get('Pod', ns, name) as Pod | undefined;
      if (!pod || !isRunning(pod) || !pod.spec.nodeName) continue;
      const cur = this.#instances.get(pod.spec.nodeName);
      if (cur && cur.podUid === pod.metadata.uid) continue;
      this.#start(pod);
    }
    for (const ev of this.#eventsToRecord.splice(0)) {
      const node = this.ctx.store.get('Node', undefined, ev.node);
      if (node) {
        this.ctx.events.record(node, 'Warning', 'IPVSDeprecation', ev.message, 'kube-proxy', ev.node);
        wrote = true;
      }
    }
    // Changes only mark the proxiers dirty; `flush` syncs them when someone looks at a node
    // or sends a packet (and the periodic syncPeriod timer does too). Upstream coalesces changes
    // over minSyncPeriod; here a burst (kubectl apply of 2,000 objects) costs one sync, and
    // whoever looks always sees rules as fresh as a quick kube-proxy would leave them.
    if (this.#events !== this.#seenEvents) {
      this.#seenEvents = this.#events;
      return true;
    }
    return wrote;
  }

  /** Sync the dirty proxiers (of one node, or all) before their state is read. */
  flush(node?: string): void {
    if (node !== undefined) {
      const i = this.#instances.get(node);
      if (i && !i.stopped && i.dirty) this.#sync(i);
      return;
    }
    for (const i of this.#running()) if (i.dirty) this.#sync(i);
  }

  // ---------- start-up ----------

  #readConfig(): KubeProxyConfiguration | string {
    const cm = this.ctx.store.get('ConfigMap', 'kube-system', 'kube-proxy') as ConfigMap | undefined;
    const text = cm?.data?.['config.conf'];
    if (text === undefined) return 'open /var/lib/kube-proxy/config.conf: no such file or directory';
    let doc: unknown;
    try {
      doc = parse(text);
    } catch (e) {
      return `failed to decode: ${(e as Error).message}`;
    }
    if (!isPlainObject(doc)) return 'failed to decode: not a KubeProxyConfiguration';
    try {
      // Fields the file omits take kube-proxy's defaults (ours are the v1alpha1 ones).
      const base: ClusterConfig = { ...this.ctx.config };
      const raw = { ...doc };
      const blankMode = raw.mode === '' || raw.mode === undefined || raw.mode === null;
      if (blankMode) raw.mode = 'iptables';
      const kp = applyKubeProxyConfiguration(base, raw).kubeProxy;
      return blankMode ? { ...kp, mode: '' as unknown as 'iptables' } : kp;
    } catch (e) {
      if (e instanceof ConfigError) return e.message;
      throw e;
    }
  }

  #start(pod: Pod): void {
    const nodeName = pod.spec.nodeName!;
    const host = this.deps.host(nodeName);
    if (!host) return;
    const old = this.#instances.get(nodeName);
    if (old) old.stopped = true;
    const t0 = this.ctx.clock.now();
    let micros = 137;
    const lines: string[] = [];
    const log = (sev: 'I' | 'W' | 'E', where: string, msg: string, dt = 0): void => {
      micros += 23 + dt;
      lines.push(klogLine(sev, t0 + Math.floor(micros / 1000), micros % 1000, where, msg));
    };
    const flush = (): void => {
      for (const l of lines) this.deps.log(pod, LOG_CONTAINER, t0, l);
    };
    const cfg = this.#readConfig();
    if (typeof cfg === 'string') {
      log('E', 'run.go:74', `"command failed" err="${cfg.replace(/"/g, '\\"')}"`);
      flush();
      return;
    }
    // platformApplyDefaults: a blank mode means iptables on Linux.
    let mode = (cfg.mode as string) || '';
    if (mode === '') {
      log('I', 'server_linux.go:48', '"Using iptables proxy"');
      mode = 'iptables';
    }
    const node = this.ctx.store.get('Node', undefined, nodeName) as Node | undefined;
    log('I', 'server.go:715', `"Successfully retrieved node IP(s)" IPs=["${host.ip}"]`, 40_000);
    if (!cfg.nodePortAddresses || cfg.nodePortAddresses.length === 0) {
      if (mode !== 'nftables') log('E', 'server.go:245', '"Kube-proxy configuration may be incomplete or incorrect" err="nodePortAddresses is unset; NodePort connections will be accepted on all local IPs. Consider using `--nodeport-addresses primary`"');
    }
    log('I', 'server.go:659', '"kube-proxy running in dual-stack mode" primary ipFamily="IPv4"', 25_000);

    // platformCleanup for the new mode (before the proxier is created, as upstream).
    const nat = host.netfilter.tables.get('nat');
    const filter = host.netfilter.tables.get('filter');
    for (const { step } of cleanupSteps(mode as ProxyMode, { nat: nat ? nat.chains.keys() : [], filter: filter ? filter.chains.keys() : [] })) this.#applyCleanup(host, step);

    const addresses = this.#nodeAddresses(host);
    const opts = {
      ...proxierOptionsFromConfig(cfg, { name: nodeName, ip: host.ip, addresses, podCIDR: node?.spec.podCIDR, labels: node?.metadata.labels }),
      nodeAddresses: addresses,
      now: () => this.ctx.clock.now(),
      existingNatChains: () => host.netfilter.tables.get('nat')?.chains.keys() ?? [],
    };
    let proxier: AnyProxier;
    if (mode === 'ipvs') {
      const err = canUseIPVSProxier(cfg.ipvs?.scheduler);
      if (err) {
        log('E', 'run.go:74', `"command failed" err="${err}"`);
        flush();
        return;
      }
      log('I', 'server_linux.go:186', '"Using ipvs Proxier"', 30_000);
      const message = "The ipvs proxier is now deprecated and may be removed in a future release. Please use 'nftables' instead.";
      log('E', 'server_linux.go:188', `"${message.replace(/'/g, "'")}"`);
      this.#eventsToRecord.push({ node: nodeName, message });
      if (!cfg.ipvs?.scheduler) {
        log('I', 'proxier.go:358', '"IPVS scheduler not specified, use rr by default"', 3_000);
        log('I', 'proxier.go:358', '"IPVS scheduler not specified, use rr by default"');
      }
      proxier = {
        mode: 'ipvs',
        p: new IpvsProxier({
          ...opts,
          realServerConnections: (vs, rs) => {
            const m = /^(.*):(\d+)\/(TCP|UDP|SCTP)$/.exec(vs);
            const [rip, rport] = rs.split(':');
            return m ? host.ipvs.destConnections(m[3] as IpvsProtocol, m[1]!, Number(m[2]), rip!, Number(rport)) : 0;
          },
        }),
      };
      // setIPVSKernelParameters (pkg/proxy/ipvs/proxier.go NewProxier).
      host.sysctls.set('net/ipv4/vs/conntrack', '1');
      host.sysctls.set('net/ipv4/vs/conn_reuse_mode', '0');
      host.sysctls.set('net/ipv4/vs/expire_nodest_conn', '1');
      host.sysctls.set('net/ipv4/vs/expire_quiescent_template', '1');
      host.ipvs.expireQuiescentTemplate = true;
      host.sysctls.set('net/ipv4/ip_forward', '1');
      if (cfg.ipvs?.strictARP) {
        host.sysctls.set('net/ipv4/conf/all/arp_ignore', '1');
        host.sysctls.set('net/ipv4/conf/all/arp_announce', '2');
      }
    } else if (mode === 'nftables') {
      log('I', 'server_linux.go:233', '"Using nftables Proxier"', 30_000);
      const table = (): ReturnType<typeof host.nft.tables.find> => host.nft.tables.find((t) => t.family === 'ip' && t.name === NFT_TABLE);
      proxier = {
        mode: 'nftables',
        p: new NftablesProxier({
          ...nftablesProxierOptions(cfg, opts, this.ctx.config.serviceCIDR),
          existingChains: () => [...(table()?.chains.keys() ?? [])].filter(isNftServiceChainName),
          existingSets: () => [...(table()?.sets.keys() ?? [])],
        }),
      };
    } else {
      log('I', 'server_linux.go:129', '"Using iptables Proxier"', 30_000);
      if (opts.localhostNodePorts !== false && (!cfg.nodePortAddresses || cfg.nodePortAddresses.length === 0)) {
        log('I', 'proxier.go:255', '"Setting route_localnet=1 to allow node-ports on localhost; to change this either disable iptables.localhostNodePorts (--iptables-localhost-nodeports) or set nodePortAddresses (--nodeport-addresses) to filter loopback addresses" ipFamily="IPv4"', 2_000);
        host.sysctls.set('net/ipv4/conf/all/route_localnet', '1');
      }
      proxier = { mode: 'iptables', p: new IptablesProxier(opts) };
    }
    log('I', 'server.go:872', `"Version info" version="${this.ctx.config.kubernetesVersion}"`, 1_000);
    log('I', 'server.go:874', '"Golang settings" GOGC="" GOMAXPROCS="" GOTRACEBACK=""');
    log('I', 'config.go:192', '"Starting service config controller"', 1_500);
    log('I', 'shared_informer.go:313', 'Waiting for caches to sync for service config');
    log('I', 'config.go:101', '"Starting endpoint slice config controller"');
    log('I', 'shared_informer.go:313', 'Waiting for caches to sync for endpoint slice config');
    log('I', 'config.go:319', '"Starting node config controller"');
    log('I', 'shared_informer.go:313', 'Waiting for caches to sync for node config');
    log('I', 'shared_informer.go:320', 'Caches are synced for node config', 100_000);
    log('I', 'shared_informer.go:320', 'Caches are synced for service config');
    log('I', 'shared_informer.go:320', 'Caches are synced for endpoint slice config');
    flush();

    const inst: Instance = { podUid: pod.metadata.uid, pod, node: nodeName, proxier, kp: cfg, addresses, dirty: true, reconcile: true, handEdits: 0, stopped: false, syncs: 0 };
    this.#instances.set(nodeName, inst);
    // The informers' initial list.
    for (const s of this.ctx.store.list('Service') as Service[]) proxier.p.onServiceAdd(s);
    for (const s of this.ctx.store.list('EndpointSlice') as EndpointSlice[]) proxier.p.onEndpointSliceAdd(s);
    this.#schedulePeriodic(inst);
  }

  /** Every address on the node except kube-ipvs0's (what netlink reports as node IPs). */
  #nodeAddresses(host: NodeHost): string[] {
    const out: string[] = [];
    for (const l of host.interfaces) if (l.name !== 'kube-ipvs0') for (const a of l.addresses) out.push(a.address);
    return out;
  }

  #schedulePeriodic(inst: Instance): void {
    const kp = inst.kp;
    const period = inst.proxier.mode === 'ipvs' ? parseDurationMs(kp.ipvs?.syncPeriod, 0)
      : inst.proxier.mode === 'nftables' ? parseDurationMs((kp.nftables as { syncPeriod?: string } | undefined)?.syncPeriod, 0)
      : parseDurationMs(kp.iptables?.syncPeriod, 0);
    const every = period > 0 ? period : 30_000;
    const tick = (): void => {
      if (inst.stopped) return;
      const host = this.deps.host(inst.node);
      // ipt.Monitor: a missing canary chain means someone flushed us: full resync.
      if (inst.proxier.mode === 'iptables' && host) {
        const gone = ['mangle', 'nat', 'filter'].some((t) => !host.netfilter.tables.get(t as 'nat')?.chains.has('KUBE-PROXY-CANARY'));
        if (gone) inst.proxier.p.forceFullSync();
      }
      inst.dirty = true;
      inst.reconcile = true;
      this.ctx.timers.at(this.ctx.clock.now() + every, tick);
    };
    this.ctx.timers.at(this.ctx.clock.now() + every, tick);
    if (inst.proxier.mode === 'ipvs') {
      const p = inst.proxier.p;
      const graceful = (): void => {
        if (inst.stopped) return;
        if (p.tryDeleteGracefulRealServers()) inst.dirty = true;
        this.ctx.timers.at(this.ctx.clock.now() + RS_CHECK_DELETE_INTERVAL_MS, graceful);
      };
      this.ctx.timers.at(this.ctx.clock.now() + RS_CHECK_DELETE_INTERVAL_MS, graceful);
    }
  }

  // ---------- applying results ----------

  #sync(inst: Instance): void {
    inst.dirty = false;
    const host = this.deps.host(inst.node);
    if (!host) return;
    inst.addresses.splice(0, inst.addresses.length, ...this.#nodeAddresses(host));
    inst.syncs++;
    if (inst.proxier.mode === 'iptables') {
      const r = inst.proxier.p.sync();
      if (!this.#applyIptables(host, inst, r)) inst.proxier.p.reportRestoreFailure();
    } else if (inst.proxier.mode === 'nftables') {
      if (!this.#applyNft(host, inst, inst.proxier.p.sync())) inst.proxier.p.reportSyncFailure();
    } else {
      this.#applyIpvs(host, inst, inst.proxier.p.sync());
    }
  }

  /** The stale-chain cleanup (errors only logged, as upstream), then the sync's transaction. */
  #applyNft(host: NodeHost, inst: Instance, r: NftablesSyncResult): boolean {
    const t = this.ctx.clock.now();
    // knftables pipes each transaction to `nft -f /dev/stdin`.
    if (r.cleanup) nftRun(host.nft, r.cleanup, { now: t, file: '/dev/stdin' });
    const res = nftRun(host.nft, r.transaction, { now: t, file: '/dev/stdin' });
    // The IPv6 proxier of the dual-stack pair: its table holds no Service in an IPv4 cluster,
    // so only its full syncs write anything.
    if (res.exitCode === 0 && r.fullSync && inst.proxier.mode === 'nftables') {
      nftRun(host.nft, ipv6SkeletonTransaction(inst.proxier.p.mark, !inst.ipv6Setup), { now: t, file: '/dev/stdin' });
      inst.ipv6Setup = true;
    }
    if (res.exitCode === 0) return true;
    const msg = res.stderr.trim().replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
    this.deps.log(inst.pod, LOG_CONTAINER, t, klogLine('E', t, 0, 'proxier.go:1786', `"nftables sync failed" err="${msg}"`));
    return false;
  }

  #restore(host: NodeHost, inst: Instance, text: string): boolean {
    const r = iptablesRestore(host.netfilter, text, { noflush: true, counters: true });
    if (r.exitCode === 0) return true;
    const t = this.ctx.clock.now();
    const msg = r.stderr.trim().replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
    this.deps.log(inst.pod, LOG_CONTAINER, t, klogLine('E', t, 0, 'proxier.go:1525', `"Failed to execute iptables-restore" err=<\n\texit status ${r.exitCode}: ${msg}\n >`));
    return false;
  }

  #applyIptables(host: NodeHost, inst: Instance, r: IptablesSyncResult): boolean {
    if (r.fullSync) ensureChainsAndJumps(host, r.ensureChains, r.ensureRules);
    return this.#restore(host, inst, r.restore);
  }

  #applyIpvs(host: NodeHost, inst: Instance, r: IpvsSyncResult): void {
    applyIpvsState(host, r, inst.reconcile || host.handEdits !== inst.handEdits);
    inst.reconcile = false;
    inst.handEdits = host.handEdits;
    ensureChainsAndJumps(host, r.ensureChains, r.ensureRules);
    this.#restore(host, inst, r.restore);
  }

  /** Carry out one mode's CleanupLeftovers on the node (errors ignored, as upstream logs and goes on). */
  #applyCleanup(host: NodeHost, step: CleanupStep): void {
    const nf = host.netfilter;
    for (const d of step.deleteRules) iptables(nf, ['-t', d.table, '-D', d.chain, ...d.args]);
    for (const r of step.restores) iptablesRestore(nf, r.input, { noflush: true, counters: true });
    for (const c of step.flushChains) if (nf.tables.get(c.table)?.chains.has(c.chain)) iptables(nf, ['-t', c.table, '-F', c.chain]);
    for (const c of step.deleteChains) if (nf.tables.get(c.table)?.chains.has(c.chain)) iptables(nf, ['-t', c.table, '-X', c.chain]);
    if (step.flushIPVS) host.ipvs.clear();
    if (step.deleteDummyDevice) host.deleteLink(step.deleteDummyDevice);
    for (const s of step.destroyIpsets) host.ipsets.delete(s);
    // nft delete table, ignoring "not found" (CleanupLeftovers tolerates it).
    for (const t of step.deleteNftTables) nftRun(host.nft, `delete table ${t}\n`);
  }
}

/** EnsureChain + EnsureRule(Prepend) for each jump, in order: `-N` if missing, `-C` then `-I`. */
export function ensureChainsAndJumps(host: NodeHost, chains: { table: string; chain: string }[], rules: { table: string; chain: string; args: string[] }[]): void {
  const nf = host.netfilter;
  for (const c of chains) {
    if (!nf.tables.get(c.table as 'nat')?.chains.has(c.chain)) iptables(nf, ['-t', c.table, '-N', c.chain]);
  }
  for (const j of rules) {
    if (iptables(nf, ['-t', j.table, '-C', j.chain, ...j.args]).exitCode !== 0) iptables(nf, ['-t', j.table, '-I', j.chain, ...j.args]);
  }
}

/** An iptables-mode sync result onto a node: ensure (full syncs), then `iptables-restore --noflush --counters`. */
export function applyIptablesSync(host: NodeHost, r: IptablesSyncResult): { exitCode: number; stderr: string } {
  if (r.fullSync) ensureChainsAndJumps(host, r.ensureChains, r.ensureRules);
  return iptablesRestore(host.netfilter, r.restore, { noflush: true, counters: true });
}

/**
 * The IPVS side of an IPVS-mode sync: kube-ipvs0 and its addresses, the ipsets (created,
 * then their entries made exactly the wanted ones), virtual servers and real servers.
 * An incremental sync brings only its changes (`r.changes`); a full one, or `reconcile`
 * (the periodic resync, which also repairs hand edits), compares the whole wanted state
 * with what the node has.
 */
export function applyIpvsState(host: NodeHost, r: IpvsSyncResult, reconcile = false): void {
  host.ensureDummy('kube-ipvs0');
  const changes = reconcile ? undefined : r.changes;
  for (const a of changes ? changes.boundAddresses : r.dummyAddresses) host.addAddress('kube-ipvs0', `${a}/32`);
  for (const a of r.unbindAddresses) host.deleteAddress('kube-ipvs0', `${a}/32`);
  const ensureSet = (s: { name: string; type: string; options: Record<string, string> }): IpSet | undefined => {
    let set = host.ipsets.get(s.name);
    if (!set) {
      const made = createIpSet(s.name, s.type as IpSetType, { ...s.options });
      if (typeof made === 'string') return undefined;
      set = made as IpSet;
      host.ipsets.set(s.name, set);
    }
    return set;
  };
  if (changes) {
    for (const c of changes.ipsets) {
      const set = host.ipsets.get(c.name) ?? ensureSet(r.ipsets.find((s) => s.name === c.name)!);
      if (!set) continue;
      for (const e of c.removed) set.members.delete(e);
      for (const e of c.added) set.members.add(e);
    }
  } else {
    for (const s of r.ipsets) {
      const set = ensureSet(s);
      if (!set) continue;
      const want = new Set(s.entries);
      for (const m of [...set.members]) if (!want.has(m)) set.members.delete(m);
      for (const e of s.entries) set.members.add(e);
    }
  }
  const ipvs = host.ipvs;
  for (const key of r.deletedVirtualServers) {
    const m = /^(.*):(\d+)\/(TCP|UDP|SCTP)$/.exec(key);
    const svc = m && ipvs.getService(m[3] as IpvsProtocol, m[1]!, Number(m[2]));
    if (svc) ipvs.deleteService(svc);
  }
  for (const vs of changes ? changes.virtualServers : r.virtualServers) {
    let svc = ipvs.getService(vs.protocol, vs.address, vs.port);
    if (!svc) {
      ipvs.addService({ protocol: vs.protocol, address: vs.address, port: vs.port, scheduler: vs.scheduler, flags: vs.flags, timeout: vs.timeout });
      svc = ipvs.getService(vs.protocol, vs.address, vs.port)!;
    } else if (svc.scheduler !== vs.scheduler || svc.flags !== vs.flags || svc.timeout !== vs.timeout) {
      ipvs.editService(svc, { scheduler: vs.scheduler, flags: vs.flags, timeout: vs.timeout });
    }
    const want = new Set(vs.realServers.map((rs) => `${rs.address}:${rs.port}`));
    for (const d of [...svc.dests]) if (!want.has(`${d.address}:${d.port}`)) ipvs.deleteDest(svc, d);
    for (const rs of vs.realServers) {
      const d = ipvs.getDest(svc, rs.address, rs.port);
      if (!d) ipvs.addDest(svc, { address: rs.address, port: rs.port, weight: rs.weight });
      else if (d.weight !== rs.weight) ipvs.editDest(svc, d, { weight: rs.weight });
    }
  }
}
