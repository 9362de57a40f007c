import { describe, expect, it } from 'vitest';
import { suggestions } from './kubectl';

describe('unknown kubectl commands', () => {
  it('suggests like cobra: Levenshtein distance ≤ 2 or a prefix', () => {
    expect(suggestions('gte')).toEqual(['get']);
    expect(suggestions('desc')).toEqual(['describe']);
    expect(suggestions('frobnicate')).toEqual([]);
  });
});
