// Resolver walks (musl lookup_name.c, glibc res_query.c, busybox nslookup.c, BIND dighost.c)
// and the pods' resolv.conf (kubelet dns.go + containerd), against the fixture cluster.
import { describe, expect, it } from 'vitest';
import type { Pod } from '../model/types';
import {
  CoreDns, dnsDataFrom, getaddrinfo, parseResolvConf, resolvConfFor, searchCandidates, busyboxNslookup, bindLookup, bindSearchNames,
  type Exchange, type ResolverEnv,
} from './index';
import { fixtureObjects, KUBEADM_COREFILE } from './fixtures';

const CLUSTER = { clusterDomain: 'cluster.local', clusterDNS: '10.96.0.10' };

function pod(spec: Partial<Pod['spec']> = {}, namespace = 'default'): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'client', namespace, uid: 'u', resourceVersion: '1', creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: { containers: [{ name: 'c', image: 'busybox' }], dnsPolicy: 'ClusterFirst', ...spec },
  };
}

function env(drop: (name: string, type: string) => boolean = () => false): ResolverEnv & { sent: string[] } {
  const coredns = new CoreDns(dnsDataFrom(fixtureObjects()), { corefile: KUBEADM_COREFILE });
  const sent: string[] = [];
  let id = 100;
  const exchange: Exchange = (q, server) => {
    sent.push(`${q.question[0]!.type} ${q.question[0]!.name} @${server}`);
    if (drop(q.question[0]!.name, q.question[0]!.type)) return 'timeout';
    return coredns.handle(q, { clientIP: '10.244.1.9', clientPort: 40000, proto: 'udp', nowMs: 0 }).response;
  };
  return { conf: parseResolvConf(resolvConfFor(pod(), CLUSTER)), exchange, nextId: () => id++, sent };
}

