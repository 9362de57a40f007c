import { describe, expect, it } from 'vitest';
import { createCluster, type Cluster, type ConfigMap, type ControllerRevision, type DaemonSet, type Pod } from '../index';

const NS = 'kube-system';

function pods(c: Cluster, sel = 'k8s-app=kube-proxy'): Pod[] {
  const r = c.list<Pod>('Pod', { namespace: NS, labelSelector: sel });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

function revisions(c: Cluster, name = 'kube-proxy'): ControllerRevision[] {
  const r = c.list<ControllerRevision>('ControllerRevision', { namespace: NS });
  if (!r.ok) throw new Error(r.error.message);
  return r.value.filter((cr) => cr.metadata.ownerReferences?.[0]?.name === name).sort((a, b) => a.revision - b.revision);
}

function ds(c: Cluster, name = 'kube-proxy'): DaemonSet {
  const r = c.get<DaemonSet>('DaemonSet', NS, name);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const ok = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

/** Step the clock and record, at every step, how many nodes lack an available kube-proxy. */
function stepUntilDone(c: Cluster, maxMs = 120_000): { maxUnavailable: number; maxPodsOnANode: number } {
  let maxUnavailable = 0;
  let maxPodsOnANode = 0;
  for (let t = 0; t < maxMs; t += 250) {
    const st = ds(c).status!;
    maxUnavailable = Math.max(maxUnavailable, st.numberUnavailable ?? 0);
    const perNode = new Map<string, number>();
    for (const p of pods(c)) perNode.set(p.spec.nodeName!, (perNode.get(p.spec.nodeName!) ?? 0) + 1);
    maxPodsOnANode = Math.max(maxPodsOnANode, ...perNode.values());
    if (ok(c.rolloutStatus(NS, 'kube-proxy', { kind: 'DaemonSet' })).done && pods(c).every((p) => !p.metadata.deletionTimestamp)) break;
    c.tick(250);
  }
  return { maxUnavailable, maxPodsOnANode };
}

describe('DaemonSet controller: history and rolling updates (pkg/controller/daemon)', () => {
  it('records the template as ControllerRevision 1 and labels pods with its hash and the template generation', () => {
    const c = createCluster({ seed: 1 });
    const [cr, ...rest] = revisions(c);
    expect(rest).toEqual([]);
    expect(cr!.revision).toBe(1);
    const hash = cr!.metadata.labels!['controller-revision-hash']!;
    expect(cr!.metadata.name).toBe(`kube-proxy-${hash}`);
    expect(cr!.metadata.labels!['k8s-app']).toBe('kube-proxy');
    expect(cr!.metadata.annotations?.['deprecated.daemonset.template.generation']).toBe('1');
    expect((cr!.data as { spec: { template: { $patch: string } } }).spec.template.$patch).toBe('replace');
    for (const p of pods(c)) {
      expect(p.metadata.labels).toMatchObject({ 'controller-revision-hash': hash, 'pod-template-generation': '1' });
    }
    expect(ok(c.rolloutStatus(NS, 'kube-proxy', { kind: 'DaemonSet' })).line).toBe('daemon set "kube-proxy" successfully rolled out');
  });

  it('rollout restart replaces the pods node by node (maxUnavailable 1, maxSurge 0), with events', () => {
    const c = createCluster({ seed: 2 });
    const before = pods(c).map((p) => p.metadata.name);
    expect(ok(c.rolloutRestart(NS, 'kube-proxy', { kind: 'DaemonSet' }))).toBe('daemonset.apps/kube-proxy restarted');
    // One old pod is terminating at once; its node gets no new pod until it is gone.
    const now = pods(c);
    expect(now.filter((p) => p.metadata.deletionTimestamp)).toHaveLength(1);
    expect(now).toHaveLength(3);
    expect(ok(c.rolloutStatus(NS, 'kube-proxy', { kind: 'DaemonSet' })).line).toBe('Waiting for daemon set "kube-proxy" rollout to finish: 0 out of 3 new pods have been updated...');
    const { maxUnavailable, maxPodsOnANode } = stepUntilDone(c);
    expect(maxUnavailable).toBe(1);
    expect(maxPodsOnANode).toBe(1);
    const after = pods(c);
    expect(after).toHaveLength(3);
    expect(after.some((p) => before.includes(p.metadata.name))).toBe(false);
    const [r1, r2] = revisions(c);
    expect(r2!.revision).toBe(2);
    for (const p of after) {
      expect(p.metadata.labels!['controller-revision-hash']).toBe(r2!.metadata.labels!['controller-revision-hash']);
      expect(p.metadata.labels!['pod-template-generation']).toBe('2');
      expect(p.metadata.annotations?.['kubectl.kubernetes.io/restartedAt']).toBeDefined();
    }
    expect(r1!.revision).toBe(1);
    const events = c.events({ namespace: NS, kind: 'DaemonSet', name: 'kube-proxy' }).map((e) => `${e.reason} ${e.message}`);
    expect(events.filter((e) => e.startsWith('SuccessfulDelete')).sort()).toEqual(before.map((n) => `SuccessfulDelete Deleted pod: ${n}`).sort());
    expect(events.filter((e) => e.startsWith('SuccessfulCreate'))).toHaveLength(6);
    const st = ds(c).status!;
    expect(st).toMatchObject({ desiredNumberScheduled: 3, currentNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3, numberReady: 3 });
    expect(st.numberUnavailable).toBeUndefined();
  });

  it('switches kube-proxy to IPVS the admin way: ConfigMap edit, then rollout restart', () => {
    const c = createCluster({ seed: 3 });
    const cm = ok(c.get<ConfigMap>('ConfigMap', NS, 'kube-proxy'));
    ok(c.patch('ConfigMap', NS, 'kube-proxy', { data: { 'config.conf': cm.data!['config.conf']!.replace(/^mode: iptables$/m, 'mode: ipvs') } }));
    c.tick(5_000);
    const worker = ok(c.node('worker'));
    expect(worker.link('kube-ipvs0')).toBeUndefined();
    ok(c.rolloutRestart(NS, 'kube-proxy', { kind: 'DaemonSet' }));
    const w = ok(c.watchRolloutStatus(NS, 'kube-proxy', { kind: 'DaemonSet' }));
    expect(w.done).toBe(true);
    expect(w.lines[0]).toBe('Waiting for daemon set "kube-proxy" rollout to finish: 0 out of 3 new pods have been updated...');
    expect(w.lines.at(-1)).toBe('daemon set "kube-proxy" successfully rolled out');
    for (const l of w.lines.slice(1, -1)) expect(l).toMatch(/^Waiting for daemon set "kube-proxy" rollout to finish: (\d out of 3 new pods have been updated|\d of 3 updated pods are available)\.\.\.$/);
    expect(worker.ipvs.getService('TCP', '10.96.0.1', 443)).toBeDefined();
    const p = pods(c).find((x) => x.spec.nodeName === 'worker')!;
    expect(ok(c.logs(NS, p.metadata.name))).toContain('"Using ipvs Proxier"');
  });

  it('OnDelete: a template change replaces a pod only when it is deleted; rollout status refuses', () => {
    const c = createCluster({ seed: 4 });
    ok(c.patch('DaemonSet', NS, 'kube-proxy', { spec: { updateStrategy: { type: 'OnDelete', rollingUpdate: null } } }, 'merge'));
    ok(c.rolloutRestart(NS, 'kube-proxy', { kind: 'DaemonSet' }));
    c.tick(30_000);
    const hash2 = revisions(c)[1]!.metadata.labels!['controller-revision-hash'];
    expect(pods(c).filter((p) => p.metadata.labels!['controller-revision-hash'] === hash2)).toHaveLength(0);
    expect(ds(c).status!.updatedNumberScheduled ?? 0).toBe(0);
    const st = c.rolloutStatus(NS, 'kube-proxy', { kind: 'DaemonSet' });
    expect(!st.ok && st.error.message).toBe('rollout status is only available for RollingUpdate strategy type');
    const victim = pods(c).find((p) => p.spec.nodeName === 'worker2')!;
    ok(c.delete('Pod', NS, victim.metadata.name));
    c.tick(10_000);
    const onWorker2 = pods(c).filter((p) => p.spec.nodeName === 'worker2');
    expect(onWorker2).toHaveLength(1);
    expect(onWorker2[0]!.metadata.labels!['controller-revision-hash']).toBe(hash2);
    expect(ds(c).status!.updatedNumberScheduled).toBe(1);
  });

  it('undo restores an old revision, which is renumbered (constructHistory), and says so like kubectl', () => {
    const c = createCluster({ seed: 5 });
    const undo0 = c.rolloutUndo(NS, 'kube-proxy', undefined, { kind: 'DaemonSet' });
    expect(!undo0.ok && undo0.error.message).toBe('no last revision to roll back to');
    ok(c.rolloutRestart(NS, 'kube-proxy', { kind: 'DaemonSet' }));
    c.tick(30_000);
    const hash1 = revisions(c)[0]!.metadata.labels!['controller-revision-hash'];
    expect(ok(c.rolloutUndo(NS, 'kube-proxy', 2, { kind: 'DaemonSet' })).message).toBe('daemonset.apps/kube-proxy skipped rollback (current template already matches revision 2)');
    const missing = c.rolloutUndo(NS, 'kube-proxy', 7, { kind: 'DaemonSet' });
    expect(!missing.ok && missing.error.message).toBe('unable to find specified revision 7 in history');
    expect(ok(c.rolloutUndo(NS, 'kube-proxy', undefined, { kind: 'DaemonSet' })).message).toBe('daemonset.apps/kube-proxy rolled back');
    c.tick(30_000);
    expect(ok(c.rolloutHistory(NS, 'kube-proxy', { kind: 'DaemonSet' })).map((r) => r.revision)).toEqual([2, 3]);
    expect(revisions(c).find((r) => r.revision === 3)!.metadata.labels!['controller-revision-hash']).toBe(hash1);
    for (const p of pods(c)) expect(p.metadata.labels!['controller-revision-hash']).toBe(hash1);
    expect(ds(c).spec.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']).toBeUndefined();
  });

  it('keeps revisionHistoryLimit old revisions', () => {
    const c = createCluster({ seed: 6 });
    ok(c.patch('DaemonSet', NS, 'kube-proxy', { spec: { revisionHistoryLimit: 1 } }, 'merge'));
    for (let i = 0; i < 3; i++) {
      c.tick(2_000);
      ok(c.rolloutRestart(NS, 'kube-proxy', { kind: 'DaemonSet' }));
      c.tick(30_000);
    }
    expect(revisions(c).map((r) => r.revision)).toEqual([3, 4]);
  });

  it('maxSurge 1 / maxUnavailable 0 starts the new pod beside the old one', () => {
    const c = createCluster({ seed: 7 });
    ok(c.patch('DaemonSet', NS, 'kube-proxy', { spec: { updateStrategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } } }));
    ok(c.rolloutRestart(NS, 'kube-proxy', { kind: 'DaemonSet' }));
    expect(pods(c)).toHaveLength(4);
    const { maxUnavailable, maxPodsOnANode } = stepUntilDone(c);
    expect(maxUnavailable).toBe(0);
    expect(maxPodsOnANode).toBe(2);
    expect(pods(c)).toHaveLength(3);
  });
});
