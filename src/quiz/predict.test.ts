import { describe, expect, it } from 'vitest';
import { matchingChoices, normalizeOutput, truthOf, typedMatches } from './predict';

describe('predict truth', () => {
  it('compares outputs without trailing blanks or blank end lines', () => {
    expect(normalizeOutput('\nNAME   READY  \nweb    1/1\n\n')).toBe('NAME   READY\nweb    1/1');
  });

  it('extracts group 1 of the first match, line by line', () => {
    const out = '-A KUBE-SVC-X -m statistic --mode random --probability 0.33333333349 -j KUBE-SEP-A\n-A KUBE-SVC-X -j KUBE-SEP-B\n';
    expect(truthOf(out, '--probability (\\S+)')).toBe('0.33333333349');
    expect(truthOf(out, '^-A KUBE-SVC-X -j (\\S+)$')).toBe('KUBE-SEP-B');
    expect(truthOf(out, 'nothing (here)')).toBeNull();
    expect(truthOf(out)).toBe(normalizeOutput(out));
  });

  it('finds every choice equal to the truth', () => {
    expect(matchingChoices(['a', 'b  \n', 'b'], 'b\n')).toEqual([1, 2]);
    expect(matchingChoices(['a', 'c'], 'b')).toEqual([]);
    expect(matchingChoices(['TIMEOUT', '(no output)'], '\n')).toEqual([1]);
  });

  it('accepts a typed value in any case, quoted or spaced, but never an empty one', () => {
    expect(typedMatches(' kube-sep-abc ', 'KUBE-SEP-ABC')).toBe(true);
    expect(typedMatches('`NXDOMAIN`', 'NXDOMAIN')).toBe(true);
    expect(typedMatches('"3"', '3')).toBe(true);
    expect(typedMatches('33', '3')).toBe(false);
    expect(typedMatches('  ', '')).toBe(false);
  });
});
