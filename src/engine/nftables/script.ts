/**
 * `nft -f`: a file of commands (`add table`, `add chain`, `add rule`, `add map`, `add
 * element`, `flush`, `delete`, `insert`) or of `table … { … }` blocks as `nft list` prints
 * them, applied as ONE transaction as the kernel commits
 * an nft batch: on the first error nothing of the file stays, and the error reads as nft
 * prints it (`FILE:LINE:FROM-TO: Error: Could not process rule: No such file or directory`,
 * the line, and `^^^` under the culprit). kube-proxy writes its syncs through this (knftables
 * pipes a transaction to `nft -f -`), so what the proxier writes is what the node holds.
 *
 * Handles come from the table's generator as the kernel hands them out (chains, sets and
 * rules share it; every anonymous set a rule makes takes one), and are not given back
 * when a transaction aborts.
 */
import { appendCompact } from '../core/arrays';
import {
  anonymousSets, formatVerdict, isDigits, nameHash, NftSyntaxError, parseRule, parseValue, ruleSetRefs, ruleTargets, RuleReader, Tokenizer, wordValue, Words,
  type ChainResolver, type Token,
} from './rule';
import {
  findTable, keyString, STD_PRIORITIES,
  type ChainType, type DataType, type Family, type HookName, type NftChain, type NftElement, type NftRule, type NftRuleset, type NftSet, type NftTable, type Value, type Verdict,
} from './types';

export interface NftRunOptions {
  /** The file name errors are reported against (`-` for stdin, as `nft -f -`). */
  file?: string;
  /** Engine time in ms (element expiry). */
  now?: number;
  /** `-c`: check only. */
  check?: boolean;
  /** Commands given on nft's command line: errors carry no FILE:LINE:COL prefix. */
  cmdline?: boolean;
}

export interface NftRunResult {
  exitCode: number;
  stderr: string;
}

const HOOKS = new Set<HookName>(['prerouting', 'input', 'forward', 'output', 'postrouting']);
const TYPES = new Set<DataType>(['ipv4_addr', 'ipv6_addr', 'inet_proto', 'inet_service', 'mark', 'ifname', 'verdict']);

const ENOENT = 'No such file or directory';
const EEXIST = 'File exists';
const EBUSY = 'Device or resource busy';

/** An error at a token of the current line. */
class LineError extends Error {
  constructor(message: string, readonly at: Token | undefined) {
    super(message);
  }
}

const kernel = (errno: string, at: Token | undefined): LineError => new LineError(`Could not process rule: ${errno}`, at);

/** The undo log of one transaction. */
type Undo = () => void;

class Tx implements ChainResolver {
  readonly undo: Undo[] = [];
  readonly reader = new RuleReader();
  /** Scratch: the chains a rule being added jumps or goes to (as many as its targets' names). */
  readonly targets: NftChain[] = [];
  /** Tables this transaction created (seldom more than one): a rollback removes them whole. */
  private readonly created: NftTable[] = [];
  constructor(readonly rs: NftRuleset, readonly now: number) {}
  rollback(): void {
    for (let i = this.undo.length - 1; i >= 0; i--) this.undo[i]!();
  }
  tableCreated(table: NftTable, undo: Undo): void {
    this.created.push(table);
    this.undo.push(undo);
  }
  /**
   * Whether a change inside a table needs an undo entry: not in a table this transaction
   * created (a node's first full sync), whose removal undoes everything in it at once.
   */
  logs(table: NftTable): boolean {
    return !this.created.includes(table);
  }

  // The chain last found or added, and the chain a rule last jumped to: kube-proxy writes
  // a chain's lines together (add, flush, its rules) and most of its rules jump to
  // mark-for-masquerade, and a table of 110,000 chains is a slow map to ask again.
  private lastTable: NftTable | undefined;
  private lastName = '';
  private lastChain: NftChain | undefined;
  private targetTable: NftTable | undefined;
  private targetName = '';
  private targetChain: NftChain | undefined;

  chain(table: NftTable, name: string): NftChain | undefined {
    if (table === this.lastTable && name === this.lastName) return this.lastChain;
    const chain = table.chains.get(name);
    if (chain) this.remember(table, chain);
    return chain;
  }

  remember(table: NftTable, chain: NftChain): void {
    this.lastTable = table;
    this.lastName = chain.name;
    this.lastChain = chain;
  }

  /** A chain a rule jumps or goes to. */
  target(table: NftTable, name: string): NftChain | undefined {
    if (table === this.targetTable && name === this.targetName) return this.targetChain;
    const chain = table.chains.get(name);
    if (chain) {
      this.targetTable = table;
      this.targetName = name;
      this.targetChain = chain;
    }
    return chain;
  }

  /** A chain left its table. */
  forget(chain: NftChain): void {
    this.lastTable = undefined;
    this.targetTable = undefined;
    const slot = nameHash(chain.name, 0, chain.name.length) & SLOT_MASK;
    if (this.slots[slot] === chain) this.slots[slot] = undefined;
  }

  // The chains the in-place reader (fastLine) found, by a cheap hash of their names, so
  // that a name the table holds is one comparison away rather than a lookup in a map of
  // 110,000 chains (kube-proxy names a chain on several lines close together: its add and
  // flush, its rules, the numgen that goes to it). One chain a slot; the map holds them all.
  private readonly slots: (NftChain | undefined)[] = new Array<NftChain | undefined>(SLOT_MASK + 1).fill(undefined);
  private readonly slotTables: (NftTable | undefined)[] = new Array<NftTable | undefined>(SLOT_MASK + 1).fill(undefined);
  /** The table fastLine works in (chainName's). */
  table: NftTable | undefined;
  /** How many chains chainName has found for the rule being read (in this.targets). */
  nTargets = 0;
  readonly words = new Words();
  /** The word fastChain last looked for, whether it is plain, its slot. */
  name = '';
  plain = false;
  private slot = 0;

