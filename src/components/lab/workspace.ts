/**
 * What the lab page's islands share. The Terminal and the Editor are separate Astro islands,
 * but one module instance per page, so this object is how they talk: the Terminal owns the lab
 * worker and registers itself; the Editor reads and writes files through its client, asks it to
 * type a line (Apply), hears when a command finished (to reload a file changed on disk), and
 * answers `kubectl edit`. No global DOM events, no window properties.
 */
import type { LabClient } from '../../lab/client';

/** The lab terminal's tabs, by name (each its own shell on the one cluster). */
export const TERMINAL_TABS = ['Terminal 1', 'Terminal 2'];

export interface TerminalPort {
  /** The current lab worker (a restart replaces it), or none while stopped. */
  client(): LabClient | undefined;
  /**
   * Types `line` at a prompt and runs it, as if entered (it lands in that tab's history), in
   * the tab `applyTarget` picks; says where, or undefined when no tab can take it now.
   */
  type(line: string): Typed | undefined;
  focus(): void;
}

/** Where a typed line went: the tab's name, and whether it waits for the command running there. */
export interface Typed {
  tab: string;
  queued: boolean;
  /** The tab the learner was looking at, when it was busy and the line went elsewhere. */
  instead?: string;
}

/** A terminal tab as Apply sees it: at an empty prompt (or never opened), running a command, or at PS2. */
export type TabState = 'idle' | 'running' | 'continuing';

/**
 * Which tab the editor's Apply types into. The one the learner is looking at, as they expect;
 * if it is running a command (often one that never ends by itself: `ping`, `kubectl get -w`),
 * another idle tab, shown to them, rather than leave the line behind a command that may never
 * end. Only when every tab is running something does the line wait in the shown tab (a tty
 * buffers what is typed meanwhile; the editor says so, and that Ctrl-C ends the command). A
 * tab at the `> ` prompt would take the line into its here-document, so it never gets it.
 */
export function applyTarget(shown: number, tabs: readonly TabState[]): { tab: number; queued: boolean } | undefined {
  const order = [shown, ...tabs.keys()].filter((t, i, all) => all.indexOf(t) === i);
  const idle = order.find((t) => tabs[t] === 'idle');
  if (idle !== undefined) return { tab: idle, queued: false };
  const running = order.find((t) => tabs[t] === 'running');
  return running === undefined ? undefined : { tab: running, queued: true };
}

/** A `kubectl edit` file: resolve with the saved text, or null when closed unsaved. */
export type EditRequest = (file: { path: string; text: string }) => Promise<string | null>;

class LabWorkspace {
  #terminal: TerminalPort | undefined;
  #edit: EditRequest | undefined;
  readonly #afterCommand = new Set<(line: string) => void>();
  readonly #terminalReady = new Set<() => void>();

  attachTerminal(t: TerminalPort): () => void {
    this.#terminal = t;
    for (const f of this.#terminalReady) f();
    return () => {
      if (this.#terminal === t) this.#terminal = undefined;
    };
  }

  get terminal(): TerminalPort | undefined {
    return this.#terminal;
  }

  /** Runs `f` when a terminal is attached (now, if one is). */
  onTerminal(f: () => void): () => void {
    this.#terminalReady.add(f);
    if (this.#terminal) f();
    return () => this.#terminalReady.delete(f);
  }

  /** The Editor takes `kubectl edit` files while it is mounted. */
  attachEditor(edit: EditRequest): () => void {
    this.#edit = edit;
    return () => {
      if (this.#edit === edit) this.#edit = undefined;
    };
  }

  /** For the Terminal's client: rejects when no editor is on the page. */
  edit(file: { path: string; text: string }): Promise<string | null> {
    return this.#edit ? this.#edit(file) : Promise.reject(new Error('no editor'));
  }

  /** Called by the Terminal after each command ran. */
  commandDone(line: string): void {
    for (const f of this.#afterCommand) f(line);
  }

  onCommandDone(f: (line: string) => void): () => void {
    this.#afterCommand.add(f);
    return () => this.#afterCommand.delete(f);
  }
}

export const labWorkspace = new LabWorkspace();
