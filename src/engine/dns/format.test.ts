// What the tools print. Expected texts follow busybox networking/nslookup.c (1.36) and BIND
// 9.18 dig/host layouts (blank first line, `;; flags:` + the recursion warning CoreDNS
// causes, OPT pseudosection directly followed by QUESTION, column layout of masterdump.c).
import { describe, expect, it } from 'vitest';
import type { Pod } from '../model/types';
import {
  CoreDns, dnsDataFrom, parseResolvConf, resolvConfFor, busyboxNslookup, bindLookup, bindSearchNames, digEdns, getaddrinfo, reverseName,
  formatBusyboxNslookup, formatDig, formatHost, formatGetentHosts, formatBindNslookup, type Exchange, type ResolverEnv,
} from './index';
import { fixtureObjects, FIXTURE_SERIAL, KUBEADM_COREFILE } from './fixtures';

const WHEN = Date.UTC(2026, 0, 1, 0, 0, 5);
const pod: Pod = {
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name: 'client', namespace: 'default', uid: 'u', resourceVersion: '1', creationTimestamp: '2026-01-01T00:00:00Z' },
  spec: { containers: [{ name: 'c', image: 'busybox' }], dnsPolicy: 'ClusterFirst' },
};

function env(drop = false): ResolverEnv {
  const coredns = new CoreDns(dnsDataFrom(fixtureObjects()), { corefile: KUBEADM_COREFILE });
  let id = 41735;
  const exchange: Exchange = (q) => (drop ? 'timeout' : coredns.handle(q, { clientIP: '10.244.1.9', clientPort: 40000, proto: 'udp', nowMs: WHEN }).response);
  return { conf: parseResolvConf(resolvConfFor(pod, { clusterDomain: 'cluster.local', clusterDNS: '10.96.0.10' })), exchange, nextId: () => id++ };
}

describe('busybox nslookup', () => {
  it('nslookup web: the search list, replies in order, NXDOMAIN lines, exit 1', () => {
    expect(formatBusyboxNslookup(busyboxNslookup('web', env()))).toEqual({
      exitCode: 1,
      stdout: [
        'Server:\t\t10.96.0.10',
        'Address:\t10.96.0.10:53',
        '',
        'Name:\tweb.default.svc.cluster.local',
        'Address: 10.96.12.34',
        '',
        "** server can't find web.svc.cluster.local: NXDOMAIN",
        '',
        "** server can't find web.cluster.local: NXDOMAIN",
        '',
        "*** Can't find web.default.svc.cluster.local: No answer",
        '',
        "** server can't find web.svc.cluster.local: NXDOMAIN",
        '',
        "** server can't find web.cluster.local: NXDOMAIN",
        '',
        '',
      ].join('\n'),
    });
  });

  it('nslookup FQDN: the A record and NODATA for AAAA, exit 0', () => {
    expect(formatBusyboxNslookup(busyboxNslookup('web.default.svc.cluster.local', env()))).toEqual({
      exitCode: 0,
      stdout: 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tweb.default.svc.cluster.local\nAddress: 10.96.12.34\n\n*** Can\'t find web.default.svc.cluster.local: No answer\n\n',
    });
  });

  it('nslookup of an external name: non-authoritative, both families', () => {
    expect(formatBusyboxNslookup(busyboxNslookup('example.com', env())).stdout).toBe(
      'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nNon-authoritative answer:\nName:\texample.com\nAddress: 93.184.215.14\n\nNon-authoritative answer:\nName:\texample.com\nAddress: 2606:2800:21f:cb07:6820:80da:af6b:8b2c\n\n',
    );
  });

  it('timeout, PTR, SRV and an explicit server', () => {
    expect(formatBusyboxNslookup(busyboxNslookup('web', env(true)))).toEqual({ stdout: ';; connection timed out; no servers could be reached\n\n', exitCode: 1 });
    expect(formatBusyboxNslookup(busyboxNslookup('10.96.12.34', env())).stdout).toBe(
      'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n34.12.96.10.in-addr.arpa\tname = web.default.svc.cluster.local\n\n',
    );
    expect(formatBusyboxNslookup(busyboxNslookup('_http._tcp.web.default.svc.cluster.local', env(), { types: ['SRV'], server: '10.96.0.10' })).stdout).toBe(
      'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n_http._tcp.web.default.svc.cluster.local\tservice = 0 100 80 web.default.svc.cluster.local\n\n',
    );
  });
});

