import { describe, expect, it } from 'vitest';
import { isBank, relatedToLab, toKeyPoint } from './bank';
import { bank } from './fixtures.test-helpers';

describe('bank', () => {
  it('normalises authored key points', () => {
    expect(toKeyPoint('Plain text')).toEqual({ text: 'Plain text', match: [] });
    expect(toKeyPoint({ text: 'T', match: ['a'] })).toEqual({ text: 'T', match: ['a'] });
  });
  it('finds the questions a lab is about', () => {
    expect(relatedToLab(bank, 'traffic-path')).toEqual(['kp-what']);
    expect(relatedToLab(bank, 'nope')).toEqual([]);
  });
  it('recognises a bank.json of this version only', () => {
    expect(isBank({ version: 2, questions: [] })).toBe(true);
    expect(isBank({ version: 1, questions: [] })).toBe(false);
    expect(isBank(null)).toBe(false);
  });
});
