/// <reference lib="webworker" />
/**
 * The lab's cluster, off the main thread: a Web Worker that hosts one LabRuntime (the cluster
 * booted from the lab's setup, a shell session per terminal tab, and the event log that can
 * rebuild them), the same engine + shell the CLI drives. The page sends lines; we stream what
 * they print and answer with the rest, then send the session log and the tasks' state. Each
 * tab's lines run in order, like keystrokes on one tty; tabs run at once (a watch in one, curl
 * in the other). Waits take real time here; Ctrl-C ends them.
 */
import { needsMoreInput, type ExternalEditor, type RealTime, type TerminalSize } from '../shell';
import { compareModes } from './compare';
import { evaluateTasks } from './checks';
import { emptyLog, type SessionLog } from './log';
import type { FromWorker, LabSetup, SessionView, ToWorker } from './protocol';
import { LabRuntime } from './runtime';

declare const self: DedicatedWorkerGlobalScope;

/** How often the idle cluster catches up with due timers (probes, image pulls, back-off). */
const TICK_MS = 1000;

let setup: LabSetup | undefined;
let rt: LabRuntime | undefined;
let labBooted!: () => void;
/** Resolves once the cluster and session exist (the editor may ask for files before that). */
const booted = new Promise<void>((resolve) => (labBooted = resolve));
/** The cluster changed since the tasks were last checked (a probe turned a pod ready...). */
let changed = false;
/** Boot, rebuilds, questions and editor writes, in order; lines wait for what came before them here. */
let chain: Promise<void> = Promise.resolve();
/** Each tab's lines, in order. */
const tabChains = new Map<number, Promise<void>>();
/** The line running in each tab, and its Ctrl-C. */
const running = new Map<number, { ctrlC: AbortController; done: Promise<void> }>();
/** Each tab's terminal size as the page last said (a running watch asks for it every screen). */
const sizes = new Map<number, TerminalSize>();

/** Real time for waits: the browser's timers; Ctrl-C ends a wait early. */
const REAL_TIME: RealTime = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    }),
};

const post = (m: FromWorker) => self.postMessage(m);
const fatal = (err: unknown) => post({ type: 'fatal', message: err instanceof Error ? err.message : String(err) });

self.onmessage = (e: MessageEvent<ToWorker>) => {
  const msg = e.data;
  // Interrupts cannot wait behind the command they interrupt.
  if (msg.type === 'interrupt') {
    running.get(msg.tab ?? 0)?.ctrlC.abort();
    return;
  }
  if (msg.type === 'resize') {
    sizes.set(msg.tab ?? 0, msg.size);
    return;
  }
  if (msg.type === 'run') {
    const tab = msg.tab ?? 0;
    if (msg.size) sizes.set(tab, msg.size);
    const before = chain;
    const next = (tabChains.get(tab) ?? Promise.resolve()).then(() => before).then(() => runLine(msg.id, msg.line, tab)).catch(fatal);
    tabChains.set(tab, next);
    return;
  }
  // The editor's answer finishes the `kubectl edit` that is running; the editor's reads are
  // served even while a command runs (files are not a tty's keystrokes). Its writes are logged
  // events at their time (a line running in a tab overlaps them, as lines of two tabs do).
  if (msg.type === 'editDone') return finishEdit(msg.editId, msg.text, msg.unavailable === true);
  if (msg.type === 'listFiles' || msg.type === 'readFile') {
    void booted.then(() => handleFile(msg)).catch((err: unknown) => fileFailed(msg, err instanceof Error ? err.message : String(err)));
    return;
  }
  if (msg.type === 'writeFile') {
    chain = chain.then(() => handleFile(msg)).catch((err: unknown) => fileFailed(msg, err instanceof Error ? err.message : String(err)));
    return;
  }
  chain = chain.then(() => handle(msg)).catch(fatal);
};