describe('dig (BIND 9.18)', () => {
  const dig = (name: string, type: 'A' | 'AAAA' | 'SRV' | 'PTR' = 'A', e = env()) => bindLookup([name], type, e, { edns: digEdns('2f0c1a9e4b7d3c55'), ad: true });

  // Checked against BIND 9.18 dig output captured on clusters (the .local warning, 1232-byte
  // EDNS buffer, the echoed 8-byte client cookie, `(UDP)` after SERVER).
  it('the full layout for a Service name', () => {
    expect(formatDig(dig('web.default.svc.cluster.local.'), { args: ['web.default.svc.cluster.local'], whenMs: WHEN })).toEqual({
      exitCode: 0,
      stdout: [
        '',
        '; <<>> DiG 9.18.39 <<>> web.default.svc.cluster.local',
        ';; global options: +cmd',
        ';; Got answer:',
        ';; WARNING: .local is reserved for Multicast DNS',
        ';; You are currently testing what happens when an mDNS query is leaked to DNS',
        ';; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 41735',
        ';; flags: qr aa rd; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1',
        ';; WARNING: recursion requested but not available',
        '',
        ';; OPT PSEUDOSECTION:',
        '; EDNS: version: 0, flags:; udp: 1232',
        '; COOKIE: 2f0c1a9e4b7d3c55 (echoed)',
        ';; QUESTION SECTION:',
        ';web.default.svc.cluster.local.\tIN\tA',
        '',
        ';; ANSWER SECTION:',
        'web.default.svc.cluster.local. 30 IN\tA\t10.96.12.34',
        '',
        ';; Query time: 0 msec',
        ';; SERVER: 10.96.0.10#53(10.96.0.10) (UDP)',
        ';; WHEN: Thu Jan 01 00:00:05 UTC 2026',
        ';; MSG SIZE  rcvd: 115',
        '',
        '',
      ].join('\n'),
    });
  });

  it('NXDOMAIN shows the SOA in AUTHORITY', () => {
    const out = formatDig(dig('nope.default.svc.cluster.local.'), { args: ['@10.96.0.10', 'nope.default.svc.cluster.local'], serverGiven: true, whenMs: WHEN }).stdout;
    expect(out).toContain('\n; <<>> DiG 9.18.39 <<>> @10.96.0.10 nope.default.svc.cluster.local\n; (1 server found)\n;; global options: +cmd\n');
    expect(out).toContain(';; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: 41735\n;; flags: qr aa rd; QUERY: 1, ANSWER: 0, AUTHORITY: 1, ADDITIONAL: 1\n');
    expect(out).toContain(`;; AUTHORITY SECTION:\ncluster.local.\t\t30\tIN\tSOA\tns.dns.cluster.local. hostmaster.cluster.local. ${FIXTURE_SERIAL} 7200 1800 86400 30\n\n`);
    // 12 header + 36 question + 93 SOA (15 + 10 + 68) + 23 OPT with the echoed cookie.
    expect(out).toContain(';; MSG SIZE  rcvd: 164\n');
  });

  it('+short, +noall +answer, -t SRV, -x', () => {
    expect(formatDig(dig('web.default.svc.cluster.local.'), { args: [], short: true, whenMs: WHEN }).stdout).toBe('10.96.12.34\n');
    expect(formatDig(dig('nope.default.svc.cluster.local.'), { args: [], short: true, whenMs: WHEN }).stdout).toBe('');
    expect(formatDig(dig('_http._tcp.web.default.svc.cluster.local.', 'SRV'), { args: [], short: true, whenMs: WHEN }).stdout).toBe('0 100 80 web.default.svc.cluster.local.\n');
    expect(formatDig(dig('db.default.svc.cluster.local.'), { args: [], show: { cmd: false, comments: false, question: false, authority: false, additional: false, stats: false }, whenMs: WHEN }).stdout)
      .toBe('db.default.svc.cluster.local. 30 IN\tA\t10.244.1.7\ndb.default.svc.cluster.local. 30 IN\tA\t10.244.2.8\n');
    expect(formatDig(dig(reverseName('10.96.12.34')!, 'PTR'), { args: [], short: true, whenMs: WHEN }).stdout).toBe('web.default.svc.cluster.local.\n');
  });

  it('+search expands a short name the way BIND does', () => {
    const e = env();
    const l = bindLookup(bindSearchNames('web', e.conf), 'A', e, { edns: digEdns('2f0c1a9e4b7d3c55') });
    expect(formatDig(l, { args: ['+search', 'web'], whenMs: WHEN }).stdout).toContain(';; QUESTION SECTION:\n;web.default.svc.cluster.local.\tIN\tA\n');
  });

  it('a query that never comes back', () => {
    expect(formatDig(dig('web.default.svc.cluster.local.', 'A', env(true)), { args: ['web.default.svc.cluster.local'], whenMs: WHEN })).toEqual({
      exitCode: 9,
      stdout: [
        ';; communications error to 10.96.0.10#53: timed out',
        ';; communications error to 10.96.0.10#53: timed out',
        ';; communications error to 10.96.0.10#53: timed out',
        '',
        '; <<>> DiG 9.18.39 <<>> web.default.svc.cluster.local',
        ';; global options: +cmd',
        ';; no servers could be reached',
        '',
      ].join('\n'),
    });
  });
});

