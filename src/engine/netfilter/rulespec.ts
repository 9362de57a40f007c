/**
 * The iptables command line as do_parse (iptables/xshared.c) reads it: one command, its chain
 * and optional rule number, options, and a rule spec (addresses, interfaces, protocol, matches
 * with their options, a target with its options). Pure: returns a value or an error, never
 * throws for user input.
 */
import { maskOf, parseAddr, readIPv4 } from './addr';
import { MATCHES, ParamError, TARGET_NAME_MAX, findTarget, parseNatRange, protoNumber, type MatchExt, type TargetExt } from './extensions';
import type { AddrMatch, Counters, IfaceMatch, Match, NatRange, Rule, Target } from './types';

export { ParamError };

export type CommandLetter = 'A' | 'C' | 'D' | 'I' | 'R' | 'L' | 'S' | 'F' | 'Z' | 'N' | 'X' | 'P' | 'E';

export interface ParsedCommand {
  table: string;
  command: CommandLetter;
  chain?: string;
  rulenum?: number;
  /** -E: the new name; -P: the policy. */
  arg2?: string;
  /** Rule spec (for -A/-C/-D/-I/-R; for -D only when given by spec). */
  rule?: Rule;
  /** Set when the command line had any rule spec option. */
  hasSpec: boolean;
  numeric: boolean;
  verbose: boolean;
  exact: boolean;
  lineNumbers: boolean;
  /** -L together with -Z. */
  zero: boolean;
  /** `-j NAME` / `-g NAME` naming something that is not an extension: must be a chain. */
  jumpTo?: string;
  /** Lines the extensions print to stderr while parsing (deprecation notes). */
  warnings?: string[];
}

const COMMANDS: ReadonlyMap<string, CommandLetter> = new Map([
  ['-A', 'A'], ['--append', 'A'], ['-C', 'C'], ['--check', 'C'], ['-D', 'D'], ['--delete', 'D'], ['-I', 'I'], ['--insert', 'I'],
  ['-R', 'R'], ['--replace', 'R'], ['-L', 'L'], ['--list', 'L'], ['-S', 'S'], ['--list-rules', 'S'], ['-F', 'F'], ['--flush', 'F'],
  ['-Z', 'Z'], ['--zero', 'Z'], ['-N', 'N'], ['--new-chain', 'N'], ['--new', 'N'], ['-X', 'X'], ['--delete-chain', 'X'],
  ['-P', 'P'], ['--policy', 'P'], ['-E', 'E'], ['--rename-chain', 'E'],
]);

/** The options do_parse itself handles (besides the commands), by what they do. */
type Opt =
  | 'table' | 'numeric' | 'verbose' | 'exact' | 'line-numbers' | 'wait' | 'counters' | 'source' | 'destination'
  | 'in-interface' | 'out-interface' | 'protocol' | 'match' | 'jump' | 'goto';
const OPTIONS: ReadonlyMap<string, Opt> = new Map([
  ['-t', 'table'], ['--table', 'table'], ['-n', 'numeric'], ['--numeric', 'numeric'], ['-v', 'verbose'], ['--verbose', 'verbose'],
  ['-x', 'exact'], ['--exact', 'exact'], ['--line-numbers', 'line-numbers'], ['-w', 'wait'], ['--wait', 'wait'],
  ['-c', 'counters'], ['--set-counters', 'counters'], ['-s', 'source'], ['--source', 'source'], ['--src', 'source'],
  ['-d', 'destination'], ['--destination', 'destination'], ['--dst', 'destination'], ['-i', 'in-interface'], ['--in-interface', 'in-interface'],
  ['-o', 'out-interface'], ['--out-interface', 'out-interface'], ['-p', 'protocol'], ['--protocol', 'protocol'], ['-m', 'match'], ['--match', 'match'],
  ['-j', 'jump'], ['--jump', 'jump'], ['-g', 'goto'], ['--goto', 'goto'],
]);

/** `-X` options by their letter: most words of a rule line are these, looked up without hashing. */
const SHORT_COMMANDS: (CommandLetter | undefined)[] = [];
const SHORT_OPTIONS: (Opt | undefined)[] = [];
for (const [k, v] of COMMANDS) if (k.length === 2) SHORT_COMMANDS[k.charCodeAt(1)] = v;
for (const [k, v] of OPTIONS) if (k.length === 2) SHORT_OPTIONS[k.charCodeAt(1)] = v;

/** Protocols with ports (a NAT port range needs one). */
const PORT_PROTOS: readonly number[] = [6, 17, 132, 33];

const isOptArg = (s: string | undefined): s is string => s !== undefined && !s.startsWith('-') && s !== '!';
const isNum = (s: string | undefined): boolean => s !== undefined && /^\d+$/.test(s);

function parseIface(text: string, inv: boolean): IfaceMatch | ParamError {
  if (text.length > 15) return new ParamError(`interface name \`${text}' must be shorter than IFNAMSIZ (15)`);
  const wildcard = text.endsWith('+');
  return { name: wildcard ? text.slice(0, -1) : text, wildcard, inv };
}

/** Parsed rules are never changed (only their counters move): the empty parts are shared. */
const NO_MATCHES: Match[] = Object.freeze([]) as unknown as Match[];
const NO_TARGET: Target = Object.freeze({ kind: 'none' });

