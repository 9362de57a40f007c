import { describe, expect, it } from 'vitest';
import { inShellDialect } from './dialect';

const pod = (image: string) => ({ kind: 'pod' as const, namespace: 'default', pod: 'p', container: 'c', image });

describe('inShellDialect', () => {
  it('busybox ash: "sh: foo: not found"', () => {
    expect(inShellDialect('bash: curl: command not found\n', pod('busybox:1.36'))).toBe('sh: curl: not found\n');
  });
  it('dash in Debian-based images: "sh: 1: foo: not found"', () => {
    expect(inShellDialect('bash: dig: command not found\n', pod('nginx:1.27'))).toBe('sh: 1: dig: not found\n');
  });
  it('leaves the workstation, nodes and other messages alone', () => {
    expect(inShellDialect('bash: foo: command not found\n', { kind: 'workstation' })).toBe('bash: foo: command not found\n');
    expect(inShellDialect('error: something else\n', pod('busybox'))).toBe('error: something else\n');
  });
});
