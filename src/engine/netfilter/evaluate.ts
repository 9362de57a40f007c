/**
 * The data path through netfilter: a packet walks the hooks in kernel order, each hook's
 * tables in priority order (raw, conntrack, mangle, nat, filter), rule by rule, with
 * counters, jumps/gotos/RETURN on a call stack, policies, conntrack (only a flow's first
 * packet traverses nat; later packets and replies are translated from the entry), the
 * `statistic` draws from the injected rng and `recent` lists stamped by the injected clock.
 *
 * Long chains (KUBE-SERVICES at 10,000 Services) are indexed by exact destination address;
 * the evaluator still reports how many rules the kernel would have looked at.
 */
import type { Clock } from '../core/clock';
import { addrContains, formatIPv4, parseIPv4 } from './addr';
import { Conntrack, type CtEntry, type Tuple } from './conntrack';
import { inRange } from './extensions';
import { ipsetTest } from './ipset';
import { saveRuleSpec } from './save';
import { type AddrType, type Chain, type CtState, type IfaceMatch, type IpvsMethod, type Match, type Netfilter, type RejectWith, type Rule, type Table, type TableName } from './types';

export type Hook = 'PREROUTING' | 'INPUT' | 'FORWARD' | 'OUTPUT' | 'POSTROUTING';
export type Proto = 'tcp' | 'udp' | 'sctp' | 'icmp' | number;

export interface Packet {
  src: string;
  dst: string;
  proto: Proto;
  sport?: number;
  dport?: number;
  /** Interface the packet arrived on (absent for locally generated packets). */
  inIface?: string;
  /** Interface it leaves by (set by routing). */
  outIface?: string;
  mark?: number;
  /** Bytes, for the byte counters (default 60). */
  length?: number;
  icmpType?: number;
  icmpCode?: number;
  /** Bridge ports (br_netfilter) the packet came in / goes out by. Absent for routed traffic
   *  (pod veths on our nodes are routed, not bridged): `-m physdev` then sees no bridge. */
  bridge?: { physIn?: string; physOut?: string };
  /** Set by the node runtime when IPVS handled the packet on this node (skb->ipvs_property
   *  and its IPVS connection). Absent: not IPVS, and every `-m ipvs` option but `! --ipvs` fails. */
  ipvs?: IpvsPacketInfo;
}

/** What `-m ipvs` sees of the IPVS connection a packet belongs to. */
export interface IpvsPacketInfo {
  /** The virtual service's address, port and protocol. */
  vaddr: string;
  vport: number;
  vproto: Proto;
  /** The packet's conntrack direction (ORIGINAL: client → virtual service). */
  vdir: 'ORIGINAL' | 'REPLY';
  /** Forwarding method (default MASQ, kube-proxy's). */
  vmethod?: IpvsMethod;
  /** Virtual port of the controlling connection (FTP-style helpers); absent: none. */
  vportctl?: number;
}

export type RouteDecision =
  | { kind: 'local' }
  | { kind: 'forward'; outIface: string }
  | { kind: 'unreachable' };

export interface NodeNetworkContext {
  /** The routing decision for a destination (after DNAT). */
  route(p: Readonly<Packet>): RouteDecision;
  /** Address type as the kernel's routing table sees it (`-m addrtype`). Default: LOCAL for
   *  `localAddresses`, BROADCAST/MULTICAST by range, else UNICAST. */
  addrType?(ip: string): AddrType;
  localAddresses?: readonly string[];
  /** The primary address of an interface (MASQUERADE). */
  ifaceAddress?(iface: string): string | undefined;
  /**
   * Base chains of another netfilter front end on a hook (the namespace's nftables tables,
   * beside the iptables-nft ones), each with its type and priority. They run in priority
   * order among iptables' tables; nat chains run at the NAT hook's slot, first to bind wins.
   */
  hookChains?(hook: Hook): readonly ForeignChain[];
}

/** The packet as a foreign base chain sees and changes it (addresses as numbers). */
export interface HookPacket {
  src: number;
  dst: number;
  proto: number;
  sport: number;
  dport: number;
  inIface: string;
  outIface: string;
  mark: number;
  len: number;
}

/** What a foreign base chain may read and do while a packet walks a hook. */
export interface ForeignHookContext {
  readonly hook: Hook;
  readonly p: HookPacket;
  /** No counters, no set updates (explore and "what if"). */
  readonly dry: boolean;
  /** nft's ct state bits: invalid 1, established 2, related 4, new 8. */
  ctState(): number;
  addrType(ip: number): AddrType;
  /** Decide a random choice with this probability (the node's PRNG, or explore's enumeration). */
  choose(probability: number): boolean;
  now(): number;
  /** Bind DNAT for the connection (a nat chain's `dnat to`). */
  dnat(ip: number, port: number | undefined): void;
  /** Bind masquerade to the out interface's address; false when it has none. */
  masquerade(randomFully: boolean): boolean;
  step(table: string, chain: string, rule: number, text: string, action: string): void;
  /** Rules looked at, for rulesEvaluated. */
  evaluated(n: number): void;
}

