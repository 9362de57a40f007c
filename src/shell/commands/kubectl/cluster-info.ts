/**
 * kubectl cluster-info: the API server URL and every kube-system Service labelled
 * kubernetes.io/cluster-service=true, linked through the API server proxy
 * (k8s.io/kubectl/pkg/cmd/clusterinfo). kind publishes the API server on 127.0.0.1.
 */
import type { Service } from '../../../engine';
import { errorResult, type Verb } from './common';
import { kubectlHelp } from './help/format';

export const API_SERVER_URL = 'https://127.0.0.1:6443';

export const clusterInfo: Verb = {
  name: 'cluster-info',
  help: kubectlHelp({
    long: `Display addresses of the control plane and services with label kubernetes.io/cluster-service=true. To further debug
and diagnose cluster problems, use 'kubectl cluster-info dump'.`,
    examples: `  # Print the address of the control plane and cluster services
  kubectl cluster-info`,
    options: [],
    usage: 'kubectl cluster-info [flags] [options]',
  }),
  flags: [],
  run(p, ctx) {
    if (p.args[0] === 'dump') return errorResult('"kubectl cluster-info dump" is not available in this emulated cluster yet');
    let stdout = `Kubernetes control plane is running at ${API_SERVER_URL}\n`;
    const svcs = ctx.cluster.list<Service>('Service', { namespace: 'kube-system', labelSelector: 'kubernetes.io/cluster-service=true' });
    for (const s of svcs.ok ? svcs.value : []) {
      const name = s.metadata.labels?.['kubernetes.io/name'] ?? s.metadata.name;
      const port = s.spec.ports?.[0];
      const target = port?.name ? `${s.metadata.name}:${port.name}` : s.metadata.name;
      stdout += `${name} is running at ${API_SERVER_URL}/api/v1/namespaces/kube-system/services/${target}/proxy\n`;
    }
    stdout += "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n";
    return { stdout, stderr: '', exitCode: 0 };
  },
};
