/**
 * The one interface every command implements (DESIGN.md §7, after just-bash's commands):
 * `{ name, help, execute(argv, ctx) }`. User errors are values in `stderr` + `exitCode`;
 * a thrown exception is a bug (the session turns it into exit 1 and says so).
 */
import type { IFileSystem } from 'just-bash';
import type { Cluster } from '../engine';

export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Where a line runs: the learner's workstation, a node (after `ssh NODE`), or a pod container. */
export type ShellPlace =
  | { kind: 'workstation' }
  | { kind: 'node'; node: string }
  | { kind: 'pod'; namespace: string; pod: string; container: string; image: string };

/** What a command may ask of the session it runs in (kept small on purpose). */
/**
 * A client's session with the place it runs a command in (ssh NODE CMD, kubectl exec POD -- CMD):
 * the remote output streams to the terminal when the client's stdout is the terminal. `tty`: the
 * remote command has a pseudo-terminal, so the local one goes raw and Ctrl-C reaches the remote
 * command (whose status then stands), not the client.
 */
export interface RemoteSession {
  tty: boolean;
}

export interface SessionControl {
  /**
   * Enter a nested shell (ssh NODE, kubectl exec -it POD -- sh) once this line finishes.
   * `onExit` runs when the learner leaves it (kubectl run --rm deletes its pod then).
   */
  enter(place: ShellPlace, onExit?: (status: number) => CommandResult | Promise<CommandResult>): void;
  /**
   * Run one line in another place and return its output (ssh NODE CMD, kubectl exec POD -- CMD).
   * `as` runs it in the caller's directory and environment instead of the place's (watch's `sh -c`).
   */
  runIn(place: ShellPlace, line: string, stdin?: string, as?: { cwd: string; env: ReadonlyMap<string, string> }, remote?: RemoteSession): Promise<CommandResult>;
  /** Whether the terminal is interactive (the browser) or a script (the CLI); `-it` warns differently. */
  readonly interactive: boolean;
  /**
   * The command runs on the terminal (isatty): a line typed in the browser, not a script, and
   * not a command run elsewhere without one (`ssh NODE CMD`, `kubectl exec POD -- CMD`).
   */
  readonly tty: boolean;
  /**
   * A client waits (a connect or DNS timeout, `ping -c 3`): on the CLI's manual clock time
   * jumps at once and the cluster catches up; in the browser it really waits, without blocking.
   */
  wait(ms: number): Promise<void>;
  /** The terminal's text editor, when it has one (the lab page's YAML editor); see ExternalEditor. */
  readonly editor?: ExternalEditor | undefined;
  /**
   * Aborted when the learner presses Ctrl-C (or a replay reaches the recorded interrupt): every
   * wait then returns at once. A command that catches SIGINT (`catchInterrupt()`) finishes with
   * its own summary; any other is killed by it (the shell prints a newline, exit status 130).
   */
  readonly signal: AbortSignal;
  /** Whether this line may run until Ctrl-C (an interactive terminal): `ping` without -c, `kubectl get -w`. */
  readonly endless: boolean;
  /** This command handles SIGINT itself (ping's statistics, kubectl's watch): its result stands after Ctrl-C. */
  catchInterrupt(): void;
  /** Prints now: streamed to the terminal while the command runs when its stdout is the terminal. */
  write(text: string): void;
  /**
   * The terminal's size now (it may change while a command runs), or undefined when the
   * session has none (the CLI, a replay): what ioctl(TIOCGWINSZ) answers a real program.
   */
  terminalSize(): TerminalSize | undefined;
  /**
   * A full-screen (curses) program takes the terminal: the tty stops echoing (Ctrl-C prints no
   * `^C`), and what it draws with the returned function goes to the terminal but is no part of
   * the line's output, as the alternate screen it draws on leaves nothing in the scrollback
   * (the transcript, a restored session). When stdout is not the terminal it is plain output.
   */
  fullScreen(): (text: string) => void;
}

/** A terminal's size in character cells. */
export interface TerminalSize {
  cols: number;
  rows: number;
}

/**
 * A text editor outside the shell, as `$EDITOR` is to kubectl: it opens `text` (saved at `path`)
 * and resolves when the learner is done, with the saved text, or null when they closed it without
 * saving; it rejects when it cannot open. The CLI has none, so `kubectl edit` fails there as it
 * does when no editor starts.
 */
export type ExternalEditor = (file: { path: string; text: string }) => Promise<string | null>;

/** The learner's kubeconfig, kept per session (kind's defaults; `config set-context` edits it). */
export interface KubeConfigState {
  currentContext: string;
  /** Namespace of the current context; undefined means `default`. */
  namespace?: string;
}

export interface CommandContext {
  cluster: Cluster;
  kubeconfig: KubeConfigState;
  place: ShellPlace;
  fs: IFileSystem;
  cwd: string;
  env: ReadonlyMap<string, string>;
  stdin: string;
  session: SessionControl;
}

export interface CommandModule {
  name: string;
  /** Text printed for `NAME --help`, ending in a newline. */
  help: string;
  execute(argv: string[], ctx: CommandContext): Promise<CommandResult>;
}

export const ok = (stdout = '', stderr = ''): CommandResult => ({ stdout, stderr, exitCode: 0 });
export const fail = (stderr: string, exitCode = 1, stdout = ''): CommandResult => ({ stdout, stderr, exitCode });
