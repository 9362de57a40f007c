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
} satisfies Record<string, Loader>;

type Name = keyof typeof COMMANDS;

/** Commands on the learner's machine. */
const WORKSTATION: Name[] = ['kubectl', 'ssh', 'hostname'];
/** A kind node (a container running kubelet, containerd and kube-proxy's rules). */
const NODE: Name[] = ['hostname'];
/** A pod shell offers the commands its image has installed (the engine's image profile). */
function imageCommands(image: string): Name[] {
  const tools = new Set(imageProfile(image).tools);
  return (Object.keys(COMMANDS) as Name[]).filter((n) => !WORKSTATION_ONLY.has(n) && (n === 'hostname' || tools.has(n)));
}
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
