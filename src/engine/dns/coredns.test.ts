// CoreDNS answers per the Kubernetes DNS specification (kubernetes/dns docs/specification.md)
// as the kubernetes plugin implements it; sizes checked against real CoreDNS log lines
// (`kubernetes.default.svc.cluster.local`: A query 54 bytes → 106, AAAA → 147).
import { describe, expect, it } from 'vitest';
import { createRng } from '../core/rng';
import type { Service } from '../model/types';
import { CoreDns, dnsDataFrom, makeQuery, recordText, type DnsMessage, type RRType } from './index';
import { fixtureObjects, FIXTURE_SERIAL, KUBEADM_COREFILE, LOGGING_COREFILE } from './fixtures';

const T0 = Date.UTC(2026, 0, 1, 0, 5, 0);
const ctx = { clientIP: '10.244.1.5', clientPort: 52345, proto: 'udp' as const, nowMs: T0 };

function server(corefile = KUBEADM_COREFILE) {
  return new CoreDns(dnsDataFrom(fixtureObjects()), { corefile });
}

function ask(s: CoreDns, name: string, type: RRType = 'A', nowMs = T0): DnsMessage {
  return s.handle(makeQuery(4242, name, type), { ...ctx, nowMs }).response;
}

const lines = (rrs: DnsMessage['answer']) => rrs.map(recordText);
const SOA = `cluster.local.\t\t30\tIN\tSOA\tns.dns.cluster.local. hostmaster.cluster.local. ${FIXTURE_SERIAL} 7200 1800 86400 30`;