/** Every field present from the start (absent ones undefined): all rules share one object
 *  shape, so the code that walks hundreds of thousands of them sees one kind of object. */
export function emptyRule(): Rule {
  return {
    src: undefined, dst: undefined, inIface: undefined, outIface: undefined, proto: undefined, protoInv: undefined,
    matches: NO_MATCHES, target: NO_TARGET, counters: { packets: 0, bytes: 0 },
  };
}

/**
 * Parse argv (without the leading `iptables`). `restoreTable` is set when called from
 * iptables-restore, where the table comes from the `*table` line.
 */
export function parseCommandLine(argv: readonly string[], restoreTable?: string): ParsedCommand | ParamError {
  // Every field declared up front: one object shape, no out-of-object property store.
  const pc: ParsedCommand = {
    table: restoreTable ?? 'filter', command: 'L', chain: undefined, rulenum: undefined, arg2: undefined, rule: undefined,
    hasSpec: false, numeric: false, verbose: false, exact: false, lineNumbers: false, zero: false, jumpTo: undefined,
    warnings: undefined,
  };
  let command: CommandLetter | undefined;
  const rule = emptyRule();
  /** The -m matches in load order (each one's extension is MATCHES.get(kind)). */
  const loaded: Match[] = [];
  let target: { ext: TargetExt; t: Target } | undefined;
  /** Where the target stands in load order (getopt's merged option table: first loaded wins). */
  let targetAt = 0;
  let jumpSeen = false;
  let invert = false;

  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    // Every command and option starts with `-`; anything else is `!` or a bad argument.
    if (a.charCodeAt(0) !== 45) {
      if (a !== '!') return new ParamError(`Bad argument \`${a}'`);
      if (invert) return new ParamError('multiple consecutive ! not allowed');
      invert = true;
      continue;
    }
    const short = a.length === 2;
    const c = short ? SHORT_COMMANDS[a.charCodeAt(1)] : COMMANDS.get(a);
    if (c) {
      if (command === 'L' && c === 'Z') pc.zero = true;
      else if (command === 'Z' && c === 'L') { pc.zero = true; command = 'L'; }
      else if (command !== undefined) return new ParamError(`Cannot use -${c} with -${command}\n`);
      else command = c;
      const needsChain = c === 'A' || c === 'C' || c === 'D' || c === 'I' || c === 'R' || c === 'N' || c === 'P' || c === 'E';
      if (needsChain) {
        if (next === undefined || (next.startsWith('-') && next.length > 1)) return new ParamError(`option "${a}" requires an argument`);
        pc.chain = next;
        i++;
        if (c === 'R') {
          if (!isNum(argv[i + 1])) return new ParamError('-R requires a rule number');
          pc.rulenum = Number(argv[++i]);
        } else if ((c === 'I' || c === 'D') && isNum(argv[i + 1])) {
          pc.rulenum = Number(argv[++i]);
        } else if (c === 'P' || c === 'E') {
          if (!isOptArg(argv[i + 1])) return new ParamError(`-${c} requires a ${c === 'P' ? 'chain and a policy' : 'old-chain-name and a new-chain-name'}`);
          pc.arg2 = argv[++i];
        }
      } else if (isOptArg(next)) {
        // -L/-S/-F/-Z/-X [chain [rulenum]]
        pc.chain = next;
        i++;
        if ((c === 'L' || c === 'S' || c === 'Z') && isNum(argv[i + 1])) pc.rulenum = Number(argv[++i]);
      }
      continue;
    }
    const opt = short ? SHORT_OPTIONS[a.charCodeAt(1)] : OPTIONS.get(a);
    // (the options of a kube-proxy rule line first)
    if (opt !== undefined) switch (opt) {
      case 'match': {
        if (next === undefined) return new ParamError(`option "${a}" requires an argument`);
        if (invert) return new ParamError('unexpected ! flag before --match');
        const ext = MATCHES.get(next);
        if (!ext) return new ParamError(`Couldn't load match \`${next}':No such file or directory\n`);
        loaded.push(ext.init());
        pc.hasSpec = true;
        i++;
        continue;
      }
      case 'jump': case 'goto': {
        if (next === undefined) return new ParamError(`option "${a}" requires an argument`);
        if (invert) return new ParamError('cannot have ! before -j');
        if (jumpSeen) return new ParamError('multiple -j flags not allowed');
        jumpSeen = true;
        const goto = opt === 'goto';
        pc.hasSpec = true;
        i++;
        if (next === 'ACCEPT' || next === 'DROP' || next === 'RETURN') {
          rule.target = goto ? { kind: 'jump', chain: next, goto } : { kind: 'verdict', verdict: next };
          continue;
        }
        const ext = goto ? undefined : findTarget(next);
        if (ext) {
          target = { ext, t: ext.init() };
          targetAt = loaded.length;
          continue;
        }
        rule.target = { kind: 'jump', chain: next, goto };
        pc.jumpTo = next;
        continue;
      }
      case 'protocol': {
        if (next === undefined) return new ParamError(`option "${a}" requires an argument`);
        const p = protoNumber(next);
        if (p === undefined) return new ParamError(`unknown protocol "${next}" specified`);
        rule.proto = p;
        rule.protoInv = invert;
        invert = false;
        if (p === 0 && rule.protoInv) return new ParamError('rule would never match protocol');
        pc.hasSpec = true;
        i++;
        continue;
      }
      case 'source': case 'destination': {
        if (next === undefined) return new ParamError(`option "${a}" requires an argument`);
        const src = opt === 'source';
        if ((src && rule.src) || (!src && rule.dst)) return new ParamError(`multiple -${src ? 's' : 'd'} flags not allowed`);
        const addr = parseAddr(next, invert);
        invert = false;
        if (!addr) return new ParamError(`host/network \`${next}' not found`);
        if (src) rule.src = addr;
        else rule.dst = addr;
        pc.hasSpec = true;
        i++;
        continue;
      }
      case 'in-interface': case 'out-interface': {
        if (next === undefined) return new ParamError(`option "${a}" requires an argument`);
        const ifc = parseIface(next, invert);
        invert = false;
        if (ifc instanceof ParamError) return ifc;
        if (opt === 'in-interface') rule.inIface = ifc;
        else rule.outIface = ifc;
        pc.hasSpec = true;
        i++;
        continue;
      }
      case 'table':
        if (next === undefined) return new ParamError(`option "${a}" requires an argument`);
        if (restoreTable !== undefined) return new ParamError("The -t option cannot be used in iptables-restore.\n");
        pc.table = next;
        i++;
        continue;
      case 'numeric': pc.numeric = true; continue;
      case 'verbose': pc.verbose = true; continue;
      case 'exact': pc.exact = true; continue;
      case 'line-numbers': pc.lineNumbers = true; continue;
      case 'wait':
        if (isNum(next)) i++;
        continue;
      case 'counters': {
        const p = argv[i + 1];
        const b = argv[i + 2];
        if (!isNum(p) || !isNum(b)) return new ParamError('-c requires packet and byte counter');
        rule.counters = { packets: Number(p), bytes: Number(b) } satisfies Counters;
        i += 2;
        continue;
      }
      default:
        break;
    }
    // An extension option: the target first, then loaded matches (the last instance of each),
    // then the protocol's implicit match (load_proto in xshared.c).
    const inv = invert;
    invert = false;
    const r = dispatchOption(a, argv, i, inv, target, targetAt, loaded, rule, pc);
    if (r instanceof ParamError) return pc.warnings ? new ParamError(r.message, pc.warnings.join('')) : r;
    pc.hasSpec = true;
    i += r;
  }
  if (invert) return new ParamError('unexpected ! flag');
  if (command === undefined) {
    if (argv.length === 0) return new ParamError('no command specified');
    return new ParamError('no command specified');
  }
  pc.command = command;
  // Final checks, in the order the extensions run them.
  // The matches kept are compacted to the front of `loaded`.
  let kept = 0;
  for (let k = 0; k < loaded.length; k++) {
    const m = loaded[k]!;
    const e = MATCHES.get(m.kind)!.check?.(m, rule);
    if (e) return e;
    // iptables-nft turns tcp/udp port matches into native payload expressions and reads
    // them back as one match: `-m tcp --dport 80 -m tcp --sport 90` saves as
    // `-m tcp --sport 90 --dport 80`, at the first one's place.
    if (m.kind === 'tcp' || m.kind === 'udp') {
      // …and an inverted range from 0 comes back as its complement (`! --dport 0:1023` is
      // stored as "dport > 1023" and saved as `--dport 1024:65535`; checked against 1.8.9).
      const sp = m.sport;
      if (sp?.inv && sp.value.from === 0 && sp.value.to > 0 && sp.value.to < 65535) m.sport = { value: { from: sp.value.to + 1, to: 65535 }, inv: false };
      const dp = m.dport;
      if (dp?.inv && dp.value.from === 0 && dp.value.to > 0 && dp.value.to < 65535) m.dport = { value: { from: dp.value.to + 1, to: 65535 }, inv: false };
      let first: typeof m | undefined;
      for (let j = 0; j < kept && !first; j++) if (loaded[j]!.kind === m.kind) first = loaded[j] as typeof m;
      if (first) {
        if (m.sport) first.sport = m.sport;
        if (m.dport) first.dport = m.dport;
        continue;
      }
    }
    loaded[kept++] = m;
  }
  // A copy sized to its contents: rules are kept, hundreds of thousands of them in a big sync.
  if (kept) rule.matches = loaded.slice(0, kept);
  if (target) {
    const e = target.ext.check?.(target.t);
    if (e) return e;
    rule.target = target.t;
    // libipt_DNAT/SNAT/MASQUERADE: a port range needs a protocol with ports (inversion aside).
    const t = target.t;
    const ports = (t.kind === 'DNAT' || t.kind === 'SNAT') ? t.range.portMin !== undefined : t.kind === 'MASQUERADE' ? t.ports !== undefined : false;
    if (ports && !PORT_PROTOS.includes(rule.proto ?? 0)) return new ParamError('Need TCP, UDP, SCTP or DCCP with port specification');
  }
  // xshared.c do_parse: no DROP in the nat table, as a target or a policy.
  if (pc.table === 'nat' && ((rule.target.kind === 'verdict' && rule.target.verdict === 'DROP') || (command === 'P' && pc.arg2 === 'DROP'))) {
    return new ParamError('\nThe "nat" table is not intended for filtering, the use of DROP is therefore inhibited.\n\n');
  }
  if (pc.chain !== undefined && pc.chain.length > 28 && (command === 'N' || command === 'E')) {
    return new ParamError(`chain name \`${command === 'E' ? pc.arg2 : pc.chain}' too long (must be under 29 chars)`);
  }
  if (pc.chain !== undefined) {
    const builtinHook = pc.chain;
    if (rule.inIface && (builtinHook === 'POSTROUTING' || builtinHook === 'OUTPUT')) return new ParamError(`Can't use -i with ${builtinHook}\n`);
    if (rule.outIface && (builtinHook === 'PREROUTING' || builtinHook === 'INPUT')) return new ParamError(`Can't use -o with ${builtinHook}\n`);
  }
  pc.rule = rule;
  return pc;
}