export type ForeignOutcome =
  | { kind: 'accept' }
  | { kind: 'drop'; at: { table: string; chain: string; rule: number } }
  | { kind: 'reject'; with: RejectWith; at: { table: string; chain: string; rule: number } };

export interface ForeignChain {
  type: 'filter' | 'nat' | 'route';
  priority: number;
  run(ctx: ForeignHookContext): ForeignOutcome;
}

export interface Random {
  next(): number;
}

/** Runtime state next to the rules: conntrack, recent lists, nth counters. */
export class NetfilterRuntime {
  readonly conntrack: Conntrack;
  /** xt_recent: list name → masked address → timestamps (ms), oldest first. */
  readonly recent = new Map<string, Map<number, number[]>>();
  readonly nth = new WeakMap<Match, number>();
  constructor(readonly nf: Netfilter, readonly clock: Clock, readonly rng: Random) {
    this.conntrack = new Conntrack(clock);
  }
}

export interface TraceStep {
  hook: Hook;
  /** An iptables table (`nat`), or an nftables one (`ip kube-proxy`). */
  table: TableName | string;
  chain: string;
  /** 1-based rule number, or 0 for the chain policy. */
  rule: number;
  /** The rule as iptables-save prints it (or `:CHAIN POLICY` for a policy). */
  text: string;
  /** What happened: jump/goto/verdict/target name, or "policy ACCEPT". */
  action: string;
}

export interface EvalResult {
  verdict: 'ACCEPT' | 'DROP' | 'REJECT';
  rejectWith?: RejectWith;
  /** Where an accepted packet ends up. */
  delivered?: 'local' | 'forward';
  packet: Packet;
  trace: TraceStep[];
  /** Rules the kernel evaluated (including the ones our index skipped). */
  rulesEvaluated: number;
  conntrack: { state: 'NEW' | 'ESTABLISHED'; direction: 'original' | 'reply'; id?: number };
  /** Where it was dropped or rejected. */
  droppedAt?: { hook: Hook; table: TableName | string; chain: string; rule: number };
  /** Routing said no. */
  unreachable?: boolean;
}

// ---------- packet state ----------

const PROTO_NUM: Readonly<Record<string, number>> = { tcp: 6, udp: 17, sctp: 132, icmp: 1 };

interface Pkt {
  src: number;
  dst: number;
  proto: number;
  sport: number;
  dport: number;
  inIface: string;
  outIface: string;
  mark: number;
  len: number;
  icmpType: number;
  icmpCode: number;
  bridge: { physIn?: string; physOut?: string } | undefined;
  ipvs: { vaddr: number; vport: number; vproto: number; vdir: 'ORIGINAL' | 'REPLY'; vmethod: IpvsMethod; vportctl?: number } | undefined;
}

interface Ctx {
  rt: NetfilterRuntime;
  net: NodeNetworkContext;
  p: Pkt;
  hook: Hook;
  ct: CtEntry;
  dir: 'original' | 'reply';
  isNew: boolean;
  dry: boolean;
  choose: (probability: number) => boolean;
  trace: TraceStep[];
  evaluated: number;
  local: Set<number>;
}

// ---------- chain index ----------

interface ChainIndex {
  version: number;
  rules: Rule[];
  byDst: Map<number, number[]>;
  others: number[];
}
const INDEX_MIN = 32;
const indexes = new WeakMap<Chain, ChainIndex>();

function chainIndex(c: Chain): ChainIndex | undefined {
  if (c.rules.length < INDEX_MIN) return undefined;
  const old = indexes.get(c);
  if (old && old.version === c.version && old.rules === c.rules && old.rules.length === c.rules.length) return old;
  const byDst = new Map<number, number[]>();
  const others: number[] = [];
  c.rules.forEach((r, i) => {
    if (r.dst && r.dst.bits === 32 && !r.dst.inv) {
      const l = byDst.get(r.dst.base);
      if (l) l.push(i);
      else byDst.set(r.dst.base, [i]);
    } else others.push(i);
  });
  const idx = { version: c.version, rules: c.rules, byDst, others };
  indexes.set(c, idx);
  return idx;
}

function candidates(c: Chain, dst: number): number[] | undefined {
  const idx = chainIndex(c);
  if (!idx) return undefined;
  const a = idx.byDst.get(dst);
  if (!a) return idx.others;
  const b = idx.others;
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]! < b[j]!)) out.push(a[i++]!);
    else out.push(b[j++]!);
  }
  return out;
}

// ---------- matching ----------

function ifaceOk(m: IfaceMatch | undefined, name: string): boolean {
  if (!m) return true;
  const hit = m.wildcard ? name.startsWith(m.name) && name !== '' : name === m.name;
  return hit !== m.inv;
}

function addrTypeOf(ctx: Ctx, ip: number): AddrType {
  if (ctx.net.addrType) return ctx.net.addrType(formatIPv4(ip));
  if (ctx.local.has(ip) || ip >>> 24 === 127) return 'LOCAL';
  if (ip === 0xffffffff) return 'BROADCAST';
  if (ip >>> 28 === 0xe) return 'MULTICAST';
  return 'UNICAST';
}

