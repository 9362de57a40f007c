/**
 * Packets through nftables base chains, as the kernel runs them: rule by rule, statement
 * by statement (a failed match ends the rule), jump/goto/return on a stack, verdict maps
 * as hash lookups (`ip daddr . meta l4proto . th dport vmap @service-ips` is one Map get,
 * whatever the number of Services), `numgen random mod N` drawn from the node's PRNG, set
 * updates stamped with the engine clock (session affinity), `dnat`/`masquerade` binding
 * the connection's NAT, `reject`. The netfilter evaluator calls these chains by hook and
 * priority beside iptables' tables (nftHookChains); matched rules go to the Trace.
 */
import type { ForeignChain, ForeignHookContext, ForeignOutcome, Hook, HookPacket } from '../netfilter';
import { ruleText } from './print';
import { keyString, type HookName, type NftChain, type NftRuleset, type NftSet, type NftTable, type Rhs, type Selector, type Stmt, type Value, type Verdict } from './types';

const HOOKS: Readonly<Record<Hook, HookName>> = { PREROUTING: 'prerouting', INPUT: 'input', FORWARD: 'forward', OUTPUT: 'output', POSTROUTING: 'postrouting' };

/** Read a selector off the packet (undefined: the header is not there, so no match). */
function read(sel: Selector, p: HookPacket, ct: () => number): number | string | undefined {
  switch (sel) {
    case 'ip saddr': return p.src;
    case 'ip daddr': return p.dst;
    case 'ip6 saddr': case 'ip6 daddr': return undefined;
    case 'ip protocol': case 'meta l4proto': return p.proto;
    case 'meta mark': return p.mark;
    case 'meta iifname': return p.inIface;
    case 'meta oifname': return p.outIface;
    case 'th sport': return hasPorts(p.proto) ? p.sport : undefined;
    case 'th dport': return hasPorts(p.proto) ? p.dport : undefined;
    case 'tcp sport': return p.proto === 6 ? p.sport : undefined;
    case 'tcp dport': return p.proto === 6 ? p.dport : undefined;
    case 'udp sport': return p.proto === 17 ? p.sport : undefined;
    case 'udp dport': return p.proto === 17 ? p.dport : undefined;
    case 'sctp sport': return p.proto === 132 ? p.sport : undefined;
    case 'sctp dport': return p.proto === 132 ? p.dport : undefined;
    case 'ct state': return ct();
  }
}

const hasPorts = (proto: number): boolean => proto === 6 || proto === 17 || proto === 132;

function valueMatches(sel: Selector, v: Value, x: number | string): boolean {
  if (v.t === 'addr') return typeof x === 'number' && (v.bits === 0 || ((x >>> (32 - v.bits)) === (v.base >>> (32 - v.bits))));
  if (v.t === 'str') return typeof x === 'string' && (v.wildcard ? x.startsWith(v.s) : x === v.s);
  if (v.t === 'addr6') return false;
  if (typeof x !== 'number') return false;
  if (sel === 'ct state') return (x & v.n) !== 0;
  return v.to === undefined ? x === v.n : x >= v.n && x <= v.to;
}

function live(set: NftSet, key: string, now: () => number): boolean {
  const e = set.elements.get(key);
  return e !== undefined && (e.expires === undefined || e.expires > now());
}

function rhsMatches(table: NftTable, sel: Selector, rhs: Rhs, x: number | string, now: () => number): boolean {
  switch (rhs.k) {
    case 'value': return valueMatches(sel, rhs.v, x);
    case 'anon': return rhs.items.some((v) => valueMatches(sel, v, x));
    case 'setref': {
      const set = table.sets.get(rhs.name);
      return set !== undefined && live(set, String(x), now);
    }
  }
}

type Flow =
  | { k: 'next' }
  | { k: 'fallthrough' }
  | { k: 'verdict'; v: Verdict }
  | { k: 'done'; out: ForeignOutcome; action: string };

