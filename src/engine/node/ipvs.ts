/**
 * A node's IPVS table as the kernel keeps it (net/netfilter/ipvs): virtual services with
 * their destinations (real servers), the connection table with per-state timeouts, the
 * persistence templates of persistent services, per-service and per-destination stats with
 * the kernel's rate estimator, and the schedulers, evaluated for real.
 *
 * kube-proxy (IPVS mode) and the shell's `ipvsadm` both write here; the data path asks
 * `connect()` for a destination, which schedules exactly as the kernel module would.
 *
 * Followed from the kernel sources (v6.x):
 * - ip_vs_ctl.c __ip_vs_update_dest: a new destination goes to the FRONT of the list
 *   (list_add_rcu), so schedulers walk real servers newest first; ipvsadm sorts by address
 *   for display (libipvs ipvs_cmp_services / ipvs_cmp_dests), see `sortedServices()`.
 * - ip_vs_rr.c, ip_vs_wrr.c, ip_vs_lc.c, ip_vs_wlc.c, ip_vs_sed.c, ip_vs_nq.c, ip_vs_sh.c,
 *   ip_vs_dh.c, ip_vs_fo.c: the selection loops; `ip_vs_dest_conn_overhead` =
 *   activeconns * 256 + inactconns; weight 0 means "quiesced, no new connections".
 * - ip_vs_core.c ip_vs_sched_persist: persistence by client address (masked by the
 *   service netmask) through a template connection; with the default
 *   expire_quiescent_template=0 a template keeps pointing at a weight-0 destination.
 * - ip_vs_proto_tcp.c: a TCP connection is "active" only while ESTABLISHED; UDP
 *   connections and every other TCP state count as inactive.
 * - ip_vs_est.c: rates are re-estimated every 2 s (EWMA with weight 1/4).
 *
 * Simplified: the lblc/lblcr/mh/ovf/twos schedulers choose like wlc (their locality,
 * Maglev and random parts are not modelled); no fwmark services; IPv4 only.
 */
import { formatIPv4, parseIPv4 } from '../core/ip';
import type { IpvsTimeouts } from './types';

export type IpvsProtocol = 'TCP' | 'UDP' | 'SCTP';
export type IpvsForward = 'Masq' | 'Local' | 'Route' | 'Tunnel';

/** IP_VS_SVC_F_PERSISTENT, as ipvsadm's `-p`. */
export const IPVS_SVC_F_PERSISTENT = 0x1;

export interface IpvsStats {
  conns: number;
  inpkts: number;
  outpkts: number;
  inbytes: number;
  outbytes: number;
}

export interface IpvsRates {
  cps: number;
  inpps: number;
  outpps: number;
  inbps: number;
  outbps: number;
}

/** The kernel's estimator state (ip_vs_estimator), scaled as the kernel scales it. */
interface Estimator {
  last: IpvsStats;
  cps: number;
  inpps: number;
  outpps: number;
  inbps: number;
  outbps: number;
}

export interface IpvsDest {
  address: string;
  port: number;
  weight: number;
  forward: IpvsForward;
  /** Upper/lower connection thresholds (`-x`/`-y`), 0 = none. */
  uThreshold: number;
  lThreshold: number;
  /** ActiveConn / InActConn / PersistConn of `ipvsadm -Ln [--persistent-conn]`. */
  activeConns: number;
  inactConns: number;
  persistConns: number;
  stats: IpvsStats;
  /** @internal */ est: Estimator;
}

export interface IpvsService {
  protocol: IpvsProtocol;
  address: string;
  port: number;
  scheduler: string;
  /** IP_VS_SVC_F_* bits (persistent 0x1, hashed 0x2 is set by the kernel and not kept here). */
  flags: number;
  /** Persistence timeout in seconds (`-p 10800`), 0 when not persistent. */
  timeout: number;
  /** Persistence netmask (`-M`), default 255.255.255.255. */
  netmask: string;
  /** In the kernel's list order (newest first); see sortedDests() for ipvsadm's order. */
  dests: IpvsDest[];
  stats: IpvsStats;
  /** @internal */ est: Estimator;
  /** @internal scheduler state: rr/wrr position (a dest, or undefined for the list head), wrr current weight, sh buckets. */
  sched: { last?: IpvsDest; cw: number; buckets?: (IpvsDest | undefined)[] };
}

