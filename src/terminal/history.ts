/**
 * Command history, bash-style: Up/Down walk it (the line being typed is kept as a draft at the
 * bottom, edits to recalled lines last until the next command, as readline does), Ctrl-R
 * searches it backwards, and HISTCONTROL=ignoreboth (Debian and Ubuntu's default) skips
 * lines that start with a space and repeats of the previous line. Kept per lab in a storage
 * (localStorage in the browser) under one key; a corrupt entry is dropped, never thrown.
 */

/** The part of the Web Storage API we use; localStorage fits it, tests pass a Map-backed one. */
export interface HistoryStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface HistoryOptions {
  storage?: HistoryStorage | undefined;
  key?: string;
  /** HISTSIZE. */
  max?: number;
}

export class History {
  readonly #storage: HistoryStorage | undefined;
  readonly #key: string;
  readonly #max: number;
  #entries: string[];
  /** Position while walking: entries.length means "the draft line". */
  #pos: number;
  /** Lines edited while walking, by position (readline keeps them until accept-line). */
  #edits = new Map<number, string>();

  constructor(opts: HistoryOptions = {}) {
    this.#storage = opts.storage;
    this.#key = opts.key ?? 'clusterpath:history';
    this.#max = opts.max ?? 500;
    this.#entries = this.#load();
    this.#pos = this.#entries.length;
  }

  get entries(): readonly string[] {
    return this.#entries;
  }

  /** Accept a line: store it (unless ignored) and go back to the bottom. */
  add(line: string): void {
    this.#edits.clear();
    const last = this.#entries[this.#entries.length - 1];
    if (line.trim() !== '' && !/^\s/.test(line) && line !== last) {
      this.#entries.push(line);
      if (this.#entries.length > this.#max) this.#entries.splice(0, this.#entries.length - this.#max);
      this.#save();
    }
    this.#pos = this.#entries.length;
  }

  /** Up: the previous line, or undefined at the top. `current` is what the prompt shows now. */
  previous(current: string): string | undefined {
    if (this.#pos === 0) return undefined;
    this.#edits.set(this.#pos, current);
    this.#pos--;
    return this.#edits.get(this.#pos) ?? this.#entries[this.#pos];
  }

  /** Down: the next line, or undefined at the bottom (the draft). */
  next(current: string): string | undefined {
    if (this.#pos >= this.#entries.length) return undefined;
    this.#edits.set(this.#pos, current);
    this.#pos++;
    return this.#edits.get(this.#pos) ?? this.#entries[this.#pos] ?? '';
  }

  /** Leave walking mode without accepting (Ctrl-C): edits are dropped. */
  reset(): void {
    this.#edits.clear();
    this.#pos = this.#entries.length;
  }

  /**
   * Ctrl-R: the newest entry at or before `before` (an index; default the newest) containing
   * `query`, as {index, line, at} where `at` is the match position; undefined if none.
   */
  search(query: string, before = this.#entries.length - 1): { index: number; line: string; at: number } | undefined {
    for (let i = Math.min(before, this.#entries.length - 1); i >= 0; i--) {
      const line = this.#entries[i]!;
      const at = line.lastIndexOf(query);
      if (at >= 0) return { index: i, line, at };
    }
    return undefined;
  }

  #load(): string[] {
    try {
      const raw = this.#storage?.getItem(this.#key);
      if (!raw) return [];
      const data: unknown = JSON.parse(raw);
      // Versioned so a later format can migrate; anything else is discarded.
      if (typeof data === 'object' && data !== null && (data as { v?: unknown }).v === 1) {
        const lines = (data as { lines?: unknown }).lines;
        if (Array.isArray(lines)) return lines.filter((l): l is string => typeof l === 'string').slice(-this.#max);
      }
    } catch {
      // A corrupt save (or storage that throws, e.g. disabled cookies) starts an empty history.
    }
    return [];
  }

  #save(): void {
    try {
      this.#storage?.setItem(this.#key, JSON.stringify({ v: 1, lines: this.#entries }));
    } catch {
      // Quota exceeded or storage disabled: history still works for this page.
    }
  }
}
