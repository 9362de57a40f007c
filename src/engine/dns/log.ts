/**
 * CoreDNS's `log` plugin (plugin/log, plugin/pkg/replacer): one `[INFO]` line per query in the
 * Common Log Format
 *   {remote}:{port} - {>id} "{type} {class} {name} {proto} {size} {>do} {>bufsize}" {rcode} {>rflags} {rsize} {duration}
 * e.g. `[INFO] 10.244.1.5:52345 - 12345 "A IN web.default.svc.cluster.local. udp 47 false 512" NOERROR qr,aa,rd 92 0.000123s`.
 * Sizes are the messages' wire lengths (requests as sent; replies uncompressed unless they
 * had to be compressed), `{>bufsize}` is 512 without EDNS, `{duration}` is Go's
 * strconv.FormatFloat(seconds, 'f', -1) with an `s`.
 */
import type { DnsMessage } from './message';
import { messageSize, RR_TYPE_CODES, sentSize } from './message';

export interface LogContext {
  clientIP: string;
  clientPort: number;
  proto: 'udp' | 'tcp';
  durationSec: number;
}

export const COMMON_LOG_FORMAT = '{remote}:{port} - {>id} "{type} {class} {name} {proto} {size} {>do} {>bufsize}" {rcode} {>rflags} {rsize} {duration}';
export const COMBINED_LOG_FORMAT = `${COMMON_LOG_FORMAT} "{>opcode}"`;

/** The header flags as the replacer lists them: qr,aa,tc,rd,ra,z,ad,cd. */
export function rflags(m: DnsMessage): string {
  const f = m.flags;
  return [f.qr && 'qr', f.aa && 'aa', f.tc && 'tc', f.rd && 'rd', f.ra && 'ra', f.ad && 'ad', f.cd && 'cd'].filter(Boolean).join(',');
}

/** Go's FormatFloat(x, 'f', -1, 64) for the durations we produce (ns precision). */
function goSeconds(sec: number): string {
  const s = sec.toFixed(9).replace(/0+$/, '').replace(/\.$/, '');
  return `${s}s`;
}

export function coreDnsLogLine(query: DnsMessage, response: DnsMessage, ctx: LogContext, format = '{common}'): string {
  const q = query.question[0]!;
  const type = q.type in RR_TYPE_CODES ? q.type : `TYPE${q.type}`;
  const values: Record<string, string> = {
    '{remote}': ctx.clientIP.includes(':') ? `[${ctx.clientIP}]` : ctx.clientIP,
    '{port}': String(ctx.clientPort),
    '{>id}': String(query.id),
    '{type}': type,
    '{class}': q.class,
    '{name}': q.name.endsWith('.') ? q.name : `${q.name}.`,
    '{proto}': ctx.proto,
    '{size}': String(messageSize(query)),
    '{>do}': String(query.edns?.do ?? false),
    '{>bufsize}': String(query.edns?.udpSize ?? 512),
    '{rcode}': response.rcode,
    '{>rflags}': rflags(response),
    '{rsize}': String(sentSize(response)),
    '{duration}': goSeconds(ctx.durationSec),
    '{>opcode}': 'QUERY',
  };
  const fmt = format.replace('{common}', COMMON_LOG_FORMAT).replace('{combined}', COMBINED_LOG_FORMAT);
  return `[INFO] ${fmt.replace(/\{>?[a-z]+\}/g, (k) => values[k] ?? '-')}`;
}
