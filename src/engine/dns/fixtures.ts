/**
 * A small cluster's DNS-relevant objects for the dns tests (kind-like: 10.96.0.0/12 Services,
 * 10.244.0.0/16 pods), and kubeadm's default Corefile.
 */
import type { EndpointSlice, KubeObject, Service } from '../model/types';

const meta = (name: string, namespace: string, extra: Record<string, unknown> = {}) => ({
  name, namespace, uid: `uid-${namespace}-${name}`, resourceVersion: '1', creationTimestamp: '2026-01-01T00:00:00Z', ...extra,
});

function svc(name: string, namespace: string, spec: Service['spec']): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: meta(name, namespace), spec };
}

function slice(name: string, namespace: string, service: string, endpoints: EndpointSlice['endpoints'], ports: EndpointSlice['ports']): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: meta(name, namespace, { labels: { 'kubernetes.io/service-name': service } }),
    addressType: 'IPv4', endpoints, ports,
  };
}

/** kubeadm's Corefile (cmd/kubeadm/app/phases/addons/dns/manifests.go), as bootstrap.ts writes it. */
export const KUBEADM_COREFILE = `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success cluster.local
       disable denial cluster.local
    }
    loop
    reload
    loadbalance
}
`;

/** The same with query logging on (`log` added after `errors`, as the docs suggest). */
export const LOGGING_COREFILE = KUBEADM_COREFILE.replace('    errors\n', '    errors\n    log\n');

export function fixtureObjects(): KubeObject[] {
  const ns = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: meta(name, '') });
  return [
    ns('default'), ns('kube-system'), ns('shop'),
    svc('kubernetes', 'default', { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] }),
    slice('kubernetes', 'default', 'kubernetes', [{ addresses: ['172.18.0.2'], conditions: { ready: true } }], [{ name: 'https', port: 6443, protocol: 'TCP' }]),
    svc('kube-dns', 'kube-system', { clusterIP: '10.96.0.10', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }, { name: 'metrics', port: 9153, protocol: 'TCP' }] }),
    svc('web', 'default', { clusterIP: '10.96.12.34', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }] }),
    slice('web-abcde', 'default', 'web', [
      { addresses: ['10.244.1.5'], conditions: { ready: true }, targetRef: { kind: 'Pod', name: 'web-7d4b9c-x2x9k', namespace: 'default' } },
      { addresses: ['10.244.2.6'], conditions: { ready: true }, targetRef: { kind: 'Pod', name: 'web-7d4b9c-q8r2m', namespace: 'default' } },
    ], [{ name: 'http', port: 8080, protocol: 'TCP' }]),
    // Headless: a StatefulSet-like pod with hostname/subdomain, a plain pod, one not ready.
    svc('db', 'default', { clusterIP: 'None', selector: { app: 'db' }, ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }] }),
    slice('db-fghij', 'default', 'db', [
      { addresses: ['10.244.1.7'], hostname: 'db-0', conditions: { ready: true }, targetRef: { kind: 'Pod', name: 'db-0', namespace: 'default' } },
      { addresses: ['10.244.2.8'], conditions: { ready: true } },
      { addresses: ['10.244.2.9'], conditions: { ready: false } },
    ], [{ name: 'pg', port: 5432, protocol: 'TCP' }]),
    // Headless with publishNotReadyAddresses: the EndpointSlice controller marks every endpoint ready.
    svc('peers', 'default', { clusterIP: 'None', publishNotReadyAddresses: true, selector: { app: 'peers' } }),
    slice('peers-klmno', 'default', 'peers', [
      { addresses: ['10.244.1.20'], conditions: { ready: true, serving: false } },
    ], []),
    // Headless with no ready endpoint at all.
    svc('empty', 'default', { clusterIP: 'None', selector: { app: 'none' }, ports: [{ port: 80, protocol: 'TCP' }] }),
    slice('empty-pqrst', 'default', 'empty', [{ addresses: ['10.244.2.30'], conditions: { ready: false } }], [{ port: 80, protocol: 'TCP' }]),
    svc('ext', 'default', { type: 'ExternalName', externalName: 'example.com' }),
    svc('api', 'shop', { clusterIP: '10.96.200.7', ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'grpc', port: 9090, protocol: 'TCP' }] }),
  ];
}

/** The SOA serial in the fixture: 2026-01-01T00:00:00Z. */
export const FIXTURE_SERIAL = 1767225600;
