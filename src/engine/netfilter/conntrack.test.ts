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

  it('UDP: 30 s while a request/reply exchange; a stream (traffic after a reply, past 2 s) gets 120 s and [ASSURED]', () => {
    const clock = new ManualClock();
    const ct = new Conntrack(clock);
    const e = ct.create({ proto: 17, src: ip('10.244.1.5'), dst: ip('10.96.0.10'), sport: 40000, dport: 53 });
    ct.confirm(e);
    ct.seen(e, 'original');
    clock.advance(5);
    ct.seen(e, 'reply'); // the answer: still the unreplied timeout (IPS_SEEN_REPLY is set after)
    expect([ct.format(e).split(' ').filter(Boolean)[2], e.assured, e.seenReply]).toEqual(['29', false, true]);
    clock.advance(500);
    ct.seen(e, 'original'); // a second query within 2 s (A then AAAA): not a stream yet
    expect([Math.round((e.expires - clock.now()) / 1000), e.assured]).toEqual([30, false]);
    clock.advance(2000);
    ct.seen(e, 'reply'); // 2.5 s after the first packet: a stream
    expect(ct.format(e)).toBe('udp      17 119 src=10.244.1.5 dst=10.96.0.10 sport=40000 dport=53 src=10.96.0.10 dst=10.244.1.5 sport=53 dport=40000 [ASSURED] mark=0 use=1');
    // An unanswered flow never leaves 30 s, however long it lasts.
    const u = ct.create({ proto: 17, src: ip('10.244.1.5'), dst: ip('10.96.0.10'), sport: 40001, dport: 53 });
    ct.confirm(u);
    ct.seen(u, 'original');
    clock.advance(3000);
    ct.seen(u, 'original');
    expect(ct.format(u)).toContain(' 29 src=10.244.1.5 dst=10.96.0.10 sport=40001 dport=53 [UNREPLIED] ');
    expect(u.assured).toBe(false);
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
