/**
 * A CoreDNS server as its Corefile makes it. Plugins run in CoreDNS's compiled order
 * (core/dnsserver/zdirectives.go from plugin.cfg), not the Corefile's: log → loadbalance →
 * cache → hosts → kubernetes → forward. `handle()` answers one query message and says what
 * the `log` plugin printed for it (append those lines to the coredns pod's log).
 *
 * State: only the `cache` plugin's entries, aged by the `nowMs` the caller passes. They
 * outlive changes to the cluster's objects (`update()`: the kubernetes plugin's informers see
 * a new Service IP at once, but a cached answer is served until its TTL runs out — with
 * kubeadm's `cache 30` and no `disable success cluster.local`, up to 30 s of the old IP);
 * a new Corefile is a new server (the `reload` plugin restarts the plugin chain, so the
 * cache starts empty).
 */
import type { Rng } from '../core/rng';
import { cacheOptions, hostsOptions, kubernetesOptions, logOptions, parseCorefile, type CacheOptions, type HostsOptions, type LogOptions, type ServerBlock } from './corefile';
import { KubernetesPlugin, type ClusterDnsData } from './kubernetes';
import { compressedSize, fqdn, isSubdomain, messageSize, NO_FLAGS, sameName, type DnsMessage, type Rcode, type ResourceRecord } from './message';
import { upstreamResolve } from './upstream';
import { coreDnsLogLine } from './log';

export interface QueryContext {
  /** The client address as CoreDNS sees it (after any SNAT). */
  clientIP: string;
  clientPort: number;
  proto: 'udp' | 'tcp';
  /** Engine time (ms) now: ages cache entries. */
  nowMs: number;
  /** How long CoreDNS took, for the log's `{duration}`; default: a fixed, plausible value per source. */
  durationSec?: number;
}

export type AnsweredBy = 'kubernetes' | 'forward' | 'cache' | 'hosts' | 'none';

export interface HandleResult {
  response: DnsMessage;
  /** Which plugin produced the answer (for the Trace). */
  answeredBy: AnsweredBy;
  /** Lines the `log` plugin wrote (empty without `log`). */
  logLines: string[];
  /** The forwarded question, when `forward` asked upstream. */
  forwarded?: boolean;
}

interface CacheEntry {
  storedMs: number;
  ttl: number;
  response: DnsMessage;
}

interface Block {
  def: ServerBlock;
  kubernetes?: KubernetesPlugin;
  cache?: CacheOptions;
  log?: LogOptions;
  hosts?: HostsOptions;
  forward?: { from: string; to: string[] };
  loadbalance: boolean;
  cacheEntries: Map<string, CacheEntry>;
}

export interface CoreDnsOptions {
  /** The Corefile text (the `Corefile` key of the kube-system/coredns ConfigMap). */
  corefile: string;
  /** For `loadbalance`: shuffles A/AAAA/MX answers. Without it answers keep their order. */
  rng?: Rng;
}

export class CoreDns {
  readonly blocks: Block[];
  #rng: Rng | undefined;

  constructor(data: ClusterDnsData, opts: CoreDnsOptions) {
    this.#rng = opts.rng;
    this.blocks = parseCorefile(opts.corefile).map((def) => {
      const b: Block = { def, loadbalance: false, cacheEntries: new Map() };
      for (const d of def.directives) {
        if (d.name === 'kubernetes') b.kubernetes = new KubernetesPlugin(data, kubernetesOptions(d, def.zones));
        else if (d.name === 'cache') b.cache = cacheOptions(d, def.zones);
        else if (d.name === 'log') b.log = logOptions(d);
        else if (d.name === 'hosts') b.hosts = hostsOptions(d, def.zones);
        else if (d.name === 'forward') b.forward = { from: fqdn((d.args[0] ?? '.').toLowerCase()), to: d.args.slice(1) };
        else if (d.name === 'loadbalance') b.loadbalance = true;
      }
      return b;
    });
  }

