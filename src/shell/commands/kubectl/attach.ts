/**
 * kubectl attach (k8s.io/kubectl/pkg/cmd/attach): connect to the main process of a running
 * container. With -i to a container whose main process is an interactive shell kept open on
 * stdin (`kubectl run -it NAME -- sh`), the terminal becomes that shell until `exit`, which
 * ends the process (and the container restarts or completes per its policy). Otherwise it
 * shows what the process writes from now on, as `kubectl logs -f` with no history would,
 * until the container stops or Ctrl-C. Messages and checks follow AttachOptions.Run.
 */
import { shellOnStdin, type Pod } from '../../../engine';
import { bool, str } from '../../flags';
import type { CommandContext, CommandResult } from '../../types';
import { errorResult, namespaceOf, type Verb } from './common';
import { findPod } from './exec';
import { kubectlHelp } from './help/format';
import { follow, streamOf, type Heard } from './logs';

/** What attach prints before the session (AttachOptions.Run; its first line since kubernetes#127183). */
export const ATTACH_NOTICE =
  'All commands and output from this session will be recorded in container logs, including credentials and sensitive information passed through the command prompt.\n' +
  "If you don't see a command prompt, try pressing enter.\n";

/** reattachMessage: after a session with stdin on a raw terminal (current kubectl: whatever the restart policy, with -n). */
export function reattachLine(pod: string, container: string, namespace: string): string {
  return `Session ended, resume using 'kubectl attach ${pod} -c ${container} -n ${namespace} -i -t' command\n`;
}

export const attach: Verb = {
  name: 'attach',
  help: kubectlHelp({
    long: 'Attach to a process that is already running inside an existing container.',
    examples: `  # Get output from running pod mypod; use the 'kubectl.kubernetes.io/default-container' annotation
  # for selecting the container to be attached or the first container in the pod will be chosen
  kubectl attach mypod

  # Get output from ruby-container from pod mypod
  kubectl attach mypod -c ruby-container

  # Switch to raw terminal mode; sends stdin to 'bash' in ruby-container from pod mypod
  # and sends stdout/stderr from 'bash' back to the client
  kubectl attach mypod -c ruby-container -i -t

  # Get output from the first pod of a replica set named nginx
  kubectl attach rs/nginx`,
    options: [
      ["-c, --container=''", 'Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation for selecting the\n\tcontainer to be attached or the first container in the pod will be chosen'],
      ["--detach-keys='ctrl-p,ctrl-q'", 'Override the key sequence for detaching a container'],
      ["--pod-running-timeout=1m0s", 'The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running'],
      ['-q, --quiet=false', 'Only print output from the remote session'],
      ['-i, --stdin=false', 'Pass stdin to the container'],
      ['-t, --tty=false', 'Stdin is a TTY'],
    ],
    usage: 'kubectl attach (POD | TYPE/NAME) -c CONTAINER [options]',
  }),
  flags: [
    { name: 'stdin', short: 'i', type: 'bool' },
    { name: 'tty', short: 't', type: 'bool' },
    { name: 'container', short: 'c', type: 'string' },
    { name: 'quiet', short: 'q', type: 'bool' },
    { name: 'detach-keys', type: 'string' },
    { name: 'pod-running-timeout', type: 'string' },
  ],
  async run(p, ctx) {
    if (p.args.length === 0) return errorResult('at least 1 argument is required for attach');
    if (p.args.length > 2) return errorResult(`expected POD, TYPE/NAME, or TYPE NAME, (at most 2 arguments) saw ${p.args.length}: [${p.args.join(' ')}]`);
    const ns = namespaceOf(p, ctx);
    const found = findPod(p.args.length === 2 ? `${p.args[0]}/${p.args[1]}` : p.args[0]!, ns, ctx);
    if ('error' in found) return found.error;
    const pod = found.pod;
    const quiet = bool(p, 'quiet');
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') return errorResult(`cannot attach a container in a completed pod; current phase is ${phase}`);

    // podcmd.FindOrDefaultContainerByName.
    const names = pod.spec.containers.map((c) => c.name);
    let stderr = '';
    let name = str(p, 'container');
    if (name && !names.includes(name)) return errorResult(`cannot attach to the container: container ${name} is not valid for pod ${pod.metadata.name} out of: ${names.join(', ')}`);
    if (!name) {
      const annotated = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
      name = annotated && names.includes(annotated) ? annotated : names[0]!;
      if (!annotated && names.length > 1 && !quiet) stderr += `Defaulted container "${name}" out of: ${names.join(', ')}\n`;
    }
    const container = pod.spec.containers.find((c) => c.name === name)!;

    // The TTY follows the container's: asked for but not allocated is refused with a notice; a
    // container with one forces it. It is raw only with stdin on a terminal (SetupTTY).
    let tty = bool(p, 'tty');
    if (tty && !container.tty) {
      tty = false;
      if (!quiet) stderr += `error: Unable to use a TTY - container ${name} did not allocate one\n`;
    } else if (!tty && container.tty) tty = true;
    const stdin = bool(p, 'stdin');
    const shell = stdin && shellOnStdin(container);
    const raw = stdin && tty && ctx.session.tty;
    // As kubectl exec -it -- sh: the lines that follow a shell's prompt are typed at its terminal.
    if (stdin && tty && !raw && !shell && !quiet) stderr += 'Unable to use a TTY - input is not a terminal or the right kind of file\n';
    const running = pod.status?.containerStatuses?.find((s) => s.name === name)?.state?.running;
    if (!running) return { stdout: '', stderr: `${stderr}error: unable to upgrade connection: container not found ("${name}")\n`, exitCode: 1 };

    if (!quiet) stderr += ATTACH_NOTICE;
    const reattach = !quiet && stdin && raw ? reattachLine(pod.metadata.name, name, ns) : '';
    const image = container.image;
    if (shell) {
      ctx.session.enter({ kind: 'pod', namespace: ns, pod: pod.metadata.name, container: name, image }, (status) => {
        // The shell is the container's main process: leaving it ends the container.
        ctx.cluster.setAppState(ns, pod.metadata.name, { container: name, exitCode: status });
        return { stdout: reattach, stderr: '', exitCode: 0 };
      });
      return { stdout: '', stderr, exitCode: 0 };
    }
    return attachOutput(ctx, pod, name, stderr, reattach);
  },
};

/**
 * Attached to a process that reads no input: what it writes from now on, until it stops or
 * Ctrl-C; a script (no one to press Ctrl-C) has seen all it will see once `before` is out.
 */
export async function attachOutput(ctx: CommandContext, pod: Pod, container: string, before: string, after: string): Promise<CommandResult> {
  const heard: Heard = { text: '' };
  const stream = ctx.session.endless ? streamOf(ctx, pod, container, '', heard) : undefined;
  if (!stream) return { stdout: after, stderr: before, exitCode: 0 };
  ctx.session.write(before);
  const r = await follow(ctx, [stream], heard);
  return { ...r, stdout: r.stdout + after };
}
