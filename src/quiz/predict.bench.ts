// What predict-the-output questions add to `astro build`: every question's scenario booted,
// set up and run through the engine and shell, as src/components/quiz/bank-build.ts does.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { bench, describe } from 'vitest';
import { questionSchema } from './schema';
import { solvePredict, type PredictSource } from './scenario';

const DIR = new URL('../../content/quiz/', import.meta.url).pathname;
const predicts = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((f) => (parse(readFileSync(join(DIR, f), 'utf8')) as { questions: unknown[] }).questions)
  .map((raw) => questionSchema.parse(raw))
  .filter((q): q is PredictSource => q.type === 'predict');

describe('predict questions at build time', () => {
  bench(`all ${predicts.length} predict questions solved (budget 5000 ms)`, async () => {
    for (const q of predicts) await solvePredict(q, DIR);
  }, { iterations: 3, warmupIterations: 1 });
});
