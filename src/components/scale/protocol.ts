/** Messages between the scale explorer page and its worker (one sweep per `run`). */
import type { Mode, ScaleRow } from './rows';

export type ToWorker = { type: 'run'; id: number; counts: number[]; endpoints: number };

export type FromWorker =
  | { type: 'step'; id: number; mode: Mode; services: number; index: number; total: number }
  | { type: 'row'; id: number; row: ScaleRow }
  | { type: 'done'; id: number; totalMs: number }
  | { type: 'error'; id: number; message: string };
