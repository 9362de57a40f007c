/** iptables-save output as iptables v1.8.9 (nf_tables) prints it (iptables/xtables-save.c,
 *  iptables/nft-ipv4.c save_rule, the extensions' save functions). */
import { formatIPv4 } from './addr';
import { MATCHES, protoName, saveMatch, saveTarget } from './extensions';
import { newTable, sortedChains } from './ruleset';
import { TABLE_ORDER, type Chain, type Netfilter, type Rule, type Table, type TableName } from './types';

export const IPTABLES_VERSION = 'v1.8.9 (nf_tables)';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** ctime(3) without the newline, in UTC: `Fri Nov 27 14:31:17 2026` (day of month space-padded). */
export function ctime(ms: number): string {
  const d = new Date(ms);
  const p2 = (n: number): string => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

const specCache = new WeakMap<Rule, string>();

/** The rule spec after `-A CHAIN` (leading space included), as save_rule prints it. Rules are
 *  immutable once parsed (only their counters move), so the text is computed once per rule. */
export function saveRuleSpec(r: Rule): string {
  let s = specCache.get(r);
  if (s === undefined) {
    const parts: string[] = [];
    specParts(r, parts);
    s = parts.join('');
    specCache.set(r, s);
  }
  return s;
}

/** `to` is a copy of `from` with other counters: same text. */
export function shareSpec(from: Rule, to: Rule): void {
  const s = specCache.get(from);
  if (s !== undefined) specCache.set(to, s);
}

/** ` -m KIND` for each match kind. */
const MATCH_HEAD = new Map<string, string>([...MATCHES.keys()].map((k) => [k, ' -m ' + k]));

/** Prefix lengths as text. */
const BITS = Array.from({ length: 33 }, (_, k) => String(k));

/** The rule spec, piece by piece, onto `out` (a whole dump is joined once, not rule by rule). */
function specParts(r: Rule, out: string[]): void {
  const { src, dst, inIface, outIface, proto } = r;
  if (src && !(src.bits === 0 && !src.inv)) out.push(src.inv ? ' ! -s ' : ' -s ', formatIPv4(src.base), '/', BITS[src.bits]!);
  if (dst && !(dst.bits === 0 && !dst.inv)) out.push(dst.inv ? ' ! -d ' : ' -d ', formatIPv4(dst.base), '/', BITS[dst.bits]!);
  if (inIface) out.push(inIface.inv ? ' ! -i ' : ' -i ', inIface.name, inIface.wildcard ? '+' : '');
  if (outIface) out.push(outIface.inv ? ' ! -o ' : ' -o ', outIface.name, outIface.wildcard ? '+' : '');
  if (proto) out.push(r.protoInv ? ' ! -p ' : ' -p ', protoName(proto));
  const matches = r.matches;
  for (let k = 0; k < matches.length; k++) {
    const m = matches[k]!;
    out.push(MATCH_HEAD.get(m.kind)!, saveMatch(m));
  }
  const t = r.target;
  if (t.kind === 'jump') out.push(t.goto ? ' -g ' : ' -j ', t.chain);
  else if (t.kind === 'verdict') out.push(' -j ', t.verdict);
  else out.push(saveTarget(t));
}

/** `-A CHAIN spec` (what iptables-save and iptables -S print for one rule). */
export function saveRule(chain: string, r: Rule, opts: { counters?: 'prefix' | 'inline' } = {}): string {
  if (opts.counters === 'prefix') return `[${r.counters.packets}:${r.counters.bytes}] -A ${chain}${saveRuleSpec(r)}`;
  if (opts.counters === 'inline') return `-A ${chain} -c ${r.counters.packets} ${r.counters.bytes}${saveRuleSpec(r)}`;
  return `-A ${chain}${saveRuleSpec(r)}`;
}

export interface SaveOptions {
  /** `iptables-save -t TABLE`. */
  table?: TableName;
  /** `iptables-save -c`. */
  counters?: boolean;
  /** Milliseconds since the epoch for the header/footer dates (from the engine clock). */
  now: number;
}

/**
 * Text built from many small pieces: joined a few thousand at a time into flat chunks, so a
 * 30 MB dump never holds millions of little strings (or trees of them) at once.
 */
class TextOut {
  readonly #chunks: string[] = [];
  readonly #parts: string[] = [];
  push(...pieces: string[]): void {
    for (const p of pieces) this.#parts.push(p);
    this.#flushIfBig();
  }
  /** The pieces pushed onto `parts` directly. */
  get parts(): string[] {
    return this.#parts;
  }
  #flushIfBig(): void {
    if (this.#parts.length >= 8192) {
      this.#chunks.push(this.#parts.join(''));
      this.#parts.length = 0;
    }
  }
  endLine(): void {
    this.#parts.push('\n');
    this.#flushIfBig();
  }
  text(): string {
    this.#chunks.push(this.#parts.join(''));
    this.#parts.length = 0;
    return this.#chunks.join('');
  }
}