function ctStates(ctx: Ctx): CtState[] {
  const s: CtState[] = [ctx.dir === 'reply' || ctx.ct.seenReply ? 'ESTABLISHED' : 'NEW'];
  if (ctx.ct.snat) s.push('SNAT');
  if (ctx.ct.dnat) s.push('DNAT');
  return s;
}

function recentMatch(m: Extract<Match, { kind: 'recent' }>, ctx: Ctx): boolean {
  const now = ctx.rt.clock.now();
  const addr = ((m.side === 'source' ? ctx.p.src : ctx.p.dst) & m.mask) >>> 0;
  let list = ctx.rt.recent.get(m.name);
  if (!list) {
    list = new Map();
    if (!ctx.dry) ctx.rt.recent.set(m.name, list);
  }
  const stamps = list.get(addr);
  let ret = m.inv;
  // xt_recent recent_mt
  if (!stamps) {
    if (m.cmd === 'set') {
      ret = !ret;
      if (!ctx.dry) list.set(addr, [now]);
    }
    return ret;
  }
  if (m.cmd === 'remove') {
    if (!ctx.dry) list.delete(addr);
    return !ret;
  }
  if (m.cmd === 'set') ret = !ret;
  else if (m.seconds || m.hitcount) {
    const from = now - m.seconds * 1000;
    let hits = 0;
    for (const t of stamps) {
      if (m.seconds && t < from) continue;
      if (!m.hitcount || ++hits >= m.hitcount) {
        ret = !ret;
        break;
      }
    }
    if (m.reap && !ctx.dry) {
      const kept = stamps.filter((t) => t >= from);
      if (kept.length) list.set(addr, kept);
      else list.delete(addr);
    }
  } else ret = !ret;
  if (!ctx.dry && (m.cmd === 'set' || (m.cmd === 'update' && ret !== m.inv))) {
    const s = list.get(addr) ?? [];
    s.push(now);
    if (s.length > 20) s.shift(); // ip_pkt_list_tot
    list.set(addr, s);
  }
  return ret;
}

/** xt_physdev physdev_mt. */
function physdevMatch(m: Extract<Match, { kind: 'physdev' }>, p: Pkt): boolean {
  const name = (i: IfaceMatch, dev: string): boolean => (i.wildcard ? dev.startsWith(i.name) : dev === i.name);
  if (!p.bridge) {
    // Not bridged: matches only when every option given is inverted.
    return [m.isBridged, m.isIn, m.isOut, m.physIn, m.physOut].every((o) => !o || o.inv);
  }
  const indev = p.bridge.physIn;
  const outdev = p.bridge.physOut;
  if (m.isBridged && (outdev !== undefined) === m.isBridged.inv) return false;
  if (m.isIn && (indev !== undefined) === m.isIn.inv) return false;
  if (m.isOut && (outdev !== undefined) === m.isOut.inv) return false;
  if (m.physIn && indev !== undefined && name(m.physIn, indev) === m.physIn.inv) return false;
  if (m.physOut && outdev !== undefined && name(m.physOut, outdev) === m.physOut.inv) return false;
  return true;
}

/** xt_ipvs ipvs_mt. */
function ipvsMatch(m: Extract<Match, { kind: 'ipvs' }>, p: Pkt): boolean {
  const v = p.ipvs;
  // Only [!] --ipvs: the property alone. Anything else implies --ipvs, even negated.
  if (m.ipvs) return (v !== undefined) !== m.ipvs.inv;
  if (!v) return false;
  if (m.vproto && (v.vproto === m.vproto.value) === m.vproto.inv) return false;
  if (m.vportctl && (v.vportctl !== undefined && v.vportctl === m.vportctl.value) === m.vportctl.inv) return false;
  if (m.vdir && (v.vdir === 'REPLY') !== (m.vdir === 'REPLY')) return false;
  if (m.vmethod && (v.vmethod === m.vmethod.value) === m.vmethod.inv) return false;
  // ipvs_mt_addrcmp: (vaddr & mask) == addr as given — host bits in the rule never match.
  if (m.vaddr && (((v.vaddr & m.vaddr.mask) >>> 0) === m.vaddr.addr) === m.vaddr.inv) return false;
  if (m.vport && (v.vport === m.vport.value) === m.vport.inv) return false;
  return true;
}

