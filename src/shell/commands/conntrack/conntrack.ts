/**
 * `conntrack` (conntrack-tools 1.4.7) on a node: -L/-D/-F/-C over the node's connection
 * table, with the filters learners use (-p, -s/--orig-src, -d/--orig-dst, -r/--reply-src,
 * -q/--reply-dst, --sport/--orig-port-src, --dport/--orig-port-dst, -n/--src-nat,
 * -g/--dst-nat). Entry lines on stdout, the summary on stderr, exit codes as conntrack.c:
 * a delete that matched nothing exits 1.
 */
import type { NodeHost } from '../../../engine';
import type { CommandModule, CommandResult } from '../../types';
import { nodeHost, requireNode } from '../iptables/host';

type Conntrack = NodeHost['conntrack'];
type CtEntry = ReturnType<Conntrack['list']>[number];

const PROG = 'conntrack v1.4.7 (conntrack-tools)';
const TRY = "Try `conntrack -h' or 'conntrack --help' for more information.\n";

/** `conntrack -h` (and `conntrack` alone): conntrack-tools 1.4.7's usage, on stdout. */
export const CONNTRACK_HELP = `Command line interface for the connection tracking system. Version 1.4.7
Usage: conntrack [commands] [options]

Commands:
  -L [table] [options]\t\tList conntrack or expectation table
  -G [table] parameters\t\tGet conntrack or expectation
  -D [table] parameters\t\tDelete conntrack or expectation
  -I [table] parameters\t\tCreate a conntrack or expectation
  -U [table] parameters\t\tUpdate a conntrack
  -E [table] [options]\t\tShow events
  -F [table]\t\t\tFlush table
  -C [table]\t\t\tShow counter
  -S\t\t\t\tShow statistics

Tables: conntrack, expect, dying, unconfirmed

Conntrack parameters and options:
  -n, --src-nat ip\t\t\tsource NAT ip
  -g, --dst-nat ip\t\t\tdestination NAT ip
  -j, --any-nat ip\t\t\tsource or destination NAT ip
  -m, --mark mark\t\t\tSet mark
  -c, --secmark secmark\t\t\tSet selinux secmark
  -e, --event-mask eventmask\t\tEvent mask, eg. NEW,DESTROY
  -z, --zero \t\t\t\tZero counters while listing
  -o, --output type[,...]\t\tOutput format, eg. xml
  -l, --label label[,...]\t\tconntrack labels

Expectation parameters and options:
  --tuple-src ip\tSource address in expect tuple
  --tuple-dst ip\tDestination address in expect tuple

Updating parameters and options:
  --label-add label\tAdd label
  --label-del label\tDelete label

Common parameters and options:
  -s, --src, --orig-src ip\t\tSource address from original direction
  -d, --dst, --orig-dst ip\t\tDestination address from original direction
  -r, --reply-src ip\t\tSource addres from reply direction
  -q, --reply-dst ip\t\tDestination address from reply direction
  -p, --protonum proto\t\tLayer 4 Protocol, eg. 'tcp'
  -f, --family proto\t\tLayer 3 Protocol, eg. 'ipv6'
  -t, --timeout timeout\t\tSet timeout
  -u, --status status\t\tSet status, eg. ASSURED
  -w, --zone value\t\tSet conntrack zone
  --orig-zone value\t\tSet zone for original direction
  --reply-zone value\t\tSet zone for reply direction
  -b, --buffer-size\t\tNetlink socket buffer size
  --mask-src ip\t\t\tSource mask address
  --mask-dst ip\t\t\tDestination mask address

`;

const PROTOS: Record<string, number> = { tcp: 6, udp: 17, icmp: 1, sctp: 132, '6': 6, '17': 17, '1': 1, '132': 132 };

function ip4(s: string): number | undefined {
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(s)) return undefined;
  const p = s.split('.').map(Number);
  if (p.some((o) => o > 255)) return undefined;
  return ((p[0]! << 24) >>> 0) + (p[1]! << 16) + (p[2]! << 8) + p[3]!;
}

