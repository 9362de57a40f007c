/**
 * kube-proxy's two HTTP servers (pkg/proxy/healthcheck): the proxier health server on
 * healthzBindAddress (0.0.0.0:10256: /healthz and /livez), and one service health server per
 * Service with a healthCheckNodePort (type LoadBalancer, externalTrafficPolicy Local), which a
 * cloud load balancer probes to learn which nodes have local endpoints.
 *
 * Replies are what Go's net/http writes: the handler's headers sorted by name, then Date and
 * Content-Length (net/http's extraHeader). Pure: the caller passes the time and the state.
 */

export const PROXY_HEALTHZ_PORT = 10256;

export interface HealthReply {
  status: number;
  reason: string;
  headers: [string, string][];
  body: string;
}

export interface ProxierHealth {
  /** The proxier has synced (and not fallen behind: we never do). */
  healthy: boolean;
  /** False while the node is being deleted or tainted out of service (never, here). */
  nodeEligible: boolean;
  nowMs: number;
  /** The last successful sync, reported while unhealthy (Go's zero time if none). */
  lastUpdatedMs?: number;
  /** When the kube-proxy process started (Go prints time.Now()'s monotonic reading from it). */
  startMs: number;
  /** The Date header's text (RFC 7231), as the caller formats it. */
  date: string;
}

const p2 = (n: number): string => String(n).padStart(2, '0');

/**
 * Go's time.Time.String() of time.Now() in a process started at startMs (UTC):
 * "2026-01-01 00:01:00.25 +0000 UTC m=+60.250000000" — fractional seconds with trailing
 * zeros dropped, and the monotonic reading always with nine decimals.
 */
export function goTimeString(nowMs: number, startMs: number): string {
  const d = new Date(nowMs);
  const frac = nowMs % 1000 === 0 ? '' : `.${String(nowMs % 1000).padStart(3, '0')}`.replace(/0+$/, '');
  const wall = `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}${frac} +0000 UTC`;
  const mono = Math.max(0, nowMs - startMs);
  return `${wall} m=+${Math.floor(mono / 1000)}.${String((mono % 1000) * 1_000_000).padStart(9, '0')}`;
}

function byteLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c < 0xdc00 ? (i++, 4) : 3;
  }
  return n;
}

function reply(status: number, headers: [string, string][], body: string, date: string): HealthReply {
  const sorted = [...headers].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return {
    status,
    reason: status === 200 ? 'OK' : status === 404 ? 'Not Found' : 'Service Unavailable',
    headers: [...sorted, ['Date', date], ['Content-Length', String(byteLength(body))]],
    body,
  };
}

const JSON_HEADERS: [string, string][] = [['Content-Type', 'application/json'], ['X-Content-Type-Options', 'nosniff']];

/**
 * The proxier health server's mux: /healthz (healthy and node eligible), /livez (healthy);
 * anything else is the ServeMux's 404. A healthy reply reports lastUpdated = currentTime.
 */
export function proxierHealthReply(path: string, h: ProxierHealth): HealthReply {
  const route = path.split('?')[0];
  const now = goTimeString(h.nowMs, h.startMs);
  const last = (ok: boolean): string => (ok ? now : h.lastUpdatedMs !== undefined ? goTimeString(h.lastUpdatedMs, h.startMs) : '0001-01-01 00:00:00 +0000 UTC');
  if (route === '/healthz') {
    const ok = h.healthy && h.nodeEligible;
    return reply(ok ? 200 : 503, JSON_HEADERS, `{"lastUpdated": ${JSON.stringify(last(ok))},"currentTime": ${JSON.stringify(now)}, "nodeEligible": ${h.nodeEligible}}`, h.date);
  }
  if (route === '/livez') {
    return reply(h.healthy ? 200 : 503, JSON_HEADERS, `{"lastUpdated": ${JSON.stringify(last(h.healthy))},"currentTime": ${JSON.stringify(now)}}`, h.date);
  }
  return reply(404, [['Content-Type', 'text/plain; charset=utf-8'], ['X-Content-Type-Options', 'nosniff']], '404 page not found\n', h.date);
}

/**
 * hcHandler.ServeHTTP (every path): 200 when the node has local endpoints and kube-proxy is
 * healthy, else 503; X-Load-Balancing-Endpoint-Weight carries the count; the body is the
 * dedented, tab-indented JSON upstream prints, without a final newline.
 */
export function serviceHealthReply(namespace: string, name: string, localEndpoints: number, proxyHealthy: boolean, date: string): HealthReply {
  const body = [
    '{',
    '\t"service": {',
    `\t\t"namespace": ${JSON.stringify(namespace)},`,
    `\t\t"name": ${JSON.stringify(name)}`,
    '\t},',
    `\t"localEndpoints": ${localEndpoints},`,
    `\t"serviceProxyHealthy": ${proxyHealthy}`,
    '}',
  ].join('\n');
  return reply(
    localEndpoints !== 0 && proxyHealthy ? 200 : 503,
    [...JSON_HEADERS, ['X-Load-Balancing-Endpoint-Weight', String(localEndpoints)]],
    body,
    date,
  );
}
