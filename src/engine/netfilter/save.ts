/** iptables-save output as iptables v1.8.9 (nf_tables) prints it (iptables/xtables-save.c,
 *  iptables/nft-ipv4.c save_rule, the extensions' save functions). */
import { formatIPv4 } from './addr';
import { MATCHES, protoName, saveMatch, saveTarget } from './extensions';
import { chainOrder, newTable, type ChainOrder } from './ruleset';
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

/** ` -m KIND` for each match kind. */
const MATCH_HEAD = new Map<string, string>([...MATCHES.keys()].map((k) => [k, ' -m ' + k]));

/** `/N` for each prefix length. */
const BITS = Array.from({ length: 33 }, (_, k) => '/' + k);

/** The rule spec, piece by piece, onto `out` (a whole dump is joined once, not rule by rule). */
function specParts(r: Rule, out: string[]): void {
  const { src, dst, inIface, outIface, proto } = r;
  if (src && !(src.bits === 0 && !src.inv)) out.push(src.inv ? ' ! -s ' : ' -s ', formatIPv4(src.base), BITS[src.bits]!);
  if (dst && !(dst.bits === 0 && !dst.inv)) out.push(dst.inv ? ' ! -d ' : ' -d ', formatIPv4(dst.base), BITS[dst.bits]!);
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
 * Text built from many small pieces, joined a few thousand at a time so that a 30 MB dump
 * never holds millions of little strings at once; the joined chunks are concatenated, not
 * copied into one.
 */
class Pieces {
  #done = '';
  /** Push pieces here; then line() (which ends a line) or flushIfBig(). */
  readonly parts: string[] = [];
  line(): void {
    this.parts.push('\n');
    this.flushIfBig();
  }
  flushIfBig(): void {
    if (this.parts.length >= 8192) {
      this.#done += this.parts.join('');
      this.parts.length = 0;
    }
  }
  /** The text so far; starts anew. */
  text(): string {
    const all = this.#done + this.parts.join('');
    this.#done = '';
    this.parts.length = 0;
    return all;
  }
}

/**
 * What a table prints that changes only when its chains do: the user chains' `:NAME - [0:0]`
 * lines and all the `-A` lines. Kept per table while its chains are the same ones (the same
 * chainOrder) at the same versions: printing a 300k-rule table again costs nothing.
 */
interface TableText {
  order: ChainOrder;
  versions: number[];
  userChains: string;
  rules: string;
}
const tableTexts = new WeakMap<Table, TableText>();

function tableText(t: Table): TableText {
  const order = chainOrder(t);
  const hit = tableTexts.get(t);
  if (hit && hit.order === order && hit.versions.every((v, k) => order.created[k]!.version === v)) return hit;
  // Each chain's lines are made walking the chains in the order they were made (the order
  // their rules sit in memory), then laid out in the printed order.
  const created = order.created;
  const lines: string[] = new Array<string>(created.length);
  const one: string[] = [];
  for (let k = 0; k < created.length; k++) {
    writeRules(one, created[k]!, false);
    lines[k] = one.join('');
    one.length = 0;
  }
  const decl = new Pieces();
  const rules = new Pieces();
  for (let k = 0; k < order.sorted.length; k++) {
    const c = order.sorted[k]!;
    if (!c.builtin) {
      decl.parts.push(':', c.name, ' - [0:0]');
      decl.line();
    }
    rules.parts.push(lines[order.createdIndex[k]!]!);
    rules.flushIfBig();
  }
  const text: TableText = { order, versions: created.map((c) => c.version), userChains: decl.text(), rules: rules.text() };
  tableTexts.set(t, text);
  return text;
}

/** The chain's `-A CHAIN spec` lines onto `parts`, with `[packets:bytes] ` before each for -c. */
function writeRules(parts: string[], c: Chain, counters: boolean): void {
  const rules = c.rules;
  if (rules.length === 0) return;
  const head = '-A ' + c.name;
  for (let k = 0; k < rules.length; k++) {
    const r = rules[k]!;
    if (counters) parts.push('[', String(r.counters.packets), ':', String(r.counters.bytes), '] ');
    parts.push(head);
    const cached = specCache.get(r);
    if (cached !== undefined) parts.push(cached);
    else specParts(r, parts);
    parts.push('\n');
  }
}

/** One table, `*name` to `COMMIT`, each line ending with a newline. */
function tableSave(t: Table, counters: boolean): string {
  const tt = tableText(t);
  let head = `*${t.name}\n`;
  // The built-in chains' policies and counters move: printed anew each time.
  for (const c of tt.order.sorted) {
    if (!c.builtin) break;
    head += `:${c.name} ${c.policy} [${c.counters.packets}:${c.counters.bytes}]\n`;
  }
  let rules = tt.rules;
  if (counters) {
    const out = new Pieces();
    for (const c of tt.order.sorted) {
      writeRules(out.parts, c, true);
      out.flushIfBig();
    }
    rules = out.text();
  }
  // Concatenated, not joined: the big parts are not copied again.
  return head + tt.userChains + rules + 'COMMIT\n';
}

/** The whole `iptables-save` text (ends with a newline). Tables that were never written to
 *  do not exist and are not printed, as with iptables-nft — unless asked for with -t, which
 *  prints the table with its empty built-in chains. */
export function iptablesSave(nf: Netfilter, opts: SaveOptions): string {
  let out = '';
  const date = ctime(opts.now);
  for (const name of TABLE_ORDER) {
    if (opts.table && opts.table !== name) continue;
    const t = nf.tables.get(name) ?? (opts.table ? newTable(name) : undefined);
    if (!t) continue;
    out += `# Generated by iptables-save ${IPTABLES_VERSION} on ${date}\n` + tableSave(t, !!opts.counters) + `# Completed on ${date}\n`;
  }
  return out;
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
