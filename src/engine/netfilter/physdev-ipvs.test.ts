// `-m physdev` and `-m ipvs`. physdev texts are from the real iptables v1.8.9 (nf_tables)
// (`unshare -n`, iptables-save / -S / -L / -L -n -v). The test machine's kernel has no
// xt_ipvs, so the ipvs texts follow libxt_ipvs.so of that same iptables (ipvs_mt_dump's
// formats: ` %svproto %u`, ` %svaddr` + xtables_ipmask_to_numeric, …) and its parse errors,
// which the real tool does print before the kernel refuses the rule.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock';
import { createRng } from '../core/rng';
import {
  createNetfilter, iptables, iptablesRestore, iptablesSave, NetfilterRuntime, processPacket,
  type Netfilter, type NodeNetworkContext, type Packet,
} from './index';

function run(nf: Netfilter, ...argv: string[]): void {
  const r = iptables(nf, argv);
  if (r.exitCode !== 0) throw new Error(r.stderr);
}

function err(...argv: string[]): string {
  const r = iptables(createNetfilter(), argv);
  expect(r.exitCode).toBe(2);
  return r.stderr.split('\n')[0]!;
}

const body = (nf: Netfilter): string => iptablesSave(nf, { now: 0 }).split('\n').filter((l) => !l.startsWith('#')).join('\n');

describe('-m physdev', () => {
  const nf = createNetfilter();
  run(nf, '-t', 'filter', '-A', 'INPUT', '-m', 'physdev', '!', '--physdev-is-in', '-j', 'ACCEPT');
  run(nf, '-A', 'INPUT', '-m', 'physdev', '--physdev-in', 'eth+', '!', '--physdev-out', 'veth0', '--physdev-is-in', '!', '--physdev-is-out', '--physdev-is-bridged', '-j', 'ACCEPT');
  run(nf, '-A', 'FORWARD', '-m', 'physdev', '!', '--physdev-in', 'eth0', '-j', 'DROP');
  run(nf, '-A', 'FORWARD', '-m', 'physdev', '--physdev-is-bridged', '-j', 'DROP');

  it('saves in libxt_physdev order (is-in, in, is-out, out, is-bridged)', () => {
    expect(body(nf)).toBe([
      '*filter', ':INPUT ACCEPT [0:0]', ':FORWARD ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]',
      '-A INPUT -m physdev ! --physdev-is-in -j ACCEPT',
      '-A INPUT -m physdev --physdev-is-in --physdev-in eth+ ! --physdev-is-out ! --physdev-out veth0 --physdev-is-bridged -j ACCEPT',
      '-A FORWARD -m physdev ! --physdev-in eth0 -j DROP',
      '-A FORWARD -m physdev --physdev-is-bridged -j DROP',
      'COMMIT', '',
    ].join('\n'));
  });

  it('lists as PHYSDEV match', () => {
    expect(iptables(nf, ['-L', '-n', '-v']).stdout).toBe([
      'Chain INPUT (policy ACCEPT 0 packets, 0 bytes)',
      ' pkts bytes target     prot opt in     out     source               destination         ',
      '    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            PHYSDEV match ! --physdev-is-in',
      '    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0            PHYSDEV match --physdev-is-in --physdev-in eth+ ! --physdev-is-out ! --physdev-out veth0 --physdev-is-bridged',
      '',
      'Chain FORWARD (policy ACCEPT 0 packets, 0 bytes)',
      ' pkts bytes target     prot opt in     out     source               destination         ',
      '    0     0 DROP       0    --  *      *       0.0.0.0/0            0.0.0.0/0            PHYSDEV match ! --physdev-in eth0',
      '    0     0 DROP       0    --  *      *       0.0.0.0/0            0.0.0.0/0            PHYSDEV match --physdev-is-bridged',
      '',
      'Chain OUTPUT (policy ACCEPT 0 packets, 0 bytes)',
      ' pkts bytes target     prot opt in     out     source               destination         ',
      '',
    ].join('\n'));
    expect(iptables(nf, ['-L', 'FORWARD']).stdout).toBe([
      'Chain FORWARD (policy ACCEPT)',
      'target     prot opt source               destination         ',
      'DROP       all  --  anywhere             anywhere             PHYSDEV match ! --physdev-in eth0',
      'DROP       all  --  anywhere             anywhere             PHYSDEV match --physdev-is-bridged',
      '',
    ].join('\n'));
  });

  it('round-trips through iptables-restore', () => {
    const again = createNetfilter();
    expect(iptablesRestore(again, iptablesSave(nf, { now: 0 })).exitCode).toBe(0);
    expect(body(again)).toBe(body(nf));
  });

  it('reports the real parse errors', () => {
    expect(err('-A', 'INPUT', '-m', 'physdev', '-j', 'ACCEPT')).toBe('iptables v1.8.9 (nf_tables): PHYSDEV: no physdev option specified');
    expect(err('-A', 'INPUT', '-m', 'physdev', '--physdev-in', 'a', '--physdev-in', 'b', '-j', 'ACCEPT'))
      .toBe('iptables v1.8.9 (nf_tables): physdev: option "--physdev-in" can only be used once.');
    expect(err('-A', 'INPUT', '-m', 'physdev', '--physdev-in', '0123456789abcdef', '-j', 'ACCEPT'))
      .toBe("iptables v1.8.9 (nf_tables): interface name `0123456789abcdef' must be shorter than IFNAMSIZ (15)");
    expect(iptables(createNetfilter(), ['-A', 'INPUT', '-m', 'physdev', '--physdev-in', '0123456789abcde', '-j', 'ACCEPT']).exitCode).toBe(0);
  });
});

