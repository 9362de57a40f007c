/**
 * `iptables-save [-t TABLE] [-c]` on a node: the node's netfilter as iptables v1.8.9
 * (nf_tables) saves it, dated by the engine's clock. Tables appear once something wrote to
 * them (kube-proxy, kindnet, docker's DNS rules), as with iptables-nft; no
 * "# Warning: iptables-legacy tables present" line, since nothing on our nodes uses legacy.
 */
import type { CommandModule } from '../../types';
import { nodeHost, requireNode } from '../iptables/host';
import { iptablesSaveCommand } from '../../../engine';

export const iptablesSave: CommandModule = {
  name: 'iptables-save',
  help: "Look at manual page `iptables-save.8' for more information.\n",
  async execute(argv, ctx) {
    const node = requireNode(ctx, 'iptables-save');
    if ('exitCode' in node) return node;
    const h = nodeHost(ctx, node.name);
    if ('exitCode' in h) return h;
    return iptablesSaveCommand(h.netfilter, argv, h.now());
  },
};
