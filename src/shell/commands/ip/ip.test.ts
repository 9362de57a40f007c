// Formats checked against iproute2 6.1 in a scratch netns (trailing spaces included).
import { describe, expect, it } from 'vitest';
import type { NetInterface } from '../../../engine';
import { ipAddr, linkLocalFromMac, routeLine } from './format';
import { run } from './ip';

const eth0: NetInterface = {
  ifindex: 2, name: 'eth0', kind: 'veth', flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'], mtu: 1500, state: 'UP', qdisc: 'noqueue',
  mac: '02:42:ac:12:00:03', brd: 'ff:ff:ff:ff:ff:ff', peerIfindex: 7, linkNetnsId: 0,
  addresses: [
    { address: '172.18.0.3', prefix: 16, scope: 'global', broadcast: '172.18.255.255' },
    { address: '172.18.5.3', prefix: 16, scope: 'global', broadcast: '172.18.255.255', secondary: true },
    { address: '192.168.99.11', prefix: 24, scope: 'global', broadcast: '192.168.99.255' },
  ],
};
const lo: NetInterface = {
  ifindex: 1, name: 'lo', kind: 'loopback', flags: ['LOOPBACK', 'UP', 'LOWER_UP'], mtu: 65536, state: 'UNKNOWN', qdisc: 'noqueue',
  mac: '00:00:00:00:00:00', brd: '00:00:00:00:00:00', addresses: [{ address: '127.0.0.1', prefix: 8, scope: 'host' }],
};
const ipvs: NetInterface = {
  ifindex: 4, name: 'kube-ipvs0', kind: 'dummy', flags: ['BROADCAST', 'NOARP'], mtu: 1500, state: 'DOWN', qdisc: 'noop',
  mac: '5e:52:a8:1c:0e:11', brd: 'ff:ff:ff:ff:ff:ff', addresses: [{ address: '10.96.0.1', prefix: 32, scope: 'global' }],
};

const host = {
  links: [lo, eth0, ipvs],
  routes: () => [
    { dst: 'default', via: '172.18.0.1', dev: 'eth0', owner: 'docker' as const },
    { dst: '10.244.1.2/32', dev: 'veth1', scope: 'host' as const, owner: 'cni' as const },
    { dst: '172.18.0.0/16', dev: 'eth0', proto: 'kernel' as const, scope: 'link' as const, src: '172.18.0.3', owner: 'kernel' as const },
  ],
  lookupRoute: (d: string) => (d.startsWith('172.18.') ? host.routes()[2] : host.routes()[0]),
  isLocal: (a: string) => a === '172.18.0.3' || a === '10.96.0.1',
  primaryAddress: () => '172.18.0.3',
};

describe('ip addr', () => {
  it('prints links, link/ lines and addresses, secondaries after primaries', () => {
    expect(ipAddr([lo, eth0, ipvs], {})).toBe(
      '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000\n' +
      '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n' +
      '    inet 127.0.0.1/8 scope host lo\n' +
      '       valid_lft forever preferred_lft forever\n' +
      '    inet6 ::1/128 scope host noprefixroute \n' +
      '       valid_lft forever preferred_lft forever\n' +
      '2: eth0@if7: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default \n' +
      '    link/ether 02:42:ac:12:00:03 brd ff:ff:ff:ff:ff:ff link-netnsid 0\n' +
      '    inet 172.18.0.3/16 brd 172.18.255.255 scope global eth0\n' +
      '       valid_lft forever preferred_lft forever\n' +
      '    inet 192.168.99.11/24 brd 192.168.99.255 scope global eth0\n' +
      '       valid_lft forever preferred_lft forever\n' +
      '    inet 172.18.5.3/16 brd 172.18.255.255 scope global secondary eth0\n' +
      '       valid_lft forever preferred_lft forever\n' +
      '    inet6 fe80::42:acff:fe12:3/64 scope link \n' +
      '       valid_lft forever preferred_lft forever\n' +
      '4: kube-ipvs0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN group default qlen 1000\n' +
      '    link/ether 5e:52:a8:1c:0e:11 brd ff:ff:ff:ff:ff:ff\n' +
      '    inet 10.96.0.1/32 scope global kube-ipvs0\n' +
      '       valid_lft forever preferred_lft forever\n',
    );
  });

  it('-4 moves link-netnsid to the head line; -br prints one line per link', () => {
    expect(run(['-4', 'a', 'show', 'dev', 'eth0'], host).stdout.split('\n')[0]).toBe('2: eth0@if7: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default  link-netnsid 0');
    expect(run(['-br', 'a'], host).stdout).toBe(
      'lo               UNKNOWN        127.0.0.1/8 ::1/128 \n' +
      'eth0@if7         UP             172.18.0.3/16 192.168.99.11/24 172.18.5.3/16 fe80::42:acff:fe12:3/64 \n' +
      'kube-ipvs0       DOWN           10.96.0.1/32 \n',
    );
    expect(run(['-br', 'link'], host).stdout.split('\n')[0]).toBe('lo               UNKNOWN        00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP> ');
    expect(run(['link', 'show', 'lo'], host).stdout).toBe('1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\n    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n');
  });

  it('-6: lo\'s ::1 and each up link\'s fe80::/64 address; a down dummy (kube-ipvs0) has none', () => {
    expect(run(['-6', 'addr'], host).stdout).toBe(
      '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000\n' +
      '    inet6 ::1/128 scope host noprefixroute \n' +
      '       valid_lft forever preferred_lft forever\n' +
      '2: eth0@if7: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default  link-netnsid 0\n' +
      '    inet6 fe80::42:acff:fe12:3/64 scope link \n' +
      '       valid_lft forever preferred_lft forever\n',
    );
    expect(run(['-6', '-br', 'a'], host).stdout).toBe('lo               UNKNOWN        ::1/128 \neth0@if7         UP             fe80::42:acff:fe12:3/64 \n');
    expect(run(['-4', '-br', 'a'], host).stdout.split('\n')[0]).toBe('lo               UNKNOWN        127.0.0.1/8 ');
  });

  it('derives the link-local address from the MAC as the kernel does (modified EUI-64)', () => {
    // Docker's 02:42:<IPv4> MACs give the familiar fe80::42:acff:fe…; a universal MAC gets
    // its U/L bit set; a zero group after fe80 joins the "::".
    expect(linkLocalFromMac('02:42:ac:12:00:03')).toBe('fe80::42:acff:fe12:3');
    expect(linkLocalFromMac('02:42:ac:11:00:02')).toBe('fe80::42:acff:fe11:2');
    expect(linkLocalFromMac('00:0c:29:7c:ee:d7')).toBe('fe80::20c:29ff:fe7c:eed7');
    expect(linkLocalFromMac('02:00:00:00:00:01')).toBe('fe80::ff:fe00:1');
  });

  it('answers errors like iproute2', () => {
    expect(run(['a', 'show', 'nope'], host)).toEqual({ stdout: '', stderr: 'Device "nope" does not exist.\n', exitCode: 1 });
    expect(run(['foo'], host)).toEqual({ stdout: '', stderr: 'Object "foo" is unknown, try "ip help".\n', exitCode: 1 });
    expect(run(['a', 'foo'], host)).toEqual({ stdout: '', stderr: 'Command "foo" is unknown, try "ip address help".\n', exitCode: 255 });
    expect(run(['r', 'foo'], host)).toEqual({ stdout: '', stderr: 'Command "foo" is unknown, try "ip route help".\n', exitCode: 255 });
    expect(run(['-x', 'a'], host)).toEqual({ stdout: '', stderr: 'Option "-x" is unknown, try "ip -help".\n', exitCode: 255 });
  });
});

