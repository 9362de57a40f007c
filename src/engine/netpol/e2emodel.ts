/**
 * The upstream e2e NetworkPolicy model (test/e2e/network/netpol/model.go) as objects:
 * namespaces x, y, z (labels `ns: <name>` plus the API server's kubernetes.io/metadata.name),
 * pods a, b, c in each (label `pod: <name>`), each pod with one container per port × protocol
 * — ports 80 and 81 on TCP, UDP and SCTP — named `cont-80-tcp` and serving the container port
 * `serve-80-tcp`, as upstream's Container.Name() and PortName() build them.
 *
 * Pods are spread over two kind-like workers (10.244.1.0/24 on `worker`, 10.244.2.0/24 on
 * `worker2`) so that node-local and cross-node flows both occur.
 */
import type { Namespace, Node, Pod, Protocol } from '../model/types';

export const E2E_NAMESPACES = ['x', 'y', 'z'] as const;
export const E2E_PODS = ['a', 'b', 'c'] as const;
export const E2E_PORTS = [80, 81] as const;
export const E2E_PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

const meta = (name: string, namespace?: string, labels?: Record<string, string>) => ({
  name,
  ...(namespace ? { namespace } : {}),
  uid: `uid-${namespace ?? ''}-${name}`,
  resourceVersion: '1',
  creationTimestamp: '2026-01-01T00:00:00Z',
  ...(labels ? { labels } : {}),
});

export interface E2EModel {
  namespaces: Namespace[];
  pods: Pod[];
  nodes: Node[];
  /** `x/a` … `z/c`, in upstream's order (namespace, then pod). */
  podStrings: string[];
}

export function e2eModel(): E2EModel {
  const nodes: Node[] = [
    { apiVersion: 'v1', kind: 'Node', metadata: meta('worker'), spec: { podCIDR: '10.244.1.0/24' }, status: { addresses: [{ type: 'InternalIP', address: '172.18.0.3' }, { type: 'Hostname', address: 'worker' }] } },
    { apiVersion: 'v1', kind: 'Node', metadata: meta('worker2'), spec: { podCIDR: '10.244.2.0/24' }, status: { addresses: [{ type: 'InternalIP', address: '172.18.0.4' }, { type: 'Hostname', address: 'worker2' }] } },
  ];
  const namespaces: Namespace[] = E2E_NAMESPACES.map((ns) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: meta(ns, undefined, { ns, 'kubernetes.io/metadata.name': ns }),
    status: { phase: 'Active' },
  }));
  const pods: Pod[] = [];
  E2E_NAMESPACES.forEach((ns, i) =>
    E2E_PODS.forEach((name, j) => {
      const n = i * 3 + j;
      const worker = n % 2 === 0 ? 1 : 2;
      pods.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: meta(name, ns, { pod: name }),
        spec: {
          nodeName: worker === 1 ? 'worker' : 'worker2',
          containers: E2E_PORTS.flatMap((port) =>
            E2E_PROTOCOLS.map((protocol) => ({
              name: `cont-${port}-${protocol.toLowerCase()}`,
              image: 'registry.k8s.io/e2e-test-images/agnhost:2.53',
              ports: [{ containerPort: port, name: `serve-${port}-${protocol.toLowerCase()}`, protocol }],
            })),
          ),
        },
        status: { phase: 'Running', podIP: `10.244.${worker}.${10 + n}`, podIPs: [{ ip: `10.244.${worker}.${10 + n}` }], hostIP: worker === 1 ? '172.18.0.3' : '172.18.0.4' },
      });
    }),
  );
  return { namespaces, pods, nodes, podStrings: pods.map((p) => `${p.metadata.namespace}/${p.metadata.name}`) };
}

/**
 * The same model as manifests for a real (emulated) cluster, as upstream's kubeManager
 * creates it (kubemanager.go initializeClusterFromModel, model.go): namespaces x, y, z
 * labelled `ns: <name>`; pods a, b, c labelled `pod: <name>`, one agnhost container per
 * port × protocol — `serve-hostname --tcp|--udp --http=false --port N` for TCP and UDP,
 * `porter` with SERVE_SCTP_PORT_N for SCTP — and beside each pod a Service `s-<ns>-<pod>`
 * selecting it, with ports `service-port-<proto>-<port>`. Upstream's probe dials that
 * Service's ClusterIP (probe.go: addrTo = ServiceIP). The scheduler places the pods.
 */
export function e2eManifests(image = 'registry.k8s.io/e2e-test-images/agnhost:2.53'): string {
  const docs: string[] = [];
  for (const ns of E2E_NAMESPACES) {
    docs.push(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n  labels: {ns: ${ns}}`);
    for (const pod of E2E_PODS) {
      const containers = E2E_PORTS.flatMap((port) =>
        E2E_PROTOCOLS.map((protocol) => {
          const p = protocol.toLowerCase();
          const run = protocol === 'SCTP'
            ? `command: [/agnhost, porter]\n    env: [{name: SERVE_SCTP_PORT_${port}, value: foo}]`
            : `command: [/agnhost, serve-hostname, --${p}, --http=false, --port, '${port}']`;
          return `  - name: cont-${port}-${p}\n    image: ${image}\n    imagePullPolicy: IfNotPresent\n    ${run}\n    ports: [{containerPort: ${port}, name: serve-${port}-${p}, protocol: ${protocol}}]`;
        }),
      );
      docs.push(`apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${pod}\n  namespace: ${ns}\n  labels: {pod: ${pod}}\nspec:\n  terminationGracePeriodSeconds: 0\n  containers:\n${containers.join('\n')}`);
      const ports = E2E_PORTS.flatMap((port) => E2E_PROTOCOLS.map((protocol) => `  - {name: service-port-${protocol.toLowerCase()}-${port}, protocol: ${protocol}, port: ${port}}`));
      docs.push(`apiVersion: v1\nkind: Service\nmetadata:\n  name: s-${ns}-${pod}\n  namespace: ${ns}\nspec:\n  selector: {pod: ${pod}}\n  ports:\n${ports.join('\n')}`);
    }
  }
  return docs.join('\n---\n') + '\n';
}
