/**
 * A terminal session: a stack of shells. The bottom is the learner's workstation; `ssh NODE`
 * and `kubectl exec -it POD -- sh` push a node or pod shell; `exit` pops it. Each place has its
 * own just-bash interpreter and file system (a node's and a pod's files are theirs), kept for
 * the session so files survive leaving and coming back.
 *
 * just-bash resets variables and the working directory on every exec(); a terminal keeps them,
 * so we carry the exported environment and PWD from one line to the next ourselves.
 */
import { Bash, decodeBytesToUtf8, InMemoryFs, type IFileSystem } from 'just-bash';
import { imageProfile, type Cluster } from '../engine';
import { commandsFor } from './registry';
import type { CommandModule, CommandResult, ExternalEditor, KubeConfigState, SessionControl, ShellPlace, TerminalSize } from './types';
import { inShellDialect } from './dialect';
import { podEnv, podFiles } from './podfiles';
import { terminalText } from './display';
import { terminalFs, terminalMark, toTerminal, type PipeRest, type Route } from './tty';

export interface SessionOptions {
  cluster: Cluster;
  /** True in the browser terminal; false for the CLI and tests (affects `-it` warnings only). */
  interactive?: boolean;
  /** Files put in the workstation's file system at start, e.g. `{'/home/user/web.yaml': '…'}`. */
  files?: Record<string, string>;
  /** The browser's YAML editor, for `kubectl edit` (none on the CLI). */
  editor?: ExternalEditor;
  /**
   * Another terminal tab on the same workstation: this session shares its file systems (the
   * workstation's, each node's and pod's) and kubeconfig; the environment, directory and
   * place are this session's own.
   */
  share?: Session;
}

/**
 * How waits pass: a monotonic ms source and a sleep that an abort ends early. The browser's
 * timers (real time), or a replay's timeline that wakes concurrent lines in engine-time order.
 */
