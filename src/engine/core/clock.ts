/**
 * Time for the engine. The browser passes a real-time clock; tests and the CLI pass a
 * ManualClock that only moves when `Cluster.tick(ms)` advances it. The engine never calls
 * Date.now().
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Present on clocks the engine may move (ManualClock); absent on real time. */
  advance?(ms: number): void;
}

/** 2026-01-01T00:00:00Z: a fixed, round start so test output is stable. */
export const DEFAULT_EPOCH_MS = Date.UTC(2026, 0, 1);

export class ManualClock implements Clock {
  #now: number;
  constructor(startMs: number = DEFAULT_EPOCH_MS) {
    this.#now = startMs;
  }
  now(): number {
    return this.#now;
  }
  advance(ms: number): void {
    if (ms < 0) throw new RangeError('a clock cannot go backwards');
    this.#now += ms;
  }
  set(ms: number): void {
    this.#now = ms;
  }
}

/** RFC 3339 at second precision, as metav1.Time marshals: 2026-01-01T00:00:00Z. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** metav1.MicroTime (Event.eventTime, Lease times): 2026-01-01T00:00:00.000000Z. */
export function rfc3339Micro(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export function parseTime(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}
