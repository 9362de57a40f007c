/**
 * kubectl edit: in a real shell kubectl writes the object to a temp file and runs
 * $KUBE_EDITOR, $EDITOR or vi. The emulated workstation has no terminal editor, so it fails
 * the way kubectl does when it cannot start one; the browser opens the YAML editor instead.
 */
import type { ParsedFlags } from '../../flags';
import type { CommandContext, CommandResult } from '../../types';
import { apiErrorText, errorResult, namespaceOf, usageErrorf, type Verb } from './common';
import { parseResourceArgs } from './get';
import { kubectlHelp } from './help/format';

async function run(p: ParsedFlags, ctx: CommandContext): Promise<CommandResult> {
  if (p.args.length === 0) return usageErrorf('edit', 'You must provide one or more resources by argument or filename.');
  const reqs = parseResourceArgs(p.args, ctx, 'edit');
  if (!Array.isArray(reqs)) return reqs;
  for (const req of reqs) {
    for (const name of req.names) {
      const got = ctx.cluster.get(req.resource.kind, req.resource.namespaced ? namespaceOf(p, ctx) : undefined, name);
      if (!got.ok) return { stdout: '', stderr: apiErrorText(got.error), exitCode: 1 };
    }
  }
  const editor = ctx.env.get('KUBE_EDITOR') || ctx.env.get('EDITOR') || 'vi';
  return errorResult(`unable to launch the editor "${editor}"`);
}

export const edit: Verb = {
  name: 'edit',
  help: kubectlHelp({
    long: `Edit a resource from the default editor.

 The edit command allows you to directly edit any API resource you can retrieve via the command-line tools. It will open
the editor defined by your KUBE_EDITOR, or EDITOR environment variables, or fall back to 'vi' for Linux or 'notepad' for
Windows.`,
    examples: `  # Edit the service named 'registry'
  kubectl edit svc/registry`,
    options: [["-o, --output=''", 'Output format.']],
    usage: 'kubectl edit (RESOURCE/NAME | -f FILENAME) [options]',
  }),
  flags: [
    { name: 'output', short: 'o', type: 'string' },
    { name: 'filename', short: 'f', type: 'stringArray' },
    { name: 'windows-line-endings', type: 'bool' },
    { name: 'save-config', type: 'bool' },
  ],
  run,
};
