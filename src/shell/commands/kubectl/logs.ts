/**
 * kubectl logs (k8s.io/kubectl/pkg/cmd/logs): POD | TYPE/NAME, -c, --previous, --tail,
 * --timestamps, --since. The lines and the kubelet's errors come from the engine
 * (`cluster.logs`). For TYPE/NAME kubectl picks one pod of the controller and says which on
 * stderr when there are several; without -c a multi-container pod defaults to its first
 * container (or the kubectl.kubernetes.io/default-container annotation) with a notice.
 * `-f` prints what is there, then each line as the container writes it (the cluster's clock
 * moves while it waits), until the container stops (kubectl then exits 0) or Ctrl-C, which
 * kills it as it does kubectl (it does not trap SIGINT). A script cannot press Ctrl-C: there it
 * prints what is there and ends, as `kubectl get -w` does.
 */
import type { Deployment, Pod } from '../../../engine';
import { bool, has, int, str, type ParsedFlags } from '../../flags';
import type { CommandContext, CommandResult } from '../../types';
import { apiErrorText, errorResult, namespaceOf, usageErrorf, type Verb } from './common';
import { kubectlHelp } from './help/format';
import { formatLabelSelector } from './printers/labels';

/** podutils.ActivePods order, reduced: running and ready first, then the oldest. */
function rank(p: Pod): number {
  const ready = p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? 0 : 1;
  const running = p.status?.phase === 'Running' ? 0 : 1;
  return running * 2 + ready;
}

function findPod(p: ParsedFlags, ctx: CommandContext, arg: string): { pod: Pod; notice: string } | { error: CommandResult } {
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
      const all = (pods.ok ? pods.value : []).filter((x) => !x.metadata.deletionTimestamp);
      const sorted = [...all].sort((a, b) => rank(a) - rank(b) || a.metadata.creationTimestamp.localeCompare(b.metadata.creationTimestamp) || a.metadata.name.localeCompare(b.metadata.name));
      const pod = sorted[0];
      if (!pod) return { error: errorResult('timed out waiting for the condition') };
      return { pod, notice: all.length > 1 ? `Found ${all.length} pods, using pod/${pod.metadata.name}\n` : '' };
    }
    name = n;
  }
  const got = ctx.cluster.get<Pod>('Pod', ns, name);
  if (!got.ok) return { error: { stdout: '', stderr: apiErrorText(got.error), exitCode: 1 } };
  return { pod: got.value, notice: '' };
}

/** `--since=5m`: Go durations (s, m, h). */
function sinceSeconds(v: string): number | undefined {
  const m = /^(\d+)(s|m|h)$/.exec(v);
  return m ? Number(m[1]) * { s: 1, m: 60, h: 3600 }[m[2] as 's' | 'm' | 'h'] : undefined;
}

/** One container's log being followed: its instance, and how to stop hearing it. */
interface Stream {
  namespace: string;
  pod: string;
  uid: string;
  container: string;
  restarts: number;
  stop: () => void;
}

/** How often a follow prints what came (lines land when the cluster's clock moves). */
const FOLLOW_STEP_MS = 250;

const lines = (text: string): string[] => text.split(/(?<=\n)/).filter(Boolean);

function restartsOf(pod: Pod, container: string): number {
  return pod.status?.containerStatuses?.find((c) => c.name === container)?.restartCount ?? 0;
}

/** Lines heard from followed streams, in the order their containers wrote them. */
export interface Heard {
  text: string;
}

/** Start hearing a container's current instance from now on, prefixed (`--prefix`), into `heard`. */
export function streamOf(ctx: CommandContext, pod: Pod, container: string, prefix: string, heard: Heard, timestamps = false): Stream | undefined {
  const namespace = pod.metadata.namespace ?? 'default';
  const f = ctx.cluster.followLogs(namespace, pod.metadata.name, { container, timestamps }, (line) => (heard.text += prefix + line));
  if (!f.ok) return undefined;
  return { namespace, pod: pod.metadata.name, uid: pod.metadata.uid, container, restarts: restartsOf(pod, container), stop: f.value };
}

/**
 * kubectl logs -f after the lines printed so far: what the streams write, as it comes, until
 * each one's container instance stops (the log stream then ends) or its pod goes, or Ctrl-C.
 */
export async function follow(ctx: CommandContext, streams: Stream[], heard: Heard): Promise<CommandResult> {
  let open = streams;
  try {
    while (open.length && !ctx.session.signal.aborted) {
      await ctx.session.wait(FOLLOW_STEP_MS);
      if (heard.text) ctx.session.write(heard.text);
      heard.text = '';
      open = open.filter((s) => {
        const got = ctx.cluster.get<Pod>('Pod', s.namespace, s.pod);
        const status = got.ok && got.value.metadata.uid === s.uid ? got.value.status?.containerStatuses?.find((c) => c.name === s.container) : undefined;
        const ended = !status?.state.running || status.restartCount !== s.restarts;
        if (ended) s.stop();
        return !ended;
      });
    }
  } finally {
    for (const s of open) s.stop();
  }
  return { stdout: '', stderr: '', exitCode: 0 };
}