describe('ip route', () => {
  it('prints each route with a trailing space, host routes without /32', () => {
    expect(run(['route'], host).stdout).toBe(
      'default via 172.18.0.1 dev eth0 \n' +
      '10.244.1.2 dev veth1 scope host \n' +
      '172.18.0.0/16 dev eth0 proto kernel scope link src 172.18.0.3 \n',
    );
    expect(routeLine({ dst: '10.244.2.0/24', via: '172.18.0.4', dev: 'eth0', owner: 'kindnet' })).toBe('10.244.2.0/24 via 172.18.0.4 dev eth0 \n');
  });

  it('lists the default policy rules', () => {
    expect(run(['rule'], host).stdout).toBe('0:\tfrom all lookup local\n32766:\tfrom all lookup main\n32767:\tfrom all lookup default\n');
  });

  it('answers route get', () => {
    expect(run(['r', 'get', '10.244.2.5'], host).stdout).toBe('10.244.2.5 via 172.18.0.1 dev eth0 src 172.18.0.3 uid 0 \n    cache \n');
    expect(run(['route', 'get', '10.96.0.1'], host).stdout).toBe('local 10.96.0.1 dev lo src 10.96.0.1 uid 0 \n    cache <local> \n');
  });
});

describe('ip in a pod (kindnet ptp)', () => {
  it('shows the pod netns: eth0 peer of its host veth, the /24 address, routes via the gateway', async () => {
    const { createCluster } = await import('../../../engine');
    const { createSession } = await import('../../index');
    const cluster = createCluster({
      seed: 1,
      manifests: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: tools\nspec:\n  nodeName: worker\n  containers:\n  - name: tools\n    image: nicolaka/netshoot:v0.13\n    command: ["sleep", "infinity"]\n',
    });
    cluster.tick(30_000);
    const s = createSession({ cluster });
    const pod = cluster.get<import('../../../engine').Pod>('Pod', 'default', 'tools');
    const podIP = pod.ok ? pod.value.status?.podIP : undefined;
    expect(podIP).toMatch(/^10\.244\.1\./);
    expect((await s.run('kubectl exec tools -- ip route')).stdout).toBe(
      `default via 10.244.1.1 dev eth0 \n10.244.1.0/24 via 10.244.1.1 dev eth0 src ${podIP} \n10.244.1.1 dev eth0 scope link src ${podIP} \n`,
    );
    const a = (await s.run('kubectl exec tools -- ip -4 a show eth0')).stdout.split('\n');
    expect(a[0]).toMatch(/^2: eth0@if\d+: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default  link-netnsid 0$/);
    expect(a[1]).toBe(`    inet ${podIP}/24 brd 10.244.1.255 scope global eth0`);
  });
});
