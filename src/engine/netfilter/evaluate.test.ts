import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock';
import { createRng } from '../core/rng';
import {
  createNetfilter, explorePacket, iptables, iptablesRestore, iptablesSave, NetfilterRuntime, processPacket,
  createIpSet, ipsetAdd, type NodeNetworkContext, type Packet,
} from './index';
import { kubeRestoreText } from './kubegen';

// A node 172.18.0.3 with pods on cni0 (10.244.1.0/24) and everything else via eth0.
const NODE_IP = '172.18.0.3';
const net: NodeNetworkContext = {
  route: (p) => (p.dst === NODE_IP || p.dst.startsWith('127.') ? { kind: 'local' } : p.dst.startsWith('10.244.1.') ? { kind: 'forward', outIface: 'cni0' } : p.dst.startsWith('10.') || p.dst.startsWith('172.18.') ? { kind: 'forward', outIface: 'eth0' } : { kind: 'unreachable' }),
  localAddresses: [NODE_IP, '10.244.1.1'],
  ifaceAddress: (i) => (i === 'eth0' ? NODE_IP : i === 'cni0' ? '10.244.1.1' : undefined),
};

const KUBE = `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-SVC-WEB - [0:0]
:KUBE-SEP-A - [0:0]
:KUBE-SEP-B - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-SERVICES -d 10.96.0.20/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-WEB
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
-A KUBE-NODEPORTS -p tcp -m comment --comment "default/web:http" -m tcp --dport 30080 -j KUBE-SVC-WEB
-A KUBE-SVC-WEB ! -s 10.244.0.0/16 -d 10.96.0.20/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ
-A KUBE-SVC-WEB -m comment --comment "default/web:http -> 10.244.1.2:8080" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-A
-A KUBE-SVC-WEB -m comment --comment "default/web:http -> 10.244.2.2:8080" -j KUBE-SEP-B
-A KUBE-SEP-A -s 10.244.1.2/32 -m comment --comment "default/web:http" -j KUBE-MARK-MASQ
-A KUBE-SEP-A -p tcp -m comment --comment "default/web:http" -m tcp -j DNAT --to-destination 10.244.1.2:8080
-A KUBE-SEP-B -s 10.244.2.2/32 -m comment --comment "default/web:http" -j KUBE-MARK-MASQ
-A KUBE-SEP-B -p tcp -m comment --comment "default/web:http" -m tcp -j DNAT --to-destination 10.244.2.2:8080
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:KUBE-FORWARD - [0:0]
-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD
-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
COMMIT
`;

function node(rules = KUBE, seed = 1) {
  const nf = createNetfilter();
  const r = iptablesRestore(nf, rules);
  expect(r.stderr).toBe('');
  const clock = new ManualClock();
  const rt = new NetfilterRuntime(nf, clock, createRng(seed));
  return { nf, rt, clock };
}

const fromPod: Packet = { src: '10.244.1.5', dst: '10.96.0.20', proto: 'tcp', sport: 40000, dport: 80, inIface: 'veth1' };

