/**
 * kubectl logs (k8s.io/kubectl/pkg/cmd/logs): POD | TYPE/NAME, -c, --previous, --tail,
 * --timestamps, with the kubelet's errors for containers that are waiting or never restarted.
 * SHELL ADAPTER: log lines come from the engine's `logs()` once its facade offers it (the
 * emulated apps own what they print); until then a running container has printed nothing.
 */
import type { Cluster, Deployment, Pod } from '../../../engine';
import { bool, has, int, str, type ParsedFlags } from '../../flags';
import type { CommandContext, CommandResult } from '../../types';
import { apiErrorText, errorResult, namespaceOf, usageErrorf, type Verb } from './common';
import { kubectlHelp } from './help/format';
import { formatLabelSelector } from './printers/labels';

type LogsFn = (namespace: string, pod: string, container: string, opts: { previous: boolean }) => { ok: true; value: string } | { ok: false; error: import('../../../engine').ApiError };

function engineLogs(cluster: Cluster): LogsFn | undefined {
  const fn = (cluster as unknown as { logs?: LogsFn }).logs;
  return typeof fn === 'function' ? fn.bind(cluster) : undefined;
}

function findPod(p: ParsedFlags, ctx: CommandContext, arg: string): { pod: Pod } | { error: CommandResult } {
  const ns = namespaceOf(p, ctx);
  let name = arg;
  if (arg.includes('/')) {
    const [type, n] = arg.split('/', 2) as [string, string];
    const r = ctx.cluster.resolveResource(type);
    if (!r) return { error: errorResult(`the server doesn't have a resource type "${type}"`) };
    if (r.kind !== 'Pod') {
      const owner = ctx.cluster.get<Deployment>(r.kind, ns, n);
      if (!owner.ok) return { error: { stdout: '', stderr: apiErrorText(owner.error), exitCode: 1 } };
      const sel = formatLabelSelector(owner.value.spec?.selector);
      const pods = ctx.cluster.list<Pod>('Pod', { namespace: ns, ...(sel !== '<none>' ? { labelSelector: sel } : {}) });
      const pod = pods.ok ? pods.value[0] : undefined;
      if (!pod) return { error: errorResult(`timed out waiting for the condition`) };
      return { pod };
    }
    name = n;
  }
  const got = ctx.cluster.get<Pod>('Pod', ns, name);
  if (!got.ok) return { error: { stdout: '', stderr: apiErrorText(got.error), exitCode: 1 } };
  return { pod: got.value };
}

async function run(p: ParsedFlags, ctx: CommandContext): Promise<CommandResult> {
  if (p.args.length === 0) return usageErrorf('logs', 'expected POD or TYPE/NAME is a required argument for the logs command');
  if (p.args.length > 2) return usageErrorf('logs', 'expected a resource');
  const found = findPod(p, ctx, p.args[0]!);
  if ('error' in found) return found.error;
  const pod = found.pod;
  const containers = pod.spec.containers;
  let stderr = '';
  let cname = str(p, 'container') || p.args[1] || '';
  if (!cname) {
    cname = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'] ?? containers[0]!.name;
    if (containers.length > 1 && !pod.metadata.annotations?.['kubectl.kubernetes.io/default-container']) {
      stderr += `Defaulted container "${cname}" out of: ${containers.map((c) => c.name).join(', ')}\n`;
    }
  }
  if (!containers.some((c) => c.name === cname)) {
    return { stdout: '', stderr: `error: container ${cname} is not valid for pod ${pod.metadata.name}\n`, exitCode: 1 };
  }
  const status = pod.status?.containerStatuses?.find((s) => s.name === cname);
  const previous = bool(p, 'previous');
  const bad = (msg: string): CommandResult => ({ stdout: '', stderr: `${stderr}Error from server (BadRequest): ${msg}\n`, exitCode: 1 });
  if (previous && !status?.lastState?.terminated) return bad(`previous terminated container "${cname}" in pod "${pod.metadata.name}" not found`);
  if (!previous && status?.state?.waiting) return bad(`container "${cname}" in pod "${pod.metadata.name}" is waiting to start: ${status.state.waiting.reason}`);
  if (!status) return bad(`container "${cname}" in pod "${pod.metadata.name}" is waiting to start: ContainerCreating`);

  const fn = engineLogs(ctx.cluster);
  let text = '';
  if (fn) {
    const r = fn(pod.metadata.namespace ?? 'default', pod.metadata.name, cname, { previous });
    if (!r.ok) return { stdout: '', stderr: stderr + apiErrorText(r.error), exitCode: 1 };
    text = r.value;
  }
  let lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  if (has(p, 'tail') && int(p, 'tail', -1) >= 0) lines = lines.slice(Math.max(0, lines.length - int(p, 'tail', -1)));
  return { stdout: lines.map((l) => `${l}\n`).join(''), stderr, exitCode: 0 };
}

export const logs: Verb = {
  name: 'logs',
  help: kubectlHelp({
    long: `Print the logs for a container in a pod or specified resource. If the pod has only one container, the container name is
optional.`,
    examples: `  # Return snapshot logs from pod nginx with only one container
  kubectl logs nginx

  # Return snapshot of previous terminated ruby container logs from pod web-1
  kubectl logs -p -c ruby web-1

  # Display only the most recent 20 lines of output in pod nginx
  kubectl logs --tail=20 nginx

  # Return snapshot logs from first container of a job named hello
  kubectl logs job/hello`,
    options: [
      ["-c, --container=''", 'Print the logs of this container'],
      ['-f, --follow=false', 'Specify if the logs should be streamed.'],
      ['-p, --previous=false', 'If true, print the logs for the previous instance of the container in a pod if it exists.'],
      ['--tail=-1', 'Lines of recent log file to display. Defaults to -1 with no selector, showing all log lines otherwise 10, if a\n\tselector is provided.'],
      ['--timestamps=false', 'Include timestamps on each line in the log output'],
    ],
    usage: 'kubectl logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] [options]',
  }),
  flags: [
    { name: 'container', short: 'c', type: 'string' },
    { name: 'previous', short: 'p', type: 'bool' },
    { name: 'tail', type: 'int' },
    { name: 'follow', short: 'f', type: 'bool' },
    { name: 'timestamps', type: 'bool' },
    { name: 'all-containers', type: 'bool' },
    { name: 'selector', short: 'l', type: 'string' },
    { name: 'since', type: 'string' },
    { name: 'prefix', type: 'bool' },
  ],
  run,
};