interface Filter {
  proto?: number;
  src?: number;
  dst?: number;
  replySrc?: number;
  replyDst?: number;
  sport?: number;
  dport?: number;
  replySport?: number;
  replyDport?: number;
  srcNat?: number | true;
  dstNat?: number | true;
}

function matches(e: CtEntry, f: Filter): boolean {
  return (f.proto === undefined || e.orig.proto === f.proto)
    && (f.src === undefined || e.orig.src === f.src) && (f.dst === undefined || e.orig.dst === f.dst)
    && (f.replySrc === undefined || e.reply.src === f.replySrc) && (f.replyDst === undefined || e.reply.dst === f.replyDst)
    && (f.sport === undefined || e.orig.sport === f.sport) && (f.dport === undefined || e.orig.dport === f.dport)
    && (f.replySport === undefined || e.reply.sport === f.replySport) && (f.replyDport === undefined || e.reply.dport === f.replyDport)
    // -n/-g: the entry was NATed that way; with an address, the reply tuple carries it.
    && (f.srcNat === undefined || (e.snat && (f.srcNat === true || e.reply.dst === f.srcNat)))
    && (f.dstNat === undefined || (e.dnat && (f.dstNat === true || e.reply.src === f.dstNat)));
}

type Command = 'L' | 'D' | 'F' | 'C' | 'G' | 'E' | 'S' | 'I' | 'U';
const COMMANDS: Record<string, Command> = {
  '-L': 'L', '--dump': 'L', '-D': 'D', '--delete': 'D', '-F': 'F', '--flush': 'F', '-C': 'C', '--count': 'C',
  '-G': 'G', '--get': 'G', '-E': 'E', '--event': 'E', '-S': 'S', '--stats': 'S', '-I': 'I', '--create': 'I', '-U': 'U', '--update': 'U',
};

const paramError = (msg: string): CommandResult => ({ stdout: '', stderr: `${PROG}: ${msg}\n${TRY}`, exitCode: 2 });

