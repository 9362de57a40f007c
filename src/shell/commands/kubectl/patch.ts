/**
 * kubectl patch (k8s.io/kubectl/pkg/cmd/patch): -p as JSON or YAML, --type strategic (default),
 * merge or json. Prints `deployment.apps/web patched`, or `(no change)` when nothing changed.
 */
import { parse } from 'yaml';
import type { PatchType } from '../../../engine';
import { str, type ParsedFlags } from '../../flags';
import type { CommandContext, CommandResult } from '../../types';
import { apiErrorText, errorResult, namespaceOf, refOf, usageErrorf, type Verb } from './common';
import { dryRunOf, dryRunSuffix, DRY_RUN_FLAG } from './dryrun';
import { parseResourceArgs } from './get';
import { kubectlHelp } from './help/format';

async function run(p: ParsedFlags, ctx: CommandContext): Promise<CommandResult> {
  const type = str(p, 'type', 'strategic');
  if (!['strategic', 'merge', 'json'].includes(type)) return errorResult(`--type must be one of [json merge strategic], not "${type}"`);
  const text = str(p, 'patch');
  if (!text) return usageErrorf('patch', 'must specify --patch or --patch-file containing the contents of the patch');
  let patch: unknown;
  try {
    patch = parse(text);
  } catch (e) {
    return errorResult(`unable to parse "${text}": ${(e as Error).message.split('\n')[0]}`);
  }
  if (p.args.length === 0) return usageErrorf('patch', 'You must provide one or more resources by argument or filename.');
  const dry = dryRunOf(p, ctx.cluster.now());
  if ('error' in dry) return errorResult(dry.error);
  const reqs = parseResourceArgs(p.args, ctx, 'patch');
  if (!Array.isArray(reqs)) return reqs;
  let stdout = '';
  const errors: string[] = [];
  for (const req of reqs) {
    if (req.names.length === 0) return errorResult('resource(s) were provided, but no name was specified');
    for (const name of req.names) {
      const ns = req.resource.namespaced ? namespaceOf(p, ctx) : undefined;
      const before = ctx.cluster.get(req.resource.kind, ns, name);
      if (!before.ok) {
        errors.push(apiErrorText(before.error));
        continue;
      }
      const r = ctx.cluster.patch(req.resource.kind, ns, name, patch, type as PatchType, dry.dryRun ? { dryRun: dry.dryRun } : {});
      if (!r.ok) {
        errors.push(apiErrorText(r.error));
        continue;
      }
      const same = r.value.metadata.resourceVersion === before.value.metadata.resourceVersion;
      stdout += `${refOf(req.resource, name)} patched${same ? ' (no change)' : ''}${dryRunSuffix(dry.dryRun)}\n`;
    }
  }
  return { stdout, stderr: errors.join(''), exitCode: errors.length ? 1 : 0 };
}

export const patch: Verb = {
  name: 'patch',
  help: kubectlHelp({
    long: `Update fields of a resource using strategic merge patch, a JSON merge patch, or a JSON patch.

 JSON and YAML formats are accepted.`,
    examples: `  # Partially update a node using a strategic merge patch, specifying the patch as JSON
  kubectl patch node k8s-node-1 -p '{"spec":{"unschedulable":true}}'

  # Update a container's image; spec.containers[*].name is required because it's a merge key
  kubectl patch pod valid-pod -p '{"spec":{"containers":[{"name":"kubernetes-serve-hostname","image":"new image"}]}}'

  # Update a container's image using a JSON patch with positional arrays
  kubectl patch pod valid-pod --type='json' -p='[{"op": "replace", "path": "/spec/containers/0/image", "value":"new image"}]'`,
    options: [
      ["-p, --patch=''", 'The patch to be applied to the resource JSON file.'],
      ["--type='strategic'", 'The type of patch being provided; one of [json merge strategic]'],
    ],
    usage: 'kubectl patch (-f FILENAME | TYPE NAME) [-p PATCH|--patch-file FILE] [options]',
  }),
  flags: [
    { name: 'patch', short: 'p', type: 'string' },
    { name: 'type', type: 'string' },
    { name: 'output', short: 'o', type: 'string' },
    { name: 'local', type: 'bool' },
    { name: 'subresource', type: 'string' },
    DRY_RUN_FLAG,
  ],
  run,
};
