/**
 * nslookup: busybox's (networking/nslookup.c: its own queries, no ndots, the search list
 * only for names without a dot) or BIND 9's where the image ships bind-tools (netshoot,
 * agnhost). Each query is a UDP packet through the data path; a server that never answers
 * costs the client its timeout (the clock moves).
 */
import { bindLookup, bindSearchNames, busyboxNslookup, formatBindNslookup, formatBusyboxNslookup, parseRRType, reverseName, type RRType } from '../../../engine';
import { fromPlace, toolsOf } from '../../net';
import type { CommandModule } from '../../types';

const BUSYBOX_HELP = `BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.

Usage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]

Query DNS about HOST

QUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any
`;

export const nslookup: CommandModule = {
  name: 'nslookup',
  help: BUSYBOX_HELP,
  async execute(argv, ctx) {
    const flavour = toolsOf(ctx.place).nslookup;
    let type: RRType | undefined;
    const args: string[] = [];
    for (const a of argv) {
      if (a === '--help' || a === '-h') return { stdout: '', stderr: BUSYBOX_HELP, exitCode: 1 };
      const m = /^-(?:type|query|q|t)=(.+)$/i.exec(a);
      if (m) {
        type = parseRRType(m[1]!.toUpperCase());
        if (!type) return { stdout: '', stderr: flavour === 'busybox' ? BUSYBOX_HELP : `unknown query type: ${m[1]}\n`, exitCode: 1 };
        continue;
      }
      if (a === '-debug' || a === '-d') continue;
      args.push(a);
    }
    const name = args[0];
    if (!name) return { stdout: '', stderr: BUSYBOX_HELP, exitCode: 1 };
    const server = args[1];
    const env = ctx.cluster.resolver(fromPlace(ctx.place));
    if (flavour === 'busybox') {
      const r = busyboxNslookup(name, env, { ...(type ? { types: [type] } : {}), ...(server ? { server } : {}) });
      const waited = r.attempts.reduce((s, a) => s + a.waitedMs, 0) / Math.max(1, r.queries.length);
      if (waited > 0) await ctx.session.wait(waited);
      const out = formatBusyboxNslookup(r);
      return { stdout: out.stdout, stderr: '', exitCode: out.exitCode };
    }
    // BIND: A then AAAA (or the one -type), each walking the search list; an IP gets PTR.
    const ptr = reverseName(name);
    const types: RRType[] = ptr && !type ? ['PTR'] : type ? [type] : ['A', 'AAAA'];
    const names = ptr && !type ? [ptr] : bindSearchNames(name, env.conf);
    const lookups = types.map((t) => bindLookup(names, t, env, { ...(server ? { servers: [server] } : {}), tries: 2 }));
    const waited = lookups.flatMap((l) => l.attempts).reduce((s, a) => s + a.waitedMs, 0);
    if (waited > 0) await ctx.session.wait(waited);
    const out = formatBindNslookup(name, lookups, server ? { server } : {});
    return { stdout: out.stdout, stderr: '', exitCode: out.exitCode };
  },
};
