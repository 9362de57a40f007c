/**
 * kubectl apply -f FILE|DIR|- : each document is created or updated on its own
 * (k8s.io/kubectl/pkg/cmd/apply). Successes print as they happen (`service/web created`);
 * failures are reported after, and the exit status is 1 if any failed.
 */
import type { ApplyResult } from '../../../engine';
import { bool, str, strs, type ParsedFlags } from '../../flags';
import type { CommandContext, CommandResult } from '../../types';
import { apiErrorText, errorResult, namespaceOf, type Verb } from './common';
import { dryRunOf, dryRunSuffix, DRY_RUN_FLAG } from './dryrun';
import { readSources } from './files';
import { APPLY_HELP } from './help/apply';
import { parseOutput, printGroups } from './printers/print';

async function run(p: ParsedFlags, ctx: CommandContext): Promise<CommandResult> {
  const filenames = strs(p, 'filename');
  if (p.args.length > 0) return errorResult(`Unexpected args: [${p.args.join(' ')}]\nSee 'kubectl apply -h' for help and examples`);
  if (filenames.length === 0) return errorResult('must specify one of -f and -k');
  const dry = dryRunOf(p, ctx.cluster.now());
  if ('error' in dry) return errorResult(dry.error);
  const output = str(p, 'output');
  const format = parseOutput(output);
  if ('error' in format) return errorResult(format.error);
  const sources = await readSources(ctx, filenames, bool(p, 'recursive'));
  if (!Array.isArray(sources)) return sources;

  let stdout = '';
  let stderr = dry.warning ?? '';
  const errors: string[] = [];
  let applied = 0;
  for (const src of sources) {
    const results: ApplyResult[] = ctx.cluster.apply(src.text, {
      source: src.source,
      namespace: namespaceOf(p, ctx),
      ...(dry.dryRun ? { dryRun: dry.dryRun } : {}),
    });
    for (const r of results) {
      applied++;
      if (!r.ok) {
        errors.push(apiErrorText(r.error, { verb: 'creating', source: src.source, ...(r.name ? { name: r.name } : {}), ...(r.namespace !== undefined ? { namespace: r.namespace } : {}) }));
        continue;
      }
      for (const w of r.warnings ?? []) stderr += `Warning: ${w}\n`;
      if (output === '') stdout += `${r.ref} ${r.outcome}${dryRunSuffix(dry.dryRun)}\n`;
      else if (!('error' in format)) {
        const resource = ctx.cluster.resolveResource(r.object.kind);
        if (resource) stdout += printGroups([{ resource, objects: [r.object] }], format, { now: ctx.cluster.now(), withNamespace: false, withKind: false, showLabels: false, noHeaders: false, labelColumns: [], singleItem: true });
      }
    }
  }
  if (applied === 0 && errors.length === 0) return errorResult('no objects passed to apply');
  return { stdout, stderr: stderr + errors.join(''), exitCode: errors.length ? 1 : 0 };
}

export const apply: Verb = {
  name: 'apply',
  help: APPLY_HELP,
  flags: [
    { name: 'filename', short: 'f', type: 'stringArray' },
    { name: 'recursive', short: 'R', type: 'bool' },
    { name: 'output', short: 'o', type: 'string' },
    { name: 'selector', short: 'l', type: 'string' },
    { name: 'server-side', type: 'bool' },
    { name: 'force-conflicts', type: 'bool' },
    { name: 'field-manager', type: 'string' },
    { name: 'validate', type: 'string', noOptDefault: 'strict' },
    { name: 'overwrite', type: 'bool' },
    { name: 'force', type: 'bool' },
    { name: 'wait', type: 'bool' },
    { name: 'record', type: 'bool' },
    DRY_RUN_FLAG,
  ],
  run,
};
