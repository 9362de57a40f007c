/**
 * `ipvsadm` on a node: list the IPVS table kube-proxy programs (-Ln, --stats, --rate,
 * --thresholds, --persistent-conn, -c, --timeout, -S, -t/-u/--sctp-service VIP:PORT) and
 * change it by hand (-A/-E/-D/-a/-e/-d/-C/-Z/--set) — kube-proxy's next sync puts its own
 * virtual servers back. Option handling after ipvsadm 1.31 (popt): the first option must be
 * the command, `-Ln` groups, errors and exit codes as parse_options/generic_opt_check give them.
 */
import type { CommandModule, CommandResult } from '../../types';
import { ipvsTable, type IpvsErrno, type IpvsTableView, nodeHost, nodeResolver, requireNode } from '../iptables/host';
import { FMT, listAll, listConnections, listService, SVC_F_ONEPACKET, SVC_F_PERSISTENT, SVC_F_SCHED1, SVC_F_SCHED2, SVC_F_SCHED3, timeoutLine, type IpvsProto } from './format';
import { IPVSADM_HELP, IPVSADM_VERSION } from './help';

type Cmd = 'add-service' | 'edit-service' | 'delete-service' | 'flush' | 'list' | 'add-server' | 'delete-server' | 'edit-server' | 'set' | 'start-daemon' | 'stop-daemon' | 'restore' | 'save' | 'zero';

/** optnames in ipvsadm.c, in bit order. */
const OPTS = ['numeric', 'connection', 'service-address', 'scheduler', 'persistent', 'netmask', 'real-server', 'forwarding-method', 'weight', 'u-threshold', 'l-threshold', 'mcast-interface', 'timeout', 'daemon', 'stats', 'rate', 'thresholds', 'persistent-conn', 'nosort', 'syncid', 'exact', 'ops', 'pe', 'sched-flags'] as const;
type Opt = (typeof OPTS)[number];

/**
 * commands_v_options (ipvsadm.c, 1.31 columns: the 22 above plus --pe and --sched-flags):
 * '+' compulsory, 'x' illegal, '1' exclusive, ' ' optional.
 */
const x = (n: number): string => 'x'.repeat(n);
const TABLE: Record<Cmd, string> = {
  'add-service': 'xx+   ' + x(15) + '   ',
  'edit-service': 'xx+   ' + x(15) + '   ',
  'delete-service': 'xx+' + x(21),
  'flush': x(24),
  'list': ' 11' + x(9) + '11' + '       ' + x(3),
  'add-server': 'xx+xxx+    ' + x(13),
  'delete-server': 'xx+xxx+' + x(17),
  'edit-server': 'xx+xxx+    ' + x(13),
  'set': x(24),
  'start-daemon': x(11) + ' ' + x(7) + ' ' + x(4),
  'stop-daemon': x(19) + ' ' + x(4),
  'restore': x(24),
  'save': ' ' + x(23),
  'zero': 'xx ' + x(21),
};

interface OptDef {
  long: string;
  short?: string;
  arg: 'none' | 'required' | 'optional';
  id: string;
}

