/**
 * `iptables-restore [-n] [-c] [-t] [-T TABLE] [file]` on a node: one transaction over the
 * node's netfilter (the engine's restore, which kube-proxy uses too). Reads the file when
 * given, else standard input; `--test` parses and checks everything and commits nothing.
 */
import type { CommandModule } from '../../types';
import { IPTABLES_RESTORE_HELP } from '../iptables/help';
import { nodeHost, requireNode } from '../iptables/host';
import { iptablesRestoreCommand } from '../../../engine';

/** Options that take a value (xtables-restore.c's getopt string "bcvVthnwWT:M:46"). */
const WITH_VALUE = new Set(['-T', '--table', '-M', '--modprobe']);

export const iptablesRestore: CommandModule = {
  name: 'iptables-restore',
  help: IPTABLES_RESTORE_HELP,
  async execute(argv, ctx) {
    const node = requireNode(ctx, 'iptables-restore');
    if ('exitCode' in node) return node;
    let test = false;
    let file: string | undefined;
    const rest: string[] = [];
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      if (a === '-h' || a === '--help') return { stdout: '', stderr: IPTABLES_RESTORE_HELP, exitCode: 0 };
      if (a === '-V' || a === '--version') return { stdout: 'iptables-restore v1.8.9 (nf_tables)\n', stderr: '', exitCode: 0 };
      if (a === '-t' || a === '--test') { test = true; continue; }
      if (a === '-M' || a === '--modprobe') { i++; continue; }
      if (a === '-4' || a === '--ipv4' || a === '-b' || a === '--binary') continue;
      if (WITH_VALUE.has(a)) { rest.push(a, argv[++i] ?? ''); continue; }
      if (!a.startsWith('-') || a === '-') { file ??= a; continue; }
      rest.push(a);
    }
    let input = ctx.stdin;
    if (file !== undefined && file !== '-') {
      const path = file.startsWith('/') ? file : `${ctx.cwd.replace(/\/$/, '')}/${file}`;
      try {
        input = await ctx.fs.readFile(path);
      } catch {
        return { stdout: '', stderr: `Can't open ${file}: No such file or directory\n`, exitCode: 1 };
      }
    }
    const h = nodeHost(ctx, node.name);
    if ('exitCode' in h) return h;
    // --test: the same transaction over a copy of the table map; the restore replaces tables
    // and copies chains before changing them, so the node's own objects stay untouched.
    const nf = test ? { ...h.netfilter, tables: new Map(h.netfilter.tables) } : h.netfilter;
    return iptablesRestoreCommand(nf, rest, input);
  },
};
