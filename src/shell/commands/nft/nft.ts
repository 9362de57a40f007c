/**
 * `nft` on a node (nftables v1.0.6, as on kind's Debian bookworm node image): `list
 * ruleset|tables|table|chain|chains|set|sets|map|maps`, `-f FILE` (or `-f -`), and commands
 * on the command line (`nft add rule ip kube-proxy …`, `nft flush chain …`), each one
 * transaction over the node's nftables — the very table kube-proxy writes in nftables mode
 * and the packet path evaluates. Errors read as nft prints them, with `^^^` under the culprit.
 *
 * Not emulated: -j (JSON), -i (interactive), -D (defines), -e (echo), -o (optimize); and
 * iptables-nft's tables (kubelet's, kindnet's, docker's rules), which the real `nft list
 * ruleset` also shows translated: `iptables-save` shows those here.
 */
import type { CommandModule, CommandResult } from '../../types';
import { nodeHost, requireNode } from '../iptables/host';
import {
  findTable, listChain, listChains, listRuleset, listSet, listSets, listTable, listTables, nftRun,
  type NftListOptions, type NftRuleset,
} from '../../../engine';
import { NFT_HELP, NFT_VERSION } from './help';

const FAMILIES = new Set(['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev']);

/** Short and long options and what they set (those we accept without effect included). */
const FLAGS: Record<string, string> = {
  '-a': 'handle', '--handle': 'handle', '-s': 'stateless', '--stateless': 'stateless', '-t': 'terse', '--terse': 'terse',
  '-n': 'numeric', '--numeric': 'numeric', '-y': 'numericPriority', '--numeric-priority': 'numericPriority',
  '-p': 'numericProto', '--numeric-protocol': 'numericProto', '-T': 'numericTime', '--numeric-time': 'numericTime',
  // Names for ports, addresses and ids: our rules hold none that resolve, so these change nothing.
  '-S': 'names', '--service': 'names', '-N': 'names', '--reversedns': 'names', '-u': 'names', '--guid': 'names',
  '-c': 'check', '--check': 'check',
};
const UNSUPPORTED = new Set(['-j', '--json', '-i', '--interactive', '-e', '--echo', '-o', '--optimize', '-D', '--define', '-I', '--includepath', '-d', '--debug', '-V']);

const err = (stderr: string): CommandResult => ({ stdout: '', stderr, exitCode: 1 });

/** nft's error shape for a command-line command: the message, the line, `^` under a word. */
function pointAt(message: string, words: string[], index: number): CommandResult {
  const line = words.join(' ');
  const col = words.slice(0, index).reduce((n, w) => n + w.length + 1, 0);
  const len = index < words.length ? Math.max(1, words[index]!.length) : 1;
  return err(`Error: ${message}\n${line}\n${' '.repeat(index < words.length ? col : line.length)}${'^'.repeat(len)}\n`);
}

function list(rs: NftRuleset, words: string[], o: NftListOptions): CommandResult {
  const what = words[1];
  if (what === undefined) return pointAt('syntax error, unexpected newline', words, 1);
  const out = (stdout: string): CommandResult => ({ stdout, stderr: '', exitCode: 0 });
  const famAt = (i: number): { family: string; at: number } =>
    FAMILIES.has(words[i] ?? '') && words[i + 1] !== undefined ? { family: words[i]!, at: i + 1 } : { family: 'ip', at: i };
  switch (what) {
    case 'ruleset':
      return out(listRuleset(rs, o, words[2]));
    case 'tables':
      return out(listTables(rs, words[2]));
    case 'chains':
      return out(listChains(rs, o));
    case 'sets': case 'maps':
      return out(listSets(rs, what === 'maps', o));
    case 'table': {
      const { family, at } = famAt(2);
      if (words[at] === undefined) return pointAt('syntax error, unexpected newline, expecting string', words, at);
      const t = findTable(rs, family as 'ip', words[at]!);
      return t ? out(listTable(t, o)) : pointAt('No such file or directory', words, at);
    }
    case 'chain': case 'set': case 'map': {
      const { family, at } = famAt(2);
      if (words[at + 1] === undefined) return pointAt('syntax error, unexpected newline, expecting string', words, at + 1);
      const t = findTable(rs, family as 'ip', words[at]!);
      if (!t) return pointAt('No such file or directory', words, at);
      if (what === 'chain') {
        const c = t.chains.get(words[at + 1]!);
        return c ? out(listChain(t, c, o)) : pointAt('No such file or directory', words, at + 1);
      }
      const s = t.sets.get(words[at + 1]!);
      return s && s.isMap === (what === 'map') ? out(listSet(t, s, o)) : pointAt('No such file or directory', words, at + 1);
    }
    default:
      return pointAt('syntax error, unexpected string', words, 1);
  }
}

