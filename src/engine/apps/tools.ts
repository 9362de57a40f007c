/**
 * Which implementation of a network tool an image ships, since they word things differently:
 * - busybox (and Alpine's busybox applets): nslookup, wget, nc, ping are busybox's.
 * - nicolaka/netshoot (Alpine): bind-tools (nslookup, dig, host are BIND 9's), netcat-openbsd,
 *   iputils ping, GNU-free busybox wget; musl libc.
 * - agnhost (Alpine + bind-tools curl netcat-openbsd): BIND nslookup, OpenBSD nc, busybox ping.
 * - curlimages/curl (Alpine): busybox applets + curl; musl.
 * - Debian images (nginx, httpd): glibc; curl in nginx.
 * - busybox:latest is the glibc build (busybox:musl and :uclibc are the others).
 * - watch: busybox's applet in busybox and Alpine images (netshoot and agnhost install no
 *   procps); procps-ng's on Debian (kind's nodes).
 */
import { repository } from './images';

export interface ImageTools {
  libc: 'musl' | 'glibc';
  nslookup: 'busybox' | 'bind';
  nc: 'busybox' | 'openbsd';
  ping: 'busybox' | 'iputils';
  watch: 'busybox' | 'procps';
}

export function imageTool(image: string): ImageTools {
  const repo = repository(image);
  const tag = (image.split('@')[0]!.split('/').pop() ?? '').split(':')[1] ?? '';
  switch (repo) {
    case 'nicolaka/netshoot':
      return { libc: 'musl', nslookup: 'bind', nc: 'openbsd', ping: 'iputils', watch: 'busybox' };
    case 'e2e-test-images/agnhost':
      return { libc: 'musl', nslookup: 'bind', nc: 'openbsd', ping: 'busybox', watch: 'busybox' };
    case 'alpine':
    case 'curlimages/curl':
      return { libc: 'musl', nslookup: 'busybox', nc: 'busybox', ping: 'busybox', watch: 'busybox' };
    case 'busybox':
      return { libc: tag.includes('musl') ? 'musl' : 'glibc', nslookup: 'busybox', nc: 'busybox', ping: 'busybox', watch: 'busybox' };
    default: {
      const alpine = tag.includes('alpine');
      return { libc: alpine ? 'musl' : 'glibc', nslookup: 'busybox', nc: 'busybox', ping: 'busybox', watch: alpine ? 'busybox' : 'procps' };
    }
  }
}
