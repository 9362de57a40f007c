/**
 * ping: busybox's (networking/ping.c) or iputils' (netshoot, nodes). Each echo request is an
 * ICMP packet through the data path: a pod or node IP answers; a ClusterIP in iptables mode
 * does not (kube-proxy's rules match only the Service's ports and protocol, so the packet is
 * routed away and nothing answers: 100% packet loss), while in IPVS mode the ClusterIP sits
 * on every node's kube-ipvs0, where kube-proxy's KUBE-IPVS-FILTER rejects anything but the
 * Service's ports (iputils prints `Destination Port Unreachable`). TTL: 64 minus one per router
 * (node) that forwarded the request and the reply's. Without -c it runs until Ctrl-C in the
 * browser terminal, one request a second, printing each reply as it comes; on SIGINT both
 * pings print the statistics block (exit 0 if any reply came). A script cannot press Ctrl-C,
 * so there it stops after 4.
 */
import { fromPlace, isIPv4, resolveName, toolsOf } from '../../net';
import type { Hop } from '../../../engine';
import type { CommandModule } from '../../types';

const HELP = `BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.

Usage: ping [OPTIONS] HOST

Send ICMP ECHO_REQUESTs to HOST

	-4,-6		Force IP or IPv6 name resolution
	-c CNT		Send only CNT pings
	-s SIZE		Send SIZE data bytes in packets (default 56)
	-i SECS		Interval
	-A		Ping as soon as reply is received
	-t TTL		Set TTL
	-I IFACE/IP	Source interface or IP address
	-W SEC		Seconds to wait for the first response (default 10)
			(after all -c CNT packets are sent)
	-w SEC		Seconds until ping exits (default:infinite)
			(can exit earlier with -c CNT)
	-q		Quiet, only display output at start/finish
	-p HEXBYTE	Payload pattern
`;

function ttlOf(hops: Hop[]): number {
  // The reply's TTL as the client reads it: 64 minus each node that routed it on (a node
  // that sent the reply itself, from a local process, does not count).
  return 64 - hops.filter((h) => h.kind === 'node' && h.leg === 'reply' && h.origin === 'in' && h.delivered === 'forward').length;
}

/**
 * Who sends the ICMP error: the rejected address itself when the node rejected it as a local
 * destination (INPUT, e.g. kube-proxy IPVS's KUBE-IPVS-FILTER for a ClusterIP), else the
 * node's address toward the client (the pod's gateway).
 */
function icmpErrorSource(hops: Hop[], dst: string): string {
  const rejected = [...hops].reverse().find((h) => h.kind === 'node' && h.verdict === 'REJECT');
  if (rejected?.kind === 'node' && rejected.droppedAt?.startsWith('INPUT')) return dst;
  const first = hops.find((h) => h.kind === 'wire');
  const via = first?.kind === 'wire' ? /via (\S+)/.exec(first.route ?? '')?.[1] : undefined;
  return via ?? dst;
}