describe('resolvConfFor (kubelet + containerd)', () => {
  it('ClusterFirst: the cluster DNS, the namespace search list, ndots:5', () => {
    expect(resolvConfFor(pod(), CLUSTER)).toBe('search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
    expect(resolvConfFor(pod({}, 'shop'), CLUSTER)).toBe('search shop.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
  });

  it('Default and hostNetwork ClusterFirst: the node\'s resolv.conf (kind: the Docker gateway)', () => {
    const node = 'nameserver 172.18.0.1\noptions ndots:0\n';
    expect(resolvConfFor(pod({ dnsPolicy: 'Default' }), CLUSTER)).toBe(node);
    expect(resolvConfFor(pod({ hostNetwork: true }), CLUSTER)).toBe(node);
    expect(resolvConfFor(pod({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }), CLUSTER)).toBe('search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
  });

  it('the node\'s search domains follow the cluster ones; `.` is dropped', () => {
    const hostResolvConf = 'nameserver 10.0.0.2\nsearch corp.example.com .\noptions edns0\n';
    expect(resolvConfFor(pod(), { ...CLUSTER, hostResolvConf })).toBe('search default.svc.cluster.local svc.cluster.local cluster.local corp.example.com\nnameserver 10.96.0.10\noptions ndots:5\n');
  });

  it('None + dnsConfig, and dnsConfig merged into ClusterFirst (duplicates dropped, options by name)', () => {
    const dnsConfig = { nameservers: ['1.1.1.1', '10.96.0.10'], searches: ['my.dns.search.suffix', 'svc.cluster.local'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] };
    expect(resolvConfFor(pod({ dnsPolicy: 'None', dnsConfig } as Partial<Pod['spec']>), CLUSTER)).toBe('search my.dns.search.suffix svc.cluster.local\nnameserver 1.1.1.1\nnameserver 10.96.0.10\noptions ndots:2 edns0\n');
    expect(resolvConfFor(pod({ dnsConfig } as Partial<Pod['spec']>), CLUSTER)).toBe('search default.svc.cluster.local svc.cluster.local cluster.local my.dns.search.suffix\nnameserver 10.96.0.10\nnameserver 1.1.1.1\noptions ndots:2 edns0\n');
  });
});

describe('search list and ndots', () => {
  const conf = parseResolvConf(resolvConfFor(pod(), CLUSTER));
  it('short names and the ndots:5 surprise: cluster suffixes first, as-is last (musl and glibc)', () => {
    for (const libc of ['musl', 'glibc'] as const) {
      expect(searchCandidates('web', conf, libc)).toEqual(['web.default.svc.cluster.local.', 'web.svc.cluster.local.', 'web.cluster.local.', 'web.']);
      expect(searchCandidates('api.github.com', conf, libc)).toEqual([
        'api.github.com.default.svc.cluster.local.', 'api.github.com.svc.cluster.local.', 'api.github.com.cluster.local.', 'api.github.com.',
      ]);
      expect(searchCandidates('api.github.com.', conf, libc)).toEqual(['api.github.com.']);
    }
  });
  it('≥ ndots dots: musl tries the name alone, glibc as-is first then the list', () => {
    const five = 'a.b.c.d.e.f';
    expect(searchCandidates(five, conf, 'musl')).toEqual(['a.b.c.d.e.f.']);
    expect(searchCandidates(five, conf, 'glibc')).toEqual(['a.b.c.d.e.f.', 'a.b.c.d.e.f.default.svc.cluster.local.', 'a.b.c.d.e.f.svc.cluster.local.', 'a.b.c.d.e.f.cluster.local.']);
  });
});

describe('getaddrinfo', () => {
  it('web: found under the first suffix, A and AAAA sent together', () => {
    const e = env();
    const r = getaddrinfo('web', 'musl', e);
    expect(r).toMatchObject({ status: 'found', name: 'web.default.svc.cluster.local.', addresses: ['10.96.12.34'] });
    expect(e.sent).toEqual(['A web.default.svc.cluster.local. @10.96.0.10', 'AAAA web.default.svc.cluster.local. @10.96.0.10']);
  });

  it('api.github.com: eight queries, three NXDOMAIN pairs from the cluster before the internet', () => {
    const e = env();
    const r = getaddrinfo('api.github.com', 'glibc', e);
    expect(r.status).toBe('found');
    expect(r.addresses).toEqual(['140.82.112.6']);
    expect(e.sent.map((s) => s.split(' ').slice(0, 2).join(' '))).toEqual([
      'A api.github.com.default.svc.cluster.local.', 'AAAA api.github.com.default.svc.cluster.local.',
      'A api.github.com.svc.cluster.local.', 'AAAA api.github.com.svc.cluster.local.',
      'A api.github.com.cluster.local.', 'AAAA api.github.com.cluster.local.',
      'A api.github.com.', 'AAAA api.github.com.',
    ]);
    expect(r.attempts.slice(0, 6).every((a) => a.response?.rcode === 'NXDOMAIN')).toBe(true);
  });

  it('nope: every candidate NXDOMAIN', () => {
    expect(getaddrinfo('nope', 'musl', env()).status).toBe('nxdomain');
  });

  it('musl stops at NODATA; glibc moves on', () => {
    // `web.default` (one dot < ndots): web.default.svc.cluster.local exists (A only).
    const m = env();
    expect(getaddrinfo('web.default', 'musl', m, ['AAAA'])).toMatchObject({ status: 'nodata', name: 'web.default.svc.cluster.local.' });
    // web.default.default.svc.cluster.local (NXDOMAIN), then the NODATA that ends the walk.
    expect(m.sent).toHaveLength(2);
    const g = env();
    expect(getaddrinfo('web.default', 'glibc', g, ['AAAA']).status).toBe('nodata');
    expect(g.sent).toHaveLength(4);
  });

  it('a dropped query stops the walk: timeout', () => {
    const e = env(() => true);
    const r = getaddrinfo('web', 'musl', e);
    expect(r.status).toBe('timeout');
    expect(r.attempts.map((a) => a.waitedMs)).toEqual([5000, 5000]);
  });
});

describe('busybox nslookup and BIND lookups', () => {
  it('busybox: a dotless name gets A then AAAA under each search domain, no as-is query', () => {
    const e = env();
    const r = busyboxNslookup('web', e);
    expect(r.server).toBe('10.96.0.10');
    expect(r.queries.map((q) => `${q.type} ${q.name} ${q.response!.rcode}`)).toEqual([
      'A web.default.svc.cluster.local NOERROR', 'A web.svc.cluster.local NXDOMAIN', 'A web.cluster.local NXDOMAIN',
      'AAAA web.default.svc.cluster.local NOERROR', 'AAAA web.svc.cluster.local NXDOMAIN', 'AAAA web.cluster.local NXDOMAIN',
    ]);
  });

  it('busybox: a dotted name is sent as typed (no search, no ndots)', () => {
    const r = busyboxNslookup('web.default', env());
    expect(r.queries.map((q) => `${q.type} ${q.name} ${q.response!.rcode}`)).toEqual(['A web.default NXDOMAIN', 'AAAA web.default NXDOMAIN']);
  });

  it('busybox: an IP becomes one PTR query', () => {
    const r = busyboxNslookup('10.96.12.34', env());
    expect(r.queries.map((q) => `${q.type} ${q.name}`)).toEqual(['PTR 34.12.96.10.in-addr.arpa']);
  });

  it('dig +search follows the list and stops at the first non-NXDOMAIN', () => {
    const e = env();
    const l = bindLookup(bindSearchNames('web', e.conf), 'A', e);
    expect(l.response?.question[0]!.name).toBe('web.default.svc.cluster.local.');
    expect(l.attempts).toHaveLength(1);
    const t = env(() => true);
    const lost = bindLookup(['web.default.svc.cluster.local.'], 'A', t);
    expect(lost.response).toBeUndefined();
    expect(t.sent).toHaveLength(3);
  });
});
