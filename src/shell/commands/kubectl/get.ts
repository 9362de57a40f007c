/**
 * kubectl get — following k8s.io/kubectl/pkg/cmd/get/get.go: resolve TYPE[,TYPE] [NAME...] or
 * TYPE/NAME arguments, list or fetch, print per kind, then report errors (NotFound) after the
 * output, and "No resources found…" on stderr when nothing was written.
 */
import type { KubeObject, ResourceType } from '../../../engine';
import { bool, str, strs, type ParsedFlags } from '../../flags';
import type { CommandContext, CommandResult } from '../../types';
import { allNamespaces, apiErrorText, errorResult, namespaceOf, unknownType, usageError, type Verb } from './common';
import { isHumanReadable, parseOutput, printGroups, type Group, type OutputFormat } from './printers/print';
import { resolveTargets } from './targets';
import { evaluate, parsePath, relaxed } from './printers/jsonpath';
import { GET_HELP } from './help/get';
import { watchGet } from './watch';

/** The API server warns on every read of v1 Endpoints since v1.33. */
export const ENDPOINTS_WARNING = 'Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n';

export interface Request {
  resource: ResourceType;
  names: string[];
}

/** Parse `TYPE[,TYPE...] [NAME...]` or `TYPE/NAME...`; `all` expands to what `get all` shows. */
export function parseResourceArgs(args: string[], ctx: CommandContext, verb: string): Request[] | CommandResult {
  const requests: Request[] = [];
  if (args.some((a) => a.includes('/'))) {
    for (const a of args) {
      const slash = a.indexOf('/');
      if (slash === -1) {
        return errorResult(
          `there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl ${verb} resource/<resource_name>' instead of 'kubectl ${verb} resource resource/<resource_name>'`,
        );
      }
      const type = a.slice(0, slash);
      const r = ctx.cluster.resolveResource(type);
      if (!r) return unknownType(type);
      const last = requests[requests.length - 1];
      if (last && last.resource === r) last.names.push(a.slice(slash + 1));
      else requests.push({ resource: r, names: [a.slice(slash + 1)] });
    }
    return requests;
  }
  const [types, ...names] = args;
  for (const t of (types ?? '').split(',')) {
    if (t === 'all') {
      for (const r of ctx.cluster.resources) if (r.inAll) requests.push({ resource: r, names: [...names] });
      continue;
    }
    const r = ctx.cluster.resolveResource(t);
    if (!r) return unknownType(t);
    requests.push({ resource: r, names: [...names] });
  }
  return requests;
}

const NO_TYPE =
  'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\n' +
  'error: Required resource not specified.\n' +
  'Use "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\n' +
  "See 'kubectl get -h' for help and examples\n";

async function run(p: ParsedFlags, ctx: CommandContext): Promise<CommandResult> {
  const format = parseOutput(str(p, 'output'));
  if ('error' in format) return errorResult(format.error);
  if (strs(p, 'filename').length) return getFromFiles(p, ctx, format);
  if (p.args.length === 0) return { stdout: '', stderr: NO_TYPE, exitCode: 1 };
  const parsed = parseResourceArgs(p.args, ctx, 'get');
  if (!Array.isArray(parsed)) return parsed;
  const requests = parsed;
  if (bool(p, 'watch') || bool(p, 'watch-only')) return watchGet(p, ctx, format, requests, (plain) => run(plain, ctx));
  const allNs = allNamespaces(p);
  const namespace = namespaceOf(p, ctx);
  const selector = str(p, 'selector');
  const fieldSelector = str(p, 'field-selector');
  const named = requests.some((r) => r.names.length > 0);
  if (named && allNs) return errorResult('a resource cannot be retrieved by name across all namespaces');
  if (named && selector) return errorResult('name cannot be provided when a selector is specified');

  let stderr = '';
  const errors: string[] = [];
  const groups: Group[] = [];
  for (const req of requests) {
    if (req.resource.kind === 'Endpoints' && !stderr.includes(ENDPOINTS_WARNING)) stderr += ENDPOINTS_WARNING;
    const ns = req.resource.namespaced ? (allNs ? undefined : namespace) : undefined;
    if (req.names.length) {
      const objects: KubeObject[] = [];
      for (const name of req.names) {
        const got = ctx.cluster.get(req.resource.kind, ns, name);
        if (got.ok) objects.push(got.value);
        else if (!(bool(p, 'ignore-not-found') && got.error.code === 'NotFound')) errors.push(apiErrorText(got.error));
      }
      groups.push({ resource: req.resource, objects });
    } else {
      const listed = ctx.cluster.list(req.resource.kind, {
        ...(ns !== undefined ? { namespace: ns } : {}),
        ...(selector ? { labelSelector: selector } : {}),
        ...(fieldSelector ? { fieldSelector } : {}),
      });
      if (!listed.ok) {
        errors.push(apiErrorText(listed.error));
        continue;
      }
      groups.push({ resource: req.resource, objects: listed.value });
    }
  }

  const sortBy = str(p, 'sort-by');
  if (sortBy) {
    const err = sortGroups(groups, sortBy);
    if (err) return errorResult(err);
  }

  const singleItemImplied = requests.length === 1 && requests[0]!.names.length === 1;
  // printGeneric: a single named object that failed prints just the error, no empty List.
  if (!isHumanReadable(format) && singleItemImplied && errors.length) return { stdout: '', stderr: stderr + errors.join(''), exitCode: 1 };

  const multipleKinds = requests.length > 1 || p.args.some((a) => a.split(',').includes('all'));
  const stdout = printGroups(groups, format, {
    now: ctx.cluster.now(),
    withNamespace: allNs,
    withKind: multipleKinds || bool(p, 'show-kind'),
    showLabels: bool(p, 'show-labels'),
    noHeaders: bool(p, 'no-headers'),
    labelColumns: strs(p, 'label-columns').flatMap((l) => l.split(',')),
    singleItem: singleItemImplied,
  });
  if (isHumanReadable(format) && stdout === '' && errors.length === 0 && !bool(p, 'ignore-not-found')) {
    const everyNamespaced = !allNs && groups.every((g) => g.resource.namespaced);
    stderr += everyNamespaced ? `No resources found in ${namespace} namespace.\n` : 'No resources found\n';
  }
  return { stdout, stderr: stderr + errors.join(''), exitCode: errors.length ? 1 : 0 };
}