export interface RealTime {
  now(): number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export interface RunOptions {
  /**
   * The terminal: output as it is printed. Each command of the line that writes to the terminal
   * (tty.ts) shows here when it ends, our commands as they print; the result holds the rest.
   * `screen`: a full-screen program's drawing, for the terminal only (no part of the output).
   */
  onOutput?: (text: string, screen?: boolean) => void;
  /** Ctrl-C: the line's waits end, the running command is interrupted. */
  signal?: AbortSignal;
  /** Replay: the line was interrupted when the engine clock reached this time (ms). */
  stopAt?: number;
  /** Waits take this time; without it the engine clock jumps at once (the CLI, tests). */
  time?: RealTime;
  /** The line may run until Ctrl-C (live in the terminal, or a replay that knows where it stopped). */
  endless?: boolean;
  /** The terminal's size, asked when a command wants it (the learner may resize it meanwhile). */
  terminal?: () => TerminalSize;
}

export interface LineResult extends CommandResult {
  /** Ctrl-C ended the line (its output already held the `^C` echo); absent otherwise. */
  interrupted?: true;
  /** Engine time (ms) when Ctrl-C landed, for the log: a replay stops the line there. */
  stoppedAt?: number;
}

export interface Session {
  /** The prompt the terminal shows before the next line. */
  prompt(): string;
  /** Run one line as typed at the prompt. Never throws. */
  run(line: string, opts?: RunOptions): Promise<LineResult>;
  readonly place: ShellPlace;
  /** The workstation's file system (the editor saves here). */
  readonly fs: IFileSystem;
  /** Exceptions caught inside commands: each is a bug in a command, kept for tests to assert on. */
  readonly bugs: readonly string[];
}

interface Shell {
  place: ShellPlace;
  /** What leaving this shell does besides popping it (set per visit). */
  onExit?: ((status: number) => CommandResult | Promise<CommandResult>) | undefined;
  /** Resolves once the base directories exist. */
  ready: Promise<unknown>;
  bash: Bash;
  env: Record<string, string>;
  cwd: string;
  /** `$?`: the status of the last line run at this shell's prompt. */
  status: number;
}

const WORKSTATION: ShellPlace = { kind: 'workstation' };

/** The line running now: how it ends on Ctrl-C and where its output goes. */
interface Line {
  abort: AbortController;
  stopAt: number | undefined;
  /** The interrupt was seen by a wait (the `^C` is printed, later waits return at once). */
  interrupted: boolean;
  /** A command that catches SIGINT finished after it with this status (its own result stands). */
  caught: number | undefined;
  /** The tty's `^C` echo is due: printed before the interrupted command's last words (ping's statistics) or at the end. */
  echoDue: boolean;
  /** The tty echoes Ctrl-C as `^C` (a full-screen program turns echo off). */
  echo: boolean;
  onOutput: ((text: string, screen?: boolean) => void) | undefined;
  /** The terminal itself: `onOutput` may be cut off for a while (a remote command's output after Ctrl-C killed its client), the tty's echo never is. */
  terminalOut: ((text: string, screen?: boolean) => void) | undefined;
  /** The next script just-bash parses is this line's: rewrite it so its output (these fds) goes to the terminal (tty.ts). */
  armed: Route | undefined;
  /** The pipes whose first stages are marked (tty.ts), and the one running now with what it printed into it. */
  pipes: PipeRest[];
  pipe: { rest: PipeRest; text: string } | undefined;
  /** Written to /dev/tty by a line that has no terminal (the CLI): shown before its output. */
  unshown: string;
  time: RealTime | undefined;
  endless: boolean;
  terminal: (() => TerminalSize) | undefined;
  stoppedAt: number | undefined;
  /** The wait in progress: just-bash may return before it lands after an abort. */
  waiting: Promise<void> | undefined;
}

/** What tabs of one terminal share: each place's file system and the kubeconfig. */
interface Shared {
  fs: Map<string, IFileSystem>;
  kubeconfig: KubeConfigState;
}

const SHARED = new WeakMap<Session, Shared>();

export function createSession(opts: SessionOptions): Session {
  return new TerminalSession(opts);
}

class TerminalSession implements Session {
  readonly bugs: string[] = [];
  readonly #cluster: Cluster;
  readonly #interactive: boolean;
  readonly #editor: ExternalEditor | undefined;
  readonly #kubeconfig: KubeConfigState;
  readonly #shared: Shared;
  readonly #shells = new Map<string, Shell>();
  readonly #stack: Shell[];
  #pendingEnter: { place: ShellPlace; onExit?: ((status: number) => CommandResult | Promise<CommandResult>) | undefined } | undefined;
  #line: Line | undefined;
  /** Lines running in another place for a command (runIn): no terminal there. */
  #elsewhere = 0;