  /**
   * The chain the current word names in a table; this.name: the word, this.plain: whether
   * it is plain (a cached chain's name is).
   */
  fastChain(table: NftTable, w: Words): NftChain | undefined {
    const name = (this.name = w.slice());
    const slot = (this.slot = nameHash(w.text, w.i, w.j) & SLOT_MASK);
    const c = this.slots[slot];
    // (=== on the cut-out word: V8 compares the two strings natively, where reading them a
    // character at a time in JS costs several times more.)
    if (c !== undefined && this.slotTables[slot] === table && c.name === name) {
      this.plain = true;
      return c;
    }
    this.plain = w.plain();
    const chain = table.chains.get(name);
    if (chain && this.plain) this.cache(table, chain);
    return chain;
  }

  /** Cache a chain (in this.slot, its name's). */
  cache(table: NftTable, chain: NftChain): void {
    this.slots[this.slot] = chain;
    this.slotTables[this.slot] = table;
  }

  /** ChainResolver: a chain a rule read in place jumps or goes to. */
  chainName(w: Words): string | undefined {
    const table = this.table!;
    const chain = this.fastChain(table, w);
    if (!chain || !this.plain) return undefined;
    this.targets[this.nTargets++] = chain;
    return chain.name;
  }
}

const SLOT_MASK = 4095;

/** Run an nft script (the text of `nft -f FILE`) against a ruleset, all or nothing. */
export function nftRun(rs: NftRuleset, text: string, o: NftRunOptions = {}): NftRunResult {
  const tx = new Tx(rs, o.now ?? 0);
  const file = o.file ?? '-';
  const blocks = new BlockReader(tx);
  const tokenizer = new Tokenizer();
  let errLine = 0;
  try {
    // Line by line, read in place (a full sync is half a million lines).
    for (let ln = 0, start = 0; start >= 0; ln++) {
      const nl = text.indexOf('\n', start);
      const end = nl < 0 ? text.length : nl;
      errLine = ln;
      if (!blocks.active() && fastLine(tx, text, start, end)) {
        start = nl < 0 ? -1 : nl + 1;
        continue;
      }
      const toks = tokenizer.tokens(text, start, end);
      start = nl < 0 ? -1 : nl + 1;
      if (toks.length === 0) continue;
      // `table ip t { … }` blocks (what `nft list ruleset` prints) or one command a line.
      if (blocks.active() || (toks[0]!.text === 'table' && !toks[0]!.quoted)) {
        const from = blocks.feed(ln, toks);
        if (from !== undefined) errLine = from;
      } else runCommand(tx, toks);
    }
    blocks.end();
  } catch (e) {
    if (!(e instanceof LineError || e instanceof NftSyntaxError)) throw e;
    tx.rollback();
    const at = e.at && (e.at as LineToken).line !== undefined ? (e.at as LineToken).line! : errLine;
    const err = formatError(file, at + 1, text.split('\n')[at] ?? '', e.message, e.at);
    return { exitCode: 1, stderr: o.cmdline ? err.replace(/^[^\n]*?Error: /, 'Error: ') : err };
  }
  if (o.check) tx.rollback();
  else if (tx.undo.length > 0) rs.generation++;
  return { exitCode: 0, stderr: '' };
}

/** A token that remembers its line (statements of a block span lines). */
interface LineToken extends Token {
  line?: number;
}

/**
 * The block form of an nft file (`table ip t {`, `chain c {`, `set s {`, …, `}`), turned into
 * the same commands the one-line form gives, in order. Base chain declarations (`type …
 * hook … priority …; policy …;`) and comments come first in a chain's block; a set's or
 * map's block may wrap its `elements = { … }` over several lines.
 */
