// kube-proxy's health servers, against pkg/proxy/healthcheck (service_health.go hcHandler,
// proxier_health.go healthzHandler/livezHandler) and Go's time.Time.String().
import { describe, expect, it } from 'vitest';
import { goTimeString, proxierHealthReply, serviceHealthReply } from './healthcheck';

const DATE = 'Thu, 01 Jan 2026 00:01:00 GMT';

describe('kube-proxy health servers', () => {
  it('formats times as Go prints time.Now(): trailing zeros of the fraction dropped, monotonic reading with 9 decimals', () => {
    const start = Date.UTC(2026, 0, 1, 0, 0, 0);
    expect(goTimeString(start + 60_250, start)).toBe('2026-01-01 00:01:00.25 +0000 UTC m=+60.250000000');
    expect(goTimeString(start + 61_000, start)).toBe('2026-01-01 00:01:01 +0000 UTC m=+61.000000000');
    expect(goTimeString(start + 5, start)).toBe('2026-01-01 00:00:00.005 +0000 UTC m=+0.005000000');
  });

  it('service health: 200 with local endpoints, 503 without, or when kube-proxy is unhealthy', () => {
    const ok = serviceHealthReply('default', 'web', 2, true, DATE);
    expect(ok.status).toBe(200);
    expect(ok.headers).toEqual([
      ['Content-Type', 'application/json'], ['X-Content-Type-Options', 'nosniff'], ['X-Load-Balancing-Endpoint-Weight', '2'],
      ['Date', DATE], ['Content-Length', String(ok.body.length)],
    ]);
    expect(ok.body).toBe('{\n\t"service": {\n\t\t"namespace": "default",\n\t\t"name": "web"\n\t},\n\t"localEndpoints": 2,\n\t"serviceProxyHealthy": true\n}');
    expect(serviceHealthReply('default', 'web', 0, true, DATE).status).toBe(503);
    const sick = serviceHealthReply('default', 'web', 1, false, DATE);
    expect([sick.status, sick.reason, sick.body.includes('"serviceProxyHealthy": false')]).toEqual([503, 'Service Unavailable', true]);
  });

  it('healthz needs a healthy proxier on an eligible node; livez only a healthy one; an unhealthy one reports its last sync', () => {
    const start = Date.UTC(2026, 0, 1);
    const h = { healthy: true, nodeEligible: true, nowMs: start + 90_000, startMs: start, date: DATE };
    const z = proxierHealthReply('/healthz', h);
    expect([z.status, z.body]).toEqual([200, '{"lastUpdated": "2026-01-01 00:01:30 +0000 UTC m=+90.000000000","currentTime": "2026-01-01 00:01:30 +0000 UTC m=+90.000000000", "nodeEligible": true}']);
    expect(proxierHealthReply('/healthz', { ...h, nodeEligible: false }).status).toBe(503);
    expect(proxierHealthReply('/livez', { ...h, nodeEligible: false }).status).toBe(200);
    const never = proxierHealthReply('/livez', { ...h, healthy: false });
    expect([never.status, never.body]).toEqual([503, '{"lastUpdated": "0001-01-01 00:00:00 +0000 UTC","currentTime": "2026-01-01 00:01:30 +0000 UTC m=+90.000000000"}']);
    const nf = proxierHealthReply('/', h);
    expect([nf.status, nf.body, nf.headers[0]]).toEqual([404, '404 page not found\n', ['Content-Type', 'text/plain; charset=utf-8']]);
  });
});