describe('-m ipvs', () => {
  it('saves the options in ipvs_mt_dump order; --ipvs only when alone', () => {
    const nf = createNetfilter();
    run(nf, '-A', 'OUTPUT', '-s', '1.2.3.4', '-m', 'ipvs', '--vaddr', '1.2.3.4', '--vproto', 'TCP', '--vport', '80', '-j', 'DROP');
    run(nf, '-A', 'OUTPUT', '-m', 'ipvs', '!', '--ipvs', '-j', 'ACCEPT');
    run(nf, '-A', 'OUTPUT', '-m', 'ipvs', '--ipvs', '-j', 'ACCEPT');
    run(nf, '-A', 'OUTPUT', '-m', 'ipvs', '--ipvs', '--vaddr', '10.96.0.10/32', '--vport', '53', '--vproto', '17', '--vdir', 'ORIGINAL', '-j', 'ACCEPT');
    run(nf, '-A', 'OUTPUT', '-m', 'ipvs', '!', '--vportctl', 'ftp', '--vmethod', 'gate', '!', '--vport', 'http', '--vdir', 'reply', '!', '--vaddr', '10.1.2.3/8', '!', '--vproto', 'udp', '-j', 'ACCEPT');
    run(nf, '-A', 'OUTPUT', '-m', 'ipvs', '!', '--vmethod', 'IPIP', '--vaddr', '10.1.0.0/255.255.0.0', '-j', 'ACCEPT');
    run(nf, '-A', 'OUTPUT', '-m', 'ipvs', '--vmethod', 'MASQ', '--vaddr', '10.0.0.1/255.0.255.0', '-j', 'ACCEPT');
    run(nf, '-A', 'OUTPUT', '-m', 'ipvs', '--vaddr', '0.0.0.0/0', '-j', 'ACCEPT');
    const rules = [
      '-A OUTPUT -s 1.2.3.4/32 -m ipvs --vproto 6 --vaddr 1.2.3.4 --vport 80 -j DROP',
      '-A OUTPUT -m ipvs ! --ipvs -j ACCEPT',
      '-A OUTPUT -m ipvs --ipvs -j ACCEPT',
      '-A OUTPUT -m ipvs --vproto 17 --vaddr 10.96.0.10 --vport 53 --vdir ORIGINAL -j ACCEPT',
      '-A OUTPUT -m ipvs ! --vproto 17 ! --vaddr 10.1.2.3/8 ! --vport 80 --vdir REPLY --vmethod GATE ! --vportctl 21 -j ACCEPT',
      '-A OUTPUT -m ipvs --vaddr 10.1.0.0/16 ! --vmethod IPIP -j ACCEPT',
      '-A OUTPUT -m ipvs --vaddr 10.0.0.1/255.0.255.0 --vmethod MASQ -j ACCEPT',
      '-A OUTPUT -m ipvs --vaddr 0.0.0.0/0 -j ACCEPT',
    ];
    expect(iptables(nf, ['-S', 'OUTPUT']).stdout).toBe(['-P OUTPUT ACCEPT', ...rules, ''].join('\n'));
    const again = createNetfilter();
    expect(iptablesRestore(again, iptablesSave(nf, { now: 0 })).exitCode).toBe(0);
    expect(body(again)).toBe(body(nf));

    const list = (numeric: boolean): string[] => iptables(nf, ['-L', 'OUTPUT', ...(numeric ? ['-n'] : [])]).stdout.split('\n').slice(2, -1).map((l) => l.slice(61));
    expect(list(true)).toEqual([
      ' vproto 6 vaddr 1.2.3.4 vport 80',
      ' ! ipvs',
      ' ipvs',
      ' vproto 17 vaddr 10.96.0.10 vport 53 vdir ORIGINAL',
      ' ! vproto 17 ! vaddr 10.1.2.3/8 ! vport 80 vdir REPLY vmethod GATE ! vportctl 21',
      ' vaddr 10.1.0.0/16 ! vmethod IPIP',
      ' vaddr 10.0.0.1/255.0.255.0 vmethod MASQ',
      ' vaddr 0.0.0.0/0',
    ]);
    expect(list(false).at(-1)).toBe(' vaddr anywhere');
  });

  it('reports the real parse errors', () => {
    const x = (...opts: string[]): string => err('-A', 'INPUT', '-m', 'ipvs', ...opts, '-j', 'ACCEPT');
    expect(x()).toBe('iptables v1.8.9 (nf_tables): IPVS: At least one option is required');
    expect(x('!', '--vdir', 'ORIGINAL')).toBe('iptables v1.8.9 (nf_tables): ipvs: option "--vdir" cannot be inverted.');
    expect(x('--vdir', 'foo')).toBe('iptables v1.8.9 (nf_tables): ipvs: Bad value for "--vdir" option: "foo"');
    expect(x('--vmethod', 'foo')).toBe('iptables v1.8.9 (nf_tables): ipvs: Bad value for "--vmethod" option: "foo"');
    expect(x('!', '--ipvs', '--vport', '80')).toBe('iptables v1.8.9 (nf_tables): ! --ipvs cannot be together with other options');
    expect(x('--vport', '80', '!', '--ipvs')).toBe('iptables v1.8.9 (nf_tables): ! --ipvs cannot be together with other options');
    expect(x('--vport', '80', '--vport', '81')).toBe('iptables v1.8.9 (nf_tables): ipvs: option "--vport" can only be used once.');
    expect(x('--ipvs', '--ipvs')).toBe('iptables v1.8.9 (nf_tables): ipvs: option "--ipvs" can only be used once.');
    expect(x('--vport', 'foo')).toBe('iptables v1.8.9 (nf_tables): Port "foo" does not resolve to anything.');
    expect(x('--vproto', 'foo')).toBe('iptables v1.8.9 (nf_tables): unknown protocol "foo" specified');
  });
});

