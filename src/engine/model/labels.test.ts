import { describe, expect, it } from 'vitest';
import { matches, parseSelector, selectorToString, fromLabelSelector } from './labels';

describe('label selectors (apimachinery labels.Parse)', () => {
  it('parses every operator and matches like the API server', () => {
    const sel = parseSelector('app=web,tier!=db,env in (a,b),!canary,track');
    expect(matches(sel, { app: 'web', env: 'a', track: 'x' })).toBe(true);
    expect(matches(sel, { app: 'web', env: 'a', track: 'x', tier: 'db' })).toBe(false);
    expect(matches(sel, { app: 'web', env: 'c', track: 'x' })).toBe(false);
    expect(matches(sel, { app: 'web', env: 'a', track: 'x', canary: '1' })).toBe(false);
    expect(selectorToString(sel)).toBe('app=web,!canary,env in (a,b),tier!=db,track'); // sorted by key, as upstream
  });
  it('notin matches a missing key', () => {
    expect(matches(parseSelector('env notin (prod)'), {})).toBe(true);
  });
  it('reports errors with upstream wording', () => {
    expect(() => parseSelector('app=web,')).toThrow("found '', expected: identifier after ','");
    expect(() => parseSelector('app in a')).toThrow("unable to parse requirement: found 'a' expected: '('");
    expect(() => parseSelector('-x=1')).toThrow(/unable to parse requirement: <nil>: Invalid value: "-x": name part must consist of alphanumeric characters/);
  });
  it('converts matchExpressions', () => {
    const sel = fromLabelSelector({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] });
    expect(matches(sel, { app: 'web', env: 'dev' })).toBe(true);
    expect(matches(sel, { app: 'web', env: 'prod' })).toBe(false);
  });
});
