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
