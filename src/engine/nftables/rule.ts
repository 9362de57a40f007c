/**
 * Rules as nft reads and prints them: a tokenizer that keeps columns (for nft's `^^^`
 * error marks), the statement parser for what kube-proxy writes (and what a learner types
 * beside it), and the printer that gives the text `nft list` shows for a parsed rule —
 * nft prints its own canonical form, not the input (`mark set mark or 0x4000` lists as
 * `meta mark set meta mark | 0x00004000`; a one-element anonymous set loses its braces).
 */
import { formatIPv4, parseIPv4 } from '../core/ip';
import { CT_STATE_BITS, CT_STATE_ORDER, SELECTOR_TYPE, type DataType, type Rhs, type Selector, type Stmt, type Value, type Verdict } from './types';

export interface Token {
  text: string;
  /** 0-based column of the first character. */
  col: number;
  quoted?: boolean;
}

/** An nft error: the message and the token it points at (nft underlines it). */
export class NftSyntaxError extends Error {
  constructor(message: string, readonly at: Token | undefined) {
    super(message);
  }
}

const PUNCT = new Set(['{', '}', ',', ';']);

/** Split a line into words, quoted strings and the punctuation nft treats as tokens. */
export function tokenize(line: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    const c = line.charCodeAt(i);
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    if (c === 35) break; // '#': a comment to the end of the line
    if (c === 34) {
      const end = line.indexOf('"', i + 1);
      const stop = end < 0 ? n : end;
      out.push({ text: line.slice(i + 1, stop), col: i, quoted: true });
      i = stop + 1;
      continue;
    }
    const ch = line[i]!;
    if (PUNCT.has(ch)) {
      out.push({ text: ch, col: i });
      i++;
      continue;
    }
    let j = i;
    while (j < n) {
      const d = line.charCodeAt(j);
      if (d === 32 || d === 9 || d === 34) break;
      const dc = line[j]!;
      // A trailing comma or brace ends the word ("1.2.3.4," "p80}"); commas inside stay
      // ("dynamic,timeout", "established,related").
      if (dc === '{' || dc === '}' || dc === ';') break;
      if (dc === ',' && (j + 1 >= n || line[j + 1] === ' ' || line[j + 1] === '\t' || line[j + 1] === '}')) break;
      j++;
    }
    out.push({ text: line.slice(i, j), col: i });
    i = j;
  }
  return out;
}

// ---------- values ----------

const PROTO_NAMES: Readonly<Record<string, number>> = { icmp: 1, igmp: 2, tcp: 6, udp: 17, gre: 47, esp: 50, ah: 51, 'ipv6-icmp': 58, sctp: 132, udplite: 136 };
const PROTO_BY_NUM: Readonly<Record<number, string>> = Object.fromEntries(Object.entries(PROTO_NAMES).map(([k, v]) => [v, k]));

export function protoName(n: number): string {
  return PROTO_BY_NUM[n] ?? String(n);
}
export function protoNumber(name: string): number | undefined {
  return PROTO_NAMES[name];
}

function parseNum(s: string): number | undefined {
  if (/^0x[0-9a-f]+$/i.test(s)) return parseInt(s, 16);
  if (/^\d+$/.test(s)) return Number(s);
  return undefined;
}

