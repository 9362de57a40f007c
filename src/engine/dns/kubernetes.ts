/**
 * CoreDNS's kubernetes plugin over a snapshot of the API: the Kubernetes DNS-Based Service
 * Discovery specification (kubernetes/dns docs/specification.md) as CoreDNS implements it
 * (plugin/kubernetes kubernetes.go, parse.go, reverse.go, handler.go; plugin/backend_lookup.go):
 *
 * - `svc.ns.svc.zone` A/AAAA: the ClusterIP(s); headless: every ready endpoint address
 *   (EndpointSlice `ready` unset counts as ready; the EndpointSlice controller already marks
 *   not-ready pods ready when the Service has publishNotReadyAddresses). A headless Service
 *   with no ready endpoint is NXDOMAIN, as are names CoreDNS cannot parse.
 * - `_port._proto.svc.ns.svc.zone` SRV: priority 0, weight ⌊100/n⌋ over the n records,
 *   target the Service name (ClusterIP) or `<hostname|a-b-c-d>.svc.ns.svc.zone` (headless),
 *   the targets' A records in the additional section.
 * - `endpoint.svc.ns.svc.zone`: one endpoint (its hostname, or its IP with dashes).
 * - ExternalName: a CNAME, chased upstream for A/AAAA.
 * - `a-b-c-d.ns.pod.zone` (pods insecure): the IP, for any existing namespace.
 * - PTR: a ClusterIP → the Service name; an endpoint IP → its endpoint name in each Service;
 *   anything else is a name error, which `fallthrough in-addr.arpa ip6.arpa` hands to forward.
 * - NXDOMAIN vs NODATA: a name the plugin knows with no record of the type is NOERROR with
 *   the zone's SOA in the authority section.
 */
import type { EndpointSlice, Pod, Service } from '../model/types';
import type { KubernetesOptions } from './corefile';
import { addressFromReverse, expandIPv6, fqdn, isSubdomain, sameName, type Question, type RData, type ResourceRecord } from './message';

/** The TXT answer of `dns-version.<zone>` (plugin/kubernetes DNSSchemaVersion). */
export const DNS_SCHEMA_VERSION = '1.1.0';

export interface ClusterDnsData {
  services: readonly Service[];
  endpointSlices: readonly EndpointSlice[];
  /** Names of existing namespaces (CoreDNS answers NXDOMAIN below a namespace that does not exist). */
  namespaces: readonly string[];
  /** Only for `pods verified`. */
  pods?: readonly Pod[];
  /**
   * The SOA serial: CoreDNS uses the Unix time (s) of the last Service/Endpoints change it
   * saw. Default: the newest creationTimestamp among Services and EndpointSlices.
   */
  serial?: number;
  /** The kube-dns Service's ClusterIP, for `ns.dns.<zone>` and NS answers. */
  dnsServiceIP?: string;
}

interface Entry {
  /** IP or, for ExternalName, a name. */
  host: string;
  port: number;
  portName: string;
  protocol: string;
  /** The record's own name (msg.Domain(Key)): `svc.ns.svc.zone.` or `ep.svc.ns.svc.zone.`. */
  domain: string;
}

export type KubernetesResult =
  | { kind: 'records'; answer: ResourceRecord[]; additional: ResourceRecord[]; chase?: { cname: ResourceRecord; target: string } }
  | { kind: 'nodata' }
  | { kind: 'nxdomain' };

interface EndpointAddr {
  ip: string;
  hostname?: string;
  targetRefName?: string;
}

