/**
 * busybox wget (networking/wget.c): `wget [-q] [-O FILE|-] [-T SEC] [-S] URL`. The host is
 * resolved by the image's libc through the data path, then one HTTP/1.1 request. Messages:
 *   wget: bad address 'web'
 *   wget: can't connect to remote host (10.96.12.34): Connection refused
 *   wget: download timed out                      (-T, default 900 s)
 *   wget: server returned error: HTTP/1.1 404 Not Found
 */
import { fromPlace, isIPv4, resolveName, splitHostPort } from '../../net';
import type { CommandContext, CommandModule, CommandResult } from '../../types';

const HELP = `BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.

Usage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]
	[--post-data STR | --post-file FILE] [-Y on/off]
	[-P DIR] [-U AGENT] [-T SEC] URL...

Retrieve files via HTTP or FTP

	--spider	Only check URL existence: $? is 0 if exists
	--header STR	Add STR (of form 'header: value') to headers
	--post-data STR	Send STR using POST method
	--post-file FILE	Send FILE using POST method
	-c		Continue retrieval of aborted transfer
	-q		Quiet
	-P DIR		Save to DIR (default .)
	-S    		Show server response
	-T SEC		Network read timeout is SEC seconds
	-O FILE		Save to FILE ('-' for stdout)
	-o LOGFILE	Log messages to FILE
	-U STR		Use STR for User-Agent header
	-Y on/off	Use proxy
`;

function progress(name: string, size: number): string {
  // bb_progress_update: the file name in 20 columns, percent, a 32-star bar, size, ETA.
  return `${name.padEnd(20).slice(0, 20)} 100% |${'*'.repeat(32)}| ${String(size).padStart(5)}  0:00:00 ETA\n`;
}

export const wget: CommandModule = {
  name: 'wget',
  help: HELP,
  async execute(argv, ctx) {
    let quiet = false, showHeaders = false, spider = false;
    let output: string | undefined;
    let timeoutSec = 900;
    const headers: string[] = [];
    let url: string | undefined;
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      if (a === '--help') return { stdout: '', stderr: HELP, exitCode: 1 };
      if (a === '--spider') { spider = true; continue; }
      if (a === '--header') { headers.push(argv[++i] ?? ''); continue; }
      if (a.startsWith('--')) return { stdout: '', stderr: `wget: unrecognized option '${a}'\n${HELP}`, exitCode: 1 };
      if (a.startsWith('-') && a.length > 1) {
        for (let k = 1; k < a.length; k++) {
          const f = a[k]!;
          if (f === 'q') quiet = true;
          else if (f === 'S') showHeaders = true;
          else if (f === 'c') continue;
          else if (f === 'O' || f === 'T' || f === 'U' || f === 'P' || f === 'o' || f === 'Y') {
            const v = k + 1 < a.length ? a.slice(k + 1) : argv[++i];
            if (v === undefined) return { stdout: '', stderr: `wget: option requires an argument -- '${f}'\n${HELP}`, exitCode: 1 };
            if (f === 'O') output = v;
            if (f === 'T') timeoutSec = Number(v) || 0;
            break;
          } else return { stdout: '', stderr: `wget: invalid option -- '${f}'\n${HELP}`, exitCode: 1 };
        }
        continue;
      }
      url ??= a;
    }
    if (!url) return { stdout: '', stderr: HELP, exitCode: 1 };
    return fetch(ctx, url, { quiet, showHeaders, spider, output, timeoutSec, headers });
  },
};

async function fetch(ctx: CommandContext, raw: string, o: { quiet: boolean; showHeaders: boolean; spider: boolean; output: string | undefined; timeoutSec: number; headers: string[] }): Promise<CommandResult> {
  let stderr = '';
  const m = /^(?:(https?):\/\/)?([^/]+)(\/.*)?$/.exec(raw);
  if (!m) return { stdout: '', stderr: `wget: not an http or ftp url: ${raw}\n`, exitCode: 1 };
  const scheme = m[1] ?? 'http';
  const hp = splitHostPort(m[2]!);
  const port = hp.port ?? (scheme === 'https' ? 443 : 80);
  const path = m[3] ?? '/';
  const r = await resolveName(ctx, hp.host, ['A']);
  if (r.waitedMs) await ctx.session.wait(r.waitedMs);
  if (r.status !== 'found' || !r.addresses.length) return { stdout: '', stderr: `wget: bad address '${hp.host}'\n`, exitCode: 1 };
  const ip = r.addresses[0]!;
  if (!o.quiet) stderr += `Connecting to ${m[2]} (${ip}:${port})\n`;
  const conn = ctx.cluster.connect({
    from: fromPlace(ctx.place), to: { ip, port, protocol: 'TCP', ...(isIPv4(hp.host) ? {} : { host: hp.host }) },
    payload: { kind: 'http', method: o.spider ? 'HEAD' : 'GET', path, host: m[2]!, headers: o.headers.map((h) => [h.split(':')[0]!.trim(), h.slice(h.indexOf(':') + 1).trim()]), userAgent: 'Wget' },
  });
  if (conn.outcome === 'timed-out') {
    await ctx.session.wait(o.timeoutSec * 1000);
    return { stdout: '', stderr: stderr + 'wget: download timed out\n', exitCode: 1 };
  }
  if (conn.outcome !== 'connected') {
    const why = conn.outcome === 'no-route' ? 'No route to host' : conn.outcome === 'net-unreachable' ? 'Network is unreachable' : 'Connection refused';
    return { stdout: '', stderr: stderr + `wget: can't connect to remote host (${ip}): ${why}\n`, exitCode: 1 };
  }
  const res = conn.response;
  if (!res || res.kind !== 'http') return { stdout: '', stderr: stderr + 'wget: error getting response: Connection reset by peer\n', exitCode: 1 };
  if (o.showHeaders) {
    stderr += `  HTTP/1.1 ${res.status} ${res.reason}\n`;
    for (const [k, v] of res.headers) stderr += `  ${k}: ${v}\n`;
  }
  if (res.status >= 400) return { stdout: '', stderr: stderr + `wget: server returned error: HTTP/1.1 ${res.status} ${res.reason}\n`, exitCode: 1 };
  if (o.spider) return { stdout: '', stderr: stderr + (o.quiet ? '' : 'remote file exists\n'), exitCode: 0 };
  const size = new TextEncoder().encode(res.body).length;
  if (o.output === '-') {
    if (!o.quiet) stderr += 'writing to stdout\n';
    const tail = o.quiet ? '' : `${progress('-', size)}written to stdout\n`;
    return { stdout: res.body, stderr: stderr + tail, exitCode: 0 };
  }
  const file = o.output ?? (path.split('?')[0]!.split('/').pop() || 'index.html');
  const full = file.startsWith('/') ? file : `${ctx.cwd.replace(/\/$/, '')}/${file}`;
  try {
    await ctx.fs.writeFile(full, res.body);
  } catch {
    return { stdout: '', stderr: stderr + `wget: can't open '${file}': No such file or directory\n`, exitCode: 1 };
  }
  if (!o.quiet) stderr += `saving to '${file}'\n${progress(file, size)}'${file}' saved\n`;
  return { stdout: '', stderr, exitCode: 0 };
}