/** Parse one value of a datatype; undefined when the text is not one. */
export function parseValue(type: DataType, tok: Token): Value | undefined {
  const s = tok.text;
  switch (type) {
    case 'ipv4_addr': {
      const slash = s.indexOf('/');
      const ip = parseIPv4(slash < 0 ? s : s.slice(0, slash));
      if (ip === undefined) return undefined;
      const bits = slash < 0 ? 32 : Number(s.slice(slash + 1));
      if (!Number.isInteger(bits) || bits < 0 || bits > 32) return undefined;
      const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
      return { t: 'addr', base: (ip & mask) >>> 0, bits };
    }
    case 'ipv6_addr': {
      const m = /^([0-9a-fA-F:.]*:[0-9a-fA-F:.]*)(?:\/(\d{1,3}))?$/.exec(s);
      if (!m || (m[2] !== undefined && Number(m[2]) > 128)) return undefined;
      return { t: 'addr6', s: s.toLowerCase() };
    }
    case 'inet_proto': {
      const n = PROTO_NAMES[s] ?? parseNum(s);
      return n !== undefined && n <= 255 ? { t: 'num', n } : undefined;
    }
    case 'inet_service': {
      const m = /^(\d+)(?:-(\d+))?$/.exec(s);
      if (!m) return undefined;
      const a = Number(m[1]);
      const b = m[2] === undefined ? undefined : Number(m[2]);
      if (a > 65535 || (b !== undefined && (b > 65535 || b < a))) return undefined;
      return b === undefined || b === a ? { t: 'num', n: a } : { t: 'num', n: a, to: b };
    }
    case 'mark': {
      const n = parseNum(s);
      return n !== undefined && n <= 0xffffffff ? { t: 'num', n } : undefined;
    }
    case 'ifname':
      return s.endsWith('*') && !tok.quoted ? undefined : { t: 'str', s: s.endsWith('*') ? s.slice(0, -1) : s, wildcard: s.endsWith('*') };
    case 'ct_state': {
      let bits = 0;
      for (const part of s.split(',')) {
        const b = CT_STATE_BITS[part];
        if (b === undefined) return undefined;
        bits |= b;
      }
      return { t: 'num', n: bits };
    }
    default:
      return undefined;
  }
}

const hex8 = (n: number): string => '0x' + (n >>> 0).toString(16).padStart(8, '0');

/** nft's numeric output: -p (protocols) or -n (everything: protocols, ct state, fib types). */
export interface Numeric {
  proto?: boolean;
  all?: boolean;
}

export function formatValue(type: DataType, v: Value, num: Numeric = {}): string {
  if (v.t === 'addr') return v.bits === 32 ? formatIPv4(v.base) : `${formatIPv4(v.base)}/${v.bits}`;
  if (v.t === 'str') return `"${v.s}${v.wildcard ? '*' : ''}"`;
  if (v.t === 'addr6') return v.s;
  switch (type) {
    case 'inet_proto':
      return num.proto || num.all ? String(v.n) : protoName(v.n);
    case 'mark':
      return hex8(v.n);
    case 'ct_state':
      return num.all ? '0x' + v.n.toString(16) : CT_STATE_ORDER.filter((s) => v.n & CT_STATE_BITS[s]!).join(',');
    default:
      return v.to === undefined ? String(v.n) : `${v.n}-${v.to}`;
  }
}

/** The number nft sorts a value by (set elements print in this order). */
export function valueOrder(v: Value): number {
  return v.t === 'addr' ? v.base : v.t === 'num' ? v.n : 0;
}

export function formatVerdict(v: Verdict): string {
  return v.kind === 'jump' || v.kind === 'goto' ? `${v.kind} ${v.chain}` : v.kind;
}

// ---------- the rule parser ----------

const SELECTORS: Readonly<Record<string, Readonly<Record<string, Selector>>>> = {
  ip: { saddr: 'ip saddr', daddr: 'ip daddr', protocol: 'ip protocol' },
  ip6: { saddr: 'ip6 saddr', daddr: 'ip6 daddr' },
  meta: { l4proto: 'meta l4proto', mark: 'meta mark', iifname: 'meta iifname', oifname: 'meta oifname' },
  th: { sport: 'th sport', dport: 'th dport' },
  tcp: { sport: 'tcp sport', dport: 'tcp dport' },
  udp: { sport: 'udp sport', dport: 'udp dport' },
  sctp: { sport: 'sctp sport', dport: 'sctp dport' },
  ct: { state: 'ct state' },
};
/** Words that stand for a meta selector on their own (`mark`, `iifname "eth0"`). */
const BARE_META: Readonly<Record<string, Selector>> = { mark: 'meta mark', iifname: 'meta iifname', oifname: 'meta oifname', l4proto: 'meta l4proto' };

class Cursor {
  i = 0;
  constructor(readonly toks: Token[]) {}
  peek(o = 0): Token | undefined {
    return this.toks[this.i + o];
  }
  next(): Token | undefined {
    return this.toks[this.i++];
  }
  expect(text: string): Token {
    const t = this.next();
    if (!t || t.text !== text || t.quoted) throw unexpected(t, this.toks);
    return t;
  }
  done(): boolean {
    return this.i >= this.toks.length;
  }
}