async function runLine(id: number, line: string, tab: number): Promise<void> {
  const lab = need();
  if (needsMoreInput(line)) {
    const view = lab.tabViews()[tab] ?? { prompt: lab.tab(tab).session.prompt(), nested: false };
    post({ type: 'result', id, output: '', ...view, exitCode: 0, incomplete: true, traces: [] });
    return;
  }
  const ctrlC = new AbortController();
  let finish!: () => void;
  running.set(tab, { ctrlC, done: new Promise((r) => (finish = r)) });
  try {
    // The result carries the line's own connections (r.traces), for the packet-path panel.
    const size = sizes.get(tab);
    const r = await lab.run(line, {
      tab,
      signal: ctrlC.signal,
      time: REAL_TIME,
      onOutput: (text) => post({ type: 'chunk', id, text }),
      ...(size ? { terminal: () => sizes.get(tab) ?? size } : {}),
    });
    post({ type: 'result', id, ...r, incomplete: false });
  } finally {
    running.delete(tab);
    finish();
  }
  if (lab === rt) await afterChange();
}

/** Before a rebuild: Ctrl-C every running line and let it end. */
async function stopAll(): Promise<void> {
  const all = [...running.values()];
  for (const r of all) r.ctrlC.abort();
  await Promise.all(all.map((r) => r.done));
}

async function handle(msg: ToWorker): Promise<void> {
  switch (msg.type) {
    case 'init': {
      const t0 = performance.now();
      setup = msg.setup;
      const view = await rebuild(msg.restore ?? emptyLog(setup.slug, setup.seed, Math.floor(Date.now())));
      setInterval(() => {
        if (running.size > 0 || !rt) return;
        rt.catchUp();
        // Tasks also turn done while the learner waits (pods turning ready after a scale).
        if (changed) chain = chain.then(checkTasks);
      }, TICK_MS);
      labBooted();
      post({ type: 'ready', ms: Math.round(performance.now() - t0), ...view });
      await afterChange();
      return;
    }
    case 'complete': {
      let words: string[] = [];
      try {
        words = await need().tab(msg.tab ?? 0).completer.answer(msg.query);
      } catch {
        // A question we cannot answer completes nothing; it must not kill the worker.
      }
      post({ type: 'completion', id: msg.id, words });
      return;
    }
    case 'load': {
      await stopAll();
      const view = await rebuild(msg.log);
      post({ type: 'loaded', id: msg.id, ...view });
      await afterChange();
      return;
    }
    case 'undo': {
      await stopAll();
      const log = need().log();
      const last = need().lastChange();
      const view = await rebuild({ ...log, events: log.events.filter((_, i) => i !== last) });
      post({ type: 'loaded', id: msg.id, ...view });
      await afterChange();
      return;
    }
    case 'compare':
      try {
        post({ type: 'compare', id: msg.id, view: compareModes(need().cluster, msg.service, msg.node) });
      } catch (e) {
        // A bug in the comparison must not stop the learner's cluster.
        post({ type: 'compare', id: msg.id, error: e instanceof Error ? e.message : String(e) });
      }
      return;
    case 'transcript':
      post({ type: 'transcript', id: msg.id, transcript: [...need().transcript()] });
      return;
    case 'run':
    case 'interrupt':
    case 'resize':
    case 'editDone':
    case 'listFiles':
    case 'readFile':
    case 'writeFile':
      return;
  }
}

/**
 * The editor's way in (and any other writer's): the file lands in the shell's file system
 * and in the session log, so `cat`, undo, resume and share all see it; tasks are checked.
 */
export async function writeLearnerFile(path: string, text: string): Promise<string> {
  const abs = await need().writeLearnerFile(path, text);
  await afterChange();
  return abs;
}

/** A fresh runtime from `log`: boot, replay, then live from the last recorded time. */
async function rebuild(log: SessionLog): Promise<SessionView> {
  const s = need(setup);
  let next = new LabRuntime({ slug: s.slug, seed: log.seed, manifests: s.manifests }, log.start, () => performance.now(), pageEditor);
  let notice = next.notice;
  try {
    await next.replay(log.events);
  } catch (e) {
    // A log this engine cannot replay (a bug, or a save from an older engine): start fresh, say so.
    next = new LabRuntime({ slug: s.slug, seed: s.seed, manifests: s.manifests }, Math.floor(Date.now()), () => performance.now(), pageEditor);
    notice = next.notice + `The saved session could not be replayed (${e instanceof Error ? e.message : String(e)}); the lab starts again from its setup.\n`;
  }
  next.clock.goLive();
  next.cluster.watch(() => {
    changed = true;
  });
  rt = next;
  return { prompt: next.session.prompt(), nested: next.nested, notice, transcript: [...next.transcript()], tabs: next.tabViews() };
}