  constructor(opts: SessionOptions) {
    this.#cluster = opts.cluster;
    this.#interactive = opts.interactive ?? false;
    this.#editor = opts.editor;
    this.#shared = (opts.share && SHARED.get(opts.share)) ?? { fs: new Map(), kubeconfig: { currentContext: 'kind-kind' } };
    this.#kubeconfig = this.#shared.kubeconfig;
    SHARED.set(this, this.#shared);
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

  async run(text: string, opts: RunOptions = {}): Promise<LineResult> {
    const r = await this.#runLine(text, opts);
    // The shell at the prompt now (the one left to, after `exit`) sees this status as `$?`.
    this.#top.status = r.exitCode;
    return r;
  }

  async #runLine(text: string, opts: RunOptions): Promise<LineResult> {
    const line: Line = {
      abort: new AbortController(),
      stopAt: opts.stopAt,
      interrupted: false,
      caught: undefined,
      echoDue: false,
      echo: true,
      onOutput: opts.onOutput,
      terminalOut: opts.onOutput,
      armed: undefined,
      pipes: [],
      pipe: undefined,
      unshown: '',
      time: opts.time,
      endless: opts.endless ?? false,
      terminal: opts.terminal,
      stoppedAt: undefined,
      waiting: undefined,
    };
    const stop = () => line.abort.abort();
    opts.signal?.addEventListener('abort', stop);
    if (opts.signal?.aborted) stop();
    this.#line = line;
    try {
      const r = await this.#run(text, line);
      // just-bash's own `sleep` returns on the abort before our wait has landed; let it land.
      while (line.waiting) await line.waiting;
      // Ctrl-C between two waits (or before the first): the line ends here all the same.
      if (line.abort.signal.aborted) this.#interrupted(line);
      if (!line.interrupted) return line.unshown ? { ...r, stdout: line.unshown + r.stdout } : r;
      this.#echo(line);
      const stoppedAt = line.stoppedAt ?? this.#cluster.now();
      // A command that caught SIGINT ended as it chose; otherwise the foreground job died of
      // it and bash prints a newline after the `^C` echo: exit status 128 + SIGINT.
      if (line.caught !== undefined) {
        // just-bash stops the script after it and says "execution aborted"; bash would not.
        const aborted = r.exitCode === 124 && /execution aborted/.test(r.stderr);
        return aborted ? { stdout: '', stderr: '', exitCode: line.caught, interrupted: true, stoppedAt } : { ...r, interrupted: true, stoppedAt };
      }
      return { stdout: '\n', stderr: '', exitCode: 130, interrupted: true, stoppedAt };
    } catch (e) {
      // A throw that escaped a command wrapper is a bug in the shell itself; keep the session alive.
      this.bugs.push(String((e as Error)?.stack ?? e));
      return { stdout: '', stderr: `bash: internal error: ${(e as Error)?.message ?? e}\n`, exitCode: 1 };
    } finally {
      opts.signal?.removeEventListener('abort', stop);
      this.#line = undefined;
    }
  }

  async #run(line: string, state: Line): Promise<CommandResult> {
    if (line.trim() === '') return { stdout: '', stderr: '', exitCode: 0 };
    const sh = this.#top;
    const exit = /^\s*(exit|logout)(?:\s+(\d+))?\s*$/.exec(line);
    if (exit && this.#stack.length > 1) {
      this.#stack.pop();
      const code = Number(exit[2] ?? 0);
      const onExit = sh.onExit;
      sh.onExit = undefined;
      if (sh.place.kind === 'node') {
        return { stdout: 'logout\n', stderr: `Connection to ${sh.place.node} closed.\n`, exitCode: code };
      }
      // The client that opened the shell says what its end prints (kubectl run/attach: the
      // process it attached to exited); kubectl exec reports a non-zero exit of the remote shell.
      if (onExit) return onExit(code);
      return { stdout: '', stderr: code ? `command terminated with exit code ${code}\n` : '', exitCode: code };
    }
    this.#pendingEnter = undefined;
    await sh.ready;
    // rawScript keeps leading whitespace, which YAML in a here-document needs.
    // The signal stops the script at the next statement (`sleep 30; echo done` prints nothing after ^C).
    state.armed = state.onOutput !== undefined ? { out: true, err: true } : undefined;
    carryStatus(sh.bash, sh.status);
    const r = await sh.bash.exec(line, { env: sh.env, cwd: sh.cwd, replaceEnv: true, rawScript: true, signal: state.abort.signal });
    state.armed = undefined;
    if (state.pipe && state.abort.signal.aborted) await this.#restOfPipe(sh, state.pipe);
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
   * Every wait (`sleep N`, a timeout, ping's interval). Live in the browser it takes real time
   * and the engine moves by exactly `ms` (or, after Ctrl-C, by the whole ms that passed); on a
   * manual clock (CLI, tests) time jumps at once; a replay jumps too and stops where the live
   * run was interrupted. The three agree, so a replayed interrupt lands at the same engine time.
   */
  #sleep(ms: number): Promise<void> {
    const line = this.#line;
    const waiting = this.#wait(ms, line);
    if (!line) return waiting;
    const tracked = waiting.finally(() => {
      if (line.waiting === tracked) line.waiting = undefined;
    });
    line.waiting = tracked;
    return tracked;
  }

  async #wait(ms: number, line: Line | undefined): Promise<void> {
    const clock = this.#cluster.clock;
    if (line && (line.interrupted || line.abort.signal.aborted)) return this.#interrupted(line);
    if (!clock.advance) {
      // A real clock without jumps: wait, then let the cluster catch up with what is due.
      await new Promise((resolve) => setTimeout(resolve, ms));
      this.#cluster.tick();
      return;
    }
    // Ticks go to a target, not by an amount: another tab's line may have moved the clock meanwhile.
    const start = clock.now();
    const until = (t: number) => this.#cluster.tick(Math.max(0, t - clock.now()));
    const time = line?.time;
    if (line?.stopAt !== undefined && start + ms > line.stopAt) {
      if (time) await time.sleep(line.stopAt - start, line.abort.signal);
      until(line.stopAt);
      return this.#interrupted(line);
    }
    if (line && time && ms > 0) {
      const t0 = time.now();
      await time.sleep(ms, line.abort.signal);
      const passed = Math.floor(time.now() - t0);
      // Interrupted only if the wait had not run its course (else the next wait sees it).
      if (line.abort.signal.aborted && passed < ms) {
        until(start + Math.max(0, passed));
        return this.#interrupted(line);
      }
    }
    until(start + ms);
  }