/** Does the extension know the option, and does it take an argument? */
function optionArg(ext: MatchExt | TargetExt, opt: string): boolean | undefined {
  const options = ext.options;
  for (let k = 0; k < options.length; k++) if (options[k]!.name === opt) return options[k]!.arg;
  return undefined;
}

/** Hand the option (and its argument) to one extension instance: how many argv words it took. */
function callExt(
  ext: MatchExt | TargetExt, obj: Match | Target, takesArg: boolean,
  opt: string, argv: readonly string[], i: number, inv: boolean, pc: ParsedCommand,
): number | ParamError {
  const arg = takesArg ? argv[i + 1] : undefined;
  if (takesArg && arg === undefined) return new ParamError(`option "${opt}" requires an argument`);
  if (ext.name === 'set' && (opt === '--match-set' || opt === '--set')) {
    const flags = argv[i + 2];
    const m = obj as Extract<Match, { kind: 'set' }>;
    // (kept on the command: printed before whatever the line leads to)
    if (opt === '--set') (pc.warnings ??= []).push('--set option deprecated, please use --match-set\n');
    if (m.name) return new ParamError('--match-set can be specified only once');
    if (flags === undefined || flags.startsWith('-')) return new ParamError('--match-set requires two args.');
    const fl = flags.split(',');
    if (fl.some((f) => f !== 'src' && f !== 'dst') || fl.length > 6) return new ParamError(`You must specify (the comma separated list of) 'src' or 'dst'.`);
    if (arg!.length > 31) return new ParamError(`setname \`${arg}' too long, max 31 characters.`);
    m.name = arg!;
    m.flags = fl as ('src' | 'dst')[];
    m.inv = inv;
    return 2;
  }
  const e = (ext.parse as (o: Match | Target, opt: string, arg: string | undefined, inv: boolean) => ParamError | undefined)(obj, opt, arg, inv);
  return e ?? (takesArg ? 1 : 0);
}

