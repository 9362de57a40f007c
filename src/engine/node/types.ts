/**
 * What a node's `ip` sees: links with their addresses, and the main routing table. Plain
 * data the NodeHost keeps in step with the cluster (pods come and go, kube-proxy binds
 * Service IPs to kube-ipvs0); the shell's `ip addr|link|route` print it.
 */

export type LinkKind = 'loopback' | 'veth' | 'dummy';

export interface InterfaceAddress {
  address: string;
  prefix: number;
  /** `scope host` (lo), `scope global` (eth0, kube-ipvs0), `scope link`. */
  scope: 'host' | 'global' | 'link';
  /** `brd` (eth0: the subnet's broadcast); absent for /32s and lo. */
  broadcast?: string;
  /** A second address in the same subnet as an earlier one (`secondary` in `ip addr`). */
  secondary?: boolean;
}

export interface NetInterface {
  ifindex: number;
  name: string;
  kind: LinkKind;
  /** `ip link` flags, in the kernel's print order: LOOPBACK, BROADCAST, MULTICAST, NOARP, UP, LOWER_UP. */
  flags: string[];
  mtu: number;
  /** operstate: UNKNOWN (lo, dummy), UP (veth), DOWN. */
  state: 'UP' | 'DOWN' | 'UNKNOWN';
  qdisc: 'noqueue' | 'noop';
  /** `link/loopback` or `link/ether`. */
  mac: string;
  brd: string;
  /** veth only: the peer's ifindex (`vethXXXX@if2`) and the peer's netns id (`link-netnsid 1`). */
  peerIfindex?: number;
  linkNetnsId?: number;
  addresses: InterfaceAddress[];
  /** A pod's host-side veth: whose it is. */
  pod?: { namespace: string; name: string; uid: string; ip: string };
}

export interface Route {
  /** `default` or a CIDR; a host route is printed without `/32` (`10.244.1.5 dev vethX scope host`). */
  dst: string;
  via?: string;
  dev: string;
  proto?: 'kernel' | 'static' | 'boot';
  scope?: 'link' | 'host';
  src?: string;
  /** Who installed it (not printed): the kernel for connected subnets, kindnet for pod routes, the CNI for veth routes. */
  owner: 'kernel' | 'docker' | 'kindnet' | 'cni';
}

/** IPVS connection timeouts (`ipvsadm -L --timeout`, `ipvsadm --set tcp tcpfin udp`), seconds. */
export interface IpvsTimeouts {
  tcp: number;
  tcpfin: number;
  udp: number;
}
