/**
 * Which commands exist where. Each row is a literal lazy import so a bundler makes one chunk
 * per command; adding a command touches its folder and one row here. Pod shells get the
 * tools of their image (busybox has nslookup and wget but no dig; netshoot has everything).
 */
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
/** Per image family; the key is the image's last path segment without tag. */
const IMAGE_TOOLS: Record<string, Name[]> = {
  busybox: ['hostname'],
  netshoot: ['hostname'],
  nginx: ['hostname'],
  agnhost: ['hostname'],
};
const DEFAULT_IMAGE_TOOLS: Name[] = ['hostname'];

/** `docker.io/nicolaka/netshoot:v0.13` → `netshoot`. */
export function imageFamily(image: string): string {
  const last = image.split('/').pop() ?? image;
  return last.split('@')[0]!.split(':')[0]!;
}

export function commandsFor(place: ShellPlace): { name: string; load: Loader }[] {
  const names =
    place.kind === 'workstation' ? WORKSTATION
    : place.kind === 'node' ? NODE
    : (IMAGE_TOOLS[imageFamily(place.image)] ?? DEFAULT_IMAGE_TOOLS);
  return names.map((name) => ({ name, load: COMMANDS[name] }));
}

/**
 * Which shells an image ships. distroless images (coredns, kube-proxy's base) have none, so
 * `kubectl exec -it … -- sh` fails there exactly as on a real cluster.
 */
const IMAGE_SHELLS: Record<string, string[]> = {
  busybox: ['sh', 'ash'],
  alpine: ['sh', 'ash'],
  netshoot: ['sh', 'ash', 'bash', 'zsh'],
  nginx: ['sh', 'dash', 'bash'],
  httpd: ['sh', 'dash', 'bash'],
  agnhost: ['sh', 'bash'],
  coredns: [],
  'http-echo': [],
};

export function imageShells(image: string): string[] {
  return IMAGE_SHELLS[imageFamily(image)] ?? ['sh'];
}
