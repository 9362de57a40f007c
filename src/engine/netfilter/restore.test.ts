import { describe, expect, it } from 'vitest';
import { tokenizeRestoreLine } from './restore';

describe('tokenizeRestoreLine (add_param_to_argv)', () => {
  it('splits on blanks and keeps quoted words whole, with backslash escapes inside quotes', () => {
    expect(tokenizeRestoreLine('-A X  -m comment --comment "a \\"b\\" \\\\ c" -j ACCEPT')).toEqual(['-A', 'X', '-m', 'comment', '--comment', 'a "b" \\ c', '-j', 'ACCEPT']);
    expect(tokenizeRestoreLine('--comment "" -j A')).toEqual(['--comment', '', '-j', 'A']);
    expect(tokenizeRestoreLine('ab"c d"e f')).toEqual(['abc d', 'e', 'f']);
    expect(tokenizeRestoreLine("--comment 'x y'")).toEqual(['--comment', "'x", "y'"]);
  });
});
