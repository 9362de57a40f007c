// Rolling updates step by step, checked against pkg/controller/deployment/rolling.go
// (NewRSNewReplicas, reconcileOldReplicaSets) and the kubectl rollout helpers
// (polymorphichelpers/rollout_status.go, history.go, rollback.go, objectrestarter.go).
import { describe, expect, it } from 'vitest';
import { createCluster, formatKubectlError, type Cluster, type Deployment, type Pod, type ReplicaSet } from '../index';
import { scaled } from './deployment';

const val = <T>(r: { ok: boolean; value?: unknown; error?: unknown }): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value as T;
};
const web = (o: { replicas?: number; image?: string; strategy?: string; cause?: string; readiness?: boolean } = {}) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
${o.cause ? `  annotations: {kubernetes.io/change-cause: "${o.cause}"}\n` : ''}spec:
  replicas: ${o.replicas ?? 4}
${o.strategy ? `  strategy: ${o.strategy}\n` : ''}  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: "${o.image ?? 'nginx:1.27'}"${o.readiness ? ', readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 2}' : ''}}]
`;
const live = (c: Cluster) => val<Pod[]>(c.list('Pod', { namespace: 'default', labelSelector: 'app=web' })).filter((p) => !p.metadata.deletionTimestamp);
const scalingEvents = (c: Cluster) => c.events({ kind: 'Deployment', name: 'web' }).filter((e) => e.reason === 'ScalingReplicaSet');

describe('intstr scaling (GetScaledValueFromIntOrPercent)', () => {
  it('rounds maxSurge up and maxUnavailable down', () => {
    expect(scaled('25%', 4, true)).toBe(1);
    expect(scaled('25%', 10, true)).toBe(3);
    expect(scaled('25%', 10, false)).toBe(2);
    expect(scaled(2, 10, true)).toBe(2);
  });
});

describe('rolling update', () => {
  it('defaults (25%/25% of 4 → surge 1, unavailable 1): first steps: new RS 0→1, old 4→3, new 1→2', () => {
    const c = createCluster();
    c.apply(web({ readiness: true }));
    c.tick(15_000);
    const [oldRS] = val<ReplicaSet[]>(c.list('rs', { namespace: 'default' }));
    c.apply(web({ image: 'nginx:1.28', readiness: true }));
    const newRS = val<ReplicaSet[]>(c.list('rs', { namespace: 'default' })).find((r) => r.metadata.uid !== oldRS!.metadata.uid)!;
    const msgs = scalingEvents(c).map((e) => e.message);
    // Then, with 4 pods again (< 4 + maxSurge), the new RS may grow to 2; with two new pods
    // unavailable, maxScaledDown = 5 - 3 - 2 = 0 and the old RS waits for readiness.
    expect(msgs.slice(1)).toEqual([
      `Scaled up replica set ${newRS.metadata.name} from 0 to 1`,
      `Scaled down replica set ${oldRS!.metadata.name} from 4 to 3`,
      `Scaled up replica set ${newRS.metadata.name} from 1 to 2`,
    ]);
    // Step by step: never more than replicas+maxSurge pods, never fewer than replicas-maxUnavailable available.
    for (let t = 0; t < 60; t++) {
      const pods = live(c);
      expect(pods.length).toBeLessThanOrEqual(5);
      const d = val<Deployment>(c.get('deploy', 'default', 'web'));
      expect(d.status!.availableReplicas ?? 0).toBeGreaterThanOrEqual(3);
      c.tick(1000);
    }
    const d = val<Deployment>(c.get('deploy', 'default', 'web'));
    expect(d.status).toMatchObject({ replicas: 4, updatedReplicas: 4, readyReplicas: 4, availableReplicas: 4 });
    const rs = val<ReplicaSet[]>(c.list('rs', { namespace: 'default' }));
    expect(Object.fromEntries(rs.map((r) => [r.metadata.annotations!['deployment.kubernetes.io/revision'], r.spec.replicas]))).toEqual({ '1': 0, '2': 4 });
    // Scale-ups of the new RS and scale-downs of the old alternate, one pod at a time here.
    const steps = scalingEvents(c).slice(1).map((e) => e.message.replace(/ replica set \S+/, ''));
    expect(steps.filter((s) => s.startsWith('Scaled up')).length).toBeGreaterThanOrEqual(3);
    expect(steps[steps.length - 1]).toMatch(/^Scaled down from \d to 0$/);
  });

  it('maxSurge 0, maxUnavailable 1: scales the old RS down first', () => {
    const c = createCluster();
    const strategy = '{type: RollingUpdate, rollingUpdate: {maxSurge: 0, maxUnavailable: 1}}';
    c.apply(web({ strategy }));
    c.tick(10_000);
    c.apply(web({ strategy, image: 'nginx:1.28' }));
    const msgs = scalingEvents(c).slice(1).map((e) => e.message);
    expect(msgs[0]).toMatch(/^Scaled down replica set web-\w+ from 4 to 3$/);
    expect(msgs[1]).toMatch(/^Scaled up replica set web-\w+ from 0 to 1$/);
    for (let t = 0; t < 30; t++) {
      expect(live(c).length).toBeLessThanOrEqual(4);
      c.tick(1000);
    }
  });

  it('Recreate: all old pods go before any new one is created', () => {
    const c = createCluster();
    c.apply(web({ strategy: '{type: Recreate}' }));
    c.tick(10_000);
    c.apply(web({ strategy: '{type: Recreate}', image: 'nginx:1.28' }));
    const msgs = scalingEvents(c).slice(1).map((e) => e.message);
    expect(msgs).toEqual([expect.stringMatching(/^Scaled down replica set web-\w+ from 4 to 0$/)]);
    c.tick(5_000);
    expect(scalingEvents(c).slice(2).map((e) => e.message)).toEqual([expect.stringMatching(/^Scaled up replica set web-\w+ from 0 to 4$/)]);
  });
});

describe('kubectl rollout', () => {
  it('status prints the lines of rollout_status.go at each step', () => {
    const c = createCluster();
    c.apply(web({ replicas: 3, readiness: true }));
    const first = val<{ lines: string[]; done: boolean }>(c.watchRolloutStatus('default', 'web'));
    expect(first.done).toBe(true);
    expect(first.lines[first.lines.length - 1]).toBe('deployment "web" successfully rolled out');
    expect(first.lines.every((l) => /^Waiting for deployment "web" rollout to finish: (\d+ out of 3 new replicas have been updated|\d+ old replicas are pending termination|\d+ of 3 updated replicas are available)\.\.\.$|^deployment "web" successfully rolled out$/.test(l))).toBe(true);
    c.apply(web({ replicas: 3, readiness: true, image: 'nginx:1.28' }));
    expect(val<{ line: string }>(c.rolloutStatus('default', 'web')).line).toBe('Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...');
    const w = val<{ lines: string[]; done: boolean }>(c.watchRolloutStatus('default', 'web'));
    expect(w.done).toBe(true);
    const kinds = w.lines.map((l) => (l.includes('new replicas have been updated') ? 'updated' : l.includes('pending termination') ? 'old' : l.includes('are available') ? 'available' : 'done'));
    // The three waits come in upstream's order of checks, then success.
    const order = ['updated', 'old', 'available', 'done'];
    for (let i = 1; i < kinds.length; i++) expect(order.indexOf(kinds[i]!)).toBeGreaterThanOrEqual(order.indexOf(kinds[i - 1]!));
    expect(w.lines).toContain('Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...');
    expect(kinds[kinds.length - 1]).toBe('done');
  });

  it('status warns about a crash-looping pod like appendWarning', () => {
    const c = createCluster();
    c.apply(web({ replicas: 1 }).replace('image: "nginx:1.27"', 'image: "busybox:1.36"'));
    c.tick(15_000);
    const line = val<{ line: string }>(c.rolloutStatus('default', 'web')).line;
    expect(line).toMatch(/^Waiting for deployment "web" rollout to finish: 0 of 1 updated replicas are available\.\.\. \(Warning: CrashLoopBackOff - back-off \d+s restarting failed container=nginx pod=web-\w+-\w+_default\(.+\)\)$/);
  });

  it('history, undo and restart', () => {
    const c = createCluster();
    c.apply(web({ replicas: 2 }));
    c.tick(10_000);
    c.apply(web({ replicas: 2, image: 'nginx:1.28', cause: 'kubectl set image deployment/web nginx=nginx:1.28' }));
    c.tick(30_000);
    const h = val<{ revision: number; changeCause?: string; template: { metadata?: { labels?: Record<string, string> } } }[]>(c.rolloutHistory('default', 'web'));
    expect(h.map((r) => [r.revision, r.changeCause ?? '<none>'])).toEqual([[1, '<none>'], [2, 'kubectl set image deployment/web nginx=nginx:1.28']]);
    expect(h[0]!.template.metadata!.labels!['pod-template-hash']).toBeDefined();

    const nf = c.rolloutUndo('default', 'web', 9);
    expect(!nf.ok && formatKubectlError(nf.error)).toBe('error: unable to find specified revision 9 in history');
    const skip = val<{ message: string }>(c.rolloutUndo('default', 'web', 2));
    expect(skip.message).toBe('deployment.apps/web skipped rollback (current template already matches revision 2)');

    expect(val<{ message: string }>(c.rolloutUndo('default', 'web')).message).toBe('deployment.apps/web rolled back');
    c.tick(30_000);
    const d = val<Deployment>(c.get('deploy', 'default', 'web'));
    expect(d.spec.template.spec.containers[0]!.image).toBe('nginx:1.27');
    expect(d.metadata.annotations!['deployment.kubernetes.io/revision']).toBe('3');
    const rs = val<ReplicaSet[]>(c.list('rs', { namespace: 'default' })).find((r) => r.spec.template.spec.containers[0]!.image === 'nginx:1.27')!;
    expect(rs.metadata.annotations).toMatchObject({ 'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/revision-history': '1' });
    expect(val<{ revision: number }[]>(c.rolloutHistory('default', 'web')).map((r) => r.revision)).toEqual([2, 3]);

    expect(val<string>(c.rolloutRestart('default', 'web'))).toBe('deployment.apps/web restarted');
    const again = c.rolloutRestart('default', 'web');
    expect(!again.ok && formatKubectlError(again.error)).toBe('error: failed to create patch for web: if restart has already been triggered within the past second, please wait before attempting to trigger another');
    const restarted = val<Deployment>(c.get('deploy', 'default', 'web'));
    expect(restarted.spec.template.metadata!.annotations!['kubectl.kubernetes.io/restartedAt']).toBe(new Date(c.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'));
    c.tick(60_000);
    expect(val<{ revision: number }[]>(c.rolloutHistory('default', 'web')).map((r) => r.revision)).toEqual([2, 3, 4]);
    const gone = c.rolloutHistory('default', 'nope');
    expect(!gone.ok && formatKubectlError(gone.error)).toBe('Error from server (NotFound): deployments.apps "nope" not found');
  });
});