function matchOne(m: Match, ctx: Ctx): boolean {
  const p = ctx.p;
  switch (m.kind) {
    case 'tcp': case 'udp': case 'sctp': {
      if (p.proto !== PROTO_NUM[m.kind]) return false;
      if (m.sport && inRange(m.sport.value, p.sport) === m.sport.inv) return false;
      if (m.dport && inRange(m.dport.value, p.dport) === m.dport.inv) return false;
      return true;
    }
    case 'icmp': {
      if (p.proto !== 1) return false;
      if (!m.icmpType) return true;
      const t = m.icmpType.value;
      const hit = t.type === 0xff || (t.type === p.icmpType && p.icmpCode >= t.codeMin && p.icmpCode <= t.codeMax);
      return hit !== m.icmpType.inv;
    }
    case 'multiport': {
      const test = (port: number): boolean => m.ports.some((r) => inRange(r, port));
      const hit = m.dir === 'dports' ? test(p.dport) : m.dir === 'sports' ? test(p.sport) : test(p.sport) || test(p.dport);
      return hit !== m.inv;
    }
    case 'comment':
      return true;
    case 'addrtype': {
      if (m.srcType && m.srcType.value.includes(addrTypeOf(ctx, p.src)) === m.srcType.inv) return false;
      if (m.dstType && m.dstType.value.includes(addrTypeOf(ctx, p.dst)) === m.dstType.inv) return false;
      return true;
    }
    case 'mark':
      return (((p.mark & m.mask) >>> 0) === m.value) !== m.inv;
    case 'conntrack': {
      if (m.ctstate) {
        const s = ctStates(ctx);
        if (m.ctstate.value.some((x) => s.includes(x)) === m.ctstate.inv) return false;
      }
      if (m.ctproto && (ctx.ct.orig.proto === m.ctproto.value) === m.ctproto.inv) return false;
      if (m.ctorigsrc && !addrContains(m.ctorigsrc, ctx.ct.orig.src)) return false;
      if (m.ctorigdst && !addrContains(m.ctorigdst, ctx.ct.orig.dst)) return false;
      if (m.ctreplsrc && !addrContains(m.ctreplsrc, ctx.ct.reply.src)) return false;
      if (m.ctrepldst && !addrContains(m.ctrepldst, ctx.ct.reply.dst)) return false;
      if (m.ctdir && (m.ctdir === 'ORIGINAL') !== (ctx.dir === 'original')) return false;
      return true;
    }
    case 'state': {
      const s: CtState[] = ctStates(ctx).filter((x) => x !== 'SNAT' && x !== 'DNAT');
      return m.states.some((x) => s.includes(x)) !== m.inv;
    }
    case 'statistic': {
      if (m.mode === 'random') {
        // xt_statistic: (get_random_u32() & 0x7FFFFFFF) < probability
        return ctx.choose(m.probability / 0x80000000) !== m.inv;
      }
      const every = m.every - 1;
      const count = ctx.rt.nth.get(m) ?? m.packet;
      const next = count === every ? 0 : count + 1;
      if (!ctx.dry) ctx.rt.nth.set(m, next);
      return (next === 0) !== m.inv;
    }
    case 'recent':
      return recentMatch(m, ctx);
    case 'set': {
      const set = ctx.rt.nf.ipsets.get(m.name);
      if (!set) return m.inv;
      return ipsetTest(set, m.flags, { src: p.src, dst: p.dst, sport: p.sport, dport: p.dport, proto: p.proto }) !== m.inv;
    }
    case 'physdev':
      return physdevMatch(m, p);
    case 'ipvs':
      return ipvsMatch(m, p);
  }
}

function ruleMatches(r: Rule, ctx: Ctx): boolean {
  const p = ctx.p;
  if (r.src && !addrContains(r.src, p.src)) return false;
  if (r.dst && !addrContains(r.dst, p.dst)) return false;
  if (r.inIface && !ifaceOk(r.inIface, p.inIface)) return false;
  if (r.outIface && !ifaceOk(r.outIface, p.outIface)) return false;
  if (r.proto && (r.proto === p.proto) === !!r.protoInv) return false;
  for (const m of r.matches) if (!matchOne(m, ctx)) return false;
  return true;
}

// ---------- NAT ----------

function pickPort(ctx: Ctx, t: Tuple, min: number, max: number, randomFully: boolean): number {
  const span = max - min + 1;
  // Explore mode must not move the rng: it takes the first free port instead of a random one.
  let port = randomFully && !ctx.dry ? min + Math.floor(ctx.rt.rng.next() * span) : t.dport >= min && t.dport <= max ? t.dport : min;
  for (let i = 0; i < span; i++) {
    if (!ctx.rt.conntrack.replyTaken({ ...t, dport: port })) return port;
    port = port === max ? min : port + 1;
  }
  return port;
}

/** Source NAT to `ip` (ports kept unless they clash, or drawn with --random-fully). */
function doSnat(ctx: Ctx, ip: number, ports: { min: number; max: number } | undefined, randomFully: boolean): void {
  const ct = ctx.ct;
  const reply: Tuple = { ...ct.reply, dst: ip };
  const hasPorts = ct.orig.proto === 6 || ct.orig.proto === 17 || ct.orig.proto === 132;
  if (hasPorts) {
    const min = ports?.min ?? (ct.orig.sport < 1024 ? 1 : 1024);
    const max = ports?.max ?? (ct.orig.sport < 1024 ? 1023 : 65535);
    const keep = !randomFully && !ports && !ctx.rt.conntrack.replyTaken(reply);
    reply.dport = keep ? ct.orig.sport : pickPort(ctx, reply, min, max, randomFully);
  }
  ct.reply = reply;
  ct.snat = ip !== ct.orig.src || reply.dport !== ct.orig.sport;
}

// ---------- chain traversal ----------

type Outcome =
  | { kind: 'accept' }
  | { kind: 'drop'; at: { chain: string; rule: number } }
  | { kind: 'reject'; with: RejectWith; at: { chain: string; rule: number } };

function textOf(chain: string, r: Rule): string {
  return `-A ${chain}${saveRuleSpec(r)}`;
}