function dispatchOption(
  opt: string, argv: readonly string[], i: number, inv: boolean,
  target: { ext: TargetExt; t: Target } | undefined,
  targetAt: number,
  loaded: Match[],
  rule: Rule,
  pc: ParsedCommand,
): number | ParamError {
  // getopt over the merged option table: each extension's options are merged in front of the
  // earlier ones when it is first loaded (a repeated -m reuses them), so the most recently
  // loaded extension that knows the option gets it — its latest instance, for a repeated match.
  // The target's options sit where the target was loaded (before the matches loaded after it).
  for (let k = loaded.length - 1; k >= -1; k--) {
    if (target && k === targetAt - 1) {
      const t = optionArg(target.ext, opt);
      if (t !== undefined) return callExt(target.ext, target.t, t, opt, argv, i, inv, pc);
    }
    if (k < 0) break;
    const name = loaded[k]!.kind;
    let firstLoad = true;
    for (let j = 0; j < k; j++) if (loaded[j]!.kind === name) { firstLoad = false; break; }
    if (!firstLoad) continue;
    let latest = loaded.length - 1;
    while (loaded[latest]!.kind !== name) latest--;
    const m = loaded[latest]!;
    const ext = MATCHES.get(name)!;
    const t = optionArg(ext, opt);
    if (t !== undefined) return callExt(ext, m, t, opt, argv, i, inv, pc);
  }
  const protoExt = rule.proto === 6 ? 'tcp' : rule.proto === 17 ? 'udp' : rule.proto === 132 ? 'sctp' : rule.proto === 1 ? 'icmp' : undefined;
  if (protoExt && !rule.protoInv && !loaded.some((l) => l.kind === protoExt)) {
    const ext = MATCHES.get(protoExt)!;
    const t = optionArg(ext, opt);
    if (t !== undefined) {
      const m = ext.init();
      loaded.push(m);
      return callExt(ext, m, t, opt, argv, i, inv, pc);
    }
  }
  return new ParamError(`unknown option "${opt}"`);
}

// ---------- iptables-restore's rule lines, read where they stand ----------

/** Where the line parser gets chain names: a string equal to text[s, e), preferably one that
 *  exists already (a chain's own name: nothing is copied, and looking the chain up is quick). */
export interface NameSource {
  name(text: string, s: number, e: number): string;
}

/** A small hash of the name text[e - n, e) (its length and last characters: kube-proxy's chain
 *  names end in a hash) for direct-mapped memos of SLOTS entries. */
