/**
 * The match and target extensions: how each parses its options (libxt_*.c *_parse), checks
 * them (*_check), saves them (*_save, the iptables-save form) and prints them (*_print, the
 * iptables -L form). Wording of errors follows the extensions' xtables_error calls, checked
 * against iptables v1.8.9 (nf_tables).
 */
import { formatIPv4, hex, listAddr, maskOf, parseAddr, parseIPv4, parsePort, parseUInt32, portName, prefixOfMask, saveAddr } from './addr';
import {
  ADDR_TYPES, CT_STATES, type AddrType, type CtState, type Inv, type IpvsMethod, type Match, type MatchKind, type NatRange,
  type PortRange, type RejectWith, type Rule, type Target,
} from './types';

/** A parameter problem: printed as `iptables v1.8.9 (nf_tables): MSG` + the "Try" line, exit 2. */
export class ParamError {
  /** `warning`: stderr lines printed before the error (e.g. a deprecation note). */
  constructor(readonly message: string, readonly warning = '') {}
}

type Opt = { name: string; arg: boolean };

export interface MatchExt {
  name: MatchKind;
  options: readonly Opt[];
  init(): Match;
  parse(m: Match, opt: string, arg: string | undefined, inv: boolean): ParamError | undefined;
  check?(m: Match, rule: Rule): ParamError | undefined;
}

// ---------- shared helpers ----------

function parsePortRange(text: string): PortRange | undefined {
  const i = text.indexOf(':');
  if (i < 0) {
    const p = parsePort(text);
    return p === undefined ? undefined : { from: p, to: p };
  }
  const a = text.slice(0, i) === '' ? 0 : parsePort(text.slice(0, i));
  const b = text.slice(i + 1) === '' ? 65535 : parsePort(text.slice(i + 1));
  if (a === undefined || b === undefined) return undefined;
  return { from: a, to: b };
}

function badPort(text: string): ParamError {
  const i = text.indexOf(':');
  const bad = i < 0 ? text : parsePort(text.slice(0, i)) === undefined && text.slice(0, i) !== '' ? text.slice(0, i) : text.slice(i + 1);
  return new ParamError(`invalid port/service \`${bad}' specified`);
}

function savePortRange(r: PortRange): string {
  return r.from === r.to ? `${r.from}` : `${r.from}:${r.to}`;
}

export function inRange(r: PortRange, p: number): boolean {
  return p >= r.from && p <= r.to;
}

// ---------- tcp / udp / sctp ----------

function portExt(name: 'tcp' | 'udp' | 'sctp'): MatchExt {
  return {
    name,
    options: [
      { name: '--sport', arg: true }, { name: '--source-port', arg: true },
      { name: '--dport', arg: true }, { name: '--destination-port', arg: true },
    ],
    init: () => ({ kind: name }),
    parse(m, opt, arg, inv) {
      const mm = m as Extract<Match, { kind: 'tcp' | 'udp' | 'sctp' }>;
      const r = parsePortRange(arg!);
      if (!r) return badPort(arg!);
      if (opt === '--sport' || opt === '--source-port') mm.sport = { value: r, inv };
      else mm.dport = { value: r, inv };
      return undefined;
    },
    check(_m, rule) {
      // Without -p: a parameter problem; with another protocol the kernel refuses it (EINVAL).
      if (!rule.proto) return new ParamError(`${name.toUpperCase()} match requires '-p ${name}'`);
      return undefined;
    },
  };
}

const ICMP_TYPES: Readonly<Record<string, [number, number, number]>> = {
  any: [0xff, 0, 0xff], 'echo-reply': [0, 0, 0xff], pong: [0, 0, 0xff], 'destination-unreachable': [3, 0, 0xff],
  'network-unreachable': [3, 0, 0], 'host-unreachable': [3, 1, 1], 'protocol-unreachable': [3, 2, 2],
  'port-unreachable': [3, 3, 3], 'fragmentation-needed': [3, 4, 4], 'network-prohibited': [3, 9, 9],
  'host-prohibited': [3, 10, 10], 'communication-prohibited': [3, 13, 13], 'source-quench': [4, 0, 0xff], redirect: [5, 0, 0xff], 'echo-request': [8, 0, 0xff],
  ping: [8, 0, 0xff], 'time-exceeded': [11, 0, 0xff], ttl: [11, 0, 0xff], 'parameter-problem': [12, 0, 0xff],
  'timestamp-request': [13, 0, 0xff], 'timestamp-reply': [14, 0, 0xff],
};
const ICMP_ALIASES = new Set(['pong', 'ping', 'ttl']);
const ICMP_NAMES: ReadonlyMap<string, string> = new Map(
  Object.entries(ICMP_TYPES).filter(([n]) => !ICMP_ALIASES.has(n)).map(([n, v]) => [v.join('/'), n] as [string, string]),
);

const icmpExt: MatchExt = {
  name: 'icmp',
  options: [{ name: '--icmp-type', arg: true }],
  init: () => ({ kind: 'icmp' }),
  parse(m, _opt, arg, inv) {
    const mm = m as Extract<Match, { kind: 'icmp' }>;
    const named = ICMP_TYPES[arg!];
    let v: [number, number, number] | undefined = named;
    const num = /^(\d+)(?:\/(\d+))?$/.exec(arg!);
    if (!v && num) {
      const t = Number(num[1]);
      const c = num[2] === undefined ? undefined : Number(num[2]);
      if (t <= 255 && (c === undefined || c <= 255)) v = [t, c ?? 0, c ?? 0xff];
    }
    if (!v) return new ParamError(`Invalid ICMP type \`${arg}'\n`);
    mm.icmpType = { value: { type: v[0], codeMin: v[1], codeMax: v[2] }, inv };
    return undefined;
  },
  check(_m, rule) {
    if (!rule.proto) return new ParamError("ICMP match requires '-p icmp'");
    return undefined;
  },
};

// ---------- multiport ----------

const multiportExt: MatchExt = {
  name: 'multiport',
  options: [
    { name: '--sports', arg: true }, { name: '--source-ports', arg: true },
    { name: '--dports', arg: true }, { name: '--destination-ports', arg: true }, { name: '--ports', arg: true },
  ],
  init: () => ({ kind: 'multiport', dir: 'dports', ports: [], inv: false }),
  parse(m, opt, arg, inv) {
    const mm = m as Extract<Match, { kind: 'multiport' }>;
    mm.dir = opt === '--sports' || opt === '--source-ports' ? 'sports' : opt === '--ports' ? 'ports' : 'dports';
    mm.inv = inv;
    const ports: PortRange[] = [];
    let slots = 0;
    for (const part of arg!.split(',')) {
      const r = parsePortRange(part);
      if (!r || part.endsWith(':') || part.startsWith(':')) return badPort(part);
      slots += r.from === r.to ? 1 : 2;
      ports.push(r);
    }
    if (slots > 15) return new ParamError('too many ports specified');
    mm.ports = ports;
    return undefined;
  },
  check(_m, rule) {
    if (![6, 17, 132, 136, 33].includes(rule.proto ?? 0) || rule.protoInv) {
      return new ParamError("multiport needs `-p tcp', `-p udp', `-p udplite', `-p sctp' or `-p dccp'");
    }
    return undefined;
  },
};