describe('CoreDNS kubernetes plugin', () => {
  const s = server();

  it('answers a ClusterIP Service with its ClusterIP, authoritatively, TTL 30', () => {
    const m = ask(s, 'web.default.svc.cluster.local');
    expect(m.rcode).toBe('NOERROR');
    expect(m.flags).toMatchObject({ qr: true, aa: true, rd: true, ra: false });
    expect(lines(m.answer)).toEqual(['web.default.svc.cluster.local. 30 IN\tA\t10.96.12.34']);
    expect(lines(ask(s, 'kubernetes.default.svc.cluster.local').answer)).toEqual(['kubernetes.default.svc.cluster.local. 30 IN A\t10.96.0.1']);
  });

  it('keeps the case of the question in the answer', () => {
    expect(ask(s, 'Web.Default.svc.cluster.local').answer[0]!.name).toBe('Web.Default.svc.cluster.local.');
  });

  it('NODATA: the name exists, the type does not (NOERROR, empty answer, SOA)', () => {
    const m = ask(s, 'web.default.svc.cluster.local', 'AAAA');
    expect(m.rcode).toBe('NOERROR');
    expect(m.answer).toEqual([]);
    expect(lines(m.authority)).toEqual([SOA]);
    expect(m.flags.aa).toBe(true);
    // A namespace (or the svc label) alone is NODATA too.
    expect(ask(s, 'default.svc.cluster.local').rcode).toBe('NOERROR');
    expect(ask(s, 'svc.cluster.local').rcode).toBe('NOERROR');
  });

  it('NXDOMAIN for an unknown Service, an unknown namespace, a bad label, too many labels', () => {
    for (const n of ['nope.default.svc.cluster.local', 'web.nons.svc.cluster.local', 'nons.svc.cluster.local', 'web.default.foo.cluster.local', 'a.b._http._tcp.web.default.svc.cluster.local', 'web.default.svc.cluster.local.default.svc.cluster.local']) {
      const m = ask(s, n);
      expect(m.rcode, n).toBe('NXDOMAIN');
      expect(lines(m.authority), n).toEqual([SOA]);
    }
  });

  it('headless: every ready endpoint, not-ready ones left out', () => {
    expect(lines(ask(s, 'db.default.svc.cluster.local').answer)).toEqual([
      'db.default.svc.cluster.local. 30 IN\tA\t10.244.1.7',
      'db.default.svc.cluster.local. 30 IN\tA\t10.244.2.8',
    ]);
    // publishNotReadyAddresses: the controller marked it ready; no ports still gives A records.
    expect(lines(ask(s, 'peers.default.svc.cluster.local').answer)).toEqual(['peers.default.svc.cluster.local. 30 IN\tA\t10.244.1.20']);
    // No ready endpoint: NXDOMAIN (CoreDNS finds no record).
    expect(ask(s, 'empty.default.svc.cluster.local').rcode).toBe('NXDOMAIN');
  });

  it('hostname.subdomain and dashed-IP endpoint names of a headless Service', () => {
    expect(lines(ask(s, 'db-0.db.default.svc.cluster.local').answer)).toEqual(['db-0.db.default.svc.cluster.local. 30 IN A\t10.244.1.7']);
    expect(lines(ask(s, '10-244-2-8.db.default.svc.cluster.local').answer)).toEqual(['10-244-2-8.db.default.svc.cluster.local. 30 IN A 10.244.2.8']);
    expect(ask(s, 'db-1.db.default.svc.cluster.local').rcode).toBe('NXDOMAIN');
  });

  it('SRV for a named port: priority 0, weight 100/n, the Service as target, its A in additional', () => {
    const m = ask(s, '_http._tcp.web.default.svc.cluster.local', 'SRV');
    expect(lines(m.answer)).toEqual(['_http._tcp.web.default.svc.cluster.local. 30 IN\tSRV 0 100 80 web.default.svc.cluster.local.']);
    expect(lines(m.additional)).toEqual(['web.default.svc.cluster.local. 30 IN\tA\t10.96.12.34']);
    const all = ask(s, 'api.shop.svc.cluster.local', 'SRV');
    expect(lines(all.answer)).toEqual([
      'api.shop.svc.cluster.local. 30\tIN\tSRV\t0 50 80 api.shop.svc.cluster.local.',
      'api.shop.svc.cluster.local. 30\tIN\tSRV\t0 50 9090 api.shop.svc.cluster.local.',
    ]);
    expect(ask(s, '_https._tcp.web.default.svc.cluster.local', 'SRV').rcode).toBe('NXDOMAIN');
  });

  it('SRV of a headless Service: one per endpoint, targets named after each endpoint', () => {
    const m = ask(s, '_pg._tcp.db.default.svc.cluster.local', 'SRV');
    expect(m.answer.map((r) => r.data)).toEqual([
      { type: 'SRV', priority: 0, weight: 50, port: 5432, target: 'db-0.db.default.svc.cluster.local.' },
      { type: 'SRV', priority: 0, weight: 50, port: 5432, target: '10-244-2-8.db.default.svc.cluster.local.' },
    ]);
    expect(m.additional.map((r) => `${r.name} ${(r.data as { address: string }).address}`)).toEqual([
      'db-0.db.default.svc.cluster.local. 10.244.1.7',
      '10-244-2-8.db.default.svc.cluster.local. 10.244.2.8',
    ]);
  });

  it('PTR: a ClusterIP names its Service, an endpoint IP its endpoint name', () => {
    expect(lines(ask(s, '34.12.96.10.in-addr.arpa', 'PTR').answer)).toEqual(['34.12.96.10.in-addr.arpa. 30\tIN\tPTR\tweb.default.svc.cluster.local.']);
    expect(lines(ask(s, '5.1.244.10.in-addr.arpa', 'PTR').answer)).toEqual(['5.1.244.10.in-addr.arpa. 30\tIN\tPTR\t10-244-1-5.web.default.svc.cluster.local.']);
    expect(lines(ask(s, '7.1.244.10.in-addr.arpa', 'PTR').answer)).toEqual(['7.1.244.10.in-addr.arpa. 30\tIN\tPTR\tdb-0.db.default.svc.cluster.local.']);
  });

  it('PTR of an IP nobody owns falls through to forward: NXDOMAIN, not authoritative', () => {
    const m = ask(s, '99.9.244.10.in-addr.arpa', 'PTR');
    expect(m.rcode).toBe('NXDOMAIN');
    expect(m.flags).toMatchObject({ aa: false, ra: true });
  });

  it('ExternalName: a CNAME, chased upstream for addresses (TTL capped by cache 30)', () => {
    const m = ask(s, 'ext.default.svc.cluster.local');
    expect(lines(m.answer)).toEqual([
      'ext.default.svc.cluster.local. 30 IN\tCNAME\texample.com.',
      'example.com.\t\t30\tIN\tA\t93.184.215.14',
    ]);
    expect(m.flags.aa).toBe(true);
    expect(lines(ask(s, 'ext.default.svc.cluster.local', 'CNAME').answer)).toEqual(['ext.default.svc.cluster.local. 30 IN\tCNAME\texample.com.']);
  });

  it('pod records (pods insecure): any dashed IP in an existing namespace', () => {
    expect(lines(ask(s, '10-244-1-5.default.pod.cluster.local').answer)).toEqual(['10-244-1-5.default.pod.cluster.local. 30 IN A\t10.244.1.5']);
    expect(lines(ask(s, '10-244-9-9.shop.pod.cluster.local').answer)).toEqual(['10-244-9-9.shop.pod.cluster.local. 30 IN A\t10.244.9.9']);
    expect(ask(s, 'web-7d4b9c-x2x9k.default.pod.cluster.local').rcode).toBe('NXDOMAIN');
    expect(ask(s, '10-244-1-5.nons.pod.cluster.local').rcode).toBe('NXDOMAIN');
  });

  it('the zone apex: SOA, NS via ns.dns, and dns-version', () => {
    expect(lines(ask(s, 'cluster.local', 'SOA').answer)).toEqual([SOA]);
    expect(lines(ask(s, 'cluster.local', 'NS').answer)).toEqual(['cluster.local.\t\t30\tIN\tNS\tns.dns.cluster.local.']);
    expect(lines(ask(s, 'ns.dns.cluster.local').answer)).toEqual(['ns.dns.cluster.local.\t30\tIN\tA\t10.96.0.10']);
    expect(lines(ask(s, 'dns-version.cluster.local', 'TXT').answer)).toEqual(['dns-version.cluster.local. 28800 IN\tTXT\t"1.1.0"']);
    expect(ask(s, 'cluster.local', 'AXFR').rcode).toBe('REFUSED');
  });
});

