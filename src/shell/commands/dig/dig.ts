/**
 * BIND 9.18 dig: `dig [@server] [-t TYPE] [-x IP] NAME [TYPE] [+short] [+search] [+noall]
 * [+answer] …`. No search list unless +search. Queries travel the data path as UDP packets
 * (3 tries of 5 s each when nothing answers, as dig's defaults).
 */
import { bindLookup, bindSearchNames, digEdns, formatDig, parseRRType, reverseName, type RRType } from '../../../engine';
import { bindServer, fromPlace } from '../../net';
import type { CommandModule } from '../../types';

const HELP = `Usage:  dig [@global-server] [domain] [q-type] [q-class] {q-opt}
            {global-d-opt} host [@local-server] {local-d-opt}
            [ host [@local-server] {local-d-opt} [...]]
`;

const SECTIONS = ['cmd', 'comments', 'question', 'answer', 'authority', 'additional', 'stats'] as const;

export const dig: CommandModule = {
  name: 'dig',
  help: HELP,
  async execute(argv, ctx) {
    let server: string | undefined;
    let type: RRType | undefined;
    let name: string | undefined;
    let short = false, search = false, tries = 3, timeoutMs = 5000, warnings = '';
    const show: Partial<Record<(typeof SECTIONS)[number], boolean>> = {};
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      if (a === '-h' || a === '--help') return { stdout: HELP, stderr: '', exitCode: 0 };
      if (a.startsWith('@')) server = a.slice(1);
      else if (a === '-t') type = parseRRType((argv[++i] ?? '').toUpperCase());
      else if (a === '-x') {
        const r = reverseName(argv[++i] ?? '');
        if (!r) return { stdout: '', stderr: `Invalid IP address ${argv[i]}\n`, exitCode: 1 };
        name = r;
        type = 'PTR';
      } else if (a.startsWith('+')) {
        const [opt, val] = a.slice(1).split('=');
        const on = !opt!.startsWith('no');
        const key = on ? opt! : opt!.slice(2);
        if (key === 'short') short = on;
        else if (key === 'search') search = on;
        else if (key === 'tries') tries = Number(val) || 1;
        else if (key === 'time') timeoutMs = (Number(val) || 1) * 1000;
        else if (key === 'all') for (const s of SECTIONS) show[s] = on;
        else if ((SECTIONS as readonly string[]).includes(key)) show[key as (typeof SECTIONS)[number]] = on;
      } else if (a.startsWith('-')) {
        return { stdout: '', stderr: `Invalid option: ${a}\n${HELP}`, exitCode: 1 };
      } else if (parseRRType(a.toUpperCase())) {
        // dig.c parse_args: any bare word that parses as a type is the type, before or after the
        // name (`dig SRV _http._tcp.web…`); a second one warns and wins.
        if (type) warnings += ';; Warning, extra type option\n';
        type = parseRRType(a.toUpperCase());
      } else if (/^(IN|CH|HS)$/i.test(a)) continue; // a class: only IN is served here
      else if (name === undefined) name = a;
    }
    const at = await bindServer(ctx, 'dig', server);
    if ('fatal' in at) return { ...at.fatal, stderr: warnings + at.fatal.stderr };
    const serverIp = at.ip;
    const env = ctx.cluster.resolver(fromPlace(ctx.place));
    const qname = name ?? '.';
    const names = search && name ? bindSearchNames(qname, env.conf) : [qname.endsWith('.') ? qname : `${qname}.`];
    const qtype = type ?? (name ? 'A' : 'NS');
    const cookie = Array.from({ length: 16 }, () => '0123456789abcdef'[env.nextId() % 16]).join('');
    const l = bindLookup(names, qtype, env, { ...(serverIp ? { servers: [serverIp] } : {}), tries, edns: digEdns(cookie), ad: true, timeoutMs });
    const waited = l.attempts.reduce((s, x) => s + x.waitedMs, 0);
    if (waited > 0) await ctx.session.wait(waited);
    const out = formatDig(l, { args: argv, serverGiven: server !== undefined, ...(server !== undefined ? { serverName: server } : {}), short, show, whenMs: ctx.cluster.now(), queryTimeMs: 0 });
    return { stdout: out.stdout, stderr: warnings, exitCode: out.exitCode };
  },
};
