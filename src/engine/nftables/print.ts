/**
 * `nft list …` output, as nft 1.0.6 prints it (checked against the real binary, see
 * docs/nft-crosscheck.md): tabs, a blank line between objects, `# handle N` with -a,
 * named priorities (`dstnat - 10`, `filter`, `srcnat`) where nft knows a name for the hook,
 * set elements sorted as nft sorts them and wrapped as it wraps them (two addresses a line,
 * one concatenation a line), timeouts as `3h`.
 */
import { formatRule, formatValue, formatVerdict, valueOrder, writeRule, type Numeric } from './rule';
import { STD_PRIORITIES, type DataType, type HookName, type NftChain, type NftElement, type NftRule, type NftRuleset, type NftSet, type NftTable, type Value } from './types';

export interface ListOptions {
  /** -a: `# handle N`. */
  handles?: boolean;
  /** Engine time in ms (what `expires` counts down from). */
  now?: number;
  /** -t: omit the contents of sets. */
  terse?: boolean;
  /** -s: omit stateful information (element expiry, counter values). */
  stateless?: boolean;
  /** -y: chain priorities as numbers. */
  numericPriority?: boolean;
  /** -p: protocols as numbers. */
  numericProto?: boolean;
  /** -T: times in seconds. */
  numericTime?: boolean;
  /** -n: everything numeric (protocols, priorities, times, ct state bits, fib types). */
  numeric?: boolean;
}

/** nft's time_print: `3h`, `2h59m59s960ms`, `0s`; with -T/-n, seconds (`10800s`). */
export function formatTime(ms: number, numeric = false): string {
  if (numeric) return ms % 1000 === 0 ? `${Math.floor(ms / 1000)}s` : `${Math.floor(ms)}ms`;
  let rest = Math.max(0, Math.floor(ms));
  const parts: [number, string][] = [[86_400_000, 'd'], [3_600_000, 'h'], [60_000, 'm'], [1000, 's'], [1, 'ms']];
  let out = '';
  for (const [unit, name] of parts) {
    const n = Math.floor(rest / unit);
    rest -= n * unit;
    if (n > 0) out += `${n}${name}`;
  }
  return out || '0s';
}

/** `priority dstnat - 10`: the standard name within 10 of the value, if one is valid on the hook. */
export function formatPriority(hook: HookName, prio: number): string {
  for (const p of STD_PRIORITIES) {
    if (p.hooks && !p.hooks.includes(hook)) continue;
    const off = prio - p.value;
    if (Math.abs(off) <= 10) return off === 0 ? p.name : `${p.name} ${off < 0 ? '-' : '+'} ${Math.abs(off)}`;
  }
  return String(prio);
}

/** A rule's text for the evaluator's traces (cached on the rule unless it holds a counter, whose numbers change). */
export function ruleText(r: NftRule): string {
  if (r.text) return r.text;
  const t = formatRule(r.stmts);
  if (!hasCounter(r)) r.text = t;
  return t;
}

function hasCounter(r: NftRule): boolean {
  for (const s of r.stmts) if (s.k === 'counter') return true;
  return false;
}

/**
 * A listing being written: its pieces are joined a few thousand at a time. A string grown
 * by += piece by piece would be a rope of millions of nodes (27 MB at 10,000 Services × 10
 * endpoints) that the garbage collector moves one by one. The joins (~40 KB each) are
 * joined again into chunks of 256K characters: those are allocated outside the young
 * generation, while the small joins die young instead of being copied by every scavenge
 * until the listing ends. The listing is a rope of about a hundred flat chunks.
 */
class Out {
  /** What is written and not joined yet: the writers push their pieces here. */
  readonly parts: string[] = [];
  private readonly joined: string[] = [];
  private joinedChars = 0;
  private readonly chunks: string[] = [];
  /** After a chain or a set: join what is written once it is a few thousand pieces. */
  cut(): void {
    if (this.parts.length < 4096) return;
    const s = this.parts.join('');
    this.parts.length = 0;
    this.joined.push(s);
    if ((this.joinedChars += s.length) >= CHUNK_CHARS) {
      this.chunks.push(this.joined.join(''));
      this.joined.length = 0;
      this.joinedChars = 0;
    }
  }
  /** The listing: its chunks concatenated (a rope, not a copy). */
  text(): string {
    let s = '';
    for (const c of this.chunks) s += c;
    return s + this.joined.join('') + this.parts.join('');
  }
}

