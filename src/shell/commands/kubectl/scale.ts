/**
 * kubectl scale (k8s.io/kubectl/pkg/cmd/scale): set spec.replicas through the scale
 * subresource, optionally only if --current-replicas matches. Prints `deployment.apps/web scaled`.
 */
import { has, int, str } from '../../flags';
import { apiErrorText, errorResult, refOf, type Verb } from './common';
import { dryRunOf, dryRunSuffix, DRY_RUN_FLAG } from './dryrun';
import { kubectlHelp } from './help/format';
import { resolveTargets } from './targets';

const SCALABLE = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController']);

export const scale: Verb = {
  name: 'scale',
  help: kubectlHelp({
    long: `Set a new size for a deployment, replica set, replication controller, or stateful set.

 Scale also allows users to specify one or more preconditions for the scale action.

 If --current-replicas or --resource-version is specified, it is validated before the scale is attempted, and it is
guaranteed that the precondition holds true when the scale is sent to the server.`,
    examples: `  # Scale a replica set named 'foo' to 3
  kubectl scale --replicas=3 rs/foo

  # Scale a resource identified by type and name specified in "foo.yaml" to 3
  kubectl scale --replicas=3 -f foo.yaml

  # If the deployment named mysql's current size is 2, scale mysql to 3
  kubectl scale --current-replicas=2 --replicas=3 deployment/mysql

  # Scale multiple replication controllers
  kubectl scale --replicas=5 rc/example1 rc/example2 rc/example3`,
    options: [
      ['--all=false', 'Select all resources in the namespace of the specified resource types'],
      ['--current-replicas=-1', 'Precondition for current size. Requires that the current size of the resource match this value in order to\n\tscale. -1 (default) for no condition.'],
      ['--replicas=0', 'The new desired number of replicas. Required.'],
      ["-l, --selector=''", "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l\n\tkey1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label\n\tconstraints."],
    ],
    usage: 'kubectl scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME) [options]',
  }),
  flags: [
    { name: 'replicas', type: 'int' },
    { name: 'current-replicas', type: 'int' },
    { name: 'resource-version', type: 'string' },
    { name: 'all', type: 'bool' },
    { name: 'selector', short: 'l', type: 'string' },
    { name: 'filename', short: 'f', type: 'stringArray' },
    { name: 'recursive', short: 'R', type: 'bool' },
    { name: 'output', short: 'o', type: 'string' },
    { name: 'timeout', type: 'string' },
    DRY_RUN_FLAG,
  ],
  async run(p, ctx) {
    if (!has(p, 'replicas')) return errorResult('required flag(s) "replicas" not set');
    const replicas = int(p, 'replicas', -1);
    if (replicas < 0) return errorResult('The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0');
    const dry = dryRunOf(p, ctx.cluster.now());
    if ('error' in dry) return errorResult(dry.error);
    const resolved = await resolveTargets(p, ctx, { verb: 'scale', typeAloneSelectsAll: false });
    if ('exitCode' in resolved) return resolved;
    let stdout = '';
    const errors = [...resolved.errors];
    if (resolved.targets.length === 0 && errors.length === 0) return errorResult('no objects passed to scale');
    for (const t of resolved.targets) {
      if (!SCALABLE.has(t.resource.kind)) {
        errors.push('Error from server (NotFound): the server could not find the requested resource\n');
        continue;
      }
      const current = (t.object.spec as { replicas?: number } | undefined)?.replicas ?? 1;
      const want = int(p, 'current-replicas', -1);
      if (want !== -1 && want !== current) {
        errors.push(`error: Expected replicas to be ${want}, was ${current}\n`);
        continue;
      }
      const r = ctx.cluster.patch(t.resource.kind, t.object.metadata.namespace, t.object.metadata.name, { spec: { replicas } }, 'merge', dry.dryRun ? { dryRun: dry.dryRun } : {});
      if (!r.ok) {
        errors.push(apiErrorText(r.error));
        continue;
      }
      const ref = refOf(t.resource, t.object.metadata.name);
      stdout += str(p, 'output') === 'name' ? `${ref}\n` : `${ref} scaled${dryRunSuffix(dry.dryRun)}\n`;
    }
    return { stdout, stderr: errors.join(''), exitCode: errors.length ? 1 : 0 };
  },
};