/** After every change: the page saves the log and redraws the tasks. */
async function afterChange(): Promise<void> {
  const lab = need();
  const last = lab.lastChange();
  const entry = last >= 0 ? lab.transcript()[last] : undefined;
  post({ type: 'session', log: lab.log(), undo: entry ? (entry.kind === 'line' ? entry.line : `save ${entry.path}`) : undefined });
  await checkTasks();
}

/** Evaluates the lab's tasks on the cluster as it is (side-effect free: src/lab/checks.ts). */
async function checkTasks(): Promise<void> {
  const lab = need();
  changed = false;
  const tasks = await evaluateTasks({ cluster: lab.cluster, readFile: (p) => lab.readFile(p) }, need(setup).tasks);
  post({ type: 'tasks', tasks });
}

function need<T = LabRuntime>(x: T | undefined = rt as T | undefined): T {
  if (!x) throw new Error('the lab worker got a command before its setup');
  return x;
}

// ---- the lab editor: files in ~ and `kubectl edit` ------------------------------------------

/** The learner's home on the workstation: the editor sees exactly the files `ls ~` lists. */
const HOME = '/home/user';

/** `web.yaml` → `/home/user/web.yaml`; anything that is not one plain file name is refused. */
function homePath(name: string): string | undefined {
  return /^[^/\0]+$/.test(name) && name !== '.' && name !== '..' ? `${HOME}/${name}` : undefined;
}

async function handleFile(msg: Extract<ToWorker, { type: 'listFiles' | 'readFile' | 'writeFile' }>): Promise<void> {
  const fs = need().session.fs;
  if (msg.type === 'listFiles') {
    const names: string[] = [];
    for (const name of (await fs.exists(HOME)) ? await fs.readdir(HOME) : []) {
      const st = await fs.stat(`${HOME}/${name}`).catch(() => undefined);
      if (st?.isFile && !name.startsWith('.')) names.push(name);
    }
    post({ type: 'files', id: msg.id, names: names.sort() });
    return;
  }
  const path = homePath(msg.name);
  if (!path) return fileFailed(msg, `${msg.name}: not a file name in ~`);
  if (msg.type === 'readFile') {
    const st = await fs.stat(path).catch(() => undefined);
    if (!st?.isFile) {
      post({ type: 'file', id: msg.id, name: msg.name, text: null, ...(st ? { error: `${msg.name}: Is a directory` } : {}) });
      return;
    }
    post({ type: 'file', id: msg.id, name: msg.name, text: await fs.readFile(path) });
    return;
  }
  await writeLearnerFile(path, msg.text);
  post({ type: 'written', id: msg.id, name: msg.name });
}

/** A file request that failed gets an answer saying why; it never stops the worker. */
function fileFailed(msg: Extract<ToWorker, { type: 'listFiles' | 'readFile' | 'writeFile' }>, error: string): void {
  if (msg.type === 'listFiles') post({ type: 'files', id: msg.id, names: [] });
  else if (msg.type === 'readFile') post({ type: 'file', id: msg.id, name: msg.name, text: null, error });
  else post({ type: 'written', id: msg.id, name: msg.name, error });
}

/** `kubectl edit` waiting for the page's editor, by edit id. */
const edits = new Map<number, { resolve: (text: string | null) => void; reject: (e: Error) => void }>();
let nextEditId = 1;

/**
 * The session's $EDITOR: the page opens the text in its editor and answers with `editDone`.
 * The runtime records each answer in the line's log event, so a replay does not ask again.
 */
const pageEditor: ExternalEditor = (file) =>
  new Promise((resolve, reject) => {
    const editId = nextEditId++;
    edits.set(editId, { resolve, reject });
    post({ type: 'edit', editId, path: file.path, text: file.text });
  });

function finishEdit(editId: number, text: string | null, unavailable: boolean): void {
  const e = edits.get(editId);
  if (!e) return;
  edits.delete(editId);
  if (unavailable) e.reject(new Error('no editor'));
  else e.resolve(text);
}