const CHUNK_CHARS = 1 << 18;

const handle = (o: ListOptions, h: number): string => (o.handles ? ` # handle ${h}` : '');
const numericOf = (o: ListOptions): Numeric => ({ proto: o.numericProto || o.numeric, all: o.numeric });
const timeNumeric = (o: ListOptions): boolean => !!(o.numericTime || o.numeric);

function writeChain(out: string[], c: NftChain, o: ListOptions, withRules: boolean): void {
  if (o.handles) out.push('\tchain ', c.name, ' { # handle ', String(c.handle), '\n');
  else out.push('\tchain ', c.name, ' {\n');
  if (c.comment !== undefined) out.push(`\t\tcomment "${c.comment}"\n`);
  if (c.base) out.push(`\t\ttype ${c.base.type} hook ${c.base.hook} priority ${o.numericPriority || o.numeric ? c.base.priority : formatPriority(c.base.hook, c.base.priority)}; policy ${c.base.policy};\n`);
  if (withRules) {
    const num = o.stateless || o.numeric || o.numericProto ? numericOf(o) : undefined;
    for (const r of c.rules) {
      // Written in pieces, not cached: 220k texts kept on the rules would make the garbage
      // collector move them all while the listing is written.
      out.push('\t\t');
      if (num) writeRule(out, o.stateless ? r.stmts.filter((x) => x.k !== 'counter') : r.stmts, num);
      else if (r.text) out.push(r.text);
      else writeRule(out, r.stmts);
      if (r.comment !== undefined) out.push(' comment "', r.comment, '"');
      if (o.handles) out.push(' # handle ', String(r.handle));
      out.push('\n');
    }
  }
  out.push('\t}\n');
}

/** Bytes of a value as the kernel stores it (for nft's sort of concatenated keys). */
function valueBytes(type: DataType, v: Value): number[] {
  const n = v.t === 'addr' ? v.base : v.t === 'num' ? v.n : 0;
  switch (type) {
    case 'inet_proto':
      return [n & 255];
    case 'inet_service':
      return [(n >>> 8) & 255, n & 255];
    default:
      return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
  }
}

/** valueBytes last to first, as a string of those character codes. */
function reversedBytes(type: DataType, v: Value): string {
  const n = v.t === 'addr' ? v.base : v.t === 'num' ? v.n : 0;
  switch (type) {
    case 'inet_proto':
      return String.fromCharCode(n & 255);
    case 'inet_service':
      return String.fromCharCode(n & 255, (n >>> 8) & 255);
    default:
      return String.fromCharCode(n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255);
  }
}

/**
 * nft sorts elements before printing: a single value by its number; a concatenation by
 * its bytes read as one host-order (little-endian) number, so the LAST field decides
 * first (`… . udp . 53` before `… . tcp . 80`). Each element gets a key string (those
 * bytes, the most significant first, then its position) that is sorted natively: on a cold
 * engine, calling a comparison function 150k times costs more than the sort.
 */
