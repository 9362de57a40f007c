/**
 * Defaulting as the API server does it on write (pkg/apis/{core,apps,...}/v1/defaults.go plus the
 * admission plugins every kubeadm cluster runs: ServiceAccount, DefaultTolerationSeconds,
 * Priority). Mutates the clone it is given.
 */
import type { Container, KubeObject, PodSpec, Probe, ServicePort } from './types';
import { isPlainObject } from '../core/json';

type Obj = Record<string, unknown>;
const obj = (o: Obj, k: string): Obj => {
  if (!isPlainObject(o[k])) o[k] = {};
  return o[k] as Obj;
};

function defaultProbe(p: Probe | undefined): void {
  if (!p) return;
  p.timeoutSeconds ??= 1;
  p.periodSeconds ??= 10;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
  if (p.httpGet) {
    p.httpGet.path ??= '/';
    p.httpGet.scheme ??= 'HTTP';
  }
}

/** :latest or no tag → Always, else IfNotPresent (SetDefaults_Container). */
function pullPolicy(image: string): 'Always' | 'IfNotPresent' {
  if (image.includes('@')) return 'IfNotPresent';
  const last = image.slice(image.lastIndexOf('/') + 1);
  const tag = last.includes(':') ? last.slice(last.indexOf(':') + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultContainer(c: Container): void {
  if (typeof c !== 'object' || c === null) return;
  if (typeof c.image === 'string') c.imagePullPolicy ??= pullPolicy(c.image);
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.resources ??= {};
  for (const p of c.ports ?? []) if (p && typeof p === 'object') p.protocol ??= 'TCP';
  defaultProbe(c.readinessProbe);
  defaultProbe(c.livenessProbe);
  defaultProbe(c.startupProbe);
}

export function defaultPodSpec(spec: PodSpec): void {
  if (!isPlainObject(spec)) return;
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  if (Array.isArray(spec.containers)) spec.containers.forEach(defaultContainer);
  if (Array.isArray(spec.initContainers)) spec.initContainers.forEach(defaultContainer);
}

/** Admission defaults that apply to pods only (not templates). */
function admitPod(spec: PodSpec): void {
  spec.serviceAccountName ??= 'default';
  spec.serviceAccount ??= spec.serviceAccountName;
  spec.enableServiceLinks ??= true;
  spec.priority ??= spec.priorityClassName === 'system-node-critical' ? 2000001000 : spec.priorityClassName === 'system-cluster-critical' ? 2000000000 : 0;
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
  const tol = (spec.tolerations ??= []);
  // DefaultTolerationSeconds admission plugin.
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    if (!tol.some((t) => t.key === key || (t.operator === 'Exists' && !t.key))) {
      tol.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
    }
  }
}

/** utilrand's alphabet (no vowels, no confusable digits). */
const RAND_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
export const SA_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * The ServiceAccount admission plugin on pod create (plugin/pkg/admission/serviceaccount):
 * unless automountServiceAccountToken is false, a projected `kube-api-access-xxxxx` volume
 * (bound token, the kube-root-ca.crt ConfigMap's ca.crt, the namespace via the downward API)
 * mounted read-only at /var/run/secrets/kubernetes.io/serviceaccount in every container.
 * Mirror pods of static pods are left alone. The suffix is derived from the pod's uid so it
 * does not draw from the cluster's PRNG.
 */
export function mountServiceAccountToken(o: KubeObject): void {
  const spec = o.spec as PodSpec | undefined;
  if (!isPlainObject(spec) || !Array.isArray(spec.containers)) return;
  const ann = o.metadata.annotations ?? {};
  if (ann['kubernetes.io/config.source'] === 'file' || ann['kubernetes.io/config.mirror']) return;
  if (spec.automountServiceAccountToken === false) return;
  const all = [...spec.containers, ...(spec.initContainers ?? [])];
  if (all.some((c) => c?.volumeMounts?.some((m) => m.mountPath === SA_MOUNT_PATH))) return;
  let h = 2166136261;
  for (const ch of o.metadata.uid ?? o.metadata.name ?? '') h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  let suffix = '';
  for (let i = 0; i < 5; i++) {
    suffix += RAND_ALPHABET[h % RAND_ALPHABET.length];
    h = Math.imul(h ^ (i + 0x9e37), 16777619) >>> 0;
  }
  const name = `kube-api-access-${suffix}`;
  spec.volumes = [
    ...(spec.volumes ?? []),
    {
      name,
      projected: {
        defaultMode: 420,
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
        ],
      },
    },
  ];
  for (const c of all) if (c && typeof c === 'object') c.volumeMounts = [...(c.volumeMounts ?? []), { name, readOnly: true, mountPath: SA_MOUNT_PATH }];
}

function defaultServicePort(p: ServicePort): void {
  if (!isPlainObject(p)) return;
  p.protocol ??= 'TCP';
  if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
}

export function defaultObject(o: KubeObject): void {
  const m = o.metadata as unknown as Obj;
  const spec = isPlainObject(o.spec) ? (o.spec as Obj) : undefined;
  switch (o.kind) {
    case 'Namespace': {
      const labels = (o.metadata.labels ??= {});
      labels['kubernetes.io/metadata.name'] = o.metadata.name;
      const s = obj(o, 'spec');
      s.finalizers ??= ['kubernetes'];
      const st = obj(o, 'status');
      st.phase ??= 'Active';
      break;
    }
    case 'Pod':
      if (spec) {
        defaultPodSpec(spec as PodSpec);
        admitPod(spec as PodSpec);
      }
      break;
    case 'Deployment':
      if (spec) {
        spec.replicas ??= 1;
        const strategy = obj(spec, 'strategy');
        strategy.type ??= 'RollingUpdate';
        if (strategy.type === 'RollingUpdate') {
          const ru = obj(strategy, 'rollingUpdate');
          ru.maxUnavailable ??= '25%';
          ru.maxSurge ??= '25%';
        }
        spec.revisionHistoryLimit ??= 10;
        spec.progressDeadlineSeconds ??= 600;
        const tpl = spec.template as Obj | undefined;
        if (isPlainObject(tpl) && isPlainObject(tpl.spec)) defaultPodSpec(tpl.spec as PodSpec);
      }
      break;
    case 'ReplicaSet':
    case 'DaemonSet':
      if (spec) {
        if (o.kind === 'ReplicaSet') spec.replicas ??= 1;
        if (o.kind === 'DaemonSet') {
          const us = obj(spec, 'updateStrategy');
          us.type ??= 'RollingUpdate';
          if (us.type === 'RollingUpdate') {
            const ru = obj(us, 'rollingUpdate');
            ru.maxUnavailable ??= 1;
            ru.maxSurge ??= 0;
          }
          spec.revisionHistoryLimit ??= 10;
        }
        const tpl = spec.template as Obj | undefined;
        if (isPlainObject(tpl) && isPlainObject(tpl.spec)) defaultPodSpec(tpl.spec as PodSpec);
      }
      break;
    case 'Service':
      if (spec) {
        spec.type ??= 'ClusterIP';
        spec.sessionAffinity ??= 'None';
        if (spec.sessionAffinity === 'ClientIP') {
          const cfg = obj(obj(spec, 'sessionAffinityConfig'), 'clientIP');
          cfg.timeoutSeconds ??= 10800;
        }
        if (Array.isArray(spec.ports)) spec.ports.forEach((p) => defaultServicePort(p as ServicePort));
        if (spec.type !== 'ExternalName') {
          spec.internalTrafficPolicy ??= 'Cluster';
          spec.ipFamilies ??= ['IPv4'];
          spec.ipFamilyPolicy ??= 'SingleStack';
        }
        // Externally accessible Services (node ports, LB IPs, or external IPs) get Cluster.
        const external = spec.type === 'NodePort' || spec.type === 'LoadBalancer' || (spec.type === 'ClusterIP' && Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0);
        if (external) spec.externalTrafficPolicy ??= 'Cluster';
        if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
        if (spec.clusterIP === 'None' && !spec.clusterIPs) spec.clusterIPs = ['None'];
        if (typeof spec.clusterIP === 'string' && spec.clusterIP && !spec.clusterIPs) spec.clusterIPs = [spec.clusterIP];
        obj(obj(o, 'status'), 'loadBalancer');
      }
      break;
    case 'NetworkPolicy':
      if (spec) {
        // SetDefaults_NetworkPolicySpec (pkg/apis/networking/v1/defaults.go): an absent or
        // empty list becomes Ingress, plus Egress only when there is at least one egress rule.
        if (!Array.isArray(spec.policyTypes) || spec.policyTypes.length === 0) {
          spec.policyTypes = Array.isArray(spec.egress) && spec.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
        }
        spec.podSelector ??= {};
        for (const dir of ['ingress', 'egress']) {
          for (const rule of (spec[dir] as Obj[] | undefined) ?? []) {
            for (const p of ((rule?.ports as Obj[] | undefined) ?? [])) if (isPlainObject(p)) p.protocol ??= 'TCP';
          }
        }
      }
      break;
    case 'EndpointSlice':
      for (const p of (o.ports as Obj[] | null | undefined) ?? []) if (isPlainObject(p)) p.protocol ??= 'TCP';
      break;
  }
  void m;
}