  /**
   * The cluster's objects changed (a Service, EndpointSlice, Pod or Namespace): the
   * kubernetes plugin answers from the new data at once; the cache keeps its entries until
   * their TTL, as a running CoreDNS does.
   */
  update(data: ClusterDnsData): void {
    for (const b of this.blocks) {
      const d = b.def.directives.find((x) => x.name === 'kubernetes');
      if (d) b.kubernetes = new KubernetesPlugin(data, kubernetesOptions(d, b.def.zones));
    }
  }

  /** The kubernetes plugin of the block serving `zone` (for tests and explanations). */
  kubernetes(zone = 'cluster.local.'): KubernetesPlugin | undefined {
    return this.#block(fqdn(zone))?.kubernetes;
  }

  #block(qname: string): Block | undefined {
    let best: Block | undefined;
    let bestLen = -1;
    for (const b of this.blocks) {
      if (b.def.port !== 53) continue;
      for (const z of b.def.zones) if (isSubdomain(z, qname) && z.length > bestLen) { best = b; bestLen = z.length; }
    }
    return best;
  }

  handle(query: DnsMessage, ctx: QueryContext): HandleResult {
    const q = query.question[0];
    const reply = (rcode: Rcode, extra: Partial<DnsMessage> = {}): DnsMessage => ({
      id: query.id,
      flags: { ...NO_FLAGS, qr: true, rd: query.flags.rd, cd: query.flags.cd },
      rcode,
      question: query.question.map((x) => ({ ...x })),
      answer: [],
      authority: [],
      additional: [],
      ...(query.edns ? { edns: { ...query.edns } } : {}),
      ...extra,
    });
    if (!q) return { response: reply('FORMERR'), answeredBy: 'none', logLines: [] };
    const internal = ctx.clientPort === 0 && ctx.clientIP === '127.0.0.1';
    const block = this.#block(q.name);
    if (!block) return { response: reply('REFUSED'), answeredBy: 'none', logLines: [] };

    let answeredBy: AnsweredBy = 'none';
    let forwarded = false;
    let response: DnsMessage;
    const cacheKey = `${fqdn(q.name).toLowerCase()}|${q.type}`;
    const cached = block.cache ? block.cacheEntries.get(cacheKey) : undefined;
    const age = cached ? Math.floor((ctx.nowMs - cached.storedMs) / 1000) : 0;
    if (cached && age < cached.ttl) {
      // cache/item.go toMsg: TTLs aged, AA set ("some DNS clients discard non-authoritative packets").
      const ageRR = (rr: ResourceRecord): ResourceRecord => ({ ...rr, ttl: Math.max(0, Math.min(rr.ttl, cached.ttl) - age) });
      response = reply(cached.response.rcode, {
        flags: { ...NO_FLAGS, qr: true, rd: query.flags.rd, cd: query.flags.cd, aa: true, ra: cached.response.flags.ra },
        answer: cached.response.answer.map(ageRR),
        authority: cached.response.authority.map(ageRR),
        additional: cached.response.additional.map(ageRR),
      });
      answeredBy = 'cache';
    } else {
      const r = this.#resolve(block, query, reply, ctx.nowMs);
      response = r.response;
      answeredBy = r.answeredBy;
      forwarded = r.answeredBy === 'forward';
      if (block.cache) this.#store(block, cacheKey, response, ctx.nowMs);
    }
    if (block.loadbalance && this.#rng) response = { ...response, answer: shuffleAddresses(response.answer, this.#rng) };
    response = truncate(response, query, ctx.proto);

    const logLines: string[] = [];
    if (block.log && !internal && logs(block.log, q.name, response)) {
      const duration = ctx.durationSec ?? defaultDuration(answeredBy, query.id);
      logLines.push(coreDnsLogLine(query, response, { clientIP: ctx.clientIP, clientPort: ctx.clientPort, proto: ctx.proto, durationSec: duration }, block.log.format));
    }
    return { response, answeredBy, logLines, ...(forwarded ? { forwarded } : {}) };
  }

  #resolve(block: Block, query: DnsMessage, reply: (rcode: Rcode, extra?: Partial<DnsMessage>) => DnsMessage, nowMs: number): { response: DnsMessage; answeredBy: AnsweredBy } {
    const q = query.question[0]!;
    const aa = (m: DnsMessage) => ({ ...m, flags: { ...m.flags, aa: true } });
    if (block.hosts && block.hosts.zones.some((z) => isSubdomain(z, q.name))) {
      const h = block.hosts;
      const hits = h.entries.filter((e) => e.names.some((n) => sameName(n, q.name)));
      const answer: ResourceRecord[] = [];
      for (const e of hits) {
        const v4 = !e.ip.includes(':');
        if ((q.type === 'A' && v4) || (q.type === 'AAAA' && !v4)) answer.push({ name: fqdn(q.name), ttl: h.ttl, class: 'IN', data: v4 ? { type: 'A', address: e.ip } : { type: 'AAAA', address: e.ip } });
      }
      if (answer.length) return { response: aa(reply('NOERROR', { answer })), answeredBy: 'hosts' };
      if (hits.length) return { response: aa(reply('NOERROR')), answeredBy: 'hosts' };
      const through = h.fallthrough && (h.fallthrough.length === 0 || h.fallthrough.some((z) => isSubdomain(z, q.name)));
      if (!through) return { response: aa(reply('NXDOMAIN')), answeredBy: 'hosts' };
    }
    const k = block.kubernetes;
    const zone = k?.zoneOf(q.name);
    if (k && zone) {
      const r = k.serve(q, zone);
      if (r.kind === 'refused') return { response: reply('REFUSED'), answeredBy: 'kubernetes' };
      if (r.kind === 'records') {
        let answer = r.answer;
        if (r.chase) {
          // ExternalName outside the zone: the CNAME, then what the server itself answers for
          // the target (k.Upstream.Lookup runs the whole plugin chain again: cache, forward).
          const sub = this.handle({ ...query, id: query.id, question: [{ ...q, name: r.chase.target }], edns: undefined }, { clientIP: '127.0.0.1', clientPort: 0, proto: 'udp', nowMs, durationSec: 0 });
          answer = [...answer, ...sub.response.answer];
        }
        if (answer.length === 0) return { response: aa(reply('NOERROR', { authority: [k.soa(zone)] })), answeredBy: 'kubernetes' };
        return { response: aa(reply('NOERROR', { answer, additional: r.additional })), answeredBy: 'kubernetes' };
      }
      if (r.kind === 'nodata') return { response: aa(reply('NOERROR', { authority: [k.soa(zone)] })), answeredBy: 'kubernetes' };
      if (!k.fallsThrough(q.name)) return { response: aa(reply('NXDOMAIN', { authority: [k.soa(zone)] })), answeredBy: 'kubernetes' };
    }
    const up = this.#forward(block, q);
    if (!up) return { response: reply('SERVFAIL'), answeredBy: 'none' };
    return {
      response: reply(up.rcode, { flags: { ...NO_FLAGS, qr: true, rd: query.flags.rd, ra: true, cd: query.flags.cd }, answer: up.answer, authority: up.authority }),
      answeredBy: 'forward',
    };
  }

  #forward(block: Block, q: { name: string; type: DnsMessage['question'][number]['type']; class: 'IN' }) {
    if (!block.forward || !isSubdomain(block.forward.from, q.name)) return undefined;
    return upstreamResolve(q);
  }

  /** cache.go: success capped at `success` TTL, NXDOMAIN/NODATA at `denial` TTL; SERVFAIL 5 s. */
  #store(block: Block, key: string, m: DnsMessage, nowMs: number): void {
    const c = block.cache!;
    const q = m.question[0]!;
    if (!c.zones.some((z) => isSubdomain(z, q.name))) return;
    const denial = m.rcode === 'NXDOMAIN' || (m.rcode === 'NOERROR' && m.answer.length === 0);
    const success = m.rcode === 'NOERROR' && m.answer.length > 0;
    if (!denial && !success) return;
    const disabled = success ? c.disableSuccess : c.disableDenial;
    if (disabled && (disabled.length === 0 || disabled.some((z) => isSubdomain(z, q.name)))) return;
    const rrs = success ? m.answer : m.authority;
    let ttl = success ? c.successTTL : c.denialTTL;
    for (const rr of rrs) {
      ttl = Math.min(ttl, rr.ttl);
      if (rr.data.type === 'SOA' && denial) ttl = Math.min(ttl, rr.data.minimum);
    }
    if (!success && rrs.length === 0) ttl = Math.min(ttl, c.denialTTL);
    if (ttl <= 0) return;
    // The reply itself leaves with the capped TTLs ("avoid jarring TTL experience 1799 -> 8").
    const cap = (rr: ResourceRecord): ResourceRecord => ({ ...rr, ttl: Math.min(rr.ttl, ttl) });
    m.answer = m.answer.map(cap);
    m.authority = m.authority.map(cap);
    m.additional = m.additional.map(cap);
    block.cacheEntries.set(key, { storedMs: nowMs, ttl, response: m });
  }
}

