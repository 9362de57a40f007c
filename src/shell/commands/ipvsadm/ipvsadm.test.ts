import { describe, expect, it } from 'vitest';
import type { IpvsTableView } from '../iptables/host';
import { largenum, listAll, listService, sortServices, title, FMT, IPVS_VERSION_LINE, ZERO_STATS, type VirtualServiceView } from './format';
import { run } from './ipvsadm';

const rs = (address: string, port: number, extra: Partial<VirtualServiceView['realServers'][0]> = {}) => ({
  address, port, weight: 1, forward: 'Masq' as const, activeConns: 0, inactConns: 0, persistConns: 0, uThreshold: 0, lThreshold: 0,
  stats: { ...ZERO_STATS }, ...extra,
});

function fakeTable(services: VirtualServiceView[]): IpvsTableView & { log: string[] } {
  const log: string[] = [];
  const t = { tcp: 900, tcpfin: 120, udp: 300 };
  const find = (k: { protocol: string; address: string; port: number }) => services.find((s) => s.protocol === k.protocol && s.address === k.address && s.port === k.port);
  return {
    log,
    services: () => services,
    connections: () => [],
    timeouts: () => t,
    setTimeouts: (x) => Object.assign(t, x),
    flush: () => { services.length = 0; },
    zero: () => undefined,
    addService: (s) => {
      if (find(s)) return 'EEXIST';
      services.push({ ...s, stats: { ...ZERO_STATS }, realServers: [] });
      return undefined;
    },
    editService: (s) => (find(s) ? undefined : 'ESRCH'),
    deleteService: (k) => {
      const s = find(k);
      if (!s) return 'ESRCH';
      services.splice(services.indexOf(s), 1);
      return undefined;
    },
    addServer: (k, d) => {
      const s = find(k);
      if (!s) return 'ESRCH';
      if (s.realServers.some((r) => r.address === d.address && r.port === d.port)) return 'EEXIST';
      s.realServers.unshift(rs(d.address, d.port, { weight: d.weight, forward: d.forward }));
      return undefined;
    },
    editServer: (k) => (find(k) ? undefined : 'ESRCH'),
    deleteServer: (k, d) => {
      const s = find(k);
      if (!s) return 'ESRCH';
      const i = s.realServers.findIndex((r) => r.address === d.address && r.port === d.port);
      if (i < 0) return 'ENOENT';
      s.realServers.splice(i, 1);
      return undefined;
    },
  };
}

/** A kind cluster's IPVS table: kubernetes, kube-dns (TCP 53, 9153, UDP 53). */
function kindTable(): VirtualServiceView[] {
  const svc = (protocol: 'TCP' | 'UDP', address: string, port: number, dests: ReturnType<typeof rs>[]): VirtualServiceView => ({
    protocol, address, port, scheduler: 'rr', flags: 0, timeout: 0, stats: { ...ZERO_STATS }, realServers: dests,
  });
  return [
    svc('UDP', '10.96.0.10', 53, [rs('10.244.0.3', 53), rs('10.244.0.2', 53)]),
    svc('TCP', '10.96.0.10', 9153, [rs('10.244.0.2', 9153), rs('10.244.0.3', 9153)]),
    svc('TCP', '10.96.0.1', 443, [rs('172.18.0.2', 6443)]),
    svc('TCP', '10.96.0.10', 53, [rs('10.244.0.2', 53), rs('10.244.0.3', 53)]),
  ];
}

/** printf("  -> %-28s %-7s %-6d %-10u %-10u\n") of print_service_entry. */
const dst = (d: string, fwd = 'Masq', w = 1, a = 0, i = 0) => `  -> ${d.padEnd(28)} ${fwd.padEnd(7)} ${String(w).padEnd(6)} ${String(a).padEnd(10)} ${String(i).padEnd(10)}\n`;
/** printf("%-33s") + print_largenum's "%9llu" per column. */
const statRow = (name: string, ...v: number[]) => name.padEnd(33) + v.map((x) => String(x).padStart(9)).join('') + '\n';

