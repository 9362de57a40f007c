/**
 * What the kubelet puts into a container besides the image: /etc/resolv.conf (by dnsPolicy,
 * engine dns/resolvconf.ts), /etc/hosts (kubelet_pods.go managedHostsFileContent) and the
 * service-link environment variables (pkg/kubelet/envvars FromServices): for every Service
 * with a ClusterIP in the pod's namespace that existed when the container started (when
 * enableServiceLinks is not false), plus the `kubernetes` Service of `default` always.
 */
import { formatResolvConf, type Cluster, type Pod, type Service } from '../engine';
import type { ShellPlace } from './types';

type PodPlace = Extract<ShellPlace, { kind: 'pod' }>;

function getPod(cluster: Cluster, place: PodPlace): Pod | undefined {
  const r = cluster.get<Pod>('Pod', place.namespace, place.pod);
  return r.ok ? r.value : undefined;
}

export function podFiles(cluster: Cluster, place: PodPlace): Record<string, string> {
  const pod = getPod(cluster, place);
  const files: Record<string, string> = {
    '/etc/resolv.conf': formatResolvConf(cluster.resolvConf({ pod: { namespace: place.namespace, name: place.pod } })),
  };
  let hosts = '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n';
  const ip = pod?.status?.podIP;
  if (pod && ip) {
    const hostname = pod.spec.hostname ?? pod.metadata.name;
    const sub = pod.spec.subdomain;
    hosts += sub ? `${ip}\t${hostname}.${sub}.${place.namespace}.svc.${cluster.config.clusterDomain}\t${hostname}\n` : `${ip}\t${hostname}\n`;
    const aliases = (pod.spec as { hostAliases?: { ip: string; hostnames?: string[] }[] }).hostAliases;
    if (aliases?.length) {
      hosts += '\n# Entries added by HostAliases.\n';
      for (const a of aliases) hosts += `${a.ip}\t${(a.hostnames ?? []).join('\t')}\n`;
    }
  }
  files['/etc/hosts'] = hosts;
  return files;
}

function envName(svc: string): string {
  return svc.toUpperCase().replace(/-/g, '_');
}

function serviceVars(s: Service): Record<string, string> {
  const ip = s.spec.clusterIP;
  const ports = s.spec.ports ?? [];
  if (!ip || ip === 'None' || ports.length === 0) return {};
  const n = envName(s.metadata.name);
  const out: Record<string, string> = { [`${n}_SERVICE_HOST`]: ip, [`${n}_SERVICE_PORT`]: String(ports[0]!.port) };
  for (const p of ports) if (p.name) out[`${n}_SERVICE_PORT_${envName(p.name)}`] = String(p.port);
  const proto0 = (ports[0]!.protocol ?? 'TCP').toLowerCase();
  out[`${n}_PORT`] = `${proto0}://${ip}:${ports[0]!.port}`;
  for (const p of ports) {
    const proto = p.protocol ?? 'TCP';
    const pre = `${n}_PORT_${p.port}_${proto}`;
    out[pre] = `${proto.toLowerCase()}://${ip}:${p.port}`;
    out[`${pre}_PROTO`] = proto.toLowerCase();
    out[`${pre}_PORT`] = String(p.port);
    out[`${pre}_ADDR`] = ip;
  }
  return out;
}

export function podEnv(cluster: Cluster, place: PodPlace): Record<string, string> {
  const pod = getPod(cluster, place);
  const started = pod?.status?.startTime ?? pod?.metadata.creationTimestamp ?? '';
  const env: Record<string, string> = {};
  const links = (pod?.spec as { enableServiceLinks?: boolean } | undefined)?.enableServiceLinks !== false;
  const list = cluster.list<Service>('Service', { namespace: place.namespace });
  if (links && list.ok) {
    for (const s of list.value) if (!started || s.metadata.creationTimestamp <= started) Object.assign(env, serviceVars(s));
  }
  const k = cluster.get<Service>('Service', 'default', 'kubernetes');
  if (k.ok) Object.assign(env, serviceVars(k.value));
  return env;
}