export type IpvsConnState = 'NONE' | 'ESTABLISHED' | 'SYN_SENT' | 'SYN_RECV' | 'FIN_WAIT' | 'TIME_WAIT' | 'CLOSE' | 'CLOSE_WAIT' | 'LAST_ACK' | 'UDP' | 'SCTP';

export interface IpvsConn {
  protocol: IpvsProtocol;
  client: { ip: string; port: number };
  virtual: { ip: string; port: number };
  dest: { ip: string; port: number };
  state: IpvsConnState;
  /** Absolute expiry (engine ms). */
  expires: number;
  /** A persistence template (`ipvsadm -Lnc` shows them with state NONE and port 0 / 65535). */
  template: boolean;
  /** @internal */ destRef: IpvsDest;
  /** @internal */ svc: IpvsService;
  /** @internal */ inactive: boolean;
  /** @internal the persistence template that controls this connection (cp->control). */ control?: IpvsConn;
  /** @internal templates: how many live connections it controls (cp->n_control). */ nControl?: number;
}

/**
 * A min-heap of connections by expiry, with lazy deletion: an entry whose connection was
 * refreshed or removed since is checked when it surfaces (the kernel arms one timer per
 * connection; this gives the same order without scanning the table).
 */
class ExpiryHeap {
  readonly #at: number[] = [];
  readonly #items: { key: string; conn: IpvsConn }[] = [];

  get size(): number {
    return this.#at.length;
  }
  peek(): number {
    return this.#at.length ? this.#at[0]! : Infinity;
  }
  clear(): void {
    this.#at.length = 0;
    this.#items.length = 0;
  }
  push(at: number, key: string, conn: IpvsConn): void {
    const a = this.#at;
    const it = this.#items;
    let i = a.length;
    a.push(at);
    it.push({ key, conn });
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p]! <= at) break;
      a[i] = a[p]!;
      it[i] = it[p]!;
      i = p;
    }
    a[i] = at;
    it[i] = { key, conn };
  }
  pop(): { key: string; conn: IpvsConn } {
    const a = this.#at;
    const it = this.#items;
    const top = it[0]!;
    const lastAt = a.pop()!;
    const last = it.pop()!;
    const n = a.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && a[c + 1]! < a[c]!) c++;
        if (a[c]! >= lastAt) break;
        a[i] = a[c]!;
        it[i] = it[c]!;
        i = c;
      }
      a[i] = lastAt;
      it[i] = last;
    }
    return top;
  }
}

export type ConnectResult =
  | { ok: true; conn: IpvsConn; dest: IpvsDest; fresh: boolean; persisted: boolean }
  | { ok: false; reason: 'no-service' | 'no-destination' };

/** ipvsadm's default timeouts: `Timeout (tcp tcpfin udp): 900 120 300`. */
export const DEFAULT_IPVS_TIMEOUTS: IpvsTimeouts = { tcp: 900, tcpfin: 120, udp: 300 };

/** ip_vs_proto_tcp.c tcp_timeouts (seconds) for the states `--set` does not change. */
const TCP_STATE_TIMEOUTS: Partial<Record<IpvsConnState, number>> = {
  NONE: 2, SYN_SENT: 120, SYN_RECV: 60, TIME_WAIT: 120, CLOSE: 10, CLOSE_WAIT: 60, LAST_ACK: 30,
};

/** The estimator's period (ip_vs_est.c: IPVS_EST_TICK is 2 s). */
const EST_PERIOD_MS = 2000;

const zeroStats = (): IpvsStats => ({ conns: 0, inpkts: 0, outpkts: 0, inbytes: 0, outbytes: 0 });
const newEst = (): Estimator => ({ last: zeroStats(), cps: 0, inpps: 0, outpps: 0, inbps: 0, outbps: 0 });

