/**
 * `iptables` on a node: iptables v1.8.9 (nf_tables) over the node's netfilter — the very
 * tables kube-proxy restores into, so `-t nat -S KUBE-SERVICES` shows its chains and an
 * inserted rule changes what packets do until kube-proxy's next sync rewrites the chain.
 * Parsing, listing and error texts are the engine's iptables front end; `-w` is accepted
 * and ignored (no xtables lock with nf_tables); `-h` prints the real tool's help.
 */
import type { CommandModule } from '../../types';
import { IPTABLES_HELP } from './help';
import { nodeHost, requireNode } from './host';
import { iptables as runIptables } from '../../../engine';

export const iptables: CommandModule = {
  name: 'iptables',
  help: IPTABLES_HELP,
  async execute(argv, ctx) {
    const node = requireNode(ctx, 'iptables');
    if ('exitCode' in node) return node;
    // xshared.c: -h anywhere prints the help (and the loaded extensions' help) and exits 0.
    if (argv.includes('-h') || argv.includes('--help')) return { stdout: IPTABLES_HELP, stderr: '', exitCode: 0 };
    const h = nodeHost(ctx, node.name);
    if ('exitCode' in h) return h;
    return runIptables(h.netfilter, argv);
  },
};
