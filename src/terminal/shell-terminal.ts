/**
 * The line discipline between an xterm.js terminal and a shell: readline-like editing (emacs
 * keys, bash's defaults), history, Tab completion, bracketed paste run line by line, Ctrl-C.
 * It only moves bytes: keys in from `term.onData`, escape sequences out through `term.write`,
 * whole lines to the backend and its output back. Works the same with @xterm/headless (tests).
 */
import { applyCompletion, candidates, formatMatches, parseLine, type CompletionSource } from './completion';
import { History } from './history';
import { LineBuffer } from './line-buffer';

/** What we need of a terminal: @xterm/xterm's and @xterm/headless's Terminal both fit. */
export interface TerminalLike {
  readonly cols: number;
  write(data: string): void;
  onData(listener: (data: string) => void): { dispose(): void };
}

export interface RunResult {
  /** What the terminal shows for the command (stderr and stdout in order), `\n` line ends. */
  output: string;
  /** The prompt for the next line (the session's: `user@workstation:~$ `, `root@worker:~# `). */
  prompt: string;
  exitCode: number;
  /** True inside `ssh NODE` or `kubectl exec -it` (Ctrl-D on an empty line leaves it). */
  nested: boolean;
  /**
   * The text needs more lines before bash would run it (an open here-document or quote, a
   * trailing backslash, `for` without `done`): nothing ran; the terminal shows PS2 (`> `)
   * and sends the whole text again with the next line. The shell decides, not the terminal.
   */
  incomplete?: boolean;
}

/** The shell side: in the browser a Web Worker hosting the session; in tests anything. */
export interface ShellBackend {
  /** Runs a line; `onOutput` gets what it prints while it runs (the result then holds the rest). */
  run(line: string, onOutput?: (text: string) => void): Promise<RunResult>;
  /**
   * Ctrl-C while a command runs. The shell answers the run with the `^C` echo and whatever
   * the command printed on SIGINT (ping's statistics); if it does not answer within
   * `interruptGraceMs`, the terminal gives the prompt back anyway and drops the late answer.
   */
  interrupt(): void;
  complete: CompletionSource;
}

export interface ShellTerminalOptions {
  term: TerminalLike;
  backend: ShellBackend;
  history?: History;
  /** The prompt shown before the backend has answered (the session starts on the workstation). */
  prompt: string;
  /** Called after each command the shell ran (the lab runner checks tasks here). */
  onCommand?: (line: string, result: RunResult) => void;
  /** Called with output as it is shown (a screen reader's live region). */
  onOutput?: (text: string) => void;
  /** How long Ctrl-C waits for the shell's answer before the prompt comes back regardless. */
  interruptGraceMs?: number;
}

type Mode = 'edit' | 'search' | 'busy';

const PS2 = '> ';
const PASTE_START = '\x1b[200~';
const PASTE_END = '\x1b[201~';

export class ShellTerminal {
  readonly #term: TerminalLike;
  readonly #backend: ShellBackend;
  readonly #history: History;
  readonly #onCommand: ShellTerminalOptions['onCommand'];
  readonly #onOutput: ShellTerminalOptions['onOutput'];
  readonly #grace: number;
  #graceTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #buf = new LineBuffer();
  readonly #sub: { dispose(): void };
  #ps1: string;
  #nested = false;
  #mode: Mode = 'edit';
  /** Lines typed so far of a command that needs more (PS2). */
  #continued: string[] = [];
  /** Rows between the first row of the prompt and the cursor's row. */
  #rowsAbove = 0;
  /**
   * The column the prompt starts at: output without a final newline (agnhost's /hostname) stays
   * on the row and bash prints its prompt right after it, so the redraws start there too.
   */
  #promptCol = 0;
  /** Pasted lines still to run, and a last partial line to leave in the editor. */
  #queue: string[] = [];
  #tail = '';
  /** The text of the command running now. */
  #running = '';
  /** Keys typed while a command runs (a tty buffers them too). */
  #typeahead = '';
  /** Inside a bracketed paste that arrived in several chunks. */
  #pasting: string | undefined;
  /** Each command run gets a number; an interrupted one's late answer is dropped. */
  #runId = 0;
  /** The latest completion request, and Tabs pressed in a row on the same line (2 = list). */
  #completeId = 0;
  #tabs: { line: string; cursor: number; count: number } | undefined;
  #search: { query: string; index: number | undefined; saved: string; savedCursor: number; failed: boolean } | undefined;
  #cols: number;
  #disposed = false;