class BlockReader {
  private table: { family: Token; name: Token } | undefined;
  private chain: { name: Token; decl: Token[]; created: boolean } | undefined;
  /** A table block's commands, emitted at its `}` in nft's order (nft_cmd_expand): chains,
   *  then sets with their elements, then rules — which is also the order handles go in. */
  private chains: Token[][] = [];
  private sets: Token[][] = [];
  private rules: Token[][] = [];
  private set: { kind: Token; name: Token; body: LineToken[]; depth: number; line: number } | undefined;
  constructor(private readonly tx: Tx) {}
  active(): boolean {
    return this.table !== undefined;
  }
  private cmd(...toks: Token[]): void {
    runCommand(this.tx, toks);
  }
  private word(text: string, at: Token): Token {
    return { text, col: at.col };
  }
  /** Feed one line; returns the line errors should point at, when not this one. */
  feed(ln: number, raw: Token[]): number | undefined {
    const toks: LineToken[] = raw.map((t) => ({ ...t, line: ln }));
    const first = toks[0]!;
    if (this.set) {
      for (const t of toks) {
        if (!t.quoted && t.text === '{') this.set.depth++;
        if (!t.quoted && t.text === '}') {
          this.set.depth--;
          if (this.set.depth === 0) {
            this.finishSet();
            return undefined;
          }
        }
        this.set.body.push(t);
      }
      // A line ends a statement of the set's block (not inside `elements = { … }`).
      if (this.set.depth === 1) this.set.body.push({ text: ';', col: first.col, line: ln });
      return undefined;
    }
    if (!this.table) {
      // table [family] name {
      const fam = toks.length >= 4 ? toks[1]! : this.word('ip', first);
      const name = toks.length >= 4 ? toks[2]! : toks[1];
      if (!name || toks[toks.length - 1]!.text !== '{') throw new LineError('syntax error, unexpected newline', toks[toks.length - 1]);
      this.table = { family: fam, name };
      this.cmd(this.word('add', first), first, fam, name);
      return undefined;
    }
    const t = this.table;
    if (this.chain) {
      const c = this.chain;
      if (first.text === '}' && !first.quoted) {
        this.createChain();
        this.chain = undefined;
        return undefined;
      }
      if (!c.created && !first.quoted && (first.text === 'type' || first.text === 'policy' || first.text === 'comment')) {
        c.decl.push(...toks, this.word(';', first));
        return undefined;
      }
      this.createChain();
      this.rules.push([this.word('add', first), this.word('rule', first), t.family, t.name, c.name, ...toks]);
      return undefined;
    }
    if (first.text === '}' && !first.quoted) {
      for (const c of [...this.chains, ...this.sets, ...this.rules]) this.cmd(...c);
      this.chains = [];
      this.sets = [];
      this.rules = [];
      this.table = undefined;
      return undefined;
    }
    if (first.text === 'comment' && toks[1]) {
      this.cmd(this.word('add', first), this.word('table', first), t.family, t.name, this.word('{', first), first, toks[1], this.word('}', first));
      return undefined;
    }
    if ((first.text === 'chain' || first.text === 'set' || first.text === 'map') && toks[1] && toks[toks.length - 1]!.text === '{') {
      if (first.text === 'chain') this.chain = { name: toks[1], decl: [], created: false };
      else this.set = { kind: first, name: toks[1], body: [], depth: 1, line: ln };
      return undefined;
    }
    throw new LineError('syntax error, unexpected string', first);
  }
  private createChain(): void {
    const c = this.chain!;
    if (c.created) return;
    c.created = true;
    const t = this.table!;
    const decl = c.decl.length ? [this.word('{', c.name), ...c.decl, this.word('}', c.name)] : [];
    this.chains.push([this.word('add', c.name), this.word('chain', c.name), t.family, t.name, c.name, ...decl]);
  }
  private finishSet(): void {
    const s = this.set!;
    this.set = undefined;
    const t = this.table!;
    // Split the body into `;`-separated statements; `elements = { … }` becomes an add element.
    const stmts: LineToken[][] = [];
    let cur: LineToken[] = [];
    let depth = 0;
    for (const tok of s.body) {
      if (!tok.quoted && tok.text === '{') depth++;
      if (!tok.quoted && tok.text === '}') depth--;
      if (depth === 0 && !tok.quoted && tok.text === ';') {
        if (cur.length) stmts.push(cur);
        cur = [];
      } else cur.push(tok);
    }
    if (cur.length) stmts.push(cur);
    const decl: Token[] = [];
    let elements: LineToken[] | undefined;
    for (const st of stmts) {
      if (st[0]!.text === 'elements') elements = st.slice(2);
      else decl.push(...st, this.word(';', st[0]!));
    }
    this.sets.push([this.word('add', s.kind), s.kind, t.family, t.name, s.name, this.word('{', s.name), ...decl, this.word('}', s.name)]);
    if (elements) this.sets.push([this.word('add', s.kind), this.word('element', s.kind), t.family, t.name, s.name, ...elements]);
  }
  end(): void {
    if (this.table || this.set || this.chain) throw new LineError("syntax error, unexpected end of file, expecting '}'", undefined);
  }
}

/** nft's error layout: `FILE:LINE:FROM-TO: Error: MSG`, the line, carets under the culprit. */
export function formatError(file: string, line: number, text: string, message: string, at: Token | undefined): string {
  if (!at) return `${file}:${line}:1-${text.length}: Error: ${message}\n${text}\n${'^'.repeat(Math.max(1, text.length))}\n`;
  const len = Math.max(1, at.text.length + (at.quoted ? 2 : 0));
  // The marker line keeps the line's tabs, so the carets sit under the culprit.
  const pad = text.slice(0, at.col).replace(/[^\t]/g, ' ').padEnd(at.col, ' ');
  return `${file}:${line}:${at.col + 1}-${at.col + len}: Error: ${message}\n${text}\n${pad}${'^'.repeat(len)}\n`;
}

// ---------- commands ----------

interface Target {
  family: Family;
  table: Token;
  /** Index of the token after the table name. */
  next: number;
}

function target(toks: Token[], from: number): Target {
  let i = from;
  let family: Family = 'ip';
  const f = toks[i];
  const after = toks[i + 1];
  if (f && isFamily(f.text) && after && after.text !== '{' && after.text !== ';') {
    if (f.text !== 'ip' && f.text !== 'ip6' && f.text !== 'inet') throw new LineError(`family ${f.text} is not emulated here`, f);
    family = f.text;
    i++;
  }
  const table = toks[i];
  if (!table || table.text === '{') throw new LineError('syntax error, unexpected newline', table ?? endOf(toks));
  return { family, table, next: i + 1 };
}

function isFamily(w: string): boolean {
  switch (w) {
    case 'ip': case 'ip6': case 'inet': case 'arp': case 'bridge': case 'netdev':
      return true;
    default:
      return false;
  }
}

function endOf(toks: Token[]): Token {
  const last = toks[toks.length - 1]!;
  return { text: ' ', col: last.col + last.text.length };
}

/**
 * The commonest lines of a transaction read in place, without tokens: `add chain`/`flush
 * chain` of a chain without a block, `add rule` with a body RuleReader.scan knows, `add
 * element` of one element, in a table ip/ip6/inet, words separated by spaces. They make
 * nearly all of kube-proxy's syncs (a full sync at 10,000 Services is 460,000 lines, all
 * but a few dozen of them such). false: the line is left to the general path (tokens,
 * runCommand), which reads anything else and reports every error; nothing has changed then.
 */
