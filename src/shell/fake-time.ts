/**
 * For tests: real time under the test's control. Sleepers wake when `pass` moves time past
 * them, or on abort; a woken line runs on (its modules may load on first use) until its next
 * sleep or its end.
 */
import type { RealTime } from './session';

export function fakeTime() {
  let now = 0;
  let sleeps = 0;
  const sleepers: { until: number; wake: () => void }[] = [];
  const time: RealTime = {
    now: () => now,
    sleep: (ms, signal) =>
      new Promise<void>((resolve) => {
        sleeps++;
        const wake = () => {
          signal.removeEventListener('abort', wake);
          resolve();
        };
        sleepers.push({ until: now + ms, wake });
        signal.addEventListener('abort', wake, { once: true });
      }),
  };
  const tick = () => new Promise<void>((r) => setTimeout(r, 2));
  /** Until the line sleeps again (or a while passes: it ended). */
  async function settle(seen: number) {
    for (let i = 0; i < 500 && sleeps === seen; i++) await tick();
  }
  async function pass(ms: number) {
    const end = now + ms;
    if (sleeps === 0) await settle(0);
    for (;;) {
      sleepers.sort((a, b) => a.until - b.until);
      const due = sleepers[0];
      if (!due || due.until > end) break;
      sleepers.shift();
      now = due.until;
      const seen = sleeps;
      due.wake();
      await settle(seen);
    }
    now = end;
  }
  /** Lets the lines run until one more of them waits. */
  const nextSleep = () => settle(sleeps);
  return { time, pass, now: () => now, nextSleep };
}
