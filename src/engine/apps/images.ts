/**
 * What an image does once started, as far as the control plane can see: which ports it
 * listens on (so probes and endpoints behave), how long a pull takes, whether it stops
 * promptly on SIGTERM. A later issue grows this into full emulated apps (responses, logs).
 */
import type { Container } from '../model/types';

export interface AppModel {
  /** TCP/UDP ports the process listens on. */
  listens: { port: number; protocol: 'TCP' | 'UDP' }[];
  /** Image size in bytes, for the `Pulled` event. */
  sizeBytes: number;
  /** nginx/agnhost exit at once on SIGTERM; `sleep` as PID 1 ignores it and waits the grace period out. */
  exitsOnSigterm: boolean;
}

const tcp = (...ports: number[]) => ports.map((port) => ({ port, protocol: 'TCP' as const }));

/** Repository (no registry, no tag) → model. */
const KNOWN: Record<string, AppModel> = {
  nginx: { listens: tcp(80), sizeBytes: 72_195_292, exitsOnSigterm: true },
  httpd: { listens: tcp(80), sizeBytes: 58_125_004, exitsOnSigterm: true },
  busybox: { listens: [], sizeBytes: 2_167_089, exitsOnSigterm: false },
  'nicolaka/netshoot': { listens: [], sizeBytes: 208_765_301, exitsOnSigterm: false },
  'e2e-test-images/agnhost': { listens: tcp(8080), sizeBytes: 51_432_105, exitsOnSigterm: true },
  'coredns/coredns': { listens: [{ port: 53, protocol: 'UDP' }, ...tcp(53, 8080, 8181, 9153)], sizeBytes: 20_939_036, exitsOnSigterm: true },
  'hashicorp/http-echo': { listens: tcp(5678), sizeBytes: 3_493_451, exitsOnSigterm: true },
};

/** `registry.k8s.io/e2e-test-images/agnhost:2.53` → `e2e-test-images/agnhost`; `docker.io/library/nginx` → `nginx`. */
export function repository(image: string): string {
  let s = image.split('@')[0]!;
  const lastSlash = s.lastIndexOf('/');
  const colon = s.lastIndexOf(':');
  if (colon > lastSlash) s = s.slice(0, colon);
  const parts = s.split('/');
  if (parts.length > 1 && (parts[0]!.includes('.') || parts[0]!.includes(':') || parts[0] === 'localhost')) parts.shift();
  if (parts[0] === 'library') parts.shift();
  return parts.join('/');
}

export function appFor(c: Container): AppModel {
  const known = KNOWN[repository(c.image)];
  if (known) {
    // agnhost listens only for the subcommands that serve (netexec --http-port).
    if (repository(c.image) === 'e2e-test-images/agnhost') {
      const args = [...(c.command ?? []), ...(c.args ?? [])];
      if (!args.some((a) => a === 'netexec' || a === 'serve-hostname')) return { ...known, listens: [] };
      const flag = args.find((a) => a.startsWith('--http-port='));
      if (flag) return { ...known, listens: tcp(Number(flag.split('=')[1])) };
      if (args.includes('serve-hostname')) return { ...known, listens: tcp(9376) };
    }
    return known;
  }
  // Unknown images: assume they serve what they declare, like most real images do.
  return { listens: (c.ports ?? []).map((p) => ({ port: p.containerPort, protocol: p.protocol === 'UDP' ? 'UDP' : 'TCP' })), sizeBytes: 50_000_000, exitsOnSigterm: true };
}