  /**
   * Ctrl-C was pressed in a pipe's first stage (`kubectl get pods -w | grep web`): in bash the
   * later stages had been reading it all along, and had printed what they print for it by now.
   * just-bash runs them only after the first ends and stops at Ctrl-C, so they run here, on what
   * the first stage printed before Ctrl-C; stages that print only at the end (`tail`, `wc`) had
   * printed nothing when Ctrl-C killed them.
   */
  async #restOfPipe(sh: Shell, pipe: { rest: PipeRest; text: string }): Promise<void> {
    const line = this.#line;
    if (!line?.onOutput || !pipe.rest.streams || pipe.text === '') return;
    const r = await sh.bash.exec(pipe.rest.script, { env: sh.env, cwd: sh.cwd, replaceEnv: true, rawScript: true, stdin: pipe.text });
    line.onOutput(terminalText({ stdout: r.stdout, stderr: inShellDialect(r.stderr, sh.place), exitCode: r.exitCode }));
  }

  /** Ctrl-C reached the line: every later wait returns at once; the tty's `^C` echo is due. */
  #interrupted(line: Line): void {
    if (line.interrupted) return;
    line.interrupted = true;
    line.echoDue = true;
    line.stoppedAt = this.#cluster.now();
    line.abort.abort();
  }

  /** The `^C` the tty echoed when Ctrl-C was pressed, once, before what follows it. */
  #echo(line: Line): void {
    if (!line.echoDue || !line.echo) return;
    line.echoDue = false;
    line.terminalOut?.('^C');
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
    const fs = this.#shared.fs.get(key) ?? new InMemoryFs(files);
    const env = { ...baseEnv(place), ...(place.kind === 'pod' ? podEnv(this.#cluster, place) : {}) };
    const cwd = startDir(place);
    const commands = commandsFor(place);
    const bash = new Bash({
      cwd,
      env,
      // This tab's /dev/tty is this tab's terminal, whichever files it shares with other tabs.
      fs: terminalFs(fs, (text) => this.#tty(text)),
      sleep: (ms: number) => this.#sleep(ms),
      customCommands: commands.map(({ name, load }) => ({
        name,
        load: async () => {
          const mod = await load();
          return { name, execute: async (args: string[], jctx) => asciiAsBytes(await this.#invoke(mod, place, args, jctx)) };
        },
      })),
    });
    const names = new Set(commands.map((c) => c.name));
    bash.registerTransformPlugin({
      name: 'terminal',
      transform: ({ ast }) => {
        const line = this.#line;
        // Only the line typed at the prompt; not what its commands run (`bash -c`, `eval`, kubectl exec).
        if (line?.armed) {
          const route = line.armed;
          line.armed = undefined;
          line.pipes = toTerminal(ast, names, route);
        }
        return { ast };
      },
    });
    // The directories every Linux box has; just-bash lays out only its own defaults otherwise.
    const dirs = Promise.all(baseDirs(place).map((dir) => bash.fs.mkdir(dir, { recursive: true })));
    // A pod's /etc/resolv.conf and /etc/hosts are the kubelet's (network/podfiles.ts).
    const ready = place.kind === 'pod'
      ? dirs.then(() => Promise.all(Object.entries(podFiles(this.#cluster, place)).map(([path, text]) => bash.fs.writeFile(path, text))))
      : dirs;
    this.#shared.fs.set(key, fs);
    const shell: Shell = { place, bash, env, cwd, ready, status: 0 };
    this.#shells.set(key, shell);
    return shell;
  }

  async #invoke(
    mod: CommandModule,
    place: ShellPlace,
    args: string[],
    jctx: { fs: IFileSystem; cwd: string; env: Map<string, string>; stdin: Parameters<typeof decodeBytesToUtf8>[0]; fileDescriptors?: Map<number, string> },
  ): Promise<CommandResult> {
    const line = this.#line;
    const mark = line?.onOutput ? terminalMark(jctx.fileDescriptors) : undefined;
    // Its stdout is the terminal: what it prints shows at once.
    const top = mark?.kind === 'terminal' ? { line: line!, stderr: mark.stderr } : undefined;
    // It feeds a pipe whose last stage writes to the terminal: keep what it printed for Ctrl-C.
    const rest = mark?.kind === 'pipe' ? line!.pipes[mark.index] : undefined;
    const piped = rest ? { rest, text: '' } : undefined;
    if (piped) line!.pipe = piped;
    let early = '';
    let catches = false;
    const control: SessionControl = {
      catchInterrupt: () => {
        catches = true;
      },
      interactive: this.#interactive,
      tty: this.#interactive && this.#elsewhere === 0,
      signal: line?.abort.signal ?? new AbortController().signal,
      endless: this.#interactive && line !== undefined && line.endless,
      write: (text) => {
        if (top) {
          this.#echo(top.line);
          top.line.onOutput!(text);
          return;
        }
        early += text;
        if (piped && !line?.interrupted) piped.text += text;
      },
      terminalSize: () => line?.terminal?.(),
      fullScreen: () => {
        if (line) line.echo = false;
        return (text) => {
          if (top) top.line.onOutput!(text, true);
          else early += text;
        };
      },
      enter: (p, onExit) => {
        this.#pendingEnter = { place: p, onExit };
      },
      runIn: (p, line, stdin, as, remote) => {
        // With a remote tty the client never sees SIGINT: its result stands after Ctrl-C.
        if (remote?.tty) catches = true;
        // The remote stderr comes through the one pty, or goes where the client's goes.
        const terminal = remote && top ? { stderr: remote.tty || top.stderr, tty: remote.tty } : undefined;
        return this.#runIn(p, line, stdin, as, terminal);
      },
      wait: (ms) => this.#sleep(ms),
      editor: this.#editor,
    };
    try {
      const r = await mod.execute(args, {
        cluster: this.#cluster,
        kubeconfig: this.#kubeconfig,
        place,
        fs: jctx.fs,
        cwd: jctx.cwd,
        env: jctx.env,
        stdin: decodeBytesToUtf8(jctx.stdin),
        session: control,
      });
      if (line?.interrupted) {
        if (!catches) return { stdout: '', stderr: '', exitCode: 130 };
        // In a pipe the line's status is the last stage's, and SIGINT killed that one.
        if (!piped) line.caught = r.exitCode;
      } else if (piped && line?.pipe === piped) line.pipe = undefined;
      if (!top) return early ? { ...r, stdout: early + r.stdout } : r;
      // The rest of its output follows what it printed already (after the `^C` if it caught one).
      this.#echo(top.line);
      // Its stderr goes where the line sent it (`2>/dev/null`) unless that is the terminal too.
      const shown = top.stderr ? terminalText(r) : r.stdout;
      if (shown) top.line.onOutput!(shown);
      return { stdout: '', stderr: top.stderr ? '' : r.stderr, exitCode: r.exitCode };
    } catch (e) {
      // User errors are values; an exception here is a bug in `mod`. Say so plainly.
      this.bugs.push(`${mod.name} ${args.join(' ')}: ${String((e as Error)?.stack ?? e)}`);
      return { stdout: '', stderr: `${mod.name}: internal error: ${(e as Error)?.message ?? e}\n`, exitCode: 1 };
    }
  }

  /** Written to /dev/tty: the running line's terminal (a line without one shows it first in its output). */
  #tty(text: string): void {
    const line = this.#line;
    if (line?.onOutput) line.onOutput(text);
    else if (line) line.unshown += text;
  }

  /**
   * One command in another place (ssh NODE CMD, kubectl exec POD -- CMD); nothing carries over.
   * `terminal`: the caller's stdout is the terminal (its stderr too when `stderr`), so the remote
   * output shows as it comes, as a real client copies its stream to the terminal. Without a
   * remote `tty`, Ctrl-C kills the client, not the remote command: what that prints afterwards
   * (ping's statistics) never reaches the screen.
   */
  async #runIn(place: ShellPlace, line: string, stdin?: string, as?: { cwd: string; env: ReadonlyMap<string, string> }, terminal?: { stderr: boolean; tty: boolean }): Promise<CommandResult> {
    const sh = this.#shell(place);
    await sh.ready;
    const state = this.#line;
    const signal = state?.abort.signal;
    const env = as ? Object.fromEntries(as.env) : sh.env;
    const cwd = as?.cwd ?? sh.cwd;
    // The line's own pipes and output, given back when the remote command ends.
    const live = terminal && state?.onOutput ? { pipes: state.pipes, pipe: state.pipe, onOutput: state.onOutput } : undefined;
    if (state && live) {
      state.armed = { out: true, err: terminal!.stderr };
      if (!terminal!.tty) state.onOutput = (text, screen) => (state.interrupted ? undefined : live.onOutput(text, screen));
    }
    const caught = state?.caught;
    if (state) state.caught = undefined;
    this.#elsewhere++;
    try {
      const r = await sh.bash.exec(line, { env, cwd, replaceEnv: true, rawScript: true, ...(stdin ? { stdin } : {}), ...(signal ? { signal } : {}) });
      // just-bash stops the script at the interrupt and says so: the remote status is that of the
      // command that caught SIGINT (ping: 0 after replies), or SIGINT's own, 128 + 2.
      if (state?.interrupted && r.exitCode === 124 && /execution aborted/.test(r.stderr)) return { stdout: r.stdout, stderr: '', exitCode: state.caught ?? 130 };
      return { stdout: r.stdout, stderr: inShellDialect(r.stderr, place), exitCode: r.exitCode };
    } finally {
      this.#elsewhere--;
      // A remote command that caught SIGINT does not make its client's line one that did.
      if (state) state.caught = caught;
      if (state && live) {
        state.armed = undefined;
        state.pipes = live.pipes;
        state.pipe = live.pipe;
        state.onOutput = live.onOutput;
      }
    }
  }
}

/**
 * Start the next exec() with `$?` set to the last line's status, as an interactive bash does.
 * just-bash has no option for it: each exec() starts from the interpreter's saved state, whose
 * lastExitCode we set (a private field; if a later version renames it, `$?` is just 0 again).
 */
function carryStatus(bash: Bash, status: number): void {
  const state = (bash as unknown as { state?: { lastExitCode?: number } }).state;
  if (state && typeof state.lastExitCode === 'number') state.lastExitCode = status;
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