interface Frame {
  chain: Chain;
  cand: number[] | undefined;
  /** Next candidate (index into cand, or the rule position when not indexed). */
  ci: number;
  /** Position of the rule this frame is suspended at (its jump). */
  last: number;
}

const frame = (chain: Chain, dst: number): Frame => ({ chain, cand: candidates(chain, dst), ci: 0, last: -1 });

/** Walk one table's built-in chain. */
function runTable(t: Table, builtin: string, ctx: Ctx): Outcome {
  const start = t.chains.get(builtin);
  if (!start) return { kind: 'accept' };
  const stack: Frame[] = [];
  let f = frame(start, ctx.p.dst);
  const finishAll = (pos: number): void => {
    ctx.evaluated += pos + 1;
    for (const s of stack) ctx.evaluated += s.last + 1;
  };
  for (;;) {
    const rules = f.chain.rules;
    const n = f.cand ? f.cand.length : rules.length;
    let next: Frame | undefined;
    let returned = false;
    while (f.ci < n) {
      const pos = f.cand ? f.cand[f.ci]! : f.ci;
      f.ci++;
      const r = rules[pos]!;
      if (!ruleMatches(r, ctx)) continue;
      if (!ctx.dry) {
        r.counters.packets++;
        r.counters.bytes += ctx.p.len;
      }
      const tgt = r.target;
      const here = f;
      const step = (action: string): void => {
        ctx.trace.push({ hook: ctx.hook, table: t.name, chain: here.chain.name, rule: pos + 1, text: textOf(here.chain.name, r), action });
      };
      const at = { chain: f.chain.name, rule: pos + 1 };
      switch (tgt.kind) {
        case 'none': step('(no target)'); continue;
        case 'LOG': step('LOG'); continue;
        case 'MARK':
          ctx.p.mark = ((ctx.p.mark & ~tgt.mask) ^ tgt.value) >>> 0;
          step('MARK');
          continue;
        case 'CONNMARK':
          ctx.ct.mark = ((ctx.ct.mark & ~tgt.mask) ^ tgt.value) >>> 0;
          step('CONNMARK');
          continue;
        case 'verdict':
          step(tgt.verdict);
          if (tgt.verdict === 'RETURN') {
            ctx.evaluated += pos + 1;
            returned = true;
            break;
          }
          finishAll(pos);
          return tgt.verdict === 'ACCEPT' ? { kind: 'accept' } : { kind: 'drop', at };
        case 'jump': {
          const c = t.chains.get(tgt.chain);
          step(tgt.goto ? 'goto' : 'jump');
          if (!c) continue;
          f.last = pos;
          if (tgt.goto) ctx.evaluated += pos + 1;
          else stack.push(f);
          next = frame(c, ctx.p.dst);
          break;
        }
        case 'REJECT':
          step('REJECT');
          finishAll(pos);
          return { kind: 'reject', with: tgt.with, at };
        case 'DNAT': {
          const ct = ctx.ct;
          const ip = tgt.range.ipMin ?? ct.orig.dst;
          const port = tgt.range.portMin ?? ct.orig.dport;
          ct.reply = { ...ct.reply, src: ip, sport: port };
          ct.dnat = true;
          step('DNAT');
          finishAll(pos);
          return { kind: 'accept' };
        }
        case 'SNAT': {
          const ip = tgt.range.ipMin ?? ctx.p.src;
          const ports = tgt.range.portMin !== undefined ? { min: tgt.range.portMin, max: tgt.range.portMax ?? tgt.range.portMin } : undefined;
          doSnat(ctx, ip, ports, tgt.randomFully);
          step('SNAT');
          finishAll(pos);
          return { kind: 'accept' };
        }
        case 'MASQUERADE': {
          const addr = ctx.net.ifaceAddress?.(ctx.p.outIface);
          const ip = addr === undefined ? undefined : parseIPv4(addr);
          finishAll(pos);
          if (ip === undefined) {
            step('MASQUERADE (no address)');
            return { kind: 'drop', at };
          }
          doSnat(ctx, ip, tgt.ports, tgt.randomFully);
          step('MASQUERADE');
          return { kind: 'accept' };
        }
      }
      if (next || returned) break;
    }
    if (next) {
      f = next;
      continue;
    }
    if (!returned) ctx.evaluated += rules.length;
    const caller = stack.pop();
    if (caller) {
      f = caller;
      continue;
    }
    // Back at the top (end or RETURN of the built-in chain, or of a chain it went to): policy.
    if (!ctx.dry) {
      start.counters.packets++;
      start.counters.bytes += ctx.p.len;
    }
    ctx.trace.push({ hook: ctx.hook, table: t.name, chain: start.name, rule: 0, text: `:${start.name} ${start.policy}`, action: `policy ${start.policy}` });
    return start.policy === 'DROP' ? { kind: 'drop', at: { chain: start.name, rule: 0 } } : { kind: 'accept' };
  }
}

// ---------- hooks ----------

const HOOK_TABLES: Readonly<Record<Hook, readonly TableName[]>> = {
  PREROUTING: ['raw', 'mangle', 'nat'],
  INPUT: ['mangle', 'filter', 'nat'],
  FORWARD: ['mangle', 'filter'],
  OUTPUT: ['raw', 'mangle', 'nat', 'filter'],
  POSTROUTING: ['mangle', 'nat'],
};