describe('processPacket', () => {
  it('DNATs a ClusterIP to an endpoint, counts and traces the rules it matched', () => {
    const { rt, nf } = node();
    const r = processPacket(rt, net, fromPod, { origin: 'in' });
    expect(r.verdict).toBe('ACCEPT');
    expect(r.delivered).toBe('forward');
    expect(['10.244.1.2', '10.244.2.2']).toContain(r.packet.dst);
    expect(r.packet.dport).toBe(8080);
    expect(r.packet.src).toBe('10.244.1.5'); // pod source: no masquerade
    expect(r.trace[0]).toMatchObject({ hook: 'PREROUTING', table: 'nat', chain: 'PREROUTING', rule: 1, action: 'jump' });
    expect(r.trace[1]!.text).toBe('-A KUBE-SERVICES -d 10.96.0.20/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-WEB');
    expect(r.trace.some((s) => s.action === 'DNAT')).toBe(true);
    expect(r.conntrack).toMatchObject({ state: 'NEW', direction: 'original' });
    const save = iptablesSave(nf, { now: 0, counters: true });
    expect(save).toContain('[1:60] -A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES');
    expect(save).toContain(':FORWARD ACCEPT [1:60]');
  });

  it('sends later packets of the flow to the same endpoint without traversing nat, and un-NATs replies', () => {
    const { rt, nf } = node();
    const first = processPacket(rt, net, fromPod, { origin: 'in' });
    for (let i = 0; i < 20; i++) {
      const again = processPacket(rt, net, fromPod, { origin: 'in' });
      expect(again.packet.dst).toBe(first.packet.dst);
      expect(again.trace.every((s) => s.table !== 'nat')).toBe(true);
      expect(again.conntrack.state).toBe('NEW'); // no reply seen yet
    }
    const reply = processPacket(rt, net, { src: first.packet.dst, dst: '10.244.1.5', proto: 'tcp', sport: 8080, dport: 40000, inIface: 'eth0' }, { origin: 'in' });
    expect(reply.packet).toMatchObject({ src: '10.96.0.20', sport: 80, dst: '10.244.1.5', dport: 40000 });
    expect(reply.conntrack).toMatchObject({ state: 'ESTABLISHED', direction: 'reply' });
    expect(iptablesSave(nf, { now: 0, counters: true })).toContain('[1:60] -A PREROUTING');
    const ct = rt.conntrack.listText();
    expect(ct.stdout).toMatch(/^tcp {6}6 59 SYN_RECV src=10\.244\.1\.5 dst=10\.96\.0\.20 sport=40000 dport=80 src=10\.244\.\d\.2 dst=10\.244\.1\.5 sport=8080 dport=40000 mark=0 use=1\n$/);
    expect(ct.stderr).toBe('conntrack v1.4.7 (conntrack-tools): 1 flow entries have been shown.\n');
    processPacket(rt, net, fromPod, { origin: 'in' });
    expect(rt.conntrack.listText().stdout).toMatch(/^tcp {6}6 431999 ESTABLISHED .* \[ASSURED\] mark=0 use=1\n$/);
  });

  it('masquerades traffic from outside the cluster CIDR (KUBE-MARK-MASQ → MASQUERADE)', () => {
    const { rt } = node();
    const r = processPacket(rt, net, { src: '172.18.0.9', dst: '10.96.0.20', proto: 'tcp', sport: 5555, dport: 80, inIface: 'eth0' }, { origin: 'in' });
    expect(r.verdict).toBe('ACCEPT');
    const actions = r.trace.map((s) => `${s.table}/${s.chain}#${s.rule} ${s.action}`);
    expect(actions).toContain('nat/KUBE-MARK-MASQ#1 MARK');
    expect(actions).toContain('filter/KUBE-FORWARD#2 ACCEPT');
    expect(actions).toContain('nat/KUBE-POSTROUTING#3 MASQUERADE');
    const out = r.packet.dst === '10.244.1.2' ? '10.244.1.1' : NODE_IP;
    expect(r.packet.src).toBe(out);
    expect(r.packet.mark).toBe(0); // --xor-mark cleared it
  });

  it('follows NodePorts through addrtype LOCAL', () => {
    const { rt } = node();
    const r = processPacket(rt, net, { src: '192.168.1.9', dst: NODE_IP, proto: 'tcp', sport: 5555, dport: 30080, inIface: 'eth0' }, { origin: 'in' });
    expect(r.trace.map((s) => s.chain)).toContain('KUBE-NODEPORTS');
    expect(r.packet.dport).toBe(8080);
  });

  it('a hand-inserted DROP breaks traffic; deleting it repairs it', () => {
    const { rt, nf } = node();
    // The real iptables refuses DROP in the nat table (xshared.c do_parse), so the learner's
    // DROP goes into filter.
    expect(iptables(nf, ['-t', 'nat', '-I', 'KUBE-SERVICES', '1', '-j', 'DROP']).exitCode).toBe(2);
    expect(iptables(nf, ['-I', 'FORWARD', '1', '-d', '10.244.0.0/16', '-j', 'DROP']).exitCode).toBe(0);
    const r = processPacket(rt, net, fromPod, { origin: 'in' });
    expect(r.verdict).toBe('DROP');
    expect(r.droppedAt).toEqual({ hook: 'FORWARD', table: 'filter', chain: 'FORWARD', rule: 1 });
    expect(rt.conntrack.count()).toBe(0); // unconfirmed entries die with the packet
    iptables(nf, ['-D', 'FORWARD', '1']);
    expect(processPacket(rt, net, fromPod, { origin: 'in' }).verdict).toBe('ACCEPT');
  });

  it('REJECTs with the rule\'s type, and applies the policy at the end of a built-in chain', () => {
    const { rt, nf } = node();
    iptables(nf, ['-A', 'INPUT', '-p', 'tcp', '--dport', '22', '-j', 'REJECT', '--reject-with', 'tcp-reset']);
    iptables(nf, ['-P', 'INPUT', 'DROP']);
    const ssh = processPacket(rt, net, { src: '172.18.0.9', dst: NODE_IP, proto: 'tcp', sport: 1, dport: 22, inIface: 'eth0' }, { origin: 'in' });
    expect(ssh).toMatchObject({ verdict: 'REJECT', rejectWith: 'tcp-reset' });
    const other = processPacket(rt, net, { src: '172.18.0.9', dst: NODE_IP, proto: 'udp', sport: 1, dport: 53, inIface: 'eth0' }, { origin: 'in' });
    expect(other.verdict).toBe('DROP');
    expect(other.trace.at(-1)).toMatchObject({ chain: 'INPUT', rule: 0, action: 'policy DROP' });
    expect(iptables(nf, ['-L', 'INPUT', '-v', '-n']).stdout.split('\n')[0]).toBe('Chain INPUT (policy DROP 1 packets, 60 bytes)');
  });

  it('handles goto, RETURN and locally generated packets through OUTPUT', () => {
    const { rt, nf } = node();
    iptables(nf, ['-N', 'A']);
    iptables(nf, ['-N', 'B']);
    iptables(nf, ['-A', 'OUTPUT', '-j', 'A']);
    iptables(nf, ['-A', 'OUTPUT', '-j', 'DROP']);
    iptables(nf, ['-A', 'A', '-g', 'B']);
    iptables(nf, ['-A', 'B', '-j', 'RETURN']);
    // goto B then RETURN goes back to OUTPUT's caller level: the next rule of OUTPUT (DROP).
    const r = processPacket(rt, net, { src: NODE_IP, dst: '10.96.0.20', proto: 'tcp', sport: 3333, dport: 80 }, { origin: 'local' });
    expect(r.verdict).toBe('DROP');
    expect(r.trace.filter((s) => s.table === 'filter').map((s) => `${s.chain}#${s.rule} ${s.action}`)).toEqual(['OUTPUT#1 jump', 'A#1 goto', 'B#1 RETURN', 'OUTPUT#2 DROP']);
    iptables(nf, ['-D', 'OUTPUT', '2']);
    const ok = processPacket(rt, net, { src: NODE_IP, dst: '10.96.0.20', proto: 'tcp', sport: 3334, dport: 80 }, { origin: 'local' });
    expect(ok.verdict).toBe('ACCEPT');
    expect(ok.packet.dport).toBe(8080); // nat OUTPUT → KUBE-SERVICES
  });

  it('statistic draws from the injected rng: about half the flows go to each endpoint', () => {
    const { rt } = node(KUBE, 42);
    const seen = new Map<string, number>();
    for (let i = 0; i < 2000; i++) {
      const r = processPacket(rt, net, { ...fromPod, sport: 10000 + i }, { origin: 'in' });
      seen.set(r.packet.dst, (seen.get(r.packet.dst) ?? 0) + 1);
    }
    expect(seen.get('10.244.1.2')! / 2000).toBeGreaterThan(0.45);
    expect(seen.get('10.244.2.2')! / 2000).toBeGreaterThan(0.45);
    // Same seed, same choices.
    const a = node(KUBE, 7);
    const b = node(KUBE, 7);
    for (let i = 0; i < 50; i++) {
      const pa = processPacket(a.rt, net, { ...fromPod, sport: i + 1 }, { origin: 'in' });
      const pb = processPacket(b.rt, net, { ...fromPod, sport: i + 1 }, { origin: 'in' });
      expect(pa.packet.dst).toBe(pb.packet.dst);
    }
  });

  it('statistic nth matches every n-th packet starting at --packet', () => {
    const { rt, nf } = node();
    iptables(nf, ['-A', 'INPUT', '-m', 'statistic', '--mode', 'nth', '--every', '3', '--packet', '1', '-j', 'DROP']);
    const verdicts = Array.from({ length: 6 }, (_, i) => processPacket(rt, net, { src: '172.18.0.9', dst: NODE_IP, proto: 'udp', sport: 100 + i, dport: 9, inIface: 'eth0' }, { origin: 'in' }).verdict);
    expect(verdicts).toEqual(['ACCEPT', 'DROP', 'ACCEPT', 'ACCEPT', 'DROP', 'ACCEPT']);
  });

  it('recent: --set then --rcheck --seconds with the injected clock (ClientIP affinity)', () => {
    const { rt, nf, clock } = node();
    iptables(nf, ['-N', 'AFF']);
    iptables(nf, ['-A', 'INPUT', '-j', 'AFF']);
    iptables(nf, ['-A', 'AFF', '-m', 'recent', '--name', 'X', '--rcheck', '--seconds', '10', '--reap', '-j', 'DROP']);
    iptables(nf, ['-A', 'AFF', '-m', 'recent', '--name', 'X', '--set']);
    const pkt = (sport: number): Packet => ({ src: '172.18.0.9', dst: NODE_IP, proto: 'udp', sport, dport: 9, inIface: 'eth0' });
    expect(processPacket(rt, net, pkt(1), { origin: 'in' }).verdict).toBe('ACCEPT');
    clock.advance(5_000);
    expect(processPacket(rt, net, pkt(2), { origin: 'in' }).verdict).toBe('DROP');
    clock.advance(11_000);
    expect(processPacket(rt, net, pkt(3), { origin: 'in' }).verdict).toBe('ACCEPT');
  });

  it('ipset matches (-m set --match-set NAME dst,dst)', () => {
    const { rt, nf } = node();
    const set = createIpSet('KUBE-CLUSTER-IP', 'hash:ip,port');
    if (typeof set === 'string') throw new Error(set);
    nf.ipsets.set(set.name, set);
    ipsetAdd(set, '10.96.0.20,tcp:80');
    expect(iptables(nf, ['-I', 'FORWARD', '-m', 'set', '--match-set', 'KUBE-CLUSTER-IP', 'dst,dst', '-j', 'DROP']).exitCode).toBe(0);
    const r = processPacket(rt, net, { src: '10.244.1.5', dst: '10.96.0.20', proto: 'tcp', sport: 1, dport: 80, inIface: 'veth1' }, { origin: 'in', fresh: true });
    expect(r.verdict).toBe('ACCEPT'); // DNAT happened first: the FORWARD dst is the pod
    iptables(nf, ['-t', 'nat', '-I', 'PREROUTING', '-m', 'set', '--match-set', 'KUBE-CLUSTER-IP', 'dst,dst', '-j', 'ACCEPT']);
    const r2 = processPacket(rt, net, { src: '10.244.1.5', dst: '10.96.0.20', proto: 'tcp', sport: 2, dport: 80, inIface: 'veth1' }, { origin: 'in' });
    expect(r2.verdict).toBe('DROP');
    const r3 = processPacket(rt, net, { src: '10.244.1.5', dst: '10.96.0.20', proto: 'tcp', sport: 3, dport: 81, inIface: 'veth1' }, { origin: 'in' });
    expect(r3.verdict).toBe('ACCEPT');
  });

  it('conntrack entries time out by the clock and can be deleted and flushed', () => {
    const { rt, clock } = node();
    processPacket(rt, net, { src: '10.244.1.5', dst: '10.96.0.20', proto: 'udp', sport: 1, dport: 53, inIface: 'veth1' }, { origin: 'in' });
    processPacket(rt, net, fromPod, { origin: 'in' });
    expect(rt.conntrack.count()).toBe(2);
    expect(rt.conntrack.listText().stdout).toContain('udp      17 29 src=10.244.1.5 dst=10.96.0.20 sport=1 dport=53 [UNREPLIED] src=10.96.0.20 dst=10.244.1.5 sport=53 dport=1 mark=0 use=1');
    clock.advance(31_000);
    expect(rt.conntrack.count()).toBe(1);
    expect(rt.conntrack.delete({ proto: 6 })).toBe(1);
    processPacket(rt, net, fromPod, { origin: 'in' });
    expect(rt.conntrack.flush()).toBe(1);
  });
});