export const serviceKey = (protocol: string, address: string, port: number): string => `${protocol}|${address}|${port}`;
const connKey = (protocol: string, cip: string, cport: number, vip: string, vport: number): string => `${protocol}|${cip}|${cport}|${vip}|${vport}`;

/** hash_32 (include/linux/hash.h) with GOLDEN_RATIO_32. */
function hash32(val: number, bits: number): number {
  return (Math.imul(val >>> 0, 0x61c88647) >>> 0) >>> (32 - bits);
}
const SH_TAB_BITS = 8;
const SH_TAB_SIZE = 1 << SH_TAB_BITS;

/** Available for new connections: weight > 0 and not over its upper threshold (IP_VS_DEST_F_OVERLOAD). */
function usable(d: IpvsDest): boolean {
  return d.weight > 0 && !(d.uThreshold > 0 && d.activeConns + d.inactConns >= d.uThreshold);
}
const overhead = (d: IpvsDest): number => d.activeConns * 256 + d.inactConns;

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

export class IpvsTable {
  readonly services = new Map<string, IpvsService>();
  readonly timeouts: IpvsTimeouts = { ...DEFAULT_IPVS_TIMEOUTS };
  /**
   * net.ipv4.vs.expire_quiescent_template: with 1 (kube-proxy sets it) a persistence
   * template pointing at a weight-0 destination is dropped and the client rescheduled;
   * with the kernel default 0 the client keeps going to the draining server.
   */
  expireQuiescentTemplate = false;
  readonly #conns = new Map<string, IpvsConn>();
  readonly #templates = new Map<string, IpvsConn>();
  /** Template keys by destination, so removing a destination or service finds its templates at once. */
  readonly #templatesByDest = new Map<IpvsDest, Set<string>>();
  readonly #expiry = new ExpiryHeap();
  #estAt: number;

  constructor(private readonly now: () => number) {
    this.#estAt = Math.floor(now() / EST_PERIOD_MS) * EST_PERIOD_MS;
  }

  // ---------- configuration (ipvsadm -A/-E/-D/-a/-e/-d/-C, kube-proxy) ----------

  getService(protocol: IpvsProtocol, address: string, port: number): IpvsService | undefined {
    return this.services.get(serviceKey(protocol, address, port));
  }

  /** `ipvsadm -A`: false when it exists (ipvsadm: "Service already exists"). */
  addService(s: { protocol: IpvsProtocol; address: string; port: number; scheduler?: string; flags?: number; timeout?: number; netmask?: string }): boolean {
    const key = serviceKey(s.protocol, s.address, s.port);
    if (this.services.has(key)) return false;
    this.services.set(key, {
      protocol: s.protocol, address: s.address, port: s.port, scheduler: s.scheduler || 'wlc',
      flags: s.flags ?? 0, timeout: s.flags && s.flags & IPVS_SVC_F_PERSISTENT ? (s.timeout || 300) : 0,
      netmask: s.netmask ?? '255.255.255.255', dests: [], stats: zeroStats(), est: newEst(), sched: { cw: 0 },
    });
    return true;
  }

  /** `ipvsadm -E`: scheduler/flags/timeout change (a scheduler change resets its state). */
  editService(svc: IpvsService, s: { scheduler?: string; flags?: number; timeout?: number; netmask?: string }): void {
    if (s.scheduler !== undefined && s.scheduler !== svc.scheduler) {
      svc.scheduler = s.scheduler;
      svc.sched = { cw: 0 };
    }
    if (s.flags !== undefined) svc.flags = s.flags;
    if (s.timeout !== undefined) svc.timeout = svc.flags & IPVS_SVC_F_PERSISTENT ? s.timeout : 0;
    if (s.netmask !== undefined) svc.netmask = s.netmask;
    this.#reschedule(svc);
  }

  /** `ipvsadm -D`: its connections stay until they expire, bound to nothing (as the kernel's). */
  deleteService(svc: IpvsService): void {
    this.services.delete(serviceKey(svc.protocol, svc.address, svc.port));
    for (const d of svc.dests) this.#forgetTemplatesOf(d);
  }

