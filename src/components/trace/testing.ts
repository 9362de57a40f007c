/**
 * Real Traces for the tests: a small cluster (two nginx Pods behind `web`, a netshoot client,
 * optionally an ingress deny on `web` or kube-proxy in IPVS mode), a command run in the
 * shell exactly as typed at the lab terminal, and every Trace it produced.
 */
import { createCluster, type Cluster, type Trace } from '../../engine';
import { createSession } from '../../shell';

export const WEB = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: nginx, image: "nginx:1.27", ports: [{name: http, containerPort: 80}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {clusterIP: 10.96.110.110, selector: {app: web}, ports: [{name: http, port: 80, targetPort: http}]}
---
apiVersion: v1
kind: Pod
metadata: {name: client, labels: {app: client}}
spec: {containers: [{name: c, image: "nicolaka/netshoot:v0.13", command: [sleep, infinity]}]}
`;

export const DENY_WEB = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-web}
spec: {podSelector: {matchLabels: {app: web}}, policyTypes: [Ingress]}
`;

export const IPVS_MODE = `---
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: ipvs
`;

export async function tracesOf(manifests: string, line: string): Promise<{ cluster: Cluster; traces: Trace[]; stdout: string }> {
  const cluster = createCluster({ seed: 1, manifests });
  const traces: Trace[] = [];
  cluster.onTrace((t) => void traces.push(t));
  const r = await createSession({ cluster }).run(line);
  return { cluster, traces, stdout: r.stdout };
}