const isIPv4 = (s: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(s);
const isIP = (s: string) => isIPv4(s) || expandIPv6(s) !== undefined;

export class KubernetesPlugin {
  readonly opts: KubernetesOptions;
  readonly primaryZone: string;
  #svc = new Map<string, Service>();
  #endpoints = new Map<string, { addrs: EndpointAddr[]; ports: { name: string; port: number; protocol: string }[] }[]>();
  #byClusterIP = new Map<string, Service>();
  #byEndpointIP = new Map<string, { svc: string; ns: string; addr: EndpointAddr }[]>();
  #namespaces: Set<string>;
  #podIPs = new Map<string, string[]>();
  readonly serial: number;
  readonly dnsServiceIP: string | undefined;

  constructor(data: ClusterDnsData, opts: KubernetesOptions) {
    this.opts = opts;
    this.primaryZone = opts.zones.find((z) => !z.endsWith('.arpa.')) ?? opts.zones[0] ?? 'cluster.local.';
    this.#namespaces = new Set(data.namespaces.map((n) => n.toLowerCase()));
    let newest = 0;
    for (const s of data.services) {
      const ns = s.metadata.namespace ?? 'default';
      this.#svc.set(`${ns}/${s.metadata.name}`.toLowerCase(), s);
      for (const ip of clusterIPs(s)) this.#byClusterIP.set(ip, s);
      newest = Math.max(newest, Date.parse(s.metadata.creationTimestamp) || 0);
    }
    for (const sl of data.endpointSlices) {
      if (sl.addressType === 'FQDN') continue;
      const svcName = sl.metadata.labels?.['kubernetes.io/service-name'];
      if (!svcName) continue;
      const ns = sl.metadata.namespace ?? 'default';
      newest = Math.max(newest, Date.parse(sl.metadata.creationTimestamp) || 0);
      const addrs: EndpointAddr[] = [];
      for (const ep of sl.endpoints ?? []) {
        // object/endpoint.go EndpointSliceToEndpoints: ready unset counts as ready.
        if (ep.conditions?.ready === false) continue;
        for (const ip of ep.addresses) {
          const a: EndpointAddr = { ip };
          if (ep.hostname) a.hostname = ep.hostname;
          if (ep.targetRef?.name && ep.targetRef.name.length < 64) a.targetRefName = ep.targetRef.name;
          addrs.push(a);
          const list = this.#byEndpointIP.get(ip) ?? [];
          list.push({ svc: svcName, ns, addr: a });
          this.#byEndpointIP.set(ip, list);
        }
      }
      // A slice without ports gets a sentinel port -1 (A records yes, SRV no).
      const ports = sl.ports && sl.ports.length ? sl.ports.map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' })) : [{ name: '', port: -1, protocol: '' }];
      const key = `${ns}/${svcName}`.toLowerCase();
      const list = this.#endpoints.get(key) ?? [];
      list.push({ addrs, ports });
      this.#endpoints.set(key, list);
    }
    for (const p of data.pods ?? []) {
      const ip = p.status?.podIP;
      if (!ip) continue;
      const list = this.#podIPs.get(ip) ?? [];
      list.push((p.metadata.namespace ?? 'default').toLowerCase());
      this.#podIPs.set(ip, list);
    }
    this.serial = data.serial ?? Math.floor(newest / 1000);
    this.dnsServiceIP = data.dnsServiceIP;
  }

  /** The zone of `qname` this plugin serves, or undefined. */
  zoneOf(qname: string): string | undefined {
    let best: string | undefined;
    for (const z of this.opts.zones) if (isSubdomain(z, qname) && (!best || z.length > best.length)) best = z;
    return best;
  }

  fallsThrough(qname: string): boolean {
    const f = this.opts.fallthrough;
    if (!f) return false;
    return f.length === 0 || f.some((z) => isSubdomain(z, qname));
  }

  /** plugin/backend_lookup.go SOA: `zone. TTL IN SOA ns.dns.zone. hostmaster.zone. serial 7200 1800 86400 ttl`. */
  soa(zone: string): ResourceRecord {
    const z = fqdn(zone);
    return {
      name: z,
      ttl: Math.min(this.opts.ttl, 300),
      class: 'IN',
      data: { type: 'SOA', mname: `ns.dns.${z}`, rname: `hostmaster.${z}`, serial: this.serial >>> 0, refresh: 7200, retry: 1800, expire: 86400, minimum: this.opts.ttl },
    };
  }

  #exposed(ns: string): boolean {
    if (this.opts.namespaces.length && !this.opts.namespaces.some((n) => n.toLowerCase() === ns.toLowerCase())) return false;
    return this.#namespaces.has(ns.toLowerCase());
  }

  /** parse.go parseRequest + kubernetes.go Records: entries, or 'nxdomain', for a forward name. */
  #records(qname: string, zone: string): Entry[] | 'nxdomain' {
    const base = fqdn(qname).slice(0, -fqdn(zone).length).replace(/\.$/, '');
    if (base === '' || base.toLowerCase() === 'svc' || base.toLowerCase() === 'pod') return [];
    const segs = base.split('.');
    let last = segs.length - 1;
    const podOrSvc = segs[last]!.toLowerCase();
    if (podOrSvc !== 'pod' && podOrSvc !== 'svc') return 'nxdomain';
    last--;
    if (last < 0) return [];
    const namespace = segs[last]!;
    last--;
    if (!this.#exposed(namespace)) return 'nxdomain';
    if (last < 0) return [];
    const service = segs[last]!;
    last--;
    let endpoint = '', port = '', protocol = '';
    if (last === 0) endpoint = segs[0]!;
    else if (last === 1) {
      protocol = segs[1]!.replace(/^_/, '');
      port = segs[0]!.replace(/^_/, '');
    } else if (last > 1) return 'nxdomain';
    return podOrSvc === 'pod' ? this.#findPods(namespace, service, zone) : this.#findServices(namespace, service, endpoint, port, protocol, zone);
  }

  #findPods(namespace: string, podname: string, zone: string): Entry[] | 'nxdomain' {
    if (this.opts.pods === 'disabled') return 'nxdomain';
    const ip = (podname.split('-').length === 4 && !podname.includes('--')) ? podname.replace(/-/g, '.') : podname.replace(/-/g, ':');
    if (!isIP(ip)) return 'nxdomain';
    const domain = `${podname}.${namespace}.pod.${fqdn(zone)}`;
    if (this.opts.pods === 'insecure') return [{ host: ip, port: 0, portName: '', protocol: '', domain }];
    const nss = this.#podIPs.get(ip) ?? [];
    return nss.includes(namespace.toLowerCase()) ? [{ host: ip, port: 0, portName: '', protocol: '', domain }] : 'nxdomain';
  }

  #findServices(namespace: string, service: string, endpoint: string, port: string, protocol: string, zone: string): Entry[] | 'nxdomain' {
    const svc = this.#svc.get(`${namespace}/${service}`.toLowerCase());
    if (!svc) return 'nxdomain';
    const name = svc.metadata.name;
    const ns = svc.metadata.namespace ?? 'default';
    const svcDomain = `${name}.${ns}.svc.${fqdn(zone)}`;
    const match = (a: string, b: string) => a === '' || a.toLowerCase() === b.toLowerCase();
    const epLists = () => (this.opts.noEndpoints ? [] : this.#endpoints.get(`${ns}/${name}`.toLowerCase()) ?? []);
    const headless = svc.spec.clusterIP === 'None';
    if (this.opts.ignoreEmptyService && svc.spec.type !== 'ExternalName' && !headless) {
      if (epLists().every((e) => e.addrs.length === 0)) return 'nxdomain';
    }
    if (svc.spec.type === 'ExternalName') {
      const target = svc.spec.externalName ?? '';
      if (endpoint !== '' || target === '' || isIP(target)) return 'nxdomain';
      return [{ host: target, port: 0, portName: '', protocol: '', domain: svcDomain }];
    }
    const out: Entry[] = [];
    let found = false;
    if (headless || endpoint !== '') {
      for (const e of epLists()) {
        for (const a of e.addrs) {
          const host = this.#endpointHostname(a);
          if (endpoint !== '' && endpoint.toLowerCase() !== host.toLowerCase()) continue;
          for (const p of e.ports) {
            if (!(match(port, p.name) && match(protocol, p.protocol))) continue;
            found = true;
            out.push({ host: a.ip, port: p.port, portName: p.name, protocol: p.protocol, domain: `${host}.${svcDomain}` });
          }
        }
      }
      return found ? out : 'nxdomain';
    }
    for (const p of svc.spec.ports ?? []) {
      if (!(match(port, p.name ?? '') && match(protocol, p.protocol ?? 'TCP'))) continue;
      found = true;
      for (const ip of clusterIPs(svc)) out.push({ host: ip, port: p.port, portName: p.name ?? '', protocol: p.protocol ?? 'TCP', domain: svcDomain });
    }
    return found ? out : 'nxdomain';
  }

  #endpointHostname(a: EndpointAddr): string {
    if (a.hostname) return a.hostname;
    if (this.opts.endpointPodNames && a.targetRefName) return a.targetRefName;
    return a.ip.includes('.') ? a.ip.replace(/\./g, '-') : a.ip.replace(/:/g, '-');
  }

  /** reverse.go serviceRecordForIP. */
  #reverse(ip: string): string[] {
    const svc = this.#byClusterIP.get(ip);
    if (svc && this.#exposed(svc.metadata.namespace ?? 'default')) return [`${svc.metadata.name}.${svc.metadata.namespace ?? 'default'}.svc.${this.primaryZone}`];
    const out: string[] = [];
    for (const e of this.#byEndpointIP.get(ip) ?? []) {
      if (!this.#exposed(e.ns)) continue;
      out.push(`${this.#endpointHostname(e.addr)}.${e.svc}.${e.ns}.svc.${this.primaryZone}`);
    }
    return [...new Set(out)];
  }

  /** ns.go: the kube-dns address(es) as `ns.dns.<zone>`. */
  #nsEntries(zone: string): Entry[] {
    return this.dnsServiceIP ? [{ host: this.dnsServiceIP, port: 0, portName: '', protocol: '', domain: `ns.dns.${fqdn(zone)}` }] : [];
  }

  /** kubernetes.go Services: the special names before Records. */
  #services(q: Question, zone: string): Entry[] | 'nxdomain' | { txt: string } {
    if (q.type === 'TXT') {
      const base = fqdn(q.name).slice(0, -fqdn(zone).length).replace(/\.$/, '');
      if (base.toLowerCase() === 'dns-version') return { txt: DNS_SCHEMA_VERSION };
      const r = this.#records(q.name, zone);
      return r !== 'nxdomain' && r.length > 0 ? [] : 'nxdomain';
    }
    if (sameName(q.name, `ns.dns.${zone}`)) return this.#nsEntries(zone);
    return this.#records(q.name, zone);
  }

  /** A/AAAA with CNAME chasing inside the zone (backend_lookup.go A/AAAA). */
  #address(q: Question, zone: string, depth = 0): KubernetesResult {
    let entries: Entry[] | 'nxdomain';
    if (sameName(q.name, zone)) {
      // checkForApex: `apex.dns.<zone>` is never a Service name, so the apex itself: NODATA.
      entries = [];
    } else {
      const s = this.#services(q, zone);
      entries = typeof s === 'object' && !Array.isArray(s) ? [] : s;
    }
    if (entries === 'nxdomain') return { kind: 'nxdomain' };
    const answer: ResourceRecord[] = [];
    const seen = new Set<string>();
    for (const e of entries) {
      if (isIP(e.host)) {
        const v4 = isIPv4(e.host);
        if ((q.type === 'A') !== v4 || seen.has(e.host)) continue;
        seen.add(e.host);
        answer.push(this.#rr(q.name, q.type === 'A' ? { type: 'A', address: e.host } : { type: 'AAAA', address: e.host }));
        continue;
      }
      // ExternalName.
      if (sameName(q.name, e.host)) continue;
      const cname = this.#rr(q.name, { type: 'CNAME', target: fqdn(e.host) });
      if (isSubdomain(zone, e.host) && depth < 8) {
        const next = this.#address({ ...q, name: fqdn(e.host) }, zone, depth + 1);
        if (next.kind === 'records' && next.answer.length) answer.push(cname, ...next.answer);
        continue;
      }
      return { kind: 'records', answer: [...answer, cname], additional: [], chase: { cname, target: fqdn(e.host) } };
    }
    return { kind: 'records', answer, additional: [] };
  }

  #rr(name: string, data: RData, ttl = this.opts.ttl): ResourceRecord {
    return { name: fqdn(name), ttl, class: 'IN', data };
  }

  /** handler.go ServeDNS for a question inside one of the plugin's zones. */
  serve(q: Question, zone: string): KubernetesResult | { kind: 'refused' } {
    const reverseZone = zone.endsWith('.arpa.');
    switch (q.type) {
      case 'A':
      case 'AAAA': {
        if (reverseZone) return this.#fake(q, zone);
        return this.#address(q, zone);
      }
      case 'TXT': {
        if (reverseZone) return this.#fake(q, zone);
        const s = this.#services(q, zone);
        if (s === 'nxdomain') return { kind: 'nxdomain' };
        if (typeof s === 'object' && !Array.isArray(s)) return { kind: 'records', answer: [this.#rr(q.name, { type: 'TXT', texts: [(s as { txt: string }).txt] }, 28800)], additional: [] };
        return { kind: 'nodata' };
      }
      case 'CNAME': {
        if (reverseZone) return this.#fake(q, zone);
        const s = this.#services(q, zone);
        if (s === 'nxdomain') return { kind: 'nxdomain' };
        const first = (s as Entry[])[0];
        if (first && !isIP(first.host)) return { kind: 'records', answer: [this.#rr(q.name, { type: 'CNAME', target: fqdn(first.host) })], additional: [] };
        return { kind: 'nodata' };
      }
      case 'PTR': {
        const ip = addressFromReverse(q.name);
        if (!ip) {
          if (reverseZone) return { kind: 'nxdomain' };
          const s = this.#services(q, zone);
          return s === 'nxdomain' ? { kind: 'nxdomain' } : { kind: 'nodata' };
        }
        const names = this.#reverse(ip);
        if (!names.length) return { kind: 'nxdomain' };
        return { kind: 'records', answer: names.map((n) => this.#rr(q.name, { type: 'PTR', target: n })), additional: [] };
      }
      case 'SRV': {
        if (reverseZone) return this.#fake(q, zone);
        const s = this.#services(q, zone);
        if (s === 'nxdomain') return { kind: 'nxdomain' };
        // CoreDNS serves no SRV for ExternalName Services: those entries are dropped, as upstream.
        const entries = (s as Entry[]).filter((e) => isIP(e.host));
        const n = entries.length;
        const answer: ResourceRecord[] = [];
        const additional: ResourceRecord[] = [];
        const dupSrv = new Set<string>();
        const dupAddr = new Set<string>();
        for (const e of entries) {
          if (e.port === -1) continue;
          const weight = Math.max(1, Math.floor((100 / (100 * n)) * 100));
          const kSrv = `${e.domain}|${e.port}`;
          if (!dupSrv.has(kSrv)) {
            dupSrv.add(kSrv);
            answer.push(this.#rr(q.name, { type: 'SRV', priority: 0, weight, port: e.port, target: e.domain }));
          }
          const kAddr = `${e.domain}|${e.host}`;
          if (!dupAddr.has(kAddr)) {
            dupAddr.add(kAddr);
            additional.push(this.#rr(e.domain, isIPv4(e.host) ? { type: 'A', address: e.host } : { type: 'AAAA', address: e.host }));
          }
        }
        return answer.length ? { kind: 'records', answer, additional } : { kind: 'nodata' };
      }
      case 'SOA': {
        if (sameName(q.name, zone)) return { kind: 'records', answer: [this.soa(zone)], additional: [] };
        return { kind: 'nodata' };
      }
      case 'AXFR':
      case 'IXFR':
        return { kind: 'refused' };
      case 'NS': {
        if (sameName(q.name, zone)) {
          const ns = this.#nsEntries(zone);
          if (!ns.length) return { kind: 'nodata' };
          return {
            kind: 'records',
            answer: [this.#rr(q.name, { type: 'NS', target: ns[0]!.domain })],
            additional: ns.map((e) => this.#rr(e.domain, { type: 'A', address: e.host })),
          };
        }
        return this.#fake(q, zone);
      }
      default:
        return this.#fake(q, zone);
    }
  }

  /** "Do a fake A lookup, so we can distinguish between NODATA and NXDOMAIN". */
  #fake(q: Question, zone: string): KubernetesResult {
    if (zone.endsWith('.arpa.')) return { kind: 'nxdomain' };
    const r = this.#address({ ...q, type: 'A' }, zone);
    return r.kind === 'nxdomain' ? r : { kind: 'nodata' };
  }
}

function clusterIPs(s: Service): string[] {
  if (s.spec.type === 'ExternalName') return [];
  const ips = s.spec.clusterIPs?.length ? s.spec.clusterIPs : s.spec.clusterIP ? [s.spec.clusterIP] : [];
  return ips.filter((ip) => ip !== 'None' && ip !== '');
}
