import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalIP, ipFamilyOf, isCanonicalIPv4 } from './ip';

/** The regular expression isCanonicalIPv4 replaces. */
const CANONICAL_IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

describe('isCanonicalIPv4', () => {
  it.each([
    ['0.0.0.0', true], ['10.96.0.1', true], ['255.255.255.255', true], ['1.2.3.4', true], ['199.249.250.251', true],
    ['256.1.1.1', false], ['1.2.3.256', false], ['01.2.3.4', false], ['1.2.3.04', false], ['1.2.3.00', false], ['1.2.3', false],
    ['1.2.3.4.5', false], ['1.2.3.4.', false], ['.1.2.3.4', false], ['1..2.3', false], ['', false], [' 1.2.3.4', false],
    ['1.2.3.4 ', false], ['1.2.3.4\n', false], ['1.2.3.1000', false], ['1.2.3.a', false], ['::1', false], ['1.2.3.-4', false],
    ['１.2.3.4', false], ['1.2.3.4/32', false], ['9999.1.1.1', false], ['0.0.0.0000', false],
  ])('%j → %s', (s, want) => {
    expect(isCanonicalIPv4(s)).toBe(want);
    expect(CANONICAL_IPV4.test(s)).toBe(want);
  });
  it('agrees with the regular expression on random dotted strings', () => {
    const part = fc.oneof(fc.nat({ max: 300 }).map(String), fc.stringMatching(/^[0-9]{0,4}$/), fc.constantFrom('', 'a', ' 1', '-1', '١'));
    const addr = fc.array(part, { minLength: 1, maxLength: 6 }).map((ps) => ps.join('.'));
    fc.assert(
      fc.property(fc.oneof(addr, fc.string({ maxLength: 20 })), (s) => {
        expect(isCanonicalIPv4(s)).toBe(CANONICAL_IPV4.test(s));
      }),
      { numRuns: 5000 },
    );
  });
  it('canonicalIP and ipFamilyOf still take sloppy forms', () => {
    expect(canonicalIP('10.96.0.1')).toBe('10.96.0.1');
    expect(canonicalIP('172.30.0.041')).toBe('172.30.0.41');
    expect(canonicalIP('1.2.3.256')).toBeUndefined();
    expect(ipFamilyOf('010.0.0.1')).toBe(4);
    expect(ipFamilyOf('2001:db8::1')).toBe(6);
  });
});
