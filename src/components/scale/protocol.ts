/**
 * Messages between the scale explorer page and its workers: one measurement (a mode at a
 * Service count) per `run`, answered by one `row` or one `error`. Only the row crosses:
 * the worker's NodeHost and the ruleset text it sized stay in the worker.
 */
import type { Mode, ScaleRow } from './rows';

export type ToWorker = { type: 'run'; id: number; mode: Mode; services: number; endpoints: number };

export type FromWorker =
  /**
   * `startedAt` is `performance.timeOrigin + performance.now()` when the worker began, a time
   * the page can compare across workers; `ms` is how long the measurement took there.
   */
  | { type: 'row'; id: number; row: ScaleRow; startedAt: number; ms: number }
  | { type: 'error'; id: number; message: string };