function fastLine(tx: Tx, text: string, from: number, to: number): boolean {
  const w = tx.words;
  w.start(text, from, to);
  const verb = w.keyword();
  if (verb !== 'add' && verb !== 'flush') return false;
  w.next();
  const obj = w.keyword();
  if (obj !== 'chain' && ((obj !== 'rule' && obj !== 'element') || verb !== 'add')) return false;
  w.next();
  // [FAMILY] TABLE, as target() reads them.
  let family: Family = 'ip';
  const f = w.keyword();
  if (f === 'ip' || f === 'ip6' || f === 'inet' || f === 'arp' || f === 'bridge' || f === 'netdev') {
    w.next();
    if (w.atEnd()) return false;
    if (f !== 'ip' && f !== 'ip6' && f !== 'inet') return false;
    family = f;
  }
  let table: NftTable | undefined;
  for (const t of tx.rs.tables) {
    if (t.family === family && w.is(t.name)) {
      table = t;
      break;
    }
  }
  // A word that is the name of a table is plain when the name is.
  if (!table || !w.plain()) return false;
  w.next();
  if (obj === 'element') return fastElement(tx, table, w);
  const chain = tx.fastChain(table, w);
  if (!tx.plain) return false;
  w.next();
  if (obj === 'chain') {
    if (!w.atEnd()) return false;
    if (verb === 'flush') {
      if (!chain) return false;
      flushChain(tx, table, chain);
    } else if (!chain) {
      // tx.name: the map has hashed it already.
      const added: NftChain = { name: tx.name, handle: table.nextHandle++, rules: [], use: 0 };
      table.chains.set(added.name, added);
      tx.cache(table, added);
      if (tx.logs(table)) logChainAdded(tx, table, added.name);
    }
    return true;
  }
  if (!chain) return false;
  tx.table = table;
  tx.nTargets = 0;
  const stmts = tx.reader.scan(w, tx);
  if (!stmts) return false;
  const r = tx.reader;
  for (let k = 0; k < r.nRefs; k++) if (!table.sets.has(r.refs[k]!)) return false;
  table.nextHandle += r.anon;
  const rule: NftRule = { handle: table.nextHandle++, stmts, text: '' };
  if (tx.reader.comment !== undefined) rule.comment = tx.reader.comment;
  chain.rules = appendCompact(chain.rules, rule);
  for (let k = 0; k < tx.nTargets; k++) tx.targets[k]!.use++;
  if (tx.logs(table)) logRuleAdded(tx, table, chain, rule);
  return true;
}

/**
 * `add element … SET { KEY [: VERDICT] }` read in place: one element without options (what
 * kube-proxy writes a line each), applied as elementCommand applies it; false (nothing
 * changed) for anything else, or for what would be an error.
 */
function fastElement(tx: Tx, table: NftTable, w: Words): boolean {
  if (!w.plain()) return false;
  const set = table.sets.get(w.slice());
  if (!set) return false;
  w.next();
  if (!w.isChar('{')) return false;
  const key: Value[] = [];
  for (let k = 0; k < set.keyType.length; k++) {
    w.next();
    if (k > 0) {
      if (!w.isChar('.')) return false;
      w.next();
    }
    const v = wordValue(w, set.keyType[k]!);
    if (!v) return false;
    key.push(v);
  }
  w.next();
  const elem: NftElement = { key };
  let target: NftChain | undefined;
  if (w.isChar(':')) {
    if (!set.isMap) return false;
    w.next();
    const kind = w.keyword();
    if (kind === 'jump' || kind === 'goto') {
      w.next();
      target = tx.fastChain(table, w);
      if (!target || !tx.plain) return false;
      elem.verdict = { kind, chain: target.name };
    } else if (kind === 'accept' || kind === 'drop' || kind === 'return' || kind === 'continue') elem.verdict = { kind };
    else return false;
    w.next();
  } else if (set.isMap) return false;
  if (!w.isChar('}')) return false;
  w.next();
  if (!w.atEnd()) return false;
  const k = keyString(key);
  if (set.elements.has(k)) return false;
  if (set.timeout !== undefined) elem.expires = tx.now + set.timeout;
  if (target) target.use++;
  set.elements.set(k, elem);
  if (tx.logs(table)) logElementAdded(tx, table, set, k, target?.name);
  return true;
}

/**
 * The table a command names. nft itself notices a missing table when adding a chain, set or
 * element (`Error: No such file or directory`); the kernel does for the rest (`Could not
 * process rule: …`), as nft 1.0.6 reports them.
 */
function needTable(tx: Tx, t: Target, verb: Token, obj: 'chain' | 'set' | 'element' | 'rule'): NftTable {
  const table = findTable(tx.rs, t.family, t.table.text);
  if (!table) {
    if ((verb.text === 'add' || verb.text === 'create') && obj !== 'rule') throw new LineError(ENOENT, t.table);
    throw kernel(ENOENT, t.table);
  }
  return table;
}

function runCommand(tx: Tx, toks: Token[]): void {
  const verb = toks[0]!;
  const obj = toks[1];
  switch (verb.text) {
    case 'add': case 'create': case 'delete': case 'destroy': case 'flush': case 'insert': case 'replace':
      break;
    case 'list':
      throw new LineError('list commands are not allowed in a script here; run `nft list …`', verb);
    default:
      throw new LineError(`syntax error, unexpected ${/^\d/.test(verb.text) ? 'number' : 'string'}`, verb);
  }
  if (!obj) throw new LineError('syntax error, unexpected newline', endOf(toks));
  if (verb.text === 'flush' && obj.text === 'ruleset') {
    const saved = tx.rs.tables.slice();
    tx.rs.tables.length = 0;
    tx.undo.push(() => tx.rs.tables.splice(0, tx.rs.tables.length, ...saved));
    return;
  }
  const t = target(toks, 2);
  switch (obj.text) {
    case 'table':
      return tableCommand(tx, verb, t, toks);
    case 'chain':
      return chainCommand(tx, verb, t, toks);
    case 'rule':
      return ruleCommand(tx, verb, t, toks);
    case 'set': case 'map':
      return setCommand(tx, verb, obj.text === 'map', t, toks);
    case 'element':
      return elementCommand(tx, verb, t, toks);
    default:
      throw new LineError(`syntax error, unexpected ${obj.text === '{' ? "'{'" : 'string'}`, obj);
  }
}

const NO_BLOCK: readonly Token[][] = [];

