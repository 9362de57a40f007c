/**
 * Container logs: what the emulated images print to stdout/stderr, kept per container
 * instance the way the kubelet keeps CRI log files (the current instance and the previous
 * one, for `kubectl logs --previous`).
 *
 * Start-up output follows the real images:
 * - nginx (official image): /docker-entrypoint.sh announcing its scripts, then the master's
 *   `[notice] 1#1:` lines with nginx's own `YYYY/MM/DD HH:MM:SS` local-time stamps (UTC in a
 *   container), one `start worker process N` per CPU (worker_processes auto).
 * - coredns: the server block (`.:53`), the reload plugin's SHA512 of the Corefile, the
 *   version banner (coredns/coremain/version.go showVersion).
 * - agnhost netexec: `Started HTTP server on port 8080` / `Started UDP server on port  8081`
 *   (two spaces, as netexec.go logs it), through klog's header.
 * - busybox and other shell images: nothing, unless the command echoes (`sh -c 'echo hi;
 *   sleep 3600'` prints `hi`).
 * Access logs are appended by the data path through `accessLine` (nginx's `combined` format).
 */
import { sha512 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { Container } from '../model/types';
import { repository, runByAttachedClient } from './images';

export interface LogLine {
  /** When the runtime received the line (ms). */
  t: number;
  text: string;
}

/** Enough for any lab; older lines roll off like a rotated CRI log. */
const MAX_LINES = 5_000;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** nginx's error-log time: `2026/01/01 00:00:05`. */
export function nginxTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** nginx's $time_local: `27/Nov/2026:14:31:17 +0000`. */
export function nginxLocalTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

/** klog's header: `I1127 14:31:17.123456       1 file.go:NN] `. */
function klog(ms: number, where: string): string {
  const d = new Date(ms);
  const micros = pad(d.getUTCMilliseconds(), 3) + '000';
  return `I${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${micros}       1 ${where}] `;
}

/** Go's log.Printf default header: `2026/01/01 00:00:05 `. */
const goLog = (ms: number) => `${nginxTime(ms)} `;

/** The nginx release a tag runs (the last patch of each line the official image published). */
function nginxVersion(tag: string): { version: string; gcc: string } {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(tag);
  const known: Record<string, string> = { '1.25': '1.25.5', '1.26': '1.26.3', '1.27': '1.27.5', '1.28': '1.28.0', '1.29': '1.29.3' };
  const version = m ? (m[3] !== undefined ? `${m[1]}.${m[2]}.${m[3]}` : known[`${m[1]}.${m[2]}`] ?? `${m[1]}.${m[2]}.0`) : '1.29.3';
  const minor = m ? Number(m[2]) : 29;
  // 1.28+ images are built on Debian trixie, earlier ones on bookworm.
  const gcc = minor >= 28 ? 'gcc 14.2.0 (Debian 14.2.0-19)' : 'gcc 12.2.0 (Debian 12.2.0-14)';
  return { version, gcc };
}

export interface StartContext {
  now: number;
  /** CPUs of the node (nginx starts one worker per CPU). */
  cpus: number;
  /** Kernel of the node (`uname -r`), which nginx reports. */
  kernel: string;
  /** CoreDNS: the Corefile it loads, for the reload plugin's SHA512. */
  corefile?: string;
}

function tagOf(image: string): string {
  const last = image.split('@')[0]!.split('/').pop() ?? '';
  return last.includes(':') ? last.slice(last.indexOf(':') + 1) : 'latest';
}

/** What `echo` statements in a `sh -c` script print (quotes removed; no expansion). */
function echoes(script: string): string[] {
  const out: string[] = [];
  for (const stmt of script.split(/;|&&|\n/)) {
    const m = /^\s*echo\s+(-n\s+)?(.*?)\s*$/.exec(stmt);
    if (!m) continue;
    const words = m[2]!.match(/'[^']*'|"[^"]*"|\S+/g) ?? [];
    out.push(words.map((w) => (/^(['"]).*\1$/.test(w) ? w.slice(1, -1) : w)).join(' '));
  }
  return out;
}

/** What the container prints as it starts, one entry per line, with the time it appears. */
export function startupLines(c: Container, ctx: StartContext): LogLine[] {
  const repo = repository(c.image);
  const t = ctx.now;
  const argv = [...(c.command ?? []), ...(c.args ?? [])];
  const at = (text: string, dt = 0): LogLine => ({ t: t + dt, text });
  // A command overriding a server image's entrypoint runs that command instead.
  const overridden = c.command !== undefined && c.command.length > 0;
  if (repo === 'nginx' && !overridden) {
    const { version, gcc } = nginxVersion(tagOf(c.image));
    const ep = '/docker-entrypoint.sh';
    const lines = [
      `${ep}: /docker-entrypoint.d/ is not empty, will attempt to perform configuration`,
      `${ep}: Looking for shell scripts in /docker-entrypoint.d/`,
      `${ep}: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh`,
      '10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf',
      '10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf',
      `${ep}: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh`,
      `${ep}: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh`,
      `${ep}: Launching /docker-entrypoint.d/30-tune-worker-processes.sh`,
      `${ep}: Configuration complete; ready for start up`,
    ].map((s) => at(s));
    const ts = nginxTime(t);
    const notice = (s: string) => at(`${ts} [notice] 1#1: ${s}`);
    lines.push(
      notice('using the "epoll" event method'),
      notice(`nginx/${version}`),
      notice(`built by ${gcc} `),
      notice(`OS: Linux ${ctx.kernel}`),
      notice('getrlimit(RLIMIT_NOFILE): 1048576:1048576'),
      notice('start worker processes'),
    );
    for (let i = 0; i < ctx.cpus; i++) lines.push(notice(`start worker process ${29 + i}`));
    return lines;
  }
  if (repo === 'coredns/coredns') {
    const sum = bytesToHex(sha512(utf8ToBytes(ctx.corefile ?? '')));
    const v = /^v?(\d+\.\d+\.\d+)/.exec(tagOf(c.image))?.[1] ?? '1.12.1';
    return [at('.:53'), at(`[INFO] plugin/reload: Running configuration SHA512 = ${sum}`), at(`CoreDNS-${v}`), at('linux/amd64, go1.24.1, 707c7c1')];
  }
  if (repo === 'e2e-test-images/agnhost') {
    const sub = argv.find((a) => !a.startsWith('-') && a !== '/agnhost' && a !== 'agnhost');
    if (sub === 'netexec') {
      const http = Number(argv.find((a) => a.startsWith('--http-port='))?.split('=')[1] ?? 8080);
      const udp = Number(argv.find((a) => a.startsWith('--udp-port='))?.split('=')[1] ?? 8081);
      const lines = [at(`${klog(t, 'log.go:245')}Started HTTP server on port ${http}`)];
      if (udp !== -1) lines.push(at(`${klog(t + 1, 'log.go:245')}Started UDP server on port  ${udp}`));
      return lines;
    }
    if (sub === 'serve-hostname') return [at(`${klog(t, 'log.go:245')}Serving on port 9376.`)];
    return [];
  }
  if (repo === 'hashicorp/http-echo' && !overridden) {
    const listen = argv.find((a) => a.startsWith('-listen='))?.split('=')[1] ?? ':5678';
    return [at(`${goLog(t)}[INFO] server is listening on ${listen}`)];
  }
  // A client attached to the command runs it and logs what it printed (runByAttachedClient).
  if (runByAttachedClient(c)) return [];
  // Shell images: whatever the command echoes.
  const prog = (argv[0] ?? '').replace(/^.*\//, '');
  if (['sh', 'bash', 'ash', 'dash', 'zsh'].includes(prog)) {
    const i = argv.indexOf('-c');
    return i >= 0 && argv[i + 1] !== undefined ? echoes(argv[i + 1]!).map((s) => at(s)) : [];
  }
  if (prog === 'echo') return [at(argv.slice(1).join(' '))];
  return [];
}

/** An HTTP request as the data path saw it, for the server's access log. */
export interface AccessRecord {
  /** Client address as the server sees it (after any SNAT). */
  remoteAddr: string;
  method?: string;
  path?: string;
  /** `HTTP/1.1` unless given. */
  protocol?: string;
  status: number;
  /** Body bytes sent. */
  bytes: number;
  referer?: string;
  userAgent?: string;
}

/** The line the server logs for a request, or undefined when the image logs none. */
export function accessLine(image: string, r: AccessRecord, now: number): string | undefined {
  const repo = repository(image);
  const req = `${r.method ?? 'GET'} ${r.path ?? '/'} ${r.protocol ?? 'HTTP/1.1'}`;
  const time = nginxLocalTime(now);
  // nginx's log_format main in the image's nginx.conf: combined + "$http_x_forwarded_for".
  if (repo === 'nginx') return `${r.remoteAddr} - - [${time}] "${req}" ${r.status} ${r.bytes} "${r.referer ?? '-'}" "${r.userAgent ?? '-'}" "-"`;
  // httpd's default CustomLog is the common format.
  if (repo === 'httpd') return `${r.remoteAddr} - - [${time}] "${req}" ${r.status} ${r.bytes}`;
  return undefined;
}

interface ContainerLogs {
  /** Instance number → its lines. Only the current and previous instance are kept. */
  runs: Map<number, LogLine[]>;
  current: number;
}

/** The kubelet's log files for every container on every node. */
export class LogBook {
  #byKey = new Map<string, ContainerLogs>();
  /** Who follows a container's current instance (`kubectl logs -f`), by `uid/container`. */
  #followers = new Map<string, Set<(line: LogLine) => void>>();

  /**
   * Hear each line the container's current instance writes from now on (kubectl logs -f);
   * returns the way to stop. Lines of a later instance are not heard: a follow ends with the
   * instance it began on, as the runtime's log stream does.
   */
  follow(uid: string, container: string, onLine: (line: LogLine) => void): () => void {
    const key = `${uid}/${container}`;
    const run = this.#byKey.get(key)?.current;
    const listener = (line: LogLine) => {
      if (this.#byKey.get(key)?.current === run) onLine(line);
    };
    let set = this.#followers.get(key);
    if (!set) this.#followers.set(key, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.#followers.get(key) === set) this.#followers.delete(key);
    };
  }

  /** A new instance of a container started (run counts from 1). */
  started(uid: string, container: string, run: number, lines: LogLine[]): void {
    const key = `${uid}/${container}`;
    let e = this.#byKey.get(key);
    if (!e) this.#byKey.set(key, (e = { runs: new Map(), current: run }));
    e.current = run;
    e.runs.set(run, lines.slice(-MAX_LINES));
    for (const r of [...e.runs.keys()]) if (r < run - 1) e.runs.delete(r);
  }

  append(uid: string, container: string, line: LogLine): boolean {
    const e = this.#byKey.get(`${uid}/${container}`);
    const lines = e?.runs.get(e.current);
    if (!lines) return false;
    lines.push(line);
    if (lines.length > MAX_LINES) lines.splice(0, lines.length - MAX_LINES);
    for (const f of this.#followers.get(`${uid}/${container}`) ?? []) f(line);
    return true;
  }

  /** Lines of the current instance, or of the previous one; undefined when there is none. */
  read(uid: string, container: string, previous: boolean): LogLine[] | undefined {
    const e = this.#byKey.get(`${uid}/${container}`);
    if (!e) return undefined;
    return e.runs.get(previous ? e.current - 1 : e.current);
  }

  forget(uid: string, containers: readonly string[]): void {
    for (const c of containers) this.#byKey.delete(`${uid}/${c}`);
  }
}
