// Expected lines: conntrack-tools 1.4.7 (`conntrack -L/-D/-F`) on Linux, captured in a network
// namespace with ping, a UDP datagram and a short TCP connection over lo.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock';
import { Conntrack } from './conntrack';
import { parseIPv4 } from './addr';

const ip = (s: string): number => parseIPv4(s)!;

describe('Conntrack', () => {
  it('prints entries as conntrack -L does', () => {
    const clock = new ManualClock();
    const ct = new Conntrack(clock);
    const icmp = ct.create({ proto: 1, src: ip('127.0.0.1'), dst: ip('127.0.0.1'), sport: 10110, dport: 10110 });
    ct.confirm(icmp);
    ct.seen(icmp, 'original');
    ct.seen(icmp, 'reply');
    const udp = ct.create({ proto: 17, src: ip('127.0.0.1'), dst: ip('127.0.0.1'), sport: 57501, dport: 5353 });
    ct.confirm(udp);
    ct.seen(udp, 'original');
    const dnat = ct.create({ proto: 17, src: ip('0.0.0.0'), dst: ip('10.96.0.10'), sport: 45236, dport: 53 });
    dnat.reply = { ...dnat.reply, src: ip('127.0.0.1'), sport: 53 };
    dnat.dnat = true;
    ct.confirm(dnat);
    ct.seen(dnat, 'original');
    expect(ct.listText()).toEqual({
      stdout: [
        'icmp     1 29 src=127.0.0.1 dst=127.0.0.1 type=8 code=0 id=10110 src=127.0.0.1 dst=127.0.0.1 type=0 code=0 id=10110 mark=0 use=1',
        'udp      17 29 src=127.0.0.1 dst=127.0.0.1 sport=57501 dport=5353 [UNREPLIED] src=127.0.0.1 dst=127.0.0.1 sport=5353 dport=57501 mark=0 use=1',
        'udp      17 29 src=0.0.0.0 dst=10.96.0.10 sport=45236 dport=53 [UNREPLIED] src=127.0.0.1 dst=0.0.0.0 sport=53 dport=45236 mark=0 use=1',
        '',
      ].join('\n'),
      stderr: 'conntrack v1.4.7 (conntrack-tools): 3 flow entries have been shown.\n',
    });
    expect(ct.count()).toBe(3);
    const del = ct.deleteText({ proto: 17 });
    expect(del.stderr).toBe('conntrack v1.4.7 (conntrack-tools): 2 flow entries have been deleted.\n');
    expect(del.stdout.split('\n')).toHaveLength(3);
    expect(ct.flushText().stderr).toBe('conntrack v1.4.7 (conntrack-tools): connection tracking table has been emptied.\n');
    expect(ct.count()).toBe(0);
  });

  it('removes one entry by its own tuples, without touching an entry that took a tuple over', () => {
    const clock = new ManualClock();
    const ct = new Conntrack(clock);
    const mk = (sport: number) => {
      const e = ct.create({ proto: 6, src: ip('10.244.1.5'), dst: ip('10.96.0.20'), sport, dport: 80 });
      ct.confirm(e);
      return e;
    };
    const [a, b, c] = [mk(40000), mk(40001), mk(40002)];
    ct.remove(b);
    expect(ct.list().map((e) => e.orig.sport)).toEqual([40000, 40002]);
    // A new entry for a's tuple replaces a; removing the stale a leaves the new one alone.
    const a2 = mk(40000);
    ct.remove(a);
    expect(new Set(ct.list())).toEqual(new Set([c, a2]));
    expect(ct.lookup(a2.orig)?.entry).toBe(a2);
  });

  it('moves TCP through SYN_SENT → SYN_RECV → ESTABLISHED [ASSURED] and times entries out', () => {
    const clock = new ManualClock();
    const ct = new Conntrack(clock);
    const t = { proto: 6, src: ip('10.244.1.5'), dst: ip('10.96.0.1'), sport: 34012, dport: 443 };
    const e = ct.create(t);
    ct.confirm(e);
    ct.seen(e, 'original');
    expect(ct.format(e)).toBe('tcp      6 119 SYN_SENT src=10.244.1.5 dst=10.96.0.1 sport=34012 dport=443 [UNREPLIED] src=10.96.0.1 dst=10.244.1.5 sport=443 dport=34012 mark=0 use=1');
    expect(ct.lookup({ ...t, src: t.dst, dst: t.src, sport: 443, dport: 34012 })?.dir).toBe('reply');
    ct.seen(e, 'reply');
    ct.seen(e, 'original');
    expect(ct.format(e)).toBe('tcp      6 431999 ESTABLISHED src=10.244.1.5 dst=10.96.0.1 sport=34012 dport=443 src=10.96.0.1 dst=10.244.1.5 sport=443 dport=34012 [ASSURED] mark=0 use=1');
    clock.advance(432_000_000);
    expect(ct.lookup(t)).toBeUndefined();
    expect(ct.count()).toBe(0);
  });
});
