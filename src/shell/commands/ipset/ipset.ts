/**
 * `ipset` on a node (ipset v7.17, Debian bookworm): list/save the sets IPVS-mode kube-proxy
 * keeps (KUBE-CLUSTER-IP, KUBE-LOOP-BACK, KUBE-NODE-PORT-TCP, …), test membership, and
 * add/del/flush/create/destroy by hand. Parsing an entry is userspace's job (ipset's
 * lib/parse.c); the kernel keeps the normalised element, which `list` prints.
 *
 * The listing follows lib/session.c's plain format: Name, Type, Revision, Header, Size in
 * memory, References, Number of entries, Members; a blank line between sets. Revisions and
 * headers are a 6.x kernel's (bucketsize/initval since hash revisions 6–8); "Size in memory"
 * follows mtype_ahash_memsize for sets whose entries sit in separate buckets (checked against
 * ipset 7.17 on a 6.x kernel: empty hash:ip,port 216, hash:ip,port,ip 208, hash:net 456, plus
 * 32 + 2 × element size per entry; bitmap:port 0-65535 8264).
 */
import type { CommandContext, CommandModule, CommandResult } from '../../types';
import type { NodeHost } from '../../../engine';
import { nodeHost, requireNode } from '../iptables/host';

export const IPSET_VERSION = 'v7.17';
const V = `ipset ${IPSET_VERSION}`;
const TRY = "Try `ipset help' for more information.\n";

export interface IpSetLike {
  name: string;
  type: string;
  members: Set<string>;
  options: Record<string, string>;
}

/** What ipset needs of a node: its sets and (for References) its iptables rules. */
export interface IpsetHost {
  sets: Map<string, IpSetLike>;
  /** How many `-m set --match-set NAME` matches reference each set. */
  references(name: string): number;
  /** A per-set random initval (the kernel draws one at create time). */
  initval(name: string): number;
}

/** Revision and empty-set size on a 6.x kernel with ipset 7.17 (captured from the real tools). */
const TYPES: Record<string, { revision: number; base: number; dsize: number }> = {
  'hash:ip': { revision: 6, base: 216, dsize: 4 },
  'hash:ip,port': { revision: 7, base: 216, dsize: 8 },
  'hash:ip,port,ip': { revision: 6, base: 208, dsize: 12 },
  'hash:ip,port,net': { revision: 8, base: 464, dsize: 12 },
  'hash:net': { revision: 7, base: 456, dsize: 8 },
  'bitmap:port': { revision: 3, base: 8264, dsize: 0 },
};

function header(s: IpSetLike, host: IpsetHost): string {
  if (s.type === 'bitmap:port') return `range ${s.options['range'] ?? '0-65535'}`;
  const o = s.options;
  return `family ${o['family'] ?? 'inet'} hashsize ${o['hashsize'] ?? '1024'} maxelem ${o['maxelem'] ?? '65536'} bucketsize ${o['bucketsize'] ?? '12'} initval 0x${host.initval(s.name).toString(16).padStart(8, '0')}`;
}

/** hbucket (32 bytes) + AHASH_INIT_SIZE (2) elements per non-empty bucket. */
function memsize(s: IpSetLike): number {
  const t = TYPES[s.type] ?? { base: 200, dsize: 8 };
  if (s.type === 'bitmap:port') return t.base;
  return t.base + s.members.size * (32 + 2 * t.dsize);
}

function ipNum(ip: string): number {
  return ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
}

/** Members as the kernel walks them: bitmap:port by port; hash sets in insertion order (the kernel's is its hash order). */
function members(s: IpSetLike): string[] {
  const m = [...s.members];
  return s.type === 'bitmap:port' ? m.sort((a, b) => Number(a) - Number(b)) : m;
}

export function listSet(s: IpSetLike, host: IpsetHost, terse = false): string {
  const t = TYPES[s.type];
  let out = `Name: ${s.name}\nType: ${s.type}\nRevision: ${t?.revision ?? 0}\nHeader: ${header(s, host)}\nSize in memory: ${memsize(s)}\nReferences: ${host.references(s.name)}\nNumber of entries: ${s.members.size}\n`;
  if (terse) return out;
  out += 'Members:\n';
  for (const m of members(s)) out += m + '\n';
  return out;
}

function saveSet(s: IpSetLike, host: IpsetHost): string {
  let out = `create ${s.name} ${s.type} ${header(s, host)}\n`;
  for (const m of members(s)) out += `add ${s.name} ${m}\n`;
  return out;
}

