import { describe, expect, it } from 'vitest';
import { parseIPv4 } from './addr';
import { createIpSet, ipsetAdd, ipsetDel, ipsetTest, normaliseEntry } from './ipset';
import type { IpSet } from './types';

const ip = (s: string): number => parseIPv4(s)!;
const mk = (type: string): IpSet => {
  const s = createIpSet('S', type);
  if (typeof s === 'string') throw new Error(s);
  return s;
};

describe('ipsets as data', () => {
  it('refuses unknown types with ipset\'s words', () => {
    expect(createIpSet('S', 'hash:foo')).toBe("ipset v7.17: Syntax error: typename 'hash:foo' is unknown");
  });

  it('normalises entries the way ipset stores them (default protocol tcp)', () => {
    expect(normaliseEntry(mk('hash:ip,port'), '10.96.0.1,443')).toBe('10.96.0.1,tcp:443');
    expect(normaliseEntry(mk('hash:ip,port'), '10.96.0.10,udp:53')).toBe('10.96.0.10,udp:53');
    expect(normaliseEntry(mk('hash:net'), '10.244.1.7/16')).toBe('10.244.0.0/16');
    expect(normaliseEntry(mk('hash:ip,port,net'), '10.96.0.1,tcp:80,10.0.0.0/8')).toBe('10.96.0.1,tcp:80,10.0.0.0/8');
    expect(normaliseEntry(mk('hash:ip'), 'nope')).toBeUndefined();
  });

  it('tests membership with the src/dst flags of --match-set', () => {
    const cluster = mk('hash:ip,port');
    ipsetAdd(cluster, '10.96.0.1,tcp:443');
    const pkt = { src: ip('10.244.1.5'), dst: ip('10.96.0.1'), sport: 40000, dport: 443, proto: 6 };
    expect(ipsetTest(cluster, ['dst', 'dst'], pkt)).toBe(true);
    expect(ipsetTest(cluster, ['dst', 'dst'], { ...pkt, proto: 17 })).toBe(false);
    expect(ipsetTest(cluster, ['src', 'src'], pkt)).toBe(false);

    const loop = mk('hash:ip,port,ip'); // KUBE-LOOP-BACK: endpoint,proto:port,endpoint (hairpin)
    ipsetAdd(loop, '10.244.1.5,tcp:8080,10.244.1.5');
    expect(ipsetTest(loop, ['dst', 'dst', 'src'], { src: ip('10.244.1.5'), dst: ip('10.244.1.5'), sport: 1, dport: 8080, proto: 6 })).toBe(true);
    expect(ipsetTest(loop, ['dst', 'dst', 'src'], { src: ip('10.244.1.6'), dst: ip('10.244.1.5'), sport: 1, dport: 8080, proto: 6 })).toBe(false);

    const nets = mk('hash:net');
    ipsetAdd(nets, '10.244.0.0/16');
    ipsetAdd(nets, '192.168.1.7');
    expect(ipsetTest(nets, ['src'], { ...pkt, src: ip('10.244.9.9') })).toBe(true);
    expect(ipsetTest(nets, ['src'], { ...pkt, src: ip('192.168.1.7') })).toBe(true);
    expect(ipsetTest(nets, ['src'], { ...pkt, src: ip('192.168.1.8') })).toBe(false);

    const src = mk('hash:ip,port,net'); // KUBE-LOAD-BALANCER-SOURCE-CIDR
    ipsetAdd(src, '203.0.113.10,tcp:80,198.51.100.0/24');
    expect(ipsetTest(src, ['dst', 'dst', 'src'], { src: ip('198.51.100.77'), dst: ip('203.0.113.10'), sport: 1, dport: 80, proto: 6 })).toBe(true);
    expect(ipsetTest(src, ['dst', 'dst', 'src'], { src: ip('198.51.101.77'), dst: ip('203.0.113.10'), sport: 1, dport: 80, proto: 6 })).toBe(false);

    const ports = mk('bitmap:port');
    ipsetAdd(ports, '30080');
    expect(ipsetTest(ports, ['dst'], { ...pkt, dport: 30080 })).toBe(true);
    expect(ipsetDel(ports, '30080')).toBe(true);
    expect(ipsetTest(ports, ['dst'], { ...pkt, dport: 30080 })).toBe(false);
  });
});