describe('forward, cache and the emulated internet', () => {
  it('forwards names outside the cluster domain; cache 30 caps TTLs, then counts down, with aa', () => {
    const s = server();
    const first = ask(s, 'example.com');
    expect(first.flags).toMatchObject({ qr: true, aa: false, rd: true, ra: true });
    expect(lines(first.answer)).toEqual(['example.com.\t\t30\tIN\tA\t93.184.215.14']);
    const later = ask(s, 'example.com', 'A', T0 + 12_000);
    expect(lines(later.answer)).toEqual(['example.com.\t\t18\tIN\tA\t93.184.215.14']);
    expect(later.flags).toMatchObject({ aa: true, ra: true });
    expect(lines(ask(s, 'example.com', 'A', T0 + 31_000).answer)).toEqual(['example.com.\t\t30\tIN\tA\t93.184.215.14']);
  });

  it('unknown names are NXDOMAIN from the root, search-list leftovers too', () => {
    const s = server();
    for (const n of ['nope.example.invalid', 'web.default', 'api.github.com.cluster.local.example']) {
      const m = ask(s, n);
      expect(m.rcode, n).toBe('NXDOMAIN');
      expect(m.flags.aa).toBe(false);
    }
    expect(lines(ask(s, 'web.default').authority)).toEqual(['.\t\t\t30\tIN\tSOA\ta.root-servers.net. nstld.verisign-grs.com. 2026010100 1800 900 604800 86400']);
    // api.github.com under a cluster suffix is the kubernetes plugin's NXDOMAIN.
    expect(ask(s, 'api.github.com.default.svc.cluster.local').flags.aa).toBe(true);
  });

  it('without forward, names outside the zone are SERVFAIL; outside every block REFUSED', () => {
    const noForward = server(KUBEADM_COREFILE.replace(/ {4}forward[^}]*\}\n/, ''));
    expect(ask(noForward, 'example.com').rcode).toBe('SERVFAIL');
    const onlyCluster = server('cluster.local:53 {\n    kubernetes cluster.local\n}\n');
    expect(ask(onlyCluster, 'example.com').rcode).toBe('REFUSED');
    // `kubernetes` with no block: pods disabled, ttl 5.
    expect(lines(ask(onlyCluster, 'web.default.svc.cluster.local').answer)).toEqual(['web.default.svc.cluster.local. 5 IN\tA\t10.96.12.34']);
    expect(ask(onlyCluster, '10-244-1-5.default.pod.cluster.local').rcode).toBe('NXDOMAIN');
  });

  it('hosts plugin entries answer before kubernetes (its 3600 s TTL capped by cache 30)', () => {
    const s = server(KUBEADM_COREFILE.replace('    ready\n', '    ready\n    hosts {\n       192.168.99.5 legacy.corp\n       fallthrough\n    }\n'));
    expect(lines(ask(s, 'legacy.corp').answer)).toEqual(['legacy.corp.\t\t30\tIN\tA\t192.168.99.5']);
    expect(ask(s, 'web.default.svc.cluster.local').answer).toHaveLength(1);
  });

  it('loadbalance shuffles address records with the injected rng', () => {
    const s = new CoreDns(dnsDataFrom(fixtureObjects()), { corefile: KUBEADM_COREFILE, rng: createRng(7) });
    const orders = new Set<string>();
    for (let i = 0; i < 20; i++) orders.add(ask(s, 'db.default.svc.cluster.local').answer.map((r) => (r.data as { address: string }).address).join(','));
    expect(orders).toEqual(new Set(['10.244.1.7,10.244.2.8', '10.244.2.8,10.244.1.7']));
  });
});

