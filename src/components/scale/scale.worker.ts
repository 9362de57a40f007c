/// <reference lib="webworker" />
// A scale explorer worker: measures one mode at one Service count per request and posts the
// row (never the node). The page runs a few of these side by side (pool.ts) and cancels by
// terminating them (a measurement is one synchronous call).
import { measure } from './measure';
import { MAX_ENDPOINTS, MIN_ENDPOINTS, MODES, SERVICE_COUNTS, type Mode } from './rows';
import type { FromWorker, ToWorker } from './protocol';

const post = (m: FromWorker): void => (self as unknown as DedicatedWorkerGlobalScope).postMessage(m);

/** Modes this worker has run once: their code is compiled, so the timings are the code's, not the JIT's. */
const warm = new Set<Mode>();
/** Services in the throwaway run that warms a mode up (the smallest preset count). */
const WARM_UP_SERVICES = 10;

self.onmessage = (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  if (m?.type !== 'run') return;
  if (!MODES.includes(m.mode) || !(SERVICE_COUNTS as readonly number[]).includes(m.services)) {
    post({ type: 'error', id: m.id, message: `no such measurement: ${String(m.mode)} at ${String(m.services)} Services` });
    return;
  }
  const endpoints = Math.min(MAX_ENDPOINTS, Math.max(MIN_ENDPOINTS, Math.round(m.endpoints)));
  const t0 = performance.now();
  try {
    // A worker's first run of a mode is slower at any size (its code is still being compiled):
    // without this, the 10-Service point looked slower than the 30-Service one. The warm-up
    // counts in the step's time, not in the row's figures.
    if (!warm.has(m.mode)) {
      measure(m.mode, WARM_UP_SERVICES, endpoints, () => performance.now());
      warm.add(m.mode);
    }
    const row = measure(m.mode, m.services, endpoints, () => performance.now());
    post({ type: 'row', id: m.id, row, startedAt: performance.timeOrigin + t0, ms: performance.now() - t0 });
  } catch (err) {
    post({ type: 'error', id: m.id, message: err instanceof Error ? err.message : String(err) });
  }
};
