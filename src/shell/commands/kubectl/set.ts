/**
 * kubectl set image (k8s.io/kubectl/pkg/cmd/set/set_image.go): `set image deploy/web nginx=nginx:1.28`
 * changes container images in the pod template (`*=IMAGE` for all); prints `… image updated`.
 */
import type { Container, Deployment, ObjectInput } from '../../../engine';
import type { ParsedFlags } from '../../flags';
import type { CommandContext, CommandResult } from '../../types';
import { apiErrorText, errorResult, namespaceOf, refOf, usageErrorf, type Verb } from './common';
import { parseResourceArgs } from './get';
import { kubectlHelp } from './help/format';

async function run(p: ParsedFlags, ctx: CommandContext): Promise<CommandResult> {
  const [sub, ...args] = p.args;
  if (sub !== 'image') {
    if (sub === undefined) return { stdout: set.help, stderr: '', exitCode: 0 };
    if (['env', 'resources', 'selector', 'serviceaccount', 'subject'].includes(sub)) return errorResult(`"kubectl set ${sub}" is not available in this emulated cluster yet`);
    return { stdout: set.help, stderr: '', exitCode: 0 };
  }
  const pairs = args.filter((a) => a.includes('='));
  const resources = args.filter((a) => !a.includes('='));
  if (pairs.length === 0) return usageErrorf('set image', 'at least one image update is required');
  if (resources.length === 0) return usageErrorf('set image', 'one or more resources must be specified as <resource> <name> or <resource>/<name>');
  const reqs = parseResourceArgs(resources, ctx, 'set image');
  if (!Array.isArray(reqs)) return reqs;
  let stdout = '';
  const errors: string[] = [];
  for (const req of reqs) {
    for (const name of req.names) {
      const got = ctx.cluster.get<Deployment>(req.resource.kind, namespaceOf(p, ctx), name);
      if (!got.ok) {
        errors.push(apiErrorText(got.error));
        continue;
      }
      const obj = JSON.parse(JSON.stringify(got.value)) as Deployment | { kind: 'Pod'; spec: { containers: Container[] } };
      const spec = obj.kind === 'Pod' ? obj.spec : obj.spec?.template?.spec;
      if (!spec) {
        errors.push(`error: unable to find container named "${pairs[0]!.split('=')[0]}"\n`);
        continue;
      }
      let changed = false;
      for (const pair of pairs) {
        const [cname, image] = pair.split('=') as [string, string];
        const targets = cname === '*' ? spec.containers : spec.containers.filter((c) => c.name === cname);
        if (targets.length === 0) {
          errors.push(`error: unable to find container named "${cname}"\n`);
          continue;
        }
        for (const c of targets) {
          if (c.image !== image) changed = true;
          c.image = image;
        }
      }
      if (!changed) continue;
      const r = ctx.cluster.update(obj as unknown as ObjectInput);
      if (!r.ok) {
        errors.push(apiErrorText(r.error));
        continue;
      }
      stdout += `${refOf(req.resource, name)} image updated\n`;
    }
  }
  return { stdout, stderr: errors.join(''), exitCode: errors.length ? 1 : 0 };
}

export const set: Verb = {
  name: 'set',
  help: kubectlHelp({
    long: `Configure application resources.

 These commands help you make changes to existing application resources.

Available Commands:
  env              Update environment variables on a pod template
  image            Update the image of a pod template
  resources        Update resource requests/limits on objects with pod templates
  selector         Set the selector on a resource
  serviceaccount   Update the service account of a resource
  subject          Update the user, group, or service account in a role binding or cluster role binding`,
    examples: `  # Set a deployment's nginx container image to 'nginx:1.9.1', and its busybox container image to 'busybox'
  kubectl set image deployment/nginx busybox=busybox nginx=nginx:1.9.1`,
    options: [],
    usage: 'kubectl set SUBCOMMAND [options]',
  }),
  flags: [
    { name: 'all', type: 'bool' },
    { name: 'selector', short: 'l', type: 'string' },
    { name: 'filename', short: 'f', type: 'stringArray' },
    { name: 'local', type: 'bool' },
    { name: 'output', short: 'o', type: 'string' },
    { name: 'record', type: 'bool' },
  ],
  run,
};
