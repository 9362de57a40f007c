/**
 * What iproute2 (6.1, Debian bookworm) prints for `ip addr`, `ip link`, `ip -br …` and
 * `ip route`: ip/ipaddress.c print_linkinfo / print_addrinfo / print_linkinfo_brief and
 * ip/iproute.c print_route. Every `key value` pair is printed with a trailing space (so a
 * line can end in one: `… state UP group default ` when qlen is 0, every route line).
 */
import type { InterfaceAddress, NetInterface, Route } from '../../../engine';

export interface IpOptions {
  family?: 4 | 6;
  brief?: boolean;
  details?: boolean;
}

/** txqueuelen: lo and dummy links get ether_setup's 1000; veths 0 (not printed). */
function qlen(l: NetInterface): number {
  return l.kind === 'veth' ? 0 : 1000;
}

/** `vethab12cd34@if2` for a link whose peer lives in another netns. */
export function linkName(l: NetInterface): string {
  return l.peerIfindex !== undefined ? `${l.name}@if${l.peerIfindex}` : l.name;
}

function flags(l: NetInterface): string {
  // NO-CARRIER is printed first when the link is up without a carrier (not modelled: our UP links have LOWER_UP).
  return `<${l.flags.join(',')}>`;
}

function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * containerd names a pod's network namespace `cni-<uuid>` (/var/run/netns), so iproute2 prints
 * a pod veth's peer as `link-netns cni-…`; the uuid is random at sandbox creation — here a
 * stable one per pod. Unnamed namespaces (eth0's peer in the docker host) print their id.
 */
export function podNetnsName(uid: string): string {
  const hex = [0, 1, 2, 3].map((k) => fnv(`${uid}/netns/${k}`).toString(16).padStart(8, '0')).join('');
  const v4 = `${hex.slice(0, 12)}4${hex.slice(13, 16)}${((parseInt(hex[16]!, 16) & 3) | 8).toString(16)}${hex.slice(17, 32)}`;
  return `cni-${v4.slice(0, 8)}-${v4.slice(8, 12)}-${v4.slice(12, 16)}-${v4.slice(16, 20)}-${v4.slice(20, 32)}`;
}

/** The peer's netns, printed after the link/ line — or on the head line when -4 drops that line. */
const netns = (l: NetInterface): string =>
  l.pod ? ` link-netns ${podNetnsName(l.pod.uid)}` : l.linkNetnsId !== undefined ? ` link-netnsid ${l.linkNetnsId}` : '';

function linkHead(l: NetInterface, mode: boolean, withNetns = false): string {
  let s = `${l.ifindex}: ${linkName(l)}: ${flags(l)} mtu ${l.mtu} qdisc ${l.qdisc} state ${l.state} `;
  if (mode) s += 'mode DEFAULT ';
  s += 'group default ';
  const q = qlen(l);
  if (q) s += `qlen ${q}`;
  if (withNetns) s += netns(l);
  return s + '\n';
}

function linkLine(l: NetInterface): string {
  const type = l.kind === 'loopback' ? 'loopback' : 'ether';
  return `    link/${type} ${l.mac} brd ${l.brd}${netns(l)}\n`;
}

function addrLines(l: NetInterface, a: InterfaceAddress): string {
  let s = `    inet ${a.address}/${a.prefix} `;
  if (a.broadcast) s += `brd ${a.broadcast} `;
  s += `scope ${a.scope} `;
  if (a.secondary) s += 'secondary ';
  s += `${l.name}\n       valid_lft forever preferred_lft forever\n`;
  return s;
}

/** An IPv6 address the kernel configured itself (the cluster's own addressing is IPv4 only). */
interface Inet6Address {
  address: string;
  prefix: number;
  scope: 'host' | 'link';
  /** IFA_F_* flags iproute2 prints after the scope. */
  flags: string[];
}

/**
 * The modified EUI-64 interface identifier of a MAC (RFC 4291 appendix A, as addrconf_ifid_eui48
 * builds it): flip the universal/local bit, put ff:fe in the middle, under fe80::/64.
 */
export function linkLocalFromMac(mac: string): string {
  const b = mac.split(':').map((x) => parseInt(x, 16));
  const g = [((b[0]! ^ 2) << 8) | b[1]!, (b[2]! << 8) | 0xff, (0xfe << 8) | b[3]!, (b[4]! << 8) | b[5]!];
  // fe80:0:0:0 then the four groups: the zero run right after fe80 is the one "::" replaces
  // (RFC 5952), and it swallows a leading zero group of the identifier too.
  let k = 0;
  while (k < g.length && g[k] === 0) k++;
  return `fe80::${g.slice(k).map((x) => x.toString(16)).join(':')}`;
}

/**
 * What addrconf gives a link once it is up: lo gets ::1/128 (kernels since 6.3 flag it
 * noprefixroute; the nodes run 6.8), an up Ethernet-like link (eth0, veths) its fe80::/64
 * link-local address from its MAC. A down link (kube-ipvs0, a dummy) gets none.
 */
export function inet6Addresses(l: NetInterface): Inet6Address[] {
  if (l.kind === 'loopback') return [{ address: '::1', prefix: 128, scope: 'host', flags: ['noprefixroute'] }];
  if (l.state !== 'UP' || l.flags.includes('NOARP')) return [];
  return [{ address: linkLocalFromMac(l.mac), prefix: 64, scope: 'link', flags: [] }];
}

/** print_addrinfo for AF_INET6: no label, so the line ends in the last "key " pair's space. */
function addr6Lines(a: Inet6Address): string {
  return `    inet6 ${a.address}/${a.prefix} scope ${a.scope} ${a.flags.map((f) => f + ' ').join('')}\n       valid_lft forever preferred_lft forever\n`;
}

/** `ip addr [show [dev X]]`: with -4/-6 only links that have an address of that family, and no link/ line. */
export function ipAddr(links: readonly NetInterface[], o: IpOptions): string {
  if (o.brief) return links.filter((l) => o.family === undefined || (o.family === 4 ? l.addresses.length : inet6Addresses(l).length) > 0).map((l) => briefAddr(l, o)).join('');
  let out = '';
  for (const l of links) {
    const v4 = o.family === 6 ? [] : ordered(l);
    const v6 = o.family === 4 ? [] : inet6Addresses(l);
    if (o.family !== undefined && v4.length + v6.length === 0) continue;
    out += linkHead(l, false, o.family !== undefined);
    if (o.family === undefined) out += linkLine(l);
    for (const a of v4) out += addrLines(l, a);
    for (const a of v6) out += addr6Lines(a);
  }
  return out;
}

/** The kernel keeps secondary addresses after every primary one (checked with iproute2 6.1). */
function ordered(l: NetInterface): InterfaceAddress[] {
  return [...l.addresses.filter((a) => !a.secondary), ...l.addresses.filter((a) => a.secondary)];
}

/** `ip link [show [dev X]]`. */
export function ipLink(links: readonly NetInterface[], o: IpOptions): string {
  if (o.brief) return links.map((l) => briefLink(l)).join('');
  return links.map((l) => linkHead(l, true) + linkLine(l)).join('');
}

/** print_linkinfo_brief: `%-16s %-14s ` then each address `a/p ` (IPv4, then IPv6). */
function briefAddr(l: NetInterface, o: IpOptions): string {
  const all = [...(o.family === 6 ? [] : ordered(l)), ...(o.family === 4 ? [] : inet6Addresses(l))];
  return `${linkName(l).padEnd(16)} ${l.state.padEnd(14)} ${all.map((a) => `${a.address}/${a.prefix} `).join('')}\n`;
}

function briefLink(l: NetInterface): string {
  return `${linkName(l).padEnd(16)} ${l.state.padEnd(14)} ${l.mac} ${flags(l)} \n`;
}

/** print_route: dst, via, dev, proto (not boot), scope (not global), src. */
export function routeLine(r: Route): string {
  let s = `${r.dst.endsWith('/32') ? r.dst.slice(0, -3) : r.dst} `;
  if (r.via) s += `via ${r.via} `;
  s += `dev ${r.dev} `;
  if (r.proto && r.proto !== 'boot') s += `proto ${r.proto} `;
  if (r.scope) s += `scope ${r.scope} `;
  if (r.src) s += `src ${r.src} `;
  return s + '\n';
}