describe('ipvsadm -Ln', () => {
  it('prints the version line, the title and the services sorted like libipvs', () => {
    const r = run(['-Ln'], fakeTable(kindTable()));
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(
      'IP Virtual Server version 1.2.1 (size=4096)\n' +
      'Prot LocalAddress:Port Scheduler Flags\n' +
      '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n' +
      'TCP  10.96.0.1:443 rr\n' +
      dst('172.18.0.2:6443') +
      'TCP  10.96.0.10:53 rr\n' +
      dst('10.244.0.2:53') +
      dst('10.244.0.3:53') +
      'TCP  10.96.0.10:9153 rr\n' +
      dst('10.244.0.2:9153') +
      dst('10.244.0.3:9153') +
      'UDP  10.96.0.10:53 rr\n' +
      dst('10.244.0.2:53') +
      dst('10.244.0.3:53'),
    );
  });

  it('lists one service with -t, without the version line; a missing one is "No such service"', () => {
    const t = fakeTable(kindTable());
    expect(run(['-L', '-n', '-t', '10.96.0.1:443'], t).stdout).toBe(
      'Prot LocalAddress:Port Scheduler Flags\n' +
      '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n' +
      'TCP  10.96.0.1:443 rr\n' +
      dst('172.18.0.2:6443'),
    );
    expect(run(['-Ln', '-u', '10.96.0.1:443'], t)).toEqual({ stdout: '', stderr: 'No such service\n', exitCode: 1 });
  });

  it('prints persistence (ClientIP affinity) and --stats/--rate columns', () => {
    const s = kindTable().slice(2, 3);
    s[0]!.flags = 1;
    s[0]!.timeout = 10800;
    s[0]!.stats = { ...ZERO_STATS, conns: 3, inpkts: 18, outpkts: 12, inbytes: 1320, outbytes: 6123 };
    const t = fakeTable(s);
    expect(run(['-Ln'], t).stdout.split('\n')[3]).toBe('TCP  10.96.0.1:443 rr persistent 10800');
    expect(run(['-Ln', '--stats'], t).stdout).toBe(
      'IP Virtual Server version 1.2.1 (size=4096)\n' +
      'Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n' +
      '  -> RemoteAddress:Port\n' +
      statRow('TCP  10.96.0.1:443', 3, 18, 12, 1320, 6123) +
      statRow('  -> 172.18.0.2:6443', 0, 0, 0, 0, 0),
    );
    expect(run(['-Ln', '--rate'], t).stdout.split('\n').slice(1, 3)).toEqual([
      'Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS',
      '  -> RemoteAddress:Port',
    ]);
  });

  it('resolves ports to service names without -n', () => {
    const r = run(['-L'], fakeTable(kindTable()), '', { host: () => undefined, service: (p) => (p === 443 ? 'https' : p === 53 ? 'domain' : undefined) });
    expect(r.stdout).toContain('TCP  10.96.0.1:https rr\n');
    expect(r.stdout).toContain('UDP  10.96.0.10:domain rr\n');
  });

  it('prints the timeouts and the save format', () => {
    const t = fakeTable(kindTable().slice(2, 3));
    expect(run(['-L', '--timeout'], t).stdout).toBe('Timeout (tcp tcpfin udp): 900 120 300\n');
    expect(run(['-Sn'], t).stdout).toBe('-A -t 10.96.0.1:443 -s rr\n-a -t 10.96.0.1:443 -r 172.18.0.2:6443 -m -w 1\n');
  });

  it('sorts addresses like libipvs, by ntohl(a) - ntohl(b) in an int: 192.168.x (a difference past 2^31) before 10.x', () => {
    const svc = (address: string, dests: ReturnType<typeof rs>[]): VirtualServiceView => ({
      protocol: 'TCP', address, port: 80, scheduler: 'rr', flags: 0, timeout: 0, stats: { ...ZERO_STATS }, realServers: dests,
    });
    const t = fakeTable([svc('10.96.0.20', [rs('10.244.1.9', 80), rs('192.168.0.7', 80), rs('10.244.1.10', 80)]), svc('192.168.1.9', []), svc('10.96.0.3', [])]);
    expect(run(['-Sn'], t).stdout).toBe(
      '-A -t 192.168.1.9:80 -s rr\n' +
      '-A -t 10.96.0.3:80 -s rr\n' +
      '-A -t 10.96.0.20:80 -s rr\n' +
      '-a -t 10.96.0.20:80 -r 192.168.0.7:80 -m -w 1\n' +
      '-a -t 10.96.0.20:80 -r 10.244.1.9:80 -m -w 1\n' +
      '-a -t 10.96.0.20:80 -r 10.244.1.10:80 -m -w 1\n',
    );
  });

  it('keeps print_largenum widths', () => {
    expect(largenum(0, 0)).toBe('        0');
    expect(largenum(123_456_789, 0)).toBe('  123456K');
    expect(largenum(123_456_789, FMT.EXACT)).toBe(' 123456789');
    expect(largenum(1_234_567_890, FMT.EXACT)).toBe(' 1234567890');
  });
});

