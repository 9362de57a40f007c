/**
 * Resolving "which objects" the way kubectl's resource builder does for delete, label,
 * annotate, scale, describe…: `TYPE NAME…`, `TYPE/NAME…`, `TYPE -l SEL`, `TYPE --all`, `-f FILE`.
 */
import type { KubeObject, ResourceType } from '../../../engine';
import { bool, str, strs, type ParsedFlags } from '../../flags';
import type { CommandContext, CommandResult } from '../../types';
import { allNamespaces, apiErrorText, errorResult, namespaceOf } from './common';
import { readSources } from './files';
import { parseResourceArgs } from './get';

export interface Target {
  resource: ResourceType;
  object: KubeObject;
  /** The file it was named in (for `error when … "web.yaml"`). */
  source?: string;
}

export const MUST_PROVIDE =
  "You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";

export interface TargetOptions {
  verb: string;
  /** Whether `TYPE` alone (no names, no selector) means "all of them" (describe, get) or is an error (delete, label). */
  typeAloneSelectsAll: boolean;
  /** Skip args after this many (label's KEY=VAL come after the names). */
  args?: string[];
}

/** Returns the objects, plus NotFound errors (kubectl reports them after acting on the rest). */
export async function resolveTargets(
  p: ParsedFlags,
  ctx: CommandContext,
  opts: TargetOptions,
): Promise<{ targets: Target[]; errors: string[] } | CommandResult> {
  const args = opts.args ?? p.args;
  const namespace = namespaceOf(p, ctx);
  const allNs = allNamespaces(p);
  const selector = str(p, 'selector');
  const all = bool(p, 'all');
  const files = strs(p, 'filename');
  const errors: string[] = [];
  const targets: Target[] = [];

  if (files.length) {
    if (args.length) return errorResult('Unexpected args: [' + args.join(' ') + ']');
    const sources = await readSources(ctx, files, bool(p, 'recursive'));
    if (!Array.isArray(sources)) return sources;
    for (const src of sources) {
      // Parse through a server-side dry run: the same reader (and errors) as apply.
      for (const r of ctx.cluster.apply(src.text, { source: src.source, namespace, dryRun: 'server' })) {
        if (!r.ok) {
          if (r.error.code === 'YAMLError' || r.error.code === 'NoKindMatch') {
            errors.push(apiErrorText(r.error, { source: src.source, ...(r.name ? { name: r.name } : {}), ...(r.namespace !== undefined ? { namespace: r.namespace } : {}) }));
            continue;
          }
          if (!r.kind || !r.name) continue;
        }
        const kind = r.ok ? r.object.kind : r.kind!;
        const name = r.ok ? r.object.metadata.name : r.name!;
        const ns = r.ok ? r.object.metadata.namespace : r.namespace;
        const resource = ctx.cluster.resolveResource(kind);
        if (!resource) continue;
        const got = ctx.cluster.get(kind, resource.namespaced ? ns ?? namespace : undefined, name);
        if (got.ok) targets.push({ resource, object: got.value, source: src.source });
        // Only delete wraps the error with its source (cmdutil.AddSourceToErr("deleting", …)).
        else errors.push(apiErrorText(got.error, opts.verb === 'delete' ? { verb: 'deleting', source: src.source } : {}));
      }
    }
    return { targets, errors };
  }

  if (args.length === 0) return errorResult(MUST_PROVIDE);
  const reqs = parseResourceArgs(args, ctx, opts.verb);
  if (!Array.isArray(reqs)) return reqs;
  const named = reqs.some((r) => r.names.length > 0);
  if (named && selector) return errorResult('name cannot be provided when a selector is specified');
  if (named && allNs) return errorResult('a resource cannot be retrieved by name across all namespaces');
  if (!named && !selector && !all && !opts.typeAloneSelectsAll) return errorResult('resource(s) were provided, but no name was specified');
  for (const req of reqs) {
    const ns = req.resource.namespaced ? (allNs ? undefined : namespace) : undefined;
    if (req.names.length) {
      for (const name of req.names) {
        const got = ctx.cluster.get(req.resource.kind, ns, name);
        if (got.ok) targets.push({ resource: req.resource, object: got.value });
        else errors.push(apiErrorText(got.error));
      }
      continue;
    }
    const listed = ctx.cluster.list(req.resource.kind, { ...(ns !== undefined ? { namespace: ns } : {}), ...(selector ? { labelSelector: selector } : {}), ...(str(p, 'field-selector') ? { fieldSelector: str(p, 'field-selector') } : {}) });
    if (!listed.ok) errors.push(apiErrorText(listed.error));
    else for (const object of listed.value) targets.push({ resource: req.resource, object });
  }
  return { targets, errors };
}

/** `deployment.apps "web"` — how kubectl names an object in delete/label/scale messages. */
export function quotedRef(r: ResourceType, name: string): string {
  return `${r.group ? `${r.singularName}.${r.group}` : r.singularName} "${name}"`;
}