function logs(o: LogOptions, qname: string, m: DnsMessage): boolean {
  if (!o.names.some((n) => isSubdomain(n, qname))) return false;
  if (o.classes.has('all')) return true;
  const cls = m.rcode === 'NOERROR' ? (m.answer.length ? 'success' : 'denial') : m.rcode === 'NXDOMAIN' ? 'denial' : 'error';
  return o.classes.has(cls);
}

/** loadbalance: round-robin shuffle of the A/AAAA/MX records, others keep their place. */
function shuffleAddresses(answer: ResourceRecord[], rng: Rng): ResourceRecord[] {
  const idx: number[] = [];
  answer.forEach((rr, i) => { if (rr.data.type === 'A' || rr.data.type === 'AAAA' || rr.data.type === 'MX') idx.push(i); });
  if (idx.length < 2) return answer;
  const picked = idx.map((i) => answer[i]!);
  for (let i = picked.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [picked[i], picked[j]] = [picked[j]!, picked[i]!];
  }
  const out = answer.slice();
  idx.forEach((pos, n) => { out[pos] = picked[n]!; });
  return out;
}

/**
 * miekg/dns Msg.Truncate (called by request.Scrub): a reply larger than the client's buffer
 * (512 without EDNS) is compressed; if still too large, records are dropped and TC is set.
 */
function truncate(m: DnsMessage, query: DnsMessage, proto: 'udp' | 'tcp'): DnsMessage {
  if (proto === 'tcp') return m;
  const size = Math.max(512, query.edns?.udpSize ?? 512);
  if (messageSize(m) <= size) return m;
  if (compressedSize(m) <= size) return { ...m, compressed: true };
  const out: DnsMessage = { ...m, answer: [], authority: [], additional: [], flags: { ...m.flags, tc: true } };
  for (const rr of m.answer) {
    const next = { ...out, answer: [...out.answer, rr] };
    if (compressedSize(next) > size) break;
    out.answer = next.answer;
  }
  return { ...out, compressed: true };
}

/** A stable, plausible processing time: ~0.1 ms from the cluster's own data, ~1–20 ms when forwarded. */
function defaultDuration(by: AnsweredBy, id: number): number {
  const jitter = ((id * 2654435761) >>> 0) % 1000;
  if (by === 'forward') return (1_000_000 + jitter * 19_000 + (id % 997)) / 1e9;
  return (60_000 + jitter * 181 + (id % 97)) / 1e9;
}
