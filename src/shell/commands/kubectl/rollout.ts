/**
 * kubectl rollout status|history|undo|restart|pause|resume for Deployments and DaemonSets
 * (k8s.io/kubectl/pkg/cmd/rollout, pkg/polymorphichelpers). The engine's facade owns the
 * rollout logic (status lines, revisions, undo); this verb parses, delegates and prints.
 * DaemonSets cannot pause: objectpauser.go/objectresumer.go answer `pausing is not supported`.
 */
import type { DaemonSet, Deployment, RolloutKind } from '../../../engine';
import { int, str, type ParsedFlags } from '../../flags';
import { describePodTemplate } from './describe/deployment';
import { DescribeWriter } from './describe/writer';
import type { CommandContext, CommandResult } from '../../types';
import { apiErrorText, errorResult, namespaceOf, refOf, usageErrorf, type Verb } from './common';
import { parseResourceArgs } from './get';
import { kubectlHelp } from './help/format';
import { tabwrite } from './printers/tabwriter';

const SUBCOMMANDS = ['history', 'pause', 'restart', 'resume', 'status', 'undo'];

type Workload = Deployment | DaemonSet;

function target(p: ParsedFlags, args: string[], ctx: CommandContext, sub: string): { d: Workload } | { error: CommandResult } {
  if (args.length === 0) return { error: usageErrorf(`rollout ${sub}`, 'required resource not specified') };
  const reqs = parseResourceArgs(args, ctx, `rollout ${sub}`);
  if (!Array.isArray(reqs)) return { error: reqs };
  const req = reqs[0]!;
  if (req.names.length === 0) return { error: errorResult('resource(s) were provided, but no name was specified') };
  const kind = req.resource.kind;
  if (kind !== 'Deployment' && kind !== 'DaemonSet') return { error: errorResult(`no ${sub === 'status' ? 'status viewer' : sub === 'history' ? 'history viewer' : 'rollbacker'} has been implemented for ${kind}`) };
  const got = ctx.cluster.get<Workload>(kind, namespaceOf(p, ctx), req.names[0]!);
  if (!got.ok) return { error: { stdout: '', stderr: apiErrorText(got.error), exitCode: 1 } };
  return { d: got.value };
}

const kindOf = (d: Workload): RolloutKind => d.kind;

function status(p: ParsedFlags, ctx: CommandContext, d: Workload): CommandResult {
  const ns = d.metadata.namespace ?? 'default';
  const kind = kindOf(d);
  if (p.flags.get('watch') === false) {
    const once = ctx.cluster.rolloutStatus(ns, d.metadata.name, { kind });
    if (!once.ok) return { stdout: '', stderr: apiErrorText(once.error), exitCode: 1 };
    return { stdout: `${once.value.line}\n`, stderr: '', exitCode: 0 };
  }
  const timeoutS = parseDuration(str(p, 'timeout', '0s'));
  const r = ctx.cluster.watchRolloutStatus(ns, d.metadata.name, timeoutS > 0 ? { timeoutMs: timeoutS * 1000, kind } : { kind });
  if (!r.ok) return { stdout: '', stderr: apiErrorText(r.error), exitCode: 1 };
  const stdout = r.value.lines.map((l) => `${l}\n`).join('');
  if (r.value.error) return { stdout, stderr: `error: ${r.value.error.message}\n`, exitCode: 1 };
  if (!r.value.done) return { stdout, stderr: 'error: timed out waiting for the condition\n', exitCode: 1 };
  return { stdout, stderr: '', exitCode: 0 };
}

function parseDuration(s: string): number {
  const m = /^(\d+)(s|m|h)?$/.exec(s);
  if (!m) return 0;
  return Number(m[1]) * ({ s: 1, m: 60, h: 3600 } as Record<string, number>)[m[2] ?? 's']!;
}

function history(p: ParsedFlags, ctx: CommandContext, d: Workload): CommandResult {
  const h = ctx.cluster.rolloutHistory(d.metadata.namespace ?? 'default', d.metadata.name, { kind: kindOf(d) });
  if (!h.ok) return { stdout: '', stderr: apiErrorText(h.error), exitCode: 1 };
  const ref = refOf(ctx.cluster.resolveResource(d.kind)!, d.metadata.name);
  const want = int(p, 'revision', 0);
  if (want > 0) {
    const rev = h.value.find((x) => x.revision === want);
    if (!rev) return errorResult(`unable to find the specified revision`);
    // history.go printTemplate: DescribePodTemplate into a PrefixWriter without a tabwriter,
    // so the tabs reach the terminal as they are; the printer adds `with revision #N`.
    const w = new DescribeWriter({ raw: true });
    describePodTemplate(w, rev.template);
    return { stdout: `${ref} with revision #${want}\n${w.toString()}\n`, stderr: '', exitCode: 0 };
  }
  if (h.value.length === 0) return { stdout: `${ref} \nNo rollout history found.\n`, stderr: '', exitCode: 0 };
  let table = 'REVISION\tCHANGE-CAUSE\n';
  for (const x of h.value) table += `${x.revision}\t${x.changeCause || '<none>'}\n`;
  // The name printer writes `deployment.apps/web ` + the history table + a newline.
  return { stdout: `${ref} \n${tabwrite(table, { minwidth: 0, padding: 2 })}\n`, stderr: '', exitCode: 0 };
}