describe('the log plugin', () => {
  it('logs nothing with kubeadm\'s Corefile', () => {
    expect(server().handle(makeQuery(1, 'web.default.svc.cluster.local', 'A'), ctx).logLines).toEqual([]);
  });

  it('logs each query in the common log format with real message sizes', () => {
    const s = server(LOGGING_COREFILE);
    const q = (id: number, name: string, type: RRType, durationSec: number) => s.handle(makeQuery(id, name, type), { ...ctx, durationSec }).logLines;
    expect(q(12345, 'web.default.svc.cluster.local', 'A', 0.000123)).toEqual([
      '[INFO] 10.244.1.5:52345 - 12345 "A IN web.default.svc.cluster.local. udp 47 false 512" NOERROR qr,aa,rd 92 0.000123s',
    ]);
    expect(q(2763, 'kubernetes.default.svc.cluster.local', 'A', 0.000128)).toEqual([
      '[INFO] 10.244.1.5:52345 - 2763 "A IN kubernetes.default.svc.cluster.local. udp 54 false 512" NOERROR qr,aa,rd 106 0.000128s',
    ]);
    expect(q(2764, 'kubernetes.default.svc.cluster.local', 'AAAA', 0.000268)).toEqual([
      '[INFO] 10.244.1.5:52345 - 2764 "AAAA IN kubernetes.default.svc.cluster.local. udp 54 false 512" NOERROR qr,aa,rd 147 0.000268s',
    ]);
    expect(q(7, 'web.cluster.local', 'A', 0.00009)).toEqual([
      '[INFO] 10.244.1.5:52345 - 7 "A IN web.cluster.local. udp 35 false 512" NXDOMAIN qr,aa,rd 128 0.00009s',
    ]);
    expect(q(8, 'example.com', 'A', 0.012345678)).toEqual([
      '[INFO] 10.244.1.5:52345 - 8 "A IN example.com. udp 29 false 512" NOERROR qr,rd,ra 56 0.012345678s',
    ]);
  });

  it('logs dig\'s EDNS queries with their buffer size, and honours `class`', () => {
    const s = server(LOGGING_COREFILE);
    const m = makeQuery(9, 'web.default.svc.cluster.local', 'A', { edns: { udpSize: 1232, do: false, cookie: '0123456789abcdef' }, ad: true });
    expect(s.handle(m, { ...ctx, durationSec: 0.0001 }).logLines).toEqual([
      '[INFO] 10.244.1.5:52345 - 9 "A IN web.default.svc.cluster.local. udp 70 false 1232" NOERROR qr,aa,rd 115 0.0001s',
    ]);
    const denials = server(KUBEADM_COREFILE.replace('    errors\n', '    errors\n    log . {\n       class denial\n    }\n'));
    expect(denials.handle(makeQuery(1, 'web.default.svc.cluster.local', 'A'), ctx).logLines).toEqual([]);
    expect(denials.handle(makeQuery(2, 'nope.default.svc.cluster.local', 'A'), ctx).logLines).toHaveLength(1);
  });
});

