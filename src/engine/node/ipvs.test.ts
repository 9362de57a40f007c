import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock';
import { IpvsTable, IPVS_SVC_F_PERSISTENT, type IpvsService } from './ipvs';

function table(): { clock: ManualClock; ipvs: IpvsTable } {
  const clock = new ManualClock();
  return { clock, ipvs: new IpvsTable(() => clock.now()) };
}

function service(ipvs: IpvsTable, scheduler: string, dests: [string, number][], extra: { flags?: number; timeout?: number; protocol?: 'TCP' | 'UDP' } = {}): IpvsService {
  ipvs.addService({ protocol: extra.protocol ?? 'TCP', address: '10.96.0.20', port: 80, scheduler, flags: extra.flags, timeout: extra.timeout });
  const svc = ipvs.getService(extra.protocol ?? 'TCP', '10.96.0.20', 80)!;
  for (const [ip, w] of dests) ipvs.addDest(svc, { address: ip, port: 8080, weight: w });
  return svc;
}

const picks = (ipvs: IpvsTable, svc: IpvsService, n: number, client = (i: number) => `10.244.0.${i + 10}`): string[] =>
  Array.from({ length: n }, (_, i) => ipvs.schedule(svc, client(i))!.address);

describe('IPVS schedulers', () => {
  it('rr rotates through the destinations, newest first (the kernel adds at the head of the list)', () => {
    const { ipvs } = table();
    const svc = service(ipvs, 'rr', [['10.244.1.2', 1], ['10.244.1.3', 1], ['10.244.2.2', 1]]);
    expect(picks(ipvs, svc, 6)).toEqual(['10.244.2.2', '10.244.1.3', '10.244.1.2', '10.244.2.2', '10.244.1.3', '10.244.1.2']);
  });

  it('rr skips quiesced (weight 0) destinations and continues after the last pick', () => {
    const { ipvs } = table();
    const svc = service(ipvs, 'rr', [['10.0.0.1', 1], ['10.0.0.2', 0], ['10.0.0.3', 1]]);
    expect(picks(ipvs, svc, 4)).toEqual(['10.0.0.3', '10.0.0.1', '10.0.0.3', '10.0.0.1']);
  });

  it('wrr gives each destination its weight in every cycle', () => {
    const { ipvs } = table();
    const svc = service(ipvs, 'wrr', [['10.0.0.1', 1], ['10.0.0.2', 3]]);
    const got = picks(ipvs, svc, 8);
    expect(got.filter((a) => a === '10.0.0.2')).toHaveLength(6);
    expect(got.filter((a) => a === '10.0.0.1')).toHaveLength(2);
    // ip_vs_wrr: cw starts at the max weight, so the heavy server goes first.
    expect(got.slice(0, 4)).toEqual(['10.0.0.2', '10.0.0.2', '10.0.0.2', '10.0.0.1']);
  });

  it('lc picks the destination with the fewest connections; counts move as connections open and close', () => {
    const { clock, ipvs } = table();
    const svc = service(ipvs, 'lc', [['10.0.0.1', 1], ['10.0.0.2', 1]]);
    const a = ipvs.connect(svc, { ip: '10.244.0.5', port: 40000 });
    if (!a.ok) throw new Error('no dest');
    ipvs.established(a.conn);
    expect(a.dest.activeConns).toBe(1);
    // One active connection weighs 256 inactive ones: the other server gets the next two.
    const b = ipvs.connect(svc, { ip: '10.244.0.5', port: 40001 });
    const c = ipvs.connect(svc, { ip: '10.244.0.5', port: 40002 });
    expect(b.ok && c.ok && b.dest !== a.dest && c.dest === b.dest).toBe(true);
    if (!b.ok) return;
    expect(b.dest.inactConns).toBe(2);
    ipvs.close(a.conn);
    expect(a.dest.activeConns).toBe(0);
    expect(a.dest.inactConns).toBe(1);
    expect(a.conn.state).toBe('FIN_WAIT');
    // FIN_WAIT lasts tcpfin (120 s); SYN_RECV 60 s.
    clock.advance(121_000);
    expect(ipvs.connections()).toHaveLength(0);
    expect(a.dest.inactConns + b.dest.inactConns).toBe(0);
  });

  it('sh sends a client to the same destination every time, and spreads clients', () => {
    const { ipvs } = table();
    const svc = service(ipvs, 'sh', [['10.0.0.1', 1], ['10.0.0.2', 1], ['10.0.0.3', 1]]);
    const first = ipvs.schedule(svc, '192.168.1.7')!;
    for (let i = 0; i < 5; i++) expect(ipvs.schedule(svc, '192.168.1.7')).toBe(first);
    const seen = new Set(Array.from({ length: 60 }, (_, i) => ipvs.schedule(svc, `192.168.${i}.${i * 3}`)!.address));
    expect(seen.size).toBe(3);
  });

  it('persistence (ClientIP affinity) pins a client through a template until it times out', () => {
    const { clock, ipvs } = table();
    const svc = service(ipvs, 'rr', [['10.0.0.1', 1], ['10.0.0.2', 1]], { flags: IPVS_SVC_F_PERSISTENT, timeout: 10800, protocol: 'UDP' });
    const first = ipvs.connect(svc, { ip: '10.244.0.9', port: 5000 });
    if (!first.ok) throw new Error('no dest');
    for (let p = 5001; p < 5006; p++) {
      const r = ipvs.connect(svc, { ip: '10.244.0.9', port: p });
      expect(r.ok && r.dest === first.dest && r.persisted).toBe(true);
    }
    expect(first.dest.persistConns).toBe(1);
    expect(ipvs.connections().filter((c) => c.template)).toHaveLength(1);
    // UDP connections go after 300 s; the template after its 10800 s.
    clock.advance(10_801_000);
    expect(ipvs.connections()).toHaveLength(0);
    expect(first.dest.persistConns).toBe(0);
  });

  it('no usable destination: no connection (the data path answers port unreachable)', () => {
    const { ipvs } = table();
    const svc = service(ipvs, 'rr', [['10.0.0.1', 0]]);
    expect(ipvs.connect(svc, { ip: '10.244.0.5', port: 1 })).toEqual({ ok: false, reason: 'no-destination' });
  });

  it('keeps ipvsadm timeouts, stats and the kernel rate estimator', () => {
    const { clock, ipvs } = table();
    expect(ipvs.timeouts).toEqual({ tcp: 900, tcpfin: 120, udp: 300 });
    ipvs.setTimeouts({ tcp: 600, udp: 0 });
    expect(ipvs.timeouts).toEqual({ tcp: 600, tcpfin: 120, udp: 300 });
    const svc = service(ipvs, 'rr', [['10.0.0.1', 1]]);
    for (let i = 0; i < 40; i++) {
      const r = ipvs.connect(svc, { ip: '10.244.0.5', port: 30000 + i }, { bytes: 100 });
      if (r.ok) ipvs.packet(r.conn, 'out', 200);
      clock.advance(500);
    }
    expect(svc.stats).toEqual({ conns: 40, inpkts: 40, outpkts: 40, inbytes: 4000, outbytes: 8000 });
    const rate = ipvs.rates(svc);
    // 2 connections (200 bytes) a second for 20 s = 10 estimator ticks: the EWMA (weight
    // 1/4 per tick) has reached 1 - (3/4)^10 ≈ 94 % of the true rate.
    expect(rate.cps).toBe(2);
    expect(rate.inbps).toBe(189);
    expect(ipvs.sortedServices()[0]).toBe(svc);
  });
});

