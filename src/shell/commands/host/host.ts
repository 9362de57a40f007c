/**
 * BIND 9.18 host: `host NAME` asks A, AAAA and MX (each through resolv.conf's search list),
 * `host -t TYPE NAME` one type, `host IP` the PTR record. UDP through the data path.
 */
import { bindLookup, bindSearchNames, formatHost, parseRRType, reverseName, type RRType } from '../../../engine';
import { bindServer, fromPlace } from '../../net';
import type { CommandModule } from '../../types';

const HELP = `Usage: host [-aCdilrTvVw] [-c class] [-N ndots] [-t type] [-W time]
            [-R number] [-m flag] [-p port] hostname [server]
`;

export const host: CommandModule = {
  name: 'host',
  help: HELP,
  async execute(argv, ctx) {
    let type: RRType | undefined;
    const args: string[] = [];
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      if (a === '-h' || a === '--help') return { stdout: '', stderr: HELP, exitCode: 1 };
      if (a === '-t') {
        type = parseRRType((argv[++i] ?? '').toUpperCase());
        if (!type) return { stdout: '', stderr: `host: invalid type: ${argv[i]}\n`, exitCode: 1 };
      } else if (a.startsWith('-')) continue;
      else args.push(a);
    }
    const name = args[0];
    if (!name) return { stdout: '', stderr: HELP, exitCode: 1 };
    const serverArg = args[1];
    const at = await bindServer(ctx, 'host', serverArg);
    if ('fatal' in at) return at.fatal;
    const server = at.ip;
    const env = ctx.cluster.resolver(fromPlace(ctx.place));
    const ptr = reverseName(name);
    const opts = { ...(server ? { servers: [server] } : {}), tries: 2 };
    const lookups = ptr && !type
      ? [{ type: 'PTR', lookup: bindLookup([ptr], 'PTR', env, opts) }]
      : (type ? [type] : (['A', 'AAAA', 'MX'] as RRType[])).map((t) => ({ type: t, lookup: bindLookup(bindSearchNames(name, env.conf), t, env, opts) }));
    const waited = lookups.flatMap((l) => l.lookup.attempts).reduce((s, a) => s + a.waitedMs, 0);
    if (waited > 0) await ctx.session.wait(waited);
    const out = formatHost(name, lookups, { explicitType: type !== undefined });
    const head = server ? `Using domain server:\nName: ${serverArg}\nAddress: ${server}#53\nAliases: \n\n` : '';
    return { stdout: head + out.stdout, stderr: '', exitCode: out.exitCode };
  },
};