  constructor(opts: ShellTerminalOptions) {
    this.#term = opts.term;
    this.#backend = opts.backend;
    this.#history = opts.history ?? new History();
    this.#onCommand = opts.onCommand;
    this.#onOutput = opts.onOutput;
    this.#grace = opts.interruptGraceMs ?? 1500;
    this.#ps1 = opts.prompt;
    this.#cols = Math.max(1, opts.term.cols);
    this.#sub = opts.term.onData((d) => this.#onData(d));
  }

  /** Writes `banner` (e.g. "Starting cluster…") and the first prompt; turns on bracketed paste. */
  start(banner = ''): void {
    this.#term.write('\x1b[?2004h' + crlf(banner));
    this.#render();
  }

  get busy(): boolean {
    return this.#mode === 'busy';
  }

  /** At its PS2 prompt (`> `): what is typed now continues the command (a here-document). */
  get continuing(): boolean {
    return this.#mode !== 'busy' && this.#continued.length > 0;
  }

  /** The line being edited (for tests and the lab runner). */
  get line(): string {
    return this.#buf.text;
  }

  /** The terminal changed width (xterm reflows soft-wrapped rows; we follow). */
  resize(): void {
    const cols = Math.max(1, this.#term.cols);
    if (cols === this.#cols) return;
    this.#cols = cols;
    if (this.#mode === 'busy') return;
    const { width, cursor } = this.#view();
    this.#rowsAbove = Math.floor((width + cursor) / cols);
    this.#render();
  }

  /** Types `line` and runs it as if entered (the editor's Apply button, tests). */
  type(line: string): void {
    this.#onData(PASTE_START + line + '\n' + PASTE_END);
  }

  /** Writes a notice above the prompt (a crash, a restart) without losing the line being typed. */
  notice(text: string): void {
    if (this.#mode === 'busy') {
      this.#term.write(crlf(text));
      return;
    }
    this.#clearLine();
    this.#term.write(crlf(text));
    this.#rowsAbove = 0;
    this.#promptCol = this.#partialRow(text);
    this.#render();
  }

  /** The shell moved (a replayed session): show its prompt, keeping the line being typed. */
  setPrompt(prompt: string, nested: boolean): void {
    this.#ps1 = prompt;
    this.#nested = nested;
    if (this.#mode === 'edit' && this.#continued.length === 0) this.#render();
  }

  /** After a backend restart (or a rebuilt session): forget the running command and start a fresh prompt. */
  reset(prompt: string, nested = false): void {
    this.#runId++;
    this.#ps1 = prompt;
    this.#nested = nested;
    this.#continued = [];
    this.#queue = [];
    this.#tail = '';
    this.#typeahead = '';
    this.#search = undefined;
    this.#buf.set('');
    this.#mode = 'edit';
    this.#rowsAbove = 0;
    this.#render();
  }

  dispose(): void {
    this.#disposed = true;
    clearTimeout(this.#graceTimer);
    this.#sub.dispose();
  }

  // ---- input -------------------------------------------------------------------------------

  #onData(data: string): void {
    if (this.#disposed) return;
    let i = 0;
    while (i < data.length) {
      if (this.#pasting !== undefined) {
        const end = data.indexOf(PASTE_END, i);
        if (end < 0) {
          this.#pasting += data.slice(i);
          return;
        }
        const text = this.#pasting + data.slice(i, end);
        this.#pasting = undefined;
        i = end + PASTE_END.length;
        this.#paste(text);
        continue;
      }
      if (data.startsWith(PASTE_START, i)) {
        this.#pasting = '';
        i += PASTE_START.length;
        continue;
      }
      const key = nextKey(data, i);
      i += key.length;
      // Without bracketed paste, a chunk holding a newline and more is a paste too.
      if (key === '\r' && i < data.length && this.#mode !== 'busy' && data.length > 2 && !data.startsWith('\x1b', i)) {
        this.#paste(data.slice(i - 1));
        return;
      }
      this.#key(key);
    }
  }

  #key(key: string): void {
    if (this.#mode === 'busy') {
      if (key === '\x03') this.#interruptRun();
      else this.#typeahead += key;
      return;
    }
    if (key !== '\t') this.#tabs = undefined;
    if (this.#mode === 'search') {
      this.#searchKey(key);
      return;
    }
    const b = this.#buf;
    switch (key) {
      case '\r':
      case '\n':
        this.#accept();
        return;
      case '\x7f':
      case '\b':
        if (b.deleteBack()) this.#render();
        return;
      case '\x1b[3~':
        if (b.deleteForward()) this.#render();
        return;
      case '\x04': // Ctrl-D
        if (b.text === '' && this.#continued.length === 0) {
          if (this.#nested) this.#run('exit', false);
          return;
        }
        if (b.deleteForward()) this.#render();
        return;
      case '\x1b[D':
      case '\x1bOD':
      case '\x02':
        if (b.left()) this.#render();
        return;
      case '\x1b[C':
      case '\x1bOC':
      case '\x06':
        if (b.right()) this.#render();
        return;
      case '\x1b[H':
      case '\x1bOH':
      case '\x1b[1~':
      case '\x1b[7~':
      case '\x01':
        b.home();
        this.#render();
        return;
      case '\x1b[F':
      case '\x1bOF':
      case '\x1b[4~':
      case '\x1b[8~':
      case '\x05':
        b.end();
        this.#render();
        return;
      case '\x1b[1;5D':
      case '\x1b[1;3D':
      case '\x1bb':
        b.wordLeft();
        this.#render();
        return;
      case '\x1b[1;5C':
      case '\x1b[1;3C':
      case '\x1bf':
        b.wordRight();
        this.#render();
        return;
      case '\x15': // Ctrl-U
        b.killToStart();
        this.#render();
        return;
      case '\x0b': // Ctrl-K
        b.killToEnd();
        this.#render();
        return;
      case '\x17': // Ctrl-W
      case '\x1b\x7f': // Alt-Backspace
        b.killWordBack();
        this.#render();
        return;
      case '\x1bd':
        b.killWordForward();
        this.#render();
        return;
      case '\x19': // Ctrl-Y
        b.yank();
        this.#render();
        return;
      case '\x14': // Ctrl-T
        b.transpose();
        this.#render();
        return;
      case '\x0c': // Ctrl-L: clear the screen, keep the line
        this.#term.write('\x1b[H\x1b[2J');
        this.#rowsAbove = 0;
        this.#promptCol = 0;
        this.#render();
        return;
      case '\x03': // Ctrl-C: abandon the line
        this.#cancelLine();
        return;
      case '\x1b[A':
      case '\x1bOA':
      case '\x10': {
        const prev = this.#history.previous(b.text);
        if (prev !== undefined) {
          b.set(prev);
          this.#render();
        }
        return;
      }
      case '\x1b[B':
      case '\x1bOB':
      case '\x0e': {
        const next = this.#history.next(b.text);
        if (next !== undefined) {
          b.set(next);
          this.#render();
        }
        return;
      }
      case '\x12': // Ctrl-R
        this.#search = { query: '', index: undefined, saved: b.text, savedCursor: b.cursor, failed: false };
        this.#mode = 'search';
        this.#render();
        return;
      case '\t':
        void this.#complete();
        return;
      default:
        if (isPrintable(key)) {
          this.#insert(key);
        }
      // Other escape sequences (F-keys, PageUp) do nothing at a prompt, as in bash.
    }
  }

  #insert(text: string): void {
    const b = this.#buf;
    const atEnd = b.cursor === b.text.length;
    b.insert(text);
    const { width } = this.#view();
    // Fast echo for typing at the end of a line that does not reach a row's last column.
    if (atEnd && (width + b.cursor) % this.#cols !== 0 && Math.floor((width + b.cursor - text.length) / this.#cols) === Math.floor((width + b.cursor) / this.#cols)) {
      this.#term.write(text);
      return;
    }
    this.#render();
  }

  #paste(raw: string): void {
    const text = raw.replace(/\r\n?/g, '\n').replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '');
    const lines = text.split('\n');
    if (this.#mode === 'busy') {
      this.#typeahead += PASTE_START + raw + PASTE_END;
      return;
    }
    if (this.#mode === 'search') this.#endSearch(true);
    if (lines.length === 1) {
      this.#insert(lines[0]!);
      return;
    }
    this.#tail = lines.pop()!;
    this.#queue.push(...lines.slice(1));
    this.#buf.insert(lines[0]!);
    this.#render();
    this.#accept();
  }

  // ---- reverse search (Ctrl-R) ------------------------------------------------------------

  #searchKey(key: string): void {
    const s = this.#search!;
    switch (key) {
      case '\x12': // Ctrl-R again: the next older match
        this.#searchFrom(s.index === undefined ? undefined : s.index - 1);
        return;
      case '\x7f':
      case '\b':
        s.query = s.query.slice(0, -1);
        this.#searchFrom(undefined);
        return;
      case '\x03':
      case '\x07': // Ctrl-G: give up, restore the line
        this.#buf.set(s.saved, s.savedCursor);
        this.#endSearch(false);
        if (key === '\x03') this.#cancelLine();
        return;
      case '\r':
      case '\n':
        this.#endSearch(true);
        this.#accept();
        return;
      default:
        if (isPrintable(key)) {
          s.query += key;
          this.#searchFrom(s.index);
          return;
        }
        // Any other key ends the search with the match in the line, then acts (bash does).
        this.#endSearch(true);
        this.#key(key);
    }
  }

  #searchFrom(before: number | undefined): void {
    const s = this.#search!;
    if (s.query === '') {
      s.index = undefined;
      s.failed = false;
      this.#render();
      return;
    }
    const hit = before !== undefined && before < 0 ? undefined : this.#history.search(s.query, before);
    if (hit) {
      s.index = hit.index;
      s.failed = false;
      this.#buf.set(hit.line, hit.at);
    } else s.failed = true;
    this.#render();
  }

  #endSearch(keep: boolean): void {
    if (!keep) this.#buf.set(this.#search!.saved, this.#search!.savedCursor);
    this.#search = undefined;
    this.#mode = 'edit';
    this.#render();
  }

