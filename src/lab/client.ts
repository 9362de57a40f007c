/**
 * The page's side of the lab worker: starts it, sends the setup, and turns its messages into
 * the promise-based backend the terminal drives (src/terminal's ShellBackend). If the worker
 * dies, every pending call fails and `onCrash` tells the page, which offers a restart.
 */
import type { Trace } from '../engine';
import type { TerminalSize } from '../shell';
import type { CompareView, CompletionQuery, FromWorker, LabSetup, SessionLog, SessionView, TaskState, ToWorker, TranscriptEntry } from './protocol';

export interface LabRunResult {
  output: string;
  prompt: string;
  exitCode: number;
  nested: boolean;
  /** Nothing ran: the text needs more lines (PS2). */
  incomplete: boolean;
  /** The connections the command made (its last few), for the packet-path panel. */
  traces: Trace[];
}

export interface LabClientOptions {
  setup: LabSetup;
  /** A log to replay before the learner types (resume, a shared link). */
  restore?: SessionLog | undefined;
  onReady?: (info: SessionView & { ms: number }) => void;
  onCrash?: (message: string) => void;
  /** After every change: the log to save, and the line Undo would take back. */
  onSession?: (log: SessionLog, undo: string | undefined) => void;
  onTasks?: (tasks: TaskState[]) => void;
  /**
   * `kubectl edit` opened a file: show it in the editor and resolve with the saved text, or null
   * when the learner closed it unsaved; reject when there is no editor to show it in.
   */
  onEdit?: (file: { path: string; text: string }) => Promise<string | null>;
}

export interface LabClient {
  /**
   * Runs a line in terminal tab `tab` (0: the first); `onOutput` gets what it prints meanwhile.
   * `size`: the terminal's (full-screen commands draw to it).
   */
  run(line: string, tab?: number, onOutput?: (text: string) => void, size?: TerminalSize): Promise<LabRunResult>;
  /** Ctrl-C in tab `tab`. */
  interrupt(tab?: number): void;
  /** Tab `tab`'s terminal has a new size. */
  resize(tab: number, size: TerminalSize): void;
  complete(q: CompletionQuery, tab?: number): Promise<string[]>;
  /** Rebuild the session from `log` (reset: an empty log). */
  load(log: SessionLog): Promise<SessionView>;
  /** Take back the last change. */
  undo(): Promise<SessionView>;
  transcript(): Promise<TranscriptEntry[]>;
  /** File names in the learner's home (~), sorted; regular files only. */
  listFiles(): Promise<string[]>;
  /** The text of ~/NAME, or null when there is no such file. */
  readFile(name: string): Promise<string | null>;
  /** Writes ~/NAME (the shell's `cat` sees it at once). Rejects with the reason it failed. */
  writeFile(name: string, text: string): Promise<void>;
  /** A Service's kube-proxy rules in each mode (default: the lab's Service on `worker`). */
  compare(service?: string, node?: string): Promise<CompareView>;
  /** Resolves with the first prompt once the cluster is up. */
  readonly ready: Promise<string>;
  terminate(): void;
}

type Pending = { resolve: (m: FromWorker) => void; reject: (e: Error) => void; onChunk?: ((text: string) => void) | undefined };

