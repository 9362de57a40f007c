/** kubectl api-versions: every group/version the server serves, sorted, one per line. */
import type { Verb } from './common';
import { kubectlHelp } from './help/format';

export const apiVersions: Verb = {
  name: 'api-versions',
  help: kubectlHelp({
    long: 'Print the supported API versions on the server, in the form of "group/version".',
    examples: `  # Print the supported API versions
  kubectl api-versions`,
    options: [],
    usage: 'kubectl api-versions [flags] [options]',
  }),
  flags: [],
  run(_p, ctx) {
    const versions = [...new Set(ctx.cluster.resources.map((r) => r.apiVersion))].sort();
    return { stdout: versions.map((v) => `${v}\n`).join(''), stderr: '', exitCode: 0 };
  },
};