  // ---- completion -------------------------------------------------------------------------

  async #complete(): Promise<void> {
    const b = this.#buf;
    const line = b.text;
    const cursor = b.cursor;
    const again = this.#tabs !== undefined && this.#tabs.line === line && this.#tabs.cursor === cursor;
    const tabs = (this.#tabs = { line, cursor, count: again ? this.#tabs!.count + 1 : 1 });
    const id = ++this.#completeId;
    const parsed = parseLine(line, cursor);
    let found: { words: string[]; files: boolean };
    try {
      found = await candidates(parsed, this.#backend.complete);
    } catch {
      return; // The worker is gone or restarting: Tab does nothing, as with no matches.
    }
    // Stale: a newer Tab or another key came while the worker answered (the newest one acts).
    if (id !== this.#completeId || this.#mode !== 'edit' || b.text !== line || b.cursor !== cursor) return;
    const done = applyCompletion(line, cursor, parsed, found.words);
    if (done.line !== line) {
      b.set(done.line, done.cursor);
      this.#render();
      this.#tabs = { line: done.line, cursor: done.cursor, count: 1 };
      return;
    }
    if (tabs.count >= 2 && done.matches.length > 1) {
      // bash lists the choices below and redraws the prompt and line.
      this.#moveToEnd();
      this.#term.write('\r\n' + crlf(formatMatches(done.matches, this.#cols, found.files)));
      this.#rowsAbove = 0;
      this.#promptCol = 0;
      this.#render();
    }
  }

  // ---- running lines ------------------------------------------------------------------------

  #accept(): void {
    const line = this.#buf.text;
    this.#moveToEnd();
    this.#term.write('\r\n');
    this.#rowsAbove = 0;
    this.#promptCol = 0;
    this.#buf.set('');
    this.#run([...this.#continued, line].join('\n'), true);
  }

  #run(text: string, echoed: boolean): void {
    if (!echoed) this.#term.write('\r\n');
    if (text.trim() === '') {
      this.#continued = [];
      this.#afterPrompt();
      return;
    }
    this.#mode = 'busy';
    this.#running = text;
    const id = ++this.#runId;
    this.#promptCol = 0;
    const show = (out: string) => {
      if (id !== this.#runId || this.#disposed || out === '') return;
      this.#term.write(crlf(out));
      // As in bash, the next prompt follows output that ended mid-line on the same row.
      this.#promptCol = /[\r\n]/.test(out) ? this.#partialRow(out) : (this.#promptCol + this.#partialRow(out)) % this.#cols;
      this.#onOutput?.(out);
    };
    this.#backend.run(text, show).then(
      (r) => {
        clearTimeout(this.#graceTimer);
        const current = id === this.#runId && !this.#disposed;
        // Where the shell now is counts even for an interrupted command (its output does not).
        this.#ps1 = r.prompt;
        this.#nested = r.nested;
        if (!current) return;
        this.#mode = 'edit';
        if (r.incomplete) {
          this.#continued = text.split('\n');
          this.#afterPrompt();
          return;
        }
        this.#continued = [];
        this.#remember(text);
        show(r.output);
        this.#onCommand?.(text, r);
        this.#afterPrompt();
      },
      (e: unknown) => {
        if (id !== this.#runId || this.#disposed) return;
        this.#continued = [];
        this.#term.write(crlf(`clusterpath: ${e instanceof Error ? e.message : String(e)}\n`));
        this.#mode = 'edit';
        this.#afterPrompt();
      },
    );
  }

  /** Into the history, as bash does when a command is accepted. */
  #remember(text: string): void {
    // Multi-line commands (here-documents) are not kept: the history is one row per entry.
    if (!text.includes('\n')) this.#history.add(text);
    else this.#history.reset();
  }

  #interruptRun(): void {
    this.#backend.interrupt();
    // The shell answers with the ^C echo; a shell that does not is left behind after a while.
    clearTimeout(this.#graceTimer);
    const id = this.#runId;
    this.#graceTimer = setTimeout(() => {
      if (id === this.#runId && this.#mode === 'busy' && !this.#disposed) this.#abandonRun();
    }, this.#grace);
  }

  #abandonRun(): void {
    this.#runId++;
    this.#remember(this.#running);
    this.#continued = [];
    this.#queue = [];
    this.#tail = '';
    this.#typeahead = '';
    this.#term.write('^C\r\n');
    this.#mode = 'edit';
    this.#rowsAbove = 0;
    this.#promptCol = 0;
    this.#render();
  }