  /** `ipvsadm -C`. */
  clear(): void {
    this.services.clear();
    this.#templates.clear();
    this.#templatesByDest.clear();
  }

  getDest(svc: IpvsService, address: string, port: number): IpvsDest | undefined {
    return svc.dests.find((d) => d.address === address && d.port === port);
  }

  /** `ipvsadm -a`: false when it exists ("Destination already exists"). New destinations go first, as in the kernel. */
  addDest(svc: IpvsService, d: { address: string; port: number; weight?: number; forward?: IpvsForward; uThreshold?: number; lThreshold?: number }): boolean {
    if (this.getDest(svc, d.address, d.port)) return false;
    svc.dests.unshift({
      address: d.address, port: d.port, weight: d.weight ?? 1, forward: d.forward ?? 'Masq',
      uThreshold: d.uThreshold ?? 0, lThreshold: d.lThreshold ?? 0,
      activeConns: 0, inactConns: 0, persistConns: 0, stats: zeroStats(), est: newEst(),
    });
    this.#reschedule(svc);
    return true;
  }

  /** `ipvsadm -e`. */
  editDest(svc: IpvsService, dest: IpvsDest, d: { weight?: number; forward?: IpvsForward; uThreshold?: number; lThreshold?: number }): void {
    if (d.weight !== undefined) dest.weight = d.weight;
    if (d.forward !== undefined) dest.forward = d.forward;
    if (d.uThreshold !== undefined) dest.uThreshold = d.uThreshold;
    if (d.lThreshold !== undefined) dest.lThreshold = d.lThreshold;
    this.#reschedule(svc);
  }

  /** `ipvsadm -d`. Existing connections keep flowing to it until they expire. */
  deleteDest(svc: IpvsService, dest: IpvsDest): void {
    const i = svc.dests.indexOf(dest);
    if (i < 0) return;
    // ip_vs_rr_del_dest: a position on the removed dest moves back to its predecessor.
    if (svc.sched.last === dest) svc.sched.last = i > 0 ? svc.dests[i - 1] : undefined;
    svc.dests.splice(i, 1);
    this.#forgetTemplatesOf(dest);
    this.#reschedule(svc);
  }

  /** `ipvsadm --set tcp tcpfin udp` (0 keeps a value). */
  setTimeouts(t: Partial<IpvsTimeouts>): void {
    if (t.tcp) this.timeouts.tcp = t.tcp;
    if (t.tcpfin) this.timeouts.tcpfin = t.tcpfin;
    if (t.udp) this.timeouts.udp = t.udp;
  }

  /** Services as `ipvsadm -L` lists them (libipvs ipvs_cmp_services: protocol, address, port), dests by address and port. */
  sortedServices(): IpvsService[] {
    const proto = (p: IpvsProtocol): number => (p === 'TCP' ? 6 : p === 'UDP' ? 17 : 132);
    return [...this.services.values()].sort((a, b) => proto(a.protocol) - proto(b.protocol) || parseIPv4(a.address)! - parseIPv4(b.address)! || a.port - b.port);
  }

  sortedDests(svc: IpvsService): IpvsDest[] {
    return [...svc.dests].sort((a, b) => parseIPv4(a.address)! - parseIPv4(b.address)! || a.port - b.port);
  }

  // ---------- scheduling (the data path) ----------

