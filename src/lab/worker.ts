/// <reference lib="webworker" />
/**
 * The lab's cluster, off the main thread: a Web Worker that hosts one LabRuntime (the cluster
 * booted from the lab's setup, one shell session, and the event log that can rebuild them),
 * the same engine + shell the CLI drives. The page sends lines; we answer with what the
 * terminal shows, then send the session log and the tasks' state. Messages are handled one
 * at a time, in order, like keystrokes on one tty.
 */
import { needsMoreInput } from '../shell';
import { evaluateTasks } from './checks';
import { emptyLog, type SessionLog } from './log';
import type { FromWorker, LabSetup, SessionView, ToWorker } from './protocol';
import { LabRuntime } from './runtime';

declare const self: DedicatedWorkerGlobalScope;

/** How often the idle cluster catches up with due timers (probes, image pulls, back-off). */
const TICK_MS = 1000;
/** Longest we make the learner wait for a jump in engine time (`sleep 600` returns after this). */
const MAX_PACE_MS = 30_000;

let setup: LabSetup | undefined;
let rt: LabRuntime | undefined;
let busy = false;
/** The cluster changed since the tasks were last checked (a probe turned a pod ready...). */
let changed = false;
let chain: Promise<void> = Promise.resolve();
/** Ends the current pacing wait early (Ctrl-C). */
let stopWaiting: (() => void) | undefined;

const post = (m: FromWorker) => self.postMessage(m);

self.onmessage = (e: MessageEvent<ToWorker>) => {
  const msg = e.data;
  // Interrupts cannot wait behind the command they interrupt.
  if (msg.type === 'interrupt') {
    stopWaiting?.();
    return;
  }
  chain = chain.then(() => handle(msg)).catch((err: unknown) => {
    post({ type: 'fatal', message: err instanceof Error ? err.message : String(err) });
  });
};

async function handle(msg: ToWorker): Promise<void> {
  switch (msg.type) {
    case 'init': {
      const t0 = performance.now();
      setup = msg.setup;
      const view = await rebuild(msg.restore ?? emptyLog(setup.slug, setup.seed, Math.floor(Date.now())));
      setInterval(() => {
        if (busy || !rt) return;
        rt.catchUp();
        // Tasks also turn done while the learner waits (pods turning ready after a scale).
        if (changed) chain = chain.then(checkTasks);
      }, TICK_MS);
      post({ type: 'ready', ms: Math.round(performance.now() - t0), ...view });
      await afterChange();
      return;
    }
    case 'run': {
      const lab = need();
      if (needsMoreInput(msg.line)) {
        post({ type: 'result', id: msg.id, output: '', prompt: lab.session.prompt(), exitCode: 0, nested: lab.nested, incomplete: true });
        return;
      }
      busy = true;
      try {
        const r = await lab.run(msg.line);
        // The engine jumped ahead (`sleep 5`, a connect timeout): the learner waits it out.
        await pace(lab);
        post({ type: 'result', id: msg.id, ...r, incomplete: false });
      } finally {
        busy = false;
      }
      await afterChange();
      return;
    }
    case 'complete': {
      let words: string[] = [];
      try {
        words = await need().completer.answer(msg.query);
      } catch {
        // A question we cannot answer completes nothing; it must not kill the worker.
      }
      post({ type: 'completion', id: msg.id, words });
      return;
    }
    case 'load': {
      const view = await rebuild(msg.log);
      post({ type: 'loaded', id: msg.id, ...view });
      await afterChange();
      return;
    }
    case 'undo': {
      const log = need().log();
      const last = need().lastChange();
      const view = await rebuild({ ...log, events: log.events.filter((_, i) => i !== last) });
      post({ type: 'loaded', id: msg.id, ...view });
      await afterChange();
      return;
    }
    case 'transcript':
      post({ type: 'transcript', id: msg.id, transcript: [...need().transcript()] });
      return;
    case 'interrupt':
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
  let next = new LabRuntime({ slug: s.slug, seed: log.seed, manifests: s.manifests }, log.start, () => performance.now());
  let notice = next.notice;
  try {
    await next.replay(log.events);
  } catch (e) {
    // A log this engine cannot replay (a bug, or a save from an older engine): start fresh, say so.
    next = new LabRuntime({ slug: s.slug, seed: s.seed, manifests: s.manifests }, Math.floor(Date.now()), () => performance.now());
    notice = next.notice + `The saved session could not be replayed (${e instanceof Error ? e.message : String(e)}); the lab starts again from its setup.\n`;
  }
  next.clock.goLive();
  next.cluster.watch(() => {
    changed = true;
  });
  rt = next;
  return { prompt: next.session.prompt(), nested: next.nested, notice, transcript: [...next.transcript()] };
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

function pace(lab: LabRuntime): Promise<void> {
  const ms = Math.min(lab.clock.ahead(), MAX_PACE_MS);
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      stopWaiting = undefined;
      resolve();
    };
    const timer = setTimeout(done, ms);
    stopWaiting = done;
  });
}

function need<T = LabRuntime>(x: T | undefined = rt as T | undefined): T {
  if (!x) throw new Error('the lab worker got a command before its setup');
  return x;
}
