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

const COMMANDS: Readonly<Record<string, CommandLetter>> = {
  '-A': 'A', '--append': 'A', '-C': 'C', '--check': 'C', '-D': 'D', '--delete': 'D', '-I': 'I', '--insert': 'I',
  '-R': 'R', '--replace': 'R', '-L': 'L', '--list': 'L', '-S': 'S', '--list-rules': 'S', '-F': 'F', '--flush': 'F',
  '-Z': 'Z', '--zero': 'Z', '-N': 'N', '--new-chain': 'N', '--new': 'N', '-X': 'X', '--delete-chain': 'X',
  '-P': 'P', '--policy': 'P', '-E': 'E', '--rename-chain': 'E',
};

const isOptArg = (s: string | undefined): s is string => s !== undefined && !s.startsWith('-') && s !== '!';
const isNum = (s: string | undefined): boolean => s !== undefined && /^\d+$/.test(s);

function parseIface(text: string, inv: boolean): IfaceMatch | ParamError {
  if (text.length > 15) return new ParamError(`interface name \`${text}' must be shorter than IFNAMSIZ (15)`);
  const wildcard = text.endsWith('+');
  return { name: wildcard ? text.slice(0, -1) : text, wildcard, inv };
}

export function emptyRule(): Rule {
  return { matches: [], target: { kind: 'none' }, counters: { packets: 0, bytes: 0 } };
}

/**
 * Parse argv (without the leading `iptables`). `restoreTable` is set when called from
 * iptables-restore, where the table comes from the `*table` line.
 */
