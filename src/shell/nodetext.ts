/**
 * What `ipvsadm -Sn` and `ipset save` print on a node, for callers that hold a NodeHost but
 * no shell session (the /scale page sizes the IPVS mode's state by this text). The very
 * printers the commands use.
 */
import type { NodeHost } from '../engine';
import { ipvsView } from './commands/iptables/host';
import { run as ipvsadm } from './commands/ipvsadm/ipvsadm';
import { ipsetHostOf, run as ipset } from './commands/ipset/ipset';

/** `ipvsadm -Sn` on the node: the virtual and real servers as restore lines. */
export function ipvsadmSaveText(host: NodeHost): string {
  return ipvsadm(['-Sn'], ipvsView(host.ipvs, () => host.now())).stdout;
}

/** `ipset save` on the node: every set's create line and its add lines. */
export function ipsetSaveText(host: NodeHost): string {
  return ipset(['save'], ipsetHostOf(host, host.name)).stdout;
}