  /**
   * The destination the service's scheduler picks for a new connection from `clientIp`
   * (and `clientPort`, which only `mh` with its port flag would use), without creating the
   * connection. Moves the scheduler's state (rr/wrr rotate) like the kernel does on every
   * scheduling decision. Persistence is not looked at here; see `connect()`.
   */
  schedule(svc: IpvsService, clientIp: string, _clientPort = 0): IpvsDest | undefined {
    this.#expire();
    const ds = svc.dests;
    if (ds.length === 0) return undefined;
    switch (svc.scheduler) {
      case 'rr': return this.#rr(svc);
      case 'wrr': return this.#wrr(svc);
      case 'lc': {
        let least: IpvsDest | undefined;
        for (const d of ds) if (usable(d) && (!least || overhead(d) < overhead(least))) least = d;
        return least;
      }
      case 'sh': case 'dh': {
        const buckets = svc.sched.buckets ?? (svc.sched.buckets = this.#shBuckets(svc));
        const ip = parseIPv4(clientIp) ?? 0;
        const d = buckets[hash32(ip, SH_TAB_BITS) % SH_TAB_SIZE];
        return d && usable(d) ? d : undefined;
      }
      case 'fo': {
        let best: IpvsDest | undefined;
        for (const d of ds) if (usable(d) && (!best || d.weight > best.weight)) best = d;
        return best;
      }
      case 'sed': case 'nq': {
        // sed: (active + 1) / weight, smallest wins; nq first takes any idle server.
        if (svc.scheduler === 'nq') for (const d of ds) if (usable(d) && d.activeConns === 0) return d;
        let least: IpvsDest | undefined;
        for (const d of ds) {
          if (!usable(d)) continue;
          if (!least || (d.activeConns + 1) * least.weight < (least.activeConns + 1) * d.weight) least = d;
        }
        return least;
      }
      default: {
        // wlc (and the schedulers we model like it): overhead / weight, smallest wins.
        let least: IpvsDest | undefined;
        for (const d of ds) {
          if (!usable(d)) continue;
          if (!least || overhead(d) * least.weight < overhead(least) * d.weight) least = d;
        }
        return least;
      }
    }
  }

  /** ip_vs_rr_schedule: continue after the last pick, skipping unusable dests; wrap once. */
  #rr(svc: IpvsService): IpvsDest | undefined {
    const ds = svc.dests;
    const start = svc.sched.last ? ds.indexOf(svc.sched.last) : -1;
    for (let k = 1; k <= ds.length; k++) {
      const d = ds[(start + k + ds.length) % ds.length]!;
      if (usable(d)) {
        svc.sched.last = d;
        return d;
      }
    }
    return undefined;
  }

