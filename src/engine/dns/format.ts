/**
 * What the DNS tools print, from the resolver's results. Pure text; time comes in as
 * numbers. Sources: busybox networking/nslookup.c (1.36), BIND 9.18 bin/dig (dig.c,
 * dighost.c), bin/dig/host.c, bin/dig/nslookup.c, glibc nss/getent.c.
 */
import { bindColumns, fqdn, questionText, rdataText, recordText, sentSize, type DnsMessage, type ResourceRecord } from './message';
import type { Attempt, BusyboxNslookupResult, DigLookup, LookupResult } from './resolver';

export interface ToolOutput {
  stdout: string;
  exitCode: number;
}

const bare = (name: string) => (name === '.' ? '.' : name.replace(/\.$/, '')) || '.';
const hostPort = (ip: string, sep: string) => (ip.includes(':') ? `${ip}${sep}53` : `${ip}${sep}53`);

// ---- busybox nslookup ----

/** One answer record as busybox's parse_reply prints it (names without the trailing dot). */
function busyboxRecord(rr: ResourceRecord): string {
  const owner = bare(rr.name);
  const d = rr.data;
  switch (d.type) {
    case 'A': case 'AAAA': return `Name:\t${owner}\nAddress: ${d.address}\n`;
    case 'NS': return `${owner}\tnameserver = ${bare(d.target)}\n`;
    case 'CNAME': return `${owner}\tcanonical name = ${bare(d.target)}\n`;
    case 'PTR': return `${owner}\tname = ${bare(d.target)}\n`;
    case 'MX': return `${owner}\tmail exchanger = ${d.preference} ${bare(d.exchange)}\n`;
    case 'TXT': return d.texts[0] ? `${owner}\ttext = "${d.texts[0]}"\n` : '';
    case 'SRV': return `${owner}\tservice = ${d.priority} ${d.weight} ${d.port} ${bare(d.target)}\n`;
    case 'SOA':
      return `${owner}\n\torigin = ${bare(d.mname)}\n\tmail addr = ${bare(d.rname)}\n\tserial = ${d.serial}\n\trefresh = ${d.refresh}\n\tretry = ${d.retry}\n\texpire = ${d.expire}\n\tminimum = ${d.minimum}\n`;
  }
}

/**
 * busybox `nslookup [-type=T] NAME [SERVER]`: `Server:`/`Address:` once the first reply
 * arrives, then each reply in arrival order followed by an empty line; queries never
 * answered end as `*** Can't find NAME: No answer`. Exit 1 when a reply had an error rcode.
 */
export function formatBusyboxNslookup(r: BusyboxNslookupResult, o: { serverName?: string } = {}): ToolOutput {
  if (!r.server) return { stdout: ';; connection timed out; no servers could be reached\n\n', exitCode: 1 };
  // `Server:` is the server as given (a name stays a name); `Address:` what it resolved to.
  let out = `Server:\t\t${o.serverName ?? r.server}\nAddress:\t${r.server.includes(':') ? `[${r.server}]:53` : hostPort(r.server, ':')}\n\n`;
  let exitCode = 0;
  for (const q of r.queries) {
    const m = q.response;
    if (!m) continue;
    if (m.rcode !== 'NOERROR') {
      out += `** server can't find ${q.name}: ${m.rcode}\n`;
      exitCode = 1;
    } else {
      if (!m.flags.aa) out += 'Non-authoritative answer:\n';
      for (const rr of m.answer) out += busyboxRecord(rr);
      if (m.answer.length === 0) out += `*** Can't find ${q.name}: No answer\n`;
    }
    out += '\n';
  }
  const missing = r.queries.filter((q) => !q.response);
  for (const q of missing) out += `*** Can't find ${q.name}: No answer\n`;
  if (missing.length) out += '\n';
  return { stdout: out, exitCode };
}

// ---- BIND nslookup ----

/**
 * BIND 9.18 `nslookup NAME [SERVER]` (netshoot, agnhost): one A and one AAAA lookup, each
 * through the search list; `Address:` with `#53`; NXDOMAIN names the name as typed.
 */