/** Run one rule's statements; `fallthrough` is a rule that matched and gave no verdict. */
function runRule(table: NftTable, chain: NftChain, ruleIdx: number, stmts: readonly Stmt[], ctx: ForeignHookContext, ct: () => number): Flow {
  const p = ctx.p;
  let nowMs: number | undefined;
  const now = (): number => (nowMs ??= ctx.now());
  const at = () => ({ table: `${table.family} ${table.name}`, chain: chain.name, rule: ruleIdx + 1 });
  for (const s of stmts) {
    switch (s.k) {
      case 'match': {
        const x = read(s.sel, p, ct);
        if (x === undefined) return { k: 'next' };
        if (rhsMatches(table, s.sel, s.rhs, x, now) === (s.op === '!=')) return { k: 'next' };
        break;
      }
      case 'bitmatch':
        if ((((p.mark & s.mask) >>> 0) === s.value) === (s.op === '!=')) return { k: 'next' };
        break;
      case 'fib': {
        const local = ctx.addrType(s.dir === 'saddr' ? p.src : p.dst) === 'LOCAL';
        if (local === (s.op === '!=')) return { k: 'next' };
        break;
      }
      case 'vmap': {
        let key = '';
        for (let i = 0; i < s.sel.length; i++) {
          const x = read(s.sel[i]!, p, ct);
          if (x === undefined) return { k: 'next' };
          key += (i ? ',' : '') + x;
        }
        let v: Verdict | undefined;
        if (s.map.k === 'ref') {
          const set = table.sets.get(s.map.name);
          const e = set?.elements.get(key);
          if (e && (e.expires === undefined || e.expires > now())) v = e.verdict;
        } else {
          v = s.map.entries.find((e) => keyString(e.key) === key)?.verdict;
        }
        if (!v) return { k: 'next' };
        return { k: 'verdict', v };
      }
      case 'numgen': {
        // `numgen random mod N`: uniform over 0..N-1, drawn as N-1 binary choices so the
        // explorer can enumerate it like iptables' probability ladder.
        let n = s.mod - 1;
        for (let i = 0; i < s.mod - 1; i++) {
          if (ctx.choose(1 / (s.mod - i))) {
            n = i;
            break;
          }
        }
        const e = s.entries.find((x) => x.key === n + s.offset);
        if (!e) return { k: 'next' };
        return { k: 'verdict', v: e.verdict };
      }
      case 'markset':
        p.mark = (s.op === 'set' ? s.value : s.op === 'or' ? p.mark | s.value : s.op === 'xor' ? p.mark ^ s.value : p.mark & s.value) >>> 0;
        break;
      case 'setupdate': {
        const set = table.sets.get(s.set);
        const x = read(s.sel, p, ct);
        if (!set || x === undefined || ctx.dry) break;
        const key = String(x);
        const old = set.elements.get(key);
        const expires = set.timeout !== undefined ? now() + set.timeout : undefined;
        const t = now();
        if (!old || (old.expires !== undefined && old.expires <= t)) {
          set.elements.set(key, { key: [typeof x === 'number' ? (s.sel.startsWith('ip ') ? { t: 'addr', base: x, bits: 32 } : { t: 'num', n: x }) : { t: 'str', s: x, wildcard: false }], ...(expires !== undefined ? { expires } : {}) });
        } else if (s.op === 'update' && expires !== undefined) old.expires = expires;
        break;
      }
      case 'counter':
        if (!ctx.dry) {
          s.packets++;
          s.bytes += p.len;
        }
        break;
      case 'dnat':
        ctx.dnat(s.addr, s.port);
        return { k: 'done', out: { kind: 'accept' }, action: 'dnat' };
      case 'masquerade':
        if (!ctx.masquerade(s.flags.includes('fully-random'))) return { k: 'done', out: { kind: 'drop', at: at() }, action: 'masquerade (no address)' };
        return { k: 'done', out: { kind: 'accept' }, action: 'masquerade' };
      case 'reject':
        return { k: 'done', out: { kind: 'reject', with: s.with === 'tcp reset' ? 'tcp-reset' : 'icmp-port-unreachable', at: at() }, action: 'reject' };
      case 'verdict':
        return { k: 'verdict', v: s.v };
    }
  }
  return { k: 'fallthrough' };
}