export const nft: CommandModule = {
  name: 'nft',
  help: NFT_HELP,
  async execute(argv, ctx) {
    const node = requireNode(ctx, 'nft');
    if ('exitCode' in node) return node;
    const flags = new Set<string>();
    let file: string | undefined;
    let i = 0;
    for (; i < argv.length; i++) {
      const a = argv[i]!;
      if (!a.startsWith('-') || a === '-') break;
      if (a === '-h' || a === '--help') return { stdout: NFT_HELP, stderr: '', exitCode: 0 };
      if (a === '-v' || a === '--version') return { stdout: NFT_VERSION + '\n', stderr: '', exitCode: 0 };
      if (a === '-f' || a === '--file') {
        file = argv[++i];
        if (file === undefined) return err("nft: option requires an argument -- 'f'\n");
        continue;
      }
      if (FLAGS[a]) {
        flags.add(FLAGS[a]!);
        continue;
      }
      // Bundled short options (-an).
      if (/^-[a-zA-Z]{2,}$/.test(a) && [...a.slice(1)].every((ch) => FLAGS['-' + ch])) {
        for (const ch of a.slice(1)) flags.add(FLAGS['-' + ch]!);
        continue;
      }
      if (UNSUPPORTED.has(a)) return err(`nft: option ${a} is not emulated here\n`);
      return err(a.startsWith('--') ? `nft: unrecognized option '${a}'\n` : `nft: invalid option -- '${a.slice(1, 2)}'\n`);
    }
    const words = argv.slice(i);
    const late = words.findIndex((w) => w.startsWith('-') && (FLAGS[w] !== undefined || w === '-f'));
    if (late >= 0) {
      const line = `nft ${words.join(' ')} `;
      const col = 4 + words.slice(0, late).reduce((n, w) => n + w.length + 1, 0);
      return err(`Error: syntax error, options must be specified before commands\n${line}\n   ^${' '.repeat(col - 4)}${'~'.repeat(words[late]!.length)}\n`);
    }
    const h = nodeHost(ctx, node.name);
    if ('exitCode' in h) return h;
    const now = h.now();
    const o: NftListOptions = {
      handles: flags.has('handle'), now, terse: flags.has('terse'), stateless: flags.has('stateless'),
      numericPriority: flags.has('numericPriority'), numericProto: flags.has('numericProto'), numericTime: flags.has('numericTime'), numeric: flags.has('numeric'),
    };

    if (file !== undefined) {
      let text = ctx.stdin;
      let name = '/dev/stdin';
      if (file !== '-') {
        const path = file.startsWith('/') ? file : `${ctx.cwd.replace(/\/$/, '')}/${file}`;
        try {
          text = await ctx.fs.readFile(path);
        } catch {
          return err(`internal:0:0-0: Error: Could not open file "${file}": No such file or directory\n\n\n`);
        }
        name = file;
      }
      const r = nftRun(h.nft, text, { file: name, now, check: flags.has('check') });
      return { stdout: '', stderr: r.stderr, exitCode: r.exitCode };
    }
    if (words.length === 0) return err('nft: no command specified\n');
    if (words[0] === 'list') return list(h.nft, words, o);
    // A command on the command line: one transaction of one line.
    const r = nftRun(h.nft, words.join(' ') + '\n', { now, check: flags.has('check'), cmdline: true });
    return { stdout: '', stderr: r.stderr, exitCode: r.exitCode };
  },
};