describe('host, BIND nslookup, getent', () => {
  const hostLookups = (name: string, e = env()) => (['A', 'AAAA', 'MX'] as const).map((type) => ({ type, lookup: bindLookup(bindSearchNames(name, e.conf), type, e, { tries: 2 }) }));

  it('host web / host nope / host ext / host IP', () => {
    expect(formatHost('web', hostLookups('web'))).toEqual({ stdout: 'web.default.svc.cluster.local has address 10.96.12.34\n', exitCode: 0 });
    expect(formatHost('nope', hostLookups('nope'))).toEqual({ stdout: 'Host nope not found: 3(NXDOMAIN)\n', exitCode: 1 });
    expect(formatHost('ext', hostLookups('ext')).stdout).toBe('ext.default.svc.cluster.local is an alias for example.com.\nexample.com has address 93.184.215.14\nexample.com has IPv6 address 2606:2800:21f:cb07:6820:80da:af6b:8b2c\n');
    const e = env();
    expect(formatHost('10.96.12.34', [{ type: 'PTR', lookup: bindLookup([reverseName('10.96.12.34')!], 'PTR', e, { tries: 2 }) }]).stdout).toBe('34.12.96.10.in-addr.arpa domain name pointer web.default.svc.cluster.local.\n');
    expect(formatHost('web', hostLookups('web', env(true)))).toEqual({ stdout: ';; connection timed out; no servers could be reached\n', exitCode: 1 });
  });

  it('BIND nslookup web (netshoot): #53 and the search list', () => {
    const e = env();
    const ls = (['A', 'AAAA'] as const).map((t) => bindLookup(bindSearchNames('web', e.conf), t, e, { tries: 2 }));
    expect(formatBindNslookup('web', ls)).toEqual({ stdout: 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tweb.default.svc.cluster.local\nAddress: 10.96.12.34\n\n', exitCode: 0 });
  });

  it('getent hosts (glibc)', () => {
    expect(formatGetentHosts(getaddrinfo('web', 'glibc', env(), ['A']))).toEqual({ stdout: '10.96.12.34     web.default.svc.cluster.local\n', exitCode: 0 });
    expect(formatGetentHosts(getaddrinfo('nope', 'glibc', env(), ['A']))).toEqual({ stdout: '', exitCode: 2 });
  });
});