/** `{ key value ; key value ; }` → a list of statements (token lists). */
function braceBlock(toks: Token[], from: number): readonly Token[][] {
  if (from >= toks.length) return NO_BLOCK;
  if (toks[from]!.text !== '{') throw new LineError(`syntax error, unexpected ${toks[from]!.quoted ? 'quoted string' : 'string'}`, toks[from]);
  const out: Token[][] = [];
  let cur: Token[] = [];
  let depth = 0;
  for (let i = from + 1; i < toks.length; i++) {
    const t = toks[i]!;
    if (!t.quoted && t.text === '{') depth++;
    if (!t.quoted && t.text === '}') {
      if (depth === 0) {
        if (cur.length) out.push(cur);
        if (i !== toks.length - 1) throw new LineError('syntax error, unexpected string', toks[i + 1]);
        return out;
      }
      depth--;
    }
    if (!t.quoted && (t.text === ';' || t.text === '\n') && depth === 0) {
      if (cur.length) out.push(cur);
      cur = [];
      continue;
    }
    cur.push(t);
  }
  throw new LineError("syntax error, unexpected newline, expecting '}'", endOf(toks));
}

function tableCommand(tx: Tx, verb: Token, t: Target, toks: Token[]): void {
  const rs = tx.rs;
  const existing = findTable(rs, t.family, t.table.text);
  if (verb.text === 'add' || verb.text === 'create') {
    let comment: string | undefined;
    for (const st of braceBlock(toks, t.next)) {
      if (st[0]!.text === 'comment' && st[1]) comment = st[1].text;
      else if (st[0]!.text !== 'flags') throw new LineError('syntax error, unexpected string', st[0]);
    }
    if (existing) {
      if (verb.text === 'create') throw kernel(EEXIST, t.table);
      if (comment !== undefined && comment !== existing.comment) {
        const old = existing.comment;
        existing.comment = comment;
        tx.undo.push(() => (existing.comment = old));
      }
      return;
    }
    const table: NftTable = { family: t.family, name: t.table.text, handle: rs.nextTableHandle++, chains: new Map(), sets: new Map(), nextHandle: 1 };
    if (comment !== undefined) table.comment = comment;
    rs.tables.push(table);
    tx.tableCreated(table, () => rs.tables.splice(rs.tables.indexOf(table), 1));
    return;
  }
  if (!existing) {
    if (verb.text === 'destroy') return;
    throw kernel(ENOENT, t.table);
  }
  if (verb.text === 'delete' || verb.text === 'destroy') {
    const i = rs.tables.indexOf(existing);
    rs.tables.splice(i, 1);
    tx.undo.push(() => rs.tables.splice(i, 0, existing));
    return;
  }
  if (verb.text === 'flush') {
    for (const c of existing.chains.values()) flushChain(tx, existing, c);
    for (const s of existing.sets.values()) flushSet(tx, existing, s);
    return;
  }
  throw new LineError('syntax error, unexpected table', verb);
}

function parsePriority(tok: Token | undefined, rest: Token[], hook: HookName): number {
  if (!tok) throw new LineError('syntax error, unexpected newline', tok);
  const n = Number(tok.text);
  if (/^-?\d+$/.test(tok.text)) return n;
  const std = STD_PRIORITIES.find((p) => p.name === tok.text);
  if (!std || (std.hooks && !std.hooks.includes(hook))) throw new LineError('invalid priority expression value in this context.', tok);
  const op = rest[0];
  const off = rest[1];
  if (op && off && (op.text === '+' || op.text === '-') && /^\d+$/.test(off.text)) return std.value + (op.text === '+' ? 1 : -1) * Number(off.text);
  return std.value;
}

function chainCommand(tx: Tx, verb: Token, t: Target, toks: Token[]): void {
  const table = needTable(tx, t, verb, 'chain');
  const nameTok = toks[t.next];
  if (!nameTok || nameTok.text === '{') throw new LineError('syntax error, unexpected newline', nameTok ?? endOf(toks));
  const name = nameTok.text;
  const existing = tx.chain(table, name);
  switch (verb.text) {
    case 'add': case 'create': {
      let base: NftChain['base'];
      let comment: string | undefined;
      for (const st of braceBlock(toks, t.next + 1)) {
        const w = st[0]!.text;
        if (w === 'type') {
          const type = st[1]?.text as ChainType;
          if (type !== 'filter' && type !== 'nat' && type !== 'route') throw new LineError('Could not parse chain type', st[1]);
          if (st[2]?.text !== 'hook') throw new LineError('syntax error, unexpected newline', st[2]);
          const hook = st[3]?.text as HookName;
          if (!HOOKS.has(hook)) throw new LineError('unknown chain hook', st[3]);
          if (st[4]?.text !== 'priority') throw new LineError("syntax error, unexpected ';', expecting priority", st[4] ?? st[3]);
          if (type === 'nat' && (hook === 'forward')) throw new LineError(`Chain of type "nat" is not supported on hook "forward"`, st[3]);
          base = { type, hook, priority: parsePriority(st[5], st.slice(6), hook), policy: 'accept' };
        } else if (w === 'policy') {
          const p = st[1]?.text;
          if (!base || (p !== 'accept' && p !== 'drop')) throw new LineError('syntax error, unexpected string', st[1] ?? st[0]);
          base.policy = p;
        } else if (w === 'comment') comment = st[1]?.text;
        else throw new LineError('syntax error, unexpected string', st[0]);
      }
      if (existing) {
        if (verb.text === 'create') throw kernel(EEXIST, nameTok);
        // Changing a base chain's hook or priority in place is refused by the kernel.
        if (base && (!existing.base || existing.base.hook !== base.hook || existing.base.priority !== base.priority || existing.base.type !== base.type)) {
          throw kernel('Operation not supported', nameTok);
        }
        if (base && existing.base && base.policy !== existing.base.policy) {
          const eb = existing.base;
          const old = eb.policy;
          eb.policy = base.policy;
          if (tx.logs(table)) tx.undo.push(() => (eb.policy = old));
        }
        return;
      }
      const chain: NftChain = { name, handle: table.nextHandle++, rules: [], use: 0 };
      if (base) chain.base = base;
      if (comment !== undefined) chain.comment = comment;
      table.chains.set(name, chain);
      tx.remember(table, chain);
      if (tx.logs(table)) logChainAdded(tx, table, name);
      return;
    }
    case 'flush':
      if (!existing) throw kernel(ENOENT, nameTok);
      flushChain(tx, table, existing);
      return;
    case 'delete': case 'destroy':
      if (!existing) {
        if (verb.text === 'destroy') return;
        throw kernel(ENOENT, nameTok);
      }
      if (existing.use > 0 || existing.rules.length > 0) throw kernel(EBUSY, nameTok);
      table.chains.delete(name);
      tx.forget(existing);
      if (tx.logs(table)) logChainDeleted(tx, table, existing);
      return;
    default:
      throw new LineError('syntax error, unexpected chain', verb);
  }
}