export function sortedElements(set: NftSet): NftElement[] {
  const els = [...set.elements.values()];
  const n = els.length;
  if (n < 2) return els;
  const types = set.keyType;
  const single = types.length === 1;
  const keys = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const key = els[i]!.key;
    let k: string;
    if (single) {
      const x = valueOrder(key[0]!);
      if (!(x >= 0 && x <= 0xffffffff && x % 1 === 0)) return sortedByCompare(set, els);
      k = String.fromCharCode(x >>> 24, (x >>> 16) & 255, (x >>> 8) & 255, x & 255);
    } else {
      if (key.length !== types.length) return sortedByCompare(set, els);
      k = '';
      for (let f = key.length - 1; f >= 0; f--) k += reversedBytes(types[f]!, key[f]!);
    }
    // Its position last: equal keys keep the order they were added in (a stable sort's).
    keys[i] = k + String.fromCharCode(i >>> 16, i & 0xffff);
  }
  keys.sort();
  const at = keys[0]!.length - 2;
  const out = new Array<NftElement>(n);
  for (let i = 0; i < n; i++) out[i] = els[keys[i]!.charCodeAt(at) * 65536 + keys[i]!.charCodeAt(at + 1)]!;
  if (single) {
    // Values of one number (an address and a prefix of it): by their text, as nft does.
    let from = 0;
    for (let i = 1; i <= n; i++) {
      if (i < n && keys[i]!.startsWith(keys[from]!.slice(0, at))) continue;
      if (i - from > 1) {
        const run = sortedByCompare(set, out.slice(from, i));
        for (let j = 0; j < run.length; j++) out[from + j] = run[j]!;
      }
      from = i;
    }
  }
  return out;
}

/** The same order by comparing elements (ties among single values; keys of unusual shapes). */
export function sortedByCompare(set: NftSet, els: NftElement[]): NftElement[] {
  if (set.keyType.length === 1) {
    const type = set.keyType[0]!;
    return els.sort((a, b) => valueOrder(a.key[0]!) - valueOrder(b.key[0]!) || formatValue(type, a.key[0]!).localeCompare(formatValue(type, b.key[0]!)));
  }
  const bytes = new Map<NftElement, number[]>();
  for (const e of els) bytes.set(e, e.key.flatMap((v, i) => valueBytes(set.keyType[i]!, v)));
  return els.sort((a, b) => {
    const x = bytes.get(a)!;
    const y = bytes.get(b)!;
    for (let i = x.length - 1; i >= 0; i--) if (x[i] !== y[i]) return x[i]! - y[i]!;
    return 0;
  });
}

/** How many elements nft puts on a line for a key type (calculate_delim). */
function perLine(set: NftSet): number {
  if (set.keyType.length > 1) return 1;
  switch (set.keyType[0]) {
    case 'ipv4_addr': case 'ipv6_addr': case 'ct_state':
      return 2;
    case 'inet_proto': case 'inet_service': case 'mark':
      return 16;
    default:
      return 1;
  }
}

/** One element's text, in pieces (no per-element array or string for its fields). */
function writeElement(out: string[], set: NftSet, e: NftElement, o: ListOptions, num: Numeric): void {
  const key = e.key;
  for (let i = 0; i < key.length; i++) {
    if (i > 0) out.push(' . ');
    out.push(formatValue(set.keyType[i]!, key[i]!, num));
  }
  if (e.timeout !== undefined && e.timeout !== set.timeout) out.push(' timeout ', formatTime(e.timeout, timeNumeric(o)));
  if (e.expires !== undefined && !o.stateless) out.push(' expires ', formatTime(e.expires - (o.now ?? 0), timeNumeric(o)));
  if (e.comment !== undefined) out.push(' comment "', e.comment, '"');
  if (e.verdict) out.push(' : ', formatVerdict(e.verdict));
}

/** Elements whose timeout has passed are gone (the kernel's gc; lookups skip them too). */
function live(set: NftSet, now: number | undefined): NftSet {
  if (now === undefined || set.timeout === undefined && !set.flags.includes('timeout')) return set;
  let expired = false;
  for (const e of set.elements.values()) if (e.expires !== undefined && e.expires <= now) expired = true;
  if (!expired) return set;
  return { ...set, elements: new Map([...set.elements].filter(([, e]) => e.expires === undefined || e.expires > now)) };
}

