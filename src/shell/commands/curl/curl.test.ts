import { describe, expect, it } from 'vitest';
import { createCluster } from '../../../engine';
import { createSession } from '../../index';

const manifests = `apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec: {containers: [{name: nginx, image: nginx:1.27, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Pod
metadata: {name: shoot}
spec: {containers: [{name: c, image: nicolaka/netshoot, command: [sleep, infinity]}]}
`;

async function inShoot() {
  const cluster = createCluster({ seed: 1, manifests });
  cluster.tick(10_000);
  const s = createSession({ cluster });
  await s.run('kubectl exec -it shoot -- sh');
  return { s, cluster };
}

describe('curl', () => {
  it('prints the head with CRLF line ends for -I, and -w after the body', async () => {
    const { s } = await inShoot();
    const r = await s.run('curl -sI web');
    expect(r.stdout.startsWith('HTTP/1.1 200 OK\r\nServer: nginx/1.27.5\r\nDate: ')).toBe(true);
    expect(r.stdout).toContain('\r\nContent-Length: 615\r\n');
    expect(r.stdout.endsWith('\r\n\r\n')).toBe(true);
    expect((await s.run('curl -so /dev/null -w "%{http_code} %{remote_ip}" web/nope')).stdout).toMatch(/^404 10\.\d+\.\d+\.\d+$/);
  });

  it('refuses unknown options and wants a URL, as curl 8', async () => {
    const { s } = await inShoot();
    expect(await s.run('curl --bogus web')).toEqual({ stdout: '', stderr: "curl: option --bogus: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n", exitCode: 2 });
    expect((await s.run('curl')).stderr).toBe("curl: no URL specified\ncurl: try 'curl --help' or 'curl --manual' for more information\n");
  });

  it('-f fails on 404 with exit 22; --resolve skips DNS; the clock moves by -m', async () => {
    const { s, cluster } = await inShoot();
    expect(await s.run('curl -sSf web/missing')).toMatchObject({ exitCode: 22, stderr: 'curl: (22) The requested URL returned error: 404\n' });
    const ip = (await s.run('curl -s -o /dev/null -w "%{remote_ip}" web')).stdout;
    expect((await s.run(`curl -s --resolve other:80:${ip} -o /dev/null -w "%{http_code}" other`)).stdout).toBe('200');
    const before = cluster.now();
    expect((await s.run('curl -sS -m 3 web:81')).exitCode).toBe(28);
    expect(cluster.now() - before).toBeGreaterThanOrEqual(3000);
  });

  it('writes -o files in the pod and logs the request in nginx', async () => {
    const { s, cluster } = await inShoot();
    expect((await s.run('curl -s -o page.html web && wc -c < page.html')).stdout.trim()).toBe('615');
    const logs = cluster.logs('default', 'web');
    expect(logs.ok && logs.value).toMatch(/^10\.244\.\d+\.\d+ - - \[.*\] "GET \/ HTTP\/1\.1" 200 615 "-" "curl\/8\.14\.1" "-"$/m);
  });
});
