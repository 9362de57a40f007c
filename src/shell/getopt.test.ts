import { describe, expect, it } from 'vitest';
import { getoptLong, type LongOption } from './getopt';

const LONGS: LongOption[] = [
  { name: 'interval', arg: 'required', key: 'n' },
  { name: 'differences', arg: 'optional', key: 'd' },
  { name: 'no-title', arg: 'none', key: 't' },
  { name: 'no-wrap', arg: 'none', key: 'w' },
];

describe("getoptLong (glibc's grammar)", () => {
  it('groups short options, takes an argument attached or next, an optional one only attached', () => {
    expect(getoptLong(['-tn1', '-d', '-dx', '-n', '5', 'ls'], '+twn:d::', LONGS)).toEqual({
      options: [{ key: 't' }, { key: 'n', arg: '1' }, { key: 'd' }, { key: 'd', arg: 'x' }, { key: 'n', arg: '5' }],
      operands: ['ls'],
    });
  });

  it('matches long options by unique prefix, exact names first; --name=value or the next word', () => {
    expect(getoptLong(['--int=3', '--interval', '4', '--diff', '--differences=permanent', '--no-t'], 'n:d::tw', LONGS).options).toEqual([
      { key: 'n', arg: '3' },
      { key: 'n', arg: '4' },
      { key: 'd' },
      { key: 'd', arg: 'permanent' },
      { key: 't' },
    ]);
  });

  it("with '+' the first operand ends the options; without, operands are gathered and parsing goes on", () => {
    expect(getoptLong(['-t', 'ls', '-w'], '+tw', LONGS)).toEqual({ options: [{ key: 't' }], operands: ['ls', '-w'] });
    expect(getoptLong(['-t', 'ls', '-w'], 'tw', LONGS)).toEqual({ options: [{ key: 't' }, { key: 'w' }], operands: ['ls'] });
    expect(getoptLong(['-t', '--', '-w'], 'tw', LONGS)).toEqual({ options: [{ key: 't' }], operands: ['-w'] });
    expect(getoptLong(['-', '-t'], '+t', LONGS).operands).toEqual(['-', '-t']);
  });

  it('stops at the first error, in glibc words', () => {
    const error = (argv: string[]) => getoptLong(argv, '+tn:', LONGS).options.at(-1);
    expect(error(['-t', '-z'])).toEqual({ error: "invalid option -- 'z'" });
    expect(error(['-n'])).toEqual({ error: "option requires an argument -- 'n'" });
    expect(error(['--nope=1'])).toEqual({ error: "unrecognized option '--nope=1'" });
    expect(error(['--no'])).toEqual({ error: "option '--no' is ambiguous; possibilities: '--no-title' '--no-wrap'" });
    expect(error(['--no-t=1'])).toEqual({ error: "option '--no-title' doesn't allow an argument" });
    expect(error(['--int'])).toEqual({ error: "option '--interval' requires an argument" });
  });
});
