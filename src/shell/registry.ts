/**
 * Which commands exist where. Each row is a literal lazy import so a bundler makes one chunk
 * per command; adding a command touches its folder and one row here. Pod shells get the
 * tools of their image (busybox has nslookup and wget but no dig; netshoot has everything).
 */
import { imageProfile } from '../engine';
import type { CommandModule, ShellPlace } from './types';

type Loader = () => Promise<CommandModule>;

const COMMANDS = {
  kubectl: () => import('./commands/kubectl/kubectl').then((m) => m.kubectl),
  ssh: () => import('./commands/ssh/ssh').then((m) => m.ssh),
  hostname: () => import('./commands/hostname/hostname').then((m) => m.hostname),
  iptables: () => import('./commands/iptables/iptables').then((m) => m.iptables),
  'iptables-save': () => import('./commands/iptables-save/iptables-save').then((m) => m.iptablesSave),
  'iptables-restore': () => import('./commands/iptables-restore/iptables-restore').then((m) => m.iptablesRestore),
  ipvsadm: () => import('./commands/ipvsadm/ipvsadm').then((m) => m.ipvsadm),
  ipset: () => import('./commands/ipset/ipset').then((m) => m.ipset),
  nft: () => import('./commands/nft/nft').then((m) => m.nft),
  conntrack: () => import('./commands/conntrack/conntrack').then((m) => m.conntrack),
  ip: () => import('./commands/ip/ip').then((m) => m.ip),
  curl: () => import('./commands/curl/curl').then((m) => m.curl),
  wget: () => import('./commands/wget/wget').then((m) => m.wget),
  nslookup: () => import('./commands/nslookup/nslookup').then((m) => m.nslookup),
  dig: () => import('./commands/dig/dig').then((m) => m.dig),
  host: () => import('./commands/host/host').then((m) => m.host),
  nc: () => import('./commands/nc/nc').then((m) => m.nc),
  ping: () => import('./commands/ping/ping').then((m) => m.ping),
  agnhost: () => import('./commands/agnhost/agnhost').then((m) => m.agnhost),
  watch: () => import('./commands/watch/watch').then((m) => m.watch),
  date: () => import('./commands/date/date').then((m) => m.date),
} satisfies Record<string, Loader>;

type Name = keyof typeof COMMANDS;

/** Commands on the learner's machine. */
const WORKSTATION: Name[] = ['kubectl', 'ssh', 'hostname', 'date', 'curl', 'ping', 'nc', 'watch'];
/** A kind node (a container running kubelet, containerd and kube-proxy's rules; Debian, so procps' watch). */
const NODE: Name[] = ['hostname', 'date', 'iptables', 'iptables-save', 'iptables-restore', 'nft', 'ipvsadm', 'ipset', 'conntrack', 'ip', 'curl', 'watch'];
/** A pod shell offers the commands its image has installed (the engine's image profile). */
function imageCommands(image: string): Name[] {
  const profile = imageProfile(image);
  const tools = new Set(profile.tools);
  return (Object.keys(COMMANDS) as Name[]).filter((n) =>
    !WORKSTATION_ONLY.has(n) && !NODE_ONLY.has(n) && (n === 'hostname' || (n === 'date' && profile.shells.length > 0) || (tools.has(n) && (n !== 'ip' || IPROUTE2.has(profile.family)))));
}
/**
 * The netfilter/IPVS tools act on a node's network namespace; a pod shell (even netshoot's,
 * which ships them) would need NET_ADMIN in its own namespace, which we do not emulate.
 */
const NODE_ONLY = new Set<string>(['iptables', 'iptables-save', 'iptables-restore', 'nft', 'ipvsadm', 'ipset', 'conntrack']);
/** Images whose `ip` is iproute2's (busybox's applet prints differently and is not offered). */
const IPROUTE2 = new Set<string>(['nicolaka/netshoot', 'e2e-test-images/agnhost']);
/** Commands that exist only on the learner's machine, whatever an image's profile says. */
const WORKSTATION_ONLY = new Set<string>(['kubectl', 'ssh']);

/** `docker.io/nicolaka/netshoot:v0.13` → `netshoot`. */
export function imageFamily(image: string): string {
  const last = image.split('/').pop() ?? image;
  return last.split('@')[0]!.split(':')[0]!;
}

export function commandsFor(place: ShellPlace): { name: string; load: Loader }[] {
  const names =
    place.kind === 'workstation' ? WORKSTATION
    : place.kind === 'node' ? NODE
    : imageCommands(place.image);
  return names.map((name) => ({ name, load: COMMANDS[name] }));
}

/**
 * Which shells an image ships (the engine's image profile). distroless images (coredns,
 * kube-proxy's base) have none, so `kubectl exec -it … -- sh` fails there exactly as on a
 * real cluster.
 */
export function imageShells(image: string): string[] {
  return imageProfile(image).shells;
}
