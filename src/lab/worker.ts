/// <reference lib="webworker" />
/**
 * The lab's cluster, off the main thread: a Web Worker that boots the emulated cluster from the
 * lab's setup manifests (seeded, on a real-time clock) and hosts one shell session, the same
 * engine + shell the CLI drives (src/cli/run.ts). The page sends lines; we answer with what the
 * terminal shows. Messages are handled one at a time, in order, like keystrokes on one tty.
 */
import { createCluster, formatKubectlError, type ApplyResult, type Clock, type Cluster } from '../engine';
import { createSession, needsMoreInput, terminalText, type Session } from '../shell';
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
let busy = false;
let chain: Promise<void> = Promise.resolve();

const post = (m: FromWorker) => self.postMessage(m);

self.onmessage = (e: MessageEvent<ToWorker>) => {
  const msg = e.data;
  // Interrupts cannot wait behind the command they interrupt.
  if (msg.type === 'interrupt') return;
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
  const session = createSession({ cluster, interactive: true });
  lab = { cluster, session, completer: new Completer(session, cluster) };
  setInterval(() => {
    if (!busy) cluster.tick();
  }, TICK_MS);
  post({ type: 'ready', prompt: session.prompt(), nested: false, ms: Math.round(performance.now() - t0), notice });
}

function need(): Lab {
  if (!lab) throw new Error('the lab worker got a command before its setup');
  return lab;
}
