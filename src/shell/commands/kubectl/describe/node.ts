/** describeNode and describeDaemonSet (k8s.io/kubectl/pkg/describe/describe.go). */
import type { Cluster, DaemonSet, Event, Lease, Node, Pod } from '../../../../engine';
import { age } from '../printers/duration';
import { formatLabelSelector } from '../printers/labels';
import { describePodTemplate } from './deployment';
import { annotationsMultiline, describeEvents, DescribeWriter, labelsMultiline, rfc1123z } from './writer';

/** findNodeRoles: `node-role.kubernetes.io/<role>` labels and the legacy `kubernetes.io/role`. */
function nodeRoles(n: Node): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(n.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) roles.add(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return [...roles].sort();
}

/** A resource.Quantity in milli-units or bytes, printed canonically. */
function parseQuantity(q: string | undefined): number {
  if (!q) return 0;
  const m = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi|Ti|k|M|G)?$/.exec(q);
  if (!m) return 0;
  const mult: Record<string, number> = { '': 1, m: 0.001, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, k: 1e3, M: 1e6, G: 1e9 };
  return Number(m[1]) * mult[m[2] ?? '']!;
}

function cpuString(cores: number): string {
  const milli = Math.round(cores * 1000);
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

function memString(bytes: number): string {
  for (const [suf, n] of [['Ti', 1024 ** 4], ['Gi', 1024 ** 3], ['Mi', 1024 ** 2], ['Ki', 1024]] as const) if (bytes >= n && bytes % n === 0) return `${bytes / n}${suf}`;
  return String(bytes);
}

interface Resources {
  requests?: Record<string, string>;
  limits?: Record<string, string>;
}

function podTotals(p: Pod): { cpuReq: number; cpuLim: number; memReq: number; memLim: number } {
  const t = { cpuReq: 0, cpuLim: 0, memReq: 0, memLim: 0 };
  for (const c of p.spec.containers) {
    const r = (c.resources ?? {}) as Resources;
    t.cpuReq += parseQuantity(r.requests?.['cpu'] ?? r.limits?.['cpu']);
    t.cpuLim += parseQuantity(r.limits?.['cpu']);
    t.memReq += parseQuantity(r.requests?.['memory'] ?? r.limits?.['memory']);
    t.memLim += parseQuantity(r.limits?.['memory']);
  }
  return t;
}

const pct = (part: number, whole: number) => (whole ? Math.trunc((part / whole) * 100) : 0);

export function describeNode(n: Node, cluster: Cluster, events: Event[] | undefined): string {
  const w = new DescribeWriter();
  const now = cluster.now();
  w.write(0, `Name:\t${n.metadata.name}\n`);
  const roles = nodeRoles(n);
  w.write(0, `Roles:\t${roles.length ? roles.join(',') : '<none>'}\n`);
  labelsMultiline(w, 'Labels', n.metadata.labels);
  annotationsMultiline(w, 'Annotations', n.metadata.annotations);
  w.write(0, `CreationTimestamp:\t${rfc1123z(n.metadata.creationTimestamp)}\n`);
  const taints = n.spec.taints ?? [];
  if (!taints.length) w.write(0, 'Taints:\t<none>\n');
  else taints.forEach((t, i) => w.write(0, `${i ? '' : 'Taints:'}\t${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}\n`));
  w.write(0, `Unschedulable:\t${n.spec.unschedulable ?? false}\n`);
  const lease = cluster.get<Lease>('Lease', 'kube-node-lease', n.metadata.name);
  if (lease.ok) {
    w.write(0, 'Lease:\n');
    w.write(1, `HolderIdentity:\t${lease.value.spec.holderIdentity ?? '<unset>'}\n`);
    w.write(1, `AcquireTime:\t${lease.value.spec.acquireTime ? rfc1123z(lease.value.spec.acquireTime) : '<unset>'}\n`);
    w.write(1, `RenewTime:\t${lease.value.spec.renewTime ? rfc1123z(lease.value.spec.renewTime) : '<unset>'}\n`);
  } else w.write(0, `Lease:\tFailed to get lease: leases.coordination.k8s.io "${n.metadata.name}" not found\n`);
  const conds = n.status.conditions ?? [];
  if (conds.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
    w.write(1, '----\t------\t-----------------\t------------------\t------\t-------\n');
    for (const c of conds) w.write(1, `${c.type} \t${c.status} \t${rfc1123z(c.lastHeartbeatTime)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason ?? ''} \t${c.message ?? ''}\n`);
  }
  w.write(0, 'Addresses:\n');
  for (const a of n.status.addresses ?? []) w.write(1, `${a.type}:\t${a.address}\n`);
  for (const [title, list] of [['Capacity', n.status.capacity], ['Allocatable', n.status.allocatable]] as const) {
    if (!list || !Object.keys(list).length) continue;
    w.write(0, `${title}:\n`);
    for (const k of Object.keys(list).sort()) w.write(0, `  ${k}:\t${list[k]}\n`);
  }
  const info = n.status.nodeInfo ?? {};
  w.write(0, 'System Info:\n');
  for (const [label, key] of [
    ['Machine ID', 'machineID'], ['System UUID', 'systemUUID'], ['Boot ID', 'bootID'], ['Kernel Version', 'kernelVersion'], ['OS Image', 'osImage'],
    ['Operating System', 'operatingSystem'], ['Architecture', 'architecture'], ['Container Runtime Version', 'containerRuntimeVersion'],
    ['Kubelet Version', 'kubeletVersion'], ['Kube-Proxy Version', 'kubeProxyVersion'],
  ] as const) w.write(0, `  ${label}:\t${info[key] ?? ''}\n`);
  if (n.spec.podCIDR) w.write(0, `PodCIDR:\t${n.spec.podCIDR}\n`);
  if (n.spec.podCIDRs?.length) w.write(0, `PodCIDRs:\t${n.spec.podCIDRs.join(',')}\n`);
  if (n.spec.providerID) w.write(0, `ProviderID:\t${n.spec.providerID}\n`);
  // describeNodeResource: pods bound here that are not Succeeded/Failed.
  const listed = cluster.list<Pod>('Pod', { fieldSelector: `spec.nodeName=${n.metadata.name}` });
  const pods = (listed.ok ? listed.value : cluster.list<Pod>('Pod').ok ? (cluster.list<Pod>('Pod') as { value: Pod[] }).value.filter((p) => p.spec.nodeName === n.metadata.name) : [])
    .filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
  const alloc = n.status.allocatable ?? n.status.capacity ?? {};
  const cpu = parseQuantity(alloc['cpu']);
  const mem = parseQuantity(alloc['memory']);
  w.write(0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  w.write(1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
  w.write(1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
  const sum = { cpuReq: 0, cpuLim: 0, memReq: 0, memLim: 0 };
  for (const p of pods) {
    const t = podTotals(p);
    sum.cpuReq += t.cpuReq; sum.cpuLim += t.cpuLim; sum.memReq += t.memReq; sum.memLim += t.memLim;
    w.write(1, `${p.metadata.namespace}\t${p.metadata.name}\t\t${cpuString(t.cpuReq)} (${pct(t.cpuReq, cpu)}%)\t${cpuString(t.cpuLim)} (${pct(t.cpuLim, cpu)}%)\t${memString(t.memReq)} (${pct(t.memReq, mem)}%)\t${memString(t.memLim)} (${pct(t.memLim, mem)}%)\t${age(p.metadata.creationTimestamp, now)}\n`);
  }
  w.write(0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
  w.write(1, 'Resource\tRequests\tLimits\n');
  w.write(1, '--------\t--------\t------\n');
  w.write(1, `cpu\t${cpuString(sum.cpuReq)} (${pct(sum.cpuReq, cpu)}%)\t${cpuString(sum.cpuLim)} (${pct(sum.cpuLim, cpu)}%)\n`);
  w.write(1, `memory\t${memString(sum.memReq)} (${pct(sum.memReq, mem)}%)\t${memString(sum.memLim)} (${pct(sum.memLim, mem)}%)\n`);
  w.write(1, 'ephemeral-storage\t0 (0%)\t0 (0%)\n');
  for (const k of Object.keys(alloc).filter((x) => x.startsWith('hugepages-')).sort()) w.write(1, `${k}\t0 (0%)\t0 (0%)\n`);
  describeEvents(w, events, now);
  return w.toString();
}

export function describeDaemonSet(ds: DaemonSet, cluster: Cluster, events: Event[] | undefined): string {
  const w = new DescribeWriter();
  const selector = formatLabelSelector(ds.spec.selector);
  w.write(0, `Name:\t${ds.metadata.name}\n`);
  w.write(0, `Namespace:\t${ds.metadata.namespace}\n`);
  w.write(0, `Selector:\t${selector}\n`);
  const ns = ds.spec.template.spec.nodeSelector ?? {};
  w.write(0, `Node-Selector:\t${Object.keys(ns).length ? Object.keys(ns).sort().map((k) => `${k}=${ns[k]}`).join(',') : '<none>'}\n`);
  labelsMultiline(w, 'Labels', ds.metadata.labels);
  annotationsMultiline(w, 'Annotations', ds.metadata.annotations);
  const st = ds.status;
  w.write(0, `Desired Number of Nodes Scheduled: ${st?.desiredNumberScheduled ?? 0}\n`);
  w.write(0, `Current Number of Nodes Scheduled: ${st?.currentNumberScheduled ?? 0}\n`);
  w.write(0, `Number of Nodes Scheduled with Up-to-date Pods: ${st?.updatedNumberScheduled ?? 0}\n`);
  w.write(0, `Number of Nodes Scheduled with Available Pods: ${st?.numberAvailable ?? 0}\n`);
  w.write(0, `Number of Nodes Misscheduled: ${st?.numberMisscheduled ?? 0}\n`);
  const listed = cluster.list<Pod>('Pod', { namespace: ds.metadata.namespace, ...(selector !== '<none>' ? { labelSelector: selector } : {}) });
  const owned = (listed.ok ? listed.value : []).filter((p) => p.metadata.ownerReferences?.some((o) => o.controller && o.uid === ds.metadata.uid));
  const count = (phase: string) => owned.filter((p) => (p.status?.phase ?? 'Pending') === phase).length;
  w.write(0, `Pods Status:\t${count('Running')} Running / ${count('Pending')} Waiting / ${count('Succeeded')} Succeeded / ${count('Failed')} Failed\n`);
  describePodTemplate(w, ds.spec.template);
  describeEvents(w, events, cluster.now());
  return w.toString();
}
