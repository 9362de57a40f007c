/**
 * What an image does once started, as far as the control plane can see: which ports it
 * listens on (so probes and endpoints behave), how long a pull takes, whether it stops
 * promptly on SIGTERM. A later issue grows this into full emulated apps (responses, logs).
 */
import type { Container } from '../model/types';

export interface AppModel {
  /** TCP/UDP/SCTP ports the process listens on. */
  listens: { port: number; protocol: 'TCP' | 'UDP' | 'SCTP' }[];
  /** Image size in bytes, for the `Pulled` event. */
  sizeBytes: number;
  /** nginx/agnhost exit at once on SIGTERM; `sleep` as PID 1 ignores it and waits the grace period out. */
  exitsOnSigterm: boolean;
  /** HTTP paths answered 200; any other path is 404. Undefined: every path answers 200. */
  httpPaths?: string[];
}

const tcp = (...ports: number[]) => ports.map((port) => ({ port, protocol: 'TCP' as const }));

/**
 * The HTTP status the app answers for GET `path` on `port` (200 or 404), or undefined when
 * nothing listens there.
 */
export function httpStatus(app: AppModel, port: number, path: string): number | undefined {
  if (!app.listens.some((l) => l.port === port && l.protocol === 'TCP')) return undefined;
  const p = path.split('?')[0] || '/';
  return !app.httpPaths || app.httpPaths.includes(p) ? 200 : 404;
}

/** Repository (no registry, no tag) → model. */
const KNOWN: Record<string, AppModel> = {
  // The stock nginx/httpd config serves the welcome page at / (and /index.html) and 404s the rest.
  nginx: { listens: tcp(80), sizeBytes: 72_195_292, exitsOnSigterm: true, httpPaths: ['/', '/index.html'] },
  httpd: { listens: tcp(80), sizeBytes: 58_125_004, exitsOnSigterm: true, httpPaths: ['/', '/index.html'] },
  busybox: { listens: [], sizeBytes: 2_167_089, exitsOnSigterm: false },
  'nicolaka/netshoot': { listens: [], sizeBytes: 208_765_301, exitsOnSigterm: false },
  'e2e-test-images/agnhost': { listens: tcp(8080), sizeBytes: 51_432_105, exitsOnSigterm: true },
  'coredns/coredns': { listens: [{ port: 53, protocol: 'UDP' }, ...tcp(53, 8080, 8181, 9153)], sizeBytes: 20_939_036, exitsOnSigterm: true, httpPaths: ['/health', '/ready', '/metrics'] },
  'hashicorp/http-echo': { listens: tcp(5678), sizeBytes: 3_493_451, exitsOnSigterm: true },
  // The GKE tutorials' hello app: answers every path with its version and hostname.
  'google-samples/hello-app': { listens: tcp(8080), sizeBytes: 11_218_514, exitsOnSigterm: true },
  redis: { listens: tcp(6379), sizeBytes: 45_126_734, exitsOnSigterm: true },
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
    // agnhost listens only for the subcommands that serve (netexec, serve-hostname, porter).
    if (repository(c.image) === 'e2e-test-images/agnhost') return { ...known, listens: agnhostListens(c) };
    return known;
  }
  // Unknown images: assume they serve what they declare, like most real images do.
  return { listens: (c.ports ?? []).map((p) => ({ port: p.containerPort, protocol: p.protocol === 'UDP' || p.protocol === 'SCTP' ? p.protocol : 'TCP' })), sizeBytes: 50_000_000, exitsOnSigterm: true };
}

/** `--flag=value` or `--flag value` in the container's command + args (Go's flag and cobra accept both). */
export function flagValue(c: Container, flag: string): string | undefined {
  const argv = [...(c.command ?? []), ...(c.args ?? [])];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith(`${flag}=`)) return a.slice(flag.length + 1);
    if (a === flag) return argv[i + 1];
  }
  return undefined;
}