function toPkt(p: Packet): Pkt {
  const num = (ip: string): number => {
    const n = parseIPv4(ip);
    if (n === undefined) throw new RangeError(`not an IPv4 address: ${ip}`);
    return n;
  };
  return {
    src: num(p.src), dst: num(p.dst), proto: typeof p.proto === 'number' ? p.proto : PROTO_NUM[p.proto]!,
    sport: p.sport ?? 0, dport: p.dport ?? 0, inIface: p.inIface ?? '', outIface: p.outIface ?? '',
    mark: p.mark ?? 0, len: p.length ?? 60, icmpType: p.icmpType ?? 8, icmpCode: p.icmpCode ?? 0,
    bridge: p.bridge,
    ipvs: p.ipvs && {
      vaddr: num(p.ipvs.vaddr), vport: p.ipvs.vport,
      vproto: typeof p.ipvs.vproto === 'number' ? p.ipvs.vproto : PROTO_NUM[p.ipvs.vproto]!,
      vdir: p.ipvs.vdir, vmethod: p.ipvs.vmethod ?? 'MASQ', vportctl: p.ipvs.vportctl,
    },
  };
}

function fromPkt(p: Pkt, orig: Packet): Packet {
  const out: Packet = { ...orig, src: formatIPv4(p.src), dst: formatIPv4(p.dst), mark: p.mark };
  if (orig.sport !== undefined) out.sport = p.sport;
  if (orig.dport !== undefined) out.dport = p.dport;
  if (p.outIface) out.outIface = p.outIface;
  return out;
}

/** Apply the connection's NAT at a DNAT (PREROUTING/OUTPUT) or SNAT (POSTROUTING/INPUT) point. */
function applyNat(ctx: Ctx, kind: 'dst' | 'src'): void {
  const { ct, p } = ctx;
  if (kind === 'dst') {
    if (ctx.dir === 'original') { p.dst = ct.reply.src; p.dport = ct.reply.sport; }
    else { p.dst = ct.orig.src; p.dport = ct.orig.sport; }
  } else {
    if (ctx.dir === 'original') { p.src = ct.reply.dst; p.sport = ct.reply.dport; }
    else { p.src = ct.orig.dst; p.sport = ct.orig.dport; }
  }
}

const localSets = new WeakMap<NodeNetworkContext, { src: readonly string[] | undefined; set: Set<number> }>();
function localSet(net: NodeNetworkContext): Set<number> {
  const c = localSets.get(net);
  if (c && c.src === net.localAddresses) return c.set;
  const set = new Set((net.localAddresses ?? []).map((a) => parseIPv4(a)).filter((n): n is number => n !== undefined));
  localSets.set(net, { src: net.localAddresses, set });
  return set;
}

/** iptables' table priorities (NF_IP_PRI_*); nat is the NAT hook's slot. */
const TABLE_PRIORITY: Readonly<Record<TableName, number>> = { raw: -300, mangle: -150, nat: 0, filter: 0 };
const NAT_PRIORITY: Readonly<Record<Hook, number>> = { PREROUTING: -100, OUTPUT: -100, INPUT: 100, POSTROUTING: 100, FORWARD: 0 };

function foreignContext(ctx: Ctx): ForeignHookContext {
  return {
    hook: ctx.hook,
    p: ctx.p,
    dry: ctx.dry,
    ctState: () => ctStates(ctx).reduce((bits, s) => bits | (s === 'NEW' ? 8 : s === 'ESTABLISHED' ? 2 : s === 'RELATED' ? 4 : s === 'INVALID' ? 1 : 0), 0),
    addrType: (ip) => addrTypeOf(ctx, ip),
    choose: (prob) => ctx.choose(prob),
    now: () => ctx.rt.clock.now(),
    dnat: (ip, port) => {
      const ct = ctx.ct;
      ct.reply = { ...ct.reply, src: ip, sport: port ?? ct.orig.dport };
      ct.dnat = true;
    },
    masquerade: (randomFully) => {
      const addr = ctx.net.ifaceAddress?.(ctx.p.outIface);
      const ip = addr === undefined ? undefined : parseIPv4(addr);
      if (ip === undefined) return false;
      doSnat(ctx, ip, undefined, randomFully);
      return true;
    },
    step: (table, chain, rule, text, action) => ctx.trace.push({ hook: ctx.hook, table, chain, rule, text, action }),
    evaluated: (n) => (ctx.evaluated += n),
  };
}

/**
 * One hook with nftables base chains beside iptables' tables: everything in priority
 * order (iptables first on a tie: it registered its hooks first), the nat chains of both
 * together at the NAT slot in their own priority order until one binds a NAT (nf_nat's
 * nat_hook: later nat chains are not asked), then the connection's NAT applied.
 */
type PlanStep = { kind: 'ipt'; table: TableName } | { kind: 'foreign'; chain: ForeignChain } | { kind: 'nat'; chains: ForeignChain[] };
/** A hook's order of tables and foreign chains, per list of foreign chains (stable while the rules are). */
const plans = new WeakMap<readonly ForeignChain[], Map<Hook, PlanStep[]>>();

