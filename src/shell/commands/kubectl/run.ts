/**
 * kubectl run (k8s.io/kubectl/pkg/cmd/run): create one Pod (labels run=NAME, container named
 * NAME). With -i/-t it waits for the pod to run and attaches: `-- sh` opens the container's
 * shell until `exit`; another command runs once. --rm deletes the pod afterwards.
 */
import { shellOnStdin, type ObjectInput, type Pod } from '../../../engine';
import { bool, has, int, str, strs, type ParsedFlags } from '../../flags';
import { terminalText } from '../../display';
import { shellQuote } from '../../quote';
import type { CommandContext, CommandResult } from '../../types';
import { ATTACH_NOTICE, attachOutput, reattachLine } from './attach';
import { apiErrorText, errorResult, namespaceOf, usageErrorf, type Verb } from './common';
import { dryRunOf, dryRunSuffix, DRY_RUN_FLAG } from './dryrun';
import { kubectlHelp } from './help/format';
import { parseOutput, printGroups } from './printers/print';

function buildPod(p: ParsedFlags, name: string, ns: string, command: string[]): ObjectInput | CommandResult {
  const labels: Record<string, string> = {};
  const labelArg = str(p, 'labels');
  if (labelArg) {
    for (const kv of labelArg.split(',')) {
      const [k, v] = kv.split('=');
      if (!k || v === undefined) return errorResult(`invalid label spec: ${kv}`);
      labels[k] = v;
    }
  } else labels['run'] = name;
  const env = strs(p, 'env').map((e) => ({ name: e.slice(0, e.indexOf('=')), value: e.slice(e.indexOf('=') + 1) }));
  const container: Record<string, unknown> = { name, image: str(p, 'image') };
  if (command.length) container[bool(p, 'command') ? 'command' : 'args'] = command;
  if (env.length) container['env'] = env;
  if (has(p, 'port')) container['ports'] = [{ containerPort: int(p, 'port', 0) }];
  if (bool(p, 'stdin')) {
    container['stdin'] = true;
    container['stdinOnce'] = true;
    if (bool(p, 'tty')) container['tty'] = true;
  }
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels },
    spec: { containers: [container], restartPolicy: restartPolicyOf(p), dnsPolicy: 'ClusterFirst' },
  };
}

async function run(p: ParsedFlags, ctx: CommandContext): Promise<CommandResult> {
  const name = p.dashAt === 0 ? undefined : p.args[0];
  if (!name) return usageErrorf('run', 'NAME is required for run');
  if (!str(p, 'image')) return errorResult('required flag(s) "image" not set');
  // RunOptions.Validate's checks, in its order.
  if (bool(p, 'tty') && !bool(p, 'stdin')) return errorResult('-i/--stdin is required for containers with -t/--tty=true');
  const restart = restartPolicyOf(p);
  if (!['Always', 'OnFailure', 'Never'].includes(restart)) return errorResult(`invalid restart policy: ${restart}`);
  // -i attaches unless --attach=false says otherwise.
  const attach = has(p, 'attach') ? bool(p, 'attach') : bool(p, 'stdin');
  if (bool(p, 'rm') && !attach) return errorResult('--rm should only be used for attached containers');
  const dry = dryRunOf(p, ctx.cluster.now());
  if ('error' in dry) return errorResult(dry.error);
  if (attach && dry.dryRun) return errorResult("--dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)");
  const ns = namespaceOf(p, ctx);
  const command = p.dashAt === -1 ? p.args.slice(1) : p.args.slice(p.dashAt);
  const pod = buildPod(p, name, ns, command);
  if ('exitCode' in pod) return pod as CommandResult;

  let stdout = '';
  if (bool(p, 'expose')) {
    if (!has(p, 'port')) return errorResult('--port must be set when exposing a service');
    const svc = ctx.cluster.create({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { selector: (pod.metadata as { labels: Record<string, string> }).labels, ports: [{ port: int(p, 'port', 0), targetPort: int(p, 'port', 0) }] } }, dry.dryRun ? { dryRun: dry.dryRun } : {});
    if (!svc.ok) return { stdout: '', stderr: apiErrorText(svc.error), exitCode: 1 };
    stdout += `service/${name} created${dryRunSuffix(dry.dryRun)}\n`;
  }
  const output = str(p, 'output');
  if (dry.dryRun === 'client' && output) {
    const format = parseOutput(output);
    if ('error' in format) return errorResult(format.error);
    const resource = ctx.cluster.resolveResource('Pod')!;
    const shown = { ...pod, metadata: { creationTimestamp: null, ...pod.metadata }, spec: { ...(pod.spec as object), containers: ((pod.spec as { containers: object[] }).containers).map((c) => ({ ...c, resources: {} })) }, status: {} };
    return { stdout: printGroups([{ resource, objects: [shown as never] }], format, { now: ctx.cluster.now(), withNamespace: false, withKind: false, showLabels: false, noHeaders: false, labelColumns: [], singleItem: true }), stderr: '', exitCode: 0 };
  }
  const created = dry.dryRun === 'client' ? { ok: true as const } : ctx.cluster.create(pod, dry.dryRun ? { dryRun: dry.dryRun } : {});
  if (!created.ok) return { stdout, stderr: apiErrorText(created.error), exitCode: 1 };
  if (!attach || dry.dryRun) return { stdout: stdout + `pod/${name} created${dryRunSuffix(dry.dryRun)}\n`, stderr: '', exitCode: 0 };
  return attachTo(p, ctx, name, ns, command, stdout);
}

