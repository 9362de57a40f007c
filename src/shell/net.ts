/**
 * What the network tools share: where the process runs (a pod, a node, the workstation) as
 * the data path's source, which implementation of a tool the image ships, and name
 * resolution the way the tool's libc does it (/etc/hosts first, then DNS through the data
 * path), with how long the client waited.
 */
import { getaddrinfo, imageTool, type ConnectFrom, type ImageTools, type LookupResult, type Trace } from '../engine';
import type { CommandContext, CommandResult, ShellPlace } from './types';

export function fromPlace(place: ShellPlace): ConnectFrom {
  if (place.kind === 'pod') return { pod: { namespace: place.namespace, name: place.pod } };
  if (place.kind === 'node') return { node: place.node };
  return { external: true };
}

/** Nodes are kindest/node (Debian: glibc, iputils ping, procps, netcat-openbsd absent); the workstation alike. */
export function toolsOf(place: ShellPlace): ImageTools {
  return place.kind === 'pod' ? imageTool(place.image) : { libc: 'glibc', nslookup: 'bind', nc: 'openbsd', ping: 'iputils', watch: 'procps' };
}

export const isIPv4 = (s: string): boolean => /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(s) && s.split('.').every((x) => Number(x) <= 255);

export interface Resolution {
  status: LookupResult['status'];
  /** IPv4 addresses first, as the tools connect to them. */
  addresses: string[];
  /** How long the client waited for DNS replies that never came (ms). */
  waitedMs: number;
  /** Rounds of queries that were answered (each ~1 ms in the latency model). */
  answeredRounds: number;
  traces: Trace[];
}

async function hostsFile(ctx: CommandContext): Promise<string> {
  try {
    return await ctx.fs.readFile('/etc/hosts');
  } catch {
    return '';
  }
}

/** getaddrinfo(name) as the place's libc does it: /etc/hosts, then DNS (A and AAAA, or `families`). */
export async function resolveName(ctx: CommandContext, name: string, families: ('A' | 'AAAA')[] = ['A', 'AAAA']): Promise<Resolution> {
  const none = { waitedMs: 0, answeredRounds: 0, traces: [] };
  if (isIPv4(name)) return { status: 'found', addresses: [name], ...none };
  if (name === 'localhost') return { status: 'found', addresses: ['127.0.0.1'], ...none };
  const lower = name.toLowerCase().replace(/\.$/, '');
  for (const line of (await hostsFile(ctx)).split('\n')) {
    const f = line.replace(/#.*/, '').trim().split(/\s+/);
    if (f.length >= 2 && isIPv4(f[0]!) && f.slice(1).some((h) => h.toLowerCase() === lower)) return { status: 'found', addresses: [f[0]!], ...none };
  }
  const env = ctx.cluster.resolver(fromPlace(ctx.place));
  const r = getaddrinfo(name, toolsOf(ctx.place).libc, env, families);
  const waited = r.attempts.reduce((s, a) => s + a.waitedMs, 0) / families.length;
  const answered = r.attempts.filter((a) => a.response).length / families.length;
  return { status: r.status, addresses: r.addresses.filter(isIPv4), waitedMs: Math.round(waited), answeredRounds: Math.ceil(answered), traces: env.traces };
}

/**
 * A DNS server given on a tool's command line by address or by name: a name is looked up
 * first with the place's libc (as BIND's bind9_getaddresses and busybox's xhost2sockaddr do),
 * costing its wait. `not found` when no address came back for it, `failure` when the lookup
 * itself failed (BIND's isc_result_totext of ISC_R_NOTFOUND and ISC_R_FAILURE).
 */
export async function serverAddress(ctx: CommandContext, given: string): Promise<{ ip: string } | { error: 'not found' | 'failure' }> {
  if (isIPv4(given)) return { ip: given };
  const r = await resolveName(ctx, given, ['A']);
  if (r.waitedMs > 0) await ctx.session.wait(r.waitedMs);
  if (r.addresses[0]) return { ip: r.addresses[0] };
  return { error: r.status === 'nxdomain' || r.status === 'nodata' ? 'not found' : 'failure' };
}

/**
 * A BIND tool's server argument (dig @SERVER, host NAME SERVER, nslookup NAME SERVER): its
 * address, or dighost.c's fatal() for a name that does not resolve ("PROG: couldn't get
 * address for 'X': not found"; dig exits 10, host and nslookup set fatalexit 1). No argument:
 * undefined, the resolv.conf servers.
 */
export async function bindServer(ctx: CommandContext, tool: 'dig' | 'host' | 'nslookup', given: string | undefined): Promise<{ ip?: string } | { fatal: CommandResult }> {
  if (given === undefined) return {};
  const at = await serverAddress(ctx, given);
  if ('ip' in at) return { ip: at.ip };
  return { fatal: { stdout: '', stderr: `${tool}: couldn't get address for '${given}': ${at.error}\n`, exitCode: tool === 'dig' ? 10 : 1 } };
}

/** Split `host:port` / `[v6]:port`. */
export function splitHostPort(s: string): { host: string; port?: number } {
  const m = /^(.*):(\d+)$/.exec(s);
  return m ? { host: m[1]!, port: Number(m[2]) } : { host: s };
}
