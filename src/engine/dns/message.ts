/**
 * DNS messages as data (RFC 1035), their presentation form (BIND's master-file text), and
 * their size on the wire.
 *
 * Sizes are those of the *uncompressed* encoding: CoreDNS leaves `Msg.Compress` false for any
 * reply that fits the client's buffer (request.Scrub → miekg/dns Msg.Truncate), so
 * `kubernetes.default.svc.cluster.local A` is 106 bytes in its log, not 72. Queries from
 * libc resolvers (res_mkquery) carry no OPT record; dig 9.18 adds one (udp 1232 + an 8-byte
 * client COOKIE), which CoreDNS echoes (request.SizeAndDo keeps the COOKIE option).
 */

export type RRType = 'A' | 'NS' | 'CNAME' | 'SOA' | 'PTR' | 'HINFO' | 'MX' | 'TXT' | 'AAAA' | 'SRV' | 'ANY' | 'AXFR' | 'IXFR' | 'CAA';
export type Rcode = 'NOERROR' | 'FORMERR' | 'SERVFAIL' | 'NXDOMAIN' | 'NOTIMP' | 'REFUSED';

export const RR_TYPE_CODES: Record<RRType, number> = {
  A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, HINFO: 13, MX: 15, TXT: 16, AAAA: 28, SRV: 33, IXFR: 251, AXFR: 252, ANY: 255, CAA: 257,
};
export const RCODE_CODES: Record<Rcode, number> = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 };

export function parseRRType(s: string): RRType | undefined {
  const u = s.toUpperCase();
  return (u in RR_TYPE_CODES ? u : undefined) as RRType | undefined;
}

export interface Question {
  /** Fully qualified, with the trailing dot, in the case the client sent. */
  name: string;
  type: RRType;
  class: 'IN';
}

export type RData =
  | { type: 'A'; address: string }
  | { type: 'AAAA'; address: string }
  | { type: 'CNAME' | 'PTR' | 'NS'; target: string }
  | { type: 'SRV'; priority: number; weight: number; port: number; target: string }
  | { type: 'SOA'; mname: string; rname: string; serial: number; refresh: number; retry: number; expire: number; minimum: number }
  | { type: 'TXT'; texts: string[] }
  | { type: 'MX'; preference: number; exchange: string };

export interface ResourceRecord {
  name: string;
  ttl: number;
  class: 'IN';
  data: RData;
}

export interface Flags {
  qr: boolean;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  ad: boolean;
  cd: boolean;
}

/** The EDNS(0) OPT pseudo-record. */
export interface Edns {
  udpSize: number;
  do: boolean;
  /** Client cookie, 16 hex digits (dig sends one by default). */
  cookie?: string;
}

export interface DnsMessage {
  id: number;
  flags: Flags;
  rcode: Rcode;
  question: Question[];
  answer: ResourceRecord[];
  authority: ResourceRecord[];
  additional: ResourceRecord[];
  edns?: Edns;
  /** Set on a reply CoreDNS had to compress to fit the client's buffer. */
  compressed?: boolean;
}

export const NO_FLAGS: Flags = { qr: false, aa: false, tc: false, rd: false, ra: false, ad: false, cd: false };

/** A query as a stub resolver builds it: RD set, one question. */
export function makeQuery(id: number, name: string, type: RRType, opts: { edns?: Edns; ad?: boolean; rd?: boolean } = {}): DnsMessage {
  return {
    id,
    flags: { ...NO_FLAGS, rd: opts.rd ?? true, ad: opts.ad ?? false },
    rcode: 'NOERROR',
    question: [{ name: fqdn(name), type, class: 'IN' }],
    answer: [],
    authority: [],
    additional: [],
    ...(opts.edns ? { edns: opts.edns } : {}),
  };
}

export function fqdn(name: string): string {
  return name.endsWith('.') ? name : `${name}.`;
}

/** Case-insensitive, trailing-dot-insensitive name equality. */
export function sameName(a: string, b: string): boolean {
  return fqdn(a).toLowerCase() === fqdn(b).toLowerCase();
}

