/**
 * Stub resolvers: which queries a program sends, in which order, and when it stops.
 *
 * - musl (Alpine images: netshoot, agnhost, curlimages/curl; src/network/lookup_name.c
 *   name_from_dns_search): a name with fewer dots than ndots (and no trailing dot) is tried
 *   under each search domain, then as-is; a name with ≥ ndots dots is tried as-is ONLY. Each
 *   try sends A and AAAA together. NXDOMAIN (for either) moves on; anything else stops the
 *   walk: answers (found), NODATA (EAI_NODATA), SERVFAIL or no reply (EAI_AGAIN).
 * - glibc (Debian images; resolv/res_query.c __res_context_search): ≥ ndots dots → as-is
 *   first, then the search list; fewer → the search list, then as-is. NXDOMAIN, NODATA and
 *   SERVFAIL move on; no reply stops (TRY_AGAIN without SERVFAIL).
 * - busybox nslookup (networking/nslookup.c, FEATURE_NSLOOKUP_BIG, 1.30+): its own client, no
 *   ndots: a name WITHOUT a dot gets one A query per search domain, then one AAAA per search
 *   domain, all sent at once; a name with a dot is queried as typed. An IP gets one PTR.
 * - dig: the name as typed, no search list unless +search (then BIND's order with
 *   resolv.conf's ndots, moving on only on NXDOMAIN).
 * - host: BIND's search walk (like dig +search), for A, then AAAA, then MX.
 *
 * The data path sends each query as a UDP packet to a nameserver (through kube-proxy to a
 * CoreDNS pod) and returns the reply, or 'timeout' when nothing came back.
 */
import { fqdn, makeQuery, reverseName, type DnsMessage, type Edns, type RRType } from './message';
import { resolverOptions, type ResolvConf } from './resolvconf';

export type Exchange = (query: DnsMessage, server: string) => DnsMessage | 'timeout';

export interface Attempt {
  server: string;
  query: DnsMessage;
  /** The reply; absent when the query timed out. */
  response?: DnsMessage;
  /** How long the client waited for this query before giving up (0 when answered). */
  waitedMs: number;
}

export type LookupStatus = 'found' | 'nxdomain' | 'nodata' | 'servfail' | 'timeout';

export interface LookupResult {
  status: LookupStatus;
  attempts: Attempt[];
  /** The name that answered (the search candidate), when found or nodata. */
  name?: string;
  /** Addresses found, A first (as the data path will connect to them). */
  addresses: string[];
  /** The canonical name after CNAMEs (getaddrinfo's ai_canonname). */
  canonical?: string;
}

export type Libc = 'musl' | 'glibc';

export interface ResolverEnv {
  conf: ResolvConf;
  exchange: Exchange;
  /** Query ids (res_mkquery draws a random one per query). */
  nextId: () => number;
}

function dots(name: string): number {
  return (name.match(/\./g) ?? []).length;
}

/** The names a libc resolver tries, in order. */
export function searchCandidates(name: string, conf: ResolvConf, libc: Libc): string[] {
  const { ndots } = resolverOptions(conf);
  if (name.endsWith('.')) return [name];
  const under = conf.search.map((d) => `${name}.${d}.`);
  const n = dots(name);
  if (libc === 'musl') return n >= ndots ? [`${name}.`] : [...under, `${name}.`];
  return n >= ndots ? [`${name}.`, ...under] : [...under, `${name}.`];
}

/** Ask the servers in order until one answers (musl asks all at once; the first reply wins). */
function ask(env: ResolverEnv, name: string, type: RRType, perServerWaitMs: number, attempts: Attempt[], edns?: Edns): DnsMessage | undefined {
  const query = makeQuery(env.nextId(), name, type, edns ? { edns } : {});
  for (const server of env.conf.nameservers.length ? env.conf.nameservers : ['127.0.0.1']) {
    const r = env.exchange(query, server);
    if (r === 'timeout') {
      attempts.push({ server, query, waitedMs: perServerWaitMs });
      continue;
    }
    attempts.push({ server, query, response: r, waitedMs: 0 });
    return r;
  }
  return undefined;
}

function collect(responses: (DnsMessage | undefined)[]): { addresses: string[]; canonical?: string } {
  const addresses: string[] = [];
  let canonical: string | undefined;
  for (const r of responses) {
    for (const rr of r?.answer ?? []) {
      if (rr.data.type === 'A' || rr.data.type === 'AAAA') {
        addresses.push(rr.data.address);
        canonical ??= rr.name;
      }
    }
  }
  return { addresses, ...(canonical ? { canonical } : {}) };
}

/**
 * getaddrinfo(name, AF_UNSPEC) through the libc's DNS path: A and AAAA per candidate
 * (`families` narrows it, e.g. ['A'] for a program asking AF_INET).
 */
export function getaddrinfo(name: string, libc: Libc, env: ResolverEnv, families: ('A' | 'AAAA')[] = ['A', 'AAAA']): LookupResult {
  const attempts: Attempt[] = [];
  const { timeoutSec, attempts: tries } = resolverOptions(env.conf);
  // musl waits `timeout` in all (retrying every timeout/attempts); glibc waits per try.
  const wait = libc === 'musl' ? timeoutSec * 1000 : timeoutSec * 1000 * tries;
  let gotNodata = false, gotServfail = false;
  for (const cand of searchCandidates(name, env.conf, libc)) {
    const rs = families.map((t) => ask(env, cand, t, wait, attempts));
    const found = collect(rs);
    if (rs.some((r) => r === undefined)) {
      if (found.addresses.length) return { status: 'found', attempts, name: cand, ...found };
      return { status: 'timeout', attempts, addresses: [] };
    }
    const rcodes = rs.map((r) => r!.rcode);
    if (libc === 'musl') {
      if (rcodes.includes('SERVFAIL')) return { status: 'servfail', attempts, addresses: [] };
      if (rcodes.includes('NXDOMAIN')) continue;
      if (rcodes.some((c) => c !== 'NOERROR')) return { status: 'servfail', attempts, addresses: [] };
      if (found.addresses.length) return { status: 'found', attempts, name: cand, ...found };
      return { status: 'nodata', attempts, name: cand, addresses: [] };
    }
    if (found.addresses.length) return { status: 'found', attempts, name: cand, ...found };
    if (rcodes.every((c) => c === 'NOERROR')) gotNodata = true;
    else if (rcodes.includes('SERVFAIL')) gotServfail = true;
  }
  return { status: gotNodata ? 'nodata' : gotServfail ? 'servfail' : 'nxdomain', attempts, addresses: [] };
}

