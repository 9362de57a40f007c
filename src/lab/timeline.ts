/**
 * A replay's time: lines of different tabs that ran at once live (a watch in one, curl in the
 * other) run at once again, and their waits wake in engine-time order, as they did live. The
 * engine clock is the only clock: a line's wait sleeps here until every running line is
 * blocked and its wake time is the earliest; the line then moves the clock itself (the session
 * ticks to its target). Nothing here uses a timer, so a replay takes no real time.
 */
import type { RealTime } from '../shell';
import type { SessionClock } from './clock';

interface Sleeper {
  at: number;
  seq: number;
  wake: () => void;
}

export class Timeline implements RealTime {
  readonly #clock: SessionClock;
  readonly #sleepers: Sleeper[] = [];
  #seq = 0;
  #running = 0;
  #poke: (() => void) | undefined;

  constructor(clock: SessionClock) {
    this.#clock = clock;
  }

  now(): number {
    return this.#clock.now();
  }

  /** A replay has no Ctrl-C of its own: a line stops where its log says (`stopAt`). */
  sleep(ms: number): Promise<void> {
    return new Promise((wake) => {
      this.#sleepers.push({ at: this.#clock.now() + ms, seq: this.#seq++, wake });
      this.#changed();
    });
  }

  /** A line started: the timeline waits for it to block or end before moving on. */
  track(run: Promise<unknown>): void {
    this.#running++;
    void run.finally(() => {
      this.#running--;
      this.#changed();
    });
  }

  /** Wakes, in engine-time order, every wait due by `t`, letting each line run to its next wait. */
  async runUntil(t: number): Promise<void> {
    for (;;) {
      await this.#quiet();
      let next: Sleeper | undefined;
      for (const s of this.#sleepers) if (!next || s.at < next.at || (s.at === next.at && s.seq < next.seq)) next = s;
      if (!next || next.at > t) return;
      this.#sleepers.splice(this.#sleepers.indexOf(next), 1);
      next.wake();
    }
  }

  /** Until every running line sleeps here (or has ended). */
  async #quiet(): Promise<void> {
    while (this.#running > this.#sleepers.length) await new Promise<void>((r) => (this.#poke = r));
  }

  #changed(): void {
    const poke = this.#poke;
    this.#poke = undefined;
    poke?.();
  }
}
