/** describeContainers and friends: the per-container block of describe pod and pod templates. */
import type { Container, ContainerState, ContainerStatus, Probe, Toleration, Volume } from '../../../../engine';
import { DescribeWriter, rfc1123z } from './writer';

const printBool = (b: boolean) => (b ? 'True' : 'False');

export function describeContainers(w: DescribeWriter, label: string, containers: Container[], statuses: ContainerStatus[] | undefined, space: string): void {
  const byName = new Map((statuses ?? []).map((s) => [s.name, s]));
  w.write(0, `${space}${label}:\n`);
  for (const c of containers) {
    const st = byName.get(c.name);
    w.write(1, `${space ? ' ' : ''}${c.name}:\n`);
    if (st) w.write(2, `Container ID:\t${st.containerID ?? ''}\n`);
    w.write(2, `Image:\t${c.image}\n`);
    if (st) w.write(2, `Image ID:\t${st.imageID}\n`);
    const ports = (c.ports ?? []).map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`).join(', ');
    const hostPorts = (c.ports ?? []).map((p) => `${p.hostPort ?? 0}/${p.protocol ?? 'TCP'}`).join(', ');
    w.write(2, ports.includes(',') ? `Ports:\t${ports}\n` : `Port:\t${ports || '<none>'}\n`);
    w.write(2, hostPorts.includes(',') ? `Host Ports:\t${hostPorts}\n` : `Host Port:\t${hostPorts || '<none>'}\n`);
    if (c.command?.length) {
      w.write(2, 'Command:\n');
      for (const x of c.command) w.write(3, `${x}\n`);
    }
    if (c.args?.length) {
      w.write(2, 'Args:\n');
      for (const x of c.args) w.write(3, `${x}\n`);
    }
    if (st) {
      describeState(w, 'State', st.state);
      if (st.lastState?.terminated) describeState(w, 'Last State', st.lastState);
      w.write(2, `Ready:\t${printBool(st.ready)}\n`);
      w.write(2, `Restart Count:\t${st.restartCount}\n`);
    }
    if (c.livenessProbe) w.write(2, `Liveness:\t${describeProbe(c.livenessProbe)}\n`);
    if (c.readinessProbe) w.write(2, `Readiness:\t${describeProbe(c.readinessProbe)}\n`);
    if (c.startupProbe) w.write(2, `Startup:\t${describeProbe(c.startupProbe)}\n`);
    if (!c.env?.length) w.write(2, 'Environment:\t<none>\n');
    else {
      w.write(2, 'Environment:\n');
      for (const e of c.env) w.write(3, `${e.name}:\t${e.value ?? ''}\n`);
    }
    const mounts = (c as { volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[] }).volumeMounts ?? [];
    w.write(2, `Mounts:${mounts.length ? '' : '\t<none>'}\n`);
    for (const m of [...mounts].sort((a, b) => a.mountPath.localeCompare(b.mountPath))) w.write(3, `${m.mountPath} from ${m.name} (${m.readOnly ? 'ro' : 'rw'})\n`);
  }
}

function describeState(w: DescribeWriter, name: string, s: ContainerState): void {
  if (s.running) {
    w.write(2, `${name}:\tRunning\n`);
    w.write(3, `Started:\t${rfc1123z(s.running.startedAt)}\n`);
  } else if (s.terminated) {
    w.write(2, `${name}:\tTerminated\n`);
    if (s.terminated.reason) w.write(3, `Reason:\t${s.terminated.reason}\n`);
    w.write(3, `Exit Code:\t${s.terminated.exitCode}\n`);
    w.write(3, `Started:\t${rfc1123z(s.terminated.startedAt)}\n`);
    w.write(3, `Finished:\t${rfc1123z(s.terminated.finishedAt)}\n`);
  } else {
    w.write(2, `${name}:\tWaiting\n`);
    if (s.waiting?.reason) w.write(3, `Reason:\t${s.waiting.reason}\n`);
  }
}

/** DescribeProbe, with the API server's defaults (timeout 1s, period 10s, #success 1, #failure 3). */
export function describeProbe(p: Probe): string {
  const attrs = `delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 1}s period=${p.periodSeconds ?? 10}s #success=${p.successThreshold ?? 1} #failure=${p.failureThreshold ?? 3}`;
  if (p.exec) return `exec [${(p.exec.command ?? []).join(' ')}] ${attrs}`;
  if (p.httpGet) return `http-get ${(p.httpGet.scheme ?? 'HTTP').toLowerCase()}://:${p.httpGet.port}${p.httpGet.path ?? ''} ${attrs}`;
  if (p.tcpSocket) return `tcp-socket :${p.tcpSocket.port} ${attrs}`;
  return `unknown ${attrs}`;
}

/** printPodTolerationsMultiline. */
export function tolerationsMultiline(w: DescribeWriter, title: string, tols: Toleration[] | undefined, indent = ''): void {
  w.write(0, `${indent}${title}:\t`);
  if (!tols?.length) {
    w.write(0, '<none>\n');
    return;
  }
  tols.forEach((t, i) => {
    if (i > 0) w.write(0, `${indent}\t`);
    let s = t.key ?? '';
    if (t.value) s += `=${t.value}`;
    if (t.effect) s += `:${t.effect}`;
    if (t.operator === 'Exists' && !t.value) s += t.key || t.effect ? ' op=Exists' : 'op=Exists';
    if (t.tolerationSeconds !== undefined) s += ` for ${t.tolerationSeconds}s`;
    w.write(0, `${s}\n`);
  });
}

/** describeVolumes (k8s.io/kubectl/pkg/describe): one block per volume, by source type. */
export function describeVolumes(w: DescribeWriter, volumes: Volume[] | undefined, space: string): void {
  if (!volumes?.length) {
    w.write(0, `${space}Volumes:\t<none>\n`);
    return;
  }
  w.write(0, `${space}Volumes:\n`);
  for (const v of volumes) {
    w.write(0, `${space}  ${v.name}:\n`);
    if (v.projected) {
      w.write(2, 'Type:\tProjected (a volume that contains injected data from multiple sources)\n');
      for (const src of v.projected.sources) {
        if (src.secret) w.write(2, `SecretName:\t${src.secret.name}\n    Optional:\t${src.secret.optional ?? false}\n`);
        else if (src.downwardAPI) w.write(2, 'DownwardAPI:\ttrue\n');
        else if (src.configMap) w.write(2, `ConfigMapName:\t${src.configMap.name}\n    Optional:\t${src.configMap.optional ?? false}\n`);
        else if (src.serviceAccountToken) w.write(2, `TokenExpirationSeconds:\t${src.serviceAccountToken.expirationSeconds ?? 3600}\n`);
      }
    } else if (v.configMap) {
      w.write(2, `Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${v.configMap.name}\n    Optional:\t${v.configMap.optional ?? false}\n`);
    } else if (v.secret) {
      w.write(2, `Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${v.secret.secretName}\n    Optional:\t${v.secret.optional ?? false}\n`);
    } else if (v.emptyDir) {
      w.write(2, `Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t${v.emptyDir.medium ?? ''}\n    SizeLimit:\t${v.emptyDir.sizeLimit ?? '<unset>'}\n`);
    } else if (v.hostPath) {
      w.write(2, `Type:\tHostPath (bare host directory volume)\n    Path:\t${v.hostPath.path}\n    HostPathType:\t${v.hostPath.type ?? ''}\n`);
    } else {
      w.write(2, `<unknown>\n`);
    }
  }
}
