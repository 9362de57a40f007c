import { describe, expect, it } from 'vitest';
import { terminalText } from './display';

describe('terminalText', () => {
  it('puts API warnings before the output and errors after it, as kubectl writes them', () => {
    expect(terminalText({ stdout: 'TABLE\n', stderr: 'Warning: deprecated\nError from server (NotFound): x\n', exitCode: 1 })).toBe(
      'Warning: deprecated\nTABLE\nError from server (NotFound): x\n',
    );
  });
  it('puts kubectl logs notices before the log lines', () => {
    expect(terminalText({ stdout: 'line\n', stderr: 'Found 2 pods, using pod/web-1\n', exitCode: 0 })).toBe('Found 2 pods, using pod/web-1\nline\n');
  });
});
