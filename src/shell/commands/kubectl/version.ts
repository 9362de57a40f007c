/**
 * kubectl version: client and server gitVersion (the learner's kubectl is taken to match the
 * cluster), plus the Kustomize version kubectl embeds (v5.7.1 since kubectl 1.34).
 */
import { bool, str } from '../../flags';
import { errorResult, type Verb } from './common';
import { kubectlHelp } from './help/format';
import { toJson } from './printers/json';
import { toYaml } from './printers/yaml';

const KUSTOMIZE = 'v5.7.1';

function info(v: string) {
  const [major, minor] = v.replace(/^v/, '').split('.');
  return { major, minor, gitVersion: v, gitTreeState: 'clean', goVersion: 'go1.25.3', compiler: 'gc', platform: 'linux/amd64' };
}

export const version: Verb = {
  name: 'version',
  help: kubectlHelp({
    long: 'Print the client and server version information for the current context.',
    examples: `  # Print the client and server versions for the current context
  kubectl version`,
    options: [
      ['--client=false', 'If true, shows client version only (no server required).'],
      ["-o, --output=''", "One of 'yaml' or 'json'."],
    ],
    usage: 'kubectl version [flags] [options]',
  }),
  flags: [
    { name: 'client', type: 'bool' },
    { name: 'output', short: 'o', type: 'string' },
  ],
  run(p, ctx) {
    const v = ctx.cluster.config.kubernetesVersion;
    const client = bool(p, 'client');
    const out = str(p, 'output');
    if (out !== '' && out !== 'yaml' && out !== 'json') return errorResult("--output must be 'yaml' or 'json'");
    if (out) {
      const doc = { clientVersion: info(v), kustomizeVersion: KUSTOMIZE, ...(client ? {} : { serverVersion: info(v) }) };
      return { stdout: out === 'json' ? toJson(doc) : toYaml(doc), stderr: '', exitCode: 0 };
    }
    let stdout = `Client Version: ${v}\nKustomize Version: ${KUSTOMIZE}\n`;
    if (!client) stdout += `Server Version: ${v}\n`;
    return { stdout, stderr: '', exitCode: 0 };
  },
};