function hookPlan(hook: Hook, foreign: readonly ForeignChain[]): PlanStep[] {
  let byHook = plans.get(foreign);
  if (!byHook) plans.set(foreign, (byHook = new Map()));
  let plan = byHook.get(hook);
  if (plan) return plan;
  const entries: { prio: number; order: number; step: PlanStep }[] = [];
  let order = 0;
  for (const tn of HOOK_TABLES[hook]) if (tn !== 'nat') entries.push({ prio: TABLE_PRIORITY[tn], order: order++, step: { kind: 'ipt', table: tn } });
  for (const c of foreign) if (c.type !== 'nat') entries.push({ prio: c.priority, order: order++, step: { kind: 'foreign', chain: c } });
  if (HOOK_TABLES[hook].includes('nat')) {
    entries.push({ prio: NAT_PRIORITY[hook], order: order++, step: { kind: 'nat', chains: foreign.filter((c) => c.type === 'nat') } });
  }
  entries.sort((a, b) => a.prio - b.prio || a.order - b.order);
  plan = entries.map((e) => e.step);
  byHook.set(hook, plan);
  return plan;
}

function runMergedHook(
  ctx: Ctx, hook: Hook, foreign: readonly ForeignChain[], skipNat: boolean,
  finish: (verdict: EvalResult['verdict'], extra?: Partial<EvalResult>) => EvalResult,
): EvalResult | undefined {
  const fctx = foreignContext(ctx);
  const runForeign = (c: ForeignChain): EvalResult | undefined => {
    const r = c.run(fctx);
    if (r.kind === 'drop') return finish('DROP', { droppedAt: { hook, ...r.at } });
    if (r.kind === 'reject') return finish('REJECT', { rejectWith: r.with, droppedAt: { hook, ...r.at } });
    return undefined;
  };
  const runIpt = (tn: TableName): EvalResult | undefined => {
    const t = ctx.rt.nf.tables.get(tn);
    if (!t) return undefined;
    const r = runTable(t, hook, ctx);
    if (r.kind === 'drop') return finish('DROP', { droppedAt: { hook, table: tn, ...r.at } });
    if (r.kind === 'reject') return finish('REJECT', { rejectWith: r.with, droppedAt: { hook, table: tn, ...r.at } });
    return undefined;
  };
  for (const step of hookPlan(hook, foreign)) {
    let r: EvalResult | undefined;
    if (step.kind === 'ipt') r = runIpt(step.table);
    else if (step.kind === 'foreign') r = runForeign(step.chain);
    else {
      if (skipNat) continue;
      if (ctx.isNew) {
        // iptables' nat table sits at the NAT priority; registered first, it goes first on a tie.
        const natPrio = NAT_PRIORITY[hook];
        let iptDone = !ctx.rt.nf.tables.get('nat');
        let bound = false;
        for (const c of step.chains) {
          if (!iptDone && natPrio <= c.priority) {
            iptDone = true;
            const before = ctx.ct.reply;
            if ((r = runIpt('nat'))) return r;
            if (ctx.ct.reply !== before) {
              bound = true;
              break;
            }
          }
          const before = ctx.ct.reply;
          if ((r = runForeign(c))) return r;
          if (ctx.ct.reply !== before) {
            bound = true;
            break;
          }
        }
        if (!iptDone && !bound && (r = runIpt('nat'))) return r;
      }
      applyNat(ctx, hook === 'PREROUTING' || hook === 'OUTPUT' ? 'dst' : 'src');
      continue;
    }
    if (r) return r;
  }
  return undefined;
}

export interface ProcessOptions {
  /** Arrived on an interface (`inIface` set) or sent by a local process. */
  origin: 'in' | 'local';
  /** No counters, no conntrack entries, no recent/nth updates. */
  dry?: boolean;
  /** Ignore existing conntrack entries (treat as a new flow). */
  fresh?: boolean;
  /** Decide a probabilistic rule (default: the runtime's rng). */
  choose?: (probability: number) => boolean;
}

