import { describe, expect, it } from 'vitest';
import { createCluster } from '../index';
import { accessLine, LogBook, nginxTime, startupLines } from './logs';
import { imageProfile } from './profiles';

const web = `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers: [{name: nginx, image: nginx:1.27}]
`;

describe('start-up output of the images', () => {
  it('nginx: the entrypoint lines, then [notice] lines stamped with the engine clock', () => {
    const lines = startupLines({ name: 'n', image: 'nginx:1.27' }, { now: Date.UTC(2026, 10, 27, 14, 31, 17), cpus: 2, kernel: '6.8.0-generic' }).map((l) => l.text);
    expect(lines[0]).toBe('/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration');
    expect(lines).toContain('2026/11/27 14:31:17 [notice] 1#1: nginx/1.27.5');
    expect(lines.at(-1)).toBe('2026/11/27 14:31:17 [notice] 1#1: start worker process 30');
    expect(nginxTime(Date.UTC(2026, 0, 2, 3, 4, 5))).toBe('2026/01/02 03:04:05');
  });
  it('busybox prints only what its command echoes', () => {
    const ctx = { now: 0, cpus: 8, kernel: 'k' };
    expect(startupLines({ name: 'b', image: 'busybox', command: ['sh', '-c', "echo hi; sleep 3600"] }, ctx).map((l) => l.text)).toEqual(['hi']);
    expect(startupLines({ name: 'b', image: 'busybox', args: ['sleep', '3600'] }, ctx)).toEqual([]);
  });
  it('agnhost netexec announces its HTTP and UDP servers', () => {
    const t = startupLines({ name: 'a', image: 'registry.k8s.io/e2e-test-images/agnhost:2.53', args: ['netexec', '--http-port=8080'] }, { now: 0, cpus: 8, kernel: 'k' }).map((l) => l.text);
    expect(t[0]).toMatch(/^I0101 00:00:00\.000000 {7}1 log\.go:245\] Started HTTP server on port 8080$/);
    expect(t[1]).toMatch(/Started UDP server on port  8081$/);
  });
  it('access lines in nginx combined format', () => {
    expect(accessLine('nginx:1.27', { remoteAddr: '10.244.1.5', status: 200, bytes: 615, userAgent: 'curl/8.5.0' }, Date.UTC(2026, 10, 27, 14, 31, 17))).toBe(
      '10.244.1.5 - - [27/Nov/2026:14:31:17 +0000] "GET / HTTP/1.1" 200 615 "-" "curl/8.5.0" "-"',
    );
    expect(accessLine('busybox', { remoteAddr: 'x', status: 200, bytes: 1 }, 0)).toBeUndefined();
  });
});

describe('cluster.logs', () => {
  it('serves the running container, tail and access lines; errors like the kubelet', () => {
    const c = createCluster();
    c.apply(web);
    const waiting = c.logs('default', 'web');
    expect(waiting.ok ? '' : waiting.error.message).toBe('container "nginx" in pod "web" is waiting to start: ContainerCreating');
    c.tick(10_000);
    const all = c.logs('default', 'web');
    expect(all.ok && all.value.split('\n')[0]).toBe('/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration');
    c.recordAccess('default', 'web', { remoteAddr: '10.244.1.5', status: 200, bytes: 615, userAgent: 'curl/8.5.0' });
    const tail = c.logs('default', 'web', { tailLines: 1 });
    expect(tail.ok && tail.value).toMatch(/^10\.244\.1\.5 - - \[01\/Jan\/2026:00:00:10 \+0000\] "GET \/ HTTP\/1\.1" 200 615 "-" "curl\/8\.5\.0" "-"\n$/);
    const prev = c.logs('default', 'web', { previous: true });
    expect(prev.ok ? '' : prev.error.message).toBe('previous terminated container "nginx" in pod "web" not found');
  });
  it('keeps the previous instance after a restart; asks for a container when there are several', () => {
    const c = createCluster();
    c.apply(`apiVersion: v1
kind: Pod
metadata: {name: two}
spec:
  containers:
  - {name: a, image: busybox, command: [sh, -c, 'echo one; sleep 3600']}
  - {name: b, image: busybox, command: [sh, -c, 'echo two; sleep 3600']}
`);
    c.tick(10_000);
    const none = c.logs('default', 'two');
    expect(none.ok ? '' : none.error.message).toBe('a container name must be specified for pod two, choose one of: [a b]');
    c.appendLog('default', 'two', 'before the crash', { container: 'a' });
    c.setAppState('default', 'two', { container: 'a', exitCode: 1 });
    c.tick(1_000);
    const prev = c.logs('default', 'two', { container: 'a', previous: true });
    expect(prev.ok && prev.value).toBe('one\nbefore the crash\n');
  });
});

describe('LogBook.follow (kubectl logs -f)', () => {
  it('hears every line the instance writes from now on, past the 5,000 kept, and nothing of the next instance', () => {
    const book = new LogBook();
    book.started('u', 'c', 1, [{ t: 0, text: 'before' }]);
    const heard: string[] = [];
    const stop = book.follow('u', 'c', (l) => heard.push(l.text));
    for (let i = 0; i < 6000; i++) book.append('u', 'c', { t: i, text: `line ${i}` });
    expect(heard).toHaveLength(6000);
    expect(heard[5999]).toBe('line 5999');
    expect(book.read('u', 'c', false)).toHaveLength(5000);
    book.started('u', 'c', 2, []);
    book.append('u', 'c', { t: 7000, text: 'restarted' });
    expect(heard).toHaveLength(6000);
    stop();
  });
});

describe('image profiles', () => {
  it('knows the shells and tools of the common images', () => {
    expect(imageProfile('busybox:1.36').tools).toContain('nslookup');
    expect(imageProfile('busybox:1.36').tools).not.toContain('curl');
    expect(imageProfile('nginx:1.27').tools).toContain('curl');
    expect(imageProfile('nginx:1.27').prompt).toBe('dash');
    expect(imageProfile('nicolaka/netshoot').workdir).toBe('/root');
    expect(imageProfile('registry.k8s.io/coredns/coredns:v1.12.1').shells).toEqual([]);
  });
});
