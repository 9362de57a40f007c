/**
 * Rules as nft reads and prints them: a tokenizer that keeps columns (for nft's `^^^`
 * error marks), the statement parser for what kube-proxy writes (and what a learner types
 * beside it) — with an in-place reader (Words, RuleReader.scan) for the common shapes of
 * kube-proxy's lines that leaves anything else to it — and the printer that gives the text `nft list` shows for a parsed rule —
 * nft prints its own canonical form, not the input (`mark set mark or 0x4000` lists as
 * `meta mark set meta mark | 0x00004000`; a one-element anonymous set loses its braces).
 */
import { formatIPv4 } from '../core/ip';
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

const TAB = 9;
const SPACE = 32;
const QUOTE = 34;
const HASH = 35;
const COMMA = 44;
const DOT = 46;
const SEMI = 59;
const LBRACE = 123;
const RBRACE = 125;

/** Split a line into words, quoted strings and the punctuation nft treats as tokens. */
export function tokenize(line: string): Token[] {
  return new Tokenizer().tokens(line);
}

/**
 * The words of nft's grammar (and of kube-proxy's rules), by length and first character.
 * A token that is one of them gets the constant string: no copy, and the parser's
 * comparisons with it are identity checks.
 */
const KEYWORDS: (string[] | undefined)[] = [];
const keywordSlot = (length: number, first: number): number => (length < 16 && first < 128 ? length * 128 + first : -1);
for (const w of [
  'add', 'create', 'delete', 'destroy', 'flush', 'insert', 'replace', 'list', 'table', 'chain', 'rule', 'set', 'map', 'element', 'elements', 'ruleset',
  'ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev', 'type', 'hook', 'priority', 'policy', 'filter', 'nat', 'route',
  'prerouting', 'input', 'forward', 'output', 'postrouting', 'raw', 'mangle', 'dstnat', 'security', 'srcnat',
  'handle', 'index', 'position', 'comment', 'counter', 'packets', 'bytes', 'fib', 'saddr', 'daddr', 'local', 'protocol',
  'numgen', 'random', 'mod', 'offset', 'vmap', 'update', 'dnat', 'to', 'masquerade', 'fully-random', 'persistent', 'reject', 'with',
  'meta', 'mark', 'iifname', 'oifname', 'l4proto', 'th', 'sport', 'dport', 'tcp', 'udp', 'sctp', 'icmp', 'ct', 'state',
  'new', 'established', 'related', 'invalid', 'untracked', 'accept', 'drop', 'return', 'continue', 'jump', 'goto',
  'or', 'xor', 'and', 'eq', 'ne', '==', '!=', '|', '^', '&', ':', '.', '=', '-', '+',
  'flags', 'timeout', 'size', 'expires', 'interval', 'dynamic', 'constant', 'gc-interval', 'auto-merge',
  'ipv4_addr', 'ipv6_addr', 'inet_proto', 'inet_service', 'ifname', 'ct_state', 'verdict',
  '0', '1', '2', '3', '4', '5', '6', '7', '8', '9',
]) {
  (KEYWORDS[keywordSlot(w.length, w.charCodeAt(0))] ??= []).push(w);
}

function keyword(text: string, from: number, to: number): string | undefined {
  const length = to - from;
  const slot = keywordSlot(length, text.charCodeAt(from));
  const list = slot < 0 ? undefined : KEYWORDS[slot];
  if (!list) return undefined;
  for (const w of list) {
    let x = 1;
    while (x < length && text.charCodeAt(from + x) === w.charCodeAt(x)) x++;
    if (x === length) return w;
  }
  return undefined;
}

