/**
 * nslookup: busybox's (networking/nslookup.c: its own queries, no ndots, the search list
 * only for names without a dot) or BIND 9's where the image ships bind-tools (netshoot,
 * agnhost). Each query is a UDP packet through the data path; a server that never answers
 * costs the client its timeout (the clock moves).
 */
import { bindLookup, bindSearchNames, busyboxNslookup, formatBindNslookup, formatBusyboxNslookup, parseRRType, reverseName, type RRType } from '../../../engine';
import { bindServer, fromPlace, serverAddress, toolsOf } from '../../net';
import type { CommandModule, CommandResult } from '../../types';

const BUSYBOX_HELP = `BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.

Usage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]

Query DNS about HOST

QUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any
`;

/**
 * busybox's options (nslookup_main): `-type=`/`-querytype=`, `-port=`, `-retry=`, `-debug`,
 * `-t=`/`-timeout=` (seconds), each before HOST; anything else shows the usage.
 */
function busyboxOptions(argv: string[]): { types?: RRType[]; port: number; timeoutMs: number; args: string[] } | CommandResult {
  const usage = { stdout: '', stderr: BUSYBOX_HELP, exitCode: 1 };
  const die = (msg: string) => ({ stdout: '', stderr: `nslookup: ${msg}\n`, exitCode: 1 });
  let types: RRType[] | undefined;
  let port = 53;
  let timeoutMs = 5000;
  let i = 0;
  for (; i < argv.length && argv[i]!.startsWith('-'); i++) {
    const [opt, ...rest] = argv[i]!.slice(1).split('=');
    const val = rest.join('=');
    // libbb's xatou_range: a number, else "invalid number 'X'"; in range, else it says which.
    let bad = '';
    const num = (lo: number, hi: number): number | undefined => {
      if (!/^\d+$/.test(val)) bad = `invalid number '${val}'`;
      else if (Number(val) < lo || Number(val) > hi) bad = `number ${val} is not in ${lo}..${hi} range`;
      else return Number(val);
      return undefined;
    };
    switch (opt) {
      case 'type': case 'querytype': {
        const t = parseRRType(val.toUpperCase());
        if (!t || !BUSYBOX_TYPES.includes(t)) return die(`invalid query type "${val}"`);
        types = [...(types ?? []), t];
        break;
      }
      case 'port': {
        const n = num(1, 0xffff);
        if (n === undefined) return die(bad);
        port = n;
        break;
      }
      case 'retry':
        if (num(1, 0x7fffffff) === undefined) return die(bad);
        break;
      case 'debug':
        break;
      case 't': case 'timeout': {
        const n = num(1, 2147483);
        if (n === undefined) return die(bad);
        timeoutMs = n * 1000;
        break;
      }
      default:
        return usage;
    }
  }
  const args = argv.slice(i);
  if (args.length === 0 || args.length > 2) return usage;
  return { ...(types ? { types } : {}), port, timeoutMs, args };
}

/** The query types busybox knows (its qtypes table), in its order. */
const BUSYBOX_TYPES: RRType[] = ['A', 'AAAA', 'CNAME', 'MX', 'NS', 'PTR', 'SOA', 'SRV', 'TXT', 'ANY'];

export const nslookup: CommandModule = {
  name: 'nslookup',
  help: BUSYBOX_HELP,
  async execute(argv, ctx) {
    const flavour = toolsOf(ctx.place).nslookup;
    if (argv.includes('--help') || argv.includes('-h')) return { stdout: '', stderr: BUSYBOX_HELP, exitCode: 1 };
    if (flavour === 'busybox') {
      const o = busyboxOptions(argv);
      if ('exitCode' in o) return o;
      const [name, serverArg] = o.args as [string, string | undefined];
      const env = ctx.cluster.resolver(fromPlace(ctx.place));
      let server: string | undefined;
      if (serverArg !== undefined) {
        const at = await serverAddress(ctx, serverArg);
        if ('error' in at) return { stdout: '', stderr: `nslookup: bad address '${serverArg}'\n`, exitCode: 1 };
        server = at.ip;
      }
      // Nothing answers DNS on another port of a nameserver here: every query times out.
      const reach = o.port === 53 ? env : { ...env, exchange: () => 'timeout' as const };
      const r = busyboxNslookup(name, reach, { ...(o.types ? { types: o.types } : {}), ...(server ? { server } : {}), timeoutMs: o.timeoutMs });
      const waited = r.attempts.reduce((s, a) => s + a.waitedMs, 0) / Math.max(1, r.queries.length);
      if (waited > 0) await ctx.session.wait(waited);
      const out = formatBusyboxNslookup(r, serverArg ? { serverName: serverArg } : {});
      return { stdout: out.stdout, stderr: '', exitCode: out.exitCode };
    }
    let type: RRType | undefined;
    const args: string[] = [];
    for (const a of argv) {
      const m = /^-(?:type|query|q|t)=(.+)$/i.exec(a);
      if (m) {
        type = parseRRType(m[1]!.toUpperCase());
        if (!type) return { stdout: '', stderr: `unknown query type: ${m[1]}\n`, exitCode: 1 };
        continue;
      }
      if (a === '-debug' || a === '-d') continue;
      args.push(a);
    }
    const name = args[0];
    if (!name) return { stdout: '', stderr: BUSYBOX_HELP, exitCode: 1 };
    const serverArg = args[1];
    const at = await bindServer(ctx, 'nslookup', serverArg);
    if ('fatal' in at) return at.fatal;
    const server = at.ip;
    const env = ctx.cluster.resolver(fromPlace(ctx.place));
    // BIND: A then AAAA (or the one -type), each walking the search list; an IP gets PTR.
    const ptr = reverseName(name);
    const types: RRType[] = ptr && !type ? ['PTR'] : type ? [type] : ['A', 'AAAA'];
    const names = ptr && !type ? [ptr] : bindSearchNames(name, env.conf);
    const lookups = types.map((t) => bindLookup(names, t, env, { ...(server ? { servers: [server] } : {}), tries: 2 }));
    const waited = lookups.flatMap((l) => l.attempts).reduce((s, a) => s + a.waitedMs, 0);
    if (waited > 0) await ctx.session.wait(waited);
    const out = formatBindNslookup(name, lookups, server ? { server, serverName: serverArg! } : {});
    return { stdout: out.stdout, stderr: '', exitCode: out.exitCode };
  },
};
