/**
 * The objects of a fresh kind cluster (kind v0.30-style node image): namespaces, nodes,
 * the `kubernetes` Service and its endpoints, CoreDNS behind kube-dns (.10), kube-proxy with
 * its ConfigMap, kindnet, and the control-plane static pods.
 */
import { formatIPv4, parseCIDR, subnet } from '../core/ip';
import type { ObjectInput } from '../model/types';
import type { ClusterConfig } from './config';
import { stringify } from 'yaml';
import { rfc3339 } from '../core/clock';

/** A stable UUID-shaped id from a name (no PRNG draws), for the nodes' machine/boot ids. */
function pseudoUUID(seed: string): string {
  let h = 0x811c9dc5;
  let hex = '';
  for (let round = 0; hex.length < 32; round++) {
    for (const ch of seed) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    h = Math.imul(h ^ round, 0x01000193) >>> 0;
    hex += h.toString(16).padStart(8, '0');
  }
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** ServiceAccounts kubeadm and kind create for the kube-system workloads (besides `default`). */
export function serviceAccounts(cfg: ClusterConfig): ObjectInput[] {
  const names = ['coredns', 'kube-proxy', ...(cfg.cni === 'kindnet' ? ['kindnet'] : [])];
  return names.map((name) => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: 'kube-system' } }));
}

const CONTROL_PLANE_TAINT = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' as const };
const TOLERATE_ALL = [{ operator: 'Exists' }];
export const COREDNS_IMAGE = 'registry.k8s.io/coredns/coredns:v1.12.1';
export const KINDNET_IMAGE = 'docker.io/kindest/kindnetd:v20250512-df8de77b';

export function namespaces(): ObjectInput[] {
  return ['default', 'kube-node-lease', 'kube-public', 'kube-system'].map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
}

/**
 * The kind nodes as their kubelets register them at `bootMs`: pressure conditions from the
 * first status update, Ready once the CNI is up (~15 s later).
 */
export function nodes(cfg: ClusterConfig, bootMs: number): ObjectInput[] {
  const pod = parseCIDR(cfg.podCIDR)!;
  const at = rfc3339(bootMs);
  const ready = rfc3339(bootMs + 15_000);
  return cfg.nodes.map((n, i) => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: n.name,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': n.name,
        'kubernetes.io/os': 'linux',
        ...(n.role === 'control-plane' ? { 'node-role.kubernetes.io/control-plane': '', 'node.kubernetes.io/exclude-from-external-load-balancers': '' } : {}),
      },
      annotations: {
        'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///run/containerd/containerd.sock',
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {
      podCIDR: subnet(pod, 24, i),
      podCIDRs: [subnet(pod, 24, i)],
      providerID: `kind://docker/kind/${n.name}`,
      ...(n.role === 'control-plane' ? { taints: [CONTROL_PLANE_TAINT] } : {}),
    },
    status: {
      addresses: [{ type: 'InternalIP', address: n.ip }, { type: 'Hostname', address: n.name }],
      capacity: { cpu: '8', 'ephemeral-storage': '102626232Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '16351640Ki', pods: '110' },
      allocatable: { cpu: '8', 'ephemeral-storage': '102626232Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '16351640Ki', pods: '110' },
      conditions: [
        { type: 'MemoryPressure', status: 'False', lastHeartbeatTime: ready, lastTransitionTime: at, reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
        { type: 'DiskPressure', status: 'False', lastHeartbeatTime: ready, lastTransitionTime: at, reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
        { type: 'PIDPressure', status: 'False', lastHeartbeatTime: ready, lastTransitionTime: at, reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
        { type: 'Ready', status: 'True', lastHeartbeatTime: ready, lastTransitionTime: ready, reason: 'KubeletReady', message: 'kubelet is posting ready status' },
      ],
      nodeInfo: {
        architecture: 'amd64',
        bootID: pseudoUUID(`boot/${n.name}`),
        containerRuntimeVersion: 'containerd://2.1.1',
        kernelVersion: '6.8.0-generic',
        kubeProxyVersion: '',
        kubeletVersion: cfg.kubernetesVersion,
        machineID: pseudoUUID(`machine/${n.name}`).replace(/-/g, ''),
        operatingSystem: 'linux',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        systemUUID: pseudoUUID(`system/${n.name}`),
      },
    },
  }));
}

export function kubernetesService(cfg: ClusterConfig): ObjectInput[] {
  const svc = parseCIDR(cfg.serviceCIDR)!;
  const cp = cfg.nodes.find((n) => n.role === 'control-plane')!;
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: { clusterIP: formatIPv4(svc.base + 1), ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] },
    },
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: [cp.ip], conditions: { ready: true } }],
      ports: [{ name: 'https', port: 6443, protocol: 'TCP' }],
    },
    {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
      subsets: [{ addresses: [{ ip: cp.ip }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }],
    },
  ];
}

function corefile(cfg: ClusterConfig): string {
  return `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes ${cfg.clusterDomain} in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success ${cfg.clusterDomain}
       disable denial ${cfg.clusterDomain}
    }
    loop
    reload
    loadbalance
}
`;
}

