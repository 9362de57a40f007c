/**
 * DNS for the emulated cluster: CoreDNS (its Corefile, the kubernetes plugin per the
 * Kubernetes DNS specification, forward to an emulated internet, cache, log), the pods'
 * /etc/resolv.conf, the stub resolvers of musl, glibc, busybox nslookup and BIND's tools,
 * and the tools' output. Pure: time and ids come in as arguments.
 *
 * How the data path uses it (one lookup from a pod):
 *   const conf = podResolvConf(pod, { clusterDomain, clusterDNS: '10.96.0.10' });
 *   const coredns = new CoreDns(dnsDataFrom(objects), { corefile, rng });   // one per CoreDNS pod
 *   coredns.update(dnsDataFrom(objects));          // objects changed: new answers, the cache kept
 *   const exchange: Exchange = (query, server) => {
 *     // a UDP packet pod → server:53 through kube-proxy to a CoreDNS pod; on delivery:
 *     const r = coredns.handle(query, { clientIP, clientPort, proto: 'udp', nowMs });
 *     appendCoreDnsLog(cluster, 'kube-system', corednsPodName, r.logLines);
 *     return r.response;                              // or 'timeout' when dropped
 *   };
 *   const res = busyboxNslookup('web', { conf, exchange, nextId });
 *   formatBusyboxNslookup(res).stdout
 */
export * from './message';
export { parseCorefile, CorefileError, kubernetesOptions, type Directive, type ServerBlock, type KubernetesOptions } from './corefile';
export { KubernetesPlugin, DNS_SCHEMA_VERSION, type ClusterDnsData, type KubernetesResult } from './kubernetes';
export { CoreDns, type CoreDnsOptions, type QueryContext, type HandleResult, type AnsweredBy } from './coredns';
export { coreDnsLogLine, rflags, COMMON_LOG_FORMAT, type LogContext } from './log';
export { UPSTREAM_NAMES, ROOT_SOA, upstreamResolve } from './upstream';
export {
  resolvConfFor, podResolvConf, podDNSType, parseResolvConf, formatResolvConf, kindNodeResolvConf, resolverOptions,
  type ResolvConf, type ResolvConfInputs,
} from './resolvconf';
export {
  getaddrinfo, searchCandidates, busyboxNslookup, bindLookup, bindSearchNames, digEdns,
  type Exchange, type Attempt, type LookupResult, type LookupStatus, type Libc, type ResolverEnv,
  type BusyboxNslookupResult, type NslookupQuery, type DigLookup,
} from './resolver';
export {
  formatBusyboxNslookup, formatBindNslookup, formatDig, formatHost, formatGetentHosts, digWhen,
  type ToolOutput, type DigFormatOptions,
} from './format';

import type { EndpointSlice, KubeObject, Namespace, Pod, Service } from '../model/types';
import type { ClusterDnsData } from './kubernetes';

/** The zone's inputs from API objects (any mix; other kinds are ignored). */
export function dnsDataFrom(objects: readonly KubeObject[], extra: { serial?: number; dnsServiceIP?: string } = {}): ClusterDnsData {
  const services: Service[] = [], endpointSlices: EndpointSlice[] = [], pods: Pod[] = [], namespaces: string[] = [];
  for (const o of objects) {
    if (o.kind === 'Service') services.push(o as Service);
    else if (o.kind === 'EndpointSlice') endpointSlices.push(o as EndpointSlice);
    else if (o.kind === 'Pod') pods.push(o as Pod);
    else if (o.kind === 'Namespace') namespaces.push((o as Namespace).metadata.name);
  }
  const dnsServiceIP = extra.dnsServiceIP ?? services.find((s) => s.metadata.namespace === 'kube-system' && s.metadata.name === 'kube-dns')?.spec.clusterIP;
  return { services, endpointSlices, pods, namespaces, ...(extra.serial !== undefined ? { serial: extra.serial } : {}), ...(dnsServiceIP ? { dnsServiceIP } : {}) };
}

/** Append what CoreDNS's `log` plugin printed to the coredns pod's log (Cluster.appendLog). */
export function appendCoreDnsLog(
  cluster: { appendLog(namespace: string, pod: string, text: string, opts?: { container?: string }): unknown },
  namespace: string,
  pod: string,
  lines: readonly string[],
): void {
  for (const line of lines) cluster.appendLog(namespace, pod, line, { container: 'coredns' });
}
