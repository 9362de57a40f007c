/**
 * What an emulated image answers once the data path has delivered a connection to a port
 * it listens on (apps/images.ts decides which ports listen). Pure: the data path passes the
 * request, the pod's name, the client address the server saw and the time.
 *
 * - nginx: the stock default.conf serves /usr/share/nginx/html: `/` and `/index.html` give
 *   the 615-byte welcome page, anything else nginx's 404 page; response headers in nginx's
 *   order (ngx_http_header_filter_module.c: Server, Date, Content-Type, Content-Length,
 *   Last-Modified, Connection, ETag, Accept-Ranges). HEAD gets the headers only.
 * - httpd: `It works!` (45 bytes) at `/`.
 * - agnhost netexec (test/images/agnhost/netexec/netexec.go): `/hostname` → the pod name,
 *   `/clientip` → `ip:port` the server saw, `/echo?msg=x` → `x`, `/` → `NOW: <time>`;
 *   Go net/http headers (Date, Content-Length, Content-Type text/plain; charset=utf-8).
 *   UDP on 8081: `hostname` → the pod name, `echo x` → `x`, `clientip` → `ip:port`.
 * - agnhost serve-hostname: the pod name on 9376 (HTTP, or raw with --http=false; one
 *   datagram back per datagram with --udp).
 * - agnhost porter: the value of SERVE_*_PORT_N on port N (HTTP body, UDP datagram, SCTP message).
 * - google-samples/hello-app: `Hello, world!\nVersion: 1.0.0\nHostname: <pod>\n` on 8080.
 * - hashicorp/http-echo: the `-text` argument on 5678.
 * - redis: `PING` → `+PONG`.
 * - CoreDNS: DNS on 53 (the data path passes its CoreDNS handler).
 * - anything else that listens: accepts, and answers HTTP 200 with an empty body.
 */
import type { Container } from '../model/types';
import { repository } from './images';
import type { Payload, Reply } from '../network/types';

export interface ServeContext {
  podName: string;
  now: number;
  /** The client as the server's socket saw it (after SNAT/masquerade). */
  client: { ip: string; port: number };
  port: number;
  protocol: 'TCP' | 'UDP' | 'SCTP';
  /** The readiness/liveness switches (apps/state.ts): the probe's path answers 503/500. */
  failing?: { path: string; status: number }[];
  /** CoreDNS's handler, for DNS payloads to a coredns container. */
  dns?: (p: Extract<Payload, { kind: 'dns' }>) => Reply | undefined;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => String(n).padStart(2, '0');

/** RFC 7231 IMF-fixdate, as nginx and Go write `Date:`. */
export function httpDate(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]}, ${p2(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} GMT`;
}

/** /usr/share/nginx/html/index.html of the official image (615 bytes). */
export const NGINX_WELCOME = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

const REASONS: Record<number, string> = { 200: 'OK', 404: 'Not Found', 500: 'Internal Server Error', 503: 'Service Unavailable', 400: 'Bad Request' };

/** The nginx release of an image tag (as apps/logs.ts reports it at start-up). */
function nginxVersion(image: string): string {
  const tag = tagOf(image);
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(tag);
  const known: Record<string, string> = { '1.25': '1.25.5', '1.26': '1.26.3', '1.27': '1.27.5', '1.28': '1.28.0', '1.29': '1.29.3' };
  return m ? (m[3] !== undefined ? `${m[1]}.${m[2]}.${m[3]}` : known[`${m[1]}.${m[2]}`] ?? `${m[1]}.${m[2]}.0`) : '1.29.3';
}

/** When each nginx release's package wrote index.html (Last-Modified, and the ETag's first half). */
const NGINX_MTIME: Record<string, number> = {
  '1.27.5': Date.UTC(2025, 3, 16, 12, 1, 11),
  '1.29.3': Date.UTC(2025, 9, 28, 12, 0, 55),
};

function tagOf(image: string): string {
  const last = image.split('@')[0]!.split('/').pop() ?? '';
  return last.includes(':') ? last.slice(last.indexOf(':') + 1) : 'latest';
}

function nginxPage(status: number, version: string): string {
  const title = `${status} ${REASONS[status] ?? ''}`.trim();
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx/${version}</center>\r\n</body>\r\n</html>\r\n`;
}

function byteLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c < 0xdc00 ? (i++, 4) : 3;
  }
  return n;
}

function goHttp(status: number, body: string, now: number, contentType = 'text/plain; charset=utf-8'): Reply {
  return {
    kind: 'http', status, reason: REASONS[status] ?? '', body,
    headers: [['Date', httpDate(now)], ['Content-Length', String(byteLength(body))], ['Content-Type', contentType]],
  };
}

function query(path: string): Map<string, string> {
  const m = new Map<string, string>();
  const q = path.split('?')[1];
  if (!q) return m;
  for (const part of q.split('&')) {
    const [k, v = ''] = part.split('=');
    try {
      m.set(decodeURIComponent(k!), decodeURIComponent(v.replace(/\+/g, ' ')));
    } catch {
      m.set(k!, v);
    }
  }
  return m;
}

function argValue(c: Container, flag: string): string | undefined {
  const argv = [...(c.command ?? []), ...(c.args ?? [])];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith(`${flag}=`)) return a.slice(flag.length + 1);
    if (a === flag) return argv[i + 1];
  }
  return undefined;
}

/**
 * The app's answer to one request on a port it listens on; `undefined` when it accepts and
 * says nothing (a raw TCP connect, a UDP datagram it ignores).
 */
export function serve(c: Container, payload: Payload | undefined, ctx: ServeContext): Reply | undefined {
  const repo = repository(c.image);
  if (payload?.kind === 'dns') return ctx.dns?.(payload);
  if (repo === 'redis' || repo === 'valkey/valkey') {
    if (payload?.kind === 'bytes' && /^PING\b/i.test(payload.text.trim())) return { kind: 'bytes', text: '+PONG\r\n' };
    return payload?.kind === 'bytes' && payload.text.trim() ? { kind: 'bytes', text: `-ERR unknown command '${payload.text.trim().split(/\s+/)[0]}'\r\n` } : undefined;
  }
  const argv = [...(c.command ?? []), ...(c.args ?? [])];
  if (repo === 'e2e-test-images/agnhost' && argv.includes('porter')) {
    // porter answers every request, datagram or association with its SERVE_*_PORT_N value.
    const value = c.env?.find((e) => new RegExp(`^SERVE_(PORT|TCP_PORT|TLS_PORT|UDP_PORT|SCTP_PORT)_${ctx.port}$`).test(e.name))?.value ?? '';
    if (ctx.protocol !== 'TCP') return { kind: 'bytes', text: value };
    return payload?.kind === 'http' ? goHttp(200, value, ctx.now) : undefined;
  }
  if (repo === 'e2e-test-images/agnhost' && ctx.protocol === 'UDP' && argv.includes('serve-hostname')) return { kind: 'bytes', text: ctx.podName };
  if (repo === 'e2e-test-images/agnhost' && ctx.protocol !== 'TCP' && payload?.kind === 'bytes') {
    const [cmd, ...rest] = payload.text.trim().split(/\s+/);
    if (cmd === 'hostname') return { kind: 'bytes', text: ctx.podName };
    if (cmd === 'echo') return { kind: 'bytes', text: rest.join(' ') };
    if (cmd === 'clientip') return { kind: 'bytes', text: `${ctx.client.ip}:${ctx.client.port}` };
    return undefined;
  }
  if (payload?.kind !== 'http') {
    // serve-hostname --http=false writes the hostname on every TCP connection.
    if (repo === 'e2e-test-images/agnhost' && argv.includes('serve-hostname') && argv.includes('--http=false')) return { kind: 'bytes', text: ctx.podName };
    return undefined;
  }
  const path = payload.path.split('?')[0] || '/';
  const failing = ctx.failing?.find((f) => f.path === path);
  const head = payload.method === 'HEAD';
  if (repo === 'nginx') {
    const version = nginxVersion(c.image);
    let status = path === '/' || path === '/index.html' ? 200 : 404;
    if (failing) status = failing.status;
    if (status === 200) {
      const mtime = NGINX_MTIME[version] ?? NGINX_MTIME['1.27.5']!;
      const size = byteLength(NGINX_WELCOME);
      return {
        kind: 'http', status, reason: 'OK', body: head ? '' : NGINX_WELCOME,
        headers: [
          ['Server', `nginx/${version}`], ['Date', httpDate(ctx.now)], ['Content-Type', 'text/html'], ['Content-Length', String(size)],
          ['Last-Modified', httpDate(mtime)], ['Connection', 'keep-alive'], ['ETag', `"${Math.floor(mtime / 1000).toString(16)}-${size.toString(16)}"`], ['Accept-Ranges', 'bytes'],
        ],
      };
    }
    const body = nginxPage(status, version);
    return {
      kind: 'http', status, reason: REASONS[status] ?? '', body: head ? '' : body,
      headers: [['Server', `nginx/${version}`], ['Date', httpDate(ctx.now)], ['Content-Type', 'text/html'], ['Content-Length', String(byteLength(body))], ['Connection', 'keep-alive']],
    };
  }
  if (repo === 'httpd') {
    const body = '<html><body><h1>It works!</h1></body></html>\n';
    if (path !== '/' && path !== '/index.html') {
      const nf = `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n`;
      return { kind: 'http', status: 404, reason: 'Not Found', body: head ? '' : nf, headers: [['Date', httpDate(ctx.now)], ['Server', 'Apache/2.4.65 (Unix)'], ['Content-Length', String(nf.length)], ['Content-Type', 'text/html; charset=iso-8859-1']] };
    }
    return {
      kind: 'http', status: 200, reason: 'OK', body: head ? '' : body,
      headers: [['Date', httpDate(ctx.now)], ['Server', 'Apache/2.4.65 (Unix)'], ['Last-Modified', 'Mon, 11 Jun 2007 18:53:14 GMT'], ['ETag', '"2d-432a5e4a73a80"'], ['Accept-Ranges', 'bytes'], ['Content-Length', '45'], ['Content-Type', 'text/html']],
    };
  }
  if (repo === 'e2e-test-images/agnhost') {
    if (failing) return goHttp(failing.status, '', ctx.now);
    if (argv.includes('serve-hostname')) return goHttp(200, ctx.podName, ctx.now);
    const q = query(payload.path);
    if (path === '/hostname') return goHttp(200, ctx.podName, ctx.now);
    if (path === '/clientip') return goHttp(200, `${ctx.client.ip}:${ctx.client.port}`, ctx.now);
    if (path === '/echo') return goHttp(200, q.get('msg') ?? '', ctx.now);
    if (path === '/healthz' || path === '/readyz') return goHttp(200, '', ctx.now);
    if (path === '/') return goHttp(200, `NOW: ${new Date(ctx.now).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '.000000000 +0000 UTC')}`, ctx.now);
    return goHttp(404, '404 page not found\n', ctx.now);
  }
  if (repo === 'google-samples/hello-app') {
    const v = /^(\d+)\.(\d+)/.exec(tagOf(c.image));
    const version = v ? `${v[1]}.${v[2]}.0` : '1.0.0';
    return goHttp(200, `Hello, world!\nVersion: ${version}\nHostname: ${ctx.podName}\n`, ctx.now);
  }
  if (repo === 'hashicorp/http-echo') {
    const text = argValue(c, '-text') ?? 'hello-world';
    return { kind: 'http', status: 200, reason: 'OK', body: head ? '' : `${text}\n`, headers: [['X-App-Name', 'http-echo'], ['X-App-Version', '1.0.0'], ['Date', httpDate(ctx.now)], ['Content-Length', String(byteLength(text) + 1)], ['Content-Type', 'text/plain; charset=utf-8']] };
  }
  if (failing) return goHttp(failing.status, '', ctx.now);
  return goHttp(200, '', ctx.now);
}
