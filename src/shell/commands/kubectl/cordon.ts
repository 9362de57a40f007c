/**
 * kubectl cordon / uncordon (k8s.io/kubectl/pkg/cmd/drain): set spec.unschedulable on nodes.
 * Prints `node/worker cordoned`, or `already cordoned` when nothing changes.
 */
import type { Node } from '../../../engine';
import { str, type ParsedFlags } from '../../flags';
import type { CommandContext, CommandResult } from '../../types';
import { apiErrorText, errorResult, usageErrorf, type Verb } from './common';
import { dryRunOf, dryRunSuffix, DRY_RUN_FLAG } from './dryrun';
import { kubectlHelp } from './help/format';

function make(verb: 'cordon' | 'uncordon'): Verb {
  const want = verb === 'cordon';
  return {
    name: verb,
    help: kubectlHelp({
      long: want ? 'Mark node as unschedulable.' : 'Mark node as schedulable.',
      examples: `  # Mark node "foo" as ${want ? 'unschedulable' : 'schedulable'}\n  kubectl ${verb} foo`,
      options: [["-l, --selector=''", 'Selector (label query) to filter on.']],
      usage: `kubectl ${verb} NODE [options]`,
    }),
    flags: [{ name: 'selector', short: 'l', type: 'string' }, DRY_RUN_FLAG],
    async run(p: ParsedFlags, ctx: CommandContext): Promise<CommandResult> {
      const dry = dryRunOf(p, ctx.cluster.now());
      if ('error' in dry) return errorResult(dry.error);
      let nodes: Node[];
      if (str(p, 'selector')) {
        const l = ctx.cluster.list<Node>('Node', { labelSelector: str(p, 'selector') });
        nodes = l.ok ? l.value : [];
      } else {
        if (p.args.length !== 1) return usageErrorf(verb, 'USAGE: ' + `${verb} NODE [flags]`);
        const got = ctx.cluster.get<Node>('Node', undefined, p.args[0]!);
        if (!got.ok) return { stdout: '', stderr: apiErrorText(got.error), exitCode: 1 };
        nodes = [got.value];
      }
      let stdout = '';
      const errors: string[] = [];
      for (const n of nodes) {
        if (Boolean(n.spec?.unschedulable) === want) {
          stdout += `node/${n.metadata.name} already ${verb}ed\n`;
          continue;
        }
        const r = ctx.cluster.patch('Node', undefined, n.metadata.name, { spec: { unschedulable: want ? true : null } }, 'merge', dry.dryRun ? { dryRun: dry.dryRun } : {});
        if (!r.ok) errors.push(apiErrorText(r.error));
        else stdout += `node/${n.metadata.name} ${verb}ed${dryRunSuffix(dry.dryRun)}\n`;
      }
      return { stdout, stderr: errors.join(''), exitCode: errors.length ? 1 : 0 };
    },
  };
}

export const cordon = make('cordon');
export const uncordon = make('uncordon');
