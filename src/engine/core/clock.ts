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

/**
 * Go's time.Duration.String() for a duration in milliseconds: `0s`, `512ms`, `1.5s`,
 * `1m20s`, `5m0s`, `1h0m0s` (what kubelet messages such as `back-off 1m20s …` print).
 */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  const neg = ms < 0;
  let ns = Math.round(Math.abs(ms) * 1e6);
  const sign = neg ? '-' : '';
  if (ns < 1e9) {
    const [unit, div] = ns < 1e3 ? ['ns', 1] : ns < 1e6 ? ['µs', 1e3] : ['ms', 1e6];
    return `${sign}${trimFrac(ns / (div as number))}${unit}`;
  }
  const h = Math.floor(ns / 3.6e12);
  ns -= h * 3.6e12;
  const m = Math.floor(ns / 6e10);
  ns -= m * 6e10;
  const s = `${trimFrac(ns / 1e9)}s`;
  if (h > 0) return `${sign}${h}h${m}m${s}`;
  if (m > 0) return `${sign}${m}m${s}`;
  return `${sign}${s}`;
}

function trimFrac(x: number): string {
  return x.toFixed(9).replace(/\.?0+$/, '');
}
