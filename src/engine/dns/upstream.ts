/**
 * The emulated internet behind CoreDNS's `forward` (kind: the node's resolv.conf → Docker's
 * embedded DNS → the host's resolver). A handful of fixed names answer; everything else is
 * NXDOMAIN from the root zone.
 *
 * EMULATED DATA: the addresses below are fixed, public-looking values chosen for lessons.
 * They are not looked up anywhere and will drift from the real internet; TTLs are the ones a
 * caching public resolver might return, before CoreDNS's `cache 30` caps them.
 */
import { fqdn, isSubdomain, type Question, type RData, type Rcode, type ResourceRecord } from './message';

interface UpstreamName {
  A?: string[];
  AAAA?: string[];
  CNAME?: string;
  ttl: number;
}

export const UPSTREAM_NAMES: Readonly<Record<string, UpstreamName>> = {
  'example.com.': { A: ['93.184.215.14'], AAAA: ['2606:2800:21f:cb07:6820:80da:af6b:8b2c'], ttl: 3600 },
  'www.example.com.': { A: ['93.184.215.14'], AAAA: ['2606:2800:21f:cb07:6820:80da:af6b:8b2c'], ttl: 3600 },
  'example.org.': { A: ['93.184.215.15'], ttl: 3600 },
  'kubernetes.io.': { A: ['15.197.167.90', '3.33.186.135'], ttl: 300 },
  'www.kubernetes.io.': { CNAME: 'kubernetes.io.', ttl: 300 },
  'github.com.': { A: ['140.82.112.3'], ttl: 60 },
  'www.github.com.': { CNAME: 'github.com.', ttl: 3600 },
  'api.github.com.': { A: ['140.82.112.6'], ttl: 60 },
  'registry.k8s.io.': { A: ['34.96.108.209'], AAAA: ['2600:1901:0:bbc4::'], ttl: 300 },
};

/** The root zone's SOA, the authority of an NXDOMAIN for an unknown TLD (TTL before capping). */
export const ROOT_SOA: ResourceRecord = {
  name: '.',
  ttl: 86400,
  class: 'IN',
  data: { type: 'SOA', mname: 'a.root-servers.net.', rname: 'nstld.verisign-grs.com.', serial: 2026010100, refresh: 1800, retry: 900, expire: 604800, minimum: 86400 },
};

export interface UpstreamAnswer {
  rcode: Rcode;
  answer: ResourceRecord[];
  authority: ResourceRecord[];
}

/** What a recursive resolver on the internet answers (flags qr rd ra, not authoritative). */
export function upstreamResolve(q: Question): UpstreamAnswer {
  const answer: ResourceRecord[] = [];
  let name = fqdn(q.name).toLowerCase();
  const owner = (n: string) => (n === fqdn(q.name).toLowerCase() ? fqdn(q.name) : n);
  for (let hops = 0; hops < 8; hops++) {
    const e = UPSTREAM_NAMES[name];
    if (!e) {
      if (hops > 0) return { rcode: 'NOERROR', answer, authority: [] };
      // Private reverse zones (RFC 6303) and unknown names: NXDOMAIN. Reverse zones answer
      // without the root SOA (a locally served empty zone).
      const reverse = isSubdomain('in-addr.arpa.', name) || isSubdomain('ip6.arpa.', name);
      const knownParent = Object.keys(UPSTREAM_NAMES).some((k) => name !== k && isSubdomain(k, name));
      return { rcode: 'NXDOMAIN', answer: [], authority: reverse || knownParent ? [] : [ROOT_SOA] };
    }
    if (e.CNAME && q.type !== 'CNAME') {
      answer.push({ name: owner(name), ttl: e.ttl, class: 'IN', data: { type: 'CNAME', target: e.CNAME } });
      name = e.CNAME;
      continue;
    }
    const rdatas: RData[] = [];
    if (q.type === 'A' || q.type === 'ANY') for (const a of e.A ?? []) rdatas.push({ type: 'A', address: a });
    if (q.type === 'AAAA' || q.type === 'ANY') for (const a of e.AAAA ?? []) rdatas.push({ type: 'AAAA', address: a });
    if (q.type === 'CNAME' && e.CNAME) rdatas.push({ type: 'CNAME', target: e.CNAME });
    for (const d of rdatas) answer.push({ name: owner(name), ttl: e.ttl, class: 'IN', data: d });
    return { rcode: 'NOERROR', answer, authority: [] };
  }
  return { rcode: 'SERVFAIL', answer: [], authority: [] };
}