function unexpected(t: Token | undefined, toks: Token[]): NftSyntaxError {
  if (!t) return new NftSyntaxError('syntax error, unexpected newline', endToken(toks));
  const what = t.quoted ? 'quoted string' : /^\d+$/.test(t.text) ? 'number' : PUNCT.has(t.text) ? `'${t.text}'` : 'string';
  return new NftSyntaxError(`syntax error, unexpected ${what}`, t);
}

function endToken(toks: Token[]): Token {
  const last = toks[toks.length - 1];
  return { text: ' ', col: last ? last.col + last.text.length + (last.quoted ? 2 : 0) : 0 };
}

function readSelector(c: Cursor): Selector | undefined {
  const t = c.peek();
  if (!t || t.quoted) return undefined;
  const group = SELECTORS[t.text];
  const sub = group && c.peek(1)?.text;
  if (group && sub && group[sub]) {
    c.i += 2;
    return group[sub];
  }
  const bare = BARE_META[t.text];
  if (bare) {
    c.i += 1;
    return bare;
  }
  return undefined;
}

function readVerdict(c: Cursor): Verdict | undefined {
  const t = c.peek();
  if (!t || t.quoted) return undefined;
  switch (t.text) {
    case 'accept': case 'drop': case 'return': case 'continue':
      c.i++;
      return { kind: t.text };
    case 'jump': case 'goto': {
      c.i++;
      const target = c.next();
      if (!target || PUNCT.has(target.text)) throw unexpected(target, c.toks);
      return { kind: t.text, chain: target.text };
    }
    default:
      return undefined;
  }
}

function readValue(c: Cursor, type: DataType): Value {
  const t = c.next();
  if (!t) throw unexpected(t, c.toks);
  const v = parseValue(type, t);
  if (!v) {
    if (PUNCT.has(t.text)) throw unexpected(t, c.toks);
    throw new NftSyntaxError(type === 'ipv4_addr' && /^[a-z]/i.test(t.text) ? `Could not resolve hostname: Name or service not known` : `Could not parse ${type === 'inet_service' ? 'inet_service' : type}`, t);
  }
  return v;
}

/** `{ a, b, c }` after the `{`. */
function readAnonSet(c: Cursor, type: DataType): Value[] {
  const items: Value[] = [];
  for (;;) {
    // `{ 10.96.0.0/12,fd00::/108 }`: a comma inside a word separates elements too.
    const t = c.peek();
    if (t && !t.quoted && t.text.includes(',') && type !== 'ct_state') {
      c.i++;
      for (const part of t.text.split(',').filter(Boolean)) {
        const v = parseValue(type, { text: part, col: t.col });
        if (!v) throw new NftSyntaxError(`Could not parse ${type}`, t);
        items.push(v);
      }
    } else items.push(readValue(c, type));
    const sep = c.next();
    if (sep?.text === '}') return items;
    if (sep?.text !== ',') throw unexpected(sep, c.toks);
  }
}

