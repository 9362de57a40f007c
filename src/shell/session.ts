/**
 * A terminal session: a stack of shells. The bottom is the learner's workstation; `ssh NODE`
 * and `kubectl exec -it POD -- sh` push a node or pod shell; `exit` pops it. Each place has its
 * own just-bash interpreter and file system (a node's and a pod's files are theirs), kept for
 * the session so files survive leaving and coming back.
 *
 * just-bash resets variables and the working directory on every exec(); a terminal keeps them,
 * so we carry the exported environment and PWD from one line to the next ourselves.
 */
import { Bash, decodeBytesToUtf8, type IFileSystem } from 'just-bash';
import { imageProfile, type Cluster } from '../engine';
import { commandsFor } from './registry';
import type { CommandModule, CommandResult, ExternalEditor, KubeConfigState, SessionControl, ShellPlace } from './types';
import { inShellDialect } from './dialect';
import { podEnv, podFiles } from './podfiles';

export interface SessionOptions {
  cluster: Cluster;
  /** True in the browser terminal; false for the CLI and tests (affects `-it` warnings only). */
  interactive?: boolean;
  /** Files put in the workstation's file system at start, e.g. `{'/home/user/web.yaml': '…'}`. */
  files?: Record<string, string>;
  /** The browser's YAML editor, for `kubectl edit` (none on the CLI). */
  editor?: ExternalEditor;
}

export interface Session {
  /** The prompt the terminal shows before the next line. */
  prompt(): string;
  /** Run one line as typed at the prompt. Never throws. */
  run(line: string): Promise<CommandResult>;
  readonly place: ShellPlace;
  /** The workstation's file system (the editor saves here). */
  readonly fs: IFileSystem;
  /** Exceptions caught inside commands: each is a bug in a command, kept for tests to assert on. */
  readonly bugs: readonly string[];
}

interface Shell {
  place: ShellPlace;
  /** What leaving this shell does besides popping it (set per visit). */
  onExit?: (() => CommandResult | Promise<CommandResult>) | undefined;
  /** Resolves once the base directories exist. */
  ready: Promise<unknown>;
  bash: Bash;
  env: Record<string, string>;
  cwd: string;
}

const WORKSTATION: ShellPlace = { kind: 'workstation' };

export function createSession(opts: SessionOptions): Session {
  return new TerminalSession(opts);
}

class TerminalSession implements Session {
  readonly bugs: string[] = [];
  readonly #cluster: Cluster;
  readonly #interactive: boolean;
  readonly #editor: ExternalEditor | undefined;
  readonly #kubeconfig: KubeConfigState = { currentContext: 'kind-kind' };
  readonly #shells = new Map<string, Shell>();
  readonly #stack: Shell[];
  #pendingEnter: { place: ShellPlace; onExit?: (() => CommandResult | Promise<CommandResult>) | undefined } | undefined;

  constructor(opts: SessionOptions) {
    this.#cluster = opts.cluster;
    this.#interactive = opts.interactive ?? false;
    this.#editor = opts.editor;
    const home = this.#shell(WORKSTATION, opts.files);
    this.#stack = [home];
  }

  get place(): ShellPlace {
    return this.#top.place;
  }

  get fs(): IFileSystem {
    return this.#stack[0]!.bash.fs;
  }