/**
 * The sockets of an agnhost server subcommand (kubernetes test/images/agnhost):
 * - `netexec`: HTTP on --http-port (8080), UDP on --udp-port (8081; -1 turns it off), SCTP on
 *   --sctp-port when given;
 * - `serve-hostname`: --port (9376), TCP unless --udp alone (the e2e NetworkPolicy model runs
 *   `serve-hostname --tcp|--udp --http=false --port 80`);
 * - `porter`: one socket per SERVE_{PORT,TCP_PORT,TLS_PORT}_N (TCP), SERVE_UDP_PORT_N,
 *   SERVE_SCTP_PORT_N environment variable (the e2e model's SCTP containers).
 */
function agnhostListens(c: Container): AppModel['listens'] {
  const args = [...(c.command ?? []), ...(c.args ?? [])];
  const num = (v: string | undefined, d: number) => (v !== undefined && /^-?\d+$/.test(v) ? Number(v) : d);
  if (args.includes('serve-hostname')) {
    const port = num(flagValue(c, '--port'), 9376);
    return [{ port, protocol: args.includes('--udp') && !args.includes('--tcp') ? 'UDP' : 'TCP' }];
  }
  if (args.includes('netexec')) {
    const udp = num(flagValue(c, '--udp-port'), 8081);
    const sctp = num(flagValue(c, '--sctp-port'), -1);
    return [
      ...tcp(num(flagValue(c, '--http-port'), 8080)),
      ...(udp > 0 ? [{ port: udp, protocol: 'UDP' as const }] : []),
      ...(sctp > 0 ? [{ port: sctp, protocol: 'SCTP' as const }] : []),
    ];
  }
  if (args.includes('porter')) {
    const out: AppModel['listens'] = [];
    for (const e of c.env ?? []) {
      const m = /^SERVE_(PORT|TCP_PORT|TLS_PORT|UDP_PORT|SCTP_PORT)_(\d+)$/.exec(e.name);
      if (!m) continue;
      out.push({ port: Number(m[2]), protocol: m[1] === 'UDP_PORT' ? 'UDP' : m[1] === 'SCTP_PORT' ? 'SCTP' : 'TCP' });
    }
    return out;
  }
  return [];
}

/**
 * What the container's main process does once started: run until stopped, or exit after
 * `runsMs` with `exitCode`. Read from the image's default command and the container's
 * command/args, the way a learner reads a manifest:
 * - servers (nginx, httpd, coredns, agnhost netexec, unknown images) run until stopped;
 * - a shell with nothing to read exits at once with 0 (`busybox` with no command: the
 *   classic CrashLoopBackOff of a Deployment, `Completed` for `--restart=Never`), unless the
 *   container keeps stdin open (`kubectl run -it`);
 * - `sleep N` (s/m/h/d suffixes) runs N seconds, `sleep infinity`, `tail -f`, `while true`
 *   loops run forever; `exit N`, `false` and `true` set the exit code of a script.
 * An approximation of a shell, documented as such; it never throws.
 */
export interface ProcessModel {
  /** Undefined: runs until stopped. */
  runsMs?: number;
  exitCode: number;
}

/** Images whose default command is an interactive shell (exits at once without stdin). */
const SHELL_IMAGES: Record<string, string[]> = {
  busybox: ['sh'],
  alpine: ['/bin/sh'],
  'nicolaka/netshoot': ['zsh'],
  ubuntu: ['/bin/bash'],
  debian: ['bash'],
  'curlimages/curl': ['curl'],
};
const SHELLS = new Set(['sh', 'bash', 'ash', 'zsh', 'dash']);
const FOREVER: ProcessModel = { exitCode: 0 };

