/**
 * Row cells per kind, following pkg/printers/internalversion/printers.go
 * (printPod, printService, printDeployment, printNode, formatEndpoints, ...).
 */
import type {
  ContainerState, DaemonSet, Deployment, EndpointSlice, Endpoints, Event, KubeObject, Node, Pod, ReplicaSet, Service,
} from '../../../../engine';
import { age, humanDuration } from './duration';
import { formatLabels, formatLabelSelector } from './labels';

const created = (o: KubeObject, now: number) => age(o.metadata.creationTimestamp, now);

/** printPod: READY counts ready running containers; STATUS is the most telling reason. */
export function podRow(obj: KubeObject, now: number, wide: boolean): string[] {
  const pod = obj as Pod;
  const status = pod.status ?? {};
  let reason: string = status.reason || status.phase || '';
  let restarts = 0;
  let lastRestart = 0;
  let ready = 0;
  let hasRunning = false;
  const statuses = status.containerStatuses ?? [];
  // Upstream walks the statuses from last to first, so the first container's reason wins.
  for (let i = statuses.length - 1; i >= 0; i--) {
    const c = statuses[i]!;
    restarts += c.restartCount;
    const finished = Date.parse(c.lastState?.terminated?.finishedAt ?? '');
    if (!Number.isNaN(finished) && finished > lastRestart) lastRestart = finished;
    const st: ContainerState = c.state ?? {};
    if (st.waiting?.reason) reason = st.waiting.reason;
    else if (st.terminated?.reason) reason = st.terminated.reason;
    else if (st.terminated) reason = `ExitCode:${st.terminated.exitCode}`;
    else if (c.ready && st.running) {
      hasRunning = true;
      ready++;
    }
  }
  if (reason === 'Completed' && hasRunning) {
    const readyCond = (status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
    reason = readyCond ? 'Running' : 'NotReady';
  }
  if (pod.metadata.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && status.phase !== 'Succeeded' && status.phase !== 'Failed') reason = 'Terminating';

  const restartsCell = restarts !== 0 && lastRestart > 0 ? `${restarts} (${humanDuration(now - lastRestart)} ago)` : String(restarts);
  const cells = [pod.metadata.name, `${ready}/${pod.spec.containers.length}`, reason, restartsCell, created(pod, now)];
  if (wide) {
    const ip = status.podIPs?.[0]?.ip || status.podIP || '<none>';
    cells.push(ip, pod.spec.nodeName || '<none>', '<none>', '<none>');
  }
  return cells;
}

/** getServiceExternalIP + makePortString. */
export function serviceRow(obj: KubeObject, now: number, wide: boolean): string[] {
  const svc = obj as Service;
  const spec = svc.spec ?? {};
  const type = spec.type ?? 'ClusterIP';
  const clusterIP = spec.clusterIPs?.[0] ?? spec.clusterIP ?? '<none>';
  const ports = (spec.ports ?? [])
    .map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`))
    .join(',');
  const cells = [svc.metadata.name, type, clusterIP || '<none>', externalIP(svc, wide), ports || '<none>', created(svc, now)];
  if (wide) cells.push(formatLabels(spec.selector));
  return cells;
}

function externalIP(svc: Service, wide: boolean): string {
  const ext = svc.spec.externalIPs ?? [];
  switch (svc.spec.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return ext.length ? ext.join(',') : '<none>';
    case 'LoadBalancer': {
      const ingress = [...new Set((svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || '').filter(Boolean))].sort();
      let lb = ingress.join(',');
      // loadBalancerWidth: narrow output clips the ingress list to 16 bytes.
      if (!wide && lb.length > 16) lb = lb.slice(0, 13) + '...';
      if (ext.length) return [...(lb ? lb.split(',') : []), ...ext].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return svc.spec.externalName ?? '';
  }
  return '<unknown>';
}

function containerCells(spec: { containers?: { name: string; image: string }[] } | undefined): [string, string] {
  const cs = spec?.containers ?? [];
  return [cs.map((c) => c.name).join(','), cs.map((c) => c.image).join(',')];
}

export function deploymentRow(obj: KubeObject, now: number, wide: boolean): string[] {
  const d = obj as Deployment;
  const st = d.status ?? {};
  const cells = [
    d.metadata.name,
    `${st.readyReplicas ?? 0}/${d.spec.replicas ?? 1}`,
    String(st.updatedReplicas ?? 0),
    String(st.availableReplicas ?? 0),
    created(d, now),
  ];
  if (wide) cells.push(...containerCells(d.spec.template?.spec), formatLabelSelector(d.spec.selector));
  return cells;
}

export function replicaSetRow(obj: KubeObject, now: number, wide: boolean): string[] {
  const rs = obj as ReplicaSet;
  const st = rs.status;
  const cells = [rs.metadata.name, String(rs.spec.replicas ?? 1), String(st?.replicas ?? 0), String(st?.readyReplicas ?? 0), created(rs, now)];
  if (wide) cells.push(...containerCells(rs.spec.template?.spec), formatLabelSelector(rs.spec.selector));
  return cells;
}

export function daemonSetRow(obj: KubeObject, now: number, wide: boolean): string[] {
  const ds = obj as DaemonSet;
  const st = ds.status;
  const cells = [
    ds.metadata.name,
    String(st?.desiredNumberScheduled ?? 0),
    String(st?.currentNumberScheduled ?? 0),
    String(st?.numberReady ?? 0),
    String(st?.updatedNumberScheduled ?? 0),
    String(st?.numberAvailable ?? 0),
    formatLabels(ds.spec.template?.spec?.nodeSelector),
    created(ds, now),
  ];
  if (wide) cells.push(...containerCells(ds.spec.template?.spec), formatLabelSelector(ds.spec.selector));
  return cells;
}

/** formatEndpoints: at most 3 `ip:port`, then ` + N more...`; only ready addresses count. */
export function endpointsRow(obj: KubeObject, now: number): string[] {
  const ep = obj as Endpoints;
  return [ep.metadata.name, formatEndpoints(ep), created(ep, now)];
}

export function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const max = 3;
  const list: string[] = [];
  let count = 0;
  for (const ss of subsets) {
    const addrs = ss.addresses ?? [];
    const ports = ss.ports ?? [];
    if (ports.length === 0) {
      count += addrs.length;
      for (const a of addrs) if (list.length < max) list.push(a.ip);
      continue;
    }
    for (const p of ports) {
      count += addrs.length;
      for (const a of addrs) if (list.length < max) list.push(`${a.ip}:${p.port}`);
    }
  }
  const ret = list.join(',');
  return count > max ? `${ret} + ${count - max} more...` : ret;
}

export function endpointSliceRow(obj: KubeObject, now: number): string[] {
  const s = obj as EndpointSlice;
  const ports = (s.ports ?? []).map((p) => (p.port !== undefined && p.port !== null ? String(p.port) : p.name ?? '*'));
  const addrs = (s.endpoints ?? []).flatMap((e) => e.addresses);
  return [s.metadata.name, s.addressType, listWithMore(ports), listWithMore(addrs), created(s, now)];
}

function listWithMore(items: string[]): string {
  const max = 3;
  const ret = items.slice(0, max).join(',');
  if (items.length > max) return `${ret} + ${items.length - max} more...`;
  return ret || '<unset>';
}

export function nodeRow(obj: KubeObject, now: number, wide: boolean): string[] {
  const node = obj as Node;
  const ready = (node.status?.conditions ?? []).find((c) => c.type === 'Ready');
  let status = !ready ? 'Unknown' : ready.status === 'True' ? 'Ready' : 'NotReady';
  if (node.spec?.unschedulable) status += ',SchedulingDisabled';
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/') && k.length > 'node-role.kubernetes.io/'.length) roles.add(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  const info = node.status?.nodeInfo ?? {};
  const cells = [node.metadata.name, status, roles.size ? [...roles].sort().join(',') : '<none>', created(node, now), info['kubeletVersion'] ?? ''];
  if (wide) {
    const addr = (t: string) => node.status?.addresses?.find((a) => a.type === t)?.address ?? '<none>';
    cells.push(addr('InternalIP'), addr('ExternalIP'), info['osImage'] || '<unknown>', info['kernelVersion'] || '<unknown>', info['containerRuntimeVersion'] || '<unknown>');
  }
  return cells;
}

export function eventRow(obj: KubeObject, now: number, wide: boolean): string[] {
  const e = obj as Event;
  const first = e.firstTimestamp ? age(e.firstTimestamp, now) : age(e.eventTime ?? undefined, now);
  const last = e.lastTimestamp ? age(e.lastTimestamp, now) : first;
  const kind = (e.involvedObject.kind ?? '').toLowerCase();
  const target = e.involvedObject.name ? `${kind}/${e.involvedObject.name}` : kind;
  if (!wide) return [last, e.type, e.reason, target, e.message.trim()];
  const source = e.source?.component ? (e.source.host ? `${e.source.component}, ${e.source.host}` : e.source.component) : e.reportingComponent || '';
  return [last, e.type, e.reason, target, e.involvedObject.fieldPath ?? '', source, e.message.trim(), first, String(e.count ?? 1), e.metadata.name];
}