/** Characters that may end a word sooner than a blank (a comma only before a blank, a `}` or the end). */
const WORD_END = /[\t"{};,]/g;

/**
 * The tokenizer of `nft -f`, for many lines (a full sync is half a million). It hands out
 * the same Token objects line after line: its callers keep none past the line (errors are
 * printed at once, the block reader copies what it keeps). Words run to the next blank,
 * found natively; the characters that may end one sooner are looked for natively too, from
 * one to the next (most lines of a sync have none).
 */
export class Tokenizer {
  private readonly pool: Token[] = [];
  /** The arrays handed out, by length: pool[0, length) (the pool's tokens stay in place). */
  private readonly arrays: Token[][] = [];
  /** The text read, where its last line read starts, and where its next WORD_END character
   *  is (found once for many lines). */
  private text = '';
  private line = 0;
  private special = -1;

  /** The tokens of the line text[from, to) (a line of a file, read in place). */
  tokens(text: string, from = 0, to = text.length): Token[] {
    let k = 0;
    if (text !== this.text || from < this.line) {
      this.text = text;
      this.special = -1;
    }
    this.line = from;
    let i = from;
    while (i < to) {
      const c = text.charCodeAt(i);
      if (c === SPACE || c === TAB) {
        i++;
        continue;
      }
      if (c === HASH) break; // a comment to the end of the line
      const col = i - from;
      if (c === QUOTE) {
        const end = text.indexOf('"', i + 1);
        const stop = end < 0 || end > to ? to : end;
        this.token(k, text.slice(i + 1, stop), col, true);
        k++;
        i = stop + 1;
        continue;
      }
      if (c === LBRACE || c === RBRACE || c === COMMA || c === SEMI) {
        this.token(k, c === LBRACE ? '{' : c === RBRACE ? '}' : c === COMMA ? ',' : ';', col, false);
        k++;
        i++;
        continue;
      }
      if (this.special < i) {
        WORD_END.lastIndex = i;
        this.special = WORD_END.test(text) ? WORD_END.lastIndex - 1 : text.length;
      }
      let j = text.indexOf(' ', i + 1);
      if (j < 0 || j > to) j = to;
      if (this.special < j) j = wordEnd(text, this.special, to);
      this.token(k, keyword(text, i, j) ?? text.slice(i, j), col, false);
      k++;
      i = j;
    }
    return (this.arrays[k] ??= this.pool.slice(0, k));
  }

  private token(k: number, text: string, col: number, quoted: boolean): void {
    const t = this.pool[k];
    if (!t) this.pool[k] = { text, col, quoted };
    else {
      t.text = text;
      t.col = col;
      t.quoted = quoted;
    }
  }
}

/**
 * Where a word ends, from its first character that may end it: a blank, a quote, a brace or
 * `;`, or a comma before a blank, a `}` or the end ("1.2.3.4," "p80,}"); other commas stay
 * in the word ("dynamic,timeout", "established,related").
 */
function wordEnd(line: string, from: number, n: number): number {
  let j = from;
  for (; j < n; j++) {
    const d = line.charCodeAt(j);
    if (d === SPACE || d === TAB || d === QUOTE || d === LBRACE || d === RBRACE || d === SEMI) break;
    if (d === COMMA) {
      const e = j + 1 < n ? line.charCodeAt(j + 1) : SPACE;
      if (e === SPACE || e === TAB || e === RBRACE) break;
    }
  }
  return j;
}

/** Whether s is one of the punctuation tokens: `{`, `}`, `,`, `;`. */
function isPunct(s: string): boolean {
  if (s.length !== 1) return false;
  const c = s.charCodeAt(0);
  return c === LBRACE || c === RBRACE || c === COMMA || c === SEMI;
}

/** Whether s is one or more ASCII digits (/^\d+$/). */
export function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * The dotted quad in s[from, to) as a number, or -1: what core/ip's parseIPv4 accepts (four
 * parts of one to three digits, none above 255, no leading zero), read in place — a full
 * sync holds a quarter of a million addresses.
 */
function dottedQuad(s: string, from: number, to: number): number {
  let n = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === DOT) {
      if (digits === 0 || dots === 3) return -1;
      n = n * 256 + part;
      part = 0;
      digits = 0;
      dots++;
      continue;
    }
    if (c < 48 || c > 57 || (digits === 1 && part === 0) || digits === 3) return -1;
    digits++;
    part = part * 10 + (c - 48);
    if (part > 255) return -1;
  }
  return dots === 3 && digits > 0 ? n * 256 + part : -1;
}

// ---------- reading in place (RuleReader.scan, nft -f's common lines) ----------

const AT = 64;

/**
 * A cursor over the space-separated words of a line, read where the text holds them: the
 * current word is text[i, j) (empty at the line's end). What the tokenizer would read the
 * same way is left to callers to check: keywords and numbers by their spelling, other words
 * with plain() (or by being a name known to be plain).
 */
export class Words {
  text = '';
  to = 0;
  i = 0;
  j = 0;
  /** The line text[from, to), at its first word. */
  start(text: string, from: number, to: number): void {
    this.text = text;
    this.to = to;
    this.j = from;
    this.next();
  }

  /** On to the next word. */
  next(): void {
    const text = this.text;
    const to = this.to;
    let i = this.j;
    while (i < to && text.charCodeAt(i) === SPACE) i++;
    this.i = i;
    const j = i < to ? text.indexOf(' ', i) : -1;
    this.j = j < 0 || j > to ? to : j;
  }

  atEnd(): boolean {
    return this.i >= this.to;
  }

  is(w: string): boolean {
    return this.j - this.i === w.length && this.text.startsWith(w, this.i);
  }

  /** Whether the word is the one character ch (punctuation: cheaper than is). */
  isChar(ch: string): boolean {
    return this.j - this.i === 1 && this.text.charCodeAt(this.i) === ch.charCodeAt(0);
  }

