import { describe, expect, it } from 'vitest';
import { terminalText } from './display';

describe('terminalText', () => {
  it('puts API warnings before the output and errors after it, as kubectl writes them', () => {
    expect(terminalText({ stdout: 'TABLE\n', stderr: 'Warning: deprecated\nError from server (NotFound): x\n', exitCode: 1 })).toBe(
      'Warning: deprecated\nTABLE\nError from server (NotFound): x\n',
    );
  });
});