/** The kernel's use counts of the chains a rule jumps or goes to. */
function adjustUse(table: NftTable, rule: NftRule, delta: 1 | -1): void {
  for (const c of ruleTargets(rule.stmts)) {
    const ch = table.chains.get(c);
    if (ch) ch.use += delta;
  }
}

function flushChain(tx: Tx, table: NftTable, chain: NftChain): void {
  if (chain.rules.length === 0) return;
  const old = chain.rules;
  for (const r of old) adjustUse(table, r, -1);
  chain.rules = [];
  if (tx.logs(table)) logChainFlushed(tx, table, chain, old);
}

/** The token of a rule's body (from `from` on) with this text, for an error mark. */
function bodyToken(toks: Token[], from: number, text: string): Token | undefined {
  for (let k = from; k < toks.length; k++) if (toks[k]!.text === text) return toks[k];
  return undefined;
}

function ruleCommand(tx: Tx, verb: Token, t: Target, toks: Token[]): void {
  const table = needTable(tx, t, verb, 'rule');
  const chainTok = toks[t.next];
  if (!chainTok) throw new LineError('syntax error, unexpected newline', endOf(toks));
  const chain = tx.chain(table, chainTok.text);
  let i = t.next + 1;
  let position: { kind: 'handle' | 'index' | 'position'; n: number; tok: Token } | undefined;
  const pw = toks[i];
  if (pw && (pw.text === 'handle' || pw.text === 'index' || pw.text === 'position') && toks[i + 1] && isDigits(toks[i + 1]!.text)) {
    position = { kind: pw.text, n: Number(toks[i + 1]!.text), tok: toks[i + 1]! };
    i += 2;
  }
  if (verb.text === 'delete' || verb.text === 'destroy') {
    if (!chain) throw kernel(ENOENT, chainTok);
    if (!position || position.kind !== 'handle') throw new LineError('syntax error, unexpected newline, expecting handle', endOf(toks));
    const at = ruleIndex(chain, position.n);
    if (at < 0) {
      if (verb.text === 'destroy') return;
      throw kernel(ENOENT, position.tok);
    }
    const [rule] = chain.rules.splice(at, 1);
    adjustUse(table, rule!, -1);
    if (tx.logs(table)) logRuleDeleted(tx, table, chain, at, rule!);
    return;
  }
  if (verb.text !== 'add' && verb.text !== 'insert' && verb.text !== 'replace') throw new LineError('syntax error, unexpected rule', verb);
  if (i >= toks.length) throw new LineError('syntax error, unexpected newline', endOf(toks));
  const parsed = parseRule(toks, i, tx.reader);
  if (!chain) throw kernel(ENOENT, chainTok);
  // The chains it jumps or goes to must exist; their use counts grow once it is in.
  const names = ruleTargets(parsed.stmts);
  const targets = tx.targets;
  for (let k = 0; k < names.length; k++) {
    const target = tx.target(table, names[k]!);
    if (!target) throw kernel(ENOENT, bodyToken(toks, i, names[k]!));
    targets[k] = target;
  }
  for (const ref of ruleSetRefs(parsed.stmts)) {
    if (!table.sets.has(ref)) throw new LineError(ENOENT, bodyToken(toks, i, '@' + ref));
  }
  for (let k = anonymousSets(parsed.stmts); k > 0; k--) table.nextHandle++;
  // A set the packet path updates gets the kernel's default size once such a rule uses it.
  for (const st of parsed.stmts) {
    const set = st.k === 'setupdate' ? table.sets.get(st.set) : undefined;
    if (set && set.size === undefined) {
      set.size = 65535;
      if (tx.logs(table)) logSetSized(tx, set);
    }
  }
  const rule: NftRule = { handle: table.nextHandle++, stmts: parsed.stmts, text: '' };
  if (parsed.comment !== undefined) rule.comment = parsed.comment;
  let at = chain.rules.length;
  if (position) {
    if (position.kind === 'index') at = verb.text === 'insert' ? position.n : position.n + 1;
    else {
      const h = ruleIndex(chain, position.n);
      if (h < 0) throw kernel(ENOENT, position.tok);
      at = verb.text === 'insert' ? h : h + 1;
    }
    if (at > chain.rules.length) throw kernel(ENOENT, position.tok);
  } else if (verb.text === 'insert') at = 0;
  if (verb.text === 'replace') {
    if (!position || position.kind !== 'handle') throw new LineError('syntax error, unexpected rule, expecting handle', verb);
    at--;
    const [old] = chain.rules.splice(at, 1, rule);
    adjustUse(table, old!, -1);
    for (let k = 0; k < names.length; k++) targets[k]!.use++;
    if (tx.logs(table)) logRuleReplaced(tx, table, chain, at, old!, rule);
    return;
  }
  if (at === chain.rules.length) chain.rules = appendCompact(chain.rules, rule);
  else chain.rules.splice(at, 0, rule);
  for (let k = 0; k < names.length; k++) targets[k]!.use++;
  if (tx.logs(table)) logRuleAdded(tx, table, chain, rule);
}

function ruleIndex(chain: NftChain, handle: number): number {
  for (let i = 0; i < chain.rules.length; i++) if (chain.rules[i]!.handle === handle) return i;
  return -1;
}

