import { describe, expect, it } from 'vitest';
import { gradeChoices } from './grade';

describe('gradeChoices', () => {
  it('single choice: right or wrong', () => {
    expect(gradeChoices(2, [2])).toBe('correct');
    expect(gradeChoices(2, [1])).toBe('incorrect');
  });
  it('multi choice: all and only the right ones', () => {
    expect(gradeChoices([0, 2], [2, 0])).toBe('correct');
    expect(gradeChoices([0, 2], [0])).toBe('partial');
    expect(gradeChoices([0, 2], [0, 1])).toBe('incorrect');
    expect(gradeChoices([0, 2], [])).toBe('incorrect');
  });
});