describe('IPVS connection table', () => {
  it('expires connections in timeout order, each leaving its destination\'s counts', () => {
    const { clock, ipvs } = table();
    const svc = service(ipvs, 'rr', [['10.0.0.1', 1], ['10.0.0.2', 1]]);
    const conns = [];
    for (let i = 0; i < 6; i++) {
      const r = ipvs.connect(svc, { ip: '10.244.0.5', port: 40000 + i });
      if (!r.ok) throw new Error('no dest');
      conns.push(r.conn);
      clock.advance(1000);
    }
    // Two handshakes complete (ESTABLISHED: tcp 900 s); the rest stay SYN_RECV (60 s).
    ipvs.established(conns[1]!);
    ipvs.established(conns[4]!);
    const active = (): number => svc.dests.reduce((n, d) => n + d.activeConns, 0);
    const inactive = (): number => svc.dests.reduce((n, d) => n + d.inactConns, 0);
    expect([active(), inactive()]).toEqual([2, 4]);
    clock.advance(60_000); // t = 66 s: the SYN_RECV ones opened at 0..5 s have all gone
    expect(ipvs.connections().map((c) => c.client.port)).toEqual([40001, 40004]);
    expect([active(), inactive()]).toEqual([2, 0]);
    // FIN seen: the tcpfin timeout (120 s) is earlier than the established one and wins.
    ipvs.close(conns[4]!);
    clock.advance(120_000);
    expect(ipvs.connections().map((c) => c.client.port)).toEqual([40001]);
    clock.advance(900_000);
    expect(ipvs.connections()).toHaveLength(0);
    expect([active(), inactive()]).toEqual([0, 0]);
  });

  it('a packet refreshes a connection\'s timeout', () => {
    const { clock, ipvs } = table();
    const svc = service(ipvs, 'rr', [['10.0.0.1', 1]], { protocol: 'UDP' });
    const r = ipvs.connect(svc, { ip: '10.244.0.5', port: 5353 });
    if (!r.ok) throw new Error('no dest');
    clock.advance(200_000);
    ipvs.packet(r.conn, 'out');
    clock.advance(200_000); // 400 s after the start, 200 s after the reply: still there (udp 300 s)
    expect(ipvs.connections()).toHaveLength(1);
    clock.advance(100_001);
    expect(ipvs.connections()).toHaveLength(0);
  });

  it('a template outlives its timeout while it controls a connection (n_control), then goes', () => {
    const { clock, ipvs } = table();
    const svc = service(ipvs, 'rr', [['10.0.0.1', 1], ['10.0.0.2', 1]], { flags: IPVS_SVC_F_PERSISTENT, timeout: 60 });
    const a = ipvs.connect(svc, { ip: '10.244.0.9', port: 5000 });
    if (!a.ok) throw new Error('no dest');
    ipvs.established(a.conn); // tcp 900 s, far beyond the template's 60 s
    // Another client on the same destination does not keep this client's template alive.
    const other = ipvs.connect(svc, { ip: '10.244.0.10', port: 5000 });
    if (!other.ok) throw new Error('no dest');
    expect(ipvs.template(svc, '10.244.0.9')?.destRef).toBe(a.dest);
    // Past the 60 s timeout: the other client's SYN_RECV connection (60 s) has gone and its
    // template with it; this client's template stays for its ESTABLISHED connection.
    clock.advance(62_500);
    expect(ipvs.template(svc, '10.244.0.10')).toBeUndefined();
    expect(ipvs.template(svc, '10.244.0.9')).toBeDefined();
    clock.advance(900_000);
    expect(ipvs.template(svc, '10.244.0.9')).toBeUndefined();
    expect(ipvs.connections()).toHaveLength(0);
    expect(svc.dests.map((d) => d.persistConns)).toEqual([0, 0]);
  });

  it('deleting a destination forgets the templates pointing at it; the client is rescheduled', () => {
    const { ipvs } = table();
    const svc = service(ipvs, 'rr', [['10.0.0.1', 1], ['10.0.0.2', 1]], { flags: IPVS_SVC_F_PERSISTENT, timeout: 10800, protocol: 'UDP' });
    const a = ipvs.connect(svc, { ip: '10.244.0.9', port: 5000 });
    if (!a.ok) throw new Error('no dest');
    ipvs.deleteDest(svc, a.dest);
    expect(ipvs.template(svc, '10.244.0.9')).toBeUndefined();
    const b = ipvs.connect(svc, { ip: '10.244.0.9', port: 5001 });
    expect(b.ok && b.dest !== a.dest && !b.persisted).toBe(true);
  });
});