/** `get -f FILE`: the objects the file names, as they are on the server. */
async function getFromFiles(p: ParsedFlags, ctx: CommandContext, format: OutputFormat): Promise<CommandResult> {
  const resolved = await resolveTargets(p, ctx, { verb: 'get', typeAloneSelectsAll: true });
  if ('exitCode' in resolved) return resolved;
  const groups: Group[] = [];
  for (const t of resolved.targets) {
    const last = groups[groups.length - 1];
    if (last && last.resource === t.resource) last.objects.push(t.object);
    else groups.push({ resource: t.resource, objects: [t.object] });
  }
  const stdout = printGroups(groups, format, {
    now: ctx.cluster.now(),
    withNamespace: false,
    withKind: groups.length > 1,
    showLabels: bool(p, 'show-labels'),
    noHeaders: bool(p, 'no-headers'),
    labelColumns: [],
    singleItem: resolved.targets.length === 1,
  });
  return { stdout, stderr: resolved.errors.join(''), exitCode: resolved.errors.length ? 1 : 0 };
}

/** --sort-by: a relaxed JSONPath; numbers compare as numbers, the rest as strings (kubectl's RuntimeSort). */
function sortGroups(groups: Group[], expr: string): string | undefined {
  let steps;
  try {
    steps = parsePath(relaxed(expr).slice(1, -1));
  } catch {
    return `couldn't parse sort-by expression "${expr}"`;
  }
  for (const g of groups) {
    const keyed = g.objects.map((o) => ({ o, v: evaluate(steps, o)[0] }));
    keyed.sort((a, b) => {
      if (a.v === undefined || b.v === undefined) return a.v === undefined ? (b.v === undefined ? 0 : -1) : 1;
      if (typeof a.v === 'number' && typeof b.v === 'number') return a.v - b.v;
      const x = String(a.v), y = String(b.v);
      return x < y ? -1 : x > y ? 1 : 0;
    });
    g.objects = keyed.map((k) => k.o);
  }
  return undefined;
}

export const get: Verb = {
  name: 'get',
  help: GET_HELP,
  flags: [
    { name: 'output', short: 'o', type: 'string' },
    { name: 'selector', short: 'l', type: 'string' },
    { name: 'field-selector', type: 'string' },
    { name: 'all-namespaces', short: 'A', type: 'bool' },
    { name: 'show-labels', type: 'bool' },
    { name: 'show-kind', type: 'bool' },
    { name: 'sort-by', type: 'string' },
    { name: 'no-headers', type: 'bool' },
    { name: 'ignore-not-found', type: 'bool' },
    { name: 'label-columns', short: 'L', type: 'stringArray' },
    { name: 'chunk-size', type: 'int' },
    { name: 'show-managed-fields', type: 'bool' },
    { name: 'allow-missing-template-keys', type: 'bool' },
    { name: 'watch', short: 'w', type: 'bool' },
    { name: 'watch-only', type: 'bool' },
    { name: 'filename', short: 'f', type: 'stringArray' },
    { name: 'recursive', short: 'R', type: 'bool' },
  ],
  run,
};

export { usageError };