/** nft's time strings: `10800s`, `3h`, `1h30m`, `500ms`. */
export function parseTime(s: string): number | undefined {
  const re = /(\d+)(ms|d|h|m|s)/g;
  let total = 0;
  let matched = '';
  for (const m of s.matchAll(re)) {
    const v = Number(m[1]);
    total += m[2] === 'ms' ? v : m[2] === 's' ? v * 1000 : m[2] === 'm' ? v * 60_000 : m[2] === 'h' ? v * 3_600_000 : v * 86_400_000;
    matched += m[0];
  }
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  return matched === s && s !== '' ? total : undefined;
}

function setCommand(tx: Tx, verb: Token, isMap: boolean, t: Target, toks: Token[]): void {
  const table = needTable(tx, t, verb, 'set');
  const nameTok = toks[t.next];
  if (!nameTok || nameTok.text === '{') throw new LineError('syntax error, unexpected newline', nameTok ?? endOf(toks));
  const existing = table.sets.get(nameTok.text);
  switch (verb.text) {
    case 'add': case 'create': {
      const set: NftSet = { name: nameTok.text, handle: 0, isMap, keyType: [], flags: [], elements: new Map() };
      for (const st of braceBlock(toks, t.next + 1)) {
        const w = st[0]!.text;
        if (w === 'type') {
          const colon = st.findIndex((x) => x.text === ':');
          const keyToks = (colon < 0 ? st.slice(1) : st.slice(1, colon)).filter((x) => x.text !== '.');
          for (const k of keyToks) {
            if (!TYPES.has(k.text as DataType) || k.text === 'verdict') throw new LineError(`unknown datatype ${k.text}`, k);
            set.keyType.push(k.text as DataType);
          }
          if (isMap) {
            const d = st[colon + 1];
            if (colon < 0 || !d || !TYPES.has(d.text as DataType)) throw new LineError("syntax error, unexpected ';', expecting ':'", d ?? st[st.length - 1]);
            set.dataType = d.text as DataType;
          } else if (colon >= 0) throw new LineError("syntax error, unexpected ':'", st[colon]);
        } else if (w === 'flags') set.flags = (st[1]?.text ?? '').split(',').filter(Boolean);
        else if (w === 'timeout') {
          const ms = parseTime(st[1]?.text ?? '');
          if (ms === undefined) throw new LineError('syntax error, unexpected string', st[1]);
          set.timeout = ms;
        } else if (w === 'size') set.size = Number(st[1]?.text);
        else if (w === 'comment') set.comment = st[1]?.text ?? '';
        else if (w !== 'policy' && w !== 'gc-interval' && w !== 'auto-merge') throw new LineError('syntax error, unexpected string', st[0]);
      }
      if (existing) {
        if (verb.text === 'create') throw kernel(EEXIST, nameTok);
        if (existing.isMap !== isMap || existing.keyType.join() !== set.keyType.join() || existing.flags.join() !== set.flags.join()) throw kernel(EEXIST, nameTok);
        return;
      }
      if (set.keyType.length === 0) throw new LineError('set definition does not specify key', nameTok);
      set.handle = table.nextHandle++;
      table.sets.set(set.name, set);
      if (tx.logs(table)) logSetAdded(tx, table, set);
      return;
    }
    case 'flush':
      if (!existing || existing.isMap !== isMap) throw kernel(ENOENT, nameTok);
      flushSet(tx, table, existing);
      return;
    case 'delete': case 'destroy': {
      if (!existing || existing.isMap !== isMap) {
        if (verb.text === 'destroy') return;
        throw kernel(ENOENT, nameTok);
      }
      if (setInUse(table, existing.name)) throw kernel(EBUSY, nameTok);
      flushSet(tx, table, existing);
      table.sets.delete(existing.name);
      if (tx.logs(table)) logSetDeleted(tx, table, existing);
      return;
    }
    default:
      throw new LineError(`syntax error, unexpected ${isMap ? 'map' : 'set'}`, verb);
  }
}

function setInUse(table: NftTable, name: string): boolean {
  for (const c of table.chains.values()) for (const r of c.rules) if (ruleSetRefs(r.stmts).includes(name)) return true;
  return false;
}

function elemTargets(e: NftElement): string | undefined {
  return e.verdict && (e.verdict.kind === 'jump' || e.verdict.kind === 'goto') ? e.verdict.chain : undefined;
}

function flushSet(tx: Tx, table: NftTable, set: NftSet): void {
  if (set.elements.size === 0) return;
  const old = set.elements;
  set.elements = new Map();
  for (const e of old.values()) {
    const c = elemTargets(e);
    if (c) table.chains.get(c)!.use--;
  }
  if (tx.logs(table)) logSetFlushed(tx, table, set, old);
}

function readVerdictTokens(toks: Token[], i: number): { v: Verdict; next: number } | undefined {
  const w = toks[i]?.text;
  if (w === 'accept' || w === 'drop' || w === 'return' || w === 'continue') return { v: { kind: w }, next: i + 1 };
  if ((w === 'jump' || w === 'goto') && toks[i + 1]) return { v: { kind: w, chain: toks[i + 1]!.text }, next: i + 2 };
  return undefined;
}

