import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeEntities, inlineHashes, policyFor, withCsp } from './csp.mjs';

const b64 = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;

describe('CSP', () => {
  const page =
    '<!doctype html><html><head><meta charset="utf-8"><script>var a=1;</script>' +
    '<script type="module" src="/_astro/x.js"></script><style>p{color:red}</style></head>' +
    '<body><span style="--shiki-light:#24292E">x</span></body></html>';

  it('hashes inline scripts, not external ones', () => {
    expect(inlineHashes(page).scripts).toEqual([b64('var a=1;')]);
  });

  it('hashes <style> bodies and style attributes (decoded)', () => {
    const h = inlineHashes(page);
    expect(h.styles).toEqual([b64('p{color:red}')]);
    expect(h.attrs).toEqual([b64('--shiki-light:#24292E')]);
    expect(decodeEntities('a&amp;b&#39;c&#x41;')).toBe("a&b'cA");
  });

  it('admits only self, the hashes and wasm, never unsafe-eval or unsafe-inline', () => {
    const p = policyFor(page);
    expect(p).toContain(`script-src 'self' 'wasm-unsafe-eval' ${b64('var a=1;')}`);
    expect(p).not.toMatch(/'unsafe-eval'|'unsafe-inline'|https?:/);
    expect(p).toContain("object-src 'none'");
  });

  it('puts the meta before the first script', () => {
    const out = withCsp(page);
    expect(out.indexOf('Content-Security-Policy')).toBeLessThan(out.indexOf('<script'));
    expect(() => withCsp(out)).toThrow(/already/);
  });
});
