/**
 * kubectl config: the kubeconfig kind writes (context, cluster and user all `kind-kind`),
 * kept per session so `set-context --current --namespace=X` changes later commands' namespace.
 */
import { bool, str } from '../../flags';
import { errorResult, usageErrorf, type Verb } from './common';
import { kubectlHelp } from './help/format';
import { API_SERVER_URL } from './cluster-info';
import { formatTable } from './printers/table';

const SUBCOMMANDS = ['current-context', 'get-contexts', 'view', 'use-context', 'set-context', 'get-clusters', 'get-users'];

export const config: Verb = {
  name: 'config',
  help: kubectlHelp({
    long: `Modify kubeconfig files using subcommands like "kubectl config set current-context my-context".

 The loading order follows these rules:

  1.  If the --kubeconfig flag is set, then only that file is loaded. The flag may only be set once and no merging takes
place.
  2.  If $KUBECONFIG environment variable is set, then it is used as a list of paths (normal path delimiting rules for
your system). These paths are merged. When a value is modified, it is modified in the file that defines the stanza. When
a value is created, it is created in the first file that exists. If no files in the chain exist, then it creates the
last file in the list.
  3.  Otherwise, \${HOME}/.kube/config is used and no merging takes place.

Available Commands:
  current-context   Display the current-context
  get-clusters      Display clusters defined in the kubeconfig
  get-contexts      Describe one or many contexts
  get-users         Display users defined in the kubeconfig
  set-context       Set a context entry in kubeconfig
  use-context       Set the current-context in a kubeconfig file
  view              Display merged kubeconfig settings or a specified kubeconfig file`,
    examples: '',
    options: [],
    usage: 'kubectl config SUBCOMMAND [options]',
  }),
  flags: [
    { name: 'current', type: 'bool' },
    { name: 'output', short: 'o', type: 'string' },
    { name: 'minify', type: 'bool' },
    { name: 'raw', type: 'bool' },
    { name: 'flatten', type: 'bool' },
    { name: 'no-headers', type: 'bool' },
  ],
  run(p, ctx) {
    const [sub, ...args] = p.args;
    const kc = ctx.kubeconfig;
    const ns = str(p, 'namespace');
    switch (sub) {
      case 'current-context':
        return { stdout: `${kc.currentContext}\n`, stderr: '', exitCode: 0 };
      case 'get-contexts': {
        if (args[0] && args[0] !== kc.currentContext) return errorResult(`context ${args[0]} not found`);
        if (str(p, 'output') === 'name') return { stdout: `${kc.currentContext}\n`, stderr: '', exitCode: 0 };
        const rows = [['*', kc.currentContext, 'kind-kind', 'kind-kind', kc.namespace ?? '']];
        const header = ['CURRENT', 'NAME', 'CLUSTER', 'AUTHINFO', 'NAMESPACE'];
        return { stdout: formatTable(bool(p, 'no-headers') ? rows : [header, ...rows]), stderr: '', exitCode: 0 };
      }
      case 'get-clusters':
        return { stdout: 'NAME\nkind-kind\n', stderr: '', exitCode: 0 };
      case 'get-users':
        return { stdout: 'NAME\nkind-kind\n', stderr: '', exitCode: 0 };
      case 'use-context':
        if (!args[0]) return usageErrorf('config use-context', 'Unexpected args: []');
        if (args[0] !== 'kind-kind') return errorResult(`no context exists with the name: "${args[0]}"`);
        return { stdout: `Switched to context "${args[0]}".\n`, stderr: '', exitCode: 0 };
      case 'set-context': {
        const name = bool(p, 'current') ? kc.currentContext : args[0];
        if (!name) return errorResult('you must specify a non-empty context name or --current');
        if (name !== 'kind-kind') return errorResult(`setting context "${name}" is not supported in this emulated cluster`);
        if (ns) kc.namespace = ns;
        return { stdout: `Context "${name}" modified.\n`, stderr: '', exitCode: 0 };
      }
      case 'view':
        return { stdout: view(kc.namespace, bool(p, 'raw')), stderr: '', exitCode: 0 };
      case undefined:
        return { stdout: config.help, stderr: '', exitCode: 0 };
    }
    return SUBCOMMANDS.includes(sub)
      ? errorResult(`"kubectl config ${sub}" is not available in this emulated cluster yet`)
      : { stdout: config.help, stderr: '', exitCode: 0 };
  },
};

function view(namespace: string | undefined, raw: boolean): string {
  const data = raw ? 'REDACTED' : 'DATA+OMITTED';
  return `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: ${data}
    server: ${API_SERVER_URL}
  name: kind-kind
contexts:
- context:
    cluster: kind-kind
${namespace ? `    namespace: ${namespace}\n` : ''}    user: kind-kind
  name: kind-kind
current-context: kind-kind
kind: Config
preferences: {}
users:
- name: kind-kind
  user:
    client-certificate-data: ${data}
    client-key-data: ${data}
`;
}