// ---------- comment ----------

const commentExt: MatchExt = {
  name: 'comment',
  options: [{ name: '--comment', arg: true }],
  init: () => ({ kind: 'comment', comment: '\u0000unset' }),
  parse(m, _opt, arg, inv) {
    if (inv) return new ParamError('comment: unexpected `!\' with --comment');
    if (arg!.length > 255) return new ParamError('comment: option "--comment" must be at most 255 characters long');
    (m as Extract<Match, { kind: 'comment' }>).comment = arg!;
    return undefined;
  },
  check(m) {
    if ((m as Extract<Match, { kind: 'comment' }>).comment === '\u0000unset') {
      return new ParamError('comment: option "--comment" must be specified\n');
    }
    return undefined;
  },
};

// ---------- addrtype ----------

function parseTypes(text: string): AddrType[] | ParamError {
  const out = new Set<AddrType>();
  for (const t of text.split(',')) {
    const u = t.toUpperCase() as AddrType;
    if (!ADDR_TYPES.includes(u)) return new ParamError(`addrtype: bad type "${t}"`);
    out.add(u);
  }
  return ADDR_TYPES.filter((t) => out.has(t));
}

const addrtypeExt: MatchExt = {
  name: 'addrtype',
  options: [
    { name: '--src-type', arg: true }, { name: '--dst-type', arg: true },
    { name: '--limit-iface-in', arg: false }, { name: '--limit-iface-out', arg: false },
  ],
  init: () => ({ kind: 'addrtype', limitIfaceIn: false, limitIfaceOut: false }),
  parse(m, opt, arg, inv) {
    const mm = m as Extract<Match, { kind: 'addrtype' }>;
    if (opt === '--limit-iface-in') mm.limitIfaceIn = true;
    else if (opt === '--limit-iface-out') mm.limitIfaceOut = true;
    else {
      const t = parseTypes(arg!);
      if (t instanceof ParamError) return t;
      if (opt === '--src-type') mm.srcType = { value: t, inv };
      else mm.dstType = { value: t, inv };
    }
    return undefined;
  },
  check(m) {
    const mm = m as Extract<Match, { kind: 'addrtype' }>;
    if (!mm.srcType && !mm.dstType) return new ParamError('addrtype: you must specify --src-type or --dst-type');
    if (mm.limitIfaceIn && mm.limitIfaceOut) return new ParamError('addrtype: you can\'t specify both --limit-iface-in and --limit-iface-out');
    return undefined;
  },
};

// ---------- mark ----------

function parseValueMask(text: string): { value: number; mask: number } | undefined {
  const [v, m, extra] = text.split('/');
  if (extra !== undefined) return undefined;
  const value = parseUInt32(v ?? '');
  const mask = m === undefined ? 0xffffffff : parseUInt32(m);
  if (value === undefined || mask === undefined) return undefined;
  return { value, mask };
}

const markExt: MatchExt = {
  name: 'mark',
  options: [{ name: '--mark', arg: true }],
  init: () => ({ kind: 'mark', value: 0, mask: 0xffffffff, inv: false }),
  parse(m, _opt, arg, inv) {
    const vm = parseValueMask(arg!);
    if (!vm) return new ParamError(`mark: bad value for option "--mark", or out of range (0-4294967295).\n`);
    Object.assign(m, vm, { inv });
    return undefined;
  },
};

// ---------- conntrack / state ----------

function parseStates(text: string, what: string): CtState[] | ParamError {
  const out = new Set<CtState>();
  for (const s of text.split(',')) {
    const u = s.toUpperCase() as CtState;
    if (!CT_STATES.includes(u)) return new ParamError(`Bad ${what} "${s}"`);
    out.add(u);
  }
  return CT_STATES.filter((s) => out.has(s));
}

const conntrackExt: MatchExt = {
  name: 'conntrack',
  options: [
    { name: '--ctstate', arg: true }, { name: '--ctproto', arg: true }, { name: '--ctorigsrc', arg: true },
    { name: '--ctorigdst', arg: true }, { name: '--ctreplsrc', arg: true }, { name: '--ctrepldst', arg: true },
    { name: '--ctdir', arg: true },
  ],
  init: () => ({ kind: 'conntrack' }),
  parse(m, opt, arg, inv) {
    const mm = m as Extract<Match, { kind: 'conntrack' }>;
    switch (opt) {
      case '--ctstate': {
        const s = parseStates(arg!, 'ctstate');
        if (s instanceof ParamError) return s;
        mm.ctstate = { value: s, inv };
        return undefined;
      }
      case '--ctproto': {
        const p = protoNumber(arg!);
        if (p === undefined) return new ParamError(`unknown protocol "${arg}" specified`);
        mm.ctproto = { value: p, inv };
        return undefined;
      }
      case '--ctdir': {
        const d = arg!.toUpperCase();
        if (d !== 'ORIGINAL' && d !== 'REPLY') return new ParamError(`conntrack: bad value for option "--ctdir", or out of range.`);
        mm.ctdir = d;
        return undefined;
      }
      default: {
        const a = parseAddr(arg!, inv);
        if (!a) return new ParamError(`host/network \`${arg}' not found`);
        const key = opt.slice(2) as 'ctorigsrc' | 'ctorigdst' | 'ctreplsrc' | 'ctrepldst';
        mm[key] = a;
        return undefined;
      }
    }
  },
};

const stateExt: MatchExt = {
  name: 'state',
  options: [{ name: '--state', arg: true }],
  init: () => ({ kind: 'state', states: [], inv: false }),
  parse(m, _opt, arg, inv) {
    const s = parseStates(arg!, 'state');
    if (s instanceof ParamError) return s;
    Object.assign(m, { states: s, inv });
    return undefined;
  },
};

// ---------- statistic ----------

