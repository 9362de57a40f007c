/**
 * kubectl label / annotate share their steps (k8s.io/kubectl/pkg/cmd/label, annotate):
 * split `TYPE NAME… KEY=VAL… KEY-…`, refuse to overwrite without --overwrite, patch the
 * object, print `pod/web labeled` (or `unlabeled`, `not labeled`).
 */
import { bool, str, type FlagSpec, type ParsedFlags } from '../../flags';
import type { CommandContext, CommandResult } from '../../types';
import { apiErrorText, errorResult, refOf, usageErrorf } from './common';
import { dryRunOf, dryRunSuffix, DRY_RUN_FLAG } from './dryrun';
import { resolveTargets } from './targets';

export interface MetadataVerb {
  verb: 'label' | 'annotate';
  field: 'labels' | 'annotations';
}

export const METADATA_FLAGS: FlagSpec[] = [
  { name: 'overwrite', type: 'bool' },
  { name: 'all', type: 'bool' },
  { name: 'all-namespaces', short: 'A', type: 'bool' },
  { name: 'selector', short: 'l', type: 'string' },
  { name: 'field-selector', type: 'string' },
  { name: 'filename', short: 'f', type: 'stringArray' },
  { name: 'recursive', short: 'R', type: 'bool' },
  { name: 'list', type: 'bool' },
  { name: 'local', type: 'bool' },
  { name: 'output', short: 'o', type: 'string' },
  { name: 'resource-version', type: 'string' },
  DRY_RUN_FLAG,
];

export async function runMetadataEdit(m: MetadataVerb, p: ParsedFlags, ctx: CommandContext): Promise<CommandResult> {
  const dry = dryRunOf(p, ctx.cluster.now());
  if ('error' in dry) return errorResult(dry.error);
  const isPair = (a: string) => a.includes('=') || (a.endsWith('-') && !a.includes('/'));
  const firstPair = p.args.findIndex(isPair);
  const resourceArgs = firstPair === -1 ? p.args : p.args.slice(0, firstPair);
  const pairs = firstPair === -1 ? [] : p.args.slice(firstPair);
  if (pairs.some((a) => !isPair(a))) return usageErrorf(m.verb, `all resources must be specified before ${m.field === 'labels' ? 'label' : 'annotation'} changes: ${pairs.find((a) => !isPair(a))}`);
  const list = bool(p, 'list');
  if (pairs.length === 0 && !list) return usageErrorf(m.verb, `at least one ${m.field === 'labels' ? 'label' : 'annotation'} update is required`);

  const add: Record<string, string> = {};
  const remove: string[] = [];
  for (const a of pairs) {
    if (a.includes('=')) {
      const eq = a.indexOf('=');
      add[a.slice(0, eq)] = a.slice(eq + 1);
    } else remove.push(a.slice(0, -1));
  }
  for (const k of remove) if (k in add) return errorResult(`can not both modify and remove ${m.field === 'labels' ? 'a label' : 'an annotation'} in the same command`);

  const resolved = await resolveTargets(p, ctx, { verb: m.verb, typeAloneSelectsAll: false, args: resourceArgs });
  if ('exitCode' in resolved) return resolved;
  let stdout = '';
  const errors = [...resolved.errors];
  for (const t of resolved.targets) {
    const current = (t.object.metadata[m.field] ?? {}) as Record<string, string>;
    if (list) {
      stdout += Object.keys(current).sort().map((k) => `${k}=${current[k]}\n`).join('');
      continue;
    }
    if (!bool(p, 'overwrite')) {
      const clash = Object.keys(add).filter((k) => k in current && current[k] !== add[k]);
      if (clash.length) {
        const k = clash[0]!;
        errors.push(
          m.verb === 'label'
            ? `error: '${k}' already has a value (${current[k]}), and --overwrite is false\n`
            : `error: --overwrite is false but found the following declared annotation(s): '${k}' already has a value (${current[k]})\n`,
        );
        continue;
      }
    }
    const patch: Record<string, string | null> = { ...add };
    let removed = 0;
    for (const k of remove) {
      if (k in current) {
        patch[k] = null;
        removed++;
      } else stdout += `${m.field === 'labels' ? 'label' : 'annotation'} "${k}" not found.\n`;
    }
    const changed = Object.keys(add).some((k) => current[k] !== add[k]) || removed > 0;
    const op = !changed ? `not ${m.verb === 'label' ? 'labeled' : 'annotated'}` : Object.keys(add).length === 0 ? (m.verb === 'label' ? 'unlabeled' : 'annotated') : m.verb === 'label' ? 'labeled' : 'annotated';
    if (changed) {
      const r = ctx.cluster.patch(t.resource.kind, t.object.metadata.namespace, t.object.metadata.name, { metadata: { [m.field]: patch } }, 'merge', dry.dryRun ? { dryRun: dry.dryRun } : {});
      if (!r.ok) {
        errors.push(apiErrorText(r.error));
        continue;
      }
    }
    stdout += str(p, 'output') === 'name' ? `${refOf(t.resource, t.object.metadata.name)}\n` : `${refOf(t.resource, t.object.metadata.name)} ${op}${dryRunSuffix(dry.dryRun)}\n`;
  }
  return { stdout, stderr: errors.join(''), exitCode: errors.length ? 1 : 0 };
}