export const ping: CommandModule = {
  name: 'ping',
  help: HELP,
  async execute(argv, ctx) {
    const flavour = toolsOf(ctx.place).ping;
    // Both pings trap SIGINT to print their statistics.
    ctx.session.catchInterrupt();
    let count: number | undefined, quiet = false, size = 56;
    let target: string | undefined;
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      if (a === '--help' || a === '-h') return { stdout: '', stderr: HELP, exitCode: 1 };
      if (a === '-c') count = Math.max(1, Number(argv[++i]) || 1);
      else if (/^-c\d+$/.test(a)) count = Number(a.slice(2));
      else if (a === '-q') quiet = true;
      else if (a === '-s') size = Number(argv[++i]) || 56;
      else if (['-W', '-w', '-i', '-t', '-I', '-p'].includes(a)) i++;
      else if (a === '-4' || a === '-n') continue;
      else if (a.startsWith('-')) return { stdout: '', stderr: flavour === 'busybox' ? `ping: invalid option -- '${a.slice(1)}'\n${HELP}` : `ping: invalid option -- '${a.slice(1)}'\n`, exitCode: flavour === 'busybox' ? 1 : 2 };
      else target ??= a;
    }
    if (!target) return { stdout: '', stderr: flavour === 'busybox' ? HELP : 'ping: usage error: Destination address required\n', exitCode: flavour === 'busybox' ? 1 : 1 };
    const r = await resolveName(ctx, target, ['A']);
    if (r.waitedMs) await ctx.session.wait(r.waitedMs);
    if (r.status !== 'found' || !r.addresses.length) {
      return { stdout: '', stderr: flavour === 'busybox' ? `ping: bad address '${target}'\n` : `ping: ${target}: ${r.status === 'timeout' ? 'Temporary failure in name resolution' : 'Name or service not known'}\n`, exitCode: flavour === 'busybox' ? 1 : 2 };
    }
    const ip = r.addresses[0]!;
    const id = (ctx.cluster.now() & 0xffff) || 1;
    const limit = count ?? (ctx.session.endless ? Infinity : 4);
    const interrupted = () => ctx.session.signal.aborted;
    ctx.session.write(flavour === 'busybox' ? `PING ${target} (${ip}): ${size} data bytes\n` : `PING ${target} (${ip}) ${size}(${size + 28}) bytes of data.\n`);
    const started = ctx.cluster.now();
    const times: number[] = [];
    let errors = 0;
    let sent = 0;
    for (let seq = 0; seq < limit && !interrupted(); seq++) {
      sent++;
      const c = ctx.cluster.connect({ from: fromPlace(ctx.place), to: { ip, protocol: 'ICMP', ...(isIPv4(target) ? {} : { host: target }) }, icmp: { id, seq } });
      if (c.outcome === 'refused' || c.outcome === 'no-route' || c.outcome === 'net-unreachable') {
        // An ICMP error came back (a REJECT): iputils reports it, busybox ping ignores it.
        errors++;
        if (flavour === 'iputils' && !quiet) {
          const what = c.outcome === 'refused' ? 'Destination Port Unreachable' : c.outcome === 'no-route' ? 'Destination Host Unreachable' : 'Destination Net Unreachable';
          ctx.session.write(`From ${icmpErrorSource(c.trace.hops, ip)} icmp_seq=${seq + 1} ${what}\n`);
        }
      } else if (c.outcome === 'connected') {
        const ms = (c.trace.rttUs + 40 + ((seq * 37) % 23)) / 1000;
        times.push(ms);
        if (!quiet) ctx.session.write(flavour === 'busybox' ? `${size + 8} bytes from ${ip}: seq=${seq} ttl=${ttlOf(c.trace.hops)} time=${ms.toFixed(3)} ms\n` : `${size + 8} bytes from ${ip}: icmp_seq=${seq + 1} ttl=${ttlOf(c.trace.hops)} time=${ms.toFixed(3)} ms\n`);
      }
      if (seq < limit - 1) await ctx.session.wait(1000);
    }
    // Unanswered: busybox waits -W (10 s) after the last packet, iputils about one interval.
    if (times.length < sent && !interrupted()) await ctx.session.wait(flavour === 'busybox' ? 10_000 : 1000);
    // iputils' time: from the first request to the end (after Ctrl-C, however long it ran).
    const took = interrupted() ? ctx.cluster.now() - started : (sent - 1) * 1000 + (sent > 1 ? 3 : 0);
    const lost = Math.round(((sent - times.length) / sent) * 100);
    let out = `\n--- ${target} ping statistics ---\n`;
    const min = Math.min(...times), max = Math.max(...times), avg = times.reduce((s, x) => s + x, 0) / (times.length || 1);
    if (flavour === 'busybox') {
      out += `${sent} packets transmitted, ${times.length} packets received, ${lost}% packet loss\n`;
      if (times.length) out += `round-trip min/avg/max = ${min.toFixed(3)}/${avg.toFixed(3)}/${max.toFixed(3)} ms\n`;
    } else {
      const mdev = Math.sqrt(times.reduce((s, x) => s + (x - avg) ** 2, 0) / (times.length || 1));
      out += `${sent} packets transmitted, ${times.length} received, ${errors ? `+${errors} errors, ` : ''}${lost}% packet loss, time ${took}ms\n`;
      if (times.length) out += `rtt min/avg/max/mdev = ${min.toFixed(3)}/${avg.toFixed(3)}/${max.toFixed(3)}/${mdev.toFixed(3)} ms\n`;
    }
    return { stdout: out, stderr: '', exitCode: times.length ? 0 : 1 };
  },
};