/** Parse a rule's statements (the text after `add rule FAMILY TABLE CHAIN`). */
export function parseRule(toks: Token[]): { stmts: Stmt[]; comment?: string } {
  const c = new Cursor(toks);
  const stmts: Stmt[] = [];
  let comment: string | undefined;
  while (!c.done()) {
    const t = c.peek()!;
    if (t.text === 'comment' && !t.quoted) {
      c.i++;
      const s = c.next();
      if (!s) throw unexpected(s, toks);
      comment = s.text;
      if (!c.done()) throw unexpected(c.peek(), toks);
      break;
    }
    const verdict = readVerdict(c);
    if (verdict) {
      stmts.push({ k: 'verdict', v: verdict });
      continue;
    }
    if (!t.quoted) {
      switch (t.text) {
        case 'counter': {
          c.i++;
          let packets = 0;
          let bytes = 0;
          if (c.peek()?.text === 'packets') {
            c.i++;
            packets = Number(c.next()?.text ?? 'x');
            c.expect('bytes');
            bytes = Number(c.next()?.text ?? 'x');
            if (!Number.isFinite(packets) || !Number.isFinite(bytes)) throw unexpected(c.peek(-1), toks);
          }
          stmts.push({ k: 'counter', packets, bytes });
          continue;
        }
        case 'fib': {
          c.i++;
          const dir = c.next();
          if (dir?.text !== 'saddr' && dir?.text !== 'daddr') throw unexpected(dir, toks);
          c.expect('type');
          let op: '==' | '!=' = '==';
          if (c.peek()?.text === '!=') {
            c.i++;
            op = '!=';
          }
          const ty = c.next();
          if (ty?.text !== 'local') throw new NftSyntaxError('Could not parse fib address type', ty ?? endToken(toks));
          stmts.push({ k: 'fib', dir: dir.text, op, type: 'local' });
          continue;
        }
        case 'numgen': {
          c.i++;
          c.expect('random');
          c.expect('mod');
          const modTok = c.next();
          const mod = Number(modTok?.text);
          if (!Number.isInteger(mod) || mod < 1) throw unexpected(modTok, toks);
          let offset = 0;
          if (c.peek()?.text === 'offset') {
            c.i++;
            offset = Number(c.next()?.text);
          }
          c.expect('vmap');
          c.expect('{');
          const entries: { key: number; verdict: Verdict }[] = [];
          for (;;) {
            const k = c.next();
            const key = Number(k?.text);
            if (!k || !/^\d+$/.test(k.text)) throw unexpected(k, toks);
            c.expect(':');
            const v = readVerdict(c);
            if (!v) throw unexpected(c.peek(), toks);
            entries.push({ key, verdict: v });
            const sep = c.next();
            if (sep?.text === '}') break;
            if (sep?.text !== ',') throw unexpected(sep, toks);
          }
          stmts.push({ k: 'numgen', mod, offset, entries });
          continue;
        }
        case 'update': case 'add': {
          c.i++;
          const ref = c.next();
          if (!ref || !ref.text.startsWith('@')) throw unexpected(ref, toks);
          c.expect('{');
          const sel = readSelector(c);
          if (!sel) throw unexpected(c.peek(), toks);
          c.expect('}');
          stmts.push({ k: 'setupdate', op: t.text, set: ref.text.slice(1), sel });
          continue;
        }
        case 'dnat': {
          c.i++;
          if (c.peek()?.text === 'ip') c.i++;
          c.expect('to');
          const to = c.next();
          const m = to && /^(\d+\.\d+\.\d+\.\d+)(?::(\d+))?$/.exec(to.text);
          const addr = m ? parseIPv4(m[1]!) : undefined;
          if (!to || addr === undefined) throw new NftSyntaxError('Could not parse ipv4_addr', to ?? endToken(toks));
          stmts.push(m![2] !== undefined ? { k: 'dnat', addr, port: Number(m![2]) } : { k: 'dnat', addr });
          continue;
        }
        case 'masquerade': {
          c.i++;
          const flags: string[] = [];
          while (c.peek() && ['random', 'fully-random', 'persistent'].includes(c.peek()!.text)) flags.push(c.next()!.text);
          stmts.push({ k: 'masquerade', flags });
          continue;
        }
        case 'reject': {
          c.i++;
          if (c.peek()?.text === 'with') {
            const parts: string[] = [c.next()!.text];
            while (c.peek() && c.peek()!.text !== 'comment') parts.push(c.next()!.text);
            stmts.push({ k: 'reject', with: parts.slice(1).join(' ') });
          } else stmts.push({ k: 'reject' });
          continue;
        }
      }
    }
    // A selector: a match, a bit test, a mark set, or a vmap lookup (possibly on a concatenation).
    const start = c.peek();
    const sel = readSelector(c);
    if (!sel) {
      throw new NftSyntaxError(t.quoted || /^[\d{}]/.test(t.text) ? unexpected(t, toks).message : 'No symbol type information', t);
    }
    const sels: Selector[] = [sel];
    while (c.peek()?.text === '.') {
      c.i++;
      const more = readSelector(c);
      if (!more) throw unexpected(c.peek(), toks);
      sels.push(more);
    }
    const nx = c.peek();
    if (nx?.text === 'vmap') {
      c.i++;
      const ref = c.next();
      if (ref?.text.startsWith('@')) {
        stmts.push({ k: 'vmap', sel: sels, map: { k: 'ref', name: ref.text.slice(1) } });
        continue;
      }
      if (ref?.text !== '{') throw unexpected(ref, toks);
      const entries: { key: Value[]; verdict: Verdict }[] = [];
      for (;;) {
        const key: Value[] = [];
        for (let i = 0; i < sels.length; i++) {
          if (i > 0) c.expect('.');
          key.push(readValue(c, SELECTOR_TYPE[sels[i]!]));
        }
        c.expect(':');
        const v = readVerdict(c);
        if (!v) throw unexpected(c.peek(), toks);
        entries.push({ key, verdict: v });
        const sep = c.next();
        if (sep?.text === '}') break;
        if (sep?.text !== ',') throw unexpected(sep, toks);
      }
      stmts.push({ k: 'vmap', sel: sels, map: { k: 'anon', entries } });
      continue;
    }
    if (sels.length > 1) throw new NftSyntaxError('concatenations are only supported in lookups here', start);
    if (sel === 'meta mark' && (nx?.text === 'set')) {
      c.i++;
      // `mark set mark or 0x4000` / `meta mark set meta mark | 0x4000` / `mark set 0x1`.
      if (readSelector(c) === 'meta mark') {
        const opTok = c.next();
        const op = opTok?.text === 'or' || opTok?.text === '|' ? 'or' : opTok?.text === 'xor' || opTok?.text === '^' ? 'xor' : opTok?.text === 'and' || opTok?.text === '&' ? 'and' : undefined;
        if (!op) throw unexpected(opTok, toks);
        const v = readValue(c, 'mark') as { n: number };
        stmts.push({ k: 'markset', op, value: v.n });
      } else {
        const v = readValue(c, 'mark') as { n: number };
        stmts.push({ k: 'markset', op: 'set', value: v.n });
      }
      continue;
    }
    if (sel === 'meta mark' && (nx?.text === 'and' || nx?.text === '&')) {
      c.i++;
      const mask = (readValue(c, 'mark') as { n: number }).n;
      let op: '==' | '!=' = '==';
      const o = c.peek();
      if (o?.text === '==' || o?.text === 'eq') c.i++;
      else if (o?.text === '!=' || o?.text === 'ne') {
        c.i++;
        op = '!=';
      }
      const value = (readValue(c, 'mark') as { n: number }).n;
      stmts.push({ k: 'bitmatch', sel: 'meta mark', mask, op, value });
      continue;
    }
    let op: '==' | '!=' = '==';
    if (nx?.text === '!=' || nx?.text === 'ne') {
      c.i++;
      op = '!=';
    } else if (nx?.text === '==' || nx?.text === 'eq') c.i++;
    const r = c.peek();
    if (!r) throw unexpected(r, toks);
    let rhs: Rhs;
    if (!r.quoted && r.text.startsWith('@')) {
      c.i++;
      rhs = { k: 'setref', name: r.text.slice(1) };
    } else if (!r.quoted && r.text === '{') {
      c.i++;
      const items = readAnonSet(c, SELECTOR_TYPE[sel]);
      // nft turns a one-element anonymous set into a plain comparison.
      rhs = items.length === 1 ? { k: 'value', v: items[0]! } : { k: 'anon', items };
    } else rhs = { k: 'value', v: readValue(c, SELECTOR_TYPE[sel]) };
    stmts.push({ k: 'match', sel, op, rhs });
  }
  return comment === undefined ? { stmts } : { stmts, comment };
}

