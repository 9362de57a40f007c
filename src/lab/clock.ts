import type { Clock } from '../engine';

/**
 * The lab worker's clock. The engine only moves when we move it (it has `advance`, like the
 * CLI's ManualClock), and only forwards through `cluster.tick(ms)`, so due timers (probes,
 * back-off, image pulls) fire at their own due times however often we tick, and a session's
 * state is a function of its seed, its inputs and the times they came in:
 * - replay: tick to each event's recorded time;
 * - live: tick to `liveTarget()`, real time continuing from where the clock was when it went
 *   live (after a reload: the last recorded event), never behind the clock.
 */
export class SessionClock implements Clock {
  #now: number;
  /** Real time (ms) and engine time when the clock last went live; undefined while replaying. */
  #anchor: { real: number; engine: number } | undefined;
  readonly #real: () => number;

  /** `real` is a monotonic real-time source in ms (performance.now in the browser). */
  constructor(startMs: number, real: () => number) {
    this.#now = startMs;
    this.#real = real;
  }

  now(): number {
    return this.#now;
  }

  /** The engine waits (`sleep 2`, a connect timeout): time jumps, as on a ManualClock. */
  advance(ms: number): void {
    if (ms < 0) throw new RangeError('a clock cannot go backwards');
    this.#now += ms;
  }

  /** From now on real time moves the cluster, starting from the clock's present value. */
  goLive(): void {
    this.#anchor = { real: this.#real(), engine: this.#now };
  }

  get live(): boolean {
    return this.#anchor !== undefined;
  }

  /** Where real time says the cluster should be (the clock itself until it goes live). */
  liveTarget(): number {
    if (!this.#anchor) return this.#now;
    return Math.max(this.#now, this.#anchor.engine + Math.floor(this.#real() - this.#anchor.real));
  }

  /** How far the engine ran ahead of real time (after `sleep 5`, a wget timeout): ms to wait. */
  ahead(): number {
    if (!this.#anchor) return 0;
    return Math.max(0, this.#now - (this.#anchor.engine + (this.#real() - this.#anchor.real)));
  }
}
