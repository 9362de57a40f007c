import { describe, expect, it } from 'vitest';
import { isFlagError, parseFlags, type FlagSpec } from './flags';

const specs: FlagSpec[] = [
  { name: 'namespace', short: 'n', type: 'string' },
  { name: 'all-namespaces', short: 'A', type: 'bool' },
  { name: 'stdin', short: 'i', type: 'bool' },
  { name: 'tty', short: 't', type: 'bool' },
  { name: 'filename', short: 'f', type: 'stringArray' },
  { name: 'replicas', type: 'int' },
  { name: 'dry-run', type: 'string', noOptDefault: 'unchanged' },
];

describe('parseFlags (pflag grammar)', () => {
  it('reads long, short, attached and grouped forms, in any position', () => {
    const p = parseFlags(['pods', '-nkube-system', '--replicas=3', '-it', 'web', '-f', 'a', '--filename=b'], specs);
    if (isFlagError(p)) throw new Error(p.error);
    expect(p.args).toEqual(['pods', 'web']);
    expect(p.flags.get('namespace')).toBe('kube-system');
    expect(p.flags.get('replicas')).toBe(3);
    expect(p.flags.get('stdin')).toBe(true);
    expect(p.flags.get('tty')).toBe(true);
    expect(p.flags.get('filename')).toEqual(['a', 'b']);
  });
  it('stops at -- and remembers where', () => {
    const p = parseFlags(['web', '--', 'ls', '-l'], specs);
    if (isFlagError(p)) throw new Error(p.error);
    expect(p.args).toEqual(['web', 'ls', '-l']);
    expect(p.dashAt).toBe(1);
  });
  it('uses pflag wording for mistakes', () => {
    expect(parseFlags(['--foo'], specs)).toEqual({ error: 'unknown flag: --foo' });
    expect(parseFlags(['-z'], specs)).toEqual({ error: "unknown shorthand flag: 'z' in -z" });
    expect(parseFlags(['-n'], specs)).toEqual({ error: "flag needs an argument: 'n' in -n" });
    expect(parseFlags(['--namespace'], specs)).toEqual({ error: 'flag needs an argument: --namespace' });
    expect(parseFlags(['--replicas=x'], specs)).toEqual({
      error: 'invalid argument "x" for "--replicas" flag: strconv.ParseInt: parsing "x": invalid syntax',
    });
  });
  it('gives a value-less optional flag its default', () => {
    const p = parseFlags(['--dry-run'], specs);
    if (isFlagError(p)) throw new Error(p.error);
    expect(p.flags.get('dry-run')).toBe('unchanged');
  });
});