const statisticExt: MatchExt = {
  name: 'statistic',
  options: [
    { name: '--mode', arg: true }, { name: '--probability', arg: true },
    { name: '--every', arg: true }, { name: '--packet', arg: true },
  ],
  init: () => ({ kind: 'statistic', mode: 'random', probability: -1, inv: false }),
  parse(m, opt, arg, inv) {
    const mm = m as Record<string, unknown>;
    if (inv && opt !== '--probability' && opt !== '--every') return new ParamError(`statistic: option "${opt}" cannot be inverted.\n`);
    if (inv) mm.inv = true;
    switch (opt) {
      case '--mode':
        if (arg === 'random') mm.mode = 'random';
        else if (arg === 'nth') {
          mm.mode = 'nth';
          mm.every ??= -1;
          mm.packet ??= 0;
        } else return new ParamError(`statistic: Bad value for option "--mode", or out of range ("${arg}").`);
        return undefined;
      case '--probability': {
        const p = Number(arg);
        if (!/^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(arg!) || !(p >= 0 && p <= 1)) {
          return new ParamError('statistic: bad value for option "--probability", or out of range (0-1).\n');
        }
        // libxt_statistic: probability = lround(0x80000000 * p), printed back as x / 0x80000000.
        mm.probability = Math.round(0x80000000 * p);
        return undefined;
      }
      case '--every': {
        const n = parseUInt32(arg!);
        if (n === undefined || n === 0) return new ParamError('statistic: bad value for option "--every", or out of range (1-4294967295).\n');
        mm.every = n;
        return undefined;
      }
      default: {
        const n = parseUInt32(arg!);
        if (n === undefined) return new ParamError('statistic: bad value for option "--packet", or out of range (0-4294967295).\n');
        mm.packet = n;
        mm.packetSet = true;
        return undefined;
      }
    }
  },
  check(m) {
    const mm = m as Record<string, unknown>;
    if (mm.mode === 'random') {
      if ((mm.probability as number) < 0) return new ParamError('statistic: --probability must be specified in random mode');
      if ('every' in mm) delete mm.every;
      if ('packet' in mm) delete mm.packet;
    } else {
      if ((mm.every as number) < 0) return new ParamError('statistic: option "--mode nth" also requires "--every".\n');
      if (!mm.packetSet) return new ParamError('statistic: option "--every" also requires "--packet".\n');
      delete mm.packetSet;
      if ((mm.packet as number) > (mm.every as number) - 1) return new ParamError('statistic: --packet must be less than --every');
      delete mm.probability;
    }
    return undefined;
  },
};

// ---------- recent ----------

const recentExt: MatchExt = {
  name: 'recent',
  options: [
    { name: '--set', arg: false }, { name: '--rcheck', arg: false }, { name: '--update', arg: false },
    { name: '--remove', arg: false }, { name: '--seconds', arg: true }, { name: '--reap', arg: false },
    { name: '--hitcount', arg: true }, { name: '--rttl', arg: false }, { name: '--name', arg: true },
    { name: '--mask', arg: true }, { name: '--rsource', arg: false }, { name: '--rdest', arg: false },
  ],
  init: () => ({
    kind: 'recent', cmd: 'set', inv: false, seconds: 0, reap: false, hitcount: 0, rttl: false,
    name: 'DEFAULT', mask: 0xffffffff, side: 'source', ...{ unset: true },
  }),
  parse(m, opt, arg, inv) {
    const mm = m as Extract<Match, { kind: 'recent' }> & { unset?: boolean };
    switch (opt) {
      case '--set': case '--rcheck': case '--update': case '--remove':
        if (!mm.unset) return new ParamError('recent: only one of `--set\', `--rcheck\' `--update\' or `--remove\' may be set');
        mm.cmd = opt.slice(2) as 'set';
        mm.inv = inv;
        delete mm.unset;
        return undefined;
      case '--seconds': {
        const n = parseUInt32(arg!);
        if (n === undefined) return new ParamError('recent: bad value for option "--seconds", or out of range (0-4294967295).\n');
        mm.seconds = n;
        return undefined;
      }
      case '--hitcount': {
        const n = parseUInt32(arg!);
        if (n === undefined) return new ParamError('recent: bad value for option "--hitcount", or out of range (0-4294967295).\n');
        mm.hitcount = n;
        return undefined;
      }
      case '--reap': mm.reap = true; return undefined;
      case '--rttl': mm.rttl = true; return undefined;
      case '--name': mm.name = arg!; return undefined;
      case '--mask': {
        const ip = parseAddr(arg!, false);
        if (!ip || ip.bits !== 32) return new ParamError(`recent: bad value for option "--mask".`);
        mm.mask = ip.base;
        return undefined;
      }
      case '--rsource': mm.side = 'source'; return undefined;
      default: mm.side = 'dest'; return undefined;
    }
  },
  check(m) {
    const mm = m as Extract<Match, { kind: 'recent' }> & { unset?: boolean };
    if (mm.unset) return new ParamError('recent: you must specify one of `--set\', `--rcheck\' `--update\' or `--remove\'');
    if (mm.reap && !mm.seconds) return new ParamError('recent: --reap must be used with --seconds');
    if ((mm.seconds || mm.hitcount) && (mm.cmd === 'set' || mm.cmd === 'remove')) {
      return new ParamError('recent: --seconds and --hitcount are only valid with --rcheck or --update');
    }
    return undefined;
  },
};

// ---------- set ----------

const setExt: MatchExt = {
  name: 'set',
  options: [{ name: '--match-set', arg: true }, { name: '--set', arg: true }],
  init: () => ({ kind: 'set', name: '', flags: [], inv: false }),
  parse() {
    return undefined; // handled specially: --match-set takes two arguments (see rulespec.ts)
  },
  check(m) {
    if (!(m as Extract<Match, { kind: 'set' }>).name) return new ParamError('You must specify `--match-set\' with proper arguments');
    return undefined;
  },
};

// ---------- physdev ----------

/** xtopt's repeat error (options without XTOPT_MULTI). */
const onlyOnce = (ext: string, opt: string): ParamError => new ParamError(`${ext}: option "${opt}" can only be used once.\n`);