function writeSet(out: string[], raw: NftSet, o: ListOptions): void {
  const set = live(raw, o.now);
  out.push(`\t${set.isMap ? 'map' : 'set'} ${set.name} {${handle(o, set.handle)}\n`);
  out.push(`\t\ttype ${set.keyType.join(' . ')}${set.isMap ? ` : ${set.dataType}` : ''}\n`);
  if (set.size !== undefined) out.push(`\t\tsize ${set.size}\n`);
  if (set.flags.length) out.push(`\t\tflags ${set.flags.join(',')}\n`);
  if (set.timeout !== undefined) out.push(`\t\ttimeout ${formatTime(set.timeout, timeNumeric(o))}\n`);
  if (set.comment !== undefined) out.push(`\t\tcomment "${set.comment}"\n`);
  if (set.elements.size > 0 && !o.terse) {
    const per = perLine(set);
    const num = numericOf(o);
    const items = sortedElements(set);
    out.push('\t\telements = { ');
    for (let i = 0; i < items.length; i++) {
      writeElement(out, set, items[i]!, o, num);
      if (i < items.length - 1) out.push((i + 1) % per === 0 ? ',\n\t\t\t     ' : ', ');
    }
    out.push(' }\n');
  }
  out.push('\t}\n');
}

function tableHead(t: NftTable, o: ListOptions): string {
  return `table ${t.family} ${t.name} {${handle(o, t.handle)}\n`;
}

function writeTable(out: Out, t: NftTable, o: ListOptions): void {
  const parts = out.parts;
  parts.push(tableHead(t, o));
  if (t.comment !== undefined) parts.push(`\tcomment "${t.comment}"\n`);
  let first = true;
  for (const set of t.sets.values()) {
    if (!first) parts.push('\n');
    writeSet(parts, set, o);
    out.cut();
    first = false;
  }
  for (const c of t.chains.values()) {
    if (!first) parts.push('\n');
    writeChain(parts, c, o, true);
    out.cut();
    first = false;
  }
  parts.push('}\n');
}

/** `nft list table FAMILY NAME`. */
export function listTable(t: NftTable, o: ListOptions = {}): string {
  const out = new Out();
  writeTable(out, t, o);
  return out.text();
}

/** `nft list ruleset`: every table, in creation order. */
export function listRuleset(rs: NftRuleset, o: ListOptions = {}, family?: string): string {
  const out = new Out();
  for (const t of rs.tables) if (!family || t.family === family) writeTable(out, t, o);
  return out.text();
}

/** `nft list tables`. */
export function listTables(rs: NftRuleset, family?: string): string {
  return rs.tables.filter((t) => !family || t.family === family).map((t) => `table ${t.family} ${t.name}\n`).join('');
}

function piecesOf(write: (out: string[]) => void): string {
  const out: string[] = [];
  write(out);
  return out.join('');
}

/** `nft list chain FAMILY TABLE NAME`. */
export function listChain(t: NftTable, c: NftChain, o: ListOptions = {}): string {
  return tableHead(t, o) + piecesOf((out) => writeChain(out, c, o, true)) + '}\n';
}

/** `nft list set|map FAMILY TABLE NAME`. */
export function listSet(t: NftTable, set: NftSet, o: ListOptions = {}): string {
  return tableHead(t, o) + piecesOf((out) => writeSet(out, set, o)) + '}\n';
}

/** `nft list chains`: declarations only, per table. */
export function listChains(rs: NftRuleset, o: ListOptions = {}): string {
  const out = new Out();
  for (const t of rs.tables) {
    if (t.chains.size === 0) continue;
    out.parts.push(tableHead(t, o));
    for (const c of t.chains.values()) {
      writeChain(out.parts, c, o, false);
      out.cut();
    }
    out.parts.push('}\n');
  }
  return out.text();
}

/** `nft list sets` / `nft list maps`. */
export function listSets(rs: NftRuleset, maps: boolean, o: ListOptions = {}): string {
  const out = new Out();
  for (const t of rs.tables) {
    const sets = [...t.sets.values()].filter((x) => x.isMap === maps);
    if (sets.length === 0) continue;
    out.parts.push(tableHead(t, o));
    for (const set of sets) {
      writeSet(out.parts, set, o);
      out.cut();
    }
    out.parts.push('}\n');
  }
  return out.text();
}