describe('evaluating physdev and ipvs', () => {
  const net: NodeNetworkContext = {
    route: (p) => (p.dst === '172.18.0.3' ? { kind: 'local' } : { kind: 'forward', outIface: 'eth0' }),
    localAddresses: ['172.18.0.3'],
  };
  const verdict = (rules: string[], p: Packet, origin: 'in' | 'local' = 'in'): string => {
    const nf = createNetfilter();
    for (const r of rules) run(nf, ...r.split(' '));
    return processPacket(new NetfilterRuntime(nf, new ManualClock(), createRng(1)), net, p, { origin }).verdict;
  };
  const routed: Packet = { src: '10.244.1.5', dst: '10.0.0.9', proto: 'tcp', sport: 40000, dport: 80, inIface: 'veth1' };

  it('physdev: routed traffic has no bridge, so only all-inverted matches hit', () => {
    const drop = (spec: string, p = routed): string => verdict([`-A FORWARD -m physdev ${spec} -j DROP`], p);
    expect(drop('! --physdev-is-in')).toBe('DROP');
    expect(drop('--physdev-is-in')).toBe('ACCEPT');
    expect(drop('--physdev-is-bridged')).toBe('ACCEPT');
    expect(drop('! --physdev-in eth0 ! --physdev-is-out')).toBe('DROP');
    expect(drop('! --physdev-in eth0 --physdev-is-out')).toBe('ACCEPT');
    // A bridged packet (br_netfilter) with its ports.
    const bridged: Packet = { ...routed, bridge: { physIn: 'veth1', physOut: 'veth2' } };
    expect(drop('--physdev-is-in --physdev-is-bridged', bridged)).toBe('DROP');
    expect(drop('--physdev-in veth+', bridged)).toBe('DROP');
    expect(drop('! --physdev-in veth+', bridged)).toBe('ACCEPT');
    expect(drop('--physdev-out veth2', bridged)).toBe('DROP');
    expect(drop('--physdev-out veth3', bridged)).toBe('ACCEPT');
    expect(drop('--physdev-is-bridged', { ...routed, bridge: { physIn: 'veth1' } })).toBe('ACCEPT');
  });

  it('ipvs: matches the IPVS connection the node runtime put on the packet', () => {
    const vip: Packet = { src: '1.2.3.4', dst: '10.244.1.2', proto: 'tcp', sport: 40000, dport: 8080 };
    const viaIpvs: Packet = { ...vip, ipvs: { vaddr: '1.2.3.4', vport: 80, vproto: 'tcp', vdir: 'ORIGINAL' } };
    const kube = '-A OUTPUT -s 1.2.3.4 -m ipvs --vaddr 1.2.3.4 --vproto tcp --vport 80 -j DROP';
    expect(verdict([kube], viaIpvs, 'local')).toBe('DROP');
    expect(verdict([kube], vip, 'local')).toBe('ACCEPT');
    expect(verdict([kube], { ...viaIpvs, ipvs: { ...viaIpvs.ipvs!, vport: 443 } }, 'local')).toBe('ACCEPT');
    const one = (spec: string, p: Packet): string => verdict([`-A OUTPUT -m ipvs ${spec} -j DROP`], p, 'local');
    expect(one('--ipvs', viaIpvs)).toBe('DROP');
    expect(one('! --ipvs', viaIpvs)).toBe('ACCEPT');
    expect(one('! --ipvs', vip)).toBe('DROP');
    // Negated options still imply --ipvs.
    expect(one('! --vport 443', vip)).toBe('ACCEPT');
    expect(one('! --vport 443', viaIpvs)).toBe('DROP');
    expect(one('--vaddr 1.2.0.0/16', viaIpvs)).toBe('DROP');
    expect(one('--vaddr 1.2.3.0/16', viaIpvs)).toBe('ACCEPT'); // host bits kept: (vaddr & mask) != addr
    expect(one('--vdir ORIGINAL', viaIpvs)).toBe('DROP');
    expect(one('--vdir REPLY', viaIpvs)).toBe('ACCEPT');
    expect(one('--vmethod MASQ', viaIpvs)).toBe('DROP');
    expect(one('! --vmethod MASQ', viaIpvs)).toBe('ACCEPT');
    expect(one('--vportctl 21', viaIpvs)).toBe('ACCEPT');
    expect(one('! --vportctl 21', viaIpvs)).toBe('DROP');
    expect(one('! --vproto udp', viaIpvs)).toBe('DROP');
  });
});