const DEFS: OptDef[] = [
  { long: 'add-service', short: 'A', arg: 'none', id: 'A' },
  { long: 'edit-service', short: 'E', arg: 'none', id: 'E' },
  { long: 'delete-service', short: 'D', arg: 'none', id: 'D' },
  { long: 'clear', short: 'C', arg: 'none', id: 'C' },
  { long: 'list', short: 'L', arg: 'none', id: 'L' },
  { long: 'list', short: 'l', arg: 'none', id: 'L' },
  { long: 'zero', short: 'Z', arg: 'none', id: 'Z' },
  { long: 'add-server', short: 'a', arg: 'none', id: 'a' },
  { long: 'edit-server', short: 'e', arg: 'none', id: 'e' },
  { long: 'delete-server', short: 'd', arg: 'none', id: 'd' },
  { long: 'set', arg: 'none', id: 'set' },
  { long: 'help', short: 'h', arg: 'none', id: 'h' },
  { long: 'version', short: 'v', arg: 'none', id: 'v' },
  { long: 'restore', short: 'R', arg: 'none', id: 'R' },
  { long: 'save', short: 'S', arg: 'none', id: 'S' },
  { long: 'start-daemon', arg: 'required', id: 'start-daemon' },
  { long: 'stop-daemon', arg: 'required', id: 'stop-daemon' },
  { long: 'tcp-service', short: 't', arg: 'required', id: 't' },
  { long: 'udp-service', short: 'u', arg: 'required', id: 'u' },
  { long: 'sctp-service', arg: 'required', id: 'sctp' },
  { long: 'fwmark-service', short: 'f', arg: 'required', id: 'f' },
  { long: 'scheduler', short: 's', arg: 'required', id: 's' },
  { long: 'persistent', short: 'p', arg: 'optional', id: 'p' },
  { long: 'netmask', short: 'M', arg: 'required', id: 'M' },
  { long: 'real-server', short: 'r', arg: 'required', id: 'r' },
  { long: 'masquerading', short: 'm', arg: 'none', id: 'm' },
  { long: 'ipip', short: 'i', arg: 'none', id: 'i' },
  { long: 'gatewaying', short: 'g', arg: 'none', id: 'g' },
  { long: 'weight', short: 'w', arg: 'required', id: 'w' },
  { long: 'u-threshold', short: 'x', arg: 'required', id: 'x' },
  { long: 'l-threshold', short: 'y', arg: 'required', id: 'y' },
  { long: 'numeric', short: 'n', arg: 'none', id: 'n' },
  { long: 'connection', short: 'c', arg: 'none', id: 'c' },
  { long: 'mcast-interface', arg: 'required', id: 'mcast' },
  { long: 'syncid', arg: 'required', id: 'syncid' },
  { long: 'timeout', arg: 'none', id: 'timeout' },
  { long: 'daemon', arg: 'none', id: 'daemon' },
  { long: 'stats', arg: 'none', id: 'stats' },
  { long: 'rate', arg: 'none', id: 'rate' },
  { long: 'thresholds', arg: 'none', id: 'thresholds' },
  { long: 'persistent-conn', arg: 'none', id: 'persistent-conn' },
  { long: 'nosort', arg: 'none', id: 'nosort' },
  { long: 'sort', arg: 'none', id: 'sort' },
  { long: 'exact', short: 'X', arg: 'none', id: 'X' },
  { long: 'ipv6', short: '6', arg: 'none', id: '6' },
  { long: 'ops', short: 'o', arg: 'none', id: 'o' },
  { long: 'pe', arg: 'required', id: 'pe' },
  { long: 'sched-flags', short: 'b', arg: 'required', id: 'b' },
];

const COMMAND_OF: Record<string, Cmd> = {
  A: 'add-service', E: 'edit-service', D: 'delete-service', C: 'flush', L: 'list', Z: 'zero', a: 'add-server',
  e: 'edit-server', d: 'delete-server', set: 'set', R: 'restore', S: 'save', 'start-daemon': 'start-daemon', 'stop-daemon': 'stop-daemon',
};

const SCHEDULERS = new Set(['rr', 'wrr', 'lc', 'wlc', 'lblc', 'lblcr', 'dh', 'sh', 'sed', 'nq', 'fo', 'ovf', 'mh', 'twos']);

type Tok = { id: string; arg?: string; text: string } | { error: string; text: string } | { positional: string };

