/**
 * Runs a sweep's steps on a few scale workers side by side: each worker takes the next step
 * in sweep order when it posts its row, and is let go when none is left. The first error
 * (a step's, or a worker that could not start or died) stops every worker; so does cancel.
 * No DOM and no Preact here: the page passes `spawn` (new Worker), the tests a fake.
 */
import type { FromWorker, ToWorker } from './protocol';
import { MODES, type ScaleRow, type Step } from './rows';

/** What the pool uses of a Worker. */
export interface WorkerLike {
  onmessage: ((e: MessageEvent<FromWorker>) => void) | null;
  onerror: ((e: ErrorEvent) => void) | null;
  onmessageerror: ((e: MessageEvent) => void) | null;
  postMessage(m: ToWorker): void;
  terminate(): void;
}

/** How long a finished sweep took, in the workers' own clocks. */
export interface SweepTiming {
  /** From the first step's start to the last step's end, across workers (ms). */
  workerMs: number;
  workers: number;
  /** Each step's time in its worker, in sweep order. */
  steps: (Step & { ms: number })[];
}

export interface PoolEvents {
  /** The steps being measured now (in sweep order) and how many are done. */
  onProgress(running: readonly Step[], done: number): void;
  /** A step's row; `index` is its place in the sweep (rows arrive out of order). */
  onRow(index: number, row: ScaleRow): void;
  onDone(timing: SweepTiming): void;
  /** `step` is the measurement that failed, when known. */
  onError(message: string, step?: Step): void;
}

/**
 * How many workers: one per core, at most one per mode (so a sweep's largest count runs its
 * three modes at once, each on its own core: their times stay comparable), at least one.
 */
export function poolSize(hardwareConcurrency: number | undefined, steps: number): number {
  const cores = Number.isFinite(hardwareConcurrency) ? Math.floor(hardwareConcurrency!) : 1;
  return Math.max(1, Math.min(MODES.length, steps, cores));
}

/** Start the sweep; returns cancel (terminates every worker; no event follows). */
export function runSweep(steps: readonly Step[], endpoints: number, size: number, spawn: () => WorkerLike, on: PoolEvents): () => void {
  const live = new Set<WorkerLike>();
  /** The step each busy worker measures. */
  const busy = new Map<WorkerLike, number>();
  const ms: number[] = [];
  let next = 0;
  let done = 0;
  let first = Infinity;
  let last = -Infinity;
  let over = false;

  const stop = (): void => {
    over = true;
    for (const w of live) w.terminate();
    live.clear();
    busy.clear();
  };
  const fail = (message: string, step?: Step): void => {
    if (over) return;
    stop();
    on.onError(message, step);
  };
  const progress = (): void => on.onProgress([...busy.values()].sort((a, b) => a - b).map((i) => steps[i]!), done);
  const give = (w: WorkerLike): void => {
    if (next >= steps.length) {
      // Nothing left for it: free its heap now rather than at the end.
      w.terminate();
      live.delete(w);
      return;
    }
    const index = next++;
    const { mode, services } = steps[index]!;
    busy.set(w, index);
    w.postMessage({ type: 'run', id: index, mode, services, endpoints });
  };

  if (steps.length === 0) {
    on.onDone({ workerMs: 0, workers: 0, steps: [] });
    return stop;
  }
  const workers = Math.max(1, Math.min(size, steps.length));
  for (let k = 0; k < workers; k++) {
    let w: WorkerLike;
    try {
      w = spawn();
    } catch (err) {
      fail(`the engine worker could not start: ${err instanceof Error ? err.message : String(err)}`);
      return stop;
    }
    live.add(w);
    w.onmessage = (e) => {
      const index = busy.get(w);
      const m = e.data;
      if (over || index === undefined || m?.id !== index) return;
      busy.delete(w);
      const step = steps[index]!;
      if (m.type === 'error') return fail(m.message, step);
      first = Math.min(first, m.startedAt);
      last = Math.max(last, m.startedAt + m.ms);
      ms[index] = m.ms;
      done++;
      on.onRow(index, m.row);
      if (done === steps.length) {
        stop();
        on.onDone({ workerMs: last - first, workers, steps: steps.map((s, i) => ({ ...s, ms: ms[i]! })) });
        return;
      }
      give(w);
      progress();
    };
    w.onerror = (e) => {
      // Handled here: not also an uncaught error in the page's console.
      e.preventDefault();
      const index = busy.get(w);
      const why = e.message ? ` (${e.message})` : '';
      fail(`the engine worker stopped${why}: it could not start, or ran out of memory (try fewer Services or endpoints)`, index === undefined ? undefined : steps[index]);
    };
    w.onmessageerror = () => fail('a message from the engine worker could not be read');
  }
  for (const w of [...live]) give(w);
  if (!over) progress();
  return stop;
}