// ---- busybox nslookup ----

export interface NslookupQuery {
  name: string;
  type: RRType;
  query: DnsMessage;
  response?: DnsMessage;
}

export interface BusyboxNslookupResult {
  /** The server that answered (as given or from resolv.conf), undefined when none did. */
  server?: string;
  queries: NslookupQuery[];
  attempts: Attempt[];
}

/** The `search` value busybox keeps: the last search/domain line, `.` meaning none. */
function busyboxSearch(conf: ResolvConf): string[] {
  return conf.search.filter((s) => s !== '.' && s !== '');
}

/**
 * busybox nslookup [-type=T] NAME [SERVER]: the queries, sent together to one server (5 s,
 * 2 tries), then the next server if none answered.
 */
export function busyboxNslookup(name: string, env: ResolverEnv, opts: { types?: RRType[]; server?: string; timeoutMs?: number } = {}): BusyboxNslookupResult {
  // -timeout=SEC (default 5): how long a server gets for all the queries before the next one.
  const timeoutMs = opts.timeoutMs ?? 5000;
  const specs: { name: string; type: RRType }[] = [];
  const search = busyboxSearch(env.conf);
  const withSearch = (type: RRType) => {
    if (type === 'PTR' || search.length === 0 || name.includes('.')) specs.push({ name, type });
    else for (const d of search) specs.push({ name: `${name}.${d}`, type });
  };
  const ptr = opts.types ? undefined : reverseName(name);
  if (ptr) specs.push({ name: ptr.replace(/\.$/, ''), type: 'PTR' });
  else for (const t of opts.types ?? ['A', 'AAAA']) withSearch(t);
  const servers = opts.server ? [opts.server] : env.conf.nameservers.length ? env.conf.nameservers : ['127.0.0.1'];
  const attempts: Attempt[] = [];
  const queries: NslookupQuery[] = specs.map((s) => ({ ...s, query: makeQuery(env.nextId(), s.name, s.type) }));
  for (const server of servers) {
    let replies = 0;
    for (const q of queries) {
      const r = env.exchange(q.query, server);
      if (r === 'timeout') attempts.push({ server, query: q.query, waitedMs: timeoutMs });
      else {
        attempts.push({ server, query: q.query, response: r, waitedMs: 0 });
        q.response = r;
        replies++;
      }
    }
    if (replies > 0) return { server, queries, attempts };
    for (const q of queries) delete q.response;
  }
  return { queries, attempts };
}

// ---- dig / host (BIND) ----

export interface DigLookup {
  /** Every query sent (search tries and retries included). */
  attempts: Attempt[];
  /** The reply dig prints (the last one it got), if any. */
  response?: DnsMessage;
  server?: string;
}

/** dig's default EDNS: udp 1232 with an 8-byte client cookie. */
export function digEdns(cookie: string): Edns {
  return { udpSize: 1232, do: false, cookie };
}

/**
 * One dig/host lookup: `names` are the search candidates (one when not searching); a
 * candidate moves on only on NXDOMAIN. `tries` sends per server (dig +tries, default 3;
 * host: 2 over UDP).
 */
export function bindLookup(names: string[], type: RRType, env: ResolverEnv, opts: { servers?: string[]; tries?: number; edns?: Edns; ad?: boolean; timeoutMs?: number } = {}): DigLookup {
  const attempts: Attempt[] = [];
  const servers = opts.servers ?? (env.conf.nameservers.length ? env.conf.nameservers : ['127.0.0.1']);
  const tries = opts.tries ?? 3;
  let last: DnsMessage | undefined;
  let lastServer: string | undefined;
  for (const n of names) {
    let got: DnsMessage | undefined;
    const query = makeQuery(env.nextId(), n, type, { ...(opts.edns ? { edns: opts.edns } : {}), ad: opts.ad ?? false });
    outer: for (const server of servers) {
      for (let t = 0; t < tries; t++) {
        const r = env.exchange(query, server);
        if (r === 'timeout') {
          attempts.push({ server, query, waitedMs: opts.timeoutMs ?? 5000 });
          continue;
        }
        attempts.push({ server, query, response: r, waitedMs: 0 });
        got = r;
        lastServer = server;
        break outer;
      }
    }
    if (!got) return { attempts };
    last = got;
    if (got.rcode !== 'NXDOMAIN') break;
  }
  return { attempts, ...(last ? { response: last } : {}), ...(lastServer ? { server: lastServer } : {}) };
}

/** BIND's search order (dighost.c): ≥ ndots → as-is then the list; fewer → the list then as-is. */
export function bindSearchNames(name: string, conf: ResolvConf, ndotsOverride?: number): string[] {
  if (name.endsWith('.')) return [name];
  const ndots = ndotsOverride ?? resolverOptions(conf).ndots;
  const under = conf.search.map((d) => `${name}.${d}.`);
  return dots(name) >= ndots ? [fqdn(name), ...under] : [...under, fqdn(name)];
}
