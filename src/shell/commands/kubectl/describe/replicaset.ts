/** describeReplicaSet and describeNamespace (k8s.io/kubectl/pkg/describe). */
import type { Cluster, Event, KubeObject, Pod, ReplicaSet } from '../../../../engine';
import { formatLabelSelector } from '../printers/labels';
import { describePodTemplate } from './deployment';
import { annotationsMultiline, controllerOf, describeEvents, DescribeWriter, labelsMultiline } from './writer';

export function describeReplicaSet(rs: ReplicaSet, cluster: Cluster, events: Event[]): string {
  const w = new DescribeWriter();
  w.write(0, `Name:\t${rs.metadata.name}\n`);
  w.write(0, `Namespace:\t${rs.metadata.namespace}\n`);
  const selector = formatLabelSelector(rs.spec.selector);
  w.write(0, `Selector:\t${selector}\n`);
  labelsMultiline(w, 'Labels', rs.metadata.labels);
  annotationsMultiline(w, 'Annotations', rs.metadata.annotations);
  const ctl = controllerOf(rs);
  if (ctl) w.write(0, `Controlled By:\t${ctl}\n`);
  w.write(0, `Replicas:\t${rs.status?.replicas ?? 0} current / ${rs.spec.replicas ?? 1} desired\n`);
  const pods = cluster.list<Pod>('Pod', { namespace: rs.metadata.namespace, ...(selector !== '<none>' ? { labelSelector: selector } : {}) });
  const owned = (pods.ok ? pods.value : []).filter((p) => p.metadata.ownerReferences?.some((o) => o.uid === rs.metadata.uid));
  const count = (phase: string) => owned.filter((p) => (p.status?.phase ?? 'Pending') === phase).length;
  w.write(0, `Pods Status:\t${count('Running')} Running / ${count('Pending')} Waiting / ${count('Succeeded')} Succeeded / ${count('Failed')} Failed\n`);
  describePodTemplate(w, rs.spec.template);
  describeEvents(w, events, cluster.now());
  return w.toString();
}

export function describeNamespace(ns: KubeObject): string {
  const w = new DescribeWriter();
  w.write(0, `Name:\t${ns.metadata.name}\n`);
  labelsMultiline(w, 'Labels', ns.metadata.labels);
  annotationsMultiline(w, 'Annotations', ns.metadata.annotations);
  w.write(0, `Status:\t${(ns.status as { phase?: string } | undefined)?.phase ?? ''}\n`);
  // ResourceQuota and LimitRange are not served by this API server, so there are none.
  w.write(0, '\nNo resource quota.\n');
  w.write(0, '\nNo LimitRange resource.\n');
  return w.toString();
}