const isIPv4 = (s: string): boolean => /^\d{1,3}(\.\d{1,3}){3}$/.test(s) && s.split('.').every((o) => Number(o) <= 255);

/** Parse one element for a set type (lib/parse.c), to the form the kernel lists it in. */
export function parseEntry(type: string, text: string): { entry: string } | { error: string } {
  const ip = (p: string): string | { error: string } => (isIPv4(p) ? p : { error: `Syntax error: cannot parse ${p}: resolving to IPv4 address failed` });
  const portError = (n: string): { error: string } => ({
    error: /^\d+$/.test(n)
      ? `Syntax error: '${n}' is out of range 0-65535\nSyntax error: 'tcp' is invalid as number\ncannot parse '${n}' as a tcp port`
      : `Syntax error: '${n}' is invalid as number\nSyntax error: 'tcp' is invalid as number\ncannot parse '${n}' as a tcp port`,
  });
  const port = (p: string): string | { error: string } => {
    const c = p.indexOf(':');
    const proto = c === -1 ? 'tcp' : p.slice(0, c);
    const n = c === -1 ? p : p.slice(c + 1);
    if (!['tcp', 'udp', 'sctp', 'udplite'].includes(proto)) return { error: `Syntax error: cannot parse '${proto}' as a protocol` };
    if (!/^\d+$/.test(n) || Number(n) > 65535) return portError(n);
    return `${proto}:${Number(n)}`;
  };
  const net = (p: string): string | { error: string } => {
    const [a, b] = p.split('/');
    if (!isIPv4(a ?? '') || (b !== undefined && !(/^\d+$/.test(b) && Number(b) >= 1 && Number(b) <= 32))) return { error: `Syntax error: cannot parse ${p}: resolving to IPv4 address failed` };
    if (b === undefined || b === '32') return a!;
    const bits = Number(b);
    const base = (ipNum(a!) & ((0xffffffff << (32 - bits)) >>> 0)) >>> 0;
    return `${[base >>> 24, (base >>> 16) & 255, (base >>> 8) & 255, base & 255].join('.')}/${bits}`;
  };
  const want: Record<string, ((p: string) => string | { error: string })[]> = {
    'hash:ip': [ip], 'hash:net': [net], 'hash:ip,port': [ip, port], 'hash:ip,port,ip': [ip, port, ip], 'hash:ip,port,net': [ip, port, net],
    'bitmap:port': [(p) => (/^\d+$/.test(p) && Number(p) <= 65535 ? String(Number(p)) : portError(p))],
  };
  const fns = want[type];
  if (!fns) return { error: `Syntax error: typename '${type}' is unknown` };
  const parts = text.split(',');
  if (parts.length > fns.length) {
    return { error: `Syntax error: Elem separator in ${text}, but settype ${type} supports ${fns.length === 1 ? 'none' : fns.length - 1}.` };
  }
  if (parts.length < fns.length) return { error: `Syntax error: ${parts.length === 1 ? 'Second' : 'Third'} element is missing from ${text}.` };
  const out: string[] = [];
  for (let i = 0; i < fns.length; i++) {
    const r = fns[i]!(parts[i]!);
    if (typeof r !== 'string') return r;
    out.push(r);
  }
  return { entry: out.join(',') };
}

const CMDS: Record<string, string> = {
  create: 'create', n: 'create', '-N': 'create', '--create': 'create',
  add: 'add', '-A': 'add', '--add': 'add',
  del: 'del', '-D': 'del', '--del': 'del',
  test: 'test', '-T': 'test', '--test': 'test',
  destroy: 'destroy', x: 'destroy', '-X': 'destroy', '--destroy': 'destroy',
  list: 'list', '-L': 'list', '--list': 'list',
  save: 'save', '-S': 'save', '--save': 'save',
  flush: 'flush', '-F': 'flush', '--flush': 'flush',
  version: 'version', '-v': 'version', '-V': 'version', '--version': 'version',
  help: 'help', '-h': 'help', '--help': 'help',
};