/**
 * Wait (emulated time) for the pod to run, then attach as kubectl's run does (handleAttachPod):
 * an interactive shell (`-- sh`) becomes this terminal's shell until `exit`; any other command
 * runs once in the pod (runByAttachedClient: the kubelet holds the container for us), its
 * output goes to the screen and to the container's log, and its exit status ends the
 * container. With restartPolicy Never or OnFailure kubectl then waits for the pod to finish
 * and exits with the container's code; --rm deletes the pod last.
 */
async function attachTo(p: ParsedFlags, ctx: CommandContext, name: string, ns: string, command: string[], stdout: string): Promise<CommandResult> {
  const pod = await waitForPod(ctx, ns, name, 300, (x) => ['Running', 'Succeeded', 'Failed'].includes(x.status?.phase ?? ''));
  if (pod === 'gone' || pod === 'timeout') return { stdout, stderr: 'error: timed out waiting for the condition\n', exitCode: 1 };
  const phase = pod.status?.phase;
  const image = str(p, 'image');
  const place = { kind: 'pod' as const, namespace: ns, pod: name, container: name, image };
  const policy = restartPolicyOf(p);
  // -t takes effect only with -i on a terminal (kubectl's setupTTY).
  const tty = bool(p, 'stdin') && bool(p, 'tty') && ctx.session.tty;
  const ttyWarning = bool(p, 'tty') && !tty ? 'Unable to use a TTY - input is not a terminal or the right kind of file\n' : '';
  const remove = (): CommandResult => {
    if (!bool(p, 'rm')) return { stdout: '', stderr: '', exitCode: 0 };
    const d = ctx.cluster.delete('Pod', ns, name, { gracePeriodSeconds: 0 });
    return d.ok ? { stdout: `pod "${name}" deleted from ${ns} namespace\n`, stderr: '', exitCode: 0 } : { stdout: '', stderr: apiErrorText(d.error), exitCode: 1 };
  };
  // attach's reattach message after a session with stdin on a raw terminal (current kubectl
  // prints it whatever the restart policy, with the namespace).
  const reattach = bool(p, 'stdin') && tty ? reattachLine(name, name, ns) : '';
  if (phase === 'Running' && shellOnStdin(pod.spec.containers[0]!)) {
    ctx.session.enter(place, async (status) => {
      // The shell is the container's main process: its exit ends the container, and kubectl
      // goes on as after any session (the exit status of a Never/OnFailure pod, then --rm).
      ctx.cluster.setAppState(ns, name, { exitCode: status });
      const end = policy !== 'Always' ? await exitStatus(ctx, ns, name, policy) : { stdout: '', stderr: '', exitCode: 0 };
      const after = remove();
      return { stdout: reattach + after.stdout, stderr: end.stderr + after.stderr, exitCode: end.exitCode || after.exitCode };
    });
    // As kubectl exec -it -- sh: the lines that follow are typed at this shell's terminal.
    return { stdout, stderr: ATTACH_NOTICE, exitCode: 0 };
  }

  // A server's own process (no command given): attached to its output, as kubectl attach.
  if (phase === 'Running' && !command.length) return attachOutput(ctx, pod, name, ttyWarning + ATTACH_NOTICE, reattach);

  let shown: CommandResult;
  let notice = '';
  if (phase === 'Running') {
    // The one-shot command, as the attached client sees it; the container's log gets the same.
    // On a terminal its output streams, so the notice has to be on screen before it starts.
    if (tty) ctx.session.write(ATTACH_NOTICE);
    else notice = ATTACH_NOTICE;
    const r = await ctx.session.runIn(place, command.map(shellQuote).join(' '), undefined, undefined, { tty });
    const printed = terminalText(r);
    if (printed) ctx.cluster.appendLog(ns, name, printed);
    ctx.cluster.setAppState(ns, name, { exitCode: r.exitCode });
    // On a tty the container's stderr comes through the one terminal stream, in order.
    shown = tty ? { stdout: printed + reattach, stderr: '', exitCode: 0 } : { stdout: r.stdout + reattach, stderr: r.stderr, exitCode: 0 };
  } else {
    // Finished before kubectl could attach: it prints the container's log instead.
    const log = ctx.cluster.logs(ns, name, { container: name });
    shown = { stdout: log.ok ? log.value : '', stderr: '', exitCode: 0 };
  }
  let status: CommandResult = { stdout: '', stderr: '', exitCode: 0 };
  if (policy !== 'Always') status = await exitStatus(ctx, ns, name, policy);
  const after = remove();
  return {
    stdout: stdout + shown.stdout + after.stdout,
    stderr: ttyWarning + notice + shown.stderr + status.stderr + after.stderr,
    exitCode: status.exitCode || after.exitCode,
  };
}

