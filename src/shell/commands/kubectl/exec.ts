/**
 * kubectl exec (k8s.io/kubectl/pkg/cmd/exec): `exec -it POD -- sh` opens the container's shell
 * (the session pushes a pod shell until `exit`); `exec POD -- CMD…` runs one command there.
 * A remote non-zero exit prints `command terminated with exit code N`, as kubectl does.
 */
import { imageProfile, type Deployment, type Pod } from '../../../engine';
import { bool, str } from '../../flags';
import { shellQuote } from '../../quote';
import { imageShells } from '../../registry';
import type { CommandContext, CommandResult } from '../../types';
import { apiErrorText, errorResult, namespaceOf, usageErrorf, type Verb } from './common';
import { kubectlHelp } from './help/format';
import { formatLabelSelector } from './printers/labels';

export function findPod(arg: string, ns: string, ctx: CommandContext): { pod: Pod } | { error: CommandResult } {
  const slash = arg.indexOf('/');
  if (slash !== -1) {
    const r = ctx.cluster.resolveResource(arg.slice(0, slash));
    if (!r) return { error: errorResult(`the server doesn't have a resource type "${arg.slice(0, slash)}"`) };
    const name = arg.slice(slash + 1);
    if (r.kind !== 'Pod') {
      const owner = ctx.cluster.get<Deployment>(r.kind, ns, name);
      if (!owner.ok) return { error: { stdout: '', stderr: apiErrorText(owner.error), exitCode: 1 } };
      const sel = formatLabelSelector(owner.value.spec?.selector);
      const pods = ctx.cluster.list<Pod>('Pod', { namespace: ns, ...(sel !== '<none>' ? { labelSelector: sel } : {}) });
      const pod = pods.ok ? pods.value.find((p) => p.status?.phase === 'Running') ?? pods.value[0] : undefined;
      if (!pod) return { error: errorResult(`no pods found for ${arg}`) };
      return { pod };
    }
    arg = name;
  }
  const got = ctx.cluster.get<Pod>('Pod', ns, arg);
  if (!got.ok) return { error: { stdout: '', stderr: apiErrorText(got.error), exitCode: 1 } };
  return { pod: got.value };
}

export const exec: Verb = {
  name: 'exec',
  help: kubectlHelp({
    long: 'Execute a command in a container.',
    examples: `  # Get output from running the 'date' command from pod mypod, using the first container by default
  kubectl exec mypod -- date

  # Get output from running the 'date' command in ruby-container from pod mypod
  kubectl exec mypod -c ruby-container -- date

  # Switch to raw terminal mode; sends stdin to 'bash' in ruby-container from pod mypod
  # and sends stdout/stderr from 'bash' back to the client
  kubectl exec mypod -c ruby-container -i -t -- bash -il

  # Get output from running 'date' command from the first pod of the deployment mydeployment, using the first
container by default
  kubectl exec deploy/mydeployment -- date`,
    options: [
      ["-c, --container=''", 'Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation for selecting the\n\tcontainer to be attached or the first container in the pod will be chosen'],
      ['-q, --quiet=false', 'Only print output from the remote session'],
      ['-i, --stdin=false', 'Pass stdin to the container'],
      ['-t, --tty=false', 'Stdin is a TTY'],
    ],
    usage: 'kubectl exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...] [options]',
  }),
  flags: [
    { name: 'stdin', short: 'i', type: 'bool' },
    { name: 'tty', short: 't', type: 'bool' },
    { name: 'container', short: 'c', type: 'string' },
    { name: 'quiet', short: 'q', type: 'bool' },
    { name: 'filename', short: 'f', type: 'stringArray' },
    { name: 'pod-running-timeout', type: 'string' },
  ],
  async run(p, ctx) {
    if (p.args.length === 0) return usageErrorf('exec', 'pod, type/name or --filename must be specified');
    if (p.dashAt === -1) {
      if (p.args.length > 1) return usageErrorf('exec', 'exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead');
      return usageErrorf('exec', 'you must specify at least one command for the container');
    }
    if (p.dashAt === 0) return usageErrorf('exec', 'pod, type/name or --filename must be specified');
    const command = p.args.slice(p.dashAt);
    if (command.length === 0) return usageErrorf('exec', 'you must specify at least one command for the container');
    const ns = namespaceOf(p, ctx);
    const found = findPod(p.args[0]!, ns, ctx);
    if ('error' in found) return found.error;
    const pod = found.pod;
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') return errorResult(`cannot exec into a container in a completed pod; current phase is ${phase}`);

    let stderr = '';
    const containers = pod.spec.containers;
    let name = str(p, 'container');
    if (!name) {
      name = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'] ?? containers[0]!.name;
      if (containers.length > 1 && !bool(p, 'quiet') && !pod.metadata.annotations?.['kubectl.kubernetes.io/default-container']) {
        stderr += `Defaulted container "${name}" out of: ${containers.map((c) => c.name).join(', ')}\n`;
      }
    }
    const container = containers.find((c) => c.name === name);
    if (!container) return { stdout: '', stderr: `Error from server (BadRequest): container ${name} is not valid for pod ${pod.metadata.name}\n`, exitCode: 1 };
    const running = pod.status?.containerStatuses?.find((s) => s.name === name)?.state?.running;
    if (!running) return errorResult(`unable to upgrade connection: container not found ("${name}")`);

    const place = { kind: 'pod' as const, namespace: pod.metadata.namespace ?? ns, pod: pod.metadata.name, container: name, image: container.image };
    const program = command[0]!;
    const shells = imageShells(container.image);
    const isShell = shells.includes(program.split('/').pop()!);
    // The container runtime execs argv[0] directly: a missing binary is an OCI error, not a shell message.
    if (['sh', 'ash', 'bash', 'dash', 'zsh'].includes(program.split('/').pop()!) && !isShell) return ociNotFound(ctx, program, stderr);
    // A distroless image (no shell) has only its own binaries: no ls, cat or hostname either.
    if (shells.length === 0 && !imageProfile(container.image).tools.includes(program.split('/').pop()!)) return ociNotFound(ctx, program, stderr);
    if (isShell && command.length === 1) {
      if (bool(p, 'stdin')) ctx.session.enter(place);
      return { stdout: '', stderr, exitCode: 0 };
    }
    const line = command.map(shellQuote).join(' ');
    // -t takes effect only with -i on a terminal (kubectl's setupTTY).
    const tty = bool(p, 'stdin') && bool(p, 'tty') && ctx.session.tty;
    if (!tty && bool(p, 'stdin') && bool(p, 'tty')) stderr += 'Unable to use a TTY - input is not a terminal or the right kind of file\n';
    const r = await ctx.session.runIn(place, line, bool(p, 'stdin') ? ctx.stdin : undefined, undefined, { tty });
    if (r.exitCode === 127 && /command not found/.test(r.stderr) && !isShell) return ociNotFound(ctx, program, stderr);
    const tail = r.exitCode !== 0 ? `command terminated with exit code ${r.exitCode}\n` : '';
    return { stdout: r.stdout, stderr: stderr + r.stderr + tail, exitCode: r.exitCode };
  },
};

function ociNotFound(ctx: CommandContext, program: string, stderr: string): CommandResult {
  const id = ctx.cluster.rng.string(64, '0123456789abcdef');
  return {
    stdout: '',
    stderr:
      stderr +
      `error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "${id}": OCI runtime exec failed: exec failed: unable to start container process: exec: "${program}": executable file not found in $PATH: unknown\n`,
    exitCode: 1,
  };
}