/** `ipset help`: ipset 7.17's usage and its supported set types, on stdout (captured from the real tool). */
export const IPSET_HELP = `ipset v7.17

Usage: ipset [options] COMMAND

Commands:
create SETNAME TYPENAME [type-specific-options]
        Create a new set
add SETNAME ENTRY
        Add entry to the named set
del SETNAME ENTRY
        Delete entry from the named set
test SETNAME ENTRY
        Test entry in the named set
destroy [SETNAME]
        Destroy a named set or all sets
list [SETNAME]
        List the entries of a named set or all sets
save [SETNAME]
        Save the named set or all sets to stdout
restore 
        Restore a saved state
flush [SETNAME]
        Flush a named set or all sets
rename FROM-SETNAME TO-SETNAME
        Rename two sets
swap FROM-SETNAME TO-SETNAME
        Swap the contect of two existing sets
help [TYPENAME]
        Print help, and settype specific help
version 
        Print version information
quit 
        Quit interactive mode

Options:
-o plain|save|xml
       Specify output mode for listing sets.
       Default value for "list" command is mode "plain"
       and for "save" command is mode "save".
-s 
        Print elements sorted (if supported by the set type).
-q 
        Suppress any notice or warning message.
-r 
        Try to resolve IP addresses in the output (slow!)
-! 
        Ignore errors when creating or adding sets or
        elements that do exist or when deleting elements
        that don't exist.
-n 
        When listing, just list setnames from the kernel.

-t 
        When listing, list setnames and set headers
        from kernel only.
-f 
        Read from the given file instead of standard
        input (restore) or write to given file instead
        of standard output (list/save).

Supported set types:
    list:set\t\t3\tskbinfo support
    list:set\t\t2\tcomment support
    list:set\t\t1\tcounters support
    list:set\t\t0\tInitial revision
    hash:mac\t\t1\tbucketsize, initval support
    hash:mac\t\t0\tInitial revision
    hash:ip,mac\t\t1\tbucketsize, initval support
    hash:ip,mac\t\t0\tInitial revision
    hash:net,iface\t8\tbucketsize, initval support
    hash:net,iface\t7\tskbinfo and wildcard support
    hash:net,iface\t6\tskbinfo support
    hash:net,iface\t5\tforceadd support
    hash:net,iface\t4\tcomment support
    hash:net,iface\t3\tcounters support
    hash:net,iface\t2\t/0 network support
    hash:net,iface\t1\tnomatch flag support
    hash:net,iface\t0\tInitial revision
    hash:net,port\t8\tbucketsize, initval support
    hash:net,port\t7\tskbinfo support
    hash:net,port\t6\tforceadd support
    hash:net,port\t5\tcomment support
    hash:net,port\t4\tcounters support
    hash:net,port\t3\tnomatch flag support
    hash:net,port\t2\tAdd/del range support
    hash:net,port\t1\tSCTP and UDPLITE support
    hash:net,port,net\t3\tbucketsize, initval support
    hash:net,port,net\t2\tskbinfo support
    hash:net,port,net\t1\tforceadd support
    hash:net,port,net\t0\tinitial revision
    hash:net,net\t4\tnetmask and bitmask support
    hash:net,net\t3\tbucketsize, initval support
    hash:net,net\t2\tskbinfo support
    hash:net,net\t1\tforceadd support
    hash:net,net\t0\tinitial revision
    hash:net\t\t7\tbucketsize, initval support
    hash:net\t\t6\tskbinfo support
    hash:net\t\t5\tforceadd support
    hash:net\t\t4\tcomment support
    hash:net\t\t3\tcounters support
    hash:net\t\t2\tnomatch flag support
    hash:net\t\t1\tAdd/del range support
    hash:net\t\t0\tInitial revision
    hash:ip,port,net\t8\tbucketsize, initval support
    hash:ip,port,net\t7\tskbinfo support
    hash:ip,port,net\t6\tforceadd support
    hash:ip,port,net\t5\tcomment support
    hash:ip,port,net\t4\tcounters support
    hash:ip,port,net\t3\tnomatch flag support
    hash:ip,port,net\t2\tAdd/del range support
    hash:ip,port,net\t1\tSCTP and UDPLITE support
    hash:ip,port,ip\t6\tbucketsize, initval support
    hash:ip,port,ip\t5\tskbinfo support
    hash:ip,port,ip\t4\tforceadd support
    hash:ip,port,ip\t3\tcomment support
    hash:ip,port,ip\t2\tcounters support
    hash:ip,port,ip\t1\tSCTP and UDPLITE support
    hash:ip,mark\t3\tbucketsize, initval support
    hash:ip,mark\t2\tskbinfo support
    hash:ip,mark\t1\tforceadd support
    hash:ip,mark\t0\tinitial revision
    hash:ip,port\t7\tnetmask and bitmask support
    hash:ip,port\t6\tbucketsize, initval support
    hash:ip,port\t5\tskbinfo support
    hash:ip,port\t4\tforceadd support
    hash:ip,port\t3\tcomment support
    hash:ip,port\t2\tcounters support
    hash:ip,port\t1\tSCTP and UDPLITE support
    hash:ip\t\t6\tbitmask support
    hash:ip\t\t5\tbucketsize, initval support
    hash:ip\t\t4\tskbinfo support
    hash:ip\t\t3\tforceadd support
    hash:ip\t\t2\tcomment support
    hash:ip\t\t1\tcounters support
    hash:ip\t\t0\tInitial revision
    bitmap:port\t\t3\tskbinfo support
    bitmap:port\t\t2\tcomment support
    bitmap:port\t\t1\tcounters support
    bitmap:port\t\t0\tInitial revision
    bitmap:ip,mac\t3\tskbinfo support
    bitmap:ip,mac\t2\tcomment support
    bitmap:ip,mac\t1\tcounters support
    bitmap:ip,mac\t0\tInitial revision
    bitmap:ip\t\t3\tskbinfo support
    bitmap:ip\t\t2\tcomment support
    bitmap:ip\t\t1\tcounters support
    bitmap:ip\t\t0\tInitial revision
`;