const verdictText = (v: Verdict): string => (v.kind === 'jump' || v.kind === 'goto' ? `${v.kind} ${v.chain}` : v.kind);

/** Walk a base chain (and the chains it jumps or goes to). */
export function runBaseChain(table: NftTable, base: NftChain, ctx: ForeignHookContext): ForeignOutcome {
  const tname = `${table.family} ${table.name}`;
  let ctBits: number | undefined;
  const ct = (): number => (ctBits ??= ctx.ctState());
  const stack: { chain: NftChain; next: number }[] = [];
  let chain = base;
  let i = 0;
  for (let guard = 0; guard < 100_000; guard++) {
    if (i >= chain.rules.length) {
      const caller = stack.pop();
      if (caller) {
        chain = caller.chain;
        i = caller.next;
        continue;
      }
      // The end of the base chain: its policy.
      const policy = base.base?.policy ?? 'accept';
      ctx.step(tname, base.name, 0, `${base.name} policy ${policy}`, `policy ${policy}`);
      return policy === 'drop' ? { kind: 'drop', at: { table: tname, chain: base.name, rule: 0 } } : { kind: 'accept' };
    }
    const idx = i++;
    const rule = chain.rules[idx]!;
    ctx.evaluated(1);
    const f = runRule(table, chain, idx, rule.stmts, ctx, ct);
    if (f.k === 'next') continue;
    const text = `${chain.name} rule ${ruleText(rule)}${rule.comment !== undefined ? ` comment "${rule.comment}"` : ''}`;
    if (f.k === 'fallthrough') {
      ctx.step(tname, chain.name, idx + 1, text, '(no verdict)');
      continue;
    }
    if (f.k === 'done') {
      ctx.step(tname, chain.name, idx + 1, text, f.action);
      return f.out;
    }
    const v = f.v;
    ctx.step(tname, chain.name, idx + 1, text, verdictText(v));
    switch (v.kind) {
      case 'accept':
        return { kind: 'accept' };
      case 'drop':
        return { kind: 'drop', at: { table: tname, chain: chain.name, rule: idx + 1 } };
      case 'continue':
        continue;
      case 'return': {
        const caller = stack.pop();
        if (!caller) {
          const policy = base.base?.policy ?? 'accept';
          return policy === 'drop' ? { kind: 'drop', at: { table: tname, chain: base.name, rule: 0 } } : { kind: 'accept' };
        }
        chain = caller.chain;
        i = caller.next;
        continue;
      }
      case 'jump': case 'goto': {
        const target = table.chains.get(v.chain);
        if (!target) continue;
        if (v.kind === 'jump') stack.push({ chain, next: i });
        chain = target;
        i = 0;
        continue;
      }
    }
  }
  return { kind: 'accept' };
}

const cache = new WeakMap<NftRuleset, { generation: number; tables: number; byHook: Map<Hook, ForeignChain[]> }>();

/**
 * The base chains on a hook, for the netfilter evaluator: every ip/inet table's chains
 * of that hook, by priority (creation order on a tie, as the kernel registers them).
 */
export function nftHookChains(rs: NftRuleset, hook: Hook): readonly ForeignChain[] {
  let c = cache.get(rs);
  if (!c || c.generation !== rs.generation || c.tables !== rs.tables.length) {
    c = { generation: rs.generation, tables: rs.tables.length, byHook: new Map() };
    cache.set(rs, c);
  }
  let list = c.byHook.get(hook);
  if (!list) {
    const found: { table: NftTable; chain: NftChain; order: number }[] = [];
    let order = 0;
    for (const t of rs.tables) {
      if (t.family === 'ip6') continue;
      for (const ch of t.chains.values()) if (ch.base && ch.base.hook === HOOKS[hook]) found.push({ table: t, chain: ch, order: order++ });
    }
    found.sort((a, b) => a.chain.base!.priority - b.chain.base!.priority || a.order - b.order);
    list = found.map(({ table, chain }) => ({ type: chain.base!.type, priority: chain.base!.priority, run: (ctx: ForeignHookContext) => runBaseChain(table, chain, ctx) }));
    c.byHook.set(hook, list);
  }
  return list;
}