/** `-l SELECTOR`: every matching pod's logs in turn, 10 lines each unless --tail says otherwise. */
async function bySelector(p: ParsedFlags, ctx: CommandContext, selector: string): Promise<CommandResult> {
  const pods = ctx.cluster.list<Pod>('Pod', { namespace: namespaceOf(p, ctx), labelSelector: selector });
  if (!pods.ok) return { stdout: '', stderr: apiErrorText(pods.error), exitCode: 1 };
  if (pods.value.length === 0) return { stdout: '', stderr: `No resources found in ${namespaceOf(p, ctx)} namespace.\n`, exitCode: 0 };
  const max = has(p, 'max-log-requests') ? int(p, 'max-log-requests', 5) : 5;
  if (bool(p, 'follow') && pods.value.length > max) return errorResult(`you are attempting to follow ${pods.value.length} log streams, but maximum allowed concurrency is ${max}, use --max-log-requests to increase the limit`);
  const tail = has(p, 'tail') ? int(p, 'tail', -1) : 10;
  let stdout = '';
  let stderr = '';
  const streams: Stream[] = [];
  const heard: Heard = { text: '' };
  for (const pod of pods.value) {
    const cname = str(p, 'container') || pod.spec.containers[0]!.name;
    const r = ctx.cluster.logs(pod.metadata.namespace ?? 'default', pod.metadata.name, { container: cname, previous: bool(p, 'previous'), timestamps: bool(p, 'timestamps'), ...(tail >= 0 ? { tailLines: tail } : {}) });
    if (!r.ok) {
      stderr += apiErrorText(r.error);
      continue;
    }
    const prefix = bool(p, 'prefix') ? `[pod/${pod.metadata.name}/${cname}] ` : '';
    stdout += prefix ? lines(r.value).map((l) => prefix + l).join('') : r.value;
    const stream = bool(p, 'follow') && ctx.session.endless ? streamOf(ctx, pod, cname, prefix, heard, bool(p, 'timestamps')) : undefined;
    if (stream) streams.push(stream);
  }
  if (!streams.length) return { stdout, stderr, exitCode: stderr ? 1 : 0 };
  ctx.session.write(stdout);
  return follow(ctx, streams, heard);
}

async function run(p: ParsedFlags, ctx: CommandContext): Promise<CommandResult> {
  const selector = str(p, 'selector');
  if (p.args.length === 0 && selector) return bySelector(p, ctx, selector);
  if (p.args.length === 0) return usageErrorf('logs', 'expected POD or TYPE/NAME is a required argument for the logs command');
  if (p.args.length > 2) return usageErrorf('logs', 'expected a resource');
  const found = findPod(p, ctx, p.args[0]!);
  if ('error' in found) return found.error;
  const pod = found.pod;
  const containers = pod.spec.containers;
  let stderr = found.notice;
  let cname = str(p, 'container') || p.args[1] || '';
  if (!cname) {
    const annotated = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
    cname = annotated ?? containers[0]!.name;
    if (containers.length > 1 && !annotated) stderr += `Defaulted container "${cname}" out of: ${containers.map((c) => c.name).join(', ')}\n`;
  }
  if (!containers.some((c) => c.name === cname)) {
    return { stdout: '', stderr: `${stderr}error: container ${cname} is not valid for pod ${pod.metadata.name}\n`, exitCode: 1 };
  }
  const since = str(p, 'since');
  const secs = since ? sinceSeconds(since) : undefined;
  if (since && secs === undefined) return errorResult(`invalid argument "${since}" for "--since" flag: time: invalid duration "${since}"`);
  const tail = has(p, 'tail') ? int(p, 'tail', -1) : -1;
  const r = ctx.cluster.logs(pod.metadata.namespace ?? 'default', pod.metadata.name, {
    container: cname,
    previous: bool(p, 'previous'),
    timestamps: bool(p, 'timestamps'),
    ...(tail >= 0 ? { tailLines: tail } : {}),
    ...(secs !== undefined ? { sinceSeconds: secs } : {}),
  });
  if (!r.ok) return { stdout: '', stderr: stderr + apiErrorText(r.error), exitCode: 1 };
  if (!bool(p, 'follow') || bool(p, 'previous') || !ctx.session.endless) return { stdout: r.value, stderr, exitCode: 0 };
  const heard: Heard = { text: '' };
  const stream = streamOf(ctx, pod, cname, '', heard, bool(p, 'timestamps'));
  if (!stream) return { stdout: r.value, stderr, exitCode: 0 };
  // The notices go first, as kubectl writes them before the stream starts.
  ctx.session.write(stderr + r.value);
  return follow(ctx, [stream], heard);
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
    { name: 'max-log-requests', type: 'int' },
  ],
  run,
};