function sleepMs(arg: string | undefined): number | undefined {
  if (arg === undefined) return 0;
  if (arg === 'infinity' || arg === 'inf') return undefined;
  const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(arg);
  if (!m) return 0;
  const unit = { '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
  return Math.round(Number(m[1]) * unit);
}

/**
 * Whether the container's command is a one-shot tool or script (`nslookup web`, `sh -c …`)
 * started for a client that attaches to it: stdin kept open once, as `kubectl run -i` and
 * `kubectl debug -i` create it. Its output is the client's to show, and only the shell
 * emulator can produce it, so the client runs the command in the pod and reports its exit
 * (Cluster.setAppState exitCode) and output (Cluster.appendLog); the kubelet keeps the
 * container running until then. An interactive shell (`-- sh`) is not one: it waits for
 * the client's input as it is.
 */
export function runByAttachedClient(c: Container): boolean {
  if (!c.stdin || !c.stdinOnce) return false;
  if (!SHELL_IMAGES[repository(c.image)]) return false; // a server image: runs until stopped anyway
  return !shellOnStdin(c);
}

/** The main process as a shell image runs it: the container's command and args, else the image's shell. */
function mainArgv(c: Container): string[] {
  const defaultCmd = SHELL_IMAGES[repository(c.image)];
  return [...(c.command ?? []), ...(c.args ?? (c.command ? [] : defaultCmd ?? []))];
}

/**
 * Whether the container's main process is an interactive shell reading the stdin it was
 * started with (`kubectl run -it NAME -- sh`, or a shell image with no command): a client
 * attached with -i types at it, and its `exit` ends the container.
 */
export function shellOnStdin(c: Container): boolean {
  if (!c.stdin) return false;
  const argv = mainArgv(c);
  return SHELLS.has((argv[0] ?? '').replace(/^.*\//, '')) && !argv.includes('-c');
}

/** A `sh -c` script, statement by statement: sleeps add up, the first `exit` ends it. */
function script(text: string): ProcessModel {
  if (/\bwhile\s+(true|:)|\buntil\s+false|\btail\s+-f\b|\bsleep\s+inf/.test(text)) return FOREVER;
  let ms = 0;
  let code = 0;
  for (const raw of text.split(/;|&&|\|\||\n/)) {
    const words = raw.trim().split(/\s+/).filter(Boolean);
    const cmd = (words[0] ?? '').replace(/^.*\//, '');
    if (cmd === 'sleep') {
      const n = sleepMs(words[1]);
      if (n === undefined) return FOREVER;
      ms += n;
      code = 0;
    } else if (cmd === 'exit') return { runsMs: ms, exitCode: Number(words[1] ?? code) || 0 };
    else if (cmd === 'false') code = 1;
    else if (cmd) code = 0;
  }
  return { runsMs: ms, exitCode: code };
}

export function processFor(c: Container): ProcessModel {
  const defaultCmd = SHELL_IMAGES[repository(c.image)];
  const argv = mainArgv(c);
  if (!defaultCmd && !c.command && !c.args) return FOREVER; // a server image's own entrypoint
  if (runByAttachedClient(c)) return FOREVER;
  const prog = (argv[0] ?? '').replace(/^.*\//, '');
  if (SHELLS.has(prog)) {
    const i = argv.indexOf('-c');
    if (i >= 0 && argv[i + 1] !== undefined) return script(argv[i + 1]!);
    return c.stdin ? FOREVER : { runsMs: 0, exitCode: 0 };
  }
  if (prog === 'sleep') {
    const n = sleepMs(argv[1]);
    return n === undefined ? FOREVER : { runsMs: n, exitCode: 0 };
  }
  if (prog === 'true') return { runsMs: 0, exitCode: 0 };
  if (prog === 'false') return { runsMs: 0, exitCode: 1 };
  if (prog === 'tail' && argv.includes('-f')) return FOREVER;
  // Other commands: tools in shell images (nslookup, wget, echo, …) do their job and exit;
  // anything else (agnhost netexec, a server binary) keeps running.
  return defaultCmd ? { runsMs: 0, exitCode: 0 } : FOREVER;
}
