/**
 * What `ipvsadm -L` prints, after ipvsadm 1.31's ipvsadm.c (print_title, print_service_entry,
 * print_largenum, list_conn/print_conn, list_timeout) and libipvs's sort order
 * (ipvs_cmp_services / ipvs_cmp_dests). Pure: a table in, text out.
 */

export type IpvsProto = 'TCP' | 'UDP' | 'SCTP';

/** ip_vs_stats_user: totals and the kernel's rate estimator (per second). */
export interface IpvsStatsView {
  conns: number;
  inpkts: number;
  outpkts: number;
  inbytes: number;
  outbytes: number;
  cps: number;
  inpps: number;
  outpps: number;
  inbps: number;
  outbps: number;
}

export const ZERO_STATS: IpvsStatsView = { conns: 0, inpkts: 0, outpkts: 0, inbytes: 0, outbytes: 0, cps: 0, inpps: 0, outpps: 0, inbps: 0, outbps: 0 };

export interface RealServerView {
  address: string;
  port: number;
  weight: number;
  /** IP_VS_CONN_F_FWD_MASK, as fwd_name prints it (kube-proxy always uses Masq). */
  forward: 'Masq' | 'Local' | 'Tunnel' | 'Route';
  activeConns: number;
  inactConns: number;
  persistConns: number;
  uThreshold: number;
  lThreshold: number;
  stats: IpvsStatsView;
}

export interface VirtualServiceView {
  protocol: IpvsProto;
  address: string;
  port: number;
  scheduler: string;
  /** IP_VS_SVC_F_* bits: 0x1 persistent, 0x4 one-packet, 0x8/0x10/0x20 scheduler flags 1-3. */
  flags: number;
  /** Persistence timeout (seconds) when persistent. */
  timeout: number;
  /** Persistence netmask (default 255.255.255.255, not printed). */
  netmask?: string;
  stats: IpvsStatsView;
  realServers: RealServerView[];
}

/** One line of /proc/net/ip_vs_conn, already decoded. */
export interface IpvsConnView {
  protocol: IpvsProto;
  client: { address: string; port: number };
  virtual: { address: string; port: number };
  dest: { address: string; port: number };
  /** ESTABLISHED, SYN_RECV, FIN_WAIT, TIME_WAIT, CLOSE, ..., or UDP / NONE. */
  state: string;
  /** Seconds left. */
  expires: number;
}

export const FMT = {
  NUMERIC: 0x1,
  RULE: 0x2,
  STATS: 0x4,
  RATE: 0x8,
  THRESHOLDS: 0x10,
  PERSISTENTCONN: 0x20,
  NOSORT: 0x40,
  EXACT: 0x80,
} as const;

export const IPVS_VERSION_LINE = 'IP Virtual Server version 1.2.1 (size=4096)';

export const SVC_F_PERSISTENT = 0x1;
export const SVC_F_ONEPACKET = 0x4;
export const SVC_F_SCHED1 = 0x8;
export const SVC_F_SCHED2 = 0x10;
export const SVC_F_SCHED3 = 0x20;

const PROTO_NUM: Record<IpvsProto, number> = { TCP: 6, UDP: 17, SCTP: 132 };

/** A dotted quad (the table holds only valid IPv4 addresses) as an unsigned number, digit by digit: no garbage for 110,000 addresses. */
function ipNum(ip: string): number {
  let n = 0;
  let octet = 0;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c === 46 /* . */) {
      n = n * 256 + octet;
      octet = 0;
    } else {
      octet = octet * 10 + (c - 48);
    }
  }
  return n * 256 + octet;
}

/**
 * libipvs compares addresses as `ntohl(a) - ntohl(b)` in an int: the unsigned difference
 * wraps, so 192.168.x sorts *before* 10.x (difference above 2^31 turns negative). We keep
 * that quirk: it is what `ipvsadm -Ln` shows.
 */
function cmpInt(a: number, b: number): number {
  return (a - b) | 0;
}

// The sorts parse each address once, not at every comparison (10,000 Services make
// 130,000 comparisons); the comparisons and so the order are the same.
export function sortServices(list: readonly VirtualServiceView[]): VirtualServiceView[] {
  return list.map((s) => ({ s, proto: PROTO_NUM[s.protocol], ip: ipNum(s.address) }))
    .sort((a, b) => a.proto - b.proto || cmpInt(a.ip, b.ip) || a.s.port - b.s.port)
    .map((k) => k.s);
}

export function sortDests(list: readonly RealServerView[]): RealServerView[] {
  return list.map((d) => ({ d, ip: ipNum(d.address) }))
    .sort((a, b) => cmpInt(a.ip, b.ip) || a.d.port - b.d.port)
    .map((k) => k.d);
}

