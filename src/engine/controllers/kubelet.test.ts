// Kubelet behaviour checked against upstream pkg/kubelet (kuberuntime_manager.go doBackOff and
// computePodActions, prober/worker.go, kubelet_pods.go getPhase, status/generate.go) and
// client-go's flowcontrol.Backoff (10s doubling, 5m cap).
import { describe, expect, it } from 'vitest';
import { createCluster, goDuration, type Cluster, type EndpointSlice, type Pod } from '../index';
import { podPhase } from './kubelet';

const val = <T>(r: { ok: boolean; value?: unknown; error?: unknown }): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value as T;
};
const pods = (c: Cluster, sel?: string) => val<Pod[]>(c.list('Pod', { namespace: 'default', labelSelector: sel }));
const deploy = (name: string, container: string, replicas = 1) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [${container}]
`;

describe('goDuration (time.Duration.String)', () => {
  it('formats like Go', () => {
    expect([0, 854, 1500, 10_000, 80_000, 160_000, 300_000, 3_600_000].map(goDuration)).toEqual(['0s', '854ms', '1.5s', '10s', '1m20s', '2m40s', '5m0s', '1h0m0s']);
  });
});

describe('getPhase', () => {
  const spec = (restartPolicy: 'Always' | 'OnFailure' | 'Never') => ({ restartPolicy, containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'x' }] });
  const term = (name: string, exitCode: number) => ({ name, image: 'x', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode } }, lastState: {} });
  const run = (name: string) => ({ name, image: 'x', imageID: '', ready: true, restartCount: 0, state: { running: { startedAt: '' } }, lastState: {} });
  it('follows kubelet_pods.go', () => {
    expect(podPhase(spec('Never'), [term('a', 0), term('b', 0)])).toBe('Succeeded');
    expect(podPhase(spec('Never'), [term('a', 0), term('b', 1)])).toBe('Failed');
    expect(podPhase(spec('OnFailure'), [term('a', 0), term('b', 1)])).toBe('Running'); // restarting b
    expect(podPhase(spec('Always'), [term('a', 0), term('b', 0)])).toBe('Running');
    expect(podPhase(spec('Never'), [run('a'), term('b', 1)])).toBe('Running');
    expect(podPhase(spec('Always'), [run('a')])).toBe('Pending'); // b unknown
  });
});

describe('containers that exit', () => {
  it('busybox with nothing to run crash-loops with 10s, 20s, 40s … back-off (restartPolicy Always)', () => {
    const c = createCluster();
    c.apply(deploy('bb', '{name: busybox, image: "busybox:1.36"}'));
    const seen: string[] = [];
    for (let i = 0; i < 120; i++) {
      const cs = pods(c)[0]!.status!.containerStatuses![0]!;
      const line = `${cs.restartCount} ${cs.state.waiting?.reason ?? Object.keys(cs.state)[0]} ${cs.state.waiting?.message?.split(' ')[1] ?? ''}`;
      if (seen[seen.length - 1] !== line) seen.push(line);
      c.tick(1000);
    }
    // First exit restarts at once (no back-off entry yet), then 10s, 20s, 40s, 1m20s.
    expect(seen).toEqual(['0 ContainerCreating ', '1 CrashLoopBackOff 10s', '2 CrashLoopBackOff 20s', '3 CrashLoopBackOff 40s', '4 CrashLoopBackOff 1m20s']);
    const p = pods(c)[0]!;
    const cs = p.status!.containerStatuses![0]!;
    expect(p.status!.phase).toBe('Running');
    expect(cs.lastState.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(cs.state.waiting!.message).toBe(`back-off 1m20s restarting failed container=busybox pod=${p.metadata.name}_default(${p.metadata.uid})`);
    const backoff = c.events({ name: p.metadata.name }).find((e) => e.reason === 'BackOff')!;
    expect(backoff.type).toBe('Warning');
    expect(backoff.message).toBe(`Back-off restarting failed container busybox in pod ${p.metadata.name}_default(${p.metadata.uid})`);
    expect(backoff.count).toBeGreaterThan(3); // aggregated: one row, counted
    const started = c.events({ name: p.metadata.name }).find((e) => e.reason === 'Started')!;
    expect(started.count).toBe(5);
    expect(Date.parse(started.lastTimestamp) - Date.parse(started.firstTimestamp)).toBe(70_000); // last start at 0+10+20+40s
    const ready = p.status!.conditions!.find((x) => x.type === 'Ready')!;
    expect(ready).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [busybox]' });
  });

  it('the back-off caps at 5m', () => {
    const c = createCluster();
    c.apply(deploy('bb', '{name: busybox, image: "busybox:1.36"}'));
    c.tick(40 * 60_000);
    const cs = pods(c)[0]!.status!.containerStatuses![0]!;
    expect(cs.state.waiting?.message ?? 'back-off 5m0s').toContain('back-off 5m0s ');
  });

  it('restartPolicy Never: exit 0 → Succeeded (Completed), exit 3 → Failed (Error)', () => {
    const c = createCluster();
    c.apply('apiVersion: v1\nkind: Pod\nmetadata: {name: once}\nspec:\n  restartPolicy: Never\n  containers: [{name: c, image: "busybox:1.36", command: [sh, -c, "sleep 5; echo done"]}]\n');
    c.apply('apiVersion: v1\nkind: Pod\nmetadata: {name: fails}\nspec:\n  restartPolicy: Never\n  containers: [{name: c, image: "busybox:1.36", command: [sh, -c, "exit 3"]}]\n');
    c.tick(3000);
    expect(val<Pod>(c.get('po', 'default', 'once')).status!.phase).toBe('Running');
    c.tick(5000);
    const once = val<Pod>(c.get('po', 'default', 'once'));
    expect(once.status!.phase).toBe('Succeeded');
    expect(once.status!.containerStatuses![0]!.state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(once.status!.conditions!.find((x) => x.type === 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
    const fails = val<Pod>(c.get('po', 'default', 'fails'));
    expect(fails.status!.phase).toBe('Failed');
    expect(fails.status!.containerStatuses![0]!.state.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(fails.status!.containerStatuses![0]!.restartCount).toBe(0);
  });

  it('restartPolicy OnFailure restarts a failing container but not a succeeded one', () => {
    const c = createCluster();
    c.apply('apiVersion: v1\nkind: Pod\nmetadata: {name: ok}\nspec:\n  restartPolicy: OnFailure\n  containers: [{name: c, image: "busybox:1.36", command: ["true"]}]\n');
    c.apply('apiVersion: v1\nkind: Pod\nmetadata: {name: bad}\nspec:\n  restartPolicy: OnFailure\n  containers: [{name: c, image: "busybox:1.36", command: ["false"]}]\n');
    c.tick(15_000);
    expect(val<Pod>(c.get('po', 'default', 'ok')).status!.phase).toBe('Succeeded');
    const bad = val<Pod>(c.get('po', 'default', 'bad'));
    expect(bad.status!.phase).toBe('Running');
    expect(bad.status!.containerStatuses![0]!.restartCount).toBeGreaterThanOrEqual(2);
    expect(bad.status!.containerStatuses![0]!.lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
  });

  it('a shell kept open on stdin (kubectl run -it) keeps running', () => {
    const c = createCluster();
    c.apply('apiVersion: v1\nkind: Pod\nmetadata: {name: sh}\nspec:\n  restartPolicy: Never\n  containers: [{name: sh, image: busybox, stdin: true, tty: true}]\n');
    c.tick(60_000);
    expect(val<Pod>(c.get('po', 'default', 'sh')).status!.phase).toBe('Running');
  });

  it('a one-shot command an attached client runs (kubectl run -i) ends with the status the client reports; a restart does it again', () => {
    const c = createCluster();
    // What kubectl run -i creates: stdin kept open once, restartPolicy OnFailure.
    c.apply('apiVersion: v1\nkind: Pod\nmetadata: {name: q}\nspec:\n  restartPolicy: OnFailure\n  containers: [{name: q, image: "busybox:1.36", args: [nslookup, nope], stdin: true, stdinOnce: true}]\n');
    c.tick(30_000);
    // Held for the client: nothing decided the tool's exit yet.
    expect(val<Pod>(c.get('po', 'default', 'q')).status!.containerStatuses![0]!.state.running).toBeDefined();
    val(c.appendLog('default', 'q', "** server can't find nope.default.svc.cluster.local: NXDOMAIN\n"));
    val(c.setAppState('default', 'q', { exitCode: 1 }));
    c.tick(60_000);
    const q = val<Pod>(c.get('po', 'default', 'q'));
    const cs = q.status!.containerStatuses![0]!;
    expect(cs.restartCount).toBeGreaterThanOrEqual(2);
    expect(cs.lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(val<string>(c.logs('default', 'q'))).toBe("** server can't find nope.default.svc.cluster.local: NXDOMAIN\n");
  });

  it('a command without a client (no stdin) runs on its own', () => {
    const c = createCluster();
    c.apply('apiVersion: v1\nkind: Pod\nmetadata: {name: q}\nspec:\n  restartPolicy: Never\n  containers: [{name: q, image: "busybox:1.36", args: [sh, -c, "echo hi"]}]\n');
    c.tick(30_000);
    expect(val<Pod>(c.get('po', 'default', 'q')).status!.phase).toBe('Succeeded');
    expect(val<string>(c.logs('default', 'q'))).toBe('hi\n');
  });
});

describe('probes', () => {
  it('a liveness probe nginx answers 404 kills and restarts the container', () => {
    const c = createCluster();
    c.apply(deploy('web', '{name: nginx, image: "nginx:1.27", livenessProbe: {httpGet: {path: /healthz, port: 80}, periodSeconds: 5}}'));
    c.tick(30_000);
    const p = pods(c)[0]!;
    const ev = c.events({ name: p.metadata.name });
    const unhealthy = ev.find((e) => e.reason === 'Unhealthy')!;
    expect(unhealthy.message).toBe('Liveness probe failed: HTTP probe failed with statuscode: 404');
    expect(unhealthy.type).toBe('Warning');
    expect(unhealthy.involvedObject.fieldPath).toBe('spec.containers{nginx}');
    const killing = ev.find((e) => e.reason === 'Killing')!;
    expect(killing.message).toBe('Container nginx failed liveness probe, will be restarted');
    const cs = p.status!.containerStatuses![0]!;
    expect(cs.restartCount).toBeGreaterThanOrEqual(1);
    // nginx exits on SIGTERM: exit code 0, Completed.
    expect(cs.lastState.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
  });

  it('readiness follows the app: setAppState({ready:false}) empties the endpoints after failureThreshold probes', () => {
    const c = createCluster();
    c.apply(deploy('web', '{name: nginx, image: "nginx:1.27", ports: [{containerPort: 80}], readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 5, failureThreshold: 3}}', 2));
    c.apply('apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n');
    c.tick(10_000);
    const readyCount = () => val<EndpointSlice[]>(c.list('endpointslices', { namespace: 'default', labelSelector: 'kubernetes.io/service-name=web' }))[0]!.endpoints!.filter((e) => e.conditions.ready).length;
    expect(readyCount()).toBe(2);
    const victim = pods(c)[0]!.metadata.name;
    const st = val<{ ready: boolean; running: boolean; listens: unknown[] }>(c.setAppState('default', victim, { ready: false }));
    expect(st).toMatchObject({ ready: false, running: true });
    c.tick(10_000); // two failures: still ready (failureThreshold 3)
    expect(readyCount()).toBe(2);
    c.tick(5_000);
    expect(readyCount()).toBe(1);
    const ev = c.events({ name: victim }).find((e) => e.reason === 'Unhealthy')!;
    expect(ev.message).toBe('Readiness probe failed: HTTP probe failed with statuscode: 503');
    expect(ev.count).toBe(3);
    c.setAppState('default', victim, { ready: true });
    c.tick(5_000); // successThreshold 1
    expect(readyCount()).toBe(2);
  });

  it('listening:false refuses connections; exitCode crashes the process', () => {
    const c = createCluster();
    c.apply(deploy('web', '{name: nginx, image: "nginx:1.27", readinessProbe: {tcpSocket: {port: 80}, periodSeconds: 2, failureThreshold: 1}}'));
    c.tick(10_000);
    const p = pods(c)[0]!;
    c.setAppState('default', p.metadata.name, { listening: false });
    c.tick(2_000);
    const ev = c.events({ name: p.metadata.name }).find((e) => e.reason === 'Unhealthy')!;
    expect(ev.message).toBe(`Readiness probe failed: dial tcp ${p.status!.podIP}:80: connect: connection refused`);
    expect(val<{ listens: unknown[] }>(c.appState('default', p.metadata.name)).listens).toEqual([]);
    c.setAppState('default', p.metadata.name, { listening: true, exitCode: 2 });
    const after = val<Pod>(c.get('po', 'default', p.metadata.name)).status!.containerStatuses![0]!;
    expect(after.restartCount).toBe(1);
    expect(after.lastState.terminated).toMatchObject({ exitCode: 2, reason: 'Error' });
    const nf = c.setAppState('default', 'nope', { ready: false });
    expect(!nf.ok && nf.error.message).toBe('pods "nope" not found');
  });

  it('a startup probe holds liveness and readiness back until it succeeds', () => {
    const c = createCluster();
    c.apply(deploy('web', '{name: nginx, image: "nginx:1.27", startupProbe: {httpGet: {path: /, port: 80}, initialDelaySeconds: 20, periodSeconds: 5}, livenessProbe: {httpGet: {path: /, port: 80}}}'));
    c.tick(15_000);
    let cs = pods(c)[0]!.status!.containerStatuses![0]!;
    expect(cs).toMatchObject({ started: false, ready: false });
    c.tick(10_000);
    cs = pods(c)[0]!.status!.containerStatuses![0]!;
    expect(cs).toMatchObject({ started: true, ready: true });
  });
});
