// Checks run after every command the learner types, so they must be cheap next to the
// command itself (issue 6 budget: a typical lab command's output ≤ 50 ms). Each lab is
// measured after its solution, when every check walks its full path (DNS, DNAT, policy).
import { bench, describe } from 'vitest';
import { createCluster } from '../engine';
import { createSession, groupLines } from '../shell';
import { evaluateTasks, type CheckEnv } from './checks';
import { labSlugs, loadLab } from './files';

const labs = await Promise.all(
  labSlugs().map(async (slug) => {
    const loaded = loadLab(slug);
    if (!loaded.ok) throw new Error(loaded.error);
    const cluster = createCluster({ seed: 1, manifests: loaded.manifests });
    const session = createSession({ cluster });
    for (const line of groupLines(loaded.lab.solution)) await session.run(line);
    const env: CheckEnv = { cluster, readFile: async (p) => ((await session.fs.exists(p)) ? session.fs.readFile(p) : undefined) };
    return { slug, env, tasks: loaded.lab.tasks };
  }),
);

describe('lab checks', () => {
  for (const { slug, env, tasks } of labs) {
    bench(`every check of ${slug}, after its solution (budget 10 ms)`, async () => {
      await evaluateTasks(env, tasks);
    });
  }
});
