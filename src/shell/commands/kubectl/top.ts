/**
 * kubectl top: a kind cluster has no metrics-server, so kubectl answers as it does there.
 */
import { errorResult, type Verb } from './common';
import { kubectlHelp } from './help/format';

export const top: Verb = {
  name: 'top',
  help: kubectlHelp({
    long: `Display resource (CPU/memory) usage.

 The top command allows you to see the resource consumption for nodes or pods.

 This command requires Metrics Server to be correctly configured and working on the server.

Available Commands:
  node          Display resource (CPU/memory) usage of nodes
  pod           Display resource (CPU/memory) usage of pods`,
    examples: '',
    options: [],
    usage: 'kubectl top [flags] [options]',
  }),
  flags: [
    { name: 'all-namespaces', short: 'A', type: 'bool' },
    { name: 'selector', short: 'l', type: 'string' },
    { name: 'containers', type: 'bool' },
    { name: 'sort-by', type: 'string' },
    { name: 'no-headers', type: 'bool' },
  ],
  run(p) {
    if (p.args.length === 0) return { stdout: top.help, stderr: '', exitCode: 0 };
    return errorResult('Metrics API not available');
  },
};
