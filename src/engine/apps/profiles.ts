/**
 * What a learner finds inside an image once they `kubectl exec -it POD -- sh` into it: the
 * working directory (the image's WORKDIR), which shells exist, how the shell's prompt looks,
 * and which network tools are installed. The shell reads this through the facade
 * (`imageProfile`) to decide which commands a pod shell offers.
 *
 * Sources (the images' Dockerfiles):
 * - busybox: one static binary; applets include nslookup, wget, ping, nc, ip, traceroute,
 *   telnet, netstat, ifconfig, route, arp, watch — no curl, no dig.
 * - alpine: busybox applets as above (ash as sh); curl and bind-tools are not installed.
 * - nginx (Debian): the official Dockerfile keeps `curl` (and ca-certificates) installed;
 *   no ping, nslookup, dig, ip, wget or ps. `nginx:*-alpine` adds curl to busybox.
 * - httpd (Debian): no curl, no network tools.
 * - registry.k8s.io/e2e-test-images/agnhost: Alpine + `apk add bind-tools curl
 *   netcat-openbsd iproute2 iperf bash`.
 * - nicolaka/netshoot: Alpine with every network tool (curl, dig, tcpdump, iptables,
 *   ipvsadm, conntrack, …); WORKDIR /root; default shell zsh.
 * - coredns, http-echo, kube-proxy's distroless base: no shell at all.
 */
import { repository } from './images';

/** `ash`: busybox ash's PS1 `\w \$ ` (`/ # `); `dash`: Debian's sh, PS1 `# ` for root. */
export type PromptStyle = 'ash' | 'dash';

export interface ImageProfile {
  /** Repository the profile was chosen by (`nginx`, `e2e-test-images/agnhost`), or `''` for unknown images. */
  family: string;
  /** WORKDIR: where `kubectl exec … -- sh` starts. */
  workdir: string;
  /** Shells in the image; empty for distroless images. */
  shells: string[];
  prompt: PromptStyle;
  /** Network and diagnostic tools installed (command names). */
  tools: string[];
}

const BUSYBOX_TOOLS = ['nslookup', 'wget', 'ping', 'nc', 'ip', 'traceroute', 'telnet', 'netstat', 'ifconfig', 'route', 'arp', 'hostname', 'watch'];
const NETSHOOT_TOOLS = [
  'curl', 'wget', 'dig', 'nslookup', 'host', 'drill', 'ping', 'nc', 'ip', 'ss', 'netstat', 'traceroute', 'mtr', 'tcpdump',
  'iptables', 'iptables-save', 'ip6tables', 'nft', 'ipvsadm', 'ipset', 'conntrack', 'nmap', 'iperf3', 'socat', 'ethtool',
  'arp', 'route', 'ifconfig', 'telnet', 'hostname', 'watch',
];

const PROFILES: Record<string, Omit<ImageProfile, 'family'>> = {
  busybox: { workdir: '/', shells: ['sh', 'ash'], prompt: 'ash', tools: BUSYBOX_TOOLS },
  alpine: { workdir: '/', shells: ['sh', 'ash'], prompt: 'ash', tools: BUSYBOX_TOOLS },
  'nicolaka/netshoot': { workdir: '/root', shells: ['sh', 'ash', 'bash', 'zsh'], prompt: 'ash', tools: NETSHOOT_TOOLS },
  nginx: { workdir: '/', shells: ['sh', 'dash', 'bash'], prompt: 'dash', tools: ['curl', 'hostname'] },
  httpd: { workdir: '/usr/local/apache2', shells: ['sh', 'dash', 'bash'], prompt: 'dash', tools: ['hostname'] },
  debian: { workdir: '/', shells: ['sh', 'dash', 'bash'], prompt: 'dash', tools: ['hostname'] },
  ubuntu: { workdir: '/', shells: ['sh', 'dash', 'bash'], prompt: 'dash', tools: ['hostname'] },
  'e2e-test-images/agnhost': {
    workdir: '/',
    shells: ['sh', 'ash', 'bash'],
    prompt: 'ash',
    tools: [...BUSYBOX_TOOLS, 'curl', 'dig', 'host', 'ss', 'agnhost'],
  },
  'curlimages/curl': { workdir: '/home/curl_user', shells: ['sh', 'ash'], prompt: 'ash', tools: [...BUSYBOX_TOOLS, 'curl'] },
  'coredns/coredns': { workdir: '/', shells: [], prompt: 'ash', tools: [] },
  'hashicorp/http-echo': { workdir: '/', shells: [], prompt: 'ash', tools: [] },
  'kube-proxy': { workdir: '/', shells: [], prompt: 'ash', tools: [] },
  // The control plane's images are distroless (static binaries, no shell, no coreutils);
  // etcd's too since 3.5.
  'kube-apiserver': { workdir: '/', shells: [], prompt: 'ash', tools: [] },
  'kube-controller-manager': { workdir: '/', shells: [], prompt: 'ash', tools: [] },
  'kube-scheduler': { workdir: '/', shells: [], prompt: 'ash', tools: [] },
  etcd: { workdir: '/', shells: [], prompt: 'ash', tools: [] },
  // hello-app is a static Go binary on distroless; redis is Debian with no network tools.
  'google-samples/hello-app': { workdir: '/', shells: [], prompt: 'ash', tools: [] },
  redis: { workdir: '/data', shells: ['sh', 'dash', 'bash'], prompt: 'dash', tools: ['hostname'] },
};

/** Unknown images: assume a small Debian-like base with sh and nothing else. */
const UNKNOWN: Omit<ImageProfile, 'family'> = { workdir: '/', shells: ['sh'], prompt: 'dash', tools: ['hostname'] };

export function imageProfile(image: string): ImageProfile {
  const repo = repository(image);
  const tag = (image.split('@')[0]!.split('/').pop() ?? '').split(':')[1] ?? '';
  const p = PROFILES[repo];
  if (!p) return { family: '', ...UNKNOWN, shells: [...UNKNOWN.shells], tools: [...UNKNOWN.tools] };
  // nginx:1.27-alpine and friends: busybox applets plus curl, ash prompt.
  if ((repo === 'nginx' || repo === 'httpd') && tag.includes('alpine')) {
    return { family: repo, workdir: p.workdir, shells: ['sh', 'ash'], prompt: 'ash', tools: repo === 'nginx' ? [...BUSYBOX_TOOLS, 'curl'] : [...BUSYBOX_TOOLS] };
  }
  return { family: repo, workdir: p.workdir, shells: [...p.shells], prompt: p.prompt, tools: [...p.tools] };
}
