/**
 * kubectl delete (k8s.io/kubectl/pkg/cmd/delete): by name, TYPE/NAME, -f, -l or --all.
 * Prints `pod "web" deleted from default namespace` per object and, like kubectl's default --wait=true, lets emulated
 * time pass until the objects are really gone (a pod's grace period).
 */
import { bool, has, int, str, type ParsedFlags } from '../../flags';
import type { CommandContext, CommandResult } from '../../types';
import { apiErrorText, errorResult, type Verb } from './common';
import { dryRunOf, DRY_RUN_FLAG } from './dryrun';
import { DELETE_HELP } from './help/delete';
import { resolveTargets, type Target } from './targets';

const FORCE_WARNING =
  'Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n';

async function run(p: ParsedFlags, ctx: CommandContext): Promise<CommandResult> {
  const dry = dryRunOf(p, ctx.cluster.now());
  if ('error' in dry) return errorResult(dry.error);
  if (bool(p, 'all') && str(p, 'selector')) return errorResult('cannot set --all and --selector at the same time');
  let grace = has(p, 'grace-period') ? int(p, 'grace-period', -1) : -1;
  if (bool(p, 'now')) {
    if (grace !== -1) return errorResult('--now and --grace-period cannot be specified together');
    grace = 1;
  }
  let stderr = '';
  if (bool(p, 'force')) {
    if (grace === -1) grace = 0;
    if (grace === 0) stderr += FORCE_WARNING;
  }
  if (!bool(p, 'force') && grace === 0) grace = 1; // kubectl: --grace-period=0 without --force means 1
  const cascade = str(p, 'cascade', 'background');
  const propagation = cascade === 'orphan' ? 'Orphan' : cascade === 'foreground' ? 'Foreground' : cascade === 'background' || cascade === 'true' ? 'Background' : undefined;
  if (!propagation) return errorResult(`invalid cascade value (${cascade}). Must be "background", "foreground", or "orphan".`);

  const resolved = await resolveTargets(p, ctx, { verb: 'delete', typeAloneSelectsAll: false });
  if ('exitCode' in resolved) return resolved;
  const { targets } = resolved;
  const errors = bool(p, 'ignore-not-found') ? resolved.errors.filter((e) => !e.includes('(NotFound)')) : resolved.errors;
  let stdout = '';
  const deleted: Target[] = [];
  for (const t of targets) {
    const r = ctx.cluster.delete(t.resource.kind, t.object.metadata.namespace, t.object.metadata.name, {
      ...(dry.dryRun ? { dryRun: dry.dryRun } : {}),
      ...(grace >= 0 ? { gracePeriodSeconds: grace } : {}),
      propagationPolicy: propagation,
    });
    if (!r.ok) {
      if (!(bool(p, 'ignore-not-found') && r.error.code === 'NotFound')) errors.push(apiErrorText(r.error, t.source ? { verb: 'deleting', source: t.source } : {}));
      continue;
    }
    deleted.push(t);
    const kind = t.resource.group ? `${t.resource.singularName}.${t.resource.group}` : t.resource.singularName;
    if (str(p, 'output') === 'name') stdout += `${kind}/${t.object.metadata.name}\n`;
    else {
      const op = grace === 0 ? 'force deleted' : 'deleted';
      const suffix = dry.dryRun === 'client' ? ' (dry run)' : dry.dryRun === 'server' ? ' (server dry run)' : '';
      // Since kubectl v1.32 (kubernetes#126619) a namespaced object's line names its namespace.
      const ns = t.object.metadata.namespace;
      stdout += `${kind} "${t.object.metadata.name}" ${op}${ns ? ` from ${ns} namespace` : ''}${suffix}\n`;
    }
  }
  if (targets.length === 0 && errors.length === 0) stdout += 'No resources found\n';
  if (!dry.dryRun && p.flags.get('wait') !== false) waitGone(ctx, deleted);
  return { stdout, stderr: stderr + errors.join(''), exitCode: errors.length ? 1 : 0 };
}

/** --wait: let time pass, a second at a time, until every deleted object has disappeared. */
function waitGone(ctx: CommandContext, deleted: Target[]): void {
  for (let s = 0; s < 120; s++) {
    // Gone, or replaced by a new object of the same name (a controller recreated it): kubectl's
    // wait compares the uid, as for kube-root-ca.crt that the publisher puts back at once.
    const left = deleted.some((t) => {
      const got = ctx.cluster.get(t.resource.kind, t.object.metadata.namespace, t.object.metadata.name);
      return got.ok && got.value.metadata.uid === t.object.metadata.uid;
    });
    if (!left) return;
    ctx.cluster.tick(1000);
  }
}

export const del: Verb = {
  name: 'delete',
  help: DELETE_HELP,
  flags: [
    { name: 'filename', short: 'f', type: 'stringArray' },
    { name: 'recursive', short: 'R', type: 'bool' },
    { name: 'selector', short: 'l', type: 'string' },
    { name: 'field-selector', type: 'string' },
    { name: 'all', type: 'bool' },
    { name: 'all-namespaces', short: 'A', type: 'bool' },
    { name: 'grace-period', type: 'int' },
    { name: 'now', type: 'bool' },
    { name: 'force', type: 'bool' },
    { name: 'wait', type: 'bool' },
    { name: 'cascade', type: 'string', noOptDefault: 'background' },
    { name: 'ignore-not-found', type: 'bool' },
    { name: 'output', short: 'o', type: 'string' },
    { name: 'timeout', type: 'string' },
    { name: 'interactive', short: 'i', type: 'bool' },
    DRY_RUN_FLAG,
  ],
  run,
};