/** popt over argv: long options (`--x=v`, `--x v`), grouped shorts (`-Ln`, `-t10.0.0.1:80`). */
function tokenize(argv: readonly string[]): Tok[] {
  const out: Tok[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') { for (const p of argv.slice(i + 1)) out.push({ positional: p }); break; }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq === -1 ? a.slice(2) : a.slice(2, eq);
      const def = DEFS.find((d) => d.long === name);
      if (!def) { out.push({ error: 'unknown option', text: a }); continue; }
      let arg: string | undefined;
      if (eq !== -1) arg = a.slice(eq + 1);
      else if (def.arg === 'required') {
        if (i + 1 >= argv.length) { out.push({ error: 'missing argument', text: a }); continue; }
        arg = argv[++i];
      } else if (def.arg === 'optional' && i + 1 < argv.length && !argv[i + 1]!.startsWith('-')) arg = argv[++i];
      out.push({ id: def.id, text: a, ...(arg !== undefined ? { arg } : {}) });
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const def = DEFS.find((d) => d.short === a[j]);
        if (!def) { out.push({ error: 'unknown option', text: `-${a[j]}` }); break; }
        if (def.arg === 'none') { out.push({ id: def.id, text: `-${a[j]}` }); continue; }
        const rest = a.slice(j + 1);
        let arg: string | undefined = rest || undefined;
        if (arg === undefined) {
          if (def.arg === 'required') {
            if (i + 1 >= argv.length) { out.push({ error: 'missing argument', text: `-${a[j]}` }); break; }
            arg = argv[++i];
          } else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('-')) arg = argv[++i];
        }
        out.push({ id: def.id, text: `-${a[j]}`, ...(arg !== undefined ? { arg } : {}) });
        break;
      }
      continue;
    }
    out.push({ positional: a });
  }
  return out;
}

interface Svc {
  protocol: IpvsProto;
  address?: string;
  port: number;
  fwmark?: number;
  scheduler?: string;
  flags: number;
  timeout: number;
  netmask: string;
}

interface Dest {
  address: string;
  port: number;
  weight: number;
  forward: 'Masq' | 'Tunnel' | 'Route';
  uThreshold: number;
  lThreshold: number;
}

const SERVICES: Record<string, Record<string, number>> = {
  tcp: { http: 80, https: 443, domain: 53, ssh: 22, ftp: 21, smtp: 25, 'http-alt': 8080 },
  udp: { domain: 53, ntp: 123, snmp: 161 },
};

/** parse_service: host[:port]; returns flags SERVICE_ADDR (1) | SERVICE_PORT (2), or 0. */
function parseService(text: string, proto: IpvsProto): { result: number; address?: string; port?: number } {
  if (/^\d+$/.test(text)) return { result: 0 };
  const colon = text.lastIndexOf(':');
  const host = colon === -1 ? text : text.slice(0, colon);
  const portText = colon === -1 ? undefined : text.slice(colon + 1);
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.split('.').some((o) => Number(o) > 255)) return { result: 0 };
  if (portText === undefined) return { result: 1, address: host };
  let port: number | undefined;
  if (/^\d+$/.test(portText) && Number(portText) <= 65535) port = Number(portText);
  else port = SERVICES[proto === 'UDP' ? 'udp' : 'tcp']![portText];
  if (port === undefined) return { result: 0 };
  return { result: 3, address: host, port };
}

const die = (msg: string, code = 2): CommandResult => ({ stdout: '', stderr: msg + '\n', exitCode: code });
const TRY = "Try `ipvsadm -h' or 'ipvsadm --help' for more information.\n";

const ERRNO_TEXT: Record<string, Partial<Record<IpvsErrno, string>>> = {
  'add-service': { EEXIST: 'Service already exists', ENOENT: 'Scheduler not found' },
  'edit-service': { ESRCH: 'No such service', ENOENT: 'Scheduler not found' },
  'delete-service': { ESRCH: 'No such service' },
  zero: { ESRCH: 'No such service' },
  'add-server': { ESRCH: 'Service not defined', EEXIST: 'Destination already exists' },
  'edit-server': { ESRCH: 'Service not defined', ENOENT: 'No such destination' },
  'delete-server': { ESRCH: 'Service not defined', ENOENT: 'No such destination' },
  list: { ESRCH: 'No such service' },
};
/** ipvs_strerror: the per-call table, then the generic one. */
function strerror(cmd: string, e: IpvsErrno): string {
  return ERRNO_TEXT[cmd]?.[e] ?? { EPERM: 'Permission denied (you must be root)', EINVAL: 'Invalid operation.  Possibly wrong module version, address not unicast, ...', ESRCH: 'No such process', ENOENT: 'No such file or directory', EEXIST: 'File exists' }[e];
}