describe('ipvsadm errors and edits', () => {
  it('answers option errors like popt and generic_opt_check', () => {
    const t = fakeTable(kindTable());
    expect(run(['-n', '-L'], t)).toEqual({ stdout: '', stderr: "Try `ipvsadm -h' or 'ipvsadm --help' for more information.\n", exitCode: 255 });
    expect(run(['-L', '--foo'], t)).toEqual({ stdout: '', stderr: '--foo: unknown option\n', exitCode: 255 });
    expect(run(['-L', '-s', 'rr'], t)).toEqual({ stdout: '', stderr: "Illegal 'scheduler' option with the 'list' command\n", exitCode: 2 });
    expect(run(['-A', '-s', 'rr'], t)).toEqual({ stdout: '', stderr: "You need to supply the 'service-address' option for the 'add-service' command\n", exitCode: 2 });
    expect(run(['-L', '-L'], t)).toEqual({ stdout: '', stderr: 'multiple commands specified\n', exitCode: 2 });
    expect(run(['-A', '-t', '10.0.0.1'], t)).toEqual({ stdout: '', stderr: 'Zero port specified for non-persistent service\n', exitCode: 2 });
    expect(run(['-L', '-c', '--stats'], t)).toEqual({ stdout: '', stderr: 'options conflicts in the list command\n', exitCode: 2 });
  });

  it('adds and deletes services and real servers with ipvs_strerror texts', () => {
    const t = fakeTable([]);
    expect(run(['-A', '-t', '10.0.0.1:80', '-s', 'rr'], t).exitCode).toBe(0);
    expect(run(['-A', '-t', '10.0.0.1:80', '-s', 'rr'], t)).toEqual({ stdout: '', stderr: 'Service already exists\n', exitCode: 1 });
    expect(run(['-a', '-t', '10.0.0.1:80', '-r', '10.244.1.5:8080', '-m'], t).exitCode).toBe(0);
    expect(run(['-a', '-t', '10.0.0.9:80', '-r', '10.244.1.5:8080', '-m'], t)).toEqual({ stdout: '', stderr: 'Service not defined\n', exitCode: 1 });
    expect(run(['-d', '-t', '10.0.0.1:80', '-r', '10.244.1.6:8080'], t)).toEqual({ stdout: '', stderr: 'No such destination\n', exitCode: 1 });
    expect(run(['-Ln'], t).stdout).toContain('TCP  10.0.0.1:80 rr\n' + dst('10.244.1.5:8080'));
    expect(run(['-D', '-t', '10.0.0.1:80'], t).exitCode).toBe(0);
    expect(run(['-D', '-t', '10.0.0.1:80'], t)).toEqual({ stdout: '', stderr: 'No such service\n', exitCode: 1 });
  });
});

describe('ipvsadm -Lnc', () => {
  it('prints the connection table like print_conn ("%-3s %-6s %-11s %-18s %-18s %s")', () => {
    const t = fakeTable(kindTable());
    t.connections = () => [
      { protocol: 'TCP', client: { address: '10.244.1.5', port: 0 }, virtual: { address: '10.96.100.102', port: 80 }, dest: { address: '10.244.2.3', port: 80 }, state: 'NONE', expires: 10799 },
      { protocol: 'TCP', client: { address: '10.244.1.5', port: 51234 }, virtual: { address: '10.96.100.102', port: 80 }, dest: { address: '10.244.2.3', port: 80 }, state: 'ESTABLISHED', expires: 899 },
    ];
    expect(run(['-Lnc'], t).stdout).toBe(
      'IPVS connection entries\n' +
      'pro expire state       source             virtual            destination\n' +
      'TCP 179:59 NONE        10.244.1.5:0       10.96.100.102:80   10.244.2.3:80\n' +
      'TCP 14:59  ESTABLISHED 10.244.1.5:51234   10.96.100.102:80   10.244.2.3:80\n',
    );
  });
});

describe('listing many services', () => {
  it('prints 2,000 services (more lines than a chunk) as each service on its own', () => {
    const services: VirtualServiceView[] = Array.from({ length: 2000 }, (_, k) => ({
      protocol: k % 3 === 0 ? 'UDP' as const : 'TCP' as const, address: `10.96.${k >> 8}.${k & 255}`, port: 80 + (k % 5), scheduler: 'rr', flags: 0, timeout: 0,
      stats: { ...ZERO_STATS }, realServers: Array.from({ length: 4 }, (_, j) => rs(`10.244.${j}.${k & 255}`, 8080 + j)),
    }));
    for (const format of [FMT.NUMERIC, FMT.NUMERIC | FMT.RULE]) {
      const each = sortServices(services).map((s) => listService(s, format).slice(title(format).length)).join('');
      const head = format & FMT.RULE ? '' : IPVS_VERSION_LINE + '\n';
      expect(listAll(services, format)).toBe(head + title(format) + each);
    }
  });
});
