/**
 * What the lab page's islands share. The Terminal and the Editor are separate Astro islands,
 * but one module instance per page, so this object is how they talk: the Terminal owns the lab
 * worker and registers itself; the Editor reads and writes files through its client, asks it to
 * type a line (Apply), hears when a command finished (to reload a file changed on disk), and
 * answers `kubectl edit`. No global DOM events, no window properties.
 */
import type { LabClient } from '../../lab/client';

export interface TerminalPort {
  /** The current lab worker (a restart replaces it), or none while stopped. */
  client(): LabClient | undefined;
  /** Types `line` at the prompt and runs it, as if entered (it lands in the history). */
  type(line: string): void;
  focus(): void;
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