export function coredns(cfg: ClusterConfig): ObjectInput[] {
  const svc = parseCIDR(cfg.serviceCIDR)!;
  const labels = { 'k8s-app': 'kube-dns' };
  return [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: corefile(cfg) } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'coredns', namespace: 'kube-system', labels },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
        template: {
          metadata: { labels },
          spec: {
            priorityClassName: 'system-cluster-critical',
            serviceAccountName: 'coredns',
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }, { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
            dnsPolicy: 'Default',
            containers: [
              {
                name: 'coredns',
                image: COREDNS_IMAGE,
                args: ['-conf', '/etc/coredns/Corefile'],
                ports: [
                  { name: 'dns', containerPort: 53, protocol: 'UDP' },
                  { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
                  { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
                  { name: 'liveness-probe', containerPort: 8080, protocol: 'TCP' },
                  { name: 'readiness-probe', containerPort: 8181, protocol: 'TCP' },
                ],
                livenessProbe: { httpGet: { path: '/health', port: 'liveness-probe', scheme: 'HTTP' }, initialDelaySeconds: 60, timeoutSeconds: 5, successThreshold: 1, failureThreshold: 5 },
                readinessProbe: { httpGet: { path: '/ready', port: 'readiness-probe', scheme: 'HTTP' } },
                resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'kube-dns',
        namespace: 'kube-system',
        labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
        annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
      },
      spec: {
        clusterIP: formatIPv4(svc.base + 10),
        selector: labels,
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
          { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
          { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
        ],
      },
    },
  ];
}

/** config.conf as kubeadm writes it into the kube-proxy ConfigMap. */
export function kubeProxyConfText(cfg: ClusterConfig): string {
  return stringify(cfg.kubeProxy, { nullStr: 'null', lineWidth: 0 });
}

export function kubeProxy(cfg: ClusterConfig): ObjectInput[] {
  const labels = { 'k8s-app': 'kube-proxy' };
  const cp = cfg.nodes.find((n) => n.role === 'control-plane')!;
  return [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'kube-proxy', namespace: 'kube-system', labels: { app: 'kube-proxy' } },
      data: {
        'config.conf': kubeProxyConfText(cfg),
        'kubeconfig.conf': `apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt\n    server: https://${cp.name}:6443\n  name: default\ncontexts:\n- context:\n    cluster: default\n    namespace: default\n    user: default\n  name: default\ncurrent-context: default\nusers:\n- name: default\n  user:\n    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token\n`,
      },
    },
    daemonSet('kube-proxy', labels, {
      priorityClassName: 'system-node-critical',
      serviceAccountName: 'kube-proxy',
      hostNetwork: true,
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      tolerations: TOLERATE_ALL,
      containers: [{ name: 'kube-proxy', image: `registry.k8s.io/kube-proxy:${cfg.kubernetesVersion}`, command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', '--hostname-override=$(NODE_NAME)'], securityContext: { privileged: true } }],
    }),
  ];
}

export function kindnet(cfg: ClusterConfig): ObjectInput[] {
  if (cfg.cni !== 'kindnet') return [];
  const labels = { app: 'kindnet', 'k8s-app': 'kindnet', tier: 'node' };
  return [
    daemonSet('kindnet', labels, {
      serviceAccountName: 'kindnet',
      hostNetwork: true,
      tolerations: TOLERATE_ALL,
      containers: [{ name: 'kindnet-cni', image: KINDNET_IMAGE, env: [{ name: 'POD_SUBNET', value: cfg.podCIDR }], resources: { limits: { cpu: '100m', memory: '50Mi' }, requests: { cpu: '100m', memory: '50Mi' } } }],
    }),
  ];
}

function daemonSet(name: string, labels: Record<string, string>, spec: Record<string, unknown>): ObjectInput {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'kube-system', labels },
    spec: { selector: { matchLabels: { 'k8s-app': labels['k8s-app']! } }, template: { metadata: { labels }, spec } },
  };
}

/** Mirror pods of the control-plane static pods, named `<component>-<node>`. */
export function staticPods(cfg: ClusterConfig): ObjectInput[] {
  const cp = cfg.nodes.find((n) => n.role === 'control-plane')!;
  const v = cfg.kubernetesVersion;
  const comps: [string, string, string[]][] = [
    ['etcd', 'registry.k8s.io/etcd:3.6.4-0', ['etcd', `--advertise-client-urls=https://${cp.ip}:2379`, '--data-dir=/var/lib/etcd']],
    ['kube-apiserver', `registry.k8s.io/kube-apiserver:${v}`, ['kube-apiserver', `--advertise-address=${cp.ip}`, `--service-cluster-ip-range=${cfg.serviceCIDR}`, `--service-node-port-range=${cfg.serviceNodePortRange.base}-${cfg.serviceNodePortRange.base + cfg.serviceNodePortRange.size - 1}`]],
    ['kube-controller-manager', `registry.k8s.io/kube-controller-manager:${v}`, ['kube-controller-manager', '--allocate-node-cidrs=true', `--cluster-cidr=${cfg.podCIDR}`, `--service-cluster-ip-range=${cfg.serviceCIDR}`]],
    ['kube-scheduler', `registry.k8s.io/kube-scheduler:${v}`, ['kube-scheduler', '--bind-address=127.0.0.1']],
  ];
  return comps.map(([component, image, command]) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${component}-${cp.name}`,
      namespace: 'kube-system',
      labels: { component, tier: 'control-plane' },
      annotations: { 'kubernetes.io/config.source': 'file' },
    },
    spec: {
      nodeName: cp.name,
      hostNetwork: true,
      priorityClassName: 'system-node-critical',
      tolerations: [{ operator: 'Exists', effect: 'NoExecute' }],
      containers: [{ name: component, image, command }],
    },
  }));
}
