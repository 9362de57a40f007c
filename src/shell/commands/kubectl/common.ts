/**
 * What every kubectl verb shares: the persistent (global) flags, kubectl's usage-error frame,
 * `--help`, namespace resolution and how API errors print (cmdutil.CheckErr).
 */
import type { ApiError, KubectlErrorContext, ResourceType } from '../../../engine';
import { formatKubectlError } from '../../../engine';
import { isFlagError, parseFlags, str, bool, type FlagSpec, type ParsedFlags } from '../../flags';
import type { CommandContext, CommandResult } from '../../types';

/** kubectl's persistent flags, accepted by every verb (most only matter on a real cluster). */
export const GLOBAL_FLAGS: FlagSpec[] = [
  { name: 'namespace', short: 'n', type: 'string' },
  { name: 'context', type: 'string' },
  { name: 'cluster', type: 'string' },
  { name: 'user', type: 'string' },
  { name: 'kubeconfig', type: 'string' },
  { name: 'server', short: 's', type: 'string' },
  { name: 'request-timeout', type: 'string' },
  { name: 'v', short: 'v', type: 'string' },
  { name: 'insecure-skip-tls-verify', type: 'bool' },
  { name: 'warnings-as-errors', type: 'bool' },
];

export interface Verb {
  name: string;
  /** `kubectl get --help` text. */
  help: string;
  flags: FlagSpec[];
  run(p: ParsedFlags, ctx: CommandContext): Promise<CommandResult> | CommandResult;
}

/** `error: <msg>` + `See 'kubectl VERB --help' for usage.` (cmdutil.UsageErrorf). */
export function usageError(verb: string, msg: string): CommandResult {
  return { stdout: '', stderr: `error: ${msg}\nSee 'kubectl ${verb} --help' for usage.\n`, exitCode: 1 };
}

export function errorResult(msg: string): CommandResult {
  return { stdout: '', stderr: `error: ${msg}\n`, exitCode: 1 };
}

export function apiErrorText(err: ApiError, ctx?: KubectlErrorContext): string {
  return formatKubectlError(err, ctx) + '\n';
}

/** Parse a verb's flags plus the global ones; answer `--help` and flag mistakes like kubectl. */
export async function runVerb(verb: Verb, argv: string[], ctx: CommandContext): Promise<CommandResult> {
  const parsed = parseFlags(argv, [...verb.flags, ...GLOBAL_FLAGS]);
  if (isFlagError(parsed)) return usageError(verb.name, parsed.error);
  if (parsed.help) return { stdout: verb.help, stderr: '', exitCode: 0 };
  return verb.run(parsed, ctx);
}

/** `-n` wins, then the kubeconfig context's namespace, then `default`. */
export function namespaceOf(p: ParsedFlags, ctx: CommandContext): string {
  return str(p, 'namespace') || ctx.kubeconfig.namespace || 'default';
}

export const allNamespaces = (p: ParsedFlags): boolean => bool(p, 'all-namespaces');

/** `the server doesn't have a resource type "pdos"` — kubectl's wording for an unknown type. */
export function unknownType(arg: string): CommandResult {
  return errorResult(`the server doesn't have a resource type "${arg}"`);
}

/** `deployment.apps/web`, `service/web`. */
export function refOf(r: ResourceType, name: string): string {
  return `${r.group ? `${r.singularName}.${r.group}` : r.singularName}/${name}`;
}

/** Join outputs of several steps the way one process would have written them. */
export function merge(results: CommandResult[]): CommandResult {
  return {
    stdout: results.map((r) => r.stdout).join(''),
    stderr: results.map((r) => r.stderr).join(''),
    exitCode: results.reduce((c, r) => (r.exitCode !== 0 ? r.exitCode : c), 0),
  };
}

/** cmdutil.UsageErrorf: `error: <msg>` + `See 'kubectl VERB -h' for help and examples`. */
export function usageErrorf(verb: string, msg: string): CommandResult {
  return { stdout: '', stderr: `error: ${msg}\nSee 'kubectl ${verb} -h' for help and examples\n`, exitCode: 1 };
}