  /** The current word as the tokenizer's keyword constant, if it is one. */
  keyword(): string | undefined {
    return keyword(this.text, this.i, this.j);
  }

  /**
   * Whether the current word is one token as the tokenizer reads it, spelt as it is: not
   * empty, no tab, quote, comma, `;` or brace in it, and no `#` to start it.
   */
  plain(): boolean {
    const { text, i, j } = this;
    if (i >= j || text.charCodeAt(i) === HASH) return false;
    for (let k = i; k < j; k++) {
      const c = text.charCodeAt(k);
      if (c === TAB || c === QUOTE || c === COMMA || c === SEMI || c === LBRACE || c === RBRACE) return false;
    }
    return true;
  }

  /** The number the word spells in one to nine digits, else -1. */
  digits(): number {
    return digitsValue(this.text, this.i, this.j);
  }

  slice(): string {
    return this.text.slice(this.i, this.j);
  }
}

/** The number text[i, j) spells in one to nine digits, else -1. */
function digitsValue(text: string, i: number, j: number): number {
  if (i >= j || j - i > 9) return -1;
  let n = 0;
  for (let k = i; k < j; k++) {
    const c = text.charCodeAt(k);
    if (c < 48 || c > 57) return -1;
    n = n * 10 + (c - 48);
  }
  return n;
}

/**
 * A hash of a chain's name at text[i, j) (not empty) from its length and ten of its
 * characters spread over it: cheap, and enough to tell a table's chains apart most of the
 * time (a collision only costs a lookup in the table's map).
 */
export function nameHash(text: string, i: number, j: number): number {
  const n = j - i;
  let h = n;
  for (let k = 0; k < 8; k++) h = (Math.imul(h, 31) + text.charCodeAt(i + ((n * k) >> 3))) | 0;
  h = (Math.imul(h, 31) + text.charCodeAt(j - 1)) | 0;
  return (Math.imul(h, 31) + text.charCodeAt(i + (n >> 1) + 1 < j ? i + (n >> 1) + 1 : i)) >>> 0;
}

/** `A.B.C.D` or `A.B.C.D/N` at text[i, j), as parseValue reads an ipv4_addr (a prefix length of one or two digits). */
function addressValue(text: string, i: number, j: number): Value | undefined {
  let slash = text.indexOf('/', i);
  if (slash >= j) slash = -1;
  const ip = dottedQuad(text, i, slash < 0 ? j : slash);
  if (ip < 0) return undefined;
  const bits = slash < 0 ? 32 : j - slash - 1 > 2 ? -1 : digitsValue(text, slash + 1, j);
  if (bits < 0 || bits > 32) return undefined;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { t: 'addr', base: (ip & mask) >>> 0, bits };
}

const scratch: Token = { text: '', col: 0, quoted: false };

/** The current word as a value of a type, as parseValue reads it; undefined if it is not one (or not a plain word). */
export function wordValue(w: Words, type: DataType): Value | undefined {
  if (type === 'ipv4_addr') return addressValue(w.text, w.i, w.j);
  if (type === 'inet_service') {
    const n = w.digits();
    return n >= 0 && n <= 65535 ? { t: 'num', n } : undefined;
  }
  if (!w.plain()) return undefined;
  scratch.text = w.keyword() ?? w.slice();
  return parseValue(type, scratch);
}

/** Where RuleReader.scan finds the chains a rule jumps or goes to. */
export interface ChainResolver {
  /** The name of the chain the current word names (the chain's own string), or undefined when there is none. */
  chainName(w: Words): string | undefined;
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
  if (isDigits(s)) return Number(s);
  return undefined;
}

