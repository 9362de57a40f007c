/**
 * The iptables command line as do_parse (iptables/xshared.c) reads it: one command, its chain
 * and optional rule number, options, and a rule spec (addresses, interfaces, protocol, matches
 * with their options, a target with its options). Pure: returns a value or an error, never
 * throws for user input.
 */
import { parseAddr } from './addr';
import { MATCHES, ParamError, findTarget, protoNumber, type MatchExt, type TargetExt } from './extensions';
import type { Counters, IfaceMatch, Match, Rule, Target } from './types';

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
