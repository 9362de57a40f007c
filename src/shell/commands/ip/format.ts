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

/** `ip addr [show [dev X]]`: with -4 only links that have an IPv4 address, and no link/ line. */
export function ipAddr(links: readonly NetInterface[], o: IpOptions): string {
  if (o.family === 6) return '';
  if (o.brief) return links.map((l) => briefAddr(l)).join('');
  let out = '';
  for (const l of links) {
    if (o.family === 4 && l.addresses.length === 0) continue;
    out += linkHead(l, false, o.family === 4);
    if (o.family !== 4) out += linkLine(l);
    for (const a of ordered(l)) out += addrLines(l, a);
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

/** print_linkinfo_brief: `%-16s %-14s ` then each address `a/p `. */
function briefAddr(l: NetInterface): string {
  return `${linkName(l).padEnd(16)} ${l.state.padEnd(14)} ${ordered(l).map((a) => `${a.address}/${a.prefix} `).join('')}\n`;
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