function undo(p: ParsedFlags, ctx: CommandContext, d: Workload): CommandResult {
  const to = int(p, 'to-revision', 0);
  const r = ctx.cluster.rolloutUndo(d.metadata.namespace ?? 'default', d.metadata.name, to > 0 ? to : undefined, { kind: kindOf(d) });
  if (!r.ok) return { stdout: '', stderr: apiErrorText(r.error), exitCode: 1 };
  return { stdout: `${r.value.message}\n`, stderr: '', exitCode: 0 };
}

function patchDeployment(ctx: CommandContext, d: Deployment, patch: unknown, verb: string): CommandResult {
  const r = ctx.cluster.patch('Deployment', d.metadata.namespace, d.metadata.name, patch, 'merge');
  if (!r.ok) return { stdout: '', stderr: apiErrorText(r.error), exitCode: 1 };
  return { stdout: `${refOf(ctx.cluster.resolveResource('Deployment')!, d.metadata.name)} ${verb}\n`, stderr: '', exitCode: 0 };
}

async function run(p: ParsedFlags, ctx: CommandContext): Promise<CommandResult> {
  const [sub, ...args] = p.args;
  if (!sub) return { stdout: rollout.help, stderr: '', exitCode: 0 };
  if (!SUBCOMMANDS.includes(sub)) return { stdout: rollout.help, stderr: '', exitCode: 0 };
  const t = target(p, args, ctx, sub);
  if ('error' in t) return t.error;
  const d = t.d;
  switch (sub) {
    case 'status':
      return status(p, ctx, d);
    case 'history':
      return history(p, ctx, d);
    case 'undo':
      return undo(p, ctx, d);
    case 'restart':
    {
      const r = ctx.cluster.rolloutRestart(d.metadata.namespace ?? 'default', d.metadata.name, { kind: kindOf(d) });
      if (!r.ok) return { stdout: '', stderr: apiErrorText(r.error), exitCode: 1 };
      return { stdout: `${r.value}\n`, stderr: '', exitCode: 0 };
    }
    case 'pause':
      if (d.kind === 'DaemonSet') return errorResult(`daemonsets.apps "${d.metadata.name}" pausing is not supported`);
      if (d.spec.paused) return errorResult(`deployments.apps "${d.metadata.name}" is already paused`);
      return patchDeployment(ctx, d, { spec: { paused: true } }, 'paused');
    case 'resume':
      if (d.kind === 'DaemonSet') return errorResult(`daemonsets.apps "${d.metadata.name}" resuming is not supported`);
      if (!d.spec.paused) return errorResult(`deployments.apps "${d.metadata.name}" is not paused`);
      return patchDeployment(ctx, d, { spec: { paused: null } }, 'resumed');
  }
  return { stdout: rollout.help, stderr: '', exitCode: 0 };
}

export const rollout: Verb = {
  name: 'rollout',
  help: kubectlHelp({
    long: `Manage the rollout of one or many resources.

 Valid resource types include:

  *  deployments
  *  daemonsets
  *  statefulsets

Available Commands:
  history       View rollout history
  pause         Mark the provided resource as paused
  restart       Restart a resource
  resume        Resume a paused resource
  status        Show the status of the rollout
  undo          Undo a previous rollout`,
    examples: `  # Rollback to the previous deployment
  kubectl rollout undo deployment/abc

  # Check the rollout status of a daemonset
  kubectl rollout status daemonset/foo

  # Restart a deployment
  kubectl rollout restart deployment/abc

  # Restart deployments with the 'app=nginx' label
  kubectl rollout restart deployment --selector=app=nginx`,
    options: [],
    usage: 'kubectl rollout SUBCOMMAND [options]',
  }),
  flags: [
    { name: 'watch', short: 'w', type: 'bool' },
    { name: 'timeout', type: 'string' },
    { name: 'revision', type: 'int' },
    { name: 'to-revision', type: 'int' },
    { name: 'selector', short: 'l', type: 'string' },
    { name: 'output', short: 'o', type: 'string' },
    { name: 'filename', short: 'f', type: 'stringArray' },
  ],
  run,
};