const physdevExt: MatchExt = {
  name: 'physdev',
  options: [
    { name: '--physdev-in', arg: true }, { name: '--physdev-out', arg: true },
    { name: '--physdev-is-in', arg: false }, { name: '--physdev-is-out', arg: false }, { name: '--physdev-is-bridged', arg: false },
  ],
  init: () => ({ kind: 'physdev' }),
  parse(m, opt, arg, inv) {
    const mm = m as Extract<Match, { kind: 'physdev' }>;
    const key = ({
      '--physdev-in': 'physIn', '--physdev-out': 'physOut', '--physdev-is-in': 'isIn',
      '--physdev-is-out': 'isOut', '--physdev-is-bridged': 'isBridged',
    } as const)[opt as '--physdev-in']!;
    if (mm[key]) return onlyOnce('physdev', opt);
    if (key === 'physIn' || key === 'physOut') {
      // xtables_parse_interface: at most IFNAMSIZ-1 characters, a trailing `+` is a prefix match.
      if (arg!.length > 15) return new ParamError(`interface name \`${arg}' must be shorter than IFNAMSIZ (15)`);
      const wildcard = arg!.endsWith('+');
      mm[key] = { name: wildcard ? arg!.slice(0, -1) : arg!, wildcard, inv };
    } else mm[key as 'isIn'] = { inv };
    return undefined;
  },
  check(m) {
    const mm = m as Extract<Match, { kind: 'physdev' }>;
    if (!mm.physIn && !mm.physOut && !mm.isIn && !mm.isOut && !mm.isBridged) return new ParamError('PHYSDEV: no physdev option specified');
    return undefined;
  },
};

// ---------- ipvs ----------

const IPVS_METHODS: readonly IpvsMethod[] = ['GATE', 'IPIP', 'MASQ'];

/** XTTYPE_HOSTMASK: `addr[/len|/dotted-mask]`, host bits kept. */
function parseHostMask(text: string): { addr: number; mask: number } | undefined {
  const slash = text.indexOf('/');
  const addr = parseIPv4(slash < 0 ? text : text.slice(0, slash));
  if (addr === undefined) return undefined;
  if (slash < 0) return { addr, mask: 0xffffffff };
  const m = text.slice(slash + 1);
  if (/^\d{1,2}$/.test(m)) return Number(m) > 32 ? undefined : { addr, mask: maskOf(Number(m)) };
  const mask = parseIPv4(m);
  return mask === undefined ? undefined : { addr, mask };
}

/** xtables_ipmask_to_numeric: nothing for /32, `/N` for a prefix, else the dotted mask. */
function maskText(mask: number): string {
  if (mask >>> 0 === 0xffffffff) return '';
  const bits = prefixOfMask(mask);
  return bits === undefined ? '/' + formatIPv4(mask) : '/' + bits;
}

const ipvsExt: MatchExt = {
  name: 'ipvs',
  options: [
    { name: '--ipvs', arg: false }, { name: '--vproto', arg: true }, { name: '--vaddr', arg: true },
    { name: '--vport', arg: true }, { name: '--vdir', arg: true }, { name: '--vmethod', arg: true },
    { name: '--vportctl', arg: true },
  ],
  init: () => ({ kind: 'ipvs' }),
  parse(m, opt, arg, inv) {
    const mm = m as Extract<Match, { kind: 'ipvs' }>;
    const key = opt.slice(2) as 'ipvs' | 'vproto' | 'vaddr' | 'vport' | 'vdir' | 'vmethod' | 'vportctl';
    if (mm[key] !== undefined) return onlyOnce('ipvs', opt);
    switch (key) {
      case 'ipvs': mm.ipvs = { inv }; return undefined;
      case 'vdir': {
        if (inv) return new ParamError('ipvs: option "--vdir" cannot be inverted.\n');
        const d = arg!.toUpperCase();
        if (d !== 'ORIGINAL' && d !== 'REPLY') return new ParamError(`ipvs: Bad value for "--vdir" option: "${arg}"`);
        mm.vdir = d;
        return undefined;
      }
      case 'vmethod': {
        const v = arg!.toUpperCase() as IpvsMethod;
        if (!IPVS_METHODS.includes(v)) return new ParamError(`ipvs: Bad value for "--vmethod" option: "${arg}"`);
        mm.vmethod = { value: v, inv };
        return undefined;
      }
      case 'vproto': {
        const p = protoNumber(arg!);
        if (p === undefined) return new ParamError(`unknown protocol "${arg}" specified`);
        mm.vproto = { value: p, inv };
        return undefined;
      }
      case 'vaddr': {
        const a = parseHostMask(arg!);
        if (!a) return new ParamError(`host/network \`${arg}' not found`);
        mm.vaddr = { ...a, inv };
        return undefined;
      }
      default: {
        const port = parsePort(arg!);
        if (port === undefined) return new ParamError(`Port "${arg}" does not resolve to anything.\n`);
        mm[key] = { value: port, inv };
        return undefined;
      }
    }
  },
  check(m) {
    const mm = m as Extract<Match, { kind: 'ipvs' }>;
    const others = mm.vproto || mm.vaddr || mm.vport || mm.vdir || mm.vmethod || mm.vportctl;
    if (!mm.ipvs && !others) return new ParamError('IPVS: At least one option is required');
    if (others && mm.ipvs) {
      if (mm.ipvs.inv) return new ParamError('! --ipvs cannot be together with other options');
      // Any other option implies --ipvs; the printers then leave it out.
      delete mm.ipvs;
    }
    return undefined;
  },
};

export const MATCHES: ReadonlyMap<string, MatchExt> = new Map(
  [portExt('tcp'), portExt('udp'), portExt('sctp'), icmpExt, multiportExt, commentExt, addrtypeExt, markExt,
    conntrackExt, stateExt, statisticExt, recentExt, setExt, physdevExt, ipvsExt].map((e) => [e.name, e]),
);

// ---------- protocols ----------

/** xtables_chain_protos (the names iptables itself knows) then /etc/protocols. */
const CHAIN_PROTOS: Readonly<Record<number, string>> = { 6: 'tcp', 132: 'sctp', 17: 'udp', 136: 'udplite', 1: 'icmp', 58: 'icmpv6', 50: 'esp', 51: 'ah', 135: 'mh', 0: 'all' };
const ETC_PROTOCOLS: Readonly<Record<number, string>> = { 2: 'igmp', 4: 'ipencap', 8: 'egp', 41: 'ipv6', 47: 'gre', 89: 'ospf', 103: 'pim', 112: 'vrrp' };
const PROTO_BY_NAME: ReadonlyMap<string, number> = new Map([
  ...Object.entries(CHAIN_PROTOS).map(([n, s]) => [s, Number(n)] as [string, number]),
  ...Object.entries(ETC_PROTOCOLS).map(([n, s]) => [s, Number(n)] as [string, number]),
  ['ipv6-icmp', 58],
]);

export function protoNumber(text: string): number | undefined {
  const c = text.charCodeAt(0);
  if (c >= 48 && c <= 57 && /^\d+$/.test(text)) {
    const n = Number(text);
    return n <= 255 ? n : undefined;
  }
  return PROTO_BY_NAME.get(text.toLowerCase());
}

/** Name for iptables-save and iptables -L (without -n). */
export function protoName(p: number): string {
  return CHAIN_PROTOS[p] ?? ETC_PROTOCOLS[p] ?? String(p);
}

