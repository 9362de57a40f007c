/**
 * Connection tracking as data: entries keyed by their original and reply tuples, NAT stored
 * in the reply tuple (as nf_conntrack does), timeouts from the injected clock, and the
 * `conntrack -L` line format of conntrack-tools 1.4.7.
 */
import { formatIPv4 } from './addr';
import type { Clock } from '../core/clock';

export interface Tuple {
  proto: number;
  src: number;
  dst: number;
  /** Ports; for ICMP both carry the echo id. */
  sport: number;
  dport: number;
}

export type TcpState = 'SYN_SENT' | 'SYN_RECV' | 'ESTABLISHED' | 'FIN_WAIT' | 'CLOSE_WAIT' | 'LAST_ACK' | 'TIME_WAIT' | 'CLOSE';

export interface CtEntry {
  id: number;
  orig: Tuple;
  reply: Tuple;
  seenReply: boolean;
  assured: boolean;
  /** Source NAT / destination NAT was applied (the SNAT/DNAT virtual ctstates). */
  snat: boolean;
  dnat: boolean;
  tcpState?: TcpState;
  /** Absolute expiry in clock milliseconds. */
  expires: number;
  mark: number;
  /** How many packets each way (for `conntrack -L -o extended`-free counters in the Trace). */
  packets: [number, number];
  /** UDP: two seconds after the first packet (ct->proto.udp.stream_ts); later traffic makes a stream. */
  streamTs: number;
}

/** nf_conntrack default timeouts, in seconds. */
export const CT_TIMEOUTS = {
  tcpSynSent: 120,
  tcpSynRecv: 60,
  tcpEstablished: 432000,
  udp: 30,
  udpStream: 120,
  icmp: 30,
  generic: 600,
};

export function tupleKey(t: Tuple): string {
  return `${t.proto}|${t.src}|${t.dst}|${t.sport}|${t.dport}`;
}

export function invert(t: Tuple): Tuple {
  return { proto: t.proto, src: t.dst, dst: t.src, sport: t.dport, dport: t.sport };
}

export interface CtFilter {
  proto?: number;
  /** Matches the original source (conntrack -s) / destination (-d). */
  src?: number;
  dst?: number;
  /** Reply source (conntrack -r) / destination (-q). */
  replySrc?: number;
  replyDst?: number;
  sport?: number;
  dport?: number;
}

export class Conntrack {
  readonly #byOrig = new Map<string, CtEntry>();
  readonly #byReply = new Map<string, CtEntry>();
  #nextId = 1;
  readonly clock: Clock;

  constructor(clock: Clock) {
    this.clock = clock;
  }

  /** The entry a packet with this tuple belongs to, and which way it travels. */
  lookup(t: Tuple): { entry: CtEntry; dir: 'original' | 'reply' } | undefined {
    const k = tupleKey(t);
    const o = this.#live(this.#byOrig.get(k));
    if (o) return { entry: o, dir: 'original' };
    const r = this.#live(this.#byReply.get(k));
    if (r) return { entry: r, dir: 'reply' };
    return undefined;
  }