  /** ip_vs_wrr_schedule: current weight cw steps down by gcd from max weight; restart at the head. */
  #wrr(svc: IpvsService): IpvsDest | undefined {
    const ds = svc.dests;
    const weights = ds.filter(usable).map((d) => d.weight);
    const mw = Math.max(0, ...weights);
    if (mw === 0) return undefined;
    const di = weights.reduce(gcd, 0) || 1;
    if (svc.sched.cw <= 0 || svc.sched.cw > mw) svc.sched.cw = mw;
    let i = svc.sched.last ? ds.indexOf(svc.sched.last) : -1;
    for (let guard = 0; guard < ds.length * (mw / di + 2); guard++) {
      i++;
      if (i >= ds.length) {
        i = -1;
        svc.sched.cw -= di;
        if (svc.sched.cw <= 0) svc.sched.cw = mw;
        continue;
      }
      const d = ds[i]!;
      if (usable(d) && d.weight >= svc.sched.cw) {
        svc.sched.last = d;
        return d;
      }
    }
    return undefined;
  }

  /** ip_vs_sh_reassign: 256 buckets filled round the dest list, each dest `weight` buckets in a row. */
  #shBuckets(svc: IpvsService): (IpvsDest | undefined)[] {
    const out: (IpvsDest | undefined)[] = new Array(SH_TAB_SIZE);
    const ds = svc.dests;
    let p = 0;
    let count = 0;
    for (let i = 0; i < SH_TAB_SIZE; i++) {
      if (ds.length === 0) { out[i] = undefined; continue; }
      const d = ds[p % ds.length]!;
      out[i] = d;
      if (++count >= d.weight) { p++; count = 0; }
    }
    return out;
  }

  #reschedule(svc: IpvsService): void {
    svc.sched.buckets = undefined;
    if (svc.sched.last && !svc.dests.includes(svc.sched.last)) svc.sched.last = undefined;
  }

  // ---------- connections ----------

  /** The connection a packet from client to virtual address belongs to (either direction's original tuple). */
  lookupConn(protocol: IpvsProtocol, client: { ip: string; port: number }, virtual: { ip: string; port: number }): IpvsConn | undefined {
    this.#expire();
    return this.#conns.get(connKey(protocol, client.ip, client.port, virtual.ip, virtual.port));
  }

  /**
   * A packet from `client` to the service: the existing connection, or a new one to the
   * destination persistence or the scheduler picks (ip_vs_schedule / ip_vs_sched_persist).
   * A TCP connection starts in SYN_RECV (inactive) — call `established()` when the
   * handshake completes; UDP ones are inactive for their whole life.
   */
  connect(svc: IpvsService, client: { ip: string; port: number }, packet: { bytes?: number } = {}): ConnectResult {
    this.#expire();
    const now = this.now();
    const key = connKey(svc.protocol, client.ip, client.port, svc.address, svc.port);
    const existing = this.#conns.get(key);
    if (existing) {
      this.#count(existing, 'in', packet.bytes ?? 60);
      return { ok: true, conn: existing, dest: existing.destRef, fresh: false, persisted: false };
    }
    let dest: IpvsDest | undefined;
    let persisted = false;
    let template: IpvsConn | undefined;
    if (svc.flags & IPVS_SVC_F_PERSISTENT) {
      const masked = formatIPv4(((parseIPv4(client.ip) ?? 0) & (parseIPv4(svc.netmask) ?? 0xffffffff)) >>> 0);
      const tkey = connKey(svc.protocol, masked, 0, svc.address, svc.port);
      template = this.#templates.get(tkey);
      if (template && template.svc !== svc) template = undefined;
      if (template && this.templateUsable(svc, template)) {
        dest = template.destRef;
        persisted = true;
      } else {
        if (template) this.#dropTemplate(tkey, template);
        dest = this.schedule(svc, client.ip, client.port);
        if (!dest) return { ok: false, reason: 'no-destination' };
        template = {
          protocol: svc.protocol, client: { ip: masked, port: 0 }, virtual: { ip: svc.address, port: svc.port },
          dest: { ip: dest.address, port: dest.port }, state: 'NONE', expires: now + svc.timeout * 1000, template: true,
          destRef: dest, svc, inactive: true, nControl: 0,
        };
        this.#templates.set(tkey, template);
        let keys = this.#templatesByDest.get(dest);
        if (!keys) this.#templatesByDest.set(dest, (keys = new Set()));
        keys.add(tkey);
        this.#expiry.push(template.expires, tkey, template);
        dest.persistConns++;
      }
      template.expires = Math.max(template.expires, now + svc.timeout * 1000);
    } else {
      dest = this.schedule(svc, client.ip, client.port);
      if (!dest) return { ok: false, reason: 'no-destination' };
    }
    const tcp = svc.protocol === 'TCP';
    const state: IpvsConnState = tcp ? 'SYN_RECV' : svc.protocol === 'UDP' ? 'UDP' : 'SCTP';
    const conn: IpvsConn = {
      protocol: svc.protocol, client: { ...client }, virtual: { ip: svc.address, port: svc.port }, dest: { ip: dest.address, port: dest.port },
      state, expires: now + this.#timeoutFor(svc.protocol, state) * 1000, template: false, destRef: dest, svc, inactive: true,
      ...(template ? { control: template } : {}),
    };
    if (template) template.nControl = (template.nControl ?? 0) + 1;
    this.#conns.set(key, conn);
    dest.inactConns++;
    this.#tickEstimators();
    svc.stats.conns++;
    dest.stats.conns++;
    this.#count(conn, 'in', packet.bytes ?? 60);
    this.#expiry.push(conn.expires, key, conn);
    return { ok: true, conn, dest, fresh: true, persisted };
  }

  /** The live persistence template of a client for a persistent service (its address masked by the service's netmask). */
  template(svc: IpvsService, clientIp: string): IpvsConn | undefined {
    this.#expire();
    const masked = formatIPv4(((parseIPv4(clientIp) ?? 0) & (parseIPv4(svc.netmask) ?? 0xffffffff)) >>> 0);
    const t = this.#templates.get(connKey(svc.protocol, masked, 0, svc.address, svc.port));
    return t && t.svc === svc ? t : undefined;
  }

  /** ip_vs_check_template: the template's destination is still there (and, with expire_quiescent_template, not quiesced). */
  templateUsable(svc: IpvsService, t: IpvsConn): boolean {
    return svc.dests.includes(t.destRef) && !(this.expireQuiescentTemplate && t.destRef.weight <= 0);
  }

  /** The handshake completed: ESTABLISHED, counted as active (ip_vs_proto_tcp set_tcp_state). */
  established(conn: IpvsConn): void {
    this.#setState(conn, conn.protocol === 'TCP' ? 'ESTABLISHED' : conn.state);
  }

  /** The connection is closing (FIN seen): FIN_WAIT for `tcpfin` seconds, inactive. UDP: no change. */
  close(conn: IpvsConn): void {
    if (conn.protocol === 'TCP') this.#setState(conn, 'FIN_WAIT');
  }

  /** Account one packet of a connection: `in` from the client, `out` the reply (ip_vs_in_stats / ip_vs_out_stats). */
  packet(conn: IpvsConn, dir: 'in' | 'out', bytes = 60): void {
    this.#count(conn, dir, bytes);
    conn.expires = this.now() + this.#timeoutFor(conn.protocol, conn.state) * 1000;
  }

  /** Every connection and template, as `ipvsadm -Lnc` lists them (templates first, as they were created first). */
  connections(): IpvsConn[] {
    this.#expire();
    return [...this.#templates.values(), ...this.#conns.values()];
  }

  /** Connections to a real server (kube-proxy's graceful termination asks before deleting it). */
  destConnections(protocol: IpvsProtocol, vip: string, vport: number, rip: string, rport: number): number {
    const svc = this.getService(protocol, vip, vport);
    const d = svc && this.getDest(svc, rip, rport);
    this.#expire();
    return d ? d.activeConns + d.inactConns : 0;
  }

  /** `ipvsadm -Z`. */
  zero(svc?: IpvsService): void {
    for (const s of svc ? [svc] : this.services.values()) {
      s.stats = zeroStats();
      s.est = newEst();
      for (const d of s.dests) {
        d.stats = zeroStats();
        d.est = newEst();
      }
    }
  }

  /** `ipvsadm -Ln --rate` numbers (ip_vs_read_estimator). */
  rates(x: IpvsService | IpvsDest): IpvsRates {
    this.#tickEstimators();
    const e = x.est;
    return {
      cps: Math.floor((e.cps + 0x1ff) / 1024),
      inpps: Math.floor((e.inpps + 0x1ff) / 1024),
      outpps: Math.floor((e.outpps + 0x1ff) / 1024),
      inbps: Math.floor((e.inbps + 0xf) / 32),
      outbps: Math.floor((e.outbps + 0xf) / 32),
    };
  }

  #timeoutFor(protocol: IpvsProtocol, state: IpvsConnState): number {
    if (protocol === 'UDP') return this.timeouts.udp;
    if (protocol === 'SCTP') return this.timeouts.tcp;
    if (state === 'ESTABLISHED') return this.timeouts.tcp;
    if (state === 'FIN_WAIT') return this.timeouts.tcpfin;
    return TCP_STATE_TIMEOUTS[state] ?? 60;
  }

  #setState(conn: IpvsConn, state: IpvsConnState): void {
    const d = conn.destRef;
    const active = state === 'ESTABLISHED';
    if (conn.inactive && active) { d.inactConns--; d.activeConns++; conn.inactive = false; }
    else if (!conn.inactive && !active) { d.activeConns--; d.inactConns++; conn.inactive = true; }
    conn.state = state;
    const before = conn.expires;
    conn.expires = this.now() + this.#timeoutFor(conn.protocol, state) * 1000;
    // A later expiry needs no new heap entry (the old one finds the connection refreshed);
    // an earlier one (ESTABLISHED → FIN_WAIT) does.
    if (conn.expires < before) this.#expiry.push(conn.expires, connKey(conn.protocol, conn.client.ip, conn.client.port, conn.virtual.ip, conn.virtual.port), conn);
  }

  #count(conn: IpvsConn, dir: 'in' | 'out', bytes: number): void {
    this.#tickEstimators();
    for (const s of [conn.svc.stats, conn.destRef.stats]) {
      if (dir === 'in') { s.inpkts++; s.inbytes += bytes; } else { s.outpkts++; s.outbytes += bytes; }
    }
  }

  #dropTemplate(key: string, t: IpvsConn): void {
    this.#templates.delete(key);
    this.#templatesByDest.get(t.destRef)?.delete(key);
    t.destRef.persistConns = Math.max(0, t.destRef.persistConns - 1);
  }

  #forgetTemplatesOf(dest: IpvsDest): void {
    const keys = this.#templatesByDest.get(dest);
    if (!keys) return;
    for (const k of keys) this.#templates.delete(k);
    this.#templatesByDest.delete(dest);
  }

  /**
   * Remove expired connections (their counts leave their destination) and idle templates,
   * in expiry order from the heap. A connection refreshed since its entry was pushed goes
   * back with its new expiry; a template that still controls connections outlives its
   * timeout (ip_vs_conn_expire: n_control) and is looked at again a second later.
   */
  #expire(): void {
    const now = this.now();
    const heap = this.#expiry;
    while (heap.peek() <= now) {
      const { key, conn: c } = heap.pop();
      const table = c.template ? this.#templates : this.#conns;
      if (table.get(key) !== c) continue; // removed or replaced since
      if (c.expires > now) {
        heap.push(c.expires, key, c);
        continue;
      }
      if (c.template) {
        if ((c.nControl ?? 0) > 0) heap.push(now + 1000, key, c);
        else this.#dropTemplate(key, c);
        continue;
      }
      this.#conns.delete(key);
      if (c.inactive) c.destRef.inactConns--;
      else c.destRef.activeConns--;
      const t = c.control;
      if (t) {
        t.nControl = Math.max(0, (t.nControl ?? 0) - 1);
        // The last connection of an overdue template takes the template with it.
        const tkey = connKey(t.protocol, t.client.ip, 0, t.virtual.ip, t.virtual.port);
        if (t.nControl === 0 && t.expires <= now && this.#templates.get(tkey) === t) this.#dropTemplate(tkey, t);
      }
    }
  }

  /** Run the 2-second estimator ticks that fell due since the last one (counters were constant in between). */
  #tickEstimators(): void {
    const now = this.now();
    if (now < this.#estAt + EST_PERIOD_MS) return;
    const ticks = Math.floor((now - this.#estAt) / EST_PERIOD_MS);
    this.#estAt += ticks * EST_PERIOD_MS;
    const all: { s: IpvsStats; e: Estimator }[] = [];
    for (const svc of this.services.values()) {
      all.push({ s: svc.stats, e: svc.est });
      for (const d of svc.dests) all.push({ s: d.stats, e: d.est });
    }
    for (const { s, e } of all) {
      // Up to ~40 ticks matter (the EWMA forgets by 3/4 each); later ones only decay the rate.
      for (let t = 0; t < Math.min(ticks, 64); t++) {
        const rate = (n: number, last: number, shift: number): number => (n - last) * 2 ** shift;
        e.cps += Math.trunc((rate(s.conns, e.last.conns, 9) - e.cps) / 4);
        e.inpps += Math.trunc((rate(s.inpkts, e.last.inpkts, 9) - e.inpps) / 4);
        e.outpps += Math.trunc((rate(s.outpkts, e.last.outpkts, 9) - e.outpps) / 4);
        e.inbps += Math.trunc((rate(s.inbytes, e.last.inbytes, 4) - e.inbps) / 4);
        e.outbps += Math.trunc((rate(s.outbytes, e.last.outbytes, 4) - e.outbps) / 4);
        e.last = { ...s };
      }
    }
  }
}