/** The command proper, over a node's conntrack table (tests drive it directly). */
export function run(argv: readonly string[], ct: Conntrack): CommandResult {
  let cmd: Command | undefined;
  const f: Filter = {};
  let output: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i]!;
    let inline: string | undefined;
    if (a.startsWith('--') && a.includes('=')) { inline = a.slice(a.indexOf('=') + 1); a = a.slice(0, a.indexOf('=')); }
    // Grouped short command + table-less options, e.g. `-L` then `-n`: getopt handles one at a time.
    if (COMMANDS[a]) {
      if (cmd) return paramError('Invalid commands combination');
      cmd = COMMANDS[a];
      if (argv[i + 1] === 'conntrack') i++;
      else if (argv[i + 1] && ['expect', 'dying', 'unconfirmed'].includes(argv[i + 1]!)) i++;
      continue;
    }
    if (a === '-h' || a === '--help') return { stdout: CONNTRACK_HELP, stderr: '', exitCode: 0 };
    if (a === '-V' || a === '--version') return { stdout: `${PROG}\n`, stderr: '', exitCode: 0 };
    const value = (): string | undefined => inline ?? argv[++i];
    const addr = (set: (n: number) => void): CommandResult | undefined => {
      const v = value();
      if (v === undefined) return paramError(`option \`${a}' requires an argument`);
      const n = ip4(v);
      if (n === undefined) return paramError(`Invalid IP address \`${v}'`);
      set(n);
      return undefined;
    };
    const port = (set: (n: number) => void): CommandResult | undefined => {
      // Port options exist only once -p loaded the protocol's options (conntrack.c).
      if (f.proto === undefined || f.proto === 1) return paramError(`unknown option \`${a}'`);
      const v = value();
      if (v === undefined || !/^\d+$/.test(v)) return paramError(`invalid port \`${v ?? ''}'`);
      set(Number(v));
      return undefined;
    };
    let e: CommandResult | undefined;
    switch (a) {
      case '-p': case '--protonum': case '--proto': {
        const v = value();
        const n = v === undefined ? undefined : PROTOS[v.toLowerCase()];
        if (n === undefined) return paramError(`\`${v ?? ''}' unsupported protocol`);
        f.proto = n;
        break;
      }
      case '-s': case '--src': case '--orig-src': e = addr((n) => { f.src = n; }); break;
      case '-d': case '--dst': case '--orig-dst': e = addr((n) => { f.dst = n; }); break;
      case '-r': case '--reply-src': e = addr((n) => { f.replySrc = n; }); break;
      case '-q': case '--reply-dst': e = addr((n) => { f.replyDst = n; }); break;
      case '--sport': case '--orig-port-src': e = port((n) => { f.sport = n; }); break;
      case '--dport': case '--orig-port-dst': e = port((n) => { f.dport = n; }); break;
      case '--reply-port-src': e = port((n) => { f.replySport = n; }); break;
      case '--reply-port-dst': e = port((n) => { f.replyDport = n; }); break;
      case '-n': case '--src-nat': {
        const v = argv[i + 1];
        if (v !== undefined && ip4(v) !== undefined) { f.srcNat = ip4(v)!; i++; } else f.srcNat = true;
        break;
      }
      case '-g': case '--dst-nat': {
        const v = argv[i + 1];
        if (v !== undefined && ip4(v) !== undefined) { f.dstNat = ip4(v)!; i++; } else f.dstNat = true;
        break;
      }
      case '-f': case '--family': {
        const v = value();
        if (v !== 'ipv4') return v === 'ipv6' ? { stdout: '', stderr: `${PROG}: 0 flow entries have been shown.\n`, exitCode: 0 } : paramError(`Unknown family \`${v ?? ''}'`);
        break;
      }
      case '-o': case '--output': output = value(); break;
      case '-e': case '--event-mask': case '-m': case '--mark': case '-w': case '--zone': value(); break;
      case '-z': case '--zero': break;
      default:
        if (a.startsWith('-')) return paramError(`unknown option \`${a}'`);
        return paramError(`Bad parameter \`${a}'`);
    }
    if (e) return e;
  }
  void output;
  if (!cmd) return { stdout: CONNTRACK_HELP, stderr: '', exitCode: 0 };
  const selected = (): CtEntry[] => ct.list().filter((e) => matches(e, f));
  switch (cmd) {
    case 'L': {
      const list = selected();
      return { stdout: list.map((e) => ct.format(e) + '\n').join(''), stderr: `${PROG}: ${list.length} flow entries have been shown.\n`, exitCode: 0 };
    }
    case 'D': {
      const list = selected();
      for (const e of list) ct.delete({ proto: e.orig.proto, src: e.orig.src, dst: e.orig.dst, sport: e.orig.sport, dport: e.orig.dport });
      return { stdout: list.map((e) => ct.format(e) + '\n').join(''), stderr: `${PROG}: ${list.length} flow entries have been deleted.\n`, exitCode: list.length ? 0 : 1 };
    }
    case 'F': {
      ct.flush();
      return { stdout: '', stderr: `${PROG}: connection tracking table has been emptied.\n`, exitCode: 0 };
    }
    case 'C':
      return { stdout: `${ct.count()}\n`, stderr: '', exitCode: 0 };
    case 'G': {
      if (f.proto === undefined) return paramError("You need to supply the `--protonum' option for this command");
      const list = selected();
      if (list.length === 0) return { stdout: '', stderr: `${PROG}: error: Operation failed: such conntrack doesn't exist\n`, exitCode: 1 };
      return { stdout: ct.format(list[0]!) + '\n', stderr: `${PROG}: 1 flow entries have been shown.\n`, exitCode: 0 };
    }
    default:
      // -E follows events forever, -S reads per-CPU kernel statistics, -I/-U write entries: not emulated.
      return { stdout: '', stderr: `${PROG}: Operation not supported\n`, exitCode: 1 };
  }
}

export const conntrack: CommandModule = {
  name: 'conntrack',
  help: CONNTRACK_HELP,
  async execute(argv, ctx) {
    const node = requireNode(ctx, 'conntrack');
    if ('exitCode' in node) return node;
    const h = nodeHost(ctx, node.name);
    if ('exitCode' in h) return h;
    return run(argv, h.conntrack);
  },
};