/** Name lookups ipvsadm does without -n (gethostbyaddr, getservbyport). */
export interface Resolver {
  host(ip: string): string | undefined;
  service(port: number, proto: IpvsProto): string | undefined;
}

function addrport(ip: string, port: number, proto: IpvsProto, format: number, r?: Resolver): string {
  if (format & FMT.NUMERIC || !r) return `${ip}:${port}`;
  return `${r.host(ip) ?? ip}:${r.service(port, proto) ?? port}`;
}

const padR = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const padL = (s: string, n: number): string => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

/** print_largenum: 9 columns, K/M/G/T past 100 million; with --exact the whole number. */
export function largenum(i: number, format: number): string {
  if (format & FMT.EXACT) {
    const s = String(i);
    return padL(s, s.length <= 8 ? 9 : s.length + 1);
  }
  if (i < 100_000_000) return padL(String(i), 9);
  if (i < 1_000_000_000) return padL(String(Math.floor(i / 1000)), 8) + 'K';
  if (i < 100_000_000_000) return padL(String(Math.floor(i / 1_000_000)), 8) + 'M';
  if (i < 100_000_000_000_000) return padL(String(Math.floor(i / 1_000_000_000)), 8) + 'G';
  return padL(String(Math.floor(i / 1_000_000_000_000)), 8) + 'T';
}

export function title(format: number): string {
  const head = (cols: string): string => `${padR('Prot LocalAddress:Port', 33)} ${cols}\n  -> RemoteAddress:Port\n`;
  const r8 = (...c: string[]): string => c.map((x) => padL(x, 8)).join(' ');
  if (format & FMT.STATS) return head(r8('Conns', 'InPkts', 'OutPkts', 'InBytes', 'OutBytes'));
  if (format & FMT.RATE) return head(r8('CPS', 'InPPS', 'OutPPS', 'InBPS', 'OutBPS'));
  if (format & FMT.THRESHOLDS) return head(['Uthreshold', 'Lthreshold', 'ActiveConn', 'InActConn'].map((x) => padR(x, 10)).join(' '));
  if (format & FMT.PERSISTENTCONN) return head(`${padR('Weight', 9)} ${padR('PersistConn', 11)} ${padR('ActiveConn', 10)} ${padR('InActConn', 10)}`);
  if (format & FMT.RULE) return '';
  return 'Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n';
}

/** print_sched_flags: sh/mh name their flags, other schedulers print flag-N. */
function schedFlags(s: VirtualServiceView): string {
  const names = s.scheduler === 'sh' || s.scheduler === 'mh'
    ? [`${s.scheduler}-fallback`, `${s.scheduler}-port`, 'flag-3']
    : ['flag-1', 'flag-2', 'flag-3'];
  const on = [SVC_F_SCHED1, SVC_F_SCHED2, SVC_F_SCHED3].map((b, i) => (s.flags & b ? names[i] : undefined)).filter(Boolean);
  return on.length ? ` (${on.join(',')})` : '';
}

const FWD_SWITCH: Record<RealServerView['forward'], string> = { Masq: '-m', Tunnel: '-i', Local: '-g', Route: '-g' };
const PROTO_SWITCH: Record<IpvsProto, string> = { TCP: '-t', UDP: '-u', SCTP: '--sctp-service' };

/**
 * print_service_entry, one string per line pushed to `lines`: the listings join them once
 * (10,000 Services are 110,000 lines; appending to one string keeps every piece alive as a rope).
 */
