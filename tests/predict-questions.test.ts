// Every predict-the-output question against the engine: the scenario is run here, in the
// test, through the same engine and shell as the CLI, and the authored choices and answer
// must agree with what it prints (issue #8: "computed in the test, not stored by hand").
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { questionSchema } from '../src/quiz/schema';
import { matchingChoices, truthOf } from '../src/quiz/predict';
import { runScenario, type PredictSource } from '../src/quiz/scenario';

const DIR = new URL('../content/quiz/', import.meta.url).pathname;

const predicts: PredictSource[] = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((f) => (parse(readFileSync(join(DIR, f), 'utf8')) as { questions: unknown[] }).questions)
  .map((raw) => questionSchema.parse(raw))
  .filter((q): q is PredictSource => q.type === 'predict');

describe('predict questions agree with the engine', () => {
  it('there are at least 25, with both ways of answering', () => {
    expect(predicts.length).toBeGreaterThanOrEqual(25);
    expect(predicts.some((q) => q.choices)).toBe(true);
    expect(predicts.some((q) => !q.choices)).toBe(true);
  });

  it.each(predicts.map((q) => [q.id, q] as const))('%s', async (_id, q) => {
    const run = await runScenario(q, DIR);
    const truth = truthOf(run.output, q.extract);
    expect(truth, `extract /${q.extract}/ finds nothing in:\n${run.output}`).not.toBeNull();
    if (q.choices) {
      const hits = matchingChoices(q.choices, truth!);
      expect(hits, `choices equal to the engine's truth:\n${truth}`).toHaveLength(1);
      if (q.answer !== undefined) expect(hits[0]).toBe(q.answer);
    } else {
      expect(truth).not.toBe('');
      if (q.answer !== undefined) expect(truth).toBe(q.answer);
    }
  });
});