  #cancelLine(): void {
    this.#moveToEnd();
    this.#term.write('^C\r\n');
    this.#rowsAbove = 0;
    this.#promptCol = 0;
    this.#history.reset();
    this.#continued = [];
    this.#queue = [];
    this.#tail = '';
    this.#buf.set('');
    this.#render();
  }

  /** A fresh prompt is up: run the next pasted line, or replay keys typed meanwhile. */
  #afterPrompt(): void {
    this.#render();
    if (this.#queue.length > 0) {
      this.#buf.insert(this.#queue.shift()!);
      this.#render();
      this.#accept();
      return;
    }
    if (this.#tail) {
      const tail = this.#tail;
      this.#tail = '';
      this.#insert(tail);
    }
    if (this.#typeahead) {
      const keys = this.#typeahead;
      this.#typeahead = '';
      this.#onData(keys);
    }
  }

  // ---- drawing ------------------------------------------------------------------------------

  /** What the current row shows: prompt (styled, and its width) and the cursor's index. */
  #view(): { prompt: string; width: number; text: string; cursor: number } {
    if (this.#mode === 'search' && this.#search) {
      const s = this.#search;
      const p = `(${s.failed ? 'failed ' : ''}reverse-i-search)\`${s.query}': `;
      return { prompt: p, width: this.#promptCol + p.length, text: this.#buf.text, cursor: this.#buf.cursor };
    }
    const plain = this.#continued.length > 0 ? PS2 : this.#ps1;
    return { prompt: stylePrompt(plain), width: this.#promptCol + plain.length, text: this.#buf.text, cursor: this.#buf.cursor };
  }

  /** Redraws prompt and line from the prompt's first row, then puts the cursor in place. */
  #render(): void {
    const { prompt, width, text, cursor } = this.#view();
    const cols = this.#cols;
    let out = this.#rowsAbove > 0 ? `\x1b[${this.#rowsAbove}A` : '';
    out += this.#toPromptStart() + '\x1b[J' + prompt + text;
    const total = width + text.length;
    // At a row's last column the cursor waits to wrap; make it wrap so row math holds.
    if (total > 0 && total % cols === 0) out += ' \b';
    const endRow = Math.floor(total / cols);
    const pos = width + cursor;
    const row = Math.floor(pos / cols);
    const col = pos % cols;
    if (endRow > row) out += `\x1b[${endRow - row}A`;
    out += '\r' + (col > 0 ? `\x1b[${col}C` : '');
    this.#rowsAbove = row;
    this.#term.write(out);
  }

  #clearLine(): void {
    this.#term.write((this.#rowsAbove > 0 ? `\x1b[${this.#rowsAbove}A` : '') + this.#toPromptStart() + '\x1b[J');
    this.#rowsAbove = 0;
  }

  /** From the prompt's first row to the column it starts at. */
  #toPromptStart(): string {
    return '\r' + (this.#promptCol > 0 ? `\x1b[${this.#promptCol}C` : '');
  }

  /**
   * The width of what `text` leaves on its last row after its last newline or carriage return
   * (0 when it ends with one; a full-screen program ends with a CR), escape sequences aside.
   */
  #partialRow(text: string): number {
    const last = text.slice(Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r')) + 1);
    return last.replace(ESCAPES, '').length % this.#cols;
  }

  /** Cursor to the end of the line (before a newline), so output starts below the whole line. */
  #moveToEnd(): void {
    if (this.#buf.cursor !== this.#buf.text.length) {
      this.#buf.end();
      this.#render();
    }
  }
}

