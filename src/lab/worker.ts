/// <reference lib="webworker" />
/**
 * The lab's cluster, off the main thread: a Web Worker that boots the emulated cluster from the
 * lab's setup manifests (seeded, on a real-time clock) and hosts one shell session, the same
 * engine + shell the CLI drives (src/cli/run.ts). The page sends lines; we answer with what the
 * terminal shows. Messages are handled one at a time, in order, like keystrokes on one tty.
 */
import { createCluster, formatKubectlError, type ApplyResult, type Clock, type Cluster } from '../engine';
import { createSession, needsMoreInput, terminalText, type ExternalEditor, type Session } from '../shell';
import { Completer } from './complete';
import { truncateOutput } from './output';
import type { FromWorker, LabSetup, ToWorker } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

/** Wall time: the engine reads it through this object only (DESIGN.md §1, "a clock object"). */
const realTime: Clock = { now: () => Date.now() };
/** How often the idle cluster catches up with due timers (probes, image pulls, back-off). */
const TICK_MS = 1000;

interface Lab {
  cluster: Cluster;
  session: Session;
  completer: Completer;
}

let lab: Lab | undefined;
let labBooted!: () => void;
/** Resolves once the cluster and session exist (the editor may ask for files before that). */
const booted = new Promise<void>((resolve) => (labBooted = resolve));
let busy = false;
let chain: Promise<void> = Promise.resolve();

const post = (m: FromWorker) => self.postMessage(m);

self.onmessage = (e: MessageEvent<ToWorker>) => {
  const msg = e.data;
  // Interrupts cannot wait behind the command they interrupt.
  if (msg.type === 'interrupt') return;
  // The editor's answer finishes the `kubectl edit` that is running; file requests from the
  // editor are served even while a command runs (files are not a tty's keystrokes).
  if (msg.type === 'editDone') return finishEdit(msg.editId, msg.text, msg.unavailable === true);
  if (msg.type === 'listFiles' || msg.type === 'readFile' || msg.type === 'writeFile') {
    void booted.then(() => handleFile(msg)).catch((err: unknown) => fileFailed(msg, err instanceof Error ? err.message : String(err)));
    return;
  }
  chain = chain.then(() => handle(msg)).catch((err: unknown) => {
    post({ type: 'fatal', message: err instanceof Error ? err.message : String(err) });
  });
};

async function handle(msg: ToWorker): Promise<void> {
  switch (msg.type) {
    case 'init':
      boot(msg.setup);
      return;
    case 'run': {
      const { session, cluster } = need();
      const nested = () => session.place.kind !== 'workstation';
      if (needsMoreInput(msg.line)) {
        post({ type: 'result', id: msg.id, output: '', prompt: session.prompt(), exitCode: 0, nested: nested(), incomplete: true });
        return;
      }
      busy = true;
      try {
        cluster.tick();
        const r = await session.run(msg.line);
        const output = truncateOutput(terminalText(r));
        post({ type: 'result', id: msg.id, output, prompt: session.prompt(), exitCode: r.exitCode, nested: nested(), incomplete: false });
      } finally {
        busy = false;
      }
      return;
    }
    case 'complete': {
      const { completer } = need();
      let words: string[] = [];
      try {
        words = await completer.answer(msg.query);
      } catch {
        // A question we cannot answer completes nothing; it must not kill the worker.
      }
      post({ type: 'completion', id: msg.id, words });
      return;
    }
    case 'interrupt':
    case 'editDone':
    case 'listFiles':
    case 'readFile':
    case 'writeFile':
      return;
  }
}

function boot(setup: LabSetup): void {
  const t0 = performance.now();
  const cluster = createCluster({ seed: setup.seed, clock: realTime, manifests: setup.manifests });
  const notice = cluster.setupResults
    .filter((r): r is Extract<ApplyResult, { ok: false }> => !r.ok)
    .map((r) => formatKubectlError(r.error, { verb: 'creating', ...(r.name ? { name: r.name } : {}), ...(r.namespace ? { namespace: r.namespace } : {}) }) + '\n')
    .join('');
  const session = createSession({ cluster, interactive: true, editor: pageEditor });
  lab = { cluster, session, completer: new Completer(session, cluster) };
  setInterval(() => {
    if (!busy) cluster.tick();
  }, TICK_MS);
  labBooted();
  post({ type: 'ready', prompt: session.prompt(), nested: false, ms: Math.round(performance.now() - t0), notice });
}

function need(): Lab {
  if (!lab) throw new Error('the lab worker got a command before its setup');
  return lab;
}

// ---- the lab editor: files in ~ and `kubectl edit` ------------------------------------------

/** The learner's home on the workstation: the editor sees exactly the files `ls ~` lists. */
const HOME = '/home/user';

/** `web.yaml` → `/home/user/web.yaml`; anything that is not one plain file name is refused. */
function homePath(name: string): string | undefined {
  return /^[^/\0]+$/.test(name) && name !== '.' && name !== '..' ? `${HOME}/${name}` : undefined;
}

/**
 * Every write the learner makes to a file outside the shell goes through here (the editor's
 * Save), so the resume log can record it. `path` is absolute or `~/…`; returns the absolute path.
 */
export async function writeLearnerFile(path: string, text: string): Promise<string> {
  const abs = path.startsWith('~/') ? `${HOME}/${path.slice(2)}` : path;
  await need().session.fs.writeFile(abs, text);
  return abs;
}

async function handleFile(msg: Extract<ToWorker, { type: 'listFiles' | 'readFile' | 'writeFile' }>): Promise<void> {
  const { session } = need();
  const fs = session.fs;
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

/** The session's $EDITOR: the page opens the text in its editor and answers with `editDone`. */
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
