/**
 * kubectl wait (k8s.io/kubectl/pkg/cmd/wait): --for=condition=NAME[=VALUE] | delete |
 * jsonpath='{…}'=VALUE, letting emulated time pass a second at a time until --timeout (30s).
 */
import type { KubeObject } from '../../../engine';
import { str, type ParsedFlags } from '../../flags';
import type { CommandContext, CommandResult } from '../../types';
import { errorResult, namespaceOf, refOf, usageErrorf, type Verb } from './common';
import { parseResourceArgs } from './get';
import { kubectlHelp } from './help/format';
import { evaluate, parsePath, relaxed } from './printers/jsonpath';

function seconds(s: string): number | undefined {
  const m = /^(\d+)(ms|s|m|h)?$/.exec(s);
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2] === 'ms' ? n / 1000 : m[2] === 'm' ? n * 60 : m[2] === 'h' ? n * 3600 : n;
}

async function run(p: ParsedFlags, ctx: CommandContext): Promise<CommandResult> {
  const forArg = str(p, 'for');
  if (!forArg) return errorResult('--for must be specified');
  const timeout = seconds(str(p, 'timeout', '30s'));
  if (timeout === undefined) return errorResult(`invalid argument "${str(p, 'timeout')}" for "--timeout" flag: time: invalid duration "${str(p, 'timeout')}"`);
  let check: (o: KubeObject | undefined) => boolean;
  if (forArg === 'delete') check = (o) => o === undefined;
  else if (forArg.startsWith('condition=')) {
    const [cond, value = 'true'] = forArg.slice('condition='.length).split('=');
    check = (o) => {
      const conds = ((o?.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []);
      return conds.some((c) => c.type.toLowerCase() === cond!.toLowerCase() && c.status.toLowerCase() === value.toLowerCase());
    };
  } else if (forArg.startsWith('jsonpath=')) {
    const spec = forArg.slice('jsonpath='.length);
    const eq = spec.lastIndexOf('=');
    const expr = eq > 0 && !spec.slice(eq).includes('}') ? spec.slice(0, eq) : spec;
    const want = eq > 0 && !spec.slice(eq).includes('}') ? spec.slice(eq + 1) : undefined;
    const steps = parsePath(relaxed(expr).slice(1, -1));
    check = (o) => {
      const got = o ? evaluate(steps, o) : [];
      return want === undefined ? got.length > 0 : got.some((v) => String(v) === want);
    };
  } else return errorResult(`unrecognized condition: "${forArg}"`);

  if (p.args.length === 0) return usageErrorf('wait', 'You must provide one or more resources by argument or filename.');
  const reqs = parseResourceArgs(p.args, ctx, 'wait');
  if (!Array.isArray(reqs)) return reqs;
  const ns = namespaceOf(p, ctx);
  const targets: { kind: string; ns: string | undefined; name: string; ref: string; plural: string }[] = [];
  for (const req of reqs) {
    const scope = req.resource.namespaced ? ns : undefined;
    const names = req.names.length ? req.names : (() => {
      const l = ctx.cluster.list(req.resource.kind, { ...(scope ? { namespace: scope } : {}), ...(str(p, 'selector') ? { labelSelector: str(p, 'selector') } : {}) });
      return l.ok ? l.value.map((o) => o.metadata.name) : [];
    })();
    for (const name of names) {
      const got = ctx.cluster.get(req.resource.kind, scope, name);
      if (!got.ok && forArg !== 'delete') return { stdout: '', stderr: `Error from server (NotFound): ${req.resource.group ? `${req.resource.name}.${req.resource.group}` : req.resource.name} "${name}" not found\n`, exitCode: 1 };
      targets.push({ kind: req.resource.kind, ns: scope, name, ref: refOf(req.resource, name), plural: req.resource.name });
    }
  }
  if (targets.length === 0) return errorResult('no matching resources found');
  let stdout = '';
  for (const t of targets) {
    let met = false;
    for (let s = 0; s <= timeout; s++) {
      const got = ctx.cluster.get(t.kind, t.ns, t.name);
      if (check(got.ok ? got.value : undefined)) {
        met = true;
        break;
      }
      if (s < timeout) ctx.cluster.tick(1000);
    }
    if (!met) return { stdout, stderr: `error: timed out waiting for the condition on ${t.plural}/${t.name}\n`, exitCode: 1 };
    stdout += `${t.ref} condition met\n`;
  }
  return { stdout, stderr: '', exitCode: 0 };
}

export const wait: Verb = {
  name: 'wait',
  help: kubectlHelp({
    long: `Experimental: Wait for a specific condition on one or many resources.

 The command takes multiple resources and waits until the specified condition is seen in the Status field of every given
resource.`,
    examples: `  # Wait for the pod "busybox1" to contain the status condition of type "Ready"
  kubectl wait --for=condition=Ready pod/busybox1

  # Wait for the pod "busybox1" to be deleted, with a timeout of 60s, after having issued the "delete" command
  kubectl delete pod/busybox1
  kubectl wait --for=delete pod/busybox1 --timeout=60s`,
    options: [
      ["--for=''", "The condition to wait on: [create|delete|condition=condition-name[=condition-value]|jsonpath='{JSONPath\n\texpression}'=[JSONPath value]]. The default condition-value is true.  Condition values are compared after\n\tUnicode simple case folding, which is a more general form of case-insensitivity."],
      ['--timeout=30s', 'The length of time to wait before giving up.  Zero means check once and don\'t wait, negative means wait for a\n\tweek.'],
    ],
    usage: 'kubectl wait ([-f FILENAME] | resource.group/resource.name | resource.group [(-l label | --all)]) [--for=create|--for=delete|--for condition=available|--for=jsonpath=\'{}\'[=value]] [options]',
  }),
  flags: [
    { name: 'for', type: 'string' },
    { name: 'timeout', type: 'string' },
    { name: 'selector', short: 'l', type: 'string' },
    { name: 'all', type: 'bool' },
    { name: 'all-namespaces', short: 'A', type: 'bool' },
    { name: 'filename', short: 'f', type: 'stringArray' },
  ],
  run,
};