describe('the cache across cluster changes', () => {
  // kubeadm's Corefile before v1.32 (kubernetes#128359 added `disable success|denial cluster.local`):
  // cluster answers are cached too, so a changed Service is seen up to `cache 30` late.
  const CACHING_COREFILE = KUBEADM_COREFILE.replace(/cache 30 \{[^}]*\}/, 'cache 30');
  const moved = () => fixtureObjects().map((o) => (o.kind === 'Service' && o.metadata.name === 'web' ? { ...o, spec: { ...(o as Service).spec, clusterIP: '10.96.99.99', clusterIPs: ['10.96.99.99'] } } : o));
  const removed = () => fixtureObjects().filter((o) => !(o.kind === 'Service' && o.metadata.name === 'web'));

  it('keeps serving a cached answer after the Service changes, until its TTL runs out', () => {
    const s = server(CACHING_COREFILE);
    expect(lines(ask(s, 'web.default.svc.cluster.local').answer)).toEqual(['web.default.svc.cluster.local. 30 IN\tA\t10.96.12.34']);
    s.update(dnsDataFrom(moved()));
    // 12 s later: still the old IP, from the cache (TTL counted down).
    expect(lines(ask(s, 'web.default.svc.cluster.local', 'A', T0 + 12_000).answer)).toEqual(['web.default.svc.cluster.local. 18 IN\tA\t10.96.12.34']);
    // A name never asked before is answered from the new data at once.
    expect(ask(s, 'web.default.svc.cluster.local', 'AAAA', T0 + 12_000).rcode).toBe('NOERROR');
    // 30 s after it was stored, the entry is gone: the new IP.
    expect(lines(ask(s, 'web.default.svc.cluster.local', 'A', T0 + 30_000).answer)).toEqual(['web.default.svc.cluster.local. 30 IN\tA\t10.96.99.99']);
  });

  it('a deleted Service keeps resolving from the cache; a cached NXDOMAIN outlives a new Service', () => {
    const s = server(CACHING_COREFILE);
    ask(s, 'web.default.svc.cluster.local');
    expect(ask(s, 'late.default.svc.cluster.local').rcode).toBe('NXDOMAIN');
    s.update(dnsDataFrom(removed()));
    expect(ask(s, 'web.default.svc.cluster.local', 'A', T0 + 5_000).answer).toHaveLength(1);
    expect(ask(s, 'web.default.svc.cluster.local', 'A', T0 + 31_000).rcode).toBe('NXDOMAIN');
    const late = { ...fixtureObjects().find((o) => o.kind === 'Service' && o.metadata.name === 'web')!, metadata: { ...fixtureObjects().find((o) => o.kind === 'Service')!.metadata, name: 'late' } };
    s.update(dnsDataFrom([...fixtureObjects(), late]));
    // The denial was stored at T0 with the SOA minimum (30) as its TTL.
    expect(ask(s, 'late.default.svc.cluster.local', 'A', T0 + 29_000).rcode).toBe('NXDOMAIN');
    expect(ask(s, 'late.default.svc.cluster.local', 'A', T0 + 30_000).rcode).toBe('NOERROR');
  });

  it('with kubeadm\'s Corefile (cluster.local not cached) the change is seen at once', () => {
    const s = server();
    ask(s, 'web.default.svc.cluster.local');
    s.update(dnsDataFrom(moved()));
    expect(lines(ask(s, 'web.default.svc.cluster.local', 'A', T0 + 1_000).answer)).toEqual(['web.default.svc.cluster.local. 30 IN\tA\t10.96.99.99']);
    // …while forwarded names stay cached across the update.
    ask(s, 'example.com', 'A', T0 + 1_000);
    s.update(dnsDataFrom(fixtureObjects()));
    expect(lines(ask(s, 'example.com', 'A', T0 + 11_000).answer)).toEqual(['example.com.\t\t20\tIN\tA\t93.184.215.14']);
  });
});
