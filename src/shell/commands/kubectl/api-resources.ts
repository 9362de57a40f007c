/**
 * kubectl api-resources: the kinds this API server serves (NAME, SHORTNAMES, APIVERSION,
 * NAMESPACED, KIND; -o wide adds VERBS and CATEGORIES). Real clusters list many more kinds;
 * we list what the emulation serves, so what a learner sees here they can use.
 */
import { bool, has, str } from '../../flags';
import { errorResult, type Verb } from './common';
import { kubectlHelp } from './help/format';
import { formatTable } from './printers/table';

export const apiResources: Verb = {
  name: 'api-resources',
  help: kubectlHelp({
    long: 'Print the supported API resources on the server.',
    examples: `  # Print the supported API resources
  kubectl api-resources

  # Print the supported API resources with more information
  kubectl api-resources -o wide

  # Print the supported API resources sorted by a column
  kubectl api-resources --sort-by=name

  # Print the supported namespaced resources
  kubectl api-resources --namespaced=true

  # Print the supported non-namespaced resources
  kubectl api-resources --namespaced=false

  # Print the supported API resources with a specific APIGroup
  kubectl api-resources --api-group=rbac.authorization.k8s.io`,
    options: [
      ["--api-group=''", 'Limit to resources in the specified API group.'],
      ['--namespaced=true', 'If false, non-namespaced resources will be returned, otherwise returning namespaced resources by default.'],
      ['--no-headers=false', "When using the default or custom-column output format, don't print headers (default print headers)."],
      ["-o, --output=''", 'Output format. One of: (wide, name).'],
      ["--sort-by=''", "If non-empty, sort list of resources using specified field. The field can be either 'name' or 'kind'."],
    ],
    usage: 'kubectl api-resources [flags] [options]',
  }),
  flags: [
    { name: 'api-group', type: 'string' },
    { name: 'namespaced', type: 'bool' },
    { name: 'no-headers', type: 'bool' },
    { name: 'output', short: 'o', type: 'string' },
    { name: 'sort-by', type: 'string' },
    { name: 'verbs', type: 'stringArray' },
    { name: 'cached', type: 'bool' },
    { name: 'categories', type: 'stringArray' },
  ],
  run(p, ctx) {
    const out = str(p, 'output');
    if (out !== '' && out !== 'wide' && out !== 'name') return errorResult(`--output ${out} is not available`);
    const sortBy = str(p, 'sort-by');
    if (sortBy !== '' && sortBy !== 'name' && sortBy !== 'kind') return errorResult(`--sort-by accepts only name or kind`);
    let rs = [...ctx.cluster.resources];
    if (has(p, 'namespaced')) rs = rs.filter((r) => r.namespaced === bool(p, 'namespaced'));
    if (has(p, 'api-group')) rs = rs.filter((r) => r.group === str(p, 'api-group'));
    if (sortBy) rs.sort((a, b) => (sortBy === 'name' ? a.name.localeCompare(b.name) : a.kind.localeCompare(b.kind)));
    if (out === 'name') return { stdout: rs.map((r) => (r.group ? `${r.name}.${r.group}\n` : `${r.name}\n`)).join(''), stderr: '', exitCode: 0 };
    const wide = out === 'wide';
    const rows = rs.map((r) => [
      r.name,
      r.shortNames.join(','),
      r.apiVersion,
      String(r.namespaced),
      r.kind,
      ...(wide ? [r.verbs.join(','), r.inAll ? 'all' : ''] : []),
    ]);
    const header = ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND', ...(wide ? ['VERBS', 'CATEGORIES'] : [])];
    return { stdout: formatTable(bool(p, 'no-headers') ? rows : [header, ...rows]), stderr: '', exitCode: 0 };
  },
};