export function nameSlot(text: string, e: number, n: number): number {
  if (n < 3) return n;
  return (n * 7 + text.charCodeAt(e - 1) * 31 + text.charCodeAt(e - 2) * 3 + text.charCodeAt(e - 3)) & (SLOTS - 1);
}
export const SLOTS = 256;

/** a === b, compared from the end in JS: chain names of one length differ in their last
 *  characters, and === on two distinct strings goes to the runtime when they are slices. */
export function sameString(a: string, b: string): boolean {
  const n = a.length;
  if (b.length !== n) return false;
  for (let k = n - 1; k >= 0; k--) if (a.charCodeAt(k) !== b.charCodeAt(k)) return false;
  return true;
}

/** Is text[s, e) the word `w`? (by hand: startsWith is a call, this inlines) */
function isWord(text: string, s: number, e: number, w: string): boolean {
  const n = w.length;
  if (e - s !== n) return false;
  for (let k = 0; k < n; k++) if (text.charCodeAt(s + k) !== w.charCodeAt(k)) return false;
  return true;
}

/** The decimal text[s, e) (`\d+` or `\d+.\d*`) as a number; NaN for any other form. */
function decimalAt(text: string, s: number, e: number): number {
  let dot = false;
  for (let k = s; k < e; k++) {
    const c = text.charCodeAt(k);
    if (c === 46 && !dot && k > s) dot = true;
    else if (c < 48 || c > 57) return NaN;
  }
  return e > s ? Number(text.slice(s, e)) : NaN;
}

/** A port given as digits (parsePort's `^\d+$`, at most 65535); -1 for any other form (a name, a range). */
function portAt(text: string, s: number, e: number): number {
  if (e <= s || e - s > 9) return -1;
  let v = 0;
  for (let k = s; k < e; k++) {
    const c = text.charCodeAt(k);
    if (c < 48 || c > 57) return -1;
    v = v * 10 + c - 48;
  }
  return v <= 65535 ? v : -1;
}

/** `a.b.c.d` or `a.b.c.d/N` at text[s, e) as parseIPv4 and parseAddr read it: [address, prefix
 *  length] in out; false for any other form (a dotted mask, a bad address). */
function addrAt(text: string, s: number, e: number, out: number[]): boolean {
  const i = readIPv4(text, s, e, out);
  if (i < 0) return false;
  const ip = out[0]!;
  let bits = 32;
  if (i < e) {
    // `/N` with one or two digits; anything else is the general path's.
    if (text.charCodeAt(i) !== 47 || e - i < 2 || e - i > 3) return false;
    bits = 0;
    for (let k = i + 1; k < e; k++) {
      const c = text.charCodeAt(k);
      if (c < 48 || c > 57) return false;
      bits = bits * 10 + c - 48;
    }
    if (bits > 32) return false;
  }
  out[0] = (ip & maskOf(bits)) >>> 0;
  out[1] = bits;
  return true;
}

/** The long options the line parser reads. */
const DPORT = 1;
const SPORT = 2;
const COMMENT = 3;
const MODE = 4;
const PROBABILITY = 5;
const TO_DESTINATION = 6;

/** Which of those text[s, e) is (0: none), told apart by length first. */
function longOption(text: string, s: number, e: number): number {
  switch (e - s) {
    case 7: return isWord(text, s, e, '--dport') ? DPORT : isWord(text, s, e, '--sport') ? SPORT : 0;
    case 9: return isWord(text, s, e, '--comment') ? COMMENT : 0;
    case 6: return isWord(text, s, e, '--mode') ? MODE : 0;
    case 13: return isWord(text, s, e, '--probability') ? PROBABILITY : 0;
    case 16: return isWord(text, s, e, '--to-destination') ? TO_DESTINATION : 0;
    default: return 0;
  }
}

/** text[s, e) as a port match's name: 1 tcp, 2 udp, 3 sctp, 0 none. */
function portMatch(text: string, s: number, e: number): number {
  const n = e - s;
  if (n === 3) return isWord(text, s, e, 'tcp') ? 1 : isWord(text, s, e, 'udp') ? 2 : 0;
  return n === 4 && isWord(text, s, e, 'sctp') ? 3 : 0;
}

/** `--to-destination ADDR[:PORT]` at text[s, e) as parseNatRange reads it; undefined for
 *  any other form (ranges, errors: parseNatRange's). */
function natRangeAt(text: string, s: number, e: number): NatRange | undefined {
  let colon = e;
  for (let k = s; k < e; k++) {
    const c = text.charCodeAt(k);
    if (c === 47) return undefined; // (no prefix length in a NAT range)
    if (c === 58) {
      colon = k;
      break;
    }
  }
  const addr = NAT_ADDR;
  if (colon === s || !addrAt(text, s, colon, addr) || addr[1] !== 32) return undefined;
  const ip = addr[0]!;
  if (colon === e) return { ipMin: ip, ipMax: ip };
  const port = portAt(text, colon + 1, e);
  return port < 0 ? undefined : { ipMin: ip, ipMax: ip, portMin: port, portMax: port };
}
const NAT_ADDR = [0, 0];

/** Where `ch` next stands in text from `from` on; text.length when nowhere. */
function nextAt(text: string, ch: string, from: number): number {
  const k = text.indexOf(ch, from);
  return k < 0 ? text.length : k;
}

/** A match shared by the rules that have it, and the one-match list holding it. */
interface SharedMatch {
  m: Match;
  list: Match[];
}