  /** The entry unless it has timed out (then it is removed). */
  #live(e: CtEntry | undefined): CtEntry | undefined {
    if (e && e.expires <= this.clock.now()) {
      this.#remove(e);
      return undefined;
    }
    return e;
  }

  /** Is this tuple already some entry's reply tuple (a NAT clash)? */
  replyTaken(t: Tuple): boolean {
    return !!this.#live(this.#byReply.get(tupleKey(t))) || !!this.#live(this.#byOrig.get(tupleKey(invert(t))));
  }

  /** A new, unconfirmed entry (not in the table until `confirm`). */
  create(orig: Tuple): CtEntry {
    return {
      id: 0, orig: { ...orig }, reply: invert(orig), seenReply: false, assured: false, snat: false, dnat: false,
      tcpState: orig.proto === 6 ? 'SYN_SENT' : undefined, expires: this.clock.now() + this.#timeoutFor(orig.proto, false) * 1000,
      mark: 0, packets: [0, 0], streamTs: this.clock.now() + 2000,
    };
  }

  confirm(e: CtEntry): void {
    e.id = this.#nextId++;
    this.#byOrig.set(tupleKey(e.orig), e);
    this.#byReply.set(tupleKey(e.reply), e);
  }

  /** Account a packet of a confirmed entry: state machine and timeout refresh. */
  seen(e: CtEntry, dir: 'original' | 'reply'): void {
    e.packets[dir === 'original' ? 0 : 1]++;
    const now = this.clock.now();
    if (e.orig.proto === 17) {
      // nf_conntrack_udp_packet runs before nf_conntrack_in sets IPS_SEEN_REPLY, so the
      // first reply still gets the unreplied timeout. Only traffic after a reply, more than
      // two seconds after the first packet, makes a stream: 120 s and [ASSURED]. A DNS
      // query and its answer stay at 30 s, never assured.
      if (e.seenReply && now > e.streamTs) {
        e.expires = now + CT_TIMEOUTS.udpStream * 1000;
        e.assured = true;
      } else e.expires = now + CT_TIMEOUTS.udp * 1000;
      if (dir === 'reply') e.seenReply = true;
      return;
    }
    if (dir === 'reply') e.seenReply = true;
    if (e.orig.proto === 6) {
      if (dir === 'reply' && e.tcpState === 'SYN_SENT') e.tcpState = 'SYN_RECV';
      else if (dir === 'original' && e.tcpState === 'SYN_RECV') {
        e.tcpState = 'ESTABLISHED';
        e.assured = true;
      }
      const t = e.tcpState === 'ESTABLISHED' ? CT_TIMEOUTS.tcpEstablished : e.tcpState === 'SYN_RECV' ? CT_TIMEOUTS.tcpSynRecv : CT_TIMEOUTS.tcpSynSent;
      e.expires = now + t * 1000;
    } else {
      e.expires = now + this.#timeoutFor(e.orig.proto, e.seenReply) * 1000;
    }
  }

  #timeoutFor(proto: number, replied: boolean): number {
    if (proto === 6) return CT_TIMEOUTS.tcpSynSent;
    if (proto === 17) return replied ? CT_TIMEOUTS.udpStream : CT_TIMEOUTS.udp;
    if (proto === 1) return CT_TIMEOUTS.icmp;
    return CT_TIMEOUTS.generic;
  }

  #expire(): void {
    const now = this.clock.now();
    for (const e of this.#byOrig.values()) if (e.expires <= now) this.#remove(e);
  }

  /** Take one entry out of the table, by its two tuple keys (no scan). */
  remove(e: CtEntry): void {
    this.#remove(e);
  }

  #remove(e: CtEntry): void {
    // Only this entry's own keys: another entry may since have claimed one of its tuples.
    const ko = tupleKey(e.orig);
    if (this.#byOrig.get(ko) === e) this.#byOrig.delete(ko);
    const kr = tupleKey(e.reply);
    if (this.#byReply.get(kr) === e) this.#byReply.delete(kr);
  }

  #matches(e: CtEntry, f: CtFilter): boolean {
    return (f.proto === undefined || e.orig.proto === f.proto)
      && (f.src === undefined || e.orig.src === f.src) && (f.dst === undefined || e.orig.dst === f.dst)
      && (f.replySrc === undefined || e.reply.src === f.replySrc) && (f.replyDst === undefined || e.reply.dst === f.replyDst)
      && (f.sport === undefined || e.orig.sport === f.sport) && (f.dport === undefined || e.orig.dport === f.dport);
  }

  /** Entries, oldest first (conntrack -L). */
  list(f: CtFilter = {}): CtEntry[] {
    this.#expire();
    return [...this.#byOrig.values()].filter((e) => this.#matches(e, f));
  }

  /** conntrack -D: returns how many were deleted. */
  delete(f: CtFilter = {}): number {
    const victims = this.list(f);
    for (const e of victims) this.#remove(e);
    return victims.length;
  }

  /** conntrack -F. */
  flush(): number {
    return this.delete({});
  }

  /** conntrack -C. */
  count(): number {
    this.#expire();
    return this.#byOrig.size;
  }

  /** One `conntrack -L` line (conntrack-tools 1.4.7, default output). */
  format(e: CtEntry): string {
    const PROTO: Record<number, string> = { 6: 'tcp', 17: 'udp', 1: 'icmp', 132: 'sctp' };
    const name = PROTO[e.orig.proto] ?? 'unknown';
    // ctnetlink reports the remaining jiffies / HZ, truncated: read a moment after the packet,
    // a fresh UDP entry shows 29 and an established TCP one 431999, as on a real node.
    const secs = Math.max(0, Math.floor((e.expires - this.clock.now() - 1) / 1000));
    const tuple = (t: Tuple, reply: boolean): string => {
      if (t.proto === 1) {
        return `src=${formatIPv4(t.src)} dst=${formatIPv4(t.dst)} type=${reply ? 0 : 8} code=0 id=${t.sport}`;
      }
      return `src=${formatIPv4(t.src)} dst=${formatIPv4(t.dst)} sport=${t.sport} dport=${t.dport}`;
    };
    let s = `${name.padEnd(8)} ${e.orig.proto} ${secs} `;
    if (e.tcpState) s += `${e.tcpState} `;
    s += tuple(e.orig, false);
    if (!e.seenReply) s += ' [UNREPLIED]';
    s += ' ' + tuple(e.reply, true);
    if (e.assured) s += ' [ASSURED]';
    s += ` mark=${e.mark} use=1`;
    return s;
  }

  /** `conntrack -D [filter]`: the deleted entries on stdout, the summary on stderr (exit 1 when none). */
  deleteText(f: CtFilter = {}): { stdout: string; stderr: string; exitCode: number } {
    const entries = this.list(f);
    const stdout = entries.map((e) => this.format(e) + '\n').join('');
    for (const e of entries) this.#remove(e);
    return { stdout, stderr: `conntrack v1.4.7 (conntrack-tools): ${entries.length} flow entries have been deleted.\n`, exitCode: entries.length ? 0 : 1 };
  }

  /** `conntrack -F`. */
  flushText(): { stdout: string; stderr: string } {
    this.flush();
    return { stdout: '', stderr: 'conntrack v1.4.7 (conntrack-tools): connection tracking table has been emptied.\n' };
  }

  /** The whole `conntrack -L` output: lines on stdout, the summary on stderr. */
  listText(f: CtFilter = {}): { stdout: string; stderr: string } {
    const entries = this.list(f);
    return {
      stdout: entries.map((e) => this.format(e) + '\n').join(''),
      stderr: `conntrack v1.4.7 (conntrack-tools): ${entries.length} flow entries have been shown.\n`,
    };
  }
}
