/**
 * nc: busybox's (nc_bloaty.c) or OpenBSD's (netcat-openbsd in netshoot, agnhost, nodes).
 * `nc [-z] [-v] [-u] [-w SEC] HOST PORT`: one connection through the data path; without -z
 * stdin is sent and the answer printed. Their wording (-v):
 *   busybox:  web (10.96.12.34:80) open             nc: web (10.96.12.34:80): Connection timed out
 *             (a refusal is printed only with -vv: nc_bloaty.c skips ECONNREFUSED at one -v)
 *   openbsd:  Connection to web (10.96.12.34) 80 port [tcp/http] succeeded!
 *             nc: connect to web (10.96.12.34) port 80 (tcp) failed: Connection refused
 *             nc: connect to web (10.96.12.34) port 80 (tcp) timed out: Operation now in progress
 * UDP "succeeds" at once (nothing to handshake), as both do.
 */
import { fromPlace, isIPv4, resolveName, toolsOf } from '../../net';
import type { CommandModule } from '../../types';

const SERVICES: Record<number, string> = { 22: 'ssh', 53: 'domain', 80: 'http', 443: 'https', 6379: 'redis', 8080: 'http-alt', 6443: 'sun-sr-https', 5432: 'postgresql', 3306: 'mysql' };

const BUSYBOX_HELP = `BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.

Usage: nc [OPTIONS] HOST PORT  - connect
nc [OPTIONS] -l -p PORT [HOST] [PORT]  - listen

	-e PROG	Run PROG after connect (must be last)
	-l	Listen mode, for inbound connects
	-lk	With -e, provides persistent server
	-p PORT	Local port
	-s ADDR	Local address
	-w SEC	Timeout for connects and final net reads
	-i SEC	Delay interval for lines sent
	-n	Don't do DNS resolution
	-u	UDP mode
	-b	Allow broadcasts
	-v	Verbose
	-o FILE	Hex dump traffic
	-z	Zero-I/O mode (scanning)
`;

export const nc: CommandModule = {
  name: 'nc',
  help: BUSYBOX_HELP,
  async execute(argv, ctx) {
    const flavour = toolsOf(ctx.place).nc;
    let zero = false, verbose = 0, udp = false, waitSec: number | undefined;
    const args: string[] = [];
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      if (a === '--help' || a === '-h') return { stdout: '', stderr: BUSYBOX_HELP, exitCode: 1 };
      if (a.startsWith('-') && a.length > 1) {
        for (let k = 1; k < a.length; k++) {
          const f = a[k]!;
          if (f === 'z') zero = true;
          else if (f === 'v') verbose++;
          else if (f === 'u') udp = true;
          else if (f === 'n' || f === 'N' || f === 'q') continue;
          else if (f === 'w' || f === 'W' || f === 'i' || f === 'p' || f === 's') {
            const v = k + 1 < a.length ? a.slice(k + 1) : argv[++i];
            if (f === 'w') waitSec = Number(v);
            break;
          } else return { stdout: '', stderr: flavour === 'busybox' ? `nc: invalid option -- '${f}'\n${BUSYBOX_HELP}` : `nc: invalid option -- '${f}'\nusage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]\n`, exitCode: 1 };
        }
        continue;
      }
      args.push(a);
    }
    const [hostArg, portArg] = args;
    if (!hostArg || !portArg) return { stdout: '', stderr: flavour === 'busybox' ? BUSYBOX_HELP : 'usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]\n\t  [-m minttl] [-O length] [-P proxy_username] [-p source_port]\n\t  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]\n\t  [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]\n\t  [destination] [port]\n', exitCode: 1 };
    const port = Number(portArg);
    const r = await resolveName(ctx, hostArg, ['A']);
    if (r.waitedMs) await ctx.session.wait(r.waitedMs);
    if (r.status !== 'found' || !r.addresses.length) {
      return { stdout: '', stderr: flavour === 'busybox' ? `nc: bad address '${hostArg}'\n` : `nc: getaddrinfo for host "${hostArg}" port ${port}: Name does not resolve\n`, exitCode: 1 };
    }
    const ip = r.addresses[0]!;
    const proto = udp ? 'udp' : 'tcp';
    const svc = SERVICES[port] ?? '*';
    const shown = isIPv4(hostArg) ? ip : hostArg;
    // OpenBSD nc names the address in parentheses only when a name was given.
    const obsd = isIPv4(hostArg) ? ip : `${hostArg} (${ip})`;
    const conn = ctx.cluster.connect({
      from: fromPlace(ctx.place), to: { ip, port, protocol: udp ? 'UDP' : 'TCP', ...(isIPv4(hostArg) ? {} : { host: hostArg }) },
      ...(!zero && ctx.stdin ? { payload: { kind: 'bytes' as const, text: ctx.stdin } } : udp && zero ? {} : {}),
    });
    // UDP has no handshake: both ncs report success whatever happens to the datagram.
    const ok = conn.outcome === 'connected' || udp;
    // busybox at -vv ends with what it shovelled (nc_bloaty.c SENT_N_RECV_M).
    const tally = (sent: number, rcvd: number) => (flavour === 'busybox' && verbose > 1 ? `sent ${sent}, rcvd ${rcvd}\n` : '');
    if (ok) {
      let stderr = '';
      if (verbose) stderr = flavour === 'busybox' ? `${shown} (${ip}:${port}) open\n` : `Connection to ${obsd} ${port} port [${proto}/${svc}] succeeded!\n`;
      const body = conn.response?.kind === 'bytes' ? conn.response.text : conn.response?.kind === 'http' ? `HTTP/1.1 ${conn.response.status} ${conn.response.reason}\r\n` : '';
      if (udp && !zero && conn.outcome !== 'connected' && waitSec) await ctx.session.wait(waitSec * 1000);
      return { stdout: zero ? '' : body, stderr: stderr + tally(zero ? 0 : ctx.stdin.length, zero ? 0 : body.length), exitCode: 0 };
    }
    if (conn.outcome === 'timed-out') {
      const waited = (waitSec ?? 127) * 1000;
      await ctx.session.wait(waited);
      if (flavour === 'busybox') return { stdout: '', stderr: verbose ? `nc: ${shown} (${ip}:${port}): Connection timed out\n${tally(0, 0)}` : '', exitCode: 1 };
      return { stdout: '', stderr: verbose ? (waitSec !== undefined ? `nc: connect to ${obsd} port ${port} (${proto}) timed out: Operation now in progress\n` : `nc: connect to ${obsd} port ${port} (${proto}) failed: Connection timed out\n`) : '', exitCode: 1 };
    }
    const why = conn.outcome === 'no-route' ? 'No route to host' : conn.outcome === 'net-unreachable' ? 'Network is unreachable' : 'Connection refused';
    if (flavour === 'busybox') return { stdout: '', stderr: (verbose > 1 || (verbose && why !== 'Connection refused') ? `nc: ${shown} (${ip}:${port}): ${why}\n` : '') + tally(0, 0), exitCode: 1 };
    return { stdout: '', stderr: verbose ? `nc: connect to ${obsd} port ${port} (${proto}) failed: ${why}\n` : '', exitCode: 1 };
  },
};
