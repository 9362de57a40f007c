/**
 * Upstream's NetworkPolicy e2e probe on an emulated cluster built from e2eManifests(): from
 * every pod, `agnhost connect <ServiceIP>:<port> --timeout=1s --protocol=<p>` to every pod's
 * Service (test/e2e/network/netpol/probe.go, kubemanager.go probeConnectivity), through the
 * data path — kube-proxy's rules on both nodes, the CNI's policy hooks, the agnhost servers.
 * The request is the one the agnhost command sends (src/shell/commands/agnhost): TCP only
 * connects; UDP and SCTP write `hostname\n` and need an answer.
 */
import type { Cluster } from '../index';
import type { Protocol, Service } from '../model/types';
import { E2E_NAMESPACES, E2E_PODS } from './e2emodel';
import type { TruthTable } from './truthtable';

export interface E2ETarget {
  /** `x/a` */
  pod: string;
  namespace: string;
  name: string;
  /** ClusterIP of `s-<ns>-<pod>`, what upstream dials. */
  serviceIP: string;
}

type ProbeCluster = Pick<Cluster, 'connect' | 'list'>;

/** The nine pods and their Services' ClusterIPs, in upstream's order. */
export function e2eTargets(cluster: ProbeCluster): E2ETarget[] {
  const r = cluster.list<Service>('Service');
  const services = r.ok ? r.value : [];
  return E2E_NAMESPACES.flatMap((namespace) =>
    E2E_PODS.map((name) => {
      const svc = services.find((s) => s.metadata.namespace === namespace && s.metadata.name === `s-${namespace}-${name}`);
      if (!svc?.spec.clusterIP) throw new Error(`e2e model: no Service s-${namespace}-${name}`);
      return { pod: `${namespace}/${name}`, namespace, name, serviceIP: svc.spec.clusterIP };
    }),
  );
}

/** One probe: true when agnhost connect would exit 0. */
export function agnhostConnects(cluster: ProbeCluster, from: { namespace: string; name: string }, ip: string, port: number, protocol: Protocol): boolean {
  const r = cluster.connect({
    from: { pod: from }, to: { ip, port, protocol },
    ...(protocol !== 'TCP' ? { payload: { kind: 'bytes' as const, text: 'hostname\n' } } : {}),
  });
  return r.outcome === 'connected';
}

/** All 81 probes on one port/protocol, as a truth table (rows from, columns to). */
export function probeE2E(cluster: ProbeCluster, targets: readonly E2ETarget[], port: number, protocol: Protocol = 'TCP'): TruthTable {
  return {
    pods: targets.map((t) => t.pod),
    values: targets.map((from) => targets.map((to) => agnhostConnects(cluster, from, to.serviceIP, port, protocol))),
  };
}
