/**
 * agnhost (kubernetes test/images/agnhost), the e2e suites' Swiss-army image. Offered in
 * agnhost containers; only the `connect` subcommand runs here (the NetworkPolicy e2e probe):
 *   agnhost connect HOST:PORT [--timeout=1s] [--protocol=tcp|udp|sctp] [--udp-data=hostname]
 * exits 0 when the connection (TCP) or the UDP round trip succeeds, else 1 with one line on
 * stderr as connect.go writes it: `TIMEOUT`, `REFUSED`, `DNS: …`, `OTHER: …`; for UDP
 * `TIMEOUT: read udp A->B: i/o timeout` / `REFUSED: read udp A->B: read: connection refused`;
 * for SCTP `TIMEOUT`, or `OTHER: connection refused` (connectSCTP reports dial errors as OTHER).
 * Serving subcommands (netexec, serve-hostname) are the container's own process, not this.
 */
import { fromPlace, isIPv4, resolveName, splitHostPort } from '../../net';
import type { CommandModule } from '../../types';

const HELP = `Usage:
  agnhost connect [host:port] [flags]

Flags:
  -h, --help              help for connect
      --protocol string   The protocol to use to perform the connection, can be tcp, udp or sctp (default "tcp")
      --sctp-data string  The data to send to the server (default "hostname")
      --timeout duration  Maximum time before returning an error
      --udp-data string   The data to send to the server (default "hostname")
`;

/** Go's time.ParseDuration for the forms the e2e suite uses (1s, 500ms, 2m). */
function goDurationMs(s: string): number | undefined {
  let total = 0;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let m: RegExpExecArray | null;
  let seen = 0;
  while ((m = re.exec(s))) {
    const unit = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms'];
    total += Number(m[1]) * unit;
    seen = re.lastIndex;
  }
  if (s === '0') return 0;
  return seen === s.length && s.length > 0 ? total : undefined;
}

export const agnhost: CommandModule = {
  name: 'agnhost',
  help: HELP,
  async execute(argv, ctx) {
    const [sub, ...rest] = argv;
    if (sub !== 'connect') return { stdout: '', stderr: sub ? `Error: unknown command "${sub}" for "agnhost"\nRun 'agnhost --help' for usage.\n` : HELP, exitCode: 1 };
    let timeoutMs = 0, protocol = 'tcp', data = 'hostname';
    const args: string[] = [];
    for (let i = 0; i < rest.length; i++) {
      const a = rest[i]!;
      const [name, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
      const value = () => inline ?? rest[++i] ?? '';
      if (name === '--help' || name === '-h') return { stdout: HELP, stderr: '', exitCode: 0 };
      if (name === '--timeout') {
        const v = value();
        const ms = goDurationMs(v);
        if (ms === undefined) return { stdout: '', stderr: `Error: invalid argument "${v}" for "--timeout" flag: time: invalid duration "${v}"\n${HELP}`, exitCode: 1 };
        timeoutMs = ms;
      } else if (name === '--protocol') protocol = value();
      else if (name === '--udp-data' || name === '--sctp-data') data = value();
      else if (a.startsWith('-')) return { stdout: '', stderr: `Error: unknown flag: ${name}\n${HELP}`, exitCode: 1 };
      else args.push(a);
    }
    if (args.length !== 1) return { stdout: '', stderr: `Error: accepts 1 arg(s), received ${args.length}\n${HELP}`, exitCode: 1 };
    if (!['tcp', 'udp', 'sctp'].includes(protocol)) return { stdout: '', stderr: 'Unsupported protocol\n' + protocol, exitCode: 1 };
    const dest = args[0]!;
    const hp = splitHostPort(dest);
    if (hp.port === undefined) return { stdout: '', stderr: `UNKNOWN: address ${dest}: missing port in address\n`, exitCode: 1 };
    const r = await resolveName(ctx, hp.host, ['A']);
    if (r.waitedMs) await ctx.session.wait(r.waitedMs);
    if (r.status !== 'found' || !r.addresses.length) return { stdout: '', stderr: `DNS: lookup ${hp.host}${r.status === 'timeout' ? ' on 10.96.0.10:53: read udp: i/o timeout' : ': no such host'}\n`, exitCode: 1 };
    const ip = r.addresses[0]!;
    const conn = ctx.cluster.connect({
      from: fromPlace(ctx.place), to: { ip, port: hp.port, protocol: protocol === 'udp' ? 'UDP' : protocol === 'sctp' ? 'SCTP' : 'TCP', ...(isIPv4(hp.host) ? {} : { host: hp.host }) },
      // UDP and SCTP write `<data>\n` and wait for the server's answer; TCP only connects.
      ...(protocol !== 'tcp' ? { payload: { kind: 'bytes' as const, text: `${data}\n` } } : {}),
    });
    if (conn.outcome === 'connected') return { stdout: '', stderr: '', exitCode: 0 };
    const pair = `${conn.local.ip}:${conn.local.port}->${ip}:${hp.port}`;
    if (conn.outcome === 'timed-out') {
      // No --timeout: a TCP connect waits for the kernel (~127 s); UDP's read blocks (we stop at the kernel's figure too).
      await ctx.session.wait(timeoutMs || 127_000);
      return { stdout: '', stderr: protocol === 'udp' ? `TIMEOUT: read udp ${pair}: i/o timeout\n` : 'TIMEOUT\n', exitCode: 1 };
    }
    // connectSCTP prints every dial error as OTHER with the bare errno text (ishidawataru/sctp returns it unwrapped).
    if (protocol === 'sctp') return { stdout: '', stderr: `OTHER: ${conn.outcome === 'refused' ? 'connection refused' : conn.outcome === 'no-route' ? 'no route to host' : conn.outcome === 'net-unreachable' ? 'network is unreachable' : 'connection reset by peer'}\n`, exitCode: 1 };
    if (conn.outcome === 'refused') return { stdout: '', stderr: protocol === 'udp' ? `REFUSED: read udp ${pair}: read: connection refused\n` : 'REFUSED\n', exitCode: 1 };
    const why = conn.outcome === 'no-route' ? 'connect: no route to host' : conn.outcome === 'net-unreachable' ? 'connect: network is unreachable' : 'connect: connection reset by peer';
    return { stdout: '', stderr: `OTHER: dial ${protocol} ${ip}:${hp.port}: ${why}\n`, exitCode: 1 };
  },
};
