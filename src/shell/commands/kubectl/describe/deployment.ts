/** describeDeployment, DescribePodTemplate (k8s.io/kubectl/pkg/describe). */
import type { Cluster, Deployment, Event, PodTemplateSpec, ReplicaSet } from '../../../../engine';
import { formatLabelSelector } from '../printers/labels';
import { describeContainers, describeVolumes, tolerationsMultiline } from './containers';
import { annotationsMultiline, describeEvents, DescribeWriter, labelsMultiline, rfc1123z } from './writer';

export function describePodTemplate(w: DescribeWriter, t: PodTemplateSpec): void {
  w.write(0, 'Pod Template:\n');
  labelsMultiline(w, '  Labels', t.metadata?.labels);
  if (Object.keys(t.metadata?.annotations ?? {}).length) annotationsMultiline(w, '  Annotations', t.metadata?.annotations);
  if (t.spec.serviceAccountName) w.write(1, `Service Account:\t${t.spec.serviceAccountName}\n`);
  if (t.spec.initContainers?.length) describeContainers(w, 'Init Containers', t.spec.initContainers, undefined, '  ');
  describeContainers(w, 'Containers', t.spec.containers, undefined, '  ');
  describeVolumes(w, t.spec.volumes, '  ');
  labelsMultiline(w, 'Node-Selectors', t.spec.nodeSelector, '  ');
  tolerationsMultiline(w, 'Tolerations', t.spec.tolerations, '  ');
  if (t.spec.priorityClassName) w.write(1, `Priority Class Name:\t${t.spec.priorityClassName}\n`);
}

/** intstr String(): 25% stays "25%", 1 prints "1". */
const intOrPercent = (v: number | string | undefined, d: string) => (v === undefined ? d : String(v));

export function describeDeployment(d: Deployment, cluster: Cluster, events: Event[]): string {
  const w = new DescribeWriter();
  const st = d.status ?? {};
  w.write(0, `Name:\t${d.metadata.name}\n`);
  w.write(0, `Namespace:\t${d.metadata.namespace}\n`);
  w.write(0, `CreationTimestamp:\t${rfc1123z(d.metadata.creationTimestamp)}\n`);
  labelsMultiline(w, 'Labels', d.metadata.labels);
  annotationsMultiline(w, 'Annotations', d.metadata.annotations);
  w.write(0, `Selector:\t${formatLabelSelector(d.spec.selector)}\n`);
  w.write(0, `Replicas:\t${d.spec.replicas ?? 1} desired | ${st.updatedReplicas ?? 0} updated | ${st.replicas ?? 0} total | ${st.availableReplicas ?? 0} available | ${st.unavailableReplicas ?? 0} unavailable\n`);
  const strategy = d.spec.strategy ?? {};
  w.write(0, `StrategyType:\t${strategy.type ?? 'RollingUpdate'}\n`);
  w.write(0, `MinReadySeconds:\t${d.spec.minReadySeconds ?? 0}\n`);
  if ((strategy.type ?? 'RollingUpdate') === 'RollingUpdate') {
    const ru = strategy.rollingUpdate ?? {};
    w.write(0, `RollingUpdateStrategy:\t${intOrPercent(ru.maxUnavailable, '25%')} max unavailable, ${intOrPercent(ru.maxSurge, '25%')} max surge\n`);
  }
  describePodTemplate(w, d.spec.template);
  if (st.conditions?.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\tReason\n');
    w.write(1, '----\t------\t------\n');
    for (const c of st.conditions) w.write(1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
  }
  const rsList = cluster.list<ReplicaSet>('ReplicaSet', { namespace: d.metadata.namespace });
  const owned = (rsList.ok ? rsList.value : []).filter((rs) => rs.metadata.ownerReferences?.some((o) => o.uid === d.metadata.uid));
  const templateHash = (rs: ReplicaSet) => rs.metadata.labels?.['pod-template-hash'];
  const newest = owned.find((rs) => rs.metadata.annotations?.['deployment.kubernetes.io/revision'] === d.metadata.annotations?.['deployment.kubernetes.io/revision']);
  const olds = owned.filter((rs) => rs !== newest && (rs.spec.replicas ?? 0) + (rs.status?.replicas ?? 0) > 0 && templateHash(rs) !== undefined);
  const fmt = (rss: ReplicaSet[]) => (rss.length ? rss.map((rs) => `${rs.metadata.name} (${rs.status?.replicas ?? 0}/${rs.spec.replicas ?? 0} replicas created)`).join(', ') : '<none>');
  w.write(0, `OldReplicaSets:\t${fmt(olds)}\n`);
  w.write(0, `NewReplicaSet:\t${fmt(newest ? [newest] : [])}\n`);
  describeEvents(w, events, cluster.now());
  return w.toString();
}