// ---------- the printer ----------

function selText(s: Selector): string {
  // nft prints meta iifname/oifname as plain `iifname`.
  return s === 'meta iifname' ? 'iifname' : s === 'meta oifname' ? 'oifname' : s;
}

function sortValues(type: DataType, items: Value[]): Value[] {
  return [...items].sort((a, b) => valueOrder(a) - valueOrder(b) || formatValue(type, a).localeCompare(formatValue(type, b)));
}

export function formatStmt(s: Stmt, num: Numeric = {}): string {
  switch (s.k) {
    case 'match': {
      const type = SELECTOR_TYPE[s.sel];
      const op = s.op === '!=' ? ' !=' : '';
      const rhs = s.rhs.k === 'setref' ? '@' + s.rhs.name
        : s.rhs.k === 'anon' ? `{ ${sortValues(type, s.rhs.items).map((v) => formatValue(type, v, num)).join(', ')} }`
        : formatValue(type, s.rhs.v, num);
      return `${selText(s.sel)}${op} ${rhs}`;
    }
    case 'bitmatch':
      return `meta mark & ${hex8(s.mask)} ${s.op} ${hex8(s.value)}`;
    case 'fib':
      // RTN_LOCAL is 2.
      return `fib ${s.dir} type${s.op === '!=' ? ' !=' : ''} ${num.all ? 2 : s.type}`;
    case 'vmap': {
      const sel = s.sel.map(selText).join(' . ');
      if (s.map.k === 'ref') return `${sel} vmap @${s.map.name}`;
      const types = s.sel.map((x) => SELECTOR_TYPE[x]);
      const entries = s.map.entries.map((e) => `${e.key.map((v, i) => formatValue(types[i]!, v, num)).join(' . ')} : ${formatVerdict(e.verdict)}`);
      return `${sel} vmap { ${entries.join(', ')} }`;
    }
    case 'numgen':
      return `numgen random mod ${s.mod}${s.offset ? ` offset ${s.offset}` : ''} vmap { ${s.entries.map((e) => `${e.key} : ${formatVerdict(e.verdict)}`).join(', ')} }`;
    case 'markset':
      return s.op === 'set' ? `meta mark set ${hex8(s.value)}` : `meta mark set meta mark ${s.op === 'or' ? '|' : s.op === 'xor' ? '^' : '&'} ${hex8(s.value)}`;
    case 'setupdate':
      return `${s.op} @${s.set} { ${selText(s.sel)} }`;
    case 'counter':
      return `counter packets ${s.packets} bytes ${s.bytes}`;
    case 'dnat':
      return `dnat to ${formatIPv4(s.addr)}${s.port !== undefined ? ':' + s.port : ''}`;
    case 'masquerade':
      return ['masquerade', ...s.flags].join(' ');
    case 'reject':
      return s.with ? `reject with ${s.with}` : 'reject';
    case 'verdict':
      return formatVerdict(s.v);
  }
}