// ---------- targets ----------

export interface TargetExt {
  name: string;
  options: readonly Opt[];
  init(): Target;
  parse(t: Target, opt: string, arg: string | undefined, inv: boolean): ParamError | undefined;
  check?(t: Target): ParamError | undefined;
  /** Tables the kernel accepts the target in; absent = all. */
  tables?: readonly string[];
  /** Built-in chains (hooks) the kernel accepts it in; absent = all. */
  hooks?: readonly string[];
}

const REJECT_ALIASES: Readonly<Record<string, RejectWith>> = {
  'icmp-net-unreachable': 'icmp-net-unreachable', 'net-unreach': 'icmp-net-unreachable',
  'icmp-host-unreachable': 'icmp-host-unreachable', 'host-unreach': 'icmp-host-unreachable',
  'icmp-proto-unreachable': 'icmp-proto-unreachable', 'proto-unreach': 'icmp-proto-unreachable',
  'icmp-port-unreachable': 'icmp-port-unreachable', 'port-unreach': 'icmp-port-unreachable',
  'icmp-net-prohibited': 'icmp-net-prohibited', 'net-prohib': 'icmp-net-prohibited',
  'icmp-host-prohibited': 'icmp-host-prohibited', 'host-prohib': 'icmp-host-prohibited',
  'tcp-reset': 'tcp-reset', 'tcp-rst': 'tcp-reset',
  'icmp-admin-prohibited': 'icmp-admin-prohibited', 'admin-prohib': 'icmp-admin-prohibited',
};

/** The range of a DNAT/SNAT target before --to-destination/--to-source gives one. */
const NO_RANGE: NatRange = Object.freeze({});

/** `--to-destination`/`--to-source` as `ADDR[-ADDR][:PORT[-PORT]]`: the parts of
 *  /^([0-9.]*)(?:-([0-9.]+))?(?::(\d+)(?:-(\d+))?)?$/, read by hand (100k DNAT rules in a
 *  big sync); undefined when the text is not of that form. */
function natRangeParts(text: string): [string, string | undefined, string | undefined, string | undefined] | undefined {
  const n = text.length;
  const run = (from: number, dots: boolean): number => {
    let i = from;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (!((c >= 48 && c <= 57) || (dots && c === 46))) break;
    }
    return i;
  };
  let i = run(0, true);
  const ip1 = text.slice(0, i);
  let ip2: string | undefined;
  let p1: string | undefined;
  let p2: string | undefined;
  if (text.charCodeAt(i) === 45 /* - */) {
    const e = run(i + 1, true);
    if (e > i + 1) {
      ip2 = text.slice(i + 1, e);
      i = e;
    }
  }
  if (text.charCodeAt(i) === 58 /* : */) {
    const e = run(i + 1, false);
    if (e > i + 1) {
      p1 = text.slice(i + 1, e);
      i = e;
      if (text.charCodeAt(i) === 45 /* - */) {
        const e2 = run(i + 1, false);
        if (e2 > i + 1) {
          p2 = text.slice(i + 1, e2);
          i = e2;
        }
      }
    }
  }
  return i === n ? [ip1, ip2, p1, p2] : undefined;
}

export function parseNatRange(text: string, what: 'DNAT' | 'SNAT'): NatRange | ParamError {
  const m = natRangeParts(text);
  const bad = (): ParamError => new ParamError(`Bad IP address "${text}"\n`);
  if (!m) return bad();
  const [ip1, ip2, p1, p2] = m;
  const r: NatRange = {};
  if (ip1) {
    const a = parseAddr(ip1, false);
    if (!a || a.bits !== 32 || ip1.includes('/')) return bad();
    r.ipMin = a.base;
    r.ipMax = a.base;
    if (ip2) {
      const b = parseAddr(ip2, false);
      if (!b) return bad();
      r.ipMax = b.base;
    }
  } else if (!p1) return bad();
  if (p1) {
    const p = Number(p1);
    const q = p2 === undefined ? p : Number(p2);
    if (p > 65535 || q > 65535 || p > q) return new ParamError(`Port "${p1}" not valid\n`);
    r.portMin = p;
    r.portMax = q;
  }
  void what;
  return r;
}

