// The scale explorer's budget (issue 9): the 10,000-Service point of all three modes within
// 3 s in the workers. The page measures the modes side by side (one worker per core, up to
// three: pool.ts), so each mode's own time is what must fit: building the node, the sync,
// programming it, the probes and printing the ruleset's text (measure.ts).
// The browser figure, with the main thread's longest task, is `npm run bench:web -- --only scale`.
import { bench, describe } from 'vitest';
import { measure, sweep } from './measure';
import { MODES } from './rows';

describe('scale explorer', () => {
  for (const mode of MODES) {
    bench(`scale explorer 10k Services × 10 endpoints, ${mode} mode (budget 3 s)`, () => {
      measure(mode, 10_000, 10, () => performance.now());
    }, { iterations: 2, warmupIterations: 1 });
  }

  bench('scale explorer full sweep 10 → 10,000 Services, three modes in one thread', () => {
    sweep([10, 30, 100, 300, 1_000, 3_000, 10_000], 10, () => performance.now(), () => {});
  }, { iterations: 1, warmupIterations: 0 });
});