/** Escape sequences in output: CSI (ESC [ … final byte) and two-byte ones (ESC >, ESC ( B). */
// eslint-disable-next-line no-control-regex
const ESCAPES = /\x1b(\[[0-?]*[ -/]*[@-~]|[()][0-9A-Za-z]|[^[()])/g;

/**
 * Output as a screen reader should hear it: a full-screen program (watch) places its rows with
 * cursor moves, which read as line breaks; other escape sequences are dropped.
 */
export function spokenText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[\d;]*[Hfd]/g, '\n').replace(ESCAPES, '');
}

/** One key from the input: an escape sequence (CSI, SS3, Alt+key) or one character. */
function nextKey(data: string, i: number): string {
  const c = data[i]!;
  if (c !== '\x1b' || i + 1 >= data.length) return c;
  const n = data[i + 1]!;
  if (n === '[') {
    // CSI: parameters and intermediates, then a final byte in @–~.
    let j = i + 2;
    while (j < data.length && !/[@-~]/.test(data[j]!)) j++;
    return data.slice(i, Math.min(j + 1, data.length));
  }
  if (n === 'O' && i + 2 < data.length) return data.slice(i, i + 3);
  return data.slice(i, i + 2);
}

function isPrintable(key: string): boolean {
  return key.length > 0 && !key.startsWith('\x1b') && !/[\x00-\x1f\x7f]/.test(key);
}

/** Output to the terminal: `\n` → `\r\n` (a raw tty does this with onlcr). */
function crlf(s: string): string {
  return s.replace(/\r?\n/g, '\r\n');
}

/**
 * Colours the prompt like Debian's and Ubuntu's default PS1 (bold green user@host, bold blue
 * directory) with palette colours only: xterm draws those with classes, which our CSP allows.
 */
export function stylePrompt(p: string): string {
  const m = /^([^@\s]+@[^:\s]+):(.*?)([$#] )$/.exec(p);
  if (!m) return p;
  return `\x1b[1;32m${m[1]}\x1b[0m:\x1b[1;34m${m[2]}\x1b[0m${m[3]}`;
}
