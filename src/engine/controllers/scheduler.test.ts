// Scheduling as kube-scheduler reports it: spread over schedulable workers, the
// control-plane taint honoured, nodeSelector, and the FailedScheduling text
// ("0/3 nodes are available: … preemption: …", framework/types.go FitError).
import { describe, expect, it } from 'vitest';
import { createCluster, type Pod } from '../index';

const val = <T>(r: { ok: boolean; value?: unknown; error?: unknown }): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value as T;
};

describe('scheduler', () => {
  it('spreads replicas evenly over the two workers', () => {
    const c = createCluster();
    c.apply('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w}\nspec:\n  replicas: 6\n  selector: {matchLabels: {a: w}}\n  template:\n    metadata: {labels: {a: w}}\n    spec: {containers: [{name: c, image: nginx}]}\n');
    const per = new Map<string, number>();
    for (const p of val<Pod[]>(c.list('po', { namespace: 'default' }))) per.set(p.spec.nodeName!, (per.get(p.spec.nodeName!) ?? 0) + 1);
    expect([...per.entries()].sort()).toEqual([['worker', 3], ['worker2', 3]]);
  });

  it('explains an unschedulable pod like kube-scheduler and keeps it Pending', () => {
    const c = createCluster();
    c.apply('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  nodeSelector: {disk: ssd}\n  containers: [{name: c, image: nginx}]\n');
    const p = val<Pod>(c.get('po', 'default', 'p'));
    const msg = "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.";
    expect(p.status!.phase).toBe('Pending');
    expect(p.status!.conditions).toEqual([{ type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: expect.any(String), reason: 'Unschedulable', message: msg }]);
    const ev = c.events({ name: 'p' }).find((e) => e.reason === 'FailedScheduling')!;
    expect(ev).toMatchObject({ type: 'Warning', message: msg, source: { component: 'default-scheduler' } });
  });

  it('a pod tolerating the control-plane taint may land there; nodeName skips the scheduler', () => {
    const c = createCluster();
    c.apply('apiVersion: v1\nkind: Pod\nmetadata: {name: cp}\nspec:\n  nodeSelector: {kubernetes.io/hostname: control-plane}\n  tolerations: [{key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}]\n  containers: [{name: c, image: nginx}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: pinned}\nspec:\n  nodeName: worker2\n  containers: [{name: c, image: nginx}]\n');
    expect(val<Pod>(c.get('po', 'default', 'cp')).spec.nodeName).toBe('control-plane');
    expect(val<Pod>(c.get('po', 'default', 'pinned')).spec.nodeName).toBe('worker2');
    expect(c.events({ name: 'pinned' }).some((e) => e.reason === 'Scheduled')).toBe(false);
    expect(c.events({ name: 'cp' }).find((e) => e.reason === 'Scheduled')!.message).toBe('Successfully assigned default/cp to control-plane');
  });
});