function pushServiceEntry(lines: string[], s: VirtualServiceView, format: number, r?: Resolver): void {
  const vname = addrport(s.address, s.port, s.protocol, format, r);
  let out = '';
  // "%-4s %s": `TCP  10.96.0.1:443`, `SCTP 10.0.2.15:31514` (kubernetes PR #81477 shows both).
  const svcName = format & FMT.RULE ? `${PROTO_SWITCH[s.protocol]} ${vname}` : `${padR(s.protocol, 4)} ${vname}`.slice(0, 33);
  const persistent = s.flags & SVC_F_PERSISTENT;
  const mask = s.netmask && s.netmask !== '255.255.255.255' ? s.netmask : undefined;
  if (format & FMT.RULE) {
    out += `-A ${svcName} -s ${s.scheduler}`;
    if (s.flags & (SVC_F_SCHED1 | SVC_F_SCHED2 | SVC_F_SCHED3)) out += ` -b ${schedFlags(s).slice(2, -1)}`;
    if (persistent) {
      out += ` -p ${s.timeout}`;
      if (mask) out += ` -M ${mask}`;
    }
    if (s.flags & SVC_F_ONEPACKET) out += ' -o';
  } else if (format & (FMT.STATS | FMT.RATE)) {
    const st = s.stats;
    const v = format & FMT.STATS ? [st.conns, st.inpkts, st.outpkts, st.inbytes, st.outbytes] : [st.cps, st.inpps, st.outpps, st.inbps, st.outbps];
    out += padR(svcName, 33) + v.map((x) => largenum(x, format)).join('');
  } else {
    out += `${svcName} ${s.scheduler}${schedFlags(s)}`;
    if (persistent) {
      out += ` persistent ${s.timeout}`;
      if (mask) out += ` mask ${mask}`;
    }
    if (s.flags & SVC_F_ONEPACKET) out += ' ops';
  }
  lines.push(out + '\n');
  const dests = format & FMT.NOSORT ? s.realServers : sortDests(s.realServers);
  for (const d of dests) {
    const full = addrport(d.address, d.port, s.protocol, format, r);
    const dname = format & FMT.RULE ? full : full.slice(0, 28);
    if (format & FMT.RULE) {
      lines.push(`-a ${svcName} -r ${dname} ${FWD_SWITCH[d.forward]} -w ${d.weight}\n`);
    } else if (format & FMT.STATS) {
      const st = d.stats;
      lines.push(`  -> ${padR(dname, 28)}${[st.conns, st.inpkts, st.outpkts, st.inbytes, st.outbytes].map((x) => largenum(x, format)).join('')}\n`);
    } else if (format & FMT.RATE) {
      const st = d.stats;
      lines.push(`  -> ${padR(dname, 28)} ${padL(String(st.cps), 8)} ${padL(String(st.inpps), 8)} ${padL(String(st.outpps), 8)}${largenum(st.inbps, format)}${largenum(st.outbps, format)}\n`);
    } else if (format & FMT.THRESHOLDS) {
      lines.push(`  -> ${padR(dname, 28)} ${[d.uThreshold, d.lThreshold, d.activeConns, d.inactConns].map((x) => padR(String(x), 10)).join(' ')}\n`);
    } else if (format & FMT.PERSISTENTCONN) {
      lines.push(`  -> ${padR(dname, 28)} ${padR(String(d.weight), 9)} ${padR(String(d.persistConns), 11)} ${padR(String(d.activeConns), 10)} ${padR(String(d.inactConns), 10)}\n`);
    } else {
      lines.push(`  -> ${padR(dname, 28)} ${padR(d.forward, 7)} ${padR(String(d.weight), 6)} ${padR(String(d.activeConns), 10)} ${padR(String(d.inactConns), 10)}\n`);
    }
  }
}

/** `ipvsadm -L` (list_all): the version line (not with -S), the title, every service sorted. */
export function listAll(services: readonly VirtualServiceView[], format: number, r?: Resolver): string {
  const lines = [format & FMT.RULE ? '' : IPVS_VERSION_LINE + '\n', title(format)];
  // Joined into a flat chunk every few thousand lines: the lines (ropes of their template's
  // pieces) die young instead of being copied by every scavenge until the listing ends.
  let text = '';
  for (const s of format & FMT.NOSORT ? services : sortServices(services)) {
    pushServiceEntry(lines, s, format, r);
    if (lines.length >= 4096) {
      text += lines.join('');
      lines.length = 0;
    }
  }
  return text + lines.join('');
}

/** `ipvsadm -L -t VIP:PORT` (list_service): the title and that one service, no version line. */
export function listService(s: VirtualServiceView, format: number, r?: Resolver): string {
  const lines = [title(format)];
  pushServiceEntry(lines, s, format, r);
  return lines.join('');
}

/** `ipvsadm -Lc` (list_conn over /proc/net/ip_vs_conn). */
export function listConnections(conns: readonly IpvsConnView[], format: number, r?: Resolver): string {
  let out = 'IPVS connection entries\n';
  out += `pro expire ${padR('state', 11)} ${padR('source', 18)} ${padR('virtual', 18)} destination\n`;
  for (const c of conns) {
    const mm = String(Math.floor(c.expires / 60)).padStart(2, '0');
    const ss = String(c.expires % 60).padStart(2, '0');
    const a = (x: { address: string; port: number }): string => addrport(x.address, x.port, c.protocol, format, r);
    out += `${padR(c.protocol, 3)} ${padR(`${mm}:${ss}`, 6)} ${padR(c.state, 11)} ${padR(a(c.client), 18)} ${padR(a(c.virtual), 18)} ${a(c.dest)}\n`;
  }
  return out;
}

export function timeoutLine(t: { tcp: number; tcpfin: number; udp: number }): string {
  return `Timeout (tcp tcpfin udp): ${t.tcp} ${t.tcpfin} ${t.udp}\n`;
}