export function parseCommandLine(argv: readonly string[], restoreTable?: string): ParsedCommand | ParamError {
  const pc: ParsedCommand = {
    table: restoreTable ?? 'filter', command: 'L', hasSpec: false, numeric: false, verbose: false, exact: false,
    lineNumbers: false, zero: false,
  };
  let command: CommandLetter | undefined;
  const rule = emptyRule();
  const loaded: { ext: MatchExt; m: Match }[] = [];
  let target: { ext: TargetExt; t: Target } | undefined;
  /** Where the target stands in load order (getopt's merged option table: first loaded wins). */
  let targetAt = 0;
  const warnings: string[] = [];
  let jumpSeen = false;
  let invert = false;
  const setCommand = (c: CommandLetter, flag: string): ParamError | undefined => {
    if (command === 'L' && c === 'Z') { pc.zero = true; return undefined; }
    if (command === 'Z' && c === 'L') { pc.zero = true; command = 'L'; return undefined; }
    if (command !== undefined) return new ParamError(`Cannot use -${c} with -${command}\n`);
    void flag;
    command = c;
    return undefined;
  };
  const takeInvert = (): boolean => {
    const v = invert;
    invert = false;
    return v;
  };

  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    const c = COMMANDS[a];
    if (c) {
      const e = setCommand(c, a);
      if (e) return e;
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
    if (a === '!') {
      if (invert) return new ParamError('multiple consecutive ! not allowed');
      invert = true;
      continue;
    }
    switch (a) {
      case '-t': case '--table':
        if (next === undefined) return new ParamError(`option "${a}" requires an argument`);
        if (restoreTable !== undefined) return new ParamError("The -t option cannot be used in iptables-restore.\n");
        pc.table = next;
        i++;
        continue;
      case '-n': case '--numeric': pc.numeric = true; continue;
      case '-v': case '--verbose': pc.verbose = true; continue;
      case '-x': case '--exact': pc.exact = true; continue;
      case '--line-numbers': pc.lineNumbers = true; continue;
      case '-w': case '--wait':
        if (isNum(next)) i++;
        continue;
      case '-c': case '--set-counters': {
        const p = argv[i + 1];
        const b = argv[i + 2];
        if (!isNum(p) || !isNum(b)) return new ParamError('-c requires packet and byte counter');
        rule.counters = { packets: Number(p), bytes: Number(b) } satisfies Counters;
        i += 2;
        continue;
      }
      case '-s': case '--source': case '--src': case '-d': case '--destination': case '--dst': {
        if (next === undefined) return new ParamError(`option "${a}" requires an argument`);
        const src = a === '-s' || a === '--source' || a === '--src';
        if ((src && rule.src) || (!src && rule.dst)) return new ParamError(`multiple -${src ? 's' : 'd'} flags not allowed`);
        const addr = parseAddr(next, takeInvert());
        if (!addr) return new ParamError(`host/network \`${next}' not found`);
        if (src) rule.src = addr;
        else rule.dst = addr;
        pc.hasSpec = true;
        i++;
        continue;
      }
      case '-i': case '--in-interface': case '-o': case '--out-interface': {
        if (next === undefined) return new ParamError(`option "${a}" requires an argument`);
        const ifc = parseIface(next, takeInvert());
        if (ifc instanceof ParamError) return ifc;
        if (a === '-i' || a === '--in-interface') rule.inIface = ifc;
        else rule.outIface = ifc;
        pc.hasSpec = true;
        i++;
        continue;
      }
      case '-p': case '--protocol': {
        if (next === undefined) return new ParamError(`option "${a}" requires an argument`);
        const p = protoNumber(next);
        if (p === undefined) return new ParamError(`unknown protocol "${next}" specified`);
        rule.proto = p;
        rule.protoInv = takeInvert();
        if (p === 0 && rule.protoInv) return new ParamError('rule would never match protocol');
        pc.hasSpec = true;
        i++;
        continue;
      }
      case '-m': case '--match': {
        if (next === undefined) return new ParamError(`option "${a}" requires an argument`);
        if (invert) return new ParamError('unexpected ! flag before --match');
        const ext = MATCHES.get(next);
        if (!ext) return new ParamError(`Couldn't load match \`${next}':No such file or directory\n`);
        loaded.push({ ext, m: ext.init() });
        pc.hasSpec = true;
        i++;
        continue;
      }
      case '-j': case '--jump': case '-g': case '--goto': {
        if (next === undefined) return new ParamError(`option "${a}" requires an argument`);
        if (invert) return new ParamError('cannot have ! before -j');
        if (jumpSeen) return new ParamError('multiple -j flags not allowed');
        jumpSeen = true;
        const goto = a === '-g' || a === '--goto';
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
      default:
        break;
    }
    if (!a.startsWith('-')) return new ParamError(`Bad argument \`${a}'`);
    // An extension option: the target first, then loaded matches (the last instance of each),
    // then the protocol's implicit match (load_proto in xshared.c).
    const inv = takeInvert();
    const r = dispatchOption(a, argv, i, inv, target, targetAt, loaded, rule, warnings);
    if (r instanceof ParamError) return warnings.length ? new ParamError(r.message, warnings.join('')) : r;
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
  for (const { ext, m } of loaded) {
    const e = ext.check?.(m, rule);
    if (e) return e;
    // iptables-nft turns tcp/udp port matches into native payload expressions and reads
    // them back as one match: `-m tcp --dport 80 -m tcp --sport 90` saves as
    // `-m tcp --sport 90 --dport 80`, at the first one's place.
    if (m.kind === 'tcp' || m.kind === 'udp') {
      // …and an inverted range from 0 comes back as its complement (`! --dport 0:1023` is
      // stored as "dport > 1023" and saved as `--dport 1024:65535`; checked against 1.8.9).
      for (const k of ['sport', 'dport'] as const) {
        const r = m[k];
        if (r?.inv && r.value.from === 0 && r.value.to > 0 && r.value.to < 65535) {
          m[k] = { value: { from: r.value.to + 1, to: 65535 }, inv: false };
        }
      }
      const first = rule.matches.find((x) => x.kind === m.kind) as typeof m | undefined;
      if (first) {
        if (m.sport) first.sport = m.sport;
        if (m.dport) first.dport = m.dport;
        continue;
      }
    }
    rule.matches.push(m);
  }
  if (target) {
    const e = target.ext.check?.(target.t);
    if (e) return e;
    rule.target = target.t;
    // libipt_DNAT/SNAT/MASQUERADE: a port range needs a protocol with ports (inversion aside).
    const t = target.t;
    const ports = (t.kind === 'DNAT' || t.kind === 'SNAT') ? t.range.portMin !== undefined : t.kind === 'MASQUERADE' ? t.ports !== undefined : false;
    if (ports && ![6, 17, 132, 33].includes(rule.proto ?? 0)) return new ParamError('Need TCP, UDP, SCTP or DCCP with port specification');
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
  pc.warnings = warnings;
  return pc;
}

function dispatchOption(
  opt: string, argv: readonly string[], i: number, inv: boolean,
  target: { ext: TargetExt; t: Target } | undefined,
  targetAt: number,
  loaded: { ext: MatchExt; m: Match }[],
  rule: Rule,
  warnings: string[],
): number | ParamError {
  const withArg = (ext: { options: readonly { name: string; arg: boolean }[] }): boolean | undefined =>
    ext.options.find((o) => o.name === opt)?.arg;
  const call = (ext: MatchExt | TargetExt, obj: Match | Target, takesArg: boolean): number | ParamError => {
    const arg = takesArg ? argv[i + 1] : undefined;
    if (takesArg && arg === undefined) return new ParamError(`option "${opt}" requires an argument`);
    if (ext.name === 'set' && (opt === '--match-set' || opt === '--set')) {
      const flags = argv[i + 2];
      const m = obj as Extract<Match, { kind: 'set' }>;
      if (opt === '--set') warnings.push('--set option deprecated, please use --match-set\n');
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
  };
  // getopt over the merged option table: each extension's options are merged in front of the
  // earlier ones when it is first loaded (a repeated -m reuses them), so the most recently
  // loaded extension that knows the option gets it — its latest instance, for a repeated match.
  const firstLoad = new Map<string, number>();
  loaded.forEach((l, k) => { if (!firstLoad.has(l.ext.name)) firstLoad.set(l.ext.name, k); });
  const order: { at: number; run: () => number | ParamError | undefined }[] = [];
  for (const [name, at] of firstLoad) {
    order.push({
      at,
      run: () => {
        let k = loaded.length - 1;
        while (loaded[k]!.ext.name !== name) k--;
        const { ext, m } = loaded[k]!;
        const t = withArg(ext);
        return t === undefined ? undefined : call(ext, m, t);
      },
    });
  }
  if (target) {
    const tg = target;
    order.push({ at: targetAt - 0.5, run: () => { const t = withArg(tg.ext); return t === undefined ? undefined : call(tg.ext, tg.t, t); } });
  }
  order.sort((a, b) => b.at - a.at);
  for (const o of order) {
    const r = o.run();
    if (r !== undefined) return r;
  }
  const protoExt = rule.proto === 6 ? 'tcp' : rule.proto === 17 ? 'udp' : rule.proto === 132 ? 'sctp' : rule.proto === 1 ? 'icmp' : undefined;
  if (protoExt && !rule.protoInv && !loaded.some((l) => l.ext.name === protoExt)) {
    const ext = MATCHES.get(protoExt)!;
    const t = withArg(ext);
    if (t !== undefined) {
      const m = ext.init();
      loaded.push({ ext, m });
      return call(ext, m, t);
    }
  }
  return new ParamError(`unknown option "${opt}"`);
}