const err = (msg: string, code = 1): CommandResult => ({ stdout: '', stderr: `${V}: ${msg}\n`, exitCode: code });

/** The command proper, over a node's sets (tests drive it directly). */
export function run(argv: readonly string[], host: IpsetHost): CommandResult {
  let names = false;
  let terse = false;
  let exist = false;
  let quiet = false;
  let output: string | undefined;
  let cmd: string | undefined;
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-n' || a === '-name' || a === '--name') { names = true; continue; }
    if (a === '-t' || a === '-terse' || a === '--terse') { terse = true; continue; }
    if (a === '-!' || a === '-exist' || a === '--exist') { exist = true; continue; }
    if (a === '-q' || a === '-quiet' || a === '--quiet') { quiet = true; continue; }
    if (a === '-s' || a === '-sorted' || a === '--sorted' || a === '-r' || a === '-resolve' || a === '--resolve') continue;
    if (a === '-o' || a === '-output' || a === '--output') {
      output = argv[++i];
      if (output !== 'plain' && output !== 'save' && output !== 'xml') return err(`Syntax error: Unknown output mode '${output ?? ''}'`);
      continue;
    }
    if (cmd === undefined && CMDS[a]) { cmd = CMDS[a]; continue; }
    if (cmd === undefined) {
      return { stdout: '', stderr: `${V}: No command specified: unknown argument ${a}\n${TRY}`, exitCode: 1 };
    }
    args.push(a);
  }
  if (cmd === undefined) return { stdout: '', stderr: `${V}: No command specified.\n${TRY}`, exitCode: 1 };
  const get = (name: string | undefined): IpSetLike | CommandResult => {
    if (name === undefined) return err('Syntax error: command requires set name');
    return host.sets.get(name) ?? err('The set with the given name does not exist');
  };
  switch (cmd) {
    case 'help': return { stdout: IPSET_HELP, stderr: '', exitCode: 0 };
    case 'version': return { stdout: `${V}, protocol version: 7\n`, stderr: '', exitCode: 0 };
    case 'list': case 'save': {
      if (args.length > 1) return { stdout: '', stderr: `${V}: Unknown argument ${args[1]}\n${TRY}`, exitCode: 2 };
      const sets = args[0] !== undefined ? [get(args[0])] : [...host.sets.values()];
      for (const s of sets) if ('exitCode' in s) return s;
      const list = sets as IpSetLike[];
      if (names) return { stdout: list.map((s) => s.name + '\n').join(''), stderr: '', exitCode: 0 };
      const mode = output ?? (cmd === 'save' ? 'save' : 'plain');
      if (mode === 'save') return { stdout: list.map((s) => saveSet(s, host)).join(''), stderr: '', exitCode: 0 };
      return { stdout: list.map((s) => listSet(s, host, terse)).join('\n'), stderr: '', exitCode: 0 };
    }
    case 'add': case 'del': case 'test': {
      const s = get(args[0]);
      if ('exitCode' in s) return s;
      if (args[1] === undefined) return err(`Syntax error: command requires an element`);
      const p = parseEntry(s.type, args[1]);
      if ('error' in p) return err(p.error);
      if (cmd === 'test') {
        return s.members.has(p.entry)
          ? { stdout: '', stderr: quiet ? '' : `Warning: ${p.entry} is in set ${s.name}.\n`, exitCode: 0 }
          : { stdout: '', stderr: quiet ? '' : `${p.entry} is NOT in set ${s.name}.\n`, exitCode: 1 };
      }
      if (cmd === 'add') {
        if (s.members.has(p.entry)) return exist ? { stdout: '', stderr: '', exitCode: 0 } : err("Element cannot be added to the set: it's already added");
        s.members.add(p.entry);
        return { stdout: '', stderr: '', exitCode: 0 };
      }
      if (!s.members.delete(p.entry)) return exist ? { stdout: '', stderr: '', exitCode: 0 } : err("Element cannot be deleted from the set: it's not added");
      return { stdout: '', stderr: '', exitCode: 0 };
    }
    case 'flush': {
      const sets = args[0] !== undefined ? [get(args[0])] : [...host.sets.values()];
      for (const s of sets) if ('exitCode' in s) return s;
      for (const s of sets as IpSetLike[]) s.members.clear();
      return { stdout: '', stderr: '', exitCode: 0 };
    }
    case 'destroy': {
      const sets = args[0] !== undefined ? [get(args[0])] : [...host.sets.values()];
      for (const s of sets) if ('exitCode' in s) return s;
      for (const s of sets as IpSetLike[]) {
        if (host.references(s.name) > 0) return err('Set cannot be destroyed: it is in use by a kernel component');
      }
      for (const s of sets as IpSetLike[]) host.sets.delete(s.name);
      return { stdout: '', stderr: '', exitCode: 0 };
    }
    case 'create': {
      const [name, type, ...rest] = args;
      if (name === undefined) return err('Syntax error: command requires set name');
      if (type === undefined) return err('Syntax error: Missing settype');
      if (!TYPES[type]) return err(`Syntax error: typename '${type}' is unknown`);
      if (name.length > 31) return err(`Syntax error: setname '${name}' is longer than 31 characters`);
      if (host.sets.has(name)) return exist ? { stdout: '', stderr: '', exitCode: 0 } : err('Set cannot be created: set with the same name already exists');
      const options: Record<string, string> = type === 'bitmap:port' ? {} : { family: 'inet', hashsize: '1024', maxelem: '65536' };
      for (let i = 0; i < rest.length; i++) {
        const k = rest[i]!;
        if (['family', 'hashsize', 'maxelem', 'range', 'bucketsize'].includes(k) && rest[i + 1] !== undefined) options[k] = rest[++i]!;
        else return err(`Syntax error: Unknown argument: '${k}'`);
      }
      if (type === 'bitmap:port' && !options['range']) return { stdout: '', stderr: `${V}: Mandatory option \`range' is missing\n${TRY}`, exitCode: 2 };
      host.sets.set(name, { name, type, members: new Set(), options });
      return { stdout: '', stderr: '', exitCode: 0 };
    }
  }
  return err('No command specified.');
}