export function formatBindNslookup(name: string, lookups: DigLookup[], opts: { server?: string; serverName?: string } = {}): ToolOutput {
  const answered = lookups.find((l) => l.response);
  if (!answered) return { stdout: ';; connection timed out; no servers could be reached\n\n', exitCode: 1 };
  const server = opts.server ?? answered.server!;
  let out = `Server:\t\t${opts.serverName ?? server}\nAddress:\t${server}#53\n\n`;
  let exitCode = 0;
  let printedNonAuth = false;
  for (const [i, l] of lookups.entries()) {
    const m = l.response;
    if (!m) continue;
    if (m.rcode !== 'NOERROR') {
      if (i === 0 || lookups[0]?.response?.rcode === 'NOERROR') out += `** server can't find ${m.rcode === 'NXDOMAIN' ? name : bare(m.question[0]!.name)}: ${m.rcode}\n\n`;
      exitCode = 1;
      break;
    }
    if (!m.flags.aa && m.answer.length && !printedNonAuth) {
      out += 'Non-authoritative answer:\n';
      printedNonAuth = true;
    }
    const before = out.length;
    for (const rr of m.answer) {
      const d = rr.data;
      if (d.type === 'A' || d.type === 'AAAA') out += `Name:\t${bare(rr.name)}\nAddress: ${d.address}\n`;
      else if (d.type === 'CNAME' && i === 0) out += `${bare(rr.name)}\tcanonical name = ${fqdn(d.target)}\n`;
      else if (d.type === 'PTR') out += `${bare(rr.name)}\tname = ${fqdn(d.target)}\n`;
      else if (d.type === 'SRV') out += `${bare(rr.name)}\tservice = ${d.priority} ${d.weight} ${d.port} ${fqdn(d.target)}\n`;
    }
    if (out.length > before) out += '\n';
  }
  return { stdout: out, exitCode };
}

// ---- dig ----