/** `a` is `zone` or below it (dns.IsSubDomain). */
export function isSubdomain(zone: string, name: string): boolean {
  const z = fqdn(zone).toLowerCase();
  const n = fqdn(name).toLowerCase();
  return z === '.' || n === z || n.endsWith(`.${z}`);
}

// ---- wire size ----

/** Bytes of an uncompressed domain name: one length byte per label, the labels, the root byte. */
export function nameLength(name: string): number {
  const n = fqdn(name);
  if (n === '.') return 1;
  return n.length + 1;
}

function rdataLength(d: RData): number {
  switch (d.type) {
    case 'A': return 4;
    case 'AAAA': return 16;
    case 'CNAME': case 'PTR': case 'NS': return nameLength(d.target);
    case 'SRV': return 6 + nameLength(d.target);
    case 'SOA': return nameLength(d.mname) + nameLength(d.rname) + 20;
    case 'TXT': return d.texts.reduce((n, t) => n + 1 + t.length, 0);
    case 'MX': return 2 + nameLength(d.exchange);
  }
}

export function recordLength(rr: ResourceRecord): number {
  return nameLength(rr.name) + 10 + rdataLength(rr.data);
}

/** The OPT record: root name, type, class (udp size), ttl (flags), rdlength, options. */
function optLength(e: Edns): number {
  return 11 + (e.cookie ? 4 + e.cookie.length / 2 : 0);
}

/** Size of the message on the wire, uncompressed (as CoreDNS sends replies that fit). */
export function messageSize(m: DnsMessage): number {
  let n = 12;
  for (const q of m.question) n += nameLength(q.name) + 4;
  for (const rr of [...m.answer, ...m.authority, ...m.additional]) n += recordLength(rr);
  if (m.edns) n += optLength(m.edns);
  return n;
}

/** Size with RFC 1035 name compression as miekg/dns applies it (not inside SRV targets). */
export function compressedSize(m: DnsMessage): number {
  const table = new Set<string>();
  let n = 12;
  const name = (s: string, compress = true): number => {
    const labels = fqdn(s).toLowerCase().split('.').filter(Boolean);
    let cost = 0;
    for (let i = 0; i < labels.length; i++) {
      const suffix = labels.slice(i).join('.');
      if (compress && table.has(suffix)) return cost + 2;
      cost += 1 + labels[i]!.length;
    }
    for (let i = 0; i < labels.length; i++) table.add(labels.slice(i).join('.'));
    return cost + 1;
  };
  for (const q of m.question) n += name(q.name) + 4;
  for (const rr of [...m.answer, ...m.authority, ...m.additional]) {
    n += name(rr.name) + 10;
    const d = rr.data;
    switch (d.type) {
      case 'A': n += 4; break;
      case 'AAAA': n += 16; break;
      case 'CNAME': case 'PTR': case 'NS': n += name(d.target); break;
      case 'SRV': n += 6 + name(d.target, false); break;
      case 'SOA': n += name(d.mname) + name(d.rname) + 20; break;
      case 'TXT': n += d.texts.reduce((a, t) => a + 1 + t.length, 0); break;
      case 'MX': n += 2 + name(d.exchange); break;
    }
  }
  if (m.edns) n += 11 + (m.edns.cookie ? 4 + m.edns.cookie.length / 2 : 0);
  return n;
}

/** Wire size of a reply as sent: compressed only when it had to be. */
export function sentSize(m: DnsMessage): number {
  return m.compressed ? compressedSize(m) : messageSize(m);
}

// ---- presentation ----

export function rrType(rr: ResourceRecord): RRType {
  return rr.data.type;
}