function elementCommand(tx: Tx, verb: Token, t: Target, toks: Token[]): void {
  const table = needTable(tx, t, verb, 'element');
  const nameTok = toks[t.next];
  if (!nameTok) throw new LineError('syntax error, unexpected newline', endOf(toks));
  const set = table.sets.get(nameTok.text);
  if (!set) throw new LineError(ENOENT, nameTok);
  let i = t.next + 1;
  if (toks[i]?.text !== '{') throw new LineError('syntax error, unexpected newline', toks[i] ?? endOf(toks));
  i++;
  for (;;) {
    const start = toks[i];
    const key: Value[] = [];
    for (let k = 0; k < set.keyType.length; k++) {
      if (k > 0) {
        if (toks[i]?.text !== '.') throw new LineError('syntax error, unexpected string', toks[i] ?? endOf(toks));
        i++;
      }
      const tok = toks[i];
      const v = tok && parseValue(set.keyType[k]!, tok);
      if (!tok || !v) throw new LineError(tok && tok.text !== '}' ? `Could not parse ${set.keyType[k]}` : 'syntax error, unexpected newline', tok ?? endOf(toks));
      key.push(v);
      i++;
    }
    const elem: NftElement = { key };
    while (toks[i] && (toks[i]!.text === 'comment' || toks[i]!.text === 'timeout' || toks[i]!.text === 'expires')) {
      const w = toks[i]!.text;
      const val = toks[i + 1];
      if (!val) throw new LineError('syntax error, unexpected newline', endOf(toks));
      if (w === 'comment') elem.comment = val.text;
      else if (w === 'timeout' || w === 'expires') {
        const ms = parseTime(val.text);
        if (ms === undefined) throw new LineError('syntax error, unexpected string', val);
        if (!set.flags.includes('timeout')) throw kernel('Operation not supported', toks[i]);
        if (w === 'timeout') elem.timeout = ms;
        elem.expires = tx.now + ms;
      }
      i += 2;
    }
    if (toks[i]?.text === ':') {
      const vt = readVerdictTokens(toks, i + 1);
      if (!set.isMap || !vt) throw new LineError('syntax error, unexpected string', toks[i + 1] ?? endOf(toks));
      elem.verdict = vt.v;
      i = vt.next;
    }
    if (set.timeout !== undefined && elem.expires === undefined && verb.text !== 'delete') elem.expires = tx.now + set.timeout;
    applyElement(tx, table, set, verb, elem, start);
    const sep = toks[i];
    if (sep?.text === ',') {
      i++;
      continue;
    }
    if (sep?.text === '}') return;
    throw new LineError(sep ? 'syntax error, unexpected string' : "syntax error, unexpected newline, expecting '}'", sep ?? endOf(toks));
  }
}

function applyElement(tx: Tx, table: NftTable, set: NftSet, verb: Token, elem: NftElement, at: Token | undefined): void {
  const k = keyString(elem.key);
  const existing = set.elements.get(k);
  if (verb.text === 'add' || verb.text === 'create') {
    if (set.isMap && !elem.verdict) throw new LineError('map element requires a value', at);
    if (existing) {
      const same = (existing.verdict ? formatVerdict(existing.verdict) : '') === (elem.verdict ? formatVerdict(elem.verdict) : '');
      if (verb.text === 'create' || !same) throw kernel(EEXIST, at);
      return;
    }
    const c = elemTargets(elem);
    if (c) {
      const ch = table.chains.get(c);
      if (!ch) throw kernel(ENOENT, at);
      ch.use++;
    }
    set.elements.set(k, elem);
    if (tx.logs(table)) logElementAdded(tx, table, set, k, c);
    return;
  }
  if (verb.text === 'delete' || verb.text === 'destroy') {
    if (!existing) {
      if (verb.text === 'destroy') return;
      throw kernel(ENOENT, at);
    }
    set.elements.delete(k);
    const c = elemTargets(existing);
    if (c) table.chains.get(c)!.use--;
    if (tx.logs(table)) logElementDeleted(tx, table, set, existing, k, c);
    return;
  }
  throw new LineError('syntax error, unexpected element', verb);
}

// ---------- undo entries ----------
// Each is made by a function of its own: a closure written in a command's body would have
// every call of the command allocate what the closure captures, logged or not.

function logChainAdded(tx: Tx, table: NftTable, name: string): void {
  tx.undo.push(() => table.chains.delete(name));
}

function logChainDeleted(tx: Tx, table: NftTable, chain: NftChain): void {
  tx.undo.push(() => table.chains.set(chain.name, chain));
}

function logChainFlushed(tx: Tx, table: NftTable, chain: NftChain, old: NftRule[]): void {
  tx.undo.push(() => {
    chain.rules = old;
    for (const r of old) adjustUse(table, r, 1);
  });
}

function logRuleAdded(tx: Tx, table: NftTable, chain: NftChain, rule: NftRule): void {
  tx.undo.push(() => {
    chain.rules.splice(chain.rules.indexOf(rule), 1);
    adjustUse(table, rule, -1);
  });
}

function logRuleDeleted(tx: Tx, table: NftTable, chain: NftChain, at: number, rule: NftRule): void {
  tx.undo.push(() => {
    chain.rules.splice(at, 0, rule);
    adjustUse(table, rule, 1);
  });
}

function logRuleReplaced(tx: Tx, table: NftTable, chain: NftChain, at: number, old: NftRule, rule: NftRule): void {
  tx.undo.push(() => {
    chain.rules.splice(at, 1, old);
    adjustUse(table, rule, -1);
    adjustUse(table, old, 1);
  });
}

function logSetSized(tx: Tx, set: NftSet): void {
  tx.undo.push(() => delete set.size);
}

function logSetAdded(tx: Tx, table: NftTable, set: NftSet): void {
  tx.undo.push(() => table.sets.delete(set.name));
}

function logSetDeleted(tx: Tx, table: NftTable, set: NftSet): void {
  tx.undo.push(() => table.sets.set(set.name, set));
}

function logSetFlushed(tx: Tx, table: NftTable, set: NftSet, old: Map<string, NftElement>): void {
  tx.undo.push(() => {
    set.elements = old;
    for (const e of old.values()) {
      const c = elemTargets(e);
      if (c) table.chains.get(c)!.use++;
    }
  });
}

function logElementAdded(tx: Tx, table: NftTable, set: NftSet, key: string, target: string | undefined): void {
  tx.undo.push(() => {
    set.elements.delete(key);
    if (target) table.chains.get(target)!.use--;
  });
}

function logElementDeleted(tx: Tx, table: NftTable, set: NftSet, elem: NftElement, key: string, target: string | undefined): void {
  tx.undo.push(() => {
    set.elements.set(key, elem);
    if (target) table.chains.get(target)!.use++;
  });
}