export function startLab(opts: LabClientOptions): LabClient {
  // Vite bundles the worker (and the engine and shell with it) as its own module chunk.
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'clusterpath-lab' });
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let dead: Error | undefined;
  let readyResolve!: (prompt: string) => void;
  let readyReject!: (e: Error) => void;
  const ready = new Promise<string>((res, rej) => {
    readyResolve = res;
    readyReject = rej;
  });
  // Nobody may be waiting on `ready` when the worker dies; that is not an unhandled error.
  ready.catch(() => undefined);

  const die = (message: string) => {
    if (dead) return;
    dead = new Error(message);
    for (const p of pending.values()) p.reject(dead);
    pending.clear();
    readyReject(dead);
    worker.terminate();
    opts.onCrash?.(message);
  };

  worker.onmessage = (e: MessageEvent<FromWorker>) => {
    const m = e.data;
    if (m.type === 'ready') {
      readyResolve(m.prompt);
      opts.onReady?.(m);
      return;
    }
    if (m.type === 'fatal') {
      die(m.message);
      return;
    }
    if (m.type === 'session') {
      opts.onSession?.(m.log, m.undo);
      return;
    }
    if (m.type === 'tasks') {
      opts.onTasks?.(m.tasks);
      return;
    }
    if (m.type === 'edit') {
      const answer = (text: string | null, unavailable = false) => {
        if (!dead) send({ type: 'editDone', editId: m.editId, text, ...(unavailable ? { unavailable } : {}) });
      };
      const open = opts.onEdit ?? (() => Promise.reject(new Error('no editor')));
      open({ path: m.path, text: m.text }).then(
        (text) => answer(text),
        () => answer(null, true),
      );
      return;
    }
    if (m.type === 'chunk') {
      pending.get(m.id)?.onChunk?.(m.text);
      return;
    }
    const p = pending.get(m.id);
    if (p) {
      pending.delete(m.id);
      p.resolve(m);
    }
  };
  worker.onerror = (e) => {
    e.preventDefault();
    die(e.message || 'the lab worker stopped');
  };
  worker.onmessageerror = () => die('the lab worker sent a message the page could not read');

  const send = (m: ToWorker) => worker.postMessage(m);
  const request = (make: (id: number) => ToWorker, onChunk?: (text: string) => void): Promise<FromWorker> => {
    if (dead) return Promise.reject(dead);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject, onChunk });
      send(make(id));
    });
  };

  send({ type: 'init', setup: opts.setup, restore: opts.restore });

  const view = async (make: (id: number) => ToWorker): Promise<SessionView> => {
    const m = await request(make);
    if (m.type !== 'loaded') throw new Error(`unexpected answer ${m.type}`);
    return m;
  };

  return {
    ready,
    async run(line, tab = 0, onOutput, size) {
      const m = await request((id) => ({ type: 'run', id, line, ...(tab ? { tab } : {}), ...(size ? { size } : {}) }), onOutput);
      if (m.type !== 'result') throw new Error(`unexpected answer ${m.type}`);
      return { output: m.output, prompt: m.prompt, exitCode: m.exitCode, nested: m.nested, incomplete: m.incomplete, traces: m.traces };
    },
    interrupt(tab = 0) {
      if (!dead) send({ type: 'interrupt', id: nextId - 1, ...(tab ? { tab } : {}) });
    },
    resize(tab, size) {
      if (!dead) send({ type: 'resize', size, ...(tab ? { tab } : {}) });
    },
    load: (log) => view((id) => ({ type: 'load', id, log })),
    undo: () => view((id) => ({ type: 'undo', id })),
    async transcript() {
      const m = await request((id) => ({ type: 'transcript', id }));
      return m.type === 'transcript' ? m.transcript : [];
    },
    async compare(service, node) {
      const m = await request((id) => ({ type: 'compare', id, service, node }));
      if (m.type !== 'compare' || !m.view) throw new Error(m.type === 'compare' && m.error ? m.error : `unexpected answer ${m.type}`);
      return m.view;
    },
    async complete(query, tab = 0) {
      const m = await request((id) => ({ type: 'complete', id, query, ...(tab ? { tab } : {}) }));
      return m.type === 'completion' ? m.words : [];
    },
    async listFiles() {
      const m = await request((id) => ({ type: 'listFiles', id }));
      return m.type === 'files' ? m.names : [];
    },
    async readFile(name) {
      const m = await request((id) => ({ type: 'readFile', id, name }));
      if (m.type !== 'file') throw new Error(`unexpected answer ${m.type}`);
      if (m.error) throw new Error(m.error);
      return m.text;
    },
    async writeFile(name, text) {
      const m = await request((id) => ({ type: 'writeFile', id, name, text }));
      if (m.type !== 'written') throw new Error(`unexpected answer ${m.type}`);
      if (m.error) throw new Error(m.error);
    },
    terminate() {
      dead ??= new Error('stopped');
      worker.terminate();
    },
  };
}