export interface DigFormatOptions {
  /** The arguments as typed after `dig` (for the `; <<>> DiG … <<>>` banner). */
  args: string[];
  /** BIND release; netshoot and agnhost carry Alpine's bind-tools 9.18. */
  version?: string;
  /** `@server` was given (dig then prints `; (1 server found)`). */
  serverGiven?: boolean;
  /** `@NAME` when the server was given by name. */
  serverName?: string;
  short?: boolean;
  /** +noall with +answer etc.: which parts print. Default: everything. */
  show?: Partial<Record<'cmd' | 'comments' | 'question' | 'answer' | 'authority' | 'additional' | 'stats', boolean>>;
  /** Engine time when the reply arrived (ms), for `;; WHEN:`. */
  whenMs: number;
  /** Round trip in ms for `;; Query time:`. */
  queryTimeMs?: number;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => String(n).padStart(2, '0');

/** strftime("%a %b %d %H:%M:%S %Z %Y") in UTC, as containers run. */
export function digWhen(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

function flagsText(m: DnsMessage): string {
  const f = m.flags;
  return [f.qr && 'qr', f.aa && 'aa', f.tc && 'tc', f.rd && 'rd', f.ra && 'ra', f.ad && 'ad', f.cd && 'cd'].filter(Boolean).join(' ');
}

function commsErrors(attempts: Attempt[]): string {
  return attempts.filter((a) => !a.response).map((a) => `;; communications error to ${a.server.includes(':') ? `${a.server}` : a.server}#53: timed out\n`).join('');
}

export function formatDig(l: DigLookup, o: DigFormatOptions): ToolOutput {
  const version = o.version ?? '9.18.39';
  const banner = `\n; <<>> DiG ${version} <<>> ${o.args.join(' ')}\n${o.serverGiven ? '; (1 server found)\n' : ''};; global options: +cmd\n`;
  const m = l.response;
  const errors = commsErrors(l.attempts);
  if (!m) {
    if (o.short) return { stdout: `${errors};; no servers could be reached\n`, exitCode: 9 };
    return { stdout: `${errors}${o.show?.cmd === false ? '' : banner};; no servers could be reached\n`, exitCode: 9 };
  }
  if (o.short) {
    let out = errors;
    for (const rr of m.answer) out += `${rdataText(rr.data)}\n`;
    return { stdout: out, exitCode: 0 };
  }
  const show = { cmd: true, comments: true, question: true, answer: true, authority: true, additional: true, stats: true, ...o.show };
  let out = errors;
  if (show.cmd) out += banner;
  if (show.comments) {
    const additional = m.additional.length + (m.edns ? 1 : 0);
    out += ';; Got answer:\n';
    // BIND warns whenever the question is under .local (RFC 6762 reserves it for mDNS), which
    // every cluster.local lookup is.
    const q = m.question[0]?.name.toLowerCase().replace(/\.$/, '');
    if (q !== undefined && (q === 'local' || q.endsWith('.local'))) {
      out += ';; WARNING: .local is reserved for Multicast DNS\n;; You are currently testing what happens when an mDNS query is leaked to DNS\n';
    }
    out += `;; ->>HEADER<<- opcode: QUERY, status: ${m.rcode}, id: ${m.id}\n`;
    out += `;; flags: ${flagsText(m)}; QUERY: ${m.question.length}, ANSWER: ${m.answer.length}, AUTHORITY: ${m.authority.length}, ADDITIONAL: ${additional}\n`;
    if (m.flags.rd && !m.flags.ra) out += ';; WARNING: recursion requested but not available\n';
    out += '\n';
    if (m.edns) {
      out += ';; OPT PSEUDOSECTION:\n';
      out += `; EDNS: version: 0, flags:${m.edns.do ? ' do' : ''}; udp: ${m.edns.udpSize}\n`;
      if (m.edns.cookie) out += `; COOKIE: ${m.edns.cookie} (echoed)\n`;
    }
  }
  const section = (title: string, rrs: ResourceRecord[], on: boolean) => {
    if (!on || rrs.length === 0) return;
    if (show.comments) out += `;; ${title} SECTION:\n`;
    for (const rr of rrs) out += `${recordText(rr)}\n`;
    if (show.comments) out += '\n';
  };
  if (show.question) {
    if (show.comments) out += ';; QUESTION SECTION:\n';
    for (const q of m.question) out += `${questionText(q)}\n`;
    if (show.comments) out += '\n';
  }
  section('ANSWER', m.answer, show.answer);
  section('AUTHORITY', m.authority, show.authority);
  section('ADDITIONAL', m.additional, show.additional);
  if (show.stats) {
    out += `;; Query time: ${o.queryTimeMs ?? 0} msec\n`;
    // The address, then the server as the user gave it (make_server's userarg).
    out += `;; SERVER: ${l.server}#53(${o.serverName ?? l.server}) (UDP)\n`;
    out += `;; WHEN: ${digWhen(o.whenMs)}\n`;
    out += `;; MSG SIZE  rcvd: ${sentSize(m)}\n`;
    out += '\n';
  }
  return { stdout: out, exitCode: 0 };
}

// ---- host ----

/**
 * BIND `host NAME` / `host -t TYPE NAME` / `host IP`. `lookups` are the A, AAAA and MX
 * lookups (or the one `-t` lookup, or the PTR lookup) in that order; `typed` the name as given.
 */
export function formatHost(typed: string, lookups: { type: string; lookup: DigLookup }[], opts: { explicitType?: boolean } = {}): ToolOutput {
  if (lookups.every((x) => !x.lookup.response)) return { stdout: ';; connection timed out; no servers could be reached\n', exitCode: 1 };
  let out = '';
  const aliases = new Set<string>();
  for (const { type, lookup } of lookups) {
    const m = lookup.response;
    if (!m) continue;
    if (m.rcode !== 'NOERROR') {
      return { stdout: `${out}Host ${typed} not found: ${m.rcode === 'NXDOMAIN' ? 3 : m.rcode === 'SERVFAIL' ? 2 : 5}(${m.rcode})\n`, exitCode: 1 };
    }
    const relevant = m.answer;
    if (relevant.length === 0 && opts.explicitType) out += `${bare(m.question[0]!.name)} has no ${type} record\n`;
    for (const rr of relevant) {
      const d = rr.data;
      const owner = bare(rr.name);
      let line: string;
      switch (d.type) {
        case 'A': line = `${owner} has address ${d.address}`; break;
        case 'AAAA': line = `${owner} has IPv6 address ${d.address}`; break;
        case 'CNAME':
          line = `${owner} is an alias for ${fqdn(d.target)}`;
          if (aliases.has(line)) continue;
          aliases.add(line);
          break;
        case 'PTR': line = `${owner} domain name pointer ${fqdn(d.target)}`; break;
        case 'MX': line = `${owner} mail is handled by ${d.preference} ${fqdn(d.exchange)}`; break;
        case 'SRV': line = `${owner} has SRV record ${d.priority} ${d.weight} ${d.port} ${fqdn(d.target)}`; break;
        case 'TXT': line = `${owner} descriptive text ${rdataText(d)}`; break;
        case 'NS': line = `${owner} name server ${fqdn(d.target)}`; break;
        case 'SOA': line = `${owner} has SOA record ${rdataText(d)}`; break;
      }
      out += `${line}\n`;
    }
  }
  return { stdout: out, exitCode: 0 };
}

// ---- getent hosts (glibc) ----

/** glibc `getent hosts NAME`: `%-15s %s` per address; exit 2 when the name is unknown. */
export function formatGetentHosts(r: LookupResult): ToolOutput {
  if (r.status !== 'found') return { stdout: '', exitCode: 2 };
  const name = bare(r.canonical ?? r.name ?? '');
  return { stdout: r.addresses.map((a) => `${a.padEnd(15)} ${name}\n`).join(''), exitCode: 0 };
}

/** Column helper re-exported for tools that print records themselves. */
export { bindColumns };