const TARGETS: ReadonlyMap<string, TargetExt> = new Map<string, TargetExt>([
  ['REJECT', {
    name: 'REJECT',
    options: [{ name: '--reject-with', arg: true }],
    init: () => ({ kind: 'REJECT', with: 'icmp-port-unreachable' }),
    parse(t, _o, arg) {
      const w = REJECT_ALIASES[arg!];
      if (!w) return new ParamError(`unknown reject type "${arg}"`);
      (t as Extract<Target, { kind: 'REJECT' }>).with = w;
      return undefined;
    },
    hooks: ['INPUT', 'FORWARD', 'OUTPUT'],
  }],
  ['DNAT', {
    name: 'DNAT',
    options: [{ name: '--to-destination', arg: true }, { name: '--random', arg: false }, { name: '--persistent', arg: false }],
    init: () => ({ kind: 'DNAT', range: NO_RANGE, random: false, persistent: false }),
    parse(t, o, arg) {
      const tt = t as Extract<Target, { kind: 'DNAT' }>;
      if (o === '--random') tt.random = true;
      else if (o === '--persistent') tt.persistent = true;
      else {
        if (tt.range !== NO_RANGE) return new ParamError('DNAT: Multiple --to-destination not supported');
        const r = parseNatRange(arg!, 'DNAT');
        if (r instanceof ParamError) return r;
        tt.range = r;
      }
      return undefined;
    },
    check(t) {
      if ((t as Extract<Target, { kind: 'DNAT' }>).range === NO_RANGE) return new ParamError('DNAT: option "--to-destination" must be specified\n');
      return undefined;
    },
    tables: ['nat'],
    hooks: ['PREROUTING', 'OUTPUT'],
  }],
  ['SNAT', {
    name: 'SNAT',
    options: [{ name: '--to-source', arg: true }, { name: '--random', arg: false }, { name: '--random-fully', arg: false }, { name: '--persistent', arg: false }],
    init: () => ({ kind: 'SNAT', range: NO_RANGE, random: false, randomFully: false, persistent: false }),
    parse(t, o, arg) {
      const tt = t as Extract<Target, { kind: 'SNAT' }>;
      if (o === '--random') tt.random = true;
      else if (o === '--random-fully') tt.randomFully = true;
      else if (o === '--persistent') tt.persistent = true;
      else {
        if (tt.range !== NO_RANGE) return new ParamError('SNAT: Multiple --to-source not supported');
        const r = parseNatRange(arg!, 'SNAT');
        if (r instanceof ParamError) return r;
        tt.range = r;
      }
      return undefined;
    },
    check(t) {
      if ((t as Extract<Target, { kind: 'SNAT' }>).range === NO_RANGE) return new ParamError('SNAT: option "--to-source" must be specified\n');
      return undefined;
    },
    tables: ['nat'],
    hooks: ['POSTROUTING', 'INPUT'],
  }],
  ['MASQUERADE', {
    name: 'MASQUERADE',
    options: [{ name: '--to-ports', arg: true }, { name: '--random', arg: false }, { name: '--random-fully', arg: false }],
    init: () => ({ kind: 'MASQUERADE', random: false, randomFully: false }),
    parse(t, o, arg) {
      const tt = t as Extract<Target, { kind: 'MASQUERADE' }>;
      if (o === '--random') tt.random = true;
      else if (o === '--random-fully') tt.randomFully = true;
      else {
        const m = /^(\d+)(?:-(\d+))?$/.exec(arg!);
        const a = m ? Number(m[1]) : NaN;
        const b = m && m[2] !== undefined ? Number(m[2]) : a;
        if (!m || a > 65535 || b > 65535 || a > b) return new ParamError(`Port "${arg}" not valid\n`);
        tt.ports = { min: a, max: b };
      }
      return undefined;
    },
    tables: ['nat'],
    hooks: ['POSTROUTING'],
  }],
  ['MARK', {
    name: 'MARK',
    options: ['--set-xmark', '--set-mark', '--and-mark', '--or-mark', '--xor-mark'].map((name) => ({ name, arg: true })),
    init: () => ({ kind: 'MARK', value: 0, mask: 0, ...{ unset: '' } }),
    parse(t, o, arg) {
      const tt = t as Extract<Target, { kind: 'MARK' }> & { unset?: string };
      if (tt.unset !== '') return new ParamError(`MARK: option "${tt.unset}" cannot be used together with "${o}".\n`);
      const bad = new ParamError(`MARK: bad value for option "${o}", or out of range (0-4294967295).\n`);
      if (o === '--set-xmark' || o === '--set-mark') {
        const vm = parseValueMask(arg!);
        if (!vm) return bad;
        tt.value = vm.value;
        tt.mask = vm.mask;
      } else {
        const v = parseUInt32(arg!);
        if (v === undefined) return bad;
        // libxt_MARK: and → (0, ~v); or → (v, v); xor → (v, 0).
        if (o === '--and-mark') { tt.value = 0; tt.mask = ~v >>> 0; }
        else if (o === '--or-mark') { tt.value = v; tt.mask = v; }
        else { tt.value = v; tt.mask = 0; }
      }
      tt.unset = o;
      return undefined;
    },
    check(t) {
      const tt = t as { unset?: string };
      if (tt.unset === '') return new ParamError('MARK: One of the --set-xmark, --{and,or,xor,set}-mark options is required');
      delete tt.unset;
      return undefined;
    },
  }],
  ['CONNMARK', {
    name: 'CONNMARK',
    options: [{ name: '--set-xmark', arg: true }, { name: '--set-mark', arg: true }],
    init: () => ({ kind: 'CONNMARK', value: 0, mask: 0 }),
    parse(t, o, arg) {
      const vm = parseValueMask(arg!);
      if (!vm) return new ParamError(`CONNMARK: bad value for option "${o}", or out of range (0-4294967295).\n`);
      Object.assign(t, vm);
      return undefined;
    },
  }],
  ['LOG', {
    name: 'LOG',
    options: [{ name: '--log-prefix', arg: true }, { name: '--log-level', arg: true }],
    init: () => ({ kind: 'LOG', prefix: '', level: 4 }),
    parse(t, o, arg) {
      const tt = t as Extract<Target, { kind: 'LOG' }>;
      if (o === '--log-prefix') {
        if (arg!.length > 29) return new ParamError('Maximum prefix length 29 for --log-prefix');
        tt.prefix = arg!;
      } else {
        const named = LOG_LEVELS.indexOf(arg!);
        const n = /^\d$/.test(arg!) ? Number(arg) : named >= 0 ? named : arg === 'warning' ? 4 : arg === 'panic' ? 0 : -1;
        if (n < 0 || n > 7) return new ParamError(`log-level \`${arg}' unknown`);
        tt.level = n;
      }
      return undefined;
    },
  }],
]);

export const LOG_LEVELS = ['emerg', 'alert', 'crit', 'error', 'warn', 'notice', 'info', 'debug'];

export function findTarget(name: string): TargetExt | undefined {
  return TARGETS.get(name);
}

/** The longest target extension name: a longer `-j NAME` is a chain. */
export const TARGET_NAME_MAX = Math.max(...[...TARGETS.keys()].map((n) => n.length));

// ---------- save (iptables-save / iptables -S form) ----------

const inv = (b: boolean | undefined): string => (b ? ' !' : '');

