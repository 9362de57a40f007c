import { describe, expect, it } from 'vitest';
import { questionSchema } from './schema';

const base = { id: 'q-one', topic: 'services', level: 'basic', prompt: 'Which type exposes a port on every node?', explanation: 'NodePort opens the port on every node.' };

describe('questionSchema', () => {
  it('accepts a single-choice question', () => {
    const r = questionSchema.safeParse({ ...base, type: 'single', choices: ['ClusterIP', 'NodePort'], answer: 1 });
    expect(r.success).toBe(true);
  });

  it('refuses an answer index outside the choices, naming the field', () => {
    const r = questionSchema.safeParse({ ...base, type: 'single', choices: ['ClusterIP', 'NodePort'], answer: 2 });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]).toMatchObject({ path: ['answer'], message: 'answer 2 is not a choice index (0–1)' });
  });

  it('refuses an unknown type with the list of known ones', () => {
    const r = questionSchema.safeParse({ ...base, type: 'essay' });
    expect(r.error!.issues[0]!.message).toBe("Invalid discriminator value. Expected 'single' | 'multi' | 'recall' | 'predict'");
  });

  it('requires key points on a recall question', () => {
    const r = questionSchema.safeParse({ ...base, type: 'recall', modelAnswer: 'x'.repeat(50) });
    expect(r.error!.issues.map((i) => i.path.join('.'))).toContain('keyPoints');
  });

  it('refuses ids that are not kebab-case', () => {
    const r = questionSchema.safeParse({ ...base, id: 'Q_One', type: 'single', choices: ['a', 'b'], answer: 0 });
    expect(r.error!.issues[0]!.path).toEqual(['id']);
  });
});

describe('predict questions', () => {
  const scenario = { manifests: ['scenarios/web.yaml'], command: 'kubectl get svc' };
  it('accepts choices, or a typed answer with an extract', () => {
    expect(questionSchema.safeParse({ ...base, type: 'predict', scenario, choices: ['a', 'b'], answer: 1 }).success).toBe(true);
    expect(questionSchema.safeParse({ ...base, type: 'predict', scenario, extract: 'IP (\\S+)', answer: '10.96.0.1' }).success).toBe(true);
  });

  it('refuses a typed question without extract, and an extract without exactly one group', () => {
    const paths = (x: object) => questionSchema.safeParse({ ...base, type: 'predict', scenario, ...x }).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(paths({})).toEqual(['extract: a question without choices needs extract: the learner types a short value, not a whole output']);
    expect(paths({ extract: 'no group' })).toEqual(['extract: needs exactly one capture group (has 0)']);
    expect(paths({ extract: '(a)(b)', choices: ['a', 'b'] })).toEqual(['extract: needs exactly one capture group (has 2)']);
    expect(paths({ extract: '(', choices: ['a', 'b'] })).toEqual(['extract: not a valid regular expression: (']);
    expect(paths({ choices: ['a', 'b'], answer: 'a' })).toEqual(['answer: with choices, answer is the 0-based index of the right one']);
    expect(paths({ choices: ['a', 'b'], answer: 2 })).toEqual(['answer: answer 2 is not a choice index (0–1)']);
    expect(paths({ extract: '(x)', answer: 0 })).toEqual(['answer: without choices, answer is the value the learner types']);
  });
});
