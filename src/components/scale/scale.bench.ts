// The scale explorer's budget (issue 9): the 10,000-Service point, all three modes (the
// worker's work: build, sync, program the node, probe, print the ruleset's text), ≤ 3 s.
// The browser figure, with the main thread's longest task, is `npm run bench:web -- --scale`.
import { bench, describe } from 'vitest';
import { sweep } from './measure';

describe('scale explorer', () => {
  bench('scale explorer 10k Services, three modes (budget 3 s)', () => {
    sweep([10_000], 10, () => performance.now(), () => {});
  }, { iterations: 2, warmupIterations: 1 });

  bench('scale explorer full sweep 10 → 10,000 Services, three modes', () => {
    sweep([10, 30, 100, 300, 1_000, 3_000, 10_000], 10, () => performance.now(), () => {});
  }, { iterations: 1, warmupIterations: 0 });
});