  get #top(): Shell {
    return this.#stack[this.#stack.length - 1]!;
  }

  prompt(): string {
    const sh = this.#top;
    const home = sh.env['HOME'] ?? '/';
    const where = sh.cwd === home ? '~' : sh.cwd.startsWith(home + '/') ? '~' + sh.cwd.slice(home.length) : sh.cwd;
    switch (sh.place.kind) {
      case 'workstation':
        return `user@workstation:${where}$ `;
      case 'node':
        return `root@${sh.place.node}:${where}# `;
      case 'pod':
        return podPrompt(sh.place.image, where);
    }
  }

  async run(line: string): Promise<CommandResult> {
    try {
      return await this.#run(line);
    } catch (e) {
      // A throw that escaped a command wrapper is a bug in the shell itself; keep the session alive.
      this.bugs.push(String((e as Error)?.stack ?? e));
      return { stdout: '', stderr: `bash: internal error: ${(e as Error)?.message ?? e}\n`, exitCode: 1 };
    }
  }

  async #run(line: string): Promise<CommandResult> {
    if (line.trim() === '') return { stdout: '', stderr: '', exitCode: 0 };
    const sh = this.#top;
    const exit = /^\s*(exit|logout)(?:\s+(\d+))?\s*$/.exec(line);
    if (exit && this.#stack.length > 1) {
      this.#stack.pop();
      const code = Number(exit[2] ?? 0);
      const after = sh.onExit ? await sh.onExit() : { stdout: '', stderr: '', exitCode: 0 };
      sh.onExit = undefined;
      if (sh.place.kind === 'node') {
        return { stdout: 'logout\n', stderr: `Connection to ${sh.place.node} closed.\n`, exitCode: code };
      }
      // kubectl exec reports a non-zero exit of the remote shell.
      const remote = code ? `command terminated with exit code ${code}\n` : '';
      return { stdout: after.stdout, stderr: remote + after.stderr, exitCode: code };
    }
    this.#pendingEnter = undefined;
    await sh.ready;
    // rawScript keeps leading whitespace, which YAML in a here-document needs.
    const r = await sh.bash.exec(line, { env: sh.env, cwd: sh.cwd, replaceEnv: true, rawScript: true });
    sh.env = { ...r.env };
    if (r.env['PWD']) sh.cwd = r.env['PWD'];
    const pending = this.#takePending();
    if (pending) {
      const next = this.#shell(pending.place);
      next.onExit = pending.onExit;
      this.#stack.push(next);
    }
    return { stdout: r.stdout, stderr: inShellDialect(r.stderr, sh.place), exitCode: r.exitCode };
  }

  /**
   * `sleep N`: on a manual clock (CLI, tests) time jumps N and the controllers catch up; on a
   * real-time clock (browser) we really wait, then let the cluster catch up with what is due.
   */
  async #sleep(ms: number): Promise<void> {
    if (this.#cluster.clock.advance) {
      this.#cluster.tick(ms);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, ms));
    this.#cluster.tick();
  }

  /** A command asked to enter a nested shell during this line (set through SessionControl.enter). */
  #takePending() {
    const p = this.#pendingEnter;
    this.#pendingEnter = undefined;
    return p;
  }

  /** The shell of a place, made on first visit and kept for the session. */
  #shell(place: ShellPlace, files?: Record<string, string>): Shell {
    const key = placeKey(place);
    const existing = this.#shells.get(key);
    if (existing) return existing;
    const env = { ...baseEnv(place), ...(place.kind === 'pod' ? podEnv(this.#cluster, place) : {}) };
    const cwd = startDir(place);
    const bash = new Bash({
      cwd,
      env,
      ...(files ? { files } : {}),
      sleep: (ms: number) => this.#sleep(ms),
      customCommands: commandsFor(place).map(({ name, load }) => ({
        name,
        load: async () => {
          const mod = await load();
          return { name, execute: async (args: string[], jctx) => asciiAsBytes(await this.#invoke(mod, place, args, jctx)) };
        },
      })),
    });
    // The directories every Linux box has; just-bash lays out only its own defaults otherwise.
    const dirs = Promise.all(baseDirs(place).map((dir) => bash.fs.mkdir(dir, { recursive: true })));
    // A pod's /etc/resolv.conf and /etc/hosts are the kubelet's (network/podfiles.ts).
    const ready = place.kind === 'pod'
      ? dirs.then(() => Promise.all(Object.entries(podFiles(this.#cluster, place)).map(([path, text]) => bash.fs.writeFile(path, text))))
      : dirs;
    const shell: Shell = { place, bash, env, cwd, ready };
    this.#shells.set(key, shell);
    return shell;
  }

  async #invoke(
    mod: CommandModule,
    place: ShellPlace,
    args: string[],
    jctx: { fs: IFileSystem; cwd: string; env: Map<string, string>; stdin: Parameters<typeof decodeBytesToUtf8>[0] },
  ): Promise<CommandResult> {
    const control: SessionControl = {
      interactive: this.#interactive,
      enter: (p, onExit) => {
        this.#pendingEnter = { place: p, onExit };
      },
      runIn: (p, line, stdin) => this.#runIn(p, line, stdin),
      wait: (ms) => this.#sleep(ms),
      editor: this.#editor,
    };
    try {
      return await mod.execute(args, {
        cluster: this.#cluster,
        kubeconfig: this.#kubeconfig,
        place,
        fs: jctx.fs,
        cwd: jctx.cwd,
        env: jctx.env,
        stdin: decodeBytesToUtf8(jctx.stdin),
        session: control,
      });
    } catch (e) {
      // User errors are values; an exception here is a bug in `mod`. Say so plainly.
      this.bugs.push(`${mod.name} ${args.join(' ')}: ${String((e as Error)?.stack ?? e)}`);
      return { stdout: '', stderr: `${mod.name}: internal error: ${(e as Error)?.message ?? e}\n`, exitCode: 1 };
    }
  }

  /** One command in another place (ssh NODE CMD, kubectl exec POD -- CMD); nothing carries over. */
  async #runIn(place: ShellPlace, line: string, stdin?: string): Promise<CommandResult> {
    const sh = this.#shell(place);
    await sh.ready;
    const r = await sh.bash.exec(line, { env: sh.env, cwd: sh.cwd, replaceEnv: true, rawScript: true, ...(stdin ? { stdin } : {}) });
    return { stdout: r.stdout, stderr: inShellDialect(r.stderr, place), exitCode: r.exitCode };
  }
}

function placeKey(p: ShellPlace): string {
  return p.kind === 'workstation' ? 'ws' : p.kind === 'node' ? `node/${p.node}` : `pod/${p.namespace}/${p.pod}/${p.container}`;
}

function baseDirs(place: ShellPlace): string[] {
  const common = ['/tmp', '/etc', '/var/log', '/usr/bin', '/bin'];
  if (place.kind === 'workstation') return [...common, '/home/user'];
  return [...common, '/root'];
}

/** Where a shell starts: home on the workstation and nodes; the image's WORKDIR in a pod. */
function startDir(place: ShellPlace): string {
  if (place.kind === 'workstation') return '/home/user';
  if (place.kind === 'node') return '/root';
  return imageProfile(place.image).workdir;
}

function baseEnv(place: ShellPlace): Record<string, string> {
  const path = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
  switch (place.kind) {
    case 'workstation':
      return { HOME: '/home/user', USER: 'user', LOGNAME: 'user', HOSTNAME: 'workstation', PATH: path, SHELL: '/bin/bash', TERM: 'xterm-256color' };
    case 'node':
      return { HOME: '/root', USER: 'root', LOGNAME: 'root', HOSTNAME: place.node, PATH: path, SHELL: '/bin/bash' };
    case 'pod':
      // A container's environment: HOSTNAME is the pod name; HOME is root's. The kubelet's
      // service-link variables (WEB_SERVICE_HOST, …) come from podEnv (podfiles.ts).
      return { HOME: '/root', HOSTNAME: place.pod, PATH: path };
  }
}

/**
 * The prompt of `sh` in an image, by the engine's image profile: busybox/alpine ash uses PS1
 * '\w \$ ' (`/ # `, `~ # `); Debian's dash (nginx, httpd) prints `# ` for root.
 */
function podPrompt(image: string, where: string): string {
  return imageProfile(image).prompt === 'dash' ? '# ' : `${where} # `;
}

/**
 * just-bash measures text output in UTF-8 bytes on every hand-off (five passes over a 5,000-row
 * table); output marked as bytes is measured by its length. ASCII text is the same in both
 * views, so marking it costs one scan and changes nothing a learner sees.
 */
function asciiAsBytes(r: CommandResult): CommandResult & { stdoutKind?: 'bytes' } {
  // eslint-disable-next-line no-control-regex
  return r.stdout.length > 0 && /^[\x00-\x7f]*$/.test(r.stdout) ? { ...r, stdoutKind: 'bytes' } : r;
}
