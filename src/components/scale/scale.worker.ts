/// <reference lib="webworker" />
// The scale explorer's worker: runs a sweep off the main thread and posts each step as it
// goes. Cancel is the page terminating this worker (a sweep is one synchronous loop).
import { sweep } from './measure';
import { countsBetween, MAX_ENDPOINTS, MIN_ENDPOINTS, MODES } from './rows';
import type { FromWorker, ToWorker } from './protocol';

const post = (m: FromWorker): void => (self as unknown as DedicatedWorkerGlobalScope).postMessage(m);

self.onmessage = (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  if (m?.type !== 'run') return;
  const counts = countsBetween(Math.min(...m.counts), Math.max(...m.counts));
  const endpoints = Math.min(MAX_ENDPOINTS, Math.max(MIN_ENDPOINTS, Math.round(m.endpoints)));
  const total = counts.length * MODES.length;
  let index = 0;
  try {
    const totalMs = sweep(counts, endpoints, () => performance.now(), (row) => post({ type: 'row', id: m.id, row }), (mode, services) => {
      post({ type: 'step', id: m.id, mode, services, index: index++, total });
    });
    post({ type: 'done', id: m.id, totalMs });
  } catch (err) {
    post({ type: 'error', id: m.id, message: err instanceof Error ? err.message : String(err) });
  }
};