/** RDATA as BIND prints it (dig's default, single-line style). */
export function rdataText(d: RData): string {
  switch (d.type) {
    case 'A': case 'AAAA': return d.address;
    case 'CNAME': case 'PTR': case 'NS': return fqdn(d.target);
    case 'SRV': return `${d.priority} ${d.weight} ${d.port} ${fqdn(d.target)}`;
    case 'SOA': return `${fqdn(d.mname)} ${fqdn(d.rname)} ${d.serial} ${d.refresh} ${d.retry} ${d.expire} ${d.minimum}`;
    case 'TXT': return d.texts.map((t) => `"${t.replace(/(["\\])/g, '\\$1')}"`).join(' ');
    case 'MX': return `${d.preference} ${fqdn(d.exchange)}`;
  }
}

/**
 * BIND's column layout (lib/dns/masterdump.c indent()): fields start at columns 24 (TTL),
 * 32 (class), 40 (type) and 48 (rdata), reached with tabs of width 8; a field that already
 * passed its column is separated by one space.
 */
export function bindColumns(fields: [text: string, column: number | undefined][]): string {
  let out = '';
  let col = 0;
  for (const [text, target] of fields) {
    if (target !== undefined) {
      const to = Math.max(target, col + 1);
      const tabs = Math.floor(to / 8) - Math.floor(col / 8);
      if (tabs > 0) {
        out += '\t'.repeat(tabs);
        col = Math.floor(to / 8) * 8;
      }
      out += ' '.repeat(to - col);
      col = to;
    }
    out += text;
    col += text.length;
  }
  return out;
}

/** One record line of dig's ANSWER/AUTHORITY/ADDITIONAL sections. */
export function recordText(rr: ResourceRecord): string {
  return bindColumns([[fqdn(rr.name), undefined], [String(rr.ttl), 24], [rr.class, 32], [rr.data.type, 40], [rdataText(rr.data), 48]]);
}

/** dig's QUESTION SECTION line: `;web.default.svc.cluster.local.	IN	A`. */
export function questionText(q: Question): string {
  return bindColumns([[`;${fqdn(q.name)}`, undefined], [q.class, 32], [q.type, 40]]);
}

/** The reverse-lookup name of an IPv4 or IPv6 address, or undefined. */
export function reverseName(ip: string): string | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (v4) {
    const parts = v4.slice(1).map(Number);
    if (parts.some((p) => p > 255)) return undefined;
    return `${parts.reverse().join('.')}.in-addr.arpa.`;
  }
  const full = expandIPv6(ip);
  if (!full) return undefined;
  return `${full.replace(/:/g, '').split('').reverse().join('.')}.ip6.arpa.`;
}

/** The address a reverse name stands for (dnsutil.ExtractAddressFromReverse), or ''. */
export function addressFromReverse(name: string): string {
  const n = fqdn(name).toLowerCase();
  if (n.endsWith('.in-addr.arpa.')) {
    const labels = n.slice(0, -'.in-addr.arpa.'.length).split('.');
    if (labels.length !== 4 || labels.some((l) => !/^\d{1,3}$/.test(l) || Number(l) > 255)) return '';
    return labels.reverse().join('.');
  }
  if (n.endsWith('.ip6.arpa.')) {
    const nibbles = n.slice(0, -'.ip6.arpa.'.length).split('.');
    if (nibbles.length !== 32 || nibbles.some((x) => !/^[0-9a-f]$/.test(x))) return '';
    const hex = nibbles.reverse().join('');
    return compressIPv6(hex.match(/.{4}/g)!.join(':'));
  }
  return '';
}

export function expandIPv6(ip: string): string | undefined {
  if (!/^[0-9a-fA-F:]+$/.test(ip) || !ip.includes(':')) return undefined;
  const halves = ip.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 && missing !== 0) return undefined;
  if (missing < 0) return undefined;
  const groups = [...head, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (groups.some((g) => g.length === 0 || g.length > 4)) return undefined;
  return groups.map((g) => g.toLowerCase().padStart(4, '0')).join(':');
}

/** RFC 5952 text of a fully written IPv6 address. */
export function compressIPv6(full: string): string {
  const groups = full.split(':').map((g) => g.replace(/^0+(?=.)/, ''));
  let best = -1, bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}