/**
 * A chain's `-A` lines (joined by newlines, without the last one), kept until the chain
 * changes (its version moves; a rename changes its name): saving a big table again copies
 * these instead of printing 100k rules anew.
 */
const linesCache = new WeakMap<Chain, { version: number; name: string; text: string }>();

function ruleLines(c: Chain): string {
  const hit = linesCache.get(c);
  if (hit && hit.version === c.version && hit.name === c.name) return hit.text;
  const parts: string[] = [];
  const head = '-A ' + c.name;
  const rules = c.rules;
  for (let k = 0; k < rules.length; k++) {
    const r = rules[k]!;
    if (k) parts.push('\n');
    parts.push(head);
    const cached = specCache.get(r);
    if (cached !== undefined) parts.push(cached);
    else specParts(r, parts);
  }
  const text = parts.join('');
  linesCache.set(c, { version: c.version, name: c.name, text });
  return text;
}

/** `[packets:bytes] -A CHAIN spec` lines (iptables-save -c). */
function writeRulesWithCounters(parts: string[], c: Chain): void {
  const head = '] -A ' + c.name;
  const rules = c.rules;
  for (let k = 0; k < rules.length; k++) {
    const r = rules[k]!;
    if (k) parts.push('\n');
    parts.push('[', String(r.counters.packets), ':', String(r.counters.bytes), head);
    const cached = specCache.get(r);
    if (cached !== undefined) parts.push(cached);
    else specParts(r, parts);
  }
}

function writeTable(out: TextOut, t: Table, counters: boolean): void {
  const parts = out.parts;
  parts.push('*', t.name);
  out.endLine();
  const chains = sortedChains(t);
  for (const c of chains) {
    if (c.builtin) parts.push(':', c.name, ' ', c.policy!, ' [', String(c.counters.packets), ':', String(c.counters.bytes), ']');
    else parts.push(':', c.name, ' - [0:0]');
    out.endLine();
  }
  for (const c of chains) {
    if (c.rules.length === 0) continue;
    if (counters) writeRulesWithCounters(parts, c);
    else parts.push(ruleLines(c));
    out.endLine();
  }
  parts.push('COMMIT');
  out.endLine();
}

/** The whole `iptables-save` text (ends with a newline). Tables that were never written to
 *  do not exist and are not printed, as with iptables-nft — unless asked for with -t, which
 *  prints the table with its empty built-in chains. */
export function iptablesSave(nf: Netfilter, opts: SaveOptions): string {
  const out = new TextOut();
  const date = ctime(opts.now);
  for (const name of TABLE_ORDER) {
    if (opts.table && opts.table !== name) continue;
    const t = nf.tables.get(name) ?? (opts.table ? newTable(name) : undefined);
    if (!t) continue;
    out.push(`# Generated by iptables-save ${IPTABLES_VERSION} on ${date}`);
    out.endLine();
    writeTable(out, t, !!opts.counters);
    out.push(`# Completed on ${date}`);
    out.endLine();
  }
  return out.text();
}

/** The `iptables-save` command: argv without the program name (-t TABLE, -c; -M/-f ignored). */
export function iptablesSaveCommand(nf: Netfilter, argv: readonly string[], now: number): { stdout: string; stderr: string; exitCode: number } {
  let table: string | undefined;
  let counters = false;
  const bad = (what: string): { stdout: string; stderr: string; exitCode: number } => ({
    stdout: '', stderr: `iptables-save: ${what}\nLook at manual page \`iptables-save.8' for more information.\n`, exitCode: 1,
  });
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-c' || a === '--counters') counters = true;
    else if (a === '-t' || a === '--table') {
      if (argv[i + 1] === undefined) return bad(`option requires an argument -- 't'`);
      table = argv[++i];
    } else if (a === '-M' || a === '--modprobe' || a === '-f' || a === '--file') i++;
    else if (a.startsWith('--')) return bad(`unrecognized option '${a}'`);
    else if (a.startsWith('-') && a.length > 1) return bad(`invalid option -- '${a[1]}'`);
  }
  if (table !== undefined && !TABLE_ORDER.includes(table as TableName)) {
    return { stdout: '', stderr: `Table \`${table}' does not exist\n`, exitCode: 1 };
  }
  return { stdout: iptablesSave(nf, { now, counters, table: table as TableName | undefined }), stderr: '', exitCode: 0 };
}
