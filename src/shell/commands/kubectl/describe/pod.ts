/** describePod (k8s.io/kubectl/pkg/describe). */
import type { Cluster, Event, Pod } from '../../../../engine';
import { describeContainers, describeVolumes, tolerationsMultiline } from './containers';
import { annotationsMultiline, controllerOf, describeEvents, DescribeWriter, labelsMultiline, rfc1123z } from './writer';

/** qos.GetPodQOS, reduced to what our pods carry: no requests or limits → BestEffort. */
function qosClass(pod: Pod): string {
  if (pod.status?.qosClass) return pod.status.qosClass;
  const res = pod.spec.containers.map((c) => (c.resources ?? {}) as { requests?: object; limits?: object });
  if (res.every((r) => !r.requests && !r.limits)) return 'BestEffort';
  return 'Burstable';
}

export function describePod(pod: Pod, cluster: Cluster, events: Event[]): string {
  const w = new DescribeWriter();
  const st = pod.status ?? {};
  w.write(0, `Name:\t${pod.metadata.name}\n`);
  w.write(0, `Namespace:\t${pod.metadata.namespace}\n`);
  if (pod.spec.priority !== undefined) w.write(0, `Priority:\t${pod.spec.priority}\n`);
  if (pod.spec.priorityClassName) w.write(0, `Priority Class Name:\t${pod.spec.priorityClassName}\n`);
  if (pod.spec.serviceAccountName) w.write(0, `Service Account:\t${pod.spec.serviceAccountName}\n`);
  w.write(0, pod.spec.nodeName ? `Node:\t${pod.spec.nodeName}/${st.hostIP ?? ''}\n` : 'Node:\t<none>\n');
  if (st.startTime) w.write(0, `Start Time:\t${rfc1123z(st.startTime)}\n`);
  labelsMultiline(w, 'Labels', pod.metadata.labels);
  annotationsMultiline(w, 'Annotations', pod.metadata.annotations);
  if (pod.metadata.deletionTimestamp && st.phase !== 'Succeeded' && st.phase !== 'Failed') {
    const left = Math.max(0, Date.parse(pod.metadata.deletionTimestamp) - cluster.now());
    w.write(0, `Status:\tTerminating (lasts ${Math.floor(left / 1000)}s)\n`);
    w.write(0, `Termination Grace Period:\t${pod.metadata.deletionGracePeriodSeconds ?? 30}s\n`);
  } else w.write(0, `Status:\t${st.phase ?? ''}\n`);
  if (st.reason) w.write(0, `Reason:\t${st.reason}\n`);
  if (st.message) w.write(0, `Message:\t${st.message}\n`);
  w.write(0, `IP:\t${st.podIP ?? ''}\n`);
  if (!st.podIPs?.length) w.write(0, 'IPs:\t<none>\n');
  else {
    w.write(0, 'IPs:\n');
    for (const ip of st.podIPs) w.write(1, `IP:\t${ip.ip}\n`);
  }
  const ctl = controllerOf(pod);
  if (ctl) w.write(0, `Controlled By:\t${ctl}\n`);
  if (pod.spec.initContainers?.length) describeContainers(w, 'Init Containers', pod.spec.initContainers, undefined, '');
  describeContainers(w, 'Containers', pod.spec.containers, st.containerStatuses, '');
  if (st.conditions?.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\n');
    for (const c of st.conditions) w.write(1, `${c.type} \t${c.status} \n`);
  }
  describeVolumes(w, pod.spec.volumes, '');
  w.write(0, `QoS Class:\t${qosClass(pod)}\n`);
  labelsMultiline(w, 'Node-Selectors', pod.spec.nodeSelector);
  tolerationsMultiline(w, 'Tolerations', pod.spec.tolerations);
  describeEvents(w, events, cluster.now());
  return w.toString();
}