function saveString(s: string): string {
  // xtables_save_string: bare when only [_-0-9a-zA-Z] (and non-empty), else "..." with \ " ' escaped.
  if (s.length > 0 && /^[_\-0-9a-zA-Z]+$/.test(s)) return ' ' + s;
  return ' "' + s.replace(/["\\']/g, (c) => '\\' + c) + '"';
}

export function saveMatch(m: Match): string {
  switch (m.kind) {
    case 'tcp': case 'udp': case 'sctp': {
      let s = '';
      if (m.sport && !(m.sport.value.from === 0 && m.sport.value.to === 65535 && !m.sport.inv)) s += `${inv(m.sport.inv)} --sport ${savePortRange(m.sport.value)}`;
      if (m.dport && !(m.dport.value.from === 0 && m.dport.value.to === 65535 && !m.dport.inv)) s += `${inv(m.dport.inv)} --dport ${savePortRange(m.dport.value)}`;
      return s;
    }
    case 'icmp': {
      if (!m.icmpType) return '';
      const t = m.icmpType.value;
      if (t.type === 0xff) return `${inv(m.icmpType.inv)} --icmp-type any`;
      return `${inv(m.icmpType.inv)} --icmp-type ${t.type}${t.codeMin === 0 && t.codeMax === 0xff ? '' : `/${t.codeMin}`}`; // libxt_icmp save
    }
    case 'multiport':
      return `${inv(m.inv)} --${m.dir} ${m.ports.map(savePortRange).join(',')}`;
    case 'comment':
      return ' --comment' + saveString(m.comment);
    case 'addrtype': {
      let s = '';
      if (m.srcType) s += `${inv(m.srcType.inv)} --src-type ${m.srcType.value.join(',')}`;
      if (m.dstType) s += `${inv(m.dstType.inv)} --dst-type ${m.dstType.value.join(',')}`;
      if (m.limitIfaceIn) s += ' --limit-iface-in';
      if (m.limitIfaceOut) s += ' --limit-iface-out';
      return s;
    }
    case 'mark':
      return `${inv(m.inv)} --mark ${hex(m.value)}${m.mask === 0xffffffff ? '' : '/' + hex(m.mask)}`;
    case 'conntrack': {
      let s = '';
      if (m.ctstate) s += `${inv(m.ctstate.inv)} --ctstate ${m.ctstate.value.join(',')}`;
      if (m.ctproto) s += `${inv(m.ctproto.inv)} --ctproto ${m.ctproto.value}`;
      for (const k of ['ctorigsrc', 'ctorigdst', 'ctreplsrc', 'ctrepldst'] as const) {
        const a = m[k];
        if (a) s += `${inv(a.inv)} --${k} ${formatIPv4(a.base)}${a.bits === 32 ? '' : '/' + a.bits}`;
      }
      if (m.ctdir) s += ` --ctdir ${m.ctdir}`;
      return s;
    }
    case 'state':
      return `${inv(m.inv)} --state ${m.states.join(',')}`;
    case 'statistic':
      if (m.mode === 'random') return ` --mode random${inv(m.inv)} --probability ${(m.probability / 0x80000000).toFixed(11)}`;
      return ` --mode nth${inv(m.inv)} --every ${m.every} --packet ${m.packet}`;
    case 'recent': {
      let s = inv(m.inv) + ` --${m.cmd}`;
      if (m.seconds) s += ` --seconds ${m.seconds}`;
      if (m.reap) s += ' --reap';
      if (m.hitcount) s += ` --hitcount ${m.hitcount}`;
      if (m.rttl) s += ' --rttl';
      s += ` --name ${m.name} --mask ${formatIPv4(m.mask)}`;
      s += m.side === 'source' ? ' --rsource' : ' --rdest';
      return s;
    }
    case 'set':
      return `${m.inv ? ' !' : ''} --match-set ${m.name} ${m.flags.join(',')}`;
    case 'physdev':
      return physdevText(m);
    case 'ipvs':
      return ipvsText(m, true, '--');
  }
}

/** libxt_physdev save; print is the same after ` PHYSDEV match`. */
function physdevText(m: Extract<Match, { kind: 'physdev' }>): string {
  const name = (i: { name: string; wildcard: boolean }): string => i.name + (i.wildcard ? '+' : '');
  let s = '';
  if (m.isIn) s += `${inv(m.isIn.inv)} --physdev-is-in`;
  if (m.physIn) s += `${inv(m.physIn.inv)} --physdev-in ${name(m.physIn)}`;
  if (m.isOut) s += `${inv(m.isOut.inv)} --physdev-is-out`;
  if (m.physOut) s += `${inv(m.physOut.inv)} --physdev-out ${name(m.physOut)}`;
  if (m.isBridged) s += `${inv(m.isBridged.inv)} --physdev-is-bridged`;
  return s;
}

/** libxt_ipvs ipvs_mt_dump: save is `prefix` `--` and numeric; -L has no prefix. */
function ipvsText(m: Extract<Match, { kind: 'ipvs' }>, numeric: boolean, prefix: string): string {
  let s = '';
  if (m.ipvs) s += `${inv(m.ipvs.inv)} ${prefix}ipvs`;
  if (m.vproto) s += `${inv(m.vproto.inv)} ${prefix}vproto ${m.vproto.value}`;
  if (m.vaddr) {
    s += `${inv(m.vaddr.inv)} ${prefix}vaddr`;
    if (!numeric && m.vaddr.addr === 0) s += ' anywhere';
    else {
      const ip = formatIPv4(m.vaddr.addr);
      s += ` ${!numeric && ip === '127.0.0.1' ? 'localhost' : ip}${maskText(m.vaddr.mask)}`;
    }
  }
  if (m.vport) s += `${inv(m.vport.inv)} ${prefix}vport ${m.vport.value}`;
  if (m.vdir) s += ` ${prefix}vdir ${m.vdir}`;
  if (m.vmethod) s += `${inv(m.vmethod.inv)} ${prefix}vmethod ${m.vmethod.value}`;
  if (m.vportctl) s += `${inv(m.vportctl.inv)} ${prefix}vportctl ${m.vportctl.value}`;
  return s;
}

function saveNatRange(r: NatRange): string {
  let s = '';
  if (r.ipMin !== undefined) {
    s += formatIPv4(r.ipMin);
    if (r.ipMax !== undefined && r.ipMax !== r.ipMin) s += '-' + formatIPv4(r.ipMax);
  }
  if (r.portMin !== undefined) {
    s += ':' + r.portMin;
    if (r.portMax !== undefined && r.portMax !== r.portMin) s += '-' + r.portMax;
  }
  return s;
}

/** The target part of a saved rule: ` -j DNAT --to-destination 10.244.1.2:80`. */
export function saveTarget(t: Target): string {
  switch (t.kind) {
    case 'none': return '';
    case 'verdict': return ` -j ${t.verdict}`;
    case 'jump': return ` ${t.goto ? '-g' : '-j'} ${t.chain}`;
    case 'REJECT': return ` -j REJECT --reject-with ${t.with}`;
    case 'DNAT': return ` -j DNAT --to-destination ${saveNatRange(t.range)}${t.random ? ' --random' : ''}${t.persistent ? ' --persistent' : ''}`;
    case 'SNAT': return ` -j SNAT --to-source ${saveNatRange(t.range)}${t.random ? ' --random' : ''}${t.randomFully ? ' --random-fully' : ''}${t.persistent ? ' --persistent' : ''}`;
    case 'MASQUERADE': {
      let s = ' -j MASQUERADE';
      if (t.ports) s += ` --to-ports ${t.ports.min}${t.ports.max !== t.ports.min ? '-' + t.ports.max : ''}`;
      if (t.random) s += ' --random';
      if (t.randomFully) s += ' --random-fully';
      return s;
    }
    case 'MARK': return ` -j MARK --set-xmark ${hex(t.value)}/${hex(t.mask)}`;
    case 'CONNMARK': return ` -j CONNMARK --set-xmark ${hex(t.value)}/${hex(t.mask)}`;
    case 'LOG': {
      let s = ' -j LOG';
      if (t.prefix !== '') s += ' --log-prefix' + saveString(t.prefix);
      if (t.level !== 4) s += ` --log-level ${t.level}`;
      return s;
    }
  }
}

// ---------- print (iptables -L form) ----------

function printPorts(name: string, r: Inv<PortRange> | undefined, numeric: boolean, proto: number): string {
  if (!r) return '';
  const { from, to } = r.value;
  if (from === 0 && to === 65535 && !r.inv) return '';
  const i = r.inv ? '!' : '';
  if (from === to) return ` ${name}:${i}${portName(from, numeric, proto)}`;
  return ` ${name}s:${i}${portName(from, numeric, proto)}:${portName(to, numeric, proto)}`;
}

/** `proto`: the rule's -p, for service names of multiport ports. */
export function printMatch(m: Match, numeric: boolean, proto = 6): string {
  switch (m.kind) {
    case 'tcp': case 'udp': case 'sctp':
      {
        const p = m.kind === 'udp' ? 17 : m.kind === 'sctp' ? 132 : 6;
        return ` ${m.kind}${printPorts('spt', m.sport, numeric, p)}${printPorts('dpt', m.dport, numeric, p)}`;
      }
    case 'icmp': {
      if (!m.icmpType) return ' icmp';
      const t = m.icmpType.value;
      const i = m.icmpType.inv ? '!' : '';
      if (numeric) {
        return ` icmptype ${i}${t.type}${t.codeMin === 0 && t.codeMax === 0xff ? '' : ` code ${t.codeMin}`}`;
      }
      const name = ICMP_NAMES.get(`${t.type}/${t.codeMin}/${t.codeMax}`);
      if (name) return ` icmp ${i}${name}`;
      return ` icmp ${i}type ${t.type}${t.codeMin === 0 && t.codeMax === 0xff ? '' : ` code ${t.codeMin}`}`;
    }
    case 'multiport': {
      const ports = m.ports.map((r) => (r.from === r.to ? portName(r.from, numeric, proto) : `${portName(r.from, numeric, proto)}:${portName(r.to, numeric, proto)}`)).join(',');
      return ` multiport ${m.dir} ${m.inv ? ' !' : ''}${ports}`;
    }
    case 'comment':
      return ` /* ${m.comment} */`;
    case 'addrtype': {
      let s = ' ADDRTYPE match';
      if (m.srcType) s += ` src-type ${m.srcType.inv ? '!' : ''}${m.srcType.value.join(',')}`;
      if (m.dstType) s += ` dst-type ${m.dstType.inv ? '!' : ''}${m.dstType.value.join(',')}`;
      if (m.limitIfaceIn) s += ' limit-in';
      if (m.limitIfaceOut) s += ' limit-out';
      return s;
    }
    case 'mark':
      return ` mark match ${m.inv ? '! ' : ''}${hex(m.value)}${m.mask === 0xffffffff ? '' : '/' + hex(m.mask)}`;
    case 'conntrack': {
      let s = '';
      if (m.ctstate) s += `${m.ctstate.inv ? ' !' : ''} ctstate ${m.ctstate.value.join(',')}`;
      if (m.ctproto) s += `${m.ctproto.inv ? ' !' : ''} ctproto ${m.ctproto.value}`;
      for (const k of ['ctorigsrc', 'ctorigdst', 'ctreplsrc', 'ctrepldst'] as const) {
        const a = m[k];
        if (a) s += `${a.inv ? ' !' : ''} ${k} ${formatIPv4(a.base)}${a.bits === 32 ? '' : '/' + a.bits}`;
      }
      if (m.ctdir) s += ` ctdir ${m.ctdir}`;
      return s;
    }
    case 'state':
      return `${m.inv ? ' !' : ''} state ${m.states.join(',')}`;
    case 'statistic':
      if (m.mode === 'random') return ` statistic mode random${m.inv ? ' !' : ''} probability ${(m.probability / 0x80000000).toFixed(11)}`;
      return ` statistic mode nth${m.inv ? ' !' : ''} every ${m.every} packet ${m.packet}`;
    case 'recent': {
      let s = `${m.inv ? ' !' : ''} recent: ${m.cmd === 'rcheck' ? 'CHECK' : m.cmd.toUpperCase()}`;
      if (m.seconds) s += ` seconds: ${m.seconds}`;
      if (m.reap) s += ' reap';
      if (m.hitcount) s += ` hit_count: ${m.hitcount}`;
      if (m.rttl) s += ' TTL-Match';
      s += ` name: ${m.name} side: ${m.side} mask: ${formatIPv4(m.mask)}`;
      return s;
    }
    case 'set':
      return `${m.inv ? ' !' : ''} match-set ${m.name} ${m.flags.join(',')}`;
    case 'physdev':
      return ' PHYSDEV match' + physdevText(m);
    case 'ipvs':
      return ipvsText(m, numeric, '');
  }
}

function printNatRange(r: NatRange): string {
  return saveNatRange(r);
}

export function printTarget(t: Target, numeric: boolean): string {
  switch (t.kind) {
    case 'none': case 'verdict': case 'jump': return '';
    case 'REJECT': return ` reject-with ${t.with}`;
    case 'DNAT': return ` to:${printNatRange(t.range)}${t.random ? ' random' : ''}${t.persistent ? ' persistent' : ''}`;
    case 'SNAT': return ` to:${printNatRange(t.range)}${t.random ? ' random' : ''}${t.randomFully ? ' random-fully' : ''}${t.persistent ? ' persistent' : ''}`;
    case 'MASQUERADE': {
      let s = '';
      if (t.ports) s += ` masq ports: ${t.ports.min}${t.ports.max !== t.ports.min ? '-' + t.ports.max : ''}`;
      if (t.random) s += ' random';
      if (t.randomFully) s += ' random-fully';
      return s;
    }
    case 'MARK': {
      // libxt_MARK mark_tg_print
      if (t.value === 0) return ` MARK and ${hex(~t.mask >>> 0)}`;
      if (t.value === t.mask) return ` MARK or ${hex(t.value)}`;
      if (t.mask === 0) return ` MARK xor ${hex(t.value)}`;
      if (t.mask === 0xffffffff) return ` MARK set ${hex(t.value)}`;
      return ` MARK xset ${hex(t.value)}/${hex(t.mask)}`;
    }
    case 'CONNMARK':
      return ` CONNMARK xset ${hex(t.value)}/${hex(t.mask)}`;
    case 'LOG': {
      let s = numeric ? ` LOG flags 0 level ${t.level}` : ` LOG level ${LOG_LEVELS[t.level]}`;
      if (t.prefix !== '') s += ` prefix "${t.prefix}"`;
      return s;
    }
  }
}

/** The name in the `target` column of iptables -L. */
export function targetName(t: Target): string {
  switch (t.kind) {
    case 'none': return '';
    case 'verdict': return t.verdict;
    case 'jump': return t.chain;
    default: return t.kind;
  }
}

export { listAddr, saveAddr };