/** Run one packet through the node's netfilter. */
export function processPacket(rt: NetfilterRuntime, net: NodeNetworkContext, packet: Packet, o: ProcessOptions): EvalResult {
  const p = toPkt(packet);
  // ICMP echo: the id (carried in `sport`) stands in both port slots, so the reply's tuple is the inverse.
  const tuple: Tuple = { proto: p.proto, src: p.src, dst: p.dst, sport: p.sport, dport: p.proto === 1 ? p.sport : p.dport };
  const found = o.fresh ? undefined : rt.conntrack.lookup(tuple);
  const ct = found?.entry ?? rt.conntrack.create(tuple);
  const ctx: Ctx = {
    rt, net, p, hook: o.origin === 'in' ? 'PREROUTING' : 'OUTPUT', ct: o.dry && found ? { ...ct } : ct,
    dir: found?.dir ?? 'original', isNew: !found, dry: !!o.dry,
    choose: o.choose ?? ((prob) => Math.floor(rt.rng.next() * 0x80000000) < Math.round(prob * 0x80000000)),
    trace: [], evaluated: 0,
    local: localSet(net),
  };
  const finish = (verdict: EvalResult['verdict'], extra: Partial<EvalResult> = {}): EvalResult => {
    const accepted = verdict === 'ACCEPT';
    if (accepted && !ctx.dry) {
      if (ctx.isNew) rt.conntrack.confirm(ct);
      rt.conntrack.seen(ct, ctx.dir);
    }
    return {
      verdict, packet: fromPkt(p, packet), trace: ctx.trace, rulesEvaluated: ctx.evaluated,
      conntrack: { state: ctx.dir === 'reply' || ct.seenReply ? 'ESTABLISHED' : 'NEW', direction: ctx.dir, id: ct.id || undefined },
      ...extra,
    };
  };
  const runHook = (hook: Hook, skipNat = false): EvalResult | undefined => {
    ctx.hook = hook;
    const foreign = net.hookChains?.(hook);
    if (foreign && foreign.length > 0) return runMergedHook(ctx, hook, foreign, skipNat, finish);
    for (const tn of HOOK_TABLES[hook]) {
      if (tn === 'nat') {
        if (skipNat) continue;
        const natKind = hook === 'PREROUTING' || hook === 'OUTPUT' ? 'dst' : 'src';
        if (ctx.isNew) {
          const t = rt.nf.tables.get('nat');
          if (t) {
            const r = runTable(t, hook, ctx);
            if (r.kind !== 'accept') return finish(r.kind === 'drop' ? 'DROP' : 'REJECT', { droppedAt: { hook, table: 'nat', ...r.at } });
          }
        }
        applyNat(ctx, natKind);
        continue;
      }
      const t = rt.nf.tables.get(tn);
      if (!t) continue;
      const r = runTable(t, hook, ctx);
      if (r.kind === 'drop') return finish('DROP', { droppedAt: { hook, table: tn, ...r.at } });
      if (r.kind === 'reject') return finish('REJECT', { rejectWith: r.with, droppedAt: { hook, table: tn, ...r.at } });
    }
    return undefined;
  };
  const routeNow = (): RouteDecision => net.route(fromPkt(p, packet));

  if (o.origin === 'in') {
    let r = runHook('PREROUTING');
    if (r) return r;
    const route = routeNow();
    if (route.kind === 'unreachable') return finish('DROP', { unreachable: true });
    if (route.kind === 'local') {
      r = runHook('INPUT');
      return r ?? finish('ACCEPT', { delivered: 'local' });
    }
    p.outIface = route.outIface;
    r = runHook('FORWARD') ?? runHook('POSTROUTING');
    return r ?? finish('ACCEPT', { delivered: 'forward' });
  }
  // Locally generated: route, OUTPUT, re-route after DNAT, POSTROUTING, then (to a local address) INPUT.
  let route = routeNow();
  if (route.kind === 'unreachable') return finish('DROP', { unreachable: true });
  p.outIface = route.kind === 'forward' ? route.outIface : 'lo';
  const dst0 = p.dst;
  let r = runHook('OUTPUT');
  if (r) return r;
  if (p.dst !== dst0) {
    route = routeNow();
    if (route.kind === 'unreachable') return finish('DROP', { unreachable: true });
    p.outIface = route.kind === 'forward' ? route.outIface : 'lo';
  }
  r = runHook('POSTROUTING');
  if (r) return r;
  if (route.kind === 'local') {
    p.inIface = 'lo';
    r = runHook('INPUT', true);
    return r ?? finish('ACCEPT', { delivered: 'local' });
  }
  return finish('ACCEPT', { delivered: 'forward' });
}

export interface ExploredOutcome {
  probability: number;
  result: EvalResult;
}

/**
 * Every outcome a new flow can have, with its probability: each `statistic --mode random`
 * rule on the way is taken both ways. Nothing is counted or recorded.
 */
export function explorePacket(rt: NetfilterRuntime, net: NodeNetworkContext, packet: Packet, o: { origin: 'in' | 'local' }): ExploredOutcome[] {
  const outcomes = new Map<string, ExploredOutcome>();
  let prefix: boolean[] = [];
  for (let runs = 0; runs < 100_000; runs++) {
    const made: { choice: boolean; p: number }[] = [];
    let prob = 1;
    const choose = (p: number): boolean => {
      if (p <= 0) return false;
      if (p >= 1) return true;
      const k = made.length;
      const choice = k < prefix.length ? prefix[k]! : true;
      made.push({ choice, p });
      prob *= choice ? p : 1 - p;
      return choice;
    };
    const result = processPacket(rt, net, packet, { origin: o.origin, dry: true, fresh: true, choose });
    const pk = result.packet;
    const key = `${result.verdict}|${result.delivered}|${pk.src}:${pk.sport}|${pk.dst}:${pk.dport}`;
    const prev = outcomes.get(key);
    if (prev) prev.probability += prob;
    else outcomes.set(key, { probability: prob, result });
    // Backtrack: flip the last `true` decision.
    let k = made.length - 1;
    while (k >= 0 && !made[k]!.choice) k--;
    if (k < 0) break;
    prefix = [...made.slice(0, k).map((m) => m.choice), false];
  }
  return [...outcomes.values()].sort((a, b) => b.probability - a.probability);
}