function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** The node's sets and the -m set references in its iptables rules. */
export function ipsetHost(ctx: CommandContext, node: string): IpsetHost | CommandResult {
  const h = nodeHost(ctx, node);
  if ('exitCode' in h) return h;
  return ipsetHostOf(h, node);
}

/** The same view over a NodeHost in hand (the scale explorer's node, outside any cluster). */
export function ipsetHostOf(h: NodeHost, node: string): IpsetHost {
  return {
    sets: h.netfilter.ipsets as Map<string, IpSetLike>,
    references: (name) => {
      let n = 0;
      for (const t of h.netfilter.tables.values()) {
        for (const c of t.chains.values()) for (const r of c.rules) for (const m of r.matches) if (m.kind === 'set' && m.name === name) n++;
      }
      return n;
    },
    initval: (name) => fnv(`${node}/${name}/initval`),
  };
}

export const ipset: CommandModule = {
  name: 'ipset',
  help: IPSET_HELP,
  async execute(argv, ctx) {
    const node = requireNode(ctx, 'ipset');
    if ('exitCode' in node) return node;
    const host = ipsetHost(ctx, node.name);
    if ('exitCode' in host) return host;
    const h = nodeHost(ctx, node.name);
    if (!('exitCode' in h)) h.handEdits++;
    return run(argv, host);
  },
};