export const ipvsadm: CommandModule = {
  name: 'ipvsadm',
  help: IPVSADM_HELP,
  async execute(argv, ctx) {
    const node = requireNode(ctx, 'ipvsadm');
    if ('exitCode' in node) return node;
    const table = ipvsTable(ctx, node.name);
    if ('exitCode' in table) return table;
    const h = nodeHost(ctx, node.name);
    if (!('exitCode' in h)) h.handEdits++;
    return run(argv, table, ctx.stdin, nodeResolver(ctx));
  },
};

/** The command proper, over an IPVS table (tests drive it directly). */
export function run(argv: readonly string[], table: IpvsTableView, stdin = '', resolver?: Parameters<typeof listAll>[2]): CommandResult {
  if (argv.length === 0) return { stdout: listAll(table.services(), 0, resolver), stderr: '', exitCode: 0 };
  const toks = tokenize(argv);
  const first = toks[0]!;
  if (!('id' in first)) return { stdout: '', stderr: TRY, exitCode: 255 };
  if (first.id === 'h') return { stdout: IPVSADM_HELP, stderr: '', exitCode: 0 };
  if (first.id === 'v') return { stdout: IPVSADM_VERSION + '\n', stderr: '', exitCode: 0 };
  const cmd = COMMAND_OF[first.id];
  if (!cmd) return { stdout: '', stderr: TRY, exitCode: 255 };
  if (cmd === 'start-daemon' || cmd === 'stop-daemon') {
    if (first.arg !== 'master' && first.arg !== 'backup') return die(cmd === 'start-daemon' ? 'illegal start-daemon parameter specified' : 'illegal start_daemon specified');
  }

  const opts = new Set<Opt>();
  let format = 0;
  const svc: Svc = { protocol: 'TCP', port: 0, flags: 0, timeout: 0, netmask: '255.255.255.255' };
  const dest: Dest = { address: '', port: 0, weight: 1, forward: 'Route', uThreshold: 0, lThreshold: 0 };
  const positional: string[] = [];
  const setOption = (o: Opt): CommandResult | undefined => {
    if (opts.has(o)) return die(`multiple '${o}' options specified`);
    opts.add(o);
    return undefined;
  };
  for (const t of toks.slice(1)) {
    if ('positional' in t) { positional.push(t.positional); continue; }
    if ('error' in t) return { stdout: '', stderr: `${t.text}: ${t.error}\n`, exitCode: 255 };
    let e: CommandResult | undefined;
    const arg = t.arg ?? '';
    switch (t.id) {
      case 'A': case 'E': case 'D': case 'C': case 'L': case 'Z': case 'a': case 'e': case 'd': case 'set': case 'R': case 'S': case 'start-daemon': case 'stop-daemon':
        return die('multiple commands specified');
      case 'h': return { stdout: IPVSADM_HELP, stderr: '', exitCode: 0 };
      case 'v': return { stdout: IPVSADM_VERSION + '\n', stderr: '', exitCode: 0 };
      case 't': case 'u': case 'sctp': {
        e = setOption('service-address');
        svc.protocol = t.id === 't' ? 'TCP' : t.id === 'u' ? 'UDP' : 'SCTP';
        const p = parseService(arg, svc.protocol);
        if (!(p.result & 1)) return die('illegal virtual server address[:port] specified');
        svc.address = p.address;
        svc.port = p.port ?? 0;
        break;
      }
      case 'f': {
        e = setOption('service-address');
        if (!/^\d+$/.test(arg) || Number(arg) <= 0) return die(`invalid fwmark value \`${arg}' specified`);
        svc.fwmark = Number(arg);
        break;
      }
      case 's': e = setOption('scheduler'); svc.scheduler = arg; break;
      case 'p': {
        e = setOption('persistent');
        svc.flags |= SVC_F_PERSISTENT;
        if (t.arg === undefined) svc.timeout = 300;
        else if (!/^\d+$/.test(arg) || Number(arg) < 1 || Number(arg) > 86400 * 31) return die(`invalid timeout value \`${arg}' specified`);
        else svc.timeout = Number(arg);
        break;
      }
      case 'M': {
        e = setOption('netmask');
        if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(arg)) return die('illegal virtual server persistent mask specified');
        svc.netmask = arg;
        break;
      }
      case 'r': {
        e = setOption('real-server');
        const p = parseService(arg, svc.protocol);
        if (!(p.result & 1)) return die('illegal real server address[:port] specified');
        dest.address = p.address!;
        dest.port = p.result === 1 ? svc.port : p.port!;
        break;
      }
      case 'i': e = setOption('forwarding-method'); dest.forward = 'Tunnel'; break;
      case 'g': e = setOption('forwarding-method'); dest.forward = 'Route'; break;
      case 'm': e = setOption('forwarding-method'); dest.forward = 'Masq'; break;
      case 'w': {
        e = setOption('weight');
        if (!/^\d+$/.test(arg) || Number(arg) > 65535) return die('illegal weight specified');
        dest.weight = Number(arg);
        break;
      }
      case 'x': case 'y': {
        e = setOption(t.id === 'x' ? 'u-threshold' : 'l-threshold');
        if (!/^\d+$/.test(arg) || Number(arg) > 2147483647) return die(`illegal ${t.id === 'x' ? 'u' : 'l'}_threshold specified`);
        if (t.id === 'x') dest.uThreshold = Number(arg);
        else dest.lThreshold = Number(arg);
        break;
      }
      case 'c': e = setOption('connection'); break;
      case 'n': e = setOption('numeric'); format |= FMT.NUMERIC; break;
      case 'mcast': e = setOption('mcast-interface'); break;
      case 'syncid': e = setOption('syncid'); break;
      case 'timeout': e = setOption('timeout'); break;
      case 'daemon': e = setOption('daemon'); break;
      case 'stats': e = setOption('stats'); format |= FMT.STATS; break;
      case 'rate': e = setOption('rate'); format |= FMT.RATE; break;
      case 'thresholds': e = setOption('thresholds'); format |= FMT.THRESHOLDS; break;
      case 'persistent-conn': e = setOption('persistent-conn'); format |= FMT.PERSISTENTCONN; break;
      case 'nosort': e = setOption('nosort'); format |= FMT.NOSORT; break;
      case 'sort': break;
      case 'X': e = setOption('exact'); format |= FMT.EXACT; break;
      case '6': if (!svc.fwmark) return die('-6 used before -f\n'); break;
      case 'o': e = setOption('ops'); svc.flags |= SVC_F_ONEPACKET; break;
      case 'pe': e = setOption('pe'); break;
      case 'b': {
        e = setOption('sched-flags');
        for (const f of arg.split(',')) {
          const bit = /-fallback$|^flag-1$/.test(f) ? SVC_F_SCHED1 : /-port$|^flag-2$/.test(f) ? SVC_F_SCHED2 : f === 'flag-3' ? SVC_F_SCHED3 : 0;
          if (!bit) return die(`invalid scheduler flag \`${f}'`);
          svc.flags |= bit;
        }
        break;
      }
    }
    if (e) return e;
  }
  if (cmd === 'set') {
    if (positional.length < 3) return die('--set option requires 3 timeout values');
    const v = positional.slice(0, 3).map((x) => (/^\d+$/.test(x) && Number(x) <= 86400 * 31 ? Number(x) : -1));
    const bad = v.findIndex((x) => x < 0);
    if (bad >= 0) return die(`invalid timeout value \`${positional[bad]}' specified`);
    positional.splice(0, 3);
    if (positional.length) return die(`unexpected argument ${positional[0]}`);
    table.setTimeouts({ tcp: v[0]!, tcpfin: v[1]!, udp: v[2]! });
    return { stdout: '', stderr: '', exitCode: 0 };
  }
  if (positional.length) return die(`unexpected argument ${positional[0]}`);

  // generic_opt_check
  const row = TABLE[cmd];
  let exclusive: Opt | undefined;
  for (let j = 0; j < OPTS.length; j++) {
    const o = OPTS[j]!;
    const rule = row[j] ?? 'x';
    if (!opts.has(o)) {
      if (rule === '+') return die(`You need to supply the '${o}' option for the '${cmd}' command`);
      continue;
    }
    if (rule === 'x') return die(`Illegal '${o}' option with the '${cmd}' command`);
    if (rule === '1') {
      if (exclusive) return die(`The option '${o}' conflicts with the '${exclusive}' option in the '${cmd}' command`);
      exclusive = o;
    }
  }

  if (cmd === 'add-service' || cmd === 'edit-service') {
    if (!svc.fwmark && !svc.port && !(svc.flags & SVC_F_PERSISTENT)) return die('Zero port specified for non-persistent service');
    if (svc.flags & SVC_F_ONEPACKET && !svc.fwmark && svc.protocol !== 'UDP') return die('One-Packet Scheduling is only for UDP virtual services');
    if (!svc.scheduler) svc.scheduler = 'wlc';
  }
  if ((cmd === 'add-server' || cmd === 'edit-server') && !svc.fwmark && (dest.forward === 'Tunnel' || dest.forward === 'Route')) dest.port = svc.port;

  const key = { protocol: svc.protocol, address: svc.address ?? '0.0.0.0', port: svc.port };
  const report = (e: IpvsErrno | undefined): CommandResult => (e ? { stdout: '', stderr: strerror(cmd, e) + '\n', exitCode: 1 } : { stdout: '', stderr: '', exitCode: 0 });
  if (svc.fwmark !== undefined && cmd !== 'list' && cmd !== 'save') {
    // kube-proxy never makes fwmark services; the emulated table only keys by address.
    return { stdout: '', stderr: strerror(cmd, 'EINVAL') + '\n', exitCode: 1 };
  }
  switch (cmd) {
    case 'list': {
      if ((opts.has('connection') || opts.has('timeout') || opts.has('daemon')) && (format & (FMT.STATS | FMT.PERSISTENTCONN | FMT.RATE | FMT.THRESHOLDS))) {
        return die('options conflicts in the list command');
      }
      if (opts.has('connection')) return { stdout: listConnections(table.connections(), format, resolver), stderr: '', exitCode: 0 };
      if (opts.has('service-address')) {
        const s = svc.fwmark === undefined ? table.services().find((x) => x.protocol === key.protocol && x.address === key.address && x.port === key.port) : undefined;
        if (!s) return { stdout: '', stderr: 'No such service\n', exitCode: 1 };
        return { stdout: listService(s, format, resolver), stderr: '', exitCode: 0 };
      }
      if (opts.has('timeout')) return { stdout: timeoutLine(table.timeouts()), stderr: '', exitCode: 0 };
      if (opts.has('daemon')) return { stdout: '', stderr: '', exitCode: 0 };
      return { stdout: listAll(table.services(), format, resolver), stderr: '', exitCode: 0 };
    }
    case 'save':
      return { stdout: listAll(table.services(), format | FMT.RULE, resolver), stderr: '', exitCode: 0 };
    case 'restore': {
      for (const line of stdin.split('\n')) {
        const words = line.trim().split(/\s+/).filter(Boolean);
        if (words.length < 2) continue;
        const r = run(words, table, '', resolver);
        if (r.exitCode !== 0) return r;
      }
      return { stdout: '', stderr: '', exitCode: 0 };
    }
    case 'flush': table.flush(); return report(undefined);
    case 'zero': return report(table.zero(opts.has('service-address') ? key : undefined));
    case 'add-service':
      if (!SCHEDULERS.has(svc.scheduler!)) return report('ENOENT');
      return report(table.addService({ ...key, scheduler: svc.scheduler!, flags: svc.flags, timeout: svc.timeout, netmask: svc.netmask }));
    case 'edit-service':
      if (!SCHEDULERS.has(svc.scheduler!)) return report('ENOENT');
      return report(table.editService({ ...key, scheduler: svc.scheduler!, flags: svc.flags, timeout: svc.timeout, netmask: svc.netmask }));
    case 'delete-service': return report(table.deleteService(key));
    case 'add-server': return report(table.addServer(key, dest));
    case 'edit-server': return report(table.editServer(key, dest));
    case 'delete-server': return report(table.deleteServer(key, dest));
    case 'start-daemon': case 'stop-daemon':
      return { stdout: '', stderr: strerror(cmd, 'EPERM') + '\n', exitCode: 1 };
  }
}