describe('explorePacket', () => {
  it('returns every endpoint a new flow can reach with its probability, without side effects', () => {
    const { rt, nf } = node();
    const before = iptablesSave(nf, { now: 0, counters: true });
    const out = explorePacket(rt, net, fromPod, { origin: 'in' });
    expect(out.map((o) => [o.result.packet.dst, o.probability])).toEqual([
      ['10.244.1.2', 0.5],
      ['10.244.2.2', 0.5],
    ]);
    expect(iptablesSave(nf, { now: 0, counters: true })).toBe(before);
    expect(rt.conntrack.count()).toBe(0);
  });

  it('gives 1/n to each of n endpoints with kube-proxy probabilities', () => {
    const { rt } = node(kubeRestoreText({ services: 3, endpoints: 5 }));
    const out = explorePacket(rt, net, { src: '10.244.1.5', dst: '10.96.0.11', proto: 'tcp', sport: 1, dport: 80, inIface: 'veth1' }, { origin: 'in' });
    expect(out).toHaveLength(5);
    for (const o of out) expect(o.probability).toBeCloseTo(0.2, 6);
    expect(out.reduce((s, o) => s + o.probability, 0)).toBeCloseTo(1, 9);
  });
});

describe('index on long chains', () => {
  it('finds the same rule as a linear walk and reports the kernel\'s rule count', () => {
    const { rt } = node(kubeRestoreText({ services: 500, endpoints: 2, affinityEvery: 0 }));
    // Service #300: KUBE-SERVICES rule 301 of 501 (in PREROUTING: 1 rule, then 301 rules, then the SVC chain…)
    const r = processPacket(rt, net, { src: '10.244.1.5', dst: '10.96.1.54', proto: 'tcp', sport: 1, dport: 80, inIface: 'veth1' }, { origin: 'in' });
    const svc = r.trace.find((s) => s.chain === 'KUBE-SERVICES' && s.table === 'nat')!;
    expect(svc.rule).toBe(301);
    expect(r.rulesEvaluated).toBeGreaterThan(301);
    // An unknown destination walks the whole chain (500 services + the nodeports rule).
    const miss = processPacket(rt, net, { src: '10.244.1.5', dst: '10.99.0.1', proto: 'tcp', sport: 1, dport: 80, inIface: 'veth1' }, { origin: 'in' });
    const natSteps = miss.trace.filter((s) => s.table === 'nat');
    expect(natSteps.map((s) => s.chain)).toEqual(['PREROUTING', 'PREROUTING', 'POSTROUTING', 'KUBE-POSTROUTING', 'POSTROUTING']);
    expect(miss.rulesEvaluated).toBeGreaterThanOrEqual(1 + 501);
  });
});