/** kubectl run's restart policy: --restart, else OnFailure when attached with -i, else Always. */
function restartPolicyOf(p: ParsedFlags): string {
  return has(p, 'restart') ? str(p, 'restart') : bool(p, 'stdin') ? 'OnFailure' : 'Always';
}

/**
 * After the session, for restartPolicy Never or OnFailure: wait for the pod to finish (Never:
 * either way; OnFailure: success) and answer with its container's exit code, as run.go does.
 */
async function exitStatus(ctx: CommandContext, ns: string, name: string, policy: string): Promise<CommandResult> {
  // --pod-running-timeout's default, 1m0s, bounds this wait too.
  const pod = await waitForPod(ctx, ns, name, 60, (x) => x.status?.phase === 'Succeeded' || (x.status?.phase === 'Failed' && policy === 'Never'));
  if (pod === 'gone') return { stdout: '', stderr: `Error from server (NotFound): pods "${name}" not found\n`, exitCode: 1 };
  if (pod === 'timeout') return { stdout: '', stderr: 'error: timed out waiting for the condition\n', exitCode: 1 };
  if (pod.status?.phase === 'Succeeded') return { stdout: '', stderr: '', exitCode: 0 };
  const t = pod.status?.containerStatuses?.[0]?.state?.terminated;
  if (!t || !t.exitCode) return { stdout: '', stderr: `error: pod ${ns}/${name} failed with unknown exit code\n`, exitCode: 1 };
  return { stdout: '', stderr: `pod ${ns}/${name} terminated (${t.reason ?? 'Error'})\n${t.message ?? ''}`, exitCode: t.exitCode };
}

/** kubectl's waitForPod: the pod once `done` holds for it, looked at each second for up to `seconds`. */
async function waitForPod(ctx: CommandContext, ns: string, name: string, seconds: number, done: (pod: Pod) => boolean): Promise<Pod | 'gone' | 'timeout'> {
  for (let s = 0; s <= seconds; s++) {
    const got = ctx.cluster.get<Pod>('Pod', ns, name);
    if (!got.ok) return 'gone';
    if (done(got.value)) return got.value;
    await ctx.session.wait(1000);
  }
  return 'timeout';
}

export const runVerb: Verb = {
  name: 'run',
  help: kubectlHelp({
    long: 'Create and run a particular image in a pod.',
    examples: `  # Start a nginx pod
  kubectl run nginx --image=nginx

  # Start a hazelcast pod and let the container expose port 5701
  kubectl run hazelcast --image=hazelcast/hazelcast --port=5701

  # Start a busybox pod and keep it in the foreground, don't restart it if it exits
  kubectl run -i -t busybox --image=busybox --restart=Never

  # Start the nginx pod using a different command and custom arguments
  kubectl run nginx --image=nginx --command -- <cmd> <arg1> ... <argN>`,
    options: [
      ['--command=false', 'If true and extra arguments are present, use them as the \'command\' field in the container, rather than the\n\t\'args\' field which is the default.'],
      ['--env=[]', 'Environment variables to set in the container.'],
      ['--expose=false', "If true, create a ClusterIP service associated with the pod.  Requires `--port`."],
      ["--image=''", 'The image for the container to run.'],
      ["-l, --labels=''", 'Comma separated labels to apply to the pod. Will override previous values.'],
      ["--port=''", 'The port that this container exposes.'],
      ["--restart='Always'", 'The restart policy for this Pod.  Legal values [Always, OnFailure, Never].'],
      ['--rm=false', 'If true, delete the pod after it exits.  Only valid when attaching to the container, e.g. with \'--attach\' or\n\twith \'-i/--stdin\'.'],
      ['-i, --stdin=false', 'Keep stdin open on the container in the pod, even if nothing is attached.'],
      ['-t, --tty=false', 'Allocate a TTY for the container in the pod.'],
    ],
    usage: 'kubectl run NAME --image=image [--env="key=value"] [--port=port] [--dry-run=server|client] [--overrides=inline-json] [--command] -- [COMMAND] [args...] [options]',
  }),
  flags: [
    { name: 'image', type: 'string' },
    { name: 'port', type: 'int' },
    { name: 'labels', short: 'l', type: 'string' },
    { name: 'env', type: 'stringArray' },
    { name: 'restart', type: 'string' },
    { name: 'command', type: 'bool' },
    { name: 'rm', type: 'bool' },
    { name: 'stdin', short: 'i', type: 'bool' },
    { name: 'tty', short: 't', type: 'bool' },
    { name: 'attach', type: 'bool' },
    { name: 'expose', type: 'bool' },
    { name: 'output', short: 'o', type: 'string' },
    { name: 'image-pull-policy', type: 'string' },
    { name: 'quiet', short: 'q', type: 'bool' },
    DRY_RUN_FLAG,
  ],
  run,
};