/**
 * A rule's text as `nft list` prints it. A counter's numbers change with traffic, so
 * rules holding one are printed afresh each time (the cached text leaves them out).
 */
export function formatRule(stmts: readonly Stmt[], num: Numeric = {}): string {
  return stmts.map((s) => formatStmt(s, num)).join(' ');
}

/** Chains a rule jumps or goes to (for the kernel's use counts and existence checks). */
export function ruleTargets(stmts: readonly Stmt[]): string[] {
  const out: string[] = [];
  const add = (v: Verdict): void => {
    if (v.kind === 'jump' || v.kind === 'goto') out.push(v.chain);
  };
  for (const s of stmts) {
    if (s.k === 'verdict') add(s.v);
    else if (s.k === 'numgen') for (const e of s.entries) add(e.verdict);
    else if (s.k === 'vmap' && s.map.k === 'anon') for (const e of s.map.entries) add(e.verdict);
  }
  return out;
}

/** Sets and maps a rule refers to by name. */
export function ruleSetRefs(stmts: readonly Stmt[]): string[] {
  const out: string[] = [];
  for (const s of stmts) {
    if (s.k === 'match' && s.rhs.k === 'setref') out.push(s.rhs.name);
    else if (s.k === 'vmap' && s.map.k === 'ref') out.push(s.map.name);
    else if (s.k === 'setupdate') out.push(s.set);
  }
  return out;
}

/** How many anonymous sets the kernel creates for a rule (each takes a handle). */
export function anonymousSets(stmts: readonly Stmt[]): number {
  let n = 0;
  for (const s of stmts) {
    if ((s.k === 'match' && s.rhs.k === 'anon') || (s.k === 'vmap' && s.map.k === 'anon') || s.k === 'numgen') n++;
  }
  return n;
}