/** Parse one value of a datatype; undefined when the text is not one. */
export function parseValue(type: DataType, tok: Token): Value | undefined {
  const s = tok.text;
  switch (type) {
    case 'ipv4_addr': {
      const slash = s.indexOf('/');
      const ip = dottedQuad(s, 0, slash < 0 ? s.length : slash);
      if (ip < 0) return undefined;
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
/** Names, nothing numeric (nft's default output). */
const NAMES: Numeric = {};

export function formatValue(type: DataType, v: Value, num: Numeric = NAMES): string {
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
/** The key of a selector's != comparisons among RuleReader's shared statements. */
const OP_NE = Object.fromEntries(Object.keys(SELECTOR_TYPE).map((s) => [s, s + ' !='])) as Readonly<Record<Selector, string>>;
/** Words that stand for a meta selector on their own (`mark`, `iifname "eth0"`). */
const BARE_META: Readonly<Record<string, Selector>> = { mark: 'meta mark', iifname: 'meta iifname', oifname: 'meta oifname', l4proto: 'meta l4proto' };

/**
 * Where the rule parser is: the tokens, the next one, the statements read so far. nft -f
 * keeps one reader for a whole file: its statement list is reused from rule to rule (a list
 * per rule grown by push reserves 17 slots, for each of a full sync's 220k rules), and a
 * rule gets an exact copy.
 */
export class RuleReader {
  toks: Token[] = [];
  i = 0;
  private readonly stmts: Stmt[] = [];
  private n = 0;
  start(toks: Token[], from: number): void {
    this.toks = toks;
    this.i = from;
    this.n = 0;
  }
  add(s: Stmt): void {
    this.stmts[this.n++] = s;
  }
  read(): Stmt[] {
    const s = this.stmts;
    // Array literals for the usual lengths: V8 allocates long-lived ones in the old
    // generation at once (a copy made by slice would be moved there by the scavenger).
    switch (this.n) {
      case 1: return [s[0]!];
      case 2: return [s[0]!, s[1]!];
      case 3: return [s[0]!, s[1]!, s[2]!];
      case 4: return [s[0]!, s[1]!, s[2]!, s[3]!];
      default: return s.slice(0, this.n);
    }
  }

  // Statements many rules write alike — `jump mark-for-masquerade` after each endpoint's
  // source check, `meta l4proto tcp` before each dnat — are one object per reader: a
  // statement does not change once parsed (a counter's numbers do; counters are not shared).
  private readonly jumps = new Map<string, Stmt>();
  private readonly gotos = new Map<string, Stmt>();
  private readonly verdicts = new Map<string, Stmt>();
  private readonly matches = new Map<string, Map<string, Stmt>>();

  verdictStmt(v: Verdict): Stmt {
    const shared = v.kind === 'jump' ? this.jumps : v.kind === 'goto' ? this.gotos : this.verdicts;
    const key = v.kind === 'jump' || v.kind === 'goto' ? v.chain : v.kind;
    let s = shared.get(key);
    if (!s) shared.set(key, (s = { k: 'verdict', v }));
    return s;
  }

  /** The comparisons read so far of a selector with an operator, by the value's text. */
  sharedMatches(sel: Selector, op: '==' | '!='): Map<string, Stmt> {
    const key = op === '==' ? sel : OP_NE[sel];
    let m = this.matches.get(key);
    if (!m) this.matches.set(key, (m = new Map()));
    return m;
  }
  /** A statement that only jumps or goes to a chain, shared (see verdictStmt). */
  private jumpStmt(kind: 'jump' | 'goto', chain: string): Stmt {
    const shared = kind === 'jump' ? this.jumps : this.gotos;
    let s = shared.get(chain);
    if (!s) shared.set(chain, (s = { k: 'verdict', v: { kind, chain } }));
    return s;
  }

  /** What scan found besides statements: the comment (undefined: none), the sets and maps
   *  named (refs[0, nRefs)), how many anonymous sets (numgen's maps). */
  comment: string | undefined;
  readonly refs: string[] = [];
  nRefs = 0;
  anon = 0;
  /** Scratch for scan's values that are not addresses. */
  private readonly word: Token = { text: '', col: 0, quoted: false };

  /**
   * The statements of the rest of a line (w at its first word) read in place, without
   * tokens, when they are of the shapes kube-proxy writes: matches of a selector with one
   * value or a @set, a concatenation's vmap @map, verdicts, `numgen random mod N vmap { … }`,
   * `dnat to`, `fib … type local`, a plain counter, masquerade, reject, a trailing comment,
   * words separated by spaces. Anything else — or a chain the resolver does not know — gives
   * undefined, and the caller reads the line the general way (parseRule), which reports any
   * error. The statements are those parseRule gives for the same text.
   */
  scan(w: Words, chains: ChainResolver): Stmt[] | undefined {
    this.n = 0;
    this.comment = undefined;
    this.nRefs = 0;
    this.anon = 0;
    if (w.atEnd()) return undefined;
    while (!w.atEnd()) {
      const kw = w.keyword();
      if (kw === undefined) return undefined;
      w.next();
      switch (kw) {
        case 'accept': case 'drop': case 'return': case 'continue':
          this.add(this.verdictStmt({ kind: kw }));
          continue;
        case 'jump': case 'goto': {
          const chain = chains.chainName(w);
          if (chain === undefined) return undefined;
          this.add(this.jumpStmt(kw, chain));
          w.next();
          continue;
        }
        case 'comment': {
          // The last word: a quoted string.
          const { text, i } = w;
          const q = text.indexOf('"', i + 1);
          if (text.charCodeAt(i) !== QUOTE || q < 0 || q >= w.to) return undefined;
          w.j = q + 1;
          w.next();
          if (!w.atEnd()) return undefined;
          this.comment = text.slice(i + 1, q);
          continue;
        }
        case 'counter':
          if (w.is('packets')) return undefined;
          this.add({ k: 'counter', packets: 0, bytes: 0 });
          continue;
        case 'masquerade': {
          const flags: string[] = [];
          for (let f = w.keyword(); f === 'random' || f === 'fully-random' || f === 'persistent'; f = w.keyword()) {
            flags.push(f);
            w.next();
          }
          this.add({ k: 'masquerade', flags });
          continue;
        }
        case 'reject':
          if (w.is('with')) return undefined;
          this.add({ k: 'reject' });
          continue;
        case 'fib': {
          const dir = w.keyword();
          if (dir !== 'saddr' && dir !== 'daddr') return undefined;
          w.next();
          if (!w.is('type')) return undefined;
          w.next();
          let op: '==' | '!=' = '==';
          if (w.is('!=')) {
            op = '!=';
            w.next();
          }
          if (!w.is('local')) return undefined;
          w.next();
          this.add({ k: 'fib', dir, op, type: 'local' });
          continue;
        }
        case 'dnat': {
          if (w.is('ip')) w.next();
          if (!w.is('to')) return undefined;
          w.next();
          // ADDR or ADDR:PORT.
          const { text, i, j } = w;
          let colon = text.indexOf(':', i);
          if (colon >= j) colon = -1;
          const addr = dottedQuad(text, i, colon < 0 ? j : colon);
          if (addr < 0) return undefined;
          if (colon < 0) this.add({ k: 'dnat', addr });
          else {
            const port = digitsValue(text, colon + 1, j);
            if (port < 0) return undefined;
            this.add({ k: 'dnat', addr, port });
          }
          w.next();
          continue;
        }
        case 'numgen':
          if (!this.numgen(w, chains)) return undefined;
          continue;
      }
      // A selector: a match, or a vmap lookup (possibly on a concatenation).
      const sel = scanSelector(w, kw);
      if (sel === undefined || sel === 'meta mark') return undefined;
      let sels: Selector[] | undefined;
      while (w.isChar('.')) {
        w.next();
        const first = w.keyword();
        w.next();
        const more = scanSelector(w, first);
        if (more === undefined) return undefined;
        (sels ??= [sel]).push(more);
      }
      if (w.is('vmap')) {
        w.next();
        const name = refName(w);
        if (name === undefined) return undefined;
        this.refs[this.nRefs++] = name;
        this.add({ k: 'vmap', sel: sels ?? [sel], map: { k: 'ref', name } });
        w.next();
        continue;
      }
      if (sels) return undefined;
      let op: '==' | '!=' = '==';
      const o = w.keyword();
      if (o === '!=' || o === 'ne' || o === '==' || o === 'eq') {
        if (o === '!=' || o === 'ne') op = '!=';
        w.next();
      }
      if (w.atEnd()) return undefined;
      const type = SELECTOR_TYPE[sel];
      if (w.text.charCodeAt(w.i) === AT) {
        const name = refName(w);
        if (name === undefined) return undefined;
        this.refs[this.nRefs++] = name;
        this.add({ k: 'match', sel, op, rhs: { k: 'setref', name } });
      } else if (type === 'ipv4_addr') {
        const v = addressValue(w.text, w.i, w.j);
        if (!v) return undefined;
        this.add({ k: 'match', sel, op, rhs: { k: 'value', v } });
      } else {
        // As parseRule: one statement per selector, operator and value text.
        if (type === 'ipv6_addr' || !w.plain()) return undefined;
        const key = w.keyword() ?? w.slice();
        const shared = this.sharedMatches(sel, op);
        let stmt = shared.get(key);
        if (!stmt) {
          this.word.text = key;
          const v = parseValue(type, this.word);
          if (!v) return undefined;
          shared.set(key, (stmt = { k: 'match', sel, op, rhs: { k: 'value', v } }));
        }
        this.add(stmt);
      }
      w.next();
    }
    return this.read();
  }

  /** `random mod N [offset M] vmap { K : VERDICT , … }` after `numgen`: false when not of this shape. */
  private numgen(w: Words, chains: ChainResolver): boolean {
    if (!w.is('random')) return false;
    w.next();
    if (!w.is('mod')) return false;
    w.next();
    const mod = w.digits();
    if (mod < 1) return false;
    w.next();
    let offset = 0;
    if (w.is('offset')) {
      w.next();
      offset = w.digits();
      if (offset < 0) return false;
      w.next();
    }
    if (!w.is('vmap')) return false;
    w.next();
    if (!w.isChar('{')) return false;
    const entries: { key: number; verdict: Verdict }[] = [];
    for (;;) {
      w.next();
      const key = w.digits();
      if (key < 0) return false;
      w.next();
      if (!w.isChar(':')) return false;
      w.next();
      const kind = w.keyword();
      let verdict: Verdict;
      if (kind === 'jump' || kind === 'goto') {
        w.next();
        const chain = chains.chainName(w);
        if (chain === undefined) return false;
        verdict = { kind, chain };
      } else if (kind === 'accept' || kind === 'drop' || kind === 'return' || kind === 'continue') verdict = { kind };
      else return false;
      entries.push({ key, verdict });
      w.next();
      if (w.isChar('}')) break;
      if (!w.isChar(',')) return false;
    }
    w.next();
    this.anon++;
    this.add({ k: 'numgen', mod, offset, entries });
    return true;
  }

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
  const what = t.quoted ? 'quoted string' : /^\d+$/.test(t.text) ? 'number' : isPunct(t.text) ? `'${t.text}'` : 'string';
  return new NftSyntaxError(`syntax error, unexpected ${what}`, t);
}

function endToken(toks: Token[]): Token {
  const last = toks[toks.length - 1];
  return { text: ' ', col: last ? last.col + last.text.length + (last.quoted ? 2 : 0) : 0 };
}

function readSelector(c: RuleReader): Selector | undefined {
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

/** The selector whose first word (kw) the cursor has passed, as readSelector reads it. */
function scanSelector(w: Words, kw: string | undefined): Selector | undefined {
  if (kw === undefined) return undefined;
  const group = SELECTORS[kw];
  if (group) {
    const sub = w.keyword();
    const sel = sub === undefined ? undefined : group[sub];
    if (sel) {
      w.next();
      return sel;
    }
  }
  return BARE_META[kw];
}

/** The set name of the word `@NAME`, if a plain word. */
function refName(w: Words): string | undefined {
  return w.text.charCodeAt(w.i) === AT && w.plain() && w.j - w.i > 1 ? w.text.slice(w.i + 1, w.j) : undefined;
}

function readVerdict(c: RuleReader): Verdict | undefined {
  const t = c.peek();
  if (!t || t.quoted) return undefined;
  switch (t.text) {
    case 'accept': case 'drop': case 'return': case 'continue':
      c.i++;
      return { kind: t.text };
    case 'jump': case 'goto': {
      c.i++;
      const target = c.next();
      if (!target || isPunct(target.text)) throw unexpected(target, c.toks);
      return { kind: t.text, chain: target.text };
    }
    default:
      return undefined;
  }
}

function readValue(c: RuleReader, type: DataType): Value {
  const t = c.next();
  if (!t) throw unexpected(t, c.toks);
  const v = parseValue(type, t);
  if (!v) {
    if (isPunct(t.text)) throw unexpected(t, c.toks);
    throw new NftSyntaxError(type === 'ipv4_addr' && /^[a-z]/i.test(t.text) ? `Could not resolve hostname: Name or service not known` : `Could not parse ${type === 'inet_service' ? 'inet_service' : type}`, t);
  }
  return v;
}

/** `{ a, b, c }` after the `{`. */
function readAnonSet(c: RuleReader, type: DataType): Value[] {
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

/** Parse a rule's statements: toks from `from` on (the text after `add rule FAMILY TABLE CHAIN`). */
export function parseRule(toks: Token[], from = 0, c = new RuleReader()): { stmts: Stmt[]; comment?: string } {
  c.start(toks, from);
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
      c.add(c.verdictStmt(verdict));
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
          c.add({ k: 'counter', packets, bytes });
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
          c.add({ k: 'fib', dir: dir.text, op, type: 'local' });
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
            if (!k || !isDigits(k.text)) throw unexpected(k, toks);
            c.expect(':');
            const v = readVerdict(c);
            if (!v) throw unexpected(c.peek(), toks);
            entries.push({ key, verdict: v });
            const sep = c.next();
            if (sep?.text === '}') break;
            if (sep?.text !== ',') throw unexpected(sep, toks);
          }
          c.add({ k: 'numgen', mod, offset, entries });
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
          c.add({ k: 'setupdate', op: t.text, set: ref.text.slice(1), sel });
          continue;
        }
        case 'dnat': {
          c.i++;
          if (c.peek()?.text === 'ip') c.i++;
          c.expect('to');
          // ADDR or ADDR:PORT.
          const to = c.next();
          const colon = to ? to.text.indexOf(':') : -1;
          const port = colon < 0 ? undefined : to!.text.slice(colon + 1);
          const addr = to ? dottedQuad(to.text, 0, colon < 0 ? to.text.length : colon) : -1;
          if (!to || addr < 0 || (port !== undefined && !isDigits(port))) throw new NftSyntaxError('Could not parse ipv4_addr', to ?? endToken(toks));
          c.add(port !== undefined ? { k: 'dnat', addr, port: Number(port) } : { k: 'dnat', addr });
          continue;
        }
        case 'masquerade': {
          c.i++;
          const flags: string[] = [];
          while (c.peek() && ['random', 'fully-random', 'persistent'].includes(c.peek()!.text)) flags.push(c.next()!.text);
          c.add({ k: 'masquerade', flags });
          continue;
        }
        case 'reject': {
          c.i++;
          if (c.peek()?.text === 'with') {
            const parts: string[] = [c.next()!.text];
            while (c.peek() && c.peek()!.text !== 'comment') parts.push(c.next()!.text);
            c.add({ k: 'reject', with: parts.slice(1).join(' ') });
          } else c.add({ k: 'reject' });
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
    // A concatenation (`ip daddr . meta l4proto . th dport`) is only for a lookup.
    let sels: Selector[] | undefined;
    while (c.peek()?.text === '.') {
      c.i++;
      const more = readSelector(c);
      if (!more) throw unexpected(c.peek(), toks);
      (sels ??= [sel]).push(more);
    }
    const nx = c.peek();
    if (nx?.text === 'vmap') {
      sels ??= [sel];
      c.i++;
      const ref = c.next();
      if (ref?.text.startsWith('@')) {
        c.add({ k: 'vmap', sel: sels, map: { k: 'ref', name: ref.text.slice(1) } });
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
      c.add({ k: 'vmap', sel: sels, map: { k: 'anon', entries } });
      continue;
    }
    if (sels) throw new NftSyntaxError('concatenations are only supported in lookups here', start);
    if (sel === 'meta mark' && (nx?.text === 'set')) {
      c.i++;
      // `mark set mark or 0x4000` / `meta mark set meta mark | 0x4000` / `mark set 0x1`.
      if (readSelector(c) === 'meta mark') {
        const opTok = c.next();
        const op = opTok?.text === 'or' || opTok?.text === '|' ? 'or' : opTok?.text === 'xor' || opTok?.text === '^' ? 'xor' : opTok?.text === 'and' || opTok?.text === '&' ? 'and' : undefined;
        if (!op) throw unexpected(opTok, toks);
        const v = readValue(c, 'mark') as { n: number };
        c.add({ k: 'markset', op, value: v.n });
      } else {
        const v = readValue(c, 'mark') as { n: number };
        c.add({ k: 'markset', op: 'set', value: v.n });
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
      c.add({ k: 'bitmatch', sel: 'meta mark', mask, op, value });
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
    } else {
      // A comparison with a port, a protocol, a mark… is one object per file (not addresses:
      // few rules share one).
      const type = SELECTOR_TYPE[sel];
      const shared = !r.quoted && type !== 'ipv4_addr' && type !== 'ipv6_addr' ? c.sharedMatches(sel, op) : undefined;
      const known = shared?.get(r.text);
      if (known) {
        c.i++;
        c.add(known);
        continue;
      }
      const stmt: Stmt = { k: 'match', sel, op, rhs: { k: 'value', v: readValue(c, type) } };
      shared?.set(r.text, stmt);
      c.add(stmt);
      continue;
    }
    c.add({ k: 'match', sel, op, rhs });
  }
  const stmts = c.read();
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

/** What the printer writes its pieces into: an array, or a listing being written. */
export interface Sink {
  push(...pieces: string[]): unknown;
}

/** A statement as `nft list` prints it, in pieces (a listing writes them without joining). */
export function writeStmt(out: Sink, s: Stmt, num: Numeric = NAMES): void {
  switch (s.k) {
    case 'match': {
      const type = SELECTOR_TYPE[s.sel];
      out.push(selText(s.sel), s.op === '!=' ? ' != ' : ' ');
      if (s.rhs.k === 'setref') out.push('@', s.rhs.name);
      else if (s.rhs.k === 'anon') out.push('{ ', sortValues(type, s.rhs.items).map((v) => formatValue(type, v, num)).join(', '), ' }');
      else out.push(formatValue(type, s.rhs.v, num));
      return;
    }
    case 'bitmatch':
      out.push(`meta mark & ${hex8(s.mask)} ${s.op} ${hex8(s.value)}`);
      return;
    case 'fib':
      // RTN_LOCAL is 2.
      out.push(`fib ${s.dir} type${s.op === '!=' ? ' !=' : ''} ${num.all ? 2 : s.type}`);
      return;
    case 'vmap': {
      const sel = s.sel.map(selText).join(' . ');
      if (s.map.k === 'ref') {
        out.push(sel, ' vmap @', s.map.name);
        return;
      }
      const types = s.sel.map((x) => SELECTOR_TYPE[x]);
      const entries = s.map.entries.map((e) => `${e.key.map((v, i) => formatValue(types[i]!, v, num)).join(' . ')} : ${formatVerdict(e.verdict)}`);
      out.push(sel, ' vmap { ', entries.join(', '), ' }');
      return;
    }
    case 'numgen':
      out.push('numgen random mod ', String(s.mod), s.offset ? ` offset ${s.offset}` : '', ' vmap { ');
      for (let i = 0; i < s.entries.length; i++) {
        const e = s.entries[i]!;
        if (i > 0) out.push(', ');
        out.push(String(e.key), ' : ');
        writeVerdict(out, e.verdict);
      }
      out.push(' }');
      return;
    case 'markset':
      out.push(s.op === 'set' ? `meta mark set ${hex8(s.value)}` : `meta mark set meta mark ${s.op === 'or' ? '|' : s.op === 'xor' ? '^' : '&'} ${hex8(s.value)}`);
      return;
    case 'setupdate':
      out.push(s.op, ' @', s.set, ' { ', selText(s.sel), ' }');
      return;
    case 'counter':
      out.push(`counter packets ${s.packets} bytes ${s.bytes}`);
      return;
    case 'dnat':
      out.push('dnat to ', formatIPv4(s.addr));
      if (s.port !== undefined) out.push(':', String(s.port));
      return;
    case 'masquerade':
      out.push(['masquerade', ...s.flags].join(' '));
      return;
    case 'reject':
      out.push(s.with ? `reject with ${s.with}` : 'reject');
      return;
    case 'verdict':
      writeVerdict(out, s.v);
      return;
  }
}

function writeVerdict(out: Sink, v: Verdict): void {
  if (v.kind === 'jump' || v.kind === 'goto') out.push(v.kind, ' ', v.chain);
  else out.push(v.kind);
}

export function formatStmt(s: Stmt, num: Numeric = NAMES): string {
  const out: string[] = [];
  writeStmt(out, s, num);
  return out.join('');
}

/** A rule's statements as `nft list` prints them, in pieces. */
export function writeRule(out: Sink, stmts: readonly Stmt[], num: Numeric = NAMES): void {
  for (let i = 0; i < stmts.length; i++) {
    if (i > 0) out.push(' ');
    writeStmt(out, stmts[i]!, num);
  }
}

/**
 * A rule's text as `nft list` prints it. A counter's numbers change with traffic, so
 * rules holding one are printed afresh each time (the cached text leaves them out).
 */
export function formatRule(stmts: readonly Stmt[], num: Numeric = NAMES): string {
  const out: string[] = [];
  writeRule(out, stmts, num);
  return out.join('');
}

/** Chains a rule jumps or goes to (for the kernel's use counts and existence checks). */
export function ruleTargets(stmts: readonly Stmt[]): readonly string[] {
  // Counted first, so that the list is exactly as long (most rules name none or one).
  const n = visitTargets(stmts, undefined);
  if (n === 0) return NO_NAMES;
  const out = new Array<string>(n);
  visitTargets(stmts, out);
  return out;
}

const NO_NAMES: readonly string[] = [];

/** Count the jump and goto targets of the statements, writing them into out when given. */
function visitTargets(stmts: readonly Stmt[], out: string[] | undefined): number {
  let n = 0;
  for (const s of stmts) {
    if (s.k === 'verdict') n = visitTarget(s.v, out, n);
    else if (s.k === 'numgen') for (const e of s.entries) n = visitTarget(e.verdict, out, n);
    else if (s.k === 'vmap' && s.map.k === 'anon') for (const e of s.map.entries) n = visitTarget(e.verdict, out, n);
  }
  return n;
}

function visitTarget(v: Verdict, out: string[] | undefined, n: number): number {
  if (v.kind !== 'jump' && v.kind !== 'goto') return n;
  if (out) out[n] = v.chain;
  return n + 1;
}

/** Sets and maps a rule refers to by name. */
export function ruleSetRefs(stmts: readonly Stmt[]): readonly string[] {
  let out: string[] | undefined;
  for (const s of stmts) {
    if (s.k === 'match' && s.rhs.k === 'setref') (out ??= []).push(s.rhs.name);
    else if (s.k === 'vmap' && s.map.k === 'ref') (out ??= []).push(s.map.name);
    else if (s.k === 'setupdate') (out ??= []).push(s.set);
  }
  return out ?? NO_NAMES;
}

/** How many anonymous sets the kernel creates for a rule (each takes a handle). */
export function anonymousSets(stmts: readonly Stmt[]): number {
  let n = 0;
  for (const s of stmts) {
    if ((s.k === 'match' && s.rhs.k === 'anon') || (s.k === 'vmap' && s.map.k === 'anon') || s.k === 'numgen') n++;
  }
  return n;
}