const PORT_KINDS = ['tcp', 'udp', 'sctp'] as const;

/**
 * iptables-restore's `-A CHAIN spec` lines, read where they stand in the text (no word array):
 * the plain kind nearly every line is — words split by spaces; -s/-d/-p/-i/-o (with `!`);
 * -m comment, tcp/udp/sctp (single ports), statistic (random); -j/-g to a verdict, a chain or
 * DNAT --to-destination. For any other line, and for any line the general path would refuse,
 * `parse` gives undefined and the caller runs the general path (parseCommandLine), which is
 * the reference: for every line parsed here both give equal commands.
 *
 * Parsed rules are never changed (only their counters move, and those are each rule's own),
 * so rules parsed by one parser share equal parts: jump targets, addresses, matches and their
 * one-match lists. A big sync keeps hundreds of thousands of rules; most of their parts repeat.
 */
export class RuleLineParser {
  /** Handed back for every line: execute keeps nothing of it but the rule. */
  readonly #pc: ParsedCommand = {
    table: '', command: 'A', chain: undefined, rulenum: undefined, arg2: undefined, rule: undefined,
    hasSpec: false, numeric: false, verbose: false, exact: false, lineNumbers: false, zero: false, jumpTo: undefined,
    warnings: undefined,
  };
  /** The last word read by #word: text[#ws, #we) (quotes left out), and where reading goes on. */
  #ws = 0;
  #we = 0;
  #at = 0;
  #quoted = false;
  /** The line has no `"`, tab or CR: words are split by spaces alone. */
  #plain = false;
  /** Where the next `"`, tab and CR stand in #text from the last line on (text.length: none):
   *  each is looked for once as lines go by, not on every line. */
  #text = '';
  /** (the memos hold for lines after this one) */
  #from = 0;
  #quote = -1;
  #tab = -1;
  #cr = -1;
  readonly #addr: number[] = [0, 0];
  readonly #accept: Target = { kind: 'verdict', verdict: 'ACCEPT' };
  readonly #drop: Target = { kind: 'verdict', verdict: 'DROP' };
  readonly #return: Target = { kind: 'verdict', verdict: 'RETURN' };
  /** Jump targets (not goto) and addresses lately made, direct-mapped. */
  readonly #jumps: (Extract<Target, { kind: 'jump' }> | undefined)[] = new Array<undefined>(SLOTS).fill(undefined);
  readonly #addrs: (AddrMatch | undefined)[] = new Array<undefined>(SLOTS).fill(undefined);
  /** Matches by content: port matches by kind and ports, statistic by probability, comments by text. */
  readonly #ports = new Map<number, SharedMatch>();
  readonly #stats = new Map<number, SharedMatch>();
  readonly #comments = new Map<string, SharedMatch>();

  /** The next word from text[i] on, as the general tokenizer splits: 1 and its bounds, 0 at
   *  the end, -1 for what only the general tokenizer reads (a backslash or a quote inside a
   *  word, text right after a closing quote, tabs and other control characters). */
  #word(text: string, i: number, e: number): number {
    while (i < e && text.charCodeAt(i) === 32) i++;
    if (i >= e) return 0;
    let j = i;
    if (text.charCodeAt(i) === 34) {
      for (j = i + 1; j < e; j++) {
        const c = text.charCodeAt(j);
        if (c === 34) break;
        if (c === 92) return -1;
      }
      if (j >= e || (j + 1 < e && text.charCodeAt(j + 1) !== 32)) return -1;
      this.#ws = i + 1;
      this.#we = j;
      this.#at = j + 1;
      this.#quoted = true;
      return 1;
    }
    if (this.#plain) {
      // No quote, tab or CR on this line: a word ends at the next space (there is one on the
      // next rule line at the latest: the scan stays short).
      j = text.indexOf(' ', i);
      if (j < 0 || j > e) j = e;
    } else {
      for (; j < e; j++) {
        const c = text.charCodeAt(j);
        // (one test for the usual characters: space, `"` and the control characters are below 35)
        if (c < 35) {
          if (c === 32) break;
          if (c !== 33) return -1;
        }
      }
    }
    this.#ws = i;
    this.#we = j;
    this.#at = j;
    this.#quoted = false;
    return 1;
  }

  /** Is text[s, e) free of `"`, tab and CR? */
  #isPlain(text: string, s: number, e: number): boolean {
    if (text !== this.#text || s < this.#from) {
      this.#text = text;
      this.#quote = this.#tab = this.#cr = -1;
    }
    this.#from = s;
    if (this.#quote < s) this.#quote = nextAt(text, '"', s);
    if (this.#tab < s) this.#tab = nextAt(text, '\t', s);
    if (this.#cr < s) this.#cr = nextAt(text, '\r', s);
    return this.#quote >= e && this.#tab >= e && this.#cr >= e;
  }

  /** The line text[s, e) in `table`; undefined: run the general path. */
  parse(text: string, s: number, e: number, table: string, names: NameSource): ParsedCommand | undefined {
    if (e - s < 4 || text.charCodeAt(s) !== 45 || text.charCodeAt(s + 1) !== 65 || text.charCodeAt(s + 2) !== 32) return undefined;
    this.#plain = this.#isPlain(text, s, e);
    if (this.#word(text, s + 2, e) !== 1 || this.#quoted || text.charCodeAt(this.#ws) === 45) return undefined;
    const chain = names.name(text, this.#ws, this.#we);
    // The rule's parts, made into one object at the end (its fields never written again).
    let src: AddrMatch | undefined;
    let dst: AddrMatch | undefined;
    let inIface: IfaceMatch | undefined;
    let outIface: IfaceMatch | undefined;
    let proto: number | undefined;
    let protoInv: boolean | undefined;
    let at = this.#at;
    let invert = false;
    let hasSpec = false;
    /** The matches in load order, two bits each (1 comment, 2 port, 3 statistic), first loaded highest. */
    let order = 0;
    let commentOn = false;
    let comment: string | undefined;
    /** 1 tcp, 2 udp, 3 sctp. */
    let portKind = 0;
    let sport = -1;
    let dport = -1;
    let statOn = false;
    let prob = -1;
    let target: Target | undefined;
    let dnat = false;
    let range: NatRange | undefined;
    let jumpTo: string | undefined;
    for (;;) {
      const w = this.#word(text, at, e);
      if (w === 0) break;
      if (w < 0 || this.#quoted) return undefined;
      const ws = this.#ws;
      const we = this.#we;
      at = this.#at;
      if (we - ws === 1 && text.charCodeAt(ws) === 33) {
        if (invert) return undefined;
        invert = true;
        continue;
      }
      if (we - ws < 2 || text.charCodeAt(ws) !== 45) return undefined;
      // Every option read here takes one argument; only a comment's may be quoted.
      if (this.#word(text, at, e) !== 1) return undefined;
      const as = this.#ws;
      const ae = this.#we;
      at = this.#at;
      const long = we - ws > 2 ? longOption(text, ws, we) : 0;
      if (this.#quoted && long !== COMMENT) return undefined;
      hasSpec = true;
      if (we - ws === 2) {
        const o = text.charCodeAt(ws + 1);
        if (o === 115 || o === 100) { // -s -d
          if (o === 115 ? src : dst) return undefined;
          const a = this.#address(text, as, ae, invert);
          if (!a) return undefined;
          if (o === 115) src = a;
          else dst = a;
          invert = false;
        } else if (o === 112) { // -p
          const k = portMatch(text, as, ae);
          const p = k === 1 ? 6 : k === 2 ? 17 : protoNumber(text.slice(as, ae));
          if (p === undefined || (p === 0 && invert)) return undefined;
          proto = p;
          protoInv = invert;
          invert = false;
        } else if (o === 105 || o === 111) { // -i -o
          if (ae - as > 15) return undefined;
          const ifc = parseIface(text.slice(as, ae), invert) as IfaceMatch;
          if (o === 105) inIface = ifc;
          else outIface = ifc;
          invert = false;
        } else if (o === 109) { // -m
          if (invert) return undefined;
          const n = ae - as;
          if (n === 7 && isWord(text, as, ae, 'comment')) {
            if (commentOn) return undefined;
            commentOn = true;
            order = order * 4 + 1;
          } else if (n === 9 && isWord(text, as, ae, 'statistic')) {
            if (statOn) return undefined;
            statOn = true;
            order = order * 4 + 3;
          } else {
            const k = portMatch(text, as, ae);
            if (k === 0 || portKind !== 0) return undefined;
            portKind = k;
            order = order * 4 + 2;
          }
        } else if (o === 106 || o === 103) { // -j -g
          if (invert || target) return undefined;
          const n = ae - as;
          const verdict = n === 6 ? (isWord(text, as, ae, 'ACCEPT') ? this.#accept : isWord(text, as, ae, 'RETURN') ? this.#return : undefined)
            : n === 4 && isWord(text, as, ae, 'DROP') ? this.#drop : undefined;
          if (verdict) {
            if (o === 103) return undefined;
            target = verdict;
            continue;
          }
          if (o === 106 && isWord(text, as, ae, 'DNAT')) {
            target = NO_TARGET; // (made at the end, with its range)
            dnat = true;
            continue;
          }
          // Any other extension is the general path's (an extension's name is short: a long
          // name is a chain's, looked up by position).
          if (o === 106 && n <= TARGET_NAME_MAX && findTarget(text.slice(as, ae))) return undefined;
          const name = names.name(text, as, ae);
          target = this.#jump(name, o === 103);
          jumpTo = name;
        } else return undefined;
        continue;
      }
      // Long options: those of the loaded matches and target (no two of them share a name).
      if (invert || text.charCodeAt(ws + 1) !== 45) return undefined;
      if (long === DPORT || long === SPORT) {
        if (portKind === 0) {
          // load_proto: the protocol's own match, loaded by the first of its options.
          const p = proto;
          if (protoInv || !(p === 6 || p === 17 || p === 132)) return undefined;
          portKind = p === 6 ? 1 : p === 17 ? 2 : 3;
          order = order * 4 + 2;
        }
        const n = portAt(text, as, ae);
        if (n < 0) return undefined;
        if (long === DPORT) {
          if (dport >= 0) return undefined;
          dport = n;
        } else {
          if (sport >= 0) return undefined;
          sport = n;
        }
      } else if (long === COMMENT) {
        if (!commentOn || comment !== undefined || ae === as || ae - as > 255) return undefined;
        comment = text.slice(as, ae);
      } else if (long === MODE) {
        if (!statOn || !isWord(text, as, ae, 'random')) return undefined;
      } else if (long === PROBABILITY) {
        if (!statOn || prob >= 0) return undefined;
        const p = decimalAt(text, as, ae);
        if (!(p >= 0 && p <= 1)) return undefined;
        // libxt_statistic: lround(0x80000000 * p), as the extension parses it.
        prob = Math.round(0x80000000 * p);
      } else if (long === TO_DESTINATION) {
        if (!dnat || range) return undefined;
        const r = natRangeAt(text, as, ae) ?? parseNatRange(text.slice(as, ae), 'DNAT');
        if (r instanceof ParamError) return undefined;
        range = r;
      } else return undefined;
    }
    // The general path's final checks: any of them failing is its error to report.
    if (invert || (commentOn && comment === undefined) || (portKind !== 0 && !proto) || (statOn && prob < 0)) return undefined;
    if (dnat && (!range || (range.portMin !== undefined && !PORT_PROTOS.includes(proto ?? 0)))) return undefined;
    if (table === 'nat' && target === this.#drop) return undefined;
    if (inIface && (chain === 'POSTROUTING' || chain === 'OUTPUT')) return undefined;
    if (outIface && (chain === 'PREROUTING' || chain === 'INPUT')) return undefined;
    let matches = NO_MATCHES;
    if (order !== 0) {
      const n = order >= 16 ? 3 : order >= 4 ? 2 : 1;
      const first = this.#match((order >> (2 * (n - 1))) & 3, comment, portKind, sport, dport, prob);
      if (n === 1) matches = first.list;
      else {
        const second = this.#match((order >> (2 * (n - 2))) & 3, comment, portKind, sport, dport, prob).m;
        matches = n === 2 ? [first.m, second] : [first.m, second, this.#match(order & 3, comment, portKind, sport, dport, prob).m];
      }
    }
    // (as the DNAT extension's init lays it out)
    if (dnat) target = { kind: 'DNAT', range: range!, random: false, persistent: false };
    // (as emptyRule lays it out: one shape for all rules)
    const rule: Rule = { src, dst, inIface, outIface, proto, protoInv, matches, target: target ?? NO_TARGET, counters: { packets: 0, bytes: 0 } };
    const pc = this.#pc;
    pc.table = table;
    pc.chain = chain;
    pc.rule = rule;
    pc.hasSpec = hasSpec;
    pc.jumpTo = jumpTo;
    return pc;
  }

  /** A jump (or goto) to `name`: one object for all jumps to it lately. */
  #jump(name: string, goto: boolean): Target {
    if (goto) return { kind: 'jump', chain: name, goto };
    const slot = nameSlot(name, name.length, name.length);
    const t = this.#jumps[slot];
    if (t !== undefined && sameString(t.chain, name)) return t;
    const made: Extract<Target, { kind: 'jump' }> = { kind: 'jump', chain: name, goto: false };
    this.#jumps[slot] = made;
    return made;
  }

  /** -s/-d text[s, e): one object for equal addresses made lately; undefined for the general path. */
  #address(text: string, s: number, e: number, inv: boolean): AddrMatch | undefined {
    const out = this.#addr;
    if (!addrAt(text, s, e, out)) return undefined;
    const base = out[0]!;
    const bits = out[1]!;
    const slot = (base ^ (base >>> 7) ^ (base >>> 15) ^ (base >>> 23) ^ bits) & (SLOTS - 1);
    const a = this.#addrs[slot];
    if (a !== undefined && a.base === base && a.bits === bits && a.inv === inv) return a;
    const made: AddrMatch = { base, bits, inv };
    this.#addrs[slot] = made;
    return made;
  }

  /** The shared match of load code `code` (1 comment, 2 port, 3 statistic) with these values. */
  #match(code: number, comment: string | undefined, portKind: number, sport: number, dport: number, prob: number): SharedMatch {
    let map: Map<number, SharedMatch> | Map<string, SharedMatch>;
    let key: number | string;
    if (code === 1) {
      map = this.#comments;
      key = comment!;
    } else if (code === 2) {
      map = this.#ports;
      key = (portKind * 65537 + sport + 1) * 65537 + dport + 1;
    } else {
      map = this.#stats;
      key = prob;
    }
    const hit = (map as Map<number | string, SharedMatch>).get(key);
    if (hit) return hit;
    let m: Match;
    if (code === 1) {
      m = MATCHES.get('comment')!.init();
      (m as Extract<Match, { kind: 'comment' }>).comment = comment!;
    } else if (code === 2) {
      const pm = MATCHES.get(PORT_KINDS[portKind - 1]!)!.init() as Extract<Match, { kind: 'tcp' | 'udp' | 'sctp' }>;
      if (sport >= 0) pm.sport = { value: { from: sport, to: sport }, inv: false };
      if (dport >= 0) pm.dport = { value: { from: dport, to: dport }, inv: false };
      m = pm;
    } else {
      m = MATCHES.get('statistic')!.init();
      (m as Extract<Match, { kind: 'statistic'; mode: 'random' }>).probability = prob;
    }
    const made: SharedMatch = { m, list: [m] };
    (map as Map<number | string, SharedMatch>).set(key, made);
    return made;
  }
}
